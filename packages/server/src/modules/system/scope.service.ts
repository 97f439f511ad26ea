import type { AccessVersion } from '../../core/access-version.js';
import { and, eq, like, ne, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../core/db.js';
import { Forbidden, NotFound } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import { ORG_TAG_CITY_CENTRE, ORG_TAG_TOWN_CENTRE, SUPER_PERMISSION } from '@cityops/contracts';
import { sysOrg } from './org.table.js';
import { sysRole, sysRoleOrgScope } from './role.table.js';
import { sysUserRole } from './user.table.js';

/** 本级: the user's own organisation; 下级: its descendants. */
export type DataScope = 'self' | 'children' | 'selfAndChildren';

/** The organisations of an event list's 本级 / 下级 scope. */
export interface EventScope {
  /** 本级: the user's organisation, and the organisation a 城运中心 acts for. */
  self: string[];
  /** 下级: every other organisation under the scope root. */
  children: string[];
  /** True when self + children are every organisation (lets lists drop the filter). */
  all: boolean;
}

/** True when `orgPath` is one of `scopePaths` or lies below one of them. */
export const pathInScope = (scopePaths: string[], orgPath: string) => scopePaths.some((p) => orgPath.startsWith(p));

/**
 * Organisation scope, written once: which organisations a user administers (admin roles) and
 * which data they see (本级/下级). Every module that filters by organisation calls this.
 */
export function scopeService(db: DbOrTx, version?: AccessVersion) {
  const orgPath = async (orgId: string) => {
    const [o] = await db.select({ path: sysOrg.path }).from(sysOrg).where(eq(sysOrg.id, orgId));
    if (!o) throw new NotFound('组织机构不存在');
    return o.path;
  };

  return {
    /**
     * Paths of the organisation trees the user may administer: everything for super users, the
     * scopes of their valid admin roles otherwise (empty: none).
     */
    async adminPaths(p: Principal): Promise<string[]> {
      if (p.permissions.includes(SUPER_PERMISSION)) return ['/'];
      const rows = await db
        .select({ path: sysOrg.path })
        .from(sysUserRole)
        .innerJoin(sysRole, eq(sysRole.id, sysUserRole.roleId))
        .innerJoin(sysRoleOrgScope, eq(sysRoleOrgScope.roleId, sysRole.id))
        .innerJoin(sysOrg, eq(sysOrg.id, sysRoleOrgScope.orgId))
        .where(
          and(
            eq(sysUserRole.userId, p.id),
            eq(sysRole.isAdmin, true),
            eq(sysRole.enabled, true),
            sql`(${sysRole.validFrom} is null or ${sysRole.validFrom} <= now())`,
            sql`(${sysRole.validTo} is null or ${sysRole.validTo} > now())`,
          ),
        );
      return [...new Set(rows.map((r) => r.path))];
    },

    /** Throws 403 unless the user administers the organisation `orgId`. */
    async assertCanManageOrg(p: Principal, orgId: string, what = '该组织') {
      const [paths, path] = await Promise.all([this.adminPaths(p), orgPath(orgId)]);
      if (!pathInScope(paths, path)) throw new Forbidden(`${what}不在您的管理范围内`, 'OUT_OF_SCOPE');
    },

    /** SQL: the org path in `pathColumn` lies within the user's administered trees. */
    adminCondition(paths: string[], pathColumn: AnyColumn | SQL): SQL {
      if (!paths.length) return sql`false`;
      if (paths.includes('/')) return sql`true`;
      return or(...paths.map((p) => like(pathColumn as AnyColumn, `${p}%`)))!;
    },

    /** SQL: the org path in `pathColumn` lies in the user's data scope. */
    dataCondition(p: Principal, scope: DataScope, pathColumn: AnyColumn): SQL {
      if (!p.orgPath) return sql`false`;
      if (scope === 'self') return eq(pathColumn, p.orgPath);
      if (scope === 'children') return and(like(pathColumn, `${p.orgPath}%`), ne(pathColumn, p.orgPath))!;
      return like(pathColumn, `${p.orgPath}%`);
    },

    /**
     * The 本级 / 下级 organisations of the event hub's lists (two small queries). The scope root is the
     * user's organisation, except for a 市级/镇街城运中心: it acts for its parent (the city, the town).
     */
    async eventScope(p: Principal): Promise<EventScope> {
      if (!p.orgId) return { self: [], children: [], all: false };
      const orgId = p.orgId;
      return version ? version.cached(`scope:${orgId}`, 300, () => this.computeEventScope(orgId)) : this.computeEventScope(orgId);
    },

    async computeEventScope(orgId: string): Promise<EventScope> {
      const parent = alias(sysOrg, 'parent');
      const [me] = await db
        .select({ id: sysOrg.id, tags: sysOrg.tags, path: sysOrg.path, parentId: parent.id, parentPath: parent.path })
        .from(sysOrg)
        .leftJoin(parent, eq(parent.id, sysOrg.parentId))
        .where(eq(sysOrg.id, orgId));
      if (!me) return { self: [], children: [], all: false };
      const centre = !!me.parentId && (me.tags.includes(ORG_TAG_CITY_CENTRE) || me.tags.includes(ORG_TAG_TOWN_CENTRE));
      const root = centre ? me.parentPath! : me.path;
      const self = centre ? [me.id, me.parentId!] : [me.id];
      const rows = await db
        .select({ id: sysOrg.id, total: sql<number>`(select count(*) from sys_org)::int` })
        .from(sysOrg)
        .where(like(sysOrg.path, `${root}%`));
      const children = rows.map((r) => r.id).filter((id) => !self.includes(id));
      return { self, children, all: rows.length > 0 && rows.length === Number(rows[0]!.total) };
    },
  };
}
export type ScopeService = ReturnType<typeof scopeService>;
