import { PARAM, type ParamValueType } from '@cityops/contracts';
import type { Db } from '../../../core/db.js';
import { paramRepository } from '../param.repository.js';

export interface ParamDefinition {
  code: string;
  name: string;
  defaultValue: string;
  description: string;
  valueType: ParamValueType;
  /** Integer bounds (inclusive). */
  min?: number;
  max?: number;
  unit?: string;
  /** Longest text value. */
  maxLength?: number;
}

/**
 * Parameters the platform reads at run time (`paramService.get`). Seeded on every start: the value
 * an administrator set is kept; name, default and description follow the code.
 */
export const BUILTIN_PARAMS: ParamDefinition[] = [
  {
    code: PARAM.systemName, name: '平台名称', defaultValue: '崇州市城市运行管理平台', valueType: 'text', maxLength: 40,
    description: '显示在登录页、页面标题和导出文件中的平台名称',
  },
  {
    code: PARAM.oplogRetentionDays, name: '操作日志保留天数', defaultValue: '180', valueType: 'integer', min: 180, max: 3650, unit: '天',
    description: '操作日志至少保留的天数，超过后方可归档清理；按等级保护要求不少于 180 天',
  },
  {
    code: PARAM.uploadMaxMb, name: '附件大小上限', defaultValue: '50', valueType: 'integer', min: 1, max: 2048, unit: 'MB',
    description: '单个上传附件（图片、视频、文档）允许的最大体积',
  },
  {
    code: PARAM.eventDefaultTimeLimitHours, name: '事件默认办理时限', defaultValue: '72', valueType: 'integer', min: 1, max: 8760, unit: '小时',
    description: '事件派发时未指定办理时限的，按此时限计算截止时间',
  },
  {
    code: 'event.work_hours', name: '工作时间', defaultValue: '09:00-12:00,13:30-17:30', valueType: 'text', maxLength: 100,
    description: '每个工作日的上班时段，多个时段用逗号分隔；按工作日、工作小时计算的办理时限只计这些时段。格式不正确时按默认值计算',
  },
];

export const builtinParam = (code: string) => BUILTIN_PARAMS.find((p) => p.code === code);

export async function seedParams(db: Db) {
  const repo = paramRepository(db);
  for (const p of BUILTIN_PARAMS) await repo.ensure({ code: p.code, name: p.name, defaultValue: p.defaultValue, description: p.description });
}
