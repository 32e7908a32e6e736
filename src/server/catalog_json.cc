#include "server/catalog_json.h"

#include <boost/json.hpp>

#include "core/check.h"
#include "core/code_names_en.h"
#include "core/codes.h"
#include "core/exit_standard.h"
#include "core/household.h"
#include "core/procedure.h"
#include "core/reconcile.h"

namespace jz::server {
namespace json = boost::json;

namespace {

constexpr Level kLevels[] = {Level::kVillage, Level::kTownship, Level::kCounty};
constexpr DeregistrationReason kDeregistrationReasons[] = {
    DeregistrationReason::kDeath, DeregistrationReason::kMovedAway, DeregistrationReason::kWronglyRegistered};

// What the rules make of a code, for the tables the web acts on (keys only on those tables).
void MarkEntry(const CodeTable& table, const CodeEntry& e, json::object& entry) {
    if (&table == &codes::Relation()) {
        entry["head"] = e.code == codes::kRelationHead;
    } else if (&table == &codes::Status()) {
        Household h;
        h.status = e.code;
        entry["exited"] = h.exited();
        entry["may_exit"] = MayExit(e.code);
        entry["identified"] = e.code == codes::kStatusNotExited;  // a new identification's status
    } else if (&table == &codes::MemberChange()) {
        entry["leaves"] = MemberLeaves(e.code);
    }
}

json::array ProcedureJson() {
    json::array out;
    const std::vector<StepRule> rules = StepRules();
    for (ProcedureKind kind : AllProcedureKinds()) {
        json::array states, steps;
        for (std::string_view s : ProcedureStates(kind))
            states.push_back({{"state", s}, {"name", StateNameZh(kind, s)}});
        for (const StepRule& r : rules) {
            if (r.kind != kind) continue;
            json::array outcomes;
            for (std::string_view o : r.outcomes) outcomes.emplace_back(o);
            steps.push_back({{"from", r.from},
                             {"step", r.step},
                             {"name", StepNameZh(r.step)},
                             {"to", r.to},
                             {"level", LevelName(r.level)},
                             {"outcomes", std::move(outcomes)},
                             {"exclusions", r.records_exclusions},
                             {"notice", r.posts_notice    ? "posts"
                                        : r.after_notice  ? "after"
                                        : r.during_notice ? "during"
                                                          : ""}});
        }
        out.push_back({{"kind", ProcedureKindName(kind)},
                       {"name", ProcedureKindNameZh(kind)},
                       {"states", std::move(states)},
                       {"steps", std::move(steps)}});
    }
    return out;
}

}  // namespace

json::object CodeCatalogJson(Role role, std::string_view scope) {
    json::object out;
    for (const CodeTable* t : codes::All()) {
        json::array entries;
        for (const CodeEntry& e : t->entries) {
            json::object entry{{"code", e.code}, {"name", e.name}, {"name_en", codes::CodeNameEn(t->id, e.code)}};
            MarkEntry(*t, e, entry);
            entries.push_back(std::move(entry));
        }
        out[t->id] = json::object{
            {"label", t->label_zh}, {"label_en", codes::TableLabelEn(t->id)}, {"entries", std::move(entries)}};
    }
    out["procedures"] = ProcedureJson();
    json::array levels, acts_at;
    for (Level l : kLevels) {
        levels.push_back({{"id", LevelName(l)}, {"name", LevelNameZh(l)}});
        // The account's own scope stands for every household it holds.
        if (MayActAt(role, scope, scope, l)) acts_at.emplace_back(LevelName(l));
    }
    out["levels"] = std::move(levels);
    out["acts_at"] = std::move(acts_at);
    json::array exclusions;
    for (std::string_view id : ExclusionIds())
        exclusions.push_back({{"id", id}, {"name", ExclusionNameZh(id)}});
    out["exclusions"] = std::move(exclusions);
    json::array reasons;
    for (DeregistrationReason r : kDeregistrationReasons)
        reasons.push_back({{"id", DeregistrationReasonName(r)}, {"name", DeregistrationReasonNameZh(r)}});
    out["deregistration_reasons"] = std::move(reasons);
    // The data-quality rules (core/check.h), their severities and the reconciliation's kinds
    // (core/reconcile.h), named in both languages.
    json::array rules;
    for (const RuleInfo& r : Rules())
        rules.push_back({{"id", r.id},
                         {"name", r.title_zh},
                         {"name_en", r.title_en},
                         {"severity", SeverityName(r.severity)},
                         {"level", r.level == RuleLevel::kPerson ? "person" : "household"}});
    out["check_rules"] = std::move(rules);
    json::array severities;
    for (Severity v : {Severity::kError, Severity::kWarning})
        severities.push_back({{"id", SeverityName(v)}, {"name", SeverityNameZh(v)}, {"name_en", SeverityNameEn(v)}});
    out["severities"] = std::move(severities);
    json::array kinds;
    for (ReconcileKind k : AllReconcileKinds())
        kinds.push_back(
            {{"id", ReconcileKindName(k)}, {"name", ReconcileKindNameZh(k)}, {"name_en", ReconcileKindNameEn(k)}});
    out["reconcile_kinds"] = std::move(kinds);
    return out;
}

}  // namespace jz::server
