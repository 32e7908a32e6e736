// Visits' routes (入户走访, issue 15): a visit recorded exactly once per client-made id (the field
// page's upload queue resends the same id until it has an answer), the visits listed, a visit's
// photo, and the field kit — what a cadre's phone keeps to work without a network. The operations
// are service/pairing.h, the same the CLI runs; the handlers read the request, check the role and
// the scope (a visit is in scope when its household's village is), call, and answer — free text
// masked for the roles that may not see ID numbers.
#include <boost/json.hpp>
#include <string>

#include "core/access.h"
#include "server/api_state.h"
#include "server/handlers.h"
#include "service/pairing.h"

namespace jz::server::routes {
namespace {

namespace json = boost::json;

constexpr int64_t kMaxVisitLimit = 500;

// A visit as its reader sees it: what was discussed and done may quote an ID number.
json::object VisitView(const Visit& visit, bool mask) {
    json::object o = service::VisitJson(visit);
    if (mask)
        for (std::string_view key : {"discussed", "done"})
            if (auto* text = o.if_contains(key); text && text->is_string())
                *text = MaskIdNumbersInText(text->get_string());
    return o;
}

// A household summary (the kit's, the 409's) as a masked reader sees it: the service masks the
// head's ID number and the phone; the last visits' texts may quote an ID number.
void MaskSummaryTexts(json::object& household) {
    if (auto* visits = household.if_contains("last_visits"); visits && visits->is_array())
        for (json::value& v : visits->get_array())
            if (v.is_object())
                for (std::string_view key : {"discussed", "done"})
                    if (auto* text = v.get_object().if_contains(key); text && text->is_string())
                        *text = MaskIdNumbersInText(text->get_string());
}

Response Error400(const RequestContext& c, const Error& e) {
    return Fault(c, http::status::bad_request, "visit.invalid", "走访记录有误,请按字段修改",
                 "the visit has errors; see the fields", {e});
}

// What a failed RecordVisit means to the client (the household_changed case is answered apart).
Response VisitFault(const RequestContext& c, const Error& e) {
    if (e.code == "visit.photo") return FaultOf(c, http::status::unprocessable_entity, e);
    if (e.code == "household.deregistered" || e.code == "visit.client_id_reused" || e.code == "store.duplicate")
        return FaultOf(c, http::status::conflict, e);
    if (e.code == "cadre.not_found" || e.code == "household.not_found") return Error400(c, e);
    if (e.code.starts_with("store.")) return StoreFault(c, e);
    return FaultOf(c, http::status::bad_request, e);
}

std::optional<Date> DateQuery(const RequestContext& c, const std::string& name, std::vector<Error>& errors) {
    auto it = c.query.find(name);
    if (it == c.query.end() || it->second.empty()) return std::nullopt;
    auto d = Date::Parse(it->second);
    if (!d)
        errors.push_back({.code = "query.date", .field = name, .message_zh = name + "应为日期 YYYY-MM-DD", .message_en = name + " must be a date YYYY-MM-DD"});
    return d;
}

}  // namespace

// The body limit of POST /api/visits: a photo of the plan's largest size as base64 (4 characters
// per 3 bytes) and room for the texts and the place.
size_t VisitBodyLimit(int photo_max_bytes) {
    const size_t photo = static_cast<size_t>(photo_max_bytes > 0 ? photo_max_bytes : 0);
    return (photo + 2) / 3 * 4 + 64 * 1024;
}

// POST /api/visits — a visit recorded once per client_id: 201 when new, 200 with "inserted": false
// when the client_id was recorded already (a retried upload), 409 visit.household_changed with the
// household's current summary when it changed since household_version and confirm_changed is not set.
Response RecordVisitRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CanWriteHouseholds(p.role)) return Forbidden(c);
    std::vector<Error> errors;
    json::value body = ParseJsonObject(c.request.body(), errors);
    if (!errors.empty()) return Invalid(c, errors, false);
    auto request = service::VisitRequestFromJson(body);
    if (!request) return Error400(c, request.error());
    const bool mask = MasksPersonalData(p.role);
    // The household must be one the caller may see (absent and out of scope alike: the field).
    auto h = store.FindHousehold(request->visit.household_code);
    if (!h) return StoreFault(c, h.error());
    if (!*h || !InScope(p.scope, (*h)->household.division_code))
        return Error400(c, {.code = "household.not_found", .field = "household_code",
                            .message_zh = "您的管辖范围内没有户 " + request->visit.household_code,
                            .message_en = "no household " + request->visit.household_code + " in your scope"});
    auto recorded = service::RecordVisit(store, s.plan, *request, s.Today(), s.Change(p));
    if (!recorded) {
        const Error& e = recorded.error();
        if (e.code != "visit.household_changed") return VisitFault(c, e);
        // The household as it stands now, as the field kit shows it: the device shows what changed
        // and replaces its copy; the user records the visit anyway (confirm_changed) or discards it.
        auto now = service::HouseholdSummaryJson(store, s.plan, s.tree, request->visit.household_code, mask);
        if (!now && now.error().code.starts_with("store.")) return StoreFault(c, now.error());
        json::object answer = ErrorJson(e.code, e.message_zh, e.message_en, FieldsJson({e}));
        if (now) {
            if (mask) MaskSummaryTexts(*now);
            answer["household"] = std::move(*now);
        }
        return Json(c, http::status::conflict, answer);
    }
    json::object o;
    o["visit"] = VisitView(recorded->visit, mask);
    o["inserted"] = recorded->inserted;
    return Json(c, recorded->inserted ? http::status::created : http::status::ok, o);
}

// GET /api/visits?household=&cadre=&unit=&from=&to=&far=&before=&limit= — newest first; the next
// page is before=<next_before>.
Response ListVisitsRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::vector<Error> errors;
    VisitFilter f;
    f.cadre_id = IntParam(c, "cadre", errors, 1, INT64_MAX);
    f.from = DateQuery(c, "from", errors);
    f.to = DateQuery(c, "to", errors);
    f.before_id = IntParam(c, "before", errors, 1, INT64_MAX).value_or(0);
    f.limit = IntParam(c, "limit", errors, 1, kMaxVisitLimit).value_or(100);
    if (auto it = c.query.find("far"); it != c.query.end() && !it->second.empty()) {
        if (it->second == "true" || it->second == "1") f.far = true;
        else if (it->second == "false" || it->second == "0") f.far = false;
        else errors.push_back({.code = "query.boolean", .field = "far", .message_zh = "far应为true或false", .message_en = "far must be true or false"});
    }
    if (f.from && f.to && *f.from > *f.to)
        errors.push_back({.code = "query.period", .field = "from", .message_zh = "from不能晚于to", .message_en = "from must not be after to"});
    std::string unit = p.scope;
    if (auto it = c.query.find("unit"); it != c.query.end() && !it->second.empty()) {
        if (!s.tree.Find(it->second))
            errors.push_back({.code = "query.unit", .field = "unit", .message_zh = "未知的行政区划代码", .message_en = "unknown org unit code"});
        else if (!InScope(p.scope, it->second))
            return NotFound(c, "行政区划 " + it->second, "org unit " + it->second);
        else
            unit = it->second;
    }
    if (!errors.empty()) return Invalid(c, errors, true);
    f.division_prefix = s.PrefixOf(unit);
    if (auto it = c.query.find("household"); it != c.query.end() && !it->second.empty())
        f.household_code = it->second;  // (out of scope: the unit's prefix leaves nothing)
    auto visits = store.ListVisits(f);
    if (!visits) return StoreFault(c, visits.error());
    const bool mask = MasksPersonalData(p.role);
    json::array items;
    for (const Visit& v : *visits) items.push_back(VisitView(v, mask));
    json::value next = static_cast<int64_t>(visits->size()) == f.limit && !visits->empty()
                           ? json::value(visits->back().id)
                           : json::value(nullptr);
    return Json(c, http::status::ok, json::object{{"visits", std::move(items)}, {"next_before", std::move(next)}});
}

// GET /api/visits/{id}/photo — the photo's bytes, typed by their content (never by a name), kept
// privately by the browser (a visit's photo never changes once recorded).
Response VisitPhotoRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    (void)s;
    auto id = IdParam(c, "id");
    if (!id) return NotFound(c, "走访记录", "visit");
    auto visit = store.FindVisit(*id);
    if (!visit) return StoreFault(c, visit.error());
    if (!*visit || !InScope(p.scope, (*visit)->division_code))
        return NotFound(c, "走访记录 " + std::to_string(*id), "visit " + std::to_string(*id));
    auto bytes = store.VisitPhoto(*id);
    if (!bytes) return StoreFault(c, bytes.error());
    if (!*bytes || (*bytes)->empty()) return NotFound(c, "走访照片", "visit photo");
    const std::string_view type = PhotoMediaType(SniffPhoto(**bytes));
    if (type.empty()) return NotFound(c, "走访照片", "visit photo");
    http::response<http::string_body> res{http::status::ok, c.request.version()};
    res.set(http::field::content_type, type);
    res.set(http::field::cache_control, "private, max-age=86400");
    res.set("X-Content-Type-Options", "nosniff");
    res.set(http::field::content_disposition, "inline; filename=\"visit-" + std::to_string(*id) +
                                                  (type == "image/png" ? ".png\"" : ".jpg\""));
    res.keep_alive(c.request.keep_alive());
    res.body() = std::move(**bytes);
    res.prepare_payload();
    return res;
}

// GET /api/field/kit?cadre=ID — the cadre and their current households within the caller's scope,
// each with what the field page shows offline (service::FieldKitJson).
Response FieldKitRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::vector<Error> errors;
    auto cadre = IntParam(c, "cadre", errors, 1, INT64_MAX);
    if (!cadre && errors.empty())
        errors.push_back({.code = "query.required", .field = "cadre", .message_zh = "请指定干部(cadre)", .message_en = "cadre is required"});
    if (!errors.empty()) return Invalid(c, errors, true);
    auto kit = service::FieldKitJson(store, s.plan, s.tree, *cadre, p.scope, MasksPersonalData(p.role));
    if (!kit) {
        const Error& e = kit.error();
        if (e.code == "cadre.not_found") return NotFound(c, "干部 " + std::to_string(*cadre), "cadre " + std::to_string(*cadre));
        if (e.code.starts_with("store.")) return StoreFault(c, e);
        return FaultOf(c, http::status::bad_request, e);
    }
    json::object o = std::move(*kit);
    if (MasksPersonalData(p.role))
        if (auto* households = o.if_contains("households"); households && households->is_array())
            for (json::value& h : households->get_array())
                if (h.is_object()) MaskSummaryTexts(h.get_object());
    o["as_of"] = s.Today().ToString();
    return Json(c, http::status::ok, o);
}

}  // namespace jz::server::routes
