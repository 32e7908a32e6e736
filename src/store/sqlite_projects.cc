// The project library (migration 008): projects with their sources, beneficiaries and steps; the
// funds' reference lists read for the services (sources, payees, money views); fund entries listed
// by their references; refused postings. The ledger's writes stay in sqlite_funds.cc.
#include <algorithm>

#include "store/sqlite_internal.h"

namespace jz::sqlite_internal {
namespace {

constexpr const char* kProjectColumns =
    "SELECT id, code, name, division_code, task, subsidy_standard, use_code, approved_fen, reapproved_fen,"
    " period_start, period_end, unit, responsible, performance_target, state, version, notice_posted_on,"
    " notice_until FROM project";
constexpr const char* kFindProjectById =
    "SELECT id, code, name, division_code, task, subsidy_standard, use_code, approved_fen, reapproved_fen,"
    " period_start, period_end, unit, responsible, performance_target, state, version, notice_posted_on,"
    " notice_until FROM project WHERE id=?1";
constexpr const char* kFindProjectByCode =
    "SELECT id, code, name, division_code, task, subsidy_standard, use_code, approved_fen, reapproved_fen,"
    " period_start, period_end, unit, responsible, performance_target, state, version, notice_posted_on,"
    " notice_until FROM project WHERE code=?1";
constexpr const char* kNextProjectId =
    "SELECT max(coalesce((SELECT max(id) FROM project), 0), coalesce((SELECT max(id) FROM fund_project), 0)) + 1";
constexpr const char* kInsertProject =
    "INSERT INTO project (id, code, name, division_code, task, subsidy_standard, use_code, approved_fen,"
    " reapproved_fen, period_start, period_end, unit, responsible, performance_target, state, version,"
    " notice_posted_on, notice_until, updated_at)"
    " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19)";
constexpr const char* kUpdateProject =
    "UPDATE project SET code=?2, name=?3, division_code=?4, task=?5, subsidy_standard=?6, use_code=?7,"
    " approved_fen=?8, reapproved_fen=?9, period_start=?10, period_end=?11, unit=?12, responsible=?13,"
    " performance_target=?14, state=?15, version=?16, notice_posted_on=?17, notice_until=?18, updated_at=?19"
    " WHERE id=?1 AND version=?20";
constexpr const char* kDeleteSources = "DELETE FROM project_source WHERE project_id=?1";
constexpr const char* kDeleteBeneficiaries = "DELETE FROM project_beneficiary WHERE project_id=?1";
constexpr const char* kDeleteSteps = "DELETE FROM project_step WHERE project_id=?1";
constexpr const char* kInsertSource =
    "INSERT INTO project_source (project_id, seq, source, amount_fen) VALUES (?1,?2,?3,?4)";
constexpr const char* kInsertBeneficiary =
    "INSERT INTO project_beneficiary (project_id, seq, household_code, how) VALUES (?1,?2,?3,?4)";
constexpr const char* kInsertStep =
    "INSERT INTO project_step (project_id, seq, step, step_date, actor, at, outcome, notes, refs, from_state,"
    " to_state) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)";
constexpr const char* kSources = "SELECT source, amount_fen FROM project_source WHERE project_id=?1 ORDER BY seq";
constexpr const char* kBeneficiaries =
    "SELECT household_code, how FROM project_beneficiary WHERE project_id=?1 ORDER BY seq";
constexpr const char* kSteps =
    "SELECT step, step_date, actor, at, outcome, notes, refs, from_state, to_state FROM project_step"
    " WHERE project_id=?1 ORDER BY seq";
constexpr const char* kListSources = "SELECT code, name, special_poverty FROM fund_source ORDER BY code";
constexpr const char* kListPayees = "SELECT id, kind, name FROM payee ORDER BY id";
constexpr const char* kListFundProjects =
    "SELECT id, name, division_code, use_code, approved_fen, reapproved_fen, state, budgeted_fen, paid_fen,"
    " deposit_fen FROM fund_project ORDER BY id";
constexpr const char* kInsertRefusal =
    "INSERT INTO fund_refusal (refused_on, actor, at, rule, field, message_zh, message_en, entry_json)"
    " VALUES (?1,?2,?3,?4,?5,?6,?7,?8)";
constexpr const char* kListRefusals =
    "SELECT id, refused_on, actor, at, rule, field, message_zh, message_en, entry_json FROM fund_refusal ORDER BY id";

std::string ProjectLogJson(const LibraryProject& p) {
    std::string out;
    json_writer::JsonWriter w(out);
    w.Open('{');
    w.Key("id"), w.Int(p.id);
    w.Key("code"), w.String(p.code);
    w.Key("name"), w.String(p.name);
    w.Key("division_code"), w.String(p.division_code);
    w.Key("task"), w.String(p.task);
    w.Key("subsidy_standard"), w.String(p.subsidy_standard);
    w.Key("use"), w.String(p.use);
    w.Key("sources"), w.Open('[');
    for (const ProjectSourceShare& s : p.sources) {
        w.Open('{');
        w.Key("source"), w.String(s.source);
        w.Key("amount_fen"), w.Int(s.amount);
        w.Close('}');
    }
    w.Close(']');
    w.Key("approved_fen"), w.Int(p.approved);
    w.Field("reapproved_fen", p.reapproved);
    w.Key("period_start"), w.String(p.period_start.ToString());
    w.Key("period_end"), w.String(p.period_end.ToString());
    w.Key("unit"), w.String(p.unit);
    w.Key("responsible"), w.String(p.responsible);
    w.Key("performance_target"), w.String(p.performance_target);
    w.Key("beneficiaries"), w.Open('[');
    for (const ProjectBeneficiary& b : p.beneficiaries) {
        w.Open('{');
        w.Key("household_code"), w.String(b.household_code);
        w.Key("how"), w.String(b.how);
        w.Close('}');
    }
    w.Close(']');
    w.Key("state"), w.String(p.state);
    w.Key("version"), w.Int(p.version);
    w.Key("steps"), w.Open('[');
    for (const ProjectStep& s : p.steps) {
        w.Open('{');
        w.Key("step"), w.String(s.step);
        w.Key("date"), w.String(s.date.ToString());
        w.Key("actor"), w.String(s.actor);
        w.Key("at"), w.String(s.at);
        w.Key("outcome"), w.String(s.outcome);
        w.Key("notes"), w.String(s.notes);
        w.Key("refs"), w.String(s.refs);
        w.Key("from_state"), w.String(s.from_state);
        w.Key("to_state"), w.String(s.to_state);
        w.Close('}');
    }
    w.Close(']');
    if (p.notice_posted_on) w.Key("notice_posted_on"), w.String(p.notice_posted_on->ToString());
    if (p.notice_until) w.Key("notice_until"), w.String(p.notice_until->ToString());
    w.Close('}');
    return out;
}

std::string RefusalLogJson(const FundRefusal& r) {
    std::string out;
    json_writer::JsonWriter w(out);
    w.Open('{');
    w.Key("id"), w.Int(r.id);
    w.Key("date"), w.String(r.refused_on.ToString());
    w.Key("rule"), w.String(r.rule);
    w.Key("field"), w.String(r.field);
    w.Key("entry"), w.String(r.entry_json);
    w.Close('}');
    return out;
}

void BindOptDate(sqlite3_stmt* st, int i, const std::optional<Date>& d) {
    if (d)
        sqlite3_bind_int64(st, i, DateInt(*d));
    else
        sqlite3_bind_null(st, i);
}

void BindProject(sqlite3_stmt* st, const LibraryProject& p, const std::string& at) {
    sqlite3_bind_int64(st, 1, p.id);
    BindText(st, 2, p.code);
    BindText(st, 3, p.name);
    BindText(st, 4, p.division_code);
    BindText(st, 5, p.task);
    BindText(st, 6, p.subsidy_standard);
    BindText(st, 7, p.use);
    sqlite3_bind_int64(st, 8, p.approved);
    BindOpt(st, 9, p.reapproved);
    sqlite3_bind_int64(st, 10, DateInt(p.period_start));
    sqlite3_bind_int64(st, 11, DateInt(p.period_end));
    BindText(st, 12, p.unit);
    BindText(st, 13, p.responsible);
    BindText(st, 14, p.performance_target);
    BindText(st, 15, p.state);
    sqlite3_bind_int64(st, 16, p.version);
    BindOptDate(st, 17, p.notice_posted_on);
    BindOptDate(st, 18, p.notice_until);
    BindText(st, 19, at);
}

LibraryProject ReadProjectRow(sqlite3_stmt* st) {
    LibraryProject p;
    p.id = sqlite3_column_int64(st, 0);
    p.code = Text(st, 1);
    p.name = Text(st, 2);
    p.division_code = Text(st, 3);
    p.task = Text(st, 4);
    p.subsidy_standard = Text(st, 5);
    p.use = Text(st, 6);
    p.approved = sqlite3_column_int64(st, 7);
    p.reapproved = ColOpt<Fen>(st, 8);
    p.period_start = IntDate(sqlite3_column_int64(st, 9));
    p.period_end = IntDate(sqlite3_column_int64(st, 10));
    p.unit = Text(st, 11);
    p.responsible = Text(st, 12);
    p.performance_target = Text(st, 13);
    p.state = Text(st, 14);
    p.version = sqlite3_column_int64(st, 15);
    p.notice_posted_on = OptDate(st, 16);
    p.notice_until = OptDate(st, 17);
    return p;
}

std::string EscapeLike(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '%' || c == '_' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

}  // namespace

Result<void> SqliteStore::WriteProjectChildren(const LibraryProject& p) {
    for (const char* sql : {kDeleteSources, kDeleteBeneficiaries, kDeleteSteps}) {
        auto st = Prepare(sql);
        if (!st) return std::unexpected(st.error());
        sqlite3_bind_int64(*st, 1, p.id);
        if (auto r = StepDone(*st, "WriteProjectChildren"); !r) return r;
    }
    for (size_t i = 0; i < p.sources.size(); ++i) {
        auto st = Prepare(kInsertSource);
        if (!st) return std::unexpected(st.error());
        sqlite3_bind_int64(*st, 1, p.id);
        sqlite3_bind_int64(*st, 2, static_cast<int64_t>(i));
        BindText(*st, 3, p.sources[i].source);
        sqlite3_bind_int64(*st, 4, p.sources[i].amount);
        if (auto r = StepDone(*st, "project_source"); !r) return r;
    }
    for (size_t i = 0; i < p.beneficiaries.size(); ++i) {
        auto st = Prepare(kInsertBeneficiary);
        if (!st) return std::unexpected(st.error());
        sqlite3_bind_int64(*st, 1, p.id);
        sqlite3_bind_int64(*st, 2, static_cast<int64_t>(i));
        BindText(*st, 3, p.beneficiaries[i].household_code);
        BindText(*st, 4, p.beneficiaries[i].how);
        if (auto r = StepDone(*st, "project_beneficiary"); !r) return r;
    }
    for (size_t i = 0; i < p.steps.size(); ++i) {
        const ProjectStep& s = p.steps[i];
        auto st = Prepare(kInsertStep);
        if (!st) return std::unexpected(st.error());
        sqlite3_bind_int64(*st, 1, p.id);
        sqlite3_bind_int64(*st, 2, static_cast<int64_t>(i));
        BindText(*st, 3, s.step);
        sqlite3_bind_int64(*st, 4, DateInt(s.date));
        BindText(*st, 5, s.actor);
        BindText(*st, 6, s.at);
        BindText(*st, 7, s.outcome);
        BindText(*st, 8, s.notes);
        BindText(*st, 9, s.refs);
        BindText(*st, 10, s.from_state);
        BindText(*st, 11, s.to_state);
        if (auto r = StepDone(*st, "project_step"); !r) return r;
    }
    return {};
}

Result<void> SqliteStore::ReadProjectChildren(LibraryProject& p) {
    {
        auto st = Prepare(kSources);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        sqlite3_bind_int64(*st, 1, p.id);
        while (sqlite3_step(*st) == SQLITE_ROW) p.sources.push_back({Text(*st, 0), sqlite3_column_int64(*st, 1)});
    }
    {
        auto st = Prepare(kBeneficiaries);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        sqlite3_bind_int64(*st, 1, p.id);
        while (sqlite3_step(*st) == SQLITE_ROW) p.beneficiaries.push_back({Text(*st, 0), Text(*st, 1)});
    }
    {
        auto st = Prepare(kSteps);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        sqlite3_bind_int64(*st, 1, p.id);
        while (sqlite3_step(*st) == SQLITE_ROW)
            p.steps.push_back(ProjectStep{.step = Text(*st, 0),
                                          .date = IntDate(sqlite3_column_int64(*st, 1)),
                                          .actor = Text(*st, 2),
                                          .at = Text(*st, 3),
                                          .outcome = Text(*st, 4),
                                          .notes = Text(*st, 5),
                                          .refs = Text(*st, 6),
                                          .from_state = Text(*st, 7),
                                          .to_state = Text(*st, 8)});
    }
    return {};
}

Result<LibraryProject> SqliteStore::InsertLibraryProject(const LibraryProject& project, const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return std::unexpected(r.error());
    auto taken = FindLibraryProjectByCode(project.code);
    if (!taken) return std::unexpected(taken.error());
    if (*taken)
        return std::unexpected(Error{.code = "store.duplicate",
                                     .field = "code",
                                     .message_zh = "项目编号 " + project.code + " 已被项目 " +
                                                   std::to_string((*taken)->id) + " 使用",
                                     .message_en = "project code " + project.code + " is already used by project " +
                                                   std::to_string((*taken)->id)});
    auto next_id = QueryInt(kNextProjectId);
    if (!next_id) return std::unexpected(next_id.error());
    LibraryProject p = project;
    p.id = *next_id;
    p.version = 1;
    auto county = CountyFor(p.division_code);
    if (!county) return std::unexpected(county.error());
    auto st = Prepare(kInsertProject);
    if (!st) return std::unexpected(st.error());
    BindProject(*st, p, change.at);
    if (auto r = StepDone(*st, "InsertLibraryProject"); !r) return std::unexpected(r.error());
    if (auto r = WriteProjectChildren(p); !r) return std::unexpected(r.error());
    if (auto r = LogChange(change, *county, "project", std::to_string(p.id), "insert", "", ProjectLogJson(p)); !r)
        return std::unexpected(r.error());
    return p;
}

Result<LibraryProject> SqliteStore::UpdateLibraryProject(const LibraryProject& before, const LibraryProject& after,
                                                         const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return std::unexpected(r.error());
    auto stored = FindLibraryProject(before.id);
    if (!stored) return std::unexpected(stored.error());
    if (!*stored)
        return Fail("store.not_found", "id", "项目 " + std::to_string(before.id) + " 不存在",
                    "no project " + std::to_string(before.id));
    if ((*stored)->version != before.version)
        return Fail("store.conflict", "version", "项目已被他人修改", "the project was changed by someone else");
    if (after.code != (*stored)->code) {
        auto taken = FindLibraryProjectByCode(after.code);
        if (!taken) return std::unexpected(taken.error());
        if (*taken)
            return Fail("store.duplicate", "code", "项目编号 " + after.code + " 已被使用",
                        "project code " + after.code + " is already used");
    }
    LibraryProject p = after;
    p.id = before.id;
    p.version = before.version + 1;
    auto county = CountyFor(p.division_code);
    if (!county) return std::unexpected(county.error());
    auto st = Prepare(kUpdateProject);
    if (!st) return std::unexpected(st.error());
    BindProject(*st, p, change.at);
    sqlite3_bind_int64(*st, 20, before.version);
    if (auto r = StepDone(*st, "UpdateLibraryProject"); !r) return std::unexpected(r.error());
    if (sqlite3_changes(db_) == 0)
        return Fail("store.conflict", "version", "项目已被他人修改", "the project was changed by someone else");
    if (auto r = WriteProjectChildren(p); !r) return std::unexpected(r.error());
    if (auto r = LogChange(change, *county, "project", std::to_string(p.id), "update", ProjectLogJson(**stored),
                           ProjectLogJson(p));
        !r)
        return std::unexpected(r.error());
    return p;
}

Result<std::optional<LibraryProject>> SqliteStore::FindLibraryProject(int64_t id) {
    std::optional<LibraryProject> out;
    {
        auto st = Prepare(kFindProjectById);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        sqlite3_bind_int64(*st, 1, id);
        const int rc = sqlite3_step(*st);
        if (rc == SQLITE_ROW)
            out = ReadProjectRow(*st);
        else if (rc != SQLITE_DONE)
            return std::unexpected(LastError("FindLibraryProject"));
    }
    if (out)
        if (auto r = ReadProjectChildren(*out); !r) return std::unexpected(r.error());
    return out;
}

Result<std::optional<LibraryProject>> SqliteStore::FindLibraryProjectByCode(const std::string& code) {
    int64_t id = 0;
    {
        auto st = Prepare(kFindProjectByCode);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        BindText(*st, 1, code);
        const int rc = sqlite3_step(*st);
        if (rc == SQLITE_ROW)
            id = sqlite3_column_int64(*st, 0);
        else if (rc != SQLITE_DONE)
            return std::unexpected(LastError("FindLibraryProjectByCode"));
    }
    if (!id) return std::optional<LibraryProject>();
    return FindLibraryProject(id);
}

namespace {
std::string ProjectWhere(const LibraryProjectFilter& f) {
    std::string sql = " WHERE 1=1";
    if (!f.state.empty()) sql += " AND state = ?1";
    if (!f.division_prefix.empty()) sql += " AND substr(division_code, 1, length(?2)) = ?2";
    if (!f.q.empty()) sql += " AND (code LIKE ?3 ESCAPE '\\' OR name LIKE ?3 ESCAPE '\\')";
    return sql;
}
void BindProjectFilter(sqlite3_stmt* st, const LibraryProjectFilter& f, const std::string& like) {
    if (!f.state.empty()) BindText(st, 1, f.state);
    if (!f.division_prefix.empty()) BindText(st, 2, f.division_prefix);
    if (!f.q.empty()) BindText(st, 3, like);
}
}  // namespace

Result<std::vector<LibraryProject>> SqliteStore::ListLibraryProjects(const LibraryProjectFilter& f) {
    const std::string sql = std::string(kProjectColumns) + ProjectWhere(f) + " ORDER BY id LIMIT ?4 OFFSET ?5";
    const std::string like = "%" + EscapeLike(f.q) + "%";
    std::vector<LibraryProject> out;
    {
        sqlite3_stmt* raw = nullptr;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
            sqlite3_finalize(raw);
            return std::unexpected(LastError("ListLibraryProjects"));
        }
        Stmt st(raw);
        BindProjectFilter(raw, f, like);
        sqlite3_bind_int64(raw, 4, f.limit > 0 ? f.limit : -1);
        sqlite3_bind_int64(raw, 5, std::max<int64_t>(f.offset, 0));
        int rc;
        while ((rc = sqlite3_step(raw)) == SQLITE_ROW) out.push_back(ReadProjectRow(raw));
        if (rc != SQLITE_DONE) return std::unexpected(LastError("ListLibraryProjects"));
    }
    for (LibraryProject& p : out)
        if (auto r = ReadProjectChildren(p); !r) return std::unexpected(r.error());
    return out;
}

Result<int64_t> SqliteStore::CountLibraryProjects(const LibraryProjectFilter& f) {
    const std::string sql = "SELECT count(*) FROM project" + ProjectWhere(f);
    const std::string like = "%" + EscapeLike(f.q) + "%";
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
        sqlite3_finalize(raw);
        return std::unexpected(LastError("CountLibraryProjects"));
    }
    Stmt st(raw);
    BindProjectFilter(raw, f, like);
    if (sqlite3_step(raw) != SQLITE_ROW) return std::unexpected(LastError("CountLibraryProjects"));
    return sqlite3_column_int64(raw, 0);
}

Result<std::vector<FundSource>> SqliteStore::ListFundSources() {
    auto st = Prepare(kListSources);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    std::vector<FundSource> out;
    int rc;
    while ((rc = sqlite3_step(*st)) == SQLITE_ROW)
        out.push_back(FundSource{Text(*st, 0), Text(*st, 1), sqlite3_column_int(*st, 2) != 0});
    if (rc != SQLITE_DONE) return std::unexpected(LastError("ListFundSources"));
    return out;
}

Result<std::vector<Payee>> SqliteStore::ListPayees() {
    auto st = Prepare(kListPayees);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    std::vector<Payee> out;
    int rc;
    while ((rc = sqlite3_step(*st)) == SQLITE_ROW)
        out.push_back(Payee{.id = sqlite3_column_int64(*st, 0),
                            .kind = Text(*st, 1) == "beneficiary" ? PayeeKind::kBeneficiary : PayeeKind::kContractor,
                            .name = Text(*st, 2)});
    if (rc != SQLITE_DONE) return std::unexpected(LastError("ListPayees"));
    return out;
}

Result<std::vector<std::pair<FundProject, ProjectMoney>>> SqliteStore::ListFundProjects() {
    auto st = Prepare(kListFundProjects);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    std::vector<std::pair<FundProject, ProjectMoney>> out;
    int rc;
    while ((rc = sqlite3_step(*st)) == SQLITE_ROW) {
        FundProject p;
        p.id = sqlite3_column_int64(*st, 0);
        p.name = Text(*st, 1);
        p.division_code = Text(*st, 2);
        p.use = Text(*st, 3);
        p.approved = sqlite3_column_int64(*st, 4);
        p.reapproved = ColOpt<Fen>(*st, 5);
        p.state = ParseProjectState(Text(*st, 6)).value_or(ProjectState::kApproved);
        ProjectMoney m{sqlite3_column_int64(*st, 7), sqlite3_column_int64(*st, 8), sqlite3_column_int64(*st, 9)};
        out.emplace_back(std::move(p), m);
    }
    if (rc != SQLITE_DONE) return std::unexpected(LastError("ListFundProjects"));
    return out;
}

namespace {
std::string EntryWhere(const FundEntryQuery& q) {
    std::string sql = " WHERE 1=1";
    if (q.allocation) sql += " AND (e.allocation_id = ?1 OR e.to_allocation = ?1)";
    if (q.project) sql += " AND e.project_id = ?2";
    if (q.kind) sql += " AND e.kind = ?3";
    if (q.from) sql += " AND e.entry_date >= ?4";
    if (q.to) sql += " AND e.entry_date <= ?5";
    return sql;
}
void BindEntryQuery(sqlite3_stmt* st, const FundEntryQuery& q, const std::string& kind) {
    if (q.allocation) sqlite3_bind_int64(st, 1, q.allocation);
    if (q.project) sqlite3_bind_int64(st, 2, q.project);
    if (q.kind) BindText(st, 3, kind);
    if (q.from) sqlite3_bind_int64(st, 4, DateInt(*q.from));
    if (q.to) sqlite3_bind_int64(st, 5, DateInt(*q.to));
}
}  // namespace

Result<std::vector<ListedFundEntry>> SqliteStore::ListFundEntriesBy(const FundEntryQuery& q) {
    const std::string sql =
        "SELECT e.id, e.entry_date, e.kind, e.from_account, e.to_account, e.amount_fen, e.allocation_id,"
        " e.project_id, e.payee_id, e.to_allocation, e.stage, e.refs, e.decision_id, e.reverses, e.actor, e.at,"
        " (SELECT r.id FROM fund_entry r WHERE r.reverses = e.id) FROM fund_entry e" +
        EntryWhere(q) + " ORDER BY e.id LIMIT ?6 OFFSET ?7";
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
        sqlite3_finalize(raw);
        return std::unexpected(LastError("ListFundEntriesBy"));
    }
    Stmt st(raw);
    const std::string kind = q.kind ? std::string(FundEntryKindName(*q.kind)) : std::string();
    BindEntryQuery(raw, q, kind);
    sqlite3_bind_int64(raw, 6, q.limit > 0 ? q.limit : -1);
    sqlite3_bind_int64(raw, 7, std::max<int64_t>(q.offset, 0));
    std::vector<ListedFundEntry> out;
    int rc;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
        ListedFundEntry l;
        FundEntry& e = l.stored.entry;
        e.id = sqlite3_column_int64(raw, 0);
        e.date = IntDate(sqlite3_column_int64(raw, 1));
        e.kind = ParseFundEntryKind(Text(raw, 2)).value_or(FundEntryKind::kReceive);
        e.from_account = Text(raw, 3);
        e.to_account = Text(raw, 4);
        e.amount = sqlite3_column_int64(raw, 5);
        e.allocation = sqlite3_column_int64(raw, 6);
        e.project = sqlite3_column_int64(raw, 7);
        e.payee = sqlite3_column_int64(raw, 8);
        e.to_allocation = sqlite3_column_int64(raw, 9);
        e.stage = Text(raw, 10);
        e.refs = Text(raw, 11);
        e.decision_id = Text(raw, 12);
        e.reverses = sqlite3_column_int64(raw, 13);
        l.stored.actor = Text(raw, 14);
        l.stored.at = Text(raw, 15);
        l.reversed_by = sqlite3_column_int64(raw, 16);
        out.push_back(std::move(l));
    }
    if (rc != SQLITE_DONE) return std::unexpected(LastError("ListFundEntriesBy"));
    return out;
}

Result<int64_t> SqliteStore::CountFundEntriesBy(const FundEntryQuery& q) {
    const std::string sql = "SELECT count(*) FROM fund_entry e" + EntryWhere(q);
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
        sqlite3_finalize(raw);
        return std::unexpected(LastError("CountFundEntriesBy"));
    }
    Stmt st(raw);
    const std::string kind = q.kind ? std::string(FundEntryKindName(*q.kind)) : std::string();
    BindEntryQuery(raw, q, kind);
    if (sqlite3_step(raw) != SQLITE_ROW) return std::unexpected(LastError("CountFundEntriesBy"));
    return sqlite3_column_int64(raw, 0);
}

Result<int64_t> SqliteStore::InsertFundRefusal(const FundRefusal& refusal, const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return std::unexpected(r.error());
    auto st = Prepare(kInsertRefusal);
    if (!st) return std::unexpected(st.error());
    sqlite3_bind_int64(*st, 1, DateInt(refusal.refused_on));
    BindText(*st, 2, change.actor);
    BindText(*st, 3, change.at);
    BindText(*st, 4, refusal.rule);
    BindText(*st, 5, refusal.field);
    BindText(*st, 6, refusal.message_zh);
    BindText(*st, 7, refusal.message_en);
    BindText(*st, 8, refusal.entry_json);
    if (auto r = StepDone(*st, "InsertFundRefusal"); !r) return std::unexpected(r.error());
    FundRefusal stored = refusal;
    stored.id = sqlite3_last_insert_rowid(db_);
    auto county = SettingCounty();
    if (!county) return std::unexpected(county.error());
    if (auto r = LogChange(change, *county, "fund_refusal", std::to_string(stored.id), "insert", "",
                           RefusalLogJson(stored));
        !r)
        return std::unexpected(r.error());
    return stored.id;
}

Result<std::vector<FundRefusal>> SqliteStore::ListFundRefusals() {
    auto st = Prepare(kListRefusals);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    std::vector<FundRefusal> out;
    int rc;
    while ((rc = sqlite3_step(*st)) == SQLITE_ROW)
        out.push_back(FundRefusal{.id = sqlite3_column_int64(*st, 0),
                                  .refused_on = IntDate(sqlite3_column_int64(*st, 1)),
                                  .actor = Text(*st, 2),
                                  .at = Text(*st, 3),
                                  .rule = Text(*st, 4),
                                  .field = Text(*st, 5),
                                  .message_zh = Text(*st, 6),
                                  .message_en = Text(*st, 7),
                                  .entry_json = Text(*st, 8)});
    if (rc != SQLITE_DONE) return std::unexpected(LastError("ListFundRefusals"));
    return out;
}

}  // namespace jz::sqlite_internal
