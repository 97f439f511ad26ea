import type { LatestValue } from '@cityops/contracts';

/** A latest value as a card shows it: label of an enum/bool, a rounded number, a date, or JSON. */
export function valueText(v: LatestValue): string {
  const x = v.value;
  if (x === null || x === undefined || x === '') return '—';
  if (v.labels && (v.type === 'bool' || v.type === 'enum')) {
    const key = String(x === true ? 1 : x === false ? 0 : x);
    return v.labels[key] ?? key;
  }
  if (v.type === 'date' && typeof x === 'number') return new Date(x).toLocaleString('zh-CN', { hour12: false });
  if (typeof x === 'number') return String(Number.isInteger(x) ? x : Number(x.toFixed(4)));
  if (typeof x === 'object') return JSON.stringify(x);
  return String(x);
}

/** The raw value beside its label (enum/bool), e.g. '1'; '' when the label is the value itself. */
export function rawText(v: LatestValue): string {
  if (!v.labels || v.value === null || v.value === undefined) return '';
  return String(v.value === true ? 1 : v.value === false ? 0 : v.value);
}

export const isNumeric = (v: Pick<LatestValue, 'type'>) => v.type === 'int' || v.type === 'float' || v.type === 'double';
