import { DICT, EVENT_SOURCES } from '@cityops/contracts';
import type { Db } from '../../../core/db.js';
import { dictRepository } from '../../system/dict.repository.js';
import { calendarRepository } from '../calendar.repository.js';
import { eventTypeRepository } from '../event-type.repository.js';
import { HOLIDAYS } from './calendar.js';
import { eventTypeRows } from './event-types.js';

/**
 * Seeds the event hub's configuration on every start without touching what administrators edited:
 * catalogue types are added only when their code is missing; a year of the calendar only while the
 * table holds no date of that year (so a deleted holiday stays deleted); the `event_source`
 * dictionary is ensured like the built-in ones.
 */
export async function seedEvents(db: Db) {
  await eventTypeRepository(db).insertMissing(eventTypeRows());

  const calendar = calendarRepository(db);
  for (const [year, days] of Object.entries(HOLIDAYS)) {
    if ((await calendar.countBetween(`${year}-01-01`, `${year}-12-31`)) === 0) await calendar.insertMissing(days);
  }

  await dictRepository(db).ensure(
    { code: DICT.eventSource, name: '事件来源', sort: 100 },
    EVENT_SOURCES.map((s) => ({ value: s.value, label: s.label })),
  );
}
