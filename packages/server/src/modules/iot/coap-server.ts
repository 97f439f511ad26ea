import dgram from 'node:dgram';
import net from 'node:net';
import { createServer, type IncomingMessage, type OutgoingMessage, type Server } from 'coap';
import type { FastifyBaseLogger } from 'fastify';
import { DeviceAuthBody } from '@cityops/contracts';
import { plainIp, type DeviceAuthService } from './device-auth.service.js';
import { traceKindOf } from './device-topics.js';
import type { ListenerStatus } from './mqtt-broker.js';
import type { Ingest } from './ports.js';
import { topicBelongsTo } from './topic.js';
import type { TrafficStats } from './traffic-stats.js';

/**
 * CoAP access (UDP) for constrained devices, the HTTP access over CoAP:
 * `POST /auth` with the JSON of `POST /api/iot/device/auth` → 2.05 `{token, expiresIn}`;
 * `POST /topic/sys/{pk}/{dk}/thing/property/post?token=…` (any up-link topic of the device) with the
 * MQTT payload → 2.04 Changed `{id, code, message}`, 4.00 when the report breaks the thing model,
 * 4.01 without a valid token, 4.03 for another device's topic.
 */
const TOPIC_PREFIX = '/topic';
const PAYLOAD_TRACE_MAX = 4096;

export interface CoapAccess {
  start(): Promise<void>;
  status(): ListenerStatus;
  close(): Promise<void>;
}

export function coapAccess(d: { host: string; port: number; auth: DeviceAuthService; ingest: Ingest; stats: TrafficStats; log: FastifyBaseLogger }): CoapAccess {
  const listener: ListenerStatus = { state: 'off', host: d.host, port: d.port, error: null };
  let socket: dgram.Socket | undefined;
  let server: Server | undefined;

  const answer = (res: OutgoingMessage, code: string, body: Record<string, unknown>) => {
    res.code = code;
    res.setOption('Content-Format', 'application/json');
    res.end(JSON.stringify(body));
  };

  const authenticate = async (req: IncomingMessage, res: OutgoingMessage, ip: string | undefined) => {
    let json: unknown;
    try {
      json = JSON.parse(req.payload.toString());
    } catch {
      return answer(res, '4.00', { code: 400, message: '请求内容应为 JSON' });
    }
    const body = DeviceAuthBody.safeParse(json);
    if (!body.success) return answer(res, '4.00', { code: 400, message: body.error.issues.map((i) => i.message).join('；') });
    const outcome = await d.auth.authenticate(body.data, { channel: 'coap', ip, requireTimestamp: true });
    if (!outcome.ok) return answer(res, '4.01', { code: 401, message: outcome.message });
    answer(res, '2.05', await d.auth.issueToken(outcome.device));
  };

  const report = async (req: IncomingMessage, res: OutgoingMessage, path: string, query: URLSearchParams, ip: string | undefined) => {
    const topic = path.slice(TOPIC_PREFIX.length);
    const who = await d.auth.resolveToken(query.get('token') ?? undefined, { channel: 'coap', ip });
    if (!('device' in who)) return answer(res, '4.01', { code: 401, message: who.reason });
    const { device } = who;
    if (!topicBelongsTo(topic, device.productKey, device.deviceKey)) {
      d.auth.deny('coap', device, '无权向其他设备的主题上报', { ip, topic, kind: traceKindOf(topic), payload: req.payload.subarray(0, PAYLOAD_TRACE_MAX).toString() });
      return answer(res, '4.03', { code: 403, message: '无权向其他设备的主题上报' });
    }
    d.stats.in.add();
    const result = await d.ingest.accept({ device, channel: 'coap', topic, payload: req.payload, receivedAt: Date.now(), clientIp: ip });
    const code = result.code === 200 ? '2.04' : result.code === 404 ? '4.04' : '4.00';
    answer(res, code, { id: result.msgId ?? '', code: result.code, message: result.message ?? 'success' });
  };

  const handle = (req: IncomingMessage, res: OutgoingMessage) => {
    const [path = '/', search = ''] = req.url.split('?');
    const ip = plainIp(req.rsinfo.address);
    const work =
      req.method !== 'POST'
        ? Promise.resolve(answer(res, '4.05', { code: 405, message: '只支持 POST' }))
        : path === '/auth'
          ? authenticate(req, res, ip)
          : path.startsWith(`${TOPIC_PREFIX}/`)
            ? report(req, res, path, new URLSearchParams(search), ip)
            : Promise.resolve(answer(res, '4.04', { code: 404, message: '资源不存在（/auth 或 /topic/…）' }));
    work.catch((err: Error) => {
      d.log.error({ err }, 'CoAP request failed');
      if (!res.writableEnded) answer(res, '5.00', { code: 500, message: '服务器内部错误' });
    });
  };

  return {
    async start() {
      if (!d.port) return;
      // A socket of our own, bound without SO_REUSEADDR, so a taken port is reported instead of shared.
      const s = dgram.createSocket({ type: net.isIPv6(d.host) ? 'udp6' : 'udp4', reuseAddr: false });
      await new Promise<void>((resolve) => {
        s.once('error', (err: NodeJS.ErrnoException) => {
          listener.state = 'error';
          listener.error = err.code === 'EADDRINUSE' ? `端口 ${d.port} 已被占用` : `无法监听 ${d.host}:${d.port}（${err.code ?? err.message}）`;
          d.log.error({ err }, `CoAP could not listen on ${d.host}:${d.port}`);
          s.close();
          resolve();
        });
        s.bind(d.port, d.host, () => {
          socket = s;
          listener.state = 'listening';
          listener.error = null;
          resolve();
        });
      });
      if (!socket) return;
      // Answers within a second ride on the ACK (ingest commits every few tens of milliseconds).
      server = createServer({ piggybackReplyMs: 1_000 }, handle);
      server.listen(socket);
      d.log.info(`CoAP listening on ${d.host}:${d.port}`);
    },

    status: () => ({ ...listener }),

    async close() {
      server?.close();
      server = undefined;
      if (socket) await new Promise<void>((resolve) => socket!.close(() => resolve()));
      socket = undefined;
      if (listener.state === 'listening') listener.state = 'off';
    },
  };
}
