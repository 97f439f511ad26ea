import type { FastifyInstance } from 'fastify';
import { endpoints } from '@cityops/contracts';
import { batchRoutes, route } from '../../core/http.js';
import type { RuleService } from './rule.service.js';

const MODEL = '规则模型';
const RULE = '规则实例';

/** 规则引擎: 规则模型 and 规则实例. */
export function ruleRoutes(app: FastifyInstance, d: { rules: RuleService }) {
  const s = d.rules;

  route(app, endpoints.iotRuleModels, ({ query }) => s.listModels(query));
  route(app, endpoints.iotRuleModelCreate, async ({ body, req }) => {
    req.audit = { type: '新增', subjectType: MODEL, subjectName: body.name };
    return s.createModel(body);
  });
  route(app, endpoints.iotRuleModelUpdate, async ({ params, body, req }) => {
    req.audit = { type: '修改', subjectType: MODEL, subjectName: await s.modelName(params.id) };
    return s.updateModel(params.id, body);
  });
  route(app, endpoints.iotRuleModelDelete, async ({ params, req }) => {
    req.audit = { type: '删除', subjectType: MODEL, subjectName: await s.modelName(params.id) };
    return s.deleteModel(params.id);
  });

  route(app, endpoints.iotRules, ({ query }) => s.list(query));
  route(app, endpoints.iotRuleTest, async ({ body }) => s.test(body));
  route(app, endpoints.iotRule, ({ params }) => s.get(params.id));
  route(app, endpoints.iotRuleCreate, async ({ body, req }) => {
    req.audit = { type: '新增', subjectType: RULE, subjectName: body.name };
    return s.create(body);
  });
  route(app, endpoints.iotRuleUpdate, async ({ params, body, req }) => {
    req.audit = { type: '修改', subjectType: RULE, subjectName: body.name };
    return s.update(params.id, body);
  });
  batchRoutes(app, { subjectType: RULE, names: s.names }, [
    [endpoints.iotRulesEnable, '启用', (ids) => s.setEnabled(ids, true)],
    [endpoints.iotRulesDisable, '禁用', (ids) => s.setEnabled(ids, false)],
    [endpoints.iotRulesDelete, '删除', (ids) => s.remove(ids)],
  ]);
}
