#include "core/incidence.h"

#include <algorithm>

#include "core/codes.h"

namespace jz {

bool PoorAtEndOf(const HouseholdFacts& f, int year) {
    if (f.identified_year > year) return false;
    if (f.status == codes::kStatusNotExited || f.status == codes::kStatusFallback) return true;
    return f.exit_year && *f.exit_year > year;
}

IncidenceBuilder::IncidenceBuilder(const Plan& plan, const OrgTree& tree, int year,
                                   std::span<const PopulationSetting> settings)
    : plan_(plan), tree_(tree), year_(year) {
    // Per code: that year's setting, else the latest earlier one, else the earliest later one.
    std::map<std::string, std::pair<int, int64_t>, std::less<>> chosen;
    auto better = [&](int candidate, int current) {
        const bool c_before = candidate <= year, k_before = current <= year;
        if (c_before != k_before) return c_before;
        return c_before ? candidate > current : candidate < current;
    };
    for (const PopulationSetting& s : settings) {
        auto it = chosen.find(s.code);
        if (it == chosen.end() || better(s.year, it->second.first))
            chosen[s.code] = {s.year, s.rural_population};
    }
    for (const auto& [code, v] : chosen) population_[code] = v.second;
}

void IncidenceBuilder::Add(const HouseholdFacts& f) {
    if (!PoorAtEndOf(f, year_)) return;
    auto& [persons, households] = poor_[f.division_code];
    persons += f.persons;
    ++households;
}

IncidenceReport IncidenceBuilder::Finish() const {
    IncidenceReport report;
    report.year = year_;
    // Bottom-up: villages, then each township from its own setting or its villages', then the county.
    auto unit = [&](const OrgUnit& u, double threshold) {
        IncidenceUnit out;
        out.code = u.code;
        out.name = u.name();
        out.level = u.level;
        out.threshold = threshold;
        if (auto it = population_.find(u.code); it != population_.end()) out.population = it->second;
        return out;
    };
    auto finish = [](IncidenceUnit& u) {
        if (u.population && *u.population > 0)
            u.incidence = static_cast<double>(u.poor_persons) / static_cast<double>(*u.population);
    };
    auto sum_children = [](IncidenceUnit& parent, const std::vector<IncidenceUnit>& children, size_t from) {
        bool all = from < children.size();
        int64_t sum = 0;
        for (size_t i = from; i < children.size(); ++i) {
            parent.poor_persons += children[i].poor_persons;
            parent.poor_households += children[i].poor_households;
            if (children[i].population)
                sum += *children[i].population;
            else
                all = false;
        }
        if (!parent.population && all) {
            parent.population = sum;
            parent.population_summed = true;
        }
    };
    const OrgUnit* county = tree_.Find(tree_.root_code());
    if (!county) return report;
    report.county = unit(*county, plan_.dynamic.county_exit_incidence);
    for (const OrgUnit* township : tree_.Children(county->code)) {
        IncidenceUnit t = unit(*township, plan_.dynamic.village_exit_incidence);
        const size_t first = report.villages.size();
        for (const OrgUnit* village : tree_.Children(township->code)) {
            if (!village->ValidIn(year_) && !poor_.contains(village->code)) continue;
            IncidenceUnit v = unit(*village, plan_.dynamic.village_exit_incidence);
            if (auto it = poor_.find(village->code); it != poor_.end()) {
                v.poor_persons = it->second.first;
                v.poor_households = it->second.second;
            }
            finish(v);
            report.villages.push_back(std::move(v));
        }
        sum_children(t, report.villages, first);
        finish(t);
        report.townships.push_back(std::move(t));
    }
    sum_children(report.county, report.townships, 0);
    finish(report.county);
    return report;
}

}  // namespace jz
