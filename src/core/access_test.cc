#include "core/access.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "core/id_number.h"

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
    EXPECT_EQ(MaskIdNumber("54042519900101123X"), "540425************");
    EXPECT_EQ(MaskIdNumber("540425900101123"), "540425*********");
    EXPECT_EQ(MaskPhone("13812345678"), "138****5678");
    EXPECT_EQ(MaskPhone(""), "");
    EXPECT_EQ(MaskIdNumber("123"), "***");
    EXPECT_EQ(MaskPhone("12345"), "*2345");
}

TEST(Access, MaskIdNumbersInText) {
    EXPECT_EQ(MaskIdNumbersInText("财政供养人员: 张三 54042519900101123X。"),
              "财政供养人员: 张三 540425************。");
    EXPECT_EQ(MaskIdNumbersInText("a540425900101123b"), "a540425*********b");
    EXPECT_EQ(MaskIdNumbersInText("人均纯收入2100元, 13812345678"), "人均纯收入2100元, 13812345678");
    EXPECT_EQ(MaskIdNumbersInText("5404251000010005"), "540425**********");  // 16 digits: starred too
    EXPECT_EQ(MaskIdNumbersInText(""), "");
}

// The finding: "540425********7171" beside "1993-07-13" gave the number back. Under the old rule
// (last four shown, the birth date beside) one candidate was left; under the rule, 182,500.
TEST(Access, MaskedNumbersLeaveAHundredThousandCandidates) {
    const std::string id = MakeIdNumber("540425", {1993, 7, 13}, 717);
    EXPECT_EQ(CandidateIdNumbers({"540425" + id.substr(6, 8) + "****", 1993, 1}), 500);
    std::string old_rule = id;
    for (size_t i = 6; i < 14; ++i) old_rule[i] = '*';
    EXPECT_EQ(CandidateIdNumbers({id, 1993, 1}), 1);          // the old rule with the birth date beside it
    EXPECT_LT(CandidateIdNumbers({old_rule, 1993, 1}), 100);  // ...or even with the birth year only
    EXPECT_EQ(CandidateIdNumbers({MaskIdNumber(id), 1993, 1}), 365 * 500);
    EXPECT_EQ(CandidateIdNumbers({MaskIdNumber(id), 1996, 2}), 366 * 500);
    EXPECT_GE(CandidateIdNumbers({MaskIdNumber(id), 1993, 1}), kMinMaskedCandidates);
    std::string with_check = MaskIdNumber(id);
    with_check[17] = id[17];
    EXPECT_LT(CandidateIdNumbers({with_check, 1993, 1}), kMinMaskedCandidates);  // why it is not kept
}

TEST(Access, MaskedUsersAgeOnTheYearsLastDay) {
    EXPECT_EQ(AgeDayFor(Role::kViewer, {2017, 6, 30}), (Date{2017, 12, 31}));
    EXPECT_EQ(AgeDayFor(Role::kOfficer, {2017, 6, 30}), (Date{2017, 6, 30}));
}

RC_GTEST_PROP(Access, MaskKeepsLengthAndTheAddressCodeOnly, (const std::string& s)) {
    const std::string m = MaskIdNumber(s);
    RC_ASSERT(m.size() == s.size());
    if (s.size() >= 7) {
        RC_ASSERT(m.substr(0, 6) == s.substr(0, 6));
        RC_ASSERT(m.substr(6) == std::string(s.size() - 6, '*'));
    }
}

// For any valid number, what a masked user sees (masked number, birth year, sex) leaves at least
// kMinMaskedCandidates numbers, the true one among them.
RC_GTEST_PROP(Access, NoMaskedNumberCanBeRebuilt, ()) {
    const Date birth = Date::FromDaysSinceEpoch(*rc::gen::inRange(-25000L, 20000L));
    const int sequence = *rc::gen::inRange(0, 1000);
    const std::string id = MakeIdNumber("540425", birth, sequence);
    auto parsed = ParseIdNumber(id);
    RC_ASSERT(parsed.has_value());
    const MaskedPerson seen{MaskIdNumber(id), birth.year, parsed->sex};
    RC_ASSERT(CandidateIdNumbers(seen) >= kMinMaskedCandidates);
    // ...and also in the text of a note.
    RC_ASSERT(MaskIdNumbersInText("note " + id + " end") == "note " + seen.masked_id + " end");
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

TEST(Access, TokenBucket) {
    const RateLimit limit{.burst = 3, .per_second = 0.5};
    TokenBucket b;
    const auto t0 = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
    EXPECT_TRUE(IsFull(b, limit, t0));
    for (int i = 0; i < 3; ++i) EXPECT_EQ(TakeToken(b, limit, t0), std::nullopt);
    EXPECT_EQ(TakeToken(b, limit, t0), std::optional(std::chrono::seconds(2)));  // 1 token / 0.5 per s
    EXPECT_EQ(TakeToken(b, limit, t0 + 1s), std::optional(std::chrono::seconds(1)));
    EXPECT_EQ(TakeToken(b, limit, t0 + 2s), std::nullopt);
    EXPECT_FALSE(IsFull(b, limit, t0 + 3s));
    EXPECT_TRUE(IsFull(b, limit, t0 + 8s));
}

}  // namespace
}  // namespace jz
