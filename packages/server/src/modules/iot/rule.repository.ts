import { and, count, desc, eq, ilike, inArray, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { likeContains } from '../../core/text.js';
import { iotDevice } from './device.table.js';
import { iotProduct } from './product.table.js';
import { iotAlarm, iotRule, iotRuleModel } from './rule.table.js';

export type RuleModelRow = typeof iotRuleModel.$inferSelect;
export type NewRuleModel = Omit<typeof iotRuleModel.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;
export type RuleRow = typeof iotRule.$inferSelect;
export type NewRule = Omit<typeof iotRule.$inferInsert, 'id' | 'createdAt' | 'updatedAt' | 'lastFiredAt'>;

/** Alarms still running (not cleared): one per rule and device at most. */
export const OPEN_ALARM = sql`${iotAlarm.status} in ('active', 'acknowledged')`;

/** 规则模型 and 规则实例. */
export function ruleRepository(db: DbOrTx) {
  const ruleCount = sql<number>`(select count(*) from ${iotRule} where ${iotRule.modelId} = ${iotRuleModel.id})`.mapWith(Number);
  const activeAlarms = sql<number>`(select count(*) from ${iotAlarm} where ${iotAlarm.ruleId} = ${iotRule.id} and ${OPEN_ALARM})`.mapWith(Number);
  const ruleColumns = {
    rule: iotRule,
    modelName: iotRuleModel.name,
    productName: iotProduct.name,
    productKey: iotProduct.productKey,
    activeAlarms,
  };
  const ruleSelect = () =>
    db.select(ruleColumns).from(iotRule)
      .innerJoin(iotProduct, eq(iotProduct.id, iotRule.productId))
      .leftJoin(iotRuleModel, eq(iotRuleModel.id, iotRule.modelId));

  return {
    // ---- models ----
    async pageModels(f: { keyword?: string; kind?: string; page: number; pageSize: number }) {
      const where: SQL[] = [];
      if (f.keyword) where.push(ilike(iotRuleModel.name, likeContains(f.keyword)));
      if (f.kind) where.push(eq(iotRuleModel.kind, f.kind));
      const cond = where.length ? and(...where) : undefined;
      const [items, [total]] = await Promise.all([
        db.select({ model: iotRuleModel, ruleCount }).from(iotRuleModel).where(cond)
          .orderBy(desc(iotRuleModel.builtin), iotRuleModel.createdAt, iotRuleModel.name)
          .limit(f.pageSize).offset((f.page - 1) * f.pageSize),
        db.select({ n: count() }).from(iotRuleModel).where(cond),
      ]);
      return { items, total: total?.n ?? 0 };
    },

    async modelById(id: string) {
      const [r] = await db.select({ model: iotRuleModel, ruleCount }).from(iotRuleModel).where(eq(iotRuleModel.id, id));
      return r;
    },

    async modelByName(name: string) {
      const [r] = await db.select().from(iotRuleModel).where(eq(iotRuleModel.name, name));
      return r;
    },

    async insertModel(row: NewRuleModel) {
      const [r] = await db.insert(iotRuleModel).values(row).returning();
      return r!;
    },

    /** Seeds: adds the model unless one of that name exists. */
    async insertModelIfMissing(row: NewRuleModel) {
      await db.insert(iotRuleModel).values(row).onConflictDoNothing({ target: iotRuleModel.name });
    },

    async updateModel(id: string, patch: Partial<NewRuleModel>) {
      const [r] = await db.update(iotRuleModel).set({ ...patch, updatedAt: new Date() }).where(eq(iotRuleModel.id, id)).returning();
      return r;
    },

    async deleteModel(id: string) {
      await db.delete(iotRuleModel).where(eq(iotRuleModel.id, id));
    },

    // ---- rules ----
    async pageRules(f: { productId?: string; enabled?: boolean; kind?: string; keyword?: string; page: number; pageSize: number }) {
      const where: SQL[] = [];
      if (f.productId) where.push(eq(iotRule.productId, f.productId));
      if (f.enabled !== undefined) where.push(eq(iotRule.enabled, f.enabled));
      if (f.kind) where.push(eq(iotRule.kind, f.kind));
      if (f.keyword) where.push(ilike(iotRule.name, likeContains(f.keyword)));
      const cond = where.length ? and(...where) : undefined;
      const [items, [total]] = await Promise.all([
        ruleSelect().where(cond).orderBy(desc(iotRule.createdAt), iotRule.name).limit(f.pageSize).offset((f.page - 1) * f.pageSize),
        db.select({ n: count() }).from(iotRule).where(cond),
      ]);
      return { items, total: total?.n ?? 0 };
    },

    async ruleRow(id: string) {
      const [r] = await ruleSelect().where(eq(iotRule.id, id));
      return r;
    },

    async rulesByIds(ids: string[]) {
      if (!ids.length) return [];
      return db.select().from(iotRule).where(inArray(iotRule.id, ids));
    },

    async insertRule(row: NewRule) {
      const [r] = await db.insert(iotRule).values(row).returning();
      return r!;
    },

    async updateRule(id: string, patch: Partial<NewRule>) {
      const [r] = await db.update(iotRule).set({ ...patch, updatedAt: new Date() }).where(eq(iotRule.id, id)).returning();
      return r;
    },

    async deleteRule(id: string) {
      await db.delete(iotRule).where(eq(iotRule.id, id));
    },

    /** What the engine evaluates for a product's reports. */
    enabledOfProduct(productId: string) {
      return db.select().from(iotRule).where(and(eq(iotRule.productId, productId), eq(iotRule.enabled, true)));
    },

    enabledOfKind(kind: string) {
      return db.select().from(iotRule).where(and(eq(iotRule.kind, kind), eq(iotRule.enabled, true)));
    },

    async touchFired(id: string, at: Date) {
      await db.update(iotRule).set({ lastFiredAt: at }).where(eq(iotRule.id, id));
    },

    async productExists(id: string) {
      const [r] = await db.select({ id: iotProduct.id, thingModel: iotProduct.thingModel }).from(iotProduct).where(eq(iotProduct.id, id));
      return r;
    },

    /** Devices named by rules, for their lists and forms; only those of the product. */
    async devicesOf(productId: string | null, ids: string[]) {
      if (!ids.length) return [];
      const cond = productId ? and(inArray(iotDevice.id, ids), eq(iotDevice.productId, productId)) : inArray(iotDevice.id, ids);
      return db.select({ id: iotDevice.id, name: iotDevice.name, deviceKey: iotDevice.deviceKey, productId: iotDevice.productId }).from(iotDevice).where(cond);
    },

    /** Product ids by category (demo rules). */
    async productsByCategory() {
      return db.select({ id: iotProduct.id, category: iotProduct.category, name: iotProduct.name }).from(iotProduct);
    },

    async ruleCount() {
      const [r] = await db.select({ n: count() }).from(iotRule);
      return r?.n ?? 0;
    },
  };
}
export type RuleRepository = ReturnType<typeof ruleRepository>;
