/**
 * Calendar buckets of the log charts, in China Standard Time (Asia/Shanghai, UTC+8 all year: no
 * daylight saving since 1991). The SQL groups by `at at time zone 'Asia/Shanghai'` with the same keys.
 */
const OFFSET_MS = 8 * 3600_000;
const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

/** 'YYYY-MM-DD' of an instant in Shanghai. */
export const shanghaiDay = (t: Date) => new Date(t.getTime() + OFFSET_MS).toISOString().slice(0, 10);

/** 'YYYY-MM-DD HH:00' of an instant in Shanghai. */
export const shanghaiHour = (t: Date) => `${new Date(t.getTime() + OFFSET_MS).toISOString().slice(0, 13).replace('T', ' ')}:00`;

/** 'YYYY-MM-DD HH:mm:ss' of an instant in Shanghai (how exports and screens show times). */
export const shanghaiDateTime = (t: Date) => new Date(t.getTime() + OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');

/** The last `n` Shanghai days up to and including today, oldest first, and the instant the first one starts. */
export function lastDays(now: Date, n: number): { keys: string[]; since: Date } {
  const todayStart = Date.parse(`${shanghaiDay(now)}T00:00:00Z`) - OFFSET_MS;
  const since = new Date(todayStart - (n - 1) * DAY_MS);
  const keys = Array.from({ length: n }, (_, i) => shanghaiDay(new Date(since.getTime() + i * DAY_MS)));
  return { keys, since };
}

/** The last `n` whole hours up to and including the current one, oldest first, and the instant the first one starts. */
export function lastHours(now: Date, n: number): { keys: string[]; since: Date } {
  const hourStart = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  const since = new Date(hourStart - (n - 1) * HOUR_MS);
  const keys = Array.from({ length: n }, (_, i) => shanghaiHour(new Date(since.getTime() + i * HOUR_MS)));
  return { keys, since };
}

/** Counts laid out over the buckets: missing buckets are 0. */
export function fill(keys: string[], counts: Map<string, number>): number[] {
  return keys.map((k) => counts.get(k) ?? 0);
}
