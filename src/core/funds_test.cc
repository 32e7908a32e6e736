// The funds ledger (core/funds.h): one test per refusal naming its rule, reversals, the plan's
// [funds] settings, idle funds.
#include "core/funds.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/plan.h"

namespace jz {
namespace {

constexpr Date kDay{2018, 3, 1};

// A ledger with: allocation 1 (poverty development, special poverty funds, earmark roads/water,
// 1,000,000.00 yuan), allocation 2 (aid-Tibet, any use, 500,000.00 yuan), project 10 (roads,
// approved 100,000.00 yuan, started), project 11 (office_buildings — on the negative list),
// project 12 (housing, outside allocation 1's earmark), payee 100.
class FundsTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(ledger.AddAllocation({1, "poverty_development", "藏财农〔2018〕1号", 2018, 100'000'000, {"roads", "water"}}));
        ASSERT_TRUE(ledger.AddAllocation({2, "aid_tibet", "援藏〔2018〕2号", 2018, 50'000'000, {}}));
        ASSERT_TRUE(ledger.AddProject({10, "村道硬化", "540425100201", "roads", 10'000'000, std::nullopt, ProjectState::kStarted}));
        ASSERT_TRUE(ledger.AddProject({11, "办公楼", "540425100201", "office_buildings", 10'000'000, std::nullopt, ProjectState::kStarted}));
        ASSERT_TRUE(ledger.AddProject({12, "安居房", "540425100201", "housing", 10'000'000, std::nullopt, ProjectState::kStarted}));
        ASSERT_TRUE(ledger.AddPayee({100, PayeeKind::kContractor, "察隅建筑公司"}));
    }
    Result<FundEntry> Post(FundEntryKind kind, int64_t allocation, Fen amount, int64_t project = 0, int64_t payee = 0,
                           std::string decision = {}, int64_t to_allocation = 0) {
        FundEntry e;
        e.id = ++next_id;
        e.date = kDay;
        e.kind = kind;
        e.allocation = allocation;
        e.project = project;
        e.payee = payee;
        e.amount = amount;
        e.decision_id = std::move(decision);
        e.to_allocation = to_allocation;
        return ledger.Apply(e);
    }
    Result<FundEntry> Reverse(int64_t id) {
        FundEntry e;
        e.id = ++next_id;
        e.date = kDay;
        e.kind = FundEntryKind::kReversal;
        e.reverses = id;
        return ledger.Apply(e);
    }
    // Receives both allocations in full and budgets 100,000.00 yuan of allocation 1 to project 10.
    void Fund() {
        ASSERT_TRUE(Post(FundEntryKind::kReceive, 1, 100'000'000));
        ASSERT_TRUE(Post(FundEntryKind::kReceive, 2, 50'000'000));
        ASSERT_TRUE(Post(FundEntryKind::kBudget, 1, 10'000'000, 10));
    }
    void ExpectRefused(const Result<FundEntry>& r, std::string_view rule) {
        ASSERT_FALSE(r.has_value()) << "accepted, expected " << rule;
        EXPECT_EQ(r.error().code, rule) << r.error().ToString();
        EXPECT_FALSE(r.error().message_zh.empty());
        EXPECT_FALSE(r.error().message_en.empty());
    }
    FundLedger ledger;
    int64_t next_id = 0;
};

TEST_F(FundsTest, MovementsMoveMoneyBetweenTheirAccounts) {
    Fund();
    ASSERT_TRUE(Post(FundEntryKind::kDisburse, 1, 3'000'000, 10, 100));
    ASSERT_TRUE(Post(FundEntryKind::kRetainDeposit, 1, 500'000, 10));
    ASSERT_TRUE(Post(FundEntryKind::kInterest, 1, 1'234));
    EXPECT_EQ(ledger.Balance("treasury"), -150'000'000);
    EXPECT_EQ(ledger.Balance("interest"), -1'234);
    EXPECT_EQ(ledger.Balance("allocation:1"), 90'000'000 + 1'234);
    EXPECT_EQ(ledger.Balance("project:10:1"), 6'500'000);
    EXPECT_EQ(ledger.Balance("deposit:10:1"), 500'000);
    EXPECT_EQ(ledger.Balance("payee:100"), 3'000'000);
    EXPECT_EQ(ledger.Project(10), (ProjectMoney{10'000'000, 3'000'000, 500'000}));
    Fen sum = 0;
    for (const auto& [account, balance] : ledger.balances()) sum += balance;
    EXPECT_EQ(sum, 0);
}

TEST_F(FundsTest, AmountInvalid) {
    Fund();
    ExpectRefused(Post(FundEntryKind::kReceive, 2, 0), "fund.amount_invalid");
    ExpectRefused(Post(FundEntryKind::kReceive, 2, -5), "fund.amount_invalid");
    ExpectRefused(Post(FundEntryKind::kInterest, 2, kMaxFundAmount + 1), "fund.amount_invalid");
}

TEST_F(FundsTest, UnknownReferences) {
    ExpectRefused(Post(FundEntryKind::kReceive, 9, 100), "fund.unknown");
    ASSERT_TRUE(Post(FundEntryKind::kReceive, 2, 1'000));
    ExpectRefused(Post(FundEntryKind::kBudget, 2, 100, 99), "fund.unknown");
}

TEST_F(FundsTest, OverAllocationOnReceiptAndBudget) {
    ASSERT_TRUE(Post(FundEntryKind::kReceive, 2, 40'000'000));
    const auto r = Post(FundEntryKind::kReceive, 2, 10'000'001);
    ExpectRefused(r, "fund.over_allocation");
    EXPECT_NE(r.error().message_en.find("500000.00 yuan"), std::string::npos) << r.error().message_en;
    ExpectRefused(Post(FundEntryKind::kBudget, 2, 40'000'001, 12), "fund.over_allocation");
}

TEST_F(FundsTest, OverProjectAmountWhenPayingMoreThanBudgeted) {
    Fund();
    ASSERT_TRUE(ledger.AddProject({10, "村道硬化", "540425100201", "roads", 10'000'000, std::nullopt, ProjectState::kAccepted}));
    ExpectRefused(Post(FundEntryKind::kDisburse, 1, 10'000'001, 10, 100), "fund.over_project_amount");
    // Allocation 2 budgeted nothing to project 10: its project account is empty.
    ExpectRefused(Post(FundEntryKind::kDisburse, 2, 1, 10, 100), "fund.over_project_amount");
}

TEST_F(FundsTest, OverProjectAmountBeyondReapproval) {
    ASSERT_TRUE(Post(FundEntryKind::kReceive, 1, 100'000'000));
    ASSERT_TRUE(ledger.AddProject({10, "村道硬化", "540425100201", "roads", 10'000'000, 12'000'000, ProjectState::kStarted}));
    ASSERT_TRUE(Post(FundEntryKind::kBudget, 1, 12'000'000, 10));
    ExpectRefused(Post(FundEntryKind::kBudget, 1, 1, 10), "fund.over_project_amount");
}

TEST_F(FundsTest, NegativeListForSpecialPovertyFunds) {
    Fund();
    const auto r = Post(FundEntryKind::kBudget, 1, 1'000, 11, 0, "决定-1");  // a decision does not lift it
    ExpectRefused(r, "fund.negative_list");
    EXPECT_NE(r.error().message_zh.find("office_buildings"), std::string::npos);
    // Aid-Tibet money is not special poverty funds: the negative list does not apply.
    EXPECT_TRUE(Post(FundEntryKind::kBudget, 2, 1'000, 11));
}

TEST_F(FundsTest, EarmarkMismatchWithoutDecision) {
    Fund();
    ExpectRefused(Post(FundEntryKind::kBudget, 1, 1'000, 12), "fund.earmark_mismatch");
    EXPECT_TRUE(Post(FundEntryKind::kBudget, 1, 1'000, 12, 0, "县扶贫领导小组〔2018〕5号"));
    EXPECT_TRUE(Post(FundEntryKind::kBudget, 2, 1'000, 12));  // allocation 2 has no earmark
}

TEST_F(FundsTest, OverrunBeyondTenPercentNeedsReapproval) {
    Fund();
    ASSERT_TRUE(Post(FundEntryKind::kBudget, 1, 1'000'000, 10));  // 110% of approved: allowed
    const auto r = Post(FundEntryKind::kBudget, 2, 1, 10);
    ExpectRefused(r, "fund.overrun_unapproved");
    EXPECT_NE(r.error().message_en.find("110000.00 yuan"), std::string::npos) << r.error().message_en;
    ASSERT_TRUE(ledger.AddProject({10, "村道硬化", "540425100201", "roads", 10'000'000, 13'000'000, ProjectState::kStarted}));
    EXPECT_TRUE(Post(FundEntryKind::kBudget, 2, 1, 10));
}

TEST_F(FundsTest, StagePaymentsCappedByProjectState) {
    Fund();
    // Started: 40% of 100,000.00 yuan.
    ASSERT_TRUE(Post(FundEntryKind::kDisburse, 1, 4'000'000, 10, 100));
    ExpectRefused(Post(FundEntryKind::kDisburse, 1, 1, 10, 100), "fund.stage_beyond_acceptance");
    ASSERT_TRUE(ledger.AddProject({10, "村道硬化", "540425100201", "roads", 10'000'000, std::nullopt, ProjectState::kNearCompletion}));
    ASSERT_TRUE(Post(FundEntryKind::kDisburse, 1, 5'000'000, 10, 100));
    ExpectRefused(Post(FundEntryKind::kDisburse, 1, 1, 10, 100), "fund.stage_beyond_acceptance");
    ASSERT_TRUE(ledger.AddProject({10, "村道硬化", "540425100201", "roads", 10'000'000, std::nullopt, ProjectState::kAccepted}));
    EXPECT_TRUE(Post(FundEntryKind::kDisburse, 1, 1'000'000, 10, 100));
}

TEST_F(FundsTest, StageCapsAreConfigurable) {
    PlanFunds s;
    s.stage_started_percent = 30;
    FundLedger l(s);
    ASSERT_TRUE(l.AddProject({10, "x", "540425100201", "roads", 10'000'000, std::nullopt, ProjectState::kStarted}));
    EXPECT_EQ(l.StageCap(*l.FindProject(10)), 3'000'000);
    EXPECT_EQ(ledger.StageCap(*ledger.FindProject(10)), 4'000'000);
}

TEST_F(FundsTest, DepositCountsAsUnspentAndIsCapped) {
    Fund();
    ASSERT_TRUE(ledger.AddProject({10, "村道硬化", "540425100201", "roads", 10'000'000, std::nullopt, ProjectState::kAccepted}));
    ASSERT_TRUE(Post(FundEntryKind::kDisburse, 1, 9'000'000, 10, 100));
    ASSERT_TRUE(Post(FundEntryKind::kRetainDeposit, 1, 1'000'000, 10));
    EXPECT_EQ(ledger.Project(10).paid, 9'000'000);
    EXPECT_EQ(ledger.Project(10).deposit_held, 1'000'000);
    ExpectRefused(Post(FundEntryKind::kReleaseDeposit, 1, 1'000'001, 10, 100), "fund.over_project_amount");
    ASSERT_TRUE(Post(FundEntryKind::kReleaseDeposit, 1, 1'000'000, 10, 100));
    EXPECT_EQ(ledger.Project(10).paid, 10'000'000);
    EXPECT_EQ(ledger.Balance("payee:100"), 10'000'000);
}

TEST_F(FundsTest, DepositOverMax) {
    Fund();
    ExpectRefused(Post(FundEntryKind::kRetainDeposit, 1, 1'000'001, 10), "fund.deposit_over_max");
    EXPECT_TRUE(Post(FundEntryKind::kRetainDeposit, 1, 1'000'000, 10));
}

TEST_F(FundsTest, TransferOnlyWithDecision) {
    Fund();
    ExpectRefused(Post(FundEntryKind::kTransfer, 1, 1'000, 0, 0, "", 2), "fund.transfer_without_decision");
    ExpectRefused(Post(FundEntryKind::kTransfer, 1, 1'000, 0, 0, "决定-2", 1), "fund.transfer_without_decision");
    ExpectRefused(Post(FundEntryKind::kTransfer, 1, 90'000'001, 0, 0, "决定-2", 2), "fund.over_allocation");
    ASSERT_TRUE(Post(FundEntryKind::kTransfer, 1, 1'000, 0, 0, "决定-2", 2));
    EXPECT_EQ(ledger.Balance("allocation:2"), 50'001'000);
}

TEST_F(FundsTest, ReversalRestoresBalances) {
    Fund();
    ASSERT_TRUE(Post(FundEntryKind::kDisburse, 1, 2'000'000, 10, 100));
    const int64_t paid_id = next_id;
    const auto before_paid = ledger.balances();
    ASSERT_TRUE(Post(FundEntryKind::kRetainDeposit, 1, 700'000, 10));
    const int64_t deposit_id = next_id;
    const auto before = ledger.balances();
    const ProjectMoney money = ledger.Project(10);
    ASSERT_TRUE(Post(FundEntryKind::kDisburse, 1, 1'000'000, 10, 100));
    const int64_t id = next_id;
    const auto rev = Reverse(id);
    ASSERT_TRUE(rev) << rev.error().ToString();
    EXPECT_EQ(rev->from_account, "payee:100");
    EXPECT_EQ(rev->to_account, "project:10:1");
    EXPECT_EQ(rev->amount, 1'000'000);
    for (const auto& [account, balance] : ledger.balances()) {
        auto it = before.find(account);
        EXPECT_EQ(balance, it == before.end() ? 0 : it->second) << account;
    }
    EXPECT_EQ(ledger.Project(10), money);
    ASSERT_TRUE(Reverse(deposit_id));
    for (const auto& [account, balance] : ledger.balances()) {
        auto it = before_paid.find(account);
        EXPECT_EQ(balance, it == before_paid.end() ? 0 : it->second) << account;
    }
    EXPECT_EQ(ledger.Project(10).deposit_held, 0);
    EXPECT_EQ(ledger.Project(10).paid, 2'000'000);
    (void)paid_id;
}

TEST_F(FundsTest, ReversalInvalid) {
    Fund();
    ExpectRefused(Reverse(999), "fund.reversal_invalid");  // unknown
    ASSERT_TRUE(Reverse(3));                               // the budget
    const int64_t reversal = next_id;
    ExpectRefused(Reverse(3), "fund.reversal_invalid");         // already reversed
    ExpectRefused(Reverse(reversal), "fund.reversal_invalid");  // a reversal
    // Receipt 1's money was budgeted again: undoing it would make allocation:1 negative.
    ASSERT_TRUE(Post(FundEntryKind::kTransfer, 1, 100'000'000 - 1, 0, 0, "决定-3", 2));
    ExpectRefused(Reverse(1), "fund.reversal_invalid");
}

TEST_F(FundsTest, RefusalLeavesStateUnchanged) {
    Fund();
    const auto before = ledger.balances();
    const ProjectMoney money = ledger.Project(10);
    ExpectRefused(Post(FundEntryKind::kDisburse, 1, 5'000'000, 10, 100), "fund.stage_beyond_acceptance");
    EXPECT_EQ(ledger.balances(), before);
    EXPECT_EQ(ledger.Project(10), money);
}

TEST_F(FundsTest, DuplicateEntryIdRefused) {
    ASSERT_TRUE(Post(FundEntryKind::kReceive, 2, 100));
    FundEntry e;
    e.id = next_id;
    e.date = kDay;
    e.kind = FundEntryKind::kReceive;
    e.allocation = 2;
    e.amount = 100;
    ExpectRefused(ledger.Apply(e), "fund.duplicate_id");
}

TEST_F(FundsTest, UnknownSourceRefusedAndPlanSourcesAccepted) {
    EXPECT_EQ(ledger.AddAllocation({5, "lottery", "x", 2018, 100, {}}).error().code, "fund.unknown");
    PlanFunds s;
    s.sources.push_back({"lottery", "彩票公益金", true});
    FundLedger l(s);
    EXPECT_TRUE(l.AddAllocation({5, "lottery", "x", 2018, 100, {}}));
}

TEST_F(FundsTest, IdleFundsAfterIdleDays) {
    FundEntry e;
    e.id = 1;
    e.date = Date{2018, 1, 1};
    e.kind = FundEntryKind::kReceive;
    e.allocation = 2;
    e.amount = 1'000'000;
    const auto applied = ledger.Apply(e);
    ASSERT_TRUE(applied);
    std::vector<FundEntry> all{*applied};
    EXPECT_TRUE(FindIdleFunds(ledger, all, Date{2018, 6, 29}).empty());  // 179 days
    const auto idle = FindIdleFunds(ledger, all, Date{2018, 6, 30});    // 180 days
    ASSERT_EQ(idle.size(), 1u);
    EXPECT_EQ(idle[0], (IdleFund{2, 1'000'000, Date{2018, 1, 1}, 180}));
}

TEST(FundNamesTest, YuanHasTwoDecimals) {
    EXPECT_EQ(FundYuan(50'000'000), "500000.00");
    EXPECT_EQ(FundYuan(5), "0.05");
    EXPECT_EQ(FundYuan(-1'234'50), "-1234.50");
}

TEST(FundNamesTest, KindsAndStatesRoundTrip) {
    for (FundEntryKind k : {FundEntryKind::kReceive, FundEntryKind::kBudget, FundEntryKind::kDisburse,
                            FundEntryKind::kRetainDeposit, FundEntryKind::kReleaseDeposit, FundEntryKind::kInterest,
                            FundEntryKind::kTransfer, FundEntryKind::kReversal})
        EXPECT_EQ(ParseFundEntryKind(FundEntryKindName(k)), k);
    EXPECT_EQ(ParseProjectState("near_completion"), ProjectState::kNearCompletion);
    EXPECT_EQ(ParseProjectState("x"), std::nullopt);
    EXPECT_EQ(BuiltinFundSources().size(), 5u);
    EXPECT_TRUE(BuiltinFundSources()[1].special_poverty);
}

// --- The plan's [funds] --------------------------------------------------------------------------

std::string PlanHead() {
    const std::filesystem::path root = JZ_SOURCE_DIR;
    std::ifstream in(root / "tests/fixtures/plans/bad/dynamic_notice_days_zero.toml", std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    const std::string base = ss.str();
    return base.substr(0, base.find("[dynamic]"));
}

TEST(PlanFundsTest, DefaultsWhenSilent) {
    const auto plan = ParsePlan(PlanHead(), "silent.toml");
    ASSERT_TRUE(plan.has_value()) << plan.error().ToString();
    EXPECT_EQ(plan->funds, PlanFunds{});
    EXPECT_EQ(plan->funds.stage_started_percent, 40);
    EXPECT_EQ(plan->funds.overrun_permille, 100);
    EXPECT_EQ(plan->funds.idle_days, 180);
    EXPECT_EQ(plan->funds.negative_list, DefaultNegativeList());
}

TEST(PlanFundsTest, ReadWhenGiven) {
    const auto plan = ParsePlan(PlanHead() +
                                    "[funds]\nstage_started_percent = 30\nstage_near_completion_percent = 80\n"
                                    "overrun_permille = 50\ndeposit_max_permille = 50\nidle_days = 90\n"
                                    "negative_list = [\"office_buildings\"]\n"
                                    "[[funds.sources]]\ncode = \"lottery\"\nname = \"彩票公益金\"\nspecial_poverty = true\n",
                                "given.toml");
    ASSERT_TRUE(plan.has_value()) << plan.error().ToString();
    EXPECT_EQ(plan->funds.stage_started_percent, 30);
    EXPECT_EQ(plan->funds.stage_near_completion_percent, 80);
    EXPECT_EQ(plan->funds.stage_accepted_percent, 100);
    EXPECT_EQ(plan->funds.overrun_permille, 50);
    EXPECT_EQ(plan->funds.deposit_max_permille, 50);
    EXPECT_EQ(plan->funds.idle_days, 90);
    EXPECT_EQ(plan->funds.negative_list, std::vector<std::string>{"office_buildings"});
    ASSERT_EQ(plan->funds.sources.size(), 1u);
    EXPECT_EQ(plan->funds.sources[0], (FundSource{"lottery", "彩票公益金", true}));
}

TEST(PlanFundsTest, RefusesOutOfRangeUnknownKeysDecreasingStagesAndRepeatedSources) {
    auto code = [](const std::string& tail) {
        const auto plan = ParsePlan(PlanHead() + tail, "bad.toml");
        return plan ? std::string("accepted") : plan.error().code;
    };
    EXPECT_EQ(code("[funds]\noverrun_permille = 1001\n"), "plan.funds");
    EXPECT_EQ(code("[funds]\nidle_days = 0\n"), "plan.funds");
    EXPECT_EQ(code("[funds]\nstage_started_percent = 95\n"), "plan.funds");
    EXPECT_EQ(code("[funds]\nnegative_list = [\"Office\"]\n"), "plan.funds");
    EXPECT_EQ(code("[funds]\ncolour = 1\n"), "plan.unknown_key");
    EXPECT_EQ(code("[funds]\n[[funds.sources]]\ncode = \"social\"\nname = \"x\"\n"), "plan.duplicate_id");
}

}  // namespace
}  // namespace jz
