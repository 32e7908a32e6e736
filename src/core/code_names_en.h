// The code tables' names in English, for screens shown in English (the catalog the web reads,
// GET /api/codes). The Chinese names in codes.h stay the canonical ones (files, exports, the
// registry); these are translations only and never parsed. Constant data, any thread.
#pragma once

#include <string_view>

namespace jz::codes {

// The English label of a code table ("relation" → "Relation to the head"); empty when unknown.
std::string_view TableLabelEn(std::string_view table_id);
// The English name of `code` in the table `table_id`; empty when there is none.
std::string_view CodeNameEn(std::string_view table_id, int code);

}  // namespace jz::codes
