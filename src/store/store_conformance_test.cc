// The Store contract, run against every adapter (SQLite today; PostgreSQL joins the list).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>

#include "core/codes.h"
#include "core/id_number.h"
#include "store/change_chain.h"
#include "store/procedure_json.h"
#include "store/row_diff.h"
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
    // A digest of the hash (for audit verify), never the hash: 128 bits of BLAKE2b, hex.
    EXPECT_EQ(after.at("password_digest").as_string().size(), 32u);
    EXPECT_EQ(after.size(), 6u) << log[0].after_json;
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

    // A procedure case is seen in its village's scope, a population setting only at the root.
    ProcedureCase pc;
    pc.kind = ProcedureKind::kExit;
    pc.household_code = "A";
    pc.division_code = "540425100201";
    pc.year = 2017;
    pc.state = "proposed";
    ASSERT_TRUE(store_->Begin());
    const int64_t id = store_->InsertCase(pc, kChange).value();  // seq 7
    ASSERT_TRUE(store_->PutPopulation({"540425100201", 2017, 900}, kChange));  // seq 8
    ASSERT_TRUE(store_->Commit());
    const std::string key = std::to_string(id) + ":insert";
    EXPECT_EQ(keys({.entity = "procedure_case", .division_prefix = "540425100201"}), (Keys{key}));
    EXPECT_EQ(keys({.entity = "procedure_case", .division_prefix = "540425"}), (Keys{key}));
    EXPECT_EQ(keys({.entity = "procedure_case", .division_prefix = "540425100200"}), Keys{});
    EXPECT_EQ(keys({.after_seq = 6, .division_prefix = "540425100201"}), (Keys{key}));
    EXPECT_EQ(keys({.after_seq = 6, .division_prefix = ""}).size(), 2u);
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

ProcedureCase MakeCase(ProcedureKind kind, const std::string& household_code, int year,
                       const std::string& division_code = "540425100201") {
    ProcedureCase c;
    c.kind = kind;
    c.household_code = household_code;
    c.division_code = division_code;
    c.year = year;
    c.state = "proposed";
    c.persons = 2;
    c.steps.push_back(
        {"propose", {year, 3, 1}, "tester", "2026-11-29T00:00:00Z", "passed", "", "", "proposed"});
    return c;
}

// The case as closed by its last step (one-step kinds end "done").
ProcedureCase Closed(ProcedureCase c, const std::string& state) {
    c.steps.push_back(
        {"record", {c.year, 4, 1}, "tester", "2026-11-29T01:00:00Z", "recorded", "", c.state, state});
    c.state = state;
    c.open = false;
    return c;
}

Evaluation MakeEvaluation(int year) {
    Evaluation e;
    e.year = year;
    e.division_code = "540425";
    e.seed = 18'446'744'073'709'551'615u;  // the largest: the JSON keeps it as a string
    e.population = 120;
    e.drawn_by = "county";
    e.drawn_at = "2026-11-29T00:00:00Z";
    e.items = {{"H1", "540425100201", Verdict::kPending, "", "", ""},
               {"H2", "540425100201", Verdict::kWrongful, "收入不达标", "inspector", "2026-11-30T00:00:00Z"}};
    return e;
}

TEST_P(StoreContract, FactsCarryWhatTheExitStandardNeeds) {
    Household h = MakeHousehold("F1", 1);
    h.identified_year = 2015;
    h.dangerous_housing = false;
    h.household_electricity = true;
    h.housing_area = 8050;
    Person child = h.members[1];
    child.name = "小扎西";
    child.id_number = MakeIdNumber("540425", {2008, 1, 2}, 91);
    child.relation = 3;
    child.birth_date = {2008, 1, 2};
    child.schooling = 3;  // in school
    Person out = child;
    out.name = "次仁";
    out.id_number = MakeIdNumber("540425", {2005, 12, 30}, 92);
    out.birth_date = {2005, 12, 30};
    out.schooling = codes::kSchoolingNone;
    h.members.insert(h.members.begin() + 1, child);
    h.members.push_back(out);
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertHousehold(h, kChange));
    ASSERT_TRUE(store_->Commit());
    auto scan = [&] {
        std::vector<HouseholdFacts> seen;
        EXPECT_TRUE(store_->ScanFacts({}, [&](const HouseholdFacts& f) {
            seen.push_back(f);
            return true;
        }));
        return seen;
    };
    auto seen = scan();
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0], FactsOf(h));
    EXPECT_EQ(seen[0].identified_year, 2015);
    EXPECT_EQ(seen[0].net_income_per_head, std::optional<Fen>(250050));
    EXPECT_EQ(seen[0].housing_area, std::optional<int64_t>(8050));
    EXPECT_EQ(seen[0].dangerous_housing, std::optional<bool>(false));
    EXPECT_EQ(seen[0].safe_water, std::optional<bool>(true));
    EXPECT_EQ(seen[0].household_electricity, std::optional<bool>(true));
    EXPECT_EQ(seen[0].out_of_school_birth_dates,
              (std::vector<Date>{{1970, 3, 5}, {1972, 8, 11}, {2005, 12, 30}}));
    // A filtered scan (the division index) reads the same.
    std::vector<HouseholdFacts> filtered;
    ASSERT_TRUE(store_->ScanFacts({"540425100201"}, [&](const HouseholdFacts& f) {
        filtered.push_back(f);
        return true;
    }));
    EXPECT_EQ(filtered, seen);

    Household changed = h;
    changed.members[1].schooling = codes::kSchoolingNone;  // left school
    changed.members.erase(changed.members.begin());
    changed.net_income_per_head.reset();
    changed.safe_water.reset();
    changed.housing_area = 1;
    changed.identified_year = 2016;
    auto before = store_->FindHousehold("F1").value().value();
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->UpdateHousehold(before, changed, kChange));
    ASSERT_TRUE(store_->Commit());
    seen = scan();
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0], FactsOf(changed));
    EXPECT_EQ(seen[0].out_of_school_birth_dates,
              (std::vector<Date>{{2008, 1, 2}, {1972, 8, 11}, {2005, 12, 30}}));
    EXPECT_FALSE(seen[0].net_income_per_head.has_value());
}

TEST_P(StoreContract, ParallelFactsScanVisitsEveryHouseholdOnce) {
    std::map<std::string, HouseholdFacts> expected;
    ASSERT_TRUE(store_->Begin());
    for (int i = 0; i < 1500; ++i) {
        Household h = MakeHousehold("P" + std::to_string(i), i);
        if (i % 3 == 0) h.division_code = "540425100200";
        if (i % 5 == 0) h.members[1].schooling = 4;
        h.identified_year = 2014 + i % 3;
        if (i % 4 == 1) {
            h.status = 1;
            h.exit_year = 2016;
        }
        if (i % 4 == 2) h.status = 3;
        ASSERT_TRUE(store_->InsertHousehold(h, kChange));
        expected[h.household_code] = FactsOf(h);
    }
    ASSERT_TRUE(store_->Commit());
    std::vector<std::vector<HouseholdFacts>> seen(3);
    ASSERT_TRUE(store_->ScanFactsParallel({}, 3, [&](int part, const HouseholdFacts& f) {
        seen.at(static_cast<size_t>(part)).push_back(f);
        return true;
    }));
    std::map<std::string, HouseholdFacts> all;
    size_t visits = 0;
    for (const auto& part : seen)
        for (const HouseholdFacts& f : part) {
            ++visits;
            all[f.household_code] = f;
        }
    EXPECT_EQ(visits, 1500u) << "a household was visited twice, or missed";
    EXPECT_EQ(all, expected);
    // Filtered by division.
    std::atomic<int> in_village = 0;
    ASSERT_TRUE(store_->ScanFactsParallel({"540425100200"}, 2, [&](int, const HouseholdFacts& f) {
        EXPECT_EQ(f.division_code, "540425100200");
        ++in_village;
        return true;
    }));
    EXPECT_EQ(in_village.load(), 500);
    // Filtered by status (in parallel, serially, and with a division): only those statuses.
    for (int parts : {1, 2}) {
        for (const std::string prefix : {"", "540425100200"}) {
            HouseholdFilter poor{prefix};
            poor.statuses = {0, 3};
            std::atomic<int> n = 0;
            ASSERT_TRUE(store_->ScanFactsParallel(poor, parts, [&](int, const HouseholdFacts& f) {
                EXPECT_TRUE(f.status == 0 || f.status == 3) << f.household_code;
                ++n;
                return true;
            }));
            int want = 0;
            for (const auto& [code, f] : expected)
                if ((f.status == 0 || f.status == 3) && f.division_code.starts_with(prefix)) ++want;
            EXPECT_EQ(n.load(), want) << parts << " parts, prefix " << prefix;
        }
    }
    // Stopping in one part stops the scan.
    int stopped_after = 0;
    std::mutex m;
    ASSERT_TRUE(store_->ScanFactsParallel({}, 2, [&](int, const HouseholdFacts&) {
        std::lock_guard lock(m);
        return ++stopped_after < 10;
    }));
    EXPECT_LT(stopped_after, 1500);
    // One part (or a small registry): everything as part 0.
    int serial = 0;
    ASSERT_TRUE(store_->ScanFactsParallel({}, 1, [&](int part, const HouseholdFacts&) {
        EXPECT_EQ(part, 0);
        ++serial;
        return true;
    }));
    EXPECT_EQ(serial, 1500);
}

TEST_P(StoreContract, DeleteHouseholdIsVersionGuardedAndLogged) {
    const Household h = MakeHousehold("D1", 1);
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertHousehold(h, kChange));
    ASSERT_TRUE(store_->InsertHousehold(MakeHousehold("D2", 2), kChange));
    ASSERT_TRUE(store_->Commit());
    const HouseholdRecord first = store_->FindHousehold("D1").value().value();
    Household changed = h;
    changed.phone = "13800000000";
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->UpdateHousehold(first, changed, kChange));
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(CodeOf(store_->DeleteHousehold(first, kChange)), "store.no_transaction");
    ASSERT_TRUE(store_->Begin());
    EXPECT_EQ(CodeOf(store_->DeleteHousehold(first, kChange)), "store.conflict") << "stale version";
    store_->Rollback();
    EXPECT_EQ(store_->CountHouseholds().value(), 2);

    const HouseholdRecord current = store_->FindHousehold("D1").value().value();
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->DeleteHousehold(current, kChange));
    ASSERT_TRUE(store_->Commit());
    EXPECT_FALSE(store_->FindHousehold("D1").value().has_value());
    EXPECT_EQ(store_->CountHouseholds().value(), 1);
    EXPECT_EQ(store_->CountPersons().value(), 2) << "its members went with it";
    EXPECT_EQ(store_->FindHouseholdOfIdNumber(h.members[0].id_number).value(), std::nullopt);
    ASSERT_TRUE(store_->Begin());
    EXPECT_EQ(CodeOf(store_->DeleteHousehold(current, kChange)), "store.conflict") << "already gone";
    store_->Rollback();

    auto log = store_->ChangeLog({.entity_key = "D1"}).value();
    ASSERT_EQ(log.size(), 3u);
    EXPECT_EQ(log[2].action, "delete");
    EXPECT_EQ(log[2].entity, "household");
    EXPECT_EQ(log[2].before_json, HouseholdToJson(changed));
    EXPECT_TRUE(log[2].after_json.empty());
    EXPECT_FALSE(store_->VerifyChangeLog()->first_bad.has_value());
    // Not deregistered (no closed deregistration case): the code may be registered again.
    EXPECT_FALSE(store_->IsDeregistered("D1").value());
    ASSERT_TRUE(store_->Begin());
    EXPECT_TRUE(store_->InsertHousehold(h, kChange));
    store_->Rollback();
}

TEST_P(StoreContract, DeregisteredCodeIsNeverRegisteredAgain) {
    const Household h = MakeHousehold("G1", 1);
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertHousehold(h, kChange));
    ProcedureCase c = MakeCase(ProcedureKind::kDeregistration, "G1", 2017);
    c.household = h;
    c.reason = "moved_away";
    const int64_t id = store_->InsertCase(c, kChange).value();
    // Other closed cases of the code do not count.
    ASSERT_TRUE(store_->InsertCase(Closed(MakeCase(ProcedureKind::kDeregistration, "G1", 2016), "rejected"),
                                   kChange));
    ASSERT_TRUE(store_->InsertCase(Closed(MakeCase(ProcedureKind::kFallback, "G1", 2016), "done"), kChange));
    ASSERT_TRUE(store_->Commit());
    EXPECT_FALSE(store_->IsDeregistered("G1").value()) << "the case is still open";
    const ProcedureCase stored = store_->FindCase(id).value().value();
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->UpdateCase(stored, Closed(stored, "done"), kChange));
    ASSERT_TRUE(store_->DeleteHousehold(store_->FindHousehold("G1").value().value(), kChange));
    ASSERT_TRUE(store_->Commit());
    EXPECT_TRUE(store_->IsDeregistered("G1").value());
    EXPECT_FALSE(store_->IsDeregistered("G2").value());

    ASSERT_TRUE(store_->Begin());
    auto again = store_->InsertHousehold(h, kChange);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, "store.deregistered");
    EXPECT_EQ(again.error().field, "household_code");
    EXPECT_EQ(CodeOf(store_->InsertHouseholdLogged(h, kChange, HouseholdToJson(h))), "store.deregistered");
    store_->Rollback();
    EXPECT_EQ(store_->CountHouseholds().value(), 0);
}

TEST_P(StoreContract, CasesInsertFindUpdateWithVersionsAndChangeLog) {
    ProcedureCase c = MakeCase(ProcedureKind::kNewIdentification, "N1", 2017);
    c.id = 99;  // ignored
    c.version = 7;
    c.household = MakeHousehold("N1", 1);
    c.notice_until = Date{2017, 3, 8};
    ASSERT_TRUE(store_->Begin());
    const int64_t id = store_->InsertCase(c, kChange).value();
    const int64_t id2 = store_->InsertCase(MakeCase(ProcedureKind::kExit, "H2", 2017), kChange).value();
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(id2, id + 1);
    EXPECT_FALSE(store_->FindCase(id2 + 1).value().has_value());
    const ProcedureCase found = store_->FindCase(id).value().value();
    ProcedureCase expected = c;
    expected.id = id;
    expected.version = 1;
    EXPECT_EQ(found, expected);

    ProcedureCase next = found;
    next.state = "appraised";
    next.notice_until.reset();
    next.exclusions = {"vehicle"};
    next.steps.push_back({"appraise",
                          {2017, 3, 2},
                          "officer",
                          "2026-11-29T02:00:00Z",
                          "passed",
                          "好",
                          "proposed",
                          "appraised"});
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->UpdateCase(found, next, kChange));
    ASSERT_TRUE(store_->Commit());
    const ProcedureCase updated = store_->FindCase(id).value().value();
    EXPECT_EQ(updated.version, 2);
    next.version = 2;
    EXPECT_EQ(updated, next);

    ASSERT_TRUE(store_->Begin());
    EXPECT_EQ(CodeOf(store_->UpdateCase(found, next, kChange)), "store.conflict");
    ProcedureCase missing = found;
    missing.id = 1000;
    EXPECT_EQ(CodeOf(store_->UpdateCase(missing, next, kChange)), "store.not_found");
    store_->Rollback();
    EXPECT_EQ(store_->FindCase(id).value().value(), updated);

    auto log = store_->ChangeLog({.entity = "procedure_case", .entity_key = std::to_string(id)}).value();
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0].action, "insert");
    EXPECT_EQ(log[0].after_json, ProcedureCaseToJson(expected));
    EXPECT_TRUE(log[0].before_json.empty());
    EXPECT_EQ(log[1].action, "update");
    EXPECT_EQ(log[1].before_json, ProcedureCaseToJson(expected));
    EXPECT_EQ(log[1].after_json, ProcedureCaseToJson(updated));
    EXPECT_EQ(ParseObject(log[1].after_json).at("kind").as_string(), "new_identification");
    EXPECT_FALSE(store_->VerifyChangeLog()->first_bad.has_value());
}

TEST_P(StoreContract, ListCasesHonoursEveryFilter) {
    ASSERT_TRUE(store_->Begin());
    std::vector<int64_t> ids;
    auto add = [&](const ProcedureCase& c) { ids.push_back(store_->InsertCase(c, kChange).value()); };
    add(MakeCase(ProcedureKind::kExit, "A", 2017));                                      // 0
    add(Closed(MakeCase(ProcedureKind::kExit, "B", 2017), "exited"));                    // 1
    add(MakeCase(ProcedureKind::kExit, "A", 2018));                                      // 2
    add(Closed(MakeCase(ProcedureKind::kFallback, "C", 2018, "540425100200"), "done"));  // 3
    add(MakeCase(ProcedureKind::kNewIdentification, "D", 2018, "540425200101"));         // 4
    add(MakeCase(ProcedureKind::kExit, "E", 2018, "5404251_0201"));                      // 5: '_' in the code
    ASSERT_TRUE(store_->Commit());
    auto list = [&](const CaseFilter& f) {
        std::vector<int64_t> out;
        const std::vector<ProcedureCase> cases = store_->ListCases(f).value();
        for (const ProcedureCase& c : cases) out.push_back(c.id);
        EXPECT_EQ(store_->CountCases(f).value(), static_cast<int64_t>(out.size()));
        return out;
    };
    auto pick = [&](std::initializer_list<int> which) {
        std::vector<int64_t> out;
        for (int i : which) out.push_back(ids[static_cast<size_t>(i)]);
        return out;
    };
    EXPECT_EQ(list({}), ids);
    EXPECT_EQ(list({.kind = ProcedureKind::kExit}), pick({0, 1, 2, 5}));
    EXPECT_EQ(list({.household_code = "A"}), pick({0, 2}));
    EXPECT_EQ(list({.division_prefix = "540425100"}), pick({0, 1, 2, 3}));
    EXPECT_EQ(list({.division_prefix = "540425100201"}), pick({0, 1, 2}));
    EXPECT_EQ(list({.division_prefix = "5404251_"}), pick({5})) << "'_' is a character, not a wildcard";
    EXPECT_EQ(list({.division_prefix = "540425%"}), std::vector<int64_t>{});
    EXPECT_EQ(list({.year = 2017}), pick({0, 1}));
    EXPECT_EQ(list({.open = true}), pick({0, 2, 4, 5}));
    EXPECT_EQ(list({.open = false}), pick({1, 3}));
    EXPECT_EQ(list({.state = "done"}), pick({3}));
    EXPECT_EQ(list({.kind = ProcedureKind::kExit, .household_code = "A", .year = 2018, .open = true}),
              pick({2}));
    EXPECT_EQ(list({.kind = ProcedureKind::kBufferEnd}), std::vector<int64_t>{});
    // Paging: ordered by id; the count ignores offset and limit.
    const CaseFilter page{.offset = 2, .limit = 3};
    std::vector<int64_t> paged;
    const std::vector<ProcedureCase> page_cases = store_->ListCases(page).value();
    for (const ProcedureCase& c : page_cases) paged.push_back(c.id);
    EXPECT_EQ(paged, pick({2, 3, 4}));
    EXPECT_EQ(store_->CountCases(page).value(), 6);
    EXPECT_EQ(store_->CountCases({.open = true, .offset = 3, .limit = 1}).value(), 4);
    EXPECT_EQ(store_->ListCases({.offset = 10}).value().size(), 0u);
    // What is listed is the whole case.
    EXPECT_EQ(store_->ListCases({.state = "exited"}).value().at(0), store_->FindCase(ids[1]).value().value());
}

TEST_P(StoreContract, PopulationIsPutReplacedAndLogged) {
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->PutPopulation({"540425100", 2017, 5000}, kChange));
    ASSERT_TRUE(store_->PutPopulation({"540425", 2017, 30000}, kChange));
    ASSERT_TRUE(store_->PutPopulation({"540425", 2016, 29000}, kChange));
    ASSERT_TRUE(store_->PutPopulation({"540425", 2017, 31000}, kChange));  // replaces
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(store_->ListPopulation().value(),
              (std::vector<PopulationSetting>{
                  {"540425", 2016, 29000}, {"540425", 2017, 31000}, {"540425100", 2017, 5000}}));
    auto log = store_->ChangeLog({.entity = "population", .entity_key = "540425/2017"}).value();
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0].action, "insert");
    EXPECT_TRUE(log[0].before_json.empty());
    EXPECT_EQ(log[1].action, "update");
    EXPECT_EQ(ParseObject(log[1].before_json).at("rural_population").as_int64(), 30000);
    EXPECT_EQ(ParseObject(log[1].after_json).at("rural_population").as_int64(), 31000);
    EXPECT_EQ(ParseObject(log[1].after_json).at("code").as_string(), "540425");
    EXPECT_EQ(ParseObject(log[1].after_json).at("year").as_int64(), 2017);
    EXPECT_FALSE(store_->VerifyChangeLog()->first_bad.has_value());
}

TEST_P(StoreContract, EvaluationsInsertFindUpdateAndList) {
    ASSERT_TRUE(store_->Begin());
    const int64_t id = store_->InsertEvaluation(MakeEvaluation(2018), kChange).value();
    const int64_t id2 = store_->InsertEvaluation(MakeEvaluation(2019), kChange).value();
    ASSERT_TRUE(store_->Commit());
    Evaluation expected = MakeEvaluation(2018);
    expected.id = id;
    expected.version = 1;
    const Evaluation found = store_->FindEvaluation(id).value().value();
    EXPECT_EQ(found, expected);
    EXPECT_FALSE(store_->FindEvaluation(id2 + 1).value().has_value());

    Evaluation next = found;
    next.items[0].verdict = Verdict::kCorrect;
    next.items[0].recorded_by = "inspector";
    next.approval_surveyed = 100;
    next.approval_satisfied = 95;
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->UpdateEvaluation(found, next, kChange));
    EXPECT_EQ(CodeOf(store_->UpdateEvaluation(found, next, kChange)), "store.conflict");
    Evaluation missing = found;
    missing.id = 77;
    EXPECT_EQ(CodeOf(store_->UpdateEvaluation(missing, next, kChange)), "store.not_found");
    ASSERT_TRUE(store_->Commit());
    next.version = 2;
    EXPECT_EQ(store_->FindEvaluation(id).value().value(), next);
    auto all = store_->ListEvaluations().value();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0], next);
    EXPECT_EQ(all[1].id, id2);
    EXPECT_EQ(all[1].year, 2019);

    auto log = store_->ChangeLog({.entity = "evaluation"}).value();
    ASSERT_EQ(log.size(), 3u);
    EXPECT_EQ(log[0].entity_key, std::to_string(id));
    EXPECT_EQ(log[0].after_json, EvaluationToJson(expected));
    EXPECT_EQ(log[2].action, "update");
    EXPECT_EQ(log[2].before_json, EvaluationToJson(expected));
    EXPECT_EQ(log[2].after_json, EvaluationToJson(next));
    EXPECT_EQ(ParseObject(log[2].after_json).at("seed").as_string(), "18446744073709551615");
    EXPECT_FALSE(store_->VerifyChangeLog()->first_bad.has_value());
}

TEST_P(StoreContract, AdjustmentApprovalIsOnePerYearAndCounty) {
    const AdjustmentApproval a{
        2018, "540425", "county", "2026-11-29T00:00:00Z", {2018, 12, 20}, "同意", R"({"total":{"exits":3}})"};
    EXPECT_FALSE(store_->FindAdjustmentApproval(2018, "540425").value().has_value());
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertAdjustmentApproval(a, kChange));
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(store_->FindAdjustmentApproval(2018, "540425").value(), std::optional<AdjustmentApproval>(a));
    EXPECT_FALSE(store_->FindAdjustmentApproval(2019, "540425").value().has_value());
    EXPECT_FALSE(store_->FindAdjustmentApproval(2018, "540426").value().has_value());
    ASSERT_TRUE(store_->Begin());
    AdjustmentApproval again = a;
    again.notes = "再次";
    EXPECT_EQ(CodeOf(store_->InsertAdjustmentApproval(again, kChange)), "store.duplicate");
    store_->Rollback();
    ASSERT_TRUE(store_->Begin());
    AdjustmentApproval next_year = a;
    next_year.year = 2019;
    next_year.summary_json = "not json";
    ASSERT_TRUE(store_->InsertAdjustmentApproval(next_year, kChange));
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(store_->FindAdjustmentApproval(2018, "540425").value()->notes, "同意");
    auto log = store_->ChangeLog({.entity = "adjustment"}).value();
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0].entity_key, "2018");
    EXPECT_EQ(log[0].action, "insert");
    const boost::json::object o = ParseObject(log[0].after_json);
    EXPECT_EQ(o.at("approved_on").as_string(), "2018-12-20");
    EXPECT_EQ(o.at("summary").at("total").at("exits").as_int64(), 3);
    EXPECT_EQ(ParseObject(log[1].after_json).at("summary").as_string(), "not json");
    EXPECT_FALSE(store_->VerifyChangeLog()->first_bad.has_value());
}

// Every kind of logged write leaves rows that the replay finds equal to the log.
TEST_P(StoreContract, ReplayFindsEveryRowEqualToItsLastEntry) {
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->SavePlan("p1", "id = \"p1\"", kChange));
    ASSERT_TRUE(store_->SavePlan("p2", "id = \"p2\"", kChange));
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(store_->InsertHousehold(MakeHousehold("R" + std::to_string(i), i), kChange));
    ASSERT_TRUE(store_->Commit());
    ASSERT_TRUE(store_->Begin());
    const HouseholdRecord r0 = store_->FindHousehold("R0").value().value();
    Household changed = r0.household;
    changed.net_income_per_head = 999999;
    changed.members.pop_back();
    ASSERT_TRUE(store_->UpdateHousehold(r0, changed, kChange));
    ASSERT_TRUE(store_->DeleteHousehold(store_->FindHousehold("R1").value().value(), kChange));
    const int64_t case_id = store_->InsertCase(MakeCase(ProcedureKind::kExit, "R2", 2017), kChange).value();
    ProcedureCase c = store_->FindCase(case_id).value().value();
    ProcedureCase next = c;
    next.state = "done";
    next.open = false;
    ASSERT_TRUE(store_->UpdateCase(c, next, kChange));
    ASSERT_TRUE(store_->PutPopulation({"540425", 2016, 30000}, kChange));
    ASSERT_TRUE(store_->PutPopulation({"540425", 2016, 31000}, kChange));
    const int64_t eval_id = store_->InsertEvaluation(MakeEvaluation(2018), kChange).value();
    ASSERT_TRUE(store_->InsertAdjustmentApproval(
        {2018, "540425", "county", "2026-11-29T00:00:00Z", {2018, 12, 20}, "同意", R"({"total":{"exits":3}})"},
        kChange));
    const int64_t account_id = store_->InsertAccount(MakeAccount("wang"), kChange).value();
    Account a = store_->FindAccountById(account_id).value().value();
    Account b = a;
    b.password_hash = kHash2;
    b.role = "viewer";
    ASSERT_TRUE(store_->UpdateAccount(a, b, kChange));
    ASSERT_TRUE(store_->SetLoginState(account_id, 3, "2026-11-29T01:00:00Z"));  // not a logged state
    ASSERT_TRUE(store_->RecordEvent("account", "wang", "login_failed", "{}", kChange));
    ASSERT_TRUE(store_->Commit());
    (void)eval_id;
    auto v = store_->VerifyChangeLog();
    ASSERT_TRUE(v);
    EXPECT_TRUE(v->intact());
    EXPECT_TRUE(v->rows_checked);
    for (const RowMismatch& m : v->mismatches) ADD_FAILURE() << m.code << " " << m.entity << " " << m.entity_key;
    // 2 households, 1 case, 1 population, 1 evaluation, 1 approval, 1 account, the plan.
    EXPECT_EQ(v->rows, 8);
    const ChainHead head = store_->Head().value();
    EXPECT_EQ(head.seq, v->last_seq);
    EXPECT_EQ(head.hash, v->last_hash);
    auto anchored = store_->Verify({.rows = false, .anchor = head});
    ASSERT_TRUE(anchored);
    EXPECT_EQ(anchored->anchor_found, std::optional<bool>(true));
    EXPECT_FALSE(anchored->rows_checked);
    auto wrong_seq = store_->Verify({.rows = false, .anchor = ChainHead{head.seq - 1, head.hash}});
    EXPECT_EQ(wrong_seq->anchor_found, std::optional<bool>(false));
    EXPECT_FALSE(wrong_seq->intact());
    EXPECT_EQ(CodeOf(store_->Verify({.rows = false, .anchor = ChainHead{0, "xyz"}})), "audit.head");
}

TEST_P(StoreContract, DynamicWritesOutsideATransactionAreRefused) {
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertHousehold(MakeHousehold("W1", 1), kChange));
    const int64_t case_id = store_->InsertCase(MakeCase(ProcedureKind::kExit, "W1", 2017), kChange).value();
    const int64_t eval_id = store_->InsertEvaluation(MakeEvaluation(2018), kChange).value();
    ASSERT_TRUE(store_->Commit());
    const HouseholdRecord h = store_->FindHousehold("W1").value().value();
    const ProcedureCase c = store_->FindCase(case_id).value().value();
    const Evaluation e = store_->FindEvaluation(eval_id).value().value();
    const std::vector<std::pair<std::string, std::function<std::string()>>> writes = {
        {"DeleteHousehold", [&] { return CodeOf(store_->DeleteHousehold(h, kChange)); }},
        {"InsertCase", [&] { return CodeOf(store_->InsertCase(c, kChange)); }},
        {"UpdateCase", [&] { return CodeOf(store_->UpdateCase(c, Closed(c, "exited"), kChange)); }},
        {"PutPopulation",
         [&] {
             return CodeOf(store_->PutPopulation({"540425", 2017, 1}, kChange));
         }},
        {"InsertEvaluation", [&] { return CodeOf(store_->InsertEvaluation(e, kChange)); }},
        {"UpdateEvaluation", [&] { return CodeOf(store_->UpdateEvaluation(e, e, kChange)); }},
        {"InsertAdjustmentApproval",
         [&] {
             return CodeOf(
                 store_->InsertAdjustmentApproval({2018, "540425", "c", "t", {2018, 1, 1}, "", ""}, kChange));
         }},
    };
    const int64_t seq = store_->LastChangeSeq().value();
    for (const auto& [name, write] : writes) EXPECT_EQ(write(), "store.no_transaction") << name;
    EXPECT_EQ(store_->LastChangeSeq().value(), seq);
    EXPECT_EQ(store_->CountHouseholds().value(), 1);
    EXPECT_EQ(store_->CountCases({}).value(), 1);
    EXPECT_EQ(store_->FindCase(case_id).value().value(), c);
    EXPECT_TRUE(store_->ListPopulation().value().empty());
    EXPECT_EQ(store_->ListEvaluations().value().size(), 1u);
    EXPECT_FALSE(store_->FindAdjustmentApproval(2018, "540425").value().has_value());
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
    EXPECT_EQ((*created)->schema_version(), 4);
    created->reset();
    auto exists = OpenSqliteStore(path, OpenMode::kCreate);
    ASSERT_FALSE(exists);
    EXPECT_EQ(exists.error().code, "store.exists");
    auto reopened = OpenSqliteStore(path, OpenMode::kExisting);
    ASSERT_TRUE(reopened);
    EXPECT_EQ((*reopened)->schema_version(), 4);
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

// A registry of four households, its chain verified, for the tampering tests below.
std::string MakeTamperDatabase() {
    const std::string path = TempPath("rows.db");
    auto store = OpenSqliteStore(path, OpenMode::kCreate).value();
    EXPECT_TRUE(store->Begin());
    EXPECT_TRUE(store->SaveOrgUnits(SmallTree(), kChange));
    for (int i = 0; i < 4; ++i) EXPECT_TRUE(store->InsertHousehold(MakeHousehold("T" + std::to_string(i), i), kChange));
    EXPECT_TRUE(store->Commit());
    EXPECT_TRUE(store->Begin());
    const HouseholdRecord t3 = store->FindHousehold("T3").value().value();
    Household changed = t3.household;
    changed.net_income_per_head = 123456;
    EXPECT_TRUE(store->UpdateHousehold(t3, changed, kChange));
    EXPECT_TRUE(store->Commit());
    EXPECT_TRUE(store->VerifyChangeLog()->intact());
    return path;
}

void ExecOn(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << sql << ": " << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
}

std::string Describe(const RowMismatch& m) {
    std::string out = m.code + " " + m.entity + " " + m.entity_key + " " + std::to_string(m.seq);
    for (const std::string& f : m.fields) out += " " + f;
    return out;
}

TEST(SqliteStore, RowsEditedOutsideTheProgramAreFoundByTheReplay) {
    struct Case {
        std::string sql;
        std::vector<std::string> expected;  // Describe() of each mismatch, in order
    };
    const std::vector<Case> cases{
        {"UPDATE household SET net_income_per_head = 1 WHERE household_code = 'T0'",
         {"audit.row_mismatch household T0 2 net_income_per_head"}},
        {"UPDATE person SET name = '某某', relation = 3 WHERE ordinal = 1 AND household_id ="
         " (SELECT id FROM household WHERE household_code = 'T1')",
         {"audit.row_mismatch household T1 3 members[1].name members[1].relation"}},
        {"UPDATE household SET persons = 9, out_of_school_birth_dates = '' WHERE household_code = 'T2'",
         {"audit.row_derived household T2 0 persons out_of_school_birth_dates"}},
        // The last entry (T3's update) removed: the chain still verifies, the row does not.
        {"DELETE FROM change_log WHERE seq = 6", {"audit.row_mismatch household T3 5 net_income_per_head"}},
        {"PRAGMA foreign_keys = ON; DELETE FROM household WHERE household_code = 'T0'",
         {"audit.row_missing household T0 2"}},
        {"UPDATE household SET household_code = 'T9' WHERE household_code = 'T0'",
         {"audit.row_unlogged household T9 0", "audit.row_missing household T0 2"}},
        {"DELETE FROM person WHERE ordinal = 1 AND household_id = (SELECT id FROM household WHERE"
         " household_code = 'T0')",
         {"audit.row_derived household T0 0 persons out_of_school_birth_dates",
          "audit.row_mismatch household T0 2 members[1]"}},
    };
    for (const Case& c : cases) {
        const std::string path = MakeTamperDatabase();
        ExecOn(path, c.sql);
        auto v = OpenSqliteStore(path, OpenMode::kExisting).value()->VerifyChangeLog();
        ASSERT_TRUE(v) << c.sql;
        EXPECT_FALSE(v->first_bad.has_value()) << c.sql;
        EXPECT_FALSE(v->intact()) << c.sql;
        std::vector<std::string> found;
        for (const RowMismatch& m : v->mismatches) found.push_back(Describe(m));
        EXPECT_EQ(found, c.expected) << c.sql;
        EXPECT_EQ(v->mismatch_count, static_cast<int64_t>(c.expected.size()));
    }
}

// An attacker who edits an early entry and recomputes every hash after it (the hash is public, not
// keyed) leaves a valid chain; the head anchored before the edit no longer matches.
TEST(SqliteStore, ARewrittenChainFailsTheAnchoredHead) {
    const std::string path = MakeTamperDatabase();
    const ChainHead anchor = OpenSqliteStore(path, OpenMode::kExisting).value()->Head().value();
    EXPECT_EQ(anchor.seq, 6);
    ExecOn(path, "UPDATE change_log SET actor = 'someone else' WHERE seq = 2");
    {
        // Recompute the chain from entry 1, as the attacker would.
        sqlite3* db = nullptr;
        ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
        sqlite3_stmt* st = nullptr;
        ASSERT_EQ(sqlite3_prepare_v2(db,
                                     "SELECT seq, at, actor, county_code, entity, entity_key, action, before_json,"
                                     " after_json, import_id FROM change_log ORDER BY seq",
                                     -1, &st, nullptr),
                  SQLITE_OK);
        ChainHash previous{};
        std::vector<std::pair<int64_t, ChainHash>> hashes;
        auto text = [&](int i) -> std::optional<std::string_view> {
            const unsigned char* t = sqlite3_column_text(st, i);
            if (!t) return std::nullopt;
            return std::string_view(reinterpret_cast<const char*>(t), sqlite3_column_bytes(st, i));
        };
        while (sqlite3_step(st) == SQLITE_ROW) {
            ChainEntry e;
            e.seq = sqlite3_column_int64(st, 0);
            e.at = *text(1);
            e.actor = *text(2);
            e.county_code = *text(3);
            e.entity = *text(4);
            e.entity_key = *text(5);
            e.action = *text(6);
            e.before_json = text(7);
            e.after_json = text(8);
            if (sqlite3_column_type(st, 9) != SQLITE_NULL) e.import_id = sqlite3_column_int64(st, 9);
            previous = HashEntry(previous, e);
            hashes.emplace_back(e.seq, previous);
        }
        sqlite3_finalize(st);
        ASSERT_EQ(sqlite3_prepare_v2(db, "UPDATE change_log SET hash = ?2 WHERE seq = ?1", -1, &st, nullptr),
                  SQLITE_OK);
        for (auto& [seq, hash] : hashes) {
            sqlite3_bind_int64(st, 1, seq);
            sqlite3_bind_blob(st, 2, hash.data(), static_cast<int>(hash.size()), SQLITE_TRANSIENT);
            EXPECT_EQ(sqlite3_step(st), SQLITE_DONE);
            sqlite3_reset(st);
        }
        sqlite3_finalize(st);
        sqlite3_close(db);
    }
    auto store = OpenSqliteStore(path, OpenMode::kExisting).value();
    auto plain = store->VerifyChangeLog().value();
    EXPECT_TRUE(plain.intact());  // the chain and the rows alone cannot tell
    auto anchored = store->Verify({.rows = true, .anchor = anchor}).value();
    EXPECT_EQ(anchored.anchor_found, std::optional<bool>(false));
    EXPECT_FALSE(anchored.intact());
}

TEST(SqliteStore, BackupIsACheckedCopyAndRestoreKeepsTheOldFile) {
    const std::string path = MakeTamperDatabase();
    const std::string backup = TempPath("backup.db");
    auto b = BackupSqlite(path, backup);
    ASSERT_TRUE(b) << b.error().message_en;
    EXPECT_TRUE(b->audit.intact());
    EXPECT_TRUE(b->integrity_problems.empty());
    EXPECT_GT(b->bytes, 0);
    EXPECT_EQ(b->audit.last_hash, OpenSqliteStore(path, OpenMode::kExisting).value()->Head().value().hash);
    EXPECT_FALSE(fs::exists(backup + ".tmp-" + std::to_string(::getpid())));
    // Restored over a database that has since changed: the old one is kept as .bak.
    {
        auto store = OpenSqliteStore(path, OpenMode::kExisting).value();
        ASSERT_TRUE(store->Begin());
        ASSERT_TRUE(store->InsertHousehold(MakeHousehold("T8", 8), kChange));
        ASSERT_TRUE(store->Commit());
    }
    EXPECT_EQ(CodeOf(RestoreSqlite(backup, path, false)), "store.exists");
    auto r = RestoreSqlite(backup, path, true);
    ASSERT_TRUE(r) << r.error().message_en;
    EXPECT_TRUE(r->restored);
    EXPECT_EQ(r->households, 4);
    EXPECT_EQ(r->kept, path + ".bak");
    EXPECT_EQ(OpenSqliteStore(path, OpenMode::kExisting).value()->CountHouseholds().value(), 4);
    EXPECT_EQ(OpenSqliteStore(path + ".bak", OpenMode::kExisting).value()->CountHouseholds().value(), 5);
    // A backup whose rows were edited is not put in place.
    ExecOn(backup, "UPDATE household SET net_income_per_head = 1 WHERE household_code = 'T0'");
    const std::string fresh = TempPath("fresh.db");
    auto refused = RestoreSqlite(backup, fresh, false);
    ASSERT_TRUE(refused);
    EXPECT_FALSE(refused->restored);
    EXPECT_EQ(refused->audit.mismatch_count, 1);
    EXPECT_FALSE(fs::exists(fresh));
    EXPECT_EQ(CodeOf(BackupSqlite(TempPath("none.db"), backup)), "store.missing");
    EXPECT_EQ(CodeOf(RestoreSqlite(TempPath("none.db"), fresh, false)), "store.missing");
}

TEST(RowDiff, NamesTopLevelKeysAndArrayElements) {
    EXPECT_EQ(DiffJsonFields(R"({"a":1,"b":[{"x":1,"y":2},{"x":3}],"c":[1,2]})",
                             R"({"a":2,"b":[{"x":1,"y":3}],"c":[1,3],"d":null})"),
              (std::vector<std::string>{"a", "b[0].y", "b[1]", "c"}));
    EXPECT_EQ(DiffJsonFields(R"({"a":1})", R"({"a":1,"e":0})"), std::vector<std::string>{"e"});
    EXPECT_EQ(DiffJsonFields("id = 1", "id = 2"), std::vector<std::string>{"value"});
    EXPECT_TRUE(DiffJsonFields("id = 1", "id = 1").empty());
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
    ASSERT_EQ(indexes, 9);  // the five the bulk load drops, session_account and three on procedure_case
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

// The columns of a table on a connection, comma-separated.
std::string ColumnsOf(sqlite3* db, const std::string& table) {
    sqlite3_stmt* st = nullptr;
    std::string out;
    EXPECT_EQ(sqlite3_prepare_v2(db, ("PRAGMA main.table_info(" + table + ")").c_str(), -1, &st, nullptr),
              SQLITE_OK);
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        if (!out.empty()) out += ", ";
        out += reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    return out;
}

// A database as version `version` of the program left it: the schema of migrations up to it, a
// registry, an import and a chained change log (its rows written by the current store and copied
// over unchanged, in the columns the old schema has: a log entry's fields and hash do not depend
// on the schema version). `source_path` receives the database the rows came from.
std::string MakeOldDatabase(const std::string& name, int version, ChainVerification& chain,
                            const std::vector<Household>& extra = {}, std::string* source_path = nullptr) {
    const std::string source = TempPath(name + "-source.db");
    if (source_path) *source_path = source;
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
        if (!extra.empty()) {
            EXPECT_TRUE(store->Begin());
            for (const Household& h : extra) EXPECT_TRUE(store->InsertHousehold(h, kChange));
            EXPECT_TRUE(store->Commit());
        }
        chain = store->VerifyChangeLog().value();
    }
    const std::string path = TempPath(name + "-v" + std::to_string(version) + ".db");
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    Exec(db, "BEGIN");
    for (int v = 0; v < version; ++v) Exec(db, std::string(sqlite_schema::kMigrations[v]));
    Exec(db, "ATTACH DATABASE '" + source + "' AS source");
    for (const char* table :
         {"setting", "plan", "org_unit", "org_unit_name", "import", "household", "person", "change_log"}) {
        const std::string columns = ColumnsOf(db, table);
        Exec(db, std::string("INSERT INTO main.") + table + " (" + columns + ") SELECT " + columns +
                     " FROM source." + table);
    }
    Exec(db, "COMMIT");
    Exec(db, "DETACH DATABASE source");
    Exec(db, "PRAGMA user_version=" + std::to_string(version));
    sqlite3_close(db);
    return path;
}

std::string MakeVersion1Database(const std::string& name, ChainVerification& chain) {
    return MakeOldDatabase(name, 1, chain);
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
    EXPECT_EQ((*store)->schema_version(), 4);
    EXPECT_EQ(QueryRows(path, "PRAGMA user_version"), std::vector<std::string>{"4"});
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

// A version-2 database (before dynamic management) gains the tables and the out-of-school facts,
// computed from its persons exactly as the store computes them on a write.
TEST(SqliteStore, Version2DatabaseIsMigratedWithOutOfSchoolDatesBackfilled) {
    Household mixed = MakeHousehold("M1", 11);
    mixed.members[0].schooling = codes::kSchoolingNone;
    Person pupil = mixed.members[1];
    pupil.name = "小卓玛";
    pupil.id_number = MakeIdNumber("540425", {2009, 6, 1}, 93);
    pupil.birth_date = {2009, 6, 1};
    pupil.schooling = 3;
    Person baby = pupil;
    baby.name = "小次仁";
    baby.id_number = MakeIdNumber("540425", {2016, 1, 9}, 94);
    baby.birth_date = {2016, 1, 9};
    baby.schooling.reset();
    mixed.members.insert(mixed.members.begin() + 1, pupil);
    mixed.members.push_back(baby);
    Household students = MakeHousehold("M2", 12);
    for (Person& p : students.members) p.schooling = 5;
    ChainVerification chain;
    std::string source;
    const std::string path = MakeOldDatabase("migrate2", 2, chain, {mixed, students}, &source);
    ASSERT_EQ(chain.entries, 8);
    ASSERT_EQ(QueryRows(path, "PRAGMA user_version"), std::vector<std::string>{"2"});
    const char* kFacts =
        "SELECT household_code, out_of_school_birth_dates FROM household ORDER BY household_code";
    const std::vector<std::string> written = QueryRows(source, kFacts);
    const char* kLog =
        "SELECT seq, at, actor, county_code, entity, entity_key, action, before_json, after_json, import_id,"
        " hex(hash) FROM change_log ORDER BY seq";
    const std::vector<std::string> v2_log = QueryRows(path, kLog);

    auto store = OpenSqliteStore(path, OpenMode::kExisting);
    ASSERT_TRUE(store) << store.error().ToString();
    EXPECT_EQ((*store)->schema_version(), 4);
    EXPECT_EQ(QueryRows(path, "PRAGMA user_version"), std::vector<std::string>{"4"});
    EXPECT_EQ(QueryRows(path, kFacts), written) << "backfilled as a write computes it";
    EXPECT_EQ(QueryRows(path,
                        "SELECT out_of_school_birth_dates FROM household WHERE household_code IN ('M1', 'M2')"
                        " ORDER BY household_code"),
              (std::vector<std::string>{"19700305,19720811,20160109", ""}));
    EXPECT_EQ(QueryRows(path, kLog), v2_log) << "the log is untouched";
    auto v = (*store)->VerifyChangeLog().value();
    EXPECT_EQ(v.entries, chain.entries);
    EXPECT_FALSE(v.first_bad.has_value());
    EXPECT_EQ(v.last_hash, chain.last_hash);
    EXPECT_EQ(QueryRows(path, "PRAGMA foreign_key_check"), std::vector<std::string>{});
    EXPECT_EQ(QueryRows(path, "PRAGMA integrity_check"), std::vector<std::string>{"ok"});
    // Every household's stored facts are those of the household.
    int scanned = 0;
    ASSERT_TRUE((*store)->ScanFacts({}, [&](const HouseholdFacts& f) {
        auto h = (*store)->FindHousehold(f.household_code).value();
        EXPECT_TRUE(h.has_value());
        if (h) EXPECT_EQ(f, FactsOf(h->household)) << f.household_code;
        ++scanned;
        return true;
    }));
    EXPECT_EQ(scanned, 5);

    // The new tables work, and the chain goes on.
    ASSERT_TRUE((*store)->Begin());
    const int64_t id = (*store)->InsertCase(MakeCase(ProcedureKind::kExit, "M1", 2017), kChange).value();
    ASSERT_TRUE((*store)->PutPopulation({"540425", 2017, 30000}, kChange));
    ASSERT_TRUE((*store)->InsertEvaluation(MakeEvaluation(2017), kChange));
    ASSERT_TRUE(
        (*store)->InsertAdjustmentApproval({2017, "540425", "c", "t", {2017, 12, 1}, "", "{}"}, kChange));
    ASSERT_TRUE((*store)->Commit());
    EXPECT_EQ((*store)->FindCase(id).value().value().household_code, "M1");
    v = (*store)->VerifyChangeLog().value();
    EXPECT_EQ(v.entries, chain.entries + 4);
    EXPECT_FALSE(v.first_bad.has_value());
    store->reset();
    auto again = OpenSqliteStore(path, OpenMode::kExisting);
    ASSERT_TRUE(again);
    EXPECT_EQ((*again)->schema_version(), 4);
    EXPECT_EQ((*again)->VerifyChangeLog().value().entries, chain.entries + 4);
}

// A case whose stored body cannot be read is reported, not returned half-read.
TEST(SqliteStore, DamagedCaseBodyIsReportedAsCorrupt) {
    const std::string path = TempPath("case-body.db");
    auto store = OpenSqliteStore(path, OpenMode::kCreate).value();
    ASSERT_TRUE(store->Begin());
    const int64_t id = store->InsertCase(MakeCase(ProcedureKind::kExit, "H1", 2017), kChange).value();
    ASSERT_TRUE(store->Commit());
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    Exec(db, "UPDATE procedure_case SET body_json = '{\"id\": 1}'");
    sqlite3_close(db);
    EXPECT_EQ(CodeOf(store->FindCase(id)), "store.corrupt");
    EXPECT_EQ(CodeOf(store->ListCases({})), "store.corrupt");
}

TEST(ProcedureJson, CaseHasTheDocumentedShape) {
    ProcedureCase c = MakeCase(ProcedureKind::kMemberChange, "H1", 2017);
    c.id = 12;
    c.version = 3;
    c.member_change = 21;
    c.member_id_number = "540425197003050013";
    const boost::json::object o = ParseObject(ProcedureCaseToJson(c));
    std::vector<std::string> keys;
    for (const auto& kv : o) keys.emplace_back(kv.key());
    EXPECT_EQ(keys,
              (std::vector<std::string>{"id", "version", "kind", "household_code", "division_code", "year",
                                        "state", "open", "persons", "steps", "household", "exclusions",
                                        "reason", "notice_until", "member_change", "member_id_number"}));
    EXPECT_EQ(o.at("kind").as_string(), "member_change");
    EXPECT_TRUE(o.at("household").is_null());
    EXPECT_TRUE(o.at("notice_until").is_null());
    EXPECT_EQ(o.at("member_change").as_int64(), 21);
    EXPECT_EQ(o.at("steps").at(0).at("date").as_string(), "2017-03-01");
    EXPECT_EQ(o.at("steps").at(0).at("to_state").as_string(), "proposed");
    c.household = MakeHousehold("H\"1", 1);
    c.household->pairing_cadre = ",\"household\":null";
    c.reason = ",\"household\":null";
    const std::string json = ProcedureCaseToJson(c);
    const boost::json::object with = ParseObject(json);
    EXPECT_EQ(with.at("household").at("household_code").as_string(), "H\"1");
    EXPECT_EQ(with.at("reason").as_string(), ",\"household\":null");
    EXPECT_EQ(ProcedureCaseFromJson(json).value(), c);
    // Keys the API adds are ignored.
    boost::json::object api = with;
    api["kind_zh"] = "成员变更";
    api["next_step"] = nullptr;
    api["allowed_steps"] = boost::json::array{"record"};
    EXPECT_EQ(ProcedureCaseFromJson(boost::json::serialize(api)).value(), c);
}

TEST(ProcedureJson, MalformedCasesAreRefusedNamingTheField) {
    const boost::json::object good =
        ParseObject(ProcedureCaseToJson(MakeCase(ProcedureKind::kExit, "H1", 2017)));
    auto field_of = [&](const std::function<void(boost::json::object&)>& change) {
        boost::json::object o = good;
        change(o);
        auto r = ProcedureCaseFromJson(boost::json::serialize(o));
        EXPECT_FALSE(r);
        return r ? std::string("(accepted)") : r.error().field;
    };
    EXPECT_EQ(field_of([](auto& o) { o["kind"] = "holiday"; }), "kind");
    EXPECT_EQ(field_of([](auto& o) { o.erase("state"); }), "state");
    EXPECT_EQ(field_of([](auto& o) { o["year"] = "2017"; }), "year");
    EXPECT_EQ(field_of([](auto& o) { o["year"] = 2017.5; }), "year");
    EXPECT_EQ(field_of([](auto& o) { o["persons"] = int64_t{1} << 40; }), "persons");
    EXPECT_EQ(field_of([](auto& o) { o["open"] = 1; }), "open");
    EXPECT_EQ(field_of([](auto& o) { o["notice_until"] = "2017-02-30"; }), "notice_until");
    EXPECT_EQ(field_of([](auto& o) { o["notice_until"] = "20170301"; }), "notice_until");
    EXPECT_EQ(field_of([](auto& o) { o["household"] = "x"; }), "household");
    EXPECT_EQ(field_of([](auto& o) {
                  o["household"] = boost::json::object{{"household_code", "H1"}};
              }),
              "division_code");
    EXPECT_EQ(field_of([](auto& o) { o["exclusions"] = boost::json::array{1}; }), "exclusions");
    EXPECT_EQ(field_of([](auto& o) { o["steps"].as_array()[0].as_object().erase("actor"); }), "actor");
    EXPECT_EQ(field_of([](auto& o) { o["steps"] = boost::json::array{1}; }), "steps");
    EXPECT_EQ(CodeOf(ProcedureCaseFromJson("[1]")), "json.invalid");
    EXPECT_EQ(CodeOf(ProcedureCaseFromJson("{\"id\":")), "json.invalid");
}

TEST(ProcedureJson, EvaluationRoundTripsWithTheSeedAsAString) {
    Evaluation e = MakeEvaluation(2018);
    e.id = 4;
    e.version = 2;
    e.non_poor_surveyed = 300;
    e.missed_found = 1;
    const std::string json = EvaluationToJson(e);
    const boost::json::object o = ParseObject(json);
    EXPECT_EQ(o.at("seed").as_string(), "18446744073709551615");
    EXPECT_EQ(o.at("items").at(1).at("verdict").as_string(), "wrongful");
    EXPECT_EQ(EvaluationFromJson(json).value(), e);
    for (const char* seed : {"", "-1", "+1", "18446744073709551616", "1x", " 1"}) {
        boost::json::object bad = o;
        bad["seed"] = seed;
        auto r = EvaluationFromJson(boost::json::serialize(bad));
        ASSERT_FALSE(r) << seed;
        EXPECT_EQ(r.error().field, "seed");
    }
    boost::json::object bad = o;
    bad["items"].as_array()[0].as_object()["verdict"] = "maybe";
    EXPECT_EQ(EvaluationFromJson(boost::json::serialize(bad)).error().field, "verdict");
}

TEST(HouseholdJson, ReadsBackWhatItWrites) {
    Household h = MakeHousehold("H\"1\\", 1);
    h.pairing_cadre = "张伟\n\t\x01";
    h.identification_standard = 2;
    h.exit_year = 2016;
    h.net_income_per_head = -5;
    h.housing_area = 12345;
    h.dangerous_housing = false;
    h.household_electricity = true;
    h.members[1].schooling = 1;
    h.members[1].birth_date = Date{};
    EXPECT_EQ(HouseholdFromJson(HouseholdToJson(h)).value(), h);
    h.members.clear();
    h.other_causes.clear();
    EXPECT_EQ(HouseholdFromJson(HouseholdToJson(h)).value(), h);
    boost::json::object o = ParseObject(HouseholdToJson(MakeHousehold("H1", 1)));
    o["exit_year"] = nullptr;  // null reads as absent
    EXPECT_EQ(HouseholdFromJson(boost::json::serialize(o)).value(), MakeHousehold("H1", 1));
    o["net_income_per_head"] = 2500.5;
    EXPECT_EQ(HouseholdFromJson(boost::json::serialize(o)).error().field, "net_income_per_head");
    o["net_income_per_head"] = "2500.555";
    EXPECT_EQ(HouseholdFromJson(boost::json::serialize(o)).error().field, "net_income_per_head");
    o["net_income_per_head"] = "2500.5";
    o["members"].as_array()[0].as_object()["birth_date"] = "1970-13-01";
    EXPECT_EQ(HouseholdFromJson(boost::json::serialize(o)).error().field, "birth_date");
    o["members"].as_array()[0].as_object()["birth_date"] = "1970-03-05";
    o["other_causes"] = boost::json::array{"9"};
    EXPECT_EQ(HouseholdFromJson(boost::json::serialize(o)).error().field, "other_causes");
    o.erase("other_causes");
    EXPECT_EQ(HouseholdFromJson(boost::json::serialize(o)).error().code, "json.invalid");
    EXPECT_EQ(CodeOf(HouseholdFromJson("not json")), "json.invalid");
}

// Text the JSON must carry: Chinese, quotes, backslashes, control characters (valid UTF-8, as all
// stored text is).
rc::Gen<std::string> GenText() {
    return rc::gen::map(rc::gen::container<std::vector<std::string>>(rc::gen::element<std::string>(
                            "a", "Z", "0", " ", "扎西", "卓玛", "\"", "\\", "/", "\n", "\t", "\x01", "\x7f",
                            ",\"household\":null", "é")),
                        [](const std::vector<std::string>& parts) {
                            std::string out;
                            for (const std::string& p : parts) out += p;
                            return out;
                        });
}

rc::Gen<Date> GenDate() {
    return rc::gen::oneOf(rc::gen::just(Date{}),
                          rc::gen::map(rc::gen::tuple(rc::gen::inRange(1900, 2101), rc::gen::inRange(1, 13),
                                                      rc::gen::inRange(1, 29)),
                                       [](const std::tuple<int, int, int>& t) {
                                           return Date{std::get<0>(t), std::get<1>(t), std::get<2>(t)};
                                       }));
}

template <class T>
std::optional<T> Maybe(const rc::Gen<T>& gen) {
    if (*rc::gen::arbitrary<bool>()) return *gen;
    return std::nullopt;
}

// Any case the model can hold comes back from its JSON, and from the store, unchanged.
RC_GTEST_PROP(ProcedureJsonProperty, CaseRoundTrip, ()) {
    ProcedureCase c;
    c.id = *rc::gen::arbitrary<int64_t>();
    c.version = *rc::gen::arbitrary<int64_t>();
    c.kind = *rc::gen::elementOf(
        std::vector<ProcedureKind>(AllProcedureKinds().begin(), AllProcedureKinds().end()));
    c.household_code = *GenText();
    c.division_code = *GenText();
    c.year = *rc::gen::arbitrary<int>();
    c.state = *GenText();
    c.open = *rc::gen::arbitrary<bool>();
    c.persons = *rc::gen::arbitrary<int>();
    const int steps = *rc::gen::inRange(0, 4);
    for (int i = 0; i < steps; ++i)
        c.steps.push_back(
            {*GenText(), *GenDate(), *GenText(), *GenText(), *GenText(), *GenText(), *GenText(), *GenText()});
    if (*rc::gen::arbitrary<bool>()) {
        Household h = MakeHousehold(*GenText(), *rc::gen::inRange(0, 1000));
        h.pairing_cadre = *GenText();
        h.phone = *GenText();
        h.identification_standard = Maybe(rc::gen::arbitrary<int>());
        h.exit_year = Maybe(rc::gen::arbitrary<int>());
        h.net_income_per_head = Maybe(rc::gen::arbitrary<int64_t>());
        h.housing_area = Maybe(rc::gen::arbitrary<int64_t>());
        h.dangerous_housing = Maybe(rc::gen::arbitrary<bool>());
        h.household_electricity = Maybe(rc::gen::arbitrary<bool>());
        h.members[0].name = *GenText();
        h.members[0].birth_date = *GenDate();
        h.members[1].schooling = Maybe(rc::gen::arbitrary<int>());
        h.members[1].months_worked = Maybe(rc::gen::arbitrary<int>());
        if (*rc::gen::arbitrary<bool>()) h.members.clear();
        c.household = h;
    }
    c.exclusions = *rc::gen::container<std::vector<std::string>>(*rc::gen::inRange(0, 3), GenText());
    c.reason = *GenText();
    c.notice_until = Maybe(GenDate());
    c.member_change = Maybe(rc::gen::arbitrary<int>());
    c.member_id_number = *GenText();
    const std::string json = ProcedureCaseToJson(c);
    auto back = ProcedureCaseFromJson(json);
    RC_ASSERT(back.has_value());
    RC_ASSERT(*back == c);
    RC_ASSERT(ProcedureCaseToJson(*back) == json);

    static auto store = OpenSqliteStore(TempPath("case-prop.db"), OpenMode::kCreate).value();
    RC_ASSERT(store->Begin().has_value());
    auto id = store->InsertCase(c, kChange);
    RC_ASSERT(id.has_value());
    RC_ASSERT(store->Commit().has_value());
    auto stored = store->FindCase(*id).value();
    RC_ASSERT(stored.has_value());
    ProcedureCase expected = c;
    expected.id = *id;
    expected.version = 1;
    RC_ASSERT(*stored == expected);
}

RC_GTEST_PROP(ProcedureJsonProperty, EvaluationRoundTrip, ()) {
    Evaluation e;
    e.id = *rc::gen::arbitrary<int64_t>();
    e.version = *rc::gen::arbitrary<int64_t>();
    e.year = *rc::gen::arbitrary<int>();
    e.division_code = *GenText();
    e.seed = *rc::gen::arbitrary<uint64_t>();
    e.population = *rc::gen::arbitrary<int64_t>();
    e.drawn_by = *GenText();
    e.drawn_at = *GenText();
    const int items = *rc::gen::inRange(0, 4);
    for (int i = 0; i < items; ++i)
        e.items.push_back({*GenText(), *GenText(),
                           *rc::gen::element(Verdict::kPending, Verdict::kCorrect, Verdict::kWrongful),
                           *GenText(), *GenText(), *GenText()});
    e.non_poor_surveyed = *rc::gen::arbitrary<int64_t>();
    e.missed_found = *rc::gen::arbitrary<int64_t>();
    e.approval_surveyed = *rc::gen::arbitrary<int64_t>();
    e.approval_satisfied = *rc::gen::arbitrary<int64_t>();
    auto back = EvaluationFromJson(EvaluationToJson(e));
    RC_ASSERT(back.has_value());
    RC_ASSERT(*back == e);
}

}  // namespace
}  // namespace jz
