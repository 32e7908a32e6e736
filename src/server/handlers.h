// The API's handlers, one group per file (routes_<group>.cc); routes.cc maps them to paths.
// Each parses the request, checks the caller's role and scope, calls a service (src/service/) or
// the store, and writes the answer. They run on several threads at once: all they share is the
// ApiState (api_state.h), itself safe for that.
#pragma once

#include <optional>

#include "server/http.h"

namespace jz {
class Store;
}

namespace jz::server {

struct ApiState;
struct Principal;

#define JZ_SESSION_HANDLER(name) \
    Response name(ApiState& s, RequestContext& c, const Principal& p, Store& store)
#define JZ_PUBLIC_HANDLER(name) Response name(ApiState& s, RequestContext& c)

namespace routes {

// routes_session.cc: health, the OpenAPI document, login, logout, the signed-in user.
JZ_PUBLIC_HANDLER(Health);
JZ_PUBLIC_HANDLER(OpenApi);
JZ_PUBLIC_HANDLER(Login);
std::optional<Response> AdmitLogin(ApiState& s, RequestContext& c);
JZ_SESSION_HANDLER(Logout);
JZ_SESSION_HANDLER(Me);

// routes_households.cc: the household list and search, one household, edits, history, timeline.
JZ_SESSION_HANDLER(ListHouseholds);
JZ_SESSION_HANDLER(CreateHousehold);
JZ_SESSION_HANDLER(GetHousehold);
JZ_SESSION_HANDLER(UpdateHousehold);
JZ_SESSION_HANDLER(History);
JZ_SESSION_HANDLER(Timeline);

// routes_files.cc: imports (and their error files) and exports.
JZ_SESSION_HANDLER(Import);
JZ_SESSION_HANDLER(GetImport);
JZ_SESSION_HANDLER(ImportErrors);
JZ_SESSION_HANDLER(ExportCsv);
JZ_SESSION_HANDLER(ExportXlsx);
JZ_SESSION_HANDLER(ImportTemplate);  // GET /api/import/template?format=xlsx|csv

// routes_reports.cc: progress, check, reconcile, incidence, exit candidates, the plan, org units,
// code tables, the audit trail.
JZ_SESSION_HANDLER(Progress);
JZ_SESSION_HANDLER(Summary);  // the battle map's summary for one org unit
JZ_SESSION_HANDLER(Check);
JZ_SESSION_HANDLER(Reconcile);
JZ_SESSION_HANDLER(Incidence);
JZ_SESSION_HANDLER(ExitCandidates);
JZ_SESSION_HANDLER(PlanRoute);
JZ_SESSION_HANDLER(OrgUnits);
JZ_SESSION_HANDLER(Codes);
JZ_SESSION_HANDLER(Audit);

// routes_users.cc: accounts.
JZ_SESSION_HANDLER(ListUsers);
JZ_SESSION_HANDLER(CreateUser);
JZ_SESSION_HANDLER(UpdateUser);

// routes_procedures.cc: procedure cases, one-step changes, population settings, the adjustment.
JZ_SESSION_HANDLER(ListProcedures);
JZ_SESSION_HANDLER(OpenProcedure);
JZ_SESSION_HANDLER(GetProcedure);
JZ_SESSION_HANDLER(TakeStep);
JZ_SESSION_HANDLER(PutPopulation);
JZ_SESSION_HANDLER(GetAdjustment);
JZ_SESSION_HANDLER(ApproveAdjustment);

// routes_evaluations.cc: the third-party evaluation.
JZ_SESSION_HANDLER(ListEvaluations);
JZ_SESSION_HANDLER(DrawEvaluation);
JZ_SESSION_HANDLER(GetEvaluation);
JZ_SESSION_HANDLER(PatchEvaluation);
JZ_SESSION_HANDLER(JudgeItem);

// routes_assistance.cc: the assistance ledger (一户一案): a household's plan page, items, income
// and cover, the measures delivered and the households not reached.
JZ_SESSION_HANDLER(HouseholdPlanRoute);
JZ_SESSION_HANDLER(ListAssistanceRoute);
JZ_SESSION_HANDLER(AddAssistanceRoute);
JZ_SESSION_HANDLER(UpdateAssistanceRoute);
JZ_SESSION_HANDLER(SignAssistanceRoute);
JZ_SESSION_HANDLER(DeleteAssistanceRoute);
JZ_SESSION_HANDLER(PutIncomeRoute);
JZ_SESSION_HANDLER(PutCoverageRoute);
JZ_SESSION_HANDLER(MeasuresReport);
JZ_SESSION_HANDLER(NotReachedRoute);
// routes_pairing.cc: pairing (结对帮扶): cadres with load and quota, a household's pairings, the
// assignment proposal and apply, work teams and days on post, overdue visits, households' places.
JZ_SESSION_HANDLER(ListCadresRoute);
JZ_SESSION_HANDLER(AddCadreRoute);
JZ_SESSION_HANDLER(GetCadreRoute);
JZ_SESSION_HANDLER(UpdateCadreRoute);
JZ_SESSION_HANDLER(HouseholdPairingsRoute);
JZ_SESSION_HANDLER(SetPairingRoute);
JZ_SESSION_HANDLER(EndPairingRoute);
JZ_SESSION_HANDLER(PutPlaceRoute);
JZ_SESSION_HANDLER(PairingProposalRoute);
JZ_SESSION_HANDLER(ApplyPairingRoute);
JZ_SESSION_HANDLER(TeamsRoute);
JZ_SESSION_HANDLER(AddTeamMemberRoute);
JZ_SESSION_HANDLER(EndTeamMemberRoute);
JZ_SESSION_HANDLER(PutOnPostRoute);
JZ_SESSION_HANDLER(OverdueVisitsRoute);

// routes_shares.cc: asset-income shares (资产收益扶贫): assets, dividends, disposal, the year's
// reallocation, a household's shares.
JZ_SESSION_HANDLER(ListAssetsRoute);
JZ_SESSION_HANDLER(AddAssetRoute);
JZ_SESSION_HANDLER(GetAssetRoute);
JZ_SESSION_HANDLER(DeclareDividendsRoute);
JZ_SESSION_HANDLER(DisposeAssetRoute);
JZ_SESSION_HANDLER(ReallocateSharesRoute);
JZ_SESSION_HANDLER(HouseholdSharesRoute);

// routes_visits.cc: visits (recorded once per client id, listed, their photos) and the field kit.
JZ_SESSION_HANDLER(RecordVisitRoute);
JZ_SESSION_HANDLER(ListVisitsRoute);
JZ_SESSION_HANDLER(VisitPhotoRoute);
JZ_SESSION_HANDLER(FieldKitRoute);
size_t VisitBodyLimit(int photo_max_bytes);  // POST /api/visits: the plan's photo as base64 and the texts

// routes_static.cc: the web workbench's files (the router's fallback for paths outside /api/).
JZ_PUBLIC_HANDLER(Static);

// routes_funds.cc: fund sources, allocations, payees, balances, entries, the monthly report, findings.
JZ_SESSION_HANDLER(FundSourcesRoute);
JZ_SESSION_HANDLER(AddFundSourceRoute);
JZ_SESSION_HANDLER(AllocationsRoute);
JZ_SESSION_HANDLER(AddAllocationRoute);
JZ_SESSION_HANDLER(PayeesRoute);
JZ_SESSION_HANDLER(AddPayeeRoute);
JZ_SESSION_HANDLER(FundBalancesRoute);
JZ_SESSION_HANDLER(FundEntriesRoute);
JZ_SESSION_HANDLER(PostFundEntriesRoute);
JZ_SESSION_HANDLER(ReverseFundEntryRoute);
JZ_SESSION_HANDLER(MonthlyFundReportRoute);
JZ_SESSION_HANDLER(FundFindingsRoute);
// routes_projects.cc: the project library.
JZ_SESSION_HANDLER(ListProjectsRoute);
JZ_SESSION_HANDLER(ApplyProjectRoute);
JZ_SESSION_HANDLER(GetProjectRoute);
JZ_SESSION_HANDLER(ProjectStepRoute);
JZ_SESSION_HANDLER(ProjectNoticeRoute);
// routes_print.cc: the household card, a village's cards, the village register / township book.
JZ_SESSION_HANDLER(HouseholdCardRoute);
JZ_SESSION_HANDLER(VillageCardsRoute);
JZ_SESSION_HANDLER(RegisterRoute);
// routes_periodic.cc: the periodic reports (build, issue, list, show, compare) and the schedule.
JZ_SESSION_HANDLER(PeriodicReportRoute);
JZ_SESSION_HANDLER(IssueReportRoute);
JZ_SESSION_HANDLER(ListIssuedRoute);
JZ_SESSION_HANDLER(GetIssuedRoute);
JZ_SESSION_HANDLER(CompareIssuedRoute);
JZ_SESSION_HANDLER(ReportsDueRoute);

}  // namespace routes
}  // namespace jz::server
