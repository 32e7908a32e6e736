import { describe, expect, it } from 'vitest';
import {
  coverGrid, deliveryOf, emptyDraft, formatYuan, incomeBody, incomeDraft, incomeSeries, isGap, isYuan, itemBody, itemState,
  mayDelete, maySign, percentOf, permilleText, timeline,
} from './ledger';
import type { CoverageYearView, IncomeRecord, IncomeYear } from './schemas';

// An income record as the server answers it, with the given parts.
const record = (over: Partial<IncomeRecord>): IncomeRecord => ({
  household_code: 'h', year: 2017, persons: 1, version: 1, division_code: '540425100201', notes: '', has_parts: true,
  wage: null, production: null, property: null, transfer: null, production_costs: null, net_income: null, net_income_per_head: null, ...over,
});

describe('formatYuan', () => {
  it('groups digits and keeps every fen, from the text', () => {
    expect(formatYuan('1520.5')).toBe('1,520.50');
    expect(formatYuan('800')).toBe('800.00');
    expect(formatYuan('0.07')).toBe('0.07');
    expect(formatYuan('-3')).toBe('-3.00');
    expect(formatYuan('12345678901234567.89')).toBe('12,345,678,901,234,567.89');  // past a double's precision
    expect(formatYuan('007')).toBe('7.00');
  });
  it('shows a dash for nothing and leaves anything else as it came', () => {
    expect(formatYuan(null)).toBe('–');
    expect(formatYuan('')).toBe('–');
    expect(formatYuan('abc')).toBe('abc');
  });
});

describe('isYuan', () => {
  it('takes yuan with at most two decimals', () => {
    expect(isYuan('3520.5')).toBe(true);
    expect(isYuan(' 12 ')).toBe(true);
    expect(isYuan('1.234')).toBe(false);
    expect(isYuan('-1')).toBe(false);
    expect(isYuan('1,000')).toBe(false);
  });
});

describe('shares', () => {
  it('per mille as a percentage with one decimal', () => {
    expect(permilleText(123)).toBe('12.3%');
    expect(permilleText(1000)).toBe('100.0%');
    expect(permilleText(5)).toBe('0.5%');
    expect(permilleText(null)).toBe('–');
  });
  it('percentages for bars, capped, 0 without a whole', () => {
    expect(percentOf(1, 3)).toBe(33);
    expect(percentOf(5, 4)).toBe(100);
    expect(percentOf(5, 0)).toBe(0);
    expect(percentOf(5, null)).toBe(0);
  });
  it("a measure's delivery: planned households not reached count only the planned ones reached", () => {
    const d = deliveryOf({ planned_households: 10, reached_households: 8, reached_planned: 6, target_households: 20, beneficiaries: 30, target_persons: 60 });
    expect(d).toEqual({ reachedOfPlanned: 80, reachedOfTarget: 40, beneficiariesOfTarget: 50, notReached: 4 });
    expect(deliveryOf({ planned_households: 3, reached_households: 5, target_households: null, beneficiaries: 0, target_persons: null }).notReached).toBe(0);
  });
});

describe('the timeline', () => {
  const item = (code: string, start: string, deleted = false, signed: string | null = null) => ({ item_code: code, start_date: start, deleted, signed_on: signed });
  it('orders by start date, deleted items last', () => {
    const sorted = timeline([item('c', '2017-05-01', true), item('b', '2017-03-01'), item('a', '2017-04-01'), item('d', '2017-03-01')]);
    expect(sorted.map((i) => i.item_code)).toEqual(['b', 'd', 'a', 'c']);
  });
  it('says what an item is and what may still be done with it', () => {
    expect(itemState(item('a', '2017-01-01'))).toBe('unsigned');
    expect(itemState(item('a', '2017-01-01', false, '2017-01-02'))).toBe('signed');
    expect(itemState(item('a', '2017-01-01', true, '2017-01-02'))).toBe('deleted');
    expect(maySign(item('a', '2017-01-01'))).toBe(true);
    expect(maySign(item('a', '2017-01-01', false, '2017-01-02'))).toBe(false);
    expect(maySign(item('a', '2017-01-01', true))).toBe(false);
    expect(mayDelete(item('a', '2017-01-01', false, '2017-01-02'))).toBe(true);
    expect(mayDelete(item('a', '2017-01-01', true))).toBe(false);
  });
});

describe('the cover grid', () => {
  const years: CoverageYearView[] = [
    { year: 2018, persons: [{ id_number: '540425************', name: '甲', basic_medical_insurance: true }], gaps: { medical_uninsured: 0, serious_uninsured: 0, pension_missing: 0 } },
    {
      year: 2017,
      persons: [
        { id_number: '540425************', name: '乙', basic_medical_insurance: false },
        { id_number: '540425************', name: '丙', dibao: true },
      ],
      gaps: { medical_uninsured: 1, serious_uninsured: 0, pension_missing: 0 },
    },
  ];
  it('keeps masked members apart by name, members first, years ascending', () => {
    const grid = coverGrid([{ id_number: '540425************', name: '甲' }, { id_number: '540425************', name: '乙' }], years);
    expect(grid.years).toEqual([2017, 2018]);
    expect(grid.rows.map((r) => r.name)).toEqual(['甲', '乙', '丙']);
    expect(grid.rows[0].cells[2018]?.basic_medical_insurance).toBe(true);
    expect(grid.rows[0].cells[2017]).toBeUndefined();
    expect(isGap(grid.rows[1].cells[2017])).toBe(true);
    expect(isGap(grid.rows[2].cells[2017])).toBe(false);  // 低保 is membership, not a gap
    expect(isGap(undefined)).toBe(false);
    expect(isGap({ pension_insurance: null })).toBe(false);  // not recorded: not judged
  });
});

describe('bodies', () => {
  it('an item: empty texts left out, amounts as typed, a period only with a periodic amount', () => {
    const d = emptyDraft('540425100001001', 8, '2017-03-01');
    d.member_ids = ['540425199001011234'];
    d.category = 11;
    d.kind = 1;
    d.amount = ' 1520.50 ';
    d.period = 1;
    expect(itemBody(d)).toEqual({
      household_code: '540425100001001', member_ids: ['540425199001011234'], measure: 8, category: 11, kind: 1,
      start_date: '2017-03-01', fund_ref: '', notes: '', amount: '1520.50',
    });
    d.periodic_amount = '300';
    d.end_date = '2017-12-31';
    expect(itemBody(d)).toMatchObject({ periodic_amount: '300', period: 1, end_date: '2017-12-31' });
  });
  it('income: the stored record as the draft, blank parts sent as null', () => {
    const y: IncomeYear = {
      year: 2017, record: record({ persons: 4, version: 3, wage: '1000', notes: 'x' }),
      net_income: '1000', net_income_per_head: '250', from_assistance: { transfer: '0', property: '0', total: '0' }, policy_share_permille: null,
    };
    const d = incomeDraft(2017, 5, y);
    expect(d.version).toBe(3);
    expect(d.persons).toBe(4);
    expect(d.parts.wage).toBe('1000');
    expect(incomeBody(d)).toEqual({ version: 3, persons: 4, notes: 'x', wage: '1000', production: null, property: null, transfer: null, production_costs: null });
    expect(incomeDraft(2019, 5).version).toBe(0);
    expect(incomeDraft(2019, 5).persons).toBe(5);
  });
  it('the chart: years with a record, costs drawn below the axis', () => {
    const s = incomeSeries([
      { year: 2016, record: null, net_income: null, net_income_per_head: null, from_assistance: { transfer: '0', property: '0', total: '0' }, policy_share_permille: null },
      { year: 2017, record: record({ wage: '1000.5', production_costs: '20' }), net_income: '980.5', net_income_per_head: '980.5', from_assistance: { transfer: '0', property: '0', total: '0' }, policy_share_permille: null },
    ]);
    expect(s.years).toEqual([2017]);
    expect(s.series.find((x) => x.part === 'wage')?.values).toEqual([1000.5]);
    expect(s.series.find((x) => x.part === 'production_costs')?.values).toEqual([-20]);
    expect(s.series.find((x) => x.part === 'transfer')?.values).toEqual([null]);
  });
});
