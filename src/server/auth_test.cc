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

TEST_F(AuthTest, FiveFailuresLockForFifteenMinutes) {
    for (int i = 0; i < 5; ++i) {
        auto r = auth_.Login(*store_, "zhang", "wrong", "127.0.0.1");
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, "auth.invalid");
    }
    auto locked = auth_.Login(*store_, "zhang", "a-long-password", "127.0.0.1");
    ASSERT_FALSE(locked);
    EXPECT_EQ(locked.error().code, "auth.locked");
    now_ += 15min;
    EXPECT_TRUE(auth_.Login(*store_, "zhang", "a-long-password", "127.0.0.1"));
    // The change log holds every attempt and the lock, and the chain is intact.
    auto log = store_->ChangeLog({.entity = "account"}).value();
    int failed = 0, locks = 0, logins = 0;
    for (const ChangeLogEntry& e : log) {
        failed += e.action == "login_failed";
        locks += e.action == "lock";
        logins += e.action == "login";
        EXPECT_EQ(e.after_json.find("argon2"), std::string::npos);
    }
    EXPECT_EQ(failed, 6);
    EXPECT_EQ(locks, 1);
    EXPECT_EQ(logins, 1);
    EXPECT_FALSE(store_->VerifyChangeLog().value().first_bad);
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
}

}  // namespace
}  // namespace jz::server
