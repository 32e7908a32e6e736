#include "core/period.h"

#include <algorithm>
#include <array>
#include <cstdio>

namespace jz {
namespace {

constexpr std::array<std::string_view, 4> kKindNames = {"weekly", "monthly", "quarterly", "annual"};

Date AddDays(const Date& day, long days) { return Date::FromDaysSinceEpoch(day.DaysSinceEpoch() + days); }

int DaysInMonth(int year, int month) {
    for (int d = 31; d >= 28; --d)
        if (Date::IsValid(year, month, d)) return d;
    return 28;
}

// Digits only, exactly `n` of them.
std::optional<int> Digits(std::string_view text, size_t n) {
    if (text.size() != n) return std::nullopt;
    int v = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

std::string Pad(int v, int width) {
    std::string s = std::to_string(v);
    if (static_cast<int>(s.size()) < width) s.insert(0, static_cast<size_t>(width - static_cast<int>(s.size())), '0');
    return s;
}

std::unexpected<Error> FormatError(PeriodKind kind, std::string_view text) {
    static constexpr std::array<std::string_view, 4> kFormats = {"YYYY-Www（如 2017-W27）", "YYYY-MM（如 2017-07）",
                                                                 "YYYY-Qn（如 2017-Q3）", "YYYY（如 2017）"};
    static constexpr std::array<std::string_view, 4> kFormatsEn = {"YYYY-Www (e.g. 2017-W27)", "YYYY-MM (e.g. 2017-07)",
                                                                   "YYYY-Qn (e.g. 2017-Q3)", "YYYY (e.g. 2017)"};
    const auto i = static_cast<size_t>(kind);
    return Fail("period.format", "period",
                "期间“" + std::string(text) + "”格式不对，" + std::string(PeriodKindName(kind)) + " 应为 " +
                    std::string(kFormats[i]),
                "period \"" + std::string(text) + "\" is malformed: a " + std::string(PeriodKindName(kind)) +
                    " period is " + std::string(kFormatsEn[i]));
}

bool YearOk(int year) { return year >= 1900 && year <= 9999; }

Period Make(PeriodKind kind, int year, int n) {
    Period p;
    p.kind = kind;
    switch (kind) {
        case PeriodKind::kWeekly:
            p.text = Pad(year, 4) + "-W" + Pad(n, 2);
            p.from = IsoWeekStart(year, n);
            p.to = AddDays(p.from, 6);
            break;
        case PeriodKind::kMonthly:
            p.text = Pad(year, 4) + "-" + Pad(n, 2);
            p.from = Date{year, n, 1};
            p.to = Date{year, n, DaysInMonth(year, n)};
            break;
        case PeriodKind::kQuarterly:
            p.text = Pad(year, 4) + "-Q" + std::to_string(n);
            p.from = Date{year, 3 * n - 2, 1};
            p.to = Date{year, 3 * n, DaysInMonth(year, 3 * n)};
            break;
        case PeriodKind::kAnnual:
            p.text = Pad(year, 4);
            p.from = Date{year, 1, 1};
            p.to = Date{year, 12, 31};
            break;
    }
    return p;
}

// The ISO year and week of a day.
std::pair<int, int> IsoWeekOf(const Date& day) {
    // The Thursday of the day's week decides its ISO year.
    const Date thursday = AddDays(day, 4 - IsoWeekday(day));
    const long first = Date{thursday.year, 1, 1}.DaysSinceEpoch();
    const int week = static_cast<int>((thursday.DaysSinceEpoch() - first) / 7) + 1;
    return {thursday.year, week};
}

}  // namespace

std::string_view PeriodKindName(PeriodKind kind) { return kKindNames[static_cast<size_t>(kind)]; }

std::optional<PeriodKind> ParsePeriodKind(std::string_view name) {
    for (size_t i = 0; i < kKindNames.size(); ++i)
        if (kKindNames[i] == name) return static_cast<PeriodKind>(i);
    return std::nullopt;
}

int IsoWeekday(const Date& day) {
    // 1970-01-01 was a Thursday (4).
    const long d = day.DaysSinceEpoch();
    const long w = ((d % 7) + 7 + 3) % 7;  // 0 = Monday
    return static_cast<int>(w) + 1;
}

Date IsoWeekStart(int year, int week) {
    const Date jan4{year, 1, 4};  // always in week 1
    const Date week1 = AddDays(jan4, 1 - IsoWeekday(jan4));
    return AddDays(week1, 7L * (week - 1));
}

int IsoWeeksInYear(int year) {
    // A year has 53 weeks when it starts on a Thursday, or is a leap year starting on a Wednesday:
    // equivalently, when 28 December (always in the last week) is in week 53.
    return IsoWeekOf(Date{year, 12, 28}).second;
}

Result<Period> ParsePeriod(PeriodKind kind, std::string_view text) {
    const std::string_view year_text = text.substr(0, 4);
    const auto year = Digits(year_text, 4);
    if (!year || !YearOk(*year)) return FormatError(kind, text);
    const std::string_view rest = text.substr(4);
    switch (kind) {
        case PeriodKind::kAnnual:
            if (!rest.empty()) return FormatError(kind, text);
            return Make(kind, *year, 0);
        case PeriodKind::kMonthly: {
            if (rest.size() != 3 || rest[0] != '-') return FormatError(kind, text);
            const auto month = Digits(rest.substr(1), 2);
            if (!month || *month < 1 || *month > 12) return FormatError(kind, text);
            return Make(kind, *year, *month);
        }
        case PeriodKind::kQuarterly: {
            if (rest.size() != 3 || rest.substr(0, 2) != "-Q") return FormatError(kind, text);
            const auto q = Digits(rest.substr(2), 1);
            if (!q || *q < 1 || *q > 4) return FormatError(kind, text);
            return Make(kind, *year, *q);
        }
        case PeriodKind::kWeekly: {
            if (rest.size() != 4 || rest.substr(0, 2) != "-W") return FormatError(kind, text);
            const auto week = Digits(rest.substr(2), 2);
            if (!week) return FormatError(kind, text);
            const int weeks = IsoWeeksInYear(*year);
            if (*week < 1 || *week > weeks) {
                return Fail("period.format", "period",
                            "期间“" + std::string(text) + "”不存在：" + std::to_string(*year) + " 年有 " +
                                std::to_string(weeks) + " 周（格式 YYYY-Www）",
                            "period \"" + std::string(text) + "\" does not exist: " + std::to_string(*year) +
                                " has " + std::to_string(weeks) + " ISO weeks (format YYYY-Www)");
            }
            return Make(kind, *year, *week);
        }
    }
    return FormatError(kind, text);
}

Result<Period> ParsePeriod(std::string_view kind, std::string_view text) {
    const auto k = ParsePeriodKind(kind);
    if (!k)
        return Fail("period.kind", "kind", "报告种类“" + std::string(kind) + "”不对，应为 weekly、monthly、quarterly 或 annual",
                    "report kind \"" + std::string(kind) + "\" is not weekly, monthly, quarterly or annual");
    return ParsePeriod(*k, text);
}

Period PeriodContaining(PeriodKind kind, const Date& day) {
    switch (kind) {
        case PeriodKind::kWeekly: {
            const auto [y, w] = IsoWeekOf(day);
            return Make(kind, y, w);
        }
        case PeriodKind::kMonthly:
            return Make(kind, day.year, day.month);
        case PeriodKind::kQuarterly:
            return Make(kind, day.year, (day.month - 1) / 3 + 1);
        case PeriodKind::kAnnual:
            return Make(kind, day.year, 0);
    }
    return Make(kind, day.year, 0);
}

Period PreviousPeriod(const Period& period) { return PeriodContaining(period.kind, AddDays(period.from, -1)); }
Period NextPeriod(const Period& period) { return PeriodContaining(period.kind, AddDays(period.to, 1)); }

Date PeriodAsOf(const Period& period, const Date& today) { return std::min(period.to, today); }

}  // namespace jz
