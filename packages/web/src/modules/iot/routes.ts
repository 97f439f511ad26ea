import type { RouteRecordRaw } from 'vue-router';
import { PERMISSIONS } from '@cityops/contracts';

/** Pages of the 物联感知 module; mounted under the main layout. */
export const iotRoutes: RouteRecordRaw[] = [
  { path: '/iot/overview', name: 'iot-overview', component: () => import('./views/overview/index.vue'), meta: { title: '物联概览', permission: PERMISSIONS.iotDeviceList, icon: 'DataBoard' } },
  { path: '/iot/products', name: 'iot-products', component: () => import('./views/product/list.vue'), meta: { title: '产品管理', permission: PERMISSIONS.iotProductList, icon: 'Box' } },
  { path: '/iot/products/:id', name: 'iot-product-detail', component: () => import('./views/product/detail.vue'), meta: { title: '产品详情', permission: PERMISSIONS.iotProductList, icon: 'Box' } },
  { path: '/iot/devices', name: 'iot-devices', component: () => import('./views/device/list.vue'), meta: { title: '设备管理', permission: PERMISSIONS.iotDeviceList, icon: 'Cpu' } },
  { path: '/iot/devices/:id', name: 'iot-device-detail', component: () => import('./views/device/detail.vue'), meta: { title: '设备详情', permission: PERMISSIONS.iotDeviceList, icon: 'Cpu' } },
  { path: '/iot/map', name: 'iot-map', component: () => import('./views/map/index.vue'), meta: { title: '设备地图', permission: PERMISSIONS.iotDeviceList, icon: 'Location' } },
  { path: '/iot/connections', name: 'iot-connections', component: () => import('./views/connection/index.vue'), meta: { title: '连接管理', permission: PERMISSIONS.iotConnection, icon: 'Connection' } },
  { path: '/iot/messages', name: 'iot-messages', component: () => import('./views/message/list.vue'), meta: { title: '消息追踪', permission: PERMISSIONS.iotTrace, icon: 'ChatLineSquare' } },
  { path: '/iot/ota', name: 'iot-ota', component: () => import('./views/ota/index.vue'), meta: { title: 'OTA升级', permission: PERMISSIONS.iotOta, icon: 'Upload' } },
  { path: '/iot/rules', name: 'iot-rules', component: () => import('./views/rule/index.vue'), meta: { title: '规则引擎', permission: PERMISSIONS.iotRuleList, icon: 'Guide' } },
  { path: '/iot/alarms', name: 'iot-alarms', component: () => import('./views/alarm/list.vue'), meta: { title: '告警记录', permission: PERMISSIONS.iotRuleList, icon: 'AlarmClock' } },
  { path: '/iot/logs', name: 'iot-logs', component: () => import('./views/log/index.vue'), meta: { title: '日志管理', permission: PERMISSIONS.iotLogList, icon: 'Tickets' } },
  { path: '/iot/api-keys', name: 'iot-api-keys', component: () => import('./views/api-key/list.vue'), meta: { title: '第三方接口', permission: PERMISSIONS.iotApiKey, icon: 'Key' } },
];
