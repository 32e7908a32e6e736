#include "core/project_library.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/plan.h"

namespace jz {
namespace {

const std::string kVillage = "540425100201";
const ProjectActor kVillageOfficer{Role::kOfficer, kVillage, "cun", "2017-03-01T00:00:00Z"};
const ProjectActor kTownshipOfficer{Role::kOfficer, "540425100", "xiang", "2017-03-01T00:00:00Z"};
const ProjectActor kCountyOfficer{Role::kOfficer, "540425", "xian", "2017-03-01T00:00:00Z"};

LibraryProject Proposal() {
    LibraryProject p;
    p.code = "FP2017-03";
    p.name = "古拉村牦牛养殖";
    p.division_code = kVillage;
    p.task = "建牦牛棚10座";
    p.subsidy_standard = "每户1万元";
    p.use = "industry";
    p.sources = {{"poverty_development", 60'000'00}, {"agriculture_related", 40'000'00}};
    p.approved = 100'000'00;
    p.period_start = Date{2017, 4, 1};
    p.period_end = Date{2017, 10, 31};
    p.unit = "古拉村委会";
    p.responsible = "扎西";
    p.performance_target = "带动10户增收";
    p.beneficiaries = {{"540425100201000001", "入股分红"}, {"540425100201000002", "务工"}};
    return p;
}

ProjectStepRequest Step(std::string step, Date date, std::string outcome = "") {
    return ProjectStepRequest{.step = std::move(step), .date = date, .outcome = std::move(outcome)};
}

LibraryProject Applied() {
    auto p = ApplyProject(Proposal(), Date{2017, 3, 1}, "", BuiltinFundSources(), PlanFunds{}, kVillageOfficer);
    EXPECT_TRUE(p) << p.error().ToString();
    return *p;
}

LibraryProject Must(const Result<LibraryProject>& r) {
    EXPECT_TRUE(r) << r.error().ToString();
    return r ? *r : LibraryProject{};
}

LibraryProject Approved() {
    const PlanFunds s;
    LibraryProject p = Applied();
    p = Must(TakeProjectStep(p, Step("notice", Date{2017, 3, 2}), s, kVillageOfficer));
    p = Must(TakeProjectStep(p, Step("review", Date{2017, 3, 12}), s, kTownshipOfficer));
    p = Must(TakeProjectStep(p, Step("appraise", Date{2017, 3, 13}), s, kCountyOfficer));
    p = Must(TakeProjectStep(p, Step("notice", Date{2017, 3, 14}), s, kCountyOfficer));
    p = Must(TakeProjectStep(p, Step("approve", Date{2017, 3, 24}), s, kCountyOfficer));
    return p;
}

TEST(ProjectLibrary, ValidRecordPasses) {
    EXPECT_TRUE(ValidateProject(Proposal(), BuiltinFundSources(), PlanFunds{}));
}

TEST(ProjectLibrary, ValidationNamesTheField) {
    auto field_of = [](auto mutate) {
        LibraryProject p = Proposal();
        mutate(p);
        auto r = ValidateProject(p, BuiltinFundSources(), PlanFunds{});
        return r ? std::string("ok") : r.error().code + " " + r.error().field;
    };
    EXPECT_EQ(field_of([](LibraryProject& p) { p.code = "FP 2017"; }), "project.invalid code");
    EXPECT_EQ(field_of([](LibraryProject& p) { p.code = std::string(41, 'a'); }), "project.invalid code");
    EXPECT_EQ(field_of([](LibraryProject& p) { p.name.clear(); }), "project.invalid name");
    EXPECT_EQ(field_of([](LibraryProject& p) { p.division_code = "5404251"; }), "project.invalid division_code");
    EXPECT_EQ(field_of([](LibraryProject& p) { p.use = "Industry"; }), "project.invalid use");
    EXPECT_EQ(field_of([](LibraryProject& p) { p.period_end = Date{2017, 3, 1}; }), "project.invalid period_end");
    EXPECT_EQ(field_of([](LibraryProject& p) { p.sources[1].source = "nowhere"; }), "project.source sources[1].source");
    EXPECT_EQ(field_of([](LibraryProject& p) { p.sources[1].amount = 0; }), "project.invalid sources[1].amount");
    EXPECT_EQ(field_of([](LibraryProject& p) { p.approved = 99'000'00; }), "project.invalid sources");
    EXPECT_EQ(field_of([](LibraryProject& p) { p.beneficiaries[1].household_code = p.beneficiaries[0].household_code; }),
              "project.invalid beneficiaries[1].household_code");
    EXPECT_EQ(field_of([](LibraryProject& p) { p.use = "office_buildings"; }), "fund.negative_list use");
    // Without special poverty funds the negative list does not apply.
    EXPECT_EQ(field_of([](LibraryProject& p) {
                  p.use = "office_buildings";
                  p.sources = {{"social", p.approved}};
              }),
              "ok");
}

TEST(ProjectLibrary, MessagesAreBilingual) {
    LibraryProject p = Proposal();
    p.code = "";
    auto r = ValidateProject(p, BuiltinFundSources(), PlanFunds{});
    ASSERT_FALSE(r);
    EXPECT_FALSE(r.error().message_zh.empty());
    EXPECT_NE(r.error().message_en.find("code"), std::string::npos);
}

TEST(ProjectLibrary, ApplyIsVillageLevelInScope) {
    const LibraryProject p = Applied();
    EXPECT_EQ(p.state, "applied");
    ASSERT_EQ(p.steps.size(), 1u);
    EXPECT_EQ(p.steps[0].to_state, "applied");
    const ProjectActor other{Role::kOfficer, "540425100202", "other", ""};
    auto r = ApplyProject(Proposal(), Date{2017, 3, 1}, "", BuiltinFundSources(), PlanFunds{}, other);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "project.permission");
    const ProjectActor viewer{Role::kViewer, "540425", "v", ""};
    EXPECT_FALSE(ApplyProject(Proposal(), Date{2017, 3, 1}, "", BuiltinFundSources(), PlanFunds{}, viewer));
}

TEST(ProjectLibrary, FullPathToClosed) {
    const PlanFunds s;
    LibraryProject p = Approved();
    EXPECT_EQ(p.state, "approved");
    EXPECT_EQ(MoneyStateOf(p.state), ProjectState::kApproved);
    p = Must(TakeProjectStep(p, Step("start", Date{2017, 4, 1}), s, kTownshipOfficer));
    EXPECT_EQ(MoneyView(p).state, ProjectState::kStarted);
    p = Must(TakeProjectStep(p, Step("near_completion", Date{2017, 9, 1}), s, kTownshipOfficer));
    p = Must(TakeProjectStep(p, Step("accept", Date{2017, 10, 30}), s, kCountyOfficer));
    p = Must(TakeProjectStep(p, Step("close", Date{2017, 11, 30}), s, kCountyOfficer));
    EXPECT_EQ(p.state, "closed");
    EXPECT_EQ(MoneyView(p).state, ProjectState::kClosed);
    EXPECT_TRUE(AllowedProjectSteps(p).empty());
    EXPECT_FALSE(StartedWithoutNotice(p, s));
}

TEST(ProjectLibrary, ReviewNeedsTheVillageNoticeForNoticeDays) {
    PlanFunds s;
    LibraryProject p = Applied();
    auto r = TakeProjectStep(p, Step("review", Date{2017, 3, 20}), s, kTownshipOfficer);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "project.notice_period");
    p = Must(TakeProjectStep(p, Step("notice", Date{2017, 3, 2}), s, kVillageOfficer));
    EXPECT_EQ(p.notice_until, (Date{2017, 3, 12}));
    r = TakeProjectStep(p, Step("review", Date{2017, 3, 11}), s, kTownshipOfficer);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "project.notice_period");
    EXPECT_TRUE(TakeProjectStep(p, Step("review", Date{2017, 3, 12}), s, kTownshipOfficer));
    s.notice_days = 15;
    EXPECT_FALSE(TakeProjectStep(p, Step("review", Date{2017, 3, 12}), s, kTownshipOfficer));
    // Rejecting does not need the notice.
    auto rejected = TakeProjectStep(Applied(), Step("review", Date{2017, 3, 3}, "rejected"), s, kTownshipOfficer);
    ASSERT_TRUE(rejected);
    EXPECT_EQ(rejected->state, "rejected");
    EXPECT_TRUE(AllowedProjectSteps(*rejected).empty());
}

TEST(ProjectLibrary, ApproveNeedsTheCountyNotice) {
    const PlanFunds s;
    LibraryProject p = Applied();
    p = Must(TakeProjectStep(p, Step("notice", Date{2017, 3, 2}), s, kVillageOfficer));
    p = Must(TakeProjectStep(p, Step("review", Date{2017, 3, 12}), s, kTownshipOfficer));
    EXPECT_FALSE(p.notice_posted_on);  // the village notice belonged to the village level
    p = Must(TakeProjectStep(p, Step("appraise", Date{2017, 3, 13}), s, kCountyOfficer));
    auto r = TakeProjectStep(p, Step("approve", Date{2017, 4, 30}), s, kCountyOfficer);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "project.notice_period");
}

TEST(ProjectLibrary, ObjectionSendsBackOneLevel) {
    const PlanFunds s;
    LibraryProject p = Applied();
    p = Must(TakeProjectStep(p, Step("notice", Date{2017, 3, 2}), s, kVillageOfficer));
    p = Must(TakeProjectStep(p, Step("review", Date{2017, 3, 12}), s, kTownshipOfficer));
    p = Must(TakeProjectStep(p, Step("appraise", Date{2017, 3, 13}), s, kCountyOfficer));
    p = Must(TakeProjectStep(p, Step("notice", Date{2017, 3, 14}), s, kCountyOfficer));
    // No second notice while one runs.
    EXPECT_EQ(TakeProjectStep(p, Step("notice", Date{2017, 3, 15}), s, kCountyOfficer).error().code,
              "project.notice_period");
    p = Must(TakeProjectStep(p, Step("object", Date{2017, 3, 16}), s, kCountyOfficer));
    EXPECT_EQ(p.state, "reviewed");
    EXPECT_FALSE(p.notice_posted_on);
    EXPECT_EQ(p.steps.back().outcome, "objection");
    // Objection after the notice ended is refused.
    LibraryProject q = Applied();
    q = Must(TakeProjectStep(q, Step("notice", Date{2017, 3, 2}), s, kVillageOfficer));
    EXPECT_EQ(TakeProjectStep(q, Step("object", Date{2017, 4, 2}), s, kVillageOfficer).error().code,
              "project.notice_period");
}

TEST(ProjectLibrary, StepsOutOfStateAreInvalid) {
    const PlanFunds s;
    const LibraryProject p = Applied();
    auto r = TakeProjectStep(p, Step("approve", Date{2017, 3, 2}), s, kCountyOfficer);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "project.step_invalid");
    EXPECT_NE(r.error().message_en.find("review"), std::string::npos);
    EXPECT_EQ(TakeProjectStep(p, Step("fly", Date{2017, 3, 2}), s, kCountyOfficer).error().code,
              "project.step_invalid");
    EXPECT_EQ(TakeProjectStep(Approved(), Step("start", Date{2017, 4, 1}, "rejected"), s, kCountyOfficer).error().code,
              "project.outcome");
}

TEST(ProjectLibrary, LevelsAndScopes) {
    const PlanFunds s;
    LibraryProject p = Applied();
    p = Must(TakeProjectStep(p, Step("notice", Date{2017, 3, 2}), s, kVillageOfficer));
    // A village account cannot review; another township cannot either.
    EXPECT_EQ(TakeProjectStep(p, Step("review", Date{2017, 3, 12}), s, kVillageOfficer).error().code,
              "project.permission");
    const ProjectActor other_township{Role::kOfficer, "540425101", "x", ""};
    EXPECT_EQ(TakeProjectStep(p, Step("review", Date{2017, 3, 12}), s, other_township).error().code,
              "project.permission");
    p = Must(TakeProjectStep(p, Step("review", Date{2017, 3, 12}), s, kTownshipOfficer));
    EXPECT_EQ(TakeProjectStep(p, Step("appraise", Date{2017, 3, 13}), s, kTownshipOfficer).error().code,
              "project.permission");
    EXPECT_EQ(AllowedProjectStepsFor(p, kTownshipOfficer), (std::vector<std::string>{"notice"}));
    EXPECT_EQ(AllowedProjectStepsFor(p, kCountyOfficer), (std::vector<std::string>{"notice", "appraise"}));
}

TEST(ProjectLibrary, DatesMayNotGoBack) {
    const PlanFunds s;
    auto r = TakeProjectStep(Applied(), Step("notice", Date{2017, 2, 1}), s, kVillageOfficer);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "project.date");
}

TEST(ProjectLibrary, ReapproveSetsTheAmountKeepingTheState) {
    const PlanFunds s;
    LibraryProject p = Approved();
    ProjectStepRequest req = Step("reapprove", Date{2017, 3, 25});
    EXPECT_EQ(TakeProjectStep(p, req, s, kCountyOfficer).error().code, "project.invalid");
    req.reapproved = 120'000'00;
    EXPECT_EQ(TakeProjectStep(p, req, s, kTownshipOfficer).error().code, "project.permission");
    p = Must(TakeProjectStep(p, req, s, kCountyOfficer));
    EXPECT_EQ(p.state, "approved");
    EXPECT_EQ(p.reapproved, 120'000'00);
    EXPECT_EQ(MoneyView(p).reapproved, 120'000'00);
}

TEST(ProjectLibrary, StartedWithoutNoticeFindsImportedRecords) {
    PlanFunds s;
    LibraryProject p = Proposal();
    p.state = "started";
    p.steps = {ProjectStep{.step = "start", .date = Date{2017, 5, 1}}};
    EXPECT_EQ(StartedWithoutNotice(p, s), (Date{2017, 5, 1}));
    EXPECT_FALSE(StartedWithoutNotice(Approved(), s));
}

TEST(ProjectLibrary, NoticeDaysFromThePlan) {
    const std::filesystem::path root = JZ_SOURCE_DIR;
    std::ifstream in(root / "tests/fixtures/plans/bad/dynamic_notice_days_zero.toml", std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    const std::string head = ss.str().substr(0, ss.str().find("[dynamic]"));
    auto silent = ParsePlan(head, "p.toml");
    ASSERT_TRUE(silent) << silent.error().ToString();
    EXPECT_EQ(silent->funds.notice_days, 10);
    auto given = ParsePlan(head + "[funds]\nnotice_days = 15\n", "p.toml");
    ASSERT_TRUE(given) << given.error().ToString();
    EXPECT_EQ(given->funds.notice_days, 15);
    auto short_notice = ParsePlan(head + "[funds]\nnotice_days = 9\n", "p.toml");
    ASSERT_FALSE(short_notice);
    EXPECT_EQ(short_notice.error().code, "plan.funds");
}

}  // namespace
}  // namespace jz
