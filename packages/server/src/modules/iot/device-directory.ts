import crypto from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Cache } from '../../core/cache.js';
import type { DbOrTx } from '../../core/db.js';
import type { FieldCipher } from '../../core/crypto/field.js';
import { isUniqueViolation } from '../../core/db-errors.js';
import { iotDevice } from './device.table.js';
import { iotProduct } from './product.table.js';
import type { DeviceDirectory, DeviceRef, ProductRef } from './ports.js';

const VERSION_KEY = 'iot:directory:version';
/** A device key no one registered is asked for again after this long (a misconfigured device retries a lot). */
const MISS_MS = 5_000;

/** A new random secret: 32 hex characters (128 bits). */
export const newSecret = () => crypto.randomBytes(16).toString('hex');

type DeviceRow = typeof iotDevice.$inferSelect;
type ProductRow = typeof iotProduct.$inferSelect;

const toProductRef = (p: ProductRow): ProductRef => ({
  id: p.id,
  productKey: p.productKey,
  name: p.name,
  category: p.category,
  nodeType: p.nodeType as ProductRef['nodeType'],
  protocol: p.protocol as ProductRef['protocol'],
  authMode: p.authMode as ProductRef['authMode'],
  dynamicRegister: p.dynamicRegister,
  whitelist: p.whitelist,
  thingModel: p.thingModel,
  modelVersion: p.modelVersion,
  offlineSeconds: p.offlineSeconds,
  eventTypeCode: p.eventTypeCode,
  enabled: p.enabled,
});

const toDeviceRef = (r: DeviceRow, productKey: string): DeviceRef => ({
  id: r.id,
  productId: r.productId,
  productKey,
  deviceKey: r.deviceKey,
  name: r.name,
  status: r.status,
  deregistered: r.deregisteredAt !== null,
  testMode: r.testMode,
  orgId: r.orgId,
  regionCode: r.regionCode,
  lng: r.lng,
  lat: r.lat,
  address: r.address,
  gatewayId: r.gatewayId,
  allowedAddresses: r.allowedAddresses,
});

export interface LocalDirectory extends DeviceDirectory {
  /** Updates this node's cached status after ingest changed it (presence is not a reason to drop the entry). */
  noteStatus(deviceId: string, status: DeviceRef['status']): void;
  /** The product protocol (http, coap…), for the offline sweep and the connection page. */
  protocolOf(productId: string): Promise<string | undefined>;
}

/**
 * Products and devices as the connection and ingest paths read them, cached in this process. A
 * change anywhere bumps a version in the shared cache; every node checks it at most once per
 * `checkEveryMs` and drops its entries when it moved, so an edit (a disabled device, a new thing
 * model) is seen everywhere within about a second without a cache round trip per message.
 */
export function deviceDirectory(d: { db: DbOrTx; cache: Cache; fields: FieldCipher; maxDevices?: number; checkEveryMs?: number }): LocalDirectory {
  const maxDevices = d.maxDevices ?? 500_000;
  const checkEveryMs = d.checkEveryMs ?? 1_000;
  const products = new Map<string, ProductRef>();
  const productIds = new Map<string, string>();
  const productSecrets = new Map<string, string>();
  const devices = new Map<string, DeviceRef>();
  const deviceIds = new Map<string, string>();
  const deviceSecrets = new Map<string, string>();
  const misses = new Map<string, number>();
  let version: string | undefined;
  let checkedAt = 0;
  let checking: Promise<void> | undefined;

  const clear = () => {
    products.clear();
    productIds.clear();
    productSecrets.clear();
    devices.clear();
    deviceIds.clear();
    deviceSecrets.clear();
    misses.clear();
  };

  /** Drops everything when another node changed something since the last look. */
  const sync = async () => {
    if (Date.now() - checkedAt < checkEveryMs) return;
    checking ??= (async () => {
      try {
        const v = (await d.cache.get<string>(VERSION_KEY)) ?? '0';
        if (v !== version) {
          clear();
          version = v;
        }
        checkedAt = Date.now();
      } finally {
        checking = undefined;
      }
    })();
    await checking;
  };

  const keepProduct = (p: ProductRow) => {
    const ref = toProductRef(p);
    products.set(p.id, ref);
    productIds.set(p.productKey, p.id);
    productSecrets.set(p.id, p.productSecret);
    return ref;
  };

  const keepDevice = (r: DeviceRow, productKey: string) => {
    // A plain bound on memory: the oldest entries go first (Map keeps insertion order).
    if (devices.size >= maxDevices) {
      const oldest = devices.keys().next().value as string;
      const o = devices.get(oldest)!;
      devices.delete(oldest);
      deviceIds.delete(`${o.productKey}/${o.deviceKey}`);
      deviceSecrets.delete(oldest);
    }
    const ref = toDeviceRef(r, productKey);
    devices.set(r.id, ref);
    deviceIds.set(`${productKey}/${r.deviceKey}`, r.id);
    deviceSecrets.set(r.id, r.secret);
    misses.delete(`${productKey}/${r.deviceKey}`);
    return ref;
  };

  const loadProductById = async (id: string) => {
    const [p] = await d.db.select().from(iotProduct).where(eq(iotProduct.id, id));
    return p ? keepProduct(p) : undefined;
  };

  const self: LocalDirectory = {
    async product(productKey) {
      await sync();
      const id = productIds.get(productKey);
      if (id) return products.get(id);
      const [p] = await d.db.select().from(iotProduct).where(eq(iotProduct.productKey, productKey));
      return p ? keepProduct(p) : undefined;
    },

    async productById(id) {
      await sync();
      return products.get(id) ?? (await loadProductById(id));
    },

    async device(productKey, deviceKey) {
      await sync();
      const key = `${productKey}/${deviceKey}`;
      const id = deviceIds.get(key);
      if (id) return devices.get(id);
      if ((misses.get(key) ?? 0) > Date.now()) return undefined;
      const product = await self.product(productKey);
      if (!product) return undefined;
      const [r] = await d.db
        .select()
        .from(iotDevice)
        .where(and(eq(iotDevice.productId, product.id), eq(iotDevice.deviceKey, deviceKey)));
      if (!r) {
        misses.set(key, Date.now() + MISS_MS);
        return undefined;
      }
      return keepDevice(r, productKey);
    },

    async deviceById(id) {
      await sync();
      const hit = devices.get(id);
      if (hit) return hit;
      const [r] = await d.db.select().from(iotDevice).where(eq(iotDevice.id, id));
      if (!r) return undefined;
      const product = await self.productById(r.productId);
      return product ? keepDevice(r, product.productKey) : undefined;
    },

    async secretOf(device, mode) {
      if (mode === 'product') {
        const product = await self.product(device.productKey);
        const stored = product && productSecrets.get(product.id);
        return stored ? d.fields.decrypt(stored) : undefined;
      }
      if (!('id' in device)) return undefined;
      await sync();
      if (!deviceSecrets.has(device.id)) await self.deviceById(device.id);
      const stored = deviceSecrets.get(device.id);
      return stored ? d.fields.decrypt(stored) : undefined;
    },

    async register(product, deviceKey) {
      if (!product.dynamicRegister || product.authMode !== 'product_secret') throw new Error(`product ${product.productKey} does not register devices dynamically`);
      if (product.whitelist.length && !product.whitelist.includes(deviceKey)) throw new Error(`device key ${deviceKey} is not on the whitelist of ${product.productKey}`);
      try {
        await d.db.insert(iotDevice).values({
          productId: product.id,
          deviceKey,
          name: deviceKey,
          secret: d.fields.encrypt(newSecret()),
          description: '动态注册',
        });
      } catch (err) {
        // Two connections of the same new device at once: the other one registered it.
        if (!isUniqueViolation(err)) throw err;
      }
      misses.delete(`${product.productKey}/${deviceKey}`);
      const ref = await self.device(product.productKey, deviceKey);
      if (!ref) throw new Error(`device ${product.productKey}/${deviceKey} vanished after registration`);
      return ref;
    },

    async invalidate(deviceId) {
      if (deviceId) {
        const o = devices.get(deviceId);
        if (o) deviceIds.delete(`${o.productKey}/${o.deviceKey}`);
        devices.delete(deviceId);
        deviceSecrets.delete(deviceId);
        misses.clear();
      } else {
        clear();
      }
      version = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
      checkedAt = Date.now();
      await d.cache.set(VERSION_KEY, version);
    },

    noteStatus(deviceId, status) {
      const ref = devices.get(deviceId);
      if (ref && ref.status !== 'disabled') ref.status = status;
    },

    async protocolOf(productId) {
      await sync();
      return (products.get(productId) ?? (await loadProductById(productId)))?.protocol;
    },
  };
  return self;
}
