// jingzhun: one binary, subcommands. Parsing lives here; the work is in commands.cc.
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <exception>
#include <iostream>

#include "cli/commands.h"

namespace {

std::string EnvOr(const char* name, const std::string& fallback) {
    const char* v = std::getenv(name);
    return v && *v ? std::string(v) : fallback;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace jz::cli;  // NOLINT: main only
    CLI::App app{
        "精准 Jingzhun — targeted poverty-alleviation registry and battle map\n"
        "精准扶贫建档立卡与挂图作战管理系统",
        "jingzhun"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "jingzhun 0.1.0");

    GlobalOptions g;
    g.db = EnvOr("JINGZHUN_DB", "jingzhun.db");
    g.actor = "cli:" + EnvOr("USER", "unknown");
    auto add_common = [&](CLI::App* sub) {
        sub->add_option("--db", g.db, "SQLite database file (default: $JINGZHUN_DB, else jingzhun.db)");
        sub->add_flag("--json", g.json, "Machine-readable JSON output");
        sub->add_option("--actor", g.actor,
                        "Who is making the change, for the change log (default: cli:$USER)");
    };

    InitOptions init;
    auto* init_cmd =
        app.add_subcommand("init", "Create a database, load a plan and its county's division codes");
    init_cmd->add_option("--plan", init.plan_path, "Plan file (TOML)")->required();
    init_cmd->add_option("--divisions", init.divisions_path,
                         "Division table CSV (default: the one the plan names)");
    init_cmd->add_flag("--force", init.force, "Replace an existing database file");
    add_common(init_cmd);

    DemoOptions demo;
    auto* demo_cmd =
        app.add_subcommand("demo", "Create the demo county: init + the plan's synthetic registry");
    demo_cmd->add_option("--plan", demo.plan_path, "Plan file (default: plans/chayu-2016.toml)");
    demo_cmd->add_option("--as-of", demo.as_of, "Registry state as of this date (default 2017-06-30)");
    demo_cmd->add_option("--seed", demo.seed, "Random seed (default 2016)");
    demo_cmd->add_flag("--force", demo.force, "Replace an existing database file");
    add_common(demo_cmd);

    GenerateOptions gen;
    auto* gen_cmd = app.add_subcommand("generate", "Write a synthetic registry in the import layout");
    auto* gen_plan = gen_cmd->add_option("--plan", gen.plan_path, "Plan to match exactly (TOML)");
    gen_cmd
        ->add_option("--households", gen.households, "Make this many households instead of matching the plan")
        ->check(CLI::Range(int64_t{1}, int64_t{100'000'000}));
    gen_cmd->add_option("--seed", gen.seed, "Random seed (default 1)");
    gen_cmd->add_option("--as-of", gen.as_of, "Status as of this date (default 2017-06-30)");
    gen_cmd->add_option("--format", gen.format, "csv or xlsx (default: from --out's extension)");
    gen_cmd->add_option("--out", gen.out, "Output file")->required();
    add_common(gen_cmd);

    ImportOptions imp;
    auto* imp_cmd = app.add_subcommand("import", "Import a registry file (CSV or .xlsx) by household");
    imp_cmd->add_option("file", imp.file, "CSV or .xlsx file in the exchange layout")->required();
    imp_cmd->add_option("--errors", imp.errors, "Where rejected rows go (default: FILE.errors.csv)");
    imp_cmd->add_option("--sheet", imp.sheet, ".xlsx sheet name (default: the first sheet)");
    add_common(imp_cmd);

    ExportOptions exp;
    auto* exp_cmd = app.add_subcommand("export", "Export the registry in the exchange layout");
    exp_cmd->add_option("--format", exp.format, "csv or xlsx (default: from --out's extension)");
    exp_cmd->add_option("--out", exp.out, "Output file")->required();
    exp_cmd->add_option("--division", exp.division, "Only this org unit (township or village code)");
    add_common(exp_cmd);

    auto* report_cmd = app.add_subcommand("report", "Reports");
    report_cmd->require_subcommand(1);
    ProgressOptions progress;
    auto* progress_cmd =
        report_cmd->add_subcommand("progress", "The battle map in numbers: plan against registry");
    progress_cmd->add_option("--as-of", progress.as_of, "Report date (default: today)");
    add_common(progress_cmd);

    CheckCommandOptions check;
    auto* check_cmd =
        app.add_subcommand("check", "Data-quality rules over the registry (exit 1 when errors are found)");
    check_cmd->add_option("--division", check.division, "Only this org unit (township or village code)");
    check_cmd->add_option("--as-of", check.as_of,
                          "Compute ages and overdue years on this date (default: today)");
    check_cmd->add_option(
        "--against", check.against,
        "External list of ID numbers (one per line, or CSV with an id_number column); repeatable");
    check_cmd->add_option(
        "--list-kind", check.list_kinds,
        "Kind of each --against list: deceased, public_payroll, vehicle, real_estate, business");
    check_cmd->add_option("--xlsx", check.xlsx, "Also write the findings to this workbook");
    add_common(check_cmd);

    ReconcileOptions reconcile;
    auto* reconcile_cmd =
        app.add_subcommand("reconcile", "Do the plan's totals and the registry agree? (exit 1 when not)");
    reconcile_cmd->add_option("--as-of", reconcile.as_of,
                              "Exits are counted through the years ended by this date");
    add_common(reconcile_cmd);

    auto* audit_cmd = app.add_subcommand("audit", "The change log (audit trail)");
    audit_cmd->require_subcommand(1);
    auto* verify_cmd = audit_cmd->add_subcommand(
        "verify", "Walk the change log's hash chain (exit 1 and the first bad entry when altered)");
    add_common(verify_cmd);

    ServeOptions serve;
    auto* serve_cmd = app.add_subcommand("serve", "Serve the HTTP API and the web workbench");
    serve_cmd->add_option("--listen", serve.listen,
                          "Address and port (default 127.0.0.1:8080; port 0: any free)");
    serve_cmd->add_option("--web", serve.web_dir, "Directory of the built workbench (default: web/dist)");
    serve_cmd->add_option("--threads", serve.threads, "Connection threads (default: one per core)")
        ->check(CLI::Range(0, 256));
    serve_cmd
        ->add_option("--read-timeout", serve.read_timeout, "Seconds to receive a request body (default 30)")
        ->check(CLI::Range(1, 3600));
    serve_cmd
        ->add_option("--idle-timeout", serve.idle_timeout,
                     "Seconds a connection may wait for, or dawdle over, a request's header (default 60)")
        ->check(CLI::Range(1, 3600));
    serve_cmd->add_flag("--secure-cookie", serve.secure_cookie,
                        "Mark the session cookie Secure (behind HTTPS)");
    add_common(serve_cmd);

    auto* user_cmd = app.add_subcommand("user", "Accounts of the server");
    user_cmd->require_subcommand(1);
    UserAddOptions user_add;
    auto* user_add_cmd =
        user_cmd->add_subcommand("add", "Add an account; the password is read from stdin or --password-file");
    user_add_cmd->add_option("--username", user_add.username, "Login name")->required();
    user_add_cmd->add_option("--role", user_add.role, "admin, officer, inspector or viewer")->required();
    user_add_cmd->add_option("--scope", user_add.scope, "Org-unit code the account may see")->required();
    user_add_cmd->add_option("--password-file", user_add.password_file, "Read the password from this file");
    add_common(user_add_cmd);
    auto* user_list_cmd = user_cmd->add_subcommand("list", "List accounts");
    add_common(user_list_cmd);
    std::string disable_name;
    auto* user_disable_cmd = user_cmd->add_subcommand("disable", "Disable an account and end its sessions");
    user_disable_cmd->add_option("username", disable_name, "Login name")->required();
    add_common(user_disable_cmd);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "jingzhun: " << e.what() << " (see --help)\n";
        return kExitUsage;
    }
    gen.plan_given = gen_plan->count() > 0;

    try {
        if (init_cmd->parsed()) return RunInit(g, init);
        if (demo_cmd->parsed()) return RunDemo(g, demo);
        if (gen_cmd->parsed()) return RunGenerate(g, gen);
        if (imp_cmd->parsed()) return RunImport(g, imp);
        if (exp_cmd->parsed()) return RunExport(g, exp);
        if (progress_cmd->parsed()) return RunReportProgress(g, progress);
        if (check_cmd->parsed()) return RunCheck(g, check);
        if (reconcile_cmd->parsed()) return RunReconcile(g, reconcile);
        if (verify_cmd->parsed()) return RunAuditVerify(g);
        if (serve_cmd->parsed()) return RunServe(g, serve);
        if (user_add_cmd->parsed()) return RunUserAdd(g, user_add);
        if (user_list_cmd->parsed()) return RunUserList(g);
        if (user_disable_cmd->parsed()) return RunUserDisable(g, disable_name);
    } catch (const std::exception& e) {
        std::cerr << "jingzhun: internal error: " << e.what() << "\n";
        return 1;
    }
    return kExitUsage;
}
