#include "service/household_input.h"

#include <cctype>
#include <charconv>

#include "core/access.h"
#include "core/layout.h"

namespace jz::service {
namespace {

Error TypeError(const std::string& field, std::string_view expected_zh, std::string_view expected_en) {
    return {.code = "json.type",
            .field = field,
            .message_zh = field + "的类型不对,应为" + std::string(expected_zh),
            .message_en = field + " has the wrong type: expected " + std::string(expected_en)};
}

// The cell text of one JSON value, as a person would type it in the file.
bool CellText(const boost::json::value& v, const std::string& field, std::string& out,
              std::vector<Error>& errors) {
    switch (v.kind()) {
        case boost::json::kind::null:
            out.clear();
            return true;
        case boost::json::kind::string:
            out = std::string(v.get_string());
            return true;
        case boost::json::kind::int64:
            out = std::to_string(v.get_int64());
            return true;
        case boost::json::kind::uint64:
            out = std::to_string(v.get_uint64());
            return true;
        case boost::json::kind::double_: {
            char buf[64];
            auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v.get_double());
            out.assign(buf, p);
            return true;
        }
        case boost::json::kind::bool_:
            out = v.get_bool() ? "1" : "0";
            return true;
        case boost::json::kind::array: {
            out.clear();
            for (const auto& item : v.get_array()) {
                std::string part;
                if (item.is_array() || item.is_object() || item.is_null() ||
                    !CellText(item, field, part, errors)) {
                    errors.push_back(TypeError(field, "代码或名称的数组", "an array of codes or names"));
                    return false;
                }
                if (!out.empty()) out += ',';
                out += part;
            }
            return true;
        }
        case boost::json::kind::object:
            errors.push_back(TypeError(field, "文字、数字或数组", "a string, a number or an array"));
            return false;
    }
    return false;
}

Error UnknownField(const std::string& field) {
    return {.code = "json.unknown_field",
            .field = field,
            .message_zh = "未知字段: " + field,
            .message_en = "unknown field: " + field};
}

// Household-level columns from the object; person-level keys at this level are unknown.
void PlaceColumns(const boost::json::object& o, bool household_level, const std::string& prefix,
                  LayoutRow& cells, std::vector<Error>& errors) {
    for (const auto& [key, value] : o) {
        const std::string k(key);
        if (household_level && (k == "members" || k == "version")) continue;
        // The household JSON names a group coded 97 (其他) beside the code (僜人); sent back, the
        // name is what the 民族 cell would hold, and stands for the code.
        if (!household_level && k == "ethnicity_name") {
            if (value.is_string() && !value.get_string().empty())
                CellText(value, prefix + k, cells[static_cast<size_t>(Column::kEthnicity)], errors);
            else if (!value.is_null() && !value.is_string())
                errors.push_back(TypeError(prefix + k, "字符串", "a string"));
            continue;
        }
        auto column = ColumnFromHeader(k);
        // Only the English names: the API's keys are the glossary's.
        if (!column || InfoOf(*column).en != k || InfoOf(*column).household_level != household_level) {
            errors.push_back(UnknownField(prefix + k));
            continue;
        }
        CellText(value, prefix + k, cells[static_cast<size_t>(*column)], errors);
    }
}

}  // namespace

HouseholdInput AcceptHouseholdJson(const boost::json::value& body, const AssemblyContext& context) {
    std::vector<Error> errors;
    if (!body.is_object()) {
        errors.push_back({.code = "json.type",
                          .field = "household",
                          .message_zh = "请求体应为JSON对象",
                          .message_en = "the body must be a JSON object"});
        return std::unexpected(std::move(errors));
    }
    const auto& o = body.get_object();
    LayoutRow household_cells{};
    PlaceColumns(o, true, "", household_cells, errors);
    const auto* members = o.if_contains("members");
    if (!members || !members->is_array() || members->get_array().empty()) {
        if (members && !members->is_array())
            errors.push_back(TypeError("members", "成员数组", "an array of members"));
        else
            errors.push_back({.code = "members.empty",
                              .field = "members",
                              .message_zh = "至少要有一名家庭成员",
                              .message_en = "a household needs at least one member"});
        return std::unexpected(std::move(errors));
    }
    std::vector<RawRow> rows;
    const auto& list = members->get_array();
    for (size_t i = 0; i < list.size(); ++i) {
        const std::string prefix = "members[" + std::to_string(i) + "].";
        if (!list[i].is_object()) {
            errors.push_back(TypeError("members[" + std::to_string(i) + "]", "对象", "an object"));
            continue;
        }
        RawRow row;
        row.row_number = static_cast<int64_t>(i) + 1;
        row.cells = household_cells;
        PlaceColumns(list[i].get_object(), false, prefix, row.cells, errors);
        rows.push_back(std::move(row));
    }
    if (!errors.empty()) return std::unexpected(std::move(errors));

    Assembly a = AssembleHousehold(rows, context);
    // A row's problem as a field's: the member's index joins the field; row and household go.
    auto to_field = [](const Error& issue) {
        auto column = ColumnFromHeader(issue.field);
        std::string field = issue.field;
        if (column && !InfoOf(*column).household_level)
            field = "members[" + std::to_string(issue.row - 1) + "]." + issue.field;
        return Error{.code = issue.code,
                     .field = std::move(field),
                     .message_zh = issue.message_zh,
                     .message_en = issue.message_en};
    };
    // A household field is repeated on every member's row: report its problem once.
    auto add = [&](std::vector<Error>& out, const Error& issue) {
        Error e = to_field(issue);
        for (const Error& seen : out)
            if (seen.field == e.field && seen.code == e.code && seen.message_en == e.message_en) return;
        out.push_back(std::move(e));
    };
    if (!a.household || !a.errors.empty()) {
        for (const Error& issue : a.errors) add(errors, issue);
        return std::unexpected(std::move(errors));
    }
    AcceptedHousehold accepted{std::move(*a.household), {}};
    for (const Error& issue : a.warnings) add(accepted.warnings, issue);
    return accepted;
}

Result<std::vector<Error>> CheckAgainstRegistry(Store& store, const Household& h, const std::string& scope) {
    std::vector<Error> errors;
    for (size_t i = 0; i < h.members.size(); ++i) {
        const Person& person = h.members[i];
        auto other = store.FindHouseholdOfIdNumber(person.id_number);
        if (!other) return std::unexpected(other.error());
        if (!*other || **other == h.household_code) continue;
        auto record = store.FindHousehold(**other);
        if (!record) return std::unexpected(record.error());
        const bool visible = *record && InScope(scope, (*record)->household.division_code);
        auto [zh, en] =
            visible ? InOtherHouseholdReason(person.id_number, **other) : InHouseholdOutsideScopeReason();
        errors.push_back({.code = "id_number.in_other_household",
                          .field = "members[" + std::to_string(i) + "].id_number",
                          .message_zh = zh,
                          .message_en = en});
    }
    return errors;
}

std::optional<Error> CheckNewHouseholdCode(const Household& h) {
    if (h.household_code.empty() || !std::isdigit(static_cast<unsigned char>(h.household_code.front())) ||
        h.household_code.starts_with(h.division_code))
        return std::nullopt;
    return Error{.code = "household_code.division", .field = "household_code", .message_zh = "户编号应以所在村的行政区划代码" + h.division_code + "开头", .message_en = "the household code must start with its village's division code " + h.division_code};
}

}  // namespace jz::service
