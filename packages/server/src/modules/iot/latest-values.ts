import type { LatestValue, ThingModel } from '@cityops/contracts';
import type { PropertyValue } from './telemetry.table.js';

/**
 * Every property of the thing model with its latest value (null while never reported), in the
 * model's order; values of properties the model no longer has come last, under their identifier.
 */
export function latestValues(model: ThingModel, props: Record<string, PropertyValue> = {}): LatestValue[] {
  const at = (identifier: string) => {
    const p = props[identifier];
    return { value: p?.value ?? null, ts: p ? new Date(p.ts).toISOString() : null };
  };
  const known = model.properties.map((p): LatestValue => {
    const specs = p.dataType.specs ?? {};
    const labels = p.dataType.type === 'enum' || p.dataType.type === 'bool' ? (specs.enum ?? null) : null;
    return { identifier: p.identifier, name: p.name, type: p.dataType.type, unit: specs.unit ?? null, labels, accessMode: p.accessMode, ...at(p.identifier) };
  });
  const ids = new Set(model.properties.map((p) => p.identifier));
  const stale = Object.keys(props)
    .filter((k) => !ids.has(k))
    .sort()
    .map((k): LatestValue => ({ identifier: k, name: k, type: null, unit: null, labels: null, accessMode: null, ...at(k) }));
  return [...known, ...stale];
}
