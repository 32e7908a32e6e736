// The assets' exchange file (资产收益扶贫, docs/shares.md "The assets layout"): one row per asset —
// 资产编号, 项目编号, 资产类型, 量化价值(元), 所有者类型, 所有者名称, 所在村, 总股数, 贫困户比例(‰),
// 村集体比例(‰), 合作社比例(‰), 保底收益率(基点), 每股分红上限(元), 已处置 — in .csv (UTF-8 or
// GB18030) or .xlsx (by content), read through table.h and written in the same layout. The English
// field names (id, project_code, kind, value, owner, owner_name, division_code, total_shares,
// poor_permille, village_permille, cooperative_permille, floor_rate_bp, cap_per_share, disposed) are
// accepted as headers too.
//
// Reading gives each data row as the API's asset body (service::AssetFromJson checks it; the CLI
// adds each row, so one bad row never stops the others); writing is atomic (table.h writers).
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/shares.h"

namespace jz::io {

struct AssetRow {
    int64_t row = 0;            // the row number as a spreadsheet shows it
    boost::json::object body;   // only the cells given (empty cells left out)
};
// Errors: file.open, the table formats' errors, import.missing_columns (资产编号 is required),
// import.unknown_column (a header outside the layout).
Result<std::vector<AssetRow>> ReadAssetRows(const std::string& path);

// Writes the assets (.xlsx when the name ends in .xlsx, else CSV UTF-8 with BOM); returns how many.
Result<int64_t> WriteAssets(std::span<const Asset> assets, const std::string& path);

// Writes rejected rows: 行号, 字段, 错误 (zh / en), CSV UTF-8 with BOM.
Result<void> WriteAssetErrors(const std::vector<std::pair<int64_t, Error>>& rejected, const std::string& path);

}  // namespace jz::io
