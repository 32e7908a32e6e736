// Evaluation routes: the third-party evaluation (a seeded sample of exited households, verdicts,
// survey figures, rates and vetoes) through service::Dynamic, as the CLI's `evaluation` commands.
#include <boost/json.hpp>

#include "server/api_state.h"
#include "server/handlers.h"

namespace jz::server::routes {
namespace {

namespace json = boost::json;

// The evaluation as `p` may see it, with its rates against the county's incidence in its year.
// The sample's households outside the user's scope are left out (finding 9: a township officer
// saw the county's whole sample); the rates stay the evaluation's own, a county figure like the
// county's incidence. Notes are masked for masked roles.
Result<json::object> EvaluationView(ApiState& s, Store& store, const Principal& p, const Evaluation& e) {
    auto incidence = s.KeptIncidence(store, e.year);
    if (!incidence) return std::unexpected(incidence.error());
    json::object o = service::EvaluationJson(e, RatesOf(e, s.plan.dynamic, (*incidence)->county.incidence));
    if (auto* items = o.if_contains("items"); items && items->is_array()) {
        json::array kept;
        for (json::value& item : items->get_array()) {
            if (!item.is_object()) continue;
            json::object& it = item.get_object();
            const auto* division = it.if_contains("division_code");
            if (!division || !division->is_string() || !InScope(p.scope, division->get_string())) continue;
            if (MasksPersonalData(p.role))
                if (auto* notes = it.if_contains("notes"); notes && notes->is_string())
                    *notes = MaskIdNumbersInText(notes->get_string());
            kept.push_back(std::move(item));
        }
        *items = std::move(kept);
    }
    return o;
}

Response EvaluationReply(ApiState& s, const RequestContext& c, const Principal& p, Store& store,
                         const Evaluation& e, http::status status) {
    auto view = EvaluationView(s, store, p, e);
    if (!view) return StoreFault(c, view.error());
    return Json(c, status, *view);
}

}  // namespace

Response ListEvaluations(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    auto list = store.ListEvaluations();
    if (!list) return StoreFault(c, list.error());
    json::array items;
    for (const Evaluation& e : *list) {
        auto view = EvaluationView(s, store, p, e);
        if (!view) return StoreFault(c, view.error());
        items.push_back(std::move(*view));
    }
    return Json(c, http::status::ok, json::object{{"items", std::move(items)}});
}

Response DrawEvaluation(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    BodyReader r(c.request.body(), {"year", "size", "seed"});
    if (!r.ok()) return BadFields(c, r.errors);
    const auto year = r.Int("year", true, 1900, 2100);
    const auto size = r.Int("size", true, 1, 100000);
    const auto seed = r.Int("seed", true, 0, INT64_MAX);
    if (!r.errors.empty()) return BadFields(c, r.errors);
    service::Dynamic dynamic(store, s.plan, s.tree);
    auto e =
        dynamic.Draw(s.ActorOf(p), static_cast<int>(*year), *size, static_cast<uint64_t>(*seed), s.Now());
    if (!e) return DynamicFault(c, e.error());
    return EvaluationReply(s, c, p, store, *e, http::status::created);
}

Response GetEvaluation(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    const auto id = IdParam(c, "id");
    if (!id) return NotFound(c, "评估", "evaluation");
    auto e = store.FindEvaluation(*id);
    if (!e) return StoreFault(c, e.error());
    if (!*e) return NotFound(c, "评估 " + std::to_string(*id), "evaluation " + std::to_string(*id));
    return EvaluationReply(s, c, p, store, **e, http::status::ok);
}

Response PatchEvaluation(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    const auto id = IdParam(c, "id");
    if (!id) return NotFound(c, "评估", "evaluation");
    BodyReader r(c.request.body(),
                 {"non_poor_surveyed", "missed_found", "approval_surveyed", "approval_satisfied"});
    if (!r.ok()) return BadFields(c, r.errors);
    service::Dynamic::Survey survey{
        r.Int("non_poor_surveyed", false, 0, INT64_MAX), r.Int("missed_found", false, 0, INT64_MAX),
        r.Int("approval_surveyed", false, 0, INT64_MAX), r.Int("approval_satisfied", false, 0, INT64_MAX)};
    if (!r.errors.empty()) return BadFields(c, r.errors);
    service::Dynamic dynamic(store, s.plan, s.tree);
    auto e = dynamic.RecordSurvey(s.ActorOf(p), *id, survey, s.Now());
    if (!e) return DynamicFault(c, e.error());
    return EvaluationReply(s, c, p, store, *e, http::status::ok);
}

Response JudgeItem(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    const auto id = IdParam(c, "id");
    if (!id) return NotFound(c, "评估", "evaluation");
    BodyReader r(c.request.body(), {"verdict", "notes"});
    if (!r.ok()) return BadFields(c, r.errors);
    const auto verdict_name = r.Text("verdict", true);
    std::optional<Verdict> verdict;
    if (verdict_name && !(verdict = ParseVerdict(*verdict_name)))
        r.errors.push_back({.code = "json.verdict", .field = "verdict", .message_zh = "verdict应为correct、wrongful或pending", .message_en = "verdict must be correct, wrongful or pending"});
    const std::string notes = r.Text("notes", false).value_or("");
    if (!r.errors.empty()) return BadFields(c, r.errors);
    service::Dynamic dynamic(store, s.plan, s.tree);
    auto e = dynamic.Judge(s.ActorOf(p), *id, c.params.at("code"), *verdict, notes, s.Now());
    if (!e) return DynamicFault(c, e.error());
    return EvaluationReply(s, c, p, store, *e, http::status::ok);
}

}  // namespace jz::server::routes
