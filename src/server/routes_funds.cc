// Funds' routes (资金, issue 16): fund sources, allocations, payees, balances, entries posted and
// reversed, the monthly expenditure report and the findings. The operations are service/funds.h,
// the same the CLI runs. Scope: county-level accounts (scope ≤ 6 digits) see and manage everything;
// a township's readers see allocations (read-only), their projects' entries, report rows and
// findings; a township's writer may post disbursements and deposit releases of its own projects.
// Sources, allocations, payees and reversals are written by county writers only. Refused postings
// answer 422 with the rule as error.code and the entry's field ("entries[i].amount"), and are kept
// as findings. The project library's routes are routes_projects.cc.
#include <algorithm>
#include <boost/json.hpp>
#include <cstdint>
#include <cstdio>

#include "core/access.h"
#include "core/procedure.h"
#include "server/api_state.h"
#include "server/auth.h"
#include "server/handlers.h"
#include "server/request.h"
#include "service/funds.h"

namespace jz::server::routes {
namespace {

namespace json = boost::json;

bool County(const Principal& p) { return ScopeLevel(p.scope) == Level::kCounty; }
bool CountyWriter(const Principal& p) { return County(p) && CanWriteHouseholds(p.role); }

}  // namespace

// What a failed funds operation means to the client (also routes_projects.cc).
Response FundsFault(const RequestContext& c, const Error& e) {
    if (e.code.ends_with(".not_found") || e.code == "not_found") return FaultOf(c, http::status::not_found, e);
    if (e.code == "project.permission") return FaultOf(c, http::status::forbidden, e);
    if (e.code == "store.conflict") return FaultOf(c, http::status::precondition_failed, e);
    if (e.code == "store.duplicate" || e.code == "project.step_invalid" || e.code == "project.notice_period")
        return FaultOf(c, http::status::conflict, e);
    if (e.code.starts_with("store.")) return StoreFault(c, e);
    if (e.code == "fund.invalid" || e.code == "project.invalid" || e.code == "project.source" ||
        e.code == "project.date" || e.code == "project.outcome")
        return FaultOf(c, http::status::bad_request, e);
    return FaultOf(c, http::status::unprocessable_entity, e);  // a ledger rule (fund.*)
}

// Free text of funds and projects may quote an ID number or a phone: masked roles see ID numbers
// starred in every such field, wherever it sits in the answer (also routes_projects.cc).
void MaskFundsText(json::value& v) {
    static constexpr std::string_view kFreeText[] = {"notes", "refs", "how", "task", "subsidy_standard",
                                                     "performance_target", "responsible", "unit", "reason",
                                                     "decision_id", "message", "message_zh", "message_en",
                                                     "entry_json", "name", "document_number"};
    if (v.is_array()) {
        for (json::value& x : v.get_array()) MaskFundsText(x);
        return;
    }
    if (!v.is_object()) return;
    for (auto& [key, x] : v.get_object()) {
        if (x.is_string() && std::ranges::find(kFreeText, std::string_view(key)) != std::end(kFreeText))
            x = MaskIdNumbersInText(x.get_string());
        else if (x.is_structured())
            MaskFundsText(x);
    }
}

namespace {

Response Answer(const RequestContext& c, const Principal& p, http::status status, json::value v) {
    if (MasksPersonalData(p.role)) MaskFundsText(v);
    return Json(c, status, v);
}

Error FieldError(std::string code, std::string field, std::string zh, std::string en) {
    return {.code = std::move(code), .field = std::move(field), .message_zh = std::move(zh), .message_en = std::move(en)};
}

std::optional<Date> DateQuery(const RequestContext& c, const std::string& name, std::vector<Error>& errors) {
    auto it = c.query.find(name);
    if (it == c.query.end() || it->second.empty()) return std::nullopt;
    auto d = Date::Parse(it->second);
    if (!d) errors.push_back(FieldError("query.date", name, name + "应为日期 YYYY-MM-DD", name + " must be a date YYYY-MM-DD"));
    return d;
}

Result<json::value> Body(const RequestContext& c) {
    std::vector<Error> errors;
    json::value v = ParseJsonObject(c.request.body(), errors);
    if (!errors.empty()) return std::unexpected(errors.front());
    return v;
}

}  // namespace

// GET /api/fund-sources
Response FundSourcesRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    auto r = service::FundSourcesJson(store, s.plan);
    if (!r) return FundsFault(c, r.error());
    return Answer(c, p, http::status::ok, std::move(*r));
}

// POST /api/fund-sources {code,name,special_poverty} (county writer) → 201 the source
Response AddFundSourceRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CountyWriter(p)) return Forbidden(c);
    BodyReader body(c.request.body(), {"code", "name", "special_poverty"});
    if (!body.ok()) return Invalid(c, body.errors, false);
    FundSource src;
    src.code = body.Text("code", true).value_or("");
    src.name = body.Text("name", true).value_or("");
    if (const json::value* v = body.object().if_contains("special_poverty")) {
        if (v->is_bool())
            src.special_poverty = v->get_bool();
        else
            body.errors.push_back(FieldError("request.invalid", "special_poverty", "special_poverty应为布尔值",
                                             "special_poverty must be true or false"));
    }
    if (!body.errors.empty()) return BadFields(c, body.errors);
    auto r = service::AddFundSource(store, s.plan, src, s.Change(p));
    if (!r) return FundsFault(c, r.error());
    return Answer(c, p, http::status::created,
                  json::object{{"code", r->code}, {"name", r->name}, {"special_poverty", r->special_poverty}});
}

// GET /api/allocations?year= (county and township readers)
Response AllocationsRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (ScopeLevel(p.scope) == Level::kVillage) return Forbidden(c);
    std::vector<Error> errors;
    const auto year = YearQuery(c, errors, false);
    if (!errors.empty()) return Invalid(c, errors, true);
    auto r = service::AllocationsJson(store, s.plan, year);
    if (!r) return FundsFault(c, r.error());
    return Answer(c, p, http::status::ok, std::move(*r));
}

// POST /api/allocations {source,document_number,year,amount,earmark} (county writer) → 201
Response AddAllocationRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CountyWriter(p)) return Forbidden(c);
    BodyReader body(c.request.body(), {"source", "document_number", "year", "amount", "earmark"});
    if (!body.ok()) return Invalid(c, body.errors, false);
    Allocation a;
    a.source = body.Text("source", true).value_or("");
    a.document_number = body.Text("document_number", true).value_or("");
    a.year = static_cast<int>(body.Int("year", true, 2000, 2100).value_or(0));
    if (auto amount = body.Text("amount", true)) {
        auto f = service::ParseYuan(*amount, "amount");
        if (f)
            a.amount = *f;
        else
            body.errors.push_back(f.error());
    }
    if (const json::value* v = body.object().if_contains("earmark"); v && !v->is_null()) {
        if (!v->is_array()) {
            body.errors.push_back(FieldError("request.invalid", "earmark", "earmark应为用途代码数组", "earmark must be an array of use codes"));
        } else {
            for (const json::value& x : v->get_array()) {
                if (!x.is_string()) {
                    body.errors.push_back(FieldError("request.invalid", "earmark", "earmark应为用途代码数组", "earmark must be an array of use codes"));
                    break;
                }
                a.earmark.emplace_back(x.get_string());
            }
        }
    }
    if (!body.errors.empty()) return BadFields(c, body.errors);
    auto r = service::AddAllocation(store, s.plan, a, s.Change(p));
    if (!r) return FundsFault(c, r.error());
    auto sources = service::AllFundSources(store, s.plan);
    std::string name = r->source;
    if (sources)
        for (const FundSource& x : *sources)
            if (x.code == r->source) name = x.name;
    json::object o = service::AllocationJson(*r, name);
    for (const char* k : {"received", "budgeted", "spent", "deposit_held"}) o[k] = "0.00";
    o["unspent"] = "0.00";
    return Answer(c, p, http::status::created, std::move(o));
}

// GET /api/payees (county and township readers)
Response PayeesRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    (void)s;
    if (ScopeLevel(p.scope) == Level::kVillage) return Forbidden(c);
    auto r = service::PayeesJson(store);
    if (!r) return FundsFault(c, r.error());
    return Answer(c, p, http::status::ok, std::move(*r));
}

// POST /api/payees {kind,name} (county writer) → 201
Response AddPayeeRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CountyWriter(p)) return Forbidden(c);
    BodyReader body(c.request.body(), {"kind", "name"});
    if (!body.ok()) return Invalid(c, body.errors, false);
    const std::string kind_text = body.Text("kind", true).value_or("");
    const std::string name = body.Text("name", true).value_or("");
    const auto kind = service::ParsePayeeKind(kind_text);
    if (!kind && !kind_text.empty())
        body.errors.push_back(FieldError("request.invalid", "kind", "kind应为 contractor 或 beneficiary",
                                         "kind must be contractor or beneficiary"));
    if (!body.errors.empty()) return BadFields(c, body.errors);
    auto r = service::AddPayee(store, Payee{0, *kind, name}, s.Change(p));
    if (!r) return FundsFault(c, r.error());
    return Answer(c, p, http::status::created,
                  json::object{{"id", r->id}, {"kind", service::PayeeKindName(r->kind)}, {"name", r->name}});
}

// GET /api/fund-balances (county)
Response FundBalancesRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!County(p)) return Forbidden(c);
    auto r = service::FundBalancesJson(store, s.plan);
    if (!r) return FundsFault(c, r.error());
    return Answer(c, p, http::status::ok, std::move(*r));
}

// GET /api/fund-entries?allocation=&project=&kind=&from=&to=&limit=&offset=
Response FundEntriesRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::vector<Error> errors;
    FundEntryQuery q;
    q.allocation = IntParam(c, "allocation", errors, 1, INT64_MAX).value_or(0);
    q.project = IntParam(c, "project", errors, 1, INT64_MAX).value_or(0);
    if (auto it = c.query.find("kind"); it != c.query.end() && !it->second.empty()) {
        q.kind = ParseFundEntryKind(it->second);
        if (!q.kind) errors.push_back(FieldError("query.invalid", "kind", "未知的分录类型", "unknown entry kind"));
    }
    q.from = DateQuery(c, "from", errors);
    q.to = DateQuery(c, "to", errors);
    q.limit = IntParam(c, "limit", errors, 1, 1000).value_or(200);
    q.offset = IntParam(c, "offset", errors, 0, INT64_MAX / 2).value_or(0);
    if (!errors.empty()) return Invalid(c, errors, true);
    auto r = service::EntriesJson(store, q, s.ScopeFilter(p));
    if (!r) return FundsFault(c, r.error());
    return Answer(c, p, http::status::ok, std::move(*r));
}

// POST /api/fund-entries {"entries":[...]} → 201 {"entries":[posted]}
Response PostFundEntriesRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CanWriteHouseholds(p.role) || ScopeLevel(p.scope) == Level::kVillage) return Forbidden(c);
    auto body = Body(c);
    if (!body) return Invalid(c, {body.error()}, false);
    auto entries = service::EntriesFromJson(*body);
    if (!entries) return FundsFault(c, entries.error());
    if (!County(p)) {
        // A township's writer: disbursements and releases of its own projects only.
        for (size_t i = 0; i < entries->size(); ++i) {
            const FundEntry& e = (*entries)[i];
            bool ok = e.kind == FundEntryKind::kDisburse || e.kind == FundEntryKind::kReleaseDeposit;
            if (ok) {
                auto project = store.FindFundProject(e.project);
                if (!project) return FundsFault(c, project.error());
                ok = *project && InScope(p.scope, (*project)->division_code);
            }
            if (!ok)
                return Fault(c, http::status::forbidden, "forbidden", "乡镇账号只能为本乡镇项目记支付或退还质保金",
                             "a township account posts disbursements and deposit releases of its own projects only",
                             {FieldError("forbidden", "entries[" + std::to_string(i) + "]", "无权记此分录",
                                         "you may not post this entry")});
        }
    }
    auto posted = service::PostEntries(store, s.plan, *entries, s.Today(), s.Change(p));
    if (!posted) return FundsFault(c, posted.error());
    json::array out;
    for (const FundEntry& e : *posted) out.push_back(service::EntryJson(e));
    return Answer(c, p, http::status::created, json::object{{"entries", std::move(out)}});
}

// POST /api/fund-entries/{id}/reversal {date, refs} (county writer) → 201 the reversing entry
Response ReverseFundEntryRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CountyWriter(p)) return Forbidden(c);
    const auto id = IdParam(c, "id");
    if (!id) return NotFound(c, "分录 " + c.params.at("id"), "entry " + c.params.at("id"));
    BodyReader body(c.request.body(), {"date", "refs"});
    if (!body.ok()) return Invalid(c, body.errors, false);
    const auto date = body.DateField("date", true);
    const std::string refs = body.Text("refs", false).value_or("");
    if (!body.errors.empty()) return BadFields(c, body.errors);
    auto r = service::ReverseEntry(store, s.plan, *id, *date, refs, s.Today(), s.Change(p));
    if (!r) {
        if (r.error().code == "fund.reversal_invalid" && r.error().message_en.find("does not exist") != std::string::npos)
            return NotFound(c, "分录 " + std::to_string(*id), "entry " + std::to_string(*id));
        return FundsFault(c, r.error());
    }
    return Answer(c, p, http::status::created, service::EntryJson(*r));
}

// GET /api/fund-reports/monthly?month=YYYY-MM
Response MonthlyFundReportRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    int year = 0, month = 0;
    auto it = c.query.find("month");
    const std::string text = it == c.query.end() ? std::string() : it->second;
    if (text.size() != 7 || text[4] != '-' || std::sscanf(text.c_str(), "%4d-%2d", &year, &month) != 2 || month < 1 ||
        month > 12)
        return Invalid(c, {FieldError("query.invalid", "month", "month应为 YYYY-MM", "month must be YYYY-MM")}, true);
    auto r = service::MonthlyReportJson(store, s.plan, s.tree, year, month, s.ScopeFilter(p));
    if (!r) return FundsFault(c, r.error());
    return Answer(c, p, http::status::ok, std::move(*r));
}

// GET /api/fund-findings?as_of=YYYY-MM-DD
Response FundFindingsRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::optional<Response> error;
    const auto as_of = s.AsOfParam(c, error);
    if (!as_of) return std::move(*error);
    auto r = service::FindingsJson(store, s.plan, *as_of, s.ScopeFilter(p));
    if (!r) return FundsFault(c, r.error());
    return Answer(c, p, http::status::ok, std::move(*r));
}

}  // namespace jz::server::routes
