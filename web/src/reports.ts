// The periodic reports (周专报·月报告·季小结·年总结), the printed documents and their downloads
// (issue 17): the calls (reportsApi), the periods (ISO weeks, months, quarters, years), a document's
// cells as shown (money in yuan from the server's decimal strings, never floating point; percent
// with its sign) and a section's chart as an ECharts option. Pure functions besides the calls.
import { api, query } from './api';
import { beijingToday } from './format';
import { formatYuan } from './ledger';
import type {
  CompareAnswer, DocCell, DocCellType, DocColumn, DocSection, DueAnswer, IssuedAnswer, IssuedList, PeriodicAnswer, ReportKind,
} from './reports-types';

export type { Document, DocSection, IssuedMeta, CompareRow, DueItem, ReportKind, DueState } from './reports-types';

export const reportKinds: ReportKind[] = ['weekly', 'monthly', 'quarterly', 'annual'];
export const isReportKind = (k: unknown): k is ReportKind => typeof k === 'string' && (reportKinds as string[]).includes(k);
export const battleIds = ['industry', 'infrastructure', 'settlement', 'guarantee'];

// ------------------------------------------------------------------------------------ the calls
export type FileFormat = 'xlsx' | 'pdf';
export const reportsApi = {
  periodic: (kind: ReportKind, unit: string, period: string) =>
    api.get<PeriodicAnswer>('/api/reports/periodic' + query({ kind, unit, period, format: 'json' })),
  issue: (kind: ReportKind, unit: string, period: string) => api.post<IssuedAnswer>('/api/reports/issued', { kind, unit, period }),
  issuedList: (unit: string, kind?: ReportKind | '', limit = 100, offset = 0) =>
    api.get<IssuedList>('/api/reports/issued' + query({ unit, kind, limit, offset })),
  issued: (id: number | string) => api.get<IssuedAnswer>('/api/reports/issued/' + encodeURIComponent(String(id)) + query({ format: 'json' })),
  compare: (id: number | string, withId?: number | string) =>
    api.get<CompareAnswer>('/api/reports/issued/' + encodeURIComponent(String(id)) + '/compare' + query({ with: withId })),
  due: (unit: string, asOf: string) => api.get<DueAnswer>('/api/reports/due' + query({ unit, as_of: asOf })),
};

// The files: links the browser downloads (the server answers with Content-Disposition attachment).
export const periodicFile = (kind: ReportKind, unit: string, period: string, format: FileFormat) =>
  '/api/reports/periodic' + query({ kind, unit, period, format });
export const issuedFile = (id: number | string, format: FileFormat) => '/api/reports/issued/' + encodeURIComponent(String(id)) + query({ format });
export const householdCard = (code: string, asOf = '') => '/api/households/' + encodeURIComponent(code) + '/card' + query({ as_of: asOf });
export const villageCards = (code: string, asOf = '') => '/api/org-units/' + encodeURIComponent(code) + '/cards' + query({ as_of: asOf });
// The village register (12 digits) or the township book (9 digits).
export const unitRegister = (code: string, format: FileFormat, asOf = '') =>
  '/api/org-units/' + encodeURIComponent(code) + '/register' + query({ format, as_of: asOf });

// A unit's level from its code: the county's 6 digits, a township's 9, a village's 12; a battle id.
export type UnitLevel = 'county' | 'township' | 'village' | 'battle' | null;
export function unitLevel(code: string): UnitLevel {
  if (battleIds.includes(code)) return 'battle';
  if (/^\d{6}$/.test(code)) return 'county';
  if (/^\d{9}$/.test(code)) return 'township';
  if (/^\d{12}$/.test(code)) return 'village';
  return null;
}
// May an account of this scope ask for this unit's reports? (The server checks again.) County
// accounts: everything; a township's: itself and its villages; a village's: itself.
export function unitInScope(unit: string, scope: string): boolean {
  if (battleIds.includes(unit)) return scope.length <= 6;
  return unit.startsWith(scope);
}

// ---------------------------------------------------------------------------------- the periods
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const utc = (iso: string) => {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
};
const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (d: Date, n: number) => new Date(d.getTime() + n * 86400000);

// The ISO 8601 week of a date: "2017-W27" (weeks start on Monday; week 1 holds the year's first
// Thursday, so early January may belong to the last week of the year before).
export function isoWeekOf(iso: string): string {
  const d = utc(iso);
  const thursday = addDays(d, 4 - (d.getUTCDay() || 7));
  const year = thursday.getUTCFullYear();
  const week = Math.ceil(((thursday.getTime() - Date.UTC(year, 0, 1)) / 86400000 + 1) / 7);
  return `${year}-W${pad(week)}`;
}
// How many ISO weeks a year has (52 or 53): the week of 28 December.
export const weeksInYear = (year: number) => Number(isoWeekOf(`${year}-12-28`).slice(6));

// The period of a kind that holds a date.
export function periodOf(kind: ReportKind, iso: string): string {
  const [y, m] = iso.split('-').map(Number);
  switch (kind) {
    case 'weekly': return isoWeekOf(iso);
    case 'monthly': return `${y}-${pad(m)}`;
    case 'quarterly': return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
    case 'annual': return String(y);
  }
}
// The period now (Beijing's today).
export const currentPeriod = (kind: ReportKind, today = beijingToday()) => periodOf(kind, today);

const patterns: Record<ReportKind, RegExp> = {
  weekly: /^(\d{4})-W(\d{2})$/,
  monthly: /^(\d{4})-(\d{2})$/,
  quarterly: /^(\d{4})-Q([1-4])$/,
  annual: /^(\d{4})$/,
};
// The format of a kind's period, for hints and messages.
export const periodFormats: Record<ReportKind, string> = { weekly: '2017-W27', monthly: '2017-07', quarterly: '2017-Q3', annual: '2017' };

// The first and last day of a period, or null when the text is not a period of that kind.
export function periodRange(kind: ReportKind, text: string): { from: string; to: string } | null {
  const m = patterns[kind].exec(text ?? '');
  if (!m) return null;
  const year = Number(m[1]);
  if (year < 1900) return null;
  const n = Number(m[2] ?? 0);
  switch (kind) {
    case 'weekly': {
      if (n < 1 || n > weeksInYear(year)) return null;
      const jan4 = new Date(Date.UTC(year, 0, 4));
      const monday = addDays(jan4, 1 - (jan4.getUTCDay() || 7) + 7 * (n - 1));
      return { from: isoDate(monday), to: isoDate(addDays(monday, 6)) };
    }
    case 'monthly':
      if (n < 1 || n > 12) return null;
      return { from: `${year}-${pad(n)}-01`, to: isoDate(new Date(Date.UTC(year, n, 0))) };
    case 'quarterly':
      return { from: `${year}-${pad(3 * n - 2)}-01`, to: isoDate(new Date(Date.UTC(year, 3 * n, 0))) };
    case 'annual':
      return { from: `${year}-01-01`, to: `${year}-12-31` };
  }
}
export const isPeriod = (kind: ReportKind, text: string) => periodRange(kind, text) !== null;

// The period before (for a second issue, the comparison's "previous").
export function previousPeriod(kind: ReportKind, text: string): string | null {
  const r = periodRange(kind, text);
  return r ? periodOf(kind, isoDate(addDays(utc(r.from), -1))) : null;
}

// ---------------------------------------------------------------------------------- the cells
export type Lang = 'zh' | 'en';
// A title in the chosen language (English falls back to the Chinese when the server sent none).
export const inLang = (zh: string, en: string | undefined, lang: Lang) => (lang === 'en' && en ? en : zh);
export const numericTypes: DocCellType[] = ['integer', 'fen', 'percent'];
export const isNumeric = (type: DocCellType) => numericTypes.includes(type);

// "91.50" → "91.50%"; fen "1234567.5" → "1,234,567.50"; integers and text as they are; '' for empty.
export function formatCell(value: DocCell | undefined, type: DocCellType): string {
  if (value === null || value === undefined || value === '') return '';
  const text = String(value);
  switch (type) {
    case 'fen': return formatYuan(text);
    case 'percent': return /^-?\d+(\.\d+)?$/.test(text.trim()) ? `${text.trim()}%` : text;
    default: return text;
  }
}
// A change as shown: its sign always written ("+1,200.00", "-3", "+0.50%").
export function formatChange(value: DocCell | undefined, type: DocCellType): string {
  const text = formatCell(value, type);
  return text && changeSign(value) > 0 ? '+' + text : text;
}
// The sign of a numeric cell (a decimal string or a number): 1, -1 or 0 (0 too for empty or text).
export function changeSign(value: DocCell | undefined): number {
  if (value === null || value === undefined) return 0;
  const text = String(value).trim();
  if (!/^[+-]?\d+(\.\d+)?$/.test(text)) return 0;
  if (/^[+-]?0*(\.0*)?$/.test(text)) return 0;
  return text.startsWith('-') ? -1 : 1;
}
// A numeric cell as a number: only for a chart's heights (figures shown are always the text).
export function chartNumber(value: DocCell | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

// ---------------------------------------------------------------------------------- the chart
export interface ChartOption {
  animation: boolean;
  tooltip: { trigger: 'axis' };
  legend: { top: number; type: 'scroll'; data: string[] };
  grid: { left: number; right: number; top: number; bottom: number; containLabel: boolean };
  xAxis: { type: 'category'; data: string[]; axisLabel: { interval: number | 'auto'; rotate: number } };
  yAxis: { type: 'value'; name?: string; axisLabel?: { formatter: string } }[];
  series: { name: string; type: 'bar' | 'line'; data: (number | null)[]; yAxisIndex: number }[];
}
const columnTitle = (c: DocColumn, lang: Lang) => inLang(c.title_zh, c.title_en, lang);

// A section's chart as an ECharts option: one category per row that is not a total (the label
// column's text), one series per value column. Percent columns beside others get an axis of their
// own on the right. Null when the section has no chart (or nothing to draw).
export function chartOption(section: DocSection, lang: Lang): ChartOption | null {
  const c = section.chart;
  if (!c) return null;
  const rows = section.rows.filter((r) => !r.total);
  const label = section.columns[c.label_column];
  const values = c.value_columns.filter((i) => section.columns[i] && isNumeric(section.columns[i].type));
  if (!label || !rows.length || !values.length) return null;
  const percents = values.filter((i) => section.columns[i].type === 'percent');
  const split = percents.length > 0 && percents.length < values.length;
  const onRight = (i: number) => (split && section.columns[i].type === 'percent' ? 1 : 0);
  const series = values.map((i) => ({
    name: columnTitle(section.columns[i], lang), type: c.kind, data: rows.map((r) => chartNumber(r.cells[i])), yAxisIndex: onRight(i),
  }));
  const categories = rows.map((r) => formatCell(r.cells[c.label_column], label.type));
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0, type: 'scroll', data: series.map((s) => s.name) },
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    // Every label while few; beyond eight ECharts leaves out what would overlap.
    xAxis: { type: 'category', data: categories, axisLabel: { interval: categories.length <= 8 ? 0 : 'auto', rotate: categories.length > 4 ? 30 : 0 } },
    yAxis: split || percents.length
      ? [...(split ? [{ type: 'value' as const }] : []), { type: 'value' as const, axisLabel: { formatter: '{value}%' } }]
      : [{ type: 'value' }],
    series,
  };
}
