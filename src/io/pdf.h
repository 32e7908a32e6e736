// The PDF layer: a flowing A4 document drawn with cairo (PDF surface written to memory) and pango
// (text set in "Noto Sans CJK SC", bold for headings; the fonts are embedded as subsets). Blocks are
// added top to bottom and flow onto new pages: title, heading, paragraph (wrapped), a facts grid, a
// table (column widths from the content within the page width, text wrapping in cells, numbers
// right-aligned, the header repeated on every new page, total rows bold), a bar or line chart, the
// signature lines and a QR code at a given position. Every page gets the footer "第 n 页 / 共 m 页":
// pages are recorded first (cairo recording surfaces) and replayed into the PDF when the page count
// is known. The PDF's metadata title is set. The glyphs are embedded as CID-keyed CFF fonts that
// cairo builds from the Noto outlines (named "CairoFont-n-m"): cairo 1.16's subsetter of the
// fonts' own CFF drops some glyphs (pdf.cc, FaceCache).
//
// Bounds (PdfLimits): at most max_pages pages (Finish fails with "pdf.too_many_pages"); a table
// cell, a fact or a label longer than max_cell_bytes and a paragraph longer than
// max_paragraph_bytes is cut on a character boundary and ends with "…"; a table keeps at most
// max_table_rows rows (Finish fails with "pdf.too_many_rows" beyond); a chart at most max_chart_points
// categories (the rest left out, said under the chart). A row taller than a page is clipped to it.
//
// Not thread-safe: one PdfDocument per thread (pango's default font map is per thread).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"

namespace jz::io {

struct PdfLimits {
    int max_pages = 5000;
    size_t max_cell_bytes = 1000;
    size_t max_paragraph_bytes = 20000;
    size_t max_table_rows = 200000;
    size_t max_chart_points = 60;
};

struct PdfColumn {
    std::string title;
    bool right = false;   // numbers: right-aligned (and never wrapped)
    bool nowrap = false;  // codes, ID numbers, dates: kept on one line when the page allows
};

struct PdfRow {
    std::vector<std::string> cells;  // one per column (missing cells are empty)
    bool bold = false;               // a total or subtotal row
};

struct PdfSeries {
    std::string name;
    std::vector<double> values;  // one per label; drawing only (figures stay exact in the tables)
};

struct PdfChart {
    bool line = false;  // false: grouped bars
    std::string title;
    std::vector<std::string> labels;
    std::vector<PdfSeries> series;
};

class PdfDocument {
public:
    explicit PdfDocument(bool landscape = false, PdfLimits limits = {});
    ~PdfDocument();
    PdfDocument(const PdfDocument&) = delete;
    PdfDocument& operator=(const PdfDocument&) = delete;

    void SetTitle(std::string title);  // the PDF metadata title

    // Page geometry in points; y grows downwards from the top edge of the page.
    double page_width() const;
    double page_height() const;
    double margin() const;
    double content_width() const;
    double y() const;            // where the next block starts on the current page
    int page_count() const;      // pages so far
    void NewPage();              // start a new page (not when the current one is still empty)
    void EnsureSpace(double h);  // a new page unless h points are left on this one
    void Space(double h);

    void Title(const std::string& text);                           // centred, bold, 18 pt
    void Heading(const std::string& text);                         // bold 12 pt, kept with what follows
    void Paragraph(const std::string& text, double size = 10, bool bold = false);
    // Label–value pairs in a grid of `columns` pairs a line.
    void Facts(const std::vector<std::pair<std::string, std::string>>& facts, int columns = 2);
    void Table(const std::vector<PdfColumn>& columns, const std::vector<PdfRow>& rows, double font_size = 9);
    void Chart(const PdfChart& chart, double height = 200);
    // One line per label: "label：__________  日期：____年__月__日".
    void Signatures(const std::vector<std::string>& labels);
    // A QR code of payload (8-bit, error correction M) with its top left corner at (x, y) on the
    // current page, `size` points wide; false when the payload cannot be encoded.
    bool Qr(const std::string& payload, double x, double y, double size);
    // Text at an absolute position of the current page (does not move y).
    void TextAt(const std::string& text, double x, double y, double width, double size = 9, bool bold = false);

    // Renders every page with its footer into the PDF; the document cannot be added to afterwards.
    Result<std::string> Finish();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The family fontconfig gives for the text font ("Noto Sans CJK SC" when fonts-noto-cjk is
// installed; another family means the documents would print in a substitute).
std::string ResolvedFontFamily();

// The number of pages of a PDF this layer wrote (its page objects).
int CountPdfPages(const std::string& pdf);

// text cut to at most max_bytes bytes on a UTF-8 character boundary, "…" appended when cut.
std::string CutUtf8(const std::string& text, size_t max_bytes);

}  // namespace jz::io
