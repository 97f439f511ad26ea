import type { FastifyInstance } from 'fastify';
import { endpoints } from '@cityops/contracts';
import { batchRoutes, route } from '../../core/http.js';
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
  batchRoutes(app, { subjectType: SUBJECT, names: s.namesOf }, [
    [endpoints.apiResourceEnable, '启用', (ids) => s.setEnabled(ids, true)],
    [endpoints.apiResourceDisable, '禁用', (ids) => s.setEnabled(ids, false)],
    [endpoints.apiResourceDelete, '删除', (ids) => s.remove(ids)],
  ]);
}
