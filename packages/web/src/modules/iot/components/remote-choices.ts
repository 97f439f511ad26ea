import { ref, shallowRef } from 'vue';

/**
 * The options of a remote el-select (found as the user types): `search(keyword)` asks `fetch`, and
 * only the answer to the latest request is kept. The chosen ids stay among the options, first, under
 * the name they were last seen with (`unseen(id)` until then), so that the select shows them by name
 * whatever was searched since.
 */
export function useRemoteChoices<T extends { id: string }>(fetch: (keyword: string) => Promise<T[]>, chosenIds: () => string[], unseen: (id: string) => T) {
  const options = shallowRef<T[]>([]);
  const seen = new Map<string, T>();
  const loading = ref(false);
  /** A search has answered (the first opening of the dropdown searches once). */
  const searched = ref(false);
  let sequence = 0;

  const withChosen = (rows: T[]) => {
    const have = new Set(rows.map((r) => r.id));
    const chosen = chosenIds().filter((id) => !have.has(id)).map((id) => seen.get(id) ?? unseen(id));
    return [...chosen, ...rows];
  };

  async function search(keyword: string) {
    const mine = ++sequence;
    loading.value = true;
    try {
      const rows = await fetch(keyword.trim());
      if (mine !== sequence) return;
      for (const r of rows) seen.set(r.id, r);
      options.value = withChosen(rows);
      searched.value = true;
    } catch {
      if (mine === sequence) options.value = withChosen([]);
    } finally {
      if (mine === sequence) loading.value = false;
    }
  }

  /** Names ids chosen before any search (an edited record's); they go first. */
  function remember(rows: readonly T[]) {
    for (const r of rows) if (!seen.has(r.id)) seen.set(r.id, r);
    options.value = withChosen(options.value.filter((o) => !rows.some((r) => r.id === o.id)));
  }

  /** Earlier results no longer apply (another filter): the next opening searches again. */
  function forget() {
    searched.value = false;
    options.value = withChosen([]);
  }

  /** The chosen options, for a `pick` event. */
  const chosen = (ids: string[]) => ids.map((id) => seen.get(id)).filter((o): o is T => !!o);

  options.value = withChosen([]);
  return { options, loading, searched, search, remember, forget, chosen };
}

/** One id ('' = none) or, with `multiple`, a list: the ids it holds. */
export const idsOf = (value: string | string[]) => (Array.isArray(value) ? value : value ? [value] : []);

/** What el-select emitted, as the v-model of a single ('' = none) or multiple select. */
export const modelOf = (v: unknown, multiple: boolean): string | string[] => (multiple ? (Array.isArray(v) ? (v as string[]) : []) : typeof v === 'string' ? v : '');
