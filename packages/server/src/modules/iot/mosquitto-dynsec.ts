import crypto from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { eq } from 'drizzle-orm';
import type { BrokerSyncResult } from '@cityops/contracts';
import type { Db } from '../../core/db.js';
import { staticPassword } from './device-auth.service.js';
import { iotDevice } from './device.table.js';
import type { DeviceDirectory } from './ports.js';
import { iotProduct } from './product.table.js';

/**
 * 同步到外部 Broker: provisions Mosquitto's dynamic-security plugin with every device that may
 * connect — a client `{dk}&{pk}` with the static password the platform's device authentication
 * also accepts (`hmacsm3::HMAC-SM3(secret, pk + dk)`), and a role allowing only the device's own
 * topics — removes the devices that may no longer connect, and gives the platform's own client a
 * role to consume every device topic and publish down-link. The platform's client (IOT_BROKER_USERNAME)
 * must hold dynamic-security admin rights (`mosquitto_ctrl dynsec init` creates such an account).
 */
const CONTROL_TOPIC = '$CONTROL/dynamic-security/v1';
const RESPONSE_TOPIC = `${CONTROL_TOPIC}/response`;
export const PLATFORM_ROLE = 'cityops-platform';
const COMMANDS_PER_MESSAGE = 50;
const RESPONSE_TIMEOUT_MS = 10_000;
/** Device clients are the ones named `{dk}&{pk}`: the only ones a sync creates or removes. */
const DEVICE_USERNAME = /^[^&]+&[^&]+$/;

export const deviceUsername = (productKey: string, deviceKey: string) => `${deviceKey}&${productKey}`;
const deviceRole = (productKey: string, deviceKey: string) => `cityops-device-${productKey}-${deviceKey}`;

type Command = Record<string, unknown> & { command: string };
interface Response {
  command: string;
  error?: string;
  data?: Record<string, unknown>;
  correlationData?: string;
}

const ownAcls = (productKey: string, deviceKey: string) =>
  [`/sys/${productKey}/${deviceKey}/#`, `/ota/${productKey}/${deviceKey}/#`].flatMap((topic) => [
    { acltype: 'publishClientSend', topic, priority: 0, allow: true },
    { acltype: 'publishClientReceive', topic, priority: 0, allow: true },
    { acltype: 'subscribePattern', topic, priority: 0, allow: true },
  ]);

const platformAcls = (group: string) =>
  ['/sys/+/+/#', '/ota/+/+/#', 'sys/+/+/#', 'ota/+/+/#'].flatMap((topic) => [
    { acltype: 'subscribePattern', topic, priority: 0, allow: true },
    { acltype: 'subscribePattern', topic: `$share/${group}/${topic}`, priority: 0, allow: true },
    { acltype: 'publishClientSend', topic, priority: 0, allow: true },
    { acltype: 'publishClientReceive', topic, priority: 0, allow: true },
  ]);

/** Sends dynamic-security commands and returns their responses, in order. */
async function controlSession(client: MqttClient) {
  await client.subscribeAsync(RESPONSE_TOPIC, { qos: 1 });
  let waiter: ((r: Response[]) => void) | undefined;
  client.on('message', (topic, payload) => {
    if (topic !== RESPONSE_TOPIC || !waiter) return;
    try {
      waiter((JSON.parse(payload.toString()) as { responses: Response[] }).responses ?? []);
    } catch {
      waiter([]);
    }
  });
  return async function run(commands: Command[]): Promise<Response[]> {
    const out: Response[] = [];
    for (let i = 0; i < commands.length; i += COMMANDS_PER_MESSAGE) {
      const chunk = commands.slice(i, i + COMMANDS_PER_MESSAGE).map((c, j) => ({ ...c, correlationData: String(i + j) }));
      const answer = new Promise<Response[]>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no answer from the dynamic-security plugin')), RESPONSE_TIMEOUT_MS);
        waiter = (r) => {
          clearTimeout(timer);
          waiter = undefined;
          resolve(r);
        };
      });
      await client.publishAsync(CONTROL_TOPIC, JSON.stringify({ commands: chunk }), { qos: 1 });
      const responses = await answer;
      const byId = new Map(responses.map((r) => [r.correlationData, r]));
      for (const c of chunk) out.push(byId.get(c.correlationData) ?? { command: c.command, error: '无应答' });
    }
    return out;
  };
}

export function mosquittoDynsec(d: {
  url: string;
  username?: string;
  password?: string;
  shareGroup: string;
  nodeId: string;
  db: Db;
  directory: DeviceDirectory;
}) {
  return {
    async sync(): Promise<BrokerSyncResult> {
      const client = await connectAsync(d.url, {
        protocolVersion: 5, clientId: `cityops-dynsec-${d.nodeId}-${crypto.randomBytes(3).toString('hex')}`,
        username: d.username, password: d.password, reconnectPeriod: 0, connectTimeout: 10_000,
      });
      try {
        const run = await controlSession(client);
        const [list] = await run([{ command: 'listClients', verbose: false, count: -1, offset: 0 }]);
        if (list?.error) throw new Error(`listClients: ${list.error}`);
        const existing = new Set(((list?.data?.clients as string[] | undefined) ?? []).filter((u) => DEVICE_USERNAME.test(u)));

        const rows = await d.db
          .select({ productKey: iotProduct.productKey, deviceKey: iotDevice.deviceKey, status: iotDevice.status, deregisteredAt: iotDevice.deregisteredAt, enabled: iotProduct.enabled, nodeType: iotProduct.nodeType, authMode: iotProduct.authMode })
          .from(iotDevice)
          .innerJoin(iotProduct, eq(iotProduct.id, iotDevice.productId));

        const commands: Command[] = [];
        const subjects: string[] = [];
        const result: BrokerSyncResult = { provisioned: 0, removed: 0, failed: 0, errors: [] };
        const wanted = new Set<string>();
        for (const r of rows) {
          if (r.deregisteredAt || r.status === 'disabled' || !r.enabled || r.nodeType === 'sub') continue;
          const device = await d.directory.device(r.productKey, r.deviceKey);
          const secret = device && (await d.directory.secretOf(device, r.authMode === 'product_secret' ? 'product' : 'device'));
          if (!secret) {
            result.failed++;
            result.errors.push({ deviceKey: r.deviceKey, message: '读取设备密钥失败' });
            continue;
          }
          const username = deviceUsername(r.productKey, r.deviceKey);
          const rolename = deviceRole(r.productKey, r.deviceKey);
          const password = staticPassword(secret, r.productKey, r.deviceKey);
          wanted.add(username);
          // A role that already exists keeps its (identical) ACLs; its "already exists" is expected.
          commands.push({ command: 'createRole', rolename, acls: ownAcls(r.productKey, r.deviceKey) });
          subjects.push('');
          if (existing.has(username)) {
            commands.push({ command: 'setClientPassword', username, password });
            commands.push({ command: 'addClientRole', username, rolename, priority: 0 });
            subjects.push(username, '');
          } else {
            commands.push({ command: 'createClient', username, password, textname: device.name, roles: [{ rolename, priority: 0 }] });
            subjects.push(username);
          }
        }
        for (const username of existing) {
          if (wanted.has(username)) continue;
          const [deviceKey, productKey] = username.split('&') as [string, string];
          commands.push({ command: 'deleteClient', username }, { command: 'deleteRole', rolename: deviceRole(productKey, deviceKey) });
          subjects.push(`-${username}`, '');
        }
        commands.push({ command: 'createRole', rolename: PLATFORM_ROLE, acls: platformAcls(d.shareGroup) });
        subjects.push('');

        const responses = await run(commands);
        responses.forEach((r, i) => {
          const subject = subjects[i]!;
          const ok = !r.error || /already (exists|has)/i.test(r.error);
          if (!subject) return;
          if (!ok) {
            result.failed++;
            result.errors.push({ deviceKey: subject.replace(/^-/, '').split('&')[0]!, message: r.error! });
          } else if (subject.startsWith('-')) result.removed++;
          else result.provisioned++;
        });
        // Mosquitto disconnects a client whose roles change — this connection and the consumers
        // included (they reconnect) — so the platform's role is given last, once, unanswered.
        if (d.username) {
          const [me] = await run([{ command: 'getClient', username: d.username }]);
          const roles = ((me?.data?.client as { roles?: { rolename: string }[] } | undefined)?.roles ?? []).map((r) => r.rolename);
          if (!roles.includes(PLATFORM_ROLE)) {
            client.publish(CONTROL_TOPIC, JSON.stringify({ commands: [{ command: 'addClientRole', username: d.username, rolename: PLATFORM_ROLE, priority: 10 }] }), { qos: 0 });
          }
        }
        return result;
      } finally {
        await client.endAsync().catch(() => {});
      }
    },
  };
}
export type MosquittoDynsec = ReturnType<typeof mosquittoDynsec>;
