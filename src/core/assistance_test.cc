// The assistance ledger's pure functions (core/assistance): item and income checks, what items pay
// as income, the cover gaps, and the measures-delivered count (builder and recount).
#include "core/assistance.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "core/codes.h"
#include "core/id_number.h"
#include "core/test_support.h"

namespace jz {
namespace {

using testing_support::Chayu;
namespace fs = std::filesystem;

// A fixture file of tests/fixtures/assistance as rows of named cells (comments skipped).
std::vector<std::map<std::string, std::string>> FixtureRows(const std::string& name) {
    const auto rows =
        testing_support::SplitCsv(testing_support::Slurp(fs::path(JZ_SOURCE_DIR) / "tests/fixtures/assistance" / name));
    std::vector<std::map<std::string, std::string>> out;
    if (rows.empty()) {
        ADD_FAILURE() << name << " is empty";
        return out;
    }
    for (size_t i = 1; i < rows.size(); ++i) {
        if (rows[i].empty() || rows[i][0].starts_with('#')) continue;
        EXPECT_EQ(rows[i].size(), rows[0].size()) << name << " row " << i + 1;
        std::map<std::string, std::string> row;
        for (size_t c = 0; c < rows[0].size() && c < rows[i].size(); ++c) row[rows[0][c]] = rows[i][c];
        out.push_back(std::move(row));
    }
    return out;
}

std::optional<Fen> Money(const std::string& text) {
    if (text.empty()) return std::nullopt;
    auto v = ParseCenti(text);
    EXPECT_TRUE(v) << text;
    return v;
}
std::optional<int> Int(const std::string& text) {
    if (text.empty()) return std::nullopt;
    return std::stoi(text);
}
std::optional<Date> Day(const std::string& text) {
    if (text.empty()) return std::nullopt;
    auto d = Date::Parse(text);
    EXPECT_TRUE(d) << text;
    return d;
}
std::vector<std::string> SplitOn(const std::string& text, char sep) {
    std::vector<std::string> out;
    if (text.empty()) return out;
    size_t start = 0;
    for (size_t i = 0; i <= text.size(); ++i)
        if (i == text.size() || text[i] == sep) {
            out.push_back(text.substr(start, i - start));
            start = i + 1;
        }
    return out;
}
std::string Joined(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : ";") + p;
    return out;
}

std::string Id(int sequence, Date birth = {1980, 5, 1}) { return MakeIdNumber("540425", birth, sequence); }

AssistanceItem GoodItem() {
    AssistanceItem item;
    item.item_code = "H001-001";
    item.household_code = "5404251002010001";
    item.measure = 8;
    item.category = codes::kCategoryPublicWelfareJob;
    item.kind = codes::kKindJobPost;
    item.start_date = {2016, 3, 1};
    item.end_date = Date{2018, 12, 31};
    item.periodic_amount = 300000;  // 3000 yuan
    item.period = codes::kPeriodYearly;
    item.member_ids = {Id(11)};
    item.fund_ref = "ZJ-2016-08";
    item.signed_on = Date{2016, 3, 5};
    item.signed_by = "扎西";
    return item;
}

std::vector<std::string> Fields(const std::vector<Error>& errors) {
    std::vector<std::string> out;
    for (const Error& e : errors) out.push_back(e.field);
    return out;
}

TEST(AssistanceCodes, EducationCategoriesMapToThePlansStages) {
    const Plan& plan = Chayu().plan;
    const PlanMeasure* education = plan.FindMeasure(5);
    ASSERT_NE(education, nullptr);
    ASSERT_EQ(education->stages.size(), 8u);
    for (const PlanMeasureStage& s : education->stages) {
        auto category = codes::EducationCategoryOf(s.id);
        ASSERT_TRUE(category) << s.id;
        EXPECT_TRUE(codes::IsEducationCategory(*category));
        EXPECT_EQ(codes::EducationStageOf(*category), s.id);
        // The table's name carries the stage's Chinese name: 教育(幼儿园).
        EXPECT_NE(codes::AssistanceCategory().NameOf(*category).find(s.name), std::string_view::npos) << s.name;
        EXPECT_EQ(codes::AssistanceCategory().Parse(s.name), category) << s.name;
    }
    EXPECT_EQ(codes::EducationStageOf(codes::kCategoryIndustry), std::nullopt);
    EXPECT_EQ(codes::EducationCategoryOf("nursery"), std::nullopt);
    EXPECT_EQ(codes::AssistanceCategory().Parse("低保"), codes::kCategorySocialSecurity);
    EXPECT_EQ(codes::AssistanceCategory().Parse("社保兜底（低保/五保）"), codes::kCategorySocialSecurity);
    EXPECT_EQ(codes::AssistanceKind().Parse("岗位"), codes::kKindJobPost);
    EXPECT_EQ(codes::AssistancePeriod().Parse("按月"), codes::kPeriodMonthly);
    EXPECT_EQ(codes::AssistancePeriod().Parse("2"), codes::kPeriodYearly);
}

TEST(AssistanceItemCheck, AGoodItemPasses) {
    EXPECT_TRUE(ValidateItem(GoodItem(), Chayu().plan).empty());
    AssistanceItem whole = GoodItem();
    whole.member_ids.clear();
    whole.item_code.clear();  // made by the service when not given
    EXPECT_TRUE(ValidateItem(whole, Chayu().plan).empty());
}

TEST(AssistanceItemCheck, EachProblemNamesItsField) {
    const Plan& plan = Chayu().plan;
    auto fields_of = [&](auto change) {
        AssistanceItem item = GoodItem();
        change(item);
        return Fields(ValidateItem(item, plan));
    };
    using V = std::vector<std::string>;
    EXPECT_EQ(fields_of([](AssistanceItem& i) { i.item_code = "a b"; }), V{"item_code"});
    EXPECT_EQ(fields_of([](AssistanceItem& i) { i.item_code = std::string(41, 'a'); }), V{"item_code"});
    EXPECT_EQ(fields_of([](AssistanceItem& i) { i.household_code.clear(); }), V{"household_code"});
    EXPECT_EQ(fields_of([](AssistanceItem& i) { i.member_ids = {"123"}; }), V{"member_ids"});
    EXPECT_EQ(fields_of([](AssistanceItem& i) { i.member_ids = {Id(12), Id(11)}; }), V{"member_ids"});
    EXPECT_EQ(fields_of([](AssistanceItem& i) { i.member_ids = {Id(11), Id(11)}; }), V{"member_ids"});
    EXPECT_EQ(fields_of([](AssistanceItem& i) { i.measure = 11; }), V{"measure"});
    EXPECT_EQ(fields_of([](AssistanceItem& i) { i.category = 99; }), V{"category"});
    // An education category only with the education measure.
    EXPECT_EQ(fields_of([](AssistanceItem& i) { i.category = codes::kCategoryPrimary; }), V{"category"});
    EXPECT_EQ(fields_of([](AssistanceItem& i) {
                  i.measure = 5;
                  i.category = codes::kCategoryPrimary;
              }),
              V{});
    EXPECT_EQ(fields_of([](AssistanceItem& i) { i.kind = 9; }), V{"kind"});
    EXPECT_EQ(fields_of([](AssistanceItem& i) { i.start_date = {}; }), V{"start_date"});
    EXPECT_EQ(fields_of([](AssistanceItem& i) { i.end_date = Date{2016, 2, 1}; }), V{"end_date"});
    EXPECT_EQ(fields_of([](AssistanceItem& i) { i.amount = -1; }), V{"amount"});
    EXPECT_EQ(fields_of([](AssistanceItem& i) { i.amount = Fen{1'000'000'000'000}; }), V{"amount"});
    EXPECT_EQ(fields_of([](AssistanceItem& i) { i.period.reset(); }), V{"period"});
    EXPECT_EQ(fields_of([](AssistanceItem& i) { i.period = 7; }), V{"period"});
    EXPECT_EQ(fields_of([](AssistanceItem& i) {
                  i.periodic_amount.reset();
                  i.period.reset();
              }),
              V{"periodic_amount"});  // a job post without pay
    EXPECT_EQ(fields_of([](AssistanceItem& i) {
                  i.kind = codes::kKindLoan;
                  i.category = codes::kCategoryMicrocredit;
              }),
              V{"amount"});
    EXPECT_EQ(fields_of([](AssistanceItem& i) { i.kind = codes::kKindShare; }), V{"amount"});
    EXPECT_EQ(fields_of([](AssistanceItem& i) { i.fund_ref = std::string(61, 'x'); }), V{"fund_ref"});
    std::string notes;
    for (int k = 0; k < 501; ++k) notes += "字";
    EXPECT_EQ(fields_of([&](AssistanceItem& i) { i.notes = notes; }), V{"notes"});
    notes.resize(notes.size() - 3);  // 500 characters (1500 bytes) is fine
    EXPECT_EQ(fields_of([&](AssistanceItem& i) { i.notes = notes; }), V{});
    EXPECT_EQ(fields_of([](AssistanceItem& i) { i.signed_on = Date{2016, 2, 28}; }), V{"signed_on"});
    EXPECT_EQ(fields_of([](AssistanceItem& i) { i.signed_by.clear(); }), V{"signed_by"});
    EXPECT_EQ(fields_of([](AssistanceItem& i) { i.signed_on.reset(); }), V{"signed_on"});

    // Both languages, a stable code.
    AssistanceItem item = GoodItem();
    item.measure = 11;
    const auto errors = ValidateItem(item, plan);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].code, "assistance.measure");
    EXPECT_FALSE(errors[0].message_zh.empty());
    EXPECT_FALSE(errors[0].message_en.empty());
}

TEST(AssistanceFixtures, ItemsAreCheckedAsTheFixtureSays) {
    const auto rows = FixtureRows("items.csv");
    ASSERT_GE(rows.size(), 25u);
    for (const auto& row : rows) {
        SCOPED_TRACE(row.at("case"));
        AssistanceItem item;
        item.item_code = row.at("item_code");
        item.household_code = row.at("household_code");
        item.member_ids = SplitOn(row.at("member_ids"), ';');
        item.measure = *Int(row.at("measure"));
        item.category = *Int(row.at("category"));
        item.kind = *Int(row.at("kind"));
        item.start_date = *Day(row.at("start_date"));
        item.end_date = Day(row.at("end_date"));
        item.amount = Money(row.at("amount"));
        item.periodic_amount = Money(row.at("periodic_amount"));
        item.period = Int(row.at("period"));
        item.fund_ref = row.at("fund_ref");
        item.signed_on = Day(row.at("signed_on"));
        item.signed_by = row.at("signed_by");
        const auto errors = ValidateItem(item, Chayu().plan);
        const std::string got = errors.empty() ? "ok" : Joined(Fields(errors));
        EXPECT_EQ(got, row.at("expect"));
        for (const Error& e : errors) {
            EXPECT_TRUE(e.code.starts_with("assistance.")) << e.code;
            EXPECT_FALSE(e.message_zh.empty());
            EXPECT_FALSE(e.message_en.empty());
        }
    }
}

TEST(AssistanceFixtures, IncomeToTheFen) {
    const auto rows = FixtureRows("income.csv");
    ASSERT_GE(rows.size(), 10u);
    for (const auto& row : rows) {
        SCOPED_TRACE(row.at("case"));
        IncomeRecord r;
        r.household_code = "5404251002010001";
        r.year = 2017;
        r.persons = *Int(row.at("persons"));
        r.wage = Money(row.at("wage"));
        r.production = Money(row.at("production"));
        r.property = Money(row.at("property"));
        r.transfer = Money(row.at("transfer"));
        r.production_costs = Money(row.at("production_costs"));
        r.typed_per_head = Money(row.at("typed_per_head"));
        EXPECT_EQ(NetIncome(r), Money(row.at("net")));
        EXPECT_EQ(NetIncomePerHead(r), Money(row.at("per_head")));
        EXPECT_EQ(Joined(Fields(ValidateIncome(r))), row.at("errors"));
    }
}

TEST(AssistanceFixtures, ContributionsToTheFen) {
    const auto rows = FixtureRows("contributions.csv");
    ASSERT_GE(rows.size(), 15u);
    for (const auto& row : rows) {
        SCOPED_TRACE(row.at("case"));
        AssistanceItem item;
        item.household_code = "5404251002010001";
        item.measure = 1;
        item.kind = *Int(row.at("kind"));
        item.category = *Int(row.at("category"));
        item.start_date = *Day(row.at("start_date"));
        item.end_date = Day(row.at("end_date"));
        item.amount = Money(row.at("amount"));
        item.periodic_amount = Money(row.at("periodic_amount"));
        item.period = Int(row.at("period"));
        if (row.at("signed") == "1") {
            item.signed_on = item.start_date;
            item.signed_by = "扎西";
        }
        const IncomeContribution c = ContributionInYear(item, *Int(row.at("year")));
        EXPECT_EQ(c.transfer, Money(row.at("transfer")));
        EXPECT_EQ(c.property, Money(row.at("property")));
    }
}

TEST(AssistanceItemCheck, MembersMustBeOfTheHousehold) {
    Household h;
    h.household_code = "5404251002010001";
    Person p;
    p.id_number = Id(11);
    h.members.push_back(p);
    AssistanceItem item = GoodItem();
    EXPECT_TRUE(ValidateItemMembers(item, h).empty());
    item.member_ids = {Id(11), Id(13)};
    const auto errors = ValidateItemMembers(item, h);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].code, "assistance.member");
    EXPECT_EQ(errors[0].field, "member_ids");
}

TEST(AssistanceItem, ActiveDuringAndNaturalKey) {
    AssistanceItem item = GoodItem();
    EXPECT_TRUE(item.ActiveDuring({2016, 1, 1}, {2016, 3, 1}));
    EXPECT_FALSE(item.ActiveDuring({2016, 1, 1}, {2016, 2, 29}));
    EXPECT_TRUE(item.ActiveDuring({2018, 12, 31}, {2019, 1, 1}));
    EXPECT_FALSE(item.ActiveDuring({2019, 1, 1}, {2019, 12, 31}));
    item.end_date.reset();
    EXPECT_TRUE(item.ActiveDuring({2030, 1, 1}, {2030, 12, 31}));

    AssistanceItem other = GoodItem();
    other.item_code = "else";
    other.notes = "different";
    EXPECT_EQ(NaturalKeyOf(item), NaturalKeyOf(other));
    other.member_ids = {Id(11), Id(12)};
    EXPECT_NE(NaturalKeyOf(item), NaturalKeyOf(other));
}

TEST(AssistanceIncome, WhatAnItemPaysInAYear) {
    AssistanceItem item = GoodItem();  // 3000 yuan a year from 2016-03-01 through 2018-12-31
    EXPECT_EQ(ContributionInYear(item, 2015).total(), 0);
    EXPECT_EQ(ContributionInYear(item, 2016).transfer, 250000);  // 10 months of 12
    EXPECT_EQ(ContributionInYear(item, 2017).transfer, 300000);
    EXPECT_EQ(ContributionInYear(item, 2018).transfer, 300000);
    EXPECT_EQ(ContributionInYear(item, 2019).total(), 0);
    item.signed_on.reset();
    EXPECT_EQ(ContributionInYear(item, 2017).total(), 0);  // unsigned: nothing

    AssistanceItem monthly = GoodItem();
    monthly.period = codes::kPeriodMonthly;
    monthly.periodic_amount = 80000;  // 800 yuan a month
    monthly.end_date = Date{2016, 6, 15};
    EXPECT_EQ(ContributionInYear(monthly, 2016).transfer, 4 * 80000);  // March..June

    AssistanceItem dividend;
    dividend.household_code = "x";
    dividend.measure = 1;
    dividend.category = codes::kCategoryCooperative;
    dividend.kind = codes::kKindShare;
    dividend.start_date = {2017, 1, 1};
    dividend.amount = 500000;  // quantified value: not income
    dividend.periodic_amount = 40000;
    dividend.period = codes::kPeriodYearly;
    dividend.signed_on = Date{2017, 1, 2};
    dividend.signed_by = "x";
    EXPECT_EQ(ContributionInYear(dividend, 2017).property, 40000);
    EXPECT_EQ(ContributionInYear(dividend, 2017).transfer, 0);

    AssistanceItem loan = dividend;
    loan.kind = codes::kKindLoan;
    loan.category = codes::kCategoryMicrocredit;
    EXPECT_EQ(ContributionInYear(loan, 2017).total(), 0);

    AssistanceItem cash = dividend;
    cash.kind = codes::kKindCash;
    cash.category = codes::kCategorySocialSecurity;
    cash.periodic_amount.reset();
    cash.period.reset();
    EXPECT_EQ(ContributionInYear(cash, 2017).transfer, 500000);
    EXPECT_EQ(ContributionInYear(cash, 2018).total(), 0);
}

TEST(AssistanceIncome, PerHeadFromTheParts) {
    IncomeRecord r;
    r.household_code = "h";
    r.year = 2017;
    r.persons = 3;
    r.wage = 1000000;
    r.production = 200000;
    r.transfer = 1;
    r.production_costs = 0;
    EXPECT_TRUE(ValidateIncome(r).empty());
    EXPECT_EQ(NetIncome(r), 1200001);
    EXPECT_EQ(NetIncomePerHead(r), 400000);  // 400000.33 → 400000
    r.transfer = 2;                          // 1200002 / 3 = 400000.67 → 400001
    EXPECT_EQ(NetIncomePerHead(r), 400001);
    r.persons = 2;
    r.transfer = 1;  // 600000.5 → 600001 (half away from zero)
    EXPECT_EQ(NetIncomePerHead(r), 600001);
    r.production_costs = 1200003;  // −2 / 2 = −1
    EXPECT_EQ(NetIncomePerHead(r), -1);
    r.production_costs = 1200002;  // −1 / 2 = −0.5 → −1
    EXPECT_EQ(NetIncomePerHead(r), -1);

    IncomeRecord typed;
    typed.household_code = "h";
    typed.year = 2016;
    typed.persons = 4;
    typed.typed_per_head = 352050;
    EXPECT_TRUE(ValidateIncome(typed).empty());
    EXPECT_EQ(NetIncome(typed), std::nullopt);
    EXPECT_EQ(NetIncomePerHead(typed), 352050);
    typed.wage = 1;
    EXPECT_EQ(Fields(ValidateIncome(typed)), std::vector<std::string>{"net_income_per_head"});

    IncomeRecord bad;
    bad.household_code = "h";
    bad.year = 1999;
    bad.persons = 0;
    bad.property = -5;
    EXPECT_EQ(Fields(ValidateIncome(bad)), (std::vector<std::string>{"year", "persons", "property"}));
    IncomeRecord empty;
    empty.household_code = "h";
    empty.year = 2017;
    empty.persons = 1;
    EXPECT_EQ(ValidateIncome(empty).size(), 1u);
}

TEST(AssistanceIncome, YearsWithWhatTheLedgerPaid) {
    IncomeRecord r;
    r.household_code = "5404251002010001";
    r.year = 2017;
    r.persons = 4;
    r.wage = 1200000;
    r.transfer = 300000;
    r.production_costs = 100000;
    const AssistanceItem item = GoodItem();
    const auto years = IncomeYears(std::span(&r, 1), std::span(&item, 1));
    ASSERT_EQ(years.size(), 3u);  // 2016 (the item only), 2017, 2018
    EXPECT_EQ(years[0].year, 2016);
    EXPECT_FALSE(years[0].record);
    EXPECT_EQ(years[0].from_assistance.transfer, 250000);
    EXPECT_EQ(years[0].policy_share_permille, std::nullopt);
    EXPECT_EQ(years[1].year, 2017);
    EXPECT_EQ(years[1].net_income, 1400000);
    EXPECT_EQ(years[1].net_income_per_head, 350000);
    EXPECT_EQ(years[1].from_assistance.transfer, 300000);
    EXPECT_EQ(years[1].policy_share_permille, 200);  // 3000 of 15000
    EXPECT_EQ(years[2].year, 2018);
}

TEST(AssistanceCover, GapsCountOnlyWhatIsRecordedAsMissing) {
    Household h;
    h.household_code = "h";
    Person adult;
    adult.id_number = Id(1, {1970, 1, 1});
    adult.birth_date = {1970, 1, 1};
    Person student = adult;
    student.id_number = Id(2, {2000, 1, 1});
    student.birth_date = {2000, 1, 1};
    student.schooling = codes::kSchoolingSenior3;
    Person child = adult;
    child.id_number = Id(3, {2010, 1, 1});
    child.birth_date = {2010, 1, 1};
    Person unrecorded = adult;
    unrecorded.id_number = Id(4, {1960, 1, 1});
    h.members = {adult, student, child, unrecorded};
    auto cover = [](const Person& p, bool medical, bool serious, bool pension) {
        PersonCoverage c;
        c.household_code = "h";
        c.id_number = p.id_number;
        c.year = 2017;
        c.basic_medical_insurance = medical;
        c.serious_illness_insurance = serious;
        c.pension_insurance = pension;
        return c;
    };
    const std::vector<PersonCoverage> rows{cover(adult, false, true, false), cover(student, true, false, false),
                                           cover(child, false, false, false)};
    const CoverageGaps gaps = GapsOf(rows, h, {2017, 6, 30});
    EXPECT_EQ(gaps.medical_uninsured, 2);  // adult, child
    EXPECT_EQ(gaps.serious_uninsured, 2);  // student, child
    EXPECT_EQ(gaps.pension_missing, 1);    // adult only: the student is in school, the child is 7
}

// --- Measures delivered --------------------------------------------------------------------------

HouseholdFacts Facts(std::string code, std::string village, std::optional<int> main, std::vector<int> aux,
                     int persons) {
    HouseholdFacts f;
    f.household_code = std::move(code);
    f.division_code = std::move(village);
    f.main_measure = main;
    f.aux_measures = std::move(aux);
    f.persons = persons;
    return f;
}

ItemFacts Item(std::string household, std::string village, int measure, int category, int kind, Date start,
               std::optional<Date> end, std::optional<Date> signed_on, std::vector<uint64_t> members, int persons,
               Fen amount) {
    ItemFacts f;
    f.household_code = std::move(household);
    f.division_code = std::move(village);
    f.measure = measure;
    f.category = category;
    f.kind = kind;
    f.start_date = start;
    f.end_date = end;
    f.signed_on = signed_on;
    f.member_keys = std::move(members);
    f.household_persons = persons;
    f.amount = amount;
    return f;
}

const MeasureDelivered& Measure(const MeasuresDelivered& d, int number) {
    auto it = std::ranges::find(d.measures, number, &MeasureDelivered::number);
    return *it;
}

TEST(MeasuresDelivered, CountsReachedHouseholdsBeneficiariesStagesAndRangers) {
    const testing_support::County& c = Chayu();
    const std::string v1 = "540425100201", v2 = "540425100001", w1 = "540425101200";
    std::vector<HouseholdFacts> households{
        Facts("A", v1, 8, {1}, 4),
        Facts("B", v2, 1, {}, 3),
        Facts("C", w1, 5, {8}, 5),
        Facts("D", v1, 10, {}, 2),
    };
    const Date from{2016, 1, 1}, to{2017, 6, 30};
    const Date signed_ok{2016, 5, 1};
    std::vector<ItemFacts> items{
        // A: a ranger (member 1), a whole-household industry item, an unsigned industry item.
        Item("A", v1, 8, codes::kCategoryPublicWelfareJob, codes::kKindJobPost, {2016, 4, 1}, std::nullopt, signed_ok,
             {1}, 4, 0),
        Item("A", v1, 1, codes::kCategoryIndustry, codes::kKindGoods, {2016, 4, 1}, std::nullopt, signed_ok, {}, 4,
             150000),
        Item("A", v1, 1, codes::kCategoryIndustry, codes::kKindCash, {2017, 1, 1}, std::nullopt, std::nullopt, {}, 4,
             20000),
        // B: industry for two named members and one of them again: 2 beneficiaries.
        Item("B", v2, 1, codes::kCategoryIndustry, codes::kKindCash, {2016, 7, 1}, std::nullopt, signed_ok, {5, 6}, 3,
             10000),
        Item("B", v2, 1, codes::kCategoryCooperative, codes::kKindShare, {2016, 7, 1}, std::nullopt, signed_ok, {6}, 3,
             500000),
        // C: two students in two stages, a ranger post that ended before `to`, one signed after `to`.
        Item("C", w1, 5, codes::kCategoryPrimary, codes::kKindCash, {2016, 9, 1}, std::nullopt, signed_ok, {7}, 5, 100),
        Item("C", w1, 5, codes::kCategoryJunior, codes::kKindCash, {2016, 9, 1}, std::nullopt, signed_ok, {8}, 5, 100),
        Item("C", w1, 8, codes::kCategoryPublicWelfareJob, codes::kKindJobPost, {2016, 1, 1}, Date{2017, 3, 31},
             signed_ok, {9}, 5, 0),
        Item("C", w1, 8, codes::kCategoryEcological, codes::kKindCash, {2017, 1, 1}, std::nullopt, Date{2017, 7, 1}, {},
             5, 0),
        // D: an item that ended before the period: not counted at all.
        Item("D", v1, 10, codes::kCategorySocialSecurity, codes::kKindCash, {2014, 1, 1}, Date{2015, 12, 31},
             Date{2014, 1, 1}, {}, 2, 0),
        // Outside the county: ignored.
        Item("Z", "540424100201", 1, codes::kCategoryIndustry, codes::kKindCash, {2016, 1, 1}, std::nullopt,
             signed_ok, {}, 9, 0),
    };
    const MeasuresDelivered d = CountDelivered(c.plan, c.tree, c.plan.county_code, from, to, households, items);
    ASSERT_EQ(d.measures.size(), c.plan.measures.size());
    const MeasureDelivered& industry = Measure(d, 1);
    EXPECT_EQ(industry.target_households, 664);
    EXPECT_EQ(industry.planned_households, 2);  // A (aux), B (main)
    EXPECT_EQ(industry.planned_main, 1);
    EXPECT_EQ(industry.reached_households, 2);
    EXPECT_EQ(industry.reached_planned, 2);
    EXPECT_EQ(industry.beneficiaries, 4 + 2);
    EXPECT_EQ(industry.items, 4);
    EXPECT_EQ(industry.unsigned_items, 1);
    EXPECT_EQ(industry.amount, 150000 + 10000 + 500000);

    const MeasureDelivered& education = Measure(d, 5);
    EXPECT_EQ(education.reached_households, 1);
    EXPECT_EQ(education.beneficiaries, 2);
    ASSERT_EQ(education.stages.size(), 8u);
    EXPECT_EQ(education.stages[0].id, "kindergarten");
    EXPECT_EQ(education.stages[0].target_persons, 27);
    EXPECT_EQ(education.stages[1].persons, 1);  // primary
    EXPECT_EQ(education.stages[2].persons, 1);  // junior
    EXPECT_EQ(education.stages[3].persons, 0);

    const MeasureDelivered& eco = Measure(d, 8);
    EXPECT_EQ(eco.planned_households, 2);  // A main, C aux
    EXPECT_EQ(eco.reached_households, 2);  // A, C (the post was active in the period)
    EXPECT_EQ(eco.reached_planned, 2);
    EXPECT_EQ(eco.beneficiaries, 2);
    EXPECT_EQ(eco.items, 3);
    EXPECT_EQ(eco.unsigned_items, 1);  // signed after `to`
    ASSERT_EQ(eco.others.size(), 1u);
    EXPECT_EQ(eco.others[0].id, "ecological_rangers");
    EXPECT_EQ(eco.others[0].target, 373);
    EXPECT_EQ(eco.others[0].held, 1);  // A's ranger; C's post ended before `to`

    const MeasureDelivered& floor = Measure(d, 10);
    EXPECT_EQ(floor.planned_households, 1);
    EXPECT_EQ(floor.reached_households, 0);
    EXPECT_EQ(floor.items, 0);

    // By township: 竹瓦根镇 (100) has A, B, D; 101 has C.
    ASSERT_GE(d.townships.size(), 2u);
    auto t100 = std::ranges::find(d.townships, std::string("540425100"), &TownshipDelivered::code);
    ASSERT_NE(t100, d.townships.end());
    EXPECT_EQ(t100->name, "竹瓦根镇");
    EXPECT_EQ(t100->measures.at(1).reached_households, 2);
    EXPECT_EQ(t100->measures.at(8).reached_households, 1);
    EXPECT_EQ(t100->measures.at(5).reached_households, 0);
    auto t101 = std::ranges::find(d.townships, std::string("540425101"), &TownshipDelivered::code);
    ASSERT_NE(t101, d.townships.end());
    EXPECT_EQ(t101->measures.at(5).beneficiaries, 2);
    EXPECT_EQ(t101->measures.at(8).planned_households, 1);

    // The builder agrees, whatever the order of households and the split.
    DeliveredBuilder a(c.plan, c.tree, c.plan.county_code, from, to);
    DeliveredBuilder b(c.plan, c.tree, c.plan.county_code, from, to);
    for (size_t i = 0; i < households.size(); ++i) (i % 2 ? a : b).AddHousehold(households[i]);
    for (const ItemFacts& f : items) (f.household_code == "C" ? a : b).AddItem(f);
    a.Merge(std::move(b));
    const MeasuresDelivered built = a.Finish();
    ASSERT_EQ(built.measures.size(), d.measures.size());
    for (size_t i = 0; i < d.measures.size(); ++i) {
        EXPECT_EQ(built.measures[i].reached_households, d.measures[i].reached_households) << i;
        EXPECT_EQ(built.measures[i].reached_planned, d.measures[i].reached_planned) << i;
        EXPECT_EQ(built.measures[i].beneficiaries, d.measures[i].beneficiaries) << i;
    }

    // A township: its villages; a village: no children.
    const MeasuresDelivered township =
        CountDelivered(c.plan, c.tree, "540425100", from, to, households, items);
    EXPECT_EQ(Measure(township, 8).reached_households, 1);
    EXPECT_EQ(Measure(township, 5).reached_households, 0);
    for (const TownshipDelivered& t : township.townships) EXPECT_EQ(t.code.size(), 12u);
    const MeasuresDelivered village = CountDelivered(c.plan, c.tree, v1, from, to, households, items);
    EXPECT_TRUE(village.townships.empty());
    EXPECT_EQ(Measure(village, 1).reached_households, 1);
}

}  // namespace
}  // namespace jz
