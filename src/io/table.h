// Table files (CSV and .xlsx) read and written row by row, so a million-row registry never has to
// fit in memory. Everything above this layer sees rows of UTF-8 text; encodings, quoting and the
// zip/XML structure of .xlsx stay here.
//
// Contract:
// - Ownership: OpenTable and Create*Writer return objects the caller owns; each owns its open file
//   (closed when it is destroyed). A reader copies the TableOptions it was given. Next() fills a
//   row vector the caller owns; the reader keeps no reference to it, and the returned string_views
//   (encoding(), sheet()) live as long as the reader.
// - Threads: a reader or writer is used by one thread at a time; distinct readers and writers
//   share nothing and may run on different threads at once (the server imports and exports on its
//   handler threads). The free functions keep no state and may be called from any thread.
// - Failure: every expected failure is an Error value with a stable code. Callers stop reading at
//   the first failed Next(); what a later call returns is not specified.
#pragma once

#include <cstdint>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "io/limits.h"

namespace jz::io {

struct Cell {
    std::string text;      // UTF-8, exactly as stored (not trimmed)
    bool numeric = false;  // true for an .xlsx numeric cell (t="n" or no t); text is then the XML value
                           // as written, e.g. "5.40425199001011E+17"
    bool cut = false;      // longer than ImportLimits::max_cell_bytes: `text` holds only its beginning
};

// Rows come as stored: they may be shorter or longer than the header, and a blank row is one whose
// cells are all empty (a blank CSV line gives one empty cell, a blank or skipped .xlsx row none).
class TableReader {
  public:
    virtual ~TableReader() = default;
    // Reads the next row into `row` (resized; reuse the vector to avoid allocations). Returns false
    // at end of input. An Error for malformed input (unterminated quote at EOF, a byte sequence
    // invalid in the file's encoding, broken zip/XML), with field "<file>:<row>".
    virtual Result<bool> Next(std::vector<Cell>& row) = 0;
    // 1-based number of the row last returned, as a user sees it: the CSV record number (header = 1;
    // a quoted field with line breaks still counts as one record) or the .xlsx row number (r
    // attribute; rows missing from the sheet are skipped, never returned as empty rows, so a sheet
    // whose only row is numbered 1,000,000 costs one row).
    virtual int64_t row_number() const = 0;
    // "UTF-8", "UTF-8 (BOM)", "GB18030", "GB18030 (BOM)" or "xlsx".
    virtual std::string_view encoding() const = 0;
    // .xlsx: the workbook counts date serials from 1904 (<workbookPr date1904="1"/>).
    virtual bool date1904() const { return false; }
    // .xlsx: the name of the sheet being read, and every sheet of the workbook in order; empty for CSV.
    virtual std::string_view sheet() const { return {}; }
    virtual std::vector<std::string> sheets() const { return {}; }
};

// Opens a CSV or .xlsx file for streaming reading. The kind is detected by content (a zip "PK\3\4"
// signature → xlsx), not by extension. A CSV's encoding is detected from its first MiB: UTF-8 with
// or without BOM, GB18030 with its BOM (84 31 95 33, skipped), otherwise GB18030 (what Chinese Excel
// writes) unless the sample is overwhelmingly UTF-8 with a few stray bytes, which are then reported
// as bad UTF-8 at their row. An OLE2 file (.xls, .et) is refused with "file.xls".
// For .xlsx: `sheet` names a sheet; empty means the first sheet in workbook order. Errors: file
// missing/unreadable (code "file.open"), unknown sheet ("xlsx.sheet"), not a valid xlsx
// ("xlsx.format").
// Bounded only as Excel is (16,384 columns, 1 GiB cells and records) and by the .xlsx inflation
// limits; imports use the overload below.
Result<std::unique_ptr<TableReader>> OpenTable(const std::string& path, std::string_view sheet = {});

struct TableOptions {
    std::string sheet;    // .xlsx sheet name; empty: the first sheet
    ImportLimits limits;  // rows, columns, cell and record sizes, inflated sizes (see limits.h)
    Cancellation cancel;  // checked while reading: Next() fails with import.cancelled / import.timeout
    std::string name;     // shown in error fields instead of `path` (an upload's own name); empty: path
};

// An import's reading options: its sheet, limits and shown name, cancelled when `stop` is requested
// and, when limits.time_budget is set, past that budget from now (shared by every importer).
TableOptions ImportTableOptions(std::string sheet, const ImportLimits& limits, std::string name,
                                std::stop_token stop);

// The same, bounded by `options.limits`: Next() fails with import.too_many_rows,
// import.too_many_columns, csv.record_too_long, xlsx.row_out_of_range, xlsx.too_large or
// xlsx.compression_ratio; a cell longer than max_cell_bytes comes back cut and marked (Cell::cut).
Result<std::unique_ptr<TableReader>> OpenTable(const std::string& path, const TableOptions& options);

// Parses a CSV held in memory (same rules and encoding detection), for tests and small files such
// as the division table. Errors name the field "text:<row>".
Result<std::vector<std::vector<std::string>>> ParseCsvText(std::string_view text);

// Spreadsheet formula injection (OWASP "CSV injection"): a cell that starts with = + - @ TAB or CR
// may be run as a formula when a CSV is opened in a spreadsheet. Such a cell is written with a
// leading apostrophe, which spreadsheets take as "text", unless it is a plain number ("-12.5",
// "+86", "1e5" stay numbers), or that starts with apostrophes before such a cell (so the mapping is
// one-to-one). UnprotectFormula undoes it (the importer applies it, so export → import is exact).
bool NeedsFormulaProtection(std::string_view cell);
std::string_view UnprotectFormula(std::string_view cell);

class TableWriter {
  public:
    virtual ~TableWriter() = default;
    virtual Result<void> WriteRow(const std::vector<std::string>& cells) = 0;
    // Flushes and closes; the file is complete only after Close() succeeded. Writers write to
    // "<path>.tmp" and rename on Close, so a failed write never leaves a half file under the final
    // name. After a failed WriteRow, Close() fails too and removes the temporary file; a writer
    // destroyed without Close() leaves nothing behind.
    virtual Result<void> Close() = 0;
};

// CSV: UTF-8 with BOM (so Excel opens it correctly), CRLF line ends, RFC 4180 quoting only where
// needed (comma, quote, CR, LF, leading/trailing space or tab), cells that a spreadsheet would take
// for a formula prefixed with an apostrophe (NeedsFormulaProtection). Deterministic bytes for the
// same rows.
Result<std::unique_ptr<TableWriter>> CreateCsvWriter(const std::string& path);

// The same in another encoding: UTF-8 with BOM (as above), UTF-8 without BOM, or GB18030 without
// BOM (what Chinese Excel writes and reads by default; every Unicode character has a GB18030 form,
// so nothing is lost). Formula protection and quoting as above.
enum class CsvEncoding { kUtf8Bom, kUtf8, kGb18030 };
Result<std::unique_ptr<TableWriter>> CreateCsvWriter(const std::string& path, CsvEncoding encoding);

// How an .xlsx writer stores the cells of a column below the header row.
enum class CellKind {
    kText,     // a string cell (identifiers: ID numbers, household and division codes keep every digit)
    kInteger,  // a number cell, format "0" (years, months, counts)
    kDecimal,  // a number cell, format "0.00" (yuan, m²: shown to the fen)
    kDate,     // "YYYY-MM-DD" as a date serial (1900 system), format "yyyy-mm-dd"
};

struct XlsxOptions {
    // Per column (missing columns: kText). A cell that does not parse as its kind (e.g. a birth date
    // cut to its year) is written as a string, so nothing is lost.
    std::vector<CellKind> kinds;
    bool autofilter = false;  // an autofilter on the header row over every written column
    // Text columns formatted as text ("@"), so that what a person types there later (an 18-digit ID
    // number, a code with leading zeros) stays text: for templates to be filled in.
    bool text_format = false;
};

// .xlsx, one sheet named `sheet_name`; cells written as strings unless `options.kinds` makes them
// numbers or dates (ID numbers must stay text; a string cell is never evaluated, so "=..." needs no
// protection here), header row bold and frozen, column widths from the first rows' contents (8 to
// 60 characters). Streams (libxlsxwriter constant_memory mode). More than kXlsxMaxRows rows → Error
// "xlsx.too_many_rows". Deterministic: the same rows give the same bytes.
// Number cells hold the exact decimal ("3456.78", "91.9"): libxlsxwriter prints "%.16G" of the double
// ("91.90000000000001"), so when decimals were written, Close rewrites the sheet's values as their
// shortest form of up to 15 digits that reads back as the same double.
inline constexpr int64_t kXlsxMaxRows = 1048576;
Result<std::unique_ptr<TableWriter>> CreateXlsxWriter(const std::string& path, const std::string& sheet_name,
                                                      const XlsxOptions& options = {});

}  // namespace jz::io
