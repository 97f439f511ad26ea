import type { FastifyInstance } from 'fastify';
import { endpoints } from '@cityops/contracts';
import { route } from '../../core/http.js';
import type { ParamService } from './param.service.js';

const SUBJECT = '系统参数';

export function paramRoutes(app: FastifyInstance, d: { params: ParamService }) {
  route(app, endpoints.sysParams, ({ query }) => d.params.list(query));

  route(app, endpoints.sysParamCreate, async ({ body, req }) => {
    req.audit = { type: '新增', subjectType: SUBJECT, subjectName: `${body.name}（${body.code}）` };
    return d.params.create(body);
  });

  route(app, endpoints.sysParamUpdate, async ({ params, body, req }) => {
    req.audit = { type: '修改', subjectType: SUBJECT, subjectName: await d.params.describe(params.code) };
    return d.params.update(params.code, body);
  });

  route(app, endpoints.sysParamReset, async ({ params, req }) => {
    req.audit = { type: '修改', subjectType: SUBJECT, subjectName: await d.params.describe(params.code), content: '恢复默认值' };
    return d.params.reset(params.code);
  });

  route(app, endpoints.sysParamDelete, async ({ params, req }) => {
    req.audit = { type: '删除', subjectType: SUBJECT, subjectName: await d.params.describe(params.code) };
    await d.params.remove(params.code);
    return { ok: true as const };
  });
}
