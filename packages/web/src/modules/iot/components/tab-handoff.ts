import { onMounted, ref, shallowRef, watch, type Ref } from 'vue';
import { useRoute } from 'vue-router';

/**
 * The open tab of a tabbed page: the one its link names (?tab=…), else the first. Switching tabs
 * does not change the address, which would mount the page anew (the layout keys pages by their full path).
 */
export function useQueryTab<T extends string>(tabs: readonly [T, ...T[]]): Ref<T> {
  const asked = String(useRoute().query.tab);
  return ref(tabs.find((t) => t === asked) ?? tabs[0]) as Ref<T>;
}

/**
 * A record one tab hands to another (创建升级 on a firmware, 新建实例 on a model): `hand(x)` opens
 * tab `to` and holds x (pass `held` to that tab) until the tab has `taken` it.
 */
export function useHandoff<T>(tab: Ref<string>, to: string) {
  const held = shallowRef<T | null>(null);
  function hand(x: T) {
    tab.value = to;
    held.value = x;
  }
  const taken = () => {
    held.value = null;
  };
  return { held, hand, taken };
}

/**
 * The receiving tab: `start` runs with each record handed over, then `started` says it is taken.
 * Also once mounted: a dialog mounted already open would not announce its opening (its form would stay blank).
 */
export function useHandedOver<T>(given: () => T | null | undefined, start: (x: T) => void, started: () => void) {
  function take(x: T | null | undefined) {
    if (!x) return;
    start(x);
    started();
  }
  watch(given, take);
  onMounted(() => take(given()));
}
