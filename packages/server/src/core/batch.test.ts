import { describe, expect, it } from 'vitest';
import { runBatch } from './batch.js';
import { Conflict } from './errors.js';

describe('runBatch', () => {
  it('processes in the given order, reports in the caller’s, and keeps going after a refused row', async () => {
    const done: string[] = [];
    const r = await runBatch(
      ['a', 'bb', 'a', 'ccc'],
      async (id) => {
        if (id === 'bb') throw new Conflict('“bb”还在使用，不能删除');
        done.push(id);
      },
      (ids) => ids.sort((x, y) => y.length - x.length),
    );
    expect(done).toEqual(['ccc', 'a']);
    expect(r).toEqual({
      succeeded: 2,
      failed: 1,
      results: [{ id: 'a', ok: true }, { id: 'bb', ok: false, message: '“bb”还在使用，不能删除' }, { id: 'ccc', ok: true }],
    });
  });

  it('lets an unexpected error through instead of reporting it as a refusal', async () => {
    await expect(runBatch(['x'], async () => { throw new TypeError('bug'); })).rejects.toThrow('bug');
  });
});
