import { DEVICE_STATUSES, IOT_CATEGORIES, IOT_CATEGORY_LABELS, type IotOverview, type IotOverviewQuery } from '@cityops/contracts';
import type { z } from 'zod';
import type { DbOrTx } from '../../core/db.js';
import type { Principal } from '../../core/principal.js';
import type { DeviceScopes } from './device-scope.js';
import { overviewRepository } from './overview.repository.js';

const MINUTE = 60_000;
const CST = 8 * 3600_000;
/** The figures are computed at most this often per scope (counting a day of trace is not free). */
const TTL_MS = 15_000;

/** 00:00 China Standard Time of the day `t` falls in. */
export const cstDayStart = (t: number) => Math.floor((t + CST) / 86_400_000) * 86_400_000 - CST;

/** 物联概览 (and the cockpits): devices by category, status and area; today's messages; alarms; the last hour's rate. */
export function overviewService(d: { db: DbOrTx; scopes: DeviceScopes }) {
  const repo = overviewRepository(d.db);
  const cache = new Map<string, { at: number; value: Promise<IotOverview> }>();

  const compute = async (user: Principal, regionCode?: string): Promise<IotOverview> => {
    const scope = await d.scopes.of(user);
    const now = Date.now();
    const hourStart = Math.floor(now / MINUTE) * MINUTE - 59 * MINUTE;
    // Areas one level below the filter: towns of the city, villages of a town.
    const areaLength = !regionCode ? 9 : regionCode.length <= 6 ? 9 : regionCode.length <= 9 ? 12 : regionCode.length;
    const products = await repo.productCount();
    const counts = await repo.byCategoryAndStatus(scope, regionCode);
    const byRegion = await repo.byArea(scope, areaLength, regionCode);
    const messages = await repo.messages(scope, { today: new Date(cstDayStart(now)), hour: new Date(now - 60 * MINUTE) }, regionCode);
    const minutes = await repo.perMinute(scope, new Date(hourStart), regionCode);
    const activeAlarms = await repo.activeAlarms(scope, regionCode);

    const devices = Object.fromEntries(DEVICE_STATUSES.map((s) => [s, 0])) as Record<(typeof DEVICE_STATUSES)[number], number>;
    const byCategory = IOT_CATEGORIES.map((category) => ({ category, name: IOT_CATEGORY_LABELS[category], total: 0, online: 0 }));
    for (const c of counts) {
      devices[c.status] += c.n;
      const cat = byCategory.find((x) => x.category === c.category) ?? byCategory.find((x) => x.category === 'other')!;
      cat.total += c.n;
      if (c.status === 'online') cat.online += c.n;
    }
    const perMinute = new Map(minutes.map((m) => [m.minute, m.n]));
    return {
      generatedAt: new Date(now).toISOString(),
      products,
      devices: { total: Object.values(devices).reduce((a, b) => a + b, 0), ...devices },
      byCategory,
      byRegion,
      messages,
      activeAlarms,
      ratePerMinute: Array.from({ length: 60 }, (_, i) => {
        const minute = hourStart + i * MINUTE;
        return { minute: new Date(minute).toISOString(), count: perMinute.get(minute) ?? 0 };
      }),
    };
  };

  return {
    async get(user: Principal, q: z.output<typeof IotOverviewQuery>): Promise<IotOverview> {
      const scope = await d.scopes.of(user);
      const key = `${scope.all ? '*' : [...scope.orgIds].sort().join(',')}|${q.regionCode ?? ''}`;
      const hit = cache.get(key);
      if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
      if (cache.size > 500) cache.clear();
      const value = compute(user, q.regionCode);
      cache.set(key, { at: Date.now(), value });
      value.catch(() => cache.delete(key));
      return value;
    },
  };
}
export type OverviewService = ReturnType<typeof overviewService>;
