import { and, asc, count, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { sysSavedQuery } from './saved-query.table.js';

export type SavedQueryRow = typeof sysSavedQuery.$inferSelect;

/** Saved search conditions; every query is limited to one user's rows. */
export function savedQueryRepository(db: DbOrTx) {
  return {
    list(userId: string, page: string) {
      return db
        .select()
        .from(sysSavedQuery)
        .where(and(eq(sysSavedQuery.userId, userId), eq(sysSavedQuery.page, page)))
        .orderBy(asc(sysSavedQuery.createdAt), asc(sysSavedQuery.name));
    },

    async findByName(userId: string, page: string, name: string) {
      const [row] = await db
        .select()
        .from(sysSavedQuery)
        .where(and(eq(sysSavedQuery.userId, userId), eq(sysSavedQuery.page, page), eq(sysSavedQuery.name, name)));
      return row;
    },

    async countFor(userId: string, page: string) {
      const [r] = await db
        .select({ n: count() })
        .from(sysSavedQuery)
        .where(and(eq(sysSavedQuery.userId, userId), eq(sysSavedQuery.page, page)));
      return r?.n ?? 0;
    },

    async insert(row: Pick<SavedQueryRow, 'userId' | 'page' | 'name' | 'conditions'>) {
      const [r] = await db.insert(sysSavedQuery).values(row).returning();
      return r!;
    },

    async updateConditions(id: string, conditions: Record<string, unknown>) {
      const [r] = await db.update(sysSavedQuery).set({ conditions, createdAt: new Date() }).where(eq(sysSavedQuery.id, id)).returning();
      return r!;
    },

    /** Deletes the row only when it belongs to `userId`; returns the deleted row. */
    async deleteOwn(userId: string, id: string) {
      const [r] = await db
        .delete(sysSavedQuery)
        .where(and(eq(sysSavedQuery.id, id), eq(sysSavedQuery.userId, userId)))
        .returning();
      return r;
    },
  };
}
export type SavedQueryRepository = ReturnType<typeof savedQueryRepository>;
