// Import benchmark (issue 2): a generated registry of about a million persons imported by
// jingzhun (two passes over the file, every acceptance rule, the change log, one transaction),
// side by side with the plain alternative — the same households, already in memory, inserted with
// prepared statements into the same schema, no validation and no change log — and, to show where
// the difference goes, the plain insert plus the same hash-chained change-log rows.
//
//   build/bench/bench_import [--persons N] [--dir DIR] [--seed S]
#include <sqlite3.h>

#include <cstring>

#include "bench_common.h"
#include "core/assembly.h"
#include "generator/generator.h"
#include "io/importer.h"
#include "store/change_chain.h"

namespace {

using namespace jz::bench;  // NOLINT: benchmark driver

std::unique_ptr<jz::Generator> MakeGenerator(const County& c, int64_t persons, uint64_t seed) {
    jz::GeneratorOptions o;
    o.seed = seed;
    o.households = persons * 10 / 43;  // the generator's mean household size is about 4.3
    return jz::Generator::Create(c.plan, c.tree, o).value();
}

// The plain alternative. With `log`, each household also gets its change-log row, as jingzhun
// writes it.
double PlainInsert(const County& c, const std::string& db, int64_t persons, uint64_t seed, bool log) {
    NewRegistry(c, db).reset();
    sqlite3* h = nullptr;
    sqlite3_open(db.c_str(), &h);
    sqlite3_exec(h, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;", nullptr,
                 nullptr, nullptr);
    std::vector<jz::Household> all;
    auto gen = MakeGenerator(c, persons, seed);
    jz::Household hh;
    while (gen->Next(hh)) all.push_back(hh);
    sqlite3_stmt* ins_h = nullptr;
    sqlite3_stmt* ins_p = nullptr;
    sqlite3_stmt* ins_log = nullptr;
    sqlite3_prepare_v2(
        h,
        "INSERT INTO household (county_code, household_code, division_code, attribute,"
        " identification_standard, main_cause, other_causes, identified_year, planned_exit_year,"
        " status, exit_year, net_income_per_head, main_measure, aux_measures, pairing_cadre, phone,"
        " dangerous_housing, safe_water, household_electricity, housing_area, version, updated_at)"
        " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,1,?21)",
        -1, &ins_h, nullptr);
    sqlite3_prepare_v2(
        h,
        "INSERT INTO person (household_id, county_code, ordinal, name, id_number, relation, sex,"
        " birth_date, ethnicity, education, schooling, health, labour, migrant_work, months_worked)"
        " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)",
        -1, &ins_p, nullptr);
    sqlite3_prepare_v2(
        h,
        "INSERT INTO change_log (at, actor, county_code, entity, entity_key, action, after_json, seq,"
        " hash) VALUES ('2026-11-29T00:00:00Z', 'bench', ?1, 'household', ?2, 'insert', ?3, ?4, ?5)",
        -1, &ins_log, nullptr);
    // The chain's tail, to go on hashing as the store does.
    int64_t seq = 0;
    jz::ChainHash chain{};
    {
        sqlite3_stmt* tail = nullptr;
        sqlite3_prepare_v2(h, "SELECT seq, hash FROM change_log ORDER BY seq DESC LIMIT 1", -1, &tail,
                           nullptr);
        if (sqlite3_step(tail) == SQLITE_ROW) {
            seq = sqlite3_column_int64(tail, 0);
            std::memcpy(chain.data(), sqlite3_column_blob(tail, 1), chain.size());
        }
        sqlite3_finalize(tail);
    }
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
        if (sqlite3_step(ins_h) != SQLITE_DONE) return -1;
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
            if (sqlite3_step(ins_p) != SQLITE_DONE) return -1;
            sqlite3_reset(ins_p);
        }
        if (log) {
            const std::string json = jz::HouseholdToJson(x);
            chain = jz::HashEntry(chain, {++seq, "2026-11-29T00:00:00Z", "bench", county, "household",
                                          x.household_code, "insert", std::nullopt, json, std::nullopt});
            sqlite3_bind_text(ins_log, 1, county.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_text(ins_log, 2, x.household_code.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_text(ins_log, 3, json.c_str(), static_cast<int>(json.size()), SQLITE_STATIC);
            sqlite3_bind_int64(ins_log, 4, seq);
            sqlite3_bind_blob(ins_log, 5, chain.data(), static_cast<int>(chain.size()), SQLITE_STATIC);
            if (sqlite3_step(ins_log) != SQLITE_DONE) return -1;
            sqlite3_reset(ins_log);
        }
    }
    sqlite3_exec(h, "COMMIT", nullptr, nullptr, nullptr);
    const double seconds = SecondsSince(start);
    sqlite3_finalize(ins_h);
    sqlite3_finalize(ins_p);
    sqlite3_finalize(ins_log);
    sqlite3_close(h);
    return seconds;
}

double FullImport(const County& c, const std::string& db, const std::string& file) {
    auto store = NewRegistry(c, db);
    const auto start = Clock::now();
    auto summary = jz::io::ImportRegistry(*store, c.plan, c.tree, {file, "", file + ".errors.csv", kChange});
    const double seconds = SecondsSince(start);
    if (!summary || summary->households.rejected != 0) {
        std::fprintf(stderr, "import failed: %s\n",
                     summary ? summary->ToJson().substr(0, 500).c_str() : summary.error().ToString().c_str());
        return -1;
    }
    return seconds;
}

}  // namespace

int main(int argc, char** argv) {
    int64_t persons = 1'000'000;
    std::string dir = (std::filesystem::temp_directory_path() / "jingzhun-bench").string();
    uint64_t seed = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--persons")) persons = std::stoll(argv[i + 1]);
        if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
        if (!std::strcmp(argv[i], "--seed")) seed = std::stoull(argv[i + 1]);
    }
    std::filesystem::create_directories(dir);
    const County county = LoadCounty();
    const std::string file = dir + "/registry.csv";

    const auto gen_start = Clock::now();
    int64_t rows = 0;
    {
        auto writer = jz::io::CreateCsvWriter(file).value();
        std::vector<std::string> line;
        for (const jz::ColumnInfo& col : jz::Columns()) line.emplace_back(col.zh);
        (void)writer->WriteRow(line);
        auto gen = MakeGenerator(county, persons, seed);
        jz::Household h;
        std::vector<jz::LayoutRow> layout;
        while (gen->Next(h)) {
            layout.clear();
            jz::FormatHousehold(h, county.plan, layout);
            for (auto& r : layout) {
                line.assign(r.begin(), r.end());
                (void)writer->WriteRow(line);
                ++rows;
            }
        }
        (void)writer->Close();
    }
    std::printf("input: %s, %lld persons (%.1f MiB), generated in %.2f s\n", file.c_str(),
                static_cast<long long>(rows),
                static_cast<double>(std::filesystem::file_size(file)) / (1 << 20), SecondsSince(gen_start));

    double plain_mib = 0, logged_mib = 0, import_mib = 0;
    const double plain_s =
        InChild([&] { return PlainInsert(county, dir + "/plain.db", persons, seed, false); }, plain_mib);
    const double logged_s =
        InChild([&] { return PlainInsert(county, dir + "/logged.db", persons, seed, true); }, logged_mib);
    const double import_s = InChild([&] { return FullImport(county, dir + "/import.db", file); }, import_mib);
    const double n = static_cast<double>(rows);
    std::printf(
        "plain prepared insert          : %6.2f s = %7.0f persons/s (peak RSS %4.0f MiB, rows in memory)\n",
        plain_s, n / plain_s, plain_mib);
    std::printf(
        "plain insert + change log      : %6.2f s = %7.0f persons/s (peak RSS %4.0f MiB, rows in memory)\n",
        logged_s, n / logged_s, logged_mib);
    std::printf(
        "jingzhun import (full checks)  : %6.2f s = %7.0f persons/s (peak RSS %4.0f MiB, streaming)\n",
        import_s, n / import_s, import_mib);
    std::printf("ratio import / plain insert    : %.2f\n", plain_s / import_s);
    std::printf("ratio import / plain + log     : %.2f\n", logged_s / import_s);
    return 0;
}
