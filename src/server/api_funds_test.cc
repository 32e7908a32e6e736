// Funds' and the project library's routes against the real server (issue 16): sources, allocations
// and payees written by the county only; a project applied by a village's writer's township, walked
// through its levels (403 at the wrong level, 409 for a step the state does not take), its notice;
// entries posted (a refusal: 422 with the rule and "entries[i].amount", kept as a finding) and
// reversed; balances, the monthly report and the findings; a township's reader sees its own rows only.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "server/api_test_support.h"

namespace jz::server::testing {
namespace {

// The county's admin's allocation, payee and an approved project in township A (made once).
struct Fixture {
    std::string admin;
    int64_t allocation = 0;
    int64_t payee = 0;
    int64_t project = 0;
    std::string code = "FPAPI-01";
    std::string household;
};

json::object ProjectBody(const std::string& code, const std::string& division, const std::string& household) {
    return {{"code", code},
            {"name", "牦牛养殖"},
            {"division_code", division},
            {"task", "棚圈10座"},
            {"subsidy_standard", "每户1万元"},
            {"use", "industry"},
            {"approved", "100000"},
            {"period_start", "2017-04-01"},
            {"period_end", "2017-10-31"},
            {"unit", "村委会"},
            {"responsible", "扎西"},
            {"performance_target", "带动增收"},
            {"sources", json::array{json::object{{"source", "poverty_development"}, {"amount", "100000"}}}},
            {"beneficiaries", json::array{json::object{{"household_code", household}, {"how", "入股分红"}}}},
            {"date", "2017-03-01"}};
}

Reply Step(const std::string& session, int64_t project, const std::string& step, const std::string& date) {
    return S().Send("POST", "/api/projects/" + std::to_string(project) + "/steps",
                    Body({{"step", step}, {"date", date}}), session);
}

Fixture& F() {
    static Fixture f = [] {
        Fixture x;
        x.admin = S().Login("admin");
        x.household = HouseholdIn(x.admin, kTownshipA);
        Reply a = S().Send("POST", "/api/allocations",
                           Body({{"source", "poverty_development"},
                                 {"document_number", "藏财农〔2017〕API号"},
                                 {"year", 2017},
                                 {"amount", "200000"},
                                 {"earmark", json::array{}}}),
                           x.admin);
        EXPECT_EQ(a.status, 201) << a.body;
        x.allocation = a.status == 201 ? Obj(a).at("id").as_int64() : 0;
        Reply y = S().Send("POST", "/api/payees", Body({{"kind", "contractor"}, {"name", "察隅建筑公司API"}}), x.admin);
        EXPECT_EQ(y.status, 201) << y.body;
        x.payee = y.status == 201 ? Obj(y).at("id").as_int64() : 0;
        const std::string village = x.household.substr(0, 12);
        Reply p = S().Send("POST", "/api/projects", Body(ProjectBody(x.code, village, x.household)), x.admin);
        EXPECT_EQ(p.status, 201) << p.body;
        x.project = p.status == 201 ? Obj(p).at("id").as_int64() : 0;
        for (auto [step, date] : {std::pair{"notice", "2017-03-02"}, {"review", "2017-03-12"}, {"appraise", "2017-03-13"},
                                  {"notice", "2017-03-14"}, {"approve", "2017-03-24"}, {"start", "2017-04-01"}}) {
            Reply r = Step(x.admin, x.project, step, date);
            EXPECT_EQ(r.status, 200) << step << ": " << r.body;
        }
        return x;
    }();
    return f;
}

TEST(ApiFunds, SourcesAllocationsPayeesAreTheCountys) {
    const Fixture& f = F();
    Reply sources = S().Send("GET", "/api/fund-sources", "", f.admin);
    ASSERT_EQ(sources.status, 200) << sources.body;
    EXPECT_GE(Obj(sources).at("sources").as_array().size(), 5u);
    const std::string& officer = ScopedSessions()["officer"];
    EXPECT_EQ(S().Send("POST", "/api/fund-sources", Body({{"code", "x1"}, {"name", "x"}}), officer).status, 403);
    EXPECT_EQ(S().Send("POST", "/api/allocations",
                       Body({{"source", "social"}, {"document_number", "d"}, {"year", 2017}, {"amount", "1"}}), officer)
                  .status,
              403);
    Reply read = S().Send("GET", "/api/allocations?year=2017", "", officer);
    ASSERT_EQ(read.status, 200) << read.body;
    bool found = false;
    for (const auto& a : Obj(read).at("allocations").as_array())
        if (a.at("id").as_int64() == f.allocation) {
            found = true;
            EXPECT_EQ(a.at("amount").as_string(), "200000.00");
            EXPECT_EQ(a.at("source_name").as_string(), "扶贫开发资金");
        }
    EXPECT_TRUE(found);
    Reply bad = S().Send("POST", "/api/allocations",
                         Body({{"source", "social"}, {"document_number", "d"}, {"year", 2017}, {"amount", "1.234"}}), f.admin);
    EXPECT_EQ(bad.status, 400) << bad.body;
    Reply payees = S().Send("GET", "/api/payees", "", f.admin);
    ASSERT_EQ(payees.status, 200);
    EXPECT_FALSE(Obj(payees).at("payees").as_array().empty());
    EXPECT_EQ(S().Send("GET", "/api/fund-balances", "", officer).status, 403);
}

TEST(ApiFunds, ProjectStepsLevelsAndNotice) {
    const Fixture& f = F();
    ASSERT_GT(f.project, 0);
    Reply got = S().Send("GET", "/api/projects/" + std::to_string(f.project), "", f.admin);
    ASSERT_EQ(got.status, 200) << got.body;
    EXPECT_EQ(Obj(got).at("project").at("state").as_string(), "started");
    EXPECT_EQ(Obj(got).at("households").as_array().at(0).at("household_code").as_string(), f.household);
    EXPECT_FALSE(Obj(got).at("households").as_array().at(0).at("head_name").is_null());
    // By code too.
    EXPECT_EQ(S().Send("GET", "/api/projects/" + f.code, "", f.admin).status, 200);
    // A step the state does not take: 409; the wrong level: 403.
    Reply invalid = Step(f.admin, f.project, "approve", "2017-04-02");
    EXPECT_EQ(invalid.status, 409) << invalid.body;
    EXPECT_EQ(Obj(invalid).at("error").at("code").as_string(), "project.step_invalid");
    const std::string& officer = ScopedSessions()["officer"];  // township A
    Reply reapprove = S().Send("POST", "/api/projects/" + std::to_string(f.project) + "/steps",
                               Body({{"step", "reapprove"}, {"date", "2017-04-02"}, {"reapproved", "110000"}}), officer);
    EXPECT_EQ(reapprove.status, 403) << reapprove.body;
    EXPECT_EQ(Obj(reapprove).at("error").at("code").as_string(), "project.permission");
    // The township's viewer sees it (its scope holds the village).
    EXPECT_EQ(S().Send("GET", "/api/projects/" + std::to_string(f.project), "", ScopedSessions()["viewer"]).status, 200);
    Reply notice = S().Send("GET", "/api/projects/" + std::to_string(f.project) + "/notice", "", f.admin);
    ASSERT_EQ(notice.status, 200) << notice.body;
    EXPECT_EQ(Obj(notice).at("posted_on").as_string(), "2017-03-14");
    EXPECT_EQ(Obj(notice).at("until").as_string(), "2017-03-24");
    EXPECT_EQ(Obj(notice).at("hotline").as_string(), "12317");
    EXPECT_EQ(S().Send("GET", "/api/projects/999999", "", f.admin).status, 404);
    // The list, scoped.
    Reply list = S().Send("GET", "/api/projects?q=FPAPI", "", officer);
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_EQ(Obj(list).at("total").as_int64(), 1);
    EXPECT_EQ(Obj(list).at("projects").at(0).at("beneficiaries").as_int64(), 1);
    // A duplicate code.
    Reply dup = S().Send("POST", "/api/projects", Body(ProjectBody(f.code, f.household.substr(0, 12), f.household)), f.admin);
    EXPECT_EQ(dup.status, 409) << dup.body;
    // A township account may not apply outside its township.
    json::object elsewhere = ProjectBody("FPAPI-B", std::string(kTownshipB) + "200", f.household);
    EXPECT_EQ(S().Send("POST", "/api/projects", Body(elsewhere), officer).status, 403);
}

// An ID number typed into any free-text field of a project (its task, subsidy standard, unit,
// responsible person, target, a beneficiary's "how", a step's notes) reaches a masked viewer starred,
// on the project's page, in the list and on the notice — no field leaves it whole.
TEST(ApiFunds, AViewerSeesNoIdNumberTypedIntoAProject) {
    const Fixture& f = F();
    const std::string id = "540425198001011234";
    json::object body = ProjectBody("FPAPI-MASK", f.household.substr(0, 12), f.household);
    for (const char* key : {"task", "subsidy_standard", "unit", "responsible", "performance_target"})
        body[key] = std::string("联系") + id;
    body["beneficiaries"] = json::array{json::object{{"household_code", f.household}, {"how", "身份证" + id}}};
    Reply p = S().Send("POST", "/api/projects", Body(body), f.admin);
    ASSERT_EQ(p.status, 201) << p.body;
    const std::string pid = std::to_string(Obj(p).at("id").as_int64());
    Reply noted = S().Send("POST", "/api/projects/" + pid + "/steps",
                           Body({{"step", "notice"}, {"date", "2017-03-02"}, {"notes", "见" + id}}), f.admin);
    ASSERT_EQ(noted.status, 200) << noted.body;
    const std::string& viewer = ScopedSessions()["viewer"];
    for (const std::string& path : {"/api/projects/" + pid, "/api/projects/" + pid + "/notice",
                                    std::string("/api/projects?q=FPAPI-MASK")}) {
        Reply r = S().Send("GET", path, "", viewer);
        ASSERT_EQ(r.status, 200) << path << ": " << r.body;
        EXPECT_EQ(r.body.find(id), std::string::npos) << path << ": " << r.body;
        EXPECT_NE(r.body.find("540425"), std::string::npos) << path;  // the address code stays
    }
    // The county's admin sees what was typed.
    EXPECT_NE(S().Send("GET", "/api/projects/" + pid, "", f.admin).body.find(id), std::string::npos);
}

TEST(ApiFunds, EntriesRefusalsReportAndFindings) {
    const Fixture& f = F();
    const std::string a = std::to_string(f.allocation), p = std::to_string(f.project), y = std::to_string(f.payee);
    auto entry = [&](const char* kind, const char* date, const char* amount, bool with_project, bool with_payee) {
        json::object e{{"date", date}, {"kind", kind}, {"allocation", f.allocation}, {"amount", amount}, {"refs", "r"}};
        if (with_project) e["project"] = f.project;
        if (with_payee) e["payee"] = f.payee, e["stage"] = "start";
        return e;
    };
    Reply posted = S().Send("POST", "/api/fund-entries",
                            Body({{"entries", json::array{entry("receive", "2017-03-25", "200000", false, false),
                                                          entry("budget", "2017-03-26", "100000", true, false),
                                                          entry("disburse", "2017-04-10", "30000", true, true)}}}),
                            f.admin);
    ASSERT_EQ(posted.status, 201) << posted.body;
    const int64_t pay = Obj(posted).at("entries").as_array().at(2).at("id").as_int64();
    // Beyond the stage cap (40% of 100000): 422 with the rule and the field, nothing posted.
    const std::string& officer = ScopedSessions()["officer"];
    Reply refused = S().Send("POST", "/api/fund-entries",
                             Body({{"entries", json::array{entry("disburse", "2017-04-11", "10000.01", true, true)}}}), officer);
    ASSERT_EQ(refused.status, 422) << refused.body;
    EXPECT_EQ(Obj(refused).at("error").at("code").as_string(), "fund.stage_beyond_acceptance");
    EXPECT_EQ(Obj(refused).at("error").at("fields").at(0).at("field").as_string(), "entries[0].amount");
    // A township's writer may not receive money.
    EXPECT_EQ(S().Send("POST", "/api/fund-entries",
                       Body({{"entries", json::array{entry("receive", "2017-04-11", "1", false, false)}}}), officer)
                  .status,
              403);
    Reply listed = S().Send("GET", "/api/fund-entries?project=" + p, "", f.admin);
    ASSERT_EQ(listed.status, 200) << listed.body;
    EXPECT_EQ(Obj(listed).at("total").as_int64(), 2);
    Reply township_list = S().Send("GET", "/api/fund-entries?project=" + p, "", ScopedSessions()["viewer"]);
    ASSERT_EQ(township_list.status, 200);
    EXPECT_EQ(Obj(township_list).at("total").as_int64(), 2);
    // Reversal by the county only.
    EXPECT_EQ(S().Send("POST", "/api/fund-entries/" + std::to_string(pay) + "/reversal", Body({{"date", "2017-04-12"}}), officer)
                  .status,
              403);
    Reply reversed = S().Send("POST", "/api/fund-entries/" + std::to_string(pay) + "/reversal",
                              Body({{"date", "2017-04-12"}, {"refs", "更正"}}), f.admin);
    ASSERT_EQ(reversed.status, 201) << reversed.body;
    EXPECT_EQ(Obj(reversed).at("amount").as_string(), "30000.00");
    EXPECT_EQ(S().Send("POST", "/api/fund-entries/99999999/reversal", Body({{"date", "2017-04-12"}}), f.admin).status, 404);
    // Pay again within the cap.
    Reply again = S().Send("POST", "/api/fund-entries",
                           Body({{"entries", json::array{entry("disburse", "2017-05-10", "40000", true, true)}}}), officer);
    ASSERT_EQ(again.status, 201) << again.body;

    Reply balances = S().Send("GET", "/api/fund-balances", "", f.admin);
    ASSERT_EQ(balances.status, 200) << balances.body;
    EXPECT_FALSE(Obj(balances).at("accounts").as_array().empty());

    Reply report = S().Send("GET", "/api/fund-reports/monthly?month=2017-05", "", f.admin);
    ASSERT_EQ(report.status, 200) << report.body;
    EXPECT_EQ(Obj(report).at("due").as_string(), "2017-06-05");
    bool row = false;
    for (const auto& r : Obj(report).at("by_project").as_array())
        if (r.at("key").as_string() == p) {
            row = true;
            EXPECT_EQ(r.at("spent_month").as_string(), "40000.00");
            EXPECT_EQ(r.at("spent_year").as_string(), "40000.00");  // the April payment was reversed
        }
    EXPECT_TRUE(row);
    Reply township_report = S().Send("GET", "/api/fund-reports/monthly?month=2017-05", "", officer);
    ASSERT_EQ(township_report.status, 200);
    EXPECT_TRUE(Obj(township_report).at("by_source").as_array().empty());
    for (const auto& r : Obj(township_report).at("by_township").as_array())
        EXPECT_EQ(r.at("key").as_string(), kTownshipA);
    EXPECT_EQ(S().Send("GET", "/api/fund-reports/monthly?month=2017-13", "", f.admin).status, 400);

    // (the refusal was recorded today)
    Reply findings = S().Send("GET", "/api/fund-findings", "", f.admin);
    ASSERT_EQ(findings.status, 200) << findings.body;
    int refusals = 0;
    for (const auto& x : Obj(findings).at("findings").as_array())
        if (x.at("rule").as_string() == "fund.stage_beyond_acceptance" && x.at("severity").as_string() == "breach") ++refusals;
    EXPECT_GE(refusals, 1);
    (void)a;
    (void)y;
}

}  // namespace
}  // namespace jz::server::testing
