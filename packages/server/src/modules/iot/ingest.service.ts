import type { FastifyBaseLogger } from 'fastify';
import { describeProblems, TRACE_PAYLOAD_MAX, validateEvent, validateProperties, type ThingModel } from '@cityops/contracts';
import type { LocalDirectory } from './device-directory.js';
import type { IngestWriter, SeenWrite, TelemetryWrite, TraceWrite, WritePart } from './ingest-writer.js';
import type { AcceptedMessage, DeviceRef, Ingest, IngestResult, UpMessage } from './ports.js';
import { parseUpTopic, replyTopicOf, topicBelongsTo, type UpTopic } from './topic.js';

/** A device's last-seen time is written at most this often while it stays online (it is a write per message otherwise). */
const SEEN_EVERY_MS = 15_000;
/** Report times further ahead than this are taken as a wrong clock: the time of receipt is used instead. */
const FUTURE_SLACK_MS = 24 * 3600_000;
const MIN_TIME = Date.UTC(2000, 0, 1);

/** Cuts a payload to TRACE_PAYLOAD_MAX bytes of UTF-8 without splitting a character. */
export function clipPayload(text: string): string {
  if (text.length * 3 <= TRACE_PAYLOAD_MAX) return text;
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= TRACE_PAYLOAD_MAX) return text;
  return buf.subarray(0, TRACE_PAYLOAD_MAX).toString('utf8').replace(/\uFFFD$/, '');
}

const asObject = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const msgIdOf = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v).slice(0, 64) : undefined);

const TRACE_KIND: Record<UpTopic['kind'], TraceWrite['kind']> = {
  property: 'property', event: 'event', 'property-set-reply': 'reply', 'service-reply': 'reply', 'sub-post': 'property', 'ota-progress': 'ota', 'ota-inform': 'ota',
};

/** Why a message was refused, with the answer the channel gives. */
class Refusal {
  constructor(
    readonly code: number,
    readonly reason: string,
    readonly result: 'rejected' | 'denied' = 'rejected',
  ) {}
}

type Listener<T extends unknown[]> = (...args: T) => void | Promise<void>;

/**
 * The ingest pipeline every channel (MQTT, HTTP, CoAP, gateways, an external broker) feeds: topic →
 * JSON → thing-model check → batched writes (history, latest values, events, trace, last seen) →
 * the listeners (rules, command replies, OTA). `accept()` resolves after the commit and after the
 * listeners' promises settled, so an acknowledged message is stored and has been seen by the rules.
 */
export function ingestService(d: {
  directory: LocalDirectory; writer: IngestWriter;
  /** This node: a connection its broker takes marks the device as held here (a sweep frees the devices of a node that died). */
  nodeId: string;
  log?: FastifyBaseLogger; now?: () => number;
}) {
  const now = d.now ?? Date.now;
  const accepted: Listener<[AcceptedMessage]>[] = [];
  const presenceListeners: Listener<[DeviceRef, boolean]>[] = [];
  /** When this node last wrote each device's last-seen time. */
  const seenAt = new Map<string, number>();

  const settle = async <T extends unknown[]>(listeners: Listener<T>[], ...args: T) => {
    if (!listeners.length) return;
    const results = await Promise.allSettled(listeners.map(async (fn) => fn(...args)));
    for (const r of results) if (r.status === 'rejected') d.log?.error({ err: r.reason }, 'iot ingest listener failed');
  };

  const timeOf = (v: unknown, receivedAt: number) => {
    const t = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
    return Number.isFinite(t) && t >= MIN_TIME && t <= now() + FUTURE_SLACK_MS ? Math.round(t) : receivedAt;
  };

  /** The last-seen write, unless this node wrote one for the device a moment ago. */
  const seen = (device: DeviceRef, ts: number, ip?: string, firmwareVersion?: string): SeenWrite[] => {
    const last = seenAt.get(device.id);
    if (!firmwareVersion && device.status === 'online' && last !== undefined && ts - last < SEEN_EVERY_MS) return [];
    if (seenAt.size > 1_000_000) seenAt.clear();
    seenAt.set(device.id, ts);
    return [{ deviceId: device.id, ts, ip: ip ?? null, firmwareVersion: firmwareVersion ?? null }];
  };

  /** History rows, latest values and the accepted message of one property report. */
  const propertyWrites = (device: DeviceRef, values: Record<string, unknown>, ts: number) => {
    const telemetry: TelemetryWrite[] = [];
    const props: Record<string, { value: unknown; ts: number }> = {};
    for (const [identifier, value] of Object.entries(values)) {
      telemetry.push({ deviceId: device.id, identifier, ts, num: typeof value === 'number' && Number.isFinite(value) ? value : null, value });
      props[identifier] = { value, ts };
    }
    return { telemetry, state: [{ deviceId: device.id, props }] };
  };

  const modelOf = async (device: DeviceRef): Promise<ThingModel> => {
    const product = await d.directory.productById(device.productId);
    if (!product) throw new Refusal(404, '设备所属产品不存在', 'denied');
    if (!product.enabled) throw new Refusal(403, '设备所属产品已停用', 'denied');
    return product.thingModel;
  };

  const refuseDevice = (device: DeviceRef) => {
    if (device.deregistered) throw new Refusal(403, '设备已注销', 'denied');
    if (device.status === 'disabled') throw new Refusal(403, '设备已禁用', 'denied');
  };

  /** One report of a gateway's sub-device (inside …/thing/sub/post). */
  const subReport = async (gateway: DeviceRef, entry: unknown, receivedAt: number, time: number) => {
    const e = asObject(entry);
    if (!e || typeof e.productKey !== 'string' || typeof e.deviceKey !== 'string') throw new Refusal(400, '子设备条目须含 productKey、deviceKey');
    const sub = await d.directory.device(e.productKey, e.deviceKey);
    if (!sub) throw new Refusal(404, `子设备 ${e.productKey}/${e.deviceKey} 不存在`, 'denied');
    if (sub.gatewayId !== gateway.id) throw new Refusal(403, `子设备 ${e.deviceKey} 不属于该网关`, 'denied');
    refuseDevice(sub);
    const model = await modelOf(sub);
    const ts = timeOf(e.time, time);
    const part: WritePart = {};
    const out: AcceptedMessage[] = [];
    if (typeof e.identifier === 'string' && e.identifier) {
      const check = validateEvent(model, e.identifier, e.params ?? e.properties ?? {});
      if (!check.ok || !check.event) throw new Refusal(400, `${e.deviceKey}：${describeProblems(check.problems)}`);
      part.events = [{ deviceId: sub.id, identifier: e.identifier, name: check.event.name, level: check.event.type, output: check.value, ts }];
      out.push({ kind: 'event', device: sub, identifier: e.identifier, level: check.event.type, output: check.value, ts });
    } else {
      const check = validateProperties(model, e.properties ?? e.params);
      if (!check.ok) throw new Refusal(400, `${e.deviceKey}：${describeProblems(check.problems)}`);
      Object.assign(part, propertyWrites(sub, check.value, ts));
      out.push({ kind: 'property', device: sub, values: check.value, ts });
    }
    part.seen = seen(sub, receivedAt);
    return { sub, part, out, kind: out[0]!.kind as 'property' | 'event' };
  };

  const self: Ingest & { stats(): ReturnType<IngestWriter['stats']> } = {
    async accept(up: UpMessage): Promise<IngestResult> {
      const { device } = up;
      const text = typeof up.payload === 'string' ? up.payload : up.payload.toString('utf8');
      const topic = parseUpTopic(up.topic);
      const base: TraceWrite = {
        deviceId: device.id, productKey: device.productKey, deviceKey: device.deviceKey, direction: 'up', channel: up.channel,
        kind: topic ? TRACE_KIND[topic.kind] : 'other', topic: up.topic, payload: clipPayload(text), result: 'ok',
        clientIp: up.clientIp ?? null, ts: new Date(up.receivedAt), measure: true,
      };
      const replyTopic = topic ? replyTopicOf(up.topic, topic) : undefined;
      let msgId: string | undefined;
      try {
        if (!topic) throw new Refusal(404, '未知的主题');
        if (!topicBelongsTo(up.topic, device.productKey, device.deviceKey)) throw new Refusal(403, '主题不属于该设备', 'denied');
        refuseDevice(device);
        let body: Record<string, unknown> | undefined;
        try {
          body = asObject(JSON.parse(text));
        } catch {
          body = undefined;
        }
        if (!body) throw new Refusal(400, '报文不是有效的 JSON 对象');
        msgId = msgIdOf(body.id);
        base.msgId = msgId ?? null;
        const model = await modelOf(device);
        const ts = timeOf(body.time, up.receivedAt);
        const part: WritePart = { traces: [base] };
        const out: AcceptedMessage[] = [];
        let partial: string | undefined;

        switch (topic.kind) {
          case 'property': {
            const check = validateProperties(model, body.params);
            if (!check.ok) throw new Refusal(400, describeProblems(check.problems));
            Object.assign(part, propertyWrites(device, check.value, ts));
            out.push({ kind: 'property', device, values: check.value, ts });
            break;
          }
          case 'event': {
            const check = validateEvent(model, topic.identifier, body.params ?? {});
            if (!check.ok || !check.event) throw new Refusal(400, describeProblems(check.problems));
            part.events = [{ deviceId: device.id, identifier: topic.identifier, name: check.event.name, level: check.event.type, output: check.value, ts }];
            out.push({ kind: 'event', device, identifier: topic.identifier, level: check.event.type, output: check.value, ts });
            break;
          }
          case 'property-set-reply':
          case 'service-reply': {
            if (!msgId) throw new Refusal(400, '应答须带 id（对应下发消息的 id）');
            const code = body.code === undefined ? 200 : Number(body.code);
            if (!Number.isInteger(code)) throw new Refusal(400, 'code 应为整数');
            if (code !== 200) Object.assign(base, { result: 'error', reason: `设备应答错误码 ${code}${typeof body.message === 'string' ? `：${body.message.slice(0, 200)}` : ''}` });
            out.push({ kind: 'reply', device, msgId, code, data: asObject(body.data) ?? {}, ts });
            break;
          }
          case 'ota-progress': {
            const params = asObject(body.params) ?? {};
            const step = Number(params.step);
            if (!Number.isInteger(step) || step < -100 || step > 100) throw new Refusal(400, 'params.step 应为 -100 到 100 的整数');
            out.push({ kind: 'ota-progress', device, ...(msgId ? { msgId } : {}), step, ...(typeof params.desc === 'string' ? { desc: params.desc.slice(0, 200) } : {}), ts });
            break;
          }
          case 'ota-inform': {
            const version = asObject(body.params)?.version;
            if (typeof version !== 'string' || !version.trim() || version.length > 64) throw new Refusal(400, 'params.version 应为不超过 64 位的版本号');
            part.seen = seen(device, up.receivedAt, up.clientIp, version.trim());
            out.push({ kind: 'ota-inform', device, version: version.trim(), ts });
            break;
          }
          case 'sub-post': {
            if (!Array.isArray(body.params) || !body.params.length) throw new Refusal(400, 'params 应为子设备数据数组');
            if (body.params.length > 500) throw new Refusal(400, '一次最多上报 500 个子设备条目');
            const problems: string[] = [];
            for (const [i, entry] of body.params.entries()) {
              const e = asObject(entry);
              const subTrace: TraceWrite = {
                ...base, channel: 'gateway', deviceId: null, productKey: typeof e?.productKey === 'string' ? e.productKey.slice(0, 32) : null,
                deviceKey: typeof e?.deviceKey === 'string' ? e.deviceKey.slice(0, 32) : null, payload: clipPayload(JSON.stringify(entry) ?? ''),
              };
              try {
                const r = await subReport(device, entry, up.receivedAt, ts);
                Object.assign(subTrace, { deviceId: r.sub.id, kind: r.kind });
                part.traces!.push(subTrace);
                // Several entries may belong to one sub-device: merge their writes.
                for (const key of ['telemetry', 'events', 'state', 'seen'] as const) {
                  if (r.part[key]?.length) (part[key] as unknown[]) = [...(part[key] ?? []), ...r.part[key]!];
                }
                out.push(...r.out);
              } catch (err) {
                if (!(err instanceof Refusal)) throw err;
                problems.push(`第 ${i + 1} 项：${err.reason}`);
                part.traces!.push({ ...subTrace, result: err.result, reason: err.reason });
              }
            }
            if (problems.length) {
              partial = problems.join('；');
              Object.assign(base, { result: out.length ? 'ok' : 'rejected', reason: partial });
            }
            break;
          }
        }
        part.seen = [...(part.seen ?? []), ...(topic.kind === 'ota-inform' ? [] : seen(device, up.receivedAt, up.clientIp))];
        await d.writer.write(part);
        for (const m of out) await settle(accepted, m);
        for (const ref of new Set([device, ...out.map((m) => m.device)])) {
          if (ref.status === 'inactive' || ref.status === 'offline') d.directory.noteStatus(ref.id, 'online');
        }
        if (partial) return { ok: out.length > 0, code: 400, msgId, message: partial, replyTopic };
        return { ok: true, code: 200, msgId, message: 'success', replyTopic };
      } catch (err) {
        if (!(err instanceof Refusal)) throw err;
        await d.writer.write({ traces: [{ ...base, result: err.result, reason: err.reason }] });
        return { ok: false, code: err.code, msgId, message: err.reason, replyTopic };
      }
    },

    onAccepted(listener) {
      accepted.push(listener);
    },

    onPresence(listener) {
      presenceListeners.push(listener);
    },

    trace(row) {
      d.writer.write({ traces: [{ ...row, payload: row.payload === undefined ? undefined : clipPayload(row.payload) }] }).catch((err) => d.log?.error({ err }, 'iot trace write failed'));
    },

    async presence(device, online, o = {}) {
      const ts = now();
      await d.writer.write({
        presence: { deviceId: device.id, online, ts, ip: o.ip ?? null, nodeId: d.nodeId },
        traces: [{
          deviceId: device.id, productKey: device.productKey, deviceKey: device.deviceKey, direction: 'up', channel: o.channel ?? 'mqtt',
          kind: online ? 'connect' : 'disconnect', result: 'ok', clientIp: o.ip ?? null, ts: new Date(ts),
        }],
      });
      if (online) seenAt.set(device.id, ts);
      else seenAt.delete(device.id);
      d.directory.noteStatus(device.id, online ? 'online' : 'offline');
      await settle(presenceListeners, device, online);
    },

    flush: () => d.writer.flush(),

    stats: () => d.writer.stats(),
  };
  return self;
}
export type IngestService = ReturnType<typeof ingestService>;
