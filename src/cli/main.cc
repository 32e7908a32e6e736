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
    imp_cmd->add_option("--max-rows", imp.max_rows, "Refuse a file with more data rows (default 10000000)")
        ->check(CLI::Range(int64_t{1}, INT64_MAX));
    imp_cmd
        ->add_option("--max-cell-bytes", imp.max_cell_bytes,
                     "Reject rows with a longer cell, in bytes (default 8192)")
        ->check(CLI::Range(int64_t{16}, int64_t{1} << 30));
    imp_cmd
        ->add_option("--time-limit", imp.time_limit,
                     "Cancel the import after this many seconds (default 3600)")
        ->check(CLI::Range(int64_t{1}, int64_t{1} << 30));
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
    AuditVerifyOptions audit_verify;
    auto* verify_cmd = audit_cmd->add_subcommand(
        "verify",
        "Walk the change log's hash chain and replay it against the rows (exit 1 and each problem when "
        "something was altered outside the program)");
    verify_cmd->add_option("--head", audit_verify.head,
                           "A head recorded earlier (SEQ:HASH or HASH, as reports and audit head print it): "
                           "the chain must still contain it");
    verify_cmd->add_flag("--chain-only", audit_verify.chain_only, "Check the chain only, not the rows");
    add_common(verify_cmd);
    auto* head_cmd = audit_cmd->add_subcommand("head", "Print the change log's head (SEQ:HASH) to keep elsewhere");
    add_common(head_cmd);

    BackupOptions backup;
    auto* backup_cmd = app.add_subcommand(
        "backup", "Copy the database consistently while it is in use (SQLite online backup), then check the copy");
    backup_cmd->add_option("--out", backup.out, "Backup file")->required();
    add_common(backup_cmd);

    RestoreOptions restore;
    auto* restore_cmd = app.add_subcommand(
        "restore", "Put a backup in place of the database (checked first; the old file is kept as .bak)");
    restore_cmd->add_option("file", restore.file, "Backup file (from jingzhun backup)")->required();
    restore_cmd->add_flag("--force", restore.force, "Replace an existing database");
    add_common(restore_cmd);

    ServeOptions serve;
    auto* serve_cmd = app.add_subcommand("serve", "Serve the HTTP API and the web workbench");
    serve_cmd->add_option("--listen", serve.listen,
                          "Address and port (default 127.0.0.1:8080; port 0: any free)");
    serve_cmd->add_option("--web", serve.web_dir, "Directory of the built workbench (default: web/dist)");
    serve_cmd->add_option("--threads", serve.threads, "Connection threads (default: one per core)")
        ->check(CLI::Range(0, 256));
    serve_cmd
        ->add_option("--read-timeout", serve.read_timeout,
                     "Seconds to receive a whole request once its first byte arrived (default 30)")
        ->check(CLI::Range(1, 3600));
    serve_cmd
        ->add_option("--idle-timeout", serve.idle_timeout,
                     "Seconds a connection may wait for a request's first byte (default 10)")
        ->check(CLI::Range(1, 3600));
    serve_cmd->add_flag("--secure-cookie", serve.secure_cookie,
                        "Mark the session cookie Secure (behind HTTPS)");
    serve_cmd
        ->add_option("--max-connections", serve.max_connections,
                     "Open connections at most (default: the file-descriptor limit less 128, at most 10000)")
        ->check(CLI::Range(0, 1000000));
    serve_cmd->add_flag("--trust-proxy", serve.trust_proxy,
                        "Behind a reverse proxy: client address from X-Forwarded-For, HTTPS from "
                        "X-Forwarded-Proto");
    serve_cmd->add_option("--allow-origin", serve.allowed_origins,
                          "Another origin allowed to send changes, e.g. http://localhost:5173 (repeatable)");
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

    // --- Dynamic management (docs/dynamic-management.md) ---
    ExitCandidatesOptions exit_candidates;
    auto* exit_candidates_cmd = app.add_subcommand(
        "exit-candidates", "Households that may exit in a year, and what the others still lack");
    exit_candidates_cmd->add_option("--year", exit_candidates.year, "Year of the exit")->required();
    exit_candidates_cmd->add_option("--division", exit_candidates.division,
                                    "Only this org unit (township or village code)");
    exit_candidates_cmd->add_option("--as-of", exit_candidates.as_of,
                                    "Compute ages on this date (default: December 31 of the year)");
    add_common(exit_candidates_cmd);

    int incidence_year = 0;
    auto* incidence_cmd = app.add_subcommand(
        "incidence", "Poverty incidence by village, township and county against the thresholds");
    incidence_cmd->add_option("--year", incidence_year, "Year (poor at its end)")->required();
    add_common(incidence_cmd);

    auto* population_cmd =
        app.add_subcommand("population", "Rural population by org unit and year (for incidence)");
    population_cmd->require_subcommand(1);
    PopulationSetOptions population_set;
    auto* population_set_cmd =
        population_cmd->add_subcommand("set", "Set an org unit's rural population for a year");
    population_set_cmd->add_option("code", population_set.code, "Org-unit code (county, township or village)")
        ->required();
    population_set_cmd->add_option("persons", population_set.persons, "Rural population (persons)")
        ->required();
    population_set_cmd->add_option("--year", population_set.year, "Year")->required();
    add_common(population_set_cmd);
    auto* population_list_cmd = population_cmd->add_subcommand("list", "List the population settings");
    add_common(population_list_cmd);

    auto* procedure_cmd = app.add_subcommand(
        "procedure", "Procedure cases: identification, exit, fallback, deregistration, members");
    procedure_cmd->require_subcommand(1);
    ProcedureListOptions procedure_list;
    int procedure_list_year = 0;
    auto* procedure_list_cmd = procedure_cmd->add_subcommand("list", "List cases (ordered by id)");
    procedure_list_cmd->add_option(
        "--kind", procedure_list.kind,
        "new_identification, exit, fallback, deregistration, member_change, buffer_end");
    procedure_list_cmd->add_option("--state", procedure_list.state, "Only cases in this state");
    procedure_list_cmd->add_option("--division", procedure_list.division, "Only cases under this org unit");
    procedure_list_cmd->add_option("--household", procedure_list.household, "Only this household's cases");
    auto* procedure_list_year_opt =
        procedure_list_cmd->add_option("--year", procedure_list_year, "Only cases of this year's adjustment");
    procedure_list_cmd->add_flag("--open", procedure_list.open_only, "Only open cases");
    add_common(procedure_list_cmd);
    int64_t procedure_show_id = 0;
    auto* procedure_show_cmd = procedure_cmd->add_subcommand("show", "A case with every step");
    procedure_show_cmd->add_option("id", procedure_show_id, "Case id")->required();
    add_common(procedure_show_cmd);
    ProcedureOpenOptions procedure_open;
    auto* procedure_open_cmd = procedure_cmd->add_subcommand(
        "open", "Open a new identification (--household-file) or an exit (--household)");
    procedure_open_cmd->add_option("kind", procedure_open.kind, "new_identification or exit")->required();
    procedure_open_cmd->add_option(
        "--household-file", procedure_open.household_file,
        "new_identification: the proposed household as JSON (the API's household shape)");
    procedure_open_cmd->add_option("--household", procedure_open.household, "exit: the household code");
    procedure_open_cmd->add_option("--year", procedure_open.year, "Year of the dynamic adjustment")
        ->required();
    procedure_open_cmd->add_option("--date", procedure_open.date, "Date of the first step (YYYY-MM-DD)")
        ->required();
    procedure_open_cmd->add_option("--notes", procedure_open.notes, "Notes");
    add_common(procedure_open_cmd);
    ProcedureStepOptions procedure_step;
    auto* procedure_step_cmd = procedure_cmd->add_subcommand("step", "Take the next step of a case");
    procedure_step_cmd->add_option("id", procedure_step.id, "Case id")->required();
    procedure_step_cmd
        ->add_option("step", procedure_step.step,
                     "apply, propose, appraise, verify, notice, object, review, approve, agree, announce")
        ->required();
    procedure_step_cmd->add_option("--date", procedure_step.date, "Date of the step (YYYY-MM-DD)")
        ->required();
    procedure_step_cmd->add_option("--outcome", procedure_step.outcome,
                                   "passed (default), rejected, disagreed (agree), ...");
    procedure_step_cmd->add_option("--notes", procedure_step.notes, "Notes");
    procedure_step_cmd->add_option("--exclusion", procedure_step.exclusions,
                                   "verify: exclusion fact found (public_payroll, village_cadre, vehicle, "
                                   "commercial_housing, business); "
                                   "repeatable");
    procedure_step_cmd->add_option("--against", procedure_step.against,
                                   "approve: external list KIND=FILE (deceased, public_payroll, vehicle, "
                                   "real_estate, business; as check --against); repeatable");
    add_common(procedure_step_cmd);
    ProcedureChangeOptions procedure_change;
    auto* procedure_fallback_cmd =
        procedure_cmd->add_subcommand("fallback", "An exited household is poor again (返贫)");
    procedure_fallback_cmd->add_option("--household", procedure_change.household, "Household code")
        ->required();
    procedure_fallback_cmd->add_option("--year", procedure_change.year, "Year of the dynamic adjustment")
        ->required();
    procedure_fallback_cmd->add_option("--date", procedure_change.date, "Date (YYYY-MM-DD)")->required();
    procedure_fallback_cmd->add_option("--reason", procedure_change.reason, "Why (text)")->required();
    add_common(procedure_fallback_cmd);
    auto* procedure_deregister_cmd =
        procedure_cmd->add_subcommand("deregister", "Remove a household from the registry (销户)");
    procedure_deregister_cmd->add_option("--household", procedure_change.household, "Household code")
        ->required();
    procedure_deregister_cmd->add_option("--year", procedure_change.year, "Year of the dynamic adjustment")
        ->required();
    procedure_deregister_cmd->add_option("--date", procedure_change.date, "Date (YYYY-MM-DD)")->required();
    procedure_deregister_cmd
        ->add_option("--reason", procedure_change.reason, "death, moved_away or wrongly_registered")
        ->required();
    procedure_deregister_cmd->add_option("--notes", procedure_change.notes, "Notes");
    add_common(procedure_deregister_cmd);
    auto* procedure_member_cmd =
        procedure_cmd->add_subcommand("member", "A member leaves (--id-number) or joins (--person-file)");
    procedure_member_cmd->add_option("--household", procedure_change.household, "Household code")->required();
    procedure_member_cmd->add_option("--year", procedure_change.year, "Year of the dynamic adjustment")
        ->required();
    procedure_member_cmd->add_option("--date", procedure_change.date, "Date (YYYY-MM-DD)")->required();
    procedure_member_cmd
        ->add_option(
            "--change", procedure_change.change,
            "The change, by name or code: 死亡, 嫁出, 出国定居, 判刑收监, 其他转出 (leaving); 嫁入, 新生儿, "
            "其他转入 (joining)")
        ->required();
    procedure_member_cmd->add_option("--id-number", procedure_change.id_number,
                                     "Leaving: the member's ID number");
    procedure_member_cmd->add_option("--new-head", procedure_change.new_head,
                                     "Leaving head: the ID number of the member taking over");
    procedure_member_cmd->add_option("--person-file", procedure_change.person_file,
                                     "Joining: the person as JSON (a member of the API's household shape)");
    procedure_member_cmd->add_option("--notes", procedure_change.notes, "Notes");
    add_common(procedure_member_cmd);
    EndBufferOptions end_buffer;
    auto* procedure_end_buffer_cmd = procedure_cmd->add_subcommand(
        "end-buffer", "End the buffer period of every household whose buffer has ended by the year");
    procedure_end_buffer_cmd->add_option("--year", end_buffer.year, "Year")->required();
    procedure_end_buffer_cmd->add_option("--date", end_buffer.date, "Date (YYYY-MM-DD)")->required();
    add_common(procedure_end_buffer_cmd);

    AdjustmentOptions adjustment;
    auto* adjustment_cmd = app.add_subcommand(
        "adjustment", "The year's dynamic adjustment by township; --approve it as a whole");
    adjustment_cmd->add_option("--year", adjustment.year, "Year")->required();
    adjustment_cmd->add_flag("--approve", adjustment.approve, "Approve the year's adjustment (needs --date)");
    adjustment_cmd->add_option("--date", adjustment.date, "Date of the approval (YYYY-MM-DD)");
    adjustment_cmd->add_option("--notes", adjustment.notes, "Notes of the approval");
    add_common(adjustment_cmd);

    auto* evaluation_cmd = app.add_subcommand("evaluation", "Third-party evaluation of the county's exit");
    evaluation_cmd->require_subcommand(1);
    EvaluationOptions evaluation;
    int64_t non_poor_surveyed = 0, missed_found = 0, approval_surveyed = 0, approval_satisfied = 0;
    auto* evaluation_draw_cmd =
        evaluation_cmd->add_subcommand("draw", "Draw a reproducible sample of exited households");
    evaluation_draw_cmd->add_option("--year", evaluation.year, "Households exited in this year or before")
        ->required();
    evaluation_draw_cmd->add_option("--size", evaluation.size, "Sample size")->required();
    evaluation_draw_cmd
        ->add_option("--seed", evaluation.seed, "Random seed (the same seed draws the same sample)")
        ->required();
    add_common(evaluation_draw_cmd);
    auto* evaluation_show_cmd =
        evaluation_cmd->add_subcommand("show", "An evaluation with its sample and rates");
    evaluation_show_cmd->add_option("id", evaluation.id, "Evaluation id")->required();
    add_common(evaluation_show_cmd);
    auto* evaluation_list_cmd = evaluation_cmd->add_subcommand("list", "List evaluations");
    add_common(evaluation_list_cmd);
    auto* evaluation_verdict_cmd =
        evaluation_cmd->add_subcommand("verdict", "Record the verdict on a sampled household");
    evaluation_verdict_cmd->add_option("id", evaluation.id, "Evaluation id")->required();
    evaluation_verdict_cmd->add_option("code", evaluation.household, "Household code")->required();
    evaluation_verdict_cmd->add_option("verdict", evaluation.verdict, "correct, wrongful or pending")
        ->required();
    evaluation_verdict_cmd->add_option("--notes", evaluation.notes, "Notes");
    add_common(evaluation_verdict_cmd);
    auto* evaluation_survey_cmd =
        evaluation_cmd->add_subcommand("survey", "Record the survey figures (missed poor, approval)");
    evaluation_survey_cmd->add_option("id", evaluation.id, "Evaluation id")->required();
    auto* non_poor_opt = evaluation_survey_cmd->add_option("--non-poor-surveyed", non_poor_surveyed,
                                                           "Non-registered households surveyed");
    auto* missed_opt = evaluation_survey_cmd->add_option("--missed-found", missed_found,
                                                         "Of them, poor households that were missed");
    auto* approval_surveyed_opt =
        evaluation_survey_cmd->add_option("--approval-surveyed", approval_surveyed, "People asked");
    auto* approval_satisfied_opt =
        evaluation_survey_cmd->add_option("--approval-satisfied", approval_satisfied, "Of them, satisfied");
    add_common(evaluation_survey_cmd);

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
    if (procedure_list_year_opt->count() > 0) procedure_list.year = procedure_list_year;
    if (non_poor_opt->count() > 0) evaluation.non_poor_surveyed = non_poor_surveyed;
    if (missed_opt->count() > 0) evaluation.missed_found = missed_found;
    if (approval_surveyed_opt->count() > 0) evaluation.approval_surveyed = approval_surveyed;
    if (approval_satisfied_opt->count() > 0) evaluation.approval_satisfied = approval_satisfied;

    try {
        if (init_cmd->parsed()) return RunInit(g, init);
        if (demo_cmd->parsed()) return RunDemo(g, demo);
        if (gen_cmd->parsed()) return RunGenerate(g, gen);
        if (imp_cmd->parsed()) return RunImport(g, imp);
        if (exp_cmd->parsed()) return RunExport(g, exp);
        if (progress_cmd->parsed()) return RunReportProgress(g, progress);
        if (check_cmd->parsed()) return RunCheck(g, check);
        if (reconcile_cmd->parsed()) return RunReconcile(g, reconcile);
        if (verify_cmd->parsed()) return RunAuditVerify(g, audit_verify);
        if (head_cmd->parsed()) return RunAuditHead(g);
        if (backup_cmd->parsed()) return RunBackup(g, backup);
        if (restore_cmd->parsed()) return RunRestore(g, restore);
        if (serve_cmd->parsed()) return RunServe(g, serve);
        if (user_add_cmd->parsed()) return RunUserAdd(g, user_add);
        if (user_list_cmd->parsed()) return RunUserList(g);
        if (user_disable_cmd->parsed()) return RunUserDisable(g, disable_name);
        if (exit_candidates_cmd->parsed()) return RunExitCandidates(g, exit_candidates);
        if (incidence_cmd->parsed()) return RunIncidence(g, incidence_year);
        if (population_set_cmd->parsed()) return RunPopulationSet(g, population_set);
        if (population_list_cmd->parsed()) return RunPopulationList(g);
        if (procedure_list_cmd->parsed()) return RunProcedureList(g, procedure_list);
        if (procedure_show_cmd->parsed()) return RunProcedureShow(g, procedure_show_id);
        if (procedure_open_cmd->parsed()) return RunProcedureOpen(g, procedure_open);
        if (procedure_step_cmd->parsed()) return RunProcedureStep(g, procedure_step);
        if (procedure_fallback_cmd->parsed()) return RunProcedureFallback(g, procedure_change);
        if (procedure_deregister_cmd->parsed()) return RunProcedureDeregister(g, procedure_change);
        if (procedure_member_cmd->parsed()) return RunProcedureMember(g, procedure_change);
        if (procedure_end_buffer_cmd->parsed()) return RunProcedureEndBuffer(g, end_buffer);
        if (adjustment_cmd->parsed()) return RunAdjustment(g, adjustment);
        if (evaluation_draw_cmd->parsed()) return RunEvaluationDraw(g, evaluation);
        if (evaluation_show_cmd->parsed()) return RunEvaluationShow(g, evaluation.id);
        if (evaluation_list_cmd->parsed()) return RunEvaluationList(g);
        if (evaluation_verdict_cmd->parsed()) return RunEvaluationVerdict(g, evaluation);
        if (evaluation_survey_cmd->parsed()) return RunEvaluationSurvey(g, evaluation);
    } catch (const std::exception& e) {
        std::cerr << "jingzhun: internal error: " << e.what() << "\n";
        return 1;
    }
    return kExitUsage;
}
