import type { FastifyInstance } from 'fastify';
import { endpoints } from '@cityops/contracts';
import { route } from '../../core/http.js';
import type { ApiResourceService } from './api-resource.service.js';

const SUBJECT = '接口服务资源';

export function apiResourceRoutes(app: FastifyInstance, d: { apiResources: ApiResourceService }) {
  const s = d.apiResources;
  route(app, endpoints.apiResourceGroups, ({ query }) => s.groups(query));

  route(app, endpoints.apiResourceCreate, ({ body, req }) => {
    req.audit = { type: '新增', subjectType: SUBJECT, subjectName: body.name };
    return s.create(body);
  });
  route(app, endpoints.apiResourceUpdate, ({ params, body, req }) => {
    req.audit = { type: '修改', subjectType: SUBJECT, subjectName: body.name };
    return s.update(params.id, body);
  });
  route(app, endpoints.apiResourceEnable, async ({ body, req }) => {
    req.audit = { type: '启用', subjectType: SUBJECT, subjectName: await s.namesOf(body.ids) };
    return s.setEnabled(body.ids, true);
  });
  route(app, endpoints.apiResourceDisable, async ({ body, req }) => {
    req.audit = { type: '禁用', subjectType: SUBJECT, subjectName: await s.namesOf(body.ids) };
    return s.setEnabled(body.ids, false);
  });
  route(app, endpoints.apiResourceDelete, async ({ body, req }) => {
    req.audit = { type: '删除', subjectType: SUBJECT, subjectName: await s.namesOf(body.ids) };
    return s.remove(body.ids);
  });
}
