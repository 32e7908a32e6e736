// Who may do what: every route of the route table for every role, and the scoped cases in and out
// of scope.
#include <gtest/gtest.h>

#include <array>
#include <boost/json.hpp>
#include <functional>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "server/api_test_support.h"
#include "server/routes.h"

namespace jz::server::testing {
namespace {

// Every route × every role × in scope / out of scope. Accounts are scoped to township A; the
// "out" target is township B.
TEST(Api, PermissionMatrix) {
    auto& sessions = ScopedSessions();
    const std::string county_admin = S().Login("admin");
    const std::string in = HouseholdIn(county_admin, kTownshipA, 5),
                      out = HouseholdIn(county_admin, kTownshipB, 5);
    const std::string A = kTownshipA, B = kTownshipB;
    struct Case {
        std::string name;
        std::function<Reply(const std::string& cookie, bool in_scope)> call;
        std::map<std::string, std::pair<int, int>> expect;  // role → (in, out)
    };
    auto all = [](int i, int o) {
        return std::map<std::string, std::pair<int, int>>{
            {"admin", {i, o}}, {"officer", {i, o}}, {"inspector", {i, o}}, {"viewer", {i, o}}};
    };
    auto get = [&](std::string in_target, std::string out_target) {
        return [=](const std::string& cookie, bool s) {
            return S().Send("GET", s ? in_target : out_target, "", cookie);
        };
    };
    int serial = 0;
    // Two imports with a rejected row: one by the township officer (in scope), one by the county
    // admin (out of scope for township accounts).
    auto import_with_error = [&](const std::string& cookie, const std::string& township) {
        std::string csv =
            S().Send("GET", "/api/exports/registry.csv?division=" + township, "", county_admin).body;
        const size_t header_end = csv.find('\n');
        std::string row = csv.substr(header_end + 1, csv.find('\n', header_end + 1) - header_end);
        row.replace(0, row.find(','), "DUP" + std::to_string(++serial));
        Reply r = S().Send("POST", "/api/imports", csv + row, cookie);
        EXPECT_EQ(r.status, 200) << r.body;
        return std::to_string(r.Json().at("import_id").as_int64());
    };
    const std::string import_in = import_with_error(sessions.at("officer"), A);
    const std::string import_out = import_with_error(county_admin, B);
    std::vector<Case> cases{
        {"import record",
         get("/api/imports/" + import_in, "/api/imports/" + import_out),
         {{"admin", {200, 404}}, {"officer", {200, 404}}, {"inspector", {404, 404}}, {"viewer", {404, 404}}}},
        {"import errors",
         get("/api/imports/" + import_in + "/errors.csv", "/api/imports/" + import_out + "/errors.csv"),
         {{"admin", {200, 404}}, {"officer", {200, 404}}, {"inspector", {404, 404}}, {"viewer", {404, 404}}}},
        {"export xlsx",
         get("/api/exports/registry.xlsx?division=" + A, "/api/exports/registry.xlsx?division=" + B),
         all(200, 404)},
        {"me", get("/api/me", "/api/me"), all(200, 200)},
        {"plan", get("/api/plan", "/api/plan"), all(200, 200)},
        {"codes", get("/api/codes", "/api/codes"), all(200, 200)},
        {"org-units", get("/api/org-units?parent=" + A, "/api/org-units?parent=" + B), all(200, 404)},
        {"list", get("/api/households?division=" + A, "/api/households?division=" + B), all(200, 404)},
        {"get", get("/api/households/" + in, "/api/households/" + out), all(200, 404)},
        {"history",
         get("/api/households/" + in + "/history", "/api/households/" + out + "/history"),
         {{"admin", {200, 404}}, {"officer", {200, 404}}, {"inspector", {200, 404}}, {"viewer", {403, 403}}}},
        {"put",
         [&](const std::string& cookie, bool s) {
             const std::string code = s ? in : out;
             auto [h, etag] = Fetch(county_admin, code);
             return S().Send("PUT", "/api/households/" + code, json::serialize(h), cookie,
                             {{"If-Match", etag}});
         },
         {{"admin", {200, 404}}, {"officer", {200, 404}}, {"inspector", {403, 403}}, {"viewer", {403, 403}}}},
        {"post",
         [&](const std::string& cookie, bool s) {
             auto [h, etag] = Fetch(county_admin, s ? in : out);
             h["household_code"] = "X" + std::to_string(++serial);
             auto& m = h["members"].as_array();
             m.resize(1);
             m[0].as_object()["id_number"] = MakeIdNumber("540425", {1980, 1, 1}, 700 + serial);
             m[0].as_object()["birth_date"] = "1980-01-01";
             m[0].as_object()["sex"] = 1;
             return S().Send("POST", "/api/households", json::serialize(h), cookie);
         },
         {{"admin", {201, 400}}, {"officer", {201, 400}}, {"inspector", {403, 403}}, {"viewer", {403, 403}}}},
        {"import",
         [&](const std::string& cookie, bool s) {
             Reply csv =
                 S().Send("GET", "/api/exports/registry.csv?division=" + (s ? A : B), "", county_admin);
             return S().Send("POST", "/api/imports", csv.body, cookie);
         },
         {{"admin", {200, 200}}, {"officer", {200, 200}}, {"inspector", {403, 403}}, {"viewer", {403, 403}}}},
        {"export", get("/api/exports/registry.csv?division=" + A, "/api/exports/registry.csv?division=" + B),
         all(200, 404)},
        {"progress", get("/api/reports/progress", "/api/reports/progress"), all(200, 200)},
        {"summary", get("/api/reports/summary?unit=" + A, "/api/reports/summary?unit=" + B), all(200, 404)},
        {"reconcile", get("/api/reconcile", "/api/reconcile"), all(200, 200)},
        {"check",
         get("/api/check?division=" + A, "/api/check?division=" + B),
         {{"admin", {200, 404}}, {"officer", {200, 404}}, {"inspector", {200, 404}}, {"viewer", {403, 403}}}},
        {"audit",
         get("/api/audit?household=" + in, "/api/audit?household=" + out),
         {{"admin", {200, 200}}, {"officer", {403, 403}}, {"inspector", {200, 200}}, {"viewer", {403, 403}}}},
        {"users",
         get("/api/users", "/api/users"),
         {{"admin", {200, 200}}, {"officer", {403, 403}}, {"inspector", {403, 403}}, {"viewer", {403, 403}}}},
        {"add user",
         [&](const std::string& cookie, bool s) {
             return S().Send("POST", "/api/users",
                             json::serialize(json::object{{"username", "u" + std::to_string(++serial)},
                                                          {"password", "long-enough"},
                                                          {"role", "viewer"},
                                                          {"scope", s ? A : B}}),
                             cookie);
         },
         {{"admin", {201, 400}}, {"officer", {403, 403}}, {"inspector", {403, 403}}, {"viewer", {403, 403}}}},
        {"change user",
         [&](const std::string& cookie, bool s) {
             return S().Send("PATCH", std::string("/api/users/") + (s ? "t_viewer" : "viewer"),
                             R"({"role":"viewer"})", cookie);
         },
         {{"admin", {200, 404}}, {"officer", {403, 403}}, {"inspector", {403, 403}}, {"viewer", {403, 403}}}},
    };
    for (const Case& c : cases)
        for (const auto& [role, expected] : c.expect)
            for (bool in_scope : {true, false}) {
                const int want = in_scope ? expected.first : expected.second;
                Reply r = c.call(sessions.at(role), in_scope);
                EXPECT_EQ(r.status, want) << c.name << " / " << role << " / " << (in_scope ? "in" : "out")
                                          << ": " << r.body.substr(0, 300);
                // A role change ends the target's sessions: log t_viewer in again.
                if (c.name == "change user" && role == "admin" && in_scope)
                    sessions["viewer"] = S().Login("t_viewer", "password-t_viewer");
            }
    // Scoped lists hold only the scope.
    Reply list = S().Send("GET", "/api/households?page_size=200", "", sessions.at("officer"));
    for (const auto& item : list.Json().at("items").as_array())
        EXPECT_TRUE(std::string(item.at("division_code").as_string()).starts_with(A));
    Reply imported =
        S().Send("POST", "/api/imports",
                 S().Send("GET", "/api/exports/registry.csv?division=" + B, "", county_admin).body,
                 sessions.at("officer"));
    EXPECT_EQ(imported.Json().at("households").at("inserted").as_int64() +
                  imported.Json().at("households").at("updated").as_int64(),
              0);
}

// ------------------------------------------------------------------ the route table × every role

// The principals of the matrix: nobody, the county's admin, an account of each role scoped to
// township A, and an officer scoped to one of its villages.
constexpr const char* kPrincipals[] = {"anonymous",        "county admin",       "township admin",
                                       "township officer", "township inspector", "township viewer",
                                       "village officer"};
constexpr size_t kPrincipalCount = std::size(kPrincipals);

// What each principal gets from each route of the route table (routes.h), probed with the request
// of ProbeFor: path parameters name things in the village officer's village, write bodies are
// empty objects (so a route that lets the caller through answers 400 or 428 without changing
// anything, and one that does not answers 403). A route missing here fails the test: add it with
// the statuses its permission rule gives.
const std::map<std::string, std::array<int, kPrincipalCount>>& ExpectedStatuses() {
    // clang-format off
    static const std::map<std::string, std::array<int, kPrincipalCount>> table{
        //                                                anon county t.adm t.off t.insp t.view v.off
        {"GET /healthz",                                  {200, 200,  200,  200,  200,   200,   200}},
        {"GET /api/openapi.json",                         {200, 200,  200,  200,  200,   200,   200}},
        {"POST /api/login",                               {400, 400,  400,  400,  400,   400,   400}},
        {"POST /api/logout",                              {401, 200,  200,  200,  200,   200,   200}},
        {"GET /api/me",                                   {401, 200,  200,  200,  200,   200,   200}},
        {"GET /api/org-units",                            {401, 200,  200,  200,  200,   200,   200}},
        {"GET /api/plan",                                 {401, 200,  200,  200,  200,   200,   200}},
        {"GET /api/codes",                                {401, 200,  200,  200,  200,   200,   200}},
        {"GET /api/households",                           {401, 200,  200,  200,  200,   200,   200}},
        {"POST /api/households",                          {401, 400,  400,  400,  403,   403,   400}},
        {"GET /api/households/{code}",                    {401, 200,  200,  200,  200,   200,   200}},
        {"PUT /api/households/{code}",                    {401, 428,  428,  428,  403,   403,   428}},
        {"GET /api/households/{code}/history",            {401, 200,  200,  200,  200,   403,   200}},
        {"POST /api/imports",                             {401, 400,  400,  400,  403,   403,   400}},
        {"GET /api/imports/{id}",                         {401, 200,  200,  200,  404,   404,   404}},
        {"GET /api/imports/{id}/errors.csv",              {401, 404,  404,  404,  404,   404,   404}},
        {"GET /api/exports/registry.csv",                 {401, 200,  200,  200,  200,   200,   200}},
        {"GET /api/exports/registry.xlsx",                {401, 200,  200,  200,  200,   200,   200}},
        {"GET /api/import/template",                      {401, 200,  200,  200,  200,   200,   200}},
        {"GET /api/reports/progress",                     {401, 200,  200,  200,  200,   200,   200}},
        {"GET /api/reports/summary",                      {401, 200,  200,  200,  200,   200,   200}},
        {"GET /api/check",                                {401, 200,  200,  200,  200,   403,   200}},
        {"GET /api/reconcile",                            {401, 200,  200,  200,  200,   200,   200}},
        {"GET /api/audit",                                {401, 200,  200,  403,  200,   403,   403}},
        {"GET /api/users",                                {401, 200,  200,  403,  403,   403,   403}},
        {"POST /api/users",                               {401, 400,  400,  403,  403,   403,   403}},
        {"PATCH /api/users/{username}",                   {401, 200,  200,  403,  403,   403,   403}},
        {"GET /api/exit-candidates",                      {401, 200,  200,  200,  200,   200,   200}},
        {"GET /api/procedures",                           {401, 200,  200,  200,  200,   200,   200}},
        {"POST /api/procedures",                          {401, 400,  400,  400,  400,   400,   400}},
        {"GET /api/procedures/{id}",                      {401, 404,  404,  404,  404,   404,   404}},
        {"POST /api/procedures/{id}/steps",               {401, 400,  400,  400,  400,   400,   400}},
        {"GET /api/households/{code}/timeline",           {401, 200,  200,  200,  200,   200,   200}},
        {"GET /api/incidence",                            {401, 200,  200,  200,  200,   200,   200}},
        {"PUT /api/org-units/{code}/population",          {401, 400,  400,  400,  400,   400,   400}},
        {"GET /api/adjustments/{year}",                   {401, 200,  200,  200,  200,   200,   200}},
        {"POST /api/adjustments/{year}/approve",          {401, 400,  400,  400,  400,   400,   400}},
        {"GET /api/evaluations",                          {401, 200,  200,  200,  200,   200,   200}},
        {"POST /api/evaluations",                         {401, 400,  400,  400,  400,   400,   400}},
        {"GET /api/evaluations/{id}",                     {401, 404,  404,  404,  404,   404,   404}},
        {"PATCH /api/evaluations/{id}",                   {401, 404,  403,  403,  403,   403,   403}},
        {"PUT /api/evaluations/{id}/items/{code}",        {401, 400,  400,  400,  400,   400,   400}},
        // The assistance ledger: officers and admins write in scope ({code} of an item route names no
        // item: 404), inspectors and viewers read.
        {"GET /api/households/{code}/plan",               {401, 200,  200,  200,  200,   200,   200}},
        {"PUT /api/households/{code}/income/{year}",      {401, 428,  428,  428,  403,   403,   428}},
        {"PUT /api/households/{code}/coverage/{year}",    {401, 400,  400,  400,  403,   403,   400}},
        {"GET /api/assistance",                           {401, 200,  200,  200,  200,   200,   200}},
        {"POST /api/assistance",                          {401, 400,  400,  400,  403,   403,   400}},
        {"PUT /api/assistance/{code}",                    {401, 404,  404,  404,  403,   403,   404}},
        {"POST /api/assistance/{code}/sign",              {401, 404,  404,  404,  403,   403,   404}},
        {"POST /api/assistance/{code}/delete",            {401, 404,  404,  404,  403,   403,   404}},
        {"GET /api/reports/measures",                     {401, 200,  200,  200,  200,   200,   200}},
        {"GET /api/reports/measures/{number}/not-reached", {401, 200, 200,  200,  200,   200,   200}},
        // Visits (routes_visits.cc): officers and admins record in scope (an empty body: 400), everyone
        // reads; {id} names no visit; the field kit needs ?cadre=.
        {"POST /api/visits",                              {401, 400,  400,  400,  403,   403,   400}},
        {"GET /api/visits",                               {401, 200,  200,  200,  200,   200,   200}},
        {"GET /api/visits/{id}/photo",                    {401, 404,  404,  404,  404,   404,   404}},
        {"GET /api/field/kit",                            {401, 400,  400,  400,  400,   400,   400}},

        // Pairing: cadres are read county-wide; officers and admins write in scope (a write body of
        // {} lacks its required fields: 400; {id} names no cadre or team member: 404); only a
        // county-wide writer applies an assignment.
        {"GET /api/cadres",                               {401, 200,  200,  200,  200,   200,   200}},
        {"POST /api/cadres",                              {401, 400,  400,  400,  403,   403,   400}},
        {"GET /api/cadres/{id}",                          {401, 404,  404,  404,  404,   404,   404}},
        {"PUT /api/cadres/{id}",                          {401, 404,  404,  404,  403,   403,   404}},
        {"GET /api/households/{code}/pairings",           {401, 200,  200,  200,  200,   200,   200}},
        {"PUT /api/households/{code}/pairing",            {401, 400,  400,  400,  403,   403,   400}},
        {"POST /api/households/{code}/pairing/end",       {401, 400,  400,  400,  403,   403,   400}},
        {"PUT /api/households/{code}/place",              {401, 400,  400,  400,  403,   403,   400}},
        {"GET /api/pairing/proposal",                     {401, 200,  200,  200,  200,   200,   200}},
        {"POST /api/pairing/apply",                       {401, 400,  403,  403,  403,   403,   403}},
        {"GET /api/teams",                                {401, 200,  200,  200,  200,   200,   200}},
        {"POST /api/teams/members",                       {401, 400,  400,  400,  403,   403,   400}},
        {"POST /api/teams/members/{id}/end",              {401, 404,  404,  404,  403,   403,   404}},
        {"PUT /api/teams/members/{id}/on-post/{month}",   {401, 404,  404,  404,  403,   403,   404}},
        {"GET /api/visits/overdue",                       {401, 200,  200,  200,  200,   200,   200}},

        // Asset-income shares: every reader sees the assets in scope; only county-level writers add,
        // declare, dispose and reallocate ({id} names no asset: 404; an empty body: 400).
        {"GET /api/assets",                               {401, 200,  200,  200,  200,   200,   200}},
        {"POST /api/assets",                              {401, 400,  403,  403,  403,   403,   403}},
        {"GET /api/assets/{id}",                          {401, 404,  404,  404,  404,   404,   404}},
        {"POST /api/assets/{id}/dividends",               {401, 404,  403,  403,  403,   403,   403}},
        {"POST /api/assets/{id}/disposal",                {401, 404,  403,  403,  403,   403,   403}},
        {"POST /api/shares/reallocation",                 {401, 400,  403,  403,  403,   403,   403}},
        {"GET /api/households/{code}/shares",             {401, 200,  200,  200,  200,   200,   200}},
        // Funds: sources, allocations, payees, balances and reversals are the county's to write
        // (balances its to read); a village reads no allocations or payees; writers post entries
        // ({} lacks "entries": 400); the report needs ?month=; {id} names no project or entry.
        {"GET /api/fund-sources",                         {401, 200,  200,  200,  200,   200,   200}},
        {"POST /api/fund-sources",                        {401, 400,  403,  403,  403,   403,   403}},
        {"GET /api/allocations",                          {401, 200,  200,  200,  200,   200,   403}},
        {"POST /api/allocations",                         {401, 400,  403,  403,  403,   403,   403}},
        {"GET /api/payees",                               {401, 200,  200,  200,  200,   200,   403}},
        {"POST /api/payees",                              {401, 400,  403,  403,  403,   403,   403}},
        {"GET /api/fund-balances",                        {401, 200,  403,  403,  403,   403,   403}},
        {"GET /api/fund-entries",                         {401, 200,  200,  200,  200,   200,   200}},
        {"POST /api/fund-entries",                        {401, 400,  400,  400,  403,   403,   403}},
        {"POST /api/fund-entries/{id}/reversal",          {401, 400,  403,  403,  403,   403,   403}},
        {"GET /api/fund-reports/monthly",                 {401, 400,  400,  400,  400,   400,   400}},
        {"GET /api/fund-findings",                        {401, 200,  200,  200,  200,   200,   200}},
        // The project library: every writer applies (its level checked with the record), everyone reads.
        {"GET /api/projects",                             {401, 200,  200,  200,  200,   200,   200}},
        {"POST /api/projects",                            {401, 400,  400,  400,  403,   403,   400}},
        {"GET /api/projects/{id}",                        {401, 404,  404,  404,  404,   404,   404}},
        {"POST /api/projects/{id}/steps",                 {401, 404,  404,  404,  403,   403,   404}},
        {"GET /api/projects/{id}/notice",                 {401, 404,  404,  404,  404,   404,   404}},
        // Printing: every reader prints what they may see (a card masked for the viewer); {code}
        // of an org unit is a village of township A, in every scoped principal's scope.
        {"GET /api/households/{code}/card",               {401, 200,  200,  200,  200,   200,   200}},
        {"GET /api/org-units/{code}/cards",               {401, 200,  200,  200,  200,   200,   200}},
        {"GET /api/org-units/{code}/register",            {401, 200,  200,  200,  200,   200,   200}},
        // Periodic reports: kind and period are required; officers and administrators issue;
        // everyone lists their own unit's issued reports and schedule.
        {"GET /api/reports/periodic",                     {401, 400,  400,  400,  400,   400,   400}},
        {"POST /api/reports/issued",                      {401, 400,  400,  400,  403,   403,   400}},
        {"GET /api/reports/issued",                       {401, 200,  200,  200,  200,   200,   200}},
        {"GET /api/reports/issued/{id}",                  {401, 404,  404,  404,  404,   404,   404}},
        {"GET /api/reports/issued/{id}/compare",          {401, 404,  404,  404,  404,   404,   404}},
        {"GET /api/reports/due",                          {401, 200,  200,  200,  200,   200,   200}},
    };
    // clang-format on
    return table;
}

std::string RouteKey(const RouteEntry& e) {
    return std::string(beast::http::to_string(e.method)) + " " + std::string(e.pattern);
}

TEST(ApiRoutes, EveryRouteForEveryPrincipal) {
    const std::string county_admin = S().Login("admin");
    auto& township = ScopedSessions();
    // A village of township A, an officer scoped to it, and a household of it.
    Reply units = S().Send("GET", std::string("/api/org-units?parent=") + kTownshipA, "", county_admin);
    const std::string village(units.Json().at("items").at(0).at("code").as_string());
    Reply added = S().Send("POST", "/api/users",
                           json::serialize(json::object{{"username", "v_officer"},
                                                        {"password", "password-v_officer"},
                                                        {"role", "officer"},
                                                        {"scope", village}}),
                           county_admin);
    ASSERT_EQ(added.status, 201) << added.body;
    const std::string code = HouseholdIn(county_admin, village);
    // An import of the village's own registry by the township officer (nothing rejected).
    Reply csv = S().Send("GET", "/api/exports/registry.csv?division=" + village, "", county_admin);
    Reply imported = S().Send("POST", "/api/imports", csv.body, township.at("officer"));
    ASSERT_EQ(imported.status, 200) << imported.body;
    const std::string import_id = std::to_string(imported.Json().at("import_id").as_int64());

    const std::map<std::string, std::pair<std::string, std::string>> logins{
        {"county admin", {"admin", "jingzhun-demo"}},
        {"township admin", {"t_admin", "password-t_admin"}},
        {"township officer", {"t_officer", "password-t_officer"}},
        {"township inspector", {"t_inspector", "password-t_inspector"}},
        {"township viewer", {"t_viewer", "password-t_viewer"}},
        {"village officer", {"v_officer", "password-v_officer"}}};
    std::map<std::string, std::string> sessions{{"anonymous", ""}};
    for (const auto& [who, login] : logins) sessions[who] = S().Login(login.first, login.second);

    const auto& expected = ExpectedStatuses();
    std::set<std::string> seen;
    for (const RouteEntry& e : RouteTable()) {
        const std::string key = RouteKey(e);
        seen.insert(key);
        auto row = expected.find(key);
        ASSERT_NE(row, expected.end())
            << "the route " << key << " has no row in ExpectedStatuses (api_permissions_test.cc)";
        std::string target(e.pattern);
        auto fill = [&](const std::string& param, const std::string& value) {
            if (auto at = target.find(param); at != std::string::npos)
                target.replace(at, param.size(), value);
        };
        fill("{code}", target.starts_with("/api/org-units/") ? village : code);
        fill("{id}", target.starts_with("/api/imports/") ? import_id : "999999");
        fill("{year}", "2017");
        fill("{username}", "t_viewer");
        fill("{number}", "8");
        fill("{month}", "2017-06");
        if (target == "/api/households" || target.starts_with("/api/exports/") || target == "/api/check")
            target += "?division=" + village;
        if (target == "/api/exit-candidates" || target == "/api/incidence") target += "?year=2017";
        if (target == "/api/audit") target += "?household=" + code;
        const std::string method(beast::http::to_string(e.method));
        const std::string body = e.method == beast::http::verb::get                ? ""
                                 : e.method == beast::http::verb::post && e.upload ? ""
                                                                                   : "{}";
        for (size_t i = 0; i < kPrincipalCount; ++i) {
            const std::string who = kPrincipals[i];
            std::string cookie = sessions.at(who);
            // Logging out ends the session: probe it with one of its own.
            if (key == "POST /api/logout" && who != "anonymous")
                cookie = S().Login(logins.at(who).first, logins.at(who).second);
            Reply r = S().Send(method, target, body, cookie);
            EXPECT_EQ(r.status, row->second[i])
                << key << " (" << target << ") as " << who << ": " << r.body.substr(0, 200);
        }
    }
    for (const auto& [key, statuses] : expected)
        EXPECT_TRUE(seen.contains(key)) << key << " is in ExpectedStatuses but not in the route table";
}

}  // namespace
}  // namespace jz::server::testing
