// What the server's rules say, read from the catalog it publishes (GET /api/codes, built from the
// core's tables by src/server/catalog_json.cc). Pure functions of the catalog, so the workbench
// keeps no copy of a rule; tested in rules.test.ts against the server's own answer.
import type { CodeCatalog, CodeEntry, CodeTableId, Level, Me, ProcedureKind, StepRule } from './schemas';

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
