import fs from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends a run with one plain line, '<phase>: N passed, N failed, N skipped', and adds the counts to
 * the file named by TEST_SUMMARY_FILE so that scripts/run-tests.mjs can print the total.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      // A file that failed before any test ran (import error, failing beforeAll) counts as a failure.
      if (m.state() === 'failed' && ![...m.children.allTests()].some((t) => t.result().state === 'failed')) failed++;
    }
    const phase = process.env.TEST_PHASE ?? 'vitest';
    console.log(`\n${phase}: ${passed} passed, ${failed} failed, ${skipped} skipped`);
    if (process.env.TEST_SUMMARY_FILE) fs.appendFileSync(process.env.TEST_SUMMARY_FILE, `${JSON.stringify({ phase, passed, failed, skipped })}\n`);
  }
}
