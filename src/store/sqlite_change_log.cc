// The change log: writing an entry (chained to the previous one), reading entries back, events
// that change no row (logins), the chain's head, and the imports entries can point at.
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "store/sqlite_internal.h"

namespace jz::sqlite_internal {
namespace {

constexpr const char* kInsertChange =
    "INSERT INTO change_log (at, actor, county_code, entity, entity_key, action, before_json, after_json, "
    "import_id,"
    " seq, hash) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)";
constexpr const char* kLastChangeSeq = "SELECT coalesce(max(seq), 0) FROM change_log";

// The events RecordEvent may write (the change log's CHECK allows these besides the row changes).
constexpr std::string_view kEventActions[] = {"login", "login_failed", "lock", "logout"};

}  // namespace

Result<void> SqliteStore::LogChange(const ChangeContext& c, const std::string& county, const std::string& entity,
                       const std::string& key, const std::string& action, const std::string& before,
                       const std::string& after) {
    auto st = Prepare(kInsertChange);
    if (!st) return std::unexpected(st.error());
    BindText(*st, 1, c.at);
    BindText(*st, 2, c.actor);
    BindText(*st, 3, county);
    BindText(*st, 4, entity);
    BindText(*st, 5, key);
    BindText(*st, 6, action);
    if (before.empty())
        sqlite3_bind_null(*st, 7);
    else
        BindText(*st, 7, before);
    if (after.empty())
        sqlite3_bind_null(*st, 8);
    else
        BindText(*st, 8, after);
    BindOpt(*st, 9, c.import_id);
    ChainEntry entry{chain_seq_ + 1,
                     c.at,
                     c.actor,
                     county,
                     entity,
                     key,
                     action,
                     before.empty() ? std::nullopt : std::optional<std::string_view>(before),
                     after.empty() ? std::nullopt : std::optional<std::string_view>(after),
                     c.import_id};
    const ChainHash hash = HashEntry(chain_hash_, entry);
    sqlite3_bind_int64(*st, 10, entry.seq);
    sqlite3_bind_blob(*st, 11, hash.data(), static_cast<int>(hash.size()), SQLITE_TRANSIENT);
    if (auto r = StepDone(*st, "LogChange"); !r) return r;
    chain_seq_ = entry.seq;
    chain_hash_ = hash;
    return {};
}

Result<std::vector<ChangeLogEntry>> SqliteStore::ChangeLog(const ChangeLogFilter& f) {
    std::string sql =
        "SELECT seq, at, actor, entity, entity_key, action, coalesce(before_json,''), "
        "coalesce(after_json,''),"
        " import_id FROM change_log WHERE 1=1";
    if (f.entity_key) sql += " AND entity_key=?1";
    if (f.actor) sql += " AND actor=?2";
    if (f.since) sql += " AND at>=?3";
    if (f.entity) sql += " AND entity=?6";
    if (f.after_seq) sql += " AND seq>?7";
    // A scope below the root: only the entries of households now under it (their code range
    // on the division index), of procedure cases, of the assistance ledger (items, income,
    // cover) and of the pairing family (cadres, pairings, team members, on-post days, visits,
    // places) under it; plans, org units, accounts,
    // events, populations, evaluations and approvals belong to the root.
    const bool scoped = f.division_prefix && !f.division_prefix->empty();
    if (scoped)
        sql +=
            " AND ((entity='household' AND entity_key IN (SELECT household_code FROM household"
            " WHERE division_code >= ?5 AND division_code < ?5 || char(127)))"
            " OR (entity='procedure_case' AND entity_key IN (SELECT CAST(id AS TEXT) FROM procedure_case"
            " WHERE division_code >= ?5 AND division_code < ?5 || char(127)))"
            // The assistance ledger by the division its rows were last written under (a deregistered
            // household's ledger stays visible to the unit it belonged to). Looked up per entry on
            // the rows' keys rather than listed up front: a county holds millions of ledger rows.
            " OR (entity='assistance_item' AND EXISTS (SELECT 1 FROM assistance_item a"
            " WHERE a.item_code = change_log.entity_key AND a.division_code >= ?5"
            " AND a.division_code < ?5 || char(127)))"
            " OR (entity='income' AND EXISTS (SELECT 1 FROM income i"
            " WHERE i.household_code = substr(change_log.entity_key, 1, instr(change_log.entity_key, '/') - 1)"
            " AND i.year = CAST(substr(change_log.entity_key, instr(change_log.entity_key, '/') + 1) AS INTEGER)"
            " AND i.division_code >= ?5 AND i.division_code < ?5 || char(127)))"
            " OR (entity='coverage' AND EXISTS (SELECT 1 FROM coverage c"
            " WHERE c.id_number = substr(change_log.entity_key, 1, instr(change_log.entity_key, '/') - 1)"
            " AND c.year = CAST(substr(change_log.entity_key, instr(change_log.entity_key, '/') + 1) AS INTEGER)"
            " AND c.division_code >= ?5 AND c.division_code < ?5 || char(127)))"
            // Pairing (issue 15): cadres by the unit their record belongs to (a township's, or the
            // county's: county-wide cadres are seen by a county scope only); pairings, visits and
            // places by the household's village they were written under; work team members and
            // their on-post days by the team's village.
            " OR (entity='cadre' AND EXISTS (SELECT 1 FROM cadre k WHERE k.id = CAST(change_log.entity_key AS INTEGER)"
            " AND k.division_code >= ?5 AND k.division_code < ?5 || char(127)))"
            " OR (entity='pairing' AND EXISTS (SELECT 1 FROM pairing p WHERE p.id = CAST(change_log.entity_key AS INTEGER)"
            " AND p.division_code >= ?5 AND p.division_code < ?5 || char(127)))"
            " OR (entity='team_member' AND EXISTS (SELECT 1 FROM team_member m"
            " WHERE m.id = CAST(change_log.entity_key AS INTEGER)"
            " AND m.village_code >= ?5 AND m.village_code < ?5 || char(127)))"
            " OR (entity='on_post' AND EXISTS (SELECT 1 FROM team_member m"
            " WHERE m.id = CAST(substr(change_log.entity_key, 1, instr(change_log.entity_key, '/') - 1) AS INTEGER)"
            " AND m.village_code >= ?5 AND m.village_code < ?5 || char(127)))"
            " OR (entity='visit' AND EXISTS (SELECT 1 FROM visit v WHERE v.client_id = change_log.entity_key"
            " AND v.division_code >= ?5 AND v.division_code < ?5 || char(127)))"
            " OR (entity='household_place' AND EXISTS (SELECT 1 FROM household_place hp"
            " WHERE hp.household_code = change_log.entity_key"
            " AND hp.division_code >= ?5 AND hp.division_code < ?5 || char(127))))";
    sql += " ORDER BY seq LIMIT ?4";
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK)
        return std::unexpected(LastError("ChangeLog"));
    Stmt st(raw);
    if (f.entity_key) BindText(raw, 1, *f.entity_key);
    if (f.actor) BindText(raw, 2, *f.actor);
    if (f.since) BindText(raw, 3, *f.since);
    sqlite3_bind_int64(raw, 4, f.limit);
    if (scoped) BindText(raw, 5, *f.division_prefix);
    if (f.entity) BindText(raw, 6, *f.entity);
    if (f.after_seq) sqlite3_bind_int64(raw, 7, *f.after_seq);
    std::vector<ChangeLogEntry> out;
    int rc;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
        ChangeLogEntry e;
        e.seq = sqlite3_column_int64(raw, 0);
        e.at = Text(raw, 1);
        e.actor = Text(raw, 2);
        e.entity = Text(raw, 3);
        e.entity_key = Text(raw, 4);
        e.action = Text(raw, 5);
        e.before_json = Text(raw, 6);
        e.after_json = Text(raw, 7);
        if (sqlite3_column_type(raw, 8) != SQLITE_NULL) e.import_id = sqlite3_column_int64(raw, 8);
        out.push_back(std::move(e));
    }
    if (rc != SQLITE_DONE) return std::unexpected(LastError("ChangeLog"));
    return out;
}

Result<int64_t> SqliteStore::LastChangeSeq() { return QueryInt(kLastChangeSeq); }

Result<void> SqliteStore::RecordEvent(const std::string& entity, const std::string& entity_key,
                         const std::string& action, const std::string& detail_json,
                         const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return r;
    if (std::ranges::find(kEventActions, action) == std::end(kEventActions))
        return Fail("store.invalid", "action", "不是可记录的事件: " + action,
                    "not an event that can be recorded: " + action);
    auto county = SettingCounty();
    if (!county) return std::unexpected(county.error());
    return LogChange(change, *county, entity, entity_key, action, "", detail_json);
}

Result<ChainHead> SqliteStore::Head() {
    auto st = Prepare(kChainTail);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    ChainHead head;
    ChainHash hash{};
    const int rc = sqlite3_step(*st);
    if (rc == SQLITE_ROW) {
        head.seq = sqlite3_column_int64(*st, 0);
        const void* blob = sqlite3_column_blob(*st, 1);
        if (blob && sqlite3_column_bytes(*st, 1) == static_cast<int>(hash.size()))
            std::memcpy(hash.data(), blob, hash.size());
    } else if (rc != SQLITE_DONE) {
        return std::unexpected(LastError("Head"));
    }
    head.hash = ToHex(hash);
    return head;
}

Result<int64_t> SqliteStore::BeginImport(const std::string& file_name, const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return std::unexpected(r.error());
    auto st = Prepare("INSERT INTO import(started_at, actor, file_name) VALUES (?1, ?2, ?3)");
    if (!st) return std::unexpected(st.error());
    BindText(*st, 1, change.at);
    BindText(*st, 2, change.actor);
    BindText(*st, 3, file_name);
    if (auto r = StepDone(*st, "BeginImport"); !r) return std::unexpected(r.error());
    return sqlite3_last_insert_rowid(db_);
}
Result<void> SqliteStore::FinishImport(int64_t import_id, const std::string& summary_json) {
    if (auto r = RequireTx(); !r) return r;
    auto st = Prepare("UPDATE import SET summary_json=?2 WHERE id=?1");
    if (!st) return std::unexpected(st.error());
    sqlite3_bind_int64(*st, 1, import_id);
    BindText(*st, 2, summary_json);
    return StepDone(*st, "FinishImport");
}
Result<std::optional<ImportRecord>> SqliteStore::FindImport(int64_t import_id) {
    auto st = Prepare(
        "SELECT id, started_at, actor, file_name, coalesce(summary_json,'') FROM import WHERE id=?1");
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    sqlite3_bind_int64(*st, 1, import_id);
    int rc = sqlite3_step(*st);
    if (rc == SQLITE_DONE) return std::optional<ImportRecord>();
    if (rc != SQLITE_ROW) return std::unexpected(LastError("FindImport"));
    ImportRecord r{sqlite3_column_int64(*st, 0), Text(*st, 1), Text(*st, 2), Text(*st, 3), Text(*st, 4)};
    return std::optional<ImportRecord>(std::move(r));
}

}  // namespace jz::sqlite_internal
