import { sql } from 'drizzle-orm';
import { boolean, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { ts } from '../../core/columns.js';

/** 第三方接口 keys: `<keyId>.<secret>`; only the secret's SM3 hash is stored. */
export const iotApiKey = pgTable('iot_api_key', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  keyId: text('key_id').notNull().unique(),
  secretHash: text('secret_hash').notNull(),
  /** devices:read | telemetry:read | commands:write | ingest:write. */
  scopes: text('scopes').array().notNull().default(sql`'{}'::text[]`),
  /** Requests per minute; 0 = unlimited. */
  rateLimit: integer('rate_limit').notNull().default(600),
  enabled: boolean('enabled').notNull().default(true),
  expiresAt: ts('expires_at'),
  lastUsedAt: ts('last_used_at'),
  createdBy: uuid('created_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
});
