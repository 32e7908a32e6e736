// Household routes: the list and its search, one household, creating and editing one (the
// importer's rules, optimistic concurrency by version), its change history and its cases.
#include <boost/json.hpp>

#include "core/layout.h"
#include "server/api_state.h"
#include "server/handlers.h"
#include "service/households.h"

namespace jz::server::routes {
namespace {

namespace json = boost::json;

constexpr size_t kSearchLimit = 1000;  // free-text matches (within the list's filters) considered

// One row of the household list.
json::object ListItemJson(const HouseholdRecord& record, const OrgTree& tree, bool mask) {
    const Household& hh = record.household;
    const Person* head = hh.head();
    const OrgUnit* village = tree.Find(hh.division_code);
    auto opt = [](const std::optional<int>& v) { return v ? json::value(*v) : json::value(nullptr); };
    json::array aux(hh.aux_measures.begin(), hh.aux_measures.end());
    return {
        {"household_code", hh.household_code},
        {"division_code", hh.division_code},
        {"division_name", village ? village->name() : std::string()},
        {"head_name", head ? head->name : std::string()},
        {"head_id_number", head ? (mask ? MaskIdNumber(head->id_number) : head->id_number) : std::string()},
        {"persons", hh.members.size()},
        {"attribute", hh.attribute},
        {"main_cause", hh.main_cause},
        {"status", hh.status},
        {"identified_year", hh.identified_year},
        {"planned_exit_year", opt(hh.planned_exit_year)},
        {"exit_year", opt(hh.exit_year)},
        {"main_measure", opt(hh.main_measure)},
        {"aux_measures", std::move(aux)},
        {"net_income_per_head",
         hh.net_income_per_head ? json::value(FormatCenti(*hh.net_income_per_head)) : json::value(nullptr)},
        {"version", record.version}};
}

Response TooManySearches(const RequestContext& c, std::chrono::seconds wait) {
    const std::string n = std::to_string(std::max<int64_t>(1, wait.count()));
    return TooMany(c, wait, "search.rate_limited", "搜索过于频繁,请" + n + "秒后再试",
                   "too many searches; try again in " + n + " s");
}

Response HouseholdReply(const RequestContext& c, http::status status, const Household& h, int64_t version,
                        bool mask, const std::vector<Error>& warnings = {}) {
    std::string body = HouseholdBody(h, version, mask);
    if (!warnings.empty()) {
        body.pop_back();
        body += ",\"warnings\":" + json::serialize(FieldsJson(warnings)) + "}";
    }
    http::response<http::string_body> res{status, c.request.version()};
    res.set(http::field::content_type, "application/json; charset=utf-8");
    res.set(http::field::etag, ETagOf(version));
    res.set(http::field::cache_control, "no-store");
    if (status == http::status::created)
        res.set(http::field::location, "/api/households/" + h.household_code);
    res.keep_alive(c.request.keep_alive());
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

// Parses and accepts a household body; `code` fills or must equal its household_code.
std::optional<service::AcceptedHousehold> AcceptBody(const ApiState& s, const RequestContext& c,
                                                     const Principal& p, Store& store,
                                                     const std::string& code,
                                                     std::optional<Response>& error) {
    std::vector<Error> errors;
    json::value body = ParseJson(c.request.body(), errors);
    return s.AcceptHousehold(c, p, store, code, std::move(body), std::move(errors), error);
}

Response Stale(const RequestContext& c) {
    return Fault(c, http::status::precondition_failed, "household.stale",
                 "自您打开以来,此户已被他人修改,请重新载入",
                 "someone changed this household since you opened it; reload it");
}

}  // namespace

Response ListHouseholds(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::vector<Error> errors;
    std::optional<Response> error;
    IndexQuery q = s.ListFilters(c, p, errors, error);
    if (error) return std::move(*error);
    const int64_t page = IntParam(c, "page", errors, 1, 1'000'000'000).value_or(1);
    const int64_t page_size = IntParam(c, "page_size", errors, 1, kMaxPageSize).value_or(20);
    if (!errors.empty()) return Invalid(c, errors, true);
    q.offset = (page - 1) * page_size;
    q.limit = page_size;
    if (auto r = s.upkeep.Refresh(store); !r) return StoreFault(c, r.error());
    const bool mask = MasksPersonalData(p.role);
    IndexPage result;
    if (auto text = c.query.find("q"); text != c.query.end() && !TrimCell(text->second).empty()) {
        if (auto wait = s.searches.Take(c)) return TooManySearches(c, *wait);
        // A masked user matches an ID number only whole (never a prefix: finding 2).
        const auto match = mask ? SearchIndex::Match::kExactOnly : SearchIndex::Match::kFull;
        result = s.upkeep.Search(TrimCell(text->second), match, kSearchLimit, q);
    } else {
        result = s.upkeep.Query(q);
    }
    json::array items;
    for (const std::string& code : result.codes) {
        auto h = store.FindHousehold(code);
        if (!h) return StoreFault(c, h.error());
        if (*h) items.push_back(ListItemJson(**h, s.tree, mask));  // (else removed since the index saw it)
    }
    return Json(
        c, http::status::ok,
        json::object{
            {"items", std::move(items)}, {"total", result.total}, {"page", page}, {"page_size", page_size}});
}

Response GetHousehold(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::optional<Response> error;
    auto h = s.Visible(c, p, store, error);
    if (!h) return std::move(*error);
    if (c.request[http::field::if_none_match] == ETagOf(h->version)) {
        http::response<http::empty_body> res{http::status::not_modified, c.request.version()};
        res.set(http::field::etag, ETagOf(h->version));
        res.keep_alive(c.request.keep_alive());
        return res;
    }
    return HouseholdReply(c, http::status::ok, h->household, h->version, MasksPersonalData(p.role));
}

Response CreateHousehold(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CanWriteHouseholds(p.role)) return Forbidden(c);
    std::optional<Response> error;
    auto accepted = AcceptBody(s, c, p, store, "", error);
    if (!accepted) return std::move(*error);
    const Household& h = accepted->household;
    if (auto r = service::CreateHousehold(store, h, s.Change(p)); !r) {
        if (r.error().code == "household.exists")
            return Fault(
                c, http::status::conflict, r.error().code, r.error().message_zh, r.error().message_en,
                {{.code = "household.exists", .field = "household_code", .message_zh = "户编号已存在", .message_en = "the household code exists"}});
        return StoreFault(c, r.error());
    }
    s.upkeep.Indexed(h);
    return HouseholdReply(c, http::status::created, h, 1, MasksPersonalData(p.role), accepted->warnings);
}

Response UpdateHousehold(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CanWriteHouseholds(p.role)) return Forbidden(c);
    std::optional<Response> error;
    auto before = s.Visible(c, p, store, error);
    if (!before) return std::move(*error);
    const IfMatch if_match = CheckIfMatch(c, before->version);
    if (if_match == IfMatch::kMissing)
        return Fault(c, http::status::precondition_required, "household.if_match",
                     "请带上 If-Match(打开时的版本)", "send If-Match with the version you opened");
    if (if_match == IfMatch::kStale) return Stale(c);
    auto accepted = AcceptBody(s, c, p, store, before->household.household_code, error);
    if (!accepted) return std::move(*error);
    const Household& h = accepted->household;
    auto version = service::UpdateHousehold(store, *before, h, s.Change(p));
    if (!version) return version.error().code == "store.conflict" ? Stale(c) : StoreFault(c, version.error());
    if (*version != before->version) s.upkeep.Indexed(h);
    return HouseholdReply(c, http::status::ok, h, *version, MasksPersonalData(p.role), accepted->warnings);
}

Response History(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (MasksPersonalData(p.role)) return Forbidden(c);
    std::optional<Response> error;
    auto h = s.Visible(c, p, store, error);
    if (!h) return std::move(*error);
    ChangeLogFilter f;
    f.entity = "household";
    f.entity_key = h->household.household_code;
    f.limit = 1000;
    auto entries = store.ChangeLog(f);
    if (!entries) return StoreFault(c, entries.error());
    json::array items;
    for (const ChangeLogEntry& e : *entries) items.push_back(EntryJson(e));
    return Json(c, http::status::ok, json::object{{"items", std::move(items)}});
}

Response Timeline(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    const std::string& code = c.params.at("code");
    service::Dynamic dynamic(store, s.plan, s.tree);
    auto cases = dynamic.Timeline(code);
    if (!cases) return StoreFault(c, cases.error());
    // A deregistered household has left the registry; its cases still say where it was.
    auto h = store.FindHousehold(code);
    if (!h) return StoreFault(c, h.error());
    const std::string division =
        *h ? (*h)->household.division_code : (cases->empty() ? std::string() : cases->front().division_code);
    if (division.empty() || !InScope(p.scope, division))
        return NotFound(c, "户 " + code, "household " + code);
    json::array items;
    for (const ProcedureCase& pc : *cases) {
        auto reply = s.CaseReply(store, pc, MasksPersonalData(p.role));
        if (!reply) return StoreFault(c, reply.error());
        items.push_back(std::move(*reply));
    }
    return Json(c, http::status::ok, json::object{{"household_code", code}, {"cases", std::move(items)}});
}

}  // namespace jz::server::routes
