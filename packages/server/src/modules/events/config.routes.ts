import type { FastifyInstance } from 'fastify';
import { endpoints } from '@cityops/contracts';
import { route } from '../../core/http.js';
import type { CalendarService } from './calendar.service.js';
import type { EventTypeService } from './event-type.service.js';

/** 事件清单 (types and their time limits) and 工作日历 (holidays, 调休), plus the deadline preview. */
export function eventConfigRoutes(app: FastifyInstance, d: { types: EventTypeService; calendar: CalendarService }) {
  route(app, endpoints.eventTypes, ({ query }) => d.types.list(query.all === 'true'));

  route(app, endpoints.eventTypeUpdate, async ({ params, body, req }) => {
    const before = await d.types.get(params.code);
    req.audit = { type: '修改', subjectType: '事件类型', subjectName: before ? `${before.name}（${params.code}）` : params.code };
    return d.types.update(params.code, body);
  });

  route(app, endpoints.calendarDays, ({ query }) => d.calendar.listYear(query.year));

  route(app, endpoints.calendarDayUpsert, ({ params, body, req }) => {
    req.audit = {
      type: '修改', subjectType: '工作日历', subjectName: params.date,
      content: `${body.workday ? '调休上班' : '节假日'}：${body.name}`,
    };
    return d.calendar.upsert(params.date, body);
  });

  route(app, endpoints.calendarDayDelete, async ({ params, req }) => {
    req.audit = { type: '删除', subjectType: '工作日历', subjectName: params.date };
    const removed = await d.calendar.remove(params.date);
    req.audit = { ...req.audit, content: `恢复为默认（原为${removed.workday ? '调休上班' : '节假日'}：${removed.name}）` };
    return { ok: true as const };
  });

  route(app, endpoints.deadlinePreview, ({ query }) =>
    d.calendar.preview(query.from, { value: query.limitValue, unit: query.limitUnit, warnRatio: query.warnRatio }));
}
