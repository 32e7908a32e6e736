// Scans over households: in (division, code) order with members, in storage order, facts only,
// and split into parts read by several threads at once.
#include <algorithm>
#include <atomic>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite_internal.h"

namespace jz::sqlite_internal {
namespace {

// Facts of households (ScanFacts). The whole registry is one plain table scan; a prefix takes the
// division index (far fewer rows for a village or township); the parallel parts take id ranges,
// with the division test on each row ('+' keeps the planner off the index).
#define JZ_FACTS_COLUMNS                                                                               \
    "SELECT id, household_code, division_code, status, planned_exit_year, exit_year, main_measure,"    \
    " aux_measures, persons, students, ill, migrant_workers, able_birth_dates, attribute, main_cause," \
    " other_causes, identified_year, net_income_per_head, dangerous_housing, safe_water,"              \
    " household_electricity, housing_area, out_of_school_birth_dates FROM household"
constexpr const char* kScanFactsAll = JZ_FACTS_COLUMNS;
constexpr const char* kScanFacts = JZ_FACTS_COLUMNS " WHERE division_code >= ?1 AND division_code < ?2";
constexpr const char* kScanFactsRange = JZ_FACTS_COLUMNS
    " WHERE +division_code >= ?1 AND +division_code < ?2 AND id >= ?3 AND id < ?4 ORDER BY id";
#undef JZ_FACTS_COLUMNS

// Households with id in [id_lo, id_hi) on connection `db`.
Result<void> ScanRange(sqlite3* db, const HouseholdFilter& filter, int64_t id_lo, int64_t id_hi,
                              const std::function<bool(const Household&)>& visit) {
    static const std::string household_sql =
        std::string("SELECT ") + kHouseholdColumns +
        " FROM household h WHERE h.division_code >= ?1 AND"
        " h.division_code < ?2 AND h.id >= ?3 AND h.id < ?4 ORDER BY h.id";
    static const std::string person_sql =
        std::string("SELECT p.household_id, ") + kPersonColumns +
        " FROM person p WHERE p.household_id >= ?1 AND p.household_id < ?2"
        " ORDER BY p.household_id, p.ordinal";
    // The same columns with names and ID numbers as NULL: SQLite then never copies them out.
    static const std::string person_facts_sql =
        "SELECT p.household_id, NULL, NULL, p.relation, p.sex, p.birth_date, p.ethnicity, p.education,"
        " p.schooling, p.health, p.labour, p.migrant_work, p.months_worked, p.ethnicity_name FROM person p"
        " WHERE p.household_id >= ?1 AND p.household_id < ?2 ORDER BY p.household_id, p.ordinal";
    auto error = [&] {
        return Error{.code = "store.sqlite", .field = "db", .message_zh = std::string("ScanHouseholds: ") + sqlite3_errmsg(db), .message_en = std::string("ScanHouseholds: ") + sqlite3_errmsg(db)};
    };
    sqlite3_stmt* hraw = nullptr;
    sqlite3_stmt* praw = nullptr;
    if (sqlite3_prepare_v2(db, household_sql.c_str(), -1, &hraw, nullptr) != SQLITE_OK)
        return std::unexpected(error());
    Stmt hst(hraw);
    const std::string& psql = filter.facts_only ? person_facts_sql : person_sql;
    if (sqlite3_prepare_v2(db, psql.c_str(), -1, &praw, nullptr) != SQLITE_OK)
        return std::unexpected(error());
    Stmt pst(praw);
    const std::string lo = filter.division_prefix;
    const std::string hi = filter.division_prefix + "\x7f";
    BindText(hraw, 1, lo);
    BindText(hraw, 2, hi);
    sqlite3_bind_int64(hraw, 3, id_lo);
    sqlite3_bind_int64(hraw, 4, id_hi);
    sqlite3_bind_int64(praw, 1, id_lo);
    sqlite3_bind_int64(praw, 2, id_hi);
    HouseholdRecord rec;
    std::vector<Person>& members = rec.household.members;
    int prc = sqlite3_step(praw);
    int hrc;
    while ((hrc = sqlite3_step(hraw)) == SQLITE_ROW) {
        ReadHouseholdInto(hraw, rec, filter.facts_only);
        while (prc == SQLITE_ROW && sqlite3_column_int64(praw, 0) < rec.id) prc = sqlite3_step(praw);
        size_t n = 0;
        while (prc == SQLITE_ROW && sqlite3_column_int64(praw, 0) == rec.id) {
            if (n == members.size()) members.emplace_back();
            ReadPersonInto(praw, 1, members[n++], filter.facts_only);
            prc = sqlite3_step(praw);
        }
        if (prc != SQLITE_ROW && prc != SQLITE_DONE) return std::unexpected(error());
        members.resize(n);
        if (n > 0 && !visit(rec.household)) return {};
    }
    if (hrc != SQLITE_DONE) return std::unexpected(error());
    return {};
}

// Facts of the households matching `filter` on connection `db`, with ids in [range) when given.
Result<void> ScanFactsRange(sqlite3* db, const HouseholdFilter& filter,
                                   std::optional<std::pair<int64_t, int64_t>> range,
                                   const std::function<bool(const HouseholdFacts&)>& visit) {
    auto error = [&] {
        return Error{.code = "store.sqlite", .field = "db", .message_zh = std::string("ScanFacts: ") + sqlite3_errmsg(db), .message_en = std::string("ScanFacts: ") + sqlite3_errmsg(db)};
    };
    sqlite3_stmt* raw = nullptr;
    const char* sql = range                            ? kScanFactsRange
                      : filter.division_prefix.empty() ? kScanFactsAll
                                                       : kScanFacts;
    std::string text = sql;
    if (!filter.statuses.empty()) {
        std::string in = "status IN (";
        for (size_t i = 0; i < filter.statuses.size(); ++i)
            in += (i ? "," : "") + std::to_string(filter.statuses[i]);
        in += ")";
        const size_t order = text.find(" ORDER BY");
        const std::string clause = (text.find(" WHERE ") == std::string::npos ? " WHERE " : " AND ") + in;
        text.insert(order == std::string::npos ? text.size() : order, clause);
    }
    if (sqlite3_prepare_v2(db, text.c_str(), -1, &raw, nullptr) != SQLITE_OK) return std::unexpected(error());
    Stmt st(raw);
    const std::string lo = filter.division_prefix;
    const std::string hi = filter.division_prefix + "\x7f";
    if (sql != kScanFactsAll) {  // (the status clause adds no parameters)
        BindText(raw, 1, lo);
        BindText(raw, 2, hi);
    }
    if (range) {
        sqlite3_bind_int64(raw, 3, range->first);
        sqlite3_bind_int64(raw, 4, range->second);
    }
    HouseholdFacts f;
    std::vector<int> dates;
    auto read_dates = [&](int column, std::vector<Date>& out) {
        out.clear();
        SplitIntsInto(raw, column, dates);
        for (int d : dates) out.push_back(Date{d / 10000, d / 100 % 100, d % 100});
    };
    int rc;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
        TextInto(raw, 1, f.household_code);
        TextInto(raw, 2, f.division_code);
        f.status = sqlite3_column_int(raw, 3);
        f.planned_exit_year = ColOpt<int>(raw, 4);
        f.exit_year = ColOpt<int>(raw, 5);
        f.main_measure = ColOpt<int>(raw, 6);
        SplitIntsInto(raw, 7, f.aux_measures);
        f.persons = sqlite3_column_int(raw, 8);
        f.students = sqlite3_column_int(raw, 9);
        f.ill = sqlite3_column_int(raw, 10);
        f.migrant_workers = sqlite3_column_int(raw, 11);
        read_dates(12, f.able_birth_dates);
        f.attribute = sqlite3_column_int(raw, 13);
        f.main_cause = sqlite3_column_int(raw, 14);
        SplitIntsInto(raw, 15, f.other_causes);
        f.identified_year = sqlite3_column_int(raw, 16);
        f.net_income_per_head = ColOpt<Fen>(raw, 17);
        f.dangerous_housing = ColOpt<bool>(raw, 18);
        f.safe_water = ColOpt<bool>(raw, 19);
        f.household_electricity = ColOpt<bool>(raw, 20);
        f.housing_area = ColOpt<int64_t>(raw, 21);
        read_dates(22, f.out_of_school_birth_dates);
        if (!visit(f)) return {};
    }
    if (rc != SQLITE_DONE) return std::unexpected(error());
    return {};
}

bool GoOn(std::atomic<bool>& stop, bool go_on) {
    if (!go_on) stop = true;
    return go_on;
}

}  // namespace

Result<void> SqliteStore::ScanHouseholds(const HouseholdFilter& filter,
                            const std::function<bool(const Household&)>& visit) {
    if (filter.any_order) return ScanInStorageOrder(filter, visit);
    // One join in household order, members in their order: a nested-loop scan over the
    // division index and the (household_id, ordinal) key, no query per household. A private
    // statement, because visit() may call back into the store.
    sqlite3_stmt* raw = nullptr;
    // Members are ordered here rather than in SQL: "ORDER BY ..., p.ordinal" makes SQLite sort
    // every household's rows in a temporary B-tree, while its nested loop already reads them
    // in primary-key (household_id, ordinal) order — so the sort below is nearly always a check.
    static const std::string sql = std::string("SELECT ") + kHouseholdColumns + ", " + kPersonColumns +
                                   ", p.ordinal FROM household h JOIN person p ON p.household_id = h.id"
                                   " WHERE h.division_code >= ?1 AND h.division_code < ?2"
                                   " ORDER BY h.division_code, h.household_code";
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK)
        return std::unexpected(LastError("ScanHouseholds"));
    Stmt st(raw);
    const std::string lo = filter.division_prefix;
    const std::string hi = filter.division_prefix + "\x7f";
    BindText(raw, 1, lo);
    BindText(raw, 2, hi);
    int rc;
    // One record reused for every household: its strings and member slots keep their
    // capacity, so a scan allocates almost nothing per household.
    HouseholdRecord rec;
    std::vector<Person>& members = rec.household.members;
    std::vector<std::pair<int64_t, size_t>> ordinals;
    size_t n = 0;
    bool open = false, in_order = true;
    const bool facts_only = filter.facts_only;
    constexpr int kOrdinalColumn = kPersonOffset + kPersonColumnCount;
    auto finish = [&] {
        members.resize(n);
        if (in_order) return;
        std::ranges::sort(ordinals);
        std::vector<Person> sorted;
        sorted.reserve(n);
        for (auto& [ordinal, i] : ordinals) sorted.push_back(std::move(members[i]));
        members = std::move(sorted);
    };
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
        const int64_t id = sqlite3_column_int64(raw, 0);
        if (!open || id != rec.id) {
            if (open) {
                finish();
                if (!visit(rec.household)) return {};
            }
            ReadHouseholdInto(raw, rec, facts_only);
            n = 0;
            ordinals.clear();
            in_order = true;
            open = true;
        }
        const int64_t ordinal = sqlite3_column_int64(raw, kOrdinalColumn);
        if (!ordinals.empty() && ordinal < ordinals.back().first) in_order = false;
        ordinals.emplace_back(ordinal, n);
        if (n == members.size()) members.emplace_back();
        ReadPersonInto(raw, kPersonOffset, members[n++], facts_only);
    }
    if (rc != SQLITE_DONE) return std::unexpected(LastError("ScanHouseholds"));
    if (open) {
        finish();
        visit(rec.household);
    }
    return {};
}

// Households by rowid and persons by their (household_id, ordinal) key are both plain table
// scans; merging them here costs SQLite one decode per stored row and no index lookups.
Result<void> SqliteStore::ScanInStorageOrder(const HouseholdFilter& filter,
                                const std::function<bool(const Household&)>& visit) {
    return ScanRange(db_, filter, std::numeric_limits<int64_t>::min(),
                     std::numeric_limits<int64_t>::max(), visit);
}

Result<void> SqliteStore::ScanHouseholdsParallel(const HouseholdFilter& filter, int parts,
                                    const std::function<bool(int, const Household&)>& visit) {
    return InParts(
        parts,
        [&] { return ScanInStorageOrder(filter, [&](const Household& h) { return visit(0, h); }); },
        [&](sqlite3* db, int part, int64_t from, int64_t to, std::atomic<bool>& stop) {
            return ScanRange(db, filter, from, to, [&](const Household& h) {
                return !stop.load(std::memory_order_relaxed) && GoOn(stop, visit(part, h));
            });
        });
}

Result<void> SqliteStore::ScanFacts(const HouseholdFilter& filter,
                       const std::function<bool(const HouseholdFacts&)>& visit) {
    return ScanFactsRange(db_, filter, std::nullopt, visit);
}

Result<void> SqliteStore::ScanFactsParallel(const HouseholdFilter& filter, int parts,
                               const std::function<bool(int, const HouseholdFacts&)>& visit) {
    return InParts(
        parts, [&] { return ScanFacts(filter, [&](const HouseholdFacts& f) { return visit(0, f); }); },
        [&](sqlite3* db, int part, int64_t from, int64_t to, std::atomic<bool>& stop) {
            return ScanFactsRange(db, filter, std::pair{from, to}, [&](const HouseholdFacts& f) {
                return !stop.load(std::memory_order_relaxed) && GoOn(stop, visit(part, f));
            });
        });
}

// A scan split into up to `parts` ranges of household ids, each on its own read-only connection
// and thread (WAL lets readers run side by side); `serial` instead when one part is enough or a
// transaction is open (the other connections would not see its writes). scan_part(db, part,
// from, to, stop) scans ids in [from, to) and ends early once `stop` is set: when any part's
// visit asks to stop (GoOn) or a part fails, all stop.
Result<void> SqliteStore::InParts(int parts, const std::function<Result<void>()>& serial, const PartScan& scan_part) {
    auto lo = QueryInt("SELECT coalesce(min(id), 0) FROM household");
    auto hi = QueryInt("SELECT coalesce(max(id), 0) + 1 FROM household");
    if (!lo || !hi) return std::unexpected(lo ? hi.error() : lo.error());
    parts = std::clamp(parts, 1, 16);
    if (parts == 1 || in_tx_ || *hi - *lo < 1000) return serial();
    const int64_t step = (*hi - *lo + parts - 1) / parts;
    return OnReadConnections(parts, [&](sqlite3* db, int part, std::atomic<bool>& stop) {
        const int64_t from = *lo + step * part;
        return scan_part(db, part, from, from + step, stop);
    });
}

Result<void> SqliteStore::OnReadConnections(int parts, const ConnectionPart& part_scan) {
    std::vector<std::optional<Error>> failures(static_cast<size_t>(parts));
    std::atomic<bool> stop = false;
    std::vector<std::thread> threads;
    for (int part = 0; part < parts; ++part) {
        threads.emplace_back([&, part] {
            sqlite3* db = nullptr;
            if (sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                                nullptr) != SQLITE_OK) {
                failures[part] =
                    Error{.code = "store.io", .field = "db", .message_zh = "无法打开数据库读取连接", .message_en = "cannot open a read connection"};
                sqlite3_close_v2(db);
                stop = true;
                return;
            }
            sqlite3_busy_timeout(db, 5000);
            sqlite3_exec(db, "PRAGMA cache_size=-32768", nullptr, nullptr, nullptr);
            auto r = part_scan(db, part, stop);
            if (!r) {
                failures[part] = r.error();
                stop = true;
            }
            sqlite3_close_v2(db);
        });
    }
    for (std::thread& t : threads) t.join();
    for (auto& f : failures)
        if (f) return std::unexpected(*f);
    return {};
}

}  // namespace jz::sqlite_internal
