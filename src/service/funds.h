// Funds' operations (资金, 项目库), one function each, in its own transaction and logged in the
// change log, called alike by the API (src/server/routes_funds.cc, routes_projects.cc) and the CLI
// (`jingzhun fund|project|ledger ...`): fund sources, allocations, payees; the project library
// (apply, steps, list, show, the publicity notice); entries posted and reversed (a refused posting
// is recorded in fund_refusal, a finding); balances by source; the monthly expenditure report; the
// findings. docs/funds.md.
//
// Stateless functions over the Store passed in (one Store per thread: store/store.h). Amounts in
// JSON are yuan strings with two decimals ("1234.50"). Errors name the field and the reason in both
// languages: fund.invalid (a malformed field), the ledger's rules (fund.over_allocation, ...; the
// field "entries[i].amount" etc.), project.* (core/project_library.h), store.duplicate (code or id
// taken), store.conflict (version), fund.not_found / project.not_found.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/funds.h"
#include "core/org_unit.h"
#include "core/plan.h"
#include "core/project_library.h"
#include "store/store.h"

namespace jz::service {

// "1234.5", "1234.50", "1234" (yuan, at most 2 decimals, optional leading '-' refused) → fen.
Result<Fen> ParseYuan(std::string_view text, const std::string& field);

// --- Sources, allocations, payees -----------------------------------------------------------------

// The built-in sources, the plan's and the stored ones (by code, the first definition winning).
Result<std::vector<FundSource>> AllFundSources(Store& store, const Plan& plan);
// A new stored source: code [a-z0-9_]{1,40} not already a source, a name.
Result<FundSource> AddFundSource(Store& store, const Plan& plan, const FundSource& source, const ChangeContext& change);
// {"sources":[{code,name,special_poverty}]}
Result<boost::json::object> FundSourcesJson(Store& store, const Plan& plan);

// A new allocation (id 0: the next one): a known source, a document number, a year, amount > 0,
// earmark use codes.
Result<Allocation> AddAllocation(Store& store, const Plan& plan, Allocation allocation, const ChangeContext& change);
// {"allocations":[{id,source,source_name,document_number,year,amount,earmark,received,budgeted,
// spent,deposit_held,unspent}]}; year: only that year's.
// Adds every allocation in one transaction, all or nothing (a source may be given by its name;
// id 0: the next one). The first problem refuses the batch, its Error's row the 1-based position.
Result<std::vector<Allocation>> AddAllocations(Store& store, const Plan& plan, std::vector<Allocation> allocations,
                                               const ChangeContext& change);
Result<boost::json::object> AllocationsJson(Store& store, const Plan& plan, std::optional<int> year);
boost::json::object AllocationJson(const Allocation& a, const std::string& source_name);

Result<Payee> AddPayee(Store& store, Payee payee, const ChangeContext& change);  // id 0: the next
Result<boost::json::object> PayeesJson(Store& store);                              // {"payees":[...]}
std::optional<PayeeKind> ParsePayeeKind(std::string_view name);
std::string_view PayeeKindName(PayeeKind kind);

// {"sources":[{code,name,allocated,received,budgeted,spent,deposit_held,unspent}],"totals":{...},
//  "accounts":[{account,balance}]}
Result<boost::json::object> FundBalancesJson(Store& store, const Plan& plan);

// --- The project library ----------------------------------------------------------------------------

// Applies for a project (core ApplyProject against the sources): stored with version 1.
Result<LibraryProject> ApplyProject(Store& store, const Plan& plan, const LibraryProject& proposal, const Date& date,
                                    const std::string& notes, const ProjectActor& who, const ChangeContext& change);
// Takes a step on project `id` (at `version` when given: store.conflict otherwise). Once approved,
// the money view (fund_project, same id) is written and kept in step with the state and the
// re-approved amount, in the same transaction.
Result<LibraryProject> TakeProjectStep(Store& store, const Plan& plan, int64_t id, const ProjectStepRequest& request,
                                       std::optional<int64_t> version, const ProjectActor& who,
                                       const ChangeContext& change);
// A project by id or code ("FP2017-03"); project.not_found.
Result<LibraryProject> FindProject(Store& store, const std::string& id_or_code);

// The record as JSON (the API's `project`): amounts as yuan strings, dates YYYY-MM-DD.
boost::json::object ProjectRecordJson(const LibraryProject& p);
// The record's fields from JSON (apply; the import). Each problem names its field.
Result<LibraryProject> ProjectFromJson(const boost::json::value& body);

// {"projects":[{id,code,name,division_code,division_name,state,state_zh,approved,budgeted,paid,
//  deposit_held,beneficiaries}],"total"}
Result<boost::json::object> ProjectListJson(Store& store, const OrgTree& tree, const LibraryProjectFilter& filter);
// {"project","money":{budgeted,paid,deposit_held,base,stage_cap},"entries","households",
//  "allowed_steps"} — allowed_steps those `who` may take.
Result<boost::json::object> ProjectShowJson(Store& store, const Plan& plan, const LibraryProject& p,
                                            const ProjectActor& who);
// The publicity notice (公示): docs/api.md "Funds' routes".
Result<boost::json::object> ProjectNoticeJson(Store& store, const Plan& plan, const OrgTree& tree,
                                              const LibraryProject& p);

// --- Entries ----------------------------------------------------------------------------------------

// Posts a batch (Store::PostFundEntries in one transaction). A refusal changes nothing but is
// recorded (fund_refusal, its own transaction, dated `today`); the error's field is
// "entries[i].<field>" (i 0-based) and its row the 1-based position.
Result<std::vector<FundEntry>> PostEntries(Store& store, const Plan& plan, const std::vector<FundEntry>& batch,
                                           const Date& today, const ChangeContext& change);
// The reversing entry of entry `id`.
Result<FundEntry> ReverseEntry(Store& store, const Plan& plan, int64_t id, const Date& date, const std::string& refs,
                               const Date& today, const ChangeContext& change);
boost::json::object EntryJson(const FundEntry& e, int64_t reversed_by = 0);
// {"entries":[{date,kind,allocation,project,payee,to_allocation,amount,stage,refs,decision_id,reverses}]}
Result<std::vector<FundEntry>> EntriesFromJson(const boost::json::value& body);
// {"entries":[...],"total"}; division_prefix non-empty: only entries of projects there.
Result<boost::json::object> EntriesJson(Store& store, const FundEntryQuery& query, const std::string& division_prefix);

// --- Report and findings ----------------------------------------------------------------------------

// The monthly expenditure report of `year`-`month` (docs/funds.md "Monthly report"). A non-empty
// county-below `division_prefix` (a township's reader) keeps the project and township rows there
// and leaves the source and earmark rows out.
Result<boost::json::object> MonthlyReportJson(Store& store, const Plan& plan, const OrgTree& tree, int year, int month,
                                              const std::string& division_prefix);
// Findings as of a day: fund.idle, fund.deposit_overdue, fund.notice_missing and every refused
// posting (its rule, a breach). A township prefix keeps its projects' findings only.
Result<boost::json::object> FindingsJson(Store& store, const Plan& plan, const Date& as_of,
                                         const std::string& division_prefix);

}  // namespace jz::service
