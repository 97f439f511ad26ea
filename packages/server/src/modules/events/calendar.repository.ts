import { and, asc, count, eq, gte, lte } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { calDay } from './config.table.js';

export type CalendarDayRow = typeof calDay.$inferSelect;

/** Working calendar exceptions (cal_day); dates are 'YYYY-MM-DD' text, so they order as dates. */
export function calendarRepository(db: DbOrTx) {
  return {
    /** Every exception, for the in-memory calendar. */
    all() {
      return db.select({ date: calDay.date, workday: calDay.workday }).from(calDay);
    },

    between(first: string, last: string) {
      return db.select().from(calDay).where(and(gte(calDay.date, first), lte(calDay.date, last))).orderBy(asc(calDay.date));
    },

    async countBetween(first: string, last: string) {
      const [r] = await db.select({ n: count() }).from(calDay).where(and(gte(calDay.date, first), lte(calDay.date, last)));
      return r?.n ?? 0;
    },

    async upsert(row: Pick<CalendarDayRow, 'date' | 'workday' | 'name'>) {
      const [r] = await db
        .insert(calDay)
        .values(row)
        .onConflictDoUpdate({ target: calDay.date, set: { workday: row.workday, name: row.name, updatedAt: new Date() } })
        .returning();
      return r!;
    },

    /** Returns the deleted row, if there was one. */
    async delete(date: string) {
      const [r] = await db.delete(calDay).where(eq(calDay.date, date)).returning();
      return r;
    },

    async insertMissing(rows: Pick<CalendarDayRow, 'date' | 'workday' | 'name'>[]) {
      if (rows.length) await db.insert(calDay).values(rows).onConflictDoNothing();
    },
  };
}
export type CalendarRepository = ReturnType<typeof calendarRepository>;
