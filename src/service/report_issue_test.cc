// Issuing, comparing and the submission schedule of the periodic reports.
#include "service/report_issue.h"

#include <set>
#include <gtest/gtest.h>

#include <filesystem>

#include "core/test_support.h"
#include "service/document_json.h"
#include "service/test_registry.h"

namespace jz::service {
namespace {

using testing_support::Chayu;
const ChangeContext kSetup{"setup", "2026-11-29T00:00:00Z", std::nullopt};
const ChangeContext kOfficer{"officer", "2026-11-30T08:00:00Z", std::nullopt};
Date D(const char* s) { return *Date::Parse(s); }

struct Registry {
    std::string path;
    std::unique_ptr<Store> store;
    Registry() {
        static const std::string tmpl = testing_registry::GeneratedRegistry("issue", 300, 23, kSetup);
        path = tmpl + "." + ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db";
        std::filesystem::copy_file(tmpl, path, std::filesystem::copy_options::overwrite_existing);
        store = OpenSqliteStore(path, OpenMode::kExisting).value();
    }
    ~Registry() {
        store.reset();
        std::filesystem::remove(path);
    }
};

TEST(ReportIssue, IssuesOnceFrozenAndLogged) {
    Registry r;
    const Plan& plan = Chayu().plan;
    auto issued = IssueReport(*r.store, plan, Chayu().tree, PeriodKind::kWeekly, plan.county_code, "2017-W27",
                              D("2018-01-10"), kOfficer);
    ASSERT_TRUE(issued) << issued.error().message_en;
    EXPECT_EQ(issued->hash, HexBlake2b(issued->document_json));
    EXPECT_EQ(issued->issued_by, "officer");
    EXPECT_EQ(issued->as_of, D("2017-07-09"));
    auto doc = DocumentFromJson(issued->document_json);
    ASSERT_TRUE(doc);
    EXPECT_EQ(doc->period, "2017-W27");
    const auto meta = IssuedMetaJson(*issued);
    EXPECT_EQ(meta.at("seq").as_int64(), issued->seq);
    auto again = IssueReport(*r.store, plan, Chayu().tree, PeriodKind::kWeekly, plan.county_code, "2017-W27",
                             D("2018-01-10"), kOfficer);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, "report.already_issued");
    EXPECT_EQ(r.store->CountIssuedReports({}).value(), 1);
    EXPECT_TRUE(r.store->VerifyChangeLog().value().mismatches.empty());
    EXPECT_EQ(FindIssued(*r.store, 999).error().code, "report.not_found");
}

TEST(ReportIssue, ComparesWithThePreviousOfTheSameKindAndUnit) {
    Registry r;
    const Plan& plan = Chayu().plan;
    auto first = IssueReport(*r.store, plan, Chayu().tree, PeriodKind::kMonthly, plan.county_code, "2017-06",
                             D("2018-01-10"), kOfficer);
    ASSERT_TRUE(first);
    EXPECT_EQ(CompareIssued(*r.store, first->id, std::nullopt).error().code, "report.no_previous");
    auto second = IssueReport(*r.store, plan, Chayu().tree, PeriodKind::kMonthly, plan.county_code, "2017-07",
                              D("2018-01-10"), kOfficer);
    ASSERT_TRUE(second);
    auto compared = CompareIssued(*r.store, second->id, std::nullopt);
    ASSERT_TRUE(compared) << compared.error().message_en;
    EXPECT_EQ(compared->previous.id, first->id);
    // Only changed numeric cells, each with both values and the change.
    for (const auto& v : compared->rows) {
        const auto& o = v.as_object();
        EXPECT_NE(o.at("previous"), o.at("current"));
        EXPECT_NE(o.at("type").as_string(), "text");
    }
    // A report compared with itself has no changes.
    auto same = CompareIssued(*r.store, second->id, second->id);
    ASSERT_TRUE(same);
    EXPECT_TRUE(same->rows.empty());
    const auto json = ComparedJson(*compared);
    EXPECT_EQ(json.at("previous").at("id").as_int64(), first->id);
}

TEST(ReportSchedule, DueDaysFollowThePlanSettings) {
    PlanReports s;
    EXPECT_EQ(ReportDueOn(*ParsePeriod(PeriodKind::kWeekly, "2017-W27"), s), D("2017-07-07"));  // Friday
    EXPECT_EQ(ReportDueOn(*ParsePeriod(PeriodKind::kMonthly, "2017-12"), s), D("2018-01-05"));
    EXPECT_EQ(ReportDueOn(*ParsePeriod(PeriodKind::kQuarterly, "2017-Q3"), s), D("2017-10-10"));
    EXPECT_EQ(ReportDueOn(*ParsePeriod(PeriodKind::kAnnual, "2017"), s), D("2018-01-20"));
    s.weekly_due_weekday = 1;
    s.annual_due_month = 2;
    s.annual_due_day = 1;
    EXPECT_EQ(ReportDueOn(*ParsePeriod(PeriodKind::kWeekly, "2017-W27"), s), D("2017-07-03"));
    EXPECT_EQ(ReportDueOn(*ParsePeriod(PeriodKind::kAnnual, "2017"), s), D("2018-02-01"));
}

TEST(ReportSchedule, IssuedDueAndOverdue) {
    Registry r;
    const Plan& plan = Chayu().plan;
    const std::string township = plan.townships.front().code;
    ASSERT_TRUE(IssueReport(*r.store, plan, Chayu().tree, PeriodKind::kMonthly, township, "2017-06", D("2017-07-03"),
                            kOfficer));
    // On 2017-07-05: June's report issued; the week 2017-W27's (due Friday 07-07) due; W26's overdue.
    auto items = ReportsDue(*r.store, plan, Chayu().tree, D("2017-07-05"), township, 500);
    ASSERT_TRUE(items) << items.error().message_en;
    auto find = [&](PeriodKind kind, const std::string& period) -> const DueItem* {
        for (const DueItem& i : *items)
            if (i.kind == kind && i.period == period) return &i;
        return nullptr;
    };
    ASSERT_NE(find(PeriodKind::kMonthly, "2017-06"), nullptr);
    EXPECT_EQ(find(PeriodKind::kMonthly, "2017-06")->state, "issued");
    EXPECT_TRUE(find(PeriodKind::kMonthly, "2017-06")->issued_id.has_value());
    ASSERT_NE(find(PeriodKind::kWeekly, "2017-W27"), nullptr);
    EXPECT_EQ(find(PeriodKind::kWeekly, "2017-W27")->state, "due");
    EXPECT_EQ(find(PeriodKind::kWeekly, "2017-W26")->state, "overdue");
    EXPECT_EQ(find(PeriodKind::kMonthly, "2017-07")->state, "due");
    EXPECT_EQ(find(PeriodKind::kAnnual, "2016")->state, "overdue");
    // Newest due date first, bounded.
    for (size_t i = 1; i < items->size(); ++i) EXPECT_GE((*items)[i - 1].due_on, (*items)[i].due_on);
    auto bounded = ReportsDue(*r.store, plan, Chayu().tree, D("2017-07-05"), "", 10);
    ASSERT_TRUE(bounded);
    EXPECT_EQ(bounded->size(), 10u);
    // The county's list names the county, every battle office and every township.
    auto all = ReportsDue(*r.store, plan, Chayu().tree, D("2017-07-05"), "", 100000);
    ASSERT_TRUE(all);
    std::set<std::string> units;
    for (const DueItem& i : *all) units.insert(i.unit_code);
    EXPECT_EQ(units.size(), 1 + plan.battles.size() + plan.townships.size());
    EXPECT_EQ(ReportsDue(*r.store, plan, Chayu().tree, D("2017-07-05"), "nowhere").error().code, "report.unknown_unit");
}

}  // namespace
}  // namespace jz::service
