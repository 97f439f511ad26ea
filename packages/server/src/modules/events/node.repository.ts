import { randomUUID } from 'node:crypto';
import { asc, eq, getTableColumns, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { evtNode } from './node.table.js';

export type NodeRow = typeof evtNode.$inferSelect;
export type NewNode = typeof evtNode.$inferInsert;
export type NodePatch = Partial<Omit<NewNode, 'id' | 'eventId' | 'createdAt'>>;

const columns = getTableColumns(evtNode);

/** A new node as it will be stored: its id and the table's defaults filled in, so it can be inserted later. */
export function nodeRowOf(n: NewNode, now: Date): NodeRow {
  return {
    id: randomUUID(), parentId: null, requirement: null, fromOrgId: null, fromOrgName: null, fromCity: false, replyAudit: false,
    deadline: null, warnAt: null, signedAt: null, signedBy: null, signOpinion: null, handledAt: null, handlerId: null, handlerName: null,
    opinion: null, warnedAt: null, overdueAt: null, endedAt: null, createdAt: now, updatedAt: now, ...n,
  };
}

/** Queries on the handling tree (evt_node). */
export function nodeRepository(db: DbOrTx) {
  return {
    ofEvent(eventId: string) {
      return db.select().from(evtNode).where(eq(evtNode.eventId, eventId)).orderBy(asc(evtNode.createdAt), asc(evtNode.id));
    },

    /** The insert of complete rows (nodeRowOf), to run now (await) or within a larger statement. */
    insertRows(rows: NodeRow[]) {
      return db.insert(evtNode).values(rows);
    },

    /**
     * Each node's own patch, all in one UPDATE (to run within a larger statement): a column a node's
     * patch leaves out keeps its stored value, so stamps written meanwhile (the reminder sweep) stay.
     */
    patchEach(patches: { id: string; patch: NodePatch }[]) {
      const keys = [...new Set(patches.flatMap((p) => Object.keys(p.patch)))] as (keyof NodePatch)[];
      const names = keys.map((k) => sql.identifier(columns[k].name));
      // Keyed by column name, Dates as ISO text: what jsonb_populate_record reads into the row type.
      const rows = patches.map((p) => ({ id: p.id, patch: Object.fromEntries(Object.entries(p.patch).map(([k, v]) => [columns[k as keyof NodePatch].name, v])) }));
      return sql`update ${evtNode} as n set (${sql.join(names, sql`, `)}) = (select ${sql.join(names.map((c) => sql`p.${c}`), sql`, `)} from jsonb_populate_record(n, v.patch) as p)
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(id uuid, patch jsonb) where n.id = v.id`;
    },
  };
}
