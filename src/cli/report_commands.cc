// The periodic reports from the command line (docs/reports.md): `report weekly|monthly|quarterly|
// annual --unit --period [--format xlsx|pdf] --out FILE`, `report issue KIND ...`, `report issued`,
// `report show ID`, `report compare ID [--with ID]`, `report due [--unit] [--as-of]`. Attached to the
// `report` command commands.cc makes (beside `report progress`). Each command is thin: it reads its
// options, calls service/periodic_reports.h and service/report_issue.h, and prints text in Chinese
// and English or, with --json, the API's JSON. Exit statuses: 0 done; 2 usage or unusable input
// (a malformed period, an unknown unit, report, format); 4 refused by a rule (report.future_period,
// report.already_issued), the rule named in brackets; 1 the database failed.
#include <cctype>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "io/document_xlsx.h"
#include "service/document_json.h"
#include "service/periodic_reports.h"
#include "service/report_issue.h"
#if __has_include("io/document_pdf.h")
#include "io/document_pdf.h"
#define JZ_HAVE_DOCUMENT_PDF 1
#endif

namespace jz::cli {
namespace {
namespace json = boost::json;

int Fails(const Error& e) {
    const bool usage = e.code.starts_with("usage.") || e.code.starts_with("period.") || e.code == "report.unknown_unit" ||
                       e.code == "report.not_found" || e.code == "report.no_previous" || e.code == "json.invalid" ||
                       e.code.starts_with("file.") || e.code.starts_with("xlsx.");
    if (usage) {
        std::cerr << "jingzhun: " << e.ToString() << "\n";
        return kExitUsage;
    }
    if (e.code.starts_with("store.") || e.code.starts_with("pdf.")) {
        std::cerr << "jingzhun: " << e.ToString() << "\n";
        return kExitFindings;
    }
    std::cerr << "jingzhun: " << e.ToString() << " [" << e.code << "]\n";
    return kExitRefused;
}

std::unexpected<Error> Usage(const std::string& option, const std::string& zh, const std::string& en) {
    return Fail("usage.option", option, zh, en);
}

// xlsx or pdf: --format, else --out's extension.
Result<std::string> FormatOf(const std::string& format, const std::string& out) {
    std::string f = format;
    if (f.empty()) {
        const auto dot = out.rfind('.');
        f = dot == std::string::npos ? "" : out.substr(dot + 1);
        for (char& c : f) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (f != "xlsx" && f != "pdf")
        return Usage("--format", "格式应为 xlsx 或 pdf（或由 --out 的扩展名决定）",
                     "the format is xlsx or pdf (or --out's extension)");
    return f;
}

Result<void> WriteDocument(const Document& doc, const std::string& format, const std::string& out) {
    if (format == "xlsx") return io::WriteDocumentXlsx(doc, out);
#ifdef JZ_HAVE_DOCUMENT_PDF
    auto bytes = io::RenderDocumentPdf(doc, io::PdfLayout{});
    if (!bytes) return std::unexpected(bytes.error());
    const std::string tmp = out + ".tmp";
    FILE* f = std::fopen(tmp.c_str(), "wb");
    if (f == nullptr) return Fail("file.create", out, "无法创建文件 " + out, "cannot create " + out);
    const bool ok = std::fwrite(bytes->data(), 1, bytes->size(), f) == bytes->size();
    if (std::fclose(f) != 0 || !ok || std::rename(tmp.c_str(), out.c_str()) != 0) {
        std::remove(tmp.c_str());
        return Fail("file.write", out, "写入文件失败 " + out, "writing " + out + " failed");
    }
    return {};
#else
    return Fail("report.pdf_unavailable", "--format", "此版本不能生成 PDF", "this build cannot render PDF");
#endif
}

// The document as text: its title, facts and each section's table, tab-separated.
void PrintDocument(const Document& doc) {
    std::printf("%s\n%s\n", doc.title_zh.c_str(), doc.title_en.c_str());
    for (const DocFact& f : doc.facts) std::printf("%s / %s: %s\n", f.label_zh.c_str(), f.label_en.c_str(), f.value.c_str());
    for (const DocSection& s : doc.sections) {
        std::printf("\n== %s / %s\n", s.title_zh.c_str(), s.title_en.c_str());
        if (!s.note_zh.empty()) std::printf("(%s / %s)\n", s.note_zh.c_str(), s.note_en.c_str());
        std::string line;
        for (size_t i = 0; i < s.columns.size(); ++i) line += (i ? "\t" : "") + s.columns[i].title_zh;
        if (!s.rows.empty()) std::printf("%s\n", line.c_str());
        for (const DocRow& r : s.rows) {
            line.clear();
            for (size_t i = 0; i < r.cells.size() && i < s.columns.size(); ++i)
                line += (i ? "\t" : "") + FormatDocValue(r.cells[i], s.columns[i].type);
            std::printf("%s\n", line.c_str());
        }
    }
}

struct BuildOptions {
    std::string unit, period, format, out;
};

int RunBuild(const GlobalOptions& g, PeriodKind kind, const BuildOptions& o) {
    if (!g.json && o.out.empty())
        return Fails(Usage("--out", "需要 --out 文件（或 --json）", "--out FILE is required (or --json)").error());
    std::string format;
    if (!o.out.empty()) {
        auto f = FormatOf(o.format, o.out);
        if (!f) return Fails(f.error());
        format = *f;
    }
    auto session = OpenSession(g);
    if (!session) return Fails(session.error());
    auto doc = service::BuildPeriodicReport(*session->store, session->plan, session->tree, kind, o.unit, o.period,
                                            Today());
    if (!doc) return Fails(doc.error());
    if (!o.out.empty()) {
        if (auto w = WriteDocument(*doc, format, o.out); !w) return Fails(w.error());
    }
    if (g.json) {
        PrintJson(service::DocumentJson(*doc));
    } else {
        std::printf("已写入 / wrote %s (%s, %s %s, %s)\n", o.out.c_str(), format.c_str(), doc->unit_name.c_str(),
                    doc->period.c_str(), doc->as_of.ToString().c_str());
    }
    return kExitOk;
}

struct IssueOptions {
    std::string kind, unit, period;
};

int RunIssue(const GlobalOptions& g, const IssueOptions& o) {
    const auto kind = ParsePeriodKind(o.kind);
    if (!kind)
        return Fails(Usage("kind", "报告种类应为 weekly、monthly、quarterly 或 annual",
                           "the kind is weekly, monthly, quarterly or annual")
                         .error());
    auto session = OpenSession(g);
    if (!session) return Fails(session.error());
    auto issued = service::IssueReport(*session->store, session->plan, session->tree, *kind, o.unit, o.period, Today(),
                                       ChangeContext{g.actor, NowIso(), std::nullopt});
    if (!issued) return Fails(issued.error());
    if (g.json) {
        PrintJson(service::IssuedMetaJson(*issued));
    } else {
        std::printf("issued %lld %s\n", static_cast<long long>(issued->id), issued->hash.c_str());
    }
    return kExitOk;
}

struct IssuedOptions {
    std::string unit, kind;
    int64_t limit = 100, offset = 0;
};

int RunIssued(const GlobalOptions& g, const IssuedOptions& o) {
    auto session = OpenSession(g);
    if (!session) return Fails(session.error());
    IssuedReportFilter f{.unit_code = o.unit, .kind = o.kind, .offset = o.offset, .limit = o.limit};
    auto list = session->store->ListIssuedReports(f);
    if (!list) return Fails(list.error());
    auto total = session->store->CountIssuedReports(f);
    if (!total) return Fails(total.error());
    if (g.json) {
        json::array items;
        for (const IssuedReport& r : *list) items.push_back(service::IssuedMetaJson(r));
        PrintJson(json::object{{"issued", std::move(items)}, {"total", *total}});
        return kExitOk;
    }
    std::printf("编号/id\t种类/kind\t单位/unit\t期间/period\t截至/as_of\t上报/issued_at\t上报人/by\t哈希/hash\n");
    for (const IssuedReport& r : *list)
        std::printf("%lld\t%s\t%s %s\t%s\t%s\t%s\t%s\t%s\n", static_cast<long long>(r.id), r.kind.c_str(),
                    r.unit_code.c_str(), r.unit_name.c_str(), r.period.c_str(), r.as_of.ToString().c_str(),
                    r.issued_at.c_str(), r.issued_by.c_str(), r.hash.c_str());
    std::printf("共 %lld 份 / %lld in all\n", static_cast<long long>(*total), static_cast<long long>(*total));
    return kExitOk;
}

struct ShowOptions {
    int64_t id = 0;
    std::string format, out;
};

int RunShow(const GlobalOptions& g, const ShowOptions& o) {
    std::string format;
    if (!o.out.empty()) {
        auto f = FormatOf(o.format, o.out);
        if (!f) return Fails(f.error());
        format = *f;
    }
    auto session = OpenSession(g);
    if (!session) return Fails(session.error());
    auto issued = service::FindIssued(*session->store, o.id);
    if (!issued) return Fails(issued.error());
    // Frozen: the stored document, never recomputed.
    auto doc = service::DocumentFromJson(issued->document_json);
    if (!doc) return Fails(doc.error());
    if (!o.out.empty())
        if (auto w = WriteDocument(*doc, format, o.out); !w) return Fails(w.error());
    if (g.json) {
        PrintJson(json::object{{"issued", service::IssuedMetaJson(*issued)}, {"document", service::DocumentJson(*doc)}});
    } else if (!o.out.empty()) {
        std::printf("已写入 / wrote %s (issued %lld)\n", o.out.c_str(), static_cast<long long>(issued->id));
    } else {
        std::printf("issued %lld %s %s %s\n", static_cast<long long>(issued->id), issued->issued_at.c_str(),
                    issued->issued_by.c_str(), issued->hash.c_str());
        PrintDocument(*doc);
    }
    return kExitOk;
}

struct CompareOptions {
    int64_t id = 0;
    int64_t with = 0;
};

int RunCompare(const GlobalOptions& g, const CompareOptions& o) {
    auto session = OpenSession(g);
    if (!session) return Fails(session.error());
    auto compared = service::CompareIssued(*session->store, o.id, o.with > 0 ? std::optional<int64_t>(o.with)
                                                                            : std::nullopt);
    if (!compared) return Fails(compared.error());
    if (g.json) {
        PrintJson(service::ComparedJson(*compared));
        return kExitOk;
    }
    std::printf("%s %s (%lld) ← %s (%lld)\n", compared->report.unit_name.c_str(), compared->report.period.c_str(),
                static_cast<long long>(compared->report.id), compared->previous.period.c_str(),
                static_cast<long long>(compared->previous.id));
    auto text = [](const json::value& v) -> std::string {
        if (v.is_null()) return "—";
        if (v.is_string()) return std::string(v.as_string());
        return json::serialize(v);
    };
    for (const json::value& v : compared->rows) {
        const json::object& r = v.as_object();
        std::printf("%s\t%s\t%s\t%s → %s\t(%s)\n", text(r.at("section_title_zh")).c_str(), text(r.at("label")).c_str(),
                    text(r.at("column_title_zh")).c_str(), text(r.at("previous")).c_str(),
                    text(r.at("current")).c_str(), text(r.at("change")).c_str());
    }
    std::printf("%zu 项变化 / %zu changed\n", compared->rows.size(), compared->rows.size());
    return kExitOk;
}

struct DueOptions {
    std::string unit, as_of;
    int64_t limit = 200;
};

int RunDue(const GlobalOptions& g, const DueOptions& o) {
    Date as_of = Today();
    if (!o.as_of.empty()) {
        auto d = ParseDateOption(o.as_of, "--as-of");
        if (!d) return Fails(d.error());
        as_of = *d;
    }
    auto session = OpenSession(g);
    if (!session) return Fails(session.error());
    auto items = service::ReportsDue(*session->store, session->plan, session->tree, as_of, o.unit, o.limit);
    if (!items) return Fails(items.error());
    if (g.json) {
        PrintJson(service::DueJson(as_of, *items));
        return kExitOk;
    }
    std::printf("截至 / as of %s\n单位/unit\t种类/kind\t期间/period\t应报日/due_on\t状态/state\n", as_of.ToString().c_str());
    for (const service::DueItem& i : *items)
        std::printf("%s %s\t%s\t%s\t%s\t%s%s\n", i.unit_code.c_str(), i.unit_name.c_str(),
                    std::string(PeriodKindName(i.kind)).c_str(), i.period.c_str(), i.due_on.ToString().c_str(),
                    i.state.c_str(), i.issued_id ? (" #" + std::to_string(*i.issued_id)).c_str() : "");
    return kExitOk;
}

CLI::App& ReportParent(CLI::App& app) {
    for (CLI::App* sub : app.get_subcommands([](CLI::App* a) { return a->get_name() == "report"; })) return *sub;
    CLI::App* cmd = app.add_subcommand("report", "Reports");
    cmd->require_subcommand(1);
    return *cmd;
}

}  // namespace

void RegisterPeriodicReportCommands(Registry& registry) {
    const GlobalOptions& g = registry.global();
    CLI::App& report = ReportParent(registry.app());
    for (PeriodKind kind : {PeriodKind::kWeekly, PeriodKind::kMonthly, PeriodKind::kQuarterly, PeriodKind::kAnnual}) {
        static const char* kHelp[] = {"The weekly report (周专报) of a unit: --period 2017-W27",
                                      "The monthly report (月报告) of a unit: --period 2017-07",
                                      "The quarterly summary (季小结) of a unit: --period 2017-Q3",
                                      "The annual account (年总结) of a unit: --period 2017"};
        auto o = std::make_shared<BuildOptions>();
        auto* cmd = report.add_subcommand(std::string(PeriodKindName(kind)), kHelp[static_cast<int>(kind)]);
        cmd->add_option("--unit", o->unit, "Org-unit code (county, township, village) or battle id")->required();
        cmd->add_option("--period", o->period, "The period (2017-W27, 2017-07, 2017-Q3, 2017)")->required();
        cmd->add_option("--format", o->format, "xlsx or pdf (default: from --out's extension)");
        cmd->add_option("--out", o->out, "Output file (optional with --json)");
        registry.Runs(cmd, [&g, kind, o] { return RunBuild(g, kind, *o); });
    }
    auto issue = std::make_shared<IssueOptions>();
    auto* issue_cmd = report.add_subcommand("issue", "Issue a report: its figures frozen, its hash in the change log");
    issue_cmd->add_option("kind", issue->kind, "weekly, monthly, quarterly or annual")->required();
    issue_cmd->add_option("--unit", issue->unit, "Org-unit code or battle id")->required();
    issue_cmd->add_option("--period", issue->period, "The period")->required();
    registry.Runs(issue_cmd, [&g, issue] { return RunIssue(g, *issue); });

    auto issued = std::make_shared<IssuedOptions>();
    auto* issued_cmd = report.add_subcommand("issued", "The issued reports, newest first");
    issued_cmd->add_option("--unit", issued->unit, "Only this unit");
    issued_cmd->add_option("--kind", issued->kind, "Only this kind");
    issued_cmd->add_option("--limit", issued->limit, "At most this many (default 100)")->check(CLI::Range(1, 10000));
    issued_cmd->add_option("--offset", issued->offset, "Skip this many")->check(CLI::Range(int64_t{0}, int64_t{1} << 40));
    registry.Runs(issued_cmd, [&g, issued] { return RunIssued(g, *issued); });

    auto show = std::make_shared<ShowOptions>();
    auto* show_cmd = report.add_subcommand("show", "An issued report as issued (never recomputed)");
    show_cmd->add_option("id", show->id, "The issued report's id")->required();
    show_cmd->add_option("--format", show->format, "xlsx or pdf (default: from --out's extension)");
    show_cmd->add_option("--out", show->out, "Write it to this file");
    registry.Runs(show_cmd, [&g, show] { return RunShow(g, *show); });

    auto compare = std::make_shared<CompareOptions>();
    auto* compare_cmd = report.add_subcommand("compare", "What changed since the previous issued report");
    compare_cmd->add_option("id", compare->id, "The issued report's id")->required();
    compare_cmd->add_option("--with", compare->with, "Compare with this issued report (default: the previous one)");
    registry.Runs(compare_cmd, [&g, compare] { return RunCompare(g, *compare); });

    auto due = std::make_shared<DueOptions>();
    auto* due_cmd = report.add_subcommand("due", "The submission schedule: reports owed, issued or overdue");
    due_cmd->add_option("--unit", due->unit, "Only this unit (default: the county, battles and townships)");
    due_cmd->add_option("--as-of", due->as_of, "The day (default: today)");
    due_cmd->add_option("--limit", due->limit, "At most this many items (default 200)")->check(CLI::Range(1, 100000));
    registry.Runs(due_cmd, [&g, due] { return RunDue(g, *due); });
}

}  // namespace jz::cli
