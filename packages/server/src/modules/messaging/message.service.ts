import type { Message, MessageListQuery } from '@cityops/contracts';
import type { z } from 'zod';
import type { DbOrTx } from '../../core/db.js';
import { NotFound } from '../../core/errors.js';
import { isUuid } from '../../core/ids.js';
import type { Principal } from '../../core/principal.js';
import { messageRepository, type MessageRow, type NewMessage } from './message.repository.js';

const toDto = (r: MessageRow): Message => ({
  id: r.id,
  kind: r.kind,
  title: r.title,
  content: r.content,
  eventId: r.eventId,
  read: r.readAt !== null,
  createdAt: r.createdAt.toISOString(),
});

/**
 * 站内消息: other modules write messages inside their own transaction (so that a rolled-back
 * action leaves no message); each user lists and marks only their own.
 */
export function messageService(db: DbOrTx) {
  const repo = messageRepository(db);
  return {
    async list(user: Principal, q: z.output<typeof MessageListQuery>) {
      const unread = q.unread === undefined ? undefined : q.unread === 'true';
      const { items, total } = await repo.page(user.id, { unread, keyword: q.keyword || undefined }, q.page, q.pageSize);
      return { items: items.map(toDto), total, page: q.page, pageSize: q.pageSize };
    },

    async unreadCount(user: Principal) {
      return { count: await repo.unreadCount(user.id) };
    },

    /** Marks one of the user's own messages read; another user's is "not found". Returns its title. */
    async markRead(user: Principal, id: string) {
      const row = isUuid(id) ? await repo.markRead(user.id, id) : undefined;
      if (!row) throw new NotFound('消息不存在或已删除');
      return row;
    },

    async markAllRead(user: Principal) {
      return { count: await repo.markAllRead(user.id) };
    },

    /** One message per enabled person of the organisations (but `exceptUserId`), in the caller's transaction. */
    async notifyOrgs(tx: DbOrTx, orgIds: string[], message: NewMessage, exceptUserId?: string) {
      if (!orgIds.length) return;
      await messageRepository(tx).insertForOrgs([...new Set(orgIds)], message, exceptUserId);
    },

    /** One message per person, in the caller's transaction. */
    async notifyUsers(tx: DbOrTx, userIds: string[], message: NewMessage) {
      if (!userIds.length) return;
      await messageRepository(tx).insertForUsers([...new Set(userIds)], message);
    },
  };
}
export type MessageService = ReturnType<typeof messageService>;
