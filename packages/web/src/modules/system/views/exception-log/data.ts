import type { ExceptionLog } from '@cityops/contracts';
import type { SearchField, TableColumn } from '@/components/crud/types';
import type { ExceptionSearch } from '../../api';
import { formatDateTime } from '@/utils/format';
import type { ChartOption } from '@/utils/echarts';

export const createSearch = (): ExceptionSearch => ({ id: '', range: null });

export const searchFields: SearchField[] = [
  { prop: 'id', label: '异常ID', type: 'input', placeholder: '请输入异常ID', width: 260, maxlength: 64 },
  { prop: 'range', label: '发生时间', type: 'datetimerange' },
];

export const columns: TableColumn<ExceptionLog>[] = [
  { prop: 'at', label: '时间', width: 170, format: (r) => formatDateTime(r.at) },
  { prop: 'id', label: '异常ID', width: 220, slot: 'mono' },
  { prop: 'type', label: '类型', width: 160, tooltip: true },
  { prop: 'url', label: '请求', minWidth: 260, slot: 'request' },
  { prop: 'message', label: '消息', minWidth: 280, tooltip: true },
  { prop: 'requestId', label: '请求ID', width: 220, slot: 'mono' },
  { prop: 'username', label: '操作人', width: 120, tooltip: true },
];

/** Bars of exceptions per day ('YYYY-MM-DD' buckets). */
export function dailyOption(days: string[], counts: number[]): ChartOption {
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true },
    grid: { left: 8, right: 16, top: 24, bottom: 4, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    xAxis: { type: 'category', data: days.map((d) => d.slice(5)), axisTick: { alignWithLabel: true } },
    yAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { type: 'dashed' } } },
    series: [
      {
        name: '异常次数',
        type: 'bar',
        data: counts,
        barMaxWidth: 40,
        itemStyle: { color: '#f56c6c', borderRadius: [4, 4, 0, 0] },
        label: { show: true, position: 'top', formatter: (p: { value: unknown }) => (Number(p.value) ? String(p.value) : '') },
      },
    ],
  };
}

/** A line of exceptions per hour ('YYYY-MM-DD HH:00' buckets), the peak marked by its height. */
export function hourlyOption(hours: string[], counts: number[]): ChartOption {
  return {
    tooltip: { trigger: 'axis', confine: true, formatter: (ps: unknown) => {
      const p = (ps as { dataIndex: number; value: number }[])[0];
      return p ? `${hours[p.dataIndex]}<br/>异常次数：<b>${p.value}</b>` : '';
    } },
    grid: { left: 8, right: 16, top: 24, bottom: 4, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    xAxis: { type: 'category', boundaryGap: false, data: hours.map((h) => h.slice(11)), axisLabel: { interval: 2 } },
    yAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { type: 'dashed' } } },
    series: [
      {
        name: '异常次数',
        type: 'line',
        data: counts,
        symbolSize: 6,
        itemStyle: { color: '#e6a23c' },
        areaStyle: { color: 'rgba(230, 162, 60, 0.18)' },
      },
    ],
  };
}
