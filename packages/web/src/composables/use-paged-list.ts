import { reactive, ref, shallowRef } from 'vue';

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export const PAGE_SIZES = [20, 50, 100] as const;

/**
 * State of a paginated list: `load()` fetches the current page, `search()` goes back to page 1.
 * Pair it with `components/crud/table-pagination.vue` (`:list="list"`).
 * Only the answer to the latest request is kept (a slow old one cannot overwrite a newer one).
 */
export function usePagedList<T>(fetchPage: (page: number, pageSize: number) => Promise<Page<T>>) {
  const items = shallowRef<T[]>([]);
  const total = ref(0);
  const page = ref(1);
  const pageSize = ref<number>(PAGE_SIZES[0]);
  const loading = ref(false);
  const loaded = ref(false);
  /** The last load failed (the table then says so instead of "no data"). */
  const failed = ref(false);
  let sequence = 0;

  async function load(): Promise<void> {
    const mine = ++sequence;
    loading.value = true;
    try {
      const result = await fetchPage(page.value, pageSize.value);
      if (mine !== sequence) return;
      failed.value = false;
      items.value = result.items;
      total.value = result.total;
      // Past the end (e.g. rows vanished): go to the last page that has rows.
      const lastPage = Math.max(1, Math.ceil(result.total / pageSize.value));
      if (result.items.length === 0 && page.value > lastPage) {
        page.value = lastPage;
        await load();
      }
    } catch {
      if (mine === sequence) {
        failed.value = true;
        items.value = [];
        total.value = 0;
      }
      // The global handler has shown the message.
    } finally {
      if (mine === sequence) {
        loading.value = false;
        loaded.value = true;
      }
    }
  }

  function search(): Promise<void> {
    page.value = 1;
    return load();
  }

  /** Running number of row `i` of the current page, for the 序号 column. */
  const rowNumber = (i: number) => (page.value - 1) * pageSize.value + i + 1;

  /** What the empty table says: loading, failed, or `none` (e.g. '暂无操作日志'). */
  const emptyText = (none: string) => (!loaded.value ? '加载中…' : failed.value ? '数据加载失败，请稍后重试' : none);

  return { items, total, page, pageSize, loading, loaded, failed, load, search, rowNumber, emptyText };
}

/** What a paged list is, for the pieces that drive one (e.g. `table-pagination`). */
export type PagedList = Pick<ReturnType<typeof usePagedList>, 'page' | 'pageSize' | 'total' | 'loading' | 'load'>;

/**
 * A list driven by a search form: `search` is the form model, `reset()` restores its defaults and
 * goes back to page 1.
 */
export function useSearchList<S extends object, T>(
  createSearch: () => S,
  fetchPage: (search: S, page: number, pageSize: number) => Promise<Page<T>>,
) {
  const search = reactive(createSearch()) as S;
  const list = usePagedList<T>((page, pageSize) => fetchPage(search, page, pageSize));
  function reset() {
    Object.assign(search, createSearch());
    return list.search();
  }
  return { search, list, reset };
}
