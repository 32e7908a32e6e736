#include "server/http.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/json.hpp>
#include <boost/url.hpp>
#include <list>
#include <limits>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>

#include <sys/resource.h>

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

void AddSecurityHeaders(http::fields& f) {
    // No inline script anywhere (the built workbench has none); Element Plus and ECharts set inline
    // styles, hence 'unsafe-inline' for styles only. No framing by anyone.
    if (f.find("Content-Security-Policy") == f.end())
        f.set("Content-Security-Policy",
              "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
              "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
              "base-uri 'self'; form-action 'self'; frame-ancestors 'none'");
    if (f.find(http::field::x_frame_options) == f.end()) f.set(http::field::x_frame_options, "DENY");
    if (f.find("X-Content-Type-Options") == f.end()) f.set("X-Content-Type-Options", "nosniff");
    if (f.find("Referrer-Policy") == f.end()) f.set("Referrer-Policy", "no-referrer");
}

Response JsonResponse(const Request& request, http::status status, std::string body) {
    http::response<http::string_body> res{status, request.version()};
    res.set(http::field::content_type, "application/json; charset=utf-8");
    res.set(http::field::cache_control, "no-store");
    res.keep_alive(request.keep_alive());
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

boost::json::object ErrorJson(std::string_view code, std::string_view message_zh, std::string_view message_en,
                              boost::json::array fields) {
    return {{"error",
             {{"code", code},
              {"message", std::string(message_zh) + " / " + std::string(message_en)},
              {"message_zh", message_zh},
              {"message_en", message_en},
              {"fields", std::move(fields)}}}};
}

Response ErrorResponse(const Request& request, http::status status, std::string_view code,
                       std::string_view message_zh, std::string_view message_en) {
    return JsonResponse(request, status, boost::json::serialize(ErrorJson(code, message_zh, message_en)));
}

namespace {

// 503 with Retry-After: a full lane or a deadline passed in the queue.
Response Busy(const Request& request, int retry_after) {
    http::response<http::string_body> res{http::status::service_unavailable, request.version()};
    res.set(http::field::content_type, "application/json; charset=utf-8");
    res.set(http::field::cache_control, "no-store");
    res.set(http::field::retry_after, std::to_string(retry_after));
    res.keep_alive(request.keep_alive());
    res.body() = boost::json::serialize(
        ErrorJson("server.busy", "服务器繁忙,请稍后再试", "the server is busy; try again shortly"));
    res.prepare_payload();
    return res;
}

bool StateChanging(http::verb v) {
    return v != http::verb::get && v != http::verb::head && v != http::verb::options;
}

std::string Lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// The media type of a Content-Type value, lower case, without parameters.
std::string MediaType(std::string_view value) {
    value = value.substr(0, value.find(';'));
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    return Lower(value);
}

// The last address of X-Forwarded-For (the one our proxy appended), if it is an address.
std::optional<std::string> ForwardedFor(const Request& request) {
    auto it = request.find("X-Forwarded-For");
    if (it == request.end()) return std::nullopt;
    std::string_view v = it->value();
    if (auto comma = v.rfind(','); comma != std::string_view::npos) v.remove_prefix(comma + 1);
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    boost::system::error_code ec;
    auto address = asio::ip::make_address(v, ec);
    if (ec) return std::nullopt;
    return address.to_string();
}

}  // namespace

// ---------------------------------------------------------------------------------------- Server

struct HttpServer::Impl {
    HttpOptions options;
    const Router& router;
    int threads;
    int max_connections;
    asio::io_context ioc;

    struct Pool {
        asio::thread_pool pool;
        std::atomic<int> pending{0};  // queued or running
        int limit;
        std::chrono::seconds deadline;
        Pool(int threads, int queue, std::chrono::seconds d)
            : pool(static_cast<size_t>(std::max(1, threads))), limit(std::max(1, queue)), deadline(d) {}
    };
    Pool work;
    Pool blocking;
    Pool login;

    tcp::acceptor acceptor{ioc};
    asio::signal_set signals{ioc, SIGINT, SIGTERM};
    std::atomic<bool> stopping{false};

    // Live connections, so a stop can close the idle ones (the busy ones close after replying), and
    // the idle ones in the order they became idle, so a full server closes the longest idle.
    struct Conn {
        beast::tcp_stream stream;
        bool busy = false;  // guarded by mutex
        bool in_idle = false;
        std::list<std::weak_ptr<Conn>>::iterator idle_it;
        explicit Conn(tcp::socket socket) : stream(std::move(socket)) {}
    };
    std::mutex mutex;
    std::set<std::shared_ptr<Conn>> conns;
    std::list<std::weak_ptr<Conn>> idle;  // front: idle longest

    static int Cap(int wanted) {
        // The file-descriptor limit, raised to its hard maximum; a reserve stays for the database,
        // the worker pools' files and the uploads.
        rlimit rl{};
        int fd_cap = 1024;
        if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
            if (rl.rlim_cur < rl.rlim_max) {
                rlimit raised = rl;
                raised.rlim_cur = rl.rlim_max;
                if (setrlimit(RLIMIT_NOFILE, &raised) == 0) rl = raised;
            }
            fd_cap = rl.rlim_cur == RLIM_INFINITY ? (1 << 20) : static_cast<int>(std::min<rlim_t>(rl.rlim_cur, 1 << 20));
        }
        const int usable = std::max(16, fd_cap - 128);
        return wanted > 0 ? std::min(wanted, usable) : std::min(usable, 10000);
    }

    Impl(HttpOptions o, const Router& r)
        : options(std::move(o)),
          router(r),
          threads(options.threads > 0 ? options.threads
                                      : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()))),
          max_connections(Cap(options.max_connections)),
          ioc(threads),
          work(options.work_threads > 0 ? options.work_threads : threads, options.work_queue,
               options.work_deadline),
          blocking(options.blocking_threads, options.blocking_queue, options.blocking_deadline),
          login(options.login_threads, options.login_queue, options.login_deadline) {}

    void Close(const std::shared_ptr<Conn>& c) {
        asio::post(c->stream.get_executor(), [c] {
            beast::error_code ignored;
            c->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
            c->stream.cancel();
        });
    }

    void BeginStop() {
        if (stopping.exchange(true)) return;
        if (options.on_stop) options.on_stop();  // long work in flight (imports) ends early
        beast::error_code ec;
        acceptor.close(ec);
        signals.cancel(ec);
        std::lock_guard lock(mutex);
        for (const auto& c : conns)
            if (!c->busy) Close(c);
    }

    // Idle bookkeeping (under mutex).
    void MarkIdle(const std::shared_ptr<Conn>& c) {
        if (c->in_idle) return;
        idle.push_back(c);
        c->idle_it = std::prev(idle.end());
        c->in_idle = true;
    }
    void UnmarkIdle(Conn& c) {
        if (!c.in_idle) return;
        idle.erase(c.idle_it);
        c.in_idle = false;
    }

    asio::awaitable<void> Accept() {
        asio::steady_timer backoff(acceptor.get_executor());
        auto pause = std::chrono::milliseconds(10);
        for (;;) {
            auto [ec, socket] =
                co_await acceptor.async_accept(asio::make_strand(ioc), asio::as_tuple(asio::use_awaitable));
            if (ec) {
                if (stopping || ec == asio::error::operation_aborted) co_return;
                // e.g. too many open files: wait (10 ms, doubling to 1 s) instead of spinning.
                backoff.expires_after(pause);
                co_await backoff.async_wait(asio::as_tuple(asio::use_awaitable));
                pause = std::min(pause * 2, std::chrono::milliseconds(1000));
                continue;
            }
            pause = std::chrono::milliseconds(10);
            beast::error_code ignored;
            socket.set_option(tcp::no_delay(true), ignored);  // answers go out whole, at once
            auto conn = std::make_shared<Conn>(std::move(socket));
            std::shared_ptr<Conn> evict;
            {
                std::lock_guard lock(mutex);
                if (static_cast<int>(conns.size()) >= max_connections) {
                    // Full: close the connection idle longest; none idle, refuse this one.
                    while (!idle.empty() && !evict) {
                        evict = idle.front().lock();
                        if (evict) UnmarkIdle(*evict);
                        else idle.pop_front();
                    }
                    if (!evict) {
                        beast::error_code ignored;
                        conn->stream.socket().close(ignored);
                        continue;
                    }
                }
                conns.insert(conn);
                MarkIdle(conn);
            }
            if (evict) Close(evict);
            asio::co_spawn(conn->stream.get_executor(), Serve(conn), asio::detached);
        }
    }

    void SetBusy(const std::shared_ptr<Conn>& conn, bool busy) {
        std::lock_guard lock(mutex);
        conn->busy = busy;
        if (busy)
            UnmarkIdle(*conn);
        else
            MarkIdle(conn);
    }

    asio::awaitable<void> Serve(std::shared_ptr<Conn> conn) {
        beast::flat_buffer buffer;
        std::string socket_remote;
        {
            beast::error_code ec;
            auto ep = conn->stream.socket().remote_endpoint(ec);
            if (!ec) socket_remote = ep.address().to_string();
        }
        for (;;) {
            if (stopping) break;
            // Waiting for a request: at most idle_timeout for its first byte, then read_timeout for
            // the whole request (a header dribbled in byte by byte is cut off there).
            if (buffer.size() == 0) {
                conn->stream.expires_after(options.idle_timeout);
                auto [ec, n] = co_await conn->stream.async_read_some(buffer.prepare(4096),
                                                                     asio::as_tuple(asio::use_awaitable));
                if (ec) break;  // closed, timed out or cancelled by a stop or an eviction
                buffer.commit(n);
            }
            SetBusy(conn, true);
            conn->stream.expires_after(options.read_timeout);
            http::request_parser<http::string_body> parser;
            parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
            // The limit depends on the route, known once the header is in: none until then.
            parser.body_limit(std::numeric_limits<std::uint64_t>::max());
            auto [ec, n] = co_await http::async_read_header(conn->stream, buffer, parser,
                                                            asio::as_tuple(asio::use_awaitable));
            const bool malformed = ec && ec.category() == http::make_error_code(http::error::bad_target).category() &&
                                   ec != http::error::end_of_stream && ec != http::error::partial_message;
            if (ec == http::error::header_limit || malformed) {
                // Too large or malformed: say so and close (what follows cannot be parsed).
                Request bare;
                bare.version(11);
                bare.keep_alive(false);
                Response answer = ec == http::error::header_limit
                                      ? ErrorResponse(bare, http::status::request_header_fields_too_large,
                                                      "request.header_too_large", "请求头过大",
                                                      "the request header is too large")
                                      : ErrorResponse(bare, http::status::bad_request, "request.malformed",
                                                      "请求格式错误", "the request is malformed");
                conn->stream.expires_after(options.write_timeout);
                co_await beast::async_write(conn->stream, std::move(answer), asio::as_tuple(asio::use_awaitable));
                break;
            }
            if (ec) break;
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
                std::string remote = socket_remote;
                bool secure = false;
                if (options.trust_proxy) {
                    if (auto f = ForwardedFor(request)) remote = *f;
                    secure = Lower(request["X-Forwarded-Proto"]) == "https";
                }
                RequestContext context{request, path, std::move(match.params), std::move(query), remote, secure};
                if (auto refused = Csrf(route, context))
                    response.emplace(std::move(*refused));
                else
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
        UnmarkIdle(*conn);
        conns.erase(conn);
    }

    // Cross-site request forgery: a state-changing request must say it carries JSON (or, on an
    // upload route, a file type a form cannot send), and an Origin, when given, must be ours.
    std::optional<Response> Csrf(const Route* route, const RequestContext& c) {
        const Request& r = c.request;
        if (!StateChanging(r.method())) return std::nullopt;
        if (auto origin = r.find(http::field::origin); origin != r.end()) {
            const std::string value = Lower(origin->value());
            std::string host = Lower(r[http::field::host]);
            if (options.trust_proxy && r.find("X-Forwarded-Host") != r.end())
                host = Lower(r["X-Forwarded-Host"]);
            auto url = boost::urls::parse_absolute_uri(value);
            bool ours = url && url->encoded_host_and_port() == host && !host.empty();
            for (const std::string& allowed : options.allowed_origins) ours = ours || Lower(allowed) == value;
            if (!ours)
                return ErrorResponse(r, http::status::forbidden, "request.origin",
                                     "拒绝来自其他网站的请求", "requests from another site are refused");
        }
        const std::string type = MediaType(r[http::field::content_type]);
        const bool json = type == "application/json";
        const bool form = type.empty() || type == "application/x-www-form-urlencoded" ||
                          type == "multipart/form-data" || type == "text/plain";
        if (route && route->upload ? form : !json)
            return ErrorResponse(r, http::status::unsupported_media_type, "request.content_type",
                                 "请求的 Content-Type 应为 application/json",
                                 route && route->upload
                                     ? "an upload needs a file Content-Type (e.g. application/octet-stream)"
                                     : "the Content-Type must be application/json");
        return std::nullopt;
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

    Pool* PoolOf(const Route& route) {
        if (route.blocking) return &blocking;
        switch (route.lane) {
            case Lane::kInline: return nullptr;
            case Lane::kWork: return &work;
            case Lane::kBlocking: return &blocking;
            case Lane::kLogin: return &login;
        }
        return &work;
    }

    asio::awaitable<Response> Dispatch(const Route* route, bool path_known, RequestContext& context) {
        const Request& request = context.request;
        if (!route) {
            if (!context.path.starts_with("/api/") && context.path != "/api" && router.fallback() &&
                (request.method() == http::verb::get || request.method() == http::verb::head))
            {
                context.may_block = false;
                co_return Call(router.fallback(), context);
            }
            if (path_known)
                co_return ErrorResponse(request, http::status::method_not_allowed, "request.method",
                                        "不支持此请求方法", "method not allowed on this path");
            co_return ErrorResponse(request, http::status::not_found, "request.not_found", "没有这个地址",
                                    "no such route");
        }
        if (route->admit)
            if (auto answer = route->admit(context)) co_return std::move(*answer);
        Pool* pool = PoolOf(*route);
        if (!pool) {
            context.may_block = false;
            co_return Call(route->handler, context);
        }
        // Bounded: past the lane's limit the answer is 503 at once, not a growing queue.
        if (pool->pending.fetch_add(1) >= pool->limit) {
            --pool->pending;
            co_return Busy(request, 1);
        }
        if (pool->deadline.count() > 0) context.deadline = std::chrono::steady_clock::now() + pool->deadline;
        // (co_spawn needs a default-constructible result, which a message_generator is not.)
        auto result = co_await asio::co_spawn(
            pool->pool,
            [&]() -> asio::awaitable<std::optional<Response>> {
                struct Done {
                    std::atomic<int>& pending;
                    ~Done() { --pending; }
                } done{pool->pending};
                if (context.Expired()) co_return Busy(request, 1);
                co_return Call(route->handler, context);
            },
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

HttpServer::~HttpServer() {
    impl_->work.pool.join();
    impl_->blocking.pool.join();
    impl_->login.pool.join();
}

int HttpServer::max_connections() const { return impl_->max_connections; }

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
