#include "io/document_pdf.h"

#include "io/pdf.h"

namespace jz::io {

namespace {

bool IsNumber(DocCellType t) {
    return t == DocCellType::kInteger || t == DocCellType::kFen || t == DocCellType::kPercent;
}

// A chart's value as a number for drawing: yuan for fen, percent for hundredths.
double ChartValue(const DocValue& v, DocCellType t) {
    const auto* n = std::get_if<int64_t>(&v);
    if (!n) return 0;
    if (t == DocCellType::kFen || t == DocCellType::kPercent) return static_cast<double>(*n) / 100.0;
    return static_cast<double>(*n);
}

}  // namespace

Result<std::string> RenderDocumentPdf(const Document& doc, const PdfLayout& layout) {
    PdfDocument pdf(layout.landscape);
    pdf.SetTitle(doc.title_zh);
    pdf.Title(doc.title_zh);
    std::vector<std::pair<std::string, std::string>> facts;
    for (const auto& f : doc.facts) facts.emplace_back(f.label_zh, f.value);
    pdf.Facts(facts, layout.landscape ? 3 : 2);
    for (const auto& s : doc.sections) {
        pdf.Heading(s.title_zh);
        if (!s.note_zh.empty()) pdf.Paragraph(s.note_zh, 9);
        if (!s.columns.empty()) {
            std::vector<PdfColumn> cols;
            for (const auto& c : s.columns)
                cols.push_back({c.title_zh, IsNumber(c.type),
                                c.type == DocCellType::kDate || c.id.ends_with("code") || c.id.ends_with("id_number")});
            std::vector<PdfRow> rows;
            rows.reserve(s.rows.size());
            for (const auto& r : s.rows) {
                PdfRow row;
                row.bold = r.total;
                for (size_t i = 0; i < s.columns.size(); ++i)
                    row.cells.push_back(i < r.cells.size() ? FormatDocValue(r.cells[i], s.columns[i].type) : "");
                rows.push_back(std::move(row));
            }
            if (rows.empty() && s.note_zh.empty()) pdf.Paragraph("无", 9);
            else if (!rows.empty()) pdf.Table(cols, rows);
        }
        if (s.chart && !s.rows.empty()) {
            const DocChart& ch = *s.chart;
            PdfChart chart;
            chart.line = ch.kind == DocChart::Kind::kLine;
            chart.title = s.title_zh;
            for (int vc : ch.value_columns) {
                if (vc < 0 || static_cast<size_t>(vc) >= s.columns.size()) continue;
                PdfSeries series;
                series.name = s.columns[static_cast<size_t>(vc)].title_zh;
                if (s.columns[static_cast<size_t>(vc)].type == DocCellType::kFen) series.name += "（元）";
                chart.series.push_back(std::move(series));
            }
            for (const auto& r : s.rows) {
                if (r.total) continue;
                size_t lc = static_cast<size_t>(ch.label_column);
                chart.labels.push_back(lc < r.cells.size() && lc < s.columns.size()
                                           ? FormatDocValue(r.cells[lc], s.columns[lc].type)
                                           : "");
                size_t k = 0;
                for (int vc : ch.value_columns) {
                    if (vc < 0 || static_cast<size_t>(vc) >= s.columns.size()) continue;
                    size_t i = static_cast<size_t>(vc);
                    chart.series[k++].values.push_back(i < r.cells.size() ? ChartValue(r.cells[i], s.columns[i].type) : 0);
                }
            }
            pdf.Chart(chart, layout.landscape ? 170 : 200);
        }
    }
    pdf.Signatures(doc.signatures);
    return pdf.Finish();
}

}  // namespace jz::io
