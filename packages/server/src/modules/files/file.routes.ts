import type { FastifyInstance } from 'fastify';
import { endpoints } from '@cityops/contracts';
import { route } from '../../core/http.js';
import { Invalid } from '../../core/errors.js';
import { RangeNotSatisfiable, type FileService } from './file.service.js';

/** `inline` or `attachment` with the UTF-8 name (RFC 6266 / RFC 5987) and an ASCII fallback for old clients. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string) {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

export function fileRoutes(app: FastifyInstance, d: { files: FileService }) {
  route(app, endpoints.fileUpload, async ({ user, req }) => {
    if (!req.isMultipart()) throw new Invalid('请以 multipart/form-data 格式上传文件（字段 file）');
    const part = await req.file().catch(() => {
      throw new Invalid('上传内容不完整或格式不正确，请重新上传');
    });
    if (!part || part.fieldname !== 'file') {
      part?.file.resume();
      throw new Invalid('请选择要上传的文件（字段 file）');
    }
    req.audit = { type: '上传', subjectType: '附件', subjectName: part.filename };
    const info = await d.files.upload(user, { name: part.filename, stream: part.file });
    req.audit = { type: '上传', subjectType: '附件', subjectName: info.name, content: `${info.mime}，${info.size} 字节，标识 ${info.id}` };
    return info;
  });

  route(app, endpoints.fileDownload, async ({ params, query, req, reply }) => {
    const opened = await d.files.open(params.id, req.headers.range).catch((err: unknown) => {
      if (err instanceof RangeNotSatisfiable) reply.header('content-range', `bytes */${err.size}`);
      throw err;
    });
    const { file, range, stream } = opened;
    reply
      .header('content-type', file.mime)
      .header('content-disposition', contentDisposition(opened.inline && query.download !== '1' ? 'inline' : 'attachment', file.name))
      .header('x-content-type-options', 'nosniff')
      .header('accept-ranges', 'bytes')
      .header('cache-control', 'private, no-cache');
    if (range) {
      reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${file.size}`).header('content-length', range.end - range.start + 1);
    } else {
      reply.header('content-length', file.size);
    }
    return reply.send(stream);
  });
}
