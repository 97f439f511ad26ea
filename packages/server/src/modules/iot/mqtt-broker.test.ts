import dgram from 'node:dgram';
import net from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { describe, expect, it } from 'vitest';
import { memoryCache } from '../../core/cache.js';
import { coapAccess } from './coap-server.js';
import { deviceAuthService } from './device-auth.service.js';
import { isDownlinkTopic, topicKeys, traceKindOf } from './device-topics.js';
import { embeddedBroker, topicMatches } from './mqtt-broker.js';
import type { DeviceDirectory, Ingest } from './ports.js';
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
