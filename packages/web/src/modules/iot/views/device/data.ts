import type { FormItemRule } from 'element-plus';
import {
  DEVICE_KEY_RE,
  isAddressOrRange,
  type BatchResult,
  type DeviceDetail,
  type DeviceListQuery,
  type DeviceStatus,
  type DeviceUpdateBody,
  type IotCategory,
} from '@cityops/contracts';
import { api } from '@/api/client';

/** The 设备管理 search form (the map uses the same filters but paging). */
export interface DeviceSearch {
  keyword: string;
  productId: string;
  category: IotCategory | '';
  regionCode: string;
  orgId: string;
  status: DeviceStatus | '';
  includeDeregistered: boolean;
  sort: NonNullable<DeviceListQuery['sort']>;
  order: 'asc' | 'desc';
}

export const createSearch = (): DeviceSearch => ({
  keyword: '',
  productId: '',
  category: '',
  regionCode: '',
  orgId: '',
  status: '',
  includeDeregistered: false,
  sort: 'createdAt',
  order: 'desc',
});

/** The search as the API's filters (list, export and map take the same). */
export function deviceFilter(s: DeviceSearch) {
  return {
    keyword: s.keyword.trim() || undefined,
    productId: s.productId || undefined,
    category: s.category || undefined,
    regionCode: s.regionCode || undefined,
    orgId: s.orgId || undefined,
    status: s.status || undefined,
    includeDeregistered: s.includeDeregistered ? ('true' as const) : undefined,
  };
}

export function fetchDevices(s: DeviceSearch, page: number, pageSize: number) {
  return api.iotDevices({ query: { page, pageSize, sort: s.sort, order: s.order, ...deviceFilter(s) } });
}

export function exportDevices(s: DeviceSearch) {
  return api.iotExportDevices({ query: { sort: s.sort, order: s.order, ...deviceFilter(s) } });
}

// ----- batch actions -----

export type DeviceBatchAction = 'enable' | 'disable' | 'deregister';
export const BATCH_LABELS: Record<DeviceBatchAction, string> = { enable: '启用', disable: '禁用', deregister: '注销' };

export const BATCH_CONFIRM: Record<DeviceBatchAction, (who: string) => string> = {
  enable: (who) => `确定启用${who}吗？启用后设备可重新接入。`,
  disable: (who) => `确定禁用${who}吗？在线的设备将立即断开，禁用期间拒绝接入。`,
  deregister: (who) => `确定注销${who}吗？注销后设备不能再接入，且不可恢复；历史数据保留，可勾选「含已注销」查看。`,
};

export function runBatch(action: DeviceBatchAction, ids: string[]): Promise<BatchResult> {
  const body = { ids };
  if (action === 'enable') return api.iotEnableDevices({ body });
  if (action === 'disable') return api.iotDisableDevices({ body });
  return api.iotDeregisterDevices({ body });
}

// ----- the register / edit form -----

export interface DeviceForm {
  productId: string;
  deviceKey: string;
  name: string;
  regionCode: string;
  /** 责任单位 ('' = none: only city-wide users may leave it so). */
  orgId: string;
  lng: number | null;
  lat: number | null;
  address: string;
  /** One IP address or range per line. */
  allowedAddresses: string;
  testMode: boolean;
  gatewayId: string;
  description: string;
}

export const createForm = (): DeviceForm => ({
  productId: '',
  deviceKey: '',
  name: '',
  regionCode: '',
  orgId: '',
  lng: null,
  lat: null,
  address: '',
  allowedAddresses: '',
  testMode: false,
  gatewayId: '',
  description: '',
});

export const formOf = (d: DeviceDetail): DeviceForm => ({
  productId: d.productId,
  deviceKey: d.deviceKey,
  name: d.name,
  regionCode: d.regionCode ?? '',
  orgId: d.orgId ?? '',
  lng: d.lng,
  lat: d.lat,
  address: d.address ?? '',
  allowedAddresses: d.allowedAddresses.join('\n'),
  testMode: d.testMode,
  gatewayId: d.gatewayId ?? '',
  description: d.description,
});

export const addressesOf = (text: string) => [...new Set(text.split(/[\s,，;；]+/).map((s) => s.trim()).filter(Boolean))];

/** What the server takes (it refuses a device without 责任单位 from users who are not city-wide). */
export function bodyOf(f: DeviceForm): DeviceUpdateBody {
  return {
    name: f.name.trim(),
    regionCode: f.regionCode || null,
    orgId: f.orgId || null,
    lng: f.lng,
    lat: f.lat,
    address: f.address.trim() || null,
    allowedAddresses: addressesOf(f.allowedAddresses),
    testMode: f.testMode,
    gatewayId: f.gatewayId || null,
    description: f.description.trim(),
  };
}

type Validator = (rule: unknown, value: unknown, callback: (error?: Error) => void) => void;
const check = (problem: (value: string) => string | undefined): Validator => (_r, value, cb) => {
  const p = problem(typeof value === 'string' ? value : '');
  cb(p ? new Error(p) : undefined);
};

/** Rules mirroring the server's (packages/contracts/src/iot/device.ts). */
export function formRules(f: DeviceForm): Record<string, FormItemRule[]> {
  return {
    productId: [{ required: true, message: '请选择所属产品', trigger: 'change' }],
    deviceKey: [{ validator: check((v) => (!v.trim() || DEVICE_KEY_RE.test(v.trim()) ? undefined : '设备标识须为 4–32 位字母、数字、下划线或“-”')), trigger: 'blur' }],
    name: [
      { required: true, whitespace: true, message: '请填写设备名称', trigger: 'blur' },
      { max: 50, message: '设备名称不能超过 50 个字符', trigger: 'blur' },
    ],
    lat: [{ validator: (_r, _v, cb) => cb((f.lng === null) !== (f.lat === null) ? new Error('经度、纬度须同时填写') : undefined), trigger: 'change' }],
    allowedAddresses: [
      {
        validator: check((v) => {
          const list = addressesOf(v);
          const bad = list.find((a) => !isAddressOrRange(a));
          if (bad) return `「${bad}」不是 IP 地址或网段（如 10.0.0.8、10.0.0.0/24）`;
          return list.length > 50 ? '准入白名单最多 50 项' : undefined;
        }),
        trigger: 'blur',
      },
    ],
  };
}
