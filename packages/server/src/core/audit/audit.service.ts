import type { CountSeries, ExceptionLog, ExceptionStats, OpLog, OpLogStats } from '@cityops/contracts';
import { hmacSm3Hex } from '../crypto/sm.js';
import type { AuditRepository, ExceptionRow, NewOplog, OplogRow, PageArgs } from './audit.repository.js';
import { fill, lastDays, lastHours } from './buckets.js';

/** The fields the chain hash covers, in a fixed order. */
function canonical(prevHash: string, r: NewOplog): string {
  return JSON.stringify([
    prevHash, r.id, r.at.toISOString(), r.userId ?? null, r.username ?? null, r.type, r.method, r.url,
    r.subjectType ?? null, r.subjectName ?? null, r.content ?? null, r.status, r.durationMs, r.ip ?? null, r.requestId,
  ]);
}

const toOpLog = (r: OplogRow): OpLog => ({
  id: r.id, at: r.at.toISOString(), userId: r.userId, username: r.username, orgName: r.orgName, type: r.type,
  method: r.method, url: r.url, subjectType: r.subjectType, subjectName: r.subjectName, content: r.content,
  status: r.status, durationMs: r.durationMs, ip: r.ip, requestId: r.requestId,
});

const toException = (r: ExceptionRow): ExceptionLog => ({
  id: r.id, at: r.at.toISOString(), type: r.type, method: r.method, url: r.url, message: r.message,
  detail: r.detail, requestId: r.requestId, username: r.username,
});

const date = (s?: string) => (s ? new Date(s) : undefined);

/** What an operation log row without a subject type counts under in the charts. */
export const NO_SUBJECT_TYPE = '未标注';

/** One series per name over the day buckets, the largest first. */
function seriesBy<R extends { day: string; n: number }>(days: string[], rows: R[], nameOf: (r: R) => string): CountSeries[] {
  const byName = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const name = nameOf(r);
    const counts = byName.get(name) ?? new Map<string, number>();
    counts.set(r.day, (counts.get(r.day) ?? 0) + r.n);
    byName.set(name, counts);
  }
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return [...byName]
    .map(([name, counts]) => ({ name, data: fill(days, counts) }))
    .filter((s) => sum(s.data) > 0)
    .sort((a, b) => sum(b.data) - sum(a.data) || a.name.localeCompare(b.name, 'zh-CN'));
}

export function auditService(repo: AuditRepository, auditKey: Buffer) {
  const hashOf = (prevHash: string, row: NewOplog) => hmacSm3Hex(auditKey, canonical(prevHash, row));
  return {
    record(row: Omit<NewOplog, 'id'>) {
      return repo.appendOplog({ ...row, id: crypto.randomUUID() }, hashOf);
    },

    async oplogs(q: { username?: string; type?: string; from?: string; to?: string } & PageArgs) {
      const { items, total } = await repo.pageOplogs({ ...q, from: date(q.from), to: date(q.to) });
      return { items: items.map(toOpLog), total, page: q.page, pageSize: q.pageSize };
    },

    /** The last 7 days (Asia/Shanghai) per operation type and per affected subject type. */
    async oplogStats(now = new Date()): Promise<OpLogStats> {
      const { keys: days, since } = lastDays(now, 7);
      const rows = (await repo.oplogCountsSince(since)).filter((r) => days.includes(r.day));
      return {
        days,
        byType: seriesBy(days, rows, (r) => r.type),
        bySubjectType: seriesBy(days, rows, (r) => r.subjectType || NO_SUBJECT_TYPE),
        total: rows.reduce((a, r) => a + r.n, 0),
      };
    },

    /** The newest `limit` rows matching the list's filters (newest first), and whether more matched. */
    async exportOplogs(q: { username?: string; type?: string; from?: string; to?: string }, limit: number) {
      const { items, total } = await repo.oplogsUpTo({ ...q, from: date(q.from), to: date(q.to) }, limit);
      return { rows: items.map(toOpLog), total, truncated: total > items.length };
    },

    /** Walks the whole chain; a row edited, deleted or inserted out of band breaks it. */
    async verifyChain() {
      let prev = '';
      let checked = 0;
      let after = 0;
      for (;;) {
        const batch = await repo.oplogBatch(after, 1000);
        for (const r of batch) {
          if (r.prevHash !== prev || r.hash !== hashOf(prev, r)) return { checked, intact: false, firstBrokenId: r.id };
          prev = r.hash;
          checked++;
          after = r.seq;
        }
        if (batch.length < 1000) return { checked, intact: true, firstBrokenId: null };
      }
    },

    recordException(row: Omit<ExceptionRow, 'id' | 'at'>) {
      return repo.insertException(row);
    },

    async exceptions(q: { id?: string; from?: string; to?: string } & PageArgs) {
      const { items, total } = await repo.pageExceptions({ ...q, from: date(q.from), to: date(q.to) });
      return { items: items.map(toException), total, page: q.page, pageSize: q.pageSize };
    },

    /** Exceptions per day of the last 7 days and per hour of the last 24 hours (Asia/Shanghai). */
    async exceptionStats(now = new Date()): Promise<ExceptionStats> {
      const d = lastDays(now, 7);
      const h = lastHours(now, 24);
      const [perDay, perHour] = await Promise.all([repo.exceptionCountsSince(d.since, 'day'), repo.exceptionCountsSince(h.since, 'hour')]);
      const asMap = (rows: { bucket: string; n: number }[]) => new Map(rows.map((r) => [r.bucket, r.n]));
      return { days: d.keys, daily: fill(d.keys, asMap(perDay)), hours: h.keys, hourly: fill(h.keys, asMap(perHour)) };
    },
  };
}
export type AuditService = ReturnType<typeof auditService>;
