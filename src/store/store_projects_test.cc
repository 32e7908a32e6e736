// The project library in the store (migration 008, sqlite_projects.cc): insert with a unique code,
// versioned updates with steps, sources and beneficiaries, filters, entries listed by reference with
// the reversing entry, refused postings, and every change in the change log.
#include <gtest/gtest.h>

#include "store/store_test_fixture.h"

namespace jz::store_test {
namespace {

class ProjectStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        path_ = TempPath("projects.db");
        auto opened = OpenSqliteStore(path_, OpenMode::kCreate);
        ASSERT_TRUE(opened) << opened.error().ToString();
        store_ = std::move(*opened);
        ASSERT_TRUE(store_->Begin());
        ASSERT_TRUE(store_->SaveOrgUnits(SmallTree(), kChange));
        ASSERT_TRUE(store_->Commit());
    }
    void TearDown() override {
        store_.reset();
        std::filesystem::remove(path_);
    }
    static LibraryProject Sample(std::string code) {
        LibraryProject p;
        p.code = std::move(code);
        p.name = "牦牛养殖";
        p.division_code = "540425100201";
        p.task = "棚圈10座";
        p.use = "industry";
        p.sources = {{"poverty_development", 60'000'00}, {"social", 40'000'00}};
        p.approved = 100'000'00;
        p.period_start = Date{2017, 4, 1};
        p.period_end = Date{2017, 10, 31};
        p.beneficiaries = {{"540425100201000001", "入股"}, {"540425100201000002", "务工"}};
        p.state = "applied";
        p.steps = {ProjectStep{.step = "apply", .date = Date{2017, 3, 1}, .actor = "a", .at = "t",
                               .outcome = "passed", .to_state = "applied"}};
        return p;
    }
    Result<LibraryProject> Insert(const LibraryProject& p) {
        if (auto r = store_->Begin(); !r) return std::unexpected(r.error());
        auto r = store_->InsertLibraryProject(p, kChange);
        if (r)
            (void)store_->Commit();
        else
            store_->Rollback();
        return r;
    }
    std::string path_;
    std::unique_ptr<Store> store_;
};

TEST_F(ProjectStoreTest, SchemaHasMigration008) { EXPECT_GE(store_->schema_version(), 8); }

TEST_F(ProjectStoreTest, InsertFindRoundTrip) {
    auto p = Insert(Sample("FP2017-03"));
    ASSERT_TRUE(p) << p.error().ToString();
    EXPECT_GT(p->id, 0);
    EXPECT_EQ(p->version, 1);
    auto found = store_->FindLibraryProject(p->id);
    ASSERT_TRUE(found && *found);
    EXPECT_EQ(**found, *p);
    auto by_code = store_->FindLibraryProjectByCode("FP2017-03");
    ASSERT_TRUE(by_code && *by_code);
    EXPECT_EQ((*by_code)->id, p->id);
    auto none = store_->FindLibraryProjectByCode("nope");
    ASSERT_TRUE(none);
    EXPECT_FALSE(*none);
}

TEST_F(ProjectStoreTest, CodeIsUnique) {
    ASSERT_TRUE(Insert(Sample("FP2017-03")));
    auto again = Insert(Sample("FP2017-03"));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, "store.duplicate");
    EXPECT_EQ(again.error().field, "code");
    auto n = store_->CountLibraryProjects({});
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 1);
}

TEST_F(ProjectStoreTest, IdsStayAboveMoneyViews) {
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->PutFundProject({40, "旧项目", "540425100201", "roads", 100, std::nullopt, ProjectState::kStarted}, kChange));
    ASSERT_TRUE(store_->Commit());
    auto p = Insert(Sample("FP2017-04"));
    ASSERT_TRUE(p);
    EXPECT_EQ(p->id, 41);
}

TEST_F(ProjectStoreTest, UpdateIsVersionedAndLogged) {
    auto p = Insert(Sample("FP2017-03"));
    ASSERT_TRUE(p);
    LibraryProject next = *p;
    next.state = "reviewed";
    next.notice_posted_on = Date{2017, 3, 2};
    next.notice_until = Date{2017, 3, 12};
    next.steps.push_back(ProjectStep{.step = "review", .date = Date{2017, 3, 12}, .actor = "x", .at = "t2",
                                     .outcome = "passed", .from_state = "applied", .to_state = "reviewed"});
    next.beneficiaries.pop_back();
    ASSERT_TRUE(store_->Begin());
    auto updated = store_->UpdateLibraryProject(*p, next, kChange);
    ASSERT_TRUE(updated) << updated.error().ToString();
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(updated->version, 2);
    auto found = store_->FindLibraryProject(p->id);
    ASSERT_TRUE(found && *found);
    EXPECT_EQ(**found, *updated);
    EXPECT_EQ((*found)->steps.size(), 2u);
    EXPECT_EQ((*found)->beneficiaries.size(), 1u);
    // A stale version is refused and changes nothing.
    ASSERT_TRUE(store_->Begin());
    auto stale = store_->UpdateLibraryProject(*p, next, kChange);
    store_->Rollback();
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().code, "store.conflict");
    ChangeLogFilter f;
    f.entity = "project";
    auto log = store_->ChangeLog(f);
    ASSERT_TRUE(log);
    ASSERT_EQ(log->size(), 2u);
    EXPECT_EQ((*log)[0].action, "insert");
    EXPECT_EQ((*log)[1].action, "update");
    EXPECT_NE((*log)[1].after_json.find("\"reviewed\""), std::string::npos);
    auto verified = store_->VerifyChangeLog();
    ASSERT_TRUE(verified);
}

TEST_F(ProjectStoreTest, ListFilters) {
    ASSERT_TRUE(Insert(Sample("FP2017-03")));
    LibraryProject other = Sample("FP2017-05");
    other.division_code = "540425101";
    other.name = "道路";
    other.state = "approved";
    ASSERT_TRUE(Insert(other));
    auto all = store_->ListLibraryProjects({});
    ASSERT_TRUE(all);
    EXPECT_EQ(all->size(), 2u);
    LibraryProjectFilter f;
    f.division_prefix = "540425100";
    auto township = store_->ListLibraryProjects(f);
    ASSERT_TRUE(township);
    ASSERT_EQ(township->size(), 1u);
    EXPECT_EQ((*township)[0].code, "FP2017-03");
    f = {};
    f.state = "approved";
    EXPECT_EQ(store_->CountLibraryProjects(f).value(), 1);
    f = {};
    f.q = "道路";
    EXPECT_EQ(store_->CountLibraryProjects(f).value(), 1);
    f.q = "FP2017";
    EXPECT_EQ(store_->CountLibraryProjects(f).value(), 2);
    f.limit = 1;
    f.offset = 1;
    auto page = store_->ListLibraryProjects(f);
    ASSERT_TRUE(page);
    ASSERT_EQ(page->size(), 1u);
    EXPECT_EQ((*page)[0].code, "FP2017-05");
}

TEST_F(ProjectStoreTest, EntriesByReferenceWithReversal) {
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->PutAllocation({1, "poverty_development", "doc", 2017, 100'000'00, {}}, kChange));
    ASSERT_TRUE(store_->PutFundProject({10, "p", "540425100201", "industry", 50'000'00, std::nullopt, ProjectState::kStarted}, kChange));
    ASSERT_TRUE(store_->PutPayee({5, PayeeKind::kContractor, "公司"}, kChange));
    FundEntry receive{.date = Date{2017, 3, 1}, .kind = FundEntryKind::kReceive, .allocation = 1, .amount = 100'000'00};
    FundEntry budget{.date = Date{2017, 3, 2}, .kind = FundEntryKind::kBudget, .allocation = 1, .project = 10, .amount = 50'000'00};
    FundEntry pay{.date = Date{2017, 4, 2}, .kind = FundEntryKind::kDisburse, .allocation = 1, .project = 10, .payee = 5,
                  .amount = 10'000'00, .stage = "start", .refs = "r"};
    FundEntry undo{.date = Date{2017, 4, 3}, .kind = FundEntryKind::kReversal, .reverses = -3};
    auto posted = store_->PostFundEntries({receive, budget, pay, undo}, PlanFunds{}, kChange);
    ASSERT_TRUE(posted) << posted.error().ToString();
    ASSERT_TRUE(store_->Commit());
    FundEntryQuery q;
    q.project = 10;
    auto listed = store_->ListFundEntriesBy(q);
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed->size(), 3u);  // budget, disburse, and the reversal (it carries the project)
    EXPECT_EQ((*listed)[1].stored.entry.kind, FundEntryKind::kDisburse);
    EXPECT_EQ((*listed)[1].reversed_by, (*listed)[2].stored.entry.id);
    EXPECT_EQ(store_->CountFundEntriesBy(q).value(), 3);
    q = {};
    q.kind = FundEntryKind::kReceive;
    EXPECT_EQ(store_->CountFundEntriesBy(q).value(), 1);
    q = {};
    q.from = Date{2017, 4, 1};
    EXPECT_EQ(store_->CountFundEntriesBy(q).value(), 2);
    q = {};
    q.limit = 1;
    q.offset = 3;
    auto page = store_->ListFundEntriesBy(q);
    ASSERT_TRUE(page);
    ASSERT_EQ(page->size(), 1u);
    EXPECT_EQ((*page)[0].stored.entry.kind, FundEntryKind::kReversal);
    auto payees = store_->ListPayees();
    ASSERT_TRUE(payees);
    ASSERT_EQ(payees->size(), 1u);
    EXPECT_EQ((*payees)[0].name, "公司");
    auto projects = store_->ListFundProjects();
    ASSERT_TRUE(projects);
    ASSERT_EQ(projects->size(), 1u);
    EXPECT_EQ((*projects)[0].second.budgeted, 50'000'00);
    EXPECT_EQ((*projects)[0].second.paid, 0);
}

TEST_F(ProjectStoreTest, RefusalsAreKeptAndLogged) {
    ASSERT_TRUE(store_->Begin());
    FundRefusal r{.refused_on = Date{2017, 5, 1}, .rule = "fund.over_allocation", .field = "entries[0].amount",
                  .message_zh = "超", .message_en = "over", .entry_json = "{\"amount\":\"1.00\"}"};
    auto id = store_->InsertFundRefusal(r, kChange);
    ASSERT_TRUE(id);
    ASSERT_TRUE(store_->Commit());
    auto list = store_->ListFundRefusals();
    ASSERT_TRUE(list);
    ASSERT_EQ(list->size(), 1u);
    EXPECT_EQ((*list)[0].rule, "fund.over_allocation");
    EXPECT_EQ((*list)[0].actor, kChange.actor);
    EXPECT_EQ((*list)[0].refused_on, (Date{2017, 5, 1}));
    EXPECT_EQ(store_->ListFundSources().value().size(), 0u);
}

}  // namespace
}  // namespace jz::store_test
