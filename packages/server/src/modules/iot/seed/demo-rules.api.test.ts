import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../../test/harness.js';
import { backends } from '../../../test/backends.js';
import { seedDemoRules } from './rule-models.js';

describe.each(backends)('IoT demo rules on %s', (backend) => {
  let h: Harness;
  let op: string;

  beforeAll(async () => {
    h = await startHarness(backend, { DEMO_DATA: 'true', DEMO_IOT: 'true', IOT_MQTT_PORT: '0', IOT_COAP_PORT: '0' });
    op = await h.login('iot_op', 'Chongzhou@2026');
  });
  afterAll(async () => h?.dispose());

  it('applies the built-in models to the demo products, and an offline rule to each, once', async () => {
    const rules = (await h.call('GET', '/api/iot/rules?pageSize=100', { token: op })).json().items as { name: string; productName: string; kind: string; enabled: boolean; actions: { type: string }[] }[];
    const pairs = rules.filter((r) => r.kind !== 'offline').map((r) => `${r.productName}:${r.name}`).sort();
    expect(pairs).toEqual(['智能井盖:井盖倾斜变化率', '水位计:水位持续超限', '点型光电烟火灾探测器:烟感火警事件', '燃气报警器:燃气浓度超限'].sort());
    const offline = rules.filter((r) => r.kind === 'offline');
    expect(offline).toHaveLength(5);
    expect(offline.every((r) => r.actions.length === 1 && r.actions[0]!.type === 'alarm')).toBe(true);
    expect(rules.every((r) => r.enabled)).toBe(true);
    expect(await seedDemoRules(h.database.db)).toBe(0);
  });
});
