// Dynamic management (动态管理): the procedure cases, exit candidates, the year's adjustment,
// poverty incidence and the third-party evaluation, as docs/dynamic-management.md gives them.
import { api, query } from './api';

export type ProcedureKind = 'new_identification' | 'exit' | 'fallback' | 'deregistration' | 'member_change' | 'buffer_end';
export type Level = 'village' | 'township' | 'county';

export interface ProcedureStep {
  step: string;
  date: string;
  actor: string;
  at: string;
  outcome: string;
  notes: string;
  from_state: string;
  to_state: string;
}

export interface NextStep {
  step: string;
  level: Level;
  level_zh: string;
  not_before: string | null;
}

export interface ProcedureCase {
  id: number;
  version: number;
  kind: ProcedureKind;
  kind_zh: string;
  household_code: string;
  division_code: string;
  year: number;
  state: string;
  state_zh: string;
  open: boolean;
  persons: number;
  steps: ProcedureStep[];
  household: Record<string, unknown> | null;
  exclusions: string[];
  reason: string;
  notice_until: string | null;
  member_change: number | string | null;
  member_id_number: string;
  next_step: NextStep | null;
  allowed_steps: string[];
}

export interface Waiting {
  township_code: string;
  township_name: string;
  village: number;
  township: number;
  county: number;
}

export interface ProcedureFilter {
  kind?: string;
  state?: string;
  division?: string;
  household?: string;
  year?: number | string;
  open?: boolean | '';
  offset?: number;
  limit?: number;
}

export interface ProcedureList {
  total: number;
  items: ProcedureCase[];
  waiting: Waiting[];
}

export interface Person {
  name: string;
  id_number: string;
  sex?: number;
  birth_date?: string;
  relation: number;
  ethnicity?: number;
  [k: string]: unknown;
}

// The body of POST /api/procedures: a case opened or a one-step change recorded.
export interface OpenProcedure {
  kind: ProcedureKind;
  year: number;
  date: string;
  notes?: string;
  household_code?: string;
  household?: Record<string, unknown>;
  reason?: string;
  member_change?: number | string;
  id_number?: string;
  person?: Person;
  new_head?: string;
}

export interface StepBody {
  step: string;
  date: string;
  outcome?: string;
  notes?: string;
  exclusions?: string[];
  version?: number;
}

export interface Unmet {
  id: string;
  standard: string;
  name_zh: string;
  name_en: string;
  detail_zh: string;
  detail_en: string;
}

export interface CandidateItem {
  household_code: string;
  division_code: string;
  head_name: string;
  status: number;
  persons: number;
  net_income_per_head: string | null;
  planned_exit_year: number | null;
  unmet: Unmet[];
}

export interface CandidateTownship {
  code: string;
  name: string;
  candidates: number;
  candidate_persons: number;
  not_ready: number;
  not_ready_persons: number;
}

export interface ExitCandidates {
  year: number;
  as_of: string;
  poverty_line_yuan: string | number | null;
  total_candidates: number;
  total_not_ready: number;
  townships: CandidateTownship[];
  unmet_counts: { id: string; households: number }[];
  items: CandidateItem[];
}

export interface CandidateFilter {
  year: number;
  division?: string;
  which?: 'candidates' | 'not_ready';
  offset?: number;
  limit?: number;
}

export interface IncidenceUnit {
  code: string;
  name: string;
  level: string;
  poor_persons: number;
  poor_households: number;
  population: number | null;
  population_summed: boolean;
  incidence: number | null;
  threshold: number;
  meets_threshold: boolean;
}

export interface Incidence {
  year: number;
  county: IncidenceUnit;
  townships: IncidenceUnit[];
  villages: IncidenceUnit[];
}

export interface AdjustmentCounts {
  exits: number;
  exit_persons: number;
  new_identifications: number;
  new_persons: number;
  fallbacks: number;
  fallback_persons: number;
  deregistrations: number;
  deregistered_persons: number;
  members_in: number;
  members_out: number;
  buffer_ends: number;
  open_cases: number;
}

export interface Adjustment {
  year: number;
  townships: { code: string; name: string; counts: AdjustmentCounts }[];
  total: AdjustmentCounts;
  approval: null | { approved_by: string; approved_at: string; approved_on: string; notes: string; summary: unknown };
}

export type Verdict = 'correct' | 'wrongful' | 'pending';

export interface EvaluationItem {
  household_code: string;
  division_code: string;
  verdict: Verdict;
  verdict_zh: string;
  notes: string;
  recorded_by: string;
  recorded_at: string;
}

export interface Veto {
  id: string;
  message_zh: string;
  message_en: string;
}

export interface Rates {
  sampled: number;
  judged: number;
  wrongful: number;
  wrongful_exit_rate: number | null;
  missed_rate: number | null;
  approval_rate: number | null;
  incidence: number | null;
  vetoes: Veto[];
  complete: boolean;
  passed: boolean;
}

export interface Survey {
  non_poor_surveyed: number;
  missed_found: number;
  approval_surveyed: number;
  approval_satisfied: number;
}

export interface Evaluation extends Survey {
  id: number;
  version: number;
  year: number;
  division_code: string;
  seed: number | string;
  population: number;
  drawn_by: string;
  drawn_at: string;
  items: EvaluationItem[];
  rates: Rates;
}

const enc = encodeURIComponent;

export const dynamicApi = {
  exitCandidates: (f: CandidateFilter) => api.get<ExitCandidates>('/api/exit-candidates' + query({ ...f })),
  procedures: (f: ProcedureFilter) =>
    api.get<ProcedureList>('/api/procedures' + query({ ...f, open: f.open === undefined || f.open === '' ? undefined : String(f.open) })),
  procedure: (id: number | string) => api.get<ProcedureCase>('/api/procedures/' + enc(String(id))),
  open: (body: OpenProcedure) => api.post<ProcedureCase>('/api/procedures', body),
  step: (id: number | string, body: StepBody) => api.post<ProcedureCase>('/api/procedures/' + enc(String(id)) + '/steps', body),
  timeline: (code: string) => api.get<{ household_code: string; cases: ProcedureCase[] }>('/api/households/' + enc(code) + '/timeline'),
  incidence: (year: number) => api.get<Incidence>('/api/incidence' + query({ year })),
  setPopulation: (code: string, year: number, rural_population: number) =>
    api.put<unknown>('/api/org-units/' + enc(code) + '/population', { year, rural_population }),
  adjustment: (year: number) => api.get<Adjustment>('/api/adjustments/' + year),
  approveAdjustment: (year: number, body: { date: string; notes: string }) => api.post<Adjustment>('/api/adjustments/' + year + '/approve', body),
  evaluations: () => api.get<{ items: Evaluation[] }>('/api/evaluations'),
  drawEvaluation: (body: { year: number; size: number; seed: number }) => api.post<Evaluation>('/api/evaluations', body),
  evaluation: (id: number | string) => api.get<Evaluation>('/api/evaluations/' + enc(String(id))),
  survey: (id: number | string, body: Partial<Survey>) => api.patch<unknown>('/api/evaluations/' + enc(String(id)), body),
  verdict: (id: number | string, code: string, body: { verdict: Verdict; notes: string }) =>
    api.put<unknown>('/api/evaluations/' + enc(String(id)) + '/items/' + enc(code), body),
};
