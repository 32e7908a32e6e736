// Who may do what, where: the server's roles, org-unit scope, masking of personal data and the
// login lockout rule. Pure: the server asks, this answers.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/date.h"

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

// What a masked user (MasksPersonalData) may learn of a person, and nothing more: the ID number's
// address code (the county, which the user's scope already names), the birth year, and the sex.
// The ID number is the address code, the birth date, a three-digit sequence whose parity is the
// sex, and a check character; with the month, day and sequence hidden, 365 × 500 = 182,500 numbers
// (183,000 in a leap year) agree with everything shown (CandidateIdNumbers). Keeping the check
// character would divide that by 11, and keeping the last four (the old rule) with the birth date
// beside it gave the number away, so neither stays. docs/security.md, "Masked users".
//
// 540425199001011234 → 540425************. Shorter values keep less (a 15-digit number keeps its
// address code too; anything under 7 characters is starred whole).
std::string MaskIdNumber(std::string_view id_number);
// Why a member is refused when their ID number is registered in a household the caller may not see
// (outside their scope): the reason names neither that household nor where it is (zh, en).
std::pair<std::string, std::string> InHouseholdOutsideScopeReason();

// Free text (notes, reasons, messages) as a masked user sees it: every run of 15 or more digits
// (an optional trailing X included) keeps its first six and is starred after them, so an ID number
// typed into a note or quoted by a rule is masked like the field.
std::string MaskIdNumbersInText(std::string_view text);

// Everything a masked user receives about one person's ID number.
struct MaskedPerson {
    std::string masked_id;  // as MaskIdNumber shows it ('*' where hidden)
    int birth_year = 0;
    int sex = 0;  // codes::kSexMale / kSexFemale; 0 when not shown
};
// The 18-character ID numbers that agree with everything shown (visible characters, a valid birth
// date in the year, the sequence's parity for the sex, the check character); hidden address digits
// count ten each. Counted, never listed.
int64_t CandidateIdNumbers(const MaskedPerson& person);
// The least number of candidates the masking rule leaves for anyone (a test holds every route to it).
inline constexpr int64_t kMinMaskedCandidates = 100'000;

// The day ages are computed on for a user: `on` itself, or for a masked user the last day of its
// year, so that an age, or a figure that counts ages, tells nothing finer than the birth year (a
// request per day would otherwise find the day a child turned seven).
Date AgeDayFor(Role role, const Date& on);
// 13812345678 → 138****5678.
std::string MaskPhone(std::string_view phone);

// A token bucket: `burst` requests at once, then `per_second` (searches per session, api.cc).
struct RateLimit {
    double burst = 20;
    double per_second = 1;
};
struct TokenBucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point last{};
    bool started = false;  // a new bucket starts full
};
// Takes a token at `now`: nullopt when granted, else the whole seconds until one is there (≥ 1).
std::optional<std::chrono::seconds> TakeToken(TokenBucket& bucket, const RateLimit& limit,
                                              std::chrono::steady_clock::time_point now);
// Has the bucket refilled completely by `now` (so forgetting it changes nothing)?
bool IsFull(const TokenBucket& bucket, const RateLimit& limit, std::chrono::steady_clock::time_point now);

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
