import { and, asc, count, desc, eq, ilike, inArray, isNull, like, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { sysOrg } from './org.table.js';
import { sysResource } from './resource.table.js';
import { sysRole, sysRoleGroup, sysRoleOrgScope, sysRoleResource } from './role.table.js';
import { sysUser, sysUserRole } from './user.table.js';
import { likeContains } from '../../core/text.js';

export type RoleRow = typeof sysRole.$inferSelect;
export type NewRole = typeof sysRole.$inferInsert;
export type RoleGroupRow = typeof sysRoleGroup.$inferSelect;
export type GrantRow = { resourceId: string; expiresAt: Date | null };

/** A role as listed: the row with the names of its group and organisation. */
export interface RoleListRow extends RoleRow {
  groupName: string | null;
  orgName: string | null;
}

export interface PageArgs {
  page: number;
  pageSize: number;
}

/** `%…%` for ILIKE, with the wildcard characters of the input escaped. */
export const contains = likeContains;

const offset = (p: PageArgs) => (p.page - 1) * p.pageSize;

/** Roles, their groups, grants, organisation scopes and members. Queries only. */
export function roleRepository(db: DbOrTx) {
  return {
    // ----------------------------------------------------------------------------- groups
    async groups(isAdmin: boolean) {
      return db
        .select({
          id: sysRoleGroup.id,
          name: sysRoleGroup.name,
          sort: sysRoleGroup.sort,
          roleCount: sql<number>`count(${sysRole.id})::int`,
        })
        .from(sysRoleGroup)
        .leftJoin(sysRole, and(eq(sysRole.groupId, sysRoleGroup.id), eq(sysRole.isAdmin, isAdmin)))
        .groupBy(sysRoleGroup.id)
        .orderBy(asc(sysRoleGroup.sort), asc(sysRoleGroup.name));
    },

    async groupById(id: string) {
      const [g] = await db.select().from(sysRoleGroup).where(eq(sysRoleGroup.id, id));
      return g;
    },

    async groupByName(name: string) {
      const [g] = await db.select().from(sysRoleGroup).where(eq(sysRoleGroup.name, name));
      return g;
    },

    async insertGroup(g: { name: string; sort: number }) {
      const [row] = await db.insert(sysRoleGroup).values(g).returning();
      return row!;
    },

    async updateGroup(id: string, g: { name: string; sort: number }) {
      const [row] = await db.update(sysRoleGroup).set(g).where(eq(sysRoleGroup.id, id)).returning();
      return row;
    },

    async deleteGroup(id: string) {
      await db.delete(sysRoleGroup).where(eq(sysRoleGroup.id, id));
    },

    /** Roles of any kind in the group. */
    async rolesInGroup(groupId: string, isAdmin?: boolean) {
      return db
        .select({ id: sysRole.id, name: sysRole.name })
        .from(sysRole)
        .where(and(eq(sysRole.groupId, groupId), isAdmin === undefined ? undefined : eq(sysRole.isAdmin, isAdmin)))
        .orderBy(asc(sysRole.name));
    },

    // ------------------------------------------------------------------------------ roles
    async roleById(id: string) {
      const [r] = await db.select().from(sysRole).where(eq(sysRole.id, id));
      return r;
    },

    async roleByCode(code: string) {
      const [r] = await db.select({ id: sysRole.id }).from(sysRole).where(eq(sysRole.code, code));
      return r;
    },

    async rolesByIds(ids: string[]) {
      if (!ids.length) return [];
      return db.select().from(sysRole).where(inArray(sysRole.id, ids));
    },

    /**
     * Roles of one kind, filtered; `visible` is the caller's scope condition (over sys_role and the
     * owner organisation, joined as sys_org).
     */
    async list(f: { isAdmin: boolean; groupId?: string; keyword?: string; enabled?: boolean; visible: SQL; ids?: string[] }, p: PageArgs) {
      const where = and(
        eq(sysRole.isAdmin, f.isAdmin),
        f.groupId === 'none' ? isNull(sysRole.groupId) : f.groupId ? eq(sysRole.groupId, f.groupId) : undefined,
        f.keyword ? or(ilike(sysRole.name, contains(f.keyword)), ilike(sysRole.code, contains(f.keyword))) : undefined,
        f.enabled === undefined ? undefined : eq(sysRole.enabled, f.enabled),
        f.ids ? inArray(sysRole.id, f.ids) : undefined,
        f.visible,
      );
      const [total] = await db
        .select({ n: count() })
        .from(sysRole)
        .leftJoin(sysOrg, eq(sysOrg.id, sysRole.orgId))
        .where(where);
      const rows = await db
        .select({ role: sysRole, groupName: sysRoleGroup.name, orgName: sysOrg.name })
        .from(sysRole)
        .leftJoin(sysOrg, eq(sysOrg.id, sysRole.orgId))
        .leftJoin(sysRoleGroup, eq(sysRoleGroup.id, sysRole.groupId))
        .where(where)
        .orderBy(desc(sysRole.builtin), asc(sysRoleGroup.sort), asc(sysRole.code))
        .limit(p.pageSize)
        .offset(offset(p));
      return {
        total: total?.n ?? 0,
        items: rows.map((r): RoleListRow => ({ ...r.role, groupName: r.groupName, orgName: r.orgName })),
      };
    },

    /** Role ids among `ids` that satisfy the condition `visible` (same joins as `list`). */
    async idsWhere(ids: string[], visible: SQL) {
      if (!ids.length) return new Set<string>();
      const rows = await db
        .select({ id: sysRole.id })
        .from(sysRole)
        .leftJoin(sysOrg, eq(sysOrg.id, sysRole.orgId))
        .where(and(inArray(sysRole.id, ids), visible));
      return new Set(rows.map((r) => r.id));
    },

    /** Every enabled or disabled role satisfying `visible`, for the assignment pickers. */
    async options(visible: SQL) {
      return db
        .select({
          id: sysRole.id,
          code: sysRole.code,
          name: sysRole.name,
          groupName: sysRoleGroup.name,
          orgName: sysOrg.name,
          isAdmin: sysRole.isAdmin,
          enabled: sysRole.enabled,
        })
        .from(sysRole)
        .leftJoin(sysOrg, eq(sysOrg.id, sysRole.orgId))
        .leftJoin(sysRoleGroup, eq(sysRoleGroup.id, sysRole.groupId))
        .where(visible)
        .orderBy(asc(sysRole.isAdmin), asc(sysRoleGroup.sort), asc(sysRole.code));
    },

    async memberCounts(roleIds: string[]) {
      if (!roleIds.length) return new Map<string, number>();
      const rows = await db
        .select({ roleId: sysUserRole.roleId, n: count() })
        .from(sysUserRole)
        .where(inArray(sysUserRole.roleId, roleIds))
        .groupBy(sysUserRole.roleId);
      return new Map(rows.map((r) => [r.roleId, r.n]));
    },

    async insertRole(r: NewRole) {
      const [row] = await db.insert(sysRole).values(r).returning();
      return row!;
    },

    async updateRole(id: string, r: Partial<NewRole>) {
      const [row] = await db.update(sysRole).set(r).where(eq(sysRole.id, id)).returning();
      return row;
    },

    async deleteRole(id: string) {
      await db.delete(sysRoleResource).where(eq(sysRoleResource.roleId, id));
      await db.delete(sysRoleOrgScope).where(eq(sysRoleOrgScope.roleId, id));
      await db.delete(sysUserRole).where(eq(sysUserRole.roleId, id));
      await db.delete(sysRole).where(eq(sysRole.id, id));
    },

    // ----------------------------------------------------------------------------- grants
    async grants(roleId: string): Promise<GrantRow[]> {
      return db
        .select({ resourceId: sysRoleResource.resourceId, expiresAt: sysRoleResource.expiresAt })
        .from(sysRoleResource)
        .where(eq(sysRoleResource.roleId, roleId));
    },

    async replaceGrants(roleId: string, grants: GrantRow[]) {
      await db.delete(sysRoleResource).where(eq(sysRoleResource.roleId, roleId));
      if (grants.length) await db.insert(sysRoleResource).values(grants.map((g) => ({ roleId, ...g })));
    },

    /** Adds grants; an existing grant takes the new expiry. */
    async upsertGrants(roleId: string, resourceIds: string[], expiresAt: Date | null) {
      if (!resourceIds.length) return;
      await db
        .insert(sysRoleResource)
        .values(resourceIds.map((resourceId) => ({ roleId, resourceId, expiresAt })))
        .onConflictDoUpdate({ target: [sysRoleResource.roleId, sysRoleResource.resourceId], set: { expiresAt } });
    },

    async revokeGrants(roleId: string, resourceIds: string[]) {
      if (!resourceIds.length) return 0;
      const rows = await db
        .delete(sysRoleResource)
        .where(and(eq(sysRoleResource.roleId, roleId), inArray(sysRoleResource.resourceId, resourceIds)))
        .returning({ id: sysRoleResource.resourceId });
      return rows.length;
    },

    async resourcesByIds(ids: string[]) {
      if (!ids.length) return [];
      return db
        .select({ id: sysResource.id, name: sysResource.name, permission: sysResource.permission, access: sysResource.access, enabled: sysResource.enabled })
        .from(sysResource)
        .where(inArray(sysResource.id, ids));
    },

    // ------------------------------------------------------------------------------ scope
    async scopeOrgs(roleIds: string[]) {
      if (!roleIds.length) return [];
      return db
        .select({ roleId: sysRoleOrgScope.roleId, id: sysOrg.id, name: sysOrg.name, path: sysOrg.path })
        .from(sysRoleOrgScope)
        .innerJoin(sysOrg, eq(sysOrg.id, sysRoleOrgScope.orgId))
        .where(inArray(sysRoleOrgScope.roleId, roleIds))
        .orderBy(asc(sysOrg.path));
    },

    async setScope(roleId: string, orgIds: string[]) {
      await db.delete(sysRoleOrgScope).where(eq(sysRoleOrgScope.roleId, roleId));
      if (orgIds.length) await db.insert(sysRoleOrgScope).values(orgIds.map((orgId) => ({ roleId, orgId })));
    },

    // ------------------------------------------------------------------------ organisations
    async orgsByIds(ids: string[]) {
      if (!ids.length) return [];
      return db.select({ id: sysOrg.id, name: sysOrg.name, path: sysOrg.path }).from(sysOrg).where(inArray(sysOrg.id, ids));
    },

    /** Organisations whose path satisfies `inScope` (a condition over sys_org.path). */
    async orgOptions(inScope: SQL) {
      return db
        .select({ id: sysOrg.id, parentId: sysOrg.parentId, name: sysOrg.name, level: sysOrg.level, enabled: sysOrg.enabled })
        .from(sysOrg)
        .where(inScope)
        .orderBy(asc(sysOrg.sort), asc(sysOrg.name));
    },

    // ---------------------------------------------------------------------- people, members
    /** People with their organisation path, for scope checks. */
    async usersByIds(ids: string[]) {
      if (!ids.length) return [];
      return db
        .select({ id: sysUser.id, name: sysUser.name, username: sysUser.username, orgId: sysUser.orgId, orgPath: sysOrg.path })
        .from(sysUser)
        .leftJoin(sysOrg, eq(sysOrg.id, sysUser.orgId))
        .where(inArray(sysUser.id, ids));
    },

    /** Ids of the people of an organisation (and below it), within `inScope` (over sys_org.path). */
    async userIdsOfOrg(org: { id: string; path: string }, includeChildren: boolean, inScope: SQL) {
      const rows = await db
        .select({ id: sysUser.id })
        .from(sysUser)
        .innerJoin(sysOrg, eq(sysOrg.id, sysUser.orgId))
        .where(and(includeChildren ? like(sysOrg.path, `${org.path}%`) : eq(sysUser.orgId, org.id), inScope));
      return rows.map((r) => r.id);
    },

    /** Members of a role, within `inScope` (over sys_org.path). */
    async members(roleId: string, keyword: string | undefined, inScope: SQL, p: PageArgs) {
      const where = and(eq(sysUserRole.roleId, roleId), keyword ? personMatches(keyword) : undefined, inScope);
      const [total] = await db
        .select({ n: count() })
        .from(sysUserRole)
        .innerJoin(sysUser, eq(sysUser.id, sysUserRole.userId))
        .leftJoin(sysOrg, eq(sysOrg.id, sysUser.orgId))
        .where(where);
      const items = await db
        .select({ id: sysUser.id, username: sysUser.username, name: sysUser.name, orgId: sysUser.orgId, orgName: sysOrg.name, enabled: sysUser.enabled })
        .from(sysUserRole)
        .innerJoin(sysUser, eq(sysUser.id, sysUserRole.userId))
        .leftJoin(sysOrg, eq(sysOrg.id, sysUser.orgId))
        .where(where)
        .orderBy(asc(sysOrg.path), asc(sysUser.username))
        .limit(p.pageSize)
        .offset(offset(p));
      return { total: total?.n ?? 0, items };
    },

    /** Adds the pairs that are missing; returns how many were added. */
    async addUserRoles(pairs: { userId: string; roleId: string }[]) {
      let added = 0;
      for (let i = 0; i < pairs.length; i += 500) {
        const rows = await db
          .insert(sysUserRole)
          .values(pairs.slice(i, i + 500))
          .onConflictDoNothing()
          .returning({ userId: sysUserRole.userId });
        added += rows.length;
      }
      return added;
    },

    async removeUserRoles(userIds: string[], roleIds: string[]) {
      if (!userIds.length || !roleIds.length) return 0;
      const rows = await db
        .delete(sysUserRole)
        .where(and(inArray(sysUserRole.userId, userIds), inArray(sysUserRole.roleId, roleIds)))
        .returning({ userId: sysUserRole.userId });
      return rows.length;
    },

    /**
     * People for the pickers: by organisation (and below), keyword (name, account, pinyin initials,
     * or the exact ID number through its blind index), within `inScope` (over sys_org.path).
     */
    async people(
      f: { org?: { id: string; path: string }; includeChildren: boolean; keyword?: string; idNumberIndex?: string; inScope: SQL },
      p: PageArgs,
    ) {
      const where = and(
        f.org ? (f.includeChildren ? like(sysOrg.path, `${f.org.path}%`) : eq(sysUser.orgId, f.org.id)) : undefined,
        f.keyword ? or(personMatches(f.keyword), f.idNumberIndex ? eq(sysUser.idNumberIndex, f.idNumberIndex) : undefined) : undefined,
        f.inScope,
      );
      const [total] = await db.select({ n: count() }).from(sysUser).leftJoin(sysOrg, eq(sysOrg.id, sysUser.orgId)).where(where);
      const items = await db
        .select({ id: sysUser.id, username: sysUser.username, name: sysUser.name, orgId: sysUser.orgId, orgName: sysOrg.name, enabled: sysUser.enabled })
        .from(sysUser)
        .leftJoin(sysOrg, eq(sysOrg.id, sysUser.orgId))
        .where(where)
        .orderBy(asc(sysOrg.path), asc(sysUser.username))
        .limit(p.pageSize)
        .offset(offset(p));
      return { total: total?.n ?? 0, items };
    },

    /** The roles each of these people holds. */
    async rolesOfUsers(userIds: string[]) {
      if (!userIds.length) return [];
      return db
        .select({ userId: sysUserRole.userId, id: sysRole.id, name: sysRole.name, isAdmin: sysRole.isAdmin })
        .from(sysUserRole)
        .innerJoin(sysRole, eq(sysRole.id, sysUserRole.roleId))
        .where(inArray(sysUserRole.userId, userIds))
        .orderBy(asc(sysRole.isAdmin), asc(sysRole.code));
    },
  };
}
export type RoleRepository = ReturnType<typeof roleRepository>;

/** Name, account or pinyin initials contain the keyword. */
function personMatches(keyword: string) {
  const k = contains(keyword);
  return or(ilike(sysUser.name, k), ilike(sysUser.username, k), ilike(sysUser.pinyin, k))!;
}
