// Report periods (周、月、季、年): a kind and its text ("2017-W27", "2017-07", "2017-Q3", "2017") as
// the days they cover. Weeks are ISO 8601 weeks (Monday to Sunday; week 1 holds the year's first
// Thursday, so a year has 52 or 53 weeks and a week may start in the previous year). Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/error.h"

namespace jz {

enum class PeriodKind { kWeekly, kMonthly, kQuarterly, kAnnual };
std::string_view PeriodKindName(PeriodKind kind);  // weekly / monthly / quarterly / annual
std::optional<PeriodKind> ParsePeriodKind(std::string_view name);

struct Period {
    PeriodKind kind = PeriodKind::kAnnual;
    std::string text;  // canonical: "2017-W27", "2017-07", "2017-Q3", "2017"
    Date from;         // first day
    Date to;           // last day
    bool operator==(const Period&) const = default;
};

// The period `text` of `kind`; an error ("period.format", field "period") naming the format
// expected (YYYY-Www, YYYY-MM, YYYY-Qn, YYYY) and the week count of that year when the week is
// out of range.
Result<Period> ParsePeriod(PeriodKind kind, std::string_view text);
Result<Period> ParsePeriod(std::string_view kind, std::string_view text);

// The period of `kind` that holds `day` (its ISO week, month, quarter or year).
Period PeriodContaining(PeriodKind kind, const Date& day);
// The period before / after (the week, month, ... adjacent).
Period PreviousPeriod(const Period& period);
Period NextPeriod(const Period& period);

// Number of ISO weeks of `year` (52 or 53).
int IsoWeeksInYear(int year);
// 1 = Monday ... 7 = Sunday.
int IsoWeekday(const Date& day);
// The Monday of ISO week `week` of `year`.
Date IsoWeekStart(int year, int week);
// A report's as_of: the period's last day, or today when the period has not ended yet.
Date PeriodAsOf(const Period& period, const Date& today);

}  // namespace jz
