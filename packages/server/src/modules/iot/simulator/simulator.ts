import mqtt, { type MqttClient } from 'mqtt';
import type { SignMethod, ThingModel, ThingProperty } from '@cityops/contracts';
import { RawMqttClient, keepAlive } from './raw-client.js';
import { mqttLogin, propertyPostTopic, type DeviceCredentials } from './sign.js';
import { alarmPropertyOf, propertySampler } from './values.js';

/**
 * Simulated devices: each connects with its signed login and reports its properties on a schedule
 * (interval ± jitter), now and then with an over-threshold value. Used by the `iot:simulate`
 * command and, in process, by the demo.
 */
export interface SimDevice extends DeviceCredentials {
  model: ThingModel;
  /** The property an alarm report pushes up; default the first number of the model. */
  alarmProperty?: string;
  /** The value a rule fires above: ordinary reports stay well below it, alarm reports go over it. */
  alarmThreshold?: number;
}

export type InProcessPublish = (device: SimDevice, topic: string, payload: string) => Promise<void>;

export interface SimulatorOptions {
  devices: SimDevice[];
  /** mqtt://host:port of the broker; not needed with `publish`. */
  url?: string;
  /** In process: each report goes to this function instead of a broker (the demo). */
  publish?: InProcessPublish;
  /** mqtt.js (default, fine for hundreds of devices) or the lean raw client (tens of thousands). */
  client?: 'mqtt' | 'raw';
  intervalMs: number;
  /** Each interval is intervalMs × (1 ± jitter); 0…1, default 0.2. */
  jitter?: number;
  /** Share of reports that carry an over-threshold value (0…1). */
  alarmRate?: number;
  qos?: 0 | 1;
  signMethod?: SignMethod;
  /** MQTT keep-alive in seconds (default 60). */
  keepalive?: number;
  /** Connections being opened at once (default 100). */
  connectConcurrency?: number;
  /** Loopback source addresses to spread connections over (raw client). */
  localAddresses?: string[];
  /** Called for each failed connection or report (the first few are worth printing). */
  onError?: (device: SimDevice, error: Error) => void;
}

export interface SimulatorStats {
  devices: number;
  connected: number;
  sent: number;
  acked: number;
  alarms: number;
  errors: number;
  refused: number;
}

export interface Simulator {
  stats(): SimulatorStats;
  /** Resolves when every device has had its first connection attempt. */
  started: Promise<void>;
  stop(): Promise<void>;
}

interface Session {
  publish(topic: string, payload: string, cb: (e?: Error) => void): void;
  close(): void;
  readonly up: boolean;
}

interface Slot {
  device: SimDevice;
  sampler: ReturnType<typeof propertySampler>;
  alarm: ThingProperty | undefined;
  topic: string;
  session?: Session;
  seq: number;
}

/** Devices due in the same tick share a bucket: O(1) per report, whatever the fleet size. */
function timerWheel<T>(tickMs: number, run: (item: T) => void) {
  const buckets = new Map<number, T[]>();
  let done = Math.floor(Date.now() / tickMs);
  const timer = setInterval(() => {
    const now = Math.floor(Date.now() / tickMs);
    for (; done < now; ) {
      done++;
      const due = buckets.get(done);
      if (!due) continue;
      buckets.delete(done);
      for (const item of due) run(item);
    }
  }, tickMs);
  return {
    at(time: number, item: T) {
      const k = Math.max(done + 1, Math.floor(time / tickMs));
      const b = buckets.get(k);
      if (b) b.push(item);
      else buckets.set(k, [item]);
    },
    stop: () => clearInterval(timer),
  };
}

const thresholdOf = (d: SimDevice) => {
  const p = d.alarmThreshold === undefined ? undefined : alarmPropertyOf(d.model, d.alarmProperty);
  return p ? { [p.identifier]: d.alarmThreshold! } : undefined;
};

export function startSimulator(o: SimulatorOptions): Simulator {
  const jitter = o.jitter ?? 0.2;
  const qos = o.qos ?? 1;
  const keepalive = o.keepalive ?? 60;
  const kind = o.publish ? 'inproc' : (o.client ?? 'mqtt');
  if (!o.publish && !o.url) throw new Error('a broker url or an in-process publish function is required');
  const stats: SimulatorStats = { devices: o.devices.length, connected: 0, sent: 0, acked: 0, alarms: 0, errors: 0, refused: 0 };
  const slots: Slot[] = o.devices.map((device) => ({
    device,
    sampler: propertySampler(device.model, { ceilings: thresholdOf(device) }),
    alarm: alarmPropertyOf(device.model, device.alarmProperty),
    topic: propertyPostTopic(device.productKey, device.deviceKey),
    seq: 0,
  }));
  const fail = (d: SimDevice, e: Error) => {
    stats.errors++;
    o.onError?.(d, e);
  };
  let stopped = false;
  const interval = () => o.intervalMs * (1 + jitter * (2 * Math.random() - 1));

  const wheel = timerWheel<Slot>(Math.min(500, Math.max(10, Math.floor(o.intervalMs / 20))), (s) => {
    if (stopped) return;
    wheel.at(Date.now() + interval(), s);
    if (!s.session?.up) return;
    const alarm = s.alarm && o.alarmRate && Math.random() < o.alarmRate ? s.alarm : undefined;
    const payload = JSON.stringify({ id: String(++s.seq), params: s.sampler.next({ alarm, threshold: s.device.alarmThreshold }), time: Date.now() });
    stats.sent++;
    if (alarm) stats.alarms++;
    s.session.publish(s.topic, payload, (e) => (e ? fail(s.device, e) : stats.acked++));
  });

  const url = o.url ? new URL(o.url) : undefined;
  const rawClients = new Set<RawMqttClient>();
  const pinger = kind === 'raw' ? keepAlive(() => rawClients, keepalive) : undefined;
  let addr = 0;

  /** Opens a device's session; resolves after the first CONNACK (or failure). Raw sessions reconnect on their own. */
  function open(s: Slot): Promise<void> {
    if (kind === 'inproc') {
      s.session = {
        up: true,
        publish: (topic, payload, cb) => void o.publish!(s.device, topic, payload).then(() => cb(), (e: Error) => cb(e)),
        close() {},
      };
      stats.connected++;
      return Promise.resolve();
    }
    if (kind === 'mqtt') {
      return new Promise((resolve) => {
        const login = () => mqttLogin(s.device, { signMethod: o.signMethod });
        const client: MqttClient = mqtt.connect(o.url!, { ...login(), keepalive, protocolVersion: 4, reconnectPeriod: 5000, connectTimeout: 30_000 });
        let first = true;
        let up = false;
        const settle = () => first && ((first = false), resolve());
        client.on('connect', () => {
          if (!up) stats.connected++;
          up = true;
          settle();
        });
        client.on('close', () => {
          if (up) stats.connected--;
          up = false;
          settle();
        });
        // A signature carries its time: a reconnection signs again.
        client.on('reconnect', () => Object.assign(client.options, login()));
        client.on('error', (e) => {
          // A CONNACK refusal carries its code; anything else is an error.
          if (typeof (e as { code?: unknown }).code === 'number') {
            stats.refused++;
            o.onError?.(s.device, e);
          } else fail(s.device, e);
          settle();
        });
        s.session = {
          get up() {
            return client.connected;
          },
          publish: (topic, payload, cb) => void client.publish(topic, payload, { qos }, (e) => cb(e ?? undefined)),
          close: () => void client.end(true),
        };
      });
    }
    return new Promise((resolve) => {
      let c: RawMqttClient | undefined;
      const connect = () => {
        const login = mqttLogin(s.device, { signMethod: o.signMethod });
        const localAddress = o.localAddresses?.length ? o.localAddresses[addr++ % o.localAddresses.length] : undefined;
        c = new RawMqttClient({ host: url!.hostname, port: Number(url!.port || 1883), localAddress, keepalive, ...login }, {
          connack(client, rc) {
            if (rc === 0) {
              stats.connected++;
              rawClients.add(client);
            } else stats.refused++;
            resolve();
          },
          close(client, e) {
            if (rawClients.delete(client)) stats.connected--;
            // A refusal was counted at its CONNACK.
            if (e && client.refused === undefined) fail(s.device, e);
            else if (e) o.onError?.(s.device, e);
            resolve();
            if (!stopped) setTimeout(() => !stopped && connect(), 5000 + Math.random() * 5000).unref();
          },
        });
      };
      connect();
      s.session = {
        get up() {
          return c?.state === 1;
        },
        publish: (topic, payload, cb) => c!.publish(topic, payload, qos, cb),
        close: () => c?.end(),
      };
    });
  }

  const started = (async () => {
    const limit = o.connectConcurrency ?? 100;
    let next = 0;
    const worker = async () => {
      while (!stopped && next < slots.length) {
        const s = slots[next++];
        await open(s);
        wheel.at(Date.now() + Math.random() * o.intervalMs, s);
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, slots.length) }, worker));
  })();

  return {
    stats: () => ({ ...stats }),
    started,
    async stop() {
      stopped = true;
      wheel.stop();
      pinger?.stop();
      for (const s of slots) s.session?.close();
    },
  };
}

/**
 * The demo's devices reporting on their own: in process through `publish` (e.g. straight into
 * ingest) or through a broker at `brokerUrl`. Small fleets only (mqtt.js clients).
 */
export function startDemoSimulator(o: { devices: SimDevice[]; intervalMs: number; brokerUrl?: string; publish?: InProcessPublish; alarmRate?: number; onError?: SimulatorOptions['onError'] }): Simulator {
  return startSimulator({ devices: o.devices, intervalMs: o.intervalMs, url: o.brokerUrl, publish: o.publish, alarmRate: o.alarmRate ?? 0, onError: o.onError, client: 'mqtt' });
}
