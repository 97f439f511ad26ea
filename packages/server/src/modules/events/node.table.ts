import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { ts } from '../../core/columns.js';

/** How an organisation came to hold the event. */
export const NODE_VIAS = ['initiate', 'dispatch', 'report', 'assist'] as const;
export type NodeVia = (typeof NODE_VIAS)[number];
/** 主办 / 协办 / 抄送. */
export const NODE_ROLES = ['main', 'assist', 'cc'] as const;
export type NodeRole = (typeof NODE_ROLES)[number];
/**
 * todo: the organisation must act (a to-do) · waiting: it dispatched or asked for help and waits ·
 * closing: the closing organisation may verify and close (a to-do) · submitted · reported (passed
 * up) · returned (退回 approved) · recalled (撤回) · read (抄送 acknowledged) · finished (the event
 * was closed or voided around it).
 */
export const NODE_STATUSES = ['todo', 'waiting', 'closing', 'submitted', 'reported', 'returned', 'recalled', 'read', 'finished'] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];
export const OPEN_NODE_STATUSES: NodeStatus[] = ['todo', 'waiting', 'closing'];
/** The statuses in which a node is a to-do of its organisation. */
export const TODO_NODE_STATUSES: NodeStatus[] = ['todo', 'closing'];

/**
 * One organisation's part in an event: a node of the handling tree (处置树) and, while open, a
 * to-do (待办) of that organisation. Deadlines are stored so that light plates are a comparison.
 */
export const evtNode = pgTable(
  'evt_node',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id').notNull(),
    parentId: uuid('parent_id'),
    orgId: uuid('org_id').notNull(),
    orgName: text('org_name').notNull(),
    orgPath: text('org_path').notNull(),
    orgLevel: text('org_level').notNull(),
    role: text('role').$type<NodeRole>().notNull(),
    via: text('via').$type<NodeVia>().notNull(),
    status: text('status').$type<NodeStatus>().notNull(),
    /** 办理要求 from the dispatching organisation. */
    requirement: text('requirement'),
    fromOrgId: uuid('from_org_id'),
    fromOrgName: text('from_org_name'),
    /** Sent by the city operations centre (市级下派, 签收 allowed). */
    fromCity: boolean('from_city').notNull().default(false),
    /** 回复需审核: the dispatcher audits this organisation's handling result before it counts. */
    replyAudit: boolean('reply_audit').notNull().default(false),
    deadline: ts('deadline'),
    warnAt: ts('warn_at'),
    signedAt: ts('signed_at'),
    signedBy: text('signed_by'),
    signOpinion: text('sign_opinion'),
    /** Set when the organisation submitted its own handling (it may still wait for assistants). */
    handledAt: ts('handled_at'),
    handlerId: uuid('handler_id'),
    handlerName: text('handler_name'),
    opinion: text('opinion'),
    /** When the 临期 / 超期 reminders went out (each at most once per deadline). */
    warnedAt: ts('warned_at'),
    overdueAt: ts('overdue_at'),
    /** When the node stopped being open. */
    endedAt: ts('ended_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('evt_node_event_idx').on(t.eventId),
    // To-do lists by deadline; warn time and role ride along so that the badge and plate counts read the index alone.
    index('evt_node_org_status_idx').on(t.orgId, t.status, t.deadline, t.warnAt, t.role),
    index('evt_node_parent_idx').on(t.parentId),
    // The reminder sweep reads only the open nodes still owed a reminder, soonest first.
    index('evt_node_overdue_due_idx').on(t.deadline)
      .where(sql`status in ('todo', 'waiting', 'closing') and role <> 'cc' and overdue_at is null and deadline is not null`),
    index('evt_node_warn_due_idx').on(t.warnAt)
      .where(sql`status in ('todo', 'waiting', 'closing') and role <> 'cc' and warned_at is null and warn_at is not null`),
  ],
);
