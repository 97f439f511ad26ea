/**
 * Bench users: at least one per organisation that handles events (the actors of its seeded nodes)
 * and enough for the simulated users, each with the demo role of their kind of organisation.
 * Idempotent, so a reused database keeps its users.
 */
import pg from 'pg';
import { hashPassword } from '../packages/server/src/core/crypto/sm.js';

export type UserKind = 'city' | 'dept' | 'town' | 'community';
export const KIND_ROLE: Record<UserKind, string> = { city: 'city-operator', dept: 'dept-handler', town: 'town-operator', community: 'community-worker' };
const KIND_TITLE: Record<UserKind, string> = { city: '值班员', dept: '处置员', town: '值班员', community: '网格员' };
/** Meets the default policy: ≥ 8 characters, 3 classes, not containing the account name. */
export const BENCH_PASSWORD = 'Bench#2026pw';

export interface BenchUser {
  username: string;
  kind: UserKind;
  orgId: string;
  orgName: string;
  /** The town of a town centre or community (dispatch targets are picked by it). */
  townId: string | null;
}

interface OrgRow {
  id: string;
  name: string;
  code: string;
  kind: UserKind;
  town_id: string | null;
}

/**
 * Creates the users (when missing) and returns the `simulated` ones that drive the load: 10% city
 * centre, 24% departments, 38% town centres, the rest communities, spread evenly.
 */
export async function ensureBenchUsers(url: string, simulated: number, kdfIterations: number): Promise<{ simulated: BenchUser[]; created: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const orgs = (await c.query<OrgRow>(`
      select o.id, o.name, o.code, case
          when o.tags ? '市级城运中心' then 'city' when o.tags ? '镇街城运中心' then 'town'
          when o.level = 'department' then 'dept' else 'community' end as kind,
        case when o.level in ('section', 'community') then o.parent_id end as town_id
      from sys_org o
      where o.enabled and (o.tags ? '市级城运中心' or o.tags ? '镇街城运中心' or o.level in ('department', 'community'))
      order by o.sort, o.code`)).rows;
    const byKind = (k: UserKind) => orgs.filter((o) => o.kind === k);
    const quota: Record<UserKind, number> = { city: Math.round(simulated * 0.1), dept: Math.round(simulated * 0.24), town: Math.round(simulated * 0.38), community: 0 };
    quota.community = simulated - quota.city - quota.dept - quota.town;

    const wanted: (BenchUser & { simulated: boolean })[] = [];
    for (const kind of ['city', 'dept', 'town', 'community'] as UserKind[]) {
      const list = byKind(kind);
      if (!list.length) throw new Error(`no ${kind} organisations: is DEMO_DATA on?`);
      // Round robin over the organisations; each gets at least one user (the actor of its seeded nodes) even when not simulated.
      const n = Math.max(quota[kind], list.length);
      const perOrg = new Map<string, number>();
      for (let i = 0; i < n; i++) {
        const o = list[i % list.length]!;
        const k = (perOrg.get(o.id) ?? 0) + 1;
        perOrg.set(o.id, k);
        wanted.push({ username: `bench_${o.code}_${k}`.toLowerCase(), kind, orgId: o.id, orgName: o.name, townId: o.town_id, simulated: false });
      }
      // The simulated users are spread over the organisations, not the first ones in order.
      const picks = spread(wanted.filter((w) => w.kind === kind), quota[kind]);
      for (const p of picks) p.simulated = true;
    }

    const roles = new Map((await c.query<{ code: string; id: string }>('select code, id from sys_role')).rows.map((r) => [r.code, r.id]));
    const hash = hashPassword(BENCH_PASSWORD, kdfIterations);
    const { rowCount } = await c.query(
      `insert into sys_user (username, name, org_id, password_hash, pinyin)
       select u.username, u.name, u.org_id::uuid, $4, '' from unnest($1::text[], $2::text[], $3::text[]) as u(username, name, org_id)
       on conflict (username) do nothing`,
      [wanted.map((w) => w.username), wanted.map((w) => `${w.orgName}${KIND_TITLE[w.kind]}${w.username.split('_').pop()!.padStart(2, '0')}`), wanted.map((w) => w.orgId), hash],
    );
    await c.query(
      `insert into sys_user_role (user_id, role_id)
       select u.id, x.role_id::uuid from unnest($1::text[], $2::text[]) as x(username, role_id) join sys_user u on u.username = x.username
       on conflict do nothing`,
      [wanted.map((w) => w.username), wanted.map((w) => roles.get(KIND_ROLE[w.kind])!)],
    );
    return { simulated: wanted.filter((w) => w.simulated).map(({ simulated: _, ...u }) => u), created: rowCount ?? 0 };
  } finally {
    await c.end();
  }
}

/** `n` items taken evenly across the list. */
function spread<T>(list: T[], n: number): T[] {
  if (n >= list.length) return list;
  return Array.from({ length: n }, (_, i) => list[Math.floor((i * list.length) / n)]!);
}

/** Grants the super role `admin` to the bench users of one kind (when their demo role lacks a permission). */
export async function grantAdmin(url: string, kind: UserKind) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(
      `insert into sys_user_role (user_id, role_id)
       select u.id, r.id from sys_user u join sys_user_role ur on ur.user_id = u.id join sys_role k on k.id = ur.role_id and k.code = $1
         cross join sys_role r where r.code = 'admin' and u.username like 'bench\\_%'
       on conflict do nothing`,
      [KIND_ROLE[kind]],
    );
  } finally {
    await c.end();
  }
}
