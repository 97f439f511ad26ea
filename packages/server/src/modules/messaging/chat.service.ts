import type { ChatConversation, ChatLine, ChatPerson, ChatSend, ChatThreadQuery } from '@cityops/contracts';
import type { z } from 'zod';
import type { Db } from '../../core/db.js';
import { Invalid, NotFound } from '../../core/errors.js';
import { isUuid } from '../../core/ids.js';
import type { Principal } from '../../core/principal.js';
import { userRepository } from '../system/user.repository.js';
import { announce } from './message.channel.js';
import { chatRepository, type ChatRow } from './chat.repository.js';

export const toChatDto = (r: ChatRow): ChatLine => ({
  id: r.id,
  fromUserId: r.fromUserId,
  toUserId: r.toUserId,
  content: r.content,
  eventId: r.eventId,
  read: r.readAt !== null,
  createdAt: r.createdAt.toISOString(),
});

const CONTACTS_LIMIT = 50;
const CONVERSATIONS_LIMIT = 100;

/** 私信: one-to-one lines between colleagues, pushed live to both people. */
export function chatService(d: { db: Db }) {
  const chats = chatRepository(d.db);
  const users = userRepository(d.db);
  const person = async (id: string): Promise<ChatPerson | undefined> => (isUuid(id) ? (await users.directory({ ids: [id], limit: 1 }))[0] : undefined);

  return {
    /** People to write to: matching the keyword (name, pinyin initials, organisation), else the user's own organisation. */
    async contacts(user: Principal, keyword: string | undefined): Promise<ChatPerson[]> {
      if (!keyword && !user.orgId) return [];
      return users.directory(keyword ? { keyword, exceptId: user.id, limit: CONTACTS_LIMIT } : { orgId: user.orgId!, exceptId: user.id, limit: CONTACTS_LIMIT });
    },

    async conversations(user: Principal): Promise<ChatConversation[]> {
      const rows = await chats.conversations(user.id, CONVERSATIONS_LIMIT);
      const peers = new Map((await users.directory({ ids: rows.map((r) => r.peer), limit: rows.length || 1 })).map((p) => [p.id, p]));
      return rows.map((r) => ({
        // A colleague disabled since still shows, by the name the line can no longer tell.
        peer: peers.get(r.peer) ?? { id: r.peer, name: '已停用人员', orgName: null },
        lastContent: r.content,
        lastFromMe: r.from_user_id === user.id,
        lastAt: new Date(r.created_at).toISOString(),
        unread: Number(r.unread),
      }));
    },

    async thread(user: Principal, peerId: string, q: z.output<typeof ChatThreadQuery>) {
      const peer = await person(peerId);
      if (!peer) throw new NotFound('该人员不存在或已停用');
      const rows = await chats.thread(user.id, peer.id, q.before, q.limit + 1);
      const hasMore = rows.length > q.limit;
      return { peer, items: rows.slice(0, q.limit).reverse().map(toChatDto), hasMore };
    },

    async send(user: Principal, body: z.output<typeof ChatSend>) {
      if (body.toUserId === user.id) throw new Invalid('不能给自己发送私信', [{ path: 'toUserId', message: '不能给自己发送私信' }]);
      const peer = await person(body.toUserId);
      if (!peer) throw new Invalid('私信对象不存在或已停用', [{ path: 'toUserId', message: '私信对象不存在或已停用' }]);
      const row = await chats.insert({ fromUserId: user.id, toUserId: peer.id, content: body.content, eventId: body.eventId });
      return { line: toChatDto(row), peer };
    },

    /** Marks what the peer sent read; the user's other tabs reload their counts. */
    async markRead(user: Principal, peerId: string) {
      if (!isUuid(peerId)) throw new NotFound('该人员不存在或已停用');
      const count = await chats.markRead(user.id, peerId);
      if (count) await announce(d.db, { kind: 's', userId: user.id });
      return { count };
    },

    /** For the live channel: the lines it was told about. */
    async loadMany(ids: string[]) {
      return (await chats.byIds(ids)).map(toChatDto);
    },
  };
}
export type ChatService = ReturnType<typeof chatService>;
