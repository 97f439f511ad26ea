import type { CountSeries, OpLog, OpLogStats } from '@cityops/contracts';
import type { SearchField, TableColumn } from '@/components/crud/types';
import type { OplogSearch } from '../../api';
import { formatDateTime } from '@/utils/format';
import { CHART_COLORS, type ChartOption } from '@/utils/echarts';

/** Operation types the server records. */
export const OPLOG_TYPES = ['新增', '修改', '删除', '启用', '禁用', '解锁', '重置密码', '授权', '导入', '导出', '登录', '登出', '其他'] as const;

type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info';

/** Tag colour per operation type. */
export const OPLOG_TYPE_TAGS: Record<string, TagType> = {
  新增: 'success',
  修改: 'warning',
  删除: 'danger',
  启用: 'success',
  禁用: 'info',
  解锁: 'success',
  重置密码: 'warning',
  授权: 'primary',
  导入: 'primary',
  导出: 'primary',
  登录: 'primary',
  登出: 'info',
  其他: 'info',
};

/** Chart colour per operation type, so that a type keeps its colour from day to day and chart to chart. */
const TYPE_COLORS: Record<string, string> = {
  新增: '#67c23a',
  修改: '#e6a23c',
  删除: '#f56c6c',
  登录: '#409eff',
  登出: '#909399',
  启用: '#13c2c2',
  禁用: '#fa8c16',
  解锁: '#52c41a',
  重置密码: '#d48806',
  授权: '#7b61ff',
  导入: '#2f54eb',
  导出: '#eb2f96',
  其他: '#b1b3b8',
};

export const createSearch = (): OplogSearch => ({ username: '', type: '', range: null });

export const searchFields: SearchField[] = [
  { prop: 'username', label: '操作人', type: 'input', placeholder: '请输入操作人账号', maxlength: 64 },
  { prop: 'type', label: '操作类型', type: 'select', options: OPLOG_TYPES.map((t) => ({ label: t, value: t })) },
  { prop: 'range', label: '操作时间', type: 'datetimerange' },
];

/** The same columns, in the same order, as the Excel export. */
export const columns: TableColumn<OpLog>[] = [
  { prop: 'at', label: '操作时间', width: 166, format: (r) => formatDateTime(r.at) },
  { prop: 'username', label: '操作人', width: 110, tooltip: true },
  { prop: 'orgName', label: '机构', minWidth: 130, tooltip: true },
  { prop: 'type', label: '操作类型', width: 90, align: 'center', slot: 'type' },
  { prop: 'url', label: '请求', minWidth: 200, slot: 'request' },
  { prop: 'subjectType', label: '影响主体类型', width: 116, tooltip: true },
  { prop: 'subjectName', label: '影响主体名称', minWidth: 140, tooltip: true },
  { prop: 'content', label: '操作内容', minWidth: 160, tooltip: true },
  { prop: 'status', label: '状态', width: 72, align: 'center', slot: 'status' },
  { prop: 'durationMs', label: '耗时(ms)', width: 90, align: 'right' },
  { prop: 'ip', label: 'IP', width: 120, tooltip: true },
  { prop: 'requestId', label: '请求ID', width: 120, tooltip: true, slot: 'mono' },
];

/** 'YYYY-MM-DD' → 'MM-DD' for the axis. */
const shortDay = (d: string) => d.slice(5);

/** Stacked bars: one bar per day, one stack segment per series. */
export function stackedDailyBars(days: string[], series: CountSeries[], colorOf?: (name: string, i: number) => string | undefined): ChartOption {
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true },
    legend: { type: 'scroll', top: 0, left: 0, right: 0, itemWidth: 14, itemHeight: 10 },
    grid: { left: 8, right: 16, top: 40, bottom: 4, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    xAxis: { type: 'category', data: days.map(shortDay), axisTick: { alignWithLabel: true } },
    yAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { type: 'dashed' } } },
    series: series.map((s, i) => ({
      name: s.name,
      type: 'bar',
      stack: 'total',
      data: s.data,
      barMaxWidth: 40,
      emphasis: { focus: 'series' },
      itemStyle: { color: colorOf?.(s.name, i) ?? CHART_COLORS[i % CHART_COLORS.length] },
    })),
  };
}

export const typeChartOption = (stats: OpLogStats) => stackedDailyBars(stats.days, stats.byType, (name) => TYPE_COLORS[name]);
export const subjectChartOption = (stats: OpLogStats) => stackedDailyBars(stats.days, stats.bySubjectType);
