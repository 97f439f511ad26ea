import { createApp } from 'vue';
import { createPinia } from 'pinia';
import ElementPlus from 'element-plus';
import zhCn from 'element-plus/es/locale/lang/zh-cn';
import * as ElementPlusIcons from '@element-plus/icons-vue';
import 'element-plus/dist/index.css';
import './styles/index.css';

import App from './App.vue';
import { router } from './router';
import { installApiErrorHandler } from './api/error-handler';
import { vPermission } from './directives/permission';

const app = createApp(App);

// Every Element Plus icon is available by name, e.g. <component :is="'House'" /> for menu icons.
for (const [name, component] of Object.entries(ElementPlusIcons)) {
  app.component(name, component);
}

app.use(createPinia());
app.use(ElementPlus, { locale: zhCn });
app.directive('permission', vPermission);
installApiErrorHandler(router);
app.use(router);

app.mount('#app');
