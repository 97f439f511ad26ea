import { and, asc, eq, ilike, inArray, isNull, like, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { sysOrg } from './org.table.js';
import { likeEscape } from '../../core/text.js';


/** Organisations as 人员管理 needs them: lookups, the lazy tree and its search. */
export function userOrgRepository(db: DbOrTx) {
  const node = {
    id: sysOrg.id,
    parentId: sysOrg.parentId,
    name: sysOrg.name,
    path: sysOrg.path,
    level: sysOrg.level,
    enabled: sysOrg.enabled,
    hasChildren: sql<boolean>`exists (select 1 from sys_org c where c.parent_id = "sys_org"."id")`,
  };
  const order = [asc(sysOrg.sort), asc(sysOrg.name)];

  return {
    async byId(id: string) {
      const [o] = await db.select({ id: sysOrg.id, name: sysOrg.name, path: sysOrg.path }).from(sysOrg).where(eq(sysOrg.id, id));
      return o;
    },

    /** The organisations at these paths (the tops of an admin scope), or the roots for '/'. */
    async atPaths(paths: string[]) {
      if (!paths.length) return [];
      const cond = paths.includes('/') ? isNull(sysOrg.parentId) : inArray(sysOrg.path, paths);
      return db.select(node).from(sysOrg).where(cond).orderBy(...order);
    },

    async children(parentId: string, scope: SQL) {
      return db.select(node).from(sysOrg).where(and(eq(sysOrg.parentId, parentId), scope)).orderBy(...order);
    },

    async search(keyword: string, scope: SQL, limit = 50) {
      const k = likeEscape(keyword);
      return db
        .select(node)
        .from(sysOrg)
        .where(and(scope, or(ilike(sysOrg.name, `%${k}%`), ilike(sysOrg.code, `${k}%`), like(sysOrg.pinyin, `${k.toLowerCase()}%`))))
        .orderBy(sql`length(${sysOrg.path})`, ...order)
        .limit(limit);
    },

    async names(ids: string[]) {
      if (!ids.length) return new Map<string, string>();
      const rows = await db.select({ id: sysOrg.id, name: sysOrg.name }).from(sysOrg).where(inArray(sysOrg.id, ids));
      return new Map(rows.map((r) => [r.id, r.name]));
    },
  };
}
export type UserOrgRepository = ReturnType<typeof userOrgRepository>;
