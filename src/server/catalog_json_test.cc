// The published catalog (GET /api/codes) is built from core's tables: every table and entry, every
// procedure step with its outcomes, every exclusion fact; and the levels an account acts at follow
// core's MayActAt.
#include "server/catalog_json.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "core/check.h"
#include "core/code_names_en.h"
#include "core/codes.h"
#include "core/exit_standard.h"
#include "core/procedure.h"
#include "core/reconcile.h"
#include "server/api.h"

namespace jz::server {
namespace {

namespace json = boost::json;

std::string Str(const json::value& v) { return std::string(v.as_string()); }

TEST(CatalogJson, EveryCodeTableWithEveryEntryAndItsName) {
    const json::object catalog = CodeCatalogJson(Role::kAdmin, "540425");
    for (const CodeTable* t : codes::All()) {
        ASSERT_TRUE(catalog.contains(t->id)) << t->id;
        const json::object& table = catalog.at(t->id).as_object();
        EXPECT_EQ(Str(table.at("label")), t->label_zh);
        const json::array& entries = table.at("entries").as_array();
        ASSERT_EQ(entries.size(), t->entries.size()) << t->id;
        for (size_t i = 0; i < entries.size(); ++i) {
            EXPECT_EQ(entries[i].at("code").as_int64(), t->entries[i].code);
            EXPECT_EQ(Str(entries[i].at("name")), t->entries[i].name);
        }
    }
}

TEST(CatalogJson, EntriesSayWhatTheRulesMakeOfThem) {
    const json::object catalog = CodeCatalogJson(Role::kAdmin, "540425");
    int heads = 0, identified = 0;
    for (const json::value& e : catalog.at("relation").at("entries").as_array()) {
        const bool head = e.at("head").as_bool();
        heads += head;
        EXPECT_EQ(head, e.at("code").as_int64() == codes::kRelationHead);
    }
    EXPECT_EQ(heads, 1);
    for (const json::value& e : catalog.at("status").at("entries").as_array()) {
        const int code = static_cast<int>(e.at("code").as_int64());
        EXPECT_EQ(e.at("may_exit").as_bool(), MayExit(code)) << code;
        EXPECT_EQ(e.at("exited").as_bool(),
                  code == codes::kStatusExited || code == codes::kStatusExitedNoPolicy)
            << code;
        identified += e.at("identified").as_bool();
    }
    EXPECT_EQ(identified, 1);
    const json::array& changes = catalog.at("member_change").at("entries").as_array();
    ASSERT_EQ(changes.size(), codes::MemberChange().entries.size());
    for (const json::value& e : changes)
        EXPECT_EQ(e.at("leaves").as_bool(), MemberLeaves(static_cast<int>(e.at("code").as_int64())));
}

TEST(CatalogJson, EveryProcedureStepWithItsOutcomes) {
    const json::object catalog = CodeCatalogJson(Role::kAdmin, "540425");
    const json::array& procedures = catalog.at("procedures").as_array();
    ASSERT_EQ(procedures.size(), AllProcedureKinds().size());
    size_t steps_seen = 0;
    for (size_t k = 0; k < procedures.size(); ++k) {
        const ProcedureKind kind = AllProcedureKinds()[k];
        const json::object& p = procedures[k].as_object();
        EXPECT_EQ(Str(p.at("kind")), ProcedureKindName(kind));
        EXPECT_EQ(Str(p.at("name")), ProcedureKindNameZh(kind));
        const auto states = ProcedureStates(kind);
        ASSERT_EQ(p.at("states").as_array().size(), states.size());
        for (size_t i = 0; i < states.size(); ++i) {
            EXPECT_EQ(Str(p.at("states").as_array()[i].at("state")), states[i]);
            EXPECT_FALSE(p.at("states").as_array()[i].at("name").as_string().empty()) << states[i];
        }
        size_t i = 0;
        for (const StepRule& r : StepRules()) {
            if (r.kind != kind) continue;
            const json::array& steps = p.at("steps").as_array();
            ASSERT_LT(i, steps.size());
            const json::value& s = steps[i++];
            EXPECT_EQ(Str(s.at("from")), r.from);
            EXPECT_EQ(Str(s.at("step")), r.step);
            EXPECT_EQ(Str(s.at("to")), r.to);
            EXPECT_EQ(Str(s.at("level")), LevelName(r.level));
            EXPECT_EQ(Str(s.at("name")), StepNameZh(r.step));
            EXPECT_EQ(s.at("exclusions").as_bool(), r.records_exclusions);
            EXPECT_EQ(Str(s.at("notice")), r.posts_notice    ? "posts"
                                           : r.after_notice  ? "after"
                                           : r.during_notice ? "during"
                                                             : "");
            const json::array& outcomes = s.at("outcomes").as_array();
            ASSERT_EQ(outcomes.size(), r.outcomes.size());
            for (size_t o = 0; o < outcomes.size(); ++o) EXPECT_EQ(Str(outcomes[o]), r.outcomes[o]);
        }
        EXPECT_EQ(p.at("steps").as_array().size(), i);
        steps_seen += i;
    }
    EXPECT_EQ(steps_seen, StepRules().size());
    EXPECT_GT(steps_seen, 0u);
}

// The rules as core states them today, seen through the catalog: the approvals may refuse, the
// household's agreement may be withheld, and only the verification of a new identification
// records exclusion facts.
TEST(CatalogJson, TheProceduresAsDocumented) {
    const json::object catalog = CodeCatalogJson(Role::kAdmin, "540425");
    std::set<std::string> with_exclusions;
    for (const json::value& p : catalog.at("procedures").as_array())
        for (const json::value& s : p.at("steps").as_array()) {
            const std::string step = Str(s.at("step"));
            const json::array& outcomes = s.at("outcomes").as_array();
            std::string expected;
            if (step == "agree") expected = R"(["agreed","disagreed"])";
            if (step == "object") expected = R"(["objection"])";
            if (step == "approve") expected = R"(["passed","rejected"])";
            if (!expected.empty()) {
                EXPECT_EQ(json::serialize(outcomes), expected) << step;
            }
            if (s.at("exclusions").as_bool()) with_exclusions.insert(Str(p.at("kind")) + "/" + step);
        }
    EXPECT_EQ(with_exclusions, std::set<std::string>{"new_identification/verify"});
}

TEST(CatalogJson, ExclusionsAndDeregistrationReasonsFromCore) {
    const json::object catalog = CodeCatalogJson(Role::kViewer, "540425");
    const json::array& exclusions = catalog.at("exclusions").as_array();
    ASSERT_EQ(exclusions.size(), ExclusionIds().size());
    for (size_t i = 0; i < exclusions.size(); ++i) {
        EXPECT_EQ(Str(exclusions[i].at("id")), ExclusionIds()[i]);
        EXPECT_EQ(Str(exclusions[i].at("name")), ExclusionNameZh(ExclusionIds()[i]));
    }
    for (const json::value& r : catalog.at("deregistration_reasons").as_array()) {
        const auto reason = ParseDeregistrationReason(Str(r.at("id")));
        ASSERT_TRUE(reason) << r;
        EXPECT_EQ(Str(r.at("name")), DeregistrationReasonNameZh(*reason));
    }
    const std::string levels =
        R"x([{"id":"village","name":"村"},{"id":"township","name":"乡(镇)"},{"id":"county","name":"县"}])x";
    EXPECT_EQ(json::serialize(catalog.at("levels")), levels);
}

// Every code and table also has its English name, for screens shown in English.
TEST(CatalogJson, EveryCodeAlsoInEnglish) {
    const json::object catalog = CodeCatalogJson(Role::kViewer, "540425");
    for (const CodeTable* t : codes::All()) {
        const json::object& table = catalog.at(t->id).as_object();
        EXPECT_EQ(Str(table.at("label_en")), codes::TableLabelEn(t->id));
        for (const json::value& e : table.at("entries").as_array())
            EXPECT_FALSE(e.at("name_en").as_string().empty()) << t->id << " " << e.at("code");
    }
    const json::value& not_exited = catalog.at("status").at("entries").as_array().at(0);
    EXPECT_EQ(Str(not_exited.at("name")), "未脱贫");
    EXPECT_EQ(Str(not_exited.at("name_en")), "Not exited");
}

// The data-quality rules, their severities and the reconciliation's kinds, named in both
// languages, so no screen shows an id like income.out_of_range.
TEST(CatalogJson, RulesSeveritiesAndReconcileKindsByName) {
    const json::object catalog = CodeCatalogJson(Role::kViewer, "540425");
    const json::array& rules = catalog.at("check_rules").as_array();
    ASSERT_EQ(rules.size(), Rules().size());
    for (size_t i = 0; i < rules.size(); ++i) {
        const RuleInfo& r = Rules()[i];
        EXPECT_EQ(Str(rules[i].at("id")), r.id);
        EXPECT_EQ(Str(rules[i].at("name")), r.title_zh);
        EXPECT_EQ(Str(rules[i].at("name_en")), r.title_en);
        EXPECT_EQ(Str(rules[i].at("severity")), SeverityName(r.severity));
        EXPECT_EQ(Str(rules[i].at("level")), r.level == RuleLevel::kPerson ? "person" : "household");
    }
    EXPECT_EQ(json::serialize(catalog.at("severities")),
              R"([{"id":"error","name":"错误","name_en":"Error"},{"id":"warning","name":"警告","name_en":"Warning"}])");
    const json::array& kinds = catalog.at("reconcile_kinds").as_array();
    ASSERT_EQ(kinds.size(), AllReconcileKinds().size());
    for (size_t i = 0; i < kinds.size(); ++i) {
        EXPECT_EQ(Str(kinds[i].at("id")), ReconcileKindName(AllReconcileKinds()[i]));
        EXPECT_FALSE(kinds[i].at("name").as_string().empty());
        EXPECT_FALSE(kinds[i].at("name_en").as_string().empty());
    }
}

TEST(CatalogJson, LevelsTheAccountActsAt) {
    auto acts_at = [](Role role, std::string_view scope) {
        return json::serialize(CodeCatalogJson(role, scope).at("acts_at"));
    };
    EXPECT_EQ(acts_at(Role::kAdmin, "540425"), R"(["village","township","county"])");
    EXPECT_EQ(acts_at(Role::kOfficer, "540425100"), R"(["village","township"])");
    EXPECT_EQ(acts_at(Role::kOfficer, "540425100200"), R"(["village"])");
    EXPECT_EQ(acts_at(Role::kInspector, "540425"), "[]");
    EXPECT_EQ(acts_at(Role::kViewer, "540425"), "[]");
}

// openapi.json documents every key the catalog has, and only those (the web's types come from it).
TEST(CatalogJson, DocumentedInOpenApi) {
    const json::value doc = json::parse(OpenApiDocument());
    const json::object& schema = doc.at("components").at("schemas").at("CodeCatalog").as_object();
    std::set<std::string> documented, required, sent;
    for (const auto& [key, value] : schema.at("properties").as_object()) documented.insert(std::string(key));
    for (const json::value& key : schema.at("required").as_array()) required.insert(Str(key));
    for (const auto& [key, value] : CodeCatalogJson(Role::kAdmin, "540425")) sent.insert(std::string(key));
    EXPECT_EQ(documented, sent);
    EXPECT_EQ(required, sent);
    const json::object& entry =
        doc.at("components").at("schemas").at("CodeEntry").at("properties").as_object();
    for (const auto& [key, table] : CodeCatalogJson(Role::kAdmin, "540425")) {
        if (!table.is_object()) continue;
        for (const json::value& e : table.at("entries").as_array())
            for (const auto& [field, value] : e.as_object()) {
                EXPECT_TRUE(entry.contains(field)) << key << "." << field;
            }
    }
}

// The web's unit tests read the catalog an administrator of the county gets, from a file kept equal
// to the server's answer here (JZ_UPDATE_FIXTURES=1 rewrites it), so they test against the rules
// as the server states them and not against a copy.
TEST(CatalogJson, TheWebsFixtureIsTheServersAnswer) {
    const std::string path = std::string(JZ_SOURCE_DIR) + "/web/src/testing/catalog.json";
    const std::string now = json::serialize(CodeCatalogJson(Role::kAdmin, "540425")) + "\n";
    if (std::getenv("JZ_UPDATE_FIXTURES")) std::ofstream(path, std::ios::binary) << now;
    std::ifstream in(path, std::ios::binary);
    std::stringstream kept;
    kept << in.rdbuf();
    EXPECT_EQ(kept.str(), now) << path
                               << " differs from the catalog: run server_test with JZ_UPDATE_FIXTURES=1";
}

}  // namespace
}  // namespace jz::server
