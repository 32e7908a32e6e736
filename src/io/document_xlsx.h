// A Document (core/document.h) as an .xlsx workbook: the periodic reports and the village register
// and township book are rendered here for download.
#pragma once

#include <string>

#include "core/document.h"
#include "core/error.h"

namespace jz::io {
// One sheet per section (named by title_zh, cut to 31 characters, made unique, []:*?/\ replaced),
// first rows the title and the facts, then the header row (bold, frozen) and the rows; integer
// cells as numbers "0", fen as numbers in yuan "0.00" (exact: written from the decimal string),
// percent as numbers "0.00%" (9150 → 0.915), dates as dates, text as strings; total rows bold; a
// section with no rows gets its note. Deterministic bytes. Writes "<path>.tmp" then renames.
Result<void> WriteDocumentXlsx(const Document& doc, const std::string& path);
}  // namespace jz::io
