import { asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { evtNode } from './node.table.js';

export type NodeRow = typeof evtNode.$inferSelect;
export type NewNode = typeof evtNode.$inferInsert;
export type NodePatch = Partial<Omit<NewNode, 'id' | 'eventId' | 'createdAt'>>;

/** Queries on the handling tree (evt_node). */
export function nodeRepository(db: DbOrTx) {
  return {
    ofEvent(eventId: string) {
      return db.select().from(evtNode).where(eq(evtNode.eventId, eventId)).orderBy(asc(evtNode.createdAt), asc(evtNode.id));
    },

    async insertMany(rows: NewNode[]) {
      if (!rows.length) return [] as NodeRow[];
      return db.insert(evtNode).values(rows).returning();
    },

    async update(id: string, patch: NodePatch) {
      await db.update(evtNode).set({ ...patch, updatedAt: new Date() }).where(eq(evtNode.id, id));
    },

    async updateMany(ids: string[], patch: NodePatch) {
      if (!ids.length) return;
      await db.update(evtNode).set({ ...patch, updatedAt: new Date() }).where(inArray(evtNode.id, ids));
    },
  };
}
