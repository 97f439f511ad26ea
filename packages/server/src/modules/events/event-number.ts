import { eventNumberPrefix } from '@cityops/contracts';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { eventRepository } from './event.repository.js';

const CST_OFFSET_MS = 8 * 3600_000;
/** The WITH item that takes the day's sequence in the statement numbering the event. */
const SEQUENCE = 'evt_number_sequence';

/**
 * 'RX20261123000042': the source's prefix, the day in China Standard Time, the day's sequence (at
 * least six digits). Taken within the statement that writes the number: `with` is its WITH item for
 * oneStatement, `no` the number read from it. The day's sequence row stays locked until commit.
 */
export function eventNumber(tx: DbOrTx, source: string, now: Date) {
  const day = new Date(now.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10).replaceAll('-', '');
  const key = `${eventNumberPrefix(source)}${day}`;
  return {
    with: { [SEQUENCE]: eventRepository(tx).nextSequence(key) },
    no: sql<string>`(select ${key}::text || lpad(value::text, greatest(6, length(value::text)), '0') from ${sql.identifier(SEQUENCE)})`,
  };
}
