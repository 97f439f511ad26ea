import { and, asc, desc, eq, ilike, inArray, like, ne, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { sysOrg } from './org.table.js';
import { sysRole } from './role.table.js';
import { sysUser, sysUserRole } from './user.table.js';
import { likeEscape } from '../../core/text.js';

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
        .select({ user: sysUser, orgName: sysOrg.name, orgPath: sysOrg.path, orgLevel: sysOrg.level, orgTags: sysOrg.tags })
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

    /**
     * Ids of the enabled people of these organisations, but `exceptId`. Not awaited by messaging:
     * it is the SELECT of an INSERT … SELECT, so that sys_user stays this module's business.
     */
    enabledIdsIn(orgIds: string[], exceptId?: string) {
      return db
        .select({ id: sysUser.id })
        .from(sysUser)
        .where(and(inArray(sysUser.orgId, orgIds), eq(sysUser.enabled, true), exceptId ? ne(sysUser.id, exceptId) : undefined));
    },

    /** Ids of every enabled person (a notice to all); like enabledIdsIn, the SELECT of an INSERT … SELECT. */
    enabledIds() {
      return db.select({ id: sysUser.id }).from(sysUser).where(eq(sysUser.enabled, true));
    },

    /**
     * Enabled people with their organisation's name, for pickers outside 人员管理 (e.g. 私信): given
     * ids, or matching a name, its pinyin initials or the organisation's name, or of one organisation.
     */
    async directory(f: { ids?: string[]; keyword?: string; orgId?: string; exceptId?: string; limit: number }) {
      const c: (SQL | undefined)[] = [eq(sysUser.enabled, true)];
      if (f.ids) c.push(f.ids.length ? inArray(sysUser.id, f.ids) : sql`false`);
      if (f.orgId) c.push(eq(sysUser.orgId, f.orgId));
      if (f.exceptId) c.push(ne(sysUser.id, f.exceptId));
      if (f.keyword) {
        const e = likeEscape(f.keyword);
        c.push(or(ilike(sysUser.name, `%${e}%`), like(sysUser.pinyin, `${e.toLowerCase()}%`), ilike(sysOrg.name, `%${e}%`)));
      }
      return db
        .select({ id: sysUser.id, name: sysUser.name, orgName: sysOrg.name })
        .from(sysUser)
        .leftJoin(sysOrg, eq(sysOrg.id, sysUser.orgId))
        .where(and(...c))
        .orderBy(asc(sysOrg.path), asc(sysUser.name))
        .limit(f.limit);
    },
  };
}
export type UserRepository = ReturnType<typeof userRepository>;

/** Filters of the people list (built by the user service). */
export interface UserListFilter {
  /** Only people whose organisation path satisfies this (the caller's admin scope). */
  scope: SQL;
  orgId?: string;
  /** With orgId: people of every organisation whose path starts with this. */
  orgPathPrefix?: string;
  /** Smart search: the keyword and its blind index. */
  keyword?: { text: string; index: string };
  name?: string;
  username?: string;
  gender?: string;
  idNumberIndex?: string;
  mobileIndex?: string;
  locked?: boolean;
  enabled?: boolean;
}

/** Queries of 人员管理 (listing, editing, batch changes). */
export function userAdminRepository(db: DbOrTx) {
  const lockedNow = sql<boolean>`(${sysUser.lockedUntil} is not null and ${sysUser.lockedUntil} > now())`;

  const where = (f: UserListFilter) => {
    const c: SQL[] = [f.scope];
    if (f.orgPathPrefix) c.push(like(sysOrg.path, `${likeEscape(f.orgPathPrefix)}%`));
    else if (f.orgId) c.push(eq(sysUser.orgId, f.orgId));
    if (f.keyword) {
      const k = likeEscape(f.keyword.text);
      c.push(
        or(
          ilike(sysUser.name, `%${k}%`),
          like(sysUser.pinyin, `${k.toLowerCase()}%`),
          ilike(sysUser.username, `${k}%`),
          eq(sysUser.idNumberIndex, f.keyword.index),
          eq(sysUser.mobileIndex, f.keyword.index),
        )!,
      );
    }
    if (f.name) c.push(ilike(sysUser.name, `%${likeEscape(f.name)}%`));
    if (f.username) c.push(ilike(sysUser.username, `%${likeEscape(f.username)}%`));
    if (f.gender) c.push(eq(sysUser.gender, f.gender));
    if (f.idNumberIndex) c.push(eq(sysUser.idNumberIndex, f.idNumberIndex));
    if (f.mobileIndex) c.push(eq(sysUser.mobileIndex, f.mobileIndex));
    if (f.locked !== undefined) c.push(f.locked ? lockedNow : sql`not ${lockedNow}`);
    if (f.enabled !== undefined) c.push(eq(sysUser.enabled, f.enabled));
    return and(...c)!;
  };

  return {
    async list(f: UserListFilter, page: number, pageSize: number) {
      const cond = where(f);
      const [rows, [total]] = await Promise.all([
        db
          .select({ user: sysUser, orgName: sysOrg.name, locked: lockedNow })
          .from(sysUser)
          .leftJoin(sysOrg, eq(sysOrg.id, sysUser.orgId))
          .where(cond)
          .orderBy(desc(sysUser.createdAt), asc(sysUser.username))
          .limit(pageSize)
          .offset((page - 1) * pageSize),
        db.select({ n: sql<number>`count(*)::int` }).from(sysUser).leftJoin(sysOrg, eq(sysOrg.id, sysUser.orgId)).where(cond),
      ]);
      return { rows, total: total?.n ?? 0 };
    },

    /** One person with their organisation's name and path. */
    async byId(id: string) {
      const [r] = await db
        .select({ user: sysUser, orgName: sysOrg.name, orgPath: sysOrg.path, locked: lockedNow })
        .from(sysUser)
        .leftJoin(sysOrg, eq(sysOrg.id, sysUser.orgId))
        .where(eq(sysUser.id, id));
      return r;
    },

    /** Names of the roles each of `userIds` holds. */
    async roleNames(userIds: string[]) {
      const map = new Map<string, string[]>();
      if (!userIds.length) return map;
      const rows = await db
        .select({ userId: sysUserRole.userId, name: sysRole.name })
        .from(sysUserRole)
        .innerJoin(sysRole, eq(sysRole.id, sysUserRole.roleId))
        .where(inArray(sysUserRole.userId, userIds))
        .orderBy(asc(sysRole.name));
      for (const r of rows) map.set(r.userId, [...(map.get(r.userId) ?? []), r.name]);
      return map;
    },

    /** Holds a super role (every permission): only super administrators may manage such a person. */
    async holdsSuperRole(userId: string) {
      const [r] = await db
        .select({ id: sysRole.id })
        .from(sysUserRole)
        .innerJoin(sysRole, eq(sysRole.id, sysUserRole.roleId))
        .where(and(eq(sysUserRole.userId, userId), eq(sysRole.isSuper, true)))
        .limit(1);
      return !!r;
    },

    async usernameTaken(username: string, exceptId?: string) {
      const [r] = await db
        .select({ id: sysUser.id })
        .from(sysUser)
        .where(and(sql`lower(${sysUser.username}) = lower(${username})`, exceptId ? ne(sysUser.id, exceptId) : undefined));
      return !!r;
    },

    async update(id: string, patch: Partial<Omit<NewUser, 'id' | 'username' | 'createdAt'>>) {
      await db.update(sysUser).set({ ...patch, updatedAt: new Date() }).where(eq(sysUser.id, id));
    },

    async unlock(id: string) {
      await db.update(sysUser).set({ lockedUntil: null, failedLogins: 0, updatedAt: new Date() }).where(eq(sysUser.id, id));
    },

    /** Deletes the person and their role assignments. */
    async remove(id: string) {
      await db.delete(sysUserRole).where(eq(sysUserRole.userId, id));
      await db.delete(sysUser).where(eq(sysUser.id, id));
    },
  };
}
export type UserAdminRepository = ReturnType<typeof userAdminRepository>;
