import crypto from 'node:crypto';
import {
  PRODUCT_EXPORT_FORMAT, ProductCreateBody, type ProductDetail, type ProductExport, ProductImportBody, type ProductItem, ProductListQuery,
  type ProductOption, type ThingModel, type ThingModelDoc,
} from '@cityops/contracts';
import type { z } from 'zod';
import type { DbOrTx } from '../../core/db.js';
import type { FieldCipher } from '../../core/crypto/field.js';
import { isUniqueViolation } from '../../core/db-errors.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import { isUuid } from '../../core/ids.js';
import { newSecret } from './device-directory.js';
import type { DeviceDirectory } from './ports.js';
import { productRepository, type ProductRow } from './product.repository.js';

type ListRow = Awaited<ReturnType<ReturnType<typeof productRepository>['list']>>['items'][number];

const toItem = (r: ListRow): ProductItem => ({
  ...r,
  category: r.category as ProductItem['category'],
  nodeType: r.nodeType as ProductItem['nodeType'],
  protocol: r.protocol as ProductItem['protocol'],
  authMode: r.authMode as ProductItem['authMode'],
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

const KEY_CHARS = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** A product or device key nobody has to type: 11 unambiguous letters and digits (Alibaba style). */
export const newKey = (length = 11) => Array.from(crypto.randomBytes(length), (b) => KEY_CHARS[b % KEY_CHARS.length]).join('');

/** Fields of the create/update bodies as the table stores them. */
const columns = (b: z.output<typeof ProductCreateBody>) => ({
  name: b.name,
  category: b.category,
  nodeType: b.nodeType,
  // A sub-device reaches the platform only through its gateway.
  protocol: b.nodeType === 'sub' ? 'gateway' : b.protocol === 'gateway' ? 'mqtt' : b.protocol,
  authMode: b.authMode,
  dynamicRegister: b.authMode === 'product_secret' && b.dynamicRegister,
  whitelist: [...new Set(b.whitelist)],
  offlineSeconds: b.offlineSeconds,
  eventTypeCode: b.eventTypeCode,
  description: b.description,
  enabled: b.enabled,
});

const EMPTY_MODEL: ThingModel = { properties: [], events: [], services: [] };

/**
 * 产品管理: products, their thing models (物模型) with import/export, and the product secret.
 * Every change drops the device directory's cached copy, on every node.
 */
export function productService(d: { db: DbOrTx; fields: FieldCipher; directory: Pick<DeviceDirectory, 'invalidate'> }) {
  const repo = productRepository(d.db);

  const found = async (id: string) => {
    const row = isUuid(id) ? await repo.byId(id) : undefined;
    if (!row) throw new NotFound('产品不存在或已删除');
    return row;
  };

  const detail = async (row: ProductRow): Promise<ProductDetail> => {
    const item = await repo.listRow(row.id);
    return { ...toItem(item!), whitelist: row.whitelist, thingModel: row.thingModel };
  };

  const insert = async (b: z.output<typeof ProductCreateBody>) => {
    const productKey = b.productKey ?? newKey();
    try {
      return await repo.insert({ ...columns(b), productKey, productSecret: d.fields.encrypt(newSecret()), thingModel: b.thingModel ?? EMPTY_MODEL });
    } catch (err) {
      if (isUniqueViolation(err)) throw new Conflict(`产品标识 ${productKey} 已被使用，请换一个`, { fields: { productKey: '产品标识已被使用' } });
      throw err;
    }
  };

  return {
    async list(q: z.output<typeof ProductListQuery>) {
      const { items, total } = await repo.list(q, q.page, q.pageSize);
      return { items: items.map(toItem), total, page: q.page, pageSize: q.pageSize };
    },

    async options(): Promise<ProductOption[]> {
      return (await repo.options()).map((r) => ({ ...r, category: r.category as ProductOption['category'], nodeType: r.nodeType as ProductOption['nodeType'], protocol: r.protocol as ProductOption['protocol'] }));
    },

    async get(id: string): Promise<ProductDetail> {
      return detail(await found(id));
    },

    /** The stored row (thing model included), for other parts of the module. */
    row: found,

    async create(b: z.output<typeof ProductCreateBody>): Promise<ProductDetail> {
      const row = await insert(b);
      await d.directory.invalidate();
      return detail(row);
    },

    async update(id: string, b: z.output<typeof ProductCreateBody>): Promise<ProductDetail> {
      await found(id);
      const row = await repo.update(id, columns(b));
      await d.directory.invalidate();
      return detail(row!);
    },

    async remove(id: string) {
      const row = await found(id);
      const n = await repo.deviceCount(id);
      if (n > 0) throw new Conflict(`产品「${row.name}」下还有 ${n} 个设备（含已注销的），不能删除`);
      await repo.remove(id);
      await d.directory.invalidate();
      return row;
    },

    async thingModel(id: string): Promise<ThingModelDoc> {
      const row = await found(id);
      return { modelVersion: row.modelVersion, thingModel: row.thingModel };
    },

    async saveThingModel(id: string, model: ThingModel): Promise<ThingModelDoc> {
      await found(id);
      const r = await repo.replaceModel(id, model);
      await d.directory.invalidate();
      return { modelVersion: r!.modelVersion, thingModel: r!.thingModel };
    },

    /** The JSON file of 导出: the product's settings (no secret) and its thing model. */
    async exportFile(id: string): Promise<{ name: string; content: ProductExport }> {
      const p = await found(id);
      return {
        name: `${p.name}-${p.productKey}-物模型.json`,
        content: {
          format: PRODUCT_EXPORT_FORMAT,
          version: 1,
          exportedAt: new Date().toISOString(),
          product: {
            productKey: p.productKey, name: p.name, category: p.category, nodeType: p.nodeType, protocol: p.protocol, authMode: p.authMode,
            dynamicRegister: p.dynamicRegister, offlineSeconds: p.offlineSeconds, eventTypeCode: p.eventTypeCode, description: p.description,
          },
          thingModel: p.thingModel,
        },
      };
    },

    /** 导入: replaces a product's thing model, or creates a product from the file. */
    async importFile(b: z.output<typeof ProductImportBody>): Promise<ProductDetail> {
      if (b.productId) {
        await this.saveThingModel(b.productId, b.content.thingModel);
        return this.get(b.productId);
      }
      const p = b.content.product;
      if (!p && !b.name) throw new Invalid('文件中没有产品信息，请填写产品名称或选择要替换物模型的产品', { fields: { name: '请填写产品名称' } });
      const parsed = ProductCreateBody.safeParse({
        ...(p ?? { category: 'other' }),
        eventTypeCode: p?.eventTypeCode ?? null,
        name: b.name ?? p?.name,
        productKey: b.productKey ?? p?.productKey,
        thingModel: b.content.thingModel,
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new Invalid(`文件中的产品信息有误：${issue.path.join('.')} ${issue.message}`);
      }
      return this.create(parsed.data);
    },

    async revealSecret(id: string) {
      const row = await found(id);
      return { secret: d.fields.decrypt(row.productSecret), name: row.name };
    },

    async resetSecret(id: string) {
      const row = await found(id);
      const secret = newSecret();
      await repo.update(id, { productSecret: d.fields.encrypt(secret) });
      await d.directory.invalidate();
      return { secret, name: row.name };
    },
  };
}
export type ProductService = ReturnType<typeof productService>;
