// The assistance ledger's routes (一户一案, issue 14): a household's plan page, the items (list, add,
// change, sign off, delete with a reason), a household's income by its parts for a year and its
// members' cover, and the measures delivered with their drill-down to the households not reached.
// The operations are service/assistance.h, the same the CLI runs; the handlers read the request,
// check the role and the scope (an item is in scope when its household's village is: an item of a
// deregistered household keeps the village it was written in), call, and answer — masked for the
// roles that may not see ID numbers.
#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <map>

#include "core/access.h"
#include "server/api_state.h"
#include "server/handlers.h"
#include "service/assistance.h"
#include "service/battle_map.h"

namespace jz::server::routes {
namespace {

namespace json = boost::json;

constexpr int64_t kMaxListLimit = 1000;

// Keys of the ledger's JSON whose text may quote an ID number (notes, reasons, names typed in).
constexpr std::string_view kFreeText[] = {"notes", "delete_reason", "reason", "signed_by"};

// A plan page or an item as a masked user sees it (access.h): every person's ID number to its
// address code and birth date to its year, the items' member_ids likewise, the phone masked, and
// ID numbers typed into free text starred.
void MaskLedgerJson(json::value& v) {
    if (v.is_array()) {
        for (json::value& x : v.get_array()) MaskLedgerJson(x);
        return;
    }
    if (!v.is_object()) return;
    json::object& o = v.get_object();
    MaskPersonJson(o);
    if (auto* head = o.if_contains("head_id_number"); head && head->is_string())
        *head = MaskIdNumber(head->get_string());
    if (auto* phone = o.if_contains("phone"); phone && phone->is_string())
        *phone = MaskPhone(phone->get_string());
    if (auto* ids = o.if_contains("member_ids"); ids && ids->is_array())
        for (json::value& id : ids->get_array())
            if (id.is_string()) id = MaskIdNumber(id.get_string());
    for (std::string_view key : kFreeText)
        if (auto* text = o.if_contains(key); text && text->is_string())
            *text = MaskIdNumbersInText(text->get_string());
    for (auto& [key, x] : o)
        if (x.is_structured()) MaskLedgerJson(x);
}

// Names beside ID numbers, so a page can say who an item or a cover line is about even when the
// numbers are masked (every masked number of a county looks alike): items get `member_names`
// (in the order of member_ids), cover lines and persons without a name get `name`. The names come
// from the persons of the same answer (an object with `id_number` and `name`).
void CollectNames(const json::value& v, std::map<std::string, std::string>& names) {
    if (v.is_array()) {
        for (const json::value& x : v.get_array()) CollectNames(x, names);
        return;
    }
    if (!v.is_object()) return;
    const json::object& o = v.get_object();
    const auto* id = o.if_contains("id_number");
    const auto* name = o.if_contains("name");
    if (id && id->is_string() && name && name->is_string())
        names.emplace(std::string(id->get_string()), std::string(name->get_string()));
    for (const auto& [key, x] : o)
        if (x.is_structured()) CollectNames(x, names);
}
void AddNames(json::value& v, const std::map<std::string, std::string>& names) {
    if (v.is_array()) {
        for (json::value& x : v.get_array()) AddNames(x, names);
        return;
    }
    if (!v.is_object()) return;
    json::object& o = v.get_object();
    if (auto* ids = o.if_contains("member_ids"); ids && ids->is_array() && !o.contains("member_names")) {
        json::array out;
        for (const json::value& id : ids->get_array()) {
            auto it = id.is_string() ? names.find(std::string(id.get_string())) : names.end();
            out.push_back(it == names.end() ? json::value("") : json::value(it->second));
        }
        o["member_names"] = std::move(out);
    }
    if (auto* id = o.if_contains("id_number"); id && id->is_string() && !o.contains("name"))
        if (auto it = names.find(std::string(id->get_string())); it != names.end()) o["name"] = it->second;
    for (auto& [key, x] : o)
        if (x.is_structured()) AddNames(x, names);
}

json::value ItemView(const AssistanceRecord& record, bool mask) {
    json::value v = service::AssistanceJson(record);
    if (mask) MaskLedgerJson(v);
    return v;
}

// A JSON answer with the record's version as its ETag (and a Location for a new item).
Response Tagged(const RequestContext& c, http::status status, const json::value& v, int64_t version,
                const std::string& location = {}) {
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

Response ItemReply(const RequestContext& c, http::status status, const AssistanceRecord& record, bool mask) {
    return Tagged(c, status, ItemView(record, mask), record.version,
                  status == http::status::created ? "/api/assistance/" + record.item.item_code : std::string());
}

Response StaleItem(const RequestContext& c) {
    return Fault(c, http::status::precondition_failed, "assistance.stale",
                 "自您打开以来,此项已被他人修改,请重新载入",
                 "someone changed this item since you opened it; reload it");
}

Response NeedVersion(const RequestContext& c) {
    return Fault(c, http::status::precondition_required, "assistance.if_match",
                 "请带上版本(请求体中的 version 或 If-Match)",
                 "send the version you opened (version in the body or If-Match)");
}

// What a failed ledger operation means to the client.
Response LedgerFault(const RequestContext& c, const Error& e) {
    if (e.code == "store.conflict") return StaleItem(c);
    if (e.code == "assistance.not_found" || e.code == "household.not_found" || e.code == "not_found")
        return FaultOf(c, http::status::not_found, e);
    if (e.code == "household.deregistered" || e.code == "assistance.deleted" ||
        e.code == "assistance.already_signed" || e.code == "store.duplicate" || e.code == "store.deregistered")
        return FaultOf(c, http::status::conflict, e);
    if (e.code.starts_with("store.")) return StoreFault(c, e);
    return FaultOf(c, http::status::bad_request, e);
}

// The version a change was read at: the body's `version` or else If-Match ("W/"-less "N" or "*"
// is not enough: a number). nullopt when neither is sent; a body version that is not a number is an
// error of the field.
std::optional<int64_t> VersionOf(const RequestContext& c, const json::object& body, std::vector<Error>& errors) {
    if (const json::value* v = body.if_contains("version"); v && !v->is_null()) {
        if (v->is_int64() && v->get_int64() >= 0) return v->get_int64();
        errors.push_back({.code = "json.type", .field = "version", .message_zh = "version应为非负整数", .message_en = "version must be a non-negative integer"});
        return std::nullopt;
    }
    std::string tag(c.request[http::field::if_match]);
    if (tag.empty()) return std::nullopt;
    if (tag.starts_with("W/")) tag.erase(0, 2);
    if (tag.size() >= 2 && tag.front() == '"' && tag.back() == '"') tag = tag.substr(1, tag.size() - 2);
    int64_t n = 0;
    auto [p, ec] = std::from_chars(tag.data(), tag.data() + tag.size(), n);
    if (ec != std::errc() || p != tag.data() + tag.size() || n < 0) {
        errors.push_back({.code = "header.if_match", .field = "If-Match", .message_zh = "If-Match应为版本号", .message_en = "If-Match must be a version"});
        return std::nullopt;
    }
    return n;
}

// The item {code} when the caller may see it (its village in scope); 404 otherwise.
std::optional<AssistanceRecord> VisibleItem(const RequestContext& c, const Principal& p, Store& store,
                                            std::optional<Response>& error) {
    const std::string& code = c.params.at("code");
    auto found = store.FindAssistance(code);
    if (!found) {
        error.emplace(StoreFault(c, found.error()));
        return std::nullopt;
    }
    if (!*found || !InScope(p.scope, (*found)->division_code)) {
        error.emplace(NotFound(c, "帮扶项目 " + code, "assistance item " + code));
        return std::nullopt;
    }
    return std::move(**found);
}

// The household {code}'s village when the caller may see the household: a registered one's, or for
// one that left the registry the village its items were written in. nullopt (404) otherwise.
std::optional<std::string> VisibleHouseholdDivision(const RequestContext& c, const Principal& p, Store& store,
                                                    std::optional<Response>& error) {
    const std::string& code = c.params.at("code");
    auto h = store.FindHousehold(code);
    if (!h) {
        error.emplace(StoreFault(c, h.error()));
        return std::nullopt;
    }
    std::string division;
    if (*h) {
        division = (*h)->household.division_code;
    } else {
        AssistanceFilter f;
        f.household_code = code;
        f.include_deleted = true;
        f.limit = 1;
        auto items = store.ListAssistance(f);
        if (!items) {
            error.emplace(StoreFault(c, items.error()));
            return std::nullopt;
        }
        if (!items->empty()) division = items->front().division_code;
    }
    if (division.empty() || !InScope(p.scope, division)) {
        error.emplace(NotFound(c, "户 " + code, "household " + code));
        return std::nullopt;
    }
    return division;
}

// An item body: the record's meta keys (what the API answers beside the item) are dropped, so a
// client may send back what it read.
json::value ItemBody(const RequestContext& c, std::vector<Error>& errors) {
    json::value body = ParseJsonObject(c.request.body(), errors);
    if (body.is_object())
        for (std::string_view key : {"version", "deleted", "delete_reason", "division_code", "member_names"})
            body.get_object().erase(key);
    return body;
}

// The item of a body, checked on its own (every problem, each naming its field).
std::optional<AssistanceItem> ReadItem(const ApiState& s, const RequestContext& c, const json::value& body,
                                       std::optional<Response>& error) {
    auto item = service::AssistanceFromJson(body);
    if (!item) {
        error.emplace(Fault(c, http::status::bad_request, "assistance.invalid", "帮扶项目有误,请按字段修改",
                            "the assistance item has errors; see the fields", {item.error()}));
        return std::nullopt;
    }
    auto problems = ValidateItem(*item, s.plan);
    if (!problems.empty()) {
        error.emplace(Fault(c, http::status::bad_request, "assistance.invalid", "帮扶项目有误,请按字段修改",
                            "the assistance item has errors; see the fields", problems));
        return std::nullopt;
    }
    return std::move(*item);
}

// ?unit= (default the caller's scope), which must be an org unit in scope.
std::optional<std::string> UnitParam(const ApiState& s, const RequestContext& c, const Principal& p,
                                     std::optional<Response>& error) {
    std::string unit = p.scope;
    if (auto it = c.query.find("unit"); it != c.query.end() && !it->second.empty()) {
        if (!s.tree.Find(it->second)) {
            error.emplace(Fault(c, http::status::bad_request, "query.unit", "未知的行政区划代码: " + it->second,
                                "unknown org unit code: " + it->second,
                                {{.code = "query.unit", .field = "unit", .message_zh = "未知的行政区划代码", .message_en = "unknown org unit code"}}));
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

std::optional<Date> DateQuery(const RequestContext& c, const std::string& name, std::vector<Error>& errors) {
    auto it = c.query.find(name);
    if (it == c.query.end() || it->second.empty()) return std::nullopt;
    auto d = Date::Parse(it->second);
    if (!d)
        errors.push_back({.code = "query.date", .field = name, .message_zh = name + "应为日期 YYYY-MM-DD", .message_en = name + " must be a date YYYY-MM-DD"});
    return d;
}

std::optional<bool> BoolQuery(const RequestContext& c, const std::string& name, std::vector<Error>& errors) {
    auto it = c.query.find(name);
    if (it == c.query.end() || it->second.empty()) return std::nullopt;
    if (it->second == "true" || it->second == "1") return true;
    if (it->second == "false" || it->second == "0") return false;
    errors.push_back({.code = "query.boolean", .field = name, .message_zh = name + "应为true或false", .message_en = name + " must be true or false"});
    return std::nullopt;
}

// The measures' period: ?from= (default the plan's first day) and ?to= (default the battle map's
// date: today inside the plan's period, else the registry's last change date).
struct Period {
    Date from, to;
};
std::optional<Period> PeriodParams(ApiState& s, const RequestContext& c, Store& store,
                                   std::optional<Response>& error) {
    std::vector<Error> errors;
    auto from = DateQuery(c, "from", errors);
    auto to = DateQuery(c, "to", errors);
    if (!errors.empty()) {
        error.emplace(Invalid(c, errors, true));
        return std::nullopt;
    }
    if (!to) {
        auto last_change =
            s.last_change.Get("", s.upkeep.generation(), [&] { return service::LastChangeDate(store); });
        if (!last_change) {
            error.emplace(StoreFault(c, last_change.error()));
            return std::nullopt;
        }
        to = service::DefaultMapDate(s.plan, s.Today(), **last_change);
    }
    if (!from) from = Date{s.plan.start_year > 0 ? s.plan.start_year : to->year, 1, 1};
    if (*from > *to) {
        error.emplace(Invalid(
            c, {{.code = "query.period", .field = "from", .message_zh = "from不能晚于to", .message_en = "from must not be after to"}},
            true));
        return std::nullopt;
    }
    return Period{*from, *to};
}

}  // namespace

// GET /api/households/{code}/plan — the plan page (一户一案). On the I/O thread (routes.cc): reads of one
// household only (its row, items, income, cover), like GET /api/households/{code}; on the worker
// pool the two thread hops cost more than the page itself on a busy machine.
Response HouseholdPlanRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::optional<Response> error;
    if (!VisibleHouseholdDivision(c, p, store, error)) return std::move(*error);
    auto page = service::HouseholdPlan(store, s.plan, c.params.at("code"));
    if (!page) return LedgerFault(c, page.error());
    if (!*page) return NotFound(c, "户 " + c.params.at("code"), "household " + c.params.at("code"));
    json::value v = std::move(**page);
    std::map<std::string, std::string> names;
    CollectNames(v, names);
    AddNames(v, names);
    if (MasksPersonalData(p.role)) MaskLedgerJson(v);
    return Json(c, http::status::ok, v);
}

// GET /api/assistance?household=&unit=&measure=&from=&to=&signed=&deleted=&after=&limit=
Response ListAssistanceRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::vector<Error> errors;
    AssistanceFilter f;
    f.measure = IntParam(c, "measure", errors, 1, 99).transform([](int64_t m) { return static_cast<int>(m); });
    f.from = DateQuery(c, "from", errors);
    f.to = DateQuery(c, "to", errors);
    f.signed_off = BoolQuery(c, "signed", errors);
    f.include_deleted = BoolQuery(c, "deleted", errors).value_or(false);
    f.limit = IntParam(c, "limit", errors, 1, kMaxListLimit).value_or(100);
    if (auto it = c.query.find("after"); it != c.query.end()) f.after_code = it->second;
    if (!errors.empty()) return Invalid(c, errors, true);
    std::optional<Response> error;
    auto unit = UnitParam(s, c, p, error);
    if (!unit) return std::move(*error);
    f.division_prefix = s.PrefixOf(*unit);
    if (auto it = c.query.find("household"); it != c.query.end() && !it->second.empty())
        f.household_code = it->second;  // (out of scope: the unit's prefix leaves nothing)
    auto total = store.CountAssistance(f);
    if (!total) return StoreFault(c, total.error());
    auto records = store.ListAssistance(f);
    if (!records) return StoreFault(c, records.error());
    const bool mask = MasksPersonalData(p.role);
    json::array items;
    for (const AssistanceRecord& r : *records) items.push_back(ItemView(r, mask));
    json::value next = static_cast<int64_t>(records->size()) == f.limit && !records->empty()
                           ? json::value(records->back().item.item_code)
                           : json::value(nullptr);
    return Json(c, http::status::ok,
                json::object{{"items", std::move(items)}, {"total", *total}, {"next_after", std::move(next)}});
}

// POST /api/assistance — a new item (201).
Response AddAssistanceRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CanWriteHouseholds(p.role)) return Forbidden(c);
    std::vector<Error> errors;
    json::value body = ItemBody(c, errors);
    if (!errors.empty()) return Invalid(c, errors, false);
    std::optional<Response> error;
    auto item = ReadItem(s, c, body, error);
    if (!item) return std::move(*error);
    // The household must be one the caller may see (absent and out of scope alike: the field).
    auto h = store.FindHousehold(item->household_code);
    if (!h) return StoreFault(c, h.error());
    if (!*h || !InScope(p.scope, (*h)->household.division_code))
        return Fault(c, http::status::bad_request, "assistance.invalid", "帮扶项目有误,请按字段修改",
                     "the assistance item has errors; see the fields",
                     {{.code = "household.not_found", .field = "household_code", .message_zh = "您的管辖范围内没有户 " + item->household_code, .message_en = "no household " + item->household_code + " in your scope"}});
    auto added = service::AddAssistance(store, s.plan, std::move(*item), s.Change(p));
    if (!added) return LedgerFault(c, added.error());
    s.upkeep.LedgerChanged();
    return ItemReply(c, http::status::created, *added, MasksPersonalData(p.role));
}

// PUT /api/assistance/{code} — the item replaced (version in the body or If-Match).
Response UpdateAssistanceRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CanWriteHouseholds(p.role)) return Forbidden(c);
    std::optional<Response> error;
    auto before = VisibleItem(c, p, store, error);
    if (!before) return std::move(*error);
    std::vector<Error> errors;
    json::value body = ParseJsonObject(c.request.body(), errors);
    if (!errors.empty()) return Invalid(c, errors, false);
    auto version = VersionOf(c, body.get_object(), errors);
    if (!errors.empty()) return Invalid(c, errors, false);
    if (!version) return NeedVersion(c);
    if (*version != before->version) return StaleItem(c);
    json::object& o = body.get_object();
    for (std::string_view key : {"version", "deleted", "delete_reason", "division_code", "member_names"})
        o.erase(key);
    const std::string& code = before->item.item_code;
    if (!o.contains("item_code")) o["item_code"] = code;
    if (!o.contains("household_code")) o["household_code"] = before->item.household_code;
    if (const auto* v = o.if_contains("item_code"); v->is_string() && v->get_string() != code)
        errors.push_back({.code = "item_code.changed", .field = "item_code", .message_zh = "项目编号不能修改(地址中为" + code + ")", .message_en = "the item code cannot change (the address names " + code + ")"});
    if (const auto* v = o.if_contains("household_code");
        v->is_string() && v->get_string() != before->item.household_code)
        errors.push_back({.code = "household_code.changed", .field = "household_code", .message_zh = "项目所属的户不能修改", .message_en = "the item's household cannot change"});
    if (!errors.empty()) return BadFields(c, errors);
    auto item = ReadItem(s, c, body, error);
    if (!item) return std::move(*error);
    auto updated = service::UpdateAssistance(store, s.plan, *item, *version, s.Change(p));
    if (!updated) return LedgerFault(c, updated.error());
    s.upkeep.LedgerChanged();
    return ItemReply(c, http::status::ok, *updated, MasksPersonalData(p.role));
}

// POST /api/assistance/{code}/sign {version, signed_on, signed_by} — the household's sign-off.
Response SignAssistanceRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CanWriteHouseholds(p.role)) return Forbidden(c);
    std::optional<Response> error;
    auto before = VisibleItem(c, p, store, error);
    if (!before) return std::move(*error);
    BodyReader body(c.request.body(), {"version", "signed_on", "signed_by"});
    if (!body.ok()) return Invalid(c, body.errors, false);
    auto version = VersionOf(c, body.object(), body.errors);
    auto signed_on = body.DateField("signed_on", true);
    auto signed_by = body.Text("signed_by", true);
    if (!body.errors.empty()) return BadFields(c, body.errors);
    if (!version) return NeedVersion(c);
    auto signed_item = service::SignAssistance(store, before->item.item_code, *version, *signed_on,
                                               *signed_by, s.Change(p));
    if (!signed_item) return LedgerFault(c, signed_item.error());
    s.upkeep.LedgerChanged();
    return ItemReply(c, http::status::ok, *signed_item, MasksPersonalData(p.role));
}

// POST /api/assistance/{code}/delete {version, reason} — kept on record, counted nowhere.
Response DeleteAssistanceRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CanWriteHouseholds(p.role)) return Forbidden(c);
    std::optional<Response> error;
    auto before = VisibleItem(c, p, store, error);
    if (!before) return std::move(*error);
    BodyReader body(c.request.body(), {"version", "reason"});
    if (!body.ok()) return Invalid(c, body.errors, false);
    auto version = VersionOf(c, body.object(), body.errors);
    auto reason = body.Text("reason", true);
    if (!body.errors.empty()) return BadFields(c, body.errors);
    if (!version) return NeedVersion(c);
    auto deleted = service::DeleteAssistance(store, before->item.item_code, *version, *reason, s.Change(p));
    if (!deleted) return LedgerFault(c, deleted.error());
    s.upkeep.LedgerChanged();
    return ItemReply(c, http::status::ok, *deleted, MasksPersonalData(p.role));
}

// PUT /api/households/{code}/income/{year} — the year's income by its parts (version: 0 to create).
Response PutIncomeRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CanWriteHouseholds(p.role)) return Forbidden(c);
    std::optional<Response> error;
    auto h = s.Visible(c, p, store, error);
    if (!h) return std::move(*error);
    const auto year = YearPath(c);
    if (!year) return NotFound(c, "年度 " + c.params.at("year"), "year " + c.params.at("year"));
    std::vector<Error> errors;
    json::value body = ParseJsonObject(c.request.body(), errors);
    if (!errors.empty()) return Invalid(c, errors, false);
    auto version = VersionOf(c, body.get_object(), errors);
    if (!errors.empty()) return Invalid(c, errors, false);
    if (!version) return NeedVersion(c);
    json::object& o = body.get_object();
    for (std::string_view key : {"version"})
        o.erase(key);
    const std::string& code = h->household.household_code;
    if (!o.contains("household_code")) o["household_code"] = code;
    if (!o.contains("year")) o["year"] = *year;
    if (const auto* v = o.if_contains("household_code"); v->is_string() && v->get_string() != code)
        errors.push_back({.code = "household_code.changed", .field = "household_code", .message_zh = "户编号应为地址中的" + code, .message_en = "the household code must be the address's " + code});
    if (const auto* v = o.if_contains("year"); !v->is_int64() || v->get_int64() != *year)
        errors.push_back({.code = "year.changed", .field = "year", .message_zh = "年度应为地址中的" + std::to_string(*year), .message_en = "the year must be the address's " + std::to_string(*year)});
    if (!errors.empty()) return BadFields(c, errors);
    auto record = service::IncomeFromJson(body);
    if (!record)
        return Fault(c, http::status::bad_request, "income.invalid", "收入有误,请按字段修改",
                     "the income has errors; see the fields", {record.error()});
    if (auto problems = ValidateIncome(*record); !problems.empty())
        return Fault(c, http::status::bad_request, "income.invalid", "收入有误,请按字段修改",
                     "the income has errors; see the fields", problems);
    auto put = service::PutIncome(store, std::move(*record), *version, s.Change(p));
    if (!put) {
        if (put.error().code == "store.conflict")
            return Fault(c, http::status::precondition_failed, "income.stale",
                         "自您打开以来,此年度收入已被他人修改,请重新载入",
                         "someone changed this year's income since you opened it; reload it");
        return LedgerFault(c, put.error());
    }
    s.upkeep.LedgerChanged();
    return Tagged(c, *version == 0 ? http::status::created : http::status::ok, service::IncomeJson(*put),
                  put->version);
}

// PUT /api/households/{code}/coverage/{year} {"coverage": [{id_number, basic_medical_insurance,
// serious_illness_insurance, pension_insurance, dibao, wubao}]} — members' cover in the year (each
// flag true, false or null: not recorded). Answers the household's cover of the year.
Response PutCoverageRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CanWriteHouseholds(p.role)) return Forbidden(c);
    std::optional<Response> error;
    auto h = s.Visible(c, p, store, error);
    if (!h) return std::move(*error);
    const auto year = YearPath(c);
    if (!year) return NotFound(c, "年度 " + c.params.at("year"), "year " + c.params.at("year"));
    BodyReader body(c.request.body(), {"coverage"});
    if (!body.ok()) return Invalid(c, body.errors, false);
    const json::value* list = body.object().if_contains("coverage");
    if (!list || !list->is_array() || list->get_array().empty())
        body.errors.push_back({.code = "json.required", .field = "coverage", .message_zh = "coverage应为非空列表(每人一项)", .message_en = "coverage must be a non-empty list (one entry per person)"});
    if (!body.errors.empty()) return BadFields(c, body.errors);
    static constexpr std::string_view kFlags[] = {"basic_medical_insurance", "serious_illness_insurance",
                                                  "pension_insurance", "dibao", "wubao"};
    std::vector<Error> errors;
    std::vector<PersonCoverage> cover;
    const auto& entries = list->get_array();
    for (size_t i = 0; i < entries.size(); ++i) {
        const std::string at = "coverage[" + std::to_string(i) + "]";
        if (!entries[i].is_object()) {
            errors.push_back({.code = "json.type", .field = at, .message_zh = at + "应为对象", .message_en = at + " must be an object"});
            continue;
        }
        const json::object& e = entries[i].get_object();
        PersonCoverage pc;
        pc.household_code = h->household.household_code;
        pc.year = *year;
        for (const auto& [key, v] : e) {
            const std::string field = at + "." + std::string(key);
            if (key == "id_number") {
                if (v.is_string())
                    pc.id_number = std::string(v.get_string());
                else
                    errors.push_back({.code = "json.type", .field = field, .message_zh = "证件号码应为文字", .message_en = "id_number must be a string"});
                continue;
            }
            if (key == "name" || key == "year" || key == "household_code") continue;  // (as read back)
            const auto flag = std::ranges::find(kFlags, std::string_view(key));
            if (flag == std::end(kFlags)) {
                errors.push_back({.code = "json.unknown_field", .field = field, .message_zh = "未知字段: " + std::string(key), .message_en = "unknown field: " + std::string(key)});
                continue;
            }
            if (!v.is_null() && !v.is_bool()) {
                errors.push_back({.code = "json.type", .field = field, .message_zh = std::string(key) + "应为true、false或null", .message_en = std::string(key) + " must be true, false or null"});
                continue;
            }
            const std::optional<bool> value = v.is_bool() ? std::optional(v.get_bool()) : std::nullopt;
            switch (flag - std::begin(kFlags)) {
                case 0: pc.basic_medical_insurance = value; break;
                case 1: pc.serious_illness_insurance = value; break;
                case 2: pc.pension_insurance = value; break;
                case 3: pc.dibao = value; break;
                default: pc.wubao = value; break;
            }
        }
        if (pc.id_number.empty())
            errors.push_back({.code = "json.required", .field = at + ".id_number", .message_zh = "证件号码为必填项", .message_en = "id_number is required"});
        cover.push_back(std::move(pc));
    }
    if (!errors.empty()) return BadFields(c, errors);
    if (auto put = service::PutCoverage(store, h->household.household_code, *year, cover, s.Change(p)); !put)
        return LedgerFault(c, put.error());
    s.upkeep.LedgerChanged();
    auto stored = store.ListCoverage(h->household.household_code);
    if (!stored) return StoreFault(c, stored.error());
    json::array out;
    for (const PersonCoverage& pc : *stored)
        if (pc.year == *year) out.push_back(json::parse(CoverageToJson(pc)));
    return Json(c, http::status::ok,
                json::object{{"household_code", h->household.household_code}, {"year", *year}, {"coverage", std::move(out)}});
}

// GET /api/reports/measures?unit=&from=&to= — the measures delivered, kept while nothing changes.
Response MeasuresReport(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::optional<Response> error;
    auto unit = UnitParam(s, c, p, error);
    if (!unit) return std::move(*error);
    if (auto fresh = s.upkeep.Refresh(store); !fresh) return StoreFault(c, fresh.error());  // other writers
    auto period = PeriodParams(s, c, store, error);
    if (!period) return std::move(*error);
    auto figures = s.delivered.Get(*unit + "|" + period->from.ToString() + "|" + period->to.ToString(),
                                   s.upkeep.generation(), [&] {
                                       return service::BuildDelivered(store, s.plan, s.tree, *unit, period->from,
                                                                      period->to, s.config.check_parts);
                                   });
    if (!figures) return StoreFault(c, figures.error());
    return Json(c, http::status::ok, service::DeliveredJson(**figures, s.plan, s.tree));
}

// GET /api/reports/measures/{number}/not-reached?unit=&from=&to=&limit= — the households planned
// for the measure and not reached in the period (the measures page's drill-down).
Response NotReachedRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    const std::string& number_text = c.params.at("number");
    int number = 0;
    auto [ptr, ec] = std::from_chars(number_text.data(), number_text.data() + number_text.size(), number);
    const bool known = ec == std::errc() && ptr == number_text.data() + number_text.size() &&
                       std::ranges::any_of(s.plan.measures, [&](const PlanMeasure& m) { return m.number == number; });
    if (!known) return NotFound(c, "措施 " + number_text, "measure " + number_text);
    std::vector<Error> errors;
    const int64_t limit = IntParam(c, "limit", errors, 1, kMaxListLimit).value_or(200);
    if (!errors.empty()) return Invalid(c, errors, true);
    std::optional<Response> error;
    auto unit = UnitParam(s, c, p, error);
    if (!unit) return std::move(*error);
    auto period = PeriodParams(s, c, store, error);
    if (!period) return std::move(*error);
    auto items = service::NotReached(store, s.plan, *unit, number, period->from, period->to, limit);
    if (!items) return StoreFault(c, items.error());
    json::value v = std::move(*items);
    if (MasksPersonalData(p.role)) MaskLedgerJson(v);
    return Json(c, http::status::ok,
                json::object{{"measure", number},
                             {"unit", {{"code", *unit}, {"name", s.tree.Find(*unit)->name()}}},
                             {"from", period->from.ToString()},
                             {"to", period->to.ToString()},
                             {"items", std::move(v)}});
}

}  // namespace jz::server::routes
