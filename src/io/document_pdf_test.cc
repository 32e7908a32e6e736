#include "io/document_pdf.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "io/pdf.h"

namespace jz::io {
namespace {

std::string Shell(const std::string& cmd) {
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
    return out;
}

std::string NoSpaces(std::string s) {
    std::erase(s, ' ');
    return s;
}

std::string WriteTemp(const std::string& bytes, const std::string& name) {
    std::string path = ::testing::TempDir() + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
}

Document Sample(int rows) {
    Document d;
    d.kind = "annual";
    d.title_zh = "拉木乡脱贫攻坚年度总结";
    d.facts = {{"单位", "unit", "拉木乡"}, {"截至日期", "as of", "2017-12-31"}};
    DocSection s;
    s.id = "villages";
    s.title_zh = "各村脱贫情况";
    s.columns = {{"village", "村", "village", DocCellType::kText},
                 {"households", "贫困户数", "households", DocCellType::kInteger},
                 {"funds", "到户资金", "funds", DocCellType::kFen},
                 {"rate", "脱贫率", "rate", DocCellType::kPercent}};
    for (int i = 0; i < rows; ++i)
        s.rows.push_back({{std::string("第") + std::to_string(i + 1) + "村", int64_t{10 + i}, int64_t{123450 + i},
                           int64_t{9150}},
                          false});
    s.rows.push_back({{std::string("合计"), int64_t{999}, int64_t{1}, int64_t{10000}}, true});
    s.chart = DocChart{DocChart::Kind::kBar, 0, {1}};
    d.sections.push_back(s);
    DocSection empty;
    empty.id = "none";
    empty.title_zh = "资金台账";
    empty.note_zh = "资金台账本期无记录";
    d.sections.push_back(empty);
    d.signatures = {"填报人", "审核人"};
    return d;
}

TEST(DocumentPdf, RendersTitleTableTotalsAndFooterInChinese) {
    auto pdf = RenderDocumentPdf(Sample(5));
    ASSERT_TRUE(pdf.has_value()) << pdf.error().ToString();
    ASSERT_EQ(pdf->substr(0, 5), "%PDF-");
    std::string path = WriteTemp(*pdf, "doc.pdf");
    std::string text = Shell("pdftotext -layout " + path + " -");
    EXPECT_NE(text.find("拉木乡脱贫攻坚年度总结"), std::string::npos) << text;
    EXPECT_NE(text.find("各村脱贫情况"), std::string::npos);
    EXPECT_NE(text.find("1234.50"), std::string::npos);
    EXPECT_NE(text.find("91.50%"), std::string::npos);
    EXPECT_NE(text.find("资金台账本期无记录"), std::string::npos);
    EXPECT_NE(text.find("填报人"), std::string::npos);
    EXPECT_NE(NoSpaces(text).find("第1页/共1页"), std::string::npos) << text;
    std::string info = Shell("pdfinfo " + path);
    EXPECT_NE(info.find("拉木乡脱贫攻坚年度总结"), std::string::npos) << info;
    // Noto Sans CJK SC is what fontconfig gives, and every font is embedded CID-keyed CFF (no
    // Type 3, none left out).
    EXPECT_EQ(ResolvedFontFamily(), "Noto Sans CJK SC");
    std::string fonts = Shell("pdffonts " + path);
    EXPECT_NE(fonts.find("CID Type 0C"), std::string::npos) << fonts;
    EXPECT_EQ(fonts.find("Type 3"), std::string::npos) << fonts;
    EXPECT_EQ(fonts.find(" no "), std::string::npos) << fonts;
}

TEST(DocumentPdf, LongTablesFlowOntoPagesWithTheHeaderRepeated) {
    auto pdf = RenderDocumentPdf(Sample(120), {.landscape = true});
    ASSERT_TRUE(pdf.has_value());
    std::string path = WriteTemp(*pdf, "long.pdf");
    std::string info = Shell("pdfinfo " + path);
    EXPECT_EQ(info.find("Pages:          1\n"), std::string::npos) << info;
    EXPECT_NE(info.find("841.89 x 595.28"), std::string::npos) << info;
    // the header on page 2 too
    std::string p2 = Shell("pdftotext -f 2 -l 2 -layout " + path + " -");
    EXPECT_NE(p2.find("贫困户数"), std::string::npos) << p2;
    EXPECT_NE(NoSpaces(p2).find("第2页/共"), std::string::npos) << p2;
}

TEST(Pdf, RefusesMoreThanItsPages) {
    PdfDocument pdf(false, PdfLimits{.max_pages = 2});
    for (int i = 0; i < 5; ++i) {
        pdf.Paragraph("一页");
        pdf.NewPage();
    }
    auto out = pdf.Finish();
    ASSERT_FALSE(out.has_value());
    EXPECT_EQ(out.error().code, "pdf.too_many_pages");
}

// cairo 1.16's own CFF subsetting printed 如 blank in a small subset (the reason for pdf.cc's
// FaceCache): every glyph must draw. mutool, when installed, says "cannot render glyph" otherwise.
TEST(Pdf, EveryGlyphOfASmallSubsetDraws) {
    PdfDocument pdf;
    pdf.Paragraph("看看效果如何 如 她 好 妈");
    auto out = pdf.Finish();
    ASSERT_TRUE(out.has_value());
    const std::string path = WriteTemp(*out, "glyphs.pdf");
    if (Shell("command -v mutool").empty()) GTEST_SKIP() << "mutool not installed";
    const std::string warnings = Shell("mutool draw -o /dev/null -F png " + path + " 2>&1");
    EXPECT_EQ(warnings.find("cannot render glyph"), std::string::npos) << warnings;
}

TEST(Pdf, InvalidUtf8IsPrintedNotDropped) {
    PdfDocument pdf;
    pdf.Paragraph(std::string("坏字节 \xff\xfe 之后仍然打印"));
    pdf.Paragraph("下一段");
    auto out = pdf.Finish();
    ASSERT_TRUE(out.has_value());
    const std::string text = Shell("pdftotext " + WriteTemp(*out, "invalid.pdf") + " -");
    EXPECT_NE(text.find("之后仍然打印"), std::string::npos) << text;
    EXPECT_NE(text.find("下一段"), std::string::npos) << text;
}

TEST(Pdf, CutsLongCellsOnACharacterBoundary) {
    std::string s = "脱贫攻坚";  // 12 bytes
    EXPECT_EQ(CutUtf8(s, 7), "脱贫…");
    EXPECT_EQ(CutUtf8(s, 12), s);
}

TEST(Pdf, DrawsAQrCode) {
    PdfDocument pdf;
    EXPECT_TRUE(pdf.Qr("http://localhost:8080/households/532524101201000001", 100, 100, 80));
    auto out = pdf.Finish();
    ASSERT_TRUE(out.has_value());
    std::string path = WriteTemp(*out, "qr.pdf");
    std::string base = ::testing::TempDir() + "qr";
    Shell("pdftoppm -r 50 -gray -png -f 1 -l 1 " + path + " " + base);
    std::string listing = Shell("ls " + ::testing::TempDir() + " | grep '^qr-.*png'");
    EXPECT_FALSE(listing.empty());
}

}  // namespace
}  // namespace jz::io
