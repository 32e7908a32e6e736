#include "core/plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

namespace jz {
namespace {

std::string ReadFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

const std::filesystem::path kRoot = JZ_SOURCE_DIR;

class ChayuPlanTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        auto plan = ParsePlan(ReadFile(kRoot / "plans/chayu-2016.toml"), "chayu-2016.toml");
        ASSERT_TRUE(plan.has_value()) << plan.error().ToString();
        plan_ = new Plan(std::move(*plan));
    }
    static void TearDownTestSuite() {
        delete plan_;
        plan_ = nullptr;
    }
    static const Plan& plan() { return *plan_; }

    static Plan* plan_;
};
Plan* ChayuPlanTest::plan_ = nullptr;

TEST_F(ChayuPlanTest, Header) {
    EXPECT_EQ(plan().id, "chayu-2016");
    EXPECT_EQ(plan().title, "察隅县关于打赢脱贫攻坚战的实施方案");
    EXPECT_EQ(plan().document_number, "察县委〔2016〕15号");
    EXPECT_EQ(plan().issued, (Date{2016, 4, 15}));
    EXPECT_EQ(plan().county_code, "540425");
    EXPECT_EQ(plan().county_name, "察隅县");
    EXPECT_EQ(plan().divisions_file, "../data/chayu-540425-divisions.csv");
    EXPECT_TRUE(std::filesystem::exists(kRoot / "plans" / plan().divisions_file));
    EXPECT_EQ(plan().start_year, 2016);
    EXPECT_EQ(plan().end_year, 2018);
    EXPECT_EQ(plan().years(), (std::vector<int>{2016, 2017, 2018}));
    EXPECT_EQ(plan().target_households, 1431);
    EXPECT_EQ(plan().target_persons, 6160);
    EXPECT_EQ(plan().precision_requirements.size(), 5u);
    EXPECT_EQ(plan().organisational_guarantees.size(), 6u);
}

TEST_F(ChayuPlanTest, PovertyLineByYear) {
    EXPECT_EQ(plan().PovertyLine(2014), 280000);
    EXPECT_EQ(plan().PovertyLine(2015), 285500);
    EXPECT_EQ(plan().PovertyLine(2016), 295200);
    EXPECT_EQ(plan().PovertyLine(2017), 295200);
    EXPECT_EQ(plan().PovertyLine(2018), 299500);
    EXPECT_EQ(plan().PovertyLine(2020), 299500);  // latest earlier line stays in force
    EXPECT_EQ(plan().PovertyLine(2013), std::nullopt);
}

TEST_F(ChayuPlanTest, TownshipTargetsMatchTheSeedTable) {
    struct Row {
        const char* code;
        const char* name;
        std::map<int, int> targets;
        int total;
    };
    const Row kRows[] = {
        {"540425100", "竹瓦根镇", {{2016, 370}, {2017, 241}}, 611},
        {"540425101", "上察隅镇", {{2016, 280}, {2017, 300}, {2018, 132}}, 712},
        {"540425102", "下察隅镇", {{2016, 300}, {2017, 500}, {2018, 298}}, 1098},
        {"540425202", "古玉乡", {{2016, 260}, {2017, 174}}, 434},
        {"540425201", "古拉乡", {{2016, 300}, {2017, 350}, {2018, 347}}, 997},
        {"540425200", "察瓦龙乡", {{2016, 700}, {2017, 800}, {2018, 808}}, 2308},
    };
    ASSERT_EQ(plan().townships.size(), std::size(kRows));
    for (const Row& row : kRows) {
        SCOPED_TRACE(row.code);
        const PlanTownship* t = plan().FindTownship(row.code);
        ASSERT_NE(t, nullptr);
        EXPECT_EQ(t->name, row.name);
        EXPECT_EQ(t->exit_targets, row.targets);  // "–" in the table is no entry at all
        EXPECT_EQ(t->total_persons(), row.total);
    }
    EXPECT_EQ(plan().FindTownship("540425999"), nullptr);
    EXPECT_EQ(plan().ExitTarget(2016), 2210);
    EXPECT_EQ(plan().ExitTarget(2017), 2365);
    EXPECT_EQ(plan().ExitTarget(2018), 1585);
    EXPECT_EQ(plan().ExitTarget(2019), 0);
    int all = 0;
    for (int y : plan().years()) all += plan().ExitTarget(y);
    EXPECT_EQ(all, 6160);
}

TEST_F(ChayuPlanTest, Battles) {
    ASSERT_EQ(plan().battles.size(), 4u);
    const PlanBattle* industry = plan().FindBattle("industry");
    ASSERT_NE(industry, nullptr);
    EXPECT_EQ(industry->name, "产业脱贫攻坚战");
    EXPECT_EQ(industry->owner, "康岩");
    EXPECT_EQ(industry->units.size(), 10u);
    EXPECT_EQ(industry->units[8], "桑昂曲宗生态农业有限公司");
    const PlanBattle* infra = plan().FindBattle("infrastructure");
    ASSERT_NE(infra, nullptr);
    EXPECT_EQ(infra->name, "基础脱贫攻坚战");
    EXPECT_EQ(infra->owner, "边巴次仁");
    EXPECT_EQ(infra->units.size(), 10u);
    auto has_note = [](const PlanBattle& b, std::string_view text) {
        return std::ranges::any_of(b.notes,
                                   [&](const std::string& n) { return n.find(text) != std::string::npos; });
    };
    EXPECT_TRUE(has_note(*infra, "2018年农牧区人口用电率达100%"));
    EXPECT_TRUE(has_note(*infra, "2017年实现全县行政村宽带全覆盖"));
    const PlanBattle* settlement = plan().FindBattle("settlement");
    ASSERT_NE(settlement, nullptr);
    EXPECT_EQ(settlement->name, "安居脱贫攻坚战");
    EXPECT_EQ(settlement->owner, "尼琼");
    EXPECT_EQ(settlement->units.size(), 6u);
    const PlanBattle* guarantee = plan().FindBattle("guarantee");
    ASSERT_NE(guarantee, nullptr);
    EXPECT_EQ(guarantee->name, "保障脱贫攻坚战");
    EXPECT_EQ(guarantee->owner, "洛桑群培");
    EXPECT_EQ(guarantee->units.size(), 13u);
    EXPECT_EQ(plan().FindBattle("none"), nullptr);
}

TEST_F(ChayuPlanTest, MeasureTargets) {
    struct Row {
        int number;
        const char* name;
        const char* battle;
        std::optional<int> households;
        std::optional<int> persons;
    };
    const Row kRows[] = {
        {1, "产业扶持", "industry", 664, 3025},
        {2, "异地扶贫", "industry", 340, 1556},
        {3, "微型基建扶贫", "infrastructure", 682, 3093},
        {4, "易地扶贫搬迁", "settlement", 180, 980},
        {5, "教育扶贫", "guarantee", std::nullopt, 1506},
        {6, "医疗扶贫", "guarantee", 476, 571},
        {7, "转移就业扶贫", "guarantee", 294, 371},
        {8, "生态补偿扶贫", "guarantee", 381, 472},
        {9, "信贷扶贫", "guarantee", 99, 474},
        {10, "社保兜底扶贫", "guarantee", std::nullopt, 3392},
    };
    ASSERT_EQ(plan().measures.size(), 10u);
    for (const Row& row : kRows) {
        SCOPED_TRACE(row.number);
        const PlanMeasure* m = plan().FindMeasure(row.number);
        ASSERT_NE(m, nullptr);
        EXPECT_EQ(m->name, row.name);
        EXPECT_EQ(m->battle, row.battle);
        EXPECT_EQ(m->target_households, row.households);
        EXPECT_EQ(m->target_persons, row.persons);
        EXPECT_FALSE(m->name_en.empty());
    }
    EXPECT_EQ(plan().FindMeasure(11), nullptr);

    const PlanMeasure& education = *plan().FindMeasure(5);
    const std::vector<std::tuple<std::string, std::string, int>> kStages = {
        {"kindergarten", "幼儿园", 27}, {"primary", "小学", 765},    {"junior", "初中", 304},
        {"senior", "高中", 168},        {"vocational", "中职", 3},   {"university", "大学", 183},
        {"postgraduate", "研究生", 1},  {"two_after", "两后生", 55},
    };
    ASSERT_EQ(education.stages.size(), kStages.size());
    int sum = 0;
    for (size_t i = 0; i < kStages.size(); ++i) {
        EXPECT_EQ(education.stages[i].id, std::get<0>(kStages[i]));
        EXPECT_EQ(education.stages[i].name, std::get<1>(kStages[i]));
        EXPECT_EQ(education.stages[i].persons, std::get<2>(kStages[i]));
        sum += education.stages[i].persons;
    }
    EXPECT_EQ(sum, 1506);

    const PlanMeasure& ecological = *plan().FindMeasure(8);
    ASSERT_EQ(ecological.other_targets.size(), 1u);
    EXPECT_EQ(ecological.other_targets[0], (std::pair<std::string, int>{"ecological_rangers", 373}));
    EXPECT_EQ(ecological.other_target_names.at("ecological_rangers"), "生态保护员");
}

TEST_F(ChayuPlanTest, ParseMeasureAcceptsNumberHeadingAndShortName) {
    EXPECT_EQ(plan().ParseMeasure("3"), 3);
    EXPECT_EQ(plan().ParseMeasure("10"), 10);
    EXPECT_EQ(plan().ParseMeasure("微型基建扶贫"), 3);
    EXPECT_EQ(plan().ParseMeasure("微型基建"), 3);
    EXPECT_EQ(plan().ParseMeasure("转移就业"), 7);
    EXPECT_EQ(plan().ParseMeasure("社保兜底"), 10);
    EXPECT_EQ(plan().ParseMeasure("生态补偿"), 8);
    EXPECT_EQ(plan().ParseMeasure("产业扶持"), 1);
    EXPECT_EQ(plan().ParseMeasure("易地扶贫搬迁"), 4);
    EXPECT_EQ(plan().ParseMeasure("  社保兜底扶贫 "), 10);
    EXPECT_EQ(plan().ParseMeasure("\xE3\x80\x80教育\xE3\x80\x80"), 5);  // ideographic spaces
    EXPECT_EQ(plan().ParseMeasure(" 5 "), 5);
    EXPECT_EQ(plan().ParseMeasure("Relocation"), 4);
    EXPECT_EQ(plan().ParseMeasure("0"), std::nullopt);
    EXPECT_EQ(plan().ParseMeasure("11"), std::nullopt);
    EXPECT_EQ(plan().ParseMeasure("扶贫"), std::nullopt);
    EXPECT_EQ(plan().ParseMeasure("产业"), std::nullopt);  // 产业扶持 has no trailing 扶贫
    EXPECT_EQ(plan().ParseMeasure(""), std::nullopt);
    EXPECT_EQ(plan().ParseMeasure("3a"), std::nullopt);
}

TEST_F(ChayuPlanTest, ExitStandard) {
    std::map<std::string, std::vector<std::string>> groups;
    for (const PlanCondition& c : plan().exit_standard) groups[c.group].push_back(c.id);
    EXPECT_EQ(groups["三不愁"], (std::vector<std::string>{"food", "clothing", "housing"}));
    EXPECT_EQ(groups["三有"], (std::vector<std::string>{"education", "medical", "social_security"}));
    EXPECT_EQ(groups["五享有"].size(), 5u);
    EXPECT_EQ(plan().exit_standard[0].name, "不愁吃");
    EXPECT_EQ(plan().exit_standard[4].name, "医疗保障");
}

TEST_F(ChayuPlanTest, StatedTotalsKeepTheDocumentsOwnNumbers) {
    auto stated = [&](std::string_view what, std::optional<int> year) {
        std::vector<std::pair<int, std::string>> out;
        for (const PlanStatedTotal& t : plan().stated_totals)
            if (t.what == what && t.year == year) out.emplace_back(t.value, t.where);
        return out;
    };
    const auto persons = stated("persons", std::nullopt);
    ASSERT_EQ(persons.size(), 3u);
    for (const auto& [value, where] : persons) EXPECT_EQ(value, 6160) << where;
    EXPECT_TRUE(std::ranges::any_of(persons, [](auto& p) { return p.second.starts_with("一"); }));
    EXPECT_TRUE(std::ranges::any_of(persons, [](auto& p) { return p.second.starts_with("二"); }));
    EXPECT_TRUE(std::ranges::any_of(persons, [](auto& p) { return p.second.starts_with("五(五)"); }));
    const auto households = stated("households", std::nullopt);
    ASSERT_EQ(households.size(), 1u);
    EXPECT_EQ(households[0].first, 1431);

    auto values = [&](int year) {
        std::map<std::string, int> by_section;  // 二 / 五(五) → value
        for (const auto& [value, where] : stated("exit_persons", year))
            by_section[where.starts_with("二")       ? "二"
                       : where.starts_with("五(五)") ? "五(五)"
                                                     : where] = value;
        return by_section;
    };
    EXPECT_EQ(values(2016), (std::map<std::string, int>{{"二", 2210}, {"五(五)", 2210}}));
    // The document's contradiction is kept as written: 2365 in 二, 2364 in 五(五).
    EXPECT_EQ(values(2017), (std::map<std::string, int>{{"二", 2365}, {"五(五)", 2364}}));
    EXPECT_EQ(values(2018), (std::map<std::string, int>{{"二", 1585}, {"五(五)", 1585}}));
    EXPECT_EQ(plan().ExitTarget(2017), 2365);  // the table agrees with 二, not with 五(五)
}

TEST_F(ChayuPlanTest, PairingQuotas) {
    ASSERT_EQ(plan().pairing_quotas.size(), 3u);
    EXPECT_EQ(plan().pairing_quotas[0].id, "county");
    EXPECT_EQ(plan().pairing_quotas[0].households, 3);
    EXPECT_EQ(plan().pairing_quotas[1].name, "正科级干部");
    EXPECT_EQ(plan().pairing_quotas[1].households, 2);
    EXPECT_EQ(plan().pairing_quotas[2].households, 1);
}

TEST_F(ChayuPlanTest, PairingSettings) {
    EXPECT_EQ(plan().pairing.visits_per_quarter, 2);
    EXPECT_EQ(plan().pairing.visit_distance_m, 1000);
    EXPECT_EQ(plan().pairing.on_post_min_days, 20);
    EXPECT_EQ(plan().pairing.photo_max_bytes, 2 * 1024 * 1024);
}

TEST(PlanTest, PairingSettingsDefaultWhenSilentAndAreReadWhenGiven) {
    const std::string base = ReadFile(kRoot / "tests/fixtures/plans/bad/dynamic_notice_days_zero.toml");
    const std::string head = base.substr(0, base.find("[dynamic]"));
    const auto silent = ParsePlan(head, "silent.toml");
    ASSERT_TRUE(silent.has_value()) << silent.error().ToString();
    EXPECT_EQ(silent->pairing.visits_per_quarter, 2);
    EXPECT_EQ(silent->pairing.photo_max_bytes, 2 * 1024 * 1024);
    const auto given = ParsePlan(head + "[pairing]\nvisits_per_quarter = 3\nvisit_distance_m = 250\n"
                                        "on_post_min_days = 0\nphoto_max_bytes = 1024\n",
                                 "given.toml");
    ASSERT_TRUE(given.has_value()) << given.error().ToString();
    EXPECT_EQ(given->pairing.visits_per_quarter, 3);
    EXPECT_EQ(given->pairing.visit_distance_m, 250);
    EXPECT_EQ(given->pairing.on_post_min_days, 0);
    EXPECT_EQ(given->pairing.photo_max_bytes, 1024);
}

TEST(PlanTest, SharesSettingsDefaultWhenSilentAndAreReadWhenGiven) {
    const std::string base = ReadFile(kRoot / "tests/fixtures/plans/bad/dynamic_notice_days_zero.toml");
    const std::string head = base.substr(0, base.find("[dynamic]"));
    const auto silent = ParsePlan(head, "silent.toml");
    ASSERT_TRUE(silent.has_value()) << silent.error().ToString();
    EXPECT_EQ(silent->shares.quantify, ShareBasis::kHousehold);
    EXPECT_EQ(silent->shares.reallocation, ReallocationMode::kNewFirst);
    EXPECT_EQ(silent->shares.floor_rate_bp, 600);
    EXPECT_EQ(silent->shares.split_poor_permille, 550);
    EXPECT_EQ(silent->shares.split_village_permille, 300);
    EXPECT_EQ(silent->shares.split_cooperative_permille, 150);
    const auto given = ParsePlan(head + "[shares]\nquantify = \"per_person\"\nreallocation = \"even\"\n"
                                        "floor_rate_bp = 670\nsplit_poor_permille = 600\n"
                                        "split_village_permille = 400\nsplit_cooperative_permille = 0\n",
                                 "given.toml");
    ASSERT_TRUE(given.has_value()) << given.error().ToString();
    EXPECT_EQ(given->shares.quantify, ShareBasis::kPerson);
    EXPECT_EQ(given->shares.reallocation, ReallocationMode::kEven);
    EXPECT_EQ(given->shares.floor_rate_bp, 670);
    EXPECT_EQ(given->shares.split_poor_permille, 600);
    EXPECT_EQ(given->shares.split_village_permille, 400);
    EXPECT_EQ(given->shares.split_cooperative_permille, 0);
}

TEST(PlanTest, PovertyLineWithoutEarlierYearIsNone) {
    Plan plan;
    plan.poverty_line_fen = {{2016, 295200}, {2018, 299500}};
    EXPECT_EQ(plan.PovertyLine(2015), std::nullopt);
    EXPECT_EQ(plan.PovertyLine(2017), 295200);
    EXPECT_EQ(plan.PovertyLine(2018), 299500);
}

TEST(PlanTest, TownshipWithoutTargetsTotalsZero) { EXPECT_EQ(PlanTownship{}.total_persons(), 0); }

TEST(PlanTest, FractionalPovertyLineIsKeptInFen) {
    const std::string text = ReadFile(kRoot / "tests/fixtures/plans/minimal.toml");
    ASSERT_FALSE(text.empty());
    auto plan = ParsePlan(text + "\n", "minimal.toml");
    ASSERT_TRUE(plan.has_value()) << plan.error().ToString();
    EXPECT_EQ(plan->PovertyLine(2016), 295250);  // 2952.5 yuan
    EXPECT_EQ(plan->townships.size(), 1u);
    ASSERT_EQ(plan->measures.size(), 1u);
    EXPECT_EQ(plan->measures[0].stages.size(), 2u);
}

// Each tests/fixtures/plans/bad/*.toml is one malformed plan whose first line says what the parser
// must answer: "# expect: <error code> line <N>". A new case is a new file.
TEST(PlanTest, MalformedPlansAreRefusedAtTheirLine) {
    const std::regex kExpect(R"(^# expect: (\S+) line (\d+)\s*$)");
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(kRoot / "tests/fixtures/plans/bad"))
        if (entry.path().extension() == ".toml") files.push_back(entry.path());
    std::ranges::sort(files);
    ASSERT_GE(files.size(), 15u);
    for (const auto& path : files) {
        const std::string name = path.filename().string();
        SCOPED_TRACE(name);
        const std::string text = ReadFile(path);
        const std::string first_line = text.substr(0, text.find('\n'));
        std::smatch m;
        ASSERT_TRUE(std::regex_match(first_line, m, kExpect))
            << "first line must be '# expect: <code> line <N>'";
        const auto plan = ParsePlan(text, name);
        ASSERT_FALSE(plan.has_value()) << "the plan was accepted";
        EXPECT_EQ(plan.error().code, m[1].str()) << plan.error().ToString();
        EXPECT_EQ(plan.error().field, name + ":" + m[2].str()) << plan.error().ToString();
        EXPECT_FALSE(plan.error().message_zh.empty());
        EXPECT_FALSE(plan.error().message_en.empty());
    }
}

}  // namespace
}  // namespace jz
