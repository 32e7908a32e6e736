// The plan (kept as its TOML text) and the org units with their names by year.
#include <algorithm>
#include <map>
#include <string>

#include "store/sqlite_internal.h"

namespace jz::sqlite_internal {

Result<void> SqliteStore::SavePlan(const std::string& plan_id, const std::string& toml_text,
                      const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return r;
    auto before = LoadPlanText();
    if (!before) return std::unexpected(before.error());
    if (auto r = Exec("DELETE FROM plan"); !r) return r;
    auto st = Prepare("INSERT INTO plan(plan_id, toml, loaded_at) VALUES (?1, ?2, ?3)");
    if (!st) return std::unexpected(st.error());
    BindText(*st, 1, plan_id);
    BindText(*st, 2, toml_text);
    BindText(*st, 3, change.at);
    if (auto r = StepDone(*st, "SavePlan"); !r) return r;
    return LogChange(change, "", "plan", plan_id, "load", before->value_or(""), toml_text);
}
Result<std::optional<std::string>> SqliteStore::LoadPlanText() {
    auto st = Prepare("SELECT toml FROM plan LIMIT 1");
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    int rc = sqlite3_step(*st);
    if (rc == SQLITE_ROW) return std::optional<std::string>(Text(*st, 0));
    if (rc == SQLITE_DONE) return std::optional<std::string>();
    return std::unexpected(LastError("LoadPlanText"));
}

Result<void> SqliteStore::SaveOrgUnits(const OrgTree& tree, const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return r;
    auto unit = Prepare(
        "INSERT INTO org_unit(code, parent_code, level, county_code) VALUES (?1, ?2, ?3, ?4)"
        " ON CONFLICT(code) DO UPDATE SET parent_code=?2, level=?3, county_code=?4");
    if (!unit) return std::unexpected(unit.error());
    for (const auto& [code, u] : tree.units()) {
        BindText(*unit, 1, u.code);
        if (u.parent_code.empty())
            sqlite3_bind_null(*unit, 2);
        else
            BindText(*unit, 2, u.parent_code);
        const std::string_view level = OrgLevelName(u.level);
        sqlite3_bind_text(*unit, 3, level.data(), static_cast<int>(level.size()), SQLITE_STATIC);
        const std::string county = u.code.substr(0, std::min<size_t>(6, u.code.size()));
        BindText(*unit, 4, county);
        if (auto r = StepDone(*unit, "SaveOrgUnits"); !r) return r;
    }
    auto name = Prepare(
        "INSERT INTO org_unit_name(code, year, name) VALUES (?1, ?2, ?3)"
        " ON CONFLICT(code, year) DO UPDATE SET name=?3");
    if (!name) return std::unexpected(name.error());
    for (const auto& [code, u] : tree.units()) {
        for (const auto& [year, n] : u.names) {
            BindText(*name, 1, u.code);
            sqlite3_bind_int(*name, 2, year);
            BindText(*name, 3, n);
            if (auto r = StepDone(*name, "SaveOrgUnits"); !r) return r;
        }
    }
    return LogChange(change, std::string(tree.root_code()), "org_units", std::string(tree.root_code()),
                     "load", "", std::to_string(tree.units().size()) + " units");
}
Result<OrgTree> SqliteStore::LoadOrgTree() {
    OrgTree tree;
    auto st = Prepare(
        "SELECT code, coalesce(parent_code, ''), level FROM org_unit ORDER BY length(code), code");
    if (!st) return std::unexpected(st.error());
    int rc;
    while ((rc = sqlite3_step(*st)) == SQLITE_ROW) {
        OrgUnit u;
        u.code = Text(*st, 0);
        u.parent_code = Text(*st, 1);
        u.level = ParseOrgLevel(Text(*st, 2)).value_or(OrgLevel::kVillage);
        tree.Add(std::move(u));
    }
    if (rc != SQLITE_DONE) return std::unexpected(LastError("LoadOrgTree"));
    auto names = Prepare("SELECT code, year, name FROM org_unit_name ORDER BY code, year");
    if (!names) return std::unexpected(names.error());
    std::map<std::string, std::map<int, std::string>> by_code;
    while ((rc = sqlite3_step(*names)) == SQLITE_ROW)
        by_code[Text(*names, 0)][sqlite3_column_int(*names, 1)] = Text(*names, 2);
    if (rc != SQLITE_DONE) return std::unexpected(LastError("LoadOrgTree"));
    OrgTree out;
    for (const auto& [code, u] : tree.units()) {
        OrgUnit copy = u;
        copy.names = by_code[code];
        out.Add(std::move(copy));
    }
    // Add() takes the last unit without a parent as the root: re-add the root to be sure.
    for (const auto& [code, u] : tree.units())
        if (u.parent_code.empty()) {
            OrgUnit root = *out.Find(code);
            out.Add(std::move(root));
        }
    return out;
}

}  // namespace jz::sqlite_internal
