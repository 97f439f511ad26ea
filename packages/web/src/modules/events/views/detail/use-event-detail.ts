import { computed, onMounted, ref, shallowRef } from 'vue';
import { useRouter } from 'vue-router';
import type { EventDetail, TreeNode } from '@cityops/contracts';
import { api, isApiError } from '@/api/client';
import { useAuthStore } from '@/stores/auth';
import { useTodoBadgeStore } from '@/stores/todo-badge';
import { OPEN_NODE_STATUSES } from '../../components/event-labels';

/**
 * The event detail answer for a page: first load when mounted (spinner), reloads after an action
 * (the page stays as it is until the new answer arrives), and the states a user must be told about —
 * not found (or not theirs to see) and failed.
 */
export function useEventDetail(id: () => string) {
  const auth = useAuthStore();
  const badge = useTodoBadgeStore();
  const detail = shallowRef<EventDetail | null>(null);
  const loading = ref(false);
  const problem = ref<{ kind: 'notFound' | 'failed'; message: string } | null>(null);
  let sequence = 0;

  async function load(): Promise<void> {
    const mine = ++sequence;
    loading.value = true;
    try {
      const d = await api.eventDetail({ params: { id: id() } }, { showError: false });
      if (mine !== sequence) return;
      detail.value = d;
      problem.value = null;
    } catch (e) {
      if (mine !== sequence) return;
      const status = isApiError(e) ? e.status : 0;
      if (status === 404 || status === 400) problem.value = { kind: 'notFound', message: '事件不存在或您无权查看' };
      else if (!detail.value) problem.value = { kind: 'failed', message: isApiError(e) ? e.message : '事件详情加载失败，请稍后重试' };
    } finally {
      if (mine === sequence) loading.value = false;
    }
  }

  /**
   * The to-dos of the user's organisation on this event that are still open, the most urgent kind
   * first: to handle / to close before those only waiting for organisations it dispatched to.
   */
  const myOpenNodes = computed<TreeNode[]>(() => {
    const d = detail.value;
    const orgId = auth.user?.orgId;
    if (!d || !orgId) return [];
    const rank = (n: TreeNode) => (n.status === 'waiting' ? 1 : 0);
    return d.tree.filter((n) => n.orgId === orgId && OPEN_NODE_STATUSES.includes(n.status)).sort((a, b) => rank(a) - rank(b));
  });

  /** After an action: the event and the menu's to-do counts have changed. */
  function afterAction() {
    void load();
    void badge.reload();
  }

  onMounted(load);

  return { detail, loading, problem, load, afterAction, myOpenNodes };
}

/** Back where the user came from, or to 我的待办 when the page was opened directly. */
export function useGoBack() {
  const router = useRouter();
  return () => {
    if (window.history.state?.back) router.back();
    else void router.push('/events/todo');
  };
}
