import { eventNumberPrefix } from '@cityops/contracts';
import type { DbOrTx } from '../../core/db.js';
import { eventRepository } from './event.repository.js';

const CST_OFFSET_MS = 8 * 3600_000;

/** 'RX20261123000042': the source's prefix, the day in China Standard Time, the day's sequence. */
export async function nextEventNumber(tx: DbOrTx, source: string, now: Date): Promise<string> {
  const prefix = eventNumberPrefix(source);
  const day = new Date(now.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10).replaceAll('-', '');
  const seq = await eventRepository(tx).nextSequence(`${prefix}${day}`);
  return `${prefix}${day}${String(seq).padStart(6, '0')}`;
}
