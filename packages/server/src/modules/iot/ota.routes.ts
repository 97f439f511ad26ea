import type { FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import { endpoints } from '@cityops/contracts';
import { route } from '../../core/http.js';
import { Invalid } from '../../core/errors.js';
import { contentDisposition } from '../files/file.routes.js';
import { RangeNotSatisfiable } from '../files/file.service.js';
import type { FirmwareService } from './firmware.service.js';
import type { OtaService } from './ota.service.js';

const FIRMWARE = '固件';
const TASK = '升级任务';

export function otaRoutes(app: FastifyInstance, d: { firmware: FirmwareService; ota: OtaService; maxBytes: number }) {
  route(app, endpoints.iotFirmwareList, ({ query }) => d.firmware.list(query));
  route(app, endpoints.iotFirmwareCreate, ({ body, req }) => {
    req.audit = { type: '新增', subjectType: FIRMWARE, subjectName: `${body.name} ${body.version}` };
    return d.firmware.create(body);
  });
  route(app, endpoints.iotFirmwareDelete, async ({ params, req }) => {
    req.audit = { type: '删除', subjectType: FIRMWARE, subjectName: params.id };
    const f = await d.firmware.remove(params.id);
    req.audit = { type: '删除', subjectType: FIRMWARE, subjectName: `${f.name} ${f.version}` };
    return { ok: true as const };
  });

  // Uploads and device downloads: their own scope, with the multipart parser uploads need.
  void app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: d.maxBytes + 1, files: 1, fields: 10, fieldSize: 64 * 1024, parts: 20 } });
    route(scope, endpoints.iotFirmwareUpload, async ({ user, req }) => {
      if (!req.isMultipart()) throw new Invalid('请以 multipart/form-data 格式上传固件包（字段 file）');
      const part = await req.file().catch(() => {
        throw new Invalid('上传内容不完整或格式不正确，请重新上传');
      });
      if (!part || part.fieldname !== 'file') {
        part?.file.resume();
        throw new Invalid('请选择要上传的固件包（字段 file）');
      }
      const info = await d.firmware.upload(user, { name: part.filename, stream: part.file });
      req.audit = { type: '上传', subjectType: '固件包', subjectName: info.name, content: `${info.size} 字节，标识 ${info.id}` };
      return info;
    });
  });

  route(app, endpoints.iotFirmwareDownload, async ({ params, query, req, reply }) => {
    const opened = await d.firmware.download(params.id, query.token, req.headers.range, req.ip).catch((err: unknown) => {
      if (err instanceof RangeNotSatisfiable) reply.header('content-range', `bytes */${err.size}`);
      throw err;
    });
    const { file, range, stream } = opened;
    reply
      .header('content-type', 'application/octet-stream')
      .header('content-disposition', contentDisposition('attachment', opened.name))
      .header('x-content-type-options', 'nosniff')
      .header('accept-ranges', 'bytes')
      .header('cache-control', 'private, no-store');
    if (range) reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${file.size}`).header('content-length', range.end - range.start + 1);
    else reply.header('content-length', file.size);
    return reply.send(stream);
  });

  route(app, endpoints.iotOtaTasks, ({ query }) => d.ota.list(query));
  route(app, endpoints.iotOtaTask, ({ params }) => d.ota.get(params.id));
  route(app, endpoints.iotOtaTaskDevices, ({ params, query }) => d.ota.devices(params.id, query));
  route(app, endpoints.iotOtaTaskCreate, ({ user, body, req }) => {
    req.audit = { type: '新增', subjectType: TASK, subjectName: body.name };
    return d.ota.create(user, body);
  });
  route(app, endpoints.iotOtaTaskCancel, async ({ params, req }) => {
    const t = await d.ota.cancel(params.id);
    req.audit = { type: '取消', subjectType: TASK, subjectName: t.name };
    return t;
  });
  route(app, endpoints.iotOtaTaskRetry, async ({ params, body, req }) => {
    const t = await d.ota.retry(params.id, body);
    req.audit = { type: '重试', subjectType: TASK, subjectName: t.name };
    return t;
  });
}
