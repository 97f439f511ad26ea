import type { FastifyInstance } from 'fastify';
import { endpoints } from '@cityops/contracts';
import { batchRoutes, route } from '../../core/http.js';
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

  batchRoutes(app, { subjectType: SUBJECT, names: s.namesOf }, [
    [endpoints.resourceEnable, '启用', (ids) => s.setEnabled(ids, true)],
    [endpoints.resourceDisable, '禁用', (ids) => s.setEnabled(ids, false)],
    [endpoints.resourceDelete, '删除', (ids) => s.remove(ids)],
  ]);
}
