import { describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { createRouter, createMemoryHistory } from 'vue-router';
import ElementPlus from 'element-plus';
import LoginPage from './LoginPage.vue';
import { i18n } from '../i18n';

function setup() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/login', component: LoginPage },
      { path: '/', component: { template: '<p>home</p>' } },
    ],
  });
  return { router, plugins: [createPinia(), i18n, router, ElementPlus] };
}

describe('LoginPage', () => {
  it('shows the server’s reason when the login is refused, and stays', async () => {
    vi.stubGlobal('fetch', vi.fn(() =>
      Promise.resolve(new Response(JSON.stringify({ error: { code: 'auth.locked', message: '账号已锁定 / the account is locked', fields: [] } }), { status: 401 })),
    ));
    const { router, plugins } = setup();
    await router.push('/login');
    const wrapper = mount(LoginPage, { global: { plugins } });
    await wrapper.find('input[name=username]').setValue('admin');
    await wrapper.find('input[name=password]').setValue('wrong');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(wrapper.find('[data-test=login-error]').text()).toContain('账号已锁定');
    expect(router.currentRoute.value.path).toBe('/login');
  });

  it('says until when a throttled login must wait, in Beijing time and the chosen language', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-06T02:00:00Z'));  // 10:00 in Beijing
    vi.stubGlobal('fetch', vi.fn(() =>
      Promise.resolve(new Response(JSON.stringify({ error: { code: 'auth.throttled', message: '登录失败次数过多,请 90 秒后再试 / too many failed logins; try again in 90 s', fields: [] } }), { status: 429, headers: { 'Retry-After': '90' } })),
    ));
    const { router, plugins } = setup();
    await router.push('/login');
    const wrapper = mount(LoginPage, { global: { plugins } });
    await wrapper.find('input[name=username]').setValue('admin');
    await wrapper.find('input[name=password]').setValue('wrong');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(wrapper.find('[data-test=login-error]').text()).toContain('北京时间 10:01:30');
    i18n.global.locale.value = 'en';
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(wrapper.find('[data-test=login-error]').text()).toContain('after 10:01:30 Beijing time');
    i18n.global.locale.value = 'zh-CN';
    vi.useRealTimers();
  });

  it('goes where it was asked to after a login', async () => {
    const fetch = vi.fn(() => Promise.resolve(new Response(JSON.stringify({ username: 'admin', role: 'admin' }), { status: 200 })));
    vi.stubGlobal('fetch', fetch);
    const { router, plugins } = setup();
    await router.push('/login?next=/');
    const wrapper = mount(LoginPage, { global: { plugins } });
    await wrapper.find('input[name=username]').setValue('admin');
    await wrapper.find('input[name=password]').setValue('jingzhun-demo');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(fetch).toHaveBeenCalledWith('/api/login', expect.objectContaining({ method: 'POST', body: JSON.stringify({ username: 'admin', password: 'jingzhun-demo' }) }));
    expect(wrapper.find('[data-test=login-error]').exists()).toBe(false);
    expect(router.currentRoute.value.path).toBe('/');
  });
});
