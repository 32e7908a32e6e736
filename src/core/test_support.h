// Helpers for tests and benchmarks only (header-only; no target links it into the program): reading
// fixture files and the Chayu plan with its division tree.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

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

}  // namespace jz::testing_support
