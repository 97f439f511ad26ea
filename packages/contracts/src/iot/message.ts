import { z } from 'zod';
import { defineEndpoint } from '../endpoint.js';
import { IsoDateTime, PageQuery, pageOf } from '../common.js';
import { PERMISSIONS as P } from '../permissions.js';

export const TRACE_DIRECTIONS = ['up', 'down'] as const;
export const TRACE_DIRECTION_LABELS = { up: '上行', down: '下行' } as const;

export const TRACE_CHANNELS = ['mqtt', 'http', 'coap', 'gateway', 'broker'] as const;
export const TRACE_CHANNEL_LABELS = { mqtt: 'MQTT', http: 'HTTP', coap: 'CoAP', gateway: '网关', broker: '外部 MQTT 服务' } as const;

export const TRACE_KINDS = ['connect', 'disconnect', 'property', 'event', 'reply', 'command', 'ota', 'other'] as const;
export type TraceKind = (typeof TRACE_KINDS)[number];
export const TRACE_KIND_LABELS: Record<TraceKind, string> = {
  connect: '上线', disconnect: '下线', property: '属性上报', event: '事件上报', reply: '指令应答', command: '指令下发', ota: '固件升级', other: '其他',
};

export const TRACE_RESULTS = ['ok', 'rejected', 'denied', 'error', 'timeout', 'replied'] as const;
export type TraceResult = (typeof TRACE_RESULTS)[number];
export const TRACE_RESULT_LABELS: Record<TraceResult, string> = {
  ok: '成功', rejected: '校验失败', denied: '拒绝接入', error: '错误', timeout: '超时', replied: '已应答',
};

/** Payloads are kept up to this many bytes (UTF-8); longer ones are cut. */
export const TRACE_PAYLOAD_MAX = 4096;

export const TraceListQuery = PageQuery.extend({
  deviceId: z.uuid().optional(),
  productKey: z.string().trim().max(32).optional(),
  deviceKey: z.string().trim().max(32).optional(),
  direction: z.enum(TRACE_DIRECTIONS).optional(),
  channel: z.enum(TRACE_CHANNELS).optional(),
  kind: z.enum(TRACE_KINDS).optional(),
  result: z.enum(TRACE_RESULTS).optional(),
  /** Topic contains. */
  keyword: z.string().trim().max(100).optional(),
  /** Message id (`id` field of the payload), exact. */
  msgId: z.string().trim().max(64).optional(),
  from: IsoDateTime.optional(),
  to: IsoDateTime.optional(),
  /** Live view: only rows newer than this id (the page is then the newest of them). */
  afterId: z.coerce.number().int().min(0).optional(),
});
export type TraceListQuery = z.input<typeof TraceListQuery>;

export const TraceItem = z.object({
  id: z.number().int(),
  ts: IsoDateTime,
  deviceId: z.string().nullable(),
  deviceName: z.string().nullable(),
  productKey: z.string().nullable(),
  deviceKey: z.string().nullable(),
  direction: z.enum(TRACE_DIRECTIONS),
  channel: z.enum(TRACE_CHANNELS),
  kind: z.enum(TRACE_KINDS),
  topic: z.string(),
  /** The first 200 characters of the payload. */
  preview: z.string(),
  result: z.enum(TRACE_RESULTS),
  reason: z.string().nullable(),
  latencyMs: z.number().int().nullable(),
  msgId: z.string().nullable(),
  clientIp: z.string().nullable(),
});
export type TraceItem = z.infer<typeof TraceItem>;

export const TraceDetail = TraceItem.extend({ payload: z.string() });
export type TraceDetail = z.infer<typeof TraceDetail>;

/** Trace totals are counted up to this many; beyond it `capped` is true. */
export const TRACE_COUNT_CAP = 10_000;
export const TracePage = pageOf(TraceItem).extend({ capped: z.boolean() });
export type TracePage = z.infer<typeof TracePage>;

export const TraceIdParams = z.object({ id: z.coerce.number().int().min(1) });

const read = { access: 'authorized' as const, permission: P.iotTrace, tags: ['iot'] };

/** IoT: 消息追踪 (helper A). */
export const traceEndpoints = {
  iotMessages: defineEndpoint({
    ...read, method: 'GET', path: '/api/iot/messages', summary: '消息追踪（设备、方向、结果、类型、主题、时间；新的在前；afterId 取新到消息）',
    query: TraceListQuery, response: TracePage,
  }),
  iotMessage: defineEndpoint({
    ...read, method: 'GET', path: '/api/iot/messages/:id', summary: '消息详情（完整报文）',
    params: TraceIdParams, response: TraceDetail,
  }),
};
