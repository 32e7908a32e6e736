// The battle map's summary for one org unit (core/battle_map) on the one_township progress fixture
// (tests/fixtures/progress/one_township: four one-person households of 知美村委会, 竹瓦根镇, as of
// 2017-06-30) plus a few households made here.
#include "core/battle_map.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "core/assistance.h"
#include "core/codes.h"
#include "core/test_support.h"

namespace jz {
namespace {

namespace fs = std::filesystem;
using testing_support::Chayu;

constexpr Date kAsOf{2017, 6, 30};
constexpr const char* kTownship = "540425100";   // 竹瓦根镇: plan targets 2016 = 370, 2017 = 241
constexpr const char* kVillage = "540425100201";  // 知美村委会
constexpr const char* kOtherVillage = "540425100202";

std::vector<HouseholdFacts> Registry() {
    std::vector<HouseholdFacts> out;
    const fs::path csv = fs::path(JZ_SOURCE_DIR) / "tests/fixtures/progress/one_township/input.csv";
    auto loaded = testing_support::LoadFixtureHouseholds(csv);
    for (const std::string& r : loaded.rejected) ADD_FAILURE() << csv << ": " << r;
    for (const Household& h : loaded.households) out.push_back(FactsOf(h));
    // Overdue: planned for 2016, not exited (2 persons, another village).
    HouseholdFacts overdue;
    overdue.household_code = "X1";
    overdue.division_code = kOtherVillage;
    overdue.status = codes::kStatusNotExited;
    overdue.attribute = codes::kAttributeDibao;
    overdue.main_cause = codes::kCauseIllness;
    overdue.other_causes = {codes::kCauseSkills, codes::kCauseIllness};
    overdue.planned_exit_year = 2016;
    overdue.persons = 2;
    out.push_back(overdue);
    // Exited this year (3 persons, planned 2017).
    HouseholdFacts exited = overdue;
    exited.household_code = "X2";
    exited.status = codes::kStatusExited;
    exited.planned_exit_year = 2017;
    exited.exit_year = 2017;
    exited.persons = 3;
    out.push_back(exited);
    // An exit recorded for 2018 has not happened by 2017-06-30.
    HouseholdFacts later = exited;
    later.household_code = "X3";
    later.exit_year = 2018;
    later.planned_exit_year = 2018;
    later.persons = 5;
    out.push_back(later);
    // Another township: never counted on 竹瓦根镇's map.
    HouseholdFacts elsewhere = exited;
    elsewhere.household_code = "X4";
    elsewhere.division_code = "540425101201";
    elsewhere.persons = 7;
    out.push_back(elsewhere);
    return out;
}

BattleMap Build(std::string_view unit) {
    BattleMapBuilder b(Chayu().plan, Chayu().tree, kAsOf, unit);
    for (const HouseholdFacts& h : Registry()) b.Add(h);
    return b.Finish();
}

const BattleMapUnit& Child(const BattleMap& m, const std::string& code) {
    auto it = std::ranges::find(m.children, code, &BattleMapUnit::code);
    EXPECT_NE(it, m.children.end()) << code;
    return *it;
}

TEST(Schedule, StraightLineThresholds) {
    EXPECT_EQ(StatusAgainstSchedule(0, 0, 0.5), ScheduleStatus::kNone);
    EXPECT_EQ(StatusAgainstSchedule(100, 50, 0.5), ScheduleStatus::kGreen);
    EXPECT_EQ(StatusAgainstSchedule(100, 40, 0.5), ScheduleStatus::kAmber);  // exactly 80 %
    EXPECT_EQ(StatusAgainstSchedule(100, 39, 0.5), ScheduleStatus::kRed);
    EXPECT_EQ(StatusAgainstSchedule(100, 100, 1.0), ScheduleStatus::kGreen);
    EXPECT_EQ(ScheduleStatusName(ScheduleStatus::kAmber), "amber");
}

TEST(Schedule, DaysOfTheYear) {
    EXPECT_EQ(DaysLeftInYear({2017, 6, 30}), 184);
    EXPECT_EQ(DaysLeftInYear({2016, 12, 31}), 0);
    EXPECT_EQ(DaysLeftInYear({2016, 1, 1}), 365);  // a leap year
    EXPECT_DOUBLE_EQ(ElapsedShareOfYear({2017, 12, 31}), 1.0);
    EXPECT_DOUBLE_EQ(ElapsedShareOfYear({2017, 1, 1}), 1.0 / 365);
}

TEST(BattleMap, ATownshipsMapHasTheTownshipsOwnGoalAndTask) {
    const BattleMap m = Build(kTownship);
    EXPECT_EQ(m.unit.code, kTownship);
    EXPECT_EQ(m.unit.name, "竹瓦根镇");
    EXPECT_EQ(m.unit.level, OrgLevel::kTownship);
    EXPECT_EQ(m.unit.target_source, TargetSource::kPlanTownship);
    EXPECT_EQ(m.unit.goal_persons, 370 + 241);  // not the county's 6,160
    EXPECT_EQ(m.unit.task_persons, 241);
    EXPECT_EQ(m.unit.households, 4 + 3);
    EXPECT_EQ(m.unit.persons, 4 + 2 + 3 + 5);
    EXPECT_EQ(m.unit.exited_persons, 1 + 3);  // H02 (2016) and X2 (2017); X3's 2018 exit is later
    EXPECT_EQ(m.unit.exited_this_year, 3);
    EXPECT_EQ(m.unit.remaining_this_year, 241 - 3);
    EXPECT_EQ(m.unit.status, ScheduleStatus::kRed);
    EXPECT_EQ(m.days_left, 184);
    // 倒排工期: X1 overdue; H01, H03 (fell back) and H04 due this year.
    EXPECT_EQ(m.unit.overdue_households, 1);
    EXPECT_EQ(m.unit.overdue_persons, 2);
    EXPECT_EQ(m.unit.due_households, 3);
    EXPECT_EQ(m.unit.due_persons, 3);
    ASSERT_EQ(m.unit.years.size(), 3u);
    EXPECT_EQ(m.unit.years[0].year, 2016);
    EXPECT_EQ(m.unit.years[0].task_persons, 370);
    EXPECT_EQ(m.unit.years[0].exited_persons, 1);
    EXPECT_EQ(m.unit.years[1].planned_persons, 3 + 3);
    EXPECT_EQ(m.unit.years[2].exited_persons, 0);
    // Measures: counts without the county's targets.
    for (const BattleMapMeasure& measure : m.measures) {
        EXPECT_FALSE(measure.target_households) << measure.name;
        EXPECT_FALSE(measure.target_persons) << measure.name;
    }
}

TEST(BattleMap, ATownshipsChildrenAreItsVillagesWithTheirOwnTargets) {
    const BattleMap m = Build(kTownship);
    EXPECT_EQ(m.children.size(), 16u);  // every village of the tree, households or not
    for (const BattleMapUnit& c : m.children) EXPECT_EQ(c.level, OrgLevel::kVillage);
    const BattleMapUnit& v = Child(m, kVillage);
    EXPECT_EQ(v.target_source, TargetSource::kPlannedExitYear);
    EXPECT_EQ(v.goal_persons, 4);  // persons with a planned exit year
    EXPECT_EQ(v.task_persons, 3);  // planned for 2017
    EXPECT_EQ(v.exited_this_year, 0);
    EXPECT_EQ(v.remaining_this_year, 3);
    EXPECT_EQ(v.due_households, 3);
    EXPECT_EQ(v.status, ScheduleStatus::kRed);
    const BattleMapUnit& other = Child(m, kOtherVillage);
    EXPECT_EQ(other.task_persons, 3);   // X2
    EXPECT_EQ(other.exited_this_year, 3);
    EXPECT_EQ(other.status, ScheduleStatus::kGreen);
    EXPECT_EQ(other.overdue_households, 1);
    const BattleMapUnit& empty = Child(m, "540425100001");
    EXPECT_EQ(empty.task_persons, 0);
    EXPECT_EQ(empty.status, ScheduleStatus::kNone);
}

TEST(BattleMap, TheCountysMapHasThePlansTargetsAndTownships) {
    const BattleMap m = Build(std::string(Chayu().tree.root_code()));
    EXPECT_EQ(m.unit.level, OrgLevel::kCounty);
    EXPECT_EQ(m.unit.target_source, TargetSource::kPlanCounty);
    EXPECT_EQ(m.unit.goal_persons, Chayu().plan.target_persons);
    EXPECT_EQ(m.unit.task_persons, Chayu().plan.ExitTarget(2017));
    EXPECT_EQ(m.unit.exited_this_year, 3 + 7);
    for (const BattleMapUnit& c : m.children) EXPECT_EQ(c.level, OrgLevel::kTownship);
    EXPECT_EQ(Child(m, kTownship).task_persons, 241);
    EXPECT_EQ(Child(m, "540425101").exited_this_year, 7);
    bool targets = false;
    for (const BattleMapMeasure& measure : m.measures) targets |= measure.target_households.has_value();
    EXPECT_TRUE(targets);
}

TEST(BattleMap, MeasuresCarryTheLedgersDeliveredFiguresNotAges) {
    const std::vector<HouseholdFacts> registry = Registry();
    // Without the ledger a measure has its planned households and no beneficiaries.
    BattleMap county = Build(std::string(Chayu().tree.root_code()));
    auto industry = [](BattleMap& m) -> BattleMapMeasure& {
        return *std::ranges::find(m.measures, 1, &BattleMapMeasure::number);
    };
    EXPECT_GE(industry(county).households, 4);
    EXPECT_EQ(industry(county).persons, 0);
    EXPECT_FALSE(industry(county).delivered);

    // One signed whole-household item for the first household of the village.
    ItemFacts item;
    item.household_code = registry[0].household_code;
    item.division_code = registry[0].division_code;
    item.measure = 1;
    item.category = codes::kCategoryIndustry;
    item.kind = codes::kKindGoods;
    item.start_date = {2016, 5, 1};
    item.signed_on = Date{2016, 5, 2};
    item.household_persons = registry[0].persons;
    item.amount = 150000;
    const Date from{Chayu().plan.start_year, 1, 1};
    AttachDelivered(county, CountDelivered(Chayu().plan, Chayu().tree, std::string(Chayu().tree.root_code()), from,
                                           kAsOf, registry, std::span(&item, 1)));
    ASSERT_TRUE(industry(county).delivered);
    EXPECT_EQ(industry(county).persons, registry[0].persons);
    EXPECT_EQ(industry(county).delivered->reached_households, 1);
    EXPECT_EQ(industry(county).delivered->amount, 150000);
    EXPECT_EQ(industry(county).delivered->target_households, 664);

    // A township's map: its own count, without the county's targets.
    BattleMap township = Build(kTownship);
    AttachDelivered(township,
                    CountDelivered(Chayu().plan, Chayu().tree, kTownship, from, kAsOf, registry, std::span(&item, 1)));
    ASSERT_TRUE(industry(township).delivered);
    EXPECT_EQ(industry(township).delivered->reached_households, 1);
    EXPECT_FALSE(industry(township).delivered->target_households);
}

TEST(BattleMap, AVillagesMapCountsItsOwnHouseholdsOnly) {
    const BattleMap m = Build(kVillage);
    EXPECT_EQ(m.unit.level, OrgLevel::kVillage);
    EXPECT_EQ(m.unit.target_source, TargetSource::kPlannedExitYear);
    EXPECT_EQ(m.unit.households, 4);
    EXPECT_EQ(m.unit.goal_persons, 4);
    EXPECT_EQ(m.unit.task_persons, 3);
    EXPECT_TRUE(m.children.empty());
    // Causes count a household once per cause, main or other; attributes once.
    const BattleMap t = Build(kTownship);
    auto count = [](const std::vector<BattleMapCount>& v, int code) {
        auto it = std::ranges::find(v, code, &BattleMapCount::code);
        return it == v.end() ? int64_t{0} : it->households;
    };
    EXPECT_EQ(count(t.causes, codes::kCauseIllness), 3);  // X1, X2, X3 (illness listed twice in each)
    EXPECT_EQ(count(t.causes, codes::kCauseSkills), 4 + 3);
    EXPECT_EQ(count(t.attributes, codes::kAttributeDibao), 3);
}

}  // namespace
}  // namespace jz
