// Spread mode (`households` households over the villages) and what either mode refuses.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/check.h"
#include "core/codes.h"
#include "core/id_number.h"
#include "generator/generator.h"
#include "generator/test_helpers.h"

namespace jz::generator_test {
namespace {

TEST(Generator, SameSeedSameRegistryOtherSeedOther) {
    const Plan plan = HandPlan();
    const auto a = Generate(plan, ChayuTree(), Spread(42, 300));
    const auto b = Generate(plan, ChayuTree(), Spread(42, 300));
    const auto c = Generate(plan, ChayuTree(), Spread(43, 300));
    ASSERT_EQ(a.size(), 300u);
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);

    GeneratorOptions match;
    match.match_plan = true;
    match.seed = 7;
    EXPECT_EQ(Generate(plan, ChayuTree(), match), Generate(plan, ChayuTree(), match));
}

TEST(Generator, SpreadRegistryIsCleanAndPlausible) {
    const Plan plan = HandPlan();
    const GeneratorOptions options = Spread(2016, 20000);
    const auto all = Generate(plan, ChayuTree(), options);
    ASSERT_EQ(all.size(), 20000u);
    ExpectRegistryInvariants(all, plan, options.as_of);

    int64_t persons = 0, han = 0, former = 0, singles = 0, wubao = 0, dibao = 0, extended = 0;
    std::map<std::string, int> names;
    std::map<int, int> ethnicity_in_chawalong, ethnicity_in_xiachayu;
    std::set<std::string> villages;
    const int han_code = C(codes::Ethnicity(), "汉族");
    for (const Household& h : all) {
        villages.insert(h.division_code);
        persons += static_cast<int64_t>(h.members.size());
        singles += h.members.size() == 1;
        wubao += h.attribute == codes::kAttributeWubao;
        dibao += h.attribute == codes::kAttributeDibao;
        han += h.members.front().ethnicity == han_code;
        for (const Person& p : h.members) {
            former += p.id_number.starts_with("542626");
            ++names[p.name];
            if (h.township_code() == "540425200") ++ethnicity_in_chawalong[*p.ethnicity];
            if (h.township_code() == "540425102") ++ethnicity_in_xiachayu[*p.ethnicity];
            extended +=
                p.relation == C(codes::Relation(), "之孙子") || p.relation == C(codes::Relation(), "之孙女");
        }
    }
    // Villages that did not yet exist in the plan's years get nobody (扎嘎村 appears in 2021).
    EXPECT_FALSE(villages.contains("540425100200"));
    EXPECT_TRUE(villages.contains("540425200203"));  // 岗藏村委会, gone by 2021 but there in 2016
    const double mean = static_cast<double>(persons) / 20000;
    EXPECT_NEAR(mean, 4.3, 0.15);
    EXPECT_NEAR(static_cast<double>(han) / 20000, 0.075, 0.02);
    EXPECT_GT(singles, 20000 * 0.05);
    EXPECT_GT(wubao, 0);
    EXPECT_LT(wubao, 20000 * 0.06);
    EXPECT_GT(dibao, wubao);
    EXPECT_LT(dibao, 20000 / 2);
    EXPECT_GT(former, 0);
    EXPECT_LT(former, persons / 2);
    EXPECT_GT(extended, 0);
    // Tibetan names are few and shared.
    EXPECT_LT(names.size(), static_cast<size_t>(persons / 5));
    EXPECT_TRUE(names.contains("扎西") || names.contains("次仁卓玛"));
    EXPECT_GT(ethnicity_in_chawalong[C(codes::Ethnicity(), "怒族")], 0);
    EXPECT_GT(ethnicity_in_chawalong[C(codes::Ethnicity(), "纳西族")], 0);
    EXPECT_GT(ethnicity_in_xiachayu[C(codes::Ethnicity(), "门巴族")], 0);
    EXPECT_GT(ethnicity_in_xiachayu[C(codes::Ethnicity(), "珞巴族")], 0);
}

// The project's own data-quality rules find nothing wrong in a generated registry, except the
// warning they owe the households that fell back after their planned exit year.
TEST(Generator, PassesTheRegistryChecks) {
    const Plan plan = HandPlan();
    for (bool match : {false, true}) {
        GeneratorOptions options = Spread(11, 5000);
        options.match_plan = match;
        RegistryChecker checker(plan, CheckOptions{options.as_of, {}});
        int fallen_back = 0;
        for (const Household& h : Generate(plan, ChayuTree(), options)) {
            checker.Add(h);
            fallen_back += h.status == codes::kStatusFallback;
        }
        int overdue = 0;
        for (const Finding& f : checker.Finish()) {
            if (f.rule == "plan.exit_overdue") {
                ++overdue;
            } else {
                ADD_FAILURE() << f.rule << " " << f.household_code << " " << f.message();
            }
        }
        EXPECT_EQ(overdue, fallen_back);
    }
}

TEST(Generator, RefusesWhatItCannotMeet) {
    const Plan plan = HandPlan();
    auto none = Generator::Create(plan, ChayuTree(), Spread(1, 0));
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, "generator.households");
    EXPECT_EQ(none.error().field, "households");

    OrgTree empty;
    empty.Add({"540425", "", OrgLevel::kCounty, {{2020, "察隅县"}}});
    for (const PlanTownship& t : plan.townships)
        empty.Add({t.code, "540425", OrgLevel::kTownship, {{2020, t.name}}});
    auto no_villages = Generator::Create(plan, empty, Spread(1, 10));
    ASSERT_FALSE(no_villages);
    EXPECT_EQ(no_villages.error().code, "generator.no_villages");

    Plan stranger = plan;
    stranger.townships.push_back({"540425299", "无此乡", {{2016, 1}}});
    auto missing = Generator::Create(stranger, ChayuTree(), Spread(1, 10));
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "generator.township");

    GeneratorOptions match;
    match.match_plan = true;
    Plan off = plan;
    off.target_persons = 6161;  // the townships add up to 6160
    auto mismatch = Generator::Create(off, ChayuTree(), match);
    ASSERT_FALSE(mismatch);
    EXPECT_EQ(mismatch.error().code, "generator.plan");
}

TEST(Generator, WiderSequenceWhenAVillageNeedsIt) {
    OrgTree tree;
    tree.Add({"540425", "", OrgLevel::kCounty, {{2020, "察隅县"}}});
    tree.Add({"540425100", "540425", OrgLevel::kTownship, {{2020, "竹瓦根镇"}}});
    tree.Add({"540425100001", "540425100", OrgLevel::kVillage, {{2020, "吉公居委会"}}});
    Plan plan = HandPlan();
    plan.townships.resize(1);
    const auto all = Generate(plan, tree, Spread(3, 10001));
    ASSERT_EQ(all.size(), 10001u);
    EXPECT_EQ(all.front().household_code, "54042510000100001");
    EXPECT_EQ(all.back().household_code, "54042510000110001");
}

RC_GTEST_PROP(Generator, SmallRegistriesKeepEveryRule, ()) {
    const uint64_t seed = *rc::gen::arbitrary<uint64_t>();
    const int households = *rc::gen::inRange(1, 80);
    const int month = *rc::gen::inRange(1, 13);
    GeneratorOptions options = Spread(seed, households);
    options.as_of = {*rc::gen::inRange(2016, 2020), month, month == 12 ? 31 : 15};
    const Plan plan = HandPlan();
    auto gen = Generator::Create(plan, ChayuTree(), options);
    RC_ASSERT(gen.has_value());
    std::vector<Household> all;
    Household h;
    while ((*gen)->Next(h)) all.push_back(h);
    RC_ASSERT(static_cast<int>(all.size()) == households);
    std::unordered_set<uint64_t> ids;
    for (size_t i = 0; i < all.size(); ++i) {
        if (i > 0) RC_ASSERT(all[i - 1].household_code < all[i].household_code);
        const auto problems = Problems(all[i], plan, options.as_of);
        if (!problems.empty()) RC_FAIL(problems.front());
        for (const Person& p : all[i].members) RC_ASSERT(ids.insert(PackIdNumber(p.id_number)).second);
    }
}

}  // namespace
}  // namespace jz::generator_test
