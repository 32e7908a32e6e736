// The cadres' exchange file (issue 15, 结对帮扶干部): one row per cadre — 干部编号 (cadre_id, only to
// change a stored cadre), 姓名, 身份证号, 工作单位, 职级 (code, name or English name), 联系电话, 工作乡镇
// (code or name; empty: county-wide), 任职起, 任职止 — imported with the registry import's acceptance
// rules and exported in the same layout (docs/import-format.md, "The cadres layout").
//
// Reading goes through table.h (CSV in UTF-8 or GB18030, with or without BOM, or .xlsx; the limits of
// limits.h, options made by ImportTableOptions), rejected rows through error_file.h (CommitImport).
// Every row is checked on its own (core ValidateCadre, the township in the division tree) and against
// what is stored (the cadre it names, an ID number held by another cadre, the importer's scope); the
// whole import is one transaction. Re-importing a file changes nothing: a row is matched to a stored
// cadre by its cadre_id, else by its ID number, else by (name, township), and a row equal to what is
// stored is neither written nor logged.
//
// Contract: the functions are stateless; one import or export uses the Store passed in from one
// thread (store/store.h), inside its own transaction (imports) or outside any (exports).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "core/org_unit.h"
#include "core/pairing.h"
#include "core/plan.h"
#include "io/assistance_exchange.h"
#include "io/importer.h"
#include "store/store.h"

namespace jz::io {

// The layout's columns, in the order exports write them. Field names (LedgerColumn::en) are
// ValidateCadre's: cadre_id, name, id_number, unit, rank, phone, township_code, active_from,
// active_to ("township" is accepted as a header too).
std::span<const LedgerColumn> CadreColumns();

// Imports cadres (summary layout "cadre"). Errors (the file is unusable, nothing imported) as
// ImportRegistry's: file.open, the csv/xlsx format errors, import.missing_columns (姓名 is the one
// required column), import.duplicate_column, import.empty, the limits' errors, import.timeout,
// import.cancelled. Rejected rows (every reason, each naming its field): the cell errors
// (<field>.format, <field>.unknown, <field>.numeric_cell, import.cell_too_long), ValidateCadre's
// problems (cadre.invalid), township_code.unknown (not a township of the division tree),
// cadre.not_found (cadre_id names no cadre, or one outside `options.scope`), cadre.out_of_scope (the
// row's township is outside the scope), id_number.taken (another cadre holds the ID number),
// cadre.ambiguous (no cadre_id or ID number, and several cadres of that name in that township),
// cadre.id_number_missing (no cadre_id or ID number, and the one cadre of that name in that township
// has an ID number: give it, so another person of the same name is never merged), import.duplicate_row
// (the same cadre twice in the file: every such row is refused). An empty 职级 is 职级不详 (9).
Result<LedgerImportSummary> ImportCadres(Store& store, const Plan& plan, const OrgTree& tree,
                                         const ImportOptions& options);

struct CadreExportOptions {
    std::string path;
    LedgerFormat format = LedgerFormat::kCsv;
    std::string division_prefix;  // cadres whose division_code starts with it (a county: all); empty: all
    std::optional<int> rank;
    bool mask_personal = false;  // a viewer's export: ID numbers to the address code, phones masked
};

// Writes the cadres ordered by id, in the layout (cadre_id filled, rank by its Chinese name,
// township by its code); returns how many. Atomic: a failed export leaves no file behind.
// Re-imported unmasked, the file changes nothing.
Result<int64_t> ExportCadres(Store& store, const CadreExportOptions& options);

// Writes `cadres` in the layout without their cadre_id (records made elsewhere, e.g. by the generator,
// that a database has not numbered: imported, each is matched by ID number, else name and township);
// returns how many. Atomic as ExportCadres.
Result<int64_t> WriteCadres(std::span<const Cadre> cadres, const std::string& path, LedgerFormat format);

}  // namespace jz::io
