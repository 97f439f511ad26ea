import { bigint, boolean, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { ts } from '../../core/columns.js';

/** The timeline (处置过程): one row per action on an event. */
export const evtLog = pgTable(
  'evt_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id').notNull(),
    nodeId: uuid('node_id'),
    /** An EventAction code, e.g. 'dispatch', 'handle', 'close'. */
    action: text('action').notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name').notNull(),
    actorOrgId: uuid('actor_org_id'),
    actorOrgName: text('actor_org_name'),
    opinion: text('opinion'),
    /** Action-specific facts (targets, deadlines…), shown on the timeline. */
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    /** Written by the city operations centre (市级日志). */
    isCity: boolean('is_city').notNull().default(false),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('evt_log_event_idx').on(t.eventId, t.createdAt), index('evt_log_actor_idx').on(t.actorId, t.eventId)],
);

/** before: with the report · during: tracking, dispatch, instructions · after: handling results, closing. */
export const ATTACHMENT_STAGES = ['before', 'during', 'after'] as const;
export type AttachmentStage = (typeof ATTACHMENT_STAGES)[number];

/** Files attached to an event, each through the action that brought it. */
export const evtAttachment = pgTable(
  'evt_attachment',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id').notNull(),
    logId: uuid('log_id'),
    fileId: uuid('file_id').notNull(),
    stage: text('stage').$type<AttachmentStage>().notNull(),
    name: text('name').notNull(),
    mime: text('mime').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('evt_attachment_event_idx').on(t.eventId)],
);

/** 批示 and 督办: who, in which department and position, when, and what. */
export const evtDirective = pgTable(
  'evt_directive',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id').notNull(),
    kind: text('kind').$type<'instruct' | 'supervise'>().notNull(),
    person: text('person').notNull(),
    dept: text('dept').notNull(),
    position: text('position'),
    issuedAt: ts('issued_at').notNull(),
    content: text('content').notNull(),
    userId: uuid('user_id').notNull(),
    orgId: uuid('org_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('evt_directive_event_idx').on(t.eventId)],
);
