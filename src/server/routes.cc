// The route table (routes.h).
#include "server/routes.h"

#include "server/handlers.h"

namespace jz::server {
namespace {

using V = http::verb;
using namespace routes;  // NOLINT: the table names every handler

// Where routes run (http.h Lane): health, the OpenAPI document and the point reads (me, one
// household) on the I/O threads; login and the user routes (password hashing) on the login lane;
// long work (imports, exports, scans, reports) on the blocking lane; every other route, all of
// which read or write the store, on the work lane.
constexpr Lane kInline = Lane::kInline, kWork = Lane::kWork, kBlocking = Lane::kBlocking,
               kLogin = Lane::kLogin;

// clang-format off
const RouteEntry kRoutes[] = {
    // method      path                                   lane       body limit        scoped handler
    {V::get,   "/healthz",                               kInline,   0,                false, nullptr, Health},
    {V::get,   "/api/openapi.json",                      kInline,   0,                false, nullptr, OpenApi},
    {V::post,  "/api/login",                             kLogin,    kLoginBodyLimit,  false, nullptr, Login, AdmitLogin},
    {V::post,  "/api/logout",                            kWork,     0,                true,  Logout},
    {V::get,   "/api/me",                                kInline,   0,                true,  Me},
    {V::get,   "/api/org-units",                         kWork,     0,                true,  OrgUnits},
    {V::get,   "/api/plan",                              kWork,     0,                true,  PlanRoute},
    {V::get,   "/api/codes",                             kWork,     0,                true,  Codes},
    // On the worker pool: a search (q=) is milliseconds from the index, but a page of 200 still
    // reads 200 households from the store, which is no work for a connection thread.
    {V::get,   "/api/households",                        kBlocking, 0,                true,  ListHouseholds},
    {V::post,  "/api/households",                        kWork,     0,                true,  CreateHousehold},
    {V::get,   "/api/households/{code}",                 kInline,   0,                true,  GetHousehold},
    {V::put,   "/api/households/{code}",                 kWork,     0,                true,  UpdateHousehold},
    {V::get,   "/api/households/{code}/history",         kWork,     0,                true,  History},
    {V::post,  "/api/imports",                           kBlocking, kImportBodyLimit, true,  Import, nullptr, nullptr, true},
    {V::get,   "/api/imports/{id}",                      kWork,     0,                true,  GetImport},
    {V::get,   "/api/imports/{id}/errors.csv",           kWork,     0,                true,  ImportErrors},
    {V::get,   "/api/exports/registry.csv",              kBlocking, 0,                true,  ExportCsv},
    {V::get,   "/api/exports/registry.xlsx",             kBlocking, 0,                true,  ExportXlsx},
    {V::get,   "/api/import/template",                   kWork,     0,                true,  ImportTemplate},
    {V::get,   "/api/reports/progress",                  kBlocking, 0,                true,  Progress},
    {V::get,   "/api/reports/summary",                   kBlocking, 0,                true,  Summary},
    {V::get,   "/api/check",                             kBlocking, 0,                true,  Check},
    {V::get,   "/api/reconcile",                         kBlocking, 0,                true,  Reconcile},
    {V::get,   "/api/audit",                             kWork,     0,                true,  Audit},
    {V::get,   "/api/users",                             kWork,     0,                true,  ListUsers},
    {V::post,  "/api/users",                             kLogin,    kUserBodyLimit,   true,  CreateUser},
    {V::patch, "/api/users/{username}",                  kLogin,    kUserBodyLimit,   true,  UpdateUser},
    {V::get,   "/api/exit-candidates",                   kBlocking, 0,                true,  ExitCandidates},
    {V::get,   "/api/procedures",                        kWork,     0,                true,  ListProcedures},
    {V::post,  "/api/procedures",                        kBlocking, 0,                true,  OpenProcedure},
    {V::get,   "/api/procedures/{id}",                   kWork,     0,                true,  GetProcedure},
    {V::post,  "/api/procedures/{id}/steps",             kWork,     0,                true,  TakeStep},
    {V::get,   "/api/households/{code}/timeline",        kWork,     0,                true,  Timeline},
    {V::get,   "/api/incidence",                         kBlocking, 0,                true,  Incidence},
    {V::put,   "/api/org-units/{code}/population",       kWork,     0,                true,  PutPopulation},
    {V::get,   "/api/adjustments/{year}",                kWork,     0,                true,  GetAdjustment},
    {V::post,  "/api/adjustments/{year}/approve",        kWork,     0,                true,  ApproveAdjustment},
    {V::get,   "/api/evaluations",                       kBlocking, 0,                true,  ListEvaluations},
    {V::post,  "/api/evaluations",                       kBlocking, 0,                true,  DrawEvaluation},
    {V::get,   "/api/evaluations/{id}",                  kBlocking, 0,                true,  GetEvaluation},
    {V::patch, "/api/evaluations/{id}",                  kBlocking, 0,                true,  PatchEvaluation},
    {V::put,   "/api/evaluations/{id}/items/{code}",     kBlocking, 0,                true,  JudgeItem},
    // The assistance ledger (routes_assistance.cc).
    {V::get,   "/api/households/{code}/plan",            kInline,   0,                true,  HouseholdPlanRoute},
    {V::put,   "/api/households/{code}/income/{year}",   kWork,     0,                true,  PutIncomeRoute},
    {V::put,   "/api/households/{code}/coverage/{year}", kWork,     0,                true,  PutCoverageRoute},
    {V::get,   "/api/assistance",                        kBlocking, 0,                true,  ListAssistanceRoute},
    {V::post,  "/api/assistance",                        kWork,     0,                true,  AddAssistanceRoute},
    {V::put,   "/api/assistance/{code}",                 kWork,     0,                true,  UpdateAssistanceRoute},
    {V::post,  "/api/assistance/{code}/sign",            kWork,     0,                true,  SignAssistanceRoute},
    {V::post,  "/api/assistance/{code}/delete",          kWork,     0,                true,  DeleteAssistanceRoute},
    {V::get,   "/api/reports/measures",                  kBlocking, 0,                true,  MeasuresReport},
    {V::get,   "/api/reports/measures/{number}/not-reached", kBlocking, 0,            true,  NotReachedRoute},
    // Visits and the field kit (routes_visits.cc). A visit may carry a photo (decoded and sniffed),
    // a kit reads a cadre's households with their last visits: both on the worker pool.
    {V::post,  "/api/visits",                            kBlocking, kVisitBodyLimit,  true,  RecordVisitRoute},
    {V::get,   "/api/visits",                            kBlocking, 0,                true,  ListVisitsRoute},
    {V::get,   "/api/visits/{id}/photo",                 kWork,     0,                true,  VisitPhotoRoute},
    {V::get,   "/api/field/kit",                         kBlocking, 0,                true,  FieldKitRoute},

    // Pairing (routes_pairing.cc): cadres, pairings, the assignment, work teams, overdue visits.
    {V::get,   "/api/cadres",                            kBlocking, 0,                true,  ListCadresRoute},
    {V::post,  "/api/cadres",                            kWork,     0,                true,  AddCadreRoute},
    {V::get,   "/api/cadres/{id}",                       kWork,     0,                true,  GetCadreRoute},
    {V::put,   "/api/cadres/{id}",                       kWork,     0,                true,  UpdateCadreRoute},
    {V::get,   "/api/households/{code}/pairings",        kInline,   0,                true,  HouseholdPairingsRoute},
    {V::put,   "/api/households/{code}/pairing",         kWork,     0,                true,  SetPairingRoute},
    {V::post,  "/api/households/{code}/pairing/end",     kWork,     0,                true,  EndPairingRoute},
    {V::put,   "/api/households/{code}/place",           kWork,     0,                true,  PutPlaceRoute},
    {V::get,   "/api/pairing/proposal",                  kBlocking, 0,                true,  PairingProposalRoute},
    {V::post,  "/api/pairing/apply",                     kBlocking, 0,                true,  ApplyPairingRoute},
    {V::get,   "/api/teams",                             kBlocking, 0,                true,  TeamsRoute},
    {V::post,  "/api/teams/members",                     kWork,     0,                true,  AddTeamMemberRoute},
    {V::post,  "/api/teams/members/{id}/end",            kWork,     0,                true,  EndTeamMemberRoute},
    {V::put,   "/api/teams/members/{id}/on-post/{month}", kWork,    0,                true,  PutOnPostRoute},
    {V::get,   "/api/visits/overdue",                    kBlocking, 0,                true,  OverdueVisitsRoute},

    // Asset-income shares (routes_shares.cc): assets, dividends, disposal, the reallocation.
    {V::get,   "/api/assets",                            kWork,     0,                true,  ListAssetsRoute},
    {V::post,  "/api/assets",                            kBlocking, 0,                true,  AddAssetRoute},
    {V::get,   "/api/assets/{id}",                       kWork,     0,                true,  GetAssetRoute},
    {V::post,  "/api/assets/{id}/dividends",             kBlocking, 0,                true,  DeclareDividendsRoute},
    {V::post,  "/api/assets/{id}/disposal",              kWork,     0,                true,  DisposeAssetRoute},
    {V::post,  "/api/shares/reallocation",               kBlocking, 0,                true,  ReallocateSharesRoute},
    {V::get,   "/api/households/{code}/shares",          kWork,     0,                true,  HouseholdSharesRoute},
    // Funds and the project library (routes_funds.cc, routes_projects.cc): reports and lists that
    // sum the ledger run on the worker pool.
    {V::get,   "/api/fund-sources",                      kWork,     0,                true,  FundSourcesRoute},
    {V::post,  "/api/fund-sources",                      kWork,     0,                true,  AddFundSourceRoute},
    {V::get,   "/api/allocations",                       kBlocking, 0,                true,  AllocationsRoute},
    {V::post,  "/api/allocations",                       kWork,     0,                true,  AddAllocationRoute},
    {V::get,   "/api/payees",                            kWork,     0,                true,  PayeesRoute},
    {V::post,  "/api/payees",                            kWork,     0,                true,  AddPayeeRoute},
    {V::get,   "/api/fund-balances",                     kBlocking, 0,                true,  FundBalancesRoute},
    {V::get,   "/api/fund-entries",                      kBlocking, 0,                true,  FundEntriesRoute},
    {V::post,  "/api/fund-entries",                      kBlocking, 0,                true,  PostFundEntriesRoute},
    {V::post,  "/api/fund-entries/{id}/reversal",        kWork,     0,                true,  ReverseFundEntryRoute},
    {V::get,   "/api/fund-reports/monthly",              kBlocking, 0,                true,  MonthlyFundReportRoute},
    {V::get,   "/api/fund-findings",                     kBlocking, 0,                true,  FundFindingsRoute},
    {V::get,   "/api/projects",                          kBlocking, 0,                true,  ListProjectsRoute},
    {V::post,  "/api/projects",                          kWork,     0,                true,  ApplyProjectRoute},
    {V::get,   "/api/projects/{id}",                     kBlocking, 0,                true,  GetProjectRoute},
    {V::post,  "/api/projects/{id}/steps",               kWork,     0,                true,  ProjectStepRoute},
    {V::get,   "/api/projects/{id}/notice",              kWork,     0,                true,  ProjectNoticeRoute},
    // Printing (routes_print.cc): cards and registers render PDFs or .xlsx, on the worker pool.
    {V::get,   "/api/households/{code}/card",            kBlocking, 0,                true,  HouseholdCardRoute},
    {V::get,   "/api/org-units/{code}/cards",            kBlocking, 0,                true,  VillageCardsRoute},
    {V::get,   "/api/org-units/{code}/register",         kBlocking, 0,                true,  RegisterRoute},
    // Periodic reports (routes_periodic.cc): building and rendering scan the registry.
    {V::get,   "/api/reports/periodic",                  kBlocking, 0,                true,  PeriodicReportRoute},
    {V::post,  "/api/reports/issued",                    kBlocking, 0,                true,  IssueReportRoute},
    {V::get,   "/api/reports/issued",                    kWork,     0,                true,  ListIssuedRoute},
    {V::get,   "/api/reports/issued/{id}",               kBlocking, 0,                true,  GetIssuedRoute},
    {V::get,   "/api/reports/issued/{id}/compare",       kBlocking, 0,                true,  CompareIssuedRoute},
    {V::get,   "/api/reports/due",                       kWork,     0,                true,  ReportsDueRoute},
};
// clang-format on

}  // namespace

std::span<const RouteEntry> RouteTable() { return kRoutes; }

}  // namespace jz::server
