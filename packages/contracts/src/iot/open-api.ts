import { z } from 'zod';
import { defineEndpoint } from '../endpoint.js';
import { IdParams, IsoDateTime, PageQuery, pageOf } from '../common.js';
import { IotCommand, IotPropertySetBody, IotServiceCallBody } from './command.js';
import { DEVICE_STATUSES } from './device.js';
import { HistoryQuery, LatestValue, PropertyHistory } from './telemetry.js';
import type { ApiKeyScope } from './api-key.js';

/**
 * 第三方接口: what another system reaches with an API key (header X-Api-Key, or
 * `Authorization: Bearer <keyId>.<secret>`), under /api/open/iot. Devices are addressed by their
 * product key and device key, as sub-platforms know them. Every call lands in the 访问日志 under the
 * key's name; too many calls in a minute get 429.
 */

const tags = ['open'];
const key = (scope: ApiKeyScope) => ({ access: 'apiKey' as const, scope, tags });

/** A device as a third-party system sees it (no secret, no internal ids beyond its own). */
export const OpenDevice = z.object({
  id: z.string(),
  productKey: z.string(),
  productName: z.string(),
  deviceKey: z.string(),
  name: z.string(),
  /** inactive 未激活 | online 在线 | offline 离线 | disabled 禁用. */
  status: z.enum(DEVICE_STATUSES),
  regionCode: z.string().nullable(),
  lng: z.number().nullable(),
  lat: z.number().nullable(),
  address: z.string().nullable(),
  firmwareVersion: z.string().nullable(),
  lastSeenAt: IsoDateTime.nullable(),
  activatedAt: IsoDateTime.nullable(),
});
export type OpenDevice = z.infer<typeof OpenDevice>;

export const OpenDeviceQuery = PageQuery.extend({
  productKey: z.string().trim().max(32).optional(),
  status: z.enum(DEVICE_STATUSES).optional(),
  /** Name or device key contains. */
  keyword: z.string().trim().max(64).optional(),
});
export type OpenDeviceQuery = z.input<typeof OpenDeviceQuery>;

export const OpenDeviceParams = z.object({ productKey: z.string().min(1).max(32), deviceKey: z.string().min(1).max(32) });
const OpenPropertyParams = OpenDeviceParams.extend({ identifier: z.string().min(1).max(50) });

/** A device with its latest property values. */
export const OpenDeviceDetail = OpenDevice.extend({ properties: z.array(LatestValue) });
export type OpenDeviceDetail = z.infer<typeof OpenDeviceDetail>;

/** The most reports one batch may carry. */
export const OPEN_INGEST_MAX_ITEMS = 1000;

/** One report a sub-platform forwards for one of its devices. */
export const OpenIngestItem = z.object({
  productKey: z.string().min(1).max(32),
  deviceKey: z.string().min(1).max(32),
  /** property: `params` holds property values; event: the event `identifier`'s output data. */
  kind: z.enum(['property', 'event']),
  identifier: z.string().max(50).optional(),
  params: z.record(z.string(), z.unknown()),
  /** When measured, epoch milliseconds (default: when received). */
  time: z.number().int().positive().optional(),
});
export type OpenIngestItem = z.infer<typeof OpenIngestItem>;

export const OpenIngestBody = z.object({
  items: z.array(OpenIngestItem).min(1, '请至少提交一条数据').max(OPEN_INGEST_MAX_ITEMS, `一次最多提交 ${OPEN_INGEST_MAX_ITEMS} 条`),
});
export type OpenIngestBody = z.input<typeof OpenIngestBody>;

/** Per-item outcome, in the order of the items: a refused item does not hold back the others. */
export const OpenIngestResult = z.object({
  succeeded: z.number().int(),
  failed: z.number().int(),
  results: z.array(z.object({
    index: z.number().int(),
    ok: z.boolean(),
    /** 200 accepted, 400 refused by the thing model, 403 device disabled, 404 unknown device or topic. */
    code: z.number().int(),
    message: z.string().optional(),
  })),
});
export type OpenIngestResult = z.infer<typeof OpenIngestResult>;

export const openIotEndpoints = {
  openDevices: defineEndpoint({
    ...key('devices:read'), method: 'GET', path: '/api/open/iot/devices', summary: '第三方接口：设备列表',
    query: OpenDeviceQuery, response: pageOf(OpenDevice),
  }),
  openDevice: defineEndpoint({
    ...key('devices:read'), method: 'GET', path: '/api/open/iot/devices/:productKey/:deviceKey', summary: '第三方接口：设备详情（含属性最新值）',
    params: OpenDeviceParams, response: OpenDeviceDetail,
  }),
  openDeviceProperties: defineEndpoint({
    ...key('telemetry:read'), method: 'GET', path: '/api/open/iot/devices/:productKey/:deviceKey/properties', summary: '第三方接口：设备属性最新值',
    params: OpenDeviceParams, response: z.array(LatestValue),
  }),
  openPropertyHistory: defineEndpoint({
    ...key('telemetry:read'), method: 'GET', path: '/api/open/iot/devices/:productKey/:deviceKey/properties/:identifier/history',
    summary: '第三方接口：属性历史数据', params: OpenPropertyParams, query: HistoryQuery, response: PropertyHistory,
  }),
  openPropertySet: defineEndpoint({
    ...key('commands:write'), method: 'POST', path: '/api/open/iot/devices/:productKey/:deviceKey/properties', summary: '第三方接口：属性设置',
    params: OpenDeviceParams, body: IotPropertySetBody, response: IotCommand,
  }),
  openServiceCall: defineEndpoint({
    ...key('commands:write'), method: 'POST', path: '/api/open/iot/devices/:productKey/:deviceKey/services/:identifier', summary: '第三方接口：服务调用',
    params: OpenPropertyParams, body: IotServiceCallBody, response: IotCommand,
  }),
  openCommand: defineEndpoint({
    ...key('commands:write'), method: 'GET', path: '/api/open/iot/commands/:id', summary: '第三方接口：指令执行结果',
    params: IdParams, response: IotCommand,
  }),
  openIngest: defineEndpoint({
    ...key('ingest:write'), method: 'POST', path: '/api/open/iot/ingest', summary: '第三方接口：子平台批量上报设备数据',
    body: OpenIngestBody, response: OpenIngestResult,
  }),
};
