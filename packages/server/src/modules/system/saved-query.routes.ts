import type { FastifyInstance } from 'fastify';
import { endpoints } from '@cityops/contracts';
import { route } from '../../core/http.js';
import type { SavedQueryService } from './saved-query.service.js';

export function savedQueryRoutes(app: FastifyInstance, d: { savedQueries: SavedQueryService }) {
  route(app, endpoints.savedQueries, ({ user, query }) => d.savedQueries.list(user, query.page));
  route(app, endpoints.savedQueryCreate, ({ user, body, req }) => {
    req.audit = { type: '新增', subjectType: '常用查询', subjectName: body.name };
    return d.savedQueries.create(user, body);
  });
  route(app, endpoints.savedQueryDelete, async ({ user, params, req }) => {
    req.audit = { type: '删除', subjectType: '常用查询', subjectName: params.id };
    const row = await d.savedQueries.remove(user, params.id);
    req.audit = { type: '删除', subjectType: '常用查询', subjectName: row.name };
    return { ok: true as const };
  });
}
