// init, demo, generate, import, export, report progress (audit, backup, restore: audit_commands.cc).
#include "cli/commands.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "cli/demo_ledger.h"
#include "cli/demo_shares.h"
#include "cli/demo_funds.h"
#include "cli/demo_pairing.h"
#include "core/assembly.h"
#include "generator/generator.h"
#include "core/codes.h"
#include "core/progress.h"
#include "core/registry_index.h"
#include "io/exporter.h"
#include "io/importer.h"
#include "io/table.h"
#include "server/auth.h"
#include "service/battle_map.h"
#include "service/reports.h"
#include "store/sqlite_store.h"

namespace jz::cli {
namespace {

struct InitOptions {
    std::string plan_path;
    std::string divisions_path;
    bool force = false;
};

struct GenerateOptions {
    std::string plan_path;    // empty: the default plan
    bool plan_given = false;  // --plan on the command line: match it unless --households is given
    int64_t households = 0;   // 0: match the plan
    uint64_t seed = 1;
    std::string as_of = "2017-06-30";
    std::string format;  // csv | xlsx; empty: from the --out extension
    std::string out;
    bool ledger = false;  // also the ledger's items and income beside --out
    bool pairing = false;  // also the pairing data (cadres, pairings, teams, places, visits) beside --out
};

struct DemoOptions {
    std::string plan_path;
    std::string as_of = "2017-06-30";
    uint64_t seed = 2016;
    bool force = false;
};

struct ImportOptions {
    std::string file;
    std::string errors;
    std::string sheet;
    // 0: the default of io::ImportLimits.
    int64_t max_rows = 0;
    int64_t max_cell_bytes = 0;
    int64_t time_limit = 0;  // seconds
};

struct ExportOptions {
    std::string format;
    std::string out;
    std::string division;
    // The household list's filters (GET /api/households): codes or names, years.
    std::string status, cause, measure, attribute;
    int overdue = 0, planned_exit_year = 0, exit_year = 0;
};

struct ProgressOptions {
    std::string as_of;  // empty: today
};


constexpr const char* kDemoPassword = "jingzhun-demo";

ChangeContext Change(const GlobalOptions& g) { return ChangeContext{g.actor, NowIso(), std::nullopt}; }

Result<io::ExportFormat> FormatOf(const std::string& format, const std::string& out) {
    std::string f = format;
    if (f.empty()) f = out.ends_with(".xlsx") ? "xlsx" : "csv";
    if (f == "csv") return io::ExportFormat::kCsv;
    if (f == "xlsx") return io::ExportFormat::kXlsx;
    return Fail("usage.format", "--format", "--format 只能是 csv 或 xlsx: " + f,
                "--format must be csv or xlsx: " + f);
}

// Creates the database and loads the plan and its division codes, in one transaction.
Result<std::unique_ptr<Store>> CreateDatabase(const GlobalOptions& g, const LoadedPlan& loaded, bool force) {
    std::error_code ec;
    if (force) {
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(g.db + suffix, ec);
    }
    auto store = OpenSqliteStore(g.db, OpenMode::kCreate);
    if (!store) return std::unexpected(store.error());
    auto tx = Transaction::Begin(**store);
    if (!tx) return std::unexpected(tx.error());
    const ChangeContext change = Change(g);
    if (auto r = (*store)->SaveOrgUnits(loaded.tree, change); !r) return std::unexpected(r.error());
    if (auto r = (*store)->SavePlan(loaded.plan.id, loaded.toml_text, change); !r)
        return std::unexpected(r.error());
    if (auto r = (*store)->PutSetting("county_code", loaded.plan.county_code); !r)
        return std::unexpected(r.error());
    if (auto r = (*store)->PutSetting("plan_id", loaded.plan.id); !r) return std::unexpected(r.error());
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return store;
}

Result<int64_t> WriteGenerated(const Plan& plan, const OrgTree& tree, const GeneratorOptions& options,
                               const std::string& out, io::ExportFormat format) {
    auto generator = Generator::Create(plan, tree, options);
    if (!generator) return std::unexpected(generator.error());
    auto writer =
        format == io::ExportFormat::kXlsx ? io::CreateXlsxWriter(out, "建档立卡") : io::CreateCsvWriter(out);
    if (!writer) return std::unexpected(writer.error());
    std::vector<std::string> line;
    for (const ColumnInfo& c : Columns()) line.emplace_back(c.zh);
    if (auto r = (*writer)->WriteRow(line); !r) return std::unexpected(r.error());
    Household h;
    std::vector<LayoutRow> rows;
    int64_t households = 0;
    while ((*generator)->Next(h)) {
        rows.clear();
        FormatHousehold(h, plan, rows);
        for (LayoutRow& row : rows) {
            line.assign(std::make_move_iterator(row.begin()), std::make_move_iterator(row.end()));
            if (auto r = (*writer)->WriteRow(line); !r) return std::unexpected(r.error());
        }
        ++households;
    }
    if (auto r = (*writer)->Close(); !r) return std::unexpected(r.error());
    return households;
}

int PrintImport(const GlobalOptions& g, const io::ImportSummary& s) {
    if (g.json) {
        std::cout << s.ToJson() << "\n";
    } else {
        std::printf("导入完成 Import finished (encoding %s)\n", s.encoding.c_str());
        std::printf(
            "  户 households: read %lld, inserted %lld, updated %lld, unchanged %lld, rejected %lld\n",
            static_cast<long long>(s.households.read), static_cast<long long>(s.households.inserted),
            static_cast<long long>(s.households.updated), static_cast<long long>(s.households.unchanged),
            static_cast<long long>(s.households.rejected));
        std::printf("  人 persons:    read %lld, accepted %lld, rejected %lld\n",
                    static_cast<long long>(s.persons.read), static_cast<long long>(s.persons.accepted),
                    static_cast<long long>(s.persons.rejected));
        const size_t shown = 20;
        for (size_t i = 0; i < s.warnings.size() && i < shown; ++i)
            std::printf("  警告 warning: row %lld %s %s: %s\n", static_cast<long long>(s.warnings[i].row),
                        s.warnings[i].household_code.c_str(), s.warnings[i].field.c_str(),
                        s.warnings[i].Reason().c_str());
        if (s.warnings.size() > shown)
            std::printf("  … %zu more warnings (see --json)\n", s.warnings.size() - shown);
        for (size_t i = 0; i < s.errors.size() && i < shown; ++i)
            std::printf("  错误 error: row %lld %s %s: %s\n", static_cast<long long>(s.errors[i].row),
                        s.errors[i].household_code.c_str(), s.errors[i].field.c_str(),
                        s.errors[i].Reason().c_str());
        if (s.errors.size() > shown)
            std::printf("  … %zu more errors (see the error file)\n", s.errors.size() - shown);
        if (!s.errors_file.empty()) std::printf("  错误文件 error file: %s\n", s.errors_file.c_str());
    }
    return s.households.rejected > 0 ? kExitPartial : kExitOk;
}

Result<io::ImportSummary> Import(Session& s, const GlobalOptions& g, const ImportOptions& o) {
    io::ImportOptions options{o.file, o.sheet, o.errors, Change(g)};
    if (o.max_rows > 0) options.limits.max_rows = o.max_rows;
    if (o.max_cell_bytes > 0) options.limits.max_cell_bytes = o.max_cell_bytes;
    if (o.time_limit > 0) options.limits.time_budget = std::chrono::seconds(o.time_limit);
    return io::ImportRegistry(*s.store, s.plan, s.tree, options);
}

// Display width of UTF-8 text: CJK characters take two columns.
int Width(std::string_view s) {
    int w = 0;
    for (size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        w += len >= 3 ? 2 : 1;
        i += static_cast<size_t>(len);
    }
    return w;
}
std::string Pad(std::string_view s, int width) {
    std::string out(s);
    for (int w = Width(s); w < width; ++w) out += ' ';
    return out;
}

void PrintProgress(const ProgressReport& r, const Plan& plan) {
    std::printf("挂图作战 Battle map — %s %s, as of %s\n", r.county_name.c_str(), r.county_code.c_str(),
                r.as_of.ToString().c_str());
    std::printf(
        "目标 Goal: %d persons by %d; registered %lld households / %lld persons; exited %lld persons "
        "(%.1f%%)\n\n",
        r.target_persons, plan.end_year, static_cast<long long>(r.households),
        static_cast<long long>(r.persons), static_cast<long long>(r.exited_persons),
        r.target_persons ? 100.0 * static_cast<double>(r.exited_persons) / r.target_persons : 0.0);
    std::printf("%s %8s %8s", Pad("乡镇 township", 24).c_str(), "户 hh", "人 pers");
    for (int y : plan.years()) std::printf("   %d target/planned/exited", y);
    std::printf("\n");
    for (const ProgressTownship& t : r.townships) {
        std::printf("%s %8lld %8lld", Pad(t.name + " " + t.code, 24).c_str(),
                    static_cast<long long>(t.households), static_cast<long long>(t.persons));
        for (const ProgressYear& y : t.years)
            std::printf("   %6d /%6lld /%6lld      ", y.target_persons,
                        static_cast<long long>(y.planned_persons), static_cast<long long>(y.exited_persons));
        std::printf("\n");
    }
    // The measures delivered (the ledger's signed items from the plan's start to the date).
    std::printf("\n帮扶措施落实 Measures delivered %d-01-01 – %s (计划 planned / 覆盖 reached households, 受益 beneficiaries)\n",
                plan.start_year, r.as_of.ToString().c_str());
    std::printf("%s %-14s %16s %8s %8s %10s %12s %14s\n", Pad("帮扶措施 measure", 26).c_str(), "battle",
                "target hh/pers", "planned", "reached", "benefic.", "items/unsig.", "amount yuan");
    auto opt = [](const std::optional<int>& v) { return v ? std::to_string(*v) : std::string("–"); };
    for (const ProgressMeasure& m : r.measures) {
        const MeasureDelivered none;
        const MeasureDelivered& d = m.delivered ? *m.delivered : none;
        std::printf("%s %-14s %16s %8lld %8lld %10lld %12s %14s\n",
                    Pad(std::to_string(m.number) + " " + m.name, 26).c_str(), m.battle.c_str(),
                    (opt(m.target_households) + " / " + opt(m.target_persons)).c_str(),
                    static_cast<long long>(m.delivered ? d.planned_households : m.households),
                    static_cast<long long>(d.reached_households), static_cast<long long>(d.beneficiaries),
                    (std::to_string(d.items) + " / " + std::to_string(d.unsigned_items)).c_str(),
                    FormatCenti(d.amount).c_str());
        for (const StageDelivered& st : d.stages)
            std::printf("    %s %8lld / %d\n", Pad("学段 stage " + st.name + " " + st.id, 38).c_str(),
                        static_cast<long long>(st.persons), st.target_persons);
        for (const OtherDelivered& o : d.others)
            std::printf("    %s %8lld / %d\n", Pad(o.name + " " + o.id + " (在岗 held)", 38).c_str(),
                        static_cast<long long>(o.held), o.target);
    }
}

Result<ProgressReport> BuildProgress(Session& s, const Date& as_of) {
    return service::BuildProgress(*s.store, s.plan, s.tree, as_of);
}

}  // namespace

int RunInit(const GlobalOptions& g, const InitOptions& o) {
    auto loaded = LoadPlanFile(o.plan_path, o.divisions_path);
    if (!loaded) return ReportError(loaded.error());
    auto store = CreateDatabase(g, *loaded, o.force);
    if (!store) return ReportError(store.error());
    if (g.json) {
        PrintJson({{"db", g.db},
                   {"plan", loaded->plan.id},
                   {"county_code", loaded->plan.county_code},
                   {"org_units", loaded->tree.units().size()},
                   {"schema_version", (*store)->schema_version()}});
    } else {
        std::printf("已创建数据库 Created %s: plan %s, county %s %s, %zu org units\n", g.db.c_str(),
                    loaded->plan.id.c_str(), loaded->plan.county_name.c_str(),
                    loaded->plan.county_code.c_str(), loaded->tree.units().size());
    }
    return kExitOk;
}

int RunGenerate(const GlobalOptions& g, const GenerateOptions& o) {
    if (o.out.empty())
        return ReportError(Error{.code = "usage.out",
                                 .field = "--out",
                                 .message_zh = "请用 --out 指定输出文件",
                                 .message_en = "give the output file with --out"});
    auto format = FormatOf(o.format, o.out);
    if (!format) return ReportError(format.error());
    auto as_of = ParseDateOption(o.as_of, "--as-of");
    if (!as_of) return ReportError(as_of.error());
    if (!o.plan_given && o.households <= 0)
        return ReportError(
            Error{.code = "usage.generate",
                  .field = "--plan",
                  .message_zh = "请指定 --plan 方案文件(按方案生成)或 --households 户数",
                  .message_en = "give --plan FILE (match the plan) or --households N (any size)"});
    auto loaded = LoadPlanFile(o.plan_path.empty() ? DefaultPlanPath() : o.plan_path);
    if (!loaded) return ReportError(loaded.error());
    GeneratorOptions options;
    options.seed = o.seed;
    options.match_plan = o.households <= 0;
    options.households = o.households;
    options.as_of = *as_of;
    options.cadres = o.pairing;  // distinct cadre names, kept for the pairing data
    auto written = WriteGenerated(loaded->plan, loaded->tree, options, o.out, *format);
    if (!written) return ReportError(written.error());
    boost::json::object answer{{"out", o.out}, {"households", *written}, {"seed", o.seed}};
    if (o.ledger) {
        // Beside --out: F-assistance.csv and F-income.csv (or .xlsx), the ledger's exchange layouts.
        const std::filesystem::path out(o.out);
        const std::string ext = *format == io::ExportFormat::kXlsx ? ".xlsx" : ".csv";
        const std::string stem = (out.parent_path() / out.stem()).string();
        const std::string items = stem + "-assistance" + ext, income = stem + "-income" + ext;
        auto ledger = WriteGeneratedLedger(*loaded, options, items, income,
                                           ext == ".xlsx" ? io::LedgerFormat::kXlsx : io::LedgerFormat::kCsv);
        if (!ledger) return ReportError(ledger.error());
        answer["assistance_out"] = items;
        answer["assistance_items"] = ledger->items;
        answer["income_out"] = income;
        answer["income_records"] = ledger->income;
        if (!g.json)
            std::printf("已生成台账 Ledger: %lld items into %s, %lld income records into %s\n",
                        static_cast<long long>(ledger->items), items.c_str(), static_cast<long long>(ledger->income),
                        income.c_str());
    }
    if (o.pairing) {
        // Beside --out: F-cadres.csv (or .xlsx) in the cadres' exchange layout, and the pairings,
        // teams, days on post, places and visits as CSV (src/generator/README.md, "Pairing").
        const std::filesystem::path out(o.out);
        const std::string stem = (out.parent_path() / out.stem()).string();
        std::vector<std::string> files;
        auto pairing = WriteGeneratedPairing(*loaded, options, stem,
                                             *format == io::ExportFormat::kXlsx ? io::LedgerFormat::kXlsx
                                                                                : io::LedgerFormat::kCsv,
                                             files);
        if (!pairing) return ReportError(pairing.error());
        boost::json::array paths;
        for (const std::string& f : files) paths.emplace_back(f);
        answer["pairing_files"] = std::move(paths);
        answer["cadres"] = pairing->cadres;
        answer["pairings"] = pairing->pairings;
        answer["team_members"] = pairing->team_members;
        answer["visits"] = pairing->visits;
        if (!g.json)
            std::printf("已生成结对帮扶 Pairing: %lld cadres, %lld pairings, %lld team members, %lld visits into "
                        "%s-*.csv\n",
                        static_cast<long long>(pairing->cadres), static_cast<long long>(pairing->pairings),
                        static_cast<long long>(pairing->team_members), static_cast<long long>(pairing->visits),
                        stem.c_str());
    }
    if (g.json)
        PrintJson(answer);
    else
        std::printf("已生成 Generated %lld households into %s (seed %llu)\n",
                    static_cast<long long>(*written), o.out.c_str(), static_cast<unsigned long long>(o.seed));
    return kExitOk;
}

int RunDemo(const GlobalOptions& g, const DemoOptions& o) {
    auto as_of = ParseDateOption(o.as_of, "--as-of");
    if (!as_of) return ReportError(as_of.error());
    auto loaded = LoadPlanFile(o.plan_path.empty() ? DefaultPlanPath() : o.plan_path);
    if (!loaded) return ReportError(loaded.error());
    // Refuse before generating anything when the database exists and --force was not given.
    std::error_code ec;
    if (!o.force && std::filesystem::exists(g.db, ec) && std::filesystem::file_size(g.db, ec) > 0)
        return ReportError(
            Error{.code = "store.exists",
                  .field = "db",
                  .message_zh = "数据库文件已存在: " + g.db + "(用 --force 重建)",
                  .message_en = "a database already exists at " + g.db + " (use --force to rebuild it)"});
    GeneratorOptions options;
    options.seed = o.seed;
    options.match_plan = true;
    options.as_of = *as_of;
    options.cadres = true;  // distinct cadre names, kept for the pairing data
    const std::string csv = g.db + ".demo-registry.csv";
    auto written = WriteGenerated(loaded->plan, loaded->tree, options, csv, io::ExportFormat::kCsv);
    if (!written) return ReportError(written.error());
    {
        auto store = CreateDatabase(g, *loaded, o.force);
        if (!store) return ReportError(store.error());
    }
    auto session = OpenSession(g);
    if (!session) return ReportError(session.error());
    // Pairing (issue 15): the cadres, pairings and teams before the registry, whose pairing_cadre
    // names then are their current cadres'; places and visits after it (cli/demo_pairing.h).
    auto pairing = MakeDemoPairing(*loaded, options);
    if (!pairing) return ReportError(pairing.error());
    std::vector<int64_t> cadre_ids;
    if (auto r = WriteDemoCadres(*session->store, *pairing, Change(g), cadre_ids); !r) return ReportError(r.error());
    ImportOptions io_options{csv, g.db + ".demo-errors.csv", ""};
    auto summary = Import(*session, g, io_options);
    std::filesystem::remove(csv, ec);
    if (!summary) return ReportError(summary.error());
    if (summary->households.rejected > 0) {
        std::cerr << "jingzhun: the generated demo registry had rejected households; see "
                  << summary->errors_file << "\n";
        return kExitPartial;
    }
    // The ledger (items, income by its parts, cover) of the imported households, in one transaction.
    auto ledger = WriteDemoLedger(*session, *as_of, o.seed, Change(g));
    if (!ledger) return ReportError(ledger.error());
    if (auto r = WriteDemoVisits(*session->store, *pairing, cadre_ids, Change(g)); !r) return ReportError(r.error());
    // Asset-income shares (issue 16): a few assets quantified among their villages' poor households.
    auto assets = WriteDemoShares(*session, *as_of, Change(g));
    if (!assets) return ReportError(assets.error());
    // Funds (issue 16): a project per fund reference of the items, allocations, entries (cli/demo_funds.h).
    auto funds = WriteDemoFunds(*session, *as_of, Change(g));
    if (!funds) return ReportError(funds.error());
    // The day the synthetic registry describes: the battle map's default date outside the plan's years.
    if (auto r = service::RecordRegistryAsOf(*session->store, *as_of); !r) return ReportError(r.error());
    // Demo accounts, one per role: the only place a known password exists.
    const auto townships = session->tree.AtLevel(OrgLevel::kTownship);
    const std::string county(session->tree.root_code());
    const std::string township = townships.empty() ? county : townships.front()->code;
    const std::vector<std::array<std::string, 3>> accounts{{"admin", "admin", county},
                                                           {"officer", "officer", township},
                                                           {"inspector", "inspector", county},
                                                           {"viewer", "viewer", county}};
    for (const auto& [name, role, scope] : accounts)
        if (auto a = server::AddAccount(*session->store, session->tree, name, role, scope, kDemoPassword,
                                        Change(g));
            !a)
            return ReportError(a.error());
    auto report = BuildProgress(*session, *as_of);
    if (!report) return ReportError(report.error());
    if (g.json) {
        PrintJson(service::ProgressJson(*report));
    } else {
        std::printf("演示县已建立 Demo county ready in %s (%lld households imported; ledger: %lld items, %lld "
                    "unsigned, %lld income years, %lld cover records)\n\n",
                    g.db.c_str(), static_cast<long long>(summary->households.inserted),
                    static_cast<long long>(ledger->items), static_cast<long long>(ledger->unsigned_items),
                    static_cast<long long>(ledger->income), static_cast<long long>(ledger->coverage));
        std::printf("结对帮扶 Pairing: %lld cadres, %lld pairings, %lld team members, %lld on-post months, %lld "
                    "visits (%lld far from the household)\n\n",
                    static_cast<long long>(pairing->counts.cadres), static_cast<long long>(pairing->counts.pairings),
                    static_cast<long long>(pairing->counts.team_members),
                    static_cast<long long>(pairing->counts.on_post), static_cast<long long>(pairing->counts.visits),
                    static_cast<long long>(pairing->counts.far_visits));
        std::printf("资产收益 Asset-income shares: %lld assets quantified\n\n", static_cast<long long>(*assets));
        std::printf("资金 Funds: %lld projects, %lld allocations, %lld entries\n\n",
                    static_cast<long long>(funds->projects), static_cast<long long>(funds->allocations),
                    static_cast<long long>(funds->entries));
        PrintProgress(*report, session->plan);
        std::printf(
            "\n演示账号 Demo logins (password %s): admin, inspector (county %s), officer (township %s), "
            "viewer (county, masked)\n",
            kDemoPassword, county.c_str(), township.c_str());
    }
    return kExitOk;
}

int RunImport(const GlobalOptions& g, const ImportOptions& o) {
    auto session = OpenSession(g);
    if (!session) return ReportError(session.error());
    auto summary = Import(*session, g, o);
    if (!summary) return ReportError(summary.error());
    return PrintImport(g, *summary);
}

int RunExport(const GlobalOptions& g, const ExportOptions& o) {
    if (o.out.empty())
        return ReportError(Error{.code = "usage.out",
                                 .field = "--out",
                                 .message_zh = "请用 --out 指定输出文件",
                                 .message_en = "give the output file with --out"});
    auto format = FormatOf(o.format, o.out);
    if (!format) return ReportError(format.error());
    auto session = OpenSession(g);
    if (!session) return ReportError(session.error());
    if (!o.division.empty() && !session->tree.Find(o.division))
        return ReportError(Error{.code = "usage.division",
                                 .field = "--division",
                                 .message_zh = "未知的行政区划代码: " + o.division,
                                 .message_en = "unknown division code: " + o.division});
    // The list's filters, answered as the list answers them: by a registry index of the org unit.
    IndexQuery q;
    q.division_prefix = o.division;
    const auto code = [](const std::string& text, const CodeTable& table, const char* option,
                         std::optional<int>& out) -> std::optional<Error> {
        if (text.empty()) return std::nullopt;
        out = table.Parse(text);
        if (out) return std::nullopt;
        return Error{.code = "usage.code",
                     .field = option,
                     .message_zh = std::string(option) + " 不是有效的" + std::string(table.label_zh) + ": " + text,
                     .message_en = std::string(option) + " is not a known " + std::string(table.id) + ": " + text};
    };
    for (auto e : {code(o.status, codes::Status(), "--status", q.status),
                   code(o.cause, codes::Cause(), "--cause", q.cause),
                   code(o.attribute, codes::Attribute(), "--attribute", q.attribute)})
        if (e) return ReportError(*e);
    if (!o.measure.empty()) {
        q.measure = session->plan.ParseMeasure(o.measure);
        if (!q.measure)
            return ReportError(Error{.code = "usage.measure",
                                     .field = "--measure",
                                     .message_zh = "计划中没有这项帮扶措施: " + o.measure,
                                     .message_en = "the plan has no such measure: " + o.measure});
    }
    if (o.overdue) q.overdue_before = o.overdue;
    if (o.planned_exit_year) q.planned_exit_year = o.planned_exit_year;
    if (o.exit_year) q.exit_year = o.exit_year;
    io::ExportOptions options{o.out, *format, o.division, false, {}, &session->tree};
    RegistryIndex index;
    if (q.status || q.cause || q.measure || q.attribute || q.overdue_before || q.planned_exit_year || q.exit_year) {
        auto scanned = session->store->ScanHouseholds({o.division}, [&](const Household& h) {
            index.Upsert(FactsOf(h));
            return true;
        });
        if (!scanned) return ReportError(scanned.error());
        options.include = [&](const Household& h) { return index.Matches(h.household_code, q); };
    }
    auto summary = io::ExportRegistry(*session->store, session->plan, options);
    if (!summary) return ReportError(summary.error());
    if (g.json)
        PrintJson({{"out", o.out}, {"households", summary->households}, {"persons", summary->persons}});
    else
        std::printf("已导出 Exported %lld households / %lld persons to %s\n",
                    static_cast<long long>(summary->households), static_cast<long long>(summary->persons),
                    o.out.c_str());
    return kExitOk;
}

int RunReportProgress(const GlobalOptions& g, const ProgressOptions& o) {
    Date as_of = Today();
    if (!o.as_of.empty()) {
        auto d = ParseDateOption(o.as_of, "--as-of");
        if (!d) return ReportError(d.error());
        as_of = *d;
    }
    auto session = OpenSession(g);
    if (!session) return ReportError(session.error());
    auto report = BuildProgress(*session, as_of);
    if (!report) return ReportError(report.error());
    if (g.json) {
        boost::json::value out = service::ProgressJson(*report);
        AddChainHead(*session->store, out);
        PrintJson(out);
    } else {
        PrintProgress(*report, session->plan);
        PrintChainHeadFooter(*session->store);
    }
    return kExitOk;
}

// -------------------------------------------------------------------------------- registration

void RegisterSetupCommands(Registry& registry) {
    CLI::App& app = registry.app();
    const GlobalOptions& g = registry.global();

    auto init = std::make_shared<InitOptions>();
    auto* init_cmd =
        app.add_subcommand("init", "Create a database, load a plan and its county's division codes");
    init_cmd->add_option("--plan", init->plan_path, "Plan file (TOML)")->required();
    init_cmd->add_option("--divisions", init->divisions_path,
                         "Division table CSV (default: the one the plan names)");
    init_cmd->add_flag("--force", init->force, "Replace an existing database file");
    registry.Runs(init_cmd, [&g, init] { return RunInit(g, *init); });

    auto demo = std::make_shared<DemoOptions>();
    auto* demo_cmd =
        app.add_subcommand("demo", "Create the demo county: init + the plan's synthetic registry");
    demo_cmd->add_option("--plan", demo->plan_path, "Plan file (default: plans/chayu-2016.toml)");
    demo_cmd->add_option("--as-of", demo->as_of, "Registry state as of this date (default 2017-06-30)");
    demo_cmd->add_option("--seed", demo->seed, "Random seed (default 2016)");
    demo_cmd->add_flag("--force", demo->force, "Replace an existing database file");
    registry.Runs(demo_cmd, [&g, demo] { return RunDemo(g, *demo); });

    auto gen = std::make_shared<GenerateOptions>();
    auto* gen_cmd = app.add_subcommand("generate", "Write a synthetic registry in the import layout");
    auto* gen_plan = gen_cmd->add_option("--plan", gen->plan_path, "Plan to match exactly (TOML)");
    gen_cmd
        ->add_option("--households", gen->households, "Make this many households instead of matching the plan")
        ->check(CLI::Range(int64_t{1}, int64_t{100'000'000}));
    gen_cmd->add_option("--seed", gen->seed, "Random seed (default 1)");
    gen_cmd->add_option("--as-of", gen->as_of, "Status as of this date (default 2017-06-30)");
    gen_cmd->add_option("--format", gen->format, "csv or xlsx (default: from --out's extension)");
    gen_cmd->add_option("--out", gen->out, "Output file")->required();
    gen_cmd->add_flag("--ledger", gen->ledger,
                      "Also the ledger as of --as-of: OUT-assistance and OUT-income beside --out, in the "
                      "exchange layouts");
    gen_cmd->add_flag("--pairing", gen->pairing,
                      "Also the pairing data as of --as-of beside --out: OUT-cadres (the cadres' exchange layout), "
                      "OUT-pairings, -teams, -on-post, -places and -visits (CSV)");
    registry.Runs(gen_cmd, [&g, gen, gen_plan] {
        gen->plan_given = gen_plan->count() > 0;
        return RunGenerate(g, *gen);
    });
}

void RegisterExchangeCommands(Registry& registry) {
    CLI::App& app = registry.app();
    const GlobalOptions& g = registry.global();

    auto imp = std::make_shared<ImportOptions>();
    auto* imp_cmd = app.add_subcommand("import", "Import a registry file (CSV or .xlsx) by household");
    imp_cmd->add_option("file", imp->file, "CSV or .xlsx file in the exchange layout")->required();
    imp_cmd->add_option("--errors", imp->errors, "Where rejected rows go (default: FILE.errors.csv)");
    imp_cmd->add_option("--sheet", imp->sheet, ".xlsx sheet name (default: the first sheet)");
    imp_cmd->add_option("--max-rows", imp->max_rows, "Refuse a file with more data rows (default 10000000)")
        ->check(CLI::Range(int64_t{1}, INT64_MAX));
    imp_cmd
        ->add_option("--max-cell-bytes", imp->max_cell_bytes,
                     "Reject rows with a longer cell, in bytes (default 8192)")
        ->check(CLI::Range(int64_t{16}, int64_t{1} << 30));
    imp_cmd
        ->add_option("--time-limit", imp->time_limit,
                     "Cancel the import after this many seconds (default 3600)")
        ->check(CLI::Range(int64_t{1}, int64_t{1} << 30));
    registry.Runs(imp_cmd, [&g, imp] { return RunImport(g, *imp); });

    auto exp = std::make_shared<ExportOptions>();
    auto* exp_cmd = app.add_subcommand("export", "Export the registry in the exchange layout");
    exp_cmd->add_option("--format", exp->format, "csv or xlsx (default: from --out's extension)");
    exp_cmd->add_option("--out", exp->out, "Output file")->required();
    exp_cmd->add_option("--division", exp->division, "Only this org unit (township or village code)");
    exp_cmd->add_option("--status", exp->status, "Only this status (code or name), as the household list");
    exp_cmd->add_option("--cause", exp->cause, "Only households with this cause (main or other; code or name)");
    exp_cmd->add_option("--measure", exp->measure, "Only households with this plan measure (number or name)");
    exp_cmd->add_option("--attribute", exp->attribute, "Only this attribute (code or name)");
    exp_cmd->add_option("--overdue", exp->overdue, "倒排工期: not exited, planned exit year before this year")
        ->check(CLI::Range(1900, 2200));
    exp_cmd->add_option("--planned-exit-year", exp->planned_exit_year, "Only this planned exit year")
        ->check(CLI::Range(1900, 2200));
    exp_cmd->add_option("--exit-year", exp->exit_year, "Only households exited (still) in this year")
        ->check(CLI::Range(1900, 2200));
    registry.Runs(exp_cmd, [&g, exp] { return RunExport(g, *exp); });
}

void RegisterReportCommands(Registry& registry) {
    const GlobalOptions& g = registry.global();
    auto* report_cmd = registry.app().add_subcommand("report", "Reports");
    report_cmd->require_subcommand(1);
    auto progress = std::make_shared<ProgressOptions>();
    auto* progress_cmd =
        report_cmd->add_subcommand("progress", "The battle map in numbers: plan against registry");
    progress_cmd->add_option("--as-of", progress->as_of, "Report date (default: today)");
    registry.Runs(progress_cmd, [&g, progress] { return RunReportProgress(g, *progress); });
}

}  // namespace jz::cli
