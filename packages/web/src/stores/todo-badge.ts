import { computed, ref, watch } from 'vue';
import { defineStore } from 'pinia';
import type { MenuNode, TodoSummary } from '@cityops/contracts';
import { api, inBackground } from '@/api/client';
import { normalizeRoute } from '@/utils/menu';
import { useAuthStore } from './auth';
import { LIVE_MESSAGE_EVENT } from './messages';

/** Pages of the side menu that carry a count (待办数角标), and which count. */
const BADGE_OF: Record<string, (s: TodoSummary) => number> = {
  '/events/todo': (s) => s.handle + s.closing + s.cc,
  '/events/audit': (s) => s.audits,
};

/**
 * The to-do counts of the user's organisation (GET /api/events/todos/summary): the menu badge, the
 * tabs of 我的待办. Loaded by `start()` (a menu entry with a badge, a screen showing the counts), again
 * when a message arrives over the live channel and after every action (`reload()`).
 */
export const useTodoBadgeStore = defineStore('todo-badge', () => {
  const auth = useAuthStore();
  const summary = ref<TodoSummary | null>(null);
  let started = false;
  let running: Promise<void> | null = null;
  let again = false;

  /** Fetches the counts; calls during a fetch are folded into one more fetch after it. */
  function reload(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = api
      .eventTodoSummary(undefined, { showError: false })
      .then((s) => {
        summary.value = s;
      })
      .catch(() => {
        // The badge is a hint; the lists show their own errors.
      })
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          void reload();
        }
      });
    return running;
  }

  // A live message is not the user's doing: the reload must not keep an unattended session alive.
  const onMessage = () => void inBackground(reload);

  /** Loads the counts (or joins a load under way) and, from the first call on, keeps them fresh. */
  function start(): Promise<void> {
    if (!started) {
      started = true;
      window.addEventListener(LIVE_MESSAGE_EVENT, onMessage);
    }
    return running ?? reload();
  }

  // Another user logged in: their organisation's counts, not the previous one's.
  watch(
    () => auth.user?.id,
    (id, before) => {
      if (id === before) return;
      summary.value = null;
      if (started && id) void reload();
    },
  );

  const hasBadge = (node: MenuNode): boolean => {
    const route = normalizeRoute(node.route);
    return route ? route in BADGE_OF : (node.children ?? []).some(hasBadge);
  };

  /** The count shown on a menu entry: its own, or for a folder the sum of the pages inside. */
  function countOf(node: MenuNode): number {
    const s = summary.value;
    if (!s) return 0;
    const route = normalizeRoute(node.route);
    if (route) return BADGE_OF[route]?.(s) ?? 0;
    return (node.children ?? []).reduce((sum, child) => sum + countOf(child), 0);
  }

  const total = computed(() => summary.value?.total ?? 0);

  return { summary, total, reload, start, hasBadge, countOf };
});
