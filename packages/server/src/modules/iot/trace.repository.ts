import { and, desc, eq, gt, gte, ilike, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { likeContains } from '../../core/text.js';
import { iotDevice } from './device.table.js';
import { inDeviceScope, type DeviceScope } from './device.repository.js';
import { iotMessage } from './message.table.js';

export interface TraceFilter {
  deviceId?: string;
  productKey?: string;
  deviceKey?: string;
  direction?: string;
  channel?: string;
  kind?: string;
  result?: string;
  keyword?: string;
  msgId?: string;
  from?: Date;
  to?: Date;
  afterId?: number;
}

const PREVIEW = 200;

const columns = {
  id: iotMessage.id,
  ts: iotMessage.ts,
  deviceId: iotMessage.deviceId,
  deviceName: iotDevice.name,
  productKey: iotMessage.productKey,
  deviceKey: iotMessage.deviceKey,
  direction: iotMessage.direction,
  channel: iotMessage.channel,
  kind: iotMessage.kind,
  topic: iotMessage.topic,
  preview: sql<string>`left(${iotMessage.payload}, ${sql.raw(String(PREVIEW))})`,
  result: iotMessage.result,
  reason: iotMessage.reason,
  latencyMs: iotMessage.latencyMs,
  msgId: iotMessage.msgId,
  clientIp: iotMessage.clientIp,
};

/** 消息追踪 rows (iot_message). */
export function traceRepository(db: DbOrTx) {
  const where = (scope: DeviceScope, f: TraceFilter): SQL | undefined => {
    const own = inDeviceScope(scope);
    return and(
      // Messages of unknown devices (no device id) only for users who see every device.
      own ? inArray(iotMessage.deviceId, db.select({ id: iotDevice.id }).from(iotDevice).where(own)) : undefined,
      f.deviceId ? eq(iotMessage.deviceId, f.deviceId) : undefined,
      f.productKey ? eq(iotMessage.productKey, f.productKey) : undefined,
      f.deviceKey ? eq(iotMessage.deviceKey, f.deviceKey) : undefined,
      f.direction ? eq(iotMessage.direction, f.direction) : undefined,
      f.channel ? eq(iotMessage.channel, f.channel) : undefined,
      f.kind ? eq(iotMessage.kind, f.kind) : undefined,
      f.result ? eq(iotMessage.result, f.result) : undefined,
      f.keyword ? ilike(iotMessage.topic, likeContains(f.keyword)) : undefined,
      f.msgId ? eq(iotMessage.msgId, f.msgId) : undefined,
      f.from ? gte(iotMessage.ts, f.from) : undefined,
      f.to ? lte(iotMessage.ts, f.to) : undefined,
      f.afterId !== undefined ? gt(iotMessage.id, f.afterId) : undefined,
    );
  };

  return {
    async list(scope: DeviceScope, f: TraceFilter, page: number, pageSize: number, cap: number) {
      const cond = where(scope, f);
      const items = await db
        .select(columns)
        .from(iotMessage)
        .leftJoin(iotDevice, eq(iotDevice.id, iotMessage.deviceId))
        .where(cond)
        // The live view asks for what arrived after its last id: in order of arrival.
        .orderBy(...(f.afterId !== undefined ? [desc(iotMessage.id)] : [desc(iotMessage.ts), desc(iotMessage.id)]))
        .limit(pageSize)
        .offset((page - 1) * pageSize);
      // Counted up to the cap: the trace grows by thousands of rows a second under load.
      const counted = db.select({ one: sql`1` }).from(iotMessage).where(cond).limit(cap + 1).as('counted');
      const [t] = await db.select({ n: sql<number>`count(*)::int` }).from(counted);
      return { items, total: t?.n ?? 0 };
    },

    async get(id: number) {
      const [r] = await db
        .select({ ...columns, payload: iotMessage.payload, deviceOrgId: iotDevice.orgId })
        .from(iotMessage)
        .leftJoin(iotDevice, eq(iotDevice.id, iotMessage.deviceId))
        .where(eq(iotMessage.id, id));
      return r;
    },
  };
}
export type TraceRepository = ReturnType<typeof traceRepository>;
