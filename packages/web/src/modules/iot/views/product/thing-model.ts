import {
  DATA_TYPE_LABELS,
  EVENT_LEVEL_LABELS,
  IDENTIFIER_RE,
  type DataType,
  type DataTypeName,
  type Param,
  type ThingEvent,
  type ThingModel,
  type ThingProperty,
  type ThingService,
} from '@cityops/contracts';
import type { FormItemRule } from 'element-plus';

/** The three parts of a thing model, as the editor's tabs name them. */
export type ThingKind = 'properties' | 'events' | 'services';
export type ThingItem = ThingProperty | ThingEvent | ThingService;

export const THING_KIND_LABELS: Record<ThingKind, string> = { properties: '属性', events: '事件', services: '服务' };
export const ACCESS_MODE_LABELS = { r: '只读', rw: '读写' } as const;
export const CALL_TYPE_LABELS = { sync: '同步', async: '异步' } as const;
export { EVENT_LEVEL_LABELS };

export const NUMBER_TYPES: readonly DataTypeName[] = ['int', 'float', 'double'];
/** What an array may hold (arrays of arrays are not offered: no device of the tender needs them). */
export const ARRAY_ITEM_TYPES: readonly DataTypeName[] = ['int', 'float', 'double', 'text', 'struct'];

export const isNumberType = (t: DataTypeName) => NUMBER_TYPES.includes(t);

export const emptyModel = (): ThingModel => ({ properties: [], events: [], services: [] });

/** A new data type of `type` with the specs a user expects to start from. */
export function newDataType(type: DataTypeName = 'int'): DataType {
  switch (type) {
    case 'bool':
      return { type, specs: { enum: { '0': '关', '1': '开' } } };
    case 'enum':
      return { type, specs: { enum: {} } };
    case 'text':
      return { type, specs: { length: 255 } };
    case 'struct':
      return { type, specs: { fields: [] } };
    case 'array':
      return { type, specs: { length: 10, item: { type: 'int' } } };
    default:
      return { type, specs: {} };
  }
}

export const newParam = (): Param => ({ identifier: '', name: '', dataType: newDataType('int') });
export const newProperty = (): ThingProperty => ({ identifier: '', name: '', dataType: newDataType('int'), accessMode: 'r', required: false, description: '' });
export const newEvent = (): ThingEvent => ({ identifier: '', name: '', type: 'alert', outputData: [], description: '' });
export const newService = (): ThingService => ({ identifier: '', name: '', callType: 'async', inputData: [], outputData: [], description: '' });

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
export { clone };

/**
 * The data type with only the specs its type uses (the editor keeps all inputs while the user
 * switches types; what is saved must not carry a number range on a text, say).
 */
export function cleanDataType(t: DataType): DataType {
  const s = t.specs ?? {};
  const pick = <K extends keyof NonNullable<DataType['specs']>>(...keys: K[]) => {
    const out: NonNullable<DataType['specs']> = {};
    for (const k of keys) {
      const v = s[k];
      if (v !== undefined && v !== null && v !== '') out[k] = v;
    }
    return out;
  };
  switch (t.type) {
    case 'int':
    case 'float':
    case 'double':
      return { type: t.type, specs: pick('min', 'max', 'step', 'unit', 'unitName') };
    case 'bool':
    case 'enum':
      return { type: t.type, specs: { enum: { ...(s.enum ?? {}) } } };
    case 'text':
      return { type: t.type, specs: pick('length') };
    case 'date':
      return { type: t.type };
    case 'struct':
      return { type: t.type, specs: { fields: (s.fields ?? []).map(cleanParam) } };
    case 'array':
      return { type: t.type, specs: { ...pick('length'), item: cleanDataType(s.item ?? { type: 'int' }) } };
  }
}

export const cleanParam = (p: Param): Param => ({ identifier: p.identifier.trim(), name: p.name.trim(), dataType: cleanDataType(p.dataType) });

/** The problem with a data type as the editor sees it, in Chinese; undefined when it is fine. */
export function dataTypeProblem(t: DataType): string | undefined {
  const s = t.specs ?? {};
  if (isNumberType(t.type)) {
    if (s.min !== undefined && s.max !== undefined && s.min > s.max) return '最小值不能大于最大值';
    if (t.type === 'int' && [s.min, s.max, s.step].some((v) => v !== undefined && !Number.isInteger(v))) return '整数类型的取值范围和步长须为整数';
    if (s.step !== undefined && s.step <= 0) return '步长须大于 0';
  }
  if (t.type === 'enum') {
    const entries = Object.entries(s.enum ?? {});
    if (!entries.length) return '请至少添加一个枚举项';
    if (entries.some(([, label]) => !label.trim())) return '请填写每个枚举值的描述';
  }
  if (t.type === 'bool' && (!s.enum?.['0']?.trim() || !s.enum?.['1']?.trim())) return '请填写 0 和 1 各自的含义';
  if (t.type === 'struct' && !(s.fields ?? []).length) return '结构体至少需要一个字段';
  if (t.type === 'array') {
    if (!s.item) return '请选择数组元素的类型';
    const inner = dataTypeProblem(s.item);
    if (inner) return `数组元素：${inner}`;
  }
  return undefined;
}

export const identifierProblem = (id: string, taken: string[]): string | undefined => {
  const v = id.trim();
  if (!v) return '请填写标识符';
  if (!IDENTIFIER_RE.test(v)) return '标识符须以字母或下划线开头，只含字母、数字、下划线，最长 50 位';
  if (taken.includes(v)) return `标识符「${v}」已被使用`;
  return undefined;
};

/** The form rule of an identifier field: filled in, well formed, not used by a sibling (`taken`). */
export const identifierRule = (taken: () => string[]): FormItemRule => ({
  required: true,
  validator: (_r, v: string, cb) => {
    const p = identifierProblem(v ?? '', taken());
    cb(p ? new Error(p) : undefined);
  },
  trigger: 'blur',
});

const range = (s: NonNullable<DataType['specs']>) => {
  const has = (v: number | undefined) => v !== undefined && v !== null;
  if (has(s.min) && has(s.max)) return `${s.min} ~ ${s.max}`;
  if (has(s.min)) return `≥ ${s.min}`;
  if (has(s.max)) return `≤ ${s.max}`;
  return '不限';
};

/** The unit as shown beside a value: '℃', 'dB/m'… ('' when none). */
export const unitOf = (t: DataType | undefined) => t?.specs?.unit ?? '';

/** 数据定义: what a data type allows, in one line. */
export function describeDataType(t: DataType): string {
  const s = t.specs ?? {};
  switch (t.type) {
    case 'int':
    case 'float':
    case 'double': {
      const parts = [`取值 ${range(s)}`];
      if (s.step !== undefined) parts.push(`步长 ${s.step}`);
      if (s.unit) parts.push(`单位 ${s.unitName ? `${s.unitName}(${s.unit})` : s.unit}`);
      return parts.join('，');
    }
    case 'bool':
    case 'enum': {
      const entries = Object.entries(s.enum ?? {});
      return entries.length ? entries.map(([v, l]) => `${v} - ${l}`).join('；') : '—';
    }
    case 'text':
      return s.length ? `长度 ≤ ${s.length}` : '长度不限';
    case 'date':
      return '毫秒时间戳（UTC）';
    case 'struct': {
      const f = s.fields ?? [];
      return f.length ? `${f.length} 个字段：${f.map((x) => x.name).join('、')}` : '无字段';
    }
    case 'array':
      return `元素 ${s.item ? typeLabel(s.item.type) : '—'}${s.length ? `，最多 ${s.length} 个` : ''}`;
  }
}

/** '整数 int' → '整数' where space is short. */
export const typeLabel = (t: DataTypeName) => DATA_TYPE_LABELS[t].split(' ')[0] ?? t;
export const typeOptions = (types: readonly DataTypeName[]) => types.map((t) => ({ value: t, label: DATA_TYPE_LABELS[t] }));

/** A value for display with its data type: enum/bool labels, units, dates. */
export function formatValue(t: DataType | undefined, v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (!t) return typeof v === 'object' ? JSON.stringify(v) : String(v);
  const s = t.specs ?? {};
  if (t.type === 'bool' || t.type === 'enum') {
    const label = s.enum?.[String(v === true ? 1 : v === false ? 0 : v)];
    return label ? `${label}（${String(v)}）` : String(v);
  }
  if (t.type === 'date' && typeof v === 'number') return new Date(v).toLocaleString('zh-CN', { hour12: false });
  if (isNumberType(t.type) && typeof v === 'number') return `${Number.isInteger(v) ? v : Number(v.toFixed(4))}${s.unit ? ` ${s.unit}` : ''}`;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** The thing model cleaned for saving (trimmed identifiers and names, specs of each type only). */
export function cleanModel(m: ThingModel): ThingModel {
  return {
    properties: m.properties.map((p) => ({ ...p, identifier: p.identifier.trim(), name: p.name.trim(), dataType: cleanDataType(p.dataType), description: p.description.trim() })),
    events: m.events.map((e) => ({ ...e, identifier: e.identifier.trim(), name: e.name.trim(), outputData: e.outputData.map(cleanParam), description: e.description.trim() })),
    services: m.services.map((s) => ({
      ...s,
      identifier: s.identifier.trim(),
      name: s.name.trim(),
      inputData: s.inputData.map(cleanParam),
      outputData: s.outputData.map(cleanParam),
      description: s.description.trim(),
    })),
  };
}

/** Number of properties / events / services, e.g. '3 个属性 · 1 个事件 · 1 个服务'. */
export const modelSummary = (m: ThingModel | null | undefined) =>
  m ? `${m.properties.length} 个属性 · ${m.events.length} 个事件 · ${m.services.length} 个服务` : '—';
