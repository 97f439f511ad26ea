import type { Cache } from '../../core/cache.js';
import type { DbOrTx } from '../../core/db.js';
import { paramRepository } from '../system/param.repository.js';
import { paramService } from '../system/param.service.js';
import { calendarRepository } from './calendar.repository.js';
import { calendarService } from './calendar.service.js';
import { eventTypeRepository } from './event-type.repository.js';
import { eventTypeService } from './event-type.service.js';
import type { EventClock } from './ports.js';

/** The event catalogue and the working calendar; `clock` is the calendar seen as the hub's EventClock. */
export function eventConfigServices(db: DbOrTx, cache: Cache) {
  const types = eventTypeService({ repo: eventTypeRepository(db), cache });
  const calendar = calendarService({ repo: calendarRepository(db), cache, params: paramService(paramRepository(db), cache) });
  const clock: EventClock = calendar;
  return { types, calendar, clock };
}
export type EventConfigServices = ReturnType<typeof eventConfigServices>;
