// The Store contract, run against every adapter (SQLite today; PostgreSQL joins the list).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>

#include "core/codes.h"
#include "core/id_number.h"
#include "store/sqlite_store.h"

namespace jz {
namespace {

namespace fs = std::filesystem;

std::string TempPath(const std::string& name) {
    static int counter = 0;
    return (fs::temp_directory_path() /
            ("jz-store-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + name))
        .string();
}

OrgTree SmallTree() {
    OrgTree t;
    t.Add({"540425", "", OrgLevel::kCounty, {{2020, "察隅县"}}});
    t.Add({"540425100", "540425", OrgLevel::kTownship, {{2020, "竹瓦根镇"}}});
    t.Add({"540425100201", "540425100", OrgLevel::kVillage, {{2020, "知美村委会"}, {2021, "知美村委会"}}});
    t.Add({"540425100200", "540425100", OrgLevel::kVillage, {{2020, ""}, {2021, "扎嘎村"}}});
    return t;
}

Household MakeHousehold(const std::string& code, int seq) {
    Household h;
    h.household_code = code;
    h.division_code = "540425100201";
    h.attribute = codes::kAttributeOrdinary;
    h.main_cause = 7;
    h.other_causes = {9};
    h.identified_year = 2014;
    h.planned_exit_year = 2017;
    h.net_income_per_head = 250050;
    h.main_measure = 1;
    h.aux_measures = {3, 7};
    h.pairing_cadre = "张伟";
    h.safe_water = true;
    Person head;
    head.name = "扎西";
    head.id_number = MakeIdNumber("540425", {1970, 3, 5}, seq * 2 + 1);
    head.relation = codes::kRelationHead;
    head.sex = codes::kSexMale;
    head.birth_date = {1970, 3, 5};
    head.ethnicity = 4;
    Person spouse = head;
    spouse.name = "卓玛";
    spouse.id_number = MakeIdNumber("540425", {1972, 8, 11}, seq * 2 + 2);
    spouse.relation = codes::kRelationSpouse;
    spouse.sex = codes::kSexFemale;
    spouse.birth_date = {1972, 8, 11};
    spouse.months_worked = 3;
    h.members = {head, spouse};
    return h;
}

const ChangeContext kChange{"tester", "2026-11-29T00:00:00Z", std::nullopt};

using Factory = std::function<std::unique_ptr<Store>(const std::string& name)>;

struct Adapter {
    std::string name;
    Factory open;
};
void PrintTo(const Adapter& a, std::ostream* os) { *os << a.name; }

class StoreContract : public testing::TestWithParam<Adapter> {
  protected:
    void SetUp() override {
        store_ = GetParam().open(testing::UnitTest::GetInstance()->current_test_info()->name());
        ASSERT_TRUE(store_);
        ASSERT_TRUE(store_->Begin());
        ASSERT_TRUE(store_->SaveOrgUnits(SmallTree(), kChange));
        ASSERT_TRUE(store_->Commit());
    }
    std::unique_ptr<Store> store_;
};

TEST_P(StoreContract, OrgTreeRoundTrips) {
    auto tree = store_->LoadOrgTree();
    ASSERT_TRUE(tree);
    EXPECT_EQ(tree->root_code(), "540425");
    ASSERT_TRUE(tree->Find("540425100200"));
    EXPECT_FALSE(tree->Find("540425100200")->ValidIn(2020));
    EXPECT_TRUE(tree->Find("540425100200")->ValidIn(2021));
    EXPECT_EQ(tree->Children("540425100").size(), 2u);
}

TEST_P(StoreContract, InsertFindUpdateWithVersionsAndChangeLog) {
    const Household h = MakeHousehold("H1", 1);
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertHousehold(h, kChange));
    ASSERT_TRUE(store_->Commit());
    auto found = store_->FindHousehold("H1");
    ASSERT_TRUE(found && *found);
    EXPECT_EQ((*found)->household, h);
    EXPECT_EQ((*found)->version, 1);
    EXPECT_EQ(store_->FindHouseholdOfIdNumber(h.members[1].id_number).value(),
              std::optional<std::string>("H1"));
    EXPECT_EQ(store_->FindHouseholdOfIdNumber("540425197003059999").value(), std::nullopt);

    Household changed = h;
    changed.status = codes::kStatusExited;
    changed.exit_year = 2016;
    changed.members.pop_back();
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->UpdateHousehold(**found, changed, kChange));
    ASSERT_TRUE(store_->Commit());
    auto after = store_->FindHousehold("H1").value();
    EXPECT_EQ(after->household, changed);
    EXPECT_EQ(after->version, 2);
    EXPECT_EQ(store_->CountPersons().value(), 1);

    // A writer holding the old version loses, and changes nothing.
    ASSERT_TRUE(store_->Begin());
    auto stale = store_->UpdateHousehold(**found, h, kChange);
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().code, "store.conflict");
    store_->Rollback();
    EXPECT_EQ(store_->FindHousehold("H1").value()->household, changed);

    auto log = store_->ChangeLog({.entity_key = "H1"}).value();
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0].action, "insert");
    EXPECT_TRUE(log[0].before_json.empty());
    EXPECT_EQ(log[1].action, "update");
    EXPECT_EQ(log[1].actor, "tester");
    EXPECT_NE(log[1].before_json, log[1].after_json);
    EXPECT_LT(log[0].seq, log[1].seq);
}

TEST_P(StoreContract, DuplicateCodeIsRefused) {
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertHousehold(MakeHousehold("H1", 1), kChange));
    auto again = store_->InsertHousehold(MakeHousehold("H1", 2), kChange);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, "store.duplicate");
    store_->Rollback();
}

TEST_P(StoreContract, RollbackLeavesNothing) {
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertHousehold(MakeHousehold("H1", 1), kChange));
    store_->Rollback();
    EXPECT_EQ(store_->CountHouseholds().value(), 0);
    EXPECT_TRUE(store_->ChangeLog({}).value().size() == 1u);  // only the org-unit load
}

TEST_P(StoreContract, WritesOutsideATransactionAreRefused) {
    auto r = store_->InsertHousehold(MakeHousehold("H1", 1), kChange);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "store.no_transaction");
}

TEST_P(StoreContract, UnknownDivisionViolatesForeignKey) {
    Household h = MakeHousehold("H1", 1);
    h.division_code = "540425999999";
    ASSERT_TRUE(store_->Begin());
    auto r = store_->InsertHousehold(h, kChange);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "store.foreign_key");
    store_->Rollback();
}

TEST_P(StoreContract, ScanIsOrderedAndFiltered) {
    ASSERT_TRUE(store_->Begin());
    Household b = MakeHousehold("B", 1);
    Household a = MakeHousehold("A", 2);
    Household c = MakeHousehold("C", 3);
    c.division_code = "540425100200";
    for (const Household* h : {&b, &a, &c}) ASSERT_TRUE(store_->InsertHousehold(*h, kChange));
    ASSERT_TRUE(store_->Commit());
    std::vector<std::string> seen;
    ASSERT_TRUE(store_->ScanHouseholds({}, [&](const Household& h) {
        seen.push_back(h.household_code);
        return true;
    }));
    EXPECT_EQ(seen, (std::vector<std::string>{"C", "A", "B"}));  // by division, then code
    seen.clear();
    ASSERT_TRUE(store_->ScanHouseholds({"540425100201"}, [&](const Household& h) {
        seen.push_back(h.household_code);
        return true;
    }));
    EXPECT_EQ(seen, (std::vector<std::string>{"A", "B"}));
}

TEST_P(StoreContract, StorageOrderScanSeesTheSameHouseholds) {
    ASSERT_TRUE(store_->Begin());
    Household b = MakeHousehold("B", 1);
    Household a = MakeHousehold("A", 2);
    Household c = MakeHousehold("C", 3);
    c.division_code = "540425100200";
    std::swap(a.members[0], a.members[1]);  // members keep their stored order, whatever it is
    for (const Household* h : {&b, &a, &c}) ASSERT_TRUE(store_->InsertHousehold(*h, kChange));
    ASSERT_TRUE(store_->Commit());
    std::map<std::string, Household> seen;
    ASSERT_TRUE(store_->ScanHouseholds({.any_order = true}, [&](const Household& h) {
        seen[h.household_code] = h;
        return true;
    }));
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen["A"], a);
    EXPECT_EQ(seen["B"], b);
    EXPECT_EQ(seen["C"], c);
    seen.clear();
    ASSERT_TRUE(store_->ScanHouseholds(
        {.division_prefix = "540425100201", .facts_only = true, .any_order = true}, [&](const Household& h) {
            seen[h.household_code] = h;
            return true;
        }));
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_TRUE(seen["A"].members[0].name.empty()) << "facts_only leaves names out";
    EXPECT_EQ(seen["A"].members[0].birth_date, a.members[0].birth_date);
    EXPECT_EQ(seen["A"].members.size(), 2u);
}

TEST_P(StoreContract, FactsFollowEveryWrite) {
    Household h = MakeHousehold("F1", 1);
    h.members[0].labour = 1;
    h.members[1].labour = 2;
    h.members[1].health = 3;
    h.members[1].migrant_work = 4;
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertHousehold(h, kChange));
    ASSERT_TRUE(store_->Commit());
    std::vector<HouseholdFacts> seen;
    auto scan = [&] {
        seen.clear();
        ASSERT_TRUE(store_->ScanFacts({}, [&](const HouseholdFacts& f) {
            seen.push_back(f);
            return true;
        }));
    };
    scan();
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0], FactsOf(h));
    EXPECT_EQ(seen[0].able_birth_dates.size(), 2u);
    Household changed = h;
    changed.members.pop_back();
    auto before = store_->FindHousehold("F1").value();
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->UpdateHousehold(*before, changed, kChange));
    ASSERT_TRUE(store_->Commit());
    scan();
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0], FactsOf(changed));
    EXPECT_EQ(seen[0].persons, 1);
}

TEST_P(StoreContract, ParallelScanVisitsEveryHouseholdOnce) {
    ASSERT_TRUE(store_->Begin());
    for (int i = 0; i < 1500; ++i)
        ASSERT_TRUE(store_->InsertHousehold(MakeHousehold("P" + std::to_string(i), i), kChange));
    ASSERT_TRUE(store_->Commit());
    std::vector<std::vector<std::string>> seen(2);
    ASSERT_TRUE(store_->ScanHouseholdsParallel({}, 2, [&](int part, const Household& h) {
        EXPECT_EQ(h.members.size(), 2u);
        seen.at(static_cast<size_t>(part)).push_back(h.household_code);
        return true;
    }));
    std::vector<std::string> all = seen[0];
    all.insert(all.end(), seen[1].begin(), seen[1].end());
    std::ranges::sort(all);
    EXPECT_EQ(all.size(), 1500u);
    EXPECT_EQ(std::ranges::adjacent_find(all), all.end()) << "a household was visited twice";
    // Stopping in one part stops the scan.
    int visits = 0;
    std::mutex m;
    ASSERT_TRUE(store_->ScanHouseholdsParallel({}, 2, [&](int, const Household&) {
        std::lock_guard lock(m);
        return ++visits < 10;
    }));
    EXPECT_LT(visits, 1500);
}

TEST_P(StoreContract, ChangeLogChainIsIntactAcrossTransactions) {
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(store_->Begin());
        ASSERT_TRUE(store_->InsertHousehold(MakeHousehold("C" + std::to_string(i), i), kChange));
        ASSERT_TRUE(store_->Commit());
    }
    ASSERT_TRUE(store_->Begin());  // a rolled-back entry leaves no gap
    ASSERT_TRUE(store_->InsertHousehold(MakeHousehold("X", 9), kChange));
    store_->Rollback();
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertHousehold(MakeHousehold("C3", 3), kChange));
    ASSERT_TRUE(store_->Commit());
    auto v = store_->VerifyChangeLog();
    ASSERT_TRUE(v);
    EXPECT_EQ(v->entries, 5);  // the org units, then four households
    EXPECT_FALSE(v->first_bad.has_value());
    EXPECT_EQ(v->last_hash.size(), 64u);
}

TEST_P(StoreContract, SettingsAndPlan) {
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->PutSetting("k", "v1"));
    ASSERT_TRUE(store_->PutSetting("k", "v2"));
    ASSERT_TRUE(store_->SavePlan("p", "id = \"p\"", kChange));
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(store_->GetSetting("k").value(), std::optional<std::string>("v2"));
    EXPECT_EQ(store_->GetSetting("none").value(), std::nullopt);
    EXPECT_EQ(store_->LoadPlanText().value(), std::optional<std::string>("id = \"p\""));
}

// Any household the model can hold comes back from the store unchanged.
RC_GTEST_PROP(StoreProperty, HouseholdRoundTrip, ()) {
    static auto store = OpenSqliteStore(TempPath("prop.db"), OpenMode::kCreate).value();
    static bool initialised = [] {
        (void)store->Begin();
        (void)store->SaveOrgUnits(SmallTree(), kChange);
        (void)store->Commit();
        return true;
    }();
    (void)initialised;
    static int n = 0;
    Household h = MakeHousehold("P" + std::to_string(n++), n);
    h.net_income_per_head = *rc::gen::inRange<int64_t>(0, 100'000'000);
    h.other_causes = *rc::gen::container<std::vector<int>>(*rc::gen::inRange(0, 3), rc::gen::inRange(1, 12));
    h.aux_measures = *rc::gen::container<std::vector<int>>(*rc::gen::inRange(0, 4), rc::gen::inRange(1, 11));
    h.pairing_cadre = *rc::gen::string<std::string>();
    if (*rc::gen::arbitrary<bool>()) h.dangerous_housing = *rc::gen::arbitrary<bool>();
    if (*rc::gen::arbitrary<bool>()) h.housing_area = *rc::gen::inRange<int64_t>(0, 1'000'000);
    if (*rc::gen::arbitrary<bool>()) h.members[1].months_worked = *rc::gen::inRange(0, 13);
    RC_ASSERT(store->Begin().has_value());
    RC_ASSERT(store->InsertHousehold(h, kChange).has_value());
    RC_ASSERT(store->Commit().has_value());
    auto back = store->FindHousehold(h.household_code).value();
    RC_ASSERT(back.has_value());
    RC_ASSERT(back->household == h);
}

std::unique_ptr<Store> OpenSqlite(const std::string& name) {
    std::string file = name;
    std::ranges::replace(file, '/', '-');
    const std::string path = TempPath(file + ".db");
    auto store = OpenSqliteStore(path, OpenMode::kCreate);
    EXPECT_TRUE(store) << store.error().ToString();
    return store ? std::move(*store) : nullptr;
}

INSTANTIATE_TEST_SUITE_P(Adapters, StoreContract, testing::Values(Adapter{"sqlite", OpenSqlite}),
                         [](const testing::TestParamInfo<Adapter>& info) { return info.param.name; });

// SQLite-specific: opening modes, schema version, damaged files.
TEST(SqliteStore, OpenModes) {
    const std::string path = TempPath("modes.db");
    auto missing = OpenSqliteStore(path, OpenMode::kExisting);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "store.missing");
    auto created = OpenSqliteStore(path, OpenMode::kCreate);
    ASSERT_TRUE(created);
    EXPECT_EQ((*created)->schema_version(), 1);
    created->reset();
    auto exists = OpenSqliteStore(path, OpenMode::kCreate);
    ASSERT_FALSE(exists);
    EXPECT_EQ(exists.error().code, "store.exists");
    auto reopened = OpenSqliteStore(path, OpenMode::kExisting);
    ASSERT_TRUE(reopened);
    EXPECT_EQ((*reopened)->schema_version(), 1);
}

TEST(SqliteStore, GarbageFileIsReportedAsCorrupt) {
    const std::string path = TempPath("garbage.db");
    std::ofstream(path) << std::string(8192, 'x');
    auto r = OpenSqliteStore(path, OpenMode::kExisting);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "store.corrupt");
}

// Tampering with the file directly, as someone outside the program would.
TEST(SqliteStore, ChangeLogTamperingIsFound) {
    struct Case {
        const char* sql;
        int64_t first_bad;
    };
    for (const Case& c :
         {Case{"UPDATE change_log SET after_json = replace(after_json, '扎西', '某人') WHERE seq = 3", 3},
          Case{"DELETE FROM change_log WHERE seq = 2", 2},
          Case{"UPDATE change_log SET seq = 10 WHERE seq = 4; UPDATE change_log SET seq = 4 WHERE seq = 3;"
               "UPDATE change_log SET seq = 3 WHERE seq = 10",
               3},
          Case{"UPDATE change_log SET actor = 'someone' WHERE seq = 1", 1}}) {
        const std::string path = TempPath("tamper.db");
        {
            auto store = OpenSqliteStore(path, OpenMode::kCreate).value();
            ASSERT_TRUE(store->Begin());
            ASSERT_TRUE(store->SaveOrgUnits(SmallTree(), kChange));
            for (int i = 0; i < 4; ++i)
                ASSERT_TRUE(store->InsertHousehold(MakeHousehold("T" + std::to_string(i), i), kChange));
            ASSERT_TRUE(store->Commit());
            ASSERT_FALSE(store->VerifyChangeLog()->first_bad.has_value());
        }
        sqlite3* db = nullptr;
        ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
        ASSERT_EQ(sqlite3_exec(db, c.sql, nullptr, nullptr, nullptr), SQLITE_OK) << c.sql;
        sqlite3_close(db);
        auto v = OpenSqliteStore(path, OpenMode::kExisting).value()->VerifyChangeLog();
        ASSERT_TRUE(v);
        EXPECT_EQ(v->first_bad, c.first_bad) << c.sql;
    }
}

int64_t CountIndexes(const std::string& path) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL", -1,
                       &st, nullptr);
    sqlite3_step(st);
    const int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

TEST(SqliteStore, BulkLoadRebuildsIndexesAndRollsBackCleanly) {
    const std::string path = TempPath("bulk.db");
    auto store = OpenSqliteStore(path, OpenMode::kCreate).value();
    ASSERT_TRUE(store->Begin());
    ASSERT_TRUE(store->SaveOrgUnits(SmallTree(), kChange));
    ASSERT_TRUE(store->SavePlan("p", "id = \"p\"", kChange));
    ASSERT_TRUE(store->Commit());
    // A read left mid-step (a single-row lookup) must not block the index drop.
    ASSERT_TRUE(store->LoadPlanText().value().has_value());
    const int64_t indexes = CountIndexes(path);
    ASSERT_EQ(indexes, 4);
    // A failed bulk load: the dropped indexes come back with the rollback.
    ASSERT_TRUE(store->Begin());
    ASSERT_TRUE(store->BeginBulkLoad());
    ASSERT_TRUE(store->InsertHousehold(MakeHousehold("B0", 0), kChange));
    store->Rollback();
    EXPECT_EQ(CountIndexes(path), indexes);
    // A finished one: indexes rebuilt over the new rows, lookups work.
    const Household h = MakeHousehold("B1", 1);
    ASSERT_TRUE(store->Begin());
    ASSERT_TRUE(store->BeginBulkLoad());
    ASSERT_TRUE(store->InsertHousehold(h, kChange));
    ASSERT_TRUE(store->EndBulkLoad());
    ASSERT_TRUE(store->Commit());
    EXPECT_EQ(CountIndexes(path), indexes);
    EXPECT_EQ(store->FindHouseholdOfIdNumber(h.members[1].id_number).value(),
              std::optional<std::string>("B1"));
    EXPECT_EQ(store->ChangeLog({.entity_key = "B1"}).value().size(), 1u);
    EXPECT_FALSE(store->VerifyChangeLog()->first_bad.has_value());
}

TEST(SqliteStore, NewerSchemaIsRefused) {
    const std::string path = TempPath("newer.db");
    ASSERT_TRUE(OpenSqliteStore(path, OpenMode::kCreate));
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version=99", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    auto r = OpenSqliteStore(path, OpenMode::kExisting);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "store.too_new");
}

}  // namespace
}  // namespace jz

#include <boost/json.hpp>

namespace jz {
namespace {

TEST(HouseholdJson, IsValidJsonWithEscapes) {
    Household h = MakeHousehold("H\"1\\", 1);
    h.pairing_cadre = "张伟\n\t\x01";
    h.net_income_per_head = 352050;
    h.dangerous_housing = false;
    const std::string json = HouseholdToJson(h);
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(json, ec);
    ASSERT_FALSE(ec) << json;
    EXPECT_EQ(v.at("household_code").as_string(), "H\"1\\");
    EXPECT_EQ(v.at("pairing_cadre").as_string(), "张伟\n\t\x01");
    EXPECT_EQ(v.at("net_income_per_head").as_string(), "3520.5");
    EXPECT_EQ(v.at("dangerous_housing").as_bool(), false);
    EXPECT_FALSE(v.as_object().contains("exit_year")) << "absent values are left out";
    EXPECT_EQ(v.at("other_causes").as_array().size(), 1u);
    EXPECT_EQ(v.at("members").as_array().size(), 2u);
    EXPECT_EQ(v.at("members").as_array()[1].at("months_worked").as_int64(), 3);
    h.other_causes.clear();
    h.members.clear();
    ASSERT_FALSE((boost::json::parse(HouseholdToJson(h), ec), ec));
}

}  // namespace
}  // namespace jz
