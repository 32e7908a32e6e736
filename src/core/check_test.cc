// Data-driven rule tests: tests/fixtures/check/<rule>/input.csv (the exchange layout, no quoted
// fields) holds planted cases and clean near-misses; expect.txt lists "as_of: DATE", optional
// "list: <kind> <id>" lines for cross-check lists, and every "finding: <household> <id|->" the
// rule must produce — no more, no fewer. Other rules' findings on the same file are ignored.
// A village's finding (team.on_post_short) is listed as "finding: <village code> -". An optional
// pairing.json gives the pairing facts (PairingFacts: current pairings, cadres, far visits, short
// on-post months; a cadre's load defaults to its current pairings) and turns the pairing rules on.
#include "core/check.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/assembly.h"
#include "core/id_number.h"
#include "core/test_support.h"

namespace jz {
namespace {

namespace fs = std::filesystem;

using testing_support::Chayu;
using testing_support::Slurp;
using testing_support::SplitCsv;

// Households of a fixture file, in file order; a refused fixture household fails the test.
std::vector<Household> LoadHouseholds(const fs::path& csv) {
    auto loaded = testing_support::LoadFixtureHouseholds(csv);
    for (const std::string& r : loaded.rejected) ADD_FAILURE() << csv << ": fixture household rejected: " << r;
    return std::move(loaded.households);
}

std::vector<std::string> RuleNames() {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(fs::path(JZ_SOURCE_DIR) / "tests/fixtures/check"))
        if (e.is_directory()) names.push_back(e.path().filename().string());
    std::ranges::sort(names);
    return names;
}

Date DateOf(const boost::json::value& v) { return Date::Parse(v.as_string().c_str()).value(); }
std::string StringOf(const boost::json::value& v) { return std::string(v.as_string().c_str()); }

// tests/fixtures/check/<rule>/pairing.json into PairingFacts, sorted as the struct requires.
PairingFacts LoadPairingFacts(const fs::path& file) {
    const boost::json::object root = boost::json::parse(Slurp(file)).as_object();
    PairingFacts facts;
    auto array = [&](const char* key) {
        const auto* v = root.if_contains(key);
        return v ? v->as_array() : boost::json::array();
    };
    for (const auto& v : array("current")) {
        const auto& o = v.as_object();
        facts.current.push_back({StringOf(o.at("household_code")), o.at("cadre_id").to_number<int64_t>(),
                                 DateOf(o.at("from"))});
    }
    for (const auto& v : array("cadres")) {
        const auto& o = v.as_object();
        PairingFacts::CadreFacts c;
        c.id = o.at("id").to_number<int64_t>();
        c.name = StringOf(o.at("name"));
        if (const auto* t = o.if_contains("township_code")) c.township_code = StringOf(*t);
        c.rank = o.at("rank").to_number<int>();
        c.quota = QuotaOf(Chayu().plan, c.rank);
        if (const auto* q = o.if_contains("quota")) c.quota = q->to_number<int>();
        c.load = static_cast<int>(std::ranges::count(facts.current, c.id, &PairingFacts::HouseholdPairing::cadre_id));
        if (const auto* l = o.if_contains("load")) c.load = l->to_number<int>();
        if (const auto* a = o.if_contains("active")) c.active = a->as_bool();
        facts.cadres.push_back(std::move(c));
    }
    for (const auto& v : array("far_visits")) {
        const auto& o = v.as_object();
        facts.far_visits.push_back(
            {StringOf(o.at("household_code")), DateOf(o.at("date")), o.at("distance_m").to_number<int64_t>()});
    }
    for (const auto& v : array("short_on_post")) {
        const auto& o = v.as_object();
        facts.short_on_post.push_back({StringOf(o.at("village_code")), o.at("cadre_id").to_number<int64_t>(),
                                       StringOf(o.at("cadre_name")), o.at("year").to_number<int>(),
                                       o.at("month").to_number<int>(), o.at("days").to_number<int>()});
    }
    if (const auto* m = root.if_contains("on_post_min_days")) facts.on_post_min_days = m->to_number<int>();
    std::ranges::sort(facts.current, {}, &PairingFacts::HouseholdPairing::household_code);
    std::ranges::sort(facts.cadres, {}, &PairingFacts::CadreFacts::id);
    std::ranges::sort(facts.far_visits, [](const auto& a, const auto& b) {
        return std::tie(a.household_code, a.date) < std::tie(b.household_code, b.date);
    });
    std::ranges::sort(facts.short_on_post, [](const auto& a, const auto& b) {
        return std::tie(a.village_code, a.year, a.month, a.cadre_id) <
               std::tie(b.village_code, b.year, b.month, b.cadre_id);
    });
    return facts;
}

class RuleFixture : public testing::TestWithParam<std::string> {};

TEST_P(RuleFixture, FindsExactlyThePlantedCases) {
    const std::string rule = GetParam();
    const auto info = FindRule(rule);
    ASSERT_TRUE(info) << "fixture folder names no rule: " << rule << ": " << info.error().ToString();
    const fs::path dir = fs::path(JZ_SOURCE_DIR) / "tests/fixtures/check" / rule;
    CheckOptions options;
    std::multiset<std::string> expected;
    std::istringstream expect(Slurp(dir / "expect.txt"));
    for (std::string line; std::getline(expect, line);) {
        if (line.starts_with("as_of: ")) options.as_of = Date::Parse(line.substr(7)).value();
        if (line.starts_with("finding: ")) expected.insert(line.substr(9));
        if (line.starts_with("list: ")) {
            std::istringstream l(line.substr(6));
            std::string kind, id;
            l >> kind >> id;
            options.lists.push_back({ParseListKind(kind).value(), {PackIdNumber(id)}});
        }
    }
    ASSERT_NE(options.as_of.year, 0) << "expect.txt needs as_of";
    PairingFacts facts;
    if (fs::exists(dir / "pairing.json")) {
        facts = LoadPairingFacts(dir / "pairing.json");
        options.pairing = &facts;
    }
    RegistryChecker checker(Chayu().plan, options);
    for (const Household& h : LoadHouseholds(dir / "input.csv")) checker.Add(h);
    std::multiset<std::string> actual;
    for (const Finding& f : checker.Finish()) {
        if (f.rule != rule) continue;
        actual.insert((f.household_code.empty() ? f.division_code : f.household_code) + " " +
                      f.id_number.value_or("-"));
        EXPECT_EQ(f.severity, (*info)->severity);
        EXPECT_EQ(f.rule_name, (*info)->rule);
        EXPECT_FALSE(f.message_zh.empty());
        EXPECT_FALSE(f.message_en.empty());
        EXPECT_EQ(f.id_number.has_value(), (*info)->level == RuleLevel::kPerson) << f.message();
    }
    EXPECT_EQ(actual, expected);
}

INSTANTIATE_TEST_SUITE_P(Rules, RuleFixture, testing::ValuesIn(RuleNames()),
                         [](const testing::TestParamInfo<std::string>& info) {
                             std::string name = info.param;
                             std::ranges::replace(name, '.', '_');
                             return name;
                         });

TEST(Rules, EveryRuleHasAFixture) {
    const auto names = RuleNames();
    for (const RuleInfo& r : Rules())
        EXPECT_NE(std::ranges::find(names, std::string(r.id)), names.end()) << r.id << " has no fixture";
}

TEST(Rules, OutOfScopeHouseholdsOnlyFeedTheDuplicateRule) {
    const auto households =
        LoadHouseholds(fs::path(JZ_SOURCE_DIR) / "tests/fixtures/check/person.duplicate/input.csv");
    ASSERT_EQ(households.size(), 3u);
    RegistryChecker checker(Chayu().plan, {Date{2017, 6, 30}, {}});
    checker.Add(households[0], true);
    checker.Add(households[1], false);
    checker.Add(households[2], true);
    const auto findings = checker.Finish();
    std::vector<std::string> codes;
    for (const Finding& f : findings) codes.push_back(f.household_code + ":" + std::string(f.rule));
    // H01's member is duplicated in H02 (outside the scope): H01 is reported, H02 is not.
    EXPECT_NE(std::ranges::find(codes, "H01:person.duplicate"), codes.end());
    EXPECT_EQ(std::ranges::find(codes, "H02:person.duplicate"), codes.end());
}

TEST(Rules, MergedCheckersFindWhatOneCheckerFinds) {
    std::vector<Household> households;
    for (const char* rule : {"person.duplicate", "schooling.dropout", "pairing.missing"})
        for (Household& h :
             LoadHouseholds(fs::path(JZ_SOURCE_DIR) / "tests/fixtures/check" / rule / "input.csv")) {
            h.household_code = std::string(rule) + "/" + h.household_code;
            households.push_back(std::move(h));
        }
    const CheckOptions options{Date{2017, 6, 30}, {}};
    RegistryChecker one(Chayu().plan, options);
    for (const Household& h : households) one.Add(h);
    // Parts see households in any order; a duplicate's two households fall into different parts.
    RegistryChecker a(Chayu().plan, options), b(Chayu().plan, options);
    for (size_t i = 0; i < households.size(); ++i) (i % 2 ? a : b).Add(households[households.size() - 1 - i]);
    a.Merge(std::move(b));
    auto key = [](const std::vector<Finding>& fs) {
        std::vector<std::string> k;
        for (const Finding& f : fs)
            k.push_back(f.household_code + " " + std::string(f.rule) + " " + f.message());
        return k;
    };
    const auto expected = key(one.Finish());
    EXPECT_EQ(key(a.Finish()), expected);
    EXPECT_NE(
        std::ranges::find_if(
            expected, [](const std::string& k) { return k.find("person.duplicate") != std::string::npos; }),
        expected.end());
}

TEST(Rules, PairingMissingReadsTheCurrentPairingsWhenGiven) {
    // pairing.missing's fixture: H01 and H03 have no pairing_cadre text, H04 has one (张伟).
    const auto households =
        LoadHouseholds(fs::path(JZ_SOURCE_DIR) / "tests/fixtures/check/pairing.missing/input.csv");
    PairingFacts facts;
    facts.current = {{"H01", 7, Date{2016, 1, 1}}};  // H04's text names nobody in the pairing table
    facts.cadres = {{7, "张伟", "540425100", kRankCounty, 3, 1, true}};
    auto missing = [&](const PairingFacts* given) {
        RegistryChecker checker(Chayu().plan, {Date{2017, 6, 30}, {}, given});
        for (const Household& h : households) checker.Add(h);
        std::vector<std::string> codes;
        for (const Finding& f : checker.Finish())
            if (f.rule_name == Rule::kPairingMissing) codes.push_back(f.household_code);
        return codes;
    };
    EXPECT_EQ(missing(nullptr), (std::vector<std::string>{"H01", "H03"}));
    EXPECT_EQ(missing(&facts), (std::vector<std::string>{"H03", "H04"}));
}

TEST(Rules, WithoutPairingFactsThePairingRulesAreSilent) {
    for (const char* rule : {"pairing.over_quota", "pairing.outside_township", "pairing.rank_unknown",
                             "pairing.cadre_inactive", "team.on_post_short", "visit.far"}) {
        RegistryChecker checker(Chayu().plan, {Date{2017, 6, 30}, {}});
        for (const Household& h :
             LoadHouseholds(fs::path(JZ_SOURCE_DIR) / "tests/fixtures/check" / rule / "input.csv"))
            checker.Add(h);
        for (const Finding& f : checker.Finish()) EXPECT_NE(f.rule, rule) << f.message();
    }
}

TEST(Rules, PairingMessagesNameTheCadre) {
    const auto households =
        LoadHouseholds(fs::path(JZ_SOURCE_DIR) / "tests/fixtures/check/pairing.missing/input.csv");
    PairingFacts facts;
    facts.current = {{"H01", 7, Date{2016, 1, 1}}};
    facts.cadres = {{7, "次仁", "540425201", kRankSectionChief, 2, 1, false}};
    RegistryChecker checker(Chayu().plan, {Date{2017, 6, 30}, {}, &facts});
    for (const Household& h : households) checker.Add(h);
    int seen = 0;
    for (const Finding& f : checker.Finish()) {
        if (f.rule_name != Rule::kPairingOutsideTownship && f.rule_name != Rule::kPairingCadreInactive) continue;
        ++seen;
        EXPECT_EQ(f.household_code, "H01");
        EXPECT_NE(f.message_zh.find("次仁(正科)"), std::string::npos) << f.message_zh;
        EXPECT_NE(f.message_en.find("次仁 (Section chief)"), std::string::npos) << f.message_en;
    }
    EXPECT_EQ(seen, 2);
}

TEST(Rules, CountsCoverEveryRule) {
    std::vector<Finding> none;
    EXPECT_EQ(CountByRule(none).size(), Rules().size());
}

TEST(Rules, CompileTimeNamesAndStringIdsAgree) {
    for (const RuleInfo& r : Rules()) {
        EXPECT_EQ(&RuleOf(r.rule), &r) << r.id;
        const auto found = FindRule(r.id);
        ASSERT_TRUE(found) << r.id;
        EXPECT_EQ(*found, &r);
    }
    EXPECT_EQ(RuleOf(Rule::kPersonDuplicate).id, "person.duplicate");
}

TEST(Rules, AnUnknownStringIdIsAnError) {
    const auto missing = FindRule("cause.ilness_without_ill");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "check.unknown_rule");
    EXPECT_EQ(missing.error().field, "rule");
    EXPECT_NE(missing.error().message_en.find("cause.ilness_without_ill"), std::string::npos);
}

}  // namespace
}  // namespace jz
