// Report routes: the battle map's progress, the data-quality check, the reconciliation, poverty
// incidence, exit candidates, and the reference data pages need (the plan, org units, code tables),
// and the audit trail. The figures come from src/service/ (reports.h, dynamic.h), the same
// functions the CLI prints; the server keeps built reports while no household changes
// (kept_reports.h).
#include <boost/json.hpp>

#include "core/codes.h"
#include "server/api_state.h"
#include "server/catalog_json.h"
#include "server/handlers.h"
#include "service/battle_map.h"
#include "service/reports.h"

namespace jz::server::routes {
namespace {

namespace json = boost::json;

// The audit trail's filters: household, entity and key, user, since (a date or a time), after, limit.
ChangeLogFilter AuditFilter(const RequestContext& c, std::vector<Error>& errors) {
    ChangeLogFilter f;
    if (auto it = c.query.find("household"); it != c.query.end() && !it->second.empty()) {
        f.entity = "household";
        f.entity_key = it->second;
    }
    // Any entity (procedure_case, evaluation, population, adjustment, account...) and key.
    if (auto it = c.query.find("entity"); it != c.query.end() && !it->second.empty()) f.entity = it->second;
    if (auto it = c.query.find("key"); it != c.query.end() && !it->second.empty()) f.entity_key = it->second;
    if (auto it = c.query.find("user"); it != c.query.end() && !it->second.empty()) f.actor = it->second;
    if (auto it = c.query.find("since"); it != c.query.end() && !it->second.empty()) {
        if (Date::Parse(it->second))
            f.since = it->second;
        else if (ParseIsoTime(it->second))
            f.since = it->second;
        else
            errors.push_back({.code = "query.since", .field = "since", .message_zh = "since 应为日期或时间(2026-11-29 或 2026-11-29T08:00:00Z)", .message_en = "since must be a date or time (2026-11-29 or 2026-11-29T08:00:00Z)"});
    }
    f.after_seq = IntParam(c, "after", errors, 0, INT64_MAX);
    f.limit = IntParam(c, "limit", errors, 1, 1000).value_or(100);
    return f;
}

// ?year=, offset, limit, which (candidates | not_ready), as_of of the exit-candidates list.
struct CandidatesQuery {
    std::optional<int> year;
    int64_t offset = 0, limit = 50;
    std::string which = "candidates";
    std::optional<Date> on;
};

CandidatesQuery ReadCandidatesQuery(const RequestContext& c, std::vector<Error>& errors) {
    CandidatesQuery q;
    q.year = YearQuery(c, errors, true);
    q.offset = IntParam(c, "offset", errors, 0, INT64_MAX).value_or(0);
    q.limit = IntParam(c, "limit", errors, 1, 1000).value_or(50);
    if (auto it = c.query.find("which"); it != c.query.end() && !it->second.empty()) q.which = it->second;
    if (q.which != "candidates" && q.which != "not_ready")
        errors.push_back({.code = "query.which", .field = "which", .message_zh = "which应为candidates或not_ready", .message_en = "which must be candidates or not_ready"});
    if (auto it = c.query.find("as_of"); it != c.query.end() && !it->second.empty()) {
        q.on = Date::Parse(it->second);
        if (!q.on)
            errors.push_back({.code = "query.as_of", .field = "as_of", .message_zh = "应为日期 YYYY-MM-DD", .message_en = "must be a date YYYY-MM-DD"});
    }
    return q;
}

}  // namespace

Response ExitCandidates(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::vector<Error> errors;
    const CandidatesQuery q = ReadCandidatesQuery(c, errors);
    if (!errors.empty()) return BadFields(c, errors);
    std::optional<Response> error;
    auto division = s.DivisionParam(c, p, error);
    if (!division) return std::move(*error);
    const std::string prefix = s.PrefixOf(*division);
    // A masked user's ages are on a year's last day: a day by day as_of would find the day a
    // child out of school turned seven (the dropout condition), i.e. the birth date.
    const Date day = AgeDayFor(p.role, q.on.value_or(Date{*q.year, 12, 31}));
    if (auto fresh = s.upkeep.Refresh(store); !fresh) return StoreFault(c, fresh.error());  // other writers
    auto r = s.candidates.Get(std::to_string(*q.year) + "/" + day.ToString() + "/" + prefix,
                              s.upkeep.generation(), [&] {
                                  service::Dynamic dynamic(store, s.plan, s.tree);
                                  return dynamic.ExitCandidates(*q.year, day, prefix, s.config.check_parts);
                              });
    if (!r) return DynamicFault(c, r.error());
    auto page =
        service::ExitCandidatesPageJson(store, **r, s.tree, q.which == "not_ready", q.offset, q.limit);
    if (!page) return StoreFault(c, page.error());
    return Json(c, http::status::ok, *page);
}

Response Progress(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::optional<Response> error;
    auto as_of = s.AsOfParam(c, error);
    if (error) return std::move(*error);
    auto report = s.KeptProgress(store, AgeDayFor(p.role, *as_of), s.ScopeFilter(p));
    if (!report) return StoreFault(c, report.error());
    return Json(c, http::status::ok, WithChainHead(store, service::ProgressJson(**report)));
}

// The battle map's first screen for one org unit (?unit=, default the caller's scope) on one date
// (?as_of=, default today inside the plan's period, else the registry's last change date): one
// request per view (service/battle_map.h), kept while no household changes.
Response Summary(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::string unit = p.scope;
    if (auto it = c.query.find("unit"); it != c.query.end() && !it->second.empty()) {
        if (!s.tree.Find(it->second))
            return Fault(c, http::status::bad_request, "query.unit", "未知的行政区划代码: " + it->second,
                         "unknown org unit code: " + it->second,
                         {{.code = "query.unit", .field = "unit", .message_zh = "未知的行政区划代码", .message_en = "unknown org unit code"}});
        if (!InScope(p.scope, it->second)) return NotFound(c, "行政区划 " + it->second, "org unit " + it->second);
        unit = it->second;
    }
    std::optional<Date> as_of;
    if (auto it = c.query.find("as_of"); it != c.query.end() && !it->second.empty()) {
        as_of = Date::Parse(it->second);
        if (!as_of)
            return Fault(c, http::status::bad_request, "query.as_of", "as_of 应为日期 YYYY-MM-DD",
                         "as_of must be a date YYYY-MM-DD",
                         {{.code = "query.as_of", .field = "as_of", .message_zh = "应为日期 YYYY-MM-DD", .message_en = "must be a date YYYY-MM-DD"}});
    }
    if (auto fresh = s.upkeep.Refresh(store); !fresh) return StoreFault(c, fresh.error());  // other writers
    const uint64_t generation = s.upkeep.generation();
    // The registry's last change date, kept while no household changes.
    auto last_change = s.last_change.Get("", generation, [&] { return service::LastChangeDate(store); });
    if (!last_change) return StoreFault(c, last_change.error());
    service::SummaryExtras extras{.last_change_date = **last_change, .date_defaulted = !as_of};
    if (!as_of) as_of = service::DefaultMapDate(s.plan, s.Today(), **last_change);
    const Date ages_on = AgeDayFor(p.role, *as_of);
    auto map = s.summaries.Get(as_of->ToString() + "|" + ages_on.ToString() + "|" + unit, generation, [&] {
        if (unit != s.tree.root_code())
            return service::BuildBattleMap(store, s.plan, s.tree, *as_of, unit, ages_on);
        // The county's map and the county's progress report (for the reconciliation) in one scan.
        ProgressReport whole;
        auto built = service::BuildBattleMap(store, s.plan, s.tree, *as_of, unit, ages_on, &whole);
        if (built)
            (void)s.progress.Get(ages_on.ToString() + "|", generation,
                                 [&]() -> Result<ProgressReport> { return std::move(whole); });
        return built;
    });
    if (!map) return StoreFault(c, map.error());
    // The plan's own inconsistencies and the unit's registry ones, as /api/reconcile counts them.
    // A township's or village's findings need only its township's report (a small scan, kept).
    const std::string township = s.PrefixOf(unit).substr(0, 9);
    auto report = s.KeptProgress(store, ages_on, township);
    if (!report) return StoreFault(c, report.error());
    extras.reconcile_findings =
        static_cast<int64_t>(service::ReconcileReport(s.plan, **report, s.PrefixOf(unit)).size());
    return Json(c, http::status::ok, WithChainHead(store, service::BattleMapJson(**map, extras)));
}

Response Check(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CanRunChecks(p.role)) return Forbidden(c);
    std::optional<Response> error;
    auto as_of = s.AsOfParam(c, error);
    if (error) return std::move(*error);
    auto division = s.DivisionParam(c, p, error);
    if (error) return std::move(*error);
    CheckOptions options{*as_of, {}};
    auto findings = service::RunChecks(store, s.plan, options, *division, s.config.check_parts);
    if (!findings) return StoreFault(c, findings.error());
    return Json(c, http::status::ok,
                WithChainHead(store, service::CheckJson(*as_of, *findings, MasksPersonalData(p.role))));
}

Response Reconcile(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::optional<Response> error;
    auto as_of = s.AsOfParam(c, error);
    if (error) return std::move(*error);
    const Date day = AgeDayFor(p.role, *as_of);
    auto whole = s.KeptProgress(store, day, "");
    if (!whole) return StoreFault(c, whole.error());
    const auto findings = service::ReconcileReport(s.plan, **whole, s.ScopeFilter(p));
    return Json(c, http::status::ok, WithChainHead(store, service::ReconcileJson(day, findings)));
}

Response Incidence(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::vector<Error> errors;
    const auto year = YearQuery(c, errors, true);
    if (!errors.empty()) return BadFields(c, errors);
    auto kept = s.KeptIncidence(store, *year);
    if (!kept) return StoreFault(c, kept.error());
    return Json(c, http::status::ok,
                service::IncidenceJson(service::IncidenceWithin(**kept, s.ScopeFilter(p))));
}

Response PlanRoute(ApiState& s, RequestContext& c, const Principal&, Store&) {
    return Json(c, http::status::ok, service::PlanJson(s.plan));
}

Response OrgUnits(ApiState& s, RequestContext& c, const Principal& p, Store&) {
    auto it = c.query.find("parent");
    std::vector<const OrgUnit*> units;
    if (it == c.query.end() || it->second.empty()) {
        if (const OrgUnit* u = s.tree.Find(p.scope)) units.push_back(u);
    } else {
        const std::string& parent = it->second;
        // A parent above the scope shows only the branch that leads to it.
        if (!s.tree.Find(parent) || !service::Overlaps(p.scope, parent))
            return NotFound(c, "行政区划 " + parent, "org unit " + parent);
        for (const OrgUnit* u : s.tree.Children(parent))
            if (service::Overlaps(p.scope, u->code)) units.push_back(u);
    }
    json::array items;
    for (const OrgUnit* u : units)
        items.push_back({{"code", u->code},
                         {"parent", u->parent_code},
                         {"level", OrgLevelName(u->level)},
                         {"name", u->name()},
                         {"has_children", !s.tree.Children(u->code).empty()}});
    return Json(c, http::status::ok, json::object{{"items", std::move(items)}});
}

Response Codes(ApiState&, RequestContext& c, const Principal& p, Store&) {
    return Json(c, http::status::ok, CodeCatalogJson(p.role, p.scope));
}

Response Audit(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CanReadAudit(p.role)) return Forbidden(c);
    std::vector<Error> errors;
    ChangeLogFilter f = AuditFilter(c, errors);
    if (!errors.empty()) return Invalid(c, errors, true);
    f.division_prefix = s.ScopeFilter(p);
    auto entries = store.ChangeLog(f);
    if (!entries) return StoreFault(c, entries.error());
    json::array items;
    for (const ChangeLogEntry& e : *entries) items.push_back(EntryJson(e));
    json::value next = entries->empty() ? json::value(nullptr) : json::value(entries->back().seq);
    return Json(c, http::status::ok, json::object{{"items", std::move(items)}, {"next_after", next}});
}

}  // namespace jz::server::routes
