import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 8_192;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

/** `bytes` random bytes as lowercase hex, from a pool refilled from the CSPRNG (one system call per 8 KiB). */
function randomHex(bytes: number): string {
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  // An all-zero id is invalid in W3C Trace Context; 2^-64 at worst, but never send one.
  return isInvalidId(hex) ? randomHex(bytes) : hex;
}

/** Whether a trace or span id is all zeros, which W3C Trace Context holds invalid. */
export const isInvalidId = (hex: string): boolean => /^0+$/.test(hex);

export const newTraceId = () => randomHex(16);
export const newSpanId = () => randomHex(8);
