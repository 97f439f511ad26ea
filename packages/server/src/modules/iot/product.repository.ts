import { and, asc, desc, eq, ilike, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { ThingModel } from '@cityops/contracts';
import type { DbOrTx } from '../../core/db.js';
import { likeContains } from '../../core/text.js';
import { iotDevice } from './device.table.js';
import { iotProduct } from './product.table.js';

export type ProductRow = typeof iotProduct.$inferSelect;
export type NewProduct = typeof iotProduct.$inferInsert;

export interface ProductFilter {
  keyword?: string;
  category?: string;
  nodeType?: string;
  protocol?: string;
  enabled?: boolean;
}

const deviceCount = (online: boolean) =>
  // Spelled out: inside a subquery Drizzle would write the outer column unqualified.
  sql<number>`(select count(*)::int from iot_device d where d.product_id = iot_product.id and d.deregistered_at is null${online ? sql` and d.status = 'online'` : sql``})`;
const modelCount = (part: keyof ThingModel) => sql<number>`coalesce(jsonb_array_length(${iotProduct.thingModel}->${part}), 0)::int`;

/** The columns of a list row: no thing model and no secret. */
const listColumns = {
  id: iotProduct.id,
  productKey: iotProduct.productKey,
  name: iotProduct.name,
  category: iotProduct.category,
  nodeType: iotProduct.nodeType,
  protocol: iotProduct.protocol,
  authMode: iotProduct.authMode,
  dynamicRegister: iotProduct.dynamicRegister,
  modelVersion: iotProduct.modelVersion,
  offlineSeconds: iotProduct.offlineSeconds,
  eventTypeCode: iotProduct.eventTypeCode,
  description: iotProduct.description,
  enabled: iotProduct.enabled,
  createdAt: iotProduct.createdAt,
  updatedAt: iotProduct.updatedAt,
  deviceCount: deviceCount(false),
  onlineCount: deviceCount(true),
  propertyCount: modelCount('properties'),
  eventCount: modelCount('events'),
  serviceCount: modelCount('services'),
};

/** 产品 rows (iot_product). */
export function productRepository(db: DbOrTx) {
  const where = (f: ProductFilter): SQL | undefined =>
    and(
      f.keyword ? or(ilike(iotProduct.name, likeContains(f.keyword)), ilike(iotProduct.productKey, likeContains(f.keyword))) : undefined,
      f.category ? eq(iotProduct.category, f.category) : undefined,
      f.nodeType ? eq(iotProduct.nodeType, f.nodeType) : undefined,
      f.protocol ? eq(iotProduct.protocol, f.protocol) : undefined,
      f.enabled !== undefined ? eq(iotProduct.enabled, f.enabled) : undefined,
    );

  return {
    async list(f: ProductFilter, page: number, pageSize: number) {
      const cond = where(f);
      const items = await db
        .select(listColumns)
        .from(iotProduct)
        .where(cond)
        .orderBy(desc(iotProduct.createdAt), asc(iotProduct.id))
        .limit(pageSize)
        .offset((page - 1) * pageSize);
      const [t] = await db.select({ n: sql<number>`count(*)::int` }).from(iotProduct).where(cond);
      return { items, total: t?.n ?? 0 };
    },

    async listRow(id: string) {
      const [r] = await db.select(listColumns).from(iotProduct).where(eq(iotProduct.id, id));
      return r;
    },

    async options() {
      return db
        .select({
          id: iotProduct.id,
          productKey: iotProduct.productKey,
          name: iotProduct.name,
          category: iotProduct.category,
          nodeType: iotProduct.nodeType,
          protocol: iotProduct.protocol,
          enabled: iotProduct.enabled,
        })
        .from(iotProduct)
        .orderBy(asc(iotProduct.name));
    },

    async byId(id: string) {
      const [r] = await db.select().from(iotProduct).where(eq(iotProduct.id, id));
      return r;
    },

    async byKey(productKey: string) {
      const [r] = await db.select().from(iotProduct).where(eq(iotProduct.productKey, productKey));
      return r;
    },

    async count() {
      const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(iotProduct);
      return r?.n ?? 0;
    },

    async insert(row: NewProduct) {
      const [r] = await db.insert(iotProduct).values(row).returning();
      return r!;
    },

    async update(id: string, patch: Partial<NewProduct>) {
      const [r] = await db.update(iotProduct).set({ ...patch, updatedAt: new Date() }).where(eq(iotProduct.id, id)).returning();
      return r;
    },

    /** Replaces the thing model and bumps its version (validators are cached per version). */
    async replaceModel(id: string, thingModel: ThingModel) {
      const [r] = await db
        .update(iotProduct)
        .set({ thingModel, modelVersion: sql`${iotProduct.modelVersion} + 1`, updatedAt: new Date() })
        .where(eq(iotProduct.id, id))
        .returning({ modelVersion: iotProduct.modelVersion, thingModel: iotProduct.thingModel });
      return r;
    },

    /** Devices of the product, deregistered ones included (their history refers to it). */
    async deviceCount(id: string) {
      const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(iotDevice).where(eq(iotDevice.productId, id));
      return r?.n ?? 0;
    },

    async activeDeviceCount(id: string) {
      const [r] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(iotDevice)
        .where(and(eq(iotDevice.productId, id), isNull(iotDevice.deregisteredAt)));
      return r?.n ?? 0;
    },

    async remove(id: string) {
      await db.delete(iotProduct).where(eq(iotProduct.id, id));
    },
  };
}
export type ProductRepository = ReturnType<typeof productRepository>;
