import type { FastifyInstance } from 'fastify';
import { endpoints } from '@cityops/contracts';
import { route } from '../../core/http.js';
import type { ResourceService } from './resource.service.js';

const SUBJECT = '功能资源';

export function resourceRoutes(app: FastifyInstance, d: { resources: ResourceService }) {
  const s = d.resources;
  route(app, endpoints.resourceTree, ({ query }) => s.tree(query));
  route(app, endpoints.resourceGet, ({ params }) => s.get(params.id));

  route(app, endpoints.resourceCreate, ({ body, req }) => {
    req.audit = { type: '新增', subjectType: SUBJECT, subjectName: body.name };
    return s.create(body);
  });
  route(app, endpoints.resourceUpdate, ({ params, body, req }) => {
    req.audit = { type: '修改', subjectType: SUBJECT, subjectName: body.name };
    return s.update(params.id, body);
  });
  route(app, endpoints.resourceMove, async ({ params, body, req }) => {
    req.audit = { type: '修改', subjectType: SUBJECT, subjectName: await s.namesOf([params.id]), content: `移动功能资源：${JSON.stringify(body)}` };
    return s.move(params.id, body);
  });

  route(app, endpoints.resourceEnable, async ({ body, req }) => {
    req.audit = { type: '启用', subjectType: SUBJECT, subjectName: await s.namesOf(body.ids) };
    return s.setEnabled(body.ids, true);
  });
  route(app, endpoints.resourceDisable, async ({ body, req }) => {
    req.audit = { type: '禁用', subjectType: SUBJECT, subjectName: await s.namesOf(body.ids) };
    return s.setEnabled(body.ids, false);
  });
  route(app, endpoints.resourceDelete, async ({ body, req }) => {
    req.audit = { type: '删除', subjectType: SUBJECT, subjectName: await s.namesOf(body.ids) };
    return s.remove(body.ids);
  });
}
