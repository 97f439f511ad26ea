import { describe, expect, it } from 'vitest';
import { memoryCache } from '../../core/cache.js';
import { addressAllowed, deviceAuthService, parseMqttLogin, signLogin, staticPassword } from './device-auth.service.js';
import type { DeviceDirectory, DeviceRef, ProductRef, TraceRow } from './ports.js';
import crypto from 'node:crypto';
import { mqttLogin } from './simulator/sign.js';

const product = (over: Partial<ProductRef> = {}): ProductRef => ({
  id: 'p1', productKey: 'smokeA', name: '烟感', category: 'smoke', nodeType: 'direct', authMode: 'device_secret', dynamicRegister: false,
  whitelist: [], thingModel: { properties: [], events: [], services: [] }, modelVersion: 1, offlineSeconds: 600, eventTypeCode: null, enabled: true, ...over,
});
const device = (over: Partial<DeviceRef> = {}): DeviceRef => ({
  id: 'd1', productId: 'p1', productKey: 'smokeA', deviceKey: 'dev001', name: '一号烟感', status: 'offline', deregistered: false, testMode: false,
  orgId: null, regionCode: null, lng: null, lat: null, address: null, gatewayId: null, allowedAddresses: [], ...over,
});

/** A directory over plain maps: the service under test is the only thing that is real. */
function setup(o: { product?: Partial<ProductRef>; device?: Partial<DeviceRef> | null; now?: number } = {}) {
  const p = product(o.product);
  const devices = new Map<string, DeviceRef>();
  if (o.device !== null) devices.set('dev001', device(o.device ?? {}));
  const registered: string[] = [];
  const directory: DeviceDirectory = {
    product: async (pk) => (pk === p.productKey ? p : undefined),
    productById: async (id) => (id === p.id ? p : undefined),
    device: async (pk, dk) => (pk === p.productKey ? devices.get(dk) : undefined),
    deviceById: async (id) => [...devices.values()].find((x) => x.id === id),
    secretOf: async (x, mode) => (mode === 'product' ? 'product-secret' : 'id' in x ? `secret-of-${x.deviceKey}` : undefined),
    register: async (_p, dk) => {
      registered.push(dk);
      const ref = device({ id: `d-${dk}`, deviceKey: dk, status: 'inactive' });
      devices.set(dk, ref);
      return ref;
    },
    invalidate: async () => {},
  };
  const traces: TraceRow[] = [];
  const now = o.now ?? Date.now();
  const auth = deviceAuthService({ directory, ingest: { trace: (r) => void traces.push(r) }, cache: memoryCache(), signSkewSeconds: 600, now: () => now });
  return { auth, traces, registered, devices, now };
}

describe('device authentication', () => {
  it('accepts a fresh HMAC-SM3 and HMAC-SHA256 signature over pk + dk + timestamp', async () => {
    const { auth, now, traces } = setup();
    for (const method of ['hmacsm3', 'hmacsha256'] as const) {
      const login = mqttLogin({ productKey: 'smokeA', deviceKey: 'dev001', secret: 'secret-of-dev001' }, { signMethod: method, timestamp: String(now) });
      const r = await auth.authenticateMqtt(login.username, login.password, { channel: 'mqtt', ip: '10.0.0.8' });
      expect(r.ok).toBe(true);
      const expected = crypto.createHmac(method === 'hmacsm3' ? 'sm3' : 'sha256', 'secret-of-dev001').update(`smokeAdev001${now}`).digest('hex');
      expect(signLogin('secret-of-dev001', method, 'smokeA', 'dev001', String(now))).toBe(expected);
    }
    expect(traces).toEqual([]);
  });

  it('refuses a wrong secret, an old timestamp and a malformed password, tracing each reason but telling the device only that it failed', async () => {
    const { auth, now, traces } = setup();
    const wrong = mqttLogin({ productKey: 'smokeA', deviceKey: 'dev001', secret: 'not-the-secret' }, { timestamp: String(now) });
    const r1 = await auth.authenticateMqtt(wrong.username, wrong.password, { channel: 'mqtt', ip: '::ffff:10.0.0.8' });
    expect(r1).toMatchObject({ ok: false, badCredentials: true, reason: '签名错误（设备密钥）' });
    expect(r1.ok || r1.message).not.toContain('签名错误');

    const old = mqttLogin({ productKey: 'smokeA', deviceKey: 'dev001', secret: 'secret-of-dev001' }, { timestamp: String(now - 601_000) });
    const r2 = await auth.authenticateMqtt(old.username, old.password, { channel: 'mqtt' });
    expect(r2).toMatchObject({ ok: false, reason: '时间戳与平台时间相差超过 600 秒' });
    expect(r2.ok || r2.message).toBe('时间戳与平台时间相差超过 600 秒');

    const r3 = await auth.authenticateMqtt('dev001', 'secret', { channel: 'mqtt' });
    expect(r3.ok).toBe(false);

    expect(traces.map((t) => [t.result, t.kind, t.deviceId, t.reason?.slice(0, 6), t.clientIp])).toEqual([
      ['denied', 'connect', 'd1', '签名错误（设', '10.0.0.8'],
      ['denied', 'connect', null, '时间戳与平台', null],
      ['denied', 'connect', null, '用户名或密码', null],
    ]);
  });

  it('accepts the static password (no timestamp) an external broker is provisioned with, but not over HTTP', async () => {
    const { auth } = setup();
    const password = staticPassword('secret-of-dev001', 'smokeA', 'dev001');
    expect(password).toMatch(/^hmacsm3::[0-9a-f]{64}$/);
    expect((await auth.authenticateMqtt('dev001&smokeA', password, { channel: 'broker' })).ok).toBe(true);
    const login = parseMqttLogin('dev001&smokeA', password)!;
    expect((await auth.authenticate(login, { channel: 'http', requireTimestamp: true })).ok).toBe(false);
  });

  it('refuses disabled, deregistered and sub-devices, and addresses off the whitelist, even with a correct signature', async () => {
    const cases: [Parameters<typeof setup>[0], string][] = [
      [{ device: { status: 'disabled' } }, '设备已禁用'],
      [{ device: { deregistered: true } }, '设备已注销'],
      [{ product: { enabled: false } }, '产品已停用'],
      [{ product: { nodeType: 'sub' } }, '子设备须经网关接入'],
      [{ device: { allowedAddresses: ['192.168.1.0/24', '10.0.0.9'] } }, '来源地址 10.0.0.8 不在设备准入白名单内'],
    ];
    for (const [o, reason] of cases) {
      const { auth, now } = setup(o);
      const login = mqttLogin({ productKey: 'smokeA', deviceKey: 'dev001', secret: 'secret-of-dev001' }, { timestamp: String(now) });
      const r = await auth.authenticateMqtt(login.username, login.password, { channel: 'mqtt', ip: '10.0.0.8' });
      expect(r).toMatchObject({ ok: false, badCredentials: false, reason, message: reason });
    }
  });

  it('registers an unknown device of a 一型一密 product on its whitelist, and only then', async () => {
    const s = setup({ product: { authMode: 'product_secret', dynamicRegister: true, whitelist: ['dev777'] }, device: null });
    const ok = mqttLogin({ productKey: 'smokeA', deviceKey: 'dev777', secret: 'product-secret' }, { timestamp: String(s.now) });
    expect((await s.auth.authenticateMqtt(ok.username, ok.password, { channel: 'mqtt' })).ok).toBe(true);
    const off = mqttLogin({ productKey: 'smokeA', deviceKey: 'dev778', secret: 'product-secret' }, { timestamp: String(s.now) });
    expect(await s.auth.authenticateMqtt(off.username, off.password, { channel: 'mqtt' })).toMatchObject({ ok: false, reason: '设备不在产品的动态注册白名单内' });
    const forged = mqttLogin({ productKey: 'smokeA', deviceKey: 'dev777', secret: 'guess' }, { timestamp: String(s.now) });
    s.devices.delete('dev777');
    expect(await s.auth.authenticateMqtt(forged.username, forged.password, { channel: 'mqtt' })).toMatchObject({ ok: false, reason: '签名错误（产品密钥）' });
    expect(s.registered).toEqual(['dev777']);
  });

  it('issues HTTP tokens kept only as hashes, and stops honouring them once the device is disabled', async () => {
    const s = setup();
    const { token, expiresIn } = await s.auth.issueToken(s.devices.get('dev001')!);
    expect(expiresIn).toBe(48 * 3600);
    expect(await s.auth.resolveToken(token, { channel: 'http' })).toMatchObject({ device: { id: 'd1' } });
    expect(await s.auth.resolveToken('forged', { channel: 'http' })).toEqual({ reason: '令牌无效或已过期，请重新认证' });
    s.devices.get('dev001')!.status = 'disabled';
    expect(await s.auth.resolveToken(token, { channel: 'http' })).toEqual({ reason: '设备已禁用' });
  });

  it('matches IPv4 and IPv6 addresses and ranges', () => {
    expect(addressAllowed([], undefined)).toBe(true);
    expect(addressAllowed(['10.0.0.0/8'], '::ffff:10.1.2.3')).toBe(true);
    expect(addressAllowed(['10.0.0.0/8'], '11.1.2.3')).toBe(false);
    expect(addressAllowed(['fd00::/8'], 'fd12::1')).toBe(true);
    expect(addressAllowed(['10.0.0.1'], undefined)).toBe(false);
  });
});
