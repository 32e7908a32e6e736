#include "core/household.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <limits>

#include "core/codes.h"

namespace jz {
namespace {

TEST(CentiTest, ParsesDecimals) {
    EXPECT_EQ(ParseCenti("3520.5"), 352050);
    EXPECT_EQ(ParseCenti("3520.50"), 352050);
    EXPECT_EQ(ParseCenti("3520"), 352000);
    EXPECT_EQ(ParseCenti("0.01"), 1);
    EXPECT_EQ(ParseCenti("0"), 0);
    EXPECT_EQ(ParseCenti("-12.3"), -1230);
    EXPECT_EQ(ParseCenti("1.230"), 123);  // trailing zeros beyond the fen are harmless
}

TEST(CentiTest, RefusesWhatIsNotAnAmount) {
    for (const char* text :
         {"", "abc", "1.234", "0.001", "1,5", "1.2.3", "12a", "-", ".", "--1", "1 ", " 1", "1e3"})
        EXPECT_EQ(ParseCenti(text), std::nullopt) << text;
}

TEST(CentiTest, Formats) {
    EXPECT_EQ(FormatCenti(352050), "3520.5");
    EXPECT_EQ(FormatCenti(352000), "3520");
    EXPECT_EQ(FormatCenti(1), "0.01");
    EXPECT_EQ(FormatCenti(10), "0.1");
    EXPECT_EQ(FormatCenti(0), "0");
    EXPECT_EQ(FormatCenti(-1230), "-12.3");
    EXPECT_EQ(FormatCenti(-5), "-0.05");
}

TEST(CentiTest, RoundTripsTheExtremes) {
    for (int64_t v : {std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min(),
                      std::numeric_limits<int64_t>::min() + 1, int64_t{100'000'000'000'000'123}}) {
        const std::string text = FormatCenti(v);
        EXPECT_EQ(ParseCenti(text), v) << text;
    }
    EXPECT_EQ(FormatCenti(std::numeric_limits<int64_t>::min()), "-92233720368547758.08");
    EXPECT_EQ(ParseCenti("92233720368547758.08"), std::nullopt);  // one fen past the largest
    EXPECT_EQ(ParseCenti("99999999999999999999"), std::nullopt);
}

RC_GTEST_PROP(CentiProperty, ParseIsTheInverseOfFormat, (int64_t v)) {
    const std::string text = FormatCenti(v);
    const auto parsed = ParseCenti(text);
    RC_ASSERT(parsed.has_value());
    RC_ASSERT(*parsed == v);
    RC_ASSERT(FormatCenti(*parsed) == text);
}

RC_GTEST_PROP(CentiProperty, SmallAmountsRoundTrip, ()) {
    const int64_t v = *rc::gen::inRange<int64_t>(-10'000'000, 10'000'000);
    RC_ASSERT(FormatCenti(*ParseCenti(FormatCenti(v))) == FormatCenti(v));
}

TEST(HouseholdTest, HeadExitedAndMeasures) {
    Household h;
    h.division_code = "540425100201";
    Person spouse;
    spouse.relation = codes::kRelationSpouse;
    Person head;
    head.relation = codes::kRelationHead;
    head.name = "扎西";
    h.members = {spouse, head};
    ASSERT_NE(h.head(), nullptr);
    EXPECT_EQ(h.head()->name, "扎西");
    EXPECT_EQ(h.township_code(), "540425100");
    EXPECT_EQ(h.county_code(), "540425");

    h.status = codes::kStatusNotExited;
    EXPECT_FALSE(h.exited());
    h.status = codes::kStatusExited;
    EXPECT_TRUE(h.exited());
    h.status = codes::kStatusExitedNoPolicy;
    EXPECT_TRUE(h.exited());
    h.status = codes::kStatusFallback;
    EXPECT_FALSE(h.exited());

    h.main_measure = 1;
    h.aux_measures = {5, 8};
    EXPECT_TRUE(h.HasMeasure(1));
    EXPECT_TRUE(h.HasMeasure(8));
    EXPECT_FALSE(h.HasMeasure(3));

    Household empty;
    EXPECT_EQ(empty.head(), nullptr);
    EXPECT_FALSE(empty.HasMeasure(0));
}

}  // namespace
}  // namespace jz
