// The plan page (一户一案): the ledger as a timeline (unconfirmed marked, deleted greyed with the
// reason), money from decimal strings, income with the policy share, cover gaps highlighted, and
// the writers' forms (fetch stubbed by route).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createRouter, createMemoryHistory } from 'vue-router';
import ElementPlus from 'element-plus';
import { i18n } from '../i18n';
import { useSession } from '../stores/session';
import PlanPage from './PlanPage.vue';
import { catalog, code } from '../testing/catalog';
import type { HouseholdPlan } from '../schemas';

const plan = { measures: [{ number: 8, name: '生态补偿', battle: 'guarantee', owner: '', target_households: 381, target_persons: 472 }], battles: [], townships: [], start_year: 2016, end_year: 2018, county_code: '540425', county_name: '察隅县' };
const item = (over: Record<string, unknown>) => ({
  item_code: 'H-001', household_code: 'H', division_code: '540425100101', version: 1, deleted: false, delete_reason: '', member_ids: ['540425198001010011'],
  member_names: ['扎西'], measure: 8, measure_name: '生态补偿', category: code('assistance_category', '生态补偿'), kind: code('assistance_kind', '现金'),
  start_date: '2017-03-01', end_date: null, amount: '1520.5', periodic_amount: null, period: null, fund_ref: 'ECO-1', notes: '', signed_on: null, signed_by: '',
  signed_off: false, ...over,
});
const page: HouseholdPlan = {
  household: {
    household_code: 'H', registered: true, deregistered: false, read_only: false, version: 2, division_code: '540425100101', head_name: '扎西',
    status: code('status', '未脱贫'), attribute: code('attribute', '一般贫困户'), main_cause: code('cause', '因病'), other_causes: [], identified_year: 2014,
    exit_year: null, pairing_cadre: '', persons: 2,
    members: [{ name: '扎西', id_number: '540425198001010011', relation: 1, sex: 1, birth_date: '1980-01-01' }, { name: '卓玛', id_number: '540425198202020022', relation: 2, sex: 2, birth_date: '1982-02-02' }],
  },
  measures: { main: 8, auxiliary: [], planned_exit_year: 2018 },
  items: [
    item({}),
    item({ item_code: 'H-002', start_date: '2017-01-05', signed_on: '2017-01-10', signed_by: '扎西', signed_off: true, amount: '12345678.9' }),
    item({ item_code: 'H-003', deleted: true, delete_reason: '重复录入', version: 2 }),
  ],
  income: [{
    year: 2017,
    record: { household_code: 'H', year: 2017, persons: 2, wage: '10000', production: null, property: null, transfer: '2000', production_costs: null, notes: '', version: 1, division_code: '540425100101', has_parts: true, net_income: '12000', net_income_per_head: '6000' },
    net_income: '12000', net_income_per_head: '6000', from_assistance: { transfer: '1520.5', property: '0', total: '1520.5' }, policy_share_permille: 127,
  }],
  coverage: [{
    year: 2017,
    persons: [{ id_number: '540425198001010011', name: '扎西', basic_medical_insurance: true, serious_illness_insurance: true, pension_insurance: true, dibao: false, wubao: false },
      { id_number: '540425198202020022', name: '卓玛', basic_medical_insurance: false, serious_illness_insurance: null, pension_insurance: true, dibao: false, wubao: false }],
    gaps: { medical_uninsured: 1, serious_uninsured: 0, pension_missing: 0 },
  }],
  counts: { items: 2, unconfirmed: 1, deleted: 1, amount_signed: '12345678.9' },
};

let posts: { url: string; body: Record<string, unknown> }[] = [];
function serve() {
  posts = [];
  vi.stubGlobal('fetch', vi.fn((url: string, init?: RequestInit) => {
    const json = (status: number, body: unknown) => Promise.resolve(new Response(JSON.stringify(body), { status }));
    if (url === '/api/codes') return json(200, catalog);
    if (url === '/api/plan') return json(200, plan);
    if (url.startsWith('/api/org-units')) return json(200, { items: [{ code: '540425100101', name: '某村', parent: '540425100', level: 'village', has_children: false }] });
    if (url === '/api/households/H/plan') return json(200, page);
    if (init?.method === 'POST') {
      posts.push({ url, body: JSON.parse(String(init.body)) });
      return json(url === '/api/assistance' ? 201 : 200, item({}));
    }
    return json(404, { error: { code: 'not_found', message: '找不到 / not found', fields: [] } });
  }));
}

async function mountPage(write = true) {
  const pinia = createPinia();
  setActivePinia(pinia);
  useSession().me = { username: 'officer', role: write ? 'officer' : 'viewer', role_name: '', scope: '540425100', scope_name: '竹瓦根镇', permissions: { write_households: write, manage_users: false, read_audit: false, run_checks: write, masked: !write } };
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/households/:code/plan', component: PlanPage }, { path: '/:p(.*)*', component: { template: '<p />' } }] });
  await router.push('/households/H/plan');
  const wrapper = mount(PlanPage, { global: { plugins: [pinia, i18n, router, ElementPlus] }, attachTo: document.body });
  for (let i = 0; i < 5; i++) await flushPromises();
  return wrapper;
}

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
});

describe('the plan page', () => {
  it('shows the ledger: unconfirmed marked, deleted greyed with its reason, money from the strings', async () => {
    serve();
    const w = await mountPage();
    const items = w.findAll('.item');
    expect(items.map((i) => i.attributes('data-state'))).toEqual(['signed', 'unsigned', 'deleted']);  // by start date, deleted last
    expect(w.find('[data-test=item-H-001] [data-test=state-unsigned]').text()).toBe('未签收');
    expect(w.find('[data-test=item-H-002]').text()).toContain('12,345,678.90');
    expect(w.find('[data-test=item-H-003] [data-test=delete-reason]').text()).toContain('重复录入');
    expect(w.find('[data-test=item-H-001]').text()).toContain('扎西');
    expect(w.find('[data-test=counts]').text()).toContain('12,345,678.90');
    expect(w.find('[data-test=sign-H-001]').exists()).toBe(true);
    expect(w.find('[data-test=sign-H-002]').exists()).toBe(false);
    expect(w.find('[data-test=delete-H-003]').exists()).toBe(false);
  }, 30000);

  it('shows income by its parts with the policy share, and the cover gaps', async () => {
    serve();
    const w = await mountPage();
    expect(w.find('[data-test=income-2017] [data-test=per-head]').text()).toContain('6,000.00');
    expect(w.find('[data-test=income-2017] [data-test=policy-share]').text()).toBe('12.7%');
    const cells = w.findAll('[data-test=cover] td[data-gap]').map((c) => c.attributes('data-gap'));
    expect(cells).toEqual(['no', 'yes']);
  }, 30000);

  it('gives readers no forms', async () => {
    serve();
    const w = await mountPage(false);
    expect(w.find('[data-test=add-item]').exists()).toBe(false);
    expect(w.find('[data-test=sign-H-001]').exists()).toBe(false);
    expect(w.find('[data-test=add-income]').exists()).toBe(false);
  }, 30000);

  it('signs an item off at the version read', async () => {
    serve();
    const w = await mountPage();
    await w.find('[data-test=sign-H-001]').trigger('click');
    await flushPromises();
    (document.querySelector('[data-test=sign-save]') as HTMLButtonElement).click();
    for (let i = 0; i < 4; i++) await flushPromises();
    expect(posts).toHaveLength(1);
    expect(posts[0].url).toBe('/api/assistance/H-001/sign');
    expect(posts[0].body).toMatchObject({ version: 1, signed_by: '扎西' });
    expect(String(posts[0].body.signed_on) >= '2017-03-01').toBe(true);
  }, 30000);
});
