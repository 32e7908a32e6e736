#include "core/reconcile.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace jz {
namespace {

Plan ChayuPlan() {
    std::ifstream in(std::filesystem::path(JZ_SOURCE_DIR) / "plans/chayu-2016.toml");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ParsePlan(ss.str(), "chayu-2016.toml").value();
}

TEST(ReconcilePlan, ReportsExactlyTheDocumentsOwn2364NamingBothPlaces) {
    const Plan plan = ChayuPlan();
    const auto findings = ReconcilePlan(plan);
    ASSERT_EQ(findings.size(), 1u);
    const ReconcileFinding& f = findings[0];
    EXPECT_EQ(f.kind, ReconcileKind::kPlanTotalMismatch);
    EXPECT_EQ(f.year, 2017);
    EXPECT_EQ(f.expected, 2365);
    EXPECT_EQ(f.actual, 2364);
    EXPECT_EQ(f.scope, "540425");
    EXPECT_NE(f.message_zh.find("五(五)"), std::string::npos) << f.message_zh;
    EXPECT_NE(f.message_zh.find("二"), std::string::npos) << f.message_zh;
}

TEST(ReconcilePlan, AConsistentPlanAgrees) {
    Plan plan = ChayuPlan();
    std::erase_if(plan.stated_totals, [](const PlanStatedTotal& s) { return s.value == 2364; });
    EXPECT_TRUE(ReconcilePlan(plan).empty());
}

// A progress report that matches the plan exactly, to be spoiled one figure at a time.
ProgressReport Matching(const Plan& plan, const Date& as_of) {
    ProgressReport r;
    r.as_of = as_of;
    r.households = plan.target_households;
    r.persons = plan.target_persons;
    for (const PlanTownship& t : plan.townships) {
        ProgressTownship pt{t.code, t.name, 0, t.total_persons(), 0, {}};
        for (int y : plan.years()) {
            const int target = t.exit_targets.contains(y) ? t.exit_targets.at(y) : 0;
            pt.years.push_back({y, target, target, y < as_of.year ? target : 0});
        }
        r.townships.push_back(pt);
    }
    for (const PlanMeasure& m : plan.measures)
        r.measures.push_back({m.number, m.name, m.battle, m.target_households, m.target_persons,
                              m.target_households.value_or(0), m.target_persons.value_or(0)});
    return r;
}

TEST(ReconcileRegistry, MatchingRegistryAgrees) {
    const Plan plan = ChayuPlan();
    EXPECT_TRUE(ReconcileRegistry(plan, Matching(plan, {2017, 6, 30})).empty());
}

TEST(ReconcileRegistry, EachKindOfDisagreement) {
    const Plan plan = ChayuPlan();
    ProgressReport r = Matching(plan, {2017, 6, 30});
    r.townships[0].persons -= 5;                   // registry vs township total
    r.townships[1].years[1].planned_persons += 3;  // planned exits vs the year's target
    r.townships[2].years[0].exited_persons -= 10;  // 2016 exits behind (township and county)
    r.measures[5].persons = 500;                   // medical beneficiaries
    r.measures[0].households = 600;                // industry households
    std::vector<std::string> got;
    for (const auto& f : ReconcileRegistry(plan, r))
        got.push_back(std::string(ReconcileKindName(f.kind)) + " " + f.scope + " " +
                      (f.year ? std::to_string(*f.year) : "-") + " " +
                      (f.measure ? std::to_string(*f.measure) : "-") + " " + f.quantity + " " +
                      std::to_string(f.expected) + "/" + std::to_string(f.actual));
    const std::vector<std::string> want = {
        "registry_vs_target " + plan.townships[0].code + " - - persons " +
            std::to_string(plan.townships[0].total_persons()) + "/" +
            std::to_string(plan.townships[0].total_persons() - 5),
        "registry_vs_target " + r.townships[1].code + " 2017 - persons " +
            std::to_string(r.townships[1].years[1].target_persons) + "/" +
            std::to_string(r.townships[1].years[1].target_persons + 3),
        "exits_behind_target " + r.townships[2].code + " 2016 - persons " +
            std::to_string(r.townships[2].years[0].target_persons) + "/" +
            std::to_string(r.townships[2].years[0].target_persons - 10),
        "exits_behind_target 540425 2016 - persons 2210/2200",
        "measure_vs_target 540425 - 1 households 664/600",
        "measure_vs_target 540425 - 6 persons 571/500",
    };
    EXPECT_EQ(got, want);
}

TEST(ReconcileRegistry, ExitsCountOnlyYearsEndedByTheReportDate) {
    const Plan plan = ChayuPlan();
    ProgressReport r = Matching(plan, {2016, 12, 30});
    for (auto& t : r.townships) t.years[0].exited_persons = 0;  // nothing exited yet in 2016
    EXPECT_TRUE(ReconcileRegistry(plan, r).empty()) << "2016 has not ended on 2016-12-30";
    r.as_of = {2016, 12, 31};
    EXPECT_FALSE(ReconcileRegistry(plan, r).empty()) << "2016 has ended on 2016-12-31";
}

}  // namespace
}  // namespace jz
