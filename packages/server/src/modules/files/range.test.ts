import { describe, expect, it } from 'vitest';
import { parseRange } from './range.js';

describe('Range header of a 100-byte file', () => {
  it('serves a closed, an open-ended and a suffix range', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-5', 100)).toEqual({ start: 95, end: 99 });
    expect(parseRange('bytes=50-500', 100)).toEqual({ start: 50, end: 99 });
    expect(parseRange('bytes=-500', 100)).toEqual({ start: 0, end: 99 });
  });

  it('answers unsatisfiable past the end, and ignores what it does not serve', () => {
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 100)).toBe('unsatisfiable');
    for (const h of [undefined, '', 'bytes=0-1,5-6', 'items=0-9', 'bytes=9-0', 'bytes=-', 'bytes=a-b']) {
      expect(parseRange(h, 100)).toBeUndefined();
    }
  });
});
