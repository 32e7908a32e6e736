// The data-quality page names rules, severities and the reconciliation's kinds and columns, in the
// chosen language (fetch stubbed by route; the catalog is the server's own answer).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import ElementPlus from 'element-plus';
import QualityPage from './QualityPage.vue';
import { i18n } from '../i18n';
import { catalog } from '../testing/catalog';

const plan = { measures: [], battles: [], townships: [{ code: '540425100', name: '竹瓦根镇', exit_targets: {} }], start_year: 2016, end_year: 2018, county_code: '540425', county_name: '察隅县' };
const check = {
  as_of: '2017-12-31',
  counts: {},
  findings: [{
    rule: 'pairing.missing', severity: 'warning', household_code: '5404251001010001', id_number: null, division_code: '540425100101',
    message: '未脱贫户没有帮扶责任人 / no pairing cadre', message_zh: '未脱贫户没有帮扶责任人', message_en: 'no pairing cadre',
  }],
};
const reconcile = {
  as_of: '2017-12-31',
  findings: [{
    kind: 'plan_total_mismatch', scope: '540425', year: 2017, measure: null, quantity: 'persons', expected: 2365, actual: 2364,
    message: '方案正文写2017年2,364 / the plan states 2,364', message_zh: '方案正文写2017年2,364', message_en: 'the plan states 2,364',
  }],
};

afterEach(() => {
  vi.unstubAllGlobals();
  i18n.global.locale.value = 'zh-CN';
});

describe('QualityPage', () => {
  it('names rules, severities, kinds and columns, and follows the language', async () => {
    vi.stubGlobal('fetch', vi.fn((url: string) => {
      const json = (body: unknown) => Promise.resolve(new Response(JSON.stringify(body), { status: 200 }));
      if (url === '/api/codes') return json(catalog);
      if (url === '/api/plan') return json(plan);
      if (url === '/api/check') return json(check);
      if (url === '/api/reconcile') return json(reconcile);
      return Promise.resolve(new Response('{}', { status: 404 }));
    }));
    setActivePinia(createPinia());
    const w = mount(QualityPage, { global: { plugins: [i18n, ElementPlus], stubs: { RouterLink: true } } });
    await flushPromises();
    await flushPromises();
    const title = w.find('[data-test=check] .el-collapse-item__header').text();
    expect(title).toContain('未脱贫户没有帮扶责任人');
    expect(title).toContain('警告');
    expect(title).toContain('竹瓦根镇');
    expect(title).not.toContain('pairing.missing');
    const table = w.find('[data-test=reconcile]').text();
    for (const word of ['核对类型', '范围', '应为', '实际', '计划合计不符', '察隅县', '2,365 人']) expect(table).toContain(word);
    expect(table).not.toContain('plan_total_mismatch');
    expect(table).not.toContain(' / the plan');
    i18n.global.locale.value = 'en';
    await flushPromises();
    expect(w.find('[data-test=check] .el-collapse-item__header').text()).toContain('Warning');
    const en = w.find('[data-test=reconcile]').text();
    for (const word of ['Kind', 'Expected', 'Actual', 'Plan totals disagree', 'the plan states 2,364']) expect(en).toContain(word);
    expect(en).not.toContain('方案正文');
  });
});
