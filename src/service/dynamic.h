// Dynamic management as the CLI and the API run it: each operation loads what the core needs,
// asks core/procedure.h, and writes the outcome — the case, and the household it changes — in one
// transaction, so a refused or failed operation leaves everything as it was, and every change is in
// the change log. The JSON shapes are those of docs/dynamic-management.md.
//
// Contract. A Dynamic is made per request (or per command) over one Store, which it uses but does
// not own, and over the plan and tree, which must outlive it; it is used by one thread. Different
// Dynamic objects over different Stores may run at once (the API's handlers do).
#pragma once

#include <array>
#include <boost/json.hpp>
#include <expected>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/check.h"
#include "core/evaluation.h"
#include "core/exit_standard.h"
#include "core/incidence.h"
#include "core/org_unit.h"
#include "core/plan.h"
#include "core/procedure.h"
#include "service/household_input.h"
#include "store/store.h"

namespace jz::service {

// Who acts: role and scope decide which steps they may take (core MayActAt).
struct Actor {
    Role role = Role::kViewer;
    std::string username;
    std::string scope;
};

// How a caller should present a failure.
enum class FailureKind {
    kInput,      // the request is unusable (a field, a date, a code)
    kNotFound,   // no such case, household or evaluation (in the actor's scope)
    kForbidden,  // procedure.permission: the level or scope does not allow the step
    kRefused,    // procedure.*: the procedure does not allow it now
    kConflict,   // store.conflict / a stale version: someone changed it meanwhile
    kStore,      // anything else: the store failed
};
FailureKind KindOf(const Error& e);

struct OpenRequest {
    ProcedureKind kind = ProcedureKind::kExit;
    int year = 0;
    Date date;
    std::string notes;
    std::string household_code;         // exit, fallback, deregistration, member change
    std::optional<Household> proposal;  // new identification (already accepted by the importer's rules)
    std::string reason;                 // fallback text; deregistration reason name
    MemberChangeRequest member;         // member change
};

// The person joining a household in a member change (嫁入, 新生儿, ...), accepted by the importer's
// rules: checked as the second member of a household made of `current`'s head and the person (its
// relation 之子 when it names none), so every member rule and message applies and the household's
// other members take no part. Errors and warnings name "person.<field>" (or "person"). Whether the
// person is already a member, or in another household, the operation itself decides (Open).
struct JoiningMember {
    Person person;
    std::vector<Error> warnings;
};
std::expected<JoiningMember, std::vector<Error>> AcceptJoiningMember(const boost::json::value& person,
                                                                          const Household& current,
                                                                          const AssemblyContext& context);

// A page of cases and how many match the filter in all.
struct CaseList {
    int64_t total = 0;
    std::vector<ProcedureCase> cases;
};
// Open cases waiting, per township code: how many wait for the village, the township, the county.
using Waiting = std::map<std::string, std::array<int64_t, 3>>;

class Dynamic {
  public:
    Dynamic(Store& store, const Plan& plan, const OrgTree& tree) : store_(store), plan_(plan), tree_(tree) {}

    // Households under `division_prefix` that may exit in `year`, split into candidates and the
    // others with their unmet conditions; ages on `on`. Scans in `parts` parallel parts.
    Result<ExitCandidatesBuilder::Result> ExitCandidates(int year, const Date& on,
                                                         const std::string& division_prefix, int parts = 1);
    Result<IncidenceReport> Incidence(int year);

    // Opens a case (new identification, exit) or records a one-step change (fallback,
    // deregistration, member change). Returns the case as stored.
    Result<ProcedureCase> Open(const Actor& actor, const OpenRequest& request, const std::string& now);
    // Takes a step on case `id`. `version`, when given, must be the case's (else store.conflict).
    // `lists`: external lists the new household's members are checked against at approval.
    Result<ProcedureCase> Step(const Actor& actor, int64_t id, const StepRequest& request,
                               std::optional<int64_t> version, const std::vector<ExternalList>& lists,
                               const std::string& now);
    // Ends the buffer of every household in the actor's scope whose buffer has ended by `year`.
    Result<std::vector<int64_t>> EndBuffers(const Actor& actor, int year, const Date& date,
                                            const std::string& now);

    // A case visible to `scope` (nullopt when none, or outside it).
    Result<std::optional<ProcedureCase>> Find(int64_t id, const std::string& scope);
    // The cases the filter selects (its offset and limit page them), and how many match in all.
    Result<CaseList> List(const CaseFilter& filter);
    // What waits for whom: the open cases under `division_prefix` by township and next level.
    Result<Waiting> WaitingUnder(const std::string& division_prefix);
    // Every case of a household, oldest first.
    Result<std::vector<ProcedureCase>> Timeline(const std::string& household_code);

    // The year's adjustment over the actor's scope, and its approval if any.
    Result<AdjustmentSummary> Adjustment(int year, const std::string& scope);
    Result<std::optional<AdjustmentApproval>> ApprovalOf(int year);
    Result<AdjustmentApproval> Approve(const Actor& actor, int year, const Date& date,
                                       const std::string& notes, const std::string& now);

    // Population settings (county level to set).
    Result<void> SetPopulation(const Actor& actor, const PopulationSetting& setting, const std::string& now);

    // Third-party evaluation: draws `size` exited households (exit year ≤ year) of the county.
    Result<Evaluation> Draw(const Actor& actor, int year, int64_t size, uint64_t seed,
                            const std::string& now);
    Result<Evaluation> Judge(const Actor& actor, int64_t id, const std::string& household_code,
                             Verdict verdict, const std::string& notes, const std::string& now);
    struct Survey {
        std::optional<int64_t> non_poor_surveyed, missed_found, approval_surveyed, approval_satisfied;
    };
    Result<Evaluation> RecordSurvey(const Actor& actor, int64_t id, const Survey& survey,
                                    const std::string& now);
    // The county's incidence in the evaluation's year (nullopt when its population is not known).
    Result<EvaluationRates> Rates(const Evaluation& e);

  private:
    Result<ProcedureCase> OpenInTransaction(const Actor& actor, const OpenRequest& request,
                                            const std::string& now);
    Result<Evaluation> ChangeEvaluation(const Actor& actor, int64_t id, const std::string& now,
                                        const std::function<Result<void>(Evaluation&)>& change);
    StepContext Context(const Actor& actor, const std::string& now) const;

    Store& store_;
    const Plan& plan_;
    const OrgTree& tree_;
};

// --- JSON (docs/dynamic-management.md) ---
// A case as both front ends show it; `head_name` is the household head's name (HeadNameOf).
boost::json::object CaseJson(const ProcedureCase& c, const Plan& plan, std::string_view head_name);
// The name of the head of the case's household: the household as the case keeps it (a new
// identification's proposal, a deregistered household), else as the registry has it now; empty
// when neither names one.
Result<std::string> HeadNameOf(Store& store, const ProcedureCase& c);
boost::json::object UnmetJson(const UnmetCondition& u);
// The figures without the lists: year, as_of, poverty_line_yuan, totals, townships, unmet_counts.
boost::json::object ExitCandidatesSummaryJson(const ExitCandidatesBuilder::Result& r, const OrgTree& tree);
// The whole result (CLI --json): the summary with "candidates" and "not_ready" in full, written a
// household at a time (a province's lists are never held as one JSON document).
void WriteExitCandidatesJson(const ExitCandidatesBuilder::Result& r, const OrgTree& tree,
                             const std::function<void(std::string_view)>& write);
// One page of a list (the candidates, or with `not_ready` the others) as the API answers it: the
// summary, "which", "offset", "limit" and "items" (each with its head's name, read from `store`).
Result<boost::json::object> ExitCandidatesPageJson(Store& store, const ExitCandidatesBuilder::Result& r,
                                                   const OrgTree& tree, bool not_ready, int64_t offset,
                                                   int64_t limit);
// One listed household, with its unmet conditions described.
boost::json::object StandingJson(const ExitStanding& s, const ExitCandidatesBuilder::Result& r);
// [{"township_code", "township_name", "village", "township", "county"}] (the API's "waiting").
boost::json::array WaitingJson(const Waiting& waiting, const OrgTree& tree);
boost::json::object IncidenceJson(const IncidenceReport& r);
// The report as a user scoped to `scope` (a code prefix; empty: the county) sees it: their
// townships and villages; the county figure stays (it is public).
IncidenceReport IncidenceWithin(IncidenceReport report, const std::string& scope);
boost::json::object AdjustmentCountsJson(const AdjustmentCounts& n);
boost::json::object AdjustmentJson(const AdjustmentSummary& s, const OrgTree& tree,
                                   const std::optional<AdjustmentApproval>& approval);
boost::json::object EvaluationJson(const Evaluation& e, const EvaluationRates& rates);

}  // namespace jz::service
