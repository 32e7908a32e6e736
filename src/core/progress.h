// The battle map in numbers (挂图作战): registry against plan, by county, township, year and measure.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
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

// One school stage of the education measure.
struct StageDelivered {
    std::string id;    // the plan's stage id (kindergarten, ..., two_after)
    std::string name;  // 幼儿园
    int target_persons = 0;
    int64_t persons = 0;  // distinct persons with a signed education item of that stage in the period
    bool operator==(const StageDelivered&) const = default;
};

// A measure's other target (the ecological rangers) as posts held.
struct OtherDelivered {
    std::string id;    // ecological_rangers
    std::string name;  // 生态保护员
    int target = 0;
    int64_t held = 0;  // distinct persons holding a signed job-post item of the measure on `to`
    bool operator==(const OtherDelivered&) const = default;
};

// One measure's delivered figures (core/assistance.h counts them: DeliveredBuilder).
struct MeasureDelivered {
    int number = 0;
    std::string name;
    std::string battle;
    std::optional<int> target_households;
    std::optional<int> target_persons;
    int64_t planned_households = 0;  // main or auxiliary measure (registered, not deregistered)
    int64_t planned_main = 0;        // of which main
    int64_t reached_households = 0;  // ≥ 1 signed item of the measure active in the period
    int64_t reached_planned = 0;     // of which planned for it
    int64_t beneficiaries = 0;       // distinct persons: the items' members, or the whole household
    int64_t items = 0;               // items of the measure active in the period (signed or not)
    int64_t unsigned_items = 0;      // of which not signed off
    Fen amount = 0;                  // sum of the signed items' amounts
    std::vector<StageDelivered> stages;
    std::vector<OtherDelivered> others;
    bool operator==(const MeasureDelivered&) const = default;
};

struct ProgressMeasure {
    int number = 0;
    std::string name;
    std::string battle;
    std::optional<int> target_households;
    std::optional<int> target_persons;
    int64_t households = 0;  // households with the measure, main or auxiliary (planned)
    // Beneficiaries delivered: the ledger's distinct persons (AttachDelivered), 0 until attached.
    // Never derived from ages or household size.
    int64_t persons = 0;
    // What the ledger shows delivered in the report's period (AttachDelivered); nullopt: not counted.
    std::optional<MeasureDelivered> delivered;
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

struct MeasuresDelivered;  // core/assistance.h

// Puts the delivered figures (counted for the county over the report's period) beside each measure
// of the report: ProgressMeasure::delivered and persons (the delivered beneficiaries). Measures
// the count lacks are left as they are.
void AttachDelivered(ProgressReport& report, const MeasuresDelivered& delivered);

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

// How many members of a household a measure would reach (PlanMeasure::beneficiaries); ages on
// `as_of`. An estimate from the household's facts (the generator plans with it); the reports count
// the ledger's beneficiaries instead (AttachDelivered).
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
