// Pairing's routes against the real server (issue 15): cadres with load against quota, versions and
// masking; a household's pairing set, changed and ended with its history kept and the household's
// pairing_cadre following; scope (a township's officer manages its own township only); the
// assignment proposal covering a household left without a cadre, applied by the county only, and a
// stale proposal refused; work teams with their first secretary and days on post; overdue visits;
// households' places.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "core/id_number.h"
#include "server/api_test_support.h"

namespace jz::server::testing {
namespace {

json::object CadreBody(const std::string& name, int rank, const std::string& township, int sequence) {
    return {{"name", name},
            {"id_number", MakeIdNumber("540425", {1970 + sequence % 20, 3, 4}, 100 + sequence)},
            {"unit", "县农牧局"},
            {"rank", rank},
            {"phone", "1390894" + std::to_string(1000 + sequence)},
            {"township_code", township},
            {"active_from", "2015-01-01"}};
}

int64_t AddCadre(const std::string& session, const std::string& name, int rank, const std::string& township,
                 int sequence) {
    Reply r = S().Send("POST", "/api/cadres", Body(CadreBody(name, rank, township, sequence)), session);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Obj(r).at("id").as_int64() : 0;
}

// The household's pairings (current first) and its current cadre (0: none).
json::array Pairings(const json::object& history) {
    if (const auto* p = history.if_contains("pairings"); p && p->is_array()) return p->as_array();
    if (const auto* p = history.if_contains("history"); p && p->is_array()) return p->as_array();
    ADD_FAILURE() << "no pairings in " << json::serialize(history);
    return {};
}
int64_t CurrentCadre(const json::object& history) {
    if (const auto* c = history.if_contains("current"); c && c->is_object()) return c->at("cadre_id").as_int64();
    for (const auto& p : Pairings(history))
        if (!p.as_object().contains("to") || p.at("to").is_null()) return p.at("cadre_id").as_int64();
    return 0;
}

json::object CadreOf(const std::string& session, int64_t id) {
    Reply r = S().Send("GET", "/api/cadres/" + std::to_string(id), "", session);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? Obj(r) : json::object{};
}

// A household of the township that takes a new pairing (not exited), paired with `cadre` from a day
// after every pairing the demo made (they begin on the day the demo was built).
std::string PairSomeHousehold(const std::string& session, const std::string& township, int64_t cadre, int from) {
    const std::string admin = S().Login("admin");
    for (int i = from; i < from + 20; ++i) {
        const std::string code = HouseholdIn(admin, township, i);
        Reply r = S().Send("PUT", "/api/households/" + code + "/pairing",
                           Body({{"cadre_id", cadre}, {"from", "2030-02-01"}, {"reason", "调整帮扶力量"}}), session);
        if (r.status == 200) return code;
        EXPECT_EQ(r.status, 409) << r.body;
    }
    ADD_FAILURE() << "no household of " << township << " took a pairing";
    return {};
}

TEST(ApiPairing, ACadreIsAddedChangedAtItsVersionAndMaskedForTheViewer) {
    const std::string admin = S().Login("admin");
    Reply added = S().Send("POST", "/api/cadres", Body(CadreBody("扎西次仁", 2, kTownshipA, 1)), admin);
    ASSERT_EQ(added.status, 201) << added.body;
    const json::object& c = Obj(added);
    const int64_t id = c.at("id").as_int64();
    EXPECT_EQ(added.headers["location"], "/api/cadres/" + std::to_string(id));
    EXPECT_EQ(c.at("load").as_int64(), 0);
    EXPECT_GT(c.at("quota").as_int64(), 0);
    EXPECT_EQ(c.at("township_code").as_string(), kTownshipA);

    // Listed with its load and quota, under its township and the county.
    for (const std::string unit : {std::string(kTownshipA), std::string()}) {
        Reply list = S().Send("GET", "/api/cadres?limit=1000" + (unit.empty() ? "" : "&unit=" + unit), "", admin);
        ASSERT_EQ(list.status, 200) << list.body;
        bool found = false;
        for (const auto& x : Obj(list).at("items").as_array())
            if (x.at("id").as_int64() == id) found = true;
        EXPECT_TRUE(found || !Obj(list).at("next_after").is_null()) << unit;
    }
    Reply other = S().Send("GET", std::string("/api/cadres?unit=") + kTownshipB + "&limit=1000", "", admin);
    for (const auto& x : Obj(other).at("items").as_array()) EXPECT_NE(x.at("id").as_int64(), id);

    // Changed at its version only.
    json::object body = CadreBody("扎西次仁", 1, kTownshipA, 1);
    const std::string path = "/api/cadres/" + std::to_string(id);
    EXPECT_EQ(S().Send("PUT", path, Body(body), admin).status, 428);
    body["version"] = c.at("version").as_int64() + 5;
    EXPECT_EQ(S().Send("PUT", path, Body(body), admin).status, 412);
    body["version"] = c.at("version");
    Reply changed = S().Send("PUT", path, Body(body), admin);
    ASSERT_EQ(changed.status, 200) << changed.body;
    EXPECT_EQ(Obj(changed).at("rank").as_int64(), 1);
    EXPECT_EQ(Obj(changed).at("version").as_int64(), c.at("version").as_int64() + 1);

    // Every problem names its field.
    Reply bad = S().Send("POST", "/api/cadres", Body({{"name", ""}, {"rank", 7}, {"phone", "abc"}}), admin);
    EXPECT_EQ(bad.status, 400) << bad.body;
    std::set<std::string> fields;
    for (const auto& f : Obj(bad).at("error").at("fields").as_array()) fields.insert(std::string(f.at("field").as_string()));
    EXPECT_TRUE(fields.contains("name")) << bad.body;
    EXPECT_TRUE(fields.contains("rank")) << bad.body;

    // The viewer reads the cadre with its ID number and phone masked; the full user reads them whole.
    const std::string whole(c.at("id_number").as_string());
    const std::string phone(c.at("phone").as_string());
    json::object seen = CadreOf(S().Login("viewer"), id);
    EXPECT_NE(seen.at("id_number").as_string(), whole);
    EXPECT_NE(seen.at("phone").as_string(), phone);
    EXPECT_EQ(CadreOf(admin, id).at("id_number").as_string(), whole);

    // A township's officer adds cadres of its own township only; the inspector adds none.
    auto& township = ScopedSessions();
    EXPECT_EQ(S().Send("POST", "/api/cadres", Body(CadreBody("次仁", 3, kTownshipA, 2)), township.at("officer")).status, 201);
    EXPECT_EQ(S().Send("POST", "/api/cadres", Body(CadreBody("次仁", 3, kTownshipB, 3)), township.at("officer")).status, 400);
    EXPECT_EQ(S().Send("POST", "/api/cadres", Body(CadreBody("次仁", 3, kTownshipA, 4)), township.at("inspector")).status, 403);
}

TEST(ApiPairing, ChangingAHouseholdsCadreKeepsTheHistoryAndMovesTheLoads) {
    const std::string admin = S().Login("admin");
    const int64_t first = AddCadre(admin, "格桑", 3, kTownshipA, 11);
    const int64_t second = AddCadre(admin, "央金", 2, kTownshipA, 12);
    const std::string code = PairSomeHousehold(admin, kTownshipA, first, 0);
    ASSERT_FALSE(code.empty());
    EXPECT_EQ(CadreOf(admin, first).at("load").as_int64(), 1);
    auto [h, etag] = Fetch(admin, code);
    EXPECT_EQ(h.at("pairing_cadre").as_string(), "格桑");

    // The same cadre again: refused; another: the old pairing ends the day before.
    Reply same = S().Send("PUT", "/api/households/" + code + "/pairing",
                          Body({{"cadre_id", first}, {"from", "2030-03-01"}, {"reason", "再次结对"}}), admin);
    EXPECT_EQ(same.status, 409) << same.body;
    Reply moved = S().Send("PUT", "/api/households/" + code + "/pairing",
                           Body({{"cadre_id", second}, {"from", "2030-05-01"}, {"reason", "干部调动"}}), admin);
    ASSERT_EQ(moved.status, 200) << moved.body;
    EXPECT_EQ(CurrentCadre(Obj(moved)), second);
    Reply history = S().Send("GET", "/api/households/" + code + "/pairings", "", admin);
    ASSERT_EQ(history.status, 200) << history.body;
    bool ended = false;
    for (const auto& p : Pairings(Obj(history)))
        if (p.at("cadre_id").as_int64() == first && p.as_object().contains("to") && !p.at("to").is_null()) {
            EXPECT_EQ(p.at("to").as_string(), "2030-04-30");
            ended = true;
        }
    EXPECT_TRUE(ended) << history.body;
    EXPECT_EQ(CadreOf(admin, first).at("load").as_int64(), 0);
    EXPECT_EQ(CadreOf(admin, second).at("load").as_int64(), 1);
    EXPECT_EQ(Fetch(admin, code).first.at("pairing_cadre").as_string(), "央金");

    // An unknown cadre, a missing reason: the field named.
    Reply unknown = S().Send("PUT", "/api/households/" + code + "/pairing",
                             Body({{"cadre_id", 99999999}, {"reason", "x"}}), admin);
    EXPECT_EQ(unknown.status, 404) << unknown.body;
    Reply no_reason = S().Send("PUT", "/api/households/" + code + "/pairing", Body({{"cadre_id", first}}), admin);
    EXPECT_EQ(no_reason.status, 400) << no_reason.body;

    // Scope: township A's officer manages A's households, not B's; the viewer writes nothing.
    auto& township = ScopedSessions();
    const std::string in_b = HouseholdIn(admin, kTownshipB, 0);
    EXPECT_EQ(S().Send("GET", "/api/households/" + in_b + "/pairings", "", township.at("officer")).status, 404);
    EXPECT_EQ(S().Send("PUT", "/api/households/" + in_b + "/pairing",
                       Body({{"cadre_id", first}, {"reason", "越权"}}), township.at("officer"))
                  .status,
              404);
    EXPECT_EQ(S().Send("PUT", "/api/households/" + code + "/pairing",
                       Body({{"cadre_id", first}, {"from", "2030-06-01"}, {"reason", "乡镇调整"}}), township.at("officer"))
                  .status,
              200);
    EXPECT_EQ(S().Send("POST", "/api/households/" + code + "/pairing/end", Body({{"reason", "x"}}), S().Login("viewer"))
                  .status,
              403);
}

TEST(ApiPairing, AHouseholdLeftWithoutACadreIsInTheProposalAndTheCountyAppliesIt) {
    const std::string admin = S().Login("admin");
    const int64_t cadre = AddCadre(admin, "多吉", 1, kTownshipA, 21);
    const std::string code = PairSomeHousehold(admin, kTownshipA, cadre, 3);
    ASSERT_FALSE(code.empty());
    auto [h, etag] = Fetch(admin, code);
    const std::string village(h.at("division_code").as_string());
    Reply ended = S().Send("POST", "/api/households/" + code + "/pairing/end",
                           Body({{"to", "2030-06-30"}, {"reason", "干部退休"}}), admin);
    ASSERT_EQ(ended.status, 200) << ended.body;
    EXPECT_EQ(CurrentCadre(Obj(ended)), 0);

    const std::string proposal_path = "/api/pairing/proposal?unit=" + village + "&on=2030-07-01";
    Reply proposal = S().Send("GET", proposal_path, "", admin);
    ASSERT_EQ(proposal.status, 200) << proposal.body;
    const json::object& p = Obj(proposal);
    bool listed = false;
    for (const auto& x : p.at("pairs").as_array())
        if (x.at("household_code").as_string() == code) listed = true;
    for (const auto& x : p.at("uncovered").as_array())
        if (x.at("household_code").as_string() == code) listed = true;
    EXPECT_TRUE(listed) << proposal.body;
    EXPECT_TRUE(p.at("can_apply").as_bool());
    // The same data, the same proposal.
    EXPECT_EQ(Obj(S().Send("GET", proposal_path, "", admin)).at("digest"), p.at("digest"));

    // A township's user sees its proposal and applies nothing.
    auto& township = ScopedSessions();
    Reply theirs = S().Send("GET", proposal_path, "", township.at("admin"));
    ASSERT_EQ(theirs.status, 200) << theirs.body;
    EXPECT_FALSE(Obj(theirs).at("can_apply").as_bool());
    const json::object apply{{"unit", village}, {"on", "2030-07-01"}, {"digest", p.at("digest")}};
    EXPECT_EQ(S().Send("POST", "/api/pairing/apply", Body(apply), township.at("admin")).status, 403);
    // A digest the data has moved past: refused.
    json::object stale = apply;
    stale["digest"] = "0000";
    EXPECT_EQ(S().Send("POST", "/api/pairing/apply", Body(stale), admin).status, 409);

    Reply applied = S().Send("POST", "/api/pairing/apply", Body(apply), admin);
    ASSERT_EQ(applied.status, 200) << applied.body;
    EXPECT_EQ(Obj(applied).at("applied").as_int64(), static_cast<int64_t>(p.at("pairs").as_array().size()));
    if (!p.at("pairs").as_array().empty()) {
        Reply after = S().Send("GET", proposal_path, "", admin);
        EXPECT_TRUE(Obj(after).at("pairs").as_array().empty()) << after.body;
    }
    // The proposal's pair for the household is its pairing now.
    for (const auto& x : p.at("pairs").as_array())
        if (x.at("household_code").as_string() == code)
            EXPECT_EQ(CurrentCadre(Obj(S().Send("GET", "/api/households/" + code + "/pairings", "", admin))),
                      x.at("cadre_id").as_int64());
}

TEST(ApiPairing, AVillageHasOneFirstSecretaryAndShortMonthsAreFlagged) {
    const std::string admin = S().Login("admin");
    const std::string village(Fetch(admin, HouseholdIn(admin, kTownshipA, 5)).first.at("division_code").as_string());
    const int64_t a = AddCadre(admin, "拉巴", 2, kTownshipA, 31);
    const int64_t b = AddCadre(admin, "尼玛", 3, kTownshipA, 32);
    // (end whoever is first secretary there now, so the test owns the post)
    Reply teams = S().Send("GET", "/api/teams?unit=" + village + "&on=2017-01-01", "", admin);
    ASSERT_EQ(teams.status, 200) << teams.body;
    for (const auto& v : Obj(teams).at("villages").as_array())
        for (const auto& m : v.at("members").as_array())
            if (m.at("role").as_int64() == 1 && m.at("to").is_null()) {
                Reply ended = S().Send("POST", "/api/teams/members/" + std::to_string(m.at("id").as_int64()) + "/end",
                                       Body({{"to", "2029-12-31"}}), admin);
                ASSERT_EQ(ended.status, 200) << ended.body;
            }
    Reply first = S().Send("POST", "/api/teams/members",
                           Body({{"village_code", village}, {"cadre_id", a}, {"role", 1}, {"from", "2030-01-01"}}), admin);
    ASSERT_EQ(first.status, 201) << first.body;
    const int64_t member = Obj(first).at("id").as_int64();
    Reply second = S().Send("POST", "/api/teams/members",
                            Body({{"village_code", village}, {"cadre_id", b}, {"role", 1}, {"from", "2030-02-01"}}), admin);
    EXPECT_EQ(second.status, 409) << second.body;
    EXPECT_EQ(S().Send("POST", "/api/teams/members",
                       Body({{"village_code", village}, {"cadre_id", b}, {"role", 3}, {"from", "2030-02-01"}}), admin)
                  .status,
              201);

    const std::string days = "/api/teams/members/" + std::to_string(member) + "/on-post/";
    Reply short_month = S().Send("PUT", days + "2030-03", Body({{"days", 12}}), admin);
    ASSERT_EQ(short_month.status, 200) << short_month.body;
    EXPECT_TRUE(Obj(short_month).at("short").as_bool());
    EXPECT_FALSE(Obj(S().Send("PUT", days + "2030-04", Body({{"days", 25}}), admin)).at("short").as_bool());
    EXPECT_EQ(S().Send("PUT", days + "2030-02", Body({{"days", 30}}), admin).status, 400);
    EXPECT_EQ(S().Send("PUT", days + "2030-13", Body({{"days", 3}}), admin).status, 404);

    Reply listed = S().Send("GET", "/api/teams?unit=" + village + "&on=2030-04-30", "", admin);
    ASSERT_EQ(listed.status, 200) << listed.body;
    EXPECT_NE(listed.body.find("拉巴"), std::string::npos) << listed.body;

    Reply left = S().Send("POST", "/api/teams/members/" + std::to_string(member) + "/end", Body({{"to", "2030-05-31"}}), admin);
    ASSERT_EQ(left.status, 200) << left.body;
    EXPECT_EQ(Obj(left).at("to").as_string(), "2030-05-31");
    // Another township's officer cannot touch the member.
    const std::string other_village(Fetch(admin, HouseholdIn(admin, kTownshipB, 0)).first.at("division_code").as_string());
    auto& township = ScopedSessions();
    EXPECT_EQ(S().Send("POST", "/api/teams/members",
                       Body({{"village_code", other_village}, {"cadre_id", b}, {"role", 3}}), township.at("officer"))
                  .status,
              400);
}

TEST(ApiPairing, OverdueVisitsAndPlaces) {
    const std::string admin = S().Login("admin");
    Reply overdue = S().Send("GET", std::string("/api/visits/overdue?unit=") + kTownshipA + "&on=2030-01-01", "", admin);
    ASSERT_EQ(overdue.status, 200) << overdue.body;
    EXPECT_FALSE(Obj(overdue).at("households").as_array().empty()) << overdue.body;
    EXPECT_EQ(Obj(overdue).at("interval_days").as_int64(), 46);  // ceil(91 / 2)
    for (const auto& x : Obj(overdue).at("households").as_array()) {
        EXPECT_TRUE(x.at("household_code").as_string().starts_with(kTownshipA));
        EXPECT_GT(x.at("days_overdue").as_int64(), 0);
    }
    EXPECT_EQ(S().Send("GET", "/api/visits/overdue?on=2017-02-30", "", admin).status, 400);
    EXPECT_EQ(S().Send("GET", std::string("/api/visits/overdue?unit=") + kTownshipB, "", ScopedSessions().at("officer")).status, 404);

    const std::string code = HouseholdIn(admin, kTownshipA, 2);
    Reply place = S().Send("PUT", "/api/households/" + code + "/place",
                           Body({{"lat", "28.659"}, {"lon", 97.465123}, {"accuracy", 15}, {"recorded_on", "2017-05-01"}}), admin);
    ASSERT_EQ(place.status, 200) << place.body;
    EXPECT_EQ(Obj(place).at("lat").as_string(), "28.659000");
    EXPECT_EQ(Obj(place).at("lon").as_string(), "97.465123");
    EXPECT_EQ(Obj(place).at("source").as_string(), "survey");
    Reply bad_lat = S().Send("PUT", "/api/households/" + code + "/place", Body({{"lat", "91"}, {"lon", "97.4"}}), admin);
    EXPECT_EQ(bad_lat.status, 400) << bad_lat.body;
    EXPECT_NE(bad_lat.body.find("\"field\":\"lat\""), std::string::npos) << bad_lat.body;
    Reply bad_lon = S().Send("PUT", "/api/households/" + code + "/place", Body({{"lat", "28.6"}, {"lon", "97.4651234"}}), admin);
    EXPECT_EQ(bad_lon.status, 400) << bad_lon.body;
    EXPECT_NE(bad_lon.body.find("\"field\":\"lon\""), std::string::npos) << bad_lon.body;
    EXPECT_EQ(S().Send("PUT", "/api/households/" + code + "/place", Body({{"lat", "28.6"}, {"lon", "97.4"}}),
                       S().Login("viewer"))
                  .status,
              403);
}

}  // namespace
}  // namespace jz::server::testing
