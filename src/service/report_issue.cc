#include "service/report_issue.h"

#include <algorithm>
#include <map>

#include "service/document_json.h"
#include "service/periodic_reports.h"

namespace jz::service {
namespace json = boost::json;
namespace {

Date AddDays(const Date& d, long n) { return Date::FromDaysSinceEpoch(d.DaysSinceEpoch() + n); }

// The cell as the document JSON writes it (null for none).
json::value CellValue(const DocValue& v, DocCellType type) {
    if (std::holds_alternative<std::monostate>(v)) return nullptr;
    if (const auto* s = std::get_if<std::string>(&v)) return json::string(*s);
    const int64_t n = std::get<int64_t>(v);
    if (type == DocCellType::kInteger) return n;
    return json::string(FormatFen(n));
}

bool Numeric(DocCellType t) {
    return t == DocCellType::kInteger || t == DocCellType::kFen || t == DocCellType::kPercent;
}

std::optional<int64_t> Number(const DocValue& v) {
    if (const auto* n = std::get_if<int64_t>(&v)) return *n;
    return std::nullopt;
}

std::string Label(const DocRow& row, const DocSection& s) {
    if (row.cells.empty() || s.columns.empty()) return {};
    return FormatDocValue(row.cells[0], s.columns[0].type);
}

}  // namespace

Result<IssuedReport> IssueReport(Store& store, const Plan& plan, const OrgTree& tree, PeriodKind kind,
                                 const std::string& unit, const std::string& period, const Date& today,
                                 const ChangeContext& change) {
    auto doc = BuildPeriodicReport(store, plan, tree, kind, unit, period, today);
    if (!doc) return std::unexpected(doc.error());
    IssuedReport r;
    r.kind = doc->kind;
    r.unit_code = doc->unit_code;
    r.unit_name = doc->unit_name;
    r.period = doc->period;
    r.as_of = doc->as_of;
    r.document_json = DocumentJsonText(*doc);
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    auto stored = store.InsertIssuedReport(r, change);
    if (!stored) {
        if (stored.error().code == "store.duplicate")
            return Fail("report.already_issued", "period",
                        r.unit_name + " " + r.period + " 的" + std::string(ReportKindNameZh(kind)) + "已上报，上报后不可更改",
                        "the " + std::string(PeriodKindName(kind)) + " report of " + r.unit_code + " for " + r.period +
                            " is already issued; an issued report is not changed");
        return std::unexpected(stored.error());
    }
    if (auto c = tx->Commit(); !c) return std::unexpected(c.error());
    return *stored;
}

json::object IssuedMetaJson(const IssuedReport& r) {
    return json::object{{"id", r.id},           {"kind", r.kind},
                        {"unit_code", r.unit_code}, {"unit_name", r.unit_name},
                        {"period", r.period},   {"as_of", r.as_of.ToString()},
                        {"issued_at", r.issued_at}, {"issued_by", r.issued_by},
                        {"hash", r.hash},       {"seq", r.seq}};
}

Result<IssuedReport> FindIssued(Store& store, int64_t id) {
    auto found = store.FindIssuedReport(id);
    if (!found) return std::unexpected(found.error());
    if (!*found)
        return Fail("report.not_found", "id", "没有编号为 " + std::to_string(id) + " 的已上报报告",
                    "no issued report with id " + std::to_string(id));
    return **found;
}

Result<ComparedReports> CompareIssued(Store& store, int64_t id, std::optional<int64_t> with) {
    auto report = FindIssued(store, id);
    if (!report) return std::unexpected(report.error());
    ComparedReports out;
    out.report = *report;
    if (with) {
        auto previous = FindIssued(store, *with);
        if (!previous) return std::unexpected(previous.error());
        out.previous = *previous;
    } else {
        IssuedReportFilter f{.unit_code = report->unit_code, .kind = report->kind, .limit = 100000};
        auto all = store.ListIssuedReports(f);
        if (!all) return std::unexpected(all.error());
        const IssuedReport* best = nullptr;
        for (const IssuedReport& r : *all)
            if (r.period < report->period && (!best || r.period > best->period)) best = &r;
        if (!best)
            return Fail("report.no_previous", "id", "报告 " + std::to_string(id) + " 之前没有同单位同类的已上报报告",
                        "no earlier issued " + report->kind + " report of " + report->unit_code + " to compare with");
        out.previous = *best;
    }
    auto now = DocumentFromJson(out.report.document_json);
    if (!now) return std::unexpected(now.error());
    auto before = DocumentFromJson(out.previous.document_json);
    if (!before) return std::unexpected(before.error());
    for (const DocSection& s : now->sections) {
        const DocSection* ps = before->section(s.id);
        for (const DocRow& row : s.rows) {
            const std::string label = Label(row, s);
            const DocRow* prow = nullptr;
            if (ps)
                for (const DocRow& r : ps->rows)
                    if (Label(r, *ps) == label) {
                        prow = &r;
                        break;
                    }
            for (size_t c = 0; c < s.columns.size() && c < row.cells.size(); ++c) {
                const DocColumn& col = s.columns[c];
                if (!Numeric(col.type)) continue;
                std::optional<int64_t> previous;
                DocValue pv;
                if (prow && ps)
                    for (size_t k = 0; k < ps->columns.size() && k < prow->cells.size(); ++k)
                        if (ps->columns[k].id == col.id && ps->columns[k].type == col.type) {
                            pv = prow->cells[k];
                            previous = Number(pv);
                        }
                const std::optional<int64_t> current = Number(row.cells[c]);
                if (previous == current) continue;
                json::value change = nullptr;
                if (current) change = CellValue(DocValue{*current - previous.value_or(0)}, col.type);
                out.rows.push_back(json::object{{"section_id", s.id},
                                                {"section_title_zh", s.title_zh},
                                                {"section_title_en", s.title_en},
                                                {"label", label},
                                                {"column_id", col.id},
                                                {"column_title_zh", col.title_zh},
                                                {"column_title_en", col.title_en},
                                                {"type", std::string(DocCellTypeName(col.type))},
                                                {"previous", CellValue(pv, col.type)},
                                                {"current", CellValue(row.cells[c], col.type)},
                                                {"change", change}});
            }
        }
    }
    return out;
}

json::object ComparedJson(const ComparedReports& c) {
    return json::object{{"report", IssuedMetaJson(c.report)}, {"previous", IssuedMetaJson(c.previous)}, {"rows", c.rows}};
}

Date ReportDueOn(const Period& p, const PlanReports& s) {
    switch (p.kind) {
        case PeriodKind::kWeekly:
            return AddDays(p.from, s.weekly_due_weekday - 1);
        case PeriodKind::kMonthly:
        case PeriodKind::kQuarterly: {
            const Date next = AddDays(p.to, 1);
            return Date{next.year, next.month,
                        p.kind == PeriodKind::kMonthly ? s.monthly_due_day : s.quarterly_due_day};
        }
        case PeriodKind::kAnnual:
            return Date{p.to.year + 1, s.annual_due_month, s.annual_due_day};
    }
    return p.to;
}

Result<std::vector<DueItem>> ReportsDue(Store& store, const Plan& plan, const OrgTree& tree, const Date& as_of,
                                        const std::string& unit, int64_t limit) {
    std::vector<std::pair<std::string, std::string>> units;  // code, name
    if (unit.empty() || unit == plan.county_code) {
        units.emplace_back(plan.county_code, plan.county_name);
        for (const PlanBattle& b : plan.battles) units.emplace_back(b.id, b.name);
        for (const PlanTownship& t : plan.townships) units.emplace_back(t.code, t.name);
    } else {
        auto u = ResolveReportUnit(plan, tree, unit);
        if (!u) return std::unexpected(u.error());
        units.emplace_back(u->code, u->name);
    }
    auto issued = store.ListIssuedReports({.limit = 1'000'000});
    if (!issued) return std::unexpected(issued.error());
    std::map<std::string, const IssuedReport*> by_key;
    for (const IssuedReport& r : *issued) by_key[r.kind + "|" + r.unit_code + "|" + r.period] = &r;
    const Date start{plan.start_year, 1, 1};
    std::vector<DueItem> items;
    for (PeriodKind kind : {PeriodKind::kWeekly, PeriodKind::kMonthly, PeriodKind::kQuarterly, PeriodKind::kAnnual}) {
        // Newest first, back to the plan's start; each kind at most `limit` periods (the merged
        // list keeps the newest `limit` items).
        int64_t n = 0;
        for (Period p = PeriodContaining(kind, as_of); p.to >= start && n < limit; p = PreviousPeriod(p), ++n) {
            const Date due = ReportDueOn(p, plan.reports);
            for (const auto& [code, name] : units) {
                DueItem item{.unit_code = code, .unit_name = name, .kind = kind, .period = p.text, .due_on = due};
                const auto it = by_key.find(std::string(PeriodKindName(kind)) + "|" + code + "|" + p.text);
                if (it != by_key.end()) {
                    item.state = "issued";
                    item.issued_id = it->second->id;
                    item.issued_at = it->second->issued_at;
                } else {
                    item.state = due < as_of ? "overdue" : "due";
                }
                items.push_back(std::move(item));
            }
        }
    }
    std::stable_sort(items.begin(), items.end(), [](const DueItem& a, const DueItem& b) {
        if (a.due_on != b.due_on) return a.due_on > b.due_on;
        if (a.kind != b.kind) return a.kind < b.kind;
        return a.unit_code < b.unit_code;
    });
    if (static_cast<int64_t>(items.size()) > limit) items.resize(static_cast<size_t>(std::max<int64_t>(limit, 0)));
    return items;
}

json::object DueJson(const Date& as_of, const std::vector<DueItem>& items) {
    json::array out;
    for (const DueItem& i : items)
        out.push_back(json::object{{"unit_code", i.unit_code},
                                   {"unit_name", i.unit_name},
                                   {"kind", std::string(PeriodKindName(i.kind))},
                                   {"period", i.period},
                                   {"due_on", i.due_on.ToString()},
                                   {"state", i.state},
                                   {"issued_id", i.issued_id ? json::value(*i.issued_id) : json::value(nullptr)},
                                   {"issued_at", i.issued_at ? json::value(*i.issued_at) : json::value(nullptr)}});
    return json::object{{"as_of", as_of.ToString()}, {"items", std::move(out)}};
}

}  // namespace jz::service
