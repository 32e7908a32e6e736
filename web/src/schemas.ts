// The API's types by name. They are generated from the server's OpenAPI document
// (src/server/openapi.json) into api-types.ts by `npm run api-types`; `npm run build` (and so
// scripts/build-web) fails when the document and api-types.ts disagree, and vue-tsc checks the
// pages against them. Add a schema to openapi.json, regenerate, and name it here.
import type { components } from './api-types';

type Schemas = components['schemas'];

export type Me = Schemas['Me'];
export type CodeCatalog = Schemas['CodeCatalog'];
export type CodeTable = Schemas['CodeTable'];
export type CodeEntry = Schemas['CodeEntry'];
export type StepRule = Schemas['StepRule'];
export type ProcedureRules = Schemas['ProcedureRules'];
export type NamedId = Schemas['NamedId'];
export type NamedIdEn = Schemas['NamedIdEn'];
export type CheckRule = Schemas['CheckRule'];
export type Level = Schemas['Level'];
export type Plan = Schemas['Plan'];
export type PlanMeasure = Plan['measures'][number];
export type OrgUnit = Schemas['OrgUnit'];
export type Household = Schemas['Household'];
export type HouseholdListItem = Schemas['HouseholdListItem'];
export type HouseholdPage = Schemas['HouseholdPage'];
export type Person = Schemas['Person'];
export type ProcedureCase = Schemas['ProcedureCase'];
export type ProcedureKind = ProcedureCase['kind'];
export type ProcedureStep = Schemas['ProcedureStep'];
export type NextStep = Schemas['NextStep'];
export type ProcedureList = Schemas['ProcedureList'];
export type Waiting = Schemas['Waiting'];
export type Unmet = Schemas['Unmet'];
export type CandidateItem = Schemas['CandidateItem'];
export type ExitCandidates = Schemas['ExitCandidates'];
export type CandidateTownship = ExitCandidates['townships'][number];
export type IncidenceUnit = Schemas['IncidenceUnit'];
export type Incidence = Schemas['Incidence'];
export type AdjustmentCounts = Schemas['AdjustmentCounts'];
export type Adjustment = Schemas['Adjustment'];
export type Veto = Schemas['Veto'];
export type Rates = Schemas['Rates'];
export type EvaluationItem = Schemas['EvaluationItem'];
export type Evaluation = Schemas['Evaluation'];
export type Verdict = EvaluationItem['verdict'];
export type Account = Schemas['Account'];
export type ImportSummary = Schemas['ImportSummary'];
export type ProgressReport = Schemas['ProgressReport'];
export type BattleMapSummary = Schemas['BattleMapSummary'];
export type BattleMapUnit = Schemas['BattleMapUnit'];
export type CheckReport = Schemas['CheckReport'];
export type ReconcileReport = Schemas['ReconcileReport'];
// The assistance ledger (一户一案) and the measures delivered.
export type AssistanceItem = Schemas['AssistanceItem'];
export type AssistanceList = Schemas['AssistanceList'];
export type IncomeRecord = Schemas['IncomeRecord'];
export type IncomeYear = Schemas['IncomeYear'];
export type PersonCoverage = Schemas['PersonCoverage'];
export type CoverageYearView = Schemas['CoverageYearView'];
export type HouseholdPlan = Schemas['HouseholdPlan'];
export type MeasureDelivered = Schemas['MeasureDelivered'];
export type MeasuresDelivered = Schemas['MeasuresDelivered'];
export type NotReached = Schemas['NotReached'];

// The code tables of the catalog (its other keys are the procedures' rules).
export type CodeTableId = {
  [K in keyof CodeCatalog]: CodeCatalog[K] extends CodeTable ? K : never;
}[keyof CodeCatalog];
// Pairing (结对帮扶, r-web): cadres, pairings, the assignment, work teams, overdue visits.
export type Cadre = Schemas['Cadre'];
export type CadreDetail = Schemas['CadreDetail'];
export type CadreList = Schemas['CadreList'];
export type CadreInput = Schemas['CadreInput'];
export type PairingEntry = Schemas['PairingEntry'];
export type PairingHistory = Schemas['PairingHistory'];
export type AssignmentProposal = Schemas['AssignmentProposal'];
export type AssignmentApplied = Schemas['AssignmentApplied'];
export type Teams = Schemas['Teams'];
export type TeamMember = Schemas['TeamMember'];
export type OnPostDays = Schemas['OnPostDays'];
export type OverdueVisits = Schemas['OverdueVisits'];
export type OverdueHousehold = Schemas['OverdueHousehold'];
export type HouseholdPlace = Schemas['HouseholdPlace'];
