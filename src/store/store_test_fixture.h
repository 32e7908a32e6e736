// What the store's test files share: helpers and the StoreContract fixture, which every adapter runs
// (INSTANTIATE_TEST_SUITE_P is in store_conformance_test.cc). A named namespace, not an anonymous
// one: gtest refuses one suite name with different fixture types across files.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <functional>

#include "core/codes.h"
#include "core/id_number.h"
#include "store/sqlite_store.h"

namespace jz::store_test {

namespace fs = std::filesystem;

inline std::string TempPath(const std::string& name) {
    static int counter = 0;
    return (fs::temp_directory_path() /
            ("jz-store-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + name))
        .string();
}

inline OrgTree SmallTree() {
    OrgTree t;
    t.Add({"540425", "", OrgLevel::kCounty, {{2020, "察隅县"}}});
    t.Add({"540425100", "540425", OrgLevel::kTownship, {{2020, "竹瓦根镇"}}});
    t.Add({"540425100201", "540425100", OrgLevel::kVillage, {{2020, "知美村委会"}, {2021, "知美村委会"}}});
    t.Add({"540425100200", "540425100", OrgLevel::kVillage, {{2020, ""}, {2021, "扎嘎村"}}});
    return t;
}

inline Household MakeHousehold(const std::string& code, int seq) {
    Household h;
    h.household_code = code;
    h.division_code = "540425100201";
    h.attribute = codes::kAttributeOrdinary;
    h.main_cause = 7;
    h.other_causes = {9};
    h.identified_year = 2014;
    h.planned_exit_year = 2017;
    h.net_income_per_head = 250050;
    h.main_measure = 1;
    h.aux_measures = {3, 7};
    h.pairing_cadre = "张伟";
    h.safe_water = true;
    Person head;
    head.name = "扎西";
    head.id_number = MakeIdNumber("540425", {1970, 3, 5}, seq * 2 + 1);
    head.relation = codes::kRelationHead;
    head.sex = codes::kSexMale;
    head.birth_date = {1970, 3, 5};
    head.ethnicity = 4;
    Person spouse = head;
    spouse.name = "卓玛";
    spouse.id_number = MakeIdNumber("540425", {1972, 8, 11}, seq * 2 + 2);
    spouse.relation = codes::kRelationSpouse;
    spouse.sex = codes::kSexFemale;
    spouse.birth_date = {1972, 8, 11};
    spouse.months_worked = 3;
    h.members = {head, spouse};
    return h;
}

inline const ChangeContext kChange{"tester", "2026-11-29T00:00:00Z", std::nullopt};

// A stand-in for an argon2id string: the store keeps it verbatim and must never log it.
inline constexpr const char* kHash1 = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaG9uZWhhc2hvbmU";
inline constexpr const char* kHash2 = "$argon2id$v=19$m=65536,t=2,p=1$b3RoZXJzYWx0$aGFzaHR3b2hhc2h0d28";

inline Account MakeAccount(const std::string& username, const std::string& role = "officer",
                           const std::string& scope = "540425100201") {
    Account a;
    a.username = username;
    a.password_hash = kHash1;
    a.role = role;
    a.scope = scope;
    a.created_at = "2026-11-29T00:00:00Z";
    return a;
}

inline SessionRecord MakeSession(const std::string& token_hash, int64_t account_id, const std::string& at) {
    return SessionRecord{token_hash, account_id, at, at};
}

// The error code of a result, empty on success.
template <class T>
inline std::string CodeOf(const Result<T>& r) {
    return r ? std::string() : r.error().code;
}

inline boost::json::object ParseObject(const std::string& json) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(json, ec);
    EXPECT_FALSE(ec) << json;
    return ec || !v.is_object() ? boost::json::object() : v.as_object();
}

using Factory = std::function<std::unique_ptr<Store>(const std::string& name)>;

struct Adapter {
    std::string name;
    Factory open;
};
inline void PrintTo(const Adapter& a, std::ostream* os) { *os << a.name; }

class StoreContract : public testing::TestWithParam<Adapter> {
  protected:
    void SetUp() override {
        store_ = GetParam().open(testing::UnitTest::GetInstance()->current_test_info()->name());
        ASSERT_TRUE(store_);
        ASSERT_TRUE(store_->Begin());
        ASSERT_TRUE(store_->SaveOrgUnits(SmallTree(), kChange));
        ASSERT_TRUE(store_->Commit());
    }
    std::unique_ptr<Store> store_;
};

inline ProcedureCase MakeCase(ProcedureKind kind, const std::string& household_code, int year,
                              const std::string& division_code = "540425100201") {
    ProcedureCase c;
    c.kind = kind;
    c.household_code = household_code;
    c.division_code = division_code;
    c.year = year;
    c.state = "proposed";
    c.persons = 2;
    c.steps.push_back(
        {"propose", {year, 3, 1}, "tester", "2026-11-29T00:00:00Z", "passed", "", "", "proposed"});
    return c;
}

// The case as closed by its last step (one-step kinds end "done").
inline ProcedureCase Closed(ProcedureCase c, const std::string& state) {
    c.steps.push_back(
        {"record", {c.year, 4, 1}, "tester", "2026-11-29T01:00:00Z", "recorded", "", c.state, state});
    c.state = state;
    c.open = false;
    return c;
}

inline Evaluation MakeEvaluation(int year) {
    Evaluation e;
    e.year = year;
    e.division_code = "540425";
    e.seed = 18'446'744'073'709'551'615u;  // the largest: the JSON keeps it as a string
    e.population = 120;
    e.drawn_by = "county";
    e.drawn_at = "2026-11-29T00:00:00Z";
    e.items = {{"H1", "540425100201", Verdict::kPending, "", "", ""},
               {"H2", "540425100201", Verdict::kWrongful, "收入不达标", "inspector", "2026-11-30T00:00:00Z"}};
    return e;
}

// A registry of four households, its chain verified, for the tampering and backup tests.
inline std::string MakeTamperDatabase() {
    const std::string path = TempPath("rows.db");
    auto store = OpenSqliteStore(path, OpenMode::kCreate).value();
    EXPECT_TRUE(store->Begin());
    EXPECT_TRUE(store->SaveOrgUnits(SmallTree(), kChange));
    for (int i = 0; i < 4; ++i) EXPECT_TRUE(store->InsertHousehold(MakeHousehold("T" + std::to_string(i), i), kChange));
    EXPECT_TRUE(store->Commit());
    EXPECT_TRUE(store->Begin());
    const HouseholdRecord t3 = store->FindHousehold("T3").value().value();
    Household changed = t3.household;
    changed.net_income_per_head = 123456;
    EXPECT_TRUE(store->UpdateHousehold(t3, changed, kChange));
    EXPECT_TRUE(store->Commit());
    EXPECT_TRUE(store->VerifyChangeLog()->intact());
    return path;
}

inline void ExecOn(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << sql << ": " << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
}

// audit verify's row replay of the database at `path` (its chain intact), one line per mismatch:
// "<code> <entity> <key> <field>...".
inline std::vector<std::string> AuditMismatches(const std::string& path) {
    auto store = OpenSqliteStore(path, OpenMode::kExisting).value();
    const ChainVerification v = store->VerifyChangeLog().value();
    EXPECT_FALSE(v.first_bad.has_value());
    std::vector<std::string> out;
    for (const RowMismatch& m : v.mismatches) {
        std::string line = m.code + " " + m.entity + " " + m.entity_key;
        for (const std::string& f : m.fields) line += " " + f;
        out.push_back(line);
    }
    return out;
}

}  // namespace jz::store_test
