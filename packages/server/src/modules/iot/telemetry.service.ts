import {
  HISTORY_MAX_POINTS, type DeviceEventQuery, type DeviceEventRow, type HistoryQuery, type LatestValue, type PropertyHistory,
} from '@cityops/contracts';
import type { z } from 'zod';
import type { DbOrTx } from '../../core/db.js';
import { Invalid } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import type { LocalDirectory } from './device-directory.js';
import type { DeviceService } from './device.service.js';
import { deviceRepository } from './device.repository.js';
import { latestValues } from './latest-values.js';
import { telemetryRepository, type Range } from './telemetry.repository.js';

const NUMERIC = new Set(['int', 'float', 'double', 'bool']);
const DAY = 86_400_000;
/** The longest range one history query covers. */
const MAX_RANGE_DAYS = 400;
/** The Excel export of a history stops here. */
export const HISTORY_EXPORT_CAP = 100_000;

/**
 * 设备数据: latest values, one property's history (bucketed to at most HISTORY_MAX_POINTS points,
 * average/min/max per bucket) and the device's events, for the devices the user may see.
 */
export function telemetryService(d: { db: DbOrTx; directory: LocalDirectory; devices: Pick<DeviceService, 'visible'> }) {
  const repo = telemetryRepository(d.db);
  const deviceRepo = deviceRepository(d.db);

  const rangeOf = (q: z.output<typeof HistoryQuery>): Range => {
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - DAY);
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw new Invalid('时间格式不正确');
    if (from >= to) throw new Invalid('开始时间须早于结束时间', { fields: { from: '开始时间须早于结束时间' } });
    if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY) throw new Invalid(`一次最多查询 ${MAX_RANGE_DAYS} 天`);
    return { from, to };
  };

  /** The property's definition in the device's thing model (a property the model dropped still has its history). */
  const propertyOf = async (productId: string, identifier: string) => {
    const product = await d.directory.productById(productId);
    const p = product?.thingModel.properties.find((x) => x.identifier === identifier);
    return { name: p?.name ?? identifier, unit: p?.dataType.specs?.unit ?? null, numeric: p ? NUMERIC.has(p.dataType.type) : true };
  };

  return {
    async latest(user: Principal, id: string): Promise<LatestValue[]> {
      const device = await d.devices.visible(user, id);
      const [product, state] = await Promise.all([d.directory.productById(device.productId), deviceRepo.state(id)]);
      return latestValues(product?.thingModel ?? { properties: [], events: [], services: [] }, state?.props);
    },

    async history(user: Principal, id: string, identifier: string, q: z.output<typeof HistoryQuery>): Promise<PropertyHistory> {
      const device = await d.devices.visible(user, id);
      const range = rangeOf(q);
      const p = await propertyOf(device.productId, identifier);
      const head = { identifier, name: p.name, unit: p.unit, numeric: p.numeric, from: range.from.toISOString(), to: range.to.toISOString() };
      const n = await repo.count(id, identifier, range, HISTORY_MAX_POINTS);
      if (n <= HISTORY_MAX_POINTS || !p.numeric) {
        const rows = await repo.raw(id, identifier, range, HISTORY_MAX_POINTS, true);
        return { ...head, bucketSeconds: null, points: rows.map((r) => ({ ts: r.ts.toISOString(), value: r.value, avg: null, min: null, max: null, count: 1 })) };
      }
      const seconds = Math.ceil((range.to.getTime() - range.from.getTime()) / 1000 / HISTORY_MAX_POINTS);
      const buckets = await repo.buckets(id, identifier, range, seconds);
      return {
        ...head,
        bucketSeconds: seconds,
        points: buckets.map((b) => ({ ts: b.ts.toISOString(), value: b.avg, avg: b.avg, min: b.min, max: b.max, count: b.count })),
      };
    },

    /** Raw history for the Excel export, oldest first, up to HISTORY_EXPORT_CAP rows. */
    async exportRows(user: Principal, id: string, identifier: string, q: z.output<typeof HistoryQuery>) {
      const device = await d.devices.visible(user, id);
      const range = rangeOf(q);
      const p = await propertyOf(device.productId, identifier);
      const rows = await repo.raw(id, identifier, range, HISTORY_EXPORT_CAP + 1);
      return { device, property: p, range, rows: rows.slice(0, HISTORY_EXPORT_CAP), capped: rows.length > HISTORY_EXPORT_CAP };
    },

    async events(user: Principal, id: string, q: z.output<typeof DeviceEventQuery>) {
      await d.devices.visible(user, id);
      const { items, total } = await repo.events(id, { ...q, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined }, q.page, q.pageSize);
      return {
        items: items.map((e): DeviceEventRow => ({ id: e.id, identifier: e.identifier, name: e.name, level: e.level as DeviceEventRow['level'], output: e.output, ts: e.ts.toISOString() })),
        total,
        page: q.page,
        pageSize: q.pageSize,
      };
    },
  };
}
export type TelemetryService = ReturnType<typeof telemetryService>;
