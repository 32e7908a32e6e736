// Reading an API request's JSON body field by field (internal to src/service): the first problem
// is kept as an Error naming the field, with the reason in both languages, under the code given.
// Shared by the ledger's and pairing's body parsers (assistance.cc, pairing.cc).
#pragma once

#include <boost/json.hpp>
#include <climits>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/error.h"
#include "core/household.h"

namespace jz::service::detail {

namespace json = boost::json;

class BodyReader {
  public:
    BodyReader(const json::object& o, std::string code) : o_(o), code_(std::move(code)) {}
    bool ok() const { return !error_; }
    const Error& error() const { return *error_; }

    const json::value* Get(std::string_view key) const {
        auto it = o_.find(key);
        if (it == o_.end() || it->value().is_null()) return nullptr;
        return &it->value();
    }
    void Problem(std::string_view field, const std::string& zh, const std::string& en) {
        if (!error_) error_ = Error{.code = code_, .field = std::string(field), .message_zh = zh, .message_en = en};
    }
    std::string String(std::string_view key, bool required = false) {
        const json::value* v = Get(key);
        if (!v) {
            if (required) Problem(key, "必填", "is required");
            return {};
        }
        if (!v->is_string()) {
            Problem(key, "应为文本", "must be a string");
            return {};
        }
        return std::string(v->as_string());
    }
    std::optional<int64_t> Int(std::string_view key, bool required = false) {
        const json::value* v = Get(key);
        if (!v) {
            if (required) Problem(key, "必填", "is required");
            return std::nullopt;
        }
        if (v->is_int64()) return v->as_int64();
        if (v->is_uint64() && v->as_uint64() <= INT64_MAX) return static_cast<int64_t>(v->as_uint64());
        if (v->is_double() && std::trunc(v->as_double()) == v->as_double() && std::abs(v->as_double()) < 1e15)
            return static_cast<int64_t>(v->as_double());
        Problem(key, "应为整数", "must be a whole number");
        return std::nullopt;
    }
    bool Bool(std::string_view key) {
        const json::value* v = Get(key);
        if (!v) return false;
        if (!v->is_bool()) {
            Problem(key, "应为 true 或 false", "must be true or false");
            return false;
        }
        return v->as_bool();
    }
    std::optional<int> Int32(std::string_view key, bool required = false) {
        auto v = Int(key, required);
        if (!v) return std::nullopt;
        if (*v < INT32_MIN || *v > INT32_MAX) {
            Problem(key, "数值超出范围", "is out of range");
            return std::nullopt;
        }
        return static_cast<int>(*v);
    }
    std::optional<Date> DateOf(std::string_view key, bool required = false) {
        const std::string text = String(key, required);
        if (text.empty()) return std::nullopt;
        auto d = Date::Parse(text);
        if (!d || text.size() != 10) {
            Problem(key, "日期格式应为 YYYY-MM-DD: " + text, "must be a date YYYY-MM-DD: " + text);
            return std::nullopt;
        }
        return d;
    }
    // Yuan as a decimal string ("3520.5") or a number with at most two decimals, in fen.
    std::optional<Fen> Yuan(std::string_view key) {
        const json::value* v = Get(key);
        if (!v) return std::nullopt;
        const std::string zh = "应为金额(元,最多两位小数)", en = "must be an amount in yuan with at most two decimals";
        if (v->is_string()) {
            if (auto c = ParseCenti(v->as_string())) return c;
            Problem(key, zh + ": " + std::string(v->as_string()), en + ": " + std::string(v->as_string()));
            return std::nullopt;
        }
        if (v->is_int64() || v->is_uint64()) {
            const double d = v->to_number<double>();
            if (std::abs(d) < 1e15) return static_cast<Fen>(std::llround(d * 100));
        } else if (v->is_double()) {
            const double d = v->as_double(), centi = d * 100;
            if (std::isfinite(d) && std::abs(d) < 1e15 && std::abs(centi - std::round(centi)) < 1e-6)
                return static_cast<Fen>(std::llround(centi));
        }
        Problem(key, zh, en);
        return std::nullopt;
    }
    std::vector<std::string> Strings(std::string_view key) {
        std::vector<std::string> out;
        const json::value* v = Get(key);
        if (!v) return out;
        if (!v->is_array()) {
            Problem(key, "应为文本列表", "must be a list of strings");
            return out;
        }
        for (const json::value& e : v->as_array()) {
            if (!e.is_string()) {
                Problem(key, "应为文本列表", "must be a list of strings");
                return {};
            }
            out.emplace_back(e.as_string());
        }
        return out;
    }
    // Keys outside `known` are refused (a typo must not pass silently).
    void OnlyKeys(std::initializer_list<std::string_view> known) {
        for (const auto& kv : o_)
            if (std::ranges::find(known, std::string_view(kv.key())) == known.end())
                Problem(kv.key(), "未知字段", "unknown field");
    }

  private:
    const json::object& o_;
    std::string code_;
    std::optional<Error> error_;
};

}  // namespace jz::service::detail
