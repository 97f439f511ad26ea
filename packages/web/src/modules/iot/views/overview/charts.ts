import { DEVICE_STATUS_LABELS, type IotOverview } from '@cityops/contracts';
import { CHART_COLORS, type ChartOption } from '@/utils/echarts';
import { STATUS_COLORS } from '../../components/labels';

const pad = (n: number) => String(n).padStart(2, '0');
const hm = (iso: string) => {
  const d = new Date(iso);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
const valueAxis = { type: 'value' as const, minInterval: 1, splitLine: { lineStyle: { type: 'dashed' as const } } };
const grid = { left: 8, right: 16, top: 36, bottom: 4, containLabel: true };

/** 近一小时消息速率: up-link messages per minute. */
export function rateOption(o: IotOverview): ChartOption {
  return {
    tooltip: { trigger: 'axis', confine: true, valueFormatter: (v: unknown) => `${String(v)} 条/分钟` },
    grid,
    xAxis: { type: 'category', boundaryGap: false, data: o.ratePerMinute.map((r) => hm(r.minute)) },
    yAxis: { ...valueAxis, name: '条/分钟' },
    series: [
      {
        name: '上行消息',
        type: 'line',
        symbol: 'none',
        data: o.ratePerMinute.map((r) => r.count),
        itemStyle: { color: CHART_COLORS[0] },
        areaStyle: { opacity: 0.15 },
      },
    ],
  };
}

/** 各镇街设备: online and the rest, stacked, per town. */
export function regionOption(o: IotOverview): ChartOption {
  const rows = o.byRegion;
  const crowded = rows.length > 10;
  return {
    tooltip: { trigger: 'axis', confine: true, axisPointer: { type: 'shadow' } },
    legend: { top: 0, itemWidth: 14, itemHeight: 10 },
    grid: { ...grid, bottom: crowded ? 8 : 4 },
    xAxis: {
      type: 'category',
      data: rows.map((r) => r.name),
      axisTick: { alignWithLabel: true },
      axisLabel: { interval: 0, rotate: crowded ? 30 : 0 },
    },
    yAxis: valueAxis,
    series: [
      { name: '在线', type: 'bar', stack: 'd', barMaxWidth: 24, data: rows.map((r) => r.online), itemStyle: { color: STATUS_COLORS.online } },
      { name: '未在线', type: 'bar', stack: 'd', barMaxWidth: 24, data: rows.map((r) => r.total - r.online), itemStyle: { color: '#c0c4cc' } },
    ],
  };
}

/** 设备状态分布: a ring of online / offline / inactive / disabled. */
export function statusOption(o: IotOverview): ChartOption {
  const keys = ['online', 'offline', 'inactive', 'disabled'] as const;
  return {
    tooltip: { trigger: 'item', confine: true, formatter: '{b}：{c} 台（{d}%）' },
    legend: { bottom: 0, itemWidth: 12, itemHeight: 10 },
    series: [
      {
        name: '设备状态',
        type: 'pie',
        radius: ['45%', '70%'],
        center: ['50%', '45%'],
        avoidLabelOverlap: true,
        label: { formatter: '{b}\n{c}' },
        // Empty slices would only crowd the labels.
        data: keys.filter((k) => o.devices[k] > 0).map((k) => ({ name: DEVICE_STATUS_LABELS[k], value: o.devices[k], itemStyle: { color: STATUS_COLORS[k] } })),
      },
    ],
  };
}
