#include "core/org_unit.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace jz {
namespace {

using Rows = std::vector<std::vector<std::string>>;

// The division table has no quoted cells, so splitting on ',' and '\n' is enough here.
Rows ReadRows(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    Rows rows;
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::vector<std::string> cells;
        std::stringstream ss(line);
        std::string cell;
        while (std::getline(ss, cell, ',')) cells.push_back(cell);
        if (!line.empty() && line.back() == ',') cells.emplace_back();  // getline drops a trailing empty cell
        rows.push_back(std::move(cells));
    }
    return rows;
}

const Rows& ChayuRows() {
    static const Rows rows = ReadRows(std::string(JZ_SOURCE_DIR) + "/data/chayu-540425-divisions.csv");
    return rows;
}

const Rows kHeader = {{"code", "parent", "level", "name_2020", "name_2021"}};

Rows With(std::initializer_list<std::vector<std::string>> body) {
    Rows rows = kHeader;
    rows.push_back({"540425100", "540425", "township", "竹瓦根镇", "竹瓦根镇"});
    rows.insert(rows.end(), body);
    return rows;
}

TEST(OrgTreeTest, LoadsTheChayuTable) {
    ASSERT_EQ(ChayuRows().size(), 110u);
    auto tree = OrgTree::FromRows(ChayuRows(), "540425", "察隅县");
    ASSERT_TRUE(tree.has_value()) << tree.error().ToString();
    EXPECT_EQ(tree->root_code(), "540425");
    const OrgUnit* county = tree->Find("540425");
    ASSERT_NE(county, nullptr);
    EXPECT_EQ(county->level, OrgLevel::kCounty);
    EXPECT_EQ(county->name(), "察隅县");

    const auto townships = tree->AtLevel(OrgLevel::kTownship);
    ASSERT_EQ(townships.size(), 6u);
    EXPECT_EQ(townships[0]->code, "540425100");
    EXPECT_EQ(townships[0]->name(), "竹瓦根镇");
    EXPECT_EQ(tree->Children("540425").size(), 6u);
    EXPECT_EQ(tree->AtLevel(OrgLevel::kVillage).size(), 103u);

    size_t villages = 0;
    for (const OrgUnit* t : townships) {
        for (const OrgUnit* v : tree->Children(t->code)) {
            EXPECT_EQ(v->level, OrgLevel::kVillage);
            EXPECT_TRUE(OrgTree::Within(v->code, t->code));
            EXPECT_TRUE(OrgTree::Within(v->code, "540425"));
            ++villages;
        }
    }
    EXPECT_EQ(villages, 103u);
    EXPECT_EQ(tree->Find("540425999999"), nullptr);
}

TEST(OrgTreeTest, CodesCarryTheYearsTheyAreValid) {
    auto tree = OrgTree::FromRows(ChayuRows(), "540425", "察隅县");
    ASSERT_TRUE(tree.has_value());
    const OrgUnit* zhaga = tree->Find("540425100200");
    ASSERT_NE(zhaga, nullptr);
    EXPECT_TRUE(zhaga->ValidIn(2021));
    EXPECT_FALSE(zhaga->ValidIn(2020));
    EXPECT_FALSE(zhaga->ValidIn(2016));  // before the table: the first year's state
    EXPECT_TRUE(zhaga->ValidIn(2025));   // after the table: the last year's state
    EXPECT_EQ(zhaga->name(), "扎嘎村");

    const OrgUnit* jigong = tree->Find("540425100001");
    ASSERT_NE(jigong, nullptr);
    EXPECT_TRUE(jigong->ValidIn(2020));
    EXPECT_TRUE(jigong->ValidIn(2021));
}

TEST(OrgTreeTest, LevelNames) {
    EXPECT_EQ(OrgLevelName(OrgLevel::kTownship), "township");
    EXPECT_EQ(ParseOrgLevel("village"), OrgLevel::kVillage);
    EXPECT_EQ(ParseOrgLevel("Village"), std::nullopt);
    for (OrgLevel l : {OrgLevel::kProvince, OrgLevel::kCity, OrgLevel::kCounty, OrgLevel::kTownship,
                       OrgLevel::kVillage, OrgLevel::kGroup})
        EXPECT_EQ(ParseOrgLevel(OrgLevelName(l)), l);
}

TEST(OrgTreeTest, ValidInWithoutNamesIsAlwaysTrue) { EXPECT_TRUE(OrgUnit{}.ValidIn(2016)); }

struct BadCase {
    const char* label;
    Rows rows;
    const char* code;
    const char* field;
};

TEST(OrgTreeTest, RefusesMalformedTables) {
    const BadCase kCases[] = {
        {"bad level", With({{"540425100201", "540425100", "hamlet", "村", "村"}}), "divisions.level",
         "divisions:3"},
        {"county level row", With({{"540426", "540425", "county", "县", "县"}}), "divisions.level",
         "divisions:3"},
        {"code not under parent", With({{"540425101201", "540425100", "village", "村", "村"}}),
         "divisions.parent", "divisions:3"},
        {"village under the county", With({{"540425100201", "540425", "village", "村", "村"}}),
         "divisions.parent", "divisions:3"},
        {"duplicate",
         With({{"540425100201", "540425100", "village", "村", "村"},
               {"540425100201", "540425100", "village", "村", "村"}}),
         "divisions.duplicate", "divisions:4"},
        {"unknown parent", With({{"540425101201", "540425101", "village", "村", "村"}}), "divisions.parent",
         "divisions:3"},
        {"village code too short", With({{"54042510020", "540425100", "village", "村", "村"}}),
         "divisions.code", "divisions:3"},
        {"letters in code", With({{"5404251002A1", "540425100", "village", "村", "村"}}), "divisions.code",
         "divisions:3"},
        {"no name in any year", With({{"540425100201", "540425100", "village", "", ""}}), "divisions.name",
         "divisions:3"},
        {"header without level", Rows{{"code", "parent", "name_2020"}}, "divisions.header", "divisions:1"},
        {"header with a bad year", Rows{{"code", "parent", "level", "name_20x0"}}, "divisions.header",
         "divisions:1"},
        {"empty", Rows{}, "divisions.empty", "divisions"},
    };
    for (const BadCase& c : kCases) {
        SCOPED_TRACE(c.label);
        auto tree = OrgTree::FromRows(c.rows, "540425", "察隅县");
        ASSERT_FALSE(tree.has_value());
        EXPECT_EQ(tree.error().code, c.code) << tree.error().ToString();
        EXPECT_EQ(tree.error().field, c.field);
        EXPECT_FALSE(tree.error().message_zh.empty());
        EXPECT_FALSE(tree.error().message_en.empty());
    }
    auto bad_county = OrgTree::FromRows(kHeader, "54042", "察隅县");
    ASSERT_FALSE(bad_county.has_value());
    EXPECT_EQ(bad_county.error().code, "divisions.county");
}

TEST(OrgTreeTest, BlankLinesAndSpacesAreTolerated) {
    Rows rows = With({{""}, {" 540425100201 ", "540425100", "village", "知美村委会", "知美村委会\r"}});
    auto tree = OrgTree::FromRows(rows, "540425", "察隅县");
    ASSERT_TRUE(tree.has_value()) << tree.error().ToString();
    ASSERT_NE(tree->Find("540425100201"), nullptr);
    EXPECT_EQ(tree->Find("540425100201")->name(), "知美村委会");
}

}  // namespace
}  // namespace jz
