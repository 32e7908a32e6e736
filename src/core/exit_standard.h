// The household exit standard (脱贫标准): income per head above the year's poverty line and the
// non-income conditions (两不愁三保障 / the plan's 三不愁三有), judged from the household's recorded
// facts. One place for it: exit candidates, the exit procedure and the data-quality rules all ask
// here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/household.h"
#include "core/plan.h"
#include "core/progress.h"

namespace jz {

// A condition of the standard the household does not meet, and why.
struct UnmetCondition {
    // income (per head not above the line), income_unknown (not recorded), housing (dangerous
    // housing or no housing area), water (drinking water not safe), electricity (no household
    // electricity), education (a member of compulsory-education age out of school),
    // medical_insurance / serious_illness_insurance (members recorded without basic medical or
    // serious illness insurance; standard "medical"), pension_insurance (members of age recorded
    // without pension insurance; standard "social_security"). A member whose cover is not recorded
    // is not judged.
    std::string_view id;
    // The plan's exit_standard condition it belongs to (food, housing, education, ...).
    std::string_view standard;
    std::string name_zh;    // short, for joining: 住危房
    std::string name_en;    // dangerous housing
    std::string detail_zh;  // with the figures: 人均纯收入2100元,未超过2016年扶贫标准2952元
    std::string detail_en;
};

// Every condition `facts` fails for an exit in `year` (the poverty line of that year), ages on
// `on`; empty when the standard is met. The income conditions are left out when `with_income` is
// false (the data-quality rule reports income on its own).
std::vector<UnmetCondition> UnmetExitConditions(const HouseholdFacts& facts, const Plan& plan, int year,
                                                const Date& on, bool with_income = true);

// A member of compulsory-education age (7-15 on `on`) who is not in school.
bool IsDropoutAge(const Date& birth_date, const Date& on);

// Households that may be proposed for exit in a year: registered poor (未脱贫 or 返贫).
bool MayExit(int status);

// The unmet conditions in compact form (a scan of a province holds one per household): a bit per
// condition, the number of children out of school and of members recorded without cover.
enum UnmetBit : uint16_t {
    kUnmetIncomeUnknown = 1,
    kUnmetIncome = 2,
    kUnmetDangerousHousing = 4,
    kUnmetNoHousingArea = 8,
    kUnmetWater = 16,
    kUnmetElectricity = 32,
    kUnmetEducation = 64,
    kUnmetMedicalInsurance = 128,          // a member recorded without basic medical insurance
    kUnmetSeriousIllnessInsurance = 256,   // a member recorded without serious illness insurance
    kUnmetPensionInsurance = 512,          // a member of age recorded without pension insurance
};
struct UnmetSet {
    uint16_t bits = 0;
    uint8_t dropouts = 0;            // members aged 7-15 out of school (capped at 255)
    uint8_t medical_uninsured = 0;   // HouseholdFacts::medical_uninsured (capped at 255)
    uint8_t serious_uninsured = 0;   // HouseholdFacts::serious_uninsured (capped at 255)
    uint8_t pension_missing = 0;     // HouseholdFacts::pension_missing (capped at 255)
    bool empty() const { return bits == 0; }
    bool operator==(const UnmetSet&) const = default;
};
// The unmet conditions of `facts` for an exit in a year whose line is `line`, ages on `on`.
UnmetSet UnmetExitSet(const HouseholdFacts& facts, std::optional<Fen> line, const Date& on,
                      bool with_income = true);
// The conditions of a set, described (income and line for the income's detail).
std::vector<UnmetCondition> DescribeUnmet(UnmetSet set, std::optional<Fen> income, std::optional<Fen> line,
                                          int year);

// One household's standing for exit in a year.
struct ExitStanding {
    std::string household_code;
    std::string division_code;
    int status = 0;
    int persons = 0;
    std::optional<Fen> net_income_per_head;
    std::optional<int> planned_exit_year;
    UnmetSet unmet;  // empty: a candidate
    bool candidate() const { return unmet.empty(); }
};

// Exit candidates of a year over a scan: households that may exit and meet the standard, and for
// the others that may exit, the conditions they fail. Households already exited, and households
// identified after the year, are not listed.
class ExitCandidatesBuilder {
  public:
    ExitCandidatesBuilder(const Plan& plan, int year, const Date& on);
    void Add(const HouseholdFacts& facts);
    // Orders what was collected (each part of a parallel scan may sort on its own thread first;
    // Merge then keeps the order in linear time).
    void Sort();
    // Takes over what `other` collected (parallel scans); same plan, year and date.
    void Merge(ExitCandidatesBuilder&& other);
    struct Township {
        std::string code;
        int64_t candidates = 0;
        int64_t candidate_persons = 0;
        int64_t not_ready = 0;
        int64_t not_ready_persons = 0;
    };
    struct Result {
        int year = 0;
        Date on;
        std::optional<Fen> poverty_line;
        // The conditions a listed household fails, described.
        std::vector<UnmetCondition> UnmetOf(const ExitStanding& s) const {
            return DescribeUnmet(s.unmet, s.net_income_per_head, poverty_line, year);
        }
        std::vector<ExitStanding> candidates;  // by division code, household code
        std::vector<ExitStanding> not_ready;   // likewise
        std::vector<Township> townships;       // by code
        // Condition id → households failing it.
        std::vector<std::pair<std::string_view, int64_t>> unmet_counts;
    };
    Result Finish();

  private:
    const Plan& plan_;
    int year_;
    Date on_;
    std::optional<Fen> line_;
    std::vector<ExitStanding> candidates_;
    std::vector<ExitStanding> not_ready_;
    bool sorted_ = true;
};

}  // namespace jz
