// The ledger's exchange files (issue 14; io/assistance_exchange.h, docs/import-format.md):
// `assistance import|export` and `income import|export`. Exit statuses as `jingzhun import`: 0 every
// row accepted, 3 some rows rejected (the rest imported), 2 the file or the arguments are unusable.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "io/assistance_exchange.h"

namespace jz::cli {

// The `assistance` group is made by whichever command file registers first (the ledger's own
// commands, assistance_commands.cc, define it too; theirs is the strong definition and this one
// gives way to it at link time).
__attribute__((weak)) CLI::App& AssistanceCommand(CLI::App& app) {
    for (CLI::App* sub : app.get_subcommands([](CLI::App* a) { return a->get_name() == "assistance"; }))
        return *sub;
    CLI::App* cmd = app.add_subcommand("assistance", "The assistance ledger (一户一本台账): items delivered to households");
    cmd->require_subcommand(1);
    return *cmd;
}

namespace {

struct LedgerImportOptions {
    std::string file;
    std::string errors;
    std::string sheet;
    int64_t max_rows = 0;  // 0: io::ImportLimits' default
    int64_t max_cell_bytes = 0;
    int64_t time_limit = 0;  // seconds
};

struct AssistanceExportOptions {
    std::string file;
    std::string format;
    std::string unit;
    std::string measure;
    std::string from, to;
};

struct IncomeExportOptions {
    std::string file;
    std::string format;
    std::string unit;
    int year = 0, from_year = 0, to_year = 0;
};

ChangeContext Change(const GlobalOptions& g) { return ChangeContext{g.actor, NowIso(), std::nullopt}; }

int PrintLedgerImport(const GlobalOptions& g, const io::LedgerImportSummary& s) {
    if (g.json) {
        std::cout << s.ToJson() << "\n";
    } else {
        std::printf("导入完成 Import finished (%s, encoding %s)\n", s.layout.c_str(), s.encoding.c_str());
        std::printf("  行 rows: read %lld, inserted %lld, updated %lld, unchanged %lld, rejected %lld\n",
                    static_cast<long long>(s.rows.read), static_cast<long long>(s.rows.inserted),
                    static_cast<long long>(s.rows.updated), static_cast<long long>(s.rows.unchanged),
                    static_cast<long long>(s.rows.rejected));
        const size_t shown = 20;
        for (size_t i = 0; i < s.warnings.size() && i < shown; ++i)
            std::printf("  警告 warning: row %lld %s: %s\n", static_cast<long long>(s.warnings[i].row),
                        s.warnings[i].field.c_str(), s.warnings[i].Reason().c_str());
        for (size_t i = 0; i < s.errors.size() && i < shown; ++i)
            std::printf("  错误 error: row %lld %s %s: %s\n", static_cast<long long>(s.errors[i].row),
                        s.errors[i].household_code.c_str(), s.errors[i].field.c_str(), s.errors[i].Reason().c_str());
        if (s.errors.size() > shown)
            std::printf("  … %zu more errors (see the error file)\n", s.errors.size() - shown);
        if (!s.errors_file.empty()) std::printf("  错误文件 error file: %s\n", s.errors_file.c_str());
    }
    return s.rows.rejected > 0 ? kExitPartial : kExitOk;
}

int RunLedgerImport(const GlobalOptions& g, const LedgerImportOptions& o, bool income) {
    auto session = OpenSession(g);
    if (!session) return ReportError(session.error());
    io::ImportOptions options{o.file, o.sheet, o.errors, Change(g)};
    if (o.max_rows > 0) options.limits.max_rows = o.max_rows;
    if (o.max_cell_bytes > 0) options.limits.max_cell_bytes = o.max_cell_bytes;
    if (o.time_limit > 0) options.limits.time_budget = std::chrono::seconds(o.time_limit);
    auto summary = income ? io::ImportIncome(*session->store, session->plan, options)
                          : io::ImportAssistance(*session->store, session->plan, options);
    if (!summary) return ReportError(summary.error());
    return PrintLedgerImport(g, *summary);
}

std::optional<Error> CheckUnit(const Session& s, const std::string& unit) {
    if (unit.empty() || s.tree.Find(unit)) return std::nullopt;
    return Error{.code = "usage.unit",
                 .field = "--unit",
                 .message_zh = "未知的行政区划代码: " + unit,
                 .message_en = "unknown org unit code: " + unit};
}

int PrintExport(const GlobalOptions& g, const std::string& file, int64_t rows, const char* what) {
    if (g.json)
        PrintJson({{"out", file}, {"rows", rows}});
    else
        std::printf("已导出 Exported %lld %s to %s\n", static_cast<long long>(rows), what, file.c_str());
    return kExitOk;
}

int RunAssistanceExport(const GlobalOptions& g, const AssistanceExportOptions& o) {
    auto format = io::LedgerFormatOf(o.format, o.file);
    if (!format) return ReportError(format.error());
    io::AssistanceExportOptions options{.path = o.file, .format = *format};
    if (!o.from.empty()) {
        auto d = ParseDateOption(o.from, "--from");
        if (!d) return ReportError(d.error());
        options.from = *d;
    }
    if (!o.to.empty()) {
        auto d = ParseDateOption(o.to, "--to");
        if (!d) return ReportError(d.error());
        options.to = *d;
    }
    if (options.from && options.to && *options.to < *options.from)
        return ReportError(Error{.code = "usage.period",
                                 .field = "--to",
                                 .message_zh = "--to 不能早于 --from",
                                 .message_en = "--to must not be before --from"});
    auto session = OpenSession(g);
    if (!session) return ReportError(session.error());
    if (auto e = CheckUnit(*session, o.unit)) return ReportError(*e);
    options.division_prefix = o.unit;
    if (!o.measure.empty()) {
        options.measure = session->plan.ParseMeasure(o.measure);
        if (!options.measure)
            return ReportError(Error{.code = "usage.measure",
                                     .field = "--measure",
                                     .message_zh = "计划中没有这项帮扶措施: " + o.measure,
                                     .message_en = "the plan has no such measure: " + o.measure});
    }
    auto rows = io::ExportAssistance(*session->store, session->plan, options);
    if (!rows) return ReportError(rows.error());
    return PrintExport(g, o.file, *rows, "items");
}

int RunIncomeExport(const GlobalOptions& g, const IncomeExportOptions& o) {
    auto format = io::LedgerFormatOf(o.format, o.file);
    if (!format) return ReportError(format.error());
    io::IncomeExportOptions options{.path = o.file, .format = *format};
    if (o.year) options.year = o.year;
    if (o.from_year) options.from_year = o.from_year;
    if (o.to_year) options.to_year = o.to_year;
    if (o.from_year && o.to_year && o.to_year < o.from_year)
        return ReportError(Error{.code = "usage.period",
                                 .field = "--to-year",
                                 .message_zh = "--to-year 不能早于 --from-year",
                                 .message_en = "--to-year must not be before --from-year"});
    auto session = OpenSession(g);
    if (!session) return ReportError(session.error());
    if (auto e = CheckUnit(*session, o.unit)) return ReportError(*e);
    options.division_prefix = o.unit;
    auto rows = io::ExportIncome(*session->store, options);
    if (!rows) return ReportError(rows.error());
    return PrintExport(g, o.file, *rows, "income records");
}

void AddImportOptions(CLI::App* cmd, LedgerImportOptions& o) {
    cmd->add_option("--errors", o.errors, "Where rejected rows go (default: FILE.errors.csv)");
    cmd->add_option("--sheet", o.sheet, ".xlsx sheet name (default: the first sheet)");
    cmd->add_option("--max-rows", o.max_rows, "Refuse a file with more data rows (default 10000000)")
        ->check(CLI::Range(int64_t{1}, INT64_MAX));
    cmd->add_option("--max-cell-bytes", o.max_cell_bytes, "Reject rows with a longer cell, in bytes (default 8192)")
        ->check(CLI::Range(int64_t{16}, int64_t{1} << 30));
    cmd->add_option("--time-limit", o.time_limit, "Cancel the import after this many seconds (default 3600)")
        ->check(CLI::Range(int64_t{1}, int64_t{1} << 30));
}

constexpr const char* kFormatHelp =
    "csv (UTF-8 with BOM), csv-nobom, gb18030 (CSV) or xlsx (default: from FILE's extension)";

}  // namespace

void RegisterLedgerExchangeCommands(Registry& registry) {
    CLI::App& app = registry.app();
    const GlobalOptions& g = registry.global();
    CLI::App& assistance = AssistanceCommand(app);

    auto ai = std::make_shared<LedgerImportOptions>();
    auto* ai_cmd = assistance.add_subcommand(
        "import", "Import assistance items (CSV in UTF-8 or GB18030, or .xlsx), one row per item");
    ai_cmd->add_option("file", ai->file, "File in the assistance-items layout (docs/import-format.md)")->required();
    AddImportOptions(ai_cmd, *ai);
    registry.Runs(ai_cmd, [&g, ai] { return RunLedgerImport(g, *ai, false); });

    auto ae = std::make_shared<AssistanceExportOptions>();
    auto* ae_cmd = assistance.add_subcommand("export", "Export assistance items in the import layout");
    ae_cmd->add_option("file", ae->file, "Output file")->required();
    ae_cmd->add_option("--format", ae->format, kFormatHelp);
    ae_cmd->add_option("--unit", ae->unit, "Only items of households under this org unit (county, township or village)");
    ae_cmd->add_option("--measure", ae->measure, "Only this plan measure (number or name)");
    ae_cmd->add_option("--from", ae->from, "Only items active on or after this date (YYYY-MM-DD)");
    ae_cmd->add_option("--to", ae->to, "Only items active on or before this date (YYYY-MM-DD)");
    registry.Runs(ae_cmd, [&g, ae] { return RunAssistanceExport(g, *ae); });

    auto* income = app.add_subcommand("income", "Income by year and by its parts (工资性、生产经营性、财产性、转移性收入)");
    income->require_subcommand(1);
    auto ii = std::make_shared<LedgerImportOptions>();
    auto* ii_cmd = income->add_subcommand(
        "import", "Import income records (CSV in UTF-8 or GB18030, or .xlsx), one row per household and year");
    ii_cmd->add_option("file", ii->file, "File in the income layout (docs/import-format.md)")->required();
    AddImportOptions(ii_cmd, *ii);
    registry.Runs(ii_cmd, [&g, ii] { return RunLedgerImport(g, *ii, true); });

    auto ie = std::make_shared<IncomeExportOptions>();
    auto* ie_cmd = income->add_subcommand("export", "Export income records in the import layout");
    ie_cmd->add_option("file", ie->file, "Output file")->required();
    ie_cmd->add_option("--format", ie->format, kFormatHelp);
    ie_cmd->add_option("--unit", ie->unit, "Only households under this org unit");
    ie_cmd->add_option("--year", ie->year, "Only this year")->check(CLI::Range(2000, 2100));
    ie_cmd->add_option("--from-year", ie->from_year, "Only years from this one")->check(CLI::Range(2000, 2100));
    ie_cmd->add_option("--to-year", ie->to_year, "Only years up to this one")->check(CLI::Range(2000, 2100));
    registry.Runs(ie_cmd, [&g, ie] { return RunIncomeExport(g, *ie); });
}

}  // namespace jz::cli
