// Data-driven rule tests: tests/fixtures/check/<rule>/input.csv (the exchange layout, no quoted
// fields) holds planted cases and clean near-misses; expect.txt lists "as_of: DATE", optional
// "list: <kind> <id>" lines for cross-check lists, and every "finding: <household> <id|->" the
// rule must produce — no more, no fewer. Other rules' findings on the same file are ignored.
#include "core/check.h"

#include <gtest/gtest.h>

#include <algorithm>
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
    RegistryChecker checker(Chayu().plan, options);
    for (const Household& h : LoadHouseholds(dir / "input.csv")) checker.Add(h);
    std::multiset<std::string> actual;
    for (const Finding& f : checker.Finish()) {
        if (f.rule != rule) continue;
        actual.insert(f.household_code + " " + f.id_number.value_or("-"));
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
