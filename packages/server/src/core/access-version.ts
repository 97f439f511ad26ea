import type { FastifyInstance } from 'fastify';
import type { Cache } from './cache.js';

const KEY = 'access:version';

/**
 * One shared counter that says "who may do and see what" changed: organisations, people, roles or
 * resources. Values derived from them (a user's permissions, an organisation's event scope) are
 * cached under the current version, so a change anywhere (on any node, through Redis) makes every
 * node recompute at once instead of waiting for a TTL.
 */
export function accessVersion(cache: Cache) {
  return {
    async current(): Promise<string> {
      return (await cache.get<string>(KEY)) ?? '0';
    },
    async bump() {
      await cache.set(KEY, `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`);
    },
    /** `compute()` once per version (and at most `ttlSeconds`, for grants that expire by time). */
    async cached<T>(name: string, ttlSeconds: number, compute: () => Promise<T>): Promise<T> {
      const key = `${name}:${await this.current()}`;
      const hit = await cache.get<T>(key);
      if (hit !== undefined) return hit;
      const value = await compute();
      await cache.set(key, value, ttlSeconds);
      return value;
    },
  };
}
export type AccessVersion = ReturnType<typeof accessVersion>;

/** Every successful change under /api/system (people, organisations, roles, resources) bumps the version before the answer leaves. */
export function registerAccessVersionHook(app: FastifyInstance, version: AccessVersion) {
  app.addHook('onSend', async (req, reply) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.url.startsWith('/api/system/') && reply.statusCode < 400) await version.bump();
  });
}
