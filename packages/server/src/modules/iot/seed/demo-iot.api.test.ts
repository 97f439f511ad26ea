import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../../test/harness.js';
import { backends } from '../../../test/backends.js';
import { loadKeys } from '../../../core/crypto/keys.js';
import { fieldCipher } from '../../../core/crypto/field.js';
import { seedDemoIot } from './demo-iot.js';

describe.each(backends)('IoT demo data on %s', (backend) => {
  let h: Harness;
  let op: string;

  beforeAll(async () => {
    h = await startHarness(backend, { DEMO_DATA: 'true', DEMO_IOT: 'true', IOT_MQTT_PORT: '0', IOT_COAP_PORT: '0' });
    op = await h.login('iot_op', 'Chongzhou@2026');
  });
  afterAll(async () => h?.dispose());

  const get = async (url: string) => (await h.call('GET', url, { token: op })).json();

  it('spreads about 300 devices of five products over the 15 towns, each under its town\'s 城运中心', async () => {
    const products = await get('/api/iot/products');
    expect(products.items.map((p: { name: string }) => p.name).sort()).toEqual(['智能井盖', '水位计', '消火栓按钮', '点型光电烟火灾探测器', '燃气报警器'].sort());
    const o = await get('/api/iot/overview');
    expect(o.devices.total).toBe(300);
    expect(o.devices.online).toBeGreaterThan(150);
    expect(o.devices.offline).toBeGreaterThan(10);
    expect(o.devices.inactive).toBeGreaterThan(5);
    expect(o.byRegion).toHaveLength(15);
    expect(o.byRegion.every((r: { name: string; total: number }) => /(街道|镇)$/.test(r.name) && r.total === 20)).toBe(true);
    expect(o.messages.today).toBeGreaterThan(100);

    const cy = await get('/api/iot/devices?regionCode=510184001&pageSize=100');
    expect(cy.total).toBe(20);
    expect(new Set(cy.items.map((d: { orgName: string }) => d.orgName))).toEqual(new Set(['崇阳街道城运中心']));
    const map = await get('/api/iot/devices/map');
    expect(map.points).toHaveLength(300);
    for (const p of map.points) {
      expect(p.lng).toBeGreaterThan(103.2);
      expect(p.lng).toBeLessThan(103.8);
      expect(p.lat).toBeGreaterThan(30.5);
      expect(p.lat).toBeLessThan(30.85);
    }
  });

  it('gives online devices a day of history and latest values, and is made only once', async () => {
    const online = (await get('/api/iot/devices?status=online&category=smoke&pageSize=1')).items[0];
    const latest = await get(`/api/iot/devices/${online.id}/properties`);
    expect(latest.find((x: { identifier: string }) => x.identifier === 'smoke_density').value).toBeLessThan(1);
    const hist = await get(`/api/iot/devices/${online.id}/properties/temperature/history`);
    expect(hist.points.length).toBeGreaterThan(40);

    const keys = await loadKeys(h.database.db);
    expect(await seedDemoIot(h.database.db, { fields: fieldCipher(keys.fieldKey, keys.blindIndexKey) })).toBeNull();
  });
});
