import { ref } from 'vue';
import { PLATFORM_LOG_EXPORT_LIMIT } from '@cityops/contracts';
import { useSearchList, type Page } from '@/composables/use-paged-list';
import { useListExport } from '../../components/ops-export';

/**
 * A tab of 日志管理: the search, the page (and whether the server capped its count at 100,000), and
 * 导出 of what the search selects. `filter` turns the search into the query both endpoints take.
 */
export function useLogList<S extends object, Q extends object, T>(o: {
  noun: string;
  createSearch: () => S;
  filter: (s: S) => Q;
  fetch: (query: Q & { page: number; pageSize: number }) => Promise<Page<T> & { capped: boolean }>;
  download: (query: Q) => Promise<unknown>;
}) {
  const capped = ref(false);
  const { search, list, reset } = useSearchList<S, T>(o.createSearch, async (s, page, pageSize) => {
    const r = await o.fetch({ page, pageSize, ...o.filter(s) });
    capped.value = r.capped;
    return r;
  });
  const exporter = useListExport({
    noun: o.noun,
    limit: PLATFORM_LOG_EXPORT_LIMIT,
    count: async () => (await o.fetch({ page: 1, pageSize: 1, ...o.filter(search) })).total,
    download: () => o.download(o.filter(search)),
  });
  return { search, list, reset, capped, exporter };
}
