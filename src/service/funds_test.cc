#include "service/funds.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/test_support.h"
#include "generator/generator.h"
#include "service/assistance.h"
#include "store/sqlite_store.h"

namespace jz::service {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using testing_support::Chayu;

const ChangeContext kSetup{"setup", "2026-11-29T00:00:00Z", std::nullopt};
const ChangeContext kCounty{"xian", "2026-11-30T08:00:00Z", std::nullopt};
const ProjectActor kCountyActor{Role::kOfficer, "540425", "xian", "2026-11-30T08:00:00Z"};
const ProjectActor kTownshipActor{Role::kOfficer, "540425100", "xiang", "2026-11-30T08:00:00Z"};
const ProjectActor kVillageActor{Role::kOfficer, "540425100201", "cun", "2026-11-30T08:00:00Z"};
const Date kToday{2017, 12, 31};

const Plan& ThePlan() { return Chayu().plan; }

struct Db {
    std::string path;
    std::unique_ptr<Store> store;
    std::vector<std::string> households;  // codes in village 540425100201
    Db() {
        static int n = 0;
        path = (fs::temp_directory_path() / ("jz-funds-" + std::to_string(getpid()) + "-" + std::to_string(++n) + ".db"))
                   .string();
        fs::remove(path);
        store = OpenSqliteStore(path, OpenMode::kCreate).value();
        (void)store->Begin();
        (void)store->SaveOrgUnits(Chayu().tree, kSetup);
        (void)store->SavePlan(Chayu().plan.id, Chayu().toml, kSetup);
        GeneratorOptions o;
        o.households = 30;
        o.seed = 16;
        auto g = Generator::Create(Chayu().plan, Chayu().tree, o).value();
        Household h;
        while (g->Next(h)) {
            (void)store->InsertHousehold(h, kSetup);
            if (households.size() < 2) households.push_back(h.household_code);
        }
        (void)store->Commit();
    }
    ~Db() {
        store.reset();
        for (const char* s : {"", "-wal", "-shm"}) fs::remove(path + s);
    }
};

LibraryProject Proposal(const std::vector<std::string>& households) {
    LibraryProject p;
    p.code = "FP2017-03";
    p.name = "牦牛养殖";
    p.division_code = "540425100201";
    p.task = "棚圈10座";
    p.subsidy_standard = "每户1万元";
    p.use = "industry";
    p.sources = {{"poverty_development", 100'000'00}};
    p.approved = 100'000'00;
    p.period_start = Date{2017, 4, 1};
    p.period_end = Date{2017, 10, 31};
    p.unit = "知美村委会";
    p.responsible = "扎西";
    p.performance_target = "带动增收";
    for (const std::string& h : households) p.beneficiaries.push_back({h, "入股分红"});
    return p;
}

ProjectStepRequest Step(std::string s, Date d) { return ProjectStepRequest{.step = std::move(s), .date = d}; }

// Applies and approves FP2017-03, adds allocation 1 (poverty_development 200000) and payee 1.
int64_t ApprovedProject(Db& db) {
    auto p = ApplyProject(*db.store, ThePlan(), Proposal(db.households), Date{2017, 3, 1}, "", kVillageActor, kCounty);
    EXPECT_TRUE(p) << p.error().ToString();
    const int64_t id = p->id;
    auto step = [&](const char* s, Date d, const ProjectActor& who) {
        auto r = TakeProjectStep(*db.store, ThePlan(), id, Step(s, d), std::nullopt, who, kCounty);
        EXPECT_TRUE(r) << s << ": " << r.error().ToString();
    };
    step("notice", Date{2017, 3, 2}, kVillageActor);
    step("review", Date{2017, 3, 12}, kTownshipActor);
    step("appraise", Date{2017, 3, 13}, kCountyActor);
    step("notice", Date{2017, 3, 14}, kCountyActor);
    step("approve", Date{2017, 3, 24}, kCountyActor);
    EXPECT_TRUE(AddAllocation(*db.store, ThePlan(), Allocation{0, "poverty_development", "藏财农〔2017〕1号", 2017, 200'000'00, {}}, kCounty));
    EXPECT_TRUE(AddPayee(*db.store, Payee{0, PayeeKind::kContractor, "察隅建筑公司"}, kCounty));
    return id;
}

FundEntry E(FundEntryKind kind, Date d, Fen amount, int64_t project = 0, int64_t payee = 0) {
    FundEntry e;
    e.date = d;
    e.kind = kind;
    e.allocation = 1;
    e.project = project;
    e.payee = payee;
    e.amount = amount;
    e.refs = "报账-1";
    e.stage = kind == FundEntryKind::kDisburse ? "start" : "";
    return e;
}

TEST(FundsService, ParseYuan) {
    EXPECT_EQ(ParseYuan("1234.5", "a").value(), 123450);
    EXPECT_EQ(ParseYuan("1234.05", "a").value(), 123405);
    EXPECT_EQ(ParseYuan("7", "a").value(), 700);
    for (const char* bad : {"", "1.234", "-1", "1e3", "1.", ".5", "abc"}) {
        auto r = ParseYuan(bad, "amount");
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().field, "amount");
    }
}

TEST(FundsService, SourcesAllocationsPayees) {
    Db db;
    ASSERT_TRUE(AddFundSource(*db.store, ThePlan(), {"lottery", "彩票公益金", true}, kCounty));
    auto dup = AddFundSource(*db.store, ThePlan(), {"social", "x", false}, kCounty);
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, "store.duplicate");
    auto sources = FundSourcesJson(*db.store, ThePlan());
    ASSERT_TRUE(sources);
    EXPECT_EQ(sources->at("sources").as_array().size(), 6u);
    auto bad = AddAllocation(*db.store, ThePlan(), Allocation{0, "nowhere", "d", 2017, 100, {}}, kCounty);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().field, "source");
    auto a = AddAllocation(*db.store, ThePlan(), Allocation{0, "lottery", "d-1", 2017, 500'00, {"roads"}}, kCounty);
    ASSERT_TRUE(a) << a.error().ToString();
    EXPECT_EQ(a->id, 1);
    auto list = AllocationsJson(*db.store, ThePlan(), 2017);
    ASSERT_TRUE(list);
    const auto& row = list->at("allocations").as_array().at(0).as_object();
    EXPECT_EQ(row.at("amount").as_string(), "500.00");
    EXPECT_EQ(row.at("source_name").as_string(), "彩票公益金");
    EXPECT_EQ(AllocationsJson(*db.store, ThePlan(), 2018)->at("allocations").as_array().size(), 0u);
    auto y = AddPayee(*db.store, Payee{0, PayeeKind::kBeneficiary, "扎西"}, kCounty);
    ASSERT_TRUE(y);
    EXPECT_EQ(PayeesJson(*db.store)->at("payees").as_array().at(0).at("kind").as_string(), "beneficiary");
}

TEST(FundsService, ApproveWritesTheMoneyView) {
    Db db;
    const int64_t id = ApprovedProject(db);
    auto view = db.store->FindFundProject(id);
    ASSERT_TRUE(view && *view);
    EXPECT_EQ((*view)->state, ProjectState::kApproved);
    EXPECT_EQ((*view)->approved, 100'000'00);
    auto started = TakeProjectStep(*db.store, ThePlan(), id, Step("start", Date{2017, 4, 1}), std::nullopt,
                                   kTownshipActor, kCounty);
    ASSERT_TRUE(started) << started.error().ToString();
    EXPECT_EQ(db.store->FindFundProject(id).value()->state, ProjectState::kStarted);
    // A stale version is refused.
    auto stale = TakeProjectStep(*db.store, ThePlan(), id, Step("near_completion", Date{2017, 9, 1}), int64_t{1},
                                 kTownshipActor, kCounty);
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().code, "store.conflict");
}

TEST(FundsService, RefusedStepChangesNothing) {
    Db db;
    auto p = ApplyProject(*db.store, ThePlan(), Proposal(db.households), Date{2017, 3, 1}, "", kVillageActor, kCounty);
    ASSERT_TRUE(p);
    auto r = TakeProjectStep(*db.store, ThePlan(), p->id, Step("approve", Date{2017, 3, 2}), std::nullopt, kCountyActor, kCounty);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "project.step_invalid");
    EXPECT_EQ(FindProject(*db.store, "FP2017-03")->version, 1);
    EXPECT_EQ(FindProject(*db.store, std::to_string(p->id))->code, "FP2017-03");
    EXPECT_EQ(FindProject(*db.store, "FP-none").error().code, "project.not_found");
    auto dup = ApplyProject(*db.store, ThePlan(), Proposal(db.households), Date{2017, 3, 1}, "", kVillageActor, kCounty);
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, "store.duplicate");
}

TEST(FundsService, PostReverseBalancesAndRefusals) {
    Db db;
    const int64_t id = ApprovedProject(db);
    ASSERT_TRUE(TakeProjectStep(*db.store, ThePlan(), id, Step("start", Date{2017, 4, 1}), std::nullopt, kTownshipActor, kCounty));
    auto posted = PostEntries(*db.store, ThePlan(),
                              {E(FundEntryKind::kReceive, Date{2017, 3, 25}, 200'000'00),
                               E(FundEntryKind::kBudget, Date{2017, 3, 26}, 100'000'00, id),
                               E(FundEntryKind::kDisburse, Date{2017, 4, 10}, 40'000'00, id, 1)},
                              kToday, kCounty);
    ASSERT_TRUE(posted) << posted.error().ToString();
    ASSERT_EQ(posted->size(), 3u);
    // Beyond the start stage's 40%: refused, recorded, nothing posted.
    auto over = PostEntries(*db.store, ThePlan(), {E(FundEntryKind::kDisburse, Date{2017, 5, 10}, 1'00, id, 1)}, Date{2017, 5, 10}, kCounty);
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error().code, "fund.stage_beyond_acceptance");
    EXPECT_EQ(over.error().field, "entries[0].amount");
    auto second = PostEntries(*db.store, ThePlan(),
                              {E(FundEntryKind::kReceive, Date{2017, 5, 1}, 1'00),
                               E(FundEntryKind::kReceive, Date{2017, 5, 1}, 1'00)},
                              Date{2017, 5, 10}, kCounty);
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().code, "fund.over_allocation");
    EXPECT_EQ(second.error().field, "entries[0].amount");
    EXPECT_EQ(db.store->CountFundEntriesBy({}).value(), 3);
    EXPECT_EQ(db.store->ListFundRefusals().value().size(), 2u);

    auto reversed = ReverseEntry(*db.store, ThePlan(), posted->at(2).id, Date{2017, 4, 11}, "更正", kToday, kCounty);
    ASSERT_TRUE(reversed) << reversed.error().ToString();
    EXPECT_EQ(reversed->amount, 40'000'00);
    auto again = ReverseEntry(*db.store, ThePlan(), posted->at(2).id, Date{2017, 4, 11}, "", kToday, kCounty);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, "fund.reversal_invalid");
    EXPECT_EQ(again.error().field, "entries[0].reverses");

    auto balances = FundBalancesJson(*db.store, ThePlan());
    ASSERT_TRUE(balances);
    const auto& totals = balances->at("totals").as_object();
    EXPECT_EQ(totals.at("allocated").as_string(), "200000.00");
    EXPECT_EQ(totals.at("received").as_string(), "200000.00");
    EXPECT_EQ(totals.at("budgeted").as_string(), "100000.00");
    EXPECT_EQ(totals.at("spent").as_string(), "0.00");
    EXPECT_EQ(totals.at("unspent").as_string(), "200000.00");

    FundEntryQuery q;
    q.project = id;
    auto listed = EntriesJson(*db.store, q, "");
    ASSERT_TRUE(listed);
    EXPECT_EQ(listed->at("total").as_int64(), 3);
    EXPECT_FALSE(listed->at("entries").as_array().at(1).at("reversed_by").is_null());
    EXPECT_EQ(EntriesJson(*db.store, q, "540425101")->at("total").as_int64(), 0);
    EXPECT_EQ(EntriesJson(*db.store, q, "540425100")->at("total").as_int64(), 3);
}

TEST(FundsService, MonthlyReport) {
    Db db;
    const int64_t id = ApprovedProject(db);
    ASSERT_TRUE(TakeProjectStep(*db.store, ThePlan(), id, Step("start", Date{2017, 4, 1}), std::nullopt, kTownshipActor, kCounty));
    ASSERT_TRUE(PostEntries(*db.store, ThePlan(),
                            {E(FundEntryKind::kReceive, Date{2017, 3, 25}, 200'000'00),
                             E(FundEntryKind::kBudget, Date{2017, 3, 26}, 100'000'00, id),
                             E(FundEntryKind::kDisburse, Date{2017, 4, 10}, 30'000'00, id, 1),
                             E(FundEntryKind::kDisburse, Date{2017, 5, 10}, 10'000'00, id, 1)},
                            kToday, kCounty));
    auto report = MonthlyReportJson(*db.store, ThePlan(), Chayu().tree, 2017, 5, "");
    ASSERT_TRUE(report) << report.error().ToString();
    EXPECT_EQ(report->at("month").as_string(), "2017-05");
    EXPECT_EQ(report->at("due").as_string(), "2017-06-05");
    const auto& t = report->at("totals").as_object();
    EXPECT_EQ(t.at("spent_month").as_string(), "10000.00");
    EXPECT_EQ(t.at("spent_year").as_string(), "40000.00");
    EXPECT_EQ(t.at("budgeted").as_string(), "100000.00");
    EXPECT_EQ(t.at("allocated").as_string(), "200000.00");
    EXPECT_EQ(t.at("unspent").as_string(), "160000.00");
    const auto& project_row = report->at("by_project").as_array().at(0).as_object();
    EXPECT_EQ(project_row.at("spent_year").as_string(), "40000.00");
    EXPECT_EQ(project_row.at("unspent").as_string(), "60000.00");
    const auto& township = report->at("by_township").as_array().at(0).as_object();
    EXPECT_EQ(township.at("key").as_string(), "540425100");
    EXPECT_EQ(township.at("name").as_string(), "竹瓦根镇");
    // April: what was paid in April only.
    auto april = MonthlyReportJson(*db.store, ThePlan(), Chayu().tree, 2017, 4, "");
    EXPECT_EQ(april->at("totals").at("spent_month").as_string(), "30000.00");
    // Another township's reader sees no rows.
    auto other = MonthlyReportJson(*db.store, ThePlan(), Chayu().tree, 2017, 5, "540425101");
    ASSERT_TRUE(other);
    EXPECT_EQ(other->at("by_project").as_array().size(), 0u);
    EXPECT_EQ(other->at("by_source").as_array().size(), 0u);
    EXPECT_EQ(other->at("totals").at("spent_year").as_string(), "0.00");
    EXPECT_FALSE(MonthlyReportJson(*db.store, ThePlan(), Chayu().tree, 2017, 13, ""));
}

TEST(FundsService, Findings) {
    Db db;
    const int64_t id = ApprovedProject(db);
    ASSERT_TRUE(PostEntries(*db.store, ThePlan(), {E(FundEntryKind::kReceive, Date{2017, 3, 25}, 200'000'00)}, kToday, kCounty));
    ASSERT_FALSE(PostEntries(*db.store, ThePlan(), {E(FundEntryKind::kDisburse, Date{2017, 3, 26}, 1'00, id, 1)},
                             Date{2017, 3, 26}, kCounty));
    // An imported started project without notice.
    LibraryProject imported = Proposal(db.households);
    imported.code = "FP2016-01";
    imported.state = "started";
    imported.steps = {ProjectStep{.step = "start", .date = Date{2016, 5, 1}, .outcome = "passed", .to_state = "started"}};
    ASSERT_TRUE(db.store->Begin());
    ASSERT_TRUE(db.store->InsertLibraryProject(imported, kCounty));
    ASSERT_TRUE(db.store->Commit());
    auto findings = FindingsJson(*db.store, ThePlan(), Date{2017, 12, 31}, "");
    ASSERT_TRUE(findings) << findings.error().ToString();
    std::multiset<std::string> rules;
    for (const auto& f : findings->at("findings").as_array()) rules.insert(std::string(f.at("rule").as_string()));
    EXPECT_EQ(rules.count("fund.idle"), 1u);
    EXPECT_EQ(rules.count("fund.notice_missing"), 1u);
    EXPECT_EQ(rules.count("fund.unknown") + rules.count("fund.over_project_amount") + rules.count("fund.stage_beyond_acceptance"), 1u);
    // Before the idle period ran: no idle finding.
    auto early = FindingsJson(*db.store, ThePlan(), Date{2017, 4, 1}, "");
    for (const auto& f : early->at("findings").as_array()) EXPECT_NE(f.at("rule").as_string(), "fund.idle");
    // A township elsewhere sees none of these.
    EXPECT_EQ(FindingsJson(*db.store, ThePlan(), Date{2017, 12, 31}, "540425101")->at("findings").as_array().size(), 0u);
}

TEST(FundsService, ShowAndNotice) {
    Db db;
    const int64_t id = ApprovedProject(db);
    auto p = FindProject(*db.store, std::to_string(id));
    ASSERT_TRUE(p);
    auto show = ProjectShowJson(*db.store, ThePlan(), *p, kCountyActor);
    ASSERT_TRUE(show) << show.error().ToString();
    EXPECT_EQ(show->at("project").at("code").as_string(), "FP2017-03");
    EXPECT_EQ(show->at("money").at("base").as_string(), "100000.00");
    EXPECT_EQ(show->at("households").as_array().size(), db.households.size());
    const auto& allowed = show->at("allowed_steps").as_array();
    EXPECT_NE(std::find(allowed.begin(), allowed.end(), json::value("reapprove")), allowed.end());
    auto village_show = ProjectShowJson(*db.store, ThePlan(), *p, kVillageActor);
    EXPECT_TRUE(village_show->at("allowed_steps").as_array().empty());
    auto notice = ProjectNoticeJson(*db.store, ThePlan(), Chayu().tree, *p);
    ASSERT_TRUE(notice);
    EXPECT_EQ(notice->at("posted_on").as_string(), "2017-03-14");
    EXPECT_EQ(notice->at("until").as_string(), "2017-03-24");
    EXPECT_EQ(notice->at("hotline").as_string(), "12317");
    EXPECT_EQ(notice->at("days").as_int64(), 10);
    EXPECT_EQ(notice->at("sources").at(0).at("source_name").as_string(), "扶贫开发资金");
    auto list = ProjectListJson(*db.store, Chayu().tree, LibraryProjectFilter{});
    ASSERT_TRUE(list);
    EXPECT_EQ(list->at("total").as_int64(), 1);
    EXPECT_EQ(list->at("projects").at(0).at("state_zh").as_string(), "已批复");
}

TEST(FundsService, ProjectFromJsonNamesFields) {
    auto body = json::parse(R"({"code":"FP1","name":"n","division_code":"540425100201","use":"industry",
        "approved":"100.00","period_start":"2017-01-01","period_end":"2017-02-01",
        "sources":[{"source":"social","amount":"100"}],"beneficiaries":[{"household_code":"1","how":"x"}]})");
    auto p = ProjectFromJson(body);
    ASSERT_TRUE(p) << p.error().ToString();
    EXPECT_EQ(p->approved, 100'00);
    EXPECT_EQ(p->sources[0].amount, 100'00);
    body.as_object()["sources"].as_array()[0].as_object()["amount"] = "1.234";
    auto bad = ProjectFromJson(body);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().field, "sources[0].amount");
    auto entries = EntriesFromJson(json::parse(R"({"entries":[{"date":"2017-01-01","kind":"fly","amount":"1"}]})"));
    ASSERT_FALSE(entries);
    EXPECT_EQ(entries.error().field, "entries[0].kind");
}

}  // namespace
}  // namespace jz::service
