// The HTTP server's defences against a real listening server (the jingzhun binary on a small
// database): oversized and slow headers, the connection cap, CSRF, security headers, the login
// throttle, bounded usernames, password rules and sessions ended by the CLI at once.
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
#include <thread>

namespace jz::server {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

struct Reply {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string Code() const {
        json::error_code ec;
        auto v = json::parse(body, ec);
        if (ec || !v.is_object() || !v.as_object().contains("error")) return "";
        return std::string(v.at("error").at("code").as_string());
    }
};

// A served database with one admin ("root") and one officer ("clerk"), started with small limits.
class Served {
  public:
    static Served& Get() {
        static Served s;
        return s;
    }
    std::string dir, db;
    int port = 0;
    pid_t pid = -1;
    static constexpr int kMaxConnections = 24;

    Reply Send(const std::string& method, const std::string& target, const std::string& body = {},
               std::map<std::string, std::string> headers = {}) {
        asio::io_context ioc;
        tcp::socket socket(ioc);
        socket.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
        beast::http::request<beast::http::string_body> req{beast::http::string_to_verb(method), target, 11};
        req.set(beast::http::field::host, "127.0.0.1:" + std::to_string(port));
        if (method != "GET") req.set(beast::http::field::content_type, "application/json");
        for (auto& [k, v] : headers) req.set(k, v);
        req.body() = body;
        req.prepare_payload();
        beast::error_code ec;
        beast::http::write(socket, req, ec);
        return Read(socket);
    }

    static Reply Read(tcp::socket& socket) {
        beast::flat_buffer buffer;
        beast::http::response_parser<beast::http::string_body> parser;
        parser.body_limit(1 << 24);
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

    // Each login from its own client address (the server trusts X-Forwarded-For), so the tests do
    // not throttle one another.
    Reply LoginFrom(const std::string& address, const std::string& username, const std::string& password,
                    std::map<std::string, std::string> headers = {}) {
        headers["X-Forwarded-For"] = address;
        return Send("POST", "/api/login",
                    json::serialize(json::object{{"username", username}, {"password", password}}), headers);
    }
    std::string Session(const Reply& r) {
        auto it = r.headers.find("set-cookie");
        if (r.status != 200 || it == r.headers.end()) return "";
        return it->second.substr(0, it->second.find(';'));
    }

    int Jingzhun(const std::string& args) {
        return std::system((std::string(JZ_BINARY) + " " + args + " >/dev/null 2>&1").c_str());
    }

  private:
    Served() {
        dir = (fs::temp_directory_path() / ("jz-http-test-" + std::to_string(getpid()))).string();
        fs::create_directories(dir);
        db = dir + "/h.db";
        std::ofstream(dir + "/pw") << "root-password-1\n";
        std::ofstream(dir + "/pw2") << "clerk-password-1\n";
        EXPECT_EQ(Jingzhun("init --db " + db + " --plan " + std::string(JZ_SOURCE_DIR) +
                           "/plans/chayu-2016.toml --force"),
                  0);
        EXPECT_EQ(Jingzhun("user add --db " + db + " --username root --role admin --scope 540425 --password-file " +
                           dir + "/pw"),
                  0);
        EXPECT_EQ(Jingzhun("user add --db " + db +
                           " --username clerk --role officer --scope 540425 --password-file " + dir + "/pw2"),
                  0);
        int out[2];
        EXPECT_EQ(pipe(out), 0);
        pid = fork();
        if (pid == 0) {
            prctl(PR_SET_PDEATHSIG, SIGTERM);
            dup2(out[1], STDOUT_FILENO);
            const int devnull = open("/dev/null", O_WRONLY);
            dup2(devnull, STDERR_FILENO);
            close(out[0]);
            const std::string cap = std::to_string(kMaxConnections);
            execl(JZ_BINARY, "jingzhun", "serve", "--db", db.c_str(), "--listen", "127.0.0.1:0", "--trust-proxy",
                  "--max-connections", cap.c_str(), "--read-timeout", "2", "--idle-timeout", "60",
                  static_cast<char*>(nullptr));
            _exit(127);
        }
        close(out[1]);
        FILE* f = fdopen(out[0], "r");
        char line[512] = {};
        if (fgets(line, sizeof line, f)) std::sscanf(std::strstr(line, "127.0.0.1:") + 10, "%d", &port);
        stdout_ = f;
    }
    ~Served() {
        if (pid > 0) {
            kill(pid, SIGTERM);
            int status = 0;
            waitpid(pid, &status, 0);
        }
        if (stdout_) fclose(stdout_);
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    FILE* stdout_ = nullptr;
};

Served& S() { return Served::Get(); }

TEST(Http, OversizedHeadersAre431) {
    Reply r = S().Send("GET", "/healthz", "", {{"X-Filler", std::string(32 * 1024, 'a')}});
    EXPECT_EQ(r.status, 431);
    EXPECT_EQ(r.Code(), "request.header_too_large");
    EXPECT_EQ(S().Send("GET", "/healthz").status, 200);
}

TEST(Http, SecurityHeadersOnEveryAnswer) {
    for (const Reply& r : {S().Send("GET", "/healthz"), S().Send("GET", "/api/me"),
                           S().Send("GET", "/no/such/page")}) {
        const std::string csp = r.headers.at("content-security-policy");
        EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
        EXPECT_EQ(csp.find("script-src 'self' 'unsafe-inline'"), std::string::npos);
        EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
        EXPECT_EQ(r.headers.at("x-frame-options"), "DENY");
        EXPECT_EQ(r.headers.at("x-content-type-options"), "nosniff");
        EXPECT_EQ(r.headers.at("referrer-policy"), "no-referrer");
    }
}

// Finding 11: state-changing requests must be JSON (or a file type on the upload route) and come
// from our own origin.
TEST(Http, CrossSiteRequestsAreRefused) {
    const std::string body = R"({"username":"root","password":"root-password-1"})";
    for (const char* type : {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"})
        EXPECT_EQ(S().Send("POST", "/api/login", body, {{"Content-Type", type}}).status, 415) << type;
    Reply foreign = S().Send("POST", "/api/login", body, {{"Origin", "http://evil.example"}});
    EXPECT_EQ(foreign.status, 403);
    EXPECT_EQ(foreign.Code(), "request.origin");
    const std::string self = "http://127.0.0.1:" + std::to_string(S().port);
    Reply ours = S().Send("POST", "/api/login", body, {{"Origin", self}, {"X-Forwarded-For", "10.9.0.1"}});
    EXPECT_EQ(ours.status, 200) << ours.body;
    const std::string session = S().Session(ours);
    // Logout and uploads too; an upload may carry a file type but not a form's.
    EXPECT_EQ(S().Send("POST", "/api/logout", "", {{"Cookie", session}, {"Content-Type", "text/plain"}}).status,
              415);
    EXPECT_EQ(
        S().Send("POST", "/api/imports?filename=a.csv", "x", {{"Cookie", session}, {"Content-Type", "text/plain"}})
            .status,
        415);
    EXPECT_EQ(S().Send("POST", "/api/logout", "", {{"Cookie", session}}).status, 200);
}

TEST(Http, SecureCookieOnlyOverHttpsThroughTheTrustedProxy) {
    Reply plain = S().LoginFrom("10.9.0.2", "root", "root-password-1");
    ASSERT_EQ(plain.status, 200);
    EXPECT_EQ(plain.headers["set-cookie"].find("Secure"), std::string::npos);
    Reply tls = S().LoginFrom("10.9.0.2", "root", "root-password-1", {{"X-Forwarded-Proto", "https"}});
    ASSERT_EQ(tls.status, 200);
    EXPECT_NE(tls.headers["set-cookie"].find("; Secure"), std::string::npos);
}

// Finding 8: unknown and existing usernames are answered alike; a throttle from one address does
// not keep the account's owner out elsewhere.
TEST(Http, LoginThrottleAnswersAlikeAndDoesNotLockTheAccount) {
    std::map<std::string, Reply> last;
    for (const std::string name : {"root", "nobody-at-all"}) {
        for (int i = 0; i < 6; ++i) EXPECT_EQ(S().LoginFrom("10.8.0.1", name, "wrong-password").status, 401);
        last[name] = S().LoginFrom("10.8.0.1", name, name == "root" ? "root-password-1" : "wrong-password");
        EXPECT_EQ(last[name].status, 429) << name;
        EXPECT_EQ(last[name].Code(), "auth.throttled");
        EXPECT_FALSE(last[name].headers["retry-after"].empty());
    }
    // The same answer but for the seconds left, which the clock may have moved by one.
    for (const auto& [name, r] : last) {
        const int wait = std::stoi(r.headers.at("retry-after"));
        EXPECT_TRUE(wait > 0 && wait <= 30) << name << ": " << wait;
        EXPECT_NE(r.body.find("auth.throttled"), std::string::npos);
    }
    EXPECT_EQ(S().LoginFrom("10.8.0.2", "root", "root-password-1").status, 200);
    // (An address failing across many usernames: auth_test.cc.)
}

// Finding 5: huge usernames are refused before anything is stored.
TEST(Http, HugeUsernamesDoNotGrowTheDatabase) {
    const auto size = [] {
        uintmax_t total = 0;
        for (const char* suffix : {"", "-wal"}) {
            std::error_code ec;
            auto n = fs::file_size(S().db + suffix, ec);
            if (!ec) total += n;
        }
        return total;
    };
    S().Send("GET", "/healthz");
    const auto before = size();
    for (int i = 0; i < 10; ++i) {
        const std::string address = "10.7." + std::to_string(i) + ".1";
        EXPECT_EQ(S().LoginFrom(address, std::string(1 << 20, 'u'), "wrong-password").status, 413);
        EXPECT_EQ(S().LoginFrom(address, std::string(3000, 'u'), "wrong-password").status, 401);
    }
    // 10 failures logged under a short key: a few kilobytes, not 10 MB.
    EXPECT_LT(size(), before + 512 * 1024);
}

TEST(Http, UserRoutesRefuseCommonPasswordsAndUnknownFields) {
    const std::string root = S().Session(S().LoginFrom("10.6.0.1", "root", "root-password-1"));
    ASSERT_FALSE(root.empty());
    auto add = [&](json::object o) {
        return S().Send("POST", "/api/users", json::serialize(o), {{"Cookie", root}});
    };
    Reply common = add({{"username", "wu"}, {"password", "Password123"}, {"role", "viewer"}, {"scope", "540425"}});
    EXPECT_EQ(common.status, 400);
    EXPECT_NE(common.body.find("user.password_common"), std::string::npos) << common.body;
    Reply same = add({{"username", "wuli2026"}, {"password", "WULI2026"}, {"role", "viewer"}, {"scope", "540425"}});
    EXPECT_EQ(same.status, 400);
    EXPECT_NE(same.body.find("user.password_username"), std::string::npos) << same.body;
    Reply extra = add({{"username", "wu"},
                       {"password", "a-fine-password"},
                       {"role", "viewer"},
                       {"scope", "540425"},
                       {"disabled", false}});
    EXPECT_EQ(extra.status, 400);
    EXPECT_NE(extra.body.find("json.unknown_field"), std::string::npos) << extra.body;
    Reply long_name = add({{"username", std::string(65, 'w')},
                           {"password", "a-fine-password"},
                           {"role", "viewer"},
                           {"scope", "540425"}});
    EXPECT_EQ(long_name.status, 400);
    EXPECT_EQ(S().Send("PATCH", "/api/users/clerk", R"({"password":"12345678"})", {{"Cookie", root}}).status, 400);
}

// Finding 11: `jingzhun user disable` in another process ends the session at once.
TEST(Http, CliDisableEndsTheSessionAtOnce) {
    std::ofstream(S().dir + "/pw3") << "temp-password-1\n";
    ASSERT_EQ(S().Jingzhun("user add --db " + S().db +
                           " --username temp --role viewer --scope 540425 --password-file " + S().dir + "/pw3"),
              0);
    const std::string session = S().Session(S().LoginFrom("10.5.0.1", "temp", "temp-password-1"));
    ASSERT_FALSE(session.empty());
    EXPECT_EQ(S().Send("GET", "/api/me", "", {{"Cookie", session}}).status, 200);
    ASSERT_EQ(S().Jingzhun("user disable --db " + S().db + " temp"), 0);
    EXPECT_EQ(S().Send("GET", "/api/me", "", {{"Cookie", session}}).status, 401);
}

// Finding 7: a header dribbled in is cut off at the read timeout (2 s here), and others are served
// meanwhile.
TEST(Http, SlowHeadersAreCutOff) {
    asio::io_context ioc;
    tcp::socket slow(ioc);
    slow.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(S().port)});
    asio::write(slow, asio::buffer(std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n")));
    EXPECT_EQ(S().Send("GET", "/healthz").status, 200);
    // Keep dribbling: the connection is closed anyway (the read below ends with an error, not a hang).
    beast::error_code ec;
    for (int i = 0; i < 100 && !ec; ++i) {
        asio::write(slow, asio::buffer(std::string("X-A: b\r\n")), ec);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    char byte;
    slow.read_some(asio::buffer(&byte, 1), ec);
    EXPECT_TRUE(ec);
}

// Finding 7: at the connection cap, idle connections make room: the server still answers.
TEST(Http, IdleConnectionsCannotExhaustTheServer) {
    asio::io_context ioc;
    std::vector<tcp::socket> idle;
    for (int i = 0; i < Served::kMaxConnections * 3; ++i) {
        idle.emplace_back(ioc);
        idle.back().connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(S().port)});
    }
    EXPECT_EQ(S().Send("GET", "/healthz").status, 200);
    // The oldest idle ones were closed to make room.
    beast::error_code ec;
    char byte;
    idle.front().read_some(asio::buffer(&byte, 1), ec);
    EXPECT_TRUE(ec);
}

}  // namespace
}  // namespace jz::server
