import { bigserial, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { ts } from '../../core/columns.js';

/**
 * 消息追踪: every message to or from a device, accepted or not, with its result and latency, so a
 * fault can be located (wrong secret, wrong topic, a report that breaks the thing model, no reply).
 */
export const iotMessage = pgTable(
  'iot_message',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ts: ts('ts').notNull().defaultNow(),
    deviceId: uuid('device_id'),
    productKey: text('product_key'),
    deviceKey: text('device_key'),
    /** up | down. */
    direction: text('direction').notNull(),
    /** mqtt | http | coap | gateway | broker (an external broker). */
    channel: text('channel').notNull(),
    /** connect | disconnect | property | event | reply | command | ota | other. */
    kind: text('kind').notNull(),
    topic: text('topic').notNull().default(''),
    payload: text('payload').notNull().default(''),
    /** ok | rejected | denied | error | timeout | replied. */
    result: text('result').notNull(),
    reason: text('reason'),
    latencyMs: integer('latency_ms'),
    msgId: text('msg_id'),
    clientIp: text('client_ip'),
  },
  (t) => [
    index('iot_message_device_ts_idx').on(t.deviceId, t.ts),
    index('iot_message_ts_idx').on(t.ts),
    index('iot_message_result_ts_idx').on(t.result, t.ts),
  ],
);
