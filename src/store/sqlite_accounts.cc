// Accounts and sessions. Account writes are logged without the password hash (AccountJson); sessions
// and login counters are not logged (the caller records login events with RecordEvent).
#include <boost/json.hpp>
#include <string>
#include <vector>

#include "store/row_diff.h"
#include "store/sqlite_internal.h"

namespace jz::sqlite_internal {
namespace {

constexpr const char* kInsertAccount =
    "INSERT INTO account (username, password_hash, role, scope, disabled, failed_logins, locked_until,"
    " created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)";
#define JZ_ACCOUNT_COLUMNS \
    "id, username, password_hash, role, scope, disabled, failed_logins, locked_until, created_at"
constexpr const char* kFindAccount = "SELECT " JZ_ACCOUNT_COLUMNS " FROM account WHERE username=?1";
constexpr const char* kFindAccountById = "SELECT " JZ_ACCOUNT_COLUMNS " FROM account WHERE id=?1";
constexpr const char* kListAccounts = "SELECT " JZ_ACCOUNT_COLUMNS " FROM account ORDER BY username";
#undef JZ_ACCOUNT_COLUMNS
// Compare-and-set: changes nothing unless the stored row is still `before`.
constexpr const char* kUpdateAccount =
    "UPDATE account SET role=?2, scope=?3, disabled=?4, password_hash=?5"
    " WHERE id=?1 AND username=?6 AND role=?7 AND scope=?8 AND disabled=?9 AND password_hash=?10";
constexpr const char* kAccountExists = "SELECT 1 FROM account WHERE id=?1";
constexpr const char* kSetLoginState = "UPDATE account SET failed_logins=?2, locked_until=?3 WHERE id=?1";

constexpr const char* kInsertSession =
    "INSERT INTO session (token_hash, account_id, created_at, last_seen_at) VALUES (?1,?2,?3,?4)";
constexpr const char* kFindSession =
    "SELECT token_hash, account_id, created_at, last_seen_at FROM session WHERE token_hash=?1";
constexpr const char* kTouchSession = "UPDATE session SET last_seen_at=?2 WHERE token_hash=?1";
constexpr const char* kDeleteSession = "DELETE FROM session WHERE token_hash=?1";
constexpr const char* kDeleteSessionsOf = "DELETE FROM session WHERE account_id=?1";
constexpr const char* kDeleteIdleSessions = "DELETE FROM session WHERE last_seen_at < ?1";

Error InvalidRole(const std::string& role) {
    return Error{.code = "store.invalid", .field = "role", .message_zh = "未知的角色: " + role, .message_en = "unknown role: " + role};
}

}  // namespace

// An account as the change log shows it: never the password hash, only whether one is set (and,
// for an update, whether it changed).
std::string AccountJson(const Account& a, std::optional<bool> password_changed) {
    boost::json::object o;
    o["username"] = a.username;
    o["role"] = a.role;
    o["scope"] = a.scope;
    o["disabled"] = a.disabled;
    o["password_set"] = !a.password_hash.empty();
    // A digest of the (salted argon2id) hash, so `audit verify` sees a hash swapped outside the
    // program; it helps no one guess the password (the salt is not in it).
    if (!a.password_hash.empty()) {
        const StateDigest d = DigestOf(a.password_hash);
        static constexpr char kHex[] = "0123456789abcdef";
        std::string hex;
        for (unsigned char b : d) {
            hex += kHex[b >> 4];
            hex += kHex[b & 15];
        }
        o["password_digest"] = hex;
    }
    if (password_changed) o["password_changed"] = *password_changed;
    return boost::json::serialize(o);
}

Account ReadAccount(sqlite3_stmt* st) {
    Account a;
    a.id = sqlite3_column_int64(st, 0);
    a.username = Text(st, 1);
    a.password_hash = Text(st, 2);
    a.role = Text(st, 3);
    a.scope = Text(st, 4);
    a.disabled = sqlite3_column_int(st, 5) != 0;
    a.failed_logins = sqlite3_column_int(st, 6);
    a.locked_until = Text(st, 7);
    a.created_at = Text(st, 8);
    return a;
}

// The one row of a bound single-account lookup, or nullopt.
Result<std::optional<Account>> SqliteStore::OneAccount(sqlite3_stmt* st) {
    ResetOnExit reset{st};
    const int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) return std::optional<Account>();
    if (rc != SQLITE_ROW) return std::unexpected(LastError("FindAccount"));
    return std::optional<Account>(ReadAccount(st));
}

Result<int64_t> SqliteStore::InsertAccount(const Account& a, const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return std::unexpected(r.error());
    auto county = SettingCounty();
    if (!county) return std::unexpected(county.error());
    auto st = Prepare(kInsertAccount);
    if (!st) return std::unexpected(st.error());
    const std::string& created_at = a.created_at.empty() ? change.at : a.created_at;
    BindText(*st, 1, a.username);
    BindText(*st, 2, a.password_hash);
    BindText(*st, 3, a.role);
    BindText(*st, 4, a.scope);
    sqlite3_bind_int(*st, 5, a.disabled ? 1 : 0);
    sqlite3_bind_int(*st, 6, a.failed_logins);
    BindText(*st, 7, a.locked_until);
    BindText(*st, 8, created_at);
    const int rc = sqlite3_step(*st);
    sqlite3_reset(*st);
    if (rc == SQLITE_CONSTRAINT_UNIQUE)
        return Fail("store.duplicate", "username", "用户名" + a.username + "已存在",
                    "username " + a.username + " already exists");
    if (rc == SQLITE_CONSTRAINT_CHECK) return std::unexpected(InvalidRole(a.role));
    if (rc != SQLITE_DONE) return std::unexpected(LastError("InsertAccount"));
    const int64_t id = sqlite3_last_insert_rowid(db_);
    if (auto r = LogChange(change, *county, "account", a.username, "insert", "", AccountJson(a)); !r)
        return std::unexpected(r.error());
    return id;
}

Result<std::optional<Account>> SqliteStore::FindAccount(const std::string& username) {
    auto st = Prepare(kFindAccount);
    if (!st) return std::unexpected(st.error());
    BindText(*st, 1, username);
    return OneAccount(*st);
}
Result<std::optional<Account>> SqliteStore::FindAccountById(int64_t id) {
    auto st = Prepare(kFindAccountById);
    if (!st) return std::unexpected(st.error());
    sqlite3_bind_int64(*st, 1, id);
    return OneAccount(*st);
}
Result<std::vector<Account>> SqliteStore::ListAccounts() {
    auto st = Prepare(kListAccounts);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    std::vector<Account> out;
    int rc;
    while ((rc = sqlite3_step(*st)) == SQLITE_ROW) out.push_back(ReadAccount(*st));
    if (rc != SQLITE_DONE) return std::unexpected(LastError("ListAccounts"));
    return out;
}

Result<void> SqliteStore::UpdateAccount(const Account& before, const Account& after,
                           const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return r;
    if (before.username != after.username)
        return Fail("store.code_change", "username", "不能修改用户名", "the username cannot change");
    auto county = SettingCounty();
    if (!county) return std::unexpected(county.error());
    auto st = Prepare(kUpdateAccount);
    if (!st) return std::unexpected(st.error());
    sqlite3_bind_int64(*st, 1, before.id);
    BindText(*st, 2, after.role);
    BindText(*st, 3, after.scope);
    sqlite3_bind_int(*st, 4, after.disabled ? 1 : 0);
    BindText(*st, 5, after.password_hash);
    BindText(*st, 6, before.username);
    BindText(*st, 7, before.role);
    BindText(*st, 8, before.scope);
    sqlite3_bind_int(*st, 9, before.disabled ? 1 : 0);
    BindText(*st, 10, before.password_hash);
    const int rc = sqlite3_step(*st);
    sqlite3_reset(*st);
    if (rc == SQLITE_CONSTRAINT_CHECK) return std::unexpected(InvalidRole(after.role));
    if (rc != SQLITE_DONE) return std::unexpected(LastError("UpdateAccount"));
    if (sqlite3_changes(db_) != 1) {
        auto exists = Prepare(kAccountExists);
        if (!exists) return std::unexpected(exists.error());
        sqlite3_bind_int64(*exists, 1, before.id);
        const int erc = sqlite3_step(*exists);
        sqlite3_reset(*exists);
        if (erc == SQLITE_DONE)
            return Fail("store.not_found", "username", "用户" + before.username + "不存在",
                        "no account " + before.username);
        if (erc != SQLITE_ROW) return std::unexpected(LastError("UpdateAccount"));
        return Fail("store.conflict", "username", "该用户已被他人修改",
                    "the account was changed by someone else");
    }
    return LogChange(change, *county, "account", before.username, "update", AccountJson(before),
                     AccountJson(after, before.password_hash != after.password_hash));
}

Result<void> SqliteStore::SetLoginState(int64_t account_id, int failed_logins,
                           const std::string& locked_until) {
    if (auto r = RequireTx(); !r) return r;
    auto st = Prepare(kSetLoginState);
    if (!st) return std::unexpected(st.error());
    sqlite3_bind_int64(*st, 1, account_id);
    sqlite3_bind_int(*st, 2, failed_logins);
    BindText(*st, 3, locked_until);
    if (auto r = StepDone(*st, "SetLoginState"); !r) return r;
    if (sqlite3_changes(db_) != 1)
        return Fail("store.not_found", "account_id", "用户不存在", "no such account");
    return {};
}

Result<void> SqliteStore::InsertSession(const SessionRecord& s) {
    if (auto r = RequireTx(); !r) return r;
    auto st = Prepare(kInsertSession);
    if (!st) return std::unexpected(st.error());
    BindText(*st, 1, s.token_hash);
    sqlite3_bind_int64(*st, 2, s.account_id);
    BindText(*st, 3, s.created_at);
    BindText(*st, 4, s.last_seen_at);
    const int rc = sqlite3_step(*st);
    sqlite3_reset(*st);
    if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE)
        return Fail("store.duplicate", "token_hash", "会话已存在", "the session already exists");
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
        return Fail("store.foreign_key", "account_id", "用户不存在", "no such account");
    if (rc != SQLITE_DONE) return std::unexpected(LastError("InsertSession"));
    return {};
}
Result<std::optional<SessionRecord>> SqliteStore::FindSession(const std::string& token_hash) {
    auto st = Prepare(kFindSession);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    BindText(*st, 1, token_hash);
    const int rc = sqlite3_step(*st);
    if (rc == SQLITE_DONE) return std::optional<SessionRecord>();
    if (rc != SQLITE_ROW) return std::unexpected(LastError("FindSession"));
    return std::optional<SessionRecord>(
        SessionRecord{Text(*st, 0), sqlite3_column_int64(*st, 1), Text(*st, 2), Text(*st, 3)});
}
// Touching or deleting a session that is gone (ended by another process) does nothing.
Result<void> SqliteStore::TouchSession(const std::string& token_hash, const std::string& at) {
    if (auto r = RequireTx(); !r) return r;
    auto st = Prepare(kTouchSession);
    if (!st) return std::unexpected(st.error());
    BindText(*st, 1, token_hash);
    BindText(*st, 2, at);
    return StepDone(*st, "TouchSession");
}
Result<void> SqliteStore::DeleteSession(const std::string& token_hash) {
    if (auto r = RequireTx(); !r) return r;
    auto st = Prepare(kDeleteSession);
    if (!st) return std::unexpected(st.error());
    BindText(*st, 1, token_hash);
    return StepDone(*st, "DeleteSession");
}
Result<int64_t> SqliteStore::DeleteSessionsOf(int64_t account_id) {
    if (auto r = RequireTx(); !r) return std::unexpected(r.error());
    auto st = Prepare(kDeleteSessionsOf);
    if (!st) return std::unexpected(st.error());
    sqlite3_bind_int64(*st, 1, account_id);
    if (auto r = StepDone(*st, "DeleteSessionsOf"); !r) return std::unexpected(r.error());
    return sqlite3_changes64(db_);
}
Result<int64_t> SqliteStore::DeleteIdleSessions(const std::string& idle_before) {
    if (auto r = RequireTx(); !r) return std::unexpected(r.error());
    auto st = Prepare(kDeleteIdleSessions);
    if (!st) return std::unexpected(st.error());
    BindText(*st, 1, idle_before);
    if (auto r = StepDone(*st, "DeleteIdleSessions"); !r) return std::unexpected(r.error());
    return sqlite3_changes64(db_);
}

}  // namespace jz::sqlite_internal
