// The battle map: one summary request per view, the unit's own figures, the date and unit put in the URL.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createRouter, createMemoryHistory } from 'vue-router';
import ElementPlus from 'element-plus';
import { i18n } from '../i18n';
import { useSession } from '../stores/session';
import BattleMap from './BattleMap.vue';
import { actingAt, code } from '../testing/catalog';
import type { BattleMapSummary, BattleMapUnit } from '../schemas';

vi.mock('../charts', () => ({ echarts: { init: () => ({ setOption() {}, on() {}, off() {}, resize() {}, dispose() {}, getDom: () => null }) } }));

const plan = { measures: [], battles: [{ id: 'industry', name: '产业战役', owner: '', units: [] }], townships: [{ code: '540425100', name: '竹瓦根镇', exit_targets: { 2016: 370, 2017: 241 } }], start_year: 2016, end_year: 2018, county_code: '540425', county_name: '察隅县' };
const unit = (over: Partial<BattleMapUnit>): BattleMapUnit => ({
  code: '540425100', name: '竹瓦根镇', level: 'township', target_source: 'plan_township', goal_persons: 611, households: 150, persons: 640, exited_persons: 370,
  task_persons: 241, exited_this_year: 20, remaining_this_year: 221, expected_by_now: 119.5, status: 'red', overdue_households: 2, overdue_persons: 7,
  due_households: 60, due_persons: 230, years: [{ year: 2016, task_persons: 370, planned_persons: 370, exited_persons: 370 }, { year: 2017, task_persons: 241, planned_persons: 241, exited_persons: 20 }, { year: 2018, task_persons: 0, planned_persons: 0, exited_persons: 0 }],
  ...over,
});
const summary: BattleMapSummary = {
  as_of: '2017-06-30', date_defaulted: true, last_change_date: '2017-06-30', year: 2017, days_left: 184, elapsed_share: 0.4959, amber_share: 0.8, start_year: 2016, end_year: 2018,
  unit: unit({}),
  children: [unit({ code: '540425100201', name: '知美村委会', level: 'village', target_source: 'planned_exit_year', goal_persons: 40, task_persons: 10, exited_this_year: 6, remaining_this_year: 4, status: 'green' })],
  measures: [{
    number: 1, name: '产业扶持', battle: 'industry', target_households: null, target_persons: null, planned_households: 90, reached_households: 61,
    beneficiaries: 250, items: 70, unsigned_items: 3, amount: '120500.5', stages: [], others: [],
  }],
  causes: [{ code: code('cause', '缺技术'), households: 80 }], attributes: [{ code: code('attribute', '一般贫困户'), households: 150 }], reconcile_findings: 4,
};

function serve() {
  const seen: string[] = [];
  vi.stubGlobal('fetch', vi.fn((url: string) => {
    seen.push(url);
    const json = (body: unknown) => Promise.resolve(new Response(JSON.stringify(body), { status: 200 }));
    if (url === '/api/codes') return json(actingAt(['township']));
    if (url === '/api/plan') return json(plan);
    if (url.startsWith('/api/reports/summary')) return json(summary);
    return Promise.resolve(new Response(JSON.stringify({ error: { code: 'not_found', message: 'x', fields: [] } }), { status: 404 }));
  }));
  return seen;
}

afterEach(() => vi.unstubAllGlobals());

describe('battle map', () => {
  it('shows the township officer the township\'s own goal, one summary request, and puts unit and date in the URL', async () => {
    const seen = serve();
    const pinia = createPinia();
    setActivePinia(pinia);
    useSession().me = { username: 'officer', role: 'officer', role_name: '', scope: '540425100', scope_name: '竹瓦根镇', permissions: { write_households: true, manage_users: false, read_audit: false, run_checks: true, masked: false } };
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/', component: BattleMap }, { path: '/:p(.*)*', component: { template: '<p />' } }] });
    await router.push('/');
    const wrapper = mount(BattleMap, { global: { plugins: [pinia, i18n, router, ElementPlus] } });
    for (let i = 0; i < 5; i++) await flushPromises();
    const summaries = seen.filter((u) => u.startsWith('/api/reports') || u.startsWith('/api/reconcile') || u.startsWith('/api/households'));
    expect(summaries).toHaveLength(1);
    expect(wrapper.find('[data-test=goal]').text()).toContain('611');
    expect(wrapper.find('[data-test=goal]').text()).not.toContain('6,160');
    expect(wrapper.find('[data-test=percent]').text()).toContain('60.6%');
    expect(wrapper.find('[data-test=task]').text()).toBe('241');
    expect(wrapper.find('[data-test=days-left]').text()).toBe('184');
    expect(wrapper.find('[data-test=quality-link]').text()).toContain('(4)');
    expect(wrapper.findAll('[data-test=rag]').map((r) => r.attributes('data-status'))).toEqual(['green']);
    expect(wrapper.find('[data-test=measures]').text()).not.toContain('目标');
    // Delivered figures: planned, reached (with the unconfirmed items), beneficiaries.
    expect(wrapper.find('[data-test=measures] [data-test=reached]').text()).toContain('61');
    expect(wrapper.find('[data-test=measures] [data-test=reached]').text()).toContain('未签收 3');
    expect(wrapper.find('[data-test=measures]').text()).toContain('250');
    expect(router.currentRoute.value.query).toMatchObject({ unit: '540425100', as_of: '2017-06-30' });
    // Each child unit links to its printed documents (/units/:code).
    expect(wrapper.find('[data-test=child-unit]').attributes('href')).toBe('/units/540425100201');
  }, 30000);
});
