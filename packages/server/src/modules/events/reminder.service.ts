import { sql } from 'drizzle-orm';
import type { Db } from '../../core/db.js';
import type { EventMessenger } from './ports.js';
import { cstDate } from './working-time.js';

interface ClaimedRow {
  org_id: string;
  event_id: string;
  title: string;
  deadline: Date | string;
}

/** At most this many reminders per sweep and kind; the next sweep takes the rest. */
const BATCH = 500;

const hhmm = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(11, 16);

/**
 * 临期 and 超期 reminders. The deadlines are stored on the nodes, so nothing is lost across
 * restarts; each sweep claims the due nodes by stamping them (UPDATE … RETURNING over rows locked
 * with SKIP LOCKED), so that several nodes sweeping at once never send a reminder twice.
 */
export function reminderService(db: Db, messages: EventMessenger) {
  async function sweepKind(kind: 'warn' | 'overdue', now: Date) {
    return db.transaction(async (tx) => {
      // Each kind spelled as its partial index (evt_node_warn_due_idx / evt_node_overdue_due_idx).
      const due = kind === 'warn'
        ? sql`n.warned_at is null and n.warn_at is not null and n.warn_at <= ${now} and n.deadline > ${now}`
        : sql`n.overdue_at is null and n.deadline is not null and n.deadline <= ${now}`;
      const order = kind === 'warn' ? sql`n.warn_at` : sql`n.deadline`;
      const stamp = kind === 'warn' ? sql`warned_at` : sql`overdue_at`;
      const claimed = (await tx.execute(sql`
        with due as (
          select n.id from evt_node n
          where n.status in ('todo', 'waiting', 'closing') and n.role <> 'cc' and ${due}
          order by ${order} limit ${BATCH} for update skip locked)
        update evt_node n set ${stamp} = ${now}
        from due, evt_event e
        where n.id = due.id and e.id = n.event_id
        returning n.org_id, n.event_id, e.title, n.deadline`)) as unknown as { rows: ClaimedRow[] };
      for (const r of claimed.rows) {
        const deadline = new Date(r.deadline);
        const when = `${cstDate(deadline)} ${hhmm(deadline)}`;
        const title = kind === 'warn' ? `事件「${r.title}」即将到期（${when}），请抓紧办理` : `事件「${r.title}」已超过办理期限（${when}）`;
        await messages.notifyOrgs(tx, [r.org_id], { kind, title, content: '', eventId: r.event_id });
      }
      return claimed.rows.length;
    });
  }

  return {
    /** Sends the reminders that are due; returns how many of each kind went out. */
    async sweep(now = new Date()) {
      return { warned: await sweepKind('warn', now), overdue: await sweepKind('overdue', now) };
    },
  };
}
export type ReminderService = ReturnType<typeof reminderService>;
