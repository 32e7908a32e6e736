// The household page: a read sheet (no inputs), an edit draft that Cancel drops, and the history
// in field names with old → new values in Beijing time (fetch stubbed by route).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createRouter, createMemoryHistory } from 'vue-router';
import ElementPlus from 'element-plus';
import { i18n } from '../i18n';
import { useSession } from '../stores/session';
import HouseholdPage from './HouseholdPage.vue';
import { catalog, code } from '../testing/catalog';

const plan = { measures: [{ number: 1, name: '发展产业', battle: 1, owner: '', target_households: 0, target_persons: 0 }], battles: [], townships: [], start_year: 2016, end_year: 2018, county_code: '540425', county_name: '察隅县' };
const household = {
  version: 3, household_code: '5404251001010001', division_code: '540425100101', attribute: code('attribute', '一般贫困户'), main_cause: code('cause', '因病'),
  other_causes: [code('cause', '缺技术')], identified_year: 2014, planned_exit_year: 2017, status: code('status', '未脱贫'), net_income_per_head: '2800.00',
  main_measure: 1, aux_measures: [], pairing_cadre: '王干部', phone: '', safe_water: true, household_electricity: false,
  members: [{ name: '扎西', id_number: '540425198001010011', relation: code('relation', '本人或户主'), sex: code('sex', '男'), birth_date: '1980-01-01', health: code('health', '健康') }],
};
const history = {
  items: [
    { seq: 1, at: '2017-01-01T00:00:00Z', actor: 'admin', entity: 'household', entity_key: household.household_code, action: 'load', before: null, after: household, import_id: null },
    { seq: 2, at: '2017-03-01T16:05:00Z', actor: 'officer', entity: 'household', entity_key: household.household_code, action: 'update',
      before: { ...household, status: code('status', '返贫') }, after: household, import_id: null },
  ],
};

let puts: Record<string, unknown>[] = [];
function serve() {
  puts = [];
  vi.stubGlobal('fetch', vi.fn((url: string, init?: RequestInit) => {
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => Promise.resolve(new Response(JSON.stringify(body), { status, headers }));
    if (url === '/api/codes') return json(200, catalog);
    if (url === '/api/plan') return json(200, plan);
    if (url.startsWith('/api/org-units')) return json(200, { items: [{ code: '540425100101', name: '某村', parent: '540425100', level: 'village', has_children: false }] });
    if (url.endsWith('/history')) return json(200, history);
    if (url === '/api/households/' + household.household_code) {
      if (init?.method === 'PUT') {
        const body = JSON.parse(String(init.body));
        puts.push(body);
        return json(200, { ...body, version: 4 }, { ETag: '"4"' });
      }
      return json(200, household, { ETag: '"3"' });
    }
    if (url.includes('/timeline')) return json(200, { household_code: household.household_code, cases: [] });
    return json(404, { error: { code: 'not_found', message: '找不到 / not found', fields: [] } });
  }));
}

async function mountPage() {
  const pinia = createPinia();
  setActivePinia(pinia);
  useSession().me = { username: 'admin', role: 'admin', role_name: '管理员', scope: '540425', scope_name: '察隅县', permissions: { write_households: true, manage_users: true, read_audit: true, run_checks: true, masked: false } };
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/households/:code', name: 'household', component: HouseholdPage }, { path: '/:p(.*)*', component: { template: '<p />' } }] });
  await router.push('/households/' + household.household_code);
  const wrapper = mount(HouseholdPage, { global: { plugins: [pinia, i18n, router, ElementPlus] } });
  for (let i = 0; i < 4; i++) await flushPromises();
  return wrapper;
}

afterEach(() => vi.unstubAllGlobals());
const inputOf = (w: Awaited<ReturnType<typeof mountPage>>, id: string) => w.find(`input[data-test=${id}], [data-test=${id}] input`);

// Element Plus's selects are slow to mount in jsdom on a busy machine: generous timeouts.
describe('household page', { timeout: 30000 }, () => {
  it('reads as a sheet: labels and values, codes by name, no inputs', async () => {
    serve();
    const wrapper = await mountPage();
    expect(wrapper.find('[data-test=sheet]').exists()).toBe(true);
    expect(wrapper.findAll('input').length).toBe(0);
    expect(wrapper.find('[data-test=sheet-status] dd').text()).toBe('未脱贫');
    expect(wrapper.find('[data-test=sheet-main_cause] dd').text()).toBe('因病');
    expect(wrapper.find('[data-test=sheet-household_electricity] dd').text()).toBe('否');
    expect(wrapper.find('[data-test=sheet-phone] dd').text()).toBe('–');
    expect(wrapper.find('[data-test=members]').text()).toContain('本人或户主');
  });

  it('links the clarity card (PDF) and the village\'s and township\'s documents', async () => {
    serve();
    const wrapper = await mountPage();
    expect(wrapper.find('[data-test=card-link]').attributes('href')).toBe('/api/households/5404251001010001/card');
    expect(wrapper.find('[data-test=card-link]').text()).toBe('打印明白卡 (PDF)');
    expect(wrapper.find('[data-test=village-link]').attributes('href')).toBe('/units/540425100101');
    expect(wrapper.find('[data-test=village-link]').text()).toBe('某村');
    expect(wrapper.find('[data-test=township-link]').attributes('href')).toBe('/units/540425100');
  });

  it('drops a cancelled edit: it is neither shown nor saved with a later edit', async () => {
    serve();
    const wrapper = await mountPage();
    await wrapper.find('[data-test=edit]').trigger('click');
    await flushPromises();
    await inputOf(wrapper, 'income').setValue('9999.00');
    await wrapper.find('[data-test=cancel]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test=sheet-net_income_per_head] dd').text()).toContain('2800.00');
    await wrapper.find('[data-test=edit]').trigger('click');
    await flushPromises();
    expect((inputOf(wrapper, 'income').element as HTMLInputElement).value).toBe('2800.00');
    await inputOf(wrapper, 'phone').setValue('13800000000');
    await wrapper.find('[data-test=save]').trigger('click');
    for (let i = 0; i < 4; i++) await flushPromises();
    expect(puts.length).toBe(1);
    expect(puts[0].net_income_per_head).toBe('2800.00');
    expect(puts[0].phone).toBe('13800000000');
    expect(wrapper.find('[data-test=sheet-phone] dd').text()).toBe('13800000000');
  });

  it('shows the history in field names with old → new values, in Beijing time', async () => {
    serve();
    const wrapper = await mountPage();
    const text = wrapper.find('[data-test=history]').text();
    expect(text).toContain('脱贫状态: 返贫 → 未脱贫');
    expect(text).toContain('2017-03-02 00:05');  // 16:05 UTC is the next day's 00:05 in Beijing
    expect(text).toContain('officer');
    expect(text).not.toContain('2017-03-01T16:05');
  });
});
