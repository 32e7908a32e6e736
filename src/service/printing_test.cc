// The printed household card and the registers over a generated registry: every part gathered,
// codes printed by their names, masking (ID numbers as the API masks them, birth years, phones,
// ID numbers typed into reasons), what as_of leaves out, a village's cards in code order; the
// village register's sections and totals, the township book's subtotals by village, the year's
// effective changes, the units refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>

#include "core/access.h"
#include "core/codes.h"
#include "core/procedure.h"
#include "core/test_support.h"
#include "service/household_card.h"
#include "service/registers.h"
#include "service/shares.h"
#include "service/test_registry.h"
#include "store/sqlite_store.h"

namespace jz::service {
namespace {

namespace fs = std::filesystem;
using testing_support::Chayu;

const ChangeContext kSetup{"setup", "2026-11-29T00:00:00Z", std::nullopt};

const std::string& Template() {
    static const std::string path = testing_registry::GeneratedRegistry("printing", 60, 17, kSetup);
    return path;
}

struct Registry {
    std::string path;
    std::unique_ptr<Store> store;
    std::string village;  // the village with the most households
    std::vector<Household> households;  // its households, by code
    Registry() {
        static int n = 0;
        path = (fs::temp_directory_path() / ("jz-printing-" + std::to_string(getpid()) + "-" + std::to_string(++n) + ".db"))
                   .string();
        fs::copy_file(Template(), path, fs::copy_options::overwrite_existing);
        store = OpenSqliteStore(path, OpenMode::kExisting).value();
        std::map<std::string, std::vector<Household>> by_village;
        (void)store->ScanHouseholds({}, [&](const Household& h) {
            by_village[h.division_code].push_back(h);
            return true;
        });
        for (auto& [code, list] : by_village)
            if (list.size() > households.size()) village = code, households = list;
        std::ranges::sort(households, {}, &Household::household_code);
    }
    ~Registry() {
        store.reset();
        fs::remove(path);
    }
};

bool HasWholeIdNumber(const std::string& text) { return std::regex_search(text, std::regex("[0-9]{17}[0-9Xx]")); }

std::string Everything(const HouseholdCard& c) {
    std::string s = c.head_id_number + " " + c.phone + " ";
    for (const auto& m : c.members) s += m.id_number + " " + m.birth + " ";
    for (const auto& p : c.pairings) s += p.phone + " " + p.reason + " " + p.end_reason + " ";
    return s;
}

TEST(HouseholdCard, GathersTheHouseholdWithCodesByTheirNames) {
    Registry r;
    const Household& h = r.households.front();
    auto card = BuildHouseholdCard(*r.store, Chayu().plan, Chayu().tree, h.household_code,
                                   {.as_of = {2020, 12, 31}, .mask = false, .base_url = "https://fp.example"});
    ASSERT_TRUE(card.has_value()) << card.error().ToString();
    EXPECT_EQ(card->household_code, h.household_code);
    EXPECT_EQ(card->head_name, h.head()->name);
    EXPECT_EQ(card->head_id_number, h.head()->id_number);
    EXPECT_EQ(card->attribute, codes::Attribute().NameOf(h.attribute));
    EXPECT_EQ(card->main_cause, codes::Cause().NameOf(h.main_cause));
    EXPECT_EQ(card->status, codes::Status().NameOf(h.status));
    ASSERT_EQ(card->members.size(), h.members.size());
    EXPECT_EQ(card->members[0].relation, codes::Relation().NameOf(h.members[0].relation));
    EXPECT_EQ(card->members[0].birth, h.members[0].birth_date.ToString());
    if (h.main_measure) {
        EXPECT_EQ(card->main_measure, Chayu().plan.FindMeasure(*h.main_measure)->name);
    }
    EXPECT_EQ(card->qr_payload, "https://fp.example/households/" + h.household_code);
    EXPECT_EQ(card->village, Chayu().tree.Find(h.division_code)->name());
    EXPECT_EQ(card->signatures, (std::vector<std::string>{"填表人", "户主签字"}));
    EXPECT_TRUE(HasWholeIdNumber(Everything(*card)));
}

TEST(HouseholdCard, MasksIdNumbersBirthDatesPhonesAndReasonsAsTheApiDoes) {
    Registry r;
    Household h = r.households.front();
    // A cadre with a phone, paired with a reason quoting an ID number.
    Cadre cadre;
    cadre.name = "结对干部";
    cadre.phone = "13908940123";
    cadre.rank = 2;
    cadre.division_code = "540425";
    auto tx = Transaction::Begin(*r.store);
    ASSERT_TRUE(tx.has_value());
    auto id = r.store->InsertCadre(cadre, kSetup);
    ASSERT_TRUE(id.has_value()) << id.error().ToString();
    Pairing p;
    p.household_code = h.household_code;
    p.division_code = h.division_code;
    p.cadre_id = *id;
    p.from = {2017, 3, 1};
    p.reason = "核对 " + h.head()->id_number + " 后结对";
    ASSERT_TRUE(r.store->InsertPairing(p, kSetup).has_value());
    ASSERT_TRUE(tx->Commit().has_value());
    auto card = BuildHouseholdCard(*r.store, Chayu().plan, Chayu().tree, h.household_code,
                                   {.as_of = {2020, 12, 31}, .mask = true});
    ASSERT_TRUE(card.has_value()) << card.error().ToString();
    EXPECT_TRUE(card->masked);
    EXPECT_EQ(card->head_id_number, MaskIdNumber(h.head()->id_number));
    for (size_t i = 0; i < h.members.size(); ++i) {
        EXPECT_EQ(card->members[i].id_number, MaskIdNumber(h.members[i].id_number));
        EXPECT_EQ(card->members[i].birth, std::to_string(h.members[i].birth_date.year));
    }
    ASSERT_EQ(card->pairings.size(), 1u);
    EXPECT_EQ(card->pairings[0].phone, MaskPhone("13908940123"));
    EXPECT_EQ(card->pairing_cadre, "结对干部");
    EXPECT_FALSE(HasWholeIdNumber(Everything(*card))) << Everything(*card);
    EXPECT_EQ(Everything(*card).find("13908940123"), std::string::npos);
    // Before the pairing began it is not on the card.
    auto before = BuildHouseholdCard(*r.store, Chayu().plan, Chayu().tree, h.household_code,
                                     {.as_of = {2017, 2, 28}, .mask = true});
    ASSERT_TRUE(before.has_value());
    EXPECT_TRUE(before->pairings.empty());
}

TEST(HouseholdCard, KeepsWhatIsDatedOnOrBeforeAsOf) {
    Registry r;
    const Household& h = r.households.front();
    auto add = [&](const char* code, Date start, Fen amount) {
        AssistanceRecord rec;
        rec.division_code = h.division_code;
        rec.item.item_code = code;
        rec.item.household_code = h.household_code;
        rec.item.measure = 8;
        rec.item.category = codes::kCategoryPublicWelfareJob;
        rec.item.kind = 1;
        rec.item.start_date = start;
        rec.item.amount = amount;
        auto done = r.store->InsertAssistance(rec, kSetup);
        ASSERT_TRUE(done.has_value()) << done.error().ToString();
    };
    auto tx = Transaction::Begin(*r.store);
    ASSERT_TRUE(tx.has_value());
    add("P-1", {2017, 3, 1}, 80000);
    add("P-2", {2019, 3, 1}, 90000);
    IncomeRecord inc;
    inc.household_code = h.household_code;
    inc.year = 2019;
    inc.persons = 2;
    inc.wage = 500000;
    ASSERT_TRUE(r.store->PutIncome(inc, h.division_code, std::nullopt, kSetup).has_value());
    ASSERT_TRUE(tx->Commit().has_value());
    auto card = BuildHouseholdCard(*r.store, Chayu().plan, Chayu().tree, h.household_code, {.as_of = {2018, 12, 31}});
    ASSERT_TRUE(card.has_value()) << card.error().ToString();
    ASSERT_EQ(card->assistance.size(), 1u);
    EXPECT_EQ(card->assistance[0].amount, 80000);
    EXPECT_EQ(card->assistance[0].category, codes::AssistanceCategory().NameOf(codes::kCategoryPublicWelfareJob));
    EXPECT_TRUE(card->incomes.empty());
    auto later = BuildHouseholdCard(*r.store, Chayu().plan, Chayu().tree, h.household_code, {.as_of = {2019, 12, 31}});
    ASSERT_TRUE(later.has_value());
    EXPECT_EQ(later->assistance.size(), 2u);
    ASSERT_EQ(later->incomes.size(), 1u);
    EXPECT_EQ(later->incomes[0].per_head, 250000);
}

TEST(HouseholdCard, ShareHoldingsAsTheyStoodOnAsOf) {
    Registry r;
    Asset a;
    a.id = "A-CARD-1";
    a.kind = AssetKind::kPhotovoltaic;
    a.value = 50'000'000;
    a.owner_name = "村集体";
    a.division_code = r.village;
    a.total_shares = 1000;
    auto held = AddAsset(*r.store, Chayu().plan, a, 2018, {2018, 5, 1}, kSetup);
    ASSERT_TRUE(held.has_value()) << held.error().ToString();
    if (held->empty()) GTEST_SKIP() << "no poor household in the village";
    const auto& [holder, shares] = *held->begin();
    auto before = BuildHouseholdCard(*r.store, Chayu().plan, Chayu().tree, holder, {.as_of = {2018, 4, 30}});
    ASSERT_TRUE(before.has_value()) << before.error().ToString();
    EXPECT_TRUE(before->shares.empty());
    auto after = BuildHouseholdCard(*r.store, Chayu().plan, Chayu().tree, holder, {.as_of = {2018, 5, 1}});
    ASSERT_TRUE(after.has_value());
    ASSERT_EQ(after->shares.size(), 1u);
    EXPECT_EQ(after->shares[0].asset_id, "A-CARD-1");
    EXPECT_EQ(after->shares[0].shares, shares);
    EXPECT_EQ(after->shares[0].total_shares, 1000);
    EXPECT_EQ(after->shares[0].value_share, 50'000'000 * shares / 1000);
}

TEST(HouseholdCard, AVillagesCardsInCodeOrderAndUnknownCodesRefused) {
    Registry r;
    auto cards = BuildVillageCards(*r.store, Chayu().plan, Chayu().tree, r.village, {.as_of = {2020, 12, 31}});
    ASSERT_TRUE(cards.has_value()) << cards.error().ToString();
    ASSERT_EQ(cards->size(), r.households.size());
    for (size_t i = 0; i < cards->size(); ++i) EXPECT_EQ((*cards)[i].household_code, r.households[i].household_code);
    auto township = BuildVillageCards(*r.store, Chayu().plan, Chayu().tree, r.village.substr(0, 9), {});
    ASSERT_FALSE(township.has_value());
    EXPECT_EQ(township.error().code, "card.not_a_village");
    auto missing = BuildHouseholdCard(*r.store, Chayu().plan, Chayu().tree, r.village + "999999", {});
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code, "card.unknown_household");
}

TEST(Registers, VillageRegisterHasEverySectionWithTotals) {
    Registry r;
    auto doc = BuildRegister(*r.store, Chayu().plan, Chayu().tree, r.village, {.as_of = {2020, 12, 31}, .year = 2019});
    ASSERT_TRUE(doc.has_value()) << doc.error().ToString();
    EXPECT_EQ(doc->kind, "village_register");
    EXPECT_EQ(doc->period, "2019");
    const DocSection* roster = doc->section("roster");
    ASSERT_NE(roster, nullptr);
    ASSERT_EQ(roster->rows.size(), r.households.size() + 1);
    EXPECT_TRUE(roster->rows.back().total);
    int64_t persons = 0;
    for (const auto& h : r.households) persons += static_cast<int64_t>(h.members.size());
    EXPECT_EQ(std::get<int64_t>(roster->rows.back().cells[2]), persons);
    EXPECT_EQ(std::get<std::string>(roster->rows[0].cells[0]), r.households[0].household_code);
    EXPECT_EQ(std::get<std::string>(roster->rows[0].cells[3]), codes::Attribute().NameOf(r.households[0].attribute));
    const DocSection* members = doc->section("members");
    ASSERT_NE(members, nullptr);
    EXPECT_EQ(static_cast<int64_t>(members->rows.size()), persons);
    EXPECT_EQ(std::get<std::string>(members->rows[0].cells[4]), r.households[0].members[0].birth_date.ToString());
    const DocSection* summary = doc->section("summary");
    ASSERT_NE(summary, nullptr);
    ASSERT_EQ(summary->rows.size(), 2u);  // the village and the total
    EXPECT_EQ(std::get<int64_t>(summary->rows.back().cells[1]), static_cast<int64_t>(r.households.size()));
    ASSERT_NE(doc->section("changes"), nullptr);
    EXPECT_EQ(doc->section("changes")->title_zh, "2019年动态变化");
    // Masked: birth years only.
    auto masked = BuildRegister(*r.store, Chayu().plan, Chayu().tree, r.village, {.as_of = {2020, 12, 31}, .mask = true});
    ASSERT_TRUE(masked.has_value());
    EXPECT_EQ(std::get<std::string>(masked->section("members")->rows[0].cells[4]),
              std::to_string(r.households[0].members[0].birth_date.year));
}

TEST(Registers, TheYearsEffectiveChangesWithTheirDates) {
    Registry r;
    auto tx = Transaction::Begin(*r.store);
    ASSERT_TRUE(tx.has_value());
    auto add = [&](const Household& h, const std::string& state, bool open, Date last) {
        ProcedureCase c;
        c.kind = ProcedureKind::kExit;
        c.household_code = h.household_code;
        c.division_code = h.division_code;
        c.year = 2019;
        c.state = state;
        c.open = open;
        c.persons = static_cast<int>(h.members.size());
        c.steps.push_back({.step = "propose", .date = {2019, 3, 1}, .actor = "t", .at = "2019-03-01T00:00:00Z",
                           .outcome = "passed", .from_state = "", .to_state = "proposed"});
        c.steps.push_back({.step = "announce", .date = last, .actor = "t", .at = "2019-11-01T00:00:00Z",
                           .outcome = "passed", .from_state = "notice", .to_state = state});
        auto id = r.store->InsertCase(c, kSetup);
        ASSERT_TRUE(id.has_value()) << id.error().ToString();
    };
    add(r.households[0], "exited", false, {2019, 11, 1});
    add(r.households[1], "exited", false, {2021, 1, 5});  // after as_of
    add(r.households[2], "notice", true, {2019, 10, 1});  // not effective
    ASSERT_TRUE(tx->Commit().has_value());
    auto doc = BuildRegister(*r.store, Chayu().plan, Chayu().tree, r.village, {.as_of = {2020, 12, 31}, .year = 2019});
    ASSERT_TRUE(doc.has_value()) << doc.error().ToString();
    const DocSection* changes = doc->section("changes");
    ASSERT_NE(changes, nullptr);
    ASSERT_EQ(changes->rows.size(), 1u);
    EXPECT_EQ(std::get<std::string>(changes->rows[0].cells[0]), "2019-11-01");
    EXPECT_EQ(std::get<std::string>(changes->rows[0].cells[1]), ProcedureKindNameZh(ProcedureKind::kExit));
    EXPECT_EQ(std::get<std::string>(changes->rows[0].cells[2]), r.households[0].household_code);
    EXPECT_EQ(std::get<std::string>(changes->rows[0].cells[3]), r.households[0].head()->name);
    auto later = BuildRegister(*r.store, Chayu().plan, Chayu().tree, r.village, {.as_of = {2021, 12, 31}, .year = 2019});
    ASSERT_TRUE(later.has_value());
    EXPECT_EQ(later->section("changes")->rows.size(), 2u);
}

TEST(Registers, TownshipBookSubtotalsEachVillageAndRefusesOtherUnits) {
    Registry r;
    const std::string township = r.village.substr(0, 9);
    auto doc = BuildRegister(*r.store, Chayu().plan, Chayu().tree, township, {.as_of = {2020, 12, 31}});
    ASSERT_TRUE(doc.has_value()) << doc.error().ToString();
    EXPECT_EQ(doc->kind, "township_book");
    const DocSection* roster = doc->section("roster");
    std::map<std::string, int> villages;
    int subtotals = 0;
    for (const auto& row : roster->rows) {
        const auto& first = std::get<std::string>(row.cells[0]);
        if (row.total) subtotals += first.starts_with("小计") ? 1 : 0;
        else villages[first.substr(0, 12)]++;
    }
    EXPECT_EQ(subtotals, static_cast<int>(villages.size()));
    EXPECT_GE(villages.size(), 1u);
    EXPECT_EQ(std::get<std::string>(roster->rows.back().cells[0]), "合计");
    for (const std::string& bad : {std::string("540425"), r.village + "1", std::string("999999999")}) {
        auto refused = BuildRegister(*r.store, Chayu().plan, Chayu().tree, bad, {.as_of = {2020, 12, 31}});
        ASSERT_FALSE(refused.has_value()) << bad;
        EXPECT_EQ(refused.error().code, "register.unknown_unit");
    }
}

}  // namespace
}  // namespace jz::service
