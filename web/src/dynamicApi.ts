// Dynamic management (动态管理): the procedure cases, exit candidates, the year's adjustment,
// poverty incidence and the third-party evaluation, as docs/dynamic-management.md gives them.
import { api, query } from './api';
import type { Adjustment, Evaluation, ExitCandidates, Incidence, Person, ProcedureCase, ProcedureKind, ProcedureList, Verdict } from './schemas';

// The answers' types are generated from the server's OpenAPI document (schemas.ts); the request
// bodies and filters below are the workbench's own.
export type {
  Adjustment, AdjustmentCounts, CandidateItem, CandidateTownship, Evaluation, EvaluationItem, ExitCandidates, Incidence, IncidenceUnit, Level, NextStep,
  Person, ProcedureCase, ProcedureKind, ProcedureList, ProcedureStep, Rates, Unmet, Verdict, Veto, Waiting,
} from './schemas';

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

export interface CandidateFilter {
  year: number;
  division?: string;
  which?: 'candidates' | 'not_ready';
  offset?: number;
  limit?: number;
}

export interface Survey {
  non_poor_surveyed: number;
  missed_found: number;
  approval_surveyed: number;
  approval_satisfied: number;
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
