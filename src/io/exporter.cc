#include "io/exporter.h"

#include "core/access.h"
#include "core/assembly.h"
#include "io/table.h"

namespace jz::io {

CellKind XlsxKindOf(Column column) {
    switch (column) {
        case Column::kMonthsWorked:
        case Column::kIdentifiedYear:
        case Column::kPlannedExitYear:
        case Column::kExitYear:
            return CellKind::kInteger;
        case Column::kNetIncomePerHead:
        case Column::kHousingArea:
            return CellKind::kDecimal;
        case Column::kBirthDate:
            return CellKind::kDate;
        default:
            return CellKind::kText;
    }
}

Result<void> WriteImportTemplate(const std::string& path, ExportFormat format) {
    XlsxOptions xlsx_options{.autofilter = true, .text_format = true};
    std::vector<std::string> header;
    for (const ColumnInfo& c : Columns()) {
        header.emplace_back(c.zh);
        xlsx_options.kinds.push_back(XlsxKindOf(c.column));
    }
    auto writer = format == ExportFormat::kXlsx ? CreateXlsxWriter(path, "建档立卡", xlsx_options)
                                                : CreateCsvWriter(path);
    if (!writer) return std::unexpected(writer.error());
    if (auto r = (*writer)->WriteRow(header); !r) return r;
    return (*writer)->Close();
}

Result<ExportSummary> ExportRegistry(Store& store, const Plan& plan, const ExportOptions& options) {
    const bool xlsx = options.format == ExportFormat::kXlsx;
    const bool names = xlsx && options.tree != nullptr;
    // The name columns go right after 行政区划代码.
    constexpr size_t kNamesAt = static_cast<size_t>(Column::kDivisionCode) + 1;
    XlsxOptions xlsx_options{.autofilter = true};
    std::vector<std::string> line;
    for (const ColumnInfo& c : Columns()) {
        if (names && line.size() == kNamesAt) {
            line.emplace_back(kTownshipNameHeader);
            line.emplace_back(kVillageNameHeader);
            xlsx_options.kinds.resize(xlsx_options.kinds.size() + 2, CellKind::kText);
        }
        line.emplace_back(c.zh);
        xlsx_options.kinds.push_back(XlsxKindOf(c.column));
    }
    auto writer = xlsx ? CreateXlsxWriter(options.path, "建档立卡", xlsx_options) : CreateCsvWriter(options.path);
    if (!writer) return std::unexpected(writer.error());
    if (auto r = (*writer)->WriteRow(line); !r) return std::unexpected(r.error());
    std::string names_of;  // the village whose names are in township_name / village_name
    std::string township_name, village_name;
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
            if (names) {
                const std::string& village = line[static_cast<size_t>(Column::kDivisionCode)];
                if (village != names_of) {
                    names_of = village;
                    const OrgUnit* v = options.tree->Find(village);
                    const OrgUnit* t = v != nullptr ? options.tree->Find(v->parent_code) : nullptr;
                    village_name = v != nullptr ? v->name() : std::string();
                    township_name = t != nullptr ? t->name() : std::string();
                }
                line.insert(line.begin() + static_cast<std::ptrdiff_t>(kNamesAt), {township_name, village_name});
            }
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
