import type { FastifyInstance } from 'fastify';
import { endpoints } from '@cityops/contracts';
import { sendXlsx, toXlsx } from '../../core/excel.js';
import { route } from '../../core/http.js';
import type { OverviewService } from './overview.service.js';
import type { TelemetryService } from './telemetry.service.js';
import type { TraceService } from './trace.service.js';

const time = (d: Date) => d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
const text = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : typeof v === 'number' ? v : String(v));

/** The read side of device data: latest values, history, events, the trace (消息追踪) and 物联概览. */
export function telemetryRoutes(app: FastifyInstance, d: { telemetry: TelemetryService; trace: TraceService; overview: OverviewService }) {
  route(app, endpoints.iotDeviceProperties, ({ user, params }) => d.telemetry.latest(user, params.id));
  route(app, endpoints.iotPropertyHistory, ({ user, params, query }) => d.telemetry.history(user, params.id, params.identifier, query));
  route(app, endpoints.iotDeviceEvents, ({ user, params, query }) => d.telemetry.events(user, params.id, query));

  route(app, endpoints.iotExportPropertyHistory, async ({ user, params, query, reply }) => {
    const r = await d.telemetry.exportRows(user, params.id, params.identifier, query);
    const unit = r.property.unit ? `（${r.property.unit}）` : '';
    const body = await toXlsx(
      '属性历史',
      [
        { header: '时间', width: 22, value: (x: (typeof r.rows)[number]) => time(x.ts) },
        { header: `${r.property.name}${unit}`, width: 20, value: (x: (typeof r.rows)[number]) => text(x.num ?? x.value) as string | number },
      ],
      r.rows,
      {
        notes: [
          ['设备', `${r.device.name}（${r.device.deviceKey}）`],
          ['属性', `${r.property.name}（${params.identifier}）`],
          ['时间范围', `${time(r.range.from)} 至 ${time(r.range.to)}`],
          ['行数', r.capped ? `前 ${r.rows.length} 行（数据更多，请缩小时间范围）` : String(r.rows.length)],
        ],
      },
    );
    return sendXlsx(reply, `${r.device.name}-${r.property.name}-历史数据.xlsx`, body);
  });

  route(app, endpoints.iotMessages, ({ user, query }) => d.trace.list(user, query));
  route(app, endpoints.iotMessage, ({ user, params }) => d.trace.get(user, params.id));

  route(app, endpoints.iotOverview, ({ user, query }) => d.overview.get(user, query));
}
