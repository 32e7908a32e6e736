// A Document (core/document.h) as PDF, drawn with the PDF layer (io/pdf.h).
#pragma once

#include <string>

#include "core/document.h"
#include "core/error.h"

namespace jz::io {
struct PdfLayout { bool landscape = false; };
// A4; title, facts, every section (heading, note, table with its header repeated on each page,
// numbers right-aligned, total rows bold, chart drawn under its table), then signature lines;
// "第 n 页" footer. Chinese set in Noto Sans CJK SC through pango; fonts embedded. Returns bytes.
// Bounded as io/pdf.h says (PdfLimits: pages, rows, bytes of a cell).
Result<std::string> RenderDocumentPdf(const Document& doc, const PdfLayout& layout = {});
}  // namespace jz::io
