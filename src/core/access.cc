#include "core/access.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>

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

std::string MaskIdNumber(std::string_view id_number) { return Mask(id_number, 6, 4); }
std::string MaskPhone(std::string_view phone) {
    if (phone.empty()) return {};
    return Mask(phone, 3, 4);
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
