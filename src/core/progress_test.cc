// The battle-map figures (core/progress) against fixtures: tests/fixtures/progress/<case>/ holds a
// registry in the exchange layout (input.csv, checked against plans/chayu-2016.toml) and the
// figures expected of it (expect.txt: "as_of YYYY-MM-DD", then "key value" lines).
#include "core/progress.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>

#include "core/assembly.h"
#include "core/assistance.h"
#include "core/test_support.h"

namespace jz {
namespace {

namespace fs = std::filesystem;
using testing_support::Chayu;
using testing_support::Slurp;
using testing_support::SplitCsv;

std::vector<Household> Load(const fs::path& csv) {
    auto loaded = testing_support::LoadFixtureHouseholds(csv);
    for (const std::string& r : loaded.rejected) ADD_FAILURE() << csv << ": " << r;
    return std::move(loaded.households);
}

// Every figure of the report under a flat key.
std::map<std::string, int64_t> Flatten(const ProgressReport& r) {
    std::map<std::string, int64_t> out{{"county.households", r.households},
                                       {"county.persons", r.persons},
                                       {"county.exited_persons", r.exited_persons},
                                       {"county.target_persons", r.target_persons}};
    for (const ProgressTownship& t : r.townships) {
        const std::string k = "township." + t.code + ".";
        out[k + "households"] = t.households;
        out[k + "persons"] = t.persons;
        out[k + "exited_persons"] = t.exited_persons;
        for (const ProgressYear& y : t.years) {
            const std::string ky = k + "year." + std::to_string(y.year) + ".";
            out[ky + "target_persons"] = y.target_persons;
            out[ky + "planned_persons"] = y.planned_persons;
            out[ky + "exited_persons"] = y.exited_persons;
        }
    }
    for (const ProgressMeasure& m : r.measures) {
        const std::string k = "measure." + m.name + ".";
        out[k + "households"] = m.households;
        out[k + "persons"] = m.persons;
        if (!m.delivered) continue;
        const MeasureDelivered& d = *m.delivered;
        out[k + "delivered.planned_households"] = d.planned_households;
        out[k + "delivered.reached_households"] = d.reached_households;
        out[k + "delivered.reached_planned"] = d.reached_planned;
        out[k + "delivered.beneficiaries"] = d.beneficiaries;
        out[k + "delivered.items"] = d.items;
        out[k + "delivered.unsigned_items"] = d.unsigned_items;
        out[k + "delivered.amount"] = d.amount;
        for (const StageDelivered& s : d.stages) out[k + "delivered.stages." + s.id] = s.persons;
        for (const OtherDelivered& o : d.others) out[k + "delivered.others." + o.id] = o.held;
    }
    return out;
}

std::vector<std::string> Cases() {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(fs::path(JZ_SOURCE_DIR) / "tests/fixtures/progress"))
        if (e.is_directory()) names.push_back(e.path().filename().string());
    std::ranges::sort(names);
    return names;
}

class ProgressFixture : public testing::TestWithParam<std::string> {};

TEST_P(ProgressFixture, GivesTheExpectedFigures) {
    const fs::path dir = fs::path(JZ_SOURCE_DIR) / "tests/fixtures/progress" / GetParam();
    std::istringstream expect(Slurp(dir / "expect.txt"));
    std::string line, key, value;
    Date as_of;
    std::map<std::string, int64_t> expected;
    while (std::getline(expect, line)) {
        if (line.empty() || line.starts_with('#')) continue;
        std::istringstream fields(line);
        fields >> key >> value;
        if (key == "as_of") {
            auto d = Date::Parse(value);
            ASSERT_TRUE(d) << line;
            as_of = *d;
        } else {
            expected[key] = std::stoll(value);
        }
    }
    ASSERT_FALSE(expected.empty());
    ProgressBuilder builder(Chayu().plan, Chayu().tree, as_of);
    const std::vector<Household> households = Load(dir / "input.csv");
    for (const Household& h : households) builder.Add(h);
    ProgressReport report = builder.Finish();
    if (fs::exists(dir / "items.csv")) {
        std::vector<HouseholdFacts> facts;
        std::map<std::string, const Household*> by_code;
        for (const Household& h : households) {
            facts.push_back(FactsOf(h));
            by_code[h.household_code] = &h;
        }
        std::vector<ItemFacts> items;
        const auto rows = SplitCsv(Slurp(dir / "items.csv"));
        for (size_t i = 1; i < rows.size(); ++i) {
            auto cell = [&](size_t c) { return c < rows[i].size() ? rows[i][c] : std::string(); };
            AssistanceItem item;
            item.household_code = cell(0);
            item.measure = std::stoi(cell(1));
            item.category = std::stoi(cell(2));
            item.kind = std::stoi(cell(3));
            item.start_date = *Date::Parse(cell(4));
            if (!cell(5).empty()) item.end_date = Date::Parse(cell(5));
            if (!cell(6).empty()) item.amount = ParseCenti(cell(6));
            if (!cell(7).empty()) item.signed_on = Date::Parse(cell(7));
            if (!cell(8).empty()) item.member_ids = {cell(8)};
            const Household* h = by_code.at(item.household_code);
            items.push_back(ItemFactsOf(item, h->division_code, static_cast<int>(h->members.size())));
        }
        const Plan& plan = Chayu().plan;
        AttachDelivered(report, CountDelivered(plan, Chayu().tree, plan.county_code, Date{plan.start_year, 1, 1},
                                               as_of, facts, items));
    }
    const auto actual = Flatten(report);
    for (const auto& [k, v] : expected) {
        const auto it = actual.find(k);
        ASSERT_NE(it, actual.end()) << "the report has no figure " << k;
        EXPECT_EQ(it->second, v) << k;
    }
}

INSTANTIATE_TEST_SUITE_P(Progress, ProgressFixture, testing::ValuesIn(Cases()));

}  // namespace
}  // namespace jz
