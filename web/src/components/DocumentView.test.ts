import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { i18n } from '../i18n';
import DocumentView from './DocumentView.vue';
import { annualDocument } from '../testing/document';

const setOption = vi.fn();
vi.mock('../charts', () => ({ echarts: { init: () => ({ setOption, on() {}, off() {}, resize() {}, dispose() {}, getDom: () => null }) } }));

afterEach(() => {
  i18n.global.locale.value = 'zh-CN';
  setOption.mockClear();
});

async function render() {
  const w = mount(DocumentView, { props: { doc: annualDocument }, global: { plugins: [i18n, ElementPlus] } });
  for (let i = 0; i < 4; i++) await flushPromises();
  return w;
}

describe('DocumentView', () => {
  it('shows the title, the facts and every section with its note', async () => {
    const w = await render();
    expect(w.find('[data-test=doc-title]').text()).toBe('察隅县 2017 年脱贫攻坚年总结');
    expect(w.find('[data-test=doc-facts]').text()).toContain('单位');
    expect(w.find('[data-test=doc-facts]').text()).toContain('察隅县');
    expect(w.find('[data-test=section-task] h3').text()).toBe('脱贫任务完成情况');
    expect(w.find('[data-test=section-funds_by_source] [data-test=section-note]').text()).toBe('资金台账本期无记录');
    expect(w.find('[data-test=section-funds_by_source] table').exists()).toBe(false);
  });

  it('types the cells: yuan with separators, percent with %, numbers right-aligned, totals bold', async () => {
    const w = await render();
    const rows = w.findAll('[data-test=section-task] [data-test=doc-row]');
    expect(rows).toHaveLength(3);
    const cells = rows[0].findAll('td').map((c) => c.text());
    expect(cells).toEqual(['竹瓦根镇', '1200', '1098', '91.50%', '1,234,567.50']);
    expect(rows[0].findAll('td').map((c) => c.classes('num'))).toEqual([false, true, true, true, true]);
    expect(w.findAll('[data-test=section-task] th').map((c) => c.classes('num'))).toEqual([false, true, true, true, true]);
    expect(rows[2].classes('total')).toBe(true);
    expect(rows[0].classes('total')).toBe(false);
    expect(rows[1].findAll('td')[4].text()).toBe('0.00');
  });

  it('draws the section\'s chart without the total row, and has signature lines for paper', async () => {
    const w = await render();
    expect(w.findAll('[data-test=doc-chart]')).toHaveLength(1);
    expect(w.find('[data-test=section-task] [data-test=doc-chart]').exists()).toBe(true);
    expect(setOption).toHaveBeenCalled();
    const option = setOption.mock.calls[0][0];
    expect(option.xAxis.data).toEqual(['竹瓦根镇', '上察隅镇']);
    expect(w.find('[data-test=doc-signatures]').text()).toContain('填报人');
    expect(w.find('[data-test=doc-signatures]').text()).toContain('审核人');
  });

  it('follows the language', async () => {
    i18n.global.locale.value = 'en';
    const w = await render();
    expect(w.find('[data-test=doc-title]').text()).toBe('Chayu county: annual summary 2017');
    expect(w.find('[data-test=section-task] th').text()).toBe('Township');
    expect(w.find('[data-test=section-funds_by_source] [data-test=section-note]').text()).toBe('No fund entries this period');
  });
});
