// Fuzz target: the HTTP request path of the server before any handler runs (server/http.cc
// HttpServer's Serve loop), on a byte stream that may hold several pipelined requests: Beast's
// request_parser with the server's header limit (16 KiB), the request target parsed as origin-form
// (Boost.URL) into the decoded path and query, the router's match (server/http.h Router::Find) over
// every route of the API (method and pattern from openapi.json, compiled into the router as the API
// registers them), the body read under the route's limit, a handler's JSON response written out.
// The socket is replaced by a stream over the input, read through Beast's synchronous http::read
// calls (the same parser and buffer logic as the server's async_read calls).
// Invariants: no crash, no sanitizer report; a match binds exactly the pattern's parameters to
// non-empty segments; a route found is one with the request's method.
#include "server/http.h"

#include <boost/asio/buffer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <boost/url.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "server/api.h"

namespace {

namespace beast = boost::beast;
namespace http = boost::beast::http;
using jz::server::Router;

// The request bytes as a socket: read_some copies what is left, then reports the end of stream.
class InputStream {
  public:
    using executor_type = boost::asio::any_io_executor;
    explicit InputStream(std::string_view data) : data_(data) {}

    template <class Buffers>
    size_t read_some(const Buffers& buffers, boost::system::error_code& ec) {
        if (data_.empty()) {
            ec = boost::asio::error::eof;
            return 0;
        }
        ec = {};
        const size_t n = boost::asio::buffer_copy(buffers, boost::asio::buffer(data_.data(), data_.size()));
        data_.remove_prefix(n);
        return n;
    }
    template <class Buffers>
    size_t read_some(const Buffers& buffers) {
        boost::system::error_code ec;
        const size_t n = read_some(buffers, ec);
        if (ec) throw boost::system::system_error(ec);
        return n;
    }

  private:
    std::string_view data_;
};

// The server's limits, from their defaults where the code keeps them.
constexpr size_t kHeaderLimit = 16 * 1024;  // HttpServer::Impl::Serve
const size_t kBodyLimit = jz::server::HttpOptions{}.body_limit;
const size_t kImportBodyLimit = jz::server::ApiConfig{}.import_body_limit;

std::string Slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

const Router& ApiRouter() {
    static const Router router = [] {
        Router r;
        const auto doc =
            boost::json::parse(Slurp(std::filesystem::path(JZ_SOURCE_DIR) / "src/server/openapi.json"));
        for (const auto& [path, item] : doc.at("paths").as_object()) {
            for (const auto& [method, operation] : item.as_object()) {
                (void)operation;
                const http::verb verb =
                    http::string_to_verb(std::string_view(method) == "get"     ? "GET"
                                         : std::string_view(method) == "post"  ? "POST"
                                         : std::string_view(method) == "put"   ? "PUT"
                                         : std::string_view(method) == "patch" ? "PATCH"
                                                                               : "DELETE");
                const std::string pattern(path);
                r.Add({verb, pattern,
                       [](jz::server::RequestContext& c) {
                           boost::json::object o;
                           for (const auto& [k, v] : c.params) o[k] = v;
                           for (const auto& [k, v] : c.query) o["?" + k] = v;
                           return jz::server::JsonResponse(c.request, http::status::ok,
                                                           boost::json::serialize(o));
                       },
                       false, pattern == "/api/imports" ? kImportBodyLimit : 0});
            }
        }
        r.SetFallback([](jz::server::RequestContext& c) {
            return jz::server::ErrorResponse(c.request, http::status::not_found, "request.not_found",
                                             "没有这个地址", "no such route");
        });
        JZ_FUZZ_CHECK(r.routes().size() > 20);
        return r;
    }();
    return router;
}

size_t Braces(std::string_view pattern) {
    size_t n = 0;
    for (char c : pattern) n += c == '{';
    return n;
}

void Drain(jz::server::Response response) {
    boost::system::error_code ec;
    while (!response.is_done()) {
        auto buffers = response.prepare(ec);
        if (ec) break;
        response.consume(boost::asio::buffer_size(buffers));
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    (void)ApiRouter();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const Router& router = ApiRouter();
    InputStream stream(std::string_view(reinterpret_cast<const char*>(data), size));
    beast::flat_buffer buffer;
    for (int requests = 0; requests < 16; ++requests) {
        http::request_parser<http::string_body> parser;
        parser.header_limit(kHeaderLimit);
        parser.body_limit(std::numeric_limits<std::uint64_t>::max());
        boost::system::error_code ec;
        http::read_header(stream, buffer, parser, ec);
        if (ec) break;
        const jz::server::Request& head = parser.get();

        std::string path;
        std::map<std::string, std::string> query;
        bool bad_target = false;
        if (auto url = boost::urls::parse_origin_form(head.target()); url) {
            path = url->path();
            for (auto p : url->params()) query[std::string(p.key)] = std::string(p.value);
        } else {
            bad_target = true;
        }
        auto match = router.Find(head.method(), path);
        if (match.route) {
            JZ_FUZZ_CHECK(match.route->method == head.method());
            JZ_FUZZ_CHECK(match.params.size() == Braces(match.route->pattern));
            for (const auto& [name, value] : match.params)
                JZ_FUZZ_CHECK(!value.empty() && value.find('/') == std::string::npos);
        }
        const size_t limit = match.route && match.route->body_limit ? match.route->body_limit : kBodyLimit;
        parser.body_limit(limit);
        if (parser.content_length() && *parser.content_length() > limit) break;  // 413, connection closed
        http::read(stream, buffer, parser, ec);
        if (ec) break;
        jz::server::Request request = parser.release();
        JZ_FUZZ_CHECK(request.body().size() <= limit);
        if (bad_target) break;
        jz::server::RequestContext context{request, path, std::move(match.params), std::move(query),
                                           "127.0.0.1"};
        if (match.route)
            Drain(match.route->handler(context));
        else if (!path.starts_with("/api/"))
            Drain(router.fallback()(context));
        if (!request.keep_alive()) break;
    }
    return 0;
}
