import type { FastifyInstance } from 'fastify';
import { endpoints } from '@cityops/contracts';
import { sendXlsx, toXlsx } from '../../core/excel.js';
import { route } from '../../core/http.js';
import { listNames } from '../../core/text.js';
import { DEVICE_EXPORT_COLUMNS, deviceImportTemplate, importDevices } from './device-excel.js';
import type { DeviceService } from './device.service.js';
import type { LocalDirectory } from './device-directory.js';

const SUBJECT = '物联设备';
/** The Excel export stops here (the filters narrow it). */
export const DEVICE_EXPORT_LIMIT = 50_000;

const cst = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '');

/** 设备管理: registry, lifecycle, credentials, Excel import/export and the map. */
export function deviceRoutes(
  app: FastifyInstance,
  d: { devices: DeviceService; directory: LocalDirectory; orgIdsByCode: (codes: string[]) => Promise<Map<string, string>> },
) {
  const names = async (ids: string[]) => listNames(await d.devices.names(ids));

  route(app, endpoints.iotDevices, ({ user, query }) => d.devices.list(user, query));
  route(app, endpoints.iotDeviceMap, ({ user, query }) => d.devices.map(user, query));
  route(app, endpoints.iotDevice, ({ user, params }) => d.devices.get(user, params.id));
  route(app, endpoints.iotOrgOptions, ({ user, query }) => d.devices.orgOptions(user, query.keyword));

  route(app, endpoints.iotExportDevices, async ({ user, query, reply }) => {
    const rows = await d.devices.exportRows(user, query, DEVICE_EXPORT_LIMIT + 1);
    const truncated = rows.length > DEVICE_EXPORT_LIMIT;
    const body = await toXlsx('设备列表', DEVICE_EXPORT_COLUMNS, rows.slice(0, DEVICE_EXPORT_LIMIT), {
      notes: [
        ['导出人', `${user.name}（${user.username}）`],
        ['导出时间', new Date().toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })],
        ['行数', truncated ? `前 ${DEVICE_EXPORT_LIMIT} 行（结果更多，请缩小查询条件）` : String(rows.length)],
      ],
    });
    reply.header('x-export-truncated', String(truncated));
    return sendXlsx(reply, `设备列表-${cst(new Date())}.xlsx`, body);
  });

  route(app, endpoints.iotDeviceImportTemplate, async ({ reply }) => sendXlsx(reply, '设备导入模板.xlsx', await deviceImportTemplate()));

  route(app, endpoints.iotImportDevices, async ({ user, body, req }) => {
    req.audit = { type: '导入', subjectType: SUBJECT, subjectName: body.fileName, content: `文件 ${body.fileName}` };
    const result = await importDevices(d, await d.devices.scopeOf(user), Buffer.from(body.content, 'base64'));
    req.audit.content = `文件 ${body.fileName}：成功 ${result.succeeded} 行，失败 ${result.failed} 行`;
    return result;
  });

  route(app, endpoints.iotCreateDevice, ({ user, body, req }) => {
    req.audit = { type: '新增', subjectType: SUBJECT, subjectName: body.name };
    return d.devices.create(user, body);
  });
  route(app, endpoints.iotUpdateDevice, ({ user, params, body, req }) => {
    req.audit = { type: '修改', subjectType: SUBJECT, subjectName: body.name };
    return d.devices.update(user, params.id, body);
  });

  route(app, endpoints.iotEnableDevices, async ({ user, body, req }) => {
    req.audit = { type: '启用', subjectType: SUBJECT, subjectName: await names(body.ids) };
    return d.devices.setEnabled(user, body.ids, true);
  });
  route(app, endpoints.iotDisableDevices, async ({ user, body, req }) => {
    req.audit = { type: '禁用', subjectType: SUBJECT, subjectName: await names(body.ids) };
    return d.devices.setEnabled(user, body.ids, false);
  });
  route(app, endpoints.iotDeregisterDevices, async ({ user, body, req }) => {
    req.audit = { type: '注销', subjectType: SUBJECT, subjectName: await names(body.ids) };
    return d.devices.deregister(user, body.ids);
  });

  route(app, endpoints.iotRevealDeviceSecret, async ({ user, params, req }) => {
    const { secret, name } = await d.devices.revealSecret(user, params.id);
    req.audit = { type: '查看密钥', subjectType: SUBJECT, subjectName: name };
    return { secret };
  });
  route(app, endpoints.iotResetDeviceSecret, async ({ user, params, req }) => {
    const { secret, name } = await d.devices.resetSecret(user, params.id);
    req.audit = { type: '重置密钥', subjectType: SUBJECT, subjectName: name };
    return { secret };
  });
}
