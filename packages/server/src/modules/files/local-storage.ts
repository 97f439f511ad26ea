import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { NotFound } from '../../core/errors.js';
import { meter, type Storage } from './storage.js';

/**
 * Attachments on local disk under `root` (DATA_DIR/files). An upload is written to `root/tmp` and
 * renamed into place only once complete, so a partial upload never shows under its key.
 */
export function localStorage(root: string): Storage {
  const base = path.resolve(root);
  const tmpDir = path.join(base, 'tmp');
  const pathOf = (key: string) => {
    const p = path.resolve(base, key);
    // Keys are made by the service; this only guards against a tampered row.
    if (!p.startsWith(base + path.sep) || p.startsWith(tmpDir + path.sep)) throw new Error(`invalid storage key: ${key}`);
    return p;
  };

  return {
    kind: 'local',

    async put(key, body) {
      const target = pathOf(key);
      await mkdir(path.dirname(target), { recursive: true });
      await mkdir(tmpDir, { recursive: true });
      const tmp = path.join(tmpDir, `${randomUUID()}.part`);
      const counter = meter();
      const file = createWriteStream(tmp, { flags: 'wx', flush: true });
      try {
        await pipeline(body, counter.stream, file);
        await rename(tmp, target);
      } catch (err) {
        // A refused upload can fail before the file has even been opened: wait until it is closed, or
        // removing it first would leave the late-created file behind.
        if (!file.closed) await new Promise<void>((resolve) => file.once('close', () => resolve()));
        await rm(tmp, { force: true });
        throw err;
      }
      return counter.result();
    },

    async get(key, range) {
      const handle = await open(pathOf(key), 'r').catch((err: NodeJS.ErrnoException) => {
        throw err.code === 'ENOENT' ? new NotFound('附件文件已丢失，请联系管理员') : err;
      });
      return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
    },

    async remove(key) {
      await rm(pathOf(key), { force: true });
    },

    async close() {},
  };
}
