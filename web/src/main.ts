import { createApp } from 'vue';
import { createPinia } from 'pinia';
// Element Plus on demand: templates' components and v-loading are imported where they are used
// (unplugin-vue-components in vite.config.ts, with their CSS). What scripts import themselves gets
// its CSS here: the base styles, ElMessage, and the components a page builds with h().
import 'element-plus/theme-chalk/base.css';
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/button/style/css';
import 'element-plus/es/components/input-number/style/css';
import 'element-plus/es/components/tag/style/css';
import App from './App.vue';
import { router } from './router';
import { i18n } from './i18n';
import { setUnauthorizedHandler } from './api';
import { useSession } from './stores/session';
import { useReference } from './stores/reference';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia).use(i18n).use(router);
setUnauthorizedHandler(() => {
  useSession(pinia).me = null;
  useReference(pinia).forget();
  if (router.currentRoute.value.name !== 'login')
    router.push({ name: 'login', query: { next: router.currentRoute.value.fullPath } });
});
app.mount('#app');
