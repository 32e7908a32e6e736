// Session routes: health, the OpenAPI document, login (with its throttle), logout, the signed-in user.
#include <boost/json.hpp>

#include "server/api_state.h"
#include "server/handlers.h"

namespace jz::server::routes {
namespace {

namespace json = boost::json;

json::object PrincipalJson(const Principal& p, const OrgTree& tree) {
    const OrgUnit* unit = tree.Find(p.scope);
    return {{"username", p.username},
            {"role", RoleName(p.role)},
            {"role_name", RoleNameZh(p.role)},
            {"scope", p.scope},
            {"scope_name", unit ? unit->name() : std::string()},
            {"permissions",
             {{"write_households", CanWriteHouseholds(p.role)},
              {"manage_users", CanManageUsers(p.role)},
              {"read_audit", CanReadAudit(p.role)},
              {"run_checks", CanRunChecks(p.role)},
              {"masked", MasksPersonalData(p.role)}}}};
}

// 429 with Retry-After, alike for every username (known, unknown, malformed).
Response Throttled(const RequestContext& c, std::chrono::seconds wait) {
    const std::string n = std::to_string(std::max<int64_t>(1, wait.count()));
    return TooMany(c, wait, "auth.throttled", "登录失败次数过多,请 " + n + " 秒后再试",
                   "too many failed logins; try again in " + n + " s");
}

}  // namespace

Response Health(ApiState&, RequestContext& c) {
    return Json(c, http::status::ok, json::object{{"status", "ok"}});
}

Response OpenApi(ApiState&, RequestContext& c) {
    return JsonResponse(c.request, http::status::ok, std::string(OpenApiDocument()));
}

// On the I/O thread, before the password check is queued: a throttled client is answered at
// once, without hashing anything.
std::optional<Response> AdmitLogin(ApiState& s, RequestContext& c) {
    json::error_code ec;
    json::value v = json::parse(c.request.body(), ec);
    if (ec || !v.is_object()) return std::nullopt;  // the handler says what is wrong
    const auto* name = v.get_object().if_contains("username");
    if (!name || !name->is_string()) return std::nullopt;
    if (auto wait = s.auth.Wait(std::string(name->get_string()), c.remote); wait.count() > 0)
        return Throttled(c, wait);
    return std::nullopt;
}

Response Login(ApiState& s, RequestContext& c) {
    std::vector<Error> errors;
    json::value body = ParseJsonObject(c.request.body(), errors);
    std::string username, password;
    if (errors.empty()) {
        const auto& o = body.get_object();
        for (const char* key : {"username", "password"}) {
            const auto* v = o.if_contains(key);
            if (!v || !v->is_string() || v->get_string().empty())
                errors.push_back({.code = "json.required", .field = key, .message_zh = std::string(key) + "为必填文字", .message_en = std::string(key) + " is required (a string)"});
        }
        username = Str(o, "username");
        password = Str(o, "password");
    }
    if (!errors.empty())
        return Fault(c, http::status::bad_request, "request.invalid", "请求内容有误",
                     "the request is invalid", errors);
    auto store = s.pool->Acquire();
    auto result = s.auth.Login(*store, username, password, c.remote);
    if (!result) {
        const Error& e = result.error();
        if (e.code == "auth.throttled") return Throttled(c, s.auth.Wait(username, c.remote));
        if (e.code == "auth.invalid")
            return Fault(c, http::status::unauthorized, e.code, e.message_zh, e.message_en);
        return StoreFault(c, e);
    }
    // Secure when told (--secure-cookie) or when the client came over HTTPS through a trusted
    // proxy (--trust-proxy and X-Forwarded-Proto: https).
    std::string cookie = std::string(kCookie) + "=" + result->token + "; Path=/; HttpOnly; SameSite=Strict";
    if (s.config.secure_cookie || c.secure) cookie += "; Secure";
    http::response<http::string_body> res{http::status::ok, c.request.version()};
    res.set(http::field::content_type, "application/json; charset=utf-8");
    res.set(http::field::set_cookie, cookie);
    res.set(http::field::cache_control, "no-store");
    res.keep_alive(c.request.keep_alive());
    res.body() = json::serialize(PrincipalJson(result->principal, s.tree));
    res.prepare_payload();
    return res;
}

Response Logout(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (auto r = s.auth.Logout(store, CookieValue(c.request, kCookie), p); !r)
        return StoreFault(c, r.error());
    http::response<http::string_body> res{http::status::ok, c.request.version()};
    res.set(http::field::content_type, "application/json; charset=utf-8");
    res.set(http::field::set_cookie,
            std::string(kCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    res.keep_alive(c.request.keep_alive());
    res.body() = "{}";
    res.prepare_payload();
    return res;
}

Response Me(ApiState& s, RequestContext& c, const Principal& p, Store&) {
    return Json(c, http::status::ok, PrincipalJson(p, s.tree));
}

}  // namespace jz::server::routes
