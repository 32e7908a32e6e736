// Asset-income shares' operations over a generated registry: an asset quantified at once among its
// village's poor households, the year's reallocation (directly and through the adjustment's
// approval), the immediate reallocation on a deregistration, dividends posted as assistance items
// in one transaction, the disposal's checks, the household's shares on its plan page; and a
// property: any sequence of exits and reallocations keeps the total with poor households only.
#include "service/shares.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <cstdlib>
#include <filesystem>
#include <map>

#include "core/codes.h"
#include "core/test_support.h"
#include "generator/generator.h"
#include "service/assistance.h"
#include "service/dynamic.h"
#include "service/test_registry.h"
#include "store/sqlite_store.h"

namespace jz::service {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using testing_support::Chayu;

const ChangeContext kSetup{"setup", "2026-11-29T00:00:00Z", std::nullopt};
const ChangeContext kOfficer{"officer", "2026-11-30T08:00:00Z", std::nullopt};
const Actor kCounty{Role::kAdmin, "county", "540425"};
constexpr const char* kNow = "2026-11-30T08:00:00Z";

const Plan& ThePlan() { return Chayu().plan; }

// Generated households, every one of them poor (status 0), built once and copied for each case.
const std::string& Template() {
    static const std::string path = testing_registry::GeneratedRegistry("shares", 80, 16, kSetup, [](Household& h) {
        h.status = codes::kStatusNotExited;
        h.exit_year.reset();
    });
    return path;
}

struct Registry {
    std::string path;
    std::unique_ptr<Store> store;
    std::string village;  // the village with the most households
    std::vector<Household> poor;  // its households
    Registry() {
        static int n = 0;
        path = (fs::temp_directory_path() / ("jz-shares-" + std::to_string(getpid()) + "-" + std::to_string(++n) + ".db"))
                   .string();
        fs::copy_file(Template(), path, fs::copy_options::overwrite_existing);
        store = OpenSqliteStore(path, OpenMode::kExisting).value();
        std::map<std::string, std::vector<Household>> by_village;
        (void)store->ScanHouseholds({}, [&](const Household& h) {
            by_village[h.division_code].push_back(h);
            return true;
        });
        for (auto& [code, list] : by_village)
            if (list.size() > poor.size()) village = code, poor = list;
    }
    ~Registry() {
        store.reset();
        for (const char* s : {"", "-wal", "-shm"}) fs::remove(path + s);
    }
    Asset MakeAsset(const std::string& id, int64_t total = 1000) const {
        Asset a;
        a.id = id;
        a.project_id = "FP2017-01";
        a.kind = AssetKind::kPhotovoltaic;
        a.value = 50'000'000;  // 500,000 yuan
        a.owner_name = "村集体";
        a.division_code = village;
        a.total_shares = total;
        return a;
    }
    Holdings Holding(const std::string& id) { return store->AssetHoldings(id).value(); }
    void SetStatus(const std::string& code, int status) {
        auto rec = store->FindHousehold(code).value().value();
        Household h = rec.household;
        h.status = status;
        if (status == codes::kStatusExited) h.exit_year = 2017;
        ASSERT_TRUE(store->Begin());
        ASSERT_TRUE(store->UpdateHousehold(rec, h, kSetup));
        ASSERT_TRUE(store->Commit());
    }
};

int64_t Sum(const Holdings& h) {
    int64_t n = 0;
    for (const auto& [holder, s] : h) n += s;
    return n;
}

TEST(SharesService, AddAssetQuantifiesAmongThePoorOfItsVillage) {
    Registry r;
    ASSERT_GE(r.poor.size(), 3u);
    auto held = AddAsset(*r.store, ThePlan(), r.MakeAsset("A-001"), 2017, Date{2017, 5, 1}, kOfficer);
    ASSERT_TRUE(held) << held.error().ToString();
    EXPECT_EQ(held->size(), r.poor.size());
    EXPECT_EQ(Sum(*held), 1000);
    EXPECT_EQ(r.Holding("A-001"), *held);
    EXPECT_EQ(r.store->ListCertificates("A-001", false)->size(), r.poor.size());
    // Taken id, invalid asset: refused, nothing written.
    const int64_t seq = r.store->LastChangeSeq().value();
    EXPECT_EQ(AddAsset(*r.store, ThePlan(), r.MakeAsset("A-001"), 2017, Date{2017, 5, 1}, kOfficer).error().code,
              "shares.exists");
    Asset bad = r.MakeAsset("A-002");
    bad.poor_permille = 600;
    EXPECT_EQ(AddAsset(*r.store, ThePlan(), bad, 2017, Date{2017, 5, 1}, kOfficer).error().code, "shares.split_invalid");
    EXPECT_EQ(r.store->LastChangeSeq().value(), seq);
    EXPECT_FALSE(*r.store->FindAsset("A-002"));
}

TEST(SharesService, YearReallocationMovesExitedHouseholdsShares) {
    Registry r;
    ASSERT_TRUE(AddAsset(*r.store, ThePlan(), r.MakeAsset("A-001"), 2017, Date{2017, 5, 1}, kOfficer));
    const std::string exiting = r.poor.front().household_code;
    const int64_t had = r.Holding("A-001").at(exiting);
    r.SetStatus(exiting, codes::kStatusExited);
    auto out = ReallocateYear(*r.store, ThePlan(), 2017, Date{2017, 12, 20}, kOfficer);
    ASSERT_TRUE(out) << out.error().ToString();
    EXPECT_EQ(out->assets, 1);
    ASSERT_FALSE(out->moves.empty());
    int64_t moved = 0;
    for (const StoredShareMove& m : out->moves) {
        EXPECT_EQ(m.move.from, exiting);
        EXPECT_EQ(m.move.reason, "exited");
        moved += m.move.shares;
    }
    EXPECT_EQ(moved, had);
    const Holdings after = r.Holding("A-001");
    EXPECT_FALSE(after.contains(exiting));
    EXPECT_EQ(Sum(after), 1000);
    EXPECT_EQ(r.store->ListShareMoves("A-001")->size(), out->moves.size());
    // Certificates: the exited household's revoked, the recipients' reissued.
    const std::vector<ShareCertificate> certificates = r.store->ListCertificates("A-001", false).value();
    EXPECT_EQ(certificates.size(), after.size());
    for (const ShareCertificate& c : certificates) {
        EXPECT_NE(c.holder, exiting);
        EXPECT_EQ(c.shares, after.at(c.holder));
    }
    // A second run has nothing to move.
    auto again = ReallocateYear(*r.store, ThePlan(), 2017, Date{2017, 12, 21}, kOfficer);
    ASSERT_TRUE(again);
    EXPECT_TRUE(again->moves.empty());
}

TEST(SharesService, AdjustmentApprovalRunsTheReallocation) {
    Registry r;
    ASSERT_TRUE(AddAsset(*r.store, ThePlan(), r.MakeAsset("A-001"), 2017, Date{2017, 5, 1}, kOfficer));
    const std::string exiting = r.poor.back().household_code;
    r.SetStatus(exiting, codes::kStatusExited);
    Dynamic d(*r.store, ThePlan(), Chayu().tree);
    auto approved = d.Approve(kCounty, 2017, Date{2017, 12, 28}, "年度动态调整", kNow);
    ASSERT_TRUE(approved) << approved.error().ToString();
    EXPECT_FALSE(r.Holding("A-001").contains(exiting));
    EXPECT_FALSE(r.store->ListShareMoves("A-001")->empty());
}

TEST(SharesService, DeregistrationMovesSharesAtOnce) {
    Registry r;
    ASSERT_TRUE(AddAsset(*r.store, ThePlan(), r.MakeAsset("A-001"), 2017, Date{2017, 5, 1}, kOfficer));
    const std::string leaving = r.poor[1].household_code;
    Dynamic d(*r.store, ThePlan(), Chayu().tree);
    OpenRequest q{ProcedureKind::kDeregistration, 2017, {2017, 8, 1}, "", leaving, {}, "wrongly_registered", {}};
    auto c = d.Open(kCounty, q, kNow);
    ASSERT_TRUE(c) << c.error().ToString();
    const Holdings after = r.Holding("A-001");
    EXPECT_FALSE(after.contains(leaving));
    EXPECT_EQ(Sum(after), 1000);
    auto moves = r.store->ListShareMoves("A-001").value();
    ASSERT_FALSE(moves.empty());
    EXPECT_EQ(moves.front().move.reason, "deregistered");
    EXPECT_EQ(moves.front().date, (Date{2017, 8, 1}));
}

TEST(SharesService, ADeathMovesTheSharesAsDied) {
    Registry r;
    ASSERT_TRUE(AddAsset(*r.store, ThePlan(), r.MakeAsset("A-001"), 2017, Date{2017, 5, 1}, kOfficer));
    const std::string died = r.poor[2].household_code;
    const int64_t had = r.Holding("A-001").at(died);
    ASSERT_TRUE(r.store->Begin());
    auto out = ReallocateOnDepartureInTransaction(*r.store, ThePlan(), died, ShareStatus::kDied, 2017,
                                                  Date{2017, 9, 1}, kOfficer);
    ASSERT_TRUE(out) << out.error().ToString();
    ASSERT_TRUE(r.store->Commit());
    int64_t moved = 0;
    for (const StoredShareMove& m : out->moves) {
        EXPECT_EQ(m.move.reason, "died");
        moved += m.move.shares;
    }
    EXPECT_EQ(moved, had);
    EXPECT_FALSE(r.Holding("A-001").contains(died));
    // A household holding nothing: nothing to do.
    ASSERT_TRUE(r.store->Begin());
    auto none = ReallocateOnDepartureInTransaction(*r.store, ThePlan(), died, ShareStatus::kDied, 2017,
                                                   Date{2017, 9, 2}, kOfficer);
    ASSERT_TRUE(r.store->Commit());
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->moves.empty());
}

TEST(SharesService, DividendsPostAssistanceItemsInOneTransaction) {
    Registry r;
    Asset a = r.MakeAsset("A-001");
    ASSERT_TRUE(AddAsset(*r.store, ThePlan(), a, 2017, Date{2017, 5, 1}, kOfficer));
    // Income 1,000,000 yuan: poor part 550,000 above the floor 30,000.
    auto d = DeclareDividends(*r.store, ThePlan(), "A-001", 2017, 100'000'000, Date{2017, 12, 30}, 0, kOfficer);
    ASSERT_TRUE(d) << d.error().ToString();
    EXPECT_EQ(d->declaration.distributed, 55'000'000);
    Fen lines = 0;
    ASSERT_EQ(d->item_codes.size(), d->declaration.lines.size());
    for (size_t i = 0; i < d->declaration.lines.size(); ++i) {
        const DividendLine& l = d->declaration.lines[i];
        lines += l.fen;
        auto item = r.store->FindAssistance(d->item_codes[i]);
        ASSERT_TRUE(item && *item) << d->item_codes[i];
        EXPECT_EQ((*item)->item.household_code, l.holder);
        EXPECT_EQ((*item)->item.category, codes::kCategoryCooperative);
        EXPECT_EQ((*item)->item.kind, codes::kKindCash);
        EXPECT_EQ((*item)->item.amount, std::optional<Fen>(l.fen));
        EXPECT_EQ((*item)->item.fund_ref, "FP2017-01");
        EXPECT_EQ((*item)->item.measure, 1);
    }
    EXPECT_EQ(lines, 55'000'000);
    // The same year again: refused, no item added.
    const int64_t seq = r.store->LastChangeSeq().value();
    EXPECT_EQ(DeclareDividends(*r.store, ThePlan(), "A-001", 2017, 100, Date{2017, 12, 31}, 0, kOfficer).error().code,
              "shares.dividend_declared");
    EXPECT_EQ(DeclareDividends(*r.store, ThePlan(), "A-404", 2017, 100, Date{2017, 12, 31}, 0, kOfficer).error().code,
              "shares.not_found");
    EXPECT_EQ(DeclareDividends(*r.store, ThePlan(), "A-001", 2018, -1, Date{2018, 12, 31}, 0, kOfficer).error().code,
              "shares.income_negative");
    EXPECT_EQ(r.store->LastChangeSeq().value(), seq);
    // On the plan page: the holdings and the dividend.
    const std::string code = d->declaration.lines.front().holder;
    auto page = HouseholdPlan(*r.store, ThePlan(), code);
    ASSERT_TRUE(page && *page);
    const json::object& shares = (**page).at("shares").as_object();
    ASSERT_EQ(shares.at("holdings").as_array().size(), 1u);
    EXPECT_EQ(shares.at("holdings").as_array()[0].at("asset_id").as_string(), "A-001");
    ASSERT_EQ(shares.at("dividends").as_array().size(), 1u);
    const std::string amount(shares.at("dividends").as_array()[0].at("amount").as_string());
    EXPECT_EQ(ParseCenti(amount), std::optional<int64_t>(d->declaration.lines.front().fen));
    EXPECT_EQ(amount.size() - amount.find('.'), 3u) << amount;  // two decimals
}

TEST(SharesService, DisposalNeedsTheVoteAndTheApprovalsInOrder) {
    Registry r;
    ASSERT_TRUE(AddAsset(*r.store, ThePlan(), r.MakeAsset("A-001"), 2017, Date{2017, 5, 1}, kOfficer));
    AssetDisposal d{"A-001", Date{2019, 3, 1}, 20, 20, Date{2019, 3, 10}, Date{2019, 3, 20}, Date{2019, 3, 21}, "设施损毁"};
    const int64_t seq = r.store->LastChangeSeq().value();
    EXPECT_EQ(DisposeAsset(*r.store, d, kOfficer).error().code, "shares.disposal_vote");
    d.votes_for = 21;
    d.county_agreed_on = Date{2019, 3, 5};
    EXPECT_EQ(DisposeAsset(*r.store, d, kOfficer).error().field, "county_agreed_on");
    d.county_agreed_on = Date{2019, 3, 20};
    d.reason.clear();
    EXPECT_EQ(DisposeAsset(*r.store, d, kOfficer).error().code, "shares.disposal_reason");
    EXPECT_EQ(r.store->LastChangeSeq().value(), seq);
    d.reason = "设施损毁";
    auto disposed = DisposeAsset(*r.store, d, kOfficer);
    ASSERT_TRUE(disposed) << disposed.error().ToString();
    EXPECT_TRUE(disposed->disposed);
    EXPECT_TRUE(r.store->FindAsset("A-001").value()->disposed);
    EXPECT_EQ(DisposeAsset(*r.store, d, kOfficer).error().code, "shares.disposed");
    EXPECT_EQ(DeclareDividends(*r.store, ThePlan(), "A-001", 2019, 100, Date{2019, 12, 31}, 0, kOfficer).error().code,
              "shares.disposed");
    auto page = AssetDetailJson(*r.store, Chayu().tree, "A-001");
    ASSERT_TRUE(page && *page);
    EXPECT_EQ((**page).at("disposal").at("votes_for").as_int64(), 21);
}

// Any sequence of exits, fallbacks and reallocations: each asset's shares add up to its total and
// are held only by poor households of its village.
TEST(SharesService, PropertyReallocationsKeepTotalsWithThePoor) {
    Registry r;
    ASSERT_TRUE(AddAsset(*r.store, ThePlan(), r.MakeAsset("A-001", 997), 2017, Date{2017, 5, 1}, kOfficer));
    ASSERT_TRUE(AddAsset(*r.store, ThePlan(), r.MakeAsset("A-002", 13), 2017, Date{2017, 5, 1}, kOfficer));
    const bool ok = rc::check("reallocations keep totals with the poor", [&] {
        const auto steps = *rc::gen::resize(
            12, rc::gen::container<std::vector<std::pair<size_t, bool>>>(
                    rc::gen::pair(rc::gen::inRange<size_t>(0, r.poor.size()), rc::gen::arbitrary<bool>())));
        int year = 2018;
        for (const auto& [i, exit] : steps) {
            r.SetStatus(r.poor[i].household_code, exit ? codes::kStatusExited : codes::kStatusFallback);
            auto out = ReallocateYear(*r.store, ThePlan(), year, Date{year, 12, 20}, kOfficer);
            RC_ASSERT(out.has_value());
            for (const char* id : {"A-001", "A-002"}) {
                const Holdings h = r.Holding(id);
                RC_ASSERT(Sum(h) == (std::string(id) == "A-001" ? 997 : 13));
                for (const auto& [holder, n] : h) {
                    RC_ASSERT(n > 0);
                    if (IsVillageHolder(holder)) continue;
                    auto rec = r.store->FindHousehold(holder).value();
                    RC_ASSERT(rec.has_value());
                    RC_ASSERT(rec->household.division_code == r.village);
                    RC_ASSERT(ShareStatusOfRegistry(rec->household.status) == ShareStatus::kPoor);
                }
            }
        }
    });
    EXPECT_TRUE(ok);
}

}  // namespace
}  // namespace jz::service
