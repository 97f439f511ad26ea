import type { FastifyInstance } from 'fastify';
import { endpoints } from '@cityops/contracts';
import { route } from '../../core/http.js';
import type { DispatchGroupService } from './dispatch-group.service.js';

const SUBJECT = '交办分组';

export function dispatchGroupRoutes(app: FastifyInstance, d: { dispatchGroups: DispatchGroupService }) {
  route(app, endpoints.dispatchGroups, ({ user }) => d.dispatchGroups.list(user));
  route(app, endpoints.dispatchGroupCreate, ({ user, body, req }) => {
    req.audit = { type: '新增', subjectType: SUBJECT, subjectName: body.name };
    return d.dispatchGroups.create(user, body);
  });
  route(app, endpoints.dispatchGroupDelete, async ({ user, params, req }) => {
    req.audit = { type: '删除', subjectType: SUBJECT, subjectName: params.id };
    const row = await d.dispatchGroups.remove(user, params.id);
    req.audit = { type: '删除', subjectType: SUBJECT, subjectName: row.name };
    return { ok: true as const };
  });
}
