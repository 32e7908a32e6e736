// Asset-income shares (资产收益扶贫, docs/shares.md): assets built with poverty funds, their
// poor-household part quantified as shares held by the poor households of the asset's village,
// the shares moved at the year's adjustment (谁贫困谁享受: a household that exits, dies or is
// deregistered leaves the scheme), and the year's dividends (guaranteed floor first, then pro rata
// by shares up to an optional cap per share).
//
// Pure: no I/O, no clock. Money in fen (core/household.h), rates in basis points, splits in
// permille; every division is explicit and uses the largest remainder so the parts add up exactly.
// Refusals are Errors whose code names the rule (shares.split_invalid, ...), listed at each function.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "core/household.h"
#include "core/plan.h"

namespace jz {

// --- Assets --------------------------------------------------------------------------------------

// The code table of asset kinds (assistance-practice.md "Asset-income shares").
enum class AssetKind {
    kFacility = 1,         // facility 设施
    kGreenhouse = 2,       // greenhouse 大棚
    kBreedingStation = 3,  // breeding_station 养殖场(站)
    kPhotovoltaic = 4,     // photovoltaic 光伏电站
    kTourism = 5,          // tourism 乡村旅游
    kRentalShop = 6,       // rental_shop 商铺
    kHotel = 7,            // hotel 宾馆
    kOther = 99,           // other 其他
};
struct AssetKindEntry {
    AssetKind kind;
    std::string_view name;     // facility
    std::string_view name_zh;  // 设施
};
std::span<const AssetKindEntry> AssetKinds();
// By code ("4"), English name (photovoltaic) or Chinese name (光伏电站); nullopt when unknown.
std::optional<AssetKind> ParseAssetKind(std::string_view text);
std::string_view AssetKindName(AssetKind kind);
std::string_view AssetKindNameZh(AssetKind kind);

enum class AssetOwner {
    kVillageCollective,  // village_collective 村集体
    kCooperative,        // cooperative 合作社
};

struct Asset {
    std::string id;          // the asset's code (its ledger's key)
    std::string project_id;  // the project that built it; empty: none recorded
    AssetKind kind = AssetKind::kOther;
    Fen value = 0;  // quantified value 量化资产价值
    AssetOwner owner = AssetOwner::kVillageCollective;
    std::string owner_name;
    std::string division_code;  // the village (12 digits) whose poor households hold the shares
    // Split of the asset's income in permille (sum 1000): poor households / village / cooperative.
    int poor_permille = 550;
    int village_permille = 300;
    int cooperative_permille = 150;
    int64_t total_shares = 0;  // fixed at quantification; never changed by reallocation
    int floor_rate_bp = 600;   // guaranteed floor a year, basis points of `value` (600 = 6%)
    // Cap of the whole dividend (floor included) per share a year; nullopt: no cap.
    std::optional<Fen> cap_per_share;
    bool disposed = false;  // disposed of (处置): no quantification, no reallocation, no dividend
};

// An asset with the plan's defaults (floor rate, split) filled in.
Asset AssetWithPlanDefaults(Asset asset, const PlanShares& settings);

// Checks an asset on its own. Codes: shares.asset_id (empty id), shares.kind (not in the table),
// shares.value_invalid (negative or above 10^12 yuan), shares.owner_name (empty),
// shares.division_invalid (not 12 digits), shares.split_invalid (a part negative or the parts not
// adding up to 1000), shares.total_invalid (total_shares ≤ 0 or above 10^12),
// shares.floor_rate_invalid (outside 0..10000 bp), shares.cap_invalid (cap ≤ 0).
Result<void> ValidateAsset(const Asset& asset);

// --- Households as the shares see them -----------------------------------------------------------

enum class ShareStatus {
    kPoor,          // 未脱贫 or 返贫 (registry status 0 or 3): may hold shares
    kExited,        // 已脱贫 (status 1 or 4): leaves the scheme at the year's adjustment
    kDied,          // deregistered for death (a one-person household died)
    kDeregistered,  // deregistered for another reason (moved away, wrongly registered)
};
// The registry's status code (codes::kStatus*) → poor / exited. Unknown codes are not poor.
ShareStatus ShareStatusOfRegistry(int registry_status);
std::string_view ShareStatusName(ShareStatus status);  // poor / exited / died / deregistered

struct ShareHousehold {
    std::string household_code;
    std::string division_code;  // 12-digit village
    ShareStatus status = ShareStatus::kPoor;
    int persons = 1;
    bool has_labour = false;        // some member ordinary or skilled labour (codes::kLabour 1, 2)
    bool newly_identified = false;  // identified in the year of the adjustment
};
// From the registry's record: status mapped, persons = members, has_labour from the members'
// labour codes, newly_identified when identified_year == year.
ShareHousehold ShareHouseholdOf(const Household& household, int year);

// The households indexed for quantification and reallocation: built once for a year's run (every
// asset of every village reads it). A code given twice keeps its last fact.
class ShareFacts {
  public:
    explicit ShareFacts(std::vector<ShareHousehold> households);
    // The indexes point into the households: moving keeps them, copying would not.
    ShareFacts(const ShareFacts&) = delete;
    ShareFacts& operator=(const ShareFacts&) = delete;
    ShareFacts(ShareFacts&&) = default;
    ShareFacts& operator=(ShareFacts&&) = default;
    const ShareHousehold* Find(std::string_view household_code) const;
    // Poor households of a village in priority order: without labour first, then by household code.
    std::span<const ShareHousehold* const> Poor(std::string_view village) const;
    // Of those, the newly identified ones, in the same order.
    std::span<const ShareHousehold* const> NewPoor(std::string_view village) const;
    size_t size() const { return households_.size(); }

  private:
    std::vector<ShareHousehold> households_;
    std::unordered_map<std::string_view, size_t> by_code_;
    struct Village {
        std::vector<const ShareHousehold*> poor, new_poor;
    };
    std::unordered_map<std::string_view, Village> villages_;
};

// --- Holdings and quantification -----------------------------------------------------------------

// Holder → shares of one asset. A holder is a household code, or "village:<division code>" for the
// village collective (holds the shares while no poor household is left in the village). Holders
// with 0 shares are not kept.
using Holdings = std::map<std::string, int64_t>;
std::string VillageHolder(std::string_view division_code);
bool IsVillageHolder(std::string_view holder);

// Quantifies an asset's total shares among the poor households of its village: one equal weight
// per household (ShareBasis::kHousehold) or the household's persons (kPerson). Each gets
// floor(total × weight ÷ Σweights); the shares left over go one each by the largest remainder,
// ties to households without labour first, then by household code. No poor household in the
// village: the village collective holds them all. Refused: the asset's own checks
// (ValidateAsset), shares.disposed.
Result<Holdings> Quantify(const Asset& asset, const ShareFacts& facts, ShareBasis basis);

// --- Reallocation at the year's adjustment -------------------------------------------------------

struct ShareMove {
    std::string from;  // holder
    std::string to;    // holder
    int64_t shares = 0;
    // exited / died / deregistered (also a holder the facts no longer know) / moved_away (poor, but
    // now in another village) / collective_to_poor (the village collective's shares back to poor
    // households once the village has some again)
    std::string reason;
    int year = 0;
};
struct Reallocation {
    Holdings holdings;  // after
    std::vector<ShareMove> moves;  // ordered by from, then by the recipients' priority
};

// Moves the shares of every holder that may no longer hold (not poor, died, deregistered, unknown,
// in another village; and the village collective once poor households exist again) to poor
// households of the asset's village:
// - kNewFirst: to the newly identified poor households; when there are none, as kEven.
// - kEven: to all poor households of the village.
// The freed shares are split evenly among the recipients (per household); the remainder goes one
// share each to recipients without labour first, then by household code. No poor household in the
// village: to the village collective. Total shares never change and no share stays with a
// household that is not poor. Refused: shares.disposed, shares.holdings_total (holdings do not add
// up to total_shares, or a holding ≤ 0), and the asset's own checks.
Result<Reallocation> Reallocate(const Asset& asset, const Holdings& holdings, const ShareFacts& facts, int year,
                                ReallocationMode mode);

// --- Dividends -----------------------------------------------------------------------------------

struct DividendLine {
    std::string holder;
    int64_t shares = 0;
    Fen fen = 0;
    bool household = true;  // false: the village collective's line (not an assistance item)
    // For posting as an assistance item (kind cash, category cooperative share/dividend):
    int category = 0;         // codes::kCategoryCooperative
    int kind = 0;             // codes::kKindCash
    std::string description;  // "资产收益分红 <asset> <year>年 <shares>股 / asset-income dividend ..."
};
struct DividendDeclaration {
    std::string asset_id;
    int year = 0;
    Fen income = 0;
    // The income split exactly (largest remainder, ties poor → village → cooperative).
    Fen poor_part = 0, village_part = 0, cooperative_part = 0;
    Fen floor = 0;              // value × floor rate, rounded half up to the fen
    Fen operator_shortfall = 0;  // floor − poor part when the poor part is below it (owed by the operator)
    Fen over_cap = 0;           // poor part above the cap, moved to the village part (included in it)
    Fen distributed = 0;        // to the holders: max(floor, min(poor part, cap × total shares))
    std::vector<DividendLine> lines;  // by holder; fen adds up exactly to distributed
};

// The year's dividends of an asset from its income (fen). The poor households' part is income ×
// poor permille; the floor is owed first even when that part is below it (the difference is the
// operator's shortfall); above the floor the part is paid pro rata by shares up to the cap per
// share (the cap covers the whole dividend, floor included; a floor above the cap still is paid);
// what is over the cap goes to the village part. Per holder: distributed × shares ÷ total, by the
// largest remainder, ties by holder. Refused: shares.income_negative, shares.disposed,
// shares.holdings_total, the asset's own checks.
Result<DividendDeclaration> Dividends(const Asset& asset, int year, Fen income, const Holdings& holdings);

// Splits `total` (≥ 0) by `weights` (≥ 0, Σ > 0) exactly: floor parts, then one each by the
// largest remainder in the order of `order` (indices of weights; ties keep that order).
// Σ result == total. Exposed for the tests and the benchmark's plain alternative.
std::vector<int64_t> SplitLargestRemainder(int64_t total, std::span<const int64_t> weights,
                                           std::span<const size_t> order);

}  // namespace jz
