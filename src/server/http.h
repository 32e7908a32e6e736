// HTTP plumbing: a router of method + path pattern to handler, and a Beast server running C++20
// coroutines on a thread per core. Knows nothing about Jingzhun's domain (api.h registers routes).
// The I/O threads only parse, route and write; handlers that may be slow run on worker lanes with
// bounded queues (docs/api.md, "Where requests run").
//
// Contract. A Router is filled before the HttpServer that serves it is made, and only read after
// (Find runs on every I/O thread at once); the server keeps a reference to it, so it must outlive
// the server. The HttpServer owns its threads and sockets. A handler may run on several threads at
// once (every lane has a pool), so whatever it shares must be thread-safe; its RequestContext (and
// the request it refers to) lives only for the call, and the Response it returns owns its body.
#pragma once

#include <boost/beast/http.hpp>
#include <boost/beast/http/message_generator.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace jz::server {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;

// The security headers every response carries (set unless the handler set them): a CSP without
// inline script and no framing, nosniff, no referrer.
void AddSecurityHeaders(http::fields& fields);

// A response ready to write: any http::response converts to it, gaining the security headers.
class Response : public http::message_generator {
  public:
    template <class Body, class Fields>
    Response(http::response<Body, Fields>&& m)  // NOLINT: implicit on purpose
        : http::message_generator(Decorated(std::move(m))) {}

  private:
    template <class Body, class Fields>
    static http::response<Body, Fields>&& Decorated(http::response<Body, Fields>&& m) {
        AddSecurityHeaders(m.base());
        return std::move(m);
    }
};

struct RequestContext {
    const Request& request;
    std::string path;                           // decoded, without the query
    std::map<std::string, std::string> params;  // path parameters ({code} → value)
    std::map<std::string, std::string> query;   // decoded query parameters (the last of repeated ones)
    std::string remote;  // client address: the socket's, or with trust_proxy the proxy's X-Forwarded-For
    bool secure = false;  // reached over HTTPS (with trust_proxy: X-Forwarded-Proto: https)
    bool may_block = true;  // false on an I/O thread (Lane::kInline): reads only, no waiting on locks
    // The lane's deadline: a queued request not started by then is answered 503; a long handler
    // may look (Expired) and stop early. max(): none.
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
    bool Expired() const { return std::chrono::steady_clock::now() >= deadline; }
};

using Handler = std::function<Response(RequestContext&)>;
// Runs on the I/O thread before a route is queued (cheap checks only: a throttle, a body's shape);
// an answer ends the request there.
using Admission = std::function<std::optional<Response>(RequestContext&)>;

// Where a handler runs. Inline handlers may only do point reads (SQLite readers never wait for the
// writer in WAL mode): no writes, no scans, no password hashing (RequestContext::may_block).
enum class Lane {
    kInline,    // on the I/O thread: health, the OpenAPI document, static files, point reads
    kWork,      // the worker pool: every route that reads or writes the store
    kBlocking,  // long work (imports, exports, reports, scans): its own small pool
    kLogin,     // password hashing (login): its own pool, so a login flood cannot starve the rest
};

struct Route {
    http::verb method;
    std::string pattern;  // "/api/households/{code}"; a segment in braces matches any one segment
    Handler handler;
    bool blocking = false;  // long work (imports, exports, scans): the kBlocking lane
    size_t body_limit = 0;  // 0: the server's default
    Lane lane = Lane::kWork;  // (kBlocking when `blocking`)
    Admission admit;          // optional, before queueing
    bool upload = false;      // the body is a file: any Content-Type but the form and text ones
};

class Router {
  public:
    void Add(Route route);
    // For paths no route matches (the web app's files). Not called for /api/ paths.
    void SetFallback(Handler handler) { fallback_ = std::move(handler); }

    struct Match {
        const Route* route = nullptr;
        std::map<std::string, std::string> params;
        bool path_known = false;  // some route has this path with another method (405)
    };
    Match Find(http::verb method, std::string_view path) const;
    const std::vector<Route>& routes() const { return routes_; }
    const Handler& fallback() const { return fallback_; }

  private:
    std::vector<Route> routes_;
    std::vector<std::vector<std::string>> segments_;  // each route's pattern, split once
    Handler fallback_;
};

// The one error shape of every answer that fails: {"error": {code, message, message_zh, message_en,
// fields}}. `message` is both languages joined ("zh / en", for clients that show one string);
// the workbench shows the one of the chosen language. Each field: {field, code, reason,
// reason_zh, reason_en}.
boost::json::object ErrorJson(std::string_view code, std::string_view message_zh, std::string_view message_en,
                              boost::json::array fields = {});

// Makes responses; an error's body is ErrorJson.
Response JsonResponse(const Request& request, http::status status, std::string body);
Response ErrorResponse(const Request& request, http::status status, std::string_view code,
                       std::string_view message_zh, std::string_view message_en);

// Limits and their defaults (docs/security.md lists them with the serve flags that set them).
struct HttpOptions {
    std::string address = "127.0.0.1";
    uint16_t port = 8080;  // 0: any free port
    int threads = 0;       // 0: one per core
    int work_threads = 0;  // 0: as many as I/O threads
    int blocking_threads = 2;
    int login_threads = 1;
    // Requests queued or running per lane; one more is answered 503 with Retry-After.
    int work_queue = 256;
    int blocking_queue = 16;
    int login_queue = 16;
    // Per-request deadlines per lane (0: none): not started by then, answered 503.
    std::chrono::seconds work_deadline{10};
    std::chrono::seconds login_deadline{10};
    std::chrono::seconds blocking_deadline{0};
    size_t body_limit = 1 << 20;
    size_t header_limit = 16 * 1024;        // beyond: 431
    std::chrono::seconds read_timeout{30};  // a whole request (header and body), once its first byte arrived
    std::chrono::seconds idle_timeout{10};  // waiting for a request's first byte (new or kept-alive)
    std::chrono::seconds write_timeout{60};
    std::function<void()> on_stop;  // called once when stopping begins (e.g. to cancel imports)
    // Open connections at most; at the cap, the connection idle longest is closed for a new one.
    // 0: from the file-descriptor limit (raised to its hard maximum), less a reserve.
    int max_connections = 0;
    // Behind a reverse proxy: take the client address from X-Forwarded-For (its last entry, the one
    // the proxy added) and HTTPS from X-Forwarded-Proto. Off: the socket's address, plain HTTP.
    bool trust_proxy = false;
    // Origins besides the server's own allowed to send state-changing requests ("http://host:port").
    std::vector<std::string> allowed_origins;
};

class HttpServer {
  public:
    HttpServer(HttpOptions options, const Router& router);
    ~HttpServer();
    // Binds and listens; the port actually bound (useful with port 0). Error "serve.listen".
    Result<uint16_t> Listen();
    // Serves until Stop() or SIGINT/SIGTERM, then lets requests in flight finish and returns.
    void Run();
    void Stop();  // thread-safe
    int max_connections() const;  // the cap in force (after the file-descriptor limit)

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace jz::server
