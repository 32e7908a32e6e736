#include "io/funds_exchange.h"

#include <array>
#include <charconv>
#include <map>

#include "io/table.h"

namespace jz::io {
namespace {

struct Column {
    std::string_view zh;
    std::string_view en;
    CellKind kind;
};
constexpr std::array<Column, 12> kColumns = {{
    {"分录编号", "id", CellKind::kInteger},
    {"日期", "date", CellKind::kDate},
    {"类型", "kind", CellKind::kText},
    {"拨付编号", "allocation", CellKind::kInteger},
    {"项目编号", "project", CellKind::kInteger},
    {"收款人编号", "payee", CellKind::kInteger},
    {"转入拨付编号", "to_allocation", CellKind::kInteger},
    {"金额(元)", "amount", CellKind::kDecimal},
    {"阶段", "stage", CellKind::kText},
    {"凭证号", "refs", CellKind::kText},
    {"决策文号", "decision_id", CellKind::kText},
    {"冲销分录", "reverses", CellKind::kInteger},
}};

constexpr std::array<std::pair<FundEntryKind, std::string_view>, 8> kKindZh = {{
    {FundEntryKind::kReceive, "收款"},
    {FundEntryKind::kBudget, "安排预算"},
    {FundEntryKind::kDisburse, "支付"},
    {FundEntryKind::kRetainDeposit, "预留质保金"},
    {FundEntryKind::kReleaseDeposit, "退还质保金"},
    {FundEntryKind::kInterest, "利息"},
    {FundEntryKind::kTransfer, "调剂"},
    {FundEntryKind::kReversal, "冲销"},
}};

std::string Trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);
    return std::string(s);
}

Error RowError(int64_t row, std::string_view field, std::string zh, std::string en) {
    Error e{.code = "fund.invalid",
            .field = std::string(field),
            .message_zh = std::move(zh),
            .message_en = std::move(en)};
    e.row = row;
    return e;
}

// Yuan with at most two decimals (a numeric .xlsx cell may carry a float's tail: rounded to the fen
// only when it is within a millionth of it).
std::optional<Fen> Yuan(const Cell& c) {
    std::string t = Trim(c.text);
    if (t.empty()) return std::nullopt;
    if (c.numeric) {
        double v = 0;
        auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
        if (ec != std::errc() || p != t.data() + t.size() || v <= 0 || v > 1e13) return std::nullopt;
        const double fen = v * 100;
        const long long r = static_cast<long long>(fen + 0.5);
        if (fen - static_cast<double>(r) > 1e-4 || static_cast<double>(r) - fen > 1e-4) return std::nullopt;
        return r;
    }
    const size_t dot = t.find('.');
    const std::string whole = t.substr(0, dot), frac = dot == std::string::npos ? "" : t.substr(dot + 1);
    if (whole.empty() || whole.size() > 14 || frac.size() > 2 || (dot != std::string::npos && frac.empty()))
        return std::nullopt;
    for (char ch : whole + frac)
        if (ch < '0' || ch > '9') return std::nullopt;
    Fen f = std::stoll(whole) * 100;
    if (!frac.empty()) f += (frac[0] - '0') * 10;
    if (frac.size() == 2) f += frac[1] - '0';
    return f;
}

std::optional<Date> DateOf(const Cell& c) {
    const std::string t = Trim(c.text);
    if (c.numeric) {  // an Excel date serial (1900 system)
        long serial = 0;
        auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), serial);
        if (ec != std::errc() || serial < 1 || serial > 2958465) return std::nullopt;
        return Date::FromDaysSinceEpoch(serial - 25569);
    }
    return Date::Parse(t);
}

std::optional<int64_t> Id(const Cell& c) {
    const std::string t = Trim(c.text);
    if (t.empty()) return int64_t{0};
    int64_t v = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || v < 0) return std::nullopt;
    if (p != t.data() + t.size() && !(c.numeric && std::string_view(p) == ".0")) return std::nullopt;
    return v;
}

// A sheet read by its header: each column named in Chinese or English (`names`: {zh, en}) is found
// by its header cell; the `required` English names must all be there (else import.missing_columns
// with `missing_zh`/`missing_en`). Each data row that is not blank is passed to
// each(cell, row_number), where cell(en) is the row's cell in that column (empty when absent).
template <class Names, class Each>
Result<void> EachNamedRow(const std::string& path, const Names& names,
                          std::initializer_list<const char*> required, const char* missing_zh,
                          const char* missing_en, Each&& each) {
    auto reader = OpenTable(path);
    if (!reader) return std::unexpected(reader.error());
    std::vector<Cell> row;
    auto first = (*reader)->Next(row);
    if (!first) return std::unexpected(first.error());
    if (!*first) return Fail("import.empty", path, "文件为空", "the file is empty");
    std::map<std::string, size_t> at;  // English name → column index
    for (size_t i = 0; i < row.size(); ++i) {
        const std::string h = Trim(row[i].text);
        for (const auto& c : names)
            if (h == c.zh || h == c.en) at[std::string(c.en)] = i;
    }
    for (const char* name : required)
        if (!at.contains(name)) return Fail("import.missing_columns", name, missing_zh, missing_en);
    auto cell = [&](const char* name) -> Cell {
        auto it = at.find(name);
        if (it == at.end() || it->second >= row.size()) return Cell{};
        return row[it->second];
    };
    for (;;) {
        auto more = (*reader)->Next(row);
        if (!more) return std::unexpected(more.error());
        if (!*more) break;
        bool blank = true;
        for (const Cell& c : row) blank = blank && Trim(c.text).empty();
        if (blank) continue;
        each(cell, (*reader)->row_number());
    }
    return {};
}

}  // namespace

std::string_view FundEntryKindZh(FundEntryKind kind) {
    for (const auto& [k, zh] : kKindZh)
        if (k == kind) return zh;
    return {};
}

Result<FundRows> ReadFundEntries(const std::string& path) {
    FundRows out;
    auto read = EachNamedRow(
        path, kColumns, {"date", "kind", "amount"}, "缺少必需的列: 日期、类型、金额(元)",
        "missing required columns: 日期 (date), 类型 (kind), 金额(元) (amount)",
        [&](const auto& cell, int64_t n) {
            const size_t before = out.errors.size();
            FundEntry e;
            if (auto d = DateOf(cell("date")))
                e.date = *d;
            else
                out.errors.push_back(RowError(n, "date", "日期应为 YYYY-MM-DD", "date must be YYYY-MM-DD"));
            const std::string kind = Trim(cell("kind").text);
            std::optional<FundEntryKind> k = ParseFundEntryKind(kind);
            for (const auto& [kk, zh] : kKindZh)
                if (kind == zh) k = kk;
            if (k)
                e.kind = *k;
            else
                out.errors.push_back(
                    RowError(n, "kind", "未知的分录类型: " + kind, "unknown entry kind: " + kind));
            const Cell amount = cell("amount");
            if (auto f = Yuan(amount))
                e.amount = *f;
            else if (!(k == FundEntryKind::kReversal && Trim(amount.text).empty()))
                out.errors.push_back(RowError(n, "amount", "金额应为元,最多两位小数: " + amount.text,
                                              "amount must be yuan with at most 2 decimals: " + amount.text));
            for (auto [name, target] : {std::pair{"allocation", &e.allocation},
                                        {"project", &e.project},
                                        {"payee", &e.payee},
                                        {"to_allocation", &e.to_allocation},
                                        {"reverses", &e.reverses}}) {
                if (auto v = Id(cell(name)))
                    *target = *v;
                else
                    out.errors.push_back(RowError(n, name, std::string(name) + "应为编号(整数)",
                                                  std::string(name) + " must be a whole number"));
            }
            e.stage = Trim(cell("stage").text);
            e.refs = Trim(cell("refs").text);
            e.decision_id = Trim(cell("decision_id").text);
            if (out.errors.size() == before) {
                out.entries.push_back(std::move(e));
                out.rows.push_back(n);
            }
        });
    if (!read) return std::unexpected(read.error());
    if (out.entries.empty() && out.errors.empty())
        return Fail("import.empty", path, "文件没有数据行", "the file has no data rows");
    return out;
}

Result<int64_t> WriteFundEntries(const std::vector<FundEntry>& entries, const std::string& path,
                                 LedgerFormat format) {
    Result<std::unique_ptr<TableWriter>> writer = std::unexpected(Error{});
    if (format == LedgerFormat::kXlsx) {
        XlsxOptions o;
        for (const Column& c : kColumns) o.kinds.push_back(c.kind);
        o.autofilter = true;
        writer = CreateXlsxWriter(path, "资金台账", o);
    } else {
        writer = CreateCsvWriter(path, format == LedgerFormat::kGb18030    ? CsvEncoding::kGb18030
                                       : format == LedgerFormat::kCsvNoBom ? CsvEncoding::kUtf8
                                                                           : CsvEncoding::kUtf8Bom);
    }
    if (!writer) return std::unexpected(writer.error());
    std::vector<std::string> line;
    for (const Column& c : kColumns) line.emplace_back(c.zh);
    if (auto r = (*writer)->WriteRow(line); !r) return std::unexpected(r.error());
    auto id = [](int64_t v) { return v ? std::to_string(v) : std::string(); };
    for (const FundEntry& e : entries) {
        line = {std::to_string(e.id),
                e.date.ToString(),
                std::string(FundEntryKindName(e.kind)),
                id(e.allocation),
                id(e.project),
                id(e.payee),
                id(e.to_allocation),
                FundYuan(e.amount),
                e.stage,
                e.refs,
                e.decision_id,
                id(e.reverses)};
        if (auto r = (*writer)->WriteRow(line); !r) return std::unexpected(r.error());
    }
    if (auto r = (*writer)->Close(); !r) return std::unexpected(r.error());
    return static_cast<int64_t>(entries.size());
}

namespace {

Result<std::unique_ptr<TableWriter>> Writer(const std::string& path, LedgerFormat format,
                                            const std::string& sheet, std::vector<CellKind> kinds) {
    if (format == LedgerFormat::kXlsx) {
        XlsxOptions o;
        o.kinds = std::move(kinds);
        o.autofilter = true;
        return CreateXlsxWriter(path, sheet, o);
    }
    return CreateCsvWriter(path, format == LedgerFormat::kGb18030    ? CsvEncoding::kGb18030
                                 : format == LedgerFormat::kCsvNoBom ? CsvEncoding::kUtf8
                                                                     : CsvEncoding::kUtf8Bom);
}

std::vector<std::string> SplitList(const std::string& text) {
    std::vector<std::string> out;
    std::string cur;
    auto flush = [&] {
        std::string t = Trim(cur);
        if (!t.empty()) out.push_back(t);
        cur.clear();
    };
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == ',' || text[i] == ';') {
            flush();
        } else if (text.compare(i, 3, "、") == 0 || text.compare(i, 3, "，") == 0 ||
                   text.compare(i, 3, "；") == 0) {
            flush();
            i += 2;
        } else {
            cur += text[i];
        }
    }
    flush();
    return out;
}

}  // namespace

Result<AllocationRows> ReadAllocations(const std::string& path) {
    struct Name {
        std::string_view zh, en;
    };
    static constexpr Name kNames[] = {{"拨付编号", "id"}, {"资金来源", "source"}, {"文号", "document_number"},
                                      {"年度", "year"},   {"金额(元)", "amount"}, {"用途", "earmark"}};
    AllocationRows out;
    auto read = EachNamedRow(
        path, kNames, {"source", "document_number", "year", "amount"},
        "缺少必需的列: 资金来源、文号、年度、金额(元)",
        "missing required columns: 资金来源 (source), 文号 (document_number), 年度 (year), 金额(元) (amount)",
        [&](const auto& cell, int64_t n) {
            const size_t before = out.errors.size();
            Allocation a;
            if (auto id = Id(cell("id")))
                a.id = *id;
            else
                out.errors.push_back(RowError(n, "id", "拨付编号应为整数", "id must be a whole number"));
            a.source = Trim(cell("source").text);
            if (a.source.empty())
                out.errors.push_back(RowError(n, "source", "缺少资金来源", "source is required"));
            a.document_number = Trim(cell("document_number").text);
            if (a.document_number.empty())
                out.errors.push_back(
                    RowError(n, "document_number", "缺少文号", "document_number is required"));
            auto year = Id(cell("year"));
            if (year && *year >= 2000 && *year <= 2100)
                a.year = static_cast<int>(*year);
            else
                out.errors.push_back(
                    RowError(n, "year", "年度应在2000到2100之间", "year must be 2000 to 2100"));
            if (auto f = Yuan(cell("amount")))
                a.amount = *f;
            else
                out.errors.push_back(RowError(n, "amount", "金额应为元,最多两位小数",
                                              "amount must be yuan with at most 2 decimals"));
            a.earmark = SplitList(cell("earmark").text);
            if (out.errors.size() == before) {
                out.allocations.push_back(std::move(a));
                out.rows.push_back(n);
            }
        });
    if (!read) return std::unexpected(read.error());
    if (out.allocations.empty() && out.errors.empty())
        return Fail("import.empty", path, "文件没有数据行", "the file has no data rows");
    return out;
}

Result<int64_t> WriteAllocations(const std::vector<Allocation>& allocations, const std::string& path,
                                 LedgerFormat format) {
    auto writer = Writer(path, format, "资金拨付",
                         {CellKind::kInteger, CellKind::kText, CellKind::kText, CellKind::kInteger,
                          CellKind::kDecimal, CellKind::kText});
    if (!writer) return std::unexpected(writer.error());
    if (auto r = (*writer)->WriteRow({"拨付编号", "资金来源", "文号", "年度", "金额(元)", "用途"}); !r)
        return std::unexpected(r.error());
    for (const Allocation& a : allocations) {
        std::string earmark;
        for (const std::string& e : a.earmark) earmark += (earmark.empty() ? "" : ",") + e;
        if (auto r = (*writer)->WriteRow({std::to_string(a.id), a.source, a.document_number,
                                          std::to_string(a.year), FundYuan(a.amount), earmark});
            !r)
            return std::unexpected(r.error());
    }
    if (auto r = (*writer)->Close(); !r) return std::unexpected(r.error());
    return static_cast<int64_t>(allocations.size());
}

Result<int64_t> WriteProjects(const std::vector<LibraryProject>& projects, const std::string& path,
                              LedgerFormat format) {
    std::vector<CellKind> kinds(17, CellKind::kText);
    kinds[0] = CellKind::kInteger;
    kinds[9] = kinds[10] = CellKind::kDecimal;
    kinds[11] = kinds[12] = CellKind::kDate;
    auto writer = Writer(path, format, "项目库", kinds);
    if (!writer) return std::unexpected(writer.error());
    if (auto r = (*writer)->WriteRow({"项目编号", "项目代码", "项目名称", "实施地点", "状态", "建设任务",
                                      "补助标准", "资金用途", "资金来源", "批复金额(元)", "重新批复金额(元)",
                                      "开始日期", "结束日期", "实施单位", "责任人", "绩效目标", "受益户"});
        !r)
        return std::unexpected(r.error());
    for (const LibraryProject& p : projects) {
        std::string sources, households;
        for (const ProjectSourceShare& x : p.sources)
            sources += (sources.empty() ? "" : "; ") + x.source + ":" + FundYuan(x.amount);
        for (const ProjectBeneficiary& b : p.beneficiaries)
            households +=
                (households.empty() ? "" : "; ") + b.household_code + (b.how.empty() ? "" : ":" + b.how);
        if (auto r = (*writer)->WriteRow({std::to_string(p.id), p.code, p.name, p.division_code, p.state,
                                          p.task, p.subsidy_standard, p.use, sources, FundYuan(p.approved),
                                          p.reapproved ? FundYuan(*p.reapproved) : std::string(),
                                          p.period_start.ToString(), p.period_end.ToString(), p.unit,
                                          p.responsible, p.performance_target, households});
            !r)
            return std::unexpected(r.error());
    }
    if (auto r = (*writer)->Close(); !r) return std::unexpected(r.error());
    return static_cast<int64_t>(projects.size());
}

Result<void> WriteFundRowErrors(const std::vector<Error>& errors, const std::string& path) {
    auto writer = CreateCsvWriter(path);
    if (!writer) return std::unexpected(writer.error());
    if (auto r = (*writer)->WriteRow({"行号", "字段", "代码", "原因"}); !r) return r;
    for (const Error& e : errors)
        if (auto r = (*writer)->WriteRow({std::to_string(e.row), e.field, e.code, e.Reason()}); !r) return r;
    return (*writer)->Close();
}

}  // namespace jz::io
