#include "core/progress.h"

#include <algorithm>

#include "core/codes.h"

namespace jz {

int CountBeneficiaries(const PlanMeasure& measure, const Household& h, const Date& as_of) {
    auto count = [&](auto pred) { return static_cast<int>(std::ranges::count_if(h.members, pred)); };
    switch (measure.beneficiaries) {
        case Beneficiaries::kHousehold:
            return static_cast<int>(h.members.size());
        case Beneficiaries::kStudents:
            return count([](const Person& p) { return p.schooling && *p.schooling != codes::kSchoolingNone; });
        case Beneficiaries::kIll:
            return count([](const Person& p) {
                return p.health == codes::kHealthChronic || p.health == codes::kHealthSerious ||
                       p.health == codes::kHealthDisabled;
            });
        case Beneficiaries::kMigrantWorkers:
            return count([](const Person& p) { return p.migrant_work.has_value(); });
        case Beneficiaries::kAbleAdults:
            return count([&](const Person& p) {
                const int age = p.birth_date.AgeOn(as_of);
                return age >= 16 && age <= 60 &&
                       (p.labour == codes::kLabourOrdinary || p.labour == codes::kLabourSkilled);
            });
    }
    return 0;
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

void ProgressBuilder::Add(const Household& h) {
    const int64_t persons = static_cast<int64_t>(h.members.size());
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
        report_.measures[m->second].households += 1;
        const PlanMeasure* pm = plan_.FindMeasure(number);
        report_.measures[m->second].persons += pm ? CountBeneficiaries(*pm, h, report_.as_of) : persons;
    };
    if (h.main_measure) count_measure(*h.main_measure);
    for (int m : h.aux_measures)
        if (m != h.main_measure) count_measure(m);
}

ProgressReport ProgressBuilder::Finish() const {
    ProgressReport out = report_;
    std::ranges::sort(out.townships, {}, &ProgressTownship::code);
    return out;
}

}  // namespace jz
