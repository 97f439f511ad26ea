import {
  ALARM_STATUSES,
  ALARM_STATUS_LABELS,
  RULE_ACTION_LABELS,
  RULE_LEVELS,
  RULE_LEVEL_LABELS,
  type Alarm,
  type AlarmStatus,
  type RuleLevel,
} from '@cityops/contracts';
import { api } from '@/api/client';
import { rangeToQuery } from '@/utils/format';

type TagType = 'success' | 'warning' | 'danger' | 'info' | 'primary';

export const STATUS_OPTIONS = ALARM_STATUSES.map((s) => ({ value: s, label: ALARM_STATUS_LABELS[s] }));
export const LEVEL_OPTIONS = RULE_LEVELS.map((l) => ({ value: l, label: RULE_LEVEL_LABELS[l] }));

export const STATUS_TAGS: Record<AlarmStatus, TagType> = { active: 'danger', acknowledged: 'warning', cleared: 'success' };
export const LEVEL_TAGS: Record<RuleLevel, { type: TagType; effect: 'dark' | 'light' | 'plain' }> = {
  critical: { type: 'danger', effect: 'dark' },
  warning: { type: 'warning', effect: 'light' },
  info: { type: 'info', effect: 'plain' },
};

/** The 告警记录 search form. */
export interface AlarmSearch {
  status: AlarmStatus | '';
  level: RuleLevel | '';
  productId: string;
  keyword: string;
  range: [Date, Date] | null;
  /** From a link (规则实例 → 活动告警, 设备详情). */
  ruleId: string;
  deviceId: string;
}

export const createSearch = (): AlarmSearch => ({ status: '', level: '', productId: '', keyword: '', range: null, ruleId: '', deviceId: '' });

export const alarmFilter = (s: AlarmSearch) => ({
  status: s.status || undefined,
  level: s.level || undefined,
  productId: s.productId || undefined,
  keyword: s.keyword.trim() || undefined,
  ruleId: s.ruleId || undefined,
  deviceId: s.deviceId || undefined,
  ...rangeToQuery(s.range),
});

export const fetchAlarms = (s: AlarmSearch, page: number, pageSize: number) => api.iotAlarms({ query: { page, pageSize, ...alarmFilter(s) } });

/** One action's outcome as the rule engine records it on the alarm. */
export interface ActionOutcome {
  type: keyof typeof RULE_ACTION_LABELS;
  ok: boolean;
  message: string;
  at?: string;
  skipped?: boolean;
}

/** Why an alarm ended when no person cleared it. */
const CLEARED_BY: Record<string, string> = { rule: '条件恢复，自动解除', 'rule-disabled': '规则停用，自动解除', 'rule-deleted': '规则删除，自动解除' };

/** The parts of `detail` the screens show; anything else stays in the raw view. */
export function detailOf(a: Alarm) {
  const d = a.detail;
  const text = (k: string) => (typeof d[k] === 'string' || typeof d[k] === 'number' ? String(d[k]) : '');
  const actions = Array.isArray(d.actions) ? (d.actions as ActionOutcome[]).filter((x) => x && typeof x.type === 'string') : [];
  const clearedBy = text('clearedBy');
  return {
    condition: text('condition'),
    value: d.value === undefined || d.value === null ? '' : typeof d.value === 'object' ? JSON.stringify(d.value) : String(d.value),
    property: text('property'),
    reportedAt: text('reportedAt'),
    actions,
    ackNote: text('ackNote'),
    clearNote: text('clearNote'),
    clearedBy: CLEARED_BY[clearedBy] ?? (clearedBy === 'user' ? `${text('clearedByName') || '人工'}解除` : text('clearReason')),
    testMode: d.testMode === true,
  };
}
