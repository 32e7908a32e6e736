// Data-quality rules over the registry (精准识别: 扶真贫、真扶贫). Every rule lives here, once: a
// compile-time name (Rule), a stable string id for output, a severity, a level (household or
// person), and a message in Chinese and English. The checker sees households one at a time; rules
// across households (the same person in two households) are resolved in Finish().
//
// Contract: the rule table is constant data (every RuleInfo and every string_view into it lives as
// long as the program; Finding::rule points into it). Rules(), RuleOf() and FindRule() may be
// called from any thread. A RegistryChecker is used by one thread at a time; checkers fed by
// parallel scans are merged with Merge(). It keeps a reference to the Plan, which must outlive it.
// No I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/date.h"
#include "core/error.h"
#include "core/household.h"
#include "core/pairing.h"
#include "core/plan.h"

namespace jz {

enum class Severity { kError, kWarning };
enum class RuleLevel { kHousehold, kPerson };

std::string_view SeverityName(Severity s);    // "error" / "warning"
std::string_view SeverityNameZh(Severity s);  // 错误 / 警告
std::string_view SeverityNameEn(Severity s);  // Error / Warning

// Every rule by its compile-time name, in report order (the order of the table in check.cc). The
// string id each stands for is in the comment; output and files use the string id only.
enum class Rule : uint8_t {
    kCauseIllnessWithoutIll,          // cause.illness_without_ill
    kCauseDisabilityWithoutDisabled,  // cause.disability_without_disabled
    kCauseSchoolingWithoutStudent,    // cause.schooling_without_student
    kAttributeWubaoWithAbleAdult,     // attribute.wubao_with_able_adult
    kLabourHealthyAdultUnable,        // labour.healthy_adult_unable
    kSchoolingAgeMismatch,            // schooling.age_mismatch
    kSchoolingDropout,                // schooling.dropout
    kRelationSexMismatch,             // relation.sex_mismatch
    kExitIncomeBelowLine,             // exit.income_below_line
    kExitStandardUnmet,               // exit.standard_unmet
    kIncomeOutOfRange,                // income.out_of_range
    kMigrantInconsistent,             // migrant.inconsistent
    kPairingMissing,                  // pairing.missing
    kPairingOverQuota,                // pairing.over_quota (needs CheckOptions::pairing)
    kPairingOutsideTownship,          // pairing.outside_township (needs CheckOptions::pairing)
    kPairingRankUnknown,              // pairing.rank_unknown (needs CheckOptions::pairing)
    kPairingCadreInactive,            // pairing.cadre_inactive (needs CheckOptions::pairing)
    kTeamOnPostShort,                 // team.on_post_short (a village's finding: no household)
    kVisitFar,                        // visit.far (needs CheckOptions::pairing)
    kPlanExitOverdue,                 // plan.exit_overdue
    kPersonDuplicate,                 // person.duplicate
    kPersonDeceasedOrExcluded,        // person.deceased_or_excluded
};

struct RuleInfo {
    Rule rule;
    std::string_view id;  // "cause.illness_without_ill"
    Severity severity;
    RuleLevel level;
    std::string_view title_zh;
    std::string_view title_en;
};

// Every rule, in report order.
std::span<const RuleInfo> Rules();
// The rule's entry; never fails (every Rule has one, checked at compile time).
const RuleInfo& RuleOf(Rule rule);
// A rule named by a string from outside the program (a file, a command-line filter, a fixture
// folder). Error "check.unknown_rule" when no rule has that id.
Result<const RuleInfo*> FindRule(std::string_view id);

struct Finding {
    std::string_view rule;  // RuleInfo::id
    Severity severity = Severity::kError;
    std::string household_code;  // empty for a village's finding (team.on_post_short)
    std::optional<std::string> id_number;  // person rules only
    std::string division_code;  // the household's village; a village's finding: that village
    std::string message_zh;
    std::string message_en;

    Rule rule_name = Rule::kCauseIllnessWithoutIll;  // the same rule by its compile-time name

    std::string message() const { return message_zh + " / " + message_en; }
};

// An external department's list of ID numbers (the national cross-checks).
enum class ListKind { kDeceased, kPublicPayroll, kVehicle, kRealEstate, kBusiness };
std::optional<ListKind> ParseListKind(std::string_view name);
std::string_view ListKindName(ListKind kind);    // deceased, public_payroll, ...
std::string_view ListKindNameZh(ListKind kind);  // 死亡人员, 财政供养人员, ...

struct ExternalList {
    ListKind kind = ListKind::kDeceased;
    std::vector<uint64_t> ids;  // PackIdNumber values, sorted (see Normalize)
    void Normalize();
    bool Contains(uint64_t packed) const;
};

struct CheckOptions {
    Date as_of;  // ages and overdue years are computed on this date
    std::vector<ExternalList> lists;
    // The pairing facts (service::LoadPairingFacts); when given, pairing.missing reads the current
    // pairings instead of the household's pairing_cadre text, and the pairing.* / team.* / visit.*
    // rules run. Must outlive the checker. Household rules look the household up in it; the
    // villages' team.on_post_short findings are all of `short_on_post` (the facts are loaded for
    // the scope checked), emitted once by Finish.
    const PairingFacts* pairing = nullptr;
};

class RegistryChecker {
  public:
    RegistryChecker(const Plan& plan, CheckOptions options);

    // Checks one household. `in_scope` false: the household only feeds the cross-household rules
    // (a person of the checked org unit may be duplicated in a household outside it).
    void Add(const Household& household, bool in_scope = true);
    // Takes over everything `other` has seen (checkers fed by parallel scans are merged into one
    // before Finish). Both must have been made with the same plan and options.
    void Merge(RegistryChecker&& other);
    // Every finding, ordered by division code, household code, then rule.
    std::vector<Finding> Finish();

  private:
    void Emit(Rule rule, const Household& h, const Person* p, std::string zh, std::string en);
    void AddPairing(const Household& h, const PairingFacts& facts);

    const Plan& plan_;
    CheckOptions options_;
    std::vector<Finding> findings_;
    std::vector<uint32_t> finding_household_;  // index of each finding's household
    // For person.duplicate: every (packed ID, household index) seen, and the households' codes.
    std::vector<std::pair<uint64_t, uint32_t>> ids_;
    std::vector<std::string> household_codes_;
    std::vector<std::string> household_divisions_;
    std::vector<bool> household_in_scope_;
    // pairing.over_quota: the households beyond their cadre's quota (the latest paired), sorted.
    std::vector<std::string> over_quota_;
};

// Counts of findings per rule id (rules without findings included, as 0).
std::vector<std::pair<std::string_view, int64_t>> CountByRule(std::span<const Finding> findings);

}  // namespace jz
