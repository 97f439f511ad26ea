import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { evtEvent, evtSequence } from './event.table.js';

export type EventRowDb = typeof evtEvent.$inferSelect;
export type NewEvent = typeof evtEvent.$inferInsert;
export type EventPatch = Partial<Omit<NewEvent, 'id'>>;

/** Queries on evt_event for the write side. */
export function eventRepository(db: DbOrTx) {
  return {
    async insert(row: NewEvent) {
      const [r] = await db.insert(evtEvent).values(row).returning();
      return r!;
    },

    async byId(id: string) {
      const [r] = await db.select().from(evtEvent).where(eq(evtEvent.id, id));
      return r;
    },

    /** Locks the event row until the transaction ends: operations on one event run one at a time. */
    async lock(id: string) {
      const [r] = await db.select().from(evtEvent).where(eq(evtEvent.id, id)).for('update');
      return r;
    },

    async update(id: string, patch: EventPatch) {
      const [r] = await db.update(evtEvent).set({ ...patch, updatedAt: new Date() }).where(eq(evtEvent.id, id)).returning();
      return r!;
    },

    async deleteDraft(id: string, creatorId: string) {
      const rows = await db
        .delete(evtEvent)
        .where(and(eq(evtEvent.id, id), eq(evtEvent.creatorId, creatorId), eq(evtEvent.status, 'draft')))
        .returning({ id: evtEvent.id, title: evtEvent.title });
      return rows[0];
    },

    /** The next value of a daily sequence (1, 2, …); the row lock serialises concurrent callers. */
    async nextSequence(key: string): Promise<number> {
      const [r] = await db
        .insert(evtSequence)
        .values({ key, value: 1 })
        .onConflictDoUpdate({ target: evtSequence.key, set: { value: sql`${evtSequence.value} + 1` } })
        .returning({ value: evtSequence.value });
      return r!.value;
    },
  };
}
