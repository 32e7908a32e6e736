import { createApp } from 'vue';
import { createPinia } from 'pinia';
import ElementPlus from 'element-plus';
import 'element-plus/dist/index.css';
import App from './App.vue';
import { router } from './router';
import { i18n } from './i18n';
import { setUnauthorizedHandler } from './api';
import { useSession } from './stores/session';
import { useReference } from './stores/reference';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia).use(i18n).use(router).use(ElementPlus);
setUnauthorizedHandler(() => {
  useSession(pinia).me = null;
  useReference(pinia).forget();
  if (router.currentRoute.value.name !== 'login')
    router.push({ name: 'login', query: { next: router.currentRoute.value.fullPath } });
});
app.mount('#app');
