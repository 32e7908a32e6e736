// Accounts, login state and sessions, run against every adapter.

#include <gtest/gtest.h>

#include <functional>

#include "store/store_test_fixture.h"

namespace jz::store_test {
namespace {

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

}  // namespace
}  // namespace jz::store_test
