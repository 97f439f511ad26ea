import { and, count, desc, eq, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { iotCommand, type CommandStatus } from './command.table.js';
import { iotDevice } from './device.table.js';

export type CommandRow = typeof iotCommand.$inferSelect;
export type NewCommand = typeof iotCommand.$inferInsert;

const OPEN: CommandStatus[] = ['queued', 'sent'];

/** 指令下发 rows. Every state change is one conditional UPDATE, so two nodes never both act on a row. */
export function commandRepository(db: DbOrTx) {
  return {
    async insert(row: NewCommand) {
      const [r] = await db.insert(iotCommand).values(row).returning();
      return r!;
    },

    async byId(id: string) {
      const [r] = await db.select().from(iotCommand).where(eq(iotCommand.id, id));
      return r;
    },

    async page(deviceId: string, q: { page: number; pageSize: number; kind?: string; status?: string; identifier?: string }) {
      const where = and(
        eq(iotCommand.deviceId, deviceId),
        q.kind ? eq(iotCommand.kind, q.kind) : undefined,
        q.status ? eq(iotCommand.status, q.status as CommandStatus) : undefined,
        q.identifier ? eq(iotCommand.identifier, q.identifier) : undefined,
      );
      const [items, [total]] = await Promise.all([
        db.select().from(iotCommand).where(where).orderBy(desc(iotCommand.createdAt), desc(iotCommand.id)).limit(q.pageSize).offset((q.page - 1) * q.pageSize),
        db.select({ n: count() }).from(iotCommand).where(where),
      ]);
      return { items, total: total?.n ?? 0 };
    },

    /** The device's reply to an open command: replied (code 200) or failed. */
    async reply(deviceId: string, msgId: string, r: { code: number; data: Record<string, unknown>; at: Date; reason: string | null }) {
      const [row] = await db
        .update(iotCommand)
        .set({ status: r.code === 200 ? 'replied' : 'failed', replyCode: r.code, reply: r.data, repliedAt: r.at, reason: r.reason })
        .where(and(eq(iotCommand.deviceId, deviceId), eq(iotCommand.msgId, msgId), eq(iotCommand.status, 'sent')))
        .returning();
      return row;
    },

    /** Queued commands of a device that just connected, now sent: oldest first. */
    async claimQueued(deviceId: string, sentAt: Date, timeoutAt: Date) {
      const rows = await db
        .update(iotCommand)
        .set({ status: 'sent', sentAt, timeoutAt })
        .where(and(eq(iotCommand.deviceId, deviceId), eq(iotCommand.status, 'queued')))
        .returning();
      return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    },

    /** Devices with queued commands that the database sees online (a presence this node did not see). */
    async queuedOnline(limit = 200) {
      const rows = await db
        .selectDistinct({ id: iotCommand.deviceId })
        .from(iotCommand)
        .innerJoin(iotDevice, eq(iotDevice.id, iotCommand.deviceId))
        .where(and(eq(iotCommand.status, 'queued'), eq(iotDevice.status, 'online')))
        .limit(limit);
      return rows.map((r) => r.id);
    },

    async fail(id: string, reason: string) {
      await db.update(iotCommand).set({ status: 'failed', reason }).where(and(eq(iotCommand.id, id), inArray(iotCommand.status, OPEN)));
    },

    /**
     * Open commands past their time (or just `ids`) become `timeout`, each with why: a queued one
     * never reached its device, a sent one got no reply.
     */
    expire(now: Date, ids?: string[]) {
      const conditions: SQL[] = [inArray(iotCommand.status, OPEN), lte(iotCommand.timeoutAt, now)];
      if (ids) conditions.push(inArray(iotCommand.id, ids));
      return db
        .update(iotCommand)
        .set({
          status: 'timeout',
          reason: sql`case when ${iotCommand.status} = 'queued' then '设备未上线，指令已过期' else '设备未在规定时间内回复' end`,
        })
        .where(and(...conditions))
        .returning();
    },
  };
}
export type CommandRepository = ReturnType<typeof commandRepository>;
