import { describe, expect, it } from 'vitest';
import {
  addDays, allocationBody, allocationProblems, basisPointsText, compareYuan, daysBetween, disposalBody, disposalProblems,
  dividendBody, emptyDisposal, emptyStep, findingMessage, formatYuan, holderKind, isCountyAccount, isMonth, noticePeriod,
  previousMonth, reportDue, shareOf, sortFindings, splitText, stateIndex, stateKey, stepBody, stepKey, sumYuan,
  emptyProject, parseBeneficiaries, projectBody, projectProblems,
} from './funds';

describe('money', () => {
  it('formats decimal strings of yuan with grouping and two decimals', () => {
    expect(formatYuan('1234567.5')).toBe('1,234,567.50');
    expect(formatYuan('0')).toBe('0.00');
    expect(formatYuan(null)).toBe('–');
  });
  it('sums and compares exactly (no floating point)', () => {
    // 0.1 + 0.2 as floating point is 0.30000000000000004; as fen it is 0.30.
    expect(sumYuan(['0.1', '0.2'])).toBe('0.30');
    expect(sumYuan(['90071992547409.93', '0.01'])).toBe('90071992547409.94');
    expect(sumYuan(['5', '-7.5', null, 'x'])).toBe('-2.50');
    expect(compareYuan('10.00', '9.99')).toBe(1);
    expect(compareYuan('3', '3.00')).toBe(0);
    expect(compareYuan('-1', '0')).toBe(-1);
  });
  it('gives a paid share of a cap as a bounded whole percentage', () => {
    expect(shareOf('40', '100')).toBe(40);
    expect(shareOf('150', '100')).toBe(100);
    expect(shareOf('1', '0')).toBe(0);
    expect(shareOf(null, '100')).toBe(0);
  });
  it('shows splits and rates from integers', () => {
    expect(splitText({ poor_permille: 550, village_permille: 300, cooperative_permille: 150 })).toBe('55.0% / 30.0% / 15.0%');
    expect(basisPointsText(600)).toBe('6.00%');
    expect(basisPointsText(1205)).toBe('12.05%');
    expect(basisPointsText(undefined)).toBe('–');
  });
});

describe('states and steps', () => {
  it('names known states and steps and leaves others raw', () => {
    expect(stateKey('near_completion')).toBe('funds.state.near_completion');
    expect(stateKey('bogus')).toBe('');
    expect(stepKey('reapprove')).toBe('funds.step.reapprove');
    expect(stepKey('x')).toBe('');
  });
  it('places states along the path, rejected off it', () => {
    expect(stateIndex('applied')).toBe(0);
    expect(stateIndex('closed')).toBe(7);
    expect(stateIndex('rejected')).toBe(-1);
  });
  it('builds a step body: outcome only for judged steps, amount only for reapprove', () => {
    const review = { ...emptyStep('review', '2017-03-01'), notes: ' 村民代表会议 ', refs: '' };
    expect(stepBody(review)).toEqual({ step: 'review', date: '2017-03-01', outcome: 'passed', notes: '村民代表会议' });
    const start = { ...emptyStep('start', '2017-04-01'), outcome: 'rejected' };
    expect(stepBody(start)).toEqual({ step: 'start', date: '2017-04-01' });
    const re = { ...emptyStep('reapprove', '2017-05-01'), reapproved: ' 120000.00 ', refs: '县扶发〔2017〕9号' };
    expect(stepBody(re)).toEqual({ step: 'reapprove', date: '2017-05-01', reapproved: '120000.00', refs: '县扶发〔2017〕9号' });
  });
});

describe('dates', () => {
  it('counts days and adds them across months and leap years', () => {
    expect(daysBetween('2016-02-20', '2016-03-01')).toBe(10);
    expect(daysBetween('2017-12-31', '2018-01-01')).toBe(1);
    expect(daysBetween('', '2018-01-01')).toBeNull();
    expect(addDays('2016-02-28', 2)).toBe('2016-03-01');
  });
  it('judges a publicity period against the 10 days', () => {
    expect(noticePeriod({ posted_on: '2017-03-01', until: '2017-03-11' })).toEqual({ days: 10, enough: true });
    expect(noticePeriod({ posted_on: '2017-03-01', until: '2017-03-08' })).toEqual({ days: 7, enough: false });
    expect(noticePeriod({ posted_on: null, until: null })).toEqual({ days: null, enough: false });
    expect(noticePeriod({ posted_on: '2017-03-01', until: '2017-03-11', days: 12 }).days).toBe(12);
  });
  it('knows months, the month before and the report due day', () => {
    expect(isMonth('2017-03')).toBe(true);
    expect(isMonth('2017-13')).toBe(false);
    expect(previousMonth('2017-01')).toBe('2016-12');
    expect(previousMonth('2017-10')).toBe('2017-09');
    expect(reportDue('2017-03')).toBe('2017-04-05');
    expect(reportDue('2017-12')).toBe('2018-01-05');
  });
});

describe('forms', () => {
  it('checks and builds an allocation', () => {
    const d = { source: 'poverty_development', document_number: ' 藏财农〔2017〕12号 ', year: 2017, amount: '1500000.00', earmark: ['roads', ' roads', '', 'water'] };
    expect(allocationProblems(d)).toEqual([]);
    expect(allocationBody(d)).toEqual({ source: 'poverty_development', document_number: '藏财农〔2017〕12号', year: 2017, amount: '1500000.00', earmark: ['roads', 'water'] });
    expect(allocationProblems({ source: '', document_number: ' ', year: null, amount: '1.234', earmark: [] })).toEqual(['source', 'document_number', 'year', 'amount']);
    expect(allocationProblems({ ...d, amount: '0.00' })).toEqual(['amount']);
  });
  it('builds a dividend declaration', () => {
    expect(dividendBody({ year: 2017, income: ' 80000 ', date: '2017-12-20' })).toEqual({ year: 2017, income: '80000', date: '2017-12-20' });
  });
  it('checks a disposal: every date, the votes with a majority for, a reason', () => {
    const d = { ...emptyDisposal(), vote_date: '2018-01-05', votes_for: 30, votes_against: 10, township_approved_on: '2018-01-10', county_agreed_on: '2018-01-20', finance_agreed_on: '2018-01-21', reason: ' 损毁 ' };
    expect(disposalProblems(d)).toEqual([]);
    expect(disposalBody(d).reason).toBe('损毁');
    expect(disposalProblems({ ...d, votes_for: 10, votes_against: 10 })).toEqual(['majority']);
    expect(disposalProblems(emptyDisposal())).toEqual(['vote_date', 'township_approved_on', 'county_agreed_on', 'finance_agreed_on', 'votes_for', 'votes_against', 'reason']);
  });
});

describe('findings, holders and accounts', () => {
  it('shows a finding in the chosen language and breaches first', () => {
    const f = { message_zh: '资金闲置', message_en: 'idle funds' };
    expect(findingMessage(f, 'zh-CN')).toBe('资金闲置');
    expect(findingMessage(f, 'en')).toBe('idle funds');
    const sorted = sortFindings([
      { rule: 'fund.idle', severity: 'warning' as const, since: '2017-01-01' },
      { rule: 'fund.over_allocation', severity: 'breach' as const, since: '2017-05-01' },
      { rule: 'fund.deposit_overdue', severity: 'warning' as const, since: null },
    ]);
    expect(sorted.map((x) => x.rule)).toEqual(['fund.over_allocation', 'fund.deposit_overdue', 'fund.idle']);
  });
  it('tells the village collective from a household', () => {
    expect(holderKind('village:540425100001')).toBe('village');
    expect(holderKind('5404251000010001')).toBe('household');
  });
  it('lets only county writers manage funds', () => {
    expect(isCountyAccount({ scope: '540425', permissions: { write_households: true } })).toBe(true);
    expect(isCountyAccount({ scope: '540425100', permissions: { write_households: true } })).toBe(false);
    expect(isCountyAccount({ scope: '540425', permissions: { write_households: false } })).toBe(false);
    expect(isCountyAccount(null)).toBe(false);
  });
});

describe('a project application', () => {
  const draft = () => ({
    ...emptyProject(), code: 'FP2017-01', name: ' 某村蔬菜大棚 ', division_code: '540425100101', use: 'industry', task: '新建大棚 20 座',
    sources: [{ source: 'poverty_development', amount: '200000' }, { source: 'social', amount: '100000.50' }],
    period_start: '2017-04-01', period_end: '2017-10-31', beneficiaries: '5404251001010001 分红\n\n5404251001010002，务工\n5404251001010001 again\n5404251001010003',
  });
  it('reads the households a line each', () => {
    expect(parseBeneficiaries(draft().beneficiaries)).toEqual([
      { household_code: '5404251001010001', how: '分红' }, { household_code: '5404251001010002', how: '务工' }, { household_code: '5404251001010003', how: '' },
    ]);
  });
  it('builds the body with approved defaulting to the sources\' exact sum', () => {
    const b = projectBody(draft());
    expect(b.name).toBe('某村蔬菜大棚');
    expect(b.approved).toBe('300000.50');
    expect(b.sources).toEqual([{ source: 'poverty_development', amount: '200000' }, { source: 'social', amount: '100000.50' }]);
    expect((b.beneficiaries as unknown[]).length).toBe(3);
    expect(projectBody({ ...draft(), approved: ' 280000 ' }).approved).toBe('280000');
  });
  it('names what is missing or wrong', () => {
    expect(projectProblems(draft())).toEqual([]);
    expect(projectProblems({ ...draft(), code: 'FP 2017', division_code: '5404', period_end: '2017-03-01', sources: [{ source: '', amount: 'x' }] }))
      .toEqual(['code', 'division_code', 'sources[0].source', 'sources[0].amount', 'period_end']);
    expect(projectProblems(emptyProject())).toEqual(['code', 'name', 'division_code', 'use', 'sources[0].source', 'sources[0].amount', 'period_start', 'period_end']);
  });
});
