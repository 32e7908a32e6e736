// The JSON of dynamic management (dynamic.h; docs/dynamic-management.md), shared by the CLI's
// --json and the API.
#include <boost/json.hpp>

#include "core/access.h"
#include "service/dynamic.h"
#include "service/reports.h"
#include "store/procedure_json.h"

namespace jz::service {
namespace json = boost::json;
namespace {

json::value DateOrNull(const std::optional<Date>& d) {
    return d ? json::value(d->ToString()) : json::value(nullptr);
}
json::value RatioOrNull(const std::optional<double>& r) { return r ? json::value(*r) : json::value(nullptr); }

std::string TownshipName(const OrgTree& tree, const std::string& code) {
    const OrgUnit* u = tree.Find(code);
    return u ? u->name() : std::string();
}

}  // namespace

json::object CaseJson(const ProcedureCase& c, const Plan& plan, std::string_view head_name) {
    json::object o = json::parse(ProcedureCaseToJson(c)).as_object();
    o["head_name"] = head_name;
    o["kind_zh"] = ProcedureKindNameZh(c.kind);
    o["state_zh"] = StateNameZh(c.kind, c.state);
    if (auto next = NextStepOf(c, plan))
        o["next_step"] = json::object{{"step", next->step},
                                      {"step_zh", StepNameZh(next->step)},
                                      {"level", LevelName(next->level)},
                                      {"level_zh", LevelNameZh(next->level)},
                                      {"not_before", DateOrNull(next->not_before)}};
    else
        o["next_step"] = nullptr;
    json::array allowed;
    for (const std::string& s : AllowedSteps(c)) allowed.emplace_back(s);
    o["allowed_steps"] = std::move(allowed);
    return o;
}

Result<std::string> HeadNameOf(Store& store, const ProcedureCase& c) {
    if (c.household)
        if (const Person* head = c.household->head()) return head->name;
    auto h = store.FindHousehold(c.household_code);
    if (!h) return std::unexpected(h.error());
    const Person* head = *h ? (*h)->household.head() : nullptr;
    return head ? head->name : std::string();
}

json::object UnmetJson(const UnmetCondition& u) {
    return {{"id", u.id},           {"standard", u.standard},   {"name_zh", u.name_zh},
            {"name_en", u.name_en}, {"detail_zh", u.detail_zh}, {"detail_en", u.detail_en}};
}

json::object StandingJson(const ExitStanding& s, const ExitCandidatesBuilder::Result& r) {
    json::array unmet;
    for (const UnmetCondition& u : r.UnmetOf(s)) unmet.push_back(UnmetJson(u));
    return {
        {"household_code", s.household_code},
        {"division_code", s.division_code},
        {"status", s.status},
        {"persons", s.persons},
        {"net_income_per_head",
         s.net_income_per_head ? json::value(FormatCenti(*s.net_income_per_head)) : json::value(nullptr)},
        {"planned_exit_year", s.planned_exit_year ? json::value(*s.planned_exit_year) : json::value(nullptr)},
        {"unmet", std::move(unmet)}};
}

json::object ExitCandidatesSummaryJson(const ExitCandidatesBuilder::Result& r, const OrgTree& tree) {
    json::array townships, unmet_counts;
    for (const auto& t : r.townships)
        townships.push_back({{"code", t.code},
                             {"name", TownshipName(tree, t.code)},
                             {"candidates", t.candidates},
                             {"candidate_persons", t.candidate_persons},
                             {"not_ready", t.not_ready},
                             {"not_ready_persons", t.not_ready_persons}});
    for (const auto& [id, n] : r.unmet_counts) unmet_counts.push_back({{"id", id}, {"households", n}});
    return {{"year", r.year},
            {"as_of", r.on.ToString()},
            {"poverty_line_yuan",
             r.poverty_line ? json::value(FormatCenti(*r.poverty_line)) : json::value(nullptr)},
            {"total_candidates", r.candidates.size()},
            {"total_not_ready", r.not_ready.size()},
            {"townships", std::move(townships)},
            {"unmet_counts", std::move(unmet_counts)}};
}

void WriteExitCandidatesJson(const ExitCandidatesBuilder::Result& r, const OrgTree& tree,
                             const std::function<void(std::string_view)>& write) {
    std::string text = json::serialize(ExitCandidatesSummaryJson(r, tree));
    text.pop_back();  // the closing brace: the lists follow
    write(text);
    for (const auto* list : {&r.candidates, &r.not_ready}) {
        write(list == &r.candidates ? ",\"candidates\":[" : "],\"not_ready\":[");
        for (size_t i = 0; i < list->size(); ++i) {
            text = i ? "," : "";
            text += json::serialize(StandingJson((*list)[i], r));
            write(text);
        }
    }
    write("]}");
}

json::array WaitingJson(const Waiting& waiting, const OrgTree& tree) {
    json::array out;
    for (const auto& [code, n] : waiting) {
        const OrgUnit* u = tree.Find(code);
        out.push_back({{"township_code", code},
                       {"township_name", u ? u->name() : ""},
                       {"village", n[0]},
                       {"township", n[1]},
                       {"county", n[2]}});
    }
    return out;
}

json::object IncidenceJson(const IncidenceReport& r) {
    auto unit = [](const IncidenceUnit& u) {
        return json::object{{"code", u.code},
                            {"name", u.name},
                            {"level", OrgLevelName(u.level)},
                            {"poor_persons", u.poor_persons},
                            {"poor_households", u.poor_households},
                            {"population", u.population ? json::value(*u.population) : json::value(nullptr)},
                            {"population_summed", u.population_summed},
                            {"incidence", RatioOrNull(u.incidence)},
                            {"threshold", u.threshold},
                            {"meets_threshold", u.meets_threshold() ? json::value(*u.meets_threshold()) : json::value(nullptr)}};
    };
    json::array townships, villages;
    for (const auto& u : r.townships) townships.push_back(unit(u));
    for (const auto& u : r.villages) villages.push_back(unit(u));
    return {{"year", r.year},
            {"county", unit(r.county)},
            {"townships", std::move(townships)},
            {"villages", std::move(villages)}};
}

json::object AdjustmentCountsJson(const AdjustmentCounts& n) {
    return {{"exits", n.exits},
            {"exit_persons", n.exit_persons},
            {"new_identifications", n.new_identifications},
            {"new_persons", n.new_persons},
            {"fallbacks", n.fallbacks},
            {"fallback_persons", n.fallback_persons},
            {"deregistrations", n.deregistrations},
            {"deregistered_persons", n.deregistered_persons},
            {"members_in", n.members_in},
            {"members_out", n.members_out},
            {"buffer_ends", n.buffer_ends},
            {"open_cases", n.open_cases}};
}

json::object AdjustmentJson(const AdjustmentSummary& s, const OrgTree& tree,
                            const std::optional<AdjustmentApproval>& approval) {
    json::array townships;
    for (const auto& [code, n] : s.townships)
        townships.push_back(
            {{"code", code}, {"name", TownshipName(tree, code)}, {"counts", AdjustmentCountsJson(n)}});
    json::value a = nullptr;
    if (approval) {
        json::error_code ec;
        json::value summary = json::parse(approval->summary_json, ec);
        a = json::object{{"approved_by", approval->approved_by},
                         {"approved_at", approval->approved_at},
                         {"approved_on", approval->approved_on.ToString()},
                         {"notes", approval->notes},
                         {"summary", ec ? json::value(nullptr) : summary}};
    }
    return {{"year", s.year},
            {"townships", std::move(townships)},
            {"total", AdjustmentCountsJson(s.total)},
            {"approval", std::move(a)}};
}

json::object EvaluationJson(const Evaluation& e, const EvaluationRates& r) {
    json::object o = json::parse(EvaluationToJson(e)).as_object();
    for (json::value& item : o["items"].as_array()) {
        json::object& it = item.as_object();
        const auto v = ParseVerdict(it["verdict"].as_string());
        it["verdict_zh"] = v ? VerdictNameZh(*v) : "";
    }
    json::array vetoes;
    for (const Veto& v : r.vetoes)
        vetoes.push_back({{"id", v.id}, {"message_zh", v.message_zh}, {"message_en", v.message_en}});
    o["rates"] = json::object{{"sampled", r.sampled},
                              {"judged", r.judged},
                              {"wrongful", r.wrongful},
                              {"wrongful_exit_rate", RatioOrNull(r.wrongful_exit_rate)},
                              {"missed_rate", RatioOrNull(r.missed_rate)},
                              {"approval_rate", RatioOrNull(r.approval_rate)},
                              {"incidence", RatioOrNull(r.incidence)},
                              {"vetoes", std::move(vetoes)},
                              {"complete", r.complete},
                              {"passed", r.passed}};
    return o;
}

IncidenceReport IncidenceWithin(IncidenceReport report, const std::string& scope) {
    if (scope.empty()) return report;
    std::erase_if(report.townships, [&](const IncidenceUnit& u) { return !Overlaps(scope, u.code); });
    std::erase_if(report.villages, [&](const IncidenceUnit& u) { return !InScope(scope, u.code); });
    return report;
}

Result<json::object> ExitCandidatesPageJson(Store& store, const ExitCandidatesBuilder::Result& r,
                                            const OrgTree& tree, bool not_ready, int64_t offset,
                                            int64_t limit) {
    json::object out = ExitCandidatesSummaryJson(r, tree);
    const auto& list = not_ready ? r.not_ready : r.candidates;
    json::array items;
    for (size_t i = static_cast<size_t>(std::min<int64_t>(offset, static_cast<int64_t>(list.size())));
         i < list.size() && static_cast<int64_t>(items.size()) < limit; ++i) {
        json::object item = StandingJson(list[i], r);
        auto h = store.FindHousehold(list[i].household_code);
        if (!h) return std::unexpected(h.error());
        const Person* head = *h ? (*h)->household.head() : nullptr;
        item["head_name"] = head ? head->name : "";
        items.push_back(std::move(item));
    }
    out["which"] = not_ready ? "not_ready" : "candidates";
    out["offset"] = offset;
    out["limit"] = limit;
    out["items"] = std::move(items);
    return out;
}

}  // namespace jz::service
