#include "core/procedure.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "core/codes.h"
#include "core/evaluation.h"
#include "core/incidence.h"
#include "core/test_support.h"

namespace jz {
namespace {

const Plan& ChayuPlan() { return testing_support::Chayu().plan; }

Person Member(std::string name, std::string id, int relation, Date birth) {
    Person p;
    p.name = std::move(name);
    p.id_number = std::move(id);
    p.relation = relation;
    p.sex = relation == codes::kRelationSpouse ? codes::kSexFemale : codes::kSexMale;
    p.birth_date = birth;
    p.schooling = codes::kSchoolingNone;
    return p;
}

Household SampleHousehold() {
    Household h;
    h.household_code = "5404251000010001";
    h.division_code = "540425100001";
    h.attribute = codes::kAttributeOrdinary;
    h.main_cause = 7;
    h.identified_year = 2014;
    h.status = codes::kStatusNotExited;
    h.net_income_per_head = 400000;
    h.members = {Member("扎西", "540425198001010011", codes::kRelationHead, {1980, 1, 1}),
                 Member("卓玛", "540425198203030022", codes::kRelationSpouse, {1982, 3, 3})};
    return h;
}

StepContext Context(Role role, std::string scope) {
    StepContext ctx;
    ctx.plan = &ChayuPlan();
    ctx.role = role;
    ctx.scope = std::move(scope);
    ctx.actor = std::string(RoleName(role));
    ctx.at = "2026-11-29T00:00:00Z";
    return ctx;
}

// --- The data-driven transitions (tests/fixtures/procedure) ---

struct Scenario {
    std::string file;
    std::string name;
    ProcedureKind kind = ProcedureKind::kExit;
    HouseholdFacts facts;
    std::vector<std::pair<int, std::string>> lines;  // line number, text
};

void SetFact(HouseholdFacts& f, const std::string& key, const std::string& value) {
    if (key == "income")
        f.net_income_per_head = ParseCenti(value);
    else if (key == "status")
        f.status = std::stoi(value);
    else if (key == "dangerous_housing")
        f.dangerous_housing = value == "1";
    else if (key == "safe_water")
        f.safe_water = value == "1";
    else if (key == "electricity")
        f.household_electricity = value == "1";
    else if (key == "area")
        f.housing_area = ParseCenti(value);
    else if (key == "identified")
        f.identified_year = std::stoi(value);
    else if (key == "dropout")
        f.out_of_school_birth_dates = {*Date::Parse(value)};
    else if (key == "medical_uninsured")
        f.medical_uninsured = std::stoi(value);
    else if (key == "serious_uninsured")
        f.serious_uninsured = std::stoi(value);
    else if (key == "pension_missing")
        f.pension_missing = std::stoi(value);
    else
        ADD_FAILURE() << "unknown fact " << key;
}

std::vector<Scenario> LoadScenarios() {
    std::vector<Scenario> out;
    const std::filesystem::path dir = std::filesystem::path(JZ_SOURCE_DIR) / "tests/fixtures/procedure";
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        if (e.path().extension() == ".txt") files.push_back(e.path());
    std::ranges::sort(files);
    for (const auto& path : files) {
        std::istringstream in(testing_support::Slurp(path));
        std::string line;
        int number = 0;
        while (std::getline(in, line)) {
            ++number;
            if (line.empty() || line[0] == '#') continue;
            std::istringstream words(line);
            std::string first;
            words >> first;
            if (first == "scenario") {
                Scenario s;
                s.file = path.filename().string();
                std::string kind;
                words >> s.name >> kind;
                s.kind = *ParseProcedureKind(kind);
                s.facts.household_code = "5404251000010001";
                s.facts.division_code = "540425100001";
                s.facts.persons = 2;
                for (std::string kv; words >> kv;)
                    SetFact(s.facts, kv.substr(0, kv.find('=')), kv.substr(kv.find('=') + 1));
                out.push_back(std::move(s));
            } else {
                out.back().lines.emplace_back(number, line);
            }
        }
    }
    return out;
}

TEST(ProcedureTransitions, EveryStepAndRefusalAsTheFixturesSay) {
    const auto scenarios = LoadScenarios();
    ASSERT_GE(scenarios.size(), 10u);
    int steps = 0;
    for (const Scenario& s : scenarios) {
        HouseholdFacts facts = s.facts;
        std::optional<ProcedureCase> c;
        for (const auto& [number, text] : s.lines) {
            SCOPED_TRACE(s.file + ":" + std::to_string(number) + " [" + s.name + "] " + text);
            std::istringstream words(text);
            std::string role_name, scope, step, date_text;
            words >> role_name;
            if (role_name == "facts") {
                for (std::string kv; words >> kv;)
                    SetFact(facts, kv.substr(0, kv.find('=')), kv.substr(kv.find('=') + 1));
                continue;
            }
            words >> scope >> step >> date_text;
            StepContext ctx = Context(*ParseRole(role_name), scope);
            ctx.household = &facts;
            StepRequest request{step, *Date::Parse(date_text), "", "", {}};
            std::string expect;
            for (std::string w; words >> w;) {
                if (w == "->")
                    words >> expect;
                else if (w.starts_with("outcome="))
                    request.outcome = w.substr(8);
                else if (w.starts_with("exclusions=")) {
                    std::istringstream list(w.substr(11));
                    for (std::string x; std::getline(list, x, ',');) request.exclusions.push_back(x);
                } else if (w.starts_with("hit="))
                    ctx.list_hits.push_back(w.substr(4));
            }
            Result<ProcedureCase> r;
            if (step == "open")
                r = s.kind == ProcedureKind::kExit
                        ? OpenExit(facts, 2017, request.date, "", ctx)
                        : OpenNewIdentification(SampleHousehold(), 2017, request.date, "", ctx);
            else
                r = ApplyStep(*c, request, ctx);
            ++steps;
            if (expect.starts_with("!")) {
                ASSERT_FALSE(r) << "expected " << expect << ", got state " << r->state;
                EXPECT_EQ(r.error().code, expect.substr(1)) << r.error().ToString();
                EXPECT_FALSE(r.error().message_zh.empty());
                EXPECT_FALSE(r.error().message_en.empty());
            } else {
                ASSERT_TRUE(r) << r.error().ToString();
                EXPECT_EQ(r->state, expect);
                EXPECT_EQ(r->steps.back().to_state, expect);
                EXPECT_EQ(r->steps.back().actor, role_name);
                EXPECT_EQ(r->open, expect != "rejected" && expect != "registered" && expect != "exited");
                if (c) EXPECT_EQ(r->steps.size(), c->steps.size() + 1);
                c = std::move(*r);
            }
        }
    }
    EXPECT_GT(steps, 80);
}

TEST(Procedure, NoticeSetsItsPeriodAndNextStepWaitsForIt) {
    auto c =
        OpenExit(FactsOf(SampleHousehold()), 2017, {2017, 9, 1}, "", Context(Role::kOfficer, "540425100"));
    ASSERT_TRUE(c);
    auto officer = Context(Role::kOfficer, "540425100");
    HouseholdFacts f = FactsOf(SampleHousehold());
    officer.household = &f;
    for (const char* step : {"appraise", "verify", "agree", "notice"}) {
        auto next = NextStepOf(*c, ChayuPlan());
        ASSERT_TRUE(next);
        EXPECT_EQ(next->step, step);
        EXPECT_EQ(next->level, Level::kVillage);
        c = ApplyStep(*c, {step, {2017, 9, 2}, "", "", {}}, officer);
        ASSERT_TRUE(c) << c.error().ToString();
    }
    EXPECT_EQ(c->notice_until, (Date{2017, 9, 8}));
    auto next = NextStepOf(*c, ChayuPlan());
    ASSERT_TRUE(next);
    EXPECT_EQ(next->step, "announce");
    EXPECT_EQ(next->level, Level::kCounty);
    EXPECT_EQ(next->not_before, (Date{2017, 9, 9}));
    EXPECT_EQ(AllowedSteps(*c), (std::vector<std::string>{"object", "announce"}));
    EXPECT_EQ(ExitedHousehold(SampleHousehold(), 2017).status, codes::kStatusExited);
    EXPECT_EQ(ExitedHousehold(SampleHousehold(), 2017).exit_year, 2017);
}

TEST(Procedure, NewIdentificationProposalIsRegisteredPoorOfItsYear) {
    Household h = SampleHousehold();
    h.status = codes::kStatusExited;
    h.exit_year = 2016;
    auto c = OpenNewIdentification(h, 2018, {2018, 1, 2}, "申请", Context(Role::kOfficer, "540425100001"));
    ASSERT_TRUE(c);
    EXPECT_EQ(c->household->status, codes::kStatusNotExited);
    EXPECT_FALSE(c->household->exit_year);
    EXPECT_EQ(c->household->identified_year, 2018);
    EXPECT_EQ(c->persons, 2);
    EXPECT_EQ(c->steps.front().notes, "申请");
}

TEST(Procedure, ScopeLevels) {
    EXPECT_EQ(ScopeLevel("540425"), Level::kCounty);
    EXPECT_EQ(ScopeLevel("54"), Level::kCounty);
    EXPECT_EQ(ScopeLevel("540425100"), Level::kTownship);
    EXPECT_EQ(ScopeLevel("540425100001"), Level::kVillage);
    EXPECT_TRUE(MayActAt(Role::kAdmin, "540425", "540425100001", Level::kCounty));
    EXPECT_FALSE(MayActAt(Role::kInspector, "540425", "540425100001", Level::kVillage));
    EXPECT_FALSE(MayActAt(Role::kOfficer, "540425101", "540425100001", Level::kVillage));
    EXPECT_TRUE(MayActAt(Role::kOfficer, "540425100", "540425100001", Level::kTownship));
    EXPECT_FALSE(MayActAt(Role::kOfficer, "540425100", "540425100001", Level::kCounty));
}

TEST(Procedure, FallbackOnlyForExitedWithAReason) {
    const auto township = Context(Role::kOfficer, "540425100");
    Household h = SampleHousehold();
    auto r = Fallback(h, 2018, {2018, 3, 1}, "因病", township);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "procedure.not_exited");
    h = ExitedHousehold(h, 2016);
    EXPECT_EQ(Fallback(h, 2018, {2018, 3, 1}, " ", township).error().code, "procedure.reason");
    EXPECT_EQ(Fallback(h, 2018, {2018, 3, 1}, "因病", Context(Role::kOfficer, "540425100001")).error().code,
              "procedure.permission");
    r = Fallback(h, 2018, {2018, 3, 1}, "因病", township);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->after->status, codes::kStatusFallback);
    EXPECT_FALSE(r->after->exit_year);
    EXPECT_EQ(r->record.kind, ProcedureKind::kFallback);
    EXPECT_FALSE(r->record.open);
    EXPECT_EQ(r->record.reason, "因病");
    EXPECT_EQ(r->record.state, "done");
}

TEST(Procedure, DeregistrationByReason) {
    const auto township = Context(Role::kOfficer, "540425100");
    Household h = SampleHousehold();
    auto r = Deregister(h, 2018, {2018, 3, 1}, DeregistrationReason::kDeath, "", township);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "procedure.reason");
    r = Deregister(h, 2018, {2018, 3, 1}, DeregistrationReason::kMovedAway, "迁往拉萨", township);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->after);
    EXPECT_EQ(r->record.household, h);
    EXPECT_EQ(r->record.reason, "moved_away");
    h.members.pop_back();
    EXPECT_TRUE(Deregister(h, 2018, {2018, 3, 1}, DeregistrationReason::kDeath, "", township));
    EXPECT_EQ(ParseDeregistrationReason("错误识别"), DeregistrationReason::kWronglyRegistered);
    EXPECT_FALSE(ParseDeregistrationReason("dead"));
}

TEST(Procedure, MemberChangesKeepIncomeAndHead) {
    const auto township = Context(Role::kOfficer, "540425100");
    const Household h = SampleHousehold();  // 2 members, 4000.00 per head
    // A newborn: 8000 over 3.
    MemberChangeRequest born{6, "", Member("次仁", "540425201701010031", 3, {2017, 1, 1}), "", ""};
    auto r = ChangeMember(h, 2017, {2017, 2, 1}, born, township);
    ASSERT_TRUE(r) << r.error().ToString();
    EXPECT_EQ(r->after->members.size(), 3u);
    EXPECT_EQ(r->after->net_income_per_head, 266667);
    EXPECT_EQ(r->record.member_change, 6);
    EXPECT_EQ(r->record.member_id_number, "540425201701010031");
    EXPECT_EQ(ChangeMember(*r->after, 2017, {2017, 2, 1}, born, township).error().code, "procedure.member");
    // The head dies: a new head must be named, and moves first.
    MemberChangeRequest died{1, "540425198001010011", std::nullopt, "", ""};
    EXPECT_EQ(ChangeMember(h, 2017, {2017, 2, 1}, died, township).error().code, "procedure.new_head");
    died.new_head = "540425198203030022";
    r = ChangeMember(h, 2017, {2017, 2, 1}, died, township);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->after->members.size(), 1u);
    EXPECT_EQ(r->after->members[0].relation, codes::kRelationHead);
    EXPECT_EQ(r->after->net_income_per_head, 800000);
    // The last member cannot leave.
    MemberChangeRequest out{2, "540425198203030022", std::nullopt, "", ""};
    EXPECT_EQ(ChangeMember(*r->after, 2017, {2017, 2, 1}, out, township).error().code,
              "procedure.last_member");
    EXPECT_EQ(
        ChangeMember(h, 2017, {2017, 2, 1}, {2, "540425000000000000", {}, "", ""}, township).error().code,
        "procedure.member");
    EXPECT_EQ(ChangeMember(h, 2017, {2017, 2, 1}, {42, "", {}, "", ""}, township).error().code,
              "procedure.member_change");
}

TEST(Procedure, BufferEndsAfterTheConfiguredYears) {
    const Plan& plan = ChayuPlan();  // buffer 3 years
    Household h = ExitedHousehold(SampleHousehold(), 2016);
    EXPECT_FALSE(BufferEnded(h.status, h.exit_year, plan, 2018));
    EXPECT_TRUE(BufferEnded(h.status, h.exit_year, plan, 2019));
    EXPECT_EQ(EndBuffer(h, 2018, {2018, 12, 31}, Context(Role::kAdmin, "540425")).error().code,
              "procedure.buffer");
    EXPECT_EQ(EndBuffer(h, 2019, {2019, 12, 31}, Context(Role::kOfficer, "540425100")).error().code,
              "procedure.permission");
    auto r = EndBuffer(h, 2019, {2019, 12, 31}, Context(Role::kAdmin, "540425"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->after->status, codes::kStatusExitedNoPolicy);
    EXPECT_EQ(r->after->exit_year, 2016);
}

TEST(Procedure, AdjustmentCountsTheYearsClosedCasesAndRefusesWhileOpen) {
    const auto township = Context(Role::kOfficer, "540425100");
    const auto county = Context(Role::kAdmin, "540425");
    std::vector<ProcedureCase> cases;
    Household exited = ExitedHousehold(SampleHousehold(), 2016);
    cases.push_back(Fallback(exited, 2017, {2017, 3, 1}, "因灾", township)->record);
    cases.push_back(
        ChangeMember(SampleHousehold(), 2017, {2017, 3, 1}, {2, "540425198203030022", {}, "", ""}, township)
            ->record);
    ProcedureCase open_exit = *OpenExit(FactsOf(SampleHousehold()), 2017, {2017, 3, 1}, "", township);
    cases.push_back(open_exit);
    cases.push_back(Fallback(exited, 2016, {2016, 3, 1}, "其他年度", township)->record);
    AdjustmentSummary s = SummarizeAdjustment(2017, cases);
    EXPECT_EQ(s.total.fallbacks, 1);
    EXPECT_EQ(s.total.fallback_persons, 2);
    EXPECT_EQ(s.total.members_out, 1);
    EXPECT_EQ(s.total.open_cases, 1);
    ASSERT_EQ(s.townships.size(), 1u);
    EXPECT_EQ(s.townships[0].first, "540425100");
    EXPECT_EQ(MayApproveAdjustment(s, county, "540425").error().code, "procedure.open_cases");
    cases[2].open = false;
    cases[2].state = "exited";
    s = SummarizeAdjustment(2017, cases);
    EXPECT_EQ(s.total.exits, 1);
    EXPECT_TRUE(MayApproveAdjustment(s, county, "540425"));
    EXPECT_EQ(MayApproveAdjustment(s, township, "540425").error().code, "procedure.permission");
}

TEST(Procedure, NamesRoundTrip) {
    for (ProcedureKind k : AllProcedureKinds()) {
        EXPECT_EQ(ParseProcedureKind(ProcedureKindName(k)), k);
        EXPECT_EQ(ParseProcedureKind(ProcedureKindNameZh(k)), k);
    }
    for (std::string_view x : ExclusionIds()) EXPECT_FALSE(ExclusionNameZh(x).empty());
    EXPECT_EQ(StateNameZh(ProcedureKind::kExit, "exited"), "已公告退出");
    EXPECT_EQ(StepNameZh("appraise"), "民主评议");
}

// --- Exit candidates ---

TEST(ExitCandidates, SplitsAndExplains) {
    ExitCandidatesBuilder b(ChayuPlan(), 2017, {2017, 12, 31});
    HouseholdFacts ok = FactsOf(SampleHousehold());
    HouseholdFacts poor = ok;
    poor.household_code = "5404251000010002";
    poor.net_income_per_head = 200000;
    poor.safe_water = false;
    HouseholdFacts done = ok;
    done.household_code = "5404251000010003";
    done.status = codes::kStatusExited;
    HouseholdFacts later = ok;  // identified after the year: not listed
    later.household_code = "5404251000010004";
    later.identified_year = 2018;
    for (const auto& f : {poor, ok, done, later}) b.Add(f);
    auto r = b.Finish();
    ASSERT_EQ(r.candidates.size(), 1u);
    EXPECT_EQ(r.candidates[0].household_code, "5404251000010001");
    ASSERT_EQ(r.not_ready.size(), 1u);
    const auto unmet = r.UnmetOf(r.not_ready[0]);
    ASSERT_EQ(unmet.size(), 2u);
    EXPECT_EQ(unmet[0].id, "income");
    EXPECT_EQ(unmet[0].detail_zh, "人均纯收入2000元,未超过2017年扶贫标准2952元");
    EXPECT_EQ(unmet[1].id, "water");
    ASSERT_EQ(r.townships.size(), 1u);
    EXPECT_EQ(r.townships[0].candidates, 1);
    EXPECT_EQ(r.townships[0].not_ready_persons, 2);
    EXPECT_EQ(r.poverty_line, 295200);
}

TEST(ExitCandidates, NameMissingCoverAsUnmetConditions) {
    ExitCandidatesBuilder b(ChayuPlan(), 2017, {2017, 12, 31});
    HouseholdFacts uninsured = FactsOf(SampleHousehold());
    uninsured.medical_uninsured = 2;
    uninsured.pension_missing = 1;
    HouseholdFacts serious = FactsOf(SampleHousehold());
    serious.household_code = "5404251000010002";
    serious.serious_uninsured = 300;  // capped in the compact form
    b.Add(uninsured);
    b.Add(serious);
    auto r = b.Finish();
    EXPECT_TRUE(r.candidates.empty());
    ASSERT_EQ(r.not_ready.size(), 2u);
    const auto unmet = r.UnmetOf(r.not_ready[0]);
    ASSERT_EQ(unmet.size(), 2u);
    EXPECT_EQ(unmet[0].id, "medical_insurance");
    EXPECT_EQ(unmet[0].standard, "medical");
    EXPECT_EQ(unmet[0].name_zh, "未参加基本医疗保险");
    EXPECT_EQ(unmet[0].detail_zh, "未参加基本医疗保险2人");
    EXPECT_EQ(unmet[0].detail_en, "2 member(s) without basic medical insurance");
    EXPECT_EQ(unmet[1].id, "pension_insurance");
    EXPECT_EQ(unmet[1].standard, "social_security");
    const auto unmet2 = r.UnmetOf(r.not_ready[1]);
    ASSERT_EQ(unmet2.size(), 1u);
    EXPECT_EQ(unmet2[0].id, "serious_illness_insurance");
    EXPECT_EQ(unmet2[0].standard, "medical");
    EXPECT_EQ(unmet2[0].detail_zh, "未参加大病保险255人");
    std::map<std::string_view, int64_t> counts(r.unmet_counts.begin(), r.unmet_counts.end());
    EXPECT_EQ(counts.at("medical_insurance"), 1);
    EXPECT_EQ(counts.at("serious_illness_insurance"), 1);
    EXPECT_EQ(counts.at("pension_insurance"), 1);
    EXPECT_EQ(counts.at("water"), 0);
    // Every condition's standard is one of the plan's.
    for (const auto& u : unmet)
        EXPECT_TRUE(std::ranges::any_of(ChayuPlan().exit_standard,
                                        [&](const PlanCondition& c) { return c.id == u.standard; }));
    // Nothing recorded: nothing judged.
    EXPECT_TRUE(UnmetExitSet(FactsOf(SampleHousehold()), 295200, {2017, 12, 31}).empty());
}

// --- Incidence ---

TEST(Incidence, PerVillageTownshipAndCountyWithSettings) {
    const auto& county = testing_support::Chayu();
    const std::vector<PopulationSetting> settings = {
        {"540425100001", 2016, 1000}, {"540425100001", 2018, 500}, {"540425100201", 2017, 400}};
    IncidenceBuilder b(county.plan, county.tree, 2017, settings);
    HouseholdFacts f = FactsOf(SampleHousehold());  // 2 persons, not exited, village 100001
    b.Add(f);
    f.division_code = "540425100201";
    f.exit_year = 2018;
    f.status = codes::kStatusExited;  // exits after 2017: still poor at its end
    b.Add(f);
    f.exit_year = 2017;  // exited by then: not poor
    b.Add(f);
    f.status = codes::kStatusNotExited;
    f.exit_year.reset();
    f.identified_year = 2018;  // identified later: not counted
    b.Add(f);
    const IncidenceReport r = b.Finish();
    const auto& v1 = *std::ranges::find(r.villages, "540425100001", &IncidenceUnit::code);
    EXPECT_EQ(v1.population, 1000);  // the 2016 setting is the latest before 2017
    EXPECT_EQ(v1.poor_persons, 2);
    EXPECT_DOUBLE_EQ(*v1.incidence, 0.002);
    EXPECT_EQ(v1.meets_threshold(), true);
    const auto& v2 = *std::ranges::find(r.villages, "540425100201", &IncidenceUnit::code);
    EXPECT_EQ(v2.poor_persons, 2);
    EXPECT_DOUBLE_EQ(*v2.incidence, 0.005);
    const auto& v3 = *std::ranges::find(r.villages, "540425100202", &IncidenceUnit::code);
    EXPECT_FALSE(v3.population);
    EXPECT_FALSE(v3.incidence);
    EXPECT_EQ(v3.meets_threshold(), std::nullopt);  // unknown, not "does not meet"
    // The township's villages are not all set, so it has no population; the county neither.
    EXPECT_EQ(r.townships[0].poor_persons, 4);
    EXPECT_FALSE(r.townships[0].population);
    EXPECT_EQ(r.county.poor_persons, 4);
    EXPECT_EQ(r.county.poor_households, 2);
    EXPECT_FALSE(r.county.incidence);
    EXPECT_EQ(r.county.meets_threshold(), std::nullopt);
    // A county setting stands on its own.
    const std::vector<PopulationSetting> county_only = {{"540425", 2017, 100}};
    IncidenceBuilder c(county.plan, county.tree, 2017, county_only);
    c.Add(FactsOf(SampleHousehold()));
    c.Add(FactsOf(SampleHousehold()));
    const IncidenceReport rc = c.Finish();
    EXPECT_DOUBLE_EQ(*rc.county.incidence, 0.04);
    EXPECT_EQ(rc.county.meets_threshold(), false);
    EXPECT_FALSE(rc.county.population_summed);
}

TEST(Incidence, TownshipSumsItsVillagesWhenAllAreSet) {
    const auto& county = testing_support::Chayu();
    std::vector<PopulationSetting> settings;
    for (const OrgUnit* v : county.tree.Children("540425100"))
        if (v->ValidIn(2017)) settings.push_back({v->code, 2017, 100});
    IncidenceBuilder b(county.plan, county.tree, 2017, settings);
    b.Add(FactsOf(SampleHousehold()));
    const IncidenceReport r = b.Finish();
    EXPECT_TRUE(r.townships[0].population_summed);
    EXPECT_EQ(*r.townships[0].population, static_cast<int64_t>(settings.size()) * 100);
}

// --- Evaluation ---

TEST(Evaluation, SampleIsReproducibleAndIndependentOfOrder) {
    std::vector<std::string> codes;
    for (int i = 0; i < 500; ++i) codes.push_back("H" + std::to_string(1000 + i));
    const auto a = DrawSample(codes, 20, 42);
    std::ranges::reverse(codes);
    EXPECT_EQ(DrawSample(codes, 20, 42), a);
    EXPECT_EQ(a.size(), 20u);
    EXPECT_TRUE(std::ranges::is_sorted(a));
    EXPECT_EQ(std::set<std::string>(a.begin(), a.end()).size(), 20u);
    EXPECT_NE(DrawSample(codes, 20, 43), a);
    EXPECT_EQ(DrawSample(codes, 900, 1).size(), 500u);
    EXPECT_TRUE(DrawSample({}, 5, 1).empty());
    // Fixed forever: the generator is part of the contract (a seed gives this sample in every
    // version, so an evaluation can be re-drawn and checked).
    EXPECT_EQ(DrawSample({"a", "b", "c", "d", "e", "f", "g", "h"}, 3, 2016),
              (std::vector<std::string>{"b", "c", "d"}));
}

TEST(Evaluation, RatesAndVetoes) {
    Evaluation e;
    for (int i = 0; i < 50; ++i)
        e.items.push_back({"H" + std::to_string(i), "540425100001", Verdict::kCorrect});
    e.items[0].verdict = Verdict::kWrongful;
    e.items[1].verdict = Verdict::kPending;
    const PlanDynamic d;
    EvaluationRates r = RatesOf(e, d, 0.01);
    EXPECT_EQ(r.judged, 49);
    EXPECT_EQ(r.wrongful, 1);
    EXPECT_NEAR(*r.wrongful_exit_rate, 1.0 / 49, 1e-12);
    EXPECT_FALSE(r.missed_rate);
    EXPECT_FALSE(r.complete);
    EXPECT_FALSE(r.passed);
    ASSERT_EQ(r.vetoes.size(), 1u);  // 2.04% > 2%
    EXPECT_EQ(r.vetoes[0].id, "wrongful_exit_rate");
    e.items[1].verdict = Verdict::kCorrect;
    e.non_poor_surveyed = 200;
    e.missed_found = 4;  // exactly 2%: not above
    e.approval_surveyed = 100;
    e.approval_satisfied = 90;  // exactly 90%: not below
    r = RatesOf(e, d, 0.03);
    EXPECT_TRUE(r.vetoes.empty());
    EXPECT_TRUE(r.complete);
    EXPECT_TRUE(r.passed);
    e.approval_satisfied = 89;
    r = RatesOf(e, d, 0.031);
    ASSERT_EQ(r.vetoes.size(), 2u);
    EXPECT_EQ(r.vetoes[0].id, "incidence");
    EXPECT_EQ(r.vetoes[1].id, "approval_rate");
    EXPECT_FALSE(r.passed);
}

// --- The registry stays consistent under any sequence of allowed operations ---

// A model registry driven only through the core's operations.
struct ModelRegistry {
    std::map<std::string, Household> registered;
    std::set<std::string> deregistered;
    std::vector<ProcedureCase> cases;
};

void CheckConsistent(const ModelRegistry& m) {
    ProgressBuilder progress(ChayuPlan(), testing_support::Chayu().tree, {2020, 12, 31});
    int64_t persons = 0, exited_persons = 0;
    for (const auto& [code, h] : m.registered) {
        progress.Add(h);
        persons += static_cast<int64_t>(h.members.size());
        if (h.exited()) exited_persons += static_cast<int64_t>(h.members.size());
        RC_ASSERT(codes::Status().Contains(h.status));
        RC_ASSERT(h.exited() == h.exit_year.has_value());
        RC_ASSERT(!m.deregistered.contains(code));
        RC_ASSERT(!h.members.empty());
        RC_ASSERT(h.members[0].relation == codes::kRelationHead);
        RC_ASSERT(std::ranges::count(h.members, codes::kRelationHead, &Person::relation) == 1);
    }
    // The figures by status add up to the registry.
    const ProgressReport r = progress.Finish();
    RC_ASSERT(r.households == static_cast<int64_t>(m.registered.size()));
    RC_ASSERT(r.persons == persons);
    RC_ASSERT(r.exited_persons == exited_persons);
    int64_t township_households = 0;
    for (const ProgressTownship& t : r.townships) township_households += t.households;
    RC_ASSERT(township_households == r.households);
    for (const ProcedureCase& c : m.cases)
        RC_ASSERT(c.open == (c.state != "done" && c.state != "rejected" && c.state != "registered" &&
                             c.state != "exited"));
}

RC_GTEST_PROP(ProcedureProperty, AnySequenceOfAllowedOperationsKeepsTheRegistryConsistent, ()) {
    ModelRegistry m;
    const auto county = Context(Role::kAdmin, "540425");
    int next_code = 1;
    auto new_household = [&](int size) {
        Household h = SampleHousehold();
        h.household_code = "54042510000100" + std::to_string(10 + next_code++);
        h.members.clear();
        for (int i = 0; i < size; ++i) {
            Person p = Member("成员" + std::to_string(i), "5404252000010100" + std::to_string(10 + i),
                              i == 0 ? codes::kRelationHead : 3, {2000, 1, 1});
            h.members.push_back(p);
        }
        h.net_income_per_head = *rc::gen::inRange<int64_t>(100000, 900000);
        return h;
    };
    const int ops = *rc::gen::inRange(1, 60);
    Date day{2016, 1, 1};
    for (int i = 0; i < ops; ++i) {
        day = Date::FromDaysSinceEpoch(day.DaysSinceEpoch() + *rc::gen::inRange(0, 10));
        const int year = day.year;
        const int op = *rc::gen::inRange(0, 7);
        std::vector<std::string> codes_now;
        for (const auto& [code, h] : m.registered) codes_now.push_back(code);
        const std::string pick =
            codes_now.empty() ? "" : codes_now[*rc::gen::inRange<size_t>(0, codes_now.size())];
        Household* h = pick.empty() ? nullptr : &m.registered[pick];
        HouseholdFacts facts = h ? FactsOf(*h) : HouseholdFacts{};
        StepContext ctx = county;
        ctx.household = &facts;
        if (op == 0) {  // a new identification carried through, or rejected on the way
            auto c = OpenNewIdentification(new_household(*rc::gen::inRange(1, 5)), year, day, "", ctx);
            RC_ASSERT(c.has_value());
            while (c->open) {
                auto next = NextStepOf(*c, ChayuPlan());
                RC_ASSERT(next.has_value());
                const Date when = next->not_before ? std::max(*next->not_before, day) : day;
                const bool reject =
                    *rc::gen::inRange(0, 20) == 0 && next->step != "notice" && next->step != "announce";
                auto r = ApplyStep(*c, {next->step, when, reject ? "rejected" : "", "", {}}, ctx);
                RC_ASSERT(r.has_value());
                c = std::move(r);
                day = std::max(day, when);
            }
            if (c->state == "registered" && !m.deregistered.contains(c->household_code) &&
                !m.registered.contains(c->household_code))
                m.registered[c->household_code] = *c->household;
            m.cases.push_back(*c);
        } else if (op == 1 && h) {  // an exit, when the standard allows
            auto c = OpenExit(facts, year, day, "", ctx);
            if (!c) {
                RC_ASSERT(!MayExit(h->status) || !UnmetExitConditions(facts, ChayuPlan(), year, day).empty());
                continue;
            }
            while (c->open) {
                auto next = NextStepOf(*c, ChayuPlan());
                const Date when = next->not_before ? std::max(*next->not_before, day) : day;
                auto r = ApplyStep(*c, {next->step, when, "", "", {}}, ctx);
                RC_ASSERT(r.has_value());
                c = std::move(r);
            }
            *h = ExitedHousehold(*h, c->year);
            m.cases.push_back(*c);
        } else if (op == 2 && h) {
            auto r = Fallback(*h, year, day, "因病", ctx);
            RC_ASSERT(r.has_value() == h->exited());
            if (r) *h = *r->after, m.cases.push_back(r->record);
        } else if (op == 3 && h) {
            const auto reason =
                *rc::gen::element(DeregistrationReason::kDeath, DeregistrationReason::kMovedAway,
                                  DeregistrationReason::kWronglyRegistered);
            auto r = Deregister(*h, year, day, reason, "", ctx);
            RC_ASSERT(r.has_value() == (reason != DeregistrationReason::kDeath || h->members.size() == 1));
            if (r) {
                m.deregistered.insert(pick);
                m.registered.erase(pick);
                m.cases.push_back(r->record);
            }
        } else if (op == 4 && h) {
            const int change = *rc::gen::inRange(1, 9);
            MemberChangeRequest req{change, "", std::nullopt, "", ""};
            if (MemberLeaves(change)) {
                req.id_number = h->members[*rc::gen::inRange<size_t>(0, h->members.size())].id_number;
                for (const Person& p : h->members)
                    if (p.id_number != req.id_number) {
                        req.new_head = p.id_number;
                        break;
                    }
            } else {
                req.joining = Member("新成员", "54042520170101" + std::to_string(1000 + i), 3, {2017, 1, 1});
            }
            auto r = ChangeMember(*h, year, day, req, ctx);
            if (r)
                *h = *r->after, m.cases.push_back(r->record);
            else
                RC_ASSERT(r.error().code == "procedure.last_member" || r.error().code == "procedure.member");
        } else if (op == 5 && h) {
            auto r = EndBuffer(*h, year, day, ctx);
            RC_ASSERT(r.has_value() == BufferEnded(h->status, h->exit_year, ChayuPlan(), year));
            if (r) *h = *r->after, m.cases.push_back(r->record);
        } else if (op == 6 && h) {  // a disallowed step never changes anything
            auto c = OpenExit(facts, year, day, "", ctx);
            if (c) {
                auto r = ApplyStep(*c, {"announce", day, "", "", {}}, ctx);
                RC_ASSERT(!r.has_value());
                RC_ASSERT(c->state == "proposed");
            }
        }
        CheckConsistent(m);
    }
}

}  // namespace
}  // namespace jz
