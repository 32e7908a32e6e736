#include "service/battle_map.h"

#include <cmath>

#include "core/access.h"
#include "core/assistance.h"
#include "service/as_of.h"
#include "service/reports.h"

namespace jz::service {

namespace json = boost::json;

Result<BattleMap> BuildBattleMap(Store& store, const Plan& plan, const OrgTree& tree, const Date& as_of,
                                 const std::string& unit_code, const Date& ages_on, ProgressReport* whole) {
    BattleMapBuilder builder(plan, tree, as_of, unit_code, ages_on);
    DeliveredBuilder delivered(plan, tree, unit_code, PlanStart(plan), as_of);
    // The county's progress report as BuildProgress makes it (dated ages_on), from the same scans.
    std::optional<ProgressBuilder> county;
    std::optional<DeliveredBuilder> county_delivered;
    if (whole) {
        county.emplace(plan, tree, ages_on);
        county_delivered.emplace(plan, tree, plan.county_code, PlanStart(plan), ages_on);
    }
    HouseholdFilter filter;
    filter.division_prefix = whole ? "" : unit_code;
    filter.facts_only = true;
    auto registry = RegistryAsOf::Load(store, as_of, filter.division_prefix);
    if (!registry) return std::unexpected(registry.error());
    auto scanned = registry->ScanFacts(store, filter, [&](const HouseholdFacts& h) {
        builder.Add(h);
        delivered.AddHousehold(h);
        if (whole) {
            county->Add(h);
            county_delivered->AddHousehold(h);
        }
        return true;
    });
    if (!scanned) return std::unexpected(scanned.error());
    auto items = store.ScanItemFacts(filter.division_prefix, [&](const ItemFacts& f) {
        delivered.AddItem(f);
        if (whole) county_delivered->AddItem(f);
        return true;
    });
    if (!items) return std::unexpected(items.error());
    BattleMap map = builder.Finish();
    AttachDelivered(map, delivered.Finish());
    if (whole) {
        *whole = county->Finish();
        AttachDelivered(*whole, county_delivered->Finish());
    }
    return map;
}

Result<void> RecordRegistryAsOf(Store& store, const Date& day) {
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    auto last = store.LastChangeSeq();
    if (!last) return std::unexpected(last.error());
    if (auto r = store.PutSetting(kRegistryAsOfSetting, day.ToString()); !r) return r;
    if (auto r = store.PutSetting(kRegistryAsOfSeqSetting, std::to_string(*last)); !r) return r;
    return tx->Commit();
}

namespace {
std::optional<Date> BeijingDayOfIso(const std::string& at) {
    auto instant = ParseIsoTime(at);
    if (!instant) return Date::Parse(at.substr(0, 10));
    return Date::BeijingDayOf(*instant);
}
}  // namespace

Result<std::optional<Date>> LastChangeDate(Store& store) {
    auto last = store.LastChangeSeq();
    if (!last) return std::unexpected(last.error());
    if (*last == 0) return std::optional<Date>{};
    auto generated_seq = store.GetSetting(kRegistryAsOfSeqSetting);
    if (!generated_seq) return std::unexpected(generated_seq.error());
    int64_t after = std::max<int64_t>(0, *last - 200);
    if (*generated_seq) after = std::max<int64_t>(after, std::atoll(generated_seq->value().c_str()));
    ChangeLogFilter f;
    f.entity = "household";
    f.after_seq = after;
    f.limit = 200;
    auto entries = store.ChangeLog(f);
    if (!entries) return std::unexpected(entries.error());
    if (!entries->empty()) return BeijingDayOfIso(entries->back().at);
    auto generated = store.GetSetting(kRegistryAsOfSetting);
    if (!generated) return std::unexpected(generated.error());
    if (*generated)
        if (auto d = Date::Parse(**generated)) return std::optional<Date>{*d};
    ChangeLogFilter tail;
    tail.after_seq = *last - 1;
    tail.limit = 1;
    auto entry = store.ChangeLog(tail);
    if (!entry) return std::unexpected(entry.error());
    if (entry->empty()) return std::optional<Date>{};
    return BeijingDayOfIso(entry->back().at);
}

Date DefaultMapDate(const Plan& plan, const Date& today, const std::optional<Date>& last_change) {
    if (today.year >= plan.start_year && today.year <= plan.end_year) return today;
    return last_change.value_or(today);
}

namespace {
json::object UnitJson(const BattleMapUnit& u) {
    json::array years;
    for (const BattleMapYear& y : u.years)
        years.push_back({{"year", y.year},
                         {"task_persons", y.task_persons},
                         {"planned_persons", y.planned_persons},
                         {"exited_persons", y.exited_persons}});
    return {{"code", u.code},
            {"name", u.name},
            {"level", OrgLevelName(u.level)},
            {"target_source", TargetSourceName(u.target_source)},
            {"goal_persons", u.goal_persons},
            {"households", u.households},
            {"persons", u.persons},
            {"exited_persons", u.exited_persons},
            {"task_persons", u.task_persons},
            {"exited_this_year", u.exited_this_year},
            {"remaining_this_year", u.remaining_this_year},
            {"expected_by_now", std::round(u.expected_by_now * 10) / 10},
            {"status", ScheduleStatusName(u.status)},
            {"overdue_households", u.overdue_households},
            {"overdue_persons", u.overdue_persons},
            {"due_households", u.due_households},
            {"due_persons", u.due_persons},
            {"years", std::move(years)}};
}
}  // namespace

json::object BattleMapJson(const BattleMap& m, const SummaryExtras& extras) {
    json::array children, measures, causes, attributes;
    for (const BattleMapUnit& c : m.children) children.push_back(UnitJson(c));
    auto opt = [](const std::optional<int>& v) { return v ? json::value(*v) : json::value(nullptr); };
    for (const BattleMapMeasure& x : m.measures) {
        json::object o{{"number", x.number},
                       {"name", x.name},
                       {"battle", x.battle},
                       {"target_households", opt(x.target_households)},
                       {"target_persons", opt(x.target_persons)},
                       {"households", x.households}};
        PutDelivered(o, x.delivered, x.households);
        measures.push_back(std::move(o));
    }
    for (const BattleMapCount& c : m.causes) causes.push_back({{"code", c.code}, {"households", c.households}});
    for (const BattleMapCount& c : m.attributes)
        attributes.push_back({{"code", c.code}, {"households", c.households}});
    return {{"as_of", m.as_of.ToString()},
            {"date_defaulted", extras.date_defaulted},
            {"last_change_date",
             extras.last_change_date ? json::value(extras.last_change_date->ToString()) : json::value(nullptr)},
            {"year", m.year},
            {"days_left", m.days_left},
            {"elapsed_share", std::round(m.elapsed_share * 10000) / 10000},
            {"amber_share", kAmberShare},
            {"start_year", m.start_year},
            {"end_year", m.end_year},
            {"unit", UnitJson(m.unit)},
            {"children", std::move(children)},
            {"measures", std::move(measures)},
            {"causes", std::move(causes)},
            {"attributes", std::move(attributes)},
            {"reconcile_findings", extras.reconcile_findings}};
}

}  // namespace jz::service
