import { Readable } from 'node:stream';

export interface CheckedUpload {
  /** The first `sampleBytes` bytes (fewer for a smaller file), for the content check. */
  head: Buffer;
  /** Every byte of the upload, head included; fails once more than `maxBytes` have passed. */
  body: Readable;
  /** Why `body` failed on the uploader's side: too many bytes, or the upload broke off. */
  problem(): 'too-large' | 'interrupted' | undefined;
  /** Stops reading the upload without storing it. */
  discard(): Promise<void>;
}

/**
 * Reads the first bytes of an upload for inspection, then hands on the whole stream with a byte
 * limit enforced as it flows, so that no upload is ever held in memory whole. Rejects when the
 * upload breaks off before its first bytes arrive.
 */
export async function checkUpload(source: Readable, o: { sampleBytes: number; maxBytes: number }): Promise<CheckedUpload> {
  const it: AsyncIterator<Buffer> = source[Symbol.asyncIterator]();
  const first: Buffer[] = [];
  let read = 0;
  let ended = false;
  while (read < o.sampleBytes) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    first.push(r.value);
    read += r.value.length;
  }

  let problem: 'too-large' | 'interrupted' | undefined;
  let total = 0;
  const counted = (chunk: Buffer) => {
    total += chunk.length;
    if (total > o.maxBytes) {
      problem = 'too-large';
      throw new Error(`upload exceeds ${o.maxBytes} bytes`);
    }
    return chunk;
  };
  const next = async () => {
    try {
      return await it.next();
    } catch (err) {
      problem = 'interrupted';
      throw err;
    }
  };
  async function* all() {
    try {
      for (const chunk of first) yield counted(chunk);
      while (!ended) {
        const r = await next();
        if (r.done) break;
        yield counted(r.value);
      }
    } finally {
      // Ends the source when the consumer stops early or the limit is hit.
      await it.return?.();
    }
  }

  return {
    head: Buffer.concat(first).subarray(0, o.sampleBytes),
    body: Readable.from(all(), { objectMode: false }),
    problem: () => problem,
    discard: async () => void (await it.return?.()),
  };
}
