import { z } from 'zod';
import { defineEndpoint } from './endpoint.js';
import { IdParams, IsoDateTime, Ok, PageQuery, pageOf } from './common.js';

export const Message = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  content: z.string(),
  eventId: z.string().nullable(),
  read: z.boolean(),
  createdAt: IsoDateTime,
});
export type Message = z.infer<typeof Message>;

export const MessageListQuery = PageQuery.extend({
  unread: z.enum(['true', 'false']).optional(),
  keyword: z.string().trim().max(50).optional(),
});

export const messageEndpoints = {
  messages: defineEndpoint({
    method: 'GET', path: '/api/messages', summary: '我的站内消息', tags: ['messaging'],
    access: 'authenticated', query: MessageListQuery, response: pageOf(Message),
  }),
  messageUnreadCount: defineEndpoint({
    method: 'GET', path: '/api/messages/unread-count', summary: '未读消息数（角标）', tags: ['messaging'],
    access: 'authenticated', response: z.object({ count: z.number().int() }),
  }),
  messageRead: defineEndpoint({
    method: 'POST', path: '/api/messages/:id/read', summary: '标记一条消息已读', tags: ['messaging'],
    access: 'authenticated', params: IdParams, response: Ok,
  }),
  messageReadAll: defineEndpoint({
    method: 'POST', path: '/api/messages/read-all', summary: '全部标记已读', tags: ['messaging'],
    access: 'authenticated', response: z.object({ count: z.number().int() }),
  }),
};
