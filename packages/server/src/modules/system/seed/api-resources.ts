import { API_TAG_NAMES, endpoints as allEndpoints, type Endpoint } from '@cityops/contracts';
import type { Db } from '../../../core/db.js';
import { apiResourceRepository, type NewApiResourceRow } from '../api-resource.repository.js';

export interface ApiNamespaceSeed {
  name: string;
  url: string;
  services: { name: string; url: string }[];
}

/** 'GET /api/system/resources/:id': how a service of an endpoint is addressed. */
export const serviceUrlOf = (e: Pick<Endpoint, 'method' | 'path'>) => `${e.method} ${e.path}`;

/**
 * The API's own namespaces (one per tag, '/api/<tag>') and services (one per endpoint, named by its
 * summary), taken from the contracts so that the catalogue follows the code.
 */
export function apiCatalogue(endpoints: Record<string, Endpoint> = allEndpoints): ApiNamespaceSeed[] {
  const byTag = new Map<string, ApiNamespaceSeed>();
  for (const e of Object.values(endpoints)) {
    const tag = e.tags[0] ?? 'system';
    let ns = byTag.get(tag);
    if (!ns) byTag.set(tag, (ns = { name: API_TAG_NAMES[tag] ?? tag, url: `/api/${tag}`, services: [] }));
    if (!ns.services.some((s) => s.url === serviceUrlOf(e))) ns.services.push({ name: e.summary, url: serviceUrlOf(e) });
  }
  return [...byTag.values()];
}

/**
 * Registers the API's namespaces and services on every start: missing ones are added, the names of
 * services follow their endpoints' summaries; what administrators added or changed otherwise
 * (order, enabled, their own entries) is kept.
 */
export async function seedApiResources(db: Db, catalogue: ApiNamespaceSeed[] = apiCatalogue()) {
  await db.transaction(async (tx) => {
    const repo = apiResourceRepository(tx);
    await repo.lock();
    const rows = await repo.all();
    const namespaces = new Map(rows.filter((r) => r.type === 'namespace').map((r) => [r.url, r]));
    const services = new Map(rows.filter((r) => r.type === 'service').map((r) => [r.url, r]));
    const maxSort = (parentId: string | null) =>
      Math.max(0, ...rows.filter((r) => r.parentId === parentId).map((r) => r.sort));

    for (const [i, ns] of catalogue.entries()) {
      let nsRow = namespaces.get(ns.url);
      if (!nsRow) {
        nsRow = await repo.insert({ type: 'namespace', parentId: null, name: ns.name, url: ns.url, sort: Math.max((i + 1) * 10, maxSort(null) + 10) });
        rows.push(nsRow);
      }
      const fresh: NewApiResourceRow[] = [];
      let next = maxSort(nsRow.id) + 10;
      for (const s of ns.services) {
        const row = services.get(s.url);
        if (!row) {
          fresh.push({ type: 'service', parentId: nsRow.id, name: s.name, url: s.url, sort: next });
          next += 10;
        } else if (row.name !== s.name) {
          await repo.update(row.id, { name: s.name });
        }
      }
      await repo.insertMany(fresh);
    }
  });
}
