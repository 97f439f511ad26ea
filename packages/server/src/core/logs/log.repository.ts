import { and, count, desc, eq, gte, ilike, inArray, isNull, like, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../db.js';
import { likeContains, likeEscape } from '../text.js';
import { sysAccessLog, sysLogAlert, sysSystemLog } from './log.table.js';

export type AccessLogRow = typeof sysAccessLog.$inferSelect;
export type NewAccessLog = Omit<typeof sysAccessLog.$inferInsert, 'id'>;
export type SystemLogRow = typeof sysSystemLog.$inferSelect;
export type NewSystemLog = Omit<typeof sysSystemLog.$inferInsert, 'id'>;
export type LogAlertRow = typeof sysLogAlert.$inferSelect;
export type NewLogAlert = typeof sysLogAlert.$inferInsert;

export interface AccessLogFilter {
  ip?: string;
  path?: string;
  username?: string;
  statusClass?: '2xx' | '3xx' | '4xx' | '5xx';
  from?: Date;
  to?: Date;
}

export interface SystemLogFilter {
  level?: string;
  logger?: string;
  service?: string;
  keyword?: string;
  from?: Date;
  to?: Date;
}

function accessWhere(f: AccessLogFilter) {
  const t = sysAccessLog;
  const c: (SQL | undefined)[] = [];
  if (f.ip) c.push(like(t.ip, `${likeEscape(f.ip)}%`));
  if (f.path) c.push(ilike(t.path, likeContains(f.path)));
  if (f.username) c.push(ilike(t.username, likeContains(f.username)));
  if (f.statusClass) {
    const base = Number(f.statusClass[0]) * 100;
    c.push(gte(t.status, base), lt(t.status, base + 100));
  }
  if (f.from) c.push(gte(t.at, f.from));
  if (f.to) c.push(lte(t.at, f.to));
  return and(...c);
}

function systemWhere(f: SystemLogFilter) {
  const t = sysSystemLog;
  const c: (SQL | undefined)[] = [];
  if (f.level) c.push(eq(t.level, f.level));
  if (f.logger) c.push(like(t.logger, `${likeEscape(f.logger)}%`));
  if (f.service) c.push(ilike(t.service, likeContains(f.service)));
  if (f.keyword) c.push(ilike(t.content, likeContains(f.keyword)));
  if (f.from) c.push(gte(t.at, f.from));
  if (f.to) c.push(lte(t.at, f.to));
  return and(...c);
}

/** The 访问日志, 系统日志 and 告警策略 tables. */
export function logRepository(db: Db) {
  /** Counts up to `cap` + 1 matches, so that a count never walks millions of log lines. */
  async function cappedCount(table: PgTable, where: SQL | undefined, cap: number) {
    const matches = db.select({ one: sql`1` }).from(table).where(where).limit(cap + 1).as('m');
    const [r] = await db.select({ n: count() }).from(matches);
    const n = r?.n ?? 0;
    return { total: Math.min(n, cap), capped: n > cap };
  }

  async function page<T extends PgTable & { id: PgColumn }>(table: T, where: SQL | undefined, p: { page: number; pageSize: number; cap: number }) {
    const [items, counted] = await Promise.all([
      db.select().from(table as PgTable).where(where).orderBy(desc(table.id)).limit(p.pageSize).offset((p.page - 1) * p.pageSize),
      cappedCount(table, where, p.cap),
    ]);
    return { items, ...counted };
  }

  return {
    async insertAccess(rows: NewAccessLog[]) {
      if (rows.length) await db.insert(sysAccessLog).values(rows);
    },
    async insertSystem(rows: NewSystemLog[]) {
      if (rows.length) await db.insert(sysSystemLog).values(rows);
    },

    async pageAccess(f: AccessLogFilter, p: { page: number; pageSize: number; cap: number }) {
      const r = await page(sysAccessLog, accessWhere(f), p);
      return { ...r, items: r.items as AccessLogRow[] };
    },
    /** The newest `limit` rows matching the filters, and how many match up to `cap` (export). */
    async accessUpTo(f: AccessLogFilter, limit: number) {
      return this.pageAccess(f, { page: 1, pageSize: limit, cap: limit });
    },

    async pageSystem(f: SystemLogFilter, p: { page: number; pageSize: number; cap: number }) {
      const r = await page(sysSystemLog, systemWhere(f), p);
      return { ...r, items: r.items as SystemLogRow[] };
    },
    async systemUpTo(f: SystemLogFilter, limit: number) {
      return this.pageSystem(f, { page: 1, pageSize: limit, cap: limit });
    },

    alerts() {
      return db.select().from(sysLogAlert).orderBy(sysLogAlert.createdAt);
    },
    async alertById(id: string) {
      const [r] = await db.select().from(sysLogAlert).where(eq(sysLogAlert.id, id));
      return r;
    },
    async alertsByIds(ids: string[]) {
      return ids.length ? db.select().from(sysLogAlert).where(inArray(sysLogAlert.id, ids)) : [];
    },
    async insertAlert(row: NewLogAlert) {
      const [r] = await db.insert(sysLogAlert).values(row).returning();
      return r!;
    },
    async updateAlert(id: string, patch: Partial<NewLogAlert>) {
      const [r] = await db.update(sysLogAlert).set(patch).where(eq(sysLogAlert.id, id)).returning();
      return r;
    },
    async deleteAlert(id: string) {
      await db.delete(sysLogAlert).where(eq(sysLogAlert.id, id));
    },
    async alertCount() {
      const [r] = await db.select({ n: count() }).from(sysLogAlert);
      return r?.n ?? 0;
    },
    /**
     * Claims the right to fire: true for the one caller (of any node) that stamps the policy while
     * it is not in its quiet period.
     */
    async claimFiring(id: string, at: Date, windowSeconds: number) {
      const quietSince = new Date(at.getTime() - windowSeconds * 1000);
      const rows = await db
        .update(sysLogAlert)
        .set({ lastFiredAt: at })
        .where(and(eq(sysLogAlert.id, id), eq(sysLogAlert.enabled, true), or(isNull(sysLogAlert.lastFiredAt), lt(sysLogAlert.lastFiredAt, quietSince))))
        .returning({ id: sysLogAlert.id });
      return rows.length > 0;
    },
  };
}
export type LogRepository = ReturnType<typeof logRepository>;
