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

/**
 * The attachment types CityOps accepts, by kind: the one allow-list. The server refuses any other
 * extension and also checks each file's content against its extension (server
 * `modules/files/file-types.ts`); the web offers these in its file picker and picks icons by kind.
 */
export const FILE_KINDS = {
  image: ['jpg', 'jpeg', 'png', 'gif', 'bmp', 'webp'],
  audio: ['mp3', 'wav', 'amr', 'm4a', 'aac', 'ogg'],
  video: ['mp4', 'mov', 'avi', 'wmv', 'flv', 'mkv', 'webm', '3gp'],
  document: ['pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'wps', 'et', 'dps', 'odt', 'ods', 'odp', 'ofd', 'txt'],
} as const;
export type FileKind = keyof typeof FILE_KINDS;
export type FileExtension = (typeof FILE_KINDS)[FileKind][number];

/** Every allowed extension (lower case, without the dot), in the order of FILE_KINDS. */
export const FILE_EXTENSIONS: readonly FileExtension[] = Object.values(FILE_KINDS).flat();

/** The lower-case extension of a file name, without the dot ('' when there is none). */
export const fileExtension = (name: string): string => /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';

/** The kind of an allowed file by its name; null when its extension is not on the list. */
export function fileKind(name: string): FileKind | null {
  const ext = fileExtension(name);
  return (Object.keys(FILE_KINDS) as FileKind[]).find((k) => (FILE_KINDS[k] as readonly string[]).includes(ext)) ?? null;
}

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
