// The periodic reports on a generated registry: their totals are the battle map's and the progress
// report's for the same unit and date.
#include "service/periodic_reports.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/test_support.h"
#include "service/battle_map.h"
#include "service/dynamic.h"
#include "service/document_json.h"
#include "service/reports.h"
#include "service/test_registry.h"

namespace jz::service {
namespace {

using testing_support::Chayu;
const ChangeContext kSetup{"setup", "2026-11-29T00:00:00Z", std::nullopt};

const std::string& Template() {
    static const std::string path = testing_registry::GeneratedRegistry("periodic", 600, 17, kSetup);
    return path;
}

struct Registry {
    std::string path;
    std::unique_ptr<Store> store;
    Registry() {
        path = Template() + "." + ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db";
        std::filesystem::copy_file(Template(), path, std::filesystem::copy_options::overwrite_existing);
        store = OpenSqliteStore(path, OpenMode::kExisting).value();
    }
    ~Registry() {
        store.reset();
        std::filesystem::remove(path);
    }
};

Date D(const char* s) { return *Date::Parse(s); }
const Date kToday = *Date::Parse("2018-06-30");

const DocRow& TotalRow(const DocSection& s) {
    for (const DocRow& r : s.rows)
        if (r.total) return r;
    ADD_FAILURE() << "no total row in " << s.id;
    return s.rows.front();
}

int64_t Int(const DocValue& v) { return std::holds_alternative<int64_t>(v) ? std::get<int64_t>(v) : -1; }

size_t ColumnIndex(const DocSection& s, const std::string& id) {
    for (size_t i = 0; i < s.columns.size(); ++i)
        if (s.columns[i].id == id) return i;
    ADD_FAILURE() << "no column " << id << " in " << s.id;
    return 0;
}

int64_t TotalOf(const DocSection& s, const std::string& column) { return Int(TotalRow(s).cells[ColumnIndex(s, column)]); }

class PeriodicReports : public ::testing::Test {
  protected:
    Registry r;
    const Plan& plan = Chayu().plan;
    const OrgTree& tree = Chayu().tree;
};

TEST_F(PeriodicReports, WeeklyCountyTotalsAreTheBattleMapsAndProgress) {
    auto doc = BuildPeriodicReport(*r.store, plan, tree, PeriodKind::kWeekly, plan.county_code, "2017-W27", kToday);
    ASSERT_TRUE(doc) << doc.error().message_en;
    EXPECT_EQ(doc->from, D("2017-07-03"));
    EXPECT_EQ(doc->as_of, D("2017-07-09"));
    auto map = BuildBattleMap(*r.store, plan, tree, doc->as_of, plan.county_code, doc->as_of);
    ASSERT_TRUE(map);
    auto progress = BuildProgress(*r.store, plan, tree, doc->as_of);
    ASSERT_TRUE(progress);
    const DocSection* task = doc->section("task");
    ASSERT_NE(task, nullptr);
    EXPECT_GT(map->unit.task_persons, 0);
    EXPECT_EQ(TotalOf(*task, "task_persons"), map->unit.task_persons);
    EXPECT_EQ(TotalOf(*task, "exited_this_year"), map->unit.exited_this_year);
    EXPECT_EQ(TotalOf(*task, "remaining_this_year"), map->unit.remaining_this_year);
    // One row per township plus the county's total.
    EXPECT_EQ(task->rows.size(), map->children.size() + 1);
    int64_t exited_2017 = 0, target_2017 = 0;
    for (const ProgressTownship& t : progress->townships)
        for (const ProgressYear& y : t.years)
            if (y.year == 2017) exited_2017 += y.exited_persons, target_2017 += y.target_persons;
    EXPECT_EQ(TotalOf(*task, "exited_this_year"), exited_2017);
    EXPECT_EQ(TotalOf(*task, "task_persons"), target_2017);
    const DocSection* schedule = doc->section("schedule");
    ASSERT_NE(schedule, nullptr);
    EXPECT_EQ(TotalOf(*schedule, "overdue_persons"), map->unit.overdue_persons);
    EXPECT_EQ(TotalOf(*schedule, "due_households"), map->unit.due_households);
    for (const char* id : {"procedures", "visits", "funds_paid", "findings"}) {
        const DocSection* s = doc->section(id);
        ASSERT_NE(s, nullptr) << id;
        // No data says so in words.
        if (s->rows.empty()) {
            EXPECT_FALSE(s->note_zh.empty()) << id;
        }
    }
    // The generated registry has no visits and no ledger.
    EXPECT_TRUE(doc->section("visits")->rows.empty());
    EXPECT_TRUE(doc->section("funds_paid")->rows.empty());
    // It survives JSON.
    auto back = DocumentFromJson(DocumentJsonText(*doc));
    ASSERT_TRUE(back) << back.error().message_en;
    EXPECT_EQ(*back, *doc);
}

TEST_F(PeriodicReports, MonthlyMeasuresAreProgressMeasures) {
    auto doc = BuildPeriodicReport(*r.store, plan, tree, PeriodKind::kMonthly, plan.county_code, "2017-07", kToday);
    ASSERT_TRUE(doc) << doc.error().message_en;
    auto progress = BuildProgress(*r.store, plan, tree, doc->as_of);
    ASSERT_TRUE(progress);
    const DocSection* measures = doc->section("measures");
    ASSERT_NE(measures, nullptr);
    ASSERT_EQ(measures->rows.size(), progress->measures.size() + 1);
    for (size_t i = 0; i < progress->measures.size(); ++i) {
        const ProgressMeasure& m = progress->measures[i];
        const DocRow& row = measures->rows[i];
        const int64_t planned = m.delivered ? m.delivered->planned_households : m.households;
        EXPECT_EQ(Int(row.cells[ColumnIndex(*measures, "planned_households")]), planned) << m.name;
        EXPECT_EQ(Int(row.cells[ColumnIndex(*measures, "reached_households")]),
                  m.delivered ? m.delivered->reached_households : 0);
    }
    const DocSection* pairing = doc->section("pairing");
    ASSERT_NE(pairing, nullptr);
    ASSERT_FALSE(pairing->rows.empty());
    auto map = BuildBattleMap(*r.store, plan, tree, doc->as_of, plan.county_code, doc->as_of);
    ASSERT_TRUE(map);
    EXPECT_EQ(TotalOf(*doc->section("task"), "exited_this_year"), map->unit.exited_this_year);
    EXPECT_NE(doc->section("funds_by_source"), nullptr);
}

TEST_F(PeriodicReports, AnnualAccountFollowsThePlansStructure) {
    auto doc = BuildPeriodicReport(*r.store, plan, tree, PeriodKind::kAnnual, plan.county_code, "2017", kToday);
    ASSERT_TRUE(doc) << doc.error().message_en;
    auto map = BuildBattleMap(*r.store, plan, tree, D("2017-12-31"), plan.county_code, D("2017-12-31"));
    ASSERT_TRUE(map);
    const DocSection* goal = doc->section("goal");
    ASSERT_NE(goal, nullptr);
    EXPECT_EQ(Int(goal->rows[0].cells[1]), plan.target_households);
    EXPECT_EQ(Int(goal->rows[1].cells[1]), plan.target_persons);
    const DocSection* battles = doc->section("battles");
    ASSERT_NE(battles, nullptr);
    EXPECT_EQ(battles->rows.size(), plan.battles.size() + 1);
    EXPECT_EQ(doc->section("measures")->rows.size(), plan.measures.size() + 1);
    const DocSection* trend = doc->section("trend");
    ASSERT_NE(trend, nullptr);
    ASSERT_EQ(trend->rows.size(), 4u);  // the quarters
    EXPECT_TRUE(trend->chart);
    // The last quarter's cumulative exits are the year's, as the battle map has them.
    EXPECT_EQ(Int(trend->rows.back().cells[ColumnIndex(*trend, "exited_this_year")]), map->unit.exited_this_year);
    int64_t by_quarter = 0;
    for (const DocRow& row : trend->rows) by_quarter += Int(row.cells[ColumnIndex(*trend, "exited_in_period")]);
    auto before = BuildBattleMap(*r.store, plan, tree, D("2016-12-31"), plan.county_code, D("2016-12-31"));
    ASSERT_TRUE(before);
    EXPECT_EQ(by_quarter, map->unit.exited_persons - before->unit.exited_persons);
    EXPECT_EQ(TotalOf(*doc->section("task"), "task_persons"), map->unit.task_persons);
    const DocSection* by_unit = doc->section("trend_by_unit");
    ASSERT_NE(by_unit, nullptr);
    EXPECT_EQ(by_unit->rows.size(), map->children.size() + 1);
}

TEST_F(PeriodicReports, QuarterlyTownshipVillageAndBattleUnits) {
    const std::string township = plan.townships.front().code;
    auto q = BuildPeriodicReport(*r.store, plan, tree, PeriodKind::kQuarterly, township, "2017-Q3", kToday);
    ASSERT_TRUE(q) << q.error().message_en;
    EXPECT_EQ(q->section("trend")->rows.size(), 3u);
    auto map = BuildBattleMap(*r.store, plan, tree, D("2017-09-30"), township, D("2017-09-30"));
    ASSERT_TRUE(map);
    EXPECT_EQ(TotalOf(*q->section("task"), "task_persons"), map->unit.task_persons);
    const std::string village = tree.Children(township).front()->code;
    auto v = BuildPeriodicReport(*r.store, plan, tree, PeriodKind::kWeekly, village, "2017-W27", kToday);
    ASSERT_TRUE(v) << v.error().message_en;
    EXPECT_EQ(v->section("task")->rows.size(), 1u);
    auto battle = BuildPeriodicReport(*r.store, plan, tree, PeriodKind::kMonthly, "industry", "2017-07", kToday);
    ASSERT_TRUE(battle) << battle.error().message_en;
    EXPECT_EQ(battle->unit_code, "industry");
    for (const DocRow& row : battle->section("measures")->rows)
        if (!row.total) {
            EXPECT_EQ(std::get<std::string>(row.cells[1]), plan.FindBattle("industry")->name);
        }
}

TEST_F(PeriodicReports, RefusesUnknownUnitsBadAndFuturePeriods) {
    auto unknown = BuildPeriodicReport(*r.store, plan, tree, PeriodKind::kWeekly, "999999", "2017-W27", kToday);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, "report.unknown_unit");
    auto bad = BuildPeriodicReport(*r.store, plan, tree, PeriodKind::kWeekly, plan.county_code, "2017-07", kToday);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, "period.format");
    auto future = BuildPeriodicReport(*r.store, plan, tree, PeriodKind::kMonthly, plan.county_code, "2018-07", kToday);
    ASSERT_FALSE(future);
    EXPECT_EQ(future.error().code, "report.future_period");
    // A period under way: figures as of today.
    auto current = BuildPeriodicReport(*r.store, plan, tree, PeriodKind::kMonthly, plan.county_code, "2018-06",
                                       D("2018-06-15"));
    ASSERT_TRUE(current);
    EXPECT_EQ(current->as_of, D("2018-06-15"));
}

}  // namespace
}  // namespace jz::service

namespace jz::service {
namespace {

// What happened after a report's day does not change it: a fallback, a deregistration and an exit
// procedure begun and carried through later leave the 2017-W27 report as it was; the open
// procedures are those that stood open on its day.
TEST_F(PeriodicReports, ALaterHistoryLeavesAWeeksReportAsItWas) {
    const auto json = [&] {
        auto doc = BuildPeriodicReport(*r.store, plan, tree, PeriodKind::kWeekly, plan.county_code, "2017-W27", kToday);
        EXPECT_TRUE(doc) << doc.error().message_en;
        auto d = *doc;
        std::erase_if(d.sections, [](const DocSection& s) { return s.id == "findings"; });  // as of the run
        return boost::json::serialize(DocumentJson(d));
    };
    const std::string before = json();
    std::vector<Household> all;
    ASSERT_TRUE(r.store->ScanHouseholds({}, [&](const Household& h) {
        all.push_back(h);
        return true;
    }));
    const Household* exited = nullptr;
    const Household* other = nullptr;
    for (const Household& h : all) {
        if (h.exited() && !exited) exited = &h;
        if (!h.exited() && !other) other = &h;
    }
    ASSERT_TRUE(exited && other);
    Dynamic d(*r.store, plan, tree);
    const Actor county{Role::kAdmin, "county", plan.county_code};
    constexpr const char* kNow = "2026-11-29T01:00:00Z";
    OpenRequest fall{ProcedureKind::kFallback, 2017, {2017, 8, 1}, "", exited->household_code, {}, "因灾返贫", {}};
    ASSERT_TRUE(d.Open(county, fall, kNow).has_value());
    OpenRequest gone{ProcedureKind::kDeregistration, 2017, {2017, 7, 20}, "", other->household_code, {}, "moved_away", {}};
    ASSERT_TRUE(d.Open(county, gone, kNow).has_value());
    EXPECT_EQ(json(), before);
    // A week later the fallback and the deregistration count.
    auto later = BuildPeriodicReport(*r.store, plan, tree, PeriodKind::kWeekly, plan.county_code, "2017-W32", kToday);
    ASSERT_TRUE(later);
    auto map = BuildBattleMap(*r.store, plan, tree, later->as_of, plan.county_code, later->as_of);
    ASSERT_TRUE(map);
    EXPECT_EQ(TotalOf(*later->section("task"), "task_persons"), map->unit.task_persons);
}

}  // namespace
}  // namespace jz::service
