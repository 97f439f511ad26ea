import type { FastifyInstance } from 'fastify';
import type { Database } from '../../core/db.js';
import { messageRoutes } from './message.routes.js';
import { messageService, type MessageService } from './message.service.js';

/**
 * Registers the routes of 站内消息 and returns the service, which other modules (the event hub's
 * EventMessenger port) use to write messages inside their own transactions.
 */
export function registerMessagingModule(app: FastifyInstance, d: { database: Database }): MessageService {
  const messages = messageService(d.database.db);
  messageRoutes(app, { messages });
  return messages;
}
