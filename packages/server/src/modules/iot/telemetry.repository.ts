import { and, asc, desc, eq, gte, lte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { iotDeviceEvent, iotTelemetry } from './telemetry.table.js';

export interface Range {
  from: Date;
  to: Date;
}

/** Property history (iot_telemetry) and device events (iot_device_event). */
export function telemetryRepository(db: DbOrTx) {
  const inRange = (deviceId: string, identifier: string, r: Range) =>
    and(eq(iotTelemetry.deviceId, deviceId), eq(iotTelemetry.identifier, identifier), gte(iotTelemetry.ts, r.from), lte(iotTelemetry.ts, r.to));

  return {
    async count(deviceId: string, identifier: string, r: Range, cap: number) {
      // Counting stops at the cap: a year of reports every few seconds is millions of rows.
      const rows = await db
        .select({ one: sql<number>`1` })
        .from(iotTelemetry)
        .where(inRange(deviceId, identifier, r))
        .limit(cap + 1);
      return rows.length;
    },

    /** Raw reports, oldest first; with `newest`, the last `limit` of the range. */
    async raw(deviceId: string, identifier: string, r: Range, limit: number, newest = false) {
      const rows = await db
        .select({ ts: iotTelemetry.ts, value: iotTelemetry.value, num: iotTelemetry.num })
        .from(iotTelemetry)
        .where(inRange(deviceId, identifier, r))
        .orderBy(newest ? desc(iotTelemetry.ts) : asc(iotTelemetry.ts))
        .limit(limit);
      return newest ? rows.reverse() : rows;
    },

    /** Numeric reports in buckets of `seconds`: average, minimum, maximum and count per bucket. */
    async buckets(deviceId: string, identifier: string, r: Range, seconds: number) {
      const bucket = sql<Date>`to_timestamp(floor(extract(epoch from ${iotTelemetry.ts}) / ${seconds}) * ${seconds})`;
      const rows = await db
        .select({
          ts: sql<string>`${bucket}`,
          avg: sql<number | null>`avg(${iotTelemetry.num})`,
          min: sql<number | null>`min(${iotTelemetry.num})`,
          max: sql<number | null>`max(${iotTelemetry.num})`,
          count: sql<number>`count(*)::int`,
        })
        .from(iotTelemetry)
        .where(inRange(deviceId, identifier, r))
        .groupBy(sql`1`)
        .orderBy(sql`1`);
      return rows.map((b) => ({ ...b, ts: new Date(b.ts), avg: b.avg === null ? null : Number(b.avg), min: b.min === null ? null : Number(b.min), max: b.max === null ? null : Number(b.max) }));
    },

    async events(deviceId: string, f: { identifier?: string; level?: string; from?: Date; to?: Date }, page: number, pageSize: number) {
      const cond = and(
        eq(iotDeviceEvent.deviceId, deviceId),
        f.identifier ? eq(iotDeviceEvent.identifier, f.identifier) : undefined,
        f.level ? eq(iotDeviceEvent.level, f.level) : undefined,
        f.from ? gte(iotDeviceEvent.ts, f.from) : undefined,
        f.to ? lte(iotDeviceEvent.ts, f.to) : undefined,
      );
      const items = await db
        .select()
        .from(iotDeviceEvent)
        .where(cond)
        .orderBy(desc(iotDeviceEvent.ts), desc(iotDeviceEvent.id))
        .limit(pageSize)
        .offset((page - 1) * pageSize);
      const [t] = await db.select({ n: sql<number>`count(*)::int` }).from(iotDeviceEvent).where(cond);
      return { items, total: t?.n ?? 0 };
    },
  };
}
export type TelemetryRepository = ReturnType<typeof telemetryRepository>;
