/**
 * 设备模拟器: connects simulated devices to an MQTT broker (the platform's embedded broker, a broker
 * node, or an external broker) and has each report its properties on a schedule, with values drawn
 * within its product's thing model, now and then over a threshold.
 *
 *   npm run iot:simulate -w @cityops/server -- --url mqtt://127.0.0.1:1883 \
 *     --api http://127.0.0.1:8080 --user iot_op --password '…' [--product gas_detector] [--limit 100]
 *   npm run iot:simulate -w @cityops/server -- --url mqtt://127.0.0.1:1883 --devices devices.json
 *
 * Devices come from the platform's API (the account needs 设备查看, 产品查看 and 查看设备密钥: the
 * secrets are revealed one device at a time, so for thousands of devices fetch once with --save
 * and run from the file afterwards) or from a JSON file:
 *   { "products": { "<productKey>": <thing model> }, "devices": [{ "productKey", "deviceKey", "secret" }] }
 *
 * --interval ms between two reports of a device (10000)   --jitter share of it (0.2)
 * --alarm-rate share of reports with an over-threshold value (0)   --alarm-property identifier
 * --alarm-threshold the value the rule fires above (ordinary reports stay under it)
 * --client mqtt (mqtt.js) | raw (lean client for tens of thousands of devices; a process holds
 *   at most as many connections as it may open files)   --source-addresses 127.0.0.2,127.0.0.3
 * --qos 0|1 (1)   --sign hmacsm3|hmacsha256 (hmacsm3)   --keepalive s (60)   --duration s (until Ctrl-C)
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { ThingModel, type SignMethod } from '@cityops/contracts';
import { devicesFromApi, type DeviceFile } from '../modules/iot/simulator/api-source.js';
import { startSimulator, type SimDevice, type SimulatorStats } from '../modules/iot/simulator/simulator.js';

const USAGE = `用法：npm run iot:simulate -w @cityops/server -- --url mqtt://主机:端口 (--api http://主机:端口 --user 账号 --password 密码 | --devices 设备文件.json)
  [--product 产品标识 …] [--limit 数量] [--interval 毫秒] [--jitter 0.2] [--alarm-rate 0.01] [--alarm-property 标识符] [--alarm-threshold 数值]
  [--client mqtt|raw] [--source-addresses 127.0.0.2,…] [--qos 0|1] [--sign hmacsm3|hmacsha256] [--keepalive 秒] [--duration 秒] [--save 文件.json]`;

const line = (s: SimulatorStats, startedAt: number) =>
  `${new Date().toLocaleTimeString('zh-CN', { hour12: false })}  已运行 ${Math.round((Date.now() - startedAt) / 1000)} 秒  已连接 ${s.connected}/${s.devices}  已发送 ${s.sent}  已确认 ${s.acked}  告警值 ${s.alarms}  错误 ${s.errors}  被拒 ${s.refused}`;

async function main() {
  if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
  const { values: v } = parseArgs({
    options: {
      url: { type: 'string' }, api: { type: 'string' }, user: { type: 'string' }, password: { type: 'string' },
      product: { type: 'string', multiple: true, default: [] }, limit: { type: 'string', default: '100000000' },
      devices: { type: 'string' }, save: { type: 'string' },
      interval: { type: 'string', default: '10000' }, jitter: { type: 'string', default: '0.2' },
      'alarm-rate': { type: 'string', default: '0' }, 'alarm-property': { type: 'string' }, 'alarm-threshold': { type: 'string' },
      client: { type: 'string', default: 'mqtt' }, 'source-addresses': { type: 'string' },
      qos: { type: 'string', default: '1' }, sign: { type: 'string', default: 'hmacsm3' }, keepalive: { type: 'string', default: '60' },
      duration: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (v.help) return void console.log(USAGE);
  const bad = (msg: string) => {
    console.error(`${msg}\n${USAGE}`);
    return 2;
  };
  const num = (name: string, x: string | undefined, min: number, max: number) => {
    const n = Number(x);
    if (!Number.isFinite(n) || n < min || n > max) throw new RangeError(`--${name} 应在 ${min} 到 ${max} 之间`);
    return n;
  };
  if (!v.url && !v.save) return bad('请用 --url 给出 MQTT 地址');
  if (!v.devices && !(v.api && v.user && v.password)) return bad('请给出 --devices 设备文件，或 --api、--user、--password');
  if (!['mqtt', 'raw'].includes(v.client!)) return bad('--client 只能是 mqtt 或 raw');
  if (!['hmacsm3', 'hmacsha256'].includes(v.sign!)) return bad('--sign 只能是 hmacsm3 或 hmacsha256');
  let o: { interval: number; jitter: number; alarmRate: number; alarmThreshold?: number; qos: 0 | 1; keepalive: number; limit: number; duration?: number };
  try {
    o = {
      interval: num('interval', v.interval, 100, 86_400_000), jitter: num('jitter', v.jitter, 0, 1), alarmRate: num('alarm-rate', v['alarm-rate'], 0, 1),
      qos: num('qos', v.qos, 0, 1) as 0 | 1, keepalive: num('keepalive', v.keepalive, 5, 3600), limit: num('limit', v.limit, 1, 1e8),
      duration: v.duration === undefined ? undefined : num('duration', v.duration, 1, 1e7),
      alarmThreshold: v['alarm-threshold'] === undefined ? undefined : num('alarm-threshold', v['alarm-threshold'], -1e12, 1e12),
    };
  } catch (e) {
    return bad((e as Error).message);
  }

  const file: DeviceFile = v.devices ? (JSON.parse(fs.readFileSync(v.devices, 'utf8')) as DeviceFile) : await devicesFromApi(v.api!, v.user!, v.password!, { productKeys: v.product!, limit: o.limit });
  if (v.save) {
    fs.writeFileSync(v.save, JSON.stringify(file, null, 1));
    console.log(`已保存 ${file.devices.length} 台设备到 ${v.save}`);
    if (!v.url) return 0;
  }
  const models = new Map<string, ThingModel>();
  for (const [pk, m] of Object.entries(file.products ?? {})) {
    const parsed = ThingModel.safeParse(m);
    if (!parsed.success) return bad(`产品 ${pk} 的物模型无效`);
    models.set(pk, parsed.data);
  }
  const devices: SimDevice[] = [];
  for (const d of file.devices.slice(0, o.limit)) {
    const model = models.get(d.productKey);
    if (!model) return bad(`设备 ${d.deviceKey} 的产品 ${d.productKey} 没有物模型`);
    devices.push({ ...d, model, alarmProperty: v['alarm-property'], alarmThreshold: o.alarmThreshold });
  }
  if (!devices.length) return bad('没有可模拟的设备');

  console.log(`模拟 ${devices.length} 台设备（${models.size} 个产品）→ ${v.url}，每 ${o.interval} 毫秒上报一次（±${o.jitter * 100}%），告警比例 ${o.alarmRate}，客户端 ${v.client}`);
  const startedAt = Date.now();
  let shown = 0;
  const sim = startSimulator({
    url: v.url, devices, client: v.client as 'mqtt' | 'raw', intervalMs: o.interval, jitter: o.jitter, alarmRate: o.alarmRate, qos: o.qos,
    signMethod: v.sign as SignMethod, keepalive: o.keepalive, localAddresses: v['source-addresses']?.split(',').map((x) => x.trim()).filter(Boolean),
    connectConcurrency: v.client === 'raw' ? 500 : 100,
    onError: (d, e) => shown++ < 10 && console.error(`${d.productKey}/${d.deviceKey}：${e.message}`),
  });
  const timer = setInterval(() => console.log(line(sim.stats(), startedAt)), 10_000);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    if (o.duration) setTimeout(resolve, o.duration * 1000);
  });
  clearInterval(timer);
  await sim.stop();
  console.log(line(sim.stats(), startedAt));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(e.message);
    process.exit(1);
  },
);
