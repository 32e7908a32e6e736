// The SQLite adapter alone (plain TESTs, not the contract): its file, backup and restore, bulk load,
// migrations. Tampering with the change log in the file is in store_change_log_test.cc.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <fstream>

#include "store/sqlite_schema.h"
#include "store/store_test_fixture.h"

namespace jz::store_test {
namespace {

// SQLite-specific: opening modes, schema version, damaged files.
TEST(SqliteStore, OpenModes) {
    const std::string path = TempPath("modes.db");
    auto missing = OpenSqliteStore(path, OpenMode::kExisting);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "store.missing");
    auto created = OpenSqliteStore(path, OpenMode::kCreate);
    ASSERT_TRUE(created);
    EXPECT_EQ((*created)->schema_version(), SqliteSchemaVersion());
    created->reset();
    auto exists = OpenSqliteStore(path, OpenMode::kCreate);
    ASSERT_FALSE(exists);
    EXPECT_EQ(exists.error().code, "store.exists");
    auto reopened = OpenSqliteStore(path, OpenMode::kExisting);
    ASSERT_TRUE(reopened);
    EXPECT_EQ((*reopened)->schema_version(), SqliteSchemaVersion());
}

TEST(SqliteStore, GarbageFileIsReportedAsCorrupt) {
    const std::string path = TempPath("garbage.db");
    std::ofstream(path) << std::string(8192, 'x');
    auto r = OpenSqliteStore(path, OpenMode::kExisting);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "store.corrupt");
}

TEST(SqliteStore, BackupIsACheckedCopyAndRestoreKeepsTheOldFile) {
    const std::string path = MakeTamperDatabase();
    const std::string backup = TempPath("backup.db");
    auto b = BackupSqlite(path, backup);
    ASSERT_TRUE(b) << b.error().message_en;
    EXPECT_TRUE(b->audit.intact());
    EXPECT_TRUE(b->integrity_problems.empty());
    EXPECT_GT(b->bytes, 0);
    EXPECT_EQ(b->audit.last_hash, OpenSqliteStore(path, OpenMode::kExisting).value()->Head().value().hash);
    EXPECT_FALSE(fs::exists(backup + ".tmp-" + std::to_string(::getpid())));
    // Restored over a database that has since changed: the old one is kept as .bak.
    {
        auto store = OpenSqliteStore(path, OpenMode::kExisting).value();
        ASSERT_TRUE(store->Begin());
        ASSERT_TRUE(store->InsertHousehold(MakeHousehold("T8", 8), kChange));
        ASSERT_TRUE(store->Commit());
    }
    EXPECT_EQ(CodeOf(RestoreSqlite(backup, path, false)), "store.exists");
    auto r = RestoreSqlite(backup, path, true);
    ASSERT_TRUE(r) << r.error().message_en;
    EXPECT_TRUE(r->restored);
    EXPECT_EQ(r->households, 4);
    EXPECT_EQ(r->kept, path + ".bak");
    EXPECT_EQ(OpenSqliteStore(path, OpenMode::kExisting).value()->CountHouseholds().value(), 4);
    EXPECT_EQ(OpenSqliteStore(path + ".bak", OpenMode::kExisting).value()->CountHouseholds().value(), 5);
    // A backup whose rows were edited is not put in place.
    ExecOn(backup, "UPDATE household SET net_income_per_head = 1 WHERE household_code = 'T0'");
    const std::string fresh = TempPath("fresh.db");
    auto refused = RestoreSqlite(backup, fresh, false);
    ASSERT_TRUE(refused);
    EXPECT_FALSE(refused->restored);
    EXPECT_EQ(refused->audit.mismatch_count, 1);
    EXPECT_FALSE(fs::exists(fresh));
    EXPECT_EQ(CodeOf(BackupSqlite(TempPath("none.db"), backup)), "store.missing");
    EXPECT_EQ(CodeOf(RestoreSqlite(TempPath("none.db"), fresh, false)), "store.missing");
}

// Rows of a query on the file, read on a connection of its own, each row's columns joined by '|'.
std::vector<std::string> QueryRows(const std::string& path, const char* sql) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_stmt* st = nullptr;
    std::vector<std::string> rows;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        std::string row;
        for (int i = 0; i < sqlite3_column_count(st); ++i) {
            if (i > 0) row += '|';
            if (const unsigned char* t = sqlite3_column_text(st, i)) row += reinterpret_cast<const char*>(t);
        }
        rows.push_back(std::move(row));
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rows;
}

// The explicitly created indexes (name and definition), by name.
std::vector<std::string> IndexDefinitions(const std::string& path) {
    return QueryRows(path,
                     "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                     " ORDER BY name");
}

int64_t CountIndexes(const std::string& path) { return static_cast<int64_t>(IndexDefinitions(path).size()); }

TEST(SqliteStore, BulkLoadRebuildsIndexesAndRollsBackCleanly) {
    const std::string path = TempPath("bulk.db");
    auto store = OpenSqliteStore(path, OpenMode::kCreate).value();
    ASSERT_TRUE(store->Begin());
    ASSERT_TRUE(store->SaveOrgUnits(SmallTree(), kChange));
    ASSERT_TRUE(store->SavePlan("p", "id = \"p\"", kChange));
    ASSERT_TRUE(store->Commit());
    // A read left mid-step (a single-row lookup) must not block the index drop.
    ASSERT_TRUE(store->LoadPlanText().value().has_value());
    const int64_t indexes = CountIndexes(path);
    // The six the bulk load drops, session_account, three on procedure_case and five more of the ledger
    // (assistance_item_code, assistance_item_facts, income_year, coverage_household, coverage_year), and
    // thirteen of pairing (three on cadre, four on pairing, two on team_member, three on visit, one on
    // visit_summary), two of funds (fund_project_division, fund_entry_reverses), two of the project
    // library (project_division, project_beneficiary_household), and six of shares (asset_division,
    // share_holding_holder, share_move_asset, two on share_certificate, dividend_line_holder), two of
    // the household events (household_event_effective, household_event_household) and one of the
    // issued reports (issued_reports_unit).
    ASSERT_EQ(indexes, 41);
    const std::vector<std::string> definitions = IndexDefinitions(path);
    // A failed bulk load: the dropped indexes come back with the rollback.
    ASSERT_TRUE(store->Begin());
    ASSERT_TRUE(store->BeginBulkLoad());
    ASSERT_TRUE(store->InsertHousehold(MakeHousehold("B0", 0), kChange));
    store->Rollback();
    EXPECT_EQ(IndexDefinitions(path), definitions);
    // A finished one: indexes rebuilt over the new rows, lookups work.
    const Household h = MakeHousehold("B1", 1);
    ASSERT_TRUE(store->Begin());
    ASSERT_TRUE(store->BeginBulkLoad());
    ASSERT_TRUE(store->InsertHousehold(h, kChange));
    ASSERT_TRUE(store->EndBulkLoad());
    ASSERT_TRUE(store->Commit());
    EXPECT_EQ(IndexDefinitions(path), definitions) << "rebuilt exactly as the migrations define them";
    EXPECT_EQ(store->FindHouseholdOfIdNumber(h.members[1].id_number).value(),
              std::optional<std::string>("B1"));
    EXPECT_EQ(store->ChangeLog({.entity_key = "B1"}).value().size(), 1u);
    EXPECT_FALSE(store->VerifyChangeLog()->first_bad.has_value());
}

TEST(SqliteStore, NewerSchemaIsRefused) {
    const std::string path = TempPath("newer.db");
    ASSERT_TRUE(OpenSqliteStore(path, OpenMode::kCreate));
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version=99", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    auto r = OpenSqliteStore(path, OpenMode::kExisting);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "store.too_new");
}

void Exec(sqlite3* db, const std::string& sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "") << "\n" << sql.substr(0, 200);
    sqlite3_free(err);
}

// The columns of a table on a connection, comma-separated.
std::string ColumnsOf(sqlite3* db, const std::string& table) {
    sqlite3_stmt* st = nullptr;
    std::string out;
    EXPECT_EQ(sqlite3_prepare_v2(db, ("PRAGMA main.table_info(" + table + ")").c_str(), -1, &st, nullptr),
              SQLITE_OK);
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        if (!out.empty()) out += ", ";
        out += reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    return out;
}

// A database as version `version` of the program left it: the schema of migrations up to it, a
// registry, an import and a chained change log (its rows written by the current store and copied
// over unchanged, in the columns the old schema has: a log entry's fields and hash do not depend
// on the schema version). `source_path` receives the database the rows came from.
std::string MakeOldDatabase(const std::string& name, int version, ChainVerification& chain,
                            const std::vector<Household>& extra = {}, std::string* source_path = nullptr) {
    const std::string source = TempPath(name + "-source.db");
    if (source_path) *source_path = source;
    {
        auto store = OpenSqliteStore(source, OpenMode::kCreate).value();
        EXPECT_TRUE(store->Begin());
        EXPECT_TRUE(store->SaveOrgUnits(SmallTree(), kChange));
        EXPECT_TRUE(store->SavePlan("p", "id = \"p\"", kChange));
        EXPECT_TRUE(store->PutSetting("county_code", "540425"));
        ChangeContext imported = kChange;
        imported.import_id = store->BeginImport("registry.csv", kChange).value();
        for (int i = 0; i < 3; ++i)
            EXPECT_TRUE(store->InsertHousehold(MakeHousehold("V" + std::to_string(i), i), imported));
        EXPECT_TRUE(store->FinishImport(*imported.import_id, "{}"));
        EXPECT_TRUE(store->Commit());
        Household changed = MakeHousehold("V1", 1);
        changed.status = codes::kStatusExited;
        auto before = store->FindHousehold("V1").value().value();
        EXPECT_TRUE(store->Begin());
        EXPECT_TRUE(store->UpdateHousehold(before, changed, kChange));
        EXPECT_TRUE(store->Commit());
        if (!extra.empty()) {
            EXPECT_TRUE(store->Begin());
            for (const Household& h : extra) EXPECT_TRUE(store->InsertHousehold(h, kChange));
            EXPECT_TRUE(store->Commit());
        }
        chain = store->VerifyChangeLog().value();
    }
    const std::string path = TempPath(name + "-v" + std::to_string(version) + ".db");
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    Exec(db, "BEGIN");
    for (int v = 0; v < version; ++v) Exec(db, std::string(sqlite_schema::kMigrations[v]));
    Exec(db, "ATTACH DATABASE '" + source + "' AS source");
    for (const char* table :
         {"setting", "plan", "org_unit", "org_unit_name", "import", "household", "person", "change_log"}) {
        const std::string columns = ColumnsOf(db, table);
        Exec(db, std::string("INSERT INTO main.") + table + " (" + columns + ") SELECT " + columns +
                     " FROM source." + table);
    }
    Exec(db, "COMMIT");
    Exec(db, "DETACH DATABASE source");
    Exec(db, "PRAGMA user_version=" + std::to_string(version));
    sqlite3_close(db);
    return path;
}

std::string MakeVersion1Database(const std::string& name, ChainVerification& chain) {
    return MakeOldDatabase(name, 1, chain);
}

// Entries migration 006 appended (the free-text pairing names adopted as cadres and pairings): an
// old database's own entries stay as they were, and the chain goes on from them.
int64_t AdoptedEntries(const std::string& path) {
    return std::stoll(QueryRows(path, "SELECT count(*) FROM change_log WHERE actor = 'system:migration-006'").at(0));
}

TEST(SqliteStore, Version1DatabaseIsMigratedWithItsChainIntact) {
    ChainVerification chain;
    const std::string path = MakeVersion1Database("migrate", chain);
    ASSERT_EQ(chain.entries, 6);  // the org units, the plan, three households, one update
    ASSERT_FALSE(chain.first_bad.has_value());
    ASSERT_EQ(QueryRows(path, "PRAGMA user_version"), std::vector<std::string>{"1"});
    const std::vector<std::string> v1_log =
        QueryRows(path,
                  "SELECT seq, at, actor, county_code, entity, entity_key, action, before_json, after_json,"
                  " import_id, hex(hash) FROM change_log WHERE actor <> 'system:migration-006' ORDER BY seq");
    ASSERT_EQ(v1_log.size(), 6u);

    auto store = OpenSqliteStore(path, OpenMode::kExisting);
    ASSERT_TRUE(store) << store.error().ToString();
    // One cadre (张伟, rank unknown) and the three households' pairings.
    const int64_t adopted = AdoptedEntries(path);
    EXPECT_EQ(adopted, 4);
    EXPECT_EQ((*store)->schema_version(), SqliteSchemaVersion());
    EXPECT_EQ(QueryRows(path, "PRAGMA user_version"), std::vector<std::string>{std::to_string(SqliteSchemaVersion())});
    auto v = (*store)->VerifyChangeLog().value();
    EXPECT_EQ(v.entries, chain.entries + adopted);
    EXPECT_FALSE(v.first_bad.has_value());
    EXPECT_EQ(QueryRows(path,
                        "SELECT seq, at, actor, county_code, entity, entity_key, action, before_json,"
                        " after_json, import_id, hex(hash) FROM change_log WHERE actor <> 'system:migration-006'"
                        " ORDER BY seq"),
              v1_log)
        << "every row copied unchanged";
    EXPECT_EQ((*store)->ChangeLog({.entity_key = "V0"}).value().at(0).import_id, std::optional<int64_t>(1));
    EXPECT_EQ((*store)->CountHouseholds().value(), 3);
    EXPECT_EQ(QueryRows(path, "PRAGMA foreign_key_check"), std::vector<std::string>{});
    EXPECT_EQ(QueryRows(path, "PRAGMA integrity_check"), std::vector<std::string>{"ok"});
    // The rebuilt table keeps 001's indexes and its reference to import.
    EXPECT_EQ(
        QueryRows(path,
                  "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'change_log' AND"
                  " type = 'index' ORDER BY name"),
        (std::vector<std::string>{"change_log_actor|CREATE INDEX change_log_actor ON change_log(actor, seq)",
                                  "change_log_entity|CREATE INDEX change_log_entity ON "
                                  "change_log(entity, entity_key, seq)"}));
    EXPECT_EQ(
        QueryRows(path, "SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list('change_log')"),
        std::vector<std::string>{"import|import_id|id"});
    EXPECT_EQ(QueryRows(path, "SELECT count(*) FROM sqlite_master WHERE name = 'change_log_new'"),
              std::vector<std::string>{"0"});

    // The chain goes on, with the new kinds of entries.
    ASSERT_TRUE((*store)->Begin());
    ASSERT_TRUE((*store)->InsertAccount(MakeAccount("alice"), kChange));
    ASSERT_TRUE((*store)->RecordEvent("account", "alice", "login", "{}", kChange));
    ASSERT_TRUE((*store)->InsertHousehold(MakeHousehold("V9", 9), kChange));
    ASSERT_TRUE((*store)->Commit());
    v = (*store)->VerifyChangeLog().value();
    EXPECT_EQ(v.entries, chain.entries + adopted + 3);
    EXPECT_FALSE(v.first_bad.has_value());
    EXPECT_EQ((*store)->LastChangeSeq().value(), chain.entries + adopted + 3);
    store->reset();
    // Opening again applies nothing more.
    auto again = OpenSqliteStore(path, OpenMode::kExisting);
    ASSERT_TRUE(again);
    EXPECT_EQ((*again)->VerifyChangeLog().value().entries, chain.entries + adopted + 3);
}

// A migration that cannot complete leaves the database as it was (each runs in one transaction).
TEST(SqliteStore, FailedMigrationChangesNothing) {
    ChainVerification chain;
    const std::string path = MakeVersion1Database("failed-migration", chain);
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    Exec(db, "CREATE TABLE account (x)");  // 002 cannot create its table
    sqlite3_close(db);
    auto r = OpenSqliteStore(path, OpenMode::kExisting);
    ASSERT_FALSE(r);
    EXPECT_EQ(QueryRows(path, "PRAGMA user_version"), std::vector<std::string>{"1"});
    EXPECT_EQ(QueryRows(path, "SELECT count(*) FROM change_log"), std::vector<std::string>{"6"});
    EXPECT_EQ(
        QueryRows(path, "SELECT count(*) FROM sqlite_master WHERE name IN ('session', 'change_log_new')"),
        std::vector<std::string>{"0"});
}

// Removing an account (outside the program: the store has no call for it) ends its sessions.
TEST(SqliteStore, SessionsGoWithTheirAccount) {
    const std::string path = TempPath("cascade.db");
    auto store = OpenSqliteStore(path, OpenMode::kCreate).value();
    ASSERT_TRUE(store->Begin());
    const int64_t alice = store->InsertAccount(MakeAccount("alice"), kChange).value();
    const int64_t bob = store->InsertAccount(MakeAccount("bob"), kChange).value();
    ASSERT_TRUE(store->InsertSession(MakeSession("a1", alice, "2026-11-29T08:00:00Z")));
    ASSERT_TRUE(store->InsertSession(MakeSession("b1", bob, "2026-11-29T08:00:00Z")));
    ASSERT_TRUE(store->Commit());
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    Exec(db, "PRAGMA foreign_keys=ON; DELETE FROM account WHERE username = 'alice'");
    sqlite3_close(db);
    EXPECT_EQ(store->FindSession("a1").value(), std::nullopt);
    EXPECT_TRUE(store->FindSession("b1").value());
}

// Entries of accounts and events carry the database's county, like the rest of its log.
TEST(SqliteStore, AccountEntriesCarryTheCounty) {
    const std::string path = TempPath("county.db");
    auto store = OpenSqliteStore(path, OpenMode::kCreate).value();
    ASSERT_TRUE(store->Begin());
    ASSERT_TRUE(store->InsertAccount(MakeAccount("early"), kChange));
    ASSERT_TRUE(store->PutSetting("county_code", "540425"));
    ASSERT_TRUE(store->InsertAccount(MakeAccount("alice"), kChange));
    ASSERT_TRUE(store->RecordEvent("account", "alice", "logout", "", kChange));
    ASSERT_TRUE(store->Commit());
    EXPECT_EQ(QueryRows(path, "SELECT entity_key, action, county_code FROM change_log ORDER BY seq"),
              (std::vector<std::string>{"early|insert|", "alice|insert|540425", "alice|logout|540425"}));
    EXPECT_FALSE(store->VerifyChangeLog()->first_bad.has_value());
    EXPECT_EQ(
        QueryRows(path, "SELECT count(*) FROM change_log WHERE coalesce(after_json, '') LIKE '%argon2%'"),
        std::vector<std::string>{"0"});
}

// A version-2 database (before dynamic management) gains the tables and the out-of-school facts,
// computed from its persons exactly as the store computes them on a write.
TEST(SqliteStore, Version2DatabaseIsMigratedWithOutOfSchoolDatesBackfilled) {
    Household mixed = MakeHousehold("M1", 11);
    mixed.members[0].schooling = codes::kSchoolingNone;
    Person pupil = mixed.members[1];
    pupil.name = "小卓玛";
    pupil.id_number = MakeIdNumber("540425", {2009, 6, 1}, 93);
    pupil.birth_date = {2009, 6, 1};
    pupil.schooling = 3;
    Person baby = pupil;
    baby.name = "小次仁";
    baby.id_number = MakeIdNumber("540425", {2016, 1, 9}, 94);
    baby.birth_date = {2016, 1, 9};
    baby.schooling.reset();
    mixed.members.insert(mixed.members.begin() + 1, pupil);
    mixed.members.push_back(baby);
    Household students = MakeHousehold("M2", 12);
    for (Person& p : students.members) p.schooling = 5;
    ChainVerification chain;
    std::string source;
    const std::string path = MakeOldDatabase("migrate2", 2, chain, {mixed, students}, &source);
    ASSERT_EQ(chain.entries, 8);
    ASSERT_EQ(QueryRows(path, "PRAGMA user_version"), std::vector<std::string>{"2"});
    const char* kFacts =
        "SELECT household_code, out_of_school_birth_dates FROM household ORDER BY household_code";
    const std::vector<std::string> written = QueryRows(source, kFacts);
    const char* kLog =
        "SELECT seq, at, actor, county_code, entity, entity_key, action, before_json, after_json, import_id,"
        " hex(hash) FROM change_log WHERE actor <> 'system:migration-006' ORDER BY seq";
    const std::vector<std::string> v2_log = QueryRows(path, kLog);

    auto store = OpenSqliteStore(path, OpenMode::kExisting);
    ASSERT_TRUE(store) << store.error().ToString();
    const int64_t adopted = AdoptedEntries(path);
    EXPECT_EQ(adopted, 6);  // one cadre, five pairings
    EXPECT_EQ((*store)->schema_version(), SqliteSchemaVersion());
    EXPECT_EQ(QueryRows(path, "PRAGMA user_version"), std::vector<std::string>{std::to_string(SqliteSchemaVersion())});
    EXPECT_EQ(QueryRows(path, kFacts), written) << "backfilled as a write computes it";
    EXPECT_EQ(QueryRows(path,
                        "SELECT out_of_school_birth_dates FROM household WHERE household_code IN ('M1', 'M2')"
                        " ORDER BY household_code"),
              (std::vector<std::string>{"19700305,19720811,20160109", ""}));
    EXPECT_EQ(QueryRows(path, kLog), v2_log) << "the log is untouched";
    auto v = (*store)->VerifyChangeLog().value();
    EXPECT_EQ(v.entries, chain.entries + adopted);
    EXPECT_FALSE(v.first_bad.has_value());
    EXPECT_EQ(QueryRows(path, "PRAGMA foreign_key_check"), std::vector<std::string>{});
    EXPECT_EQ(QueryRows(path, "PRAGMA integrity_check"), std::vector<std::string>{"ok"});
    // Every household's stored facts are those of the household.
    int scanned = 0;
    ASSERT_TRUE((*store)->ScanFacts({}, [&](const HouseholdFacts& f) {
        auto h = (*store)->FindHousehold(f.household_code).value();
        EXPECT_TRUE(h.has_value());
        if (h) EXPECT_EQ(f, FactsOf(h->household)) << f.household_code;
        ++scanned;
        return true;
    }));
    EXPECT_EQ(scanned, 5);

    // The new tables work, and the chain goes on.
    ASSERT_TRUE((*store)->Begin());
    const int64_t id = (*store)->InsertCase(MakeCase(ProcedureKind::kExit, "M1", 2017), kChange).value();
    ASSERT_TRUE((*store)->PutPopulation({"540425", 2017, 30000}, kChange));
    ASSERT_TRUE((*store)->InsertEvaluation(MakeEvaluation(2017), kChange));
    ASSERT_TRUE(
        (*store)->InsertAdjustmentApproval({2017, "540425", "c", "t", {2017, 12, 1}, "", "{}"}, kChange));
    ASSERT_TRUE((*store)->Commit());
    EXPECT_EQ((*store)->FindCase(id).value().value().household_code, "M1");
    v = (*store)->VerifyChangeLog().value();
    EXPECT_EQ(v.entries, chain.entries + adopted + 4);
    EXPECT_FALSE(v.first_bad.has_value());
    store->reset();
    auto again = OpenSqliteStore(path, OpenMode::kExisting);
    ASSERT_TRUE(again);
    EXPECT_EQ((*again)->schema_version(), SqliteSchemaVersion());
    EXPECT_EQ((*again)->VerifyChangeLog().value().entries, chain.entries + adopted + 4);
}

// A version 4 database (before the assistance ledger) gets the ledger's tables, its log untouched;
// the ledger then works and is audited with the rest.
TEST(SqliteStore, Version4DatabaseGainsTheAssistanceLedger) {
    ChainVerification chain;
    const std::string path = MakeOldDatabase("migrate4", 4, chain);
    ASSERT_EQ(QueryRows(path, "PRAGMA user_version"), std::vector<std::string>{"4"});
    ASSERT_EQ(QueryRows(path, "SELECT count(*) FROM sqlite_master WHERE name = 'assistance_item'"),
              std::vector<std::string>{"0"});
    const char* kLog =
        "SELECT seq, at, actor, county_code, entity, entity_key, action, before_json, after_json, import_id,"
        " hex(hash) FROM change_log WHERE actor <> 'system:migration-006' ORDER BY seq";
    const std::vector<std::string> v4_log = QueryRows(path, kLog);
    const std::string backups = TempPath("migrate4-backups");
    auto up = UpgradeSqlite(path, backups);
    ASSERT_TRUE(up) << up.error().ToString();
    const int64_t adopted = AdoptedEntries(path);
    EXPECT_EQ(adopted, 4);
    EXPECT_EQ(up->from, 4);
    EXPECT_EQ(up->to, SqliteSchemaVersion());
    EXPECT_FALSE(up->backup_path.empty());
    EXPECT_EQ(QueryRows(path, kLog), v4_log) << "the log is untouched";
    EXPECT_EQ(QueryRows(path,
                        "SELECT name FROM sqlite_master WHERE name IN ('assistance_item', 'income', 'coverage',"
                        " 'assistance_item_code', 'assistance_item_division', 'assistance_item_facts', 'income_year',"
                        " 'coverage_household', 'coverage_year')"
                        " ORDER BY name"),
              (std::vector<std::string>{"assistance_item", "assistance_item_code", "assistance_item_division",
                                        "assistance_item_facts", "coverage", "coverage_household", "coverage_year", "income",
                                        "income_year"}));
    auto store = OpenSqliteStore(path, OpenMode::kExisting);
    ASSERT_TRUE(store) << store.error().ToString();
    ASSERT_TRUE((*store)->Begin());
    AssistanceRecord item;
    item.division_code = "540425100201";
    item.item.item_code = "V1-001";
    item.item.household_code = "V1";
    item.item.measure = 8;
    item.item.category = 1;
    item.item.kind = 1;
    item.item.start_date = {2017, 3, 1};
    ASSERT_TRUE((*store)->InsertAssistance(item, kChange));
    ASSERT_TRUE((*store)->PutIncome({.household_code = "V1", .year = 2017, .persons = 2, .wage = 1}, "540425100201",
                                    std::nullopt, kChange));
    ASSERT_TRUE((*store)->Commit());
    EXPECT_EQ((*store)->LastAssistanceNumber("V1").value(), 1);
    const ChainVerification v = (*store)->VerifyChangeLog().value();
    EXPECT_EQ(v.entries, chain.entries + adopted + 2);
    EXPECT_FALSE(v.first_bad.has_value());
    EXPECT_EQ(v.mismatch_count, 0);
    EXPECT_EQ(QueryRows(path, "PRAGMA integrity_check"), std::vector<std::string>{"ok"});
}

// A version 5 database (before pairing) gets the pairing tables, and migration 006 turns the
// free-text pairing names into cadres of rank unknown with current pairings beginning on the day
// of the upgrade, logged after the old entries; everything verifies.
TEST(SqliteStore, Version5DatabaseGainsCadresAndPairingsFromTheNames) {
    Household other = MakeHousehold("V7", 7);
    other.division_code = "540425100200";
    other.pairing_cadre = "李娜";
    Household nobody = MakeHousehold("V8", 8);
    nobody.pairing_cadre = "";
    ChainVerification chain;
    const std::string path = MakeOldDatabase("migrate5", 5, chain, {other, nobody});
    ASSERT_EQ(QueryRows(path, "SELECT count(*) FROM sqlite_master WHERE name = 'cadre'"), std::vector<std::string>{"0"});
    const std::string backups = TempPath("migrate5-backups");
    auto up = UpgradeSqlite(path, backups);
    ASSERT_TRUE(up) << up.error().ToString();
    EXPECT_EQ(up->from, 5);
    EXPECT_EQ(up->to, SqliteSchemaVersion());
    EXPECT_EQ(QueryRows(up->backup_path, "PRAGMA user_version"), std::vector<std::string>{"5"});
    EXPECT_EQ(QueryRows(path, "SELECT name, rank, township_code, division_code, id_number FROM cadre ORDER BY id"),
              (std::vector<std::string>{"张伟|9|540425100|540425100|", "李娜|9|540425100|540425100|"}));
    const Date today = Date::BeijingDayOf(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
    const std::vector<std::string> pairings = QueryRows(
        path, "SELECT p.household_code, c.name, p.from_date, p.to_date IS NULL, p.reason FROM pairing p"
              " JOIN cadre c ON c.id = p.cadre_id ORDER BY p.household_code");
    const std::string day = std::to_string(today.year * 10000 + today.month * 100 + today.day);
    const std::string reason = "migrated from the free-text pairing cadre / 由原帮扶责任人文本迁移";
    // (The upgrade may straddle midnight: the day is checked to be one of two.)
    ASSERT_EQ(pairings.size(), 4u);
    EXPECT_EQ(pairings[0].substr(0, pairings[0].find('|', 3)), "V0|张伟");
    EXPECT_EQ(pairings[3].substr(0, pairings[3].find('|', 3)), "V7|李娜");
    for (const std::string& row : pairings) EXPECT_NE(row.find("|1|" + reason), std::string::npos) << row;
    EXPECT_TRUE(pairings[0].find("|" + day + "|") != std::string::npos ||
                QueryRows(path, "SELECT count(DISTINCT from_date) FROM pairing") == std::vector<std::string>{"1"});
    EXPECT_EQ(AdoptedEntries(path), 6);  // two cadres, four pairings
    auto store = OpenSqliteStore(path, OpenMode::kExisting).value();
    const ChainVerification v = store->VerifyChangeLog().value();
    EXPECT_EQ(v.entries, chain.entries + 6);
    EXPECT_FALSE(v.first_bad.has_value());
    EXPECT_EQ(v.mismatch_count, 0);
    EXPECT_EQ(store->ListCadres({.rank = kRankUnknown}).value().size(), 2u);
    EXPECT_FALSE(store->CurrentPairing("V8").value().has_value());
    EXPECT_EQ(QueryRows(path, "PRAGMA foreign_key_check"), std::vector<std::string>{});
    EXPECT_EQ(QueryRows(path, "PRAGMA integrity_check"), std::vector<std::string>{"ok"});
}

// A case whose stored body cannot be read is reported, not returned half-read.
TEST(SqliteStore, DamagedCaseBodyIsReportedAsCorrupt) {
    const std::string path = TempPath("case-body.db");
    auto store = OpenSqliteStore(path, OpenMode::kCreate).value();
    ASSERT_TRUE(store->Begin());
    const int64_t id = store->InsertCase(MakeCase(ProcedureKind::kExit, "H1", 2017), kChange).value();
    ASSERT_TRUE(store->Commit());
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    Exec(db, "UPDATE procedure_case SET body_json = '{\"id\": 1}'");
    sqlite3_close(db);
    EXPECT_EQ(CodeOf(store->FindCase(id)), "store.corrupt");
    EXPECT_EQ(CodeOf(store->ListCases({})), "store.corrupt");
}

// The upgrade path (UpgradeSqlite): an older database is backed up as it is, then migrated.
TEST(SqliteStore, UpgradeBacksUpTheOldFileThenMigrates) {
    ChainVerification chain;
    const std::string path = MakeVersion1Database("upgrade", chain);
    const std::string before = QueryRows(path, "SELECT count(*) FROM household").at(0);
    const std::string dir = TempPath("upgrade-backups");
    fs::remove_all(dir);
    EXPECT_EQ(ReadSqliteSchemaVersion(path).value(), 1);
    auto up = UpgradeSqlite(path, dir);
    ASSERT_TRUE(up) << up.error().ToString();
    EXPECT_EQ(up->from, 1);
    EXPECT_EQ(up->to, SqliteSchemaVersion());
    EXPECT_EQ(up->backup_path, (fs::path(dir) / (fs::path(path).stem().string() + "-before-v" +
                                                  std::to_string(SqliteSchemaVersion()) + ".db"))
                                   .string());
    EXPECT_GT(up->backup_bytes, 0);
    // The backup is the file as it was: the old version, its rows, sound; not migrated.
    EXPECT_EQ(QueryRows(up->backup_path, "PRAGMA user_version"), std::vector<std::string>{"1"});
    EXPECT_EQ(QueryRows(up->backup_path, "SELECT count(*) FROM household").at(0), before);
    EXPECT_EQ(QueryRows(up->backup_path, "PRAGMA integrity_check"), std::vector<std::string>{"ok"});
    EXPECT_EQ(QueryRows(up->backup_path, "SELECT count(*) FROM sqlite_master WHERE name = 'account'"),
              std::vector<std::string>{"0"});
    // The database is migrated, its data and chain intact.
    EXPECT_EQ(ReadSqliteSchemaVersion(path).value(), SqliteSchemaVersion());
    auto store = OpenSqliteStore(path, OpenMode::kExisting).value();
    const int64_t adopted = AdoptedEntries(path);
    EXPECT_EQ(adopted, 4);
    EXPECT_EQ(store->CountHouseholds().value(), 3);
    auto v = store->VerifyChangeLog().value();
    EXPECT_EQ(v.entries, chain.entries + adopted);
    store.reset();
    // Current now: nothing more, no second backup.
    auto again = UpgradeSqlite(path, dir);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->from, again->to);
    EXPECT_TRUE(again->backup_path.empty());
    EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
    // Restoring the backup gives the old data back, migrated again on the way.
    auto restored = RestoreSqlite(up->backup_path, TempPath("upgrade-restored.db"), true);
    ASSERT_TRUE(restored) << restored.error().ToString();
    EXPECT_TRUE(restored->restored);
    EXPECT_EQ(restored->households, 3);
}

TEST(SqliteStore, UpgradeKeepsEarlierBackupsAndRefusesANewerFile) {
    ChainVerification chain;
    const std::string dir = TempPath("upgrade2-backups");
    fs::remove_all(dir);
    const std::string path = MakeVersion1Database("upgrade2", chain);
    const std::string renamed = TempPath("upgrade2.db");
    fs::rename(path, renamed);
    const std::string name =
        fs::path(renamed).stem().string() + "-before-v" + std::to_string(SqliteSchemaVersion());
    fs::create_directories(dir);
    std::ofstream(fs::path(dir) / (name + ".db")) << "an earlier backup";
    auto up = UpgradeSqlite(renamed, dir);
    ASSERT_TRUE(up) << up.error().ToString();
    EXPECT_EQ(up->backup_path, (fs::path(dir) / (name + "-2.db")).string());
    std::ifstream earlier(fs::path(dir) / (name + ".db"));
    std::string text;
    std::getline(earlier, text);
    EXPECT_EQ(text, "an earlier backup") << "an earlier backup is never overwritten";

    // A database newer than the program: refused, untouched, no backup.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(renamed.c_str(), &db), SQLITE_OK);
    Exec(db, "PRAGMA user_version=" + std::to_string(SqliteSchemaVersion() + 1));
    sqlite3_close(db);
    auto newer = UpgradeSqlite(renamed, dir);
    ASSERT_FALSE(newer);
    EXPECT_EQ(newer.error().code, "store.too_new");
    EXPECT_NE(newer.error().message_en.find("newer than this program"), std::string::npos);
    EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 2);
    EXPECT_EQ(CodeOf(UpgradeSqlite(TempPath("upgrade-none.db"), dir)), "store.missing");
    // A fresh database is current: nothing to do.
    const std::string fresh = TempPath("upgrade-fresh.db");
    fs::remove(fresh);
    ASSERT_TRUE(OpenSqliteStore(fresh, OpenMode::kCreate));
    auto current = UpgradeSqlite(fresh, dir);
    ASSERT_TRUE(current);
    EXPECT_EQ(current->from, SqliteSchemaVersion());
    EXPECT_TRUE(current->backup_path.empty());
}

}  // namespace
}  // namespace jz::store_test
