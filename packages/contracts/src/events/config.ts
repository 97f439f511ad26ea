import { z } from 'zod';
import { defineEndpoint } from '../endpoint.js';
import { IsoDateTime, Ok } from '../common.js';
import { PERMISSIONS as P } from '../permissions.js';

/** 普通 / 联动 / 应急 / 重大突发. */
export const EventCategory = z.enum(['normal', 'linkage', 'emergency', 'major']);
export const EVENT_CATEGORY_LABELS: Record<z.infer<typeof EventCategory>, string> = {
  normal: '普通事件', linkage: '联动事件', emergency: '应急事件', major: '重大突发事件',
};
/** Working days / working hours on the calendar, or natural days / hours. */
export const LimitUnit = z.enum(['workday', 'workhour', 'day', 'hour']);
export const LIMIT_UNIT_LABELS: Record<z.infer<typeof LimitUnit>, string> = {
  workday: '个工作日', workhour: '个工作小时', day: '天', hour: '小时',
};

export const FormField = z.object({
  key: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/),
  label: z.string().min(1).max(50),
  type: z.enum(['text', 'textarea', 'number', 'date', 'select', 'boolean']),
  required: z.boolean().optional(),
  options: z.array(z.string()).optional(),
  maxLength: z.number().int().positive().optional(),
});
export type FormField = z.infer<typeof FormField>;

/** An entry of the event catalogue (大类 → 小类 → 子类). */
export const EventType = z.object({
  code: z.string(),
  parentCode: z.string().nullable(),
  name: z.string(),
  /** 1 大类, 2 小类, 3 子类. */
  level: z.number().int(),
  category: EventCategory,
  limitValue: z.number().int(),
  limitUnit: LimitUnit,
  warnRatio: z.number(),
  formFields: z.array(FormField),
  handlingForce: z.string().nullable(),
  supervisor: z.string().nullable(),
  closeStandard: z.string().nullable(),
  sort: z.number().int(),
  enabled: z.boolean(),
});
export type EventType = z.infer<typeof EventType>;

export const EventTypeUpdate = z.object({
  name: z.string().trim().min(1, '请输入类型名称').max(50),
  category: EventCategory,
  limitValue: z.number().int().min(1, '时限至少为 1').max(1000, '时限过长'),
  limitUnit: LimitUnit,
  warnRatio: z.number().gt(0, '临期比例须大于 0').lt(1, '临期比例须小于 1'),
  enabled: z.boolean(),
});

/** YYYY-MM-DD in China Standard Time. */
export const CalendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD').refine(
  (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
  '日期不存在',
);

/** A date that differs from the Monday–Friday rule: a holiday, or a swapped working day (调休). */
export const CalendarDay = z.object({ date: z.string(), workday: z.boolean(), name: z.string(), updatedAt: IsoDateTime });
export type CalendarDay = z.infer<typeof CalendarDay>;

export const CalendarDayUpsert = z.object({
  workday: z.boolean(),
  name: z.string().trim().min(1, '请填写名称，如“国庆节”或“调休上班”').max(30),
});

export const DeadlinePreviewQuery = z.object({
  from: IsoDateTime.optional(),
  limitValue: z.coerce.number().int().min(1).max(1000),
  limitUnit: LimitUnit,
  warnRatio: z.coerce.number().gt(0).lt(1).default(0.2),
});

export const eventConfigEndpoints = {
  eventTypes: defineEndpoint({
    method: 'GET', path: '/api/events/types', summary: '事件类型（事件清单，含时限与自定义表单）', tags: ['events'],
    access: 'authenticated', query: z.object({ all: z.enum(['true', 'false']).optional() }), response: z.array(EventType),
  }),
  eventTypeUpdate: defineEndpoint({
    method: 'PUT', path: '/api/events/types/:code', summary: '修改事件类型的时限与启用状态', tags: ['events'],
    access: 'authorized', permission: P.eventTypeEdit, params: z.object({ code: z.string().min(1).max(64) }), body: EventTypeUpdate, response: EventType,
  }),
  calendarDays: defineEndpoint({
    method: 'GET', path: '/api/events/calendar', summary: '工作日历：某年的节假日与调休上班日', tags: ['events'],
    access: 'authenticated', query: z.object({ year: z.coerce.number().int().min(2000).max(2100) }), response: z.array(CalendarDay),
  }),
  calendarDayUpsert: defineEndpoint({
    method: 'PUT', path: '/api/events/calendar/:date', summary: '设置某天为节假日或调休上班日', tags: ['events'],
    access: 'authorized', permission: P.calendarEdit, params: z.object({ date: CalendarDate }), body: CalendarDayUpsert, response: CalendarDay,
  }),
  calendarDayDelete: defineEndpoint({
    method: 'DELETE', path: '/api/events/calendar/:date', summary: '恢复某天为默认（周一至周五上班）', tags: ['events'],
    access: 'authorized', permission: P.calendarEdit, params: z.object({ date: CalendarDate }), response: Ok,
  }),
  deadlinePreview: defineEndpoint({
    method: 'GET', path: '/api/events/deadline-preview', summary: '按工作日历计算办理期限', tags: ['events'],
    access: 'authenticated', query: DeadlinePreviewQuery, response: z.object({ deadline: IsoDateTime, warnAt: IsoDateTime }),
  }),
};

/**
 * Where events come from (dictionary 'event_source'); `prefix` starts the event number, e.g.
 * RX20261123000042 for the 42nd hotline event of the day.
 */
export const EVENT_SOURCES = [
  { value: 'hotline', label: '12345热线', prefix: 'RX' },
  { value: 'grid', label: '网格上报', prefix: 'WG' },
  { value: 'iot', label: '物联告警', prefix: 'WL' },
  { value: 'urban', label: '数字城管', prefix: 'CG' },
  { value: 'online', label: '网络理政', prefix: 'WZ' },
  { value: 'linkage', label: '大联动', prefix: 'LD' },
  { value: 'self', label: '自查自处', prefix: 'ZC' },
  { value: 'platform', label: '平台录入', prefix: 'PT' },
] as const;
export const eventNumberPrefix = (source: string) => EVENT_SOURCES.find((s) => s.value === source)?.prefix ?? 'QT';
