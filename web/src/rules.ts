// What the server's rules say, read from the catalog it publishes (GET /api/codes, built from the
// core's tables by src/server/catalog_json.cc). Pure functions of the catalog, so the workbench
// keeps no copy of a rule; tested in rules.test.ts against the server's own answer.
import type { CheckRule, CodeCatalog, CodeEntry, CodeTableId, Level, Me, ProcedureKind, StepRule } from './schemas';

type Catalog = CodeCatalog | null | undefined;

export function entries(cat: Catalog, table: CodeTableId): CodeEntry[] {
  return cat?.[table]?.entries ?? [];
}

function entry(cat: Catalog, table: CodeTableId, code: number | null | undefined): CodeEntry | undefined {
  return code === null || code === undefined ? undefined : entries(cat, table).find((e) => e.code === code);
}

// The step `step` of a `kind` case in `state`, as the procedure's table has it.
export function stepRule(cat: Catalog, kind: string, state: string, step: string): StepRule | undefined {
  return cat?.procedures.find((p) => p.kind === kind)?.steps.find((s) => s.from === state && s.step === step);
}

// The outcomes a step form offers: empty when the step has only its usual one.
export function outcomeChoices(cat: Catalog, kind: string, state: string, step: string): string[] {
  const outcomes = stepRule(cat, kind, state, step)?.outcomes ?? [];
  return outcomes.length > 1 ? outcomes : [];
}

// Does the step record exclusion facts (a new identification's verification)?
export function takesExclusions(cat: Catalog, kind: string, state: string, step: string): boolean {
  return !!stepRule(cat, kind, state, step)?.exclusions;
}

// The procedure kinds and every state a case may be in (each state once, in the procedures' order).
export function procedureKinds(cat: Catalog): ProcedureKind[] {
  return (cat?.procedures ?? []).map((p) => p.kind as ProcedureKind);
}
export function procedureStates(cat: Catalog): string[] {
  const out: string[] = [];
  for (const p of cat?.procedures ?? []) for (const s of p.states) if (!out.includes(s.state)) out.push(s.state);
  return out;
}

// Only accounts that may write take steps and record changes.
export function mayWrite(me: Pick<Me, 'permissions'> | null | undefined): boolean {
  return !!me?.permissions.write_households;
}

// May the signed-in account take a step of `level` (the server says at which levels it acts)?
export function actsAt(cat: Catalog, level: Level): boolean {
  return !!cat?.acts_at.includes(level);
}

// A writer at county level: approves adjustments, sets populations, draws samples.
export function isCountyWriter(cat: Catalog): boolean {
  return actsAt(cat, 'county');
}

// Member changes: does the member leave (else one joins)?
export function memberLeaves(cat: Catalog, change: number | null | undefined): boolean {
  return !!entry(cat, 'member_change', change)?.leaves;
}

export function isHead(cat: Catalog, relation: number | null | undefined): boolean {
  return !!entry(cat, 'relation', relation)?.head;
}

// Does the member leaving head the household (so a new head must be named)?
export function headLeaves(cat: Catalog, members: { id_number?: string; relation?: number }[], idNumber: string): boolean {
  return isHead(cat, members.find((m) => m.id_number === idNumber)?.relation);
}

// Statuses: may an exit be opened; has the household exited; the status of a new identification.
export function mayExit(cat: Catalog, status: number | null | undefined): boolean {
  return !!entry(cat, 'status', status)?.may_exit;
}
export function hasExited(cat: Catalog, status: number | null | undefined): boolean {
  return !!entry(cat, 'status', status)?.exited;
}
export function identifiedStatus(cat: Catalog): number | undefined {
  return entries(cat, 'status').find((e) => e.identified)?.code;
}

// ---- Names in the chosen language -------------------------------------------------------------
// The catalog names every code, rule, severity and kind in Chinese (`name`) and English (`name_en`);
// screens show the one of the locale, the Chinese one when there is no English one.
export type Lang = 'zh' | 'en';
export function langOf(locale: string | null | undefined): Lang {
  return locale?.toLowerCase().startsWith('en') ? 'en' : 'zh';
}
export function inLang(x: { name: string; name_en?: string } | null | undefined, lang: Lang): string | undefined {
  if (!x) return undefined;
  return lang === 'en' && x.name_en ? x.name_en : x.name;
}

// A code's name ('' for no code; the number itself when the table has no such code).
export function codeName(cat: Catalog, table: CodeTableId, code: number | null | undefined, lang: Lang): string {
  if (code === null || code === undefined) return '';
  return inLang(entry(cat, table, code), lang) ?? String(code);
}
// A code table's own name.
export function tableLabel(cat: Catalog, table: CodeTableId, lang: Lang): string {
  const t = cat?.[table];
  if (!t) return table;
  return lang === 'en' && t.label_en ? t.label_en : t.label;
}

// A data-quality rule by its id (the id itself when the catalog does not know it).
export function checkRule(cat: Catalog, id: string): CheckRule | undefined {
  return cat?.check_rules.find((r) => r.id === id);
}
export function ruleName(cat: Catalog, id: string, lang: Lang): string {
  return inLang(checkRule(cat, id), lang) ?? id;
}
export function severityName(cat: Catalog, id: string, lang: Lang): string {
  return inLang(cat?.severities.find((s) => s.id === id), lang) ?? id;
}
export function reconcileKindName(cat: Catalog, id: string, lang: Lang): string {
  return inLang(cat?.reconcile_kinds.find((k) => k.id === id), lang) ?? id;
}

// ---- Step forms -------------------------------------------------------------------------------
// The days a step may be dated, as the server's rules have it: never before the case's last step;
// a step that waits for a notice only from the day after its objection period (notice_until); an
// objection only while the period runs. null: no bound.
export interface DateBounds { min: string | null; max: string | null }

function nextDay(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

export function stepDateBounds(
  cat: Catalog,
  c: { kind: string; state: string; steps: { date: string }[]; notice_until?: string | null; next_step?: { step: string; not_before?: string | null } | null },
  step: string,
): DateBounds {
  let min = c.steps.length ? c.steps[c.steps.length - 1].date : null;
  let max: string | null = null;
  const later = (d: string | null | undefined) => {
    if (d && (!min || d > min)) min = d;
  };
  const notice = stepRule(cat, c.kind, c.state, step)?.notice;
  if (notice === 'after' && c.notice_until) later(nextDay(c.notice_until));
  // The server's own word on the next step (the same rule, computed there).
  if (c.next_step?.step === step) later(c.next_step.not_before);
  if (notice === 'during' && c.notice_until) max = c.notice_until;
  return { min, max };
}

// May a step be dated `iso` (YYYY-MM-DD)?
export function dateAllowed(b: DateBounds, iso: string): boolean {
  return (!b.min || iso >= b.min) && (!b.max || iso <= b.max);
}

// The date a step form starts with: the earliest day the step may be dated, else `today`.
export function earliestStepDate(b: DateBounds, today: string): string {
  return b.min ?? (b.max && b.max < today ? b.max : today);
}

// Does a step's outcome tell more than the step's name? Its usual outcome does not (提出退出, not
// 提出退出 · 通过), nor that of a step that cannot fail (申请, 登记); a refusal does (未通过, 不同意),
// and so does an objection raised during a notice, which sends the case back.
export function outcomeTells(cat: Catalog, kind: string, fromState: string | null | undefined, step: string, outcome: string | null | undefined): boolean {
  if (!outcome) return false;
  const rule = stepRule(cat, kind, fromState ?? '', step);
  if (!rule) return false;
  return outcome !== rule.outcomes[0] || rule.notice === 'during';
}
