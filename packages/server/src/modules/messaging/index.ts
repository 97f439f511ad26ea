import type { FastifyInstance } from 'fastify';
import { endpoints } from '@cityops/contracts';
import type { Database } from '../../core/db.js';
import type { SessionStore } from '../../core/session.js';
import { chatService } from './chat.service.js';
import { announce } from './message.channel.js';
import { messageHub } from './message.hub.js';
import { chatRoutes, messageRoutes, noticeRoutes } from './message.routes.js';
import { messageService, type MessageService } from './message.service.js';
import { noticeService, type NoticeFiles } from './notice.service.js';

/**
 * Registers the routes of 站内消息 (messages, system notices, chat and the live stream) and returns
 * the service, which other modules (the event hub's EventMessenger port) use to write messages
 * inside their own transactions.
 */
export async function registerMessagingModule(
  app: FastifyInstance,
  d: { database: Database; files: NoticeFiles; sessions: Pick<SessionStore, 'resume'>; heartbeatMs?: number },
): Promise<MessageService> {
  const { db } = d.database;
  const messages = messageService(db);
  const chats = chatService({ db });
  const hub = messageHub({
    database: d.database,
    log: app.log,
    heartbeatMs: d.heartbeatMs,
    sources: {
      messages: (ids) => messages.loadMany(ids),
      chats: (ids) => chats.loadMany(ids),
      replay: (userId, lastId) => messages.replay(userId, lastId),
      counts: (userIds) => messages.unreadCounts(userIds),
      // Without touching: a live stream must not keep its session open.
      sessionAlive: async (token) => (await d.sessions.resume(token, false)) !== undefined,
    },
  });
  await hub.start();
  app.addHook('preClose', async () => hub.closeAll());
  app.addHook('onClose', async () => hub.stop());
  // A logout closes that session's streams on every node at once (the heartbeat would find it later).
  app.addHook('onResponse', async (req, reply) => {
    if (req.routeOptions.url === endpoints.logout.path && req.principal && reply.statusCode < 300) {
      await announce(db, hub.sessionEnded(req.principal.token)).catch((err) => req.log.warn({ err }, 'logout announcement failed'));
    }
  });

  messageRoutes(app, { messages, hub });
  noticeRoutes(app, { notices: noticeService({ db, files: d.files }) });
  chatRoutes(app, { chats });
  return messages;
}
