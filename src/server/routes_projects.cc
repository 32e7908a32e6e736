// The project library's routes (项目库, issue 16): list, apply, one project with its money, entries
// and households, steps with levels and publicity, and the notice. The operations are
// service/funds.h. Scope: a project is seen by accounts whose scope holds its division (county: all;
// township: its township's; village: its village's); out of scope looks like absent (404). Steps
// are checked at their level by core/project_library.h (403 project.permission; 409
// project.step_invalid when the state does not take the step).
#include <boost/json.hpp>

#include "core/access.h"
#include "server/api_state.h"
#include "server/auth.h"
#include "server/handlers.h"
#include "server/request.h"
#include "service/funds.h"

namespace jz::server::routes {

Response FundsFault(const RequestContext& c, const Error& e);  // routes_funds.cc
void MaskFundsText(boost::json::value& v);                      // routes_funds.cc

namespace {

namespace json = boost::json;

ProjectActor ActorOf(const ApiState& s, const Principal& p) { return ProjectActor{p.role, p.scope, p.username, s.Now()}; }

Response Answer(const RequestContext& c, const Principal& p, http::status status, json::value v) {
    if (MasksPersonalData(p.role)) MaskFundsText(v);
    return Json(c, status, v);
}

// The project {id} (an id or a code) when the caller may see it. nullopt after setting `error`.
std::optional<LibraryProject> VisibleProject(const RequestContext& c, const Principal& p, Store& store,
                                             std::optional<Response>& error) {
    const std::string& ref = c.params.at("id");
    auto found = service::FindProject(store, ref);
    if (!found) {
        if (found.error().code == "project.not_found")
            error.emplace(NotFound(c, "项目 " + ref, "project " + ref));
        else
            error.emplace(FundsFault(c, found.error()));
        return std::nullopt;
    }
    if (!InScope(p.scope, found->division_code)) {
        error.emplace(NotFound(c, "项目 " + ref, "project " + ref));
        return std::nullopt;
    }
    return std::move(*found);
}

}  // namespace

// GET /api/projects?state=&division=&q=&limit=&offset=
Response ListProjectsRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::vector<Error> errors;
    LibraryProjectFilter f;
    if (auto it = c.query.find("state"); it != c.query.end() && !it->second.empty()) {
        f.state = it->second;
        if (!IsProjectLibraryState(f.state))
            errors.push_back({.code = "query.invalid", .field = "state", .message_zh = "未知的项目状态",
                              .message_en = "unknown project state"});
    }
    if (auto it = c.query.find("q"); it != c.query.end()) f.q = it->second.substr(0, 100);
    f.limit = IntParam(c, "limit", errors, 1, 1000).value_or(200);
    f.offset = IntParam(c, "offset", errors, 0, INT64_MAX / 2).value_or(0);
    if (!errors.empty()) return Invalid(c, errors, true);
    std::optional<Response> error;
    const auto division = s.DivisionParam(c, p, error);
    if (!division) return std::move(*error);
    f.division_prefix = s.PrefixOf(*division);
    auto r = service::ProjectListJson(store, s.tree, f);
    if (!r) return FundsFault(c, r.error());
    return Answer(c, p, http::status::ok, std::move(*r));
}

// POST /api/projects — apply (201 the record)
Response ApplyProjectRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CanWriteHouseholds(p.role)) return Forbidden(c);
    std::vector<Error> errors;
    json::value body = ParseJsonObject(c.request.body(), errors);
    if (!errors.empty()) return Invalid(c, errors, false);
    auto proposal = service::ProjectFromJson(body);
    if (!proposal) return FundsFault(c, proposal.error());
    Date date = s.Today();
    if (const json::value* d = body.get_object().if_contains("date"); d && d->is_string()) {
        auto parsed = Date::Parse(d->get_string());
        if (!parsed)
            return BadFields(c, {{.code = "request.invalid", .field = "date", .message_zh = "date应为日期 YYYY-MM-DD",
                                  .message_en = "date must be a date YYYY-MM-DD"}});
        date = *parsed;
    }
    std::string notes;
    if (const json::value* n = body.get_object().if_contains("notes"); n && n->is_string()) notes = n->get_string();
    auto r = service::ApplyProject(store, s.plan, *proposal, date, notes, ActorOf(s, p), s.Change(p));
    if (!r) return FundsFault(c, r.error());
    return Answer(c, p, http::status::created, service::ProjectRecordJson(*r));
}

// GET /api/projects/{id}
Response GetProjectRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::optional<Response> error;
    auto project = VisibleProject(c, p, store, error);
    if (!project) return std::move(*error);
    auto r = service::ProjectShowJson(store, s.plan, *project, ActorOf(s, p));
    if (!r) return FundsFault(c, r.error());
    return Answer(c, p, http::status::ok, std::move(*r));
}

// POST /api/projects/{id}/steps {step,date,outcome?,notes?,refs?,reapproved?,version?}
Response ProjectStepRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CanWriteHouseholds(p.role)) return Forbidden(c);
    std::optional<Response> error;
    auto project = VisibleProject(c, p, store, error);
    if (!project) return std::move(*error);
    BodyReader body(c.request.body(), {"step", "date", "outcome", "notes", "refs", "reapproved", "version"});
    if (!body.ok()) return Invalid(c, body.errors, false);
    ProjectStepRequest req;
    req.step = body.Text("step", true).value_or("");
    const auto date = body.DateField("date", true);
    req.outcome = body.Text("outcome", false).value_or("");
    req.notes = body.Text("notes", false).value_or("");
    req.refs = body.Text("refs", false).value_or("");
    if (auto text = body.Text("reapproved", false); text && !text->empty()) {
        auto f = service::ParseYuan(*text, "reapproved");
        if (f)
            req.reapproved = *f;
        else
            body.errors.push_back(f.error());
    }
    const auto version = body.Int("version", false, 1, INT64_MAX / 2);
    if (!body.errors.empty()) return BadFields(c, body.errors);
    req.date = *date;
    std::optional<int64_t> expected = version;
    if (!expected && CheckIfMatch(c, project->version) == IfMatch::kStale)
        return Fault(c, http::status::precondition_failed, "store.conflict", "项目已被他人修改", "the project was changed by someone else");
    auto r = service::TakeProjectStep(store, s.plan, project->id, req, expected, ActorOf(s, p), s.Change(p));
    if (!r) return FundsFault(c, r.error());
    return Answer(c, p, http::status::ok, json::object{{"project", service::ProjectRecordJson(*r)}});
}

// GET /api/projects/{id}/notice
Response ProjectNoticeRoute(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    std::optional<Response> error;
    auto project = VisibleProject(c, p, store, error);
    if (!project) return std::move(*error);
    auto r = service::ProjectNoticeJson(store, s.plan, s.tree, *project);
    if (!r) return FundsFault(c, r.error());
    return Answer(c, p, http::status::ok, std::move(*r));
}

}  // namespace jz::server::routes
