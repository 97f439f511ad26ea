import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { evtRequest } from './request.table.js';

export type RequestRow = typeof evtRequest.$inferSelect;
export type NewRequest = typeof evtRequest.$inferInsert;

/** Delay and return requests (evt_request) for the write side. */
export function requestRepository(db: DbOrTx) {
  return {
    /** The insert of a request, to run now (await) or within a larger statement. */
    insert(row: NewRequest) {
      return db.insert(evtRequest).values(row);
    },

    async byId(id: string) {
      const [r] = await db.select().from(evtRequest).where(eq(evtRequest.id, id));
      return r;
    },

    pendingOfEvent(eventId: string) {
      return db.select().from(evtRequest).where(and(eq(evtRequest.eventId, eventId), eq(evtRequest.status, 'pending')));
    },

    async decide(id: string, patch: Pick<RequestRow, 'status'> & Partial<Pick<RequestRow, 'auditorId' | 'auditorName' | 'auditOpinion' | 'auditedAt'>>) {
      await db.update(evtRequest).set(patch).where(eq(evtRequest.id, id));
    },

    /**
     * Withdraws the pending requests of nodes that left the tree (recalled, returned, closed); run it
     * now (await) or within a larger statement. The event narrows it to that event's few rows.
     */
    withdrawForNodes(eventId: string, nodeIds: string[]) {
      return db
        .update(evtRequest)
        .set({ status: 'withdrawn', auditedAt: new Date() })
        .where(and(eq(evtRequest.eventId, eventId), inArray(evtRequest.nodeId, nodeIds), eq(evtRequest.status, 'pending')));
    },
  };
}
