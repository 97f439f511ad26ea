import { and, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { announce } from './message.channel.js';
import { msgChat } from './message.table.js';

export type ChatRow = typeof msgChat.$inferSelect;
interface ConversationRow {
  peer: string;
  content: string;
  from_user_id: string;
  created_at: string | Date;
  unread: number;
}

/** One-to-one chat lines (私信); every read is limited to the lines a user sent or received. */
export function chatRepository(db: DbOrTx) {
  const between = (me: string, peer: string) =>
    or(and(eq(msgChat.fromUserId, me), eq(msgChat.toUserId, peer)), and(eq(msgChat.fromUserId, peer), eq(msgChat.toUserId, me)))!;

  return {
    /** Writes the line and announces it to both people (the sender's other tabs show it too). */
    async insert(line: Pick<ChatRow, 'fromUserId' | 'toUserId' | 'content' | 'eventId'>) {
      const [row] = await db.insert(msgChat).values(line).returning();
      await announce(db, { kind: 'c', pairs: [{ userId: row!.toUserId, id: row!.id }, { userId: row!.fromUserId, id: row!.id }] });
      return row!;
    },

    async byIds(ids: string[]) {
      if (!ids.length) return [];
      return db.select().from(msgChat).where(inArray(msgChat.id, ids));
    },

    /** Newest first, `limit` lines older than `before` (when given). */
    async thread(me: string, peer: string, before: string | undefined, limit: number) {
      const older = before
        ? sql`(${msgChat.createdAt}, ${msgChat.id}) < (select c.created_at, c.id from msg_chat c where c.id = ${before})`
        : undefined;
      return db
        .select()
        .from(msgChat)
        .where(and(between(me, peer), older))
        .orderBy(desc(msgChat.createdAt), desc(msgChat.id))
        .limit(limit);
    },

    /** Each person the user has chatted with: the last line and how many of theirs are unread, latest first. */
    async conversations(me: string, limit: number) {
      const result = (await db.execute(sql`
        with mine as (
          select c.*, case when c.from_user_id = ${me} then c.to_user_id else c.from_user_id end as peer
          from msg_chat c where c.from_user_id = ${me} or c.to_user_id = ${me}
        ), last as (
          select distinct on (peer) peer, content, from_user_id, created_at from mine order by peer, created_at desc, id desc
        )
        select l.peer, l.content, l.from_user_id, l.created_at,
          (select count(*)::int from msg_chat u where u.to_user_id = ${me} and u.from_user_id = l.peer and u.read_at is null) as unread
        from last l order by l.created_at desc limit ${limit}`)) as unknown as { rows: ConversationRow[] };
      return result.rows;
    },

    /** Marks what `peer` sent the user read; returns how many were unread. */
    async markRead(me: string, peer: string) {
      const rows = await db
        .update(msgChat)
        .set({ readAt: sql`now()` })
        .where(and(eq(msgChat.toUserId, me), eq(msgChat.fromUserId, peer), isNull(msgChat.readAt)))
        .returning({ id: msgChat.id });
      return rows.length;
    },
  };
}
export type ChatRepository = ReturnType<typeof chatRepository>;
