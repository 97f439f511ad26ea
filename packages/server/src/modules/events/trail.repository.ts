import type { DbOrTx } from '../../core/db.js';
import { evtAttachment, evtDirective, evtLog } from './log.table.js';

export type NewLog = typeof evtLog.$inferInsert;
export type NewAttachment = typeof evtAttachment.$inferInsert;
export type NewDirective = typeof evtDirective.$inferInsert;

/** What an operation leaves behind: timeline rows, attachments, 批示/督办. */
export function trailRepository(db: DbOrTx) {
  return {
    async insertLog(row: NewLog) {
      const [r] = await db.insert(evtLog).values(row).returning({ id: evtLog.id });
      return r!.id;
    },

    async insertAttachments(rows: NewAttachment[]) {
      if (rows.length) await db.insert(evtAttachment).values(rows);
    },

    async insertDirective(row: NewDirective) {
      await db.insert(evtDirective).values(row);
    },
  };
}
