// The battle map in numbers (挂图作战): registry against plan, by county, township, year and measure.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/household.h"
#include "core/org_unit.h"
#include "core/plan.h"

namespace jz {

struct ProgressYear {
    int year = 0;
    int target_persons = 0;       // the plan's exit target for the township and year
    int64_t planned_persons = 0;  // persons of households whose planned exit year is this year
    int64_t exited_persons = 0;   // persons of households exited (still exited) in this year
};

struct ProgressTownship {
    std::string code;
    std::string name;
    int64_t households = 0;
    int64_t persons = 0;
    int64_t exited_persons = 0;
    std::vector<ProgressYear> years;
};

struct ProgressMeasure {
    int number = 0;
    std::string name;
    std::string battle;
    std::optional<int> target_households;
    std::optional<int> target_persons;
    int64_t households = 0;  // households with the measure, main or auxiliary
    int64_t persons = 0;     // beneficiaries in those households (CountBeneficiaries)
};

struct ProgressReport {
    Date as_of;
    std::string county_code;
    std::string county_name;
    int64_t households = 0;
    int64_t persons = 0;
    int64_t exited_persons = 0;
    int target_persons = 0;
    std::vector<ProgressTownship> townships;
    std::vector<ProgressMeasure> measures;
};

// What the reports count about a household, without its people's names or ID numbers. The store
// keeps these beside each household, so a county's or province's figures come from one pass over
// the households, not over every person.
struct HouseholdFacts {
    std::string household_code;
    std::string division_code;
    int status = 0;
    int attribute = 0;
    int main_cause = 0;
    std::vector<int> other_causes;
    int identified_year = 0;
    std::optional<int> planned_exit_year;
    std::optional<int> exit_year;
    std::optional<int> main_measure;
    std::vector<int> aux_measures;
    int persons = 0;
    int students = 0;                    // schooling set and not 非在校生
    int ill = 0;                         // 长期慢性病, 患有大病 or 残疾
    int migrant_workers = 0;             // migrant work recorded
    std::vector<Date> able_birth_dates;  // members with 普通/技能劳动力 (age decides on the day)
    // What the exit standard looks at (core/exit_standard.h).
    std::optional<Fen> net_income_per_head;
    std::optional<bool> dangerous_housing;
    std::optional<bool> safe_water;
    std::optional<bool> household_electricity;
    std::optional<int64_t> housing_area;
    std::vector<Date> out_of_school_birth_dates;  // members not in school (schooling empty or 非在校生)
    // The year's cover gaps (core/assistance.h CoverageGaps): not stored with the household; the
    // service fills them from the ledger for the year asked about (service::ApplyLedgerFacts).
    int medical_uninsured = 0;
    int serious_uninsured = 0;
    int pension_missing = 0;

    bool exited() const;
    std::string township_code() const { return division_code.substr(0, 9); }
    bool operator==(const HouseholdFacts&) const = default;
};
HouseholdFacts FactsOf(const Household& household);

// How many members of a household a measure reaches (PlanMeasure::beneficiaries); ages on `as_of`.
int CountBeneficiaries(const PlanMeasure& measure, const HouseholdFacts& facts, const Date& as_of);
int CountBeneficiaries(const PlanMeasure& measure, const Household& household, const Date& as_of);

// Accumulates households one at a time (a scan never holds the registry in memory).
class ProgressBuilder {
  public:
    ProgressBuilder(const Plan& plan, const OrgTree& tree, const Date& as_of);
    void Add(const HouseholdFacts& facts);
    void Add(const Household& household) { Add(FactsOf(household)); }
    ProgressReport Finish() const;

  private:
    const Plan& plan_;
    ProgressReport report_;
    std::map<std::string, size_t, std::less<>> township_index_;
    std::map<int, size_t> measure_index_;
};

}  // namespace jz
