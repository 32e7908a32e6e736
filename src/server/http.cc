#include "server/http.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/json.hpp>
#include <boost/url.hpp>
#include <limits>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>

namespace jz::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

// ---------------------------------------------------------------------------------------- Router

namespace {

std::vector<std::string_view> Segments(std::string_view path) {
    std::vector<std::string_view> out;
    size_t start = 1;
    while (start <= path.size()) {
        size_t end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        out.push_back(path.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

bool IsParameter(std::string_view segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::Add(Route route) {
    std::vector<std::string> segments;
    for (std::string_view s : Segments(route.pattern)) segments.emplace_back(s);
    segments_.push_back(std::move(segments));
    routes_.push_back(std::move(route));
}

Router::Match Router::Find(http::verb method, std::string_view path) const {
    Match m;
    const std::vector<std::string_view> xs = Segments(path);
    auto matches = [&](const std::vector<std::string>& ps) {
        if (ps.size() != xs.size()) return false;
        for (size_t i = 0; i < ps.size(); ++i)
            if (IsParameter(ps[i]) ? xs[i].empty() : ps[i] != xs[i]) return false;
        return true;
    };
    // Literal segments win over parameters: try routes without braces first.
    for (int pass = 0; pass < 2; ++pass)
        for (size_t r = 0; r < routes_.size(); ++r) {
            const bool literal = routes_[r].pattern.find('{') == std::string::npos;
            if (literal != (pass == 0) || !matches(segments_[r])) continue;
            if (routes_[r].method != method) {
                m.path_known = true;
                continue;
            }
            m.route = &routes_[r];
            for (size_t i = 0; i < xs.size(); ++i)
                if (IsParameter(segments_[r][i]))
                    m.params.emplace(segments_[r][i].substr(1, segments_[r][i].size() - 2),
                                     std::string(xs[i]));
            return m;
        }
    return m;
}

// ------------------------------------------------------------------------------------- Responses

Response JsonResponse(const Request& request, http::status status, std::string body) {
    http::response<http::string_body> res{status, request.version()};
    res.set(http::field::content_type, "application/json; charset=utf-8");
    res.set(http::field::cache_control, "no-store");
    res.keep_alive(request.keep_alive());
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

Response ErrorResponse(const Request& request, http::status status, std::string_view code,
                       std::string_view message_zh, std::string_view message_en) {
    boost::json::object error{{"code", code},
                              {"message", std::string(message_zh) + " / " + std::string(message_en)},
                              {"fields", boost::json::array()}};
    return JsonResponse(request, status,
                        boost::json::serialize(boost::json::object{{"error", std::move(error)}}));
}

// ---------------------------------------------------------------------------------------- Server

struct HttpServer::Impl {
    HttpOptions options;
    const Router& router;
    int threads;
    asio::io_context ioc;
    asio::thread_pool blocking;
    tcp::acceptor acceptor{ioc};
    asio::signal_set signals{ioc, SIGINT, SIGTERM};
    std::atomic<bool> stopping{false};

    // Live connections, so a stop can close the idle ones (the busy ones close after replying).
    struct Conn {
        beast::tcp_stream stream;
        bool busy = false;  // guarded by mutex
        explicit Conn(tcp::socket socket) : stream(std::move(socket)) {}
    };
    std::mutex mutex;
    std::set<std::shared_ptr<Conn>> conns;

    Impl(HttpOptions o, const Router& r)
        : options(std::move(o)),
          router(r),
          threads(options.threads > 0 ? options.threads
                                      : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()))),
          ioc(threads),
          blocking(static_cast<size_t>(std::max(1, options.blocking_threads))) {}

    void BeginStop() {
        if (stopping.exchange(true)) return;
        if (options.on_stop) options.on_stop();  // long work in flight (imports) ends early
        beast::error_code ec;
        acceptor.close(ec);
        signals.cancel(ec);
        std::lock_guard lock(mutex);
        for (const auto& c : conns)
            if (!c->busy)
                asio::post(c->stream.get_executor(), [c] {
                    beast::error_code ignored;
                    c->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
                    c->stream.cancel();
                });
    }

    asio::awaitable<void> Accept() {
        for (;;) {
            auto [ec, socket] =
                co_await acceptor.async_accept(asio::make_strand(ioc), asio::as_tuple(asio::use_awaitable));
            if (ec) {
                if (stopping || ec == asio::error::operation_aborted) co_return;
                continue;  // e.g. too many open files: keep serving the others
            }
            auto conn = std::make_shared<Conn>(std::move(socket));
            {
                std::lock_guard lock(mutex);
                conns.insert(conn);
            }
            asio::co_spawn(conn->stream.get_executor(), Serve(conn), asio::detached);
        }
    }

    void SetBusy(const std::shared_ptr<Conn>& conn, bool busy) {
        std::lock_guard lock(mutex);
        conn->busy = busy;
    }

    asio::awaitable<void> Serve(std::shared_ptr<Conn> conn) {
        beast::flat_buffer buffer;
        std::string remote;
        {
            beast::error_code ec;
            auto ep = conn->stream.socket().remote_endpoint(ec);
            if (!ec) remote = ep.address().to_string();
        }
        for (;;) {
            if (stopping) break;
            http::request_parser<http::string_body> parser;
            parser.header_limit(16 * 1024);
            // The limit depends on the route, known once the header is in: none until then.
            parser.body_limit(std::numeric_limits<std::uint64_t>::max());
            conn->stream.expires_after(options.idle_timeout);
            auto [ec, n] = co_await http::async_read_header(conn->stream, buffer, parser,
                                                            asio::as_tuple(asio::use_awaitable));
            if (ec) break;  // closed, timed out, malformed header or cancelled by a stop
            SetBusy(conn, true);
            conn->stream.expires_after(options.read_timeout);
            Request& head = parser.get();
            // Choose the body limit by route before reading the body.
            const Route* route = nullptr;
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
            route = match.route;
            const size_t limit = route && route->body_limit ? route->body_limit : options.body_limit;
            parser.body_limit(limit);
            const bool too_large = parser.content_length() && *parser.content_length() > limit;
            if (head[http::field::expect] == "100-continue" && !too_large) {
                http::response<http::empty_body> cont{http::status::continue_, head.version()};
                auto [wec, wn] =
                    co_await http::async_write(conn->stream, cont, asio::as_tuple(asio::use_awaitable));
                if (wec) break;
            }
            beast::error_code rec;
            if (too_large)
                rec = http::error::body_limit;
            else
                std::tie(rec, std::ignore) = co_await http::async_read(conn->stream, buffer, parser,
                                                                       asio::as_tuple(asio::use_awaitable));
            Request request = parser.release();
            std::optional<Response> response;
            bool close_after = false;
            if (rec == http::error::body_limit) {
                response.emplace(ErrorResponse(request, http::status::payload_too_large, "request.too_large",
                                               "请求体过大", "the request body is too large"));
                close_after = true;  // the rest of the body is still on the wire
            } else if (rec) {
                break;
            } else if (bad_target) {
                response.emplace(ErrorResponse(request, http::status::bad_request, "request.target",
                                               "请求地址无效", "the request target is malformed"));
            } else {
                RequestContext context{request, path, std::move(match.params), std::move(query), remote};
                response.emplace(co_await Dispatch(route, match.path_known, context));
            }
            const bool keep_alive = response->keep_alive() && !close_after && !stopping;
            conn->stream.expires_after(options.write_timeout);
            auto [wec, wn] = co_await beast::async_write(conn->stream, std::move(*response),
                                                         asio::as_tuple(asio::use_awaitable));
            SetBusy(conn, false);
            if (!wec && close_after) co_await Drain(*conn);
            if (wec || !keep_alive) break;
        }
        beast::error_code ignored;
        conn->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        conn->stream.close();
        std::lock_guard lock(mutex);
        conns.erase(conn);
    }

    // After refusing a body, read and discard what the client is still sending (briefly), so that
    // closing does not reset the connection before the client has read the refusal.
    asio::awaitable<void> Drain(Conn& conn) {
        beast::error_code ignored;
        conn.stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
        conn.stream.expires_after(std::chrono::seconds(5));
        std::vector<char> scratch(64 * 1024);
        size_t total = 0;
        while (total < (256u << 20)) {
            auto [ec, n] = co_await conn.stream.async_read_some(asio::buffer(scratch),
                                                                asio::as_tuple(asio::use_awaitable));
            if (ec) break;
            total += n;
        }
    }

    asio::awaitable<Response> Dispatch(const Route* route, bool path_known, RequestContext& context) {
        const Request& request = context.request;
        if (!route) {
            if (!context.path.starts_with("/api/") && context.path != "/api" && router.fallback() &&
                (request.method() == http::verb::get || request.method() == http::verb::head))
                co_return Call(router.fallback(), context);
            if (path_known)
                co_return ErrorResponse(request, http::status::method_not_allowed, "request.method",
                                        "不支持此请求方法", "method not allowed on this path");
            co_return ErrorResponse(request, http::status::not_found, "request.not_found", "没有这个地址",
                                    "no such route");
        }
        if (!route->blocking) co_return Call(route->handler, context);
        // Long work goes to the worker pool so a slow report cannot hold a connection thread.
        // (co_spawn needs a default-constructible result, which a message_generator is not.)
        auto result = co_await asio::co_spawn(
            blocking,
            [&]() -> asio::awaitable<std::optional<Response>> { co_return Call(route->handler, context); },
            asio::use_awaitable);
        co_return std::move(*result);
    }

    static Response Call(const Handler& handler, RequestContext& context) {
        try {
            return handler(context);
        } catch (const std::exception& e) {
            return ErrorResponse(context.request, http::status::internal_server_error, "internal",
                                 "服务器内部错误", std::string("internal error: ") + e.what());
        }
    }
};

HttpServer::HttpServer(HttpOptions options, const Router& router)
    : impl_(std::make_unique<Impl>(std::move(options), router)) {}

HttpServer::~HttpServer() { impl_->blocking.join(); }

Result<uint16_t> HttpServer::Listen() {
    beast::error_code ec;
    auto address = asio::ip::make_address(impl_->options.address, ec);
    if (ec)
        return Fail("serve.listen", "--listen", "无效的监听地址: " + impl_->options.address,
                    "not an address to listen on: " + impl_->options.address);
    tcp::endpoint endpoint{address, impl_->options.port};
    auto& acceptor = impl_->acceptor;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        return Fail("serve.listen", "--listen",
                    "无法监听 " + impl_->options.address + ":" + std::to_string(impl_->options.port) + ": " +
                        ec.message(),
                    "cannot listen on " + impl_->options.address + ":" + std::to_string(impl_->options.port) +
                        ": " + ec.message());
    return acceptor.local_endpoint().port();
}

void HttpServer::Run() {
    Impl& s = *impl_;
    s.signals.async_wait([&s](const beast::error_code& ec, int) {
        if (!ec) s.BeginStop();
    });
    asio::co_spawn(s.acceptor.get_executor(), s.Accept(), asio::detached);
    std::vector<std::thread> pool;
    for (int i = 1; i < s.threads; ++i) pool.emplace_back([&s] { s.ioc.run(); });
    s.ioc.run();
    for (auto& t : pool) t.join();
}

void HttpServer::Stop() {
    asio::post(impl_->ioc, [this] { impl_->BeginStop(); });
}

}  // namespace jz::server
