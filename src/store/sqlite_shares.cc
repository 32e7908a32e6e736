// Asset-income shares (migration 009, core/shares.h, docs/shares.md): assets, the current holdings,
// the moves (the asset's ledger), equity certificates revoked and reissued with each change of a
// holder's count, dividend declarations with their lines, and the disposal. The rules are the
// core's; this file stores what the service decided. Every write is in the change log in the
// caller's transaction (entities "asset", "share_holding", "share_move", "share_certificate",
// "dividend", "asset_disposal").
#include <map>
#include <string>
#include <vector>

#include "core/codes.h"
#include "store/json_writer.h"
#include "store/sqlite_internal.h"

namespace jz::sqlite_internal {
namespace {

#define JZ_ASSET_COLUMNS                                                                                    \
    "id, project_code, kind, value_fen, owner, owner_name, division_code, poor_permille, village_permille," \
    " cooperative_permille, total_shares, floor_rate_bp, cap_per_share_fen, disposed"
constexpr const char* kInsertAsset =
    "INSERT INTO asset (" JZ_ASSET_COLUMNS ", updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)";
constexpr const char* kUpdateAsset =
    "UPDATE asset SET project_code=?2, kind=?3, value_fen=?4, owner=?5, owner_name=?6, division_code=?7,"
    " poor_permille=?8, village_permille=?9, cooperative_permille=?10, total_shares=?11, floor_rate_bp=?12,"
    " cap_per_share_fen=?13, disposed=?14, updated_at=?15 WHERE id=?1";
constexpr const char* kFindAsset = "SELECT " JZ_ASSET_COLUMNS " FROM asset WHERE id=?1";
constexpr const char* kHoldings = "SELECT holder, shares FROM share_holding WHERE asset_id=?1 ORDER BY holder";
constexpr const char* kHoldingsOf = "SELECT asset_id, shares FROM share_holding WHERE holder=?1 ORDER BY asset_id";
constexpr const char* kPutHolding =
    "INSERT INTO share_holding (asset_id, holder, shares) VALUES (?1,?2,?3)"
    " ON CONFLICT(asset_id, holder) DO UPDATE SET shares=?3";
constexpr const char* kDeleteHolding = "DELETE FROM share_holding WHERE asset_id=?1 AND holder=?2";
constexpr const char* kInsertMove =
    "INSERT INTO share_move (asset_id, from_holder, to_holder, shares, reason, year, move_date)"
    " VALUES (?1,?2,?3,?4,?5,?6,?7)";
constexpr const char* kMoves =
    "SELECT from_holder, to_holder, shares, reason, year, move_date FROM share_move WHERE asset_id=?1 ORDER BY id";
constexpr const char* kCurrentCertificate =
    "SELECT number, shares, issued_on FROM share_certificate WHERE asset_id=?1 AND holder=?2 AND revoked_on IS NULL";
constexpr const char* kRevokeCertificate = "UPDATE share_certificate SET revoked_on=?2 WHERE number=?1";
constexpr const char* kNextSerial = "SELECT coalesce(max(serial), 0) + 1 FROM share_certificate WHERE asset_id=?1";
constexpr const char* kInsertCertificate =
    "INSERT INTO share_certificate (number, asset_id, serial, holder, shares, issued_on) VALUES (?1,?2,?3,?4,?5,?6)";
constexpr const char* kCertificatesAll =
    "SELECT asset_id, holder, number, shares, issued_on, revoked_on FROM share_certificate WHERE asset_id=?1"
    " ORDER BY serial";
constexpr const char* kCertificatesCurrent =
    "SELECT asset_id, holder, number, shares, issued_on, revoked_on FROM share_certificate WHERE asset_id=?1"
    " AND revoked_on IS NULL ORDER BY serial";
constexpr const char* kInsertDividend =
    "INSERT INTO dividend (asset_id, year, income_fen, poor_fen, village_fen, cooperative_fen, floor_fen,"
    " operator_shortfall_fen, over_cap_fen, distributed_fen, declared_on) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)";
constexpr const char* kDividendExists = "SELECT 1 FROM dividend WHERE asset_id=?1 AND year=?2";
constexpr const char* kInsertDividendLine =
    "INSERT INTO dividend_line (asset_id, year, holder, shares, fen, household, item_code) VALUES (?1,?2,?3,?4,?5,?6,?7)";
constexpr const char* kDividends =
    "SELECT asset_id, year, income_fen, poor_fen, village_fen, cooperative_fen, floor_fen, operator_shortfall_fen,"
    " over_cap_fen, distributed_fen, declared_on FROM dividend WHERE asset_id=?1 ORDER BY year";
constexpr const char* kDividendLines =
    "SELECT holder, shares, fen, household, item_code FROM dividend_line WHERE asset_id=?1 AND year=?2 ORDER BY holder";
constexpr const char* kDividendsOf =
    "SELECT asset_id, year, shares, fen, item_code FROM dividend_line WHERE holder=?1 ORDER BY asset_id, year";
constexpr const char* kInsertDisposal =
    "INSERT INTO asset_disposal (asset_id, vote_date, votes_for, votes_against, township_approved_on,"
    " county_agreed_on, finance_agreed_on, reason, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)";
constexpr const char* kFindDisposal =
    "SELECT asset_id, vote_date, votes_for, votes_against, township_approved_on, county_agreed_on,"
    " finance_agreed_on, reason FROM asset_disposal WHERE asset_id=?1";

std::string_view OwnerName(AssetOwner o) {
    return o == AssetOwner::kCooperative ? "cooperative" : "village_collective";
}
AssetOwner OwnerOf(std::string_view s) {
    return s == "cooperative" ? AssetOwner::kCooperative : AssetOwner::kVillageCollective;
}

std::string AssetJson(const Asset& a) {
    std::string out;
    json_writer::JsonWriter w(out);
    w.Open('{');
    w.Key("id"), w.String(a.id);
    w.Key("project_code"), w.String(a.project_id);
    w.Key("kind"), w.Int(static_cast<int>(a.kind));
    w.Key("value_fen"), w.Int(a.value);
    w.Key("owner"), w.String(OwnerName(a.owner));
    w.Key("owner_name"), w.String(a.owner_name);
    w.Key("division_code"), w.String(a.division_code);
    w.Key("poor_permille"), w.Int(a.poor_permille);
    w.Key("village_permille"), w.Int(a.village_permille);
    w.Key("cooperative_permille"), w.Int(a.cooperative_permille);
    w.Key("total_shares"), w.Int(a.total_shares);
    w.Key("floor_rate_bp"), w.Int(a.floor_rate_bp);
    w.Field("cap_per_share_fen", a.cap_per_share);
    w.Key("disposed"), w.Bool(a.disposed);
    w.Close('}');
    return out;
}
std::string HoldingJson(const std::string& asset_id, const std::string& holder, int64_t shares) {
    std::string out;
    json_writer::JsonWriter w(out);
    w.Open('{');
    w.Key("asset_id"), w.String(asset_id);
    w.Key("holder"), w.String(holder);
    w.Key("shares"), w.Int(shares);
    w.Close('}');
    return out;
}
std::string MoveJson(const std::string& asset_id, const ShareMove& m, const Date& date) {
    std::string out;
    json_writer::JsonWriter w(out);
    w.Open('{');
    w.Key("asset_id"), w.String(asset_id);
    w.Key("from"), w.String(m.from);
    w.Key("to"), w.String(m.to);
    w.Key("shares"), w.Int(m.shares);
    w.Key("reason"), w.String(m.reason);
    w.Key("year"), w.Int(m.year);
    w.Key("date"), w.String(date.ToString());
    w.Close('}');
    return out;
}
std::string CertificateJson(const ShareCertificate& c) {
    std::string out;
    json_writer::JsonWriter w(out);
    w.Open('{');
    w.Key("number"), w.String(c.number);
    w.Key("asset_id"), w.String(c.asset_id);
    w.Key("holder"), w.String(c.holder);
    w.Key("shares"), w.Int(c.shares);
    w.Key("issued_on"), w.String(c.issued_on.ToString());
    if (c.revoked_on) w.Key("revoked_on"), w.String(c.revoked_on->ToString());
    w.Close('}');
    return out;
}
std::string DividendJson(const StoredDividend& s) {
    const DividendDeclaration& d = s.declaration;
    std::string out;
    json_writer::JsonWriter w(out);
    w.Open('{');
    w.Key("asset_id"), w.String(d.asset_id);
    w.Key("year"), w.Int(d.year);
    w.Key("income_fen"), w.Int(d.income);
    w.Key("poor_fen"), w.Int(d.poor_part);
    w.Key("village_fen"), w.Int(d.village_part);
    w.Key("cooperative_fen"), w.Int(d.cooperative_part);
    w.Key("floor_fen"), w.Int(d.floor);
    w.Key("operator_shortfall_fen"), w.Int(d.operator_shortfall);
    w.Key("over_cap_fen"), w.Int(d.over_cap);
    w.Key("distributed_fen"), w.Int(d.distributed);
    w.Key("declared_on"), w.String(s.declared_on.ToString());
    w.Key("lines");
    w.Open('[');
    for (size_t i = 0; i < d.lines.size(); ++i) {
        const DividendLine& l = d.lines[i];
        w.Open('{');
        w.Key("holder"), w.String(l.holder);
        w.Key("shares"), w.Int(l.shares);
        w.Key("fen"), w.Int(l.fen);
        w.Key("item_code"), w.String(i < s.item_codes.size() ? s.item_codes[i] : std::string());
        w.Close('}');
    }
    w.Close(']');
    w.Close('}');
    return out;
}
std::string DisposalJson(const AssetDisposal& d) {
    std::string out;
    json_writer::JsonWriter w(out);
    w.Open('{');
    w.Key("asset_id"), w.String(d.asset_id);
    w.Key("vote_date"), w.String(d.vote_date.ToString());
    w.Key("votes_for"), w.Int(d.votes_for);
    w.Key("votes_against"), w.Int(d.votes_against);
    w.Key("township_approved_on"), w.String(d.township_approved_on.ToString());
    w.Key("county_agreed_on"), w.String(d.county_agreed_on.ToString());
    w.Key("finance_agreed_on"), w.String(d.finance_agreed_on.ToString());
    w.Key("reason"), w.String(d.reason);
    w.Close('}');
    return out;
}

Asset ReadAsset(sqlite3_stmt* st) {
    Asset a;
    a.id = Text(st, 0);
    a.project_id = Text(st, 1);
    a.kind = static_cast<AssetKind>(sqlite3_column_int(st, 2));
    a.value = sqlite3_column_int64(st, 3);
    a.owner = OwnerOf(Text(st, 4));
    a.owner_name = Text(st, 5);
    a.division_code = Text(st, 6);
    a.poor_permille = sqlite3_column_int(st, 7);
    a.village_permille = sqlite3_column_int(st, 8);
    a.cooperative_permille = sqlite3_column_int(st, 9);
    a.total_shares = sqlite3_column_int64(st, 10);
    a.floor_rate_bp = sqlite3_column_int(st, 11);
    a.cap_per_share = ColOpt<Fen>(st, 12);
    a.disposed = sqlite3_column_int(st, 13) != 0;
    return a;
}
void BindAsset(sqlite3_stmt* st, const Asset& a, const std::string& at) {
    BindText(st, 1, a.id);
    BindText(st, 2, a.project_id);
    sqlite3_bind_int(st, 3, static_cast<int>(a.kind));
    sqlite3_bind_int64(st, 4, a.value);
    const std::string_view owner = OwnerName(a.owner);
    sqlite3_bind_text(st, 5, owner.data(), static_cast<int>(owner.size()), SQLITE_STATIC);
    BindText(st, 6, a.owner_name);
    BindText(st, 7, a.division_code);
    sqlite3_bind_int(st, 8, a.poor_permille);
    sqlite3_bind_int(st, 9, a.village_permille);
    sqlite3_bind_int(st, 10, a.cooperative_permille);
    sqlite3_bind_int64(st, 11, a.total_shares);
    sqlite3_bind_int(st, 12, a.floor_rate_bp);
    BindOpt(st, 13, a.cap_per_share);
    sqlite3_bind_int(st, 14, a.disposed ? 1 : 0);
    BindText(st, 15, at);
}
ShareCertificate ReadCertificate(sqlite3_stmt* st) {
    ShareCertificate c;
    c.asset_id = Text(st, 0);
    c.holder = Text(st, 1);
    c.number = Text(st, 2);
    c.shares = sqlite3_column_int64(st, 3);
    c.issued_on = IntDate(sqlite3_column_int64(st, 4));
    c.revoked_on = OptDate(st, 5);
    return c;
}

// The county of an asset's entries: its village's first six digits.
std::string CountyOf(const std::string& division_code) { return division_code.substr(0, 6); }

}  // namespace

Result<void> SqliteStore::InsertAsset(const Asset& asset, const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return r;
    auto found = FindAsset(asset.id);
    if (!found) return std::unexpected(found.error());
    if (*found)
        return Fail("store.duplicate", "id", "资产编号已被使用: " + asset.id, "the asset id is taken: " + asset.id);
    auto st = Prepare(kInsertAsset);
    if (!st) return std::unexpected(st.error());
    BindAsset(*st, asset, change.at);
    if (auto r = StepDone(*st, "InsertAsset"); !r) return r;
    return LogChange(change, CountyOf(asset.division_code), "asset", asset.id, "insert", "", AssetJson(asset));
}

Result<void> SqliteStore::UpdateAsset(const Asset& asset, const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return r;
    auto found = FindAsset(asset.id);
    if (!found) return std::unexpected(found.error());
    if (!*found) return Fail("store.not_found", "id", "资产 " + asset.id + " 不存在", "no asset " + asset.id);
    auto st = Prepare(kUpdateAsset);
    if (!st) return std::unexpected(st.error());
    BindAsset(*st, asset, change.at);
    if (auto r = StepDone(*st, "UpdateAsset"); !r) return r;
    return LogChange(change, CountyOf(asset.division_code), "asset", asset.id, "update", AssetJson(**found),
                     AssetJson(asset));
}

Result<std::optional<Asset>> SqliteStore::FindAsset(const std::string& id) {
    auto st = Prepare(kFindAsset);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    BindText(*st, 1, id);
    const int rc = sqlite3_step(*st);
    if (rc == SQLITE_ROW) return std::optional<Asset>(ReadAsset(*st));
    if (rc == SQLITE_DONE) return std::optional<Asset>();
    return std::unexpected(LastError("FindAsset"));
}

Result<std::vector<Asset>> SqliteStore::ListAssets(const std::string& division_prefix) {
    std::string sql = "SELECT " JZ_ASSET_COLUMNS " FROM asset";
    if (!division_prefix.empty()) sql += " WHERE division_code >= ?1 AND division_code < ?2";
    sql += " ORDER BY id";
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
        sqlite3_finalize(raw);
        return std::unexpected(LastError("ListAssets"));
    }
    Stmt st(raw);
    const std::string hi = division_prefix + "\x7f";
    if (!division_prefix.empty()) {
        BindText(st.get(), 1, division_prefix);
        BindText(st.get(), 2, hi);
    }
    std::vector<Asset> out;
    int rc;
    while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) out.push_back(ReadAsset(st.get()));
    if (rc != SQLITE_DONE) return std::unexpected(LastError("ListAssets"));
    return out;
}

Result<Holdings> SqliteStore::AssetHoldings(const std::string& asset_id) {
    auto st = Prepare(kHoldings);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    BindText(*st, 1, asset_id);
    Holdings out;
    int rc;
    while ((rc = sqlite3_step(*st)) == SQLITE_ROW) out[Text(*st, 0)] = sqlite3_column_int64(*st, 1);
    if (rc != SQLITE_DONE) return std::unexpected(LastError("AssetHoldings"));
    return out;
}

Result<std::map<std::string, int64_t>> SqliteStore::HoldingsOf(const std::string& holder) {
    auto st = Prepare(kHoldingsOf);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    BindText(*st, 1, holder);
    std::map<std::string, int64_t> out;
    int rc;
    while ((rc = sqlite3_step(*st)) == SQLITE_ROW) out[Text(*st, 0)] = sqlite3_column_int64(*st, 1);
    if (rc != SQLITE_DONE) return std::unexpected(LastError("HoldingsOf"));
    return out;
}

Result<void> SqliteStore::SetHoldings(const std::string& asset_id, const Holdings& after,
                                      const std::vector<ShareMove>& moves, const Date& date,
                                      const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return r;
    auto asset = FindAsset(asset_id);
    if (!asset) return std::unexpected(asset.error());
    if (!*asset) return Fail("store.not_found", "asset_id", "资产 " + asset_id + " 不存在", "no asset " + asset_id);
    const std::string county = CountyOf((*asset)->division_code);
    auto before = AssetHoldings(asset_id);
    if (!before) return std::unexpected(before.error());
    const std::string key_prefix = asset_id + "/";
    // The holders whose count changes, in holder order.
    std::map<std::string, std::pair<int64_t, int64_t>> changed;  // holder → (before, after)
    for (const auto& [holder, n] : *before) {
        auto it = after.find(holder);
        const int64_t next = it == after.end() ? 0 : it->second;
        if (next != n) changed[holder] = {n, next};
    }
    for (const auto& [holder, n] : after)
        if (!before->contains(holder)) changed[holder] = {0, n};
    for (const auto& [holder, counts] : changed) {
        const auto [was, now] = counts;
        if (now < 0)
            return Fail("shares.holdings_total", "shares", "持股数不能为负", "a holding cannot be negative");
        if (now == 0) {
            auto st = Prepare(kDeleteHolding);
            if (!st) return std::unexpected(st.error());
            BindText(*st, 1, asset_id);
            BindText(*st, 2, holder);
            if (auto r = StepDone(*st, "SetHoldings"); !r) return r;
        } else {
            auto st = Prepare(kPutHolding);
            if (!st) return std::unexpected(st.error());
            BindText(*st, 1, asset_id);
            BindText(*st, 2, holder);
            sqlite3_bind_int64(*st, 3, now);
            if (auto r = StepDone(*st, "SetHoldings"); !r) return r;
        }
        if (auto r = LogChange(change, county, "share_holding", key_prefix + holder, now == 0 ? "delete" : was == 0 ? "insert" : "update",
                               was == 0 ? "" : HoldingJson(asset_id, holder, was),
                               now == 0 ? "" : HoldingJson(asset_id, holder, now));
            !r)
            return r;
        // The certificate: the current one revoked, a new one issued for the new count.
        std::optional<ShareCertificate> current;
        {
            auto st = Prepare(kCurrentCertificate);
            if (!st) return std::unexpected(st.error());
            ResetOnExit reset{*st};
            BindText(*st, 1, asset_id);
            BindText(*st, 2, holder);
            const int rc = sqlite3_step(*st);
            if (rc == SQLITE_ROW)
                current = ShareCertificate{asset_id, holder, Text(*st, 0), sqlite3_column_int64(*st, 1),
                                           IntDate(sqlite3_column_int64(*st, 2)), std::nullopt};
            else if (rc != SQLITE_DONE)
                return std::unexpected(LastError("SetHoldings"));
        }
        if (current) {
            auto st = Prepare(kRevokeCertificate);
            if (!st) return std::unexpected(st.error());
            BindText(*st, 1, current->number);
            sqlite3_bind_int64(*st, 2, DateInt(date));
            if (auto r = StepDone(*st, "SetHoldings"); !r) return r;
            ShareCertificate revoked = *current;
            revoked.revoked_on = date;
            if (auto r = LogChange(change, county, "share_certificate", current->number, "update",
                                   CertificateJson(*current), CertificateJson(revoked));
                !r)
                return r;
        }
        if (now > 0) {
            int64_t serial = 1;
            {
                auto st = Prepare(kNextSerial);
                if (!st) return std::unexpected(st.error());
                ResetOnExit reset{*st};
                BindText(*st, 1, asset_id);
                if (sqlite3_step(*st) != SQLITE_ROW) return std::unexpected(LastError("SetHoldings"));
                serial = sqlite3_column_int64(*st, 0);
            }
            ShareCertificate issued{asset_id, holder, asset_id + "-" + std::to_string(serial), now, date, std::nullopt};
            auto st = Prepare(kInsertCertificate);
            if (!st) return std::unexpected(st.error());
            BindText(*st, 1, issued.number);
            BindText(*st, 2, asset_id);
            sqlite3_bind_int64(*st, 3, serial);
            BindText(*st, 4, holder);
            sqlite3_bind_int64(*st, 5, now);
            sqlite3_bind_int64(*st, 6, DateInt(date));
            if (auto r = StepDone(*st, "SetHoldings"); !r) return r;
            if (auto r = LogChange(change, county, "share_certificate", issued.number, "insert", "",
                                   CertificateJson(issued));
                !r)
                return r;
        }
    }
    for (const ShareMove& m : moves) {
        auto st = Prepare(kInsertMove);
        if (!st) return std::unexpected(st.error());
        BindText(*st, 1, asset_id);
        BindText(*st, 2, m.from);
        BindText(*st, 3, m.to);
        sqlite3_bind_int64(*st, 4, m.shares);
        BindText(*st, 5, m.reason);
        sqlite3_bind_int(*st, 6, m.year);
        sqlite3_bind_int64(*st, 7, DateInt(date));
        if (auto r = StepDone(*st, "SetHoldings"); !r) return r;
        const int64_t id = sqlite3_last_insert_rowid(db_);
        if (auto r = LogChange(change, county, "share_move", std::to_string(id), "insert", "", MoveJson(asset_id, m, date));
            !r)
            return r;
    }
    return {};
}

Result<std::vector<StoredShareMove>> SqliteStore::ListShareMoves(const std::string& asset_id) {
    auto st = Prepare(kMoves);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    BindText(*st, 1, asset_id);
    std::vector<StoredShareMove> out;
    int rc;
    while ((rc = sqlite3_step(*st)) == SQLITE_ROW) {
        StoredShareMove m;
        m.asset_id = asset_id;
        m.move.from = Text(*st, 0);
        m.move.to = Text(*st, 1);
        m.move.shares = sqlite3_column_int64(*st, 2);
        m.move.reason = Text(*st, 3);
        m.move.year = sqlite3_column_int(*st, 4);
        m.date = IntDate(sqlite3_column_int64(*st, 5));
        out.push_back(std::move(m));
    }
    if (rc != SQLITE_DONE) return std::unexpected(LastError("ListShareMoves"));
    return out;
}

Result<std::vector<ShareCertificate>> SqliteStore::ListCertificates(const std::string& asset_id, bool all) {
    auto st = Prepare(all ? kCertificatesAll : kCertificatesCurrent);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    BindText(*st, 1, asset_id);
    std::vector<ShareCertificate> out;
    int rc;
    while ((rc = sqlite3_step(*st)) == SQLITE_ROW) out.push_back(ReadCertificate(*st));
    if (rc != SQLITE_DONE) return std::unexpected(LastError("ListCertificates"));
    return out;
}

Result<void> SqliteStore::InsertDividend(const StoredDividend& dividend, const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return r;
    const DividendDeclaration& d = dividend.declaration;
    auto asset = FindAsset(d.asset_id);
    if (!asset) return std::unexpected(asset.error());
    if (!*asset) return Fail("store.not_found", "asset_id", "资产 " + d.asset_id + " 不存在", "no asset " + d.asset_id);
    {
        auto st = Prepare(kDividendExists);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        BindText(*st, 1, d.asset_id);
        sqlite3_bind_int(*st, 2, d.year);
        const int rc = sqlite3_step(*st);
        if (rc == SQLITE_ROW)
            return Fail("store.duplicate", "year",
                        "资产 " + d.asset_id + " 的 " + std::to_string(d.year) + " 年分红已宣告",
                        "the dividend of asset " + d.asset_id + " for " + std::to_string(d.year) + " is declared");
        if (rc != SQLITE_DONE) return std::unexpected(LastError("InsertDividend"));
    }
    auto st = Prepare(kInsertDividend);
    if (!st) return std::unexpected(st.error());
    BindText(*st, 1, d.asset_id);
    sqlite3_bind_int(*st, 2, d.year);
    sqlite3_bind_int64(*st, 3, d.income);
    sqlite3_bind_int64(*st, 4, d.poor_part);
    sqlite3_bind_int64(*st, 5, d.village_part);
    sqlite3_bind_int64(*st, 6, d.cooperative_part);
    sqlite3_bind_int64(*st, 7, d.floor);
    sqlite3_bind_int64(*st, 8, d.operator_shortfall);
    sqlite3_bind_int64(*st, 9, d.over_cap);
    sqlite3_bind_int64(*st, 10, d.distributed);
    sqlite3_bind_int64(*st, 11, DateInt(dividend.declared_on));
    if (auto r = StepDone(*st, "InsertDividend"); !r) return r;
    for (size_t i = 0; i < d.lines.size(); ++i) {
        const DividendLine& l = d.lines[i];
        const std::string code = i < dividend.item_codes.size() ? dividend.item_codes[i] : std::string();
        auto ls = Prepare(kInsertDividendLine);
        if (!ls) return std::unexpected(ls.error());
        BindText(*ls, 1, d.asset_id);
        sqlite3_bind_int(*ls, 2, d.year);
        BindText(*ls, 3, l.holder);
        sqlite3_bind_int64(*ls, 4, l.shares);
        sqlite3_bind_int64(*ls, 5, l.fen);
        sqlite3_bind_int(*ls, 6, l.household ? 1 : 0);
        BindText(*ls, 7, code);
        if (auto r = StepDone(*ls, "InsertDividend"); !r) return r;
    }
    return LogChange(change, CountyOf((*asset)->division_code), "dividend", d.asset_id + "/" + std::to_string(d.year),
                     "insert", "", DividendJson(dividend));
}

Result<std::vector<StoredDividend>> SqliteStore::ListDividends(const std::string& asset_id) {
    std::vector<StoredDividend> out;
    {
        auto st = Prepare(kDividends);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        BindText(*st, 1, asset_id);
        int rc;
        while ((rc = sqlite3_step(*st)) == SQLITE_ROW) {
            StoredDividend s;
            DividendDeclaration& d = s.declaration;
            d.asset_id = Text(*st, 0);
            d.year = sqlite3_column_int(*st, 1);
            d.income = sqlite3_column_int64(*st, 2);
            d.poor_part = sqlite3_column_int64(*st, 3);
            d.village_part = sqlite3_column_int64(*st, 4);
            d.cooperative_part = sqlite3_column_int64(*st, 5);
            d.floor = sqlite3_column_int64(*st, 6);
            d.operator_shortfall = sqlite3_column_int64(*st, 7);
            d.over_cap = sqlite3_column_int64(*st, 8);
            d.distributed = sqlite3_column_int64(*st, 9);
            s.declared_on = IntDate(sqlite3_column_int64(*st, 10));
            out.push_back(std::move(s));
        }
        if (rc != SQLITE_DONE) return std::unexpected(LastError("ListDividends"));
    }
    for (StoredDividend& s : out) {
        auto st = Prepare(kDividendLines);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        BindText(*st, 1, asset_id);
        sqlite3_bind_int(*st, 2, s.declaration.year);
        int rc;
        while ((rc = sqlite3_step(*st)) == SQLITE_ROW) {
            DividendLine l;
            l.holder = Text(*st, 0);
            l.shares = sqlite3_column_int64(*st, 1);
            l.fen = sqlite3_column_int64(*st, 2);
            l.household = sqlite3_column_int(*st, 3) != 0;
            if (l.household) {
                l.category = codes::kCategoryCooperative;
                l.kind = codes::kKindCash;
            }
            s.declaration.lines.push_back(std::move(l));
            s.item_codes.push_back(Text(*st, 4));
        }
        if (rc != SQLITE_DONE) return std::unexpected(LastError("ListDividends"));
    }
    return out;
}

Result<std::vector<HolderDividend>> SqliteStore::DividendsOf(const std::string& holder) {
    auto st = Prepare(kDividendsOf);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    BindText(*st, 1, holder);
    std::vector<HolderDividend> out;
    int rc;
    while ((rc = sqlite3_step(*st)) == SQLITE_ROW)
        out.push_back(HolderDividend{Text(*st, 0), sqlite3_column_int(*st, 1), sqlite3_column_int64(*st, 2),
                                     sqlite3_column_int64(*st, 3), Text(*st, 4)});
    if (rc != SQLITE_DONE) return std::unexpected(LastError("DividendsOf"));
    return out;
}

Result<void> SqliteStore::InsertAssetDisposal(const AssetDisposal& d, const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return r;
    auto asset = FindAsset(d.asset_id);
    if (!asset) return std::unexpected(asset.error());
    if (!*asset) return Fail("store.not_found", "asset_id", "资产 " + d.asset_id + " 不存在", "no asset " + d.asset_id);
    auto found = FindAssetDisposal(d.asset_id);
    if (!found) return std::unexpected(found.error());
    if (*found)
        return Fail("store.duplicate", "asset_id", "资产 " + d.asset_id + " 已处置", "asset " + d.asset_id + " is disposed");
    auto st = Prepare(kInsertDisposal);
    if (!st) return std::unexpected(st.error());
    BindText(*st, 1, d.asset_id);
    sqlite3_bind_int64(*st, 2, DateInt(d.vote_date));
    sqlite3_bind_int(*st, 3, d.votes_for);
    sqlite3_bind_int(*st, 4, d.votes_against);
    sqlite3_bind_int64(*st, 5, DateInt(d.township_approved_on));
    sqlite3_bind_int64(*st, 6, DateInt(d.county_agreed_on));
    sqlite3_bind_int64(*st, 7, DateInt(d.finance_agreed_on));
    BindText(*st, 8, d.reason);
    BindText(*st, 9, change.at);
    if (auto r = StepDone(*st, "InsertAssetDisposal"); !r) return r;
    return LogChange(change, CountyOf((*asset)->division_code), "asset_disposal", d.asset_id, "insert", "",
                     DisposalJson(d));
}

Result<std::optional<AssetDisposal>> SqliteStore::FindAssetDisposal(const std::string& asset_id) {
    auto st = Prepare(kFindDisposal);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    BindText(*st, 1, asset_id);
    const int rc = sqlite3_step(*st);
    if (rc == SQLITE_DONE) return std::optional<AssetDisposal>();
    if (rc != SQLITE_ROW) return std::unexpected(LastError("FindAssetDisposal"));
    AssetDisposal d;
    d.asset_id = Text(*st, 0);
    d.vote_date = IntDate(sqlite3_column_int64(*st, 1));
    d.votes_for = sqlite3_column_int(*st, 2);
    d.votes_against = sqlite3_column_int(*st, 3);
    d.township_approved_on = IntDate(sqlite3_column_int64(*st, 4));
    d.county_agreed_on = IntDate(sqlite3_column_int64(*st, 5));
    d.finance_agreed_on = IntDate(sqlite3_column_int64(*st, 6));
    d.reason = Text(*st, 7);
    return std::optional<AssetDisposal>(d);
}

}  // namespace jz::sqlite_internal
