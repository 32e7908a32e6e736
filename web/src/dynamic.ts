// The workbench's small rules about procedure cases, dates and rates (pure, tested in dynamic.test.ts).
// The procedure rules themselves come from the server (rules.ts); nothing here restates them.
import type { OpenProcedure, Rates } from './dynamicApi';
import { beijingToday } from './format';
import { headLeaves, memberLeaves } from './rules';
import type { CodeCatalog, Person, ProcedureCase, ProcedureKind, ProcedureStep } from './schemas';

// YYYY-MM-DD of a local date (today by default).
export function isoDate(d: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

// Days since 1970-01-01 of a YYYY-MM-DD date; NaN when it is not one.
function dayNumber(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86400000;
}

// Whole days from `from` to `to` (both YYYY-MM-DD); null when either is not a date.
export function daysBetween(from: string, to: string): number | null {
  const d = dayNumber(to) - dayNumber(from);
  return Number.isFinite(d) ? d : null;
}

export function addDays(iso: string, days: number): string {
  const n = dayNumber(iso);
  if (!Number.isFinite(n)) return iso;
  return new Date((n + days) * 86400000).toISOString().slice(0, 10);
}

// The date of a case's last step: since when it has been in its state.
export function since(c: Pick<ProcedureCase, 'steps'>): string | null {
  return c.steps.length ? c.steps[c.steps.length - 1].date : null;
}

// How long an open case has waited for its next step, in days up to `today`; null when closed.
// A notice waits from the day after its objection period only (not_before), never below zero.
export function daysWaiting(c: Pick<ProcedureCase, 'steps' | 'open' | 'next_step'>, today: string = beijingToday()): number | null {
  if (!c.open) return null;
  const from = c.next_step?.not_before ?? since(c);
  if (!from) return null;
  const d = daysBetween(from, today);
  return d === null ? null : Math.max(0, d);
}


export interface TimelineEntry extends ProcedureStep {
  case_id: number;
  kind: string;
  kind_zh: string;
  state_zh: string;
}

// Every step of a household's cases in one list, by date (then recording time, then case order).
export function timelineOf(cases: ProcedureCase[]): TimelineEntry[] {
  const all = cases.flatMap((c, ci) =>
    c.steps.map((s, si) => ({ entry: { ...s, case_id: c.id, kind: c.kind, kind_zh: c.kind_zh, state_zh: c.state_zh }, ci, si })),
  );
  all.sort((a, b) => a.entry.date.localeCompare(b.entry.date) || (a.entry.at ?? '').localeCompare(b.entry.at ?? '') || a.ci - b.ci || a.si - b.si);
  return all.map((x) => x.entry);
}

// A rate as a percentage ("2.35%"); "–" when unknown.
export function formatRate(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  return (v * 100).toFixed(digits) + '%';
}

export function vetoed(rates: Pick<Rates, 'vetoes'> | null | undefined, id: string): boolean {
  return !!rates?.vetoes.some((v) => v.id === id);
}

// The year pages open on: this year, within the plan's years.
export function defaultYear(plan: { start_year?: number; end_year: number } | null | undefined, today: Date = new Date()): number {
  const y = today.getFullYear();
  if (!plan) return y;
  return Math.max(plan.start_year ?? plan.end_year, Math.min(y, plan.end_year));
}

// The years a picker offers: two before the plan to this year (or two after the plan).
export function yearOptions(plan: { start_year?: number; end_year: number } | null | undefined, today: Date = new Date()): number[] {
  const y = today.getFullYear();
  const first = (plan?.start_year ?? plan?.end_year ?? y) - 2;
  const last = Math.max(y, (plan?.end_year ?? y) + 2);
  const out: number[] = [];
  for (let i = last; i >= first; i--) out.push(i);
  return out;
}

// A year from a route parameter or query value, or the fallback.
export function yearParam(v: unknown, fallback: number): number {
  const n = typeof v === 'string' && /^\d{4}$/.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) ? n : fallback;
}

// A date in `year` for a form to start with: today (in Beijing) in this year, 1 December of a past year (room
// for the steps after it), 1 January of a later one.
export function dateInYear(year: number, today: string = beijingToday()): string {
  const y = Number(today.slice(0, 4));
  if (year === y) return today;
  return year < y ? `${year}-12-01` : `${year}-01-01`;
}

export interface ChangeForm {
  year: number;
  date: string;
  notes: string;
  reason: string;
  change: number | null;  // member change code
  id_number: string;      // the member leaving
  new_head: string;       // when the head leaves
}

// The body that records a change of a household: an exit opened, a fallback, a deregistration or
// a member change (a departure names the member, and the new head when the head leaves; an arrival
// carries the person, empty values left out).
export function changeBody(
  cat: CodeCatalog | null | undefined,
  kind: ProcedureKind,
  householdCode: string,
  form: ChangeForm,
  person: Record<string, unknown>,
  members: { id_number?: string; relation?: number }[],
): OpenProcedure {
  const b: OpenProcedure = { kind, household_code: householdCode, year: form.year, date: form.date, notes: form.notes };
  if (kind === 'fallback' || kind === 'deregistration') b.reason = form.reason;
  if (kind === 'member_change' && form.change !== null) {
    b.member_change = form.change;
    if (memberLeaves(cat, form.change)) {
      b.id_number = form.id_number;
      if (headLeaves(cat, members, form.id_number)) b.new_head = form.new_head;
    } else {
      b.person = Object.fromEntries(Object.entries(person).filter(([, v]) => v !== null && v !== undefined && v !== '')) as unknown as Person;
    }
  }
  return b;
}
