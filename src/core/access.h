// Who may do what, where: the server's roles, org-unit scope, masking of personal data and the
// login lockout rule. Pure: the server asks, this answers.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace jz {

enum class Role {
    kAdmin,      // everything in scope, manages users
    kOfficer,    // reads and writes households in scope
    kInspector,  // reads everything in scope, including the audit trail; writes nothing
    kViewer,     // reads in scope; ID numbers and phone numbers masked
};

std::optional<Role> ParseRole(std::string_view name);  // "admin", "officer", ...
std::string_view RoleName(Role role);
std::string_view RoleNameZh(Role role);  // 管理员, 业务员, 督查员, 查看员

// What a role may do (scope aside).
bool CanWriteHouseholds(Role role);  // create, edit, import
bool CanManageUsers(Role role);
bool CanReadAudit(Role role);
bool CanRunChecks(Role role);       // data-quality findings name people
bool MasksPersonalData(Role role);  // ID numbers and phone numbers masked

// A division code is in a scope when the scope's code is a prefix of it (a township officer's scope
// "540425101" holds every village code "540425101xxx"). An empty scope holds nothing.
bool InScope(std::string_view scope, std::string_view division_code);

// 540425199001011234 → 540425********1234: the address code and the last four stay, so a viewer
// can tell people apart without learning who they are. Shorter values keep less.
std::string MaskIdNumber(std::string_view id_number);
// 13812345678 → 138****5678.
std::string MaskPhone(std::string_view phone);

// Login throttling (no hard lock: a lock is a denial of service, and "locked" tells which usernames
// exist). Failures are counted per client address and per (username, client address), whether the
// username exists or not, so unknown and existing accounts are answered alike. After the free
// failures each further attempt must wait a growing delay (first_delay, doubled per failure, at most
// max_delay) after the previous one; a success clears the (username, address) count; a count with
// no failure for `forget_after` starts again. The correct password is always accepted once the
// delay has run out, and failures from one address never delay the same account elsewhere.
struct LoginPolicy {
    int free_failures_account = 5;   // per (username, address)
    int free_failures_address = 20;  // per address, all usernames together
    std::chrono::seconds first_delay{30};
    std::chrono::seconds max_delay{15 * 60};
    std::chrono::seconds forget_after{60 * 60};
    size_t max_entries = 100000;  // per table (addresses; username+address pairs), then stale ones go
    std::chrono::minutes idle_expiry{30};  // a session unused this long ends
};

struct LoginThrottle {
    int failures = 0;
    std::chrono::sys_seconds last{};             // last failure (or admitted throttled attempt)
    std::chrono::sys_seconds next_allowed{};  // no attempt before this
};

// The delay that `failures` failures impose before the next attempt (0 while within `free`).
std::chrono::seconds ThrottleDelay(int failures, int free, const LoginPolicy& policy);
// How long an attempt at `now` must still wait (0: may go ahead), forgetting stale counts.
std::chrono::seconds ThrottleWait(const LoginThrottle& t, std::chrono::sys_seconds now,
                                  const LoginPolicy& policy);
// The state after a failed attempt at `now`.
LoginThrottle AfterFailure(LoginThrottle t, std::chrono::sys_seconds now, int free, const LoginPolicy& policy);

// Usernames: 1 to 64 ASCII letters, digits or _ . - (checked before anything is stored or logged).
constexpr size_t kMaxUsername = 64;
bool IsValidUsername(std::string_view username);

// ISO 8601 UTC "2026-11-29T04:05:06Z" ↔ time point; nullopt for anything else.
std::optional<std::chrono::sys_seconds> ParseIsoTime(std::string_view text);
std::string FormatIsoTime(std::chrono::sys_seconds t);

}  // namespace jz
