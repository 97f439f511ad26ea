import { computed, shallowRef } from 'vue';
import type { EventType } from '@cityops/contracts';
import { api } from '@/api/client';

/** The whole catalogue (disabled types too: old events keep their type), one request per page load. */
let loading: Promise<EventType[]> | null = null;

export function loadEventTypes(): Promise<EventType[]> {
  loading ??= api.eventTypes({ query: { all: 'true' } }, { showError: false }).catch(() => {
    loading = null;
    return [];
  });
  return loading;
}

/** Forget the catalogue (after editing a type in 事件配置), so that the next screen reads it again. */
export function resetEventTypes() {
  loading = null;
}

export interface EventTypeOption {
  [key: string]: unknown;
  value: string;
  label: string;
  children?: EventTypeOption[];
}

/**
 * The catalogue as cascader options, 大类 → 小类 → 子类. `filing`: only the types an event may be
 * filed under can be picked — the type and every type above it enabled, and no children at all (the
 * server refuses a type with children, even disabled ones); branches left with nothing to pick are
 * dropped. Otherwise every type, and any level may be picked (a filter matches the types below it).
 */
function typeOptions(types: readonly EventType[], filing: boolean): EventTypeOption[] {
  const children = new Map<string | null, EventType[]>();
  for (const t of types) children.set(t.parentCode, [...(children.get(t.parentCode) ?? []), t]);
  const build = (parent: string | null): EventTypeOption[] =>
    (children.get(parent) ?? [])
      .filter((t) => !filing || t.enabled)
      .sort((a, b) => a.sort - b.sort)
      .flatMap((t) => {
        if (!children.has(t.code)) return [{ value: t.code, label: t.name }];
        const below = build(t.code);
        if (below.length) return [{ value: t.code, label: t.name, children: below }];
        return filing ? [] : [{ value: t.code, label: t.name }];
      });
  return build(null);
}

/** The event catalogue for screens: `byCode` (names, custom form fields) and the cascader options. */
export function useEventTypes() {
  const types = shallowRef<EventType[]>([]);
  void loadEventTypes().then((t) => (types.value = t));
  const byCode = computed(() => new Map(types.value.map((t) => [t.code, t])));
  const tree = computed(() => typeOptions(types.value, false));
  const filingTree = computed(() => typeOptions(types.value, true));
  return { types, byCode, tree, filingTree };
}
