import type { FastifyBaseLogger } from 'fastify';
import { and, inArray, like } from 'drizzle-orm';
import type { IotCategory, ThingModel } from '@cityops/contracts';
import type { Db } from '../../../core/db.js';
import type { FieldCipher } from '../../../core/crypto/field.js';
import { sysOrg } from '../../system/org.table.js';
import { sysRegion } from '../../system/region.table.js';
import { shortCommunityName } from '../../system/seed/demo.js';
import { newSecret } from '../device-directory.js';
import { iotDevice, type DeviceStatus } from '../device.table.js';
import { ingestWriter, type TelemetryWrite, type TraceWrite } from '../ingest-writer.js';
import { productRepository } from '../product.repository.js';

type PropSpec = [identifier: string, name: string, type: 'int' | 'float' | 'bool' | 'enum', specs: Record<string, unknown>, mode?: 'r' | 'rw'];

const prop = ([identifier, name, type, specs, mode = 'r']: PropSpec) => ({
  identifier, name, dataType: { type, specs }, accessMode: mode, required: false, description: '',
});
const param = (identifier: string, name: string, type: 'int' | 'float' | 'text', specs: Record<string, unknown> = {}) => ({ identifier, name, dataType: { type, specs } });
const BOOL = { enum: { 0: '否', 1: '是' } };
const BATTERY: PropSpec = ['battery', '电池电量', 'int', { min: 0, max: 100, unit: '%', unitName: '百分比' }];

interface DemoProduct {
  productKey: string;
  name: string;
  category: IotCategory;
  protocol: 'mqtt' | 'http' | 'coap';
  offlineSeconds: number;
  eventTypeCode: string;
  /** Devices per town, and the short word in their names. */
  perTown: number;
  label: string;
  thingModel: ThingModel;
  /** A normal reading at hour-of-day `h` (0–24) for device number `n`, with noise `r` in [0, 1). */
  reading: (h: number, n: number, r: number) => Record<string, number>;
  /** An alert event now and then: identifier and output. */
  alert: [identifier: string, output: (r: number) => Record<string, number>];
}

const diurnal = (h: number) => Math.sin(((h - 9) / 24) * 2 * Math.PI);
const round = (v: number, digits = 2) => Number(v.toFixed(digits));

/** The five demo products, with thing models the rule models (seed/rule-models.ts) watch. */
export const DEMO_PRODUCTS: DemoProduct[] = [
  {
    productKey: 'cz_smoke', name: '点型光电烟火灾探测器', category: 'smoke', protocol: 'mqtt', offlineSeconds: 600, eventTypeCode: 'emergency.accident.fire',
    perTown: 8, label: '烟感',
    thingModel: {
      properties: [
        prop(['smoke_density', '烟雾浓度', 'float', { min: 0, max: 10, step: 0.01, unit: 'dB/m', unitName: '分贝每米' }]),
        prop(['temperature', '温度', 'float', { min: -20, max: 80, step: 0.1, unit: '℃', unitName: '摄氏度' }]),
        prop(BATTERY),
      ],
      events: [
        { identifier: 'fire_alarm', name: '火警', type: 'alert', description: '烟雾浓度超过报警阈值', outputData: [param('smoke_density', '烟雾浓度', 'float', { min: 0, max: 10, unit: 'dB/m' })] },
        { identifier: 'low_battery', name: '电量低', type: 'info', description: '', outputData: [param('battery', '电池电量', 'int', { min: 0, max: 100, unit: '%' })] },
      ],
      services: [{ identifier: 'self_test', name: '自检', callType: 'async', description: '探测器自检并鸣响', inputData: [], outputData: [param('result', '自检结果', 'text', { length: 50 })] }],
    },
    reading: (h, n, r) => ({ smoke_density: round(0.03 + 0.04 * r), temperature: round(22 + 4 * diurnal(h) + (n % 5) * 0.4 + r, 1), battery: 95 - (n % 40) }),
    alert: ['fire_alarm', (r) => ({ smoke_density: round(1.2 + r) })],
  },
  {
    productKey: 'cz_gas', name: '燃气报警器', category: 'gas', protocol: 'mqtt', offlineSeconds: 600, eventTypeCode: 'emergency.accident.gas-leak',
    perTown: 4, label: '燃气报警器',
    thingModel: {
      properties: [
        prop(['gas_concentration', '燃气浓度', 'float', { min: 0, max: 100, step: 0.1, unit: '%LEL', unitName: '爆炸下限百分比' }]),
        prop(['valve_state', '阀门状态', 'enum', { enum: { 0: '关闭', 1: '打开' } }, 'rw']),
      ],
      events: [{ identifier: 'gas_leak', name: '燃气泄漏', type: 'alert', description: '', outputData: [param('gas_concentration', '燃气浓度', 'float', { min: 0, max: 100, unit: '%LEL' })] }],
      services: [{ identifier: 'close_valve', name: '关闭阀门', callType: 'async', description: '远程关闭燃气切断阀', inputData: [], outputData: [] }],
    },
    reading: (_h, _n, r) => ({ gas_concentration: round(0.5 + 2.5 * r, 1), valve_state: 1 }),
    alert: ['gas_leak', (r) => ({ gas_concentration: round(8 + 6 * r, 1) })],
  },
  {
    productKey: 'cz_hydrant', name: '消火栓按钮', category: 'hydrant', protocol: 'coap', offlineSeconds: 86_400, eventTypeCode: 'emergency.accident.fire',
    perTown: 3, label: '消火栓',
    thingModel: {
      properties: [
        prop(['pressure', '管网压力', 'float', { min: 0, max: 2, step: 0.01, unit: 'MPa', unitName: '兆帕' }]),
        prop(['pressed', '按钮按下', 'bool', BOOL]),
        prop(BATTERY),
      ],
      events: [{ identifier: 'pressed', name: '按钮启动', type: 'alert', description: '消火栓按钮被按下', outputData: [] }],
      services: [],
    },
    reading: (h, n, r) => ({ pressure: round(0.32 + 0.05 * diurnal(h + 3) + 0.03 * r), pressed: 0, battery: 90 - (n % 30) }),
    alert: ['pressed', () => ({})],
  },
  {
    productKey: 'cz_water_level', name: '水位计', category: 'water_level', protocol: 'http', offlineSeconds: 1800, eventTypeCode: 'emergency.disaster.waterlogging',
    perTown: 2, label: '水位计',
    thingModel: {
      properties: [
        prop(['level', '水位', 'float', { min: 0, max: 10, step: 0.01, unit: 'm', unitName: '米' }]),
        prop(['threshold', '警戒水位', 'float', { min: 0, max: 10, step: 0.01, unit: 'm', unitName: '米' }, 'rw']),
        prop(BATTERY),
      ],
      events: [{ identifier: 'over_threshold', name: '超警戒水位', type: 'alert', description: '', outputData: [param('level', '水位', 'float', { min: 0, max: 10, unit: 'm' })] }],
      services: [],
    },
    reading: (h, n, r) => ({ level: round(0.6 + 0.3 * diurnal(h) + (n % 4) * 0.2 + 0.05 * r), threshold: 2.5, battery: 88 - (n % 20) }),
    alert: ['over_threshold', (r) => ({ level: round(2.6 + 0.2 * r) })],
  },
  {
    productKey: 'cz_manhole', name: '智能井盖', category: 'manhole', protocol: 'coap', offlineSeconds: 86_400, eventTypeCode: 'urban.facility.manhole',
    perTown: 3, label: '井盖',
    thingModel: {
      properties: [
        prop(['tilt', '倾斜角度', 'float', { min: 0, max: 90, step: 0.1, unit: '°', unitName: '度' }]),
        prop(['open', '井盖开启', 'bool', BOOL]),
        prop(BATTERY),
      ],
      events: [{ identifier: 'lid_open', name: '井盖开启', type: 'alert', description: '井盖被打开或移位', outputData: [param('tilt', '倾斜角度', 'float', { min: 0, max: 90, unit: '°' })] }],
      services: [],
    },
    reading: (_h, n, r) => ({ tilt: round(0.5 + 1.5 * r, 1), open: 0, battery: 92 - (n % 25) }),
    alert: ['lid_open', (r) => ({ tilt: round(25 + 20 * r, 1) })],
  },
];

/** Approximate centres of Chongzhou's 15 towns (inside the county outline), by region code. */
const TOWN_CENTRES: Record<string, [lng: number, lat: number]> = {
  '510184001': [103.673, 30.63], '510184002': [103.74, 30.65], '510184003': [103.7, 30.585], '510184004': [103.64, 30.575],
  '510184005': [103.7, 30.69], '510184006': [103.65, 30.652], '510184104': [103.62, 30.69], '510184105': [103.595, 30.615],
  '510184106': [103.585, 30.668], '510184107': [103.52, 30.738], '510184109': [103.45, 30.765], '510184110': [103.32, 30.8],
  '510184112': [103.625, 30.738], '510184113': [103.56, 30.772], '510184114': [103.66, 30.552],
};
const JITTER = 0.012;

/** A small deterministic generator, so every demo start makes the same devices. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPOTS = ['小区', '农贸市场', '学校', '卫生院', '商业街', '社区服务中心', '养老院', '下穿隧道', '桥下', '公园'];

/**
 * 物联感知 demo data (DEMO_DATA with DEMO_IOT): five products and about 300 devices over the 15
 * towns of Chongzhou, each under its town's 城运中心, with a day of history, device events and an
 * hour of trace, most online, some offline, a few never activated or disabled. Only while no
 * product exists.
 */
export async function seedDemoIot(db: Db, o: { fields: FieldCipher; log?: FastifyBaseLogger; now?: number }) {
  const products = productRepository(db);
  if ((await products.count()) > 0) return null;
  const started = Date.now();
  const now = o.now ?? Date.now();
  const rand = random(20_261_124);

  const towns = await db.select({ code: sysRegion.code, name: sysRegion.name }).from(sysRegion).where(inArray(sysRegion.code, Object.keys(TOWN_CENTRES)));
  if (!towns.length) return null;
  const centres = await db.select({ id: sysOrg.id, code: sysOrg.code }).from(sysOrg).where(inArray(sysOrg.code, towns.map((t) => `${t.code}-CYZX`)));
  const orgOf = new Map(centres.map((c) => [c.code.replace(/-CYZX$/, ''), c.id]));

  const villageRows = await db
    .select({ code: sysRegion.code, name: sysRegion.name, parentCode: sysRegion.parentCode })
    .from(sysRegion)
    .where(and(inArray(sysRegion.parentCode, towns.map((t) => t.code)), like(sysRegion.code, '510184%')))
    .orderBy(sysRegion.code);
  const villagesOf = new Map<string, typeof villageRows>();
  for (const v of villageRows) villagesOf.set(v.parentCode!, [...(villagesOf.get(v.parentCode!) ?? []), v]);

  const writer = ingestWriter({ db, flushMs: 1, maxRows: 5000, log: o.log });
  const writes: Promise<void>[] = [];
  let devices = 0;
  for (const p of DEMO_PRODUCTS) {
    const product = await products.insert({
      productKey: p.productKey, name: p.name, category: p.category, protocol: p.protocol, offlineSeconds: p.offlineSeconds, eventTypeCode: p.eventTypeCode,
      productSecret: o.fields.encrypt(newSecret()), thingModel: p.thingModel, description: `演示产品：${p.name}`,
    });
    for (const town of towns) {
      const villages = villagesOf.get(town.code) ?? [];
      const [lng0, lat0] = TOWN_CENTRES[town.code]!;
      for (let i = 1; i <= p.perTown; i++) {
        const n = devices++;
        const roll = rand();
        const status: DeviceStatus = roll < 0.72 ? 'online' : roll < 0.88 ? 'offline' : roll < 0.97 ? 'inactive' : 'disabled';
        const village = villages.length ? villages[Math.floor(rand() * villages.length)]! : undefined;
        const angle = rand() * 2 * Math.PI;
        const dist = Math.sqrt(rand()) * JITTER;
        // Offline devices went silent some hours ago; online ones reported within the last minutes.
        const lastSeen = status === 'online' ? now - Math.floor(rand() * 240_000) : status === 'offline' || status === 'disabled' ? now - Math.floor((2 + rand() * 20) * 3600_000) : null;
        const activated = lastSeen === null ? null : new Date(now - Math.floor((30 + rand() * 300) * 86_400_000));
        const place = `${village ? shortCommunityName(village.name) : town.name}${SPOTS[Math.floor(rand() * SPOTS.length)]}`;
        const [row] = await db
          .insert(iotDevice)
          .values({
            productId: product.id, deviceKey: `${p.productKey.replace(/^cz_/, '').replace('_', '')}-${town.code.slice(-3)}-${String(i).padStart(2, '0')}`,
            name: `${town.name}${i}号${p.label}`, secret: o.fields.encrypt(newSecret()), status, regionCode: village?.code ?? town.code, orgId: orgOf.get(town.code) ?? null,
            lng: round(lng0 + dist * Math.cos(angle), 6), lat: round(lat0 + dist * Math.sin(angle), 6), address: `${town.name}${place}`,
            firmwareVersion: lastSeen === null ? null : '1.0.3', lastIp: lastSeen === null ? null : `10.${20 + (n % 200)}.${Math.floor(n / 200)}.${10 + (n % 240)}`,
            activatedAt: activated, lastSeenAt: lastSeen === null ? null : new Date(lastSeen), onlineAt: status === 'online' ? new Date(now - 6 * 3600_000) : activated,
            offlineAt: status === 'offline' && lastSeen ? new Date(lastSeen + p.offlineSeconds * 1000) : null,
          })
          .returning({ id: iotDevice.id, deviceKey: iotDevice.deviceKey });
        if (lastSeen === null) continue;

        // A day of history, every half hour, up to the last message.
        const telemetry: TelemetryWrite[] = [];
        const props: Record<string, { value: unknown; ts: number }> = {};
        const traces: TraceWrite[] = [];
        for (let ts = now - 24 * 3600_000; ts <= lastSeen; ts += 1_800_000) {
          const at = ts + Math.floor(rand() * 60_000);
          if (at > lastSeen) break;
          const values = p.reading(((at + 8 * 3600_000) / 3600_000) % 24, n, rand());
          for (const [identifier, value] of Object.entries(values)) {
            telemetry.push({ deviceId: row!.id, identifier, ts: at, num: value, value });
            props[identifier] = { value, ts: at };
          }
          if (at > now - 3600_000) {
            const id = String(Math.floor(at / 1000) % 100_000_000);
            traces.push({
              deviceId: row!.id, productKey: p.productKey, deviceKey: row!.deviceKey, direction: 'up', channel: p.protocol, kind: 'property',
              topic: `/sys/${p.productKey}/${row!.deviceKey}/thing/property/post`, payload: JSON.stringify({ id, params: values, time: at }), result: 'ok',
              msgId: id, latencyMs: 3 + Math.floor(rand() * 20), ts: new Date(at),
            });
          }
        }
        // Now and then an alert, and a report refused by the thing model.
        const events = rand() < 0.05
          ? [{ deviceId: row!.id, identifier: p.alert[0], name: p.thingModel.events.find((e) => e.identifier === p.alert[0])!.name, level: 'alert', output: p.alert[1](rand()), ts: lastSeen - Math.floor(rand() * 20 * 3600_000) }]
          : [];
        if (status === 'online' && rand() < 0.04) {
          const bad = { id: '900001', params: { [p.thingModel.properties[0]!.identifier]: 'N/A' } };
          traces.push({
            deviceId: row!.id, productKey: p.productKey, deviceKey: row!.deviceKey, direction: 'up', channel: p.protocol, kind: 'property',
            topic: `/sys/${p.productKey}/${row!.deviceKey}/thing/property/post`, payload: JSON.stringify(bad), result: 'rejected',
            reason: `${p.thingModel.properties[0]!.identifier}：应为数值`, msgId: '900001', latencyMs: 2, ts: new Date(now - Math.floor(rand() * 3600_000)),
          });
        }
        writes.push(writer.write({ telemetry, state: [{ deviceId: row!.id, props }], events, traces }));
      }
    }
  }
  await writer.flush();
  await Promise.all(writes);
  o.log?.info({ products: DEMO_PRODUCTS.length, devices, ms: Date.now() - started }, 'iot demo data created');
  return { products: DEMO_PRODUCTS.length, devices };
}
