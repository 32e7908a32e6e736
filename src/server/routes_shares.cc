// Asset-income shares' routes (资产收益扶贫, issue 16): assets with their holdings, moves, dividends
// and disposal; adding (and quantifying) an asset, declaring a year's dividends (each household's
// line posted as an assistance item), disposing of an asset, the year's reallocation, and a
// household's shares. The operations are service/shares.h, the same the CLI runs.
//
// Scope: county-level writers (scope of at most 6 digits) write; every reader sees the assets of
// villages within their scope (a township its villages', a village its own). A household's shares
// follow the household's own visibility. Masked roles: the answers carry no ID numbers; a
// disposal's reason has any typed-in ID number starred.
#include <boost/json.hpp>

#include "core/access.h"
#include "server/api_state.h"
#include "server/handlers.h"
#include "service/shares.h"

namespace jz::server::routes {
namespace {

namespace json = boost::json;

bool CountyWriter(const Principal& p) { return CanWriteHouseholds(p.role) && p.scope.size() <= 6; }

Response CountyOnly(const RequestContext& c) {
    return Fault(c, http::status::forbidden, "shares.scope", "资产收益的登记、分红、处置和股权调整须县级用户办理",
                 "assets, dividends, disposals and reallocations are for county-level users");
}

void MaskReason(const Principal& p, json::object& page) {
    if (!MasksPersonalData(p.role)) return;
    if (json::value* d = page.if_contains("disposal"); d && d->is_object())
        if (json::value* r = d->as_object().if_contains("reason"); r && r->is_string())
            *r = MaskIdNumbersInText(r->as_string());
}

// The asset {id} when the caller may see it (404 otherwise: out of scope looks like absent).
std::optional<Asset> VisibleAsset(const RequestContext& c, const Principal& p, Store& store,
                                  std::optional<Response>& error) {
    const std::string& id = c.params.at("id");
    auto found = store.FindAsset(id);
    if (!found) {
        error.emplace(StoreFault(c, found.error()));
        return std::nullopt;
    }
    if (!*found || !InScope(p.scope, (*found)->division_code)) {
        error.emplace(NotFound(c, "资产 " + id, "asset " + id));
        return std::nullopt;
    }
    return std::move(**found);
}

std::optional<json::value> ParseObject(const RequestContext& c, std::optional<Response>& error) {
    boost::system::error_code ec;
    json::value v = json::parse(c.request.body(), ec);
    if (ec || !v.is_object()) {
        error.emplace(Fault(c, http::status::bad_request, "json.invalid", "请求体应为 JSON 对象",
                            "the body must be a JSON object"));
        return std::nullopt;
    }
    return v;
}

}  // namespace

// GET /api/assets?division= — the assets of villages under the division (default the scope).
Response ListAssetsRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::optional<Response> error;
    auto division = s.DivisionParam(c, p, error);
    if (!division) return std::move(*error);
    auto assets = store.ListAssets(s.PrefixOf(*division));
    if (!assets) return StoreFault(c, assets.error());
    json::array rows;
    for (const Asset& a : *assets) {
        if (!InScope(p.scope, a.division_code)) continue;
        auto h = store.AssetHoldings(a.id);
        if (!h) return StoreFault(c, h.error());
        rows.push_back(service::AssetJson(a, s.tree, static_cast<int64_t>(h->size())));
    }
    return Json(c, http::status::ok, json::object{{"assets", std::move(rows)}});
}

// POST /api/assets (county writer) — the asset added and quantified at once: 201 {asset, holdings}.
// Optional body keys beside the asset's: date (quantification day, default today), year (default
// the date's).
Response AddAssetRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CountyWriter(p)) return CountyOnly(c);
    std::optional<Response> error;
    auto body = ParseObject(c, error);
    if (!body) return std::move(*error);
    json::object fields = body->as_object();
    Date date = s.Today();
    int year = 0;
    std::vector<Error> errors;
    if (json::value* d = fields.if_contains("date")) {
        auto parsed = d->is_string() ? Date::Parse(d->as_string()) : std::nullopt;
        if (!parsed)
            errors.push_back({.code = "input.asset", .field = "date", .message_zh = "日期格式应为 YYYY-MM-DD",
                              .message_en = "must be a date YYYY-MM-DD"});
        else
            date = *parsed;
        fields.erase("date");
    }
    if (json::value* y = fields.if_contains("year")) {
        if (y->is_int64() && y->as_int64() >= 1900 && y->as_int64() <= 2100)
            year = static_cast<int>(y->as_int64());
        else
            errors.push_back({.code = "input.asset", .field = "year", .message_zh = "年份应为整数",
                              .message_en = "must be a year"});
        fields.erase("year");
    }
    if (!errors.empty()) return BadFields(c, errors);
    auto asset = service::AssetFromJson(fields, s.plan);
    if (!asset) return BadFields(c, {asset.error()});
    if (!s.tree.Find(asset->division_code))
        return BadFields(c, {{.code = "shares.division_invalid", .field = "division_code",
                              .message_zh = "未知的村: " + asset->division_code,
                              .message_en = "unknown village: " + asset->division_code}});
    if (!InScope(p.scope, asset->division_code)) return CountyOnly(c);
    auto held = service::AddAsset(store, s.plan, *asset, year ? year : date.year, date, s.Change(p));
    if (!held) return DynamicFault(c, held.error());
    json::array holdings;
    for (const auto& [holder, n] : *held) holdings.push_back({{"holder", holder}, {"shares", n}});
    return Json(c, http::status::created,
                json::object{{"asset", service::AssetJson(*asset, s.tree, static_cast<int64_t>(held->size()))},
                             {"holdings", std::move(holdings)}});
}

// GET /api/assets/{id} — {asset, holdings, moves, dividends, disposal}.
Response GetAssetRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::optional<Response> error;
    auto asset = VisibleAsset(c, p, store, error);
    if (!asset) return std::move(*error);
    auto page = service::AssetDetailJson(store, s.tree, asset->id);
    if (!page) return StoreFault(c, page.error());
    if (!*page) return NotFound(c, "资产 " + asset->id, "asset " + asset->id);
    MaskReason(p, **page);
    return Json(c, http::status::ok, std::move(**page));
}

// POST /api/assets/{id}/dividends {year, income, date?, measure?} — 201 the declaration.
Response DeclareDividendsRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CountyWriter(p)) return CountyOnly(c);
    std::optional<Response> error;
    auto asset = VisibleAsset(c, p, store, error);
    if (!asset) return std::move(*error);
    BodyReader body(c.request.body(), {"year", "income", "date", "measure"});
    if (!body.ok()) return Invalid(c, body.errors, false);
    auto year = body.Int("year", true, 1900, 2100);
    auto income_text = body.Text("income", true);
    auto date = body.DateField("date", false);
    auto measure = body.Int("measure", false, 0, 1000);
    std::optional<int64_t> income;
    if (income_text) {
        income = ParseCenti(*income_text);
        if (!income)
            body.errors.push_back({.code = "input.amount", .field = "income",
                                   .message_zh = "应为金额(元,最多两位小数)",
                                   .message_en = "must be an amount in yuan with at most two decimals"});
    }
    if (!body.errors.empty()) return BadFields(c, body.errors);
    auto declared = service::DeclareDividends(store, s.plan, asset->id, static_cast<int>(*year), *income,
                                              date.value_or(s.Today()), static_cast<int>(measure.value_or(0)),
                                              s.Change(p));
    if (!declared) return DynamicFault(c, declared.error());
    s.upkeep.LedgerChanged();
    return Json(c, http::status::created, service::DividendJson(*declared));
}

// POST /api/assets/{id}/disposal {vote_date, votes_for, votes_against, township_approved_on,
// county_agreed_on, finance_agreed_on, reason} — the asset, disposed of.
Response DisposeAssetRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CountyWriter(p)) return CountyOnly(c);
    std::optional<Response> error;
    auto asset = VisibleAsset(c, p, store, error);
    if (!asset) return std::move(*error);
    BodyReader body(c.request.body(), {"vote_date", "votes_for", "votes_against", "township_approved_on",
                                       "county_agreed_on", "finance_agreed_on", "reason"});
    if (!body.ok()) return Invalid(c, body.errors, false);
    AssetDisposal d;
    d.asset_id = asset->id;
    auto vote = body.DateField("vote_date", true);
    auto votes_for = body.Int("votes_for", true, 0, 1'000'000);
    auto votes_against = body.Int("votes_against", true, 0, 1'000'000);
    auto township = body.DateField("township_approved_on", true);
    auto county = body.DateField("county_agreed_on", true);
    auto finance = body.DateField("finance_agreed_on", true);
    auto reason = body.Text("reason", true);
    if (!body.errors.empty()) return BadFields(c, body.errors);
    d.vote_date = *vote;
    d.votes_for = static_cast<int>(*votes_for);
    d.votes_against = static_cast<int>(*votes_against);
    d.township_approved_on = *township;
    d.county_agreed_on = *county;
    d.finance_agreed_on = *finance;
    d.reason = *reason;
    auto disposed = service::DisposeAsset(store, d, s.Change(p));
    if (!disposed) return DynamicFault(c, disposed.error());
    auto h = store.AssetHoldings(disposed->id);
    if (!h) return StoreFault(c, h.error());
    return Json(c, http::status::ok, service::AssetJson(*disposed, s.tree, static_cast<int64_t>(h->size())));
}

// POST /api/shares/reallocation {year, date?, asset_id?} (county writer) — {year, moves, assets}.
Response ReallocateSharesRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CountyWriter(p)) return CountyOnly(c);
    BodyReader body(c.request.body(), {"year", "date", "asset_id"});
    if (!body.ok()) return Invalid(c, body.errors, false);
    auto year = body.Int("year", true, 1900, 2100);
    auto date = body.DateField("date", false);
    auto asset = body.Text("asset_id", false);
    if (!body.errors.empty()) return BadFields(c, body.errors);
    auto out = asset && !asset->empty()
                   ? service::ReallocateAsset(store, s.plan, *asset, static_cast<int>(*year), date.value_or(s.Today()),
                                              s.Change(p))
                   : service::ReallocateYear(store, s.plan, static_cast<int>(*year), date.value_or(s.Today()),
                                             s.Change(p));
    if (!out) return DynamicFault(c, out.error());
    json::array moves;
    for (const StoredShareMove& m : out->moves) {
        json::object o = service::MoveJson(m);
        o["asset_id"] = m.asset_id;
        moves.push_back(std::move(o));
    }
    return Json(c, http::status::ok,
                json::object{{"year", out->year}, {"moves", std::move(moves)}, {"assets", out->assets}});
}

// GET /api/households/{code}/shares — {holdings, dividends}.
Response HouseholdSharesRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::optional<Response> error;
    auto h = s.Visible(c, p, store, error);
    if (!h) return std::move(*error);
    auto out = service::HouseholdSharesJson(store, h->household.household_code);
    if (!out) return StoreFault(c, out.error());
    return Json(c, http::status::ok, std::move(*out));
}

}  // namespace jz::server::routes
