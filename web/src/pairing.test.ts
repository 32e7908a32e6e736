import { describe, expect, it } from 'vitest';
import { daysInMonth, distanceText, groupOverdue, loadOf, matchesLoad, monthsEnding, onPostState, pairsByCadre, proposalCounts, recordVisitLink } from './pairing';

describe('loadOf', () => {
  it('shows the load against the quota', () => {
    expect(loadOf(1, 2)).toEqual({ percent: 50, over: false, full: false, text: '1 / 2' });
    expect(loadOf(3, 3).full).toBe(true);
    const over = loadOf(5, 3);
    expect(over.over).toBe(true);
    expect(over.percent).toBe(100);
    expect(loadOf(0, 0)).toMatchObject({ percent: 0, over: false, full: false });
    expect(loadOf(1, 0)).toMatchObject({ percent: 100, over: true });
  });
  it('filters by load', () => {
    expect(matchesLoad(4, 3, 'over')).toBe(true);
    expect(matchesLoad(3, 3, 'over')).toBe(false);
    expect(matchesLoad(3, 3, 'full')).toBe(true);
    expect(matchesLoad(2, 3, 'free')).toBe(true);
    expect(matchesLoad(0, 3, 'none')).toBe(true);
    expect(matchesLoad(1, 3, 'none')).toBe(false);
    expect(matchesLoad(9, 1, '')).toBe(true);
  });
});

describe('proposal', () => {
  const p = {
    pairs: [
      { household_code: 'a', cadre_id: 2, cadre_name: '乙', same_township: true },
      { household_code: 'b', cadre_id: 1, cadre_name: '甲', same_township: false },
      { household_code: 'c', cadre_id: 2, cadre_name: '乙', same_township: true },
    ],
    uncovered: [{ household_code: 'd', reason: 'no_capacity' }, { household_code: 'e', reason: 'no_cadre' }],
    kept: 7,
  };
  it('counts what changes and what cannot be covered', () => {
    expect(proposalCounts(p)).toEqual({ pairs: 3, sameTownship: 2, otherTownship: 1, uncovered: 2, noCadre: 1, noCapacity: 1, kept: 7, cadres: 2 });
  });
  it('groups the new pairs per cadre', () => {
    const g = pairsByCadre(p.pairs);
    expect(g.map((x) => [x.cadre_id, x.households.map((h) => h.household_code)])).toEqual([[1, ['b']], [2, ['a', 'c']]]);
  });
});

describe('groupOverdue', () => {
  const hh = [
    { household_code: '1', division_code: '540425100201', cadre_id: 1, cadre_name: '甲', days_overdue: 5 },
    { household_code: '2', division_code: '540425100202', cadre_id: 1, cadre_name: '甲', days_overdue: 30 },
    { household_code: '3', division_code: '540425200201', cadre_id: 2, cadre_name: '乙', days_overdue: 10 },
  ];
  it('per cadre, most households first, most overdue first within', () => {
    const g = groupOverdue(hh, 'cadre');
    expect(g.map((x) => x.label)).toEqual(['甲', '乙']);
    expect(g[0].households.map((h) => h.household_code)).toEqual(['2', '1']);
    expect(g[0].maxDays).toBe(30);
  });
  it('per village and township with names', () => {
    expect(groupOverdue(hh, 'village').length).toBe(3);
    const t = groupOverdue(hh, 'township', (c) => (c === '540425100' ? '竹瓦根镇' : ''));
    expect(t.map((x) => [x.key, x.label, x.households.length])).toEqual([['540425100', '竹瓦根镇', 2], ['540425200', '540425200', 1]]);
  });
});

describe('months and days', () => {
  it('lists the months ending with a day', () => {
    expect(monthsEnding('2017-02-15', 4)).toEqual(['2016-11', '2016-12', '2017-01', '2017-02']);
  });
  it('knows the days of a month', () => {
    expect(daysInMonth('2016-02')).toBe(29);
    expect(daysInMonth('2017-02')).toBe(28);
    expect(daysInMonth('2017-12')).toBe(31);
  });
  it('flags months under the minimum, not months unrecorded', () => {
    expect(onPostState(19, 20)).toBe('short');
    expect(onPostState(20, 20)).toBe('ok');
    expect(onPostState(undefined, 20)).toBe('unknown');
    expect(onPostState(0, 20)).toBe('short');
  });
});

describe('visits', () => {
  it('shows distances for people', () => {
    expect(distanceText(null)).toBe('–');
    expect(distanceText(850.4)).toBe('850 m');
    expect(distanceText(1234)).toBe('1.2 km');
    expect(distanceText(23456)).toBe('23 km');
  });
  it('links to the field page', () => {
    expect(recordVisitLink('5404251002010001')).toBe('/field?household=5404251002010001');
  });
});

describe('monthKey', () => {
  it('reads both forms', async () => {
    const { monthKey } = await import('./pairing');
    expect(monthKey({ month: '2017-03' })).toBe('2017-03');
    expect(monthKey({ year: 2017, month: 3 })).toBe('2017-03');
    expect(monthKey({})).toBe('');
  });
});
