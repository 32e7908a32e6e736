// The state the API's handlers share (api_state.h).
#include "server/api_state.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "core/id_number.h"
#include "service/reports.h"

namespace jz::server {

namespace json = boost::json;
namespace fs = std::filesystem;

std::optional<std::chrono::seconds> SearchLimiter::Take(const RequestContext& c) {
    if (!rate) return std::nullopt;
    const uint64_t key = std::hash<std::string>{}(CookieValue(c.request, kCookie));
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    if (!buckets_.contains(key) && buckets_.size() >= kSessions) {
        std::erase_if(buckets_, [&](const auto& kv) { return IsFull(kv.second, *rate, now); });
        if (buckets_.size() >= kSessions) {  // all busy: forget the longest unused
            auto oldest = std::ranges::min_element(
                buckets_, [](const auto& a, const auto& b) { return a.second.last < b.second.last; });
            buckets_.erase(oldest);
        }
    }
    return TakeToken(buckets_[key], *rate, now);
}

std::optional<std::string> ApiState::DivisionParam(const RequestContext& c, const Principal& p,
                                                   std::optional<Response>& error) const {
    auto it = c.query.find("division");
    if (it == c.query.end() || it->second.empty()) return p.scope;
    if (!tree.Find(it->second)) {
        error.emplace(Fault(c, http::status::bad_request, "query.division",
                            "未知的行政区划代码: " + it->second, "unknown division code: " + it->second,
                            {{.code = "query.division", .field = "division", .message_zh = "未知的行政区划代码", .message_en = "unknown division code"}}));
        return std::nullopt;
    }
    if (!InScope(p.scope, it->second)) {
        error.emplace(NotFound(c, "行政区划 " + it->second, "division " + it->second));
        return std::nullopt;
    }
    return it->second;
}

std::optional<Date> ApiState::AsOfParam(const RequestContext& c, std::optional<Response>& error) const {
    auto it = c.query.find("as_of");
    if (it == c.query.end() || it->second.empty()) {
        return Today();
    }
    auto d = Date::Parse(it->second);
    if (!d)
        error.emplace(Fault(c, http::status::bad_request, "query.as_of", "as_of 应为日期 YYYY-MM-DD",
                            "as_of must be a date YYYY-MM-DD",
                            {{.code = "query.as_of", .field = "as_of", .message_zh = "应为日期 YYYY-MM-DD", .message_en = "must be a date YYYY-MM-DD"}}));
    return d;
}

// The list's filters (division, status, cause, measure, attribute, overdue); problems go to
// `errors`, an out-of-scope or unknown division to `error`.
IndexQuery ApiState::ListFilters(const RequestContext& c, const Principal& p, std::vector<Error>& errors,
                                 std::optional<Response>& error) const {
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
            errors.push_back({.code = "query.measure", .field = "measure", .message_zh = "计划中没有这项帮扶措施: " + it->second, .message_en = "the plan has no such measure: " + it->second});
    }
    if (auto y = IntParam(c, "overdue", errors, 1900, 2200)) q.overdue_before = static_cast<int>(*y);
    if (auto y = IntParam(c, "planned_exit_year", errors, 1900, 2200))
        q.planned_exit_year = static_cast<int>(*y);
    if (auto y = IntParam(c, "exit_year", errors, 1900, 2200)) q.exit_year = static_cast<int>(*y);
    return q;
}

std::optional<HouseholdRecord> ApiState::Visible(const RequestContext& c, const Principal& p, Store& store,
                                                 std::optional<Response>& error) const {
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

std::optional<service::AcceptedHousehold> ApiState::AcceptHousehold(const RequestContext& c,
                                                                    const Principal& p, Store& store,
                                                                    const std::string& code, json::value body,
                                                                    std::vector<Error> errors,
                                                                    std::optional<Response>& error) const {
    if (errors.empty() && body.is_object() && !code.empty()) {
        auto& o = body.get_object();
        if (!o.contains("household_code")) o["household_code"] = code;
        if (const auto* v = o.if_contains("household_code"); v->is_string() && v->get_string() != code)
            errors.push_back({.code = "household_code.changed", .field = "household_code", .message_zh = "户编号不能修改(地址中为" + code + ")", .message_en = "the household code cannot change (the address names " + code + ")"});
    }
    std::optional<service::AcceptedHousehold> accepted;
    if (errors.empty()) {
        auto a = service::AcceptHouseholdJson(body, AssemblyContext{plan, tree});
        if (!a)
            errors = std::move(a.error());
        else
            accepted = std::move(*a);
    }
    if (accepted && code.empty())
        if (auto e = service::CheckNewHouseholdCode(accepted->household)) errors.push_back(std::move(*e));
    if (accepted && !InScope(p.scope, accepted->household.division_code))
        errors.push_back(
            {.code = "division_code.out_of_scope", .field = "division_code", .message_zh = "行政区划代码" + accepted->household.division_code + "不在您的管辖范围(" + p.scope + ")内", .message_en = "division code " + accepted->household.division_code + " is outside your scope (" + p.scope +
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

Result<json::object> ApiState::CaseReply(Store& store, const ProcedureCase& c, bool mask) const {
    auto head = service::HeadNameOf(store, c);
    if (!head) return std::unexpected(head.error());
    json::object o = service::CaseJson(c, plan, *head);
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

ChangeContext ApiState::Change(const Principal& p) const { return {p.username, Now(), std::nullopt}; }

std::string ApiState::Now() const { return FormatIsoTime(auth.Now()); }

// The county's day: it turns at midnight Beijing time (UTC+8, no daylight saving), so a report
// asked for at 07:00 in Chayu is about today, not about yesterday in UTC.
Date ApiState::Today() const {
    return Date::BeijingDayOf(std::chrono::floor<std::chrono::seconds>(auth.Now()));
}

std::string ApiState::TempPath(std::string_view suffix) {
    fs::create_directories(config.data_dir);
    return (fs::path(config.data_dir) / ("tmp-" + std::to_string(::getpid()) + "-" +
                                         std::to_string(temp_counter++) + std::string(suffix)))
        .string();
}

std::string ApiState::ErrorsPath(int64_t import_id) const {
    return (fs::path(config.data_dir) / ("import-" + std::to_string(import_id) + ".errors.csv")).string();
}

Result<std::shared_ptr<const ProgressReport>> ApiState::KeptProgress(Store& store, const Date& as_of,
                                                                     const std::string& scope) {
    if (auto r = upkeep.Refresh(store); !r) return std::unexpected(r.error());  // notices other writers
    return progress.Get(as_of.ToString() + "|" + scope, upkeep.generation(),
                        [&] { return service::BuildProgress(store, plan, tree, as_of, scope); });
}

Result<std::shared_ptr<const IncidenceReport>> ApiState::KeptIncidence(Store& store, int year) {
    if (auto fresh = upkeep.Refresh(store); !fresh) return std::unexpected(fresh.error());  // other writers
    const uint64_t generation = upkeep.generation();
    auto settings = store.ListPopulation();
    if (!settings) return std::unexpected(settings.error());
    // The population settings are part of the key: a changed setting moves no household.
    std::string key = std::to_string(year);
    for (const PopulationSetting& s : *settings)
        key += "|" + s.code + ":" + std::to_string(s.year) + ":" + std::to_string(s.rural_population);
    return incidence.Get(key, generation, [&] {
        service::Dynamic dynamic(store, plan, tree);
        return dynamic.Incidence(year);
    });
}

}  // namespace jz::server
