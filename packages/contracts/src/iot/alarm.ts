import { z } from 'zod';
import { defineEndpoint } from '../endpoint.js';
import { FileDownload, IsoDateTime, PageQuery, pageOf } from '../common.js';
import { PERMISSIONS as P } from '../permissions.js';
import { RULE_LEVELS, RuleLevel } from './rule.js';

/** IoT: 告警记录 — alarms raised by rules, acknowledged (确认) and cleared (解除) by people or by the rule. */
const tags = ['iot'];

export const ALARM_STATUSES = ['active', 'acknowledged', 'cleared'] as const;
export type AlarmStatus = (typeof ALARM_STATUSES)[number];
export const ALARM_STATUS_LABELS: Record<AlarmStatus, string> = { active: '未处理', acknowledged: '已确认', cleared: '已解除' };

export const Alarm = z.object({
  /** A number as a string (bigserial). */
  id: z.string(),
  ruleId: z.string(),
  ruleName: z.string(),
  deviceId: z.string(),
  deviceName: z.string().nullable(),
  deviceKey: z.string().nullable(),
  productId: z.string().nullable(),
  productName: z.string().nullable(),
  orgName: z.string().nullable(),
  level: RuleLevel,
  title: z.string(),
  /**
   * What happened: `condition`, `value`, `property`, `reportedAt`, … and the outcome of each action
   * (`actions: [{ type, ok, message }]`), the acknowledgement note, and why it was cleared
   * (`clearedBy: 'rule' | 'user' | 'rule-disabled'`, `clearNote`).
   */
  detail: z.record(z.string(), z.unknown()),
  status: z.enum(ALARM_STATUSES),
  /** The event-hub event it became (link: /events/:eventId). */
  eventId: z.string().nullable(),
  eventNo: z.string().nullable(),
  raisedAt: IsoDateTime,
  acknowledgedAt: IsoDateTime.nullable(),
  acknowledgedBy: z.string().nullable(),
  clearedAt: IsoDateTime.nullable(),
});
export type Alarm = z.infer<typeof Alarm>;

const QueryDateTime = z.string().max(64).refine((s) => !Number.isNaN(Date.parse(s)), '时间格式不正确').describe('ISO 8601 date-time');

export const AlarmQuery = PageQuery.extend({
  status: z.enum(ALARM_STATUSES).optional(),
  level: z.enum(RULE_LEVELS).optional(),
  productId: z.string().uuid('产品标识无效').optional(),
  deviceId: z.string().uuid('设备标识无效').optional(),
  ruleId: z.string().uuid('规则标识无效').optional(),
  /** Part of the device's name or key. */
  keyword: z.string().trim().max(50).optional(),
  /** Raised from / to. */
  from: QueryDateTime.optional(),
  to: QueryDateTime.optional(),
});
export type AlarmQuery = z.infer<typeof AlarmQuery>;
export const AlarmExportQuery = AlarmQuery.omit({ page: true, pageSize: true });
/** At most this many rows go into one export (newest first). */
export const ALARM_EXPORT_LIMIT = 50_000;

export const AlarmAcknowledge = z.object({ note: z.string().trim().max(500, '确认说明不能超过 500 个字').default('') });
export const AlarmClear = z.object({ note: z.string().trim().max(500, '解除说明不能超过 500 个字').default('') });

const AlarmParams = z.object({ id: z.string().regex(/^\d{1,18}$/, '告警不存在') });

export const alarmEndpoints = {
  iotAlarms: defineEndpoint({
    method: 'GET', path: '/api/iot/alarms', summary: '告警记录（状态、级别、产品、设备、时间；分页，最新在前）', tags,
    access: 'authorized', permission: P.iotRuleList, query: AlarmQuery, response: pageOf(Alarm),
  }),
  iotAlarmExport: defineEndpoint({
    method: 'GET', path: '/api/iot/alarms/export', summary: `导出告警记录（Excel，条件同列表，最多 ${ALARM_EXPORT_LIMIT} 条）`, tags,
    access: 'authorized', permission: P.iotRuleList, file: true, query: AlarmExportQuery, response: FileDownload,
  }),
  iotAlarm: defineEndpoint({
    method: 'GET', path: '/api/iot/alarms/:id', summary: '告警详情', tags,
    access: 'authorized', permission: P.iotRuleList, params: AlarmParams, response: Alarm,
  }),
  iotAlarmAcknowledge: defineEndpoint({
    method: 'POST', path: '/api/iot/alarms/:id/acknowledge', summary: '确认告警（附说明）', tags,
    access: 'authorized', permission: P.iotAlarmHandle, params: AlarmParams, body: AlarmAcknowledge, response: Alarm,
  }),
  iotAlarmClear: defineEndpoint({
    method: 'POST', path: '/api/iot/alarms/:id/clear', summary: '解除告警', tags,
    access: 'authorized', permission: P.iotAlarmHandle, params: AlarmParams, body: AlarmClear, response: Alarm,
  }),
};
