import { bigserial, doublePrecision, index, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { ts } from '../../core/columns.js';

export interface PropertyValue {
  value: unknown;
  /** Epoch milliseconds of the report. */
  ts: number;
}

/** The latest value of every property of a device: one row per device, merged by each report. */
export const iotDeviceState = pgTable('iot_device_state', {
  deviceId: uuid('device_id').primaryKey(),
  props: jsonb('props').$type<Record<string, PropertyValue>>().notNull().default({}),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Property history: one row per property per report; numbers also in `num` for charts and rules. */
export const iotTelemetry = pgTable(
  'iot_telemetry',
  {
    deviceId: uuid('device_id').notNull(),
    identifier: text('identifier').notNull(),
    ts: ts('ts').notNull(),
    num: doublePrecision('num'),
    value: jsonb('value'),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.identifier, t.ts] })],
);

/** Events a device reported (事件上报), with their output data and level. */
export const iotDeviceEvent = pgTable(
  'iot_device_event',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deviceId: uuid('device_id').notNull(),
    identifier: text('identifier').notNull(),
    name: text('name').notNull(),
    /** info | alert | error. */
    level: text('level').notNull(),
    output: jsonb('output').$type<Record<string, unknown>>().notNull().default({}),
    ts: ts('ts').notNull(),
  },
  (t) => [index('iot_device_event_device_ts_idx').on(t.deviceId, t.ts)],
);
