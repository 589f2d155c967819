/** UTF-8 sizes and cuts, for the byte limits of the log contract (`result.text` ≤ 4 KiB). */

export function utf8ByteLength(text: string): number {
  return text.length === 0 ? 0 : Buffer.byteLength(text, 'utf8');
}

/** The longest prefix of `text` of at most `maxBytes` UTF-8 bytes, never splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): { text: string; truncated: boolean } {
  // Every UTF-16 unit encodes to at most 3 bytes: short strings skip the exact count.
  if (text.length * 3 <= maxBytes || utf8ByteLength(text) <= maxBytes) return { text, truncated: false };
  const bytes = Buffer.from(text.length > maxBytes ? text.slice(0, maxBytes) : text, 'utf8');
  let end = Math.min(maxBytes, bytes.length);
  // Back off continuation bytes (10xxxxxx) so the cut lands on a character boundary.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return { text: bytes.subarray(0, end).toString('utf8'), truncated: true };
}
