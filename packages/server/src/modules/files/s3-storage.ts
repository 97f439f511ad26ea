import { pipeline, type Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { NotFound } from '../../core/errors.js';
import { meter, type Storage } from './storage.js';

export interface S3Settings {
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

/**
 * Attachments in an S3-compatible bucket (MinIO, Ceph, cloud object storage). Uploads stream in
 * parts through lib-storage, so memory holds at most a few parts, never the whole file.
 */
export function s3Storage(s: S3Settings): Storage {
  const client = new S3Client({
    endpoint: s.endpoint,
    region: s.region,
    forcePathStyle: s.forcePathStyle,
    credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey },
    // Many S3-compatible servers reject the SDK's default trailing checksums; send them only when required.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });

  return {
    kind: 's3',

    async put(key, body, contentType) {
      const counter = meter();
      // A failing body destroys the counted stream with its error, which fails the upload.
      const counted = pipeline(body, counter.stream, () => {});
      const upload = new Upload({
        client,
        params: { Bucket: s.bucket, Key: key, Body: counted, ContentType: contentType },
        partSize: 8 * 1024 * 1024,
        queueSize: 2,
        // An interrupted multipart upload is aborted, so no parts linger in the bucket.
        leavePartsOnError: false,
      });
      await upload.done();
      return counter.result();
    },

    async get(key, range) {
      try {
        const r = await client.send(new GetObjectCommand({ Bucket: s.bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }));
        return r.Body as Readable;
      } catch (err) {
        if (err instanceof NoSuchKey) throw new NotFound('附件文件已丢失，请联系管理员');
        throw err;
      }
    },

    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket: s.bucket, Key: key }));
    },

    async close() {
      client.destroy();
    },
  };
}
