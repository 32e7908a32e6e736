#include "core/progress.h"

#include <algorithm>

#include "core/assistance.h"
#include "core/codes.h"

namespace jz {

bool HouseholdFacts::exited() const {
    return status == codes::kStatusExited || status == codes::kStatusExitedNoPolicy;
}

HouseholdFacts FactsOf(const Household& h) {
    HouseholdFacts f;
    f.household_code = h.household_code;
    f.division_code = h.division_code;
    f.status = h.status;
    f.attribute = h.attribute;
    f.main_cause = h.main_cause;
    f.other_causes = h.other_causes;
    f.identified_year = h.identified_year;
    f.planned_exit_year = h.planned_exit_year;
    f.exit_year = h.exit_year;
    f.main_measure = h.main_measure;
    f.aux_measures = h.aux_measures;
    f.persons = static_cast<int>(h.members.size());
    f.net_income_per_head = h.net_income_per_head;
    f.dangerous_housing = h.dangerous_housing;
    f.safe_water = h.safe_water;
    f.household_electricity = h.household_electricity;
    f.housing_area = h.housing_area;
    for (const Person& p : h.members) {
        if (p.schooling && *p.schooling != codes::kSchoolingNone)
            ++f.students;
        else
            f.out_of_school_birth_dates.push_back(p.birth_date);
        if (p.health == codes::kHealthChronic || p.health == codes::kHealthSerious ||
            p.health == codes::kHealthDisabled)
            ++f.ill;
        if (p.migrant_work) ++f.migrant_workers;
        if (p.labour == codes::kLabourOrdinary || p.labour == codes::kLabourSkilled)
            f.able_birth_dates.push_back(p.birth_date);
    }
    return f;
}

int CountBeneficiaries(const PlanMeasure& measure, const HouseholdFacts& f, const Date& as_of) {
    switch (measure.beneficiaries) {
        case Beneficiaries::kHousehold:
            return f.persons;
        case Beneficiaries::kStudents:
            return f.students;
        case Beneficiaries::kIll:
            return f.ill;
        case Beneficiaries::kMigrantWorkers:
            return f.migrant_workers;
        case Beneficiaries::kAbleAdults:
            return static_cast<int>(std::ranges::count_if(f.able_birth_dates, [&](const Date& birth) {
                const int age = birth.AgeOn(as_of);
                return age >= 16 && age <= 60;
            }));
    }
    return 0;
}

int CountBeneficiaries(const PlanMeasure& measure, const Household& h, const Date& as_of) {
    return CountBeneficiaries(measure, FactsOf(h), as_of);
}

ProgressBuilder::ProgressBuilder(const Plan& plan, const OrgTree& tree, const Date& as_of) : plan_(plan) {
    report_.as_of = as_of;
    report_.county_code = plan.county_code;
    report_.county_name = plan.county_name;
    report_.target_persons = plan.target_persons;
    // Every township of the tree, plus any the plan names that the tree lacks.
    std::vector<std::pair<std::string, std::string>> townships;
    for (const OrgUnit* u : tree.AtLevel(OrgLevel::kTownship)) townships.emplace_back(u->code, u->name());
    for (const PlanTownship& t : plan.townships)
        if (!tree.Find(t.code)) townships.emplace_back(t.code, t.name);
    std::ranges::sort(townships);
    for (auto& [code, name] : townships) {
        ProgressTownship t;
        t.code = code;
        t.name = name;
        const PlanTownship* pt = plan.FindTownship(code);
        for (int year : plan.years()) {
            ProgressYear y;
            y.year = year;
            if (pt) {
                auto it = pt->exit_targets.find(year);
                if (it != pt->exit_targets.end()) y.target_persons = it->second;
            }
            t.years.push_back(y);
        }
        township_index_.emplace(code, report_.townships.size());
        report_.townships.push_back(std::move(t));
    }
    for (const PlanMeasure& m : plan.measures) {
        measure_index_.emplace(m.number, report_.measures.size());
        report_.measures.push_back({m.number, m.name, m.battle, m.target_households, m.target_persons, 0, 0});
    }
}

void ProgressBuilder::Add(const HouseholdFacts& h) {
    const int64_t persons = h.persons;
    report_.households += 1;
    report_.persons += persons;
    // An exit recorded for a year after the report date has not happened yet as of that date.
    const bool exited = h.exited() && h.exit_year && *h.exit_year <= report_.as_of.year;
    if (exited) report_.exited_persons += persons;
    auto it = township_index_.find(h.township_code());
    if (it == township_index_.end()) {
        ProgressTownship t;
        t.code = h.township_code();
        for (int year : plan_.years()) t.years.push_back({year, 0, 0, 0});
        it = township_index_.emplace(t.code, report_.townships.size()).first;
        report_.townships.push_back(std::move(t));
    }
    ProgressTownship& t = report_.townships[it->second];
    t.households += 1;
    t.persons += persons;
    if (exited) t.exited_persons += persons;
    for (ProgressYear& y : t.years) {
        if (h.planned_exit_year == y.year) y.planned_persons += persons;
        if (exited && h.exit_year == y.year) y.exited_persons += persons;
    }
    auto count_measure = [&](int number) {
        auto m = measure_index_.find(number);
        if (m == measure_index_.end()) return;
        report_.measures[m->second].households += 1;  // beneficiaries come from the ledger (AttachDelivered)
    };
    if (h.main_measure) count_measure(*h.main_measure);
    for (int m : h.aux_measures)
        if (m != h.main_measure) count_measure(m);
}

void AttachDelivered(ProgressReport& report, const MeasuresDelivered& delivered) {
    for (ProgressMeasure& m : report.measures) {
        auto it = std::ranges::find(delivered.measures, m.number, &MeasureDelivered::number);
        if (it == delivered.measures.end()) continue;
        m.delivered = *it;
        m.persons = it->beneficiaries;
    }
}

ProgressReport ProgressBuilder::Finish() const {
    ProgressReport out = report_;
    std::ranges::sort(out.townships, {}, &ProgressTownship::code);
    return out;
}

}  // namespace jz
