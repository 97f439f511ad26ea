import { z } from 'zod';
import { defineEndpoint } from '../endpoint.js';
import { IsoDateTime, PageQuery, pageOf } from '../common.js';
import { PERMISSIONS as P } from '../permissions.js';

/**
 * 连接管理: how devices reach the platform (embedded MQTT broker or an external one, CoAP, HTTP),
 * whether each listener is up, who is connected now, and the topic conventions devices follow.
 */

export const BROKER_MODES = ['embedded', 'external'] as const;
export const BROKER_MODE_LABELS = { embedded: '内置 Broker', external: '外部 Broker' } as const;

/** A listener of this node: off (port 0), listening, or failed (e.g. the port is taken). */
export const ListenerState = z.enum(['off', 'listening', 'error']);
export const LISTENER_STATE_LABELS = { off: '未启用', listening: '运行中', error: '启动失败' } as const;

export const TopicConvention = z.object({
  /** up: device → platform; down: platform → device. */
  direction: z.enum(['up', 'down']),
  topic: z.string(),
  name: z.string(),
  payload: z.string(),
});
export type TopicConvention = z.infer<typeof TopicConvention>;

/**
 * The topics devices use (Alibaba-style), shown on the 连接管理 page and in the docs.
 * `{pk}` productKey, `{dk}` deviceKey.
 */
export const TOPIC_CONVENTIONS: TopicConvention[] = [
  { direction: 'up', topic: '/sys/{pk}/{dk}/thing/property/post', name: '属性上报', payload: '{"id":"1","params":{"temperature":23.5},"time":1700000000000}' },
  { direction: 'down', topic: '/sys/{pk}/{dk}/thing/property/post_reply', name: '属性上报应答', payload: '{"id":"1","code":200,"message":"success"}' },
  { direction: 'up', topic: '/sys/{pk}/{dk}/thing/event/{identifier}/post', name: '事件上报', payload: '{"id":"2","params":{"level":2}}' },
  { direction: 'down', topic: '/sys/{pk}/{dk}/thing/event/{identifier}/post_reply', name: '事件上报应答', payload: '{"id":"2","code":200,"message":"success"}' },
  { direction: 'down', topic: '/sys/{pk}/{dk}/thing/property/set', name: '属性设置', payload: '{"id":"3","params":{"threshold":50}}' },
  { direction: 'up', topic: '/sys/{pk}/{dk}/thing/property/set_reply', name: '属性设置应答', payload: '{"id":"3","code":200}' },
  { direction: 'down', topic: '/sys/{pk}/{dk}/thing/service/{identifier}', name: '服务调用', payload: '{"id":"4","params":{}}' },
  { direction: 'up', topic: '/sys/{pk}/{dk}/thing/service/{identifier}_reply', name: '服务调用应答', payload: '{"id":"4","code":200,"data":{}}' },
  { direction: 'up', topic: '/sys/{pk}/{dk}/thing/sub/post', name: '网关子设备上报', payload: '{"id":"5","params":[{"productKey":"pk2","deviceKey":"dk2","properties":{"level":1}}]}' },
  { direction: 'down', topic: '/ota/{pk}/{dk}/upgrade', name: 'OTA 升级通知', payload: '{"id":"6","params":{"version":"1.2.0","url":"…","size":1024,"sign":"…","signMethod":"SM3"}}' },
  { direction: 'up', topic: '/ota/{pk}/{dk}/progress', name: 'OTA 升级进度', payload: '{"id":"6","params":{"step":50,"desc":"下载中"}}' },
  { direction: 'up', topic: '/ota/{pk}/{dk}/inform', name: '上报固件版本', payload: '{"id":"7","params":{"version":"1.2.0"}}' },
];

/** How a device signs in, for the page's 接入说明. */
export const DEVICE_AUTH_GUIDE = {
  mqttUsername: '{dk}&{pk}',
  mqttPassword: '{signMethod}:{timestamp}:{sign}，sign = HMAC(密钥, pk + dk + timestamp)，signMethod 为 hmacsm3 或 hmacsha256；timestamp 为毫秒数，可留空（静态密码，用于外部 Broker）',
  mqttClientId: '{pk}.{dk}（建议）',
  httpAuth: 'POST /api/iot/device/auth {productKey, deviceKey, timestamp, signMethod, sign} → {token, expiresIn}',
  httpReport: 'POST /api/iot/device/report，请求头 X-Device-Token，{kind: property|event|sub, identifier?, id?, params}',
  coapAuth: 'POST coap://{host}:{port}/auth（JSON 同 HTTP 认证）',
  coapReport: 'POST coap://{host}:{port}/topic/sys/{pk}/{dk}/thing/property/post?token={token}',
} as const;

export const BrokerNode = z.object({
  nodeId: z.string(),
  /** api: an application node; broker: a broker-only process (iot-broker.js). */
  role: z.enum(['api', 'broker']),
  hostname: z.string(),
  pid: z.number().int(),
  mqttPort: z.number().int().nullable(),
  clients: z.number().int(),
  messagesInPerMinute: z.number().int(),
  messagesOutPerMinute: z.number().int(),
  seenAt: IsoDateTime,
  /** This node answered the request. */
  self: z.boolean(),
});
export type BrokerNode = z.infer<typeof BrokerNode>;

export const ConnectionStatus = z.object({
  mode: z.enum(BROKER_MODES),
  mqtt: z.object({
    state: ListenerState,
    host: z.string(),
    /** The embedded broker's port (0 = off). */
    port: z.number().int(),
    error: z.string().nullable(),
    /** External mode: the broker the platform consumes from (without credentials). */
    brokerUrl: z.string().nullable(),
    /** External mode: the platform's consumer is connected. */
    consumerConnected: z.boolean().nullable(),
    shareGroup: z.string().nullable(),
  }),
  coap: z.object({ state: ListenerState, port: z.number().int(), error: z.string().nullable() }),
  /** Devices connected to this node's embedded broker now. */
  clients: z.number().int(),
  /** Up-link messages received / down-link messages sent by this node in the last minute. */
  messagesInPerMinute: z.number().int(),
  messagesOutPerMinute: z.number().int(),
  /** Every node seen in the last minute (heartbeats through the database). */
  nodes: z.array(BrokerNode),
  signSkewSeconds: z.number().int(),
  topics: z.array(TopicConvention),
});
export type ConnectionStatus = z.infer<typeof ConnectionStatus>;

export const ConnectedClient = z.object({
  clientId: z.string(),
  deviceId: z.string(),
  deviceName: z.string(),
  productKey: z.string(),
  deviceKey: z.string(),
  ip: z.string().nullable(),
  /** 4 = MQTT 3.1.1, 5 = MQTT 5. */
  protocolVersion: z.number().int(),
  keepalive: z.number().int(),
  connectedAt: IsoDateTime,
});
export type ConnectedClient = z.infer<typeof ConnectedClient>;

export const ConnectedClientQuery = PageQuery.extend({
  /** Device key, product key or client id contains. */
  keyword: z.string().trim().max(64).optional(),
});

export const BrokerSyncResult = z.object({
  /** Devices provisioned (created or updated) in the external broker. */
  provisioned: z.number().int(),
  /** Clients removed (disabled, deregistered or deleted devices). */
  removed: z.number().int(),
  failed: z.number().int(),
  errors: z.array(z.object({ deviceKey: z.string(), message: z.string() })),
});
export type BrokerSyncResult = z.infer<typeof BrokerSyncResult>;

const tags = ['iot'];

export const connectionEndpoints = {
  iotConnections: defineEndpoint({
    method: 'GET', path: '/api/iot/connections', summary: '连接管理：接入方式、监听状态、在线连接数、消息速率、节点与主题规范', tags,
    access: 'authorized', permission: P.iotConnection, response: ConnectionStatus,
  }),
  iotConnectionClients: defineEndpoint({
    method: 'GET', path: '/api/iot/connections/clients', summary: '本节点内置 Broker 当前的设备连接', tags,
    access: 'authorized', permission: P.iotConnection, query: ConnectedClientQuery, response: pageOf(ConnectedClient),
  }),
  iotConnectionSync: defineEndpoint({
    method: 'POST', path: '/api/iot/connections/sync', summary: '同步到外部 Broker（Mosquitto 动态安全插件：设备账号、静态密码与主题权限）', tags,
    access: 'authorized', permission: P.iotDeviceEdit, response: BrokerSyncResult,
  }),
};
