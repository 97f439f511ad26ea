import { sql, type SQL } from 'drizzle-orm';
import type { Plate } from '@cityops/contracts';
import type { DataScope, EventScope } from '../system/scope.service.js';
import { evtEvent } from './event.table.js';
import { evtNode } from './node.table.js';

/** A uuid[] literal bound as one parameter (one plan whatever the number of organisations). */
export const uuidArray = (ids: string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;

/**
 * 灯牌 of an event: none without a deadline or for a draft / voided event; a closed event is red
 * when it closed late; an open one is red past the deadline, yellow past warn_at.
 */
export const eventPlate = sql<Plate | null>`case
  when ${evtEvent.deadline} is null or ${evtEvent.status} in ('draft', 'voided') then null
  when ${evtEvent.status} = 'closed' then case when ${evtEvent.closedAt} > ${evtEvent.deadline} then 'red' else 'green' end
  when now() > ${evtEvent.deadline} then 'red'
  when now() > ${evtEvent.warnAt} then 'yellow'
  else 'green' end`;

/**
 * 灯牌 of a node: an open node (todo, waiting, closing) by the clock; an ended one red when it was
 * handled (or ended) after its deadline.
 */
export const nodePlate = sql<Plate | null>`case
  when ${evtNode.deadline} is null then null
  when ${evtNode.status} not in ('todo', 'waiting', 'closing') then
    case when coalesce(${evtNode.handledAt}, ${evtNode.endedAt}) > ${evtNode.deadline} then 'red' else 'green' end
  when now() > ${evtNode.deadline} then 'red'
  when now() > ${evtNode.warnAt} then 'yellow'
  else 'green' end`;

/**
 * The plate of open nodes as conditions on the deadline. The deadline is read through coalesce on
 * purpose: a bare `deadline < now()` lets the planner pick the global partial index of open
 * deadlines (built for the warning job) and filter every overdue node of the city down to one
 * organisation's; through coalesce, the organisation's (org_id, status, deadline) index is used.
 */
export const nodeDeadlineOrNever = sql`coalesce(${evtNode.deadline}, 'infinity'::timestamptz)`;
const nodeDeadlineOrPast = sql`coalesce(${evtNode.deadline}, '-infinity'::timestamptz)`;
export function openNodePlateIs(plate: Plate): SQL {
  if (plate === 'red') return sql`${nodeDeadlineOrNever} < now()`;
  if (plate === 'yellow') return sql`${nodeDeadlineOrPast} >= now() and ${evtNode.warnAt} < now()`;
  return sql`${nodeDeadlineOrPast} >= now() and (${evtNode.warnAt} is null or ${evtNode.warnAt} >= now())`;
}

/**
 * 本级 / 下级 / 本级及下级 on `evt_event.org_ids` (GIN). When the scope spans every organisation
 * (the city centre), 本级及下级 needs no filter and 下级 is "some organisation outside 本级" —
 * both avoid comparing each row with hundreds of ids.
 */
export function scopeCondition(s: EventScope, which: DataScope): SQL {
  const overlap = (ids: string[]) => (ids.length ? sql`${evtEvent.orgIds} && ${uuidArray(ids)}` : sql`false`);
  if (which === 'self') return overlap(s.self);
  if (which === 'children') return s.all ? sql`not (${evtEvent.orgIds} <@ ${uuidArray(s.self)})` : overlap(s.children);
  return s.all ? sql`true` : overlap([...s.self, ...s.children]);
}

/** The user acted on the event (我参与): one containment on the GIN-indexed participants array. */
export const actedOn = (userId: string) => sql`${evtEvent.actorIds} @> ${uuidArray([userId])}`;
