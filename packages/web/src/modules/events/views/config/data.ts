import { EVENT_CATEGORY_LABELS, LIMIT_UNIT_LABELS, type CalendarDay, type EventType } from '@cityops/contracts';

type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info';

export const LEVEL_LABELS: Record<number, string> = { 1: '大类', 2: '小类', 3: '子类' };
export const CATEGORY_TAGS: Record<EventType['category'], TagType> = { normal: 'info', linkage: 'primary', emergency: 'warning', major: 'danger' };
export const CATEGORY_OPTIONS = Object.entries(EVENT_CATEGORY_LABELS).map(([value, label]) => ({ value: value as EventType['category'], label }));
export const UNIT_OPTIONS = Object.entries(LIMIT_UNIT_LABELS).map(([value, label]) => ({ value: value as EventType['limitUnit'], label: label.replace(/^个/, '') }));

/** '3个工作日', '24小时'. */
export const limitText = (t: Pick<EventType, 'limitValue' | 'limitUnit'>) => `${t.limitValue}${LIMIT_UNIT_LABELS[t.limitUnit]}`;
/** 0.2 → '20%'. */
export const ratioText = (r: number) => `${Math.round(r * 100)}%`;

export type TypeNode = EventType & { children?: TypeNode[] };

/**
 * The catalogue as a tree for el-table (大类 → 小类 → 子类), siblings by sort. With a keyword, the
 * types whose name or code contain it, with the branch above them and everything below them.
 */
export function typeTree(types: EventType[], keyword = ''): TypeNode[] {
  const k = keyword.trim().toLowerCase();
  const children = new Map<string | null, EventType[]>();
  const codes = new Set(types.map((t) => t.code));
  for (const t of types) {
    const parent = t.parentCode && codes.has(t.parentCode) ? t.parentCode : null;
    children.set(parent, [...(children.get(parent) ?? []), t]);
  }
  const matches = (t: EventType) => !k || t.name.toLowerCase().includes(k) || t.code.toLowerCase().includes(k);
  const build = (parent: string | null, inMatch: boolean): TypeNode[] =>
    (children.get(parent) ?? [])
      .slice()
      .sort((a, b) => a.sort - b.sort)
      .flatMap((t) => {
        const hit = inMatch || matches(t);
        const below = build(t.code, hit);
        if (!hit && below.length === 0) return [];
        return [{ ...t, ...(below.length ? { children: below } : {}) }];
      });
  return build(null, false);
}

// ---- 工作日历 ----

const pad = (n: number) => String(n).padStart(2, '0');
export const isoDate = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
export const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];

export interface CalendarCell {
  date: string;
  day: number;
  weekend: boolean;
  /** The exception of the date, if any (节假日 or 调休上班). */
  entry?: CalendarDay;
  /** Counted as a working day (Monday–Friday unless an exception says otherwise). */
  working: boolean;
}

/** The weeks of a month (Monday first), with null for the days of the neighbouring months. */
export function monthWeeks(year: number, month: number, entries: Map<string, CalendarDay>): (CalendarCell | null)[][] {
  const first = new Date(Date.UTC(year, month - 1, 1));
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7;
  const cells: (CalendarCell | null)[] = Array(lead).fill(null);
  for (let d = 1; d <= days; d++) {
    const date = isoDate(year, month, d);
    const weekday = new Date(Date.UTC(year, month - 1, d)).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    const entry = entries.get(date);
    cells.push({ date, day: d, weekend, entry, working: entry ? entry.workday : !weekend });
  }
  while (cells.length % 7) cells.push(null);
  return Array.from({ length: cells.length / 7 }, (_, i) => cells.slice(i * 7, i * 7 + 7));
}

/** What a date is now, in words: '节假日：国庆节', '调休上班：国庆节调休', '周末（默认休息）', '工作日（默认）'. */
export function describeDay(cell: Pick<CalendarCell, 'weekend' | 'entry'>): string {
  if (cell.entry) return `${cell.entry.workday ? '调休上班' : '节假日'}：${cell.entry.name}`;
  return cell.weekend ? '周末（默认休息）' : '工作日（默认上班）';
}

/** '2026-10-01' → '2026年10月1日 星期四'. */
export function dateTitle(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const weekday = '日一二三四五六'[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
  return `${y}年${m}月${d}日 星期${weekday}`;
}
