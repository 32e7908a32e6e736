// The API: its state made once at start (api_state.h), and the route table (routes.h) registered
// on the router, each route that needs a session wrapped so its handler receives the signed-in
// user and a store connection.
#include "server/api.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "server/api_state.h"
#include "server/handlers.h"
#include "server/routes.h"

namespace jz::server {

namespace fs = std::filesystem;

struct Api::Impl : ApiState {
    using ApiState::ApiState;
};

namespace {

// A session route's handler: a store connection for the request, the session cookie's user
// (401 without one, or when it has ended), then the handler.
Handler Authed(ApiState& s, SessionHandler handler) {
    return [&s, handler](RequestContext& c) -> Response {
        auto store = s.pool->Acquire();
        const std::string token = CookieValue(c.request, kCookie);
        if (token.empty())
            return Fault(c, http::status::unauthorized, "auth.required", "请先登录", "please log in");
        auto who = s.auth.Authenticate(*store, token, c.may_block);
        if (!who) return StoreFault(c, who.error());
        if (!*who)
            return Fault(c, http::status::unauthorized, "auth.expired", "登录已失效,请重新登录",
                         "the session has ended; please log in again");
        return handler(s, c, **who, *store);
    };
}

}  // namespace

Api::Api(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Api::~Api() = default;

// Upload files ("tmp-<pid>-<n>.*") left by a server that was killed during an import.
static void RemoveStaleUploads(const std::string& data_dir) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(data_dir, ec)) {
        const std::string file = entry.path().filename().string();
        if (!file.starts_with("tmp-")) continue;
        const int pid = std::atoi(file.c_str() + 4);
        if (pid > 0 && (pid == ::getpid() || ::kill(pid, 0) == 0 || errno != ESRCH)) continue;
        fs::remove(entry.path(), ec);
    }
}

Result<std::unique_ptr<Api>> Api::Create(const ApiConfig& config) {
    auto impl = std::make_unique<Impl>(config);
    if (impl->config.data_dir.empty()) impl->config.data_dir = config.db_path + ".files";
    RemoveStaleUploads(impl->config.data_dir);
    if (const char* rate = std::getenv("JINGZHUN_SEARCH_RATE"); rate && *rate) {
        const std::string text(rate);
        double burst = 0, per_second = 0;
        char slash = 0;
        if (text == "off")
            impl->searches.rate.reset();
        else if (std::sscanf(text.c_str(), "%lf%c%lf", &burst, &slash, &per_second) == 3 && slash == '/' &&
                 burst >= 1 && per_second > 0)
            impl->searches.rate = RateLimit{burst, per_second};
        else
            return Fail("serve.search_rate", "JINGZHUN_SEARCH_RATE",
                        "JINGZHUN_SEARCH_RATE 应为 突发数/每秒数(如 20/1)或 off",
                        "JINGZHUN_SEARCH_RATE must be BURST/PER_SECOND (e.g. 20/1) or off");
    }
    auto pool = StorePool::Open(config.db_path, std::max(2, config.connections));
    if (!pool) return std::unexpected(pool.error());
    impl->pool = std::move(*pool);
    {
        auto store = impl->pool->Acquire();
        auto text = store->LoadPlanText();
        if (!text) return std::unexpected(text.error());
        if (!*text)
            return Fail("serve.no_plan", "--db", "数据库中没有任务计划,请先运行 jingzhun init",
                        "the database has no plan; run jingzhun init first");
        auto plan = ParsePlan(**text, "plan");
        if (!plan) return std::unexpected(plan.error());
        impl->plan = std::move(*plan);
        auto tree = store->LoadOrgTree();
        if (!tree) return std::unexpected(tree.error());
        impl->tree = std::move(*tree);
        if (auto r = impl->upkeep.Rebuild(*store); !r) return std::unexpected(r.error());
    }
    {  // Today's county report, built once at start so the first battle map need not wait for it.
        auto store = impl->pool->Acquire();
        auto report = impl->KeptProgress(*store, impl->Today(), "");
        if (!report) return std::unexpected(report.error());
    }
    return std::unique_ptr<Api>(new Api(std::move(impl)));
}

void Api::CancelImports() { impl_->import_stop.request_stop(); }

void Api::Register(Router& router) {
    ApiState& s = *impl_;
    for (const RouteEntry& e : RouteTable()) {
        Route route;
        route.method = e.method;
        route.pattern = std::string(e.pattern);
        route.blocking = e.lane == Lane::kBlocking;
        route.lane = e.lane;
        route.body_limit = e.body_limit == kImportBodyLimit ? s.config.import_body_limit
                           : e.body_limit == kVisitBodyLimit ? routes::VisitBodyLimit(s.plan.pairing.photo_max_bytes)
                                                             : e.body_limit;
        route.upload = e.upload;
        if (e.scoped)
            route.handler = Authed(s, e.handler);
        else
            route.handler = [&s, h = e.public_handler](RequestContext& c) { return h(s, c); };
        if (e.admit) route.admit = [&s, a = e.admit](RequestContext& c) { return a(s, c); };
        router.Add(std::move(route));
    }
    router.SetFallback([&s](RequestContext& c) { return routes::Static(s, c); });
}

}  // namespace jz::server
