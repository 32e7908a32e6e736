#include "service/document_json.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

namespace jz::service {
namespace {

Document Sample() {
    Document doc;
    doc.kind = "monthly";
    doc.title_zh = "察隅县脱贫攻坚月报告";
    doc.title_en = "Chayu monthly report";
    doc.unit_code = "542626";
    doc.unit_name = "察隅县";
    doc.period = "2017-07";
    doc.from = *Date::Parse("2017-07-01");
    doc.to = *Date::Parse("2017-07-31");
    doc.as_of = doc.to;
    doc.facts = {{"单位", "Unit", "察隅县"}};
    DocSection s{.id = "task", .title_zh = "年度任务", .title_en = "Task", .note_zh = "说明", .note_en = "note"};
    s.columns = {{"unit", "单位", "Unit", DocCellType::kText},
                 {"n", "人数", "Persons", DocCellType::kInteger},
                 {"amount", "金额", "Amount", DocCellType::kFen},
                 {"share", "比例", "Share", DocCellType::kPercent},
                 {"on", "日期", "Date", DocCellType::kDate}};
    s.rows = {{{std::string("拉木乡"), int64_t{3}, int64_t{123450}, int64_t{9150}, std::string("2017-07-05")}},
              {{std::string("合计"), std::monostate{}, int64_t{-5}, int64_t{0}, std::monostate{}}, true}};
    s.chart = DocChart{.kind = DocChart::Kind::kLine, .label_column = 0, .value_columns = {1, 2}};
    doc.sections = {s, DocSection{.id = "empty", .title_zh = "空"}};
    doc.signatures = {"填报人", "审核人"};
    return doc;
}

TEST(DocumentJson, ShapeAndCells) {
    const auto o = DocumentJson(Sample());
    EXPECT_EQ(o.at("unit").at("code").as_string(), "542626");
    EXPECT_EQ(o.at("from").as_string(), "2017-07-01");
    const auto& section = o.at("sections").as_array()[0].as_object();
    const auto& cells = section.at("rows").as_array()[0].at("cells").as_array();
    EXPECT_EQ(cells[0].as_string(), "拉木乡");
    EXPECT_EQ(cells[1].as_int64(), 3);
    EXPECT_EQ(cells[2].as_string(), "1234.50");
    EXPECT_EQ(cells[3].as_string(), "91.50");
    EXPECT_EQ(cells[4].as_string(), "2017-07-05");
    EXPECT_TRUE(section.at("rows").as_array()[1].at("cells").as_array()[1].is_null());
    EXPECT_EQ(section.at("chart").at("kind").as_string(), "line");
    EXPECT_FALSE(o.at("sections").as_array()[1].as_object().contains("chart"));
}

TEST(DocumentJson, RoundTrips) {
    const Document d = Sample();
    auto back = DocumentFromJson(DocumentJsonText(d));
    ASSERT_TRUE(back) << back.error().message_en;
    EXPECT_EQ(*back, d);
}

TEST(DocumentJson, StrictNamingTheField) {
    auto o = DocumentJson(Sample());
    auto bad = [&](auto change, const std::string& field) {
        boost::json::object copy = o;
        change(copy);
        auto r = DocumentFromJsonValue(boost::json::value(copy));
        ASSERT_FALSE(r) << field;
        EXPECT_EQ(r.error().code, "json.invalid");
        EXPECT_EQ(r.error().field, field);
    };
    bad([](auto& c) { c.erase("kind"); }, "kind");
    bad([](auto& c) { c["extra"] = 1; }, "extra");
    bad([](auto& c) { c["from"] = "2017-13-01"; }, "from");
    auto cell = [](boost::json::object& c) -> boost::json::array& {
        return c["sections"].as_array()[0].as_object()["rows"].as_array()[0].as_object()["cells"].as_array();
    };
    bad([&](auto& c) { cell(c)[1] = "3"; }, "sections[0].rows[0].cells[1]");
    bad([&](auto& c) { cell(c)[2] = "1234.5"; }, "sections[0].rows[0].cells[2]");
    bad([&](auto& c) { cell(c)[2] = 1234; }, "sections[0].rows[0].cells[2]");
    bad([&](auto& c) { cell(c)[3] = "91.50%"; }, "sections[0].rows[0].cells[3]");
    bad([&](auto& c) { cell(c)[4] = "2017-02-30"; }, "sections[0].rows[0].cells[4]");
    bad([&](auto& c) { cell(c).pop_back(); }, "sections[0].rows[0].cells");
    bad([](auto& c) { c["sections"].as_array()[0].as_object()["columns"].as_array()[0].as_object()["type"] = "float"; },
        "sections[0].columns[0].type");
    bad([](auto& c) { c["sections"].as_array()[0].as_object()["chart"].as_object()["value_columns"] = boost::json::array{7}; },
        "sections[0].chart.value_columns[0]");
    EXPECT_FALSE(DocumentFromJson(std::string_view("not json")));
    EXPECT_FALSE(DocumentFromJson(std::string_view("[]")));
}

// Valid UTF-8 (JSON text is UTF-8): pieces of ASCII, escapes and CJK.
rc::Gen<std::string> Text() {
    return rc::gen::map(rc::gen::container<std::vector<std::string>>(
                            rc::gen::element<std::string>("a", "Z", "0", " ", "\"", "\\", "\n", "\t", "拉木乡", "合计", "%")),
                        [](const std::vector<std::string>& parts) {
                            std::string s;
                            for (const auto& p : parts) s += p;
                            return s;
                        });
}

rc::Gen<Document> ArbitraryDocument() {
    return rc::gen::exec([] {
        Document d;
        d.kind = *rc::gen::element<std::string>("weekly", "monthly", "annual");
        d.title_zh = "报告" + *Text();
        d.title_en = *Text();
        d.unit_code = *Text();
        d.unit_name = *Text();
        d.period = *Text();
        d.from = Date::FromDaysSinceEpoch(*rc::gen::inRange(0L, 30000L));
        d.to = Date::FromDaysSinceEpoch(*rc::gen::inRange(0L, 30000L));
        d.as_of = *rc::gen::element(Date{}, d.to);
        const int nfacts = *rc::gen::inRange(0, 3);
        for (int i = 0; i < nfacts; ++i)
            d.facts.push_back({*Text(), *Text(),
                               *Text()});
        const int nsections = *rc::gen::inRange(0, 4);
        for (int i = 0; i < nsections; ++i) {
            DocSection s;
            s.id = *Text();
            s.title_zh = *Text();
            s.note_en = *Text();
            const int ncols = *rc::gen::inRange(0, 6);
            for (int c = 0; c < ncols; ++c)
                s.columns.push_back(DocColumn{.id = *Text(),
                                              .title_zh = *Text(),
                                              .type = static_cast<DocCellType>(*rc::gen::inRange(0, 5))});
            const int nrows = *rc::gen::inRange(0, 5);
            for (int k = 0; k < nrows; ++k) {
                DocRow row;
                row.total = *rc::gen::arbitrary<bool>();
                for (const DocColumn& c : s.columns) {
                    if (*rc::gen::inRange(0, 5) == 0) {
                        row.cells.emplace_back(std::monostate{});
                        continue;
                    }
                    switch (c.type) {
                        case DocCellType::kText:
                            row.cells.emplace_back(*Text());
                            break;
                        case DocCellType::kDate:
                            row.cells.emplace_back(
                                Date::FromDaysSinceEpoch(*rc::gen::inRange(-20000L, 40000L)).ToString());
                            break;
                        default:
                            row.cells.emplace_back(*rc::gen::arbitrary<int64_t>());
                    }
                }
                s.rows.push_back(std::move(row));
            }
            if (ncols > 0 && *rc::gen::arbitrary<bool>()) {
                DocChart chart;
                chart.kind = *rc::gen::element(DocChart::Kind::kBar, DocChart::Kind::kLine);
                chart.label_column = *rc::gen::inRange(0, ncols);
                chart.value_columns = *rc::gen::container<std::vector<int>>(rc::gen::inRange(0, ncols));
                s.chart = chart;
            }
            d.sections.push_back(std::move(s));
        }
        d.signatures = *rc::gen::container<std::vector<std::string>>(Text());
        return d;
    });
}

RC_GTEST_PROP(DocumentJson, AnyDocumentRoundTrips, ()) {
    const Document d = *ArbitraryDocument();
    auto back = DocumentFromJson(DocumentJsonText(d));
    RC_ASSERT(back.has_value());
    RC_ASSERT(*back == d);
}

}  // namespace
}  // namespace jz::service
