// The assets' exchange file (io/asset_exchange.h).
#include "io/asset_exchange.h"

#include <array>

#include "core/household.h"
#include "io/table.h"

namespace jz::io {
namespace {

namespace json = boost::json;

struct Column {
    const char* zh;
    const char* en;
    CellKind kind;
    bool number;  // given to the body as an integer
};
constexpr std::array<Column, 14> kLayout{{
    {"资产编号", "id", CellKind::kText, false},
    {"项目编号", "project_code", CellKind::kText, false},
    {"资产类型", "kind", CellKind::kText, false},
    {"量化价值(元)", "value", CellKind::kDecimal, false},
    {"所有者类型", "owner", CellKind::kText, false},
    {"所有者名称", "owner_name", CellKind::kText, false},
    {"所在村", "division_code", CellKind::kText, false},
    {"总股数", "total_shares", CellKind::kInteger, true},
    {"贫困户比例(‰)", "poor_permille", CellKind::kInteger, true},
    {"村集体比例(‰)", "village_permille", CellKind::kInteger, true},
    {"合作社比例(‰)", "cooperative_permille", CellKind::kInteger, true},
    {"保底收益率(基点)", "floor_rate_bp", CellKind::kInteger, true},
    {"每股分红上限(元)", "cap_per_share", CellKind::kDecimal, false},
    {"已处置", "disposed", CellKind::kText, false},
}};

std::string Trim(std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
    size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    return s.substr(i);
}

}  // namespace

Result<std::vector<AssetRow>> ReadAssetRows(const std::string& path) {
    auto table = OpenTable(path);
    if (!table) return std::unexpected(table.error());
    std::vector<Cell> row;
    auto first = (*table)->Next(row);
    if (!first) return std::unexpected(first.error());
    if (!*first) return Fail("import.empty", "file", "文件为空", "the file is empty");
    std::vector<int> column_of;  // cell index → layout index (-1: none)
    bool has_id = false;
    for (const Cell& c : row) {
        const std::string h = Trim(std::string(UnprotectFormula(c.text)));
        int found = -1;
        for (size_t i = 0; i < kLayout.size(); ++i)
            if (h == kLayout[i].zh || h == kLayout[i].en) found = static_cast<int>(i);
        if (found < 0 && !h.empty())
            return Fail("import.unknown_column", h, "未知的列: " + h, "unknown column: " + h);
        if (found == 0) has_id = true;
        column_of.push_back(found);
    }
    if (!has_id) return Fail("import.missing_columns", "资产编号", "缺少列: 资产编号", "missing column: 资产编号 (id)");
    std::vector<AssetRow> out;
    for (;;) {
        auto next = (*table)->Next(row);
        if (!next) return std::unexpected(next.error());
        if (!*next) break;
        AssetRow r;
        r.row = (*table)->row_number();
        for (size_t i = 0; i < row.size() && i < column_of.size(); ++i) {
            if (column_of[i] < 0) continue;
            const Column& col = kLayout[static_cast<size_t>(column_of[i])];
            const std::string text = Trim(std::string(UnprotectFormula(row[i].text)));
            if (text.empty() || std::string_view(col.en) == "disposed") continue;
            if (col.number) {
                try {
                    size_t used = 0;
                    const long long v = std::stoll(text, &used);
                    if (used == text.size()) {
                        r.body[col.en] = v;
                        continue;
                    }
                } catch (...) {
                }
            }
            r.body[col.en] = text;
        }
        if (!r.body.empty()) out.push_back(std::move(r));
    }
    return out;
}

Result<int64_t> WriteAssets(std::span<const Asset> assets, const std::string& path) {
    std::vector<std::string> line;
    XlsxOptions xlsx{.autofilter = true};
    for (const Column& c : kLayout) {
        line.emplace_back(c.zh);
        xlsx.kinds.push_back(c.kind);
    }
    auto writer = path.ends_with(".xlsx") ? CreateXlsxWriter(path, "资产", xlsx) : CreateCsvWriter(path);
    if (!writer) return std::unexpected(writer.error());
    if (auto r = (*writer)->WriteRow(line); !r) return std::unexpected(r.error());
    for (const Asset& a : assets) {
        line = {a.id,
                a.project_id,
                std::string(AssetKindNameZh(a.kind)),
                FormatCenti(a.value),
                a.owner == AssetOwner::kCooperative ? "cooperative" : "village_collective",
                a.owner_name,
                a.division_code,
                std::to_string(a.total_shares),
                std::to_string(a.poor_permille),
                std::to_string(a.village_permille),
                std::to_string(a.cooperative_permille),
                std::to_string(a.floor_rate_bp),
                a.cap_per_share ? FormatCenti(*a.cap_per_share) : std::string(),
                a.disposed ? "是" : ""};
        if (auto w = (*writer)->WriteRow(line); !w) return std::unexpected(w.error());
    }
    if (auto r = (*writer)->Close(); !r) return std::unexpected(r.error());
    return static_cast<int64_t>(assets.size());
}

Result<void> WriteAssetErrors(const std::vector<std::pair<int64_t, Error>>& rejected, const std::string& path) {
    auto writer = CreateCsvWriter(path);
    if (!writer) return std::unexpected(writer.error());
    if (auto r = (*writer)->WriteRow({"行号", "字段", "规则", "错误", "error"}); !r) return r;
    for (const auto& [row, e] : rejected)
        if (auto r = (*writer)->WriteRow({std::to_string(row), e.field, e.code, e.message_zh, e.message_en}); !r)
            return r;
    return (*writer)->Close();
}

}  // namespace jz::io
