import { eq } from 'drizzle-orm';
import type { Job } from '@cityops/contracts';
import type { Db } from '../db.js';
import { NotFound } from '../errors.js';
import { sysJob } from './job.table.js';

type Row = typeof sysJob.$inferSelect;
const toJob = (r: Row): Job => ({
  id: r.id, type: r.type, status: r.status, total: r.total, done: r.done, message: r.message,
  createdAt: r.createdAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null,
});

export interface JobHandle {
  id: string;
  progress(done: number, total?: number): Promise<void>;
}

/**
 * Long-running work in the background of the node that received it, with its progress in the
 * database so that any node can answer "how far is it".
 */
export function jobService(db: Db, log: { error(o: object, m: string): void }) {
  return {
    /** Starts `work` without waiting for it; returns the job to poll. */
    async start(type: string, createdBy: string | null, work: (job: JobHandle) => Promise<string>): Promise<Job> {
      const [row] = await db.insert(sysJob).values({ type, createdBy }).returning();
      const id = row!.id;
      const handle: JobHandle = {
        id,
        progress: async (done, total) => {
          await db.update(sysJob).set({ done, ...(total !== undefined ? { total } : {}) }).where(eq(sysJob.id, id));
        },
      };
      void work(handle).then(
        (message) => db.update(sysJob).set({ status: 'succeeded', message, finishedAt: new Date() }).where(eq(sysJob.id, id)),
        (err: Error) => {
          log.error({ err, jobId: id }, 'job failed');
          return db.update(sysJob).set({ status: 'failed', message: err.message, finishedAt: new Date() }).where(eq(sysJob.id, id));
        },
      );
      return toJob(row!);
    },

    async get(id: string): Promise<Job> {
      const [row] = await db.select().from(sysJob).where(eq(sysJob.id, id));
      if (!row) throw new NotFound('任务不存在');
      return toJob(row);
    },
  };
}
export type JobService = ReturnType<typeof jobService>;
