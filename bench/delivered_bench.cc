// The measures delivered at scale (issue 14): on a registry of N households (default 1M, ~4.3M
// people) with K assistance items each (default 5: 5M items), built once from the generator and
// its ledger straight into SQLite through the Store (one transaction, each row in the change log),
//   - jingzhun's figures (service::BuildDelivered: a parallel scan of the households' facts and one
//     of the items' facts, every measure's planned, reached, beneficiaries, stages, posts held),
//     cold (a fresh process) and repeated in the same process;
//   - against a plain SQL GROUP BY over the items table (items, unsigned, reached households and
//     the signed amount per measure; no planned households, beneficiaries or stages).
// The build also gives one household (printed as "plan page household") 30 items and 5 years of
// income, for the plan page's API timing in bench/ledger_bench.sh.
// Each timed run is a forked child so its peak memory is its own.
//
//   build/bench/bench_delivered [--households N] [--items K] [--db PATH] [--only jingzhun|sql] [--reuse]
#include <sqlite3.h>

#include <cstring>
#include <string>
#include <vector>

#include "bench_common.h"
#include "core/assistance.h"
#include "generator/generator.h"
#include "service/assistance.h"

namespace {

using namespace jz::bench;  // NOLINT: benchmark driver

constexpr jz::Date kFrom{2016, 1, 1};
constexpr jz::Date kTo{2018, 12, 31};

// Items active in [2016-01-01, 2018-12-31] (dates stored as YYYYMMDD), per measure.
constexpr const char* kSql =
    "SELECT measure, count(*), sum(signed_on IS NULL), "
    "count(DISTINCT CASE WHEN signed_on IS NOT NULL THEN household_code END), "
    "sum(CASE WHEN signed_on IS NOT NULL THEN amount ELSE 0 END) "
    "FROM assistance_item WHERE deleted = 0 AND start_date <= 20181231 AND (end_date IS NULL OR end_date >= "
    "20160101) GROUP BY measure ORDER BY measure";

// The ledger of every generated household (the registry's seed and households), `per_household`
// items each: the generator's ledger as of the plan's end, topped up from further seeds and
// renumbered. The first household with enough members gets 30 items and 5 years of income.
void BuildLedger(const County& c, const std::string& db, int64_t households, int per_household) {
    auto store = jz::OpenSqliteStore(db, jz::OpenMode::kExisting).value();
    jz::GeneratorOptions o;
    o.seed = 11;
    o.households = households;
    auto gen = jz::Generator::Create(c.plan, c.tree, o).value();
    std::vector<jz::LedgerMaker> makers;
    for (uint64_t seed = 11; seed < 11 + 12; ++seed)
        makers.emplace_back(c.plan, jz::LedgerOptions{.seed = seed, .as_of = kTo});
    jz::Household h;
    jz::Ledger ledger;
    std::string plan_page;
    int64_t written = 0;
    (void)store->Begin();
    while (gen->Next(h)) {
        const bool page = plan_page.empty() && h.members.size() >= 4;
        const size_t want = page ? 30 : static_cast<size_t>(per_household);
        std::vector<jz::AssistanceItem> items;
        std::vector<jz::IncomeRecord> income;
        for (jz::LedgerMaker& m : makers) {
            ledger.items.clear();
            ledger.income.clear();
            ledger.coverage.clear();
            m.Add(h, ledger);
            if (income.empty()) income = ledger.income;
            for (jz::AssistanceItem& it : ledger.items)
                if (items.size() < want) items.push_back(std::move(it));
            if (items.size() >= want) break;
        }
        int number = 0;
        for (jz::AssistanceItem& it : items) {
            char code[16];
            std::snprintf(code, sizeof code, "-%03d", ++number);
            it.item_code = h.household_code + code;
            jz::AssistanceRecord r{.version = 1, .division_code = h.division_code, .item = std::move(it)};
            if (auto w = store->InsertAssistance(r, kChange); !w) {
                std::fprintf(stderr, "insert: %s\n", w.error().message_en.c_str());
                std::exit(1);
            }
            ++written;
        }
        if (page) {
            plan_page = h.household_code;
            // Five years of income: the ledger's 2015–2018 and a 2014 before them.
            if (!income.empty()) {
                jz::IncomeRecord before = income.front();
                before.year = income.front().year - 1;
                income.insert(income.begin(), before);
            }
            for (const jz::IncomeRecord& r : income)
                (void)store->PutIncome(r, h.division_code, std::nullopt, kChange);
        }
    }
    (void)store->Commit();
    std::printf("ledger: %lld items written\nplan page household: %s\n", static_cast<long long>(written),
                plan_page.c_str());
}

}  // namespace

int main(int argc, char** argv) {
    int64_t households = 1'000'000;
    int items = 5;
    std::string db = (std::filesystem::temp_directory_path() / "jingzhun-bench-delivered.db").string();
    std::string only;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--households")) households = std::stoll(argv[i + 1]);
        if (!std::strcmp(argv[i], "--items")) items = std::stoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--db")) db = argv[i + 1];
        if (!std::strcmp(argv[i], "--only")) only = argv[i + 1];
    }
    const bool reuse = argc > 1 && !std::strcmp(argv[argc - 1], "--reuse");
    const County county = LoadCounty();
    if (!reuse || !std::filesystem::exists(db)) {
        auto start = Clock::now();
        BuildGeneratedRegistry(county, db, households);
        std::printf("registry built in %.1f s\n", SecondsSince(start));
        start = Clock::now();
        BuildLedger(county, db, households, items);
        std::printf("ledger built in %.1f s\n", SecondsSince(start));
    }
    {
        auto s = jz::OpenSqliteStore(db, jz::OpenMode::kExisting).value();
        std::printf("registry: %lld households, %lld persons, %lld items (%s)\n",
                    static_cast<long long>(s->CountHouseholds().value()),
                    static_cast<long long>(s->CountPersons().value()),
                    static_cast<long long>(s->CountAssistance(jz::AssistanceFilter{}).value()), db.c_str());
    }
    double cold_mib = 0, sql_mib = 0;
    const double cold_s = only == "sql" ? 0 : InChild(
        [&] {
            auto start = Clock::now();
            auto s = jz::OpenSqliteStore(db, jz::OpenMode::kExisting).value();
            auto r = jz::service::BuildDelivered(*s, county.plan, county.tree, county.plan.county_code, kFrom, kTo, 2);
            if (!r) {
                std::fprintf(stderr, "%s\n", r.error().message_en.c_str());
                return -1.0;
            }
            const double seconds = SecondsSince(start);
            for (const jz::MeasureDelivered& m : r->measures)
                std::printf("  measure %2d: planned %lld, reached %lld, beneficiaries %lld, items %lld, unsigned %lld\n",
                            m.number, static_cast<long long>(m.planned_households),
                            static_cast<long long>(m.reached_households), static_cast<long long>(m.beneficiaries),
                            static_cast<long long>(m.items), static_cast<long long>(m.unsigned_items));
            start = Clock::now();
            auto again = jz::service::BuildDelivered(*s, county.plan, county.tree, county.plan.county_code, kFrom, kTo, 2);
            std::printf("  repeated in the same process (warm page cache): %.3f s\n", SecondsSince(start));
            return again ? seconds : -1.0;
        },
        cold_mib);
    const double sql_s = only == "jingzhun" ? 0 : InChild(
        [&] {
            const auto start = Clock::now();
            sqlite3* h = nullptr;
            sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr);
            sqlite3_exec(h, "PRAGMA cache_size=-65536", nullptr, nullptr, nullptr);
            sqlite3_stmt* st = nullptr;
            if (sqlite3_prepare_v2(h, kSql, -1, &st, nullptr) != SQLITE_OK) {
                std::fprintf(stderr, "%s\n", sqlite3_errmsg(h));
                return -1.0;
            }
            std::vector<std::string> lines;
            while (sqlite3_step(st) == SQLITE_ROW) {
                char line[160];
                std::snprintf(line, sizeof line, "  SQL measure %2d: items %lld, unsigned %lld, reached %lld\n",
                              sqlite3_column_int(st, 0), static_cast<long long>(sqlite3_column_int64(st, 1)),
                              static_cast<long long>(sqlite3_column_int64(st, 2)),
                              static_cast<long long>(sqlite3_column_int64(st, 3)));
                lines.emplace_back(line);
            }
            sqlite3_finalize(st);
            sqlite3_close(h);
            const double seconds = SecondsSince(start);
            for (const std::string& l : lines) std::fputs(l.c_str(), stdout);
            return seconds;
        },
        sql_mib);
    std::printf("measures delivered, cold (jingzhun)    : %6.2f s, peak RSS %5.0f MiB\n", cold_s, cold_mib);
    std::printf("plain SQL GROUP BY over the items      : %6.2f s, peak RSS %5.0f MiB\n", sql_s, sql_mib);
    return 0;
}
