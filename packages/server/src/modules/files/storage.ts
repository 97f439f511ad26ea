import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';

/** Bytes `start`..`end` of an object, both inclusive (as in HTTP Range). */
export interface ByteRange {
  start: number;
  end: number;
}

export interface StoredObject {
  size: number;
  sha256: string;
}

/** Where attachment bytes live: local disk or an S3-compatible bucket. Metadata stays in file_object. */
export interface Storage {
  readonly kind: 'local' | 's3';
  /**
   * Streams `body` under `key`, counting and hashing as it goes. Resolves once the object is
   * complete; when the body fails, rejects with its error and leaves nothing readable under `key`.
   */
  put(key: string, body: Readable, contentType: string): Promise<StoredObject>;
  /** The object's bytes, or only `range` of them; NotFound when the object is gone. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** Deletes the object; a missing object is not an error. */
  remove(key: string): Promise<void>;
  close(): Promise<void>;
}

/** A pass-through stream that counts and SHA-256-hashes what flows through it. */
export function meter() {
  const hash = createHash('sha256');
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      hash.update(chunk);
      done(null, chunk);
    },
  });
  return { stream, result: (): StoredObject => ({ size, sha256: hash.digest('hex') }) };
}
