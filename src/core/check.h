// Data-quality rules over the registry (精准识别: 扶真贫、真扶贫). Every rule lives here, once: a
// stable id, a severity, a level (household or person), and a message in Chinese and English.
// The checker sees households one at a time; rules across households (the same person in two
// households) are resolved in Finish().
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/date.h"
#include "core/household.h"
#include "core/plan.h"

namespace jz {

enum class Severity { kError, kWarning };
enum class RuleLevel { kHousehold, kPerson };

std::string_view SeverityName(Severity s);  // "error" / "warning"

struct RuleInfo {
    std::string_view id;  // "cause.illness_without_ill"
    Severity severity;
    RuleLevel level;
    std::string_view title_zh;
    std::string_view title_en;
};

// Every rule, in report order.
std::span<const RuleInfo> Rules();
const RuleInfo* FindRule(std::string_view id);

struct Finding {
    std::string_view rule;  // RuleInfo::id
    Severity severity = Severity::kError;
    std::string household_code;
    std::optional<std::string> id_number;  // person rules only
    std::string division_code;
    std::string message_zh;
    std::string message_en;

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
    void Emit(std::string_view rule, const Household& h, const Person* p, std::string zh, std::string en);

    const Plan& plan_;
    CheckOptions options_;
    std::vector<Finding> findings_;
    std::vector<uint32_t> finding_household_;  // index of each finding's household
    // For person.duplicate: every (packed ID, household index) seen, and the households' codes.
    std::vector<std::pair<uint64_t, uint32_t>> ids_;
    std::vector<std::string> household_codes_;
    std::vector<std::string> household_divisions_;
    std::vector<bool> household_in_scope_;
};

// Counts of findings per rule id (rules without findings included, as 0).
std::vector<std::pair<std::string_view, int64_t>> CountByRule(std::span<const Finding> findings);

}  // namespace jz
