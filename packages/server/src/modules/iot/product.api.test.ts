import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThingModel } from '@cityops/contracts';
import { ADMIN_PASSWORD, startHarness, type Harness } from '../../test/harness.js';
import { backends } from '../../test/backends.js';
import { sysOrg } from '../system/org.table.js';

const PW = 'Chongzhou@2026';

const GAS: ThingModel = {
  properties: [
    { identifier: 'gas_concentration', name: '燃气浓度', dataType: { type: 'float', specs: { min: 0, max: 100, unit: '%LEL' } }, accessMode: 'r', required: false, description: '' },
    { identifier: 'valve_state', name: '阀门状态', dataType: { type: 'enum', specs: { enum: { 0: '关闭', 1: '打开' } } }, accessMode: 'rw', required: false, description: '' },
  ],
  events: [{ identifier: 'gas_leak', name: '燃气泄漏', type: 'alert', outputData: [], description: '' }],
  services: [{ identifier: 'close_valve', name: '关阀', callType: 'async', inputData: [], outputData: [], description: '' }],
};

describe.each(backends)('IoT products on %s', (backend) => {
  let h: Harness;
  let admin: string;
  let iotOp: string;
  let cityOp: string;

  const call = async (token: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) => {
    const r = await h.call(method, url, { token, body });
    return { status: r.statusCode, body: r.headers['content-type']?.toString().includes('json') ? r.json() : r.body, headers: r.headers };
  };

  beforeAll(async () => {
    h = await startHarness(backend, { DEMO_DATA: 'true', DEMO_IOT: 'false', IOT_MQTT_PORT: '0', IOT_COAP_PORT: '0' });
    const first = await h.login('admin', ADMIN_PASSWORD);
    await h.call('POST', '/api/auth/change-password', { token: first, body: { oldPassword: ADMIN_PASSWORD, newPassword: 'Strong#2026pw' } });
    admin = await h.login('admin', 'Strong#2026pw');
    iotOp = await h.login('iot_op', PW);
    cityOp = await h.login('city_op', PW);
  });
  afterAll(async () => h?.dispose());

  it('creates products with a generated key and secret, and refuses a key already taken', async () => {
    const r = await call(iotOp, 'POST', '/api/iot/products', { name: '燃气报警器', category: 'gas', thingModel: GAS, description: '居民用户燃气' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      name: '燃气报警器', category: 'gas', nodeType: 'direct', protocol: 'mqtt', authMode: 'device_secret', modelVersion: 1,
      propertyCount: 2, eventCount: 1, serviceCount: 1, deviceCount: 0, enabled: true,
    });
    expect(r.body.productKey).toMatch(/^[A-Za-z0-9]{11}$/);
    expect(r.body).not.toHaveProperty('productSecret');

    const fixed = await call(iotOp, 'POST', '/api/iot/products', { name: '井盖', category: 'manhole', productKey: 'manhole_v1' });
    expect(fixed.body.productKey).toBe('manhole_v1');
    const taken = await call(iotOp, 'POST', '/api/iot/products', { name: '井盖二代', category: 'manhole', productKey: 'manhole_v1' });
    expect(taken.status).toBe(409);
    expect(taken.body.message).toContain('manhole_v1');

    const bad = await call(iotOp, 'POST', '/api/iot/products', { name: '', category: 'tv', productKey: 'a b' });
    expect(bad.status).toBe(400);
  });

  it('lists products by keyword and category, with their device counts', async () => {
    const all = (await call(iotOp, 'GET', '/api/iot/products')).body;
    expect(all.total).toBe(2);
    expect((await call(iotOp, 'GET', '/api/iot/products?keyword=燃气')).body.items.map((p: { name: string }) => p.name)).toEqual(['燃气报警器']);
    expect((await call(iotOp, 'GET', '/api/iot/products?keyword=manhole')).body.items.map((p: { name: string }) => p.name)).toEqual(['井盖']);
    expect((await call(iotOp, 'GET', '/api/iot/products?category=gas')).body.total).toBe(1);
    expect((await call(iotOp, 'GET', '/api/iot/products?category=smoke')).body.total).toBe(0);
    // The pickers of the device forms need only the device list permission.
    const options = await call(cityOp, 'GET', '/api/iot/products/options');
    expect(options.status).toBe(200);
    expect(options.body.map((p: { name: string }) => p.name).sort()).toEqual(['井盖', '燃气报警器']);
    expect((await call(cityOp, 'GET', '/api/iot/products')).status).toBe(403);
  });

  it('edits a product and replaces its thing model with a new version', async () => {
    const p = (await call(iotOp, 'GET', '/api/iot/products?keyword=manhole')).body.items[0];
    const u = await call(iotOp, 'PUT', `/api/iot/products/${p.id}`, { name: '智能井盖', category: 'manhole', protocol: 'coap', offlineSeconds: 3600 });
    expect(u.body).toMatchObject({ name: '智能井盖', protocol: 'coap', offlineSeconds: 3600, productKey: 'manhole_v1' });

    const model: ThingModel = {
      properties: [{ identifier: 'tilt', name: '倾斜角度', dataType: { type: 'float', specs: { min: 0, max: 90, unit: '°' } }, accessMode: 'r', required: false, description: '' }],
      events: [{ identifier: 'lid_open', name: '井盖开启', type: 'alert', outputData: [], description: '' }],
      services: [],
    };
    const saved = await call(iotOp, 'PUT', `/api/iot/products/${p.id}/thing-model`, model);
    expect(saved.body).toMatchObject({ modelVersion: 2, thingModel: { properties: [{ identifier: 'tilt' }] } });
    expect((await call(iotOp, 'GET', `/api/iot/products/${p.id}/thing-model`)).body.modelVersion).toBe(2);

    const dup = await call(iotOp, 'PUT', `/api/iot/products/${p.id}/thing-model`, { properties: [model.properties[0], model.properties[0]] });
    expect(dup.status).toBe(400);
    expect((await call(iotOp, 'GET', `/api/iot/products/${p.id}`)).body).toMatchObject({ modelVersion: 2, propertyCount: 1 });
  });

  it('exports a product as a JSON file and imports it back as a new product or over another model', async () => {
    const gas = (await call(iotOp, 'GET', '/api/iot/products?category=gas')).body.items[0];
    const file = await call(iotOp, 'GET', `/api/iot/products/${gas.id}/export`);
    expect(file.status).toBe(200);
    expect(String(file.headers['content-disposition'])).toContain(encodeURIComponent('燃气报警器'));
    const content = typeof file.body === 'string' ? JSON.parse(file.body) : file.body;
    expect(content).toMatchObject({ format: 'cityops-iot-product', version: 1, product: { name: '燃气报警器', category: 'gas', productKey: gas.productKey } });
    const secret = (await call(iotOp, 'POST', `/api/iot/products/${gas.id}/secret/reveal`)).body.secret;
    expect(JSON.stringify(content)).not.toContain(secret);
    expect(content.product).not.toHaveProperty('productSecret');

    // Same key: taken.
    expect((await call(iotOp, 'POST', '/api/iot/products/import', { content })).status).toBe(409);
    const copy = await call(iotOp, 'POST', '/api/iot/products/import', { content, productKey: 'gas_copy', name: '燃气报警器（复制）' });
    expect(copy.status).toBe(200);
    expect(copy.body).toMatchObject({ productKey: 'gas_copy', name: '燃气报警器（复制）', category: 'gas', modelVersion: 1 });
    expect(copy.body.thingModel).toEqual((await call(iotOp, 'GET', `/api/iot/products/${gas.id}/thing-model`)).body.thingModel);

    const manhole = (await call(iotOp, 'GET', '/api/iot/products?category=manhole')).body.items[0];
    const replaced = await call(iotOp, 'POST', '/api/iot/products/import', { content, productId: manhole.id });
    expect(replaced.body).toMatchObject({ id: manhole.id, name: '智能井盖', modelVersion: 3, propertyCount: 2 });

    const wrong = await call(iotOp, 'POST', '/api/iot/products/import', { content: { ...content, format: 'other' } });
    expect(wrong.status).toBe(400);
  });

  it('shows and resets the product secret to holders of the secret permission only', async () => {
    const gas = (await call(iotOp, 'GET', '/api/iot/products?keyword=gas_copy')).body.items[0];
    const shown = await call(iotOp, 'POST', `/api/iot/products/${gas.id}/secret/reveal`);
    expect(shown.body.secret).toMatch(/^[0-9a-f]{32}$/);
    const reset = await call(iotOp, 'POST', `/api/iot/products/${gas.id}/secret/reset`);
    expect(reset.body.secret).not.toBe(shown.body.secret);
    expect((await call(iotOp, 'POST', `/api/iot/products/${gas.id}/secret/reveal`)).body.secret).toBe(reset.body.secret);
    expect((await call(cityOp, 'POST', `/api/iot/products/${gas.id}/secret/reveal`)).status).toBe(403);

    const log = await call(admin, 'GET', '/api/system/oplogs?pageSize=5');
    expect(log.body.items.find((x: { username: string }) => x.username === 'iot_op')).toMatchObject({ type: '查看密钥', subjectType: '物联产品', subjectName: '燃气报警器（复制）' });
    expect(JSON.stringify(log.body.items)).not.toContain(reset.body.secret);
  });

  it('refuses to delete a product that still has devices', async () => {
    const gas = (await call(iotOp, 'GET', '/api/iot/products?keyword=gas_copy')).body.items[0];
    const [org] = await h.database.db.select().from(sysOrg).where(eq(sysOrg.code, 'CZ-CYZX'));
    const orgId = org!.id;
    const dv = await call(iotOp, 'POST', '/api/iot/devices', { productId: gas.id, name: '一号燃气报警器', orgId });
    expect(dv.status).toBe(200);
    expect((await call(iotOp, 'GET', `/api/iot/products/${gas.id}`)).body.deviceCount).toBe(1);
    const refused = await call(iotOp, 'DELETE', `/api/iot/products/${gas.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('还有 1 个设备');

    const manhole = (await call(iotOp, 'GET', '/api/iot/products?category=manhole')).body.items[0];
    expect((await call(iotOp, 'DELETE', `/api/iot/products/${manhole.id}`)).status).toBe(200);
    expect((await call(iotOp, 'GET', `/api/iot/products/${manhole.id}`)).status).toBe(404);
  });
});
