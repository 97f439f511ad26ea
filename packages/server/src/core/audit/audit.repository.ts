import { and, asc, count, desc, eq, gte, ilike, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db.js';
import { sysExceptionLog, sysOplog } from './audit.table.js';

export type OplogRow = typeof sysOplog.$inferSelect;
export type NewOplog = Omit<typeof sysOplog.$inferInsert, 'seq' | 'prevHash' | 'hash'>;
export type ExceptionRow = typeof sysExceptionLog.$inferSelect;

/** Serialises appends to the chain across connections and nodes. */
const CHAIN_LOCK = 73_100_002;

export interface PageArgs {
  page: number;
  pageSize: number;
}

/** The operation log's filters (list and export). */
export interface OplogFilter {
  username?: string;
  type?: string;
  from?: Date;
  to?: Date;
}

function oplogWhere(f: OplogFilter) {
  const where: SQL[] = [];
  if (f.username) where.push(ilike(sysOplog.username, `%${f.username}%`));
  if (f.type) where.push(eq(sysOplog.type, f.type));
  if (f.from) where.push(gte(sysOplog.at, f.from));
  if (f.to) where.push(lte(sysOplog.at, f.to));
  return where.length ? and(...where) : undefined;
}

export function auditRepository(db: Db) {
  return {
    /** Appends in one transaction: lock the chain, read its head, write the row with its hash. */
    async appendOplog(row: NewOplog, hashOf: (prevHash: string, row: NewOplog) => string) {
      await db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`);
        const [head] = await tx.select({ hash: sysOplog.hash }).from(sysOplog).orderBy(desc(sysOplog.seq)).limit(1);
        const prevHash = head?.hash ?? '';
        await tx.insert(sysOplog).values({ ...row, prevHash, hash: hashOf(prevHash, row) });
      });
    },

    async pageOplogs(f: OplogFilter & PageArgs) {
      const cond = oplogWhere(f);
      const [items, [total]] = await Promise.all([
        db.select().from(sysOplog).where(cond).orderBy(desc(sysOplog.seq)).limit(f.pageSize).offset((f.page - 1) * f.pageSize),
        db.select({ n: count() }).from(sysOplog).where(cond),
      ]);
      return { items, total: total?.n ?? 0 };
    },

    /** The newest `limit` rows matching the list's filters, and how many match in all (export). */
    async oplogsUpTo(f: OplogFilter, limit: number) {
      const cond = oplogWhere(f);
      const [items, [total]] = await Promise.all([
        db.select().from(sysOplog).where(cond).orderBy(desc(sysOplog.seq)).limit(limit),
        db.select({ n: count() }).from(sysOplog).where(cond),
      ]);
      return { items, total: total?.n ?? 0 };
    },

    /** Rows since an instant, counted per Shanghai day, operation type and subject type. */
    async oplogCountsSince(since: Date) {
      const day = sql<string>`to_char(${sysOplog.at} at time zone 'Asia/Shanghai', 'YYYY-MM-DD')`;
      return db
        .select({ day, type: sysOplog.type, subjectType: sysOplog.subjectType, n: count() })
        .from(sysOplog)
        .where(gte(sysOplog.at, since))
        .groupBy(day, sysOplog.type, sysOplog.subjectType);
    },

    /** Exceptions since an instant, counted per Shanghai day ('YYYY-MM-DD') or hour ('YYYY-MM-DD HH:00'). */
    async exceptionCountsSince(since: Date, per: 'day' | 'hour') {
      const bucket = sql<string>`to_char(${sysExceptionLog.at} at time zone 'Asia/Shanghai', ${sql.raw(per === 'day' ? "'YYYY-MM-DD'" : "'YYYY-MM-DD HH24:00'")})`;
      return db.select({ bucket, n: count() }).from(sysExceptionLog).where(gte(sysExceptionLog.at, since)).groupBy(bucket);
    },

    /** Oldest first, in batches, for chain verification. */
    async oplogBatch(afterSeq: number, limit: number) {
      return db.select().from(sysOplog).where(sql`${sysOplog.seq} > ${afterSeq}`).orderBy(asc(sysOplog.seq)).limit(limit);
    },

    async insertException(row: typeof sysExceptionLog.$inferInsert) {
      const [r] = await db.insert(sysExceptionLog).values(row).returning({ id: sysExceptionLog.id });
      return r!.id;
    },

    async pageExceptions(f: { id?: string; from?: Date; to?: Date } & PageArgs) {
      const where: SQL[] = [];
      if (f.id) where.push(sql`${sysExceptionLog.id}::text = ${f.id}`);
      if (f.from) where.push(gte(sysExceptionLog.at, f.from));
      if (f.to) where.push(lte(sysExceptionLog.at, f.to));
      const cond = where.length ? and(...where) : undefined;
      const [items, [total]] = await Promise.all([
        db.select().from(sysExceptionLog).where(cond).orderBy(desc(sysExceptionLog.at)).limit(f.pageSize).offset((f.page - 1) * f.pageSize),
        db.select({ n: count() }).from(sysExceptionLog).where(cond),
      ]);
      return { items, total: total?.n ?? 0 };
    },
  };
}
export type AuditRepository = ReturnType<typeof auditRepository>;
