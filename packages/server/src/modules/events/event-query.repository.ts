import { and, asc, count, desc, eq, gte, ilike, inArray, like, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { likeEscape } from '../../core/text.js';
import { sysRegion } from '../system/region.table.js';
import { evtType } from './config.table.js';
import { evtEvent, type EventStatus } from './event.table.js';
import type { DataScope, EventScope } from '../system/scope.service.js';
import { actedOn, eventPlate, nodeDeadlineOrNever, nodePlate, openNodePlateIs, scopeCondition } from './event-sql.js';
import { evtNode } from './node.table.js';
import { evtRequest, type RequestKind, type RequestStatus } from './request.table.js';
import type { Plate } from '@cityops/contracts';

export interface Page {
  page: number;
  pageSize: number;
}

/** A whole event number: source prefix + yyyymmdd + 6-digit sequence. */
const WHOLE_NUMBER = /^[A-Za-z]{2}\d{14}$/;

/** What an event number can contain (prefix letters and digits). */
const NUMBER_PART = /^[A-Za-z0-9]+$/;
/** Shorter keywords have no whole trigram: the trigram index cannot narrow them down. */
const TRIGRAM = 3;

/**
 * Fuzzy on title or number (事件标题 / 事件编号). A whole event number is looked up by its unique
 * index; the number is searched only when the keyword could be part of one. Keywords of three
 * characters or more go through the trigram indexes (LIKE); two-character ones (most Chinese words)
 * through the index of character pairs (`evt_bigrams`, migration 0005); a single character is
 * tested with strpos, which no index claims, so the list walks its usual indexes.
 */
export const keywordOn = (keyword: string) => {
  if (WHOLE_NUMBER.test(keyword)) return eq(evtEvent.no, keyword.toUpperCase());
  const inNumber = NUMBER_PART.test(keyword);
  const length = [...keyword].length;
  if (length < TRIGRAM) {
    const title = length === 2
      ? sql`evt_bigrams(${evtEvent.title}) @> array[${keyword.toLowerCase()}::text]`
      : sql`strpos(lower(${evtEvent.title}), ${keyword.toLowerCase()}) > 0`;
    return inNumber ? or(title, sql`strpos(${evtEvent.no}, ${keyword.toUpperCase()}) > 0`)! : title;
  }
  const k = `%${likeEscape(keyword)}%`;
  const title = keyword.toLowerCase() === keyword.toUpperCase() ? like(evtEvent.title, k) : ilike(evtEvent.title, k);
  return inNumber ? or(title, like(evtEvent.no, k.toUpperCase()))! : title;
};

/**
 * The type itself or any type below it (大类 → 小类 → 子类), as a list of codes (the service expands
 * them from the cached catalogue): the planner sees how selective a literal list is, which it
 * cannot for a recursive sub-query (1.8 s → 15 ms on 1M events).
 */
export const typeOrBelow = (codes: string[]) =>
  sql`${evtEvent.typeCode} = any(${`{${codes.map((c) => `"${c.replace(/["\\]/g, '\\$&')}"`).join(',')}}`}::text[])`;

/** A town's code matches its villages (statistical codes are hierarchical prefixes). */
export const regionUnder = (code: string) => sql`${evtEvent.regionCode} like ${`${likeEscape(code)}%`}`;

/** Events an organisation whose name matches took part in, through org_ids (GIN) rather than evt_node. */
export const orgNamed = (name: string) =>
  sql`${evtEvent.orgIds} && array(select o.id from sys_org o where o.name ilike ${`%${likeEscape(name)}%`})`;

/** Sortable columns; the nullable ones put events without a value last either way. */
const SORTS = {
  createdAt: { column: evtEvent.createdAt, nullable: false },
  updatedAt: { column: evtEvent.updatedAt, nullable: false },
  deadline: { column: evtEvent.deadline, nullable: true },
  cityDispatchedAt: { column: evtEvent.cityDispatchedAt, nullable: true },
} as const;
export type EventSort = keyof typeof SORTS;

const eventFields = {
  id: evtEvent.id,
  no: evtEvent.no,
  title: evtEvent.title,
  source: evtEvent.source,
  typeCode: evtEvent.typeCode,
  isKey: evtEvent.isKey,
  supervised: evtEvent.supervised,
  regionCode: evtEvent.regionCode,
  status: evtEvent.status,
  deadline: evtEvent.deadline,
  creatorOrgName: evtEvent.creatorOrgName,
  cityDispatchedAt: evtEvent.cityDispatchedAt,
  occurredAt: evtEvent.occurredAt,
  createdAt: evtEvent.createdAt,
  updatedAt: evtEvent.updatedAt,
};

/** What an event list is restricted to (view, 本级/下级 scope, advanced search). */
export interface EventFilter {
  view: 'processing' | 'done' | 'mine' | 'city' | 'all' | 'key';
  userId: string;
  scope: EventScope;
  which: DataScope;
  keyword?: string;
  createdFrom?: Date;
  createdTo?: Date;
  source?: string;
  isKey?: boolean;
  status?: EventStatus;
  /** A type and the codes below it (`typeOrBelow`). */
  typeCodes?: string[];
  regionCode?: string;
  supervised?: boolean;
  orgName?: string;
}

/** Statuses shown by the views; drafts never appear in any view. */
const VIEW_STATUSES: Record<EventFilter['view'], EventStatus[] | null> = {
  processing: ['processing', 'handled'],
  done: ['closed'],
  mine: null,
  city: null,
  all: null,
  key: null,
};

/** 我参与 is every event the user acted on, whatever the scope; the other views are scoped. */
export function eventWhere(f: EventFilter): SQL {
  const conds: SQL[] = [];
  const statuses = VIEW_STATUSES[f.view];
  conds.push(statuses ? inArray(evtEvent.status, statuses) : ne(evtEvent.status, 'draft'));
  if (f.view === 'mine') conds.push(actedOn(f.userId));
  else conds.push(scopeCondition(f.scope, f.which));
  if (f.view === 'city') conds.push(eq(evtEvent.fromCity, true));
  if (f.view === 'key') conds.push(eq(evtEvent.isKey, true));
  if (f.keyword) conds.push(keywordOn(f.keyword));
  if (f.createdFrom) conds.push(gte(evtEvent.createdAt, f.createdFrom));
  if (f.createdTo) conds.push(lte(evtEvent.createdAt, f.createdTo));
  if (f.source) conds.push(eq(evtEvent.source, f.source));
  if (f.isKey !== undefined) conds.push(eq(evtEvent.isKey, f.isKey));
  if (f.status) conds.push(eq(evtEvent.status, f.status));
  if (f.typeCodes) conds.push(typeOrBelow(f.typeCodes));
  if (f.regionCode) conds.push(regionUnder(f.regionCode));
  if (f.supervised !== undefined) conds.push(eq(evtEvent.supervised, f.supervised));
  if (f.orgName) conds.push(orgNamed(f.orgName));
  return and(...conds)!;
}

/** The filters of the to-do boxes (我的待办, 交办后任务). */
export interface TodoFilter {
  box: 'handle' | 'closing' | 'cc' | 'dispatched';
  keyword?: string;
  plate?: Plate;
  /** A type and the codes below it (`typeOrBelow`). */
  typeCodes?: string[];
  source?: string;
  createdFrom?: Date;
  createdTo?: Date;
  deadlineBefore?: Date;
}

/** The filters of 审核查询. */
export interface RequestFilter {
  box: 'todo' | 'audited' | 'mine';
  keyword?: string;
  kind?: RequestKind;
  status?: RequestStatus;
  source?: string;
  auditedFrom?: Date;
  auditedTo?: Date;
}

/** `count(*)` of the rows meeting a condition, in an aggregate over more rows. */
const countIf = (cond: SQL) => sql<number>`count(*) filter (where ${cond})::int`;

const BOX_CONDITIONS: Record<TodoFilter['box'], SQL> = {
  handle: and(eq(evtNode.status, 'todo'), inArray(evtNode.role, ['main', 'assist']))!,
  closing: eq(evtNode.status, 'closing'),
  cc: and(eq(evtNode.status, 'todo'), eq(evtNode.role, 'cc'))!,
  dispatched: eq(evtNode.status, 'waiting'),
};

/**
 * The read side of the event hub. Each list is one statement for the page and one for the count;
 * the count has the same conditions and no joins, and on evt_event stops at a cap.
 */
export function eventQueryRepository(db: DbOrTx) {
  /**
   * One page of event rows: the page is cut on evt_event alone (plate computed there), and only
   * its rows are joined to the type and region names.
   */
  async function eventPage(where: SQL | undefined, sort: EventSort, order: 'asc' | 'desc', limit: number, offset: number) {
    const { column, nullable } = SORTS[sort];
    // Plain ASC/DESC on NOT NULL columns so that evt_event_created_idx is walked (NULLS LAST on a
    // descending sort would not match the index and sort the whole scope); id breaks ties.
    const by = (c: SQL | typeof column) => sql`${c} ${sql.raw(order)}${sql.raw(nullable ? ' nulls last' : '')}`;
    const tie = order === 'asc' ? asc : desc;
    const page = db
      .select({ ...eventFields, plate: eventPlate.as('plate') })
      .from(evtEvent)
      .where(where)
      .orderBy(by(column), tie(evtEvent.id))
      .limit(limit)
      .offset(offset)
      .as('e');
    return db
      .select({
        id: page.id, no: page.no, title: page.title, source: page.source, typeCode: page.typeCode, isKey: page.isKey,
        supervised: page.supervised, regionCode: page.regionCode, status: page.status, deadline: page.deadline,
        creatorOrgName: page.creatorOrgName, cityDispatchedAt: page.cityDispatchedAt, occurredAt: page.occurredAt,
        createdAt: page.createdAt, updatedAt: page.updatedAt, plate: page.plate,
        typeName: evtType.name, regionName: sysRegion.name,
      })
      .from(page)
      .leftJoin(evtType, eq(evtType.code, page.typeCode))
      .leftJoin(sysRegion, eq(sysRegion.code, page.regionCode))
      .orderBy(by(sql`${page[sort]}`), tie(page.id));
  }

  /** Counts up to `cap` + 1 matches: the scan stops there instead of walking every event. */
  async function countEvents(where: SQL | undefined, cap: number) {
    const matches = db.select({ one: sql`1` }).from(evtEvent).where(where).limit(cap + 1).as('m');
    const [r] = await db.select({ n: count() }).from(matches);
    const n = r?.n ?? 0;
    return { total: Math.min(n, cap), capped: n > cap };
  }

  /** The conditions of a to-do box; those on the event (`eventConds`) need evt_event joined. */
  function todoConditions(orgId: string, f: TodoFilter) {
    const conds: SQL[] = [eq(evtNode.orgId, orgId), BOX_CONDITIONS[f.box]];
    if (f.plate) conds.push(openNodePlateIs(f.plate));
    if (f.deadlineBefore) conds.push(sql`${nodeDeadlineOrNever} <= ${f.deadlineBefore}`);
    if (f.createdFrom) conds.push(gte(evtNode.createdAt, f.createdFrom));
    if (f.createdTo) conds.push(lte(evtNode.createdAt, f.createdTo));
    const eventConds: SQL[] = [];
    if (f.keyword) eventConds.push(keywordOn(f.keyword));
    if (f.typeCodes) eventConds.push(typeOrBelow(f.typeCodes));
    if (f.source) eventConds.push(eq(evtEvent.source, f.source));
    return { where: and(...conds, ...eventConds), eventConds };
  }

  return {
    async events(f: EventFilter, sort: EventSort, order: 'asc' | 'desc', p: Page, cap: number) {
      const where = eventWhere(f);
      const [items, counted] = await Promise.all([eventPage(where, sort, order, p.pageSize, (p.page - 1) * p.pageSize), countEvents(where, cap)]);
      return { items, ...counted };
    },

    /** The first `limit` rows and how many match in all (export). */
    async eventsUpTo(f: EventFilter, sort: EventSort, order: 'asc' | 'desc', limit: number) {
      const where = eventWhere(f);
      const [items, counted] = await Promise.all([eventPage(where, sort, order, limit, 0), countEvents(where, limit)]);
      return { items, ...counted };
    },

    /** 草稿箱: the user's own drafts, last edited first. */
    async drafts(userId: string, f: { keyword?: string; typeCodes?: string[] }, p: Page) {
      const conds = [eq(evtEvent.creatorId, userId), eq(evtEvent.status, 'draft')];
      if (f.keyword) conds.push(keywordOn(f.keyword));
      if (f.typeCodes) conds.push(typeOrBelow(f.typeCodes));
      const where = and(...conds);
      const [items, [counted]] = await Promise.all([
        eventPage(where, 'updatedAt', 'desc', p.pageSize, (p.page - 1) * p.pageSize),
        db.select({ n: count() }).from(evtEvent).where(where),
      ]);
      return { items, total: counted?.n ?? 0 };
    },

    /** Nodes of the organisation in one to-do box, soonest deadline first. */
    async todos(orgId: string, f: TodoFilter, p: Page) {
      const { where, eventConds } = todoConditions(orgId, f);

      const pendingRequest = sql<RequestKind | null>`(select r.kind from evt_request r
        where r.event_id = ${evtNode.eventId} and r.node_id = ${evtNode.id} and r.status = 'pending' order by r.created_at desc limit 1)`;
      const items = db
        .select({
          nodeId: evtNode.id,
          eventId: evtNode.eventId,
          no: evtEvent.no,
          title: evtEvent.title,
          typeName: sql<string>`coalesce((select t.name from evt_type t where t.code = ${evtEvent.typeCode}), ${evtEvent.typeCode})`,
          source: evtEvent.source,
          isKey: evtEvent.isKey,
          supervised: evtEvent.supervised,
          eventStatus: evtEvent.status,
          role: evtNode.role,
          via: evtNode.via,
          status: evtNode.status,
          requirement: evtNode.requirement,
          fromOrgName: evtNode.fromOrgName,
          fromCity: evtNode.fromCity,
          deadline: evtNode.deadline,
          plate: nodePlate,
          signedAt: evtNode.signedAt,
          pendingRequest,
          createdAt: evtNode.createdAt,
        })
        .from(evtNode)
        .innerJoin(evtEvent, eq(evtEvent.id, evtNode.eventId))
        .where(where)
        .orderBy(sql`${evtNode.deadline} asc nulls last`, asc(evtNode.createdAt), asc(evtNode.id))
        .limit(p.pageSize)
        .offset((p.page - 1) * p.pageSize);
      // The count joins the event only when a condition is on the event.
      const counted = eventConds.length
        ? db.select({ n: count() }).from(evtNode).innerJoin(evtEvent, eq(evtEvent.id, evtNode.eventId)).where(where)
        : db.select({ n: count() }).from(evtNode).where(where);
      const [rows, [total]] = await Promise.all([items, counted]);
      return { items: rows, total: total?.n ?? 0 };
    },

    /**
     * The light-plate legend of one to-do box under the list's conditions, in one statement: the
     * box's nodes are read once (org_id, status, deadline index) and counted per plate with `filter`.
     */
    async todoPlates(orgId: string, f: Omit<TodoFilter, 'plate'>) {
      const { where, eventConds } = todoConditions(orgId, f);
      const counts = {
        all: sql<number>`count(*)::int`,
        green: countIf(openNodePlateIs('green')),
        yellow: countIf(openNodePlateIs('yellow')),
        red: countIf(openNodePlateIs('red')),
      };
      const [r] = eventConds.length
        ? await db.select(counts).from(evtNode).innerJoin(evtEvent, eq(evtEvent.id, evtNode.eventId)).where(where)
        : await db.select(counts).from(evtNode).where(where);
      return r ?? { all: 0, green: 0, yellow: 0, red: 0 };
    },

    /**
     * 待办数角标 and plates in one statement: the organisation's open nodes aggregated with
     * `filter`, plus its pending audits and the user's drafts as scalar sub-queries.
     */
    async todoSummary(orgId: string | null, userId: string) {
      const handling = sql`(${evtNode.status} = 'closing' or ${evtNode.role} <> 'cc')`;
      const scalar = (query: SQL) => sql<number>`(${query})::int`;
      const [r] = await db
        .select({
          handle: countIf(BOX_CONDITIONS.handle),
          closing: countIf(BOX_CONDITIONS.closing),
          cc: countIf(BOX_CONDITIONS.cc),
          red: countIf(sql`${handling} and ${openNodePlateIs('red')}`),
          yellow: countIf(sql`${handling} and ${openNodePlateIs('yellow')}`),
          green: countIf(sql`${handling} and ${openNodePlateIs('green')}`),
          // Apart, so that the (often many) waiting nodes are counted from the index alone.
          dispatched: orgId ? scalar(sql`select count(*) from evt_node w where w.org_id = ${orgId} and w.status = 'waiting'`) : sql<number>`0`,
          audits: orgId ? scalar(sql`select count(*) from evt_request r where r.auditor_org_id = ${orgId} and r.status = 'pending'`) : sql<number>`0`,
          drafts: scalar(sql`select count(*) from evt_event d where d.creator_id = ${userId} and d.status = 'draft'`),
        })
        .from(evtNode)
        .where(orgId ? and(eq(evtNode.orgId, orgId), inArray(evtNode.status, ['todo', 'closing'])) : sql`false`);
      return r!;
    },

    /** 审核查询: requests with the event's number, title, 重点 flag and source. */
    async requests(orgId: string, f: RequestFilter, p: Page) {
      const conds: SQL[] = [];
      if (f.box === 'todo') conds.push(eq(evtRequest.auditorOrgId, orgId), eq(evtRequest.status, 'pending'));
      if (f.box === 'audited') conds.push(eq(evtRequest.auditorOrgId, orgId), inArray(evtRequest.status, ['approved', 'refused']));
      if (f.box === 'mine') conds.push(eq(evtRequest.applicantOrgId, orgId));
      if (f.kind) conds.push(eq(evtRequest.kind, f.kind));
      if (f.status) conds.push(eq(evtRequest.status, f.status));
      if (f.auditedFrom) conds.push(gte(evtRequest.auditedAt, f.auditedFrom));
      if (f.auditedTo) conds.push(lte(evtRequest.auditedAt, f.auditedTo));
      const eventConds: SQL[] = [];
      if (f.keyword) eventConds.push(keywordOn(f.keyword));
      if (f.source) eventConds.push(eq(evtEvent.source, f.source));
      const where = and(...conds, ...eventConds);
      const newest = f.box === 'audited' ? [sql`${evtRequest.auditedAt} desc nulls last`] : [];

      const items = db
        .select({
          id: evtRequest.id,
          eventId: evtRequest.eventId,
          eventNo: evtEvent.no,
          eventTitle: evtEvent.title,
          isKey: evtEvent.isKey,
          source: evtEvent.source,
          nodeId: evtRequest.nodeId,
          kind: evtRequest.kind,
          status: evtRequest.status,
          reason: evtRequest.reason,
          oldDeadline: evtRequest.oldDeadline,
          newDeadline: evtRequest.newDeadline,
          applicantOrgName: evtRequest.applicantOrgName,
          applicantName: evtRequest.applicantName,
          auditorOrgName: evtRequest.auditorOrgName,
          auditorName: evtRequest.auditorName,
          auditOpinion: evtRequest.auditOpinion,
          createdAt: evtRequest.createdAt,
          auditedAt: evtRequest.auditedAt,
        })
        .from(evtRequest)
        .innerJoin(evtEvent, eq(evtEvent.id, evtRequest.eventId))
        .where(where)
        .orderBy(...newest, desc(evtRequest.createdAt), desc(evtRequest.id))
        .limit(p.pageSize)
        .offset((p.page - 1) * p.pageSize);
      const counted = eventConds.length
        ? db.select({ n: count() }).from(evtRequest).innerJoin(evtEvent, eq(evtEvent.id, evtRequest.eventId)).where(where)
        : db.select({ n: count() }).from(evtRequest).where(where);
      const [rows, [total]] = await Promise.all([items, counted]);
      return { items: rows, total: total?.n ?? 0 };
    },
  };
}
export type EventQueryRepository = ReturnType<typeof eventQueryRepository>;
