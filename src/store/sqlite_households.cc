// Households and their members: the registry's rows (find, insert, update, delete, bulk load), the
// columns kept beside a household for reports (its facts), and the row readers the scans
// (sqlite_scans.cc) and the audit (sqlite_audit.cc) share.
#include <string>
#include <vector>

#include "store/sqlite_internal.h"
#include "store/sqlite_schema.h"

namespace jz::sqlite_internal {
namespace {

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
constexpr const char* kSelectPersons =
    "SELECT " JZ_PERSON_COLUMNS " FROM person p WHERE p.household_id=?1 ORDER BY p.ordinal";
constexpr const char* kFindIdNumber =
    "SELECT h.household_code FROM person p JOIN household h ON h.id = p.household_id WHERE p.id_number=?1 "
    "LIMIT 1";
// A deregistration closed for the code (procedure cases are in sqlite_cases.cc).
constexpr const char* kIsDeregistered =
    "SELECT 1 FROM procedure_case WHERE household_code=?1 AND kind=?2 AND open=0 AND state='done' LIMIT 1";

std::string JoinInts(const std::vector<int>& v) {
    std::string out;
    for (int x : v) {
        if (!out.empty()) out += ',';
        out += std::to_string(x);
    }
    return out;
}

}  // namespace

// Dates as YYYYMMDD numbers, comma-separated (the facts columns *_birth_dates).
void JoinDatesInto(const std::vector<Date>& dates, std::string& out) {
    out.clear();
    for (const Date& d : dates) {
        if (!out.empty()) out += ',';
        out += std::to_string(d.year * 10000 + d.month * 100 + d.day);
    }
}

void SplitIntsInto(sqlite3_stmt* st, int i, std::vector<int>& out) {
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
Date DateColumn(sqlite3_stmt* st, int i) {
    const unsigned char* t = sqlite3_column_text(st, i);
    if (!t) return {};
    return Date::Parse(std::string_view(reinterpret_cast<const char*>(t),
                                        static_cast<size_t>(sqlite3_column_bytes(st, i))))
        .value_or(Date{});
}

void ReadHouseholdInto(sqlite3_stmt* st, HouseholdRecord& rec, bool facts_only) {
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

void ReadPersonInto(sqlite3_stmt* st, int o, Person& p, bool facts_only) {
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

Result<std::optional<HouseholdRecord>> SqliteStore::FindHousehold(const std::string& code) {
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

Result<std::optional<std::string>> SqliteStore::FindHouseholdOfIdNumber(const std::string& id_number) {
    auto st = Prepare(kFindIdNumber);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    BindText(*st, 1, id_number);
    int rc = sqlite3_step(*st);
    if (rc == SQLITE_ROW) return std::optional<std::string>(Text(*st, 0));
    if (rc == SQLITE_DONE) return std::optional<std::string>();
    return std::unexpected(LastError("FindHouseholdOfIdNumber"));
}

Result<int64_t> SqliteStore::InsertHouseholdLogged(const Household& h, const ChangeContext& change,
                                      const std::string& household_json) {
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

Result<void> SqliteStore::UpdateHousehold(const HouseholdRecord& before, const Household& after,
                             const ChangeContext& change) {
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

Result<void> SqliteStore::DeleteHousehold(const HouseholdRecord& before, const ChangeContext& change) {
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

Result<bool> SqliteStore::IsDeregistered(const std::string& household_code) {
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

Result<int64_t> SqliteStore::CountHouseholds() { return QueryInt("SELECT count(*) FROM household"); }
Result<int64_t> SqliteStore::CountPersons() { return QueryInt("SELECT count(*) FROM person"); }

Result<void> SqliteStore::BeginBulkLoad() {
    if (auto r = RequireTx(); !r) return r;
    return Exec(std::string(sqlite_schema::kBulkIndexesDrop));
}
Result<void> SqliteStore::EndBulkLoad() {
    if (auto r = RequireTx(); !r) return r;
    return Exec(std::string(sqlite_schema::kBulkIndexesCreate));
}

void SqliteStore::BindHousehold(sqlite3_stmt* st, const Household& h, const std::string& at) {
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

Result<void> SqliteStore::ReadMembers(int64_t household_id, Household& h) {
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

Result<void> SqliteStore::InsertMembers(int64_t household_id, const Household& h) {
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

}  // namespace jz::sqlite_internal
