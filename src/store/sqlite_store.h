// The embedded default: one SQLite file, WAL, foreign keys on, STRICT tables, numbered migrations
// applied on open.
//
// OpenSqliteStore returns a Store that owns one connection: use it from one thread at a time, and
// open one per thread for concurrency (the server's StorePool does). The free functions below open
// connections of their own and may run on any thread; BackupSqlite runs beside a live server,
// RestoreSqlite refuses a database another process has open. The implementation is split by table
// family (README.md; sqlite_internal.h).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "store/store.h"

namespace jz {

enum class OpenMode {
    kCreate,    // create a new database; fails ("store.exists") if the file exists and is not empty
    kExisting,  // open an existing database; fails ("store.missing") if there is none
};

// How hard a commit is pushed to the disk (PRAGMA synchronous, WAL mode).
enum class Synchronous {
    kFull,    // every commit syncs the WAL: an acknowledged write survives a power loss (the default)
    kNormal,  // the WAL is synced at checkpoints only: a power loss may undo the last commits (never
              // corrupts; a process crash loses nothing either way)
};

struct SqliteOptions {
    // Read pages through a memory map of up to this many bytes instead of read() calls: a server
    // answering many small reads spends markedly less time in the kernel (docs/benchmarks.md).
    // 0: off (the default; a bulk import gains nothing from it).
    int64_t mmap_bytes = 0;
    // Overridden by the environment variable JINGZHUN_SYNCHRONOUS=full|normal (for measurements and
    // for operators who accept the trade; docs/architecture.md "Durability").
    Synchronous synchronous = Synchronous::kFull;
};

// Opens (and migrates) a database. Errors: "store.missing", "store.exists", "store.locked" (another
// process holds a write lock beyond the busy timeout), "store.corrupt" (not a database, or damaged),
// "store.too_new" (schema newer than this program), "store.io".
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, OpenMode mode,
                                               const SqliteOptions& options = {});

// What a backup wrote, and the copy's own audit (made on the copy, not the source).
struct BackupResult {
    std::string path;
    int64_t bytes = 0;
    ChainVerification audit;       // chain and rows of the copy
    std::vector<std::string> integrity_problems;  // PRAGMA integrity_check / foreign_key_check
};

// Copies a database with SQLite's online backup API, consistent while other processes (a running
// server) read and write it: the copy is one snapshot, taken in steps under a read transaction, so
// writers are never blocked (in WAL mode a reader does not block them; checkpoints wait). The copy
// goes to a temporary name beside `out_path`, is synced, checked (integrity and the audit), and
// renamed into place. Fails ("backup.unsound", nothing left at out_path) when the copy fails the
// integrity check; an audit that finds problems is reported in the result (the copy is kept: it is a
// faithful copy of a registry that has them). Errors: "store.missing", "store.io", "store.corrupt".
struct BackupOptions {
    // Check the copy with PRAGMA integrity_check only and leave it at the source's schema version
    // (the audit opens the copy as a store, which migrates an older one): the backup taken before
    // an upgrade, which the older program must still be able to open. `audit` stays empty.
    bool keep_schema = false;
};
Result<BackupResult> BackupSqlite(const std::string& db_path, const std::string& out_path,
                                  const BackupOptions& options = {});

// The schema version this program writes: the number of migrations (sqlite_schema.h).
int SqliteSchemaVersion();
// The schema version of the file at `path` (PRAGMA user_version; 0: not initialised), read with a
// read-only connection of its own: nothing is migrated. Errors: "store.missing", "store.corrupt".
Result<int> ReadSqliteSchemaVersion(const std::string& path);

// What UpgradeSqlite did.
struct UpgradeResult {
    int from = 0;  // the file's schema version before
    int to = 0;    // after (== from: nothing to do, no backup)
    std::string backup_path;  // the copy taken before migrating (empty when nothing was migrated)
    int64_t backup_bytes = 0;
};

// Brings a database written by an older program up to this one's schema, after a backup: when the
// file's version is older, it is first copied (BackupSqlite with keep_schema: checked, synced, at
// its old version, so the older program can open it) into `backup_dir` (created when missing) as
// <name>-before-v<to>.db (<name>-before-v<to>-2.db, ... when that exists), then the migrations run
// (each in one transaction; a failed one leaves the file as it was). Nothing happens to a current
// or uninitialised (version 0) file. Refuses a file newer than the program ("store.too_new", the
// file untouched) and a missing one ("store.missing").
Result<UpgradeResult> UpgradeSqlite(const std::string& db_path, const std::string& backup_dir);

// Whether another process has the database open (holds a SQLite lock on it or its WAL index).
Result<bool> DatabaseInUse(const std::string& db_path);

struct RestoreResult {
    bool restored = false;  // false: the backup was not sound, nothing was replaced
    std::string kept;  // where the replaced database went (empty when there was none)
    ChainVerification audit;
    std::vector<std::string> integrity_problems;
    int64_t households = 0;
};

// Puts a backup in place of the database at `db_path`. The backup is copied beside the target and
// checked there first (integrity and the audit; migrated when older); it replaces nothing unless
// it is sound (restored false, with what was found). Refuses a
// database another process has open ("store.in_use") and an existing one without `force`
// ("store.exists"); the replaced file is kept as DB.bak (with its WAL as DB.bak-wal).
Result<RestoreResult> RestoreSqlite(const std::string& backup_path, const std::string& db_path, bool force);

}  // namespace jz
