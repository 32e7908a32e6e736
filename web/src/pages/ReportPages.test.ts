// The periodic reports, issued reports, submission schedule and unit pages render the answers the
// contract (common17.md) gives and send its requests (fetch stubbed by route).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createRouter, createMemoryHistory } from 'vue-router';
import ElementPlus, { ElDatePicker, ElSelect } from 'element-plus';
import type { Component } from 'vue';
import { i18n } from '../i18n';
import { useSession } from '../stores/session';
import PeriodicReportPage from './PeriodicReportPage.vue';
import IssuedReportPage from './IssuedReportPage.vue';
import DueReportsPage from './DueReportsPage.vue';
import UnitPage from './UnitPage.vue';
import PeriodPicker from '../components/PeriodPicker.vue';
import { catalog } from '../testing/catalog';
import { annualDocument } from '../testing/document';
import { beijingToday } from '../format';
import { currentPeriod } from '../reports';

vi.mock('../charts', () => ({ echarts: { init: () => ({ setOption() {}, on() {}, off() {}, resize() {}, dispose() {}, getDom: () => null }) } }));

const plan = {
  measures: [], start_year: 2016, end_year: 2018, county_code: '540425', county_name: '察隅县',
  battles: [{ id: 'industry', name: '产业发展脱贫攻坚战', owner: '县农牧局', units: [] }, { id: 'guarantee', name: '社会保障兜底攻坚战', owner: '县民政局', units: [] }],
  townships: [{ code: '540425100', name: '竹瓦根镇', exit_targets: {} }, { code: '540425200', name: '上察隅镇', exit_targets: {} }],
};
const villages = [
  { code: '540425100101', name: '巴安通村', parent: '540425100', level: 'village', has_children: false },
  { code: '540425100102', name: '格巴村', parent: '540425100', level: 'village', has_children: false },
];
const meta = (id: number, period: string) => ({
  id, kind: 'annual', unit_code: '540425', unit_name: '察隅县', period, as_of: `${period}-12-31`, issued_at: '2017-12-31T16:30:00Z', issued_by: 'officer',
  hash: 'ab'.repeat(32), seq: 100 + id,
});

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
    if (url.startsWith('/api/org-units?parent=540425100')) return json(200, { items: villages });
    const path = url.split('?')[0];
    if (path in routes) return json(200, routes[path]);
    return json(404, { error: { code: 'not_found', message: '找不到 / not found', fields: [] } });
  }));
  return seen;
}

async function mountAt(component: Component, path: string, pattern: string, name: string, role = 'officer', scope = '540425') {
  const pinia = createPinia();
  setActivePinia(pinia);
  const write = role === 'officer' || role === 'admin';
  useSession().me = { username: 'u', role: role as 'officer', role_name: '', scope, scope_name: '', permissions: { write_households: write, manage_users: false, read_audit: false, run_checks: false, masked: !write } };
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: pattern, name, component }, { path: '/:p(.*)*', component: { template: '<p />' } }] });
  await router.push(path);
  const wrapper = mount(component, { global: { plugins: [pinia, i18n, router, ElementPlus] }, attachTo: document.body });
  for (let i = 0; i < 8; i++) await flushPromises();
  return { wrapper, router };
}
const last = <T>(xs: T[] | undefined) => xs?.[xs.length - 1];
const settle = async () => {
  for (let i = 0; i < 8; i++) await flushPromises();
};
const click = (test: string) => (document.querySelector(`[data-test=${test}]`) as HTMLElement).click();

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
  i18n.global.locale.value = 'zh-CN';
});

describe('period picker', { timeout: 30000 }, () => {
  it('writes each kind\'s period in its format', async () => {
    const week = mount(PeriodPicker, { props: { kind: 'weekly', modelValue: '2017-W27' }, global: { plugins: [i18n, ElementPlus] } });
    expect(week.find('[data-test=period-text]').text()).toContain('2017-07-03 至 2017-07-09');
    week.findComponent(ElDatePicker).vm.$emit('update:modelValue', '2017-07-12');
    expect(last(week.emitted('update:modelValue'))).toEqual(['2017-W28']);
    week.findComponent(ElDatePicker).vm.$emit('update:modelValue', '2016-01-01');
    expect(last(week.emitted('update:modelValue'))).toEqual(['2015-W53']);

    const quarter = mount(PeriodPicker, { props: { kind: 'quarterly', modelValue: '2017-Q3' }, global: { plugins: [i18n, ElementPlus] } });
    quarter.findComponent(ElDatePicker).vm.$emit('update:modelValue', '2016');
    expect(last(quarter.emitted('update:modelValue'))).toEqual(['2016-Q3']);
    quarter.findComponent(ElSelect).vm.$emit('update:modelValue', 1);
    expect(last(quarter.emitted('update:modelValue'))).toEqual(['2017-Q1']);

    const month = mount(PeriodPicker, { props: { kind: 'monthly', modelValue: '2017-07' }, global: { plugins: [i18n, ElementPlus] } });
    expect(month.findComponent(ElDatePicker).props('valueFormat')).toBe('YYYY-MM');
    expect(month.find('[data-test=period-text]').text()).toContain('2017-07-01 至 2017-07-31');
    const year = mount(PeriodPicker, { props: { kind: 'annual', modelValue: '2017' }, global: { plugins: [i18n, ElementPlus] } });
    expect(year.findComponent(ElDatePicker).props('valueFormat')).toBe('YYYY');
    expect(year.findComponent(ElDatePicker).props('type')).toBe('year');
  });
});

describe('periodic reports page', { timeout: 30000 }, () => {
  it('shows the document of the kind, unit and period in the URL, its downloads and the issued ones', async () => {
    const seen = serve({ '/api/reports/periodic': { document: annualDocument }, '/api/reports/issued': { issued: [meta(5, '2016')], total: 1 } });
    const { wrapper: w } = await mountAt(PeriodicReportPage, '/reports/periodic?kind=annual&unit=540425&period=2017', '/reports/periodic', 'periodic-reports');
    expect(seen).toContain('/api/reports/periodic?kind=annual&unit=540425&period=2017&format=json');
    expect(seen).toContain('/api/reports/issued?unit=540425&kind=annual&limit=100&offset=0');
    expect(w.find('[data-test=doc-title]').text()).toBe('察隅县 2017 年脱贫攻坚年总结');
    expect(w.find('[data-test=section-task]').exists()).toBe(true);
    expect(w.find('[data-test=download-xlsx]').attributes('href')).toBe('/api/reports/periodic?kind=annual&unit=540425&period=2017&format=xlsx');
    expect(w.find('[data-test=download-pdf]').attributes('href')).toBe('/api/reports/periodic?kind=annual&unit=540425&period=2017&format=pdf');
    expect(w.find('[data-test=issued-5]').text()).toContain('2016');
    expect(w.find('[data-test=issued-5]').text()).toContain('2018-01-01 00:30');  // Beijing time
    expect(w.find('[data-test=issued-5] a').attributes('href')).toBe('/reports/issued/5');
    expect(w.find('[data-test=period-picker]').attributes('data-period')).toBe('2017');
  });

  it('defaults to the account\'s unit and this month, and keeps the time when the kind changes', async () => {
    const seen = serve({ '/api/reports/periodic': { document: annualDocument }, '/api/reports/issued': { issued: [], total: 0 } });
    const { wrapper: w, router } = await mountAt(PeriodicReportPage, '/reports/periodic', '/reports/periodic', 'periodic-reports');
    const month = currentPeriod('monthly', beijingToday());
    expect(seen).toContain(`/api/reports/periodic?kind=monthly&unit=540425&period=${month}&format=json`);
    w.findComponent(ElSelect).vm.$emit('update:modelValue', 'quarterly');
    await settle();
    expect(w.find('[data-test=period-picker]').attributes('data-period')).toBe(currentPeriod('quarterly', beijingToday()));
    w.findComponent(ElSelect).vm.$emit('update:modelValue', 'annual');
    await settle();
    expect(w.find('[data-test=period-picker]').attributes('data-period')).toBe(beijingToday().slice(0, 4));
    click('query');
    await settle();
    expect(router.currentRoute.value.query).toEqual({ kind: 'annual', unit: '540425', period: beijingToday().slice(0, 4) });
  });

  it('offers the county, the battles and the townships to a county account; the villages of the township chosen', async () => {
    serve({ '/api/reports/periodic': { document: annualDocument }, '/api/reports/issued': { issued: [], total: 0 } });
    await mountAt(PeriodicReportPage, '/reports/periodic?kind=annual&unit=540425100&period=2017', '/reports/periodic', 'periodic-reports');
    const codes = [...document.querySelectorAll('.el-select-dropdown__item')].map((e) => e.getAttribute('data-code')).filter(Boolean);
    expect(codes).toEqual(expect.arrayContaining(['540425', 'industry', 'guarantee', '540425100', '540425200', '540425100101', '540425100102']));
  });

  it('offers a township account its township and villages only', async () => {
    serve({ '/api/reports/periodic': { document: annualDocument }, '/api/reports/issued': { issued: [], total: 0 } });
    await mountAt(PeriodicReportPage, '/reports/periodic', '/reports/periodic', 'periodic-reports', 'officer', '540425100');
    const codes = [...document.querySelectorAll('.el-select-dropdown__item')].map((e) => e.getAttribute('data-code')).filter(Boolean);
    expect(codes.sort()).toEqual(['540425100', '540425100101', '540425100102']);
  });

  it('issues the report and links to the issued one', async () => {
    serve({ '/api/reports/periodic': { document: annualDocument }, '/api/reports/issued': { issued: [], total: 0 } }, (url, init) =>
      init?.method === 'POST' && url === '/api/reports/issued' ? [201, { issued: meta(9, '2017'), document: annualDocument }] : undefined);
    const { wrapper: w } = await mountAt(PeriodicReportPage, '/reports/periodic?kind=annual&unit=540425&period=2017', '/reports/periodic', 'periodic-reports');
    await w.find('[data-test=issue]').trigger('click');
    await settle();
    click('issue-confirm');
    await settle();
    expect(posts).toEqual([{ url: '/api/reports/issued', body: { kind: 'annual', unit: '540425', period: '2017' } }]);
    expect(w.find('[data-test=issued-message]').text()).toContain('9');
    expect(w.find('[data-test=issued-link]').attributes('href')).toBe('/reports/issued/9');
  });

  it('says clearly that a period already issued cannot be issued again, with a link to it', async () => {
    serve({ '/api/reports/periodic': { document: annualDocument }, '/api/reports/issued': { issued: [meta(5, '2016'), meta(7, '2017')], total: 2 } }, (url, init) =>
      init?.method === 'POST' && url === '/api/reports/issued'
        ? [409, { error: { code: 'report.already_issued', message_zh: '该报告已发布', message_en: 'already issued', fields: [] } }]
        : undefined);
    const { wrapper: w } = await mountAt(PeriodicReportPage, '/reports/periodic?kind=annual&unit=540425&period=2017', '/reports/periodic', 'periodic-reports');
    await w.find('[data-test=issue]').trigger('click');
    await settle();
    click('issue-confirm');
    await settle();
    expect(posts).toHaveLength(1);
    expect(w.find('[data-test=already-issued]').text()).toContain('本期报告已发布');
    expect(w.find('[data-test=already-link]').attributes('href')).toBe('/reports/issued/7');
    expect(w.find('[data-test=issued-message]').exists()).toBe(false);
  });

  it('shows a refusal in words and offers no issuing to a viewer', async () => {
    serve({ '/api/reports/issued': { issued: [], total: 0 } }, (url) =>
      url.startsWith('/api/reports/periodic') ? [422, { error: { code: 'report.future_period', message_zh: '期间尚未开始', message_en: 'the period has not begun', fields: [] } }] : undefined);
    const { wrapper: w } = await mountAt(PeriodicReportPage, '/reports/periodic?kind=annual&unit=540425&period=2099', '/reports/periodic', 'periodic-reports', 'viewer');
    expect(w.find('[data-test=page-error]').text()).toContain('期间尚未开始');
    expect(w.find('[data-test=issue]').exists()).toBe(false);
  });
});

describe('issued report page', { timeout: 30000 }, () => {
  const compare = {
    report: meta(7, '2017'), previous: meta(5, '2016'),
    rows: [
      { section_id: 'task', section_title_zh: '脱贫任务完成情况', section_title_en: 'Exit targets', label: '竹瓦根镇', column_id: 'exited', column_title_zh: '已脱贫人数', column_title_en: 'Exited persons', type: 'integer', previous: 900, current: 1098, change: 198 },
      { section_id: 'task', section_title_zh: '脱贫任务完成情况', section_title_en: 'Exit targets', label: '竹瓦根镇', column_id: 'funds', column_title_zh: '资金支出', column_title_en: 'Funds spent', type: 'fen', previous: '2000000.00', current: '1234567.50', change: '-765432.50' },
    ],
  };
  it('shows the frozen document, its hash, when and by whom, its downloads, and the comparison coloured and in words', async () => {
    const seen = serve({ '/api/reports/issued/7': { issued: meta(7, '2017'), document: annualDocument }, '/api/reports/issued/7/compare': compare });
    const { wrapper: w } = await mountAt(IssuedReportPage, '/reports/issued/7', '/reports/issued/:id', 'issued-report');
    expect(seen).toContain('/api/reports/issued/7?format=json');
    expect(w.find('[data-test=meta-hash]').text()).toBe('ab'.repeat(32));
    expect(w.find('[data-test=meta-issued-at]').text()).toContain('2018-01-01 00:30:00');
    expect(w.find('[data-test=meta-issued-by]').text()).toBe('officer');
    expect(w.find('[data-test=download-pdf]').attributes('href')).toBe('/api/reports/issued/7?format=pdf');
    expect(w.find('[data-test=download-xlsx]').attributes('href')).toBe('/api/reports/issued/7?format=xlsx');
    expect(w.find('[data-test=doc-title]').exists()).toBe(true);
    await w.find('[data-test=compare]').trigger('click');
    await settle();
    expect(seen).toContain('/api/reports/issued/7/compare');
    const rows = w.findAll('[data-test=compare-row]');
    expect(rows).toHaveLength(2);
    const up = rows[0].find('[data-test=change]');
    expect(up.classes()).toContain('up');
    expect(up.text()).toContain('+198');
    expect(up.text()).toContain('增加');
    const down = rows[1].find('[data-test=change]');
    expect(down.classes()).toContain('down');
    expect(down.text()).toContain('-765,432.50');
    expect(down.text()).toContain('减少');
    expect(rows[1].text()).toContain('2,000,000.00');
    expect(w.find('[data-test=previous-link]').attributes('href')).toBe('/reports/issued/5');
  });

  it('compares with another issued report of the unit and kind when one is chosen', async () => {
    const seen = serve({ '/api/reports/issued/7': { issued: meta(7, '2017'), document: annualDocument }, '/api/reports/issued/7/compare': compare,
      '/api/reports/issued': { issued: [meta(3, '2015'), meta(5, '2016'), meta(7, '2017')], total: 3 } });
    const { wrapper: w } = await mountAt(IssuedReportPage, '/reports/issued/7', '/reports/issued/:id', 'issued-report');
    expect(seen).toContain('/api/reports/issued?unit=540425&kind=annual&limit=100&offset=0');
    const options = [...document.querySelectorAll('.el-select-dropdown__item')].map((e) => e.textContent);
    expect(options).toEqual(['2015 · 编号 3', '2016 · 编号 5']);
    w.findComponent(ElSelect).vm.$emit('update:modelValue', 3);
    await settle();
    await w.find('[data-test=compare]').trigger('click');
    await settle();
    expect(seen).toContain('/api/reports/issued/7/compare?with=3');
  });

  it('says when there is no previous report to compare with', async () => {
    serve({ '/api/reports/issued/5': { issued: meta(5, '2016'), document: annualDocument } }, (url) =>
      url.startsWith('/api/reports/issued/5/compare') ? [404, { error: { code: 'report.no_previous', message_zh: '没有上期', message_en: 'no previous', fields: [] } }] : undefined);
    const { wrapper: w } = await mountAt(IssuedReportPage, '/reports/issued/5', '/reports/issued/:id', 'issued-report');
    await w.find('[data-test=compare]').trigger('click');
    await settle();
    expect(w.find('[data-test=compare-error]').text()).toBe('没有可比较的上期已发布报告。');
  });
});

describe('submission schedule', { timeout: 30000 }, () => {
  const due = {
    as_of: '2017-07-20',
    items: [
      { unit_code: '540425', unit_name: '察隅县', kind: 'monthly', period: '2017-06', due_on: '2017-07-05', state: 'issued', issued_id: 12, issued_at: '2017-07-03T02:00:00Z' },
      { unit_code: '540425', unit_name: '察隅县', kind: 'quarterly', period: '2017-Q2', due_on: '2017-07-10', state: 'overdue', issued_id: null, issued_at: null },
      { unit_code: '540425100', unit_name: '竹瓦根镇', kind: 'weekly', period: '2017-W29', due_on: '2017-07-24', state: 'due', issued_id: null, issued_at: null },
    ],
  };
  it('lists what is owed with its state in words and links to the issued report or to issuing it', async () => {
    const seen = serve({ '/api/reports/due': due });
    const { wrapper: w } = await mountAt(DueReportsPage, '/reports/due?unit=540425&as_of=2017-07-20', '/reports/due', 'due-reports');
    expect(seen).toContain('/api/reports/due?unit=540425&as_of=2017-07-20');
    const rows = w.findAll('[data-test=due-row]');
    expect(rows).toHaveLength(3);
    expect(rows[0].find('[data-test=state]').text()).toContain('已发布');
    expect(rows[1].find('[data-test=state]').text()).toContain('逾期未报');
    expect(rows[1].find('[data-test=state]').classes()).toContain('overdue');
    expect(rows[2].find('[data-test=state]').text()).toContain('待报送');
    expect(rows[0].find('[data-test=open-issued]').attributes('href')).toBe('/reports/issued/12');
    expect(rows[1].find('[data-test=go-issue]').attributes('href')).toBe('/reports/periodic?kind=quarterly&unit=540425&period=2017-Q2');
    expect(w.find('[data-test=due-count]').text()).toContain('逾期 1');
  });

  it('filters by state', async () => {
    serve({ '/api/reports/due': due });
    const { wrapper: w } = await mountAt(DueReportsPage, '/reports/due?unit=540425&as_of=2017-07-20&state=overdue', '/reports/due', 'due-reports');
    const rows = w.findAll('[data-test=due-row]');
    expect(rows).toHaveLength(1);
    expect(rows[0].attributes('data-state')).toBe('overdue');
  });

  it('shows a long schedule two hundred rows at a time', async () => {
    const many = Array.from({ length: 250 }, (_, i) => ({ ...due.items[2], period: `2017-W${String((i % 52) + 1).padStart(2, '0')}`, unit_code: '540425100' + String(i).padStart(3, '0') }));
    serve({ '/api/reports/due': { as_of: '2017-07-20', items: many } });
    const { wrapper: w } = await mountAt(DueReportsPage, '/reports/due?unit=540425&as_of=2017-07-20', '/reports/due', 'due-reports');
    expect(w.findAll('[data-test=due-row]')).toHaveLength(200);
    expect(w.find('[data-test=more]').text()).toContain('50');
    await w.find('[data-test=more]').trigger('click');
    expect(w.findAll('[data-test=due-row]')).toHaveLength(250);
    expect(w.find('[data-test=more]').exists()).toBe(false);
  });

  it('asks for the account\'s unit as of today by default', async () => {
    const seen = serve({ '/api/reports/due': { as_of: beijingToday(), items: [] } });
    const { wrapper: w } = await mountAt(DueReportsPage, '/reports/due', '/reports/due', 'due-reports', 'viewer', '540425100');
    expect(seen).toContain(`/api/reports/due?unit=540425100&as_of=${beijingToday()}`);
    expect(w.find('[data-test=none]').exists()).toBe(true);
  });
});

describe('unit page', { timeout: 30000 }, () => {
  it('a township: its villages and its book as .xlsx and PDF as of the day chosen', async () => {
    serve({});
    const { wrapper: w } = await mountAt(UnitPage, '/units/540425100?as_of=2017-12-31', '/units/:code', 'unit');
    expect(w.find('[data-test=unit-name]').text()).toContain('竹瓦根镇');
    expect(w.find('[data-test=parent]').text()).toContain('察隅县');
    expect(w.find('[data-test=child-540425100101]').attributes('href')).toBe('/units/540425100101');
    expect(w.find('[data-test=download-book-xlsx]').attributes('href')).toBe('/api/org-units/540425100/register?format=xlsx&as_of=2017-12-31');
    expect(w.find('[data-test=download-book-pdf]').attributes('href')).toBe('/api/org-units/540425100/register?format=pdf&as_of=2017-12-31');
    expect(w.find('[data-test=download-cards]').exists()).toBe(false);
    expect(w.find('[data-test=report-annual]').attributes('href')).toBe('/reports/periodic?kind=annual&unit=540425100');
    w.findComponent(ElDatePicker).vm.$emit('update:modelValue', '2016-12-31');
    await settle();
    expect(w.find('[data-test=download-book-pdf]').attributes('href')).toBe('/api/org-units/540425100/register?format=pdf&as_of=2016-12-31');
  });

  it('a village: its name and township, the clarity cards and the register', async () => {
    serve({});
    const { wrapper: w } = await mountAt(UnitPage, '/units/540425100102', '/units/:code', 'unit');
    expect(w.find('[data-test=unit-name]').text()).toContain('格巴村');
    expect(w.find('[data-test=parent-link]').attributes('href')).toBe('/units/540425100');
    expect(w.find('[data-test=download-cards]').attributes('href')).toBe('/api/org-units/540425100102/cards');
    expect(w.find('[data-test=download-register-xlsx]').attributes('href')).toBe('/api/org-units/540425100102/register?format=xlsx');
    expect(w.find('[data-test=download-register-pdf]').attributes('href')).toBe('/api/org-units/540425100102/register?format=pdf');
    expect(w.find('[data-test=children]').exists()).toBe(false);
  });

  it('refuses a code that is no township or village', async () => {
    serve({});
    const { wrapper: w } = await mountAt(UnitPage, '/units/5404251', '/units/:code', 'unit');
    expect(w.find('[data-test=page-error]').text()).toContain('9位');
  });
});
