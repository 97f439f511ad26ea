import type { FastifyInstance } from 'fastify';
import { endpoints, type Health } from '@cityops/contracts';
import type { Cache } from '../../core/cache.js';
import type { Database } from '../../core/db.js';
import { route } from '../../core/http.js';

async function probe(driver: string, ping: () => Promise<void>): Promise<Health['database']> {
  const t = performance.now();
  try {
    await ping();
    return { status: 'up', driver, latencyMs: Math.round((performance.now() - t) * 10) / 10 };
  } catch (err) {
    return { status: 'down', driver, error: (err as Error).message };
  }
}

export function healthRoutes(app: FastifyInstance, d: { database: Database; cache: Cache; version: string }) {
  route(app, endpoints.health, async ({ reply }) => {
    const [database, cache] = await Promise.all([
      probe(d.database.driver, d.database.ping),
      probe(d.cache.driver, () => d.cache.ping()),
    ]);
    const ok = database.status === 'up' && cache.status === 'up';
    // Load balancers read the status code; the body says which part is down.
    reply.status(ok ? 200 : 503);
    return { status: ok ? ('ok' as const) : ('degraded' as const), version: d.version, uptimeSeconds: Math.round(process.uptime()), database, cache };
  });
}
