import { sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** An in-app message (站内消息) to one user, e.g. "事件已交办给您的单位". */
export const msgMessage = pgTable(
  'msg_message',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    /** dispatch, report, cc, assist, audit, instruct, supervise, return, close, notice, chat… */
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    content: text('content').notNull().default(''),
    /** The event (or other object) the message is about, for the link. */
    eventId: uuid('event_id'),
    /** The system notice (系统通知) the message announces. */
    noticeId: uuid('notice_id'),
    readAt: timestamp('read_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('msg_message_user_idx').on(t.userId, t.readAt, t.createdAt)],
);

/** A system notice (系统通知) with attachments, published to everyone or to some organisations. */
export const msgNotice = pgTable('msg_notice', {
  id: uuid('id').primaryKey().defaultRandom(),
  title: text('title').notNull(),
  content: text('content').notNull().default(''),
  fileIds: uuid('file_ids').array().notNull().default(sql`'{}'::uuid[]`),
  /** Empty: every user. */
  orgIds: uuid('org_ids').array().notNull().default(sql`'{}'::uuid[]`),
  publisherId: uuid('publisher_id').notNull(),
  publisherName: text('publisher_name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** One line of a one-to-one chat (e.g. confirming a dispatch was received), optionally about an event. */
export const msgChat = pgTable(
  'msg_chat',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    fromUserId: uuid('from_user_id').notNull(),
    toUserId: uuid('to_user_id').notNull(),
    content: text('content').notNull(),
    eventId: uuid('event_id'),
    readAt: timestamp('read_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    index('msg_chat_to_idx').on(t.toUserId, t.fromUserId, t.createdAt),
    index('msg_chat_from_idx').on(t.fromUserId, t.toUserId, t.createdAt),
  ],
);
