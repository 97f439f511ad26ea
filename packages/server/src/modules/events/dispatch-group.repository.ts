import { and, asc, count, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { evtDispatchGroup } from './config.table.js';

export type DispatchGroupRow = typeof evtDispatchGroup.$inferSelect;

/** Saved groups of dispatch targets; every query is limited to one user's rows. */
export function dispatchGroupRepository(db: DbOrTx) {
  return {
    list(userId: string) {
      return db
        .select()
        .from(evtDispatchGroup)
        .where(eq(evtDispatchGroup.userId, userId))
        .orderBy(asc(evtDispatchGroup.createdAt), asc(evtDispatchGroup.name));
    },

    async findByName(userId: string, name: string) {
      const [r] = await db
        .select()
        .from(evtDispatchGroup)
        .where(and(eq(evtDispatchGroup.userId, userId), eq(evtDispatchGroup.name, name)));
      return r;
    },

    async countFor(userId: string) {
      const [r] = await db.select({ n: count() }).from(evtDispatchGroup).where(eq(evtDispatchGroup.userId, userId));
      return r?.n ?? 0;
    },

    async insert(row: Pick<DispatchGroupRow, 'userId' | 'name' | 'orgIds'>) {
      const [r] = await db.insert(evtDispatchGroup).values(row).returning();
      return r!;
    },

    async updateOrgs(id: string, orgIds: string[]) {
      const [r] = await db.update(evtDispatchGroup).set({ orgIds, createdAt: new Date() }).where(eq(evtDispatchGroup.id, id)).returning();
      return r!;
    },

    /** Deletes the row only when it belongs to `userId`; returns the deleted row. */
    async deleteOwn(userId: string, id: string) {
      const [r] = await db
        .delete(evtDispatchGroup)
        .where(and(eq(evtDispatchGroup.id, id), eq(evtDispatchGroup.userId, userId)))
        .returning();
      return r;
    },
  };
}
export type DispatchGroupRepository = ReturnType<typeof dispatchGroupRepository>;
