// Pairing's routes (结对帮扶, issue 15): cadres with their load against quota, a household's pairing
// cadre and its history, the assignment proposal and its apply, village work teams and their days
// on post, the overdue visits, and households' recorded places. The operations are
// service/pairing.h, the same the CLI runs; the handlers read the request, check the role (writes:
// CanWriteHouseholds) and the scope (a township's officer manages its own township's households'
// pairings and teams; cadres are read county-wide), call, and answer — masked for the roles that
// may not see ID numbers and phones (a cadre's like a person's, and ID numbers typed into reasons).
// Visits themselves (record, list, photo, the field kit) are routes_visits.cc.
#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cstdlib>

#include "core/access.h"
#include "server/api_state.h"
#include "server/handlers.h"
#include "service/pairing.h"

namespace jz::server::routes {
namespace {

namespace json = boost::json;

constexpr int64_t kMaxListLimit = 1000;

// Keys whose text may quote an ID number (reasons and notes typed in).
constexpr std::string_view kFreeText[] = {"reason", "end_reason", "discussed", "done", "unit"};

// An answer as a masked user sees it: every `id_number` to its address code, every `phone`
// masked, ID numbers typed into free text starred — wherever they sit in the answer, so no other
// part of it (a cadre inside a history, a team member, a proposal's names) rebuilds them.
void MaskPairingJson(json::value& v) {
    if (v.is_array()) {
        for (json::value& x : v.get_array()) MaskPairingJson(x);
        return;
    }
    if (!v.is_object()) return;
    json::object& o = v.get_object();
    for (auto& [key, x] : o) {
        if (x.is_string()) {
            const std::string_view text = x.get_string();
            if (text.empty()) continue;
            if (key == "id_number" || key == "cadre_id_number" || key == "head_id_number")
                x = MaskIdNumber(text);
            else if (key == "phone" || key == "cadre_phone")
                x = MaskPhone(text);
            else if (key == "birth_date" && text.size() >= 4)
                x = std::string(text.substr(0, 4));
            else if (std::ranges::find(kFreeText, std::string_view(key)) != std::end(kFreeText))
                x = MaskIdNumbersInText(text);
        } else if (x.is_structured()) {
            MaskPairingJson(x);
        }
    }
}

Response Answer(const RequestContext& c, const Principal& p, http::status status, json::value v) {
    if (MasksPersonalData(p.role)) MaskPairingJson(v);
    return Json(c, status, v);
}

// A JSON answer with the record's version as its ETag (and a Location for a new record).
Response Tagged(const RequestContext& c, const Principal& p, http::status status, json::value v,
                int64_t version, const std::string& location = {}) {
    if (MasksPersonalData(p.role)) MaskPairingJson(v);
    http::response<http::string_body> res{status, c.request.version()};
    res.set(http::field::content_type, "application/json; charset=utf-8");
    res.set(http::field::cache_control, "no-store");
    res.set(http::field::etag, ETagOf(version));
    if (!location.empty()) res.set(http::field::location, location);
    res.keep_alive(c.request.keep_alive());
    res.body() = json::serialize(v);
    res.prepare_payload();
    return res;
}

// What a failed pairing operation means to the client.
Response PairingFault(const RequestContext& c, const Error& e) {
    if (e.code == "store.conflict")
        return Fault(c, http::status::precondition_failed, "cadre.stale", "自您打开以来,此记录已被他人修改,请重新载入",
                     "someone changed this record since you opened it; reload it");
    if (e.code == "pairing.not_found") return FaultOf(c, http::status::conflict, e);  // (no current pairing)
    if (e.code.ends_with(".not_found") || e.code == "not_found") return FaultOf(c, http::status::not_found, e);
    if (e.code == "household.deregistered" || e.code == "household.exited" || e.code == "pairing.same_cadre" ||
        e.code == "pairing.over_quota" || e.code == "pairing.proposal_stale" || e.code == "pairing.current_exists" ||
        e.code == "pairing.ended" || e.code == "team.first_secretary_exists" || e.code == "store.duplicate" ||
        e.code == "cadre.inactive" || e.code == "store.deregistered")
        return FaultOf(c, http::status::conflict, e);
    if (e.code.starts_with("store.")) return StoreFault(c, e);
    return FaultOf(c, http::status::bad_request, e);
}

Error FieldError(std::string code, std::string field, std::string zh, std::string en) {
    return {.code = std::move(code), .field = std::move(field), .message_zh = std::move(zh), .message_en = std::move(en)};
}

std::optional<Date> DateQuery(const RequestContext& c, const std::string& name, std::vector<Error>& errors) {
    auto it = c.query.find(name);
    if (it == c.query.end() || it->second.empty()) return std::nullopt;
    auto d = Date::Parse(it->second);
    if (!d)
        errors.push_back(FieldError("query.date", name, name + "应为日期 YYYY-MM-DD", name + " must be a date YYYY-MM-DD"));
    return d;
}

// ?unit= (default the caller's scope), which must be an org unit in scope.
std::optional<std::string> UnitParam(const ApiState& s, const RequestContext& c, const Principal& p,
                                     std::optional<Response>& error) {
    std::string unit = p.scope;
    if (auto it = c.query.find("unit"); it != c.query.end() && !it->second.empty()) {
        if (!s.tree.Find(it->second)) {
            error.emplace(Fault(c, http::status::bad_request, "query.unit", "未知的行政区划代码: " + it->second,
                                "unknown org unit code: " + it->second,
                                {FieldError("query.unit", "unit", "未知的行政区划代码", "unknown org unit code")}));
            return std::nullopt;
        }
        if (!InScope(p.scope, it->second)) {
            error.emplace(NotFound(c, "行政区划 " + it->second, "org unit " + it->second));
            return std::nullopt;
        }
        unit = it->second;
    }
    return unit;
}

// ?unit= and ?on= (default today) of the pairing's lists.
struct UnitOn {
    std::string unit;
    Date on;
};
std::optional<UnitOn> UnitOnParams(const ApiState& s, const RequestContext& c, const Principal& p,
                                   std::optional<Response>& error) {
    std::vector<Error> errors;
    auto on = DateQuery(c, "on", errors);
    if (!errors.empty()) {
        error.emplace(Invalid(c, errors, true));
        return std::nullopt;
    }
    auto unit = UnitParam(s, c, p, error);
    if (!unit) return std::nullopt;
    return UnitOn{*unit, on.value_or(s.Today())};
}

// The body's `version` or else If-Match. nullopt when neither is sent.
std::optional<int64_t> VersionOf(const RequestContext& c, const json::object& body, std::vector<Error>& errors) {
    if (const json::value* v = body.if_contains("version"); v && !v->is_null()) {
        if (v->is_int64() && v->get_int64() >= 0) return v->get_int64();
        errors.push_back(FieldError("json.type", "version", "version应为非负整数", "version must be a non-negative integer"));
        return std::nullopt;
    }
    std::string tag(c.request[http::field::if_match]);
    if (tag.empty()) return std::nullopt;
    if (tag.starts_with("W/")) tag.erase(0, 2);
    if (tag.size() >= 2 && tag.front() == '"' && tag.back() == '"') tag = tag.substr(1, tag.size() - 2);
    int64_t n = 0;
    auto [ptr, ec] = std::from_chars(tag.data(), tag.data() + tag.size(), n);
    if (ec != std::errc() || ptr != tag.data() + tag.size() || n < 0) {
        errors.push_back(FieldError("header.if_match", "If-Match", "If-Match应为版本号", "If-Match must be a version"));
        return std::nullopt;
    }
    return n;
}

// --- cadres ------------------------------------------------------------------------------------

json::object CadreView(const ApiState& s, const CadreRecord& record, int quota, int64_t load) {
    json::object o = json::parse(CadreToJson(record.cadre)).as_object();
    o["version"] = record.version;
    o["quota"] = quota;
    o["load"] = load;
    const OrgUnit* township = record.cadre.township_code.empty() ? nullptr : s.tree.Find(record.cadre.township_code);
    o["township_name"] = township ? township->name() : "";
    return o;
}

// A cadre from a body's fields (every problem naming its field); the meta keys a client read
// (id, version, quota, load, township_name, division_code) may be sent back and are ignored.
std::optional<Cadre> ReadCadre(const RequestContext& c, BodyReader& body) {
    Cadre cadre;
    auto name = body.Text("name", true);
    auto id_number = body.Text("id_number", false);
    auto unit = body.Text("unit", false);
    auto rank = body.Int("rank", true, 0, 99);
    auto phone = body.Text("phone", false);
    auto township = body.Text("township_code", false);
    auto from = body.DateField("active_from", false);
    auto to = body.DateField("active_to", false);
    if (!body.errors.empty()) return std::nullopt;
    (void)c;
    cadre.name = name.value_or("");
    cadre.id_number = id_number.value_or("");
    std::ranges::transform(cadre.id_number, cadre.id_number.begin(), [](char ch) { return ch == 'x' ? 'X' : ch; });
    cadre.unit = unit.value_or("");
    cadre.rank = static_cast<int>(rank.value_or(kRankUnknown));
    cadre.phone = phone.value_or("");
    cadre.township_code = township.value_or("");
    cadre.active_from = from;
    cadre.active_to = to;
    return cadre;
}

#define JZ_CADRE_KEYS                                                                                      \
    "name", "id_number", "unit", "rank", "phone", "township_code", "active_from", "active_to", "id", "version", \
        "quota", "load", "township_name", "division_code"

// The cadre's scope: its township, or the county for a county-wide cadre.
std::string CadreDivision(const ApiState& s, const Cadre& cadre) {
    return cadre.township_code.empty() ? std::string(s.tree.root_code()) : cadre.township_code;
}

std::optional<CadreRecord> FindCadreParam(const RequestContext& c, Store& store, std::optional<Response>& error) {
    const auto id = IdParam(c, "id");
    if (!id) {
        error.emplace(NotFound(c, "干部 " + c.params.at("id"), "cadre " + c.params.at("id")));
        return std::nullopt;
    }
    auto found = store.FindCadre(*id);
    if (!found) {
        error.emplace(StoreFault(c, found.error()));
        return std::nullopt;
    }
    if (!*found) {
        error.emplace(NotFound(c, "干部 " + c.params.at("id"), "cadre " + c.params.at("id")));
        return std::nullopt;
    }
    return std::move(**found);
}

// A cadre's load: its current pairings.
Result<std::vector<Pairing>> CurrentOf(Store& store, int64_t cadre_id) {
    PairingFilter f;
    f.cadre_id = cadre_id;
    f.current_only = true;
    f.limit = 100000;
    return store.ListPairings(f);
}

// The household {code}'s recorded state after a pairing change, for the list's index.
void Reindex(ApiState& s, Store& store, const std::string& code) {
    if (auto h = store.FindHousehold(code); h && *h) s.upkeep.Indexed((*h)->household);
    s.upkeep.LedgerChanged();
}

// --- places ------------------------------------------------------------------------------------

json::object PlaceView(const HouseholdPlace& place) {
    auto degrees = [](int32_t e6) {
        const int64_t a = std::abs(static_cast<int64_t>(e6));
        std::string frac = std::to_string(a % 1000000);
        frac.insert(0, 6 - frac.size(), '0');
        return (e6 < 0 ? "-" : "") + std::to_string(a / 1000000) + "." + frac;
    };
    return {{"household_code", place.household_code},
            {"division_code", place.division_code},
            {"lat", degrees(place.place.lat_e6)},
            {"lon", degrees(place.place.lon_e6)},
            {"accuracy_m", place.place.accuracy_m},
            {"recorded_on", place.recorded_on.ToString()},
            {"source", place.source}};
}

// "YYYY-MM" as year and month.
std::optional<std::pair<int, int>> MonthPath(const std::string& text) {
    if (text.size() != 7 || text[4] != '-') return std::nullopt;
    int year = 0, month = 0;
    auto [p1, e1] = std::from_chars(text.data(), text.data() + 4, year);
    auto [p2, e2] = std::from_chars(text.data() + 5, text.data() + 7, month);
    if (e1 != std::errc() || e2 != std::errc() || p1 != text.data() + 4 || p2 != text.data() + 7) return std::nullopt;
    if (year < 1900 || year > 2100 || month < 1 || month > 12) return std::nullopt;
    return std::pair{year, month};
}

// The team member {id} when its village is in the caller's scope; 404 otherwise.
std::optional<TeamMember> VisibleMember(const RequestContext& c, const Principal& p, Store& store,
                                        std::optional<Response>& error) {
    const auto id = IdParam(c, "id");
    std::optional<TeamMember> member;
    if (id) {
        auto found = store.FindTeamMember(*id);
        if (!found) {
            error.emplace(StoreFault(c, found.error()));
            return std::nullopt;
        }
        member = std::move(*found);
    }
    if (!member || !InScope(p.scope, member->village_code)) {
        error.emplace(NotFound(c, "工作队成员 " + c.params.at("id"), "team member " + c.params.at("id")));
        return std::nullopt;
    }
    return member;
}

}  // namespace

// GET /api/cadres?unit=&rank=&active_on=&name=&after=&limit= — cadres with their load and quota.
// Cadres are read county-wide (a township's households may be paired with a county organ's
// cadre): ?unit= may name any org unit of the county; default the whole county.
Response ListCadresRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::vector<Error> errors;
    CadreFilter f;
    f.rank = IntParam(c, "rank", errors, 0, 99).transform([](int64_t r) { return static_cast<int>(r); });
    f.active_on = DateQuery(c, "active_on", errors);
    f.after_id = IntParam(c, "after", errors, 0, std::numeric_limits<int64_t>::max()).value_or(0);
    f.limit = IntParam(c, "limit", errors, 1, kMaxListLimit).value_or(500);
    if (auto it = c.query.find("name"); it != c.query.end()) f.name = it->second;
    if (auto it = c.query.find("unit"); it != c.query.end() && !it->second.empty()) {
        if (!s.tree.Find(it->second))
            errors.push_back(FieldError("query.unit", "unit", "未知的行政区划代码", "unknown org unit code"));
        else
            f.division_prefix = s.PrefixOf(it->second.substr(0, std::min<size_t>(it->second.size(), 9)));
    }
    if (!errors.empty()) return Invalid(c, errors, true);
    auto loads = service::ListCadreLoads(store, s.plan, f);
    if (!loads) return PairingFault(c, loads.error());
    json::array items;
    for (const service::CadreLoad& l : *loads) items.push_back(CadreView(s, l.record, l.quota, l.load));
    json::value next = static_cast<int64_t>(loads->size()) == f.limit && !loads->empty()
                           ? json::value(loads->back().record.cadre.id)
                           : json::value(nullptr);
    (void)p;
    return Answer(c, p, http::status::ok, json::object{{"items", std::move(items)}, {"next_after", std::move(next)}});
}

// POST /api/cadres — a new cadre (201). A township's user adds cadres of its township only.
Response AddCadreRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CanWriteHouseholds(p.role)) return Forbidden(c);
    BodyReader body(c.request.body(), {JZ_CADRE_KEYS});
    if (!body.ok()) return Invalid(c, body.errors, false);
    auto cadre = ReadCadre(c, body);
    if (!cadre) return BadFields(c, body.errors);
    if (!InScope(p.scope, CadreDivision(s, *cadre)))
        return BadFields(c, {FieldError("cadre.scope", "township_code", "只能添加您管辖范围内乡镇的干部",
                                        "you may add cadres of townships in your scope only")});
    if (auto problems = ValidateCadre(*cadre, s.plan); !problems.empty()) return BadFields(c, problems);
    auto added = service::AddCadre(store, s.plan, std::move(*cadre), s.Change(p));
    if (!added) return PairingFault(c, added.error());
    const CadreRecord& r = *added;
    return Tagged(c, p, http::status::created, CadreView(s, r, QuotaOf(s.plan, r.cadre.rank), 0), r.version,
                  "/api/cadres/" + std::to_string(r.cadre.id));
}

// GET /api/cadres/{id} — one cadre with its load, quota and current households (those in scope).
Response GetCadreRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::optional<Response> error;
    auto record = FindCadreParam(c, store, error);
    if (!record) return std::move(*error);
    auto current = CurrentOf(store, record->cadre.id);
    if (!current) return StoreFault(c, current.error());
    json::object o = CadreView(s, *record, QuotaOf(s.plan, record->cadre.rank), static_cast<int64_t>(current->size()));
    json::array households;
    for (const Pairing& pairing : *current)
        if (InScope(p.scope, pairing.division_code))
            households.push_back({{"household_code", pairing.household_code},
                                  {"division_code", pairing.division_code},
                                  {"from", pairing.from.ToString()}});
    o["households"] = std::move(households);
    return Tagged(c, p, http::status::ok, std::move(o), record->version);
}

// PUT /api/cadres/{id} {…cadre, version} — replaces the cadre at the version read (412 if stale).
Response UpdateCadreRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CanWriteHouseholds(p.role)) return Forbidden(c);
    std::optional<Response> error;
    auto before = FindCadreParam(c, store, error);
    if (!before) return std::move(*error);
    if (!InScope(p.scope, CadreDivision(s, before->cadre)))
        return Fault(c, http::status::forbidden, "cadre.scope", "此干部不在您的管辖范围内,不能修改",
                     "this cadre is outside your scope; you may not change it");
    BodyReader body(c.request.body(), {JZ_CADRE_KEYS});
    if (!body.ok()) return Invalid(c, body.errors, false);
    auto version = VersionOf(c, body.object(), body.errors);
    auto cadre = ReadCadre(c, body);
    if (!cadre) return BadFields(c, body.errors);
    if (!version)
        return Fault(c, http::status::precondition_required, "cadre.if_match", "请带上版本(请求体中的 version 或 If-Match)",
                     "send the version you opened (version in the body or If-Match)");
    if (!InScope(p.scope, CadreDivision(s, *cadre)))
        return BadFields(c, {FieldError("cadre.scope", "township_code", "只能把干部设在您管辖范围内的乡镇",
                                        "you may place cadres in townships of your scope only")});
    // A masked ID number sent back unchanged keeps the stored one.
    if (cadre->id_number.find('*') != std::string::npos) cadre->id_number = before->cadre.id_number;
    if (cadre->phone.find('*') != std::string::npos) cadre->phone = before->cadre.phone;
    cadre->id = before->cadre.id;
    if (auto problems = ValidateCadre(*cadre, s.plan); !problems.empty()) return BadFields(c, problems);
    auto updated = service::UpdateCadre(store, s.plan, std::move(*cadre), *version, s.Change(p));
    if (!updated) return PairingFault(c, updated.error());
    auto current = CurrentOf(store, updated->cadre.id);
    if (!current) return StoreFault(c, current.error());
    s.upkeep.LedgerChanged();
    return Tagged(c, p, http::status::ok,
                  CadreView(s, *updated, QuotaOf(s.plan, updated->cadre.rank), static_cast<int64_t>(current->size())),
                  updated->version);
}

// GET /api/households/{code}/pairings — the household's pairings, current first, with the cadres.
Response HouseholdPairingsRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::optional<Response> error;
    auto h = s.Visible(c, p, store, error);
    if (!h) return std::move(*error);
    auto history = service::PairingHistoryJson(store, s.plan, h->household.household_code, MasksPersonalData(p.role));
    if (!history) return PairingFault(c, history.error());
    return Answer(c, p, http::status::ok, std::move(*history));
}

// PUT /api/households/{code}/pairing {cadre_id, from, reason, allow_over_quota} — sets the
// household's cadre (the old pairing ended, kept on record). Answers the history.
Response SetPairingRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CanWriteHouseholds(p.role)) return Forbidden(c);
    std::optional<Response> error;
    auto h = s.Visible(c, p, store, error);
    if (!h) return std::move(*error);
    BodyReader body(c.request.body(), {"cadre_id", "from", "reason", "allow_over_quota"});
    if (!body.ok()) return Invalid(c, body.errors, false);
    service::SetPairingRequest request;
    request.household_code = h->household.household_code;
    auto cadre_id = body.Int("cadre_id", true, 1, std::numeric_limits<int64_t>::max());
    auto from = body.DateField("from", false);
    auto reason = body.Text("reason", true);
    if (const json::value* v = body.object().if_contains("allow_over_quota"); v && !v->is_null()) {
        if (v->is_bool())
            request.allow_over_quota = v->get_bool();
        else
            body.errors.push_back(FieldError("json.type", "allow_over_quota", "allow_over_quota应为true或false",
                                             "allow_over_quota must be true or false"));
    }
    if (!body.errors.empty()) return BadFields(c, body.errors);
    request.cadre_id = *cadre_id;
    request.from = from.value_or(s.Today());
    request.reason = *reason;
    auto set = service::SetPairing(store, s.plan, request, s.Change(p));
    if (!set) return PairingFault(c, set.error());
    Reindex(s, store, request.household_code);
    auto history = service::PairingHistoryJson(store, s.plan, request.household_code, MasksPersonalData(p.role));
    if (!history) return PairingFault(c, history.error());
    return Answer(c, p, http::status::ok, std::move(*history));
}

// POST /api/households/{code}/pairing/end {to, reason} — ends the current pairing, no successor.
Response EndPairingRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CanWriteHouseholds(p.role)) return Forbidden(c);
    std::optional<Response> error;
    auto h = s.Visible(c, p, store, error);
    if (!h) return std::move(*error);
    BodyReader body(c.request.body(), {"to", "reason"});
    if (!body.ok()) return Invalid(c, body.errors, false);
    auto to = body.DateField("to", false);
    auto reason = body.Text("reason", true);
    if (!body.errors.empty()) return BadFields(c, body.errors);
    const std::string& code = h->household.household_code;
    auto ended = service::EndPairing(store, code, to.value_or(s.Today()), *reason, s.Change(p));
    if (!ended) return PairingFault(c, ended.error());
    Reindex(s, store, code);
    auto history = service::PairingHistoryJson(store, s.plan, code, MasksPersonalData(p.role));
    if (!history) return PairingFault(c, history.error());
    return Answer(c, p, http::status::ok, std::move(*history));
}

// GET /api/pairing/proposal?unit=&on= — what assignment would do (nothing changes). A township's
// user sees its township's proposal; only a county-wide user applies one.
Response PairingProposalRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::optional<Response> error;
    auto params = UnitOnParams(s, c, p, error);
    if (!params) return std::move(*error);
    auto plan = service::ProposeAssignment(store, s.plan, params->unit, params->on);
    if (!plan) return PairingFault(c, plan.error());
    json::object o = service::AssignmentJson(*plan);
    o["can_apply"] = CanWriteHouseholds(p.role) && p.scope == s.tree.root_code();
    return Answer(c, p, http::status::ok, std::move(o));
}

// POST /api/pairing/apply {unit, on, digest} — applies the proposal read (409 pairing.proposal_stale
// when the data changed since). County-wide writers only.
Response ApplyPairingRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CanWriteHouseholds(p.role) || p.scope != s.tree.root_code()) return Forbidden(c);
    BodyReader body(c.request.body(), {"unit", "on", "digest"});
    if (!body.ok()) return Invalid(c, body.errors, false);
    auto unit = body.Text("unit", false);
    auto on = body.DateField("on", false);
    auto digest = body.Text("digest", true);
    std::string scope = unit && !unit->empty() ? *unit : std::string(s.tree.root_code());
    if (!s.tree.Find(scope))
        body.errors.push_back(FieldError("query.unit", "unit", "未知的行政区划代码", "unknown org unit code"));
    if (!body.errors.empty()) return BadFields(c, body.errors);
    const Date day = on.value_or(s.Today());
    auto applied = service::ApplyAssignment(store, s.plan, scope, day, *digest, s.Change(p));
    if (!applied) return PairingFault(c, applied.error());
    if (auto r = s.upkeep.Refresh(store); !r) return StoreFault(c, r.error());
    s.upkeep.LedgerChanged();
    return Json(c, http::status::ok,
                json::object{{"unit", scope}, {"on", day.ToString()}, {"applied", *applied}});
}

// GET /api/teams?unit=&on= — villages' work teams, first secretaries and days on post.
Response TeamsRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::optional<Response> error;
    auto params = UnitOnParams(s, c, p, error);
    if (!params) return std::move(*error);
    auto teams = service::TeamsJson(store, s.plan, s.tree, params->unit, params->on, MasksPersonalData(p.role));
    if (!teams) return PairingFault(c, teams.error());
    return Answer(c, p, http::status::ok, std::move(*teams));
}

// POST /api/teams/members {village_code, cadre_id, role, from, to} — a cadre joins a village's team.
Response AddTeamMemberRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CanWriteHouseholds(p.role)) return Forbidden(c);
    BodyReader body(c.request.body(), {"village_code", "cadre_id", "role", "from", "to"});
    if (!body.ok()) return Invalid(c, body.errors, false);
    TeamMember m;
    auto village = body.Text("village_code", true);
    auto cadre_id = body.Int("cadre_id", true, 1, std::numeric_limits<int64_t>::max());
    auto role = body.Int("role", true, 1, 99);
    auto from = body.DateField("from", false);
    auto to = body.DateField("to", false);
    if (!body.errors.empty()) return BadFields(c, body.errors);
    if (village->size() != 12 || !s.tree.Find(*village) || !InScope(p.scope, *village))
        return BadFields(c, {FieldError("team.invalid", "village_code", "您的管辖范围内没有村 " + *village,
                                        "no village " + *village + " in your scope")});
    m.village_code = *village;
    m.cadre_id = *cadre_id;
    m.role = static_cast<int>(*role);
    m.from = from.value_or(s.Today());
    m.to = to;
    auto added = service::AddTeamMember(store, s.plan, std::move(m), s.Change(p));
    if (!added) return PairingFault(c, added.error());
    s.upkeep.LedgerChanged();
    return Answer(c, p, http::status::created, json::parse(TeamMemberToJson(*added)));
}

// POST /api/teams/members/{id}/end {to} — the member's last day on the team.
Response EndTeamMemberRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CanWriteHouseholds(p.role)) return Forbidden(c);
    std::optional<Response> error;
    auto member = VisibleMember(c, p, store, error);
    if (!member) return std::move(*error);
    BodyReader body(c.request.body(), {"to"});
    if (!body.ok()) return Invalid(c, body.errors, false);
    auto to = body.DateField("to", false);
    if (!body.errors.empty()) return BadFields(c, body.errors);
    auto ended = service::EndTeamMember(store, member->id, to.value_or(s.Today()), s.Change(p));
    if (!ended) return PairingFault(c, ended.error());
    s.upkeep.LedgerChanged();
    return Answer(c, p, http::status::ok, json::parse(TeamMemberToJson(*ended)));
}

// PUT /api/teams/members/{id}/on-post/{month} {days} — the member's days on post in YYYY-MM.
Response PutOnPostRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CanWriteHouseholds(p.role)) return Forbidden(c);
    std::optional<Response> error;
    auto member = VisibleMember(c, p, store, error);
    if (!member) return std::move(*error);
    const auto month = MonthPath(c.params.at("month"));
    if (!month) return NotFound(c, "月份 " + c.params.at("month"), "month " + c.params.at("month"));
    BodyReader body(c.request.body(), {"days"});
    if (!body.ok()) return Invalid(c, body.errors, false);
    auto days = body.Int("days", true, 0, 31);
    if (!body.errors.empty()) return BadFields(c, body.errors);
    OnPostDays record{.member_id = member->id, .year = month->first, .month = month->second, .days = static_cast<int>(*days)};
    if (auto problems = ValidateOnPostDays(record); !problems.empty()) return BadFields(c, problems);
    if (auto put = service::PutOnPostDays(store, record, s.Change(p)); !put) return PairingFault(c, put.error());
    s.upkeep.LedgerChanged();
    return Json(c, http::status::ok,
                json::object{{"member_id", record.member_id},
                             {"month", c.params.at("month")},
                             {"days", record.days},
                             {"short", record.days < s.plan.pairing.on_post_min_days},
                             {"min_days", s.plan.pairing.on_post_min_days}});
}

// GET /api/visits/overdue?unit=&on=&limit= — households whose visit is overdue, with counts per
// cadre, village and township.
Response OverdueVisitsRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::vector<Error> errors;
    const int64_t limit = IntParam(c, "limit", errors, 1, 100000).value_or(1000);
    if (!errors.empty()) return Invalid(c, errors, true);
    std::optional<Response> error;
    auto params = UnitOnParams(s, c, p, error);
    if (!params) return std::move(*error);
    auto list = service::BuildOverdue(store, s.plan, params->unit, params->on, s.Today());
    if (!list) return PairingFault(c, list.error());
    auto out = service::OverdueJson(store, s.tree, *list, limit);
    if (!out) return PairingFault(c, out.error());
    return Answer(c, p, http::status::ok, std::move(*out));
}

// PUT /api/households/{code}/place {lat, lon, accuracy, recorded_on, source} — the household's
// recorded place (what a visit's distance is measured from). The body is read as the CLI's `place
// set` reads it (service::PlaceFromJson); recorded_on defaults to today.
Response PutPlaceRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CanWriteHouseholds(p.role)) return Forbidden(c);
    std::optional<Response> error;
    auto h = s.Visible(c, p, store, error);
    if (!h) return std::move(*error);
    std::vector<Error> errors;
    json::value body = ParseJsonObject(c.request.body(), errors);
    if (!errors.empty()) return Invalid(c, errors, false);
    json::object& o = body.get_object();
    for (std::string_view key : {"household_code", "division_code"})
        if (o.contains(key))
            return BadFields(c, {FieldError("json.unknown_field", std::string(key), "未知字段: " + std::string(key),
                                            "unknown field: " + std::string(key))});
    if (!o.contains("recorded_on") || o.at("recorded_on").is_null()) o["recorded_on"] = s.Today().ToString();
    auto place = service::PlaceFromJson(body);
    if (!place) return BadFields(c, {place.error()});
    if (place->recorded_on > s.Today())
        return BadFields(c, {FieldError("place.invalid", "recorded_on", "记录日期不能晚于今天", "recorded_on must not be after today")});
    place->household_code = h->household.household_code;
    place->division_code = h->household.division_code;
    auto put = service::PutHouseholdPlace(store, *place, s.Change(p));
    if (!put) return PairingFault(c, put.error());
    return Json(c, http::status::ok, PlaceView(*put));
}

}  // namespace jz::server::routes
