import type { DataType, ThingModel, ThingProperty } from '@cityops/contracts';

/**
 * Values a simulated device reports, drawn within its thing model: numbers wander slowly in the
 * lower half of their range — and below a given threshold, so that the rule watching it stays
 * quiet — booleans stay 0, enums keep their first value; an alarm report puts one number over its
 * threshold (without one, in the top tenth of its range), or a boolean to 1.
 */
const NUMERIC = new Set(['int', 'float', 'double']);

const range = (t: DataType) => {
  const lo = t.specs?.min ?? 0;
  const hi = t.specs?.max ?? lo + 100;
  return { lo, hi };
};

function round(t: DataType, v: number) {
  if (t.type === 'int') return Math.round(v);
  const step = t.specs?.step;
  if (step) return Number((Math.round(v / step) * step).toFixed(6));
  return Math.round(v * 100) / 100;
}

function clamp(t: DataType, v: number) {
  const { lo, hi } = range(t);
  return Math.min(hi, Math.max(lo, v));
}

/** A value of a data type that is not a wandering number (struct fields, array items, text, …). */
export function sampleValue(t: DataType, random: () => number = Math.random): unknown {
  const s = t.specs ?? {};
  switch (t.type) {
    case 'int':
    case 'float':
    case 'double': {
      const { lo, hi } = range(t);
      return clamp(t, round(t, lo + random() * (hi - lo) * 0.5));
    }
    case 'bool':
      return 0;
    case 'enum':
      return Object.keys(s.enum ?? { 0: '' })[0];
    case 'text':
      return 'ok'.slice(0, s.length ?? 2);
    case 'date':
      return Date.now();
    case 'struct':
      return Object.fromEntries((s.fields ?? []).map((f) => [f.identifier, sampleValue(f.dataType, random)]));
    case 'array': {
      const n = Math.min(s.length ?? 3, 1 + Math.floor(random() * 3));
      return s.item ? Array.from({ length: n }, () => sampleValue(s.item!, random)) : [];
    }
  }
}

/** The property an alarm report pushes over its threshold: the named one, else the first number, else the first boolean. */
export function alarmPropertyOf(model: ThingModel, identifier?: string): ThingProperty | undefined {
  if (identifier) return model.properties.find((p) => p.identifier === identifier);
  return model.properties.find((p) => NUMERIC.has(p.dataType.type)) ?? model.properties.find((p) => p.dataType.type === 'bool');
}

/** Over the threshold, up to the top of the range (without a threshold: the top tenth); a boolean is 1. */
export function alarmValue(p: ThingProperty, threshold?: number, random: () => number = Math.random): unknown {
  if (p.dataType.type === 'bool') return 1;
  const { lo, hi } = range(p.dataType);
  const from = threshold === undefined ? hi - (hi - lo) * 0.1 : Math.min(hi, threshold);
  const v = round(p.dataType, from + (hi - from) * (0.1 + 0.9 * random()));
  return clamp(p.dataType, v > from || from >= hi ? v : from);
}

/**
 * One device's reporting state. `next()` returns a full property report; numbers move by at most
 * 5 % of their range from the previous report, within the lower half and below their ceiling
 * (80 % of the way to a rule's threshold).
 */
export function propertySampler(model: ThingModel, o: { ceilings?: Record<string, number>; random?: () => number } = {}) {
  const random = o.random ?? Math.random;
  const last = new Map<string, number>();
  return {
    next(x: { alarm?: ThingProperty; threshold?: number } = {}): Record<string, unknown> {
      const out: Record<string, unknown> = {};
      for (const p of model.properties) {
        const t = p.dataType;
        if (NUMERIC.has(t.type)) {
          const { lo, hi } = range(t);
          const span = hi - lo;
          const ceiling = o.ceilings?.[p.identifier];
          const top = Math.min(lo + span * 0.5, ceiling === undefined ? Infinity : lo + (ceiling - lo) * 0.8);
          const prev = last.get(p.identifier) ?? lo + (top - lo) * (0.2 + 0.6 * random());
          const v = Math.min(top, Math.max(lo, prev + (random() - 0.5) * span * 0.1));
          last.set(p.identifier, v);
          out[p.identifier] = clamp(t, round(t, v));
        } else out[p.identifier] = sampleValue(t, random);
      }
      if (x.alarm) out[x.alarm.identifier] = alarmValue(x.alarm, x.threshold, random);
      return out;
    },
  };
}
