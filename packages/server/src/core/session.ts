import crypto from 'node:crypto';
import type { Cache } from './cache.js';
import { sm3Hex } from './crypto/sm.js';

export interface SessionData {
  userId: string;
  createdAt: string;
}

/**
 * Opaque bearer tokens kept in the cache with a sliding idle timeout. Only a hash of the token is
 * stored, so a cache dump does not yield usable sessions.
 */
export function sessionStore(cache: Cache, idleSeconds: number) {
  const key = (token: string) => `session:${sm3Hex(token)}`;
  return {
    idleSeconds,
    async create(userId: string) {
      const token = crypto.randomBytes(32).toString('base64url');
      await cache.set(key(token), { userId, createdAt: new Date().toISOString() } satisfies SessionData, idleSeconds);
      return token;
    },
    /** The session behind `token`, its idle timer restarted unless `touch` is false; undefined when absent or expired. */
    async resume(token: string, touch = true) {
      const s = await cache.get<SessionData>(key(token));
      if (!s) return undefined;
      if (touch) await cache.touch(key(token), idleSeconds);
      return s;
    },
    async end(token: string) {
      await cache.del(key(token));
    },
  };
}
export type SessionStore = ReturnType<typeof sessionStore>;
