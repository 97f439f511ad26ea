import { bigserial, boolean, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import type { RuleAction, RuleParams } from '@cityops/contracts';
import { ts } from '../../core/columns.js';

/** 规则模型: a reusable condition (threshold | duration | rate | offline | event) with default parameters and actions. */
export const iotRuleModel = pgTable('iot_rule_model', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  kind: text('kind').notNull(),
  params: jsonb('params').$type<RuleParams>().notNull(),
  actions: jsonb('actions').$type<RuleAction[]>().notNull().default([]),
  description: text('description').notNull().default(''),
  builtin: boolean('builtin').notNull().default(false),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** 规则实例: a model applied to a product (optionally some of its devices) with its own parameters and actions. */
export const iotRule = pgTable(
  'iot_rule',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    modelId: uuid('model_id'),
    kind: text('kind').notNull(),
    productId: uuid('product_id').notNull(),
    /** Empty = every device of the product. */
    deviceIds: uuid('device_ids').array().notNull().default([]),
    params: jsonb('params').$type<RuleParams>().notNull(),
    actions: jsonb('actions').$type<RuleAction[]>().notNull().default([]),
    /** info | warning | critical. */
    level: text('level').notNull().default('warning'),
    enabled: boolean('enabled').notNull().default(true),
    description: text('description').notNull().default(''),
    lastFiredAt: ts('last_fired_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('iot_rule_product_idx').on(t.productId, t.enabled)],
);

/** An alarm raised by a rule: one active per rule and device until cleared. */
export const iotAlarm = pgTable(
  'iot_alarm',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ruleId: uuid('rule_id').notNull(),
    ruleName: text('rule_name').notNull(),
    deviceId: uuid('device_id').notNull(),
    level: text('level').notNull(),
    title: text('title').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    /** active | acknowledged | cleared. */
    status: text('status').notNull().default('active'),
    /** The event-hub event it became, when the rule creates one. */
    eventId: uuid('event_id'),
    eventNo: text('event_no'),
    raisedAt: ts('raised_at').notNull().defaultNow(),
    acknowledgedAt: ts('acknowledged_at'),
    acknowledgedBy: text('acknowledged_by'),
    clearedAt: ts('cleared_at'),
  },
  (t) => [
    index('iot_alarm_status_idx').on(t.status, t.raisedAt),
    index('iot_alarm_device_idx').on(t.deviceId, t.raisedAt),
    index('iot_alarm_rule_device_idx').on(t.ruleId, t.deviceId, t.status),
  ],
);
