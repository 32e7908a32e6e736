// The household page's pure parts: the edit draft (a plain copy, never the server's copy), how a
// field's value reads to a person (codes by name, yes/no, '–' for empty), and the change history
// as field changes (field name, old → new).
import type { CodeTableId } from './schemas';

type Json = Record<string, unknown>;

// A deep, plain copy of a JSON value: safe on Vue's reactive proxies (structuredClone is not) and
// shares nothing with its source, so editing the copy never changes the original.
export function plainCopy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

// How a field's value is shown: a code of a table, a measure number, a yes/no, or text.
type Kind = { table: CodeTableId } | 'measure' | 'bool' | 'text';

// The household fields in the exchange layout's order (src/core/layout.cc), then the members'.
export const householdFields: Record<string, Kind> = {
  household_code: 'text', division_code: 'text', attribute: { table: 'attribute' },
  identification_standard: { table: 'identification_standard' }, main_cause: { table: 'cause' },
  other_causes: { table: 'cause' }, identified_year: 'text', planned_exit_year: 'text', status: { table: 'status' },
  exit_year: 'text', net_income_per_head: 'text', main_measure: 'measure', aux_measures: 'measure',
  pairing_cadre: 'text', phone: 'text', dangerous_housing: 'bool', safe_water: 'bool', household_electricity: 'bool',
  housing_area: 'text',
};
export const memberFields: Record<string, Kind> = {
  name: 'text', id_number: 'text', relation: { table: 'relation' }, sex: { table: 'sex' }, birth_date: 'text',
  ethnicity: { table: 'ethnicity' }, ethnicity_name: 'text', education: { table: 'education' },
  schooling: { table: 'schooling' }, health: { table: 'health' }, labour: { table: 'labour' },
  migrant_work: { table: 'migrant_work' }, months_worked: 'text',
};

// What a value needs to be read: code names, measure names and the words for yes and no.
export interface Namer {
  code(table: CodeTableId, code: number): string;
  measure(n: number): string;
  yes: string;
  no: string;
}

export const empty = '–';

function one(kind: Kind, v: unknown, n: Namer): string {
  if (v === null || v === undefined || v === '') return empty;
  if (kind === 'bool') return typeof v === 'boolean' ? (v ? n.yes : n.no) : String(v);
  if (kind === 'measure') return typeof v === 'number' ? n.measure(v) : String(v);
  if (kind === 'text') return String(v);
  return typeof v === 'number' ? n.code(kind.table, v) : String(v);
}

// A field's value as a person reads it; lists joined with 、, '–' when empty.
export function shown(kind: Kind | undefined, value: unknown, n: Namer): string {
  const k = kind ?? 'text';
  if (Array.isArray(value)) return value.length ? value.map((v) => one(k, v, n)).join('、') : empty;
  return one(k, value, n);
}

export interface FieldChange {
  field: string;    // household_code, members[2].name, members[+1] (a member joined), members[-0] (left)
  key: string;      // the field's key (name, status, members)
  member?: string;  // the member's name, for a member's field
  before: string;
  after: string;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

// The changes from `before` to `after` (HouseholdToJson objects, either may be null), field by field,
// values as shown. Members are matched by ID number, else by position and name (an ID number corrected).
export function householdChanges(before: Json | null, after: Json | null, n: Namer): FieldChange[] {
  const b = before ?? {};
  const a = after ?? {};
  const out: FieldChange[] = [];
  const keys = [...Object.keys(householdFields), ...Object.keys({ ...b, ...a }).filter((k) => !(k in householdFields))];
  for (const k of keys) {
    if (k === 'members' || k === 'version' || same(b[k], a[k])) continue;
    out.push({ field: k, key: k, before: shown(householdFields[k], b[k], n), after: shown(householdFields[k], a[k], n) });
  }
  const bm = (Array.isArray(b.members) ? b.members : []) as Json[];
  const am = (Array.isArray(a.members) ? a.members : []) as Json[];
  const matched = new Set<number>();
  am.forEach((m, i) => {
    let j = bm.findIndex((x, xi) => !matched.has(xi) && x.id_number === m.id_number);
    // An ID number corrected in place: the same position and name, the old number gone.
    if (j < 0 && i < bm.length && !matched.has(i) && bm[i].name === m.name && !am.some((y) => y.id_number === bm[i].id_number)) j = i;
    if (j < 0) {
      out.push({ field: `members[+${i}]`, key: 'members', member: String(m.name ?? ''), before: empty, after: String(m.name ?? empty) });
      return;
    }
    matched.add(j);
    const old = bm[j];
    for (const k of [...Object.keys(memberFields), ...Object.keys({ ...old, ...m }).filter((x) => !(x in memberFields))]) {
      if (same(old[k], m[k])) continue;
      out.push({ field: `members[${i}].${k}`, key: k, member: String(m.name ?? old.name ?? ''), before: shown(memberFields[k], old[k], n), after: shown(memberFields[k], m[k], n) });
    }
  });
  bm.forEach((m, j) => {
    if (!matched.has(j)) out.push({ field: `members[-${j}]`, key: 'members', member: String(m.name ?? ''), before: String(m.name ?? empty), after: empty });
  });
  return out;
}
