// The plan's [reports] settings (the submission schedule): defaults, values, refusals.
#include <gtest/gtest.h>

#include "core/plan.h"
#include "core/test_support.h"

namespace jz {
namespace {

// The Chayu plan with its own [reports] table (the file's last) replaced.
std::string WithReports(const std::string& table) {
    const std::string& toml = testing_support::Chayu().toml;
    return toml.substr(0, toml.find("\n[reports]")) + "\n[reports]\n" + table;
}

TEST(PlanReports, DefaultsWhenAbsent) {
    const std::string& toml = testing_support::Chayu().toml;
    auto parsed = ParsePlan(toml.substr(0, toml.find("\n[reports]")), "p.toml");
    ASSERT_TRUE(parsed) << parsed.error().ToString();
    const Plan& plan = *parsed;
    EXPECT_EQ(plan.reports.weekly_due_weekday, 5);
    EXPECT_EQ(plan.reports.monthly_due_day, 5);
    EXPECT_EQ(plan.reports.quarterly_due_day, 10);
    EXPECT_EQ(plan.reports.annual_due_month, 1);
    EXPECT_EQ(plan.reports.annual_due_day, 20);
}

TEST(PlanReports, ReadsEverySetting) {
    auto plan = ParsePlan(WithReports("weekly_due_weekday = 1\nmonthly_due_day = 8\nquarterly_due_day = 15\n"
                                      "annual_due = \"02-10\"\n"),
                          "p.toml");
    ASSERT_TRUE(plan) << plan.error().ToString();
    EXPECT_EQ(plan->reports.weekly_due_weekday, 1);
    EXPECT_EQ(plan->reports.monthly_due_day, 8);
    EXPECT_EQ(plan->reports.quarterly_due_day, 15);
    EXPECT_EQ(plan->reports.annual_due_month, 2);
    EXPECT_EQ(plan->reports.annual_due_day, 10);
}

TEST(PlanReports, RefusesOutOfRangeAndMalformed) {
    for (const char* bad : {"weekly_due_weekday = 8\n", "monthly_due_day = 0\n", "quarterly_due_day = 31\n",
                            "annual_due = \"2-10\"\n", "annual_due = \"02-30\"\n", "annual_due = \"02-29\"\n",
                            "unknown = 1\n"}) {
        auto plan = ParsePlan(WithReports(bad), "p.toml");
        ASSERT_FALSE(plan) << bad;
        EXPECT_NE(plan.error().message_en.find("reports."), std::string::npos) << bad << plan.error().ToString();
    }
}

}  // namespace
}  // namespace jz
