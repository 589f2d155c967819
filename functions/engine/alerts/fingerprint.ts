import { createHash } from 'node:crypto';

/**
 * Same incident → same fingerprint, across runs and machines: a hash of the detector, the server
 * and the finding's subject (never of times or counts).
 */
export function alertFingerprint(detector: string, server: string, subject: string): string {
  return createHash('sha256').update(`${detector}\u0000${server}\u0000${subject}`).digest('hex').slice(0, 16);
}
