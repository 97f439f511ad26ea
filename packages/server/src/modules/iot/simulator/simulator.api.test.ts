import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThingModel } from '@cityops/contracts';
import { createDevice, createProduct, startIotHarness, until, type IotHarness } from '../../../test/iot-devices.js';
import { devicesFromApi } from './api-source.js';
import { startSimulator, type SimDevice } from './simulator.js';

const GAS = ThingModel.parse({
  properties: [
    { identifier: 'gas_concentration', name: '燃气浓度', dataType: { type: 'float', specs: { min: 0, max: 100, unit: '%LEL' } } },
    { identifier: 'battery', name: '电量', dataType: { type: 'int', specs: { min: 0, max: 100, unit: '%' } } },
    { identifier: 'valve', name: '切断阀', dataType: { type: 'bool', specs: { enum: { 0: '开', 1: '关' } } } },
  ],
});

/** The simulator against the real platform: devices and secrets from the API, reports through the embedded broker. */
describe('device simulator against the platform', () => {
  let h: IotHarness;
  let base: string;
  let productId: string;
  const ids = new Map<string, string>();

  const get = async (url: string) => {
    const r = await h.call('GET', url, { token: h.admin });
    expect(r.statusCode).toBe(200);
    return r.json();
  };

  beforeAll(async () => {
    h = await startIotHarness('pglite', { IOT_FLUSH_MS: '20' });
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    productId = (await createProduct(h, 'sim_gas', GAS)).id;
    for (const dk of ['gas-0001', 'gas-0002', 'gas-0003']) ids.set(dk, (await createDevice(h, productId, dk)).id);
    const off = await h.call('POST', '/api/iot/devices/disable', { token: h.admin, body: { ids: [ids.get('gas-0003')] } });
    expect(off.statusCode).toBe(200);
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it('reads the thing model and the secrets of the enabled devices through the API', async () => {
    const file = await devicesFromApi(base, 'admin', 'Strong#2026pw', { productKeys: ['sim_gas'] });
    expect(ThingModel.parse(file.products.sim_gas)).toEqual(GAS);
    expect(file.devices.map((d) => d.deviceKey).sort()).toEqual(['gas-0001', 'gas-0002']);
    for (const d of file.devices) expect(d.secret).toMatch(/^[0-9a-f]{32}$/);
    await expect(devicesFromApi(base, 'admin', 'Strong#2026pw', { productKeys: ['no_such'] })).rejects.toThrow('找不到产品：no_such');
    await expect(devicesFromApi(base, 'admin', 'wrong-password', {})).rejects.toThrow(/登录失败/);
  });

  for (const client of ['mqtt', 'raw'] as const) {
    it(`connects the devices (${client}) and their reports become the latest values the device page shows`, async () => {
      const file = await devicesFromApi(base, 'admin', 'Strong#2026pw', { productKeys: ['sim_gas'] });
      const devices: SimDevice[] = file.devices.map((d) => ({ ...d, model: GAS, alarmThreshold: 20 }));
      const sim = startSimulator({ url: `mqtt://127.0.0.1:${h.mqttPort}`, devices, client, intervalMs: 150, alarmRate: 0.5 });
      await sim.started;
      expect(sim.stats()).toMatchObject({ connected: 2, refused: 0 });
      await until(() => sim.stats().acked >= 20 && sim.stats().alarms >= 2, 15_000, 'acknowledged reports');
      for (const dk of ['gas-0001', 'gas-0002']) {
        const detail = await get(`/api/iot/devices/${ids.get(dk)}`);
        expect(detail.status).toBe('online');
        const latest = (await get(`/api/iot/devices/${ids.get(dk)}/properties`)) as { identifier: string; value: unknown }[];
        expect(latest.map((p) => p.identifier)).toEqual(['gas_concentration', 'battery', 'valve']);
        expect(typeof latest[0].value).toBe('number');
        expect(latest[2].value).toBe(0);
      }
      await sim.stop();
      expect(sim.stats().errors).toBe(0);
      await until(async () => (await get(`/api/iot/devices/${ids.get('gas-0001')}`)).status === 'offline', 10_000, 'offline after disconnect');
    });
  }

  it('is refused for a wrong secret, and the trace says why', async () => {
    const sim = startSimulator({ url: `mqtt://127.0.0.1:${h.mqttPort}`, client: 'raw', intervalMs: 1000, devices: [{ productKey: 'sim_gas', deviceKey: 'gas-0001', secret: '0'.repeat(32), model: GAS }] });
    await sim.started;
    await sim.stop();
    expect(sim.stats()).toMatchObject({ connected: 0, refused: 1, sent: 0 });
    await until(async () => {
      const page = await get(`/api/iot/messages?deviceId=${ids.get('gas-0001')}&result=denied&pageSize=10`);
      return page.items.some((m: { reason: string }) => m.reason === '签名错误（设备密钥）');
    }, 10_000, 'the denied trace');
  });
});
