// The battle map's first screen for one org unit (挂图作战, "are we on schedule?"): the unit's own
// goal and this year's task, what has exited so far this year and what is still to exit, how many
// days are left, each child unit (townships of a county, villages of a township) against a
// straight-line schedule, 倒排工期 (overdue and due this year), and the unit's measures, causes and
// attributes. Every figure is the unit's own: a township's goal and task are the plan's township
// targets, never the county's.
//
// Accumulated household by household like ProgressBuilder (one pass, nothing kept per household);
// pure: no I/O, the date comes in.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/org_unit.h"
#include "core/plan.h"
#include "core/progress.h"

namespace jz {

struct MeasuresDelivered;  // core/assistance.h

// Red / amber / green against the straight-line schedule of the year's task: by the date, the
// expected exits are task × the elapsed share of the year (the date counts as elapsed).
//   green: exited ≥ expected;  amber: exited ≥ kAmberShare × expected;  red: below that;
//   none:  the unit has no task this year (nothing to be on or behind schedule for).
enum class ScheduleStatus { kNone, kRed, kAmber, kGreen };
inline constexpr double kAmberShare = 0.8;
std::string_view ScheduleStatusName(ScheduleStatus status);  // none, red, amber, green
ScheduleStatus StatusAgainstSchedule(int64_t task, int64_t exited, double elapsed_share);
// The share of `day`'s year elapsed at the end of `day` (1 Jan: 1/365; 31 Dec: 1).
double ElapsedShareOfYear(const Date& day);
// Days after `day` to the year's end (31 Dec: 0).
int DaysLeftInYear(const Date& day);

// Where a unit's goal and yearly tasks come from.
enum class TargetSource {
    kPlanCounty,       // the plan's county target (target_persons) and the sum of township targets a year
    kPlanTownship,     // the plan's township exit targets
    kPlannedExitYear,  // no plan target: persons of the unit's households with a planned exit year (in the year)
};
std::string_view TargetSourceName(TargetSource source);  // plan_county, plan_township, planned_exit_year

struct BattleMapYear {
    int year = 0;
    int64_t task_persons = 0;     // the unit's target for the year (see TargetSource)
    int64_t planned_persons = 0;  // persons of households planned to exit in the year
    int64_t exited_persons = 0;   // persons of households exited (still) in the year, by the date
};

// One org unit's figures: the unit the map is for, and each of its children.
struct BattleMapUnit {
    std::string code;
    std::string name;
    OrgLevel level = OrgLevel::kCounty;
    TargetSource target_source = TargetSource::kPlannedExitYear;
    int64_t goal_persons = 0;  // over the whole plan
    int64_t households = 0;
    int64_t persons = 0;
    int64_t exited_persons = 0;  // exited by the date, any year
    // This year (the date's year).
    int64_t task_persons = 0;
    int64_t exited_this_year = 0;
    int64_t remaining_this_year = 0;  // max(0, task − exited this year)
    double expected_by_now = 0;       // task × elapsed share
    ScheduleStatus status = ScheduleStatus::kNone;
    // 倒排工期: not exited by the date although the planned exit year has passed (overdue), or is
    // this year (due).
    int64_t overdue_households = 0, overdue_persons = 0;
    int64_t due_households = 0, due_persons = 0;
    std::vector<BattleMapYear> years;  // the plan's years
};

struct BattleMapMeasure {
    int number = 0;
    std::string name;
    std::string battle;
    // The plan's targets, only when they are the unit's own (the plan's measure targets are the
    // county's: a township or village map has none).
    std::optional<int> target_households;
    std::optional<int> target_persons;
    int64_t households = 0;  // households of the unit with the measure, main or auxiliary (planned)
    // Beneficiaries delivered: the ledger's distinct persons (AttachDelivered), 0 until attached.
    // Never derived from ages or household size.
    int64_t persons = 0;
    // What the ledger shows delivered for the unit (AttachDelivered); nullopt: not counted.
    std::optional<MeasureDelivered> delivered;
};

struct BattleMapCount {
    int code = 0;
    int64_t households = 0;
};

struct BattleMap {
    Date as_of;
    int year = 0;  // as_of's year
    int days_left = 0;
    double elapsed_share = 0;
    int start_year = 0, end_year = 0;  // the plan's period
    BattleMapUnit unit;
    std::vector<BattleMapUnit> children;      // townships of a county, villages of a township, by code
    std::vector<BattleMapMeasure> measures;   // the plan's, in its order
    std::vector<BattleMapCount> causes;       // households with the cause as main or other cause, by code
    std::vector<BattleMapCount> attributes;   // households by attribute, by code
};

// Puts the delivered figures counted for the map's unit (DeliveredBuilder over the same unit)
// beside each measure: BattleMapMeasure::delivered and persons (the delivered beneficiaries).
void AttachDelivered(BattleMap& map, const MeasuresDelivered& delivered);

class BattleMapBuilder {
  public:
    // `unit_code`: an org unit of the tree (the county, a township or a village) or a township the
    // plan names. Households outside it are ignored by Add. `ages_on` is no longer read (measures'
    // beneficiaries come from the ledger, AttachDelivered); kept so callers need not change.
    BattleMapBuilder(const Plan& plan, const OrgTree& tree, const Date& as_of, std::string_view unit_code,
                     std::optional<Date> ages_on = std::nullopt);
    void Add(const HouseholdFacts& facts);
    BattleMap Finish() const;

  private:
    BattleMapUnit MakeUnit(const std::string& code, const std::string& name, OrgLevel level) const;
    void Count(BattleMapUnit& u, const HouseholdFacts& h, bool exited) const;
    void Settle(BattleMapUnit& u) const;

    const Plan& plan_;
    BattleMap map_;
    size_t child_length_ = 0;  // code length of a child unit; 0: no children
    std::map<std::string, size_t, std::less<>> child_index_;
    std::map<int, size_t> measure_index_;
    std::map<int, int64_t> causes_, attributes_;
};

}  // namespace jz
