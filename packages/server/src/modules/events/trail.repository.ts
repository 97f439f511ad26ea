import type { DbOrTx } from '../../core/db.js';
import type { FileInfo } from '@cityops/contracts';
import { evtAttachment, evtDirective, evtLog, type AttachmentStage } from './log.table.js';

export type NewLog = typeof evtLog.$inferInsert;
export type NewDirective = typeof evtDirective.$inferInsert;

/** What an operation leaves behind: timeline rows, attachments, 批示/督办. */
export function trailRepository(db: DbOrTx) {
  return {
    async insertLog(row: NewLog) {
      const [r] = await db.insert(evtLog).values(row).returning({ id: evtLog.id });
      return r!.id;
    },

    /** Attaches uploaded files to the event at a stage, through the timeline row that brought them. */
    async attach(eventId: string, files: FileInfo[], stage: AttachmentStage, logId: string | null = null) {
      if (!files.length) return;
      await db.insert(evtAttachment).values(files.map((f) => ({ eventId, logId, fileId: f.id, stage, name: f.name, mime: f.mime, size: f.size })));
    },

    async insertDirective(row: NewDirective) {
      await db.insert(evtDirective).values(row);
    },
  };
}
