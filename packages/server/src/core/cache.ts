/**
 * Cache, sessions and counters. In-memory by default; Redis (REDIS_URL) when API nodes scale out.
 * Values are JSON; every key may carry a time-to-live in seconds.
 */
export interface Cache {
  driver: 'memory' | 'redis';
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlSeconds?: number): Promise<void>;
  /** Pushes the expiry of an existing key out; false when the key is gone. */
  touch(key: string, ttlSeconds: number): Promise<boolean>;
  del(...keys: string[]): Promise<void>;
  /** Adds one to a counter and returns it; a new counter lives `ttlSeconds` (fixed windows: rate limits). */
  incr(key: string, ttlSeconds: number): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function memoryCache(now: () => number = Date.now): Cache {
  const store = new Map<string, { value: string; expiresAt: number }>();
  const live = (key: string) => {
    const e = store.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= now()) {
      store.delete(key);
      return undefined;
    }
    return e;
  };
  // Drop expired entries now and then so an idle process does not hold them forever.
  const sweeper = setInterval(() => {
    for (const key of store.keys()) live(key);
  }, 60_000);
  sweeper.unref();
  return {
    driver: 'memory',
    async get<T>(key: string) {
      const e = live(key);
      return e ? (JSON.parse(e.value) as T) : undefined;
    },
    async set(key, value, ttlSeconds) {
      store.set(key, { value: JSON.stringify(value), expiresAt: ttlSeconds ? now() + ttlSeconds * 1000 : Infinity });
    },
    async touch(key, ttlSeconds) {
      const e = live(key);
      if (!e) return false;
      e.expiresAt = now() + ttlSeconds * 1000;
      return true;
    },
    async del(...keys) {
      for (const k of keys) store.delete(k);
    },
    async incr(key, ttlSeconds) {
      const e = live(key);
      const n = e ? Number(JSON.parse(e.value)) + 1 : 1;
      store.set(key, { value: String(n), expiresAt: e?.expiresAt ?? now() + ttlSeconds * 1000 });
      return n;
    },
    async ping() {},
    async close() {
      clearInterval(sweeper);
      store.clear();
    },
  };
}

const INCR_SCRIPT = "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return n";

export async function redisCache(url: string, prefix = 'cityops:'): Promise<Cache> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { keyPrefix: prefix, lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  return {
    driver: 'redis',
    async get<T>(key: string) {
      const v = await redis.get(key);
      return v === null ? undefined : (JSON.parse(v) as T);
    },
    async set(key, value, ttlSeconds) {
      const v = JSON.stringify(value);
      if (ttlSeconds) await redis.set(key, v, 'EX', ttlSeconds);
      else await redis.set(key, v);
    },
    async touch(key, ttlSeconds) {
      return (await redis.expire(key, ttlSeconds)) === 1;
    },
    async del(...keys) {
      if (keys.length) await redis.del(...keys);
    },
    async incr(key, ttlSeconds) {
      // One round trip, and the expiry is set with the first count only (ioredis prefixes KEYS).
      return Number(await redis.eval(INCR_SCRIPT, 1, key, ttlSeconds));
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      await redis.quit();
    },
  };
}

export function openCache(url: string | undefined): Promise<Cache> {
  return url ? redisCache(url) : Promise.resolve(memoryCache());
}
