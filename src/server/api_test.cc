// The API against the real server: the jingzhun binary serving a demo county on an ephemeral port.
#include "server/api.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "core/access.h"
#include "core/id_number.h"

namespace jz::server {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
namespace asio = boost::asio;
namespace beast = boost::beast;

struct Reply {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // lower-case names
    // Parsed once and kept, so references into it live as long as the reply.
    const json::value& Json() const {
        if (!parsed) {
            json::error_code ec;
            parsed = json::parse(body, ec);
            if (ec) parsed = json::value();
        }
        return *parsed;
    }
    mutable std::optional<json::value> parsed;
};

std::string Run(const std::string& command) {
    std::string out;
    FILE* p = popen(command.c_str(), "r");
    char buf[4096];
    while (p && fgets(buf, sizeof buf, p)) out += buf;
    if (p) pclose(p);
    return out;
}

// One server for the whole suite (a demo county takes a second to build).
class Server {
  public:
    static Server& Get() {
        static Server server;
        return server;
    }
    std::string db;
    int port = 0;
    pid_t pid = -1;
    std::string dir;

    Reply Send(const std::string& method, const std::string& target, const std::string& body = {},
               const std::string& cookie = {}, std::map<std::string, std::string> headers = {}) {
        asio::io_context ioc;
        asio::ip::tcp::socket socket(ioc);
        socket.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
        beast::http::request<beast::http::string_body> req{beast::http::string_to_verb(method), target, 11};
        req.set(beast::http::field::host, "localhost");
        if (!cookie.empty()) req.set(beast::http::field::cookie, cookie);
        if (method != "GET" && method != "HEAD") req.set(beast::http::field::content_type, "application/json");
        for (auto& [k, v] : headers) req.set(k, v);
        req.body() = body;
        req.prepare_payload();
        beast::http::write(socket, req);
        beast::flat_buffer buffer;
        beast::http::response_parser<beast::http::string_body> parser;
        parser.body_limit(1 << 30);
        beast::error_code ec;
        beast::http::read(socket, buffer, parser, ec);
        Reply r;
        if (ec) return r;
        auto& res = parser.get();
        r.status = res.result_int();
        r.body = res.body();
        for (auto& f : res) {
            std::string name(f.name_string());
            for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            r.headers[name] = std::string(f.value());
        }
        return r;
    }

    // The session cookie of a login ("jz_session=..."), or "" when refused.
    std::string Login(const std::string& username, const std::string& password = "jingzhun-demo") {
        Reply r = Send("POST", "/api/login",
                       json::serialize(json::object{{"username", username}, {"password", password}}));
        auto it = r.headers.find("set-cookie");
        if (r.status != 200 || it == r.headers.end()) return "";
        return it->second.substr(0, it->second.find(';'));
    }

  private:
    Server() {
        dir = (fs::temp_directory_path() / ("jz-api-test-" + std::to_string(getpid()))).string();
        fs::create_directories(dir);
        db = dir + "/demo.db";
        const std::string demo = std::string(JZ_BINARY) + " demo --db " + db + " --force >/dev/null 2>&1";
        EXPECT_EQ(std::system(("cd " + std::string(JZ_SOURCE_DIR) + " && " + demo).c_str()), 0);
        int out[2];
        EXPECT_EQ(pipe(out), 0);
        pid = fork();
        if (pid == 0) {
            // The server ends with the test process, and never holds the test runner's output open.
            prctl(PR_SET_PDEATHSIG, SIGTERM);
            dup2(out[1], STDOUT_FILENO);
            const int devnull = open("/dev/null", O_WRONLY);
            dup2(devnull, STDERR_FILENO);
            close(out[0]);
            execl(JZ_BINARY, "jingzhun", "serve", "--db", db.c_str(), "--listen", "127.0.0.1:0", "--web",
                  (dir + "/web").c_str(), static_cast<char*>(nullptr));
            _exit(127);
        }
        close(out[1]);
        FILE* f = fdopen(out[0], "r");
        char line[512] = {};
        if (fgets(line, sizeof line, f)) std::sscanf(std::strstr(line, "127.0.0.1:") + 10, "%d", &port);
        stdout_ = f;
    }
    ~Server() {
        if (pid > 0) {
            kill(pid, SIGTERM);
            int status = 0;
            waitpid(pid, &status, 0);
        }
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    FILE* stdout_ = nullptr;
};

Server& S() { return Server::Get(); }

constexpr const char* kTownshipA = "540425100";
constexpr const char* kTownshipB = "540425101";

// A household code of the township (from the admin's list).
std::string HouseholdIn(const std::string& admin, const std::string& township, int index = 0) {
    Reply r = S().Send("GET", "/api/households?division=" + township + "&page_size=20", "", admin);
    return std::string(
        r.Json().at("items").as_array().at(static_cast<size_t>(index)).at("household_code").as_string());
}

// Accounts scoped to township A, one per role, made once through the API.
std::map<std::string, std::string>& ScopedSessions() {
    static std::map<std::string, std::string> sessions = [] {
        std::map<std::string, std::string> out;
        const std::string admin = S().Login("admin");
        for (const char* role : {"admin", "officer", "inspector", "viewer"}) {
            const std::string name = std::string("t_") + role;
            Reply r = S().Send("POST", "/api/users",
                               json::serialize(json::object{{"username", name},
                                                            {"password", "password-" + name},
                                                            {"role", role},
                                                            {"scope", kTownshipA}}),
                               admin);
            EXPECT_EQ(r.status, 201) << r.body;
            out[role] = S().Login(name, "password-" + name);
            EXPECT_FALSE(out[role].empty());
        }
        return out;
    }();
    return sessions;
}

// The household JSON as GET gives it, ready to PUT back.
std::pair<json::object, std::string> Fetch(const std::string& cookie, const std::string& code) {
    Reply r = S().Send("GET", "/api/households/" + code, "", cookie);
    json::object o = r.Json().as_object();
    o.erase("version");
    return {o, r.headers["etag"]};
}

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
        Reply throttled = S().Send(
            "POST", "/api/login", json::serialize(json::object{{"username", name}, {"password", "x-password"}}));
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

TEST(Api, CreateAndImport) {
    const std::string officer = S().Login("officer");
    const std::string admin = S().Login("admin");
    auto [household, etag] = Fetch(admin, HouseholdIn(admin, kTownshipA, 3));
    // A new household: a fresh code and fresh ID numbers.
    json::object fresh = household;
    // A new code is its village's code and a sequence (household_code.division).
    const std::string fresh_code = std::string(household.at("division_code").as_string()) + "9999";
    fresh["household_code"] = fresh_code;
    auto& members = fresh["members"].as_array();
    members.resize(1);
    members[0].as_object()["id_number"] = MakeIdNumber("540425", {1980, 1, 1}, 901);
    members[0].as_object()["birth_date"] = "1980-01-01";
    members[0].as_object()["sex"] = 1;
    auto county_households = [&] {
        return S()
            .Send("GET", "/api/reports/progress", "", admin)
            .Json()
            .at("county")
            .at("households")
            .as_int64();
    };
    const int64_t before = county_households();
    EXPECT_EQ(county_households(), before);  // (the second answer comes from the kept report)
    Reply created = S().Send("POST", "/api/households", json::serialize(fresh), officer);
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(county_households(), before + 1);  // a change is seen at once
    EXPECT_EQ(created.headers["location"], "/api/households/" + fresh_code);
    EXPECT_EQ(S().Send("POST", "/api/households", json::serialize(fresh), officer).status, 409);
    EXPECT_EQ(S().Send("GET", "/api/households?q=" + fresh_code, "", officer).Json().at("total").as_int64(),
              1);

    // Import: the export of one village as CSV comes back unchanged; a bad row goes to the error file.
    Reply exported =
        S().Send("GET", std::string("/api/exports/registry.csv?division=") + kTownshipA + "001", "", officer);
    ASSERT_EQ(exported.status, 200);
    std::string csv = exported.body;
    const size_t header_end = csv.find('\n');
    std::string bad_row = csv.substr(header_end + 1, csv.find('\n', header_end + 1) - header_end);
    bad_row.replace(0, bad_row.find(','), "5404251000018888");
    csv += bad_row;  // the same person again in a new household: 一人多户
    Reply imported = S().Send("POST", "/api/imports?filename=village.csv", csv, officer);
    ASSERT_EQ(imported.status, 200) << imported.body;
    auto summary = imported.Json().as_object();
    EXPECT_EQ(summary.at("households").at("inserted").as_int64(), 0);
    // Both households holding the person are rejected (一人多户 within the file).
    EXPECT_EQ(summary.at("households").at("rejected").as_int64(), 2);
    const std::string url(summary.at("errors_url").as_string());
    Reply errors = S().Send("GET", url, "", officer);
    EXPECT_EQ(errors.status, 200);
    EXPECT_NE(errors.body.find("5404251000018888"), std::string::npos);
    EXPECT_EQ(S().Send("GET", url, "", S().Login("viewer")).status, 404);

    // An .xlsx body (recognised by its content) imports too: the village's workbook changes nothing.
    Reply workbook = S().Send("GET", std::string("/api/exports/registry.xlsx?division=") + kTownshipA + "001",
                              "", officer);
    ASSERT_EQ(workbook.status, 200);
    ASSERT_TRUE(workbook.body.starts_with("PK"));
    Reply again = S().Send("POST", "/api/imports?filename=village.xlsx", workbook.body, officer);
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_GT(again.Json().at("households").at("unchanged").as_int64(), 0);
    EXPECT_EQ(again.Json().at("households").at("inserted").as_int64(), 0);
    EXPECT_EQ(again.Json().at("households").at("rejected").as_int64(), 0);
    EXPECT_FALSE(again.Json().as_object().contains("errors_url"));
    // A body that is neither is refused with the reason, and nothing changes.
    Reply junk = S().Send("POST", "/api/imports", std::string("\x01\x02not a table"), officer);
    EXPECT_EQ(junk.status, 400) << junk.body;
}

// Issue 11's hostile uploads (bench/hostile_files.py, small versions): each is refused with its
// code and a message that shows none of the server's paths, and leaves no file behind.
TEST(Api, HostileImportsAreRefusedWithoutPaths) {
    const std::string officer = ScopedSessions().at("officer");
    const std::string files = S().dir + "/hostile";
    ASSERT_EQ(std::system(
                  ("python3 " + std::string(JZ_SOURCE_DIR) + "/bench/hostile_files.py " + files + " --mib 12")
                      .c_str()),
              0);
    const std::string data_dir = S().db + ".files";
    const std::map<std::string, std::set<std::string>> expected = {
        {"huge_row.xlsx", {"xlsx.row_out_of_range"}},
        {"bomb_inline.xlsx", {"xlsx.compression_ratio", "xlsx.too_large"}},
        {"bomb_shared.xlsx", {"xlsx.compression_ratio", "xlsx.too_large"}},
        {"bomb_workbook.xlsx", {"xlsx.compression_ratio", "xlsx.too_large"}},
        {"long_line.csv", {"csv.record_too_long"}},
    };
    for (const auto& [file, codes] : expected) {
        std::ifstream in(files + "/" + file, std::ios::binary);
        const std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        Reply r = S().Send("POST", "/api/imports?filename=" + file, body, officer);
        EXPECT_EQ(r.status, 400) << file << ": " << r.body;
        const std::string code(r.Json().at("error").at("code").as_string());
        EXPECT_TRUE(codes.contains(code)) << file << ": " << r.body;
        for (const std::string& leak : {S().dir, data_dir, std::string("tmp-"), std::string("/tmp")})
            EXPECT_EQ(r.body.find(leak), std::string::npos) << file << " shows " << leak << ": " << r.body;
        EXPECT_NE(r.body.find(file), std::string::npos) << "the upload's own name is the field: " << r.body;
    }
    for (const auto& entry : fs::directory_iterator(data_dir))
        EXPECT_FALSE(entry.path().filename().string().starts_with("tmp-")) << entry.path();

    // An import with a rejected row: neither its answer nor the import's record shows a path.
    const std::string header =
        "户编号,行政区划代码,姓名,证件号码,与户主关系,贫困户属性,主要致贫原因,识别年度\n";
    Reply partial = S().Send("POST", "/api/imports?filename=bad.csv", header + "bad,row\n", officer);
    ASSERT_EQ(partial.status, 200) << partial.body;
    EXPECT_EQ(partial.body.find("/tmp"), std::string::npos) << partial.body;
    Reply record = S().Send(
        "GET", "/api/imports/" + std::to_string(partial.Json().at("import_id").as_int64()), "", officer);
    ASSERT_EQ(record.status, 200) << record.body;
    EXPECT_EQ(record.body.find("/tmp"), std::string::npos) << record.body;
    EXPECT_EQ(record.body.find(data_dir), std::string::npos) << record.body;
}

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

// --------------------------------------------------------------------------- dynamic management

std::string Body(json::object o) { return json::serialize(o); }

const json::object& Obj(const Reply& r) { return r.Json().as_object(); }

// A candidate for exit in `year` under the township, found through the API.
std::string CandidateIn(const std::string& session, const std::string& township, int year, size_t index) {
    Reply r = S().Send(
        "GET", "/api/exit-candidates?year=" + std::to_string(year) + "&division=" + township + "&limit=1000",
        "", session);
    EXPECT_EQ(r.status, 200) << r.body;
    const auto& items = Obj(r).at("items").as_array();
    EXPECT_GT(items.size(), index) << r.body.substr(0, 500);
    return std::string(items.at(index).at("household_code").as_string());
}

Reply Step(const std::string& session, int64_t id, const std::string& step, const std::string& date,
           json::object extra = {}) {
    extra["step"] = step;
    extra["date"] = date;
    return S().Send("POST", "/api/procedures/" + std::to_string(id) + "/steps", Body(extra), session);
}

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
        if (v.at("code").as_string() == village) EXPECT_TRUE(v.at("population").is_null());
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
    EXPECT_NE(jz::server::Run(std::string(JZ_BINARY) + " audit verify --db " + S().db).find("intact"),
              std::string::npos);
}

// ------------------------------------------------------------------------- privacy (issue 11)

// Percent-encodes a query value.
std::string Encode(const std::string& text) {
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
            out += static_cast<char>(c);
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

// A whole ID number in a body: 17 digits and a digit or X. Returns the first found, or "".
std::string WholeIdNumberIn(const std::string& text) {
    size_t run = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c >= '0' && c <= '9') {
            if (++run >= 18) return text.substr(i + 1 - run, 18);
            continue;
        }
        if (run == 17 && (c == 'X' || c == 'x')) return text.substr(i - 17, 18);
        run = 0;
    }
    return {};
}

// Walks a viewer's JSON: no birth date anywhere, and every person-like object (an ID number beside
// a birth year) leaves at least kMinMaskedCandidates numbers.
void ExpectMasked(const json::value& v, const std::string& where, int& persons) {
    if (v.is_array()) {
        for (const json::value& x : v.as_array()) ExpectMasked(x, where, persons);
        return;
    }
    if (!v.is_object()) return;
    const json::object& o = v.as_object();
    EXPECT_FALSE(o.contains("birth_date")) << where;
    if (o.contains("id_number") && o.at("id_number").is_string() && o.contains("birth_year")) {
        MaskedPerson seen{
            std::string(o.at("id_number").as_string()),
            o.at("birth_year").is_int64() ? static_cast<int>(o.at("birth_year").as_int64()) : 0,
            o.contains("sex") && o.at("sex").is_int64() ? static_cast<int>(o.at("sex").as_int64()) : 0};
        EXPECT_GE(CandidateIdNumbers(seen), kMinMaskedCandidates) << where << ": " << seen.masked_id;
        ++persons;
    }
    for (const auto& [key, x] : o) ExpectMasked(x, where, persons);
}

// Finding 1: a viewer got "540425********7171" beside "1993-07-13" and rebuilt every number. Every
// GET route of the OpenAPI document is asked, as the viewer, for records of every kind (households,
// a member change, a deregistration's snapshot, a new identification whose step notes quote an ID
// number, an evaluation whose notes do, exports in both formats): no whole ID number and no birth
// date comes back, and every person shown leaves at least 100,000 candidate numbers.
TEST(ApiPrivacy, NothingAViewerReceivesRebuildsAnIdNumber) {
    const std::string admin = S().Login("admin");
    const std::string officer = S().Login("officer");
    const std::string A = kTownshipA;
    const std::string changed = HouseholdIn(admin, A, 7), removed = HouseholdIn(admin, A, 8);
    auto [h, etag] = Fetch(admin, changed);
    const json::object head = h["members"].as_array()[0].as_object();
    json::object newborn{{"name", "新生"},
                         {"id_number", MakeIdNumber("540425", {2017, 3, 4}, 13)},
                         {"sex", 1},
                         {"birth_date", "2017-03-04"},
                         {"relation", "之子"}};
    if (head.contains("ethnicity")) newborn["ethnicity"] = head.at("ethnicity");
    Reply member = S().Send("POST", "/api/procedures",
                            Body({{"kind", "member_change"},
                                  {"household_code", changed},
                                  {"year", 2017},
                                  {"date", "2017-03-10"},
                                  {"member_change", "新生儿"},
                                  {"person", newborn}}),
                            admin);
    ASSERT_EQ(member.status, 201) << member.body;
    Reply gone = S().Send("POST", "/api/procedures",
                          Body({{"kind", "deregistration"},
                                {"household_code", removed},
                                {"year", 2018},
                                {"date", "2018-04-01"},
                                {"reason", "moved_away"}}),
                          admin);
    ASSERT_EQ(gone.status, 201) << gone.body;
    json::object proposal = Fetch(admin, changed).first;
    const std::string division(proposal.at("division_code").as_string());
    const std::string fresh_code = division + "7777";
    proposal["household_code"] = fresh_code;
    proposal.erase("exit_year");
    proposal["status"] = 0;
    json::object m = head;
    m["id_number"] = MakeIdNumber("540425", {1985, 6, 7}, 55);
    m["birth_date"] = "1985-06-07";
    m["sex"] = 1;
    proposal["members"] = json::array{m};
    Reply opened = S().Send("POST", "/api/procedures",
                            Body({{"kind", "new_identification"},
                                  {"household", proposal},
                                  {"year", 2018},
                                  {"date", "2018-05-01"}}),
                            officer);
    ASSERT_EQ(opened.status, 201) << opened.body;
    const int64_t case_id = Obj(opened).at("id").as_int64();
    const std::string quoted = MakeIdNumber("540425", {1990, 2, 3}, 77);
    Reply stepped = Step(officer, case_id, "appraise", "2018-05-02", {{"notes", "核对 " + quoted + " 无误"}});
    ASSERT_EQ(stepped.status, 200) << stepped.body;
    Reply drawn =
        S().Send("POST", "/api/evaluations", Body({{"year", 2017}, {"size", 8}, {"seed", 11}}), admin);
    ASSERT_EQ(drawn.status, 201) << drawn.body;
    const std::string eid = std::to_string(Obj(drawn).at("id").as_int64());
    const std::string sampled(Obj(drawn).at("items").as_array()[0].at("household_code").as_string());
    ASSERT_EQ(S().Send("PUT", "/api/evaluations/" + eid + "/items/" + sampled,
                       Body({{"verdict", "correct"}, {"notes", "户主 " + quoted}}), admin)
                  .status,
              200);
    // (the full users see what the viewer must not, so the checks below can fail)
    EXPECT_NE(WholeIdNumberIn(S().Send("GET", "/api/procedures/" + std::to_string(case_id), "", admin).body),
              "");

    std::vector<std::string> case_ids;
    const Reply all_cases = S().Send("GET", "/api/procedures?limit=200", "", admin);
    for (const auto& c : Obj(all_cases).at("items").as_array())
        case_ids.push_back("/api/procedures/" + std::to_string(c.at("id").as_int64()));
    const std::string name = std::string(head.at("name").as_string()).substr(0, 3);
    std::map<std::string, std::vector<std::string>> targets{
        {"/healthz", {"/healthz"}},
        {"/api/openapi.json", {"/api/openapi.json"}},
        {"/api/me", {"/api/me"}},
        {"/api/org-units", {"/api/org-units", "/api/org-units?parent=" + A}},
        {"/api/plan", {"/api/plan"}},
        {"/api/codes", {"/api/codes"}},
        {"/api/households",
         {"/api/households?page_size=200", "/api/households?division=" + A + "&page_size=200",
          "/api/households?q=" + Encode(name)}},
        {"/api/households/{code}",
         {"/api/households/" + changed, "/api/households/" + HouseholdIn(admin, A, 1)}},
        {"/api/households/{code}/history", {"/api/households/" + changed + "/history"}},
        {"/api/households/{code}/timeline",
         {"/api/households/" + changed + "/timeline", "/api/households/" + removed + "/timeline"}},
        {"/api/imports/{id}", {"/api/imports/1"}},
        {"/api/imports/{id}/errors.csv", {"/api/imports/1/errors.csv"}},
        {"/api/exports/registry.csv",
         {"/api/exports/registry.csv", "/api/exports/registry.csv?division=" + A}},
        {"/api/exports/registry.xlsx", {"/api/exports/registry.xlsx?division=" + A}},
        {"/api/reports/progress", {"/api/reports/progress", "/api/reports/progress?as_of=2017-06-30"}},
        {"/api/check", {"/api/check"}},
        {"/api/reconcile", {"/api/reconcile"}},
        {"/api/audit", {"/api/audit"}},
        {"/api/users", {"/api/users"}},
        {"/api/exit-candidates",
         {"/api/exit-candidates?year=2017&limit=1000",
          "/api/exit-candidates?year=2017&which=not_ready&limit=1000&as_of=2017-06-30"}},
        {"/api/procedures", {"/api/procedures?limit=200"}},
        {"/api/procedures/{id}", case_ids},
        {"/api/incidence", {"/api/incidence?year=2017"}},
        {"/api/adjustments/{year}", {"/api/adjustments/2017", "/api/adjustments/2018"}},
        {"/api/evaluations", {"/api/evaluations"}},
        {"/api/evaluations/{id}", {"/api/evaluations/" + eid}},
    };
    json::value doc = json::parse(OpenApiDocument());
    for (const auto& [path, ops] : doc.at("paths").as_object())
        if (ops.as_object().contains("get"))
            EXPECT_TRUE(targets.contains(std::string(path))) << "add GET " << path << " to this test";

    const std::string viewer = S().Login("viewer");
    int persons = 0, answered = 0;
    for (const auto& [path, list] : targets)
        for (const std::string& target : list) {
            Reply r = S().Send("GET", target, "", viewer);
            if (r.status != 200) continue;  // 403/404 carry no record
            ++answered;
            std::string text = r.body;
            if (target.find(".xlsx") != std::string::npos) {
                const std::string file = S().dir + "/viewer.xlsx";
                std::ofstream(file, std::ios::binary) << r.body;
                text =
                    jz::server::Run("unzip -p " + file + " 'xl/*'");  // (docProps hold the file's own dates)
                EXPECT_NE(text.find("<sheetData"), std::string::npos);
            }
            EXPECT_EQ(WholeIdNumberIn(text), "") << target;
            EXPECT_EQ(text.find(quoted.substr(6)), std::string::npos) << target;
            if (target.find(".csv") != std::string::npos || target.find(".xlsx") != std::string::npos) {
                EXPECT_FALSE(std::regex_search(text, std::regex("(19|20)[0-9][0-9]-[01][0-9]-[0-3][0-9]")))
                    << target;
                continue;
            }
            if (path != "/api/openapi.json")
                ExpectMasked(r.Json(), target, persons);  // (its schemas name fields)
        }
    EXPECT_GT(answered, 25);
    EXPECT_GT(persons, 10);  // (households, a new identification's and a deregistration's snapshots)
    // The ages a viewer's figures are computed on: the year's last day, whatever day is asked.
    Reply candidates = S().Send("GET", "/api/exit-candidates?year=2017&as_of=2017-06-30", "", viewer);
    EXPECT_EQ(Obj(candidates).at("as_of").as_string(), "2017-12-31");
    EXPECT_EQ(Obj(S().Send("GET", "/api/exit-candidates?year=2017&as_of=2017-06-30", "", admin))
                  .at("as_of")
                  .as_string(),
              "2017-06-30");
}

// Every person of the demo county, as the viewer's export gives them (masked number, birth year,
// sex): none leaves fewer than kMinMaskedCandidates numbers.
TEST(ApiPrivacy, NoPersonOfTheDemoCanBeRebuiltFromTheViewersExport) {
    Reply csv = S().Send("GET", "/api/exports/registry.csv", "", S().Login("viewer"));
    ASSERT_EQ(csv.status, 200);
    std::istringstream in(csv.body);
    std::string line;
    std::getline(in, line);
    auto split = [](const std::string& l) {
        std::vector<std::string> cells;
        std::string cell;
        std::istringstream s(l);
        while (std::getline(s, cell, ',')) cells.push_back(cell);
        return cells;
    };
    const auto header = split(line);
    const auto at = [&](const std::string& name) {
        return static_cast<size_t>(std::ranges::find(header, name) - header.begin());
    };
    const size_t id_col = at("证件号码"), birth_col = at("出生日期"), sex_col = at("性别");
    ASSERT_LT(sex_col, header.size());
    std::map<std::tuple<std::string, int, int>, int64_t> counted;
    int persons = 0;
    while (std::getline(in, line)) {
        const auto cells = split(line);
        if (cells.size() <= std::max({id_col, birth_col, sex_col})) continue;
        ASSERT_EQ(cells[birth_col].size(), 4u) << line;
        const int sex = cells[sex_col] == "男" || cells[sex_col] == "1"   ? 1
                        : cells[sex_col] == "女" || cells[sex_col] == "2" ? 2
                                                                          : 0;
        const auto key = std::tuple{cells[id_col], std::stoi(cells[birth_col]), sex};
        auto [it, fresh] = counted.try_emplace(key, 0);
        if (fresh) it->second = CandidateIdNumbers({cells[id_col], std::get<1>(key), sex});
        EXPECT_GE(it->second, kMinMaskedCandidates) << line;
        ++persons;
    }
    EXPECT_GE(persons, 6000);
}

// Finding 2: a viewer rebuilt a number from about 40 searches of growing prefixes. A masked user
// matches only whole numbers; searches are limited per session (429 with Retry-After).
TEST(ApiPrivacy, SearchIsNoOracleAndIsRateLimited) {
    const std::string admin = S().Login("admin");
    const std::string code = HouseholdIn(admin, kTownshipA, 4);
    const std::string id(Fetch(admin, code).first["members"].as_array()[0].at("id_number").as_string());
    auto total = [&](const std::string& session, const std::string& q) {
        Reply r = S().Send("GET", "/api/households?q=" + q, "", session);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.status == 200 ? r.Json().at("total").as_int64() : -1;
    };
    EXPECT_GE(total(admin, id.substr(0, 14)), 1);  // a full user may search by prefix
    const std::string viewer = S().Login("viewer");
    for (size_t n : {6u, 10u, 14u, 16u, 17u}) EXPECT_EQ(total(viewer, id.substr(0, n)), 0) << n;
    Reply whole = S().Send("GET", "/api/households?q=" + id, "", viewer);
    ASSERT_EQ(whole.Json().at("total").as_int64(), 1);
    EXPECT_EQ(whole.Json().at("items").as_array()[0].at("household_code").as_string(), code);
    EXPECT_EQ(whole.Json().at("items").as_array()[0].at("head_id_number").as_string(), MaskIdNumber(id));
    // A scoped viewer does not learn that a number exists outside its township.
    EXPECT_EQ(total(ScopedSessions().at("viewer"), std::string(Fetch(admin, HouseholdIn(admin, kTownshipB, 4))
                                                                   .first["members"]
                                                                   .as_array()[0]
                                                                   .at("id_number")
                                                                   .as_string())),
              0);

    const std::string limited = S().Login("viewer");
    Reply refused;
    int granted = 0;
    for (int i = 0; i < 500 && refused.status == 0; ++i) {
        Reply r = S().Send("GET", "/api/households?q=%E6%89%8E%E8%A5%BF", "", limited);
        if (r.status == 200)
            ++granted;
        else
            refused = r;
    }
    ASSERT_EQ(refused.status, 429) << refused.body;
    EXPECT_GE(granted, 20);
    EXPECT_GE(std::stoi(refused.headers["retry-after"]), 1);
    EXPECT_EQ(refused.Json().at("error").at("code").as_string(), "search.rate_limited");
    EXPECT_EQ(S().Send("GET", "/api/households?page_size=1", "", limited).status,
              200);                                                          // lists are not searches
    EXPECT_EQ(total(S().Login("viewer"), "%E6%89%8E%E8%A5%BF") >= 0, true);  // another session is not held
}

// Finding 9: errors name only what the caller may see; a new code matches its village; an
// evaluation shows a township only its own sampled households.
TEST(ApiPrivacy, OtherTownshipsDoNotLeakThroughErrors) {
    const std::string admin = S().Login("admin");
    const std::string officer = S().Login("officer");  // township A
    const std::string in = HouseholdIn(admin, kTownshipA, 9), out = HouseholdIn(admin, kTownshipB, 9);
    json::object theirs = Fetch(admin, out).first;
    json::object mine = Fetch(officer, in).first;
    const std::string division(mine.at("division_code").as_string());
    json::object fresh = mine;
    fresh["household_code"] = division + "6666";
    fresh["members"] = json::array{theirs["members"].as_array()[0]};
    Reply r = S().Send("POST", "/api/households", Body(fresh), officer);
    ASSERT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.body.find(out), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("outside your area"), std::string::npos) << r.body;
    Reply county = S().Send("POST", "/api/households", Body(fresh), admin);  // the county sees the township
    ASSERT_EQ(county.status, 400);
    EXPECT_NE(county.body.find(out), std::string::npos) << county.body;
    // The same through a member change (a newborn whose number is someone's in township B).
    json::object person = theirs["members"].as_array()[0].as_object();
    person["relation"] = "之子";
    Reply joined = S().Send("POST", "/api/procedures",
                            Body({{"kind", "member_change"},
                                  {"household_code", in},
                                  {"year", 2017},
                                  {"date", "2017-03-10"},
                                  {"member_change", "新生儿"},
                                  {"person", person}}),
                            officer);
    EXPECT_GE(joined.status, 400) << joined.body;
    EXPECT_EQ(joined.body.find(out), std::string::npos) << joined.body;

    // The same through an import: the error file does not name the other township's household.
    {
        const std::string b_csv =
            S().Send("GET", "/api/exports/registry.csv?division=" + std::string(kTownshipB), "", admin).body;
        const size_t header_end = b_csv.find('\n');
        std::string row = b_csv.substr(header_end + 1, b_csv.find('\n', header_end + 1) - header_end);
        const std::string b_code = row.substr(0, row.find(','));
        const size_t second = row.find(',', row.find(',') + 1);
        row = division + "5555," + division + row.substr(second);  // the household's head, moved into A
        Reply imported = S().Send("POST", "/api/imports", b_csv.substr(0, header_end + 1) + row, officer);
        ASSERT_EQ(imported.status, 200) << imported.body;
        EXPECT_EQ(imported.Json().at("households").at("rejected").as_int64(), 1) << imported.body;
        EXPECT_EQ(imported.body.find(b_code), std::string::npos) << imported.body;
        Reply errors =
            S().Send("GET", std::string(imported.Json().at("errors_url").as_string()), "", officer);
        EXPECT_EQ(errors.body.find(b_code), std::string::npos) << errors.body;
        EXPECT_NE(errors.body.find("outside your area"), std::string::npos) << errors.body;
    }

    // A code with township B's prefix in township A's village is refused, naming the field.
    json::object spoofed = mine;
    spoofed["household_code"] = std::string(kTownshipB) + "0019999";
    spoofed["members"].as_array().resize(1);
    spoofed["members"].as_array()[0].as_object()["id_number"] = MakeIdNumber("540425", {1980, 1, 1}, 881);
    spoofed["members"].as_array()[0].as_object()["birth_date"] = "1980-01-01";
    spoofed["members"].as_array()[0].as_object()["sex"] = 1;
    Reply bad = S().Send("POST", "/api/households", Body(spoofed), officer);
    ASSERT_EQ(bad.status, 400) << bad.body;
    EXPECT_EQ(bad.Json().at("error").at("fields").at(0).at("field").as_string(), "household_code");
    EXPECT_EQ(bad.Json().at("error").at("fields").at(0).at("code").as_string(), "household_code.division");

    // Evaluations: the county's sample, a township's part of it.
    Reply drawn =
        S().Send("POST", "/api/evaluations", Body({{"year", 2017}, {"size", 40}, {"seed", 5}}), admin);
    ASSERT_EQ(drawn.status, 201) << drawn.body;
    bool other_township = false;
    for (const auto& item : Obj(drawn).at("items").as_array())
        other_township |= !item.at("division_code").as_string().starts_with(kTownshipA);
    EXPECT_TRUE(other_township);
    const std::string eid = std::to_string(Obj(drawn).at("id").as_int64());
    for (const std::string& target : {std::string("/api/evaluations"), "/api/evaluations/" + eid}) {
        Reply seen = S().Send("GET", target, "", officer);
        ASSERT_EQ(seen.status, 200) << seen.body;
        int items = 0;
        auto check = [&](const json::value& e) {
            for (const auto& item : e.at("items").as_array()) {
                EXPECT_TRUE(item.at("division_code").as_string().starts_with(kTownshipA)) << target;
                ++items;
            }
        };
        if (Obj(seen).contains("items") && !Obj(seen).contains("id"))
            for (const auto& e : Obj(seen).at("items").as_array()) check(e);
        else
            check(seen.Json());
    }
}

}  // namespace
}  // namespace jz::server
