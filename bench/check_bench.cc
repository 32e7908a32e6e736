// check and reconcile at scale (issue 3): a registry of N households (default 1M, ~4.3M people)
// is built once from the generator straight into SQLite, then
//   - jingzhun's check (every rule, one streaming scan) is timed against plain SQL computing the
//     counts of the same rules with GROUP BY / EXISTS queries on the same file;
//   - jingzhun's reconcile figures (ProgressBuilder) against the same figures by SQL GROUP BY.
// Each timed run is a forked child so its peak memory is its own.
//
//   build/bench/bench_check [--households N] [--db PATH]
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "core/check.h"
#include "core/generator.h"
#include "core/progress.h"
#include "core/reconcile.h"
#include "io/table.h"
#include "store/sqlite_store.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string Slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

struct County {
    jz::Plan plan;
    jz::OrgTree tree;
    std::string toml;
};

County LoadCounty() {
    County c;
    c.toml = Slurp(fs::path(JZ_SOURCE_DIR) / "plans/chayu-2016.toml");
    c.plan = jz::ParsePlan(c.toml, "chayu-2016.toml").value();
    auto rows = jz::io::ParseCsvText(Slurp(fs::path(JZ_SOURCE_DIR) / "data/chayu-540425-divisions.csv")).value();
    c.tree = jz::OrgTree::FromRows(rows, c.plan.county_code, c.plan.county_name).value();
    return c;
}

void Build(const County& c, const std::string& db, int64_t households) {
    for (const char* s : {"", "-wal", "-shm"}) fs::remove(db + s);
    auto store = jz::OpenSqliteStore(db, jz::OpenMode::kCreate).value();
    const jz::ChangeContext change{"bench", "2026-11-29T00:00:00Z", std::nullopt};
    (void)store->Begin();
    (void)store->SaveOrgUnits(c.tree, change);
    (void)store->SavePlan(c.plan.id, c.toml, change);
    jz::GeneratorOptions o;
    o.seed = 11;
    o.households = households;
    auto gen = jz::Generator::Create(c.plan, c.tree, o).value();
    jz::Household h;
    while (gen->Next(h)) (void)store->InsertHousehold(h, change);
    (void)store->Commit();
}

double InChild(const std::function<void()>& work, double& seconds) {
    std::fflush(stdout);
    int pipefd[2];
    if (pipe(pipefd) != 0) std::exit(1);
    pid_t pid = fork();
    if (pid == 0) {
        const auto start = Clock::now();
        work();
        const double s = std::chrono::duration<double>(Clock::now() - start).count();
        if (write(pipefd[1], &s, sizeof s) != sizeof s) _exit(1);
        _exit(0);
    }
    int status = 0;
    struct rusage usage {};
    wait4(pid, &status, 0, &usage);
    if (read(pipefd[0], &seconds, sizeof seconds) != sizeof seconds) std::exit(1);
    close(pipefd[0]);
    close(pipefd[1]);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// Plain SQL for the same rule counts, on 2017-06-30. Ages come from the stored birth dates.
constexpr const char* kAge =
    "(2017 - CAST(substr(p.birth_date,1,4) AS INTEGER) - (substr(p.birth_date,6,5) > '06-30'))";
const std::vector<std::pair<std::string, std::string>>& RuleSql() {
    static const std::vector<std::pair<std::string, std::string>> sql = {
        {"cause.illness_without_ill",
         "SELECT count(*) FROM household h WHERE (h.main_cause=1 OR ','||h.other_causes||',' LIKE '%,1,%') AND NOT "
         "EXISTS (SELECT 1 FROM person p WHERE p.household_id=h.id AND p.health IN (2,3))"},
        {"cause.disability_without_disabled",
         "SELECT count(*) FROM household h WHERE (h.main_cause=2 OR ','||h.other_causes||',' LIKE '%,2,%') AND NOT "
         "EXISTS (SELECT 1 FROM person p WHERE p.household_id=h.id AND p.health=4)"},
        {"cause.schooling_without_student",
         "SELECT count(*) FROM household h WHERE (h.main_cause=3 OR ','||h.other_causes||',' LIKE '%,3,%') AND NOT "
         "EXISTS (SELECT 1 FROM person p WHERE p.household_id=h.id AND p.schooling IS NOT NULL AND p.schooling<>1)"},
        {"attribute.wubao_with_able_adult",
         std::string("SELECT count(*) FROM person p JOIN household h ON h.id=p.household_id WHERE h.attribute=3 AND ") +
             kAge + " BETWEEN 16 AND 65 AND p.labour IN (1,2)"},
        {"labour.healthy_adult_unable",
         std::string("SELECT count(*) FROM person p WHERE p.health=1 AND p.labour IN (3,4) AND ") + kAge +
             " BETWEEN 16 AND 60 AND (p.schooling IS NULL OR p.schooling=1)"},
        {"schooling.dropout", std::string("SELECT count(*) FROM person p WHERE ") + kAge +
                                  " BETWEEN 7 AND 15 AND (p.schooling IS NULL OR p.schooling=1)"},
        {"pairing.missing", "SELECT count(*) FROM household WHERE status NOT IN (1,4) AND pairing_cadre=''"},
        {"plan.exit_overdue",
         "SELECT count(*) FROM household WHERE status NOT IN (1,4) AND planned_exit_year < 2017"},
        {"income.out_of_range",
         "SELECT count(*) FROM household WHERE net_income_per_head <= 0 OR net_income_per_head > 10000000"},
        {"person.duplicate",
         "SELECT coalesce(sum(n),0) FROM (SELECT count(DISTINCT household_id) AS n FROM person GROUP BY id_number "
         "HAVING count(DISTINCT household_id) > 1)"},
    };
    return sql;
}

const std::vector<std::string>& ReconcileSql() {
    static const std::vector<std::string> sql = {
        "SELECT substr(h.division_code,1,9), count(DISTINCT h.id), count(*) FROM household h JOIN person p ON "
        "p.household_id=h.id GROUP BY 1",
        "SELECT substr(h.division_code,1,9), h.planned_exit_year, count(*) FROM household h JOIN person p ON "
        "p.household_id=h.id GROUP BY 1, 2",
        "SELECT substr(h.division_code,1,9), h.exit_year, count(*) FROM household h JOIN person p ON "
        "p.household_id=h.id WHERE h.status IN (1,4) GROUP BY 1, 2",
        "SELECT m.n, count(DISTINCT h.id), count(*) FROM household h JOIN person p ON p.household_id=h.id JOIN "
        "(SELECT 1 AS n UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION SELECT 5 UNION SELECT 6 UNION SELECT 7 "
        "UNION SELECT 8 UNION SELECT 9 UNION SELECT 10) m ON h.main_measure=m.n OR ','||h.aux_measures||',' LIKE "
        "'%,'||m.n||',%' GROUP BY 1",
    };
    return sql;
}

void RunSql(const std::string& db, const std::vector<std::string>& queries, bool print) {
    sqlite3* h = nullptr;
    sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_exec(h, "PRAGMA cache_size=-65536", nullptr, nullptr, nullptr);
    for (const std::string& q : queries) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(h, q.c_str(), -1, &st, nullptr) != SQLITE_OK) {
            std::fprintf(stderr, "%s: %s\n", q.c_str(), sqlite3_errmsg(h));
            std::exit(1);
        }
        while (sqlite3_step(st) == SQLITE_ROW)
            if (print) std::printf("    sql %-36s %lld\n", q.substr(0, 0).c_str(), sqlite3_column_int64(st, 0));
        sqlite3_finalize(st);
    }
    sqlite3_close(h);
}

}  // namespace

int main(int argc, char** argv) {
    int64_t households = 1'000'000;
    std::string db = (fs::temp_directory_path() / "jingzhun-bench-check.db").string();
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--households")) households = std::stoll(argv[i + 1]);
        if (!std::strcmp(argv[i], "--db")) db = argv[i + 1];
    }
    const County county = LoadCounty();
    const auto build_start = Clock::now();
    Build(county, db, households);
    auto store = jz::OpenSqliteStore(db, jz::OpenMode::kExisting).value();
    const int64_t persons = store->CountPersons().value();
    store.reset();
    std::printf("registry: %lld households, %lld persons, built in %.1f s (%s)\n", static_cast<long long>(households),
                static_cast<long long>(persons), std::chrono::duration<double>(Clock::now() - build_start).count(),
                db.c_str());
    const jz::Date as_of{2017, 6, 30};

    double check_s = 0, check_sql_s = 0, rec_s = 0, rec_sql_s = 0;
    int64_t findings = 0;
    const double check_mib = InChild(
        [&] {
            auto s = jz::OpenSqliteStore(db, jz::OpenMode::kExisting).value();
            jz::RegistryChecker checker(county.plan, {as_of, {}});
            (void)s->ScanHouseholds({.any_order = true}, [&](const jz::Household& h) {
                checker.Add(h);
                return true;
            });
            const auto f = checker.Finish();
            std::printf("  check: %zu findings\n", f.size());
            std::fflush(stdout);
        },
        check_s);
    std::vector<std::string> rule_queries;
    for (auto& [rule, q] : RuleSql()) rule_queries.push_back(q);
    const double check_sql_mib = InChild([&] { RunSql(db, rule_queries, false); }, check_sql_s);
    const double rec_mib = InChild(
        [&] {
            auto s = jz::OpenSqliteStore(db, jz::OpenMode::kExisting).value();
            jz::ProgressBuilder builder(county.plan, county.tree, as_of);
            (void)s->ScanHouseholds({.facts_only = true, .any_order = true}, [&](const jz::Household& h) {
                builder.Add(h);
                return true;
            });
            auto f = jz::ReconcileRegistry(county.plan, builder.Finish());
            std::printf("  reconcile: %zu findings\n", f.size());
            std::fflush(stdout);
        },
        rec_s);
    const double rec_sql_mib = InChild([&] { RunSql(db, ReconcileSql(), false); }, rec_sql_s);
    (void)findings;
    std::printf("check, all %zu rules (jingzhun)      : %6.2f s, peak RSS %5.0f MiB\n", jz::Rules().size(), check_s,
                check_mib);
    std::printf("check, %zu rules as SQL (plain)       : %6.2f s, peak RSS %5.0f MiB  ratio sql/jingzhun %.2f\n",
                RuleSql().size(), check_sql_s, check_sql_mib, check_sql_s / check_s);
    std::printf("reconcile figures (jingzhun)         : %6.2f s, peak RSS %5.0f MiB\n", rec_s, rec_mib);
    std::printf("reconcile figures as SQL GROUP BY    : %6.2f s, peak RSS %5.0f MiB  ratio sql/jingzhun %.2f\n",
                rec_sql_s, rec_sql_mib, rec_sql_s / rec_s);
    return 0;
}
