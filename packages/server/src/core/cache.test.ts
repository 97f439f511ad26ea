import { afterAll, describe, expect, it } from 'vitest';
import { memoryCache, redisCache, type Cache } from './cache.js';
import { sessionStore } from './session.js';
import { redisUp, TEST_REDIS_URL } from '../test/backends.js';

describe('memory cache', () => {
  it('expires keys and slides expiry on touch', async () => {
    let t = 0;
    const c = memoryCache(() => t);
    await c.set('k', { a: 1 }, 10);
    t = 9_000;
    expect(await c.touch('k', 10)).toBe(true);
    t = 18_000;
    expect(await c.get('k')).toEqual({ a: 1 });
    t = 19_001;
    expect(await c.get('k')).toBeUndefined();
    expect(await c.touch('k', 10)).toBe(false);
    await c.close();
  });

  it('counts in fixed windows: the first count sets the expiry', async () => {
    let t = 0;
    const c = memoryCache(() => t);
    expect(await c.incr('n', 60)).toBe(1);
    t = 59_000;
    expect(await c.incr('n', 60)).toBe(2);
    t = 60_001;
    expect(await c.incr('n', 60)).toBe(1);
    await c.close();
  });
});

describe('sessions', () => {
  it('are not kept open by a screen refreshing itself (background requests)', async () => {
    let t = 0;
    const s = sessionStore(memoryCache(() => t), 1800);
    const token = await s.create('u1');
    t = 1_700_000;
    expect((await s.resume(token, false))?.userId).toBe('u1');
    t = 1_801_000; // 30 min after the last request the user made, whatever refreshed since
    expect(await s.resume(token, false)).toBeUndefined();
  });

  it('expire after the idle period and not while in use', async () => {
    let t = 0;
    const s = sessionStore(memoryCache(() => t), 1800);
    const token = await s.create('u1');
    t = 1_700_000;
    expect((await s.resume(token))?.userId).toBe('u1');
    t = 3_400_000; // 28 min after last use
    expect((await s.resume(token))?.userId).toBe('u1');
    t = 5_300_000; // 31 min idle
    expect(await s.resume(token)).toBeUndefined();
  });

  it('ends on logout', async () => {
    const s = sessionStore(memoryCache(), 60);
    const token = await s.create('u1');
    await s.end(token);
    expect(await s.resume(token)).toBeUndefined();
  });
});

describe.runIf(redisUp)('redis cache', () => {
  let c: Cache;
  afterAll(async () => c?.close());
  it('stores JSON with a TTL and slides it', async () => {
    c = await redisCache(TEST_REDIS_URL, `cityops-test-${process.pid}:`);
    await c.set('k', { a: [1, 2] }, 2);
    expect(await c.get('k')).toEqual({ a: [1, 2] });
    expect(await c.touch('k', 60)).toBe(true);
    await c.del('k');
    expect(await c.get('k')).toBeUndefined();
    expect(await c.touch('k', 60)).toBe(false);
    await c.ping();
  });
  it('counts atomically, the expiry set by the first count', async () => {
    c ??= await redisCache(TEST_REDIS_URL, `cityops-test-${process.pid}:`);
    await c.del('n');
    expect(await Promise.all([c.incr('n', 1), c.incr('n', 1), c.incr('n', 1)])).toEqual(expect.arrayContaining([1, 2, 3]));
    await new Promise((r) => setTimeout(r, 1100));
    expect(await c.incr('n', 1)).toBe(1);
  });
});
