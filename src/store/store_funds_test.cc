// Funds in the store (migration 007, sqlite_funds.cc): reference data, a batch checked through the
// core ledger and written whole or not at all, balances kept beside the entries equal to the recount,
// the change log, listing filters, reversals across batches.
#include <gtest/gtest.h>

#include "store/store_test_fixture.h"

namespace jz::store_test {
namespace {

const PlanFunds kSettings{};

class FundStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        path_ = TempPath("funds.db");
        auto opened = OpenSqliteStore(path_, OpenMode::kCreate);
        ASSERT_TRUE(opened) << opened.error().ToString();
        store_ = std::move(*opened);
        ASSERT_TRUE(store_->Begin());
        ASSERT_TRUE(store_->SaveOrgUnits(SmallTree(), kChange));
        ASSERT_TRUE(store_->PutAllocation({1, "poverty_development", "藏财农〔2018〕1号", 2018, 100'000'000, {"roads"}}, kChange));
        ASSERT_TRUE(store_->PutAllocation({2, "aid_tibet", "援藏〔2018〕2号", 2018, 50'000'000, {}}, kChange));
        ASSERT_TRUE(store_->PutFundProject({10, "村道硬化", "540425100201", "roads", 10'000'000, std::nullopt, ProjectState::kStarted}, kChange));
        ASSERT_TRUE(store_->PutFundProject({11, "办公楼", "540425100201", "office_buildings", 10'000'000, std::nullopt, ProjectState::kStarted}, kChange));
        ASSERT_TRUE(store_->PutPayee({100, PayeeKind::kContractor, "察隅建筑公司"}, kChange));
        ASSERT_TRUE(store_->Commit());
    }
    void TearDown() override { store_.reset(); std::filesystem::remove(path_); }

    static FundEntry E(FundEntryKind kind, int64_t allocation, Fen amount, int64_t project = 0, int64_t payee = 0) {
        FundEntry e;
        e.date = Date{2018, 3, 1};
        e.kind = kind;
        e.allocation = allocation;
        e.project = project;
        e.payee = payee;
        e.amount = amount;
        e.refs = "报账单-1";
        return e;
    }
    static FundEntry Reversal(int64_t of) {
        FundEntry e;
        e.date = Date{2018, 3, 2};
        e.kind = FundEntryKind::kReversal;
        e.reverses = of;
        return e;
    }
    Result<std::vector<FundEntry>> Post(const std::vector<FundEntry>& batch) {
        if (auto r = store_->Begin(); !r) return std::unexpected(r.error());
        auto r = store_->PostFundEntries(batch, kSettings, kChange);
        if (r) {
            if (auto c = store_->Commit(); !c) return std::unexpected(c.error());
        } else {
            store_->Rollback();
        }
        return r;
    }
    void ExpectBalancesEqualRecount() {
        const auto kept = store_->FundBalances();
        const auto recount = store_->RecountFundBalances();
        ASSERT_TRUE(kept && recount);
        std::map<std::string, Fen> nonzero;
        for (const auto& [a, b] : *kept)
            if (b != 0) nonzero[a] = b;
        std::map<std::string, Fen> recount_nonzero;
        for (const auto& [a, b] : *recount)
            if (b != 0) recount_nonzero[a] = b;
        EXPECT_EQ(nonzero, recount_nonzero);
        Fen sum = 0;
        for (const auto& [a, b] : *kept) sum += b;
        EXPECT_EQ(sum, 0);
    }
    std::string path_;
    std::unique_ptr<Store> store_;
};

TEST_F(FundStoreTest, SchemaHasMigration007) { EXPECT_GE(store_->schema_version(), 7); }

TEST_F(FundStoreTest, PostWritesEntriesBalancesAndDerivedAmounts) {
    const auto posted = Post({E(FundEntryKind::kReceive, 1, 100'000'000), E(FundEntryKind::kBudget, 1, 10'000'000, 10),
                              E(FundEntryKind::kDisburse, 1, 3'000'000, 10, 100),
                              E(FundEntryKind::kRetainDeposit, 1, 500'000, 10)});
    ASSERT_TRUE(posted) << posted.error().ToString();
    ASSERT_EQ(posted->size(), 4u);
    EXPECT_EQ((*posted)[0].id, 1);
    EXPECT_EQ((*posted)[3].id, 4);
    const auto balances = store_->FundBalances().value();
    EXPECT_EQ(balances.at("treasury"), -100'000'000);
    EXPECT_EQ(balances.at("allocation:1"), 90'000'000);
    EXPECT_EQ(balances.at("project:10:1"), 6'500'000);
    EXPECT_EQ(balances.at("deposit:10:1"), 500'000);
    EXPECT_EQ(balances.at("payee:100"), 3'000'000);
    ExpectBalancesEqualRecount();

    // The next batch sees the derived amounts: 40% of 100,000.00 at start, 30,000.00 already paid.
    const auto over = Post({E(FundEntryKind::kDisburse, 1, 1'000'001, 10, 100)});
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error().code, "fund.stage_beyond_acceptance");
    EXPECT_TRUE(Post({E(FundEntryKind::kDisburse, 1, 1'000'000, 10, 100)}));
    ExpectBalancesEqualRecount();
}

TEST_F(FundStoreTest, ARefusedEntryRefusesTheBatchAndWritesNothing) {
    ASSERT_TRUE(Post({E(FundEntryKind::kReceive, 1, 100'000'000)}));
    const int64_t seq = store_->LastChangeSeq().value();
    const auto before = store_->FundBalances().value();
    const auto r = Post({E(FundEntryKind::kBudget, 1, 1'000'000, 10), E(FundEntryKind::kBudget, 1, 1'000, 11)});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "fund.negative_list");
    EXPECT_EQ(r.error().row, 2);
    EXPECT_EQ(store_->FundBalances().value(), before);
    EXPECT_EQ(store_->LastChangeSeq().value(), seq);
    EXPECT_EQ(store_->ListFundEntries({}).value().size(), 1u);
    EXPECT_EQ(store_->FindFundProject(10).value()->approved, 10'000'000);
}

TEST_F(FundStoreTest, EveryEntryIsInTheChangeLog) {
    const int64_t seq = store_->LastChangeSeq().value();
    const auto posted = Post({E(FundEntryKind::kReceive, 2, 1'000), E(FundEntryKind::kInterest, 2, 7)});
    ASSERT_TRUE(posted);
    // One hash-chained row for the batch, naming its entries' ids and carrying each entry.
    EXPECT_EQ(store_->LastChangeSeq().value(), seq + 1);
    ChangeLogFilter f;
    f.entity = "fund_entries";
    const auto log = store_->ChangeLog(f);
    ASSERT_TRUE(log) << log.error().ToString();
    ASSERT_EQ(log->size(), 1u);
    EXPECT_EQ(log->back().entity_key,
              std::to_string((*posted)[0].id) + "-" + std::to_string((*posted)[1].id));
    EXPECT_NE(log->back().after_json.find("\"kind\":\"receive\""), std::string::npos);
    EXPECT_NE(log->back().after_json.find("\"kind\":\"interest\""), std::string::npos);
    EXPECT_NE(log->back().after_json.find("\"amount_fen\":7"), std::string::npos);
    const auto audit = store_->VerifyChangeLog();
    ASSERT_TRUE(audit);
    EXPECT_TRUE(audit->intact());
}

// The state kept between batches (sqlite_funds.cc FundCache) must never let a batch pass on stale
// figures: after a rolled-back batch, after this connection changed a project, and after another
// connection posted, the rules see what is stored.
TEST_F(FundStoreTest, KeptStateFollowsRollbackOwnWritesAndOtherConnections) {
    auto put_state = [&](ProjectState state) {
        ASSERT_TRUE(store_->Begin());
        ASSERT_TRUE(store_->PutFundProject({10, "村道硬化", "540425100201", "roads", 10'000'000, std::nullopt, state},
                                           kChange));
        ASSERT_TRUE(store_->Commit());
    };
    // Started: 40% of the 10,000,000 fen budgeted may be paid.
    ASSERT_TRUE(Post({E(FundEntryKind::kReceive, 1, 20'000'000), E(FundEntryKind::kBudget, 1, 10'000'000, 10)}));
    ASSERT_TRUE(Post({E(FundEntryKind::kDisburse, 1, 1'000'000, 10, 100)}));
    // A batch posted then rolled back leaves nothing behind: were its 2,000,000 still counted, the
    // next 2,000,000 would pass the 4,000,000 cap.
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->PostFundEntries({E(FundEntryKind::kDisburse, 1, 2'000'000, 10, 100)}, kSettings, kChange));
    store_->Rollback();
    ASSERT_TRUE(Post({E(FundEntryKind::kDisburse, 1, 2'000'000, 10, 100)}));
    // This connection sets the project back to approved (no payment yet allowed): kept as started,
    // the next fen would pass.
    put_state(ProjectState::kApproved);
    auto refused = Post({E(FundEntryKind::kDisburse, 1, 1, 10, 100)});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "fund.stage_beyond_acceptance");
    put_state(ProjectState::kAccepted);
    ASSERT_TRUE(Post({E(FundEntryKind::kDisburse, 1, 1'000'000, 10, 100)}));  // 4,000,000 paid
    // Another connection pays 5,000,000 of the 6,000,000 budgeted and unpaid; kept without it, the
    // next 1,000,001 would pass.
    {
        auto other = OpenSqliteStore(path_, OpenMode::kExisting);
        ASSERT_TRUE(other) << other.error().ToString();
        ASSERT_TRUE((*other)->Begin());
        ASSERT_TRUE((*other)->PostFundEntries({E(FundEntryKind::kDisburse, 1, 5'000'000, 10, 100)}, kSettings, kChange));
        ASSERT_TRUE((*other)->Commit());
    }
    refused = Post({E(FundEntryKind::kDisburse, 1, 1'000'000 + 1, 10, 100)});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "fund.over_project_amount");
    ASSERT_TRUE(Post({E(FundEntryKind::kDisburse, 1, 1'000'000, 10, 100)}));
    EXPECT_EQ(store_->FundBalances().value().at("payee:100"), 10'000'000);
    ExpectBalancesEqualRecount();
}

TEST_F(FundStoreTest, ReversalAcrossBatchesRestoresBalancesOnlyOnce) {
    ASSERT_TRUE(Post({E(FundEntryKind::kReceive, 1, 100'000'000), E(FundEntryKind::kBudget, 1, 10'000'000, 10)}));
    const auto before = store_->FundBalances().value();
    const auto paid = Post({E(FundEntryKind::kDisburse, 1, 2'000'000, 10, 100)});
    ASSERT_TRUE(paid);
    const int64_t id = (*paid)[0].id;
    ASSERT_TRUE(Post({Reversal(id)}));
    const auto after = store_->FundBalances().value();
    for (const auto& [account, balance] : after) {
        auto it = before.find(account);
        EXPECT_EQ(balance, it == before.end() ? 0 : it->second) << account;
    }
    EXPECT_EQ(store_->FindFundProject(10).value().has_value(), true);
    const auto again = Post({Reversal(id)});
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, "fund.reversal_invalid");
    // Paid money is back: the full 40% may be paid again.
    EXPECT_TRUE(Post({E(FundEntryKind::kDisburse, 1, 4'000'000, 10, 100)}));
    ExpectBalancesEqualRecount();
}

TEST_F(FundStoreTest, ReversalInsideTheBatchByPosition) {
    ASSERT_TRUE(Post({E(FundEntryKind::kReceive, 2, 5'000), Reversal(-1)}));
    const auto balances = store_->FundBalances().value();
    EXPECT_EQ(balances.contains("allocation:2") ? balances.at("allocation:2") : 0, 0);
    EXPECT_EQ(store_->ListFundEntries({}).value().size(), 2u);
    const auto r = Post({E(FundEntryKind::kReceive, 2, 5'000), Reversal(-2)});  // not an earlier entry
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "fund.reversal_invalid");
}

TEST_F(FundStoreTest, ListFiltersByAccountKindAndDate) {
    auto late = E(FundEntryKind::kInterest, 2, 9);
    late.date = Date{2019, 1, 1};
    ASSERT_TRUE(Post({E(FundEntryKind::kReceive, 1, 1'000), E(FundEntryKind::kReceive, 2, 2'000), late}));
    FundEntryFilter by_account;
    by_account.account = "allocation:2";
    EXPECT_EQ(store_->ListFundEntries(by_account).value().size(), 2u);
    FundEntryFilter by_kind;
    by_kind.kind = FundEntryKind::kReceive;
    EXPECT_EQ(store_->ListFundEntries(by_kind).value().size(), 2u);
    FundEntryFilter by_date;
    by_date.from = Date{2018, 12, 31};
    const auto dated = store_->ListFundEntries(by_date).value();
    ASSERT_EQ(dated.size(), 1u);
    EXPECT_EQ(dated[0].entry.kind, FundEntryKind::kInterest);
    EXPECT_EQ(dated[0].entry.from_account, "interest");
    EXPECT_EQ(dated[0].actor, "tester");
}

TEST_F(FundStoreTest, StoredSourcesExtendThePlans) {
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->PutFundSource({"lottery", "彩票公益金", true}, kChange));
    ASSERT_TRUE(store_->PutAllocation({3, "lottery", "x", 2018, 1'000'000, {}}, kChange));
    ASSERT_TRUE(store_->Commit());
    ASSERT_TRUE(Post({E(FundEntryKind::kReceive, 3, 1'000)}));
    const auto r = Post({E(FundEntryKind::kBudget, 3, 1'000, 11)});  // lottery is special poverty funds
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "fund.negative_list");
}

TEST_F(FundStoreTest, PostNeedsATransaction) {
    EXPECT_EQ(CodeOf(store_->PostFundEntries({E(FundEntryKind::kReceive, 1, 1)}, kSettings, kChange)),
              "store.no_transaction");
}

}  // namespace
// audit verify's replay of the fund tables: each entry against its batch's logged element, the
// reference rows against their last logged state, the kept balances against the entries.
std::string MakeFundsDatabase() {
    const std::string path = TempPath("funds-audit.db");
    auto store = OpenSqliteStore(path, OpenMode::kCreate).value();
    EXPECT_TRUE(store->Begin());
    EXPECT_TRUE(store->SaveOrgUnits(SmallTree(), kChange));
    EXPECT_TRUE(store->PutFundSource({"county_fund", "县级配套 {统筹}", false}, kChange));
    EXPECT_TRUE(store->PutAllocation({1, "poverty_development", "藏财农〔2018〕1号", 2018, 100'000'000, {"roads"}}, kChange));
    EXPECT_TRUE(store->PutFundProject({10, "村道硬化", "540425100201", "roads", 10'000'000, std::nullopt, ProjectState::kStarted}, kChange));
    EXPECT_TRUE(store->PutPayee({100, PayeeKind::kContractor, "察隅建筑公司"}, kChange));
    FundEntry receive{.date = Date{2018, 3, 1}, .kind = FundEntryKind::kReceive, .allocation = 1, .amount = 50'000'000,
                      .refs = "文号 {\"a\"}"};
    FundEntry budget{.date = Date{2018, 3, 2}, .kind = FundEntryKind::kBudget, .allocation = 1, .project = 10,
                     .amount = 10'000'000};
    FundEntry pay{.date = Date{2018, 3, 3}, .kind = FundEntryKind::kDisburse, .allocation = 1, .project = 10, .payee = 100,
                  .amount = 4'000'000, .stage = "start"};
    EXPECT_TRUE(store->PostFundEntries({receive, budget}, kSettings, kChange));
    EXPECT_TRUE(store->PostFundEntries({pay}, kSettings, kChange));
    EXPECT_TRUE(store->Commit());
    return path;
}

TEST(SqliteFundsAudit, CleanFundsVerify) {
    const std::string path = MakeFundsDatabase();
    EXPECT_EQ(AuditMismatches(path), std::vector<std::string>{});
    auto store = OpenSqliteStore(path, OpenMode::kExisting).value();
    EXPECT_EQ(store->VerifyChangeLog().value().rows, 7);  // a source, an allocation, a project, a payee, three entries
    store.reset();
    std::filesystem::remove(path);
}

TEST(SqliteFundsAudit, TamperedFundRowsAreNamed) {
    using V = std::vector<std::string>;
    {
        const std::string path = MakeFundsDatabase();
        ExecOn(path, "UPDATE fund_entry SET amount_fen = 400000 WHERE id = 3");
        EXPECT_EQ(AuditMismatches(path), (V{"audit.row_mismatch fund_entry 3 amount_fen",
                                           "audit.row_derived fund_balance payee:100 balance_fen",
                                           "audit.row_derived fund_balance project:10:1 balance_fen"}));
    }
    {
        const std::string path = MakeFundsDatabase();
        ExecOn(path, "DELETE FROM fund_entry WHERE id = 1");
        const V got = AuditMismatches(path);
        EXPECT_NE(std::ranges::find(got, "audit.row_missing fund_entry 1"), got.end()) << ::testing::PrintToString(got);
    }
    {
        const std::string path = MakeFundsDatabase();
        ExecOn(path, "UPDATE fund_balance SET balance_fen = balance_fen + 1 WHERE account = 'allocation:1'");
        EXPECT_EQ(AuditMismatches(path), (V{"audit.row_derived fund_balance allocation:1 balance_fen"}));
    }
    {
        const std::string path = MakeFundsDatabase();
        ExecOn(path, "UPDATE allocation SET amount_fen = 900000000 WHERE id = 1");
        ExecOn(path, "UPDATE payee SET name = '别人' WHERE id = 100");
        EXPECT_EQ(AuditMismatches(path), (V{"audit.row_mismatch allocation 1 amount_fen",
                                           "audit.row_mismatch payee 100 name"}));
    }
    {
        const std::string path = MakeFundsDatabase();
        ExecOn(path, "INSERT INTO fund_entry (id, entry_date, kind, from_account, to_account, amount_fen, allocation_id,"
                     " project_id, payee_id, to_allocation, stage, refs, decision_id, reverses, actor, at)"
                     " VALUES (4, 20180304, 'disburse', 'project:10:1', 'payee:100', 1, 1, 10, 100, 0, '', '', '',"
                     " NULL, 'x', 'x')");
        const V got = AuditMismatches(path);
        EXPECT_NE(std::ranges::find(got, "audit.row_unlogged fund_entry 4"), got.end()) << ::testing::PrintToString(got);
    }
}

}  // namespace jz::store_test
