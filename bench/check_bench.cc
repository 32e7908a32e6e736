// check and reconcile at scale (issue 3): a registry of N households (default 1M, ~4.3M people)
// is built once from the generator straight into SQLite, then
//   - jingzhun's check (every rule, one streaming scan) is timed against plain SQL computing the
//     counts of the same rules with GROUP BY / EXISTS queries on the same file;
//   - jingzhun's reconcile figures (ProgressBuilder) against the same figures by SQL GROUP BY.
// Each timed run is a forked child so its peak memory is its own.
//
//   build/bench/bench_check [--households N] [--db PATH] [--reuse]   (--reuse: keep an existing PATH)
#include <sqlite3.h>

#include <cstring>

#include "bench_common.h"
#include "core/check.h"
#include "generator/generator.h"
#include "core/progress.h"
#include "core/reconcile.h"

namespace {

using namespace jz::bench;  // NOLINT: benchmark driver

// Plain SQL for the same rule counts, on 2017-06-30. Ages come from the stored birth dates.
constexpr const char* kAge =
    "(2017 - CAST(substr(p.birth_date,1,4) AS INTEGER) - (substr(p.birth_date,6,5) > '06-30'))";
const std::vector<std::pair<std::string, std::string>>& RuleSql() {
    static const std::vector<std::pair<std::string, std::string>> sql = {
        {"cause.illness_without_ill",
         "SELECT count(*) FROM household h WHERE (h.main_cause=1 OR ','||h.other_causes||',' LIKE '%,1,%') "
         "AND NOT "
         "EXISTS (SELECT 1 FROM person p WHERE p.household_id=h.id AND p.health IN (2,3))"},
        {"cause.disability_without_disabled",
         "SELECT count(*) FROM household h WHERE (h.main_cause=2 OR ','||h.other_causes||',' LIKE '%,2,%') "
         "AND NOT "
         "EXISTS (SELECT 1 FROM person p WHERE p.household_id=h.id AND p.health=4)"},
        {"cause.schooling_without_student",
         "SELECT count(*) FROM household h WHERE (h.main_cause=3 OR ','||h.other_causes||',' LIKE '%,3,%') "
         "AND NOT "
         "EXISTS (SELECT 1 FROM person p WHERE p.household_id=h.id AND p.schooling IS NOT NULL AND "
         "p.schooling<>1)"},
        {"attribute.wubao_with_able_adult", std::string("SELECT count(*) FROM person p JOIN household h ON "
                                                        "h.id=p.household_id WHERE h.attribute=3 AND ") +
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
         "SELECT coalesce(sum(n),0) FROM (SELECT count(DISTINCT household_id) AS n FROM person GROUP BY "
         "id_number "
         "HAVING count(DISTINCT household_id) > 1)"},
    };
    return sql;
}

// The reconcile figures by GROUP BY over the same stored household facts jingzhun reads (persons
// and beneficiary counts per household); able adults are left out, SQL cannot age birth-date lists.
const std::vector<std::string>& ReconcileSql() {
    static const std::vector<std::string> sql = [] {
        std::vector<std::string> q = {
            "SELECT substr(division_code,1,9), count(*), sum(persons) FROM household GROUP BY 1",
            "SELECT substr(division_code,1,9), planned_exit_year, sum(persons) FROM household GROUP BY 1, 2",
            "SELECT substr(division_code,1,9), exit_year, sum(persons) FROM household WHERE status IN (1,4) "
            "AND exit_year <= 2016 GROUP BY 1, 2",
        };
        for (int n = 1; n <= 10; ++n)
            q.push_back(
                "SELECT count(*), sum(persons), sum(students), sum(ill), sum(migrant_workers) FROM household "
                "WHERE main_measure=" +
                std::to_string(n) + " OR ','||aux_measures||',' LIKE '%," + std::to_string(n) + ",%'");
        return q;
    }();
    return sql;
}

void RunSql(const std::string& db, const std::vector<std::string>& queries) {
    sqlite3* h = nullptr;
    sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_exec(h, "PRAGMA cache_size=-65536", nullptr, nullptr, nullptr);
    for (const std::string& q : queries) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(h, q.c_str(), -1, &st, nullptr) != SQLITE_OK) {
            std::fprintf(stderr, "%s: %s\n", q.c_str(), sqlite3_errmsg(h));
            std::exit(1);
        }
        while (sqlite3_step(st) == SQLITE_ROW) {
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(h);
}

}  // namespace

int main(int argc, char** argv) {
    int64_t households = 1'000'000;
    std::string db = (std::filesystem::temp_directory_path() / "jingzhun-bench-check.db").string();
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--households")) households = std::stoll(argv[i + 1]);
        if (!std::strcmp(argv[i], "--db")) db = argv[i + 1];
    }
    const bool reuse = argc > 1 && !std::strcmp(argv[argc - 1], "--reuse");
    const County county = LoadCounty();
    const auto build_start = Clock::now();
    if (!reuse || !std::filesystem::exists(db)) BuildGeneratedRegistry(county, db, households);
    const int64_t persons = jz::OpenSqliteStore(db, jz::OpenMode::kExisting).value()->CountPersons().value();
    std::printf("registry: %lld households, %lld persons, built in %.1f s (%s)\n",
                static_cast<long long>(households), static_cast<long long>(persons),
                SecondsSince(build_start), db.c_str());
    const jz::Date as_of{2017, 6, 30};

    // Each timed part opens the database itself, as the command does.
    double check_mib = 0, check_sql_mib = 0, rec_mib = 0, rec_sql_mib = 0;
    const double check_s = InChild(
        [&] {
            const auto start = Clock::now();
            auto s = jz::OpenSqliteStore(db, jz::OpenMode::kExisting).value();
            std::vector<jz::RegistryChecker> checkers;
            for (int i = 0; i < 2; ++i) checkers.emplace_back(county.plan, jz::CheckOptions{as_of, {}});
            (void)s->ScanHouseholdsParallel({}, 2, [&](int part, const jz::Household& h) {
                checkers[static_cast<size_t>(part)].Add(h);
                return true;
            });
            checkers[0].Merge(std::move(checkers[1]));
            const size_t n = checkers[0].Finish().size();
            const double seconds = SecondsSince(start);
            std::printf("  check: %zu findings\n", n);
            return seconds;
        },
        check_mib);
    std::vector<std::string> rule_queries;
    for (auto& [rule, q] : RuleSql()) rule_queries.push_back(q);
    const double check_sql_s = InChild(
        [&] {
            const auto start = Clock::now();
            RunSql(db, rule_queries);
            return SecondsSince(start);
        },
        check_sql_mib);
    const double rec_s = InChild(
        [&] {
            const auto start = Clock::now();
            auto s = jz::OpenSqliteStore(db, jz::OpenMode::kExisting).value();
            jz::ProgressBuilder builder(county.plan, county.tree, as_of);
            (void)s->ScanFacts({}, [&](const jz::HouseholdFacts& h) {
                builder.Add(h);
                return true;
            });
            auto findings = jz::ReconcilePlan(county.plan);
            const size_t n = findings.size() + jz::ReconcileRegistry(county.plan, builder.Finish()).size();
            const double seconds = SecondsSince(start);
            std::printf("  reconcile: %zu findings\n", n);
            return seconds;
        },
        rec_mib);
    const double rec_sql_s = InChild(
        [&] {
            const auto start = Clock::now();
            RunSql(db, ReconcileSql());
            return SecondsSince(start);
        },
        rec_sql_mib);
    std::printf("check, all %zu rules (jingzhun)    : %6.2f s, peak RSS %5.0f MiB\n", jz::Rules().size(),
                check_s, check_mib);
    std::printf("check, %zu rules as plain SQL      : %6.2f s, peak RSS %5.0f MiB   sql/jingzhun time %.2f\n",
                RuleSql().size(), check_sql_s, check_sql_mib, check_sql_s / check_s);
    std::printf("reconcile (jingzhun)              : %6.2f s, peak RSS %5.0f MiB\n", rec_s, rec_mib);
    std::printf("reconcile figures, SQL GROUP BY   : %6.2f s, peak RSS %5.0f MiB   sql/jingzhun time %.2f\n",
                rec_sql_s, rec_sql_mib, rec_sql_s / rec_s);
    return 0;
}
