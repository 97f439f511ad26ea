import crypto from 'node:crypto';
import { Duplex } from 'node:stream';
import type net from 'node:net';
import mqttPacket, { type IConnectPacket, type Packet } from 'mqtt-packet';

/**
 * aedes 1.x speaks MQTT 3.1 / 3.1.1 only (it answers an MQTT 5 CONNECT with "unacceptable protocol
 * version"). Devices may speak MQTT 5, so each connection is looked at first: a 3.1.1 client gets
 * its socket handed to aedes untouched, a 5 client gets a bridge that translates its packets to
 * 3.1.1 for aedes and aedes' answers back to 5 (reason codes instead of return codes, the v5 fields
 * aedes does not need dropped). The broker's hooks — authentication, ACL, ingest — are thus one
 * code path for both versions.
 */

/** CONNACK return code (3.1.1) → reason code (5). */
const CONNACK_REASON: Record<number, number> = { 0: 0x00, 1: 0x84, 2: 0x85, 3: 0x88, 4: 0x86, 5: 0x87 };
/** SUBACK "failure" (3.1.1) → "not authorized" (5). */
const SUBACK_FAILURE = 0x80;
export const REASON_NOT_AUTHORIZED = 0x87;
const REASON_PROTOCOL_ERROR = 0x82;
const REASON_TOPIC_ALIAS_INVALID = 0x94;
/** Bytes a connection may send before its CONNECT is complete. */
const MAX_CONNECT_BYTES = 64 * 1024;

/** What the broker reads off a connection, whichever version it speaks. */
export interface MqttConnectionInfo {
  remoteAddress?: string;
  /** 3, 4 (3.1.1) or 5. */
  protocolVersion: number;
  /** MQTT 5: the next PUBACK/PUBREC for this packet id carries this reason code (e.g. not authorized). */
  refuseAck?(messageId: number, reasonCode: number): void;
}

/**
 * Waits for the CONNECT, then hands the connection to `handle` — the socket itself (3.1 / 3.1.1) or
 * an MQTT 5 bridge. Anything but a CONNECT first, or nothing within the timeout, closes the socket.
 */
export function acceptMqttConnection(socket: net.Socket, handle: (stream: Duplex & MqttConnectionInfo) => void, o: { connectTimeoutMs: number }) {
  const parser = mqttPacket.parser();
  const raw: Buffer[] = [];
  let decided = false;
  const timer = setTimeout(() => socket.destroy(), o.connectTimeoutMs);
  timer.unref();
  let size = 0;
  const onData = (chunk: Buffer) => {
    raw.push(chunk);
    // Nobody is authenticated yet: a CONNECT is a few hundred bytes, not megabytes.
    if ((size += chunk.length) > MAX_CONNECT_BYTES) {
      stop();
      return void socket.destroy();
    }
    parser.parse(chunk);
  };
  const stop = () => {
    decided = true;
    clearTimeout(timer);
    socket.off('data', onData);
    parser.removeAllListeners();
    // The parser goes on with the rest of the read it is in (the packets after CONNECT, which aedes or
    // the bridge parse again): an error there must not be an EventEmitter error without a listener,
    // which would throw out of the socket's data event and take the process down.
    parser.on('error', () => {});
  };
  parser.on('error', () => {
    if (decided) return;
    stop();
    socket.destroy();
  });
  parser.on('packet', (packet: Packet) => {
    if (decided) return;
    stop();
    if (packet.cmd !== 'connect') return void socket.destroy();
    if (packet.protocolVersion !== 5) {
      // aedes reads the CONNECT again from the start.
      socket.pause();
      socket.unshift(Buffer.concat(raw));
      const s = socket as unknown as Duplex & MqttConnectionInfo;
      s.protocolVersion = packet.protocolVersion ?? 4;
      handle(s);
      return;
    }
    // Later packets of the same read are parsed by the bridge's own parser.
    const rest = Buffer.concat(raw).subarray(connectLength(Buffer.concat(raw)));
    handle(new Mqtt5Bridge(socket, packet, rest));
  });
  socket.on('data', onData);
  socket.on('error', () => {
    if (!decided) stop();
  });
}

/** Bytes of the first packet (fixed header + remaining length). */
function connectLength(buf: Buffer): number {
  let multiplier = 1;
  let length = 0;
  let pos = 1;
  let byte: number;
  do {
    byte = buf[pos++]!;
    length += (byte & 0x7f) * multiplier;
    multiplier *= 128;
  } while (byte & 0x80);
  return pos + length;
}

class Mqtt5Bridge extends Duplex implements MqttConnectionInfo {
  readonly remoteAddress?: string;
  readonly protocolVersion = 5;
  private readonly fromClient = mqttPacket.parser({ protocolVersion: 5 });
  private readonly fromBroker = mqttPacket.parser({ protocolVersion: 4 });
  private readonly refused = new Map<number, number>();
  /** UNSUBACK in 5 carries one reason code per topic; 3.1.1 does not say how many there were. */
  private readonly unsubscribeCounts = new Map<number, number>();
  private readonly aliases = new Map<number, string>();
  private assignedClientId: string | undefined;

  constructor(
    private readonly socket: net.Socket,
    connect: IConnectPacket,
    rest: Buffer,
  ) {
    super();
    this.remoteAddress = socket.remoteAddress;
    this.fromClient.on('packet', (p: Packet) => this.toBroker(p));
    this.fromClient.on('error', () => this.close(REASON_PROTOCOL_ERROR));
    this.fromBroker.on('packet', (p: Packet) => this.toClient(p));
    this.fromBroker.on('error', (err: Error) => this.destroy(err));
    socket.on('data', (chunk: Buffer) => this.fromClient.parse(chunk));
    socket.on('end', () => this.push(null));
    socket.on('close', () => this.destroy());
    socket.on('error', (err) => this.destroy(err));
    socket.resume();
    this.toBroker(connect);
    if (rest.length) this.fromClient.parse(rest);
  }

  refuseAck(messageId: number, reasonCode: number) {
    this.refused.set(messageId, reasonCode);
  }

  override _read() {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void) {
    this.fromBroker.parse(chunk);
    cb();
  }

  override _final(cb: (err?: Error | null) => void) {
    this.socket.end();
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void) {
    if (!this.socket.destroyed) this.socket.destroy();
    cb(err);
  }

  private close(reasonCode: number) {
    if (!this.socket.destroyed) this.socket.end(mqttPacket.generate({ cmd: 'disconnect', reasonCode }, { protocolVersion: 5 }));
    this.destroy();
  }

  /** v5 from the device → 3.1.1 for aedes. */
  private toBroker(p: Packet) {
    let out: Packet | undefined;
    switch (p.cmd) {
      case 'connect': {
        let clientId = p.clientId;
        if (!clientId) clientId = this.assignedClientId = `v5-${crypto.randomUUID()}`;
        const expiry = p.properties?.sessionExpiryInterval ?? 0;
        out = {
          cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId, keepalive: p.keepalive,
          // A v5 session without an expiry ends with the connection: the 3.1.1 clean session.
          clean: p.clean !== false || expiry === 0,
          username: p.username, password: p.password,
          ...(p.will ? { will: { topic: p.will.topic, payload: p.will.payload, qos: p.will.qos, retain: p.will.retain } } : {}),
        };
        break;
      }
      case 'publish': {
        let topic = p.topic;
        const alias = p.properties?.topicAlias;
        if (alias !== undefined) {
          if (topic) this.aliases.set(alias, topic);
          else topic = this.aliases.get(alias) ?? '';
          if (!topic) return this.close(REASON_TOPIC_ALIAS_INVALID);
        }
        out = { cmd: 'publish', topic, payload: p.payload, qos: p.qos, retain: p.retain, dup: p.dup, messageId: p.messageId };
        break;
      }
      case 'puback':
      case 'pubrec':
      case 'pubrel':
      case 'pubcomp':
        out = { cmd: p.cmd, messageId: p.messageId } as Packet;
        break;
      case 'subscribe':
        out = { cmd: 'subscribe', messageId: p.messageId!, subscriptions: p.subscriptions.map((s) => ({ topic: s.topic, qos: s.qos })) };
        break;
      case 'unsubscribe':
        this.unsubscribeCounts.set(p.messageId!, p.unsubscriptions.length);
        out = { cmd: 'unsubscribe', messageId: p.messageId!, unsubscriptions: p.unsubscriptions };
        break;
      case 'pingreq':
      case 'disconnect':
        out = { cmd: p.cmd } as Packet;
        break;
      default:
        // AUTH (enhanced authentication) is not offered.
        return this.close(REASON_PROTOCOL_ERROR);
    }
    if (!this.push(mqttPacket.generate(out, { protocolVersion: 4 }))) this.socket.pause();
  }

  /** 3.1.1 from aedes → v5 for the device. */
  private toClient(p: Packet) {
    let out: Packet = p;
    switch (p.cmd) {
      case 'connack':
        out = {
          cmd: 'connack', sessionPresent: p.sessionPresent, reasonCode: CONNACK_REASON[p.returnCode ?? 0] ?? 0x80,
          properties: {
            // Uplinks are not retained or routed to other clients; subscriptions are per device.
            retainAvailable: false, sharedSubscriptionAvailable: false, subscriptionIdentifiersAvailable: false,
            wildcardSubscriptionAvailable: true, topicAliasMaximum: 0,
            ...(this.assignedClientId ? { assignedClientIdentifier: this.assignedClientId } : {}),
          },
        };
        break;
      case 'puback':
      case 'pubrec': {
        const reasonCode = this.refused.get(p.messageId!);
        if (reasonCode !== undefined) this.refused.delete(p.messageId!);
        out = { cmd: p.cmd, messageId: p.messageId, reasonCode: reasonCode ?? 0 } as Packet;
        break;
      }
      case 'suback':
        out = { cmd: 'suback', messageId: p.messageId!, granted: p.granted.map((g) => (g === SUBACK_FAILURE ? REASON_NOT_AUTHORIZED : (g as number))) };
        break;
      case 'unsuback': {
        const n = this.unsubscribeCounts.get(p.messageId!) ?? 1;
        this.unsubscribeCounts.delete(p.messageId!);
        out = { cmd: 'unsuback', messageId: p.messageId!, granted: new Array(n).fill(0) } as Packet;
        break;
      }
    }
    if (!this.socket.destroyed) this.socket.write(mqttPacket.generate(out, { protocolVersion: 5 }));
  }
}
