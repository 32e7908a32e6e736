// Asset-income shares' routes against the real server (issue 16): an asset added and quantified by
// the county, read in scope by a township (another township's division refused), refused to a
// township writer; dividends posted as the holders' assistance items and shown on their plan page;
// the year's reallocation; the disposal's vote check and the masking of a reason for the viewer.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "core/id_number.h"
#include "server/api_test_support.h"

namespace jz::server::testing {
namespace {

// A not-exited household of township A (status 0), so its village has poor households.
std::string PoorHouseholdOfA(const std::string& admin) {
    for (int i = 0; i < 20; ++i) {
        const std::string code = HouseholdIn(admin, kTownshipA, i);
        Reply r = S().Send("GET", "/api/households/" + code, "", admin);
        if (r.status == 200 && Obj(r).at("status").to_number<int64_t>() == 0) return code;
    }
    ADD_FAILURE() << "no poor household in township A";
    return {};
}

int64_t SharesOf(const json::array& holdings) {
    int64_t n = 0;
    for (const json::value& h : holdings) n += h.at("shares").as_int64();
    return n;
}

TEST(ApiShares, CountyAddsAndDeclaresTownshipReadsViewerSeesMasked) {
    const std::string admin = S().Login("admin");
    const std::string household = PoorHouseholdOfA(admin);
    ASSERT_FALSE(household.empty());
    const std::string village = household.substr(0, 12);
    json::object asset{{"id", "API-A-1"},          {"project_code", "FP2017-01"}, {"kind", "光伏电站"},
                       {"value", "500000.00"},     {"owner_name", "村集体"},      {"division_code", village},
                       {"total_shares", 1000},     {"date", "2017-05-01"}};
    Reply added = S().Send("POST", "/api/assets", Body(asset), admin);
    ASSERT_EQ(added.status, 201) << added.body;
    EXPECT_EQ(SharesOf(Obj(added).at("holdings").as_array()), 1000);
    EXPECT_EQ(Obj(added).at("asset").at("value").as_string(), "500000.00");
    EXPECT_EQ(S().Send("POST", "/api/assets", Body(asset), admin).status, 409);
    json::object bad = asset;
    bad["id"] = "API-A-2";
    bad["poor_permille"] = 900;
    Reply refused = S().Send("POST", "/api/assets", Body(bad), admin);
    EXPECT_EQ(refused.status, 400);
    EXPECT_NE(refused.body.find("shares.split_invalid"), std::string::npos) << refused.body;

    // A township's admin reads its villages' assets, writes none, and sees no other township's.
    const std::string township = ScopedSessions().at("admin");
    bad["poor_permille"] = 550;
    EXPECT_EQ(S().Send("POST", "/api/assets", Body(bad), township).status, 403);
    Reply listed = S().Send("GET", "/api/assets", "", township);
    ASSERT_EQ(listed.status, 200);
    bool found = false;
    for (const json::value& a : Obj(listed).at("assets").as_array()) found |= a.at("id").as_string() == "API-A-1";
    EXPECT_TRUE(found);
    EXPECT_NE(S().Send("GET", std::string("/api/assets?division=") + kTownshipB, "", township).status, 200);
    EXPECT_EQ(S().Send("GET", "/api/assets/API-A-1", "", township).status, 200);
    EXPECT_EQ(S().Send("POST", "/api/shares/reallocation", Body({{"year", 2017}}), township).status, 403);

    // Dividends: each household's line an assistance item, on its plan page.
    Reply declared = S().Send("POST", "/api/assets/API-A-1/dividends",
                              Body({{"year", 2017}, {"income", "100000"}, {"date", "2017-12-30"}}), admin);
    ASSERT_EQ(declared.status, 201) << declared.body;
    EXPECT_EQ(Obj(declared).at("distributed").as_string(), "55000.00");
    const json::array& lines = Obj(declared).at("lines").as_array();
    ASSERT_FALSE(lines.empty());
    const std::string holder(lines[0].at("holder").as_string());
    const std::string item(lines[0].at("item_code").as_string());
    EXPECT_EQ(S().Send("POST", "/api/assets/API-A-1/dividends", Body({{"year", 2017}, {"income", "1"}}), admin).status,
              409);
    Reply shares = S().Send("GET", "/api/households/" + holder + "/shares", "", township);
    ASSERT_EQ(shares.status, 200) << shares.body;
    EXPECT_EQ(Obj(shares).at("dividends").at(0).at("item_code").as_string(), item);
    Reply plan = S().Send("GET", "/api/households/" + holder + "/plan", "", admin);
    ASSERT_EQ(plan.status, 200);
    EXPECT_EQ(Obj(plan).at("shares").at("holdings").at(0).at("asset_id").as_string(), "API-A-1");
    bool posted = false;
    for (const json::value& i : Obj(plan).at("items").as_array())
        posted |= i.at("item_code").as_string() == item && i.at("category").to_number<int64_t>() == 11;
    EXPECT_TRUE(posted);

    // The year's reallocation (nothing changed since: no moves).
    Reply moved = S().Send("POST", "/api/shares/reallocation", Body({{"year", 2017}, {"date", "2017-12-31"}}), admin);
    ASSERT_EQ(moved.status, 200) << moved.body;
    EXPECT_GE(Obj(moved).at("assets").as_int64(), 1);

    // Disposal: the vote must carry; the reason's ID number masked for the viewer.
    const std::string id_number = MakeIdNumber("540425", {1980, 1, 1}, 5);
    json::object disposal{{"vote_date", "2019-03-01"},          {"votes_for", 5},
                          {"votes_against", 5},                 {"township_approved_on", "2019-03-10"},
                          {"county_agreed_on", "2019-03-20"},   {"finance_agreed_on", "2019-03-21"},
                          {"reason", "损毁, 经办人 " + id_number}};
    EXPECT_EQ(S().Send("POST", "/api/assets/API-A-1/disposal", Body(disposal), admin).status, 400);
    EXPECT_EQ(S().Send("POST", "/api/assets/API-A-1/disposal", Body(disposal), township).status, 403);
    disposal["votes_for"] = 6;
    Reply disposed = S().Send("POST", "/api/assets/API-A-1/disposal", Body(disposal), admin);
    ASSERT_EQ(disposed.status, 200) << disposed.body;
    EXPECT_TRUE(Obj(disposed).at("disposed").as_bool());
    EXPECT_NE(S().Send("GET", "/api/assets/API-A-1", "", admin).body.find(id_number), std::string::npos);
    Reply viewed = S().Send("GET", "/api/assets/API-A-1", "", ScopedSessions().at("viewer"));
    ASSERT_EQ(viewed.status, 200);
    EXPECT_EQ(viewed.body.find(id_number), std::string::npos);
    EXPECT_EQ(S().Send("POST", "/api/assets/API-A-1/dividends", Body({{"year", 2019}, {"income", "1"}}), admin).status,
              409);
}

}  // namespace
}  // namespace jz::server::testing
