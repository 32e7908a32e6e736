// Issue 16's funds figures (r-funds):
//   1. posting N ledger entries through SqliteStore::PostFundEntries (each batch checked by the core
//      FundLedger against the state it touches, entries + one hash-chained change-log row per batch +
//      balance deltas + derived amounts, one transaction per batch) beside a plain prepared INSERT of
//      the same rows into the same fund_entry table (no rules, no log, no balances), same run;
//   2. the balance of every account after N entries: FundBalances (the kept fund_balance table)
//      beside RecountFundBalances (SQL SUM ... GROUP BY over fund_entry).
// The entries cycle receive (treasury → allocation), budget (allocation → project), disburse
// (project → payee) over 1,000 allocations, 10,000 projects and 10,000 payees: 21,000 accounts plus
// the 20,000 project accounts actually used, all valid under the rules. CPU seconds are printed
// beside the wall clock because the machine may be shared.
//
//   build/bench/bench_funds [--entries N] [--batch B] [--dir DIR]     (default N = 10,000,000)
#include <sqlite3.h>

#include <cstring>
#include <ctime>

#include "bench_common.h"

namespace {

using namespace jz::bench;  // NOLINT: benchmark driver

constexpr int64_t kAllocations = 1000, kProjects = 10000, kPayees = 10000;

double CpuSeconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// Entry i of the cycle (ids 1-based, accounts as the ledger names them).
void MakeEntry(int64_t i, jz::FundEntry& e) {
    const int64_t round = i / 3;
    e = jz::FundEntry{};
    e.date = jz::Date{2018, 1 + static_cast<int>(round % 12), 1 + static_cast<int>(round % 28)};
    e.allocation = round % kAllocations + 1;
    e.amount = 1000 + round % 100;
    e.refs = "报账单-" + std::to_string(round);
    switch (i % 3) {
        case 0:
            e.kind = jz::FundEntryKind::kReceive;
            break;
        case 1:
            e.kind = jz::FundEntryKind::kBudget;
            e.project = round % kProjects + 1;
            break;
        default:
            e.kind = jz::FundEntryKind::kDisburse;
            e.project = round % kProjects + 1;
            e.payee = round % kPayees + 1;
            e.stage = "acceptance";
            break;
    }
}
void Accounts(const jz::FundEntry& e, std::string& from, std::string& to) {
    switch (e.kind) {
        case jz::FundEntryKind::kReceive:
            from = "treasury";
            to = jz::AllocationAccount(e.allocation);
            break;
        case jz::FundEntryKind::kBudget:
            from = jz::AllocationAccount(e.allocation);
            to = jz::ProjectAccount(e.project, e.allocation);
            break;
        default:
            from = jz::ProjectAccount(e.project, e.allocation);
            to = jz::PayeeAccount(e.payee);
            break;
    }
}

std::unique_ptr<jz::Store> Fresh(const std::string& db, bool reference) {
    for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(db + s);
    // The same durability as the plain alternative's PRAGMA synchronous=NORMAL (commits not synced
    // one by one; the store's default FULL syncs every batch's commit, which on a shared VM disk costs
    // more than the posting itself).
    jz::SqliteOptions options;
    options.synchronous = jz::Synchronous::kNormal;
    auto store = jz::OpenSqliteStore(db, jz::OpenMode::kCreate, options).value();
    (void)store->Begin();
    (void)store->SaveOrgUnits(LoadCounty().tree, kChange);
    if (reference) {
        for (int64_t a = 1; a <= kAllocations; ++a)
            (void)store->PutAllocation({a, "aid_tibet", "援藏〔2018〕" + std::to_string(a) + "号", 2018,
                                        1'000'000'000'000LL, {}},
                                       kChange);
        for (int64_t p = 1; p <= kProjects; ++p)
            (void)store->PutFundProject({p, "项目" + std::to_string(p), "540425100201", "roads",
                                         1'000'000'000'000LL, std::nullopt, jz::ProjectState::kAccepted},
                                        kChange);
        for (int64_t y = 1; y <= kPayees; ++y)
            (void)store->PutPayee({y, jz::PayeeKind::kContractor, "承包方" + std::to_string(y)}, kChange);
    }
    (void)store->Commit();
    return store;
}

double ViaStore(jz::Store& store, int64_t n, int64_t batch_size, double& cpu) {
    const jz::PlanFunds settings;
    std::vector<jz::FundEntry> batch;
    const auto start = Clock::now();
    const double cpu0 = CpuSeconds();
    for (int64_t i = 0; i < n;) {
        batch.clear();
        for (; i < n && static_cast<int64_t>(batch.size()) < batch_size; ++i) {
            batch.emplace_back();
            MakeEntry(i, batch.back());
        }
        if (!store.Begin()) return -1;
        auto r = store.PostFundEntries(batch, settings, kChange);
        if (!r) {
            std::fprintf(stderr, "refused: %s\n", r.error().ToString().c_str());
            store.Rollback();
            return -1;
        }
        if (!store.Commit()) return -1;
    }
    cpu = CpuSeconds() - cpu0;
    return SecondsSince(start);
}

// The same rows, one prepared INSERT each, no rules, no log, no balances; same batches.
double Plain(const std::string& db, int64_t n, int64_t batch_size, double& cpu) {
    { auto store = Fresh(db, false); }
    sqlite3* h = nullptr;
    sqlite3_open(db.c_str(), &h);
    sqlite3_exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", nullptr, nullptr, nullptr);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(h,
                       "INSERT INTO fund_entry (id, entry_date, kind, from_account, to_account, amount_fen,"
                       " allocation_id, project_id, payee_id, to_allocation, stage, refs, decision_id, reverses,"
                       " actor, at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,0,?10,?11,'',NULL,'bench',?12)",
                       -1, &st, nullptr);
    jz::FundEntry e;
    std::string from, to;
    const auto start = Clock::now();
    const double cpu0 = CpuSeconds();
    for (int64_t i = 0; i < n;) {
        sqlite3_exec(h, "BEGIN", nullptr, nullptr, nullptr);
        for (int64_t k = 0; i < n && k < batch_size; ++k, ++i) {
            MakeEntry(i, e);
            Accounts(e, from, to);
            const std::string_view kind = jz::FundEntryKindName(e.kind);
            sqlite3_bind_int64(st, 1, i + 1);
            sqlite3_bind_int64(st, 2, int64_t{e.date.year} * 10000 + e.date.month * 100 + e.date.day);
            sqlite3_bind_text(st, 3, kind.data(), static_cast<int>(kind.size()), SQLITE_STATIC);
            sqlite3_bind_text(st, 4, from.data(), static_cast<int>(from.size()), SQLITE_STATIC);
            sqlite3_bind_text(st, 5, to.data(), static_cast<int>(to.size()), SQLITE_STATIC);
            sqlite3_bind_int64(st, 6, e.amount);
            sqlite3_bind_int64(st, 7, e.allocation);
            sqlite3_bind_int64(st, 8, e.project);
            sqlite3_bind_int64(st, 9, e.payee);
            sqlite3_bind_text(st, 10, e.stage.data(), static_cast<int>(e.stage.size()), SQLITE_STATIC);
            sqlite3_bind_text(st, 11, e.refs.data(), static_cast<int>(e.refs.size()), SQLITE_STATIC);
            sqlite3_bind_text(st, 12, kChange.at.data(), static_cast<int>(kChange.at.size()), SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_DONE) {
                std::fprintf(stderr, "plain insert: %s\n", sqlite3_errmsg(h));
                return -1;
            }
            sqlite3_reset(st);
        }
        sqlite3_exec(h, "COMMIT", nullptr, nullptr, nullptr);
    }
    cpu = CpuSeconds() - cpu0;
    const double secs = SecondsSince(start);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return secs;
}

}  // namespace

int main(int argc, char** argv) {
    int64_t n = 10'000'000, batch = 1000;
    std::string dir = "/tmp";
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], "--entries") == 0) n = std::atoll(argv[i + 1]);
        if (std::strcmp(argv[i], "--batch") == 0) batch = std::atoll(argv[i + 1]);
        if (std::strcmp(argv[i], "--dir") == 0) dir = argv[i + 1];
    }
    const std::string db = dir + "/jz-funds-bench.db", plain_db = dir + "/jz-funds-plain.db";
    std::printf("funds ledger: %lld entries, batches of %lld (one transaction each)\n", static_cast<long long>(n),
                static_cast<long long>(batch));

    double cpu = 0;
    const double plain = Plain(plain_db, n, batch, cpu);
    std::printf("  plain prepared INSERT into fund_entry   %8.2f s  %10.0f entries/s  (cpu %.2f s)\n", plain,
                n / plain, cpu);
    for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(plain_db + s);

    auto store = Fresh(db, true);
    const double posted = ViaStore(*store, n, batch, cpu);
    if (posted < 0) return 1;
    std::printf("  PostFundEntries (rules, log, balances)   %8.2f s  %10.0f entries/s  (cpu %.2f s)\n", posted,
                n / posted, cpu);

    auto start = Clock::now();
    double cpu0 = CpuSeconds();
    const auto kept = store->FundBalances();
    const double kept_s = SecondsSince(start);
    const double kept_cpu = CpuSeconds() - cpu0;
    start = Clock::now();
    cpu0 = CpuSeconds();
    const auto recount = store->RecountFundBalances();
    const double recount_s = SecondsSince(start);
    const double recount_cpu = CpuSeconds() - cpu0;
    if (!kept || !recount) return 1;
    size_t differ = 0;
    for (const auto& [account, balance] : *recount) {
        auto it = kept->find(account);
        if ((it == kept->end() ? 0 : it->second) != balance) ++differ;
    }
    std::printf("  balances of every account: FundBalances  %8.3f s  (cpu %.3f s, %zu accounts)\n", kept_s, kept_cpu,
                kept->size());
    std::printf("  balances by SUM GROUP BY over fund_entry %8.3f s  (cpu %.3f s, %zu accounts, %zu differ)\n",
                recount_s, recount_cpu, recount->size(), differ);
    store.reset();
    std::printf("  database %.1f MiB\n", static_cast<double>(std::filesystem::file_size(db)) / (1024.0 * 1024.0));
    for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(db + s);
    return differ == 0 ? 0 : 1;
}
