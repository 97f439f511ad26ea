import type { FastifyInstance } from 'fastify';
import { endpoints } from '@cityops/contracts';
import { route } from '../../core/http.js';
import type { CommandService } from './command.service.js';

const SUBJECT = '设备指令';

export function commandRoutes(app: FastifyInstance, d: { commands: CommandService }) {
  route(app, endpoints.iotPropertySet, async ({ user, params, body, req }) => {
    req.audit = { type: '属性设置', subjectType: SUBJECT, subjectName: await d.commands.deviceLabel(params.id), content: JSON.stringify(body.params).slice(0, 1000) };
    return d.commands.setProperties(user, params.id, body);
  });
  route(app, endpoints.iotServiceCall, async ({ user, params, body, req }) => {
    req.audit = { type: '服务调用', subjectType: SUBJECT, subjectName: `${await d.commands.deviceLabel(params.id)} ${params.identifier}`, content: JSON.stringify(body.params).slice(0, 1000) };
    return d.commands.callService(user, params.id, params.identifier, body);
  });
  route(app, endpoints.iotDeviceCommands, ({ params, query }) => d.commands.list(params.id, query));
  route(app, endpoints.iotCommand, ({ params }) => d.commands.get(params.id));
}
