// User routes: the accounts of the admin's scope, adding one, changing one (service/accounts.h).
// On the login lane: adding and changing may hash a password.
#include <boost/json.hpp>

#include "server/api_state.h"
#include "server/handlers.h"
#include "service/accounts.h"

namespace jz::server::routes {
namespace {

namespace json = boost::json;

// The body of PATCH /api/users/{username} as a change: each key typed (disabled a boolean, role,
// scope and password strings), unknown keys refused. Problems go to `errors`.
service::AccountChange ReadAccountChange(const json::object& body, std::vector<Error>& errors) {
    service::AccountChange change;
    for (const auto& [key, v] : body) {
        const std::string k(key);
        if (k == "disabled") {
            if (!v.is_bool())
                errors.push_back(
                    {.code = "json.type", .field = k, .message_zh = "disabled 应为 true 或 false", .message_en = "disabled must be true or false"});
            else
                change.disabled = v.get_bool();
            continue;
        }
        if (k != "role" && k != "scope" && k != "password") {
            errors.push_back({.code = "json.unknown_field", .field = k, .message_zh = "未知字段: " + k, .message_en = "unknown field: " + k});
            continue;
        }
        if (!v.is_string()) {
            errors.push_back({.code = "json.type", .field = k, .message_zh = k + "应为文字", .message_en = k + " must be a string"});
            continue;
        }
        (k == "role"    ? change.role
         : k == "scope" ? change.scope
                        : change.password) = std::string(v.get_string());
    }
    return change;
}

// The body of POST /api/users: username, password, role and scope, all strings, nothing else.
void CheckNewUserBody(const json::value& body, std::vector<Error>& errors) {
    for (const char* key : {"username", "password", "role", "scope"}) {
        const auto* v = body.get_object().if_contains(key);
        if (!v || !v->is_string())
            errors.push_back({.code = "json.required", .field = key, .message_zh = std::string(key) + "为必填文字", .message_en = std::string(key) + " is required (a string)"});
    }
    for (const auto& [key, v] : body.get_object())
        if (key != "username" && key != "password" && key != "role" && key != "scope") {
            const std::string k(key.substr(0, 64));
            errors.push_back({.code = "json.unknown_field", .field = k, .message_zh = "未知字段: " + k, .message_en = "unknown field: " + k});
        }
}

}  // namespace

Response ListUsers(ApiState& /*s*/, RequestContext& c, const Principal& p, Store& store) {
    if (!CanManageUsers(p.role)) return Forbidden(c);
    auto accounts = service::ListAccounts(store, p.scope);
    if (!accounts) return StoreFault(c, accounts.error());
    json::array items;
    for (const Account& a : *accounts) items.push_back(service::AccountJson(a));
    return Json(c, http::status::ok, json::object{{"items", std::move(items)}});
}

Response CreateUser(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CanManageUsers(p.role)) return Forbidden(c);
    std::vector<Error> errors;
    json::value body = ParseJsonObject(c.request.body(), errors);
    if (errors.empty()) CheckNewUserBody(body, errors);
    if (!errors.empty()) return Invalid(c, errors, false);
    const auto& o = body.get_object();
    const std::string scope = Str(o, "scope");
    if (s.tree.Find(scope) && !InScope(p.scope, scope))
        return Fault(c, http::status::bad_request, "user.scope", "只能在您的管辖范围内添加用户",
                     "you may add users only within your scope",
                     {{.code = "user.scope", .field = "scope", .message_zh = "超出您的管辖范围", .message_en = "outside your scope"}});
    auto account = service::AddAccount(store, s.tree, Str(o, "username"), Str(o, "role"), scope,
                                       Str(o, "password"), s.Change(p));
    if (!account) {
        const Error& e = account.error();
        if (e.code.starts_with("store.")) return StoreFault(c, e);
        return FaultOf(c, e.code == "user.exists" ? http::status::conflict : http::status::bad_request, e);
    }
    return Json(c, http::status::created, service::AccountJson(*account));
}

Response UpdateUser(ApiState& s, RequestContext& c, const Principal& p, Store& store) {
    if (!CanManageUsers(p.role)) return Forbidden(c);
    const std::string& username = c.params.at("username");
    auto found = service::FindAccount(store, username, p.scope);
    if (!found) return StoreFault(c, found.error());
    if (!*found) return NotFound(c, "用户 " + username, "user " + username);
    std::vector<Error> errors;
    json::value body = ParseJsonObject(c.request.body(), errors);
    service::AccountChange change;
    if (errors.empty()) {
        change = ReadAccountChange(body.get_object(), errors);
        for (Error& e : service::CheckAccountChange(s.tree, p.scope, **found, change))
            errors.push_back(std::move(e));
    }
    if (!errors.empty()) return Invalid(c, errors, false);
    auto changed = service::ChangeAccount(store, s.ActorOf(p), **found, change, s.Change(p));
    if (!changed) {
        const Error& e = changed.error();
        if (e.code == "user.self")
            return Fault(c, http::status::bad_request, e.code, e.message_zh, e.message_en);
        if (e.code == "auth.hash") return FaultOf(c, http::status::internal_server_error, e);
        return StoreFault(c, e);
    }
    s.auth.Forget(changed->account.id);
    return Json(c, http::status::ok, service::AccountJson(changed->account));
}

}  // namespace jz::server::routes
