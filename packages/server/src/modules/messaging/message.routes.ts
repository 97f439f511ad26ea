import type { FastifyInstance } from 'fastify';
import { endpoints } from '@cityops/contracts';
import { route } from '../../core/http.js';
import type { MessageService } from './message.service.js';

const SUBJECT = '站内消息';

export function messageRoutes(app: FastifyInstance, d: { messages: MessageService }) {
  route(app, endpoints.messages, ({ user, query }) => d.messages.list(user, query));
  route(app, endpoints.messageUnreadCount, ({ user }) => d.messages.unreadCount(user));
  route(app, endpoints.messageRead, async ({ user, params, req }) => {
    req.audit = { type: '修改', subjectType: SUBJECT, subjectName: params.id, content: '标记已读' };
    const row = await d.messages.markRead(user, params.id);
    req.audit = { ...req.audit, subjectName: row.title };
    return { ok: true as const };
  });
  route(app, endpoints.messageReadAll, async ({ user, req }) => {
    req.audit = { type: '修改', subjectType: SUBJECT, subjectName: '全部消息', content: '全部标记已读' };
    return d.messages.markAllRead(user);
  });
}
