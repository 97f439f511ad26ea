import { z } from 'zod';
import { defineEndpoint } from '../endpoint.js';
import { BatchBody, BatchResult, IdParams, IsoDateTime } from '../common.js';
import { PERMISSIONS } from '../permissions.js';

/** namespace 命名空间 (a group, e.g. /api/system); service 普通服务 (one address under it). */
export const ApiResourceType = z.enum(['namespace', 'service']);
export type ApiResourceType = z.infer<typeof ApiResourceType>;
export const API_RESOURCE_TYPE_LABELS: Record<ApiResourceType, string> = { namespace: '命名空间', service: '普通服务' };

const QueryBool = z
  .union([z.boolean(), z.enum(['true', 'false'])])
  .transform((v) => v === true || v === 'true');

export const ApiResource = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  type: ApiResourceType,
  name: z.string(),
  /** Namespace: a path prefix ('/api/system'); service: 'METHOD /path' or an address. */
  url: z.string(),
  sort: z.number().int(),
  enabled: z.boolean(),
  createdAt: IsoDateTime,
  /** Registered from the API's own endpoints at start: its address cannot be changed nor the row deleted. */
  builtin: z.boolean(),
});
export type ApiResource = z.infer<typeof ApiResource>;

export const ApiNamespace = ApiResource.extend({
  /** Services in the namespace (all of them, not only the matches of a search). */
  serviceCount: z.number().int(),
  /** False when the namespace is shown only because some of its services match. */
  matched: z.boolean(),
  children: z.array(ApiResource),
});
export type ApiNamespace = z.infer<typeof ApiNamespace>;

export const ApiResourceGroups = z.object({
  items: z.array(ApiNamespace),
  counts: z.object({ namespaces: z.number().int(), services: z.number().int(), disabled: z.number().int() }),
});
export type ApiResourceGroups = z.infer<typeof ApiResourceGroups>;

export const ApiResourceQuery = z.object({
  /** Name (or address) contains. A matching namespace is shown with all its services. */
  keyword: z.string().trim().max(64).optional(),
  type: ApiResourceType.optional(),
  enabled: QueryBool.optional(),
});
export type ApiResourceQuery = z.input<typeof ApiResourceQuery>;

/** Create / update. A service must be under a namespace; a namespace is always top level. */
export const ApiResourceBody = z
  .object({
    parentId: z.string().min(1).max(64).nullish().transform((v) => v ?? null),
    type: ApiResourceType,
    name: z.string().trim().min(1, '请输入名称').max(100, '名称不能超过 100 个字符'),
    url: z.string().trim().min(1, '请输入地址').max(500, '地址不能超过 500 个字符'),
    sort: z.number().int().min(0, '排序号不能小于 0').max(999999, '排序号过大').default(0),
    enabled: z.boolean().default(true),
  })
  .superRefine((b, ctx) => {
    if (b.type === 'service' && !b.parentId) ctx.addIssue({ code: 'custom', path: ['parentId'], message: '普通服务须选择所属命名空间' });
    if (b.type === 'namespace' && b.parentId) ctx.addIssue({ code: 'custom', path: ['parentId'], message: '命名空间不能有上级' });
  });
export type ApiResourceBody = z.input<typeof ApiResourceBody>;

export const apiResourceEndpoints = {
  apiResourceGroups: defineEndpoint({
    method: 'GET', path: '/api/system/api-resources', summary: '接口服务资源（按命名空间分组；按名称搜索）', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.apiResourceList, query: ApiResourceQuery, response: ApiResourceGroups,
  }),
  apiResourceCreate: defineEndpoint({
    method: 'POST', path: '/api/system/api-resources', summary: '新增接口服务资源', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.apiResourceEdit, body: ApiResourceBody, response: ApiResource,
  }),
  apiResourceUpdate: defineEndpoint({
    method: 'PUT', path: '/api/system/api-resources/:id', summary: '修改接口服务资源', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.apiResourceEdit, params: IdParams, body: ApiResourceBody, response: ApiResource,
  }),
  apiResourceEnable: defineEndpoint({
    method: 'POST', path: '/api/system/api-resources/batch/enable', summary: '批量启用接口服务资源', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.apiResourceEdit, body: BatchBody, response: BatchResult,
  }),
  apiResourceDisable: defineEndpoint({
    method: 'POST', path: '/api/system/api-resources/batch/disable', summary: '批量禁用接口服务资源', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.apiResourceEdit, body: BatchBody, response: BatchResult,
  }),
  apiResourceDelete: defineEndpoint({
    method: 'POST', path: '/api/system/api-resources/batch/delete', summary: '批量删除接口服务资源', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.apiResourceEdit, body: BatchBody, response: BatchResult,
  }),
};

/** Display names of the API's tags (one namespace each, '/api/<tag>'). */
export const API_TAG_NAMES: Record<string, string> = {
  system: '系统管理',
  auth: '认证',
  events: '事件枢纽',
  messaging: '消息',
  files: '附件',
  cockpit: '驾驶舱',
  vitals: '城市体征',
  iot: '物联感知',
  video: '视频融合',
  command: '指挥调度',
  meeting: '视频会议',
  openapi: '对外接口',
  open: '第三方接口',
};
