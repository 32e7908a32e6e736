// Accounts (accounts.h).
#include "service/accounts.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "core/access.h"

namespace jz::service {
namespace {

bool SodiumReady() {
    static const bool ready = sodium_init() >= 0;
    return ready;
}

// A short list of the passwords tried first (at least 8 characters: shorter ones are refused anyway),
// compared in lower case.
constexpr std::array<std::string_view, 72> kCommonPasswords{
    "00000000",   "11111111",   "12121212",     "12341234",    "12344321",   "12345678",   "123456789",
    "1234567890", "0123456789", "123123123",    "123456123",   "1234qwer",   "147258369",  "159357456",
    "1q2w3e4r",   "1qaz2wsx",   "1qaz2wsx3edc", "520520520",   "5201314520", "66666666",   "88888888",
    "987654321",  "9876543210", "a1234567",     "a12345678",   "a123456789", "aa123456",   "aa12345678",
    "abc12345",   "abc123456",  "abcd1234",     "admin123",    "admin1234",  "admin12345", "administrator",
    "asdf1234",   "asdfghjkl",  "baseball",     "changeme",    "computer",   "dragon123",  "football",
    "iloveyou",   "jingzhun",   "jingzhun123",  "letmein1",    "michelle",   "p@ssw0rd",   "passw0rd",
    "password",   "password1",  "password12",   "password123", "princess",   "q1w2e3r4",   "qq123456",
    "qwe12345",   "qwer1234",   "qwerty12",     "qwerty123",   "qwertyui",   "qwertyuiop", "starwars",
    "sunshine",   "superman",   "trustno1",     "welcome1",    "whatever",   "woaini1314", "zxcvbnm1",
    "zxcvbnm123", "a1b2c3d4"};

std::string Lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
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

std::optional<Error> CheckPasswordRules(const std::string& password, const std::string& username) {
    if (password.size() < 8)
        return Error{.code = "user.password_short", .field = "password", .message_zh = "密码至少8个字符", .message_en = "the password needs at least 8 characters"};
    if (password.size() > 1024)
        return Error{.code = "user.password_long", .field = "password", .message_zh = "密码过长(最多1024个字符)", .message_en = "the password is too long (at most 1024)"};
    const std::string lower = Lower(password);
    if (std::ranges::find(kCommonPasswords, lower) != kCommonPasswords.end() ||
        std::ranges::all_of(password, [&](char c) { return c == password[0]; }))
        return Error{.code = "user.password_common", .field = "password", .message_zh = "密码过于常见,容易被猜中,请换一个", .message_en = "the password is too common and easily guessed; choose another"};
    if (!username.empty() && lower == Lower(username))
        return Error{.code = "user.password_username", .field = "password", .message_zh = "密码不能与用户名相同", .message_en = "the password must not be the username"};
    return std::nullopt;
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

Result<std::vector<Account>> ListAccounts(Store& store, const std::string& scope) {
    auto accounts = store.ListAccounts();
    if (!accounts) return accounts;
    std::erase_if(*accounts, [&](const Account& a) { return !scope.empty() && !InScope(scope, a.scope); });
    return accounts;
}

Result<std::optional<Account>> FindAccount(Store& store, const std::string& username,
                                           const std::string& scope) {
    auto found = store.FindAccount(username);
    if (!found || !*found) return found;
    if (!scope.empty() && !InScope(scope, (*found)->scope)) return std::optional<Account>();
    return found;
}

std::vector<Error> CheckAccountChange(const OrgTree& tree, const std::string& actor_scope,
                                           const Account& before, const AccountChange& change) {
    std::vector<Error> errors;
    if (change.role && !ParseRole(*change.role))
        errors.push_back({.code = "user.role", .field = "role", .message_zh = "未知角色: " + *change.role, .message_en = "unknown role: " + *change.role});
    if (change.scope) {
        if (!tree.Find(*change.scope))
            errors.push_back({.code = "user.scope", .field = "scope", .message_zh = "未知的行政区划代码: " + *change.scope, .message_en = "unknown division code: " + *change.scope});
        else if (!InScope(actor_scope, *change.scope))
            errors.push_back({.code = "user.scope", .field = "scope", .message_zh = "超出您的管辖范围", .message_en = "outside your scope"});
    }
    if (change.password)
        if (auto e = CheckPasswordRules(*change.password, before.username))
            errors.push_back({.code = e->code, .field = "password", .message_zh = e->message_zh, .message_en = e->message_en});
    return errors;
}

Result<ChangedAccount> ChangeAccount(Store& store, const Actor& actor, const Account& before,
                                     const AccountChange& change, const ChangeContext& context) {
    Account after = before;
    if (change.role) after.role = *change.role;
    if (change.scope) after.scope = *change.scope;
    if (change.disabled) after.disabled = *change.disabled;
    if (change.password) {
        auto hash = HashPassword(*change.password);
        if (!hash) return std::unexpected(hash.error());
        after.password_hash = *hash;
    }
    if (after.username == actor.username && (after.disabled || after.role != "admin"))
        return Fail("user.self", "", "不能停用自己或取消自己的管理员角色",
                    "you cannot disable yourself or give up your own admin role");
    ChangedAccount out{after, 0};
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    if (after != before)
        if (auto r = store.UpdateAccount(before, after, context); !r) return std::unexpected(r.error());
    if (after.disabled || change.password || after.role != before.role || after.scope != before.scope) {
        auto ended = store.DeleteSessionsOf(after.id);
        if (!ended) return std::unexpected(ended.error());
        out.sessions_ended = *ended;
    }
    if (!after.disabled && before.disabled)  // re-enabled: a fresh start
        if (auto r = store.SetLoginState(after.id, 0, ""); !r) return std::unexpected(r.error());
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return out;
}

boost::json::object AccountJson(const Account& a) {
    return {{"username", a.username},
            {"role", a.role},
            {"scope", a.scope},
            {"disabled", a.disabled},
            {"locked_until", a.locked_until},
            {"created_at", a.created_at}};
}

}  // namespace jz::service
