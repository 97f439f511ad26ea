import { asc, count, eq, ilike, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { sysParam } from './param.table.js';
import { likeContains } from '../../core/text.js';

export type ParamRow = typeof sysParam.$inferSelect;

export function paramRepository(db: DbOrTx) {
  return {
    async get(code: string): Promise<ParamRow | undefined> {
      const [row] = await db.select().from(sysParam).where(eq(sysParam.code, code));
      return row;
    },

    /** Search by part of the code, name or description; ordered by code. */
    async page(f: { keyword?: string; page: number; pageSize: number }) {
      const k = f.keyword ? likeContains(f.keyword) : undefined;
      const cond = k ? or(ilike(sysParam.code, k), ilike(sysParam.name, k), ilike(sysParam.description, k)) : undefined;
      const [items, [total]] = await Promise.all([
        db.select().from(sysParam).where(cond).orderBy(asc(sysParam.code)).limit(f.pageSize).offset((f.page - 1) * f.pageSize),
        db.select({ n: count() }).from(sysParam).where(cond),
      ]);
      return { items, total: total?.n ?? 0 };
    },

    /** False when the code is taken. */
    async insert(row: Omit<ParamRow, 'updatedAt'>): Promise<boolean> {
      const r = await db.insert(sysParam).values(row).onConflictDoNothing().returning({ code: sysParam.code });
      return r.length > 0;
    },

    async update(code: string, patch: Partial<Pick<ParamRow, 'name' | 'value' | 'defaultValue' | 'description'>>) {
      const [row] = await db.update(sysParam).set({ ...patch, updatedAt: new Date() }).where(eq(sysParam.code, code)).returning();
      return row;
    },

    async delete(code: string) {
      await db.delete(sysParam).where(eq(sysParam.code, code));
    },

    /** Seeds a parameter: inserted with its default when absent; otherwise only its definition is refreshed. */
    async ensure(p: { code: string; name: string; defaultValue: string; description: string }) {
      await db
        .insert(sysParam)
        .values({ ...p, value: p.defaultValue })
        .onConflictDoUpdate({
          target: sysParam.code,
          set: { name: sql`excluded.name`, defaultValue: sql`excluded.default_value`, description: sql`excluded.description` },
        });
    },
  };
}
export type ParamRepository = ReturnType<typeof paramRepository>;
