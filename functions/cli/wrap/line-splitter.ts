/**
 * Splits a byte stream into newline-delimited lines (the MCP stdio framing) without decoding what
 * it does not need: chunks are searched for 0x0A as bytes, so a multi-byte character or a message
 * split across chunks is reassembled exactly. A line longer than `maxLineBytes` is dropped and
 * counted instead of growing memory without bound (the bytes themselves were already forwarded).
 */
export interface LineSplitterOptions {
  /** A complete line, without its "\n" (a trailing "\r" is kept). */
  readonly onLine: (line: Buffer) => void;
  /** Lines above this size are skipped. */
  readonly maxLineBytes: number;
  /** Called once per skipped oversized line. */
  readonly onOversized?: () => void;
}

export class LineSplitter {
  private parts: Buffer[] = [];
  private pendingBytes = 0;
  private oversized = false;

  constructor(private readonly options: LineSplitterOptions) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (let newline = chunk.indexOf(0x0a, start); newline !== -1; newline = chunk.indexOf(0x0a, start)) {
      this.append(chunk.subarray(start, newline));
      this.complete();
      start = newline + 1;
    }
    // A partial line is copied: the chunk belongs to the stream that is forwarding it.
    if (start < chunk.length) this.append(Buffer.from(chunk.subarray(start)));
  }

  /** End of stream: a last line without "\n" still counts. */
  end(): void {
    if (this.pendingBytes > 0 || this.oversized) this.complete();
  }

  private append(piece: Buffer): void {
    if (this.oversized || piece.length === 0) return;
    if (this.pendingBytes + piece.length > this.options.maxLineBytes) {
      this.oversized = true;
      this.parts = [];
      this.pendingBytes = 0;
      return;
    }
    this.parts.push(piece);
    this.pendingBytes += piece.length;
  }

  private complete(): void {
    if (this.oversized) {
      this.oversized = false;
      this.options.onOversized?.();
      return;
    }
    const line = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts, this.pendingBytes);
    this.parts = [];
    this.pendingBytes = 0;
    this.options.onLine(line);
  }
}
