// Procedure routes (docs/dynamic-management.md): the case list, opening a case or a one-step
// change (new identification, exit, fallback, deregistration, member change, buffer end), one
// case and its steps; population settings and the year's adjustment. The operations are
// service::Dynamic's, the same the CLI's `procedure`, `population` and `adjustment` commands run.
#include <boost/json.hpp>

#include "core/codes.h"
#include "server/api_state.h"
#include "server/handlers.h"

namespace jz::server::routes {
namespace {

namespace json = boost::json;

// The case list's filters: kind, state, household, open, year, offset, limit.
CaseFilter ReadCaseFilter(const RequestContext& c, std::vector<Error>& errors) {
    CaseFilter f;
    if (auto it = c.query.find("kind"); it != c.query.end() && !it->second.empty()) {
        f.kind = ParseProcedureKind(it->second);
        if (!f.kind)
            errors.push_back(
                {.code = "query.kind", .field = "kind", .message_zh = "未知的案件类型: " + it->second, .message_en = "unknown kind: " + it->second});
    }
    if (auto it = c.query.find("state"); it != c.query.end() && !it->second.empty()) f.state = it->second;
    if (auto it = c.query.find("household"); it != c.query.end() && !it->second.empty())
        f.household_code = it->second;
    if (auto it = c.query.find("open"); it != c.query.end() && !it->second.empty()) {
        if (it->second != "true" && it->second != "false")
            errors.push_back({.code = "query.open", .field = "open", .message_zh = "open应为true或false", .message_en = "open must be true or false"});
        else
            f.open = it->second == "true";
    }
    if (auto y = YearQuery(c, errors, false)) f.year = *y;
    f.offset = IntParam(c, "offset", errors, 0, INT64_MAX).value_or(0);
    f.limit = IntParam(c, "limit", errors, 1, kMaxPageSize).value_or(50);
    return f;
}

// The body of POST /api/procedures: kind, year, date, notes, household_code, reason. Problems go to
// r.errors.
service::OpenRequest ReadOpenRequest(BodyReader& r) {
    service::OpenRequest request;
    const auto kind_name = r.Text("kind", true);
    if (kind_name) {
        auto kind = ParseProcedureKind(*kind_name);
        if (!kind)
            r.errors.push_back(
                {.code = "json.kind", .field = "kind", .message_zh = "未知的案件类型: " + *kind_name, .message_en = "unknown kind: " + *kind_name});
        else
            request.kind = *kind;
    }
    request.year = static_cast<int>(r.Int("year", true, 1900, 2100).value_or(0));
    request.date = r.DateField("date", true).value_or(Date{});
    request.notes = r.Text("notes", false).value_or("");
    request.household_code = r.Text("household_code", false).value_or("");
    request.reason = r.Text("reason", false).value_or("");
    return request;
}

// A member change's part of the request: member_change, id_number, new_head, and the joining
// person by the importer's rules (service::AcceptJoiningMember). nullopt after setting `error`.
std::optional<MemberChangeRequest> ReadMemberChange(const ApiState& s, const RequestContext& c,
                                                    const Principal& p, Store& store, BodyReader& r,
                                                    const std::string& household_code,
                                                    std::optional<Response>& error) {
    const json::object& o = r.object();
    const json::value* change = o.if_contains("member_change");
    std::optional<int> code;
    if (change && change->is_int64()) code = static_cast<int>(change->get_int64());
    if (change && change->is_string()) code = codes::MemberChange().Parse(change->get_string());
    if (!code || !codes::MemberChange().Contains(*code)) {
        error.emplace(
            BadFields(c, {{.code = "json.member_change", .field = "member_change", .message_zh = "成员变更类型无效(死亡、嫁出、新生儿…)", .message_en = "member_change must be a member change (死亡, 嫁出, 新生儿, ...)"}}));
        return std::nullopt;
    }
    MemberChangeRequest member;
    member.change = *code;
    member.id_number = r.Text("id_number", false).value_or("");
    member.new_head = r.Text("new_head", false).value_or("");
    if (const json::value* person = o.if_contains("person"); person && !person->is_null()) {
        auto current = store.FindHousehold(household_code);
        if (!current) {
            error.emplace(StoreFault(c, current.error()));
            return std::nullopt;
        }
        if (!*current || !InScope(p.scope, (*current)->household.division_code)) {
            error.emplace(NotFound(c, "户 " + household_code, "household " + household_code));
            return std::nullopt;
        }
        auto joining =
            service::AcceptJoiningMember(*person, (*current)->household, AssemblyContext{s.plan, s.tree});
        if (!joining) {
            error.emplace(BadFields(c, joining.error()));
            return std::nullopt;
        }
        member.joining = std::move(joining->person);
    }
    return member;
}

// "exclusions": an array of strings (each bad element adds an error).
std::vector<std::string> ReadExclusions(BodyReader& r) {
    std::vector<std::string> out;
    const json::value* x = r.object().if_contains("exclusions");
    if (!x || x->is_null()) return out;
    auto bad = [&] {
        r.errors.push_back(
            {.code = "json.type", .field = "exclusions", .message_zh = "exclusions应为文字数组", .message_en = "exclusions must be an array of strings"});
    };
    if (!x->is_array()) {
        bad();
        return out;
    }
    for (const json::value& e : x->get_array())
        if (e.is_string())
            out.emplace_back(e.get_string());
        else
            bad();
    return out;
}

Response AdjustmentReply(const ApiState& s, const RequestContext& c, const Principal& p, Store& store,
                         int year, http::status status) {
    service::Dynamic dynamic(store, s.plan, s.tree);
    auto summary = dynamic.Adjustment(year, s.ScopeFilter(p));
    if (!summary) return StoreFault(c, summary.error());
    auto approval = dynamic.ApprovalOf(year);
    if (!approval) return StoreFault(c, approval.error());
    return Json(c, status, service::AdjustmentJson(*summary, s.tree, *approval));
}

}  // namespace

Response ListProcedures(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::vector<Error> errors;
    CaseFilter f = ReadCaseFilter(c, errors);
    if (!errors.empty()) return BadFields(c, errors);
    std::optional<Response> error;
    auto division = s.DivisionParam(c, p, error);
    if (!division) return std::move(*error);
    f.division_prefix = s.PrefixOf(*division);
    service::Dynamic dynamic(store, s.plan, s.tree);
    auto list = dynamic.List(f);
    if (!list) return StoreFault(c, list.error());
    auto waiting = dynamic.WaitingUnder(f.division_prefix);
    if (!waiting) return StoreFault(c, waiting.error());
    json::array items;
    for (const ProcedureCase& pc : list->cases) {
        auto reply = s.CaseReply(store, pc, MasksPersonalData(p.role));
        if (!reply) return StoreFault(c, reply.error());
        items.push_back(std::move(*reply));
    }
    return Json(c, http::status::ok,
                json::object{{"total", list->total},
                             {"items", std::move(items)},
                             {"waiting", service::WaitingJson(*waiting, s.tree)}});
}

Response OpenProcedure(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    BodyReader r(c.request.body(), {"kind", "year", "date", "notes", "household_code", "household", "reason",
                                    "member_change", "id_number", "person", "new_head"});
    if (!r.ok()) return BadFields(c, r.errors);
    service::OpenRequest request = ReadOpenRequest(r);
    if (!r.errors.empty()) return BadFields(c, r.errors);
    service::Dynamic dynamic(store, s.plan, s.tree);
    if (request.kind == ProcedureKind::kBufferEnd && request.household_code.empty()) {
        auto ids = dynamic.EndBuffers(s.ActorOf(p), request.year, request.date, s.Now());
        if (!ids) return DynamicFault(c, ids.error());
        return Json(c, http::status::ok,
                    json::object{{"count", ids->size()}, {"cases", json::array(ids->begin(), ids->end())}});
    }
    std::optional<Response> error;
    if (request.kind == ProcedureKind::kNewIdentification) {
        const json::value* h = r.object().if_contains("household");
        if (!h || !h->is_object())
            return BadFields(c, {{.code = "json.required", .field = "household", .message_zh = "新识别须提供household(对象)", .message_en = "a new identification needs household (an object)"}});
        auto accepted = s.AcceptHousehold(c, p, store, "", *h, {}, error);
        if (!accepted) return std::move(*error);
        request.proposal = std::move(accepted->household);
    } else if (request.household_code.empty()) {
        return BadFields(
            c, {{.code = "json.required", .field = "household_code", .message_zh = "household_code为必填项", .message_en = "household_code is required"}});
    }
    if (request.kind == ProcedureKind::kMemberChange) {
        auto member = ReadMemberChange(s, c, p, store, r, request.household_code, error);
        if (!member) return std::move(*error);
        request.member = std::move(*member);
        request.member.notes = request.notes;
    }
    auto opened = dynamic.Open(s.ActorOf(p), request, s.Now());
    if (!opened) return DynamicFault(c, opened.error());
    auto reply = s.CaseReply(store, *opened, MasksPersonalData(p.role));
    if (!reply) return StoreFault(c, reply.error());
    return Json(c, http::status::created, std::move(*reply));
}

Response GetProcedure(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    const auto id = IdParam(c, "id");
    if (!id) return NotFound(c, "案件", "case");
    service::Dynamic dynamic(store, s.plan, s.tree);
    auto found = dynamic.Find(*id, p.scope);
    if (!found) return StoreFault(c, found.error());
    if (!*found) return NotFound(c, "案件 " + std::to_string(*id), "case " + std::to_string(*id));
    auto reply = s.CaseReply(store, **found, MasksPersonalData(p.role));
    if (!reply) return StoreFault(c, reply.error());
    return Json(c, http::status::ok, std::move(*reply));
}

Response TakeStep(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    const auto id = IdParam(c, "id");
    if (!id) return NotFound(c, "案件", "case");
    BodyReader r(c.request.body(), {"step", "date", "outcome", "notes", "exclusions", "version"});
    if (!r.ok()) return BadFields(c, r.errors);
    StepRequest request;
    request.step = r.Text("step", true).value_or("");
    request.date = r.DateField("date", true).value_or(Date{});
    request.outcome = r.Text("outcome", false).value_or("");
    request.notes = r.Text("notes", false).value_or("");
    const auto version = r.Int("version", false, 1, INT64_MAX);
    request.exclusions = ReadExclusions(r);
    if (!r.errors.empty()) return BadFields(c, r.errors);
    service::Dynamic dynamic(store, s.plan, s.tree);
    auto after = dynamic.Step(s.ActorOf(p), *id, request, version, {}, s.Now());
    if (!after) return DynamicFault(c, after.error());
    auto reply = s.CaseReply(store, *after, MasksPersonalData(p.role));
    if (!reply) return StoreFault(c, reply.error());
    return Json(c, http::status::ok, std::move(*reply));
}

Response PutPopulation(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    BodyReader r(c.request.body(), {"year", "rural_population"});
    if (!r.ok()) return BadFields(c, r.errors);
    const auto year = r.Int("year", true, 1900, 2100);
    const auto population = r.Int("rural_population", true, 1, 1'000'000'000);
    if (!r.errors.empty()) return BadFields(c, r.errors);
    const PopulationSetting setting{c.params.at("code"), static_cast<int>(*year), *population};
    if (!s.tree.Find(setting.code))
        return NotFound(c, "组织机构 " + setting.code, "org unit " + setting.code);
    service::Dynamic dynamic(store, s.plan, s.tree);
    if (auto done = dynamic.SetPopulation(s.ActorOf(p), setting, s.Now()); !done)
        return DynamicFault(c, done.error());
    return Json(
        c, http::status::ok,
        json::object{
            {"code", setting.code}, {"year", setting.year}, {"rural_population", setting.rural_population}});
}

Response GetAdjustment(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    const auto year = YearPath(c);
    if (!year) return NotFound(c, "年度", "year");
    return AdjustmentReply(s, c, p, store, *year, http::status::ok);
}

Response ApproveAdjustment(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    const auto year = YearPath(c);
    if (!year) return NotFound(c, "年度", "year");
    BodyReader r(c.request.body(), {"date", "notes"});
    if (!r.ok()) return BadFields(c, r.errors);
    const auto date = r.DateField("date", true);
    const std::string notes = r.Text("notes", false).value_or("");
    if (!r.errors.empty()) return BadFields(c, r.errors);
    service::Dynamic dynamic(store, s.plan, s.tree);
    auto approved = dynamic.Approve(s.ActorOf(p), *year, *date, notes, s.Now());
    if (!approved) return DynamicFault(c, approved.error());
    return AdjustmentReply(s, c, p, store, *year, http::status::ok);
}

}  // namespace jz::server::routes
