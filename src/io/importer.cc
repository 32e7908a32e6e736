#include "io/importer.h"

#include <algorithm>
#include <chrono>
#include <boost/json.hpp>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "core/access.h"
#include "core/id_number.h"
#include "io/error_file.h"
#include "io/exporter.h"
#include "io/table.h"

namespace jz::io {
namespace {

// The import's day for the pairings it begins: the Beijing day of its time (ISO 8601 UTC,
// "2026-11-29T04:05:06Z"), or the date the time starts with when it has no clock time.
Date ImportDay(const std::string& at) {
    auto day = Date::Parse(std::string_view(at).substr(0, 10));
    if (!day) return Date{};
    int hh = 0, mm = 0, ss = 0;
    if (at.size() >= 19 && std::sscanf(at.c_str() + 11, "%2d:%2d:%2d", &hh, &mm, &ss) == 3) {
        const auto seconds = std::chrono::sys_days(std::chrono::days(day->DaysSinceEpoch())) +
                             std::chrono::hours(hh) + std::chrono::minutes(mm) + std::chrono::seconds(ss);
        return Date::BeijingDayOf(std::chrono::time_point_cast<std::chrono::seconds>(seconds));
    }
    return *day;
}

struct HeaderMap {
    std::vector<int> column_of_cell;  // cell index → Column index, or -1
    std::vector<std::string> header;  // as read (trimmed)
};

Result<HeaderMap> MapHeader(const std::vector<Cell>& cells, std::vector<Error>& warnings) {
    HeaderMap map;
    std::vector<int> seen(kColumnCount, -1);
    for (size_t i = 0; i < cells.size(); ++i) {
        const std::string_view h = TrimCell(cells[i].text);
        map.header.emplace_back(h);
        auto col = ColumnFromHeader(h);
        if (!col) {
            map.column_of_cell.push_back(-1);
            // The error file's columns (error_file.h) and the names an .xlsx export puts beside the
            // division code (exporter.h) are ignored without a warning.
            if (!h.empty() && !IsErrorFileHeader(h) && h != kTownshipNameHeader && h != kVillageNameHeader)
                warnings.push_back({.code = "import.unknown_column",
                                    .field = std::string(h),
                                    .message_zh = "未知列\"" + std::string(h) + "\"已忽略",
                                    .message_en = "unknown column \"" + std::string(h) + "\" ignored",
                                    .row = 1});
            continue;
        }
        const int c = static_cast<int>(*col);
        if (seen[c] >= 0)
            return Fail("import.duplicate_column", std::string(InfoOf(*col).en),
                        "列\"" + std::string(InfoOf(*col).zh) + "\"出现了两次(第" +
                            std::to_string(seen[c] + 1) + "和第" + std::to_string(i + 1) + "列)",
                        "column " + std::string(InfoOf(*col).en) + " appears twice (columns " +
                            std::to_string(seen[c] + 1) + " and " + std::to_string(i + 1) + ")");
        seen[c] = static_cast<int>(i);
        map.column_of_cell.push_back(c);
    }
    std::string missing_zh, missing_en;
    for (const ColumnInfo& info : Columns()) {
        if (!info.required || seen[static_cast<int>(info.column)] >= 0) continue;
        if (!missing_zh.empty()) {
            missing_zh += "、";
            missing_en += ", ";
        }
        missing_zh += info.zh;
        missing_en += info.en;
    }
    if (!missing_zh.empty())
        return Fail("import.missing_columns", missing_en, "缺少必需的列: " + missing_zh,
                    "required columns are missing: " + missing_en);
    return map;
}

bool IsBlank(const std::vector<Cell>& cells) {
    return std::ranges::all_of(cells, [](const Cell& c) { return TrimCell(c.text).empty(); });
}

// The rows of one household as read: the layout's cells, and every original cell for the error
// file. Kept in parallel vectors that are reused from household to household, so steady-state
// reading allocates nothing.
struct RowGroup {
    std::vector<RawRow> raw;
    std::vector<std::vector<std::string>> original;
    std::vector<std::vector<uint32_t>> cut;  // per row: the cells longer than max_cell_bytes
    size_t size = 0;

    void clear() { size = 0; }
    void Add(const std::vector<Cell>& cells, const HeaderMap& map, int64_t row_number) {
        if (raw.size() <= size) {
            raw.emplace_back();
            original.emplace_back();
            cut.emplace_back();
        }
        RawRow& r = raw[size];
        std::vector<std::string>& o = original[size];
        std::vector<uint32_t>& long_cells = cut[size];
        ++size;
        long_cells.clear();
        r.row_number = row_number;
        r.numeric_mask = 0;
        for (auto& c : r.cells) c.clear();
        o.resize(std::max(cells.size(), map.header.size()));
        for (size_t i = 0; i < o.size(); ++i) {
            if (i < cells.size())
                o[i].assign(cells[i].text);
            else
                o[i].clear();
            if (i < cells.size() && cells[i].cut) long_cells.push_back(static_cast<uint32_t>(i));
        }
        for (size_t i = 0; i < cells.size() && i < map.column_of_cell.size(); ++i) {
            const int c = map.column_of_cell[i];
            if (c < 0) continue;
            // A value our CSV export protected from formula evaluation ("'=...") comes back as it was.
            r.cells[static_cast<size_t>(c)].assign(UnprotectFormula(cells[i].text));
            if (cells[i].numeric) r.numeric_mask |= uint64_t{1} << c;
        }
    }
    std::span<const RawRow> rows() const { return {raw.data(), size}; }
};

std::string_view CodeOf(const std::vector<Cell>& cells, int code_cell) {
    if (code_cell < 0 || code_cell >= static_cast<int>(cells.size())) return {};
    return TrimCell(cells[static_cast<size_t>(code_cell)].text);
}

// Lookups by string_view without building a std::string per row.
struct CodeHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// What the first pass learns.
struct FileIndex {
    std::unordered_map<std::string, uint32_t, CodeHash, std::equal_to<>> household_index;  // code → index
    std::vector<std::string> codes;                                                        // index → code
    std::vector<bool> split;  // the household's rows are not contiguous in the file
    // ID numbers found in more than one household of the file → the codes holding them.
    std::unordered_map<uint64_t, std::vector<uint32_t>> shared_ids;
};

Result<FileIndex> IndexFile(TableReader& reader, int code_cell, int id_cell) {
    FileIndex index;
    std::vector<Cell> cells;
    std::vector<std::pair<uint64_t, uint32_t>> ids;
    int64_t previous = -1;
    for (;;) {
        auto more = reader.Next(cells);
        if (!more) return std::unexpected(more.error());
        if (!*more) break;
        if (IsBlank(cells)) continue;
        const std::string_view code = CodeOf(cells, code_cell);
        auto it = index.household_index.find(code);
        const bool inserted = it == index.household_index.end();
        if (inserted) {
            it = index.household_index.emplace(std::string(code), static_cast<uint32_t>(index.codes.size()))
                     .first;
            index.codes.emplace_back(code);
            index.split.push_back(false);
        } else if (static_cast<int64_t>(it->second) != previous) {
            index.split[it->second] = true;
        }
        previous = it->second;
        if (id_cell < static_cast<int>(cells.size()) && !cells[static_cast<size_t>(id_cell)].numeric) {
            if (auto id = ParseIdNumber(cells[static_cast<size_t>(id_cell)].text))
                ids.emplace_back(PackIdNumber(id->value), it->second);
        }
    }
    std::ranges::sort(ids);
    for (size_t i = 0; i < ids.size();) {
        size_t j = i + 1;
        while (j < ids.size() && ids[j].first == ids[i].first) ++j;
        if (ids[j - 1].second != ids[i].second) {
            std::vector<uint32_t> holders;
            for (size_t k = i; k < j; ++k)
                if (holders.empty() || holders.back() != ids[k].second) holders.push_back(ids[k].second);
            index.shared_ids.emplace(ids[i].first, std::move(holders));
        }
        i = j;
    }
    return index;
}

boost::json::object IssueJson(const Error& e) {
    boost::json::object o;
    o["row"] = e.row;
    o["household_code"] = e.household_code;
    o["field"] = e.field;
    o["code"] = e.code;
    o["reason"] = e.Reason();
    return o;
}

class Importer {
  public:
    Importer(Store& store, const Plan& plan, const OrgTree& tree, const ImportOptions& options)
        : store_(store), context_{plan, tree}, options_(options) {}

    Result<ImportSummary> Run() {
        table_options_ = ImportTableOptions(options_.sheet, options_.limits, options_.display_name, options_.stop);
        auto first = OpenTable(options_.path, table_options_);
        if (!first) return std::unexpected(first.error());
        std::vector<Cell> cells;
        auto header_row = ReadHeader(**first, cells);
        if (!header_row) return std::unexpected(header_row.error());
        auto header = MapHeader(cells, summary_.warnings);
        if (!header) return std::unexpected(NameSheet(header.error(), **first));
        header_ = std::move(*header);
        summary_.encoding = std::string((*first)->encoding());
        context_.date1904 = (*first)->date1904();
        const int code_cell = CellOf(Column::kHouseholdCode);
        auto index = IndexFile(**first, code_cell, CellOf(Column::kIdNumber));
        if (!index) return std::unexpected(index.error());
        index_ = std::move(*index);
        first->reset();

        auto tx = Transaction::Begin(store_);
        if (!tx) return std::unexpected(tx.error());
        auto households_before = store_.CountHouseholds();
        if (!households_before) return std::unexpected(households_before.error());
        registry_was_empty_ = *households_before == 0;
        // Into an empty registry the writer looks nothing up, so indexes can be built once at the end.
        if (registry_was_empty_)
            if (auto r = store_.BeginBulkLoad(); !r) return std::unexpected(r.error());
        auto import_id = store_.BeginImport(
            options_.display_name.empty() ? options_.path : options_.display_name, options_.change);
        if (!import_id) return std::unexpected(import_id.error());
        summary_.import_id = *import_id;
        change_ = options_.change;
        change_.import_id = *import_id;

        // Pass 2 runs as a pipeline: a reader thread parses rows and checks households (pure work),
        // this thread writes them to the store. On two cores the checking hides behind SQLite.
        Pipeline pipeline;
        std::thread reader([&] { ReadHouseholds(pipeline, code_cell); });
        Result<void> written = WriteHouseholds(pipeline);
        if (!written) pipeline.Cancel();
        reader.join();
        // Returning without Commit rolls the transaction back; the error file's writer, destroyed
        // without Close, removes its temporary file.
        if (!written) return std::unexpected(written.error());
        if (pipeline.failure) return std::unexpected(*pipeline.failure);

        if (summary_.households.read == 0)
            return Fail("import.empty", "file", "文件中没有数据行", "the file has no data rows");
        if (auto r = table_options_.cancel.Check(FileName()); !r) return std::unexpected(r.error());
        if (registry_was_empty_)
            if (auto r = store_.EndBulkLoad(); !r) return std::unexpected(r.error());
        if (auto r = table_options_.cancel.Check(FileName()); !r) return std::unexpected(r.error());
        // Households whose pairing cadre's name changed: the name becomes (or finds) a cadre and
        // the household's current pairing, in this transaction (an empty name ends the pairing).
        if (!pairing_changed_.empty())
            if (auto r = store_.AdoptPairingNames(pairing_changed_, ImportDay(change_.at), "import / 导入", true, change_);
                !r)
                return std::unexpected(r.error());
        // The error file takes its name just before the commit, and loses it if the commit fails.
        if (auto r = CommitImport(store_, *tx, summary_.import_id, summary_.ToJson(), errors_, summary_.errors_file);
            !r)
            return std::unexpected(r.error());
        return std::move(summary_);
    }

  private:
    Result<bool> ReadHeader(TableReader& reader, std::vector<Cell>& cells) {
        for (;;) {
            auto more = reader.Next(cells);
            if (!more) return more;
            if (!*more)
                return Fail("import.empty", "file", "文件为空(没有表头行)",
                            "the file is empty (no header row)");
            if (!IsBlank(cells)) return true;
        }
    }

    // Required columns missing from a workbook's sheet: say which sheet was read, and which other
    // sheet has the layout's columns, if one has.
    Error NameSheet(Error error, const TableReader& reader) {
        if (error.code != "import.missing_columns" || reader.sheet().empty()) return error;
        const std::string read(reader.sheet());
        error.message_zh += "(读取的是工作表“" + read + "”";
        error.message_en += " (in sheet \"" + read + "\"";
        for (const std::string& other : reader.sheets()) {
            if (other == read) continue;
            auto table = OpenTable(options_.path, other);
            if (!table) continue;
            std::vector<Cell> cells;
            std::vector<Error> ignored;
            if (auto r = ReadHeader(**table, cells); !r || !*r || !MapHeader(cells, ignored)) continue;
            error.message_zh += ";工作表“" + other + "”含有所需的列,请选择该工作表";
            error.message_en += "; sheet \"" + other + "\" has the required columns, choose that sheet";
            break;
        }
        error.message_zh += ")";
        error.message_en += ")";
        return error;
    }

    int CellOf(Column c) const {
        for (size_t i = 0; i < header_.column_of_cell.size(); ++i)
            if (header_.column_of_cell[i] == static_cast<int>(c)) return static_cast<int>(i);
        return -1;
    }

    // One household checked on the reader thread, ready for the store.
    struct Prepared {
        Assembly assembly;
        std::string json;  // HouseholdToJson, when accepted
        int64_t rows = 0;
        // Kept when the household is rejected, or may still be (by the registry check):
        std::vector<int64_t> row_numbers;
        std::vector<std::vector<std::string>> originals;
        std::vector<std::vector<uint32_t>> cut;  // per row: cells cut to max_cell_bytes
        std::vector<std::string> row_ids;        // normalised ID number of each row, "" when invalid
    };

    // Batches of prepared households passed from the reader to the writer, bounded so the reader
    // cannot run far ahead (memory stays flat however big the file).
    struct Pipeline {
        std::mutex mutex;
        std::condition_variable changed;
        std::deque<std::vector<Prepared>> batches;
        bool done = false;
        bool cancelled = false;
        std::optional<Error> failure;  // set by the reader before done
        static constexpr size_t kMaxBatches = 8;
        static constexpr size_t kBatchSize = 128;

        // false when the writer gave up.
        bool Push(std::vector<Prepared>&& batch) {
            std::unique_lock lock(mutex);
            changed.wait(lock, [&] { return batches.size() < kMaxBatches || cancelled; });
            if (cancelled) return false;
            batches.push_back(std::move(batch));
            changed.notify_all();
            return true;
        }
        // false at the end of input.
        bool Pop(std::vector<Prepared>& batch) {
            std::unique_lock lock(mutex);
            changed.wait(lock, [&] { return !batches.empty() || done; });
            if (batches.empty()) return false;
            batch = std::move(batches.front());
            batches.pop_front();
            changed.notify_all();
            return true;
        }
        void Finish(std::optional<Error> error) {
            std::lock_guard lock(mutex);
            failure = std::move(error);
            done = true;
            changed.notify_all();
        }
        void Cancel() {
            std::lock_guard lock(mutex);
            cancelled = true;
            changed.notify_all();
        }
    };

    // Reader thread: groups rows by household, checks each household, hands batches on.
    void ReadHouseholds(Pipeline& pipeline, int code_cell) {
        auto fail = [&](Error e) { pipeline.Finish(std::move(e)); };
        auto table = OpenTable(options_.path, table_options_);
        if (!table) return fail(table.error());
        std::vector<Cell> cells;
        if (auto r = ReadHeader(**table, cells); !r) return fail(r.error());
        RowGroup group;
        std::string group_code;
        std::map<uint32_t, RowGroup> split_rows;
        std::vector<Prepared> batch;
        auto emit = [&](const RowGroup& g) -> bool {
            batch.push_back(Prepare(g));
            if (batch.size() < Pipeline::kBatchSize) return true;
            std::vector<Prepared> full;
            full.swap(batch);
            return pipeline.Push(std::move(full));
        };
        for (;;) {
            auto more = (*table)->Next(cells);
            if (!more) return fail(more.error());
            if (!*more) break;
            if (IsBlank(cells)) continue;
            const std::string_view code = CodeOf(cells, code_cell);
            auto found = index_.household_index.find(code);
            if (found == index_.household_index.end())
                return fail(Error{.code = "import.changed",
                                  .field = "file",
                                  .message_zh = "文件在导入过程中被修改",
                                  .message_en = "the file changed while it was being imported"});
            const uint32_t hi = found->second;
            if (index_.split[hi]) {
                // Rows of a household scattered through the file wait until the end.
                split_rows[hi].Add(cells, header_, (*table)->row_number());
                continue;
            }
            if (group.size > 0 && code != group_code) {
                if (!emit(group)) return pipeline.Finish(std::nullopt);
                group.clear();
            }
            group_code.assign(code);
            group.Add(cells, header_, (*table)->row_number());
        }
        if (group.size > 0 && !emit(group)) return pipeline.Finish(std::nullopt);
        for (auto& [hi, rows] : split_rows)
            if (!emit(rows)) return pipeline.Finish(std::nullopt);
        if (!batch.empty() && !pipeline.Push(std::move(batch))) return pipeline.Finish(std::nullopt);
        pipeline.Finish(std::nullopt);
    }

    Prepared Prepare(const RowGroup& group) const {
        const std::span<const RawRow> rows = group.rows();
        Prepared p;
        p.rows = static_cast<int64_t>(rows.size());
        p.assembly = AssembleHousehold(rows, context_);
        AddCutCells(group, p.assembly);
        if (p.assembly.household) CheckSharedIds(*p.assembly.household, rows, p.assembly.errors);
        if (p.assembly.household && !options_.scope.empty() &&
            !p.assembly.household->division_code.starts_with(options_.scope))
            p.assembly.errors.push_back({.code = "division_code.out_of_scope",
                                         .field = "division_code",
                                         .message_zh = "行政区划代码" + p.assembly.household->division_code +
                                                       "不在您的管辖范围(" + options_.scope + ")内",
                                         .message_en = "division code " +
                                                       p.assembly.household->division_code +
                                                       " is outside your scope (" + options_.scope + ")",
                                         .row = rows.front().row_number,
                                         .household_code = p.assembly.household->household_code});
        const bool accepted = p.assembly.household && p.assembly.errors.empty();
        if (!accepted || !registry_was_empty_) {
            for (size_t i = 0; i < group.size; ++i) {
                p.row_numbers.push_back(group.raw[i].row_number);
                p.originals.push_back(group.original[i]);
                p.cut.push_back(group.cut[i]);
                auto id = ParseIdNumber(group.raw[i].cells[static_cast<size_t>(Column::kIdNumber)]);
                p.row_ids.push_back(id ? id->value : std::string());
            }
        }
        if (accepted) p.json = HouseholdToJson(*p.assembly.household);
        return p;
    }

    // A cell longer than the limit rejects its household; the value in the error file is cut.
    void AddCutCells(const RowGroup& group, Assembly& assembly) const {
        for (size_t i = 0; i < group.size; ++i) {
            for (const uint32_t cell : group.cut[i]) {
                std::string field = "column " + std::to_string(cell + 1);
                std::string shown = field;
                if (cell < header_.column_of_cell.size() && header_.column_of_cell[cell] >= 0) {
                    const ColumnInfo& info = InfoOf(static_cast<Column>(header_.column_of_cell[cell]));
                    field = std::string(info.en);
                    shown = std::string(info.zh);
                } else if (cell < header_.header.size() && !header_.header[cell].empty()) {
                    shown = header_.header[cell];
                }
                const std::string limit = std::to_string(options_.limits.max_cell_bytes);
                const std::string column = std::to_string(cell + 1);
                assembly.errors.push_back(
                    {.code = "import.cell_too_long",
                     .field = field,
                     .message_zh = "第" + column + "列(" + shown + ")的值超过 " + limit + " 字节的长度限制",
                     .message_en = "the value in column " + column + " (" + field +
                                   ") is longer than the limit of " + limit + " bytes",
                     .row = group.raw[i].row_number,
                     .household_code = group.raw[0].cells[static_cast<size_t>(Column::kHouseholdCode)]});
            }
        }
    }

    // This thread: the registry checks and the writes.
    Result<void> WriteHouseholds(Pipeline& pipeline) {
        std::vector<Prepared> batch;
        while (pipeline.Pop(batch)) {
            if (auto r = table_options_.cancel.Check(FileName()); !r) return r;
            for (Prepared& p : batch)
                if (auto r = Apply(p); !r) return r;
        }
        return {};
    }

    Result<void> Apply(Prepared& p) {
        Assembly& a = p.assembly;
        ++summary_.households.read;
        summary_.persons.read += p.rows;
        if (a.household && a.errors.empty() && !registry_was_empty_)
            if (auto r = CheckRegistryIds(*a.household, p, a.errors); !r) return r;
        for (Error& w : a.warnings) {
            if (summary_.warnings.size() < ImportSummary::kMaxListedIssues)
                summary_.warnings.push_back(std::move(w));
            else
                ++summary_.warnings_omitted;
        }
        if (!a.errors.empty()) return Reject(p, a.errors);
        const Household& h = *a.household;
        summary_.persons.accepted += static_cast<int64_t>(h.members.size());
        if (!registry_was_empty_) {
            auto existing = store_.FindHousehold(h.household_code);
            if (!existing) return std::unexpected(existing.error());
            if (*existing) {
                if (!options_.scope.empty() &&
                    !(*existing)->household.division_code.starts_with(options_.scope)) {
                    std::vector<Error> errors{
                        {.code = "household_code.out_of_scope",
                         .field = "household_code",
                         .message_zh = "户编号" + h.household_code + "已被您管辖范围以外的户使用",
                         .message_en = "household code " + h.household_code +
                                       " belongs to a household outside your scope",
                         .row = p.row_numbers.front(),
                         .household_code = h.household_code}};
                    summary_.persons.accepted -= static_cast<int64_t>(h.members.size());
                    return Reject(p, errors);
                }
                if ((*existing)->household == h) {
                    ++summary_.households.unchanged;
                    return {};
                }
                if ((*existing)->household.pairing_cadre != h.pairing_cadre) pairing_changed_.push_back(h.household_code);
                if (auto r = store_.UpdateHousehold(**existing, h, change_); !r) return r;
                ++summary_.households.updated;
                return {};
            }
        }
        auto id = store_.InsertHouseholdLogged(h, change_, p.json);
        if (!id) return std::unexpected(id.error());
        if (!h.pairing_cadre.empty()) pairing_changed_.push_back(h.household_code);
        ++summary_.households.inserted;
        return {};
    }

    // An ID number in two households of the file rejects every household involved.
    void CheckSharedIds(const Household& h, std::span<const RawRow> rows, std::vector<Error>& errors) const {
        if (index_.shared_ids.empty()) return;
        for (size_t i = 0; i < rows.size(); ++i) {
            auto id = ParseIdNumber(rows[i].cells[static_cast<size_t>(Column::kIdNumber)]);
            if (!id) continue;
            auto it = index_.shared_ids.find(PackIdNumber(id->value));
            if (it == index_.shared_ids.end()) continue;
            std::string others;
            for (uint32_t hi : it->second) {
                if (index_.codes[hi] == h.household_code) continue;
                if (!others.empty()) others += ", ";
                others += index_.codes[hi];
            }
            errors.push_back({.code = "id_number.in_other_household_of_file",
                              .field = "id_number",
                              .message_zh = "证件号码" + id->value + "在本文件的其他户中也出现(" + others +
                                            "),无法判断哪户正确",
                              .message_en = "ID number " + id->value +
                                            " also appears in another household of this file (" + others +
                                            "); the file cannot say which is right",
                              .row = rows[i].row_number,
                              .household_code = h.household_code});
        }
    }

    // 一人多户: a member already registered in another household.
    Result<void> CheckRegistryIds(const Household& h, const Prepared& p, std::vector<Error>& errors) {
        for (const Person& person : h.members) {
            auto other = store_.FindHouseholdOfIdNumber(person.id_number);
            if (!other) return std::unexpected(other.error());
            if (!*other || **other == h.household_code) continue;
            int64_t row = p.row_numbers.front();
            for (size_t i = 0; i < p.row_ids.size(); ++i)
                if (p.row_ids[i] == person.id_number) row = p.row_numbers[i];
            // The other household is named only when the importer may see it (issue 11, finding 9).
            bool visible = options_.scope.empty();
            if (!visible) {
                auto record = store_.FindHousehold(**other);
                if (!record) return std::unexpected(record.error());
                visible = *record && (*record)->household.division_code.starts_with(options_.scope);
            }
            auto [zh, en] =
                visible ? InOtherHouseholdReason(person.id_number, **other) : InHouseholdOutsideScopeReason();
            errors.push_back({.code = "id_number.in_other_household",
                              .field = "id_number",
                              .message_zh = zh,
                              .message_en = en,
                              .row = row,
                              .household_code = h.household_code});
        }
        return {};
    }

    // Counts the household as rejected and writes its rows to the error file as they come, so no
    // rejected row is held in memory.
    Result<void> Reject(const Prepared& p, std::vector<Error>& errors) {
        if (!errors_) errors_.emplace(ErrorsPath(), header_.header, options_.limits.max_cell_bytes);
        ++summary_.households.rejected;
        summary_.persons.rejected += p.rows;
        std::ranges::stable_sort(errors, {}, &Error::row);
        for (size_t i = 0; i < p.row_numbers.size(); ++i) {
            const int64_t row = p.row_numbers[i];
            std::string fields, reasons;
            for (const Error& e : errors) {
                if (e.row != row) continue;
                if (!fields.empty()) {
                    fields += ";";
                    reasons += "; ";
                }
                fields += ShownField(e.field);
                reasons += e.Reason();
            }
            if (fields.empty()) {
                fields = "整户 / household";
                reasons =
                    "同户其他行有错误,整户未导入 / another row of this household has an error; the whole "
                    "household was not imported";
            }
            if (auto r = errors_->Write(p.originals[i], p.cut[i], row, std::move(fields), std::move(reasons)); !r)
                return r;
        }
        for (Error& e : errors) {
            if (summary_.errors.size() < ImportSummary::kMaxListedIssues)
                summary_.errors.push_back(std::move(e));
            else
                ++summary_.errors_omitted;
        }
        return {};
    }

    // A field as the clerk's file names it: a layout column by the file's own header text (证件号码,
    // or id_number when the file's headers are English), or by the layout's Chinese header when the
    // file lacks that column; anything else (household, errors_file) as it is.
    std::string ShownField(const std::string& field) const {
        for (const ColumnInfo& info : Columns()) {
            if (info.en != field) continue;
            for (size_t i = 0; i < header_.column_of_cell.size() && i < header_.header.size(); ++i)
                if (header_.column_of_cell[i] == static_cast<int>(info.column)) return header_.header[i];
            return std::string(info.zh);
        }
        return field;
    }

    std::string ErrorsPath() const {
        return options_.errors_path.empty() ? options_.path + ".errors.csv" : options_.errors_path;
    }
    std::string FileName() const {
        return options_.display_name.empty() ? options_.path : options_.display_name;
    }

    Store& store_;
    AssemblyContext context_;
    const ImportOptions& options_;
    ChangeContext change_;
    HeaderMap header_;
    FileIndex index_;
    bool registry_was_empty_ = false;
    std::vector<std::string> pairing_changed_;  // households whose pairing_cadre text changed
    TableOptions table_options_;
    std::optional<ErrorFile> errors_;  // made at the first rejected household
    ImportSummary summary_;
};

}  // namespace

std::string ImportSummary::ToJson() const {
    boost::json::object o;
    o["import_id"] = import_id;
    o["encoding"] = encoding;
    o["households"] = {{"read", households.read},
                       {"inserted", households.inserted},
                       {"updated", households.updated},
                       {"unchanged", households.unchanged},
                       {"rejected", households.rejected}};
    o["persons"] = {{"read", persons.read}, {"accepted", persons.accepted}, {"rejected", persons.rejected}};
    boost::json::array w, e;
    for (const Error& i : warnings) w.push_back(IssueJson(i));
    for (const Error& i : errors) e.push_back(IssueJson(i));
    o["warnings"] = std::move(w);
    o["errors"] = std::move(e);
    if (warnings_omitted > 0) o["warnings_omitted"] = warnings_omitted;
    if (errors_omitted > 0) o["errors_omitted"] = errors_omitted;
    o["errors_file"] = errors_file.empty() ? boost::json::value(nullptr) : boost::json::value(errors_file);
    return boost::json::serialize(o);
}

Result<ImportSummary> ImportRegistry(Store& store, const Plan& plan, const OrgTree& tree,
                                     const ImportOptions& options) {
    Importer importer(store, plan, tree, options);
    return importer.Run();
}

}  // namespace jz::io
