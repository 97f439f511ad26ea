import { and, asc, eq, sql } from 'drizzle-orm';
import type { PgInsertValue, PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../core/db.js';
import { evtEvent, evtSequence } from './event.table.js';
import type { NodeRow } from './node.repository.js';
import { evtNode } from './node.table.js';
import { evtRequest, type RequestKind } from './request.table.js';

export type EventRowDb = typeof evtEvent.$inferSelect;
export type NewEvent = typeof evtEvent.$inferInsert;
export type EventPatch = Partial<Omit<NewEvent, 'id'>>;

const parseJson = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

/** Queries on evt_event for the write side. */
export function eventRepository(db: DbOrTx) {
  return {
    /** The insert of an event, to run within a larger statement; a column may be given as SQL. */
    insert(row: PgInsertValue<typeof evtEvent>) {
      return db.insert(evtEvent).values(row);
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

    /**
     * Locks the event row until the transaction ends (operations on one event run one at a time) and
     * reads its handling tree and pending requests in the same statement. A statement reads the other
     * tables as they were when it began: when it waited for an operation that committed meanwhile, the
     * row it locked is newer than what it read (the versions differ), and it reads again holding the lock.
     */
    async lockWithTree(id: string) {
      for (let attempt = 1; ; attempt++) {
        const rows = await db
          .select({
            event: evtEvent,
            node: evtNode,
            pending: sql`(select coalesce(json_agg(json_build_object('nodeId', r.node_id, 'kind', r.kind)), '[]'::json)
              from ${evtRequest} r where r.event_id = ${evtEvent.id} and r.status = 'pending')`.mapWith((v): { nodeId: string; kind: RequestKind }[] => parseJson(v)),
            seenVersion: sql<number>`(select s.version from ${evtEvent} s where s.id = ${evtEvent.id})`.mapWith(Number),
          })
          .from(evtEvent)
          .leftJoin(evtNode, eq(evtNode.eventId, evtEvent.id))
          .where(eq(evtEvent.id, id))
          .orderBy(asc(evtNode.createdAt), asc(evtNode.id))
          .for('update', { of: evtEvent });
        const [first] = rows;
        if (!first) return undefined;
        if (first.seenVersion !== first.event.version && attempt === 1) continue;
        return { event: first.event, nodes: rows.flatMap((r) => (r.node ? [r.node as NodeRow] : [])), pending: first.pending };
      }
    },

    /** The update of an event row, to run within a larger statement; a column may be given as SQL. */
    patch(id: string, patch: PgUpdateSetSource<typeof evtEvent>) {
      return db.update(evtEvent).set({ ...patch, updatedAt: new Date() }).where(eq(evtEvent.id, id));
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

    /** The next value of a daily sequence (1, 2, …), returned as `value`; the row lock serialises concurrent callers. */
    nextSequence(key: string) {
      return db
        .insert(evtSequence)
        .values({ key, value: 1 })
        .onConflictDoUpdate({ target: evtSequence.key, set: { value: sql`${evtSequence.value} + 1` } })
        .returning({ value: evtSequence.value });
    },
  };
}
