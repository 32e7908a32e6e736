// Match mode: the registry agrees with the plan exactly (households, persons, townships, years,
// measures, exits) and with the project's own rules.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/check.h"
#include "core/codes.h"
#include "core/progress.h"
#include "core/reconcile.h"
#include "generator/generator.h"
#include "generator/test_helpers.h"

namespace jz::generator_test {
namespace {

// The registry agrees with the plan everywhere: the only finding is the document's own 2364.
void ExpectOnlyThePlansOwnMismatch(const std::vector<ReconcileFinding>& findings,
                                   const std::string& context) {
    ASSERT_EQ(findings.size(), 1u) << context << Describe(findings);
    EXPECT_EQ(findings[0].kind, ReconcileKind::kPlanTotalMismatch) << context;
    EXPECT_EQ(findings[0].year, 2017) << context;
    EXPECT_EQ(findings[0].expected, 2365) << context;
    EXPECT_EQ(findings[0].actual, 2364) << context;
}

void ExpectNoErrorFindings(const Plan& plan, const std::vector<Household>& all, const Date& as_of,
                           const std::string& context) {
    RegistryChecker checker(plan, CheckOptions{as_of, {}});
    for (const Household& h : all) checker.Add(h);
    int errors = 0;
    for (const Finding& f : checker.Finish())
        if (f.severity == Severity::kError && ++errors <= 10)
            ADD_FAILURE() << context << ": " << f.rule << " " << f.household_code << " " << f.message();
    EXPECT_EQ(errors, 0) << context;
}

void ExpectMatchesPlan(const Plan& plan, uint64_t seed, const Date& as_of = {2017, 6, 30}) {
    const GeneratorOptions options = Match(seed, as_of);
    const std::string context = "seed " + std::to_string(seed) + " as of " + as_of.ToString();
    const auto all = Generate(plan, ChayuTree(), options);
    ASSERT_EQ(static_cast<int>(all.size()), plan.target_households) << context;
    ExpectRegistryInvariants(all, plan, options.as_of);

    const int last_ended = (as_of.month == 12 && as_of.day == 31) ? as_of.year : as_of.year - 1;
    int persons = 0;
    std::map<std::string, int> by_township;
    std::map<std::pair<std::string, int>, int> by_cell, exited_by_cell;
    std::map<int, int> households_by_measure, persons_by_measure;
    std::map<std::string, int> fallen_back_persons, early_persons;
    int ended = 0, exited_or_fallen_back = 0, fallen_back = 0;
    for (const Household& h : all) {
        const int n = static_cast<int>(h.members.size());
        const int planned = *h.planned_exit_year;
        persons += n;
        by_township[h.township_code()] += n;
        by_cell[{h.township_code(), planned}] += n;
        for (const PlanMeasure& m : plan.measures)
            if (h.HasMeasure(m.number)) {
                ++households_by_measure[m.number];
                persons_by_measure[m.number] += CountBeneficiaries(m, h, as_of);
            }
        if (planned <= last_ended) {
            ++ended;
            exited_or_fallen_back += h.exited() || h.status == codes::kStatusFallback;
        }
        if (h.status == codes::kStatusFallback) {
            ++fallen_back;
            fallen_back_persons[h.township_code()] += n;
        }
        if (h.exited()) {
            exited_by_cell[{h.township_code(), *h.exit_year}] += n;
            if (*h.exit_year != planned) {
                EXPECT_LT(*h.exit_year, planned) << context;
                early_persons[h.township_code()] += n;
            }
        }
        const OrgUnit* village = ChayuTree().Find(h.division_code);
        ASSERT_NE(village, nullptr);
        EXPECT_EQ(village->parent_code, h.township_code());
    }
    EXPECT_EQ(persons, plan.target_persons) << context;
    for (const PlanTownship& t : plan.townships) {
        EXPECT_EQ(by_township[t.code], t.total_persons()) << t.code << " " << context;
        for (int y : plan.years()) {
            const auto it = t.exit_targets.find(y);
            const int target = it == t.exit_targets.end() ? 0 : it->second;
            EXPECT_EQ(by_cell[std::make_pair(t.code, y)], target) << t.code << " " << y << " " << context;
            // Every ended year's exits are the target exactly: the early exits balance the
            // households that fell back.
            if (y <= last_ended) {
                EXPECT_EQ(exited_by_cell[std::make_pair(t.code, y)], target)
                    << t.code << " " << y << " " << context;
            }
        }
        EXPECT_EQ(early_persons[t.code], fallen_back_persons[t.code]) << t.code << " " << context;
    }
    for (const PlanMeasure& m : plan.measures) {
        if (m.target_households) {
            EXPECT_EQ(households_by_measure[m.number], *m.target_households)
                << "measure " << m.number << " " << context;
        }
        if (m.target_persons) {
            EXPECT_EQ(persons_by_measure[m.number], *m.target_persons)
                << "measure " << m.number << " " << context;
        }
    }
    EXPECT_EQ(exited_or_fallen_back, ended) << context;
    EXPECT_LE(fallen_back, ended / 20) << context;
    ExpectOnlyThePlansOwnMismatch(Reconcile(plan, all, as_of), context);
}

TEST(Generator, MatchesTheHandBuiltPlanExactly) {
    const Plan plan = HandPlan();
    for (uint64_t seed : {1, 2, 99}) ExpectMatchesPlan(plan, seed);
}

TEST(Generator, MatchesThePlanFile) {
    const Plan plan = FilePlan();
    EXPECT_EQ(plan.target_households, 1431);
    EXPECT_EQ(plan.target_persons, 6160);
    ExpectMatchesPlan(plan, 5);
}

// Generated as of any date in or after the plan's years and reconciled on that date, the registry
// agrees with the plan everywhere (and keeps the data-quality rules): reconcile reports only the
// plan document's own 2364.
TEST(Generator, ReconcilesWithThePlanOnItsDate) {
    const Plan plan = FilePlan();
    const Date dates[] = {{2016, 6, 30}, {2016, 12, 31}, {2017, 6, 30}, {2017, 12, 31},
                          {2018, 6, 30}, {2018, 12, 31}, {2019, 6, 30}};
    for (uint64_t seed : {3, 17, 2024})
        for (const Date& as_of : dates) {
            ExpectMatchesPlan(plan, seed, as_of);
            const std::string context = "seed " + std::to_string(seed) + " as of " + as_of.ToString();
            ExpectNoErrorFindings(plan, Generate(plan, ChayuTree(), Match(seed, as_of)), as_of, context);
        }
}

// Measure beneficiaries do not drift with the report date: schooling, health, labour and migrant
// work are recorded once while ages are recomputed, and the counted able adults stay 16–60 on every
// date from 2016 to 2019. (Exits are only on target as of the date the registry was generated for.)
TEST(Generator, MeasureCountsHoldOnEveryReportDate) {
    const Plan plan = FilePlan();
    for (uint64_t seed : {1, 8}) {
        const auto all = Generate(plan, ChayuTree(), Match(seed, {2017, 6, 30}));
        for (int year = 2016; year <= 2019; ++year)
            for (const Date& on : {Date{year, 1, 1}, Date{year, 6, 30}, Date{year, 12, 31}}) {
                for (const ReconcileFinding& f : Reconcile(plan, all, on)) {
                    if (f.kind == ReconcileKind::kMeasureVsTarget ||
                        f.kind == ReconcileKind::kRegistryVsTarget)
                        ADD_FAILURE() << "seed " << seed << " on " << on.ToString() << ": " << f.message_en;
                }
            }
    }
}

TEST(Generator, YearEndCountsAsExited) {
    const Plan plan = HandPlan();
    const auto all = Generate(plan, ChayuTree(), Match(1, {2016, 12, 31}));
    int ended = 0, planned = 0, early = 0, fallen_back = 0;
    for (const Household& h : all) {
        planned += *h.planned_exit_year == 2016;
        ended += *h.planned_exit_year == 2016 && (h.exited() || h.status == codes::kStatusFallback);
        early += h.exited() && *h.planned_exit_year > 2016;
        fallen_back += h.status == codes::kStatusFallback;
    }
    EXPECT_EQ(ended, planned);
    EXPECT_GE(early, fallen_back);  // one or two early exits balance each household that fell back
    ExpectRegistryInvariants(all, plan, {2016, 12, 31});
}

// Once the plan's last year has ended, no household planned for a later year is left to balance
// one that fell back, so none did: every household has exited.
TEST(Generator, EveryoneExitedOnceThePlanEnded) {
    const Plan plan = HandPlan();
    for (const Date& as_of : {Date{2018, 12, 31}, Date{2019, 6, 30}}) {
        const auto all = Generate(plan, ChayuTree(), Match(4, as_of));
        int exited = 0;
        for (const Household& h : all) exited += h.exited() && h.exit_year == h.planned_exit_year;
        EXPECT_EQ(exited, plan.target_households) << as_of.ToString();
    }
}

RC_GTEST_PROP(Generator, MatchModeKeepsEveryRuleForAnySeed, ()) {
    const uint64_t seed = *rc::gen::arbitrary<uint64_t>();
    const int month = *rc::gen::inRange(1, 13);
    const Date as_of{*rc::gen::inRange(2016, 2020), month, month == 12 ? 31 : 15};
    const Plan plan = HandPlan();
    auto gen = Generator::Create(plan, ChayuTree(), Match(seed, as_of));
    RC_ASSERT(gen.has_value());
    Household h;
    std::vector<Household> all;
    std::map<int, int> by_measure;
    while ((*gen)->Next(h)) {
        for (int m = 1; m <= 10; ++m) by_measure[m] += h.HasMeasure(m);
        const auto problems = Problems(h, plan, as_of);
        if (!problems.empty()) RC_FAIL(problems.front());
        all.push_back(h);
    }
    RC_ASSERT(all.size() == 1431u);
    for (const PlanMeasure& m : plan.measures)
        if (m.target_households) RC_ASSERT(by_measure[m.number] == *m.target_households);
    const auto findings = Reconcile(plan, all, as_of);
    if (findings.size() != 1 || findings[0].kind != ReconcileKind::kPlanTotalMismatch)
        RC_FAIL("as of " + as_of.ToString() + ":" + Describe(findings));
}

}  // namespace
}  // namespace jz::generator_test
