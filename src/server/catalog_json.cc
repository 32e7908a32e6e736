#include "server/catalog_json.h"

#include <boost/json.hpp>

#include "core/codes.h"
#include "core/exit_standard.h"
#include "core/household.h"
#include "core/procedure.h"

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
                             {"exclusions", r.records_exclusions}});
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
            json::object entry{{"code", e.code}, {"name", e.name}};
            MarkEntry(*t, e, entry);
            entries.push_back(std::move(entry));
        }
        out[t->id] = json::object{{"label", t->label_zh}, {"entries", std::move(entries)}};
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
    return out;
}

}  // namespace jz::server
