// The assistance ledger (items, income, cover) run against every adapter, its JSON forms and their
// properties, and the SQLite file's audit of the ledger's rows.

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>
#include <set>

#include "store/store_test_fixture.h"

namespace jz::store_test {
namespace {

AssistanceRecord MakeItem(const std::string& code, const std::string& household, int measure = 8,
                          Date start = {2017, 3, 1}, const std::string& division = "540425100201") {
    AssistanceRecord r;
    r.division_code = division;
    AssistanceItem& i = r.item;
    i.item_code = code;
    i.household_code = household;
    i.measure = measure;
    i.category = 3;
    i.kind = 1;
    i.start_date = start;
    i.amount = 120050;
    i.fund_ref = "F-2017-01";
    i.notes = "到户 \"现金\"";
    return r;
}

AssistanceRecord Signed(AssistanceRecord r, Date on = {2017, 3, 5}) {
    r.item.signed_on = on;
    r.item.signed_by = "扎西";
    return r;
}

std::vector<std::string> Codes(const std::vector<AssistanceRecord>& v) {
    std::vector<std::string> out;
    for (const auto& r : v) out.push_back(r.item.item_code);
    return out;
}

TEST_P(StoreContract, AssistanceInsertFindUpdateDeleteWithVersionsAndChangeLog) {
    AssistanceRecord item = MakeItem("H1-001", "H1");
    item.version = 9;  // ignored: an insert stores version 1
    item.item.member_ids = {MakeIdNumber("540425", {1970, 3, 5}, 3)};
    item.item.end_date = Date{2019, 12, 31};
    item.item.periodic_amount = 50000;
    item.item.period = 1;
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertAssistance(item, kChange));
    EXPECT_EQ(CodeOf(store_->InsertAssistance(MakeItem("H1-001", "H2"), kChange)), "store.duplicate");
    ASSERT_TRUE(store_->Commit());
    EXPECT_FALSE(store_->FindAssistance("H1-002").value().has_value());
    AssistanceRecord expected = item;
    expected.version = 1;
    const AssistanceRecord found = store_->FindAssistance("H1-001").value().value();
    EXPECT_EQ(found, expected);

    AssistanceRecord next = Signed(found);
    next.item.amount.reset();
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->UpdateAssistance(found, next, kChange));
    ASSERT_TRUE(store_->Commit());
    const AssistanceRecord updated = store_->FindAssistance("H1-001").value().value();
    next.version = 2;
    EXPECT_EQ(updated, next);

    ASSERT_TRUE(store_->Begin());
    EXPECT_EQ(CodeOf(store_->UpdateAssistance(found, next, kChange)), "store.conflict");
    AssistanceRecord other = next;
    other.item.item_code = "H1-009";
    EXPECT_EQ(CodeOf(store_->UpdateAssistance(updated, other, kChange)), "store.code_change");
    AssistanceRecord missing = updated;
    missing.item.item_code = "NOPE";
    EXPECT_EQ(CodeOf(store_->UpdateAssistance(missing, missing, kChange)), "store.not_found");
    store_->Rollback();
    EXPECT_EQ(store_->FindAssistance("H1-001").value().value(), updated);

    // A delete is an update to the tombstone: the row stays, read-only, its code taken.
    AssistanceRecord tomb = updated;
    tomb.deleted = true;
    tomb.delete_reason = "重复登记";
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->UpdateAssistance(updated, tomb, kChange));
    ASSERT_TRUE(store_->Commit());
    tomb.version = 3;
    EXPECT_EQ(store_->FindAssistance("H1-001").value().value(), tomb);
    ASSERT_TRUE(store_->Begin());
    AssistanceRecord revive = tomb;
    revive.deleted = false;
    EXPECT_EQ(CodeOf(store_->UpdateAssistance(tomb, revive, kChange)), "store.deleted");
    EXPECT_EQ(CodeOf(store_->InsertAssistance(MakeItem("H1-001", "H1"), kChange)), "store.duplicate");
    store_->Rollback();

    auto log = store_->ChangeLog({.entity = "assistance_item", .entity_key = "H1-001"}).value();
    ASSERT_EQ(log.size(), 3u);
    EXPECT_EQ(log[0].action, "insert");
    EXPECT_TRUE(log[0].before_json.empty());
    EXPECT_EQ(log[0].after_json, AssistanceRecordToJson(expected));
    EXPECT_EQ(log[1].action, "update");
    EXPECT_EQ(log[1].before_json, AssistanceRecordToJson(expected));
    EXPECT_EQ(log[1].after_json, AssistanceRecordToJson(updated));
    EXPECT_EQ(log[2].action, "delete");
    EXPECT_EQ(log[2].before_json, AssistanceRecordToJson(updated));
    EXPECT_EQ(log[2].after_json, AssistanceRecordToJson(tomb));
    EXPECT_EQ(ParseObject(log[2].after_json).at("delete_reason").as_string(), "重复登记");
    EXPECT_TRUE(ParseObject(log[2].after_json).at("deleted").as_bool());

    auto v = store_->VerifyChangeLog().value();
    EXPECT_TRUE(v.intact());
    EXPECT_EQ(v.mismatch_count, 0) << (v.mismatches.empty() ? "" : v.mismatches[0].code + " " + v.mismatches[0].entity_key);
}

TEST_P(StoreContract, AssistanceWritesNeedATransaction) {
    EXPECT_EQ(CodeOf(store_->InsertAssistance(MakeItem("X-001", "X"), kChange)), "store.no_transaction");
    EXPECT_EQ(CodeOf(store_->PutIncome({.household_code = "X", .year = 2017, .persons = 1, .wage = 1}, "540425100201",
                                       std::nullopt, kChange)),
              "store.no_transaction");
    EXPECT_EQ(CodeOf(store_->PutCoverage({.household_code = "X", .id_number = "1", .year = 2017}, "540425100201",
                                         kChange)),
              "store.no_transaction");
}

TEST_P(StoreContract, ListAssistanceHonoursEveryFilterAndPages) {
    ASSERT_TRUE(store_->Begin());
    std::vector<AssistanceRecord> all = {
        Signed(MakeItem("A-001", "A", 8, {2016, 5, 1})),                  // signed, measure 8
        MakeItem("A-002", "A", 1, {2017, 1, 1}),                          // unsigned, measure 1
        Signed(MakeItem("B-001", "B", 8, {2018, 2, 1}, "540425100200")),  // other village
        MakeItem("C-001", "C", 8, {2015, 1, 1}),                          // ended 2015-12-31
        MakeItem("C-002", "C", 8, {2017, 6, 1}),                          // deleted below
    };
    all[3].item.end_date = Date{2015, 12, 31};
    for (const auto& r : all) ASSERT_TRUE(store_->InsertAssistance(r, kChange));
    AssistanceRecord c2 = store_->FindAssistance("C-002").value().value();
    AssistanceRecord gone = c2;
    gone.deleted = true;
    gone.delete_reason = "x";
    ASSERT_TRUE(store_->UpdateAssistance(c2, gone, kChange));
    ASSERT_TRUE(store_->Commit());

    auto list = [&](AssistanceFilter f) { return Codes(store_->ListAssistance(f).value()); };
    using V = std::vector<std::string>;
    EXPECT_EQ(list({}), (V{"A-001", "A-002", "B-001", "C-001"}));
    EXPECT_EQ(list({.include_deleted = true}), (V{"A-001", "A-002", "B-001", "C-001", "C-002"}));
    EXPECT_EQ(list({.household_code = "A"}), (V{"A-001", "A-002"}));
    EXPECT_EQ(list({.division_prefix = "540425100200"}), (V{"B-001"}));
    EXPECT_EQ(list({.division_prefix = "540425100"}), (V{"A-001", "A-002", "B-001", "C-001"}));
    EXPECT_EQ(list({.division_prefix = "540426"}), V{});
    EXPECT_EQ(list({.measure = 8}), (V{"A-001", "B-001", "C-001"}));
    EXPECT_EQ(list({.from = Date{2016, 1, 1}}), (V{"A-001", "A-002", "B-001"}));
    EXPECT_EQ(list({.to = Date{2016, 12, 31}}), (V{"A-001", "C-001"}));
    EXPECT_EQ(list({.from = Date{2016, 1, 1}, .to = Date{2017, 12, 31}}), (V{"A-001", "A-002"}));
    EXPECT_EQ(list({.from = Date{2015, 12, 31}, .to = Date{2015, 12, 31}}), (V{"C-001"}));  // the end day counts
    EXPECT_EQ(list({.signed_off = true}), (V{"A-001", "B-001"}));
    EXPECT_EQ(list({.signed_off = false}), (V{"A-002", "C-001"}));
    EXPECT_EQ(list({.measure = 8, .signed_off = false, .include_deleted = true}), (V{"C-001", "C-002"}));
    // Paging by code.
    EXPECT_EQ(list({.limit = 2}), (V{"A-001", "A-002"}));
    EXPECT_EQ(list({.after_code = "A-002", .limit = 2}), (V{"B-001", "C-001"}));
    EXPECT_EQ(list({.after_code = "C-001", .limit = 2}), V{});
    // Count ignores paging.
    EXPECT_EQ(store_->CountAssistance({.after_code = "B", .limit = 1}).value(), 4);
    EXPECT_EQ(store_->CountAssistance({.measure = 8, .include_deleted = true}).value(), 4);
    EXPECT_EQ(store_->CountAssistance({.household_code = "Z"}).value(), 0);
    // A filter value with LIKE wildcards is taken literally.
    EXPECT_EQ(list({.division_prefix = "5404%"}), V{});
    EXPECT_EQ(list({.household_code = "A'--"}), V{});
}

TEST_P(StoreContract, AssistanceNaturalKeyAndLastNumber) {
    AssistanceRecord a = MakeItem("H1-007", "H1");
    a.item.member_ids = {MakeIdNumber("540425", {1970, 3, 5}, 3)};
    AssistanceRecord b = MakeItem("H1-012", "H1", 1);
    AssistanceRecord odd = MakeItem("H1-x1", "H1", 2);
    AssistanceRecord other = MakeItem("H10-099", "H10");  // a longer household code with the same start
    ASSERT_TRUE(store_->Begin());
    EXPECT_EQ(store_->LastAssistanceNumber("H1").value(), 0);
    for (const auto& r : {a, b, odd, other}) ASSERT_TRUE(store_->InsertAssistance(r, kChange));
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(store_->LastAssistanceNumber("H1").value(), 12);
    EXPECT_EQ(store_->LastAssistanceNumber("H10").value(), 99);
    EXPECT_EQ(store_->LastAssistanceNumber("H").value(), 0);

    auto by_key = [&](const AssistanceRecord& r, const std::string& household) {
        return store_->FindAssistanceByNaturalKey(household, NaturalKeyOf(r.item)).value();
    };
    ASSERT_TRUE(by_key(a, "H1").has_value());
    EXPECT_EQ(by_key(a, "H1")->item.item_code, "H1-007");
    EXPECT_EQ(by_key(b, "H1")->item.item_code, "H1-012");
    EXPECT_FALSE(by_key(a, "H10").has_value());
    AssistanceRecord unknown = a;
    unknown.item.member_ids.clear();
    EXPECT_FALSE(by_key(unknown, "H1").has_value());
    // Deleted items are not found by their natural key (their code stays taken).
    AssistanceRecord stored = store_->FindAssistance("H1-007").value().value();
    AssistanceRecord gone = stored;
    gone.deleted = true;
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->UpdateAssistance(stored, gone, kChange));
    ASSERT_TRUE(store_->Commit());
    EXPECT_FALSE(by_key(a, "H1").has_value());
    EXPECT_EQ(store_->LastAssistanceNumber("H1").value(), 12);
}

TEST_P(StoreContract, ScanItemFactsGroupsByHouseholdWithItsPersons) {
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertHousehold(MakeHousehold("H1", 1), kChange));
    Household three = MakeHousehold("H2", 2);
    three.division_code = "540425100200";
    three.members.push_back(three.members[1]);
    three.members[2].id_number = MakeIdNumber("540425", {2001, 1, 1}, 7);
    ASSERT_TRUE(store_->InsertHousehold(three, kChange));
    // Interleaved codes: the scan still groups them.
    AssistanceRecord m = Signed(MakeItem("Z-1", "H1"));
    const std::string id_a = MakeIdNumber("540425", {1972, 8, 11}, 4);
    const std::string id_b = MakeIdNumber("540425", {1970, 3, 5}, 3);
    m.item.member_ids = {id_a, id_b};
    m.item.end_date = Date{2018, 1, 31};
    ASSERT_TRUE(store_->InsertAssistance(m, kChange));
    ASSERT_TRUE(store_->InsertAssistance(MakeItem("A-1", "H2", 3, {2017, 1, 1}, "540425100200"), kChange));
    ASSERT_TRUE(store_->InsertAssistance(MakeItem("M-1", "H1", 1), kChange));
    ASSERT_TRUE(store_->InsertAssistance(MakeItem("B-1", "H2", 4, {2017, 1, 1}, "540425100200"), kChange));
    AssistanceRecord free_item = MakeItem("C-1", "GONE");  // a household not (or no longer) registered
    free_item.item.amount.reset();
    ASSERT_TRUE(store_->InsertAssistance(free_item, kChange));
    AssistanceRecord deleted = MakeItem("D-1", "H1");
    ASSERT_TRUE(store_->InsertAssistance(deleted, kChange));
    deleted.version = 1;
    AssistanceRecord tomb = deleted;
    tomb.deleted = true;
    ASSERT_TRUE(store_->UpdateAssistance(deleted, tomb, kChange));
    ASSERT_TRUE(store_->Commit());

    std::vector<ItemFacts> seen;
    ASSERT_TRUE(store_->ScanItemFacts("", [&](const ItemFacts& f) {
        seen.push_back(f);
        return true;
    }));
    ASSERT_EQ(seen.size(), 5u);
    std::vector<std::string> order;
    for (const auto& f : seen)
        if (order.empty() || order.back() != f.household_code) order.push_back(f.household_code);
    std::set<std::string> distinct(order.begin(), order.end());
    EXPECT_EQ(order.size(), distinct.size()) << "each household's items consecutively";
    EXPECT_EQ(distinct, (std::set<std::string>{"GONE", "H1", "H2"}));
    std::map<std::string, ItemFacts> by_measure_household;
    for (const auto& f : seen) {
        if (f.household_code == "H1") EXPECT_EQ(f.household_persons, 2);
        if (f.household_code == "H2") EXPECT_EQ(f.household_persons, 3);
        if (f.household_code == "GONE") {
            EXPECT_EQ(f.household_persons, 0);
            EXPECT_EQ(f.amount, 0);
        }
    }
    const auto z = std::ranges::find_if(seen, [](const ItemFacts& f) { return f.measure == 8 && f.signed_on; });
    ASSERT_NE(z, seen.end());
    EXPECT_EQ(z->household_code, "H1");
    EXPECT_EQ(z->division_code, "540425100201");
    EXPECT_EQ(z->category, 3);
    EXPECT_EQ(z->kind, 1);
    EXPECT_EQ(z->start_date, (Date{2017, 3, 1}));
    EXPECT_EQ(z->end_date, (Date{2018, 1, 31}));
    EXPECT_EQ(z->signed_on, (Date{2017, 3, 5}));
    EXPECT_EQ(z->amount, 120050);
    std::vector<uint64_t> keys = {PackIdNumber(id_a), PackIdNumber(id_b)};
    std::ranges::sort(keys);
    EXPECT_EQ(z->member_keys, keys);
    const auto whole = std::ranges::find_if(seen, [](const ItemFacts& f) { return f.measure == 3; });
    ASSERT_NE(whole, seen.end());
    EXPECT_TRUE(whole->member_keys.empty());
    EXPECT_FALSE(whole->signed_on.has_value());
    EXPECT_FALSE(whole->end_date.has_value());

    // Scoped by the items' division; the visitor may stop the scan.
    int n = 0;
    ASSERT_TRUE(store_->ScanItemFacts("540425100200", [&](const ItemFacts& f) {
        EXPECT_EQ(f.household_code, "H2");
        ++n;
        return true;
    }));
    EXPECT_EQ(n, 2);
    n = 0;
    ASSERT_TRUE(store_->ScanItemFacts("", [&](const ItemFacts&) { return ++n < 2; }));
    EXPECT_EQ(n, 2);
    // The parallel form on a small registry: everything, in part 0.
    n = 0;
    ASSERT_TRUE(store_->ScanItemFactsParallel("", 4, [&](int part, const ItemFacts&) {
        EXPECT_EQ(part, 0);
        ++n;
        return true;
    }));
    EXPECT_EQ(n, 5);
}

TEST_P(StoreContract, ScanItemFactsParallelVisitsEachItemOnceAndKeepsHouseholdsWhole) {
    constexpr int kHouseholds = 1200;
    ASSERT_TRUE(store_->Begin());
    Fen next_amount = 1;
    int items = 0;
    auto add_item = [&](const std::string& household, const std::string& division) {
        AssistanceRecord r = MakeItem(household + "-" + std::to_string(next_amount), household, 8, {2017, 1, 1},
                                      division);
        r.item.amount = next_amount++;  // the item's identity in the facts
        ASSERT_TRUE(store_->InsertAssistance(r, kChange));
        ++items;
    };
    for (int i = 0; i < kHouseholds; ++i) {
        char code[16];
        std::snprintf(code, sizeof code, "P%05d", i);
        Household h = MakeHousehold(code, i);
        if (i % 2) h.division_code = "540425100200";
        ASSERT_TRUE(store_->InsertHousehold(h, kChange));
        for (int k = 0; k <= i % 3; ++k) add_item(code, h.division_code);
    }
    add_item("A-GONE", "540425100201");   // before every registered code
    add_item("ZZ-GONE", "540425100200");  // after every one
    ASSERT_TRUE(store_->Commit());

    for (const std::string prefix : {"", "540425100200"}) {
        constexpr int kParts = 4;
        std::vector<std::vector<ItemFacts>> parts(kParts);
        ASSERT_TRUE(store_->ScanItemFactsParallel(prefix, kParts, [&](int part, const ItemFacts& f) {
            parts.at(static_cast<size_t>(part)).push_back(f);
            return true;
        }));
        std::map<Fen, int> seen;
        std::map<std::string, int> part_of;
        int used = 0;
        for (int p = 0; p < kParts; ++p) {
            if (!parts[p].empty()) ++used;
            std::string last;
            for (const ItemFacts& f : parts[p]) {
                ++seen[f.amount];
                if (f.household_code != last) {
                    EXPECT_FALSE(part_of.contains(f.household_code)) << "household split: " << f.household_code;
                    part_of[f.household_code] = p;
                    last = f.household_code;
                }
                EXPECT_TRUE(f.division_code.starts_with(prefix));
                EXPECT_EQ(f.household_persons, f.household_code.ends_with("GONE") ? 0 : 2) << f.household_code;
            }
        }
        int expected = 0;
        ASSERT_TRUE(store_->ScanItemFacts(prefix, [&](const ItemFacts& f) {
            EXPECT_EQ(seen[f.amount], 1) << f.amount;
            ++expected;
            return true;
        }));
        EXPECT_EQ(static_cast<int>(seen.size()), expected);
        if (prefix.empty()) EXPECT_EQ(expected, items);
        if (GetParam().name == "sqlite") EXPECT_GT(used, 1) << "split into parts";
    }
    // A visitor that stops: the scan ends early without an error.
    std::atomic<int> visited = 0;
    ASSERT_TRUE(store_->ScanItemFactsParallel("", 4, [&](int, const ItemFacts&) { return ++visited < 10; }));
    EXPECT_LT(visited.load(), items);
}

TEST_P(StoreContract, IncomePutFindListScanWithVersions) {
    IncomeRecord a{.household_code = "H1", .year = 2017, .persons = 3, .wage = 600000, .production = 250050,
                   .property = 0, .transfer = 120000, .production_costs = 80000, .notes = "入户核实"};
    IncomeRecord typed{.household_code = "H1", .year = 2016, .persons = 3, .typed_per_head = 280000};
    IncomeRecord b{.household_code = "H2", .year = 2017, .persons = 1, .wage = 1};
    ASSERT_TRUE(store_->Begin());
    EXPECT_EQ(store_->PutIncome(a, "540425100201", 0, kChange).value(), 1);
    EXPECT_EQ(CodeOf(store_->PutIncome(a, "540425100201", 0, kChange)), "store.conflict");
    EXPECT_EQ(store_->PutIncome(typed, "540425100201", std::nullopt, kChange).value(), 1);
    EXPECT_EQ(store_->PutIncome(b, "540425100200", std::nullopt, kChange).value(), 1);
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(store_->FindIncome("H1", 2017).value(), (IncomeRecordVersion{1, "540425100201", a}));
    EXPECT_FALSE(store_->FindIncome("H1", 2018).value().has_value());

    IncomeRecord a2 = a;
    a2.wage.reset();
    a2.notes.clear();
    ASSERT_TRUE(store_->Begin());
    EXPECT_EQ(CodeOf(store_->PutIncome(a2, "540425100201", 5, kChange)), "store.conflict");
    EXPECT_EQ(store_->PutIncome(a2, "540425100201", 1, kChange).value(), 2);
    EXPECT_EQ(store_->PutIncome(a2, "540425100201", std::nullopt, kChange).value(), 3);  // no check: last wins
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(store_->FindIncome("H1", 2017).value(), (IncomeRecordVersion{3, "540425100201", a2}));

    auto years = [&](IncomeFilter f) {
        std::vector<std::string> out;
        const auto listed = store_->ListIncome(f).value();  // kept: a range-for over a temporary's value() dangles
        for (const auto& v : listed)
            out.push_back(v.record.household_code + "/" + std::to_string(v.record.year));
        return out;
    };
    using V = std::vector<std::string>;
    EXPECT_EQ(years({}), (V{"H1/2016", "H1/2017", "H2/2017"}));
    EXPECT_EQ(years({.household_code = "H1"}), (V{"H1/2016", "H1/2017"}));
    EXPECT_EQ(years({.division_prefix = "540425100200"}), (V{"H2/2017"}));
    EXPECT_EQ(years({.year = 2017}), (V{"H1/2017", "H2/2017"}));
    EXPECT_EQ(years({.from_year = 2017}), (V{"H1/2017", "H2/2017"}));
    EXPECT_EQ(years({.to_year = 2016}), (V{"H1/2016"}));
    EXPECT_EQ(years({.limit = 1}), (V{"H1/2016"}));
    EXPECT_EQ(years({.after_household = "H1", .after_year = 2016, .limit = 1}), (V{"H1/2017"}));
    EXPECT_EQ(years({.after_household = "H1", .after_year = 2017}), (V{"H2/2017"}));

    std::vector<IncomeRecord> scanned;
    ASSERT_TRUE(store_->ScanIncomeYear("", 2017, [&](const IncomeRecord& r) {
        scanned.push_back(r);
        return true;
    }));
    ASSERT_EQ(scanned.size(), 2u);
    scanned.clear();
    ASSERT_TRUE(store_->ScanIncomeYear("540425100201", 2017, [&](const IncomeRecord& r) {
        scanned.push_back(r);
        return true;
    }));
    EXPECT_EQ(scanned, std::vector<IncomeRecord>{a2});

    auto log = store_->ChangeLog({.entity = "income", .entity_key = "H1/2017"}).value();
    ASSERT_EQ(log.size(), 3u);
    EXPECT_EQ(log[0].action, "insert");
    EXPECT_EQ(log[0].after_json, IncomeRecordToJson(a));
    EXPECT_EQ(log[1].action, "update");
    EXPECT_EQ(log[1].before_json, IncomeRecordToJson(a));
    EXPECT_EQ(log[2].after_json, IncomeRecordToJson(a2));
    auto v = store_->VerifyChangeLog().value();
    EXPECT_TRUE(v.intact());
    EXPECT_EQ(v.mismatch_count, 0);
}

TEST_P(StoreContract, CoveragePutListScan) {
    const std::string p1 = MakeIdNumber("540425", {1970, 3, 5}, 3);
    const std::string p2 = MakeIdNumber("540425", {1972, 8, 11}, 4);
    const std::string p3 = MakeIdNumber("540425", {1980, 1, 1}, 5);
    PersonCoverage c1{.household_code = "H1", .id_number = p2, .year = 2017, .basic_medical_insurance = true,
                      .serious_illness_insurance = false, .pension_insurance = true};
    PersonCoverage c2{.household_code = "H1", .id_number = p1, .year = 2017, .basic_medical_insurance = false};
    PersonCoverage c3{.household_code = "H1", .id_number = p1, .year = 2016, .dibao = true, .wubao = false};
    PersonCoverage c4{.household_code = "H2", .id_number = p3, .year = 2017, .basic_medical_insurance = true};
    ASSERT_TRUE(store_->Begin());
    for (const auto& c : {c1, c2, c3}) ASSERT_TRUE(store_->PutCoverage(c, "540425100201", kChange));
    ASSERT_TRUE(store_->PutCoverage(c4, "540425100200", kChange));
    PersonCoverage c2b = c2;
    c2b.basic_medical_insurance = true;
    ASSERT_TRUE(store_->PutCoverage(c2b, "540425100201", kChange));  // replaces
    ASSERT_TRUE(store_->Commit());
    std::vector<std::string> sorted = {p1, p2};
    std::ranges::sort(sorted);
    const std::vector<PersonCoverage> listed = store_->ListCoverage("H1").value();
    ASSERT_EQ(listed.size(), 3u);
    EXPECT_EQ(listed[0], c3);  // by year, then ID number
    EXPECT_EQ(listed[1].id_number, sorted[0]);
    EXPECT_EQ(listed[2].id_number, sorted[1]);
    EXPECT_EQ(listed[1].id_number == p1 ? listed[1] : listed[2], c2b);
    EXPECT_TRUE(store_->ListCoverage("H3").value().empty());

    std::vector<std::string> households;
    ASSERT_TRUE(store_->ScanCoverageYear("", 2017, [&](const PersonCoverage& c) {
        households.push_back(c.household_code);
        return true;
    }));
    EXPECT_EQ(households, (std::vector<std::string>{"H1", "H1", "H2"}));
    std::vector<PersonCoverage> year;
    ASSERT_TRUE(store_->ScanCoverageYear("540425100201", 2017, [&](const PersonCoverage& c) {
        year.push_back(c);
        return true;
    }));
    ASSERT_EQ(year.size(), 2u);
    EXPECT_EQ(year[0].id_number == p1 ? year[0] : year[1], c2b);  // every answer, as written
    EXPECT_EQ(year[0].id_number == p2 ? year[0] : year[1], c1);
    year.clear();
    ASSERT_TRUE(store_->ScanCoverageYear("", 2016, [&](const PersonCoverage& c) {
        year.push_back(c);
        return true;
    }));
    EXPECT_EQ(year, std::vector<PersonCoverage>{c3});
    households.clear();
    ASSERT_TRUE(store_->ScanCoverageYear("540425100200", 2017, [&](const PersonCoverage& c) {
        households.push_back(c.household_code);
        return true;
    }));
    EXPECT_EQ(households, (std::vector<std::string>{"H2"}));

    auto log = store_->ChangeLog({.entity = "coverage", .entity_key = p1 + "/2017"}).value();
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0].action, "insert");
    EXPECT_EQ(log[1].action, "update");
    EXPECT_EQ(log[1].before_json, CoverageToJson(c2));
    EXPECT_EQ(log[1].after_json, CoverageToJson(c2b));
    auto v = store_->VerifyChangeLog().value();
    EXPECT_TRUE(v.intact());
    EXPECT_EQ(v.mismatch_count, 0);
}

TEST_P(StoreContract, DeletingAHouseholdKeepsItsLedger) {
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertHousehold(MakeHousehold("H1", 1), kChange));
    ASSERT_TRUE(store_->InsertAssistance(Signed(MakeItem("H1-001", "H1")), kChange));
    ASSERT_TRUE(store_->PutIncome({.household_code = "H1", .year = 2017, .persons = 2, .wage = 100}, "540425100201",
                                  std::nullopt, kChange));
    ASSERT_TRUE(store_->PutCoverage({.household_code = "H1", .id_number = "X", .year = 2017, .dibao = true},
                                    "540425100201", kChange));
    ASSERT_TRUE(store_->Commit());
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->DeleteHousehold(store_->FindHousehold("H1").value().value(), kChange));
    ASSERT_TRUE(store_->Commit());
    EXPECT_FALSE(store_->FindHousehold("H1").value().has_value());
    EXPECT_TRUE(store_->FindAssistance("H1-001").value().has_value());
    EXPECT_EQ(store_->ListAssistance({.household_code = "H1"}).value().size(), 1u);
    EXPECT_TRUE(store_->FindIncome("H1", 2017).value().has_value());
    EXPECT_EQ(store_->ListCoverage("H1").value().size(), 1u);
    int n = 0;
    ASSERT_TRUE(store_->ScanItemFacts("", [&](const ItemFacts& f) {
        EXPECT_EQ(f.household_persons, 0);
        ++n;
        return true;
    }));
    EXPECT_EQ(n, 1);
    auto v = store_->VerifyChangeLog().value();
    EXPECT_TRUE(v.intact());
    EXPECT_EQ(v.mismatch_count, 0);
}

TEST_P(StoreContract, ChangeLogScopeCoversTheLedgerByItsDivision) {
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertAssistance(MakeItem("A-1", "A", 8, {2017, 1, 1}, "540425100201"), kChange));
    ASSERT_TRUE(store_->InsertAssistance(MakeItem("B-1", "B", 8, {2017, 1, 1}, "540425100200"), kChange));
    ASSERT_TRUE(store_->PutIncome({.household_code = "A", .year = 2017, .persons = 1, .wage = 1}, "540425100201",
                                  std::nullopt, kChange));
    ASSERT_TRUE(store_->PutIncome({.household_code = "B", .year = 2017, .persons = 1, .wage = 1}, "540425100200",
                                  std::nullopt, kChange));
    ASSERT_TRUE(store_->PutCoverage({.household_code = "A", .id_number = "PA", .year = 2017}, "540425100201", kChange));
    ASSERT_TRUE(store_->PutCoverage({.household_code = "B", .id_number = "PB", .year = 2017}, "540425100200", kChange));
    ASSERT_TRUE(store_->Commit());
    auto keys = [&](const std::string& prefix) {
        std::vector<std::string> out;
        const auto entries = store_->ChangeLog({.division_prefix = prefix}).value();  // kept (see above)
        for (const auto& e : entries)
            out.push_back(e.entity + ":" + e.entity_key);
        return out;
    };
    EXPECT_EQ(keys("540425100201"), (std::vector<std::string>{"assistance_item:A-1", "income:A/2017", "coverage:PA/2017"}));
    EXPECT_EQ(keys("540425100200"), (std::vector<std::string>{"assistance_item:B-1", "income:B/2017", "coverage:PB/2017"}));
    EXPECT_EQ(keys("540425100").size(), 6u);
    EXPECT_EQ(keys("540426").size(), 0u);
    EXPECT_EQ(keys("").size(), 7u);  // with the org units
}

// Any sequence of item writes (inserts, duplicate inserts, updates, stale updates, deletes) and
// income puts leaves the store equal to a model kept beside it: every record as last written,
// the scan's facts of exactly the live items grouped by household, and a clean audit.
TEST_P(StoreContract, AnyLedgerSequenceMatchesAModelAndVerifies) {
    int run = 0;
    const auto result = rc::check("ledger sequences", [&] {
        auto store = GetParam().open("ledger-property-" + std::to_string(run++));
        RC_ASSERT(store != nullptr);
        std::map<std::string, AssistanceRecord> model;
        std::map<std::string, int64_t> income_versions;
        const int steps = *rc::gen::inRange(1, 40);
        RC_ASSERT(store->Begin().has_value());
        for (int step = 0; step < steps; ++step) {
            const int op = *rc::gen::inRange(0, 5);
            if (op <= 1 || model.empty()) {
                const std::string household = *rc::gen::element<std::string>("H1", "H2", "H10", "G");
                const std::string code = household + "-" + std::to_string(*rc::gen::inRange(1, 12));
                AssistanceRecord r = MakeItem(code, household, *rc::gen::inRange(1, 11),
                                              Date{2016 + *rc::gen::inRange(0, 3), 1 + *rc::gen::inRange(0, 12), 1},
                                              *rc::gen::element<std::string>("540425100201", "540425100200"));
                if (*rc::gen::arbitrary<bool>()) r = Signed(r);
                const auto inserted = store->InsertAssistance(r, kChange);
                if (model.contains(code)) {
                    RC_ASSERT(CodeOf(inserted) == "store.duplicate");
                } else {
                    RC_ASSERT(inserted.has_value());
                    r.version = 1;
                    model[code] = r;
                }
            } else if (op <= 3) {
                auto it = model.begin();
                std::advance(it, *rc::gen::inRange<size_t>(0, model.size()));
                AssistanceRecord before = it->second;
                AssistanceRecord after = before;
                const bool stale = *rc::gen::inRange(0, 6) == 0;
                if (stale) before.version -= 1;
                after.item.amount = *rc::gen::inRange<int64_t>(0, 100000);
                after.deleted = op == 3;
                if (after.deleted) after.delete_reason = "删除";
                const auto updated = store->UpdateAssistance(before, after, kChange);
                if (it->second.deleted) {
                    RC_ASSERT(CodeOf(updated) == (stale ? "store.conflict" : "store.deleted"));
                } else if (stale) {
                    RC_ASSERT(CodeOf(updated) == "store.conflict");
                } else {
                    RC_ASSERT(updated.has_value());
                    after.version = before.version + 1;
                    it->second = after;
                }
            } else {
                const std::string household = *rc::gen::element<std::string>("H1", "H2");
                IncomeRecord in{.household_code = household, .year = 2017, .persons = 2,
                                .wage = *rc::gen::inRange<int64_t>(0, 1000000)};
                const int64_t stored = income_versions[household];
                const bool check = *rc::gen::arbitrary<bool>();
                const auto put = store->PutIncome(in, "540425100201", check ? std::optional<int64_t>(stored) : std::nullopt,
                                                  kChange);
                RC_ASSERT(put.has_value());
                RC_ASSERT(*put == stored + 1);
                income_versions[household] = *put;
            }
        }
        RC_ASSERT(store->Commit().has_value());

        std::vector<AssistanceRecord> expected;
        for (const auto& [code, r] : model) expected.push_back(r);
        RC_ASSERT(store->ListAssistance({.include_deleted = true}).value() == expected);
        int64_t live = 0;
        std::map<std::string, std::multiset<Fen>> live_amounts;
        for (const auto& r : expected)
            if (!r.deleted) {
                ++live;
                live_amounts[r.item.household_code].insert(r.item.amount.value_or(0));
            }
        RC_ASSERT(store->CountAssistance({}).value() == live);
        std::map<std::string, std::multiset<Fen>> scanned;
        std::vector<std::string> order;
        RC_ASSERT(store->ScanItemFacts("", [&](const ItemFacts& f) {
                           if (order.empty() || order.back() != f.household_code) order.push_back(f.household_code);
                           scanned[f.household_code].insert(f.amount);
                           return true;
                       })
                      .has_value());
        RC_ASSERT(scanned == live_amounts);
        RC_ASSERT(order.size() == scanned.size());  // each household once: its items together
        for (const auto& [household, version] : income_versions)
            RC_ASSERT(store->FindIncome(household, 2017).value()->version == version);
        const ChainVerification v = store->VerifyChangeLog().value();
        RC_ASSERT(v.intact());
        RC_ASSERT(v.rows == static_cast<int64_t>(model.size() + income_versions.size()));
    });
    EXPECT_TRUE(result);
}

// --- JSON ----------------------------------------------------------------------------------------

TEST(AssistanceJson, WritesDecimalsDatesAndLeavesOutWhatIsAbsent) {
    AssistanceRecord r = Signed(MakeItem("H1-001", "H1"));
    r.version = 4;
    r.item.member_ids = {"540425197003050031"};
    r.item.periodic_amount = 5;
    r.item.period = 2;
    const boost::json::object o = ParseObject(AssistanceRecordToJson(r));
    EXPECT_EQ(o.at("amount").as_string(), "1200.5");
    EXPECT_EQ(o.at("periodic_amount").as_string(), "0.05");
    EXPECT_EQ(o.at("start_date").as_string(), "2017-03-01");
    EXPECT_EQ(o.at("signed_on").as_string(), "2017-03-05");
    EXPECT_EQ(o.at("version").as_int64(), 4);
    EXPECT_FALSE(o.at("deleted").as_bool());
    EXPECT_FALSE(o.contains("end_date"));
    EXPECT_FALSE(o.contains("delete_reason"));
    EXPECT_EQ(o.at("member_ids").as_array().size(), 1u);
    EXPECT_EQ(AssistanceRecordFromJson(AssistanceRecordToJson(r)).value(), r);

    IncomeRecord in{.household_code = "H1", .year = 2017, .persons = 3, .wage = 100, .production_costs = 250};
    const boost::json::object io = ParseObject(IncomeRecordToJson(in));
    EXPECT_EQ(io.at("wage").as_string(), "1");
    EXPECT_EQ(io.at("production_costs").as_string(), "2.5");
    EXPECT_FALSE(io.contains("transfer"));
    EXPECT_EQ(IncomeRecordFromJson(IncomeRecordToJson(in)).value(), in);

    PersonCoverage c{.household_code = "H1", .id_number = "X", .year = 2017, .basic_medical_insurance = false};
    const boost::json::object co = ParseObject(CoverageToJson(c));
    EXPECT_FALSE(co.at("basic_medical_insurance").as_bool());
    EXPECT_FALSE(co.contains("dibao"));
    EXPECT_EQ(CoverageFromJson(CoverageToJson(c)).value(), c);
}

TEST(AssistanceJson, ReadersAreStrictAndNameTheField) {
    auto field = [](const auto& r) { return r ? std::string("(ok)") : r.error().field; };
    const std::string base = R"("household_code":"H1","measure":8,"category":3,"kind":1,"start_date":"2017-03-01")";
    EXPECT_EQ(field(AssistanceRecordFromJson("{" + base + "}")), "(ok)");
    EXPECT_EQ(field(AssistanceRecordFromJson("{" + base + R"(,"end_date":null,"amount":null})")), "(ok)");
    EXPECT_EQ(field(AssistanceRecordFromJson("{" + base + R"(,"amount":12.5})")), "amount");
    EXPECT_EQ(field(AssistanceRecordFromJson("{" + base + R"(,"amount":"12.345"})")), "amount");
    EXPECT_EQ(field(AssistanceRecordFromJson("{" + base + R"(,"signed_on":"2017-3-1"})")), "signed_on");
    EXPECT_EQ(field(AssistanceRecordFromJson("{" + base + R"(,"member_ids":["a",1]})")), "member_ids");
    EXPECT_EQ(field(AssistanceRecordFromJson("{" + base + R"(,"deleted":"no"})")), "deleted");
    EXPECT_EQ(field(AssistanceRecordFromJson("{" + base + R"(,"period":"1"})")), "period");
    EXPECT_EQ(field(AssistanceRecordFromJson(R"({"household_code":"H1","category":3,"kind":1,"start_date":"2017-03-01"})")),
              "measure");
    EXPECT_EQ(AssistanceRecordFromJson("[1]").error().code, "json.invalid");
    EXPECT_EQ(AssistanceRecordFromJson("{").error().code, "json.invalid");
    EXPECT_EQ(field(IncomeRecordFromJson(R"({"household_code":"H1","year":2017,"persons":"2"})")), "persons");
    EXPECT_EQ(field(IncomeRecordFromJson(R"({"household_code":"H1","year":2017,"persons":2,"wage":100})")), "wage");
    EXPECT_EQ(field(IncomeRecordFromJson(R"({"household_code":"H1","year":2017,"persons":2,"net_income_per_head":"3000"})")),
              "(ok)");
    EXPECT_EQ(field(CoverageFromJson(R"({"household_code":"H1","id_number":"X","year":2017,"dibao":1})")), "dibao");
    EXPECT_EQ(field(CoverageFromJson(R"({"household_code":"H1","year":2017})")), "id_number");
    const auto e = CoverageFromJson(R"({"household_code":"H1","id_number":"X","year":2017,"dibao":1})").error();
    EXPECT_EQ(e.code, "json.invalid");
    EXPECT_NE(e.message_zh.find("dibao"), std::string::npos);
    EXPECT_NE(e.message_en.find("dibao"), std::string::npos);
}

rc::Gen<std::string> AnyText() {
    return rc::gen::container<std::string>(
        rc::gen::oneOf(rc::gen::inRange<char>(0, 127), rc::gen::element('\\', '"', '\n')));
}
rc::Gen<Date> AnyDate() {
    return rc::gen::apply([](int y, int m, int d) { return Date{y, m, d}; }, rc::gen::inRange(1990, 2100),
                          rc::gen::inRange(1, 13), rc::gen::inRange(1, 29));
}
template <class T>
rc::Gen<std::optional<T>> Opt(rc::Gen<T> gen) {
    return rc::gen::map(rc::gen::maybe(std::move(gen)),
                        [](rc::Maybe<T> m) { return m ? std::optional<T>(*m) : std::optional<T>(); });
}
rc::Gen<std::optional<Fen>> Money() {
    return Opt(rc::gen::inRange<int64_t>(-1'000'000'000'000, 1'000'000'000'000));
}

RC_GTEST_PROP(AssistanceJson, RecordsRoundTrip, ()) {
    AssistanceRecord r;
    r.version = *rc::gen::inRange<int64_t>(0, 1'000'000);
    r.division_code = *AnyText();
    r.deleted = *rc::gen::arbitrary<bool>();
    r.delete_reason = *AnyText();
    AssistanceItem& i = r.item;
    i.item_code = *AnyText();
    i.household_code = *AnyText();
    i.member_ids = *rc::gen::container<std::vector<std::string>>(AnyText());
    i.measure = *rc::gen::arbitrary<int>();
    i.category = *rc::gen::arbitrary<int>();
    i.kind = *rc::gen::arbitrary<int>();
    i.start_date = *AnyDate();
    i.end_date = *Opt(AnyDate());
    i.amount = *Money();
    i.periodic_amount = *Money();
    i.period = *Opt(rc::gen::arbitrary<int>());
    i.fund_ref = *AnyText();
    i.notes = *AnyText();
    i.signed_on = *Opt(AnyDate());
    i.signed_by = *AnyText();
    const auto back = AssistanceRecordFromJson(AssistanceRecordToJson(r));
    RC_ASSERT(back.has_value());
    RC_ASSERT(*back == r);

    IncomeRecord in;
    in.household_code = *AnyText();
    in.year = *rc::gen::arbitrary<int>();
    in.persons = *rc::gen::arbitrary<int>();
    in.wage = *Money();
    in.production = *Money();
    in.property = *Money();
    in.transfer = *Money();
    in.production_costs = *Money();
    in.typed_per_head = *Money();
    in.notes = *AnyText();
    const auto in_back = IncomeRecordFromJson(IncomeRecordToJson(in));
    RC_ASSERT(in_back.has_value());
    RC_ASSERT(*in_back == in);

    PersonCoverage c;
    c.household_code = *AnyText();
    c.id_number = *AnyText();
    c.year = *rc::gen::arbitrary<int>();
    c.basic_medical_insurance = *Opt(rc::gen::arbitrary<bool>());
    c.serious_illness_insurance = *Opt(rc::gen::arbitrary<bool>());
    c.pension_insurance = *Opt(rc::gen::arbitrary<bool>());
    c.dibao = *Opt(rc::gen::arbitrary<bool>());
    c.wubao = *Opt(rc::gen::arbitrary<bool>());
    const auto c_back = CoverageFromJson(CoverageToJson(c));
    RC_ASSERT(c_back.has_value());
    RC_ASSERT(*c_back == c);
}

// --- The SQLite file: the audit of the ledger's rows ---------------------------------------------

// A registry with a ledger: items (one deleted), income and cover, every write logged.
std::string MakeLedgerDatabase() {
    const std::string path = TempPath("ledger.db");
    auto store = OpenSqliteStore(path, OpenMode::kCreate).value();
    EXPECT_TRUE(store->Begin());
    EXPECT_TRUE(store->SaveOrgUnits(SmallTree(), kChange));
    EXPECT_TRUE(store->InsertHousehold(MakeHousehold("H1", 1), kChange));
    AssistanceRecord a = Signed(MakeItem("H1-001", "H1"));
    a.item.member_ids = {MakeIdNumber("540425", {1970, 3, 5}, 3)};
    EXPECT_TRUE(store->InsertAssistance(a, kChange));
    EXPECT_TRUE(store->InsertAssistance(MakeItem("H1-002", "H1", 1), kChange));
    AssistanceRecord b = store->FindAssistance("H1-002").value().value();
    AssistanceRecord tomb = b;
    tomb.deleted = true;
    tomb.delete_reason = "录入错误";
    EXPECT_TRUE(store->UpdateAssistance(b, tomb, kChange));
    EXPECT_TRUE(store->PutIncome({.household_code = "H1", .year = 2017, .persons = 2, .wage = 500000}, "540425100201",
                                 std::nullopt, kChange));
    EXPECT_TRUE(store->PutCoverage({.household_code = "H1", .id_number = a.item.member_ids[0], .year = 2017,
                                    .basic_medical_insurance = true},
                                   "540425100201", kChange));
    EXPECT_TRUE(store->Commit());
    return path;
}

TEST(SqliteAssistanceAudit, CleanLedgerVerifies) {
    const std::string path = MakeLedgerDatabase();
    EXPECT_EQ(AuditMismatches(path), std::vector<std::string>{});
    auto store = OpenSqliteStore(path, OpenMode::kExisting).value();
    EXPECT_EQ(store->VerifyChangeLog().value().rows, 5);  // one household, two items, income, cover
}

TEST(SqliteAssistanceAudit, TamperedRowsAreNamed) {
    using V = std::vector<std::string>;
    {
        const std::string path = MakeLedgerDatabase();
        ExecOn(path, "UPDATE assistance_item SET body_json = replace(body_json, '\"1200.5\"', '\"9200.5\"'),"
                     " amount = 920050 WHERE item_code = 'H1-001'");
        EXPECT_EQ(AuditMismatches(path), (V{"audit.row_mismatch assistance_item H1-001 amount"}));
    }
    {
        const std::string path = MakeLedgerDatabase();
        ExecOn(path, "UPDATE assistance_item SET signed_on = NULL WHERE item_code = 'H1-001'");
        EXPECT_EQ(AuditMismatches(path), (V{"audit.row_derived assistance_item H1-001 signed_on"}));
    }
    {
        const std::string path = MakeLedgerDatabase();
        ExecOn(path, "UPDATE assistance_item SET deleted = 0, body_json = replace(body_json, '\"deleted\":true',"
                     " '\"deleted\":false') WHERE item_code = 'H1-002'");
        EXPECT_EQ(AuditMismatches(path), (V{"audit.row_mismatch assistance_item H1-002 deleted"}));
    }
    {
        const std::string path = MakeLedgerDatabase();
        ExecOn(path, "DELETE FROM assistance_item WHERE item_code = 'H1-002'");
        ExecOn(path, "UPDATE income SET body_json = replace(body_json, '5000', '6000')");
        ExecOn(path, "UPDATE coverage SET household_code = 'H9', flags = 0");
        EXPECT_EQ(AuditMismatches(path), (V{"audit.row_mismatch income H1/2017 wage",
                                       "audit.row_derived coverage " + MakeIdNumber("540425", {1970, 3, 5}, 3) +
                                           "/2017 household_code flags",
                                       "audit.row_missing assistance_item H1-002"}));
    }
    {
        const std::string path = MakeLedgerDatabase();
        ExecOn(path, "INSERT INTO income SELECT household_code, 2018, division_code, version, updated_at,"
                     " replace(body_json, '2017', '2018') FROM income");
        EXPECT_EQ(AuditMismatches(path), (V{"audit.row_unlogged income H1/2018"}));
    }
}

// A bulk load sets the items' division index aside; the code index stays (the duplicate check),
// and everything works again once it ends.
TEST(SqliteAssistance, BulkLoadOfItemsKeepsTheDuplicateCheck) {
    const std::string path = TempPath("ledger-bulk.db");
    auto store = OpenSqliteStore(path, OpenMode::kCreate).value();
    ASSERT_TRUE(store->Begin());
    ASSERT_TRUE(store->SaveOrgUnits(SmallTree(), kChange));
    ASSERT_TRUE(store->Commit());
    ASSERT_TRUE(store->Begin());
    ASSERT_TRUE(store->BeginBulkLoad());
    for (int i = 0; i < 50; ++i)
        ASSERT_TRUE(store->InsertAssistance(
            MakeItem("B" + std::to_string(i % 10) + "-" + std::to_string(i), "B" + std::to_string(i % 10), 8,
                     {2017, 1, 1}, i % 2 ? "540425100201" : "540425100200"),
            kChange));
    EXPECT_EQ(CodeOf(store->InsertAssistance(MakeItem("B3-3", "B3"), kChange)), "store.duplicate");
    ASSERT_TRUE(store->EndBulkLoad());
    ASSERT_TRUE(store->Commit());
    EXPECT_EQ(store->CountAssistance({.division_prefix = "540425100200"}).value(), 25);
    EXPECT_EQ(store->ListAssistance({.household_code = "B3"}).value().size(), 5u);
    EXPECT_EQ(AuditMismatches(path), std::vector<std::string>{});
}

}  // namespace
}  // namespace jz::store_test
