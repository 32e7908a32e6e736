// Asset-income shares' operations (资产收益扶贫, docs/shares.md), called alike by the API
// (src/server/routes_shares.cc) and the CLI (`jingzhun asset ...`, `jingzhun shares ...`): an asset
// added and quantified at once among its village's poor households; the shares reallocated for one
// asset or every asset at the year's adjustment (also run by the adjustment's approval,
// service/dynamic.cc) and at once when a household dies or is deregistered; the year's dividends
// declared, each household's line posted as an assistance item (category 11 合作社入股分红, kind
// cash, fund_ref the asset's project code) in the same transaction, so it counts in the household's
// property income; the disposal with the villagers' vote and the approvals; a household's shares.
//
// Each operation runs in its own transaction and is in the change log, unless named *InTransaction
// (then in the caller's). Errors: the core's shares.* rules, shares.not_found (asset id),
// shares.exists (asset id taken), shares.dividend_declared (year), shares.disposal_vote (votes_for
// not more than half), shares.disposal_dates (a date missing or out of order), input.* for the
// body, store.* from the store.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/org_unit.h"
#include "core/plan.h"
#include "core/shares.h"
#include "store/store.h"

namespace jz::service {

// Adds the asset (the plan's [shares] defaults where the caller left the floor rate and the split
// at zero... see AssetFromJson) and quantifies it at once among the poor households of its village
// as the registry has them for `year`, on `date` (the certificates' issue date). Returns the
// holdings.
Result<Holdings> AddAsset(Store& store, const Plan& plan, const Asset& asset, int year, const Date& date,
                          const ChangeContext& change);

struct ReallocationOutcome {
    int year = 0;
    int64_t assets = 0;  // assets looked at
    std::vector<StoredShareMove> moves;
};
// One asset's reallocation for the year (its own transaction).
Result<ReallocationOutcome> ReallocateAsset(Store& store, const Plan& plan, const std::string& asset_id, int year,
                                            const Date& date, const ChangeContext& change);
// Every asset not disposed of (its own transaction / the caller's).
Result<ReallocationOutcome> ReallocateYear(Store& store, const Plan& plan, int year, const Date& date,
                                           const ChangeContext& change);
Result<ReallocationOutcome> ReallocateYearInTransaction(Store& store, const Plan& plan, int year, const Date& date,
                                                        const ChangeContext& change);
// At once when `household_code` died (status kDied) or was deregistered (kDeregistered): every
// asset it holds shares of is reallocated, in the caller's transaction (service/dynamic.cc calls it
// after removing the household). Nothing happens when it holds none.
Result<ReallocationOutcome> ReallocateOnDepartureInTransaction(Store& store, const Plan& plan,
                                                               const std::string& household_code,
                                                               ShareStatus status, int year, const Date& date,
                                                               const ChangeContext& change);

// Declares the year's dividends of the asset from its income on `date`: the declaration and its
// lines stored, and each household line posted as an assistance item (measure `measure`, 0: the
// plan's measure 1 产业扶持), all in one transaction.
Result<StoredDividend> DeclareDividends(Store& store, const Plan& plan, const std::string& asset_id, int year,
                                        Fen income, const Date& date, int measure, const ChangeContext& change);

// Disposes of the asset: needs the villagers' vote (votes_for more than half of the votes cast), the
// township's approval, the county poverty office's and the finance bureau's agreement, each dated,
// in that order (none before the vote). Marks the asset disposed. Returns it.
Result<Asset> DisposeAsset(Store& store, const AssetDisposal& disposal, const ChangeContext& change);

// --- JSON (docs/api.md "Asset-income shares' routes") ---
// An asset from the API's body: id, project_code, kind (code, English or Chinese name), value
// (yuan), owner ("village_collective"|"cooperative"), owner_name, division_code, total_shares,
// poor_permille/village_permille/cooperative_permille and floor_rate_bp (plan defaults when
// absent), cap_per_share (yuan, optional). Errors name the field (code input.asset, or the core's).
Result<Asset> AssetFromJson(const boost::json::value& body, const Plan& plan);
// The list row: the asset with its kind's and village's names and the number of holders.
boost::json::object AssetJson(const Asset& asset, const OrgTree& tree, int64_t holders);
// The asset's page: {asset, holdings, moves, dividends, disposal}. nullopt: no such asset.
// `mask_names`: households' head names left out (viewers without names).
Result<std::optional<boost::json::object>> AssetDetailJson(Store& store, const OrgTree& tree, const std::string& id);
boost::json::object DividendJson(const StoredDividend& d);
boost::json::object MoveJson(const StoredShareMove& m);
// {"holdings":[{asset_id,kind,kind_name_zh,shares,total_shares,value_share,certificate}],
//  "dividends":[{asset_id,year,shares,amount,item_code}]} — also the plan page's "shares".
Result<boost::json::object> HouseholdSharesJson(Store& store, const std::string& household_code);

}  // namespace jz::service
