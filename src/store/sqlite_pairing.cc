// Pairing (core/pairing.h): cadres, households' pairings with their history, village work teams and
// their on-post days, visits with their photos and the kept per-household visit summary, and
// households' recorded places. Rows are columns only; a row's change-log state is written from them
// (pairing_json.cc, OnPostJson, HouseholdPlaceJson), and the audit's replay does the same. Every
// write is in the change log (entities "cadre", "pairing", "team_member", "on_post", "visit",
// "household_place") in the caller's transaction. visit_summary is derived (not logged).
#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/json_writer.h"
#include "store/sqlite_internal.h"

namespace jz::sqlite_internal {
namespace {

// --- SQL -----------------------------------------------------------------------------------------
constexpr const char* kInsertCadre =
    "INSERT INTO cadre (version, name, id_number, unit, rank, phone, township_code, division_code,"
    " active_from, active_to, updated_at) VALUES (1,?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)";
constexpr const char* kUpdateCadre =
    "UPDATE cadre SET version=version+1, name=?1, id_number=?2, unit=?3, rank=?4, phone=?5, township_code=?6,"
    " division_code=?7, active_from=?8, active_to=?9, updated_at=?10 WHERE id=?11 AND version=?12";
constexpr const char* kFindCadre = "SELECT " JZ_CADRE_COLUMNS " FROM cadre WHERE id=?1";
constexpr const char* kFindCadreByIdNumber = "SELECT " JZ_CADRE_COLUMNS " FROM cadre WHERE id_number=?1 AND id_number<>''";
constexpr const char* kCadreExists = "SELECT 1 FROM cadre WHERE id=?1";
constexpr const char* kCadreName = "SELECT name FROM cadre WHERE id=?1";
constexpr const char* kCadreInTownship =
    "SELECT id FROM cadre WHERE name=?1 AND township_code=?2 ORDER BY id LIMIT 1";
constexpr const char* kCadresNamed = "SELECT id FROM cadre WHERE name=?1 ORDER BY id LIMIT 2";

constexpr const char* kInsertPairing =
    "INSERT INTO pairing (household_code, division_code, cadre_id, from_date, to_date, reason, end_reason,"
    " updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)";
constexpr const char* kFindPairing = "SELECT " JZ_PAIRING_COLUMNS " FROM pairing WHERE id=?1";
constexpr const char* kCurrentPairing =
    "SELECT " JZ_PAIRING_COLUMNS " FROM pairing WHERE household_code=?1 AND to_date IS NULL";
constexpr const char* kEndPairing =
    "UPDATE pairing SET to_date=?2, end_reason=?3, updated_at=?4 WHERE id=?1 AND to_date IS NULL";

constexpr const char* kInsertMember =
    "INSERT INTO team_member (village_code, cadre_id, role, from_date, to_date, updated_at)"
    " VALUES (?1,?2,?3,?4,?5,?6)";
constexpr const char* kUpdateMember =
    "UPDATE team_member SET village_code=?1, cadre_id=?2, role=?3, from_date=?4, to_date=?5, updated_at=?6"
    " WHERE id=?7";
constexpr const char* kFindMember = "SELECT " JZ_TEAM_MEMBER_COLUMNS " FROM team_member WHERE id=?1";
constexpr const char* kFirstSecretaries =
    "SELECT " JZ_TEAM_MEMBER_COLUMNS " FROM team_member WHERE village_code=?1 AND role=?2 AND id<>?3";
constexpr const char* kStoredOnPost =
    "SELECT " JZ_ON_POST_COLUMNS " FROM on_post WHERE member_id=?1 AND year=?2 AND month=?3";
constexpr const char* kPutOnPost =
    "INSERT INTO on_post (member_id, year, month, days, updated_at) VALUES (?1,?2,?3,?4,?5)"
    " ON CONFLICT(member_id, year, month) DO UPDATE SET days=?4, updated_at=?5";

constexpr const char* kInsertVisit =
    "INSERT INTO visit (client_id, household_code, division_code, cadre_id, visit_date, discussed, done,"
    " lat_e6, lon_e6, accuracy_m, photo, photo_bytes, distance_m, far, recorded_by, recorded_at)"
    " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)";
constexpr const char* kInsertPhoto = "INSERT INTO visit_photo (visit_id, bytes) VALUES (?1, ?2)";
// A visit dated before the kept last visit leaves it as it is; the count always grows.
constexpr const char* kBumpSummary =
    "INSERT INTO visit_summary (household_code, division_code, last_visit, visits) VALUES (?1,?2,?3,1)"
    " ON CONFLICT(household_code) DO UPDATE SET visits=visits+1, last_visit=max(last_visit, ?3),"
    " division_code=?2";
constexpr const char* kFindVisit = "SELECT " JZ_VISIT_COLUMNS " FROM visit WHERE id=?1";
constexpr const char* kFindVisitByClient = "SELECT " JZ_VISIT_COLUMNS " FROM visit WHERE client_id=?1";
constexpr const char* kVisitPhoto = "SELECT bytes FROM visit_photo WHERE visit_id=?1";

constexpr const char* kStoredPlace = "SELECT " JZ_PLACE_COLUMNS " FROM household_place WHERE household_code=?1";
constexpr const char* kPutPlace =
    "INSERT INTO household_place (household_code, division_code, lat_e6, lon_e6, accuracy_m, recorded_on,"
    " source, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8) ON CONFLICT(household_code) DO UPDATE SET"
    " division_code=?2, lat_e6=?3, lon_e6=?4, accuracy_m=?5, recorded_on=?6, source=?7, updated_at=?8";

constexpr const char* kAllHouseholdNames =
    "SELECT household_code, division_code, status, pairing_cadre FROM household ORDER BY household_code";
constexpr const char* kHouseholdName =
    "SELECT household_code, division_code, status, pairing_cadre FROM household WHERE household_code=?1";

// --- Helpers -------------------------------------------------------------------------------------
void BindDate(sqlite3_stmt* st, int i, const std::optional<Date>& d) {
    if (d)
        sqlite3_bind_int64(st, i, DateInt(*d));
    else
        sqlite3_bind_null(st, i);
}
std::string PrefixEnd(const std::string& prefix) { return prefix + "\x7f"; }

void BindNamedText(sqlite3_stmt* st, const char* name, const std::string& v) {
    if (const int i = sqlite3_bind_parameter_index(st, name); i > 0)
        sqlite3_bind_text(st, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}
void BindNamedInt(sqlite3_stmt* st, const char* name, int64_t v) {
    if (const int i = sqlite3_bind_parameter_index(st, name); i > 0) sqlite3_bind_int64(st, i, v);
}

// A private statement on `db` (lists and scans built from a filter; a scan's visitor may call back
// into the store, so scans never hold a cached statement).
Result<Stmt> PrepareOn(sqlite3* db, const std::string& sql, const char* op) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
        const std::string msg = std::string(op) + ": " + sqlite3_errmsg(db);
        sqlite3_finalize(raw);
        return std::unexpected(Error{.code = "store.sqlite", .field = "db", .message_zh = msg, .message_en = msg});
    }
    return Stmt(raw);
}

int PhotoCode(PhotoType t) { return t == PhotoType::kJpeg ? 1 : t == PhotoType::kPng ? 2 : 0; }
PhotoType PhotoOf(int code) { return code == 1 ? PhotoType::kJpeg : code == 2 ? PhotoType::kPng : PhotoType::kNone; }

// Two periods [from, to] (to nullopt: open) share a day.
bool Overlap(const Date& a_from, const std::optional<Date>& a_to, const Date& b_from, const std::optional<Date>& b_to) {
    return (!b_to || a_from <= *b_to) && (!a_to || b_from <= *a_to);
}

// The day a current pairing ends when another state begins on `on`: the day before, but never
// before the pairing's own first day.
Date EndBefore(const Pairing& p, const Date& on) {
    const Date before = Date::FromDaysSinceEpoch(on.DaysSinceEpoch() - 1);
    return std::max(p.from, before);
}

std::string Trimmed(std::string_view s) {
    // ASCII white space and the full-width space (U+3000) at either end.
    constexpr std::string_view kIdeographic = "\xe3\x80\x80";
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    for (bool changed = true; changed;) {
        changed = false;
        while (!s.empty() && space(s.front())) s.remove_prefix(1), changed = true;
        while (!s.empty() && space(s.back())) s.remove_suffix(1), changed = true;
        while (s.starts_with(kIdeographic)) s.remove_prefix(3), changed = true;
        while (s.ends_with(kIdeographic)) s.remove_suffix(3), changed = true;
    }
    return std::string(s);
}

}  // namespace

// --- Rows ----------------------------------------------------------------------------------------

CadreRecord ReadCadre(sqlite3_stmt* st) {
    CadreRecord r;
    Cadre& c = r.cadre;
    c.id = sqlite3_column_int64(st, 0);
    r.version = sqlite3_column_int64(st, 1);
    c.name = Text(st, 2);
    c.id_number = Text(st, 3);
    c.unit = Text(st, 4);
    c.rank = sqlite3_column_int(st, 5);
    c.phone = Text(st, 6);
    c.township_code = Text(st, 7);
    c.division_code = Text(st, 8);
    c.active_from = OptDate(st, 9);
    c.active_to = OptDate(st, 10);
    return r;
}

namespace {
// Into `p`, reusing its strings' buffers (a scan reads a million rows into one Pairing).
void ReadPairingInto(sqlite3_stmt* st, Pairing& p) {
    p.id = sqlite3_column_int64(st, 0);
    TextInto(st, 1, p.household_code);
    TextInto(st, 2, p.division_code);
    p.cadre_id = sqlite3_column_int64(st, 3);
    p.from = IntDate(sqlite3_column_int64(st, 4));
    p.to = OptDate(st, 5);
    TextInto(st, 6, p.reason);
    TextInto(st, 7, p.end_reason);
}
}  // namespace

Pairing ReadPairing(sqlite3_stmt* st) {
    Pairing p;
    ReadPairingInto(st, p);
    return p;
}

TeamMember ReadTeamMember(sqlite3_stmt* st) {
    TeamMember m;
    m.id = sqlite3_column_int64(st, 0);
    m.village_code = Text(st, 1);
    m.cadre_id = sqlite3_column_int64(st, 2);
    m.role = sqlite3_column_int(st, 3);
    m.from = IntDate(sqlite3_column_int64(st, 4));
    m.to = OptDate(st, 5);
    return m;
}

Visit ReadVisit(sqlite3_stmt* st) {
    Visit v;
    v.id = sqlite3_column_int64(st, 0);
    v.client_id = Text(st, 1);
    v.household_code = Text(st, 2);
    v.division_code = Text(st, 3);
    v.cadre_id = sqlite3_column_int64(st, 4);
    v.date = IntDate(sqlite3_column_int64(st, 5));
    v.discussed = Text(st, 6);
    v.done = Text(st, 7);
    if (sqlite3_column_type(st, 8) != SQLITE_NULL)
        v.place = GeoPoint{sqlite3_column_int(st, 8), sqlite3_column_int(st, 9), sqlite3_column_int(st, 10)};
    v.photo = PhotoOf(sqlite3_column_int(st, 11));
    v.photo_bytes = sqlite3_column_int64(st, 12);
    v.distance_m = ColOpt<int64_t>(st, 13);
    v.far = sqlite3_column_int(st, 14) != 0;
    v.recorded_by = Text(st, 15);
    v.recorded_at = Text(st, 16);
    return v;
}

OnPostDays ReadOnPost(sqlite3_stmt* st) {
    return OnPostDays{sqlite3_column_int64(st, 0), sqlite3_column_int(st, 1), sqlite3_column_int(st, 2),
                      sqlite3_column_int(st, 3)};
}

HouseholdPlace ReadHouseholdPlace(sqlite3_stmt* st) {
    HouseholdPlace p;
    p.household_code = Text(st, 0);
    p.division_code = Text(st, 1);
    p.place = GeoPoint{sqlite3_column_int(st, 2), sqlite3_column_int(st, 3), sqlite3_column_int(st, 4)};
    p.recorded_on = IntDate(sqlite3_column_int64(st, 5));
    p.source = Text(st, 6);
    return p;
}

std::string OnPostKey(int64_t member_id, int year, int month) {
    char ym[16];
    std::snprintf(ym, sizeof ym, "%04d-%02d", year, month);
    return std::to_string(member_id) + "/" + ym;
}

std::string OnPostJson(const OnPostDays& d) {
    std::string out;
    json_writer::JsonWriter w(out);
    w.Open('{');
    w.Key("member_id"), w.Int(d.member_id);
    w.Key("year"), w.Int(d.year);
    w.Key("month"), w.Int(d.month);
    w.Key("days"), w.Int(d.days);
    w.Close('}');
    return out;
}

std::string HouseholdPlaceJson(const HouseholdPlace& p) {
    std::string out;
    json_writer::JsonWriter w(out);
    w.Open('{');
    w.Key("household_code"), w.String(p.household_code);
    w.Key("division_code"), w.String(p.division_code);
    w.Key("place");
    w.Open('{');
    w.Key("lat_e6"), w.Int(p.place.lat_e6);
    w.Key("lon_e6"), w.Int(p.place.lon_e6);
    w.Key("accuracy_m"), w.Int(p.place.accuracy_m);
    w.Close('}');
    w.Key("recorded_on"), w.String(p.recorded_on.ToString());
    w.Key("source"), w.String(p.source);
    w.Close('}');
    return out;
}

// --- Shared steps --------------------------------------------------------------------------------

Result<std::string> SqliteStore::CountyFor(const std::string& division_code) {
    if (division_code.size() >= 6) return division_code.substr(0, 6);
    return SettingCounty();
}

Result<bool> SqliteStore::CadreExists(int64_t id) {
    auto st = Prepare(kCadreExists);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    sqlite3_bind_int64(*st, 1, id);
    const int rc = sqlite3_step(*st);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return std::unexpected(LastError("CadreExists"));
}

namespace {
Error NoCadre(int64_t id) {
    return Error{.code = "store.foreign_key",
                 .field = "cadre_id",
                 .message_zh = "干部 " + std::to_string(id) + " 不存在",
                 .message_en = "no cadre " + std::to_string(id)};
}
}  // namespace

// --- Cadres --------------------------------------------------------------------------------------

namespace {
void BindCadre(sqlite3_stmt* st, const Cadre& c, const std::string& at) {
    BindText(st, 1, c.name);
    BindText(st, 2, c.id_number);
    BindText(st, 3, c.unit);
    sqlite3_bind_int(st, 4, c.rank);
    BindText(st, 5, c.phone);
    BindText(st, 6, c.township_code);
    BindText(st, 7, c.division_code);
    BindDate(st, 8, c.active_from);
    BindDate(st, 9, c.active_to);
    BindText(st, 10, at);
}
Error DuplicateIdNumber(const std::string& id_number, int64_t other) {
    return Error{.code = "store.duplicate",
                 .field = "id_number",
                 .message_zh = "身份证号 " + id_number + " 已属于干部 " + std::to_string(other),
                 .message_en = "ID number " + id_number + " already belongs to cadre " + std::to_string(other)};
}
}  // namespace

Result<int64_t> SqliteStore::InsertCadre(const Cadre& cadre, const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return std::unexpected(r.error());
    if (!cadre.id_number.empty()) {
        auto taken = FindCadreByIdNumber(cadre.id_number);
        if (!taken) return std::unexpected(taken.error());
        if (*taken) return std::unexpected(DuplicateIdNumber(cadre.id_number, (*taken)->cadre.id));
    }
    auto county = CountyFor(cadre.division_code);
    if (!county) return std::unexpected(county.error());
    auto st = Prepare(kInsertCadre);
    if (!st) return std::unexpected(st.error());
    BindCadre(*st, cadre, change.at);
    if (auto r = StepDone(*st, "InsertCadre"); !r) return std::unexpected(r.error());
    Cadre stored = cadre;
    stored.id = sqlite3_last_insert_rowid(db_);
    if (auto r = LogChange(change, *county, "cadre", std::to_string(stored.id), "insert", "", CadreToJson(stored)); !r)
        return std::unexpected(r.error());
    return stored.id;
}

Result<void> SqliteStore::UpdateCadre(const CadreRecord& before, const Cadre& after, const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return r;
    const int64_t id = before.cadre.id;
    auto stored = FindCadre(id);
    if (!stored) return std::unexpected(stored.error());
    if (!*stored)
        return Fail("store.not_found", "id", "干部 " + std::to_string(id) + " 不存在", "no cadre " + std::to_string(id));
    if ((*stored)->version != before.version)
        return Fail("store.conflict", "version", "干部信息已被他人修改", "the cadre was changed by someone else");
    if (!after.id_number.empty() && after.id_number != (*stored)->cadre.id_number) {
        auto taken = FindCadreByIdNumber(after.id_number);
        if (!taken) return std::unexpected(taken.error());
        if (*taken && (*taken)->cadre.id != id)
            return std::unexpected(DuplicateIdNumber(after.id_number, (*taken)->cadre.id));
    }
    Cadre next = after;
    next.id = id;
    auto county = CountyFor(next.division_code);
    if (!county) return std::unexpected(county.error());
    auto st = Prepare(kUpdateCadre);
    if (!st) return std::unexpected(st.error());
    BindCadre(*st, next, change.at);
    sqlite3_bind_int64(*st, 11, id);
    sqlite3_bind_int64(*st, 12, before.version);
    if (auto r = StepDone(*st, "UpdateCadre"); !r) return r;
    if (sqlite3_changes(db_) == 0)
        return Fail("store.conflict", "version", "干部信息已被他人修改", "the cadre was changed by someone else");
    return LogChange(change, *county, "cadre", std::to_string(id), "update", CadreToJson((*stored)->cadre),
                     CadreToJson(next));
}

Result<std::optional<CadreRecord>> SqliteStore::FindCadre(int64_t id) {
    auto st = Prepare(kFindCadre);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    sqlite3_bind_int64(*st, 1, id);
    const int rc = sqlite3_step(*st);
    if (rc == SQLITE_ROW) return std::optional<CadreRecord>(ReadCadre(*st));
    if (rc == SQLITE_DONE) return std::optional<CadreRecord>();
    return std::unexpected(LastError("FindCadre"));
}

Result<std::optional<CadreRecord>> SqliteStore::FindCadreByIdNumber(const std::string& id_number) {
    if (id_number.empty()) return std::optional<CadreRecord>();
    auto st = Prepare(kFindCadreByIdNumber);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    BindText(*st, 1, id_number);
    const int rc = sqlite3_step(*st);
    if (rc == SQLITE_ROW) return std::optional<CadreRecord>(ReadCadre(*st));
    if (rc == SQLITE_DONE) return std::optional<CadreRecord>();
    return std::unexpected(LastError("FindCadreByIdNumber"));
}

Result<std::vector<CadreRecord>> SqliteStore::ListCadres(const CadreFilter& f) {
    std::string sql = "SELECT " JZ_CADRE_COLUMNS " FROM cadre WHERE id > :after";
    if (!f.division_prefix.empty()) sql += " AND division_code >= :div_lo AND division_code < :div_hi";
    if (f.rank) sql += " AND rank = :rank";
    if (f.active_on)
        sql += " AND (active_from IS NULL OR active_from <= :on) AND (active_to IS NULL OR active_to >= :on)";
    if (!f.name.empty()) sql += " AND name = :name";
    sql += " ORDER BY id LIMIT :limit";
    auto st = PrepareOn(db_, sql, "ListCadres");
    if (!st) return std::unexpected(st.error());
    sqlite3_stmt* raw = st->get();
    BindNamedInt(raw, ":after", f.after_id);
    BindNamedText(raw, ":div_lo", f.division_prefix);
    BindNamedText(raw, ":div_hi", PrefixEnd(f.division_prefix));
    if (f.rank) BindNamedInt(raw, ":rank", *f.rank);
    if (f.active_on) BindNamedInt(raw, ":on", DateInt(*f.active_on));
    BindNamedText(raw, ":name", f.name);
    BindNamedInt(raw, ":limit", f.limit);
    std::vector<CadreRecord> out;
    int rc;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) out.push_back(ReadCadre(raw));
    if (rc != SQLITE_DONE) return std::unexpected(LastError("ListCadres"));
    return out;
}

Result<std::vector<std::pair<int64_t, int64_t>>> SqliteStore::CadreLoads(const std::string& division_prefix) {
    std::string sql = "SELECT cadre_id, count(*) FROM pairing WHERE to_date IS NULL";
    if (!division_prefix.empty()) sql += " AND division_code >= ?1 AND division_code < ?2";
    sql += " GROUP BY cadre_id ORDER BY cadre_id";
    auto st = PrepareOn(db_, sql, "CadreLoads");
    if (!st) return std::unexpected(st.error());
    sqlite3_stmt* raw = st->get();
    const std::string hi = PrefixEnd(division_prefix);
    if (!division_prefix.empty()) {
        BindText(raw, 1, division_prefix);
        BindText(raw, 2, hi);
    }
    std::vector<std::pair<int64_t, int64_t>> out;
    int rc;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW)
        out.emplace_back(sqlite3_column_int64(raw, 0), sqlite3_column_int64(raw, 1));
    if (rc != SQLITE_DONE) return std::unexpected(LastError("CadreLoads"));
    return out;
}

// --- Pairings ------------------------------------------------------------------------------------

Result<int64_t> SqliteStore::InsertPairing(const Pairing& pairing, const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return std::unexpected(r.error());
    if (pairing.to && *pairing.to < pairing.from)
        return Fail("pairing.invalid", "to", "结对结束日期早于开始日期", "the pairing ends before it begins");
    auto exists = CadreExists(pairing.cadre_id);
    if (!exists) return std::unexpected(exists.error());
    if (!*exists) return std::unexpected(NoCadre(pairing.cadre_id));
    if (!pairing.to) {
        auto current = CurrentPairing(pairing.household_code);
        if (!current) return std::unexpected(current.error());
        if (*current)
            return Fail("pairing.current_exists", "household_code",
                        "户 " + pairing.household_code + " 已有当前帮扶责任人(结对 " +
                            std::to_string((*current)->id) + "),请先结束",
                        "household " + pairing.household_code + " already has a current pairing (" +
                            std::to_string((*current)->id) + "); end it first");
    }
    auto county = CountyFor(pairing.division_code);
    if (!county) return std::unexpected(county.error());
    auto st = Prepare(kInsertPairing);
    if (!st) return std::unexpected(st.error());
    BindText(*st, 1, pairing.household_code);
    BindText(*st, 2, pairing.division_code);
    sqlite3_bind_int64(*st, 3, pairing.cadre_id);
    sqlite3_bind_int64(*st, 4, DateInt(pairing.from));
    BindDate(*st, 5, pairing.to);
    BindText(*st, 6, pairing.reason);
    BindText(*st, 7, pairing.end_reason);
    BindText(*st, 8, change.at);
    if (auto r = StepDone(*st, "InsertPairing"); !r) return std::unexpected(r.error());
    Pairing stored = pairing;
    stored.id = sqlite3_last_insert_rowid(db_);
    if (auto r = LogChange(change, *county, "pairing", std::to_string(stored.id), "insert", "", PairingToJson(stored));
        !r)
        return std::unexpected(r.error());
    return stored.id;
}

Result<void> SqliteStore::EndPairing(int64_t pairing_id, const Date& to, const std::string& end_reason,
                                     const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return r;
    Pairing before;
    {
        auto st = Prepare(kFindPairing);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        sqlite3_bind_int64(*st, 1, pairing_id);
        const int rc = sqlite3_step(*st);
        if (rc == SQLITE_DONE)
            return Fail("pairing.not_found", "id", "结对 " + std::to_string(pairing_id) + " 不存在",
                        "no pairing " + std::to_string(pairing_id));
        if (rc != SQLITE_ROW) return std::unexpected(LastError("EndPairing"));
        before = ReadPairing(*st);
    }
    if (before.to)
        return Fail("pairing.ended", "id", "结对 " + std::to_string(pairing_id) + " 已于 " + before.to->ToString() + " 结束",
                    "pairing " + std::to_string(pairing_id) + " already ended on " + before.to->ToString());
    if (to < before.from)
        return Fail("pairing.invalid", "to", "结束日期 " + to.ToString() + " 早于结对开始日期 " + before.from.ToString(),
                    "the end date " + to.ToString() + " is before the pairing began (" + before.from.ToString() + ")");
    Pairing after = before;
    after.to = to;
    after.end_reason = end_reason;
    auto county = CountyFor(before.division_code);
    if (!county) return std::unexpected(county.error());
    auto st = Prepare(kEndPairing);
    if (!st) return std::unexpected(st.error());
    sqlite3_bind_int64(*st, 1, pairing_id);
    sqlite3_bind_int64(*st, 2, DateInt(to));
    BindText(*st, 3, end_reason);
    BindText(*st, 4, change.at);
    if (auto r = StepDone(*st, "EndPairing"); !r) return r;
    return LogChange(change, *county, "pairing", std::to_string(pairing_id), "update", PairingToJson(before),
                     PairingToJson(after));
}

Result<std::optional<Pairing>> SqliteStore::CurrentPairing(const std::string& household_code) {
    auto st = Prepare(kCurrentPairing);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    BindText(*st, 1, household_code);
    const int rc = sqlite3_step(*st);
    if (rc == SQLITE_ROW) return std::optional<Pairing>(ReadPairing(*st));
    if (rc == SQLITE_DONE) return std::optional<Pairing>();
    return std::unexpected(LastError("CurrentPairing"));
}

Result<std::vector<Pairing>> SqliteStore::ListPairings(const PairingFilter& f) {
    std::string sql = "SELECT " JZ_PAIRING_COLUMNS " FROM pairing WHERE 1=1";
    if (f.household_code) sql += " AND household_code = :household";
    if (f.cadre_id) sql += " AND cadre_id = :cadre";
    if (!f.division_prefix.empty()) sql += " AND division_code >= :div_lo AND division_code < :div_hi";
    if (f.current_only) sql += " AND to_date IS NULL";
    if (!f.after_household.empty()) sql += " AND household_code > :after";
    sql += " ORDER BY household_code, from_date, id LIMIT :limit";
    auto st = PrepareOn(db_, sql, "ListPairings");
    if (!st) return std::unexpected(st.error());
    sqlite3_stmt* raw = st->get();
    if (f.household_code) BindNamedText(raw, ":household", *f.household_code);
    if (f.cadre_id) BindNamedInt(raw, ":cadre", *f.cadre_id);
    BindNamedText(raw, ":div_lo", f.division_prefix);
    BindNamedText(raw, ":div_hi", PrefixEnd(f.division_prefix));
    BindNamedText(raw, ":after", f.after_household);
    BindNamedInt(raw, ":limit", f.limit);
    std::vector<Pairing> out;
    int rc;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) out.push_back(ReadPairing(raw));
    if (rc != SQLITE_DONE) return std::unexpected(LastError("ListPairings"));
    return out;
}

Result<void> SqliteStore::ScanCurrentPairings(const std::string& division_prefix,
                                              const std::function<bool(const Pairing&)>& visit) {
    // A county (or everything): household order straight from the household index, the division a
    // filter on the row ('+': not the division index, which would need a sort of every row); a
    // township or a village: its rows from the division index, then sorted (few).
    std::string sql = "SELECT " JZ_PAIRING_COLUMNS " FROM pairing WHERE to_date IS NULL";
    if (!division_prefix.empty())
        sql += division_prefix.size() <= 6 ? " AND +division_code >= ?1 AND +division_code < ?2"
                                           : " AND division_code >= ?1 AND division_code < ?2";
    sql += " ORDER BY household_code";
    auto st = PrepareOn(db_, sql, "ScanCurrentPairings");
    if (!st) return std::unexpected(st.error());
    sqlite3_stmt* raw = st->get();
    const std::string hi = PrefixEnd(division_prefix);
    if (!division_prefix.empty()) {
        BindText(raw, 1, division_prefix);
        BindText(raw, 2, hi);
    }
    Pairing p;
    int rc;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
        ReadPairingInto(raw, p);
        if (!visit(p)) return {};
    }
    if (rc != SQLITE_DONE) return std::unexpected(LastError("ScanCurrentPairings"));
    return {};
}

// --- Adopting the free-text names ----------------------------------------------------------------

Result<AdoptionReport> SqliteStore::AdoptPairingNames(const std::vector<std::string>& household_codes, const Date& on,
                                                      const std::string& reason, bool empty_ends,
                                                      const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return std::unexpected(r.error());
    struct Row {
        std::string code, division, name;
        int status = 0;
    };
    std::vector<Row> rows;
    auto read_row = [&](sqlite3_stmt* st) {
        rows.push_back(Row{Text(st, 0), Text(st, 1), Trimmed(Text(st, 3)), sqlite3_column_int(st, 2)});
    };
    if (household_codes.empty()) {
        auto st = PrepareOn(db_, kAllHouseholdNames, "AdoptPairingNames");
        if (!st) return std::unexpected(st.error());
        int rc;
        while ((rc = sqlite3_step(st->get())) == SQLITE_ROW) read_row(st->get());
        if (rc != SQLITE_DONE) return std::unexpected(LastError("AdoptPairingNames"));
    } else {
        std::vector<std::string> codes = household_codes;
        std::ranges::sort(codes);
        codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
        auto st = PrepareOn(db_, kHouseholdName, "AdoptPairingNames");
        if (!st) return std::unexpected(st.error());
        for (const std::string& code : codes) {
            sqlite3_reset(st->get());
            BindText(st->get(), 1, code);
            const int rc = sqlite3_step(st->get());
            if (rc == SQLITE_ROW)
                read_row(st->get());
            else if (rc != SQLITE_DONE)
                return std::unexpected(LastError("AdoptPairingNames"));
        }
    }

    AdoptionReport report;
    std::unordered_map<int64_t, std::string> cadre_names;                // id → name
    std::map<std::pair<std::string, std::string>, int64_t> found;        // (name, township) → id
    auto name_of = [&](int64_t id) -> Result<std::string> {
        if (auto it = cadre_names.find(id); it != cadre_names.end()) return it->second;
        auto st = Prepare(kCadreName);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        sqlite3_bind_int64(*st, 1, id);
        const int rc = sqlite3_step(*st);
        std::string name;
        if (rc == SQLITE_ROW)
            name = Text(*st, 0);
        else if (rc != SQLITE_DONE)
            return std::unexpected(LastError("AdoptPairingNames"));
        cadre_names.emplace(id, name);
        return name;
    };
    auto first_id = [&](const char* sql, const std::string& a, const std::string* b, int& count) -> Result<int64_t> {
        auto st = Prepare(sql);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        BindText(*st, 1, a);
        if (b) BindText(*st, 2, *b);
        int64_t id = 0;
        count = 0;
        int rc;
        while ((rc = sqlite3_step(*st)) == SQLITE_ROW) {
            if (count++ == 0) id = sqlite3_column_int64(*st, 0);
        }
        if (rc != SQLITE_DONE) return std::unexpected(LastError("AdoptPairingNames"));
        return id;
    };
    // The cadre a name means in a township: that township's, else the only one county-wide, else new.
    auto cadre_for = [&](const std::string& name, const std::string& township) -> Result<int64_t> {
        const auto key = std::make_pair(name, township);
        if (auto it = found.find(key); it != found.end()) return it->second;
        int count = 0;
        auto id = first_id(kCadreInTownship, name, &township, count);
        if (!id) return id;
        if (count == 0) {
            id = first_id(kCadresNamed, name, nullptr, count);
            if (!id) return id;
            if (count != 1) {
                Cadre c;
                c.name = name;
                c.rank = kRankUnknown;
                c.township_code = township;
                c.division_code = township;
                id = InsertCadre(c, change);
                if (!id) return id;
                ++report.cadres_created;
                report.names_created.push_back(name + " (" + township + ")");
            }
        }
        cadre_names.emplace(*id, name);
        found.emplace(key, *id);
        return *id;
    };

    for (const Row& row : rows) {
        auto current = CurrentPairing(row.code);
        if (!current) return std::unexpected(current.error());
        if (row.name.empty()) {
            Household h;
            h.status = row.status;
            if (!empty_ends || !*current || h.exited()) continue;
            if (auto r = EndPairing((*current)->id, EndBefore(**current, on), reason, change); !r)
                return std::unexpected(r.error());
            ++report.pairings_ended;
            continue;
        }
        if (*current) {
            auto name = name_of((*current)->cadre_id);
            if (!name) return std::unexpected(name.error());
            if (*name == row.name) continue;
        }
        auto cadre = cadre_for(row.name, row.division.substr(0, std::min<size_t>(9, row.division.size())));
        if (!cadre) return std::unexpected(cadre.error());
        if (*current) {
            if (auto r = EndPairing((*current)->id, EndBefore(**current, on), reason, change); !r)
                return std::unexpected(r.error());
            ++report.pairings_ended;
        }
        Pairing p;
        p.household_code = row.code;
        p.division_code = row.division;
        p.cadre_id = *cadre;
        p.from = on;
        p.reason = reason;
        if (auto r = InsertPairing(p, change); !r) return std::unexpected(r.error());
        ++report.pairings_begun;
    }
    std::ranges::sort(report.names_created);
    return report;
}

// Migration 006's C++ step, inside the migration's transaction: the names of every household.
Result<void> SqliteStore::AdoptNamesOnUpgrade() {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    const ChangeContext change = MigrationChange("system:migration-006", now);
    // The day of the upgrade as the county counts days (Beijing).
    const Date on = Date::BeijingDayOf(now);
    in_tx_ = true;
    auto loaded = LoadChainTail();
    Result<AdoptionReport> report = loaded ? AdoptPairingNames({}, on, "migrated from the free-text pairing cadre / 由原帮扶责任人文本迁移",
                                                               false, change)
                                           : Result<AdoptionReport>(std::unexpected(loaded.error()));
    in_tx_ = false;
    if (!report) return std::unexpected(report.error());
    return {};
}

// --- Work teams ----------------------------------------------------------------------------------

Result<void> SqliteStore::CheckFirstSecretary(const TeamMember& m) {
    if (m.role != kRoleFirstSecretary) return {};
    auto st = Prepare(kFirstSecretaries);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    BindText(*st, 1, m.village_code);
    sqlite3_bind_int(*st, 2, kRoleFirstSecretary);
    sqlite3_bind_int64(*st, 3, m.id);
    int rc;
    while ((rc = sqlite3_step(*st)) == SQLITE_ROW) {
        const TeamMember other = ReadTeamMember(*st);
        if (Overlap(m.from, m.to, other.from, other.to))
            return Fail("team.first_secretary_exists", "role",
                        "村 " + m.village_code + " 在该期间已有第一书记(队员 " + std::to_string(other.id) + ",自 " +
                            other.from.ToString() + ")",
                        "village " + m.village_code + " already has a first secretary in that period (member " +
                            std::to_string(other.id) + ", from " + other.from.ToString() + ")");
    }
    if (rc != SQLITE_DONE) return std::unexpected(LastError("CheckFirstSecretary"));
    return {};
}

Result<int64_t> SqliteStore::InsertTeamMember(const TeamMember& member, const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return std::unexpected(r.error());
    auto exists = CadreExists(member.cadre_id);
    if (!exists) return std::unexpected(exists.error());
    if (!*exists) return std::unexpected(NoCadre(member.cadre_id));
    TeamMember stored = member;
    stored.id = 0;
    if (auto r = CheckFirstSecretary(stored); !r) return std::unexpected(r.error());
    auto county = CountyFor(member.village_code);
    if (!county) return std::unexpected(county.error());
    auto st = Prepare(kInsertMember);
    if (!st) return std::unexpected(st.error());
    BindText(*st, 1, member.village_code);
    sqlite3_bind_int64(*st, 2, member.cadre_id);
    sqlite3_bind_int(*st, 3, member.role);
    sqlite3_bind_int64(*st, 4, DateInt(member.from));
    BindDate(*st, 5, member.to);
    BindText(*st, 6, change.at);
    if (auto r = StepDone(*st, "InsertTeamMember"); !r) return std::unexpected(r.error());
    stored.id = sqlite3_last_insert_rowid(db_);
    if (auto r = LogChange(change, *county, "team_member", std::to_string(stored.id), "insert", "",
                           TeamMemberToJson(stored));
        !r)
        return std::unexpected(r.error());
    return stored.id;
}

Result<void> SqliteStore::UpdateTeamMember(const TeamMember& before, const TeamMember& after,
                                           const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return r;
    auto stored = FindTeamMember(before.id);
    if (!stored) return std::unexpected(stored.error());
    if (!*stored)
        return Fail("store.not_found", "id", "工作队队员 " + std::to_string(before.id) + " 不存在",
                    "no team member " + std::to_string(before.id));
    if (**stored != before)
        return Fail("store.conflict", "id", "工作队队员信息已被他人修改", "the team member was changed by someone else");
    TeamMember next = after;
    next.id = before.id;
    if (next.cadre_id != before.cadre_id) {
        auto exists = CadreExists(next.cadre_id);
        if (!exists) return std::unexpected(exists.error());
        if (!*exists) return std::unexpected(NoCadre(next.cadre_id));
    }
    if (auto r = CheckFirstSecretary(next); !r) return r;
    auto county = CountyFor(next.village_code);
    if (!county) return std::unexpected(county.error());
    auto st = Prepare(kUpdateMember);
    if (!st) return std::unexpected(st.error());
    BindText(*st, 1, next.village_code);
    sqlite3_bind_int64(*st, 2, next.cadre_id);
    sqlite3_bind_int(*st, 3, next.role);
    sqlite3_bind_int64(*st, 4, DateInt(next.from));
    BindDate(*st, 5, next.to);
    BindText(*st, 6, change.at);
    sqlite3_bind_int64(*st, 7, next.id);
    if (auto r = StepDone(*st, "UpdateTeamMember"); !r) return r;
    return LogChange(change, *county, "team_member", std::to_string(next.id), "update", TeamMemberToJson(before),
                     TeamMemberToJson(next));
}

Result<std::optional<TeamMember>> SqliteStore::FindTeamMember(int64_t id) {
    auto st = Prepare(kFindMember);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    sqlite3_bind_int64(*st, 1, id);
    const int rc = sqlite3_step(*st);
    if (rc == SQLITE_ROW) return std::optional<TeamMember>(ReadTeamMember(*st));
    if (rc == SQLITE_DONE) return std::optional<TeamMember>();
    return std::unexpected(LastError("FindTeamMember"));
}

Result<std::vector<TeamMember>> SqliteStore::ListTeamMembers(const std::string& division_prefix,
                                                             std::optional<Date> active_on) {
    std::string sql = "SELECT " JZ_TEAM_MEMBER_COLUMNS " FROM team_member WHERE 1=1";
    if (!division_prefix.empty()) sql += " AND village_code >= :div_lo AND village_code < :div_hi";
    if (active_on) sql += " AND from_date <= :on AND (to_date IS NULL OR to_date >= :on)";
    sql += " ORDER BY village_code, role, id";
    auto st = PrepareOn(db_, sql, "ListTeamMembers");
    if (!st) return std::unexpected(st.error());
    sqlite3_stmt* raw = st->get();
    BindNamedText(raw, ":div_lo", division_prefix);
    BindNamedText(raw, ":div_hi", PrefixEnd(division_prefix));
    if (active_on) BindNamedInt(raw, ":on", DateInt(*active_on));
    std::vector<TeamMember> out;
    int rc;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) out.push_back(ReadTeamMember(raw));
    if (rc != SQLITE_DONE) return std::unexpected(LastError("ListTeamMembers"));
    return out;
}

Result<void> SqliteStore::PutOnPostDays(const OnPostDays& record, const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return r;
    auto member = FindTeamMember(record.member_id);
    if (!member) return std::unexpected(member.error());
    if (!*member)
        return Fail("store.foreign_key", "member_id", "工作队队员 " + std::to_string(record.member_id) + " 不存在",
                    "no team member " + std::to_string(record.member_id));
    std::string before;
    {
        auto st = Prepare(kStoredOnPost);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        sqlite3_bind_int64(*st, 1, record.member_id);
        sqlite3_bind_int(*st, 2, record.year);
        sqlite3_bind_int(*st, 3, record.month);
        const int rc = sqlite3_step(*st);
        if (rc == SQLITE_ROW)
            before = OnPostJson(ReadOnPost(*st));
        else if (rc != SQLITE_DONE)
            return std::unexpected(LastError("PutOnPostDays"));
    }
    auto county = CountyFor((*member)->village_code);
    if (!county) return std::unexpected(county.error());
    auto st = Prepare(kPutOnPost);
    if (!st) return std::unexpected(st.error());
    sqlite3_bind_int64(*st, 1, record.member_id);
    sqlite3_bind_int(*st, 2, record.year);
    sqlite3_bind_int(*st, 3, record.month);
    sqlite3_bind_int(*st, 4, record.days);
    BindText(*st, 5, change.at);
    if (auto r = StepDone(*st, "PutOnPostDays"); !r) return r;
    return LogChange(change, *county, "on_post", OnPostKey(record.member_id, record.year, record.month),
                     before.empty() ? "insert" : "update", before, OnPostJson(record));
}

Result<std::vector<OnPostDays>> SqliteStore::ListOnPostDays(const std::string& division_prefix, int from_year,
                                                            int from_month, int to_year, int to_month) {
    std::string sql =
        "SELECT o.member_id, o.year, o.month, o.days FROM on_post o JOIN team_member m ON m.id = o.member_id"
        " WHERE o.year * 100 + o.month BETWEEN ?1 AND ?2";
    if (!division_prefix.empty()) sql += " AND m.village_code >= ?3 AND m.village_code < ?4";
    sql += " ORDER BY o.member_id, o.year, o.month";
    auto st = PrepareOn(db_, sql, "ListOnPostDays");
    if (!st) return std::unexpected(st.error());
    sqlite3_stmt* raw = st->get();
    const std::string hi = PrefixEnd(division_prefix);
    sqlite3_bind_int(raw, 1, from_year * 100 + from_month);
    sqlite3_bind_int(raw, 2, to_year * 100 + to_month);
    if (!division_prefix.empty()) {
        BindText(raw, 3, division_prefix);
        BindText(raw, 4, hi);
    }
    std::vector<OnPostDays> out;
    int rc;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) out.push_back(ReadOnPost(raw));
    if (rc != SQLITE_DONE) return std::unexpected(LastError("ListOnPostDays"));
    return out;
}

// --- Visits --------------------------------------------------------------------------------------

Result<Store::VisitInsert> SqliteStore::InsertVisit(const Visit& visit, std::string_view photo,
                                                    const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return std::unexpected(r.error());
    auto stored = FindVisitByClientId(visit.client_id);
    if (!stored) return std::unexpected(stored.error());
    if (*stored) return VisitInsert{std::move(**stored), false};
    Visit v = visit;
    // The stored record says what is stored: no photo without bytes, the bytes' true size; bytes
    // without a type are refused (the caller sniffs the type, core/pairing.h SniffPhoto).
    if (!photo.empty() && v.photo == PhotoType::kNone)
        return Fail("visit.invalid", "photo", "照片类型未知(只收 JPEG 或 PNG)",
                    "the photo's type is not given (JPEG or PNG only)");
    if (photo.empty()) v.photo = PhotoType::kNone;
    v.photo_bytes = static_cast<int64_t>(photo.size());
    auto county = CountyFor(v.division_code);
    if (!county) return std::unexpected(county.error());
    {
        auto st = Prepare(kInsertVisit);
        if (!st) return std::unexpected(st.error());
        BindText(*st, 1, v.client_id);
        BindText(*st, 2, v.household_code);
        BindText(*st, 3, v.division_code);
        sqlite3_bind_int64(*st, 4, v.cadre_id);
        sqlite3_bind_int64(*st, 5, DateInt(v.date));
        BindText(*st, 6, v.discussed);
        BindText(*st, 7, v.done);
        if (v.place) {
            sqlite3_bind_int(*st, 8, v.place->lat_e6);
            sqlite3_bind_int(*st, 9, v.place->lon_e6);
            sqlite3_bind_int(*st, 10, v.place->accuracy_m);
        } else {
            for (int i = 8; i <= 10; ++i) sqlite3_bind_null(*st, i);
        }
        sqlite3_bind_int(*st, 11, PhotoCode(v.photo));
        sqlite3_bind_int64(*st, 12, v.photo_bytes);
        BindOpt(*st, 13, v.distance_m);
        sqlite3_bind_int(*st, 14, v.far ? 1 : 0);
        BindText(*st, 15, v.recorded_by);
        BindText(*st, 16, v.recorded_at);
        if (auto r = StepDone(*st, "InsertVisit"); !r) return std::unexpected(r.error());
    }
    v.id = sqlite3_last_insert_rowid(db_);
    if (!photo.empty()) {
        auto st = Prepare(kInsertPhoto);
        if (!st) return std::unexpected(st.error());
        sqlite3_bind_int64(*st, 1, v.id);
        sqlite3_bind_blob(*st, 2, photo.data(), static_cast<int>(photo.size()), SQLITE_STATIC);
        if (auto r = StepDone(*st, "InsertVisit"); !r) return std::unexpected(r.error());
    }
    {
        auto st = Prepare(kBumpSummary);
        if (!st) return std::unexpected(st.error());
        BindText(*st, 1, v.household_code);
        BindText(*st, 2, v.division_code);
        sqlite3_bind_int64(*st, 3, DateInt(v.date));
        if (auto r = StepDone(*st, "InsertVisit"); !r) return std::unexpected(r.error());
    }
    if (auto r = LogChange(change, *county, "visit", v.client_id, "insert", "", VisitToJson(v)); !r)
        return std::unexpected(r.error());
    return VisitInsert{std::move(v), true};
}

Result<std::optional<Visit>> SqliteStore::FindVisit(int64_t id) {
    auto st = Prepare(kFindVisit);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    sqlite3_bind_int64(*st, 1, id);
    const int rc = sqlite3_step(*st);
    if (rc == SQLITE_ROW) return std::optional<Visit>(ReadVisit(*st));
    if (rc == SQLITE_DONE) return std::optional<Visit>();
    return std::unexpected(LastError("FindVisit"));
}

Result<std::optional<Visit>> SqliteStore::FindVisitByClientId(const std::string& client_id) {
    auto st = Prepare(kFindVisitByClient);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    BindText(*st, 1, client_id);
    const int rc = sqlite3_step(*st);
    if (rc == SQLITE_ROW) return std::optional<Visit>(ReadVisit(*st));
    if (rc == SQLITE_DONE) return std::optional<Visit>();
    return std::unexpected(LastError("FindVisitByClientId"));
}

Result<std::vector<Visit>> SqliteStore::ListVisits(const VisitFilter& f) {
    std::string sql = "SELECT " JZ_VISIT_COLUMNS " FROM visit WHERE 1=1";
    if (f.household_code) sql += " AND household_code = :household";
    if (f.cadre_id) sql += " AND cadre_id = :cadre";
    if (!f.division_prefix.empty()) sql += " AND division_code >= :div_lo AND division_code < :div_hi";
    if (f.from) sql += " AND visit_date >= :from";
    if (f.to) sql += " AND visit_date <= :to";
    if (f.far) sql += *f.far ? " AND far = 1" : " AND far = 0";
    if (f.before_id > 0) sql += " AND id < :before";
    sql += " ORDER BY visit_date DESC, id DESC LIMIT :limit";
    auto st = PrepareOn(db_, sql, "ListVisits");
    if (!st) return std::unexpected(st.error());
    sqlite3_stmt* raw = st->get();
    if (f.household_code) BindNamedText(raw, ":household", *f.household_code);
    if (f.cadre_id) BindNamedInt(raw, ":cadre", *f.cadre_id);
    BindNamedText(raw, ":div_lo", f.division_prefix);
    BindNamedText(raw, ":div_hi", PrefixEnd(f.division_prefix));
    if (f.from) BindNamedInt(raw, ":from", DateInt(*f.from));
    if (f.to) BindNamedInt(raw, ":to", DateInt(*f.to));
    BindNamedInt(raw, ":before", f.before_id);
    BindNamedInt(raw, ":limit", f.limit);
    std::vector<Visit> out;
    int rc;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) out.push_back(ReadVisit(raw));
    if (rc != SQLITE_DONE) return std::unexpected(LastError("ListVisits"));
    return out;
}

Result<std::optional<std::string>> SqliteStore::VisitPhoto(int64_t visit_id) {
    auto st = Prepare(kVisitPhoto);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    sqlite3_bind_int64(*st, 1, visit_id);
    const int rc = sqlite3_step(*st);
    if (rc == SQLITE_DONE) return std::optional<std::string>();
    if (rc != SQLITE_ROW) return std::unexpected(LastError("VisitPhoto"));
    const auto* blob = static_cast<const char*>(sqlite3_column_blob(*st, 0));
    return std::optional<std::string>(std::string(blob ? blob : "", static_cast<size_t>(sqlite3_column_bytes(*st, 0))));
}

Result<void> SqliteStore::ScanVisitSummaries(const std::string& division_prefix,
                                             const std::function<bool(const VisitSummary&)>& visit) {
    // As ScanCurrentPairings: a county reads the table in its own (household) order, a township or a
    // village its rows of the covering division index, sorted.
    std::string sql = "SELECT household_code, division_code, last_visit, visits FROM visit_summary";
    if (!division_prefix.empty())
        sql += division_prefix.size() <= 6 ? " WHERE +division_code >= ?1 AND +division_code < ?2"
                                           : " WHERE division_code >= ?1 AND division_code < ?2";
    sql += " ORDER BY household_code";
    auto st = PrepareOn(db_, sql, "ScanVisitSummaries");
    if (!st) return std::unexpected(st.error());
    sqlite3_stmt* raw = st->get();
    const std::string hi = PrefixEnd(division_prefix);
    if (!division_prefix.empty()) {
        BindText(raw, 1, division_prefix);
        BindText(raw, 2, hi);
    }
    VisitSummary s;
    int rc;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
        TextInto(raw, 0, s.household_code);
        TextInto(raw, 1, s.division_code);
        s.last_visit = IntDate(sqlite3_column_int64(raw, 2));
        s.visits = sqlite3_column_int64(raw, 3);
        if (!visit(s)) return {};
    }
    if (rc != SQLITE_DONE) return std::unexpected(LastError("ScanVisitSummaries"));
    return {};
}

Result<void> SqliteStore::ScanVisitsAsOf(
    const std::string& division_prefix, const Date& quarter_start, const Date& on,
    const std::function<bool(const std::string& household_code, const Date& last, int in_quarter)>& visit) {
    std::string sql =
        "SELECT household_code, max(visit_date), sum(visit_date >= ?1) FROM visit INDEXED BY visit_household"
        " WHERE visit_date <= ?2";
    if (!division_prefix.empty()) sql += " AND division_code >= ?3 AND division_code < ?4";
    sql += " GROUP BY household_code ORDER BY household_code";
    auto st = PrepareOn(db_, sql, "ScanVisitsAsOf");
    if (!st) return std::unexpected(st.error());
    sqlite3_stmt* raw = st->get();
    const std::string hi = PrefixEnd(division_prefix);
    sqlite3_bind_int64(raw, 1, DateInt(quarter_start));
    sqlite3_bind_int64(raw, 2, DateInt(on));
    if (!division_prefix.empty()) {
        BindText(raw, 3, division_prefix);
        BindText(raw, 4, hi);
    }
    std::string code;
    int rc;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
        TextInto(raw, 0, code);
        if (!visit(code, IntDate(sqlite3_column_int64(raw, 1)), sqlite3_column_int(raw, 2))) return {};
    }
    if (rc != SQLITE_DONE) return std::unexpected(LastError("ScanVisitsAsOf"));
    return {};
}

// --- Places --------------------------------------------------------------------------------------

Result<void> SqliteStore::PutHouseholdPlace(const HouseholdPlace& place, const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return r;
    auto stored = FindHouseholdPlace(place.household_code);
    if (!stored) return std::unexpected(stored.error());
    auto county = CountyFor(place.division_code);
    if (!county) return std::unexpected(county.error());
    auto st = Prepare(kPutPlace);
    if (!st) return std::unexpected(st.error());
    BindText(*st, 1, place.household_code);
    BindText(*st, 2, place.division_code);
    sqlite3_bind_int(*st, 3, place.place.lat_e6);
    sqlite3_bind_int(*st, 4, place.place.lon_e6);
    sqlite3_bind_int(*st, 5, place.place.accuracy_m);
    sqlite3_bind_int64(*st, 6, DateInt(place.recorded_on));
    BindText(*st, 7, place.source);
    BindText(*st, 8, change.at);
    if (auto r = StepDone(*st, "PutHouseholdPlace"); !r) return r;
    return LogChange(change, *county, "household_place", place.household_code, *stored ? "update" : "insert",
                     *stored ? HouseholdPlaceJson(**stored) : std::string(), HouseholdPlaceJson(place));
}

Result<std::optional<HouseholdPlace>> SqliteStore::FindHouseholdPlace(const std::string& household_code) {
    auto st = Prepare(kStoredPlace);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    BindText(*st, 1, household_code);
    const int rc = sqlite3_step(*st);
    if (rc == SQLITE_ROW) return std::optional<HouseholdPlace>(ReadHouseholdPlace(*st));
    if (rc == SQLITE_DONE) return std::optional<HouseholdPlace>();
    return std::unexpected(LastError("FindHouseholdPlace"));
}

}  // namespace jz::sqlite_internal
