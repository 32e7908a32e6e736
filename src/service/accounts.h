// Accounts as the API and `jingzhun user` manage them: the password rules and argon2id hashes
// (libsodium), adding an account, listing the accounts of a scope, and changing one (role, scope,
// password, disabled) — ending its sessions when its access changes. One function per operation,
// so the API's /api/users and the CLI's `user add|list|disable` answer alike.
//
// Stateless functions over the Store passed in (one Store per thread); the hashing functions may
// run on any number of threads at once. Each write runs in its own transaction and is logged in
// the change log (the password hash never: store.h).
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/org_unit.h"
#include "service/dynamic.h"
#include "service/household_input.h"
#include "store/store.h"

namespace jz::service {

// argon2id (crypto_pwhash_str, interactive limits). Error "auth.hash" when out of memory.
Result<std::string> HashPassword(const std::string& password);
bool VerifyPassword(const std::string& hash, const std::string& password);

// Password rules: 8 to 1024 bytes, not one of a short list of common passwords (compared without
// case), not the username (without case), not one character repeated.
std::optional<Error> CheckPasswordRules(const std::string& password, const std::string& username = {});

// Validates and adds an account (role known, scope an org unit of the tree, password rules),
// inside its own transaction, logged with `change`. Errors name the field; "user.exists" when the
// username is taken.
Result<Account> AddAccount(Store& store, const OrgTree& tree, const std::string& username,
                           const std::string& role, const std::string& scope, const std::string& password,
                           const ChangeContext& change);

// The accounts whose scope lies within `scope` (empty: all), by username.
Result<std::vector<Account>> ListAccounts(Store& store, const std::string& scope);

// The account, when it exists and its scope lies within `scope` (empty: any).
Result<std::optional<Account>> FindAccount(Store& store, const std::string& username,
                                           const std::string& scope);

// What a change of an account sets; absent fields stay.
struct AccountChange {
    std::optional<std::string> role;
    std::optional<std::string> scope;
    std::optional<std::string> password;
    std::optional<bool> disabled;
};

// Every problem of `change` for an actor scoped to `actor_scope`, as field errors (empty: none): an
// unknown role, an unknown scope or one outside the actor's, a password against the rules.
std::vector<Error> CheckAccountChange(const OrgTree& tree, const std::string& actor_scope,
                                           const Account& before, const AccountChange& change);

struct ChangedAccount {
    Account account;             // as stored now
    int64_t sessions_ended = 0;  // sessions deleted (access changed: disabled, role, scope, password)
};

// Applies a change already checked (CheckAccountChange) to `before`, as `actor`, in one
// transaction: nothing is written when nothing changes; the account's sessions end when it is
// disabled or its role, scope or password changes; re-enabling clears its failed logins. Errors:
// "user.self" (the actor may not disable themselves or give up their own admin role),
// "auth.hash", store errors. A server must also forget the account's cached sessions.
Result<ChangedAccount> ChangeAccount(Store& store, const Actor& actor, const Account& before,
                                     const AccountChange& change, const ChangeContext& context);

// An account as the API and `user list --json` show it (never the hash).
boost::json::object AccountJson(const Account& a);

}  // namespace jz::service
