import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { evtType } from './config.table.js';

export type EventTypeRow = typeof evtType.$inferSelect;
export type EventTypeInsert = typeof evtType.$inferInsert;

/** The event catalogue (evt_type). */
export function eventTypeRepository(db: DbOrTx) {
  return {
    /** Every type, siblings in their display order. */
    all() {
      return db.select().from(evtType).orderBy(asc(evtType.level), asc(evtType.sort), asc(evtType.code));
    },

    async get(code: string) {
      const [r] = await db.select().from(evtType).where(eq(evtType.code, code));
      return r;
    },

    async update(code: string, patch: Partial<Pick<EventTypeRow, 'name' | 'category' | 'limitValue' | 'limitUnit' | 'warnRatio' | 'enabled'>>) {
      const [r] = await db.update(evtType).set({ ...patch, updatedAt: new Date() }).where(eq(evtType.code, code)).returning();
      return r;
    },

    /** Seeds: adds the types that are not there yet; existing ones (maybe edited) are left alone. */
    async insertMissing(rows: EventTypeInsert[]) {
      if (rows.length) await db.insert(evtType).values(rows).onConflictDoNothing();
    },
  };
}
export type EventTypeRepository = ReturnType<typeof eventTypeRepository>;
