import { and, asc, eq, inArray, isNotNull, ne, notInArray, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { sysOrg } from '../system/org.table.js';
import type { EventScope } from '../system/scope.service.js';
import { evtEvent } from './event.table.js';
import { scopeCondition } from './event-sql.js';
import { evtRequest } from './request.table.js';

/** [from, to) instants. */
export type Span = readonly [Date, Date];

const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const within = (column: SQLWrapper, [from, to]: Span) => sql`${column} >= ${at(from)} and ${column} < ${at(to)}`;
/** One int[] of counts, a `count(*) filter` per condition: many figures from one pass over the rows. */
const counts = (conds: SQL[]) => sql<number[]>`array[${sql.join(conds.map((c) => sql`count(*) filter (where ${c})`), sql`, `)}]::int[]`;

/**
 * The read side of the 工作台 charts. Every figure of the user's scope comes from one pass over its
 * events (a parallel scan for the city, the org_ids GIN index for a town or department) grouped by
 * type, status and source, with the day and month figures as `count(*) filter` columns; the areas
 * read the last days through the created_at index.
 */
export function eventOverviewRepository(db: DbOrTx) {
  return {
    /**
     * Per type, status and source: the number of events (drafts left out), those past their
     * deadline, intake and closures on each of `days`, intake and closures in each of `months`.
     */
    async figures(scope: EventScope, days: Span[], months: Span[]) {
      // Without JIT: compiling the thirty-odd count expressions cost more than it saved (on 1M events,
      // the city's scan took 1.2 s with JIT and 0.6 s without on a loaded two-core machine).
      return db.transaction(async (tx) => {
        await tx.execute(sql`set local jit = off`);
        return tx
          .select({
            typeCode: evtEvent.typeCode,
            status: evtEvent.status,
            source: evtEvent.source,
            n: sql<number>`count(*)::int`,
            overdue: sql<number>`(count(*) filter (where ${evtEvent.deadline} < now()))::int`,
            daysIn: counts(days.map((d) => within(evtEvent.createdAt, d))),
            daysClosed: counts(days.map((d) => within(evtEvent.closedAt, d))),
            monthsIn: counts(months.map((m) => within(evtEvent.createdAt, m))),
            monthsClosed: counts(months.map((m) => within(evtEvent.closedAt, m))),
          })
          .from(evtEvent)
          .where(and(ne(evtEvent.status, 'draft'), scopeCondition(scope, 'selfAndChildren')))
          .groupBy(evtEvent.typeCode, evtEvent.status, evtEvent.source);
      });
    },

    /** 累计回退: events of the scope with an approved 退回 request. */
    async returned(scope: EventScope): Promise<number> {
      const [r] = await db
        .select({ n: sql<number>`count(distinct ${evtRequest.eventId})::int` })
        .from(evtRequest)
        .innerJoin(evtEvent, eq(evtEvent.id, evtRequest.eventId))
        .where(and(eq(evtRequest.kind, 'return'), eq(evtRequest.status, 'approved'), ne(evtEvent.status, 'draft'), scopeCondition(scope, 'selfAndChildren')));
      return r?.n ?? 0;
    },

    /**
     * Intake and, of it, closed events per region code for each span (received, voided left out):
     * `[intake, closed]` per span, in the spans' order.
     */
    async byRegion(scope: EventScope, spans: Span[]) {
      const from = new Date(Math.min(...spans.map((s) => s[0].getTime())));
      const to = new Date(Math.max(...spans.map((s) => s[1].getTime())));
      return db
        .select({
          regionCode: sql<string>`${evtEvent.regionCode}`,
          counts: counts(spans.flatMap((s) => [within(evtEvent.createdAt, s), sql`${within(evtEvent.createdAt, s)} and ${evtEvent.status} = 'closed'`])),
        })
        .from(evtEvent)
        .where(and(
          within(evtEvent.createdAt, [from, to]),
          notInArray(evtEvent.status, ['draft', 'voided']),
          isNotNull(evtEvent.regionCode),
          scopeCondition(scope, 'selfAndChildren'),
        ))
        .groupBy(evtEvent.regionCode);
    },

    /** Towns and villages/communities of the scope with a region, in region order (the chart's areas). */
    async areaOrgs(scope: EventScope) {
      const ids = [...scope.self, ...scope.children];
      if (!scope.all && ids.length === 0) return [];
      return db
        .select({ id: sysOrg.id, parentId: sysOrg.parentId, name: sysOrg.name, level: sysOrg.level, regionCode: sql<string>`${sysOrg.regionCode}` })
        .from(sysOrg)
        .where(and(
          inArray(sysOrg.level, ['town', 'community']),
          eq(sysOrg.enabled, true),
          isNotNull(sysOrg.regionCode),
          scope.all ? undefined : inArray(sysOrg.id, ids),
        ))
        .orderBy(asc(sysOrg.regionCode), asc(sysOrg.sort));
    },
  };
}
export type EventOverviewRepository = ReturnType<typeof eventOverviewRepository>;
