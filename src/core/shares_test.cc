#include "core/shares.h"

#include <gtest/gtest.h>

#include <numeric>
#include <string>
#include <vector>

#include "core/codes.h"

namespace jz {
namespace {

constexpr char kVillage[] = "540425100201";
constexpr char kOtherVillage[] = "540425100202";

Asset Greenhouse(int64_t total_shares = 100) {
    Asset a;
    a.id = "A-001";
    a.project_id = "P-2017-01";
    a.kind = AssetKind::kGreenhouse;
    a.value = 100'000'00;  // 100,000 yuan
    a.owner = AssetOwner::kCooperative;
    a.owner_name = "察隅县扎那村蔬菜合作社";
    a.division_code = kVillage;
    a.total_shares = total_shares;
    return a;
}

ShareHousehold Poor(std::string code, int persons = 1, bool labour = true, bool is_new = false,
                    std::string village = kVillage) {
    return {std::move(code), std::move(village), ShareStatus::kPoor, persons, labour, is_new};
}

ShareHousehold With(ShareHousehold h, ShareStatus status) {
    h.status = status;
    return h;
}

int64_t Sum(const Holdings& h) {
    int64_t s = 0;
    for (const auto& [k, v] : h) s += v;
    return s;
}

// --- Code table and asset checks -----------------------------------------------------------------

TEST(SharesAssetKind, TableParsesCodeNameAndChinese) {
    EXPECT_EQ(AssetKinds().size(), 8u);
    EXPECT_EQ(ParseAssetKind("4"), AssetKind::kPhotovoltaic);
    EXPECT_EQ(ParseAssetKind("photovoltaic"), AssetKind::kPhotovoltaic);
    EXPECT_EQ(ParseAssetKind("光伏电站"), AssetKind::kPhotovoltaic);
    EXPECT_EQ(ParseAssetKind("99"), AssetKind::kOther);
    EXPECT_EQ(ParseAssetKind("8"), std::nullopt);
    EXPECT_EQ(ParseAssetKind("mine"), std::nullopt);
    EXPECT_EQ(ParseAssetKind(""), std::nullopt);
    EXPECT_EQ(AssetKindName(AssetKind::kRentalShop), "rental_shop");
    EXPECT_EQ(AssetKindNameZh(AssetKind::kHotel), "宾馆");
}

TEST(SharesAsset, ValidAssetPasses) { EXPECT_TRUE(ValidateAsset(Greenhouse()).has_value()); }

TEST(SharesAsset, EachRefusalNamesItsRule) {
    struct Case {
        const char* code;
        void (*change)(Asset&);
    };
    const Case cases[] = {
        {"shares.asset_id", [](Asset& a) { a.id.clear(); }},
        {"shares.kind", [](Asset& a) { a.kind = static_cast<AssetKind>(42); }},
        {"shares.value_invalid", [](Asset& a) { a.value = -1; }},
        {"shares.owner_name", [](Asset& a) { a.owner_name.clear(); }},
        {"shares.division_invalid", [](Asset& a) { a.division_code = "54042510020"; }},
        {"shares.division_invalid", [](Asset& a) { a.division_code = "54042510020X"; }},
        {"shares.split_invalid", [](Asset& a) { a.poor_permille = 600; }},
        {"shares.split_invalid",
         [](Asset& a) {
             a.poor_permille = 1100;
             a.village_permille = -100;
             a.cooperative_permille = 0;
         }},
        {"shares.total_invalid", [](Asset& a) { a.total_shares = 0; }},
        {"shares.total_invalid", [](Asset& a) { a.total_shares = -5; }},
        {"shares.floor_rate_invalid", [](Asset& a) { a.floor_rate_bp = -1; }},
        {"shares.floor_rate_invalid", [](Asset& a) { a.floor_rate_bp = 10001; }},
        {"shares.cap_invalid", [](Asset& a) { a.cap_per_share = 0; }},
    };
    for (const Case& c : cases) {
        Asset a = Greenhouse();
        c.change(a);
        const Result<void> r = ValidateAsset(a);
        ASSERT_FALSE(r.has_value()) << c.code;
        EXPECT_EQ(r.error().code, c.code);
        EXPECT_FALSE(r.error().message_zh.empty());
        EXPECT_FALSE(r.error().message_en.empty());
    }
}

TEST(SharesAsset, PlanDefaultsFillFloorAndSplit) {
    PlanShares s;
    s.floor_rate_bp = 800;
    s.split_poor_permille = 600;
    s.split_village_permille = 400;
    s.split_cooperative_permille = 0;
    const Asset a = AssetWithPlanDefaults(Greenhouse(), s);
    EXPECT_EQ(a.floor_rate_bp, 800);
    EXPECT_EQ(a.poor_permille, 600);
    EXPECT_EQ(a.village_permille, 400);
    EXPECT_EQ(a.cooperative_permille, 0);
}

// --- Households ----------------------------------------------------------------------------------

TEST(SharesHousehold, RegistryStatusMapsToPoorOrExited) {
    EXPECT_EQ(ShareStatusOfRegistry(codes::kStatusNotExited), ShareStatus::kPoor);
    EXPECT_EQ(ShareStatusOfRegistry(codes::kStatusFallback), ShareStatus::kPoor);
    EXPECT_EQ(ShareStatusOfRegistry(codes::kStatusExited), ShareStatus::kExited);
    EXPECT_EQ(ShareStatusOfRegistry(codes::kStatusExitedNoPolicy), ShareStatus::kExited);
}

TEST(SharesHousehold, FactsFromTheRegistryRecord) {
    Household h;
    h.household_code = "H1";
    h.division_code = kVillage;
    h.status = codes::kStatusFallback;
    h.identified_year = 2018;
    h.members.resize(3);
    h.members[0].labour = codes::kLabourLost;
    h.members[1].labour = codes::kLabourNone;
    ShareHousehold f = ShareHouseholdOf(h, 2018);
    EXPECT_EQ(f.status, ShareStatus::kPoor);
    EXPECT_EQ(f.persons, 3);
    EXPECT_FALSE(f.has_labour);
    EXPECT_TRUE(f.newly_identified);
    h.members[2].labour = codes::kLabourSkilled;
    f = ShareHouseholdOf(h, 2019);
    EXPECT_TRUE(f.has_labour);
    EXPECT_FALSE(f.newly_identified);
}

TEST(SharesFacts, PoorInPriorityOrderWithoutLabourFirst) {
    const ShareFacts facts({Poor("H3", 1, true), Poor("H2", 1, false), Poor("H1", 1, true),
                            With(Poor("H0", 1, false), ShareStatus::kExited), Poor("H9", 1, false, true, kOtherVillage)});
    const auto p = facts.Poor(kVillage);
    ASSERT_EQ(p.size(), 3u);
    EXPECT_EQ(p[0]->household_code, "H2");
    EXPECT_EQ(p[1]->household_code, "H1");
    EXPECT_EQ(p[2]->household_code, "H3");
    EXPECT_TRUE(facts.NewPoor(kVillage).empty());
    EXPECT_EQ(facts.NewPoor(kOtherVillage).size(), 1u);
    EXPECT_TRUE(facts.Poor("999999999999").empty());
    ASSERT_NE(facts.Find("H0"), nullptr);
    // A code given twice keeps its last fact.
    const ShareFacts twice({Poor("H1"), With(Poor("H1"), ShareStatus::kExited), Poor("H2"),
                            With(Poor("H2"), ShareStatus::kExited), Poor("H2", 3)});
    EXPECT_EQ(twice.Find("H1")->status, ShareStatus::kExited);
    ASSERT_EQ(twice.Poor(kVillage).size(), 1u);
    EXPECT_EQ(twice.Poor(kVillage)[0]->persons, 3);
    EXPECT_EQ(facts.Find("H0")->status, ShareStatus::kExited);
    EXPECT_EQ(facts.Find("nobody"), nullptr);
}

// --- Largest remainder ---------------------------------------------------------------------------

TEST(SharesSplit, LargestRemainderAddsUpAndFollowsOrderOnTies) {
    const int64_t w[] = {1, 1, 1};
    EXPECT_EQ(SplitLargestRemainder(10, w, {}), (std::vector<int64_t>{4, 3, 3}));
    const size_t order[] = {2, 0, 1};
    EXPECT_EQ(SplitLargestRemainder(10, w, order), (std::vector<int64_t>{3, 3, 4}));
    const int64_t w2[] = {550, 300, 150};
    EXPECT_EQ(SplitLargestRemainder(1001, w2, {}), (std::vector<int64_t>{551, 300, 150}));  // .55 .3 .15
    EXPECT_EQ(SplitLargestRemainder(7, w2, {}), (std::vector<int64_t>{4, 2, 1}));  // 3.85 2.1 1.05
    const int64_t zero[] = {0, 0};
    EXPECT_EQ(SplitLargestRemainder(5, zero, {}), (std::vector<int64_t>{0, 0}));
}

// --- Quantification ------------------------------------------------------------------------------

TEST(SharesQuantify, PerHouseholdEqualWithRemainderToNoLabourThenCode) {
    const ShareFacts facts({Poor("H1"), Poor("H2"), Poor("H3", 1, false), With(Poor("H4"), ShareStatus::kExited),
                            Poor("H5", 1, true, false, kOtherVillage)});
    const auto h = Quantify(Greenhouse(100), facts, ShareBasis::kHousehold);
    ASSERT_TRUE(h.has_value()) << h.error().ToString();
    EXPECT_EQ(*h, (Holdings{{"H1", 33}, {"H2", 33}, {"H3", 34}}));
}

TEST(SharesQuantify, PerPersonByPersons) {
    const ShareFacts facts({Poor("H1", 1), Poor("H2", 2), Poor("H3", 4)});
    const auto h = Quantify(Greenhouse(100), facts, ShareBasis::kPerson);
    ASSERT_TRUE(h.has_value());
    // 100/7 = 14.28.., 28.57.., 57.14..: remainders .28 .57 .14 → H2 gets the 1 left over
    EXPECT_EQ(*h, (Holdings{{"H1", 14}, {"H2", 29}, {"H3", 57}}));
    EXPECT_EQ(Sum(*h), 100);
}

TEST(SharesQuantify, FewerSharesThanHouseholds) {
    const ShareFacts facts({Poor("H1"), Poor("H2", 1, false), Poor("H3")});
    const auto h = Quantify(Greenhouse(2), facts, ShareBasis::kHousehold);
    ASSERT_TRUE(h.has_value());
    EXPECT_EQ(*h, (Holdings{{"H1", 1}, {"H2", 1}}));
}

TEST(SharesQuantify, NoPoorHouseholdLeavesAllToTheVillage) {
    const ShareFacts facts({With(Poor("H1"), ShareStatus::kExited)});
    const auto h = Quantify(Greenhouse(100), facts, ShareBasis::kHousehold);
    ASSERT_TRUE(h.has_value());
    EXPECT_EQ(*h, (Holdings{{VillageHolder(kVillage), 100}}));
    EXPECT_TRUE(IsVillageHolder(VillageHolder(kVillage)));
    EXPECT_FALSE(IsVillageHolder("H1"));
}

TEST(SharesQuantify, RefusesDisposedAndInvalidAssets) {
    const ShareFacts facts({Poor("H1")});
    Asset a = Greenhouse();
    a.disposed = true;
    auto h = Quantify(a, facts, ShareBasis::kHousehold);
    ASSERT_FALSE(h.has_value());
    EXPECT_EQ(h.error().code, "shares.disposed");
    a = Greenhouse();
    a.cooperative_permille = 100;
    h = Quantify(a, facts, ShareBasis::kHousehold);
    ASSERT_FALSE(h.has_value());
    EXPECT_EQ(h.error().code, "shares.split_invalid");
}

// --- Reallocation --------------------------------------------------------------------------------

TEST(SharesReallocate, NewFirstGivesExitedSharesToNewlyIdentified) {
    const Holdings before{{"H1", 40}, {"H2", 30}, {"H3", 30}};
    const ShareFacts facts({With(Poor("H1"), ShareStatus::kExited), Poor("H2"), Poor("H3"), Poor("N1", 1, true, true),
                            Poor("N2", 1, false, true)});
    const auto r = Reallocate(Greenhouse(100), before, facts, 2018, ReallocationMode::kNewFirst);
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    EXPECT_EQ(r->holdings, (Holdings{{"H2", 30}, {"H3", 30}, {"N1", 20}, {"N2", 20}}));
    ASSERT_EQ(r->moves.size(), 2u);
    EXPECT_EQ(r->moves[0].from, "H1");
    EXPECT_EQ(r->moves[0].to, "N2");  // without labour first
    EXPECT_EQ(r->moves[0].shares, 20);
    EXPECT_EQ(r->moves[0].reason, "exited");
    EXPECT_EQ(r->moves[0].year, 2018);
    EXPECT_EQ(r->moves[1].to, "N1");
}

TEST(SharesReallocate, NewFirstWithoutNewHouseholdsSplitsEvenly) {
    const Holdings before{{"H1", 41}, {"H2", 30}, {"H3", 29}};
    const ShareFacts facts({With(Poor("H1"), ShareStatus::kDied), Poor("H2"), Poor("H3", 1, false)});
    const auto r = Reallocate(Greenhouse(100), before, facts, 2018, ReallocationMode::kNewFirst);
    ASSERT_TRUE(r.has_value());
    // 41 over 2: 20 each, the odd share to H3 (no labour)
    EXPECT_EQ(r->holdings, (Holdings{{"H2", 50}, {"H3", 50}}));
    EXPECT_EQ(r->moves[0].reason, "died");
}

TEST(SharesReallocate, EvenSplitsAmongAllPoorIncludingNew) {
    const Holdings before{{"H1", 10}, {"H2", 45}, {"H3", 45}};
    const ShareFacts facts({With(Poor("H1"), ShareStatus::kExited), Poor("H2"), Poor("H3"), Poor("N1", 1, true, true)});
    const auto r = Reallocate(Greenhouse(100), before, facts, 2018, ReallocationMode::kEven);
    ASSERT_TRUE(r.has_value());
    // 10 over H2, H3, N1 (all with labour): 3 each, the 1 left to H2 (code order)
    EXPECT_EQ(r->holdings, (Holdings{{"H2", 49}, {"H3", 48}, {"N1", 3}}));
    EXPECT_EQ(Sum(r->holdings), 100);
}

TEST(SharesReallocate, RemainderGoesToHouseholdsWithoutLabourFirst) {
    const Holdings before{{"H1", 5}, {"H2", 1}, {"H3", 1}, {"H4", 1}};
    const ShareFacts facts({With(Poor("H1"), ShareStatus::kExited), Poor("H2"), Poor("H3", 1, false), Poor("H4", 1, false)});
    const auto r = Reallocate(Greenhouse(8), before, facts, 2018, ReallocationMode::kEven);
    ASSERT_TRUE(r.has_value());
    // 5 over 3: 1 each, the 2 left to H3 and H4 (no labour)
    EXPECT_EQ(r->holdings, (Holdings{{"H2", 2}, {"H3", 3}, {"H4", 3}}));
}

TEST(SharesReallocate, UnknownHouseholdCountsAsDeregisteredAndMovedAwayIsFreed) {
    const Holdings before{{"GONE", 10}, {"H2", 10}, {"MOVED", 10}};
    const ShareFacts facts({Poor("H2"), Poor("MOVED", 1, true, false, kOtherVillage)});
    const auto r = Reallocate(Greenhouse(30), before, facts, 2019, ReallocationMode::kEven);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->holdings, (Holdings{{"H2", 30}}));
    ASSERT_EQ(r->moves.size(), 2u);
    EXPECT_EQ(r->moves[0].reason, "deregistered");
    EXPECT_EQ(r->moves[1].reason, "moved_away");
}

TEST(SharesReallocate, NoPoorLeftGoesToTheVillageAndBackWhenPoorReturn) {
    const Holdings before{{"H1", 60}, {"H2", 40}};
    const ShareFacts all_out({With(Poor("H1"), ShareStatus::kExited), With(Poor("H2"), ShareStatus::kDeregistered)});
    const auto r = Reallocate(Greenhouse(100), before, all_out, 2019, ReallocationMode::kNewFirst);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->holdings, (Holdings{{VillageHolder(kVillage), 100}}));
    EXPECT_EQ(r->moves[1].reason, "deregistered");
    // The collective keeps them while nobody is poor...
    const auto same = Reallocate(Greenhouse(100), r->holdings, all_out, 2020, ReallocationMode::kNewFirst);
    ASSERT_TRUE(same.has_value());
    EXPECT_TRUE(same->moves.empty());
    // ...and gives them to a household that falls back into poverty.
    const ShareFacts fallback({Poor("H1"), With(Poor("H2"), ShareStatus::kDeregistered)});
    const auto back = Reallocate(Greenhouse(100), r->holdings, fallback, 2021, ReallocationMode::kNewFirst);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->holdings, (Holdings{{"H1", 100}}));
    EXPECT_EQ(back->moves[0].reason, "collective_to_poor");
}

TEST(SharesReallocate, NothingToMoveKeepsHoldings) {
    const Holdings before{{"H1", 60}, {"H2", 40}};
    const ShareFacts facts({Poor("H1"), Poor("H2"), Poor("N1", 1, false, true)});
    const auto r = Reallocate(Greenhouse(100), before, facts, 2019, ReallocationMode::kNewFirst);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->holdings, before);
    EXPECT_TRUE(r->moves.empty());
}

TEST(SharesReallocate, Refusals) {
    const ShareFacts facts({Poor("H1")});
    auto r = Reallocate(Greenhouse(100), Holdings{{"H1", 99}}, facts, 2019, ReallocationMode::kEven);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, "shares.holdings_total");
    r = Reallocate(Greenhouse(100), Holdings{{"H1", 101}, {"H2", -1}}, facts, 2019, ReallocationMode::kEven);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, "shares.holdings_total");
    Asset a = Greenhouse(100);
    a.disposed = true;
    r = Reallocate(a, Holdings{{"H1", 100}}, facts, 2019, ReallocationMode::kEven);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, "shares.disposed");
}

// --- Dividends -----------------------------------------------------------------------------------

Fen LinesSum(const DividendDeclaration& d) {
    Fen s = 0;
    for (const DividendLine& l : d.lines) s += l.fen;
    return s;
}

TEST(SharesDividends, AboveTheFloorProRataBySharesExactly) {
    // value 100,000 yuan at 6%: floor 6,000 yuan. Income 20,000.01 yuan → poor part 55%.
    const Holdings h{{"H1", 34}, {"H2", 33}, {"H3", 33}};
    const auto d = Dividends(Greenhouse(100), 2019, 2'000'001, h);
    ASSERT_TRUE(d.has_value()) << d.error().ToString();
    EXPECT_EQ(d->poor_part + d->village_part + d->cooperative_part, 2'000'001);
    EXPECT_EQ(d->poor_part, 1'100'001);  // 1,100,000.55 → the largest remainder
    EXPECT_EQ(d->village_part, 600'000);
    EXPECT_EQ(d->cooperative_part, 300'000);
    EXPECT_EQ(d->floor, 600'000);
    EXPECT_EQ(d->operator_shortfall, 0);
    EXPECT_EQ(d->over_cap, 0);
    EXPECT_EQ(d->distributed, 1'100'001);
    ASSERT_EQ(d->lines.size(), 3u);
    EXPECT_EQ(d->lines[0].fen, 374'001);  // 374,000.34 + the remainder
    EXPECT_EQ(d->lines[1].fen, 363'000);  // 363,000.33
    EXPECT_EQ(d->lines[2].fen, 363'000);
    EXPECT_EQ(LinesSum(*d), d->distributed);
    EXPECT_EQ(d->lines[0].category, codes::kCategoryCooperative);
    EXPECT_EQ(d->lines[0].kind, codes::kKindCash);
    EXPECT_TRUE(d->lines[0].household);
    EXPECT_NE(d->lines[0].description.find("A-001"), std::string::npos);
    EXPECT_NE(d->lines[0].description.find("2019"), std::string::npos);
    EXPECT_NE(d->lines[0].description.find("34"), std::string::npos);
}

TEST(SharesDividends, BelowTheFloorTheFloorIsOwedAndTheShortfallReported) {
    const Holdings h{{"H1", 50}, {"H2", 50}};
    const auto d = Dividends(Greenhouse(100), 2019, 1'000'000, h);  // poor part 5,500 yuan < 6,000
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->poor_part, 550'000);
    EXPECT_EQ(d->distributed, 600'000);
    EXPECT_EQ(d->operator_shortfall, 50'000);
    EXPECT_EQ(d->lines[0].fen, 300'000);
    EXPECT_EQ(LinesSum(*d), 600'000);
    // No income at all: the whole floor is owed.
    const auto none = Dividends(Greenhouse(100), 2019, 0, h);
    ASSERT_TRUE(none.has_value());
    EXPECT_EQ(none->distributed, 600'000);
    EXPECT_EQ(none->operator_shortfall, 600'000);
}

TEST(SharesDividends, CapPerShareSendsTheExcessToTheVillage) {
    Asset a = Greenhouse(100);
    a.cap_per_share = 8'000;  // 80 yuan a share: at most 8,000 yuan in all
    const Holdings h{{"H1", 70}, {VillageHolder(kVillage), 30}};
    const auto d = Dividends(a, 2019, 2'000'000, h);  // poor part 11,000 yuan
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->distributed, 800'000);
    EXPECT_EQ(d->over_cap, 300'000);
    EXPECT_EQ(d->village_part, 600'000 + 300'000);
    EXPECT_EQ(d->distributed + d->village_part + d->cooperative_part, 2'000'000);
    EXPECT_EQ(d->lines[0].fen, 560'000);
    EXPECT_TRUE(d->lines[0].household);
    EXPECT_EQ(d->lines[1].fen, 240'000);
    EXPECT_FALSE(d->lines[1].household);
    EXPECT_EQ(LinesSum(*d), 800'000);
}

TEST(SharesDividends, FloorAboveTheCapIsStillPaid) {
    Asset a = Greenhouse(100);
    a.cap_per_share = 1'000;  // 10 yuan a share: 1,000 yuan in all, below the 6,000 yuan floor
    const auto d = Dividends(a, 2019, 2'000'000, Holdings{{"H1", 100}});
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->distributed, 600'000);
    EXPECT_EQ(d->over_cap, 1'100'000 - 600'000);
    EXPECT_EQ(d->operator_shortfall, 0);
}

TEST(SharesDividends, FloorRoundsHalfUpToTheFen) {
    Asset a = Greenhouse(3);
    a.value = 12'345;       // 123.45 yuan
    a.floor_rate_bp = 670;  // 6.7% → 827.115 fen → 827
    auto d = Dividends(a, 2019, 0, Holdings{{"H1", 1}, {"H2", 1}, {"H3", 1}});
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->floor, 827);
    EXPECT_EQ(LinesSum(*d), 827);
    EXPECT_EQ(d->lines[0].fen, 276);  // 275.67 each: the 2 fen left to H1 and H2
    EXPECT_EQ(d->lines[1].fen, 276);
    EXPECT_EQ(d->lines[2].fen, 275);
    a.value = 150;  // 10.05 fen → 10
    a.floor_rate_bp = 670;
    d = Dividends(a, 2019, 0, Holdings{{"H1", 3}});
    EXPECT_EQ(d->floor, 10);
    a.value = 7'500;  // 502.5 fen → 503
    d = Dividends(a, 2019, 0, Holdings{{"H1", 3}});
    EXPECT_EQ(d->floor, 503);
}

TEST(SharesDividends, Refusals) {
    const Holdings h{{"H1", 100}};
    auto d = Dividends(Greenhouse(100), 2019, -1, h);
    ASSERT_FALSE(d.has_value());
    EXPECT_EQ(d.error().code, "shares.income_negative");
    Asset a = Greenhouse(100);
    a.disposed = true;
    d = Dividends(a, 2019, 100, h);
    ASSERT_FALSE(d.has_value());
    EXPECT_EQ(d.error().code, "shares.disposed");
    a = Greenhouse(100);
    a.village_permille = 0;
    d = Dividends(a, 2019, 100, h);
    ASSERT_FALSE(d.has_value());
    EXPECT_EQ(d.error().code, "shares.split_invalid");
    d = Dividends(Greenhouse(100), 2019, 100, Holdings{{"H1", 50}});
    ASSERT_FALSE(d.has_value());
    EXPECT_EQ(d.error().code, "shares.holdings_total");
}

}  // namespace
}  // namespace jz
