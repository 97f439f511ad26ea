import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** An in-app message (站内消息) to one user, e.g. "事件已交办给您的单位". */
export const msgMessage = pgTable(
  'msg_message',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    /** dispatch, report, cc, assist, audit, instruct, supervise, return, close… */
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    content: text('content').notNull().default(''),
    /** The event (or other object) the message is about, for the link. */
    eventId: uuid('event_id'),
    readAt: timestamp('read_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('msg_message_user_idx').on(t.userId, t.readAt, t.createdAt)],
);
