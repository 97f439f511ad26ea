import type { Router } from 'vue-router';
import { ElMessage } from 'element-plus';
import { setApiErrorHandler } from './client';
import { useAuthStore } from '@/stores/auth';

/** Routes that must not be answered by another redirect to themselves. */
const LOGIN = 'login';
const CHANGE_PASSWORD = 'change-password';

let lastMessage = { text: '', at: 0 };

/** Shows an error message, dropping an identical one shown moments ago (parallel requests failing alike). */
export function showErrorOnce(text: string, type: 'error' | 'warning' = 'error'): void {
  const now = Date.now();
  if (lastMessage.text === text && now - lastMessage.at < 2000) return;
  lastMessage = { text, at: now };
  ElMessage({ type, message: text, grouping: true, showClose: true });
}

/**
 * The global reaction to failed API calls:
 * - 401 (session missing or expired) → forget the user and go to /login?redirect=…;
 * - PASSWORD_CHANGE_REQUIRED → go to /change-password;
 * - anything else → ElMessage.error(message), unless the caller asked to show it itself.
 */
export function installApiErrorHandler(router: Router): void {
  setApiErrorHandler((error, { showError, handleAuth }) => {
    // INVALID_CREDENTIALS is a 401 too, but it means a wrong password, not a lost session.
    const sessionLost = error.status === 401 && error.code !== 'INVALID_CREDENTIALS';
    if (handleAuth && sessionLost) {
      const auth = useAuthStore();
      const wasLoggedIn = auth.isLoggedIn;
      auth.clear();
      const current = router.currentRoute.value;
      if (current.name !== LOGIN) {
        if (wasLoggedIn) showErrorOnce(error.message || '登录已失效，请重新登录', 'warning');
        const redirect = current.meta.public ? undefined : current.fullPath;
        void router.replace({ name: LOGIN, query: redirect && redirect !== '/' ? { redirect } : {} });
      }
      return;
    }
    if (handleAuth && error.code === 'PASSWORD_CHANGE_REQUIRED') {
      useAuthStore().requirePasswordChange();
      if (router.currentRoute.value.name !== CHANGE_PASSWORD) {
        showErrorOnce(error.message || '请先修改密码', 'warning');
        void router.replace({ name: CHANGE_PASSWORD });
      }
      return;
    }
    if (showError && error.message) showErrorOnce(error.message);
  });
}
