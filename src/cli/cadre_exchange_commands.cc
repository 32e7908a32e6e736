// The cadres' exchange file (issue 15; io/cadre_exchange.h, docs/import-format.md "The cadres
// layout"): `cadre import` and `cadre export`. Exit statuses as `jingzhun import`: 0 every row
// accepted, 3 some rows rejected (the rest imported), 2 the file or the arguments are unusable.
// (`cadre list|add` are pairing_commands.cc's; both attach to the one `cadre` command, CadreCommand.)
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "core/codes.h"
#include "core/pairing.h"
#include "io/cadre_exchange.h"

namespace jz::cli {

// The `cadre` group is made by whichever command file registers first; a strong definition
// elsewhere (pairing_commands.cc) takes the place of this one at link time.
__attribute__((weak)) CLI::App& CadreCommand(CLI::App& app) {
    for (CLI::App* sub : app.get_subcommands([](CLI::App* a) { return a->get_name() == "cadre"; })) return *sub;
    CLI::App* cmd = app.add_subcommand("cadre", "Pairing cadres (结对帮扶干部): rank, unit, township, service");
    cmd->require_subcommand(1);
    return *cmd;
}

namespace {

struct CadreImportOptions {
    std::string file;
    std::string errors;
    std::string sheet;
    int64_t max_rows = 0;  // 0: io::ImportLimits' default
    int64_t max_cell_bytes = 0;
    int64_t time_limit = 0;  // seconds
};

struct CadreExportOptions {
    std::string file;
    std::string format;
    std::string unit;
    std::string rank;
};

int RunCadreImport(const GlobalOptions& g, const CadreImportOptions& o) {
    auto session = OpenSession(g);
    if (!session) return ReportError(session.error());
    io::ImportOptions options{o.file, o.sheet, o.errors, ChangeContext{g.actor, NowIso(), std::nullopt}};
    if (o.max_rows > 0) options.limits.max_rows = o.max_rows;
    if (o.max_cell_bytes > 0) options.limits.max_cell_bytes = o.max_cell_bytes;
    if (o.time_limit > 0) options.limits.time_budget = std::chrono::seconds(o.time_limit);
    auto summary = io::ImportCadres(*session->store, session->plan, session->tree, options);
    if (!summary) return ReportError(summary.error());
    const io::LedgerImportSummary& s = *summary;
    if (g.json) {
        std::cout << s.ToJson() << "\n";
    } else {
        std::printf("导入完成 Import finished (cadres, encoding %s)\n", s.encoding.c_str());
        std::printf("  行 rows: read %lld, inserted %lld, updated %lld, unchanged %lld, rejected %lld\n",
                    static_cast<long long>(s.rows.read), static_cast<long long>(s.rows.inserted),
                    static_cast<long long>(s.rows.updated), static_cast<long long>(s.rows.unchanged),
                    static_cast<long long>(s.rows.rejected));
        const size_t shown = 20;
        for (size_t i = 0; i < s.warnings.size() && i < shown; ++i)
            std::printf("  警告 warning: row %lld %s: %s\n", static_cast<long long>(s.warnings[i].row),
                        s.warnings[i].field.c_str(), s.warnings[i].Reason().c_str());
        for (size_t i = 0; i < s.errors.size() && i < shown; ++i)
            std::printf("  错误 error: row %lld %s: %s\n", static_cast<long long>(s.errors[i].row),
                        s.errors[i].field.c_str(), s.errors[i].Reason().c_str());
        if (s.errors.size() > shown) std::printf("  … %zu more errors (see the error file)\n", s.errors.size() - shown);
        if (!s.errors_file.empty()) std::printf("  错误文件 error file: %s\n", s.errors_file.c_str());
    }
    return s.rows.rejected > 0 ? kExitPartial : kExitOk;
}

int RunCadreExport(const GlobalOptions& g, const CadreExportOptions& o) {
    auto format = io::LedgerFormatOf(o.format, o.file);
    if (!format) return ReportError(format.error());
    io::CadreExportOptions options{.path = o.file, .format = *format};
    if (!o.rank.empty()) {
        options.rank = codes::CadreRank().Parse(o.rank);
        if (!options.rank)
            return ReportError(Error{.code = "usage.rank",
                                     .field = "--rank",
                                     .message_zh = "未知的职级: " + o.rank + "(县级、正科、副科及以下、职级不详或其代码)",
                                     .message_en = "unknown rank: " + o.rank + " (give a cadre_rank code or name)"});
    }
    auto session = OpenSession(g);
    if (!session) return ReportError(session.error());
    if (!o.unit.empty()) {
        const OrgUnit* unit = session->tree.Find(o.unit);
        if (unit == nullptr || unit->level == OrgLevel::kVillage)
            return ReportError(Error{.code = "usage.unit",
                                     .field = "--unit",
                                     .message_zh = "--unit 应为本县或其乡镇的代码: " + o.unit,
                                     .message_en = "--unit must be the county's or one of its townships' codes: " + o.unit});
    }
    options.division_prefix = o.unit;
    auto rows = io::ExportCadres(*session->store, options);
    if (!rows) return ReportError(rows.error());
    if (g.json)
        PrintJson({{"out", o.file}, {"rows", *rows}});
    else
        std::printf("已导出 Exported %lld cadres to %s\n", static_cast<long long>(*rows), o.file.c_str());
    return kExitOk;
}

}  // namespace

void RegisterCadreExchangeCommands(Registry& registry) {
    CLI::App& app = registry.app();
    const GlobalOptions& g = registry.global();
    CLI::App& cadre = CadreCommand(app);

    auto ci = std::make_shared<CadreImportOptions>();
    auto* ci_cmd = cadre.add_subcommand("import", "Import cadres (CSV in UTF-8 or GB18030, or .xlsx), one row per cadre");
    ci_cmd->add_option("file", ci->file, "File in the cadres layout (docs/import-format.md)")->required();
    ci_cmd->add_option("--errors", ci->errors, "Where rejected rows go (default: FILE.errors.csv)");
    ci_cmd->add_option("--sheet", ci->sheet, ".xlsx sheet name (default: the first sheet)");
    ci_cmd->add_option("--max-rows", ci->max_rows, "Refuse a file with more data rows (default 10000000)")
        ->check(CLI::Range(int64_t{1}, INT64_MAX));
    ci_cmd->add_option("--max-cell-bytes", ci->max_cell_bytes, "Reject rows with a longer cell, in bytes (default 8192)")
        ->check(CLI::Range(int64_t{16}, int64_t{1} << 30));
    ci_cmd->add_option("--time-limit", ci->time_limit, "Cancel the import after this many seconds (default 3600)")
        ->check(CLI::Range(int64_t{1}, int64_t{1} << 30));
    registry.Runs(ci_cmd, [&g, ci] { return RunCadreImport(g, *ci); });

    auto ce = std::make_shared<CadreExportOptions>();
    auto* ce_cmd = cadre.add_subcommand("export", "Export cadres in the import layout");
    ce_cmd->add_option("file", ce->file, "Output file")->required();
    ce_cmd->add_option("--format", ce->format,
                       "csv (UTF-8 with BOM), csv-nobom, gb18030 (CSV) or xlsx (default: from FILE's extension)");
    ce_cmd->add_option("--unit", ce->unit, "Only cadres of this org unit (the county: all; a township: its own)");
    ce_cmd->add_option("--rank", ce->rank, "Only this rank (县级, 正科, 副科及以下, 职级不详, or 1/2/3/9)");
    registry.Runs(ce_cmd, [&g, ce] { return RunCadreExport(g, *ce); });
}

}  // namespace jz::cli
