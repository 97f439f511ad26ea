import type { LatestValue, PropertyHistory } from '@cityops/contracts';
import { CHART_COLORS, type ChartOption } from '@/utils/echarts';

const pad = (n: number) => String(n).padStart(2, '0');
/** 'MM-DD HH:mm', with seconds when the buckets are shorter than a minute. */
function label(iso: string, seconds: boolean) {
  const d = new Date(iso);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}${seconds ? `:${pad(d.getSeconds())}` : ''}`;
  return `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}`;
}

const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null);

/**
 * A property's history as a line: raw reports, or per bucket the average with the min–max band
 * around it (two stacked areas: the transparent minimum, then max − min filled).
 */
export function historyOption(h: PropertyHistory, prop: Pick<LatestValue, 'type' | 'labels'>): ChartOption {
  const unit = h.unit ? ` ${h.unit}` : '';
  const grid = { left: 8, right: 24, top: 40, bottom: 8, containLabel: true };
  const labels = prop.labels;
  const stepped = prop.type === 'bool' || prop.type === 'enum';

  if (h.bucketSeconds !== null && h.numeric && !stepped) {
    const x = h.points.map((p) => label(p.ts, h.bucketSeconds! < 60));
    const min = h.points.map((p) => p.min);
    const band = h.points.map((p) => (p.max !== null && p.min !== null ? Number((p.max - p.min).toFixed(6)) : null));
    return {
      tooltip: {
        trigger: 'axis',
        confine: true,
        formatter: (params: unknown) => {
          const i = (params as { dataIndex: number }[])[0]?.dataIndex ?? 0;
          const p = h.points[i];
          if (!p) return '';
          const f = (v: number | null) => (v === null ? '—' : `${Number(v.toFixed(4))}${unit}`);
          return `${x[i]}（${p.count} 条）<br/>平均：${f(p.avg)}<br/>最大：${f(p.max)}<br/>最小：${f(p.min)}`;
        },
      },
      legend: { top: 0, data: ['平均值', '最小–最大'], itemWidth: 14, itemHeight: 10 },
      grid,
      xAxis: { type: 'category', data: x, boundaryGap: false },
      yAxis: { type: 'value', scale: true, name: h.unit ?? '', splitLine: { lineStyle: { type: 'dashed' } } },
      series: [
        { name: '最小', type: 'line', data: min, stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, tooltip: { show: false } },
        { name: '最小–最大', type: 'line', data: band, stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { color: CHART_COLORS[0], opacity: 0.18 }, itemStyle: { color: CHART_COLORS[0] } },
        { name: '平均值', type: 'line', data: h.points.map((p) => p.avg), symbol: 'none', smooth: true, itemStyle: { color: CHART_COLORS[0] }, lineStyle: { width: 2 } },
      ],
    };
  }

  // Raw reports come at irregular times: a time axis keeps their spacing true.
  const data = h.points.map((p) => [new Date(p.ts).getTime(), num(p.value)] as [number, number | null]);
  const yAxis: Record<string, unknown> = { type: 'value', scale: !stepped, name: h.unit ?? '', splitLine: { lineStyle: { type: 'dashed' } } };
  if (stepped) yAxis.minInterval = 1;
  if (stepped && labels) yAxis.axisLabel = { formatter: (v: number) => labels[String(v)] ?? String(v) };
  const series: Record<string, unknown> = {
    name: h.name,
    type: 'line',
    data,
    symbol: h.points.length > 120 ? 'none' : 'circle',
    symbolSize: 5,
    itemStyle: { color: CHART_COLORS[0] },
  };
  if (stepped) series.step = 'end';
  else series.areaStyle = { opacity: 0.08 };
  return {
    tooltip: {
      trigger: 'axis',
      confine: true,
      valueFormatter: (v: unknown) => {
        if (v === null || v === undefined) return '—';
        return stepped && labels ? `${labels[String(v)] ?? v}（${String(v)}）` : `${String(v)}${unit}`;
      },
    },
    grid,
    xAxis: { type: 'time', min: new Date(h.from).getTime(), max: new Date(h.to).getTime() },
    yAxis,
    series: [series],
  } as ChartOption;
}
