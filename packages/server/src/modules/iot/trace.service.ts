import { TRACE_COUNT_CAP, type TraceDetail, type TraceItem, type TraceListQuery, type TracePage } from '@cityops/contracts';
import type { z } from 'zod';
import type { DbOrTx } from '../../core/db.js';
import { NotFound } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import type { DeviceScopes } from './device-scope.js';
import { traceRepository } from './trace.repository.js';

type Row = Awaited<ReturnType<ReturnType<typeof traceRepository>['list']>>['items'][number];

const toItem = (r: Row): TraceItem => ({
  ...r,
  ts: r.ts.toISOString(),
  direction: r.direction as TraceItem['direction'],
  channel: r.channel as TraceItem['channel'],
  kind: r.kind as TraceItem['kind'],
  result: r.result as TraceItem['result'],
});

/** 消息追踪: the trace of the devices the user sees (messages of unknown devices: users who see all). */
export function traceService(d: { db: DbOrTx; scopes: DeviceScopes }) {
  const repo = traceRepository(d.db);
  return {
    async list(user: Principal, q: z.output<typeof TraceListQuery>): Promise<TracePage> {
      const f = { ...q, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined };
      const { items, total } = await repo.list(await d.scopes.of(user), f, q.page, q.pageSize, TRACE_COUNT_CAP);
      return { items: items.map(toItem), total: Math.min(total, TRACE_COUNT_CAP), capped: total > TRACE_COUNT_CAP, page: q.page, pageSize: q.pageSize };
    },

    async get(user: Principal, id: number): Promise<TraceDetail> {
      const r = await repo.get(id);
      const scope = await d.scopes.of(user);
      if (!r || !(scope.all || (r.deviceOrgId && d.scopes.covers(scope, r.deviceOrgId)))) throw new NotFound('消息不存在或不在您的管理范围内');
      const { deviceOrgId: _, payload, ...rest } = r;
      return { ...toItem(rest), payload };
    },
  };
}
export type TraceService = ReturnType<typeof traceService>;
