// Asset-income shares' operations (service/shares.h): the store's reads, the core's rules
// (core/shares.h), the store's writes, each in one transaction.
#include "service/shares.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "core/codes.h"
#include "service/assistance.h"
#include "service/body_reader.h"

namespace jz::service {

namespace json = boost::json;

namespace {

Error NoAsset(const std::string& id) {
    return Error{.code = "shares.not_found",
                 .field = "asset_id",
                 .message_zh = "资产 " + id + " 不存在",
                 .message_en = "no asset " + id};
}

// The households of a village as the shares see them in `year`, plus each holder that is not among
// them (moved to another village: as the registry has it now; gone from the registry: left out,
// which the core counts as deregistered). `departed`: a household just removed, with its status.
Result<ShareFacts> VillageFacts(Store& store, const std::string& village, const std::set<std::string>& holders,
                                int year, const std::optional<ShareHousehold>& departed) {
    std::vector<ShareHousehold> out;
    std::set<std::string> seen;
    HouseholdFilter filter;
    filter.division_prefix = village;
    auto scanned = store.ScanHouseholds(filter, [&](const Household& h) {
        if (h.division_code != village) return true;
        out.push_back(ShareHouseholdOf(h, year));
        seen.insert(h.household_code);
        return true;
    });
    if (!scanned) return std::unexpected(scanned.error());
    for (const std::string& holder : holders) {
        if (IsVillageHolder(holder) || seen.contains(holder)) continue;
        if (departed && departed->household_code == holder) continue;
        auto found = store.FindHousehold(holder);
        if (!found) return std::unexpected(found.error());
        if (*found) out.push_back(ShareHouseholdOf((*found)->household, year));
    }
    if (departed) out.push_back(*departed);
    return ShareFacts(std::move(out));
}

// Reallocates the given assets (all of one village) against `facts`; appends the moves.
Result<void> ReallocateAssets(Store& store, const Plan& plan, const std::vector<Asset>& assets,
                              const std::map<std::string, Holdings>& holdings, const ShareFacts& facts, int year,
                              const Date& date, const ChangeContext& change, ReallocationOutcome& out) {
    for (const Asset& a : assets) {
        ++out.assets;
        const Holdings& before = holdings.at(a.id);
        auto r = Reallocate(a, before, facts, year, plan.shares.reallocation);
        if (!r) return std::unexpected(r.error());
        if (r->moves.empty()) continue;
        if (auto w = store.SetHoldings(a.id, r->holdings, r->moves, date, change); !w) return w;
        for (const ShareMove& m : r->moves) out.moves.push_back(StoredShareMove{a.id, m, date});
    }
    return {};
}

// The assets grouped by village, with their holdings, reallocated village by village.
Result<void> ReallocateGrouped(Store& store, const Plan& plan, const std::vector<Asset>& assets, int year,
                               const Date& date, const ChangeContext& change,
                               const std::optional<ShareHousehold>& departed, ReallocationOutcome& out) {
    std::map<std::string, std::vector<Asset>> by_village;
    for (const Asset& a : assets)
        if (!a.disposed) by_village[a.division_code].push_back(a);
    for (const auto& [village, list] : by_village) {
        std::map<std::string, Holdings> holdings;
        std::set<std::string> holders;
        for (const Asset& a : list) {
            auto h = store.AssetHoldings(a.id);
            if (!h) return std::unexpected(h.error());
            for (const auto& [holder, n] : *h) holders.insert(holder);
            holdings[a.id] = std::move(*h);
        }
        auto facts = VillageFacts(store, village, holders, year, departed);
        if (!facts) return std::unexpected(facts.error());
        if (auto r = ReallocateAssets(store, plan, list, holdings, *facts, year, date, change, out); !r) return r;
    }
    return {};
}

}  // namespace

Result<Holdings> AddAsset(Store& store, const Plan& plan, const Asset& asset, int year, const Date& date,
                          const ChangeContext& change) {
    if (auto r = ValidateAsset(asset); !r) return std::unexpected(r.error());
    if (asset.disposed)
        return Fail("shares.disposed", "disposed", "不能新增已处置的资产", "a new asset cannot be disposed of");
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    auto found = store.FindAsset(asset.id);
    if (!found) return std::unexpected(found.error());
    if (*found)
        return Fail("shares.exists", "id", "资产编号已被使用: " + asset.id, "the asset id is taken: " + asset.id);
    auto facts = VillageFacts(store, asset.division_code, {}, year, std::nullopt);
    if (!facts) return std::unexpected(facts.error());
    auto holdings = Quantify(asset, *facts, plan.shares.quantify);
    if (!holdings) return std::unexpected(holdings.error());
    if (auto r = store.InsertAsset(asset, change); !r) return std::unexpected(r.error());
    if (auto r = store.SetHoldings(asset.id, *holdings, {}, date, change); !r) return std::unexpected(r.error());
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return holdings;
}

Result<ReallocationOutcome> ReallocateAsset(Store& store, const Plan& plan, const std::string& asset_id, int year,
                                            const Date& date, const ChangeContext& change) {
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    auto asset = store.FindAsset(asset_id);
    if (!asset) return std::unexpected(asset.error());
    if (!*asset) return std::unexpected(NoAsset(asset_id));
    if ((*asset)->disposed)
        return Fail("shares.disposed", "asset_id", "资产 " + asset_id + " 已处置", "asset " + asset_id + " is disposed of");
    ReallocationOutcome out;
    out.year = year;
    if (auto r = ReallocateGrouped(store, plan, {**asset}, year, date, change, std::nullopt, out); !r)
        return std::unexpected(r.error());
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return out;
}

Result<ReallocationOutcome> ReallocateYearInTransaction(Store& store, const Plan& plan, int year, const Date& date,
                                                        const ChangeContext& change) {
    auto assets = store.ListAssets("");
    if (!assets) return std::unexpected(assets.error());
    ReallocationOutcome out;
    out.year = year;
    if (auto r = ReallocateGrouped(store, plan, *assets, year, date, change, std::nullopt, out); !r)
        return std::unexpected(r.error());
    return out;
}

Result<ReallocationOutcome> ReallocateYear(Store& store, const Plan& plan, int year, const Date& date,
                                           const ChangeContext& change) {
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    auto out = ReallocateYearInTransaction(store, plan, year, date, change);
    if (!out) return out;
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return out;
}

Result<ReallocationOutcome> ReallocateOnDepartureInTransaction(Store& store, const Plan& plan,
                                                               const std::string& household_code,
                                                               ShareStatus status, int year, const Date& date,
                                                               const ChangeContext& change) {
    ReallocationOutcome out;
    out.year = year;
    auto held = store.HoldingsOf(household_code);
    if (!held) return std::unexpected(held.error());
    if (held->empty()) return out;
    std::vector<Asset> assets;
    for (const auto& [asset_id, n] : *held) {
        auto a = store.FindAsset(asset_id);
        if (!a) return std::unexpected(a.error());
        if (*a && !(*a)->disposed) assets.push_back(**a);
    }
    ShareHousehold gone;
    gone.household_code = household_code;
    gone.status = status;
    // Its village: the first asset's (a departed household is no longer in any village's scan).
    if (!assets.empty()) gone.division_code = assets.front().division_code;
    // Only this household's shares move now: every asset is reallocated against its village as
    // the registry has it, which also moves any other holder that should have left (the same rule).
    if (auto r = ReallocateGrouped(store, plan, assets, year, date, change, gone, out); !r)
        return std::unexpected(r.error());
    return out;
}

Result<StoredDividend> DeclareDividends(Store& store, const Plan& plan, const std::string& asset_id, int year,
                                        Fen income, const Date& date, int measure, const ChangeContext& change) {
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    auto asset = store.FindAsset(asset_id);
    if (!asset) return std::unexpected(asset.error());
    if (!*asset) return std::unexpected(NoAsset(asset_id));
    auto holdings = store.AssetHoldings(asset_id);
    if (!holdings) return std::unexpected(holdings.error());
    auto declared = Dividends(**asset, year, income, *holdings);
    if (!declared) return std::unexpected(declared.error());
    auto listed = store.ListDividends(asset_id);
    if (!listed) return std::unexpected(listed.error());
    for (const StoredDividend& d : *listed)
        if (d.declaration.year == year)
            return Fail("shares.dividend_declared", "year",
                        "资产 " + asset_id + " 的 " + std::to_string(year) + " 年分红已宣告",
                        "the dividend of asset " + asset_id + " for " + std::to_string(year) + " is already declared");
    if (measure == 0) measure = 1;
    StoredDividend stored;
    stored.declaration = std::move(*declared);
    stored.declared_on = date;
    for (const DividendLine& line : stored.declaration.lines) {
        if (!line.household || line.fen == 0) {
            stored.item_codes.emplace_back();
            continue;
        }
        AssistanceItem item;
        item.household_code = line.holder;
        item.measure = measure;
        item.category = line.category;
        item.kind = line.kind;
        item.start_date = date;
        item.amount = line.fen;
        item.fund_ref = (*asset)->project_id;
        item.notes = line.description;
        auto posted = AddAssistanceInTransaction(store, plan, std::move(item), change);
        if (!posted) {
            Error e = posted.error();
            e.message_zh = line.holder + ": " + e.message_zh;
            e.message_en = line.holder + ": " + e.message_en;
            return std::unexpected(e);
        }
        stored.item_codes.push_back(posted->item.item_code);
    }
    if (auto r = store.InsertDividend(stored, change); !r) return std::unexpected(r.error());
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return stored;
}

Result<Asset> DisposeAsset(Store& store, const AssetDisposal& d, const ChangeContext& change) {
    if (d.votes_for < 0 || d.votes_against < 0 || int64_t{d.votes_for} * 2 <= int64_t{d.votes_for} + d.votes_against)
        return Fail("shares.disposal_vote", "votes_for", "处置须经村民(代表)大会过半数同意",
                    "a disposal needs more than half of the villagers' votes for it");
    if (d.township_approved_on < d.vote_date)
        return Fail("shares.disposal_dates", "township_approved_on", "乡镇审批不能早于村民表决",
                    "the township's approval cannot precede the vote");
    if (d.county_agreed_on < d.township_approved_on)
        return Fail("shares.disposal_dates", "county_agreed_on", "县扶贫办同意不能早于乡镇审批",
                    "the county poverty office's agreement cannot precede the township's approval");
    if (d.finance_agreed_on < d.township_approved_on)
        return Fail("shares.disposal_dates", "finance_agreed_on", "财政局同意不能早于乡镇审批",
                    "the finance bureau's agreement cannot precede the township's approval");
    if (d.reason.empty() || d.reason.size() > 1500)
        return Fail("shares.disposal_reason", "reason", "须填写处置原因(最多500字)",
                    "the reason is required (at most 500 characters)");
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    auto asset = store.FindAsset(d.asset_id);
    if (!asset) return std::unexpected(asset.error());
    if (!*asset) return std::unexpected(NoAsset(d.asset_id));
    if ((*asset)->disposed)
        return Fail("shares.disposed", "asset_id", "资产 " + d.asset_id + " 已处置",
                    "asset " + d.asset_id + " is already disposed of");
    Asset after = **asset;
    after.disposed = true;
    if (auto r = store.InsertAssetDisposal(d, change); !r) return std::unexpected(r.error());
    if (auto r = store.UpdateAsset(after, change); !r) return std::unexpected(r.error());
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return after;
}

// --- JSON ----------------------------------------------------------------------------------------

namespace {
// Yuan with two decimals ("1234.50"), as the contract's amounts.
std::string Yuan(Fen fen) {
    const bool negative = fen < 0;
    const uint64_t v = negative ? uint64_t(0) - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%s%llu.%02llu", negative ? "-" : "", static_cast<unsigned long long>(v / 100),
                  static_cast<unsigned long long>(v % 100));
    return buf;
}
json::value MoneyOf(const std::optional<Fen>& v) { return v ? json::value(Yuan(*v)) : json::value(nullptr); }
std::string_view OwnerText(AssetOwner o) { return o == AssetOwner::kCooperative ? "cooperative" : "village_collective"; }
std::string UnitName(const OrgTree& tree, const std::string& code) {
    const OrgUnit* u = tree.Find(code);
    return u ? u->name() : std::string();
}
}  // namespace

Result<Asset> AssetFromJson(const json::value& body, const Plan& plan) {
    if (!body.is_object())
        return Fail("input.asset", "body", "请求体应为 JSON 对象", "the body must be a JSON object");
    detail::BodyReader r(body.as_object(), "input.asset");
    r.OnlyKeys({"id", "project_code", "kind", "value", "owner", "owner_name", "division_code", "total_shares",
                "poor_permille", "village_permille", "cooperative_permille", "floor_rate_bp", "cap_per_share"});
    Asset a;
    PlanShares defaults = plan.shares;
    a = AssetWithPlanDefaults(a, defaults);
    a.id = r.String("id", true);
    a.project_id = r.String("project_code");
    if (const json::value* k = r.Get("kind")) {
        const std::string text = k->is_string() ? std::string(k->as_string())
                                 : k->is_int64() ? std::to_string(k->as_int64())
                                                 : std::string();
        if (auto kind = ParseAssetKind(text))
            a.kind = *kind;
        else
            r.Problem("kind", "未知的资产类型: " + text, "unknown asset kind: " + text);
    } else {
        r.Problem("kind", "必填", "is required");
    }
    if (auto v = r.Yuan("value"))
        a.value = *v;
    else if (r.ok())
        r.Problem("value", "必填", "is required");
    const std::string owner = r.String("owner");
    if (owner == "cooperative" || owner == "合作社")
        a.owner = AssetOwner::kCooperative;
    else if (owner.empty() || owner == "village_collective" || owner == "村集体")
        a.owner = AssetOwner::kVillageCollective;
    else
        r.Problem("owner", "应为 village_collective 或 cooperative", "must be village_collective or cooperative");
    a.owner_name = r.String("owner_name", true);
    a.division_code = r.String("division_code", true);
    if (auto n = r.Int("total_shares", true)) a.total_shares = *n;
    if (auto n = r.Int32("poor_permille")) a.poor_permille = *n;
    if (auto n = r.Int32("village_permille")) a.village_permille = *n;
    if (auto n = r.Int32("cooperative_permille")) a.cooperative_permille = *n;
    if (auto n = r.Int32("floor_rate_bp")) a.floor_rate_bp = *n;
    a.cap_per_share = r.Yuan("cap_per_share");
    if (!r.ok()) return std::unexpected(r.error());
    if (auto v = ValidateAsset(a); !v) return std::unexpected(v.error());
    return a;
}

json::object AssetJson(const Asset& a, const OrgTree& tree, int64_t holders) {
    return {{"id", a.id},
            {"project_code", a.project_id},
            {"kind", static_cast<int>(a.kind)},
            {"kind_name", AssetKindName(a.kind)},
            {"kind_name_zh", AssetKindNameZh(a.kind)},
            {"value", Yuan(a.value)},
            {"owner", OwnerText(a.owner)},
            {"owner_name", a.owner_name},
            {"division_code", a.division_code},
            {"division_name", UnitName(tree, a.division_code)},
            {"poor_permille", a.poor_permille},
            {"village_permille", a.village_permille},
            {"cooperative_permille", a.cooperative_permille},
            {"total_shares", a.total_shares},
            {"floor_rate_bp", a.floor_rate_bp},
            {"cap_per_share", MoneyOf(a.cap_per_share)},
            {"disposed", a.disposed},
            {"holders", holders}};
}

json::object MoveJson(const StoredShareMove& m) {
    return {{"from", m.move.from},       {"to", m.move.to},          {"shares", m.move.shares},
            {"reason", m.move.reason},   {"year", m.move.year},      {"date", m.date.ToString()}};
}

json::object DividendJson(const StoredDividend& s) {
    const DividendDeclaration& d = s.declaration;
    json::array lines;
    for (size_t i = 0; i < d.lines.size(); ++i)
        lines.push_back({{"holder", d.lines[i].holder},
                         {"shares", d.lines[i].shares},
                         {"amount", Yuan(d.lines[i].fen)},
                         {"item_code", i < s.item_codes.size() && !s.item_codes[i].empty()
                                           ? json::value(s.item_codes[i])
                                           : json::value(nullptr)}});
    return {{"asset_id", d.asset_id},
            {"year", d.year},
            {"income", Yuan(d.income)},
            {"poor_part", Yuan(d.poor_part)},
            {"village_part", Yuan(d.village_part)},
            {"cooperative_part", Yuan(d.cooperative_part)},
            {"floor", Yuan(d.floor)},
            {"operator_shortfall", Yuan(d.operator_shortfall)},
            {"over_cap", Yuan(d.over_cap)},
            {"distributed", Yuan(d.distributed)},
            {"declared_on", s.declared_on.ToString()},
            {"lines", std::move(lines)}};
}

Result<std::optional<json::object>> AssetDetailJson(Store& store, const OrgTree& tree, const std::string& id) {
    auto asset = store.FindAsset(id);
    if (!asset) return std::unexpected(asset.error());
    if (!*asset) return std::optional<json::object>();
    auto holdings = store.AssetHoldings(id);
    if (!holdings) return std::unexpected(holdings.error());
    auto certificates = store.ListCertificates(id, false);
    if (!certificates) return std::unexpected(certificates.error());
    std::map<std::string, std::string> certificate_of;
    for (const ShareCertificate& c : *certificates) certificate_of[c.holder] = c.number;
    json::array rows;
    for (const auto& [holder, n] : *holdings) {
        json::object row{{"holder", holder}, {"shares", n}};
        if (IsVillageHolder(holder)) {
            row["household_code"] = nullptr;
            row["head_name"] = nullptr;
        } else {
            row["household_code"] = holder;
            auto h = store.FindHousehold(holder);
            if (!h) return std::unexpected(h.error());
            const Person* head = *h ? (*h)->household.head() : nullptr;
            row["head_name"] = head ? json::value(head->name) : json::value(nullptr);
        }
        auto c = certificate_of.find(holder);
        row["certificate"] = c == certificate_of.end() ? json::value(nullptr) : json::value(c->second);
        rows.push_back(std::move(row));
    }
    auto moves = store.ListShareMoves(id);
    if (!moves) return std::unexpected(moves.error());
    json::array move_rows;
    for (const StoredShareMove& m : *moves) move_rows.push_back(MoveJson(m));
    auto dividends = store.ListDividends(id);
    if (!dividends) return std::unexpected(dividends.error());
    json::array dividend_rows;
    for (const StoredDividend& d : *dividends) dividend_rows.push_back(DividendJson(d));
    auto disposal = store.FindAssetDisposal(id);
    if (!disposal) return std::unexpected(disposal.error());
    json::value disposal_json = nullptr;
    if (*disposal) {
        const AssetDisposal& d = **disposal;
        disposal_json = json::object{{"vote_date", d.vote_date.ToString()},
                                     {"votes_for", d.votes_for},
                                     {"votes_against", d.votes_against},
                                     {"township_approved_on", d.township_approved_on.ToString()},
                                     {"county_agreed_on", d.county_agreed_on.ToString()},
                                     {"finance_agreed_on", d.finance_agreed_on.ToString()},
                                     {"reason", d.reason}};
    }
    json::object out{{"asset", AssetJson(**asset, tree, static_cast<int64_t>(holdings->size()))},
                     {"holdings", std::move(rows)},
                     {"moves", std::move(move_rows)},
                     {"dividends", std::move(dividend_rows)},
                     {"disposal", std::move(disposal_json)}};
    return std::optional<json::object>(std::move(out));
}

Result<json::object> HouseholdSharesJson(Store& store, const std::string& household_code) {
    auto held = store.HoldingsOf(household_code);
    if (!held) return std::unexpected(held.error());
    json::array holdings;
    for (const auto& [asset_id, n] : *held) {
        auto a = store.FindAsset(asset_id);
        if (!a) return std::unexpected(a.error());
        if (!*a) continue;
        const Asset& asset = **a;
        auto certificates = store.ListCertificates(asset_id, false);
        if (!certificates) return std::unexpected(certificates.error());
        json::value certificate = nullptr;
        for (const ShareCertificate& c : *certificates)
            if (c.holder == household_code) certificate = json::value(c.number);
        // The value of the household's shares: value × shares ÷ total, rounded down to the fen.
        const Fen value_share =
            asset.total_shares > 0
                ? static_cast<Fen>(static_cast<__int128>(asset.value) * n / asset.total_shares)
                : 0;
        holdings.push_back({{"asset_id", asset_id},
                            {"kind", static_cast<int>(asset.kind)},
                            {"kind_name_zh", AssetKindNameZh(asset.kind)},
                            {"shares", n},
                            {"total_shares", asset.total_shares},
                            {"value_share", Yuan(value_share)},
                            {"certificate", std::move(certificate)}});
    }
    auto dividends = store.DividendsOf(household_code);
    if (!dividends) return std::unexpected(dividends.error());
    json::array rows;
    for (const HolderDividend& d : *dividends)
        rows.push_back({{"asset_id", d.asset_id},
                        {"year", d.year},
                        {"shares", d.shares},
                        {"amount", Yuan(d.fen)},
                        {"item_code", d.item_code.empty() ? json::value(nullptr) : json::value(d.item_code)}});
    return json::object{{"holdings", std::move(holdings)}, {"dividends", std::move(rows)}};
}

}  // namespace jz::service
