// The funds, project library and shares pages render the server's answers and send the bodies
// the contract gives (fetch stubbed by route).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createRouter, createMemoryHistory } from 'vue-router';
import ElementPlus from 'element-plus';
import type { Component } from 'vue';
import { i18n } from '../i18n';
import { useSession } from '../stores/session';
import FundsPage from './FundsPage.vue';
import ProjectPage from './ProjectPage.vue';
import ProjectNoticePage from './ProjectNoticePage.vue';
import FundReportPage from './FundReportPage.vue';
import FundFindingsPage from './FundFindingsPage.vue';
import AssetPage from './AssetPage.vue';
import HouseholdShares from '../components/HouseholdShares.vue';
import { catalog } from '../testing/catalog';
import { beijingToday } from '../format';
import { previousMonth } from '../funds';

const plan = { measures: [{ number: 1, name: '产业扶贫', battle: 'industry', owner: '', target_households: 1, target_persons: 1 }], battles: [], townships: [{ code: '540425100', name: '竹瓦根镇', exit_targets: {} }], start_year: 2016, end_year: 2018, county_code: '540425', county_name: '察隅县' };
const record = {
  id: 7, code: 'FP2017-01', name: '某村蔬菜大棚', division_code: '540425100101', task: '新建大棚 20 座', subsidy_standard: '每座 1.5 万元', use: 'industry',
  sources: [{ source: 'poverty_development', amount: '300000.00' }], approved: '300000.00', reapproved: null, period_start: '2017-04-01', period_end: '2017-10-31',
  unit: '竹瓦根镇人民政府', responsible: '张三', performance_target: '带动 20 户增收', beneficiaries: [{ household_code: '5404251001010001', how: '分红' }],
  state: 'appraised', version: 3,
  steps: [{ step: 'apply', date: '2017-02-01', actor: 'officer', at: '2017-02-01T02:00:00Z', outcome: 'passed', notes: '', refs: '', from_state: '', to_state: 'applied' }],
  notice_posted_on: '2017-02-10', notice_until: '2017-02-20',
};
const projectPage = {
  project: record,
  money: { budgeted: '300000', paid: '120000.5', deposit_held: '0', base: '300000', stage_cap: '120000' },
  entries: [{ id: 11, date: '2017-05-01', kind: 'disburse', allocation: 2, project: 7, payee: 3, to_allocation: null, amount: '120000.5', stage: 'started', refs: '凭证 5', decision_id: null, reverses: null, from_account: 'project:7:2', to_account: 'payee:3', reversed_by: null }],
  households: [{ household_code: '5404251001010001', head_name: '扎西', division_code: '540425100101', how: '分红', items: [{ item_code: 'I-1', measure: 1, category: 1, kind: 1, start_date: '2017-12-01', amount: '800', signed_off: false }] }],
  allowed_steps: ['notice', 'approve'],
};
const notice = {
  code: 'FP2017-01', name: '某村蔬菜大棚', place: '竹瓦根镇某村', task: '新建大棚 20 座', subsidy_standard: '每座 1.5 万元',
  sources: [{ source: 'poverty_development', source_name: '扶贫开发资金', amount: '300000.00' }], amount: '300000.00', period_start: '2017-04-01', period_end: '2017-10-31',
  unit: '竹瓦根镇人民政府', responsible: '张三', performance_target: '带动 20 户增收', households: [{ household_code: '5404251001010001', head_name: '扎西', how: '分红' }],
  posted_on: '2017-02-10', until: '2017-02-20', days: 10, hotline: '12317',
};

type Handler = (url: string, init?: RequestInit) => [number, unknown] | undefined;
let posts: { url: string; body: Record<string, unknown> }[] = [];
function serve(routes: Record<string, unknown>, handler?: Handler) {
  posts = [];
  const seen: string[] = [];
  vi.stubGlobal('fetch', vi.fn((url: string, init?: RequestInit) => {
    seen.push(url);
    const json = (status: number, body: unknown) => Promise.resolve(new Response(JSON.stringify(body), { status }));
    if (init?.method === 'POST') posts.push({ url, body: JSON.parse(String(init.body)) });
    const special = handler?.(url, init);
    if (special) return json(special[0], special[1]);
    if (url === '/api/codes') return json(200, catalog);
    if (url === '/api/plan') return json(200, plan);
    if (url.startsWith('/api/org-units')) return json(200, { items: [{ code: '540425100101', name: '某村', parent: '540425100', level: 'village', has_children: false }] });
    const path = url.split('?')[0];
    if (path in routes) return json(200, routes[path]);
    return json(404, { error: { code: 'not_found', message: '找不到 / not found', fields: [] } });
  }));
  return seen;
}

async function mountAt(component: Component, path: string, pattern: string, name: string, scope = '540425', write = true, props: Record<string, unknown> = {}) {
  const pinia = createPinia();
  setActivePinia(pinia);
  useSession().me = { username: 'u', role: write ? 'officer' : 'viewer', role_name: '', scope, scope_name: '', permissions: { write_households: write, manage_users: false, read_audit: false, run_checks: false, masked: !write } };
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: pattern, name, component }, { path: '/:p(.*)*', component: { template: '<p />' } }] });
  await router.push(path);
  const wrapper = mount(component, { props, global: { plugins: [pinia, i18n, router, ElementPlus] }, attachTo: document.body });
  for (let i = 0; i < 6; i++) await flushPromises();
  return wrapper;
}
const click = (test: string) => (document.querySelector(`[data-test=${test}]`) as HTMLElement).click();
function type(test: string, value: string) {
  const el = document.querySelector(`[data-test=${test}]`) as HTMLElement;
  const input = (el.tagName === 'INPUT' ? el : el.querySelector('input, textarea')) as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new Event('input'));
}

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
});

describe('project page', () => {
  it('shows the record, money, entries, households and the allowed steps as buttons', async () => {
    serve({ '/api/projects/7': projectPage, '/api/payees': { payees: [{ id: 3, kind: 'contractor', name: '某建筑公司' }] } });
    const w = await mountAt(ProjectPage, '/projects/7', '/projects/:id', 'project');
    expect(w.find('[data-test=project-code]').text()).toBe('FP2017-01');
    expect(w.find('[data-test=project-state]').text()).toBe('县已论证');
    expect(w.find('[data-test=approved]').text()).toBe('¥300,000.00');
    expect(w.find('[data-test=money-paid]').text()).toContain('120,000.50');
    expect(w.find('[data-test=entry-11]').text()).toContain('某建筑公司');
    expect(w.find('[data-test=entry-11]').text()).toContain('支付');
    expect(w.find('[data-test=household-5404251001010001]').text()).toContain('扎西');
    expect(w.find('[data-test=item-I-1]').text()).toContain('800.00');
    expect(w.find('[data-test=step-approve]').exists()).toBe(true);
    expect(w.find('[data-test=step-notice]').exists()).toBe(true);
    expect(w.find('[data-test=step-start]').exists()).toBe(false);
  });

  it('posts the step with its outcome and shows a refusal', async () => {
    serve({ '/api/projects/7': projectPage }, (url, init) =>
      init?.method === 'POST' && url === '/api/projects/7/steps'
        ? [409, { error: { code: 'project.step_invalid', message_zh: '公示未满 10 天', message_en: 'notice shorter than 10 days', fields: [] } }]
        : undefined);
    const w = await mountAt(ProjectPage, '/projects/7', '/projects/:id', 'project');
    await w.find('[data-test=step-approve]').trigger('click');
    await flushPromises();
    type('step-refs', ' 县扶发〔2017〕3号 ');
    await flushPromises();
    click('step-save');
    for (let i = 0; i < 4; i++) await flushPromises();
    expect(posts).toHaveLength(1);
    expect(posts[0].body).toEqual({ step: 'approve', date: beijingToday(), outcome: 'passed', refs: '县扶发〔2017〕3号' });
    expect(document.querySelector('[data-test=step-error]')?.textContent).toContain('公示未满 10 天');
  });

  it('offers no step buttons to a reader', async () => {
    serve({ '/api/projects/7': projectPage });
    const w = await mountAt(ProjectPage, '/projects/7', '/projects/:id', 'project', '540425', false);
    expect(w.find('[data-test=step-approve]').exists()).toBe(false);
    expect(w.find('[data-test=no-next]').exists()).toBe(true);
  });
});

describe('notice page', () => {
  it('prints every field, the posting period of at least 10 days and 12317', async () => {
    serve({ '/api/projects/7/notice': notice });
    const w = await mountAt(ProjectNoticePage, '/projects/7/notice', '/projects/:id/notice', 'project-notice');
    expect(w.find('[data-test=notice-name]').text()).toBe('某村蔬菜大棚');
    expect(w.find('[data-test=notice-amount]').text()).toBe('¥300,000.00');
    expect(w.find('[data-test=notice-sources]').text()).toContain('扶贫开发资金');
    expect(w.find('[data-test=notice-households]').text()).toContain('扎西');
    const period = w.find('[data-test=notice-period]');
    expect(period.text()).toContain('2017-02-10');
    expect(period.text()).toContain('10 天');
    expect(period.classes()).not.toContain('short');
    expect(w.find('[data-test=notice-hotline]').text()).toContain('12317');
  });
  it('marks a period shorter than 10 days', async () => {
    serve({ '/api/projects/7/notice': { ...notice, until: '2017-02-15', days: undefined } });
    const w = await mountAt(ProjectNoticePage, '/projects/7/notice', '/projects/:id/notice', 'project-notice');
    expect(w.find('[data-test=notice-period]').classes()).toContain('short');
    expect(w.find('[data-test=notice-period]').text()).toContain('5 天');
  });
});

describe('funds page', () => {
  const balances = {
    sources: [{ code: 'poverty_development', name: '扶贫开发资金', allocated: '1000000', received: '800000', budgeted: '300000', spent: '120000.5', deposit_held: '0', unspent: '679999.5' }],
    totals: { allocated: '1000000', received: '800000', budgeted: '300000', spent: '120000.5', deposit_held: '0', unspent: '679999.5' },
    accounts: [],
  };
  const routes = {
    '/api/fund-balances': balances,
    '/api/fund-sources': { sources: [{ code: 'poverty_development', name: '扶贫开发资金', special_poverty: true }] },
    '/api/allocations': { allocations: [{ id: 2, source: 'poverty_development', source_name: '扶贫开发资金', document_number: '藏财农〔2017〕12号', year: 2017, amount: '1000000', earmark: ['industry'], received: '800000', budgeted: '300000', spent: '120000.5', deposit_held: '0', unspent: '679999.5' }] },
  };
  it('shows the balances and the allocations; a county writer adds one, checked first', async () => {
    serve(routes, (url, init) => (init?.method === 'POST' && url === '/api/allocations' ? [201, { id: 3 }] : undefined));
    const w = await mountAt(FundsPage, '/funds', '/funds', 'funds');
    expect(w.find('[data-test=total-spent]').text()).toContain('120,000.50');
    expect(w.find('[data-test=source-poverty_development]').text()).toContain('679,999.50');
    expect(w.find('[data-test=allocation-2]').text()).toContain('藏财农〔2017〕12号');
    await w.find('[data-test=add-allocation]').trigger('click');
    await flushPromises();
    type('form-document', '藏财农〔2017〕30号');
    type('form-amount', '12.345');
    await flushPromises();
    click('form-save');
    await flushPromises();
    expect(posts).toHaveLength(0);
    type('form-amount', '500000.00');
    await flushPromises();
    click('form-save');
    for (let i = 0; i < 4; i++) await flushPromises();
    expect(posts).toHaveLength(1);
    expect(posts[0].body).toMatchObject({ source: 'poverty_development', document_number: '藏财农〔2017〕30号', amount: '500000.00', earmark: [] });
  });
  it('offers a township account no add buttons, and the allocations without the county\'s balances', async () => {
    serve(routes, (url) => (url === '/api/fund-balances' ? [403, { error: { code: 'auth.forbidden', message: '无权 / forbidden', fields: [] } }] : undefined));
    const w = await mountAt(FundsPage, '/funds', '/funds', 'funds', '540425100');
    expect(w.find('[data-test=add-allocation]').exists()).toBe(false);
    expect(w.find('[data-test=add-source]').exists()).toBe(false);
    expect(w.find('[data-test=balances]').exists()).toBe(false);
    expect(w.find('[data-test=page-error]').exists()).toBe(false);
    expect(w.find('[data-test=allocation-2]').exists()).toBe(true);
  });
});

describe('report and findings', () => {
  it('asks for the month before by default and shows each group with totals', async () => {
    const month = previousMonth(beijingToday().slice(0, 7));
    const row = { key: 'poverty_development', name: '扶贫开发资金', spent_month: '20000', spent_year: '120000.5', budgeted: '300000', allocated: '1000000', unspent: '679999.5' };
    const seen = serve({ '/api/fund-reports/monthly': { month, due: '2099-01-05', totals: row, by_source: [row], by_earmark: [], by_project: [{ ...row, key: '7', name: '某村蔬菜大棚' }], by_township: [] } });
    const w = await mountAt(FundReportPage, '/funds/report', '/funds/report', 'fund-report');
    expect(seen).toContain('/api/fund-reports/monthly?month=' + month);
    expect(w.find('[data-test=due]').text()).toContain('2099-01-05');
    expect(w.find('[data-test=report-total-spent_month]').text()).toContain('20,000.00');
    expect(w.find('[data-test=report-by_source]').text()).toContain('扶贫开发资金');
    expect(w.find('[data-test=report-by_project] a').attributes('href')).toBe('/projects/7');
  });
  it('lists findings with breaches first, in the chosen words', async () => {
    serve({ '/api/fund-findings': { as_of: '2018-01-01', findings: [
      { rule: 'fund.idle', severity: 'warning', allocation: 2, amount: '5000', since: '2017-05-01', days: 245, message_zh: '资金闲置 245 天', message_en: 'idle for 245 days' },
      { rule: 'fund.over_allocation', severity: 'breach', project: 7, amount: '10', since: '2017-06-01', message_zh: '超出下达金额', message_en: 'beyond the allocation' },
    ] } });
    const w = await mountAt(FundFindingsPage, '/funds/findings', '/funds/findings', 'fund-findings');
    const rows = w.findAll('tbody tr');
    expect(rows[0].attributes('data-severity')).toBe('breach');
    expect(rows[1].text()).toContain('资金闲置');
    expect(w.find('[data-test=findings-count]').text()).toBe('1 项违规，1 项提示');
  });
});

describe('assets and shares', () => {
  const asset = {
    asset: { id: 'A1', project_code: 'FP2017-01', kind: 2, kind_name_zh: '大棚', value: '300000', owner: 'village', owner_name: '某村集体', division_code: '540425100101', division_name: '某村', poor_permille: 550, village_permille: 300, cooperative_permille: 150, total_shares: 100, floor_rate_bp: 600, cap_per_share: null, disposed: false, holders: 2 },
    holdings: [{ holder: '5404251001010001', household_code: '5404251001010001', head_name: '扎西', shares: 60, certificate: 'C-1' }, { holder: 'village:540425100101', household_code: null, head_name: null, shares: 40, certificate: null }],
    moves: [],
    dividends: [{ year: 2017, income: '20000', poor_part: '11000', village_part: '6000', cooperative_part: '3000', floor: '18000', operator_shortfall: '7000', over_cap: '0', distributed: '18000', declared_on: '2017-12-20', lines: [{ holder: '5404251001010001', shares: 60, amount: '10800', item_code: 'I-9' }] }],
    disposal: null,
  };
  it('shows holdings, dividends and checks a disposal before sending it', async () => {
    serve({ '/api/assets/A1': asset });
    const w = await mountAt(AssetPage, '/assets/A1', '/assets/:id', 'asset');
    expect(w.find('[data-test=holding-5404251001010001]').text()).toContain('扎西');
    expect(w.find('[data-test=holding-village\\:540425100101]').text()).toContain('村集体');
    expect(w.find('[data-test=dividend-2017]').text()).toContain('10,800.00');
    await w.find('[data-test=dispose]').trigger('click');
    await flushPromises();
    click('disp-save');
    await flushPromises();
    expect(posts).toHaveLength(0);
  });
  it('shows a household\'s shares, or nothing when the server has none to give', async () => {
    const given = { holdings: [{ asset_id: 'A1', kind: 2, kind_name_zh: '大棚', shares: 60, total_shares: 100, value_share: '180000', certificate: 'C-1' }], dividends: [{ asset_id: 'A1', year: 2017, shares: 60, amount: '10800', item_code: 'I-9' }] };
    serve({});
    const w = await mountAt(HouseholdShares, '/', '/', 'x', '540425', true, { code: 'H' });
    expect(w.find('[data-test=household-shares]').exists()).toBe(false);
    await w.setProps({ code: 'H', given });
    await flushPromises();
    expect(w.find('[data-test=share-A1]').text()).toContain('60');
    expect(w.find('[data-test=share-dividend-A1-2017]').text()).toContain('10,800.00');
  });
});
