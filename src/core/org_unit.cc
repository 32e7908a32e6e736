#include "core/org_unit.h"

#include <charconv>

namespace jz {
namespace {

constexpr std::pair<OrgLevel, std::string_view> kLevels[] = {
    {OrgLevel::kProvince, "province"}, {OrgLevel::kCity, "city"},       {OrgLevel::kCounty, "county"},
    {OrgLevel::kTownship, "township"}, {OrgLevel::kVillage, "village"}, {OrgLevel::kGroup, "group"},
};

size_t CodeLength(OrgLevel level) {
    switch (level) {
        case OrgLevel::kProvince:
            return 2;
        case OrgLevel::kCity:
            return 4;
        case OrgLevel::kCounty:
            return 6;
        case OrgLevel::kTownship:
            return 9;
        case OrgLevel::kVillage:
            return 12;
        case OrgLevel::kGroup:
            return 14;
    }
    return 0;
}

bool AllDigits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

std::string Trim(const std::string& s) {
    size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    size_t e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

}  // namespace

std::string_view OrgLevelName(OrgLevel level) {
    for (auto& [l, n] : kLevels)
        if (l == level) return n;
    return {};
}

std::optional<OrgLevel> ParseOrgLevel(std::string_view name) {
    for (auto& [l, n] : kLevels)
        if (n == name) return l;
    return std::nullopt;
}

std::string OrgUnit::name() const {
    for (auto it = names.rbegin(); it != names.rend(); ++it)
        if (!it->second.empty()) return it->second;
    return {};
}

bool OrgUnit::ValidIn(int year) const {
    if (names.empty()) return true;
    auto it = names.upper_bound(year);  // first year after `year`
    if (it == names.begin()) return !it->second.empty();
    return !std::prev(it)->second.empty();
}

Result<OrgTree> OrgTree::FromRows(const std::vector<std::vector<std::string>>& rows,
                                  std::string_view county_code, std::string_view county_name) {
    if (rows.empty())
        return Fail("divisions.empty", "divisions", "区划代码表为空", "the division table is empty");
    const auto& header = rows.front();
    int code_col = -1, parent_col = -1, level_col = -1;
    std::vector<std::pair<int, int>> name_cols;  // column → year
    for (size_t i = 0; i < header.size(); ++i) {
        const std::string h = Trim(header[i]);
        if (h == "code")
            code_col = static_cast<int>(i);
        else if (h == "parent")
            parent_col = static_cast<int>(i);
        else if (h == "level")
            level_col = static_cast<int>(i);
        else if (h.starts_with("name_")) {
            int year = 0;
            auto [p, ec] = std::from_chars(h.data() + 5, h.data() + h.size(), year);
            if (ec != std::errc() || p != h.data() + h.size() || year < 1900 || year > 9999)
                return Fail("divisions.header", "divisions:1", "表头 " + h + " 应为 name_年份",
                            "header " + h + " must be name_YYYY");
            name_cols.emplace_back(static_cast<int>(i), year);
        }
    }
    if (code_col < 0 || parent_col < 0 || level_col < 0 || name_cols.empty())
        return Fail("divisions.header", "divisions:1", "表头须含 code, parent, level, name_年份",
                    "the header must have code, parent, level and name_YYYY columns");
    if (county_code.size() != 6 || !AllDigits(county_code))
        return Fail("divisions.county", "county_code", "县级代码应为6位数字",
                    "the county code must be 6 digits");

    OrgTree tree;
    tree.root_ = std::string(county_code);
    OrgUnit county{std::string(county_code), {}, OrgLevel::kCounty, {}};
    for (auto& [col, year] : name_cols) county.names[year] = std::string(county_name);
    tree.Add(std::move(county));

    for (size_t r = 1; r < rows.size(); ++r) {
        const auto& row = rows[r];
        const std::string where = "divisions:" + std::to_string(r + 1);
        if (row.size() == 1 && Trim(row[0]).empty()) continue;  // blank line
        auto cell = [&](int c) { return c < static_cast<int>(row.size()) ? Trim(row[c]) : std::string(); };
        OrgUnit u;
        u.code = cell(code_col);
        u.parent_code = cell(parent_col);
        auto level = ParseOrgLevel(cell(level_col));
        if (!level || *level <= OrgLevel::kCounty)
            return Fail("divisions.level", where, "未知层级: " + cell(level_col),
                        "unknown level: " + cell(level_col));
        u.level = *level;
        if (!AllDigits(u.code) || u.code.size() != CodeLength(u.level))
            return Fail("divisions.code", where,
                        "代码 " + u.code + " 应为" + std::to_string(CodeLength(u.level)) + "位数字",
                        "code " + u.code + " must be " + std::to_string(CodeLength(u.level)) + " digits");
        const OrgUnit* parent = tree.Find(u.parent_code);
        if (!parent)
            return Fail("divisions.parent", where, "上级代码 " + u.parent_code + " 不存在",
                        "parent code " + u.parent_code + " is not known (parents must come first)");
        // The parent must be the level just above (a village's parent is a township, never the
        // county): a 12-digit village code extends its 9-digit township code, not the county's.
        if (!u.code.starts_with(u.parent_code) ||
            static_cast<int>(parent->level) + 1 != static_cast<int>(u.level))
            return Fail("divisions.parent", where, "代码 " + u.code + " 不属于上级 " + u.parent_code,
                        "code " + u.code + " does not lie under its parent " + u.parent_code);
        if (tree.Find(u.code))
            return Fail("divisions.duplicate", where, "代码 " + u.code + " 重复",
                        "code " + u.code + " is repeated");
        bool any_name = false;
        for (auto& [col, year] : name_cols) {
            u.names[year] = cell(col);
            any_name = any_name || !u.names[year].empty();
        }
        if (!any_name)
            return Fail("divisions.name", where, "代码 " + u.code + " 没有名称",
                        "code " + u.code + " has no name");
        tree.Add(std::move(u));
    }
    return tree;
}

void OrgTree::Add(OrgUnit unit) {
    if (root_.empty() || unit.parent_code.empty()) root_ = unit.code;
    std::string code = unit.code;
    units_.insert_or_assign(std::move(code), std::move(unit));
}

const OrgUnit* OrgTree::Find(std::string_view code) const {
    auto it = units_.find(code);
    return it == units_.end() ? nullptr : &it->second;
}

std::vector<const OrgUnit*> OrgTree::Children(std::string_view code) const {
    std::vector<const OrgUnit*> out;
    for (auto it = units_.lower_bound(code); it != units_.end() && it->first.starts_with(code); ++it)
        if (it->second.parent_code == code) out.push_back(&it->second);
    return out;
}

std::vector<const OrgUnit*> OrgTree::AtLevel(OrgLevel level) const {
    std::vector<const OrgUnit*> out;
    for (auto& [code, u] : units_)
        if (u.level == level) out.push_back(&u);
    return out;
}

}  // namespace jz
