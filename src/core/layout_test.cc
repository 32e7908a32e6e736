#include "core/layout.h"

#include <gtest/gtest.h>

#include <set>

namespace jz {
namespace {

using Parts = std::vector<std::string_view>;

TEST(LayoutTest, ColumnsAreInEnumOrderWithUniqueHeaders) {
    ASSERT_EQ(Columns().size(), kColumnCount);
    std::set<std::string_view> zh, en;
    for (size_t i = 0; i < Columns().size(); ++i) {
        const ColumnInfo& c = Columns()[i];
        EXPECT_EQ(static_cast<size_t>(c.column), i);
        EXPECT_EQ(&InfoOf(c.column), &c);
        EXPECT_TRUE(zh.insert(c.zh).second) << c.zh;
        EXPECT_TRUE(en.insert(c.en).second) << c.en;
        EXPECT_EQ(ColumnFromHeader(c.zh), c.column);
        EXPECT_EQ(ColumnFromHeader(c.en), c.column);
    }
}

TEST(LayoutTest, ColumnFromHeader) {
    EXPECT_EQ(ColumnFromHeader("户编号"), Column::kHouseholdCode);
    EXPECT_EQ(ColumnFromHeader("household_code"), Column::kHouseholdCode);
    EXPECT_EQ(ColumnFromHeader("  证件号码 "), Column::kIdNumber);
    EXPECT_EQ(ColumnFromHeader("\xE3\x80\x80姓名\xE3\x80\x80"), Column::kName);  // ideographic spaces
    EXPECT_EQ(ColumnFromHeader("\t主导帮扶措施\r\n"), Column::kMainMeasure);
    EXPECT_EQ(ColumnFromHeader("ID_NUMBER"), Column::kIdNumber);
    EXPECT_EQ(ColumnFromHeader("Net_Income_Per_Head"), Column::kNetIncomePerHead);
    EXPECT_EQ(ColumnFromHeader(" main_measure "), Column::kMainMeasure);
    EXPECT_EQ(ColumnFromHeader("证件 号码"), std::nullopt);
    EXPECT_EQ(ColumnFromHeader("idnumber"), std::nullopt);
    EXPECT_EQ(ColumnFromHeader(""), std::nullopt);
    EXPECT_EQ(ColumnFromHeader("unknown"), std::nullopt);
}

TEST(LayoutTest, InfoOfMarksHouseholdLevelAndRequired) {
    EXPECT_TRUE(InfoOf(Column::kHouseholdCode).household_level);
    EXPECT_TRUE(InfoOf(Column::kHouseholdCode).required);
    EXPECT_FALSE(InfoOf(Column::kName).household_level);
    EXPECT_TRUE(InfoOf(Column::kName).required);
    EXPECT_FALSE(InfoOf(Column::kPhone).required);
}

TEST(LayoutTest, SplitListOnEverySeparator) {
    EXPECT_EQ(SplitList("因病、因残"), (Parts{"因病", "因残"}));
    EXPECT_EQ(SplitList("因病，因残"), (Parts{"因病", "因残"}));
    EXPECT_EQ(SplitList("因病,因残"), (Parts{"因病", "因残"}));
    EXPECT_EQ(SplitList("因病;因残；缺资金"), (Parts{"因病", "因残", "缺资金"}));
    EXPECT_EQ(SplitList("1/3/5"), (Parts{"1", "3", "5"}));
    EXPECT_EQ(SplitList("1 3  5"), (Parts{"1", "3", "5"}));
    EXPECT_EQ(SplitList("1\xE3\x80\x80"
                        "3"),
              (Parts{"1", "3"}));  // ideographic space
    EXPECT_EQ(SplitList(" 教育扶贫 、 医疗扶贫 "), (Parts{"教育扶贫", "医疗扶贫"}));
    EXPECT_EQ(SplitList("1、,，;；/ 2"), (Parts{"1", "2"}));  // empty parts dropped
}

TEST(LayoutTest, SplitListEdgeCases) {
    EXPECT_TRUE(SplitList("").empty());
    EXPECT_TRUE(SplitList("  ").empty());
    EXPECT_TRUE(SplitList("、，").empty());
    EXPECT_EQ(SplitList("因病"), (Parts{"因病"}));
    EXPECT_EQ(SplitList("、因病、"), (Parts{"因病"}));
}

TEST(LayoutTest, TrimCell) {
    EXPECT_EQ(TrimCell("  a b  "), "a b");
    EXPECT_EQ(TrimCell("\xE3\x80\x80户主\xE3\x80\x80 "), "户主");
    EXPECT_EQ(TrimCell("\t\r\n"), "");
    EXPECT_EQ(TrimCell(""), "");
}

}  // namespace
}  // namespace jz
