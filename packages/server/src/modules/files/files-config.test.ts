import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.js';

describe('attachment settings', () => {
  it('default to local disk and 200 MB', () => {
    expect(loadConfig({}).files).toMatchObject({ storage: 'local', maxMb: 200, s3: { region: 'us-east-1', forcePathStyle: true } });
  });

  it('stop the start when S3 is chosen without a bucket or keys, naming the variables', () => {
    expect(() => loadConfig({ FILES_STORAGE: 's3', S3_ACCESS_KEY_ID: 'k' })).toThrow(/S3_BUCKET[\s\S]*S3_SECRET_ACCESS_KEY/);
    expect(() => loadConfig({ FILES_STORAGE: 's3', S3_ACCESS_KEY_ID: 'k' })).not.toThrow(/S3_ACCESS_KEY_ID/);
    expect(() => loadConfig({ FILES_MAX_MB: '0' })).toThrow(/FILES_MAX_MB/);
    expect(() => loadConfig({ FILES_STORAGE: 'ftp' })).toThrow(/FILES_STORAGE/);
    const s3 = loadConfig({ FILES_STORAGE: 's3', S3_ENDPOINT: 'http://minio:9000', S3_BUCKET: 'cityops', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's', S3_FORCE_PATH_STYLE: 'false' }).files;
    expect(s3).toMatchObject({ storage: 's3', s3: { endpoint: 'http://minio:9000', bucket: 'cityops', forcePathStyle: false } });
  });
});
