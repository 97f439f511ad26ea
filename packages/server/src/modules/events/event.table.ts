import { sql } from 'drizzle-orm';
import { boolean, doublePrecision, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { ts } from '../../core/columns.js';

/** draft → processing (处置中) → handled (已处置, awaiting 结案) → closed (已办结); or voided (已作废). */
export const EVENT_STATUSES = ['draft', 'processing', 'handled', 'closed', 'voided'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/**
 * A city event. The handling tree lives in evt_node; `orgIds` lists every organisation with a node
 * (GIN-indexed) so that the 本级/下级 scope of a list is one array overlap, not a join.
 */
export const evtEvent = pgTable(
  'evt_event',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Human-readable number: source prefix + yyyymmdd + 6-digit daily sequence. */
    no: text('no').unique(),
    title: text('title').notNull(),
    content: text('content').notNull().default(''),
    typeCode: text('type_code').notNull(),
    /** Dictionary 'event_source'. */
    source: text('source').notNull(),
    status: text('status').$type<EventStatus>().notNull(),
    /** 重点工单. */
    isKey: boolean('is_key').notNull().default(false),
    /** 督办 at least once. */
    supervised: boolean('supervised').notNull().default(false),
    regionCode: text('region_code'),
    address: text('address'),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    /** The event type's custom-form data, validated against its schema. */
    formData: jsonb('form_data').$type<Record<string, unknown>>().notNull().default({}),
    occurredAt: ts('occurred_at'),
    creatorId: uuid('creator_id').notNull(),
    creatorName: text('creator_name').notNull(),
    creatorOrgId: uuid('creator_org_id').notNull(),
    creatorOrgName: text('creator_org_name').notNull(),
    /** 结案单位: the organisation that verifies and closes. */
    ownerOrgId: uuid('owner_org_id'),
    orgIds: uuid('org_ids').array().notNull().default(sql`'{}'::uuid[]`),
    /** Every person who acted on the event (GIN-indexed): 我参与 is one array containment. */
    actorIds: uuid('actor_ids').array().notNull().default(sql`'{}'::uuid[]`),
    /** 市级下派: dispatched by the city operations centre. */
    fromCity: boolean('from_city').notNull().default(false),
    cityDispatchedAt: ts('city_dispatched_at'),
    /** 已上报市城运中心. */
    reportedToCity: boolean('reported_to_city').notNull().default(false),
    deadline: ts('deadline'),
    warnAt: ts('warn_at'),
    submittedAt: ts('submitted_at'),
    closedAt: ts('closed_at'),
    /** 强制办结. */
    forced: boolean('forced').notNull().default(false),
    closeOpinion: text('close_opinion'),
    voidReason: text('void_reason'),
    /** Bumped by every operation; lets a client detect that it acted on stale data. */
    version: integer('version').notNull().default(0),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('evt_event_org_ids_idx').using('gin', t.orgIds),
    // Events in progress are a few percent of all: their own scope index keeps 处置中 lists and counts from sifting the rest.
    index('evt_event_open_org_ids_idx').using('gin', t.orgIds).where(sql`${t.status} in ('processing', 'handled')`),
    index('evt_event_actor_ids_idx').using('gin', t.actorIds),
    index('evt_event_status_created_idx').on(t.status, t.createdAt),
    index('evt_event_created_idx').on(t.createdAt),
    index('evt_event_creator_idx').on(t.creatorId, t.status),
    index('evt_event_key_idx').on(t.isKey, t.createdAt),
    // The type filter: combined with the scope's GIN bitmap, a count no longer sifts the whole scope.
    index('evt_event_type_created_idx').on(t.typeCode, t.createdAt),
    // Fuzzy search on title and number (pg_trgm): a rare word no longer walks every event.
    index('evt_event_title_trgm_idx').using('gin', t.title.op('gin_trgm_ops')),
    index('evt_event_no_trgm_idx').using('gin', t.no.op('gin_trgm_ops')),
    // Two-character keywords (most Chinese words) have no trigram: their own index of character pairs.
    index('evt_event_title_bigram_idx').using('gin', sql`evt_bigrams(${t.title})`),
  ],
);

/** Daily sequences behind event numbers, one row per prefix and day. */
export const evtSequence = pgTable('evt_sequence', {
  key: text('key').primaryKey(),
  value: integer('value').notNull(),
});
