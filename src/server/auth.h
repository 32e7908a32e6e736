// Accounts and sessions: argon2id password hashes (libsodium), random session tokens kept only as
// their hash, the login throttle of core/access.h (in memory, per client address and per
// username+address), and every login, failure and throttle start in the change log. Used by the
// server's login routes.
//
// One Authenticator per server, shared by every handler thread: all its members are thread-safe
// (the session cache and the throttle tables each under their own mutex). The Store passed to a
// call is the caller's for that call only.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/access.h"
#include "core/org_unit.h"
#include "service/accounts.h"
#include "store/store.h"

namespace jz::server {

// Password hashing and rules, and adding an account, live in service/accounts.h (the CLI's
// `user` commands use them too); named here as the server has always named them.
using service::AddAccount;
using service::CheckPasswordRules;
using service::HashPassword;
using service::VerifyPassword;

// 32 random bytes, hex; and the hex BLAKE2b-256 of a token, which is what the store keeps.
std::string NewToken();
std::string HashToken(const std::string& token);

// The key a client address is throttled under: IPv4 as is, IPv6 by its /64 (one host usually has
// a whole /64), IPv4-mapped IPv6 as IPv4. Anything unparsable is kept, cut to 64 bytes.
std::string AddressKey(const std::string& address);

// The signed-in user as handlers see them.
struct Principal {
    int64_t account_id = 0;
    std::string username;
    Role role = Role::kViewer;
    std::string scope;
};

class Authenticator {
  public:
    using Clock = std::function<std::chrono::sys_seconds()>;
    explicit Authenticator(LoginPolicy policy = {}, Clock clock = {});

    struct LoginResult {
        std::string token;  // the cookie value
        Principal principal;
    };
    // Errors: "auth.invalid" (unknown or malformed username, wrong password, disabled account —
    // the same answer for all), "auth.throttled" (too many failures from this address, or for this
    // username from this address; Wait() says how long). Checks the throttle itself first.
    Result<LoginResult> Login(Store& store, const std::string& username, const std::string& password,
                              const std::string& remote);
    // How long an attempt for `username` from `remote` must still wait (0: may go ahead). Read-only:
    // the server asks this on its I/O thread before queueing the password check.
    std::chrono::seconds Wait(const std::string& username, const std::string& remote);
    // The session's user, or nullopt when the token is unknown, expired or its account disabled.
    // Sessions are cached for a few seconds so a busy server does not read them on every request;
    // last use is written back at most once a minute.
    // may_write false (on an I/O thread): a due last-use write is kept in memory and done by the
    // next call that may write, or before a login's sweep of idle sessions.
    Result<std::optional<Principal>> Authenticate(Store& store, const std::string& token,
                                                  bool may_write = true);
    Result<void> FlushTouches(Store& store);
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
    // Throttle: the wait now, or 0 after reserving the attempt (so concurrent attempts of a
    // throttled key cannot all go ahead). `started` is set when this failure starts a throttle.
    std::chrono::seconds Reserve(const std::string& pair_key, const std::string& address_key,
                                 std::chrono::sys_seconds now);
    bool Failed(const std::string& pair_key, const std::string& address_key, std::chrono::sys_seconds now);
    void Succeeded(const std::string& pair_key);
    void Prune(std::unordered_map<std::string, LoginThrottle>& table, std::chrono::sys_seconds now);

    LoginPolicy policy_;
    Clock clock_;
    std::mutex mutex_;
    std::unordered_map<std::string, Cached> cache_;                    // by token hash
    std::map<std::string, std::chrono::sys_seconds> pending_touches_;  // last use not yet written
    std::mutex throttle_mutex_;
    std::unordered_map<std::string, LoginThrottle> by_address_;  // AddressKey
    std::unordered_map<std::string, LoginThrottle> by_pair_;     // PairKey(username, address)

  public:
    size_t ThrottleEntries();  // in both tables (each at most policy().max_entries)
};

}  // namespace jz::server
