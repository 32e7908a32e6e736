#include "generator/test_helpers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unordered_set>

#include "core/id_number.h"
#include "core/progress.h"

namespace jz::generator_test {

std::string ReadFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// The division table has no quoted fields, so splitting on commas is enough here.
const OrgTree& ChayuTree() {
    static const OrgTree tree = [] {
        std::istringstream in(
            ReadFile(std::filesystem::path(JZ_SOURCE_DIR) / "data/chayu-540425-divisions.csv"));
        std::vector<std::vector<std::string>> rows;
        for (std::string line; std::getline(in, line);) {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            std::vector<std::string> cells;
            std::string cell;
            std::istringstream ls(line);
            while (std::getline(ls, cell, ',')) cells.push_back(cell);
            if (!line.empty() && line.back() == ',') cells.emplace_back();
            rows.push_back(std::move(cells));
        }
        return OrgTree::FromRows(rows, "540425", "察隅县").value();
    }();
    return tree;
}

// The seed plan's numbers, built by hand so these tests do not depend on the plan file's parser.
Plan HandPlan() {
    Plan p;
    p.id = "hand";
    p.county_code = "540425";
    p.county_name = "察隅县";
    p.start_year = 2016;
    p.end_year = 2018;
    p.target_households = 1431;
    p.target_persons = 6160;
    p.poverty_line_fen = {{2015, 285500}, {2016, 295200}, {2017, 295200}, {2018, 299500}};
    p.townships = {
        {"540425100", "竹瓦根镇", {{2016, 370}, {2017, 241}}},
        {"540425101", "上察隅镇", {{2016, 280}, {2017, 300}, {2018, 132}}},
        {"540425102", "下察隅镇", {{2016, 300}, {2017, 500}, {2018, 298}}},
        {"540425202", "古玉乡", {{2016, 260}, {2017, 174}}},
        {"540425201", "古拉乡", {{2016, 300}, {2017, 350}, {2018, 347}}},
        {"540425200", "察瓦龙乡", {{2016, 700}, {2017, 800}, {2018, 808}}},
    };
    auto measure = [](int n, const char* name, std::optional<int> households, std::optional<int> persons,
                      Beneficiaries beneficiaries = Beneficiaries::kHousehold) {
        PlanMeasure m;
        m.number = n;
        m.name = name;
        m.target_households = households;
        m.target_persons = persons;
        m.beneficiaries = beneficiaries;
        return m;
    };
    p.measures = {
        measure(1, "产业扶持", 664, 3025),
        measure(2, "异地扶贫", 340, 1556),
        measure(3, "微型基建扶贫", 682, 3093),
        measure(4, "易地扶贫搬迁", 180, 980),
        measure(5, "教育扶贫", {}, 1506, Beneficiaries::kStudents),
        measure(6, "医疗扶贫", 476, 571, Beneficiaries::kIll),
        measure(7, "转移就业扶贫", 294, 371, Beneficiaries::kMigrantWorkers),
        measure(8, "生态补偿扶贫", 381, 472, Beneficiaries::kAbleAdults),
        measure(9, "信贷扶贫", 99, 474),
        measure(10, "社保兜底扶贫", {}, 3392),
    };
    p.measures[4].stages = {{"kindergarten", "幼儿园", 27}, {"primary", "小学", 765},
                            {"junior", "初中", 304},        {"senior", "高中", 168},
                            {"vocational", "中职", 3},      {"university", "大学", 183},
                            {"postgraduate", "研究生", 1},  {"two_after", "两后生", 55}};
    // The document's own contradiction for 2017, which reconciling the plan reports.
    p.stated_totals = {{"annual_2017", "二 奋斗目标 年度目标", "exit_persons", 2017, 2365},
                       {"management_2017", "五(五) 精准管理、实现如期脱贫", "exit_persons", 2017, 2364}};
    p.pairing_quotas = {
        {"county", "县级", 3}, {"section_chief", "正科", 2}, {"deputy_section_and_below", "副科及以下", 1}};
    return p;
}

std::vector<Household> Generate(const Plan& plan, const OrgTree& tree, const GeneratorOptions& options) {
    auto gen = Generator::Create(plan, tree, options);
    if (!gen) ADD_FAILURE() << gen.error().ToString();
    std::vector<Household> out;
    if (!gen) return out;
    Household h;
    while ((*gen)->Next(h)) out.push_back(h);
    EXPECT_EQ(static_cast<int64_t>(out.size()), (*gen)->total_households());
    return out;
}

Plan FilePlan() {
    const auto path = std::filesystem::path(JZ_SOURCE_DIR) / "plans/chayu-2016.toml";
    auto plan = ParsePlan(ReadFile(path), "chayu-2016.toml");
    EXPECT_TRUE(plan) << plan.error().ToString();
    return plan ? *plan : Plan{};
}

int C(const CodeTable& t, std::string_view name) { return t.Parse(name).value(); }

namespace {

int Age(const Person& p, const Date& on) { return p.birth_date.AgeOn(on); }

bool Able(const Person& p) { return p.labour == codes::kLabourOrdinary || p.labour == codes::kLabourSkilled; }
bool Ill(const Person& p) { return p.health == codes::kHealthChronic || p.health == codes::kHealthSerious; }
bool Student(const Person& p) { return p.schooling && *p.schooling != codes::kSchoolingNone; }

}  // namespace

// Every rule a household of a clean synthetic registry keeps; returns the broken ones.
std::vector<std::string> Problems(const Household& h, const Plan& plan, const Date& as_of) {
    std::vector<std::string> out;
    auto fail = [&](const std::string& what) { out.push_back(h.household_code + ": " + what); };
    const auto& rel = codes::Relation();

    if (h.division_code.size() != 12 || !h.household_code.starts_with(h.division_code) ||
        h.household_code.size() < 16)
        fail("household code");
    if (h.members.empty() || h.members.size() > 10) fail("size");
    int heads = 0;
    for (const Person& p : h.members) heads += p.relation == codes::kRelationHead;
    if (heads != 1 || h.members.front().relation != codes::kRelationHead) fail("heads");
    if (!out.empty()) return out;
    const Person& head = h.members.front();

    static const std::set<int> male_relations = {C(rel, "之子"), C(rel, "之女婿"), C(rel, "之孙子"),
                                                 C(rel, "之外孙子"), C(rel, "之父")};
    static const std::set<int> female_relations = {C(rel, "之女"), C(rel, "之儿媳"), C(rel, "之孙女"),
                                                   C(rel, "之外孙女"), C(rel, "之母")};
    static const int father = C(rel, "之父"), mother_of_head = C(rel, "之母");
    static const auto& sch = codes::Schooling();
    static const int preschool_education = C(codes::Education(), "学龄前儿童"), primary = C(sch, "小学"),
                     grade7 = C(sch, "七年级"), grade8 = C(sch, "八年级"), grade9 = C(sch, "九年级"),
                     senior1 = C(sch, "高中一年级"),
                     national = C(codes::IdentificationStandard(), "国家标准");
    const Person* mother = nullptr;  // the woman among head and spouse
    if (head.sex == codes::kSexFemale) mother = &head;
    for (const Person& p : h.members)
        if (p.relation == codes::kRelationSpouse && p.sex == codes::kSexFemale) mother = &p;

    bool any_ill = false, any_disabled = false, any_student = false, any_migrant = false, able_adult = false;
    int able_16_65 = 0;
    for (const Person& p : h.members) {
        const std::string who = " of " + p.name + " " + p.id_number;  // cheap: names fit SSO
        auto id = ParseIdNumber(p.id_number);
        if (!id || id->value != p.id_number) {
            fail("id number" + who);
            continue;
        }
        if (id->sex != p.sex || id->birth_date != p.birth_date) fail("id disagrees with sex/birth" + who);
        if (id->address_code() != "540425" && id->address_code() != "542626") fail("address code" + who);
        if (p.birth_date > as_of) fail("born after as-of" + who);
        if (p.name.empty()) fail("name" + who);
        if (!rel.Contains(p.relation) || !codes::Sex().Contains(p.sex)) fail("relation/sex code" + who);
        if (!p.ethnicity || !codes::Ethnicity().Contains(*p.ethnicity)) fail("ethnicity" + who);
        if (!p.education || !codes::Education().Contains(*p.education)) fail("education" + who);
        if (!p.schooling || !codes::Schooling().Contains(*p.schooling)) fail("schooling" + who);
        if (!p.health || !codes::Health().Contains(*p.health)) fail("health" + who);
        if (!p.labour || !codes::Labour().Contains(*p.labour)) fail("labour" + who);
        if (!out.empty()) return out;

        if (male_relations.contains(p.relation) && p.sex != codes::kSexMale)
            fail("relation wants a man" + who);
        if (female_relations.contains(p.relation) && p.sex != codes::kSexFemale)
            fail("relation wants a woman" + who);
        if (p.relation == codes::kRelationSpouse) {
            if (p.sex == head.sex) fail("spouse of the same sex" + who);
            if (std::abs(Age(p, as_of) - Age(head, as_of)) > 8) fail("spouse age gap" + who);
        }
        if ((p.relation == codes::kRelationSon || p.relation == codes::kRelationDaughter) && mother) {
            const int at_birth = mother->birth_date.AgeOn(p.birth_date);
            if (at_birth < 18 || at_birth > 42)
                fail("mother's age at birth " + std::to_string(at_birth) + who);
        }
        if ((p.relation == father || p.relation == mother_of_head) && Age(p, as_of) < Age(head, as_of) + 18)
            fail("parent too young" + who);

        const int age = Age(p, as_of);
        if (age < 6 && p.education != preschool_education) fail("preschool education" + who);
        if (age >= 7 && age <= 12 && p.schooling != primary) fail("primary school" + who);
        if (age >= 13 && age <= 15 && p.schooling != grade7 && p.schooling != grade8 && p.schooling != grade9)
            fail("junior school" + who);
        if (age >= 16 && p.schooling == primary) fail("adult in primary school" + who);
        if (age >= 23 && p.schooling != codes::kSchoolingNone) fail("adult student" + who);
        if (age <= 14 && p.schooling >= senior1) fail("child in senior school" + who);
        if (age < 16 && p.labour != codes::kLabourNone) fail("child labour" + who);
        if (age >= 16 && (p.health == codes::kHealthSerious || p.health == codes::kHealthDisabled) &&
            p.labour != codes::kLabourLost)
            fail("seriously ill or disabled adult not 丧失劳动力" + who);
        if (age >= 16 && age <= 60 && p.health == codes::kHealthHealthy && !Student(p) && !Able(p))
            fail("healthy working-age person unable to work" + who);
        if (p.migrant_work.has_value() != p.months_worked.has_value()) fail("migrant and months" + who);
        if (p.migrant_work) {
            if (!codes::MigrantWork().Contains(*p.migrant_work)) fail("migrant code" + who);
            if (*p.months_worked < 1 || *p.months_worked > 12) fail("months worked" + who);
            if (!Able(p)) fail("migrant unable to work" + who);
        }

        any_ill = any_ill || Ill(p);
        any_disabled = any_disabled || p.health == codes::kHealthDisabled;
        any_student = any_student || Student(p);
        any_migrant = any_migrant || p.migrant_work.has_value();
        if (Able(p) && age >= 16 && age <= 65) ++able_16_65;
        able_adult = able_adult || (Able(p) && age >= 16 && age <= 60);
    }

    if (!codes::Attribute().Contains(h.attribute)) fail("attribute");
    if (h.attribute == codes::kAttributeWubao && able_16_65 > 0) fail("五保 with an able member 16-65");
    if (h.identification_standard != national) fail("standard");

    auto cause_ok = [&](int cause) {
        if (!codes::Cause().Contains(cause)) return false;
        if (cause == codes::kCauseIllness) return any_ill;
        if (cause == codes::kCauseDisability) return any_disabled;
        if (cause == codes::kCauseSchooling) return any_student;
        return true;
    };
    if (!cause_ok(h.main_cause)) fail("main cause");
    if (h.other_causes.size() > 2) fail("too many other causes");
    std::set<int> causes = {h.main_cause};
    for (int c : h.other_causes) {
        if (!cause_ok(c)) fail("other cause");
        if (!causes.insert(c).second) fail("repeated cause");
    }

    const auto years = plan.years();
    if (!h.planned_exit_year || std::ranges::find(years, *h.planned_exit_year) == years.end())
        fail("planned year");
    if (h.identified_year < 2014 || h.identified_year > 2015 || h.identified_year > h.planned_exit_year)
        fail("identified year");
    const int planned = h.planned_exit_year.value_or(0);
    const int last_ended = (as_of.month == 12 && as_of.day == 31) ? as_of.year : as_of.year - 1;
    if (planned <= last_ended) {
        if (h.status == codes::kStatusExited) {
            if (h.exit_year != planned) fail("exit year");
        } else if (h.status != codes::kStatusFallback || h.exit_year) {
            fail("status of an ended household");
        }
    } else if (h.status == codes::kStatusExited) {
        // An early exit (balancing a household that fell back): in a year already ended.
        if (!h.exit_year || *h.exit_year > last_ended) fail("early exit year");
    } else if (h.status != codes::kStatusNotExited || h.exit_year) {
        fail("status of a household still in poverty");
    }
    const auto line = plan.PovertyLine(as_of.year);
    if (line) {
        const auto exit_line = h.exit_year ? plan.PovertyLine(*h.exit_year) : std::nullopt;
        if (!h.net_income_per_head)
            fail("no income");
        else if (h.exited() ? *h.net_income_per_head <= *line
                            : *h.net_income_per_head >= *line && !(h.planned_exit_year == as_of.year))
            fail("income");
        else if (h.exited() && exit_line && *h.net_income_per_head <= *exit_line)
            fail("income in the exit year");
    }
    if (h.exited() &&
        (h.dangerous_housing != false || h.safe_water != true || h.household_electricity != true))
        fail("exited household below the standard");
    if (!h.housing_area || *h.housing_area < 4000 || *h.housing_area > 15000) fail("housing area");
    if (!h.phone.empty()) {
        const bool digits = std::ranges::all_of(h.phone, [](char c) { return c >= '0' && c <= '9'; });
        if (h.phone.size() != 11 || !digits ||
            !(h.phone.starts_with("13") || h.phone.starts_with("15") || h.phone.starts_with("18")))
            fail("phone " + h.phone);
    }
    if (h.pairing_cadre.empty()) fail("pairing cadre");

    if (!h.main_measure) {
        fail("no main measure");
    } else {
        std::set<int> all = {*h.main_measure};
        for (int m : h.aux_measures)
            if (!all.insert(m).second) fail("repeated measure");
        for (int m : all)
            if (!plan.FindMeasure(m)) fail("measure not in the plan");
        if (h.HasMeasure(5) != any_student) fail("education measure and students");
        if (h.HasMeasure(10) != (h.attribute != codes::kAttributeOrdinary))
            fail("social floor and attribute");
        if (h.HasMeasure(6) && !any_ill) fail("medical measure without an ill member");
        if (h.HasMeasure(7) && !any_migrant) fail("employment measure without a migrant worker");
        if ((h.HasMeasure(7) || h.HasMeasure(8) || h.HasMeasure(9)) && !able_adult)
            fail("measure needing an able adult");
    }
    return out;
}

// Registry-wide rules: household codes in order, IDs unique.
void ExpectRegistryInvariants(const std::vector<Household>& all, const Plan& plan, const Date& as_of) {
    std::unordered_set<uint64_t> ids;
    int problems = 0;
    for (size_t i = 0; i < all.size(); ++i) {
        if (i > 0) {
            EXPECT_LT(all[i - 1].household_code, all[i].household_code);
        }
        for (const std::string& p : Problems(all[i], plan, as_of)) {
            if (++problems <= 20) ADD_FAILURE() << p;
        }
        for (const Person& p : all[i].members) {
            EXPECT_TRUE(ids.insert(PackIdNumber(p.id_number)).second) << p.id_number;
        }
    }
    EXPECT_EQ(problems, 0);
}

GeneratorOptions Spread(uint64_t seed, int64_t households) {
    GeneratorOptions o;
    o.seed = seed;
    o.households = households;
    return o;
}

GeneratorOptions Match(uint64_t seed, const Date& as_of) {
    GeneratorOptions o;
    o.match_plan = true;
    o.seed = seed;
    o.as_of = as_of;
    return o;
}

// What `jingzhun reconcile` reports on a registry as of `as_of`: the plan's own contradictions,
// then the registry against the plan through the progress figures.
std::vector<ReconcileFinding> Reconcile(const Plan& plan, const std::vector<Household>& all,
                                        const Date& as_of) {
    ProgressBuilder progress(plan, ChayuTree(), as_of);
    for (const Household& h : all) progress.Add(h);
    std::vector<ReconcileFinding> findings = ReconcilePlan(plan);
    std::vector<ReconcileFinding> registry = ReconcileRegistry(plan, progress.Finish());
    findings.insert(findings.end(), registry.begin(), registry.end());
    return findings;
}

std::string Describe(const std::vector<ReconcileFinding>& findings) {
    std::string out;
    for (const ReconcileFinding& f : findings)
        out += "\n  " + std::string(ReconcileKindName(f.kind)) + " " + f.message_en;
    return out;
}

}  // namespace jz::generator_test
