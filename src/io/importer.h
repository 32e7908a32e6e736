// Import of the exchange layout (CSV or .xlsx) into the registry, by household, in one transaction.
#pragma once

#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "core/assembly.h"
#include "core/org_unit.h"
#include "core/plan.h"
#include "io/limits.h"
#include "store/store.h"

namespace jz::io {

struct ImportOptions {
    std::string path;
    std::string sheet;        // .xlsx sheet name; empty: the first sheet
    std::string errors_path;  // where rejected rows go; empty: "<path>.errors.csv"
    ChangeContext change;     // actor and time of the import
    // Org unit of the user importing: households elsewhere (in the file, or already registered
    // under the same code) are rejected. Empty: no restriction.
    std::string scope;
    // Name recorded for the import and shown in error fields (default: path). The server gives the
    // upload's name so that no message shows where it keeps files.
    std::string display_name;
    // Rows, columns, cell sizes, inflated sizes and the time budget (limits.h).
    ImportLimits limits;
    // When stop is requested (the server is stopping) the import ends with import.cancelled and
    // changes nothing.
    std::stop_token stop;
};

struct ImportSummary {
    int64_t import_id = 0;
    std::string encoding;
    struct {
        int64_t read = 0, inserted = 0, updated = 0, unchanged = 0, rejected = 0;
    } households;
    struct {
        int64_t read = 0, accepted = 0, rejected = 0;
    } persons;
    // The first kMaxListedIssues of each; the error file has every rejected row.
    std::vector<Error> warnings;
    std::vector<Error> errors;
    int64_t warnings_omitted = 0;  // beyond the list
    int64_t errors_omitted = 0;
    std::string errors_file;  // written when some household was rejected, else empty
    static constexpr size_t kMaxListedIssues = 1000;

    // {"households": {...}, "persons": {...}, "warnings": [...], "errors": [...]} as the CLI prints it.
    std::string ToJson() const;
};

// Reads the file twice: once to find every household's rows and the ID numbers shared between
// households, then to check and store each household. Accepted households are inserted or, when the
// code exists, updated (unchanged ones are left alone and not logged); rejected ones go to the error
// file with the row number, field and reason. The whole import is one transaction: on a store
// failure nothing is changed. Errors (the file is unusable, nothing imported): file.open,
// csv/xlsx format errors, import.missing_columns, import.duplicate_column, import.empty, the limits'
// errors (import.too_many_rows, import.too_many_columns, csv.record_too_long, xlsx.row_out_of_range,
// xlsx.too_large, xlsx.compression_ratio), import.timeout and import.cancelled. A cell longer than
// limits.max_cell_bytes rejects its household (import.cell_too_long; the error file shows the
// value cut, with "…"). A failed import leaves no error file behind.
Result<ImportSummary> ImportRegistry(Store& store, const Plan& plan, const OrgTree& tree,
                                     const ImportOptions& options);

}  // namespace jz::io
