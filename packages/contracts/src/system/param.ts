import { z } from 'zod';
import { defineEndpoint } from '../endpoint.js';
import { IsoDateTime, Ok, PageQuery, pageOf } from '../common.js';
import { PERMISSIONS } from '../permissions.js';

/** A parameter code: starts with a letter; letters, digits, '.', '_' and '-' (e.g. `upload.max_mb`). */
export const PARAM_CODE_PATTERN = /^[A-Za-z][A-Za-z0-9._-]*$/;

/** How a value is checked and edited: built-in parameters declare it, custom ones are text. */
export const ParamValueType = z.enum(['text', 'integer']);
export type ParamValueType = z.infer<typeof ParamValueType>;

/** Well-known parameters other modules read through the parameter service (`paramService.get`). */
export const PARAM = {
  systemName: 'system.name',
  oplogRetentionDays: 'oplog.retention_days',
  uploadMaxMb: 'upload.max_mb',
  eventDefaultTimeLimitHours: 'event.default_time_limit_hours',
} as const;

export const SysParam = z.object({
  code: z.string(),
  name: z.string(),
  value: z.string(),
  defaultValue: z.string(),
  description: z.string().nullable(),
  builtin: z.boolean().describe('seeded by the platform: cannot be deleted, only its value can change'),
  valueType: ParamValueType,
  min: z.number().nullable().describe('for integer parameters'),
  max: z.number().nullable(),
  unit: z.string().nullable(),
  updatedAt: IsoDateTime,
});
export type SysParam = z.infer<typeof SysParam>;

export const SysParamQuery = PageQuery.extend({
  keyword: z.string().trim().max(64).optional().describe('part of the code, name or description'),
});

const paramValue = z.string().trim().max(2000, '参数值不能超过 2000 个字符');
const paramName = z.string().trim().min(1, '请输入参数名称').max(64, '参数名称不能超过 64 个字符');
const paramDescription = z.string().trim().max(500, '说明不能超过 500 个字符').nullable().optional();

export const SysParamCreateBody = z.object({
  code: z.string().trim().min(1, '请输入参数编码').max(64, '参数编码不能超过 64 个字符')
    .regex(PARAM_CODE_PATTERN, '参数编码须以字母开头，只能包含字母、数字、点、下划线和短横线'),
  name: paramName,
  value: paramValue,
  /** Defaults to the value. */
  defaultValue: paramValue.optional(),
  description: paramDescription,
});
export type SysParamCreateBody = z.infer<typeof SysParamCreateBody>;

/** Built-in parameters take only `value`; name, default and description apply to custom ones. */
export const SysParamUpdateBody = z.object({
  value: paramValue,
  name: paramName.optional(),
  defaultValue: paramValue.optional(),
  description: paramDescription,
});
export type SysParamUpdateBody = z.infer<typeof SysParamUpdateBody>;

const CodeParams = z.object({ code: z.string().min(1).max(64) });

export const paramEndpoints = {
  sysParams: defineEndpoint({
    method: 'GET', path: '/api/system/params', summary: '系统参数列表（按编码、名称或说明搜索）', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.paramList, query: SysParamQuery, response: pageOf(SysParam),
  }),
  sysParamCreate: defineEndpoint({
    method: 'POST', path: '/api/system/params', summary: '新增自定义参数', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.paramEdit, body: SysParamCreateBody, response: SysParam,
  }),
  sysParamUpdate: defineEndpoint({
    method: 'PUT', path: '/api/system/params/:code', summary: '修改参数（内置参数只能改参数值）', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.paramEdit, params: CodeParams, body: SysParamUpdateBody, response: SysParam,
  }),
  sysParamReset: defineEndpoint({
    method: 'POST', path: '/api/system/params/:code/reset', summary: '参数恢复默认值', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.paramEdit, params: CodeParams, response: SysParam,
  }),
  sysParamDelete: defineEndpoint({
    method: 'DELETE', path: '/api/system/params/:code', summary: '删除自定义参数（内置参数不可删除）', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.paramEdit, params: CodeParams, response: Ok,
  }),
};
