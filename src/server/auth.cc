#include "server/auth.h"

#include <sodium.h>

#include <boost/json.hpp>

namespace jz::server {
namespace {

constexpr std::chrono::seconds kRecheck{5};        // cached sessions are re-read this often
constexpr std::chrono::seconds kWriteLastUse{60};  // last use written back at most this often

std::string Hex(const unsigned char* data, size_t size) {
    std::string out(size * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), data, size);
    out.pop_back();
    return out;
}

bool SodiumReady() {
    static const bool ready = sodium_init() >= 0;
    return ready;
}

std::string Detail(const std::string& remote, const std::string& extra = {}) {
    boost::json::object o{{"remote", remote}};
    if (!extra.empty()) o["reason"] = extra;
    return boost::json::serialize(o);
}

}  // namespace

Result<std::string> HashPassword(const std::string& password) {
    if (!SodiumReady()) return Fail("auth.hash", "password", "无法初始化密码库", "libsodium failed to start");
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return Fail("auth.hash", "password", "计算密码哈希时内存不足", "out of memory hashing the password");
    return std::string(out);
}

bool VerifyPassword(const std::string& hash, const std::string& password) {
    if (!SodiumReady() || hash.size() >= crypto_pwhash_STRBYTES) return false;
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string NewToken() {
    SodiumReady();
    unsigned char bytes[32];
    randombytes_buf(bytes, sizeof bytes);
    return Hex(bytes, sizeof bytes);
}

std::string HashToken(const std::string& token) {
    unsigned char out[32];
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(token.data()), token.size(),
                       nullptr, 0);
    return Hex(out, sizeof out);
}

std::optional<Error> CheckPasswordRules(const std::string& password) {
    if (password.size() < 8)
        return Error{"user.password_short", "password", "密码至少8个字符",
                     "the password needs at least 8 characters"};
    if (password.size() > 1024)
        return Error{"user.password_long", "password", "密码过长(最多1024个字符)",
                     "the password is too long (at most 1024)"};
    return std::nullopt;
}

Result<Account> AddAccount(Store& store, const OrgTree& tree, const std::string& username,
                           const std::string& role, const std::string& scope, const std::string& password,
                           const ChangeContext& change) {
    const bool name_ok =
        !username.empty() && username.size() <= 64 && std::ranges::all_of(username, [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
        });
    if (!name_ok)
        return Fail("user.username", "username", "用户名须为1至64个字母、数字或 _ . -",
                    "a username is 1 to 64 letters, digits or _ . -");
    if (!ParseRole(role))
        return Fail("user.role", "role", "未知角色: " + role + "(admin、officer、inspector、viewer)",
                    "unknown role: " + role + " (admin, officer, inspector, viewer)");
    if (!tree.Find(scope))
        return Fail("user.scope", "scope", "未知的行政区划代码: " + scope, "unknown division code: " + scope);
    if (auto e = CheckPasswordRules(password)) return std::unexpected(*e);
    auto hash = HashPassword(password);
    if (!hash) return std::unexpected(hash.error());
    Account account{0, username, *hash, role, scope, false, 0, "", change.at};
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    auto id = store.InsertAccount(account, change);
    if (!id) {
        if (id.error().code == "store.duplicate")
            return Fail("user.exists", "username", "用户名已存在: " + username,
                        "the username is taken: " + username);
        return std::unexpected(id.error());
    }
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    account.id = *id;
    return account;
}

Authenticator::Authenticator(LoginPolicy policy, Clock clock) : policy_(policy), clock_(std::move(clock)) {
    if (!clock_)
        clock_ = [] { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); };
}

std::chrono::sys_seconds Authenticator::Now() const { return clock_(); }

Result<Authenticator::LoginResult> Authenticator::Login(Store& store, const std::string& username,
                                                        const std::string& password,
                                                        const std::string& remote) {
    const auto now = Now();
    const std::string at = FormatIsoTime(now);
    const ChangeContext change{username.empty() ? "anonymous" : username, at, std::nullopt};
    auto invalid = [] {
        return Fail("auth.invalid", "password", "用户名或密码错误", "wrong username or password");
    };
    auto account = store.FindAccount(username);
    if (!account) return std::unexpected(account.error());
    if (!*account) {
        // The same work as for a real account, so timing does not tell which usernames exist.
        static const std::string dummy = HashPassword("not a password of anyone").value_or("");
        VerifyPassword(dummy, password);
        auto tx = Transaction::Begin(store);
        if (!tx) return std::unexpected(tx.error());
        if (auto r = store.RecordEvent("account", username, "login_failed", Detail(remote, "unknown_user"),
                                       change);
            !r)
            return std::unexpected(r.error());
        if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
        return invalid();
    }
    Account& a = **account;
    LoginState state{a.failed_logins, ParseIsoTime(a.locked_until)};
    if (IsLocked(state, now)) {
        auto tx = Transaction::Begin(store);
        if (!tx) return std::unexpected(tx.error());
        if (auto r = store.RecordEvent("account", username, "login_failed", Detail(remote, "locked"), change);
            !r)
            return std::unexpected(r.error());
        if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
        return Fail("auth.locked", "username", "账号已锁定,请于 " + a.locked_until + " 后再试",
                    "the account is locked until " + a.locked_until);
    }
    const bool ok = VerifyPassword(a.password_hash, password) && !a.disabled;
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    if (!ok) {
        LoginState next = AfterFailure(state, now, policy_);
        const std::string until = next.locked_until ? FormatIsoTime(*next.locked_until) : "";
        if (auto r = store.SetLoginState(a.id, next.failed_logins, until); !r)
            return std::unexpected(r.error());
        if (auto r = store.RecordEvent("account", username, "login_failed",
                                       Detail(remote, a.disabled ? "disabled" : "password"), change);
            !r)
            return std::unexpected(r.error());
        if (IsLocked(next, now))
            if (auto r =
                    store.RecordEvent("account", username, "lock", Detail(remote, "until " + until), change);
                !r)
                return std::unexpected(r.error());
        if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
        return invalid();
    }
    if (a.failed_logins != 0 || !a.locked_until.empty())
        if (auto r = store.SetLoginState(a.id, 0, ""); !r) return std::unexpected(r.error());
    // Sessions unused past the idle expiry are gone for good: clear them out now and then.
    if (auto r = store.DeleteIdleSessions(
            FormatIsoTime(now - std::chrono::duration_cast<std::chrono::seconds>(policy_.idle_expiry)));
        !r)
        return std::unexpected(r.error());
    LoginResult result{NewToken(), Principal{a.id, a.username, *ParseRole(a.role), a.scope}};
    if (auto r = store.InsertSession({HashToken(result.token), a.id, at, at}); !r)
        return std::unexpected(r.error());
    if (auto r = store.RecordEvent("account", username, "login", Detail(remote), change); !r)
        return std::unexpected(r.error());
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    std::lock_guard lock(mutex_);
    std::erase_if(cache_, [&](const auto& kv) { return now - kv.second.last_seen >= policy_.idle_expiry; });
    cache_[HashToken(result.token)] = Cached{result.principal, now, now, now};
    return result;
}

Result<std::optional<Principal>> Authenticator::Authenticate(Store& store, const std::string& token) {
    if (token.size() != 64) return std::optional<Principal>();
    const auto now = Now();
    const std::string hash = HashToken(token);
    bool write_last_use = false;
    {
        std::lock_guard lock(mutex_);
        auto it = cache_.find(hash);
        if (it != cache_.end()) {
            Cached& c = it->second;
            if (now - c.last_seen >= policy_.idle_expiry) {
                cache_.erase(it);
            } else if (now - c.checked < kRecheck) {
                c.last_seen = now;
                if (now - c.written < kWriteLastUse) return std::optional<Principal>(c.principal);
                write_last_use = true;
            }
        }
    }
    // Read the session and its account from the store (other processes may have disabled it).
    auto session = store.FindSession(hash);
    if (!session) return std::unexpected(session.error());
    if (!*session) return std::optional<Principal>();
    auto last = ParseIsoTime((*session)->last_seen_at);
    std::chrono::sys_seconds seen = last ? *last : now;
    {
        std::lock_guard lock(mutex_);
        auto it = cache_.find(hash);
        if (it != cache_.end() && it->second.last_seen > seen) seen = it->second.last_seen;
    }
    if (now - seen >= policy_.idle_expiry) {
        std::lock_guard lock(mutex_);
        cache_.erase(hash);
        return std::optional<Principal>();
    }
    auto account = store.FindAccountById((*session)->account_id);
    if (!account) return std::unexpected(account.error());
    if (!*account || (*account)->disabled || !ParseRole((*account)->role)) {
        std::lock_guard lock(mutex_);
        cache_.erase(hash);
        return std::optional<Principal>();
    }
    Principal p{(*account)->id, (*account)->username, *ParseRole((*account)->role), (*account)->scope};
    std::chrono::sys_seconds written = last ? *last : now;
    if (write_last_use || now - written >= kWriteLastUse) {
        auto tx = Transaction::Begin(store);
        if (!tx) return std::unexpected(tx.error());
        if (auto r = store.TouchSession(hash, FormatIsoTime(now)); !r) return std::unexpected(r.error());
        if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
        written = now;
    }
    std::lock_guard lock(mutex_);
    cache_[hash] = Cached{p, now, now, written};
    return std::optional<Principal>(p);
}

Result<void> Authenticator::Logout(Store& store, const std::string& token, const Principal& who) {
    const std::string hash = HashToken(token);
    {
        std::lock_guard lock(mutex_);
        cache_.erase(hash);
    }
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    if (auto r = store.DeleteSession(hash); !r) return r;
    if (auto r = store.RecordEvent("account", who.username, "logout", "{}",
                                   {who.username, FormatIsoTime(Now()), std::nullopt});
        !r)
        return r;
    return tx->Commit();
}

void Authenticator::Forget(int64_t account_id) {
    std::lock_guard lock(mutex_);
    std::erase_if(cache_, [&](const auto& kv) { return kv.second.principal.account_id == account_id; });
}

}  // namespace jz::server
