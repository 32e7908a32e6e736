// A small periodic report as the server sends it (Document JSON, common17.md), for the tests.
import type { Document } from '../reports-types';

export const annualDocument: Document = {
  kind: 'annual', title_zh: '察隅县 2017 年脱贫攻坚年总结', title_en: 'Chayu county: annual summary 2017',
  unit: { code: '540425', name: '察隅县' }, period: '2017', from: '2017-01-01', to: '2017-12-31', as_of: '2017-12-31',
  facts: [{ label_zh: '单位', label_en: 'Unit', value: '察隅县' }, { label_zh: '截至', label_en: 'As of', value: '2017-12-31' }],
  sections: [
    {
      id: 'task', title_zh: '脱贫任务完成情况', title_en: 'Exit targets', note_zh: '', note_en: '',
      columns: [
        { id: 'township', title_zh: '乡镇', title_en: 'Township', type: 'text' },
        { id: 'target', title_zh: '任务人数', title_en: 'Target persons', type: 'integer' },
        { id: 'exited', title_zh: '已脱贫人数', title_en: 'Exited persons', type: 'integer' },
        { id: 'share', title_zh: '完成率', title_en: 'Done', type: 'percent' },
        { id: 'funds', title_zh: '资金支出', title_en: 'Funds spent', type: 'fen' },
      ],
      rows: [
        { cells: ['竹瓦根镇', 1200, 1098, '91.50', '1234567.5'], total: false },
        { cells: ['上察隅镇', 800, 800, '100.00', '0.00'], total: false },
        { cells: ['合计', 2000, 1898, '94.90', '1234567.50'], total: true },
      ],
      chart: { kind: 'bar', label_column: 0, value_columns: [1, 2] },
    },
    {
      id: 'funds_by_source', title_zh: '资金支出', title_en: 'Funds', note_zh: '资金台账本期无记录', note_en: 'No fund entries this period',
      columns: [{ id: 'source', title_zh: '来源', title_en: 'Source', type: 'text' }, { id: 'amount', title_zh: '金额', title_en: 'Amount', type: 'fen' }],
      rows: [],
    },
  ],
  signatures: ['填报人', '审核人'],
};
