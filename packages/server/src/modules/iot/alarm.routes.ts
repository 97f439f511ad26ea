import type { FastifyInstance } from 'fastify';
import { ALARM_EXPORT_LIMIT, endpoints } from '@cityops/contracts';
import { shanghaiDateTime } from '../../core/audit/buckets.js';
import { sendXlsx } from '../../core/excel.js';
import { route } from '../../core/http.js';
import type { AlarmService } from './alarm.service.js';

const ALARM = '物联告警';

/** 告警记录. */
export function alarmRoutes(app: FastifyInstance, d: { alarms: AlarmService }) {
  const s = d.alarms;

  route(app, endpoints.iotAlarms, ({ query, user }) => s.list(query, user));
  route(app, endpoints.iotAlarmExport, async ({ query, user, reply }) => {
    const at = new Date();
    const { body, total, rows } = await s.export(query, ALARM_EXPORT_LIMIT, { user, at });
    reply.header('x-export-total', String(total)).header('x-export-rows', String(rows));
    return sendXlsx(reply, `告警记录_${shanghaiDateTime(at).replace(/[-: ]/g, '').slice(0, 12)}.xlsx`, body);
  });
  route(app, endpoints.iotAlarm, ({ params, user }) => s.get(params.id, user));
  route(app, endpoints.iotAlarmAcknowledge, async ({ params, body, user, req }) => {
    req.audit = { type: '确认', subjectType: ALARM, subjectName: await s.title(params.id) };
    return s.acknowledge(params.id, user, body.note);
  });
  route(app, endpoints.iotAlarmClear, async ({ params, body, user, req }) => {
    req.audit = { type: '解除', subjectType: ALARM, subjectName: await s.title(params.id) };
    return s.clear(params.id, user, body.note);
  });
}
