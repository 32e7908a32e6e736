#include "core/battle_map.h"

#include <algorithm>
#include <cmath>

#include "core/assistance.h"

namespace jz {

std::string_view ScheduleStatusName(ScheduleStatus status) {
    switch (status) {
        case ScheduleStatus::kNone:
            return "none";
        case ScheduleStatus::kRed:
            return "red";
        case ScheduleStatus::kAmber:
            return "amber";
        case ScheduleStatus::kGreen:
            return "green";
    }
    return "none";
}

std::string_view TargetSourceName(TargetSource source) {
    switch (source) {
        case TargetSource::kPlanCounty:
            return "plan_county";
        case TargetSource::kPlanTownship:
            return "plan_township";
        case TargetSource::kPlannedExitYear:
            return "planned_exit_year";
    }
    return "planned_exit_year";
}

ScheduleStatus StatusAgainstSchedule(int64_t task, int64_t exited, double elapsed_share) {
    if (task <= 0) return ScheduleStatus::kNone;
    const double expected = static_cast<double>(task) * elapsed_share;
    // Compared in whole persons with a tolerance for rounding: 3 exited of an expected 2.9999… is on schedule.
    const double eps = 1e-9;
    if (static_cast<double>(exited) + eps >= expected) return ScheduleStatus::kGreen;
    if (static_cast<double>(exited) + eps >= kAmberShare * expected) return ScheduleStatus::kAmber;
    return ScheduleStatus::kRed;
}

namespace {
int DaysInYear(int year) {
    return static_cast<int>(Date{year + 1, 1, 1}.DaysSinceEpoch() - Date{year, 1, 1}.DaysSinceEpoch());
}
int DayOfYear(const Date& day) {  // 1 Jan: 1
    return static_cast<int>(day.DaysSinceEpoch() - Date{day.year, 1, 1}.DaysSinceEpoch()) + 1;
}
}  // namespace

double ElapsedShareOfYear(const Date& day) {
    return static_cast<double>(DayOfYear(day)) / DaysInYear(day.year);
}

int DaysLeftInYear(const Date& day) { return DaysInYear(day.year) - DayOfYear(day); }

void AttachDelivered(BattleMap& map, const MeasuresDelivered& delivered) {
    for (BattleMapMeasure& m : map.measures) {
        auto it = std::ranges::find(delivered.measures, m.number, &MeasureDelivered::number);
        if (it == delivered.measures.end()) continue;
        m.delivered = *it;
        m.persons = it->beneficiaries;
    }
}

BattleMapBuilder::BattleMapBuilder(const Plan& plan, const OrgTree& tree, const Date& as_of,
                                   std::string_view unit_code, [[maybe_unused]] std::optional<Date> ages_on)
    : plan_(plan) {
    map_.as_of = as_of;
    map_.year = as_of.year;
    map_.days_left = DaysLeftInYear(as_of);
    map_.elapsed_share = ElapsedShareOfYear(as_of);
    map_.start_year = plan.start_year;
    map_.end_year = plan.end_year;

    const std::string code(unit_code);
    const OrgUnit* unit = tree.Find(code);
    const PlanTownship* plan_township = plan.FindTownship(code);
    const OrgLevel level = unit ? unit->level : OrgLevel::kTownship;
    std::string name = unit ? unit->name() : plan_township ? plan_township->name : code;
    if (code == tree.root_code() && !plan.county_name.empty()) name = plan.county_name;
    map_.unit = MakeUnit(code, name, level);

    std::vector<std::pair<std::string, std::string>> children;
    if (level == OrgLevel::kCounty) {
        child_length_ = 9;
        for (const OrgUnit* u : tree.AtLevel(OrgLevel::kTownship))
            if (OrgTree::Within(u->code, code)) children.emplace_back(u->code, u->name());
        for (const PlanTownship& t : plan.townships)
            if (!tree.Find(t.code)) children.emplace_back(t.code, t.name);
    } else if (level == OrgLevel::kTownship) {
        child_length_ = 12;
        for (const OrgUnit* u : tree.Children(code)) children.emplace_back(u->code, u->name());
    }
    std::ranges::sort(children);
    for (auto& [child_code, child_name] : children) {
        child_index_.emplace(child_code, map_.children.size());
        map_.children.push_back(MakeUnit(child_code, child_name,
                                         level == OrgLevel::kCounty ? OrgLevel::kTownship : OrgLevel::kVillage));
    }
    const bool county = level == OrgLevel::kCounty;
    for (const PlanMeasure& m : plan.measures) {
        measure_index_.emplace(m.number, map_.measures.size());
        map_.measures.push_back({m.number, m.name, m.battle, county ? m.target_households : std::nullopt,
                                 county ? m.target_persons : std::nullopt, 0, 0});
    }
}

BattleMapUnit BattleMapBuilder::MakeUnit(const std::string& code, const std::string& name, OrgLevel level) const {
    BattleMapUnit u;
    u.code = code;
    u.name = name;
    u.level = level;
    const PlanTownship* pt = plan_.FindTownship(code);
    if (level == OrgLevel::kCounty) {
        u.target_source = TargetSource::kPlanCounty;
        u.goal_persons = plan_.target_persons;
    } else if (pt) {
        u.target_source = TargetSource::kPlanTownship;
        u.goal_persons = pt->total_persons();
    } else {
        u.target_source = TargetSource::kPlannedExitYear;  // goal and tasks counted by Count
    }
    for (int year : plan_.years()) {
        BattleMapYear y;
        y.year = year;
        if (u.target_source == TargetSource::kPlanCounty) {
            y.task_persons = plan_.ExitTarget(year);
        } else if (u.target_source == TargetSource::kPlanTownship) {
            auto it = pt->exit_targets.find(year);
            if (it != pt->exit_targets.end()) y.task_persons = it->second;
        }
        u.years.push_back(y);
    }
    return u;
}

void BattleMapBuilder::Count(BattleMapUnit& u, const HouseholdFacts& h, bool exited) const {
    const int64_t persons = h.persons;
    const int year = map_.year;
    u.households += 1;
    u.persons += persons;
    if (exited) u.exited_persons += persons;
    if (exited && h.exit_year == year) u.exited_this_year += persons;
    const bool own_targets = u.target_source == TargetSource::kPlannedExitYear;
    if (own_targets && h.planned_exit_year) u.goal_persons += persons;
    if (h.planned_exit_year && !exited) {
        if (*h.planned_exit_year < year) {
            u.overdue_households += 1;
            u.overdue_persons += persons;
        } else if (*h.planned_exit_year == year) {
            u.due_households += 1;
            u.due_persons += persons;
        }
    }
    for (BattleMapYear& y : u.years) {
        if (h.planned_exit_year == y.year) {
            y.planned_persons += persons;
            if (own_targets) y.task_persons += persons;
        }
        if (exited && h.exit_year == y.year) y.exited_persons += persons;
    }
}

void BattleMapBuilder::Add(const HouseholdFacts& h) {
    if (!OrgTree::Within(h.division_code, map_.unit.code)) return;
    // An exit recorded for a year after the date has not happened yet as of that date.
    const bool exited = h.exited() && h.exit_year && *h.exit_year <= map_.as_of.year;
    Count(map_.unit, h, exited);
    if (child_length_ > 0 && h.division_code.size() >= child_length_) {
        const std::string child = h.division_code.substr(0, child_length_);
        auto it = child_index_.find(child);
        if (it == child_index_.end()) {  // a unit the tree does not know: shown by its code
            const OrgLevel level = child_length_ == 9 ? OrgLevel::kTownship : OrgLevel::kVillage;
            it = child_index_.emplace(child, map_.children.size()).first;
            map_.children.push_back(MakeUnit(child, child, level));
        }
        Count(map_.children[it->second], h, exited);
    }
    auto count_measure = [&](int number) {
        auto m = measure_index_.find(number);
        if (m == measure_index_.end()) return;
        BattleMapMeasure& out = map_.measures[m->second];
        out.households += 1;  // beneficiaries come from the ledger (AttachDelivered)
    };
    if (h.main_measure) count_measure(*h.main_measure);
    for (int m : h.aux_measures)
        if (m != h.main_measure) count_measure(m);
    causes_[h.main_cause] += 1;
    for (size_t i = 0; i < h.other_causes.size(); ++i) {
        const int c = h.other_causes[i];
        const bool seen = c == h.main_cause ||
                          std::find(h.other_causes.begin(), h.other_causes.begin() + static_cast<long>(i), c) !=
                              h.other_causes.begin() + static_cast<long>(i);
        if (!seen) causes_[c] += 1;
    }
    attributes_[h.attribute] += 1;
}

void BattleMapBuilder::Settle(BattleMapUnit& u) const {
    for (const BattleMapYear& y : u.years)
        if (y.year == map_.year) u.task_persons = y.task_persons;
    u.remaining_this_year = std::max<int64_t>(0, u.task_persons - u.exited_this_year);
    u.expected_by_now = static_cast<double>(u.task_persons) * map_.elapsed_share;
    u.status = StatusAgainstSchedule(u.task_persons, u.exited_this_year, map_.elapsed_share);
}

BattleMap BattleMapBuilder::Finish() const {
    BattleMap out = map_;
    Settle(out.unit);
    for (BattleMapUnit& c : out.children) Settle(c);
    std::ranges::sort(out.children, {}, &BattleMapUnit::code);
    for (const auto& [code, n] : causes_) out.causes.push_back({code, n});
    for (const auto& [code, n] : attributes_) out.attributes.push_back({code, n});
    return out;
}

}  // namespace jz
