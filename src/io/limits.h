// Bounds on what reading one table file (an import) may cost, as data: every reader loop and the
// importer's pipeline check them, so a hostile or broken file is refused early with a stable code
// instead of taking the memory, the disk or the time of the machine. The defaults fit a province's
// registry; the CLI can raise them (`jingzhun import --max-rows ...`), the server uses the defaults.
//
// Contract: both types are plain values, copied into each reader that uses them. A Cancellation's
// stop_token may be shared with the thread that requests the stop (std::stop_source is
// thread-safe); Check() is const and may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <stop_token>
#include <string>

#include "core/error.h"

namespace jz::io {

struct ImportLimits {
    // Data rows (persons) of one file, blank rows included. Error "import.too_many_rows". A
    // province's registry is a few million persons; an .xlsx sheet cannot pass 1,048,576 anyway.
    int64_t max_rows = 10'000'000;
    // Cells of one row (the layout has 31 columns, an error file 34). Error "import.too_many_columns"
    // naming the row and column when a cell beyond it holds a value.
    int64_t max_columns = 256;
    // Bytes of one cell (UTF-8). Longer cells are cut to this length (on a character boundary) and
    // marked, and the importer rejects their row with "import.cell_too_long"; nothing longer is kept
    // in memory or written to the error file.
    int64_t max_cell_bytes = 8 * 1024;
    // CSV: bytes of one record (a line, or lines inside quotes). Error "csv.record_too_long".
    int64_t max_record_bytes = 1 << 20;
    // .xlsx: bytes inflated from the whole package, counted as they come out of the decompressor
    // (the sizes the zip directory states are not trusted). Error "xlsx.too_large".
    int64_t max_unzipped_bytes = int64_t{8} << 30;
    // .xlsx: bytes of one worksheet part (a full 1,048,576-row sheet is about 1.5 GB of XML).
    int64_t max_sheet_bytes = int64_t{4} << 30;
    // .xlsx: bytes of the shared strings part, whose strings are held in memory while reading.
    int64_t max_shared_strings_bytes = int64_t{256} << 20;
    // .xlsx: bytes of the small parts read whole (relationships, workbook.xml, ...).
    int64_t max_small_part_bytes = int64_t{16} << 20;
    // .xlsx: inflated bytes per compressed byte of a part, checked once the part passed
    // `ratio_floor_bytes` (a small part may compress very well). Real sheets stay under about 30;
    // a zip bomb is near 1000. Error "xlsx.compression_ratio".
    int64_t max_compression_ratio = 200;
    int64_t ratio_floor_bytes = int64_t{8} << 20;
    // Wall-clock budget of a whole import (both passes and the writes). Error "import.timeout";
    // the transaction is rolled back. Zero: no limit.
    std::chrono::nanoseconds time_budget = std::chrono::hours(1);
};

// What a reader checks besides the limits: a stop request (error "import.cancelled") and a
// deadline (error "import.timeout"). Default-constructed: never stops.
struct Cancellation {
    std::stop_token stop;
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();

    // An Error when the import must end now, with `field` as its field.
    Result<void> Check(const std::string& field) const;
};

}  // namespace jz::io
