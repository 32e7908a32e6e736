// GET /api/reports/summary: the battle map of one org unit in one request. A township officer's
// map carries the township's own figures (the plan's township targets, its villages, counts
// without the county's measure targets), never the county's.
#include <gtest/gtest.h>

#include "server/api_test_support.h"

namespace jz::server::testing {
namespace {

int64_t Int(const json::value& v, const char* key) { return v.at(key).as_int64(); }

TEST(ApiSummary, ATownshipOfficersMapIsTheTownships) {
    const std::string officer = S().Login("officer");  // the demo's officer: township 540425100 (竹瓦根镇)
    ASSERT_FALSE(officer.empty());
    Reply r = S().Send("GET", "/api/reports/summary?as_of=2017-06-30", "", officer);
    ASSERT_EQ(r.status, 200) << r.body;
    const json::object& m = r.Json().as_object();
    const json::object& unit = m.at("unit").as_object();
    EXPECT_EQ(unit.at("code").as_string(), kTownshipA);
    EXPECT_EQ(unit.at("level").as_string(), "township");
    EXPECT_EQ(unit.at("target_source").as_string(), "plan_township");
    // The plan's targets for 竹瓦根镇: 370 in 2016, 241 in 2017 (the county's goal is 6,160).
    EXPECT_EQ(Int(unit, "goal_persons"), 370 + 241);
    EXPECT_EQ(Int(unit, "task_persons"), 241);
    EXPECT_EQ(m.at("as_of").as_string(), "2017-06-30");
    EXPECT_EQ(Int(m, "days_left"), 184);
    EXPECT_EQ(Int(unit, "remaining_this_year"),
              std::max<int64_t>(0, Int(unit, "task_persons") - Int(unit, "exited_this_year")));
    // Exited against the township's own goal: the demo township is at about 61 %, not 6 %.
    const double share = static_cast<double>(Int(unit, "exited_persons")) / Int(unit, "goal_persons");
    EXPECT_GT(share, 0.5) << r.body.substr(0, 400);

    // The same figures as the township's row of the (scoped) progress report.
    Reply p = S().Send("GET", "/api/reports/progress?as_of=2017-06-30", "", officer);
    ASSERT_EQ(p.status, 200);
    const auto& townships = p.Json().at("townships").as_array();
    ASSERT_EQ(townships.size(), 1u);
    EXPECT_EQ(Int(townships[0], "exited_persons"), Int(unit, "exited_persons"));
    EXPECT_EQ(Int(townships[0], "households"), Int(unit, "households"));
    EXPECT_EQ(Int(townships[0], "persons"), Int(unit, "persons"));

    // Children are the township's villages, each against its own planned exits.
    const auto& children = m.at("children").as_array();
    ASSERT_FALSE(children.empty());
    int64_t households = 0, exited = 0;
    for (const auto& c : children) {
        EXPECT_EQ(c.at("level").as_string(), "village");
        EXPECT_TRUE(std::string(c.at("code").as_string()).starts_with(kTownshipA));
        EXPECT_EQ(c.at("target_source").as_string(), "planned_exit_year");
        const std::string status(c.at("status").as_string());
        EXPECT_TRUE(status == "none" || status == "red" || status == "amber" || status == "green") << status;
        households += Int(c, "households");
        exited += Int(c, "exited_this_year");
    }
    EXPECT_EQ(households, Int(unit, "households"));
    EXPECT_EQ(exited, Int(unit, "exited_this_year"));
    // Measures: the township's counts, no county targets beside them.
    for (const auto& measure : m.at("measures").as_array()) {
        EXPECT_TRUE(measure.at("target_households").is_null());
        EXPECT_TRUE(measure.at("target_persons").is_null());
    }
    int64_t by_attribute = 0;
    for (const auto& a : m.at("attributes").as_array()) by_attribute += Int(a, "households");
    EXPECT_EQ(by_attribute, Int(unit, "households"));
    EXPECT_GE(Int(m, "reconcile_findings"), 1);  // the plan's own 2,364 against 2,365
}

TEST(ApiSummary, UnitsDatesAndScope) {
    const std::string officer = S().Login("officer");
    const std::string admin = S().Login("admin");
    // A village of the township: its households' planned exits are its targets.
    const std::string village = std::string(kTownshipA) + "201";
    Reply v = S().Send("GET", "/api/reports/summary?as_of=2017-06-30&unit=" + village, "", officer);
    ASSERT_EQ(v.status, 200) << v.body;
    EXPECT_EQ(v.Json().at("unit").at("level").as_string(), "village");
    EXPECT_EQ(v.Json().at("unit").at("target_source").as_string(), "planned_exit_year");
    EXPECT_TRUE(v.Json().at("children").as_array().empty());
    // The county's map: the plan's county goal, townships as children, measure targets.
    Reply c = S().Send("GET", "/api/reports/summary?as_of=2017-06-30", "", admin);
    ASSERT_EQ(c.status, 200);
    EXPECT_EQ(Int(c.Json().at("unit"), "goal_persons"), 6160);
    EXPECT_EQ(c.Json().at("children").as_array().front().at("level").as_string(), "township");
    // Out of scope: as the other scoped routes (404); unknown unit and bad date: 400 naming the field.
    EXPECT_EQ(S().Send("GET", "/api/reports/summary?unit=540425", "", officer).status, 404);
    EXPECT_EQ(S().Send("GET", std::string("/api/reports/summary?unit=") + kTownshipB, "", officer).status, 404);
    Reply unknown = S().Send("GET", "/api/reports/summary?unit=999999999", "", officer);
    EXPECT_EQ(unknown.status, 400);
    EXPECT_NE(unknown.body.find("\"field\":\"unit\""), std::string::npos) << unknown.body;
    Reply bad = S().Send("GET", "/api/reports/summary?as_of=2017-02-30", "", officer);
    EXPECT_EQ(bad.status, 400);
    EXPECT_NE(bad.body.find("\"field\":\"as_of\""), std::string::npos) << bad.body;
    // No date: today inside the plan's years (2016–2018), else the registry's last change date.
    Reply d = S().Send("GET", "/api/reports/summary", "", officer);
    ASSERT_EQ(d.status, 200);
    EXPECT_TRUE(d.Json().at("date_defaulted").as_bool());
    ASSERT_TRUE(d.Json().at("last_change_date").is_string());
    const std::string as_of(d.Json().at("as_of").as_string());
    const int year = std::stoi(as_of.substr(0, 4));
    if (year < 2016 || year > 2018) {
        EXPECT_EQ(as_of, d.Json().at("last_change_date").as_string());
    }
}

}  // namespace
}  // namespace jz::server::testing
