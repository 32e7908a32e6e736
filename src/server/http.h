// HTTP plumbing: a router of method + path pattern to handler, and a Beast server running C++20
// coroutines on a thread per core. Knows nothing about Jingzhun's domain (api.h registers routes).
#pragma once

#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
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
using Response = http::message_generator;

struct RequestContext {
    const Request& request;
    std::string path;                           // decoded, without the query
    std::map<std::string, std::string> params;  // path parameters ({code} → value)
    std::map<std::string, std::string> query;   // decoded query parameters (the last of repeated ones)
    std::string remote;                         // client address
};

using Handler = std::function<Response(RequestContext&)>;

struct Route {
    http::verb method;
    std::string pattern;  // "/api/households/{code}"; a segment in braces matches any one segment
    Handler handler;
    bool blocking = false;  // long work (imports, exports, scans): runs on the worker pool
    size_t body_limit = 0;  // 0: the server's default
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

// Makes responses. Errors are {"error": {"code", "message"}} (api.h adds "fields").
Response JsonResponse(const Request& request, http::status status, std::string body);
Response ErrorResponse(const Request& request, http::status status, std::string_view code,
                       std::string_view message_zh, std::string_view message_en);

struct HttpOptions {
    std::string address = "127.0.0.1";
    uint16_t port = 8080;  // 0: any free port
    int threads = 0;       // 0: one per core
    int blocking_threads = 2;
    size_t body_limit = 1 << 20;
    std::chrono::seconds read_timeout{30};  // a whole request, once its first byte arrived
    std::chrono::seconds idle_timeout{60};  // between requests on a kept-alive connection
    std::chrono::seconds write_timeout{60};
    std::function<void()> on_stop;  // called once when stopping begins (e.g. to cancel imports)
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

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace jz::server
