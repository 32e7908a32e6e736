// The household routes against the real server: masking, the list and its search, edits with
// validation and versions, malformed requests.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <functional>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "server/api_test_support.h"

namespace jz::server::testing {
namespace {

TEST(Api, ViewerSeesMaskedIdNumbers) {
    const std::string viewer = S().Login("viewer");
    Reply list = S().Send("GET", "/api/households?page_size=3", "", viewer);
    ASSERT_EQ(list.status, 200);
    for (const auto& item : list.Json().at("items").as_array()) {
        const std::string id(item.at("head_id_number").as_string());
        EXPECT_EQ(id.substr(6), std::string(12, '*')) << id;
    }
    const std::string code(list.Json().at("items").as_array()[0].at("household_code").as_string());
    Reply one = S().Send("GET", "/api/households/" + code, "", viewer);
    Reply full = S().Send("GET", "/api/households/" + code, "", S().Login("admin"));
    const auto& members = one.Json().at("members").as_array();
    ASSERT_EQ(members.size(), full.Json().at("members").as_array().size());
    for (size_t i = 0; i < members.size(); ++i) {
        const auto& m = members[i].as_object();
        const auto& f = full.Json().at("members").as_array()[i].as_object();
        EXPECT_EQ(m.at("id_number").as_string(), MaskIdNumber(f.at("id_number").as_string()));
        EXPECT_FALSE(m.contains("birth_date"));  // the finding: the birth date gave the digits back
        EXPECT_EQ(m.at("birth_year").as_int64(),
                  std::stoi(std::string(f.at("birth_date").as_string()).substr(0, 4)));
        EXPECT_FALSE(f.contains("birth_year"));
    }
}

TEST(Api, ListFiltersAndSearch) {
    const std::string admin = S().Login("admin");
    Reply all = S().Send("GET", "/api/households?page_size=5", "", admin);
    const int64_t total = all.Json().at("total").as_int64();
    EXPECT_GT(total, 1000);
    Reply a = S().Send("GET", std::string("/api/households?division=") + kTownshipA, "", admin);
    Reply b = S().Send("GET", std::string("/api/households?division=") + kTownshipB, "", admin);
    EXPECT_LT(a.Json().at("total").as_int64(), total);
    for (const auto& item : a.Json().at("items").as_array())
        EXPECT_TRUE(std::string(item.at("division_code").as_string()).starts_with(kTownshipA));
    Reply exited = S().Send("GET", "/api/households?status=1&page_size=200", "", admin);
    for (const auto& item : exited.Json().at("items").as_array()) EXPECT_EQ(item.at("status").as_int64(), 1);
    Reply by_name = S().Send(
        "GET",
        "/api/"
        "households?status=%E5%B7%B2%E8%84%B1%E8%B4%AB%EF%BC%88%E4%BA%AB%E5%8F%97%E6%94%BF%E7%AD%96%EF%BC%89",
        "", admin);
    EXPECT_EQ(by_name.status, 200) << by_name.body;
    const std::string code(all.Json().at("items").as_array()[0].at("household_code").as_string());
    Reply q = S().Send("GET", "/api/households?q=" + code, "", admin);
    ASSERT_EQ(q.Json().at("total").as_int64(), 1);
    const std::string head(all.Json().at("items").as_array()[0].at("head_id_number").as_string());
    EXPECT_EQ(S().Send("GET", "/api/households?q=" + head, "", admin)
                  .Json()
                  .at("items")
                  .as_array()[0]
                  .at("household_code"),
              json::value(code));
    // Years: planned exit, and exit (of households exited that year).
    Reply planned = S().Send("GET", "/api/households?planned_exit_year=2017&page_size=200", "", admin);
    EXPECT_GT(planned.Json().at("total").as_int64(), 0);
    for (const auto& item : planned.Json().at("items").as_array())
        EXPECT_EQ(item.at("planned_exit_year"), json::value(2017));
    Reply exited_2016 = S().Send("GET", "/api/households?exit_year=2016&page_size=200", "", admin);
    EXPECT_GT(exited_2016.Json().at("total").as_int64(), 0);
    for (const auto& item : exited_2016.Json().at("items").as_array()) {
        EXPECT_EQ(item.at("exit_year"), json::value(2016));
        EXPECT_NE(item.at("status"), json::value(0));
    }
    // The export takes the list's filters: the same households.
    Reply filtered =
        S().Send("GET", std::string("/api/households?status=0&cause=1&division=") + kTownshipA, "", admin);
    Reply csv = S().Send(
        "GET", std::string("/api/exports/registry.csv?status=0&cause=1&division=") + kTownshipA, "", admin);
    ASSERT_EQ(csv.status, 200);
    std::set<std::string> exported;
    for (size_t at = csv.body.find('\n'); at != std::string::npos && at + 1 < csv.body.size();
         at = csv.body.find('\n', at + 1))
        exported.insert(csv.body.substr(at + 1, csv.body.find(',', at + 1) - at - 1));
    EXPECT_EQ(static_cast<int64_t>(exported.size()), filtered.Json().at("total").as_int64());
    EXPECT_GT(exported.size(), 0u);
    EXPECT_EQ(S().Send("GET", "/api/exports/registry.csv?status=zz", "", admin).status, 400);
    Reply bad = S().Send("GET", "/api/households?page_size=0&status=zz", "", admin);
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.Json().at("error").at("fields").as_array().size(), 2u);
    // Pages do not overlap and follow each other.
    Reply p1 = S().Send("GET", "/api/households?page=1&page_size=3", "", admin);
    Reply p2 = S().Send("GET", "/api/households?page=2&page_size=3", "", admin);
    EXPECT_NE(p1.Json().at("items").as_array()[2], p2.Json().at("items").as_array()[0]);
    EXPECT_LT(p1.Json().at("items").as_array()[2].at("household_code").as_string(),
              p2.Json().at("items").as_array()[0].at("household_code").as_string());
}

TEST(Api, EditWithValidationAndOptimisticConcurrency) {
    const std::string officer = S().Login("officer");  // township 540425100
    const std::string code = HouseholdIn(S().Login("admin"), kTownshipA, 1);
    auto [household, etag] = Fetch(officer, code);
    // An invalid ID number: 400, the field named, nothing changed.
    json::object bad = household;
    bad["members"].as_array()[0].as_object()["id_number"] = "540425199001011230";
    Reply r = S().Send("PUT", "/api/households/" + code, json::serialize(bad), officer, {{"If-Match", etag}});
    ASSERT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.Json().at("error").at("fields").as_array()[0].at("field"),
              json::value("members[0].id_number"));
    EXPECT_EQ(Fetch(officer, code).second, etag);
    // Wrong types and unknown fields.
    json::object typed = household;
    typed["members"] = "everyone";
    EXPECT_EQ(
        S().Send("PUT", "/api/households/" + code, json::serialize(typed), officer, {{"If-Match", etag}})
            .status,
        400);
    json::object unknown = household;
    unknown["favourite_colour"] = "red";
    Reply u =
        S().Send("PUT", "/api/households/" + code, json::serialize(unknown), officer, {{"If-Match", etag}});
    EXPECT_EQ(u.status, 400);
    EXPECT_EQ(u.Json().at("error").at("fields").as_array()[0].at("field"), json::value("favourite_colour"));
    // Without If-Match: 428.
    EXPECT_EQ(S().Send("PUT", "/api/households/" + code, json::serialize(household), officer).status, 428);

    // Two writers with the same ETag: exactly one wins.
    json::object first = household, second = household;
    first["pairing_cadre"] = "甲";
    second["pairing_cadre"] = "乙";
    int statuses[2] = {};
    std::thread t1([&] {
        statuses[0] =
            S().Send("PUT", "/api/households/" + code, json::serialize(first), officer, {{"If-Match", etag}})
                .status;
    });
    std::thread t2([&] {
        statuses[1] =
            S().Send("PUT", "/api/households/" + code, json::serialize(second), officer, {{"If-Match", etag}})
                .status;
    });
    t1.join();
    t2.join();
    std::multiset<int> got{statuses[0], statuses[1]};
    EXPECT_EQ(got, (std::multiset<int>{200, 412}));
    auto [after, new_etag] = Fetch(officer, code);
    EXPECT_NE(new_etag, etag);
    EXPECT_EQ(after["pairing_cadre"], json::value(statuses[0] == 200 ? "甲" : "乙"));
    Reply history = S().Send("GET", "/api/households/" + code + "/history", "", officer);
    ASSERT_EQ(history.status, 200);
    const json::value hv = history.Json();
    const auto& items = hv.at("items").as_array();
    EXPECT_EQ(items.back().at("action"), json::value("update"));
    EXPECT_EQ(items.back().at("actor"), json::value("officer"));
}

TEST(Api, MalformedAndHugeRequestsChangeNothing) {
    const std::string admin = S().Login("admin");
    const std::string code = HouseholdIn(admin, kTownshipA, 2);
    auto [household, etag] = Fetch(admin, code);
    const auto seq_before = S().Send("GET", "/api/audit?limit=1000&household=" + code, "", admin).body;
    EXPECT_EQ(S().Send("PUT", "/api/households/" + code, "{not json", admin, {{"If-Match", etag}}).status,
              400);
    EXPECT_EQ(S().Send("PUT", "/api/households/" + code, "[1,2]", admin, {{"If-Match", etag}}).status, 400);
    EXPECT_EQ(S().Send("POST", "/api/households", std::string(2 << 20, ' '), admin).status, 413);
    EXPECT_EQ(S().Send("GET", "/api/no/such/route", "", admin).status, 404);
    EXPECT_EQ(S().Send("DELETE", "/api/households/" + code, "", admin).status, 405);
    EXPECT_EQ(S().Send("PUT", "/api/households/" + code, json::serialize(household), "jz_session=bad",
                       {{"If-Match", etag}})
                  .status,
              401);
    EXPECT_EQ(Fetch(admin, code).second, etag);
    EXPECT_EQ(S().Send("GET", "/api/audit?limit=1000&household=" + code, "", admin).body, seq_before);
}

}  // namespace
}  // namespace jz::server::testing
