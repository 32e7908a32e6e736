// Issuing a periodic report (its figures frozen: the document stored as issued, its hash in the
// change log), the issued reports listed, shown and compared with the previous one, and the
// submission schedule: which unit owes which report by when (plan [reports]). docs/reports.md.
// Stateless functions over the Store passed in (one Store per thread).
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/org_unit.h"
#include "core/period.h"
#include "core/plan.h"
#include "store/store.h"

namespace jz::service {

// Builds the report (BuildPeriodicReport, figures as of min(the period's end, today)) and stores it
// as issued in its own transaction. "report.already_issued" (field "period") when the unit's report
// of that kind and period was issued before; the errors of BuildPeriodicReport otherwise.
Result<IssuedReport> IssueReport(Store& store, const Plan& plan, const OrgTree& tree, PeriodKind kind,
                                 const std::string& unit, const std::string& period, const Date& today,
                                 const ChangeContext& change);

// IssuedMeta: {"id","kind","unit_code","unit_name","period","as_of","issued_at","issued_by","hash","seq"}.
boost::json::object IssuedMetaJson(const IssuedReport& r);
// "report.not_found" (field "id") when there is none.
Result<IssuedReport> FindIssued(Store& store, int64_t id);

// Numeric cells that changed between two issued reports of the same kind and unit, matched by
// section id + row label (the first column's text) + column id; values as the document JSON writes
// cells (integers as numbers, fen and percent as decimal strings); `previous` null for a row or
// column the previous report lacks.
struct ComparedReports {
    IssuedReport report;
    IssuedReport previous;
    boost::json::array rows;
};
// With `with` unset: the latest issued report of the same kind and unit with an earlier period
// ("report.no_previous" when none); with it: that report ("report.not_found").
Result<ComparedReports> CompareIssued(Store& store, int64_t id, std::optional<int64_t> with);
boost::json::object ComparedJson(const ComparedReports& c);

// --- The submission schedule -------------------------------------------------------------------------
// The day a period's report is due (plan [reports]): weekly the week's weekday set, monthly the set
// day of the next month, quarterly the set day of the month after the quarter, annual the set
// MM-DD of the next year.
Date ReportDueOn(const Period& period, const PlanReports& settings);

struct DueItem {
    std::string unit_code;
    std::string unit_name;
    PeriodKind kind = PeriodKind::kWeekly;
    std::string period;
    Date due_on;
    std::string state;  // issued / due / overdue
    std::optional<int64_t> issued_id;
    std::optional<std::string> issued_at;
};
// Every report owed (the county, each battle office, each township of the plan; `unit` non-empty
// and not the county: that unit only) for the periods from the plan's start year to the period
// holding `as_of`, each issued (an issued report exists), overdue (due before as_of, not issued) or
// due (not yet due, or due today); newest due date first, at most `limit` items.
// "report.unknown_unit" for an unknown unit.
Result<std::vector<DueItem>> ReportsDue(Store& store, const Plan& plan, const OrgTree& tree, const Date& as_of,
                                        const std::string& unit, int64_t limit = 200);
boost::json::object DueJson(const Date& as_of, const std::vector<DueItem>& items);

}  // namespace jz::service
