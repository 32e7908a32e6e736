// The Store contract, run against every adapter (SQLite today; PostgreSQL joins the list).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>

#include "core/codes.h"
#include "core/id_number.h"
#include "store/sqlite_schema.h"
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

// A stand-in for an argon2id string: the store keeps it verbatim and must never log it.
constexpr const char* kHash1 = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaG9uZWhhc2hvbmU";
constexpr const char* kHash2 = "$argon2id$v=19$m=65536,t=2,p=1$b3RoZXJzYWx0$aGFzaHR3b2hhc2h0d28";

Account MakeAccount(const std::string& username, const std::string& role = "officer",
                    const std::string& scope = "540425100201") {
    Account a;
    a.username = username;
    a.password_hash = kHash1;
    a.role = role;
    a.scope = scope;
    a.created_at = "2026-11-29T00:00:00Z";
    return a;
}

SessionRecord MakeSession(const std::string& token_hash, int64_t account_id, const std::string& at) {
    return SessionRecord{token_hash, account_id, at, at};
}

// The error code of a result, empty on success.
template <class T>
std::string CodeOf(const Result<T>& r) {
    return r ? std::string() : r.error().code;
}

boost::json::object ParseObject(const std::string& json) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(json, ec);
    EXPECT_FALSE(ec) << json;
    return ec || !v.is_object() ? boost::json::object() : v.as_object();
}

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

TEST_P(StoreContract, SearchHouseholdsByCodeNameOrIdPrefix) {
    const Household a = MakeHousehold("H1", 1), c = MakeHousehold("X9", 3);
    Household b = MakeHousehold("H2", 2);
    b.members[0].name = "次仁";
    ASSERT_TRUE(store_->Begin());
    for (const Household* h : std::initializer_list<const Household*>{&a, &b, &c})
        ASSERT_TRUE(store_->InsertHousehold(*h, kChange));
    ASSERT_TRUE(store_->Commit());
    auto sorted = [&](const std::string& text, int64_t limit = 100) {
        auto v = store_->SearchHouseholds(text, limit).value();
        std::ranges::sort(v);
        return v;
    };
    EXPECT_EQ(sorted("H"), (std::vector<std::string>{"H1", "H2"}));
    EXPECT_EQ(sorted("X9"), std::vector<std::string>{"X9"});
    EXPECT_EQ(sorted("次仁"), std::vector<std::string>{"H2"});
    EXPECT_EQ(sorted("次"), std::vector<std::string>{"H2"});
    EXPECT_EQ(sorted("扎西"), (std::vector<std::string>{"H1", "X9"}));
    EXPECT_EQ(sorted("540425").size(), 3u);
    const std::string id = c.members[1].id_number;
    EXPECT_EQ(sorted(id), std::vector<std::string>{"X9"});
    EXPECT_TRUE(sorted("nobody").empty());
    EXPECT_TRUE(sorted("").empty());
    EXPECT_EQ(sorted("H", 1).size(), 1u);
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

TEST_P(StoreContract, AccountsInsertFindAndList) {
    ASSERT_TRUE(store_->Begin());
    auto bob = store_->InsertAccount(MakeAccount("bob", "viewer", "540425100200"), kChange);
    ASSERT_TRUE(bob) << bob.error().ToString();
    auto alice = store_->InsertAccount(MakeAccount("alice", "admin", "540425"), kChange);
    ASSERT_TRUE(alice);
    ASSERT_TRUE(store_->Commit());
    EXPECT_NE(*bob, *alice);

    auto found = store_->FindAccount("alice").value();
    ASSERT_TRUE(found);
    Account expected = MakeAccount("alice", "admin", "540425");
    expected.id = *alice;
    EXPECT_EQ(*found, expected);
    EXPECT_EQ(store_->FindAccountById(*alice).value(), found);
    EXPECT_EQ(store_->FindAccount("nobody").value(), std::nullopt);
    EXPECT_EQ(store_->FindAccountById(*alice + *bob + 100).value(), std::nullopt);

    auto all = store_->ListAccounts().value();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].username, "alice");  // by username, not by insertion
    EXPECT_EQ(all[1].username, "bob");
    EXPECT_EQ(all[1].id, *bob);
    EXPECT_EQ(all[1].role, "viewer");
    EXPECT_EQ(all[1].password_hash, kHash1);
}

TEST_P(StoreContract, DuplicateUsernameIsRefused) {
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertAccount(MakeAccount("alice"), kChange));
    auto again = store_->InsertAccount(MakeAccount("alice", "viewer"), kChange);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, "store.duplicate");
    EXPECT_EQ(again.error().field, "username");
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(store_->ListAccounts().value().size(), 1u);
    EXPECT_EQ(store_->ChangeLog({.entity = "account"}).value().size(), 1u)
        << "the refused insert is not logged";
}

TEST_P(StoreContract, UnknownRoleIsRefused) {
    ASSERT_TRUE(store_->Begin());
    auto r = store_->InsertAccount(MakeAccount("eve", "root"), kChange);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "store.invalid");
    EXPECT_EQ(r.error().field, "role");
    store_->Rollback();
}

TEST_P(StoreContract, AccountInsertIsLoggedWithoutTheHash) {
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertAccount(MakeAccount("alice"), kChange));
    ASSERT_TRUE(store_->Commit());
    auto log = store_->ChangeLog({.entity = "account"}).value();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0].entity_key, "alice");
    EXPECT_EQ(log[0].action, "insert");
    EXPECT_EQ(log[0].actor, "tester");
    EXPECT_TRUE(log[0].before_json.empty());
    const boost::json::object after = ParseObject(log[0].after_json);
    EXPECT_EQ(after.at("username").as_string(), "alice");
    EXPECT_EQ(after.at("role").as_string(), "officer");
    EXPECT_EQ(after.at("scope").as_string(), "540425100201");
    EXPECT_EQ(after.at("disabled").as_bool(), false);
    EXPECT_EQ(after.at("password_set").as_bool(), true);
    EXPECT_EQ(after.size(), 5u) << log[0].after_json;
    EXPECT_EQ(log[0].after_json.find("argon2"), std::string::npos);
}

TEST_P(StoreContract, AccountUpdateIsLoggedAndGuardedByTheStoredRow) {
    ASSERT_TRUE(store_->Begin());
    const int64_t id = store_->InsertAccount(MakeAccount("alice"), kChange).value();
    ASSERT_TRUE(store_->Commit());
    const Account before = store_->FindAccountById(id).value().value();

    Account after = before;
    after.role = "inspector";
    after.scope = "540425";
    after.disabled = true;
    after.password_hash = kHash2;
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->UpdateAccount(before, after, kChange));
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(store_->FindAccountById(id).value(), after);

    auto log = store_->ChangeLog({.entity = "account", .entity_key = "alice"}).value();
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[1].action, "update");
    const boost::json::object b = ParseObject(log[1].before_json);
    const boost::json::object a = ParseObject(log[1].after_json);
    EXPECT_EQ(b.at("role").as_string(), "officer");
    EXPECT_EQ(b.at("disabled").as_bool(), false);
    EXPECT_EQ(a.at("role").as_string(), "inspector");
    EXPECT_EQ(a.at("scope").as_string(), "540425");
    EXPECT_EQ(a.at("disabled").as_bool(), true);
    EXPECT_EQ(a.at("password_set").as_bool(), true);
    EXPECT_EQ(a.at("password_changed").as_bool(), true);
    const std::vector<ChangeLogEntry> everything = store_->ChangeLog({}).value();
    for (const ChangeLogEntry& e : everything) {
        EXPECT_EQ(e.before_json.find("argon2"), std::string::npos) << e.before_json;
        EXPECT_EQ(e.after_json.find("argon2"), std::string::npos) << e.after_json;
    }

    // Without a password change the log says so.
    Account renamed = after;
    renamed.disabled = false;
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->UpdateAccount(after, renamed, kChange));
    ASSERT_TRUE(store_->Commit());
    log = store_->ChangeLog({.entity = "account"}).value();
    ASSERT_EQ(log.size(), 3u);
    EXPECT_EQ(ParseObject(log[2].after_json).at("password_changed").as_bool(), false);

    // A writer holding a stale copy loses and changes nothing; so does one holding another's hash.
    ASSERT_TRUE(store_->Begin());
    auto stale = store_->UpdateAccount(before, after, kChange);
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().code, "store.conflict");
    Account wrong_hash = renamed;
    wrong_hash.password_hash = kHash1;
    auto hash_changed = store_->UpdateAccount(wrong_hash, after, kChange);
    ASSERT_FALSE(hash_changed);
    EXPECT_EQ(hash_changed.error().code, "store.conflict");
    Account missing = renamed;
    missing.id = id + 1000;
    auto not_found = store_->UpdateAccount(missing, missing, kChange);
    ASSERT_FALSE(not_found);
    EXPECT_EQ(not_found.error().code, "store.not_found");
    Account other_name = renamed;
    other_name.username = "mallory";
    auto rename = store_->UpdateAccount(renamed, other_name, kChange);
    ASSERT_FALSE(rename);
    EXPECT_EQ(rename.error().code, "store.code_change");
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(store_->FindAccountById(id).value(), renamed);
    EXPECT_EQ(store_->ChangeLog({.entity = "account"}).value().size(), 3u);
}

TEST_P(StoreContract, LoginStateIsStoredButNotLogged) {
    ASSERT_TRUE(store_->Begin());
    const int64_t id = store_->InsertAccount(MakeAccount("alice"), kChange).value();
    ASSERT_TRUE(store_->Commit());
    const int64_t seq = store_->LastChangeSeq().value();
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->SetLoginState(id, 5, "2026-11-29T00:15:00Z"));
    ASSERT_TRUE(store_->Commit());
    Account a = store_->FindAccount("alice").value().value();
    EXPECT_EQ(a.failed_logins, 5);
    EXPECT_EQ(a.locked_until, "2026-11-29T00:15:00Z");
    EXPECT_EQ(a.role, "officer") << "nothing else changes";
    EXPECT_EQ(a.password_hash, kHash1);
    EXPECT_EQ(store_->LastChangeSeq().value(), seq);
    // The counters are not part of the row UpdateAccount guards.
    Account after = a;
    after.role = "viewer";
    ASSERT_TRUE(store_->Begin());
    EXPECT_EQ(CodeOf(store_->UpdateAccount(MakeAccount("alice") /* id 0 */, after, kChange)),
              "store.not_found");
    Account before = MakeAccount("alice");
    before.id = id;
    ASSERT_TRUE(store_->UpdateAccount(before, after, kChange));
    ASSERT_TRUE(store_->SetLoginState(id, 0, ""));
    auto missing = store_->SetLoginState(id + 1000, 1, "");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "store.not_found");
    ASSERT_TRUE(store_->Commit());
    a = store_->FindAccountById(id).value().value();
    EXPECT_EQ(a.failed_logins, 0);
    EXPECT_EQ(a.locked_until, "");
    EXPECT_EQ(a.role, "viewer");
}

TEST_P(StoreContract, SessionLifecycle) {
    ASSERT_TRUE(store_->Begin());
    const int64_t alice = store_->InsertAccount(MakeAccount("alice"), kChange).value();
    const int64_t bob = store_->InsertAccount(MakeAccount("bob"), kChange).value();
    ASSERT_TRUE(store_->InsertSession(MakeSession("s1", alice, "2026-11-29T08:00:00Z")));
    ASSERT_TRUE(store_->InsertSession(MakeSession("s2", alice, "2026-11-29T09:00:00Z")));
    ASSERT_TRUE(store_->InsertSession(MakeSession("s3", bob, "2026-11-29T07:00:00Z")));
    ASSERT_TRUE(store_->InsertSession(MakeSession("s4", bob, "2026-11-29T10:00:00Z")));
    auto dup = store_->InsertSession(MakeSession("s1", bob, "2026-11-29T10:00:00Z"));
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, "store.duplicate");
    auto orphan = store_->InsertSession(MakeSession("s9", bob + alice + 100, "2026-11-29T10:00:00Z"));
    ASSERT_FALSE(orphan);
    EXPECT_EQ(orphan.error().code, "store.foreign_key");
    ASSERT_TRUE(store_->Commit());
    const int64_t seq = store_->LastChangeSeq().value();

    EXPECT_EQ(store_->FindSession("s1").value(), MakeSession("s1", alice, "2026-11-29T08:00:00Z"));
    EXPECT_EQ(store_->FindSession("nope").value(), std::nullopt);

    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->TouchSession("s3", "2026-11-29T11:00:00Z"));
    ASSERT_TRUE(store_->TouchSession("gone", "2026-11-29T11:00:00Z")) << "a session ended elsewhere";
    ASSERT_TRUE(store_->Commit());
    auto s3 = store_->FindSession("s3").value().value();
    EXPECT_EQ(s3.last_seen_at, "2026-11-29T11:00:00Z");
    EXPECT_EQ(s3.created_at, "2026-11-29T07:00:00Z");

    // Idle since before 09:30: s1 (08:00) and s2 (09:00); s3 was touched, s4 is recent.
    ASSERT_TRUE(store_->Begin());
    EXPECT_EQ(store_->DeleteIdleSessions("2026-11-29T09:30:00Z").value(), 2);
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(store_->FindSession("s1").value(), std::nullopt);
    EXPECT_EQ(store_->FindSession("s2").value(), std::nullopt);
    EXPECT_TRUE(store_->FindSession("s3").value());

    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertSession(MakeSession("s5", alice, "2026-11-29T12:00:00Z")));
    EXPECT_EQ(store_->DeleteSessionsOf(bob).value(), 2);  // s3, s4
    EXPECT_EQ(store_->DeleteSessionsOf(bob).value(), 0);
    ASSERT_TRUE(store_->DeleteSession("s5"));
    ASSERT_TRUE(store_->DeleteSession("s5")) << "logging out twice is harmless";
    EXPECT_EQ(store_->DeleteIdleSessions("2099-01-01T00:00:00Z").value(), 0);
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(store_->FindSession("s3").value(), std::nullopt);
    EXPECT_EQ(store_->FindSession("s5").value(), std::nullopt);
    EXPECT_EQ(store_->LastChangeSeq().value(), seq) << "sessions are not logged";
    EXPECT_TRUE(store_->FindAccountById(bob).value()) << "ending sessions leaves the account";
}

TEST_P(StoreContract, EventsJoinTheChain) {
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertAccount(MakeAccount("alice"), kChange));
    ASSERT_TRUE(store_->Commit());
    const ChangeContext at_login{"alice", "2026-11-29T08:00:00Z", std::nullopt};
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->RecordEvent("account", "alice", "login_failed", R"({"ip":"10.0.0.1"})", at_login));
    ASSERT_TRUE(store_->RecordEvent("account", "alice", "lock", "", at_login));
    ASSERT_TRUE(store_->RecordEvent("account", "alice", "login", R"({"ip":"10.0.0.1"})", at_login));
    ASSERT_TRUE(store_->RecordEvent("account", "alice", "logout", "{}", at_login));
    auto bad = store_->RecordEvent("account", "alice", "insert", "{}", at_login);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, "store.invalid");
    ASSERT_TRUE(store_->Commit());
    auto log = store_->ChangeLog({.entity_key = "alice"}).value();
    ASSERT_EQ(log.size(), 5u);
    EXPECT_EQ(log[1].action, "login_failed");
    EXPECT_EQ(log[1].actor, "alice");
    EXPECT_EQ(log[1].at, "2026-11-29T08:00:00Z");
    EXPECT_EQ(log[1].entity, "account");
    EXPECT_TRUE(log[1].before_json.empty());
    EXPECT_EQ(log[1].after_json, R"({"ip":"10.0.0.1"})");
    EXPECT_EQ(log[2].action, "lock");
    EXPECT_TRUE(log[2].after_json.empty());
    EXPECT_EQ(log[3].action, "login");
    EXPECT_EQ(log[4].action, "logout");
    auto v = store_->VerifyChangeLog().value();
    EXPECT_EQ(v.entries, 6);  // the org units, the account, four events
    EXPECT_FALSE(v.first_bad.has_value());
}

TEST_P(StoreContract, LastChangeSeqFollowsTheLog) {
    const int64_t start = store_->LastChangeSeq().value();
    EXPECT_EQ(start, 1);  // the org-unit load
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertHousehold(MakeHousehold("H1", 1), kChange));
    ASSERT_TRUE(store_->InsertAccount(MakeAccount("alice"), kChange));
    EXPECT_EQ(store_->LastChangeSeq().value(), start + 2) << "inside the transaction, its own writes";
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(store_->LastChangeSeq().value(), start + 2);
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertHousehold(MakeHousehold("H2", 2), kChange));
    store_->Rollback();
    EXPECT_EQ(store_->LastChangeSeq().value(), start + 2);
    auto log = store_->ChangeLog({}).value();
    EXPECT_EQ(log.back().seq, start + 2);
}

TEST_P(StoreContract, ChangeLogFilters) {
    Household a = MakeHousehold("A", 1);  // 540425100201
    Household c = MakeHousehold("C", 2);
    c.division_code = "540425100200";
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertHousehold(a, kChange));                              // seq 2
    ASSERT_TRUE(store_->InsertHousehold(c, kChange));                              // seq 3
    ASSERT_TRUE(store_->InsertAccount(MakeAccount("alice"), kChange));             // seq 4
    ASSERT_TRUE(store_->RecordEvent("account", "alice", "login", "{}", kChange));  // seq 5
    ASSERT_TRUE(store_->Commit());
    auto keys = [&](const ChangeLogFilter& f) {
        std::vector<std::string> out;
        const std::vector<ChangeLogEntry> log = store_->ChangeLog(f).value();
        for (const ChangeLogEntry& e : log) out.push_back(e.entity_key + ":" + e.action);
        return out;
    };
    using Keys = std::vector<std::string>;
    EXPECT_EQ(keys({.entity = "account"}), (Keys{"alice:insert", "alice:login"}));
    EXPECT_EQ(keys({.entity = "household"}), (Keys{"A:insert", "C:insert"}));
    EXPECT_EQ(keys({.entity = "household", .entity_key = "C"}), (Keys{"C:insert"}));
    EXPECT_EQ(keys({.after_seq = 3}), (Keys{"alice:insert", "alice:login"}));
    EXPECT_EQ(keys({.after_seq = 5}), Keys{});
    EXPECT_EQ(keys({.after_seq = 1, .limit = 2}), (Keys{"A:insert", "C:insert"}));

    // Scope: a village sees its households only; the county sees every household and nothing
    // else; the root (empty prefix) sees everything.
    EXPECT_EQ(keys({.division_prefix = "540425100201"}), (Keys{"A:insert"}));
    EXPECT_EQ(keys({.division_prefix = "540425100200"}), (Keys{"C:insert"}));
    EXPECT_EQ(keys({.division_prefix = "540425"}), (Keys{"A:insert", "C:insert"}));
    EXPECT_EQ(keys({.division_prefix = "5404251002019"}), Keys{});
    EXPECT_EQ(keys({.entity = "account", .division_prefix = "540425"}), Keys{});
    EXPECT_EQ(keys({.division_prefix = ""}).size(), 5u);
    EXPECT_EQ(keys({.entity = "account", .division_prefix = ""}), (Keys{"alice:insert", "alice:login"}));

    // A household is seen where it is now: C moves into the first village, with its history.
    Household moved = c;
    moved.division_code = "540425100201";
    auto before = store_->FindHousehold("C").value().value();
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->UpdateHousehold(before, moved, kChange));  // seq 6
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(keys({.division_prefix = "540425100201"}), (Keys{"A:insert", "C:insert", "C:update"}));
    EXPECT_EQ(keys({.division_prefix = "540425100200"}), Keys{});
    EXPECT_EQ(keys({.after_seq = 2, .division_prefix = "540425100201"}), (Keys{"C:insert", "C:update"}));
    EXPECT_EQ(keys({.after_seq = 2, .division_prefix = "540425100201", .limit = 1}), (Keys{"C:insert"}));
}

TEST_P(StoreContract, AccountAndSessionWritesOutsideATransactionAreRefused) {
    ASSERT_TRUE(store_->Begin());
    const int64_t id = store_->InsertAccount(MakeAccount("alice"), kChange).value();
    ASSERT_TRUE(store_->InsertSession(MakeSession("s1", id, "2026-11-29T08:00:00Z")));
    ASSERT_TRUE(store_->Commit());
    Account a = store_->FindAccountById(id).value().value();
    Account b = a;
    b.role = "viewer";
    const std::vector<std::pair<std::string, std::function<std::string()>>> writes = {
        {"InsertAccount", [&] { return CodeOf(store_->InsertAccount(MakeAccount("bob"), kChange)); }},
        {"UpdateAccount", [&] { return CodeOf(store_->UpdateAccount(a, b, kChange)); }},
        {"SetLoginState", [&] { return CodeOf(store_->SetLoginState(id, 1, "")); }},
        {"RecordEvent",
         [&] { return CodeOf(store_->RecordEvent("account", "alice", "login", "{}", kChange)); }},
        {"InsertSession",
         [&] { return CodeOf(store_->InsertSession(MakeSession("s2", id, "2026-11-29T08:00:00Z"))); }},
        {"TouchSession", [&] { return CodeOf(store_->TouchSession("s1", "2026-11-29T09:00:00Z")); }},
        {"DeleteSession", [&] { return CodeOf(store_->DeleteSession("s1")); }},
        {"DeleteSessionsOf", [&] { return CodeOf(store_->DeleteSessionsOf(id)); }},
        {"DeleteIdleSessions", [&] { return CodeOf(store_->DeleteIdleSessions("2099-01-01T00:00:00Z")); }},
    };
    const int64_t seq = store_->LastChangeSeq().value();
    for (const auto& [name, write] : writes) EXPECT_EQ(write(), "store.no_transaction") << name;
    EXPECT_EQ(store_->FindAccountById(id).value(), a);
    EXPECT_EQ(store_->ListAccounts().value().size(), 1u);
    EXPECT_EQ(store_->FindSession("s1").value(), MakeSession("s1", id, "2026-11-29T08:00:00Z"));
    EXPECT_EQ(store_->LastChangeSeq().value(), seq);
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
    EXPECT_EQ((*created)->schema_version(), 2);
    created->reset();
    auto exists = OpenSqliteStore(path, OpenMode::kCreate);
    ASSERT_FALSE(exists);
    EXPECT_EQ(exists.error().code, "store.exists");
    auto reopened = OpenSqliteStore(path, OpenMode::kExisting);
    ASSERT_TRUE(reopened);
    EXPECT_EQ((*reopened)->schema_version(), 2);
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

// Rows of a query on the file, read on a connection of its own, each row's columns joined by '|'.
std::vector<std::string> QueryRows(const std::string& path, const char* sql) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_stmt* st = nullptr;
    std::vector<std::string> rows;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        std::string row;
        for (int i = 0; i < sqlite3_column_count(st); ++i) {
            if (i > 0) row += '|';
            if (const unsigned char* t = sqlite3_column_text(st, i)) row += reinterpret_cast<const char*>(t);
        }
        rows.push_back(std::move(row));
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rows;
}

// The explicitly created indexes (name and definition), by name.
std::vector<std::string> IndexDefinitions(const std::string& path) {
    return QueryRows(path,
                     "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                     " ORDER BY name");
}

int64_t CountIndexes(const std::string& path) { return static_cast<int64_t>(IndexDefinitions(path).size()); }

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
    ASSERT_EQ(indexes, 6);  // the five the bulk load drops, and session_account
    const std::vector<std::string> definitions = IndexDefinitions(path);
    // A failed bulk load: the dropped indexes come back with the rollback.
    ASSERT_TRUE(store->Begin());
    ASSERT_TRUE(store->BeginBulkLoad());
    ASSERT_TRUE(store->InsertHousehold(MakeHousehold("B0", 0), kChange));
    store->Rollback();
    EXPECT_EQ(IndexDefinitions(path), definitions);
    // A finished one: indexes rebuilt over the new rows, lookups work.
    const Household h = MakeHousehold("B1", 1);
    ASSERT_TRUE(store->Begin());
    ASSERT_TRUE(store->BeginBulkLoad());
    ASSERT_TRUE(store->InsertHousehold(h, kChange));
    ASSERT_TRUE(store->EndBulkLoad());
    ASSERT_TRUE(store->Commit());
    EXPECT_EQ(IndexDefinitions(path), definitions) << "rebuilt exactly as the migrations define them";
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

void Exec(sqlite3* db, const std::string& sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "") << "\n" << sql.substr(0, 200);
    sqlite3_free(err);
}

// A database as version 1 of the program left it: the 001 schema, a registry, an import and a
// chained change log (its rows written by the current store and copied over unchanged: a log
// entry's fields and hash do not depend on the schema version).
std::string MakeVersion1Database(const std::string& name, ChainVerification& chain) {
    const std::string source = TempPath(name + "-source.db");
    {
        auto store = OpenSqliteStore(source, OpenMode::kCreate).value();
        EXPECT_TRUE(store->Begin());
        EXPECT_TRUE(store->SaveOrgUnits(SmallTree(), kChange));
        EXPECT_TRUE(store->SavePlan("p", "id = \"p\"", kChange));
        EXPECT_TRUE(store->PutSetting("county_code", "540425"));
        ChangeContext imported = kChange;
        imported.import_id = store->BeginImport("registry.csv", kChange).value();
        for (int i = 0; i < 3; ++i)
            EXPECT_TRUE(store->InsertHousehold(MakeHousehold("V" + std::to_string(i), i), imported));
        EXPECT_TRUE(store->FinishImport(*imported.import_id, "{}"));
        EXPECT_TRUE(store->Commit());
        Household changed = MakeHousehold("V1", 1);
        changed.status = codes::kStatusExited;
        auto before = store->FindHousehold("V1").value().value();
        EXPECT_TRUE(store->Begin());
        EXPECT_TRUE(store->UpdateHousehold(before, changed, kChange));
        EXPECT_TRUE(store->Commit());
        chain = store->VerifyChangeLog().value();
    }
    const std::string path = TempPath(name + "-v1.db");
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    Exec(db, "BEGIN");
    Exec(db, std::string(sqlite_schema::kMigration001));
    Exec(db, "ATTACH DATABASE '" + source + "' AS source");
    for (const char* table :
         {"setting", "plan", "org_unit", "org_unit_name", "import", "household", "person", "change_log"})
        Exec(db, std::string("INSERT INTO main.") + table + " SELECT * FROM source." + table);
    Exec(db, "COMMIT");
    Exec(db, "DETACH DATABASE source");
    Exec(db, "PRAGMA user_version=1");
    sqlite3_close(db);
    return path;
}

TEST(SqliteStore, Version1DatabaseIsMigratedWithItsChainIntact) {
    ChainVerification chain;
    const std::string path = MakeVersion1Database("migrate", chain);
    ASSERT_EQ(chain.entries, 6);  // the org units, the plan, three households, one update
    ASSERT_FALSE(chain.first_bad.has_value());
    ASSERT_EQ(QueryRows(path, "PRAGMA user_version"), std::vector<std::string>{"1"});
    const std::vector<std::string> v1_log =
        QueryRows(path,
                  "SELECT seq, at, actor, county_code, entity, entity_key, action, before_json, after_json,"
                  " import_id, hex(hash) FROM change_log ORDER BY seq");
    ASSERT_EQ(v1_log.size(), 6u);

    auto store = OpenSqliteStore(path, OpenMode::kExisting);
    ASSERT_TRUE(store) << store.error().ToString();
    EXPECT_EQ((*store)->schema_version(), 2);
    EXPECT_EQ(QueryRows(path, "PRAGMA user_version"), std::vector<std::string>{"2"});
    auto v = (*store)->VerifyChangeLog().value();
    EXPECT_EQ(v.entries, chain.entries);
    EXPECT_FALSE(v.first_bad.has_value());
    EXPECT_EQ(v.last_hash, chain.last_hash);
    EXPECT_EQ(QueryRows(path,
                        "SELECT seq, at, actor, county_code, entity, entity_key, action, before_json,"
                        " after_json, import_id, hex(hash) FROM change_log ORDER BY seq"),
              v1_log)
        << "every row copied unchanged";
    EXPECT_EQ((*store)->ChangeLog({.entity_key = "V0"}).value().at(0).import_id, std::optional<int64_t>(1));
    EXPECT_EQ((*store)->CountHouseholds().value(), 3);
    EXPECT_EQ(QueryRows(path, "PRAGMA foreign_key_check"), std::vector<std::string>{});
    EXPECT_EQ(QueryRows(path, "PRAGMA integrity_check"), std::vector<std::string>{"ok"});
    // The rebuilt table keeps 001's indexes and its reference to import.
    EXPECT_EQ(
        QueryRows(path,
                  "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'change_log' AND"
                  " type = 'index' ORDER BY name"),
        (std::vector<std::string>{"change_log_actor|CREATE INDEX change_log_actor ON change_log(actor, seq)",
                                  "change_log_entity|CREATE INDEX change_log_entity ON "
                                  "change_log(entity, entity_key, seq)"}));
    EXPECT_EQ(
        QueryRows(path, "SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list('change_log')"),
        std::vector<std::string>{"import|import_id|id"});
    EXPECT_EQ(QueryRows(path, "SELECT count(*) FROM sqlite_master WHERE name = 'change_log_new'"),
              std::vector<std::string>{"0"});

    // The chain goes on, with the new kinds of entries.
    ASSERT_TRUE((*store)->Begin());
    ASSERT_TRUE((*store)->InsertAccount(MakeAccount("alice"), kChange));
    ASSERT_TRUE((*store)->RecordEvent("account", "alice", "login", "{}", kChange));
    ASSERT_TRUE((*store)->InsertHousehold(MakeHousehold("V9", 9), kChange));
    ASSERT_TRUE((*store)->Commit());
    v = (*store)->VerifyChangeLog().value();
    EXPECT_EQ(v.entries, chain.entries + 3);
    EXPECT_FALSE(v.first_bad.has_value());
    EXPECT_EQ((*store)->LastChangeSeq().value(), chain.entries + 3);
    store->reset();
    // Opening again applies nothing more.
    auto again = OpenSqliteStore(path, OpenMode::kExisting);
    ASSERT_TRUE(again);
    EXPECT_EQ((*again)->VerifyChangeLog().value().entries, chain.entries + 3);
}

// A migration that cannot complete leaves the database as it was (each runs in one transaction).
TEST(SqliteStore, FailedMigrationChangesNothing) {
    ChainVerification chain;
    const std::string path = MakeVersion1Database("failed-migration", chain);
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    Exec(db, "CREATE TABLE account (x)");  // 002 cannot create its table
    sqlite3_close(db);
    auto r = OpenSqliteStore(path, OpenMode::kExisting);
    ASSERT_FALSE(r);
    EXPECT_EQ(QueryRows(path, "PRAGMA user_version"), std::vector<std::string>{"1"});
    EXPECT_EQ(QueryRows(path, "SELECT count(*) FROM change_log"), std::vector<std::string>{"6"});
    EXPECT_EQ(
        QueryRows(path, "SELECT count(*) FROM sqlite_master WHERE name IN ('session', 'change_log_new')"),
        std::vector<std::string>{"0"});
}

// Removing an account (outside the program: the store has no call for it) ends its sessions.
TEST(SqliteStore, SessionsGoWithTheirAccount) {
    const std::string path = TempPath("cascade.db");
    auto store = OpenSqliteStore(path, OpenMode::kCreate).value();
    ASSERT_TRUE(store->Begin());
    const int64_t alice = store->InsertAccount(MakeAccount("alice"), kChange).value();
    const int64_t bob = store->InsertAccount(MakeAccount("bob"), kChange).value();
    ASSERT_TRUE(store->InsertSession(MakeSession("a1", alice, "2026-11-29T08:00:00Z")));
    ASSERT_TRUE(store->InsertSession(MakeSession("b1", bob, "2026-11-29T08:00:00Z")));
    ASSERT_TRUE(store->Commit());
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    Exec(db, "PRAGMA foreign_keys=ON; DELETE FROM account WHERE username = 'alice'");
    sqlite3_close(db);
    EXPECT_EQ(store->FindSession("a1").value(), std::nullopt);
    EXPECT_TRUE(store->FindSession("b1").value());
}

// Entries of accounts and events carry the database's county, like the rest of its log.
TEST(SqliteStore, AccountEntriesCarryTheCounty) {
    const std::string path = TempPath("county.db");
    auto store = OpenSqliteStore(path, OpenMode::kCreate).value();
    ASSERT_TRUE(store->Begin());
    ASSERT_TRUE(store->InsertAccount(MakeAccount("early"), kChange));
    ASSERT_TRUE(store->PutSetting("county_code", "540425"));
    ASSERT_TRUE(store->InsertAccount(MakeAccount("alice"), kChange));
    ASSERT_TRUE(store->RecordEvent("account", "alice", "logout", "", kChange));
    ASSERT_TRUE(store->Commit());
    EXPECT_EQ(QueryRows(path, "SELECT entity_key, action, county_code FROM change_log ORDER BY seq"),
              (std::vector<std::string>{"early|insert|", "alice|insert|540425", "alice|logout|540425"}));
    EXPECT_FALSE(store->VerifyChangeLog()->first_bad.has_value());
    EXPECT_EQ(
        QueryRows(path, "SELECT count(*) FROM change_log WHERE coalesce(after_json, '') LIKE '%argon2%'"),
        std::vector<std::string>{"0"});
}

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
