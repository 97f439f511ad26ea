import {
  describeRuleCondition, ruleParamsProblems, type BatchResult, type Rule, type RuleAction, type RuleCreate, type RuleKind, type RuleModel,
  type RuleModelBody, type RuleParams, type RuleTestBody, type RuleUpdate, type ThingModel,
} from '@cityops/contracts';
import type { z } from 'zod';
import { runBatch } from '../../core/batch.js';
import type { Db } from '../../core/db.js';
import { isUniqueViolation } from '../../core/db-errors.js';
import { isUuid } from '../../core/ids.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import { listNames } from '../../core/text.js';
import { alarmRepository } from './alarm.repository.js';
import type { EventCatalogue } from './alarm-event.js';
import { testRule } from './rule-evaluate.js';
import { ruleRepository, type RuleModelRow } from './rule.repository.js';

type ModelBody = z.infer<typeof RuleModelBody>;
type CreateBody = z.infer<typeof RuleCreate>;
type UpdateBody = z.infer<typeof RuleUpdate>;

const toModel = (m: RuleModelRow, ruleCount: number): RuleModel => ({
  id: m.id, name: m.name, kind: m.kind as RuleKind, params: m.params, actions: m.actions, description: m.description,
  builtin: m.builtin, ruleCount, createdAt: m.createdAt.toISOString(), updatedAt: m.updatedAt.toISOString(),
});

/** Per-kind completeness of the parameters, as field errors under `params.`. */
function checkParams(kind: RuleKind, params: RuleParams) {
  const problems = ruleParamsProblems(kind, params);
  if (problems.length) {
    throw new Invalid(problems.map((p) => p.message).join('；'), { fields: Object.fromEntries(problems.map((p) => [`params.${p.path}`, p.message])) });
  }
}

/** The parameters name what the product's thing model has. */
function checkAgainstModel(kind: RuleKind, params: RuleParams, model: ThingModel) {
  if (params.property && kind !== 'offline' && kind !== 'event') {
    const prop = model.properties.find((p) => p.identifier === params.property);
    if (!prop) throw new Invalid(`产品物模型中没有属性“${params.property}”`, { fields: { 'params.property': '产品物模型中没有该属性' } });
    if (!['int', 'float', 'double', 'bool', 'enum'].includes(prop.dataType.type)) {
      throw new Invalid(`属性“${prop.name}”不是数值类型，不能用于${kind === 'rate' ? '变化率' : '阈值'}规则`, { fields: { 'params.property': '请选择数值、布尔或枚举类型的属性' } });
    }
  }
  if (kind === 'event' && params.event && !model.events.some((e) => e.identifier === params.event)) {
    throw new Invalid(`产品物模型中没有事件“${params.event}”`, { fields: { 'params.event': '产品物模型中没有该事件' } });
  }
}

/** Only what the kind uses is kept, so a rule's params say exactly what it checks. */
function paramsFor(kind: RuleKind, p: RuleParams): RuleParams {
  const pick = (...keys: (keyof RuleParams)[]) => Object.fromEntries(keys.filter((k) => p[k] !== undefined).map((k) => [k, p[k]])) as RuleParams;
  switch (kind) {
    case 'threshold': return pick('property', 'operator', 'value');
    case 'duration': return pick('property', 'operator', 'value', 'seconds');
    case 'rate': return pick('property', 'perMinute');
    case 'offline': return pick('minutes');
    case 'event': return pick('event', 'eventLevel');
  }
}

/** 规则模型 and 规则实例: maintenance, with the engine told of every change. */
export function ruleService(d: { db: Db; catalogue?: EventCatalogue; onChange: () => Promise<void> }) {
  const repo = ruleRepository(d.db);

  async function checkActions(actions: RuleAction[]) {
    for (const a of actions) {
      if (a.type === 'event' && a.typeCode && d.catalogue) {
        try {
          await d.catalogue.assertSelectable(a.typeCode);
        } catch (err) {
          throw new Invalid(`事件类型不可用：${err instanceof Error ? err.message : ''}`, { fields: { actions: '事件类型不可用' } });
        }
      }
    }
    if (new Set(actions.map((a) => a.type)).size !== actions.length) throw new Invalid('同一种动作只能配置一次', { fields: { actions: '同一种动作只能配置一次' } });
  }

  async function modelOf(id: string) {
    const m = await repo.modelById(id);
    if (!m) throw new NotFound('规则模型不存在');
    return m;
  }

  const uniqueName = async <T>(name: string, fn: () => Promise<T>) => {
    try {
      return await fn();
    } catch (err) {
      if (isUniqueViolation(err)) throw new Conflict(`规则模型“${name}”已存在`);
      throw err;
    }
  };

  async function toRules(rows: Awaited<ReturnType<typeof repo.ruleRow>>[]): Promise<Rule[]> {
    const present = rows.filter((r): r is NonNullable<typeof r> => !!r);
    const devices = new Map((await repo.devicesOf(null, [...new Set(present.flatMap((r) => r.rule.deviceIds))])).map((x) => [x.id, x]));
    return present.map(({ rule: r, modelName, productName, productKey, activeAlarms }) => ({
      id: r.id, name: r.name, modelId: r.modelId, modelName, kind: r.kind as RuleKind, productId: r.productId, productName, productKey,
      deviceIds: r.deviceIds,
      devices: r.deviceIds.map((id) => devices.get(id)).filter((x) => !!x).map((x) => ({ id: x!.id, name: x!.name, deviceKey: x!.deviceKey })),
      params: r.params, actions: r.actions, level: r.level as Rule['level'], enabled: r.enabled, description: r.description,
      condition: describeRuleCondition(r.kind as RuleKind, r.params), activeAlarms, lastFiredAt: r.lastFiredAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
    }));
  }

  async function ruleOf(id: string) {
    const [r] = await toRules([await repo.ruleRow(id)]);
    if (!r) throw new NotFound('规则不存在');
    return r;
  }

  /** The product exists, the parameters fit its thing model, the devices are its own. */
  async function checkRule(kind: RuleKind, productId: string, params: RuleParams, deviceIds: string[], actions: RuleAction[]) {
    const product = await repo.productExists(productId);
    if (!product) throw new Invalid('产品不存在', { fields: { productId: '产品不存在' } });
    checkParams(kind, params);
    checkAgainstModel(kind, params, product.thingModel);
    const unique = [...new Set(deviceIds)];
    const found = await repo.devicesOf(productId, unique);
    if (found.length !== unique.length) throw new Invalid('所选设备不属于该产品或不存在', { fields: { deviceIds: '所选设备不属于该产品或不存在' } });
    await checkActions(actions);
    return unique;
  }

  /** Open alarms of rules that stop watching are ended, or they would stay open forever. */
  async function stopWatching(ids: string[], clearedBy: 'rule-disabled' | 'rule-deleted') {
    await alarmRepository(d.db).clearOpen(ids, null, { clearedBy, clearReason: clearedBy === 'rule-disabled' ? '规则已停用' : '规则已删除' });
  }

  return {
    // ---- models ----
    async listModels(q: { keyword?: string; kind?: RuleKind; page: number; pageSize: number }) {
      const { items, total } = await repo.pageModels(q);
      return { items: items.map((r) => toModel(r.model, r.ruleCount)), total, page: q.page, pageSize: q.pageSize };
    },

    async modelName(id: string) {
      return (await repo.modelById(id))?.model.name ?? id;
    },

    async createModel(body: ModelBody) {
      checkParams(body.kind, body.params);
      await checkActions(body.actions);
      if (await repo.modelByName(body.name)) throw new Conflict(`规则模型“${body.name}”已存在`);
      const row = await uniqueName(body.name, () => repo.insertModel({ ...body, params: paramsFor(body.kind, body.params), builtin: false }));
      return toModel(row, 0);
    },

    async updateModel(id: string, body: ModelBody) {
      const { model, ruleCount } = await modelOf(id);
      // Built-in models are found by name at every start: a new name would bring the old one back.
      if (model.builtin && body.name !== model.name) throw new Invalid('内置规则模型的名称不能修改', { fields: { name: '内置规则模型的名称不能修改' } });
      checkParams(body.kind, body.params);
      await checkActions(body.actions);
      const other = await repo.modelByName(body.name);
      if (other && other.id !== id) throw new Conflict(`规则模型“${body.name}”已存在`);
      const row = await uniqueName(body.name, () => repo.updateModel(id, { ...body, params: paramsFor(body.kind, body.params) }));
      return toModel(row!, ruleCount);
    },

    async deleteModel(id: string) {
      const { model } = await modelOf(id);
      if (model.builtin) throw new Conflict('内置规则模型不能删除');
      await repo.deleteModel(id);
      return { ok: true as const };
    },

    // ---- rules ----
    async list(q: { productId?: string; enabled?: boolean; kind?: RuleKind; keyword?: string; page: number; pageSize: number }) {
      const { items, total } = await repo.pageRules(q);
      return { items: await toRules(items), total, page: q.page, pageSize: q.pageSize };
    },

    get: ruleOf,

    async names(ids: string[]) {
      return listNames((await repo.rulesByIds(ids.filter((id) => isUuid(id)))).map((r) => r.name));
    },

    async create(body: CreateBody) {
      const model = body.modelId ? (await modelOf(body.modelId)).model : undefined;
      const kind = (model?.kind ?? body.kind) as RuleKind;
      if (body.kind && model && body.kind !== model.kind) throw new Invalid('规则类型须与规则模型一致', { fields: { kind: '规则类型须与规则模型一致' } });
      const params = paramsFor(kind, { ...(model?.params ?? {}), ...(body.params ?? {}) });
      const actions = body.actions ?? model?.actions ?? [{ type: 'alarm' }];
      const deviceIds = await checkRule(kind, body.productId, params, body.deviceIds, actions);
      const row = await repo.insertRule({
        name: body.name, modelId: model?.id ?? null, kind, productId: body.productId, deviceIds, params, actions,
        level: body.level, enabled: body.enabled, description: body.description,
      });
      await d.onChange();
      return ruleOf(row.id);
    },

    async update(id: string, body: UpdateBody) {
      const current = await repo.ruleRow(id);
      if (!current) throw new NotFound('规则不存在');
      const kind = current.rule.kind as RuleKind;
      const params = paramsFor(kind, body.params);
      const deviceIds = await checkRule(kind, body.productId, params, body.deviceIds, body.actions);
      await repo.updateRule(id, {
        name: body.name, productId: body.productId, deviceIds, params, actions: body.actions, level: body.level,
        enabled: body.enabled, description: body.description,
      });
      if (current.rule.enabled && !body.enabled) await stopWatching([id], 'rule-disabled');
      await d.onChange();
      return ruleOf(id);
    },

    async setEnabled(ids: string[], enabled: boolean): Promise<BatchResult> {
      const result = await runBatch(ids, async (id) => {
        const row = isUuid(id) ? await repo.updateRule(id, { enabled }) : undefined;
        if (!row) throw new NotFound('规则不存在');
      });
      const changed = result.results.filter((r) => r.ok).map((r) => r.id);
      if (!enabled) await stopWatching(changed, 'rule-disabled');
      if (changed.length) await d.onChange();
      return result;
    },

    async remove(ids: string[]): Promise<BatchResult> {
      const result = await runBatch(ids, async (id) => {
        const [row] = isUuid(id) ? await repo.rulesByIds([id]) : [];
        if (!row) throw new NotFound('规则不存在');
        await stopWatching([id], 'rule-deleted');
        await repo.deleteRule(id);
      });
      if (result.succeeded) await d.onChange();
      return result;
    },

    test(body: z.infer<typeof RuleTestBody>) {
      return testRule(body.kind, body.params, body.sample);
    },
  };
}
export type RuleService = ReturnType<typeof ruleService>;
