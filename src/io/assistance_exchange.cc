#include "io/assistance_exchange.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <unordered_set>

#include "core/assistance.h"
#include "core/code_names_en.h"
#include "core/codes.h"
#include "core/id_number.h"
#include "core/layout.h"
#include "io/error_file.h"
#include "io/exporter.h"

namespace jz::io {
namespace {

// --- The layouts ---------------------------------------------------------------------------------

enum ItemCol {
    kItemCode,
    kHouseholdCode,
    kMemberIds,
    kMeasure,
    kCategory,
    kKind,
    kStartDate,
    kEndDate,
    kAmount,
    kPeriodicAmount,
    kPeriod,
    kFundRef,
    kNotes,
    kSignedOn,
    kSignedBy,
    kItemColumns
};

constexpr std::string_view kItemCodeAliases[] = {"台账编号", "项目编号(台账)"};
constexpr std::string_view kMemberAliases[] = {"受益成员证件号码", "受益人身份证号", "受益成员", "受益人证件号码"};
constexpr std::string_view kStartAliases[] = {"帮扶日期", "发放日期"};
constexpr std::string_view kAmountAliases[] = {"金额"};
constexpr std::string_view kFundAliases[] = {"资金编号", "项目编号"};

const LedgerColumn kItemLayout[] = {
    {"帮扶项目编号", "item_code", false, CellKind::kText, kItemCodeAliases},
    {"户编号", "household_code", true, CellKind::kText},
    {"受益成员身份证号", "member_ids", false, CellKind::kText, kMemberAliases},
    {"帮扶措施", "measure", true, CellKind::kText},
    {"帮扶类别", "category", true, CellKind::kText},
    {"帮扶方式", "kind", true, CellKind::kText},
    {"开始日期", "start_date", true, CellKind::kDate, kStartAliases},
    {"结束日期", "end_date", false, CellKind::kDate},
    {"金额(元)", "amount", false, CellKind::kDecimal, kAmountAliases},
    {"周期金额(元)", "periodic_amount", false, CellKind::kDecimal},
    {"发放周期", "period", false, CellKind::kText},
    {"项目或资金编号", "fund_ref", false, CellKind::kText, kFundAliases},
    {"备注", "notes", false, CellKind::kText},
    {"签收日期", "signed_on", false, CellKind::kDate},
    {"签收人", "signed_by", false, CellKind::kText},
};
static_assert(std::size(kItemLayout) == kItemColumns);

enum IncomeCol {
    kIncHousehold,
    kIncYear,
    kIncPersons,
    kIncWage,
    kIncProduction,
    kIncProperty,
    kIncTransfer,
    kIncCosts,
    kIncPerHead,
    kIncNotes,
    kIncomeColumns
};

constexpr std::string_view kYearAliases[] = {"年份", "收入年度"};
constexpr std::string_view kPersonsAliases[] = {"人口数", "家庭人口"};
constexpr std::string_view kProductionAliases[] = {"经营性收入", "家庭经营性收入"};
constexpr std::string_view kCostsAliases[] = {"生产经营性支出", "经营性支出", "生产性支出"};
constexpr std::string_view kPerHeadAliases[] = {"年人均纯收入"};

const LedgerColumn kIncomeLayout[] = {
    {"户编号", "household_code", true, CellKind::kText},
    {"年度", "year", true, CellKind::kInteger, kYearAliases},
    {"家庭人口数", "persons", false, CellKind::kInteger, kPersonsAliases},
    {"工资性收入(元)", "wage", false, CellKind::kDecimal},
    {"生产经营性收入(元)", "production", false, CellKind::kDecimal, kProductionAliases},
    {"财产性收入(元)", "property", false, CellKind::kDecimal},
    {"转移性收入(元)", "transfer", false, CellKind::kDecimal},
    {"生产经营费用(元)", "production_costs", false, CellKind::kDecimal, kCostsAliases},
    {"人均纯收入(元)", "net_income_per_head", false, CellKind::kDecimal, kPerHeadAliases},
    {"备注", "notes", false, CellKind::kText},
};
static_assert(std::size(kIncomeLayout) == kIncomeColumns);

// A header as compared: trimmed, full-width parentheses as ASCII, a trailing "(元)" dropped, ASCII
// lower-cased.
std::string NormalHeader(std::string_view h) {
    std::string s(TrimCell(h));
    for (auto [from, to] : {std::pair<std::string_view, std::string_view>{"（", "("}, {"）", ")"}}) {
        for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at))
            s.replace(at, from.size(), to);
    }
    if (s.ends_with("(元)")) s.resize(s.size() - std::string_view("(元)").size());
    while (!s.empty() && (s.back() == ' ')) s.pop_back();
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

std::optional<int> LayoutColumnOf(std::span<const LedgerColumn> layout, std::string_view header) {
    const std::string h = NormalHeader(header);
    if (h.empty()) return std::nullopt;
    for (size_t i = 0; i < layout.size(); ++i) {
        const LedgerColumn& c = layout[i];
        if (h == NormalHeader(c.zh) || h == NormalHeader(c.en)) return static_cast<int>(i);
        for (std::string_view a : c.aliases)
            if (h == NormalHeader(a)) return static_cast<int>(i);
    }
    return std::nullopt;
}

std::string Quote(std::string_view v) { return "\"" + std::string(v) + "\""; }

// A code by its English name (code_names_en.h: "cash", "monthly"), case-insensitive: English files
// may write them.
std::optional<int> ByEnglishName(const CodeTable& table, std::string_view text) {
    auto same = [](std::string_view a, std::string_view b) {
        return a.size() == b.size() && std::ranges::equal(a, b, [](char x, char y) {
                   return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
               });
    };
    for (const CodeEntry& e : table.entries)
        if (const std::string_view en = codes::CodeNameEn(table.id, e.code); !en.empty() && same(en, text))
            return e.code;
    return std::nullopt;
}

// --- One row as read -----------------------------------------------------------------------------

struct LedgerRow {
    int64_t row_number = 0;
    std::vector<std::string> cells;  // by layout column, trimmed and formula-unprotected
    std::vector<bool> numeric;       // by layout column: an .xlsx number cell
    std::vector<std::string> original;
    std::vector<uint32_t> cut;  // indexes (file cells) cut to max_cell_bytes
};

// Parses cells into values, recording errors that name the layout's field.
class CellParser {
  public:
    CellParser(std::span<const LedgerColumn> layout, const LedgerRow& row, bool date1904,
               std::vector<Error>& errors)
        : layout_(layout), row_(row), date1904_(date1904), errors_(errors) {}

    std::string_view Text(int c) const { return row_.cells[static_cast<size_t>(c)]; }
    bool Numeric(int c) const { return row_.numeric[static_cast<size_t>(c)]; }

    void Error(int c, std::string code, std::string zh, std::string en) {
        errors_.push_back({.code = std::move(code),
                           .field = std::string(layout_[static_cast<size_t>(c)].en),
                           .message_zh = std::move(zh),
                           .message_en = std::move(en),
                           .row = row_.row_number,
                           .household_code = household_code});
    }
    std::string Zh(int c) const { return std::string(layout_[static_cast<size_t>(c)].zh); }
    std::string En(int c) const { return std::string(layout_[static_cast<size_t>(c)].en); }

    bool Required(int c) {
        if (!Text(c).empty()) return true;
        Error(c, En(c) + ".required", Zh(c) + "不能为空", En(c) + " must not be empty");
        return false;
    }

    // An identifier that must be text: a numeric .xlsx cell has lost digits.
    std::optional<std::string> Code(int c, bool required) {
        if (Text(c).empty()) {
            if (required) Required(c);
            return std::nullopt;
        }
        if (Numeric(c)) {
            Error(c, En(c) + ".numeric_cell",
                  Zh(c) + Quote(Text(c)) + "是数值单元格,表格软件只保留15位有效数字,可能已被改变;请把该列设为文本格式",
                  En(c) + " " + Quote(Text(c)) +
                      " is a numeric cell; spreadsheets keep only 15 significant digits, so it may have "
                      "changed; store the column as text");
            return std::nullopt;
        }
        return std::string(Text(c));
    }

    // A code of `table` by code, name or alias.
    std::optional<int> Table(int c, const CodeTable& table, bool required) {
        std::string_view v = Text(c);
        if (v.empty()) {
            if (required) Required(c);
            return std::nullopt;
        }
        if (Numeric(c) && v.ends_with(".0")) v.remove_suffix(2);
        auto code = table.Parse(v);
        if (!code) code = ByEnglishName(table, v);
        if (!code)
            Error(c, En(c) + ".unknown", Zh(c) + "取值" + Quote(v) + "不在代码表(" + std::string(table.label_zh) + ")中",
                  En(c) + " value " + Quote(v) + " is not in the " + std::string(table.id) + " code table");
        return code;
    }

    std::optional<int> Measure(int c, const Plan& plan) {
        std::string_view v = Text(c);
        if (v.empty()) {
            Required(c);
            return std::nullopt;
        }
        if (Numeric(c) && v.ends_with(".0")) v.remove_suffix(2);
        auto m = plan.ParseMeasure(v);
        if (!m)
            Error(c, "measure.unknown", "计划中没有帮扶措施" + Quote(v) + "(可填编号、名称或英文名称)",
                  "the plan has no measure " + Quote(v) + " (give its number, name or English name)");
        return m;
    }

    std::optional<int> Integer(int c, bool required) {
        std::string_view v = Text(c);
        if (v.empty()) {
            if (required) Required(c);
            return std::nullopt;
        }
        if (Numeric(c) && v.ends_with(".0")) v.remove_suffix(2);
        int value = 0;
        auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
        if (ec != std::errc() || p != v.data() + v.size()) {
            Error(c, En(c) + ".format", Zh(c) + "应为整数: " + Quote(v), En(c) + " must be a whole number: " + Quote(v));
            return std::nullopt;
        }
        return value;
    }

    // Yuan with at most two decimals, in fen; an .xlsx number cell rounded to the fen.
    std::optional<Fen> Money(int c) {
        std::string_view v = Text(c);
        if (v.empty()) return std::nullopt;
        std::optional<Fen> value;
        if (Numeric(c)) {
            double d = 0;
            auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
            if (ec == std::errc() && p == v.data() + v.size() && std::isfinite(d) && std::fabs(d) < 1e13)
                value = static_cast<Fen>(std::llround(d * 100));
        } else {
            value = ParseCenti(v);
        }
        if (!value) {
            Error(c, En(c) + ".format", Zh(c) + "应为金额(元,最多两位小数): " + Quote(v),
                  En(c) + " must be an amount in yuan with at most two decimals: " + Quote(v));
            failed_money = true;
        }
        return value;
    }

    // YYYY-MM-DD or YYYYMMDD text; an .xlsx number YYYYMMDD or a date serial (1900 system, or the
    // workbook's 1904 system), as the registry's birth dates (import-format.md).
    std::optional<Date> DateCell(int c, bool required) {
        std::string_view v = Text(c);
        if (v.empty()) {
            if (required) Required(c);
            return std::nullopt;
        }
        std::optional<Date> d;
        if (!Numeric(c)) {
            d = Date::Parse(v);
        } else {
            std::string_view digits = v;
            if (digits.ends_with(".0")) digits.remove_suffix(2);
            if (digits.size() == 8 && std::ranges::all_of(digits, [](char ch) { return ch >= '0' && ch <= '9'; })) {
                d = Date::Parse(digits);
            } else {
                double x = 0;
                auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
                if (ec == std::errc() && p == v.data() + v.size() && std::isfinite(x) && x >= 0 && x < 2958466) {
                    const long serial = static_cast<long>(std::floor(x));
                    // Serial 25569 (1900 system) or 24107 (1904 system) is 1970-01-01; Excel's
                    // phantom 1900-02-29 (serial 60) is no day.
                    if (date1904_)
                        d = Date::FromDaysSinceEpoch(serial - 24107);
                    else if (serial != 0 && serial != 60)
                        d = Date::FromDaysSinceEpoch(serial < 60 ? serial - 25568 : serial - 25569);
                }
            }
        }
        if (!d)
            Error(c, En(c) + ".format", Zh(c) + "应为日期 YYYY-MM-DD 或 YYYYMMDD: " + Quote(v),
                  En(c) + " must be a date, YYYY-MM-DD or YYYYMMDD: " + Quote(v));
        return d;
    }

    std::string household_code;
    bool failed_money = false;

  private:
    std::span<const LedgerColumn> layout_;
    const LedgerRow& row_;
    bool date1904_;
    std::vector<jz::Error>& errors_;
};

// An item from a row; nullopt when a cell could not be read (the errors say why).
std::optional<AssistanceItem> ParseItem(const LedgerRow& row, const Plan& plan, bool date1904,
                                        std::vector<Error>& errors) {
    const size_t before = errors.size();
    CellParser p(kItemLayout, row, date1904, errors);
    AssistanceItem item;
    if (auto v = p.Code(kHouseholdCode, true)) item.household_code = *v;
    p.household_code = item.household_code;
    if (auto v = p.Code(kItemCode, false)) item.item_code = *v;
    if (!p.Text(kMemberIds).empty()) {
        if (p.Numeric(kMemberIds)) {
            p.Code(kMemberIds, false);
        } else {
            for (std::string_view part : SplitList(p.Text(kMemberIds))) {
                auto id = ParseIdNumber(part);
                if (!id) {
                    p.Error(kMemberIds, id.error().code, "受益成员身份证号" + Quote(part) + ": " + id.error().message_zh,
                            "member_ids " + Quote(part) + ": " + id.error().message_en);
                    continue;
                }
                item.member_ids.push_back(id->value);
            }
            std::ranges::sort(item.member_ids);
            item.member_ids.erase(std::unique(item.member_ids.begin(), item.member_ids.end()),
                                  item.member_ids.end());
        }
    }
    if (auto v = p.Measure(kMeasure, plan)) item.measure = *v;
    if (auto v = p.Table(kCategory, codes::AssistanceCategory(), true)) item.category = *v;
    if (auto v = p.Table(kKind, codes::AssistanceKind(), true)) item.kind = *v;
    if (auto v = p.DateCell(kStartDate, true)) item.start_date = *v;
    item.end_date = p.DateCell(kEndDate, false);
    item.amount = p.Money(kAmount);
    item.periodic_amount = p.Money(kPeriodicAmount);
    item.period = p.Table(kPeriod, codes::AssistancePeriod(), false);
    item.fund_ref = std::string(p.Text(kFundRef));
    item.notes = row.cells[kNotes];
    item.signed_on = p.DateCell(kSignedOn, false);
    item.signed_by = std::string(p.Text(kSignedBy));
    if (errors.size() != before) return std::nullopt;
    return item;
}

struct ParsedIncome {
    IncomeRecord record;
    bool persons_given = false;
    std::optional<Fen> per_head;  // as typed
};

std::optional<ParsedIncome> ParseIncome(const LedgerRow& row, bool date1904, std::vector<Error>& errors) {
    const size_t before = errors.size();
    CellParser p(kIncomeLayout, row, date1904, errors);
    ParsedIncome out;
    IncomeRecord& r = out.record;
    if (auto v = p.Code(kIncHousehold, true)) r.household_code = *v;
    p.household_code = r.household_code;
    if (auto v = p.Integer(kIncYear, true)) r.year = *v;
    if (auto v = p.Integer(kIncPersons, false)) {
        r.persons = *v;  // ValidateIncome: at least 1
        out.persons_given = true;
    }
    r.wage = p.Money(kIncWage);
    r.production = p.Money(kIncProduction);
    r.property = p.Money(kIncProperty);
    r.transfer = p.Money(kIncTransfer);
    r.production_costs = p.Money(kIncCosts);
    out.per_head = p.Money(kIncPerHead);
    r.notes = row.cells[kIncNotes];
    if (errors.size() != before) return std::nullopt;
    return out;
}

// The item code made for the household's `number`th item: "<household_code>-NNN".
std::string MakeItemCode(const std::string& household_code, int number) {
    char digits[16];
    std::snprintf(digits, sizeof digits, "%03d", number);
    return household_code + "-" + digits;
}

// The number of a code "<household_code>-NNN", else 0.
int NumberOfCode(const std::string& code, const std::string& household_code) {
    if (code.size() <= household_code.size() + 1 || !code.starts_with(household_code) ||
        code[household_code.size()] != '-')
        return 0;
    int n = 0;
    const char* b = code.data() + household_code.size() + 1;
    auto [p, ec] = std::from_chars(b, code.data() + code.size(), n);
    return ec == std::errc() && p == code.data() + code.size() ? n : 0;
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

// --- The import, whichever layout ----------------------------------------------------------------

enum class Outcome { kInserted, kUpdated, kUnchanged, kRejected };

// What a layout adds to the shared reading, checking and error file.
class LedgerImporter {
  public:
    LedgerImporter(Store& store, const Plan& plan, const ImportOptions& options, std::span<const LedgerColumn> layout,
                   std::string layout_name)
        : store_(store), plan_(plan), options_(options), layout_(layout) {
        summary_.layout = std::move(layout_name);
    }
    virtual ~LedgerImporter() = default;

    Result<LedgerImportSummary> Run() {
        table_options_ = ImportTableOptions(options_.sheet, options_.limits, options_.display_name, options_.stop);

        // Pass 1: the header, and every row's key (the item or the household and year), so that the
        // same item twice in the file is found whatever rows lie between.
        auto first = OpenTable(options_.path, table_options_);
        if (!first) return std::unexpected(first.error());
        std::vector<Cell> cells;
        if (auto r = ReadHeader(**first, cells); !r) return std::unexpected(r.error());
        if (auto r = MapHeader(cells); !r) return std::unexpected(r.error());
        summary_.encoding = std::string((*first)->encoding());
        date1904_ = (*first)->date1904();
        {
            std::vector<uint64_t> hashes;
            LedgerRow row;
            std::vector<Error> ignored;
            for (;;) {
                auto more = (*first)->Next(cells);
                if (!more) return std::unexpected(more.error());
                if (!*more) break;
                if (IsBlank(cells)) continue;
                Fill(row, cells, (*first)->row_number(), false);
                ignored.clear();
                if (auto key = KeyOf(row, ignored)) hashes.push_back(std::hash<std::string>{}(*key));
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

        // Pass 2: every row checked and written; rows whose key another row may share wait for the end.
        auto table = OpenTable(options_.path, table_options_);
        if (!table) return std::unexpected(table.error());
        if (auto r = ReadHeader(**table, cells); !r) return std::unexpected(r.error());
        std::vector<std::pair<std::string, LedgerRow>> waiting;
        LedgerRow row;
        for (;;) {
            auto more = (*table)->Next(cells);
            if (!more) return std::unexpected(more.error());
            if (!*more) break;
            if (IsBlank(cells)) continue;
            ++summary_.rows.read;
            Fill(row, cells, (*table)->row_number(), true);
            if (!repeated_.empty()) {
                std::vector<Error> ignored;
                if (auto key = KeyOf(row, ignored); key && repeated_.contains(std::hash<std::string>{}(*key))) {
                    waiting.emplace_back(std::move(*key), row);
                    continue;
                }
            }
            if (auto r = Process(row); !r) return std::unexpected(r.error());
            if ((summary_.rows.read & 1023) == 0)
                if (auto r = table_options_.cancel.Check(FileName()); !r) return std::unexpected(r.error());
        }
        if (auto r = ProcessWaiting(waiting); !r) return std::unexpected(r.error());
        if (summary_.rows.read == 0)
            return Fail("import.empty", "file", "文件中没有数据行", "the file has no data rows");
        if (auto r = table_options_.cancel.Check(FileName()); !r) return std::unexpected(r.error());
        // The error file takes its name just before the commit, and loses it if the commit fails.
        if (auto r = CommitImport(store_, *tx, summary_.import_id, summary_.ToJson(), errors_, summary_.errors_file);
            !r)
            return std::unexpected(r.error());
        return std::move(summary_);
    }

  protected:
    // The row's identity in the file (same key: same record), nullopt when it cannot be read.
    virtual std::optional<std::string> KeyOf(const LedgerRow& row, std::vector<Error>& errors) const = 0;
    // Checks the row and writes it; `errors` gets every reason when it is rejected.
    virtual Result<Outcome> Apply(const LedgerRow& row, std::vector<Error>& errors) = 0;
    // The field that names a row's identity (for import.duplicate_row).
    virtual std::string KeyField() const = 0;

    // The household a row names, looked up once for consecutive rows of the same household.
    struct HouseholdLookup {
        std::optional<Household> household;  // registered now
        bool deregistered = false;
        bool in_scope = false;
    };
    Result<const HouseholdLookup*> LookUp(const std::string& code) {
        if (cached_code_ && *cached_code_ == code) return &cached_;
        cached_code_.reset();
        cached_ = {};
        auto found = store_.FindHousehold(code);
        if (!found) return std::unexpected(found.error());
        if (*found) {
            cached_.household = std::move((*found)->household);
            cached_.in_scope = cached_.household->division_code.starts_with(options_.scope);
        } else {
            auto gone = store_.IsDeregistered(code);
            if (!gone) return std::unexpected(gone.error());
            cached_.deregistered = *gone;
        }
        cached_code_ = code;
        return &cached_;
    }

    // Why a row's household cannot take it: not registered (or outside the scope: the same words,
    // so a file cannot probe other units), or deregistered. nullopt when it can.
    std::optional<Error> HouseholdProblem(const HouseholdLookup& h, const std::string& code, int64_t row,
                                          std::string_view existing_division) const {
        if (h.household && h.in_scope) return std::nullopt;
        const bool visible = options_.scope.empty() || (!existing_division.empty() &&
                                                         existing_division.starts_with(options_.scope));
        if (h.deregistered && visible)
            return Error{.code = "household.deregistered",
                         .field = "household_code",
                         .message_zh = "户" + code + "已销户,其台账只读",
                         .message_en = "household " + code + " was deregistered; its ledger is read-only",
                         .row = row,
                         .household_code = code};
        const std::string where_zh = options_.scope.empty() ? "" : "或不在您的管辖范围(" + options_.scope + ")内";
        const std::string where_en = options_.scope.empty() ? "" : " or is outside your scope (" + options_.scope + ")";
        return Error{.code = "household.not_found",
                     .field = "household_code",
                     .message_zh = "户编号" + code + "未登记" + where_zh,
                     .message_en = "household " + code + " is not registered" + where_en,
                     .row = row,
                     .household_code = code};
    }

    Store& store_;
    const Plan& plan_;
    const ImportOptions& options_;
    ChangeContext change_;
    bool date1904_ = false;
    LedgerImportSummary summary_;

  private:
    static bool IsBlank(const std::vector<Cell>& cells) {
        return std::ranges::all_of(cells, [](const Cell& c) { return TrimCell(c.text).empty(); });
    }

    Result<void> ReadHeader(TableReader& reader, std::vector<Cell>& cells) {
        for (;;) {
            auto more = reader.Next(cells);
            if (!more) return std::unexpected(more.error());
            if (!*more)
                return Fail("import.empty", "file", "文件为空(没有表头行)", "the file is empty (no header row)");
            if (!IsBlank(cells)) return {};
        }
    }

    Result<void> MapHeader(const std::vector<Cell>& cells) {
        std::vector<int> seen(layout_.size(), -1);
        column_of_cell_.clear();
        header_.clear();
        for (size_t i = 0; i < cells.size(); ++i) {
            const std::string_view h = TrimCell(cells[i].text);
            header_.emplace_back(h);
            auto col = LayoutColumnOf(layout_, h);
            if (!col) {
                column_of_cell_.push_back(-1);
                if (!h.empty() && !IsErrorFileHeader(h)) AddWarning({.code = "import.unknown_column",
                                                                      .field = std::string(h),
                                                                      .message_zh = "未知列\"" + std::string(h) + "\"已忽略",
                                                                      .message_en = "unknown column \"" + std::string(h) + "\" ignored",
                                                                      .row = 1});
                continue;
            }
            const LedgerColumn& info = layout_[static_cast<size_t>(*col)];
            if (seen[static_cast<size_t>(*col)] >= 0)
                return Fail("import.duplicate_column", std::string(info.en),
                            "列\"" + std::string(info.zh) + "\"出现了两次(第" +
                                std::to_string(seen[static_cast<size_t>(*col)] + 1) + "和第" + std::to_string(i + 1) + "列)",
                            "column " + std::string(info.en) + " appears twice (columns " +
                                std::to_string(seen[static_cast<size_t>(*col)] + 1) + " and " + std::to_string(i + 1) + ")");
            seen[static_cast<size_t>(*col)] = static_cast<int>(i);
            column_of_cell_.push_back(*col);
        }
        std::string missing_zh, missing_en;
        for (size_t c = 0; c < layout_.size(); ++c) {
            if (!layout_[c].required || seen[c] >= 0) continue;
            if (!missing_zh.empty()) {
                missing_zh += "、";
                missing_en += ", ";
            }
            missing_zh += layout_[c].zh;
            missing_en += layout_[c].en;
        }
        if (!missing_zh.empty())
            return Fail("import.missing_columns", missing_en, "缺少必需的列: " + missing_zh,
                        "required columns are missing: " + missing_en);
        return {};
    }

    void Fill(LedgerRow& row, const std::vector<Cell>& cells, int64_t row_number, bool keep_original) const {
        row.row_number = row_number;
        row.cells.assign(layout_.size(), std::string());
        row.numeric.assign(layout_.size(), false);
        row.cut.clear();
        if (keep_original) row.original.resize(std::max(cells.size(), header_.size()));
        for (size_t i = 0; i < cells.size(); ++i) {
            if (keep_original) row.original[i].assign(cells[i].text);
            if (cells[i].cut) row.cut.push_back(static_cast<uint32_t>(i));
            if (i >= column_of_cell_.size() || column_of_cell_[i] < 0) continue;
            const auto c = static_cast<size_t>(column_of_cell_[i]);
            // A value our CSV export protected from formula evaluation ("'=...") comes back as it
            // was. Free text (notes) keeps its spaces; everything else is trimmed.
            std::string_view v = UnprotectFormula(cells[i].text);
            row.cells[c].assign(layout_[c].en == "notes" ? v : TrimCell(v));
            row.numeric[c] = cells[i].numeric;
        }
        if (keep_original)
            for (size_t i = cells.size(); i < row.original.size(); ++i) row.original[i].clear();
    }

    Result<void> Process(const LedgerRow& row) {
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

    // Rows with a key some other row may share: the same key twice rejects every row that has it
    // (the file cannot say which is right); a key held by one row only (a hash collision) is applied.
    Result<void> ProcessWaiting(std::vector<std::pair<std::string, LedgerRow>>& waiting) {
        std::stable_sort(waiting.begin(), waiting.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        for (size_t i = 0; i < waiting.size();) {
            size_t j = i + 1;
            while (j < waiting.size() && waiting[j].first == waiting[i].first) ++j;
            if (j == i + 1) {
                if (auto r = Process(waiting[i].second); !r) return r;
            } else {
                std::string rows;
                for (size_t k = i; k < j; ++k) rows += (rows.empty() ? "" : ", ") + std::to_string(waiting[k].second.row_number);
                for (size_t k = i; k < j; ++k) {
                    const LedgerRow& row = waiting[k].second;
                    std::vector<Error> errors{
                        {.code = "import.duplicate_row",
                         .field = KeyField(),
                         .message_zh = "文件中第" + rows + "行是同一条记录,无法判断哪一行正确",
                         .message_en = "rows " + rows + " of the file are the same record; the file cannot say which is right",
                         .row = row.row_number,
                         .household_code = HouseholdOf(row)}};
                    if (auto r = Reject(row, errors); !r) return r;
                }
            }
            i = j;
        }
        return {};
    }

    virtual std::string HouseholdOf(const LedgerRow& row) const = 0;

    void AddCutCells(const LedgerRow& row, std::vector<Error>& errors) const {
        for (const uint32_t cell : row.cut) {
            std::string field = "column " + std::to_string(cell + 1);
            std::string shown = field;
            if (cell < column_of_cell_.size() && column_of_cell_[cell] >= 0) {
                field = std::string(layout_[static_cast<size_t>(column_of_cell_[cell])].en);
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
                              .row = row.row_number,
                              .household_code = HouseholdOf(row)});
        }
    }

    Result<void> Reject(const LedgerRow& row, std::vector<Error>& errors) {
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

    // A field as the file names it: the file's own header for a layout column (受益成员身份证号, or
    // member_ids in an English file), the layout's Chinese header when the file lacks it.
    std::string ShownField(const std::string& field) const {
        for (size_t c = 0; c < layout_.size(); ++c) {
            if (layout_[c].en != field) continue;
            for (size_t i = 0; i < column_of_cell_.size() && i < header_.size(); ++i)
                if (column_of_cell_[i] == static_cast<int>(c)) return header_[i];
            return std::string(layout_[c].zh);
        }
        return field;
    }

    std::string ErrorsPath() const {
        return options_.errors_path.empty() ? options_.path + ".errors.csv" : options_.errors_path;
    }
    std::string FileName() const { return options_.display_name.empty() ? options_.path : options_.display_name; }

    std::span<const LedgerColumn> layout_;
    TableOptions table_options_;
    std::vector<int> column_of_cell_;
    std::vector<std::string> header_;
    std::unordered_set<uint64_t> repeated_;
    std::optional<ErrorFile> errors_;
    std::optional<std::string> cached_code_;
    HouseholdLookup cached_;
};

class ItemImporter final : public LedgerImporter {
  public:
    ItemImporter(Store& store, const Plan& plan, const ImportOptions& options)
        : LedgerImporter(store, plan, options, kItemLayout, "assistance") {}

  private:
    std::optional<std::string> KeyOf(const LedgerRow& row, std::vector<Error>& errors) const override {
        if (!row.cells[kItemCode].empty() && !row.numeric[kItemCode]) return "C\x1f" + row.cells[kItemCode];
        auto item = ParseItem(row, plan_, date1904_, errors);
        // Only rows that pass the checks of their own can be the same item as another.
        if (!item || !ValidateItem(*item, plan_).empty()) return std::nullopt;
        return "N\x1f" + NaturalKeyOf(*item);
    }
    std::string KeyField() const override { return "item_code"; }
    std::string HouseholdOf(const LedgerRow& row) const override { return row.cells[kHouseholdCode]; }

    Result<Outcome> Apply(const LedgerRow& row, std::vector<Error>& errors) override {
        auto parsed = ParseItem(row, plan_, date1904_, errors);
        if (!parsed) return Outcome::kRejected;
        AssistanceItem& item = *parsed;
        const int64_t n = row.row_number;
        auto stamp = [&](std::vector<Error> found) {
            for (Error& e : found) {
                e.row = n;
                e.household_code = item.household_code;
                errors.push_back(std::move(e));
            }
        };
        stamp(ValidateItem(item, plan_));
        if (!errors.empty()) return Outcome::kRejected;

        // The stored item it is: by its code, else by its natural key.
        std::optional<AssistanceRecord> existing;
        if (!item.item_code.empty()) {
            auto found = store_.FindAssistance(item.item_code);
            if (!found) return std::unexpected(found.error());
            existing = std::move(*found);
        } else {
            auto fresh = Fresh(item.household_code);
            if (!fresh) return std::unexpected(fresh.error());
            if (!*fresh) {
                auto found = store_.FindAssistanceByNaturalKey(item.household_code, NaturalKeyOf(item));
                if (!found) return std::unexpected(found.error());
                existing = std::move(*found);
                if (existing) item.item_code = existing->item.item_code;
            }
        }
        auto household = LookUp(item.household_code);
        if (!household) return std::unexpected(household.error());
        const HouseholdLookup& h = **household;
        if (existing && existing->item.household_code != item.household_code) {
            errors.push_back({.code = "item_code.other_household",
                              .field = "item_code",
                              .message_zh = "帮扶项目编号" + item.item_code + "已属于另一户的帮扶项目",
                              .message_en = "item code " + item.item_code + " belongs to another household's item",
                              .row = n,
                              .household_code = item.household_code});
            return Outcome::kRejected;
        }
        if (auto problem = HouseholdProblem(h, item.household_code, n, existing ? existing->division_code : "")) {
            // A deregistered household's items are read-only: its exported rows come back unchanged.
            const bool same = existing && !existing->deleted && existing->item == item &&
                              problem->code == "household.deregistered";
            if (same) return Outcome::kUnchanged;
            errors.push_back(std::move(*problem));
            return Outcome::kRejected;
        }
        if (existing && existing->deleted) {
            errors.push_back({.code = "assistance.deleted",
                              .field = "item_code",
                              .message_zh = "帮扶项目" + item.item_code + "已删除(" + existing->delete_reason + "),不能再修改",
                              .message_en = "item " + item.item_code + " was deleted (" + existing->delete_reason +
                                            ") and cannot change",
                              .row = n,
                              .household_code = item.household_code});
            return Outcome::kRejected;
        }
        stamp(ValidateItemMembers(item, *h.household));
        if (!errors.empty()) return Outcome::kRejected;

        if (existing) {
            if (existing->item == item && existing->division_code == h.household->division_code)
                return Outcome::kUnchanged;
            AssistanceRecord after = *existing;
            after.item = std::move(item);
            after.division_code = h.household->division_code;
            after.version = existing->version + 1;
            if (auto r = store_.UpdateAssistance(*existing, after, change_); !r) return std::unexpected(r.error());
            return Outcome::kUpdated;
        }
        if (item.item_code.empty()) {
            if (numbered_household_ != item.household_code) {
                int last = 0;  // a household without items has no codes yet
                if (!(fresh_household_ == item.household_code && fresh_)) {
                    auto stored = store_.LastAssistanceNumber(item.household_code);
                    if (!stored) return std::unexpected(stored.error());
                    last = *stored;
                }
                numbered_household_ = item.household_code;
                last_number_ = last;
            }
            item.item_code = MakeItemCode(item.household_code, ++last_number_);
        } else {
            if (numbered_household_ == item.household_code)
                last_number_ = std::max(last_number_, NumberOfCode(item.item_code, item.household_code));
            // A row without a code may now match this item by its natural key.
            if (fresh_household_ == item.household_code) fresh_ = false;
        }
        AssistanceRecord record{.version = 1, .division_code = h.household->division_code, .item = std::move(item)};
        if (auto r = store_.InsertAssistance(record, change_); !r) return std::unexpected(r.error());
        return Outcome::kInserted;
    }

    // Did the household have no items at all when the import first came to it (then, and until a
    // row with its own code is inserted for it, a row without a code cannot match a stored item:
    // two such rows with the same natural key are import.duplicate_row, held back to the end)?
    // Saves the natural-key lookup and the last-number query per item of a new ledger.
    Result<bool> Fresh(const std::string& household_code) {
        if (fresh_household_ != household_code) {
            auto count = store_.CountAssistance({.household_code = household_code, .include_deleted = true});
            if (!count) return std::unexpected(count.error());
            fresh_household_ = household_code;
            fresh_ = *count == 0;
        }
        return fresh_;
    }

    std::string numbered_household_;
    int last_number_ = 0;
    std::string fresh_household_;
    bool fresh_ = false;
};

class IncomeImporter final : public LedgerImporter {
  public:
    IncomeImporter(Store& store, const Plan& plan, const ImportOptions& options)
        : LedgerImporter(store, plan, options, kIncomeLayout, "income") {}

  private:
    std::optional<std::string> KeyOf(const LedgerRow& row, std::vector<Error>& errors) const override {
        auto parsed = ParseIncome(row, date1904_, errors);
        if (!parsed) return std::nullopt;
        return parsed->record.household_code + "\x1f" + std::to_string(parsed->record.year);
    }
    std::string KeyField() const override { return "year"; }
    std::string HouseholdOf(const LedgerRow& row) const override { return row.cells[kIncHousehold]; }

    Result<Outcome> Apply(const LedgerRow& row, std::vector<Error>& errors) override {
        auto parsed = ParseIncome(row, date1904_, errors);
        if (!parsed) return Outcome::kRejected;
        IncomeRecord& record = parsed->record;
        const int64_t n = row.row_number;
        auto existing = store_.FindIncome(record.household_code, record.year);
        if (!existing) return std::unexpected(existing.error());
        auto household = LookUp(record.household_code);
        if (!household) return std::unexpected(household.error());
        const HouseholdLookup& h = **household;
        auto problem = HouseholdProblem(h, record.household_code, n, *existing ? (*existing)->division_code : "");
        if (problem && !(problem->code == "household.deregistered" && *existing)) {
            errors.push_back(std::move(*problem));
            return Outcome::kRejected;
        }
        if (!parsed->persons_given) {
            if (h.household)
                record.persons = static_cast<int>(h.household->members.size());
            else if (*existing)
                record.persons = (*existing)->record.persons;
        }
        // 人均纯收入: typed only without parts; with parts it must be what they give.
        if (parsed->per_head) {
            if (record.has_parts()) {
                const std::optional<Fen> computed = record.persons >= 1 ? NetIncomePerHead(record) : std::nullopt;
                if (computed && *computed != *parsed->per_head)
                    errors.push_back({.code = "income.per_head_mismatch",
                                      .field = "net_income_per_head",
                                      .message_zh = "人均纯收入" + FormatCenti(*parsed->per_head) + "与各项收入算出的" +
                                                    FormatCenti(*computed) + "不符(收入项已填时人均纯收入由其计算,可留空)",
                                      .message_en = "net_income_per_head " + FormatCenti(*parsed->per_head) +
                                                    " differs from " + FormatCenti(*computed) +
                                                    " computed from the parts (with parts given it is computed; "
                                                    "leave it empty)",
                                      .row = n,
                                      .household_code = record.household_code});
            } else {
                record.typed_per_head = parsed->per_head;
            }
        }
        for (Error& e : ValidateIncome(record)) {
            e.row = n;
            e.household_code = record.household_code;
            errors.push_back(std::move(e));
        }
        if (!errors.empty()) return Outcome::kRejected;
        if (problem) {
            if (*existing && (*existing)->record == record && problem->code == "household.deregistered")
                return Outcome::kUnchanged;
            errors.push_back(std::move(*problem));
            return Outcome::kRejected;
        }
        if (*existing && (*existing)->record == record && (*existing)->division_code == h.household->division_code)
            return Outcome::kUnchanged;
        auto put = store_.PutIncome(record, h.household->division_code,
                                    *existing ? std::optional<int64_t>((*existing)->version) : std::optional<int64_t>(0),
                                    change_);
        if (!put) return std::unexpected(put.error());
        return *existing ? Outcome::kUpdated : Outcome::kInserted;
    }
};

// --- Export --------------------------------------------------------------------------------------

Result<std::unique_ptr<TableWriter>> OpenWriter(const std::string& path, LedgerFormat format,
                                                std::span<const LedgerColumn> layout, const std::string& sheet,
                                                std::vector<std::string>& header) {
    header.clear();
    XlsxOptions xlsx{.autofilter = true};
    for (const LedgerColumn& c : layout) {
        header.emplace_back(c.zh);
        xlsx.kinds.push_back(c.kind);
    }
    switch (format) {
        case LedgerFormat::kXlsx: return CreateXlsxWriter(path, sheet, xlsx);
        case LedgerFormat::kGb18030: return CreateCsvWriter(path, CsvEncoding::kGb18030);
        case LedgerFormat::kCsvNoBom: return CreateCsvWriter(path, CsvEncoding::kUtf8);
        case LedgerFormat::kCsv: break;
    }
    return CreateCsvWriter(path, CsvEncoding::kUtf8Bom);
}

std::string OptionalCenti(const std::optional<Fen>& v) { return v ? FormatCenti(*v) : std::string(); }
std::string OptionalDate(const std::optional<Date>& d) { return d ? d->ToString() : std::string(); }

void FormatItem(const AssistanceItem& item, const Plan& plan, std::vector<std::string>& line) {
    line.assign(kItemColumns, std::string());
    line[kItemCode] = item.item_code;
    line[kHouseholdCode] = item.household_code;
    for (const std::string& id : item.member_ids) {
        if (!line[kMemberIds].empty()) line[kMemberIds] += ";";
        line[kMemberIds] += id;
    }
    const PlanMeasure* m = plan.FindMeasure(item.measure);
    line[kMeasure] = m != nullptr ? m->name : std::to_string(item.measure);
    auto name = [](const CodeTable& table, int code) {
        std::string_view n = table.NameOf(code);
        return n.empty() ? std::to_string(code) : std::string(n);
    };
    line[kCategory] = name(codes::AssistanceCategory(), item.category);
    line[kKind] = name(codes::AssistanceKind(), item.kind);
    line[kStartDate] = item.start_date.ToString();
    line[kEndDate] = OptionalDate(item.end_date);
    line[kAmount] = OptionalCenti(item.amount);
    line[kPeriodicAmount] = OptionalCenti(item.periodic_amount);
    if (item.period) line[kPeriod] = name(codes::AssistancePeriod(), *item.period);
    line[kFundRef] = item.fund_ref;
    line[kNotes] = item.notes;
    line[kSignedOn] = OptionalDate(item.signed_on);
    line[kSignedBy] = item.signed_by;
}

void FormatIncome(const IncomeRecord& r, std::vector<std::string>& line) {
    line.assign(kIncomeColumns, std::string());
    line[kIncHousehold] = r.household_code;
    line[kIncYear] = std::to_string(r.year);
    line[kIncPersons] = std::to_string(r.persons);
    line[kIncWage] = OptionalCenti(r.wage);
    line[kIncProduction] = OptionalCenti(r.production);
    line[kIncProperty] = OptionalCenti(r.property);
    line[kIncTransfer] = OptionalCenti(r.transfer);
    line[kIncCosts] = OptionalCenti(r.production_costs);
    line[kIncPerHead] = OptionalCenti(NetIncomePerHead(r));
    line[kIncNotes] = r.notes;
}

}  // namespace

std::span<const LedgerColumn> AssistanceColumns() { return kItemLayout; }
std::span<const LedgerColumn> IncomeColumns() { return kIncomeLayout; }

std::string LedgerImportSummary::ToJson() const {
    boost::json::object o;
    o["import_id"] = import_id;
    o["layout"] = layout;
    o["encoding"] = encoding;
    o["rows"] = {{"read", rows.read},
                 {"inserted", rows.inserted},
                 {"updated", rows.updated},
                 {"unchanged", rows.unchanged},
                 {"rejected", rows.rejected}};
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

Result<LedgerImportSummary> ImportAssistance(Store& store, const Plan& plan, const ImportOptions& options) {
    ItemImporter importer(store, plan, options);
    return importer.Run();
}

Result<LedgerImportSummary> ImportIncome(Store& store, const Plan& plan, const ImportOptions& options) {
    IncomeImporter importer(store, plan, options);
    return importer.Run();
}

Result<LedgerFormat> LedgerFormatOf(std::string_view name, std::string_view path) {
    if (name.empty()) return path.ends_with(".xlsx") ? LedgerFormat::kXlsx : LedgerFormat::kCsv;
    if (name == "csv") return LedgerFormat::kCsv;
    if (name == "csv-nobom") return LedgerFormat::kCsvNoBom;
    if (name == "gb18030") return LedgerFormat::kGb18030;
    if (name == "xlsx") return LedgerFormat::kXlsx;
    return Fail("usage.format", "--format", "--format 只能是 csv、csv-nobom、gb18030 或 xlsx: " + std::string(name),
                "--format must be csv, csv-nobom, gb18030 or xlsx: " + std::string(name));
}

Result<int64_t> ExportAssistance(Store& store, const Plan& plan, const AssistanceExportOptions& options) {
    std::vector<std::string> line;
    auto writer = OpenWriter(options.path, options.format, kItemLayout, "帮扶台账", line);
    if (!writer) return std::unexpected(writer.error());
    if (auto r = (*writer)->WriteRow(line); !r) return std::unexpected(r.error());
    AssistanceFilter filter;
    filter.division_prefix = options.division_prefix;
    filter.measure = options.measure;
    filter.from = options.from;
    filter.to = options.to;
    filter.limit = 10'000;
    int64_t written = 0;
    for (;;) {
        auto page = store.ListAssistance(filter);
        if (!page) return std::unexpected(page.error());
        for (const AssistanceRecord& r : *page) {
            if (r.deleted) continue;
            FormatItem(r.item, plan, line);
            if (auto w = (*writer)->WriteRow(line); !w) return std::unexpected(w.error());
            ++written;
        }
        if (static_cast<int64_t>(page->size()) < filter.limit) break;
        filter.after_code = page->back().item.item_code;
    }
    if (auto r = (*writer)->Close(); !r) return std::unexpected(r.error());
    return written;
}

Result<int64_t> ExportIncome(Store& store, const IncomeExportOptions& options) {
    std::vector<std::string> line;
    auto writer = OpenWriter(options.path, options.format, kIncomeLayout, "收入", line);
    if (!writer) return std::unexpected(writer.error());
    if (auto r = (*writer)->WriteRow(line); !r) return std::unexpected(r.error());
    IncomeFilter filter;
    filter.division_prefix = options.division_prefix;
    filter.year = options.year;
    filter.from_year = options.from_year;
    filter.to_year = options.to_year;
    filter.limit = 10'000;
    int64_t written = 0;
    for (;;) {
        auto page = store.ListIncome(filter);
        if (!page) return std::unexpected(page.error());
        for (const IncomeRecordVersion& r : *page) {
            FormatIncome(r.record, line);
            if (auto w = (*writer)->WriteRow(line); !w) return std::unexpected(w.error());
            ++written;
        }
        if (static_cast<int64_t>(page->size()) < filter.limit) break;
        filter.after_household = page->back().record.household_code;
        filter.after_year = page->back().record.year;
    }
    if (auto r = (*writer)->Close(); !r) return std::unexpected(r.error());
    return written;
}

}  // namespace jz::io
