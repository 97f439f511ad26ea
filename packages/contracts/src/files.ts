import { z } from 'zod';
import { defineEndpoint } from './endpoint.js';
import { FileDownload, IdParams, IsoDateTime } from './common.js';

/** An uploaded file as other records reference it (by id). */
export const FileInfo = z.object({
  id: z.string(),
  name: z.string(),
  mime: z.string(),
  size: z.number().int(),
  createdAt: IsoDateTime,
  /** Where the browser downloads or previews it. */
  url: z.string(),
});
export type FileInfo = z.infer<typeof FileInfo>;

/** Ids of uploaded files an operation attaches (upload first, then reference). */
export const FileIds = z.array(z.string().uuid('附件标识无效')).max(20, '一次最多 20 个附件').default([]);

export const fileEndpoints = {
  fileUpload: defineEndpoint({
    method: 'POST', path: '/api/files', summary: '上传附件（multipart/form-data，字段 file；音视频、图片、WPS、Word、ODF、PDF 等）', tags: ['files'],
    access: 'authenticated', response: FileInfo,
  }),
  fileDownload: defineEndpoint({
    method: 'GET', path: '/api/files/:id', summary: '下载或预览附件（支持 Range）', tags: ['files'],
    access: 'authenticated', file: true, params: IdParams, query: z.object({ download: z.enum(['0', '1']).optional() }), response: FileDownload,
  }),
};
