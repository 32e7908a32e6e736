// Calendar dates (proleptic Gregorian), no clock access.
#pragma once

#include <chrono>
#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace jz {

struct Date {
    int year = 0;
    int month = 0;
    int day = 0;

    auto operator<=>(const Date&) const = default;

    // Accepts YYYY-MM-DD and YYYYMMDD; nullopt when malformed or not a real day.
    static std::optional<Date> Parse(std::string_view text);
    static bool IsValid(int year, int month, int day);
    std::string ToString() const;  // YYYY-MM-DD
    // Whole years of age on `on` (birthday counts on the day itself).
    int AgeOn(const Date& on) const;
    // Days since 1970-01-01 (negative before), and back.
    long DaysSinceEpoch() const;
    static Date FromDaysSinceEpoch(long days);
    // The calendar day in Beijing (UTC+8, no daylight saving) at an instant: the county's "today"
    // turns at Beijing midnight, whatever zone the machine runs in.
    static Date BeijingDayOf(std::chrono::sys_seconds instant);
};

}  // namespace jz
