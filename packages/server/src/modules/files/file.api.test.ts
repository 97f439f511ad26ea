import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import S3rver from 's3rver';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { LightMyRequestResponse } from 'fastify';
import { ADMIN_PASSWORD, startHarness, type Harness } from '../../test/harness.js';
import { backends } from '../../test/backends.js';
import { fileObject } from './file.table.js';
import { fileService } from './file.service.js';
import { localStorage } from './local-storage.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(4000, 0x90)]);
const MB = 1024 * 1024;
/** An MP4 of `size` bytes: a real `ftyp` box, then noise. */
const mp4 = (size: number) =>
  Buffer.concat([Buffer.from('000000206674797069736f6d0000020069736f6d69736f32617663316d703431', 'hex'), crypto.randomBytes(size - 32)]);

async function xlsx() {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('值班表').addRow(['班次', '值班员']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A multipart/form-data body exactly as a browser's FormData sends it. */
async function formData(name: string, bytes: Uint8Array, field = 'file') {
  const form = new FormData();
  form.append(field, new Blob([bytes]), name);
  const r = new Response(form);
  return { payload: Buffer.from(await r.arrayBuffer()), contentType: r.headers.get('content-type')! };
}

const fileNameOf = (r: LightMyRequestResponse) =>
  decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(String(r.headers['content-disposition']))![1]!);

// A real S3-compatible server (s3rver) for the S3 runs; nothing about S3 is mocked.
let s3server: S3rver;
let s3dir: string;
let s3endpoint: string;
const S3_KEY = 'S3RVER';
beforeAll(async () => {
  s3dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-s3-'));
  s3server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: s3dir });
  const { port } = await s3server.run();
  s3endpoint = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await s3server?.close();
  fs.rmSync(s3dir, { recursive: true, force: true });
});

// Local disk on every database; S3 (independent of the database) on the first one.
const cases = [...backends.map((b) => [b, 'local'] as const), [backends[0]!, 's3'] as const];

describe.each(cases)('attachments on %s with %s storage', (backend, storage) => {
  let h: Harness;
  let small: Harness;
  let token: string;
  let smallToken: string;
  const buckets: Record<string, string> = {};
  let s3: S3Client;

  async function start(label: string, env: Record<string, string> = {}) {
    if (storage === 's3') {
      const bucket = `cityops-${backend}-${label}-${Date.now().toString(36)}`;
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      env = { ...env, FILES_STORAGE: 's3', S3_ENDPOINT: s3endpoint, S3_BUCKET: bucket, S3_ACCESS_KEY_ID: S3_KEY, S3_SECRET_ACCESS_KEY: S3_KEY };
      buckets[label] = bucket;
    }
    const harness = await startHarness(backend, env);
    const first = await harness.login('admin', ADMIN_PASSWORD);
    await harness.call('POST', '/api/auth/change-password', { token: first, body: { oldPassword: ADMIN_PASSWORD, newPassword: 'Strong#2026pw' } });
    return { harness, token: await harness.login('admin', 'Strong#2026pw') };
  }

  beforeAll(async () => {
    s3 = new S3Client({ endpoint: s3endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: S3_KEY, secretAccessKey: S3_KEY } });
    ({ harness: h, token } = await start('main'));
    ({ harness: small, token: smallToken } = await start('small', { FILES_MAX_MB: '1' }));
  });
  afterAll(async () => {
    await h?.dispose();
    // The real-HTTP test leaves a refused upload's connection half-read; do not wait out keep-alive.
    small?.app.server.closeAllConnections();
    await small?.dispose();
    s3?.destroy();
  });

  const upload = async (name: string, bytes: Uint8Array, o: { harness?: Harness; token?: string | null; field?: string } = {}) => {
    const body = await formData(name, bytes, o.field);
    const auth = o.token === null ? undefined : (o.token ?? token);
    return (o.harness ?? h).app.inject({
      method: 'POST',
      url: '/api/files',
      headers: { 'content-type': body.contentType, ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
      payload: body.payload,
    });
  };
  const download = (id: string, headers: Record<string, string> = {}, query = '') =>
    h.app.inject({ method: 'GET', url: `/api/files/${id}${query}`, headers: { authorization: `Bearer ${token}`, ...headers } });

  /** What is kept: rows of file_object and stored objects (files on disk, or keys in the bucket). */
  async function kept(harness: Harness, label: string) {
    const rows = (await harness.database.db.select().from(fileObject)).length;
    let objects: string[];
    if (storage === 's3') {
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: buckets[label]! }));
      objects = (listed.Contents ?? []).map((o) => o.Key!);
    } else {
      const dir = path.join(harness.dataDir, 'files');
      objects = fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()) : [];
    }
    return { rows, objects: objects.sort() };
  }

  it('uploads a photo and shows it back inline under its Chinese name', async () => {
    const r = await upload('现场照片（1）.png', PNG);
    expect(r.statusCode).toBe(200);
    const info = r.json();
    expect(info).toMatchObject({ name: '现场照片（1）.png', mime: 'image/png', size: PNG.length, url: `/api/files/${info.id}` });

    const got = await download(info.id);
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(PNG)).toBe(true);
    expect(got.headers).toMatchObject({
      'content-type': 'image/png', 'content-length': String(PNG.length), 'x-content-type-options': 'nosniff', 'accept-ranges': 'bytes',
    });
    expect(String(got.headers['content-disposition'])).toMatch(/^inline;/);
    expect(fileNameOf(got)).toBe('现场照片（1）.png');

    const saved = await download(info.id, {}, '?download=1');
    expect(String(saved.headers['content-disposition'])).toMatch(/^attachment;/);
    expect(fileNameOf(saved)).toBe('现场照片（1）.png');

    if (storage === 'local') {
      const { objects } = await kept(h, 'main');
      expect(objects).toContain(path.join(info.createdAt.slice(0, 4), info.createdAt.slice(5, 7), info.id));
    }
  });

  it('offers office documents and text as downloads', async () => {
    const book = await xlsx();
    const sheet = (await upload('值班表.xlsx', book)).json();
    expect(sheet.mime).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const got = await download(sheet.id);
    expect(String(got.headers['content-disposition'])).toMatch(/^attachment;/);
    expect(fileNameOf(got)).toBe('值班表.xlsx');
    expect(got.rawPayload.equals(book)).toBe(true);

    const text = Buffer.from('值班记录：夜间巡查无异常。\n');
    const note = await upload("巡查记录 (夜班)'s.txt", text);
    expect(note.statusCode).toBe(200);
    const back = await download(note.json().id);
    expect(fileNameOf(back)).toBe("巡查记录 (夜班)'s.txt");
    expect(back.rawPayload.equals(text)).toBe(true);
  });

  it('takes a video larger than the JSON body limit and serves byte ranges for seeking', async () => {
    // On S3, more than one 8 MB part: a multipart upload.
    const video = mp4((storage === 's3' ? 9 : 2) * MB + 123);
    const r = await upload('监控录像.mp4', video);
    expect(r.statusCode).toBe(200);
    const { id, size } = r.json();
    expect(size).toBe(video.length);

    const whole = await download(id);
    expect(whole.statusCode).toBe(200);
    expect(whole.rawPayload.equals(video)).toBe(true);

    const head = await download(id, { range: 'bytes=0-9' });
    expect(head.statusCode).toBe(206);
    expect(head.rawPayload).toHaveLength(10);
    expect(head.rawPayload.equals(video.subarray(0, 10))).toBe(true);
    expect(head.headers).toMatchObject({ 'content-range': `bytes 0-9/${video.length}`, 'content-length': '10', 'content-type': 'video/mp4' });

    const tail = await download(id, { range: 'bytes=-4' });
    expect(tail.statusCode).toBe(206);
    expect(tail.rawPayload.equals(video.subarray(-4))).toBe(true);

    const middle = await download(id, { range: `bytes=${MB}-` });
    expect(middle.rawPayload.equals(video.subarray(MB))).toBe(true);

    const past = await download(id, { range: `bytes=${video.length}-` });
    expect(past.statusCode).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${video.length}`);
  });

  it('refuses executables, disguised or not, keeping nothing', async () => {
    const before = await kept(h, 'main');
    const exe = await upload('工具.exe', EXE);
    expect(exe.statusCode).toBe(400);
    expect(exe.json().message).toContain('不支持上传 .exe 文件');

    const disguised = await upload('通知.pdf', EXE);
    expect(disguised.statusCode).toBe(400);
    expect(disguised.json().message).toBe('文件“通知.pdf”的内容与扩展名 .pdf 不符，不能上传');

    expect((await upload('照片.jpg', PNG)).statusCode).toBe(400);
    expect((await upload('空白.txt', Buffer.alloc(0))).json().message).toBe('文件内容为空，请重新选择');
    expect((await upload('照片.png', PNG, { field: 'photo' })).json().message).toContain('请选择要上传的文件');
    const broken = await h.app.inject({
      method: 'POST', url: '/api/files', payload: '--x\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n\x89PNG',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/form-data; boundary=x' },
    });
    expect(broken.statusCode).toBe(400);
    const json = await h.call('POST', '/api/files', { token, body: { file: 'a.png' } });
    expect(json.json().message).toContain('multipart/form-data');
    expect(await kept(h, 'main')).toEqual(before);
  });

  it('refuses a file over the limit while it streams, keeping nothing', async () => {
    const before = await kept(small, 'small');
    const r = await upload('过大的录像.mp4', mp4(2 * MB), { harness: small, token: smallToken });
    expect(r.statusCode).toBe(413);
    expect(r.json().message).toBe('附件大小超过上限 1 MB，请压缩或分开上传');
    expect(await kept(small, 'small')).toEqual(before);

    const exact = await upload('刚好.mp4', mp4(MB), { harness: small, token: smallToken });
    expect(exact.statusCode).toBe(200);
    expect(exact.json().size).toBe(MB);
  });

  it('refuses oversized and disguised uploads over real HTTP with the same answers', async () => {
    const address = await small.app.listen({ host: '127.0.0.1', port: 0 });
    const before = await kept(small, 'small');
    const form = new FormData();
    form.append('file', new Blob([mp4(3 * MB)]), '过大的录像.mp4');
    const r = await fetch(`${address}/api/files`, { method: 'POST', body: form, headers: { authorization: `Bearer ${smallToken}` } });
    expect(r.status).toBe(413);
    expect((await r.json()).message).toContain('附件大小超过上限 1 MB');

    const disguised = new FormData();
    disguised.append('file', new Blob([EXE, mp4(3 * MB)]), '通知.pdf');
    const refused = await fetch(`${address}/api/files`, { method: 'POST', body: disguised, headers: { authorization: `Bearer ${smallToken}` } });
    expect(refused.status).toBe(400);
    expect((await refused.json()).message).toContain('内容与扩展名 .pdf 不符');
    expect(await kept(small, 'small')).toEqual(before);
  });

  it('needs a login, says when a file does not exist, and logs each upload', async () => {
    const anonymous = await upload('照片.png', PNG, { token: null });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().message).toBe('请先登录');
    const id = (await upload('照片.png', PNG)).json().id;
    expect((await h.app.inject({ method: 'GET', url: `/api/files/${id}` })).statusCode).toBe(401);
    expect((await download(crypto.randomUUID())).json()).toMatchObject({ code: 'NOT_FOUND', message: '附件不存在或已删除' });
    expect((await download('not-an-id')).statusCode).toBe(404);

    const logs = (await h.call('GET', `/api/system/oplogs?type=${encodeURIComponent('上传')}`, { token })).json();
    expect(logs.items[0]).toMatchObject({ username: 'admin', subjectType: '附件', subjectName: '照片.png', status: 200 });
    const refused = await upload('工具.exe', EXE);
    const latest = (await h.call('GET', `/api/system/oplogs?type=${encodeURIComponent('上传')}`, { token })).json().items[0];
    expect(latest).toMatchObject({ subjectName: '工具.exe', status: 400, content: expect.stringContaining(refused.json().message) });
  });

  it('describes files for the records that attach them, in the order asked', async () => {
    const files = fileService({ db: h.database.db, storage: localStorage(path.join(h.dataDir, 'files')), maxMb: 1 });
    const a = (await upload('甲.png', PNG)).json();
    const b = (await upload('乙.txt', Buffer.from('说明'))).json();
    expect(await files.describe([b.id, a.id])).toEqual([b, a]);
    expect(await files.describe([])).toEqual([]);
    await expect(files.describe([a.id, crypto.randomUUID()])).rejects.toMatchObject({ status: 400, message: '附件不存在或已删除' });
    await expect(files.describe(['not-an-id'])).rejects.toMatchObject({ status: 400, message: '附件不存在或已删除' });
  });
});
