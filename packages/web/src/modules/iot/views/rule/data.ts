import {
  RULE_ACTION_LABELS,
  RULE_KINDS,
  RULE_KIND_LABELS,
  RULE_LEVELS,
  RULE_LEVEL_LABELS,
  RULE_OPERATORS,
  RULE_OPERATOR_LABELS,
  ruleParamsProblems,
  type RuleAction,
  type RuleKind,
  type RuleLevel,
  type RuleParams,
  type ThingModel,
} from '@cityops/contracts';
import type { ApiError } from '@/api/client';
import { api } from '@/api/client';

type TagType = 'success' | 'warning' | 'danger' | 'info' | 'primary';

export const KIND_OPTIONS = RULE_KINDS.map((k) => ({ value: k, label: RULE_KIND_LABELS[k] }));
export const LEVEL_OPTIONS = RULE_LEVELS.map((l) => ({ value: l, label: RULE_LEVEL_LABELS[l] }));
export const OPERATOR_OPTIONS = RULE_OPERATORS.map((o) => ({ value: o, label: `${RULE_OPERATOR_LABELS[o]}（${o}）` }));
export const LEVEL_TAGS: Record<RuleLevel, TagType> = { critical: 'danger', warning: 'warning', info: 'info' };
export const KIND_TAGS: Record<RuleKind, TagType> = { threshold: 'primary', duration: 'warning', rate: 'success', offline: 'info', event: 'danger' };
export const KIND_HINTS: Record<RuleKind, string> = {
  threshold: '属性上报值与阈值比较，满足即告警；值恢复后自动解除',
  duration: '属性满足条件并持续指定秒数后告警',
  rate: '属性每分钟的变化量超过限值时告警',
  offline: '设备超过指定分钟未上报任何消息时告警；重新上报后自动解除',
  event: '设备上报指定事件（可限定事件级别）时告警',
};

/** Properties a threshold/duration/rate rule can watch: numbers, booleans and enums. */
export const NUMERIC_TYPES = ['int', 'float', 'double', 'bool', 'enum'];

/** Only the parameters the kind uses (the form keeps every field while the kind changes). */
export function paramsOf(kind: RuleKind, p: RuleParams): RuleParams {
  const pick = <K extends keyof RuleParams>(...keys: K[]) => Object.fromEntries(keys.filter((k) => p[k] !== undefined && p[k] !== null && (p[k] as unknown) !== '').map((k) => [k, p[k]])) as RuleParams;
  switch (kind) {
    case 'threshold': return pick('property', 'operator', 'value');
    case 'duration': return pick('property', 'operator', 'value', 'seconds');
    case 'rate': return pick('property', 'perMinute');
    case 'offline': return pick('minutes');
    case 'event': return pick('event', 'eventLevel');
  }
}

/** Sensible starting parameters of a kind (a new model or rule without one). */
export function defaultParams(kind: RuleKind): RuleParams {
  switch (kind) {
    case 'threshold': return { operator: '>=' };
    case 'duration': return { operator: '>', seconds: 300 };
    case 'rate': return { perMinute: 10 };
    case 'offline': return { minutes: 30 };
    case 'event': return {};
  }
}

// ----- actions -----

/** The form's view of the actions: one entry per type, on or off, with its settings. */
export interface ActionsForm {
  event: boolean;
  eventTypeCode: string;
  eventOrgId: string;
  eventTitle: string;
  notify: boolean;
  notifyOrgIds: string[];
  http: boolean;
  httpUrl: string;
  /** One `Name: value` per line. */
  httpHeaders: string;
  mqtt: boolean;
  mqttUrl: string;
  mqttTopic: string;
}

export const createActionsForm = (): ActionsForm => ({
  event: false, eventTypeCode: '', eventOrgId: '', eventTitle: '',
  notify: false, notifyOrgIds: [],
  http: false, httpUrl: '', httpHeaders: '',
  mqtt: false, mqttUrl: '', mqttTopic: '',
});

export function actionsFormOf(actions: RuleAction[]): ActionsForm {
  const f = createActionsForm();
  for (const a of actions) {
    if (a.type === 'event') Object.assign(f, { event: true, eventTypeCode: a.typeCode ?? '', eventOrgId: a.orgId ?? '', eventTitle: a.title ?? '' });
    if (a.type === 'notify') Object.assign(f, { notify: true, notifyOrgIds: [...(a.orgIds ?? [])] });
    if (a.type === 'http') Object.assign(f, { http: true, httpUrl: a.url, httpHeaders: Object.entries(a.headers ?? {}).map(([k, v]) => `${k}: ${v}`).join('\n') });
    if (a.type === 'mqtt') Object.assign(f, { mqtt: true, mqttUrl: a.url ?? '', mqttTopic: a.topic });
  }
  return f;
}

export function parseHeaders(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

/** The actions as the API takes them; `alarm` is always first (every firing is an alarm). */
export function actionsOf(f: ActionsForm): RuleAction[] {
  const out: RuleAction[] = [{ type: 'alarm' }];
  if (f.event) out.push({ type: 'event', typeCode: f.eventTypeCode || undefined, orgId: f.eventOrgId || undefined, title: f.eventTitle.trim() || undefined });
  if (f.notify) out.push({ type: 'notify', orgIds: f.notifyOrgIds });
  if (f.http) out.push({ type: 'http', url: f.httpUrl.trim(), headers: parseHeaders(f.httpHeaders) });
  if (f.mqtt) out.push({ type: 'mqtt', url: f.mqttUrl.trim() || undefined, topic: f.mqttTopic.trim() });
  return out;
}

/** What is wrong with the actions, by form field (empty when fine). */
export function actionProblems(f: ActionsForm): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.http && !/^https?:\/\/\S+$/i.test(f.httpUrl.trim())) out.httpUrl = '请填写完整的 http(s) 地址';
  if (f.http && f.httpHeaders.split('\n').some((l) => l.trim() && l.indexOf(':') <= 0)) out.httpHeaders = '每行一个请求头，格式为「名称: 值」';
  if (f.mqtt && !f.mqttTopic.trim()) out.mqttTopic = '请填写转发主题';
  if (f.mqtt && f.mqttUrl.trim() && !/^mqtts?:\/\/\S+$/i.test(f.mqttUrl.trim())) out.mqttUrl = '请填写 mqtt:// 或 mqtts:// 开头的地址';
  return out;
}

/** What the form can tell is wrong before asking the server, put on the fields of `into`; returns whether anything is. */
export function localProblems(kind: RuleKind, params: RuleParams, actions: ActionsForm, into: Record<string, string>): boolean {
  for (const p of ruleParamsProblems(kind, params)) into[p.path] = p.message;
  Object.assign(into, actionProblems(actions));
  return Object.keys(into).length > 0;
}

/** 「产生告警、生成事件、HTTP 转发」. */
export const actionNames = (actions: RuleAction[]) => actions.map((a) => RULE_ACTION_LABELS[a.type]);

/** The actions beyond the alarm every rule raises (lists show those; none = 仅告警). */
export const extraActionNames = (actions: RuleAction[]) => actionNames(actions.filter((a) => a.type !== 'alarm'));

// ----- the product's thing model -----

const models = new Map<string, Promise<ThingModel | null>>();

/** A product's thing model for the pickers, once per page load. */
export function loadThingModel(productId: string): Promise<ThingModel | null> {
  let m = models.get(productId);
  if (!m) {
    m = api.iotThingModel({ params: { id: productId } }, { showError: false }).then((d) => d.thingModel, () => {
      models.delete(productId);
      return null;
    });
    models.set(productId, m);
  }
  return m;
}

/**
 * The server's field problems keyed as the form's fields are: `params.property` → `property`,
 * `actions.2.url` → `actions`. Returns whether there were any.
 */
export function fieldErrorsOf(e: ApiError, into: Record<string, string>, fallback: string): boolean {
  for (const i of e.fieldIssues) {
    const parts = i.path.split('.');
    into[(parts[0] === 'params' ? parts[1] : parts[0]) || fallback] = i.message;
  }
  return e.fieldIssues.length > 0;
}
