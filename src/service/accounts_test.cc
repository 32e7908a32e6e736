// Accounts as the API and the CLI manage them (accounts.h), and the joining member of a member
// change (dynamic.h AcceptJoiningMember): the operations both front ends call.
#include "service/accounts.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/codes.h"
#include "core/id_number.h"
#include "core/test_support.h"
#include "service/dynamic.h"
#include "store/sqlite_store.h"

namespace jz::service {
namespace {

namespace fs = std::filesystem;
using testing_support::Chayu;

const ChangeContext kSetup{"setup", "2026-11-29T00:00:00Z", std::nullopt};

struct Accounts : ::testing::Test {
    std::string path;
    std::unique_ptr<Store> store;
    void SetUp() override {
        path = (fs::temp_directory_path() / ("jz-accounts-" + std::to_string(getpid()) + ".db")).string();
        fs::remove(path);
        store = OpenSqliteStore(path, OpenMode::kCreate).value();
        ASSERT_TRUE(store->Begin());
        ASSERT_TRUE(store->SaveOrgUnits(Chayu().tree, kSetup));
        ASSERT_TRUE(store->Commit());
    }
    void TearDown() override {
        store.reset();
        fs::remove(path);
        fs::remove(path + "-wal");
        fs::remove(path + "-shm");
    }
    Account Add(const std::string& name, const std::string& role, const std::string& scope) {
        auto a = AddAccount(*store, Chayu().tree, name, role, scope, "a-long-password-" + name, kSetup);
        EXPECT_TRUE(a) << (a ? "" : a.error().ToString());
        return *a;
    }
    int64_t Entries() {
        ChangeLogFilter f;
        f.entity = "account";
        f.limit = 1000;
        return static_cast<int64_t>(store->ChangeLog(f).value().size());
    }
};

TEST_F(Accounts, AddingChecksRoleScopeAndPassword) {
    EXPECT_EQ(
        AddAccount(*store, Chayu().tree, "a", "chief", "540425", "a-long-password", kSetup).error().code,
        "user.role");
    EXPECT_EQ(AddAccount(*store, Chayu().tree, "a", "viewer", "999", "a-long-password", kSetup).error().code,
              "user.scope");
    EXPECT_EQ(AddAccount(*store, Chayu().tree, "a", "viewer", "540425", "password", kSetup).error().code,
              "user.password_common");
    Add("a", "viewer", "540425100");
    EXPECT_EQ(
        AddAccount(*store, Chayu().tree, "a", "viewer", "540425", "a-long-password", kSetup).error().code,
        "user.exists");
}

TEST_F(Accounts, ListingAndFindingKeepToTheScope) {
    Add("county", "admin", "540425");
    Add("town", "officer", "540425100");
    Add("other", "officer", "540425101");
    auto all = ListAccounts(*store, "").value();
    EXPECT_EQ(all.size(), 3u);
    auto town = ListAccounts(*store, "540425100").value();
    ASSERT_EQ(town.size(), 1u);
    EXPECT_EQ(town[0].username, "town");
    EXPECT_TRUE(FindAccount(*store, "other", "").value());
    EXPECT_FALSE(FindAccount(*store, "other", "540425100").value());
}

TEST_F(Accounts, DisablingEndsTheSessionsAndWritesOnlyAChange) {
    const Account town = Add("town", "officer", "540425100");
    ASSERT_TRUE(store->Begin());
    for (const char* hash : {"hash1", "hash2"}) {
        auto r = store->InsertSession({hash, town.id, kSetup.at, kSetup.at});
        ASSERT_TRUE(r) << r.error().ToString();
    }
    ASSERT_TRUE(store->Commit());
    const Actor admin{Role::kAdmin, "county", "540425"};
    const int64_t before = Entries();
    auto changed = ChangeAccount(*store, admin, town, {.disabled = true}, kSetup);
    ASSERT_TRUE(changed) << changed.error().ToString();
    EXPECT_TRUE(changed->account.disabled);
    EXPECT_EQ(changed->sessions_ended, 2);
    EXPECT_EQ(Entries(), before + 1);
    // Disabling a disabled account writes nothing (the CLI's `user disable` twice).
    auto again = ChangeAccount(*store, admin, changed->account, {.disabled = true}, kSetup);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->sessions_ended, 0);
    EXPECT_EQ(Entries(), before + 1);
}

TEST_F(Accounts, NoOneDisablesThemselvesOrDropsTheirOwnAdminRole) {
    const Account county = Add("county", "admin", "540425");
    const Actor self{Role::kAdmin, "county", "540425"};
    EXPECT_EQ(ChangeAccount(*store, self, county, {.disabled = true}, kSetup).error().code, "user.self");
    EXPECT_EQ(ChangeAccount(*store, self, county, {.role = "viewer"}, kSetup).error().code, "user.self");
}

TEST_F(Accounts, ChangesAreCheckedForTheActorsScope) {
    const Account town = Add("town", "officer", "540425100");
    auto errors = CheckAccountChange(Chayu().tree, "540425100", town,
                                     {.role = "chief", .scope = "540425101", .password = "short"});
    ASSERT_EQ(errors.size(), 3u);
    EXPECT_EQ(errors[0].code, "user.role");
    EXPECT_EQ(errors[1].field, "scope");
    EXPECT_EQ(errors[2].code, "user.password_short");
    EXPECT_TRUE(CheckAccountChange(Chayu().tree, "540425", town, {.scope = "540425101"}).empty());
}

// The joining member: checked beside the head only; no relation means 之子; errors name person.*.
TEST(JoiningMember, DefaultsTheRelationAndNamesThePersonsFields) {
    const OrgUnit* village = Chayu().tree.Children("540425100").front();
    Household h;
    h.household_code = village->code + "9901";
    h.division_code = village->code;
    h.attribute = 1;
    h.main_cause = 1;
    h.identified_year = 2017;
    Person head;
    head.name = "扎西";
    head.id_number = MakeIdNumber("540425", {1980, 1, 1}, 991);
    head.relation = codes::kRelationHead;
    head.sex = 1;
    head.ethnicity = 4;
    head.birth_date = Date{1980, 1, 1};
    h.members.push_back(head);
    const AssemblyContext context{Chayu().plan, Chayu().tree};
    boost::json::object person{{"name", "小卓玛"},
                               {"id_number", MakeIdNumber("540425", {2017, 6, 1}, 994)},
                               {"sex", 2},
                               {"birth_date", "2017-06-01"},
                               {"ethnicity", 4}};
    auto joining = AcceptJoiningMember(person, h, context);
    ASSERT_TRUE(joining) << joining.error().front().field << ": " << joining.error().front().message_en;
    EXPECT_EQ(joining->person.relation, 3);  // 之子
    EXPECT_EQ(joining->person.name, "小卓玛");
    person["id_number"] = "540425201706019999";
    auto refused = AcceptJoiningMember(person, h, context);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().front().field, "person.id_number");
}

}  // namespace
}  // namespace jz::service
