import { boolean, integer, jsonb, pgTable, real, text, timestamp, uuid, index } from 'drizzle-orm/pg-core';

/** 普通 / 联动 / 应急 / 重大突发 (事件清单). */
export const EVENT_CATEGORIES = ['normal', 'linkage', 'emergency', 'major'] as const;
export type EventCategory = (typeof EVENT_CATEGORIES)[number];
/** Units of a time limit: working days / working hours on the calendar, or natural days / hours. */
export const LIMIT_UNITS = ['workday', 'workhour', 'day', 'hour'] as const;
export type LimitUnit = (typeof LIMIT_UNITS)[number];

/** One field of an event type's custom form. */
export interface FormField {
  key: string;
  label: string;
  type: 'text' | 'textarea' | 'number' | 'date' | 'select' | 'boolean';
  required?: boolean;
  options?: string[];
  maxLength?: number;
}

/** The event catalogue (事件清单): 大类 → 小类 → 子类, each with its time limit and form. */
export const evtType = pgTable('evt_type', {
  code: text('code').primaryKey(),
  parentCode: text('parent_code'),
  name: text('name').notNull(),
  level: integer('level').notNull(),
  category: text('category').$type<EventCategory>().notNull().default('normal'),
  /** 处置时限. */
  limitValue: integer('limit_value').notNull(),
  limitUnit: text('limit_unit').$type<LimitUnit>().notNull(),
  /** Yellow (临期) once less than this share of the limit remains. */
  warnRatio: real('warn_ratio').notNull().default(0.2),
  formFields: jsonb('form_fields').$type<FormField[]>().notNull().default([]),
  /** 处置力量 / 检查督办 / 结案标准, as the catalogue states them. */
  handlingForce: text('handling_force'),
  supervisor: text('supervisor'),
  closeStandard: text('close_standard'),
  sort: integer('sort').notNull().default(0),
  enabled: boolean('enabled').notNull().default(true),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Working calendar exceptions: a date listed here is a holiday (workday=false) or a swapped working
 * day (调休, workday=true); any other date is a working day from Monday to Friday.
 */
export const calDay = pgTable('cal_day', {
  date: text('date').primaryKey(),
  workday: boolean('workday').notNull(),
  name: text('name').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A user's saved group of dispatch targets (交办分组), picked again in one click. */
export const evtDispatchGroup = pgTable(
  'evt_dispatch_group',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    name: text('name').notNull(),
    orgIds: jsonb('org_ids').$type<string[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('evt_dispatch_group_user_idx').on(t.userId)],
);
