// The periodic reports' routes against the real server on the demo county (issue 17): a report as
// JSON, .xlsx and PDF; scope (a township's account: its township and villages, not the county or
// a battle office); issuing once (201, then 409), listing, the stored document, comparing, the
// schedule.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "server/api_test_support.h"

namespace jz::server::testing {
namespace {

std::string County(const std::string& admin) {
    Reply me = S().Send("GET", "/api/plan", "", admin);
    return std::string(me.Json().at("county_code").as_string());
}

TEST(ApiPeriodicReports, JsonXlsxAndPdf) {
    const std::string admin = S().Login("admin");
    const std::string county = County(admin);
    Reply r = S().Send("GET", "/api/reports/periodic?kind=weekly&unit=" + county + "&period=2017-W26", "", admin);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto& doc = r.Json().at("document");
    EXPECT_EQ(doc.at("kind").as_string(), "weekly");
    EXPECT_EQ(doc.at("from").as_string(), "2017-06-26");
    EXPECT_EQ(doc.at("unit").at("code").as_string(), county);
    bool task = false;
    for (const auto& s : doc.at("sections").as_array()) {
        task = task || s.at("id").as_string() == "task";
        if (s.at("rows").as_array().empty()) EXPECT_FALSE(s.at("note_zh").as_string().empty()) << s.at("id");
    }
    EXPECT_TRUE(task);

    Reply x = S().Send("GET", "/api/reports/periodic?kind=monthly&unit=" + county + "&period=2017-06&format=xlsx", "",
                       admin);
    ASSERT_EQ(x.status, 200) << x.body;
    EXPECT_EQ(x.headers["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    EXPECT_NE(x.headers["content-disposition"].find("attachment"), std::string::npos);
    EXPECT_NE(x.headers["content-disposition"].find("report-monthly-" + county + "-2017-06.xlsx"), std::string::npos);
    EXPECT_EQ(x.body.substr(0, 2), "PK");

    Reply p = S().Send("GET", "/api/reports/periodic?kind=annual&unit=" + county + "&period=2016&format=pdf", "", admin);
    if (p.status == 200) {
        EXPECT_EQ(p.headers["content-type"], "application/pdf");
        EXPECT_EQ(p.body.substr(0, 5), "%PDF-");
    } else {
        EXPECT_EQ(p.status, 501) << p.body;  // a build without the PDF renderer
    }
}

TEST(ApiPeriodicReports, ErrorsAndScope) {
    const std::string admin = S().Login("admin");
    const std::string county = County(admin);
    EXPECT_EQ(S().Send("GET", "/api/reports/periodic?kind=weekly&unit=" + county + "&period=2017-06", "", admin).status,
              400);
    EXPECT_EQ(S().Send("GET", "/api/reports/periodic?kind=daily&unit=" + county + "&period=2017", "", admin).status, 400);
    Reply unknown = S().Send("GET", "/api/reports/periodic?kind=weekly&unit=999999&period=2017-W26", "", admin);
    EXPECT_EQ(unknown.status, 404);
    EXPECT_EQ(unknown.Json().at("error").at("code").as_string(), "report.unknown_unit");
    Reply future = S().Send("GET", "/api/reports/periodic?kind=annual&unit=" + county + "&period=2099", "", admin);
    EXPECT_EQ(future.status, 422);
    EXPECT_EQ(S().Send("GET", "/api/reports/periodic?kind=weekly&period=2017-W26&format=doc&unit=" + county, "", admin)
                  .status,
              400);
    const std::string township = ScopedSessions().at("viewer");
    EXPECT_EQ(S().Send("GET", "/api/reports/periodic?kind=weekly&unit=" + county + "&period=2017-W26", "", township)
                  .status,
              403);
    EXPECT_EQ(S().Send("GET", "/api/reports/periodic?kind=weekly&unit=industry&period=2017-W26", "", township).status,
              403);
    Reply own = S().Send("GET", std::string("/api/reports/periodic?kind=weekly&unit=") + kTownshipA + "&period=2017-W26",
                         "", township);
    EXPECT_EQ(own.status, 200) << own.body;
    Reply battle = S().Send("GET", "/api/reports/periodic?kind=monthly&unit=industry&period=2017-06", "", admin);
    EXPECT_EQ(battle.status, 200) << battle.body;
}

TEST(ApiPeriodicReports, IssueOnceShowCompareAndDue) {
    const std::string admin = S().Login("admin");
    const std::string unit = kTownshipA;
    const std::string officer = ScopedSessions().at("officer");
    const std::string viewer = ScopedSessions().at("viewer");
    auto issue = [&](const std::string& session, const std::string& period) {
        return S().Send("POST", "/api/reports/issued",
                        json::serialize(json::object{{"kind", "monthly"}, {"unit", unit}, {"period", period}}), session);
    };
    EXPECT_EQ(issue(viewer, "2017-04").status, 403);
    Reply first = issue(officer, "2017-04");
    ASSERT_EQ(first.status, 201) << first.body;
    const auto& meta = first.Json().at("issued");
    EXPECT_EQ(meta.at("hash").as_string().size(), 64u);
    EXPECT_GT(meta.at("seq").as_int64(), 0);
    const int64_t first_id = meta.at("id").as_int64();
    Reply again = issue(officer, "2017-04");
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(again.Json().at("error").at("code").as_string(), "report.already_issued");
    Reply second = issue(admin, "2017-05");
    ASSERT_EQ(second.status, 201) << second.body;
    const int64_t second_id = second.Json().at("issued").at("id").as_int64();

    Reply list = S().Send("GET", "/api/reports/issued?unit=" + unit + "&kind=monthly", "", viewer);
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_GE(list.Json().at("total").as_int64(), 2);
    EXPECT_EQ(list.Json().at("issued").at(0).at("id").as_int64(), second_id);  // newest first

    Reply shown = S().Send("GET", "/api/reports/issued/" + std::to_string(first_id), "", viewer);
    ASSERT_EQ(shown.status, 200) << shown.body;
    EXPECT_EQ(shown.Json().at("issued").at("hash"), meta.at("hash"));
    EXPECT_EQ(shown.Json().at("document"), first.Json().at("document"));
    Reply file = S().Send("GET", "/api/reports/issued/" + std::to_string(first_id) + "?format=xlsx", "", viewer);
    EXPECT_EQ(file.status, 200);
    EXPECT_EQ(file.body.substr(0, 2), "PK");

    Reply compared = S().Send("GET", "/api/reports/issued/" + std::to_string(second_id) + "/compare", "", viewer);
    ASSERT_EQ(compared.status, 200) << compared.body;
    EXPECT_EQ(compared.Json().at("previous").at("id").as_int64(), first_id);
    EXPECT_TRUE(compared.Json().at("rows").is_array());
    EXPECT_EQ(S().Send("GET", "/api/reports/issued/" + std::to_string(first_id) + "/compare", "", viewer).status, 404);

    Reply due = S().Send("GET", "/api/reports/due?as_of=2017-06-10", "", viewer);
    ASSERT_EQ(due.status, 200) << due.body;
    bool issued_seen = false, overdue_seen = false;
    for (const auto& i : due.Json().at("items").as_array()) {
        EXPECT_EQ(i.at("unit_code").as_string(), unit);  // a township's account: its own
        if (i.at("kind") == "monthly" && i.at("period") == "2017-04") issued_seen = i.at("state") == "issued";
        if (i.at("kind") == "weekly" && i.at("period") == "2017-W22") overdue_seen = i.at("state") == "overdue";
    }
    EXPECT_TRUE(issued_seen);
    EXPECT_TRUE(overdue_seen);
    Reply all = S().Send("GET", "/api/reports/due?as_of=2017-06-10", "", admin);
    ASSERT_EQ(all.status, 200);
    EXPECT_EQ(S().Send("GET", "/api/reports/due?unit=industry", "", viewer).status, 403);
}

}  // namespace
}  // namespace jz::server::testing
