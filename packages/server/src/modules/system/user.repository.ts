import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { sysOrg } from './org.table.js';
import { sysUser, sysUserRole } from './user.table.js';

export type UserRow = typeof sysUser.$inferSelect;
export type NewUser = typeof sysUser.$inferInsert;

export function userRepository(db: DbOrTx) {
  return {
    async byUsername(username: string) {
      const [u] = await db.select().from(sysUser).where(eq(sysUser.username, username));
      return u;
    },

    /** The user with the name and path of their organisation. */
    async withOrg(id: string) {
      const [r] = await db
        .select({ user: sysUser, orgName: sysOrg.name, orgPath: sysOrg.path })
        .from(sysUser)
        .leftJoin(sysOrg, eq(sysOrg.id, sysUser.orgId))
        .where(eq(sysUser.id, id));
      return r;
    },

    async insert(user: NewUser) {
      const [u] = await db.insert(sysUser).values(user).returning();
      return u!;
    },

    /** Counts a failure atomically and returns the new count. */
    async addFailure(id: string) {
      const [r] = await db
        .update(sysUser)
        .set({ failedLogins: sql`${sysUser.failedLogins} + 1` })
        .where(eq(sysUser.id, id))
        .returning({ failedLogins: sysUser.failedLogins });
      return r?.failedLogins ?? 0;
    },

    async lock(id: string, until: Date) {
      await db.update(sysUser).set({ lockedUntil: until, failedLogins: 0 }).where(eq(sysUser.id, id));
    },

    async loginSucceeded(id: string, at: Date) {
      await db.update(sysUser).set({ failedLogins: 0, lockedUntil: null, lastLoginAt: at }).where(eq(sysUser.id, id));
    },

    async setPassword(id: string, passwordHash: string, reason: 'initial' | 'reset' | null, at: Date) {
      await db
        .update(sysUser)
        .set({ passwordHash, passwordChangeReason: reason, passwordChangedAt: at, updatedAt: at })
        .where(eq(sysUser.id, id));
    },

    async grantRoles(userId: string, roleIds: string[]) {
      if (!roleIds.length) return;
      await db.insert(sysUserRole).values(roleIds.map((roleId) => ({ userId, roleId }))).onConflictDoNothing();
    },

    async count() {
      const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(sysUser);
      return r?.n ?? 0;
    },

    async exists(username: string) {
      const [r] = await db.select({ id: sysUser.id }).from(sysUser).where(and(eq(sysUser.username, username)));
      return !!r;
    },
  };
}
export type UserRepository = ReturnType<typeof userRepository>;
