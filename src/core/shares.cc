#include "core/shares.h"

#include <algorithm>
#include <numeric>

#include "core/codes.h"

namespace jz {

namespace {

constexpr AssetKindEntry kAssetKinds[] = {
    {AssetKind::kFacility, "facility", "设施"},
    {AssetKind::kGreenhouse, "greenhouse", "大棚"},
    {AssetKind::kBreedingStation, "breeding_station", "养殖场"},
    {AssetKind::kPhotovoltaic, "photovoltaic", "光伏电站"},
    {AssetKind::kTourism, "tourism", "乡村旅游"},
    {AssetKind::kRentalShop, "rental_shop", "商铺"},
    {AssetKind::kHotel, "hotel", "宾馆"},
    {AssetKind::kOther, "other", "其他"},
};

constexpr std::string_view kVillagePrefix = "village:";
constexpr int64_t kMaxValue = 100'000'000'000'000;  // 10^12 yuan in fen
constexpr int64_t kMaxShares = 1'000'000'000'000;

bool AllDigits(std::string_view s) {
    return std::ranges::all_of(s, [](char c) { return c >= '0' && c <= '9'; });
}

std::unexpected<Error> AssetFail(const Asset& asset, std::string code, std::string field, std::string zh,
                                 std::string en) {
    return Fail(std::move(code), std::move(field), "资产 " + asset.id + ": " + zh, "asset " + asset.id + ": " + en);
}

Result<void> CheckUsable(const Asset& asset) {
    if (Result<void> ok = ValidateAsset(asset); !ok) return ok;
    if (asset.disposed)
        return AssetFail(asset, "shares.disposed", "disposed", "资产已处置, 不再量化、调整或分红",
                         "the asset is disposed of: no quantification, reallocation or dividend");
    return {};
}

Result<void> CheckHoldings(const Asset& asset, const Holdings& holdings) {
    __int128 sum = 0;
    for (const auto& [holder, shares] : holdings) {
        if (shares <= 0 || holder.empty())
            return AssetFail(asset, "shares.holdings_total", "holdings",
                             "持股应为正数: " + holder + " " + std::to_string(shares),
                             "a holding must be positive: " + holder + " " + std::to_string(shares));
        sum += shares;
    }
    if (sum != asset.total_shares)
        return AssetFail(asset, "shares.holdings_total", "holdings",
                         "持股合计 " + std::to_string(static_cast<int64_t>(sum)) + " 不等于总股数 " +
                             std::to_string(asset.total_shares),
                         "holdings add up to " + std::to_string(static_cast<int64_t>(sum)) +
                             ", not the total shares " + std::to_string(asset.total_shares));
    return {};
}

// Priority of recipients and of remainders: without labour first, then by household code.
bool Before(const ShareHousehold* a, const ShareHousehold* b) {
    if (a->has_labour != b->has_labour) return !a->has_labour;
    return a->household_code < b->household_code;
}

}  // namespace

std::span<const AssetKindEntry> AssetKinds() { return kAssetKinds; }

std::optional<AssetKind> ParseAssetKind(std::string_view text) {
    for (const AssetKindEntry& e : kAssetKinds) {
        if (text == e.name || text == e.name_zh) return e.kind;
        if (AllDigits(text) && !text.empty() && text.size() <= 3 && std::stoi(std::string(text)) == static_cast<int>(e.kind))
            return e.kind;
    }
    return std::nullopt;
}

std::string_view AssetKindName(AssetKind kind) {
    for (const AssetKindEntry& e : kAssetKinds)
        if (e.kind == kind) return e.name;
    return {};
}

std::string_view AssetKindNameZh(AssetKind kind) {
    for (const AssetKindEntry& e : kAssetKinds)
        if (e.kind == kind) return e.name_zh;
    return {};
}

Asset AssetWithPlanDefaults(Asset asset, const PlanShares& settings) {
    asset.floor_rate_bp = settings.floor_rate_bp;
    asset.poor_permille = settings.split_poor_permille;
    asset.village_permille = settings.split_village_permille;
    asset.cooperative_permille = settings.split_cooperative_permille;
    return asset;
}

Result<void> ValidateAsset(const Asset& asset) {
    if (asset.id.empty()) return Fail("shares.asset_id", "id", "资产编号不能为空", "the asset needs an id");
    if (AssetKindName(asset.kind).empty())
        return AssetFail(asset, "shares.kind", "kind", "资产类型不在代码表中", "the asset kind is not in the code table");
    if (asset.value < 0 || asset.value > kMaxValue)
        return AssetFail(asset, "shares.value_invalid", "value", "量化资产价值应在0到10^12元之间",
                         "the quantified value must be between 0 and 10^12 yuan");
    if (asset.owner_name.empty())
        return AssetFail(asset, "shares.owner_name", "owner_name", "缺少产权主体名称", "the owner's name is missing");
    if (asset.division_code.size() != 12 || !AllDigits(asset.division_code))
        return AssetFail(asset, "shares.division_invalid", "division_code", "村级区划代码应为12位数字",
                         "the village code must be 12 digits");
    if (asset.poor_permille < 0 || asset.village_permille < 0 || asset.cooperative_permille < 0 ||
        asset.poor_permille + asset.village_permille + asset.cooperative_permille != 1000)
        return AssetFail(asset, "shares.split_invalid", "split",
                         "收益分配比例(贫困户/村集体/合作社)应为非负且之和为1000‰",
                         "the income split (poor households / village / cooperative) must be non-negative and "
                         "add up to 1000 permille");
    if (asset.total_shares <= 0 || asset.total_shares > kMaxShares)
        return AssetFail(asset, "shares.total_invalid", "total_shares", "总股数应在1到10^12之间",
                         "the total shares must be between 1 and 10^12");
    if (asset.floor_rate_bp < 0 || asset.floor_rate_bp > 10000)
        return AssetFail(asset, "shares.floor_rate_invalid", "floor_rate_bp", "保底收益率应在0到10000个基点之间",
                         "the floor rate must be between 0 and 10000 basis points");
    if (asset.cap_per_share && (*asset.cap_per_share <= 0 || *asset.cap_per_share > kMaxValue))
        return AssetFail(asset, "shares.cap_invalid", "cap_per_share", "每股分红封顶应为正数",
                         "the cap per share must be positive");
    return {};
}

ShareStatus ShareStatusOfRegistry(int registry_status) {
    switch (registry_status) {
        case codes::kStatusNotExited:
        case codes::kStatusFallback:
            return ShareStatus::kPoor;
        default:
            return ShareStatus::kExited;
    }
}

std::string_view ShareStatusName(ShareStatus status) {
    switch (status) {
        case ShareStatus::kPoor: return "poor";
        case ShareStatus::kExited: return "exited";
        case ShareStatus::kDied: return "died";
        case ShareStatus::kDeregistered: return "deregistered";
    }
    return {};
}

ShareHousehold ShareHouseholdOf(const Household& household, int year) {
    ShareHousehold h;
    h.household_code = household.household_code;
    h.division_code = household.division_code;
    h.status = ShareStatusOfRegistry(household.status);
    h.persons = std::max<int>(1, static_cast<int>(household.members.size()));
    h.has_labour = std::ranges::any_of(household.members, [](const Person& p) {
        return p.labour == codes::kLabourOrdinary || p.labour == codes::kLabourSkilled;
    });
    h.newly_identified = household.identified_year == year;
    return h;
}

ShareFacts::ShareFacts(std::vector<ShareHousehold> households) : households_(std::move(households)) {
    by_code_.reserve(households_.size());
    bool repeated = false;
    for (size_t i = 0; i < households_.size(); ++i) {
        auto [it, inserted] = by_code_.try_emplace(households_[i].household_code, i);
        if (!inserted) {
            it->second = i;
            repeated = true;
        }
    }
    // In file order (memory order, not the hash table's); a repeated code counts only at its last.
    for (size_t i = 0; i < households_.size(); ++i) {
        const ShareHousehold& h = households_[i];
        if (h.status != ShareStatus::kPoor) continue;
        if (repeated && by_code_.find(h.household_code)->second != i) continue;
        Village& v = villages_[h.division_code];
        v.poor.push_back(&h);
        if (h.newly_identified) v.new_poor.push_back(&h);
    }
    for (auto& [code, v] : villages_) {
        std::ranges::sort(v.poor, Before);
        std::ranges::sort(v.new_poor, Before);
    }
}

const ShareHousehold* ShareFacts::Find(std::string_view household_code) const {
    auto it = by_code_.find(household_code);
    return it == by_code_.end() ? nullptr : &households_[it->second];
}

std::span<const ShareHousehold* const> ShareFacts::Poor(std::string_view village) const {
    auto it = villages_.find(village);
    if (it == villages_.end()) return {};
    return it->second.poor;
}

std::span<const ShareHousehold* const> ShareFacts::NewPoor(std::string_view village) const {
    auto it = villages_.find(village);
    if (it == villages_.end()) return {};
    return it->second.new_poor;
}

std::string VillageHolder(std::string_view division_code) { return std::string(kVillagePrefix) + std::string(division_code); }

bool IsVillageHolder(std::string_view holder) { return holder.starts_with(kVillagePrefix); }

std::vector<int64_t> SplitLargestRemainder(int64_t total, std::span<const int64_t> weights,
                                           std::span<const size_t> order) {
    const size_t n = weights.size();
    std::vector<int64_t> out(n, 0);
    if (n == 0) return out;
    __int128 sum = 0;
    for (int64_t w : weights) sum += w;
    if (sum <= 0) return out;
    std::vector<int64_t> rem(n, 0);
    int64_t given = 0;
    for (size_t i = 0; i < n; ++i) {
        const __int128 p = static_cast<__int128>(total) * weights[i];
        out[i] = static_cast<int64_t>(p / sum);
        rem[i] = static_cast<int64_t>(p % sum);
        given += out[i];
    }
    int64_t left = total - given;  // < n
    if (left == 0) return out;
    std::vector<size_t> idx;
    if (order.size() == n) {
        idx.assign(order.begin(), order.end());
    } else {
        idx.resize(n);
        std::iota(idx.begin(), idx.end(), size_t{0});
    }
    std::ranges::stable_sort(idx, [&](size_t a, size_t b) { return rem[a] > rem[b]; });
    for (size_t k = 0; k < idx.size() && left > 0; ++k, --left) ++out[idx[k]];
    return out;
}

Result<Holdings> Quantify(const Asset& asset, const ShareFacts& facts, ShareBasis basis) {
    if (Result<void> ok = CheckUsable(asset); !ok) return std::unexpected(ok.error());
    Holdings out;
    const auto poor = facts.Poor(asset.division_code);
    if (poor.empty()) {
        out[VillageHolder(asset.division_code)] = asset.total_shares;
        return out;
    }
    std::vector<int64_t> weights;
    weights.reserve(poor.size());
    for (const ShareHousehold* h : poor)
        weights.push_back(basis == ShareBasis::kPerson ? std::max(1, h->persons) : 1);
    // poor is in priority order already (without labour first, then code): ties keep it.
    const std::vector<int64_t> parts = SplitLargestRemainder(asset.total_shares, weights, {});
    for (size_t i = 0; i < poor.size(); ++i)
        if (parts[i] > 0) out[poor[i]->household_code] = parts[i];
    return out;
}

Result<Reallocation> Reallocate(const Asset& asset, const Holdings& holdings, const ShareFacts& facts, int year,
                                ReallocationMode mode) {
    if (Result<void> ok = CheckUsable(asset); !ok) return std::unexpected(ok.error());
    if (Result<void> ok = CheckHoldings(asset, holdings); !ok) return std::unexpected(ok.error());

    const auto poor = facts.Poor(asset.division_code);
    // Who must give up their shares, and why (holdings are ordered by holder).
    struct Freed {
        const std::string* holder;
        int64_t shares;
        std::string_view reason;
    };
    std::vector<Freed> freed;
    for (const auto& [holder, shares] : holdings) {
        if (IsVillageHolder(holder)) {
            if (!poor.empty() || holder != VillageHolder(asset.division_code))
                freed.push_back({&holder, shares, "collective_to_poor"});
            continue;
        }
        const ShareHousehold* h = facts.Find(holder);
        if (!h)
            freed.push_back({&holder, shares, "deregistered"});
        else if (h->status != ShareStatus::kPoor)
            freed.push_back({&holder, shares, ShareStatusName(h->status)});
        else if (h->division_code != asset.division_code)
            freed.push_back({&holder, shares, "moved_away"});
    }
    Reallocation out;
    out.holdings = holdings;
    if (freed.empty()) return out;

    int64_t pool = 0;
    for (const Freed& f : freed) {
        pool += f.shares;
        out.holdings.erase(*f.holder);
    }
    // Recipients in priority order, with what each receives.
    std::vector<std::pair<std::string, int64_t>> to;
    if (poor.empty()) {
        to.emplace_back(VillageHolder(asset.division_code), pool);
    } else {
        std::span<const ShareHousehold* const> recipients = poor;
        if (mode == ReallocationMode::kNewFirst && !facts.NewPoor(asset.division_code).empty())
            recipients = facts.NewPoor(asset.division_code);
        const int64_t n = static_cast<int64_t>(recipients.size());
        const int64_t each = pool / n, extra = pool % n;
        to.reserve(recipients.size());
        for (int64_t i = 0; i < n; ++i) {
            const int64_t s = each + (i < extra ? 1 : 0);
            if (s > 0) to.emplace_back(recipients[i]->household_code, s);
        }
    }
    // Moves: the freed holders (by holder) fill the recipients (by priority) in turn.
    size_t r = 0;
    int64_t r_left = to.empty() ? 0 : to[0].second;
    for (const Freed& f : freed) {
        int64_t left = f.shares;
        while (left > 0) {
            const int64_t s = std::min(left, r_left);
            out.moves.push_back({*f.holder, to[r].first, s, std::string(f.reason), year});
            out.holdings[to[r].first] += s;
            left -= s;
            r_left -= s;
            if (r_left == 0 && ++r < to.size()) r_left = to[r].second;
        }
    }
    return out;
}

Result<DividendDeclaration> Dividends(const Asset& asset, int year, Fen income, const Holdings& holdings) {
    if (income < 0 || income > kMaxValue)
        return AssetFail(asset, "shares.income_negative", "income", "年度收益应在0到10^12元之间",
                         "the year's income must be between 0 and 10^12 yuan");
    if (Result<void> ok = CheckUsable(asset); !ok) return std::unexpected(ok.error());
    if (Result<void> ok = CheckHoldings(asset, holdings); !ok) return std::unexpected(ok.error());

    DividendDeclaration d;
    d.asset_id = asset.id;
    d.year = year;
    d.income = income;
    const int64_t split_w[] = {asset.poor_permille, asset.village_permille, asset.cooperative_permille};
    const std::vector<int64_t> split = SplitLargestRemainder(income, split_w, {});
    d.poor_part = split[0];
    d.village_part = split[1];
    d.cooperative_part = split[2];
    d.floor = static_cast<Fen>((static_cast<__int128>(asset.value) * asset.floor_rate_bp + 5000) / 10000);

    Fen to_holders = d.poor_part;
    if (asset.cap_per_share) {
        const __int128 cap_total = static_cast<__int128>(*asset.cap_per_share) * asset.total_shares;
        if (cap_total < to_holders) to_holders = static_cast<Fen>(cap_total);
    }
    if (to_holders < d.floor) to_holders = d.floor;
    d.operator_shortfall = std::max<Fen>(0, d.floor - d.poor_part);
    d.over_cap = std::max<Fen>(0, d.poor_part - to_holders);
    d.village_part += d.over_cap;
    d.distributed = to_holders;

    std::vector<int64_t> weights;
    weights.reserve(holdings.size());
    for (const auto& [holder, shares] : holdings) weights.push_back(shares);
    const std::vector<int64_t> parts = SplitLargestRemainder(to_holders, weights, {});
    d.lines.reserve(holdings.size());
    size_t i = 0;
    const std::string year_text = std::to_string(year);
    for (const auto& [holder, shares] : holdings) {
        DividendLine line;
        line.holder = holder;
        line.shares = shares;
        line.fen = parts[i++];
        line.household = !IsVillageHolder(holder);
        line.category = codes::kCategoryCooperative;
        line.kind = codes::kKindCash;
        line.description = "资产收益分红 " + asset.id + " " + year_text + "年 " + std::to_string(shares) +
                           "股 / asset-income dividend " + asset.id + " " + year_text + ", " +
                           std::to_string(shares) + " shares";
        d.lines.push_back(std::move(line));
    }
    return d;
}

}  // namespace jz
