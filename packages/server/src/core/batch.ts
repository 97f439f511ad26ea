import type { BatchResult } from '@cityops/contracts';
import { AppError } from './errors.js';

/**
 * Runs `fn` for each id on its own, so one bad row neither stops nor undoes the others; rows that
 * fail with a typed error are reported with its message. Unexpected errors still propagate.
 */
export async function runBatch(
  ids: string[],
  fn: (id: string) => Promise<void>,
  /** Process in this order (e.g. children before parents); results still follow `ids`. */
  processOrder?: (ids: string[]) => string[],
): Promise<BatchResult> {
  const unique = [...new Set(ids)];
  const results: BatchResult['results'] = [];
  for (const id of processOrder ? processOrder([...unique]) : unique) {
    try {
      await fn(id);
      results.push({ id, ok: true });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      results.push({ id, ok: false, message: err.message });
    }
  }
  const pos = new Map(unique.map((id, i) => [id, i]));
  results.sort((a, b) => pos.get(a.id)! - pos.get(b.id)!);
  const succeeded = results.filter((r) => r.ok).length;
  return { succeeded, failed: results.length - succeeded, results };
}
