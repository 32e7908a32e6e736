// Reading the store's JSON documents back (household_json.cc, procedure_json.cc): typed field
// access on Boost.JSON values that remembers the first problem instead of failing at each call, so
// a decoder reads every field in a row and checks once at the end. Internal to the store.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/error.h"
#include "core/household.h"

namespace jz::json_reader {

class Reader {
  public:
    // `what` names the document in messages ("household", "case", ...).
    explicit Reader(std::string what) : what_(std::move(what)) {}

    bool ok() const { return !error_; }
    const Error& error() const { return *error_; }
    // Records a problem with `field` (the first one wins).
    void Bad(std::string_view field, std::string_view expected) {
        if (error_) return;
        const std::string f(field);
        error_ = Error{.code = "json.invalid",
                       .field = f,
                       .message_zh = what_ + " JSON 字段 " + f + " 无效(应为" + std::string(expected) + ")",
                       .message_en = what_ + " JSON: field " + f + " is invalid (expected " +
                                     std::string(expected) + ")"};
    }
    void BadDocument(std::string_view detail) {
        if (error_) return;
        error_ = Error{.code = "json.invalid",
                       .field = "",
                       .message_zh = what_ + " JSON 无法解析: " + std::string(detail),
                       .message_en = what_ + " JSON cannot be parsed: " + std::string(detail)};
    }

    // The document as an object; nullptr (and an error) when it is not JSON or not an object.
    const boost::json::object* Parse(std::string_view text, boost::json::value& holder) {
        boost::system::error_code ec;
        holder = boost::json::parse(text, ec);
        if (ec) {
            BadDocument(ec.message());
            return nullptr;
        }
        if (!holder.is_object()) {
            BadDocument("not an object");
            return nullptr;
        }
        return &holder.as_object();
    }

    // A present, non-null value, or nullptr (recording an error when `required`).
    const boost::json::value* Find(const boost::json::object& o, std::string_view key, bool required) {
        const boost::json::value* v = o.if_contains(key);
        if (v && !v->is_null()) return v;
        if (required) Bad(key, "a value");
        return nullptr;
    }

    std::string String(const boost::json::object& o, std::string_view key) {
        const boost::json::value* v = Find(o, key, true);
        if (!v) return {};
        if (!v->is_string()) {
            Bad(key, "a string");
            return {};
        }
        return std::string(v->as_string());
    }
    std::optional<int64_t> OptInt(const boost::json::object& o, std::string_view key,
                                  int64_t min = std::numeric_limits<int64_t>::min(),
                                  int64_t max = std::numeric_limits<int64_t>::max()) {
        const boost::json::value* v = Find(o, key, false);
        if (!v) return std::nullopt;
        if (!v->is_int64() || v->as_int64() < min || v->as_int64() > max) {
            Bad(key, "an integer");
            return std::nullopt;
        }
        return v->as_int64();
    }
    int64_t Int(const boost::json::object& o, std::string_view key) {
        if (!Find(o, key, true)) return 0;
        return OptInt(o, key).value_or(0);
    }
    std::optional<int> OptInt32(const boost::json::object& o, std::string_view key) {
        auto v = OptInt(o, key, std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
        if (!v) return std::nullopt;
        return static_cast<int>(*v);
    }
    int Int32(const boost::json::object& o, std::string_view key) {
        if (!Find(o, key, true)) return 0;
        return OptInt32(o, key).value_or(0);
    }
    std::optional<bool> OptBool(const boost::json::object& o, std::string_view key) {
        const boost::json::value* v = Find(o, key, false);
        if (!v) return std::nullopt;
        if (!v->is_bool()) {
            Bad(key, "true or false");
            return std::nullopt;
        }
        return v->as_bool();
    }
    bool Bool(const boost::json::object& o, std::string_view key) {
        if (!Find(o, key, true)) return false;
        return OptBool(o, key).value_or(false);
    }
    // A decimal with at most two fraction digits, as a string ("3520.5"), in hundredths.
    std::optional<int64_t> OptCenti(const boost::json::object& o, std::string_view key) {
        const boost::json::value* v = Find(o, key, false);
        if (!v) return std::nullopt;
        std::optional<int64_t> c;
        if (v->is_string()) c = ParseCenti(std::string_view(v->as_string()));
        if (!c) Bad(key, "a decimal string");
        return c;
    }
    // YYYY-MM-DD; the empty date (0000-00-00) as Date::ToString writes it comes back too.
    std::optional<Date> OptDate(const boost::json::object& o, std::string_view key) {
        const boost::json::value* v = Find(o, key, false);
        if (!v) return std::nullopt;
        if (v->is_string()) {
            const std::string_view t(v->as_string());
            if (auto d = Date::Parse(t); d && t.size() == 10 && t[4] == '-') return d;
            if (t == Date{}.ToString()) return Date{};
        }
        Bad(key, "a date YYYY-MM-DD");
        return std::nullopt;
    }
    Date DateOf(const boost::json::object& o, std::string_view key) {
        if (!Find(o, key, true)) return {};
        return OptDate(o, key).value_or(Date{});
    }
    const boost::json::array* Array(const boost::json::object& o, std::string_view key) {
        const boost::json::value* v = Find(o, key, true);
        if (!v) return nullptr;
        if (!v->is_array()) {
            Bad(key, "an array");
            return nullptr;
        }
        return &v->as_array();
    }
    // Elements of an array that must be objects; nullptr for the others (recording an error).
    const boost::json::object* ObjectIn(const boost::json::value& v, std::string_view key) {
        if (v.is_object()) return &v.as_object();
        Bad(key, "an array of objects");
        return nullptr;
    }
    std::vector<int> Ints(const boost::json::object& o, std::string_view key) {
        std::vector<int> out;
        const boost::json::array* a = Array(o, key);
        if (!a) return out;
        for (const boost::json::value& v : *a) {
            if (!v.is_int64() || v.as_int64() < std::numeric_limits<int>::min() ||
                v.as_int64() > std::numeric_limits<int>::max()) {
                Bad(key, "an array of integers");
                return {};
            }
            out.push_back(static_cast<int>(v.as_int64()));
        }
        return out;
    }
    std::vector<std::string> Strings(const boost::json::object& o, std::string_view key) {
        std::vector<std::string> out;
        const boost::json::array* a = Array(o, key);
        if (!a) return out;
        for (const boost::json::value& v : *a) {
            if (!v.is_string()) {
                Bad(key, "an array of strings");
                return {};
            }
            out.emplace_back(v.as_string());
        }
        return out;
    }

  private:
    std::string what_;
    std::optional<Error> error_;
};

}  // namespace jz::json_reader

namespace jz {
// The household from an already parsed HouseholdToJson object (household_json.cc).
Household HouseholdFromObject(const boost::json::object& o, json_reader::Reader& reader);
}  // namespace jz
