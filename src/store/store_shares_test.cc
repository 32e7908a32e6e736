// Asset-income shares in the store (migration 009, sqlite_shares.cc): assets, holdings set with
// their moves, certificates revoked and reissued, dividend declarations with their lines, the
// disposal, and the change log of each.
#include <gtest/gtest.h>

#include "store/store_test_fixture.h"

namespace jz::store_test {
namespace {

Asset MakeAsset(const std::string& id) {
    Asset a;
    a.id = id;
    a.project_id = "FP2018-03";
    a.kind = AssetKind::kPhotovoltaic;
    a.value = 100'000'000;
    a.owner_name = "知美村集体";
    a.division_code = "540425100201";
    a.total_shares = 100;
    a.cap_per_share = 50'000;
    return a;
}

class ShareStoreTest : public ::testing::Test {
  protected:
    void SetUp() override {
        path_ = TempPath("shares.db");
        auto opened = OpenSqliteStore(path_, OpenMode::kCreate);
        ASSERT_TRUE(opened) << opened.error().ToString();
        store_ = std::move(*opened);
        ASSERT_TRUE(store_->Begin());
        ASSERT_TRUE(store_->SaveOrgUnits(SmallTree(), kChange));
        ASSERT_TRUE(store_->InsertAsset(MakeAsset("A-001"), kChange));
        ASSERT_TRUE(store_->Commit());
    }
    void TearDown() override {
        store_.reset();
        std::filesystem::remove(path_);
    }
    template <class F>
    Result<void> InTx(F f) {
        if (auto r = store_->Begin(); !r) return r;
        Result<void> r = f();
        if (r) return store_->Commit();
        store_->Rollback();
        return r;
    }
    int64_t Logged(const std::string& entity) {
        ChangeLogFilter f;
        f.entity = entity;
        auto log = store_->ChangeLog(f);
        EXPECT_TRUE(log);
        return log ? static_cast<int64_t>(log->size()) : -1;
    }
    std::string path_;
    std::unique_ptr<Store> store_;
};

TEST_F(ShareStoreTest, AssetRoundTripsAndIsLogged) {
    auto found = store_->FindAsset("A-001");
    ASSERT_TRUE(found && *found);
    EXPECT_EQ((*found)->project_id, "FP2018-03");
    EXPECT_EQ((*found)->kind, AssetKind::kPhotovoltaic);
    EXPECT_EQ((*found)->cap_per_share, std::optional<Fen>(50'000));
    EXPECT_EQ((*found)->total_shares, 100);
    EXPECT_FALSE((*found)->disposed);
    EXPECT_EQ(Logged("asset"), 1);
    EXPECT_EQ(CodeOf(InTx([&] { return store_->InsertAsset(MakeAsset("A-001"), kChange); })), "store.duplicate");
    Asset changed = MakeAsset("A-001");
    changed.disposed = true;
    changed.cap_per_share.reset();
    ASSERT_TRUE(InTx([&] { return store_->UpdateAsset(changed, kChange); }));
    found = store_->FindAsset("A-001");
    EXPECT_TRUE((*found)->disposed);
    EXPECT_FALSE((*found)->cap_per_share);
    EXPECT_EQ(Logged("asset"), 2);
    EXPECT_EQ(CodeOf(InTx([&] { return store_->UpdateAsset(MakeAsset("A-404"), kChange); })), "store.not_found");
}

TEST_F(ShareStoreTest, ListsAssetsByVillagePrefix) {
    Asset other = MakeAsset("A-002");
    other.division_code = "540425100200";
    ASSERT_TRUE(InTx([&] { return store_->InsertAsset(other, kChange); }));
    EXPECT_EQ(store_->ListAssets("")->size(), 2u);
    EXPECT_EQ(store_->ListAssets("540425100")->size(), 2u);
    auto one = store_->ListAssets("540425100200");
    ASSERT_TRUE(one);
    ASSERT_EQ(one->size(), 1u);
    EXPECT_EQ(one->front().id, "A-002");
    EXPECT_TRUE(store_->ListAssets("540425200")->empty());
}

TEST_F(ShareStoreTest, SetHoldingsMovesAndReissuesCertificates) {
    ASSERT_TRUE(InTx([&] { return store_->SetHoldings("A-001", {{"H1", 50}, {"H2", 50}}, {}, Date{2018, 5, 1}, kChange); }));
    auto certs = store_->ListCertificates("A-001", false);
    ASSERT_TRUE(certs);
    ASSERT_EQ(certs->size(), 2u);
    EXPECT_EQ((*certs)[0].number, "A-001-1");
    EXPECT_EQ((*certs)[0].holder, "H1");
    EXPECT_EQ((*certs)[1].shares, 50);
    EXPECT_TRUE(store_->ListShareMoves("A-001")->empty());

    const std::vector<ShareMove> moves{{"H1", "H3", 50, "exited", 2019}};
    ASSERT_TRUE(InTx([&] { return store_->SetHoldings("A-001", {{"H2", 50}, {"H3", 50}}, moves, Date{2019, 12, 20}, kChange); }));
    EXPECT_EQ(*store_->AssetHoldings("A-001"), (Holdings{{"H2", 50}, {"H3", 50}}));
    EXPECT_EQ(store_->HoldingsOf("H3")->at("A-001"), 50);
    EXPECT_TRUE(store_->HoldingsOf("H1")->empty());
    auto all = store_->ListCertificates("A-001", true);
    ASSERT_EQ(all->size(), 3u);
    EXPECT_EQ((*all)[0].revoked_on, std::optional<Date>(Date{2019, 12, 20}));  // H1's
    EXPECT_FALSE((*all)[1].revoked_on);                                       // H2's untouched
    EXPECT_EQ((*all)[2].number, "A-001-3");
    EXPECT_EQ((*all)[2].holder, "H3");
    auto listed = store_->ListShareMoves("A-001");
    ASSERT_EQ(listed->size(), 1u);
    EXPECT_EQ((*listed)[0].move.reason, "exited");
    EXPECT_EQ((*listed)[0].date, (Date{2019, 12, 20}));
    EXPECT_EQ(Logged("share_move"), 1);
    EXPECT_EQ(Logged("share_certificate"), 4);  // 2 issued, 1 revoked, 1 issued
    EXPECT_EQ(Logged("share_holding"), 4);
}

TEST_F(ShareStoreTest, RefusedWriteLeavesNothing) {
    ASSERT_TRUE(InTx([&] { return store_->SetHoldings("A-001", {{"H1", 100}}, {}, Date{2018, 5, 1}, kChange); }));
    EXPECT_EQ(CodeOf(InTx([&] { return store_->SetHoldings("A-404", {{"H1", 100}}, {}, Date{2018, 5, 1}, kChange); })),
              "store.not_found");
    EXPECT_EQ(CodeOf(InTx([&] { return store_->SetHoldings("A-001", {{"H1", 100}, {"H2", -1}}, {}, Date{2018, 5, 1}, kChange); })),
              "shares.holdings_total");
    EXPECT_EQ(*store_->AssetHoldings("A-001"), (Holdings{{"H1", 100}}));
    EXPECT_EQ(store_->ListCertificates("A-001", true)->size(), 1u);
    EXPECT_EQ(CodeOf(store_->SetHoldings("A-001", {}, {}, Date{2018, 5, 1}, kChange)), "store.no_transaction");
}

TEST_F(ShareStoreTest, DividendsWithLinesAndHolderView) {
    StoredDividend s;
    s.declaration.asset_id = "A-001";
    s.declaration.year = 2019;
    s.declaration.income = 10'000'000;
    s.declaration.poor_part = 5'500'000;
    s.declaration.village_part = 3'000'000;
    s.declaration.cooperative_part = 1'500'000;
    s.declaration.floor = 6'000'000;
    s.declaration.operator_shortfall = 500'000;
    s.declaration.distributed = 6'000'000;
    s.declaration.lines = {{"H1", 60, 3'600'000, true}, {"village:540425100201", 40, 2'400'000, false}};
    s.declared_on = Date{2020, 1, 10};
    s.item_codes = {"H1-001", ""};
    ASSERT_TRUE(InTx([&] { return store_->InsertDividend(s, kChange); }));
    EXPECT_EQ(CodeOf(InTx([&] { return store_->InsertDividend(s, kChange); })), "store.duplicate");
    auto listed = store_->ListDividends("A-001");
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed->size(), 1u);
    const StoredDividend& d = listed->front();
    EXPECT_EQ(d.declaration.operator_shortfall, 500'000);
    EXPECT_EQ(d.declared_on, (Date{2020, 1, 10}));
    ASSERT_EQ(d.declaration.lines.size(), 2u);
    EXPECT_EQ(d.declaration.lines[0].holder, "H1");
    EXPECT_EQ(d.declaration.lines[0].category, codes::kCategoryCooperative);
    EXPECT_FALSE(d.declaration.lines[1].household);
    EXPECT_EQ(d.item_codes, (std::vector<std::string>{"H1-001", ""}));
    auto mine = store_->DividendsOf("H1");
    ASSERT_EQ(mine->size(), 1u);
    EXPECT_EQ((*mine)[0].fen, 3'600'000);
    EXPECT_EQ((*mine)[0].item_code, "H1-001");
    EXPECT_EQ(Logged("dividend"), 1);
}

TEST_F(ShareStoreTest, DisposalOnceAndLogged) {
    AssetDisposal d{"A-001", Date{2022, 3, 1}, 40, 5, Date{2022, 3, 10}, Date{2022, 3, 20}, Date{2022, 3, 21}, "损毁"};
    ASSERT_TRUE(InTx([&] { return store_->InsertAssetDisposal(d, kChange); }));
    auto found = store_->FindAssetDisposal("A-001");
    ASSERT_TRUE(found && *found);
    EXPECT_EQ(**found, d);
    EXPECT_EQ(CodeOf(InTx([&] { return store_->InsertAssetDisposal(d, kChange); })), "store.duplicate");
    EXPECT_FALSE(*store_->FindAssetDisposal("A-002"));
    EXPECT_EQ(Logged("asset_disposal"), 1);
}

TEST_F(ShareStoreTest, ChainStaysSound) {
    ASSERT_TRUE(InTx([&] { return store_->SetHoldings("A-001", {{"H1", 100}}, {}, Date{2018, 5, 1}, kChange); }));
    auto v = store_->VerifyChangeLog();
    ASSERT_TRUE(v);
    EXPECT_TRUE(v->intact());
    EXPECT_EQ(v->mismatch_count, 0);
}

}  // namespace
}  // namespace jz::store_test
