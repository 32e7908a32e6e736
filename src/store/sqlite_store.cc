#include "store/sqlite_store.h"

#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <chrono>
#include <thread>
#include <unordered_map>

#include "store/change_chain.h"
#include "store/procedure_json.h"
#include "store/row_diff.h"
#include "store/sqlite_schema.h"

namespace jz {
namespace {

// --- SQL, named, in one place -------------------------------------------------------------
constexpr const char* kInsertHousehold =
    "INSERT INTO household (county_code, household_code, division_code, attribute, identification_standard,"
    " main_cause, other_causes, identified_year, planned_exit_year, status, exit_year, net_income_per_head,"
    " main_measure, aux_measures, pairing_cadre, phone, dangerous_housing, safe_water, household_electricity,"
    " housing_area, version, updated_at, persons, students, ill, migrant_workers, able_birth_dates,"
    " out_of_school_birth_dates) VALUES "
    "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,1,?21,?23,?24,?25,?26,?27,?28)";
constexpr const char* kUpdateHousehold =
    "UPDATE household SET county_code=?1, division_code=?3, attribute=?4, identification_standard=?5,"
    " main_cause=?6, other_causes=?7, identified_year=?8, planned_exit_year=?9, status=?10, exit_year=?11,"
    " net_income_per_head=?12, main_measure=?13, aux_measures=?14, pairing_cadre=?15, phone=?16,"
    " dangerous_housing=?17, safe_water=?18, household_electricity=?19, housing_area=?20, updated_at=?21,"
    " persons=?23, students=?24, ill=?25, migrant_workers=?26, able_birth_dates=?27,"
    " out_of_school_birth_dates=?28, version=version+1 WHERE household_code=?2 AND version=?22";
// Version-guarded, like the update; the members go with it (ON DELETE CASCADE).
constexpr const char* kDeleteHousehold = "DELETE FROM household WHERE household_code=?1 AND version=?2";
constexpr const char* kInsertPerson =
    "INSERT INTO person (household_id, county_code, ordinal, name, id_number, relation, sex, birth_date,"
    " ethnicity, education, schooling, health, labour, migrant_work, months_worked, ethnicity_name)"
    " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)";
constexpr const char* kDeletePersons = "DELETE FROM person WHERE household_id=?1";
constexpr const char* kHouseholdColumns =
    "h.id, h.version, h.household_code, h.division_code, h.attribute, h.identification_standard, "
    "h.main_cause,"
    " h.other_causes, h.identified_year, h.planned_exit_year, h.status, h.exit_year, h.net_income_per_head,"
    " h.main_measure, h.aux_measures, h.pairing_cadre, h.phone, h.dangerous_housing, h.safe_water,"
    " h.household_electricity, h.housing_area";
#define JZ_PERSON_COLUMNS                                                                                    \
    "p.name, p.id_number, p.relation, p.sex, p.birth_date, p.ethnicity, p.education, p.schooling, p.health," \
    " p.labour, p.migrant_work, p.months_worked, p.ethnicity_name"
constexpr const char* kPersonColumns = JZ_PERSON_COLUMNS;
constexpr int kPersonColumnCount = 13;
constexpr int kPersonOffset = 21;  // person columns follow the 21 household columns in a join
constexpr const char* kSelectPersons =
    "SELECT " JZ_PERSON_COLUMNS " FROM person p WHERE p.household_id=?1 ORDER BY p.ordinal";
#undef JZ_PERSON_COLUMNS
constexpr const char* kFindIdNumber =
    "SELECT h.household_code FROM person p JOIN household h ON h.id = p.household_id WHERE p.id_number=?1 "
    "LIMIT 1";
// Prefix matches as ranges, so the indexes on household_code, person(name) and person(id_number)
// answer them (LIKE would scan).
constexpr const char* kSearchHouseholds =
    "SELECT household_code FROM household WHERE household_code >= ?1 AND household_code < ?2"
    " UNION SELECT h.household_code FROM person p JOIN household h ON h.id = p.household_id"
    "  WHERE p.name >= ?1 AND p.name < ?2"
    " UNION SELECT h.household_code FROM person p JOIN household h ON h.id = p.household_id"
    "  WHERE p.id_number >= ?3 AND p.id_number < ?4"
    " LIMIT ?5";
constexpr const char* kInsertChange =
    "INSERT INTO change_log (at, actor, county_code, entity, entity_key, action, before_json, after_json, "
    "import_id,"
    " seq, hash) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)";
constexpr const char* kChainTail = "SELECT seq, hash FROM change_log ORDER BY seq DESC LIMIT 1";
constexpr const char* kLastChangeSeq = "SELECT coalesce(max(seq), 0) FROM change_log";
constexpr const char* kSelectSetting = "SELECT value FROM setting WHERE key=?1";

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

// Procedure cases: the whole case in body_json, the columns lists filter on beside it.
constexpr const char* kIsDeregistered =
    "SELECT 1 FROM procedure_case WHERE household_code=?1 AND kind=?2 AND open=0 AND state='done' LIMIT 1";
constexpr const char* kNextCaseId = "SELECT coalesce(max(id), 0) + 1 FROM procedure_case";
constexpr const char* kInsertCase =
    "INSERT INTO procedure_case (id, kind, household_code, division_code, year, state, open, version,"
    " updated_at, body_json) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)";
constexpr const char* kUpdateCase =
    "UPDATE procedure_case SET kind=?2, household_code=?3, division_code=?4, year=?5, state=?6, open=?7,"
    " version=?8, updated_at=?9, body_json=?10 WHERE id=?1 AND version=?11";
constexpr const char* kFindCase = "SELECT id, version, body_json FROM procedure_case WHERE id=?1";

constexpr const char* kFindPopulation = "SELECT rural_population FROM population WHERE code=?1 AND year=?2";
constexpr const char* kPutPopulation =
    "INSERT INTO population (code, year, rural_population) VALUES (?1,?2,?3)"
    " ON CONFLICT(code, year) DO UPDATE SET rural_population=?3";
constexpr const char* kListPopulation =
    "SELECT code, year, rural_population FROM population ORDER BY code, year";

constexpr const char* kNextEvaluationId = "SELECT coalesce(max(id), 0) + 1 FROM evaluation";
constexpr const char* kInsertEvaluation =
    "INSERT INTO evaluation (id, year, division_code, version, body_json) VALUES (?1,?2,?3,?4,?5)";
constexpr const char* kUpdateEvaluation =
    "UPDATE evaluation SET year=?2, division_code=?3, version=?4, body_json=?5 WHERE id=?1 AND version=?6";
constexpr const char* kFindEvaluation = "SELECT id, version, body_json FROM evaluation WHERE id=?1";
constexpr const char* kListEvaluations = "SELECT id, version, body_json FROM evaluation ORDER BY id";

constexpr const char* kInsertAdjustment =
    "INSERT INTO adjustment_approval (year, county_code, approved_by, approved_at, approved_on, notes,"
    " summary_json) VALUES (?1,?2,?3,?4,?5,?6,?7)";
constexpr const char* kFindAdjustment =
    "SELECT year, county_code, approved_by, approved_at, approved_on, notes, summary_json"
    " FROM adjustment_approval WHERE year=?1 AND county_code=?2";

constexpr const char* kInsertAccount =
    "INSERT INTO account (username, password_hash, role, scope, disabled, failed_logins, locked_until,"
    " created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)";
#define JZ_ACCOUNT_COLUMNS \
    "id, username, password_hash, role, scope, disabled, failed_logins, locked_until, created_at"
constexpr const char* kFindAccount = "SELECT " JZ_ACCOUNT_COLUMNS " FROM account WHERE username=?1";
constexpr const char* kFindAccountById = "SELECT " JZ_ACCOUNT_COLUMNS " FROM account WHERE id=?1";
constexpr const char* kListAccounts = "SELECT " JZ_ACCOUNT_COLUMNS " FROM account ORDER BY username";
#undef JZ_ACCOUNT_COLUMNS
// Compare-and-set: changes nothing unless the stored row is still `before`.
constexpr const char* kUpdateAccount =
    "UPDATE account SET role=?2, scope=?3, disabled=?4, password_hash=?5"
    " WHERE id=?1 AND username=?6 AND role=?7 AND scope=?8 AND disabled=?9 AND password_hash=?10";
constexpr const char* kAccountExists = "SELECT 1 FROM account WHERE id=?1";
constexpr const char* kSetLoginState = "UPDATE account SET failed_logins=?2, locked_until=?3 WHERE id=?1";

constexpr const char* kInsertSession =
    "INSERT INTO session (token_hash, account_id, created_at, last_seen_at) VALUES (?1,?2,?3,?4)";
constexpr const char* kFindSession =
    "SELECT token_hash, account_id, created_at, last_seen_at FROM session WHERE token_hash=?1";
constexpr const char* kTouchSession = "UPDATE session SET last_seen_at=?2 WHERE token_hash=?1";
constexpr const char* kDeleteSession = "DELETE FROM session WHERE token_hash=?1";
constexpr const char* kDeleteSessionsOf = "DELETE FROM session WHERE account_id=?1";
constexpr const char* kDeleteIdleSessions = "DELETE FROM session WHERE last_seen_at < ?1";

// The events RecordEvent may write (the change log's CHECK allows these besides the row changes).
constexpr std::string_view kEventActions[] = {"login", "login_failed", "lock", "logout"};

// Resets a cached statement when a single-row lookup returns: a statement left mid-step keeps a
// read transaction open on the connection (stale snapshots, blocked checkpoints and DDL).
struct ResetOnExit {
    sqlite3_stmt* stmt;
    ~ResetOnExit() { sqlite3_reset(stmt); }
};

class Stmt {
  public:
    Stmt() = default;
    explicit Stmt(sqlite3_stmt* s) : s_(s) {}
    Stmt(Stmt&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }
    Stmt& operator=(Stmt&& o) noexcept {
        std::swap(s_, o.s_);
        return *this;
    }
    ~Stmt() { sqlite3_finalize(s_); }
    sqlite3_stmt* get() const { return s_; }

  private:
    sqlite3_stmt* s_ = nullptr;
};

// Dates as YYYYMMDD numbers, comma-separated (the facts columns *_birth_dates).
void JoinDatesInto(const std::vector<Date>& dates, std::string& out) {
    out.clear();
    for (const Date& d : dates) {
        if (!out.empty()) out += ',';
        out += std::to_string(d.year * 10000 + d.month * 100 + d.day);
    }
}

// The county a change-log entry belongs to, from an org-unit code.
std::string CountyOf(const std::string& code) { return code.substr(0, std::min<size_t>(6, code.size())); }

std::string PopulationJson(const PopulationSetting& p) {
    boost::json::object o;
    o["code"] = p.code;
    o["year"] = p.year;
    o["rural_population"] = p.rural_population;
    return boost::json::serialize(o);
}

// An approval as the change log shows it: the summary as JSON when it is JSON, else as text.
std::string AdjustmentJson(const AdjustmentApproval& a) {
    boost::json::object o;
    o["year"] = a.year;
    o["county_code"] = a.county_code;
    o["approved_by"] = a.approved_by;
    o["approved_at"] = a.approved_at;
    o["approved_on"] = a.approved_on.ToString();
    o["notes"] = a.notes;
    boost::system::error_code ec;
    boost::json::value summary = boost::json::parse(a.summary_json, ec);
    if (ec)
        o["summary"] = a.summary_json;
    else
        o["summary"] = std::move(summary);
    return boost::json::serialize(o);
}

std::string JoinInts(const std::vector<int>& v) {
    std::string out;
    for (int x : v) {
        if (!out.empty()) out += ',';
        out += std::to_string(x);
    }
    return out;
}

// An account as the change log shows it: never the password hash, only whether one is set (and,
// for an update, whether it changed).
std::string AccountJson(const Account& a, std::optional<bool> password_changed = std::nullopt) {
    boost::json::object o;
    o["username"] = a.username;
    o["role"] = a.role;
    o["scope"] = a.scope;
    o["disabled"] = a.disabled;
    o["password_set"] = !a.password_hash.empty();
    // A digest of the (salted argon2id) hash, so `audit verify` sees a hash swapped outside the
    // program; it helps no one guess the password (the salt is not in it).
    if (!a.password_hash.empty()) {
        const StateDigest d = DigestOf(a.password_hash);
        static constexpr char kHex[] = "0123456789abcdef";
        std::string hex;
        for (unsigned char b : d) {
            hex += kHex[b >> 4];
            hex += kHex[b & 15];
        }
        o["password_digest"] = hex;
    }
    if (password_changed) o["password_changed"] = *password_changed;
    return boost::json::serialize(o);
}

class SqliteStore final : public Store {
  public:
    SqliteStore(sqlite3* db, std::string path, Synchronous synchronous)
        : db_(db), path_(std::move(path)), synchronous_(synchronous) {}
    ~SqliteStore() override {
        cache_.clear();
        sqlite3_close_v2(db_);
    }

    Result<void> Init(OpenMode mode) {
        // A 64 MiB page cache keeps the ID-number index of a county in memory during bulk imports.
        // synchronous=FULL: in WAL mode every commit syncs the WAL, so a write that was acknowledged
        // survives a power loss (NORMAL syncs only at checkpoints and may lose the last commits).
        // JINGZHUN_SYNCHRONOUS=normal trades that for speed (docs/architecture.md, benchmarks.md).
        const std::string sync = synchronous_ == Synchronous::kNormal ? "NORMAL" : "FULL";
        if (auto r = Exec("PRAGMA foreign_keys=ON; PRAGMA synchronous=" + sync + "; PRAGMA cache_size=-65536;"); !r)
            return r;
        // journal_mode returns a row; a read-only or corrupt file fails here first.
        auto jm = Exec("PRAGMA journal_mode=WAL;");
        if (!jm) return jm;
        auto version = QueryInt("PRAGMA user_version");
        if (!version) return std::unexpected(version.error());
        if (mode == OpenMode::kExisting && *version == 0)
            return Fail("store.missing", "db", "数据库尚未初始化(请先运行 jingzhun init)",
                        "the database has not been initialised (run jingzhun init first)");
        const int latest = static_cast<int>(std::size(sqlite_schema::kMigrations));
        if (*version > latest)
            return Fail("store.too_new", "db", "数据库版本(" + std::to_string(*version) + ")比本程序新",
                        "the database schema (version " + std::to_string(*version) +
                            ") is newer than this program supports");
        for (int v = static_cast<int>(*version); v < latest; ++v) {
            if (auto r = Exec("BEGIN IMMEDIATE"); !r) return r;
            auto r = Exec(std::string(sqlite_schema::kMigrations[v]));
            if (r) r = Exec("PRAGMA user_version=" + std::to_string(v + 1));
            if (!r) {
                Exec("ROLLBACK");
                return r;
            }
            if (auto c = Exec("COMMIT"); !c) return c;
        }
        schema_version_ = latest;
        return {};
    }

    Result<void> Begin() override {
        if (in_tx_) return Fail("store.nested", "", "事务已开始", "a transaction is already open");
        if (auto r = Exec("BEGIN IMMEDIATE"); !r) return r;
        in_tx_ = true;
        // The write lock is ours now: the chain's tail cannot move under us until Commit.
        auto st = Prepare(kChainTail);
        if (!st) {
            Rollback();
            return std::unexpected(st.error());
        }
        chain_seq_ = 0;
        chain_hash_.fill(0);
        if (sqlite3_step(*st) == SQLITE_ROW) {
            chain_seq_ = sqlite3_column_int64(*st, 0);
            const void* blob = sqlite3_column_blob(*st, 1);
            if (blob && sqlite3_column_bytes(*st, 1) == static_cast<int>(chain_hash_.size()))
                std::memcpy(chain_hash_.data(), blob, chain_hash_.size());
        }
        sqlite3_reset(*st);
        return {};
    }
    Result<void> Commit() override {
        if (!in_tx_) return Fail("store.no_transaction", "", "没有进行中的事务", "no transaction is open");
        auto r = Exec("COMMIT");
        if (!r) {
            Exec("ROLLBACK");
        }
        in_tx_ = false;
        return r;
    }
    void Rollback() override {
        if (!in_tx_) return;
        Exec("ROLLBACK");
        in_tx_ = false;
    }

    int schema_version() const override { return schema_version_; }

    Result<std::optional<std::string>> GetSetting(const std::string& key) override {
        auto st = Prepare(kSelectSetting);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        sqlite3_bind_text(*st, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
        int rc = sqlite3_step(*st);
        if (rc == SQLITE_ROW) return std::optional<std::string>(Text(*st, 0));
        if (rc == SQLITE_DONE) return std::optional<std::string>();
        return std::unexpected(LastError("GetSetting"));
    }
    Result<void> PutSetting(const std::string& key, const std::string& value) override {
        if (auto r = RequireTx(); !r) return r;
        auto st = Prepare(
            "INSERT INTO setting(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value=?2");
        if (!st) return std::unexpected(st.error());
        BindText(*st, 1, key);
        BindText(*st, 2, value);
        return StepDone(*st, "PutSetting");
    }

    Result<void> SavePlan(const std::string& plan_id, const std::string& toml_text,
                          const ChangeContext& change) override {
        if (auto r = RequireTx(); !r) return r;
        auto before = LoadPlanText();
        if (!before) return std::unexpected(before.error());
        if (auto r = Exec("DELETE FROM plan"); !r) return r;
        auto st = Prepare("INSERT INTO plan(plan_id, toml, loaded_at) VALUES (?1, ?2, ?3)");
        if (!st) return std::unexpected(st.error());
        BindText(*st, 1, plan_id);
        BindText(*st, 2, toml_text);
        BindText(*st, 3, change.at);
        if (auto r = StepDone(*st, "SavePlan"); !r) return r;
        return LogChange(change, "", "plan", plan_id, "load", before->value_or(""), toml_text);
    }
    Result<std::optional<std::string>> LoadPlanText() override {
        auto st = Prepare("SELECT toml FROM plan LIMIT 1");
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        int rc = sqlite3_step(*st);
        if (rc == SQLITE_ROW) return std::optional<std::string>(Text(*st, 0));
        if (rc == SQLITE_DONE) return std::optional<std::string>();
        return std::unexpected(LastError("LoadPlanText"));
    }

    Result<void> SaveOrgUnits(const OrgTree& tree, const ChangeContext& change) override {
        if (auto r = RequireTx(); !r) return r;
        auto unit = Prepare(
            "INSERT INTO org_unit(code, parent_code, level, county_code) VALUES (?1, ?2, ?3, ?4)"
            " ON CONFLICT(code) DO UPDATE SET parent_code=?2, level=?3, county_code=?4");
        if (!unit) return std::unexpected(unit.error());
        for (const auto& [code, u] : tree.units()) {
            BindText(*unit, 1, u.code);
            if (u.parent_code.empty())
                sqlite3_bind_null(*unit, 2);
            else
                BindText(*unit, 2, u.parent_code);
            const std::string_view level = OrgLevelName(u.level);
            sqlite3_bind_text(*unit, 3, level.data(), static_cast<int>(level.size()), SQLITE_STATIC);
            const std::string county = u.code.substr(0, std::min<size_t>(6, u.code.size()));
            BindText(*unit, 4, county);
            if (auto r = StepDone(*unit, "SaveOrgUnits"); !r) return r;
        }
        auto name = Prepare(
            "INSERT INTO org_unit_name(code, year, name) VALUES (?1, ?2, ?3)"
            " ON CONFLICT(code, year) DO UPDATE SET name=?3");
        if (!name) return std::unexpected(name.error());
        for (const auto& [code, u] : tree.units()) {
            for (const auto& [year, n] : u.names) {
                BindText(*name, 1, u.code);
                sqlite3_bind_int(*name, 2, year);
                BindText(*name, 3, n);
                if (auto r = StepDone(*name, "SaveOrgUnits"); !r) return r;
            }
        }
        return LogChange(change, std::string(tree.root_code()), "org_units", std::string(tree.root_code()),
                         "load", "", std::to_string(tree.units().size()) + " units");
    }
    Result<OrgTree> LoadOrgTree() override {
        OrgTree tree;
        auto st = Prepare(
            "SELECT code, coalesce(parent_code, ''), level FROM org_unit ORDER BY length(code), code");
        if (!st) return std::unexpected(st.error());
        int rc;
        while ((rc = sqlite3_step(*st)) == SQLITE_ROW) {
            OrgUnit u;
            u.code = Text(*st, 0);
            u.parent_code = Text(*st, 1);
            u.level = ParseOrgLevel(Text(*st, 2)).value_or(OrgLevel::kVillage);
            tree.Add(std::move(u));
        }
        if (rc != SQLITE_DONE) return std::unexpected(LastError("LoadOrgTree"));
        auto names = Prepare("SELECT code, year, name FROM org_unit_name ORDER BY code, year");
        if (!names) return std::unexpected(names.error());
        std::map<std::string, std::map<int, std::string>> by_code;
        while ((rc = sqlite3_step(*names)) == SQLITE_ROW)
            by_code[Text(*names, 0)][sqlite3_column_int(*names, 1)] = Text(*names, 2);
        if (rc != SQLITE_DONE) return std::unexpected(LastError("LoadOrgTree"));
        OrgTree out;
        for (const auto& [code, u] : tree.units()) {
            OrgUnit copy = u;
            copy.names = by_code[code];
            out.Add(std::move(copy));
        }
        // Add() takes the last unit without a parent as the root: re-add the root to be sure.
        for (const auto& [code, u] : tree.units())
            if (u.parent_code.empty()) {
                OrgUnit root = *out.Find(code);
                out.Add(std::move(root));
            }
        return out;
    }

    Result<std::optional<HouseholdRecord>> FindHousehold(const std::string& code) override {
        static const std::string sql =
            std::string("SELECT ") + kHouseholdColumns + " FROM household h WHERE h.household_code=?1";
        auto st = Prepare(sql.c_str());
        if (!st) return std::unexpected(st.error());
        BindText(*st, 1, code);
        int rc = sqlite3_step(*st);
        if (rc == SQLITE_DONE) return std::optional<HouseholdRecord>();
        if (rc != SQLITE_ROW) return std::unexpected(LastError("FindHousehold"));
        HouseholdRecord rec;
        ReadHouseholdInto(*st, rec, false);
        sqlite3_reset(*st);
        if (auto r = ReadMembers(rec.id, rec.household); !r) return std::unexpected(r.error());
        return std::optional<HouseholdRecord>(std::move(rec));
    }

    Result<std::optional<std::string>> FindHouseholdOfIdNumber(const std::string& id_number) override {
        auto st = Prepare(kFindIdNumber);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        BindText(*st, 1, id_number);
        int rc = sqlite3_step(*st);
        if (rc == SQLITE_ROW) return std::optional<std::string>(Text(*st, 0));
        if (rc == SQLITE_DONE) return std::optional<std::string>();
        return std::unexpected(LastError("FindHouseholdOfIdNumber"));
    }

    Result<std::vector<std::string>> SearchHouseholds(const std::string& text, int64_t limit) override {
        std::vector<std::string> out;
        if (text.empty()) return out;
        std::string upper = text;
        for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        // 0xFF never occurs in UTF-8, so text + 0xFF bounds everything that starts with text.
        const std::string hi = text + '\xff', upper_hi = upper + '\xff';
        auto st = Prepare(kSearchHouseholds);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        BindText(*st, 1, text);
        BindText(*st, 2, hi);
        BindText(*st, 3, upper);
        BindText(*st, 4, upper_hi);
        sqlite3_bind_int64(*st, 5, limit);
        int rc;
        while ((rc = sqlite3_step(*st)) == SQLITE_ROW) out.push_back(Text(*st, 0));
        if (rc != SQLITE_DONE) return std::unexpected(LastError("SearchHouseholds"));
        return out;
    }

    Result<int64_t> InsertHouseholdLogged(const Household& h, const ChangeContext& change,
                                          const std::string& household_json) override {
        if (auto r = RequireTx(); !r) return std::unexpected(r.error());
        auto gone = IsDeregistered(h.household_code);
        if (!gone) return std::unexpected(gone.error());
        if (*gone)
            return Fail(
                "store.deregistered", "household_code", "户编号" + h.household_code + "已销户,不能再登记",
                "household_code " + h.household_code + " was deregistered and cannot be registered again");
        auto st = Prepare(kInsertHousehold);
        if (!st) return std::unexpected(st.error());
        BindHousehold(*st, h, change.at);
        int rc = sqlite3_step(*st);
        sqlite3_reset(*st);
        if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
            return Fail("store.duplicate", "household_code", "户编号" + h.household_code + "已存在",
                        "household_code " + h.household_code + " already exists");
        if (rc != SQLITE_DONE) return std::unexpected(LastError("InsertHousehold"));
        const int64_t id = sqlite3_last_insert_rowid(db_);
        if (auto r = InsertMembers(id, h); !r) return std::unexpected(r.error());
        if (auto r = LogChange(change, h.county_code(), "household", h.household_code, "insert", "",
                               household_json);
            !r)
            return std::unexpected(r.error());
        return id;
    }

    Result<void> UpdateHousehold(const HouseholdRecord& before, const Household& after,
                                 const ChangeContext& change) override {
        if (auto r = RequireTx(); !r) return r;
        if (before.household.household_code != after.household_code)
            return Fail("store.code_change", "household_code", "不能修改户编号",
                        "the household code cannot change");
        auto st = Prepare(kUpdateHousehold);
        if (!st) return std::unexpected(st.error());
        BindHousehold(*st, after, change.at);
        sqlite3_bind_int64(*st, 22, before.version);
        if (auto r = StepDone(*st, "UpdateHousehold"); !r) return r;
        if (sqlite3_changes(db_) != 1)
            return Fail("store.conflict", "version", "该户已被他人修改",
                        "the household was changed by someone else");
        auto del = Prepare(kDeletePersons);
        if (!del) return std::unexpected(del.error());
        sqlite3_bind_int64(*del, 1, before.id);
        if (auto r = StepDone(*del, "UpdateHousehold"); !r) return r;
        if (auto r = InsertMembers(before.id, after); !r) return r;
        return LogChange(change, after.county_code(), "household", after.household_code, "update",
                         HouseholdToJson(before.household), HouseholdToJson(after));
    }

    Result<void> ScanHouseholds(const HouseholdFilter& filter,
                                const std::function<bool(const Household&)>& visit) override {
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
    Result<void> ScanInStorageOrder(const HouseholdFilter& filter,
                                    const std::function<bool(const Household&)>& visit) {
        return ScanRange(db_, filter, std::numeric_limits<int64_t>::min(),
                         std::numeric_limits<int64_t>::max(), visit);
    }

    // Households with id in [id_lo, id_hi) on connection `db`.
    static Result<void> ScanRange(sqlite3* db, const HouseholdFilter& filter, int64_t id_lo, int64_t id_hi,
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
            return Error{.code = "store.sqlite",
                         .field = "db",
                         .message_zh = std::string("ScanHouseholds: ") + sqlite3_errmsg(db),
                         .message_en = std::string("ScanHouseholds: ") + sqlite3_errmsg(db)};
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
        const int person_county = sqlite3_column_count(praw) - 1;  // the last column, after kPersonColumns
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

    Result<void> ScanHouseholdsParallel(const HouseholdFilter& filter, int parts,
                                        const std::function<bool(int, const Household&)>& visit) override {
        return InParts(
            parts,
            [&] { return ScanInStorageOrder(filter, [&](const Household& h) { return visit(0, h); }); },
            [&](sqlite3* db, int part, int64_t from, int64_t to, std::atomic<bool>& stop) {
                return ScanRange(db, filter, from, to, [&](const Household& h) {
                    return !stop.load(std::memory_order_relaxed) && GoOn(stop, visit(part, h));
                });
            });
    }

    Result<void> ScanFacts(const HouseholdFilter& filter,
                           const std::function<bool(const HouseholdFacts&)>& visit) override {
        return ScanFactsRange(db_, filter, std::nullopt, visit);
    }

    Result<void> ScanFactsParallel(const HouseholdFilter& filter, int parts,
                                   const std::function<bool(int, const HouseholdFacts&)>& visit) override {
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
    using PartScan = std::function<Result<void>(sqlite3*, int, int64_t, int64_t, std::atomic<bool>&)>;
    static bool GoOn(std::atomic<bool>& stop, bool go_on) {
        if (!go_on) stop = true;
        return go_on;
    }
    Result<void> InParts(int parts, const std::function<Result<void>()>& serial, const PartScan& scan_part) {
        auto lo = QueryInt("SELECT coalesce(min(id), 0) FROM household");
        auto hi = QueryInt("SELECT coalesce(max(id), 0) + 1 FROM household");
        if (!lo || !hi) return std::unexpected(lo ? hi.error() : lo.error());
        parts = std::clamp(parts, 1, 16);
        if (parts == 1 || in_tx_ || *hi - *lo < 1000) return serial();
        const int64_t step = (*hi - *lo + parts - 1) / parts;
        std::vector<std::optional<Error>> failures(static_cast<size_t>(parts));
        std::atomic<bool> stop = false;
        std::vector<std::thread> threads;
        for (int part = 0; part < parts; ++part) {
            threads.emplace_back([&, part] {
                sqlite3* db = nullptr;
                if (sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                                    nullptr) != SQLITE_OK) {
                    failures[part] = Error{.code = "store.io",
                                           .field = "db",
                                           .message_zh = "无法打开数据库读取连接",
                                           .message_en = "cannot open a read connection"};
                    sqlite3_close_v2(db);
                    stop = true;
                    return;
                }
                sqlite3_busy_timeout(db, 5000);
                sqlite3_exec(db, "PRAGMA cache_size=-32768", nullptr, nullptr, nullptr);
                const int64_t from = *lo + step * part;
                auto r = scan_part(db, part, from, from + step, stop);
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

    // Facts of the households matching `filter` on connection `db`, with ids in [range) when given.
    static Result<void> ScanFactsRange(sqlite3* db, const HouseholdFilter& filter,
                                       std::optional<std::pair<int64_t, int64_t>> range,
                                       const std::function<bool(const HouseholdFacts&)>& visit) {
        auto error = [&] {
            return Error{.code = "store.sqlite",
                         .field = "db",
                         .message_zh = std::string("ScanFacts: ") + sqlite3_errmsg(db),
                         .message_en = std::string("ScanFacts: ") + sqlite3_errmsg(db)};
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

    Result<ChainVerification> Verify(const VerifyOptions& options) override {
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

    Result<ChainHead> Head() override {
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

    Result<std::vector<std::string>> CheckIntegrity() override {
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

    Result<int64_t> CountHouseholds() override { return QueryInt("SELECT count(*) FROM household"); }
    Result<int64_t> CountPersons() override { return QueryInt("SELECT count(*) FROM person"); }

    Result<void> BeginBulkLoad() override {
        if (auto r = RequireTx(); !r) return r;
        return Exec(std::string(sqlite_schema::kBulkIndexesDrop));
    }
    Result<void> EndBulkLoad() override {
        if (auto r = RequireTx(); !r) return r;
        return Exec(std::string(sqlite_schema::kBulkIndexesCreate));
    }

    Result<int64_t> BeginImport(const std::string& file_name, const ChangeContext& change) override {
        if (auto r = RequireTx(); !r) return std::unexpected(r.error());
        auto st = Prepare("INSERT INTO import(started_at, actor, file_name) VALUES (?1, ?2, ?3)");
        if (!st) return std::unexpected(st.error());
        BindText(*st, 1, change.at);
        BindText(*st, 2, change.actor);
        BindText(*st, 3, file_name);
        if (auto r = StepDone(*st, "BeginImport"); !r) return std::unexpected(r.error());
        return sqlite3_last_insert_rowid(db_);
    }
    Result<void> FinishImport(int64_t import_id, const std::string& summary_json) override {
        if (auto r = RequireTx(); !r) return r;
        auto st = Prepare("UPDATE import SET summary_json=?2 WHERE id=?1");
        if (!st) return std::unexpected(st.error());
        sqlite3_bind_int64(*st, 1, import_id);
        BindText(*st, 2, summary_json);
        return StepDone(*st, "FinishImport");
    }
    Result<std::optional<ImportRecord>> FindImport(int64_t import_id) override {
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

    Result<std::vector<ChangeLogEntry>> ChangeLog(const ChangeLogFilter& f) override {
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
        // on the division index) and of procedure cases under it; plans, org units, accounts,
        // events, populations, evaluations and approvals belong to the root.
        const bool scoped = f.division_prefix && !f.division_prefix->empty();
        if (scoped)
            sql +=
                " AND ((entity='household' AND entity_key IN (SELECT household_code FROM household"
                " WHERE division_code >= ?5 AND division_code < ?5 || char(127)))"
                " OR (entity='procedure_case' AND entity_key IN (SELECT CAST(id AS TEXT) FROM procedure_case"
                " WHERE division_code >= ?5 AND division_code < ?5 || char(127))))";
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

    Result<int64_t> LastChangeSeq() override { return QueryInt(kLastChangeSeq); }

    Result<void> RecordEvent(const std::string& entity, const std::string& entity_key,
                             const std::string& action, const std::string& detail_json,
                             const ChangeContext& change) override {
        if (auto r = RequireTx(); !r) return r;
        if (std::ranges::find(kEventActions, action) == std::end(kEventActions))
            return Fail("store.invalid", "action", "不是可记录的事件: " + action,
                        "not an event that can be recorded: " + action);
        auto county = SettingCounty();
        if (!county) return std::unexpected(county.error());
        return LogChange(change, *county, entity, entity_key, action, "", detail_json);
    }

    Result<int64_t> InsertAccount(const Account& a, const ChangeContext& change) override {
        if (auto r = RequireTx(); !r) return std::unexpected(r.error());
        auto county = SettingCounty();
        if (!county) return std::unexpected(county.error());
        auto st = Prepare(kInsertAccount);
        if (!st) return std::unexpected(st.error());
        const std::string& created_at = a.created_at.empty() ? change.at : a.created_at;
        BindText(*st, 1, a.username);
        BindText(*st, 2, a.password_hash);
        BindText(*st, 3, a.role);
        BindText(*st, 4, a.scope);
        sqlite3_bind_int(*st, 5, a.disabled ? 1 : 0);
        sqlite3_bind_int(*st, 6, a.failed_logins);
        BindText(*st, 7, a.locked_until);
        BindText(*st, 8, created_at);
        const int rc = sqlite3_step(*st);
        sqlite3_reset(*st);
        if (rc == SQLITE_CONSTRAINT_UNIQUE)
            return Fail("store.duplicate", "username", "用户名" + a.username + "已存在",
                        "username " + a.username + " already exists");
        if (rc == SQLITE_CONSTRAINT_CHECK) return std::unexpected(InvalidRole(a.role));
        if (rc != SQLITE_DONE) return std::unexpected(LastError("InsertAccount"));
        const int64_t id = sqlite3_last_insert_rowid(db_);
        if (auto r = LogChange(change, *county, "account", a.username, "insert", "", AccountJson(a)); !r)
            return std::unexpected(r.error());
        return id;
    }

    Result<std::optional<Account>> FindAccount(const std::string& username) override {
        auto st = Prepare(kFindAccount);
        if (!st) return std::unexpected(st.error());
        BindText(*st, 1, username);
        return OneAccount(*st);
    }
    Result<std::optional<Account>> FindAccountById(int64_t id) override {
        auto st = Prepare(kFindAccountById);
        if (!st) return std::unexpected(st.error());
        sqlite3_bind_int64(*st, 1, id);
        return OneAccount(*st);
    }
    Result<std::vector<Account>> ListAccounts() override {
        auto st = Prepare(kListAccounts);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        std::vector<Account> out;
        int rc;
        while ((rc = sqlite3_step(*st)) == SQLITE_ROW) out.push_back(ReadAccount(*st));
        if (rc != SQLITE_DONE) return std::unexpected(LastError("ListAccounts"));
        return out;
    }

    Result<void> UpdateAccount(const Account& before, const Account& after,
                               const ChangeContext& change) override {
        if (auto r = RequireTx(); !r) return r;
        if (before.username != after.username)
            return Fail("store.code_change", "username", "不能修改用户名", "the username cannot change");
        auto county = SettingCounty();
        if (!county) return std::unexpected(county.error());
        auto st = Prepare(kUpdateAccount);
        if (!st) return std::unexpected(st.error());
        sqlite3_bind_int64(*st, 1, before.id);
        BindText(*st, 2, after.role);
        BindText(*st, 3, after.scope);
        sqlite3_bind_int(*st, 4, after.disabled ? 1 : 0);
        BindText(*st, 5, after.password_hash);
        BindText(*st, 6, before.username);
        BindText(*st, 7, before.role);
        BindText(*st, 8, before.scope);
        sqlite3_bind_int(*st, 9, before.disabled ? 1 : 0);
        BindText(*st, 10, before.password_hash);
        const int rc = sqlite3_step(*st);
        sqlite3_reset(*st);
        if (rc == SQLITE_CONSTRAINT_CHECK) return std::unexpected(InvalidRole(after.role));
        if (rc != SQLITE_DONE) return std::unexpected(LastError("UpdateAccount"));
        if (sqlite3_changes(db_) != 1) {
            auto exists = Prepare(kAccountExists);
            if (!exists) return std::unexpected(exists.error());
            sqlite3_bind_int64(*exists, 1, before.id);
            const int erc = sqlite3_step(*exists);
            sqlite3_reset(*exists);
            if (erc == SQLITE_DONE)
                return Fail("store.not_found", "username", "用户" + before.username + "不存在",
                            "no account " + before.username);
            if (erc != SQLITE_ROW) return std::unexpected(LastError("UpdateAccount"));
            return Fail("store.conflict", "username", "该用户已被他人修改",
                        "the account was changed by someone else");
        }
        return LogChange(change, *county, "account", before.username, "update", AccountJson(before),
                         AccountJson(after, before.password_hash != after.password_hash));
    }

    Result<void> SetLoginState(int64_t account_id, int failed_logins,
                               const std::string& locked_until) override {
        if (auto r = RequireTx(); !r) return r;
        auto st = Prepare(kSetLoginState);
        if (!st) return std::unexpected(st.error());
        sqlite3_bind_int64(*st, 1, account_id);
        sqlite3_bind_int(*st, 2, failed_logins);
        BindText(*st, 3, locked_until);
        if (auto r = StepDone(*st, "SetLoginState"); !r) return r;
        if (sqlite3_changes(db_) != 1)
            return Fail("store.not_found", "account_id", "用户不存在", "no such account");
        return {};
    }

    Result<void> InsertSession(const SessionRecord& s) override {
        if (auto r = RequireTx(); !r) return r;
        auto st = Prepare(kInsertSession);
        if (!st) return std::unexpected(st.error());
        BindText(*st, 1, s.token_hash);
        sqlite3_bind_int64(*st, 2, s.account_id);
        BindText(*st, 3, s.created_at);
        BindText(*st, 4, s.last_seen_at);
        const int rc = sqlite3_step(*st);
        sqlite3_reset(*st);
        if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE)
            return Fail("store.duplicate", "token_hash", "会话已存在", "the session already exists");
        if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
            return Fail("store.foreign_key", "account_id", "用户不存在", "no such account");
        if (rc != SQLITE_DONE) return std::unexpected(LastError("InsertSession"));
        return {};
    }
    Result<std::optional<SessionRecord>> FindSession(const std::string& token_hash) override {
        auto st = Prepare(kFindSession);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        BindText(*st, 1, token_hash);
        const int rc = sqlite3_step(*st);
        if (rc == SQLITE_DONE) return std::optional<SessionRecord>();
        if (rc != SQLITE_ROW) return std::unexpected(LastError("FindSession"));
        return std::optional<SessionRecord>(
            SessionRecord{Text(*st, 0), sqlite3_column_int64(*st, 1), Text(*st, 2), Text(*st, 3)});
    }
    // Touching or deleting a session that is gone (ended by another process) does nothing.
    Result<void> TouchSession(const std::string& token_hash, const std::string& at) override {
        if (auto r = RequireTx(); !r) return r;
        auto st = Prepare(kTouchSession);
        if (!st) return std::unexpected(st.error());
        BindText(*st, 1, token_hash);
        BindText(*st, 2, at);
        return StepDone(*st, "TouchSession");
    }
    Result<void> DeleteSession(const std::string& token_hash) override {
        if (auto r = RequireTx(); !r) return r;
        auto st = Prepare(kDeleteSession);
        if (!st) return std::unexpected(st.error());
        BindText(*st, 1, token_hash);
        return StepDone(*st, "DeleteSession");
    }
    Result<int64_t> DeleteSessionsOf(int64_t account_id) override {
        if (auto r = RequireTx(); !r) return std::unexpected(r.error());
        auto st = Prepare(kDeleteSessionsOf);
        if (!st) return std::unexpected(st.error());
        sqlite3_bind_int64(*st, 1, account_id);
        if (auto r = StepDone(*st, "DeleteSessionsOf"); !r) return std::unexpected(r.error());
        return sqlite3_changes64(db_);
    }
    Result<int64_t> DeleteIdleSessions(const std::string& idle_before) override {
        if (auto r = RequireTx(); !r) return std::unexpected(r.error());
        auto st = Prepare(kDeleteIdleSessions);
        if (!st) return std::unexpected(st.error());
        BindText(*st, 1, idle_before);
        if (auto r = StepDone(*st, "DeleteIdleSessions"); !r) return std::unexpected(r.error());
        return sqlite3_changes64(db_);
    }

    Result<void> DeleteHousehold(const HouseholdRecord& before, const ChangeContext& change) override {
        if (auto r = RequireTx(); !r) return r;
        const Household& h = before.household;
        auto st = Prepare(kDeleteHousehold);
        if (!st) return std::unexpected(st.error());
        BindText(*st, 1, h.household_code);
        sqlite3_bind_int64(*st, 2, before.version);
        if (auto r = StepDone(*st, "DeleteHousehold"); !r) return r;
        if (sqlite3_changes(db_) != 1)
            return Fail("store.conflict", "version", "该户已被他人修改或删除",
                        "the household was changed or removed by someone else");
        return LogChange(change, h.county_code(), "household", h.household_code, "delete", HouseholdToJson(h),
                         "");
    }

    Result<bool> IsDeregistered(const std::string& household_code) override {
        auto st = Prepare(kIsDeregistered);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        BindText(*st, 1, household_code);
        const std::string_view kind = ProcedureKindName(ProcedureKind::kDeregistration);
        sqlite3_bind_text(*st, 2, kind.data(), static_cast<int>(kind.size()), SQLITE_STATIC);
        const int rc = sqlite3_step(*st);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        return std::unexpected(LastError("IsDeregistered"));
    }

    Result<int64_t> InsertCase(const ProcedureCase& c, const ChangeContext& change) override {
        if (auto r = RequireTx(); !r) return std::unexpected(r.error());
        // The write lock is held, so the next id is ours; the stored body carries it.
        auto id = QueryInt(kNextCaseId);
        if (!id) return std::unexpected(id.error());
        ProcedureCase stored = c;
        stored.id = *id;
        stored.version = 1;
        const std::string json = ProcedureCaseToJson(stored);
        auto st = Prepare(kInsertCase);
        if (!st) return std::unexpected(st.error());
        BindCase(*st, stored, change.at, json);
        if (auto r = StepDone(*st, "InsertCase"); !r) return std::unexpected(r.error());
        if (auto r = LogChange(change, CountyOf(stored.division_code), "procedure_case", std::to_string(*id),
                               "insert", "", json);
            !r)
            return std::unexpected(r.error());
        return *id;
    }

    Result<void> UpdateCase(const ProcedureCase& before, const ProcedureCase& after,
                            const ChangeContext& change) override {
        if (auto r = RequireTx(); !r) return r;
        auto stored = StoredBody(kFindCase, before.id, before.version, "case");
        if (!stored) return std::unexpected(stored.error());
        ProcedureCase next = after;
        next.id = before.id;
        next.version = before.version + 1;
        const std::string json = ProcedureCaseToJson(next);
        auto st = Prepare(kUpdateCase);
        if (!st) return std::unexpected(st.error());
        BindCase(*st, next, change.at, json);
        sqlite3_bind_int64(*st, 11, before.version);
        if (auto r = StepDone(*st, "UpdateCase"); !r) return r;
        if (sqlite3_changes(db_) != 1) return std::unexpected(Conflict("case"));
        return LogChange(change, CountyOf(next.division_code), "procedure_case", std::to_string(next.id),
                         "update", *stored, json);
    }

    Result<std::optional<ProcedureCase>> FindCase(int64_t id) override {
        auto st = Prepare(kFindCase);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        sqlite3_bind_int64(*st, 1, id);
        const int rc = sqlite3_step(*st);
        if (rc == SQLITE_DONE) return std::optional<ProcedureCase>();
        if (rc != SQLITE_ROW) return std::unexpected(LastError("FindCase"));
        auto c = ReadCase(*st);
        if (!c) return std::unexpected(c.error());
        return std::optional<ProcedureCase>(std::move(*c));
    }

    Result<std::vector<ProcedureCase>> ListCases(const CaseFilter& filter) override {
        std::vector<ProcedureCase> out;
        auto st = CaseQuery("SELECT id, version, body_json FROM procedure_case", filter, true);
        if (!st) return std::unexpected(st.error());
        int rc;
        while ((rc = sqlite3_step(st->get())) == SQLITE_ROW) {
            auto c = ReadCase(st->get());
            if (!c) return std::unexpected(c.error());
            out.push_back(std::move(*c));
        }
        if (rc != SQLITE_DONE) return std::unexpected(LastError("ListCases"));
        return out;
    }

    Result<int64_t> CountCases(const CaseFilter& filter) override {
        auto st = CaseQuery("SELECT count(*) FROM procedure_case", filter, false);
        if (!st) return std::unexpected(st.error());
        if (sqlite3_step(st->get()) != SQLITE_ROW) return std::unexpected(LastError("CountCases"));
        return sqlite3_column_int64(st->get(), 0);
    }

    Result<void> PutPopulation(const PopulationSetting& setting, const ChangeContext& change) override {
        if (auto r = RequireTx(); !r) return r;
        auto find = Prepare(kFindPopulation);
        if (!find) return std::unexpected(find.error());
        BindText(*find, 1, setting.code);
        sqlite3_bind_int(*find, 2, setting.year);
        std::string before;
        const int frc = sqlite3_step(*find);
        if (frc == SQLITE_ROW)
            before = PopulationJson({setting.code, setting.year, sqlite3_column_int64(*find, 0)});
        sqlite3_reset(*find);
        if (frc != SQLITE_ROW && frc != SQLITE_DONE) return std::unexpected(LastError("PutPopulation"));
        auto st = Prepare(kPutPopulation);
        if (!st) return std::unexpected(st.error());
        BindText(*st, 1, setting.code);
        sqlite3_bind_int(*st, 2, setting.year);
        sqlite3_bind_int64(*st, 3, setting.rural_population);
        if (auto r = StepDone(*st, "PutPopulation"); !r) return r;
        return LogChange(change, CountyOf(setting.code), "population",
                         setting.code + "/" + std::to_string(setting.year),
                         before.empty() ? "insert" : "update", before, PopulationJson(setting));
    }

    Result<std::vector<PopulationSetting>> ListPopulation() override {
        auto st = Prepare(kListPopulation);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        std::vector<PopulationSetting> out;
        int rc;
        while ((rc = sqlite3_step(*st)) == SQLITE_ROW)
            out.push_back({Text(*st, 0), sqlite3_column_int(*st, 1), sqlite3_column_int64(*st, 2)});
        if (rc != SQLITE_DONE) return std::unexpected(LastError("ListPopulation"));
        return out;
    }

    Result<int64_t> InsertEvaluation(const Evaluation& e, const ChangeContext& change) override {
        if (auto r = RequireTx(); !r) return std::unexpected(r.error());
        auto id = QueryInt(kNextEvaluationId);
        if (!id) return std::unexpected(id.error());
        Evaluation stored = e;
        stored.id = *id;
        stored.version = 1;
        const std::string json = EvaluationToJson(stored);
        auto st = Prepare(kInsertEvaluation);
        if (!st) return std::unexpected(st.error());
        BindEvaluation(*st, stored, json);
        if (auto r = StepDone(*st, "InsertEvaluation"); !r) return std::unexpected(r.error());
        if (auto r = LogChange(change, CountyOf(stored.division_code), "evaluation", std::to_string(*id),
                               "insert", "", json);
            !r)
            return std::unexpected(r.error());
        return *id;
    }

    Result<void> UpdateEvaluation(const Evaluation& before, const Evaluation& after,
                                  const ChangeContext& change) override {
        if (auto r = RequireTx(); !r) return r;
        auto stored = StoredBody(kFindEvaluation, before.id, before.version, "evaluation");
        if (!stored) return std::unexpected(stored.error());
        Evaluation next = after;
        next.id = before.id;
        next.version = before.version + 1;
        const std::string json = EvaluationToJson(next);
        auto st = Prepare(kUpdateEvaluation);
        if (!st) return std::unexpected(st.error());
        BindEvaluation(*st, next, json);
        sqlite3_bind_int64(*st, 6, before.version);
        if (auto r = StepDone(*st, "UpdateEvaluation"); !r) return r;
        if (sqlite3_changes(db_) != 1) return std::unexpected(Conflict("evaluation"));
        return LogChange(change, CountyOf(next.division_code), "evaluation", std::to_string(next.id),
                         "update", *stored, json);
    }

    Result<std::optional<Evaluation>> FindEvaluation(int64_t id) override {
        auto st = Prepare(kFindEvaluation);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        sqlite3_bind_int64(*st, 1, id);
        const int rc = sqlite3_step(*st);
        if (rc == SQLITE_DONE) return std::optional<Evaluation>();
        if (rc != SQLITE_ROW) return std::unexpected(LastError("FindEvaluation"));
        auto e = ReadEvaluation(*st);
        if (!e) return std::unexpected(e.error());
        return std::optional<Evaluation>(std::move(*e));
    }

    Result<std::vector<Evaluation>> ListEvaluations() override {
        auto st = Prepare(kListEvaluations);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        std::vector<Evaluation> out;
        int rc;
        while ((rc = sqlite3_step(*st)) == SQLITE_ROW) {
            auto e = ReadEvaluation(*st);
            if (!e) return std::unexpected(e.error());
            out.push_back(std::move(*e));
        }
        if (rc != SQLITE_DONE) return std::unexpected(LastError("ListEvaluations"));
        return out;
    }

    Result<void> InsertAdjustmentApproval(const AdjustmentApproval& a, const ChangeContext& change) override {
        if (auto r = RequireTx(); !r) return r;
        auto st = Prepare(kInsertAdjustment);
        if (!st) return std::unexpected(st.error());
        const std::string approved_on = a.approved_on.ToString();
        sqlite3_bind_int(*st, 1, a.year);
        BindText(*st, 2, a.county_code);
        BindText(*st, 3, a.approved_by);
        BindText(*st, 4, a.approved_at);
        BindText(*st, 5, approved_on);
        BindText(*st, 6, a.notes);
        BindText(*st, 7, a.summary_json);
        const int rc = sqlite3_step(*st);
        sqlite3_reset(*st);
        if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE)
            return Fail("store.duplicate", "year", std::to_string(a.year) + "年度动态调整已审批",
                        "the dynamic adjustment of " + std::to_string(a.year) + " is already approved");
        if (rc != SQLITE_DONE) return std::unexpected(LastError("InsertAdjustmentApproval"));
        return LogChange(change, CountyOf(a.county_code), "adjustment", std::to_string(a.year), "insert", "",
                         AdjustmentJson(a));
    }

    Result<std::optional<AdjustmentApproval>> FindAdjustmentApproval(
        int year, const std::string& county_code) override {
        auto st = Prepare(kFindAdjustment);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        sqlite3_bind_int(*st, 1, year);
        BindText(*st, 2, county_code);
        const int rc = sqlite3_step(*st);
        if (rc == SQLITE_DONE) return std::optional<AdjustmentApproval>();
        if (rc != SQLITE_ROW) return std::unexpected(LastError("FindAdjustmentApproval"));
        AdjustmentApproval a;
        a.year = sqlite3_column_int(*st, 0);
        a.county_code = Text(*st, 1);
        a.approved_by = Text(*st, 2);
        a.approved_at = Text(*st, 3);
        a.approved_on = DateColumn(*st, 4);
        a.notes = Text(*st, 5);
        a.summary_json = Text(*st, 6);
        return std::optional<AdjustmentApproval>(std::move(a));
    }

  private:
    // --- audit verify's replay: the last logged state of every entity against its row ----------
    struct Latest {
        int64_t seq = 0;
        bool deleted = false;
        StateDigest digest{};
        bool seen = false;  // a row was found for it
    };
    struct LoggedStates {
        std::unordered_map<std::string, Latest> household, procedure_case, evaluation, population, adjustment;
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
            l.deleted = e.action == "delete";
            l.digest = DigestOf(e.after_json.value_or(""));
        }
    };

    static constexpr size_t kMismatchesKept = 10000;
    static void AddMismatch(ChainVerification& out, std::string code, std::string entity, std::string key,
                            int64_t seq, std::vector<std::string> fields) {
        ++out.mismatch_count;
        if (out.mismatches.size() < kMismatchesKept)
            out.mismatches.push_back({std::move(code), std::move(entity), std::move(key), seq, std::move(fields)});
    }

    Result<std::string> LoggedAfter(int64_t seq) {
        auto st = Prepare("SELECT coalesce(after_json, '') FROM change_log WHERE seq=?1");
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        sqlite3_bind_int64(*st, 1, seq);
        if (sqlite3_step(*st) != SQLITE_ROW) return std::unexpected(LastError("LoggedAfter"));
        return Text(*st, 0);
    }

    // A row in its logged form (`current`) against the entity's last entry.
    Result<void> CompareState(ChainVerification& out, std::unordered_map<std::string, Latest>& logged,
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
        auto fields = DiffJsonFields(*after, current);
        if (fields.empty()) fields.emplace_back("(text)");  // same content, written differently
        AddMismatch(out, "audit.row_mismatch", entity, key, l.seq, std::move(fields));
        return {};
    }

    // Runs `sql` and calls row(stmt) for each row.
    Result<void> EachRow(const char* sql, const std::function<Result<void>(sqlite3_stmt*)>& row) {
        sqlite3_stmt* raw = nullptr;
        if (sqlite3_prepare_v2(db_, sql, -1, &raw, nullptr) != SQLITE_OK) return std::unexpected(LastError(sql));
        Stmt st(raw);
        int rc;
        while ((rc = sqlite3_step(raw)) == SQLITE_ROW)
            if (auto r = row(raw); !r) return r;
        if (rc != SQLITE_DONE) return std::unexpected(LastError(sql));
        return {};
    }

    Result<void> ReplayRows(LoggedStates& logged, ChainVerification& out) {
        if (auto r = ReplayHouseholds(logged, out); !r) return r;
        auto r = EachRow(
            "SELECT id, kind, household_code, division_code, year, state, open, body_json FROM procedure_case"
            " ORDER BY id",
            [&](sqlite3_stmt* st) -> Result<void> {
                const std::string key = std::to_string(sqlite3_column_int64(st, 0));
                const std::string body = Text(st, 7);
                if (auto c = ProcedureCaseFromJson(body)) {
                    std::vector<std::string> fields;
                    if (Text(st, 1) != ProcedureKindName(c->kind)) fields.emplace_back("kind");
                    if (Text(st, 2) != c->household_code) fields.emplace_back("household_code");
                    if (Text(st, 3) != c->division_code) fields.emplace_back("division_code");
                    if (sqlite3_column_int(st, 4) != c->year) fields.emplace_back("year");
                    if (Text(st, 5) != c->state) fields.emplace_back("state");
                    if ((sqlite3_column_int(st, 6) != 0) != c->open) fields.emplace_back("open");
                    if (!fields.empty())
                        AddMismatch(out, "audit.row_derived", "procedure_case", key, 0, std::move(fields));
                }
                return CompareState(out, logged.procedure_case, "procedure_case", key, body);
            });
        if (!r) return r;
        r = EachRow("SELECT id, year, division_code, body_json FROM evaluation ORDER BY id",
                    [&](sqlite3_stmt* st) -> Result<void> {
                        const std::string key = std::to_string(sqlite3_column_int64(st, 0));
                        const std::string body = Text(st, 3);
                        if (auto e = EvaluationFromJson(body)) {
                            std::vector<std::string> fields;
                            if (sqlite3_column_int(st, 1) != e->year) fields.emplace_back("year");
                            if (Text(st, 2) != e->division_code) fields.emplace_back("division_code");
                            if (!fields.empty())
                                AddMismatch(out, "audit.row_derived", "evaluation", key, 0, std::move(fields));
                        }
                        return CompareState(out, logged.evaluation, "evaluation", key, body);
                    });
        if (!r) return r;
        r = EachRow("SELECT code, year, rural_population FROM population ORDER BY code, year",
                    [&](sqlite3_stmt* st) -> Result<void> {
                        const PopulationSetting p{Text(st, 0), sqlite3_column_int(st, 1),
                                                  sqlite3_column_int64(st, 2)};
                        return CompareState(out, logged.population, "population",
                                            p.code + "/" + std::to_string(p.year), PopulationJson(p));
                    });
        if (!r) return r;
        r = EachRow(
            "SELECT year, county_code, approved_by, approved_at, approved_on, notes, summary_json"
            " FROM adjustment_approval ORDER BY year",
            [&](sqlite3_stmt* st) -> Result<void> {
                AdjustmentApproval a;
                a.year = sqlite3_column_int(st, 0);
                a.county_code = Text(st, 1);
                a.approved_by = Text(st, 2);
                a.approved_at = Text(st, 3);
                a.approved_on = DateColumn(st, 4);
                a.notes = Text(st, 5);
                a.summary_json = Text(st, 6);
                return CompareState(out, logged.adjustment, "adjustment", std::to_string(a.year),
                                    AdjustmentJson(a));
            });
        if (!r) return r;
        // Accounts are logged without the password hash: compare what the log says (role, scope,
        // disabled, whether a password is set, and the hash's digest where the entry carries one).
        r = EachRow("SELECT id, username, password_hash, role, scope, disabled, failed_logins, locked_until,"
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
        if (!r) return r;
        bool plan_row = false;
        r = EachRow("SELECT plan_id, toml FROM plan", [&](sqlite3_stmt* st) -> Result<void> {
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
        // Entities the log says exist and whose row is gone.
        const std::pair<const char*, std::unordered_map<std::string, Latest>*> all[] = {
            {"household", &logged.household},     {"procedure_case", &logged.procedure_case},
            {"evaluation", &logged.evaluation},   {"population", &logged.population},
            {"adjustment", &logged.adjustment},   {"account", &logged.account}};
        for (const auto& [entity, map] : all) {
            std::vector<std::pair<int64_t, std::string>> missing;
            for (const auto& [key, l] : *map)
                if (!l.seen && !l.deleted) missing.emplace_back(l.seq, key);
            std::ranges::sort(missing);
            for (auto& [seq, key] : missing) AddMismatch(out, "audit.row_missing", entity, key, seq, {});
        }
        return {};
    }

    // Households in storage order with their members, as the log writes them (HouseholdToJson), and
    // the columns kept beside them (county, the report facts) against what the household implies.
    Result<void> ReplayHouseholds(LoggedStates& logged, ChainVerification& out) {
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

    static bool ParseHex(const std::string& hex, ChainHash& out) {
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

    static Error Conflict(const std::string& what) {
        const std::string zh = what == "case" ? "该案件" : "该评估";
        return Error{.code = "store.conflict",
                     .field = "version",
                     .message_zh = zh + "已被他人修改",
                     .message_en = "the " + what + " was changed by someone else"};
    }

    // The stored body of row `id` (kFindCase / kFindEvaluation), when its version is still `version`:
    // "store.not_found" when there is none, "store.conflict" when it moved on.
    Result<std::string> StoredBody(const char* sql, int64_t id, int64_t version, const std::string& what) {
        auto st = Prepare(sql);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        sqlite3_bind_int64(*st, 1, id);
        const int rc = sqlite3_step(*st);
        if (rc == SQLITE_DONE)
            return Fail("store.not_found", "id",
                        (what == "case" ? "案件" : "评估") + std::to_string(id) + "不存在",
                        "no " + what + " " + std::to_string(id));
        if (rc != SQLITE_ROW) return std::unexpected(LastError("Find " + what));
        if (sqlite3_column_int64(*st, 1) != version) return std::unexpected(Conflict(what));
        return Text(*st, 2);
    }

    static Error CorruptBody(const std::string& what, int64_t id, const Error& e) {
        return Error{.code = "store.corrupt",
                     .field = "body_json",
                     .message_zh = what + " " + std::to_string(id) + " 的数据无法读取: " + e.message_zh,
                     .message_en = what + " " + std::to_string(id) + " cannot be read: " + e.message_en};
    }
    // A row (id, version, body_json).
    static Result<ProcedureCase> ReadCase(sqlite3_stmt* st) {
        const int64_t id = sqlite3_column_int64(st, 0);
        auto c = ProcedureCaseFromJson(Text(st, 2));
        if (!c) return std::unexpected(CorruptBody("case", id, c.error()));
        c->id = id;
        c->version = sqlite3_column_int64(st, 1);
        return c;
    }
    static Result<Evaluation> ReadEvaluation(sqlite3_stmt* st) {
        const int64_t id = sqlite3_column_int64(st, 0);
        auto e = EvaluationFromJson(Text(st, 2));
        if (!e) return std::unexpected(CorruptBody("evaluation", id, e.error()));
        e->id = id;
        e->version = sqlite3_column_int64(st, 1);
        return e;
    }

    // kInsertCase / kUpdateCase parameters 1-10; `at` and `json` must outlive the step.
    void BindCase(sqlite3_stmt* st, const ProcedureCase& c, const std::string& at, const std::string& json) {
        const std::string_view kind = ProcedureKindName(c.kind);
        sqlite3_bind_int64(st, 1, c.id);
        sqlite3_bind_text(st, 2, kind.data(), static_cast<int>(kind.size()), SQLITE_STATIC);
        BindText(st, 3, c.household_code);
        BindText(st, 4, c.division_code);
        sqlite3_bind_int(st, 5, c.year);
        BindText(st, 6, c.state);
        sqlite3_bind_int(st, 7, c.open ? 1 : 0);
        sqlite3_bind_int64(st, 8, c.version);
        BindText(st, 9, at);
        BindText(st, 10, json);
    }
    // kInsertEvaluation / kUpdateEvaluation parameters 1-5.
    static void BindEvaluation(sqlite3_stmt* st, const Evaluation& e, const std::string& json) {
        sqlite3_bind_int64(st, 1, e.id);
        sqlite3_bind_int(st, 2, e.year);
        BindText(st, 3, e.division_code);
        sqlite3_bind_int64(st, 4, e.version);
        BindText(st, 5, json);
    }

    // `select` over procedure_case restricted by every set field of the filter, ordered by id and
    // paged when `paged`. A private statement: the caller steps it.
    Result<Stmt> CaseQuery(const char* select, const CaseFilter& f, bool paged) {
        std::string sql = std::string(select) + " WHERE 1=1";
        if (f.kind) sql += " AND kind=?1";
        if (f.household_code) sql += " AND household_code=?2";
        if (!f.division_prefix.empty()) sql += " AND division_code LIKE ?3 ESCAPE '\\'";
        if (f.year) sql += " AND year=?4";
        if (f.open) sql += " AND open=?5";
        if (f.state) sql += " AND state=?6";
        if (paged) sql += " ORDER BY id LIMIT ?7 OFFSET ?8";
        sqlite3_stmt* raw = nullptr;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK)
            return std::unexpected(LastError("ListCases"));
        Stmt st(raw);
        if (f.kind) {
            const std::string_view kind = ProcedureKindName(*f.kind);
            sqlite3_bind_text(raw, 1, kind.data(), static_cast<int>(kind.size()), SQLITE_TRANSIENT);
        }
        if (f.household_code)
            sqlite3_bind_text(raw, 2, f.household_code->data(), static_cast<int>(f.household_code->size()),
                              SQLITE_TRANSIENT);
        if (!f.division_prefix.empty()) {
            std::string pattern;
            for (char c : f.division_prefix) {
                if (c == '\\' || c == '%' || c == '_') pattern += '\\';
                pattern += c;
            }
            pattern += '%';
            sqlite3_bind_text(raw, 3, pattern.data(), static_cast<int>(pattern.size()), SQLITE_TRANSIENT);
        }
        if (f.year) sqlite3_bind_int(raw, 4, *f.year);
        if (f.open) sqlite3_bind_int(raw, 5, *f.open ? 1 : 0);
        if (f.state)
            sqlite3_bind_text(raw, 6, f.state->data(), static_cast<int>(f.state->size()), SQLITE_TRANSIENT);
        if (paged) {
            sqlite3_bind_int64(raw, 7, f.limit);
            sqlite3_bind_int64(raw, 8, f.offset);
        }
        return st;
    }

    // The county of entries that belong to no household (accounts, events): the database's own.
    Result<std::string> SettingCounty() {
        auto county = GetSetting("county_code");
        if (!county) return std::unexpected(county.error());
        return county->value_or("");
    }

    static Error InvalidRole(const std::string& role) {
        return Error{.code = "store.invalid",
                     .field = "role",
                     .message_zh = "未知的角色: " + role,
                     .message_en = "unknown role: " + role};
    }

    static Account ReadAccount(sqlite3_stmt* st) {
        Account a;
        a.id = sqlite3_column_int64(st, 0);
        a.username = Text(st, 1);
        a.password_hash = Text(st, 2);
        a.role = Text(st, 3);
        a.scope = Text(st, 4);
        a.disabled = sqlite3_column_int(st, 5) != 0;
        a.failed_logins = sqlite3_column_int(st, 6);
        a.locked_until = Text(st, 7);
        a.created_at = Text(st, 8);
        return a;
    }
    // The one row of a bound single-account lookup, or nullopt.
    Result<std::optional<Account>> OneAccount(sqlite3_stmt* st) {
        ResetOnExit reset{st};
        const int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE) return std::optional<Account>();
        if (rc != SQLITE_ROW) return std::unexpected(LastError("FindAccount"));
        return std::optional<Account>(ReadAccount(st));
    }

    Result<void> RequireTx() {
        if (!in_tx_)
            return Fail("store.no_transaction", "", "写操作必须在事务中进行",
                        "writes must run inside a transaction");
        return {};
    }

    Error MakeError(int rc, const std::string& what) {
        const int primary = rc & 0xff;
        std::string msg = sqlite3_errmsg(db_);
        if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
            return Error{.code = "store.locked",
                         .field = "db",
                         .message_zh = "数据库被其他程序锁定,请稍后再试",
                         .message_en = "the database is locked by another process; try again later"};
        if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
            return Error{.code = "store.foreign_key",
                         .field = "division_code",
                         .message_zh = "引用的行政区划代码不存在: " + msg,
                         .message_en = "a referenced division code does not exist: " + msg};
        if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
            return Error{.code = "store.corrupt",
                         .field = "db",
                         .message_zh = "数据库文件已损坏或不是数据库: " + msg,
                         .message_en = "the database file is damaged or not a database: " + msg};
        if (primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN || primary == SQLITE_IOERR ||
            primary == SQLITE_FULL)
            return Error{.code = "store.io",
                         .field = "db",
                         .message_zh = "数据库读写失败: " + msg,
                         .message_en = "database I/O failed: " + msg};
        return Error{.code = "store.sqlite",
                     .field = "db",
                     .message_zh = what + ": " + msg,
                     .message_en = what + ": " + msg};
    }
    Error LastError(const std::string& what) { return MakeError(sqlite3_extended_errcode(db_), what); }

    Result<void> Exec(const std::string& sql) {
        char* err = nullptr;
        int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
        sqlite3_free(err);
        if (rc != SQLITE_OK) return std::unexpected(MakeError(rc, "exec"));
        return {};
    }
    Result<int64_t> QueryInt(const char* sql) {
        auto st = Prepare(sql);
        if (!st) return std::unexpected(st.error());
        int rc = sqlite3_step(*st);
        if (rc != SQLITE_ROW) return std::unexpected(LastError(sql));
        int64_t v = sqlite3_column_int64(*st, 0);
        sqlite3_reset(*st);
        return v;
    }

    // Cached prepared statement, reset and cleared for reuse. `sql` must be a string constant: the
    // cache is keyed by its address, so a hot path pays no string comparison.
    Result<sqlite3_stmt*> Prepare(const char* sql) {
        auto it = cache_.find(sql);
        if (it == cache_.end()) {
            sqlite3_stmt* raw = nullptr;
            int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
            if (rc != SQLITE_OK) return std::unexpected(MakeError(rc, "prepare"));
            it = cache_.emplace(sql, Stmt(raw)).first;
        }
        sqlite3_stmt* s = it->second.get();
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        return s;
    }
    Result<void> StepDone(sqlite3_stmt* st, const char* what) {
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE && rc != SQLITE_ROW) return std::unexpected(MakeError(rc, what));
        return {};
    }

    static void BindText(sqlite3_stmt* st, int i, const std::string& v) {
        sqlite3_bind_text(st, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    }
    template <class T>
    static void BindOpt(sqlite3_stmt* st, int i, const std::optional<T>& v) {
        if (v)
            sqlite3_bind_int64(st, i, static_cast<int64_t>(*v));
        else
            sqlite3_bind_null(st, i);
    }
    static std::string Text(sqlite3_stmt* st, int i) {
        const unsigned char* t = sqlite3_column_text(st, i);
        return t ? std::string(reinterpret_cast<const char*>(t), sqlite3_column_bytes(st, i)) : std::string();
    }
    template <class T>
    static std::optional<T> ColOpt(sqlite3_stmt* st, int i) {
        if (sqlite3_column_type(st, i) == SQLITE_NULL) return std::nullopt;
        return static_cast<T>(sqlite3_column_int64(st, i));
    }

    void BindHousehold(sqlite3_stmt* st, const Household& h, const std::string& at) {
        // Bound strings must outlive the step: keep the derived ones in members.
        scratch_county_ = h.county_code();
        scratch_causes_ = JoinInts(h.other_causes);
        scratch_aux_ = JoinInts(h.aux_measures);
        BindText(st, 1, scratch_county_);
        BindText(st, 2, h.household_code);
        BindText(st, 3, h.division_code);
        sqlite3_bind_int(st, 4, h.attribute);
        BindOpt(st, 5, h.identification_standard);
        sqlite3_bind_int(st, 6, h.main_cause);
        BindText(st, 7, scratch_causes_);
        sqlite3_bind_int(st, 8, h.identified_year);
        BindOpt(st, 9, h.planned_exit_year);
        sqlite3_bind_int(st, 10, h.status);
        BindOpt(st, 11, h.exit_year);
        BindOpt(st, 12, h.net_income_per_head);
        BindOpt(st, 13, h.main_measure);
        BindText(st, 14, scratch_aux_);
        BindText(st, 15, h.pairing_cadre);
        BindText(st, 16, h.phone);
        BindOpt(st, 17, h.dangerous_housing);
        BindOpt(st, 18, h.safe_water);
        BindOpt(st, 19, h.household_electricity);
        BindOpt(st, 20, h.housing_area);
        BindText(st, 21, at);
        const HouseholdFacts facts = FactsOf(h);
        sqlite3_bind_int(st, 23, facts.persons);
        sqlite3_bind_int(st, 24, facts.students);
        sqlite3_bind_int(st, 25, facts.ill);
        sqlite3_bind_int(st, 26, facts.migrant_workers);
        JoinDatesInto(facts.able_birth_dates, scratch_able_);
        BindText(st, 27, scratch_able_);
        JoinDatesInto(facts.out_of_school_birth_dates, scratch_out_of_school_);
        BindText(st, 28, scratch_out_of_school_);
    }

    static void TextInto(sqlite3_stmt* st, int i, std::string& out) {
        const unsigned char* t = sqlite3_column_text(st, i);
        if (t)
            out.assign(reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_column_bytes(st, i)));
        else
            out.clear();
    }
    static void SplitIntsInto(sqlite3_stmt* st, int i, std::vector<int>& out) {
        out.clear();
        const unsigned char* t = sqlite3_column_text(st, i);
        if (!t) return;
        int v = 0;
        bool any = false;
        for (const unsigned char* c = t; *c; ++c) {
            if (*c == ',') {
                if (any) out.push_back(v);
                v = 0;
                any = false;
            } else {
                v = v * 10 + (*c - '0');
                any = true;
            }
        }
        if (any) out.push_back(v);
    }
    static Date DateColumn(sqlite3_stmt* st, int i) {
        const unsigned char* t = sqlite3_column_text(st, i);
        if (!t) return {};
        return Date::Parse(std::string_view(reinterpret_cast<const char*>(t),
                                            static_cast<size_t>(sqlite3_column_bytes(st, i))))
            .value_or(Date{});
    }

    static void ReadHouseholdInto(sqlite3_stmt* st, HouseholdRecord& rec, bool facts_only) {
        rec.id = sqlite3_column_int64(st, 0);
        rec.version = sqlite3_column_int64(st, 1);
        Household& h = rec.household;
        TextInto(st, 2, h.household_code);
        TextInto(st, 3, h.division_code);
        h.attribute = sqlite3_column_int(st, 4);
        h.identification_standard = ColOpt<int>(st, 5);
        h.main_cause = sqlite3_column_int(st, 6);
        SplitIntsInto(st, 7, h.other_causes);
        h.identified_year = sqlite3_column_int(st, 8);
        h.planned_exit_year = ColOpt<int>(st, 9);
        h.status = sqlite3_column_int(st, 10);
        h.exit_year = ColOpt<int>(st, 11);
        h.net_income_per_head = ColOpt<Fen>(st, 12);
        h.main_measure = ColOpt<int>(st, 13);
        SplitIntsInto(st, 14, h.aux_measures);
        if (facts_only) {
            h.pairing_cadre.clear();
            h.phone.clear();
        } else {
            TextInto(st, 15, h.pairing_cadre);
            TextInto(st, 16, h.phone);
        }
        h.dangerous_housing = ColOpt<bool>(st, 17);
        h.safe_water = ColOpt<bool>(st, 18);
        h.household_electricity = ColOpt<bool>(st, 19);
        h.housing_area = ColOpt<int64_t>(st, 20);
    }

    static void ReadPersonInto(sqlite3_stmt* st, int o, Person& p, bool facts_only) {
        if (facts_only) {
            p.name.clear();
            p.id_number.clear();
        } else {
            TextInto(st, o + 0, p.name);
            TextInto(st, o + 1, p.id_number);
        }
        p.relation = sqlite3_column_int(st, o + 2);
        p.sex = sqlite3_column_int(st, o + 3);
        p.birth_date = DateColumn(st, o + 4);
        p.ethnicity = ColOpt<int>(st, o + 5);
        p.education = ColOpt<int>(st, o + 6);
        p.schooling = ColOpt<int>(st, o + 7);
        p.health = ColOpt<int>(st, o + 8);
        p.labour = ColOpt<int>(st, o + 9);
        p.migrant_work = ColOpt<int>(st, o + 10);
        p.months_worked = ColOpt<int>(st, o + 11);
        TextInto(st, o + 12, p.ethnicity_name);
    }

    Result<void> ReadMembers(int64_t household_id, Household& h) {
        auto st = Prepare(kSelectPersons);
        if (!st) return std::unexpected(st.error());
        sqlite3_bind_int64(*st, 1, household_id);
        int rc;
        h.members.clear();
        while ((rc = sqlite3_step(*st)) == SQLITE_ROW)
            ReadPersonInto(*st, 0, h.members.emplace_back(), false);
        sqlite3_reset(*st);
        if (rc != SQLITE_DONE) return std::unexpected(LastError("ReadMembers"));
        return {};
    }

    Result<void> InsertMembers(int64_t household_id, const Household& h) {
        auto st = Prepare(kInsertPerson);
        if (!st) return std::unexpected(st.error());
        const std::string county = h.county_code();
        int ordinal = 0;
        for (const Person& p : h.members) {
            const std::string birth = p.birth_date.ToString();
            sqlite3_bind_int64(*st, 1, household_id);
            BindText(*st, 2, county);
            sqlite3_bind_int(*st, 3, ordinal++);
            BindText(*st, 4, p.name);
            BindText(*st, 5, p.id_number);
            sqlite3_bind_int(*st, 6, p.relation);
            sqlite3_bind_int(*st, 7, p.sex);
            BindText(*st, 8, birth);
            BindOpt(*st, 9, p.ethnicity);
            BindOpt(*st, 10, p.education);
            BindOpt(*st, 11, p.schooling);
            BindOpt(*st, 12, p.health);
            BindOpt(*st, 13, p.labour);
            BindOpt(*st, 14, p.migrant_work);
            BindOpt(*st, 15, p.months_worked);
            BindText(*st, 16, p.ethnicity_name);
            if (auto r = StepDone(*st, "InsertMembers"); !r) return r;
        }
        return {};
    }

    Result<void> LogChange(const ChangeContext& c, const std::string& county, const std::string& entity,
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

    sqlite3* db_;
    std::string path_;
    Synchronous synchronous_;
    int64_t chain_seq_ = 0;  // the change log's last entry, read when a transaction begins
    ChainHash chain_hash_{};
    std::unordered_map<const char*, Stmt> cache_;
    bool in_tx_ = false;
    int schema_version_ = 0;
    std::string scratch_county_, scratch_causes_, scratch_aux_, scratch_able_, scratch_out_of_school_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, OpenMode mode,
                                               const SqliteOptions& options) {
    std::error_code ec;
    const bool exists = std::filesystem::exists(path, ec);
    const bool empty =
        exists && std::filesystem::is_regular_file(path, ec) && std::filesystem::file_size(path, ec) == 0;
    if (mode == OpenMode::kExisting && !exists)
        return Fail("store.missing", "db", "数据库文件不存在: " + path + "(请先运行 jingzhun init)",
                    "no database at " + path + " (run jingzhun init first)");
    if (mode == OpenMode::kCreate && exists && !empty)
        return Fail("store.exists", "db", "数据库文件已存在: " + path,
                    "a database already exists at " + path);
    if (exists && std::filesystem::is_directory(path, ec))
        return Fail("store.io", "db", path + " 是目录,不是数据库文件",
                    path + " is a directory, not a database file");
    if (sodium_init() < 0)  // the change log's hash chain uses BLAKE2b
        return Fail("store.crypto", "", "无法初始化加密库", "cannot initialise libsodium");
    sqlite3* db = nullptr;
    const int flags =
        SQLITE_OPEN_READWRITE | (mode == OpenMode::kCreate ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close_v2(db);
        return Fail("store.io", "db", "无法打开数据库 " + path + ": " + msg,
                    "cannot open database " + path + ": " + msg);
    }
    sqlite3_busy_timeout(db, 5000);
    sqlite3_extended_result_codes(db, 1);
    Synchronous synchronous = options.synchronous;
    if (const char* env = std::getenv("JINGZHUN_SYNCHRONOUS"); env && *env) {
        const std::string v = env;
        if (v == "normal" || v == "NORMAL")
            synchronous = Synchronous::kNormal;
        else if (v == "full" || v == "FULL")
            synchronous = Synchronous::kFull;
        else
            return Fail("store.config", "JINGZHUN_SYNCHRONOUS", "JINGZHUN_SYNCHRONOUS 只能是 full 或 normal: " + v,
                        "JINGZHUN_SYNCHRONOUS must be full or normal: " + v);
    }
    auto store = std::make_unique<SqliteStore>(db, path, synchronous);
    if (auto r = store->Init(mode); !r) return std::unexpected(r.error());
    if (options.mmap_bytes > 0)
        sqlite3_exec(db, ("PRAGMA mmap_size=" + std::to_string(options.mmap_bytes)).c_str(), nullptr, nullptr,
                     nullptr);  // a hint: SQLite may cap it, and a failure only costs speed
    return std::unique_ptr<Store>(std::move(store));
}

namespace {

// fsync of a file or a directory (so a rename is on the disk too).
Result<void> SyncPath(const std::string& path, bool directory) {
    const int fd = ::open(path.c_str(), directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
    if (fd < 0)
        return Fail("store.io", "db", "无法打开 " + path + ": " + std::strerror(errno),
                    "cannot open " + path + ": " + std::strerror(errno));
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0)
        return Fail("store.io", "db", "无法同步 " + path + ": " + std::strerror(err),
                    "cannot sync " + path + ": " + std::strerror(err));
    return {};
}

std::string DirectoryOf(const std::string& path) {
    const std::filesystem::path p = std::filesystem::absolute(path).parent_path();
    return p.empty() ? std::string(".") : p.string();
}

// Is any byte of [start, start+len) of `path` locked by another process? (F_GETLK ignores our own.)
bool LockedByOther(const std::string& path, off_t start, off_t len) {
    const int fd = ::open(path.c_str(), O_RDWR);
    if (fd < 0) return false;
    struct flock fl{};
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    fl.l_start = start;
    fl.l_len = len;
    const bool locked = ::fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
    ::close(fd);
    return locked;
}

// Opens a database file as a store, audits it and checks its integrity.
Result<void> AuditCopy(const std::string& path, ChainVerification& audit, std::vector<std::string>& problems,
                       int64_t* households = nullptr) {
    auto store = OpenSqliteStore(path, OpenMode::kExisting);
    if (!store) return std::unexpected(store.error());
    auto integrity = (*store)->CheckIntegrity();
    if (!integrity) return std::unexpected(integrity.error());
    problems = std::move(*integrity);
    if (!problems.empty()) return {};  // the audit of a damaged file would only add noise
    auto v = (*store)->VerifyChangeLog();
    if (!v) return std::unexpected(v.error());
    audit = std::move(*v);
    if (households) {
        auto n = (*store)->CountHouseholds();
        if (!n) return std::unexpected(n.error());
        *households = *n;
    }
    return {};
}

void RemoveDatabaseFiles(const std::string& path) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix, ec);
}

}  // namespace

Result<bool> DatabaseInUse(const std::string& db_path) {
    // SQLite's unix locks: the lock bytes of the database file at 1 GiB (rollback and WAL writers
    // take them) and, in WAL mode, the "dead man switch" byte 128 of the -shm file, read-locked by
    // every connection for as long as it is open.
    constexpr off_t kPendingByte = 0x40000000;
    if (LockedByOther(db_path, kPendingByte, 512 + 2)) return true;
    std::error_code ec;
    if (std::filesystem::exists(db_path + "-shm", ec) && LockedByOther(db_path + "-shm", 128, 1)) return true;
    return false;
}

Result<BackupResult> BackupSqlite(const std::string& db_path, const std::string& out_path) {
    std::error_code ec;
    if (!std::filesystem::exists(db_path, ec))
        return Fail("store.missing", "db", "数据库文件不存在: " + db_path, "no database at " + db_path);
    if (std::filesystem::equivalent(db_path, out_path, ec))
        return Fail("usage.out", "--out", "备份文件不能是数据库本身", "the backup cannot be the database itself");
    if (sodium_init() < 0) return Fail("store.crypto", "", "无法初始化加密库", "cannot initialise libsodium");
    const std::string tmp = out_path + ".tmp-" + std::to_string(::getpid());
    RemoveDatabaseFiles(tmp);
    sqlite3* src = nullptr;
    sqlite3* dst = nullptr;
    auto close_both = [&] {
        sqlite3_close_v2(src);
        sqlite3_close_v2(dst);
        src = dst = nullptr;
    };
    auto fail = [&](const std::string& what, sqlite3* db) -> Error {
        std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
        close_both();
        RemoveDatabaseFiles(tmp);
        return Error{.code = "store.io",
                     .field = "--out",
                     .message_zh = "备份失败(" + what + "): " + msg,
                     .message_en = "backup failed (" + what + "): " + msg};
    };
    if (sqlite3_open_v2(db_path.c_str(), &src, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK)
        return std::unexpected(fail("open " + db_path, src));
    sqlite3_busy_timeout(src, 5000);
    if (sqlite3_open_v2(tmp.c_str(), &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK)
        return std::unexpected(fail("create " + tmp, dst));
    sqlite3_busy_timeout(dst, 5000);
    // One snapshot for every step: a read transaction held across them, so writes committed by
    // others meanwhile neither restart the copy nor enter it.
    if (sqlite3_exec(src, "BEGIN; SELECT count(*) FROM sqlite_schema;", nullptr, nullptr, nullptr) != SQLITE_OK)
        return std::unexpected(fail("read " + db_path, src));
    sqlite3_backup* backup = sqlite3_backup_init(dst, "main", src, "main");
    if (!backup) return std::unexpected(fail("start", dst));
    constexpr int kPagesPerStep = 4096;  // 16 MiB of 4 KiB pages between pauses
    int rc;
    while ((rc = sqlite3_backup_step(backup, kPagesPerStep)) == SQLITE_OK || rc == SQLITE_BUSY ||
           rc == SQLITE_LOCKED)
        if (rc != SQLITE_OK) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) return std::unexpected(fail("copy", dst));
    sqlite3_exec(src, "COMMIT", nullptr, nullptr, nullptr);
    close_both();

    BackupResult out;
    out.path = out_path;
    if (auto r = AuditCopy(tmp, out.audit, out.integrity_problems); !r) {
        RemoveDatabaseFiles(tmp);
        return std::unexpected(r.error());
    }
    if (!out.integrity_problems.empty()) {
        const std::string first = out.integrity_problems.front();
        RemoveDatabaseFiles(tmp);
        return Fail("backup.unsound", "--out", "备份副本未通过完整性检查: " + first,
                    "the copy failed the integrity check: " + first);
    }
    if (auto r = SyncPath(tmp, false); !r) return std::unexpected(r.error());
    for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(out_path + suffix, ec);
    std::filesystem::rename(tmp, out_path, ec);
    if (ec) {
        RemoveDatabaseFiles(tmp);
        return Fail("store.io", "--out", "无法写入 " + out_path + ": " + ec.message(),
                    "cannot write " + out_path + ": " + ec.message());
    }
    if (auto r = SyncPath(DirectoryOf(out_path), true); !r) return std::unexpected(r.error());
    out.bytes = static_cast<int64_t>(std::filesystem::file_size(out_path, ec));
    return out;
}

Result<RestoreResult> RestoreSqlite(const std::string& backup_path, const std::string& db_path, bool force) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(backup_path, ec))
        return Fail("store.missing", "backup", "备份文件不存在: " + backup_path, "no backup at " + backup_path);
    if (std::filesystem::exists(db_path, ec) && std::filesystem::equivalent(backup_path, db_path, ec))
        return Fail("usage.restore", "backup", "备份文件就是数据库本身", "the backup is the database itself");
    auto in_use = DatabaseInUse(db_path);
    if (!in_use) return std::unexpected(in_use.error());
    if (*in_use)
        return Fail("store.in_use", "db", "数据库正被其他程序使用(先停止 jingzhun serve): " + db_path,
                    "the database is open in another process (stop jingzhun serve first): " + db_path);
    const bool exists = std::filesystem::exists(db_path, ec);
    if (exists && !force)
        return Fail("store.exists", "db", "数据库已存在: " + db_path + "(用 --force 替换,原文件保留为 .bak)",
                    "a database exists at " + db_path + " (use --force to replace it; it is kept as .bak)");
    const std::string tmp = db_path + ".restore-" + std::to_string(::getpid());
    RemoveDatabaseFiles(tmp);
    std::filesystem::copy_file(backup_path, tmp, std::filesystem::copy_options::overwrite_existing, ec);
    if (ec)
        return Fail("store.io", "db", "无法复制备份: " + ec.message(), "cannot copy the backup: " + ec.message());
    RestoreResult out;
    if (auto r = AuditCopy(tmp, out.audit, out.integrity_problems, &out.households); !r) {
        RemoveDatabaseFiles(tmp);
        return std::unexpected(r.error());
    }
    if (!out.integrity_problems.empty() || !out.audit.intact()) {
        RemoveDatabaseFiles(tmp);
        return out;  // restored stays false
    }
    if (auto r = SyncPath(tmp, false); !r) return std::unexpected(r.error());
    if (exists) {
        out.kept = db_path + ".bak";
        RemoveDatabaseFiles(out.kept);
        std::filesystem::rename(db_path, out.kept, ec);
        if (!ec && std::filesystem::exists(db_path + "-wal")) std::filesystem::rename(db_path + "-wal", out.kept + "-wal", ec);
        if (ec) {
            RemoveDatabaseFiles(tmp);
            return Fail("store.io", "db", "无法保留原数据库: " + ec.message(),
                        "cannot keep the old database: " + ec.message());
        }
        std::filesystem::remove(db_path + "-shm", ec);
    }
    std::filesystem::rename(tmp, db_path, ec);
    if (ec)
        return Fail("store.io", "db", "无法放置恢复的数据库: " + ec.message(),
                    "cannot put the restored database in place: " + ec.message());
    if (auto r = SyncPath(DirectoryOf(db_path), true); !r) return std::unexpected(r.error());
    out.restored = true;
    return out;
}

}  // namespace jz
