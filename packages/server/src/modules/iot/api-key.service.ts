import crypto from 'node:crypto';
import type { ApiKey, ApiKeyBody, ApiKeyQuery, ApiKeyScope, ApiKeyWithSecret } from '@cityops/contracts';
import type { z } from 'zod';
import { runBatch } from '../../core/batch.js';
import type { Cache } from '../../core/cache.js';
import type { DbOrTx } from '../../core/db.js';
import { NotFound, TooManyRequests } from '../../core/errors.js';
import { isUuid } from '../../core/ids.js';
import { sm3Hex } from '../../core/crypto/sm.js';
import type { Principal } from '../../core/principal.js';
import type { ApiClient } from '../../core/request-context.js';
import { listNames } from '../../core/text.js';
import { apiKeyRepository, type ApiKeyRow } from './api-key.repository.js';

/** How long a key's row is cached (a change on any node drops it at once; this bounds the rest). */
const CACHE_SECONDS = 60;
const cacheKey = (keyId: string) => `iot:api-key:${keyId}`;

/** The cached form of a key: what verifying needs. */
interface CachedKey {
  id: string;
  keyId: string;
  name: string;
  secretHash: string;
  scopes: string[];
  rateLimit: number;
  enabled: boolean;
  expiresAt: number | null;
}

const toDto = (r: ApiKeyRow): ApiKey => ({
  id: r.id, name: r.name, keyId: r.keyId, scopes: r.scopes as ApiKeyScope[], rateLimit: r.rateLimit, enabled: r.enabled,
  expiresAt: r.expiresAt?.toISOString() ?? null, lastUsedAt: r.lastUsedAt?.toISOString() ?? null, createdAt: r.createdAt.toISOString(),
});

/** `ak` + 16 hex digits: the public, searchable half of a key. */
const newKeyId = () => `ak${crypto.randomBytes(8).toString('hex')}`;
/** 32 random bytes, base64url: the secret half, shown once. */
const newSecret = () => crypto.randomBytes(32).toString('base64url');

/** `<keyId>.<secret>` from the X-Api-Key header or `Authorization: Bearer …`. */
export function presentedKey(headers: { 'x-api-key'?: string | string[]; authorization?: string }): string | undefined {
  const h = headers['x-api-key'];
  const value = (Array.isArray(h) ? h[0] : h)?.trim();
  if (value) return value;
  const auth = headers.authorization;
  return auth?.startsWith('Bearer ') && auth.includes('.') ? auth.slice(7).trim() : undefined;
}

export type KeyCheck = { ok: true; client: ApiClient; rateLimit: number } | { ok: false; message: string };

/**
 * 第三方接口 keys: created with a random secret of which only the SM3 hash is kept (the full key is
 * shown once), verified on every call of the open API (through the cache), limited per minute, and
 * stamped with their last use at most once a minute.
 */
export function apiKeyService(d: { db: DbOrTx; cache: Cache; now?: () => number; onError?: (err: unknown) => void }) {
  const repo = apiKeyRepository(d.db);
  const now = d.now ?? Date.now;

  const byId = async (id: string) => {
    const r = isUuid(id) ? await repo.byId(id) : undefined;
    if (!r) throw new NotFound('接口密钥不存在或已删除');
    return r;
  };
  const forget = (r: Pick<ApiKeyRow, 'keyId'>) => d.cache.del(cacheKey(r.keyId));
  const fields = (b: z.output<typeof ApiKeyBody>) => ({
    name: b.name, scopes: b.scopes, rateLimit: b.rateLimit, expiresAt: b.expiresAt ? new Date(b.expiresAt) : null,
  });

  async function load(keyId: string): Promise<CachedKey | null> {
    const hit = await d.cache.get<CachedKey | null>(cacheKey(keyId));
    if (hit !== undefined) return hit;
    const r = await repo.byKeyId(keyId);
    const value: CachedKey | null = r
      ? { id: r.id, keyId: r.keyId, name: r.name, secretHash: r.secretHash, scopes: r.scopes, rateLimit: r.rateLimit, enabled: r.enabled, expiresAt: r.expiresAt?.getTime() ?? null }
      : null;
    // Unknown key ids are cached too, so guessing does not reach the database every time.
    await d.cache.set(cacheKey(keyId), value, CACHE_SECONDS);
    return value;
  }

  return {
    async list(q: z.output<typeof ApiKeyQuery>) {
      const { items, total } = await repo.page(q, q.page, q.pageSize);
      return { items: items.map(toDto), total, page: q.page, pageSize: q.pageSize };
    },

    async create(user: Principal, b: z.output<typeof ApiKeyBody>): Promise<ApiKeyWithSecret> {
      const secret = newSecret();
      const r = await repo.insert({ ...fields(b), keyId: newKeyId(), secretHash: sm3Hex(secret), createdBy: user.id });
      await forget(r);
      return { ...toDto(r), key: `${r.keyId}.${secret}` };
    },

    async update(id: string, b: z.output<typeof ApiKeyBody>) {
      await byId(id);
      const r = (await repo.update(id, fields(b)))!;
      await forget(r);
      return toDto(r);
    },

    /** A new secret under the same key id; the old one stops working at once. */
    async renew(id: string): Promise<ApiKeyWithSecret> {
      await byId(id);
      const secret = newSecret();
      const r = (await repo.update(id, { secretHash: sm3Hex(secret) }))!;
      await forget(r);
      return { ...toDto(r), key: `${r.keyId}.${secret}` };
    },

    async setEnabled(ids: string[], enabled: boolean) {
      return runBatch(ids, async (id) => {
        const r = await byId(id);
        await repo.update(id, { enabled });
        await forget(r);
      });
    },

    async remove(ids: string[]) {
      return runBatch(ids, async (id) => {
        const r = await byId(id);
        await repo.remove(id);
        await forget(r);
      });
    },

    /** Names for the operation log. */
    async names(ids: string[]) {
      return listNames((await repo.byIds(ids.filter(isUuid))).map((r) => r.name));
    },

    async label(id: string) {
      const r = isUuid(id) ? await repo.byId(id) : undefined;
      return r ? `${r.name}（${r.keyId}）` : id;
    },

    /** Checks a presented `<keyId>.<secret>`: known, secret right, enabled, not expired. */
    async verify(presented: string): Promise<KeyCheck> {
      const dot = presented.indexOf('.');
      const keyId = dot > 0 ? presented.slice(0, dot) : '';
      if (!/^ak[0-9a-f]{16}$/.test(keyId)) return { ok: false, message: '接口密钥无效' };
      const k = await load(keyId);
      const given = Buffer.from(sm3Hex(presented.slice(dot + 1)), 'hex');
      const stored = Buffer.from(k?.secretHash ?? '', 'hex');
      if (!k || given.length !== stored.length || !crypto.timingSafeEqual(given, stored)) return { ok: false, message: '接口密钥无效' };
      if (!k.enabled) return { ok: false, message: '接口密钥已停用' };
      if (k.expiresAt !== null && k.expiresAt <= now()) return { ok: false, message: '接口密钥已过期' };
      return { ok: true, client: { id: k.id, keyId: k.keyId, name: k.name, scopes: k.scopes }, rateLimit: k.rateLimit };
    },

    /**
     * Counts a call in the key's current minute (shared by every node through the cache) and
     * refuses it past the limit with 429; stamps `lastUsedAt` at most once a minute.
     */
    async admit(client: ApiClient, rateLimit: number): Promise<void> {
      const t = now();
      const minute = Math.floor(t / 60_000);
      if (rateLimit > 0) {
        const n = await d.cache.incr(`iot:api-key:rate:${client.id}:${minute}`, 61);
        if (n > rateLimit) {
          const retryAfter = Math.max(1, Math.ceil(((minute + 1) * 60_000 - t) / 1000));
          throw new TooManyRequests(`调用过于频繁：该接口密钥每分钟最多调用 ${rateLimit} 次，请 ${retryAfter} 秒后再试`, { retryAfter });
        }
      }
      if ((await d.cache.incr(`iot:api-key:used:${client.id}`, 60)) === 1) {
        // Off the request path: a missed stamp is harmless, the next minute writes it again.
        repo.update(client.id, { lastUsedAt: new Date(t) }).catch((err) => d.onError?.(err));
      }
    },
  };
}
export type ApiKeyService = ReturnType<typeof apiKeyService>;
