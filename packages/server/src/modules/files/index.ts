import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import type { Config } from '../../core/config.js';
import type { Database } from '../../core/db.js';
import type { EventFiles } from '../events/ports.js';
import { fileRoutes } from './file.routes.js';
import { fileService, type FileService } from './file.service.js';
import { localStorage } from './local-storage.js';
import { s3Storage } from './s3-storage.js';

/**
 * Registers the attachment routes with their own multipart parser (so the 1 MB JSON body limit
 * does not apply to uploads) and returns the service other modules reference files through.
 */
export function registerFilesModule(app: FastifyInstance, d: { config: Config; database: Database }): FileService & EventFiles {
  const { files: cfg, dataDir } = d.config;
  const local = localStorage(path.join(dataDir, 'files'));
  const storage = cfg.storage === 's3' ? s3Storage(cfg.s3) : local;
  const files = fileService({ db: d.database.db, storage, readFrom: [local], maxMb: cfg.maxMb });

  void app.register(async (scope) => {
    await scope.register(multipart, {
      // One byte over the limit reaches the service, which refuses the upload with a clear message.
      limits: { fileSize: files.maxBytes + 1, files: 1, fields: 10, fieldSize: 64 * 1024, parts: 20 },
    });
    fileRoutes(scope, { files });
  });
  app.addHook('onClose', () => storage.close());
  return files;
}
