// The SQLite adapter's core: opening a database (pragmas, migrations), transactions, settings and
// the statement and error helpers every table family uses. The families are in sqlite_*.cc
// (sqlite_internal.h lists them).
#include "store/sqlite_store.h"

#include <sodium.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>

#include "store/sqlite_internal.h"
#include "store/sqlite_schema.h"

namespace jz {
namespace sqlite_internal {
namespace {

constexpr const char* kSelectSetting = "SELECT value FROM setting WHERE key=?1";

}  // namespace

Result<void> SqliteStore::Init(OpenMode mode) {
    // A 64 MiB page cache keeps the ID-number index of a county in memory during bulk imports.
    // synchronous=FULL: in WAL mode every commit syncs the WAL, so a write that was acknowledged
    // survives a power loss (NORMAL syncs only at checkpoints and may lose the last commits).
    // JINGZHUN_SYNCHRONOUS=normal trades that for speed (docs/architecture.md, benchmarks.md).
    const std::string sync = synchronous_ == Synchronous::kNormal ? "NORMAL" : "FULL";
    if (auto r = Exec("PRAGMA foreign_keys=ON; PRAGMA synchronous=" + sync + "; PRAGMA cache_size=-65536;"); !r)
        return r;
    // journal_mode returns a row; a read-only or corrupt file fails here first.
    auto jm = Exec("PRAGMA journal_mode=WAL;");
    if (!jm) return jm;
    auto version = QueryInt("PRAGMA user_version");
    if (!version) return std::unexpected(version.error());
    if (mode == OpenMode::kExisting && *version == 0)
        return Fail("store.missing", "db", "数据库尚未初始化(请先运行 jingzhun init)",
                    "the database has not been initialised (run jingzhun init first)");
    const int latest = static_cast<int>(std::size(sqlite_schema::kMigrations));
    if (*version > latest)
        return Fail("store.too_new", "db", "数据库版本(" + std::to_string(*version) + ")比本程序新",
                    "the database schema (version " + std::to_string(*version) +
                        ") is newer than this program supports");
    for (int v = static_cast<int>(*version); v < latest; ++v) {
        if (auto r = Exec("BEGIN IMMEDIATE"); !r) return r;
        auto r = Exec(std::string(sqlite_schema::kMigrations[v]));
        // Migration 006 goes on in C++: the free-text pairing names become cadres and pairings,
        // logged in the same transaction (a database created new has no households: nothing).
        if (r && v + 1 == sqlite_schema::kPairingAdoptionVersion && *version > 0) r = AdoptNamesOnUpgrade();
        // Migration 010 goes on in C++: the events of the cases already closed.
        if (r && v + 1 == sqlite_schema::kHouseholdEventsVersion && *version > 0) r = RebuildHouseholdEvents();
        if (r) r = Exec("PRAGMA user_version=" + std::to_string(v + 1));
        if (!r) {
            Exec("ROLLBACK");
            return r;
        }
        if (auto c = Exec("COMMIT"); !c) return c;
    }
    schema_version_ = latest;
    return {};
}

ChangeContext MigrationChange(const std::string& actor, std::chrono::sys_seconds now) {
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char at[32];
    std::strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return ChangeContext{.actor = actor, .at = at, .import_id = std::nullopt};
}

Result<void> SqliteStore::Begin() {
    if (in_tx_) return Fail("store.nested", "", "事务已开始", "a transaction is already open");
    if (auto r = Exec("BEGIN IMMEDIATE"); !r) return r;
    in_tx_ = true;
    // The write lock is ours now: the chain's tail cannot move under us until Commit.
    if (auto r = LoadChainTail(); !r) {
        Rollback();
        return r;
    }
    return {};
}
Result<void> SqliteStore::LoadChainTail() {
    auto st = Prepare(kChainTail);
    if (!st) return std::unexpected(st.error());
    chain_seq_ = 0;
    chain_hash_.fill(0);
    if (sqlite3_step(*st) == SQLITE_ROW) {
        chain_seq_ = sqlite3_column_int64(*st, 0);
        const void* blob = sqlite3_column_blob(*st, 1);
        if (blob && sqlite3_column_bytes(*st, 1) == static_cast<int>(chain_hash_.size()))
            std::memcpy(chain_hash_.data(), blob, chain_hash_.size());
    }
    sqlite3_reset(*st);
    return {};
}
Result<void> SqliteStore::Commit() {
    if (!in_tx_) return Fail("store.no_transaction", "", "没有进行中的事务", "no transaction is open");
    auto r = Exec("COMMIT");
    if (!r) {
        Exec("ROLLBACK");
        fund_cache_.reset();
    }
    in_tx_ = false;
    return r;
}
void SqliteStore::Rollback() {
    fund_cache_.reset();
    if (!in_tx_) return;
    Exec("ROLLBACK");
    in_tx_ = false;
}

Result<std::optional<std::string>> SqliteStore::GetSetting(const std::string& key) {
    auto st = Prepare(kSelectSetting);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    sqlite3_bind_text(*st, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
    int rc = sqlite3_step(*st);
    if (rc == SQLITE_ROW) return std::optional<std::string>(Text(*st, 0));
    if (rc == SQLITE_DONE) return std::optional<std::string>();
    return std::unexpected(LastError("GetSetting"));
}
Result<void> SqliteStore::PutSetting(const std::string& key, const std::string& value) {
    if (auto r = RequireTx(); !r) return r;
    auto st = Prepare(
        "INSERT INTO setting(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value=?2");
    if (!st) return std::unexpected(st.error());
    BindText(*st, 1, key);
    BindText(*st, 2, value);
    return StepDone(*st, "PutSetting");
}

// The county of entries that belong to no household (accounts, events): the database's own.
Result<std::string> SqliteStore::SettingCounty() {
    auto county = GetSetting("county_code");
    if (!county) return std::unexpected(county.error());
    return county->value_or("");
}

Result<void> SqliteStore::RequireTx() {
    if (!in_tx_)
        return Fail("store.no_transaction", "", "写操作必须在事务中进行",
                    "writes must run inside a transaction");
    return {};
}

Error SqliteStore::MakeError(int rc, const std::string& what) {
    const int primary = rc & 0xff;
    std::string msg = sqlite3_errmsg(db_);
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
        return Error{.code = "store.locked", .field = "db", .message_zh = "数据库被其他程序锁定,请稍后再试", .message_en = "the database is locked by another process; try again later"};
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
        return Error{.code = "store.foreign_key", .field = "division_code", .message_zh = "引用的行政区划代码不存在: " + msg, .message_en = "a referenced division code does not exist: " + msg};
    if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
        return Error{.code = "store.corrupt", .field = "db", .message_zh = "数据库文件已损坏或不是数据库: " + msg, .message_en = "the database file is damaged or not a database: " + msg};
    if (primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN || primary == SQLITE_IOERR ||
        primary == SQLITE_FULL)
        return Error{.code = "store.io", .field = "db", .message_zh = "数据库读写失败: " + msg, .message_en = "database I/O failed: " + msg};
    return Error{.code = "store.sqlite", .field = "db", .message_zh = what + ": " + msg, .message_en = what + ": " + msg};
}
Error SqliteStore::LastError(const std::string& what) { return MakeError(sqlite3_extended_errcode(db_), what); }

Result<void> SqliteStore::Exec(const std::string& sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    sqlite3_free(err);
    if (rc != SQLITE_OK) return std::unexpected(MakeError(rc, "exec"));
    return {};
}
Result<int64_t> SqliteStore::QueryInt(const char* sql) {
    auto st = Prepare(sql);
    if (!st) return std::unexpected(st.error());
    int rc = sqlite3_step(*st);
    if (rc != SQLITE_ROW) return std::unexpected(LastError(sql));
    int64_t v = sqlite3_column_int64(*st, 0);
    sqlite3_reset(*st);
    return v;
}

// Cached prepared statement, reset and cleared for reuse. `sql` must be a string constant: the
// cache is keyed by its address, so a hot path pays no string comparison.
Result<sqlite3_stmt*> SqliteStore::Prepare(const char* sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
        sqlite3_stmt* raw = nullptr;
        int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
        if (rc != SQLITE_OK) return std::unexpected(MakeError(rc, "prepare"));
        it = cache_.emplace(sql, Stmt(raw)).first;
    }
    sqlite3_stmt* s = it->second.get();
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return s;
}
Result<void> SqliteStore::StepDone(sqlite3_stmt* st, const char* what) {
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return std::unexpected(MakeError(rc, what));
    return {};
}

}  // namespace sqlite_internal

using sqlite_internal::SqliteStore;

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, OpenMode mode,
                                               const SqliteOptions& options) {
    std::error_code ec;
    const bool exists = std::filesystem::exists(path, ec);
    const bool empty =
        exists && std::filesystem::is_regular_file(path, ec) && std::filesystem::file_size(path, ec) == 0;
    if (mode == OpenMode::kExisting && !exists)
        return Fail("store.missing", "db", "数据库文件不存在: " + path + "(请先运行 jingzhun init)",
                    "no database at " + path + " (run jingzhun init first)");
    if (mode == OpenMode::kCreate && exists && !empty)
        return Fail("store.exists", "db", "数据库文件已存在: " + path,
                    "a database already exists at " + path);
    if (exists && std::filesystem::is_directory(path, ec))
        return Fail("store.io", "db", path + " 是目录,不是数据库文件",
                    path + " is a directory, not a database file");
    if (sodium_init() < 0)  // the change log's hash chain uses BLAKE2b
        return Fail("store.crypto", "", "无法初始化加密库", "cannot initialise libsodium");
    sqlite3* db = nullptr;
    const int flags =
        SQLITE_OPEN_READWRITE | (mode == OpenMode::kCreate ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close_v2(db);
        return Fail("store.io", "db", "无法打开数据库 " + path + ": " + msg,
                    "cannot open database " + path + ": " + msg);
    }
    sqlite3_busy_timeout(db, 5000);
    sqlite3_extended_result_codes(db, 1);
    Synchronous synchronous = options.synchronous;
    if (const char* env = std::getenv("JINGZHUN_SYNCHRONOUS"); env && *env) {
        const std::string v = env;
        if (v == "normal" || v == "NORMAL")
            synchronous = Synchronous::kNormal;
        else if (v == "full" || v == "FULL")
            synchronous = Synchronous::kFull;
        else
            return Fail("store.config", "JINGZHUN_SYNCHRONOUS", "JINGZHUN_SYNCHRONOUS 只能是 full 或 normal: " + v,
                        "JINGZHUN_SYNCHRONOUS must be full or normal: " + v);
    }
    auto store = std::make_unique<SqliteStore>(db, path, synchronous);
    if (auto r = store->Init(mode); !r) return std::unexpected(r.error());
    if (options.mmap_bytes > 0)
        sqlite3_exec(db, ("PRAGMA mmap_size=" + std::to_string(options.mmap_bytes)).c_str(), nullptr, nullptr,
                     nullptr);  // a hint: SQLite may cap it, and a failure only costs speed
    return std::unique_ptr<Store>(std::move(store));
}

}  // namespace jz
