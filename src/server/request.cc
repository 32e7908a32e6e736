// The shared request and response helpers of the API handlers (request.h).
#include "server/request.h"

#include <boost/json.hpp>
#include <charconv>

#include "core/access.h"
#include "core/id_number.h"
#include "service/dynamic.h"

namespace jz::server {

namespace json = boost::json;
namespace beast = boost::beast;
namespace fs = std::filesystem;

// ------------------------------------------------------------------------------- response helpers

Response Json(const RequestContext& c, http::status status, const json::value& v) {
    return JsonResponse(c.request, status, json::serialize(v));
}

json::array FieldsJson(const std::vector<Error>& fields) {
    json::array out;
    for (const Error& f : fields)
        out.push_back({{"field", f.field},
                       {"code", f.code},
                       {"reason", f.message_zh + " / " + f.message_en},
                       {"reason_zh", f.message_zh},
                       {"reason_en", f.message_en}});
    return out;
}

// 429 with Retry-After (whole seconds, at least one) and no caching.
Response TooMany(const RequestContext& c, std::chrono::seconds wait, std::string_view code,
                 const std::string& zh, const std::string& en) {
    http::response<http::string_body> res{http::status::too_many_requests, c.request.version()};
    res.set(http::field::content_type, "application/json; charset=utf-8");
    res.set(http::field::cache_control, "no-store");
    res.set(http::field::retry_after, std::to_string(std::max<int64_t>(1, wait.count())));
    res.keep_alive(c.request.keep_alive());
    res.body() = json::serialize(ErrorJson(code, zh, en));
    res.prepare_payload();
    return res;
}

Response Fault(const RequestContext& c, http::status status, std::string_view code, const std::string& zh,
               const std::string& en, const std::vector<Error>& fields) {
    return Json(c, status, ErrorJson(code, zh, en, FieldsJson(fields)));
}

// A domain error: its field becomes the one field entry.
Response FaultOf(const RequestContext& c, http::status status, const Error& e) {
    std::vector<Error> fields;
    if (!e.field.empty()) fields.push_back({.code = e.code, .field = e.field, .message_zh = e.message_zh, .message_en = e.message_en});
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
                                std::vector<Error>& errors, int64_t lo, int64_t hi) {
    auto it = c.query.find(name);
    if (it == c.query.end() || it->second.empty()) return std::nullopt;
    int64_t v = 0;
    auto [p, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
    if (ec != std::errc() || p != it->second.data() + it->second.size() || v < lo || v > hi) {
        errors.push_back(
            {.code = "query.integer", .field = name, .message_zh = name + "应为" + std::to_string(lo) + "至" + std::to_string(hi) + "的整数", .message_en = name + " must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi)});
        return std::nullopt;
    }
    return v;
}

// A code-table parameter: the code or its name.
std::optional<int> CodeParam(const RequestContext& c, const std::string& name, const CodeTable& table,
                             std::vector<Error>& errors) {
    auto it = c.query.find(name);
    if (it == c.query.end() || it->second.empty()) return std::nullopt;
    auto code = table.Parse(it->second);
    if (!code) {
        errors.push_back({.code = "query.code", .field = name, .message_zh = name + "不是有效的" + std::string(table.label_zh) + ": " + it->second, .message_en = name + " is not a known " + std::string(table.id) + ": " + it->second});
        return std::nullopt;
    }
    return code;
}

json::value ParseJson(const std::string& body, std::vector<Error>& errors) {
    json::error_code ec;
    json::value v = json::parse(body, ec);
    if (ec)
        errors.push_back({.code = "json.malformed", .field = "body", .message_zh = "请求体不是有效的JSON: " + ec.message(), .message_en = "the body is not valid JSON: " + ec.message()});
    return v;
}

// The body as a JSON object: malformed JSON or another kind of value is an error on "body".
json::value ParseJsonObject(const std::string& body, std::vector<Error>& errors) {
    json::value v = ParseJson(body, errors);
    if (errors.empty() && !v.is_object())
        errors.push_back({.code = "json.type", .field = "body", .message_zh = "请求体应为JSON对象", .message_en = "the body must be a JSON object"});
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

Response BadFields(const RequestContext& c, const std::vector<Error>& errors) {
    const Error& f = errors.front();
    return Fault(c, http::status::bad_request, f.code, f.message_zh, f.message_en, errors);
}

Response Invalid(const RequestContext& c, const std::vector<Error>& errors, bool query) {
    if (query)
        return Fault(c, http::status::bad_request, "request.invalid", "查询参数有误",
                     "invalid query parameters", errors);
    return Fault(c, http::status::bad_request, "request.invalid", "请求内容有误", "the request is invalid",
                 errors);
}

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

std::optional<int> YearQuery(const RequestContext& c, std::vector<Error>& errors, bool required) {
    auto y = IntParam(c, "year", errors, 1900, 2100);
    if (!y && required && errors.empty())
        errors.push_back({.code = "query.required", .field = "year", .message_zh = "year为必填参数", .message_en = "year is required"});
    return y ? std::optional<int>(static_cast<int>(*y)) : std::nullopt;
}

std::optional<int64_t> IdParam(const RequestContext& c, const std::string& name) {
    const std::string& text = c.params.at(name);
    int64_t v = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || ptr != text.data() + text.size() || v <= 0) return std::nullopt;
    return v;
}

std::optional<int> YearPath(const RequestContext& c) {
    auto y = IdParam(c, "year");
    if (!y || *y < 1900 || *y > 2100) return std::nullopt;
    return static_cast<int>(*y);
}

IfMatch CheckIfMatch(const RequestContext& c, int64_t version) {
    const auto if_match = c.request[http::field::if_match];
    if (if_match.empty()) return IfMatch::kMissing;
    return if_match == ETagOf(version) || if_match == "*" ? IfMatch::kMatches : IfMatch::kStale;
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

json::value WithChainHead(Store& store, json::value report) {
    if (auto head = store.Head(); head && report.is_object())
        report.as_object()["chain_head"] = {{"seq", head->seq}, {"hash", head->hash}};
    return report;
}

// ------------------------------------------------------------------------------------ bodies

BodyReader::BodyReader(const std::string& body, std::initializer_list<std::string_view> allowed) {
    value = ParseJsonObject(body, errors);
    if (!errors.empty()) return;
    parsed = true;
    for (const auto& [key, v] : value.get_object())
        if (std::ranges::find(allowed, std::string_view(key)) == allowed.end())
            errors.push_back({.code = "json.unknown_field", .field = std::string(key), .message_zh = "未知字段: " + std::string(key), .message_en = "unknown field: " + std::string(key)});
}
std::optional<std::string> BodyReader::Text(std::string_view key, bool required) {
    const json::value* v = object().if_contains(key);
    if (!v || v->is_null()) {
        if (required)
            errors.push_back({.code = "json.required", .field = std::string(key), .message_zh = std::string(key) + "为必填项", .message_en = std::string(key) + " is required"});
        return std::nullopt;
    }
    if (!v->is_string()) {
        errors.push_back({.code = "json.type", .field = std::string(key), .message_zh = std::string(key) + "应为文字", .message_en = std::string(key) + " must be a string"});
        return std::nullopt;
    }
    return std::string(v->get_string());
}
std::optional<int64_t> BodyReader::Int(std::string_view key, bool required, int64_t lo, int64_t hi) {
    const json::value* v = object().if_contains(key);
    if (!v || v->is_null()) {
        if (required)
            errors.push_back({.code = "json.required", .field = std::string(key), .message_zh = std::string(key) + "为必填项", .message_en = std::string(key) + " is required"});
        return std::nullopt;
    }
    if (!v->is_int64() || v->get_int64() < lo || v->get_int64() > hi) {
        errors.push_back(
            {.code = "json.type", .field = std::string(key), .message_zh = std::string(key) + "应为" + std::to_string(lo) + "至" + std::to_string(hi) + "的整数", .message_en = std::string(key) + " must be an integer from " + std::to_string(lo) + " to " +
                 std::to_string(hi)});
        return std::nullopt;
    }
    return v->get_int64();
}
std::optional<Date> BodyReader::DateField(std::string_view key, bool required) {
    auto text = Text(key, required);
    if (!text) return std::nullopt;
    auto d = Date::Parse(*text);
    if (!d)
        errors.push_back({.code = "json.date", .field = std::string(key), .message_zh = std::string(key) + "应为日期 YYYY-MM-DD", .message_en = std::string(key) + " must be a date YYYY-MM-DD"});
    return d;
}

// -------------------------------------------------------------------------------------- files

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
    // Exports and error files carry personal data: never kept by a browser or a proxy.
    res.set(http::field::cache_control, "no-store");
    if (!download_name.empty())
        res.set(http::field::content_disposition, "attachment; filename=\"" + download_name + "\"");
    res.keep_alive(request.keep_alive());
    res.prepare_payload();
    if (request.method() == http::verb::head) {
        http::response<http::empty_body> head{http::status::ok, request.version()};
        head.set(http::field::content_type, content_type);
        head.set(http::field::cache_control, "no-store");
        head.content_length(res.payload_size());
        head.keep_alive(request.keep_alive());
        return Response(std::move(head));
    }
    return Response(std::move(res));
}

}  // namespace jz::server
