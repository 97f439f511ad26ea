import { describe, expect, it } from 'vitest';
import { fill, lastDays, lastHours, shanghaiDay, shanghaiHour } from './buckets.js';

describe('chart buckets in Asia/Shanghai', () => {
  it('puts an instant on the Shanghai calendar day and hour', () => {
    // 2026-03-01 17:30 UTC is 2026-03-02 01:30 in Shanghai.
    const t = new Date('2026-03-01T17:30:00Z');
    expect(shanghaiDay(t)).toBe('2026-03-02');
    expect(shanghaiHour(t)).toBe('2026-03-02 01:00');
  });

  it('covers the last 7 days up to today, starting at Shanghai midnight', () => {
    const { keys, since } = lastDays(new Date('2026-03-01T17:30:00Z'), 7);
    expect(keys).toEqual(['2026-02-24', '2026-02-25', '2026-02-26', '2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(since.toISOString()).toBe('2026-02-23T16:00:00.000Z');
  });

  it('covers the last 24 hours up to the current hour', () => {
    const { keys, since } = lastHours(new Date('2026-03-01T17:30:00Z'), 24);
    expect(keys).toHaveLength(24);
    expect(keys[0]).toBe('2026-03-01 02:00');
    expect(keys[23]).toBe('2026-03-02 01:00');
    expect(since.toISOString()).toBe('2026-02-28T18:00:00.000Z');
  });

  it('fills buckets without data with 0', () => {
    expect(fill(['a', 'b', 'c'], new Map([['b', 3]]))).toEqual([0, 3, 0]);
  });
});
