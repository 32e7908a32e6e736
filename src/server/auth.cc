#include "server/auth.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <boost/asio/ip/address.hpp>
#include <boost/json.hpp>
#include <cctype>
#include <map>

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

// A short list of the passwords tried first (at least 8 characters: shorter ones are refused anyway),
// compared in lower case.
constexpr std::array<std::string_view, 72> kCommonPasswords{
    "00000000",   "11111111",   "12121212",   "12341234",   "12344321",    "12345678",   "123456789",
    "1234567890", "0123456789", "123123123",  "123456123",  "1234qwer",    "147258369",  "159357456",
    "1q2w3e4r",   "1qaz2wsx",   "1qaz2wsx3edc", "520520520", "5201314520", "66666666",   "88888888",
    "987654321",  "9876543210", "a1234567",   "a12345678",  "a123456789",  "aa123456",   "aa12345678",
    "abc12345",   "abc123456",  "abcd1234",   "admin123",   "admin1234",   "admin12345", "administrator",
    "asdf1234",   "asdfghjkl",  "baseball",   "changeme",   "computer",    "dragon123",  "football",
    "iloveyou",   "jingzhun",   "jingzhun123", "letmein1",  "michelle",    "p@ssw0rd",   "passw0rd",
    "password",   "password1",  "password12", "password123", "princess",   "q1w2e3r4",   "qq123456",
    "qwe12345",   "qwer1234",   "qwerty12",   "qwerty123",  "qwertyui",    "qwertyuiop", "starwars",
    "sunshine",   "superman",   "trustno1",   "welcome1",   "whatever",    "woaini1314", "zxcvbnm1",
    "zxcvbnm123", "a1b2c3d4"};

std::string Lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// The change log's key for an attempt on an unknown (or malformed) username: never the text itself,
// which is the attacker's (or a password typed into the wrong box), but a short hash of it.
std::string UnknownKey(const std::string& username) {
    unsigned char out[8];
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(username.data()),
                       username.size(), nullptr, 0);
    return "?" + Hex(out, sizeof out);
}

std::string PairKey(const std::string& username, const std::string& address_key) {
    return (IsValidUsername(username) ? username : UnknownKey(username)) + "\n" + address_key;
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

std::optional<Error> CheckPasswordRules(const std::string& password, const std::string& username) {
    if (password.size() < 8)
        return Error{.code = "user.password_short",
                     .field = "password",
                     .message_zh = "密码至少8个字符",
                     .message_en = "the password needs at least 8 characters"};
    if (password.size() > 1024)
        return Error{.code = "user.password_long",
                     .field = "password",
                     .message_zh = "密码过长(最多1024个字符)",
                     .message_en = "the password is too long (at most 1024)"};
    const std::string lower = Lower(password);
    if (std::ranges::find(kCommonPasswords, lower) != kCommonPasswords.end() ||
        std::ranges::all_of(password, [&](char c) { return c == password[0]; }))
        return Error{.code = "user.password_common",
                     .field = "password",
                     .message_zh = "密码过于常见,容易被猜中,请换一个",
                     .message_en = "the password is too common and easily guessed; choose another"};
    if (!username.empty() && lower == Lower(username))
        return Error{.code = "user.password_username",
                     .field = "password",
                     .message_zh = "密码不能与用户名相同",
                     .message_en = "the password must not be the username"};
    return std::nullopt;
}

std::string AddressKey(const std::string& address) {
    boost::system::error_code ec;
    auto a = boost::asio::ip::make_address(address, ec);
    if (ec) return address.substr(0, 64);
    if (a.is_v6() && a.to_v6().is_v4_mapped())
        return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6()).to_string();
    if (a.is_v4()) return a.to_string();
    auto bytes = a.to_v6().to_bytes();
    std::fill(bytes.begin() + 8, bytes.end(), 0);
    return boost::asio::ip::address_v6(bytes).to_string() + "/64";
}

Result<Account> AddAccount(Store& store, const OrgTree& tree, const std::string& username,
                           const std::string& role, const std::string& scope, const std::string& password,
                           const ChangeContext& change) {
    if (!IsValidUsername(username))
        return Fail("user.username", "username", "用户名须为1至64个字母、数字或 _ . -",
                    "a username is 1 to 64 letters, digits or _ . -");
    if (!ParseRole(role))
        return Fail("user.role", "role", "未知角色: " + role + "(admin、officer、inspector、viewer)",
                    "unknown role: " + role + " (admin, officer, inspector, viewer)");
    if (!tree.Find(scope))
        return Fail("user.scope", "scope", "未知的行政区划代码: " + scope, "unknown division code: " + scope);
    if (auto e = CheckPasswordRules(password, username)) return std::unexpected(*e);
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

std::chrono::seconds Authenticator::Wait(const std::string& username, const std::string& remote) {
    const auto now = Now();
    const std::string address = AddressKey(remote);
    const std::string pair = PairKey(username, address);
    std::lock_guard lock(throttle_mutex_);
    std::chrono::seconds wait{0};
    if (auto it = by_address_.find(address); it != by_address_.end())
        wait = std::max(wait, ThrottleWait(it->second, now, policy_));
    if (auto it = by_pair_.find(pair); it != by_pair_.end())
        wait = std::max(wait, ThrottleWait(it->second, now, policy_));
    return wait;
}

std::chrono::seconds Authenticator::Reserve(const std::string& pair, const std::string& address,
                                            std::chrono::sys_seconds now) {
    std::lock_guard lock(throttle_mutex_);
    auto a = by_address_.find(address);
    auto p = by_pair_.find(pair);
    std::chrono::seconds wait{0};
    if (a != by_address_.end()) wait = std::max(wait, ThrottleWait(a->second, now, policy_));
    if (p != by_pair_.end()) wait = std::max(wait, ThrottleWait(p->second, now, policy_));
    if (wait > std::chrono::seconds(0)) return wait;
    // Going ahead. Where a key is already past its free failures, the next attempt waits as if this
    // one failed, until it is known to have failed (AfterFailure) or succeeded (Succeeded).
    auto reserve = [&](LoginThrottle& t, int free) {
        if (now - t.last >= policy_.forget_after) return;
        if (t.failures >= free) t.next_allowed = now + ThrottleDelay(t.failures + 1, free, policy_);
    };
    if (a != by_address_.end()) reserve(a->second, policy_.free_failures_address);
    if (p != by_pair_.end()) reserve(p->second, policy_.free_failures_account);
    return wait;
}

bool Authenticator::Failed(const std::string& pair, const std::string& address,
                           std::chrono::sys_seconds now) {
    std::lock_guard lock(throttle_mutex_);
    if (!by_address_.contains(address)) Prune(by_address_, now);
    if (!by_pair_.contains(pair)) Prune(by_pair_, now);
    LoginThrottle& a = by_address_[address];
    LoginThrottle& p = by_pair_[pair];
    a = AfterFailure(a, now, policy_.free_failures_address, policy_);
    p = AfterFailure(p, now, policy_.free_failures_account, policy_);
    return a.failures == policy_.free_failures_address + 1 || p.failures == policy_.free_failures_account + 1;
}

void Authenticator::Succeeded(const std::string& pair) {
    std::lock_guard lock(throttle_mutex_);
    by_pair_.erase(pair);
}

// Keeps a table within max_entries: first the counts old enough to be forgotten, then those
// not holding anyone back now, then (a flood of fresh addresses) the least recently failed.
void Authenticator::Prune(std::unordered_map<std::string, LoginThrottle>& table, std::chrono::sys_seconds now) {
    if (table.size() < policy_.max_entries) return;
    std::erase_if(table, [&](const auto& kv) { return now - kv.second.last >= policy_.forget_after; });
    if (table.size() < policy_.max_entries * 9 / 10)
        return;
    std::erase_if(table, [&](const auto& kv) { return ThrottleWait(kv.second, now, policy_).count() == 0; });
    while (table.size() >= policy_.max_entries * 9 / 10) {
        // Drop a tenth at once so a flood does not pay a full scan per new address.
        std::vector<std::pair<std::chrono::sys_seconds, std::string>> by_age;
        by_age.reserve(table.size());
        for (const auto& [k, v] : table) by_age.emplace_back(v.last, k);
        const size_t drop = table.size() - policy_.max_entries * 8 / 10;
        std::ranges::nth_element(by_age, by_age.begin() + static_cast<std::ptrdiff_t>(drop));
        for (size_t i = 0; i < drop; ++i) table.erase(by_age[i].second);
    }
}

size_t Authenticator::ThrottleEntries() {
    std::lock_guard lock(throttle_mutex_);
    return by_address_.size() + by_pair_.size();
}

Result<Authenticator::LoginResult> Authenticator::Login(Store& store, const std::string& username,
                                                        const std::string& password,
                                                        const std::string& remote) {
    const auto now = Now();
    const std::string at = FormatIsoTime(now);
    const std::string address = AddressKey(remote);
    const std::string pair = PairKey(username, address);
    if (auto wait = Reserve(pair, address, now); wait.count() > 0)
        return Fail("auth.throttled", "username",
                    "登录失败次数过多,请 " + std::to_string(wait.count()) + " 秒后再试",
                    "too many failed logins; try again in " + std::to_string(wait.count()) + " s");
    auto invalid = [] {
        return Fail("auth.invalid", "password", "用户名或密码错误", "wrong username or password");
    };
    // A failure: counted, and logged under a bounded key (the username only when it is an account).
    auto failed = [&](const std::string& key, const std::string& actor,
                      const std::string& reason) -> Result<Authenticator::LoginResult> {
        const bool started = Failed(pair, address, now);
        const ChangeContext change{actor, at, std::nullopt};
        auto tx = Transaction::Begin(store);
        if (!tx) return std::unexpected(tx.error());
        if (auto r = store.RecordEvent("account", key, "login_failed", Detail(address, reason), change); !r)
            return std::unexpected(r.error());
        if (started)
            if (auto r = store.RecordEvent("account", key, "lock", Detail(address, "throttled"), change); !r)
                return std::unexpected(r.error());
        if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
        return invalid();
    };
    // The same work as for a real account, so timing does not tell which usernames exist.
    static const std::string dummy = HashPassword("not a password of anyone").value_or("");
    if (!IsValidUsername(username) || password.size() > 1024) {
        VerifyPassword(dummy, password.substr(0, 1024));
        return failed(IsValidUsername(username) ? username : UnknownKey(username), "anonymous",
                      IsValidUsername(username) ? "password" : "unknown_user");
    }
    auto account = store.FindAccount(username);
    if (!account) return std::unexpected(account.error());
    if (!*account) {
        VerifyPassword(dummy, password);
        return failed(UnknownKey(username), "anonymous", "unknown_user");
    }
    Account& a = **account;
    const bool ok = VerifyPassword(a.password_hash, password) && !a.disabled;
    if (!ok) return failed(username, username, a.disabled ? "disabled" : "password");
    Succeeded(pair);
    if (auto r = FlushTouches(store); !r) return std::unexpected(r.error());  // before the idle sweep
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    if (a.failed_logins != 0 || !a.locked_until.empty())  // counters of the former hard lock
        if (auto r = store.SetLoginState(a.id, 0, ""); !r) return std::unexpected(r.error());
    // Sessions unused past the idle expiry are gone for good: clear them out now and then.
    if (auto r = store.DeleteIdleSessions(
            FormatIsoTime(now - std::chrono::duration_cast<std::chrono::seconds>(policy_.idle_expiry)));
        !r)
        return std::unexpected(r.error());
    LoginResult result{NewToken(), Principal{a.id, a.username, *ParseRole(a.role), a.scope}};
    if (auto r = store.InsertSession({HashToken(result.token), a.id, at, at}); !r)
        return std::unexpected(r.error());
    if (auto r = store.RecordEvent("account", username, "login", Detail(address), {username, at, std::nullopt});
        !r)
        return std::unexpected(r.error());
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    std::lock_guard lock(mutex_);
    std::erase_if(cache_, [&](const auto& kv) { return now - kv.second.last_seen >= policy_.idle_expiry; });
    cache_[HashToken(result.token)] = Cached{result.principal, now, now, now};
    return result;
}

Result<void> Authenticator::FlushTouches(Store& store) {
    std::map<std::string, std::chrono::sys_seconds> pending;
    {
        std::lock_guard lock(mutex_);
        pending.swap(pending_touches_);
    }
    if (pending.empty()) return {};
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    for (const auto& [hash, at] : pending)
        if (auto r = store.TouchSession(hash, FormatIsoTime(at)); !r) return r;
    return tx->Commit();
}

Result<std::optional<Principal>> Authenticator::Authenticate(Store& store, const std::string& token,
                                                             bool may_write) {
    if (token.size() != 64) return std::optional<Principal>();
    if (may_write)
        if (auto r = FlushTouches(store); !r) return std::unexpected(r.error());
    const auto now = Now();
    const std::string hash = HashToken(token);
    bool write_last_use = false;
    std::optional<Principal> cached;
    {
        std::lock_guard lock(mutex_);
        auto it = cache_.find(hash);
        if (it != cache_.end()) {
            Cached& c = it->second;
            if (now - c.last_seen >= policy_.idle_expiry) {
                cache_.erase(it);
            } else if (now - c.checked < kRecheck) {
                c.last_seen = now;
                if (now - c.written < kWriteLastUse)
                    cached = c.principal;
                else
                    write_last_use = true;
            }
        }
    }
    // The session row is read on every request (a point read by its key), so a session ended
    // elsewhere — `jingzhun user disable` in another process deletes it — ends at once; the
    // account behind it is re-read every few seconds.
    auto session = store.FindSession(hash);
    if (!session) return std::unexpected(session.error());
    if (!*session) {
        std::lock_guard lock(mutex_);
        cache_.erase(hash);
        return std::optional<Principal>();
    }
    if (cached) return cached;
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
        if (may_write) {
            auto tx = Transaction::Begin(store);
            if (!tx) return std::unexpected(tx.error());
            if (auto r = store.TouchSession(hash, FormatIsoTime(now)); !r) return std::unexpected(r.error());
            if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
            written = now;
        } else {  // on an I/O thread a write could wait for an import's lock: later, on a worker
            std::lock_guard lock(mutex_);
            pending_touches_[hash] = now;
        }
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
