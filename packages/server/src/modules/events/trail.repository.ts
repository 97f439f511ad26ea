import type { DbOrTx } from '../../core/db.js';
import type { FileInfo } from '@cityops/contracts';
import { evtAttachment, evtDirective, evtLog, type AttachmentStage } from './log.table.js';

export type NewLog = typeof evtLog.$inferInsert;
export type NewDirective = typeof evtDirective.$inferInsert;
export type NewAttachment = typeof evtAttachment.$inferInsert;

/** Uploaded files as the event's attachments at a stage, through the timeline row that brought them. */
export const attachmentRows = (eventId: string, files: FileInfo[], stage: AttachmentStage, logId: string | null = null): NewAttachment[] =>
  files.map((f) => ({ eventId, logId, fileId: f.id, stage, name: f.name, mime: f.mime, size: f.size }));

/**
 * What an operation leaves behind: timeline rows, attachments, 批示/督办. The methods that return a
 * query run it when awaited, or within a larger statement (oneStatement).
 */
export function trailRepository(db: DbOrTx) {
  return {
    insertLogs(rows: NewLog[]) {
      return db.insert(evtLog).values(rows);
    },

    insertAttachments(rows: NewAttachment[]) {
      return db.insert(evtAttachment).values(rows);
    },

    async attach(eventId: string, files: FileInfo[], stage: AttachmentStage, logId: string | null = null) {
      if (!files.length) return;
      await db.insert(evtAttachment).values(attachmentRows(eventId, files, stage, logId));
    },

    insertDirective(row: NewDirective) {
      return db.insert(evtDirective).values(row);
    },
  };
}
