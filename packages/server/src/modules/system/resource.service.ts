import type { z } from 'zod';
import type { BatchResult, Resource, ResourceBody, ResourceMoveBody, ResourceNode, ResourceQuery, ResourceTree } from '@cityops/contracts';
import type { Db } from '../../core/db.js';
import { runBatch } from '../../core/batch.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import { resourceRepository, type ResourceRow } from './resource.repository.js';
import { isUuid } from '../../core/ids.js';
import { isUniqueViolation } from '../../core/db-errors.js';
import { listNames } from '../../core/text.js';

type Body = z.output<typeof ResourceBody>;
type Query = z.output<typeof ResourceQuery>;
type Move = z.output<typeof ResourceMoveBody>;



export const toResource = (r: ResourceRow): Resource => ({
  id: r.id,
  parentId: r.parentId,
  type: r.type,
  name: r.name,
  code: r.code,
  route: r.route,
  serviceUrl: r.serviceUrl,
  icon: r.icon,
  sort: r.sort,
  access: r.access,
  securityLevel: r.securityLevel,
  permission: r.permission,
  builtin: r.builtin,
  enabled: r.enabled,
});

const TYPE_NAMES = { directory: '目录', menu: '菜单', button: '按钮' } as const;

/** Whether a row passes the smart search (keyword) and the advanced search (every other field). */
export function matchesResource(r: ResourceRow, q: Query): boolean {
  const has = (text: string, part: string) => text.toLowerCase().includes(part.toLowerCase());
  const starts = (text: string, part: string) => text.toLowerCase().startsWith(part.toLowerCase());
  if (q.keyword && !(has(r.name, q.keyword) || starts(r.code, q.keyword))) return false;
  if (q.name && !has(r.name, q.name)) return false;
  if (q.code && !starts(r.code, q.code)) return false;
  if (q.access && r.access !== q.access) return false;
  if (q.securityLevel !== undefined && r.securityLevel !== q.securityLevel) return false;
  if (q.enabled !== undefined && r.enabled !== q.enabled) return false;
  return true;
}

/**
 * The tree of the rows that match, each placed under its ancestors (shown with matched=false when
 * they do not match themselves). Without conditions: the whole tree.
 */
export function buildResourceTree(rows: ResourceRow[], grants: Map<string, number>, q: Query): ResourceTree {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const childCount = new Map<string, number>();
  for (const r of rows) if (r.parentId) childCount.set(r.parentId, (childCount.get(r.parentId) ?? 0) + 1);

  const matched = new Set(rows.filter((r) => matchesResource(r, q)).map((r) => r.id));
  const shown = new Set<string>();
  for (const id of matched) {
    for (let cur = byId.get(id), guard = 0; cur && !shown.has(cur.id) && guard < 64; cur = cur.parentId ? byId.get(cur.parentId) : undefined, guard++) {
      shown.add(cur.id);
    }
  }

  const kids = new Map<string | null, ResourceRow[]>();
  for (const r of rows) {
    if (!shown.has(r.id)) continue;
    const parent = r.parentId && byId.has(r.parentId) ? r.parentId : null;
    kids.set(parent, [...(kids.get(parent) ?? []), r]);
  }
  const build = (parentId: string | null, depth: number): ResourceNode[] =>
    (kids.get(parentId) ?? [])
      .sort((a, b) => a.sort - b.sort || a.name.localeCompare(b.name, 'zh-CN'))
      .map((r) => ({
        ...toResource(r),
        parentName: r.parentId ? (byId.get(r.parentId)?.name ?? null) : null,
        childCount: childCount.get(r.id) ?? 0,
        grantCount: grants.get(r.id) ?? 0,
        matched: matched.has(r.id),
        children: depth < 32 ? build(r.id, depth + 1) : [],
      }));

  return {
    items: build(null, 0),
    matched: matched.size,
    counts: {
      total: rows.length,
      directory: rows.filter((r) => r.type === 'directory').length,
      menu: rows.filter((r) => r.type === 'menu').length,
      button: rows.filter((r) => r.type === 'button').length,
      disabled: rows.filter((r) => !r.enabled).length,
    },
  };
}

/** The ids of `id` and every resource below it. */
function subtreeIds(rows: ResourceRow[], id: string): Set<string> {
  const out = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of rows) {
      if (r.parentId && out.has(r.parentId) && !out.has(r.id)) {
        out.add(r.id);
        grew = true;
      }
    }
  }
  return out;
}

/**
 * 功能资源: the menu tree, pages and buttons, their security policy and permission codes. Built-in
 * resources (seeded by code) may be edited and disabled but not deleted, and their code, type,
 * route and permission stay as the code defines them.
 */
export function resourceService(db: Db) {
  const repo = resourceRepository(db);

  const load = async (r: ReturnType<typeof resourceRepository>, id: string) => {
    const row = isUuid(id) ? await r.byId(id) : undefined;
    if (!row) throw new NotFound('功能资源不存在或已删除');
    return row;
  };

  /** The rules about where a resource of `type` may sit. */
  const checkParent = async (r: ReturnType<typeof resourceRepository>, type: Body['type'], parentId: string | null, selfId?: string) => {
    if (!parentId) {
      if (type === 'button') throw new Invalid('按钮须放在菜单下，请选择上级菜单');
      return null;
    }
    const parent = isUuid(parentId) ? await r.byId(parentId) : undefined;
    if (!parent) throw new Invalid('上级功能不存在或已删除');
    if (parent.type === 'button') throw new Invalid(`上级功能「${parent.name}」是按钮，按钮下不能再添加下级功能`);
    if (type === 'button' && parent.type !== 'menu') throw new Invalid(`按钮的上级须为菜单，「${parent.name}」是${TYPE_NAMES[parent.type]}`);
    if (selfId && subtreeIds(await r.all(), selfId).has(parent.id)) {
      throw new Invalid('不能把功能移到它自己或它的下级功能之下');
    }
    return parent;
  };

  const checkCode = async (r: ReturnType<typeof resourceRepository>, code: string, selfId?: string) => {
    const same = await r.byCode(code);
    if (same && same.id !== selfId) throw new Conflict(`自定义编码「${code}」已被「${same.name}」使用`);
  };

  /** Columns of a body as stored (buttons have no route). */
  const columns = (b: Body) => ({
    parentId: b.parentId,
    type: b.type,
    name: b.name,
    code: b.code,
    route: b.type === 'button' ? null : b.route,
    serviceUrl: b.serviceUrl,
    icon: b.icon,
    sort: b.sort,
    access: b.access,
    securityLevel: b.securityLevel,
    permission: b.permission,
    enabled: b.enabled,
  });

  const uniqueGuard = async <T>(code: string, fn: () => Promise<T>) => {
    try {
      return await fn();
    } catch (err) {
      if (isUniqueViolation(err)) throw new Conflict(`自定义编码「${code}」已被使用`);
      throw err;
    }
  };

  return {
    async tree(q: Query): Promise<ResourceTree> {
      const [rows, grants] = await Promise.all([repo.all(), repo.grantCounts()]);
      return buildResourceTree(rows, grants, q);
    },

    async get(id: string): Promise<Resource> {
      return toResource(await load(repo, id));
    },

    async create(b: Body): Promise<Resource> {
      return uniqueGuard(b.code, () =>
        db.transaction(async (tx) => {
          const r = resourceRepository(tx);
          await checkParent(r, b.type, b.parentId);
          await checkCode(r, b.code);
          return toResource(await r.insert({ ...columns(b), builtin: false }));
        }),
      );
    },

    async update(id: string, b: Body): Promise<Resource> {
      return uniqueGuard(b.code, () =>
        db.transaction(async (tx) => {
          const r = resourceRepository(tx);
          const cur = await load(r, id);
          if (cur.builtin) {
            const changed: string[] = [];
            if (b.code !== cur.code) changed.push('自定义编码');
            if (b.type !== cur.type) changed.push('类型');
            if ((b.type === 'button' ? null : b.route) !== cur.route) changed.push('功能地址');
            if (b.permission !== cur.permission) changed.push('权限标识');
            if (changed.length) throw new Invalid(`「${cur.name}」是内置功能，${changed.join('、')}不能修改`);
          }
          if (b.parentId !== cur.parentId || b.type !== cur.type) await checkParent(r, b.type, b.parentId, cur.id);
          if (b.type !== cur.type) {
            const kids = await r.children(cur.id);
            if (b.type === 'button' && kids.length) throw new Invalid(`该功能下还有 ${kids.length} 个下级功能，不能改为按钮`);
            const buttons = kids.filter((k) => k.type === 'button').length;
            if (b.type === 'directory' && buttons) throw new Invalid(`该菜单下还有 ${buttons} 个按钮，不能改为目录`);
          }
          if (b.code !== cur.code) await checkCode(r, b.code, cur.id);
          return toResource((await r.update(cur.id, columns(b)))!);
        }),
      );
    },

    /** Puts a resource under `parentId` at `position` among its siblings, renumbering their order 10, 20, 30… */
    async move(id: string, m: Move): Promise<Resource> {
      return db.transaction(async (tx) => {
        const r = resourceRepository(tx);
        await r.lockTree();
        const cur = await load(r, id);
        if (m.parentId !== cur.parentId) await checkParent(r, cur.type, m.parentId, cur.id);
        const siblings = (await r.children(m.parentId)).filter((s) => s.id !== cur.id);
        siblings.splice(Math.min(m.position, siblings.length), 0, cur);
        for (const [i, s] of siblings.entries()) {
          const sort = (i + 1) * 10;
          if (s.id === cur.id) continue;
          if (s.sort !== sort) await r.setSort(s.id, sort);
        }
        const index = siblings.findIndex((s) => s.id === cur.id);
        return toResource((await r.update(cur.id, { parentId: m.parentId, sort: (index + 1) * 10 }))!);
      });
    },

    async setEnabled(ids: string[], enabled: boolean): Promise<BatchResult> {
      return runBatch(ids, async (id) => {
        await load(repo, id);
        await repo.setEnabled(id, enabled);
      });
    },

    /**
     * Deletes resources with their grants to roles. Built-in resources and resources with children
     * are refused; within one batch, lower levels go first so a folder and its content can go together.
     */
    async remove(ids: string[]): Promise<BatchResult> {
      const rows = await repo.all();
      const byId = new Map(rows.map((r) => [r.id, r]));
      const depth = (id: string) => {
        let d = 0;
        for (let cur = byId.get(id); cur?.parentId && d < 64; cur = byId.get(cur.parentId)) d++;
        return d;
      };
      return runBatch(ids, (id) =>
        db.transaction(async (tx) => {
          const r = resourceRepository(tx);
          const cur = await load(r, id);
          if (cur.builtin) throw new Invalid(`「${cur.name}」是内置功能，不能删除（可以禁用）`);
          const n = await r.childCount(cur.id);
          if (n) throw new Conflict(`「${cur.name}」下还有 ${n} 个下级功能，不能删除`);
          await r.delete(cur.id);
        }),
        (list) => list.sort((a, b) => depth(b) - depth(a)),
      );
    },

    /** Names for the operation log, e.g. "操作日志、导出操作日志". */
    async namesOf(ids: string[]): Promise<string> {
      const byId = new Map((await repo.byIds(ids.filter(isUuid))).map((r) => [r.id, r.name]));
      const names = ids.map((id) => byId.get(id)).filter((n): n is string => !!n);
      return listNames(names) || ids.join('、').slice(0, 200);
    },
  };
}
export type ResourceService = ReturnType<typeof resourceService>;
