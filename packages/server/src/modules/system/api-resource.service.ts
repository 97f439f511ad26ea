import type { z } from 'zod';
import type { ApiNamespace, ApiResource, ApiResourceBody, ApiResourceGroups, ApiResourceQuery, BatchResult } from '@cityops/contracts';
import type { Db } from '../../core/db.js';
import { runBatch } from '../../core/batch.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import { apiResourceRepository, type ApiResourceRepository, type ApiResourceRow } from './api-resource.repository.js';
import { isUuid } from '../../core/ids.js';
import { apiCatalogue } from './seed/api-resources.js';
import { listNames } from '../../core/text.js';

type Body = z.output<typeof ApiResourceBody>;
type Query = z.output<typeof ApiResourceQuery>;

const TYPE_NAMES = { namespace: '命名空间', service: '普通服务' } as const;

/** Addresses registered from the API's own endpoints: these rows are built in. */
export function builtinAddresses(catalogue = apiCatalogue()) {
  return {
    namespaces: new Set(catalogue.map((n) => n.url)),
    services: new Set(catalogue.flatMap((n) => n.services.map((s) => s.url))),
  };
}

export const toApiResource = (r: ApiResourceRow, builtin: boolean): ApiResource => ({
  id: r.id,
  parentId: r.parentId,
  type: r.type,
  name: r.name,
  url: r.url,
  sort: r.sort,
  enabled: r.enabled,
  createdAt: r.createdAt.toISOString(),
  builtin,
});

/**
 * Namespaces with their services, filtered: a namespace whose name or address contains the keyword
 * comes with all its services, otherwise only with the services that match.
 */
export function groupApiResources(rows: ApiResourceRow[], q: Query, isBuiltin: (r: ApiResourceRow) => boolean): ApiResourceGroups {
  const has = (r: ApiResourceRow) => !q.keyword || [r.name, r.url].some((t) => t.toLowerCase().includes(q.keyword!.toLowerCase()));
  const state = (r: ApiResourceRow) => q.enabled === undefined || r.enabled === q.enabled;
  const dto = (r: ApiResourceRow) => toApiResource(r, isBuiltin(r));
  const order = (a: ApiResourceRow, b: ApiResourceRow) => a.sort - b.sort || a.createdAt.getTime() - b.createdAt.getTime();

  const items: ApiNamespace[] = [];
  for (const ns of rows.filter((r) => r.type === 'namespace').sort(order)) {
    const all = rows.filter((r) => r.type === 'service' && r.parentId === ns.id).sort(order);
    const nsMatch = q.type !== 'service' && has(ns) && state(ns);
    const children = q.type === 'namespace' ? [] : all.filter((s) => state(s) && (has(s) || (has(ns) && !!q.keyword)));
    if (!nsMatch && !children.length) continue;
    items.push({ ...dto(ns), serviceCount: all.length, matched: nsMatch, children: children.map(dto) });
  }
  return {
    items,
    counts: {
      namespaces: rows.filter((r) => r.type === 'namespace').length,
      services: rows.filter((r) => r.type === 'service').length,
      disabled: rows.filter((r) => !r.enabled).length,
    },
  };
}

/**
 * 接口服务网址资源: the addresses of the API, grouped in namespaces. The API's own endpoints are
 * registered at start (seed/api-resources.ts): their address and name follow the code, they can be
 * disabled and reordered but not deleted.
 */
export function apiResourceService(db: Db) {
  const repo = apiResourceRepository(db);
  const builtin = builtinAddresses();
  const isBuiltin = (r: Pick<ApiResourceRow, 'type' | 'url'>) =>
    r.type === 'namespace' ? builtin.namespaces.has(r.url) : builtin.services.has(r.url);

  const load = async (r: ApiResourceRepository, id: string) => {
    const row = isUuid(id) ? await r.byId(id) : undefined;
    if (!row) throw new NotFound('接口服务资源不存在或已删除');
    return row;
  };

  const checkParent = async (r: ApiResourceRepository, b: Body) => {
    if (b.type === 'namespace') return;
    const parent = isUuid(b.parentId) ? await r.byId(b.parentId) : undefined;
    if (!parent) throw new Invalid('所属命名空间不存在或已删除');
    if (parent.type !== 'namespace') throw new Invalid(`普通服务须放在命名空间下，「${parent.name}」是普通服务`);
  };

  const checkUrl = async (r: ApiResourceRepository, b: Body, selfId?: string) => {
    const same = (await r.byUrl(b.type, b.url)).find((x) => x.id !== selfId);
    if (same) throw new Conflict(`地址「${b.url}」已登记为${TYPE_NAMES[b.type]}「${same.name}」`);
  };

  const toDto = (r: ApiResourceRow) => toApiResource(r, isBuiltin(r));

  return {
    async groups(q: Query): Promise<ApiResourceGroups> {
      return groupApiResources(await repo.all(), q, isBuiltin);
    },

    async create(b: Body): Promise<ApiResource> {
      return db.transaction(async (tx) => {
        const r = apiResourceRepository(tx);
        await r.lock();
        await checkParent(r, b);
        await checkUrl(r, b);
        return toDto(await r.insert({ type: b.type, parentId: b.type === 'service' ? b.parentId : null, name: b.name, url: b.url, sort: b.sort, enabled: b.enabled }));
      });
    },

    async update(id: string, b: Body): Promise<ApiResource> {
      return db.transaction(async (tx) => {
        const r = apiResourceRepository(tx);
        await r.lock();
        const cur = await load(r, id);
        if (isBuiltin(cur)) {
          const locked = cur.type === 'service' ? (b.url !== cur.url || b.name !== cur.name || b.type !== cur.type) : b.url !== cur.url || b.type !== cur.type;
          if (locked) {
            throw new Invalid(
              cur.type === 'service'
                ? `「${cur.name}」是系统接口，名称、地址和类型由系统登记，不能修改`
                : `「${cur.name}」是系统接口命名空间，地址和类型不能修改`,
            );
          }
        }
        if (cur.type === 'namespace' && b.type === 'service') {
          const n = await r.childCount(cur.id);
          if (n) throw new Invalid(`命名空间「${cur.name}」下还有 ${n} 个服务，不能改为普通服务`);
        }
        if (b.parentId === cur.id) throw new Invalid('不能把服务放在它自己之下');
        await checkParent(r, b);
        await checkUrl(r, b, cur.id);
        return toDto((await r.update(cur.id, { type: b.type, parentId: b.type === 'service' ? b.parentId : null, name: b.name, url: b.url, sort: b.sort, enabled: b.enabled }))!);
      });
    },

    async setEnabled(ids: string[], enabled: boolean): Promise<BatchResult> {
      return runBatch(ids, async (id) => {
        await load(repo, id);
        await repo.setEnabled(id, enabled);
      });
    },

    /** Deletes entries; a namespace that still holds services and the API's own entries are refused. Services go first. */
    async remove(ids: string[]): Promise<BatchResult> {
      const rows = new Map((await repo.byIds(ids.filter(isUuid))).map((r) => [r.id, r]));
      const rank = (id: string) => (rows.get(id)?.type === 'namespace' ? 1 : 0);
      return runBatch(ids, (id) =>
        db.transaction(async (tx) => {
          const r = apiResourceRepository(tx);
          await r.lock();
          const cur = await load(r, id);
          if (isBuiltin(cur)) {
            throw new Invalid(
              cur.type === 'service'
                ? `「${cur.name}」是系统接口，由系统自动登记，不能删除（可以禁用）`
                : `「${cur.name}」是系统接口命名空间，不能删除（可以禁用）`,
            );
          }
          const n = cur.type === 'namespace' ? await r.childCount(cur.id) : 0;
          if (n) throw new Conflict(`命名空间「${cur.name}」下还有 ${n} 个服务，不能删除`);
          await r.delete(cur.id);
        }),
        (list) => list.sort((a, b) => rank(a) - rank(b)),
      );
    },

    async namesOf(ids: string[]): Promise<string> {
      const byId = new Map((await repo.byIds(ids.filter(isUuid))).map((r) => [r.id, r.name]));
      const names = ids.map((id) => byId.get(id)).filter((n): n is string => !!n);
      return listNames(names) || ids.join('、').slice(0, 200);
    },
  };
}
export type ApiResourceService = ReturnType<typeof apiResourceService>;
