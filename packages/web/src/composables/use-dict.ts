import { computed, shallowRef, type Ref } from 'vue';
import type { DictOption } from '@cityops/contracts';
import { api } from '@/api/client';

/** One request per dictionary type per page load; the server answers from its cache. */
const loaded = new Map<string, Promise<DictOption[]>>();

export function loadDict(type: string): Promise<DictOption[]> {
  let p = loaded.get(type);
  if (!p) {
    p = api.dictOptions({ params: { type } }, { showError: false }).catch(() => {
      loaded.delete(type);
      return [];
    });
    loaded.set(type, p);
  }
  return p;
}

/** Forget cached labels (after editing a dictionary in 字典管理). */
export function resetDict(type?: string) {
  if (type) loaded.delete(type);
  else loaded.clear();
}

/**
 * Options and labels of a dictionary: `const gender = useDict('gender')`, then
 * `gender.options.value` for selects and `gender.label(row.gender)` in tables.
 */
export function useDict(type: string) {
  const options: Ref<DictOption[]> = shallowRef([]);
  void loadDict(type).then((o) => (options.value = o));
  const byValue = computed(() => new Map(options.value.map((o) => [o.value, o])));
  return {
    options,
    label: (value: string | null | undefined) => (value ? (byValue.value.get(value)?.label ?? value) : ''),
    option: (value: string | null | undefined) => (value ? byValue.value.get(value) : undefined),
  };
}
