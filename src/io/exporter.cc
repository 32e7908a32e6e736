#include "io/exporter.h"

#include "core/access.h"
#include "core/assembly.h"
#include "io/table.h"

namespace jz::io {

Result<ExportSummary> ExportRegistry(Store& store, const Plan& plan, const ExportOptions& options) {
    auto writer = options.format == ExportFormat::kXlsx ? CreateXlsxWriter(options.path, "建档立卡")
                                                        : CreateCsvWriter(options.path);
    if (!writer) return std::unexpected(writer.error());
    std::vector<std::string> line;
    for (const ColumnInfo& c : Columns()) line.emplace_back(c.zh);
    if (auto r = (*writer)->WriteRow(line); !r) return std::unexpected(r.error());
    ExportSummary summary;
    std::vector<LayoutRow> rows;
    Result<void> write_result;
    auto scanned = store.ScanHouseholds({options.division_prefix}, [&](const Household& h) {
        if (options.include && !options.include(h)) return true;
        rows.clear();
        FormatHousehold(h, plan, rows);
        for (LayoutRow& row : rows) {
            if (options.mask_personal) {  // access.h: address code, birth year, masked phone
                auto& id = row[static_cast<size_t>(Column::kIdNumber)];
                auto& birth = row[static_cast<size_t>(Column::kBirthDate)];
                auto& phone = row[static_cast<size_t>(Column::kPhone)];
                id = MaskIdNumber(id);
                if (birth.size() > 4) birth.resize(4);
                phone = MaskPhone(phone);
            }
            line.assign(std::make_move_iterator(row.begin()), std::make_move_iterator(row.end()));
            write_result = (*writer)->WriteRow(line);
            if (!write_result) return false;
        }
        ++summary.households;
        summary.persons += static_cast<int64_t>(h.members.size());
        return true;
    });
    if (!scanned) return std::unexpected(scanned.error());
    if (!write_result) return std::unexpected(write_result.error());
    if (auto r = (*writer)->Close(); !r) return std::unexpected(r.error());
    return summary;
}

}  // namespace jz::io
