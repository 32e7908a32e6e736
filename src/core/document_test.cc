#include "core/document.h"

#include <gtest/gtest.h>

namespace jz {
namespace {

TEST(Document, FormatsMoneyAndPercentExactly) {
    EXPECT_EQ(FormatFen(123450), "1234.50");
    EXPECT_EQ(FormatFen(5), "0.05");
    EXPECT_EQ(FormatFen(-5), "-0.05");
    EXPECT_EQ(FormatFen(0), "0.00");
    EXPECT_EQ(FormatFen(INT64_MIN), "-92233720368547758.08");
    EXPECT_EQ(FormatPercent(9150), "91.50%");
    EXPECT_EQ(FormatDocValue(DocValue{int64_t{42}}, DocCellType::kInteger), "42");
    EXPECT_EQ(FormatDocValue(DocValue{int64_t{42}}, DocCellType::kFen), "0.42");
    EXPECT_EQ(FormatDocValue(DocValue{std::string("拉木乡")}, DocCellType::kText), "拉木乡");
    EXPECT_EQ(FormatDocValue(DocValue{}, DocCellType::kFen), "");
}

TEST(Document, PercentRoundsHalfAwayFromZero) {
    EXPECT_EQ(PercentOf(1, 3), 3333);
    EXPECT_EQ(PercentOf(2, 3), 6667);
    EXPECT_EQ(PercentOf(1, 8), 1250);
    EXPECT_EQ(PercentOf(-2, 3), -6667);
    EXPECT_EQ(PercentOf(5, 0), 0);
    EXPECT_EQ(PercentOf(INT64_MAX, INT64_MAX), 10000);
}

TEST(Document, NamesRoundTrip) {
    for (DocCellType t : {DocCellType::kText, DocCellType::kInteger, DocCellType::kFen, DocCellType::kPercent,
                          DocCellType::kDate})
        EXPECT_EQ(ParseDocCellType(DocCellTypeName(t)), t);
    EXPECT_FALSE(ParseDocCellType("float"));
    Document d;
    d.sections.push_back(DocSection{.id = "task"});
    EXPECT_NE(d.section("task"), nullptr);
    EXPECT_EQ(d.section("none"), nullptr);
}

}  // namespace
}  // namespace jz
