import { and, count, desc, eq, ilike, inArray, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { iotDevice } from './device.table.js';
import { iotFirmware, iotOtaDevice, iotOtaTask } from './ota.table.js';
import { iotProduct } from './product.table.js';

export type FirmwareRow = typeof iotFirmware.$inferSelect;
export type OtaTaskRow = typeof iotOtaTask.$inferSelect;
export type OtaDeviceRow = typeof iotOtaDevice.$inferSelect;

/** Device rows still in progress: the task runs while any is left. */
export const OPEN_DEVICE_STATUSES = ['pending', 'pushed', 'upgrading'];
/** Rows the device is working on (an upgrade message reached it). */
const ACTIVE_DEVICE_STATUSES = ['pushed', 'upgrading'];
const CHUNK = 1000;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const chunks = <T>(list: T[]) => Array.from({ length: Math.ceil(list.length / CHUNK) }, (_, i) => list.slice(i * CHUNK, (i + 1) * CHUNK));

const runningTasks = sql<number>`(select count(*)::int from ${iotOtaTask} where ${iotOtaTask.firmwareId} = ${iotFirmware.id} and ${iotOtaTask.status} = 'running')`;
const firmwareColumns = {
  firmware: iotFirmware,
  productName: iotProduct.name,
  productKey: iotProduct.productKey,
  runningTasks,
};
const taskColumns = {
  task: iotOtaTask,
  firmwareName: iotFirmware.name,
  version: iotFirmware.version,
  productId: iotFirmware.productId,
  productName: iotProduct.name,
};

/** Firmware, upgrade tasks and their device rows (OTA 远程升级). */
export function otaRepository(db: DbOrTx) {
  const taskQuery = () =>
    db.select(taskColumns).from(iotOtaTask).leftJoin(iotFirmware, eq(iotFirmware.id, iotOtaTask.firmwareId)).leftJoin(iotProduct, eq(iotProduct.id, iotFirmware.productId));

  return {
    // ---- firmware ----

    async firmwarePage(q: { page: number; pageSize: number; productId?: string; keyword?: string }) {
      const kw = q.keyword ? `%${escapeLike(q.keyword)}%` : undefined;
      const where = and(
        q.productId ? eq(iotFirmware.productId, q.productId) : undefined,
        kw ? or(ilike(iotFirmware.name, kw), ilike(iotFirmware.version, kw)) : undefined,
      );
      const [items, [total]] = await Promise.all([
        db.select(firmwareColumns).from(iotFirmware).innerJoin(iotProduct, eq(iotProduct.id, iotFirmware.productId)).where(where)
          .orderBy(desc(iotFirmware.createdAt), desc(iotFirmware.id)).limit(q.pageSize).offset((q.page - 1) * q.pageSize),
        db.select({ n: count() }).from(iotFirmware).where(where),
      ]);
      return { items, total: total?.n ?? 0 };
    },

    async firmwareById(id: string) {
      const [r] = await db.select(firmwareColumns).from(iotFirmware).innerJoin(iotProduct, eq(iotProduct.id, iotFirmware.productId)).where(eq(iotFirmware.id, id));
      return r;
    },

    async firmwareByVersion(productId: string, version: string) {
      const [r] = await db.select({ id: iotFirmware.id }).from(iotFirmware).where(and(eq(iotFirmware.productId, productId), eq(iotFirmware.version, version)));
      return r;
    },

    async insertFirmware(row: typeof iotFirmware.$inferInsert) {
      const [r] = await db.insert(iotFirmware).values(row).returning();
      return r!;
    },

    /** Deletes the firmware unless a running task uses it (checked in the same statement). */
    async deleteFirmware(id: string) {
      const [r] = await db
        .delete(iotFirmware)
        .where(and(eq(iotFirmware.id, id), sql`not exists (select 1 from ${iotOtaTask} where ${iotOtaTask.firmwareId} = ${id} and ${iotOtaTask.status} = 'running')`))
        .returning({ id: iotFirmware.id });
      return r;
    },

    // ---- devices a task may take ----

    /** Devices of the product that may be upgraded (not deregistered, not disabled); optionally only `ids`. */
    productDevices(productId: string, ids?: string[]) {
      const where = and(eq(iotDevice.productId, productId), isNull(iotDevice.deregisteredAt), ne(iotDevice.status, 'disabled'));
      const select = () => db.select({ id: iotDevice.id, firmwareVersion: iotDevice.firmwareVersion }).from(iotDevice);
      if (!ids) return select().where(where);
      return Promise.all(chunks(ids).map((part) => select().where(and(where, inArray(iotDevice.id, part))))).then((r) => r.flat());
    },

    /** Devices of the product already being upgraded by a running task. */
    async busyDevices(productId: string) {
      const rows = await db
        .select({ id: iotOtaDevice.deviceId })
        .from(iotOtaDevice)
        .innerJoin(iotOtaTask, eq(iotOtaTask.id, iotOtaDevice.taskId))
        .innerJoin(iotFirmware, eq(iotFirmware.id, iotOtaTask.firmwareId))
        .where(and(eq(iotFirmware.productId, productId), eq(iotOtaTask.status, 'running'), inArray(iotOtaDevice.status, OPEN_DEVICE_STATUSES)));
      return new Set(rows.map((r) => r.id));
    },

    // ---- tasks ----

    async insertTask(row: typeof iotOtaTask.$inferInsert, devices: { deviceId: string; fromVersion: string | null }[]) {
      const [task] = await db.insert(iotOtaTask).values(row).returning();
      for (const part of chunks(devices)) await db.insert(iotOtaDevice).values(part.map((x) => ({ taskId: task!.id, ...x })));
      return task!;
    },

    async task(id: string) {
      const [r] = await taskQuery().where(eq(iotOtaTask.id, id));
      return r;
    },

    async taskPage(q: { page: number; pageSize: number; status?: string; firmwareId?: string; productId?: string }) {
      const where = and(
        q.status ? eq(iotOtaTask.status, q.status) : undefined,
        q.firmwareId ? eq(iotOtaTask.firmwareId, q.firmwareId) : undefined,
        q.productId ? eq(iotFirmware.productId, q.productId) : undefined,
      );
      const [items, [total]] = await Promise.all([
        taskQuery().where(where).orderBy(desc(iotOtaTask.createdAt), desc(iotOtaTask.id)).limit(q.pageSize).offset((q.page - 1) * q.pageSize),
        db.select({ n: count() }).from(iotOtaTask).leftJoin(iotFirmware, eq(iotFirmware.id, iotOtaTask.firmwareId)).where(where),
      ]);
      return { items, total: total?.n ?? 0 };
    },

    /** Device rows per status of each task. */
    async counts(taskIds: string[]) {
      if (!taskIds.length) return [];
      return db
        .select({ taskId: iotOtaDevice.taskId, status: iotOtaDevice.status, n: count() })
        .from(iotOtaDevice)
        .where(inArray(iotOtaDevice.taskId, taskIds))
        .groupBy(iotOtaDevice.taskId, iotOtaDevice.status);
    },

    async devicePage(taskId: string, q: { page: number; pageSize: number; status?: string; keyword?: string }) {
      const kw = q.keyword ? `%${escapeLike(q.keyword)}%` : undefined;
      const where = and(
        eq(iotOtaDevice.taskId, taskId),
        q.status ? eq(iotOtaDevice.status, q.status) : undefined,
        kw ? or(ilike(iotDevice.name, kw), ilike(iotDevice.deviceKey, kw)) : undefined,
      );
      const [items, [total]] = await Promise.all([
        db
          .select({ row: iotOtaDevice, deviceKey: iotDevice.deviceKey, deviceName: iotDevice.name, currentVersion: iotDevice.firmwareVersion })
          .from(iotOtaDevice)
          .innerJoin(iotDevice, eq(iotDevice.id, iotOtaDevice.deviceId))
          .where(where)
          .orderBy(desc(iotOtaDevice.updatedAt), iotDevice.deviceKey)
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize),
        db.select({ n: count() }).from(iotOtaDevice).innerJoin(iotDevice, eq(iotDevice.id, iotOtaDevice.deviceId)).where(where),
      ]);
      return { items, total: total?.n ?? 0 };
    },

    /** Pending devices of the task that the database sees online (candidates for a push). */
    async pendingOnline(taskId: string) {
      const rows = await db
        .select({ id: iotOtaDevice.deviceId })
        .from(iotOtaDevice)
        .innerJoin(iotDevice, eq(iotDevice.id, iotOtaDevice.deviceId))
        .where(and(eq(iotOtaDevice.taskId, taskId), eq(iotOtaDevice.status, 'pending'), eq(iotDevice.status, 'online')));
      return rows.map((r) => r.id);
    },

    /** Running tasks with pending devices the database sees online (a presence this node did not see). */
    async tasksWithPendingOnline() {
      const rows = await db
        .selectDistinct({ id: iotOtaTask.id })
        .from(iotOtaTask)
        .innerJoin(iotOtaDevice, eq(iotOtaDevice.taskId, iotOtaTask.id))
        .innerJoin(iotDevice, eq(iotDevice.id, iotOtaDevice.deviceId))
        .where(and(eq(iotOtaTask.status, 'running'), eq(iotOtaDevice.status, 'pending'), eq(iotDevice.status, 'online')));
      return rows.map((r) => r.id);
    },

    /** Running tasks waiting for this device to come online. */
    async pendingTasksOf(deviceId: string) {
      const rows = await db
        .select({ taskId: iotOtaDevice.taskId })
        .from(iotOtaDevice)
        .innerJoin(iotOtaTask, eq(iotOtaTask.id, iotOtaDevice.taskId))
        .where(and(eq(iotOtaDevice.deviceId, deviceId), eq(iotOtaDevice.status, 'pending'), eq(iotOtaTask.status, 'running')))
        .orderBy(iotOtaTask.createdAt);
      return rows.map((r) => r.taskId);
    },

    /** pending → pushed for these devices, each with a fresh message id; returns what was claimed. */
    async claimPush(taskId: string, deviceIds: string[]) {
      const out: { deviceId: string; msgId: string }[] = [];
      for (const part of chunks(deviceIds)) {
        const rows = await db
          .update(iotOtaDevice)
          // Each device gets its own message id, as a down-link message should.
          .set({ status: 'pushed', progress: 0, message: null, msgId: sql`(floor(random() * 4294967294) + 1)::bigint::text`, updatedAt: new Date() })
          .where(and(eq(iotOtaDevice.taskId, taskId), eq(iotOtaDevice.status, 'pending'), inArray(iotOtaDevice.deviceId, part)))
          .returning({ deviceId: iotOtaDevice.deviceId, msgId: iotOtaDevice.msgId });
        out.push(...rows.map((r) => ({ deviceId: r.deviceId, msgId: r.msgId! })));
      }
      return out;
    },

    /** The device's row in progress (latest of running tasks; by default one it is working on), with the target version. */
    async activeOf(deviceId: string, statuses = ACTIVE_DEVICE_STATUSES) {
      const [r] = await db
        .select({ taskId: iotOtaDevice.taskId, version: iotFirmware.version })
        .from(iotOtaDevice)
        .innerJoin(iotOtaTask, eq(iotOtaTask.id, iotOtaDevice.taskId))
        .innerJoin(iotFirmware, eq(iotFirmware.id, iotOtaTask.firmwareId))
        .where(and(eq(iotOtaDevice.deviceId, deviceId), inArray(iotOtaDevice.status, statuses), eq(iotOtaTask.status, 'running')))
        .orderBy(desc(iotOtaDevice.updatedAt))
        .limit(1);
      return r;
    },

    /** Moves one device row on, only from the statuses given. */
    async setDevice(taskId: string, deviceId: string, from: string[], set: Partial<Pick<OtaDeviceRow, 'status' | 'progress' | 'message' | 'msgId'>>) {
      const [r] = await db
        .update(iotOtaDevice)
        .set({ ...set, updatedAt: new Date() })
        .where(and(eq(iotOtaDevice.taskId, taskId), eq(iotOtaDevice.deviceId, deviceId), inArray(iotOtaDevice.status, from)))
        .returning();
      return r;
    },

    /** Every row of the task in `from` (optionally only `deviceIds`) moved to `set`; returns how many. */
    async setDevices(taskId: string, from: string[], set: Partial<Pick<OtaDeviceRow, 'status' | 'progress' | 'message' | 'msgId'>>, deviceIds?: string[]) {
      const where = (part?: string[]) =>
        and(eq(iotOtaDevice.taskId, taskId), inArray(iotOtaDevice.status, from), part ? inArray(iotOtaDevice.deviceId, part) : undefined);
      const run = (part?: string[]) => db.update(iotOtaDevice).set({ ...set, updatedAt: new Date() }).where(where(part)).returning({ id: iotOtaDevice.deviceId });
      const rows = deviceIds ? (await Promise.all(chunks(deviceIds).map(run))).flat() : await run();
      return rows.length;
    },

    async setTask(id: string, from: string[], set: Partial<Pick<OtaTaskRow, 'status' | 'finishedAt'>>) {
      const [r] = await db.update(iotOtaTask).set(set).where(and(eq(iotOtaTask.id, id), inArray(iotOtaTask.status, from))).returning();
      return r;
    },

    /** A running task with no device left in progress becomes finished. */
    async finishIfDone(taskId: string) {
      const open: SQL = sql`exists (select 1 from ${iotOtaDevice} where ${iotOtaDevice.taskId} = ${taskId} and ${iotOtaDevice.status} in ('pending', 'pushed', 'upgrading'))`;
      const [r] = await db
        .update(iotOtaTask)
        .set({ status: 'finished', finishedAt: new Date() })
        .where(and(eq(iotOtaTask.id, taskId), eq(iotOtaTask.status, 'running'), sql`not ${open}`))
        .returning({ id: iotOtaTask.id });
      return !!r;
    },
  };
}
export type OtaRepository = ReturnType<typeof otaRepository>;
