#include "server/api.h"

#include <signal.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <unordered_map>

#include "core/codes.h"
#include "core/id_number.h"
#include "core/registry_index.h"
#include "io/exporter.h"
#include "io/importer.h"
#include "server/auth.h"
#include "server/catalog_json.h"
#include "server/store_pool.h"
#include "service/dynamic.h"
#include "service/household_input.h"
#include "service/reports.h"

namespace jz::server {

namespace json = boost::json;
namespace beast = boost::beast;
namespace fs = std::filesystem;
using service::FieldError;

namespace {

constexpr std::string_view kCookie = "jz_session";
constexpr size_t kLoginBodyLimit = 4096;  // a username of 64 and a password of 1024 bytes fit
constexpr size_t kUserBodyLimit = 8192;
constexpr int64_t kMaxPageSize = 200;
constexpr int64_t kSearchLimit = 1000;  // free-text matches (within the list's filters) considered
// Searches (q=) per session: a burst, then one a second (a token bucket); more answer 429 with
// Retry-After. $JINGZHUN_SEARCH_RATE="BURST/PER_SECOND" changes it ("off": no limit, for benchmarks).
// At most kSearchSessions sessions are tracked: idle ones (a full bucket) are dropped first, and past
// that the longest unused.
constexpr RateLimit kSearchRate{.burst = 20, .per_second = 1.0};
constexpr size_t kSearchSessions = 10000;
constexpr int64_t kIncrementalLimit = 5000;  // more changed households than this: rebuild the index

// ------------------------------------------------------------------------------- response helpers

Response Json(const RequestContext& c, http::status status, const json::value& v) {
    return JsonResponse(c.request, status, json::serialize(v));
}

json::array FieldsJson(const std::vector<FieldError>& fields) {
    json::array out;
    for (const FieldError& f : fields)
        out.push_back({{"field", f.field}, {"code", f.code}, {"reason", f.reason_zh + " / " + f.reason_en}});
    return out;
}

// 429 with Retry-After (whole seconds, at least one) and no caching.
Response TooMany(const RequestContext& c, std::chrono::seconds wait, std::string_view code, const std::string& zh,
                 const std::string& en) {
    json::object error{{"code", code}, {"message", zh + " / " + en}, {"fields", json::array()}};
    http::response<http::string_body> res{http::status::too_many_requests, c.request.version()};
    res.set(http::field::content_type, "application/json; charset=utf-8");
    res.set(http::field::cache_control, "no-store");
    res.set(http::field::retry_after, std::to_string(std::max<int64_t>(1, wait.count())));
    res.keep_alive(c.request.keep_alive());
    res.body() = json::serialize(json::object{{"error", std::move(error)}});
    res.prepare_payload();
    return res;
}

Response Fault(const RequestContext& c, http::status status, std::string_view code, const std::string& zh,
               const std::string& en, const std::vector<FieldError>& fields = {}) {
    json::object error{{"code", code}, {"message", zh + " / " + en}, {"fields", FieldsJson(fields)}};
    return Json(c, status, json::object{{"error", std::move(error)}});
}

// A domain error: its field becomes the one field entry.
Response FaultOf(const RequestContext& c, http::status status, const Error& e) {
    std::vector<FieldError> fields;
    if (!e.field.empty()) fields.push_back({e.field, e.code, e.message_zh, e.message_en});
    return Fault(c, status, e.code, e.message_zh, e.message_en, fields);
}

// Store failures: a conflict or a lock is the client's to retry; anything else is ours.
Response StoreFault(const RequestContext& c, const Error& e) {
    if (e.code == "store.locked" || e.code == "store.busy")
        return FaultOf(c, http::status::service_unavailable, e);
    return FaultOf(c, http::status::internal_server_error, e);
}

Response NotFound(const RequestContext& c, const std::string& what_zh, const std::string& what_en) {
    return Fault(c, http::status::not_found, "not_found", "找不到" + what_zh, what_en + " not found");
}

Response Forbidden(const RequestContext& c) {
    return Fault(c, http::status::forbidden, "forbidden", "您的角色无权执行此操作",
                 "your role may not do this");
}

std::string CookieValue(const Request& request, std::string_view name) {
    for (auto it = request.find(http::field::cookie);
         it != request.end() && it->name() == http::field::cookie; ++it) {
        std::string_view header = it->value();
        while (!header.empty()) {
            size_t end = header.find(';');
            std::string_view part = header.substr(0, end);
            while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
            if (part.starts_with(name) && part.size() > name.size() && part[name.size()] == '=')
                return std::string(part.substr(name.size() + 1));
            if (end == std::string_view::npos) break;
            header.remove_prefix(end + 1);
        }
    }
    return {};
}

std::optional<int64_t> IntParam(const RequestContext& c, const std::string& name,
                                std::vector<FieldError>& errors, int64_t lo, int64_t hi) {
    auto it = c.query.find(name);
    if (it == c.query.end() || it->second.empty()) return std::nullopt;
    int64_t v = 0;
    auto [p, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
    if (ec != std::errc() || p != it->second.data() + it->second.size() || v < lo || v > hi) {
        errors.push_back(
            {name, "query.integer", name + "应为" + std::to_string(lo) + "至" + std::to_string(hi) + "的整数",
             name + " must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi)});
        return std::nullopt;
    }
    return v;
}

// A code-table parameter: the code or its name.
std::optional<int> CodeParam(const RequestContext& c, const std::string& name, const CodeTable& table,
                             std::vector<FieldError>& errors) {
    auto it = c.query.find(name);
    if (it == c.query.end() || it->second.empty()) return std::nullopt;
    auto code = table.Parse(it->second);
    if (!code) {
        errors.push_back({name, "query.code",
                          name + "不是有效的" + std::string(table.label_zh) + ": " + it->second,
                          name + " is not a known " + std::string(table.id) + ": " + it->second});
        return std::nullopt;
    }
    return code;
}

json::value ParseJson(const std::string& body, std::vector<FieldError>& errors) {
    json::error_code ec;
    json::value v = json::parse(body, ec);
    if (ec)
        errors.push_back({"body", "json.malformed", "请求体不是有效的JSON: " + ec.message(),
                          "the body is not valid JSON: " + ec.message()});
    return v;
}

// The body as a JSON object: malformed JSON or another kind of value is an error on "body".
json::value ParseJsonObject(const std::string& body, std::vector<FieldError>& errors) {
    json::value v = ParseJson(body, errors);
    if (errors.empty() && !v.is_object())
        errors.push_back({"body", "json.type", "请求体应为JSON对象", "the body must be a JSON object"});
    return v;
}

std::string Str(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::string ETagOf(int64_t version) { return "\"" + std::to_string(version) + "\""; }

// A person as a masked user sees them (access.h, "What a masked user may learn"): the ID number's
// address code only, and the birth year in place of the birth date.
void MaskPersonJson(json::object& person) {
    if (auto* id = person.if_contains("id_number"); id && id->is_string())
        *id = MaskIdNumber(id->get_string());
    if (auto* birth = person.if_contains("birth_date")) {
        json::value year = nullptr;
        if (birth->is_string())
            if (auto d = Date::Parse(birth->get_string())) year = d->year;
        person.erase("birth_date");
        person["birth_year"] = year;
    }
}

// A household JSON object as a masked user sees it: members as above, the phone masked.
void MaskHouseholdJson(json::object& h) {
    if (auto* phone = h.if_contains("phone"); phone && phone->is_string())
        *phone = MaskPhone(phone->get_string());
    if (auto* members = h.if_contains("members"); members && members->is_array())
        for (json::value& m : members->get_array())
            if (m.is_object()) MaskPersonJson(m.get_object());
}

// The household JSON with its version, masked for roles that may not see personal data.
std::string HouseholdBody(const Household& h, int64_t version, bool mask) {
    std::string body = HouseholdToJson(h);
    if (mask) {
        json::object o = json::parse(body).as_object();
        MaskHouseholdJson(o);
        body = json::serialize(o);
    }
    body.insert(1, "\"version\":" + std::to_string(version) + ",");
    return body;
}

json::object AccountJson(const Account& a) {
    return {{"username", a.username},
            {"role", a.role},
            {"scope", a.scope},
            {"disabled", a.disabled},
            {"locked_until", a.locked_until},
            {"created_at", a.created_at}};
}

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

std::string_view ContentTypeOf(const fs::path& p) {
    const std::string ext = p.extension().string();
    if (ext == ".html") return "text/html; charset=utf-8";
    if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
    if (ext == ".css") return "text/css; charset=utf-8";
    if (ext == ".json") return "application/json";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".png") return "image/png";
    if (ext == ".ico") return "image/x-icon";
    if (ext == ".woff2") return "font/woff2";
    if (ext == ".woff") return "font/woff";
    if (ext == ".ttf") return "font/ttf";
    if (ext == ".csv") return "text/csv; charset=utf-8";
    if (ext == ".xlsx") return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    return "application/octet-stream";
}

// Sends a file; when `remove` the name is unlinked once open (the open descriptor keeps it readable).
std::optional<Response> FileResponse(const Request& request, const fs::path& path,
                                     std::string_view content_type, const std::string& download_name,
                                     bool remove) {
    http::file_body::value_type file;
    beast::error_code ec;
    file.open(path.c_str(), beast::file_mode::scan, ec);
    if (remove) {
        std::error_code ignored;
        fs::remove(path, ignored);
    }
    if (ec) return std::nullopt;
    http::response<http::file_body> res{std::piecewise_construct, std::make_tuple(std::move(file)),
                                        std::make_tuple(http::status::ok, request.version())};
    res.set(http::field::content_type, content_type);
    if (!download_name.empty())
        res.set(http::field::content_disposition, "attachment; filename=\"" + download_name + "\"");
    res.keep_alive(request.keep_alive());
    res.prepare_payload();
    if (request.method() == http::verb::head) {
        http::response<http::empty_body> head{http::status::ok, request.version()};
        head.set(http::field::content_type, content_type);
        head.content_length(res.payload_size());
        head.keep_alive(request.keep_alive());
        return Response(std::move(head));
    }
    return Response(std::move(res));
}

}  // namespace

// ------------------------------------------------------------------------------------------ Impl

struct Api::Impl {
    ApiConfig config;
    std::unique_ptr<StorePool> pool;
    Plan plan;
    OrgTree tree;
    Authenticator auth;

    // The list index and the change-log position it reflects.
    mutable std::shared_mutex index_mutex;
    RegistryIndex index;
    SearchIndex search;  // free text (q=), kept with the list index under the same lock

    // Searches per session (kSearchRate), keyed by a hash of the session token.
    std::optional<RateLimit> search_rate = kSearchRate;  // nullopt: unlimited
    std::mutex search_rate_mutex;
    std::unordered_map<uint64_t, TokenBucket> search_buckets;
    std::mutex refresh_mutex;
    int64_t indexed_seq = 0;
    std::atomic<uint64_t> temp_counter{0};

    // Progress reports by (date, scope), kept while the change log has not moved. One is built at a
    // time: the battle map asks for the progress and the reconciliation at once, and both need the
    // county's report, so the second waits for the first scan instead of making its own.
    struct CachedReport {
        uint64_t generation = 0;
        ProgressReport report;
    };
    std::mutex report_mutex;
    std::map<std::string, CachedReport> reports;
    // Bumped whenever a household changes (seen by Refresh, written by the API, or a rebuild): the
    // reports above are kept while it stands still (logins move the change log but no figure).
    std::atomic<uint64_t> households_generation{0};

    // The last exit-candidates answer, kept while no household changes (the workbench pages through
    // it and switches between its two lists; a province's takes a second to compute).
    struct CachedCandidates {
        std::string key;  // year, as-of day, org-unit prefix
        uint64_t generation = 0;
        std::shared_ptr<const ExitCandidatesBuilder::Result> result;
    };
    std::mutex candidates_mutex;
    CachedCandidates candidates;

    // Poverty incidence by year, kept while no household and no population setting changes (the
    // evaluation pages show the county's figure beside every verdict they record).
    struct CachedIncidence {
        uint64_t generation = 0;
        std::vector<PopulationSetting> settings;
        std::shared_ptr<const IncidenceReport> report;
    };
    std::mutex incidence_mutex;
    std::map<int, CachedIncidence> incidences;

    std::stop_source import_stop;  // requested when the server stops: running imports end

    explicit Impl(const ApiConfig& c) : config(c), auth(c.policy) {}

    // ------------------------------------------------------------------------ index upkeep

    Result<void> Rebuild(Store& store) {
        auto seq = store.LastChangeSeq();
        if (!seq) return std::unexpected(seq.error());
        RegistryIndex fresh;
        HouseholdFilter filter;
        auto scanned = store.ScanFacts(filter, [&](const HouseholdFacts& f) {
            fresh.Upsert(f);
            return true;
        });
        if (!scanned) return scanned;
        SearchIndex fresh_search;
        fresh_search.BeginBulk();
        HouseholdFilter all;
        all.any_order = true;
        scanned = store.ScanHouseholds(all, [&](const Household& h) {
            fresh_search.Upsert(h);
            return true;
        });
        if (!scanned) return scanned;
        fresh_search.EndBulk();
        std::unique_lock lock(index_mutex);
        index = std::move(fresh);
        search = std::move(fresh_search);
        indexed_seq = *seq;
        ++households_generation;
        return {};
    }

    // Brings the index up to the change log: the households changed since, or a rebuild.
    Result<void> Refresh(Store& store) {
        auto seq = store.LastChangeSeq();
        if (!seq) return std::unexpected(seq.error());
        std::lock_guard refresh(refresh_mutex);
        if (*seq <= indexed_seq) return {};
        ChangeLogFilter f;
        f.entity = "household";
        f.after_seq = indexed_seq;
        f.limit = kIncrementalLimit + 1;
        auto entries = store.ChangeLog(f);
        if (!entries) return std::unexpected(entries.error());
        if (static_cast<int64_t>(entries->size()) > kIncrementalLimit) return Rebuild(store);
        std::vector<std::pair<std::string, std::optional<Household>>> changed;
        for (const ChangeLogEntry& e : *entries) {
            auto h = store.FindHousehold(e.entity_key);
            if (!h) return std::unexpected(h.error());
            changed.emplace_back(e.entity_key, *h ? std::optional((*h)->household) : std::nullopt);
        }
        std::unique_lock lock(index_mutex);
        if (!changed.empty()) ++households_generation;
        for (auto& [code, household] : changed)
            if (household) {
                index.Upsert(FactsOf(*household));
                search.Upsert(*household);
            } else {
                index.Remove(code);
                search.Remove(code);
            }
        indexed_seq = std::max(*seq, entries->empty() ? 0 : entries->back().seq);
        return {};
    }

    void Indexed(const Household& h) {
        std::unique_lock lock(index_mutex);
        ++households_generation;
        index.Upsert(FactsOf(h));
        search.Upsert(h);
    }

    // ------------------------------------------------------------------------ wrappers

    using AuthedHandler = std::function<Response(RequestContext&, const Principal&, Store&)>;

    Handler Authed(AuthedHandler fn) {
        return [this, fn = std::move(fn)](RequestContext& c) -> Response {
            auto store = pool->Acquire();
            const std::string token = CookieValue(c.request, kCookie);
            if (token.empty())
                return Fault(c, http::status::unauthorized, "auth.required", "请先登录", "please log in");
            auto who = auth.Authenticate(*store, token, c.may_block);
            if (!who) return StoreFault(c, who.error());
            if (!*who)
                return Fault(c, http::status::unauthorized, "auth.expired", "登录已失效,请重新登录",
                             "the session has ended; please log in again");
            return fn(c, **who, *store);
        };
    }

    std::string TempPath(std::string_view suffix) {
        fs::create_directories(config.data_dir);
        return (fs::path(config.data_dir) / ("tmp-" + std::to_string(::getpid()) + "-" +
                                             std::to_string(temp_counter++) + std::string(suffix)))
            .string();
    }

    // The org unit a request names (division=...), which must lie within the user's scope; default
    // the scope itself. nullopt after setting `error`.
    std::optional<std::string> DivisionParam(const RequestContext& c, const Principal& p,
                                             std::optional<Response>& error) {
        auto it = c.query.find("division");
        if (it == c.query.end() || it->second.empty()) return p.scope;
        if (!tree.Find(it->second)) {
            error.emplace(
                Fault(c, http::status::bad_request, "query.division", "未知的行政区划代码: " + it->second,
                      "unknown division code: " + it->second,
                      {{"division", "query.division", "未知的行政区划代码", "unknown division code"}}));
            return std::nullopt;
        }
        if (!InScope(p.scope, it->second)) {
            error.emplace(NotFound(c, "行政区划 " + it->second, "division " + it->second));
            return std::nullopt;
        }
        return it->second;
    }

    std::optional<Date> AsOfParam(const RequestContext& c, std::optional<Response>& error) {
        auto it = c.query.find("as_of");
        if (it == c.query.end() || it->second.empty()) {
            const auto days = std::chrono::floor<std::chrono::days>(auth.Now());
            return Date::FromDaysSinceEpoch(static_cast<long>(days.time_since_epoch().count()));
        }
        auto d = Date::Parse(it->second);
        if (!d)
            error.emplace(
                Fault(c, http::status::bad_request, "query.as_of", "as_of 应为日期 YYYY-MM-DD",
                      "as_of must be a date YYYY-MM-DD",
                      {{"as_of", "query.as_of", "应为日期 YYYY-MM-DD", "must be a date YYYY-MM-DD"}}));
        return d;
    }

    // The org-unit prefix that restricts reads, imports and reports: none for a county-wide user
    // (so the change log also shows account events, and reports the whole county).
    std::string ScopeFilter(const Principal& p) const { return PrefixOf(p.scope); }
    // An org unit as a code prefix: none for the county itself.
    std::string PrefixOf(const std::string& code) const { return code == tree.root_code() ? "" : code; }

    ChangeContext Change(const Principal& p) const {
        return {p.username, FormatIsoTime(auth.Now()), std::nullopt};
    }

    // ------------------------------------------------------------------------ session routes

    // 429 with Retry-After, alike for every username (known, unknown, malformed).
    Response Throttled(const RequestContext& c, std::chrono::seconds wait) {
        const std::string n = std::to_string(std::max<int64_t>(1, wait.count()));
        return TooMany(c, wait, "auth.throttled", "登录失败次数过多,请 " + n + " 秒后再试",
                       "too many failed logins; try again in " + n + " s");
    }

    // On the I/O thread, before the password check is queued: a throttled client is answered at
    // once, without hashing anything.
    std::optional<Response> AdmitLogin(RequestContext& c) {
        json::error_code ec;
        json::value v = json::parse(c.request.body(), ec);
        if (ec || !v.is_object()) return std::nullopt;  // the handler says what is wrong
        const auto* name = v.get_object().if_contains("username");
        if (!name || !name->is_string()) return std::nullopt;
        if (auto wait = auth.Wait(std::string(name->get_string()), c.remote); wait.count() > 0)
            return Throttled(c, wait);
        return std::nullopt;
    }

    Response Login(RequestContext& c) {
        std::vector<FieldError> errors;
        json::value body = ParseJsonObject(c.request.body(), errors);
        std::string username, password;
        if (errors.empty()) {
            const auto& o = body.get_object();
            for (const char* key : {"username", "password"}) {
                const auto* v = o.if_contains(key);
                if (!v || !v->is_string() || v->get_string().empty())
                    errors.push_back({key, "json.required", std::string(key) + "为必填文字",
                                      std::string(key) + " is required (a string)"});
            }
            username = Str(o, "username");
            password = Str(o, "password");
        }
        if (!errors.empty())
            return Fault(c, http::status::bad_request, "request.invalid", "请求内容有误",
                         "the request is invalid", errors);
        auto store = pool->Acquire();
        auto result = auth.Login(*store, username, password, c.remote);
        if (!result) {
            const Error& e = result.error();
            if (e.code == "auth.throttled") return Throttled(c, auth.Wait(username, c.remote));
            if (e.code == "auth.invalid")
                return Fault(c, http::status::unauthorized, e.code, e.message_zh, e.message_en);
            return StoreFault(c, e);
        }
        // Secure when told (--secure-cookie) or when the client came over HTTPS through a trusted
        // proxy (--trust-proxy and X-Forwarded-Proto: https).
        std::string cookie =
            std::string(kCookie) + "=" + result->token + "; Path=/; HttpOnly; SameSite=Strict";
        if (config.secure_cookie || c.secure) cookie += "; Secure";
        http::response<http::string_body> res{http::status::ok, c.request.version()};
        res.set(http::field::content_type, "application/json; charset=utf-8");
        res.set(http::field::set_cookie, cookie);
        res.set(http::field::cache_control, "no-store");
        res.keep_alive(c.request.keep_alive());
        res.body() = json::serialize(PrincipalJson(result->principal, tree));
        res.prepare_payload();
        return res;
    }

    Response Logout(RequestContext& c, const Principal& p, Store& store) {
        if (auto r = auth.Logout(store, CookieValue(c.request, kCookie), p); !r)
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

    // ------------------------------------------------------------------------ reference data

    Response OrgUnits(RequestContext& c, const Principal& p) {
        auto it = c.query.find("parent");
        std::vector<const OrgUnit*> units;
        if (it == c.query.end() || it->second.empty()) {
            if (const OrgUnit* u = tree.Find(p.scope)) units.push_back(u);
        } else {
            const std::string& parent = it->second;
            // A parent above the scope shows only the branch that leads to it.
            if (!tree.Find(parent) || !service::Overlaps(p.scope, parent))
                return NotFound(c, "行政区划 " + parent, "org unit " + parent);
            for (const OrgUnit* u : tree.Children(parent))
                if (service::Overlaps(p.scope, u->code)) units.push_back(u);
        }
        json::array items;
        for (const OrgUnit* u : units)
            items.push_back({{"code", u->code},
                             {"parent", u->parent_code},
                             {"level", OrgLevelName(u->level)},
                             {"name", u->name()},
                             {"has_children", !tree.Children(u->code).empty()}});
        return Json(c, http::status::ok, json::object{{"items", std::move(items)}});
    }

    Response PlanRoute(RequestContext& c) {
        json::array townships, measures, battles, lines;
        for (const PlanTownship& t : plan.townships) {
            json::object targets;
            for (const auto& [year, n] : t.exit_targets) targets[std::to_string(year)] = n;
            townships.push_back({{"code", t.code}, {"name", t.name}, {"exit_targets", std::move(targets)}});
        }
        auto opt = [](const std::optional<int>& v) { return v ? json::value(*v) : json::value(nullptr); };
        for (const PlanMeasure& m : plan.measures)
            measures.push_back({{"number", m.number},
                                {"name", m.name},
                                {"name_en", m.name_en},
                                {"battle", m.battle},
                                {"target_households", opt(m.target_households)},
                                {"target_persons", opt(m.target_persons)}});
        for (const PlanBattle& b : plan.battles)
            battles.push_back({{"id", b.id},
                               {"name", b.name},
                               {"owner", b.owner},
                               {"units", json::array(b.units.begin(), b.units.end())}});
        for (const auto& [year, fen] : plan.poverty_line_fen)
            lines.push_back({{"year", year}, {"yuan", FormatCenti(fen)}});
        return Json(c, http::status::ok,
                    json::object{{"id", plan.id},
                                 {"title", plan.title},
                                 {"document_number", plan.document_number},
                                 {"county_code", plan.county_code},
                                 {"county_name", plan.county_name},
                                 {"start_year", plan.start_year},
                                 {"end_year", plan.end_year},
                                 {"target_households", plan.target_households},
                                 {"target_persons", plan.target_persons},
                                 {"poverty_lines", std::move(lines)},
                                 {"townships", std::move(townships)},
                                 {"battles", std::move(battles)},
                                 {"measures", std::move(measures)}});
    }

    Response Codes(RequestContext& c, const Principal& p) {
        return Json(c, http::status::ok, CodeCatalogJson(p.role, p.scope));
    }

    // ------------------------------------------------------------------------ households

    // The list's filters (division, status, cause, measure, attribute, overdue); problems go to
    // `errors`, an out-of-scope or unknown division to `error`.
    IndexQuery ListFilters(const RequestContext& c, const Principal& p, std::vector<FieldError>& errors,
                           std::optional<Response>& error) {
        IndexQuery q;
        auto division = DivisionParam(c, p, error);
        if (error) return q;
        q.division_prefix = *division;
        q.status = CodeParam(c, "status", codes::Status(), errors);
        q.cause = CodeParam(c, "cause", codes::Cause(), errors);
        q.attribute = CodeParam(c, "attribute", codes::Attribute(), errors);
        if (auto it = c.query.find("measure"); it != c.query.end() && !it->second.empty()) {
            q.measure = plan.ParseMeasure(it->second);
            if (!q.measure)
                errors.push_back({"measure", "query.measure", "计划中没有这项帮扶措施: " + it->second,
                                  "the plan has no such measure: " + it->second});
        }
        if (auto y = IntParam(c, "overdue", errors, 1900, 2200)) q.overdue_before = static_cast<int>(*y);
        if (auto y = IntParam(c, "planned_exit_year", errors, 1900, 2200))
            q.planned_exit_year = static_cast<int>(*y);
        if (auto y = IntParam(c, "exit_year", errors, 1900, 2200)) q.exit_year = static_cast<int>(*y);
        return q;
    }

    Response ListHouseholds(RequestContext& c, const Principal& p, Store& store) {
        std::vector<FieldError> errors;
        std::optional<Response> error;
        IndexQuery q = ListFilters(c, p, errors, error);
        if (error) return std::move(*error);
        const int64_t page = IntParam(c, "page", errors, 1, 1'000'000'000).value_or(1);
        const int64_t page_size = IntParam(c, "page_size", errors, 1, kMaxPageSize).value_or(20);
        if (!errors.empty())
            return Fault(c, http::status::bad_request, "request.invalid", "查询参数有误",
                         "invalid query parameters", errors);
        q.offset = (page - 1) * page_size;
        q.limit = page_size;
        if (auto r = Refresh(store); !r) return StoreFault(c, r.error());

        IndexPage result;
        const bool mask = MasksPersonalData(p.role);
        auto text = c.query.find("q");
        if (text != c.query.end() && !std::string_view(TrimCell(text->second)).empty()) {
            if (auto wait = TakeSearchToken(c)) return TooManySearches(c, *wait);
            // A masked user matches an ID number only whole (never a prefix: finding 2).
            const auto match = mask ? SearchIndex::Match::kExactOnly : SearchIndex::Match::kFull;
            std::vector<std::pair<std::string, std::string>> hits;  // (division, code)
            std::shared_lock lock(index_mutex);
            const auto in_filters = [&](const std::string& code) { return index.Matches(code, q); };
            for (const std::string& code :
                 search.Find(TrimCell(text->second), match, kSearchLimit, in_filters))
                hits.emplace_back(*index.DivisionOf(code), code);
            lock.unlock();
            std::ranges::sort(hits);
            hits.erase(std::unique(hits.begin(), hits.end()), hits.end());
            result.total = static_cast<int64_t>(hits.size());
            for (int64_t i = q.offset; i < result.total && i < q.offset + q.limit; ++i)
                result.codes.push_back(hits[static_cast<size_t>(i)].second);
        } else {
            std::shared_lock lock(index_mutex);
            result = index.Query(q);
        }
        json::array items;
        for (const std::string& code : result.codes) {
            auto h = store.FindHousehold(code);
            if (!h) return StoreFault(c, h.error());
            if (!*h) continue;  // removed since the index saw it
            const Household& hh = (*h)->household;
            const Person* head = hh.head();
            const OrgUnit* village = tree.Find(hh.division_code);
            auto opt = [](const std::optional<int>& v) { return v ? json::value(*v) : json::value(nullptr); };
            json::array aux(hh.aux_measures.begin(), hh.aux_measures.end());
            items.push_back(
                {{"household_code", hh.household_code},
                 {"division_code", hh.division_code},
                 {"division_name", village ? village->name() : std::string()},
                 {"head_name", head ? head->name : std::string()},
                 {"head_id_number",
                  head ? (mask ? MaskIdNumber(head->id_number) : head->id_number) : std::string()},
                 {"persons", hh.members.size()},
                 {"attribute", hh.attribute},
                 {"main_cause", hh.main_cause},
                 {"status", hh.status},
                 {"identified_year", hh.identified_year},
                 {"planned_exit_year", opt(hh.planned_exit_year)},
                 {"exit_year", opt(hh.exit_year)},
                 {"main_measure", opt(hh.main_measure)},
                 {"aux_measures", std::move(aux)},
                 {"net_income_per_head", hh.net_income_per_head
                                             ? json::value(FormatCenti(*hh.net_income_per_head))
                                             : json::value(nullptr)},
                 {"version", (*h)->version}});
        }
        return Json(c, http::status::ok,
                    json::object{{"items", std::move(items)},
                                 {"total", result.total},
                                 {"page", page},
                                 {"page_size", page_size}});
    }

    // A search token of this request's session (kSearchRate): nullopt when granted, else the wait.
    std::optional<std::chrono::seconds> TakeSearchToken(const RequestContext& c) {
        if (!search_rate) return std::nullopt;
        const uint64_t key = std::hash<std::string>{}(CookieValue(c.request, kCookie));
        const auto now = std::chrono::steady_clock::now();
        std::lock_guard lock(search_rate_mutex);
        if (!search_buckets.contains(key) && search_buckets.size() >= kSearchSessions) {
            std::erase_if(search_buckets,
                          [&](const auto& kv) { return IsFull(kv.second, *search_rate, now); });
            if (search_buckets.size() >= kSearchSessions) {  // all busy: forget the longest unused
                auto oldest = std::ranges::min_element(search_buckets, [](const auto& a, const auto& b) {
                    return a.second.last < b.second.last;
                });
                search_buckets.erase(oldest);
            }
        }
        return TakeToken(search_buckets[key], *search_rate, now);
    }

    Response TooManySearches(const RequestContext& c, std::chrono::seconds wait) {
        const std::string n = std::to_string(std::max<int64_t>(1, wait.count()));
        return TooMany(c, wait, "search.rate_limited", "搜索过于频繁,请" + n + "秒后再试",
                       "too many searches; try again in " + n + " s");
    }

    // The stored household when the user may see it (404 otherwise: out of scope looks like absent).
    std::optional<HouseholdRecord> Visible(RequestContext& c, const Principal& p, Store& store,
                                           std::optional<Response>& error) {
        const std::string& code = c.params.at("code");
        auto h = store.FindHousehold(code);
        if (!h) {
            error.emplace(StoreFault(c, h.error()));
            return std::nullopt;
        }
        if (!*h || !InScope(p.scope, (*h)->household.division_code)) {
            error.emplace(NotFound(c, "户 " + code, "household " + code));
            return std::nullopt;
        }
        return std::move(**h);
    }

    Response HouseholdReply(const RequestContext& c, http::status status, const Household& h, int64_t version,
                            bool mask, const std::vector<FieldError>& warnings = {}) {
        std::string body = HouseholdBody(h, version, mask);
        if (!warnings.empty()) {
            body.pop_back();
            body += ",\"warnings\":" + json::serialize(FieldsJson(warnings)) + "}";
        }
        http::response<http::string_body> res{status, c.request.version()};
        res.set(http::field::content_type, "application/json; charset=utf-8");
        res.set(http::field::etag, ETagOf(version));
        res.set(http::field::cache_control, "no-store");
        if (status == http::status::created)
            res.set(http::field::location, "/api/households/" + h.household_code);
        res.keep_alive(c.request.keep_alive());
        res.body() = std::move(body);
        res.prepare_payload();
        return res;
    }

    Response GetHousehold(RequestContext& c, const Principal& p, Store& store) {
        std::optional<Response> error;
        auto h = Visible(c, p, store, error);
        if (!h) return std::move(*error);
        if (c.request[http::field::if_none_match] == ETagOf(h->version)) {
            http::response<http::empty_body> res{http::status::not_modified, c.request.version()};
            res.set(http::field::etag, ETagOf(h->version));
            res.keep_alive(c.request.keep_alive());
            return res;
        }
        return HouseholdReply(c, http::status::ok, h->household, h->version, MasksPersonalData(p.role));
    }

    // Parses and accepts a household body; `code` fills or must equal its household_code.
    std::optional<service::AcceptedHousehold> AcceptBody(RequestContext& c, const Principal& p, Store& store,
                                                         const std::string& code,
                                                         std::optional<Response>& error) {
        std::vector<FieldError> errors;
        json::value body = ParseJson(c.request.body(), errors);
        return AcceptHousehold(c, p, store, code, std::move(body), std::move(errors), error);
    }

    // A household JSON value by the importer's rules, in the user's scope, checked against the
    // registry (errors: 400 with every field).
    std::optional<service::AcceptedHousehold> AcceptHousehold(RequestContext& c, const Principal& p,
                                                              Store& store, const std::string& code,
                                                              json::value body,
                                                              std::vector<FieldError> errors,
                                                              std::optional<Response>& error) {
        if (errors.empty() && body.is_object() && !code.empty()) {
            auto& o = body.get_object();
            if (!o.contains("household_code")) o["household_code"] = code;
            if (const auto* v = o.if_contains("household_code"); v->is_string() && v->get_string() != code)
                errors.push_back({"household_code", "household_code.changed",
                                  "户编号不能修改(地址中为" + code + ")",
                                  "the household code cannot change (the address names " + code + ")"});
        }
        std::optional<service::AcceptedHousehold> accepted;
        if (errors.empty()) {
            auto a = service::AcceptHouseholdJson(body, AssemblyContext{plan, tree});
            if (!a)
                errors = std::move(a.error());
            else
                accepted = std::move(*a);
        }
        // A new household's code made of digits is the national form, its village's code and a
        // sequence: it must start with the village's code (finding 9: a code with another
        // township's prefix could be created in one's own).
        if (accepted && code.empty() && !accepted->household.household_code.empty() &&
            std::isdigit(static_cast<unsigned char>(accepted->household.household_code.front())) &&
            !accepted->household.household_code.starts_with(accepted->household.division_code))
            errors.push_back({"household_code", "household_code.division",
                              "户编号应以所在村的行政区划代码" + accepted->household.division_code + "开头",
                              "the household code must start with its village's division code " +
                                  accepted->household.division_code});
        if (accepted && !InScope(p.scope, accepted->household.division_code))
            errors.push_back(
                {"division_code", "division_code.out_of_scope",
                 "行政区划代码" + accepted->household.division_code + "不在您的管辖范围(" + p.scope + ")内",
                 "division code " + accepted->household.division_code + " is outside your scope (" + p.scope +
                     ")"});
        if (accepted && errors.empty()) {
            auto registry = service::CheckAgainstRegistry(store, accepted->household, p.scope);
            if (!registry) {
                error.emplace(StoreFault(c, registry.error()));
                return std::nullopt;
            }
            errors = std::move(*registry);
        }
        if (!errors.empty()) {
            error.emplace(Fault(c, http::status::bad_request, "household.invalid", "户信息有误,请按字段修改",
                                "the household has errors; see the fields", errors));
            return std::nullopt;
        }
        return accepted;
    }

    Response CreateHousehold(RequestContext& c, const Principal& p, Store& store) {
        if (!CanWriteHouseholds(p.role)) return Forbidden(c);
        std::optional<Response> error;
        auto accepted = AcceptBody(c, p, store, "", error);
        if (!accepted) return std::move(*error);
        const Household& h = accepted->household;
        auto tx = Transaction::Begin(store);
        if (!tx) return StoreFault(c, tx.error());
        auto id = store.InsertHousehold(h, Change(p));
        if (!id) {
            if (id.error().code == "store.duplicate")
                return Fault(
                    c, http::status::conflict, "household.exists", "户编号已存在: " + h.household_code,
                    "a household with this code exists: " + h.household_code,
                    {{"household_code", "household.exists", "户编号已存在", "the household code exists"}});
            return StoreFault(c, id.error());
        }
        if (auto r = tx->Commit(); !r) return StoreFault(c, r.error());
        Indexed(h);
        return HouseholdReply(c, http::status::created, h, 1, MasksPersonalData(p.role), accepted->warnings);
    }

    Response UpdateHousehold(RequestContext& c, const Principal& p, Store& store) {
        if (!CanWriteHouseholds(p.role)) return Forbidden(c);
        std::optional<Response> error;
        auto before = Visible(c, p, store, error);
        if (!before) return std::move(*error);
        const auto if_match = c.request[http::field::if_match];
        if (if_match.empty())
            return Fault(c, http::status::precondition_required, "household.if_match",
                         "请带上 If-Match(打开时的版本)", "send If-Match with the version you opened");
        auto stale = [&] {
            return Fault(c, http::status::precondition_failed, "household.stale",
                         "自您打开以来,此户已被他人修改,请重新载入",
                         "someone changed this household since you opened it; reload it");
        };
        if (if_match != ETagOf(before->version) && if_match != "*") return stale();
        auto accepted = AcceptBody(c, p, store, before->household.household_code, error);
        if (!accepted) return std::move(*error);
        const Household& h = accepted->household;
        if (h == before->household)
            return HouseholdReply(c, http::status::ok, h, before->version, MasksPersonalData(p.role),
                                  accepted->warnings);
        auto tx = Transaction::Begin(store);
        if (!tx) return StoreFault(c, tx.error());
        if (auto r = store.UpdateHousehold(*before, h, Change(p)); !r) {
            if (r.error().code == "store.conflict") return stale();
            return StoreFault(c, r.error());
        }
        if (auto r = tx->Commit(); !r) return StoreFault(c, r.error());
        Indexed(h);
        return HouseholdReply(c, http::status::ok, h, before->version + 1, MasksPersonalData(p.role),
                              accepted->warnings);
    }

    json::object EntryJson(const ChangeLogEntry& e) {
        auto parsed = [](const std::string& s) {
            if (s.empty()) return json::value(nullptr);
            json::error_code ec;
            json::value v = json::parse(s, ec);
            return ec ? json::value(s) : v;
        };
        return {{"seq", e.seq},
                {"at", e.at},
                {"actor", e.actor},
                {"entity", e.entity},
                {"entity_key", e.entity_key},
                {"action", e.action},
                {"before", parsed(e.before_json)},
                {"after", parsed(e.after_json)},
                {"import_id", e.import_id ? json::value(*e.import_id) : json::value(nullptr)}};
    }

    Response History(RequestContext& c, const Principal& p, Store& store) {
        if (MasksPersonalData(p.role)) return Forbidden(c);
        std::optional<Response> error;
        auto h = Visible(c, p, store, error);
        if (!h) return std::move(*error);
        ChangeLogFilter f;
        f.entity = "household";
        f.entity_key = h->household.household_code;
        f.limit = 1000;
        auto entries = store.ChangeLog(f);
        if (!entries) return StoreFault(c, entries.error());
        json::array items;
        for (const ChangeLogEntry& e : *entries) items.push_back(EntryJson(e));
        return Json(c, http::status::ok, json::object{{"items", std::move(items)}});
    }

    // ------------------------------------------------------------------------ imports and exports

    Response Import(RequestContext& c, const Principal& p, Store& store) {
        if (!CanWriteHouseholds(p.role)) return Forbidden(c);
        const std::string& body = c.request.body();
        if (body.empty())
            return Fault(c, http::status::bad_request, "import.empty", "请上传CSV或.xlsx文件",
                         "upload a CSV or .xlsx file as the body");
        const bool xlsx = body.starts_with(std::string_view("PK\x03\x04", 4));
        std::string name = c.query.contains("filename") ? c.query.at("filename") : std::string();
        if (name.empty()) name = xlsx ? "upload.xlsx" : "upload.csv";
        const std::string path = TempPath(xlsx ? ".xlsx" : ".csv");
        const std::string errors_tmp = path + ".errors.csv";
        {
            std::ofstream out(path, std::ios::binary);
            out.write(body.data(), static_cast<std::streamsize>(body.size()));
            if (!out.flush())
                return FaultOf(
                    c, http::status::internal_server_error,
                    Error{"import.io", "file", "无法保存上传文件", "cannot store the uploaded file"});
        }
        io::ImportOptions options{path,           c.query.contains("sheet") ? c.query.at("sheet") : "",
                                  errors_tmp,     Change(p),
                                  ScopeFilter(p), name};
        options.limits = config.import_limits;
        options.stop = import_stop.get_token();  // requested when the server stops
        auto summary = io::ImportRegistry(store, plan, tree, options);
        std::error_code ignored;
        fs::remove(path, ignored);
        if (!summary) {
            fs::remove(errors_tmp, ignored);
            const Error& e = summary.error();
            if (e.code.starts_with("store.")) return StoreFault(c, e);
            if (e.code == "import.cancelled") return FaultOf(c, http::status::service_unavailable, e);
            return FaultOf(c, http::status::bad_request, e);
        }
        json::value out = json::parse(summary->ToJson());
        auto& o = out.as_object();
        o["import_id"] = summary->import_id;
        o.erase("errors_file");
        if (!summary->errors_file.empty()) {
            fs::rename(errors_tmp, ErrorsPath(summary->import_id), ignored);
            o["errors_url"] = "/api/imports/" + std::to_string(summary->import_id) + "/errors.csv";
        }
        {  // an import changes many households: let the next list see them
            if (auto r = Refresh(store); !r) return StoreFault(c, r.error());
        }
        return Json(c, http::status::ok, out);
    }

    std::string ErrorsPath(int64_t import_id) const {
        return (fs::path(config.data_dir) / ("import-" + std::to_string(import_id) + ".errors.csv")).string();
    }

    // The import, when this user may see it: the importer, or an admin whose scope covers theirs.
    std::optional<ImportRecord> VisibleImport(RequestContext& c, const Principal& p, Store& store,
                                              std::optional<Response>& error) {
        int64_t id = 0;
        const std::string& text = c.params.at("id");
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
        std::optional<ImportRecord> record;
        if (ec == std::errc() && ptr == text.data() + text.size()) {
            auto r = store.FindImport(id);
            if (!r) {
                error.emplace(StoreFault(c, r.error()));
                return std::nullopt;
            }
            record = std::move(*r);
        }
        bool allowed = record && record->actor == p.username;
        if (record && !allowed && p.role == Role::kAdmin) {
            auto owner = store.FindAccount(record->actor);
            allowed = !owner || !*owner ? p.scope == tree.root_code() : InScope(p.scope, (*owner)->scope);
        }
        if (!allowed) {
            error.emplace(NotFound(c, "导入 " + text, "import " + text));
            return std::nullopt;
        }
        return record;
    }

    Response GetImport(RequestContext& c, const Principal& p, Store& store) {
        std::optional<Response> error;
        auto record = VisibleImport(c, p, store, error);
        if (!record) return std::move(*error);
        json::error_code ec;
        json::value summary =
            record->summary_json.empty() ? json::value(nullptr) : json::parse(record->summary_json, ec);
        if (summary.is_object()) summary.as_object().erase("errors_file");  // a path on the server
        return Json(c, http::status::ok,
                    json::object{{"import_id", record->id},
                                 {"started_at", record->started_at},
                                 {"actor", record->actor},
                                 {"file_name", record->file_name},
                                 {"summary", ec ? json::value(nullptr) : summary},
                                 {"errors_url", fs::exists(ErrorsPath(record->id))
                                                    ? json::value("/api/imports/" +
                                                                  std::to_string(record->id) + "/errors.csv")
                                                    : json::value(nullptr)}});
    }

    Response ImportErrors(RequestContext& c, const Principal& p, Store& store) {
        std::optional<Response> error;
        auto record = VisibleImport(c, p, store, error);
        if (!record) return std::move(*error);
        auto res = FileResponse(c.request, ErrorsPath(record->id), "text/csv; charset=utf-8",
                                "import-" + std::to_string(record->id) + ".errors.csv", false);
        if (!res)
            return NotFound(c, "错误文件(此次导入全部接受)", "error file (the import rejected nothing)");
        return std::move(*res);
    }

    Response Export(RequestContext& c, const Principal& p, Store& store, io::ExportFormat format) {
        std::vector<FieldError> errors;
        std::optional<Response> error;
        const IndexQuery q = ListFilters(c, p, errors, error);
        if (error) return std::move(*error);
        if (!errors.empty())
            return Fault(c, http::status::bad_request, "request.invalid", "查询参数有误",
                         "invalid query parameters", errors);
        if (auto r = Refresh(store); !r) return StoreFault(c, r.error());
        const char* ext = format == io::ExportFormat::kXlsx ? ".xlsx" : ".csv";
        const std::string path = TempPath(ext);
        io::ExportOptions options{path, format, q.division_prefix, MasksPersonalData(p.role), {}};
        // The list's filters beyond the division, answered by the same index as the list.
        if (q.status || q.cause || q.measure || q.attribute || q.overdue_before || q.planned_exit_year ||
            q.exit_year)
            options.include = [this, &q](const Household& h) {
                std::shared_lock lock(index_mutex);
                return index.Matches(h.household_code, q);
            };
        auto summary = io::ExportRegistry(store, plan, options);
        if (!summary) return StoreFault(c, summary.error());
        auto res =
            FileResponse(c.request, path, ContentTypeOf(path), "registry-" + q.division_prefix + ext, true);
        if (!res)
            return FaultOf(c, http::status::internal_server_error,
                           Error{"export.io", "file", "无法读取导出文件", "cannot read the exported file"});
        return std::move(*res);
    }

    // ------------------------------------------------------------------------ reports

    Result<ProgressReport> CachedProgress(Store& store, const Date& as_of, const std::string& scope) {
        if (auto r = Refresh(store); !r) return std::unexpected(r.error());  // notices other writers
        std::lock_guard lock(report_mutex);
        const uint64_t generation = households_generation;
        const std::string key = as_of.ToString() + "|" + scope;
        if (auto hit = reports.find(key); hit != reports.end() && hit->second.generation == generation)
            return hit->second.report;
        auto report = service::BuildProgress(store, plan, tree, as_of, scope);
        if (!report) return std::unexpected(report.error());
        if (reports.size() >= 64) reports.clear();
        reports[key] = CachedReport{generation, *report};
        return report;
    }

    Response Progress(RequestContext& c, const Principal& p, Store& store) {
        std::optional<Response> error;
        auto as_of = AsOfParam(c, error);
        if (error) return std::move(*error);
        auto report = CachedProgress(store, AgeDayFor(p.role, *as_of), ScopeFilter(p));
        if (!report) return StoreFault(c, report.error());
        return Json(c, http::status::ok, WithChainHead(store, service::ProgressJson(*report)));
    }

    // Reports carry the change log's head, so an issued report anchors the chain outside the
    // database (jingzhun audit verify --head; docs/architecture.md).
    static json::value WithChainHead(Store& store, json::value report) {
        if (auto head = store.Head(); head && report.is_object())
            report.as_object()["chain_head"] = {{"seq", head->seq}, {"hash", head->hash}};
        return report;
    }

    Response Check(RequestContext& c, const Principal& p, Store& store) {
        if (!CanRunChecks(p.role)) return Forbidden(c);
        std::optional<Response> error;
        auto as_of = AsOfParam(c, error);
        if (error) return std::move(*error);
        auto division = DivisionParam(c, p, error);
        if (error) return std::move(*error);
        CheckOptions options{*as_of, {}};
        auto findings = service::RunChecks(store, plan, options, *division, config.check_parts);
        if (!findings) return StoreFault(c, findings.error());
        return Json(c, http::status::ok,
                    WithChainHead(store, service::CheckJson(*as_of, *findings, MasksPersonalData(p.role))));
    }

    Response ReconcileRoute(RequestContext& c, const Principal& p, Store& store) {
        std::optional<Response> error;
        auto as_of = AsOfParam(c, error);
        if (error) return std::move(*error);
        const Date day = AgeDayFor(p.role, *as_of);
        auto whole = CachedProgress(store, day, "");
        if (!whole) return StoreFault(c, whole.error());
        const auto findings = service::ReconcileReport(plan, *whole, ScopeFilter(p));
        return Json(c, http::status::ok, WithChainHead(store, service::ReconcileJson(day, findings)));
    }

    Response Audit(RequestContext& c, const Principal& p, Store& store) {
        if (!CanReadAudit(p.role)) return Forbidden(c);
        std::vector<FieldError> errors;
        ChangeLogFilter f;
        if (auto it = c.query.find("household"); it != c.query.end() && !it->second.empty()) {
            f.entity = "household";
            f.entity_key = it->second;
        }
        // Any entity (procedure_case, evaluation, population, adjustment, account...) and key.
        if (auto it = c.query.find("entity"); it != c.query.end() && !it->second.empty())
            f.entity = it->second;
        if (auto it = c.query.find("key"); it != c.query.end() && !it->second.empty())
            f.entity_key = it->second;
        if (auto it = c.query.find("user"); it != c.query.end() && !it->second.empty()) f.actor = it->second;
        if (auto it = c.query.find("since"); it != c.query.end() && !it->second.empty()) {
            if (Date::Parse(it->second))
                f.since = it->second;
            else if (ParseIsoTime(it->second))
                f.since = it->second;
            else
                errors.push_back({"since", "query.since",
                                  "since 应为日期或时间(2026-11-29 或 2026-11-29T08:00:00Z)",
                                  "since must be a date or time (2026-11-29 or 2026-11-29T08:00:00Z)"});
        }
        f.after_seq = IntParam(c, "after", errors, 0, INT64_MAX);
        f.limit = IntParam(c, "limit", errors, 1, 1000).value_or(100);
        if (!errors.empty())
            return Fault(c, http::status::bad_request, "request.invalid", "查询参数有误",
                         "invalid query parameters", errors);
        f.division_prefix = ScopeFilter(p);
        auto entries = store.ChangeLog(f);
        if (!entries) return StoreFault(c, entries.error());
        json::array items;
        for (const ChangeLogEntry& e : *entries) items.push_back(EntryJson(e));
        json::value next = entries->empty() ? json::value(nullptr) : json::value(entries->back().seq);
        return Json(c, http::status::ok, json::object{{"items", std::move(items)}, {"next_after", next}});
    }

    // ------------------------------------------------------------------------ users

    Response ListUsers(RequestContext& c, const Principal& p, Store& store) {
        if (!CanManageUsers(p.role)) return Forbidden(c);
        auto accounts = store.ListAccounts();
        if (!accounts) return StoreFault(c, accounts.error());
        json::array items;
        for (const Account& a : *accounts)
            if (InScope(p.scope, a.scope)) items.push_back(AccountJson(a));
        return Json(c, http::status::ok, json::object{{"items", std::move(items)}});
    }

    Response CreateUser(RequestContext& c, const Principal& p, Store& store) {
        if (!CanManageUsers(p.role)) return Forbidden(c);
        std::vector<FieldError> errors;
        json::value body = ParseJsonObject(c.request.body(), errors);
        if (errors.empty()) {
            for (const char* key : {"username", "password", "role", "scope"}) {
                const auto* v = body.get_object().if_contains(key);
                if (!v || !v->is_string())
                    errors.push_back({key, "json.required", std::string(key) + "为必填文字",
                                      std::string(key) + " is required (a string)"});
            }
            for (const auto& [key, v] : body.get_object())
                if (key != "username" && key != "password" && key != "role" && key != "scope") {
                    const std::string k(key.substr(0, 64));
                    errors.push_back({k, "json.unknown_field", "未知字段: " + k, "unknown field: " + k});
                }
        }
        if (!errors.empty())
            return Fault(c, http::status::bad_request, "request.invalid", "请求内容有误",
                         "the request is invalid", errors);
        const auto& o = body.get_object();
        const std::string scope = Str(o, "scope");
        if (tree.Find(scope) && !InScope(p.scope, scope))
            return Fault(c, http::status::bad_request, "user.scope", "只能在您的管辖范围内添加用户",
                         "you may add users only within your scope",
                         {{"scope", "user.scope", "超出您的管辖范围", "outside your scope"}});
        auto account =
            AddAccount(store, tree, Str(o, "username"), Str(o, "role"), scope, Str(o, "password"), Change(p));
        if (!account) {
            const Error& e = account.error();
            if (e.code.starts_with("store.")) return StoreFault(c, e);
            return FaultOf(c, e.code == "user.exists" ? http::status::conflict : http::status::bad_request,
                           e);
        }
        return Json(c, http::status::created, AccountJson(*account));
    }

    Response UpdateUser(RequestContext& c, const Principal& p, Store& store) {
        if (!CanManageUsers(p.role)) return Forbidden(c);
        auto found = store.FindAccount(c.params.at("username"));
        if (!found) return StoreFault(c, found.error());
        if (!*found || !InScope(p.scope, (*found)->scope))
            return NotFound(c, "用户 " + c.params.at("username"), "user " + c.params.at("username"));
        std::vector<FieldError> errors;
        json::value body = ParseJsonObject(c.request.body(), errors);
        Account after = **found;
        bool password_changed = false;
        if (errors.empty()) {
            for (const auto& [key, v] : body.get_object()) {
                const std::string k(key);
                if (k == "disabled") {
                    if (!v.is_bool())
                        errors.push_back({k, "json.type", "disabled 应为 true 或 false",
                                          "disabled must be true or false"});
                    else
                        after.disabled = v.get_bool();
                    continue;
                }
                if (k != "role" && k != "scope" && k != "password") {
                    errors.push_back({k, "json.unknown_field", "未知字段: " + k, "unknown field: " + k});
                    continue;
                }
                if (!v.is_string()) {
                    errors.push_back({k, "json.type", k + "应为文字", k + " must be a string"});
                    continue;
                }
                const std::string value(v.get_string());
                if (k == "role") {
                    if (!ParseRole(value))
                        errors.push_back({k, "user.role", "未知角色: " + value, "unknown role: " + value});
                    after.role = value;
                } else if (k == "scope") {
                    if (!tree.Find(value))
                        errors.push_back({k, "user.scope", "未知的行政区划代码: " + value,
                                          "unknown division code: " + value});
                    else if (!InScope(p.scope, value))
                        errors.push_back({k, "user.scope", "超出您的管辖范围", "outside your scope"});
                    after.scope = value;
                } else {
                    if (auto e = CheckPasswordRules(value, after.username)) {
                        errors.push_back({k, e->code, e->message_zh, e->message_en});
                        continue;
                    }
                    auto hash = HashPassword(value);
                    if (!hash) return FaultOf(c, http::status::internal_server_error, hash.error());
                    after.password_hash = *hash;
                    password_changed = true;
                }
            }
        }
        if (!errors.empty())
            return Fault(c, http::status::bad_request, "request.invalid", "请求内容有误",
                         "the request is invalid", errors);
        if (after.username == p.username && (after.disabled || after.role != "admin"))
            return Fault(c, http::status::bad_request, "user.self", "不能停用自己或取消自己的管理员角色",
                         "you cannot disable yourself or give up your own admin role");
        auto tx = Transaction::Begin(store);
        if (!tx) return StoreFault(c, tx.error());
        if (auto r = store.UpdateAccount(**found, after, Change(p)); !r) return StoreFault(c, r.error());
        if (after.disabled || password_changed || after.role != (*found)->role ||
            after.scope != (*found)->scope)
            if (auto r = store.DeleteSessionsOf(after.id); !r) return StoreFault(c, r.error());
        if (!after.disabled && (*found)->disabled)  // re-enabled: a fresh start
            if (auto r = store.SetLoginState(after.id, 0, ""); !r) return StoreFault(c, r.error());
        if (auto r = tx->Commit(); !r) return StoreFault(c, r.error());
        auth.Forget(after.id);
        return Json(c, http::status::ok, AccountJson(after));
    }

    // ------------------------------------------------------------------------ static files

    Response Static(RequestContext& c) {
        if (config.web_dir.empty() || !fs::is_directory(config.web_dir))
            return NotFound(c, "页面(网页工作台未构建)", "page (the web workbench is not built)");
        fs::path rel = fs::path(c.path).relative_path().lexically_normal();
        if (!rel.empty() && *rel.begin() == "..") return NotFound(c, "页面", "page");
        fs::path file = fs::path(config.web_dir) / rel;
        std::error_code ec;
        if (rel.empty() || !fs::is_regular_file(file, ec)) file = fs::path(config.web_dir) / "index.html";
        auto res = FileResponse(c.request, file, ContentTypeOf(file), "", false);
        if (!res) return NotFound(c, "页面", "page");
        return std::move(*res);
    }

    // ------------------------------------------------------------------------ dynamic management

    service::Actor ActorOf(const Principal& p) const { return {p.role, p.username, p.scope}; }
    std::string Now() const { return FormatIsoTime(auth.Now()); }

    // A refused or failed dynamic-management operation, by what it means to the client.
    Response DynamicFault(const RequestContext& c, const Error& e) {
        switch (service::KindOf(e)) {
            case service::FailureKind::kInput:
                return FaultOf(c, http::status::bad_request, e);
            case service::FailureKind::kNotFound:
                return FaultOf(c, http::status::not_found, e);
            case service::FailureKind::kForbidden:
                return FaultOf(c, http::status::forbidden, e);
            case service::FailureKind::kRefused:
                return FaultOf(c, http::status::conflict, e);
            case service::FailureKind::kConflict:
                return FaultOf(c, http::status::precondition_failed, e);
            case service::FailureKind::kStore:
                break;
        }
        return StoreFault(c, e);
    }

    Response BadFields(const RequestContext& c, const std::vector<FieldError>& errors) {
        const FieldError& f = errors.front();
        return Fault(c, http::status::bad_request, f.code, f.reason_zh, f.reason_en, errors);
    }

    // A case as its reader may see it: for a masked role, the household snapshot (new
    // identification, deregistration) as a masked household, the member's ID number masked, and ID
    // numbers in the free text (notes, reasons; an approval quotes list hits with the number) masked.
    json::object CaseReply(const ProcedureCase& c, bool mask) {
        json::object o = service::CaseJson(c, plan);
        if (!mask) return o;
        if (auto* h = o.if_contains("household"); h && h->is_object()) MaskHouseholdJson(h->get_object());
        if (auto* id = o.if_contains("member_id_number"); id && id->is_string())
            *id = MaskIdNumber(id->get_string());
        auto text = [](json::value* v) {
            if (v && v->is_string()) *v = MaskIdNumbersInText(v->get_string());
        };
        text(o.if_contains("reason"));
        text(o.if_contains("notes"));
        if (auto* steps = o.if_contains("steps"); steps && steps->is_array())
            for (json::value& step : steps->get_array())
                if (step.is_object()) {
                    text(step.get_object().if_contains("notes"));
                    text(step.get_object().if_contains("outcome"));
                }
        if (auto* x = o.if_contains("exclusions"); x && x->is_array())
            for (json::value& e : x->get_array()) text(&e);
        return o;
    }

    // A request body that must be a JSON object with only the `allowed` keys (a misspelt key would
    // otherwise be ignored silently); its typed fields are read one by one, each bad field or
    // unknown key adding its error. ok() says whether the body is an object at all, which a handler
    // answers before reading fields.
    struct BodyReader {
        BodyReader(const std::string& body, std::initializer_list<std::string_view> allowed) {
            value = ParseJsonObject(body, errors);
            if (!errors.empty()) return;
            parsed = true;
            for (const auto& [key, v] : value.get_object())
                if (std::ranges::find(allowed, std::string_view(key)) == allowed.end())
                    errors.push_back({std::string(key), "json.unknown_field", "未知字段: " + std::string(key),
                                      "unknown field: " + std::string(key)});
        }
        json::value value;
        std::vector<FieldError> errors;
        bool parsed = false;
        bool ok() const { return parsed; }
        const json::object& object() const { return value.get_object(); }
        std::optional<std::string> Text(std::string_view key, bool required) {
            const json::value* v = object().if_contains(key);
            if (!v || v->is_null()) {
                if (required)
                    errors.push_back({std::string(key), "json.required", std::string(key) + "为必填项",
                                      std::string(key) + " is required"});
                return std::nullopt;
            }
            if (!v->is_string()) {
                errors.push_back({std::string(key), "json.type", std::string(key) + "应为文字",
                                  std::string(key) + " must be a string"});
                return std::nullopt;
            }
            return std::string(v->get_string());
        }
        std::optional<int64_t> Int(std::string_view key, bool required, int64_t lo, int64_t hi) {
            const json::value* v = object().if_contains(key);
            if (!v || v->is_null()) {
                if (required)
                    errors.push_back({std::string(key), "json.required", std::string(key) + "为必填项",
                                      std::string(key) + " is required"});
                return std::nullopt;
            }
            if (!v->is_int64() || v->get_int64() < lo || v->get_int64() > hi) {
                errors.push_back(
                    {std::string(key), "json.type",
                     std::string(key) + "应为" + std::to_string(lo) + "至" + std::to_string(hi) + "的整数",
                     std::string(key) + " must be an integer from " + std::to_string(lo) + " to " +
                         std::to_string(hi)});
                return std::nullopt;
            }
            return v->get_int64();
        }
        std::optional<Date> DateField(std::string_view key, bool required) {
            auto text = Text(key, required);
            if (!text) return std::nullopt;
            auto d = Date::Parse(*text);
            if (!d)
                errors.push_back({std::string(key), "json.date", std::string(key) + "应为日期 YYYY-MM-DD",
                                  std::string(key) + " must be a date YYYY-MM-DD"});
            return d;
        }
    };

    std::optional<int64_t> IdParam(const RequestContext& c, const std::string& name) {
        const std::string& text = c.params.at(name);
        int64_t v = 0;
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec != std::errc() || ptr != text.data() + text.size() || v <= 0) return std::nullopt;
        return v;
    }

    std::optional<int> YearQuery(const RequestContext& c, std::vector<FieldError>& errors, bool required) {
        auto y = IntParam(c, "year", errors, 1900, 2100);
        if (!y && required && errors.empty())
            errors.push_back({"year", "query.required", "year为必填参数", "year is required"});
        return y ? std::optional<int>(static_cast<int>(*y)) : std::nullopt;
    }

    Response ExitCandidatesRoute(RequestContext& c, const Principal& p, Store& store) {
        std::vector<FieldError> errors;
        const auto year = YearQuery(c, errors, true);
        const auto offset = IntParam(c, "offset", errors, 0, INT64_MAX).value_or(0);
        const auto limit = IntParam(c, "limit", errors, 1, 1000).value_or(50);
        std::string which = c.query.contains("which") ? c.query.at("which") : "candidates";
        if (which.empty()) which = "candidates";
        if (which != "candidates" && which != "not_ready")
            errors.push_back({"which", "query.which", "which应为candidates或not_ready",
                              "which must be candidates or not_ready"});
        std::optional<Date> on;
        if (auto it = c.query.find("as_of"); it != c.query.end() && !it->second.empty()) {
            on = Date::Parse(it->second);
            if (!on)
                errors.push_back(
                    {"as_of", "query.as_of", "应为日期 YYYY-MM-DD", "must be a date YYYY-MM-DD"});
        }
        if (!errors.empty()) return BadFields(c, errors);
        std::optional<Response> error;
        auto division = DivisionParam(c, p, error);
        if (!division) return std::move(*error);
        const std::string prefix = PrefixOf(*division);
        // A masked user's ages are on a year's last day: a day by day as_of would find the day a
        // child out of school turned seven (the dropout condition), i.e. the birth date.
        const Date day = AgeDayFor(p.role, on.value_or(Date{*year, 12, 31}));
        if (auto fresh = Refresh(store); !fresh) return StoreFault(c, fresh.error());  // other writers
        const uint64_t generation = households_generation;
        const std::string key = std::to_string(*year) + "/" + day.ToString() + "/" + prefix;
        std::shared_ptr<const ExitCandidatesBuilder::Result> r;
        {
            std::lock_guard lock(candidates_mutex);
            if (candidates.key == key && candidates.generation == generation) r = candidates.result;
        }
        if (!r) {
            service::Dynamic dynamic(store, plan, tree);
            auto computed = dynamic.ExitCandidates(*year, day, prefix, config.check_parts);
            if (!computed) return DynamicFault(c, computed.error());
            r = std::make_shared<const ExitCandidatesBuilder::Result>(std::move(*computed));
            std::lock_guard lock(candidates_mutex);
            candidates = {key, generation, r};
        }
        json::object out = service::ExitCandidatesSummaryJson(*r, tree);
        const auto& list = which == "candidates" ? r->candidates : r->not_ready;
        json::array items;
        for (size_t i = static_cast<size_t>(std::min<int64_t>(offset, static_cast<int64_t>(list.size())));
             i < list.size() && static_cast<int64_t>(items.size()) < limit; ++i) {
            json::object item = service::StandingJson(list[i], *r);
            auto h = store.FindHousehold(list[i].household_code);
            if (!h) return StoreFault(c, h.error());
            const Person* head = *h ? (*h)->household.head() : nullptr;
            item["head_name"] = head ? head->name : "";
            items.push_back(std::move(item));
        }
        out["which"] = which;
        out["offset"] = offset;
        out["limit"] = limit;
        out["items"] = std::move(items);
        return Json(c, http::status::ok, out);
    }

    Response ListProcedures(RequestContext& c, const Principal& p, Store& store) {
        std::vector<FieldError> errors;
        CaseFilter f;
        if (auto it = c.query.find("kind"); it != c.query.end() && !it->second.empty()) {
            f.kind = ParseProcedureKind(it->second);
            if (!f.kind)
                errors.push_back(
                    {"kind", "query.kind", "未知的案件类型: " + it->second, "unknown kind: " + it->second});
        }
        if (auto it = c.query.find("state"); it != c.query.end() && !it->second.empty()) f.state = it->second;
        if (auto it = c.query.find("household"); it != c.query.end() && !it->second.empty())
            f.household_code = it->second;
        if (auto it = c.query.find("open"); it != c.query.end() && !it->second.empty()) {
            if (it->second != "true" && it->second != "false")
                errors.push_back({"open", "query.open", "open应为true或false", "open must be true or false"});
            else
                f.open = it->second == "true";
        }
        if (auto y = YearQuery(c, errors, false)) f.year = *y;
        f.offset = IntParam(c, "offset", errors, 0, INT64_MAX).value_or(0);
        f.limit = IntParam(c, "limit", errors, 1, kMaxPageSize).value_or(50);
        if (!errors.empty()) return BadFields(c, errors);
        std::optional<Response> error;
        auto division = DivisionParam(c, p, error);
        if (!division) return std::move(*error);
        f.division_prefix = PrefixOf(*division);
        auto total = store.CountCases(f);
        if (!total) return StoreFault(c, total.error());
        auto cases = store.ListCases(f);
        if (!cases) return StoreFault(c, cases.error());
        json::array items;
        for (const ProcedureCase& pc : *cases) items.push_back(CaseReply(pc, MasksPersonalData(p.role)));
        // What waits for whom: the open cases in the filtered org unit by township and next level.
        CaseFilter open;
        open.division_prefix = f.division_prefix;
        open.open = true;
        open.limit = INT64_MAX;
        auto all_open = store.ListCases(open);
        if (!all_open) return StoreFault(c, all_open.error());
        std::map<std::string, std::array<int64_t, 3>> waiting;
        for (const ProcedureCase& pc : *all_open)
            if (auto next = NextStepOf(pc, plan))
                ++waiting[pc.division_code.substr(0, 9)][static_cast<int>(next->level)];
        json::array waiting_json;
        for (const auto& [code, n] : waiting) {
            const OrgUnit* u = tree.Find(code);
            waiting_json.push_back({{"township_code", code},
                                    {"township_name", u ? u->name() : ""},
                                    {"village", n[0]},
                                    {"township", n[1]},
                                    {"county", n[2]}});
        }
        return Json(
            c, http::status::ok,
            json::object{
                {"total", *total}, {"items", std::move(items)}, {"waiting", std::move(waiting_json)}});
    }

    Response OpenProcedure(RequestContext& c, const Principal& p, Store& store) {
        BodyReader r(c.request.body(), {"kind", "year", "date", "notes", "household_code", "household",
                                        "reason", "member_change", "id_number", "person", "new_head"});
        if (!r.ok()) return BadFields(c, r.errors);
        const json::object& o = r.object();
        service::OpenRequest request;
        const auto kind_name = r.Text("kind", true);
        if (kind_name) {
            auto kind = ParseProcedureKind(*kind_name);
            if (!kind)
                r.errors.push_back(
                    {"kind", "json.kind", "未知的案件类型: " + *kind_name, "unknown kind: " + *kind_name});
            else
                request.kind = *kind;
        }
        request.year = static_cast<int>(r.Int("year", true, 1900, 2100).value_or(0));
        request.date = r.DateField("date", true).value_or(Date{});
        request.notes = r.Text("notes", false).value_or("");
        request.household_code = r.Text("household_code", false).value_or("");
        request.reason = r.Text("reason", false).value_or("");
        if (!r.errors.empty()) return BadFields(c, r.errors);
        service::Dynamic dynamic(store, plan, tree);
        if (request.kind == ProcedureKind::kBufferEnd && request.household_code.empty()) {
            auto ids = dynamic.EndBuffers(ActorOf(p), request.year, request.date, Now());
            if (!ids) return DynamicFault(c, ids.error());
            json::array list;
            for (int64_t id : *ids) list.push_back(id);
            return Json(c, http::status::ok,
                        json::object{{"count", ids->size()}, {"cases", std::move(list)}});
        }
        if (request.kind == ProcedureKind::kNewIdentification) {
            const json::value* h = o.if_contains("household");
            if (!h || !h->is_object())
                return BadFields(c, {{"household", "json.required", "新识别须提供household(对象)",
                                      "a new identification needs household (an object)"}});
            std::optional<Response> error;
            auto accepted = AcceptHousehold(c, p, store, "", *h, {}, error);
            if (!accepted) return std::move(*error);
            request.proposal = std::move(accepted->household);
        } else if (request.household_code.empty()) {
            return BadFields(c, {{"household_code", "json.required", "household_code为必填项",
                                  "household_code is required"}});
        }
        if (request.kind == ProcedureKind::kMemberChange) {
            const json::value* change = o.if_contains("member_change");
            std::optional<int> code;
            if (change && change->is_int64()) code = static_cast<int>(change->get_int64());
            if (change && change->is_string()) code = codes::MemberChange().Parse(change->get_string());
            if (!code || !codes::MemberChange().Contains(*code))
                return BadFields(
                    c, {{"member_change", "json.member_change", "成员变更类型无效(死亡、嫁出、新生儿…)",
                         "member_change must be a member change (死亡, 嫁出, 新生儿, ...)"}});
            request.member.change = *code;
            request.member.id_number = r.Text("id_number", false).value_or("");
            request.member.new_head = r.Text("new_head", false).value_or("");
            request.member.notes = request.notes;
            if (const json::value* person = o.if_contains("person"); person && !person->is_null()) {
                // The person by the importer's rules: accepted as a one-member household of the
                // same village, so every member rule and message applies.
                auto current = store.FindHousehold(request.household_code);
                if (!current) return StoreFault(c, current.error());
                if (!*current || !InScope(p.scope, (*current)->household.division_code))
                    return NotFound(c, "户 " + request.household_code, "household " + request.household_code);
                json::object probe = json::parse(HouseholdToJson((*current)->household)).as_object();
                json::object joining = person->is_object() ? person->get_object() : json::object{};
                json::object head = probe["members"].as_array().front().as_object();
                joining["relation"] =
                    joining.contains("relation") ? joining["relation"] : json::value("之子");
                json::array members{head, joining};
                probe["members"] = std::move(members);
                auto accepted = service::AcceptHouseholdJson(probe, AssemblyContext{plan, tree});
                if (!accepted) {
                    std::vector<FieldError> person_errors;
                    for (FieldError& fe : accepted.error())
                        if (fe.field.starts_with("members[1]."))
                            person_errors.push_back(
                                {"person." + fe.field.substr(11), fe.code, fe.reason_zh, fe.reason_en});
                        else if (fe.field.starts_with("members[1]") || fe.field == "members")
                            person_errors.push_back({"person", fe.code, fe.reason_zh, fe.reason_en});
                    if (person_errors.empty()) person_errors = std::move(accepted.error());
                    return BadFields(c, person_errors);
                }
                for (const Person& m : accepted->household.members)
                    if (m.relation != codes::kRelationHead) request.member.joining = m;
            }
        }
        auto opened = dynamic.Open(ActorOf(p), request, Now());
        if (!opened) return DynamicFault(c, opened.error());
        return Json(c, http::status::created, CaseReply(*opened, MasksPersonalData(p.role)));
    }

    Response GetProcedure(RequestContext& c, const Principal& p, Store& store) {
        const auto id = IdParam(c, "id");
        if (!id) return NotFound(c, "案件", "case");
        service::Dynamic dynamic(store, plan, tree);
        auto found = dynamic.Find(*id, p.scope);
        if (!found) return StoreFault(c, found.error());
        if (!*found) return NotFound(c, "案件 " + std::to_string(*id), "case " + std::to_string(*id));
        return Json(c, http::status::ok, CaseReply(**found, MasksPersonalData(p.role)));
    }

    Response TakeStep(RequestContext& c, const Principal& p, Store& store) {
        const auto id = IdParam(c, "id");
        if (!id) return NotFound(c, "案件", "case");
        BodyReader r(c.request.body(), {"step", "date", "outcome", "notes", "exclusions", "version"});
        if (!r.ok()) return BadFields(c, r.errors);
        const json::object& o = r.object();
        StepRequest request;
        request.step = r.Text("step", true).value_or("");
        request.date = r.DateField("date", true).value_or(Date{});
        request.outcome = r.Text("outcome", false).value_or("");
        request.notes = r.Text("notes", false).value_or("");
        const auto version = r.Int("version", false, 1, INT64_MAX);
        if (const json::value* x = o.if_contains("exclusions"); x && !x->is_null()) {
            if (!x->is_array())
                r.errors.push_back({"exclusions", "json.type", "exclusions应为文字数组",
                                    "exclusions must be an array of strings"});
            else
                for (const json::value& e : x->get_array())
                    if (e.is_string())
                        request.exclusions.emplace_back(e.get_string());
                    else
                        r.errors.push_back({"exclusions", "json.type", "exclusions应为文字数组",
                                            "exclusions must be an array of strings"});
        }
        if (!r.errors.empty()) return BadFields(c, r.errors);
        service::Dynamic dynamic(store, plan, tree);
        auto after = dynamic.Step(ActorOf(p), *id, request, version, {}, Now());
        if (!after) return DynamicFault(c, after.error());
        return Json(c, http::status::ok, CaseReply(*after, MasksPersonalData(p.role)));
    }

    Response Timeline(RequestContext& c, const Principal& p, Store& store) {
        const std::string& code = c.params.at("code");
        service::Dynamic dynamic(store, plan, tree);
        auto cases = dynamic.Timeline(code);
        if (!cases) return StoreFault(c, cases.error());
        // A deregistered household has left the registry; its cases still say where it was.
        auto h = store.FindHousehold(code);
        if (!h) return StoreFault(c, h.error());
        const std::string division = *h ? (*h)->household.division_code
                                        : (cases->empty() ? std::string() : cases->front().division_code);
        if (division.empty() || !InScope(p.scope, division))
            return NotFound(c, "户 " + code, "household " + code);
        json::array items;
        for (const ProcedureCase& pc : *cases) items.push_back(CaseReply(pc, MasksPersonalData(p.role)));
        return Json(c, http::status::ok, json::object{{"household_code", code}, {"cases", std::move(items)}});
    }

    // The year's incidence report, from the kept one when nothing it counts has changed.
    Result<std::shared_ptr<const IncidenceReport>> KeptIncidence(Store& store, int year) {
        if (auto fresh = Refresh(store); !fresh) return std::unexpected(fresh.error());  // other writers
        const uint64_t generation = households_generation;
        auto settings = store.ListPopulation();
        if (!settings) return std::unexpected(settings.error());
        {
            std::lock_guard lock(incidence_mutex);
            if (auto it = incidences.find(year); it != incidences.end() &&
                                                 it->second.generation == generation &&
                                                 it->second.settings == *settings)
                return it->second.report;
        }
        service::Dynamic dynamic(store, plan, tree);
        auto report = dynamic.Incidence(year);
        if (!report) return std::unexpected(report.error());
        auto kept = std::make_shared<const IncidenceReport>(std::move(*report));
        std::lock_guard lock(incidence_mutex);
        incidences[year] = {generation, std::move(*settings), kept};
        return kept;
    }

    Response IncidenceRoute(RequestContext& c, const Principal& p, Store& store) {
        std::vector<FieldError> errors;
        const auto year = YearQuery(c, errors, true);
        if (!errors.empty()) return BadFields(c, errors);
        auto kept = KeptIncidence(store, *year);
        if (!kept) return StoreFault(c, kept.error());
        IncidenceReport report = **kept;  // (a copy: the scope trims it)
        // A township or village user sees their part; the county figure stays (it is public).
        const std::string scope = ScopeFilter(p);
        if (!scope.empty()) {
            std::erase_if(report.townships,
                          [&](const IncidenceUnit& u) { return !service::Overlaps(scope, u.code); });
            std::erase_if(report.villages, [&](const IncidenceUnit& u) { return !InScope(scope, u.code); });
        }
        return Json(c, http::status::ok, service::IncidenceJson(report));
    }

    Response PutPopulation(RequestContext& c, const Principal& p, Store& store) {
        BodyReader r(c.request.body(), {"year", "rural_population"});
        if (!r.ok()) return BadFields(c, r.errors);
        const auto year = r.Int("year", true, 1900, 2100);
        const auto population = r.Int("rural_population", true, 1, 1'000'000'000);
        if (!r.errors.empty()) return BadFields(c, r.errors);
        const PopulationSetting setting{c.params.at("code"), static_cast<int>(*year), *population};
        if (!tree.Find(setting.code))
            return NotFound(c, "组织机构 " + setting.code, "org unit " + setting.code);
        service::Dynamic dynamic(store, plan, tree);
        if (auto done = dynamic.SetPopulation(ActorOf(p), setting, Now()); !done)
            return DynamicFault(c, done.error());
        return Json(c, http::status::ok,
                    json::object{{"code", setting.code},
                                 {"year", setting.year},
                                 {"rural_population", setting.rural_population}});
    }

    std::optional<int> YearPath(const RequestContext& c) {
        auto y = IdParam(c, "year");
        if (!y || *y < 1900 || *y > 2100) return std::nullopt;
        return static_cast<int>(*y);
    }

    Response AdjustmentReply(RequestContext& c, const Principal& p, Store& store, int year,
                             http::status status) {
        service::Dynamic dynamic(store, plan, tree);
        auto summary = dynamic.Adjustment(year, ScopeFilter(p));
        if (!summary) return StoreFault(c, summary.error());
        auto approval = dynamic.ApprovalOf(year);
        if (!approval) return StoreFault(c, approval.error());
        return Json(c, status, service::AdjustmentJson(*summary, tree, *approval));
    }

    Response GetAdjustment(RequestContext& c, const Principal& p, Store& store) {
        const auto year = YearPath(c);
        if (!year) return NotFound(c, "年度", "year");
        return AdjustmentReply(c, p, store, *year, http::status::ok);
    }

    Response ApproveAdjustment(RequestContext& c, const Principal& p, Store& store) {
        const auto year = YearPath(c);
        if (!year) return NotFound(c, "年度", "year");
        BodyReader r(c.request.body(), {"date", "notes"});
        if (!r.ok()) return BadFields(c, r.errors);
        const auto date = r.DateField("date", true);
        const std::string notes = r.Text("notes", false).value_or("");
        if (!r.errors.empty()) return BadFields(c, r.errors);
        service::Dynamic dynamic(store, plan, tree);
        auto approved = dynamic.Approve(ActorOf(p), *year, *date, notes, Now());
        if (!approved) return DynamicFault(c, approved.error());
        return AdjustmentReply(c, p, store, *year, http::status::ok);
    }

    // The evaluation as `p` may see it, with its rates against the county's incidence in its year.
    // The sample's households outside the user's scope are left out (finding 9: a township officer
    // saw the county's whole sample); the rates stay the evaluation's own, a county figure like the
    // county's incidence. Notes are masked for masked roles.
    Result<json::object> EvaluationView(Store& store, const Principal& p, const Evaluation& e) {
        auto incidence = KeptIncidence(store, e.year);
        if (!incidence) return std::unexpected(incidence.error());
        json::object o = service::EvaluationJson(e, RatesOf(e, plan.dynamic, (*incidence)->county.incidence));
        if (auto* items = o.if_contains("items"); items && items->is_array()) {
            json::array kept;
            for (json::value& item : items->get_array()) {
                if (!item.is_object()) continue;
                json::object& it = item.get_object();
                const auto* division = it.if_contains("division_code");
                if (!division || !division->is_string() || !InScope(p.scope, division->get_string()))
                    continue;
                if (MasksPersonalData(p.role))
                    if (auto* notes = it.if_contains("notes"); notes && notes->is_string())
                        *notes = MaskIdNumbersInText(notes->get_string());
                kept.push_back(std::move(item));
            }
            *items = std::move(kept);
        }
        return o;
    }

    Response EvaluationReply(RequestContext& c, const Principal& p, Store& store, const Evaluation& e,
                             http::status status) {
        auto view = EvaluationView(store, p, e);
        if (!view) return StoreFault(c, view.error());
        return Json(c, status, *view);
    }

    Response ListEvaluations(RequestContext& c, const Principal& p, Store& store) {
        auto list = store.ListEvaluations();
        if (!list) return StoreFault(c, list.error());
        json::array items;
        for (const Evaluation& e : *list) {
            auto view = EvaluationView(store, p, e);
            if (!view) return StoreFault(c, view.error());
            items.push_back(std::move(*view));
        }
        return Json(c, http::status::ok, json::object{{"items", std::move(items)}});
    }

    Response DrawEvaluation(RequestContext& c, const Principal& p, Store& store) {
        BodyReader r(c.request.body(), {"year", "size", "seed"});
        if (!r.ok()) return BadFields(c, r.errors);
        const auto year = r.Int("year", true, 1900, 2100);
        const auto size = r.Int("size", true, 1, 100000);
        const auto seed = r.Int("seed", true, 0, INT64_MAX);
        if (!r.errors.empty()) return BadFields(c, r.errors);
        service::Dynamic dynamic(store, plan, tree);
        auto e =
            dynamic.Draw(ActorOf(p), static_cast<int>(*year), *size, static_cast<uint64_t>(*seed), Now());
        if (!e) return DynamicFault(c, e.error());
        return EvaluationReply(c, p, store, *e, http::status::created);
    }

    Response GetEvaluation(RequestContext& c, const Principal& p, Store& store) {
        const auto id = IdParam(c, "id");
        if (!id) return NotFound(c, "评估", "evaluation");
        auto e = store.FindEvaluation(*id);
        if (!e) return StoreFault(c, e.error());
        if (!*e) return NotFound(c, "评估 " + std::to_string(*id), "evaluation " + std::to_string(*id));
        return EvaluationReply(c, p, store, **e, http::status::ok);
    }

    Response PatchEvaluation(RequestContext& c, const Principal& p, Store& store) {
        const auto id = IdParam(c, "id");
        if (!id) return NotFound(c, "评估", "evaluation");
        BodyReader r(c.request.body(),
                     {"non_poor_surveyed", "missed_found", "approval_surveyed", "approval_satisfied"});
        if (!r.ok()) return BadFields(c, r.errors);
        service::Dynamic::Survey survey{r.Int("non_poor_surveyed", false, 0, INT64_MAX),
                                        r.Int("missed_found", false, 0, INT64_MAX),
                                        r.Int("approval_surveyed", false, 0, INT64_MAX),
                                        r.Int("approval_satisfied", false, 0, INT64_MAX)};
        if (!r.errors.empty()) return BadFields(c, r.errors);
        service::Dynamic dynamic(store, plan, tree);
        auto e = dynamic.RecordSurvey(ActorOf(p), *id, survey, Now());
        if (!e) return DynamicFault(c, e.error());
        return EvaluationReply(c, p, store, *e, http::status::ok);
    }

    Response JudgeItem(RequestContext& c, const Principal& p, Store& store) {
        const auto id = IdParam(c, "id");
        if (!id) return NotFound(c, "评估", "evaluation");
        BodyReader r(c.request.body(), {"verdict", "notes"});
        if (!r.ok()) return BadFields(c, r.errors);
        const auto verdict_name = r.Text("verdict", true);
        std::optional<Verdict> verdict;
        if (verdict_name && !(verdict = ParseVerdict(*verdict_name)))
            r.errors.push_back({"verdict", "json.verdict", "verdict应为correct、wrongful或pending",
                                "verdict must be correct, wrongful or pending"});
        const std::string notes = r.Text("notes", false).value_or("");
        if (!r.errors.empty()) return BadFields(c, r.errors);
        service::Dynamic dynamic(store, plan, tree);
        auto e = dynamic.Judge(ActorOf(p), *id, c.params.at("code"), *verdict, notes, Now());
        if (!e) return DynamicFault(c, e.error());
        return EvaluationReply(c, p, store, *e, http::status::ok);
    }
};

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
            impl->search_rate.reset();
        else if (std::sscanf(text.c_str(), "%lf%c%lf", &burst, &slash, &per_second) == 3 && slash == '/' &&
                 burst >= 1 && per_second > 0)
            impl->search_rate = RateLimit{burst, per_second};
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
        if (auto r = impl->Rebuild(*store); !r) return std::unexpected(r.error());
    }
    {  // Today's county report, built once at start so the first battle map need not wait for it.
        auto store = impl->pool->Acquire();
        const auto days = std::chrono::floor<std::chrono::days>(impl->auth.Now());
        auto report = impl->CachedProgress(
            *store, Date::FromDaysSinceEpoch(static_cast<long>(days.time_since_epoch().count())), "");
        if (!report) return std::unexpected(report.error());
    }
    return std::unique_ptr<Api>(new Api(std::move(impl)));
}

void Api::CancelImports() { impl_->import_stop.request_stop(); }

void Api::Register(Router& router) {
    Impl& s = *impl_;
    using V = http::verb;
    auto authed = [&s](auto method) {
        return s.Authed([&s, method](RequestContext& c, const Principal& p, Store& store) {
            return (s.*method)(c, p, store);
        });
    };
    // Where routes run (http.h Lane): health, the OpenAPI document and the point reads (me, one
    // household) on the I/O threads; login and
    // the user routes (password hashing) on the login lane; long work (`true` below) on the blocking
    // lane; every other route, all of which read or write the store, on the work lane.
    router.Add({V::get, "/healthz",
                [](RequestContext& c) { return Json(c, http::status::ok, json::object{{"status", "ok"}}); },
                false, 0, Lane::kInline});
    router.Add({V::get, "/api/openapi.json",
                [](RequestContext& c) {
                    return JsonResponse(c.request, http::status::ok, std::string(OpenApiDocument()));
                },
                false, 0, Lane::kInline});
    router.Add({V::post, "/api/login", [&s](RequestContext& c) { return s.Login(c); }, false, kLoginBodyLimit,
                Lane::kLogin, [&s](RequestContext& c) { return s.AdmitLogin(c); }});
    router.Add({V::post, "/api/logout", authed(&Impl::Logout)});
    router.Add({V::get, "/api/me",
                s.Authed([&s](RequestContext& c, const Principal& p, Store&) {
                    return Json(c, http::status::ok, PrincipalJson(p, s.tree));
                }),
                false, 0, Lane::kInline});
    router.Add({V::get, "/api/org-units",
                s.Authed([&s](RequestContext& c, const Principal& p, Store&) { return s.OrgUnits(c, p); })});
    router.Add({V::get, "/api/plan",
                s.Authed([&s](RequestContext& c, const Principal&, Store&) { return s.PlanRoute(c); })});
    router.Add({V::get, "/api/codes",
                s.Authed([&s](RequestContext& c, const Principal& p, Store&) { return s.Codes(c, p); })});
    // On the worker pool: a search (q=) is milliseconds from the index, but a page of 200 still reads
    // 200 households from the store, which is no work for a connection thread.
    router.Add({V::get, "/api/households", authed(&Impl::ListHouseholds), true});
    router.Add({V::post, "/api/households", authed(&Impl::CreateHousehold)});
    router.Add({V::get, "/api/households/{code}", authed(&Impl::GetHousehold), false, 0, Lane::kInline});
    router.Add({V::put, "/api/households/{code}", authed(&Impl::UpdateHousehold)});
    router.Add({V::get, "/api/households/{code}/history", authed(&Impl::History)});
    router.Add({V::post, "/api/imports", authed(&Impl::Import), true, s.config.import_body_limit, Lane::kBlocking,
                {}, true});
    router.Add({V::get, "/api/imports/{id}", authed(&Impl::GetImport)});
    router.Add({V::get, "/api/imports/{id}/errors.csv", authed(&Impl::ImportErrors)});
    router.Add({V::get, "/api/exports/registry.csv",
                s.Authed([&s](RequestContext& c, const Principal& p, Store& store) {
                    return s.Export(c, p, store, io::ExportFormat::kCsv);
                }),
                true});
    router.Add({V::get, "/api/exports/registry.xlsx",
                s.Authed([&s](RequestContext& c, const Principal& p, Store& store) {
                    return s.Export(c, p, store, io::ExportFormat::kXlsx);
                }),
                true});
    router.Add({V::get, "/api/reports/progress", authed(&Impl::Progress), true});
    router.Add({V::get, "/api/check", authed(&Impl::Check), true});
    router.Add({V::get, "/api/reconcile", authed(&Impl::ReconcileRoute), true});
    router.Add({V::get, "/api/audit", authed(&Impl::Audit)});
    router.Add({V::get, "/api/users", authed(&Impl::ListUsers)});
    router.Add({V::post, "/api/users", authed(&Impl::CreateUser), false, kUserBodyLimit, Lane::kLogin});
    router.Add({V::patch, "/api/users/{username}", authed(&Impl::UpdateUser), false, kUserBodyLimit, Lane::kLogin});
    router.Add({V::get, "/api/exit-candidates", authed(&Impl::ExitCandidatesRoute), true});
    router.Add({V::get, "/api/procedures", authed(&Impl::ListProcedures)});
    router.Add({V::post, "/api/procedures", authed(&Impl::OpenProcedure), true});
    router.Add({V::get, "/api/procedures/{id}", authed(&Impl::GetProcedure)});
    router.Add({V::post, "/api/procedures/{id}/steps", authed(&Impl::TakeStep)});
    router.Add({V::get, "/api/households/{code}/timeline", authed(&Impl::Timeline)});
    router.Add({V::get, "/api/incidence", authed(&Impl::IncidenceRoute), true});
    router.Add({V::put, "/api/org-units/{code}/population", authed(&Impl::PutPopulation)});
    router.Add({V::get, "/api/adjustments/{year}", authed(&Impl::GetAdjustment)});
    router.Add({V::post, "/api/adjustments/{year}/approve", authed(&Impl::ApproveAdjustment)});
    router.Add({V::get, "/api/evaluations", authed(&Impl::ListEvaluations), true});
    router.Add({V::post, "/api/evaluations", authed(&Impl::DrawEvaluation), true});
    router.Add({V::get, "/api/evaluations/{id}", authed(&Impl::GetEvaluation), true});
    router.Add({V::patch, "/api/evaluations/{id}", authed(&Impl::PatchEvaluation), true});
    router.Add({V::put, "/api/evaluations/{id}/items/{code}", authed(&Impl::JudgeItem), true});
    router.SetFallback([&s](RequestContext& c) { return s.Static(c); });
}

}  // namespace jz::server
