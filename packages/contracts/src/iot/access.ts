import { z } from 'zod';
import { defineEndpoint } from '../endpoint.js';

/**
 * Device-facing access: how a device without a persistent MQTT connection (HTTP, and CoAP with the
 * same bodies) gets a token and reports, and the hooks an external MQTT broker (EMQX, VerneMQ) calls
 * to authenticate devices and check their topics. All of them are anonymous: the device signs, the
 * broker hook answers allow/deny.
 */

/** HMAC-SM3 (国密) or HMAC-SHA256 over `${productKey}${deviceKey}${timestamp}` with the device (or product) secret. */
export const SIGN_METHODS = ['hmacsm3', 'hmacsha256'] as const;
export type SignMethod = (typeof SIGN_METHODS)[number];

/** The header that carries the token of `POST /api/iot/device/auth` on reports. */
export const DEVICE_TOKEN_HEADER = 'x-device-token';

const Key = z.string().trim().min(1, '请填写产品标识和设备标识').max(64);

export const DeviceAuthBody = z.object({
  productKey: Key,
  deviceKey: Key,
  /** Epoch milliseconds; must be within the allowed skew of the server's clock. */
  timestamp: z.union([z.string().regex(/^\d{10,16}$/, '时间戳应为毫秒数'), z.number().int().positive()]).transform(String),
  signMethod: z.enum(SIGN_METHODS, { message: '签名方法应为 hmacsm3 或 hmacsha256' }),
  /** Hex HMAC of `${productKey}${deviceKey}${timestamp}`. */
  sign: z.string().trim().regex(/^[0-9a-fA-F]{64}$/, '签名应为 64 位十六进制'),
});
export type DeviceAuthBody = z.input<typeof DeviceAuthBody>;

export const DeviceAuthResult = z.object({
  token: z.string(),
  /** Seconds the token stays valid. */
  expiresIn: z.number().int(),
});
export type DeviceAuthResult = z.infer<typeof DeviceAuthResult>;

export const DEVICE_REPORT_KINDS = ['property', 'event', 'sub'] as const;
export const DEVICE_REPORT_KIND_LABELS = { property: '属性上报', event: '事件上报', sub: '子设备上报（网关）' } as const;

/**
 * One report over HTTP (or CoAP). `kind` stands for the MQTT topic the device would have used:
 * property → …/thing/property/post, event → …/thing/event/{identifier}/post,
 * sub → …/thing/sub/post (a gateway's batch for its sub-devices; `params` is then the array of
 * `{productKey, deviceKey, identifier?, properties?, time?}`).
 */
export const DeviceReportBody = z
  .object({
    kind: z.enum(DEVICE_REPORT_KINDS, { message: '上报类型应为 property、event 或 sub' }),
    /** The event's identifier (kind event). */
    identifier: z.string().trim().max(50).optional(),
    /** The message id, echoed in the answer. */
    id: z.union([z.string().max(64), z.number()]).transform(String).optional(),
    params: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]),
    /** Epoch milliseconds of the measurement; default: when it is received. */
    time: z.number().int().positive().optional(),
  })
  .refine((b) => b.kind !== 'event' || !!b.identifier, { path: ['identifier'], message: '事件上报须填写事件标识符' });
export type DeviceReportBody = z.input<typeof DeviceReportBody>;

/** The same `{id, code, message}` the MQTT reply topic carries. */
export const DeviceReportResult = z.object({
  id: z.string().optional(),
  code: z.number().int(),
  message: z.string(),
});
export type DeviceReportResult = z.infer<typeof DeviceReportResult>;

/**
 * The external broker's authentication hook (EMQX HTTP authenticator / VerneMQ webhook field
 * names both accepted): the device's MQTT credentials, checked like the embedded broker does.
 */
export const BrokerAuthBody = z
  .object({
    clientid: z.string().max(256).optional(),
    client_id: z.string().max(256).optional(),
    username: z.string().max(256).default(''),
    password: z.string().max(512).default(''),
    /** The device's address: `ip` (EMQX `${peerhost}`), or VerneMQ's `peer_addr`. */
    ip: z.string().max(64).optional(),
    peerhost: z.string().max(64).optional(),
    peer_addr: z.string().max(64).optional(),
  })
  .transform((b) => ({ clientId: b.clientid ?? b.client_id ?? '', username: b.username, password: b.password, ip: b.ip ?? b.peerhost ?? b.peer_addr }));

export const BrokerAclBody = z
  .object({
    clientid: z.string().max(256).optional(),
    client_id: z.string().max(256).optional(),
    username: z.string().max(256).default(''),
    ip: z.string().max(64).optional(),
    peerhost: z.string().max(64).optional(),
    topic: z.string().min(1).max(512),
    /** publish | subscribe (EMQX `${action}`); MQTT access codes 1 = subscribe, 2 = publish also accepted. */
    action: z.enum(['publish', 'subscribe', '1', '2']),
  })
  .transform((b) => ({
    clientId: b.clientid ?? b.client_id ?? '',
    username: b.username,
    ip: b.ip ?? b.peerhost,
    topic: b.topic,
    action: b.action === '1' ? ('subscribe' as const) : b.action === '2' ? ('publish' as const) : b.action,
  }));

/** 200 in every case: the broker reads `result` (EMQX 5 HTTP authenticator/authorizer shape). */
export const BrokerHookResult = z.object({
  result: z.enum(['allow', 'deny']),
  /** The platform's own client may subscribe to every device's topics. */
  is_superuser: z.boolean(),
});
export type BrokerHookResult = z.infer<typeof BrokerHookResult>;

const access = { tags: ['iot'], access: 'anonymous' as const };

export const deviceAccessEndpoints = {
  iotDeviceAuth: defineEndpoint({
    ...access, method: 'POST', path: '/api/iot/device/auth',
    summary: '设备认证（HTTP 接入）：签名换取令牌，令牌放在上报请求的 X-Device-Token 头中，48 小时有效',
    body: DeviceAuthBody, response: DeviceAuthResult,
  }),
  iotDeviceReport: defineEndpoint({
    ...access, method: 'POST', path: '/api/iot/device/report',
    summary: '设备上报（HTTP 接入）：属性、事件或网关子设备批量上报；不符合物模型时返回 400',
    body: DeviceReportBody, response: DeviceReportResult,
  }),
  iotBrokerAuth: defineEndpoint({
    ...access, method: 'POST', path: '/api/iot/broker/auth',
    summary: '外部 MQTT Broker 认证回调（EMQX / VerneMQ HTTP 认证）',
    body: BrokerAuthBody, response: BrokerHookResult,
  }),
  iotBrokerAcl: defineEndpoint({
    ...access, method: 'POST', path: '/api/iot/broker/acl',
    summary: '外部 MQTT Broker 主题鉴权回调：设备只能发布、订阅自己的主题',
    body: BrokerAclBody, response: BrokerHookResult,
  }),
};
