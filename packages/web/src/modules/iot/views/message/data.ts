import {
  TRACE_CHANNELS,
  TRACE_CHANNEL_LABELS,
  TRACE_DIRECTIONS,
  TRACE_DIRECTION_LABELS,
  TRACE_KINDS,
  TRACE_KIND_LABELS,
  TRACE_RESULTS,
  TRACE_RESULT_LABELS,
  type TraceListQuery,
  type TraceResult,
} from '@cityops/contracts';
import { formatDateTime, rangeToQuery } from '@/utils/format';
import { loadProductOptions } from '../../components/product-options';

type TagType = 'success' | 'warning' | 'danger' | 'info' | 'primary';

const options = <K extends string>(keys: readonly K[], labels: Record<K, string>) => keys.map((k) => ({ value: k, label: labels[k] }));

export const DIRECTION_OPTIONS = options(TRACE_DIRECTIONS, TRACE_DIRECTION_LABELS);
export const CHANNEL_OPTIONS = options(TRACE_CHANNELS, TRACE_CHANNEL_LABELS);
export const KIND_OPTIONS = options(TRACE_KINDS, TRACE_KIND_LABELS);
export const RESULT_OPTIONS = options(TRACE_RESULTS, TRACE_RESULT_LABELS);

export const RESULT_TAGS: Record<TraceResult, TagType> = {
  ok: 'success', replied: 'success', rejected: 'warning', denied: 'danger', error: 'danger', timeout: 'warning',
};

/** The 消息追踪 search form. */
export interface TraceSearch {
  productId: string;
  deviceKey: string;
  /** From a link (设备详情): one device, by id. */
  deviceId: string;
  direction: NonNullable<TraceListQuery['direction']> | '';
  channel: NonNullable<TraceListQuery['channel']> | '';
  kind: NonNullable<TraceListQuery['kind']> | '';
  result: NonNullable<TraceListQuery['result']> | '';
  keyword: string;
  msgId: string;
  range: [Date, Date] | null;
}

export const createSearch = (): TraceSearch => ({
  productId: '', deviceKey: '', deviceId: '', direction: '', channel: '', kind: '', result: '', keyword: '', msgId: '', range: null,
});

/** The search as the API's filters (the product is sent by its key, as traces carry it). */
export async function traceFilter(s: TraceSearch) {
  const product = s.productId ? (await loadProductOptions().catch(() => [])).find((p) => p.id === s.productId) : undefined;
  return {
    productKey: product?.productKey,
    deviceKey: s.deviceKey.trim() || undefined,
    deviceId: s.deviceId || undefined,
    direction: s.direction || undefined,
    channel: s.channel || undefined,
    kind: s.kind || undefined,
    result: s.result || undefined,
    keyword: s.keyword.trim() || undefined,
    msgId: s.msgId.trim() || undefined,
    ...rangeToQuery(s.range),
  };
}

/** 'YYYY-MM-DD HH:mm:ss.SSS': messages of one second are told apart. */
export function formatMillis(iso: string): string {
  const d = new Date(iso);
  return `${formatDateTime(d)}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** The payload indented when it is JSON, as it came otherwise. */
export function prettyPayload(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text || '（无内容）';
  }
}
