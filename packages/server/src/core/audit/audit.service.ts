import type { ExceptionLog, OpLog } from '@cityops/contracts';
import { hmacSm3Hex } from '../crypto/sm.js';
import type { AuditRepository, ExceptionRow, NewOplog, OplogRow, PageArgs } from './audit.repository.js';

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
  };
}
export type AuditService = ReturnType<typeof auditService>;
