import type { FastifyInstance } from 'fastify';
import { endpoints } from '@cityops/contracts';
import { route } from '../../core/http.js';
import type { OrgService } from './org.service.js';

const SUBJECT = '组织机构';

export function orgRoutes(app: FastifyInstance, d: { orgs: OrgService }) {
  route(app, endpoints.orgChildren, ({ user, query }) => d.orgs.children(user, query.parentId));
  route(app, endpoints.orgSearch, ({ user, query }) => d.orgs.search(user, query));
  route(app, endpoints.orgDetail, ({ user, params }) => d.orgs.detail(user, params.id));

  route(app, endpoints.orgCreate, ({ user, body, req }) => {
    req.audit = { type: '新增', subjectType: SUBJECT, subjectName: body.name };
    return d.orgs.create(user, body);
  });
  route(app, endpoints.orgUpdate, ({ user, params, body, req }) => {
    req.audit = { type: '修改', subjectType: SUBJECT, subjectName: body.name };
    return d.orgs.update(user, params.id, body);
  });
  route(app, endpoints.orgMove, async ({ user, params, body, req }) => {
    const [name, target] = await Promise.all([d.orgs.nameOf(params.id), d.orgs.nameOf(body.parentId)]);
    req.audit = { type: '修改', subjectType: SUBJECT, subjectName: name ?? params.id, content: `移动到「${target ?? body.parentId}」下` };
    return d.orgs.move(user, params.id, body.parentId);
  });
  route(app, endpoints.orgDelete, async ({ user, params, req }) => {
    req.audit = { type: '删除', subjectType: SUBJECT, subjectName: (await d.orgs.nameOf(params.id)) ?? params.id };
    await d.orgs.remove(user, params.id);
    return { ok: true as const };
  });
  route(app, endpoints.orgBatchEnable, async ({ user, body, req }) => {
    req.audit = { type: '启用', subjectType: SUBJECT, subjectName: await d.orgs.describe(body.ids) };
    return d.orgs.batchEnable(user, body.ids, true);
  });
  route(app, endpoints.orgBatchDisable, async ({ user, body, req }) => {
    req.audit = { type: '禁用', subjectType: SUBJECT, subjectName: await d.orgs.describe(body.ids) };
    return d.orgs.batchEnable(user, body.ids, false);
  });
  route(app, endpoints.orgBatchDelete, async ({ user, body, req }) => {
    req.audit = { type: '删除', subjectType: SUBJECT, subjectName: await d.orgs.describe(body.ids) };
    return d.orgs.batchDelete(user, body.ids);
  });
}
