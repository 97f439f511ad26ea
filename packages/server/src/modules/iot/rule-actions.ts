import type { RuleAction, RuleKind } from '@cityops/contracts';
import type { Db, DbOrTx } from '../../core/db.js';
import { alarmRepository } from './alarm.repository.js';
import type { AlarmEventBridge } from './alarm-event.js';
import type { DeviceRef, ProductRef, TraceRow } from './ports.js';
import { ruleRepository, type RuleRow } from './rule.repository.js';

/** The messaging service as the rules use it (modules/messaging message.service.ts). */
export interface AlarmMessenger {
  notifyOrgs(tx: DbOrTx, orgIds: string[], message: { kind: string; title: string; content: string; eventId?: string | null }): Promise<void>;
}

/** Message kind of alarm notices (contracts MESSAGE_KIND_LABELS). */
export const ALARM_MESSAGE_KIND = 'iot_alarm';
const HTTP_TIMEOUT_MS = 5000;

export interface Firing {
  rule: RuleRow;
  device: DeviceRef;
  product: ProductRef | undefined;
  /** What the evaluation found (condition, value, times). */
  detail: Record<string, unknown>;
}

export interface ActionOutcome {
  type: RuleAction['type'];
  ok: boolean;
  /** Not run on purpose (e.g. no event for a device in test mode). */
  skipped?: boolean;
  message: string;
  at: string;
}

export interface RuleActionDeps {
  db: Db;
  events?: AlarmEventBridge;
  messages?: AlarmMessenger;
  /** Publishes on the platform's own broker (embedded or external); without it only `mqtt` actions with a url work. */
  publish?: (topic: string, payload: string) => Promise<void>;
  trace?: (row: TraceRow) => void;
  fetch?: typeof fetch;
  log?: { error(obj: unknown, msg: string): void };
}

/**
 * What happens when a rule fires: the alarm row (one open per rule and device, whichever node
 * sees the episode first), then the rule's actions — an event in the hub, messages to the
 * organisations, HTTP and MQTT forwarding — each outcome recorded on the alarm's detail.
 */
export function ruleActions(d: RuleActionDeps) {
  const fetcher = d.fetch ?? fetch;
  const mqttClients = new Map<string, Promise<import('mqtt').MqttClient>>();
  const background = new Set<Promise<unknown>>();

  const now = () => new Date().toISOString();
  const outcome = (type: RuleAction['type'], ok: boolean, message: string, skipped = false): ActionOutcome =>
    ({ type, ok, message, at: now(), ...(skipped ? { skipped } : {}) });

  function payloadOf(f: Firing, alarm: { id: number; title: string; raisedAt: Date }, eventNo: string | null) {
    return JSON.stringify({
      alarmId: String(alarm.id), title: alarm.title, level: f.rule.level, status: 'active', raisedAt: alarm.raisedAt.toISOString(),
      rule: { id: f.rule.id, name: f.rule.name, kind: f.rule.kind },
      device: {
        id: f.device.id, name: f.device.name, productKey: f.device.productKey, deviceKey: f.device.deviceKey,
        regionCode: f.device.regionCode, address: f.device.address, lng: f.device.lng, lat: f.device.lat,
      },
      detail: f.detail,
      eventNo,
    });
  }

  async function httpPost(f: Firing, a: Extract<RuleAction, { type: 'http' }>, body: string): Promise<ActionOutcome> {
    const started = Date.now();
    let problem = '';
    for (let attempt = 1; attempt <= 2; attempt++) {
      try {
        const r = await fetcher(a.url, {
          method: 'POST', headers: { 'content-type': 'application/json', ...a.headers }, body, signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
        });
        await r.arrayBuffer().catch(() => undefined);
        if (r.ok) {
          d.trace?.({ ...traceOf(f, a.url, body), result: 'ok', latencyMs: Date.now() - started });
          return outcome('http', true, `HTTP ${r.status}${attempt > 1 ? '（重试后成功）' : ''}`);
        }
        problem = `HTTP ${r.status}`;
      } catch (err) {
        problem = err instanceof Error && err.name === 'TimeoutError' ? `超时（${HTTP_TIMEOUT_MS / 1000} 秒）` : `无法连接（${err instanceof Error ? err.message : String(err)}）`;
      }
    }
    d.trace?.({ ...traceOf(f, a.url, body), result: problem.startsWith('超时') ? 'timeout' : 'error', reason: `HTTP 转发失败：${problem}`, latencyMs: Date.now() - started });
    return outcome('http', false, `转发失败：${problem}（已重试 1 次）`);
  }

  const traceOf = (f: Firing, topic: string, payload: string) => ({
    deviceId: f.device.id, productKey: f.device.productKey, deviceKey: f.device.deviceKey,
    direction: 'down' as const, channel: 'broker' as const, kind: 'other' as const, topic: topic.slice(0, 500), payload,
  });

  function clientFor(url: string) {
    let c = mqttClients.get(url);
    if (!c) {
      c = import('mqtt').then(({ default: mqtt }) => mqtt.connectAsync(url, { connectTimeout: HTTP_TIMEOUT_MS, reconnectPeriod: 5000, clientId: `cityops-rules-${Math.random().toString(36).slice(2, 10)}` }));
      // A failed connection is forgotten so that the next alarm tries again.
      c.catch(() => mqttClients.delete(url));
      mqttClients.set(url, c);
    }
    return c;
  }

  async function mqttPublish(f: Firing, a: Extract<RuleAction, { type: 'mqtt' }>, body: string): Promise<ActionOutcome> {
    const topic = a.topic.replaceAll('{pk}', f.device.productKey).replaceAll('{dk}', f.device.deviceKey).replaceAll('{rule}', f.rule.id);
    const started = Date.now();
    try {
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`超时（${HTTP_TIMEOUT_MS / 1000} 秒）`)), HTTP_TIMEOUT_MS).unref());
      if (a.url) {
        await Promise.race([clientFor(a.url).then((c) => c.publishAsync(topic, body, { qos: 1 })), timeout]);
      } else if (d.publish) {
        await Promise.race([d.publish(topic, body), timeout]);
      } else {
        return outcome('mqtt', false, '未填写 MQTT 服务地址');
      }
      d.trace?.({ ...traceOf(f, topic, body), result: 'ok', latencyMs: Date.now() - started });
      return outcome('mqtt', true, `已发布到 ${topic}`);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      d.trace?.({ ...traceOf(f, topic, body), result: 'error', reason: `MQTT 转发失败：${message}`, latencyMs: Date.now() - started });
      return outcome('mqtt', false, `转发失败：${message}`);
    }
  }

  /** Runs the rule's actions for a new alarm and records their outcomes on it. */
  async function act(f: Firing, alarm: { id: number; title: string; raisedAt: Date }) {
    const outcomes: ActionOutcome[] = [];
    const actions = f.rule.actions;
    let eventId: string | null = null;
    let eventNo: string | null = null;

    const ev = actions.find((a): a is Extract<RuleAction, { type: 'event' }> => a.type === 'event');
    if (ev && f.device.testMode) outcomes.push(outcome('event', false, '测试设备：不生成事件', true));
    else if (ev && !d.events) outcomes.push(outcome('event', false, '未接入事件枢纽，未生成事件'));
    else if (ev && d.events) {
      const r = await d.events.raise({
        device: f.device, product: f.product, rule: { name: f.rule.name, kind: f.rule.kind as RuleKind }, action: ev, alarmId: alarm.id,
        condition: String(f.detail.condition ?? ''), value: f.detail.value, property: f.detail.property as string | undefined,
        at: Date.parse(String(f.detail.reportedAt ?? '')) || Date.now(),
      });
      if (r.ok) {
        eventId = r.event.id;
        eventNo = r.event.no;
        outcomes.push(outcome('event', true, `已生成事件 ${r.event.no ?? ''}${r.note ? `（${r.note}）` : ''}`.trim()));
      } else {
        outcomes.push(outcome('event', false, r.message));
      }
    }

    const notify = actions.find((a): a is Extract<RuleAction, { type: 'notify' }> => a.type === 'notify');
    const notifyOrgs = notify ? (notify.orgIds.length ? notify.orgIds : f.device.orgId ? [f.device.orgId] : []) : [];
    if (notify && !notifyOrgs.length) outcomes.push(outcome('notify', false, '设备未指定责任单位，未通知'));
    else if (notify && !d.messages) outcomes.push(outcome('notify', false, '未接入站内消息，未通知'));
    else if (notify) outcomes.push(outcome('notify', true, `已通知 ${notifyOrgs.length} 个单位`));

    // The link to the event and the messages commit together: a message never points at a missing link.
    await d.db.transaction(async (tx) => {
      await alarmRepository(tx).patchDetail(alarm.id, { actions: outcomes }, eventId ? { eventId, eventNo } : {});
      if (notify && notifyOrgs.length && d.messages) {
        const value = f.detail.value !== undefined ? `，当前值 ${String(f.detail.value)}` : '';
        await d.messages.notifyOrgs(tx, notifyOrgs, {
          kind: ALARM_MESSAGE_KIND, title: `物联告警：${alarm.title}`, eventId,
          content: `${String(f.detail.condition ?? '')}${value}${eventNo ? `，已生成事件 ${eventNo}` : ''}`,
        });
      }
    });

    const forwards = actions.filter((a) => a.type === 'http' || a.type === 'mqtt');
    if (!forwards.length) return;
    const body = payloadOf(f, alarm, eventNo);
    // Forwarding may take seconds (timeout, retry): it runs on its own, not in the way of the next report.
    const forwarding = Promise.all(forwards.map((a) => (a.type === 'http' ? httpPost(f, a, body) : mqttPublish(f, a as Extract<RuleAction, { type: 'mqtt' }>, body))))
      .then((sent) => alarmRepository(d.db).patchDetail(alarm.id, { actions: [...outcomes, ...sent] }))
      .catch((err) => d.log?.error({ err, alarmId: alarm.id }, 'iot alarm forwarding failed'))
      .finally(() => background.delete(forwarding));
    background.add(forwarding);
  }

  return {
    /**
     * Starts an alarm unless one of the rule and device is open (an event rule's repeat is counted
     * on it instead). Returns the new alarm's id, or undefined.
     */
    async fire(f: Firing): Promise<number | undefined> {
      const raisedAt = new Date();
      const title = `${f.device.name}${f.rule.name}`;
      const alarm = await d.db.transaction(async (tx) => {
        const alarms = alarmRepository(tx);
        await alarms.lockPair(f.rule.id, f.device.id);
        const open = await alarms.openOf(f.rule.id, f.device.id);
        if (open) {
          if (f.rule.kind === 'event') await alarms.countRepeat(open.id, raisedAt);
          return undefined;
        }
        const row = await alarms.insert({
          ruleId: f.rule.id, ruleName: f.rule.name, deviceId: f.device.id, level: f.rule.level, title, status: 'active', raisedAt,
          detail: { ...f.detail, ...(f.device.testMode ? { testMode: true } : {}) },
        });
        await ruleRepository(tx).touchFired(f.rule.id, raisedAt);
        return row;
      });
      if (!alarm) return undefined;
      await act(f, alarm).catch((err) => d.log?.error({ err, alarmId: alarm.id }, 'iot rule actions failed'));
      return alarm.id;
    },

    /** Ends the open alarm of a rule and device: the condition is false again. */
    async clear(ruleId: string, deviceId: string, detail: Record<string, unknown>) {
      return alarmRepository(d.db).clearOpen([ruleId], deviceId, { clearedBy: 'rule', ...detail });
    },

    /** Waits for forwarding under way (tests). */
    async idle() {
      while (background.size) await Promise.allSettled([...background]);
    },

    async close() {
      while (background.size) await Promise.allSettled([...background]);
      const clients = [...mqttClients.values()];
      mqttClients.clear();
      await Promise.all(clients.map((c) => c.then((x) => x.endAsync()).catch(() => undefined)));
    },
  };
}
export type RuleActions = ReturnType<typeof ruleActions>;
