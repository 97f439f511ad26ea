import type { Message, MessageListQuery, UnreadCounts } from '@cityops/contracts';
import type { z } from 'zod';
import type { DbOrTx } from '../../core/db.js';
import { NotFound } from '../../core/errors.js';
import { isUuid } from '../../core/ids.js';
import type { Principal } from '../../core/principal.js';
import { announce, announceRows } from './message.channel.js';
import { messageRepository, type MessageRow, type NewMessage } from './message.repository.js';

export const toMessageDto = (r: MessageRow): Message => ({
  id: r.id,
  kind: r.kind,
  title: r.title,
  content: r.content,
  eventId: r.eventId,
  noticeId: r.noticeId,
  read: r.readAt !== null,
  createdAt: r.createdAt.toISOString(),
});

/** How many messages a reconnecting stream is sent again at most (the badge counts the rest). */
const REPLAY_LIMIT = 50;

/**
 * 站内消息: other modules write messages inside their own transaction (so that a rolled-back
 * action leaves no message, and nothing is pushed live); each user lists, marks and deletes only
 * their own.
 */
export function messageService(db: DbOrTx) {
  const repo = messageRepository(db);
  /** The user's other tabs and nodes reload their counts. */
  const changed = (user: Principal) => announce(db, { kind: 's', userId: user.id });

  return {
    async list(user: Principal, q: z.output<typeof MessageListQuery>) {
      const unread = q.unread === undefined ? undefined : q.unread === 'true';
      const { items, total } = await repo.page(
        user.id,
        { unread, keyword: q.keyword || undefined, category: q.category, kind: q.kind || undefined },
        q.page,
        q.pageSize,
      );
      return { items: items.map(toMessageDto), total, page: q.page, pageSize: q.pageSize };
    },

    async unreadCount(user: Pick<Principal, 'id'>): Promise<UnreadCounts> {
      return (await repo.unreadCounts([user.id])).get(user.id)!;
    },

    /** For the live channel: the counts of several users at once. */
    unreadCounts: (userIds: string[]) => repo.unreadCounts(userIds),

    /** Marks one of the user's own messages read; another user's is "not found". Returns its title. */
    async markRead(user: Principal, id: string) {
      const row = isUuid(id) ? await repo.markRead(user.id, id) : undefined;
      if (!row) throw new NotFound('消息不存在或已删除');
      await changed(user);
      return row;
    },

    /** Marks those of the ids that are the user's; others' ids are passed over. */
    async markManyRead(user: Principal, ids: string[]) {
      const count = await repo.markManyRead(user.id, [...new Set(ids)]);
      if (count) await changed(user);
      return { count };
    },

    async markAllRead(user: Principal) {
      const count = await repo.markAllRead(user.id);
      if (count) await changed(user);
      return { count };
    },

    /** Deletes one of the user's own messages; another user's is "not found". Returns its title. */
    async remove(user: Principal, id: string) {
      const [row] = isUuid(id) ? await repo.remove(user.id, [id]) : [];
      if (!row) throw new NotFound('消息不存在或已删除');
      await changed(user);
      return row;
    },

    /** Deletes those of the ids that are the user's; returns the titles of the deleted ones. */
    async removeMany(user: Principal, ids: string[]) {
      const rows = await repo.remove(user.id, [...new Set(ids)]);
      if (rows.length) await changed(user);
      return rows;
    },

    /** For the live channel: the messages it was told about, as the client sees them. */
    async loadMany(ids: string[]) {
      return (await repo.byIds(ids)).map(toMessageDto);
    },

    /** For a reconnecting stream: what came with or after its Last-Event-ID. */
    async replay(userId: string, lastId: string) {
      if (!isUuid(lastId)) return [];
      return (await repo.after(userId, lastId, REPLAY_LIMIT)).map(toMessageDto);
    },

    /** One message per enabled person of the organisations (but `exceptUserId`), in the caller's transaction. */
    async notifyOrgs(tx: DbOrTx, orgIds: string[], message: NewMessage, exceptUserId?: string) {
      if (!orgIds.length) return;
      await messageRepository(tx).insertForOrgs([...new Set(orgIds)], message, exceptUserId);
    },

    /**
     * Several messages, each to the enabled people of its organisations (but `exceptUserId`), as
     * parts of the caller's own statement in its transaction: `insert` (RETURNING id, user_id) as a
     * WITH item named `source`, and `announce(source)` as the statement's main query, so that the new
     * rows go out on the live channel at commit. Undefined when no item has an organisation.
     */
    orgMessageWrites(tx: DbOrTx, items: { orgIds: string[]; message: NewMessage }[], exceptUserId?: string) {
      const wanted = items.filter((i) => i.orgIds.length).map((i) => ({ orgIds: [...new Set(i.orgIds)], message: i.message }));
      if (!wanted.length) return undefined;
      return { insert: messageRepository(tx).orgMessagesInsert(wanted, exceptUserId), announce: (source: string) => announceRows('m', source) };
    },

    /** One message per person, in the caller's transaction. */
    async notifyUsers(tx: DbOrTx, userIds: string[], message: NewMessage) {
      if (!userIds.length) return;
      await messageRepository(tx).insertForUsers([...new Set(userIds)], message);
    },
  };
}
export type MessageService = ReturnType<typeof messageService>;
