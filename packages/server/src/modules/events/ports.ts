import type { EventType, FileInfo, LimitUnit } from '@cityops/contracts';
import type { SQLWrapper } from 'drizzle-orm';
import type { z } from 'zod';
import type { DbOrTx } from '../../core/db.js';

/**
 * What the event hub needs from other modules, by shape only, so that the hub is wired to the
 * files, messaging and calendar services in app.ts and to nothing else.
 */
export interface EventFiles {
  /** Metadata of uploaded files, in the order of `ids`; Invalid (400) when one does not exist. */
  describe(ids: string[]): Promise<FileInfo[]>;
}

export interface OutgoingMessage {
  kind: string;
  title: string;
  content: string;
  eventId: string;
}

export interface EventMessenger {
  /** Writes the message to every enabled user of the organisations, inside the caller's transaction. */
  notifyOrgs(tx: DbOrTx, orgIds: string[], message: OutgoingMessage, exceptUserId?: string): Promise<void>;
  /**
   * Several messages, each to the enabled users of its organisations, as parts of the caller's own
   * statement: `insert` as its WITH item named `source`, `announce(source)` as its main query (the
   * live channel hears of the rows at commit). Undefined when there is no one to write to.
   */
  orgMessageWrites(tx: DbOrTx, items: { orgIds: string[]; message: OutgoingMessage }[], exceptUserId?: string):
    { insert: SQLWrapper; announce: (source: string) => SQLWrapper } | undefined;
}

export interface TimeLimit {
  value: number;
  unit: z.infer<typeof LimitUnit>;
  warnRatio: number;
}

export interface EventClock {
  /** The deadline of a limit counted from `from` on the working calendar, and when it turns yellow. */
  deadline(from: Date, limit: TimeLimit): Promise<{ deadline: Date; warnAt: Date }>;
  /** When a new deadline turns yellow, keeping the share of the original limit. */
  warnAtFor(from: Date, deadline: Date, warnRatio: number): Promise<Date>;
}

export interface EventTypes {
  /** An enabled leaf type of the catalogue, or Invalid (400). */
  assertSelectable(code: string): Promise<EventType>;
  /** The form data checked against the type's fields (Invalid with per-field messages), unknown keys dropped. */
  validateForm(type: EventType, data: Record<string, unknown>, o?: { partial?: boolean }): Record<string, unknown>;
  get(code: string): Promise<EventType | undefined>;
}
