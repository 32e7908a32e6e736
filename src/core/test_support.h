// Helpers for tests and benchmarks only (header-only; no target links it into the program): reading
// fixture files and the Chayu plan with its division tree.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/assembly.h"
#include "core/household.h"
#include "core/layout.h"
#include "core/org_unit.h"
#include "core/plan.h"

namespace jz::testing_support {

inline std::string Slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// A plain CSV without quoting (the fixtures' kind), blank lines skipped.
inline std::vector<std::vector<std::string>> SplitCsv(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        std::vector<std::string> cells;
        size_t start = 0;
        for (size_t i = 0; i <= line.size(); ++i)
            if (i == line.size() || line[i] == ',') {
                cells.push_back(line.substr(start, i - start));
                start = i + 1;
            }
        rows.push_back(std::move(cells));
    }
    return rows;
}

struct County {
    Plan plan;
    OrgTree tree;
    std::string toml;  // the plan's text, for stores that keep it
};

// plans/chayu-2016.toml and its divisions, loaded once. Needs JZ_SOURCE_DIR.
inline const County& Chayu() {
    static const County c = [] {
        const std::filesystem::path root(JZ_SOURCE_DIR);
        County county;
        county.toml = Slurp(root / "plans/chayu-2016.toml");
        county.plan = ParsePlan(county.toml, "chayu-2016.toml").value();
        county.tree = OrgTree::FromRows(SplitCsv(Slurp(root / "data/chayu-540425-divisions.csv")),
                                        county.plan.county_code, county.plan.county_name)
                          .value();
        return county;
    }();
    return c;
}

// The households of a fixture file in the exchange layout, in file order (a household's rows are
// contiguous there), accepted against the Chayu plan; what a fixture fails is in `rejected`.
struct FixtureHouseholds {
    std::vector<Household> households;
    std::vector<std::string> rejected;  // "row N: 中文 / English" of each refused household
};

inline FixtureHouseholds LoadFixtureHouseholds(const std::filesystem::path& csv) {
    auto rows = SplitCsv(Slurp(csv));
    std::vector<int> column_of;
    for (const std::string& h : rows.at(0)) {
        auto c = ColumnFromHeader(h);
        column_of.push_back(c ? static_cast<int>(*c) : -1);
    }
    std::vector<std::vector<RawRow>> groups;
    std::string last;
    for (size_t r = 1; r < rows.size(); ++r) {
        RawRow raw;
        raw.row_number = static_cast<int64_t>(r + 1);
        for (size_t i = 0; i < rows[r].size() && i < column_of.size(); ++i)
            if (column_of[i] >= 0) raw.cells[static_cast<size_t>(column_of[i])] = rows[r][i];
        const std::string& code = raw.cells[static_cast<size_t>(Column::kHouseholdCode)];
        if (groups.empty() || code != last) groups.emplace_back();
        last = code;
        groups.back().push_back(std::move(raw));
    }
    FixtureHouseholds out;
    for (const auto& g : groups) {
        Assembly a = AssembleHousehold(g, {Chayu().plan, Chayu().tree});
        if (a.household)
            out.households.push_back(std::move(*a.household));
        else
            out.rejected.push_back("row " + std::to_string(g.front().row_number) + ": " +
                                   (a.errors.empty() ? std::string("?") : a.errors[0].Reason()));
    }
    return out;
}

}  // namespace jz::testing_support
