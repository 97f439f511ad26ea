import type { Plate } from '@cityops/contracts';
import type { LimitUnit } from './config.table.js';

/**
 * Time limits on the working calendar, as pure functions (no database, no clock). All date
 * arithmetic is done in China Standard Time (UTC+8, no daylight saving) explicitly, so the result
 * does not depend on the machine's TZ: a "day" is a CST calendar day, "09:00" is 09:00 CST.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const CST_OFFSET = 8 * HOUR;
/** A limit never spans more than this many calendar days (1000 working days fit well inside). */
const MAX_SCAN_DAYS = 3660;

export const DEFAULT_WORK_HOURS = '09:00-12:00,13:30-17:30';

/** A working period of every working day, in minutes after CST midnight: [start, end). */
export interface WorkPeriod {
  start: number;
  end: number;
}

export interface WorkCalendar {
  /** Dates (YYYY-MM-DD, CST) that break the Monday–Friday rule: true 调休上班, false 节假日. */
  exceptions: ReadonlyMap<string, boolean>;
  /** Working periods of a working day, ascending and not overlapping. */
  periods: readonly WorkPeriod[];
}

export interface Limit {
  value: number;
  unit: LimitUnit;
  /** Yellow once less than this share of the limit remains (0 < ratio < 1). */
  warnRatio: number;
}

/**
 * Parses working hours such as '09:00-12:00,13:30-17:30'. Throws an Error with a Chinese message
 * when the text is malformed, a period is empty, or periods overlap or are out of order.
 */
export function parseWorkHours(text: string): WorkPeriod[] {
  const bad = (why: string) => new Error(`工作时间“${text}”${why}，格式如 09:00-12:00,13:30-17:30`);
  const toMinutes = (hhmm: string) => {
    const [h, m] = hhmm.split(':').map(Number) as [number, number];
    if (h > 24 || m > 59 || (h === 24 && m > 0)) throw bad('中的时刻不存在');
    return h * 60 + m;
  };
  const parts = text.split(/[,，]/).map((s) => s.trim()).filter(Boolean);
  if (!parts.length) throw bad('为空');
  const periods = parts.map((p) => {
    const m = /^(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$/.exec(p);
    if (!m) throw bad('格式不正确');
    const period = { start: toMinutes(m[1]!), end: toMinutes(m[2]!) };
    if (period.end <= period.start) throw bad('中有结束早于开始的时段');
    return period;
  });
  for (let i = 1; i < periods.length; i++) {
    if (periods[i]!.start < periods[i - 1]!.end) throw bad('中的时段重叠或未按先后顺序排列');
  }
  return periods;
}

/** CST calendar day number (days since 1970-01-01 CST) of an instant. */
const dayOf = (ms: number) => Math.floor((ms + CST_OFFSET) / DAY);
/** The instant of CST midnight starting a day number. */
const midnightOf = (day: number) => day * DAY - CST_OFFSET;
const dateOf = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

/** The CST date (YYYY-MM-DD) of an instant. */
export const cstDate = (at: Date) => dateOf(dayOf(at.getTime()));

/** The instant of a CST wall-clock time, e.g. cstTime('2026-10-09', '15:00'). */
export const cstTime = (date: string, hhmm = '00:00') => new Date(`${date}T${hhmm}:00+08:00`);

const workdayNo = (cal: WorkCalendar, day: number) => {
  const listed = cal.exceptions.get(dateOf(day));
  if (listed !== undefined) return listed;
  const weekday = new Date(day * DAY).getUTCDay();
  return weekday >= 1 && weekday <= 5;
};

/** Listed as 调休上班, or Monday–Friday and not listed as a holiday. */
export const isWorkday = (cal: WorkCalendar, date: string) => workdayNo(cal, Math.round(Date.parse(`${date}T00:00:00Z`) / DAY));

/** Working time in one working day (ms). */
export const workdayLength = (cal: WorkCalendar) => cal.periods.reduce((s, p) => s + (p.end - p.start) * MINUTE, 0);

/** The working periods of every working day from `from`'s day on, as [start, end) instants. */
function* workingSpans(cal: WorkCalendar, from: number): Generator<[number, number]> {
  const first = dayOf(from);
  for (let day = first; day < first + MAX_SCAN_DAYS; day++) {
    if (!workdayNo(cal, day)) continue;
    const base = midnightOf(day);
    for (const p of cal.periods) yield [base + p.start * MINUTE, base + p.end * MINUTE];
  }
  throw new Error(`工作日历在 ${MAX_SCAN_DAYS} 天内没有足够的工作时间`);
}

/** Working time (ms) between two instants. */
export function workingMsBetween(cal: WorkCalendar, from: Date, to: Date): number {
  const a = from.getTime();
  const b = to.getTime();
  let sum = 0;
  if (b <= a) return sum;
  for (const [s, e] of workingSpans(cal, a)) {
    if (s >= b) break;
    sum += Math.max(0, Math.min(e, b) - Math.max(s, a));
  }
  return sum;
}

/**
 * The earliest instant by which `ms` of working time has passed since `from`. A result that
 * uses up a period exactly is that period's end (17:30), never the next period's start.
 */
export function addWorkingMs(cal: WorkCalendar, from: Date, ms: number): Date {
  const a = from.getTime();
  if (ms <= 0) return new Date(a);
  let left = ms;
  for (const [s, e] of workingSpans(cal, a)) {
    const start = Math.max(s, a);
    if (e <= start) continue;
    if (left <= e - start) return new Date(start + left);
    left -= e - start;
  }
  throw new Error('unreachable');
}

/** Length of a limit in its own kind of time: working ms for working units, natural ms otherwise. */
const limitMs = (cal: WorkCalendar, l: Pick<Limit, 'value' | 'unit'>) =>
  l.unit === 'workday' ? l.value * workdayLength(cal) : l.unit === 'day' ? l.value * DAY : l.value * HOUR;

const isWorking = (unit: LimitUnit) => unit === 'workday' || unit === 'workhour';

/**
 * The deadline of a limit counted from `from`, and the instant it turns yellow (`warnAt`: from then
 * on less than `warnRatio` of the limit remains, measured in the limit's own kind of time).
 *
 * - `day` / `hour`: natural time, N × 24 h / N h after `from`.
 * - `workhour`: N hours of working time; time outside the working periods does not count.
 * - `workday`: N working days = N × the working time of one working day. Started inside working
 *   hours, that is the same clock time on the Nth following working day (Friday 15:00 + 3 → next
 *   Wednesday 15:00 over a weekend). Started outside working hours (evening, lunch break, a weekend
 *   or a holiday), counting begins with the next working period, and the deadline is the close of
 *   the Nth working day counted from it (Saturday + 1 → Monday 17:30; 12:30 on Wednesday + 1 →
 *   Thursday 12:00). Likewise a start exactly at the opening of a period (Monday 09:00 + 1) ends at
 *   the close of the working day before the same clock time (Monday 17:30) — the same working time
 *   as "09:00 next working day", shown as the earliest instant that reaches it.
 */
export function computeDeadline(cal: WorkCalendar, from: Date, limit: Limit): { deadline: Date; warnAt: Date } {
  const total = limitMs(cal, limit);
  const beforeWarn = Math.round(total * (1 - limit.warnRatio));
  if (!isWorking(limit.unit)) {
    return { deadline: new Date(from.getTime() + total), warnAt: new Date(from.getTime() + beforeWarn) };
  }
  return { deadline: addWorkingMs(cal, from, total), warnAt: addWorkingMs(cal, from, beforeWarn) };
}

/**
 * When a deadline set by hand (an approved delay) turns yellow: after `1 - warnRatio` of the
 * working time between `from` and `deadline`. When that span holds no working time at all
 * (both within one weekend), natural time is shared out instead.
 */
export function warnAtFor(cal: WorkCalendar, from: Date, deadline: Date, warnRatio: number): Date {
  if (deadline.getTime() <= from.getTime()) return new Date(deadline.getTime());
  const span = workingMsBetween(cal, from, deadline);
  if (span === 0) return new Date(from.getTime() + Math.round((deadline.getTime() - from.getTime()) * (1 - warnRatio)));
  return addWorkingMs(cal, from, Math.round(span * (1 - warnRatio)));
}

/**
 * 灯牌. Open (no `finishedAt`): red once `now` is past the deadline, yellow once past `warnAt`,
 * else green. Finished: red if it ended after its deadline, else green. Null without a deadline.
 */
export function plateOf(t: { deadline: Date | null; warnAt: Date | null; finishedAt?: Date | null }, now: Date): Plate | null {
  if (!t.deadline) return null;
  if (t.finishedAt) return t.finishedAt > t.deadline ? 'red' : 'green';
  if (now > t.deadline) return 'red';
  if (t.warnAt && now > t.warnAt) return 'yellow';
  return 'green';
}
