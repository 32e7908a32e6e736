// Procedure cases, evaluations, rural population and the approvals of the yearly adjustment. Cases
// and evaluations are versioned JSON bodies (BodyTable): they share InsertBody, UpdateBody and
// FindBody below.
#include <boost/json.hpp>
#include <string>
#include <vector>

#include "store/procedure_json.h"
#include "store/sqlite_internal.h"

namespace jz::sqlite_internal {
namespace {

// Procedure cases: the whole case in body_json, the columns lists filter on beside it.
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

// The county a change-log entry belongs to, from an org-unit code.
std::string CountyOf(const std::string& code) { return code.substr(0, std::min<size_t>(6, code.size())); }

Error Conflict(const std::string& what) {
    const std::string zh = what == "case" ? "该案件" : "该评估";
    return Error{.code = "store.conflict", .field = "version", .message_zh = zh + "已被他人修改", .message_en = "the " + what + " was changed by someone else"};
}

Error CorruptBody(const std::string& what, int64_t id, const Error& e) {
    return Error{.code = "store.corrupt", .field = "body_json", .message_zh = what + " " + std::to_string(id) + " 的数据无法读取: " + e.message_zh, .message_en = what + " " + std::to_string(id) + " cannot be read: " + e.message_en};
}

// A row (id, version, body_json) of a body table.
template <class T>
Result<T> ReadBody(const BodyTable<T>& table, sqlite3_stmt* st) {
    const int64_t id = sqlite3_column_int64(st, 0);
    auto value = table.from_json(Text(st, 2));
    if (!value) return std::unexpected(CorruptBody(table.what, id, value.error()));
    value->id = id;
    value->version = sqlite3_column_int64(st, 1);
    return value;
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
// kInsertEvaluation / kUpdateEvaluation parameters 1-5 (an evaluation keeps no update time).
void BindEvaluation(sqlite3_stmt* st, const Evaluation& e, const std::string& /*at*/, const std::string& json) {
    sqlite3_bind_int64(st, 1, e.id);
    sqlite3_bind_int(st, 2, e.year);
    BindText(st, 3, e.division_code);
    sqlite3_bind_int64(st, 4, e.version);
    BindText(st, 5, json);
}

const BodyTable<ProcedureCase> kCases{
    "procedure_case", "case",       kNextCaseId, kFindCase,           kInsertCase,          kUpdateCase,
    11,               "InsertCase", "UpdateCase", ProcedureCaseToJson, ProcedureCaseFromJson, BindCase};
const BodyTable<Evaluation> kEvaluations{
    "evaluation", "evaluation",       kNextEvaluationId,  kFindEvaluation,  kInsertEvaluation,  kUpdateEvaluation,
    6,            "InsertEvaluation", "UpdateEvaluation", EvaluationToJson, EvaluationFromJson, BindEvaluation};

}  // namespace

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

// Inserts `value` with the next free id and version 1, and logs it (the body is the entry's after).
template <class T>
Result<int64_t> SqliteStore::InsertBody(const BodyTable<T>& table, const T& value, const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return std::unexpected(r.error());
    // The write lock is held, so the next id is ours; the stored body carries it.
    auto id = QueryInt(table.next_id);
    if (!id) return std::unexpected(id.error());
    T stored = value;
    stored.id = *id;
    stored.version = 1;
    const std::string json = table.to_json(stored);
    auto st = Prepare(table.insert);
    if (!st) return std::unexpected(st.error());
    table.bind(*st, stored, change.at, json);
    if (auto r = StepDone(*st, table.insert_op); !r) return std::unexpected(r.error());
    if (auto r = LogChange(change, CountyOf(stored.division_code), table.entity, std::to_string(*id), "insert", "",
                           json);
        !r)
        return std::unexpected(r.error());
    return *id;
}

// Replaces the row of before.id by `after` with the next version, when its stored version is still
// before.version ("store.not_found", "store.conflict" otherwise), and logs the stored body and the new.
template <class T>
Result<void> SqliteStore::UpdateBody(const BodyTable<T>& table, const T& before, const T& after,
                                     const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return r;
    auto stored = StoredBody(table.find, before.id, before.version, table.what);
    if (!stored) return std::unexpected(stored.error());
    T next = after;
    next.id = before.id;
    next.version = before.version + 1;
    const std::string json = table.to_json(next);
    auto st = Prepare(table.update);
    if (!st) return std::unexpected(st.error());
    table.bind(*st, next, change.at, json);
    sqlite3_bind_int64(*st, table.version_param, before.version);
    if (auto r = StepDone(*st, table.update_op); !r) return r;
    if (sqlite3_changes(db_) != 1) return std::unexpected(Conflict(table.what));
    return LogChange(change, CountyOf(next.division_code), table.entity, std::to_string(next.id), "update", *stored,
                     json);
}

// The row with that id, or nullopt; `op` names the lookup in SQLite error messages.
template <class T>
Result<std::optional<T>> SqliteStore::FindBody(const BodyTable<T>& table, int64_t id, const char* op) {
    auto st = Prepare(table.find);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    sqlite3_bind_int64(*st, 1, id);
    const int rc = sqlite3_step(*st);
    if (rc == SQLITE_DONE) return std::optional<T>();
    if (rc != SQLITE_ROW) return std::unexpected(LastError(op));
    auto value = ReadBody(table, *st);
    if (!value) return std::unexpected(value.error());
    return std::optional<T>(std::move(*value));
}

// The stored body of row `id` (kFindCase / kFindEvaluation), when its version is still `version`:
// "store.not_found" when there is none, "store.conflict" when it moved on.
Result<std::string> SqliteStore::StoredBody(const char* sql, int64_t id, int64_t version, const std::string& what) {
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

Result<int64_t> SqliteStore::InsertCase(const ProcedureCase& c, const ChangeContext& change) {
    return InsertBody(kCases, c, change);
}

Result<void> SqliteStore::UpdateCase(const ProcedureCase& before, const ProcedureCase& after,
                                     const ChangeContext& change) {
    return UpdateBody(kCases, before, after, change);
}

Result<std::optional<ProcedureCase>> SqliteStore::FindCase(int64_t id) {
    return FindBody(kCases, id, "FindCase");
}

Result<std::vector<ProcedureCase>> SqliteStore::ListCases(const CaseFilter& filter) {
    std::vector<ProcedureCase> out;
    auto st = CaseQuery("SELECT id, version, body_json FROM procedure_case", filter, true);
    if (!st) return std::unexpected(st.error());
    int rc;
    while ((rc = sqlite3_step(st->get())) == SQLITE_ROW) {
        auto c = ReadBody(kCases, st->get());
        if (!c) return std::unexpected(c.error());
        out.push_back(std::move(*c));
    }
    if (rc != SQLITE_DONE) return std::unexpected(LastError("ListCases"));
    return out;
}

Result<int64_t> SqliteStore::CountCases(const CaseFilter& filter) {
    auto st = CaseQuery("SELECT count(*) FROM procedure_case", filter, false);
    if (!st) return std::unexpected(st.error());
    if (sqlite3_step(st->get()) != SQLITE_ROW) return std::unexpected(LastError("CountCases"));
    return sqlite3_column_int64(st->get(), 0);
}

// `select` over procedure_case restricted by every set field of the filter, ordered by id and
// paged when `paged`. A private statement: the caller steps it.
Result<Stmt> SqliteStore::CaseQuery(const char* select, const CaseFilter& f, bool paged) {
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

Result<void> SqliteStore::PutPopulation(const PopulationSetting& setting, const ChangeContext& change) {
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

Result<std::vector<PopulationSetting>> SqliteStore::ListPopulation() {
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

Result<int64_t> SqliteStore::InsertEvaluation(const Evaluation& e, const ChangeContext& change) {
    return InsertBody(kEvaluations, e, change);
}

Result<void> SqliteStore::UpdateEvaluation(const Evaluation& before, const Evaluation& after,
                                           const ChangeContext& change) {
    return UpdateBody(kEvaluations, before, after, change);
}

Result<std::optional<Evaluation>> SqliteStore::FindEvaluation(int64_t id) {
    return FindBody(kEvaluations, id, "FindEvaluation");
}

Result<std::vector<Evaluation>> SqliteStore::ListEvaluations() {
    auto st = Prepare(kListEvaluations);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    std::vector<Evaluation> out;
    int rc;
    while ((rc = sqlite3_step(*st)) == SQLITE_ROW) {
        auto e = ReadBody(kEvaluations, *st);
        if (!e) return std::unexpected(e.error());
        out.push_back(std::move(*e));
    }
    if (rc != SQLITE_DONE) return std::unexpected(LastError("ListEvaluations"));
    return out;
}

Result<void> SqliteStore::InsertAdjustmentApproval(const AdjustmentApproval& a, const ChangeContext& change) {
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

Result<std::optional<AdjustmentApproval>> SqliteStore::FindAdjustmentApproval(
    int year, const std::string& county_code) {
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

}  // namespace jz::sqlite_internal
