import { z } from 'zod';
import { defineEndpoint } from '../endpoint.js';
import { BatchBody, BatchResult, FileDownload, IsoDateTime, PageQuery, pageOf } from '../common.js';
import { PERMISSIONS as P } from '../permissions.js';
import { AUTH_MODES, DEVICE_KEY_RE, IOT_CATEGORIES, IOT_PROTOCOLS, NODE_TYPES, SecretReveal } from './product.js';
import { DeviceIdParams, LatestValue } from './telemetry.js';

/** inactive 未激活 (never connected) → online 在线 / offline 离线; disabled 禁用 refuses connections. */
export const DEVICE_STATUSES = ['inactive', 'online', 'offline', 'disabled'] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];
export const DEVICE_STATUS_LABELS: Record<DeviceStatus, string> = { inactive: '未激活', online: '在线', offline: '离线', disabled: '禁用' };

const IPV4 = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}';
const IPV4_OR_CIDR = new RegExp(`^${IPV4}(\\/(3[0-2]|[12]?\\d))?$`);
const IPV6_OR_CIDR = /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(\/(12[0-8]|1[01]\d|[1-9]?\d))?$/;
/** An entry of a device's 准入白名单: an IPv4/IPv6 address or CIDR range. */
export const isAddressOrRange = (v: string) => IPV4_OR_CIDR.test(v) || IPV6_OR_CIDR.test(v);

const AllowedAddresses = z
  .array(z.string().trim().refine(isAddressOrRange, '请填写 IP 地址或网段（如 10.0.0.8、10.0.0.0/24）'))
  .max(50, '准入白名单最多 50 项')
  .default([]);

const optionalText = (max: number, label: string) =>
  z.string().trim().max(max, `${label}不能超过 ${max} 个字符`).nullish().transform((v) => v || null);
const optionalId = (message: string) => z.uuid(message).nullish().or(z.literal('').transform(() => null)).transform((v) => v ?? null);

/** What an administrator may change on a device (the product and the key are fixed at registration). */
const DeviceFields = z.object({
  name: z.string().trim().min(1, '请填写设备名称').max(50, '设备名称不能超过 50 个字符'),
  regionCode: optionalText(12, '区域编码'),
  orgId: optionalId('请选择责任单位'),
  lng: z.number().min(-180, '经度应在 -180 到 180 之间').max(180, '经度应在 -180 到 180 之间').nullish().transform((v) => v ?? null),
  lat: z.number().min(-90, '纬度应在 -90 到 90 之间').max(90, '纬度应在 -90 到 90 之间').nullish().transform((v) => v ?? null),
  address: optionalText(200, '安装地址'),
  allowedAddresses: AllowedAddresses,
  /** 测试: reports are stored and traced, but rules raise no events. */
  testMode: z.boolean().default(false),
  /** Sub-devices: the gateway device that speaks for them. */
  gatewayId: optionalId('网关设备编号格式不正确'),
  description: z.string().trim().max(500, '描述不能超过 500 个字符').default(''),
});
const bothOrNeither = (v: { lng: number | null; lat: number | null }) => (v.lng === null) === (v.lat === null);
const coordinates = { path: ['lat'], message: '经度、纬度须同时填写' };

export const DeviceCreateBody = DeviceFields.extend({
  productId: z.uuid('请选择所属产品'),
  /** Leave out to have one generated. */
  deviceKey: z.string().trim().regex(DEVICE_KEY_RE, '设备标识须为 4–32 位字母、数字、下划线或“-”').optional().or(z.literal('').transform(() => undefined)),
}).refine(bothOrNeither, coordinates);
export type DeviceCreateBody = z.input<typeof DeviceCreateBody>;

export const DeviceUpdateBody = DeviceFields.refine(bothOrNeither, coordinates);
export type DeviceUpdateBody = z.input<typeof DeviceUpdateBody>;

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

/** The filters of 设备管理 (the list, its Excel export and the map share them). */
export const DeviceFilter = z.object({
  /** Name contains, or device key prefix. */
  keyword: z.string().trim().max(50).optional(),
  productId: z.uuid().optional(),
  category: z.enum(IOT_CATEGORIES).optional(),
  nodeType: z.enum(NODE_TYPES).optional(),
  /** This region and every region below it. */
  regionCode: z.string().trim().max(12).optional(),
  orgId: z.uuid().optional(),
  status: z.enum(DEVICE_STATUSES).optional(),
  gatewayId: z.uuid().optional(),
  testMode: bool.optional(),
  /** 注销 devices are hidden unless asked for. */
  includeDeregistered: bool.optional(),
});
export type DeviceFilter = z.input<typeof DeviceFilter>;

export const DeviceListQuery = PageQuery.merge(DeviceFilter).extend({
  sort: z.enum(['createdAt', 'name', 'deviceKey', 'lastSeenAt', 'status']).default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
});
export type DeviceListQuery = z.input<typeof DeviceListQuery>;

export const DeviceItem = z.object({
  id: z.string(),
  productId: z.string(),
  productKey: z.string(),
  productName: z.string(),
  category: z.enum(IOT_CATEGORIES),
  nodeType: z.enum(NODE_TYPES),
  deviceKey: z.string(),
  name: z.string(),
  status: z.enum(DEVICE_STATUSES),
  testMode: z.boolean(),
  regionCode: z.string().nullable(),
  regionName: z.string().nullable(),
  orgId: z.string().nullable(),
  orgName: z.string().nullable(),
  lng: z.number().nullable(),
  lat: z.number().nullable(),
  address: z.string().nullable(),
  gatewayId: z.string().nullable(),
  gatewayName: z.string().nullable(),
  firmwareVersion: z.string().nullable(),
  lastIp: z.string().nullable(),
  activatedAt: IsoDateTime.nullable(),
  lastSeenAt: IsoDateTime.nullable(),
  onlineAt: IsoDateTime.nullable(),
  offlineAt: IsoDateTime.nullable(),
  /** 注销 time; such a device can no longer connect. */
  deregisteredAt: IsoDateTime.nullable(),
  description: z.string(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type DeviceItem = z.infer<typeof DeviceItem>;

export const DeviceDetail = DeviceItem.extend({
  protocol: z.enum(IOT_PROTOCOLS),
  authMode: z.enum(AUTH_MODES),
  allowedAddresses: z.array(z.string()),
  /** Every property of the thing model with its latest value. */
  latest: z.array(LatestValue),
});
export type DeviceDetail = z.infer<typeof DeviceDetail>;

export const DeviceCreated = z.object({
  device: DeviceDetail,
  /** The device secret in clear text, shown once (holders of iot:device:secret can reveal it again). */
  secret: z.string(),
});
export type DeviceCreated = z.infer<typeof DeviceCreated>;

/** Excel upload: the .xlsx file, base64-encoded (at most 5,000 rows). */
export const DeviceImportBody = z.object({
  fileName: z.string().max(200).default('devices.xlsx'),
  content: z.string().min(1, '请选择文件').max(1_000_000, '文件过大：一次最多导入 5000 行'),
});
export type DeviceImportBody = z.input<typeof DeviceImportBody>;
export const DEVICE_IMPORT_MAX_ROWS = 5000;

/** Per row of the sheet: `id` is the row number (the header is row 1); `names` labels each row for the result dialog. */
export const DeviceImportResult = BatchResult.extend({ names: z.record(z.string(), z.string()) });
export type DeviceImportResult = z.infer<typeof DeviceImportResult>;

/** The map shows at most this many devices (the filters narrow it). */
export const DEVICE_MAP_CAP = 20_000;
export const DevicePoint = z.object({
  id: z.string(),
  name: z.string(),
  productName: z.string(),
  category: z.enum(IOT_CATEGORIES),
  status: z.enum(DEVICE_STATUSES),
  lng: z.number(),
  lat: z.number(),
});
export type DevicePoint = z.infer<typeof DevicePoint>;
export const DeviceMap = z.object({ points: z.array(DevicePoint), capped: z.boolean() });
export type DeviceMap = z.infer<typeof DeviceMap>;

/** 责任单位 choices: at most this many per search (the picker searches as the user types). */
export const IOT_ORG_OPTIONS_LIMIT = 50;
export const IotOrgOptionsQuery = z.object({
  /** Name contains, code or pinyin initials start with. */
  keyword: z.string().trim().max(50).optional(),
});
export type IotOrgOptionsQuery = z.input<typeof IotOrgOptionsQuery>;
export const IotOrgOption = z.object({ id: z.string(), name: z.string(), code: z.string(), parentName: z.string().nullable() });
export type IotOrgOption = z.infer<typeof IotOrgOption>;

const tags = ['iot'];
const list = { access: 'authorized' as const, permission: P.iotDeviceList, tags };
const edit = { access: 'authorized' as const, permission: P.iotDeviceEdit, tags };
const secret = { access: 'authorized' as const, permission: P.iotDeviceSecret, tags };

/**
 * IoT: devices: registry, credentials, lifecycle, import/export (helper A). Every list and action
 * is limited to the devices of the user's organisations (本级及下级; a 城运中心 acts for its area).
 */
export const deviceEndpoints = {
  iotDevices: defineEndpoint({
    ...list, method: 'GET', path: '/api/iot/devices', summary: '设备列表（名称/设备标识、产品、分类、区域（含下级）、责任单位、状态）',
    query: DeviceListQuery, response: pageOf(DeviceItem),
  }),
  iotDeviceMap: defineEndpoint({
    ...list, method: 'GET', path: '/api/iot/devices/map', summary: '设备地图点位（有坐标的设备，最多 20000 个）',
    query: DeviceFilter, response: DeviceMap,
  }),
  iotExportDevices: defineEndpoint({
    ...list, method: 'GET', path: '/api/iot/devices/export', summary: '导出设备列表（Excel）',
    file: true, query: DeviceListQuery.omit({ page: true, pageSize: true }), response: FileDownload,
  }),
  iotDeviceImportTemplate: defineEndpoint({
    ...edit, method: 'GET', path: '/api/iot/devices/import-template', summary: '下载设备导入模板（Excel）',
    file: true, response: FileDownload,
  }),
  iotImportDevices: defineEndpoint({
    ...edit, method: 'POST', path: '/api/iot/devices/import', summary: '导入设备（Excel，逐行给出结果；密钥自动生成）',
    body: DeviceImportBody, response: DeviceImportResult,
  }),
  iotOrgOptions: defineEndpoint({
    ...list, method: 'GET', path: '/api/iot/orgs/options',
    summary: '可选的责任单位（设备管理范围内的启用单位，按名称、编码或拼音检索，最多 50 个）',
    query: IotOrgOptionsQuery, response: z.array(IotOrgOption),
  }),
  iotDevice: defineEndpoint({
    ...list, method: 'GET', path: '/api/iot/devices/:id', summary: '设备详情（产品、责任单位、区域名称与属性最新值）',
    params: DeviceIdParams, response: DeviceDetail,
  }),
  iotCreateDevice: defineEndpoint({
    ...edit, method: 'POST', path: '/api/iot/devices', summary: '注册设备（未给出设备标识时生成；设备密钥生成并仅返回一次）',
    body: DeviceCreateBody, response: DeviceCreated,
  }),
  iotUpdateDevice: defineEndpoint({
    ...edit, method: 'PUT', path: '/api/iot/devices/:id', summary: '编辑设备（产品与设备标识不可改）',
    params: DeviceIdParams, body: DeviceUpdateBody, response: DeviceDetail,
  }),
  iotEnableDevices: defineEndpoint({
    ...edit, method: 'POST', path: '/api/iot/devices/enable', summary: '批量启用设备', body: BatchBody, response: BatchResult,
  }),
  iotDisableDevices: defineEndpoint({
    ...edit, method: 'POST', path: '/api/iot/devices/disable', summary: '批量禁用设备（立即断开，拒绝再连接）', body: BatchBody, response: BatchResult,
  }),
  iotDeregisterDevices: defineEndpoint({
    ...edit, method: 'POST', path: '/api/iot/devices/deregister', summary: '批量注销设备（保留历史数据，不能再接入，不可恢复）',
    body: BatchBody, response: BatchResult,
  }),
  iotRevealDeviceSecret: defineEndpoint({
    ...secret, method: 'POST', path: '/api/iot/devices/:id/secret/reveal', summary: '查看设备密钥（一型一密的产品给出产品密钥）',
    params: DeviceIdParams, response: SecretReveal,
  }),
  iotResetDeviceSecret: defineEndpoint({
    ...secret, method: 'POST', path: '/api/iot/devices/:id/secret/reset', summary: '重置设备密钥（设备须改用新密钥重新连接）',
    params: DeviceIdParams, response: SecretReveal,
  }),
};
