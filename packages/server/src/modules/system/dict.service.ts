import type { DictOption } from '@cityops/contracts';
import type { Cache } from '../../core/cache.js';
import type { DictRepository } from './dict.repository.js';

const key = (type: string) => `dict:${type}`;
const TTL_SECONDS = 3600;

/**
 * Dictionary labels, read through the cache (the tender: every key→label lookup comes from the
 * cache). Any change to a type or its labels must call `invalidate(type)`.
 */
export function dictService(repo: DictRepository, cache: Cache) {
  return {
    async options(type: string): Promise<DictOption[]> {
      const hit = await cache.get<DictOption[]>(key(type));
      if (hit) return hit;
      const rows = await repo.enabledItems(type);
      await cache.set(key(type), rows, TTL_SECONDS);
      return rows;
    },

    /** value → label of one type (unknown values map to themselves). */
    async labeller(type: string) {
      const map = new Map((await this.options(type)).map((o) => [o.value, o.label]));
      return (value: string | null | undefined) => (value ? (map.get(value) ?? value) : '');
    },

    invalidate: (type: string) => cache.del(key(type)),
  };
}
export type DictService = ReturnType<typeof dictService>;
