// A Document (core/document.h) as JSON, the shape the API returns and an issued report is stored
// in (docs/api.md "Periodic reports"), and its strict inverse.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>

#include "core/document.h"
#include "core/error.h"

namespace jz::service {

// {"kind","title_zh","title_en","unit":{"code","name"},"period","from","to","as_of","facts":[...],
//  "sections":[{"id","title_zh","title_en","note_zh","note_en","columns":[...],"rows":[{"cells",
//  "total"}],"chart"?}],"signatures":[...]}. Cells by their column's type: text and date as strings,
// integer as a JSON integer, fen as a decimal string in yuan ("1234.50"), percent as a decimal
// string ("91.50", no % sign), empty as null.
boost::json::object DocumentJson(const Document& doc);
// The same serialized (the bytes an issued report stores and hashes).
std::string DocumentJsonText(const Document& doc);

// The strict inverse: every key above is required (chart may be absent), no other key is allowed,
// each cell must suit its column's type, every row has one cell per column and a chart's columns
// exist. Fails with "json.invalid" naming the field (e.g. "sections[2].rows[0].cells[3]").
// DocumentFromJson(DocumentJson(d)) == d.
Result<Document> DocumentFromJson(std::string_view text);
// The same from a value already parsed.
Result<Document> DocumentFromJsonValue(const boost::json::value& json);

}  // namespace jz::service
