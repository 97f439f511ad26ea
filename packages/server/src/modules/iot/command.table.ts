import { index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { ts } from '../../core/columns.js';

/** sent → replied | failed | timeout; queued while the device is offline (async calls only). */
export const COMMAND_STATUSES = ['queued', 'sent', 'replied', 'failed', 'timeout'] as const;
export type CommandStatus = (typeof COMMAND_STATUSES)[number];

/** A down-link command (指令下发): a property set or a service call, with its reply. */
export const iotCommand = pgTable(
  'iot_command',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    deviceId: uuid('device_id').notNull(),
    /** property_set | service. */
    kind: text('kind').notNull(),
    /** The service's identifier; '' for a property set. */
    identifier: text('identifier').notNull().default(''),
    params: jsonb('params').$type<Record<string, unknown>>().notNull().default({}),
    /** The `id` of the message sent; the device's reply carries it back. */
    msgId: text('msg_id').notNull(),
    status: text('status').$type<CommandStatus>().notNull(),
    replyCode: integer('reply_code'),
    reply: jsonb('reply').$type<Record<string, unknown>>(),
    reason: text('reason'),
    timeoutAt: ts('timeout_at').notNull(),
    sentAt: ts('sent_at'),
    repliedAt: ts('replied_at'),
    createdBy: uuid('created_by'),
    createdByName: text('created_by_name').notNull().default(''),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('iot_command_device_idx').on(t.deviceId, t.createdAt),
    index('iot_command_msg_idx').on(t.deviceId, t.msgId),
    index('iot_command_open_idx').on(t.status, t.timeoutAt),
  ],
);
