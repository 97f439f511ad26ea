import type { AreaDay, AreaStat, DayCompare, EventOverview, EventType } from '@cityops/contracts';
import type { Cache } from '../../core/cache.js';
import { shanghaiDay } from '../../core/audit/buckets.js';
import type { Principal } from '../../core/principal.js';
import type { EventScope, ScopeService } from '../system/scope.service.js';
import type { EventOverviewRepository, Span } from './event-overview.repository.js';
import type { EventTypeService } from './event-type.service.js';

const DAY_MS = 86_400_000;
/** The figures are a minute old at most: a page that refreshes often costs one computation a minute per scope. */
const CACHE_SECONDS = 60;
/** How long a stale overview may still be shown while the fresh one is computed. */
const STALE_SECONDS = 600;
const MONTHS = 12;
const WEEK_DAYS = 7;
/** The sources behind 网格治理, 智能预警 and 12345 (dictionary 'event_source'). */
const SOURCE = { grid: 'grid', warning: 'iot', hotline: 'hotline' } as const;
const OTHER_TYPE = { code: '_other', name: '其他' };

/** CST midnight starting a 'YYYY-MM-DD' day. */
const midnight = (date: string) => new Date(`${date}T00:00:00+08:00`);
const dayAfter = (d: Date) => new Date(d.getTime() + DAY_MS);
const daySpan = (date: string): Span => [midnight(date), dayAfter(midnight(date))];
const pad2 = (n: number) => String(n).padStart(2, '0');

/** The same calendar day a year earlier (29 February → 28 February). */
function sameDayLastYear(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y - 1, m, 0)).getUTCDate();
  return `${y - 1}-${pad2(m)}-${pad2(Math.min(d, last))}`;
}

/** The last `n` CST months up to and including the current one, oldest first. */
function lastMonths(today: string, n: number): { keys: string[]; spans: Span[] } {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const keys = Array.from({ length: n }, (_, i) => {
    const k = new Date(Date.UTC(y, m - 1 - (n - 1 - i), 1));
    return `${k.getUTCFullYear()}-${pad2(k.getUTCMonth() + 1)}`;
  });
  const starts = [...keys, (() => {
    const k = new Date(Date.UTC(y, m, 1));
    return `${k.getUTCFullYear()}-${pad2(k.getUTCMonth() + 1)}`;
  })()].map((k) => midnight(`${k}-01`));
  return { keys, spans: keys.map((_, i) => [starts[i]!, starts[i + 1]!] as const) };
}

const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);
const sum = (a: number[], b: number[]) => a.map((x, i) => x + (b[i] ?? 0));

/** 大类 of every type code: the top of its branch of the catalogue. */
function topLevelOf(types: EventType[]): Map<string, EventType> {
  const byCode = new Map(types.map((t) => [t.code, t]));
  const top = new Map<string, EventType>();
  for (const t of types) {
    let root = t;
    for (let seen = 0; root.parentCode && byCode.has(root.parentCode) && seen < 10; seen++) root = byCode.get(root.parentCode)!;
    top.set(t.code, root);
  }
  return top;
}

/**
 * 工作台 · 事件统计图 over the user's 本级及下级 (the event lists' scope). Each answer is cached per
 * organisation for a minute: the figures walk every event of the scope.
 */
export function eventOverviewService(d: {
  repo: EventOverviewRepository;
  scope: ScopeService;
  types: EventTypeService;
  cache: Cache;
  now?: () => Date;
}) {
  const now = d.now ?? (() => new Date());

  /**
   * The areas of the chart: the towns of the scope; for a town's own users its villages/communities,
   * after the town itself (本级: events located at the town, not in one of its communities).
   */
  async function areasOf(scope: EventScope) {
    const orgs = await d.repo.areaOrgs(scope);
    const towns = orgs.filter((o) => o.level === 'town');
    if (towns.length > 1) return towns;
    return [...towns.map((t) => ({ ...t, name: `${t.name}本级` })), ...orgs.filter((o) => o.level === 'community')];
  }

  /** Region rows laid onto the areas (an event counts for the area its region lies in). */
  async function areaCounts(scope: EventScope, spans: Span[]) {
    const areas = await areasOf(scope);
    const rows = await d.repo.byRegion(scope, spans);
    const totals = areas.map(() => Array<number>(spans.length * 2).fill(0));
    for (const r of rows) {
      // The most precise area: a community rather than the town around it.
      let i = -1;
      areas.forEach((a, j) => {
        if (r.regionCode.startsWith(a.regionCode) && (i < 0 || a.regionCode.length > areas[i]!.regionCode.length)) i = j;
      });
      if (i >= 0) totals[i] = sum(totals[i]!, r.counts);
    }
    return areas.map((a, i) => ({
      regionCode: a.regionCode,
      name: a.name,
      spans: spans.map((_, s) => ({ intake: totals[i]![s * 2]!, closed: totals[i]![s * 2 + 1]! })),
    }));
  }

  async function compute(user: Principal): Promise<EventOverview> {
    const at = now();
    const today = shanghaiDay(at);
    const todaySpan = daySpan(today);
    const yesterdaySpan: Span = [new Date(todaySpan[0].getTime() - DAY_MS), todaySpan[0]];
    const days = [todaySpan, yesterdaySpan, daySpan(sameDayLastYear(today))];
    const weekSpan: Span = [new Date(todaySpan[0].getTime() - (WEEK_DAYS - 1) * DAY_MS), todaySpan[1]];
    const months = lastMonths(today, MONTHS);

    const scope = await d.scope.eventScope(user);
    // One after the other: PGlite has a single connection, and PostgreSQL runs the scan in parallel anyway.
    const rows = await d.repo.figures(scope, days, months.spans);
    const returned = await d.repo.returned(scope);
    const areas = await areaCounts(scope, [yesterdaySpan, todaySpan, weekSpan]);
    const top = topLevelOf(await d.types.list(true));

    const zero3 = () => [0, 0, 0];
    const day = { intake: zero3(), closed: zero3(), grid: zero3(), warning: zero3(), hotline: zero3() };
    let accepted = 0;
    let closed = 0;
    let overdue = 0;
    let monthsClosed = Array<number>(MONTHS).fill(0);
    const byTop = new Map<string, { code: string; name: string; sort: number; counts: number[] }>();
    for (const r of rows) {
      if (r.status === 'voided') continue;
      accepted += r.n;
      // closed_at is stamped on voiding too: only closed events count as 办结.
      if (r.status === 'closed') {
        closed += r.n;
        day.closed = sum(day.closed, r.daysClosed);
        monthsClosed = sum(monthsClosed, r.monthsClosed);
      }
      if (r.status === 'processing') overdue += r.overdue;
      day.intake = sum(day.intake, r.daysIn);
      if (r.source === SOURCE.grid) day.grid = sum(day.grid, r.daysIn);
      if (r.source === SOURCE.warning) day.warning = sum(day.warning, r.daysIn);
      if (r.source === SOURCE.hotline) day.hotline = sum(day.hotline, r.daysIn);
      const t = top.get(r.typeCode);
      const key = t?.code ?? OTHER_TYPE.code;
      const entry = byTop.get(key) ?? { code: key, name: t?.name ?? OTHER_TYPE.name, sort: t ? t.sort : Number.MAX_SAFE_INTEGER, counts: Array<number>(MONTHS).fill(0) };
      entry.counts = sum(entry.counts, r.monthsIn);
      byTop.set(key, entry);
    }
    // Every enabled 大类 is a line even at zero, so the legend is the same from month to month.
    for (const t of new Set(top.values())) {
      if (t.enabled && !byTop.has(t.code)) byTop.set(t.code, { code: t.code, name: t.name, sort: t.sort, counts: Array<number>(MONTHS).fill(0) });
    }
    const types = [...byTop.values()].sort((a, b) => a.sort - b.sort).map(({ code, name, counts }) => ({ code, name, counts }));
    const compare = ([t, y, l]: number[]): DayCompare => ({ today: t!, yesterday: y!, lastYear: l! });

    return {
      generatedAt: at.toISOString(),
      totals: {
        accepted, closed, returned, overdue,
        closedRate: rate(closed, accepted), returnedRate: rate(returned, accepted), overdueRate: rate(overdue, accepted),
      },
      today: {
        intake: compare(day.intake), closed: compare(day.closed), grid: compare(day.grid), warning: compare(day.warning), hotline: compare(day.hotline),
      },
      trend: {
        months: months.keys,
        types,
        intake: types.reduce((acc, t) => sum(acc, t.counts), Array<number>(MONTHS).fill(0)),
        closed: monthsClosed,
      },
      areas: areas.map((a): AreaStat => ({ regionCode: a.regionCode, name: a.name, yesterday: a.spans[0]!, today: a.spans[1]!, week: a.spans[2]! })),
    };
  }

  /**
   * The answer of the user's scope from the cache, computed at most once a minute per organisation.
   * An answer up to STALE_SECONDS old is still served at once while a fresh one is computed behind it:
   * the city's figures walk a million events, and nobody should wait on that twice. One computation
   * per key at a time on this node: requests meanwhile (a cold cache after a start) share it.
   */
  const computing = new Map<string, Promise<unknown>>();
  function refresh<T>(key: string, make: () => Promise<T>): Promise<T> {
    let running = computing.get(key) as Promise<T> | undefined;
    if (!running) {
      running = (async () => {
        const value = await make();
        await d.cache.set(key, { value, freshUntil: Date.now() + CACHE_SECONDS * 1000 }, STALE_SECONDS);
        return value;
      })().finally(() => computing.delete(key));
      computing.set(key, running);
    }
    return running;
  }
  async function cached<T>(key: string, make: () => Promise<T>): Promise<T> {
    const hit = await d.cache.get<{ value: T; freshUntil: number }>(key);
    if (!hit) return refresh(key, make);
    if (hit.freshUntil < Date.now()) refresh(key, make).catch(() => {}); // a failure: the next request computes it itself
    return hit.value;
  }

  return {
    overview: (user: Principal) => cached(`evt:overview:${user.orgId ?? '-'}`, () => compute(user)),

    /** 区域办件情况 of one chosen CST day. */
    areasOn: (user: Principal, date: string) =>
      cached(`evt:overview:areas:${user.orgId ?? '-'}:${date}`, async (): Promise<AreaDay> => {
        const areas = await areaCounts(await d.scope.eventScope(user), [daySpan(date)]);
        return { date, areas: areas.map((a) => ({ regionCode: a.regionCode, name: a.name, ...a.spans[0]! })) };
      }),
  };
}
export type EventOverviewService = ReturnType<typeof eventOverviewService>;
