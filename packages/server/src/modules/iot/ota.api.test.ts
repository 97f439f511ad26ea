import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThingModel } from '@cityops/contracts';
import { backends } from '../../test/backends.js';
import { createDevice, createProduct, startIotHarness, TestDevice, until, type IotHarness } from '../../test/iot-devices.js';
import { firmwareLinks, loadLinkKey } from './ota-link.js';

const model = ThingModel.parse({ properties: [{ identifier: 'smoke', name: '烟雾浓度', dataType: { type: 'float', specs: { min: 0, max: 100 } } }] });

/** A multipart/form-data body as a browser's FormData sends it. */
async function formData(name: string, bytes: Buffer) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  const r = new Response(form);
  return { payload: Buffer.from(await r.arrayBuffer()), contentType: r.headers.get('content-type')! };
}

describe.each(backends)('OTA 远程升级 on %s', (backend) => {
  let h: IotHarness;
  const pk = 'smk_ota';
  let productId: string;
  const devices: { id: string; dev: TestDevice }[] = [];
  const firmwareBytes = crypto.randomBytes(70_000);
  let firmwareId: string;
  let taskId: string;

  const post = (url: string, body: unknown) => h.call('POST', url, { token: h.admin, body });
  const get = (url: string) => h.call('GET', url, { token: h.admin });
  const task = async (id: string) => (await get(`/api/iot/ota/tasks/${id}`)).json();
  const rows = async (id: string, query = '') => (await get(`/api/iot/ota/tasks/${id}/devices?${query}`)).json();
  const row = async (id: string, deviceId: string) => (await rows(id)).items.find((r: { deviceId: string }) => r.deviceId === deviceId);
  const upload = async (name: string, bytes: Buffer) => {
    const { payload, contentType } = await formData(name, bytes);
    return h.app.inject({ method: 'POST', url: '/api/iot/ota/firmware/file', headers: { authorization: `Bearer ${h.admin}`, 'content-type': contentType }, payload });
  };
  /** The device path of a download link (the platform has no public URL in tests). */
  const download = (url: string, headers: Record<string, string> = {}) => h.app.inject({ method: 'GET', url, headers });

  beforeAll(async () => {
    h = await startIotHarness(backend);
    productId = (await createProduct(h, pk, model)).id;
    for (const dk of ['smk-001', 'smk-002', 'smk-003']) {
      const d = await createDevice(h, productId, dk);
      devices.push({ id: d.id, dev: new TestDevice(h.mqttPort, pk, dk, d.secret) });
    }
    // The first device is online and runs 1.0.0; the second is offline; the third already runs 2.0.0.
    await devices[0]!.dev.connect();
    await devices[0]!.dev.publish(`/ota/${pk}/smk-001/inform`, { id: '1', params: { version: '1.0.0' } });
    await devices[2]!.dev.connect();
    await devices[2]!.dev.publish(`/ota/${pk}/smk-003/inform`, { id: '1', params: { version: '2.0.0' } });
    await devices[2]!.dev.close();
    await until(async () => (await get(`/api/iot/devices/${devices[0]!.id}`)).json().status === 'online', 10_000, 'device online');
  });
  afterAll(async () => {
    for (const d of devices) await d.dev.close();
    await h?.dispose();
  });

  it('uploads a firmware package and signs it with SM3', async () => {
    const refused = await upload('setup.exe', firmwareBytes);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toContain('不支持的固件包类型');

    const file = await upload('smoke-2.0.0.bin', firmwareBytes);
    expect(file.statusCode).toBe(200);
    expect(file.json()).toMatchObject({ name: 'smoke-2.0.0.bin', size: firmwareBytes.length });

    const r = await post('/api/iot/ota/firmware', { productId, name: '烟感主程序', version: '2.0.0', fileId: file.json().id, description: '修复误报' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({
      productId, productKey: pk, name: '烟感主程序', version: '2.0.0', fileName: 'smoke-2.0.0.bin', size: firmwareBytes.length,
      sign: crypto.createHash('sm3').update(firmwareBytes).digest('hex'), signMethod: 'SM3', runningTasks: 0,
    });
    firmwareId = r.json().id;

    const again = await post('/api/iot/ota/firmware', { productId, name: '烟感主程序', version: '2.0.0', fileId: file.json().id });
    expect(again.statusCode).toBe(409);
    const badVersion = await post('/api/iot/ota/firmware', { productId, name: '烟感主程序', version: '2.0 beta', fileId: file.json().id });
    expect(badVersion.statusCode).toBe(400);

    const list = (await get(`/api/iot/ota/firmware?productId=${productId}`)).json();
    expect(list.items.map((f: { version: string }) => f.version)).toEqual(['2.0.0']);
  });

  it('pushes the upgrade to online devices, keeps offline ones pending, and leaves out devices already on the version', async () => {
    const before = devices[0]!.dev.received.length;
    const r = await post('/api/iot/ota/tasks', { firmwareId, name: '烟感升级 2.0.0', target: 'below' });
    expect(r.statusCode).toBe(200);
    taskId = r.json().id;
    expect(r.json()).toMatchObject({ status: 'running', version: '2.0.0', firmwareName: '烟感主程序', counts: { total: 2, pushed: 1, pending: 1 } });

    const m = await devices[0]!.dev.next('/upgrade', before);
    expect(m.topic).toBe(`/ota/${pk}/smk-001/upgrade`);
    expect(m.body.params).toMatchObject({ version: '2.0.0', size: firmwareBytes.length, sign: crypto.createHash('sm3').update(firmwareBytes).digest('hex'), signMethod: 'SM3' });
    expect(m.body.params.url).toMatch(new RegExp(`^/api/iot/ota/firmware/${firmwareId}/download\\?token=`));

    const pending = await row(taskId, devices[1]!.id);
    expect(pending).toMatchObject({ status: 'pending', deviceKey: 'smk-002', fromVersion: null });
    expect(await row(taskId, devices[2]!.id)).toBeUndefined();
  });

  it('lets the device download with its link, in parts too, and refuses a tampered or expired link', async () => {
    const m = devices[0]!.dev.received.find((x) => x.topic.endsWith('/upgrade'))!;
    const url = m.body.params.url as string;
    const whole = await download(url);
    expect(whole.statusCode).toBe(200);
    expect(whole.rawPayload.equals(firmwareBytes)).toBe(true);
    expect(whole.headers['content-type']).toBe('application/octet-stream');

    const part = await download(url, { range: 'bytes=1000-1999' });
    expect(part.statusCode).toBe(206);
    expect(part.rawPayload.equals(firmwareBytes.subarray(1000, 2000))).toBe(true);

    const tampered = await download(url.replace(/.$/, (c) => (c === '0' ? '1' : '0')));
    expect(tampered.statusCode).toBe(403);
    expect(tampered.json().message).toBe('下载链接无效');

    const links = firmwareLinks(await loadLinkKey(h.database.db));
    const expired = await download(`/api/iot/ota/firmware/${firmwareId}/download?token=${links.token(firmwareId, devices[0]!.id, new Date(Date.now() - 1000))}`);
    expect(expired.statusCode).toBe(403);
    expect(expired.json().message).toContain('下载链接已过期');
    // A link is for one firmware only.
    const other = await download(`/api/iot/ota/firmware/${crypto.randomUUID()}/download?token=${new URL(url, 'http://x').searchParams.get('token')}`);
    expect(other.statusCode).toBe(403);
  });

  it('follows the device\'s progress and its version inform to success', async () => {
    const dev = devices[0]!;
    await dev.dev.publish(`/ota/${pk}/smk-001/progress`, { id: '11', params: { step: 50, desc: '下载中' } });
    expect(await row(taskId, dev.id)).toMatchObject({ status: 'upgrading', progress: 50, message: '下载中' });

    await dev.dev.publish(`/ota/${pk}/smk-001/progress`, { id: '12', params: { step: 100, desc: '升级完成' } });
    expect(await row(taskId, dev.id)).toMatchObject({ status: 'succeeded', progress: 100 });

    await dev.dev.publish(`/ota/${pk}/smk-001/inform`, { id: '13', params: { version: '2.0.0' } });
    await until(async () => (await get(`/api/iot/devices/${dev.id}`)).json().firmwareVersion === '2.0.0', 5000, 'firmware version');
    expect(await row(taskId, dev.id)).toMatchObject({ status: 'succeeded', fromVersion: '1.0.0', currentVersion: '2.0.0' });
    expect((await task(taskId)).status).toBe('running'); // the offline device is still to come
  });

  it('pushes to a pending device when it connects; a failure is reported and can be retried', async () => {
    const dev = devices[1]!;
    await dev.dev.connect();
    const m = await dev.dev.next('/upgrade');
    expect(m.body.params.version).toBe('2.0.0');
    expect((await row(taskId, dev.id)).status).toBe('pushed');

    await dev.dev.publish(`/ota/${pk}/smk-002/progress`, { id: '21', params: { step: -2, desc: '固件校验失败' } });
    expect(await row(taskId, dev.id)).toMatchObject({ status: 'failed', message: '固件校验失败' });
    expect(await task(taskId)).toMatchObject({ status: 'finished', counts: { total: 2, succeeded: 1, failed: 1 } });
    expect((await rows(taskId, 'status=failed')).items.map((r: { deviceKey: string }) => r.deviceKey)).toEqual(['smk-002']);

    const before = dev.dev.received.length;
    const retry = await post(`/api/iot/ota/tasks/${taskId}/retry`, {});
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toMatchObject({ status: 'running', finishedAt: null, counts: { pushed: 1, failed: 0 } });
    await dev.dev.next('/upgrade', before);

    // The device reports the new version after rebooting: done.
    await dev.dev.publish(`/ota/${pk}/smk-002/inform`, { id: '22', params: { version: '2.0.0' } });
    expect(await row(taskId, dev.id)).toMatchObject({ status: 'succeeded', progress: 100 });
    const done = await task(taskId);
    expect(done).toMatchObject({ status: 'finished', counts: { total: 2, succeeded: 2 } });
    expect(done.finishedAt).toEqual(expect.any(String));

    const again = await post(`/api/iot/ota/tasks/${taskId}/retry`, {});
    expect(again.statusCode).toBe(409);
  });

  it('keeps a firmware in use by a running task, and a cancelled task stops pushing', async () => {
    const r = await post('/api/iot/ota/tasks', { firmwareId, name: '指定设备重刷', target: 'devices', deviceIds: [devices[2]!.id] });
    expect(r.statusCode).toBe(200);
    expect(r.json().counts).toMatchObject({ total: 1, pending: 1 });
    const busy = await post('/api/iot/ota/tasks', { firmwareId, name: '重复任务', target: 'devices', deviceIds: [devices[2]!.id] });
    expect(busy.statusCode).toBe(400);

    const del = await h.call('DELETE', `/api/iot/ota/firmware/${firmwareId}`, { token: h.admin });
    expect(del.statusCode).toBe(409);
    expect(del.json().message).toContain('进行中的升级任务');

    const cancelled = await post(`/api/iot/ota/tasks/${r.json().id}/cancel`, {});
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', counts: { cancelled: 1 } });
    const before = devices[2]!.dev.received.length;
    await devices[2]!.dev.connect();
    await new Promise((res) => setTimeout(res, 300));
    expect(devices[2]!.dev.received.slice(before).some((m) => m.topic.endsWith('/upgrade'))).toBe(false);

    const list = (await get('/api/iot/ota/tasks?status=cancelled')).json();
    expect(list.items.map((t: { name: string }) => t.name)).toEqual(['指定设备重刷']);
    expect((await h.call('DELETE', `/api/iot/ota/firmware/${firmwareId}`, { token: h.admin })).statusCode).toBe(200);
    expect((await get(`/api/iot/ota/tasks/${taskId}`)).json().firmwareName).toBe('（固件已删除）');
  });

  it('refuses devices of another product', async () => {
    const other = await createProduct(h, 'smk_other', model);
    const file = await upload('other.bin', crypto.randomBytes(100));
    const fw = (await post('/api/iot/ota/firmware', { productId: other.id, name: '其他固件', version: '1.0.1', fileId: file.json().id })).json();
    const r = await post('/api/iot/ota/tasks', { firmwareId: fw.id, name: '错误范围', target: 'devices', deviceIds: [devices[0]!.id] });
    expect(r.statusCode).toBe(400);
    expect(r.json().details.fields.deviceIds).toBeDefined();
  });
});
