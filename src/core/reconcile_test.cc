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
    r.measures[5].persons = 500;                   // beneficiaries are not compared with ages any more
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

// The delivered figures as the ledger would give them when every target is met exactly.
MeasureDelivered DeliveredMeetingTargets(const PlanMeasure& m) {
    MeasureDelivered d;
    d.number = m.number;
    d.name = m.name;
    d.target_households = m.target_households;
    d.target_persons = m.target_persons;
    d.planned_households = m.target_households.value_or(0);
    d.reached_households = m.target_households.value_or(0);
    d.beneficiaries = m.target_persons.value_or(0);
    for (const PlanMeasureStage& s : m.stages) d.stages.push_back({s.id, s.name, s.persons, s.persons});
    for (const auto& [id, value] : m.other_targets) d.others.push_back({id, id, value, value});
    return d;
}

std::vector<std::string> NotDelivered(const Plan& plan, const ProgressReport& r) {
    std::vector<std::string> got;
    for (const auto& f : ReconcileRegistry(plan, r)) {
        if (f.kind != ReconcileKind::kMeasureNotDelivered) continue;
        EXPECT_FALSE(f.message_zh.empty());
        EXPECT_FALSE(f.message_en.empty());
        got.push_back(std::to_string(*f.measure) + " " + f.quantity + (f.part.empty() ? "" : ":" + f.part) + " " +
                      std::to_string(f.expected) + "/" + std::to_string(f.actual));
    }
    return got;
}

TEST(ReconcileRegistry, MeasuresNotDeliveredOnlyOnceThePlanPeriodIsOver) {
    const Plan plan = ChayuPlan();
    ProgressReport r = Matching(plan, {2018, 12, 31});
    for (auto& t : r.townships)
        for (auto& y : t.years) y.exited_persons = y.target_persons;
    for (ProgressMeasure& m : r.measures) m.delivered = DeliveredMeetingTargets(*plan.FindMeasure(m.number));
    EXPECT_TRUE(ReconcileRegistry(plan, r).empty());

    r.measures[0].delivered->reached_households = 600;  // industry: 600 of 664 households reached
    r.measures[5].delivered->beneficiaries = 500;       // medical: 500 of 571 persons
    r.measures[4].delivered->stages[1].persons = 700;   // education, primary: 700 of 765
    r.measures[7].delivered->others[0].held = 300;      // ecological rangers: 300 of 373
    r.measures[8].delivered->reached_households = 120;  // above the target: fine
    const std::vector<std::string> want = {"1 households 664/600", "5 persons:primary 765/700",
                                           "6 persons 571/500", "8 persons:ecological_rangers 373/300"};
    EXPECT_EQ(NotDelivered(plan, r), want);

    // Before the plan period ends, delivery is still under way: nothing reported.
    r.as_of = {2018, 12, 30};
    EXPECT_TRUE(NotDelivered(plan, r).empty());
    // Without the ledger's figures nothing is judged.
    r.as_of = {2019, 6, 30};
    for (ProgressMeasure& m : r.measures) m.delivered.reset();
    EXPECT_TRUE(NotDelivered(plan, r).empty());
}

TEST(ReconcileKinds, NamesInStep) {
    EXPECT_EQ(AllReconcileKinds().size(), 5u);
    for (ReconcileKind k : AllReconcileKinds()) {
        EXPECT_FALSE(ReconcileKindName(k).empty());
        EXPECT_FALSE(ReconcileKindNameZh(k).empty());
        EXPECT_FALSE(ReconcileKindNameEn(k).empty());
    }
    EXPECT_EQ(ReconcileKindName(ReconcileKind::kMeasureNotDelivered), "measure_not_delivered");
    EXPECT_EQ(ReconcileKindNameZh(ReconcileKind::kMeasureNotDelivered), "措施未落实");
    EXPECT_EQ(ReconcileKindNameEn(ReconcileKind::kMeasureNotDelivered), "Measure not delivered");
}

}  // namespace
}  // namespace jz
