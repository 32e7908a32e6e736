// Reading .xlsx: workbooks made by hand and by libxlsxwriter, and the ways a package fails.
#include <gtest/gtest.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <string>
#include <vector>

#include "io/table.h"
#include "io/table_internal.h"
#include "io/table_test_support.h"

namespace jz::io::table_test {
namespace {

// A workbook as another program might write it: an absolute and a relative sheet target, a
// non-"r" prefix for the relationships namespace, prefixed SpreadsheetML elements, rich and
// phonetic shared strings, inline strings, skipped rows and cells without references.
std::vector<std::pair<std::string, std::string>> HandMadeWorkbook() {
    const std::string ns = R"(xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main")";
    const std::string rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    const std::string pkg_rel_ns = R"(xmlns="http://schemas.openxmlformats.org/package/2006/relationships")";
    return {
        {"[Content_Types].xml",
         std::string(kXmlHead) +
             R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
             R"(<Default Extension="xml" ContentType="application/xml"/></Types>)"},
        {"_rels/.rels", std::string(kXmlHead) + "<Relationships " + pkg_rel_ns + ">" +
                            R"(<Relationship Id="rId1" Type=")" + rel_ns +
                            R"(/officeDocument" Target="xl/workbook.xml"/></Relationships>)"},
        {"xl/workbook.xml", std::string(kXmlHead) + "<workbook " + ns + " xmlns:rel=\"" + rel_ns +
                                "\"><sheets>"
                                R"(<sheet name="Summary" sheetId="1" rel:id="rId1"/>)"
                                R"(<sheet name="登记表" sheetId="2" rel:id="rId2"/>)"
                                "</sheets></workbook>"},
        {"xl/_rels/workbook.xml.rels",
         std::string(kXmlHead) + "<Relationships " + pkg_rel_ns + ">" + R"(<Relationship Id="rId1" Type=")" +
             rel_ns + R"(/worksheet" Target="worksheets/sheet1.xml"/>)" +
             R"(<Relationship Id="rId2" Type=")" + rel_ns +
             R"(/worksheet" Target="/xl/worksheets/sheet2.xml"/>)" + R"(<Relationship Id="rId3" Type=")" +
             rel_ns + R"(/sharedStrings" Target="sharedStrings.xml"/>)" + "</Relationships>"},
        {"xl/sharedStrings.xml",
         std::string(kXmlHead) + "<sst " + ns +
             R"( count="6" uniqueCount="6">)"
             "<si><t>户编号</t></si>"
             R"(<si><r><rPr><b/></rPr><t>扎西</t></r><r><t xml:space="preserve"> 多吉</t></r></si>)"
             R"(<si><t>卓玛</t><rPh sb="0" eb="2"><t>zhuoma</t></rPh><phoneticPr fontId="1"/></si>)"
             "<si><t>line_x000D_\nbreak</t></si>"
             "<si><t>_x005F_x0041_</t></si>"
             R"(<si><t xml:space="preserve">  spaced  </t></si>)"
             "</sst>"},
        {"xl/worksheets/sheet1.xml",
         std::string(kXmlHead) + "<worksheet " + ns +
             R"(><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>summary</t></is></c>)"
             "</row></sheetData></worksheet>"},
        {"xl/worksheets/sheet2.xml",
         std::string(kXmlHead) +
             R"(<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
             R"(<x:dimension ref="A1:F7"/><x:sheetData>)"
             R"(<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c>)"
             R"(<x:c r="C1" t="inlineStr"><x:is><x:t>证件号码</x:t></x:is></x:c></x:row>)"
             R"(<x:row r="2"><x:c r="A2" t="s"><x:v>2</x:v></x:c>)"
             R"(<x:c r="C2" t="inlineStr"><x:is><x:r><x:t>5404251990</x:t></x:r><x:r><x:t>01011234</x:t></x:r>)"
             R"(<x:rPh sb="0" eb="1"><x:t>ignored</x:t></x:rPh></x:is></x:c>)"
             R"(<x:c r="E2" t="b"><x:v>1</x:v></x:c></x:row>)"
             R"(<x:row r="5"><x:c t="inlineStr"><x:is><x:t>x</x:t></x:is></x:c><x:c><x:v>42</x:v></x:c>)"
             R"(<x:c t="e"><x:v>#N/A</x:v></x:c><x:c t="b"><x:v>0</x:v></x:c></x:row>)"
             R"(<x:row r="6"><x:c r="B6" t="str"><x:f>A1</x:f><x:v>公式</x:v></x:c>)"
             R"(<x:c r="D6" t="s"><x:v>3</x:v></x:c><x:c r="F6" s="1"/></x:row>)"
             R"(<x:row r="7"><x:c r="A7" t="s"><x:v>4</x:v></x:c><x:c r="B7" t="s"><x:v>5</x:v></x:c>)"
             R"(<x:c r="C7" s="2"><x:v>5.40425199001011E+17</x:v></x:c>)"
             R"(<x:c r="D7" t="inlineStr"><x:is><x:t xml:space="preserve"> a_x0009_b </x:t></x:is></x:c></x:row>)"
             R"(</x:sheetData></x:worksheet>)"},
    };
}

TEST(XlsxRead, OdsIsNamedAsSuch) {
    TempDir dir;
    const std::string path = dir.File("sheet.xlsx");
    WriteZip(path, {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"}, {"content.xml", "<x/>"}});
    auto reader = OpenTable(path);
    ASSERT_FALSE(reader);
    EXPECT_EQ(reader.error().code, "xlsx.format");
    EXPECT_NE(reader.error().message_en.find(".ods"), std::string::npos) << reader.error().message_en;
}

TEST(XlsxRead, DateSystemAndSheetNames) {
    for (bool date1904 : {false, true}) {
        auto parts = HandMadeWorkbook();
        for (auto& [name, content] : parts)
            if (name == "xl/workbook.xml" && date1904)
                content.insert(content.find("<sheets>"), "<workbookPr date1904=\"1\"/>");
        TempDir dir;
        const std::string path = dir.File("hand.xlsx");
        WriteZip(path, parts);
        auto reader = OpenTable(path, "登记表");
        ASSERT_TRUE(reader) << reader.error().ToString();
        EXPECT_EQ((*reader)->date1904(), date1904);
        EXPECT_EQ((*reader)->sheet(), "登记表");
        EXPECT_EQ((*reader)->sheets(), (std::vector<std::string>{"Summary", "登记表"}));
    }
}

TEST(XlsxRead, HandMadeWorkbookFirstSheetByDefault) {
    TempDir dir;
    const std::string path = dir.File("hand.xlsx");
    WriteZip(path, HandMadeWorkbook());
    auto read = ReadTable(path);
    ASSERT_TRUE(read) << read.error().ToString();
    EXPECT_EQ(read->encoding, "xlsx");
    EXPECT_EQ(read->rows, (Rows{{"summary"}}));
}

TEST(XlsxRead, HandMadeWorkbookSheetByName) {
    TempDir dir;
    // Not named .xlsx: the kind is told by content.
    const std::string path = dir.File("hand.dat");
    WriteZip(path, HandMadeWorkbook());
    auto read = ReadTable(path, "登记表");
    ASSERT_TRUE(read) << read.error().ToString();
    const Rows expected = {
        {"户编号", "扎西 多吉", "证件号码"},
        {"卓玛", "", "540425199001011234", "", "TRUE"},
        {"x", "42", "#N/A", "FALSE"},
        {"", "公式", "", "line\r\nbreak"},
        {"_x0041_", "  spaced  ", "5.40425199001011E+17", " a\tb "},
    };
    EXPECT_EQ(read->rows, expected);
    // Rows 3 and 4 are not in the sheet: skipped, the numbers stay the sheet's.
    EXPECT_EQ(read->numbers, (std::vector<int64_t>{1, 2, 5, 6, 7}));
    EXPECT_EQ(read->numeric[2], (std::vector<bool>{false, true, false, false}));
    EXPECT_EQ(read->numeric[4], (std::vector<bool>{false, false, true, false}));
    EXPECT_FALSE(read->numeric[1][2]);

    // Sheet names match case-insensitively, as in Excel.
    auto summary = ReadTable(path, "SUMMARY");
    ASSERT_TRUE(summary) << summary.error().ToString();
    EXPECT_EQ(summary->rows, (Rows{{"summary"}}));
}

TEST(XlsxRead, LibxlsxwriterWorkbookWithSharedStringsAndNumbers) {
    TempDir dir;
    const std::string path = dir.File("lxw.xlsx");
    {
        lxw_workbook* workbook = workbook_new(path.c_str());  // not constant_memory: shared strings
        lxw_worksheet* cover = workbook_add_worksheet(workbook, "封面");
        worksheet_write_string(cover, 0, 0, "说明", nullptr);
        lxw_worksheet* data = workbook_add_worksheet(workbook, "数据");
        worksheet_write_string(data, 0, 0, "姓名", nullptr);
        worksheet_write_string(data, 0, 1, "证件号码", nullptr);
        worksheet_write_string(data, 1, 0, "卓玛", nullptr);
        worksheet_write_number(data, 1, 1, 540425199001011234.0, nullptr);  // the classic mistake
        worksheet_write_string(data, 3, 0, "次仁", nullptr);
        worksheet_write_string(data, 3, 1, "540425199202021235", nullptr);
        worksheet_write_boolean(data, 3, 2, 1, nullptr);
        worksheet_write_number(data, 3, 3, 3520.5, nullptr);
        ASSERT_EQ(workbook_close(workbook), LXW_NO_ERROR);
    }
    auto cover = ReadTable(path);
    ASSERT_TRUE(cover) << cover.error().ToString();
    EXPECT_EQ(cover->rows, (Rows{{"说明"}}));

    auto read = ReadTable(path, "数据");
    ASSERT_TRUE(read) << read.error().ToString();
    // The number cell holds what libxlsxwriter printed (%.16G); the digits are already lost.
    EXPECT_EQ(read->rows, (Rows{{"姓名", "证件号码"},
                                {"卓玛", "5.404251990010113E+17"},
                                {"次仁", "540425199202021235", "TRUE", "3520.5"}}));
    EXPECT_EQ(read->numbers, (std::vector<int64_t>{1, 2, 4}));
    EXPECT_EQ(read->numeric[1], (std::vector<bool>{false, true}));
    EXPECT_EQ(read->numeric[2], (std::vector<bool>{false, false, false, true}));
}

struct XlsxErrorCase {
    std::string name;
    std::vector<std::pair<std::string, std::string>> entries;  // empty: raw bytes instead
    std::string raw;
    std::string sheet;
    std::string code;
    std::string row;  // when the error comes from Next(): the row in the field
};

std::ostream& operator<<(std::ostream& out, const XlsxErrorCase& c) { return out << c.name; }

std::vector<std::pair<std::string, std::string>> WithEntry(std::string name, std::string content) {
    auto entries = HandMadeWorkbook();
    for (auto& entry : entries) {
        if (entry.first == name) entry.second = std::move(content);
    }
    return entries;
}

std::string Sheet2(const std::string& rows) {
    return std::string(kXmlHead) +
           R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)" +
           rows;
}

class XlsxErrorTest : public ::testing::TestWithParam<XlsxErrorCase> {};

TEST_P(XlsxErrorTest, Fails) {
    const XlsxErrorCase& c = GetParam();
    TempDir dir;
    const std::string path = dir.File("bad.xlsx");
    if (c.entries.empty()) {
        WriteBytes(path, c.raw);
    } else {
        WriteZip(path, c.entries);
    }
    auto read = ReadTable(path, c.sheet);
    ASSERT_FALSE(read);
    EXPECT_EQ(read.error().code, c.code);
    EXPECT_EQ(read.error().field, c.row.empty() ? path : path + ":" + c.row);
    EXPECT_FALSE(read.error().message_zh.empty());
    EXPECT_FALSE(read.error().message_en.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Xlsx, XlsxErrorTest,
    ::testing::Values(
        XlsxErrorCase{"unknown_sheet", HandMadeWorkbook(), "", "Sheet9", "xlsx.sheet", ""},
        XlsxErrorCase{
            "corrupt_zip", {}, std::string("PK\3\4") + std::string(200, '\x17'), "", "xlsx.format", ""},
        XlsxErrorCase{"zip_without_workbook", {{"hello.txt", "hello"}}, "", "", "xlsx.format", ""},
        XlsxErrorCase{"broken_workbook_xml", WithEntry("xl/workbook.xml", "<workbook><sheets>"), "", "",
                      "xlsx.format", ""},
        XlsxErrorCase{"sheet_part_missing", WithEntry("xl/_rels/workbook.xml.rels", "<Relationships/>"), "",
                      "", "xlsx.format", ""},
        XlsxErrorCase{
            "truncated_sheet_xml",
            WithEntry("xl/worksheets/sheet2.xml",
                      Sheet2(R"(<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2)")),
            "", "登记表", "xlsx.format", "2"},
        XlsxErrorCase{
            "shared_string_out_of_range",
            WithEntry("xl/worksheets/sheet2.xml",
                      Sheet2(R"(<row r="3"><c r="A3" t="s"><v>99</v></c></row></sheetData></worksheet>)")),
            "", "登记表", "xlsx.format", "3"},
        XlsxErrorCase{
            "column_beyond_xfd",
            WithEntry("xl/worksheets/sheet2.xml",
                      Sheet2(R"(<row r="1"><c r="XFE1"><v>1</v></c></row></sheetData></worksheet>)")),
            "", "登记表", "xlsx.format", "1"},
        XlsxErrorCase{
            "doctype_refused",
            WithEntry("xl/worksheets/sheet2.xml",
                      std::string(kXmlHead) + R"(<!DOCTYPE worksheet [<!ENTITY a "aaaa">]><worksheet/>)"),
            "", "登记表", "xlsx.format", "1"}),
    [](const ::testing::TestParamInfo<XlsxErrorCase>& info) { return info.param.name; });

}  // namespace
}  // namespace jz::io::table_test
