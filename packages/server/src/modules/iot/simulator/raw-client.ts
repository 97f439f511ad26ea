import net from 'node:net';
import mqttPacket from 'mqtt-packet';

/**
 * A lean MQTT 3.1.1 client for simulating many devices from one process: one socket and a few
 * fields per connection, handlers shared by all connections (no emitter, no timer per connection),
 * mqtt-packet to write packets and a small reader for what a device receives (CONNACK, PUBLISH,
 * PUBACK, SUBACK, PINGRESP). mqtt.js costs tens of KB per client; this costs a few.
 */
export interface RawConnectOptions {
  host: string;
  port: number;
  /** A loopback source address (127.0.0.x) spreads connections over more ephemeral ports. */
  localAddress?: string;
  clientId: string;
  username?: string;
  password?: string;
  /** Seconds; see `keepAlive` for when pings go out. */
  keepalive: number;
  clean?: boolean;
  /** No CONNACK within this time → the socket is closed with an error. */
  connectTimeoutMs?: number;
}

export interface RawHandlers {
  connack?(c: RawMqttClient, returnCode: number): void;
  /** Once per client, whatever ended it (refusal, error, timeout, the broker closing, `end()`). */
  close?(c: RawMqttClient, error?: Error): void;
  message?(c: RawMqttClient, topic: string, payload: Buffer, qos: number): void;
  pingresp?(c: RawMqttClient): void;
}

export type AckCallback = (error?: Error) => void;

const PINGREQ = Buffer.from([0xc0, 0x00]);
const CONNACK_REFUSALS: Record<number, string> = {
  1: 'unacceptable protocol version', 2: 'identifier rejected', 3: 'server unavailable',
  4: 'bad user name or password', 5: 'not authorized',
};

export class RawMqttClient {
  readonly socket: net.Socket;
  /** 0 connecting, 1 connected, 2 closed. */
  state: 0 | 1 | 2 = 0;
  /** When something was last written (ms); keep-alive pings are due from it. */
  lastSent = Date.now();
  /** The caller's own data (a device index, …). */
  tag: unknown;
  /** The CONNACK return code when the broker refused the connection. */
  refused: number | undefined;
  private nextId = 0;
  private acks: Map<number, AckCallback> | undefined;
  private rest: Buffer | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(o: RawConnectOptions, private readonly h: RawHandlers) {
    this.socket = net.connect({ host: o.host, port: o.port, localAddress: o.localAddress, noDelay: true });
    this.socket.once('connect', () =>
      this.write(mqttPacket.generate({
        cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: o.clean ?? true, keepalive: o.keepalive,
        clientId: o.clientId, username: o.username, password: o.password === undefined ? undefined : Buffer.from(o.password),
      })),
    );
    this.socket.on('data', (chunk) => this.read(chunk));
    this.socket.on('error', (e) => this.finish(e));
    this.socket.on('close', () => this.finish(this.state === 0 ? new Error('closed before CONNACK') : undefined));
    this.timer = setTimeout(() => this.finish(new Error('CONNACK timeout')), o.connectTimeoutMs ?? 30_000);
  }

  /** Messages published with QoS 1 still waiting for their PUBACK. */
  get inflight() {
    return this.acks?.size ?? 0;
  }

  publish(topic: string, payload: string | Buffer, qos: 0 | 1 = 1, cb?: AckCallback) {
    if (this.state !== 1) return cb?.(new Error('not connected'));
    let messageId: number | undefined;
    if (qos === 1) {
      this.acks ??= new Map();
      do messageId = this.nextId = (this.nextId % 65535) + 1;
      while (this.acks.has(messageId));
      this.acks.set(messageId, cb ?? (() => {}));
    }
    this.write(mqttPacket.generate({ cmd: 'publish', topic, payload, qos, messageId, retain: false, dup: false }));
    if (qos === 0) cb?.();
  }

  subscribe(topic: string, qos: 0 | 1 = 1) {
    this.nextId = (this.nextId % 65535) + 1;
    this.write(mqttPacket.generate({ cmd: 'subscribe', messageId: this.nextId, subscriptions: [{ topic, qos }] }));
  }

  ping() {
    if (this.state === 1) this.write(PINGREQ);
  }

  /** Sends DISCONNECT and closes. */
  end() {
    if (this.state === 1) this.socket.end(Buffer.from([0xe0, 0x00]));
    else this.socket.destroy();
  }

  private write(b: Buffer) {
    this.lastSent = Date.now();
    this.socket.write(b);
  }

  private finish(error?: Error) {
    if (this.state === 2) return;
    this.state = 2;
    clearTimeout(this.timer);
    this.socket.destroy();
    const acks = this.acks;
    this.acks = undefined;
    if (acks) for (const cb of acks.values()) cb(new Error('connection closed'));
    this.h.close?.(this, error);
  }

  private read(chunk: Buffer) {
    const buf = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    let off = 0;
    for (;;) {
      if (buf.length - off < 2) break;
      let len = 0;
      let mul = 1;
      let i = off + 1;
      let byte = 0;
      do {
        if (i >= buf.length) break;
        byte = buf[i++];
        len += (byte & 0x7f) * mul;
        mul *= 128;
      } while (byte & 0x80);
      if (byte & 0x80 || i + len > buf.length) break;
      this.packet(buf[off] >> 4, buf[off] & 0x0f, buf.subarray(i, i + len));
      if (this.state === 2) return;
      off = i + len;
    }
    // Copied so that a small remainder does not keep a large chunk alive.
    this.rest = off < buf.length ? Buffer.from(buf.subarray(off)) : undefined;
  }

  private packet(type: number, flags: number, body: Buffer) {
    switch (type) {
      case 2: {
        clearTimeout(this.timer);
        this.timer = undefined;
        const rc = body[1] ?? 255;
        if (rc === 0) this.state = 1;
        else this.refused = rc;
        this.h.connack?.(this, rc);
        if (rc !== 0) this.finish(new Error(`connection refused: ${CONNACK_REFUSALS[rc] ?? rc}`));
        return;
      }
      case 3: {
        const qos = (flags >> 1) & 3;
        const tl = body.readUInt16BE(0);
        const topic = body.toString('utf8', 2, 2 + tl);
        let p = 2 + tl;
        if (qos > 0) {
          const id = body.readUInt16BE(p);
          p += 2;
          this.write(Buffer.from([qos === 1 ? 0x40 : 0x50, 0x02, id >> 8, id & 0xff]));
        }
        this.h.message?.(this, topic, body.subarray(p), qos);
        return;
      }
      case 4: {
        const id = body.readUInt16BE(0);
        const cb = this.acks?.get(id);
        if (cb) {
          this.acks!.delete(id);
          cb();
        }
        return;
      }
      case 13:
        this.h.pingresp?.(this);
        return;
      default:
        return; // SUBACK, UNSUBACK: nothing to do.
    }
  }
}

/**
 * Keeps many clients alive from one timer: a connected client pings once nothing was written for
 * 72–90 % of its keep-alive (its own share, so that pings do not arrive in bursts), well inside
 * the 1.5 × keep-alive after which a broker drops it. Returns the stop function and the pings sent.
 */
export function keepAlive(clients: () => Iterable<RawMqttClient>, keepaliveSeconds: number, every = keepaliveSeconds * 900) {
  let pings = 0;
  const t = setInterval(() => {
    const now = Date.now();
    for (const c of clients()) {
      if (c.state === 1 && now - c.lastSent >= every * (0.8 + (0.2 * ((c.socket.localPort ?? 0) % 97)) / 97)) {
        c.ping();
        pings++;
      }
    }
  }, 1000);
  t.unref();
  return {
    stop: () => clearInterval(t),
    get pings() {
      return pings;
    },
  };
}
