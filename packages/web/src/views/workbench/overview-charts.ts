import type { EventOverview } from '@cityops/contracts';
import { CHART_COLORS, type ChartOption } from '@/utils/echarts';

/** A rate (0…1) as '12.3%', or '—' when nothing was received. */
export const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

export interface Change {
  text: string;
  dir: 'up' | 'down' | 'flat' | 'none';
}

/** 同比 / 环比 of today against an earlier day: '+25.0%', '持平', or '—' when the earlier day had none. */
export function change(today: number, before: number): Change {
  if (before === 0) return today === 0 ? { text: '持平', dir: 'flat' } : { text: '—', dir: 'none' };
  const r = (today - before) / before;
  if (r === 0) return { text: '持平', dir: 'flat' };
  return { text: `${r > 0 ? '+' : ''}${(r * 100).toFixed(1)}%`, dir: r > 0 ? 'up' : 'down' };
}

/** '2026-01' → '2026年1月' on the axis where a year starts (and first), '2月' elsewhere. */
function monthLabels(months: string[]): string[] {
  return months.map((m, i) => {
    const [y, mm] = m.split('-');
    return i === 0 || mm === '01' ? `${y}年${Number(mm)}月` : `${Number(mm)}月`;
  });
}

const axisTooltip = { trigger: 'axis' as const, confine: true };
const valueAxis = { type: 'value' as const, minInterval: 1, splitLine: { lineStyle: { type: 'dashed' as const } } };
const grid = { left: 8, right: 16, top: 44, bottom: 4, containLabel: true };

/** 事件分类受理走势: a line per 大类 over the last 12 months. */
export function typeTrendOption(o: EventOverview): ChartOption {
  return {
    tooltip: { ...axisTooltip, order: 'valueDesc' },
    legend: { type: 'scroll', top: 0, left: 0, right: 0, itemWidth: 14, itemHeight: 10 },
    grid,
    xAxis: { type: 'category', boundaryGap: false, data: monthLabels(o.trend.months) },
    yAxis: valueAxis,
    series: o.trend.types.map((t, i) => ({
      name: t.name,
      type: 'line',
      smooth: true,
      smoothMonotone: 'x',
      symbolSize: 6,
      data: t.counts,
      emphasis: { focus: 'series' },
      itemStyle: { color: CHART_COLORS[i % CHART_COLORS.length] },
    })),
  };
}

/** 办理量月度趋势: received and closed per month. */
export function monthlyOption(o: EventOverview): ChartOption {
  return {
    tooltip: { ...axisTooltip, axisPointer: { type: 'shadow' } },
    legend: { top: 0, itemWidth: 14, itemHeight: 10 },
    grid,
    xAxis: { type: 'category', data: monthLabels(o.trend.months), axisTick: { alignWithLabel: true } },
    yAxis: valueAxis,
    series: [
      { name: '受理量', type: 'bar', data: o.trend.intake, barMaxWidth: 18, itemStyle: { color: CHART_COLORS[0] } },
      { name: '办结量', type: 'bar', data: o.trend.closed, barMaxWidth: 18, itemStyle: { color: CHART_COLORS[1] } },
    ],
  };
}

export interface AreaBar {
  name: string;
  intake: number;
  closed: number;
}

/** 区域办件情况: received and (of them) closed per 镇街 or village/community. */
export function areaOption(areas: AreaBar[]): ChartOption {
  const crowded = areas.length > 16;
  return {
    tooltip: { ...axisTooltip, axisPointer: { type: 'shadow' } },
    legend: { top: 0, itemWidth: 14, itemHeight: 10 },
    grid: { ...grid, bottom: crowded ? 8 : 4 },
    xAxis: {
      type: 'category',
      data: areas.map((a) => a.name),
      axisTick: { alignWithLabel: true },
      axisLabel: { interval: 0, rotate: crowded ? 30 : 0 },
    },
    yAxis: valueAxis,
    series: [
      { name: '受理', type: 'bar', data: areas.map((a) => a.intake), barMaxWidth: 22, itemStyle: { color: CHART_COLORS[0] } },
      { name: '已办结', type: 'bar', data: areas.map((a) => a.closed), barMaxWidth: 22, itemStyle: { color: CHART_COLORS[1] } },
    ],
  };
}
