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

    async pageOplogs(f: { username?: string; type?: string; from?: Date; to?: Date } & PageArgs) {
      const where: SQL[] = [];
      if (f.username) where.push(ilike(sysOplog.username, `%${f.username}%`));
      if (f.type) where.push(eq(sysOplog.type, f.type));
      if (f.from) where.push(gte(sysOplog.at, f.from));
      if (f.to) where.push(lte(sysOplog.at, f.to));
      const cond = where.length ? and(...where) : undefined;
      const [items, [total]] = await Promise.all([
        db.select().from(sysOplog).where(cond).orderBy(desc(sysOplog.seq)).limit(f.pageSize).offset((f.page - 1) * f.pageSize),
        db.select({ n: count() }).from(sysOplog).where(cond),
      ]);
      return { items, total: total?.n ?? 0 };
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
