// Division codes and the org-unit tree (county → township → village).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace jz {

enum class OrgLevel { kProvince, kCity, kCounty, kTownship, kVillage, kGroup };

std::string_view OrgLevelName(OrgLevel level);  // "county", "township", ...
std::optional<OrgLevel> ParseOrgLevel(std::string_view name);

struct OrgUnit {
    std::string code;
    std::string parent_code;  // empty for the root
    OrgLevel level = OrgLevel::kVillage;
    // Name by year; a year whose name is empty is a year the code was not in use.
    std::map<int, std::string> names;

    // The most recent non-empty name.
    std::string name() const;
    // True when the code has a name that year, or when no year of the table covers `year`
    // (years after the last one keep the last state, years before the first keep the first).
    bool ValidIn(int year) const;
};

class OrgTree {
  public:
    // Parses the division table: a header row "code,parent,level,name_YYYY[,name_YYYY...]" then one
    // row per unit. The county itself (the parent of the townships) is added from `county_code` and
    // `county_name`. Refuses unknown levels, malformed codes (township 9 digits, village 12, each
    // extending its parent's code), unknown parents and duplicate codes, naming the row.
    static Result<OrgTree> FromRows(const std::vector<std::vector<std::string>>& rows,
                                    std::string_view county_code, std::string_view county_name);

    void Add(OrgUnit unit);
    const OrgUnit* Find(std::string_view code) const;
    std::vector<const OrgUnit*> Children(std::string_view code) const;  // ordered by code
    std::vector<const OrgUnit*> AtLevel(OrgLevel level) const;          // ordered by code
    const std::map<std::string, OrgUnit, std::less<>>& units() const { return units_; }
    std::string_view root_code() const { return root_; }
    // True when `code` is `ancestor` or lies below it (codes are prefix-structured).
    static bool Within(std::string_view code, std::string_view ancestor) {
        return code.substr(0, ancestor.size()) == ancestor;
    }

  private:
    std::map<std::string, OrgUnit, std::less<>> units_;
    std::string root_;
};

}  // namespace jz
