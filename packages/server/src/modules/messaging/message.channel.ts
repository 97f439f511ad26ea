import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';

/**
 * The PostgreSQL channel that tells every API node what to push to its live connections. A NOTIFY
 * issued inside a transaction is delivered only when it commits, so a rolled-back action pushes
 * nothing, and every node LISTENs, so it does not matter which node a user's stream is open on.
 */
export const MESSAGE_CHANNEL = 'cityops_messages';

/**
 * What a notification says, as `<kind>;<body>`:
 * - `m;<userId>:<messageId>,…` new messages; `c;<userId>:<chatId>,…` new chat lines;
 * - `s;<userId>` counts changed (read or deleted elsewhere); `e;<sm3 of a session token>` that session ended.
 */
export type Announcement =
  | { kind: 'm' | 'c'; pairs: { userId: string; id: string }[] }
  | { kind: 's'; userId: string }
  | { kind: 'e'; tokenHash: string };

/** Pairs per NOTIFY: 100 × 74 bytes stays well under PostgreSQL's 8000-byte payload limit. */
const PAIRS_PER_NOTIFY = 100;

export function encodeAnnouncements(a: Announcement): string[] {
  if (a.kind === 's') return [`s;${a.userId}`];
  if (a.kind === 'e') return [`e;${a.tokenHash}`];
  const out: string[] = [];
  for (let i = 0; i < a.pairs.length; i += PAIRS_PER_NOTIFY) {
    out.push(`${a.kind};${a.pairs.slice(i, i + PAIRS_PER_NOTIFY).map((p) => `${p.userId}:${p.id}`).join(',')}`);
  }
  return out;
}

/** Undefined for anything this version does not understand (a newer node may say more). */
export function decodeAnnouncement(payload: string): Announcement | undefined {
  const kind = payload.slice(0, 1);
  const body = payload.slice(2);
  if (payload[1] !== ';' || !body) return undefined;
  if (kind === 's') return { kind, userId: body };
  if (kind === 'e') return { kind, tokenHash: body };
  if (kind !== 'm' && kind !== 'c') return undefined;
  const pairs = body.split(',').flatMap((p) => {
    const [userId, id] = p.split(':');
    return userId && id ? [{ userId, id }] : [];
  });
  return { kind, pairs };
}

/**
 * The SELECT that announces the rows of `source` (a WITH item of the same statement with columns
 * `id` and `user_id`), encoded as encodeAnnouncements does: the rows that a statement writes go out
 * without a second round trip.
 */
export function announceRows(kind: 'm' | 'c', source: string) {
  return sql`select pg_notify(${MESSAGE_CHANNEL}, ${`${kind};`}::text || string_agg(x.user_id::text || ':' || x.id::text, ','))
    from (select id, user_id, (row_number() over () - 1) / ${PAIRS_PER_NOTIFY}::int as chunk from ${sql.identifier(source)}) as x group by x.chunk`;
}

/**
 * Sends the announcement on `db`: inside a transaction it goes out at commit, otherwise at once.
 * One statement whatever the number of chunks ('|' never occurs in a payload).
 */
export async function announce(db: DbOrTx, a: Announcement) {
  const payloads = encodeAnnouncements(a);
  if (!payloads.length) return;
  await db.execute(sql`select pg_notify(${MESSAGE_CHANNEL}, p) from unnest(string_to_array(${payloads.join('|')}::text, '|')) as p`);
}
