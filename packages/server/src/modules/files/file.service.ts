import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { FILE_EXTENSIONS, fileExtension, type FileInfo } from '@cityops/contracts';
import type { DbOrTx } from '../../core/db.js';
import { AppError, Invalid, NotFound } from '../../core/errors.js';
import { isUuid } from '../../core/ids.js';
import type { Principal } from '../../core/principal.js';
import { allowedType, contentMatches, SIGNATURE_BYTES, type AllowedType } from './file-types.js';
import { fileRepository, type FileRow } from './file.repository.js';
import { parseRange } from './range.js';
import type { ByteRange, Storage } from './storage.js';
import { checkUpload } from './upload-stream.js';

export class FileTooLarge extends AppError {
  constructor(maxMb: number) {
    super(413, 'FILE_TOO_LARGE', `附件大小超过上限 ${maxMb} MB，请压缩或分开上传`);
  }
}

export class RangeNotSatisfiable extends AppError {
  constructor(readonly size: number) {
    super(416, 'RANGE_NOT_SATISFIABLE', '请求的内容范围超出了文件大小');
  }
}

export interface OpenedFile {
  file: FileInfo;
  /** Serve inline (images, audio, video, PDF) unless a download is asked for. */
  inline: boolean;
  /** Present when a Range asked for part of the file. */
  range?: ByteRange;
  stream: Readable;
}

const MAX_NAME = 200;

/** The name as the user sees it: no path, no control characters, at most 200 characters with its extension. */
function cleanName(raw: string): string {
  const name = (raw.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (name.length <= MAX_NAME) return name;
  const ext = fileExtension(name);
  return `${name.slice(0, MAX_NAME - ext.length - 1)}.${ext}`;
}

const toInfo = (r: FileRow): FileInfo => ({
  id: r.id,
  name: r.name,
  mime: r.mime,
  size: r.size,
  createdAt: r.createdAt.toISOString(),
  url: `/api/files/${r.id}`,
});

/**
 * 附件: checks and stores uploads (type by extension and content, size while streaming), describes
 * them for the records that reference them, and opens them for download.
 */
export function fileService(d: {
  db: DbOrTx;
  /** Where new uploads go. */
  storage: Storage;
  /** Further storages files may still live in (local disk after switching to S3). */
  readFrom?: Storage[];
  maxMb: number;
}) {
  const repo = fileRepository(d.db);
  const maxBytes = d.maxMb * 1024 * 1024;
  const storageOf = (kind: string) => {
    const s = [d.storage, ...(d.readFrom ?? [])].find((x) => x.kind === kind);
    if (!s) throw new NotFound('附件所在的存储未配置，请联系管理员');
    return s;
  };
  const removeQuietly = (key: string) => d.storage.remove(key).catch(() => undefined);

  return {
    maxBytes,

    /**
     * Stores one upload; nothing is kept (no row, no object) when it is refused or fails. `accept`
     * replaces the attachment allow-list for a module with its own kind of file (OTA firmware).
     */
    async upload(user: Principal, input: { name: string; stream: Readable }, accept: (name: string) => AllowedType | undefined = allowedType): Promise<FileInfo> {
      const name = cleanName(input.name);
      const type = accept(name);
      if (!name || !type) {
        input.stream.resume(); // let the rest of the request drain
        const ext = fileExtension(name);
        throw new Invalid(`${ext ? `不支持上传 .${ext} 文件` : '无法识别文件类型（文件名没有扩展名）'}，允许的类型：${FILE_EXTENSIONS.join('、')}`);
      }

      const upload = await checkUpload(input.stream, { sampleBytes: SIGNATURE_BYTES, maxBytes }).catch(() => {
        throw new Invalid('文件上传未完成，请重新上传');
      });
      if (!upload.head.length) {
        await upload.discard();
        throw new Invalid('文件内容为空，请重新选择');
      }
      if (!(await contentMatches(type, upload.head)).ok) {
        await upload.discard();
        throw new Invalid(`文件“${name}”的内容与扩展名 .${type.ext} 不符，不能上传`);
      }

      const id = randomUUID();
      const now = new Date();
      const key = `${now.toISOString().slice(0, 7).replace('-', '/')}/${id}`;
      let stored;
      try {
        stored = await d.storage.put(key, upload.body, type.mime);
      } catch (err) {
        await removeQuietly(key);
        if (upload.problem() === 'too-large') throw new FileTooLarge(d.maxMb);
        if (upload.problem() === 'interrupted') throw new Invalid('文件上传未完成，请重新上传');
        throw err;
      }
      try {
        const row = await repo.insert({
          id, name, mime: type.mime, size: stored.size, sha256: stored.sha256,
          storage: d.storage.kind, storageKey: key, uploadedBy: user.id, createdAt: now,
        });
        return toInfo(row);
      } catch (err) {
        await removeQuietly(key);
        throw err;
      }
    },

    /** Metadata of uploaded files in the order of `ids`; Invalid (400) when one does not exist. */
    async describe(ids: string[]): Promise<FileInfo[]> {
      if (!ids.length) return [];
      const wanted = ids.map((id) => id.toLowerCase());
      const rows = wanted.every(isUuid) ? await repo.findByIds([...new Set(wanted)]) : [];
      const byId = new Map(rows.map((r) => [r.id, r]));
      const missing = ids.filter((_, i) => !byId.has(wanted[i]!));
      if (missing.length) throw new Invalid('附件不存在或已删除', { missing });
      return wanted.map((id) => toInfo(byId.get(id)!));
    },

    /** A file for download: the whole of it, or the part a `Range` header asks for. */
    async open(id: string, rangeHeader?: string): Promise<OpenedFile> {
      const row = isUuid(id) ? await repo.findById(id) : undefined;
      if (!row) throw new NotFound('附件不存在或已删除');
      const range = parseRange(rangeHeader, row.size);
      if (range === 'unsatisfiable') throw new RangeNotSatisfiable(row.size);
      const stream = await storageOf(row.storage).get(row.storageKey, range);
      return { file: toInfo(row), inline: allowedType(row.name)?.inline ?? false, range, stream };
    },
  };
}
export type FileService = ReturnType<typeof fileService>;
