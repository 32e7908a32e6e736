// The assistance ledger (core/assistance.h): assistance items, income by year and by its parts, and
// each person's cover (三保障 and the floor). Every row is its record's JSON (assistance_json.cc) with
// the columns lists and scans filter on beside it; every write is in the change log (entities
// "assistance_item", "income", "coverage"). A deleted item stays as a tombstone. Nothing here
// depends on the household row: a deregistered household's ledger is kept.
#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "core/id_number.h"
#include "store/sqlite_internal.h"

namespace jz::sqlite_internal {
namespace {

// --- SQL -----------------------------------------------------------------------------------------
constexpr const char* kInsertItem =
    "INSERT INTO assistance_item (household_code, item_code, division_code, version, deleted, measure,"
    " category, kind, start_date, end_date, signed_on, amount, member_keys, natural_hash, updated_at,"
    " body_json) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)";
constexpr const char* kUpdateItem =
    "UPDATE assistance_item SET household_code=?1, division_code=?3, version=?4, deleted=?5, measure=?6,"
    " category=?7, kind=?8, start_date=?9, end_date=?10, signed_on=?11, amount=?12, member_keys=?13,"
    " natural_hash=?14, updated_at=?15, body_json=?16 WHERE item_code=?2 AND version=?17";
constexpr const char* kStoredItem = "SELECT version, deleted, body_json FROM assistance_item WHERE item_code=?1";
constexpr const char* kFindItem = "SELECT body_json FROM assistance_item WHERE item_code=?1";
constexpr const char* kItemsByNaturalKey =
    "SELECT body_json FROM assistance_item WHERE household_code=?1 AND natural_hash=?2 AND deleted=0"
    " ORDER BY item_code";
// Codes "<household>-…": between "<household>-" and "<household>." ('.' follows '-').
constexpr const char* kItemNumbers =
    "SELECT item_code FROM assistance_item WHERE household_code=?1 AND item_code > ?1 || '-'"
    " AND item_code < ?1 || '.'";
#define JZ_ITEM_FACTS                                                                                   \
    "SELECT household_code, division_code, measure, category, kind, start_date, end_date, signed_on," \
    " member_keys, amount FROM assistance_item WHERE deleted=0"
// The live ledger in the covering index assistance_item_facts's order (household, item): no sort,
// no row read ('+division_code': never the division index, which would need the rows and a sort).
constexpr const char* kItemFactsAll = JZ_ITEM_FACTS " ORDER BY household_code, item_code";
constexpr const char* kItemFactsPrefix =
    JZ_ITEM_FACTS " AND +division_code >= ?1 AND +division_code < ?2 ORDER BY household_code, item_code";
// A part of a parallel scan: a range of household codes on the facts index.
constexpr const char* kItemFactsRange = JZ_ITEM_FACTS
    " AND +division_code >= ?1 AND +division_code < ?2 AND household_code >= ?3 AND household_code < ?4"
    " ORDER BY household_code, item_code";
constexpr const char* kItemFactsRangeOpen = JZ_ITEM_FACTS
    " AND +division_code >= ?1 AND +division_code < ?2 AND household_code >= ?3"
    " ORDER BY household_code, item_code";
#undef JZ_ITEM_FACTS
constexpr const char* kHouseholdPersons = "SELECT persons FROM household WHERE household_code=?1";

constexpr const char* kStoredIncome = "SELECT version, body_json FROM income WHERE household_code=?1 AND year=?2";
constexpr const char* kPutIncome =
    "INSERT INTO income (household_code, year, division_code, version, updated_at, body_json)"
    " VALUES (?1,?2,?3,?4,?5,?6) ON CONFLICT(household_code, year) DO UPDATE SET division_code=?3,"
    " version=?4, updated_at=?5, body_json=?6";
constexpr const char* kFindIncome =
    "SELECT version, division_code, body_json FROM income WHERE household_code=?1 AND year=?2";

constexpr const char* kStoredCoverage = "SELECT body_json FROM coverage WHERE id_number=?1 AND year=?2";
constexpr const char* kPutCoverage =
    "INSERT INTO coverage (id_number, year, household_code, division_code, flags, updated_at, body_json)"
    " VALUES (?1,?2,?3,?4,?7,?5,?6) ON CONFLICT(id_number, year) DO UPDATE SET household_code=?3,"
    " division_code=?4, flags=?7, updated_at=?5, body_json=?6";
constexpr const char* kListCoverage =
    "SELECT body_json FROM coverage WHERE household_code=?1 ORDER BY year, id_number";

// --- Helpers -------------------------------------------------------------------------------------
std::string CountyOf(const std::string& code) { return code.substr(0, std::min<size_t>(6, code.size())); }


// The "upper bound" of a code prefix for range scans (codes are ASCII).
std::string PrefixEnd(const std::string& prefix) { return prefix + "\x7f"; }

Error Corrupt(const std::string& what, const std::string& key, const Error& e) {
    return Error{.code = "store.corrupt",
                 .field = "body_json",
                 .message_zh = what + " " + key + " 的数据无法读取: " + e.message_zh,
                 .message_en = what + " " + key + " cannot be read: " + e.message_en};
}

Result<AssistanceRecord> ItemFromRow(sqlite3_stmt* st, int column) {
    auto rec = AssistanceRecordFromJson(Text(st, column));
    if (!rec) return std::unexpected(Corrupt("assistance item", "", rec.error()));
    return rec;
}

// A private statement on `db` (scans: the visitor may call back into the store).
Result<Stmt> PrepareOn(sqlite3* db, const std::string& sql, const char* op) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
        const std::string msg = std::string(op) + ": " + sqlite3_errmsg(db);
        sqlite3_finalize(raw);
        return std::unexpected(Error{.code = "store.sqlite", .field = "db", .message_zh = msg, .message_en = msg});
    }
    return Stmt(raw);
}
Error ErrorOn(sqlite3* db, const char* op) {
    const std::string msg = std::string(op) + ": " + sqlite3_errmsg(db);
    return Error{.code = "store.sqlite", .field = "db", .message_zh = msg, .message_en = msg};
}

// The item columns of kInsertItem / kUpdateItem (parameters 1-16), the record written with
// `version`; `json` and `member_keys` receive the strings bound (they must outlive the step).
void BindItem(sqlite3_stmt* st, const AssistanceRecord& rec, int64_t version, const std::string& at,
              std::string& json, std::string& member_keys) {
    const AssistanceItem& item = rec.item;
    AssistanceRecordJsonInto(rec, version, json);
    MemberKeysInto(item.member_ids, member_keys);
    BindText(st, 1, item.household_code);
    BindText(st, 2, item.item_code);
    BindText(st, 3, rec.division_code);
    sqlite3_bind_int64(st, 4, version);
    sqlite3_bind_int(st, 5, rec.deleted ? 1 : 0);
    sqlite3_bind_int(st, 6, item.measure);
    sqlite3_bind_int(st, 7, item.category);
    sqlite3_bind_int(st, 8, item.kind);
    sqlite3_bind_int64(st, 9, DateInt(item.start_date));
    if (item.end_date)
        sqlite3_bind_int64(st, 10, DateInt(*item.end_date));
    else
        sqlite3_bind_null(st, 10);
    if (item.signed_on)
        sqlite3_bind_int64(st, 11, DateInt(*item.signed_on));
    else
        sqlite3_bind_null(st, 11);
    BindOpt(st, 12, item.amount);
    if (member_keys.empty())
        sqlite3_bind_null(st, 13);
    else
        sqlite3_bind_blob(st, 13, member_keys.data(), static_cast<int>(member_keys.size()), SQLITE_STATIC);
    sqlite3_bind_int64(st, 14, NaturalHash(NaturalKeyOf(item)));
    BindText(st, 15, at);
    BindText(st, 16, json);
}

// A filter's WHERE clause over assistance_item (parameters named, so any subset binds).
struct ItemQuery {
    std::string where = " WHERE 1=1";
    explicit ItemQuery(const AssistanceFilter& f, bool paged) {
        if (f.household_code) where += " AND household_code=:household";
        if (!f.division_prefix.empty()) where += " AND division_code >= :div_lo AND division_code < :div_hi";
        if (f.measure) where += " AND measure=:measure";
        if (f.from) where += " AND (end_date IS NULL OR end_date >= :from)";
        if (f.to) where += " AND start_date <= :to";
        if (f.signed_off) where += *f.signed_off ? " AND signed_on IS NOT NULL" : " AND signed_on IS NULL";
        if (!f.include_deleted) where += " AND deleted=0";
        if (paged && !f.after_code.empty()) where += " AND item_code > :after";
    }
};

void BindNamedText(sqlite3_stmt* st, const char* name, const std::string& v) {
    if (const int i = sqlite3_bind_parameter_index(st, name); i > 0)
        sqlite3_bind_text(st, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}
void BindNamedInt(sqlite3_stmt* st, const char* name, int64_t v) {
    if (const int i = sqlite3_bind_parameter_index(st, name); i > 0) sqlite3_bind_int64(st, i, v);
}

void BindItemFilter(sqlite3_stmt* st, const AssistanceFilter& f) {
    if (f.household_code) BindNamedText(st, ":household", *f.household_code);
    if (!f.division_prefix.empty()) {
        BindNamedText(st, ":div_lo", f.division_prefix);
        BindNamedText(st, ":div_hi", PrefixEnd(f.division_prefix));
    }
    if (f.measure) BindNamedInt(st, ":measure", *f.measure);
    if (f.from) BindNamedInt(st, ":from", DateInt(*f.from));
    if (f.to) BindNamedInt(st, ":to", DateInt(*f.to));
    BindNamedText(st, ":after", f.after_code);
    BindNamedInt(st, ":limit", f.limit);
}

// Facts of the items not deleted under `prefix`, grouped by household, on connection `db`; with
// household codes in [lo, hi) when `ranged` (hi empty: no upper bound).
Result<void> ScanItemFactsOn(sqlite3* db, const std::string& prefix, bool ranged, const std::string& lo,
                             const std::string& hi, const std::function<bool(const ItemFacts&)>& visit) {
    const char* sql = ranged ? (hi.empty() ? kItemFactsRangeOpen : kItemFactsRange)
                      : prefix.empty() ? kItemFactsAll
                                       : kItemFactsPrefix;
    auto st = PrepareOn(db, sql, "ScanItemFacts");
    if (!st) return std::unexpected(st.error());
    auto persons_st = PrepareOn(db, kHouseholdPersons, "ScanItemFacts");
    if (!persons_st) return std::unexpected(persons_st.error());
    sqlite3_stmt* raw = st->get();
    sqlite3_stmt* persons = persons_st->get();
    const std::string div_hi = PrefixEnd(prefix);
    if (sql != kItemFactsAll) {
        BindText(raw, 1, prefix);
        BindText(raw, 2, div_hi);
    }
    if (ranged) {
        BindText(raw, 3, lo);
        if (!hi.empty()) BindText(raw, 4, hi);
    }
    ItemFacts f;
    std::string household;  // the household whose persons f.household_persons holds
    bool any = false;
    int rc;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
        const unsigned char* code = sqlite3_column_text(raw, 0);
        const std::string_view code_view(reinterpret_cast<const char*>(code),
                                         static_cast<size_t>(sqlite3_column_bytes(raw, 0)));
        if (!any || code_view != household) {
            household.assign(code_view);
            any = true;
            sqlite3_reset(persons);
            BindText(persons, 1, household);
            const int prc = sqlite3_step(persons);
            if (prc == SQLITE_ROW)
                f.household_persons = sqlite3_column_int(persons, 0);
            else if (prc == SQLITE_DONE)
                f.household_persons = 0;  // the household left the registry
            else
                return std::unexpected(ErrorOn(db, "ScanItemFacts"));
            sqlite3_reset(persons);
        }
        f.household_code = household;
        TextInto(raw, 1, f.division_code);
        f.measure = sqlite3_column_int(raw, 2);
        f.category = sqlite3_column_int(raw, 3);
        f.kind = sqlite3_column_int(raw, 4);
        f.start_date = IntDate(sqlite3_column_int64(raw, 5));
        f.end_date = OptDate(raw, 6);
        f.signed_on = OptDate(raw, 7);
        MemberKeysFrom(raw, 8, f.member_keys);
        f.amount = sqlite3_column_int64(raw, 9);  // NULL reads 0
        if (!visit(f)) return {};
    }
    if (rc != SQLITE_DONE) return std::unexpected(ErrorOn(db, "ScanItemFacts"));
    return {};
}

}  // namespace

// --- Shared with the audit (sqlite_internal.h) ---------------------------------------------------

uint64_t MemberKey(std::string_view id_number) {
    bool valid = id_number.size() == 18;
    for (size_t i = 0; valid && i < 17; ++i) valid = id_number[i] >= '0' && id_number[i] <= '9';
    if (valid) valid = (id_number[17] >= '0' && id_number[17] <= '9') || id_number[17] == 'X';
    if (valid) return PackIdNumber(id_number);
    // Not a normalised number (the store does not validate): a hash above every packed number
    // (10^17 * 11 < 2^63), so it never equals one.
    uint64_t h = 1469598103934665603ULL;
    for (char c : id_number) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    return h | (uint64_t{1} << 63);
}

void MemberKeysInto(const std::vector<std::string>& member_ids, std::string& out) {
    out.clear();
    if (member_ids.empty()) return;
    std::vector<uint64_t> keys;
    keys.reserve(member_ids.size());
    for (const std::string& id : member_ids) keys.push_back(MemberKey(id));
    std::ranges::sort(keys);
    out.resize(keys.size() * 8);
    for (size_t i = 0; i < keys.size(); ++i)
        for (int b = 0; b < 8; ++b) out[i * 8 + b] = static_cast<char>((keys[i] >> (8 * b)) & 0xff);
}

void MemberKeysFrom(sqlite3_stmt* st, int i, std::vector<uint64_t>& out) {
    out.clear();
    const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(st, i));
    const int n = sqlite3_column_bytes(st, i);
    if (!p) return;
    for (int at = 0; at + 8 <= n; at += 8) {
        uint64_t k = 0;
        for (int b = 7; b >= 0; --b) k = (k << 8) | p[at + b];
        out.push_back(k);
    }
}

int CoverageFlags(const PersonCoverage& c) {
    int flags = 0;
    int shift = 0;
    for (const std::optional<bool>* v : {&c.basic_medical_insurance, &c.serious_illness_insurance,
                                         &c.pension_insurance, &c.dibao, &c.wubao}) {
        if (*v) flags |= (**v ? 2 : 1) << shift;
        shift += 2;
    }
    return flags;
}

void SetCoverageFlags(int flags, PersonCoverage& c) {
    int shift = 0;
    for (std::optional<bool>* v : {&c.basic_medical_insurance, &c.serious_illness_insurance, &c.pension_insurance,
                                   &c.dibao, &c.wubao}) {
        const int bits = (flags >> shift) & 3;
        *v = bits == 0 ? std::nullopt : std::optional<bool>(bits == 2);
        shift += 2;
    }
}

int64_t NaturalHash(std::string_view natural_key) {
    uint64_t h = 1469598103934665603ULL;
    for (char c : natural_key) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    return static_cast<int64_t>(h);
}

// --- Items ---------------------------------------------------------------------------------------

// The hot path of an import: one insert (the item-code index is the duplicate check) and one
// change-log entry, no other lookup, no copy of the record.
Result<void> SqliteStore::InsertAssistance(const AssistanceRecord& record, const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return r;
    auto st = Prepare(kInsertItem);
    if (!st) return std::unexpected(st.error());
    BindItem(*st, record, 1, change.at, scratch_item_json_, scratch_member_keys_);
    const int rc = sqlite3_step(*st);
    sqlite3_reset(*st);
    const std::string& code = record.item.item_code;
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        return Fail("store.duplicate", "item_code", "帮扶项目编号" + code + "已存在",
                    "item_code " + code + " already exists");
    if (rc != SQLITE_DONE) return std::unexpected(LastError("InsertAssistance"));
    const std::string& division = record.division_code;
    scratch_county_.assign(division, 0, std::min<size_t>(6, division.size()));
    return LogChange(change, scratch_county_, "assistance_item", code, "insert", "", scratch_item_json_);
}

Result<void> SqliteStore::UpdateAssistance(const AssistanceRecord& before, const AssistanceRecord& after,
                                           const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return r;
    const std::string& code = before.item.item_code;
    if (after.item.item_code != code)
        return Fail("store.code_change", "item_code", "不能修改帮扶项目编号", "the item code cannot change");
    auto find = Prepare(kStoredItem);
    if (!find) return std::unexpected(find.error());
    BindText(*find, 1, code);
    std::string stored_json;
    int64_t stored_version = 0;
    bool stored_deleted = false;
    {
        ResetOnExit reset{*find};
        const int rc = sqlite3_step(*find);
        if (rc == SQLITE_DONE)
            return Fail("store.not_found", "item_code", "帮扶项目" + code + "不存在", "no assistance item " + code);
        if (rc != SQLITE_ROW) return std::unexpected(LastError("UpdateAssistance"));
        stored_version = sqlite3_column_int64(*find, 0);
        stored_deleted = sqlite3_column_int(*find, 1) != 0;
        stored_json = Text(*find, 2);
    }
    if (stored_version != before.version)
        return Fail("store.conflict", "version", "该帮扶项目已被他人修改",
                    "the assistance item was changed by someone else");
    if (stored_deleted)
        return Fail("store.deleted", "item_code", "帮扶项目" + code + "已删除,不能修改",
                    "the assistance item " + code + " was deleted and cannot be changed");
    AssistanceRecord next = after;
    next.version = before.version + 1;
    if (next.division_code.empty()) next.division_code = before.division_code;
    if (!next.deleted) next.delete_reason.clear();
    auto st = Prepare(kUpdateItem);
    if (!st) return std::unexpected(st.error());
    std::string json, member_keys;
    BindItem(*st, next, next.version, change.at, json, member_keys);
    sqlite3_bind_int64(*st, 17, before.version);
    if (auto r = StepDone(*st, "UpdateAssistance"); !r) return r;
    if (sqlite3_changes(db_) != 1)
        return Fail("store.conflict", "version", "该帮扶项目已被他人修改",
                    "the assistance item was changed by someone else");
    return LogChange(change, CountyOf(next.division_code), "assistance_item", code,
                     next.deleted ? "delete" : "update", stored_json, json);
}

Result<std::optional<AssistanceRecord>> SqliteStore::FindAssistance(const std::string& item_code) {
    auto st = Prepare(kFindItem);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    BindText(*st, 1, item_code);
    const int rc = sqlite3_step(*st);
    if (rc == SQLITE_DONE) return std::optional<AssistanceRecord>();
    if (rc != SQLITE_ROW) return std::unexpected(LastError("FindAssistance"));
    auto rec = AssistanceRecordFromJson(Text(*st, 0));
    if (!rec) return std::unexpected(Corrupt("assistance item", item_code, rec.error()));
    return std::optional<AssistanceRecord>(std::move(*rec));
}

Result<std::vector<AssistanceRecord>> SqliteStore::ListAssistance(const AssistanceFilter& filter) {
    const ItemQuery q(filter, true);
    auto st = PrepareOn(db_, "SELECT body_json FROM assistance_item" + q.where + " ORDER BY item_code LIMIT :limit",
                        "ListAssistance");
    if (!st) return std::unexpected(st.error());
    BindItemFilter(st->get(), filter);
    std::vector<AssistanceRecord> out;
    int rc;
    while ((rc = sqlite3_step(st->get())) == SQLITE_ROW) {
        auto rec = ItemFromRow(st->get(), 0);
        if (!rec) return std::unexpected(rec.error());
        out.push_back(std::move(*rec));
    }
    if (rc != SQLITE_DONE) return std::unexpected(LastError("ListAssistance"));
    return out;
}

Result<int64_t> SqliteStore::CountAssistance(const AssistanceFilter& filter) {
    const ItemQuery q(filter, false);
    auto st = PrepareOn(db_, "SELECT count(*) FROM assistance_item" + q.where, "CountAssistance");
    if (!st) return std::unexpected(st.error());
    BindItemFilter(st->get(), filter);
    if (sqlite3_step(st->get()) != SQLITE_ROW) return std::unexpected(LastError("CountAssistance"));
    return sqlite3_column_int64(st->get(), 0);
}

Result<std::optional<AssistanceRecord>> SqliteStore::FindAssistanceByNaturalKey(const std::string& household_code,
                                                                               const std::string& natural_key) {
    auto st = Prepare(kItemsByNaturalKey);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    BindText(*st, 1, household_code);
    sqlite3_bind_int64(*st, 2, NaturalHash(natural_key));
    int rc;
    // The hash narrows to the candidates; the key itself decides (a collision is skipped).
    while ((rc = sqlite3_step(*st)) == SQLITE_ROW) {
        auto rec = ItemFromRow(*st, 0);
        if (!rec) return std::unexpected(rec.error());
        if (NaturalKeyOf(rec->item) == natural_key) return std::optional<AssistanceRecord>(std::move(*rec));
    }
    if (rc != SQLITE_DONE) return std::unexpected(LastError("FindAssistanceByNaturalKey"));
    return std::optional<AssistanceRecord>();
}

Result<int> SqliteStore::LastAssistanceNumber(const std::string& household_code) {
    auto st = Prepare(kItemNumbers);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    BindText(*st, 1, household_code);
    const size_t skip = household_code.size() + 1;
    int last = 0;
    int rc;
    while ((rc = sqlite3_step(*st)) == SQLITE_ROW) {
        const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(*st, 0));
        const size_t n = static_cast<size_t>(sqlite3_column_bytes(*st, 0));
        if (!t || n <= skip || n - skip > 9) continue;
        int v = 0;
        auto [p, ec] = std::from_chars(t + skip, t + n, v);
        if (ec == std::errc() && p == t + n && t[skip] != '+' && t[skip] != '-') last = std::max(last, v);
    }
    if (rc != SQLITE_DONE) return std::unexpected(LastError("LastAssistanceNumber"));
    return last;
}

Result<void> SqliteStore::ScanItemFacts(const std::string& division_prefix,
                                        const std::function<bool(const ItemFacts&)>& visit) {
    return ScanItemFactsOn(db_, division_prefix, false, {}, {}, visit);
}

// Parts are ranges of household codes cut at every (count/parts)-th registered household (a
// deregistered household's items fall into the range its code sorts into), so no household is split;
// each part reads its range on the primary key on a read-only connection of its own.
Result<void> SqliteStore::ScanItemFactsParallel(const std::string& division_prefix, int parts,
                                                const std::function<bool(int, const ItemFacts&)>& visit) {
    auto serial = [&] {
        return ScanItemFacts(division_prefix, [&](const ItemFacts& f) { return visit(0, f); });
    };
    parts = std::clamp(parts, 1, 16);
    if (parts == 1 || in_tx_) return serial();
    auto count = QueryInt("SELECT count(*) FROM household");
    if (!count) return std::unexpected(count.error());
    if (*count < 1000) return serial();
    std::vector<std::string> bounds{""};  // part i: [bounds[i], bounds[i+1]), the last one open
    {
        auto st = PrepareOn(db_, "SELECT household_code FROM household ORDER BY household_code", "ScanItemFacts");
        if (!st) return std::unexpected(st.error());
        const int64_t step = *count / parts;
        int64_t n = 0;
        int rc;
        while ((rc = sqlite3_step(st->get())) == SQLITE_ROW && static_cast<int>(bounds.size()) < parts)
            if (++n % step == 0) bounds.push_back(Text(st->get(), 0));
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) return std::unexpected(LastError("ScanItemFacts"));
    }
    const int used = static_cast<int>(bounds.size());
    return OnReadConnections(used, [&](sqlite3* db, int part, std::atomic<bool>& stop) -> Result<void> {
        const std::string& lo = bounds[static_cast<size_t>(part)];
        const std::string hi = part + 1 < used ? bounds[static_cast<size_t>(part) + 1] : std::string();
        return ScanItemFactsOn(db, division_prefix, true, lo, hi, [&](const ItemFacts& f) {
            if (stop.load(std::memory_order_relaxed)) return false;
            if (!visit(part, f)) {
                stop = true;
                return false;
            }
            return true;
        });
    });
}

// --- Income --------------------------------------------------------------------------------------

Result<int64_t> SqliteStore::PutIncome(const IncomeRecord& record, const std::string& division_code,
                                       std::optional<int64_t> expected_version, const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return std::unexpected(r.error());
    auto find = Prepare(kStoredIncome);
    if (!find) return std::unexpected(find.error());
    BindText(*find, 1, record.household_code);
    sqlite3_bind_int(*find, 2, record.year);
    int64_t stored_version = 0;
    std::string before;
    {
        ResetOnExit reset{*find};
        const int rc = sqlite3_step(*find);
        if (rc == SQLITE_ROW) {
            stored_version = sqlite3_column_int64(*find, 0);
            before = Text(*find, 1);
        } else if (rc != SQLITE_DONE) {
            return std::unexpected(LastError("PutIncome"));
        }
    }
    if (expected_version && *expected_version != stored_version)
        return Fail("store.conflict", "version",
                    stored_version == 0 ? "该年度收入记录已不存在" : "该年度收入已被他人修改",
                    stored_version == 0 ? "the income record no longer exists"
                                        : "the income of the year was changed by someone else");
    const int64_t version = stored_version + 1;
    const std::string json = IncomeRecordToJson(record);
    auto st = Prepare(kPutIncome);
    if (!st) return std::unexpected(st.error());
    BindText(*st, 1, record.household_code);
    sqlite3_bind_int(*st, 2, record.year);
    BindText(*st, 3, division_code);
    sqlite3_bind_int64(*st, 4, version);
    BindText(*st, 5, change.at);
    BindText(*st, 6, json);
    if (auto r = StepDone(*st, "PutIncome"); !r) return std::unexpected(r.error());
    if (auto r = LogChange(change, CountyOf(division_code), "income",
                           record.household_code + "/" + std::to_string(record.year),
                           before.empty() ? "insert" : "update", before, json);
        !r)
        return std::unexpected(r.error());
    return version;
}

Result<std::optional<IncomeRecordVersion>> SqliteStore::FindIncome(const std::string& household_code, int year) {
    auto st = Prepare(kFindIncome);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    BindText(*st, 1, household_code);
    sqlite3_bind_int(*st, 2, year);
    const int rc = sqlite3_step(*st);
    if (rc == SQLITE_DONE) return std::optional<IncomeRecordVersion>();
    if (rc != SQLITE_ROW) return std::unexpected(LastError("FindIncome"));
    auto rec = IncomeRecordFromJson(Text(*st, 2));
    if (!rec) return std::unexpected(Corrupt("income", household_code + "/" + std::to_string(year), rec.error()));
    return std::optional<IncomeRecordVersion>(
        IncomeRecordVersion{sqlite3_column_int64(*st, 0), Text(*st, 1), std::move(*rec)});
}

Result<std::vector<IncomeRecordVersion>> SqliteStore::ListIncome(const IncomeFilter& f) {
    std::string sql = "SELECT version, division_code, body_json, household_code, year FROM income WHERE 1=1";
    if (f.household_code) sql += " AND household_code=:household";
    if (!f.division_prefix.empty()) sql += " AND division_code >= :div_lo AND division_code < :div_hi";
    if (f.year) sql += " AND year=:year";
    if (f.from_year) sql += " AND year >= :from_year";
    if (f.to_year) sql += " AND year <= :to_year";
    if (!f.after_household.empty()) sql += " AND (household_code, year) > (:after_household, :after_year)";
    sql += " ORDER BY household_code, year LIMIT :limit";
    auto st = PrepareOn(db_, sql, "ListIncome");
    if (!st) return std::unexpected(st.error());
    sqlite3_stmt* raw = st->get();
    if (f.household_code) BindNamedText(raw, ":household", *f.household_code);
    if (!f.division_prefix.empty()) {
        BindNamedText(raw, ":div_lo", f.division_prefix);
        BindNamedText(raw, ":div_hi", PrefixEnd(f.division_prefix));
    }
    if (f.year) BindNamedInt(raw, ":year", *f.year);
    if (f.from_year) BindNamedInt(raw, ":from_year", *f.from_year);
    if (f.to_year) BindNamedInt(raw, ":to_year", *f.to_year);
    BindNamedText(raw, ":after_household", f.after_household);
    BindNamedInt(raw, ":after_year", f.after_year);
    BindNamedInt(raw, ":limit", f.limit);
    std::vector<IncomeRecordVersion> out;
    int rc;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
        auto rec = IncomeRecordFromJson(Text(raw, 2));
        if (!rec)
            return std::unexpected(
                Corrupt("income", Text(raw, 3) + "/" + std::to_string(sqlite3_column_int(raw, 4)), rec.error()));
        out.push_back(IncomeRecordVersion{sqlite3_column_int64(raw, 0), Text(raw, 1), std::move(*rec)});
    }
    if (rc != SQLITE_DONE) return std::unexpected(LastError("ListIncome"));
    return out;
}

Result<void> SqliteStore::ScanIncomeYear(const std::string& division_prefix, int year,
                                         const std::function<bool(const IncomeRecord&)>& visit) {
    std::string sql = "SELECT body_json, household_code FROM income WHERE year=?1";
    if (!division_prefix.empty()) sql += " AND division_code >= ?2 AND division_code < ?3";
    auto st = PrepareOn(db_, sql, "ScanIncomeYear");
    if (!st) return std::unexpected(st.error());
    sqlite3_stmt* raw = st->get();
    const std::string hi = PrefixEnd(division_prefix);
    sqlite3_bind_int(raw, 1, year);
    if (!division_prefix.empty()) {
        BindText(raw, 2, division_prefix);
        BindText(raw, 3, hi);
    }
    int rc;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
        auto rec = IncomeRecordFromJson(Text(raw, 0));
        if (!rec)
            return std::unexpected(Corrupt("income", Text(raw, 1) + "/" + std::to_string(year), rec.error()));
        if (!visit(*rec)) return {};
    }
    if (rc != SQLITE_DONE) return std::unexpected(LastError("ScanIncomeYear"));
    return {};
}

// --- Cover ---------------------------------------------------------------------------------------

Result<void> SqliteStore::PutCoverage(const PersonCoverage& coverage, const std::string& division_code,
                                      const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return r;
    auto find = Prepare(kStoredCoverage);
    if (!find) return std::unexpected(find.error());
    BindText(*find, 1, coverage.id_number);
    sqlite3_bind_int(*find, 2, coverage.year);
    std::string before;
    {
        ResetOnExit reset{*find};
        const int rc = sqlite3_step(*find);
        if (rc == SQLITE_ROW)
            before = Text(*find, 0);
        else if (rc != SQLITE_DONE)
            return std::unexpected(LastError("PutCoverage"));
    }
    const std::string json = CoverageToJson(coverage);
    auto st = Prepare(kPutCoverage);
    if (!st) return std::unexpected(st.error());
    BindText(*st, 1, coverage.id_number);
    sqlite3_bind_int(*st, 2, coverage.year);
    BindText(*st, 3, coverage.household_code);
    BindText(*st, 4, division_code);
    BindText(*st, 5, change.at);
    BindText(*st, 6, json);
    sqlite3_bind_int(*st, 7, CoverageFlags(coverage));
    if (auto r = StepDone(*st, "PutCoverage"); !r) return r;
    return LogChange(change, CountyOf(division_code), "coverage",
                     coverage.id_number + "/" + std::to_string(coverage.year), before.empty() ? "insert" : "update",
                     before, json);
}

Result<std::vector<PersonCoverage>> SqliteStore::ListCoverage(const std::string& household_code) {
    auto st = Prepare(kListCoverage);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    BindText(*st, 1, household_code);
    std::vector<PersonCoverage> out;
    int rc;
    while ((rc = sqlite3_step(*st)) == SQLITE_ROW) {
        auto c = CoverageFromJson(Text(*st, 0));
        if (!c) return std::unexpected(Corrupt("coverage", household_code, c.error()));
        out.push_back(std::move(*c));
    }
    if (rc != SQLITE_DONE) return std::unexpected(LastError("ListCoverage"));
    return out;
}

// On the year index alone (it holds every column a PersonCoverage needs): no row, no JSON read.
Result<void> SqliteStore::ScanCoverageYear(const std::string& division_prefix, int year,
                                           const std::function<bool(const PersonCoverage&)>& visit) {
    std::string sql = "SELECT household_code, id_number, flags FROM coverage INDEXED BY coverage_year WHERE year=?1";
    if (!division_prefix.empty()) sql += " AND division_code >= ?2 AND division_code < ?3";
    sql += " ORDER BY household_code, id_number";
    auto st = PrepareOn(db_, sql, "ScanCoverageYear");
    if (!st) return std::unexpected(st.error());
    sqlite3_stmt* raw = st->get();
    const std::string hi = PrefixEnd(division_prefix);
    sqlite3_bind_int(raw, 1, year);
    if (!division_prefix.empty()) {
        BindText(raw, 2, division_prefix);
        BindText(raw, 3, hi);
    }
    PersonCoverage c;
    c.year = year;
    int rc;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
        TextInto(raw, 0, c.household_code);
        TextInto(raw, 1, c.id_number);
        SetCoverageFlags(sqlite3_column_int(raw, 2), c);
        if (!visit(c)) return {};
    }
    if (rc != SQLITE_DONE) return std::unexpected(LastError("ScanCoverageYear"));
    return {};
}

}  // namespace jz::sqlite_internal
