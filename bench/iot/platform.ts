/**
 * CityOps' side of bench/iot: the bench database (migrated and seeded by the real app once), the
 * bench product with its devices registered in bulk (secrets SM4-encrypted with the platform's own
 * key, as the device service stores them), the threshold rule, the broker-node processes, and the
 * row counts that prove what was written.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { buildApp } from '../../packages/server/src/app.js';
import { loadConfig } from '../../packages/server/src/core/config.js';
import { fieldCipher } from '../../packages/server/src/core/crypto/field.js';
import { loadKeys } from '../../packages/server/src/core/crypto/keys.js';
import { iotProduct } from '../../packages/server/src/modules/iot/product.table.js';
import { ruleRepository } from '../../packages/server/src/modules/iot/rule.repository.js';
import { freePort, stop, waitForPort } from './procs.js';
import { GAS_MODEL, GAS_PROPERTY, GAS_PRODUCT_KEY, GAS_THRESHOLD, deviceKey, deviceSecret } from './shared.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RULE_NAME = '压测燃气浓度超限';

export async function query<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(text, values)).rows;
  } finally {
    await c.end();
  }
}

/** Drops and recreates the bench database; with `reuse` keeps an existing one. Returns whether it was reused. */
export async function prepareDatabase(url: string, reuse: boolean) {
  const name = new URL(url).pathname.slice(1);
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected database name ${name}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const exists = (await query(admin.toString(), 'select 1 from pg_database where datname = $1', [name])).length > 0;
  if (reuse && exists) return true;
  await query(admin.toString(), `drop database if exists ${name} with (force)`);
  await query(admin.toString(), `create database ${name}`);
  return false;
}

export interface PlatformSetup {
  productId: string;
  authMode: 'device_secret' | 'product_secret';
  /** Clear text, for 一型一密 logins. */
  productSecret: string;
  orgId: string;
  ruleId: string;
  registered: number;
  seedMs: number;
}

/**
 * Migrates and seeds through the real app (demo organisations, event catalogue, IoT seeds), then
 * registers `devices` devices of the bench gas product (keys d000000…, secrets derived from `seed`)
 * for a town's 城运中心, with a threshold rule that raises an alarm and an event-hub event.
 */
export async function setupPlatform(url: string, o: { devices: number; authMode: 'device_secret' | 'product_secret'; seed: string; log: (s: string) => void }): Promise<PlatformSetup> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-iot-bench-'));
  const t0 = performance.now();
  const app = await buildApp(loadConfig({
    DATA_DIR: dataDir, DATABASE_URL: url, LOG_LEVEL: 'silent', DEMO_DATA: 'true', DEMO_EVENTS: 'false', DEMO_IOT: 'false',
    IOT_MQTT_PORT: '0', IOT_COAP_PORT: '0', ADMIN_INITIAL_PASSWORD: 'Initial#2026pw', PASSWORD_KDF_ITERATIONS: '1000',
    WEB_DIST: path.join(dataDir, 'no-web'), DATABASE_POOL_SIZE: '3',
  }));
  o.log(`app built once (migrations, seeds, demo organisations): ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  try {
    const db = app.database.db;
    const keys = await loadKeys(db);
    const fields = fieldCipher(keys.fieldKey, keys.blindIndexKey);
    const productSecret = deviceSecret(o.seed, -1);

    const [product] = await db
      .insert(iotProduct)
      .values({
        productKey: GAS_PRODUCT_KEY, name: '压测燃气报警器', category: 'gas', nodeType: 'direct', protocol: 'mqtt', authMode: o.authMode,
        productSecret: fields.encrypt(productSecret), thingModel: GAS_MODEL, offlineSeconds: 600, description: 'bench/iot',
      })
      .onConflictDoUpdate({ target: iotProduct.productKey, set: { authMode: o.authMode, productSecret: fields.encrypt(productSecret), thingModel: GAS_MODEL, enabled: true } })
      .returning();

    const [org] = await query<{ id: string; regionCode: string | null }>(url,
      `select c.id, t.region_code as "regionCode" from sys_org c join sys_org t on t.id = c.parent_id
        where c.tags ? '镇街城运中心' and c.enabled order by c.path limit 1`);
    if (!org) throw new Error('no town 城运中心 in the demo organisations');

    // Registered in bulk: the rows the device service would write (SM4-encrypted secret), many per statement.
    const t1 = performance.now();
    const [{ n: present }] = await query<{ n: number }>(url, 'select count(*)::int as n from iot_device where product_id = $1', [product.id]);
    const BATCH = 20_000;
    for (let from = present; from < o.devices; from += BATCH) {
      const keysOf: string[] = [];
      const names: string[] = [];
      const secrets: string[] = [];
      const lngs: number[] = [];
      const lats: number[] = [];
      for (let i = from; i < Math.min(o.devices, from + BATCH); i++) {
        keysOf.push(deviceKey(i));
        names.push(`燃气报警器-${String(i).padStart(6, '0')}`);
        secrets.push(fields.encrypt(deviceSecret(o.seed, i)));
        lngs.push(103.55 + Math.random() * 0.25);
        lats.push(30.55 + Math.random() * 0.2);
      }
      await query(url,
        `insert into iot_device (product_id, device_key, name, secret, org_id, region_code, lng, lat, address)
         select $1, k, n, s, $2, $3, x, y, '崇州市压测点位' from unnest($4::text[], $5::text[], $6::text[], $7::float8[], $8::float8[]) as t(k, n, s, x, y)
         on conflict do nothing`,
        [product.id, org.id, org.regionCode, keysOf, names, secrets, lngs, lats]);
    }
    const [{ n: registered }] = await query<{ n: number }>(url, 'select count(*)::int as n from iot_device where product_id = $1', [product.id]);

    const rules = ruleRepository(db);
    const [existing] = await query<{ id: string }>(url, 'select id from iot_rule where name = $1 and product_id = $2', [RULE_NAME, product.id]);
    const rule = existing ?? (await rules.insertRule({
      name: RULE_NAME, modelId: (await rules.modelByName('燃气浓度超限'))?.id ?? null, kind: 'threshold', productId: product.id, deviceIds: [],
      params: { property: GAS_PROPERTY, operator: '>=', value: GAS_THRESHOLD }, actions: [{ type: 'alarm' }, { type: 'event' }],
      level: 'critical', enabled: true, description: 'bench/iot',
    }));
    return { productId: product.id, authMode: o.authMode, productSecret, orgId: org.id, ruleId: rule.id, registered, seedMs: performance.now() - t1 };
  } finally {
    await app.close();
  }
}

export interface BrokerNode {
  port: number;
  proc: ChildProcess;
  /** An application node (HTTP, event hub, embedded broker) rather than a broker-only node. */
  app: boolean;
}

/**
 * Starts the MQTT nodes, all on the bench database, each on its own port: `apps` application nodes
 * (packages/server/src/main.ts with its embedded broker: the rules there turn alarms into event-hub
 * events) and broker-only nodes for the rest (packages/server/src/iot-broker.ts: embedded broker +
 * ingest + rules, no HTTP; their alarms are recorded without an event). BENCH_BROKER_CMD=dist runs
 * the compiled packages/server/dist/*.js instead of the TypeScript source through tsx.
 */
export async function startBrokers(url: string, n: number, o: { apps: number; env: Record<string, string>; nodeArgs: string[] }): Promise<BrokerNode[]> {
  const dist = process.env.BENCH_BROKER_CMD === 'dist';
  const entry = (name: string) => (dist ? path.join(root, `packages/server/dist/${name}.js`) : path.join(root, `packages/server/src/${name}.ts`));
  for (const e of [entry('iot-broker'), entry('main')]) {
    if (!fs.existsSync(e)) throw new Error(`${path.relative(root, e)} does not exist${dist ? ' (npm run build -w @cityops/server)' : ''}`);
  }
  const nodes: BrokerNode[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-iot-brokers-'));
  for (let i = 0; i < n; i++) {
    const app = i < o.apps;
    const port = await freePort();
    const proc = spawn(process.execPath, [...(dist ? [] : ['--import', 'tsx']), ...o.nodeArgs, entry(app ? 'main' : 'iot-broker')], {
      cwd: root,
      env: {
        ...process.env, DATABASE_URL: url, DATA_DIR: dataDir, IOT_MQTT_PORT: String(port), IOT_MQTT_HOST: '127.0.0.1', IOT_COAP_PORT: '0',
        LOG_LEVEL: 'warn', DEMO_DATA: 'false', DEMO_EVENTS: 'false', DEMO_IOT: 'false', ADMIN_INITIAL_PASSWORD: 'Initial#2026pw',
        ...(app ? { PORT: String(await freePort()), HOST: '127.0.0.1', WEB_DIST: path.join(dataDir, 'no-web') } : {}),
        ...o.env,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    nodes.push({ port, proc, app });
  }
  try {
    // Started together: they migrate under PostgreSQL's advisory lock and listen when ready.
    await Promise.all(nodes.map((b) => waitForPort(b.port, 300_000, () => b.proc.exitCode === null)));
  } catch (e) {
    await stopBrokers(nodes);
    throw e;
  }
  return nodes;
}

export const stopBrokers = (nodes: BrokerNode[]) => Promise.all(nodes.map((b) => stop(b.proc)));

/** What the platform wrote: history rows, devices with latest values, trace rows, devices marked online. */
export async function rowCounts(url: string, productId: string) {
  const [r] = await query<{ telemetry: number; state: number; traces: number; online: number }>(url,
    `select (select count(*) from iot_telemetry)::int as telemetry,
            (select count(*) from iot_device_state)::int as state,
            (select count(*) from iot_message)::int as traces,
            (select count(*) from iot_device where product_id = $1 and status = 'online')::int as online`, [productId]);
  return r;
}

/** Statements' transactions committed in the bench database so far (every statement outside a transaction counts as one). */
export async function pgCommits(url: string) {
  const [r] = await query<{ n: string }>(url, 'select xact_commit::text as n from pg_stat_database where datname = current_database()');
  return Number(r.n);
}

/**
 * PostgreSQL's CPU seconds so far, all processes: each backend's last reading is kept after it
 * exits (short-lived connections come and go), so the figure only grows.
 */
export function postgresCpuMeter(): () => number {
  const last = new Map<string, number>();
  return () => {
    for (const pid of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
        const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
        last.set(pid, (Number(f[11]) + Number(f[12])) / 100);
      } catch {
        // Gone meanwhile: its last reading stays.
      }
    }
    let total = 0;
    for (const v of last.values()) total += v;
    return total;
  };
}
