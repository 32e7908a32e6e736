#include "core/date.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

namespace jz {
namespace {

TEST(DateTest, ParsesBothForms) {
    EXPECT_EQ(Date::Parse("2016-04-15"), (Date{2016, 4, 15}));
    EXPECT_EQ(Date::Parse("20160415"), (Date{2016, 4, 15}));
    EXPECT_EQ(Date::Parse("2016/04/15"), (Date{2016, 4, 15}));
    EXPECT_EQ(Date::Parse("2016.04.15"), (Date{2016, 4, 15}));
}

TEST(DateTest, RefusesMalformedAndImpossibleDates) {
    for (const char* text : {"", "2016-4-15", "2016-04-15 ", "2016-04/15", "201604151", "2016041",
                             "2016-02-30", "20160230", "2015-02-29", "1900-02-29", "2016-13-01", "2016-00-10",
                             "2016-01-00", "2016-04-31", "abcd-ef-gh", "1799-12-31", "+016-04-15"}) {
        EXPECT_EQ(Date::Parse(text), std::nullopt) << text;
    }
    EXPECT_TRUE(Date::Parse("2016-02-29").has_value());
    EXPECT_TRUE(Date::Parse("2000-02-29").has_value());
}

TEST(DateTest, IsValid) {
    EXPECT_TRUE(Date::IsValid(2016, 12, 31));
    EXPECT_FALSE(Date::IsValid(2016, 11, 31));
    EXPECT_FALSE(Date::IsValid(2017, 2, 29));
    EXPECT_TRUE(Date::IsValid(2024, 2, 29));
}

TEST(DateTest, ToStringPadsWithZeros) {
    EXPECT_EQ((Date{2016, 4, 5}).ToString(), "2016-04-05");
    EXPECT_EQ((Date{1949, 12, 31}).ToString(), "1949-12-31");
}

TEST(DateTest, AgeCountsTheBirthdayItself) {
    const Date birth{2000, 6, 15};
    EXPECT_EQ(birth.AgeOn(Date{2016, 6, 14}), 15);
    EXPECT_EQ(birth.AgeOn(Date{2016, 6, 15}), 16);
    EXPECT_EQ(birth.AgeOn(Date{2016, 12, 31}), 16);
    EXPECT_EQ(birth.AgeOn(Date{2000, 6, 15}), 0);
    const Date leap{2000, 2, 29};
    EXPECT_EQ(leap.AgeOn(Date{2001, 2, 28}), 0);
    EXPECT_EQ(leap.AgeOn(Date{2001, 3, 1}), 1);
}

TEST(DateTest, DaysSinceEpoch) {
    EXPECT_EQ((Date{1970, 1, 1}).DaysSinceEpoch(), 0);
    EXPECT_EQ((Date{1970, 1, 2}).DaysSinceEpoch(), 1);
    EXPECT_EQ((Date{1969, 12, 31}).DaysSinceEpoch(), -1);
    EXPECT_EQ((Date{2000, 3, 1}).DaysSinceEpoch(), 11017);
    EXPECT_EQ((Date{1900, 1, 1}).DaysSinceEpoch(), -25567);
    EXPECT_EQ(Date::FromDaysSinceEpoch(16906), (Date{2016, 4, 15}));
}

TEST(DateTest, Ordering) {
    EXPECT_LT((Date{2016, 4, 15}), (Date{2016, 4, 16}));
    EXPECT_LT((Date{2015, 12, 31}), (Date{2016, 1, 1}));
    EXPECT_EQ((Date{2016, 4, 15}), (Date{2016, 4, 15}));
}

RC_GTEST_PROP(DateProperty, DaysRoundTripAndParseRoundTrip, ()) {
    const long days = *rc::gen::inRange(-60000L, 2900000L);  // 1805 .. ~9900
    const Date d = Date::FromDaysSinceEpoch(days);
    RC_ASSERT(Date::IsValid(d.year, d.month, d.day));
    RC_ASSERT(d.DaysSinceEpoch() == days);
    RC_ASSERT(Date::Parse(d.ToString()) == d);
    const Date next = Date::FromDaysSinceEpoch(days + 1);
    RC_ASSERT(d < next);
}

TEST(DateTest, BeijingDayTurnsAtBeijingMidnight) {
    using namespace std::chrono;
    const sys_seconds evening = sys_days{2017y / 6 / 30} + 15h + 59min;  // 23:59 in Beijing
    EXPECT_EQ(Date::BeijingDayOf(evening).ToString(), "2017-06-30");
    EXPECT_EQ(Date::BeijingDayOf(evening + 1min).ToString(), "2017-07-01");
    EXPECT_EQ(Date::BeijingDayOf(sys_days{2017y / 12 / 31} + 16h).ToString(), "2018-01-01");
}

}  // namespace
}  // namespace jz
