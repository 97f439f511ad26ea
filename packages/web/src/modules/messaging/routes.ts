import type { RouteRecordRaw } from 'vue-router';

/** The message centre (消息中心), open to every logged-in user. */
export const messagingRoutes: RouteRecordRaw[] = [
  {
    path: '/messages',
    name: 'messages',
    component: () => import('./views/index.vue'),
    meta: { title: '消息中心', icon: 'Message' },
  },
];
