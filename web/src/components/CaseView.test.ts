import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createRouter, createMemoryHistory } from 'vue-router';
import ElementPlus from 'element-plus';
import CaseView from './CaseView.vue';
import { i18n } from '../i18n';
import { useSession, type Me } from '../stores/session';
import { catalog } from '../testing/catalog';

const exitCase = {
  id: 7, version: 3, kind: 'exit', kind_zh: '脱贫退出', household_code: '5404251001010001', head_name: '扎西', division_code: '540425100101', year: 2017,
  state: 'agreed', state_zh: '户已认可', open: true, persons: 4,
  steps: [
    { step: 'propose', date: '2017-03-01', actor: 'officer', at: '', outcome: 'passed', notes: '', from_state: '', to_state: 'proposed' },
    { step: 'agree', date: '2017-03-04', actor: 'officer', at: '', outcome: 'agreed', notes: '户主签字', from_state: 'verified', to_state: 'agreed' },
  ],
  household: null, exclusions: [], reason: '', notice_until: null, member_change: null, member_id_number: '',
  next_step: { step: 'notice', step_zh: '公示', level: 'village', level_zh: '村', not_before: null }, allowed_steps: ['notice'],
};

function serve(stepAnswer: { status: number; body: unknown }, kase: unknown = exitCase) {
  const posts: unknown[] = [];
  vi.stubGlobal('fetch', vi.fn((url: string, init: RequestInit) => {
    const json = (status: number, body: unknown) => Promise.resolve(new Response(JSON.stringify(body), { status }));
    if (url === '/api/codes') return json(200, catalog);
    if (url === '/api/plan') return json(200, { measures: [], battles: [], townships: [], end_year: 2018, county_code: '540425', county_name: '察隅县' });
    if (url.startsWith('/api/org-units')) return json(200, { items: [{ code: '540425100101', name: '某村', parent: '540425100', level: 'village', has_children: false }] });
    if (url === '/api/procedures/7') return json(200, kase);
    if (url === '/api/procedures/7/steps') {
      posts.push(JSON.parse(String(init.body)));
      return json(stepAnswer.status, stepAnswer.body);
    }
    return json(404, { error: { code: 'x', message: 'not found', fields: [] } });
  }));
  return posts;
}

async function mountAs(role: Me['role'], scope = '540425') {
  const pinia = createPinia();
  setActivePinia(pinia);
  useSession().me = { username: role, role, role_name: role, scope, scope_name: '', permissions: { write_households: role === 'admin' || role === 'officer', manage_users: false, read_audit: false, run_checks: false, masked: false } };
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<p />' } }] });
  const wrapper = mount(CaseView, { props: { id: 7 }, global: { plugins: [pinia, i18n, router, ElementPlus] } });
  await flushPromises();
  return wrapper;
}

afterEach(() => vi.unstubAllGlobals());

describe('CaseView', () => {
  it('shows the steps and the village, and no step form to a viewer or an inspector', async () => {
    serve({ status: 200, body: exitCase });
    for (const role of ['viewer', 'inspector'] as const) {
      const w = await mountAs(role);
      expect(w.find('[data-test=case-steps]').text()).toContain('户主签字');
      expect(w.text()).toContain('某村');
      expect(w.find('[data-test=step-form]').exists()).toBe(false);
    }
  });

  it('takes the next step with the case’s version, and shows a refusal in the server’s words', async () => {
    const posts = serve({ status: 409, body: { error: { code: 'procedure.step', message: '此时应办理公示 / a notice is expected', fields: [] } } });
    const w = await mountAs('officer');
    expect(w.find('[data-test=step-form]').exists()).toBe(true);
    await w.find('textarea[data-test=step-notes], [data-test=step-notes] textarea').setValue('张贴于村委会');
    await w.find('form').trigger('submit');
    await flushPromises();
    expect(posts).toEqual([{ step: 'notice', date: '2017-03-04', notes: '张贴于村委会', version: 3 }]);
    expect(w.find('[data-test=step-error]').text()).toContain('此时应办理公示');
  });

  it('names the head, and says an outcome only when it adds something', async () => {
    serve({ status: 200, body: exitCase });
    const w = await mountAs('viewer');
    expect(w.find('[data-test=case-head]').text()).toBe('扎西');
    const steps = w.find('[data-test=case-steps]').text();
    expect(steps).toContain('提出退出');
    expect(steps).not.toMatch(/提出退出\s*·\s*通过/);
    expect(steps).not.toMatch(/农户认可\s*·\s*同意/);
    serve({ status: 200, body: {} }, {
      ...exitCase, state: 'rejected', state_zh: '未通过', open: false, next_step: null, allowed_steps: [],
      steps: [...exitCase.steps, { step: 'agree', date: '2017-03-05', actor: 'officer', at: '2017-03-05T02:00:00Z', outcome: 'disagreed', notes: '', from_state: 'verified', to_state: 'rejected' }],
    });
    const r = await mountAs('viewer');
    expect(r.find('[data-test=case-steps]').text()).toMatch(/农户认可\s*·\s*不同意/);
    expect(r.find('[data-test=step-at]').text()).toContain('2017-03-05 10:00');
  });

  it('starts the date on the first day after the notice, and the picker refuses the notice’s days', async () => {
    const onNotice = {
      ...exitCase, version: 4, state: 'notice', state_zh: '公示中', notice_until: '2017-03-11',
      steps: [...exitCase.steps, { step: 'notice', date: '2017-03-05', actor: 'officer', at: '', outcome: 'passed', notes: '', from_state: 'agreed', to_state: 'notice' }],
      next_step: { step: 'announce', step_zh: '公告', level: 'county', level_zh: '县', not_before: '2017-03-12' }, allowed_steps: ['object', 'announce'],
    };
    const posts = serve({ status: 409, body: { error: { code: 'x', message: 'no', fields: [] } } }, onNotice);
    const w = await mountAs('admin');
    expect(w.find('[data-test=step-date-hint]').text()).toContain('2017-03-12');
    await w.find('form').trigger('submit');
    await flushPromises();
    expect(posts).toEqual([{ step: 'announce', date: '2017-03-12', version: 4 }]);
    const picker = w.findComponent({ name: 'ElDatePicker' });
    const refused = picker.props('disabledDate') as (d: Date) => boolean;
    expect(refused(new Date(2017, 2, 8))).toBe(true);
    expect(refused(new Date(2017, 2, 11))).toBe(true);
    expect(refused(new Date(2017, 2, 12))).toBe(false);
  });

  it('says when the case changed underneath', async () => {
    serve({ status: 412, body: { error: { code: 'procedure.stale', message: '已被修改 / stale', fields: [] } } });
    const w = await mountAs('admin');
    await w.find('form').trigger('submit');
    await flushPromises();
    expect(w.find('[data-test=step-stale]').exists()).toBe(true);
    expect(w.find('[data-test=step-error]').exists()).toBe(false);
  });
});
