import { and, asc, eq, gte, inArray, isNull, lte, or } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { sysRole } from './role.table.js';
import { sysUser, sysUserRole } from './user.table.js';

/**
 * Roles as other parts of the platform address people by them (e.g. 日志告警: "warn the system
 * administrators"): the enabled roles, their names, and the enabled people holding them now.
 */
export function roleDirectory(db: DbOrTx) {
  return {
    options() {
      return db.select({ code: sysRole.code, name: sysRole.name }).from(sysRole).where(eq(sysRole.enabled, true)).orderBy(asc(sysRole.createdAt));
    },

    async names(codes: string[]) {
      if (!codes.length) return new Map<string, string>();
      const rows = await db.select({ code: sysRole.code, name: sysRole.name }).from(sysRole).where(inArray(sysRole.code, codes));
      return new Map(rows.map((r) => [r.code, r.name]));
    },

    /** Enabled people holding one of the roles while the role is enabled and within its validity. */
    async userIds(codes: string[], at = new Date()) {
      if (!codes.length) return [];
      const rows = await db
        .selectDistinct({ id: sysUser.id })
        .from(sysUserRole)
        .innerJoin(sysRole, eq(sysRole.id, sysUserRole.roleId))
        .innerJoin(sysUser, eq(sysUser.id, sysUserRole.userId))
        .where(and(
          inArray(sysRole.code, codes), eq(sysRole.enabled, true), eq(sysUser.enabled, true),
          or(isNull(sysRole.validFrom), lte(sysRole.validFrom, at)), or(isNull(sysRole.validTo), gte(sysRole.validTo, at)),
        ));
      return rows.map((r) => r.id);
    },
  };
}
export type RoleDirectory = ReturnType<typeof roleDirectory>;
