// The periodic reports (周专报、月报告、季小结、年总结) of an org unit or a battle office for a period,
// built as a Document (core/document.h) that io renders as .xlsx or PDF and the API returns as JSON
// (docs/reports.md). Every registry figure comes from the battle map of the unit on a date
// (service BuildBattleMap; a battle office: the county's households through that battle's measures),
// so a report's totals are the battle map's for the same unit and date.
// Stateless: each call uses the Store passed in for the call only.
#pragma once

#include <string>
#include <vector>

#include "core/battle_map.h"
#include "core/date.h"
#include "core/document.h"
#include "core/org_unit.h"
#include "core/period.h"
#include "core/plan.h"
#include "store/store.h"

namespace jz::service {

// The unit a report is for: an org unit of the tree, or a battle office (its battle's id).
struct ReportUnit {
    std::string code;    // org-unit code, or the battle id
    std::string name;    // 察隅县 / 产业发展脱贫攻坚战
    std::string battle;  // non-empty: a battle office (its households: the county's through its measures)
    std::string scope;   // the division prefix of its households (a battle's: the county)
    OrgLevel level = OrgLevel::kCounty;  // a battle office counts as the county
};
// An org-unit code (county 6 digits, township 9, village 12) or a battle id; "report.unknown_unit"
// (field "unit") otherwise.
Result<ReportUnit> ResolveReportUnit(const Plan& plan, const OrgTree& tree, const std::string& unit);

// The report of `kind` for `unit` and `period` ("2017-W27", "2017-07", "2017-Q3", "2017"), figures
// as of min(the period's end, today). Errors: period.kind / period.format (field "period"),
// report.unknown_unit, report.future_period (the period starts after today).
Result<Document> BuildPeriodicReport(Store& store, const Plan& plan, const OrgTree& tree, PeriodKind kind,
                                     const std::string& unit, const std::string& period, const Date& today);

// The battle map of a report's unit on `on` (an org unit: BuildBattleMap; a battle office: the
// county's households with one of the battle's measures, and only its measures).
Result<BattleMap> ReportUnitMap(Store& store, const Plan& plan, const OrgTree& tree, const ReportUnit& unit,
                                const Date& on);

// The same on several dates from one scan of the households' facts and one of the items' facts
// (one map per date, in order).
Result<std::vector<BattleMap>> ReportUnitMaps(Store& store, const Plan& plan, const OrgTree& tree,
                                              const ReportUnit& unit, const std::vector<Date>& dates);

// Chinese names of the kinds (周专报 / 月报告 / 季小结 / 年总结).
std::string_view ReportKindNameZh(PeriodKind kind);

}  // namespace jz::service
