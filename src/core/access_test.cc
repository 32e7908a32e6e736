#include "core/access.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

namespace jz {
namespace {

using namespace std::chrono_literals;

TEST(Access, RolesRoundTrip) {
    for (Role r : {Role::kAdmin, Role::kOfficer, Role::kInspector, Role::kViewer})
        EXPECT_EQ(ParseRole(RoleName(r)), r);
    EXPECT_FALSE(ParseRole("root"));
    EXPECT_FALSE(ParseRole("Admin"));
}

TEST(Access, Permissions) {
    EXPECT_TRUE(CanWriteHouseholds(Role::kOfficer));
    EXPECT_FALSE(CanWriteHouseholds(Role::kInspector));
    EXPECT_FALSE(CanWriteHouseholds(Role::kViewer));
    EXPECT_TRUE(CanManageUsers(Role::kAdmin));
    EXPECT_FALSE(CanManageUsers(Role::kOfficer));
    EXPECT_TRUE(CanReadAudit(Role::kInspector));
    EXPECT_FALSE(CanReadAudit(Role::kOfficer));
    EXPECT_TRUE(MasksPersonalData(Role::kViewer));
    EXPECT_FALSE(MasksPersonalData(Role::kInspector));
}

TEST(Access, Scope) {
    EXPECT_TRUE(InScope("540425", "540425101201"));
    EXPECT_TRUE(InScope("540425101", "540425101201"));
    EXPECT_FALSE(InScope("540425102", "540425101201"));
    EXPECT_FALSE(InScope("", "540425101201"));
    EXPECT_FALSE(InScope("540425101201", "540425101"));
}

TEST(Access, Masks) {
    EXPECT_EQ(MaskIdNumber("54042519900101123X"), "540425********123X");
    EXPECT_EQ(MaskPhone("13812345678"), "138****5678");
    EXPECT_EQ(MaskPhone(""), "");
    EXPECT_EQ(MaskIdNumber("123"), "***");
    EXPECT_EQ(MaskPhone("12345"), "*2345");
}

RC_GTEST_PROP(Access, MaskKeepsLengthAndHidesTheMiddle, (const std::string& s)) {
    const std::string m = MaskIdNumber(s);
    RC_ASSERT(m.size() == s.size());
    if (s.size() == 18) {
        RC_ASSERT(m.substr(0, 6) == s.substr(0, 6));
        RC_ASSERT(m.substr(6, 8) == std::string(8, '*'));
        RC_ASSERT(m.substr(14) == s.substr(14));
    }
}

TEST(Access, LockoutAfterFiveFailures) {
    const auto t0 = *ParseIsoTime("2026-11-29T08:00:00Z");
    LoginPolicy policy;
    LoginState s;
    for (int i = 1; i <= 4; ++i) {
        s = AfterFailure(s, t0 + std::chrono::seconds{i}, policy);
        EXPECT_FALSE(IsLocked(s, t0 + std::chrono::seconds{i})) << i;
    }
    s = AfterFailure(s, t0 + 5s, policy);
    EXPECT_TRUE(IsLocked(s, t0 + 5s));
    EXPECT_TRUE(IsLocked(s, t0 + 5s + 14min + 59s));
    EXPECT_FALSE(IsLocked(s, t0 + 5s + 15min));
    // A failure while locked does not extend the lock; one after it starts the count again.
    LoginState during = AfterFailure(s, t0 + 10min, policy);
    EXPECT_EQ(*during.locked_until, *s.locked_until);
    LoginState after = AfterFailure(s, t0 + 20min, policy);
    EXPECT_EQ(after.failed_logins, 1);
    EXPECT_FALSE(IsLocked(after, t0 + 20min));
}

TEST(Access, IsoTime) {
    auto t = ParseIsoTime("2026-02-28T23:59:59Z");
    ASSERT_TRUE(t);
    EXPECT_EQ(FormatIsoTime(*t), "2026-02-28T23:59:59Z");
    EXPECT_EQ(FormatIsoTime(*t + 1s), "2026-03-01T00:00:00Z");
    for (const char* bad : {"2026-02-30T00:00:00Z", "2026-02-28 23:59:59Z", "2026-02-28T24:00:00Z", "",
                            "2026-02-28T23:59:59", "2026-02-28T23:59:5xZ"})
        EXPECT_FALSE(ParseIsoTime(bad)) << bad;
}

}  // namespace
}  // namespace jz
