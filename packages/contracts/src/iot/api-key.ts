import { z } from 'zod';
import { defineEndpoint } from '../endpoint.js';
import { BatchBody, BatchResult, IdParams, IsoDateTime, PageQuery, pageOf } from '../common.js';
import { PERMISSIONS } from '../permissions.js';

/**
 * 第三方接口 keys: a third-party system (a sub-platform, a data consumer) calls /api/open/iot with
 * `X-Api-Key: <keyId>.<secret>` (or `Authorization: Bearer <keyId>.<secret>`). The full key is shown
 * once, when it is created or renewed; only the secret's SM3 hash is kept.
 */
export const API_KEY_SCOPES = ['devices:read', 'telemetry:read', 'commands:write', 'ingest:write'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
export const API_KEY_SCOPE_LABELS: Record<ApiKeyScope, string> = {
  'devices:read': '读取设备',
  'telemetry:read': '读取属性与历史数据',
  'commands:write': '下发指令',
  'ingest:write': '批量上报数据（子平台接入）',
};

/** The header a third-party system sends its key in. */
export const API_KEY_HEADER = 'X-Api-Key';

/** Requests per minute a key may make when nothing else is said; 0 = unlimited. */
export const API_KEY_DEFAULT_RATE_LIMIT = 600;

export const ApiKey = z.object({
  id: z.string(),
  name: z.string(),
  /** The public half of the key: `<keyId>.<secret>`. */
  keyId: z.string(),
  scopes: z.array(z.enum(API_KEY_SCOPES)),
  /** Requests per minute; 0 = unlimited. */
  rateLimit: z.number().int(),
  enabled: z.boolean(),
  /** Past this moment the key is refused; null = never. */
  expiresAt: IsoDateTime.nullable(),
  /** Updated at most once a minute. */
  lastUsedAt: IsoDateTime.nullable(),
  createdAt: IsoDateTime,
});
export type ApiKey = z.infer<typeof ApiKey>;

/** A key as created or renewed: `key` is the full `<keyId>.<secret>`, shown this once only. */
export const ApiKeyWithSecret = ApiKey.extend({ key: z.string() });
export type ApiKeyWithSecret = z.infer<typeof ApiKeyWithSecret>;

const QueryBool = z.union([z.boolean(), z.enum(['true', 'false'])]).transform((v) => v === true || v === 'true');

export const ApiKeyQuery = PageQuery.extend({
  /** Name or key id contains. */
  keyword: z.string().trim().max(64).optional(),
  enabled: QueryBool.optional(),
});
export type ApiKeyQuery = z.input<typeof ApiKeyQuery>;

export const ApiKeyBody = z.object({
  name: z.string().trim().min(1, '请输入名称').max(50, '名称不能超过 50 个字'),
  scopes: z.array(z.enum(API_KEY_SCOPES, { message: '权限范围无效' })).min(1, '请至少选择一项权限范围').transform((s) => [...new Set(s)]),
  rateLimit: z.number({ message: '请输入每分钟请求上限' }).int('每分钟请求上限应为整数').min(0, '每分钟请求上限不能为负数').max(100_000, '每分钟请求上限最大 100000')
    .default(API_KEY_DEFAULT_RATE_LIMIT),
  expiresAt: z.string().max(64).refine((s) => !Number.isNaN(Date.parse(s)), '时间格式不正确').nullish().transform((v) => v ?? null),
});
export type ApiKeyBody = z.input<typeof ApiKeyBody>;

export const apiKeyEndpoints = {
  apiKeys: defineEndpoint({
    method: 'GET', path: '/api/iot/api-keys', summary: '第三方接口密钥列表', tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotApiKey, query: ApiKeyQuery, response: pageOf(ApiKey),
  }),
  apiKeyCreate: defineEndpoint({
    method: 'POST', path: '/api/iot/api-keys', summary: '新建第三方接口密钥（完整密钥仅此一次返回）', tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotApiKey, body: ApiKeyBody, response: ApiKeyWithSecret,
  }),
  apiKeyUpdate: defineEndpoint({
    method: 'PUT', path: '/api/iot/api-keys/:id', summary: '修改第三方接口密钥（名称、权限范围、频率上限、有效期）', tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotApiKey, params: IdParams, body: ApiKeyBody, response: ApiKey,
  }),
  apiKeyRenew: defineEndpoint({
    method: 'POST', path: '/api/iot/api-keys/:id/renew', summary: '重置第三方接口密钥（旧密钥立即失效，新密钥仅此一次返回）', tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotApiKey, params: IdParams, response: ApiKeyWithSecret,
  }),
  apiKeyEnable: defineEndpoint({
    method: 'POST', path: '/api/iot/api-keys/batch/enable', summary: '批量启用第三方接口密钥', tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotApiKey, body: BatchBody, response: BatchResult,
  }),
  apiKeyDisable: defineEndpoint({
    method: 'POST', path: '/api/iot/api-keys/batch/disable', summary: '批量停用第三方接口密钥', tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotApiKey, body: BatchBody, response: BatchResult,
  }),
  apiKeyDelete: defineEndpoint({
    method: 'POST', path: '/api/iot/api-keys/batch/delete', summary: '批量删除第三方接口密钥', tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotApiKey, body: BatchBody, response: BatchResult,
  }),
};
