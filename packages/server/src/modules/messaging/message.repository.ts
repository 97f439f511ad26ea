import { NOTICE_KIND, type UnreadCounts } from '@cityops/contracts';
import { and, asc, count, desc, eq, gte, inArray, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../core/db.js';
import { userRepository } from '../system/user.repository.js';
import { announce, announceRows } from './message.channel.js';
import { msgChat, msgMessage } from './message.table.js';

export type MessageRow = typeof msgMessage.$inferSelect;
/** What a message says; who receives it is decided by the caller. */
export type NewMessage = Pick<MessageRow, 'kind' | 'title' | 'content'> & { eventId?: string | null; noticeId?: string | null };

/** Messages of one content to the people of some organisations (null: everyone). */
export interface OrgMessages {
  orgIds: string[] | null;
  message: NewMessage;
}

export interface MessageFilter {
  unread?: boolean;
  keyword?: string;
  /** work: every kind but notices; notice: notices only. */
  category?: 'work' | 'notice';
  kind?: string;
}

/** In-app messages; every read and update is limited to one user's rows. */
export function messageRepository(db: DbOrTx) {
  const where = (userId: string, f: MessageFilter) => {
    const c: SQL[] = [eq(msgMessage.userId, userId)];
    if (f.unread !== undefined) c.push(f.unread ? isNull(msgMessage.readAt) : sql`${msgMessage.readAt} is not null`);
    // strpos takes the keyword literally: no LIKE wildcards to escape.
    if (f.keyword) {
      const k = f.keyword.toLowerCase();
      c.push(or(sql`strpos(lower(${msgMessage.title}), ${k}) > 0`, sql`strpos(lower(${msgMessage.content}), ${k}) > 0`)!);
    }
    if (f.category) c.push(f.category === 'notice' ? eq(msgMessage.kind, NOTICE_KIND) : ne(msgMessage.kind, NOTICE_KIND));
    if (f.kind) c.push(eq(msgMessage.kind, f.kind));
    return and(...c);
  };
  /** The new rows go out on the live channel when the caller's transaction commits. */
  const announced = async (rows: { id: string; userId: string }[]) => {
    await announce(db, { kind: 'm', pairs: rows });
    return rows.length;
  };

  /**
   * For each item, one message to each enabled person of its organisations (everyone when null) but
   * `exceptUserId`: one INSERT … SELECT … RETURNING id, user_id, not yet run. Its rows must be
   * announced in the same statement (announceRows over it), so that they go out at commit.
   */
  function orgMessagesInsert(items: OrgMessages[], exceptUserId?: string) {
    const users = userRepository(db);
    const [first, ...more] = items.map(({ orgIds, message: m }, i) => {
      const r = (orgIds ? users.enabledIdsIn(orgIds, exceptUserId) : users.enabledIds()).as(`recipient${i}`);
      return db
        .select({
          id: sql<string>`gen_random_uuid()`.as('id'),
          userId: r.id,
          kind: sql<string>`${m.kind}::text`.as('kind'),
          title: sql<string>`${m.title}::text`.as('title'),
          content: sql<string>`${m.content}::text`.as('content'),
          eventId: sql<string | null>`${m.eventId ?? null}::uuid`.as('event_id'),
          noticeId: sql<string | null>`${m.noticeId ?? null}::uuid`.as('notice_id'),
          readAt: sql<Date | null>`null::timestamptz`.as('read_at'),
          createdAt: sql<Date>`now()`.as('created_at'),
        })
        .from(r);
    });
    if (!first) throw new Error('orgMessagesInsert needs at least one item');
    const recipients = more.length ? unionAll(first, more[0]!, ...more.slice(1)) : first;
    return db.insert(msgMessage).select(recipients).returning({ id: msgMessage.id, userId: msgMessage.userId });
  }

  return {
    /** Newest first. */
    async page(userId: string, f: MessageFilter, page: number, pageSize: number) {
      const cond = where(userId, f);
      const [items, [total]] = await Promise.all([
        db.select().from(msgMessage).where(cond).orderBy(desc(msgMessage.createdAt), desc(msgMessage.id)).limit(pageSize).offset((page - 1) * pageSize),
        db.select({ n: count() }).from(msgMessage).where(cond),
      ]);
      return { items, total: total?.n ?? 0 };
    },

    /**
     * Each user's unread messages about work and notices, and unread chat lines: two indexed
     * lookups however many users (a push to a whole organisation reloads all their badges at once).
     */
    async unreadCounts(userIds: string[]): Promise<Map<string, UnreadCounts>> {
      const out = new Map<string, UnreadCounts>(userIds.map((id) => [id, { count: 0, work: 0, notice: 0, chat: 0 }]));
      if (!userIds.length) return out;
      const [messages, chats] = await Promise.all([
        db
          .select({
            userId: msgMessage.userId,
            work: sql<number>`count(*) filter (where ${msgMessage.kind} <> ${NOTICE_KIND})::int`,
            notice: sql<number>`count(*) filter (where ${msgMessage.kind} = ${NOTICE_KIND})::int`,
          })
          .from(msgMessage)
          .where(and(inArray(msgMessage.userId, userIds), isNull(msgMessage.readAt)))
          .groupBy(msgMessage.userId),
        db
          .select({ userId: msgChat.toUserId, n: count() })
          .from(msgChat)
          .where(and(inArray(msgChat.toUserId, userIds), isNull(msgChat.readAt)))
          .groupBy(msgChat.toUserId),
      ]);
      for (const m of messages) Object.assign(out.get(m.userId)!, { work: Number(m.work), notice: Number(m.notice) });
      for (const c of chats) out.get(c.userId)!.chat = Number(c.n);
      for (const u of out.values()) u.count = u.work + u.notice + u.chat;
      return out;
    },

    /** The given messages (the live channel loads what it was told about). */
    async byIds(ids: string[]) {
      if (!ids.length) return [];
      return db.select().from(msgMessage).where(inArray(msgMessage.id, ids));
    },

    /**
     * The user's messages written with or after `lastId` (a reconnecting stream's Last-Event-ID),
     * oldest first; the client drops what it has already seen.
     */
    async after(userId: string, lastId: string, limit: number) {
      const last = db.select({ at: msgMessage.createdAt }).from(msgMessage).where(and(eq(msgMessage.id, lastId), eq(msgMessage.userId, userId)));
      return db
        .select()
        .from(msgMessage)
        .where(and(eq(msgMessage.userId, userId), ne(msgMessage.id, lastId), gte(msgMessage.createdAt, sql`(${last})`)))
        .orderBy(asc(msgMessage.createdAt), asc(msgMessage.id))
        .limit(limit);
    },

    /** Marks one of the user's messages read (keeping the first read time); undefined when not theirs. */
    async markRead(userId: string, id: string) {
      const [r] = await db
        .update(msgMessage)
        .set({ readAt: sql`coalesce(${msgMessage.readAt}, now())` })
        .where(and(eq(msgMessage.id, id), eq(msgMessage.userId, userId)))
        .returning({ id: msgMessage.id, title: msgMessage.title });
      return r;
    },

    /** Marks those of the ids that are the user's; returns how many were unread. */
    async markManyRead(userId: string, ids: string[]) {
      const rows = await db
        .update(msgMessage)
        .set({ readAt: sql`now()` })
        .where(and(eq(msgMessage.userId, userId), inArray(msgMessage.id, ids), isNull(msgMessage.readAt)))
        .returning({ id: msgMessage.id });
      return rows.length;
    },

    /** Returns how many were unread. */
    async markAllRead(userId: string) {
      const rows = await db
        .update(msgMessage)
        .set({ readAt: sql`now()` })
        .where(and(eq(msgMessage.userId, userId), isNull(msgMessage.readAt)))
        .returning({ id: msgMessage.id });
      return rows.length;
    },

    /** Deletes those of the ids that are the user's; returns their titles. */
    async remove(userId: string, ids: string[]) {
      return db
        .delete(msgMessage)
        .where(and(eq(msgMessage.userId, userId), inArray(msgMessage.id, ids)))
        .returning({ id: msgMessage.id, title: msgMessage.title });
    },

    /** Whether the user was sent the notice (and still has that message). */
    async hasNotice(userId: string, noticeId: string) {
      const [r] = await db
        .select({ id: msgMessage.id })
        .from(msgMessage)
        .where(and(eq(msgMessage.userId, userId), eq(msgMessage.noticeId, noticeId)))
        .limit(1);
      return !!r;
    },

    /**
     * One message to each enabled person of the organisations (or of everyone when `orgIds` is
     * null), but `exceptUserId`, written and announced by a single statement; returns how many were written.
     */
    async insertForOrgs(orgIds: string[] | null, m: NewMessage, exceptUserId?: string) {
      const written = orgMessagesInsert([{ orgIds, message: m }], exceptUserId);
      const result = (await db.execute(sql`with written as (${written.getSQL()}), announced as (${announceRows('m', 'written')})
        select (select count(*) from written)::int as n, (select count(*) from announced)::int as announced`)) as unknown as { rows: { n: number }[] };
      return Number(result.rows[0]?.n ?? 0);
    },

    orgMessagesInsert,

    async insertForUsers(userIds: string[], m: NewMessage) {
      const rows = await db
        .insert(msgMessage)
        .values(userIds.map((userId) => ({ userId, kind: m.kind, title: m.title, content: m.content, eventId: m.eventId ?? null, noticeId: m.noticeId ?? null })))
        .returning({ id: msgMessage.id, userId: msgMessage.userId });
      return announced(rows);
    },
  };
}
export type MessageRepository = ReturnType<typeof messageRepository>;
