import dgram from 'node:dgram';
import net from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import mqtt from 'mqtt';
import mqttPacket from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { memoryCache } from '../../core/cache.js';
import { coapAccess } from './coap-server.js';
import { deviceAuthService } from './device-auth.service.js';
import { isDownlinkTopic, topicKeys, traceKindOf } from './device-topics.js';
import { embeddedBroker, topicMatches } from './mqtt-broker.js';
import type { DeviceDirectory, DeviceRef, Ingest } from './ports.js';
import { freePort } from '../../test/iot-devices.js';
import { trafficStats } from './traffic-stats.js';

const quiet = { error() {}, warn() {}, info() {}, debug() {} } as unknown as FastifyBaseLogger;
const nothing = async () => undefined;
const directory = { product: nothing, productById: nothing, device: nothing, deviceById: nothing, secretOf: nothing } as unknown as DeviceDirectory;
const ingest = { trace() {}, presence: async () => {}, accept: async () => ({ ok: true, code: 200 }) } as unknown as Ingest;
const auth = deviceAuthService({ directory, ingest, cache: memoryCache(), signSkewSeconds: 600 });

describe('topics', () => {
  it('matches MQTT filters', () => {
    expect(topicMatches('/sys/pk/dk/#', '/sys/pk/dk/thing/property/set')).toBe(true);
    expect(topicMatches('/sys/pk/dk/thing/+/set', '/sys/pk/dk/thing/property/set')).toBe(true);
    expect(topicMatches('/sys/pk/dk/thing/+', '/sys/pk/dk/thing/property/set')).toBe(false);
    expect(topicMatches('/sys/pk/other/#', '/sys/pk/dk/thing/property/set')).toBe(false);
  });

  it('tells down-link topics from up-link ones, and names the device of any device topic', () => {
    const down = ['/sys/p/d/thing/property/post_reply', '/sys/p/d/thing/event/fire/post_reply', '/sys/p/d/thing/property/set', '/sys/p/d/thing/service/reboot', '/ota/p/d/upgrade', 'sys/p/d/thing/property/set'];
    const up = ['/sys/p/d/thing/property/post', '/sys/p/d/thing/event/fire/post', '/sys/p/d/thing/property/set_reply', '/sys/p/d/thing/service/reboot_reply', '/sys/p/d/thing/sub/post', '/ota/p/d/progress', '/ota/p/d/inform'];
    expect(down.filter((t) => !isDownlinkTopic(t))).toEqual([]);
    expect(up.filter(isDownlinkTopic)).toEqual([]);
    expect(topicKeys('/sys/p1/d1/thing/property/post')).toEqual({ productKey: 'p1', deviceKey: 'd1' });
    expect(topicKeys('ota/p1/d1/inform')).toEqual({ productKey: 'p1', deviceKey: 'd1' });
    expect(topicKeys('/sys/+/d1/x')).toBeUndefined();
    expect(up.map(traceKindOf)).toEqual(['property', 'event', 'reply', 'reply', 'property', 'ota', 'ota']);
  });
});

describe('listeners on a taken port', () => {
  it('report the MQTT port as taken instead of failing the start', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    const broker = embeddedBroker({ host: '127.0.0.1', port, auth, ingest, stats: trafficStats(), log: quiet });
    try {
      await broker.start();
      expect(broker.status()).toEqual({ state: 'error', host: '127.0.0.1', port, error: `端口 ${port} 已被占用` });
    } finally {
      await broker.close();
      blocker.close();
    }
  });

  it('report the CoAP port as taken', async () => {
    const blocker = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => blocker.bind(0, '127.0.0.1', resolve));
    const port = blocker.address().port;
    const coap = coapAccess({ host: '127.0.0.1', port, auth, ingest, stats: trafficStats(), log: quiet });
    try {
      await coap.start();
      expect(coap.status()).toMatchObject({ state: 'error', error: `端口 ${port} 已被占用` });
    } finally {
      await coap.close();
      blocker.close();
    }
  });
});

describe('a connection that sends garbage right after its CONNECT', () => {
  it('is closed, and the broker lives on', async () => {
    const port = await freePort();
    const broker = embeddedBroker({ host: '127.0.0.1', port, auth, ingest, stats: trafficStats(), log: quiet });
    await broker.start();
    try {
      for (const protocolVersion of [4, 5]) {
        const socket = net.connect(port, '127.0.0.1');
        const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
        socket.on('error', () => {});
        // Whatever the broker answers (MQTT 5: DISCONNECT, protocol error) is read, so that its end arrives.
        socket.resume();
        const connect = mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion, clientId: `g${protocolVersion}`, clean: true, keepalive: 0 } as mqttPacket.IConnectPacket);
        // One write, one read on the other side: the parser that looks at CONNECT also meets what follows ('H' reads as a PUBACK with bad flags).
        socket.write(Buffer.concat([connect, Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n')]));
        await closed;
      }
      expect(broker.status().state).toBe('listening');
    } finally {
      await broker.close();
    }
  });
});

describe('many devices at once, MQTT 3.1.1 and 5', () => {
  it('acknowledges every QoS 1 report with a well-formed PUBACK and delivers every reply, the stream never out of step', async () => {
    // Every login is a device of product PK named by its user name; ingest commits after a random moment, as the batched writer does.
    const ref = (dk: string) => ({ id: dk, productId: 'p', productKey: 'PK', deviceKey: dk, name: dk, status: 'online', deregistered: false, testMode: false, gatewayId: null, allowedAddresses: [] }) as unknown as DeviceRef;
    const anyDevice = { authenticateMqtt: async (username: string) => ({ ok: true, device: ref(username.split('&')[0]!) }), deny() {} } as unknown as Parameters<typeof embeddedBroker>[0]['auth'];
    const slowIngest = {
      trace() {}, presence: async () => {},
      accept: async (up: { topic: string; payload: Buffer }) => {
        await new Promise((r) => setTimeout(r, Math.random() * 20));
        return { ok: true, code: 200, msgId: (JSON.parse(up.payload.toString()) as { id: string }).id, replyTopic: `${up.topic}_reply` };
      },
    } as unknown as Ingest;
    const port = await freePort();
    const broker = embeddedBroker({ host: '127.0.0.1', port, auth: anyDevice, ingest: slowIngest, stats: trafficStats(), log: quiet });
    await broker.start();
    const errors: string[] = [];
    try {
      await Promise.all(Array.from({ length: 12 }, async (_, i) => {
        const dk = `dev-${i}`;
        const protocolVersion = i % 2 ? 5 : 4;
        const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { username: `${dk}&PK`, password: 'x', protocolVersion, reconnectPeriod: 0 });
        c.on('error', (err) => errors.push(`${dk} (v${protocolVersion}): ${err.message}`));
        const replies: string[] = [];
        c.on('message', (_topic, payload) => replies.push((JSON.parse(payload.toString()) as { id: string }).id));
        await c.subscribeAsync(`/sys/PK/${dk}/#`, { qos: 1 });
        // Payloads of every size around the 127 / 16383 byte length boundaries, upper-case text (bytes 0x41–0x4F look like PUBACK headers).
        const acks = await Promise.all(Array.from({ length: 150 }, (_, j) =>
          c.publishAsync(`/sys/PK/${dk}/thing/property/post`, JSON.stringify({ id: `${j}`, params: { TEXT: 'ABCDEFGHIJKLMNO'.repeat((j * 37) % 1200) } }), { qos: 1 })));
        // Someone else's topic: MQTT 5 hears "not authorized" in the PUBACK, 3.1.1 a plain PUBACK.
        const refused = await c.publishAsync('/sys/PK/other/thing/property/post', '{}', { qos: 1 }).then((p) => p?.reasonCode ?? 0, (e: { code?: number }) => e.code);
        expect(refused).toBe(protocolVersion === 5 ? 0x87 : 0);
        expect(acks.filter((p) => (p?.reasonCode ?? 0) !== 0)).toEqual([]);
        await new Promise<void>((resolve, reject) => {
          const t = setTimeout(() => reject(new Error(`${dk}: ${replies.length} replies`)), 10_000);
          const check = () => (replies.length >= 150 ? (clearTimeout(t), resolve()) : setTimeout(check, 20));
          check();
        });
        expect(new Set(replies).size).toBe(150);
        await c.endAsync();
      }));
      expect(errors).toEqual([]);
    } finally {
      await broker.close();
    }
  }, 60_000);
});
