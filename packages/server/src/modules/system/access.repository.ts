import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { sysResource } from './resource.table.js';
import { sysRole, sysRoleResource } from './role.table.js';
import { sysUserRole } from './user.table.js';

export type ResourceRow = typeof sysResource.$inferSelect;
export type NewResource = typeof sysResource.$inferInsert;

/** Roles, function resources and their grants: what a user may see and do. */
export function accessRepository(db: DbOrTx) {
  return {
    async rolesOf(userId: string) {
      return db
        .select({ id: sysRole.id, code: sysRole.code, isSuper: sysRole.isSuper })
        .from(sysUserRole)
        .innerJoin(sysRole, eq(sysRole.id, sysUserRole.roleId))
        .where(
          and(
            eq(sysUserRole.userId, userId),
            eq(sysRole.enabled, true),
            sql`(${sysRole.validFrom} is null or ${sysRole.validFrom} <= now())`,
            sql`(${sysRole.validTo} is null or ${sysRole.validTo} > now())`,
          ),
        );
    },

    async resourcesOfRoles(roleIds: string[]) {
      if (!roleIds.length) return [];
      return db
        .selectDistinct({ resource: sysResource })
        .from(sysRoleResource)
        .innerJoin(sysResource, eq(sysResource.id, sysRoleResource.resourceId))
        .where(
          and(
            inArray(sysRoleResource.roleId, roleIds),
            eq(sysResource.enabled, true),
            sql`(${sysRoleResource.expiresAt} is null or ${sysRoleResource.expiresAt} > now())`,
          ),
        )
        .then((rows) => rows.map((r) => r.resource));
    },

    async allResources() {
      return db.select().from(sysResource).where(eq(sysResource.enabled, true)).orderBy(asc(sysResource.sort));
    },

    /** Inserts or refreshes a resource by code; returns its id. */
    async upsertResource(r: NewResource) {
      const { code, ...rest } = r;
      const [row] = await db
        .insert(sysResource)
        .values(r)
        .onConflictDoUpdate({ target: sysResource.code, set: rest })
        .returning({ id: sysResource.id });
      return row!.id;
    },

    /**
     * Seeds a built-in resource by code: inserted when missing; when present only what the code
     * owns (type, route, permission) is refreshed, so that an administrator's name, order, icon,
     * parent, security policy and level and enabled flag survive a restart. Returns its id.
     */
    async ensureBuiltinResource(r: NewResource) {
      const [row] = await db
        .insert(sysResource)
        .values({ ...r, builtin: true })
        .onConflictDoUpdate({ target: sysResource.code, set: { type: r.type, route: r.route ?? null, permission: r.permission ?? null, builtin: true } })
        .returning({ id: sysResource.id });
      return row!.id;
    },

    async upsertRole(r: { code: string; name: string; isSuper?: boolean }) {
      const [row] = await db
        .insert(sysRole)
        .values({ code: r.code, name: r.name, isSuper: r.isSuper ?? false, builtin: true })
        .onConflictDoUpdate({ target: sysRole.code, set: { name: r.name, isSuper: r.isSuper ?? false } })
        .returning({ id: sysRole.id });
      return row!.id;
    },

    async roleIdsByCode() {
      const rows = await db.select({ id: sysRole.id, code: sysRole.code }).from(sysRole);
      return new Map(rows.map((r) => [r.code, r.id]));
    },

    async grantResources(roleId: string, resourceIds: string[]) {
      if (!resourceIds.length) return;
      await db.insert(sysRoleResource).values(resourceIds.map((resourceId) => ({ roleId, resourceId }))).onConflictDoNothing();
    },
  };
}
export type AccessRepository = ReturnType<typeof accessRepository>;
