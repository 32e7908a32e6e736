#include "core/period.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

namespace jz {
namespace {

Date D(const char* s) { return *Date::Parse(s); }

TEST(Period, ParsesEachKind) {
    auto w = ParsePeriod(PeriodKind::kWeekly, "2017-W27");
    ASSERT_TRUE(w);
    EXPECT_EQ(w->from, D("2017-07-03"));
    EXPECT_EQ(w->to, D("2017-07-09"));
    auto m = ParsePeriod("monthly", "2016-02");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->from, D("2016-02-01"));
    EXPECT_EQ(m->to, D("2016-02-29"));
    auto q = ParsePeriod(PeriodKind::kQuarterly, "2017-Q3");
    ASSERT_TRUE(q);
    EXPECT_EQ(q->from, D("2017-07-01"));
    EXPECT_EQ(q->to, D("2017-09-30"));
    auto a = ParsePeriod(PeriodKind::kAnnual, "2018");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->from, D("2018-01-01"));
    EXPECT_EQ(a->to, D("2018-12-31"));
    EXPECT_EQ(a->text, "2018");
}

TEST(Period, IsoWeeksAcrossYearsAnd53WeekYears) {
    // 2015 and 2020 have 53 weeks; 2016, 2017 52.
    EXPECT_EQ(IsoWeeksInYear(2015), 53);
    EXPECT_EQ(IsoWeeksInYear(2020), 53);
    EXPECT_EQ(IsoWeeksInYear(2016), 52);
    EXPECT_EQ(IsoWeeksInYear(2017), 52);
    auto w53 = ParsePeriod(PeriodKind::kWeekly, "2015-W53");
    ASSERT_TRUE(w53);
    EXPECT_EQ(w53->from, D("2015-12-28"));
    EXPECT_EQ(w53->to, D("2016-01-03"));
    // 2016-01-01 belongs to 2015-W53; 2019-12-30 to 2020-W01.
    EXPECT_EQ(PeriodContaining(PeriodKind::kWeekly, D("2016-01-01")).text, "2015-W53");
    EXPECT_EQ(PeriodContaining(PeriodKind::kWeekly, D("2019-12-30")).text, "2020-W01");
    auto w1 = ParsePeriod(PeriodKind::kWeekly, "2020-W01");
    ASSERT_TRUE(w1);
    EXPECT_EQ(w1->from, D("2019-12-30"));
    auto none = ParsePeriod(PeriodKind::kWeekly, "2017-W53");
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, "period.format");
    EXPECT_NE(none.error().message_en.find("52"), std::string::npos);
}

TEST(Period, ErrorsNameTheFormat) {
    for (auto [kind, text] : std::vector<std::pair<PeriodKind, std::string>>{
             {PeriodKind::kWeekly, "2017-27"}, {PeriodKind::kWeekly, "2017-W00"}, {PeriodKind::kMonthly, "2017-13"},
             {PeriodKind::kMonthly, "2017-7"}, {PeriodKind::kQuarterly, "2017-Q5"}, {PeriodKind::kQuarterly, "2017Q3"},
             {PeriodKind::kAnnual, "17"}, {PeriodKind::kAnnual, "2017-"}, {PeriodKind::kMonthly, ""}}) {
        auto p = ParsePeriod(kind, text);
        ASSERT_FALSE(p) << text;
        EXPECT_EQ(p.error().code, "period.format");
        EXPECT_EQ(p.error().field, "period");
    }
    EXPECT_NE(ParsePeriod(PeriodKind::kMonthly, "2017-7").error().message_en.find("YYYY-MM"), std::string::npos);
    EXPECT_NE(ParsePeriod(PeriodKind::kWeekly, "x").error().message_en.find("YYYY-Www"), std::string::npos);
    EXPECT_EQ(ParsePeriod("daily", "2017").error().code, "period.kind");
}

TEST(Period, AsOfIsTheEndOrToday) {
    auto m = *ParsePeriod(PeriodKind::kMonthly, "2017-07");
    EXPECT_EQ(PeriodAsOf(m, D("2017-07-15")), D("2017-07-15"));
    EXPECT_EQ(PeriodAsOf(m, D("2018-01-01")), D("2017-07-31"));
    EXPECT_EQ(PreviousPeriod(m).text, "2017-06");
    EXPECT_EQ(NextPeriod(*ParsePeriod(PeriodKind::kQuarterly, "2017-Q4")).text, "2018-Q1");
}

RC_GTEST_PROP(Period, EveryDayIsInOneWeekThatParsesBack, ()) {
    const long days = *rc::gen::inRange(-20000L, 40000L);
    const Date day = Date::FromDaysSinceEpoch(days);
    for (PeriodKind kind : {PeriodKind::kWeekly, PeriodKind::kMonthly, PeriodKind::kQuarterly, PeriodKind::kAnnual}) {
        const Period p = PeriodContaining(kind, day);
        RC_ASSERT(p.from <= day);
        RC_ASSERT(day <= p.to);
        auto again = ParsePeriod(kind, p.text);
        RC_ASSERT(again.has_value());
        RC_ASSERT(*again == p);
        RC_ASSERT(NextPeriod(p).from.DaysSinceEpoch() == p.to.DaysSinceEpoch() + 1);
    }
    const Period w = PeriodContaining(PeriodKind::kWeekly, day);
    RC_ASSERT(IsoWeekday(w.from) == 1);
    RC_ASSERT(w.to.DaysSinceEpoch() - w.from.DaysSinceEpoch() == 6);
}

}  // namespace
}  // namespace jz
