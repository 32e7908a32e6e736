// The upgrade path of a database file: its schema version, and the backup taken before a newer
// program migrates it (docs/install.md, "Upgrade and rollback").
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "store/sqlite_schema.h"
#include "store/sqlite_store.h"

namespace jz {

int SqliteSchemaVersion() { return static_cast<int>(std::size(sqlite_schema::kMigrations)); }

Result<int> ReadSqliteSchemaVersion(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return Fail("store.missing", "db", "数据库文件不存在: " + path, "no database at " + path);
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
    sqlite3_stmt* st = nullptr;
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(db, 5000);
        rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr);
    }
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        const std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_finalize(st);
        sqlite3_close_v2(db);
        return Fail("store.corrupt", "db", "无法读取数据库版本(" + path + "): " + msg,
                    "cannot read the schema version of " + path + ": " + msg);
    }
    const int version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close_v2(db);
    return version;
}

Result<UpgradeResult> UpgradeSqlite(const std::string& db_path, const std::string& backup_dir) {
    namespace fs = std::filesystem;
    auto version = ReadSqliteSchemaVersion(db_path);
    if (!version) return std::unexpected(version.error());
    const int latest = SqliteSchemaVersion();
    UpgradeResult out{.from = *version, .to = *version};
    if (*version > latest)
        return Fail(
            "store.too_new", "db",
            "数据库 " + db_path + " 的版本(v" + std::to_string(*version) + ")比本程序(v" +
                std::to_string(latest) + ")新:请安装较新的 jingzhun,或恢复升级前的备份",
            "the database " + db_path + " has schema version " + std::to_string(*version) +
                ", newer than this program's (" + std::to_string(latest) +
                "): install the newer jingzhun again, or restore the backup taken before the upgrade");
    if (*version == 0 || *version == latest) return out;

    std::error_code ec;
    fs::create_directories(backup_dir, ec);
    if (ec || !fs::is_directory(backup_dir, ec))
        return Fail("store.io", "backup_dir", "无法创建备份目录 " + backup_dir + ": " + ec.message(),
                    "cannot create the backup folder " + backup_dir + ": " + ec.message());
    const std::string stem = fs::path(db_path).stem().string();
    const std::string base = stem + "-before-v" + std::to_string(latest);
    fs::path target = fs::path(backup_dir) / (base + ".db");
    for (int n = 2; fs::exists(target, ec); ++n)
        target = fs::path(backup_dir) / (base + "-" + std::to_string(n) + ".db");
    auto backup = BackupSqlite(db_path, target.string(), {.keep_schema = true});
    if (!backup) {
        Error e = backup.error();
        e.message_zh = "升级前的备份失败,数据库未迁移: " + e.message_zh;
        e.message_en = "the backup before the upgrade failed; the database was not migrated: " + e.message_en;
        return std::unexpected(e);
    }
    out.backup_path = backup->path;
    out.backup_bytes = backup->bytes;
    // Opening it as a store applies the migrations it lacks.
    auto store = OpenSqliteStore(db_path, OpenMode::kExisting);
    if (!store) {
        Error e = store.error();
        e.message_zh += "(迁移前的备份在 " + out.backup_path + ")";
        e.message_en += " (the backup from before the migration is " + out.backup_path + ")";
        return std::unexpected(e);
    }
    out.to = (*store)->schema_version();
    return out;
}

}  // namespace jz
