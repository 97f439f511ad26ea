import { z } from 'zod';
import { defineEndpoint } from '../endpoint.js';
import { BatchBody, BatchResult, IsoDateTime, Ok, PageQuery, pageOf } from '../common.js';
import { PERMISSIONS as P } from '../permissions.js';
import { RuleAction, RuleKind, RuleLevel, RuleParams } from './rule.js';

/** IoT: 规则模型 (templates) and 规则实例 (a model applied to a product). */
const tags = ['iot'];


const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
const name = (what: string) => z.string({ message: `请输入${what}名称` }).trim().min(1, `请输入${what}名称`).max(50, `${what}名称不能超过 50 个字`);
const description = z.string().trim().max(500, '描述不能超过 500 个字').default('');
const Actions = z.array(RuleAction).max(10, '动作最多 10 个');

// ---- 规则模型 ----

export const RuleModel = z.object({
  id: z.string(),
  name: z.string(),
  kind: RuleKind,
  params: RuleParams,
  actions: z.array(RuleAction),
  description: z.string(),
  /** Seeded by the platform: cannot be deleted. */
  builtin: z.boolean(),
  /** How many rule instances use it. */
  ruleCount: z.number().int(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type RuleModel = z.infer<typeof RuleModel>;

export const RuleModelQuery = PageQuery.extend({
  keyword: z.string().trim().max(50).optional(),
  kind: RuleKind.optional(),
});

export const RuleModelBody = z.object({
  name: name('模型'),
  kind: RuleKind,
  params: RuleParams,
  actions: Actions.default([{ type: 'alarm' }]),
  description,
});
export type RuleModelInput = z.input<typeof RuleModelBody>;

// ---- 规则实例 ----

export const Rule = z.object({
  id: z.string(),
  name: z.string(),
  modelId: z.string().nullable(),
  modelName: z.string().nullable(),
  kind: RuleKind,
  productId: z.string(),
  productName: z.string(),
  productKey: z.string(),
  /** Empty: every device of the product. */
  deviceIds: z.array(z.string()),
  devices: z.array(z.object({ id: z.string(), name: z.string(), deviceKey: z.string() })),
  params: RuleParams,
  actions: z.array(RuleAction),
  level: RuleLevel,
  enabled: z.boolean(),
  description: z.string(),
  /** Human-readable condition, e.g. 「gas_concentration 大于 20」. */
  condition: z.string(),
  activeAlarms: z.number().int(),
  lastFiredAt: IsoDateTime.nullable(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Rule = z.infer<typeof Rule>;

export const RuleQuery = PageQuery.extend({
  productId: z.string().uuid('产品标识无效').optional(),
  enabled: flag.optional(),
  kind: RuleKind.optional(),
  /** Part of the rule's name. */
  keyword: z.string().trim().max(50).optional(),
});

const RuleFields = z.object({
  name: name('规则'),
  productId: z.string({ message: '请选择产品' }).uuid('请选择产品'),
  deviceIds: z.array(z.string().uuid('设备标识无效')).max(1000, '指定设备最多 1000 个').default([]),
  level: RuleLevel.default('warning'),
  enabled: z.boolean().default(true),
  description,
});

/**
 * A new rule: from a model (`modelId`: kind, and params/actions when omitted, come from it) or
 * without one (`kind` and `params` required).
 */
export const RuleCreate = RuleFields.extend({
  modelId: z.string().uuid('规则模型标识无效').optional(),
  kind: RuleKind.optional(),
  params: RuleParams.optional(),
  actions: Actions.optional(),
}).refine((v) => v.modelId || v.kind, { message: '请选择规则模型或规则类型', path: ['modelId'] });
export type RuleCreateInput = z.input<typeof RuleCreate>;

/** Edit: the kind stays (it comes from the model). */
export const RuleUpdate = RuleFields.extend({ params: RuleParams, actions: Actions });
export type RuleUpdateInput = z.input<typeof RuleUpdate>;

/**
 * 规则测试: would the rule fire for this sample? `value` is the reported value; duration: how long
 * it has held (`heldSeconds`); rate: the previous value and the minutes between the two; event: the
 * event reported; offline: minutes since the last message.
 */
export const RuleTestBody = z.object({
  kind: RuleKind,
  params: RuleParams,
  sample: z.object({
    value: z.number().optional(),
    heldSeconds: z.number().min(0).optional(),
    previousValue: z.number().optional(),
    minutesBetween: z.number().positive('间隔必须大于 0').optional(),
    event: z.string().max(50).optional(),
    eventLevel: z.enum(['info', 'alert', 'error']).optional(),
    silentMinutes: z.number().min(0).optional(),
  }),
});
export type RuleTestInput = z.input<typeof RuleTestBody>;
export const RuleTestResult = z.object({
  fires: z.boolean(),
  /** Why, in Chinese (e.g. 「35 大于 20，触发」). */
  message: z.string(),
});
export type RuleTestResult = z.infer<typeof RuleTestResult>;

const IdParams = z.object({ id: z.string().uuid('规则不存在') });
const ModelIdParams = z.object({ id: z.string().uuid('规则模型不存在') });
const batch = (path: string, summary: string) =>
  defineEndpoint({ method: 'POST', path, summary, tags, access: 'authorized', permission: P.iotRuleEdit, body: BatchBody, response: BatchResult });

export const ruleEndpoints = {
  iotRuleModels: defineEndpoint({
    method: 'GET', path: '/api/iot/rule-models', summary: '规则模型列表（名称搜索、类型；分页）', tags,
    access: 'authorized', permission: P.iotRuleList, query: RuleModelQuery, response: pageOf(RuleModel),
  }),
  iotRuleModelCreate: defineEndpoint({
    method: 'POST', path: '/api/iot/rule-models', summary: '新增规则模型', tags,
    access: 'authorized', permission: P.iotRuleEdit, body: RuleModelBody, response: RuleModel,
  }),
  iotRuleModelUpdate: defineEndpoint({
    method: 'PUT', path: '/api/iot/rule-models/:id', summary: '修改规则模型（已建实例不受影响）', tags,
    access: 'authorized', permission: P.iotRuleEdit, params: ModelIdParams, body: RuleModelBody, response: RuleModel,
  }),
  iotRuleModelDelete: defineEndpoint({
    method: 'DELETE', path: '/api/iot/rule-models/:id', summary: '删除规则模型（内置模型不可删除；实例保留）', tags,
    access: 'authorized', permission: P.iotRuleEdit, params: ModelIdParams, response: Ok,
  }),

  iotRules: defineEndpoint({
    method: 'GET', path: '/api/iot/rules', summary: '规则实例列表（产品、启用、类型、名称；分页）', tags,
    access: 'authorized', permission: P.iotRuleList, query: RuleQuery, response: pageOf(Rule),
  }),
  iotRule: defineEndpoint({
    method: 'GET', path: '/api/iot/rules/:id', summary: '规则实例详情', tags,
    access: 'authorized', permission: P.iotRuleList, params: IdParams, response: Rule,
  }),
  iotRuleCreate: defineEndpoint({
    method: 'POST', path: '/api/iot/rules', summary: '新增规则实例（由规则模型生成，参数与动作默认取自模型）', tags,
    access: 'authorized', permission: P.iotRuleEdit, body: RuleCreate, response: Rule,
  }),
  iotRuleUpdate: defineEndpoint({
    method: 'PUT', path: '/api/iot/rules/:id', summary: '修改规则实例', tags,
    access: 'authorized', permission: P.iotRuleEdit, params: IdParams, body: RuleUpdate, response: Rule,
  }),
  iotRulesEnable: batch('/api/iot/rules/batch-enable', '批量启用规则'),
  iotRulesDisable: batch('/api/iot/rules/batch-disable', '批量停用规则（其活动告警自动解除）'),
  iotRulesDelete: batch('/api/iot/rules/batch-delete', '批量删除规则（告警记录保留）'),
  iotRuleTest: defineEndpoint({
    method: 'POST', path: '/api/iot/rules/test', summary: '规则测试：给定样本值是否触发', tags,
    access: 'authorized', permission: P.iotRuleList, body: RuleTestBody, response: RuleTestResult,
  }),
};
