// check and reconcile: the data-quality rules and the plan/registry agreement.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cli/commands.h"
#include "core/check.h"
#include "core/progress.h"
#include "core/reconcile.h"
#include "io/table.h"
#include "service/reports.h"

namespace jz::cli {
namespace {

struct CheckCommandOptions {
    std::string division;
    std::string as_of;  // empty: today
    std::vector<std::string> against;
    std::vector<std::string> list_kinds;
    std::string xlsx;
};

struct ReconcileOptions {
    std::string as_of;  // empty: today
};


Result<Date> AsOf(const std::string& text) {
    if (text.empty()) return Today();
    return ParseDateOption(text, "--as-of");
}

std::string TownshipName(const OrgTree& tree, const std::string& division) {
    const OrgUnit* t = tree.Find(division.substr(0, 9));
    return t ? t->name() + " " + t->code : division.substr(0, 9);
}

Result<void> WriteFindingsXlsx(const std::string& path, const std::vector<Finding>& findings,
                               const OrgTree& tree) {
    auto writer = io::CreateXlsxWriter(path, "数据质量");
    if (!writer) return std::unexpected(writer.error());
    if (auto r = (*writer)->WriteRow({"规则 rule", "严重程度 severity", "规则说明 rule title",
                                      "乡镇 township", "行政区划代码 division_code", "户编号 household_code",
                                      "证件号码 id_number", "说明 message"});
        !r)
        return r;
    for (const Finding& f : findings) {
        const RuleInfo& info = RuleOf(f.rule_name);
        if (auto r = (*writer)->WriteRow(
                {std::string(f.rule), f.severity == Severity::kError ? "错误 error" : "警告 warning",
                 std::string(info.title_zh), TownshipName(tree, f.division_code), f.division_code,
                 f.household_code, f.id_number.value_or(""), f.message()});
            !r)
            return r;
    }
    return (*writer)->Close();
}

}  // namespace

int RunCheck(const GlobalOptions& g, const CheckCommandOptions& o) {
    auto as_of = AsOf(o.as_of);
    if (!as_of) return ReportError(as_of.error());
    if (!o.list_kinds.empty() && o.list_kinds.size() != 1 && o.list_kinds.size() != o.against.size())
        return ReportError(Error{.code = "usage.list_kind",
                                 .field = "--list-kind",
                                 .message_zh = "--list-kind 的个数应为1或与 --against 相同",
                                 .message_en = "give one --list-kind, or one per --against"});
    if (!o.against.empty() && o.list_kinds.empty())
        return ReportError(Error{
            .code = "usage.list_kind",
            .field = "--list-kind",
            .message_zh =
                "请用 --list-kind 指明名单类别(deceased, public_payroll, vehicle, real_estate, business)",
            .message_en =
                "name the kind of list with --list-kind (deceased, public_payroll, vehicle, real_estate, "
                "business)"});
    CheckOptions options{*as_of, {}};
    for (size_t i = 0; i < o.against.size(); ++i) {
        const std::string& kind_name = o.list_kinds.size() == 1 ? o.list_kinds[0] : o.list_kinds[i];
        auto kind = ParseListKind(kind_name);
        if (!kind)
            return ReportError(
                Error{.code = "usage.list_kind",
                      .field = "--list-kind",
                      .message_zh = "未知的名单类别: " + kind_name,
                      .message_en = "unknown list kind: " + kind_name +
                                    " (deceased, public_payroll, vehicle, real_estate, business)"});
        int64_t skipped = 0;
        auto list = ReadList(o.against[i], *kind, skipped);
        if (!list) return ReportError(list.error());
        if (skipped > 0 && !g.json)
            std::fprintf(
                stderr, "jingzhun: %s: 跳过%lld行无效证件号码 / skipped %lld lines that are not ID numbers\n",
                o.against[i].c_str(), static_cast<long long>(skipped), static_cast<long long>(skipped));
        options.lists.push_back(std::move(*list));
    }
    auto session = OpenSession(g);
    if (!session) return ReportError(session.error());
    if (!o.division.empty() && !session->tree.Find(o.division))
        return ReportError(Error{.code = "usage.division",
                                 .field = "--division",
                                 .message_zh = "未知的行政区划代码: " + o.division,
                                 .message_en = "unknown division code: " + o.division});
    // One checker per part of a parallel scan, merged at the end.
    const int parts = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1U, 8U));
    auto checked = service::RunChecks(*session->store, session->plan, options, o.division, parts);
    if (!checked) return ReportError(checked.error());
    const std::vector<Finding>& findings = *checked;
    const bool any_error =
        std::ranges::any_of(findings, [](const Finding& f) { return f.severity == Severity::kError; });
    if (!o.xlsx.empty())
        if (auto r = WriteFindingsXlsx(o.xlsx, findings, session->tree); !r) return ReportError(r.error());
    if (g.json) {
        boost::json::value out = service::CheckJson(*as_of, findings);
        AddChainHead(*session->store, out);
        PrintJson(out);
    } else {
        std::printf("数据质量检查 Data-quality check as of %s: %zu findings\n", as_of->ToString().c_str(),
                    findings.size());
        // Grouped by rule, then township.
        for (const RuleInfo& rule : Rules()) {
            std::map<std::string, std::vector<const Finding*>> by_township;
            for (const Finding& f : findings)
                if (f.rule_name == rule.rule) by_township[f.division_code.substr(0, 9)].push_back(&f);
            if (by_township.empty()) continue;
            size_t n = 0;
            for (auto& [t, v] : by_township) n += v.size();
            std::printf("\n[%s] %s — %s / %s: %zu\n",
                        rule.severity == Severity::kError ? "错误 error" : "警告 warning",
                        std::string(rule.id).c_str(), std::string(rule.title_zh).c_str(),
                        std::string(rule.title_en).c_str(), n);
            for (auto& [t, v] : by_township) {
                std::printf("  %s: %zu\n", TownshipName(session->tree, t).c_str(), v.size());
                for (const Finding* f : v)
                    std::printf("    %s %s %s\n", f->household_code.c_str(),
                                f->id_number.value_or("-").c_str(), f->message().c_str());
            }
        }
        if (!o.xlsx.empty()) std::printf("\n已写入 Written: %s\n", o.xlsx.c_str());
        PrintChainHeadFooter(*session->store);
    }
    return any_error ? kExitFindings : kExitOk;
}

int RunReconcile(const GlobalOptions& g, const ReconcileOptions& o) {
    auto as_of = AsOf(o.as_of);
    if (!as_of) return ReportError(as_of.error());
    auto session = OpenSession(g);
    if (!session) return ReportError(session.error());
    auto reconciled = service::Reconcile(*session->store, session->plan, session->tree, *as_of);
    if (!reconciled) return ReportError(reconciled.error());
    const std::vector<ReconcileFinding>& findings = *reconciled;
    if (g.json) {
        boost::json::value out = service::ReconcileJson(*as_of, findings);
        AddChainHead(*session->store, out);
        PrintJson(out);
    } else {
        std::printf("任务与数据核对 Reconciliation as of %s: %zu findings\n", as_of->ToString().c_str(),
                    findings.size());
        for (const ReconcileFinding& f : findings)
            std::printf("  [%s] %s%s: expected %lld, actual %lld — %s\n",
                        std::string(ReconcileKindName(f.kind)).c_str(), f.scope.c_str(),
                        f.year ? (" " + std::to_string(*f.year)).c_str() : "",
                        static_cast<long long>(f.expected), static_cast<long long>(f.actual),
                        f.message().c_str());
        if (findings.empty()) std::printf("  全部一致 everything agrees\n");
        PrintChainHeadFooter(*session->store);
    }
    return findings.empty() ? kExitOk : kExitFindings;
}


// -------------------------------------------------------------------------------- registration

void RegisterQualityCommands(Registry& registry) {
    CLI::App& app = registry.app();
    const GlobalOptions& g = registry.global();

    auto check = std::make_shared<CheckCommandOptions>();
    auto* check_cmd =
        app.add_subcommand("check", "Data-quality rules over the registry (exit 1 when errors are found)");
    check_cmd->add_option("--division", check->division, "Only this org unit (township or village code)");
    check_cmd->add_option("--as-of", check->as_of,
                          "Compute ages and overdue years on this date (default: today)");
    check_cmd->add_option(
        "--against", check->against,
        "External list of ID numbers (one per line, or CSV with an id_number column); repeatable");
    check_cmd->add_option(
        "--list-kind", check->list_kinds,
        "Kind of each --against list: deceased, public_payroll, vehicle, real_estate, business");
    check_cmd->add_option("--xlsx", check->xlsx, "Also write the findings to this workbook");
    registry.Runs(check_cmd, [&g, check] { return RunCheck(g, *check); });

    auto reconcile = std::make_shared<ReconcileOptions>();
    auto* reconcile_cmd =
        app.add_subcommand("reconcile", "Do the plan's totals and the registry agree? (exit 1 when not)");
    reconcile_cmd->add_option("--as-of", reconcile->as_of,
                              "Exits are counted through the years ended by this date");
    registry.Runs(reconcile_cmd, [&g, reconcile] { return RunReconcile(g, *reconcile); });
}
}  // namespace jz::cli
