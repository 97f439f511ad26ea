import { and, eq, gte, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { sysRegion } from '../system/region.table.js';
import { iotDevice } from './device.table.js';
import { inDeviceScope, regionUnder, type DeviceScope } from './device.repository.js';
import { iotMessage } from './message.table.js';
import { iotProduct } from './product.table.js';
import { iotAlarm } from './rule.table.js';

/** The figures of 物联概览, each one grouped query. */
export function overviewRepository(db: DbOrTx) {
  const devices = (scope: DeviceScope, regionCode?: string): SQL | undefined =>
    and(isNull(iotDevice.deregisteredAt), inDeviceScope(scope), regionCode ? regionUnder(iotDevice.regionCode, regionCode) : undefined);
  /** Rows of other tables that belong to the devices in view (no condition when that is every device). */
  const ofDevices = (column: typeof iotMessage.deviceId | typeof iotAlarm.deviceId, scope: DeviceScope, regionCode?: string) =>
    scope.all && !regionCode ? undefined : inArray(column, db.select({ id: iotDevice.id }).from(iotDevice).where(devices(scope, regionCode)));

  return {
    async productCount() {
      const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(iotProduct);
      return r?.n ?? 0;
    },

    async byCategoryAndStatus(scope: DeviceScope, regionCode?: string) {
      return db
        .select({ category: iotProduct.category, status: iotDevice.status, n: sql<number>`count(*)::int` })
        .from(iotDevice)
        .innerJoin(iotProduct, eq(iotProduct.id, iotDevice.productId))
        .where(devices(scope, regionCode))
        .groupBy(iotProduct.category, iotDevice.status);
    },

    /** Devices by the region `length` characters long that contains theirs (9: towns, 12: villages). */
    async byArea(scope: DeviceScope, length: number, regionCode?: string) {
      const area = sql<string>`coalesce(left(${iotDevice.regionCode}, ${length}), '')`;
      const rows = await db
        .select({ code: area, total: sql<number>`count(*)::int`, online: sql<number>`(count(*) filter (where ${iotDevice.status} = 'online'))::int` })
        .from(iotDevice)
        .where(devices(scope, regionCode))
        .groupBy(sql`1`);
      const codes = rows.map((r) => r.code).filter(Boolean);
      const names = codes.length ? await db.select({ code: sysRegion.code, name: sysRegion.name, sort: sysRegion.sort }).from(sysRegion).where(inArray(sysRegion.code, codes)) : [];
      const byCode = new Map(names.map((n) => [n.code, n]));
      return rows
        .map((r) => ({ regionCode: r.code, name: r.code ? (byCode.get(r.code)?.name ?? r.code) : '未设置区域', total: r.total, online: r.online, sort: byCode.get(r.code)?.sort ?? Number.MAX_SAFE_INTEGER }))
        .sort((a, b) => a.sort - b.sort || a.regionCode.localeCompare(b.regionCode))
        .map(({ sort: _, ...r }) => r);
    },

    async messages(scope: DeviceScope, since: { today: Date; hour: Date }, regionCode?: string) {
      const [r] = await db
        .select({
          today: sql<number>`count(*)::int`,
          lastHour: sql<number>`(count(*) filter (where ${iotMessage.ts} >= ${since.hour}))::int`,
          rejectedToday: sql<number>`(count(*) filter (where ${iotMessage.result} in ('rejected', 'denied')))::int`,
        })
        .from(iotMessage)
        .where(and(eq(iotMessage.direction, 'up'), gte(iotMessage.ts, since.today), ofDevices(iotMessage.deviceId, scope, regionCode)));
      return r ?? { today: 0, lastHour: 0, rejectedToday: 0 };
    },

    async perMinute(scope: DeviceScope, since: Date, regionCode?: string) {
      const minute = sql<string>`date_trunc('minute', ${iotMessage.ts})`;
      const rows = await db
        .select({ minute, n: sql<number>`count(*)::int` })
        .from(iotMessage)
        .where(and(eq(iotMessage.direction, 'up'), gte(iotMessage.ts, since), ofDevices(iotMessage.deviceId, scope, regionCode)))
        .groupBy(sql`1`);
      return rows.map((r) => ({ minute: new Date(r.minute).getTime(), n: r.n }));
    },

    async activeAlarms(scope: DeviceScope, regionCode?: string) {
      const [r] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(iotAlarm)
        .where(and(ne(iotAlarm.status, 'cleared'), ofDevices(iotAlarm.deviceId, scope, regionCode)));
      return r?.n ?? 0;
    },
  };
}
