import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { ts } from '../../core/columns.js';

/**
 * The nodes with an embedded broker, each beating here every few seconds while it lives: a device
 * whose `node_id` names a node not seen within IOT_NODE_TIMEOUT_SECONDS lost its connection with it.
 */
export const iotNode = pgTable('iot_node', {
  id: text('id').primaryKey(),
  /** api (application) or broker (broker-only node). */
  role: text('role').notNull(),
  hostname: text('hostname').notNull(),
  pid: integer('pid').notNull(),
  startedAt: ts('started_at').notNull().defaultNow(),
  seenAt: ts('seen_at').notNull().defaultNow(),
});
