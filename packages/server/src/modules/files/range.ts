import type { ByteRange } from './storage.js';

/**
 * The part of a `size`-byte file a `Range` header asks for (RFC 9110 §14.2). Only a single
 * `bytes=` range is served; anything else (several ranges, other units, a malformed header) is
 * ignored and the whole file is sent. 'unsatisfiable' when the range starts past the end.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (!m[1] && !m[2])) return undefined;
  if (!m[1]) {
    // bytes=-N: the last N bytes.
    const n = Number(m[2]);
    return n === 0 ? 'unsatisfiable' : { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const last = m[2] ? Number(m[2]) : Infinity;
  if (last < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(last, size - 1) };
}
