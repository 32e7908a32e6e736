// The API tests' fixture: one jingzhun server per test process serving a demo county on an
// ephemeral port (started on first use, stopped when the process ends), a client that sends one
// request per connection, logins, and accounts scoped to a township. Shared by the api_*_test.cc
// files, one per route group. Header-only: the function-local statics (the server, the scoped
// sessions) are one per process whichever file asks first.
#pragma once

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
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>

#include "core/access.h"
#include "core/id_number.h"
#include "server/api.h"

namespace jz::server::testing {

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

inline std::string Run(const std::string& command) {
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
        if (method != "GET" && method != "HEAD")
            req.set(beast::http::field::content_type, "application/json");
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

inline Server& S() { return Server::Get(); }

inline constexpr const char* kTownshipA = "540425100";
inline constexpr const char* kTownshipB = "540425101";

// A household code of the township (from the admin's list).
inline std::string HouseholdIn(const std::string& admin, const std::string& township, int index = 0) {
    Reply r = S().Send("GET", "/api/households?division=" + township + "&page_size=20", "", admin);
    return std::string(
        r.Json().at("items").as_array().at(static_cast<size_t>(index)).at("household_code").as_string());
}

// Accounts scoped to township A, one per role, made once through the API.
inline std::map<std::string, std::string>& ScopedSessions() {
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
inline std::pair<json::object, std::string> Fetch(const std::string& cookie, const std::string& code) {
    Reply r = S().Send("GET", "/api/households/" + code, "", cookie);
    json::object o = r.Json().as_object();
    o.erase("version");
    return {o, r.headers["etag"]};
}

inline std::string Body(json::object o) { return json::serialize(o); }

inline const json::object& Obj(const Reply& r) { return r.Json().as_object(); }

// A candidate for exit in `year` under the township, found through the API.
inline std::string CandidateIn(const std::string& session, const std::string& township, int year,
                               size_t index) {
    Reply r = S().Send(
        "GET", "/api/exit-candidates?year=" + std::to_string(year) + "&division=" + township + "&limit=1000",
        "", session);
    EXPECT_EQ(r.status, 200) << r.body;
    const auto& items = Obj(r).at("items").as_array();
    EXPECT_GT(items.size(), index) << r.body.substr(0, 500);
    return std::string(items.at(index).at("household_code").as_string());
}

// A code of a catalog table (GET /api/codes) whose Chinese name contains `name_part` (-1: none).
inline int CatalogCode(const std::string& session, const std::string& table, const std::string& name_part) {
    Reply r = S().Send("GET", "/api/codes", "", session);
    const json::value* t = r.Json().is_object() ? r.Json().as_object().if_contains(table) : nullptr;
    if (!t || !t->is_object() || !t->as_object().contains("entries")) return -1;
    for (const auto& e : t->at("entries").as_array())
        if (std::string(e.at("name").as_string()).find(name_part) != std::string::npos)
            return static_cast<int>(e.at("code").as_int64());
    return -1;
}

inline Reply Step(const std::string& session, int64_t id, const std::string& step, const std::string& date,
                  json::object extra = {}) {
    extra["step"] = step;
    extra["date"] = date;
    return S().Send("POST", "/api/procedures/" + std::to_string(id) + "/steps", Body(extra), session);
}

}  // namespace jz::server::testing
