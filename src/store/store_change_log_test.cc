// The change log: its chain, events, filters and the replay against the rows (every adapter); the
// chain and rows of a SQLite file tampered with outside the program; RowDiff.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store/change_chain.h"
#include "store/row_diff.h"
#include "store/store_test_fixture.h"

namespace jz::store_test {
namespace {

TEST_P(StoreContract, ChangeLogChainIsIntactAcrossTransactions) {
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(store_->Begin());
        ASSERT_TRUE(store_->InsertHousehold(MakeHousehold("C" + std::to_string(i), i), kChange));
        ASSERT_TRUE(store_->Commit());
    }
    ASSERT_TRUE(store_->Begin());  // a rolled-back entry leaves no gap
    ASSERT_TRUE(store_->InsertHousehold(MakeHousehold("X", 9), kChange));
    store_->Rollback();
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertHousehold(MakeHousehold("C3", 3), kChange));
    ASSERT_TRUE(store_->Commit());
    auto v = store_->VerifyChangeLog();
    ASSERT_TRUE(v);
    EXPECT_EQ(v->entries, 5);  // the org units, then four households
    EXPECT_FALSE(v->first_bad.has_value());
    EXPECT_EQ(v->last_hash.size(), 64u);
}

TEST_P(StoreContract, EventsJoinTheChain) {
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertAccount(MakeAccount("alice"), kChange));
    ASSERT_TRUE(store_->Commit());
    const ChangeContext at_login{"alice", "2026-11-29T08:00:00Z", std::nullopt};
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->RecordEvent("account", "alice", "login_failed", R"({"ip":"10.0.0.1"})", at_login));
    ASSERT_TRUE(store_->RecordEvent("account", "alice", "lock", "", at_login));
    ASSERT_TRUE(store_->RecordEvent("account", "alice", "login", R"({"ip":"10.0.0.1"})", at_login));
    ASSERT_TRUE(store_->RecordEvent("account", "alice", "logout", "{}", at_login));
    auto bad = store_->RecordEvent("account", "alice", "insert", "{}", at_login);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, "store.invalid");
    ASSERT_TRUE(store_->Commit());
    auto log = store_->ChangeLog({.entity_key = "alice"}).value();
    ASSERT_EQ(log.size(), 5u);
    EXPECT_EQ(log[1].action, "login_failed");
    EXPECT_EQ(log[1].actor, "alice");
    EXPECT_EQ(log[1].at, "2026-11-29T08:00:00Z");
    EXPECT_EQ(log[1].entity, "account");
    EXPECT_TRUE(log[1].before_json.empty());
    EXPECT_EQ(log[1].after_json, R"({"ip":"10.0.0.1"})");
    EXPECT_EQ(log[2].action, "lock");
    EXPECT_TRUE(log[2].after_json.empty());
    EXPECT_EQ(log[3].action, "login");
    EXPECT_EQ(log[4].action, "logout");
    auto v = store_->VerifyChangeLog().value();
    EXPECT_EQ(v.entries, 6);  // the org units, the account, four events
    EXPECT_FALSE(v.first_bad.has_value());
}

TEST_P(StoreContract, LastChangeSeqFollowsTheLog) {
    const int64_t start = store_->LastChangeSeq().value();
    EXPECT_EQ(start, 1);  // the org-unit load
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertHousehold(MakeHousehold("H1", 1), kChange));
    ASSERT_TRUE(store_->InsertAccount(MakeAccount("alice"), kChange));
    EXPECT_EQ(store_->LastChangeSeq().value(), start + 2) << "inside the transaction, its own writes";
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(store_->LastChangeSeq().value(), start + 2);
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertHousehold(MakeHousehold("H2", 2), kChange));
    store_->Rollback();
    EXPECT_EQ(store_->LastChangeSeq().value(), start + 2);
    auto log = store_->ChangeLog({}).value();
    EXPECT_EQ(log.back().seq, start + 2);
}

TEST_P(StoreContract, ChangeLogFilters) {
    Household a = MakeHousehold("A", 1);  // 540425100201
    Household c = MakeHousehold("C", 2);
    c.division_code = "540425100200";
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->InsertHousehold(a, kChange));                              // seq 2
    ASSERT_TRUE(store_->InsertHousehold(c, kChange));                              // seq 3
    ASSERT_TRUE(store_->InsertAccount(MakeAccount("alice"), kChange));             // seq 4
    ASSERT_TRUE(store_->RecordEvent("account", "alice", "login", "{}", kChange));  // seq 5
    ASSERT_TRUE(store_->Commit());
    auto keys = [&](const ChangeLogFilter& f) {
        std::vector<std::string> out;
        const std::vector<ChangeLogEntry> log = store_->ChangeLog(f).value();
        for (const ChangeLogEntry& e : log) out.push_back(e.entity_key + ":" + e.action);
        return out;
    };
    using Keys = std::vector<std::string>;
    EXPECT_EQ(keys({.entity = "account"}), (Keys{"alice:insert", "alice:login"}));
    EXPECT_EQ(keys({.entity = "household"}), (Keys{"A:insert", "C:insert"}));
    EXPECT_EQ(keys({.entity = "household", .entity_key = "C"}), (Keys{"C:insert"}));
    EXPECT_EQ(keys({.after_seq = 3}), (Keys{"alice:insert", "alice:login"}));
    EXPECT_EQ(keys({.after_seq = 5}), Keys{});
    EXPECT_EQ(keys({.after_seq = 1, .limit = 2}), (Keys{"A:insert", "C:insert"}));

    // Scope: a village sees its households only; the county sees every household and nothing
    // else; the root (empty prefix) sees everything.
    EXPECT_EQ(keys({.division_prefix = "540425100201"}), (Keys{"A:insert"}));
    EXPECT_EQ(keys({.division_prefix = "540425100200"}), (Keys{"C:insert"}));
    EXPECT_EQ(keys({.division_prefix = "540425"}), (Keys{"A:insert", "C:insert"}));
    EXPECT_EQ(keys({.division_prefix = "5404251002019"}), Keys{});
    EXPECT_EQ(keys({.entity = "account", .division_prefix = "540425"}), Keys{});
    EXPECT_EQ(keys({.division_prefix = ""}).size(), 5u);
    EXPECT_EQ(keys({.entity = "account", .division_prefix = ""}), (Keys{"alice:insert", "alice:login"}));

    // A household is seen where it is now: C moves into the first village, with its history.
    Household moved = c;
    moved.division_code = "540425100201";
    auto before = store_->FindHousehold("C").value().value();
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->UpdateHousehold(before, moved, kChange));  // seq 6
    ASSERT_TRUE(store_->Commit());
    EXPECT_EQ(keys({.division_prefix = "540425100201"}), (Keys{"A:insert", "C:insert", "C:update"}));
    EXPECT_EQ(keys({.division_prefix = "540425100200"}), Keys{});
    EXPECT_EQ(keys({.after_seq = 2, .division_prefix = "540425100201"}), (Keys{"C:insert", "C:update"}));
    EXPECT_EQ(keys({.after_seq = 2, .division_prefix = "540425100201", .limit = 1}), (Keys{"C:insert"}));

    // A procedure case is seen in its village's scope, a population setting only at the root.
    ProcedureCase pc;
    pc.kind = ProcedureKind::kExit;
    pc.household_code = "A";
    pc.division_code = "540425100201";
    pc.year = 2017;
    pc.state = "proposed";
    ASSERT_TRUE(store_->Begin());
    const int64_t id = store_->InsertCase(pc, kChange).value();  // seq 7
    ASSERT_TRUE(store_->PutPopulation({"540425100201", 2017, 900}, kChange));  // seq 8
    ASSERT_TRUE(store_->Commit());
    const std::string key = std::to_string(id) + ":insert";
    EXPECT_EQ(keys({.entity = "procedure_case", .division_prefix = "540425100201"}), (Keys{key}));
    EXPECT_EQ(keys({.entity = "procedure_case", .division_prefix = "540425"}), (Keys{key}));
    EXPECT_EQ(keys({.entity = "procedure_case", .division_prefix = "540425100200"}), Keys{});
    EXPECT_EQ(keys({.after_seq = 6, .division_prefix = "540425100201"}), (Keys{key}));
    EXPECT_EQ(keys({.after_seq = 6, .division_prefix = ""}).size(), 2u);
}

// Every kind of logged write leaves rows that the replay finds equal to the log.
TEST_P(StoreContract, ReplayFindsEveryRowEqualToItsLastEntry) {
    ASSERT_TRUE(store_->Begin());
    ASSERT_TRUE(store_->SavePlan("p1", "id = \"p1\"", kChange));
    ASSERT_TRUE(store_->SavePlan("p2", "id = \"p2\"", kChange));
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(store_->InsertHousehold(MakeHousehold("R" + std::to_string(i), i), kChange));
    ASSERT_TRUE(store_->Commit());
    ASSERT_TRUE(store_->Begin());
    const HouseholdRecord r0 = store_->FindHousehold("R0").value().value();
    Household changed = r0.household;
    changed.net_income_per_head = 999999;
    changed.members.pop_back();
    ASSERT_TRUE(store_->UpdateHousehold(r0, changed, kChange));
    ASSERT_TRUE(store_->DeleteHousehold(store_->FindHousehold("R1").value().value(), kChange));
    const int64_t case_id = store_->InsertCase(MakeCase(ProcedureKind::kExit, "R2", 2017), kChange).value();
    ProcedureCase c = store_->FindCase(case_id).value().value();
    ProcedureCase next = c;
    next.state = "done";
    next.open = false;
    ASSERT_TRUE(store_->UpdateCase(c, next, kChange));
    ASSERT_TRUE(store_->PutPopulation({"540425", 2016, 30000}, kChange));
    ASSERT_TRUE(store_->PutPopulation({"540425", 2016, 31000}, kChange));
    const int64_t eval_id = store_->InsertEvaluation(MakeEvaluation(2018), kChange).value();
    ASSERT_TRUE(store_->InsertAdjustmentApproval(
        {2018, "540425", "county", "2026-11-29T00:00:00Z", {2018, 12, 20}, "同意", R"({"total":{"exits":3}})"},
        kChange));
    const int64_t account_id = store_->InsertAccount(MakeAccount("wang"), kChange).value();
    Account a = store_->FindAccountById(account_id).value().value();
    Account b = a;
    b.password_hash = kHash2;
    b.role = "viewer";
    ASSERT_TRUE(store_->UpdateAccount(a, b, kChange));
    ASSERT_TRUE(store_->SetLoginState(account_id, 3, "2026-11-29T01:00:00Z"));  // not a logged state
    ASSERT_TRUE(store_->RecordEvent("account", "wang", "login_failed", "{}", kChange));
    ASSERT_TRUE(store_->Commit());
    (void)eval_id;
    auto v = store_->VerifyChangeLog();
    ASSERT_TRUE(v);
    EXPECT_TRUE(v->intact());
    EXPECT_TRUE(v->rows_checked);
    for (const RowMismatch& m : v->mismatches) ADD_FAILURE() << m.code << " " << m.entity << " " << m.entity_key;
    // 2 households, 1 case, 1 population, 1 evaluation, 1 approval, 1 account, the plan.
    EXPECT_EQ(v->rows, 8);
    const ChainHead head = store_->Head().value();
    EXPECT_EQ(head.seq, v->last_seq);
    EXPECT_EQ(head.hash, v->last_hash);
    auto anchored = store_->Verify({.rows = false, .anchor = head});
    ASSERT_TRUE(anchored);
    EXPECT_EQ(anchored->anchor_found, std::optional<bool>(true));
    EXPECT_FALSE(anchored->rows_checked);
    auto wrong_seq = store_->Verify({.rows = false, .anchor = ChainHead{head.seq - 1, head.hash}});
    EXPECT_EQ(wrong_seq->anchor_found, std::optional<bool>(false));
    EXPECT_FALSE(wrong_seq->intact());
    EXPECT_EQ(CodeOf(store_->Verify({.rows = false, .anchor = ChainHead{0, "xyz"}})), "audit.head");
}

// Tampering with the file directly, as someone outside the program would.
TEST(SqliteStore, ChangeLogTamperingIsFound) {
    struct Case {
        const char* sql;
        int64_t first_bad;
    };
    for (const Case& c :
         {Case{"UPDATE change_log SET after_json = replace(after_json, '扎西', '某人') WHERE seq = 3", 3},
          Case{"DELETE FROM change_log WHERE seq = 2", 2},
          Case{"UPDATE change_log SET seq = 10 WHERE seq = 4; UPDATE change_log SET seq = 4 WHERE seq = 3;"
               "UPDATE change_log SET seq = 3 WHERE seq = 10",
               3},
          Case{"UPDATE change_log SET actor = 'someone' WHERE seq = 1", 1}}) {
        const std::string path = TempPath("tamper.db");
        {
            auto store = OpenSqliteStore(path, OpenMode::kCreate).value();
            ASSERT_TRUE(store->Begin());
            ASSERT_TRUE(store->SaveOrgUnits(SmallTree(), kChange));
            for (int i = 0; i < 4; ++i)
                ASSERT_TRUE(store->InsertHousehold(MakeHousehold("T" + std::to_string(i), i), kChange));
            ASSERT_TRUE(store->Commit());
            ASSERT_FALSE(store->VerifyChangeLog()->first_bad.has_value());
        }
        sqlite3* db = nullptr;
        ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
        ASSERT_EQ(sqlite3_exec(db, c.sql, nullptr, nullptr, nullptr), SQLITE_OK) << c.sql;
        sqlite3_close(db);
        auto v = OpenSqliteStore(path, OpenMode::kExisting).value()->VerifyChangeLog();
        ASSERT_TRUE(v);
        EXPECT_EQ(v->first_bad, c.first_bad) << c.sql;
    }
}

std::string Describe(const RowMismatch& m) {
    std::string out = m.code + " " + m.entity + " " + m.entity_key + " " + std::to_string(m.seq);
    for (const std::string& f : m.fields) out += " " + f;
    return out;
}

TEST(SqliteStore, RowsEditedOutsideTheProgramAreFoundByTheReplay) {
    struct Case {
        std::string sql;
        std::vector<std::string> expected;  // Describe() of each mismatch, in order
    };
    const std::vector<Case> cases{
        {"UPDATE household SET net_income_per_head = 1 WHERE household_code = 'T0'",
         {"audit.row_mismatch household T0 2 net_income_per_head"}},
        {"UPDATE person SET name = '某某', relation = 3 WHERE ordinal = 1 AND household_id ="
         " (SELECT id FROM household WHERE household_code = 'T1')",
         {"audit.row_mismatch household T1 3 members[1].name members[1].relation"}},
        {"UPDATE household SET persons = 9, out_of_school_birth_dates = '' WHERE household_code = 'T2'",
         {"audit.row_derived household T2 0 persons out_of_school_birth_dates"}},
        // The last entry (T3's update) removed: the chain still verifies, the row does not.
        {"DELETE FROM change_log WHERE seq = 6", {"audit.row_mismatch household T3 5 net_income_per_head"}},
        {"PRAGMA foreign_keys = ON; DELETE FROM household WHERE household_code = 'T0'",
         {"audit.row_missing household T0 2"}},
        {"UPDATE household SET household_code = 'T9' WHERE household_code = 'T0'",
         {"audit.row_unlogged household T9 0", "audit.row_missing household T0 2"}},
        {"DELETE FROM person WHERE ordinal = 1 AND household_id = (SELECT id FROM household WHERE"
         " household_code = 'T0')",
         {"audit.row_derived household T0 0 persons out_of_school_birth_dates",
          "audit.row_mismatch household T0 2 members[1]"}},
    };
    for (const Case& c : cases) {
        const std::string path = MakeTamperDatabase();
        ExecOn(path, c.sql);
        auto v = OpenSqliteStore(path, OpenMode::kExisting).value()->VerifyChangeLog();
        ASSERT_TRUE(v) << c.sql;
        EXPECT_FALSE(v->first_bad.has_value()) << c.sql;
        EXPECT_FALSE(v->intact()) << c.sql;
        std::vector<std::string> found;
        for (const RowMismatch& m : v->mismatches) found.push_back(Describe(m));
        EXPECT_EQ(found, c.expected) << c.sql;
        EXPECT_EQ(v->mismatch_count, static_cast<int64_t>(c.expected.size()));
    }
}

// An attacker who edits an early entry and recomputes every hash after it (the hash is public, not
// keyed) leaves a valid chain; the head anchored before the edit no longer matches.
TEST(SqliteStore, ARewrittenChainFailsTheAnchoredHead) {
    const std::string path = MakeTamperDatabase();
    const ChainHead anchor = OpenSqliteStore(path, OpenMode::kExisting).value()->Head().value();
    EXPECT_EQ(anchor.seq, 6);
    ExecOn(path, "UPDATE change_log SET actor = 'someone else' WHERE seq = 2");
    {
        // Recompute the chain from entry 1, as the attacker would.
        sqlite3* db = nullptr;
        ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
        sqlite3_stmt* st = nullptr;
        ASSERT_EQ(sqlite3_prepare_v2(db,
                                     "SELECT seq, at, actor, county_code, entity, entity_key, action, before_json,"
                                     " after_json, import_id FROM change_log ORDER BY seq",
                                     -1, &st, nullptr),
                  SQLITE_OK);
        ChainHash previous{};
        std::vector<std::pair<int64_t, ChainHash>> hashes;
        auto text = [&](int i) -> std::optional<std::string_view> {
            const unsigned char* t = sqlite3_column_text(st, i);
            if (!t) return std::nullopt;
            return std::string_view(reinterpret_cast<const char*>(t), sqlite3_column_bytes(st, i));
        };
        while (sqlite3_step(st) == SQLITE_ROW) {
            ChainEntry e;
            e.seq = sqlite3_column_int64(st, 0);
            e.at = *text(1);
            e.actor = *text(2);
            e.county_code = *text(3);
            e.entity = *text(4);
            e.entity_key = *text(5);
            e.action = *text(6);
            e.before_json = text(7);
            e.after_json = text(8);
            if (sqlite3_column_type(st, 9) != SQLITE_NULL) e.import_id = sqlite3_column_int64(st, 9);
            previous = HashEntry(previous, e);
            hashes.emplace_back(e.seq, previous);
        }
        sqlite3_finalize(st);
        ASSERT_EQ(sqlite3_prepare_v2(db, "UPDATE change_log SET hash = ?2 WHERE seq = ?1", -1, &st, nullptr),
                  SQLITE_OK);
        for (auto& [seq, hash] : hashes) {
            sqlite3_bind_int64(st, 1, seq);
            sqlite3_bind_blob(st, 2, hash.data(), static_cast<int>(hash.size()), SQLITE_TRANSIENT);
            EXPECT_EQ(sqlite3_step(st), SQLITE_DONE);
            sqlite3_reset(st);
        }
        sqlite3_finalize(st);
        sqlite3_close(db);
    }
    auto store = OpenSqliteStore(path, OpenMode::kExisting).value();
    auto plain = store->VerifyChangeLog().value();
    EXPECT_TRUE(plain.intact());  // the chain and the rows alone cannot tell
    auto anchored = store->Verify({.rows = true, .anchor = anchor}).value();
    EXPECT_EQ(anchored.anchor_found, std::optional<bool>(false));
    EXPECT_FALSE(anchored.intact());
}

TEST(RowDiff, NamesTopLevelKeysAndArrayElements) {
    EXPECT_EQ(DiffJsonFields(R"({"a":1,"b":[{"x":1,"y":2},{"x":3}],"c":[1,2]})",
                             R"({"a":2,"b":[{"x":1,"y":3}],"c":[1,3],"d":null})"),
              (std::vector<std::string>{"a", "b[0].y", "b[1]", "c"}));
    EXPECT_EQ(DiffJsonFields(R"({"a":1})", R"({"a":1,"e":0})"), std::vector<std::string>{"e"});
    EXPECT_EQ(DiffJsonFields("id = 1", "id = 2"), std::vector<std::string>{"value"});
    EXPECT_TRUE(DiffJsonFields("id = 1", "id = 1").empty());
}

}  // namespace
}  // namespace jz::store_test
