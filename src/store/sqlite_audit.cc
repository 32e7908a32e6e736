// `audit verify`: the walk of the change log's hash chain (Verify) and the replay of the log against
// the rows: every logged entity's row must equal the after-state of its last entry.
#include <algorithm>
#include <boost/json.hpp>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/procedure_json.h"
#include "store/row_diff.h"
#include "store/sqlite_internal.h"

namespace jz::sqlite_internal {
namespace {

bool ParseHex(const std::string& hex, ChainHash& out) {
    if (hex.size() != out.size() * 2) return false;
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (size_t i = 0; i < out.size(); ++i) {
        const int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return false;
        out[i] = static_cast<unsigned char>(hi * 16 + lo);
    }
    return true;
}

constexpr size_t kMismatchesKept = 10000;
void AddMismatch(ChainVerification& out, std::string code, std::string entity, std::string key, int64_t seq,
                 std::vector<std::string> fields) {
    ++out.mismatch_count;
    if (out.mismatches.size() < kMismatchesKept)
        out.mismatches.push_back({std::move(code), std::move(entity), std::move(key), seq, std::move(fields)});
}

// A row of a table whose rows are logged whole: its key, its state as the log writes it, and the
// columns kept beside it that disagree with that state ("audit.row_derived"; none for most tables).
struct ReplayedRow {
    std::string key;
    std::string state;
    std::vector<std::string> derived;
};

ReplayedRow CaseRow(sqlite3_stmt* st) {
    ReplayedRow row{std::to_string(sqlite3_column_int64(st, 0)), Text(st, 7), {}};
    if (auto c = ProcedureCaseFromJson(row.state)) {
        std::vector<std::string>& fields = row.derived;
        if (Text(st, 1) != ProcedureKindName(c->kind)) fields.emplace_back("kind");
        if (Text(st, 2) != c->household_code) fields.emplace_back("household_code");
        if (Text(st, 3) != c->division_code) fields.emplace_back("division_code");
        if (sqlite3_column_int(st, 4) != c->year) fields.emplace_back("year");
        if (Text(st, 5) != c->state) fields.emplace_back("state");
        if ((sqlite3_column_int(st, 6) != 0) != c->open) fields.emplace_back("open");
    }
    return row;
}

ReplayedRow EvaluationRow(sqlite3_stmt* st) {
    ReplayedRow row{std::to_string(sqlite3_column_int64(st, 0)), Text(st, 3), {}};
    if (auto e = EvaluationFromJson(row.state)) {
        if (sqlite3_column_int(st, 1) != e->year) row.derived.emplace_back("year");
        if (Text(st, 2) != e->division_code) row.derived.emplace_back("division_code");
    }
    return row;
}

ReplayedRow PopulationRow(sqlite3_stmt* st) {
    const PopulationSetting p{Text(st, 0), sqlite3_column_int(st, 1), sqlite3_column_int64(st, 2)};
    return {p.code + "/" + std::to_string(p.year), PopulationJson(p), {}};
}

ReplayedRow AdjustmentRow(sqlite3_stmt* st) {
    AdjustmentApproval a;
    a.year = sqlite3_column_int(st, 0);
    a.county_code = Text(st, 1);
    a.approved_by = Text(st, 2);
    a.approved_at = Text(st, 3);
    a.approved_on = DateColumn(st, 4);
    a.notes = Text(st, 5);
    a.summary_json = Text(st, 6);
    return {std::to_string(a.year), AdjustmentJson(a), {}};
}

// An assistance item: its state is the body; the columns beside it must say what the body says.
ReplayedRow AssistanceRow(sqlite3_stmt* st) {
    ReplayedRow row{Text(st, 0), Text(st, 14), {}};
    auto rec = AssistanceRecordFromJson(row.state);
    if (!rec) return row;  // the state differs from any logged one (or the log is as broken)
    const AssistanceItem& item = rec->item;
    std::vector<std::string>& fields = row.derived;
    auto date = [&](int i) -> std::optional<int64_t> { return ColOpt<int64_t>(st, i); };
    auto as_int = [](const std::optional<Date>& d) -> std::optional<int64_t> {
        if (!d) return std::nullopt;
        return int64_t{d->year} * 10000 + d->month * 100 + d->day;
    };
    if (item.item_code != row.key) fields.emplace_back("item_code");
    if (Text(st, 1) != item.household_code) fields.emplace_back("household_code");
    if (Text(st, 2) != rec->division_code) fields.emplace_back("division_code");
    if (sqlite3_column_int64(st, 3) != rec->version) fields.emplace_back("version");
    if ((sqlite3_column_int(st, 4) != 0) != rec->deleted) fields.emplace_back("deleted");
    if (sqlite3_column_int(st, 5) != item.measure) fields.emplace_back("measure");
    if (sqlite3_column_int(st, 6) != item.category) fields.emplace_back("category");
    if (sqlite3_column_int(st, 7) != item.kind) fields.emplace_back("kind");
    if (date(8) != as_int(item.start_date)) fields.emplace_back("start_date");
    if (date(9) != as_int(item.end_date)) fields.emplace_back("end_date");
    if (date(10) != as_int(item.signed_on)) fields.emplace_back("signed_on");
    if (ColOpt<int64_t>(st, 11) != item.amount) fields.emplace_back("amount");
    std::string keys;
    MemberKeysInto(item.member_ids, keys);
    const auto* blob = static_cast<const char*>(sqlite3_column_blob(st, 12));
    if (std::string(blob ? blob : "", blob ? static_cast<size_t>(sqlite3_column_bytes(st, 12)) : 0) != keys)
        fields.emplace_back("member_ids");
    if (sqlite3_column_int64(st, 13) != NaturalHash(NaturalKeyOf(item))) fields.emplace_back("natural_key");
    return row;
}

ReplayedRow IncomeRow(sqlite3_stmt* st) {
    ReplayedRow row{Text(st, 0) + "/" + std::to_string(sqlite3_column_int(st, 1)), Text(st, 2), {}};
    if (auto r = IncomeRecordFromJson(row.state)) {
        if (Text(st, 0) != r->household_code) row.derived.emplace_back("household_code");
        if (sqlite3_column_int(st, 1) != r->year) row.derived.emplace_back("year");
    }
    return row;
}

ReplayedRow CoverageRow(sqlite3_stmt* st) {
    ReplayedRow row{Text(st, 0) + "/" + std::to_string(sqlite3_column_int(st, 1)), Text(st, 3), {}};
    if (auto c = CoverageFromJson(row.state)) {
        if (Text(st, 0) != c->id_number) row.derived.emplace_back("id_number");
        if (sqlite3_column_int(st, 1) != c->year) row.derived.emplace_back("year");
        if (Text(st, 2) != c->household_code) row.derived.emplace_back("household_code");
        if (sqlite3_column_int(st, 4) != CoverageFlags(*c)) row.derived.emplace_back("flags");
    }
    return row;
}

// The pairing family: rows are columns only, their state is written from them (as the store's
// writes log it), so any column differing from the logged state is a mismatch of the state.
ReplayedRow CadreRow(sqlite3_stmt* st) {
    const CadreRecord r = ReadCadre(st);
    return {std::to_string(r.cadre.id), CadreToJson(r.cadre), {}};
}
ReplayedRow PairingRow(sqlite3_stmt* st) {
    const Pairing p = ReadPairing(st);
    return {std::to_string(p.id), PairingToJson(p), {}};
}
ReplayedRow TeamMemberRow(sqlite3_stmt* st) {
    const TeamMember m = ReadTeamMember(st);
    return {std::to_string(m.id), TeamMemberToJson(m), {}};
}
ReplayedRow OnPostRow(sqlite3_stmt* st) {
    const OnPostDays d = ReadOnPost(st);
    return {OnPostKey(d.member_id, d.year, d.month), OnPostJson(d), {}};
}
// A visit; the photo's stored size must be what the record says ("photo").
ReplayedRow VisitRow(sqlite3_stmt* st) {
    const Visit v = ReadVisit(st);
    ReplayedRow row{v.client_id, VisitToJson(v), {}};
    const int64_t stored = sqlite3_column_type(st, 17) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, 17);
    if (stored != v.photo_bytes || (v.photo == PhotoType::kNone) != (stored == 0)) row.derived.emplace_back("photo");
    return row;
}
ReplayedRow PlaceRow(sqlite3_stmt* st) {
    const HouseholdPlace p = ReadHouseholdPlace(st);
    return {p.household_code, HouseholdPlaceJson(p), {}};
}

ReplayedRow FundSourceRow(sqlite3_stmt* st) {
    const FundSource f{Text(st, 0), Text(st, 1), sqlite3_column_int(st, 2) != 0};
    return {f.code, FundSourceJson(f), {}};
}
ReplayedRow AllocationRow(sqlite3_stmt* st) {
    const Allocation a = ReadFundAllocation(st, nullptr);
    return {std::to_string(a.id), FundAllocationJson(a), {}};
}
ReplayedRow FundProjectRow(sqlite3_stmt* st) {
    const FundProject p = ReadFundProject(st, nullptr);
    return {std::to_string(p.id), FundProjectJson(p), {}};
}
ReplayedRow PayeeRow(sqlite3_stmt* st) {
    const std::string kind = Text(st, 1);
    const Payee y{sqlite3_column_int64(st, 0), kind == "beneficiary" ? PayeeKind::kBeneficiary : PayeeKind::kContractor,
                  Text(st, 2)};
    ReplayedRow row{std::to_string(y.id), FundPayeeJson(y), {}};
    if (kind != "beneficiary" && kind != "contractor") row.derived.emplace_back("kind");
    return row;
}
ReplayedRow HouseholdEventRow(sqlite3_stmt* st) {
    return ReplayedRow{std::to_string(sqlite3_column_int64(st, 0)), HouseholdEventLogJson(st), {}};
}
// An issued report: its logged state, and the stored document must still hash to its hash.
ReplayedRow IssuedReportRow(sqlite3_stmt* st) {
    const IssuedReport r = ReadIssuedReport(st);
    ReplayedRow row{std::to_string(r.id), IssuedReportJson(r), {}};
    if (HexBlake2b(r.document_json) != r.hash) row.derived.emplace_back("document_json");
    return row;
}
ReplayedRow FundEntryRow(sqlite3_stmt* st) {
    const StoredFundEntry e = ReadFundEntry(st);
    ReplayedRow row{std::to_string(e.entry.id), {}, {}};
    FundEntryJsonInto(e.entry, row.state);
    return row;
}

// The elements of a "fund_entries" row's array (each written by FundEntryJsonInto, so its first
// member is "id"), each passed to `each(id, element)`. Strings are skipped whole (a brace inside a
// document reference does not split).
template <class F>
void EachLoggedFundEntry(std::string_view array, F&& each) {
    int depth = 0;
    bool in_string = false, escaped = false;
    size_t start = 0;
    for (size_t i = 0; i < array.size(); ++i) {
        const char c = array[i];
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') in_string = true;
        else if (c == '{') {
            if (depth++ == 0) start = i;
        } else if (c == '}' && --depth == 0) {
            const std::string_view element = array.substr(start, i - start + 1);
            constexpr std::string_view kPrefix = "{\"id\":";
            if (element.starts_with(kPrefix)) {
                const std::string_view rest = element.substr(kPrefix.size());
                each(std::string(rest.substr(0, rest.find_first_not_of("0123456789"))), element);
            }
        }
    }
}

}  // namespace

// --- audit verify's replay: the last logged state of every entity against its row ----------
struct SqliteStore::Latest {
    int64_t seq = 0;
    bool deleted = false;
    StateDigest digest{};
    bool seen = false;  // a row was found for it
};
struct SqliteStore::LoggedStates {
    std::unordered_map<std::string, Latest> household, procedure_case, evaluation, population, adjustment;
    std::unordered_map<std::string, Latest> assistance_item, income, coverage;
    std::unordered_map<std::string, Latest> cadre, pairing, team_member, on_post, visit, household_place;
    std::unordered_map<std::string, Latest> fund_source, allocation, fund_project, payee, fund_entry;
    std::unordered_map<std::string, Latest> household_event;
    std::unordered_map<std::string, Latest> issued_report;
    std::unordered_map<std::string, Latest> account;  // digest unused: accounts compare by field
    std::string plan_key;                             // the last plan loaded
    Latest plan;

    void Record(const ChainEntry& e) {
        std::unordered_map<std::string, Latest>* map = nullptr;
        if (e.entity == "household") map = &household;
        else if (e.entity == "procedure_case") map = &procedure_case;
        else if (e.entity == "evaluation") map = &evaluation;
        else if (e.entity == "population") map = &population;
        else if (e.entity == "adjustment") map = &adjustment;
        else if (e.entity == "account") map = &account;
        else if (e.entity == "assistance_item") map = &assistance_item;
        else if (e.entity == "income") map = &income;
        else if (e.entity == "coverage") map = &coverage;
        else if (e.entity == "cadre") map = &cadre;
        else if (e.entity == "pairing") map = &pairing;
        else if (e.entity == "team_member") map = &team_member;
        else if (e.entity == "on_post") map = &on_post;
        else if (e.entity == "visit") map = &visit;
        else if (e.entity == "household_place") map = &household_place;
        else if (e.entity == "fund_source") map = &fund_source;
        else if (e.entity == "allocation") map = &allocation;
        else if (e.entity == "fund_project") map = &fund_project;
        else if (e.entity == "payee") map = &payee;
        else if (e.entity == "household_event") map = &household_event;
        else if (e.entity == "issued_report") map = &issued_report;
        else if (e.entity == "fund_entries") {  // a batch: one state per entry
            if (e.action != "insert") return;
            EachLoggedFundEntry(e.after_json.value_or(""), [&](std::string id, std::string_view element) {
                fund_entry[std::move(id)] = Latest{e.seq, false, DigestOf(element), false};
            });
            return;
        }
        else if (e.entity == "plan") {
            plan_key = std::string(e.entity_key);
            plan = Latest{e.seq, false, DigestOf(e.after_json.value_or("")), false};
            return;
        }
        if (!map) return;  // org units (logged as a count), imports
        // Login events name an account but change no state the log records.
        if (e.action != "insert" && e.action != "update" && e.action != "delete") return;
        Latest& l = (*map)[std::string(e.entity_key)];
        l.seq = e.seq;
        // A deleted assistance item keeps its row: the entry's after-state is the tombstone.
        l.deleted = e.action == "delete" && map != &assistance_item;
        l.digest = DigestOf(e.after_json.value_or(""));
    }
};

// A table replayed row by row (ReplayTable): the entity's rows, read by `read`, against `logged`.
struct SqliteStore::ReplayedTable {
    const char* entity;
    const char* sql;
    std::unordered_map<std::string, Latest> LoggedStates::*logged;
    ReplayedRow (*read)(sqlite3_stmt*);
};

Result<ChainVerification> SqliteStore::Verify(const VerifyOptions& options) {
    sqlite3_stmt* raw = nullptr;
    constexpr const char* kSql =
        "SELECT seq, at, actor, county_code, entity, entity_key, action, before_json, after_json, "
        "import_id, hash"
        " FROM change_log ORDER BY seq";
    // One read transaction: the chain and the rows are compared as of the same moment.
    const bool own_read = !in_tx_;
    if (own_read)
        if (auto r = Exec("BEGIN"); !r) return std::unexpected(r.error());
    struct EndRead {
        SqliteStore* self;
        bool active;
        ~EndRead() {
            if (active) self->Exec("COMMIT");
        }
    } end_read{this, own_read};
    if (sqlite3_prepare_v2(db_, kSql, -1, &raw, nullptr) != SQLITE_OK)
        return std::unexpected(LastError("VerifyChangeLog"));
    Stmt st(raw);
    ChainVerification out;
    ChainHash previous{};
    ChainHash anchor{};
    if (options.anchor) {
        out.anchor_found = false;
        if (!ParseHex(options.anchor->hash, anchor))
            return Fail("audit.head", "--head", "链头哈希应为64位十六进制数: " + options.anchor->hash,
                        "the head hash must be 64 hex digits: " + options.anchor->hash);
    }
    LoggedStates states;
    int64_t expected_seq = 1;
    auto text = [&](int i) -> std::optional<std::string_view> {
        const unsigned char* t = sqlite3_column_text(raw, i);
        if (!t) return std::nullopt;
        return std::string_view(reinterpret_cast<const char*>(t),
                                static_cast<size_t>(sqlite3_column_bytes(raw, i)));
    };
    int rc;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
        ChainEntry e;
        e.seq = sqlite3_column_int64(raw, 0);
        e.at = text(1).value_or("");
        e.actor = text(2).value_or("");
        e.county_code = text(3).value_or("");
        e.entity = text(4).value_or("");
        e.entity_key = text(5).value_or("");
        e.action = text(6).value_or("");
        e.before_json = text(7);
        e.after_json = text(8);
        e.import_id = ColOpt<int64_t>(raw, 9);
        ++out.entries;
        if (e.seq != expected_seq) {  // an entry is missing here (removed, or renumbered)
            out.first_bad = expected_seq;
            break;
        }
        const ChainHash h = HashEntry(previous, e);
        const void* stored = sqlite3_column_blob(raw, 10);
        if (!stored || sqlite3_column_bytes(raw, 10) != static_cast<int>(h.size()) ||
            std::memcmp(stored, h.data(), h.size()) != 0) {
            out.first_bad = e.seq;
            break;
        }
        if (options.anchor && (options.anchor->seq == 0 || options.anchor->seq == e.seq) && h == anchor)
            out.anchor_found = true;
        if (options.rows) states.Record(e);
        previous = h;
        out.last_seq = e.seq;
        ++expected_seq;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return std::unexpected(LastError("VerifyChangeLog"));
    out.last_hash = ToHex(previous);
    // The rows are compared only against an intact chain: past a break the log proves nothing.
    if (options.rows && !out.first_bad) {
        if (auto r = ReplayRows(states, out); !r) return std::unexpected(r.error());
        out.rows_checked = true;
    }
    return out;
}

Result<std::string> SqliteStore::LoggedAfter(int64_t seq) {
    auto st = Prepare("SELECT coalesce(after_json, '') FROM change_log WHERE seq=?1");
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    sqlite3_bind_int64(*st, 1, seq);
    if (sqlite3_step(*st) != SQLITE_ROW) return std::unexpected(LastError("LoggedAfter"));
    return Text(*st, 0);
}

// A row in its logged form (`current`) against the entity's last entry.
Result<void> SqliteStore::CompareState(ChainVerification& out, std::unordered_map<std::string, Latest>& logged,
                          const std::string& entity, const std::string& key, const std::string& current) {
    ++out.rows;
    auto it = logged.find(key);
    if (it == logged.end()) {
        AddMismatch(out, "audit.row_unlogged", entity, key, 0, {});
        return {};
    }
    Latest& l = it->second;
    l.seen = true;
    if (l.deleted) {
        AddMismatch(out, "audit.row_mismatch", entity, key, l.seq, {"(deleted)"});
        return {};
    }
    if (DigestOf(current) == l.digest) return {};
    auto after = LoggedAfter(l.seq);
    if (!after) return std::unexpected(after.error());
    if (entity == "fund_entry") {  // logged in its batch's array: its own element
        std::string element;
        EachLoggedFundEntry(*after, [&](const std::string& id, std::string_view e) {
            if (id == key) element = std::string(e);
        });
        *after = std::move(element);
    }
    auto fields = DiffJsonFields(*after, current);
    if (fields.empty()) fields.emplace_back("(text)");  // same content, written differently
    AddMismatch(out, "audit.row_mismatch", entity, key, l.seq, std::move(fields));
    return {};
}

// Runs `sql` and calls row(stmt) for each row.
Result<void> SqliteStore::EachRow(const char* sql, const std::function<Result<void>(sqlite3_stmt*)>& row) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &raw, nullptr) != SQLITE_OK) return std::unexpected(LastError(sql));
    Stmt st(raw);
    int rc;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW)
        if (auto r = row(raw); !r) return r;
    if (rc != SQLITE_DONE) return std::unexpected(LastError(sql));
    return {};
}

// Rows of a table logged whole, in the table's order: derived columns first, then the state.
Result<void> SqliteStore::ReplayTable(const ReplayedTable& table, LoggedStates& logged, ChainVerification& out) {
    return EachRow(table.sql, [&](sqlite3_stmt* st) -> Result<void> {
        ReplayedRow row = table.read(st);
        if (!row.derived.empty())
            AddMismatch(out, "audit.row_derived", table.entity, row.key, 0, std::move(row.derived));
        return CompareState(out, logged.*table.logged, table.entity, row.key, row.state);
    });
}

Result<void> SqliteStore::ReplayRows(LoggedStates& logged, ChainVerification& out) {
    static const ReplayedTable kTables[] = {
        {"procedure_case",
         "SELECT id, kind, household_code, division_code, year, state, open, body_json FROM procedure_case"
         " ORDER BY id",
         &LoggedStates::procedure_case, CaseRow},
        {"evaluation", "SELECT id, year, division_code, body_json FROM evaluation ORDER BY id",
         &LoggedStates::evaluation, EvaluationRow},
        {"population", "SELECT code, year, rural_population FROM population ORDER BY code, year",
         &LoggedStates::population, PopulationRow},
        {"adjustment",
         "SELECT year, county_code, approved_by, approved_at, approved_on, notes, summary_json"
         " FROM adjustment_approval ORDER BY year",
         &LoggedStates::adjustment, AdjustmentRow},
        {"assistance_item",
         "SELECT item_code, household_code, division_code, version, deleted, measure, category, kind,"
         " start_date, end_date, signed_on, amount, member_keys, natural_hash, body_json FROM assistance_item"
         " ORDER BY item_code",
         &LoggedStates::assistance_item, AssistanceRow},
        {"income", "SELECT household_code, year, body_json FROM income ORDER BY household_code, year",
         &LoggedStates::income, IncomeRow},
        {"coverage", "SELECT id_number, year, household_code, body_json, flags FROM coverage ORDER BY id_number, year",
         &LoggedStates::coverage, CoverageRow},
        {"cadre", "SELECT " JZ_CADRE_COLUMNS " FROM cadre ORDER BY id", &LoggedStates::cadre, CadreRow},
        {"pairing", "SELECT " JZ_PAIRING_COLUMNS " FROM pairing ORDER BY id", &LoggedStates::pairing, PairingRow},
        {"team_member", "SELECT " JZ_TEAM_MEMBER_COLUMNS " FROM team_member ORDER BY id", &LoggedStates::team_member,
         TeamMemberRow},
        {"on_post", "SELECT " JZ_ON_POST_COLUMNS " FROM on_post ORDER BY member_id, year, month",
         &LoggedStates::on_post, OnPostRow},
        {"visit",
         "SELECT " JZ_VISIT_COLUMNS ", (SELECT length(bytes) FROM visit_photo WHERE visit_id = visit.id)"
         " FROM visit ORDER BY id",
         &LoggedStates::visit, VisitRow},
        {"household_place", "SELECT " JZ_PLACE_COLUMNS " FROM household_place ORDER BY household_code",
         &LoggedStates::household_place, PlaceRow},
        {"fund_source", "SELECT code, name, special_poverty FROM fund_source ORDER BY code", &LoggedStates::fund_source,
         FundSourceRow},
        {"allocation", "SELECT " JZ_ALLOCATION_COLUMNS " FROM allocation ORDER BY id", &LoggedStates::allocation,
         AllocationRow},
        {"fund_project", "SELECT " JZ_FUND_PROJECT_COLUMNS " FROM fund_project ORDER BY id",
         &LoggedStates::fund_project, FundProjectRow},
        {"payee", "SELECT id, kind, name FROM payee ORDER BY id", &LoggedStates::payee, PayeeRow},
        {"fund_entry", "SELECT " JZ_FUND_ENTRY_COLUMNS " FROM fund_entry ORDER BY id", &LoggedStates::fund_entry,
         FundEntryRow},
        {"household_event", "SELECT " JZ_HOUSEHOLD_EVENT_COLUMNS " FROM household_event ORDER BY seq",
         &LoggedStates::household_event, HouseholdEventRow},
        {"issued_report", "SELECT " JZ_ISSUED_REPORT_COLUMNS " FROM issued_reports ORDER BY id",
         &LoggedStates::issued_report, IssuedReportRow},
    };
    if (auto r = ReplayHouseholds(logged, out); !r) return r;
    for (const ReplayedTable& table : kTables)
        if (auto r = ReplayTable(table, logged, out); !r) return r;
    if (auto r = ReplayAccounts(logged, out); !r) return r;
    if (auto r = ReplayPlan(logged, out); !r) return r;
    // The kept balances (derived, not logged) must be what the entries add up to.
    if (auto r = EachRow(
            "SELECT account FROM (SELECT account, sum(v) AS s FROM (SELECT to_account AS account, amount_fen AS v"
            " FROM fund_entry UNION ALL SELECT from_account, -amount_fen FROM fund_entry"
            " UNION ALL SELECT account, -balance_fen FROM fund_balance) GROUP BY account) WHERE s <> 0 ORDER BY account",
            [&](sqlite3_stmt* st) -> Result<void> {
                AddMismatch(out, "audit.row_derived", "fund_balance", Text(st, 0), 0, {"balance_fen"});
                return {};
            });
        !r)
        return r;
    // The kept visit summaries (derived, not logged) must be what the visits say: a household's last
    // visit and number of visits, and no visited household without one.
    if (auto r = EachRow(
            "SELECT s.household_code, v.n IS NULL OR v.last <> s.last_visit, v.n IS NULL OR v.n <> s.visits"
            " FROM visit_summary s LEFT JOIN (SELECT household_code, max(visit_date) AS last, count(*) AS n"
            " FROM visit GROUP BY household_code) v ON v.household_code = s.household_code"
            " WHERE v.n IS NULL OR v.last <> s.last_visit OR v.n <> s.visits"
            " UNION ALL SELECT household_code, 1, 1 FROM visit"
            " WHERE household_code NOT IN (SELECT household_code FROM visit_summary) GROUP BY household_code"
            " ORDER BY 1",
            [&](sqlite3_stmt* st) -> Result<void> {
                std::vector<std::string> fields;
                if (sqlite3_column_int(st, 1)) fields.emplace_back("last_visit");
                if (sqlite3_column_int(st, 2)) fields.emplace_back("visits");
                AddMismatch(out, "audit.row_derived", "visit_summary", Text(st, 0), 0, std::move(fields));
                return {};
            });
        !r)
        return r;
    // Entities the log says exist and whose row is gone.
    const std::pair<const char*, std::unordered_map<std::string, Latest>*> all[] = {
        {"household", &logged.household},     {"procedure_case", &logged.procedure_case},
        {"evaluation", &logged.evaluation},   {"population", &logged.population},
        {"adjustment", &logged.adjustment},   {"account", &logged.account},
        {"assistance_item", &logged.assistance_item}, {"income", &logged.income},
        {"coverage", &logged.coverage},       {"cadre", &logged.cadre},
        {"pairing", &logged.pairing},         {"team_member", &logged.team_member},
        {"on_post", &logged.on_post},         {"visit", &logged.visit},
        {"household_place", &logged.household_place}, {"fund_source", &logged.fund_source},
        {"allocation", &logged.allocation},   {"fund_project", &logged.fund_project},
        {"payee", &logged.payee},             {"fund_entry", &logged.fund_entry},
        {"issued_report", &logged.issued_report}};
    for (const auto& [entity, map] : all) {
        std::vector<std::pair<int64_t, std::string>> missing;
        for (const auto& [key, l] : *map)
            if (!l.seen && !l.deleted) missing.emplace_back(l.seq, key);
        std::ranges::sort(missing);
        for (auto& [seq, key] : missing) AddMismatch(out, "audit.row_missing", entity, key, seq, {});
    }
    return {};
}


// Accounts are logged without the password hash: compare what the log says (role, scope,
// disabled, whether a password is set, and the hash's digest where the entry carries one).
Result<void> SqliteStore::ReplayAccounts(LoggedStates& logged, ChainVerification& out) {
    return EachRow("SELECT id, username, password_hash, role, scope, disabled, failed_logins, locked_until,"
                " created_at FROM account ORDER BY username",
                [&](sqlite3_stmt* st) -> Result<void> {
                    const Account a = ReadAccount(st);
                    ++out.rows;
                    auto it = logged.account.find(a.username);
                    if (it == logged.account.end()) {
                        AddMismatch(out, "audit.row_unlogged", "account", a.username, 0, {});
                        return {};
                    }
                    it->second.seen = true;
                    auto after = LoggedAfter(it->second.seq);
                    if (!after) return std::unexpected(after.error());
                    boost::system::error_code ec;
                    boost::json::value v = boost::json::parse(*after, ec);
                    std::vector<std::string> fields;
                    if (ec || !v.is_object()) {
                        fields.emplace_back("value");
                    } else {
                        const boost::json::object& o = v.get_object();
                        boost::json::object current = boost::json::parse(AccountJson(a)).as_object();
                        for (const char* k : {"username", "role", "scope", "disabled", "password_set",
                                              "password_digest"}) {
                            const boost::json::value* x = o.if_contains(k);
                            if (!x && std::string_view(k) == "password_digest") continue;  // older entries
                            if (!x || *x != current[k]) fields.emplace_back(k);
                        }
                    }
                    if (it->second.deleted) fields = {"(deleted)"};
                    if (!fields.empty())
                        AddMismatch(out, "audit.row_mismatch", "account", a.username, it->second.seq,
                                    std::move(fields));
                    return {};
                });
}

// The plan: one row at most, against the last plan loaded.
Result<void> SqliteStore::ReplayPlan(LoggedStates& logged, ChainVerification& out) {
    bool plan_row = false;
    auto r = EachRow("SELECT plan_id, toml FROM plan", [&](sqlite3_stmt* st) -> Result<void> {
        ++out.rows;
        plan_row = true;
        const std::string key = Text(st, 0);
        if (logged.plan.seq == 0) {
            AddMismatch(out, "audit.row_unlogged", "plan", key, 0, {});
        } else if (key != logged.plan_key) {
            AddMismatch(out, "audit.row_mismatch", "plan", key, logged.plan.seq, {"plan_id"});
        } else if (DigestOf(Text(st, 1)) != logged.plan.digest) {
            AddMismatch(out, "audit.row_mismatch", "plan", key, logged.plan.seq, {"toml"});
        }
        return {};
    });
    if (!r) return r;
    if (!plan_row && logged.plan.seq != 0)
        AddMismatch(out, "audit.row_missing", "plan", logged.plan_key, logged.plan.seq, {});
    return {};
}

// Households in storage order with their members, as the log writes them (HouseholdToJson), and
// the columns kept beside them (county, the report facts) against what the household implies.
Result<void> SqliteStore::ReplayHouseholds(LoggedStates& logged, ChainVerification& out) {
    static const std::string household_sql =
        std::string("SELECT ") + kHouseholdColumns +
        ", h.county_code, h.persons, h.students, h.ill, h.migrant_workers, h.able_birth_dates,"
        " h.out_of_school_birth_dates FROM household h ORDER BY h.id";
    static const std::string person_sql = std::string("SELECT p.household_id, ") + kPersonColumns +
                                          ", p.county_code FROM person p ORDER BY p.household_id, p.ordinal";
    sqlite3_stmt* hraw = nullptr;
    sqlite3_stmt* praw = nullptr;
    if (sqlite3_prepare_v2(db_, household_sql.c_str(), -1, &hraw, nullptr) != SQLITE_OK)
        return std::unexpected(LastError("ReplayHouseholds"));
    Stmt hst(hraw);
    if (sqlite3_prepare_v2(db_, person_sql.c_str(), -1, &praw, nullptr) != SQLITE_OK)
        return std::unexpected(LastError("ReplayHouseholds"));
    Stmt pst(praw);
    HouseholdRecord rec;
    std::vector<Person>& members = rec.household.members;
    std::string dates, column;
    const int person_county = sqlite3_column_count(praw) - 1;  // the last column, after kPersonColumns
    int prc = sqlite3_step(praw);
    int hrc;
    while ((hrc = sqlite3_step(hraw)) == SQLITE_ROW) {
        ReadHouseholdInto(hraw, rec, false);
        const Household& h = rec.household;
        while (prc == SQLITE_ROW && sqlite3_column_int64(praw, 0) < rec.id) prc = sqlite3_step(praw);
        std::vector<std::string> derived;
        const std::string county = h.county_code();
        size_t n = 0;
        while (prc == SQLITE_ROW && sqlite3_column_int64(praw, 0) == rec.id) {
            if (n == members.size()) members.emplace_back();
            ReadPersonInto(praw, 1, members[n], false);
            if (Text(praw, person_county) != county) derived.push_back("members[" + std::to_string(n) + "].county_code");
            ++n;
            prc = sqlite3_step(praw);
        }
        if (prc != SQLITE_ROW && prc != SQLITE_DONE) return std::unexpected(LastError("ReplayHouseholds"));
        members.resize(n);
        if (Text(hraw, 21) != county) derived.emplace_back("county_code");
        const HouseholdFacts facts = FactsOf(h);
        if (sqlite3_column_int(hraw, 22) != facts.persons) derived.emplace_back("persons");
        if (sqlite3_column_int(hraw, 23) != facts.students) derived.emplace_back("students");
        if (sqlite3_column_int(hraw, 24) != facts.ill) derived.emplace_back("ill");
        if (sqlite3_column_int(hraw, 25) != facts.migrant_workers) derived.emplace_back("migrant_workers");
        JoinDatesInto(facts.able_birth_dates, dates);
        if (Text(hraw, 26) != dates) derived.emplace_back("able_birth_dates");
        JoinDatesInto(facts.out_of_school_birth_dates, dates);
        if (Text(hraw, 27) != dates) derived.emplace_back("out_of_school_birth_dates");
        if (!derived.empty())
            AddMismatch(out, "audit.row_derived", "household", h.household_code, 0, std::move(derived));
        if (auto r = CompareState(out, logged.household, "household", h.household_code, HouseholdToJson(h)); !r)
            return r;
    }
    if (hrc != SQLITE_DONE) return std::unexpected(LastError("ReplayHouseholds"));
    return {};
}

Result<std::vector<std::string>> SqliteStore::CheckIntegrity() {
    std::vector<std::string> problems;
    auto collect = [&](const char* sql, bool skip_ok) -> Result<void> {
        sqlite3_stmt* raw = nullptr;
        if (sqlite3_prepare_v2(db_, sql, -1, &raw, nullptr) != SQLITE_OK)
            return std::unexpected(LastError(sql));
        Stmt st(raw);
        int rc;
        while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
            std::string line;
            for (int i = 0; i < sqlite3_column_count(raw); ++i) {
                if (i) line += ' ';
                line += Text(raw, i);
            }
            if (!(skip_ok && line == "ok")) problems.push_back((skip_ok ? "" : "foreign key: ") + line);
        }
        if (rc != SQLITE_DONE) return std::unexpected(LastError(sql));
        return {};
    };
    if (auto r = collect("PRAGMA integrity_check", true); !r) return std::unexpected(r.error());
    if (auto r = collect("PRAGMA foreign_key_check", false); !r) return std::unexpected(r.error());
    return problems;
}

}  // namespace jz::sqlite_internal
