import pg from 'pg';

/**
 * The databases API tests run against: PGlite always; PostgreSQL when TEST_DATABASE_URL (default:
 * the local server) answers. CI sets REQUIRE_POSTGRES=1 so that a missing server fails the run
 * instead of silently testing less.
 */
export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/15';
const required = (name: string) => ['1', 'true'].includes(process.env[`REQUIRE_${name}`] ?? '');

async function reachable(url: string) {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

const pgUp = await reachable(TEST_PG_URL);
if (!pgUp && required('POSTGRES')) throw new Error(`PostgreSQL required but not reachable at ${TEST_PG_URL}`);
if (!pgUp) console.warn(`[tests] PostgreSQL not reachable at ${TEST_PG_URL}: PostgreSQL runs skipped`);

export const backends: ('pglite' | 'postgres')[] = pgUp ? ['pglite', 'postgres'] : ['pglite'];

/** A fresh database on the test server; dropped by the returned function. */
export async function freshPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `cityops_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: TEST_PG_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export async function redisReachable() {
  const { Redis } = await import('ioredis');
  const r = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await r.connect();
    await r.ping();
    return true;
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}
export const redisUp = await redisReachable();
if (!redisUp && required('REDIS')) throw new Error(`Redis required but not reachable at ${TEST_REDIS_URL}`);
