import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';

/**
 * Several writes sent as one statement, one round trip: the last is the statement itself, the others
 * (named ones first, so that later writes can read their RETURNING) are data-modifying WITH items,
 * each run exactly once. All of them see the tables as they were when the statement began, so no two
 * may write the same row; a single statement is atomic even outside a transaction.
 */
export function oneStatement(writes: SQLWrapper[], named: Record<string, SQLWrapper> = {}): SQL {
  const last = writes.at(-1);
  if (!last) throw new Error('oneStatement needs at least one write');
  const items = [
    ...Object.entries(named).map(([name, w]) => sql`${sql.identifier(name)} as (${w.getSQL()})`),
    ...writes.slice(0, -1).map((w, i) => sql`${sql.identifier(`w${i}`)} as (${w.getSQL()})`),
  ];
  return items.length ? sql`with ${sql.join(items, sql`, `)} ${last.getSQL()}` : last.getSQL();
}
