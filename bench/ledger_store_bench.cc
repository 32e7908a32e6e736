// The store's side of importing assistance items (issue 14): how fast SqliteStore::InsertAssistance
// writes items in one transaction (its row, the item-code duplicate check, a hash-chained change-log
// entry per item), with and without a bulk load (BeginBulkLoad: secondary indexes set aside), side
// by side with a plain prepared insert of the same rows into the same table and the plain insert
// plus a change-log row per item. No file parsing: the importer's figure (r-exchange) adds that.
// Each variant runs in a child process (its own peak memory), on a fresh database; CPU seconds are
// printed beside the wall clock because the machine may be shared.
//
//   build/bench/bench_ledger_store [--items N] [--dir DIR]
#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <ctime>

#include "bench_common.h"
#include "core/id_number.h"

namespace {

using namespace jz::bench;  // NOLINT: benchmark driver

double CpuSeconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// Item i: five per household, a member on every other one, signed.
void MakeItem(int64_t i, jz::AssistanceRecord& r) {
    char household[32], code[48];
    std::snprintf(household, sizeof household, "5404251002%010lld", static_cast<long long>(i / 5));
    std::snprintf(code, sizeof code, "%s-%03lld", household, static_cast<long long>(i % 5 + 1));
    r.division_code = i / 5 % 2 ? "540425100201" : "540425100200";
    r.item.household_code = household;
    r.item.item_code = code;
    r.item.measure = static_cast<int>(i % 10) + 1;
    r.item.category = 3;
    r.item.kind = 1;
    r.item.start_date = {2016 + static_cast<int>(i % 3), 3, 1};
    r.item.amount = 100000 + i % 1000;
    r.item.fund_ref = "F-2017-01";
    r.item.signed_on = jz::Date{2017, 3, 5};
    r.item.signed_by = "扎西";
    r.item.member_ids.clear();
    if (i % 2) r.item.member_ids.push_back(jz::MakeIdNumber("540425", {1970, 3, 5}, static_cast<int>(i % 999)));
}

void Fresh(const std::string& db) {
    for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(db + s);
    auto store = jz::OpenSqliteStore(db, jz::OpenMode::kCreate).value();
    (void)store->Begin();
    (void)store->SaveOrgUnits(LoadCounty().tree, kChange);
    (void)store->Commit();
}

double ViaStore(const std::string& db, int64_t n, bool bulk, double& cpu) {
    Fresh(db);
    auto store = jz::OpenSqliteStore(db, jz::OpenMode::kExisting).value();
    const auto start = Clock::now();
    const double cpu0 = CpuSeconds();
    jz::ChangeContext change = kChange;
    if (!store->Begin()) return -1;
    change.import_id = store->BeginImport("items.csv", change).value();
    if (bulk && !store->BeginBulkLoad()) return -1;
    jz::AssistanceRecord r;
    for (int64_t i = 0; i < n; ++i) {
        MakeItem(i, r);
        if (auto ok = store->InsertAssistance(r, change); !ok) {
            std::fprintf(stderr, "%s\n", ok.error().message_en.c_str());
            return -1;
        }
    }
    if (bulk && !store->EndBulkLoad()) return -1;
    if (!store->Commit()) return -1;
    cpu = CpuSeconds() - cpu0;
    return SecondsSince(start);
}

// The same rows by hand: the item row (its JSON body as the store writes it) and, with `log`, a
// change-log row with a hash (not chained: the cost of the row, not of the chain).
double Plain(const std::string& db, int64_t n, bool log, double& cpu) {
    Fresh(db);
    sqlite3* h = nullptr;
    sqlite3_open(db.c_str(), &h);
    sqlite3_exec(h, "PRAGMA cache_size=-65536; BEGIN", nullptr, nullptr, nullptr);
    sqlite3_stmt* ins = nullptr;
    sqlite3_stmt* ins_log = nullptr;
    sqlite3_prepare_v2(h,
                       "INSERT INTO assistance_item (household_code, item_code, division_code, version, deleted,"
                       " measure, category, kind, start_date, end_date, signed_on, amount, member_keys,"
                       " natural_hash, updated_at, body_json) VALUES (?1,?2,?3,1,0,?4,?5,?6,?7,NULL,?8,?9,NULL,?10,"
                       "?11,?12)",
                       -1, &ins, nullptr);
    sqlite3_prepare_v2(h,
                       "INSERT INTO change_log (at, actor, county_code, entity, entity_key, action, after_json, seq,"
                       " hash) VALUES (?1,?2,'540425','assistance_item',?3,'insert',?4,?5,?6)",
                       -1, &ins_log, nullptr);
    const int64_t first_seq = 1 + [&] {
        sqlite3_stmt* q = nullptr;
        sqlite3_prepare_v2(h, "SELECT coalesce(max(seq), 0) FROM change_log", -1, &q, nullptr);
        sqlite3_step(q);
        const int64_t v = sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
        return v;
    }();
    // Rows are built in chunks with the clocks stopped: only the inserts are timed.
    constexpr int64_t kChunk = 50'000;
    std::vector<jz::AssistanceRecord> rows(static_cast<size_t>(std::min(n, kChunk)));
    std::vector<std::string> bodies(rows.size());
    const unsigned char hash[32] = {1};
    double seconds = 0;
    cpu = 0;
    for (int64_t base = 0; base < n; base += kChunk) {
        const int64_t count = std::min(kChunk, n - base);
        for (int64_t k = 0; k < count; ++k) {
            MakeItem(base + k, rows[static_cast<size_t>(k)]);
            rows[static_cast<size_t>(k)].version = 1;
            bodies[static_cast<size_t>(k)] = jz::AssistanceRecordToJson(rows[static_cast<size_t>(k)]);
        }
        const auto start = Clock::now();
        const double cpu0 = CpuSeconds();
        for (int64_t k = 0; k < count; ++k) {
            const int64_t i = base + k;
            const jz::AssistanceItem& it = rows[static_cast<size_t>(k)].item;
            const std::string& body = bodies[static_cast<size_t>(k)];
            sqlite3_bind_text(ins, 1, it.household_code.data(), static_cast<int>(it.household_code.size()),
                              SQLITE_STATIC);
            sqlite3_bind_text(ins, 2, it.item_code.data(), static_cast<int>(it.item_code.size()), SQLITE_STATIC);
            const std::string& div = rows[static_cast<size_t>(k)].division_code;
            sqlite3_bind_text(ins, 3, div.data(), static_cast<int>(div.size()), SQLITE_STATIC);
            sqlite3_bind_int(ins, 4, it.measure);
            sqlite3_bind_int(ins, 5, it.category);
            sqlite3_bind_int(ins, 6, it.kind);
            sqlite3_bind_int64(ins, 7, it.start_date.year * 10000 + 301);
            sqlite3_bind_int64(ins, 8, 20170305);
            sqlite3_bind_int64(ins, 9, *it.amount);
            sqlite3_bind_int64(ins, 10, i);
            sqlite3_bind_text(ins, 11, kChange.at.data(), static_cast<int>(kChange.at.size()), SQLITE_STATIC);
            sqlite3_bind_text(ins, 12, body.data(), static_cast<int>(body.size()), SQLITE_STATIC);
            if (sqlite3_step(ins) != SQLITE_DONE) return -1;
            sqlite3_reset(ins);
            if (log) {
                sqlite3_bind_text(ins_log, 1, kChange.at.data(), static_cast<int>(kChange.at.size()), SQLITE_STATIC);
                sqlite3_bind_text(ins_log, 2, kChange.actor.data(), static_cast<int>(kChange.actor.size()),
                                  SQLITE_STATIC);
                sqlite3_bind_text(ins_log, 3, it.item_code.data(), static_cast<int>(it.item_code.size()),
                                  SQLITE_STATIC);
                sqlite3_bind_text(ins_log, 4, body.data(), static_cast<int>(body.size()), SQLITE_STATIC);
                sqlite3_bind_int64(ins_log, 5, first_seq + i);
                sqlite3_bind_blob(ins_log, 6, hash, sizeof hash, SQLITE_STATIC);
                if (sqlite3_step(ins_log) != SQLITE_DONE) return -1;
                sqlite3_reset(ins_log);
            }
        }
        seconds += SecondsSince(start);
        cpu += CpuSeconds() - cpu0;
    }
    const auto start = Clock::now();
    const double cpu0 = CpuSeconds();
    sqlite3_exec(h, "COMMIT", nullptr, nullptr, nullptr);
    cpu += CpuSeconds() - cpu0;
    seconds += SecondsSince(start);
    sqlite3_finalize(ins);
    sqlite3_finalize(ins_log);
    sqlite3_close(h);
    return seconds;
}

}  // namespace

int main(int argc, char** argv) {
    int64_t items = 1'000'000;
    std::string dir = std::filesystem::temp_directory_path().string();
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--items") == 0) items = std::atoll(argv[i + 1]);
        if (std::strcmp(argv[i], "--dir") == 0) dir = argv[i + 1];
    }
    const std::string db = dir + "/bench-ledger-store.db";
    std::printf("%lld items, %lld households, one transaction each\n\n", static_cast<long long>(items),
                static_cast<long long>(items / 5));
    std::printf("| | wall | items/s (wall) | CPU | items/s (CPU) | peak RSS |\n|---|---|---|---|---|---|\n");
    struct Variant {
        const char* name;
        std::function<double(double&)> run;
    };
    const Variant variants[] = {
        {"plain prepared insert", [&](double& cpu) { return Plain(db, items, false, cpu); }},
        {"plain insert + change-log row", [&](double& cpu) { return Plain(db, items, true, cpu); }},
        {"InsertAssistance", [&](double& cpu) { return ViaStore(db, items, false, cpu); }},
        {"InsertAssistance, bulk load", [&](double& cpu) { return ViaStore(db, items, true, cpu); }},
    };
    for (const Variant& v : variants) {
        double peak = 0;
        int fds[2];
        if (pipe(fds) != 0) return 1;
        const double wall = InChild(
            [&] {
                double cpu = 0;
                const double s = v.run(cpu);
                if (write(fds[1], &cpu, sizeof cpu) != sizeof cpu) return -1.0;
                return s;
            },
            peak);
        double cpu = 0;
        if (read(fds[0], &cpu, sizeof cpu) != sizeof cpu) return 1;
        close(fds[0]);
        close(fds[1]);
        std::printf("| %s | %.2f s | %.0f | %.2f s | %.0f | %.0f MiB |\n", v.name, wall,
                    static_cast<double>(items) / wall, cpu, static_cast<double>(items) / cpu, peak);
    }
    for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(db + s);
    return 0;
}
