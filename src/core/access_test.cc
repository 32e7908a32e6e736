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

TEST(Access, LoginThrottleGrowsAndForgets) {
    const auto t0 = *ParseIsoTime("2026-11-29T08:00:00Z");
    LoginPolicy policy;
    LoginThrottle t;
    for (int i = 1; i <= 5; ++i) {
        t = AfterFailure(t, t0, 5, policy);
        EXPECT_EQ(ThrottleWait(t, t0, policy), 0s) << i;  // the free failures impose no delay
    }
    t = AfterFailure(t, t0, 5, policy);  // 6th: 30 s, then 60 s, 120 s, ...
    EXPECT_EQ(ThrottleWait(t, t0, policy), 30s);
    EXPECT_EQ(ThrottleWait(t, t0 + 30s, policy), 0s);
    t = AfterFailure(t, t0 + 30s, 5, policy);
    EXPECT_EQ(ThrottleWait(t, t0 + 30s, policy), 60s);
    t = AfterFailure(t, t0 + 90s, 5, policy);
    EXPECT_EQ(ThrottleWait(t, t0 + 90s, policy), 120s);
    // Capped at max_delay however many failures.
    EXPECT_EQ(ThrottleDelay(60, 5, policy), policy.max_delay);
    EXPECT_EQ(ThrottleDelay(5000, 5, policy), policy.max_delay);
    // A count with no failure for forget_after starts again.
    LoginThrottle later = AfterFailure(t, t0 + 90s + policy.forget_after, 5, policy);
    EXPECT_EQ(later.failures, 1);
}

TEST(Access, Usernames) {
    EXPECT_TRUE(IsValidUsername("zhang.san-2_x"));
    EXPECT_TRUE(IsValidUsername(std::string(64, 'a')));
    EXPECT_FALSE(IsValidUsername(std::string(65, 'a')));
    EXPECT_FALSE(IsValidUsername(""));
    EXPECT_FALSE(IsValidUsername("bad name"));
    EXPECT_FALSE(IsValidUsername("张三"));
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
