// Household events (migration 010): the dated changes of households that figures as of a past day
// undo (core/as_of.h), and the households corrected since a time.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <set>

#include "store/sqlite_internal.h"

namespace jz::sqlite_internal {
namespace {

constexpr const char* kInsertEvent =
    "INSERT INTO household_event (household_code, division_code, effective_on, kind, case_id, before_status,"
    " after_status, before_exit_year, after_exit_year, before_json, after_json, log_seq)"
    " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)";
constexpr const char* kEventBySeq = "SELECT " JZ_HOUSEHOLD_EVENT_COLUMNS " FROM household_event WHERE seq=?1";
// Two statements so that a day's query reads the effective_on index (an OR with NULL would not; and
// without statistics the planner prefers the table in seq order to save the sort: INDEXED BY).
constexpr const char* kListEventsAfter =
    "SELECT " JZ_HOUSEHOLD_EVENT_COLUMNS " FROM household_event INDEXED BY household_event_effective"
    " WHERE effective_on > ?1 AND substr(division_code, 1, length(?2)) = ?2"
    " AND (?3 IS NULL OR household_code = ?3) ORDER BY seq";
constexpr const char* kListEvents =
    "SELECT " JZ_HOUSEHOLD_EVENT_COLUMNS " FROM household_event"
    " WHERE substr(division_code, 1, length(?2)) = ?2 AND (?3 IS NULL OR household_code = ?3) ORDER BY seq";
constexpr const char* kLastSeq = "SELECT coalesce(max(seq), 0) FROM change_log";
constexpr const char* kAtOf = "SELECT at FROM change_log WHERE seq >= ?1 ORDER BY seq LIMIT 1";
constexpr const char* kCorrected =
    "SELECT DISTINCT c.entity_key FROM change_log c WHERE c.seq >= ?1 AND c.entity = 'household'"
    " AND c.action = 'update' AND c.at >= ?2"
    " AND NOT EXISTS (SELECT 1 FROM household_event e WHERE e.log_seq = c.seq)"
    " AND EXISTS (SELECT 1 FROM household h WHERE h.household_code = c.entity_key"
    " AND substr(h.division_code, 1, length(?3)) = ?3) ORDER BY 1";

void BindOptInt(sqlite3_stmt* st, int i, const std::optional<int>& v) {
    if (v)
        sqlite3_bind_int64(st, i, *v);
    else
        sqlite3_bind_null(st, i);
}

std::optional<int> OptInt(sqlite3_stmt* st, int i) {
    if (sqlite3_column_type(st, i) == SQLITE_NULL) return std::nullopt;
    return static_cast<int>(sqlite3_column_int64(st, i));
}

std::optional<std::string> OptText(sqlite3_stmt* st, int i) {
    if (sqlite3_column_type(st, i) == SQLITE_NULL) return std::nullopt;
    return Text(st, i);
}

}  // namespace

std::string HouseholdEventLogJson(sqlite3_stmt* st) {
    std::string out;
    json_writer::JsonWriter w(out);
    w.Open('{');
    w.Key("seq"), w.Int(sqlite3_column_int64(st, 0));
    w.Key("household_code"), w.String(Text(st, 1));
    w.Key("division_code"), w.String(Text(st, 2));
    w.Key("effective_on"), w.String(IntDate(sqlite3_column_int64(st, 3)).ToString());
    w.Key("kind"), w.String(Text(st, 4));
    w.Key("case_id"), w.Int(sqlite3_column_int64(st, 5));
    w.Field("before_status", OptInt(st, 6));
    w.Field("after_status", OptInt(st, 7));
    w.Field("before_exit_year", OptInt(st, 8));
    w.Field("after_exit_year", OptInt(st, 9));
    if (auto before = OptText(st, 10)) w.Key("before"), w.String(*before);
    if (auto after = OptText(st, 11)) w.Key("after"), w.String(*after);
    w.Key("log_seq"), w.Int(sqlite3_column_int64(st, 12));
    w.Close('}');
    return out;
}

namespace {
Result<HouseholdEvent> ReadEvent(sqlite3_stmt* st) {
    HouseholdEvent e;
    e.seq = sqlite3_column_int64(st, 0);
    e.household_code = Text(st, 1);
    e.division_code = Text(st, 2);
    e.effective_on = IntDate(sqlite3_column_int64(st, 3));
    e.kind = Text(st, 4);
    e.case_id = sqlite3_column_int64(st, 5);
    e.before_status = OptInt(st, 6);
    e.after_status = OptInt(st, 7);
    e.before_exit_year = OptInt(st, 8);
    e.after_exit_year = OptInt(st, 9);
    for (auto [column, target] : {std::pair{10, &e.before}, std::pair{11, &e.after}}) {
        if (sqlite3_column_type(st, column) == SQLITE_NULL) continue;
        auto h = HouseholdFromJson(Text(st, column));
        if (!h) return std::unexpected(h.error());
        *target = std::move(*h);
    }
    e.log_seq = sqlite3_column_int64(st, 12);
    return e;
}
}  // namespace

Result<int64_t> SqliteStore::RecordHouseholdEvent(const HouseholdEvent& event, const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return std::unexpected(r.error());
    if (event.household_code.empty() || (!event.before_status && !event.after_status))
        return Fail("store.invalid", "household_event", "户事件缺少户编号或状态",
                    "a household event needs a household code and a status before or after");
    auto st = Prepare(kInsertEvent);
    if (!st) return std::unexpected(st.error());
    const std::string before = event.before ? HouseholdToJson(*event.before) : std::string();
    const std::string after = event.after ? HouseholdToJson(*event.after) : std::string();
    BindText(*st, 1, event.household_code);
    BindText(*st, 2, event.division_code);
    sqlite3_bind_int64(*st, 3, DateInt(event.effective_on));
    BindText(*st, 4, event.kind);
    sqlite3_bind_int64(*st, 5, event.case_id);
    BindOptInt(*st, 6, event.before_status);
    BindOptInt(*st, 7, event.after_status);
    BindOptInt(*st, 8, event.before_exit_year);
    BindOptInt(*st, 9, event.after_exit_year);
    if (event.before) BindText(*st, 10, before);
    else sqlite3_bind_null(*st, 10);
    if (event.after) BindText(*st, 11, after);
    else sqlite3_bind_null(*st, 11);
    // The household's own change was the log's last entry (the contract): keep its seq, so that
    // corrections can be told from events.
    sqlite3_bind_int64(*st, 12, event.log_seq ? event.log_seq : chain_seq_);
    if (auto r = StepDone(*st, "RecordHouseholdEvent"); !r) return std::unexpected(r.error());
    const int64_t seq = sqlite3_last_insert_rowid(db_);
    auto row = Prepare(kEventBySeq);
    if (!row) return std::unexpected(row.error());
    ResetOnExit reset{*row};
    sqlite3_bind_int64(*row, 1, seq);
    if (sqlite3_step(*row) != SQLITE_ROW) return std::unexpected(LastError("RecordHouseholdEvent"));
    const std::string json = HouseholdEventLogJson(*row);
    auto county = CountyFor(event.division_code);
    if (!county) return std::unexpected(county.error());
    if (auto r = LogChange(change, *county, "household_event", std::to_string(seq), "insert", "", json); !r)
        return std::unexpected(r.error());
    return seq;
}

Result<std::vector<HouseholdEvent>> SqliteStore::ListHouseholdEvents(const HouseholdEventFilter& filter) {
    auto st = Prepare(filter.after ? kListEventsAfter : kListEvents);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    if (filter.after) sqlite3_bind_int64(*st, 1, DateInt(*filter.after));
    BindText(*st, 2, filter.division_prefix);
    if (filter.household_code) BindText(*st, 3, *filter.household_code);
    else sqlite3_bind_null(*st, 3);
    std::vector<HouseholdEvent> out;
    int rc;
    while ((rc = sqlite3_step(*st)) == SQLITE_ROW) {
        auto e = ReadEvent(*st);
        if (!e) return std::unexpected(e.error());
        out.push_back(std::move(*e));
    }
    if (rc != SQLITE_DONE) return std::unexpected(LastError("ListHouseholdEvents"));
    return out;
}

Result<std::vector<std::string>> SqliteStore::HouseholdsCorrectedSince(const std::string& at,
                                                                      const std::string& division_prefix) {
    // The first entry after `at`, by bisection over the sequence (times grow with it): the scan
    // below then reads only the log's tail.
    auto last = QueryInt(kLastSeq);
    if (!last) return std::unexpected(last.error());
    int64_t lo = 1, hi = *last + 1;  // the answer lies in [lo, hi]
    while (lo < hi) {
        const int64_t mid = lo + (hi - lo) / 2;
        auto st = Prepare(kAtOf);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        sqlite3_bind_int64(*st, 1, mid);
        if (sqlite3_step(*st) == SQLITE_ROW && Text(*st, 0) >= at) hi = mid;
        else lo = mid + 1;
    }
    auto st = Prepare(kCorrected);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    sqlite3_bind_int64(*st, 1, lo);
    BindText(*st, 2, at);
    BindText(*st, 3, division_prefix);
    std::vector<std::string> out;
    int rc;
    while ((rc = sqlite3_step(*st)) == SQLITE_ROW) out.push_back(Text(*st, 0));
    if (rc != SQLITE_DONE) return std::unexpected(LastError("HouseholdsCorrectedSince"));
    return out;
}

Result<void> SqliteStore::RebuildHouseholdEvents() {
    // Logged now (the log's times grow with its sequence), dated by the cases' own days.
    const ChangeContext change = MigrationChange(
        "system:migration-010", std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
    in_tx_ = true;
    if (auto r = LoadChainTail(); !r) {
        in_tx_ = false;
        return r;
    }
    auto rebuilt = RebuildEventsFromCases(change);
    in_tx_ = false;
    return rebuilt;
}

Result<void> SqliteStore::RebuildEventsFromCases(const ChangeContext& change) {
    // Every case that took effect, in the order it did: the household's change-log entries at the
    // effective step's recording time give the states before and after.
    struct Effective {
        ProcedureCase c;
        const ProcedureStep* step = nullptr;
    };
    CaseFilter filter;
    filter.open = false;
    filter.limit = 1 << 30;
    auto cases = ListCases(filter);
    if (!cases) return std::unexpected(cases.error());
    std::vector<Effective> effective;
    for (ProcedureCase& c : *cases) {
        if (c.state != "exited" && c.state != "registered" && c.state != "done") continue;
        Effective e{std::move(c), nullptr};
        for (const ProcedureStep& s : e.c.steps)
            if (s.to_state == e.c.state) e.step = &s;
        if (!e.step && !e.c.steps.empty()) e.step = &e.c.steps.back();
        if (e.step) effective.push_back(std::move(e));
    }
    std::ranges::stable_sort(effective, {}, [](const Effective& e) { return e.step->at; });
    constexpr const char* kEntries =
        "SELECT seq, before_json, after_json FROM change_log WHERE entity = 'household' AND entity_key = ?1"
        " AND at = ?2 ORDER BY seq";
    for (const Effective& e : effective) {
        auto st = Prepare(kEntries);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        BindText(*st, 1, e.c.household_code);
        BindText(*st, 2, e.step->at);
        if (sqlite3_step(*st) != SQLITE_ROW) continue;  // a member change recorded nothing, or the log lacks it
        const int64_t log_seq = sqlite3_column_int64(*st, 0);
        std::optional<Household> before, after;
        for (auto [column, target] : {std::pair{1, &before}, std::pair{2, &after}}) {
            if (sqlite3_column_type(*st, column) == SQLITE_NULL) continue;
            auto h = HouseholdFromJson(Text(*st, column));
            if (!h) return std::unexpected(h.error());
            *target = std::move(*h);
        }
        if (!before && !after) continue;
        HouseholdEvent event = EventOf(before, after);
        event.effective_on = e.step->date;
        event.kind = std::string(ProcedureKindName(e.c.kind));
        event.case_id = e.c.id;
        event.log_seq = log_seq;
        if (auto r = RecordHouseholdEvent(event, change); !r)
            return std::unexpected(r.error());
    }
    return {};
}

}  // namespace jz::sqlite_internal
