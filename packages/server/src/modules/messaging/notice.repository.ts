import { count, desc, eq, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { msgNotice } from './message.table.js';

export type NoticeRow = typeof msgNotice.$inferSelect;

/** System notices (系统通知); who receives one is written as messages by the service. */
export function noticeRepository(db: DbOrTx) {
  return {
    async insert(n: Pick<NoticeRow, 'title' | 'content' | 'fileIds' | 'orgIds' | 'publisherId' | 'publisherName'>) {
      const [row] = await db.insert(msgNotice).values(n).returning();
      return row!;
    },

    async byId(id: string) {
      const [row] = await db.select().from(msgNotice).where(eq(msgNotice.id, id));
      return row;
    },

    /** Newest first; the keyword is taken literally, in the title or the content. */
    async page(keyword: string | undefined, page: number, pageSize: number) {
      let cond: SQL | undefined;
      if (keyword) {
        const k = keyword.toLowerCase();
        cond = or(sql`strpos(lower(${msgNotice.title}), ${k}) > 0`, sql`strpos(lower(${msgNotice.content}), ${k}) > 0`);
      }
      const [items, [total]] = await Promise.all([
        db.select().from(msgNotice).where(cond).orderBy(desc(msgNotice.createdAt), desc(msgNotice.id)).limit(pageSize).offset((page - 1) * pageSize),
        db.select({ n: count() }).from(msgNotice).where(cond),
      ]);
      return { items, total: total?.n ?? 0 };
    },
  };
}
