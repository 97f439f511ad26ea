import { z } from 'zod';
import { defineEndpoint } from '../endpoint.js';
import { IdParams, IsoDateTime, PageQuery, pageOf } from '../common.js';
import { PERMISSIONS } from '../permissions.js';

/**
 * 指令下发: a property set (属性设置) or a service call (服务调用) sent down to a device, tracked until
 * the device replies or the wait for it times out.
 */
export const IOT_COMMAND_KINDS = ['property_set', 'service'] as const;
export type IotCommandKind = (typeof IOT_COMMAND_KINDS)[number];
export const IOT_COMMAND_KIND_LABELS: Record<IotCommandKind, string> = { property_set: '属性设置', service: '服务调用' };

/** queued (device offline, async only) → sent → replied (code 200) | failed (other code) | timeout. */
export const IOT_COMMAND_STATUSES = ['queued', 'sent', 'replied', 'failed', 'timeout'] as const;
export type IotCommandStatus = (typeof IOT_COMMAND_STATUSES)[number];
export const IOT_COMMAND_STATUS_LABELS: Record<IotCommandStatus, string> = {
  queued: '待下发', sent: '已下发', replied: '已回复', failed: '执行失败', timeout: '超时',
};

/** Longest a caller may wait for a synchronous reply. */
export const IOT_COMMAND_MAX_WAIT_SECONDS = 30;

export const IotCommand = z.object({
  id: z.string(),
  deviceId: z.string(),
  kind: z.enum(IOT_COMMAND_KINDS),
  /** The service's identifier; '' for a property set. */
  identifier: z.string(),
  params: z.record(z.string(), z.unknown()),
  /** The `id` of the message sent; the device's reply carries it back. */
  msgId: z.string(),
  status: z.enum(IOT_COMMAND_STATUSES),
  /** The code the device replied with (200 = done). */
  replyCode: z.number().int().nullable(),
  /** The `data` of the device's reply (a service's output). */
  reply: z.record(z.string(), z.unknown()).nullable(),
  /** Why it failed or timed out (Chinese). */
  reason: z.string().nullable(),
  /** From sending to the reply, in milliseconds. */
  latencyMs: z.number().int().nullable(),
  timeoutAt: IsoDateTime,
  sentAt: IsoDateTime.nullable(),
  repliedAt: IsoDateTime.nullable(),
  createdByName: z.string(),
  createdAt: IsoDateTime,
});
export type IotCommand = z.infer<typeof IotCommand>;

const Wait = z.coerce
  .number({ message: '等待时长应为秒数' })
  .int('等待时长应为整数秒')
  .min(0, '等待时长不能为负数')
  .max(IOT_COMMAND_MAX_WAIT_SECONDS, `等待时长最长 ${IOT_COMMAND_MAX_WAIT_SECONDS} 秒`);

const Params = z.record(z.string(), z.unknown(), { message: '参数应为对象' });

export const IotPropertySetBody = z.object({
  /** identifier → value, each a writable (rw) property of the thing model. */
  params: Params,
  /**
   * Seconds to wait for the device's reply before answering (0: answer at once). A caller that
   * waits needs the device online (409 otherwise); one that does not is queued until it connects.
   */
  wait: Wait.default(0),
});
export type IotPropertySetInput = z.input<typeof IotPropertySetBody>;

export const IotServiceCallBody = z.object({
  params: Params.default({}),
  /**
   * Seconds to wait for the reply. Sync services always wait (default: the platform's reply
   * timeout) and need the device online; async services wait only when asked.
   */
  wait: Wait.optional(),
});
export type IotServiceCallInput = z.input<typeof IotServiceCallBody>;

const DeviceIdParams = z.object({ id: z.string().min(1).max(64) });
const ServiceParams = DeviceIdParams.extend({ identifier: z.string().min(1).max(50) });

export const IotCommandListQuery = PageQuery.extend({
  kind: z.enum(IOT_COMMAND_KINDS).optional(),
  status: z.enum(IOT_COMMAND_STATUSES).optional(),
  identifier: z.string().trim().max(50).optional(),
});

export const commandEndpoints = {
  iotPropertySet: defineEndpoint({
    method: 'POST', path: '/api/iot/devices/:id/properties', summary: '属性设置（下发 thing/property/set）', tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotCommand, params: DeviceIdParams, body: IotPropertySetBody, response: IotCommand,
  }),
  iotServiceCall: defineEndpoint({
    method: 'POST', path: '/api/iot/devices/:id/services/:identifier', summary: '服务调用（同步服务等待设备回复）', tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotCommand, params: ServiceParams, body: IotServiceCallBody, response: IotCommand,
  }),
  iotDeviceCommands: defineEndpoint({
    method: 'GET', path: '/api/iot/devices/:id/commands', summary: '设备的指令下发记录', tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotDeviceList, params: DeviceIdParams, query: IotCommandListQuery, response: pageOf(IotCommand),
  }),
  iotCommand: defineEndpoint({
    method: 'GET', path: '/api/iot/commands/:id', summary: '一条指令及其回复', tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotDeviceList, params: IdParams, response: IotCommand,
  }),
};
