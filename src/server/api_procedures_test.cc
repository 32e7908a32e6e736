// Dynamic management through the API: exit candidates, procedures and their steps, population,
// incidence, the adjustment and the third-party evaluation.
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

// --------------------------------------------------------------------------- dynamic management

TEST(ApiDynamic, ExitCandidatesListCandidatesAndExplainTheOthers) {
    const std::string admin = S().Login("admin");
    Reply r = S().Send("GET", "/api/exit-candidates?year=2017&which=not_ready&limit=5", "", admin);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto& o = Obj(r);
    EXPECT_EQ(o.at("poverty_line_yuan").as_string(), "2952");
    EXPECT_GT(o.at("total_candidates").to_number<int64_t>(), 0);
    EXPECT_GT(o.at("total_not_ready").to_number<int64_t>(), 0);
    for (const auto& item : o.at("items").as_array()) {
        EXPECT_FALSE(item.at("unmet").as_array().empty());
        EXPECT_FALSE(item.at("head_name").as_string().empty());
    }
    int64_t by_township = 0;
    for (const auto& t : o.at("townships").as_array()) by_township += t.at("candidates").to_number<int64_t>();
    EXPECT_EQ(by_township, o.at("total_candidates").to_number<int64_t>());
    EXPECT_EQ(S().Send("GET", "/api/exit-candidates", "", admin).status, 400);
    EXPECT_EQ(S().Send("GET", "/api/exit-candidates?year=2017&which=all", "", admin).status, 400);
    // A township officer sees only their township.
    r = S().Send("GET", "/api/exit-candidates?year=2017", "", S().Login("officer"));
    ASSERT_EQ(r.status, 200);
    for (const auto& t : Obj(r).at("townships").as_array()) EXPECT_EQ(t.at("code").as_string(), kTownshipA);
    EXPECT_EQ(
        S().Send("GET", "/api/exit-candidates?year=2017&division=540425101", "", S().Login("officer")).status,
        404);
}

TEST(ApiDynamic, AnExitGoesThroughEveryStepWithTheRightLevels) {
    const std::string admin = S().Login("admin");
    const std::string officer = S().Login("officer");  // township 540425100
    const std::string viewer = S().Login("viewer");
    const std::string code = CandidateIn(admin, kTownshipA, 2017, 0);
    EXPECT_EQ(CandidateIn(admin, kTownshipA, 2017, 0), code);  // (answered from the kept result)
    EXPECT_EQ(
        S().Send("POST", "/api/procedures",
                 Body({{"kind", "exit"}, {"household_code", code}, {"year", 2017}, {"date", "2017-09-01"}}),
                 viewer)
            .status,
        403);
    Reply opened = S().Send(
        "POST", "/api/procedures",
        Body({{"kind", "exit"}, {"household_code", code}, {"year", 2017}, {"date", "2017-09-01"}}), officer);
    ASSERT_EQ(opened.status, 201) << opened.body;
    const int64_t id = Obj(opened).at("id").as_int64();
    EXPECT_EQ(Obj(opened).at("state").as_string(), "proposed");
    EXPECT_EQ(Obj(opened).at("next_step").at("step").as_string(), "appraise");
    // A second exit case for the same household is refused while this one is open.
    EXPECT_EQ(
        S().Send("POST", "/api/procedures",
                 Body({{"kind", "exit"}, {"household_code", code}, {"year", 2017}, {"date", "2017-09-01"}}),
                 officer)
            .status,
        409);
    EXPECT_EQ(Step(officer, id, "announce", "2017-09-02").status, 409);  // skipping steps
    EXPECT_EQ(Step(viewer, id, "appraise", "2017-09-02").status, 403);
    EXPECT_EQ(Step(ScopedSessions().at("inspector"), id, "appraise", "2017-09-02").status, 403);
    EXPECT_EQ(Step(officer, id, "appraise", "2017-09-02", {{"version", 7}}).status, 412);
    ASSERT_EQ(Step(officer, id, "appraise", "2017-09-02", {{"version", 1}}).status, 200);
    ASSERT_EQ(Step(officer, id, "verify", "2017-09-03").status, 200);
    ASSERT_EQ(Step(officer, id, "agree", "2017-09-04").status, 200);
    Reply notice = Step(officer, id, "notice", "2017-09-05");
    ASSERT_EQ(notice.status, 200) << notice.body;
    EXPECT_EQ(Obj(notice).at("notice_until").as_string(), "2017-09-11");
    EXPECT_EQ(Obj(notice).at("next_step").at("level").as_string(), "county");
    EXPECT_EQ(Obj(notice).at("next_step").at("not_before").as_string(), "2017-09-12");
    EXPECT_EQ(Step(officer, id, "announce", "2017-09-12").status, 403);  // only the county announces
    Reply early = Step(admin, id, "announce", "2017-09-11");
    EXPECT_EQ(early.status, 409);
    EXPECT_EQ(Obj(early).at("error").at("code").as_string(), "procedure.notice_period");
    // The queue shows it waiting for the county.
    Reply queue = S().Send("GET", "/api/procedures?open=true&kind=exit", "", officer);
    ASSERT_EQ(queue.status, 200);
    bool waiting = false;
    for (const auto& w : Obj(queue).at("waiting").as_array())
        if (w.at("township_code").as_string() == kTownshipA && w.at("county").as_int64() >= 1) waiting = true;
    EXPECT_TRUE(waiting) << queue.body;
    Reply done = Step(admin, id, "announce", "2017-09-12");
    ASSERT_EQ(done.status, 200) << done.body;
    EXPECT_EQ(Obj(done).at("state").as_string(), "exited");
    EXPECT_FALSE(Obj(done).at("open").as_bool());
    Reply h = S().Send("GET", "/api/households/" + code, "", admin);
    EXPECT_EQ(h.Json().at("status").as_int64(), 1);
    // The kept candidates answer follows the change: the household is no longer a candidate.
    for (size_t i = 0; i < 3; ++i) EXPECT_NE(CandidateIn(admin, kTownshipA, 2017, i), code);
    EXPECT_EQ(h.Json().at("exit_year").as_int64(), 2017);
    Reply timeline = S().Send("GET", "/api/households/" + code + "/timeline", "", viewer);
    ASSERT_EQ(timeline.status, 200);
    ASSERT_EQ(Obj(timeline).at("cases").as_array().size(), 1u);
    EXPECT_EQ(Obj(timeline).at("cases").as_array()[0].at("steps").as_array().size(), 6u);
    // An inspector of the township reads the case (and took no step above).
    EXPECT_EQ(
        S().Send("GET", "/api/procedures/" + std::to_string(id), "", ScopedSessions().at("inspector")).status,
        200);
    Reply audit = S().Send("GET", "/api/audit?entity=procedure_case&key=" + std::to_string(id), "", admin);
    ASSERT_EQ(audit.status, 200) << audit.body;
    EXPECT_EQ(Obj(audit).at("items").as_array().size(), 6u) << audit.body.substr(0, 400);
    // The township's inspector reads the case's entries too (they are in its scope).
    audit = S().Send("GET", "/api/audit?entity=procedure_case&key=" + std::to_string(id), "",
                     ScopedSessions().at("inspector"));
    ASSERT_EQ(audit.status, 200) << audit.body;
    EXPECT_EQ(Obj(audit).at("items").as_array().size(), 6u);

    // It falls back, then is deregistered; its code can never be registered again.
    Reply fell = S().Send("POST", "/api/procedures",
                          Body({{"kind", "fallback"},
                                {"household_code", code},
                                {"year", 2018},
                                {"date", "2018-03-01"},
                                {"reason", "因病返贫"}}),
                          officer);
    ASSERT_EQ(fell.status, 201) << fell.body;
    EXPECT_EQ(S().Send("GET", "/api/households/" + code, "", admin).Json().at("status").as_int64(), 3);
    Reply household = S().Send("GET", "/api/households/" + code, "", admin);
    Reply gone = S().Send("POST", "/api/procedures",
                          Body({{"kind", "deregistration"},
                                {"household_code", code},
                                {"year", 2018},
                                {"date", "2018-04-01"},
                                {"reason", "moved_away"}}),
                          officer);
    ASSERT_EQ(gone.status, 201) << gone.body;
    EXPECT_EQ(S().Send("GET", "/api/households/" + code, "", admin).status, 404);
    EXPECT_EQ(S().Send("GET", "/api/households/" + code + "/timeline", "", admin).status, 200);
    json::object again = household.Json().as_object();
    again.erase("version");
    again.erase("exit_year");
    again["status"] = 0;
    Reply refused = S().Send(
        "POST", "/api/procedures",
        Body({{"kind", "new_identification"}, {"household", again}, {"year", 2018}, {"date", "2018-05-01"}}),
        officer);
    EXPECT_EQ(refused.status, 409) << refused.body;
    EXPECT_EQ(Obj(refused).at("error").at("code").as_string(), "household.deregistered");
}

// Cases and the queue name the household's head, as the household list does (names are not
// masked for any role; the list shows them to a viewer too), and a deregistered household's case
// still names it from the copy it keeps.
TEST(ApiDynamic, CasesAndTheQueueNameTheHead) {
    const std::string admin = S().Login("admin");
    const std::string officer = S().Login("officer");
    const std::string viewer = S().Login("viewer");
    const std::string code = CandidateIn(admin, kTownshipA, 2017, 7);
    Reply listed = S().Send("GET", "/api/households?q=" + code, "", viewer);
    ASSERT_EQ(listed.status, 200) << listed.body;
    ASSERT_EQ(Obj(listed).at("items").as_array().size(), 1u) << listed.body;
    const json::value head = Obj(listed).at("items").as_array()[0].at("head_name");
    ASSERT_FALSE(head.as_string().empty());
    Reply opened = S().Send(
        "POST", "/api/procedures",
        Body({{"kind", "exit"}, {"household_code", code}, {"year", 2017}, {"date", "2017-09-01"}}), officer);
    ASSERT_EQ(opened.status, 201) << opened.body;
    EXPECT_EQ(Obj(opened).at("head_name"), head);
    const std::string id = std::to_string(Obj(opened).at("id").as_int64());
    for (const std::string& who : {admin, viewer}) {
        Reply one = S().Send("GET", "/api/procedures/" + id, "", who);
        ASSERT_EQ(one.status, 200) << one.body;
        EXPECT_EQ(Obj(one).at("head_name"), head);
        Reply queue = S().Send("GET", "/api/procedures?household=" + code, "", who);
        ASSERT_EQ(queue.status, 200) << queue.body;
        ASSERT_FALSE(Obj(queue).at("items").as_array().empty());
        for (const json::value& item : Obj(queue).at("items").as_array()) EXPECT_EQ(item.at("head_name"), head);
        Reply timeline = S().Send("GET", "/api/households/" + code + "/timeline", "", who);
        ASSERT_EQ(timeline.status, 200);
        for (const json::value& c : Obj(timeline).at("cases").as_array()) EXPECT_EQ(c.at("head_name"), head);
    }
}

TEST(ApiDynamic, BadBodiesNameTheField) {
    const std::string admin = S().Login("admin");
    auto field_of = [](const Reply& r) {
        return std::string(r.Json().at("error").at("fields").at(0).at("field").as_string());
    };
    Reply r = S().Send("POST", "/api/procedures", Body({{"kind", "exit"}, {"year", 2017}}), admin);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(field_of(r), "date");
    r = S().Send("POST", "/api/procedures", Body({{"kind", "leave"}, {"year", 2017}, {"date", "2017-01-01"}}),
                 admin);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(field_of(r), "kind");
    r = S().Send("POST", "/api/procedures",
                 Body({{"kind", "exit"}, {"year", 2017}, {"date", "2017-02-30"}, {"household_code", "x"}}),
                 admin);
    EXPECT_EQ(field_of(r), "date");
    r = S().Send("POST", "/api/procedures",
                 Body({{"kind", "exit"}, {"year", 2017}, {"date", "2017-02-03"}, {"colour", "red"}}), admin);
    EXPECT_EQ(field_of(r), "colour");
    EXPECT_EQ(S().Send("POST", "/api/procedures", "[1]", admin).status, 400);
    EXPECT_EQ(
        S().Send("POST", "/api/procedures",
                 Body({{"kind", "exit"}, {"year", 2017}, {"date", "2017-02-03"}, {"household_code", "nope"}}),
                 admin)
            .status,
        404);
    EXPECT_EQ(Step(admin, 999999, "appraise", "2017-01-01").status, 404);
    EXPECT_EQ(S().Send("GET", "/api/procedures/abc", "", admin).status, 404);
    EXPECT_EQ(S().Send("GET", "/api/incidence", "", admin).status, 400);
}

TEST(ApiDynamic, PopulationIncidenceAdjustmentAndEvaluation) {
    const std::string admin = S().Login("admin");
    const std::string officer = S().Login("officer");
    const std::string village = "540425100201";
    // Before the setting: no population (and the answer is kept, until the setting changes it).
    Reply unset = S().Send("GET", "/api/incidence?year=2017", "", officer);
    ASSERT_EQ(unset.status, 200);
    for (const auto& v : Obj(unset).at("villages").as_array())
        if (v.at("code").as_string() == village) {
            EXPECT_TRUE(v.at("population").is_null());
            EXPECT_TRUE(v.at("meets_threshold").is_null());  // unknown, not false
        }
    // No population for the county either: whether it meets the threshold is unknown.
    EXPECT_TRUE(Obj(unset).at("county").at("incidence").is_null());
    EXPECT_TRUE(Obj(unset).at("county").at("meets_threshold").is_null());
    EXPECT_EQ(S().Send("PUT", "/api/org-units/" + village + "/population",
                       Body({{"year", 2017}, {"rural_population", 1000}}), officer)
                  .status,
              403);
    EXPECT_EQ(S().Send("PUT", "/api/org-units/" + village + "/population",
                       Body({{"year", 2017}, {"rural_population", -1}}), admin)
                  .status,
              400);
    ASSERT_EQ(S().Send("PUT", "/api/org-units/" + village + "/population",
                       Body({{"year", 2017}, {"rural_population", 1000}}), admin)
                  .status,
              200);
    Reply inc = S().Send("GET", "/api/incidence?year=2017", "", officer);
    ASSERT_EQ(inc.status, 200);
    bool found = false;
    for (const auto& v : Obj(inc).at("villages").as_array()) {
        EXPECT_TRUE(v.at("code").as_string().starts_with(kTownshipA));
        if (v.at("code").as_string() == village) {
            found = true;
            EXPECT_EQ(v.at("population").as_int64(), 1000);
            EXPECT_DOUBLE_EQ(v.at("incidence").as_double(), v.at("poor_persons").as_int64() / 1000.0);
            EXPECT_TRUE(v.at("meets_threshold").is_bool());
        }
    }
    EXPECT_TRUE(found);

    // An open case blocks the year's approval; only the county approves.
    const std::string code = CandidateIn(admin, kTownshipA, 2019, 1);
    ASSERT_EQ(
        S().Send("POST", "/api/procedures",
                 Body({{"kind", "exit"}, {"household_code", code}, {"year", 2019}, {"date", "2019-03-01"}}),
                 officer)
            .status,
        201);
    Reply adj = S().Send("GET", "/api/adjustments/2019", "", admin);
    ASSERT_EQ(adj.status, 200);
    EXPECT_EQ(Obj(adj).at("total").at("open_cases").as_int64(), 1);
    EXPECT_EQ(
        S().Send("POST", "/api/adjustments/2019/approve", Body({{"date", "2019-12-31"}}), officer).status,
        403);
    Reply refused = S().Send("POST", "/api/adjustments/2019/approve", Body({{"date", "2019-12-31"}}), admin);
    EXPECT_EQ(refused.status, 409);
    EXPECT_EQ(Obj(refused).at("error").at("code").as_string(), "procedure.open_cases");
    Reply fine = S().Send("POST", "/api/adjustments/2020/approve", Body({{"date", "2020-12-31"}}), admin);
    ASSERT_EQ(fine.status, 200) << fine.body;
    EXPECT_EQ(Obj(fine).at("approval").at("approved_by").as_string(), "admin");
    EXPECT_EQ(S().Send("POST", "/api/adjustments/2020/approve", Body({{"date", "2020-12-31"}}), admin).status,
              409);

    // The evaluation sample is reproducible; verdicts move the rates.
    const json::object draw{{"year", 2017}, {"size", 5}, {"seed", 2016}};
    EXPECT_EQ(S().Send("POST", "/api/evaluations", Body(draw), officer).status, 403);
    Reply a = S().Send("POST", "/api/evaluations", Body(draw), admin);
    Reply b = S().Send("POST", "/api/evaluations", Body(draw), admin);
    ASSERT_EQ(a.status, 201) << a.body;
    EXPECT_EQ(Obj(a).at("items"), Obj(b).at("items"));
    EXPECT_EQ(Obj(a).at("items").as_array().size(), 5u);
    const std::string eid = std::to_string(Obj(a).at("id").as_int64());
    const std::string sampled(Obj(a).at("items").as_array()[0].at("household_code").as_string());
    Reply judged = S().Send("PUT", "/api/evaluations/" + eid + "/items/" + sampled,
                            Body({{"verdict", "wrongful"}, {"notes", "收入未达标"}}), admin);
    ASSERT_EQ(judged.status, 200) << judged.body;
    EXPECT_EQ(Obj(judged).at("rates").at("judged").as_int64(), 1);
    EXPECT_DOUBLE_EQ(Obj(judged).at("rates").at("wrongful_exit_rate").as_double(), 1.0);
    EXPECT_EQ(Obj(judged).at("rates").at("vetoes").at(0).at("id").as_string(), "wrongful_exit_rate");
    EXPECT_EQ(
        S().Send("PUT", "/api/evaluations/" + eid + "/items/nope", Body({{"verdict", "correct"}}), admin)
            .status,
        404);
    Reply survey = S().Send("PATCH", "/api/evaluations/" + eid,
                            Body({{"approval_surveyed", 100}, {"approval_satisfied", 95}}), admin);
    ASSERT_EQ(survey.status, 200) << survey.body;
    EXPECT_DOUBLE_EQ(Obj(survey).at("rates").at("approval_rate").as_double(), 0.95);
    EXPECT_EQ(S().Send("PATCH", "/api/evaluations/" + eid, Body({{"approval_satisfied", 101}}), admin).status,
              400);
    // Every change is in the chain.
    EXPECT_NE(testing::Run(std::string(JZ_BINARY) + " audit verify --db " + S().db).find("intact"),
              std::string::npos);
}

}  // namespace
}  // namespace jz::server::testing
