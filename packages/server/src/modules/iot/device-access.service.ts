import crypto from 'node:crypto';
import type { BrokerHookResult, DeviceAuthResult, DeviceReportResult } from '@cityops/contracts';
import { Invalid, Unauthenticated } from '../../core/errors.js';
import { parseMqttUsername, type DeviceAuthService, type SignedLogin } from './device-auth.service.js';
import { reportTopic } from './device-topics.js';
import type { DeviceDirectory, Ingest } from './ports.js';
import { topicBelongsTo } from './topic.js';
import type { TrafficStats } from './traffic-stats.js';

/**
 * Device-facing HTTP: the token exchange and reports (property, event, a gateway's batch for its
 * sub-devices) of devices without a persistent connection, and the hooks an external broker (EMQX,
 * VerneMQ) calls to authenticate a device and check its topics.
 */
export function deviceAccessService(d: {
  auth: DeviceAuthService;
  ingest: Ingest;
  directory: DeviceDirectory;
  stats: TrafficStats;
  /** The platform's own account on the external broker: allowed everything. */
  platform?: { username?: string; password?: string };
}) {
  const isPlatform = (username: string, password?: string) => {
    const p = d.platform;
    if (!p?.username || username !== p.username) return false;
    if (password === undefined) return true;
    const a = Buffer.from(password);
    const b = Buffer.from(p.password ?? '');
    return a.length === b.length && crypto.timingSafeEqual(a, b);
  };

  return {
    async token(body: SignedLogin, ip: string | undefined): Promise<DeviceAuthResult> {
      const outcome = await d.auth.authenticate(body, { channel: 'http', ip, requireTimestamp: true });
      if (!outcome.ok) throw new Unauthenticated(outcome.message, 'DEVICE_AUTH_FAILED');
      return d.auth.issueToken(outcome.device);
    },

    async report(
      token: string | undefined,
      body: { kind: 'property' | 'event' | 'sub'; identifier?: string; id?: string; params: unknown; time?: number },
      ip: string | undefined,
    ): Promise<DeviceReportResult> {
      const who = await d.auth.resolveToken(token, { channel: 'http', ip });
      if (!('device' in who)) throw new Unauthenticated(who.reason, 'DEVICE_TOKEN_INVALID');
      const topic = reportTopic(who.device, body.kind, body.identifier);
      const payload = JSON.stringify({ id: body.id, params: body.params, ...(body.time ? { time: body.time } : {}) });
      d.stats.in.add();
      const result = await d.ingest.accept({ device: who.device, channel: 'http', topic, payload, receivedAt: Date.now(), clientIp: ip });
      const answer = { id: result.msgId ?? body.id, code: result.code, message: result.message ?? 'success' };
      if (!result.ok) throw new Invalid(result.message ?? '上报内容无效', answer, 'REPORT_REJECTED');
      return answer;
    },

    async brokerAuth(b: { clientId: string; username: string; password: string; ip?: string }): Promise<BrokerHookResult> {
      if (isPlatform(b.username, b.password)) return { result: 'allow', is_superuser: true };
      const outcome = await d.auth.authenticateMqtt(b.username, b.password, { channel: 'broker', ip: b.ip });
      return { result: outcome.ok ? 'allow' : 'deny', is_superuser: false };
    },

    async brokerAcl(b: { clientId: string; username: string; ip?: string; topic: string; action: 'publish' | 'subscribe' }): Promise<BrokerHookResult> {
      if (isPlatform(b.username)) return { result: 'allow', is_superuser: true };
      // The broker asks only for clients it authenticated: the username names the device.
      const keys = parseMqttUsername(b.username);
      if (keys && topicBelongsTo(b.topic, keys.productKey, keys.deviceKey)) return { result: 'allow', is_superuser: false };
      const device = keys ? await d.directory.device(keys.productKey, keys.deviceKey) : undefined;
      d.auth.deny('broker', device, b.action === 'publish' ? '无权向其他设备的主题发布' : '无权订阅其他设备的主题', { ip: b.ip, topic: b.topic });
      return { result: 'deny', is_superuser: false };
    },
  };
}
export type DeviceAccessService = ReturnType<typeof deviceAccessService>;
