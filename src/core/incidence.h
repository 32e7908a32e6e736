// Poverty incidence (贫困发生率) and village and county exit: registered poor people not yet exited
// ÷ rural population, per village, township and county. The rural population is an org-unit
// setting by year; a unit without one takes the sum of its children when all of them have one.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/org_unit.h"
#include "core/plan.h"
#include "core/progress.h"

namespace jz {

struct PopulationSetting {
    std::string code;  // org unit
    int year = 0;
    int64_t rural_population = 0;
    bool operator==(const PopulationSetting&) const = default;
};

// Is the household's people counted as poor at the end of `year`? Identified by then, and not
// exited by then (未脱贫, 返贫, or an exit year after `year`).
bool PoorAtEndOf(const HouseholdFacts& facts, int year);

struct IncidenceUnit {
    std::string code;
    std::string name;
    OrgLevel level = OrgLevel::kVillage;
    int64_t poor_persons = 0;
    int64_t poor_households = 0;
    std::optional<int64_t> population;  // nullopt: not set (nor derivable from the children)
    bool population_summed = false;     // taken as the sum of the children's settings
    std::optional<double> incidence;    // poor_persons / population
    double threshold = 0;               // the plan's exit threshold for the level
    // Below the threshold; nullopt (unknown) when the incidence cannot be computed.
    std::optional<bool> meets_threshold() const {
        if (!incidence) return std::nullopt;
        return *incidence < threshold;
    }
};

struct IncidenceReport {
    int year = 0;
    IncidenceUnit county;
    std::vector<IncidenceUnit> townships;  // by code
    std::vector<IncidenceUnit> villages;   // by code
};

class IncidenceBuilder {
  public:
    // `settings`: every population setting (any years); the one for `year` is used, else the
    // latest earlier one, else the earliest later one.
    IncidenceBuilder(const Plan& plan, const OrgTree& tree, int year,
                     std::span<const PopulationSetting> settings);
    void Add(const HouseholdFacts& facts);
    IncidenceReport Finish() const;

  private:
    const Plan& plan_;
    const OrgTree& tree_;
    int year_;
    std::map<std::string, int64_t, std::less<>> population_;                // code → chosen setting
    std::map<std::string, std::pair<int64_t, int64_t>, std::less<>> poor_;  // village → persons, households
};

}  // namespace jz
