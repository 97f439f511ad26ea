import { z } from 'zod';
import { defineEndpoint } from '../endpoint.js';
import { FileDownload, IdParams, IsoDateTime, Ok, PageQuery, pageOf } from '../common.js';
import { FileInfo } from '../files.js';
import { PERMISSIONS } from '../permissions.js';

/**
 * OTA 远程升级: firmware packages of a product (the bytes are an uploaded file, signed with SM3) and
 * upgrade tasks that push one firmware to chosen devices and follow each device's progress.
 */

/** Extensions a firmware package may have (uploaded through the OTA page, not the attachment allow-list). */
export const FIRMWARE_EXTENSIONS = ['bin', 'hex', 'img', 'fw', 'ota', 'pkg', 'dfu', 'elf', 'zip', 'gz', 'tgz', 'tar', 'xz', 'bz2', '7z', 'swu', 'apk', 'deb', 'rpm'] as const;

/** A version as devices report it: digits and dots, optionally with a suffix (1.2.10, V2.0.1-beta). */
export const FIRMWARE_VERSION_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

/**
 * Compares two versions segment by segment, numbers as numbers ('1.10' > '1.9'); a leading 'v' is
 * ignored. Negative when a < b, 0 when equal, positive when a > b.
 */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.trim().replace(/^v/i, '').split(/[.\-_]/);
  const [pa, pb] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const [x, y] = [pa[i] ?? '0', pb[i] ?? '0'];
    const [nx, ny] = [Number(x), Number(y)];
    const c = Number.isInteger(nx) && Number.isInteger(ny) ? nx - ny : x.localeCompare(y);
    if (c !== 0) return c;
  }
  return 0;
}

const Version = z.string({ message: '请填写版本号' }).trim().regex(FIRMWARE_VERSION_RE, '版本号只能含字母、数字、点、横线和下划线，最长 32 位');

export const IotFirmware = z.object({
  id: z.string(),
  productId: z.string(),
  productName: z.string(),
  productKey: z.string(),
  name: z.string(),
  version: z.string(),
  fileId: z.string(),
  fileName: z.string(),
  size: z.number().int(),
  /** SM3 (hex) of the bytes: devices check their download against it. */
  sign: z.string(),
  signMethod: z.string(),
  description: z.string(),
  /** Upgrade tasks of this firmware still running (it cannot be deleted meanwhile). */
  runningTasks: z.number().int(),
  createdAt: IsoDateTime,
});
export type IotFirmware = z.infer<typeof IotFirmware>;

export const IotFirmwareCreate = z.object({
  productId: z.string({ message: '请选择产品' }).uuid('请选择产品'),
  name: z.string({ message: '请填写固件名称' }).trim().min(1, '请填写固件名称').max(50, '固件名称不能超过 50 个字'),
  version: Version,
  /** The package, uploaded first through POST /api/iot/ota/firmware/file. */
  fileId: z.string({ message: '请上传固件文件' }).uuid('请上传固件文件'),
  description: z.string().trim().max(200, '说明不能超过 200 个字').default(''),
});
export type IotFirmwareCreateInput = z.input<typeof IotFirmwareCreate>;

export const IotFirmwareQuery = PageQuery.extend({
  productId: z.string().uuid().optional(),
  keyword: z.string().trim().max(50).optional(),
});

/** running until no device is waiting or upgrading; cancelled by a user. */
export const OTA_TASK_STATUSES = ['running', 'finished', 'cancelled'] as const;
export const OTA_TASK_STATUS_LABELS = { running: '升级中', finished: '已完成', cancelled: '已取消' } as const;

/** pending (device offline) → pushed → upgrading → succeeded | failed; cancelled with the task. */
export const OTA_DEVICE_STATUSES = ['pending', 'pushed', 'upgrading', 'succeeded', 'failed', 'cancelled'] as const;
export type OtaDeviceStatus = (typeof OTA_DEVICE_STATUSES)[number];
export const OTA_DEVICE_STATUS_LABELS: Record<OtaDeviceStatus, string> = {
  pending: '待推送', pushed: '已推送', upgrading: '升级中', succeeded: '升级成功', failed: '升级失败', cancelled: '已取消',
};

/** Which devices of the firmware's product a task upgrades. */
export const OTA_TARGETS = ['all', 'devices', 'below'] as const;
export const OTA_TARGET_LABELS = { all: '产品下全部设备', devices: '指定设备', below: '低于某版本的设备' } as const;

export const IotOtaTaskCreate = z
  .object({
    firmwareId: z.string({ message: '请选择固件' }).uuid('请选择固件'),
    name: z.string({ message: '请填写任务名称' }).trim().min(1, '请填写任务名称').max(50, '任务名称不能超过 50 个字'),
    target: z.enum(OTA_TARGETS, { message: '请选择升级范围' }),
    /** target devices: the chosen devices. */
    deviceIds: z.array(z.string().uuid('设备标识无效')).max(10_000, '一次最多选择 10000 台设备').default([]),
    /** target below: devices whose firmware is below this version (default: the firmware's), or unknown. */
    belowVersion: Version.optional(),
  })
  .refine((v) => v.target !== 'devices' || v.deviceIds.length > 0, { message: '请选择要升级的设备', path: ['deviceIds'] });
export type IotOtaTaskCreateInput = z.input<typeof IotOtaTaskCreate>;

const Counts = z.object({
  total: z.number().int(),
  pending: z.number().int(),
  pushed: z.number().int(),
  upgrading: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
});

export const IotOtaTask = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(OTA_TASK_STATUSES),
  firmwareId: z.string(),
  firmwareName: z.string(),
  version: z.string(),
  productId: z.string(),
  productName: z.string(),
  counts: Counts,
  createdByName: z.string(),
  createdAt: IsoDateTime,
  finishedAt: IsoDateTime.nullable(),
});
export type IotOtaTask = z.infer<typeof IotOtaTask>;

export const IotOtaTaskQuery = PageQuery.extend({
  status: z.enum(OTA_TASK_STATUSES).optional(),
  firmwareId: z.string().uuid().optional(),
  productId: z.string().uuid().optional(),
});

/** One device of a task. */
export const IotOtaDevice = z.object({
  deviceId: z.string(),
  deviceKey: z.string(),
  deviceName: z.string(),
  status: z.enum(OTA_DEVICE_STATUSES),
  /** 0..100. */
  progress: z.number().int(),
  /** The firmware the device had when the task was created. */
  fromVersion: z.string().nullable(),
  /** What the device reports now. */
  currentVersion: z.string().nullable(),
  /** The device's description of its last step, or why it failed. */
  message: z.string().nullable(),
  updatedAt: IsoDateTime,
});
export type IotOtaDevice = z.infer<typeof IotOtaDevice>;

export const IotOtaDeviceQuery = PageQuery.extend({
  status: z.enum(OTA_DEVICE_STATUSES).optional(),
  keyword: z.string().trim().max(50).optional(),
});

export const IotOtaRetry = z.object({
  /** Failed devices to try again (default: every failed device of the task). */
  deviceIds: z.array(z.string().uuid('设备标识无效')).max(10_000).optional(),
});

/** The signed link in an upgrade message: devices download without a session. */
export const FirmwareDownloadQuery = z.object({ token: z.string().min(1).max(300) });

export const otaEndpoints = {
  iotFirmwareList: defineEndpoint({
    method: 'GET', path: '/api/iot/ota/firmware', summary: '固件列表', tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotOta, query: IotFirmwareQuery, response: pageOf(IotFirmware),
  }),
  iotFirmwareUpload: defineEndpoint({
    method: 'POST', path: '/api/iot/ota/firmware/file', summary: '上传固件包（multipart/form-data，字段 file；bin、hex、img、zip 等）', tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotOta, response: FileInfo,
  }),
  iotFirmwareCreate: defineEndpoint({
    method: 'POST', path: '/api/iot/ota/firmware', summary: '新增固件（计算 SM3 签名与大小）', tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotOta, body: IotFirmwareCreate, response: IotFirmware,
  }),
  iotFirmwareDelete: defineEndpoint({
    method: 'DELETE', path: '/api/iot/ota/firmware/:id', summary: '删除固件（有进行中的升级任务时不能删除）', tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotOta, params: IdParams, response: Ok,
  }),
  iotFirmwareDownload: defineEndpoint({
    method: 'GET', path: '/api/iot/ota/firmware/:id/download', summary: '设备下载固件（升级消息中的签名链接，有效期内可用）', tags: ['iot'],
    access: 'anonymous', file: true, params: IdParams, query: FirmwareDownloadQuery, response: FileDownload,
  }),
  iotOtaTasks: defineEndpoint({
    method: 'GET', path: '/api/iot/ota/tasks', summary: '升级任务列表', tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotOta, query: IotOtaTaskQuery, response: pageOf(IotOtaTask),
  }),
  iotOtaTaskCreate: defineEndpoint({
    method: 'POST', path: '/api/iot/ota/tasks', summary: '新建升级任务（在线设备立即推送，离线设备上线后推送）', tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotOta, body: IotOtaTaskCreate, response: IotOtaTask,
  }),
  iotOtaTask: defineEndpoint({
    method: 'GET', path: '/api/iot/ota/tasks/:id', summary: '升级任务详情', tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotOta, params: IdParams, response: IotOtaTask,
  }),
  iotOtaTaskDevices: defineEndpoint({
    method: 'GET', path: '/api/iot/ota/tasks/:id/devices', summary: '升级任务的设备进度', tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotOta, params: IdParams, query: IotOtaDeviceQuery, response: pageOf(IotOtaDevice),
  }),
  iotOtaTaskCancel: defineEndpoint({
    method: 'POST', path: '/api/iot/ota/tasks/:id/cancel', summary: '取消升级任务（未完成的设备不再推送）', tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotOta, params: IdParams, response: IotOtaTask,
  }),
  iotOtaTaskRetry: defineEndpoint({
    method: 'POST', path: '/api/iot/ota/tasks/:id/retry', summary: '重试升级失败的设备', tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotOta, params: IdParams, body: IotOtaRetry, response: IotOtaTask,
  }),
};
