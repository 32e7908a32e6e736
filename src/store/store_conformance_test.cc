// The Store contract, run against every adapter (SQLite today; PostgreSQL joins the list): org units,
// households and their scans, settings and plan; the household JSON. The other table families are in
// store_change_log_test.cc, store_accounts_test.cc and store_cases_test.cc, SQLite-only tests in
// sqlite_store_test.cc; the shared helpers and the fixture in store_test_fixture.h.

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>

#include "store/store_test_fixture.h"

namespace jz::store_test {
namespace {

TEST_P(StoreContract, OrgTreeRoundTrips) {
    auto tree = store_->LoadOrgTree();
    ASSERT_TRUE(tree);
    EXPECT_EQ(tree->root_code(), "540425");
    ASSERT_TRUE(tree->Find("540425100200"));
    EXPECT_FALSE(tree->Find("540425100200")->ValidIn(2020));
    EXPECT_TRUE(tree->Find("540425100200")->ValidIn(2021));
    EXPECT_EQ(tree->Children("540425100").size(), 2u);
}

TEST_P(StoreContract, InsertFindUpdateWithVersionsAndChangeLog) {
    const Household h = MakeHousehold("H1", 1);
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertHousehold(h, kChange));
    ASSERT_TRUE(store_->Commit());
    auto found = store_->FindHousehold("H1");
    ASSERT_TRUE(found && *found);
    EXPECT_EQ((*found)->household, h);
    EXPECT_EQ((*found)->version, 1);
    EXPECT_EQ(store_->FindHouseholdOfIdNumber(h.members[1].id_number).value(),
              std::optional<std::string>("H1"));
    EXPECT_EQ(store_->FindHouseholdOfIdNumber("540425197003059999").value(), std::nullopt);

    Household changed = h;
    changed.status = codes::kStatusExited;
    changed.exit_year = 2016;
    changed.members.pop_back();
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->UpdateHousehold(**found, changed, kChange));
    ASSERT_TRUE(store_->Commit());
    auto after = store_->FindHousehold("H1").value();
    EXPECT_EQ(after->household, changed);
    EXPECT_EQ(after->version, 2);
    EXPECT_EQ(store_->CountPersons().value(), 1);

    // A writer holding the old version loses, and changes nothing.
    ASSERT_TRUE(store_->Begin());
    auto stale = store_->UpdateHousehold(**found, h, kChange);
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().code, "store.conflict");
    store_->Rollback();
    EXPECT_EQ(store_->FindHousehold("H1").value()->household, changed);

    auto log = store_->ChangeLog({.entity_key = "H1"}).value();
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0].action, "insert");
    EXPECT_TRUE(log[0].before_json.empty());
    EXPECT_EQ(log[1].action, "update");
    EXPECT_EQ(log[1].actor, "tester");
    EXPECT_NE(log[1].before_json, log[1].after_json);
    EXPECT_LT(log[0].seq, log[1].seq);
}

TEST_P(StoreContract, DuplicateCodeIsRefused) {
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertHousehold(MakeHousehold("H1", 1), kChange));
    auto again = store_->InsertHousehold(MakeHousehold("H1", 2), kChange);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, "store.duplicate");
    store_->Rollback();
}

TEST_P(StoreContract, RollbackLeavesNothing) {
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertHousehold(MakeHousehold("H1", 1), kChange));
    store_->Rollback();
    EXPECT_EQ(store_->CountHouseholds().value(), 0);
    EXPECT_TRUE(store_->ChangeLog({}).value().size() == 1u);  // only the org-unit load
}

TEST_P(StoreContract, WritesOutsideATransactionAreRefused) {
    auto r = store_->InsertHousehold(MakeHousehold("H1", 1), kChange);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "store.no_transaction");
}

TEST_P(StoreContract, UnknownDivisionViolatesForeignKey) {
    Household h = MakeHousehold("H1", 1);
    h.division_code = "540425999999";
    ASSERT_TRUE(store_->Begin());
    auto r = store_->InsertHousehold(h, kChange);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "store.foreign_key");
    store_->Rollback();
}

TEST_P(StoreContract, ScanIsOrderedAndFiltered) {
    ASSERT_TRUE(store_->Begin());
    Household b = MakeHousehold("B", 1);
    Household a = MakeHousehold("A", 2);
    Household c = MakeHousehold("C", 3);
    c.division_code = "540425100200";
    for (const Household* h : {&b, &a, &c}) ASSERT_TRUE(store_->InsertHousehold(*h, kChange));
    ASSERT_TRUE(store_->Commit());
    std::vector<std::string> seen;
    ASSERT_TRUE(store_->ScanHouseholds({}, [&](const Household& h) {
        seen.push_back(h.household_code);
        return true;
    }));
    EXPECT_EQ(seen, (std::vector<std::string>{"C", "A", "B"}));  // by division, then code
    seen.clear();
    ASSERT_TRUE(store_->ScanHouseholds({"540425100201"}, [&](const Household& h) {
        seen.push_back(h.household_code);
        return true;
    }));
    EXPECT_EQ(seen, (std::vector<std::string>{"A", "B"}));
}

TEST_P(StoreContract, StorageOrderScanSeesTheSameHouseholds) {
    ASSERT_TRUE(store_->Begin());
    Household b = MakeHousehold("B", 1);
    Household a = MakeHousehold("A", 2);
    Household c = MakeHousehold("C", 3);
    c.division_code = "540425100200";
    std::swap(a.members[0], a.members[1]);  // members keep their stored order, whatever it is
    for (const Household* h : {&b, &a, &c}) ASSERT_TRUE(store_->InsertHousehold(*h, kChange));
    ASSERT_TRUE(store_->Commit());
    std::map<std::string, Household> seen;
    ASSERT_TRUE(store_->ScanHouseholds({.any_order = true}, [&](const Household& h) {
        seen[h.household_code] = h;
        return true;
    }));
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen["A"], a);
    EXPECT_EQ(seen["B"], b);
    EXPECT_EQ(seen["C"], c);
    seen.clear();
    ASSERT_TRUE(store_->ScanHouseholds(
        {.division_prefix = "540425100201", .facts_only = true, .any_order = true}, [&](const Household& h) {
            seen[h.household_code] = h;
            return true;
        }));
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_TRUE(seen["A"].members[0].name.empty()) << "facts_only leaves names out";
    EXPECT_EQ(seen["A"].members[0].birth_date, a.members[0].birth_date);
    EXPECT_EQ(seen["A"].members.size(), 2u);
}

TEST_P(StoreContract, FactsFollowEveryWrite) {
    Household h = MakeHousehold("F1", 1);
    h.members[0].labour = 1;
    h.members[1].labour = 2;
    h.members[1].health = 3;
    h.members[1].migrant_work = 4;
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertHousehold(h, kChange));
    ASSERT_TRUE(store_->Commit());
    std::vector<HouseholdFacts> seen;
    auto scan = [&] {
        seen.clear();
        ASSERT_TRUE(store_->ScanFacts({}, [&](const HouseholdFacts& f) {
            seen.push_back(f);
            return true;
        }));
    };
    scan();
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0], FactsOf(h));
    EXPECT_EQ(seen[0].able_birth_dates.size(), 2u);
    Household changed = h;
    changed.members.pop_back();
    auto before = store_->FindHousehold("F1").value();
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->UpdateHousehold(*before, changed, kChange));
    ASSERT_TRUE(store_->Commit());
    scan();
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0], FactsOf(changed));
    EXPECT_EQ(seen[0].persons, 1);
}

TEST_P(StoreContract, ParallelScanVisitsEveryHouseholdOnce) {
    ASSERT_TRUE(store_->Begin());
    for (int i = 0; i < 1500; ++i)
        ASSERT_TRUE(store_->InsertHousehold(MakeHousehold("P" + std::to_string(i), i), kChange));
    ASSERT_TRUE(store_->Commit());
    std::vector<std::vector<std::string>> seen(2);
    ASSERT_TRUE(store_->ScanHouseholdsParallel({}, 2, [&](int part, const Household& h) {
        EXPECT_EQ(h.members.size(), 2u);
        seen.at(static_cast<size_t>(part)).push_back(h.household_code);
        return true;
    }));
    std::vector<std::string> all = seen[0];
    all.insert(all.end(), seen[1].begin(), seen[1].end());
    std::ranges::sort(all);
    EXPECT_EQ(all.size(), 1500u);
    EXPECT_EQ(std::ranges::adjacent_find(all), all.end()) << "a household was visited twice";
    // Stopping in one part stops the scan.
    int visits = 0;
    std::mutex m;
    ASSERT_TRUE(store_->ScanHouseholdsParallel({}, 2, [&](int, const Household&) {
        std::lock_guard lock(m);
        return ++visits < 10;
    }));
    EXPECT_LT(visits, 1500);
}

TEST_P(StoreContract, SettingsAndPlan) {
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->PutSetting("k", "v1"));
    ASSERT_TRUE(store_->PutSetting("k", "v2"));
    ASSERT_TRUE(store_->SavePlan("p", "id = \"p\"", kChange));
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(store_->GetSetting("k").value(), std::optional<std::string>("v2"));
    EXPECT_EQ(store_->GetSetting("none").value(), std::nullopt);
    EXPECT_EQ(store_->LoadPlanText().value(), std::optional<std::string>("id = \"p\""));
}

TEST_P(StoreContract, FactsCarryWhatTheExitStandardNeeds) {
    Household h = MakeHousehold("F1", 1);
    h.identified_year = 2015;
    h.dangerous_housing = false;
    h.household_electricity = true;
    h.housing_area = 8050;
    Person child = h.members[1];
    child.name = "小扎西";
    child.id_number = MakeIdNumber("540425", {2008, 1, 2}, 91);
    child.relation = 3;
    child.birth_date = {2008, 1, 2};
    child.schooling = 3;  // in school
    Person out = child;
    out.name = "次仁";
    out.id_number = MakeIdNumber("540425", {2005, 12, 30}, 92);
    out.birth_date = {2005, 12, 30};
    out.schooling = codes::kSchoolingNone;
    h.members.insert(h.members.begin() + 1, child);
    h.members.push_back(out);
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertHousehold(h, kChange));
    ASSERT_TRUE(store_->Commit());
    auto scan = [&] {
        std::vector<HouseholdFacts> seen;
        EXPECT_TRUE(store_->ScanFacts({}, [&](const HouseholdFacts& f) {
            seen.push_back(f);
            return true;
        }));
        return seen;
    };
    auto seen = scan();
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0], FactsOf(h));
    EXPECT_EQ(seen[0].identified_year, 2015);
    EXPECT_EQ(seen[0].net_income_per_head, std::optional<Fen>(250050));
    EXPECT_EQ(seen[0].housing_area, std::optional<int64_t>(8050));
    EXPECT_EQ(seen[0].dangerous_housing, std::optional<bool>(false));
    EXPECT_EQ(seen[0].safe_water, std::optional<bool>(true));
    EXPECT_EQ(seen[0].household_electricity, std::optional<bool>(true));
    EXPECT_EQ(seen[0].out_of_school_birth_dates,
              (std::vector<Date>{{1970, 3, 5}, {1972, 8, 11}, {2005, 12, 30}}));
    // A filtered scan (the division index) reads the same.
    std::vector<HouseholdFacts> filtered;
    ASSERT_TRUE(store_->ScanFacts({"540425100201"}, [&](const HouseholdFacts& f) {
        filtered.push_back(f);
        return true;
    }));
    EXPECT_EQ(filtered, seen);

    Household changed = h;
    changed.members[1].schooling = codes::kSchoolingNone;  // left school
    changed.members.erase(changed.members.begin());
    changed.net_income_per_head.reset();
    changed.safe_water.reset();
    changed.housing_area = 1;
    changed.identified_year = 2016;
    auto before = store_->FindHousehold("F1").value().value();
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->UpdateHousehold(before, changed, kChange));
    ASSERT_TRUE(store_->Commit());
    seen = scan();
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0], FactsOf(changed));
    EXPECT_EQ(seen[0].out_of_school_birth_dates,
              (std::vector<Date>{{2008, 1, 2}, {1972, 8, 11}, {2005, 12, 30}}));
    EXPECT_FALSE(seen[0].net_income_per_head.has_value());
}

TEST_P(StoreContract, ParallelFactsScanVisitsEveryHouseholdOnce) {
    std::map<std::string, HouseholdFacts> expected;
    ASSERT_TRUE(store_->Begin());
    for (int i = 0; i < 1500; ++i) {
        Household h = MakeHousehold("P" + std::to_string(i), i);
        if (i % 3 == 0) h.division_code = "540425100200";
        if (i % 5 == 0) h.members[1].schooling = 4;
        h.identified_year = 2014 + i % 3;
        if (i % 4 == 1) {
            h.status = 1;
            h.exit_year = 2016;
        }
        if (i % 4 == 2) h.status = 3;
        ASSERT_TRUE(store_->InsertHousehold(h, kChange));
        expected[h.household_code] = FactsOf(h);
    }
    ASSERT_TRUE(store_->Commit());
    std::vector<std::vector<HouseholdFacts>> seen(3);
    ASSERT_TRUE(store_->ScanFactsParallel({}, 3, [&](int part, const HouseholdFacts& f) {
        seen.at(static_cast<size_t>(part)).push_back(f);
        return true;
    }));
    std::map<std::string, HouseholdFacts> all;
    size_t visits = 0;
    for (const auto& part : seen)
        for (const HouseholdFacts& f : part) {
            ++visits;
            all[f.household_code] = f;
        }
    EXPECT_EQ(visits, 1500u) << "a household was visited twice, or missed";
    EXPECT_EQ(all, expected);
    // Filtered by division.
    std::atomic<int> in_village = 0;
    ASSERT_TRUE(store_->ScanFactsParallel({"540425100200"}, 2, [&](int, const HouseholdFacts& f) {
        EXPECT_EQ(f.division_code, "540425100200");
        ++in_village;
        return true;
    }));
    EXPECT_EQ(in_village.load(), 500);
    // Filtered by status (in parallel, serially, and with a division): only those statuses.
    for (int parts : {1, 2}) {
        for (const std::string prefix : {"", "540425100200"}) {
            HouseholdFilter poor{prefix};
            poor.statuses = {0, 3};
            std::atomic<int> n = 0;
            ASSERT_TRUE(store_->ScanFactsParallel(poor, parts, [&](int, const HouseholdFacts& f) {
                EXPECT_TRUE(f.status == 0 || f.status == 3) << f.household_code;
                ++n;
                return true;
            }));
            int want = 0;
            for (const auto& [code, f] : expected)
                if ((f.status == 0 || f.status == 3) && f.division_code.starts_with(prefix)) ++want;
            EXPECT_EQ(n.load(), want) << parts << " parts, prefix " << prefix;
        }
    }
    // Stopping in one part stops the scan.
    int stopped_after = 0;
    std::mutex m;
    ASSERT_TRUE(store_->ScanFactsParallel({}, 2, [&](int, const HouseholdFacts&) {
        std::lock_guard lock(m);
        return ++stopped_after < 10;
    }));
    EXPECT_LT(stopped_after, 1500);
    // One part (or a small registry): everything as part 0.
    int serial = 0;
    ASSERT_TRUE(store_->ScanFactsParallel({}, 1, [&](int part, const HouseholdFacts&) {
        EXPECT_EQ(part, 0);
        ++serial;
        return true;
    }));
    EXPECT_EQ(serial, 1500);
}

TEST_P(StoreContract, DeleteHouseholdIsVersionGuardedAndLogged) {
    const Household h = MakeHousehold("D1", 1);
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertHousehold(h, kChange));
    ASSERT_TRUE(store_->InsertHousehold(MakeHousehold("D2", 2), kChange));
    ASSERT_TRUE(store_->Commit());
    const HouseholdRecord first = store_->FindHousehold("D1").value().value();
    Household changed = h;
    changed.phone = "13800000000";
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->UpdateHousehold(first, changed, kChange));
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(CodeOf(store_->DeleteHousehold(first, kChange)), "store.no_transaction");
    ASSERT_TRUE(store_->Begin());
    EXPECT_EQ(CodeOf(store_->DeleteHousehold(first, kChange)), "store.conflict") << "stale version";
    store_->Rollback();
    EXPECT_EQ(store_->CountHouseholds().value(), 2);

    const HouseholdRecord current = store_->FindHousehold("D1").value().value();
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->DeleteHousehold(current, kChange));
    ASSERT_TRUE(store_->Commit());
    EXPECT_FALSE(store_->FindHousehold("D1").value().has_value());
    EXPECT_EQ(store_->CountHouseholds().value(), 1);
    EXPECT_EQ(store_->CountPersons().value(), 2) << "its members went with it";
    EXPECT_EQ(store_->FindHouseholdOfIdNumber(h.members[0].id_number).value(), std::nullopt);
    ASSERT_TRUE(store_->Begin());
    EXPECT_EQ(CodeOf(store_->DeleteHousehold(current, kChange)), "store.conflict") << "already gone";
    store_->Rollback();

    auto log = store_->ChangeLog({.entity_key = "D1"}).value();
    ASSERT_EQ(log.size(), 3u);
    EXPECT_EQ(log[2].action, "delete");
    EXPECT_EQ(log[2].entity, "household");
    EXPECT_EQ(log[2].before_json, HouseholdToJson(changed));
    EXPECT_TRUE(log[2].after_json.empty());
    EXPECT_FALSE(store_->VerifyChangeLog()->first_bad.has_value());
    // Not deregistered (no closed deregistration case): the code may be registered again.
    EXPECT_FALSE(store_->IsDeregistered("D1").value());
    ASSERT_TRUE(store_->Begin());
    EXPECT_TRUE(store_->InsertHousehold(h, kChange));
    store_->Rollback();
}

TEST_P(StoreContract, DeregisteredCodeIsNeverRegisteredAgain) {
    const Household h = MakeHousehold("G1", 1);
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertHousehold(h, kChange));
    ProcedureCase c = MakeCase(ProcedureKind::kDeregistration, "G1", 2017);
    c.household = h;
    c.reason = "moved_away";
    const int64_t id = store_->InsertCase(c, kChange).value();
    // Other closed cases of the code do not count.
    ASSERT_TRUE(store_->InsertCase(Closed(MakeCase(ProcedureKind::kDeregistration, "G1", 2016), "rejected"),
                                   kChange));
    ASSERT_TRUE(store_->InsertCase(Closed(MakeCase(ProcedureKind::kFallback, "G1", 2016), "done"), kChange));
    ASSERT_TRUE(store_->Commit());
    EXPECT_FALSE(store_->IsDeregistered("G1").value()) << "the case is still open";
    const ProcedureCase stored = store_->FindCase(id).value().value();
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->UpdateCase(stored, Closed(stored, "done"), kChange));
    ASSERT_TRUE(store_->DeleteHousehold(store_->FindHousehold("G1").value().value(), kChange));
    ASSERT_TRUE(store_->Commit());
    EXPECT_TRUE(store_->IsDeregistered("G1").value());
    EXPECT_FALSE(store_->IsDeregistered("G2").value());

    ASSERT_TRUE(store_->Begin());
    auto again = store_->InsertHousehold(h, kChange);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, "store.deregistered");
    EXPECT_EQ(again.error().field, "household_code");
    EXPECT_EQ(CodeOf(store_->InsertHouseholdLogged(h, kChange, HouseholdToJson(h))), "store.deregistered");
    store_->Rollback();
    EXPECT_EQ(store_->CountHouseholds().value(), 0);
}

// Any household the model can hold comes back from the store unchanged.
RC_GTEST_PROP(StoreProperty, HouseholdRoundTrip, ()) {
    static auto store = OpenSqliteStore(TempPath("prop.db"), OpenMode::kCreate).value();
    static bool initialised = [] {
        (void)store->Begin();
        (void)store->SaveOrgUnits(SmallTree(), kChange);
        (void)store->Commit();
        return true;
    }();
    (void)initialised;
    static int n = 0;
    Household h = MakeHousehold("P" + std::to_string(n++), n);
    h.net_income_per_head = *rc::gen::inRange<int64_t>(0, 100'000'000);
    h.other_causes = *rc::gen::container<std::vector<int>>(*rc::gen::inRange(0, 3), rc::gen::inRange(1, 12));
    h.aux_measures = *rc::gen::container<std::vector<int>>(*rc::gen::inRange(0, 4), rc::gen::inRange(1, 11));
    h.pairing_cadre = *rc::gen::string<std::string>();
    if (*rc::gen::arbitrary<bool>()) h.dangerous_housing = *rc::gen::arbitrary<bool>();
    if (*rc::gen::arbitrary<bool>()) h.housing_area = *rc::gen::inRange<int64_t>(0, 1'000'000);
    if (*rc::gen::arbitrary<bool>()) h.members[1].months_worked = *rc::gen::inRange(0, 13);
    RC_ASSERT(store->Begin().has_value());
    RC_ASSERT(store->InsertHousehold(h, kChange).has_value());
    RC_ASSERT(store->Commit().has_value());
    auto back = store->FindHousehold(h.household_code).value();
    RC_ASSERT(back.has_value());
    RC_ASSERT(back->household == h);
}

std::unique_ptr<Store> OpenSqlite(const std::string& name) {
    std::string file = name;
    std::ranges::replace(file, '/', '-');
    const std::string path = TempPath(file + ".db");
    auto store = OpenSqliteStore(path, OpenMode::kCreate);
    EXPECT_TRUE(store) << store.error().ToString();
    return store ? std::move(*store) : nullptr;
}

INSTANTIATE_TEST_SUITE_P(Adapters, StoreContract, testing::Values(Adapter{"sqlite", OpenSqlite}),
                         [](const testing::TestParamInfo<Adapter>& info) { return info.param.name; });

TEST(HouseholdJson, IsValidJsonWithEscapes) {
    Household h = MakeHousehold("H\"1\\", 1);
    h.pairing_cadre = "张伟\n\t\x01";
    h.net_income_per_head = 352050;
    h.dangerous_housing = false;
    const std::string json = HouseholdToJson(h);
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(json, ec);
    ASSERT_FALSE(ec) << json;
    EXPECT_EQ(v.at("household_code").as_string(), "H\"1\\");
    EXPECT_EQ(v.at("pairing_cadre").as_string(), "张伟\n\t\x01");
    EXPECT_EQ(v.at("net_income_per_head").as_string(), "3520.5");
    EXPECT_EQ(v.at("dangerous_housing").as_bool(), false);
    EXPECT_FALSE(v.as_object().contains("exit_year")) << "absent values are left out";
    EXPECT_EQ(v.at("other_causes").as_array().size(), 1u);
    EXPECT_EQ(v.at("members").as_array().size(), 2u);
    EXPECT_EQ(v.at("members").as_array()[1].at("months_worked").as_int64(), 3);
    h.other_causes.clear();
    h.members.clear();
    ASSERT_FALSE((boost::json::parse(HouseholdToJson(h), ec), ec));
}

TEST(HouseholdJson, ReadsBackWhatItWrites) {
    Household h = MakeHousehold("H\"1\\", 1);
    h.pairing_cadre = "张伟\n\t\x01";
    h.identification_standard = 2;
    h.exit_year = 2016;
    h.net_income_per_head = -5;
    h.housing_area = 12345;
    h.dangerous_housing = false;
    h.household_electricity = true;
    h.members[1].schooling = 1;
    h.members[1].birth_date = Date{};
    EXPECT_EQ(HouseholdFromJson(HouseholdToJson(h)).value(), h);
    h.members.clear();
    h.other_causes.clear();
    EXPECT_EQ(HouseholdFromJson(HouseholdToJson(h)).value(), h);
    boost::json::object o = ParseObject(HouseholdToJson(MakeHousehold("H1", 1)));
    o["exit_year"] = nullptr;  // null reads as absent
    EXPECT_EQ(HouseholdFromJson(boost::json::serialize(o)).value(), MakeHousehold("H1", 1));
    o["net_income_per_head"] = 2500.5;
    EXPECT_EQ(HouseholdFromJson(boost::json::serialize(o)).error().field, "net_income_per_head");
    o["net_income_per_head"] = "2500.555";
    EXPECT_EQ(HouseholdFromJson(boost::json::serialize(o)).error().field, "net_income_per_head");
    o["net_income_per_head"] = "2500.5";
    o["members"].as_array()[0].as_object()["birth_date"] = "1970-13-01";
    EXPECT_EQ(HouseholdFromJson(boost::json::serialize(o)).error().field, "birth_date");
    o["members"].as_array()[0].as_object()["birth_date"] = "1970-03-05";
    o["other_causes"] = boost::json::array{"9"};
    EXPECT_EQ(HouseholdFromJson(boost::json::serialize(o)).error().field, "other_causes");
    o.erase("other_causes");
    EXPECT_EQ(HouseholdFromJson(boost::json::serialize(o)).error().code, "json.invalid");
    EXPECT_EQ(CodeOf(HouseholdFromJson("not json")), "json.invalid");
}

}  // namespace
}  // namespace jz::store_test
