// The funds, the project library and the asset-income shares as the workbench sees them (issue 16):
// the answers' shapes (as docs/api.md "Funds" and "Shares" give them; written here until the routes'
// schemas are in openapi.json), money from the server's decimal strings (never added as floating
// point), the project's states and steps in words, the publicity period, the request bodies the
// forms send and the monthly report's rows. No component, no request: tested in funds.test.ts.
import { formatYuan, isYuan } from './ledger';

export { formatYuan, isYuan };

// ---- Answers -------------------------------------------------------------------------------

export interface FundSource { code: string; name: string; special_poverty: boolean }
export interface Allocation {
  id: number; source: string; source_name?: string; document_number: string; year: number; amount: string;
  earmark: string[]; received?: string; budgeted?: string; spent?: string; deposit_held?: string; unspent?: string;
}
export interface MoneyFigures { allocated?: string; received?: string; budgeted?: string; spent?: string; deposit_held?: string; unspent?: string }
export interface SourceBalance extends MoneyFigures { code: string; name: string }
export interface FundBalances { sources: SourceBalance[]; totals: MoneyFigures; accounts?: { account: string; balance: string }[] }
export interface Payee { id: number; kind: 'contractor' | 'beneficiary'; name: string }

export interface ProjectListItem {
  id: number; code: string; name: string; division_code: string; division_name?: string; state: string; state_zh?: string;
  approved: string | null; budgeted?: string; paid?: string; deposit_held?: string; beneficiaries?: number;
}
export interface ProjectList { projects: ProjectListItem[]; total: number }
export interface ProjectStep {
  step: string; date: string; actor?: string; at?: string; outcome?: string; notes?: string; refs?: string;
  from_state?: string; to_state?: string;
}
export interface ProjectRecord {
  id: number; code: string; name: string; division_code: string; task?: string; subsidy_standard?: string; use?: string;
  sources: { source: string; amount: string }[]; approved: string | null; reapproved?: string | null;
  period_start?: string; period_end?: string; unit?: string; responsible?: string; performance_target?: string;
  beneficiaries: { household_code: string; how?: string }[]; state: string; version?: number; steps: ProjectStep[];
  notice_posted_on?: string | null; notice_until?: string | null;
}
export interface FundEntry {
  id: number; date: string; kind: string; allocation?: number | null; project?: number | null; payee?: number | null;
  to_allocation?: number | null; amount: string; stage?: string | null; refs?: string | null; decision_id?: string | null;
  reverses?: number | null; from_account?: string; to_account?: string; reversed_by?: number | null;
}
export interface ProjectItem { item_code: string; measure?: number; category?: number; kind?: number; start_date?: string; amount?: string | null; signed_off?: boolean | string | null }
export interface ProjectHousehold { household_code: string; head_name?: string; division_code?: string; how?: string; items: ProjectItem[] }
export interface ProjectPage {
  project: ProjectRecord;
  money: { budgeted?: string; paid?: string; deposit_held?: string; base?: string; stage_cap?: string };
  entries: FundEntry[];
  households: ProjectHousehold[];
  allowed_steps: string[];
}
export interface ProjectNotice {
  code: string; name: string; place?: string; task?: string; subsidy_standard?: string;
  sources: { source: string; source_name?: string; amount: string }[]; amount: string;
  period_start?: string; period_end?: string; unit?: string; responsible?: string; performance_target?: string;
  households: { household_code: string; head_name?: string; how?: string }[];
  posted_on: string | null; until: string | null; days?: number; hotline: string;
}
export interface ReportRow { key?: string; name?: string; spent_month?: string; spent_year?: string; budgeted?: string; allocated?: string; unspent?: string }
export interface MonthlyReport {
  month: string; due: string; totals: ReportRow;
  by_source: ReportRow[]; by_earmark: ReportRow[]; by_project: ReportRow[]; by_township: ReportRow[];
}
export interface Finding {
  rule: string; severity: 'warning' | 'breach'; allocation?: number | null; project?: number | null; amount?: string | null;
  since?: string | null; days?: number | null; message_zh: string; message_en: string;
  refusal?: number | null; actor?: string | null;  // a refused posting: its record and who tried it
}
export interface Findings { as_of: string; findings: Finding[] }

export interface Asset {
  id: number | string; project_code?: string | null; kind: number | string; kind_name_zh?: string; value: string; owner?: string; owner_name?: string;
  division_code: string; division_name?: string; poor_permille: number; village_permille: number; cooperative_permille: number;
  total_shares: number; floor_rate_bp?: number; cap_per_share?: string | null; disposed?: boolean; holders?: number;
}
export interface Holding { holder: string; household_code?: string | null; head_name?: string | null; shares: number; certificate?: string | null }
export interface ShareMove { from: string; to: string; shares: number; reason: string; year: number; date: string }
export interface DividendLine { holder: string; shares: number; amount: string; item_code?: string | null }
export interface Dividend {
  year: number; income: string; poor_part?: string; village_part?: string; cooperative_part?: string; floor?: string;
  operator_shortfall?: string; over_cap?: string; distributed?: string; declared_on?: string; lines: DividendLine[];
}
export interface AssetPage { asset: Asset; holdings: Holding[]; moves: ShareMove[]; dividends: Dividend[]; disposal: Record<string, unknown> | null }
export interface HouseholdShares {
  holdings: { asset_id: number | string; kind?: number | string; kind_name_zh?: string; shares: number; total_shares: number; value_share?: string; certificate?: string | null }[];
  dividends: { asset_id: number | string; year: number; shares: number; amount: string; item_code?: string | null }[];
}

// ---- Words ---------------------------------------------------------------------------------

// The project library's states in their order (rejected last), and the steps.
export const projectStates = ['applied', 'reviewed', 'appraised', 'approved', 'started', 'near_completion', 'accepted', 'closed', 'rejected'] as const;
export const projectSteps = ['apply', 'notice', 'object', 'review', 'appraise', 'approve', 'reapprove', 'start', 'near_completion', 'accept', 'close'] as const;
// Steps whose outcome may be "rejected" (the others record what happened).
export const judgedSteps = ['review', 'appraise', 'approve'];
export const isJudged = (step: string) => judgedSteps.includes(step);

// A key of the i18n table for a state or step ('' keeps the raw word when it is not known).
export function stateKey(state: string): string {
  return (projectStates as readonly string[]).includes(state) ? 'funds.state.' + state : '';
}
export function stepKey(step: string): string {
  return (projectSteps as readonly string[]).includes(step) ? 'funds.step.' + step : '';
}

// Where a project is along the library's path, 0..7 (the rejected state stays at its last step).
export function stateIndex(state: string): number {
  const i = (projectStates as readonly string[]).indexOf(state);
  return i < 0 || state === 'rejected' ? -1 : i;
}

// ---- Dates ---------------------------------------------------------------------------------

function dayNumber(iso: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
  if (!m) return null;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86400000;
}
// Days from `from` to `to` (both YYYY-MM-DD); null when either is not a date.
export function daysBetween(from: string | null | undefined, to: string | null | undefined): number | null {
  const a = dayNumber(from ?? '');
  const b = dayNumber(to ?? '');
  return a === null || b === null ? null : b - a;
}
export function addDays(iso: string, days: number): string {
  const n = dayNumber(iso);
  if (n === null) return iso;
  return new Date((n + days) * 86400000).toISOString().slice(0, 10);
}

// The publicity period of a notice: its days (until − posted on; the answer's own when it gives
// them) and whether it is long enough (at least `minimum`, 10 by the rules).
export const minNoticeDays = 10;
export function noticePeriod(n: Pick<ProjectNotice, 'posted_on' | 'until' | 'days'>, minimum = minNoticeDays): { days: number | null; enough: boolean } {
  const days = n.days ?? daysBetween(n.posted_on, n.until);
  return { days, enough: days !== null && days >= minimum };
}

// "YYYY-MM" of a date; the month before; the due day of a month's report (the 5th of the next).
export function monthOf(iso: string): string {
  return iso.slice(0, 7);
}
export function isMonth(text: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(text);
}
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
export function reportDue(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01-05` : `${y}-${String(m + 1).padStart(2, '0')}-05`;
}

// ---- Request bodies ------------------------------------------------------------------------

export interface AllocationDraft { source: string; document_number: string; year: number | null; amount: string; earmark: string[] }
export function allocationProblems(d: AllocationDraft): string[] {
  const out: string[] = [];
  if (!d.source) out.push('source');
  if (!d.document_number.trim()) out.push('document_number');
  if (!d.year || d.year < 2000 || d.year > 2100) out.push('year');
  if (!isYuan(d.amount) || /^0+(\.0+)?$/.test(d.amount.trim())) out.push('amount');
  return out;
}
export function allocationBody(d: AllocationDraft): Record<string, unknown> {
  return {
    source: d.source, document_number: d.document_number.trim(), year: d.year, amount: d.amount.trim(),
    earmark: [...new Set(d.earmark.map((e) => e.trim()).filter(Boolean))],
  };
}

export interface SourceDraft { code: string; name: string; special_poverty: boolean }
export function sourceBody(d: SourceDraft): Record<string, unknown> {
  return { code: d.code.trim(), name: d.name.trim(), special_poverty: d.special_poverty };
}

export interface StepDraft { step: string; date: string; outcome: string; notes: string; refs: string; reapproved: string }
export function emptyStep(step: string, date: string): StepDraft {
  return { step, date, outcome: isJudged(step) ? 'passed' : '', notes: '', refs: '', reapproved: '' };
}
// The body POST /api/projects/{id}/steps takes: empty texts left out; the outcome only for the
// judged steps; the re-approved amount only for reapprove.
export function stepBody(d: StepDraft): Record<string, unknown> {
  const body: Record<string, unknown> = { step: d.step, date: d.date };
  if (isJudged(d.step) && d.outcome) body.outcome = d.outcome;
  if (d.notes.trim()) body.notes = d.notes.trim();
  if (d.refs.trim()) body.refs = d.refs.trim();
  if (d.step === 'reapprove') body.reapproved = d.reapproved.trim();
  return body;
}

export interface DividendDraft { year: number | null; income: string; date: string }
export function dividendBody(d: DividendDraft): Record<string, unknown> {
  return { year: d.year, income: d.income.trim(), date: d.date };
}

export interface DisposalDraft {
  vote_date: string; votes_for: number | null; votes_against: number | null;
  township_approved_on: string; county_agreed_on: string; finance_agreed_on: string; reason: string;
}
export function emptyDisposal(): DisposalDraft {
  return { vote_date: '', votes_for: null, votes_against: null, township_approved_on: '', county_agreed_on: '', finance_agreed_on: '', reason: '' };
}
// What the form still lacks before the server is asked (it checks again): every date, the votes,
// more than half of the votes for, a reason.
export function disposalProblems(d: DisposalDraft): string[] {
  const out: string[] = [];
  for (const k of ['vote_date', 'township_approved_on', 'county_agreed_on', 'finance_agreed_on'] as const) if (!dayNumber(d[k])) out.push(k);
  const f = d.votes_for ?? -1;
  const a = d.votes_against ?? -1;
  if (f < 0) out.push('votes_for');
  if (a < 0) out.push('votes_against');
  if (f >= 0 && a >= 0 && !(2 * f > f + a)) out.push('majority');
  if (!d.reason.trim()) out.push('reason');
  return out;
}
export function disposalBody(d: DisposalDraft): Record<string, unknown> {
  return { ...d, reason: d.reason.trim() };
}

// ---- Figures -------------------------------------------------------------------------------

// A permille split as "55.0% / 30.0% / 15.0%".
export function splitText(a: Pick<Asset, 'poor_permille' | 'village_permille' | 'cooperative_permille'>): string {
  const p = (n: number) => `${Math.trunc(n / 10)}.${Math.abs(n % 10)}%`;
  return [a.poor_permille, a.village_permille, a.cooperative_permille].map(p).join(' / ');
}
// Basis points as a percentage with two decimals ("600" → "6.00%").
export function basisPointsText(bp: number | null | undefined): string {
  if (bp === null || bp === undefined) return '–';
  return `${Math.trunc(bp / 100)}.${String(Math.abs(bp % 100)).padStart(2, '0')}%`;
}
// A holder in words: a household's code (with its head), or the village collective.
export function holderKind(holder: string): 'village' | 'household' {
  return holder.startsWith('village:') ? 'village' : 'household';
}

// Compares two decimal strings of yuan exactly (as fen in BigInt): -1, 0 or 1.
export function compareYuan(a: string, b: string): number {
  const fen = (s: string) => {
    const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(s.trim());
    if (!m) return 0n;
    const v = BigInt(m[2]) * 100n + BigInt(((m[3] ?? '') + '00').slice(0, 2));
    return m[1] ? -v : v;
  };
  const x = fen(a);
  const y = fen(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
// Sums decimal strings of yuan exactly (BigInt fen) into a decimal string ("12.30").
export function sumYuan(values: (string | null | undefined)[]): string {
  let total = 0n;
  for (const s of values) {
    const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec((s ?? '').trim());
    if (!m) continue;
    const v = BigInt(m[2]) * 100n + BigInt(((m[3] ?? '') + '00').slice(0, 2));
    total += m[1] ? -v : v;
  }
  const neg = total < 0n;
  const abs = neg ? -total : total;
  return `${neg ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}
// Paid of a cap as a whole percentage for a bar (exact: BigInt fen), 0..100.
export function shareOf(part: string | null | undefined, whole: string | null | undefined): number {
  if (!part || !whole || compareYuan(whole, '0') <= 0) return 0;
  const fen = (s: string) => BigInt(sumYuan([s]).replace('.', '').replace('-', ''));
  const p = fen(part);
  const w = fen(whole);
  const pct = Number((p * 100n) / w);
  return Math.max(0, Math.min(100, pct));
}

// The monthly report's tables, in the order shown, with their i18n keys.
export const reportGroups = [
  { key: 'by_source', label: 'funds.report.bySource' },
  { key: 'by_earmark', label: 'funds.report.byEarmark' },
  { key: 'by_project', label: 'funds.report.byProject' },
  { key: 'by_township', label: 'funds.report.byTownship' },
] as const;
export const reportColumns = ['allocated', 'budgeted', 'spent_month', 'spent_year', 'unspent'] as const;

// A finding's message in the chosen language.
export function findingMessage(f: Pick<Finding, 'message_zh' | 'message_en'>, lang: string): string {
  return lang.startsWith('en') ? f.message_en || f.message_zh : f.message_zh || f.message_en;
}
// Findings with breaches first, then by rule, then by the day they began.
export function sortFindings<T extends Pick<Finding, 'severity' | 'rule' | 'since'>>(list: T[]): T[] {
  const rank = (s: string) => (s === 'breach' ? 0 : 1);
  return [...list].sort((a, b) => rank(a.severity) - rank(b.severity) || a.rule.localeCompare(b.rule) || (a.since ?? '').localeCompare(b.since ?? ''));
}

// Does the account manage funds (a writer at county level: scope of at most 6 digits)?
export function isCountyAccount(me: { scope: string; permissions: { write_households?: boolean } } | null | undefined): boolean {
  return !!me && me.scope.length <= 6 && !!me.permissions.write_households;
}

// ---- A project's application (POST /api/projects) --------------------------------------------

export interface ProjectDraft {
  code: string; name: string; division_code: string; task: string; subsidy_standard: string; use: string;
  sources: { source: string; amount: string }[]; approved: string; period_start: string; period_end: string;
  unit: string; responsible: string; performance_target: string; beneficiaries: string;  // one household a line: code, then how
}
export function emptyProject(): ProjectDraft {
  return {
    code: '', name: '', division_code: '', task: '', subsidy_standard: '', use: '', sources: [{ source: '', amount: '' }], approved: '',
    period_start: '', period_end: '', unit: '', responsible: '', performance_target: '', beneficiaries: '',
  };
}
// "5404251001010001 分红" / "5404251001010001,务工" / a bare code, one a line; blank lines skipped,
// a household named twice kept once (its first line).
export function parseBeneficiaries(text: string): { household_code: string; how: string }[] {
  const out: { household_code: string; how: string }[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([0-9A-Za-z]+)\s*(?:[,，\t ]\s*(.*))?$/.exec(line);
    if (!m || out.some((b) => b.household_code === m[1])) continue;
    out.push({ household_code: m[1], how: (m[2] ?? '').trim() });
  }
  return out;
}
export function projectProblems(d: ProjectDraft): string[] {
  const out: string[] = [];
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(d.code.trim())) out.push('code');
  if (!d.name.trim()) out.push('name');
  if (!/^(\d{9}|\d{12})$/.test(d.division_code)) out.push('division_code');
  if (!d.use.trim()) out.push('use');
  d.sources.forEach((s, i) => {
    if (!s.source && !s.amount.trim() && d.sources.length > 1) return;
    if (!s.source) out.push(`sources[${i}].source`);
    if (!isYuan(s.amount)) out.push(`sources[${i}].amount`);
  });
  if (d.approved.trim() && !isYuan(d.approved)) out.push('approved');
  for (const k of ['period_start', 'period_end'] as const) if (!dayNumber(d[k])) out.push(k);
  if (dayNumber(d.period_start) !== null && dayNumber(d.period_end) !== null && d.period_end < d.period_start) out.push('period_end');
  return out;
}
// The body: trimmed texts, the sources' rows that are filled, approved as typed or the sources' sum.
export function projectBody(d: ProjectDraft): Record<string, unknown> {
  const sources = d.sources.filter((s) => s.source || s.amount.trim()).map((s) => ({ source: s.source, amount: s.amount.trim() }));
  return {
    code: d.code.trim(), name: d.name.trim(), division_code: d.division_code, task: d.task.trim(), subsidy_standard: d.subsidy_standard.trim(),
    use: d.use.trim(), sources, approved: d.approved.trim() || sumYuan(sources.map((s) => s.amount)),
    period_start: d.period_start, period_end: d.period_end, unit: d.unit.trim(), responsible: d.responsible.trim(),
    performance_target: d.performance_target.trim(), beneficiaries: parseBeneficiaries(d.beneficiaries),
  };
}
