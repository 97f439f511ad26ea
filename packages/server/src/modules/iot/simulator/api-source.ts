import { endpoints, type ProductOption, type ThingModelDoc } from '@cityops/contracts';

/**
 * Where the simulator's devices come from when it is pointed at a running platform: the products'
 * thing models and the devices' secrets through the platform's own API, as an account holding
 * 设备查看, 产品查看 and 查看设备密钥 sees them. The same shape is the simulator's JSON file.
 */
export interface DeviceFile {
  /** productKey → thing model. */
  products: Record<string, unknown>;
  devices: { productKey: string; deviceKey: string; secret: string }[];
}

const PAGE = 200;

/** A logged-in API client (bearer token); `path` is an endpoint's path with `:name` parameters. */
export async function apiClient(base: string, username: string, password: string) {
  const login = await fetch(new URL('/api/auth/login', base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!login.ok) throw new Error(`登录失败（${login.status}）：${await login.text()}`);
  const { token } = (await login.json()) as { token: string };
  return async <T>(method: string, path: string, params: Record<string, string> = {}, query: Record<string, string | number> = {}): Promise<T> => {
    const url = new URL(path.replace(/:(\w+)/g, (_, k: string) => encodeURIComponent(params[k] ?? '')), base);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, String(v));
    const r = await fetch(url, { method, headers: { authorization: `Bearer ${token}` } });
    if (!r.ok) throw new Error(`${method} ${url.pathname} → ${r.status}：${await r.text()}`);
    return (await r.json()) as T;
  };
}

/**
 * The enabled devices of the named products (default: every directly connected MQTT product), at
 * most `limit`, each with its secret (一型一密 products give the product secret) and its product's
 * thing model. Secrets are revealed one device at a time, as the API allows.
 */
export async function devicesFromApi(base: string, username: string, password: string, o: { productKeys?: string[]; limit?: number } = {}): Promise<DeviceFile> {
  const call = await apiClient(base, username, password);
  const e = endpoints;
  const limit = o.limit ?? Infinity;
  const wanted = o.productKeys ?? [];
  const options = await call<ProductOption[]>(e.iotProductOptions.method, e.iotProductOptions.path);
  const missing = wanted.filter((k) => !options.some((p) => p.productKey === k));
  if (missing.length) throw new Error(`找不到产品：${missing.join('、')}`);
  const chosen = wanted.length ? options.filter((p) => wanted.includes(p.productKey)) : options.filter((p) => p.protocol === 'mqtt' && p.nodeType !== 'sub');
  const out: DeviceFile = { products: {}, devices: [] };
  for (const p of chosen) {
    if (out.devices.length >= limit) break;
    out.products[p.productKey] = (await call<ThingModelDoc>(e.iotThingModel.method, e.iotThingModel.path, { id: p.id })).thingModel;
    for (let page = 1; out.devices.length < limit; page++) {
      const list = await call<{ items: { id: string; deviceKey: string; status: string; deregisteredAt: string | null }[]; total: number }>(
        e.iotDevices.method, e.iotDevices.path, {}, { productId: p.id, page, pageSize: PAGE });
      for (const d of list.items) {
        if (d.status === 'disabled' || d.deregisteredAt || out.devices.length >= limit) continue;
        const { secret } = await call<{ secret: string }>(e.iotRevealDeviceSecret.method, e.iotRevealDeviceSecret.path, { id: d.id });
        out.devices.push({ productKey: p.productKey, deviceKey: d.deviceKey, secret });
      }
      if (page * PAGE >= list.total) break;
    }
  }
  return out;
}
