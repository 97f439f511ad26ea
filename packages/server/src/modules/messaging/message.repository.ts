import { and, count, desc, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { userRepository } from '../system/user.repository.js';
import { msgMessage } from './message.table.js';

export type MessageRow = typeof msgMessage.$inferSelect;
/** What a message says; who receives it is decided by the caller. */
export type NewMessage = Pick<MessageRow, 'kind' | 'title' | 'content'> & { eventId?: string | null; noticeId?: string | null };

export interface MessageFilter {
  unread?: boolean;
  keyword?: string;
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
    return and(...c);
  };

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

    /** Answered from the (user_id, read_at, created_at) index alone. */
    async unreadCount(userId: string) {
      const [r] = await db.select({ n: count() }).from(msgMessage).where(and(eq(msgMessage.userId, userId), isNull(msgMessage.readAt)));
      return r?.n ?? 0;
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

    /** Returns how many were unread. */
    async markAllRead(userId: string) {
      const rows = await db
        .update(msgMessage)
        .set({ readAt: sql`now()` })
        .where(and(eq(msgMessage.userId, userId), isNull(msgMessage.readAt)))
        .returning({ id: msgMessage.id });
      return rows.length;
    },

    /** One message to each enabled person of the organisations, in a single INSERT … SELECT. */
    async insertForOrgs(orgIds: string[], m: NewMessage, exceptUserId?: string) {
      const r = userRepository(db).enabledIdsIn(orgIds, exceptUserId).as('recipient');
      await db.insert(msgMessage).select(
        db
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
          .from(r),
      );
    },

    async insertForUsers(userIds: string[], m: NewMessage) {
      await db.insert(msgMessage).values(userIds.map((userId) => ({ userId, kind: m.kind, title: m.title, content: m.content, eventId: m.eventId ?? null })));
    },
  };
}
export type MessageRepository = ReturnType<typeof messageRepository>;
