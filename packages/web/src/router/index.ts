import { createRouter, createWebHistory } from 'vue-router';
import type { RouteLocationNormalized, RouteLocationRaw, RouteRecordRaw } from 'vue-router';
import { ElMessage } from 'element-plus';
import { isApiError } from '@/api/client';
import { useAuthStore } from '@/stores/auth';
import { setPageTitle } from '@/utils/title';
import { HOME_PATH } from '@/config';
import { systemRoutes } from '@/modules/system/routes';
import { eventRoutes } from '@/modules/events/routes';
import { messagingRoutes } from '@/modules/messaging/routes';
import { iotRoutes } from '@/modules/iot/routes';
import MainLayout from '@/layout/index.vue';

/** Module routes, imported explicitly (one line per module). */
const moduleRoutes: RouteRecordRaw[] = [...eventRoutes, ...iotRoutes, ...messagingRoutes, ...systemRoutes];

export { HOME_PATH };

const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/login.vue'),
    meta: { title: '登录', public: true },
  },
  {
    path: '/change-password',
    name: 'change-password',
    component: () => import('@/views/change-password.vue'),
    meta: { title: '修改密码' },
  },
  {
    path: '/',
    name: 'layout',
    component: MainLayout,
    redirect: HOME_PATH,
    children: [
      {
        path: HOME_PATH,
        name: 'home',
        component: () => import('@/views/home.vue'),
        meta: { title: '工作台', icon: 'House' },
      },
      ...moduleRoutes,
    ],
  },
  {
    path: '/403',
    name: '403',
    component: () => import('@/views/error/403.vue'),
    meta: { title: '无权访问', public: true },
  },
  {
    path: '/:pathMatch(.*)*',
    name: '404',
    component: () => import('@/views/error/404.vue'),
    meta: { title: '页面不存在', public: true },
  },
];

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
  scrollBehavior: () => ({ top: 0 }),
});

/** Only same-site paths are accepted as a redirect target after login. */
export function safeRedirect(value: unknown): string {
  const target = Array.isArray(value) ? value[0] : value;
  if (typeof target !== 'string' || !target.startsWith('/') || target.startsWith('//')) return HOME_PATH;
  if (target.startsWith('/login') || target.startsWith('/change-password')) return HOME_PATH;
  return target;
}

const toLogin = (to: RouteLocationNormalized): RouteLocationRaw => ({
  name: 'login',
  query: to.fullPath && to.fullPath !== '/' ? { redirect: to.fullPath } : {},
});

/** After the forced password change, the user continues to where they were going. */
const toChangePassword = (to: RouteLocationNormalized): RouteLocationRaw => ({
  name: 'change-password',
  query: to.fullPath && to.fullPath !== '/' && to.path !== HOME_PATH ? { redirect: to.fullPath } : {},
});

router.beforeEach(async (to) => {
  const auth = useAuthStore();

  if (to.name === 'login') {
    // Already logged in (user known in this tab): no need to log in again.
    return auth.isLoggedIn && !auth.mustChangePassword ? safeRedirect(to.query.redirect) : true;
  }
  if (to.meta.public) return true;

  if (!auth.isLoggedIn) {
    try {
      await auth.load();
    } catch (e) {
      if (isApiError(e) && e.code === 'PASSWORD_CHANGE_REQUIRED') {
        // Logged in, but the server refuses everything until the password is changed.
        auth.requirePasswordChange();
        return to.name === 'change-password' ? true : toChangePassword(to);
      }
      if (isApiError(e) && e.status !== 401 && e.code !== 'ABORTED') {
        ElMessage.error(e.message);
      }
      return toLogin(to);
    }
  }

  if (auth.mustChangePassword && to.name !== 'change-password') {
    return toChangePassword(to);
  }
  const permission = to.meta.permission;
  if (permission && !auth.hasPermission(permission)) {
    return { name: '403', query: { from: to.fullPath } };
  }
  return true;
});

router.afterEach((to) => {
  setPageTitle(to.meta.title);
});

export default router;
