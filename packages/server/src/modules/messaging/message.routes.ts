import type { FastifyInstance } from 'fastify';
import { endpoints } from '@cityops/contracts';
import { route } from '../../core/http.js';
import { listNames } from '../../core/text.js';
import type { ChatService } from './chat.service.js';
import type { MessageHub } from './message.hub.js';
import type { MessageService } from './message.service.js';
import type { NoticeService } from './notice.service.js';

const SUBJECT = '站内消息';

export function messageRoutes(app: FastifyInstance, d: { messages: MessageService; hub: MessageHub }) {
  route(app, endpoints.messages, ({ user, query }) => d.messages.list(user, query));
  route(app, endpoints.messageUnreadCount, ({ user }) => d.messages.unreadCount(user));
  route(app, endpoints.messageStream, async ({ user, req, reply }) => {
    await d.hub.open(req, reply, user);
    return undefined;
  });
  route(app, endpoints.messageRead, async ({ user, params, req }) => {
    req.audit = { type: '修改', subjectType: SUBJECT, subjectName: params.id, content: '标记已读' };
    const row = await d.messages.markRead(user, params.id);
    req.audit = { ...req.audit, subjectName: row.title };
    return { ok: true as const };
  });
  route(app, endpoints.messageReadMany, async ({ user, body, req }) => {
    req.audit = { type: '修改', subjectType: SUBJECT, subjectName: `${body.ids.length} 条消息`, content: '批量标记已读' };
    return d.messages.markManyRead(user, body.ids);
  });
  route(app, endpoints.messageReadAll, async ({ user, req }) => {
    req.audit = { type: '修改', subjectType: SUBJECT, subjectName: '全部消息', content: '全部标记已读' };
    return d.messages.markAllRead(user);
  });
  route(app, endpoints.messageDelete, async ({ user, params, req }) => {
    req.audit = { type: '删除', subjectType: SUBJECT, subjectName: params.id };
    const row = await d.messages.remove(user, params.id);
    req.audit = { ...req.audit, subjectName: row.title };
    return { ok: true as const };
  });
  route(app, endpoints.messageDeleteMany, async ({ user, body, req }) => {
    req.audit = { type: '删除', subjectType: SUBJECT, subjectName: `${body.ids.length} 条消息` };
    const rows = await d.messages.removeMany(user, body.ids);
    req.audit = { ...req.audit, subjectName: rows.length ? listNames(rows.map((r) => r.title), 3, '条') : '无' };
    return { count: rows.length };
  });
}

export function noticeRoutes(app: FastifyInstance, d: { notices: NoticeService }) {
  route(app, endpoints.notices, ({ query }) => d.notices.list(query));
  route(app, endpoints.noticePublish, async ({ user, body, req }) => {
    req.audit = { type: '新增', subjectType: '系统通知', subjectName: body.title, content: body.scope === 'all' ? '发布给全体人员' : `发布给 ${body.orgIds.length} 个单位` };
    return d.notices.publish(user, body);
  });
  route(app, endpoints.noticeDetail, ({ user, params }) => d.notices.detail(user, params.id));
  route(app, endpoints.noticeOrgs, () => d.notices.orgs());
}

export function chatRoutes(app: FastifyInstance, d: { chats: ChatService }) {
  route(app, endpoints.chatContacts, ({ user, query }) => d.chats.contacts(user, query.keyword || undefined));
  route(app, endpoints.chatConversations, ({ user }) => d.chats.conversations(user));
  route(app, endpoints.chatThread, ({ user, params, query }) => d.chats.thread(user, params.userId, query));
  route(app, endpoints.chatSend, async ({ user, body, req }) => {
    // The content stays out of the operation log: a private line is nobody else's reading.
    req.audit = { type: '新增', subjectType: '私信', subjectName: body.toUserId, content: '发送私信' };
    const { line, peer } = await d.chats.send(user, body);
    req.audit = { ...req.audit, subjectName: `发给${peer.name}` };
    return line;
  });
  route(app, endpoints.chatRead, async ({ user, params, req }) => {
    req.audit = { type: '修改', subjectType: '私信', subjectName: params.userId, content: '标记已读' };
    return d.chats.markRead(user, params.userId);
  });
}
