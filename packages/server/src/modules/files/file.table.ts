import { bigint, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** An uploaded file: metadata here, bytes in the configured storage (local disk or S3). */
export const fileObject = pgTable('file_object', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  mime: text('mime').notNull(),
  size: bigint('size', { mode: 'number' }).notNull(),
  sha256: text('sha256').notNull(),
  storage: text('storage').$type<'local' | 's3'>().notNull(),
  storageKey: text('storage_key').notNull(),
  uploadedBy: uuid('uploaded_by'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
