import type { FastifyInstance } from 'fastify';
import { endpoints } from '@cityops/contracts';
import { sendXlsx } from '../../core/excel.js';
import { route } from '../../core/http.js';
import type { EventDetailService } from './event-detail.service.js';
import { EVENT_EXPORT_LIMIT, eventExportFileName, eventWorkbook } from './event-export.js';
import type { EventQueryService } from './event-query.service.js';

/** The read side of the event hub: lists, to-dos, audits, export and the detail page. */
export function eventQueryRoutes(app: FastifyInstance, d: { queries: EventQueryService; detail: EventDetailService }) {
  route(app, endpoints.eventList, ({ user, query }) => d.queries.list(user, query));
  route(app, endpoints.eventDrafts, ({ user, query }) => d.queries.drafts(user, query));
  route(app, endpoints.eventTodos, ({ user, query }) => d.queries.todos(user, query));
  route(app, endpoints.eventTodoSummary, ({ user }) => d.queries.todoSummary(user));
  route(app, endpoints.eventTodoPlates, ({ user, query }) => d.queries.todoPlates(user, query));
  route(app, endpoints.eventRequests, ({ user, query }) => d.queries.requests(user, query));

  route(app, endpoints.eventExport, async ({ user, query, reply }) => {
    const at = new Date();
    const result = await d.queries.exportRows(user, query, EVENT_EXPORT_LIMIT);
    const body = await eventWorkbook(result, { exportedBy: `${user.name}（${user.username}）`, query, at });
    reply
      .header('x-export-total', `${result.total}${result.truncated ? '+' : ''}`)
      .header('x-export-rows', String(result.rows.length))
      .header('x-export-truncated', String(result.truncated));
    return sendXlsx(reply, eventExportFileName(at), body);
  });

  route(app, endpoints.eventDetail, ({ user, params }) => d.detail.detail(user, params.id));
}
