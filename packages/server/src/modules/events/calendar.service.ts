import crypto from 'node:crypto';
import type { CalendarDay } from '@cityops/contracts';
import type { Cache } from '../../core/cache.js';
import { Invalid, NotFound } from '../../core/errors.js';
import type { ParamService } from '../system/param.service.js';
import type { CalendarRepository, CalendarDayRow } from './calendar.repository.js';
import type { TimeLimit } from './ports.js';
import {
  DEFAULT_WORK_HOURS, computeDeadline, parseWorkHours, warnAtFor, type WorkCalendar, type WorkPeriod,
} from './working-time.js';

/** System parameter holding the working hours of a working day, e.g. '09:00-12:00,13:30-17:30'. */
export const WORK_HOURS_PARAM = 'event.work_hours';
/** Shared by all nodes: changed on every edit, so each node knows its copy is stale. */
const VERSION_KEY = 'evt:calendar:version';
/** A node's copy is reloaded after this long even without an edit (a flushed cache, a manual SQL fix). */
const LOCAL_TTL_MS = 5 * 60_000;

const toDto = (r: CalendarDayRow): CalendarDay => ({ date: r.date, workday: r.workday, name: r.name, updatedAt: r.updatedAt.toISOString() });

/**
 * The working calendar: holidays and 调休 working days edited per date, plus the working hours
 * parameter. It is the event hub's clock (`EventClock`): deadlines are computed here and stored
 * with the task, so timers survive restarts. Exceptions are held in memory per process and
 * reloaded when the shared version key changes.
 */
export function calendarService(d: { repo: CalendarRepository; cache: Cache; params: Pick<ParamService, 'get'>; now?: () => number }) {
  const now = d.now ?? Date.now;
  let local: { version: string; loadedAt: number; exceptions: Map<string, boolean> } | undefined;
  let lastHours: { text: string; periods: WorkPeriod[] } | undefined;

  async function exceptions() {
    let version = await d.cache.get<string>(VERSION_KEY);
    if (local && version === local.version && now() - local.loadedAt < LOCAL_TTL_MS) return local.exceptions;
    if (version === undefined) {
      version = crypto.randomUUID();
      await d.cache.set(VERSION_KEY, version);
    }
    const rows = await d.repo.all();
    local = { version, loadedAt: now(), exceptions: new Map(rows.map((r) => [r.date, r.workday])) };
    return local.exceptions;
  }

  /** The parameter's working hours; the default when it is missing or malformed, so deadlines never fail. */
  async function periods() {
    const text = (await d.params.get(WORK_HOURS_PARAM))?.trim() || DEFAULT_WORK_HOURS;
    if (lastHours?.text !== text) {
      let parsed: WorkPeriod[];
      try {
        parsed = parseWorkHours(text);
      } catch {
        parsed = parseWorkHours(DEFAULT_WORK_HOURS);
      }
      lastHours = { text, periods: parsed };
    }
    return lastHours.periods;
  }

  async function changed() {
    local = undefined;
    await d.cache.set(VERSION_KEY, crypto.randomUUID());
  }

  async function calendar(): Promise<WorkCalendar> {
    const [exc, per] = await Promise.all([exceptions(), periods()]);
    return { exceptions: exc, periods: per };
  }

  return {
    calendar,

    async listYear(year: number): Promise<CalendarDay[]> {
      return (await d.repo.between(`${year}-01-01`, `${year}-12-31`)).map(toDto);
    },

    async upsert(date: string, body: { workday: boolean; name: string }): Promise<CalendarDay> {
      const row = await d.repo.upsert({ date, workday: body.workday, name: body.name });
      await changed();
      return toDto(row);
    },

    /** Returns the date to the Monday–Friday rule; the removed entry is returned for the log. */
    async remove(date: string): Promise<CalendarDay> {
      const row = await d.repo.delete(date);
      if (!row) throw new NotFound(`${date} 没有设置节假日或调休，已按周一至周五上班计算`);
      await changed();
      return toDto(row);
    },

    /** EventClock: the deadline of a limit counted from `from`, and when it turns yellow. */
    async deadline(from: Date, limit: TimeLimit) {
      return computeDeadline(await calendar(), from, limit);
    },

    /** 期限预览: the deadline of a limit from `from` (ISO date-time; now when absent). */
    async preview(from: string | undefined, limit: TimeLimit) {
      const start = from === undefined ? new Date(now()) : new Date(from);
      if (Number.isNaN(start.getTime())) throw new Invalid('起算时间格式不正确，应为 ISO 8601 日期时间');
      const r = computeDeadline(await calendar(), start, limit);
      return { deadline: r.deadline.toISOString(), warnAt: r.warnAt.toISOString() };
    },

    /** EventClock: when a deadline set by hand turns yellow. */
    async warnAtFor(from: Date, deadline: Date, warnRatio: number) {
      return warnAtFor(await calendar(), from, deadline, warnRatio);
    },
  };
}
export type CalendarService = ReturnType<typeof calendarService>;
