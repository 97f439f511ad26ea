import { ref, shallowRef } from 'vue';

/**
 * Data behind a block of charts: `load()` fetches it again; `failed` says the last try did not work
 * (the charts then say so instead of "no data").
 */
export function useChartData<T>(fetch: () => Promise<T>) {
  const data = shallowRef<T | null>(null);
  const loading = ref(false);
  const failed = ref(false);

  async function load(): Promise<void> {
    loading.value = true;
    try {
      data.value = await fetch();
      failed.value = false;
    } catch {
      failed.value = true;
    } finally {
      loading.value = false;
    }
  }

  return { data, loading, failed, load };
}
