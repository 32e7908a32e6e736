// The battle map's summary for one org unit and date (GET /api/reports/summary): the core's
// BattleMap (core/battle_map.h) from one pass over the unit's households, as the JSON the workbench
// reads, with the count of the plan's own inconsistencies and the registry's last change date (the
// map's default date when today is outside the plan's period). Stateless: each call uses the
// Store passed in for the call only.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>

#include "core/battle_map.h"
#include "core/date.h"
#include "core/org_unit.h"
#include "core/plan.h"
#include "store/store.h"

namespace jz::service {

// The settings `jingzhun demo` writes: the day its synthetic registry describes, and the change
// log's last sequence number after it was imported.
inline constexpr const char* kRegistryAsOfSetting = "registry_as_of";
inline constexpr const char* kRegistryAsOfSeqSetting = "registry_as_of_seq";
// Records them (in its own transaction): `day` and the change log's current last sequence number.
Result<void> RecordRegistryAsOf(Store& store, const Date& day);

// The battle map of `unit_code` (the county, a township or a village) on `as_of`, with the measures
// delivered under the unit from the plan's start to `as_of` attached (core AttachDelivered): one
// scan of the households' facts and one of the items' facts.
// `whole`, when given, receives the county's progress report dated `ages_on` (as BuildProgress
// makes it, delivered figures attached) from the same two scans, which then cover the whole
// registry: the county's map and the report the reconciliation count needs at once.
Result<BattleMap> BuildBattleMap(Store& store, const Plan& plan, const OrgTree& tree, const Date& as_of,
                                 const std::string& unit_code, const Date& ages_on,
                                 ProgressReport* whole = nullptr);

// The registry's last change date: the Beijing day of the last household change in the change log
// (the last 200 entries are looked at); with none there, the day a generated registry describes
// (registry_as_of, written by `jingzhun demo`); else the day of the change log's last entry;
// nullopt for an empty log.
Result<std::optional<Date>> LastChangeDate(Store& store);

// The map's date when none is asked for: today while today is inside the plan's period, else the
// registry's last change date (else today).
Date DefaultMapDate(const Plan& plan, const Date& today, const std::optional<Date>& last_change);

struct SummaryExtras {
    int64_t reconcile_findings = 0;  // the plan's own and the unit's registry inconsistencies
    std::optional<Date> last_change_date;
    bool date_defaulted = false;  // the date was chosen by DefaultMapDate
};
boost::json::object BattleMapJson(const BattleMap& map, const SummaryExtras& extras);

}  // namespace jz::service
