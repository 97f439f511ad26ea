import { z } from 'zod';
import { defineEndpoint } from '../endpoint.js';
import { FileDownload, IsoDateTime, PageQuery, pageOf } from '../common.js';
import { PERMISSIONS as P } from '../permissions.js';
import { DATA_TYPES } from './thing-model.js';

/** One property of a device with its latest value (null while never reported). */
export const LatestValue = z.object({
  identifier: z.string(),
  /** The thing model's name; the identifier itself for a value the model no longer has. */
  name: z.string(),
  type: z.enum(DATA_TYPES).nullable(),
  unit: z.string().nullable(),
  /** enum / bool: value → label. */
  labels: z.record(z.string(), z.string()).nullable(),
  accessMode: z.enum(['r', 'rw']).nullable(),
  value: z.unknown(),
  ts: IsoDateTime.nullable(),
});
export type LatestValue = z.infer<typeof LatestValue>;

export const DeviceIdParams = z.object({ id: z.uuid('设备编号格式不正确') });
export const PropertyParams = DeviceIdParams.extend({ identifier: z.string().min(1).max(50) });

/** At most this many points come back from a history query; longer ranges are bucketed. */
export const HISTORY_MAX_POINTS = 1000;

export const HistoryQuery = z.object({
  /** Default: 24 hours before `to`. */
  from: IsoDateTime.optional(),
  /** Default: now. */
  to: IsoDateTime.optional(),
});
export type HistoryQuery = z.input<typeof HistoryQuery>;

/**
 * One point of a property's history: a raw report (`value`), or for a bucketed numeric series the
 * bucket's start with avg / min / max and how many reports it holds.
 */
export const HistoryPoint = z.object({
  ts: IsoDateTime,
  value: z.unknown(),
  avg: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  count: z.number().int(),
});
export type HistoryPoint = z.infer<typeof HistoryPoint>;

export const PropertyHistory = z.object({
  identifier: z.string(),
  name: z.string(),
  unit: z.string().nullable(),
  numeric: z.boolean(),
  from: IsoDateTime,
  to: IsoDateTime,
  /** null: raw reports; otherwise the bucket width in seconds. */
  bucketSeconds: z.number().int().nullable(),
  points: z.array(HistoryPoint),
});
export type PropertyHistory = z.infer<typeof PropertyHistory>;

export const DEVICE_EVENT_LEVELS = ['info', 'alert', 'error'] as const;

export const DeviceEventQuery = PageQuery.extend({
  identifier: z.string().max(50).optional(),
  level: z.enum(DEVICE_EVENT_LEVELS).optional(),
  from: IsoDateTime.optional(),
  to: IsoDateTime.optional(),
});
export type DeviceEventQuery = z.input<typeof DeviceEventQuery>;

export const DeviceEventRow = z.object({
  id: z.number().int(),
  identifier: z.string(),
  name: z.string(),
  level: z.enum(DEVICE_EVENT_LEVELS),
  output: z.record(z.string(), z.unknown()),
  ts: IsoDateTime,
});
export type DeviceEventRow = z.infer<typeof DeviceEventRow>;

const tags = ['iot'];
const read = { access: 'authorized' as const, permission: P.iotDeviceList, tags };

/** IoT: latest values, property history, device events (helper A). */
export const telemetryEndpoints = {
  iotDeviceProperties: defineEndpoint({
    ...read, method: 'GET', path: '/api/iot/devices/:id/properties', summary: '设备属性最新值（含物模型名称、单位）',
    params: DeviceIdParams, response: z.array(LatestValue),
  }),
  iotPropertyHistory: defineEndpoint({
    ...read, method: 'GET', path: '/api/iot/devices/:id/properties/:identifier/history',
    summary: '属性历史（数值超过 1000 点时按时间分桶，给出平均、最小、最大值）',
    params: PropertyParams, query: HistoryQuery, response: PropertyHistory,
  }),
  iotExportPropertyHistory: defineEndpoint({
    ...read, method: 'GET', path: '/api/iot/devices/:id/properties/:identifier/export', summary: '导出属性历史原始数据（Excel，最多 10 万条）',
    file: true, params: PropertyParams, query: HistoryQuery, response: FileDownload,
  }),
  iotDeviceEvents: defineEndpoint({
    ...read, method: 'GET', path: '/api/iot/devices/:id/events', summary: '设备事件上报记录（新的在前）',
    params: DeviceIdParams, query: DeviceEventQuery, response: pageOf(DeviceEventRow),
  }),
};
