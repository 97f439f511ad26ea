import { index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { ts } from '../../core/columns.js';

/** Requests that need the dispatching organisation's audit: 延期, 退回 and 回复 (a handling result that needs approval). */
export const REQUEST_KINDS = ['delay', 'return', 'reply'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export const REQUEST_STATUSES = ['pending', 'approved', 'refused', 'withdrawn'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** A pending request is an audit to-do (待审核) of `auditorOrgId`. */
export const evtRequest = pgTable(
  'evt_request',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id').notNull(),
    nodeId: uuid('node_id').notNull(),
    kind: text('kind').$type<RequestKind>().notNull(),
    status: text('status').$type<RequestStatus>().notNull().default('pending'),
    reason: text('reason').notNull(),
    oldDeadline: ts('old_deadline'),
    newDeadline: ts('new_deadline'),
    applicantOrgId: uuid('applicant_org_id').notNull(),
    applicantOrgName: text('applicant_org_name').notNull(),
    applicantId: uuid('applicant_id').notNull(),
    applicantName: text('applicant_name').notNull(),
    auditorOrgId: uuid('auditor_org_id').notNull(),
    auditorOrgName: text('auditor_org_name').notNull(),
    auditorId: uuid('auditor_id'),
    auditorName: text('auditor_name'),
    auditOpinion: text('audit_opinion'),
    createdAt: ts('created_at').notNull().defaultNow(),
    auditedAt: ts('audited_at'),
  },
  (t) => [
    index('evt_request_auditor_idx').on(t.auditorOrgId, t.status, t.createdAt),
    index('evt_request_applicant_idx').on(t.applicantOrgId, t.createdAt),
    index('evt_request_event_idx').on(t.eventId),
  ],
);
