// Today's overdue visits for a county (issue 15, r-store): the store's side. The list reads each
// household's kept visit summary (visit_summary, kept by InsertVisit) beside its current pairing,
// both in household order, and computes who is overdue; compared in the same run with the plain SQL
// over the visits table (GROUP BY household, max(date), joined to the current pairings) and with
// the store's own past-day scan (ScanVisitsAsOf, which aggregates the visits too).
//
// The fixture is built directly with SQL in one transaction per table, not through the Store's
// writes: no change log (it is not read by the list), the visit rows loaded before their indexes
// are created, and visit_summary filled by one INSERT ... SELECT GROUP BY from the visits (the same
// rows InsertVisit keeps one visit at a time). The schema is the store's own (migration 006).
// Every read runs `--runs` times on the same database; the first run reads a cold page cache only
// when the file was just written, so each figure's best and first run are printed.
//
//   build/bench/bench_overdue_store [--households N] [--visits-per-household K] [--runs R] [--dir DIR] [--keep]
//
// (K visits for 19 households in 20: K = 11 gives 10.45M visits for 1M households.)
#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "bench_common.h"

namespace {

using namespace jz::bench;  // NOLINT: benchmark driver

double CpuSeconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

void Check(int rc, sqlite3* db, const char* what) {
    if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return;
    std::fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
    std::exit(1);
}
void Exec(sqlite3* db, const char* sql) { Check(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), db, sql); }

int64_t DateInt(const jz::Date& d) { return int64_t{d.year} * 10000 + d.month * 100 + d.day; }
jz::Date IntDate(int64_t v) {
    return jz::Date{static_cast<int>(v / 10000), static_cast<int>(v / 100 % 100), static_cast<int>(v % 100)};
}

constexpr jz::Date kOn{2017, 12, 31};
constexpr int kInterval = 46;  // ceil(91 / 2): two visits a quarter

// The fixture: households spread over the county's villages, one cadre per three households, a
// current pairing each (from 2016-01-01), K visits each dated over 2016-2017 (a tenth of the
// households not visited since mid-2017, a twentieth never), and the summaries.
void Build(const std::string& path, int64_t households, int visits_per) {
    for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(path + s);
    {
        auto store = jz::OpenSqliteStore(path, jz::OpenMode::kCreate).value();
        (void)store->Begin();
        (void)store->SaveOrgUnits(LoadCounty().tree, kChange);
        (void)store->Commit();
    }
    std::vector<std::string> villages;
    const County county = LoadCounty();
    for (const jz::OrgUnit* u : county.tree.AtLevel(jz::OrgLevel::kVillage)) villages.push_back(u->code);
    sqlite3* db = nullptr;
    Check(sqlite3_open(path.c_str(), &db), db, "open");
    Exec(db, "PRAGMA synchronous=OFF; PRAGMA journal_mode=WAL; PRAGMA cache_size=-262144;");
    Exec(db, "DROP INDEX visit_household; DROP INDEX visit_cadre; DROP INDEX visit_division;");
    auto code_of = [&](int64_t h, std::string& division, char* code) {
        division = villages[static_cast<size_t>(h * static_cast<int64_t>(villages.size()) / households)];
        std::snprintf(code, 32, "%s%06lld", division.c_str(), static_cast<long long>(h % 1000000));
    };
    const auto start = Clock::now();
    Exec(db, "BEGIN");
    {
        sqlite3_stmt* st = nullptr;
        Check(sqlite3_prepare_v2(db,
                                 "INSERT INTO cadre (id, version, name, rank, township_code, division_code, updated_at)"
                                 " VALUES (?1, 1, 'cadre ' || ?1, 3, ?2, ?2, 'bench')",
                                 -1, &st, nullptr),
              db, "cadre");
        std::string division;
        char code[32];
        for (int64_t c = 0; c < (households + 2) / 3; ++c) {
            code_of(std::min(c * 3, households - 1), division, code);
            const std::string township = division.substr(0, 9);
            sqlite3_bind_int64(st, 1, c + 1);
            sqlite3_bind_text(st, 2, township.c_str(), -1, SQLITE_TRANSIENT);
            Check(sqlite3_step(st), db, "cadre");
            sqlite3_reset(st);
        }
        sqlite3_finalize(st);
    }
    {
        sqlite3_stmt* st = nullptr;
        Check(sqlite3_prepare_v2(db,
                                 "INSERT INTO pairing (household_code, division_code, cadre_id, from_date, reason,"
                                 " updated_at) VALUES (?1, ?2, ?3, 20160101, 'bench', 'bench')",
                                 -1, &st, nullptr),
              db, "pairing");
        std::string division;
        char code[32];
        for (int64_t h = 0; h < households; ++h) {
            code_of(h, division, code);
            sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 2, division.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(st, 3, h / 3 + 1);
            Check(sqlite3_step(st), db, "pairing");
            sqlite3_reset(st);
        }
        sqlite3_finalize(st);
    }
    Exec(db, "COMMIT");
    std::printf("fixture: %lld cadres and pairings in %.1f s\n", static_cast<long long>(households), SecondsSince(start));
    Exec(db, "BEGIN");
    {
        sqlite3_stmt* st = nullptr;
        Check(sqlite3_prepare_v2(db,
                                 "INSERT INTO visit (client_id, household_code, division_code, cadre_id, visit_date,"
                                 " discussed, recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, '了解生产生活情况',"
                                 " 'bench', '2017-12-31T00:00:00Z')",
                                 -1, &st, nullptr),
              db, "visit");
        std::string division;
        char code[32], client[40];
        const long first = jz::Date{2016, 1, 5}.DaysSinceEpoch();
        uint64_t x = 88172645463325292ull;  // xorshift: the same fixture every run
        int64_t n = 0;
        for (int64_t h = 0; h < households; ++h) {
            code_of(h, division, code);
            if (h % 20 == 7) continue;  // never visited
            // A tenth stop being visited in mid-2017; the others are visited to the end.
            const long last = (h % 10 == 3) ? jz::Date{2017, 6, 30}.DaysSinceEpoch() : kOn.DaysSinceEpoch();
            for (int k = 0; k < visits_per; ++k) {
                x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                const long span = last - first;
                const long day = first + span * k / visits_per + static_cast<long>(x % static_cast<uint64_t>(span / visits_per + 1));
                std::snprintf(client, sizeof client, "b-%012lld", static_cast<long long>(n++));
                sqlite3_bind_text(st, 1, client, -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(st, 2, code, -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(st, 3, division.c_str(), -1, SQLITE_TRANSIENT);
                sqlite3_bind_int64(st, 4, h / 3 + 1);
                sqlite3_bind_int64(st, 5, DateInt(jz::Date::FromDaysSinceEpoch(std::min(day, last))));
                Check(sqlite3_step(st), db, "visit");
                sqlite3_reset(st);
            }
        }
        sqlite3_finalize(st);
    }
    Exec(db, "COMMIT");
    std::printf("fixture: visits in %.1f s\n", SecondsSince(start));
    Exec(db, "CREATE INDEX visit_household ON visit(household_code, visit_date, division_code);"
             "CREATE INDEX visit_cadre ON visit(cadre_id, visit_date);"
             "CREATE INDEX visit_division ON visit(division_code, visit_date);");
    std::printf("fixture: visit indexes in %.1f s\n", SecondsSince(start));
    Exec(db, "INSERT INTO visit_summary (household_code, division_code, last_visit, visits)"
             " SELECT household_code, division_code, max(visit_date), count(*) FROM visit GROUP BY household_code;"
             "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);");
    std::printf("fixture: summaries in %.1f s\n", SecondsSince(start));
    sqlite3_close(db);
}

// Who is overdue on kOn: the household's last visit (or its pairing's first day) + interval < kOn.
struct Overdue {
    std::string household_code;
    int64_t cadre_id = 0;
    int days = 0;
};
void AddIfOverdue(std::vector<Overdue>& out, const jz::Pairing& p, std::optional<jz::Date> last) {
    const jz::Date since = last && *last >= p.from ? *last : p.from;
    const long due = since.DaysSinceEpoch() + kInterval;
    if (kOn.DaysSinceEpoch() > due)
        out.push_back({p.household_code, p.cadre_id, static_cast<int>(kOn.DaysSinceEpoch() - due)});
}
void Order(std::vector<Overdue>& out) {
    std::ranges::sort(out, [](const Overdue& a, const Overdue& b) {
        return a.days != b.days ? a.days > b.days : a.household_code < b.household_code;
    });
}

// What the list keeps of a current pairing.
std::vector<jz::Pairing> CurrentPairings(jz::Store& store) {
    std::vector<jz::Pairing> pairings;
    pairings.reserve(1 << 20);
    (void)store.ScanCurrentPairings("540425", [&](const jz::Pairing& p) {
        jz::Pairing& kept = pairings.emplace_back();
        kept.household_code = p.household_code;
        kept.cadre_id = p.cadre_id;
        kept.from = p.from;
        return true;
    });
    return pairings;
}

// Today's list as the service makes it: the current pairings and the kept summaries, merged.
std::vector<Overdue> FromSummaries(jz::Store& store) {
    const std::vector<jz::Pairing> pairings = CurrentPairings(store);
    std::vector<Overdue> out;
    size_t i = 0;
    (void)store.ScanVisitSummaries("540425", [&](const jz::VisitSummary& s) {
        for (; i < pairings.size() && pairings[i].household_code < s.household_code; ++i)
            AddIfOverdue(out, pairings[i], std::nullopt);
        if (i < pairings.size() && pairings[i].household_code == s.household_code)
            AddIfOverdue(out, pairings[i++], s.last_visit);
        return true;
    });
    for (; i < pairings.size(); ++i) AddIfOverdue(out, pairings[i], std::nullopt);
    Order(out);
    return out;
}

// The same from the visits by plain SQL: the last visit per household by GROUP BY, joined to the
// current pairings in one statement.
std::vector<Overdue> FromPlainSql(const std::string& path) {
    sqlite3* db = nullptr;
    Check(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), db, "open");
    sqlite3_stmt* st = nullptr;
    Check(sqlite3_prepare_v2(db,
                             "SELECT p.household_code, p.cadre_id, p.from_date, v.last FROM pairing p"
                             " LEFT JOIN (SELECT household_code, max(visit_date) AS last FROM visit"
                             " GROUP BY household_code) v ON v.household_code = p.household_code"
                             " WHERE p.to_date IS NULL AND p.division_code >= '540425' AND p.division_code < '540426'",
                             -1, &st, nullptr),
          db, "plain");
    std::vector<Overdue> out;
    jz::Pairing p;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        p.household_code = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
        p.cadre_id = sqlite3_column_int64(st, 1);
        p.from = IntDate(sqlite3_column_int64(st, 2));
        std::optional<jz::Date> last;
        if (sqlite3_column_type(st, 3) != SQLITE_NULL) last = IntDate(sqlite3_column_int64(st, 3));
        AddIfOverdue(out, p, last);
    }
    Check(rc, db, "plain");
    sqlite3_finalize(st);
    sqlite3_close(db);
    Order(out);
    return out;
}

// The store's past-day scan (aggregating the visits up to a day) merged like the summaries.
std::vector<Overdue> FromAsOf(jz::Store& store) {
    const std::vector<jz::Pairing> pairings = CurrentPairings(store);
    std::vector<Overdue> out;
    size_t i = 0;
    (void)store.ScanVisitsAsOf("540425", {2017, 10, 1}, kOn, [&](const std::string& h, const jz::Date& last, int) {
        for (; i < pairings.size() && pairings[i].household_code < h; ++i) AddIfOverdue(out, pairings[i], std::nullopt);
        if (i < pairings.size() && pairings[i].household_code == h) AddIfOverdue(out, pairings[i++], last);
        return true;
    });
    for (; i < pairings.size(); ++i) AddIfOverdue(out, pairings[i], std::nullopt);
    Order(out);
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    int64_t households = 1'000'000;
    int visits_per = 10;
    int runs = 3;
    bool keep = false;
    std::string dir = std::filesystem::temp_directory_path().string();
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--keep") == 0) keep = true;
        if (i + 1 >= argc) continue;
        if (std::strcmp(argv[i], "--households") == 0) households = std::atoll(argv[i + 1]);
        if (std::strcmp(argv[i], "--visits-per-household") == 0) visits_per = std::atoi(argv[i + 1]);
        if (std::strcmp(argv[i], "--runs") == 0) runs = std::atoi(argv[i + 1]);
        if (std::strcmp(argv[i], "--dir") == 0) dir = argv[i + 1];
    }
    const std::string db = dir + "/bench-overdue-store.db";
    if (!keep || !std::filesystem::exists(db)) Build(db, households, visits_per);
    int64_t visits = 0, summaries = 0;
    {
        sqlite3* raw = nullptr;
        Check(sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr), raw, "open");
        sqlite3_stmt* st = nullptr;
        Check(sqlite3_prepare_v2(raw, "SELECT (SELECT count(*) FROM visit), (SELECT count(*) FROM visit_summary)", -1,
                                 &st, nullptr),
              raw, "count");
        Check(sqlite3_step(st), raw, "count");
        visits = sqlite3_column_int64(st, 0);
        summaries = sqlite3_column_int64(st, 1);
        sqlite3_finalize(st);
        sqlite3_close(raw);
    }
    std::printf("\n%lld households, %lld visits (%lld households visited), overdue on %s (interval %d days),"
                " %d runs each\n\n",
                static_cast<long long>(households), static_cast<long long>(visits), static_cast<long long>(summaries),
                kOn.ToString().c_str(), kInterval, runs);
    std::printf("| | overdue | first run wall | best wall | best CPU |\n|---|---:|---:|---:|---:|\n");
    struct Variant {
        const char* name;
        std::function<std::vector<Overdue>()> run;
    };
    auto store = jz::OpenSqliteStore(db, jz::OpenMode::kExisting).value();
    const Variant variants[] = {
        {"summaries + current pairings (Store)", [&] { return FromSummaries(*store); }},
        {"plain SQL: GROUP BY over visits", [&] { return FromPlainSql(db); }},
        {"ScanVisitsAsOf (Store, past day)", [&] { return FromAsOf(*store); }},
    };
    std::vector<size_t> counts;
    for (const Variant& v : variants) {
        double first = 0, best = 1e9, best_cpu = 1e9;
        size_t overdue = 0;
        for (int r = 0; r < runs; ++r) {
            const auto start = Clock::now();
            const double cpu0 = CpuSeconds();
            const std::vector<Overdue> list = v.run();
            const double wall = SecondsSince(start), cpu = CpuSeconds() - cpu0;
            if (r == 0) first = wall;
            best = std::min(best, wall);
            best_cpu = std::min(best_cpu, cpu);
            overdue = list.size();
        }
        counts.push_back(overdue);
        std::printf("| %s | %zu | %.3f s | %.3f s | %.3f s |\n", v.name, overdue, first, best, best_cpu);
    }
    if (std::adjacent_find(counts.begin(), counts.end(), std::not_equal_to<>()) != counts.end()) {
        std::fprintf(stderr, "the variants disagree on the list\n");
        return 1;
    }
    if (!keep)
        for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(db + s);
    return 0;
}
