// The API against the real server (api_test_support.h): health, the OpenAPI document, login and
// logout, sessions, and stopping.
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

TEST(Api, HealthAndOpenApi) {
    EXPECT_EQ(S().Send("GET", "/healthz").status, 200);
    Reply doc = S().Send("GET", "/api/openapi.json");
    EXPECT_EQ(doc.status, 200);
    EXPECT_EQ(doc.Json().at("openapi").as_string(), "3.0.3");
}

// Every route the server has is in the OpenAPI document with its method, and the document names
// no route the server lacks.
TEST(Api, OpenApiDescribesEveryRoute) {
    auto api = Api::Create({.db_path = S().db});
    ASSERT_TRUE(api) << api.error().message_en;
    Router router;
    (*api)->Register(router);
    json::value doc = json::parse(OpenApiDocument());
    std::set<std::string> routed, documented;
    for (const Route& r : router.routes()) {
        std::string method(beast::http::to_string(r.method));
        for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        routed.insert(method + " " + r.pattern);
    }
    for (const auto& [path, ops] : doc.at("paths").as_object())
        for (const auto& [method, op] : ops.as_object()) {
            documented.insert(std::string(method) + " " + std::string(path));
            EXPECT_TRUE(op.as_object().contains("responses")) << path;
            EXPECT_TRUE(op.as_object().contains("summary")) << path;
        }
    EXPECT_EQ(routed, documented);
}

TEST(Api, LoginSetsAStrictHttpOnlyCookie) {
    Reply r = S().Send("POST", "/api/login", R"({"username":"inspector","password":"jingzhun-demo"})");
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string cookie = r.headers["set-cookie"];
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
    EXPECT_EQ(r.Json().at("role").as_string(), "inspector");
    const std::string session = cookie.substr(0, cookie.find(';'));
    EXPECT_EQ(S().Send("GET", "/api/me", "", session).status, 200);
    EXPECT_EQ(S().Send("POST", "/api/logout", "", session).status, 200);
    EXPECT_EQ(S().Send("GET", "/api/me", "", session).status, 401);
}

TEST(Api, BadCredentialsAndCookiesAreRefused) {
    EXPECT_EQ(S().Send("POST", "/api/login", R"({"username":"admin","password":"wrong-password"})").status,
              401);
    EXPECT_EQ(S().Send("POST", "/api/login", R"({"username":"nobody","password":"wrong-password"})").status,
              401);
    EXPECT_EQ(S().Send("POST", "/api/login", R"({"username":"admin"})").status, 400);
    EXPECT_EQ(S().Send("GET", "/api/me").status, 401);
    EXPECT_EQ(S().Send("GET", "/api/me", "", "jz_session=forged").status, 401);
    EXPECT_EQ(S().Send("GET", "/api/me", "", "jz_session=" + std::string(64, 'a')).status, 401);
    EXPECT_EQ(S().Send("GET", "/api/households", "", "other=1").status, 401);
}

// Five failures throttle the (username, address) with growing delays — alike for an existing and an
// unknown username — and the audit has each failure and the throttle's start. (http_test.cc has the
// rest of the login throttle.)
TEST(Api, FiveFailuresThrottleAndTheAuditSaysSo) {
    const std::string admin = S().Login("admin");
    ASSERT_EQ(S().Send("POST", "/api/users",
                       R"({"username":"locky","password":"locky-password","role":"viewer","scope":"540425"})",
                       admin)
                  .status,
              201);
    for (const std::string name : {"locky", "nobody-here"}) {
        for (int i = 0; i < 5; ++i) EXPECT_TRUE(S().Login(name, "wrong-password").empty());
        EXPECT_TRUE(S().Login(name, "wrong-password").empty());  // the 6th: a failure, then 30 s to wait
        Reply throttled =
            S().Send("POST", "/api/login",
                     json::serialize(json::object{{"username", name}, {"password", "x-password"}}));
        EXPECT_EQ(throttled.status, 429) << name;
        EXPECT_EQ(throttled.Json().at("error").at("code").as_string(), "auth.throttled");
        EXPECT_FALSE(throttled.headers["retry-after"].empty());
    }
    Reply audit = S().Send("GET", "/api/audit?user=locky&limit=100", "", admin);
    ASSERT_EQ(audit.status, 200);
    int failures = 0, locks = 0;
    for (const auto& e : audit.Json().at("items").as_array()) {
        failures += e.at("action") == "login_failed";
        locks += e.at("action") == "lock";
    }
    EXPECT_EQ(failures, 6);
    EXPECT_EQ(locks, 1);
}

// Without a session every route but the public ones answers 401 (walked from the OpenAPI document,
// which OpenApiDescribesEveryRoute keeps equal to the router).
TEST(Api, EveryRouteNeedsASession) {
    const std::set<std::string> open{"/healthz", "/api/openapi.json", "/api/login"};
    json::value doc = json::parse(OpenApiDocument());
    int checked = 0;
    for (const auto& [path, ops] : doc.at("paths").as_object())
        for (const auto& [method, op] : ops.as_object()) {
            std::string target(path);
            for (size_t b; (b = target.find('{')) != std::string::npos;)
                target.replace(b, target.find('}') - b + 1, "x");
            std::string verb(method);
            for (char& c : verb) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            Reply r = S().Send(verb, target, verb == "GET" ? "" : "{}");
            if (open.contains(std::string(path)))
                EXPECT_NE(r.status, 401) << verb << " " << target;
            else
                EXPECT_EQ(r.status, 401) << verb << " " << target << ": " << r.body;
            ++checked;
        }
    EXPECT_GT(checked, 20);
}

TEST(Api, GracefulStopOnSigterm) {
    // A second server on the same database: stopped with SIGTERM, it exits 0.
    const std::string db = S().db;  // (before the fork: the child must not start the shared server)
    int out[2];
    ASSERT_EQ(pipe(out), 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], STDOUT_FILENO);
        close(out[0]);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        execl(JZ_BINARY, "jingzhun", "serve", "--db", db.c_str(), "--listen", "127.0.0.1:0",
              static_cast<char*>(nullptr));
        _exit(127);
    }
    close(out[1]);
    FILE* f = fdopen(out[0], "r");
    char line[512] = {};
    ASSERT_TRUE(fgets(line, sizeof line, f));
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    fclose(f);
    EXPECT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace jz::server::testing
