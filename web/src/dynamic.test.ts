import { describe, expect, it } from 'vitest';
import {
  addDays, changeBody, dateInYear, daysBetween, daysWaiting, defaultYear, formatRate, since, timelineOf, vetoed, yearOptions, yearParam,
} from './dynamic';
import type { ProcedureCase, ProcedureStep } from './dynamicApi';
import { catalog, code } from './testing/catalog';

const step = (s: Partial<ProcedureStep>): ProcedureStep => ({ step: 'propose', date: '2017-03-01', actor: 'officer', at: '', outcome: 'passed', notes: '', from_state: '', to_state: '', ...s });
function kase(c: Partial<ProcedureCase>): ProcedureCase {
  return {
    id: 1, version: 1, kind: 'exit', kind_zh: '脱贫退出', household_code: '5404251001010001', head_name: '扎西', division_code: '540425100101', year: 2017, state: 'proposed',
    state_zh: '已提出', open: true, persons: 4, steps: [], household: null, exclusions: [], reason: '', notice_until: null, member_change: null,
    member_id_number: '', next_step: null, allowed_steps: [], ...c,
  };
}

describe('dates', () => {
  it('counts whole days across months, leap days and years', () => {
    expect(daysBetween('2017-02-27', '2017-03-01')).toBe(2);
    expect(daysBetween('2016-02-28', '2016-03-01')).toBe(2);
    expect(daysBetween('2017-12-31', '2018-01-01')).toBe(1);
    expect(daysBetween('2018-01-01', '2017-12-31')).toBe(-1);
    expect(daysBetween('bad', '2017-12-31')).toBeNull();
  });
  it('adds days', () => {
    expect(addDays('2017-12-28', 7)).toBe('2018-01-04');
    expect(addDays('2016-02-28', 1)).toBe('2016-02-29');
  });
  it('starts a form in the year asked for', () => {
    expect(dateInYear(2026, '2026-05-04')).toBe('2026-05-04');
    expect(dateInYear(2017, '2026-05-04')).toBe('2017-12-01');
    expect(dateInYear(2030, '2026-05-04')).toBe('2030-01-01');
  });
});

describe('waiting cases', () => {
  const c = kase({ steps: [step({ date: '2017-03-01' }), step({ step: 'appraise', date: '2017-03-10' })], next_step: { step: 'verify', step_zh: '核实', level: 'village', level_zh: '村', not_before: null } });
  it('waits since its last step', () => {
    expect(since(c)).toBe('2017-03-10');
    expect(daysWaiting(c, '2017-03-31')).toBe(21);
  });
  it('waits from the end of a notice, never below zero', () => {
    const n = { ...c, next_step: { step: 'announce', step_zh: '公告', level: 'county' as const, level_zh: '县', not_before: '2017-03-20' } };
    expect(daysWaiting(n, '2017-03-25')).toBe(5);
    expect(daysWaiting(n, '2017-03-12')).toBe(0);
  });
  it('does not wait when closed or without steps', () => {
    expect(daysWaiting({ ...c, open: false }, '2017-04-01')).toBeNull();
    expect(daysWaiting(kase({}), '2017-04-01')).toBeNull();
  });
});

describe('timeline', () => {
  it('puts every case’s steps in date order, keeping each case’s own order on a tie', () => {
    const exit = kase({ id: 2, kind: 'exit', kind_zh: '脱贫退出', steps: [step({ step: 'propose', date: '2017-03-01' }), step({ step: 'appraise', date: '2017-03-05' })] });
    const fallback = kase({ id: 3, kind: 'fallback', kind_zh: '返贫', steps: [step({ step: 'record', date: '2018-06-01' })] });
    const newId = kase({ id: 1, kind: 'new_identification', kind_zh: '新识别', steps: [step({ step: 'apply', date: '2016-05-01' }), step({ step: 'appraise', date: '2017-03-05', at: '2026-01-01T00:00:00Z' })] });
    const t = timelineOf([exit, fallback, newId]);
    expect(t.map((e) => `${e.date} ${e.case_id} ${e.step}`)).toEqual([
      '2016-05-01 1 apply',
      '2017-03-01 2 propose',
      '2017-03-05 2 appraise',
      '2017-03-05 1 appraise',
      '2018-06-01 3 record',
    ]);
    expect(t[0].kind_zh).toBe('新识别');
  });
  it('is empty without cases', () => expect(timelineOf([])).toEqual([]));
});

describe('rates', () => {
  it('formats as percentages', () => {
    expect(formatRate(0.0235)).toBe('2.35%');
    expect(formatRate(0.9)).toBe('90.00%');
    expect(formatRate(0.03, 0)).toBe('3%');
    expect(formatRate(null)).toBe('–');
    expect(formatRate(undefined)).toBe('–');
    expect(formatRate(NaN)).toBe('–');
  });
  it('knows which rate is vetoed', () => {
    const r = { vetoes: [{ id: 'wrongful_exit_rate', message_zh: '错退率超过2%', message_en: 'over 2%' }] };
    expect(vetoed(r, 'wrongful_exit_rate')).toBe(true);
    expect(vetoed(r, 'approval_rate')).toBe(false);
    expect(vetoed(null, 'approval_rate')).toBe(false);
  });
});

describe('years', () => {
  it('opens on this year within the plan', () => {
    const plan = { start_year: 2016, end_year: 2018 };
    expect(defaultYear(plan, new Date(2026, 0, 1))).toBe(2018);
    expect(defaultYear(plan, new Date(2017, 5, 1))).toBe(2017);
    expect(defaultYear(plan, new Date(2010, 5, 1))).toBe(2016);
    expect(defaultYear(null, new Date(2026, 0, 1))).toBe(2026);
  });
  it('offers the plan’s years and this one, newest first', () => {
    const ys = yearOptions({ start_year: 2016, end_year: 2018 }, new Date(2019, 0, 1));
    expect(ys[0]).toBe(2020);
    expect(ys[ys.length - 1]).toBe(2014);
    expect(yearOptions({ start_year: 2016, end_year: 2018 }, new Date(2026, 0, 1))[0]).toBe(2026);
  });
  it('reads a year parameter', () => {
    expect(yearParam('2017', 2018)).toBe(2017);
    expect(yearParam('17', 2018)).toBe(2018);
    expect(yearParam(undefined, 2018)).toBe(2018);
    expect(yearParam(['2017'], 2018)).toBe(2018);
  });
});

describe('change bodies', () => {
  const members = [{ id_number: 'H', relation: code('relation', '本人或户主') }, { id_number: 'S', relation: code('relation', '配偶') }];
  const death = code('member_change', '死亡'), marriedAway = code('member_change', '嫁出'), birth = code('member_change', '新生儿');
  const form = { year: 2017, date: '2017-12-01', notes: 'n', reason: '', change: null as number | null, id_number: '', new_head: '' };
  it('opens an exit with the household, year and date', () => {
    expect(changeBody(catalog, 'exit', 'C', form, {}, members)).toEqual({ kind: 'exit', household_code: 'C', year: 2017, date: '2017-12-01', notes: 'n' });
  });
  it('gives a fallback or a deregistration its reason', () => {
    expect(changeBody(catalog, 'fallback', 'C', { ...form, reason: '因病' }, {}, members).reason).toBe('因病');
    expect(changeBody(catalog, 'deregistration', 'C', { ...form, reason: 'death' }, {}, members).reason).toBe('death');
  });
  it('names the new head only when the head leaves', () => {
    const head = changeBody(catalog, 'member_change', 'C', { ...form, change: death, id_number: 'H', new_head: 'S' }, {}, members);
    expect(head).toMatchObject({ member_change: death, id_number: 'H', new_head: 'S' });
    const spouse = changeBody(catalog, 'member_change', 'C', { ...form, change: marriedAway, id_number: 'S', new_head: 'H' }, {}, members);
    expect(spouse.new_head).toBeUndefined();
    expect(spouse.person).toBeUndefined();
  });
  it('carries a joining person without its empty fields', () => {
    const b = changeBody(catalog, 'member_change', 'C', { ...form, change: birth, id_number: 'H' }, { name: '新生', id_number: '540425201701010011', sex: code('sex', '男'), ethnicity: null, birth_date: '' }, members);
    expect(b.person).toEqual({ name: '新生', id_number: '540425201701010011', sex: code('sex', '男') });
    expect(b.id_number).toBeUndefined();
  });
});
