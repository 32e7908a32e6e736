#include "core/access.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <vector>

#include "core/codes.h"
#include "core/id_number.h"

namespace jz {
namespace {

struct RoleInfo {
    Role role;
    std::string_view name;
    std::string_view zh;
};
constexpr std::array<RoleInfo, 4> kRoles{{
    {Role::kAdmin, "admin", "管理员"},
    {Role::kOfficer, "officer", "业务员"},
    {Role::kInspector, "inspector", "督查员"},
    {Role::kViewer, "viewer", "查看员"},
}};

}  // namespace

std::optional<Role> ParseRole(std::string_view name) {
    for (const RoleInfo& r : kRoles)
        if (r.name == name) return r.role;
    return std::nullopt;
}
std::string_view RoleName(Role role) { return kRoles[static_cast<size_t>(role)].name; }
std::string_view RoleNameZh(Role role) { return kRoles[static_cast<size_t>(role)].zh; }

bool CanWriteHouseholds(Role role) { return role == Role::kAdmin || role == Role::kOfficer; }
bool CanManageUsers(Role role) { return role == Role::kAdmin; }
bool CanReadAudit(Role role) { return role == Role::kAdmin || role == Role::kInspector; }
bool CanRunChecks(Role role) { return role != Role::kViewer; }
bool MasksPersonalData(Role role) { return role == Role::kViewer; }

bool InScope(std::string_view scope, std::string_view division_code) {
    return !scope.empty() && division_code.starts_with(scope);
}

namespace {
std::string Mask(std::string_view s, size_t keep_front, size_t keep_back) {
    if (s.size() <= keep_back) return std::string(s.size(), '*');
    if (s.size() < keep_front + keep_back + 1) keep_front = 0;
    std::string out(s);
    for (size_t i = keep_front; i + keep_back < s.size(); ++i) out[i] = '*';
    return out;
}
}  // namespace

std::string MaskIdNumber(std::string_view id_number) { return Mask(id_number, 6, 0); }

std::string MaskIdNumbersInText(std::string_view text) {
    constexpr size_t kMinRun = 15, kKeep = 6;
    std::string out(text);
    size_t i = 0;
    while (i < out.size()) {
        if (out[i] < '0' || out[i] > '9') {
            ++i;
            continue;
        }
        size_t end = i;
        while (end < out.size() && out[end] >= '0' && out[end] <= '9') ++end;
        if (end < out.size() && (out[end] == 'X' || out[end] == 'x')) ++end;
        if (end - i >= kMinRun)
            for (size_t k = i + kKeep; k < end; ++k) out[k] = '*';
        i = end;
    }
    return out;
}

int64_t CandidateIdNumbers(const MaskedPerson& person) {
    const std::string& m = person.masked_id;
    if (m.size() != 18) return 0;
    auto hidden = [&](size_t at) { return m[at] == '*'; };
    auto agrees = [&](size_t at, char c) { return hidden(at) || m[at] == c; };
    int64_t address = 1;
    for (size_t i = 0; i < 6; ++i)
        if (hidden(i)) address *= 10;
    // Birth dates in the year that agree with positions 6..13.
    std::vector<Date> days;
    for (int month = 1; month <= 12; ++month)
        for (int day = 1; day <= 31; ++day) {
            if (!Date::IsValid(person.birth_year, month, day)) continue;
            char digits[9];
            std::snprintf(digits, sizeof digits, "%04d%02d%02d", person.birth_year, month, day);
            bool ok = true;
            for (size_t k = 0; k < 8 && ok; ++k) ok = agrees(6 + k, digits[k]);
            if (ok) days.push_back({person.birth_year, month, day});
        }
    auto sex_agrees = [&](int sequence) {
        if (person.sex == 0) return true;
        return (sequence % 2 == 1) == (person.sex == codes::kSexMale);  // odd: male
    };
    const bool tail_hidden = hidden(14) && hidden(15) && hidden(16) && hidden(17);
    if (tail_hidden) {
        int64_t sequences = 0;
        for (int s = 0; s < 1000; ++s) sequences += sex_agrees(s);
        return address * static_cast<int64_t>(days.size()) * sequences;
    }
    // Some of the tail is shown: count exactly, check character included. Hidden address digits
    // change the check character, so they are enumerated only when shown digits pin it (rare).
    int64_t count = 0;
    std::string v = m;
    for (size_t i = 0; i < 6; ++i)
        if (hidden(i)) v[i] = '0';
    for (const Date& d : days) {
        char digits[9];
        std::snprintf(digits, sizeof digits, "%04d%02d%02d", d.year, d.month, d.day);
        for (size_t k = 0; k < 8; ++k) v[6 + k] = digits[k];
        for (int s = 0; s < 1000; ++s) {
            if (!sex_agrees(s)) continue;
            const char seq[3] = {static_cast<char>('0' + s / 100), static_cast<char>('0' + s / 10 % 10),
                                 static_cast<char>('0' + s % 10)};
            if (!agrees(14, seq[0]) || !agrees(15, seq[1]) || !agrees(16, seq[2])) continue;
            v[14] = seq[0], v[15] = seq[1], v[16] = seq[2];
            if (hidden(17) || address > 1) {
                ++count;
                continue;
            }
            if (IdCheckCharacter(std::string_view(v).substr(0, 17)) == m[17]) ++count;
        }
    }
    return address * count;
}

std::pair<std::string, std::string> InHouseholdOutsideScopeReason() {
    return {"该证件号码已登记在您管辖范围以外的另一户中(一人多户)",
            "this ID number is registered in another household outside your area (one person in two "
            "households)"};
}

Date AgeDayFor(Role role, const Date& on) {
    if (!MasksPersonalData(role)) return on;
    return Date{on.year, 12, 31};
}
std::string MaskPhone(std::string_view phone) {
    if (phone.empty()) return {};
    return Mask(phone, 3, 4);
}

namespace {
double Refilled(const TokenBucket& b, const RateLimit& limit, std::chrono::steady_clock::time_point now) {
    if (!b.started) return limit.burst;
    const double elapsed = std::chrono::duration<double>(now - b.last).count();
    return std::min(limit.burst, b.tokens + std::max(0.0, elapsed) * limit.per_second);
}
}  // namespace

std::optional<std::chrono::seconds> TakeToken(TokenBucket& bucket, const RateLimit& limit,
                                              std::chrono::steady_clock::time_point now) {
    bucket.tokens = Refilled(bucket, limit, now);
    bucket.last = now;
    bucket.started = true;
    if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return std::nullopt;
    }
    const double wait = limit.per_second > 0 ? (1 - bucket.tokens) / limit.per_second : 3600;
    return std::chrono::seconds(std::max<int64_t>(1, static_cast<int64_t>(std::ceil(wait))));
}

bool IsFull(const TokenBucket& bucket, const RateLimit& limit, std::chrono::steady_clock::time_point now) {
    return Refilled(bucket, limit, now) >= limit.burst;
}

std::chrono::seconds ThrottleDelay(int failures, int free, const LoginPolicy& policy) {
    if (failures <= free) return std::chrono::seconds(0);
    const int doublings = failures - free - 1;
    if (doublings >= 30) return policy.max_delay;
    return std::min(policy.first_delay * (int64_t{1} << doublings), policy.max_delay);
}

std::chrono::seconds ThrottleWait(const LoginThrottle& t, std::chrono::sys_seconds now,
                                  const LoginPolicy& policy) {
    if (t.failures == 0 || now - t.last >= policy.forget_after || now >= t.next_allowed)
        return std::chrono::seconds(0);
    return t.next_allowed - now;
}

LoginThrottle AfterFailure(LoginThrottle t, std::chrono::sys_seconds now, int free, const LoginPolicy& policy) {
    if (t.failures > 0 && now - t.last >= policy.forget_after) t = {};
    ++t.failures;
    t.last = now;
    t.next_allowed = now + ThrottleDelay(t.failures, free, policy);
    return t;
}

bool IsValidUsername(std::string_view username) {
    if (username.empty() || username.size() > kMaxUsername) return false;
    for (char c : username)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-')) return false;
    return true;
}

std::optional<std::chrono::sys_seconds> ParseIsoTime(std::string_view t) {
    // YYYY-MM-DDTHH:MM:SSZ
    if (t.size() != 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':' ||
        t[19] != 'Z')
        return std::nullopt;
    auto num = [&](size_t pos, size_t len, int& out) {
        auto [p, ec] = std::from_chars(t.data() + pos, t.data() + pos + len, out);
        return ec == std::errc() && p == t.data() + pos + len;
    };
    int y, mo, d, h, mi, s;
    if (!num(0, 4, y) || !num(5, 2, mo) || !num(8, 2, d) || !num(11, 2, h) || !num(14, 2, mi) ||
        !num(17, 2, s))
        return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                                          std::chrono::day{static_cast<unsigned>(d)}};
    if (!ymd.ok() || h > 23 || mi > 59 || s > 59) return std::nullopt;
    return std::chrono::sys_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi} +
           std::chrono::seconds{s};
}

std::string FormatIsoTime(std::chrono::sys_seconds t) {
    const auto days = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::year_month_day ymd{days};
    const std::chrono::hh_mm_ss hms{t - days};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()));
    return buf;
}

}  // namespace jz
