// Backup and restore of a database file (SQLite's online backup API), and whether another process
// has it open. Both check the copy with a store of its own (integrity and the audit).
#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite_store.h"

namespace jz {

namespace {

// fsync of a file or a directory (so a rename is on the disk too).
Result<void> SyncPath(const std::string& path, bool directory) {
    const int fd = ::open(path.c_str(), directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
    if (fd < 0)
        return Fail("store.io", "db", "无法打开 " + path + ": " + std::strerror(errno),
                    "cannot open " + path + ": " + std::strerror(errno));
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0)
        return Fail("store.io", "db", "无法同步 " + path + ": " + std::strerror(err),
                    "cannot sync " + path + ": " + std::strerror(err));
    return {};
}

std::string DirectoryOf(const std::string& path) {
    const std::filesystem::path p = std::filesystem::absolute(path).parent_path();
    return p.empty() ? std::string(".") : p.string();
}

// Is any byte of [start, start+len) of `path` locked by another process? (F_GETLK ignores our own.)
bool LockedByOther(const std::string& path, off_t start, off_t len) {
    const int fd = ::open(path.c_str(), O_RDWR);
    if (fd < 0) return false;
    struct flock fl{};
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    fl.l_start = start;
    fl.l_len = len;
    const bool locked = ::fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
    ::close(fd);
    return locked;
}

// Opens a database file as a store, audits it and checks its integrity.
Result<void> AuditCopy(const std::string& path, ChainVerification& audit, std::vector<std::string>& problems,
                       int64_t* households = nullptr) {
    auto store = OpenSqliteStore(path, OpenMode::kExisting);
    if (!store) return std::unexpected(store.error());
    auto integrity = (*store)->CheckIntegrity();
    if (!integrity) return std::unexpected(integrity.error());
    problems = std::move(*integrity);
    if (!problems.empty()) return {};  // the audit of a damaged file would only add noise
    auto v = (*store)->VerifyChangeLog();
    if (!v) return std::unexpected(v.error());
    audit = std::move(*v);
    if (households) {
        auto n = (*store)->CountHouseholds();
        if (!n) return std::unexpected(n.error());
        *households = *n;
    }
    return {};
}

// PRAGMA integrity_check and foreign_key_check on a file of any schema version, with a connection of
// its own: the file is not opened as a store, so it is not migrated.
Result<void> CheckIntegrityOnly(const std::string& path, std::vector<std::string>& problems) {
    sqlite3* db = nullptr;
    // Read-write (it writes nothing) so that closing it removes the -wal and -shm files a copy of a
    // WAL database gets when opened.
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        const std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close_v2(db);
        return Fail("store.io", "db", "无法打开 " + path + ": " + msg, "cannot open " + path + ": " + msg);
    }
    for (const char* sql : {"PRAGMA integrity_check", "PRAGMA foreign_key_check"}) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) {
            problems.push_back(sqlite3_errmsg(db));
            break;
        }
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            std::string row;
            for (int c = 0; c < sqlite3_column_count(st); ++c) {
                const unsigned char* text = sqlite3_column_text(st, c);
                row += (c ? "|" : "") + std::string(text ? reinterpret_cast<const char*>(text) : "");
            }
            if (row != "ok") problems.push_back(row);
        }
        if (rc != SQLITE_DONE) problems.push_back(sqlite3_errmsg(db));
        sqlite3_finalize(st);
    }
    sqlite3_close_v2(db);
    return {};
}

void RemoveDatabaseFiles(const std::string& path) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix, ec);
}

}  // namespace

Result<bool> DatabaseInUse(const std::string& db_path) {
    // SQLite's unix locks: the lock bytes of the database file at 1 GiB (rollback and WAL writers
    // take them) and, in WAL mode, the "dead man switch" byte 128 of the -shm file, read-locked by
    // every connection for as long as it is open.
    constexpr off_t kPendingByte = 0x40000000;
    if (LockedByOther(db_path, kPendingByte, 512 + 2)) return true;
    std::error_code ec;
    if (std::filesystem::exists(db_path + "-shm", ec) && LockedByOther(db_path + "-shm", 128, 1)) return true;
    return false;
}

Result<BackupResult> BackupSqlite(const std::string& db_path, const std::string& out_path,
                                  const BackupOptions& options) {
    std::error_code ec;
    if (!std::filesystem::exists(db_path, ec))
        return Fail("store.missing", "db", "数据库文件不存在: " + db_path, "no database at " + db_path);
    if (std::filesystem::equivalent(db_path, out_path, ec))
        return Fail("usage.out", "--out", "备份文件不能是数据库本身", "the backup cannot be the database itself");
    if (sodium_init() < 0) return Fail("store.crypto", "", "无法初始化加密库", "cannot initialise libsodium");
    const std::string tmp = out_path + ".tmp-" + std::to_string(::getpid());
    RemoveDatabaseFiles(tmp);
    sqlite3* src = nullptr;
    sqlite3* dst = nullptr;
    auto close_both = [&] {
        sqlite3_close_v2(src);
        sqlite3_close_v2(dst);
        src = dst = nullptr;
    };
    auto fail = [&](const std::string& what, sqlite3* db) -> Error {
        std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
        close_both();
        RemoveDatabaseFiles(tmp);
        return Error{.code = "store.io", .field = "--out", .message_zh = "备份失败(" + what + "): " + msg, .message_en = "backup failed (" + what + "): " + msg};
    };
    if (sqlite3_open_v2(db_path.c_str(), &src, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK)
        return std::unexpected(fail("open " + db_path, src));
    sqlite3_busy_timeout(src, 5000);
    if (sqlite3_open_v2(tmp.c_str(), &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK)
        return std::unexpected(fail("create " + tmp, dst));
    sqlite3_busy_timeout(dst, 5000);
    // One snapshot for every step: a read transaction held across them, so writes committed by
    // others meanwhile neither restart the copy nor enter it.
    if (sqlite3_exec(src, "BEGIN; SELECT count(*) FROM sqlite_schema;", nullptr, nullptr, nullptr) != SQLITE_OK)
        return std::unexpected(fail("read " + db_path, src));
    sqlite3_backup* backup = sqlite3_backup_init(dst, "main", src, "main");
    if (!backup) return std::unexpected(fail("start", dst));
    constexpr int kPagesPerStep = 4096;  // 16 MiB of 4 KiB pages between pauses
    int rc;
    while ((rc = sqlite3_backup_step(backup, kPagesPerStep)) == SQLITE_OK || rc == SQLITE_BUSY ||
           rc == SQLITE_LOCKED)
        if (rc != SQLITE_OK) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) return std::unexpected(fail("copy", dst));
    sqlite3_exec(src, "COMMIT", nullptr, nullptr, nullptr);
    close_both();

    BackupResult out;
    out.path = out_path;
    if (auto r = options.keep_schema ? CheckIntegrityOnly(tmp, out.integrity_problems)
                                     : AuditCopy(tmp, out.audit, out.integrity_problems);
        !r) {
        RemoveDatabaseFiles(tmp);
        return std::unexpected(r.error());
    }
    if (!out.integrity_problems.empty()) {
        const std::string first = out.integrity_problems.front();
        RemoveDatabaseFiles(tmp);
        return Fail("backup.unsound", "--out", "备份副本未通过完整性检查: " + first,
                    "the copy failed the integrity check: " + first);
    }
    if (auto r = SyncPath(tmp, false); !r) return std::unexpected(r.error());
    for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(out_path + suffix, ec);
    std::filesystem::rename(tmp, out_path, ec);
    if (ec) {
        RemoveDatabaseFiles(tmp);
        return Fail("store.io", "--out", "无法写入 " + out_path + ": " + ec.message(),
                    "cannot write " + out_path + ": " + ec.message());
    }
    if (auto r = SyncPath(DirectoryOf(out_path), true); !r) return std::unexpected(r.error());
    out.bytes = static_cast<int64_t>(std::filesystem::file_size(out_path, ec));
    return out;
}

Result<RestoreResult> RestoreSqlite(const std::string& backup_path, const std::string& db_path, bool force) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(backup_path, ec))
        return Fail("store.missing", "backup", "备份文件不存在: " + backup_path, "no backup at " + backup_path);
    if (std::filesystem::exists(db_path, ec) && std::filesystem::equivalent(backup_path, db_path, ec))
        return Fail("usage.restore", "backup", "备份文件就是数据库本身", "the backup is the database itself");
    auto in_use = DatabaseInUse(db_path);
    if (!in_use) return std::unexpected(in_use.error());
    if (*in_use)
        return Fail("store.in_use", "db", "数据库正被其他程序使用(先停止 jingzhun serve): " + db_path,
                    "the database is open in another process (stop jingzhun serve first): " + db_path);
    const bool exists = std::filesystem::exists(db_path, ec);
    if (exists && !force)
        return Fail("store.exists", "db", "数据库已存在: " + db_path + "(用 --force 替换,原文件保留为 .bak)",
                    "a database exists at " + db_path + " (use --force to replace it; it is kept as .bak)");
    const std::string tmp = db_path + ".restore-" + std::to_string(::getpid());
    RemoveDatabaseFiles(tmp);
    std::filesystem::copy_file(backup_path, tmp, std::filesystem::copy_options::overwrite_existing, ec);
    if (ec)
        return Fail("store.io", "db", "无法复制备份: " + ec.message(), "cannot copy the backup: " + ec.message());
    RestoreResult out;
    if (auto r = AuditCopy(tmp, out.audit, out.integrity_problems, &out.households); !r) {
        RemoveDatabaseFiles(tmp);
        return std::unexpected(r.error());
    }
    if (!out.integrity_problems.empty() || !out.audit.intact()) {
        RemoveDatabaseFiles(tmp);
        return out;  // restored stays false
    }
    if (auto r = SyncPath(tmp, false); !r) return std::unexpected(r.error());
    if (exists) {
        out.kept = db_path + ".bak";
        RemoveDatabaseFiles(out.kept);
        std::filesystem::rename(db_path, out.kept, ec);
        if (!ec && std::filesystem::exists(db_path + "-wal")) std::filesystem::rename(db_path + "-wal", out.kept + "-wal", ec);
        if (ec) {
            RemoveDatabaseFiles(tmp);
            return Fail("store.io", "db", "无法保留原数据库: " + ec.message(),
                        "cannot keep the old database: " + ec.message());
        }
        std::filesystem::remove(db_path + "-shm", ec);
    }
    std::filesystem::rename(tmp, db_path, ec);
    if (ec)
        return Fail("store.io", "db", "无法放置恢复的数据库: " + ec.message(),
                    "cannot put the restored database in place: " + ec.message());
    if (auto r = SyncPath(DirectoryOf(db_path), true); !r) return std::unexpected(r.error());
    out.restored = true;
    return out;
}

}  // namespace jz
