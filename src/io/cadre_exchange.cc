#include "io/cadre_exchange.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <unordered_set>

#include "core/access.h"
#include "core/code_names_en.h"
#include "core/codes.h"
#include "core/id_number.h"
#include "core/layout.h"
#include "core/pairing.h"
#include "io/error_file.h"

namespace jz::io {
namespace {

// --- The layout ----------------------------------------------------------------------------------

enum CadreCol { kCadreId, kName, kIdNumber, kUnit, kRank, kPhone, kTownship, kActiveFrom, kActiveTo, kColumns };

constexpr std::string_view kCadreIdAliases[] = {"编号", "干部ID"};
constexpr std::string_view kNameAliases[] = {"干部姓名", "帮扶责任人"};
constexpr std::string_view kIdAliases[] = {"身份证号码", "公民身份号码", "证件号码"};
constexpr std::string_view kUnitAliases[] = {"单位", "工作单位及职务"};
constexpr std::string_view kRankAliases[] = {"干部职级", "级别"};
constexpr std::string_view kPhoneAliases[] = {"电话", "手机号码", "联系方式"};
constexpr std::string_view kTownshipAliases[] = {"township", "乡镇", "所在乡镇", "帮扶乡镇"};
constexpr std::string_view kFromAliases[] = {"任职开始日期", "任职起始日期", "任职起始"};
constexpr std::string_view kToAliases[] = {"任职结束日期", "任职截止日期", "任职截止"};

const LedgerColumn kLayout[] = {
    {"干部编号", "cadre_id", false, CellKind::kInteger, kCadreIdAliases},
    {"姓名", "name", true, CellKind::kText, kNameAliases},
    {"身份证号", "id_number", false, CellKind::kText, kIdAliases},
    {"工作单位", "unit", false, CellKind::kText, kUnitAliases},
    {"职级", "rank", false, CellKind::kText, kRankAliases},
    {"联系电话", "phone", false, CellKind::kText, kPhoneAliases},
    {"工作乡镇", "township_code", false, CellKind::kText, kTownshipAliases},
    {"任职起", "active_from", false, CellKind::kDate, kFromAliases},
    {"任职止", "active_to", false, CellKind::kDate, kToAliases},
};
static_assert(std::size(kLayout) == kColumns);

// A header as compared: trimmed, ASCII lower-cased (as the ledger layouts compare theirs).
std::string NormalHeader(std::string_view h) {
    std::string s(TrimCell(h));
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

std::optional<int> ColumnOf(std::string_view header) {
    const std::string h = NormalHeader(header);
    if (h.empty()) return std::nullopt;
    for (size_t i = 0; i < std::size(kLayout); ++i) {
        const LedgerColumn& c = kLayout[i];
        if (h == NormalHeader(c.zh) || h == NormalHeader(c.en)) return static_cast<int>(i);
        for (std::string_view a : c.aliases)
            if (h == NormalHeader(a)) return static_cast<int>(i);
    }
    return std::nullopt;
}

std::string Quote(std::string_view v) { return "\"" + std::string(v) + "\""; }

bool SameAsciiCaseless(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::ranges::equal(a, b, [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

// 职级 by code ("2"), name ("正科"), alias, or English name ("section chief"), case-insensitive.
std::optional<int> ParseRank(std::string_view text) {
    const CodeTable& table = codes::CadreRank();
    if (auto code = table.Parse(text)) return code;
    for (const CodeEntry& e : table.entries) {
        const std::string_view en = codes::CodeNameEn(table.id, e.code);
        if (!en.empty() && SameAsciiCaseless(en, text)) return e.code;
    }
    // Shorter English forms people write.
    constexpr std::pair<std::string_view, int> kEnglish[] = {
        {"county", kRankCounty},          {"county-level", kRankCounty},
        {"section-chief", kRankSectionChief}, {"deputy section and below", kRankDeputyAndBelow},
        {"deputy", kRankDeputyAndBelow},  {"unknown", kRankUnknown}};
    for (const auto& [name, code] : kEnglish)
        if (SameAsciiCaseless(name, text)) return code;
    return std::nullopt;
}

struct CadreRow {
    int64_t row_number = 0;
    std::vector<std::string> cells;  // by layout column, trimmed and formula-unprotected
    std::vector<bool> numeric;
    std::vector<std::string> original;
    std::vector<uint32_t> cut;
};

struct ParsedCadre {
    std::optional<int64_t> cadre_id;
    Cadre cadre;
};

// A row's cells as a cadre; nullopt when a cell cannot be read (`errors` says why).
std::optional<ParsedCadre> ParseRow(const CadreRow& row, const Plan& plan, const OrgTree& tree, bool date1904,
                                    std::vector<Error>& errors) {
    const size_t before = errors.size();
    auto error = [&](int c, std::string code, std::string zh, std::string en) {
        errors.push_back({.code = std::move(code),
                          .field = std::string(kLayout[c].en),
                          .message_zh = std::move(zh),
                          .message_en = std::move(en),
                          .row = row.row_number});
    };
    auto text = [&](int c) -> std::string_view { return row.cells[static_cast<size_t>(c)]; };
    auto numeric = [&](int c) -> bool { return row.numeric[static_cast<size_t>(c)]; };
    auto zh = [](int c) { return std::string(kLayout[c].zh); };
    auto en = [](int c) { return std::string(kLayout[c].en); };
    auto whole = [&](int c) -> std::string_view {
        std::string_view v = text(c);
        if (numeric(c) && v.ends_with(".0")) v.remove_suffix(2);
        return v;
    };

    ParsedCadre out;
    Cadre& cadre = out.cadre;
    if (!text(kCadreId).empty()) {
        const std::string_view v = whole(kCadreId);
        int64_t id = 0;
        auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), id);
        if (ec != std::errc() || p != v.data() + v.size() || id <= 0)
            error(kCadreId, "cadre_id.format", zh(kCadreId) + "应为正整数: " + Quote(v),
                  "cadre_id must be a positive whole number: " + Quote(v));
        else
            out.cadre_id = id;
    }
    cadre.name = std::string(text(kName));
    if (cadre.name.empty()) error(kName, "name.required", "姓名不能为空", "name must not be empty");
    if (!text(kIdNumber).empty()) {
        if (numeric(kIdNumber)) {
            error(kIdNumber, "id_number.numeric_cell",
                  "身份证号" + Quote(text(kIdNumber)) +
                      "是数值单元格,表格软件只保留15位有效数字,可能已被改变;请把该列设为文本格式",
                  "id_number " + Quote(text(kIdNumber)) +
                      " is a numeric cell; spreadsheets keep only 15 significant digits, so it may have changed; "
                      "store the column as text");
        } else if (auto id = ParseIdNumber(text(kIdNumber)); !id) {
            error(kIdNumber, id.error().code, "身份证号" + Quote(text(kIdNumber)) + ": " + id.error().message_zh,
                  "id_number " + Quote(text(kIdNumber)) + ": " + id.error().message_en);
        } else {
            cadre.id_number = id->value;
        }
    }
    cadre.unit = std::string(text(kUnit));
    cadre.rank = kRankUnknown;
    if (!text(kRank).empty()) {
        const std::string_view v = whole(kRank);
        if (auto rank = ParseRank(v))
            cadre.rank = *rank;
        else
            error(kRank, "rank.unknown", "职级" + Quote(v) + "不在代码表(干部职级)中(县级、正科、副科及以下、职级不详)",
                  "rank " + Quote(v) + " is not in the cadre_rank code table (county, section chief, deputy section "
                  "and below, unknown)");
    }
    if (!text(kPhone).empty()) {
        std::string_view v = whole(kPhone);
        if (numeric(kPhone) && (v.find_first_not_of("0123456789") != std::string_view::npos || v.size() > 15))
            error(kPhone, "phone.numeric_cell",
                  "联系电话" + Quote(text(kPhone)) + "是数值单元格,已无法还原;请把该列设为文本格式",
                  "phone " + Quote(text(kPhone)) + " is a numeric cell and cannot be restored; store the column as text");
        else
            cadre.phone = std::string(v);
    }
    if (!text(kTownship).empty()) {
        const std::string_view v = whole(kTownship);
        const OrgUnit* unit = tree.Find(v);
        if (unit == nullptr || unit->level != OrgLevel::kTownship) {
            unit = nullptr;
            for (const OrgUnit* t : tree.AtLevel(OrgLevel::kTownship))
                if (t->name() == v) unit = t;
        }
        if (unit == nullptr)
            error(kTownship, "township_code.unknown", "工作乡镇" + Quote(v) + "不是本县的乡镇(可填乡镇代码或名称)",
                  "township " + Quote(v) + " is not a township of the county (give its code or name)");
        else
            cadre.township_code = unit->code;
    }
    auto date = [&](int c) -> std::optional<Date> {
        std::string_view v = text(c);
        if (v.empty()) return std::nullopt;
        std::optional<Date> d;
        if (!numeric(c)) {
            d = Date::Parse(v);
        } else {
            std::string_view digits = whole(c);
            if (digits.size() == 8 && std::ranges::all_of(digits, [](char ch) { return ch >= '0' && ch <= '9'; })) {
                d = Date::Parse(digits);
            } else {
                double x = 0;
                auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
                if (ec == std::errc() && p == v.data() + v.size() && std::isfinite(x) && x >= 0 && x < 2958466) {
                    const long serial = static_cast<long>(std::floor(x));
                    // Serial 25569 (1900 system) or 24107 (1904 system) is 1970-01-01; Excel's
                    // phantom 1900-02-29 (serial 60) is no day.
                    if (date1904)
                        d = Date::FromDaysSinceEpoch(serial - 24107);
                    else if (serial != 0 && serial != 60)
                        d = Date::FromDaysSinceEpoch(serial < 60 ? serial - 25568 : serial - 25569);
                }
            }
        }
        if (!d)
            error(c, en(c) + ".format", zh(c) + "应为日期 YYYY-MM-DD 或 YYYYMMDD: " + Quote(v),
                  en(c) + " must be a date, YYYY-MM-DD or YYYYMMDD: " + Quote(v));
        return d;
    };
    cadre.active_from = date(kActiveFrom);
    cadre.active_to = date(kActiveTo);
    cadre.division_code = cadre.township_code.empty() ? plan.county_code : cadre.township_code;
    if (errors.size() != before) return std::nullopt;
    return out;
}

// The keys a row is the same cadre by, for finding a cadre twice in one file: its cadre_id and ID
// number when given, else its name and township as typed.
std::vector<std::string> KeysOf(const CadreRow& row) {
    std::vector<std::string> keys;
    if (!row.cells[kCadreId].empty()) {
        std::string_view v = row.cells[kCadreId];
        if (v.ends_with(".0")) v.remove_suffix(2);
        keys.push_back("C\x1f" + std::string(v));
    }
    if (!row.cells[kIdNumber].empty()) {
        auto id = ParseIdNumber(row.cells[kIdNumber]);
        keys.push_back("N\x1f" + (id ? id->value : row.cells[kIdNumber]));
    }
    if (keys.empty()) keys.push_back("T\x1f" + row.cells[kName] + "\x1f" + row.cells[kTownship]);
    return keys;
}

enum class Outcome { kInserted, kUpdated, kUnchanged, kRejected };

class CadreImporter {
  public:
    CadreImporter(Store& store, const Plan& plan, const OrgTree& tree, const ImportOptions& options)
        : store_(store), plan_(plan), tree_(tree), options_(options) {
        summary_.layout = "cadre";
    }

    Result<LedgerImportSummary> Run() {
        table_options_ = ImportTableOptions(options_.sheet, options_.limits, options_.display_name, options_.stop);
        // Pass 1: the header, and every row's keys, so the same cadre twice is found wherever it is.
        auto first = OpenTable(options_.path, table_options_);
        if (!first) return std::unexpected(first.error());
        std::vector<Cell> cells;
        if (auto r = ReadHeader(**first, cells); !r) return std::unexpected(r.error());
        if (auto r = MapHeader(cells); !r) return std::unexpected(r.error());
        summary_.encoding = std::string((*first)->encoding());
        date1904_ = (*first)->date1904();
        {
            std::vector<uint64_t> hashes;
            CadreRow row;
            for (;;) {
                auto more = (*first)->Next(cells);
                if (!more) return std::unexpected(more.error());
                if (!*more) break;
                if (IsBlank(cells)) continue;
                Fill(row, cells, (*first)->row_number(), false);
                for (const std::string& key : KeysOf(row)) hashes.push_back(std::hash<std::string>{}(key));
            }
            std::ranges::sort(hashes);
            for (size_t i = 1; i < hashes.size(); ++i)
                if (hashes[i] == hashes[i - 1]) repeated_.insert(hashes[i]);
        }
        first->reset();

        auto tx = Transaction::Begin(store_);
        if (!tx) return std::unexpected(tx.error());
        auto import_id = store_.BeginImport(FileName(), options_.change);
        if (!import_id) return std::unexpected(import_id.error());
        summary_.import_id = *import_id;
        change_ = options_.change;
        change_.import_id = *import_id;

        // Pass 2: every row checked and written; rows whose keys another row may share wait.
        auto table = OpenTable(options_.path, table_options_);
        if (!table) return std::unexpected(table.error());
        if (auto r = ReadHeader(**table, cells); !r) return std::unexpected(r.error());
        std::vector<CadreRow> waiting;
        CadreRow row;
        for (;;) {
            auto more = (*table)->Next(cells);
            if (!more) return std::unexpected(more.error());
            if (!*more) break;
            if (IsBlank(cells)) continue;
            ++summary_.rows.read;
            Fill(row, cells, (*table)->row_number(), true);
            if (!repeated_.empty() && std::ranges::any_of(KeysOf(row), [&](const std::string& key) {
                    return repeated_.contains(std::hash<std::string>{}(key));
                })) {
                waiting.push_back(row);
                continue;
            }
            if (auto r = Process(row); !r) return std::unexpected(r.error());
            if ((summary_.rows.read & 1023) == 0)
                if (auto r = table_options_.cancel.Check(FileName()); !r) return std::unexpected(r.error());
        }
        if (auto r = ProcessWaiting(waiting); !r) return std::unexpected(r.error());
        if (summary_.rows.read == 0)
            return Fail("import.empty", "file", "文件中没有数据行", "the file has no data rows");
        if (auto r = table_options_.cancel.Check(FileName()); !r) return std::unexpected(r.error());
        if (auto r = CommitImport(store_, *tx, summary_.import_id, summary_.ToJson(), errors_, summary_.errors_file);
            !r)
            return std::unexpected(r.error());
        return std::move(summary_);
    }

  private:
    static bool IsBlank(const std::vector<Cell>& cells) {
        return std::ranges::all_of(cells, [](const Cell& c) { return TrimCell(c.text).empty(); });
    }

    Result<void> ReadHeader(TableReader& reader, std::vector<Cell>& cells) {
        for (;;) {
            auto more = reader.Next(cells);
            if (!more) return std::unexpected(more.error());
            if (!*more) return Fail("import.empty", "file", "文件为空(没有表头行)", "the file is empty (no header row)");
            if (!IsBlank(cells)) return {};
        }
    }

    Result<void> MapHeader(const std::vector<Cell>& cells) {
        std::vector<int> seen(kColumns, -1);
        for (size_t i = 0; i < cells.size(); ++i) {
            const std::string_view h = TrimCell(cells[i].text);
            header_.emplace_back(h);
            auto col = ColumnOf(h);
            if (!col) {
                column_of_cell_.push_back(-1);
                if (!h.empty() && !IsErrorFileHeader(h))
                    AddWarning({.code = "import.unknown_column",
                                .field = std::string(h),
                                .message_zh = "未知列\"" + std::string(h) + "\"已忽略",
                                .message_en = "unknown column \"" + std::string(h) + "\" ignored",
                                .row = 1});
                continue;
            }
            const LedgerColumn& info = kLayout[*col];
            if (seen[*col] >= 0)
                return Fail("import.duplicate_column", std::string(info.en),
                            "列\"" + std::string(info.zh) + "\"出现了两次(第" + std::to_string(seen[*col] + 1) + "和第" +
                                std::to_string(i + 1) + "列)",
                            "column " + std::string(info.en) + " appears twice (columns " +
                                std::to_string(seen[*col] + 1) + " and " + std::to_string(i + 1) + ")");
            seen[*col] = static_cast<int>(i);
            column_of_cell_.push_back(*col);
        }
        std::string missing_zh, missing_en;
        for (size_t c = 0; c < kColumns; ++c) {
            if (!kLayout[c].required || seen[c] >= 0) continue;
            if (!missing_zh.empty()) {
                missing_zh += "、";
                missing_en += ", ";
            }
            missing_zh += kLayout[c].zh;
            missing_en += kLayout[c].en;
        }
        if (!missing_zh.empty())
            return Fail("import.missing_columns", missing_en, "缺少必需的列: " + missing_zh,
                        "required columns are missing: " + missing_en);
        return {};
    }

    void Fill(CadreRow& row, const std::vector<Cell>& cells, int64_t row_number, bool keep_original) const {
        row.row_number = row_number;
        row.cells.assign(kColumns, std::string());
        row.numeric.assign(kColumns, false);
        row.cut.clear();
        if (keep_original) row.original.assign(std::max(cells.size(), header_.size()), std::string());
        for (size_t i = 0; i < cells.size(); ++i) {
            if (keep_original) row.original[i].assign(cells[i].text);
            if (cells[i].cut) row.cut.push_back(static_cast<uint32_t>(i));
            if (i >= column_of_cell_.size() || column_of_cell_[i] < 0) continue;
            const auto c = static_cast<size_t>(column_of_cell_[i]);
            row.cells[c].assign(TrimCell(UnprotectFormula(cells[i].text)));
            row.numeric[c] = cells[i].numeric;
        }
    }

    Result<void> Process(const CadreRow& row) {
        std::vector<Error> errors;
        AddCutCells(row, errors);
        Outcome outcome = Outcome::kRejected;
        if (errors.empty()) {
            auto applied = Apply(row, errors);
            if (!applied) return std::unexpected(applied.error());
            outcome = *applied;
        }
        switch (outcome) {
            case Outcome::kInserted: ++summary_.rows.inserted; return {};
            case Outcome::kUpdated: ++summary_.rows.updated; return {};
            case Outcome::kUnchanged: ++summary_.rows.unchanged; return {};
            case Outcome::kRejected: return Reject(row, errors);
        }
        return {};
    }

    // Rows that may share a key: a key held by two rows rejects both (the file cannot say which is
    // right); the others (a hash collision) are applied.
    Result<void> ProcessWaiting(const std::vector<CadreRow>& waiting) {
        std::map<std::string, std::vector<int64_t>> rows_of;
        for (const CadreRow& row : waiting)
            for (const std::string& key : KeysOf(row)) rows_of[key].push_back(row.row_number);
        for (const CadreRow& row : waiting) {
            std::vector<int64_t> same;
            for (const std::string& key : KeysOf(row))
                if (const auto& rows = rows_of[key]; rows.size() > 1) same.insert(same.end(), rows.begin(), rows.end());
            if (same.empty()) {
                if (auto r = Process(row); !r) return r;
                continue;
            }
            std::ranges::sort(same);
            same.erase(std::unique(same.begin(), same.end()), same.end());
            std::string rows;
            for (int64_t n : same) rows += (rows.empty() ? "" : ", ") + std::to_string(n);
            std::vector<Error> errors{{.code = "import.duplicate_row",
                                       .field = row.cells[kCadreId].empty() && row.cells[kIdNumber].empty()
                                                    ? "name"
                                                    : (row.cells[kIdNumber].empty() ? "cadre_id" : "id_number"),
                                       .message_zh = "文件中第" + rows + "行是同一名干部,无法判断哪一行正确",
                                       .message_en = "rows " + rows +
                                                     " of the file are the same cadre; the file cannot say which is right",
                                       .row = row.row_number}};
            if (auto r = Reject(row, errors); !r) return r;
        }
        return {};
    }

    Error RowError(int64_t row, std::string code, std::string field, std::string zh, std::string en) const {
        return Error{.code = std::move(code),
                     .field = std::move(field),
                     .message_zh = std::move(zh),
                     .message_en = std::move(en),
                     .row = row};
    }

    Result<Outcome> Apply(const CadreRow& row, std::vector<Error>& errors) {
        auto parsed = ParseRow(row, plan_, tree_, date1904_, errors);
        if (!parsed) return Outcome::kRejected;
        Cadre& cadre = parsed->cadre;
        const int64_t n = row.row_number;
        for (Error& e : ValidateCadre(cadre, plan_)) {
            e.row = n;
            errors.push_back(std::move(e));
        }
        if (!errors.empty()) return Outcome::kRejected;
        const std::string& scope = options_.scope;
        if (!scope.empty() && !cadre.division_code.starts_with(scope)) {
            errors.push_back(RowError(n, "cadre.out_of_scope", "township_code",
                                      "干部的工作乡镇不在您的管辖范围(" + scope + ")内",
                                      "the cadre's township is outside your scope (" + scope + ")"));
            return Outcome::kRejected;
        }

        // The stored cadre the row is: by cadre_id, else by ID number, else by (name, township).
        std::optional<CadreRecord> existing;
        if (parsed->cadre_id) {
            auto found = store_.FindCadre(*parsed->cadre_id);
            if (!found) return std::unexpected(found.error());
            if (!*found || !(*found)->cadre.division_code.starts_with(scope)) {
                const std::string id = std::to_string(*parsed->cadre_id);
                errors.push_back(RowError(n, "cadre.not_found", "cadre_id",
                                          "干部编号" + id + "不存在" + (scope.empty() ? "" : "或不在您的管辖范围内"),
                                          "cadre " + id + " does not exist" + (scope.empty() ? "" : " or is outside your scope")));
                return Outcome::kRejected;
            }
            existing = std::move(**found);
        }
        if (!cadre.id_number.empty()) {
            auto holder = store_.FindCadreByIdNumber(cadre.id_number);
            if (!holder) return std::unexpected(holder.error());
            if (*holder && existing && (*holder)->cadre.id != existing->cadre.id) {
                errors.push_back(RowError(n, "id_number.taken", "id_number",
                                          "身份证号已属于另一名干部(干部编号" + std::to_string((*holder)->cadre.id) + ")",
                                          "the ID number belongs to another cadre (cadre_id " +
                                              std::to_string((*holder)->cadre.id) + ")"));
                return Outcome::kRejected;
            }
            if (*holder && !existing) {
                if (!(*holder)->cadre.division_code.starts_with(scope)) {
                    errors.push_back(RowError(n, "id_number.taken", "id_number", "身份证号已属于另一名干部",
                                              "the ID number belongs to another cadre"));
                    return Outcome::kRejected;
                }
                existing = std::move(**holder);
            }
        }
        if (!existing && !parsed->cadre_id && cadre.id_number.empty()) {
            CadreFilter filter;
            filter.name = cadre.name;
            filter.division_prefix = cadre.division_code;
            filter.limit = 100;
            auto named = store_.ListCadres(filter);
            if (!named) return std::unexpected(named.error());
            std::vector<CadreRecord> same;
            for (CadreRecord& r : *named)
                if (r.cadre.township_code == cadre.township_code) same.push_back(std::move(r));
            if (same.size() > 1) {
                errors.push_back(RowError(n, "cadre.ambiguous", "name",
                                          "该乡镇有" + std::to_string(same.size()) + "名干部叫" + cadre.name +
                                              ",请填干部编号或身份证号",
                                          std::to_string(same.size()) + " cadres of the township are named " +
                                              cadre.name + "; give the cadre_id or the ID number"));
                return Outcome::kRejected;
            }
            if (same.size() == 1 && !same.front().cadre.id_number.empty()) {
                errors.push_back(RowError(n, "cadre.id_number_missing", "id_number",
                                          "该乡镇的干部" + cadre.name + "(干部编号" + std::to_string(same.front().cadre.id) +
                                              ")有身份证号,请填写身份证号或干部编号,以免把同名的另一人当作他/她",
                                          "the township's cadre " + cadre.name + " (cadre_id " +
                                              std::to_string(same.front().cadre.id) +
                                              ") has an ID number; give it or the cadre_id, so that another person "
                                              "of the same name is never taken for them"));
                return Outcome::kRejected;
            }
            if (same.size() == 1) existing = std::move(same.front());
        }

        if (existing) {
            cadre.id = existing->cadre.id;
            if (existing->cadre == cadre) return Outcome::kUnchanged;
            if (auto r = store_.UpdateCadre(*existing, cadre, change_); !r) return std::unexpected(r.error());
            return Outcome::kUpdated;
        }
        cadre.id = 0;
        if (auto r = store_.InsertCadre(cadre, change_); !r) return std::unexpected(r.error());
        return Outcome::kInserted;
    }

    void AddCutCells(const CadreRow& row, std::vector<Error>& errors) const {
        for (const uint32_t cell : row.cut) {
            std::string field = "column " + std::to_string(cell + 1);
            std::string shown = field;
            if (cell < column_of_cell_.size() && column_of_cell_[cell] >= 0) {
                field = std::string(kLayout[column_of_cell_[cell]].en);
                shown = header_[cell];
            } else if (cell < header_.size() && !header_[cell].empty()) {
                shown = header_[cell];
            }
            const std::string limit = std::to_string(options_.limits.max_cell_bytes);
            const std::string column = std::to_string(cell + 1);
            errors.push_back({.code = "import.cell_too_long",
                              .field = field,
                              .message_zh = "第" + column + "列(" + shown + ")的值超过 " + limit + " 字节的长度限制",
                              .message_en = "the value in column " + column + " (" + field +
                                            ") is longer than the limit of " + limit + " bytes",
                              .row = row.row_number});
        }
    }

    Result<void> Reject(const CadreRow& row, std::vector<Error>& errors) {
        if (!errors_) errors_.emplace(ErrorsPath(), header_, options_.limits.max_cell_bytes);
        ++summary_.rows.rejected;
        std::string fields, reasons;
        for (const Error& e : errors) {
            if (!fields.empty()) {
                fields += ";";
                reasons += "; ";
            }
            fields += ShownField(e.field);
            reasons += e.Reason();
        }
        if (auto r = errors_->Write(row.original, row.cut, row.row_number, std::move(fields), std::move(reasons)); !r)
            return r;
        for (Error& e : errors) {
            if (e.row == 0) e.row = row.row_number;
            if (summary_.errors.size() < ImportSummary::kMaxListedIssues)
                summary_.errors.push_back(std::move(e));
            else
                ++summary_.errors_omitted;
        }
        return {};
    }

    void AddWarning(Error w) {
        if (summary_.warnings.size() < ImportSummary::kMaxListedIssues)
            summary_.warnings.push_back(std::move(w));
        else
            ++summary_.warnings_omitted;
    }

    // A field as the file names it: the file's own header for a layout column, else the layout's
    // Chinese header.
    std::string ShownField(const std::string& field) const {
        for (size_t c = 0; c < kColumns; ++c) {
            if (kLayout[c].en != field) continue;
            for (size_t i = 0; i < column_of_cell_.size() && i < header_.size(); ++i)
                if (column_of_cell_[i] == static_cast<int>(c)) return header_[i];
            return std::string(kLayout[c].zh);
        }
        return field;
    }

    std::string ErrorsPath() const {
        return options_.errors_path.empty() ? options_.path + ".errors.csv" : options_.errors_path;
    }
    std::string FileName() const { return options_.display_name.empty() ? options_.path : options_.display_name; }

    Store& store_;
    const Plan& plan_;
    const OrgTree& tree_;
    const ImportOptions& options_;
    ChangeContext change_;
    bool date1904_ = false;
    LedgerImportSummary summary_;
    TableOptions table_options_;
    std::vector<int> column_of_cell_;
    std::vector<std::string> header_;
    std::unordered_set<uint64_t> repeated_;
    std::optional<ErrorFile> errors_;
};

}  // namespace

std::span<const LedgerColumn> CadreColumns() { return kLayout; }

Result<LedgerImportSummary> ImportCadres(Store& store, const Plan& plan, const OrgTree& tree,
                                         const ImportOptions& options) {
    CadreImporter importer(store, plan, tree, options);
    return importer.Run();
}

namespace {

Result<std::unique_ptr<TableWriter>> OpenCadreWriter(const std::string& path, LedgerFormat format,
                                                     std::vector<std::string>& header) {
    header.clear();
    XlsxOptions xlsx{.autofilter = true};
    for (const LedgerColumn& c : kLayout) {
        header.emplace_back(c.zh);
        xlsx.kinds.push_back(c.kind);
    }
    switch (format) {
        case LedgerFormat::kXlsx: return CreateXlsxWriter(path, "干部", xlsx);
        case LedgerFormat::kGb18030: return CreateCsvWriter(path, CsvEncoding::kGb18030);
        case LedgerFormat::kCsvNoBom: return CreateCsvWriter(path, CsvEncoding::kUtf8);
        case LedgerFormat::kCsv: break;
    }
    return CreateCsvWriter(path, CsvEncoding::kUtf8Bom);
}

void FormatCadre(const Cadre& c, bool with_id, bool mask, std::vector<std::string>& line) {
    line.assign(kColumns, std::string());
    if (with_id) line[kCadreId] = std::to_string(c.id);
    line[kName] = c.name;
    line[kIdNumber] = mask && !c.id_number.empty() ? MaskIdNumber(c.id_number) : c.id_number;
    line[kUnit] = c.unit;
    const std::string_view rank = codes::CadreRank().NameOf(c.rank);
    line[kRank] = rank.empty() ? std::to_string(c.rank) : std::string(rank);
    line[kPhone] = mask && !c.phone.empty() ? MaskPhone(c.phone) : c.phone;
    line[kTownship] = c.township_code;
    line[kActiveFrom] = c.active_from ? c.active_from->ToString() : std::string();
    line[kActiveTo] = c.active_to ? c.active_to->ToString() : std::string();
}

}  // namespace

Result<int64_t> ExportCadres(Store& store, const CadreExportOptions& options) {
    std::vector<std::string> line;
    auto writer = OpenCadreWriter(options.path, options.format, line);
    if (!writer) return std::unexpected(writer.error());
    if (auto r = (*writer)->WriteRow(line); !r) return std::unexpected(r.error());
    CadreFilter filter;
    filter.division_prefix = options.division_prefix;
    filter.rank = options.rank;
    filter.limit = 10'000;
    int64_t written = 0;
    for (;;) {
        auto page = store.ListCadres(filter);
        if (!page) return std::unexpected(page.error());
        for (const CadreRecord& r : *page) {
            FormatCadre(r.cadre, true, options.mask_personal, line);
            if (auto w = (*writer)->WriteRow(line); !w) return std::unexpected(w.error());
            ++written;
        }
        if (static_cast<int64_t>(page->size()) < filter.limit) break;
        filter.after_id = page->back().cadre.id;
    }
    if (auto r = (*writer)->Close(); !r) return std::unexpected(r.error());
    return written;
}

Result<int64_t> WriteCadres(std::span<const Cadre> cadres, const std::string& path, LedgerFormat format) {
    std::vector<std::string> line;
    auto writer = OpenCadreWriter(path, format, line);
    if (!writer) return std::unexpected(writer.error());
    if (auto r = (*writer)->WriteRow(line); !r) return std::unexpected(r.error());
    for (const Cadre& c : cadres) {
        FormatCadre(c, false, false, line);
        if (auto w = (*writer)->WriteRow(line); !w) return std::unexpected(w.error());
    }
    if (auto r = (*writer)->Close(); !r) return std::unexpected(r.error());
    return static_cast<int64_t>(cadres.size());
}

}  // namespace jz::io
