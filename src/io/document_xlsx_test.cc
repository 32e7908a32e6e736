// A Document written as .xlsx and read back with the project's own reader.
#include "io/document_xlsx.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "io/table.h"
#include "io/table_test_support.h"

namespace jz::io::table_test {
namespace {

Document Sample() {
    Document doc;
    doc.kind = "weekly";
    doc.title_zh = "察隅县脱贫攻坚周专报";
    doc.title_en = "Chayu county weekly report";
    doc.unit_code = "542626";
    doc.unit_name = "察隅县";
    doc.period = "2017-W27";
    doc.from = *Date::Parse("2017-07-03");
    doc.to = *Date::Parse("2017-07-09");
    doc.as_of = doc.to;
    doc.facts = {{"单位", "Unit", "察隅县"}, {"期间", "Period", "2017-W27"}};
    DocSection task{.id = "task", .title_zh = "年度任务", .title_en = "The year's task"};
    task.columns = {{"unit", "单位", "Unit", DocCellType::kText},
                    {"persons", "人数", "Persons", DocCellType::kInteger},
                    {"amount", "金额（元）", "Amount (yuan)", DocCellType::kFen},
                    {"share", "比例", "Share", DocCellType::kPercent},
                    {"on", "日期", "Date", DocCellType::kDate}};
    task.rows = {{{std::string("=拉木乡"), int64_t{12}, int64_t{9190}, int64_t{9150}, std::string("2017-07-05")}},
                 {{std::string("古玉乡"), std::monostate{}, int64_t{-5}, int64_t{1}, std::monostate{}}},
                 {{std::string("合计"), int64_t{12}, int64_t{9185}, int64_t{10000}, std::monostate{}}, true}};
    task.chart = DocChart{.kind = DocChart::Kind::kBar, .label_column = 0, .value_columns = {1}};
    DocSection empty{.id = "funds", .title_zh = "资金/支出[本期]", .title_en = "Funds"};
    empty.columns = {{"source", "来源", "Source", DocCellType::kText}};
    DocSection same{.id = "task2", .title_zh = "年度任务", .title_en = "Again"};
    doc.sections = {task, empty, same};
    doc.signatures = {"填报人", "审核人"};
    return doc;
}

std::vector<std::vector<Cell>> ReadSheet(const std::string& path, const std::string& sheet) {
    auto reader = OpenTable(path, sheet);
    EXPECT_TRUE(reader) << (reader ? "" : reader.error().message_en);
    std::vector<std::vector<Cell>> rows;
    if (!reader) return rows;
    std::vector<Cell> row;
    for (;;) {
        auto next = (*reader)->Next(row);
        EXPECT_TRUE(next);
        if (!next || !*next) break;
        rows.push_back(row);
    }
    return rows;
}

TEST(DocumentXlsx, SheetsPerSectionTypedCellsAndNotes) {
    TempDir dir;
    const std::string path = dir.File("report.xlsx");
    ASSERT_TRUE(WriteDocumentXlsx(Sample(), path));
    EXPECT_FALSE(fs::exists(path + ".tmp"));
    auto reader = OpenTable(path);
    ASSERT_TRUE(reader);
    EXPECT_EQ((*reader)->sheets(), (std::vector<std::string>{"年度任务", "资金_支出_本期_", "年度任务 (2)"}));

    const auto rows = ReadSheet(path, "年度任务");
    ASSERT_GE(rows.size(), 9u);
    EXPECT_EQ(rows[0][0].text, "察隅县脱贫攻坚周专报");
    EXPECT_EQ(rows[2][0].text, "年度任务");
    EXPECT_EQ(rows[3][0].text, "单位");
    EXPECT_EQ(rows[3][1].text, "察隅县");
    // The header row and the rows follow the facts.
    size_t header = 0;
    for (size_t i = 0; i < rows.size(); ++i)
        if (!rows[i].empty() && rows[i][0].text == "单位" && rows[i].size() == 5) header = i;
    ASSERT_GT(header, 0u);
    EXPECT_EQ(rows[header][2].text, "金额（元）");
    const auto& first = rows[header + 1];
    EXPECT_EQ(first[0].text, "=拉木乡");
    EXPECT_FALSE(first[0].numeric);
    EXPECT_TRUE(first[1].numeric);
    EXPECT_EQ(first[1].text, "12");
    EXPECT_EQ(first[2].text, "91.9");  // exact, not 91.90000000000001
    EXPECT_EQ(first[3].text, "0.915");
    EXPECT_TRUE(first[4].numeric);
    EXPECT_EQ(first[4].text, "42921");  // 2017-07-05 as a date serial
    const auto& second = rows[header + 2];
    EXPECT_EQ(second[1].text, "");
    EXPECT_EQ(second[2].text, "-0.05");
    EXPECT_EQ(second[3].text, "0.0001");
    EXPECT_EQ(rows[header + 3][3].text, "1");

    const auto funds = ReadSheet(path, "资金_支出_本期_");
    bool noted = false;
    for (const auto& r : funds)
        if (!r.empty() && r[0].text == "本期无数据") noted = true;
    EXPECT_TRUE(noted);
}

TEST(DocumentXlsx, DeterministicBytes) {
    TempDir dir;
    ASSERT_TRUE(WriteDocumentXlsx(Sample(), dir.File("a.xlsx")));
    ASSERT_TRUE(WriteDocumentXlsx(Sample(), dir.File("b.xlsx")));
    EXPECT_EQ(ReadBytes(dir.File("a.xlsx")), ReadBytes(dir.File("b.xlsx")));
}

TEST(DocumentXlsx, LongTitlesAreCutAndDocumentsWithoutSectionsStillOpen) {
    TempDir dir;
    Document doc;
    doc.title_zh = "空";
    DocSection s{.id = "x", .title_zh = std::string(40, 'a')};
    DocSection t{.id = "y", .title_zh = std::string(40, 'A')};
    doc.sections = {s, t};
    ASSERT_TRUE(WriteDocumentXlsx(doc, dir.File("long.xlsx")));
    auto reader = OpenTable(dir.File("long.xlsx"));
    ASSERT_TRUE(reader);
    EXPECT_EQ((*reader)->sheets(), (std::vector<std::string>{std::string(31, 'a'), std::string(27, 'A') + " (2)"}));
    ASSERT_TRUE(WriteDocumentXlsx(Document{.title_zh = "空"}, dir.File("none.xlsx")));
    EXPECT_TRUE(OpenTable(dir.File("none.xlsx")));
}

TEST(DocumentXlsx, UnwritablePathIsAnError) {
    EXPECT_FALSE(WriteDocumentXlsx(Sample(), "/nonexistent-dir/x.xlsx"));
}

}  // namespace
}  // namespace jz::io::table_test
