#include "core/as_of.h"

#include <gtest/gtest.h>

#include "core/codes.h"

namespace jz {
namespace {

Person P(std::string name, std::string id, int relation) {
    Person p;
    p.name = std::move(name);
    p.id_number = std::move(id);
    p.relation = relation;
    p.birth_date = Date{1980, 1, 1};
    return p;
}

Household Sample() {
    Household h;
    h.household_code = "5426260001";
    h.division_code = "542626100201";
    h.status = codes::kStatusExited;
    h.exit_year = 2016;
    h.net_income_per_head = 400000;
    h.members = {P("扎西", "542626198001010011", 1), P("卓玛", "542626198001010022", 2),
                 P("次仁", "542626200001010033", 3)};
    return h;
}

TEST(AsOf, StatusEventsKeepNoWholeHousehold) {
    Household before = Sample(), after = Sample();
    after.status = codes::kStatusFallback;
    after.exit_year.reset();
    const HouseholdEvent e = EventOf(before, after);
    EXPECT_FALSE(e.whole());
    EXPECT_EQ(e.before_status, codes::kStatusExited);
    EXPECT_EQ(e.before_exit_year, 2016);
    EXPECT_EQ(e.after_status, codes::kStatusFallback);
    EXPECT_EQ(e.after_exit_year, std::nullopt);
}

TEST(AsOf, AFallbackUndoneIsExitedAgainWithLaterCorrectionsKept) {
    Household before = Sample(), after = Sample();
    after.status = codes::kStatusFallback;
    after.exit_year.reset();
    const HouseholdEvent e = EventOf(before, after);
    Household now = after;
    now.members[1].name = "卓玛央宗";  // corrected after the fallback
    const auto then = HouseholdBefore(now, std::span(&e, 1));
    ASSERT_TRUE(then);
    EXPECT_EQ(then->status, codes::kStatusExited);
    EXPECT_EQ(then->exit_year, 2016);
    EXPECT_EQ(then->members[1].name, "卓玛央宗");
}

TEST(AsOf, AMemberWhoLeftComesBackAtTheirPlaceAndTheHeadsRelationIsRestored) {
    Household before = Sample();
    before.status = codes::kStatusNotExited;
    before.exit_year.reset();
    Household after = before;
    after.members.erase(after.members.begin());  // the head dies; 卓玛 becomes head
    after.members[0].relation = 1;
    after.net_income_per_head = 600000;
    const HouseholdEvent e = EventOf(before, after);
    ASSERT_TRUE(e.whole());
    Household now = after;
    now.members[1].schooling = 2;  // corrected later
    const auto then = HouseholdBefore(now, std::span(&e, 1));
    ASSERT_TRUE(then);
    ASSERT_EQ(then->members.size(), 3u);
    EXPECT_EQ(then->members[0].name, "扎西");
    EXPECT_EQ(then->members[1].relation, 2);
    EXPECT_EQ(then->members[2].schooling, 2);
    EXPECT_EQ(then->net_income_per_head, 400000);
}

TEST(AsOf, AJoiningMemberLeavesAgain) {
    Household before = Sample(), after = Sample();
    after.members.push_back(P("达瓦", "542626201701010044", 3));
    const HouseholdEvent e = EventOf(before, after);
    const auto then = HouseholdBefore(after, std::span(&e, 1));
    ASSERT_TRUE(then);
    EXPECT_EQ(*then, before);
}

TEST(AsOf, RegistrationAndRemovalAreUndoneWholly) {
    const Household h = Sample();
    const HouseholdEvent registered = EventOf(std::nullopt, h);
    EXPECT_TRUE(registered.registers());
    EXPECT_FALSE(HouseholdBefore(h, std::span(&registered, 1)));
    const HouseholdEvent removed = EventOf(h, std::nullopt);
    EXPECT_TRUE(removed.removes());
    EXPECT_EQ(HouseholdBefore(std::nullopt, std::span(&removed, 1)), h);
}

TEST(AsOf, SeveralEventsUndoLatestFirst) {
    Household a = Sample();
    a.status = codes::kStatusNotExited;
    a.exit_year.reset();
    Household b = a;  // exits in 2017
    b.status = codes::kStatusExited;
    b.exit_year = 2017;
    Household c = b;  // a child is born
    c.members.push_back(P("达瓦", "542626201801010044", 3));
    Household d = c;  // falls back
    d.status = codes::kStatusFallback;
    d.exit_year.reset();
    const std::vector<HouseholdEvent> events = {EventOf(a, b), EventOf(b, c), EventOf(c, d)};
    EXPECT_EQ(HouseholdBefore(d, events), a);
    EXPECT_EQ(HouseholdBefore(d, std::span(events).subspan(1)), b);
    EXPECT_EQ(HouseholdBefore(d, std::span(events).subspan(2)), c);
    // Deregistered after all of it: rebuilt from the removal, then undone.
    const HouseholdEvent gone = EventOf(d, std::nullopt);
    std::vector<HouseholdEvent> with_removal = events;
    with_removal.push_back(gone);
    EXPECT_EQ(HouseholdBefore(std::nullopt, with_removal), a);
}

}  // namespace
}  // namespace jz
