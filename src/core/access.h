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

// Five consecutive failed logins lock the account for fifteen minutes; a success clears the count.
struct LoginPolicy {
    int max_failures = 5;
    std::chrono::minutes lock_for{15};
    std::chrono::minutes idle_expiry{30};  // a session unused this long ends
};

struct LoginState {
    int failed_logins = 0;
    std::optional<std::chrono::sys_seconds> locked_until;
};

// Is the account locked at `now`?
bool IsLocked(const LoginState& state, std::chrono::sys_seconds now);
// The state after a failed attempt at `now` (locks when the count reaches the maximum; the count
// starts again once a lock has expired).
LoginState AfterFailure(const LoginState& state, std::chrono::sys_seconds now, const LoginPolicy& policy);

// ISO 8601 UTC "2026-11-29T04:05:06Z" ↔ time point; nullopt for anything else.
std::optional<std::chrono::sys_seconds> ParseIsoTime(std::string_view text);
std::string FormatIsoTime(std::chrono::sys_seconds t);

}  // namespace jz
