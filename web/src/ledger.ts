// The assistance ledger's pure parts (一户一案, the plan page and the measures page): money shown
// from the server's decimal strings (formatted as text, never added as floating point), an item's
// state on the timeline, the cover grid with its gaps, the item and income bodies sent, and the
// measures' shares. No component, no request: tested in ledger.test.ts.
import type { AssistanceItem, CoverageYearView, IncomeYear, MeasureDelivered, PersonCoverage } from './schemas';

// "1520.5" → "1,520.50"; "-3" → "-3.00"; null/'' → '–'. Digits are grouped by text, so amounts of
// any size keep every fen.
export function formatYuan(amount: string | null | undefined): string {
  if (amount === null || amount === undefined || amount.trim() === '') return '–';
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(amount.trim());
  if (!m) return amount;
  const [, sign, whole, frac = ''] = m;
  const grouped = whole.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}.${(frac + '00').slice(0, 2)}`;
}

// A decimal string as typed into a form: yuan with at most two decimals, no sign, no grouping.
export function isYuan(text: string): boolean {
  return /^\d{1,10}(\.\d{1,2})?$/.test(text.trim());
}

// A share in per mille as a percentage with one decimal ("123" → "12.3%"); null → '–'.
export function permilleText(permille: number | null | undefined): string {
  if (permille === null || permille === undefined) return '–';
  return `${Math.trunc(permille / 10)}.${Math.abs(permille % 10)}%`;
}

// part of whole as a whole percentage for a bar (0..100; 0 without a whole).
export function percentOf(part: number, whole: number | null | undefined): number {
  if (!whole || whole <= 0) return 0;
  return Math.min(100, Math.round((100 * part) / whole));
}

export type ItemState = 'deleted' | 'unsigned' | 'signed';
export function itemState(item: Pick<AssistanceItem, 'deleted' | 'signed_on'>): ItemState {
  if (item.deleted) return 'deleted';
  return item.signed_on ? 'signed' : 'unsigned';
}

// The ledger as a timeline: by start date (then code), deleted items last.
export function timeline<T extends Pick<AssistanceItem, 'deleted' | 'start_date' | 'item_code'>>(items: T[]): T[] {
  return [...items].sort(
    (a, b) => Number(a.deleted) - Number(b.deleted) || a.start_date.localeCompare(b.start_date) || a.item_code.localeCompare(b.item_code),
  );
}

// May the item still be signed off or deleted?
export const maySign = (item: Pick<AssistanceItem, 'deleted' | 'signed_on'>) => itemState(item) === 'unsigned';
export const mayDelete = (item: Pick<AssistanceItem, 'deleted'>) => !item.deleted;

// The cover of the three guarantees: a recorded "no" is a gap (null: not recorded, not judged).
export const coverFlags = ['basic_medical_insurance', 'serious_illness_insurance', 'pension_insurance', 'dibao', 'wubao'] as const;
export type CoverFlag = (typeof coverFlags)[number];
export const gapFlags: CoverFlag[] = ['basic_medical_insurance', 'serious_illness_insurance', 'pension_insurance'];
export function isGap(cover: Partial<Record<CoverFlag, boolean | null>> | undefined): boolean {
  return !!cover && gapFlags.some((f) => cover[f] === false);
}

export interface CoverRow {
  key: string;        // the ID number as the answer gives it (masked for masked roles)
  name: string;
  cells: Record<number, PersonCoverage | undefined>;  // by year
}
// Persons × years. Rows follow the members' order, then anyone recorded who is not a member now.
// Masked numbers of one county look alike, so rows are keyed by number and name together.
export function coverGrid(members: { id_number?: string; name?: string }[], years: CoverageYearView[]): { years: number[]; rows: CoverRow[] } {
  const rows: CoverRow[] = [];
  const byKey = new Map<string, CoverRow>();
  const keyOf = (id: string, name: string) => `${id}|${name}`;
  for (const m of members) {
    const row: CoverRow = { key: m.id_number ?? '', name: m.name ?? '', cells: {} };
    const k = keyOf(row.key, row.name);
    if (!byKey.has(k)) {
      byKey.set(k, row);
      rows.push(row);
    }
  }
  for (const y of years)
    for (const p of y.persons) {
      const k = keyOf(p.id_number, p.name ?? '');
      let row = byKey.get(k);
      if (!row) {
        row = { key: p.id_number, name: p.name ?? '', cells: {} };
        byKey.set(k, row);
        rows.push(row);
      }
      row.cells[y.year] = p;
    }
  return { years: years.map((y) => y.year).sort((a, b) => a - b), rows };
}

// The form of a new item, as the add dialog holds it (amounts as typed text).
export interface ItemDraft {
  household_code: string;
  member_ids: string[];
  measure: number | null;
  category: number | null;
  kind: number | null;
  start_date: string;
  end_date: string;
  amount: string;
  periodic_amount: string;
  period: number | null;
  fund_ref: string;
  notes: string;
}
export function emptyDraft(household_code: string, measure: number | null, start_date: string): ItemDraft {
  return { household_code, member_ids: [], measure, category: null, kind: null, start_date, end_date: '', amount: '', periodic_amount: '', period: null, fund_ref: '', notes: '' };
}
// The body POST /api/assistance takes: empty texts left out, amounts as the decimal strings typed.
export function itemBody(d: ItemDraft): Record<string, unknown> {
  const body: Record<string, unknown> = {
    household_code: d.household_code, member_ids: d.member_ids, measure: d.measure, category: d.category, kind: d.kind,
    start_date: d.start_date, fund_ref: d.fund_ref.trim(), notes: d.notes.trim(),
  };
  if (d.end_date) body.end_date = d.end_date;
  if (d.amount.trim()) body.amount = d.amount.trim();
  if (d.periodic_amount.trim()) {
    body.periodic_amount = d.periodic_amount.trim();
    body.period = d.period;
  }
  return body;
}

// The income form of a year (parts as typed text) and the body PUT .../income/{year} takes.
export const incomeParts = ['wage', 'production', 'property', 'transfer', 'production_costs'] as const;
export type IncomePart = (typeof incomeParts)[number];
export interface IncomeDraft {
  year: number;
  version: number;  // 0: new
  persons: number;
  parts: Record<IncomePart, string>;
  notes: string;
}
export function incomeDraft(year: number, persons: number, y?: IncomeYear): IncomeDraft {
  const r = y?.record ?? null;
  const parts = Object.fromEntries(incomeParts.map((p) => [p, (r?.[p] as string | null | undefined) ?? ''])) as Record<IncomePart, string>;
  return { year, version: r?.version ?? 0, persons: r?.persons || persons, parts, notes: (r?.notes as string | undefined) ?? '' };
}
export function incomeBody(d: IncomeDraft): Record<string, unknown> {
  const body: Record<string, unknown> = { version: d.version, persons: d.persons, notes: d.notes.trim() };
  for (const p of incomeParts) body[p] = d.parts[p].trim() ? d.parts[p].trim() : null;
  return body;
}

// The income chart's series: one per part, a value per year (numbers for the bars' heights only;
// every figure shown as text comes from the strings).
export function incomeSeries(years: IncomeYear[]): { years: number[]; series: { part: IncomePart; values: (number | null)[] }[] } {
  const ys = years.filter((y) => y.record);
  return {
    years: ys.map((y) => y.year),
    series: incomeParts.map((part) => ({
      part,
      values: ys.map((y) => {
        const v = y.record?.[part] as string | null | undefined;
        if (v === null || v === undefined || v === '') return null;
        const n = Number(v);
        return part === 'production_costs' ? -n : n;
      }),
    })),
  };
}

// The measures page: a measure's delivery against its plan, as whole percentages for the bars.
export function deliveryOf(
  m: Pick<MeasureDelivered, 'planned_households' | 'reached_households' | 'reached_planned' | 'target_households' | 'beneficiaries' | 'target_persons'>,
) {
  return {
    reachedOfPlanned: percentOf(m.reached_households, m.planned_households),
    reachedOfTarget: percentOf(m.reached_households, m.target_households),
    beneficiariesOfTarget: percentOf(m.beneficiaries, m.target_persons),
    // Planned households not reached (those reached but not planned do not make up for them).
    notReached: Math.max(0, m.planned_households - (m.reached_planned ?? m.reached_households)),
  };
}
