// Accounts and sessions: argon2id password hashes (libsodium), random session tokens kept only as
// their hash, the lockout rule of core/access.h, and every login, failure and lock in the change
// log. Used by the server's login routes and by `jingzhun user`.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/access.h"
#include "core/org_unit.h"
#include "store/store.h"

namespace jz::server {

// argon2id (crypto_pwhash_str, interactive limits). Error "auth.hash" when out of memory.
Result<std::string> HashPassword(const std::string& password);
bool VerifyPassword(const std::string& hash, const std::string& password);
// 32 random bytes, hex; and the hex BLAKE2b-256 of a token, which is what the store keeps.
std::string NewToken();
std::string HashToken(const std::string& token);

// Password rules: at least 8 characters, not all one character class... kept simple and stated.
std::optional<Error> CheckPasswordRules(const std::string& password);

// The signed-in user as handlers see them.
struct Principal {
    int64_t account_id = 0;
    std::string username;
    Role role = Role::kViewer;
    std::string scope;
};

// Validates and adds an account (role known, scope an org unit of the tree, password rules),
// inside its own transaction, logged with `change`. Errors name the field.
Result<Account> AddAccount(Store& store, const OrgTree& tree, const std::string& username,
                           const std::string& role, const std::string& scope, const std::string& password,
                           const ChangeContext& change);

class Authenticator {
  public:
    using Clock = std::function<std::chrono::sys_seconds()>;
    explicit Authenticator(LoginPolicy policy = {}, Clock clock = {});

    struct LoginResult {
        std::string token;  // the cookie value
        Principal principal;
    };
    // Errors: "auth.invalid" (unknown user, wrong password, disabled — the same answer for all),
    // "auth.locked" (with the time it ends in the message).
    Result<LoginResult> Login(Store& store, const std::string& username, const std::string& password,
                              const std::string& remote);
    // The session's user, or nullopt when the token is unknown, expired or its account disabled.
    // Sessions are cached for a few seconds so a busy server does not read them on every request;
    // last use is written back at most once a minute.
    Result<std::optional<Principal>> Authenticate(Store& store, const std::string& token);
    Result<void> Logout(Store& store, const std::string& token, const Principal& who);
    // Forget cached sessions of an account (after it was disabled or changed).
    void Forget(int64_t account_id);
    std::chrono::sys_seconds Now() const;
    const LoginPolicy& policy() const { return policy_; }

  private:
    struct Cached {
        Principal principal;
        std::chrono::sys_seconds checked;    // when the store was last read
        std::chrono::sys_seconds last_seen;  // last use
        std::chrono::sys_seconds written;    // last use written to the store
    };
    LoginPolicy policy_;
    Clock clock_;
    std::mutex mutex_;
    std::unordered_map<std::string, Cached> cache_;  // by token hash
};

}  // namespace jz::server
