import { z } from 'zod';

/**
 * 物模型 (thing model) of a product, in the shape of the Alibaba IoT TSL: properties, events and
 * services, each with typed data. The server validates every report against it; the web edits it.
 */
export const IDENTIFIER_RE = /^[A-Za-z_][A-Za-z0-9_]{0,49}$/;
const Identifier = z.string().regex(IDENTIFIER_RE, '标识符须以字母或下划线开头，只含字母、数字、下划线，最长 50 位');
const Name = z.string().trim().min(1, '请填写名称').max(50, '名称最长 50 字');

export const DATA_TYPES = ['int', 'float', 'double', 'bool', 'enum', 'text', 'date', 'struct', 'array'] as const;
export type DataTypeName = (typeof DATA_TYPES)[number];
export const DATA_TYPE_LABELS: Record<DataTypeName, string> = {
  int: '整数 int', float: '单精度 float', double: '双精度 double', bool: '布尔 bool', enum: '枚举 enum',
  text: '字符串 text', date: '时间 date', struct: '结构体 struct', array: '数组 array',
};

export interface DataType {
  type: DataTypeName;
  specs?: {
    min?: number;
    max?: number;
    step?: number;
    unit?: string;
    unitName?: string;
    /** text: maximum length. array: maximum items. */
    length?: number;
    /** enum: value → label; bool: '0'/'1' → label. */
    enum?: Record<string, string>;
    /** array: the items' type. */
    item?: DataType;
    /** struct: its fields. */
    fields?: Param[];
  };
}

export interface Param {
  identifier: string;
  name: string;
  dataType: DataType;
}

export const DataType: z.ZodType<DataType> = z.lazy(() =>
  z.object({
    type: z.enum(DATA_TYPES, { message: '数据类型无效' }),
    specs: z
      .object({
        min: z.number().optional(),
        max: z.number().optional(),
        step: z.number().positive().optional(),
        unit: z.string().max(20).optional(),
        unitName: z.string().max(20).optional(),
        length: z.number().int().positive().max(1_000_000).optional(),
        enum: z.record(z.string(), z.string()).optional(),
        item: DataType.optional(),
        fields: z.array(Param).optional(),
      })
      .optional()
      .refine((s) => s?.min === undefined || s?.max === undefined || s.min <= s.max, '最小值不能大于最大值'),
  }),
);

export const Param: z.ZodType<Param> = z.lazy(() => z.object({ identifier: Identifier, name: Name, dataType: DataType }));

export const ThingProperty = z.object({
  identifier: Identifier,
  name: Name,
  dataType: DataType,
  /** r: reported only; rw: the platform may also set it. */
  accessMode: z.enum(['r', 'rw']).default('r'),
  required: z.boolean().default(false),
  description: z.string().max(200).default(''),
});
export type ThingProperty = z.infer<typeof ThingProperty>;

export const ThingEvent = z.object({
  identifier: Identifier,
  name: Name,
  type: z.enum(['info', 'alert', 'error']).default('info'),
  outputData: z.array(Param).default([]),
  description: z.string().max(200).default(''),
});
export type ThingEvent = z.infer<typeof ThingEvent>;

export const ThingService = z.object({
  identifier: Identifier,
  name: Name,
  callType: z.enum(['sync', 'async']).default('async'),
  inputData: z.array(Param).default([]),
  outputData: z.array(Param).default([]),
  description: z.string().max(200).default(''),
});
export type ThingService = z.infer<typeof ThingService>;

const uniqueIds = (list: { identifier: string }[]) => new Set(list.map((x) => x.identifier)).size === list.length;

export const ThingModel = z.object({
  properties: z.array(ThingProperty).max(500).default([]).refine(uniqueIds, '属性标识符重复'),
  events: z.array(ThingEvent).max(200).default([]).refine(uniqueIds, '事件标识符重复'),
  services: z.array(ThingService).max(200).default([]).refine(uniqueIds, '服务标识符重复'),
});
export type ThingModel = z.infer<typeof ThingModel>;

export const EVENT_LEVEL_LABELS = { info: '信息', alert: '告警', error: '故障' } as const;

export interface ValueProblem {
  path: string;
  message: string;
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);

/** One value against its data type; returns the normalised value or the problems (in Chinese). */
export function checkValue(t: DataType, v: unknown, path: string, problems: ValueProblem[]): unknown {
  const s = t.specs ?? {};
  const fail = (message: string) => void problems.push({ path, message });
  switch (t.type) {
    case 'int':
    case 'float':
    case 'double': {
      const n = num(v);
      if (n === undefined) return fail('应为数值');
      if (t.type === 'int' && !Number.isInteger(n)) return fail('应为整数');
      if (s.min !== undefined && n < s.min) return fail(`不能小于 ${s.min}${s.unit ?? ''}`);
      if (s.max !== undefined && n > s.max) return fail(`不能大于 ${s.max}${s.unit ?? ''}`);
      return n;
    }
    case 'bool': {
      if (v === true || v === 1 || v === '1' || v === 'true') return 1;
      if (v === false || v === 0 || v === '0' || v === 'false') return 0;
      return fail('应为 0 或 1');
    }
    case 'enum': {
      const key = String(v);
      if (!s.enum || !(key in s.enum)) return fail(`应为枚举值之一：${Object.keys(s.enum ?? {}).join('、')}`);
      return num(v) ?? key;
    }
    case 'text': {
      if (typeof v !== 'string') return fail('应为字符串');
      if (s.length !== undefined && v.length > s.length) return fail(`长度不能超过 ${s.length}`);
      return v;
    }
    case 'date': {
      const n = num(v);
      if (n === undefined || n < 0) return fail('应为毫秒时间戳');
      return n;
    }
    case 'array': {
      if (!Array.isArray(v)) return fail('应为数组');
      if (s.length !== undefined && v.length > s.length) return fail(`元素不能超过 ${s.length} 个`);
      return s.item ? v.map((x, i) => checkValue(s.item!, x, `${path}[${i}]`, problems)) : v;
    }
    case 'struct': {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return fail('应为对象');
      return checkParams(s.fields ?? [], v as Record<string, unknown>, problems, `${path}.`, false);
    }
  }
}

/**
 * Values against a list of parameters: unknown keys are refused (a typo must not vanish silently),
 * missing ones are refused when `allRequired`.
 */
export function checkParams(params: Param[], values: Record<string, unknown>, problems: ValueProblem[], prefix = '', allRequired = false) {
  const byId = new Map(params.map((p) => [p.identifier, p]));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(values)) {
    const p = byId.get(key);
    if (!p) {
      problems.push({ path: prefix + key, message: '物模型中没有此标识符' });
      continue;
    }
    out[key] = checkValue(p.dataType, v, prefix + key, problems);
  }
  if (allRequired) for (const p of params) if (!(p.identifier in values)) problems.push({ path: prefix + p.identifier, message: '缺少必填参数' });
  return out;
}

export interface ValueCheck {
  ok: boolean;
  value: Record<string, unknown>;
  problems: ValueProblem[];
}

const result = (value: Record<string, unknown>, problems: ValueProblem[]): ValueCheck => ({ ok: problems.length === 0, value, problems });
const asObject = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/** A property report (属性上报): at least one property; every value within its type. */
export function validateProperties(model: ThingModel, params: unknown, o: { writableOnly?: boolean } = {}): ValueCheck {
  const values = asObject(params);
  if (!values || Object.keys(values).length === 0) return result({}, [{ path: 'params', message: '应为至少含一个属性的对象' }]);
  const props = o.writableOnly ? model.properties.filter((p) => p.accessMode === 'rw') : model.properties;
  const problems: ValueProblem[] = [];
  const value = checkParams(props, values, problems);
  if (o.writableOnly) for (const p of problems) if (p.message === '物模型中没有此标识符' && model.properties.some((x) => x.identifier === p.path)) p.message = '该属性只读，不能设置';
  return result(value, problems);
}

/** An event report (事件上报): a known event and its output data. */
export function validateEvent(model: ThingModel, identifier: string, params: unknown): ValueCheck & { event?: ThingEvent } {
  const event = model.events.find((e) => e.identifier === identifier);
  if (!event) return result({}, [{ path: identifier, message: '物模型中没有此事件' }]);
  const values = asObject(params ?? {});
  if (!values) return { ...result({}, [{ path: 'params', message: '应为对象' }]), event };
  const problems: ValueProblem[] = [];
  return { ...result(checkParams(event.outputData, values, problems), problems), event };
}

/** A service call (服务调用): a known service and its complete input. */
export function validateServiceInput(model: ThingModel, identifier: string, params: unknown): ValueCheck & { service?: ThingService } {
  const service = model.services.find((s) => s.identifier === identifier);
  if (!service) return result({}, [{ path: identifier, message: '物模型中没有此服务' }]);
  const values = asObject(params ?? {});
  if (!values) return { ...result({}, [{ path: 'params', message: '应为对象' }]), service };
  const problems: ValueProblem[] = [];
  return { ...result(checkParams(service.inputData, values, problems, '', true), problems), service };
}

/** The problems as one Chinese line, for traces and replies. */
export const describeProblems = (problems: ValueProblem[]) => problems.map((p) => `${p.path}：${p.message}`).join('；');
