import { and, count, desc, eq, gte, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { likeContains } from '../../core/text.js';
import { iotDevice } from './device.table.js';
import { iotProduct } from './product.table.js';
import { OPEN_ALARM } from './rule.repository.js';
import { iotAlarm } from './rule.table.js';

export type AlarmRow = typeof iotAlarm.$inferSelect;
export type NewAlarm = Omit<typeof iotAlarm.$inferInsert, 'id'>;

export interface AlarmFilter {
  status?: string;
  level?: string;
  productId?: string;
  deviceId?: string;
  ruleId?: string;
  keyword?: string;
  from?: string;
  to?: string;
  /** Only alarms of devices of these organisations (the user's scope); absent: all. */
  orgIds?: string[];
}

/** Merges keys into the alarm's detail (jsonb ||), so concurrent notes on different keys both stay. */
const mergeDetail = (patch: Record<string, unknown>) => sql`${iotAlarm.detail} || ${JSON.stringify(patch)}::jsonb`;

/** 告警记录. */
export function alarmRepository(db: DbOrTx) {
  const columns = {
    alarm: iotAlarm,
    deviceName: iotDevice.name,
    deviceKey: iotDevice.deviceKey,
    orgId: iotDevice.orgId,
    productId: iotProduct.id,
    productName: iotProduct.name,
  };
  const select = () =>
    db.select(columns).from(iotAlarm)
      .leftJoin(iotDevice, eq(iotDevice.id, iotAlarm.deviceId))
      .leftJoin(iotProduct, eq(iotProduct.id, iotDevice.productId));

  function where(f: AlarmFilter) {
    const w: SQL[] = [];
    if (f.status) w.push(eq(iotAlarm.status, f.status));
    if (f.level) w.push(eq(iotAlarm.level, f.level));
    if (f.deviceId) w.push(eq(iotAlarm.deviceId, f.deviceId));
    if (f.ruleId) w.push(eq(iotAlarm.ruleId, f.ruleId));
    if (f.productId) w.push(eq(iotDevice.productId, f.productId));
    if (f.keyword) {
      const k = likeContains(f.keyword);
      w.push(or(sql`${iotDevice.name} ilike ${k}`, sql`${iotDevice.deviceKey} ilike ${k}`)!);
    }
    if (f.from) w.push(gte(iotAlarm.raisedAt, new Date(f.from)));
    if (f.to) w.push(lte(iotAlarm.raisedAt, new Date(f.to)));
    if (f.orgIds) w.push(f.orgIds.length ? inArray(iotDevice.orgId, f.orgIds) : sql`false`);
    return w.length ? and(...w) : undefined;
  }

  return {
    async page(f: AlarmFilter & { page: number; pageSize: number }) {
      const cond = where(f);
      const [items, [total]] = await Promise.all([
        select().where(cond).orderBy(desc(iotAlarm.raisedAt), desc(iotAlarm.id)).limit(f.pageSize).offset((f.page - 1) * f.pageSize),
        db.select({ n: count() }).from(iotAlarm)
          .leftJoin(iotDevice, eq(iotDevice.id, iotAlarm.deviceId))
          .where(cond),
      ]);
      return { items, total: total?.n ?? 0 };
    },

    /** The newest `limit` matching alarms (export) and how many match. */
    async exportRows(f: AlarmFilter, limit: number) {
      const cond = where(f);
      const [rows, [total]] = await Promise.all([
        select().where(cond).orderBy(desc(iotAlarm.raisedAt), desc(iotAlarm.id)).limit(limit),
        db.select({ n: count() }).from(iotAlarm).leftJoin(iotDevice, eq(iotDevice.id, iotAlarm.deviceId)).where(cond),
      ]);
      return { rows, total: total?.n ?? 0 };
    },

    async byId(id: number) {
      const [r] = await select().where(eq(iotAlarm.id, id));
      return r;
    },

    /**
     * Serialises alarm starts of one rule and device across nodes until the transaction ends, so
     * that two nodes seeing the same episode make one alarm.
     */
    async lockPair(ruleId: string, deviceId: string) {
      await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`iot_alarm:${ruleId}:${deviceId}`}, 0))`);
    },

    async openOf(ruleId: string, deviceId: string) {
      const [r] = await db.select().from(iotAlarm).where(and(eq(iotAlarm.ruleId, ruleId), eq(iotAlarm.deviceId, deviceId), OPEN_ALARM)).limit(1);
      return r;
    },

    /** The rule and device of every open alarm of these rules. */
    async openPairs(ruleIds: string[]) {
      if (!ruleIds.length) return [];
      return db.select({ ruleId: iotAlarm.ruleId, deviceId: iotAlarm.deviceId }).from(iotAlarm).where(and(inArray(iotAlarm.ruleId, ruleIds), OPEN_ALARM));
    },

    async insert(row: NewAlarm) {
      const [r] = await db.insert(iotAlarm).values(row).returning();
      return r!;
    },

    async patchDetail(id: number, patch: Record<string, unknown>, set: Partial<Pick<AlarmRow, 'eventId' | 'eventNo'>> = {}) {
      await db.update(iotAlarm).set({ ...set, detail: mergeDetail(patch) }).where(eq(iotAlarm.id, id));
    },

    /** A repeat of an event rule's event while its alarm is open: counted on the alarm. */
    async countRepeat(id: number, at: Date) {
      await db.update(iotAlarm).set({
        detail: sql`${iotAlarm.detail} || jsonb_build_object('occurrences', coalesce((${iotAlarm.detail}->>'occurrences')::int, 1) + 1, 'lastAt', ${at.toISOString()}::text)`,
      }).where(eq(iotAlarm.id, id));
    },

    /** Ends the open alarms of a rule (and a device, or all its devices); returns their ids. */
    async clearOpen(ruleIds: string[], deviceId: string | null, patch: Record<string, unknown>, at = new Date()) {
      if (!ruleIds.length) return [];
      const rows = await db.update(iotAlarm).set({ status: 'cleared', clearedAt: at, detail: mergeDetail(patch) })
        .where(and(inArray(iotAlarm.ruleId, ruleIds), deviceId ? eq(iotAlarm.deviceId, deviceId) : undefined, OPEN_ALARM))
        .returning({ id: iotAlarm.id });
      return rows.map((r) => r.id);
    },

    /** 确认: only an active alarm; the row when it changed. */
    async acknowledge(id: number, by: string, patch: Record<string, unknown>) {
      const [r] = await db.update(iotAlarm).set({ status: 'acknowledged', acknowledgedAt: new Date(), acknowledgedBy: by, detail: mergeDetail(patch) })
        .where(and(eq(iotAlarm.id, id), eq(iotAlarm.status, 'active'))).returning({ id: iotAlarm.id });
      return !!r;
    },

    /** 解除 by a person: an active or acknowledged alarm. */
    async clearOne(id: number, patch: Record<string, unknown>) {
      const [r] = await db.update(iotAlarm).set({ status: 'cleared', clearedAt: new Date(), detail: mergeDetail(patch) })
        .where(and(eq(iotAlarm.id, id), OPEN_ALARM)).returning({ id: iotAlarm.id });
      return !!r;
    },

    /**
     * Devices of an offline rule that have been offline for `minutes` and have no alarm of this rule
     * since they went offline (a person clearing it does not bring it back within the same episode).
     */
    async offlineDue(rule: { id: string; productId: string; deviceIds: string[] }, minutes: number, limit = 1000) {
      const since = sql`coalesce(${iotDevice.offlineAt}, ${iotDevice.lastSeenAt}, ${iotDevice.updatedAt})`;
      return db.select({ id: iotDevice.id, offlineSince: sql<Date>`${since}`.mapWith((v) => new Date(v)) }).from(iotDevice)
        .where(and(
          eq(iotDevice.productId, rule.productId),
          rule.deviceIds.length ? inArray(iotDevice.id, rule.deviceIds) : undefined,
          eq(iotDevice.status, 'offline'),
          sql`${iotDevice.deregisteredAt} is null`,
          sql`${since} <= now() - make_interval(mins => ${minutes})`,
          sql`not exists (select 1 from ${iotAlarm} where ${iotAlarm.ruleId} = ${rule.id} and ${iotAlarm.deviceId} = ${iotDevice.id} and ${iotAlarm.raisedAt} >= ${since})`,
        ))
        .limit(limit);
    },

    /** Ends offline alarms of devices that are back online. */
    async clearBackOnline(ruleIds: string[], at = new Date()) {
      if (!ruleIds.length) return [];
      const rows = await db.update(iotAlarm).set({ status: 'cleared', clearedAt: at, detail: mergeDetail({ clearedBy: 'rule', clearReason: '设备已恢复在线' }) })
        .where(and(
          inArray(iotAlarm.ruleId, ruleIds), OPEN_ALARM,
          sql`exists (select 1 from ${iotDevice} where ${iotDevice.id} = ${iotAlarm.deviceId} and ${iotDevice.status} = 'online')`,
        ))
        .returning({ id: iotAlarm.id, ruleId: iotAlarm.ruleId, deviceId: iotAlarm.deviceId });
      return rows;
    },

    async activeCount() {
      const [r] = await db.select({ n: count() }).from(iotAlarm).where(eq(iotAlarm.status, 'active'));
      return r?.n ?? 0;
    },
  };
}
export type AlarmRepository = ReturnType<typeof alarmRepository>;
