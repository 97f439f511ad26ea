import type { RuleAction, RuleKind, RuleLevel, RuleParams } from '@cityops/contracts';
import type { Db } from '../../../core/db.js';
import { ruleRepository } from '../rule.repository.js';

interface ModelSeed {
  name: string;
  kind: RuleKind;
  params: RuleParams;
  actions: RuleAction[];
  description: string;
  /** Demo rule instances: the product category it is applied to, and the level. */
  demo?: { category: string; level: RuleLevel };
}

const TO_HUB: RuleAction[] = [{ type: 'alarm' }, { type: 'event' }, { type: 'notify', orgIds: [] }];

/** The built-in 规则模型 (seeded at every start when missing; they cannot be deleted). */
export const BUILTIN_RULE_MODELS: ModelSeed[] = [
  {
    name: '燃气浓度超限', kind: 'threshold', params: { property: 'gas_concentration', operator: '>=', value: 20 }, actions: TO_HUB,
    description: '燃气浓度达到爆炸下限的 20%（20 %LEL）即告警并生成燃气泄漏事件，浓度回落后告警自动解除。',
    demo: { category: 'gas', level: 'critical' },
  },
  {
    name: '烟感火警事件', kind: 'event', params: { event: 'fire_alarm' }, actions: TO_HUB,
    description: '点型光电烟火灾探测器上报火警事件即告警，并作为火灾事件推送至设备责任单位待办。',
    demo: { category: 'smoke', level: 'critical' },
  },
  {
    name: '设备离线', kind: 'offline', params: { minutes: 30 }, actions: [{ type: 'alarm' }, { type: 'notify', orgIds: [] }],
    description: '设备离线超过 30 分钟告警并通知责任单位，设备恢复在线后自动解除。',
  },
  {
    name: '水位持续超限', kind: 'duration', params: { property: 'level', operator: '>', value: 2.5, seconds: 300 }, actions: TO_HUB,
    description: '水位高于 2.5 米并持续 5 分钟告警，生成城市内涝事件；水位回落后自动解除。',
    demo: { category: 'water_level', level: 'warning' },
  },
  {
    name: '井盖倾斜变化率', kind: 'rate', params: { property: 'tilt', perMinute: 10 }, actions: TO_HUB,
    description: '井盖倾角每分钟变化超过 10 度（被撬动、移位）即告警，生成井盖事件。',
    demo: { category: 'manhole', level: 'warning' },
  },
];

export async function seedRuleModels(db: Db) {
  const repo = ruleRepository(db);
  for (const m of BUILTIN_RULE_MODELS) {
    await repo.insertModelIfMissing({ name: m.name, kind: m.kind, params: m.params, actions: m.actions, description: m.description, builtin: true });
  }
}

/**
 * Demo rule instances on the demo products (by category: one per built-in model that names one),
 * made once: only while no rule exists. Call after the demo products are seeded.
 */
export async function seedDemoRules(db: Db) {
  const repo = ruleRepository(db);
  if ((await repo.ruleCount()) > 0) return 0;
  const products = await repo.productsByCategory();
  let made = 0;
  for (const m of BUILTIN_RULE_MODELS) {
    if (!m.demo) continue;
    const model = await repo.modelByName(m.name);
    for (const p of products.filter((x) => x.category === m.demo!.category)) {
      // Only where the product's thing model has what the rule watches.
      const prop = m.params.property;
      const ev = m.params.event;
      const tm = (await repo.productExists(p.id))?.thingModel;
      if (!tm || (prop && !tm.properties.some((x) => x.identifier === prop)) || (ev && !tm.events.some((x) => x.identifier === ev))) continue;
      await repo.insertRule({
        name: m.name, modelId: model?.id ?? null, kind: m.kind, productId: p.id, deviceIds: [], params: m.params, actions: m.actions,
        level: m.demo.level, enabled: true, description: m.description,
      });
      made++;
    }
  }
  // Every device going silent is worth knowing about in the demo as well.
  const offline = BUILTIN_RULE_MODELS.find((m) => m.kind === 'offline')!;
  const offlineModel = await repo.modelByName(offline.name);
  for (const p of products) {
    await repo.insertRule({
      name: `${p.name}${offline.name}`, modelId: offlineModel?.id ?? null, kind: 'offline', productId: p.id, deviceIds: [],
      // Alarm only: the demo's offline devices would otherwise flood the towns' message boxes at start.
      params: offline.params, actions: [{ type: 'alarm' }], level: 'info', enabled: true, description: offline.description,
    });
    made++;
  }
  return made;
}
