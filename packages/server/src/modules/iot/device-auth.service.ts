import crypto from 'node:crypto';
import net from 'node:net';
import type { SignMethod } from '@cityops/contracts';
import type { Cache } from '../../core/cache.js';
import { hmacSm3Hex, sm3Hex } from '../../core/crypto/sm.js';
import type { Channel, DeviceDirectory, DeviceRef, Ingest, ProductRef, TraceRow } from './ports.js';

/**
 * Device authentication, one place for every channel (embedded MQTT, external broker hooks, HTTP,
 * CoAP): the signature, the clock, the device's state, its address whitelist, dynamic registration
 * (一型一密), and the HTTP/CoAP tokens. Every refusal is traced with its reason, so 消息追踪 shows
 * why a device cannot get in; the device itself is told only that it was refused.
 */

export interface SignedLogin {
  productKey: string;
  deviceKey: string;
  signMethod: string;
  /** Epoch ms as text; '' for a static password (external brokers are provisioned with one). */
  timestamp: string;
  sign: string;
}

export type AuthOutcome =
  | { ok: true; device: DeviceRef; product: ProductRef }
  /**
   * `reason` is for the trace; `message` for the device: a credential failure does not say which part
   * was wrong (no probing for device keys). `badCredentials`: MQTT answers "bad user name or
   * password" rather than "not authorized".
   */
  | { ok: false; reason: string; message: string; badCredentials: boolean };

const CREDENTIALS_REFUSED = '设备认证失败：请检查产品标识、设备标识、签名方法与密钥';

export const TOKEN_TTL_SECONDS = 48 * 3600;
const tokenKey = (token: string) => `iot:dtoken:${sm3Hex(token)}`;

/** HMAC(secret, pk + dk + timestamp) as hex. */
export function signLogin(secret: string, method: SignMethod, productKey: string, deviceKey: string, timestamp: string): string {
  const data = `${productKey}${deviceKey}${timestamp}`;
  return method === 'hmacsm3' ? hmacSm3Hex(Buffer.from(secret), data) : crypto.createHmac('sha256', secret).update(data).digest('hex');
}

/** The password an external broker is provisioned with: `hmacsm3::<HMAC-SM3(secret, pk + dk)>` — no timestamp, so it never expires. */
export const staticPassword = (secret: string, productKey: string, deviceKey: string) =>
  `hmacsm3::${signLogin(secret, 'hmacsm3', productKey, deviceKey, '')}`;

/** MQTT username `{dk}&{pk}`. */
export function parseMqttUsername(username: string | undefined): { productKey: string; deviceKey: string } | undefined {
  const u = /^([^&]{1,64})&([^&]{1,64})$/.exec(username ?? '');
  return u ? { deviceKey: u[1]!, productKey: u[2]! } : undefined;
}

/** MQTT username `{dk}&{pk}`, password `{signMethod}:{timestamp}:{sign}`. */
export function parseMqttLogin(username: string | undefined, password: string | undefined): SignedLogin | undefined {
  const u = parseMqttUsername(username);
  const p = /^([a-z0-9]+):(\d*):([0-9a-fA-F]+)$/.exec(password ?? '');
  if (!u || !p) return undefined;
  return { ...u, signMethod: p[1]!, timestamp: p[2]!, sign: p[3]! };
}

/** Strips the IPv4-mapped IPv6 prefix Node gives dual-stack sockets. */
export const plainIp = (ip: string | null | undefined) => (ip ? ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '') : undefined);

/** Is `ip` on the whitelist (addresses or CIDR ranges)? An empty list allows everyone; an unknown address nobody. */
export function addressAllowed(list: string[], ip: string | undefined): boolean {
  if (!list.length) return true;
  const addr = plainIp(ip);
  if (!addr || !net.isIP(addr)) return false;
  const family = net.isIPv4(addr) ? 'ipv4' : 'ipv6';
  const block = new net.BlockList();
  for (const entry of list) {
    const [base, bits] = entry.split('/');
    if (!base || !net.isIP(base)) continue;
    const f = net.isIPv4(base) ? 'ipv4' : 'ipv6';
    if (bits === undefined) block.addAddress(base, f);
    else block.addSubnet(base, Number(bits), f);
  }
  return block.check(addr, family);
}

const sameHex = (a: string, b: string) => {
  const x = Buffer.from(a.toLowerCase());
  const y = Buffer.from(b.toLowerCase());
  return x.length === y.length && crypto.timingSafeEqual(x, y);
};

export function deviceAuthService(d: {
  directory: DeviceDirectory;
  ingest: Pick<Ingest, 'trace'>;
  cache: Cache;
  signSkewSeconds: number;
  now?: () => number;
}) {
  const now = d.now ?? Date.now;

  const refuse = (
    channel: Channel,
    who: { productKey?: string; deviceKey?: string; device?: DeviceRef },
    reason: string,
    ip: string | undefined,
    badCredentials = false,
  ): AuthOutcome => {
    d.ingest.trace({
      deviceId: who.device?.id ?? null,
      productKey: who.device?.productKey ?? who.productKey ?? null,
      deviceKey: who.device?.deviceKey ?? who.deviceKey ?? null,
      direction: 'up',
      channel,
      kind: 'connect',
      result: 'denied',
      reason,
      clientIp: plainIp(ip) ?? null,
    });
    // The clock is no secret: a device with a wrong clock is told so.
    return { ok: false, reason, message: badCredentials && !reason.startsWith('时间戳') ? CREDENTIALS_REFUSED : reason, badCredentials };
  };

  /** Why this device may not connect now (disabled, deregistered, not from its addresses), if it may not. */
  const stateRefusal = (device: DeviceRef, product: ProductRef, ip: string | undefined): string | undefined => {
    if (device.deregistered) return '设备已注销';
    if (device.status === 'disabled') return '设备已禁用';
    if (!product.enabled) return '产品已停用';
    if (product.nodeType === 'sub') return '子设备须经网关接入';
    if (!addressAllowed(device.allowedAddresses, ip)) return `来源地址 ${plainIp(ip) ?? '未知'} 不在设备准入白名单内`;
    return undefined;
  };

  return {
    /** A signed login from any channel. */
    async authenticate(login: SignedLogin, o: { channel: Channel; ip?: string; requireTimestamp?: boolean }): Promise<AuthOutcome> {
      const { productKey, deviceKey } = login;
      const who = { productKey, deviceKey };
      if (login.signMethod !== 'hmacsm3' && login.signMethod !== 'hmacsha256') return refuse(o.channel, who, `不支持的签名方法 ${login.signMethod.slice(0, 20)}`, o.ip, true);
      if (login.timestamp === '' && o.requireTimestamp) return refuse(o.channel, who, '缺少时间戳', o.ip, true);
      if (login.timestamp !== '' && Math.abs(now() - Number(login.timestamp)) > d.signSkewSeconds * 1000) {
        return refuse(o.channel, who, `时间戳与平台时间相差超过 ${d.signSkewSeconds} 秒`, o.ip, true);
      }
      const product = await d.directory.product(productKey);
      if (!product) return refuse(o.channel, who, '产品不存在', o.ip, true);
      const mode = product.authMode === 'product_secret' ? 'product' : 'device';
      const check = async (secretOf: Promise<string | undefined>) => {
        const secret = await secretOf;
        return !!secret && sameHex(signLogin(secret, login.signMethod as SignMethod, productKey, deviceKey, login.timestamp), login.sign);
      };

      let device = await d.directory.device(productKey, deviceKey);
      if (!device) {
        // 一型一密 with dynamic registration: a device that proves it holds the product secret registers itself.
        const mayRegister = mode === 'product' && product.dynamicRegister && (!product.whitelist.length || product.whitelist.includes(deviceKey));
        if (!mayRegister) return refuse(o.channel, who, product.dynamicRegister ? '设备不在产品的动态注册白名单内' : '设备不存在', o.ip, true);
        if (!product.enabled) return refuse(o.channel, who, '产品已停用', o.ip);
        if (!(await check(d.directory.secretOf({ productKey }, 'product')))) return refuse(o.channel, who, '签名错误（产品密钥）', o.ip, true);
        device = await d.directory.register(product, deviceKey);
      } else if (!(await check(d.directory.secretOf(device, mode)))) {
        return refuse(o.channel, { device }, mode === 'product' ? '签名错误（产品密钥）' : '签名错误（设备密钥）', o.ip, true);
      }
      const refusal = stateRefusal(device, product, o.ip);
      if (refusal) return refuse(o.channel, { device }, refusal, o.ip);
      return { ok: true, device, product };
    },

    /** MQTT CONNECT credentials (embedded broker, external broker hook). */
    async authenticateMqtt(username: string | undefined, password: string | undefined, o: { channel: Channel; ip?: string }): Promise<AuthOutcome> {
      const login = parseMqttLogin(username, password);
      if (!login) return refuse(o.channel, parseMqttUsername(username) ?? {}, '用户名或密码格式错误（用户名 {dk}&{pk}，密码 {signMethod}:{timestamp}:{sign}）', o.ip, true);
      return this.authenticate(login, o);
    },

    /** A random token for HTTP/CoAP reports; only its SM3 hash is kept, with the device id. */
    async issueToken(device: DeviceRef): Promise<{ token: string; expiresIn: number }> {
      const token = crypto.randomBytes(24).toString('base64url');
      await d.cache.set(tokenKey(token), { deviceId: device.id }, TOKEN_TTL_SECONDS);
      return { token, expiresIn: TOKEN_TTL_SECONDS };
    },

    /** The device behind a token, checked again (it may have been disabled since); a refusal is traced. */
    async resolveToken(token: string | undefined, o: { channel: Channel; ip?: string }): Promise<{ device: DeviceRef } | { reason: string }> {
      const entry = token ? await d.cache.get<{ deviceId: string }>(tokenKey(token)) : undefined;
      const device = entry ? await d.directory.deviceById(entry.deviceId) : undefined;
      if (!device) {
        const reason = token ? '令牌无效或已过期，请重新认证' : '缺少设备令牌';
        refuse(o.channel, {}, reason, o.ip);
        return { reason };
      }
      const product = await d.directory.productById(device.productId);
      const refusal = product ? stateRefusal(device, product, o.ip) : '产品不存在';
      if (refusal) {
        refuse(o.channel, { device }, refusal, o.ip);
        return { reason: refusal };
      }
      return { device };
    },

    /** Traces a refusal decided elsewhere (a topic outside the device's own, …). */
    deny(channel: Channel, device: DeviceRef | undefined, reason: string, o: { ip?: string; topic?: string; payload?: string; kind?: TraceRow['kind'] } = {}) {
      d.ingest.trace({
        deviceId: device?.id ?? null,
        productKey: device?.productKey ?? null,
        deviceKey: device?.deviceKey ?? null,
        direction: 'up',
        channel,
        kind: o.kind ?? 'other',
        topic: o.topic,
        payload: o.payload,
        result: 'denied',
        reason,
        clientIp: plainIp(o.ip) ?? null,
      });
    },
  };
}
export type DeviceAuthService = ReturnType<typeof deviceAuthService>;
