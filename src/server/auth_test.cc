// Accounts and sessions with a clock the test moves: idle expiry, lockout and its end.
#include "server/auth.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "core/test_support.h"
#include "store/sqlite_store.h"

namespace jz::server {
namespace {

using namespace std::chrono_literals;

class AuthTest : public testing::Test {
  protected:
    void SetUp() override {
        path_ = std::filesystem::temp_directory_path() /
                ("jz-auth-" + std::to_string(::getpid()) + "-" +
                 testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
        std::filesystem::remove(path_);
        store_ = OpenSqliteStore(path_.string(), OpenMode::kCreate).value();
        const auto& tree = testing_support::Chayu().tree;
        ASSERT_TRUE(AddAccount(*store_, tree, "zhang", "officer", "540425100", "a-long-password",
                               {"test", "2026-11-29T08:00:00Z", std::nullopt}));
    }
    void TearDown() override {
        store_.reset();
        std::filesystem::remove(path_);
        std::filesystem::remove(path_.string() + "-wal");
        std::filesystem::remove(path_.string() + "-shm");
    }
    std::chrono::sys_seconds now_ = *ParseIsoTime("2026-11-29T08:00:00Z");
    Authenticator auth_{LoginPolicy{}, [this] { return now_; }};
    std::filesystem::path path_;
    std::unique_ptr<Store> store_;
};

TEST_F(AuthTest, SessionsEndAfterThirtyIdleMinutes) {
    auto login = auth_.Login(*store_, "zhang", "a-long-password", "127.0.0.1");
    ASSERT_TRUE(login);
    EXPECT_EQ(login->principal.scope, "540425100");
    now_ += 29min;
    ASSERT_TRUE(auth_.Authenticate(*store_, login->token).value());  // use keeps it alive
    now_ += 29min;
    ASSERT_TRUE(auth_.Authenticate(*store_, login->token).value());
    now_ += 31min;
    EXPECT_FALSE(auth_.Authenticate(*store_, login->token).value());
    EXPECT_FALSE(auth_.Authenticate(*store_, "not-a-token").value());
}

// Finding 8: no hard lock. Failures throttle the (username, address) with growing delays, alike
// for an existing and an unknown username; the account stays open from elsewhere; the correct
// password works as soon as the delay has run out.
TEST_F(AuthTest, FailuresThrottleTheAddressNotTheAccount) {
    for (const std::string name : {"zhang", "ghost"}) {
        for (int i = 0; i < 6; ++i) {
            auto r = auth_.Login(*store_, name, "wrong-password", "10.0.0.1");
            ASSERT_FALSE(r);
            EXPECT_EQ(r.error().code, "auth.invalid") << name << " " << i;
        }
        auto throttled = auth_.Login(*store_, name, "a-long-password", "10.0.0.1");
        ASSERT_FALSE(throttled);
        EXPECT_EQ(throttled.error().code, "auth.throttled") << name;
        EXPECT_EQ(auth_.Wait(name, "10.0.0.1"), 30s);
    }
    // Another address is not held back: the attacker cannot keep the account's owner out.
    EXPECT_TRUE(auth_.Login(*store_, "zhang", "a-long-password", "10.0.0.2"));
    now_ += 30s;
    EXPECT_TRUE(auth_.Login(*store_, "zhang", "a-long-password", "10.0.0.1"));
    // The change log has every failure and the throttle's start; an unknown username only as a
    // hash, never its text; and no password hash.
    auto log = store_->ChangeLog({.entity = "account"}).value();
    int failed = 0, throttles = 0, logins = 0;
    for (const ChangeLogEntry& e : log) {
        failed += e.action == "login_failed";
        throttles += e.action == "lock";
        logins += e.action == "login";
        EXPECT_EQ(e.after_json.find("argon2"), std::string::npos);
        EXPECT_EQ(e.entity_key.find("ghost"), std::string::npos);
        EXPECT_EQ(e.actor.find("ghost"), std::string::npos);
        EXPECT_LE(e.entity_key.size(), kMaxUsername);
    }
    EXPECT_EQ(failed, 12);
    EXPECT_EQ(throttles, 2);
    EXPECT_EQ(logins, 2);
    EXPECT_FALSE(store_->VerifyChangeLog().value().first_bad);
}

TEST_F(AuthTest, AnAddressIsThrottledAcrossUsernames) {
    LoginPolicy policy;
    policy.free_failures_address = 3;  // (20 by default: the same rule, fewer hashes to wait for)
    Authenticator auth(policy, [this] { return now_; });
    for (int i = 0; i < 4; ++i)
        EXPECT_EQ(auth.Login(*store_, "user" + std::to_string(i), "wrong-password", "10.0.0.9").error().code,
                  "auth.invalid");
    EXPECT_EQ(auth.Login(*store_, "zhang", "a-long-password", "10.0.0.9").error().code, "auth.throttled");
    EXPECT_TRUE(auth.Login(*store_, "zhang", "a-long-password", "10.0.0.10"));
    // IPv6 clients are counted by their /64.
    EXPECT_EQ(AddressKey("2001:db8:1:2:aaaa::1"), AddressKey("2001:db8:1:2:bbbb::7"));
    EXPECT_NE(AddressKey("2001:db8:1:2::1"), AddressKey("2001:db8:1:3::1"));
    EXPECT_EQ(AddressKey("::ffff:10.0.0.9"), "10.0.0.9");
}

// Finding 5: a huge or malformed username is neither stored nor logged as text.
TEST_F(AuthTest, HugeUsernamesAreNotStored) {
    const auto size_before = store_->ChangeLog({.entity = "account"}).value().size();
    const std::string huge(1 << 20, 'x');
    EXPECT_EQ(auth_.Login(*store_, huge, "wrong-password", "10.0.0.3").error().code, "auth.invalid");
    EXPECT_EQ(auth_.Login(*store_, "bad\nname", "wrong-password", "10.0.0.3").error().code, "auth.invalid");
    auto log = store_->ChangeLog({.entity = "account"}).value();
    EXPECT_EQ(log.size(), size_before + 2);
    for (const ChangeLogEntry& e : log) {
        EXPECT_LE(e.entity_key.size(), kMaxUsername);
        EXPECT_LE(e.actor.size(), kMaxUsername);
        EXPECT_LT(e.after_json.size(), 200u);
    }
}

// The throttle tables stay within their bound however many addresses fail.
TEST(AuthThrottle, TablesAreBounded) {
    const auto path = std::filesystem::temp_directory_path() / ("jz-auth-bound-" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path);
    auto store = OpenSqliteStore(path.string(), OpenMode::kCreate).value();
    LoginPolicy policy;
    policy.max_entries = 6;
    Authenticator auth(policy);
    for (int i = 0; i < 12; ++i) {
        auth.Login(*store, "u" + std::to_string(i), "wrong-password", "10.1.0." + std::to_string(i));
        EXPECT_LE(auth.ThrottleEntries(), 2 * policy.max_entries);
    }
    store.reset();
    std::filesystem::remove(path);
    std::filesystem::remove(path.string() + "-wal");
    std::filesystem::remove(path.string() + "-shm");
}

TEST_F(AuthTest, DisabledAccountsCannotLogInAndLoseTheirSessions) {
    auto login = auth_.Login(*store_, "zhang", "a-long-password", "127.0.0.1").value();
    Account before = store_->FindAccount("zhang").value().value();
    Account after = before;
    after.disabled = true;
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->UpdateAccount(before, after, {"test", "2026-11-29T08:00:00Z", std::nullopt}));
    ASSERT_TRUE(store_->Commit());
    now_ += 6s;  // past the session cache
    EXPECT_FALSE(auth_.Authenticate(*store_, login.token).value());
    EXPECT_EQ(auth_.Login(*store_, "zhang", "a-long-password", "127.0.0.1").error().code, "auth.invalid");
}

TEST(Password, HashesAreArgon2idAndVerify) {
    auto hash = HashPassword("correct horse");
    ASSERT_TRUE(hash);
    EXPECT_TRUE(hash->starts_with("$argon2id$"));
    EXPECT_TRUE(VerifyPassword(*hash, "correct horse"));
    EXPECT_FALSE(VerifyPassword(*hash, "correct horsf"));
    EXPECT_NE(*HashPassword("correct horse"), *hash);  // salted
    EXPECT_NE(NewToken(), NewToken());
    EXPECT_EQ(HashToken("x").size(), 64u);
    EXPECT_TRUE(CheckPasswordRules("short"));
    EXPECT_FALSE(CheckPasswordRules("long enough"));
    // Common passwords (without case), the username, one character repeated: refused.
    EXPECT_EQ(CheckPasswordRules("Password123")->code, "user.password_common");
    EXPECT_EQ(CheckPasswordRules("12345678")->code, "user.password_common");
    EXPECT_EQ(CheckPasswordRules("zzzzzzzzzz")->code, "user.password_common");
    EXPECT_EQ(CheckPasswordRules("Zhang.San1", "zhang.san1")->code, "user.password_username");
    EXPECT_FALSE(CheckPasswordRules("zhang.san1-x", "zhang.san1"));
}

}  // namespace
}  // namespace jz::server
