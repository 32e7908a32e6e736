// Import benchmark (issue 2): a generated registry of about a million persons imported with full
// validation (jingzhun's importer: two passes, every acceptance rule, change log, one transaction),
// side by side with the plain alternative: the same households inserted with prepared statements
// into the same schema, no validation and no change log. Each run is a forked child, so its peak
// memory (ru_maxrss) is its own.
//
//   build/bench/bench_import [--persons N] [--dir DIR] [--seed S]
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
#include <string>

#include "core/assembly.h"
#include "core/generator.h"
#include "io/importer.h"
#include "io/table.h"
#include "store/sqlite_store.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct County {
    jz::Plan plan;
    jz::OrgTree tree;
    std::string toml;
};

std::string Slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

County LoadCounty() {
    County c;
    c.toml = Slurp(fs::path(JZ_SOURCE_DIR) / "plans/chayu-2016.toml");
    c.plan = jz::ParsePlan(c.toml, "chayu-2016.toml").value();
    auto rows = jz::io::ParseCsvText(Slurp(fs::path(JZ_SOURCE_DIR) / "data/chayu-540425-divisions.csv")).value();
    c.tree = jz::OrgTree::FromRows(rows, c.plan.county_code, c.plan.county_name).value();
    return c;
}

std::unique_ptr<jz::Store> NewRegistry(const County& c, const std::string& path) {
    for (const char* s : {"", "-wal", "-shm"}) fs::remove(path + s);
    auto store = jz::OpenSqliteStore(path, jz::OpenMode::kCreate).value();
    const jz::ChangeContext change{"bench", "2026-11-29T00:00:00Z", std::nullopt};
    (void)store->Begin();
    (void)store->SaveOrgUnits(c.tree, change);
    (void)store->SavePlan(c.plan.id, c.toml, change);
    (void)store->Commit();
    return store;
}

// Households of about `persons` persons (the generator's mean household size is about 4.3).
std::unique_ptr<jz::Generator> MakeGenerator(const County& c, int64_t persons, uint64_t seed) {
    jz::GeneratorOptions o;
    o.seed = seed;
    o.households = persons * 10 / 43;
    return jz::Generator::Create(c.plan, c.tree, o).value();
}

// Runs `work` in a child process; returns its peak resident set in MiB. `work` writes its own
// figures to stdout.
double InChild(const std::function<int()>& work) {
    std::fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) _exit(work());
    int status = 0;
    struct rusage usage {};
    wait4(pid, &status, 0, &usage);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "child failed\n");
        std::exit(1);
    }
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// The plain alternative: prepared INSERTs of the already-built households, one transaction.
int PlainInsert(const County& c, const std::string& db, int64_t persons, uint64_t seed, const std::string& out) {
    auto store = NewRegistry(c, db);  // same schema, org units loaded
    store.reset();
    sqlite3* h = nullptr;
    sqlite3_open(db.c_str(), &h);
    sqlite3_exec(h, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; PRAGMA journal_mode=WAL;", nullptr, nullptr,
                 nullptr);
    // Build every household first: the plain run measures the inserts alone, not parsing.
    std::vector<jz::Household> all;
    auto gen = MakeGenerator(c, persons, seed);
    jz::Household hh;
    while (gen->Next(hh)) all.push_back(hh);
    sqlite3_stmt* ins_h = nullptr;
    sqlite3_stmt* ins_p = nullptr;
    sqlite3_prepare_v2(h,
                       "INSERT INTO household (county_code, household_code, division_code, attribute,"
                       " identification_standard, main_cause, other_causes, identified_year, planned_exit_year,"
                       " status, exit_year, net_income_per_head, main_measure, aux_measures, pairing_cadre, phone,"
                       " dangerous_housing, safe_water, household_electricity, housing_area, version, updated_at)"
                       " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,1,?21)",
                       -1, &ins_h, nullptr);
    sqlite3_prepare_v2(h,
                       "INSERT INTO person (household_id, county_code, ordinal, name, id_number, relation, sex,"
                       " birth_date, ethnicity, education, schooling, health, labour, migrant_work, months_worked)"
                       " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)",
                       -1, &ins_p, nullptr);
    auto opt = [](sqlite3_stmt* s, int i, auto v) {
        if (v)
            sqlite3_bind_int64(s, i, static_cast<int64_t>(*v));
        else
            sqlite3_bind_null(s, i);
    };
    auto list = [](const std::vector<int>& v) {
        std::string s;
        for (int x : v) s += (s.empty() ? "" : ",") + std::to_string(x);
        return s;
    };
    const auto start = Clock::now();
    int64_t n_persons = 0;
    sqlite3_exec(h, "BEGIN", nullptr, nullptr, nullptr);
    for (const jz::Household& x : all) {
        const std::string county = x.county_code(), causes = list(x.other_causes), aux = list(x.aux_measures);
        sqlite3_bind_text(ins_h, 1, county.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_h, 2, x.household_code.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_h, 3, x.division_code.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_int(ins_h, 4, x.attribute);
        opt(ins_h, 5, x.identification_standard);
        sqlite3_bind_int(ins_h, 6, x.main_cause);
        sqlite3_bind_text(ins_h, 7, causes.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_int(ins_h, 8, x.identified_year);
        opt(ins_h, 9, x.planned_exit_year);
        sqlite3_bind_int(ins_h, 10, x.status);
        opt(ins_h, 11, x.exit_year);
        opt(ins_h, 12, x.net_income_per_head);
        opt(ins_h, 13, x.main_measure);
        sqlite3_bind_text(ins_h, 14, aux.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_h, 15, x.pairing_cadre.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_h, 16, x.phone.c_str(), -1, SQLITE_STATIC);
        opt(ins_h, 17, x.dangerous_housing);
        opt(ins_h, 18, x.safe_water);
        opt(ins_h, 19, x.household_electricity);
        opt(ins_h, 20, x.housing_area);
        sqlite3_bind_text(ins_h, 21, "2026-11-29T00:00:00Z", -1, SQLITE_STATIC);
        if (sqlite3_step(ins_h) != SQLITE_DONE) return 1;
        sqlite3_reset(ins_h);
        const int64_t id = sqlite3_last_insert_rowid(h);
        int ordinal = 0;
        for (const jz::Person& p : x.members) {
            const std::string birth = p.birth_date.ToString();
            sqlite3_bind_int64(ins_p, 1, id);
            sqlite3_bind_text(ins_p, 2, county.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_int(ins_p, 3, ordinal++);
            sqlite3_bind_text(ins_p, 4, p.name.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_text(ins_p, 5, p.id_number.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_int(ins_p, 6, p.relation);
            sqlite3_bind_int(ins_p, 7, p.sex);
            sqlite3_bind_text(ins_p, 8, birth.c_str(), -1, SQLITE_STATIC);
            opt(ins_p, 9, p.ethnicity);
            opt(ins_p, 10, p.education);
            opt(ins_p, 11, p.schooling);
            opt(ins_p, 12, p.health);
            opt(ins_p, 13, p.labour);
            opt(ins_p, 14, p.migrant_work);
            opt(ins_p, 15, p.months_worked);
            if (sqlite3_step(ins_p) != SQLITE_DONE) return 1;
            sqlite3_reset(ins_p);
            ++n_persons;
        }
    }
    sqlite3_exec(h, "COMMIT", nullptr, nullptr, nullptr);
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    sqlite3_finalize(ins_h);
    sqlite3_finalize(ins_p);
    sqlite3_close(h);
    std::ofstream(out) << n_persons << " " << seconds << "\n";
    return 0;
}

int FullImport(const County& c, const std::string& db, const std::string& file, const std::string& out) {
    auto store = NewRegistry(c, db);
    const auto start = Clock::now();
    auto summary = jz::io::ImportRegistry(*store, c.plan, c.tree,
                                          {file, "", file + ".errors.csv", {"bench", "2026-11-29T00:00:00Z"}});
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (!summary || summary->households.rejected != 0) {
        std::fprintf(stderr, "import failed: %s\n", summary ? summary->ToJson().substr(0, 500).c_str()
                                                             : summary.error().ToString().c_str());
        return 1;
    }
    std::ofstream(out) << summary->persons.accepted << " " << seconds << "\n";
    return 0;
}

std::pair<int64_t, double> ReadFigures(const std::string& path) {
    std::ifstream in(path);
    int64_t n = 0;
    double s = 0;
    in >> n >> s;
    return {n, s};
}

}  // namespace

int main(int argc, char** argv) {
    int64_t persons = 1'000'000;
    std::string dir = (fs::temp_directory_path() / "jingzhun-bench").string();
    uint64_t seed = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--persons")) persons = std::stoll(argv[i + 1]);
        if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
        if (!std::strcmp(argv[i], "--seed")) seed = std::stoull(argv[i + 1]);
    }
    fs::create_directories(dir);
    const County county = LoadCounty();
    const std::string file = dir + "/registry.csv";

    // The input file, written once per size and seed.
    const auto gen_start = Clock::now();
    {
        auto writer = jz::io::CreateCsvWriter(file).value();
        std::vector<std::string> line;
        for (const jz::ColumnInfo& col : jz::Columns()) line.emplace_back(col.zh);
        (void)writer->WriteRow(line);
        auto gen = MakeGenerator(county, persons, seed);
        jz::Household h;
        std::vector<jz::LayoutRow> rows;
        while (gen->Next(h)) {
            rows.clear();
            jz::FormatHousehold(h, county.plan, rows);
            for (auto& r : rows) {
                line.assign(r.begin(), r.end());
                (void)writer->WriteRow(line);
            }
        }
        (void)writer->Close();
    }
    const double gen_seconds = std::chrono::duration<double>(Clock::now() - gen_start).count();
    std::printf("input: %s (%.1f MiB), generated in %.2f s\n", file.c_str(),
                static_cast<double>(fs::file_size(file)) / (1 << 20), gen_seconds);

    const double plain_mib = InChild([&] { return PlainInsert(county, dir + "/plain.db", persons, seed, dir + "/plain.txt"); });
    const double import_mib = InChild([&] { return FullImport(county, dir + "/import.db", file, dir + "/import.txt"); });
    auto [plain_n, plain_s] = ReadFigures(dir + "/plain.txt");
    auto [import_n, import_s] = ReadFigures(dir + "/import.txt");
    const double plain_rate = static_cast<double>(plain_n) / plain_s;
    const double import_rate = static_cast<double>(import_n) / import_s;
    std::printf("plain prepared insert : %lld persons in %.2f s = %.0f persons/s (peak RSS %.0f MiB, rows held in memory)\n",
                static_cast<long long>(plain_n), plain_s, plain_rate, plain_mib);
    std::printf("jingzhun import       : %lld persons in %.2f s = %.0f persons/s (peak RSS %.0f MiB, streaming)\n",
                static_cast<long long>(import_n), import_s, import_rate, import_mib);
    std::printf("ratio import/plain    : %.2f\n", import_rate / plain_rate);
    return 0;
}
