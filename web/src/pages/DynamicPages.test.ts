// The dynamic-management pages render the server's answers (fetch stubbed by route).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createRouter, createMemoryHistory } from 'vue-router';
import ElementPlus from 'element-plus';
import type { Component } from 'vue';
import { i18n } from '../i18n';
import { useSession, type Me } from '../stores/session';
import ExitCandidatesPage from './ExitCandidatesPage.vue';
import AdjustmentPage from './AdjustmentPage.vue';
import IncidencePage from './IncidencePage.vue';
import EvaluationPage from './EvaluationPage.vue';
import ProceduresPage from './ProceduresPage.vue';
import HouseholdDynamic from '../components/HouseholdDynamic.vue';
import type { Level } from '../schemas';
import { actingAt, code } from '../testing/catalog';

// The levels the signed-in account acts at, as the server's catalog says (mountAt sets them).
let levels: Level[] = ['village', 'township', 'county'];

const plan = { measures: [], battles: [], townships: [{ code: '540425100', name: '竹瓦根镇', exit_targets: {} }], start_year: 2016, end_year: 2018, county_code: '540425', county_name: '察隅县' };
const counts = { exits: 3, exit_persons: 11, new_identifications: 1, new_persons: 4, fallbacks: 0, fallback_persons: 0, deregistrations: 0, deregistered_persons: 0, members_in: 0, members_out: 1, buffer_ends: 0, open_cases: 2 };
const step = (s: string, date: string, outcome = 'passed') => ({ step: s, date, actor: 'officer', at: '', outcome, notes: '', from_state: '', to_state: '' });
const exitCase = {
  id: 9, version: 2, kind: 'exit', kind_zh: '脱贫退出', household_code: '5404251001010001', division_code: '540425100101', year: 2017, state: 'appraised', state_zh: '已评议',
  open: true, persons: 4, steps: [step('propose', '2017-03-01'), step('appraise', '2017-03-05')], household: null, exclusions: [], reason: '', notice_until: null,
  member_change: null, member_id_number: '', next_step: { step: 'verify', step_zh: '核实', level: 'village', level_zh: '村', not_before: null }, allowed_steps: ['verify'],
};

function serve(routes: Record<string, unknown>) {
  const seen: string[] = [];
  vi.stubGlobal('fetch', vi.fn((url: string) => {
    seen.push(url);
    const json = (status: number, body: unknown) => Promise.resolve(new Response(JSON.stringify(body), { status }));
    if (url === '/api/codes') return json(200, actingAt(levels));
    if (url === '/api/plan') return json(200, plan);
    if (url.startsWith('/api/org-units')) return json(200, { items: [{ code: '540425100101', name: '某村', parent: '540425100', level: 'village', has_children: false }] });
    const path = url.split('?')[0];
    if (path in routes) return json(200, routes[path]);
    return json(404, { error: { code: 'not_found', message: '找不到 / not found', fields: [] } });
  }));
  return seen;
}

async function mountAt(page: Component, path: string, routePath: string, name: string, me: Partial<Me> = {}, props: Record<string, unknown> = {}, acts: Level[] = ['village', 'township', 'county']) {
  levels = acts;
  const pinia = createPinia();
  setActivePinia(pinia);
  useSession().me = { username: 'admin', role: 'admin', role_name: '管理员', scope: '540425', scope_name: '察隅县', permissions: { write_households: true, manage_users: true, read_audit: true, run_checks: true, masked: false }, ...me };
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: routePath, name, component: page }, { path: '/:p(.*)*', component: { template: '<p />' } }] });
  await router.push(path);
  const wrapper = mount(page, { props, global: { plugins: [pinia, i18n, router, ElementPlus] } });
  await flushPromises();
  await flushPromises();
  return { wrapper, router };
}

afterEach(() => vi.unstubAllGlobals());

describe('exit candidates page', () => {
  it('shows the counts, the townships and the unmet conditions with their details', async () => {
    const seen = serve({
      '/api/exit-candidates': {
        year: 2017, as_of: '2017-12-31', poverty_line_yuan: '2952', total_candidates: 12, total_not_ready: 5,
        townships: [{ code: '540425100', name: '竹瓦根镇', candidates: 12, candidate_persons: 40, not_ready: 5, not_ready_persons: 20 }],
        unmet_counts: [{ id: 'housing', households: 3 }],
        items: [{ household_code: '5404251001010001', division_code: '540425100101', head_name: '扎西', status: code('status', '未脱贫'), persons: 4, net_income_per_head: '2100.00', planned_exit_year: 2017,
          unmet: [{ id: 'housing', standard: 'housing', name_zh: '住危房', name_en: 'dangerous housing', detail_zh: '住房为危房', detail_en: 'dangerous' }] }],
      },
    });
    const { wrapper } = await mountAt(ExitCandidatesPage, '/exit-candidates?year=2017&which=not_ready', '/exit-candidates', 'exit-candidates');
    expect(seen).toContain('/api/exit-candidates?year=2017&which=not_ready&offset=0&limit=50');
    expect(wrapper.find('[data-test=total-candidates]').text()).toBe('12');
    expect(wrapper.find('[data-test=cand-townships]').text()).toContain('竹瓦根镇');
    expect(wrapper.find('[data-test=unmet-counts]').text()).toContain('住房无保障');
    expect(wrapper.find('[data-test=cand-items]').text()).toContain('扎西');
    expect(wrapper.find('[data-test=unmet-tag]').text()).toBe('住危房');
    expect(wrapper.find('[data-test=cand-items]').text()).toContain('某村');
  });
});

describe('adjustment page', () => {
  const adjustment = { year: 2017, townships: [{ code: '540425100', name: '竹瓦根镇', counts }], total: counts, approval: null };
  it('offers the county approval to a county administrator', async () => {
    serve({ '/api/adjustments/2017': adjustment });
    const { wrapper } = await mountAt(AdjustmentPage, '/adjustments/2017', '/adjustments/:year?', 'adjustments');
    expect(wrapper.findAll('[data-test=adjustment] tbody tr').length).toBe(2);
    expect(wrapper.find('[data-test=adjustment]').text()).toContain('合计');
    expect(wrapper.find('[data-test=approval-state]').text()).toBe('未审定');
    expect(wrapper.find('[data-test=approve]').exists()).toBe(true);
  });
  it('does not offer it to a township officer', async () => {
    serve({ '/api/adjustments/2017': adjustment });
    const { wrapper } = await mountAt(AdjustmentPage, '/adjustments/2017', '/adjustments/:year?', 'adjustments', { role: 'officer', scope: '540425100' }, {}, ['village', 'township']);
    expect(wrapper.find('[data-test=adjustment]').exists()).toBe(true);
    expect(wrapper.find('[data-test=approve]').exists()).toBe(false);
  });
});

describe('incidence page', () => {
  it('shows the county against its threshold, and lets a county writer edit a population', async () => {
    const unit = (code: string, name: string, level: string, incidence: number | null, population: number | null) => ({
      code, name, level, poor_persons: 30, poor_households: 8, population, population_summed: false, incidence, threshold: 0.03, meets_threshold: incidence === null ? null : incidence < 0.03,
    });
    serve({ '/api/incidence': { year: 2017, county: unit('540425', '察隅县', 'county', 0.0412, 30000), townships: [unit('540425100', '竹瓦根镇', 'township', 0.02, 1500)], villages: [unit('540425100101', '某村', 'village', null, null)] } });
    const { wrapper } = await mountAt(IncidencePage, '/incidence?year=2017', '/incidence', 'incidence');
    expect(wrapper.find('[data-test=county-incidence]').text()).toBe('4.12%');
    expect(wrapper.find('[data-test=county-meets]').text()).toBe('未达标');
    expect(wrapper.find('[data-test=inc-townships]').text()).toContain('2.00%');
    expect(wrapper.find('[data-test=inc-villages]').text()).toContain('未设置');
    expect(wrapper.findAll('[data-test=population-edit]').length).toBe(2);
  });
  it('says unknown, not "does not meet", when the county has no population', async () => {
    const unit = (code: string, name: string, level: string) => ({
      code, name, level, poor_persons: 30, poor_households: 8, population: null, population_summed: false, incidence: null, threshold: 0.03, meets_threshold: null,
    });
    serve({ '/api/incidence': { year: 2017, county: unit('540425', '察隅县', 'county'), townships: [unit('540425100', '竹瓦根镇', 'township')], villages: [] } });
    const { wrapper } = await mountAt(IncidencePage, '/incidence?year=2017', '/incidence', 'incidence');
    expect(wrapper.find('[data-test=county-meets]').text()).toBe('无法判断');
    expect(wrapper.find('[data-test=county-card]').text()).not.toContain('未达标');
    expect(wrapper.find('[data-test=inc-townships]').text()).not.toContain('未达标');
  });
});

describe('evaluation page', () => {
  it('highlights the vetoed rates and lists the vetoes', async () => {
    serve({
      '/api/evaluations/3': {
        id: 3, version: 1, year: 2017, division_code: '540425', seed: 42, population: 300, drawn_by: 'admin', drawn_at: '2026-01-01T00:00:00Z',
        items: [{ household_code: '5404251001010001', division_code: '540425100101', verdict: 'wrongful', verdict_zh: '错误退出', notes: '', recorded_by: 'admin', recorded_at: '' }],
        non_poor_surveyed: 100, missed_found: 1, approval_surveyed: 100, approval_satisfied: 80,
        rates: { sampled: 1, judged: 1, wrongful: 1, wrongful_exit_rate: 1, missed_rate: 0.01, approval_rate: 0.8, incidence: null,
          vetoes: [{ id: 'wrongful_exit_rate', message_zh: '错退率超过2%', message_en: 'wrongful exits above 2%' }, { id: 'approval_rate', message_zh: '群众认可度低于90%', message_en: 'approval below 90%' }],
          complete: true, passed: false },
      },
    });
    const { wrapper } = await mountAt(EvaluationPage, '/evaluations/3', '/evaluations/:id', 'evaluation');
    expect(wrapper.find('[data-test=rate-approval_rate]').text()).toBe('80.00%');
    expect(wrapper.find('[data-test=rate-approval_rate]').classes()).toContain('vetoText');
    expect(wrapper.find('[data-test=rate-missed_rate]').classes()).not.toContain('vetoText');
    expect(wrapper.find('[data-test=vetoes]').text()).toContain('群众认可度低于90%');
    expect(wrapper.find('[data-test=eval-passed]').text()).toBe('未通过');
  });
});

describe('procedure queue', () => {
  it('lists the cases with their next step and what waits for whom', async () => {
    const seen = serve({ '/api/procedures': { total: 1, items: [exitCase], waiting: [{ township_code: '540425100', township_name: '竹瓦根镇', village: 1, township: 0, county: 0 }] } });
    const { wrapper } = await mountAt(ProceduresPage, '/procedures?kind=exit', '/procedures', 'procedures');
    expect(seen).toContain('/api/procedures?kind=exit&open=true&offset=0&limit=50');
    expect(wrapper.find('[data-test=waiting]').text()).toContain('竹瓦根镇');
    const text = wrapper.find('[data-test=cases]').text();
    expect(text).toContain('5404251001010001');
    expect(text).toContain('核实');
    expect(text).toContain('2017-03-05');
    expect(Number(wrapper.find('[data-test=days]').text())).toBeGreaterThan(3000);
  });
});

describe('household timeline', () => {
  it('shows every case’s steps in date order, and the actions to writers only', async () => {
    const fallback = { ...exitCase, id: 11, kind: 'fallback', kind_zh: '返贫', open: false, steps: [step('record', '2016-06-01', 'recorded')] };
    serve({ '/api/households/5404251001010001/timeline': { household_code: '5404251001010001', cases: [exitCase, fallback] } });
    const props = { code: '5404251001010001', status: code('status', '返贫'), members: [{ name: '扎西', id_number: 'X', relation: code('relation', '本人或户主') }] };
    const { wrapper } = await mountAt(HouseholdDynamic, '/households/5404251001010001', '/households/:code', 'household', {}, props);
    const rows = wrapper.findAll('[data-test=timeline] tbody tr').map((r) => r.text());
    expect(rows.length).toBe(3);
    expect(rows[0]).toContain('返贫');
    expect(rows[1]).toContain('提出退出');
    expect(rows[2]).toContain('民主评议');
    expect(wrapper.find('[data-test=action-exit]').exists()).toBe(true);
    expect(wrapper.find('[data-test=action-fallback]').exists()).toBe(false);

    serve({ '/api/households/5404251001010001/timeline': { household_code: '5404251001010001', cases: [] } });
    const viewer = await mountAt(HouseholdDynamic, '/households/5404251001010001', '/households/:code', 'household', { role: 'viewer', permissions: { write_households: false, manage_users: false, read_audit: false, run_checks: false, masked: true } }, props, []);
    expect(viewer.wrapper.find('[data-test=action-exit]').exists()).toBe(false);
  });
});
