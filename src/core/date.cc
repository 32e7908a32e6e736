#include "core/date.h"

#include <cstdio>

namespace jz {
namespace {

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

bool ParseDigits(std::string_view s, int& out) {
    out = 0;
    if (s.empty()) return false;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        out = out * 10 + (c - '0');
    }
    return true;
}

}  // namespace

bool Date::IsValid(int y, int m, int d) {
    return y >= 1800 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= DaysInMonth(y, m);
}

std::optional<Date> Date::Parse(std::string_view t) {
    int y, m, d;
    if (t.size() == 10 && (t[4] == '-' || t[4] == '/' || t[4] == '.') && t[7] == t[4]) {
        if (!ParseDigits(t.substr(0, 4), y) || !ParseDigits(t.substr(5, 2), m) ||
            !ParseDigits(t.substr(8, 2), d))
            return std::nullopt;
    } else if (t.size() == 8) {
        if (!ParseDigits(t.substr(0, 4), y) || !ParseDigits(t.substr(4, 2), m) ||
            !ParseDigits(t.substr(6, 2), d))
            return std::nullopt;
    } else {
        return std::nullopt;
    }
    if (!IsValid(y, m, d)) return std::nullopt;
    return Date{y, m, d};
}

std::string Date::ToString() const {
    if (year < 0 || year > 9999 || month < 0 || month > 99 || day < 0 || day > 99) {
        char buf[48];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
        return buf;
    }
    // Hot in exports and the change log: no printf.
    std::string s(10, '-');
    s[0] = static_cast<char>('0' + year / 1000);
    s[1] = static_cast<char>('0' + year / 100 % 10);
    s[2] = static_cast<char>('0' + year / 10 % 10);
    s[3] = static_cast<char>('0' + year % 10);
    s[5] = static_cast<char>('0' + month / 10);
    s[6] = static_cast<char>('0' + month % 10);
    s[8] = static_cast<char>('0' + day / 10);
    s[9] = static_cast<char>('0' + day % 10);
    return s;
}

int Date::AgeOn(const Date& on) const {
    int age = on.year - year;
    if (on.month < month || (on.month == month && on.day < day)) --age;
    return age;
}

// Howard Hinnant's days_from_civil / civil_from_days.
long Date::DaysSinceEpoch() const {
    int y = year - (month <= 2 ? 1 : 0);
    const long era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned mp = static_cast<unsigned>(month + (month > 2 ? -3 : 9));
    const unsigned doy = (153 * mp + 2) / 5 + static_cast<unsigned>(day) - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long>(doe) - 719468;
}

Date Date::FromDaysSinceEpoch(long z) {
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long y = static_cast<long>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return Date{static_cast<int>(y + (m <= 2 ? 1 : 0)), static_cast<int>(m), static_cast<int>(d)};
}

Date Date::BeijingDayOf(std::chrono::sys_seconds instant) {
    const auto days = std::chrono::floor<std::chrono::days>(instant + std::chrono::hours(8));
    return FromDaysSinceEpoch(static_cast<long>(days.time_since_epoch().count()));
}

}  // namespace jz
