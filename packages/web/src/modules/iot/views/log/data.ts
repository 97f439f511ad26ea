import type { FormItemRule } from 'element-plus';
import {
  ACCESS_STATUS_CLASSES,
  ACCESS_STATUS_CLASS_LABELS,
  LOG_LEVELS,
  LOG_LEVEL_LABELS,
  type AccessLogQuery,
  type LogAlert,
  type LogAlertBody,
  type LogLevel,
  type SystemLogQuery,
} from '@cityops/contracts';
import { rangeToQuery } from '@/utils/format';

type TagType = 'success' | 'warning' | 'danger' | 'info' | 'primary';

export const STATUS_CLASS_OPTIONS = ACCESS_STATUS_CLASSES.map((c) => ({ value: c, label: ACCESS_STATUS_CLASS_LABELS[c] }));
export const LEVEL_OPTIONS = LOG_LEVELS.map((l) => ({ value: l, label: `${LOG_LEVEL_LABELS[l]}（${l.toUpperCase()}）` }));

export const LEVEL_TAGS: Record<LogLevel, { type: TagType; effect: 'dark' | 'light' | 'plain' }> = {
  fatal: { type: 'danger', effect: 'dark' },
  error: { type: 'danger', effect: 'light' },
  warn: { type: 'warning', effect: 'light' },
  info: { type: 'primary', effect: 'plain' },
  debug: { type: 'info', effect: 'plain' },
  trace: { type: 'info', effect: 'plain' },
};

export const statusTag = (status: number): TagType => (status >= 500 ? 'danger' : status >= 400 ? 'warning' : status >= 300 ? 'info' : 'success');

// ----- 访问日志 -----

export interface AccessSearch {
  ip: string;
  path: string;
  username: string;
  statusClass: NonNullable<AccessLogQuery['statusClass']> | '';
  range: [Date, Date] | null;
}

export const createAccessSearch = (): AccessSearch => ({ ip: '', path: '', username: '', statusClass: '', range: null });

export const accessFilter = (s: AccessSearch) => ({
  ip: s.ip.trim() || undefined,
  path: s.path.trim() || undefined,
  username: s.username.trim() || undefined,
  statusClass: s.statusClass || undefined,
  ...rangeToQuery(s.range),
});

// ----- 系统日志 -----

export interface SystemSearch {
  level: NonNullable<SystemLogQuery['level']> | '';
  logger: string;
  service: string;
  keyword: string;
  range: [Date, Date] | null;
}

export const createSystemSearch = (): SystemSearch => ({ level: '', logger: '', service: '', keyword: '', range: null });

export const systemFilter = (s: SystemSearch) => ({
  level: s.level || undefined,
  logger: s.logger.trim() || undefined,
  service: s.service.trim() || undefined,
  keyword: s.keyword.trim() || undefined,
  ...rangeToQuery(s.range),
});

// ----- 告警策略 -----

export interface AlertForm {
  name: string;
  level: LogLevel;
  logger: string;
  threshold: number;
  windowSeconds: number;
  roleCodes: string[];
  enabled: boolean;
}

export const createAlertForm = (): AlertForm => ({ name: '', level: 'error', logger: '', threshold: 5, windowSeconds: 300, roleCodes: [], enabled: true });

export const alertFormOf = (a: LogAlert): AlertForm => ({
  name: a.name, level: a.level, logger: a.logger, threshold: a.threshold, windowSeconds: a.windowSeconds, roleCodes: [...a.roleCodes], enabled: a.enabled,
});

export const alertBodyOf = (f: AlertForm): LogAlertBody => ({ ...f, name: f.name.trim(), logger: f.logger.trim() });

export const alertRules: Partial<Record<keyof AlertForm, FormItemRule[]>> = {
  name: [{ required: true, whitespace: true, message: '请输入策略名称', trigger: 'blur' }, { max: 50, message: '策略名称不能超过 50 个字', trigger: 'blur' }],
  level: [{ required: true, message: '请选择日志级别', trigger: 'change' }],
  threshold: [{ required: true, type: 'number', message: '请输入次数', trigger: 'blur' }],
  windowSeconds: [{ required: true, type: 'number', message: '请输入时间窗口', trigger: 'blur' }],
  roleCodes: [{ type: 'array', required: true, min: 1, message: '请至少选择一个通知角色', trigger: 'change' }],
};

/** 「5 分钟内 错误及以上 ≥ 10 条」. */
export function describeAlert(a: Pick<LogAlert, 'level' | 'threshold' | 'windowSeconds' | 'logger'>): string {
  const w = a.windowSeconds % 3600 === 0 ? `${a.windowSeconds / 3600} 小时` : a.windowSeconds % 60 === 0 ? `${a.windowSeconds / 60} 分钟` : `${a.windowSeconds} 秒`;
  return `${w}内${a.logger ? `「${a.logger}」的` : ''}${LOG_LEVEL_LABELS[a.level]}及以上日志达到 ${a.threshold} 条`;
}
