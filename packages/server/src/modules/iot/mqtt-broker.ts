import net from 'node:net';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import type { FastifyBaseLogger } from 'fastify';
import type { ConnectedClient } from '@cityops/contracts';
import { plainIp, type DeviceAuthService } from './device-auth.service.js';
import { traceKindOf } from './device-topics.js';
import { acceptMqttConnection, REASON_NOT_AUTHORIZED, type MqttConnectionInfo } from './mqtt5-bridge.js';
import type { DeviceRef, Ingest } from './ports.js';
import { topicBelongsTo } from './topic.js';
import type { TrafficStats } from './traffic-stats.js';

/**
 * The embedded MQTT broker (aedes, MQTT 3.1.1 and — through `mqtt5-bridge.ts` — 5). Devices sign in
 * through the device authentication; a device may publish and subscribe only under its own topics;
 * every publish goes through ingest, and a QoS 1 PUBACK leaves only after ingest has committed it.
 * Device messages are never routed to other clients: the broker is the platform's ear, not a bus.
 * The platform reaches a connected device with `deliver` (down-link, replies).
 */

/** Marks the packets the platform sends, the only ones forwarded to a client. */
const PLATFORM_ORIGIN = '$platform';
const PAYLOAD_TRACE_MAX = 4096;
/** A device report is a small JSON document; anything far larger is refused and the connection closed. */
const MAX_PAYLOAD_BYTES = 256 * 1024;

/** MQTT topic filter matching ('+' one level, '#' the rest). */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length || (f[i] !== '+' && f[i] !== t[i])) return false;
  }
  return f.length === t.length;
}

export interface ListenerStatus {
  state: 'off' | 'listening' | 'error';
  host: string;
  port: number;
  error: string | null;
}

interface Session {
  client: Client;
  device: DeviceRef;
  ip: string | undefined;
  protocolVersion: number;
  keepalive: number;
  connectedAt: Date;
}

type Conn = MqttConnectionInfo & { remoteAddress?: string };

export interface EmbeddedBroker {
  /** Starts listening; a taken port is reported in `status()`, never thrown. */
  start(): Promise<void>;
  status(): ListenerStatus;
  /** Devices connected to this node now. */
  clientCount(): number;
  clients(o: { keyword?: string; page: number; pageSize: number }): { items: ConnectedClient[]; total: number };
  isConnected(deviceId: string): boolean;
  /** The devices with a connection on this node. */
  deviceIds(): string[];
  /** Sends to the device's connections on this node subscribed to the topic; false when there is none. */
  deliver(deviceId: string, topic: string, payload: Buffer, qos: 0 | 1): Promise<boolean>;
  /** Closes the device's connections on this node (disabled, deregistered). */
  disconnect(deviceId: string): number;
  close(): Promise<void>;
}

export function embeddedBroker(d: {
  host: string;
  port: number;
  auth: DeviceAuthService;
  ingest: Ingest;
  stats: TrafficStats;
  log: FastifyBaseLogger;
  connectTimeoutMs?: number;
}): EmbeddedBroker {
  const sessions = new Map<Client, Session>();
  const byDevice = new Map<string, Set<Session>>();
  const pending = new WeakMap<Client, { device: DeviceRef; keepalive: number }>();
  const keepalives = new WeakMap<Client, number>();
  const listener: ListenerStatus = { state: 'off', host: d.host, port: d.port, error: null };
  let aedes: Aedes | undefined;
  let server: net.Server | undefined;
  /** Every socket, so that closing does not wait for ones that never sent CONNECT. */
  const sockets = new Set<net.Socket>();

  const connOf = (client: Client) => client.conn as unknown as Conn;
  /** A client is sent only what it subscribed to (its filters are its own topics, by the ACL). */
  const subscribed = (client: Client, topic: string) =>
    Object.keys((client as unknown as { subscriptions: Record<string, unknown> }).subscriptions).some((f) => topicMatches(f, topic));
  const write = (client: Client, topic: string, payload: Buffer, qos: 0 | 1) =>
    new Promise<void>((resolve, reject) =>
      client.publish({ cmd: 'publish', topic, payload, qos, retain: false, dup: false, clientId: PLATFORM_ORIGIN } as never, (err) => (err ? reject(err) : resolve())),
    );

  /**
   * The device behind a client. aedes handles a client's packets from the moment CONNACK is sent,
   * a little before `clientReady` registers the session: until then it comes from the login.
   */
  const sessionOf = (client: Client): Pick<Session, 'device' | 'ip'> | undefined => {
    const s = sessions.get(client);
    if (s) return s;
    const p = pending.get(client);
    return p && { device: p.device, ip: plainIp(connOf(client).remoteAddress) };
  };

  const deliver = async (deviceId: string, topic: string, payload: Buffer, qos: 0 | 1) => {
    const targets = [...(byDevice.get(deviceId) ?? [])].filter((s) => subscribed(s.client, topic));
    if (!targets.length) return false;
    await Promise.all(targets.map((s) => write(s.client, topic, payload, qos)));
    d.stats.out.add();
    return true;
  };

  const configure = (broker: Aedes) => {
    broker.preConnect = (client, packet, cb) => {
      keepalives.set(client, packet.keepalive ?? 0);
      cb(null, true);
    };

    broker.authenticate = (client, username, password, cb) => {
      const ip = plainIp(connOf(client).remoteAddress);
      d.auth.authenticateMqtt(username, password?.toString(), { channel: 'mqtt', ip }).then(
        (outcome) => {
          if (!outcome.ok) {
            const err = new Error(outcome.reason) as AuthenticateError;
            // 4 bad user name or password (signature, unknown device); 5 not authorized (disabled, address).
            (err as { returnCode: number }).returnCode = outcome.badCredentials ? 4 : 5;
            return cb(err, false);
          }
          pending.set(client, { device: outcome.device, keepalive: keepalives.get(client) ?? 0 });
          cb(null, true);
        },
        (err: Error) => {
          d.log.error({ err }, 'mqtt authentication failed');
          const e = new Error('server unavailable') as AuthenticateError;
          (e as { returnCode: number }).returnCode = 3;
          cb(e, false);
        },
      );
    };

    broker.authorizePublish = (client, packet, cb) => {
      const session = client && sessionOf(client);
      if (!client || !session) return cb(new Error('not connected'));
      // Nothing is kept for later subscribers.
      packet.retain = false;
      const { device } = session;
      if (packet.payload.length > MAX_PAYLOAD_BYTES) {
        d.auth.deny('mqtt', device, `报文超过 ${MAX_PAYLOAD_BYTES / 1024} KB`, { ip: session.ip, topic: packet.topic, kind: traceKindOf(packet.topic) });
        return cb(new Error('payload too large'));
      }
      if (!topicBelongsTo(packet.topic, device.productKey, device.deviceKey)) {
        d.auth.deny('mqtt', device, '无权向其他设备的主题发布', {
          ip: session.ip, topic: packet.topic, kind: traceKindOf(packet.topic),
          payload: Buffer.from(packet.payload).subarray(0, PAYLOAD_TRACE_MAX).toString(),
        });
        // Acknowledged and dropped (MQTT 3.1.1 allows either that or closing the connection); MQTT 5
        // gets "not authorized" in its PUBACK. Nothing is routed between clients, so nothing leaks.
        if (packet.qos > 0 && packet.messageId !== undefined) connOf(client).refuseAck?.(packet.messageId, REASON_NOT_AUTHORIZED);
        return cb(null);
      }
      d.stats.in.add();
      d.ingest
        .accept({ device, channel: 'mqtt', topic: packet.topic, payload: Buffer.from(packet.payload), receivedAt: Date.now(), clientIp: session.ip })
        .then(
          (result) => {
            if (result.replyTopic) {
              const reply = { id: result.msgId ?? '', code: result.code, message: result.message ?? 'success' };
              deliver(device.id, result.replyTopic, Buffer.from(JSON.stringify(reply)), 0).catch(() => {});
            }
            cb(null);
          },
          (err: Error) => {
            // Not acknowledged: the connection closes and the device sends it again.
            d.log.error({ err, topic: packet.topic }, 'ingest failed');
            cb(err);
          },
        );
    };

    broker.authorizeSubscribe = (client, sub, cb) => {
      const session = sessionOf(client);
      if (!session) return cb(new Error('not connected'));
      if (!topicBelongsTo(sub.topic, session.device.productKey, session.device.deviceKey)) {
        d.auth.deny('mqtt', session.device, '无权订阅其他设备的主题', { ip: session.ip, topic: sub.topic });
        // A refused filter: SUBACK 0x80 (MQTT 5: not authorized).
        return cb(null, null);
      }
      cb(null, { ...sub, qos: sub.qos > 1 ? 1 : sub.qos });
    };

    broker.authorizeForward = (_client, packet) => ((packet as { clientId?: string }).clientId === PLATFORM_ORIGIN ? packet : null);

    broker.on('clientReady', (client) => {
      const p = pending.get(client);
      if (!p) return;
      const conn = connOf(client);
      const session: Session = {
        client, device: p.device, ip: plainIp(conn.remoteAddress), protocolVersion: conn.protocolVersion ?? client.version,
        keepalive: p.keepalive, connectedAt: new Date(),
      };
      sessions.set(client, session);
      let set = byDevice.get(p.device.id);
      if (!set) byDevice.set(p.device.id, (set = new Set()));
      set.add(session);
      d.ingest.presence(p.device, true, { ip: session.ip, channel: 'mqtt' }).catch((err) => d.log.error({ err }, 'presence failed'));
    });

    broker.on('clientDisconnect', (client) => {
      const session = sessions.get(client);
      if (!session) return;
      sessions.delete(client);
      const set = byDevice.get(session.device.id);
      set?.delete(session);
      if (set && set.size === 0) {
        byDevice.delete(session.device.id);
        d.ingest.presence(session.device, false, { ip: session.ip, channel: 'mqtt' }).catch((err) => d.log.error({ err }, 'presence failed'));
      }
    });

    // Refused logins and broken connections are traced or expected; they are not server errors.
    broker.on('clientError', (client, err) => d.log.debug({ err, clientId: client.id }, 'mqtt client error'));
    broker.on('connectionError', (_client, err) => d.log.debug({ err }, 'mqtt connection error'));
  };

  return {
    async start() {
      if (!d.port) return;
      aedes = await Aedes.createBroker({ connectTimeout: d.connectTimeoutMs ?? 30_000, drainTimeout: 30_000, heartbeatInterval: 3_600_000 });
      configure(aedes);
      const broker = aedes;
      server = net.createServer((socket) => {
        socket.on('error', () => {});
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
        acceptMqttConnection(socket, (stream) => broker.handle(stream), { connectTimeoutMs: d.connectTimeoutMs ?? 30_000 });
      });
      await new Promise<void>((resolve) => {
        server!.once('error', (err: NodeJS.ErrnoException) => {
          listener.state = 'error';
          listener.error = err.code === 'EADDRINUSE' ? `端口 ${d.port} 已被占用` : `无法监听 ${d.host}:${d.port}（${err.code ?? err.message}）`;
          d.log.error({ err }, `embedded MQTT broker could not listen on ${d.host}:${d.port}`);
          server = undefined;
          resolve();
        });
        server!.listen(d.port, d.host, () => {
          listener.state = 'listening';
          listener.error = null;
          d.log.info(`embedded MQTT broker listening on ${d.host}:${d.port}`);
          resolve();
        });
      });
    },

    status: () => ({ ...listener }),

    clientCount: () => sessions.size,

    clients(o) {
      const k = o.keyword?.toLowerCase();
      const all = [...sessions.values()].filter(
        (s) => !k || s.device.deviceKey.toLowerCase().includes(k) || s.device.productKey.toLowerCase().includes(k) || s.client.id.toLowerCase().includes(k) || s.device.name.includes(o.keyword!),
      );
      all.sort((a, b) => b.connectedAt.getTime() - a.connectedAt.getTime());
      const items = all.slice((o.page - 1) * o.pageSize, o.page * o.pageSize).map((s) => ({
        clientId: s.client.id, deviceId: s.device.id, deviceName: s.device.name, productKey: s.device.productKey, deviceKey: s.device.deviceKey,
        ip: s.ip ?? null, protocolVersion: s.protocolVersion, keepalive: s.keepalive, connectedAt: s.connectedAt.toISOString(),
      }));
      return { items, total: all.length };
    },

    isConnected: (deviceId) => (byDevice.get(deviceId)?.size ?? 0) > 0,

    deviceIds: () => [...byDevice.keys()],

    deliver,

    disconnect(deviceId) {
      const set = byDevice.get(deviceId);
      for (const s of set ?? []) s.client.close();
      return set?.size ?? 0;
    },

    async close() {
      const s = server;
      server = undefined;
      const stopped = s ? new Promise<void>((resolve) => s.close(() => resolve())) : undefined;
      if (aedes) await new Promise<void>((resolve) => aedes!.close(() => resolve()));
      aedes = undefined;
      for (const socket of sockets) socket.destroy();
      await stopped;
      if (listener.state === 'listening') listener.state = 'off';
    },
  };
}
