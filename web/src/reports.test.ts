import { describe, expect, it } from 'vitest';
import {
  changeSign, chartOption, currentPeriod, formatCell, formatChange, isPeriod, isoWeekOf, periodOf, periodRange, previousPeriod,
  unitInScope, unitLevel, weeksInYear, householdCard, periodicFile, unitRegister, villageCards, issuedFile,
} from './reports';
import { annualDocument } from './testing/document';

describe('periods', () => {
  it('names the ISO week of a day (Monday to Sunday; early January may be last year\'s)', () => {
    expect(isoWeekOf('2017-07-03')).toBe('2017-W27');  // a Monday
    expect(isoWeekOf('2017-07-09')).toBe('2017-W27');  // its Sunday
    expect(isoWeekOf('2017-07-10')).toBe('2017-W28');
    expect(isoWeekOf('2016-01-01')).toBe('2015-W53');
    expect(isoWeekOf('2018-12-31')).toBe('2019-W01');
    expect(weeksInYear(2015)).toBe(53);
    expect(weeksInYear(2017)).toBe(52);
  });

  it('gives the period of each kind holding a day, in its format', () => {
    expect(periodOf('weekly', '2017-07-05')).toBe('2017-W27');
    expect(periodOf('monthly', '2017-07-05')).toBe('2017-07');
    expect(periodOf('quarterly', '2017-07-05')).toBe('2017-Q3');
    expect(periodOf('quarterly', '2017-12-31')).toBe('2017-Q4');
    expect(periodOf('annual', '2017-07-05')).toBe('2017');
    expect(currentPeriod('monthly', '2026-12-07')).toBe('2026-12');
  });

  it('knows each period\'s days and refuses text in another format', () => {
    expect(periodRange('weekly', '2017-W27')).toEqual({ from: '2017-07-03', to: '2017-07-09' });
    expect(periodRange('weekly', '2015-W53')).toEqual({ from: '2015-12-28', to: '2016-01-03' });
    expect(periodRange('monthly', '2016-02')).toEqual({ from: '2016-02-01', to: '2016-02-29' });
    expect(periodRange('quarterly', '2017-Q3')).toEqual({ from: '2017-07-01', to: '2017-09-30' });
    expect(periodRange('annual', '2017')).toEqual({ from: '2017-01-01', to: '2017-12-31' });
    expect(isPeriod('weekly', '2017-W53')).toBe(false);
    expect(isPeriod('weekly', '2017-W00')).toBe(false);
    expect(isPeriod('weekly', '2017-27')).toBe(false);
    expect(isPeriod('monthly', '2017-13')).toBe(false);
    expect(isPeriod('monthly', '2017-7')).toBe(false);
    expect(isPeriod('quarterly', '2017-Q5')).toBe(false);
    expect(isPeriod('annual', '2017-07')).toBe(false);
  });

  it('steps back one period', () => {
    expect(previousPeriod('weekly', '2017-W01')).toBe('2016-W52');
    expect(previousPeriod('monthly', '2017-01')).toBe('2016-12');
    expect(previousPeriod('quarterly', '2017-Q1')).toBe('2016-Q4');
    expect(previousPeriod('annual', '2017')).toBe('2016');
    expect(previousPeriod('annual', 'x')).toBeNull();
  });
});

describe('units and files', () => {
  it('tells levels by code and keeps to the scope', () => {
    expect(unitLevel('540425')).toBe('county');
    expect(unitLevel('540425100')).toBe('township');
    expect(unitLevel('540425100101')).toBe('village');
    expect(unitLevel('industry')).toBe('battle');
    expect(unitLevel('5404')).toBeNull();
    expect(unitInScope('540425100101', '540425100')).toBe(true);
    expect(unitInScope('540425200', '540425100')).toBe(false);
    expect(unitInScope('industry', '540425')).toBe(true);
    expect(unitInScope('industry', '540425100')).toBe(false);
  });

  it('links the files by the contract\'s routes', () => {
    expect(periodicFile('annual', '540425', '2017', 'xlsx')).toBe('/api/reports/periodic?kind=annual&unit=540425&period=2017&format=xlsx');
    expect(issuedFile(3, 'pdf')).toBe('/api/reports/issued/3?format=pdf');
    expect(householdCard('5404251001010001')).toBe('/api/households/5404251001010001/card');
    expect(householdCard('5404251001010001', '2017-12-31')).toBe('/api/households/5404251001010001/card?as_of=2017-12-31');
    expect(villageCards('540425100101', '2017-12-31')).toBe('/api/org-units/540425100101/cards?as_of=2017-12-31');
    expect(unitRegister('540425100', 'pdf')).toBe('/api/org-units/540425100/register?format=pdf');
  });
});

describe('cells', () => {
  it('shows money in yuan with separators, percent with %, integers and text as sent', () => {
    expect(formatCell('1234567.5', 'fen')).toBe('1,234,567.50');
    expect(formatCell('-0.05', 'fen')).toBe('-0.05');
    expect(formatCell('91.50', 'percent')).toBe('91.50%');
    expect(formatCell(2017, 'integer')).toBe('2017');
    expect(formatCell('竹瓦根镇', 'text')).toBe('竹瓦根镇');
    expect(formatCell('2017-07-01', 'date')).toBe('2017-07-01');
    expect(formatCell(null, 'fen')).toBe('');
  });

  it('writes a change with its sign', () => {
    expect(formatChange('1200', 'fen')).toBe('+1,200.00');
    expect(formatChange('-3.25', 'percent')).toBe('-3.25%');
    expect(formatChange(-3, 'integer')).toBe('-3');
    expect(formatChange(0, 'integer')).toBe('0');
    expect(changeSign('0.00')).toBe(0);
    expect(changeSign('12.5')).toBe(1);
    expect(changeSign(-1)).toBe(-1);
    expect(changeSign(null)).toBe(0);
  });
});

describe('chart option of a section', () => {
  it('has one category per row that is not a total and one series per value column', () => {
    const o = chartOption(annualDocument.sections[0], 'zh')!;
    expect(o.xAxis.data).toEqual(['竹瓦根镇', '上察隅镇']);
    expect(o.series.map((s) => s.name)).toEqual(['任务人数', '已脱贫人数']);
    expect(o.series.map((s) => s.type)).toEqual(['bar', 'bar']);
    expect(o.series[0].data).toEqual([1200, 800]);
    expect(o.series[1].data).toEqual([1098, 800]);
    expect(o.yAxis).toHaveLength(1);
    expect(o.legend.data).toEqual(['任务人数', '已脱贫人数']);
  });

  it('names the series in English, draws lines, and gives percent columns an axis of their own beside counts', () => {
    const section = { ...annualDocument.sections[0], chart: { kind: 'line' as const, label_column: 0, value_columns: [2, 3, 4] } };
    const o = chartOption(section, 'en')!;
    expect(o.series.map((s) => s.name)).toEqual(['Exited persons', 'Done', 'Funds spent']);
    expect(o.series.every((s) => s.type === 'line')).toBe(true);
    expect(o.series.map((s) => s.yAxisIndex)).toEqual([0, 1, 0]);
    expect(o.series[1].data).toEqual([91.5, 100]);
    expect(o.series[2].data).toEqual([1234567.5, 0]);
    expect(o.yAxis).toHaveLength(2);
    expect(o.yAxis[1].axisLabel?.formatter).toBe('{value}%');
  });

  it('is null for a section without a chart or rows', () => {
    expect(chartOption(annualDocument.sections[1], 'zh')).toBeNull();
    expect(chartOption({ ...annualDocument.sections[0], rows: [annualDocument.sections[0].rows[2]] }, 'zh')).toBeNull();
  });
});
