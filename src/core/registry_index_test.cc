#include "core/registry_index.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/id_number.h"

namespace jz {
namespace {

HouseholdFacts Facts(std::string code, std::string village, int status, int attribute, int cause,
                     std::vector<int> other, std::optional<int> measure, std::vector<int> aux) {
    HouseholdFacts f;
    f.household_code = std::move(code);
    f.division_code = std::move(village);
    f.status = status;
    f.attribute = attribute;
    f.main_cause = cause;
    f.other_causes = std::move(other);
    f.main_measure = measure;
    f.aux_measures = std::move(aux);
    return f;
}

TEST(RegistryIndex, FiltersAndPagesInDivisionOrder) {
    RegistryIndex index;
    index.Upsert(Facts("B2", "540425102201", 0, 1, 2, {}, 1, {}));
    index.Upsert(Facts("A1", "540425101201", 0, 1, 2, {3}, 1, {5}));
    index.Upsert(Facts("A0", "540425101202", 1, 2, 3, {}, std::nullopt, {}));
    index.Upsert(Facts("A2", "540425101201", 0, 1, 4, {}, 5, {}));

    auto all = index.Query({.limit = 10});
    EXPECT_EQ(all.total, 4);
    EXPECT_EQ(all.codes, (std::vector<std::string>{"A1", "A2", "A0", "B2"}));

    auto township = index.Query({.division_prefix = "540425101", .offset = 1, .limit = 1});
    EXPECT_EQ(township.total, 3);
    EXPECT_EQ(township.codes, std::vector<std::string>{"A2"});

    EXPECT_EQ(index.Query({.cause = 3}).codes, (std::vector<std::string>{"A1", "A0"}));
    EXPECT_EQ(index.Query({.measure = 5}).codes, (std::vector<std::string>{"A1", "A2"}));
    EXPECT_EQ(index.Query({.status = 1}).total, 1);
    {
        auto due = Facts("D1", "540425101201", 0, 1, 2, {}, 1, {});
        due.planned_exit_year = 2016;
        index.Upsert(due);
        EXPECT_EQ(index.Query({.overdue_before = 2017}).codes, std::vector<std::string>{"D1"});
        EXPECT_EQ(index.Query({.overdue_before = 2016}).total, 0);
        EXPECT_EQ(index.Query({.planned_exit_year = 2016}).codes, std::vector<std::string>{"D1"});
        EXPECT_EQ(index.Query({.exit_year = 2016}).total, 0);
        due.status = 1;  // exited
        due.exit_year = 2016;
        index.Upsert(due);
        EXPECT_EQ(index.Query({.overdue_before = 2017}).total, 0);
        EXPECT_EQ(index.Query({.planned_exit_year = 2016}).total, 1);
        EXPECT_EQ(index.Query({.exit_year = 2016}).codes, std::vector<std::string>{"D1"});
        EXPECT_EQ(index.Query({.exit_year = 2017}).total, 0);
        index.Remove("D1");
    }
    EXPECT_EQ(index.Query({.measure = 1, .attribute = 1}).total, 2);
    EXPECT_EQ(index.Query({.cause = 99}).total, 0);
    index.Upsert(Facts("C9", "540425103201", 0, 1, 99, {1}, 1, {}));
    EXPECT_EQ(index.Query({.cause = 99}).codes, std::vector<std::string>{"C9"});
    EXPECT_TRUE(index.Remove("C9"));

    // Moving village and removal.
    index.Upsert(Facts("A1", "540425102201", 0, 1, 2, {}, 1, {}));
    EXPECT_EQ(index.DivisionOf("A1"), "540425102201");
    EXPECT_EQ(index.Query({.division_prefix = "540425102"}).codes, (std::vector<std::string>{"A1", "B2"}));
    EXPECT_TRUE(index.Remove("A1"));
    EXPECT_FALSE(index.Remove("A1"));
    EXPECT_EQ(index.size(), 3);
    EXPECT_TRUE(index.Matches("B2", {.division_prefix = "540425102", .measure = 1}));
    EXPECT_FALSE(index.Matches("B2", {.division_prefix = "540425101"}));
    EXPECT_FALSE(index.Matches("A1", {}));
}

// The index answers exactly what a filter over every household, sorted by (village, code), would.
std::optional<int> Maybe(int lo, int hi) {
    if (*rc::gen::arbitrary<bool>()) return std::nullopt;
    return *rc::gen::inRange(lo, hi);
}

RC_GTEST_PROP(RegistryIndex, AgreesWithAPlainFilter, ()) {
    const auto ops =
        *rc::gen::container<std::vector<std::tuple<int, int, int, int, int, int, bool>>>(rc::gen::tuple(
            rc::gen::inRange(0, 40), rc::gen::inRange(0, 4), rc::gen::inRange(0, 3), rc::gen::inRange(1, 4),
            rc::gen::element(1, 2, 3, 4, 5, 99), rc::gen::inRange(1, 5), rc::gen::arbitrary<bool>()));
    RegistryIndex index;
    std::map<std::string, HouseholdFacts> plain;
    for (auto [n, village, status, attribute, cause, measure, remove] : ops) {
        const std::string code = "H" + std::to_string(n);
        if (remove) {
            RC_ASSERT(index.Remove(code) == (plain.erase(code) == 1));
            continue;
        }
        auto f = Facts(code, "54042510" + std::to_string(village) + "201", status, attribute, cause,
                       {cause + 1}, measure, {measure + 2});
        index.Upsert(f);
        plain[code] = f;
    }
    RC_ASSERT(index.size() == static_cast<int64_t>(plain.size()));
    const IndexQuery q{
        .division_prefix = *rc::gen::element<std::string>("", "54042510", "540425101", "540425103201"),
        .status = Maybe(0, 3),
        .cause = *rc::gen::arbitrary<bool>() ? std::optional<int>(*rc::gen::element(1, 3, 6, 99, 100))
                                             : std::nullopt,
        .measure = Maybe(1, 7),
        .attribute = Maybe(1, 4),
        .offset = *rc::gen::inRange(0, 10),
        .limit = *rc::gen::inRange(0, 10)};
    auto check = [&] {
        std::vector<std::pair<std::string, std::string>> expected;
        for (const auto& [code, f] : plain) {
            auto has = [](const std::vector<int>& v, int x) { return std::ranges::find(v, x) != v.end(); };
            if (!f.division_code.starts_with(q.division_prefix)) continue;
            if (q.status && f.status != *q.status) continue;
            if (q.attribute && f.attribute != *q.attribute) continue;
            if (q.cause && f.main_cause != *q.cause && !has(f.other_causes, *q.cause)) continue;
            if (q.measure && f.main_measure != *q.measure && !has(f.aux_measures, *q.measure)) continue;
            expected.emplace_back(f.division_code, code);
        }
        std::ranges::sort(expected);
        std::vector<std::string> page;
        for (size_t i = static_cast<size_t>(q.offset);
             i < expected.size() && i < static_cast<size_t>(q.offset + q.limit); ++i)
            page.push_back(expected[i].second);
        const IndexPage got = index.Query(q);
        RC_ASSERT(got.total == static_cast<int64_t>(expected.size()));
        RC_ASSERT(got.codes == page);
    };
    check();
    check();  // the second time from the kept counts
    // A change after the counts were kept: the next answer must see it.
    auto f = Facts("H" + std::to_string(*rc::gen::inRange(0, 40)),
                   "54042510" + std::to_string(*rc::gen::inRange(0, 4)) + "201", *rc::gen::inRange(0, 3),
                   *rc::gen::inRange(1, 4), *rc::gen::element(1, 3, 99), {}, *rc::gen::inRange(1, 7), {});
    index.Upsert(f);
    plain[f.household_code] = f;
    check();
    if (*rc::gen::arbitrary<bool>()) {
        index.Remove(f.household_code);
        plain.erase(f.household_code);
        check();
    }
}

Household Searchable(std::string code, std::vector<std::pair<std::string, std::string>> members) {
    Household h;
    h.household_code = std::move(code);
    for (auto& [name, id] : members) {
        Person p;
        p.name = name;
        p.id_number = id;
        h.members.push_back(p);
    }
    return h;
}

std::set<std::string> Found(const SearchIndex& index, std::string_view text,
                            SearchIndex::Match match = SearchIndex::Match::kFull) {
    auto v = index.Find(text, match, 100);
    return {v.begin(), v.end()};
}

TEST(SearchIndex, CodesIdNumbersAndNames) {
    const std::string a = MakeIdNumber("540425", {1993, 7, 13}, 717),
                      b = MakeIdNumber("540425", {1980, 1, 1}, 2),
                      c = MakeIdNumber("542626", {1975, 5, 5}, 31);
    for (bool merged : {false, true}) {
        SearchIndex index;
        index.Upsert(Searchable("H1", {{"扎西次仁", a}, {"卓玛", b}}));
        index.Upsert(Searchable("H2", {{"次仁卓玛", c}}));
        if (merged) {  // the same answers from the base as from the delta
            index.BeginBulk();
            index.EndBulk();
        }
        EXPECT_EQ(Found(index, "H1"), (std::set<std::string>{"H1"}));
        EXPECT_EQ(Found(index, "H"), (std::set<std::string>{}));  // codes only whole
        EXPECT_EQ(Found(index, "次仁"), (std::set<std::string>{"H1", "H2"}));
        EXPECT_EQ(Found(index, "扎西"), (std::set<std::string>{"H1"}));
        EXPECT_EQ(Found(index, "卓玛"), (std::set<std::string>{"H1", "H2"}));
        EXPECT_EQ(Found(index, "仁卓"), (std::set<std::string>{"H2"}));  // not across two names
        EXPECT_EQ(Found(index, a), (std::set<std::string>{"H1"}));
        EXPECT_EQ(Found(index, "540425"), (std::set<std::string>{"H1"}));
        EXPECT_EQ(Found(index, "54"), (std::set<std::string>{"H1", "H2"}));
        EXPECT_EQ(Found(index, a.substr(0, 17)), (std::set<std::string>{"H1"}));
        // Masked users: the whole number only, never a prefix (finding 2: 40 requests rebuilt it).
        using M = SearchIndex::Match;
        EXPECT_EQ(Found(index, a, M::kExactOnly), (std::set<std::string>{"H1"}));
        for (size_t n = 1; n < 18; ++n) EXPECT_TRUE(Found(index, a.substr(0, n), M::kExactOnly).empty()) << n;
        EXPECT_EQ(Found(index, "卓玛", M::kExactOnly), (std::set<std::string>{"H1", "H2"}));
        std::string lower = c;
        lower[17] = static_cast<char>(std::tolower(lower[17]));
        EXPECT_EQ(Found(index, lower, M::kExactOnly), (std::set<std::string>{"H2"}));
    }
}

TEST(SearchIndex, ChangesAndRemovalsAreSeenBeforeAndAfterMerging) {
    SearchIndex index;
    const std::string a = MakeIdNumber("540425", {1993, 7, 13}, 717);
    index.BeginBulk();
    index.Upsert(Searchable("H1", {{"扎西", a}}));
    index.Upsert(Searchable("H2", {{"卓玛", ""}}));
    index.EndBulk();
    index.Upsert(Searchable("H1", {{"格桑", a}}));  // renamed: the base's 扎西 no longer counts
    EXPECT_TRUE(Found(index, "扎西").empty());
    EXPECT_EQ(Found(index, "格桑"), (std::set<std::string>{"H1"}));
    EXPECT_EQ(Found(index, a), (std::set<std::string>{"H1"}));
    EXPECT_TRUE(index.Remove("H2"));
    EXPECT_FALSE(index.Remove("H2"));
    EXPECT_TRUE(Found(index, "卓玛").empty());
    index.BeginBulk();
    index.EndBulk();
    EXPECT_EQ(Found(index, "格桑"), (std::set<std::string>{"H1"}));
    EXPECT_TRUE(Found(index, "卓玛").empty());
    EXPECT_EQ(index.size(), 2);  // (a removed household keeps its slot)
    EXPECT_EQ(index.persons(), 1);
}

// Against a plain scan of the same households, through random changes and merges.
RC_GTEST_PROP(SearchIndex, AgreesWithAScan, ()) {
    const std::vector<std::string> names{"扎西", "卓玛", "次仁", "扎西卓玛", "格桑次仁", "王芳"};
    std::map<std::string, Household> truth;
    SearchIndex index;
    const int steps = *rc::gen::inRange(1, 60);
    for (int i = 0; i < steps; ++i) {
        const std::string code = "H" + std::to_string(*rc::gen::inRange(0, 12));
        const int op = *rc::gen::inRange(0, 10);
        if (op == 0) {
            truth.erase(code);
            index.Remove(code);
        } else if (op == 1) {
            index.BeginBulk();
            index.EndBulk();
        } else {
            Household h = Searchable(code, {});
            for (int m = *rc::gen::inRange(0, 3); m > 0; --m) {
                Person p;
                p.name = names[static_cast<size_t>(*rc::gen::inRange(0, static_cast<int>(names.size())))];
                p.id_number =
                    MakeIdNumber("540425", {1990, 1, 1 + *rc::gen::inRange(0, 3)}, *rc::gen::inRange(0, 4));
                h.members.push_back(p);
            }
            truth[code] = h;
            index.Upsert(h);
        }
    }
    for (const std::string& q : {std::string("扎西"), std::string("次仁"), std::string("王"),
                                 MakeIdNumber("540425", {1990, 1, 2}, 1), std::string("5404251990010")}) {
        std::set<std::string> want;
        for (const auto& [code, h] : truth) {
            if (code == q) want.insert(code);
            for (const Person& p : h.members)
                if (p.name.find(q) != std::string::npos || p.id_number.starts_with(q)) want.insert(code);
        }
        RC_ASSERT(Found(index, q) == want);
    }
}

}  // namespace
}  // namespace jz
