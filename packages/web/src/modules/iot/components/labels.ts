import {
  AUTH_MODES,
  AUTH_MODE_LABELS,
  DEVICE_STATUSES,
  DEVICE_STATUS_LABELS,
  IOT_CATEGORIES,
  IOT_CATEGORY_LABELS,
  IOT_PROTOCOLS,
  IOT_PROTOCOL_LABELS,
  NODE_TYPES,
  NODE_TYPE_LABELS,
  type DeviceStatus,
} from '@cityops/contracts';

/** Select options of the IoT enumerations, in the contracts' order. */
const options = <K extends string>(keys: readonly K[], labels: Record<K, string>) => keys.map((k) => ({ value: k, label: labels[k] }));

export const CATEGORY_OPTIONS = options(IOT_CATEGORIES, IOT_CATEGORY_LABELS);
export const NODE_TYPE_OPTIONS = options(NODE_TYPES, NODE_TYPE_LABELS);
export const PROTOCOL_OPTIONS = options(IOT_PROTOCOLS, IOT_PROTOCOL_LABELS);
export const AUTH_MODE_OPTIONS = options(AUTH_MODES, AUTH_MODE_LABELS);
export const STATUS_OPTIONS = options(DEVICE_STATUSES, DEVICE_STATUS_LABELS);

/** Tag colour per device status; 已注销 is grey like 禁用 but plain. */
export const STATUS_TAGS: Record<DeviceStatus, 'success' | 'info' | 'warning' | 'danger' | 'primary'> = {
  online: 'success',
  offline: 'warning',
  inactive: 'info',
  disabled: 'danger',
};

/** Map colours per status (the same hues as the tags). */
export const STATUS_COLORS: Record<DeviceStatus, string> = { online: '#67c23a', offline: '#e6a23c', inactive: '#909399', disabled: '#f56c6c' };

/** '3 分钟前', '2 小时前', or the date when older than a week; '从未' when never. */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '从未';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return '—';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return '刚刚';
  if (s < 3600) return `${Math.floor(s / 60)} 分钟前`;
  if (s < 86_400) return `${Math.floor(s / 3600)} 小时前`;
  if (s < 7 * 86_400) return `${Math.floor(s / 86_400)} 天前`;
  return new Date(t).toLocaleDateString('zh-CN');
}

/** Seconds as the offline setting reads: '10 分钟', '1 小时 30 分钟', '2 天'. */
export function seconds(n: number): string {
  if (n % 86_400 === 0) return `${n / 86_400} 天`;
  if (n % 3600 === 0) return `${n / 3600} 小时`;
  if (n % 60 === 0) return n >= 3600 ? `${Math.floor(n / 3600)} 小时 ${(n % 3600) / 60} 分钟` : `${n / 60} 分钟`;
  return `${n} 秒`;
}
