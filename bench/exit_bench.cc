// Exit candidates at scale (issue 6): on a registry of N households (default 1M, ~4.3M people,
// built once from the generator straight into SQLite),
//   - jingzhun's exit candidates (service::Dynamic::ExitCandidates: a parallel scan of the facts
//     stored with each household, every condition of the standard, with the reasons of the others)
//   - against plain SQL deciding the same conditions per household (the income, housing, water and
//     electricity columns, and an EXISTS over the members for a child out of school).
// Each timed run is a forked child so its peak memory is its own.
//
//   build/bench/bench_exit [--households N] [--db PATH] [--only jingzhun|sql] [--reuse]
//   (--reuse: keep an existing PATH; --only: time one side, e.g. under perf)
#include <sqlite3.h>

#include <atomic>
#include <cstring>

#include "bench_common.h"
#include "generator/generator.h"
#include "service/dynamic.h"

namespace {

using namespace jz::bench;  // NOLINT: benchmark driver

// The same decision in SQL for 2017 (line 2952 yuan), ages on 2017-12-31.
constexpr const char* kSql =
    "SELECT h.household_code, h.net_income_per_head IS NULL OR h.net_income_per_head <= 295200, "
    "h.dangerous_housing = 1 OR h.housing_area = 0, h.safe_water = 0, h.household_electricity = 0, "
    "EXISTS (SELECT 1 FROM person p WHERE p.household_id = h.id AND (p.schooling IS NULL OR p.schooling = 1) "
    "AND (2017 - CAST(substr(p.birth_date,1,4) AS INTEGER) - (substr(p.birth_date,6,5) > '12-31')) BETWEEN 7 AND "
    "15) "
    "FROM household h WHERE h.status IN (0, 3)";

}  // namespace

int main(int argc, char** argv) {
    int64_t households = 1'000'000;
    std::string db = (std::filesystem::temp_directory_path() / "jingzhun-bench-exit.db").string();
    std::string only;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--households")) households = std::stoll(argv[i + 1]);
        if (!std::strcmp(argv[i], "--db")) db = argv[i + 1];
        if (!std::strcmp(argv[i], "--only")) only = argv[i + 1];
    }
    const bool reuse = argc > 1 && !std::strcmp(argv[argc - 1], "--reuse");
    const County county = LoadCounty();
    const auto build_start = Clock::now();
    if (!reuse || !std::filesystem::exists(db)) BuildGeneratedRegistry(county, db, households);
    {
        // Opening migrates an older file; not part of the timings.
        auto s = jz::OpenSqliteStore(db, jz::OpenMode::kExisting).value();
        std::printf("registry: %lld households, %lld persons, ready in %.1f s (%s)\n",
                    static_cast<long long>(s->CountHouseholds().value()),
                    static_cast<long long>(s->CountPersons().value()), SecondsSince(build_start), db.c_str());
    }
    double jz_mib = 0, sql_mib = 0, scan_mib = 0;
    // The floor: the same parallel scan of the stored facts (households that may exit), counting only.
    const double scan_s = only == "sql" ? 0 : InChild(
        [&] {
            const auto start = Clock::now();
            auto s = jz::OpenSqliteStore(db, jz::OpenMode::kExisting).value();
            std::atomic<int64_t> n{0};
            jz::HouseholdFilter f;
            f.facts_only = true;
            f.statuses = {0, 3};
            (void)s->ScanFactsParallel(f, 2, [&](int, const jz::HouseholdFacts&) {
                ++n;
                return true;
            });
            const double seconds = SecondsSince(start);
            std::printf("  scan only: %lld households that may exit\n", static_cast<long long>(n.load()));
            return seconds;
        },
        scan_mib);
    const double jz_s = only == "sql" ? 0 : InChild(
        [&] {
            const auto start = Clock::now();
            auto s = jz::OpenSqliteStore(db, jz::OpenMode::kExisting).value();
            jz::service::Dynamic dynamic(*s, county.plan, county.tree);
            auto r = dynamic.ExitCandidates(2017, {2017, 12, 31}, "", 2).value();
            const double seconds = SecondsSince(start);
            std::printf("  jingzhun: %zu candidates, %zu not ready\n", r.candidates.size(), r.not_ready.size());
            return seconds;
        },
        jz_mib);
    const double sql_s = only == "jingzhun" ? 0 : InChild(
        [&] {
            const auto start = Clock::now();
            sqlite3* h = nullptr;
            sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr);
            sqlite3_exec(h, "PRAGMA cache_size=-65536", nullptr, nullptr, nullptr);
            sqlite3_stmt* st = nullptr;
            if (sqlite3_prepare_v2(h, kSql, -1, &st, nullptr) != SQLITE_OK)
                std::fprintf(stderr, "%s\n", sqlite3_errmsg(h));
            int64_t candidates = 0, others = 0;
            std::vector<std::string> codes;
            while (sqlite3_step(st) == SQLITE_ROW) {
                bool unmet = false;
                for (int i = 1; i <= 5; ++i) unmet = unmet || sqlite3_column_int(st, i) != 0;
                codes.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
                ++(unmet ? others : candidates);
            }
            sqlite3_finalize(st);
            sqlite3_close(h);
            const double seconds = SecondsSince(start);
            std::printf("  plain SQL: %lld candidates, %lld not ready\n", static_cast<long long>(candidates),
                        static_cast<long long>(others));
            return seconds;
        },
        sql_mib);
    std::printf("facts scan alone (the floor)    : %6.2f s, peak RSS %5.0f MiB\n", scan_s, scan_mib);
    std::printf("exit candidates (jingzhun)      : %6.2f s, peak RSS %5.0f MiB\n", jz_s, jz_mib);
    std::printf("exit candidates as plain SQL    : %6.2f s, peak RSS %5.0f MiB   sql/jingzhun time %.2f\n", sql_s,
                sql_mib, sql_s / jz_s);
    return 0;
}
