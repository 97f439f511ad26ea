import type { z } from 'zod';
import { EVENT_COUNT_CAP, type AuditRequest, type DraftListQuery, type EventListQuery, type EventRow, type RequestListQuery, type TodoListQuery, type TodoPlateCounts, type TodoPlateQuery, type TodoRow, type TodoSummary } from '@cityops/contracts';
import type { DbOrTx } from '../../core/db.js';
import { Invalid } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import type { ScopeService } from '../system/scope.service.js';
import type { EventTypeService } from './event-type.service.js';
import { eventQueryRepository, type EventFilter, type TodoFilter } from './event-query.repository.js';

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** An ISO date-time filter; a malformed one is a 400, not a database error. */
export function dateParam(s: string | undefined, label: string): Date | undefined {
  if (!s) return undefined;
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw new Invalid(`${label}格式不正确`);
  return d;
}

type EventPageRow = Awaited<ReturnType<ReturnType<typeof eventQueryRepository>['events']>>['items'][number];

export const toEventRow = (r: EventPageRow): EventRow => ({
  id: r.id,
  no: r.no,
  title: r.title,
  source: r.source,
  typeCode: r.typeCode,
  typeName: r.typeName ?? r.typeCode,
  isKey: r.isKey,
  supervised: r.supervised,
  regionCode: r.regionCode,
  regionName: r.regionName,
  status: r.status,
  plate: r.plate,
  deadline: iso(r.deadline),
  creatorOrgName: r.creatorOrgName,
  cityDispatchedAt: iso(r.cityDispatchedAt),
  occurredAt: iso(r.occurredAt),
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

type RequestRow = Awaited<ReturnType<ReturnType<typeof eventQueryRepository>['requests']>>['items'][number];

export const toAuditRequest = (r: RequestRow): AuditRequest => ({
  ...r,
  oldDeadline: iso(r.oldDeadline),
  newDeadline: iso(r.newDeadline),
  createdAt: r.createdAt.toISOString(),
  auditedAt: iso(r.auditedAt),
});

const empty = <T>(q: { page: number; pageSize: number }): Paged<T> => ({ items: [], total: 0, page: q.page, pageSize: q.pageSize });

/**
 * 事件查询, 草稿箱, 我的待办 and 审核查询: every list is limited on the server to what the user may
 * see — their organisation's scope (本级 / 下级, a 城运中心 acting for its parent), their own
 * timeline entries (我参与), drafts and to-dos.
 */
export function eventQueryService(d: { db: DbOrTx; scope: ScopeService; types: Pick<EventTypeService, 'codesUnder'> }) {
  const repo = eventQueryRepository(d.db);
  /** A type filter covers the types below it, expanded from the cached catalogue. */
  const typeCodes = async (code: string | undefined) => (code ? d.types.codesUnder(code) : undefined);

  /** The conditions of a to-do box shared by its list and its plate legend (the plate aside). */
  const todoFilterOf = async (q: z.infer<typeof TodoPlateQuery>): Promise<Omit<TodoFilter, 'plate'>> => ({
    box: q.box,
    keyword: q.keyword || undefined,
    typeCodes: await typeCodes(q.typeCode),
    source: q.source,
    createdFrom: dateParam(q.createdFrom, '开始时间'),
    createdTo: dateParam(q.createdTo, '结束时间'),
    deadlineBefore: dateParam(q.deadlineBefore, '办理期限'),
  });

  async function filterOf(user: Principal, q: EventListQuery): Promise<EventFilter> {
    return {
      view: q.view,
      userId: user.id,
      scope: await d.scope.eventScope(user),
      which: q.scope,
      keyword: q.keyword || undefined,
      createdFrom: dateParam(q.createdFrom, '创建开始时间'),
      createdTo: dateParam(q.createdTo, '创建结束时间'),
      source: q.source,
      isKey: q.isKey,
      status: q.status,
      typeCodes: await typeCodes(q.typeCode),
      regionCode: q.regionCode,
      supervised: q.supervised,
      orgName: q.orgName || undefined,
    };
  }

  return {
    /** One page; `total` is exact up to EVENT_COUNT_CAP, beyond it `capped` says “more”. */
    async list(user: Principal, q: EventListQuery): Promise<Paged<EventRow> & { capped: boolean }> {
      const { items, total, capped } = await repo.events(await filterOf(user, q), q.sort, q.order, q, EVENT_COUNT_CAP);
      return { items: items.map(toEventRow), total, capped, page: q.page, pageSize: q.pageSize };
    },

    /** The first `limit` rows of the list and how many match (export). */
    async exportRows(user: Principal, q: EventListQuery, limit: number) {
      const { items, total, capped } = await repo.eventsUpTo(await filterOf(user, q), q.sort, q.order, limit);
      return { rows: items.map(toEventRow), total, truncated: capped };
    },

    async drafts(user: Principal, q: z.infer<typeof DraftListQuery>): Promise<Paged<EventRow>> {
      const { items, total } = await repo.drafts(user.id, { keyword: q.keyword || undefined, typeCodes: await typeCodes(q.typeCode) }, q);
      return { items: items.map(toEventRow), total, page: q.page, pageSize: q.pageSize };
    },

    /** The to-do boxes of the user's organisation. */
    async todos(user: Principal, q: TodoListQuery): Promise<Paged<TodoRow>> {
      if (!user.orgId) return empty(q);
      const { items, total } = await repo.todos(user.orgId, { ...(await todoFilterOf(q)), plate: q.plate }, q);
      const rows = items.map((r) => ({
        ...r,
        deadline: iso(r.deadline),
        signedAt: iso(r.signedAt),
        createdAt: r.createdAt.toISOString(),
      }));
      return { items: rows, total, page: q.page, pageSize: q.pageSize };
    },

    /** The plate legend of a to-do box, under the same conditions as its list. */
    async todoPlates(user: Principal, q: z.infer<typeof TodoPlateQuery>): Promise<TodoPlateCounts> {
      if (!user.orgId) return { all: 0, green: 0, yellow: 0, red: 0 };
      return repo.todoPlates(user.orgId, await todoFilterOf(q));
    },

    /** 待办数角标: to-dos plus audits; plates of the to-dos (待处理 and 待结案). */
    async todoSummary(user: Principal): Promise<TodoSummary> {
      const r = await repo.todoSummary(user.orgId, user.id);
      return {
        total: r.handle + r.closing + r.cc + r.audits,
        handle: r.handle,
        closing: r.closing,
        cc: r.cc,
        dispatched: r.dispatched,
        audits: r.audits,
        drafts: r.drafts,
        plates: { green: r.green, yellow: r.yellow, red: r.red },
      };
    },

    async requests(user: Principal, q: z.infer<typeof RequestListQuery>): Promise<Paged<AuditRequest>> {
      if (!user.orgId) return empty(q);
      const { items, total } = await repo.requests(
        user.orgId,
        {
          box: q.box,
          keyword: q.keyword || undefined,
          kind: q.kind,
          status: q.status,
          source: q.source,
          auditedFrom: dateParam(q.auditedFrom, '审核开始时间'),
          auditedTo: dateParam(q.auditedTo, '审核结束时间'),
        },
        q,
      );
      return { items: items.map(toAuditRequest), total, page: q.page, pageSize: q.pageSize };
    },
  };
}
export type EventQueryService = ReturnType<typeof eventQueryService>;
