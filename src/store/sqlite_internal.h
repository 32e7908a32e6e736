// Internal to src/store: the SQLite adapter's class, shared by its files (one per table family, see
// README.md). Nothing outside src/store includes this header; callers use sqlite_store.h and store.h.
//
// Ownership: a SqliteStore owns its connection (sqlite3*) and its cached prepared statements, and
// closes them when destroyed. Statements returned by Prepare() belong to the cache: use them before
// the next Prepare() of the same SQL, never finalise them. Strings bound with BindText() are bound
// SQLITE_STATIC: they must outlive the sqlite3_step() that uses them.
//
// Threading: one thread at a time per SqliteStore (the connection is opened SQLITE_OPEN_NOMUTEX);
// only the parallel scans (sqlite_scans.cc) run threads, each on a read-only connection of its own.
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/funds.h"
#include "store/change_chain.h"
#include "store/json_writer.h"
#include "store/sqlite_store.h"
#include "store/store.h"

namespace jz::sqlite_internal {

// --- SQL shared by several files (char arrays: one address, so Prepare() caches one statement) ---
inline constexpr char kHouseholdColumns[] =
    "h.id, h.version, h.household_code, h.division_code, h.attribute, h.identification_standard, "
    "h.main_cause,"
    " h.other_causes, h.identified_year, h.planned_exit_year, h.status, h.exit_year, h.net_income_per_head,"
    " h.main_measure, h.aux_measures, h.pairing_cadre, h.phone, h.dangerous_housing, h.safe_water,"
    " h.household_electricity, h.housing_area";
#define JZ_PERSON_COLUMNS                                                                                    \
    "p.name, p.id_number, p.relation, p.sex, p.birth_date, p.ethnicity, p.education, p.schooling, p.health," \
    " p.labour, p.migrant_work, p.months_worked, p.ethnicity_name"
inline constexpr char kPersonColumns[] = JZ_PERSON_COLUMNS;
inline constexpr int kPersonColumnCount = 13;
inline constexpr int kPersonOffset = 21;  // person columns follow the 21 household columns in a join
inline constexpr char kChainTail[] = "SELECT seq, hash FROM change_log ORDER BY seq DESC LIMIT 1";

// --- Statements and columns ----------------------------------------------------------------------

// Resets a cached statement when a single-row lookup returns: a statement left mid-step keeps a
// read transaction open on the connection (stale snapshots, blocked checkpoints and DDL).
struct ResetOnExit {
    sqlite3_stmt* stmt;
    ~ResetOnExit() { sqlite3_reset(stmt); }
};

// A statement of its own (not cached), finalised when destroyed.
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

inline void BindText(sqlite3_stmt* st, int i, const std::string& v) {
    sqlite3_bind_text(st, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
}
template <class T>
void BindOpt(sqlite3_stmt* st, int i, const std::optional<T>& v) {
    if (v)
        sqlite3_bind_int64(st, i, static_cast<int64_t>(*v));
    else
        sqlite3_bind_null(st, i);
}
inline std::string Text(sqlite3_stmt* st, int i) {
    const unsigned char* t = sqlite3_column_text(st, i);
    return t ? std::string(reinterpret_cast<const char*>(t), sqlite3_column_bytes(st, i)) : std::string();
}
// A date as the tables keep it: the integer YYYYMMDD (sorts and compares like the date).
inline int64_t DateInt(const Date& d) { return int64_t{d.year} * 10000 + d.month * 100 + d.day; }
inline Date IntDate(int64_t v) {
    return Date{static_cast<int>(v / 10000), static_cast<int>(v / 100 % 100), static_cast<int>(v % 100)};
}
// A nullable YYYYMMDD column.
inline std::optional<Date> OptDate(sqlite3_stmt* st, int i) {
    if (sqlite3_column_type(st, i) == SQLITE_NULL) return std::nullopt;
    return IntDate(sqlite3_column_int64(st, i));
}
inline void TextInto(sqlite3_stmt* st, int i, std::string& out) {
    const unsigned char* t = sqlite3_column_text(st, i);
    if (t)
        out.assign(reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_column_bytes(st, i)));
    else
        out.clear();
}
template <class T>
std::optional<T> ColOpt(sqlite3_stmt* st, int i) {
    if (sqlite3_column_type(st, i) == SQLITE_NULL) return std::nullopt;
    return static_cast<T>(sqlite3_column_int64(st, i));
}
// A column of comma-separated integers ("3,7").
void SplitIntsInto(sqlite3_stmt* st, int i, std::vector<int>& out);
// A YYYY-MM-DD column (an empty Date when NULL or malformed).
Date DateColumn(sqlite3_stmt* st, int i);

// --- Rows shared across table families -----------------------------------------------------------

// Dates as YYYYMMDD numbers, comma-separated (the facts columns *_birth_dates).
void JoinDatesInto(const std::vector<Date>& dates, std::string& out);
// The kHouseholdColumns of a row into rec (names and phone left empty when facts_only).
void ReadHouseholdInto(sqlite3_stmt* st, HouseholdRecord& rec, bool facts_only);
// The kPersonColumns from column `o` on (name and ID number left empty when facts_only).
void ReadPersonInto(sqlite3_stmt* st, int o, Person& p, bool facts_only);
// A row of "id, username, password_hash, role, scope, disabled, failed_logins, locked_until,
// created_at".
Account ReadAccount(sqlite3_stmt* st);
// How the change log shows a row of these tables (also what the audit's replay compares).
std::string AccountJson(const Account& a, std::optional<bool> password_changed = std::nullopt);
std::string PopulationJson(const PopulationSetting& p);
std::string AdjustmentJson(const AdjustmentApproval& a);

// The assistance ledger's columns (sqlite_assistance.cc), also read by the audit's replay.
// An item's member: the packed ID number (core/id_number.h PackIdNumber) of a normalised 18-character
// number, else a 64-bit hash with the top bit set (never equal to a packed number).
uint64_t MemberKey(std::string_view id_number);
// The member_keys column: the members' keys sorted, 8 bytes each little-endian (empty: none).
void MemberKeysInto(const std::vector<std::string>& member_ids, std::string& out);
void MemberKeysFrom(sqlite3_stmt* st, int i, std::vector<uint64_t>& out);
// The natural_hash column: FNV-1a 64 of NaturalKeyOf(item).
int64_t NaturalHash(std::string_view natural_key);
// The coverage.flags column: two bits per answer (0 not recorded, 1 no, 2 yes), from the lowest
// basic medical, serious illness, pension insurance, dibao, wubao.
int CoverageFlags(const PersonCoverage& c);
void SetCoverageFlags(int flags, PersonCoverage& c);

// The pairing family's columns (sqlite_pairing.cc), also read by the audit's replay, and how a row
// is written as its change-log state (the rows have no JSON body).
#define JZ_CADRE_COLUMNS \
    "id, version, name, id_number, unit, rank, phone, township_code, division_code, active_from, active_to"
#define JZ_PAIRING_COLUMNS "id, household_code, division_code, cadre_id, from_date, to_date, reason, end_reason"
#define JZ_TEAM_MEMBER_COLUMNS "id, village_code, cadre_id, role, from_date, to_date"
#define JZ_VISIT_COLUMNS                                                                                   \
    "id, client_id, household_code, division_code, cadre_id, visit_date, discussed, done, lat_e6, lon_e6," \
    " accuracy_m, photo, photo_bytes, distance_m, far, recorded_by, recorded_at"
#define JZ_ON_POST_COLUMNS "member_id, year, month, days"
#define JZ_PLACE_COLUMNS "household_code, division_code, lat_e6, lon_e6, accuracy_m, recorded_on, source"
CadreRecord ReadCadre(sqlite3_stmt* st);
Pairing ReadPairing(sqlite3_stmt* st);
TeamMember ReadTeamMember(sqlite3_stmt* st);
Visit ReadVisit(sqlite3_stmt* st);
OnPostDays ReadOnPost(sqlite3_stmt* st);
HouseholdPlace ReadHouseholdPlace(sqlite3_stmt* st);
// {"member_id","year","month","days"}; its key "<member_id>/<YYYY-MM>".
std::string OnPostJson(const OnPostDays& d);
std::string OnPostKey(int64_t member_id, int year, int month);
// {"household_code","division_code","place":{"lat_e6","lon_e6","accuracy_m"},"recorded_on","source"}
std::string HouseholdPlaceJson(const HouseholdPlace& p);

// --- sqlite_funds.cc: the funds tables' rows and their logged forms (also audit verify's replay) ---
#define JZ_ALLOCATION_COLUMNS "id, source, document_number, year, amount_fen, earmark, received_fen"
#define JZ_FUND_PROJECT_COLUMNS \
    "id, name, division_code, use_code, approved_fen, reapproved_fen, state, budgeted_fen, paid_fen, deposit_fen"
#define JZ_FUND_ENTRY_COLUMNS                                                                              \
    "id, entry_date, kind, from_account, to_account, amount_fen, allocation_id, project_id, payee_id,"   \
    " to_allocation, stage, refs, decision_id, reverses, actor, at"
Allocation ReadFundAllocation(sqlite3_stmt* st, Fen* received);  // JZ_ALLOCATION_COLUMNS
FundProject ReadFundProject(sqlite3_stmt* st, ProjectMoney* money);  // JZ_FUND_PROJECT_COLUMNS
StoredFundEntry ReadFundEntry(sqlite3_stmt* st);  // JZ_FUND_ENTRY_COLUMNS
std::string FundSourceJson(const FundSource& s);
std::string FundAllocationJson(const Allocation& a);
std::string FundProjectJson(const FundProject& p);
std::string FundPayeeJson(const Payee& y);

// The household events' columns (sqlite_events.cc), also read by the audit's replay, and a row as
// its change-log state (the households as their stored JSON text).
#define JZ_HOUSEHOLD_EVENT_COLUMNS                                                                        \
    "seq, household_code, division_code, effective_on, kind, case_id, before_status, after_status,"      \
    " before_exit_year, after_exit_year, before_json, after_json, log_seq"
std::string HouseholdEventLogJson(sqlite3_stmt* st);
// Who and when a migration's own changes are logged as: `actor`, at `now` (ISO 8601 UTC).
ChangeContext MigrationChange(const std::string& actor, std::chrono::sys_seconds now);
void FundEntryJsonInto(const FundEntry& e, std::string& out);  // one element of a "fund_entries" row
std::string FundBatchKey(int64_t first, int64_t last);            // "<first>-<last>"

// A table whose rows are a whole object kept as a JSON body, with an id and a version (procedure
// cases, evaluations); the columns beside the body only serve filters. InsertBody and UpdateBody
// (sqlite_cases.cc) are the steps they share: body, version check, change-log entry.
template <class T>
struct BodyTable {
    const char* entity;     // in the change log: "procedure_case", "evaluation"
    const char* what;       // in messages: "case", "evaluation"
    const char* next_id;    // SELECT the next free id
    const char* find;       // SELECT id, version, body_json ... WHERE id=?1
    const char* insert;     // INSERT with the parameters `bind` sets
    const char* update;     // UPDATE with the same parameters ... WHERE id=?1 AND version=?version_param
    int version_param;
    const char* insert_op;  // names in SQLite error messages ("InsertCase")
    const char* update_op;
    std::string (*to_json)(const T&);
    Result<T> (*from_json)(std::string_view);
    // The insert's and the update's parameters; `at` and `json` must outlive the step.
    void (*bind)(sqlite3_stmt*, const T&, const std::string& at, const std::string& json);
};

// --- sqlite_reports.cc: an issued report's row (also audit verify's replay) ------------------------
#define JZ_ISSUED_REPORT_COLUMNS \
    "id, kind, unit_code, unit_name, period, as_of, issued_at, issued_by, document_json, hash, seq"
IssuedReport ReadIssuedReport(sqlite3_stmt* st);

// --- The adapter ---------------------------------------------------------------------------------
// Member functions are defined in the file of their table family:
//   sqlite_store.cc       open, migrations, transactions, settings, statement and error helpers
//   sqlite_plan.cc        plan and org units
//   sqlite_households.cc  households and members (find, insert, update, delete, bulk load)
//   sqlite_scans.cc       household and facts scans, serial and parallel
//   sqlite_change_log.cc  the change log (writing, reading, events, head) and imports
//   sqlite_audit.cc       Verify: the chain walk and the replay of the log against the rows
//   sqlite_accounts.cc    accounts and sessions
//   sqlite_cases.cc       procedure cases, evaluations, population, adjustment approvals
//   sqlite_assistance.cc  the assistance ledger: items, income, cover
//   sqlite_pairing.cc     pairing: cadres, pairings, work teams, on-post days, visits, places
//   sqlite_funds.cc       funds: sources, allocations, projects, payees, the entries and balances
//   sqlite_shares.cc      asset-income shares: assets, holdings, moves, certificates, dividends
//   sqlite_events.cc      household events (the dated changes figures as of a past day undo)
//   sqlite_reports.cc     issued (frozen) periodic reports
class SqliteStore final : public Store {
  public:
    // Takes ownership of `db`.
    SqliteStore(sqlite3* db, std::string path, Synchronous synchronous)
        : db_(db), path_(std::move(path)), synchronous_(synchronous) {}
    ~SqliteStore() override {
        cache_.clear();
        sqlite3_close_v2(db_);
    }
    SqliteStore(const SqliteStore&) = delete;
    SqliteStore& operator=(const SqliteStore&) = delete;

    // Sets the pragmas and applies the migrations (sqlite_schema.h) the file lacks.
    Result<void> Init(OpenMode mode);

    // sqlite_store.cc
    Result<void> Begin() override;
    Result<void> Commit() override;
    void Rollback() override;
    int schema_version() const override { return schema_version_; }
    Result<std::optional<std::string>> GetSetting(const std::string& key) override;
    Result<void> PutSetting(const std::string& key, const std::string& value) override;

    // sqlite_plan.cc
    Result<void> SavePlan(const std::string& plan_id, const std::string& toml_text,
                          const ChangeContext& change) override;
    Result<std::optional<std::string>> LoadPlanText() override;
    Result<void> SaveOrgUnits(const OrgTree& tree, const ChangeContext& change) override;
    Result<OrgTree> LoadOrgTree() override;

    // sqlite_households.cc
    Result<std::optional<HouseholdRecord>> FindHousehold(const std::string& code) override;
    Result<std::optional<std::string>> FindHouseholdOfIdNumber(const std::string& id_number) override;
    Result<int64_t> InsertHouseholdLogged(const Household& h, const ChangeContext& change,
                                          const std::string& household_json) override;
    Result<void> UpdateHousehold(const HouseholdRecord& before, const Household& after,
                                 const ChangeContext& change) override;
    Result<void> DeleteHousehold(const HouseholdRecord& before, const ChangeContext& change) override;
    Result<bool> IsDeregistered(const std::string& household_code) override;
    Result<int64_t> CountHouseholds() override;
    Result<int64_t> CountPersons() override;
    Result<void> BeginBulkLoad() override;
    Result<void> EndBulkLoad() override;

    // sqlite_scans.cc
    Result<void> ScanHouseholds(const HouseholdFilter& filter,
                                const std::function<bool(const Household&)>& visit) override;
    Result<void> ScanHouseholdsParallel(const HouseholdFilter& filter, int parts,
                                        const std::function<bool(int, const Household&)>& visit) override;
    Result<void> ScanFacts(const HouseholdFilter& filter,
                           const std::function<bool(const HouseholdFacts&)>& visit) override;
    Result<void> ScanFactsParallel(const HouseholdFilter& filter, int parts,
                                   const std::function<bool(int, const HouseholdFacts&)>& visit) override;

    // sqlite_change_log.cc
    Result<int64_t> BeginImport(const std::string& file_name, const ChangeContext& change) override;
    Result<void> FinishImport(int64_t import_id, const std::string& summary_json) override;
    Result<std::optional<ImportRecord>> FindImport(int64_t import_id) override;
    Result<std::vector<ChangeLogEntry>> ChangeLog(const ChangeLogFilter& f) override;
    Result<int64_t> LastChangeSeq() override;
    Result<void> RecordEvent(const std::string& entity, const std::string& entity_key,
                             const std::string& action, const std::string& detail_json,
                             const ChangeContext& change) override;
    Result<ChainHead> Head() override;

    // sqlite_audit.cc
    Result<ChainVerification> Verify(const VerifyOptions& options) override;
    Result<std::vector<std::string>> CheckIntegrity() override;

    // sqlite_accounts.cc
    Result<int64_t> InsertAccount(const Account& a, const ChangeContext& change) override;
    Result<std::optional<Account>> FindAccount(const std::string& username) override;
    Result<std::optional<Account>> FindAccountById(int64_t id) override;
    Result<std::vector<Account>> ListAccounts() override;
    Result<void> UpdateAccount(const Account& before, const Account& after,
                               const ChangeContext& change) override;
    Result<void> SetLoginState(int64_t account_id, int failed_logins,
                               const std::string& locked_until) override;
    Result<void> InsertSession(const SessionRecord& s) override;
    Result<std::optional<SessionRecord>> FindSession(const std::string& token_hash) override;
    Result<void> TouchSession(const std::string& token_hash, const std::string& at) override;
    Result<void> DeleteSession(const std::string& token_hash) override;
    Result<int64_t> DeleteSessionsOf(int64_t account_id) override;
    Result<int64_t> DeleteIdleSessions(const std::string& idle_before) override;

    // sqlite_cases.cc
    Result<int64_t> InsertCase(const ProcedureCase& c, const ChangeContext& change) override;
    Result<void> UpdateCase(const ProcedureCase& before, const ProcedureCase& after,
                            const ChangeContext& change) override;
    Result<std::optional<ProcedureCase>> FindCase(int64_t id) override;
    Result<std::vector<ProcedureCase>> ListCases(const CaseFilter& filter) override;
    Result<int64_t> CountCases(const CaseFilter& filter) override;
    Result<void> PutPopulation(const PopulationSetting& setting, const ChangeContext& change) override;
    Result<std::vector<PopulationSetting>> ListPopulation() override;
    Result<int64_t> InsertEvaluation(const Evaluation& e, const ChangeContext& change) override;
    Result<void> UpdateEvaluation(const Evaluation& before, const Evaluation& after,
                                  const ChangeContext& change) override;
    Result<std::optional<Evaluation>> FindEvaluation(int64_t id) override;
    Result<std::vector<Evaluation>> ListEvaluations() override;
    Result<void> InsertAdjustmentApproval(const AdjustmentApproval& a, const ChangeContext& change) override;
    Result<std::optional<AdjustmentApproval>> FindAdjustmentApproval(int year,
                                                                     const std::string& county_code) override;

    // sqlite_assistance.cc
    Result<void> InsertAssistance(const AssistanceRecord& record, const ChangeContext& change) override;
    Result<void> UpdateAssistance(const AssistanceRecord& before, const AssistanceRecord& after,
                                  const ChangeContext& change) override;
    Result<std::optional<AssistanceRecord>> FindAssistance(const std::string& item_code) override;
    Result<std::vector<AssistanceRecord>> ListAssistance(const AssistanceFilter& filter) override;
    Result<int64_t> CountAssistance(const AssistanceFilter& filter) override;
    Result<std::optional<AssistanceRecord>> FindAssistanceByNaturalKey(const std::string& household_code,
                                                                       const std::string& natural_key) override;
    Result<int> LastAssistanceNumber(const std::string& household_code) override;
    Result<void> ScanItemFacts(const std::string& division_prefix,
                               const std::function<bool(const ItemFacts&)>& visit) override;
    Result<void> ScanItemFactsParallel(const std::string& division_prefix, int parts,
                                       const std::function<bool(int, const ItemFacts&)>& visit) override;
    Result<int64_t> PutIncome(const IncomeRecord& record, const std::string& division_code,
                              std::optional<int64_t> expected_version, const ChangeContext& change) override;
    Result<std::optional<IncomeRecordVersion>> FindIncome(const std::string& household_code, int year) override;
    Result<std::vector<IncomeRecordVersion>> ListIncome(const IncomeFilter& filter) override;
    Result<void> ScanIncomeYear(const std::string& division_prefix, int year,
                                const std::function<bool(const IncomeRecord&)>& visit) override;
    Result<void> PutCoverage(const PersonCoverage& coverage, const std::string& division_code,
                             const ChangeContext& change) override;
    Result<std::vector<PersonCoverage>> ListCoverage(const std::string& household_code) override;
    Result<void> ScanCoverageYear(const std::string& division_prefix, int year,
                                  const std::function<bool(const PersonCoverage&)>& visit) override;

    // sqlite_pairing.cc
    Result<int64_t> InsertCadre(const Cadre& cadre, const ChangeContext& change) override;
    Result<void> UpdateCadre(const CadreRecord& before, const Cadre& after, const ChangeContext& change) override;
    Result<std::optional<CadreRecord>> FindCadre(int64_t id) override;
    Result<std::optional<CadreRecord>> FindCadreByIdNumber(const std::string& id_number) override;
    Result<std::vector<CadreRecord>> ListCadres(const CadreFilter& filter) override;
    Result<std::vector<std::pair<int64_t, int64_t>>> CadreLoads(const std::string& division_prefix) override;
    Result<int64_t> InsertPairing(const Pairing& pairing, const ChangeContext& change) override;
    Result<void> EndPairing(int64_t pairing_id, const Date& to, const std::string& end_reason,
                            const ChangeContext& change) override;
    Result<std::optional<Pairing>> CurrentPairing(const std::string& household_code) override;
    Result<std::vector<Pairing>> ListPairings(const PairingFilter& filter) override;
    Result<void> ScanCurrentPairings(const std::string& division_prefix,
                                     const std::function<bool(const Pairing&)>& visit) override;
    Result<AdoptionReport> AdoptPairingNames(const std::vector<std::string>& household_codes, const Date& on,
                                             const std::string& reason, bool empty_ends,
                                             const ChangeContext& change) override;
    Result<int64_t> InsertTeamMember(const TeamMember& member, const ChangeContext& change) override;
    Result<void> UpdateTeamMember(const TeamMember& before, const TeamMember& after,
                                  const ChangeContext& change) override;
    Result<std::optional<TeamMember>> FindTeamMember(int64_t id) override;
    Result<std::vector<TeamMember>> ListTeamMembers(const std::string& division_prefix,
                                                    std::optional<Date> active_on) override;
    Result<void> PutOnPostDays(const OnPostDays& record, const ChangeContext& change) override;
    Result<std::vector<OnPostDays>> ListOnPostDays(const std::string& division_prefix, int from_year, int from_month,
                                                   int to_year, int to_month) override;
    Result<VisitInsert> InsertVisit(const Visit& visit, std::string_view photo, const ChangeContext& change) override;
    Result<std::optional<Visit>> FindVisit(int64_t id) override;
    Result<std::optional<Visit>> FindVisitByClientId(const std::string& client_id) override;
    Result<std::vector<Visit>> ListVisits(const VisitFilter& filter) override;
    Result<std::optional<std::string>> VisitPhoto(int64_t visit_id) override;
    Result<void> ScanVisitSummaries(const std::string& division_prefix,
                                    const std::function<bool(const VisitSummary&)>& visit) override;
    Result<void> ScanVisitsAsOf(const std::string& division_prefix, const Date& quarter_start, const Date& on,
                                const std::function<bool(const std::string& household_code, const Date& last,
                                                         int in_quarter)>& visit) override;
    Result<void> PutHouseholdPlace(const HouseholdPlace& place, const ChangeContext& change) override;
    Result<std::optional<HouseholdPlace>> FindHouseholdPlace(const std::string& household_code) override;

    // sqlite_funds.cc
    Result<void> PutFundSource(const FundSource& source, const ChangeContext& change) override;
    Result<void> PutAllocation(const Allocation& allocation, const ChangeContext& change) override;
    Result<void> PutFundProject(const FundProject& project, const ChangeContext& change) override;
    Result<void> PutPayee(const Payee& payee, const ChangeContext& change) override;
    Result<std::vector<Allocation>> ListAllocations() override;
    Result<std::optional<FundProject>> FindFundProject(int64_t id) override;
    Result<std::vector<FundEntry>> PostFundEntries(const std::vector<FundEntry>& batch, const PlanFunds& settings,
                                                   const ChangeContext& change) override;
    Result<std::vector<StoredFundEntry>> ListFundEntries(const FundEntryFilter& filter) override;
    Result<std::map<std::string, Fen>> FundBalances() override;
    Result<std::map<std::string, Fen>> RecountFundBalances() override;

    // sqlite_events.cc
    Result<int64_t> RecordHouseholdEvent(const HouseholdEvent& event, const ChangeContext& change) override;
    Result<std::vector<HouseholdEvent>> ListHouseholdEvents(const HouseholdEventFilter& filter) override;
    Result<std::vector<std::string>> HouseholdsCorrectedSince(const std::string& at,
                                                              const std::string& division_prefix) override;

    // sqlite_shares.cc
    Result<void> InsertAsset(const Asset& asset, const ChangeContext& change) override;
    Result<void> UpdateAsset(const Asset& asset, const ChangeContext& change) override;
    Result<std::optional<Asset>> FindAsset(const std::string& id) override;
    Result<std::vector<Asset>> ListAssets(const std::string& division_prefix) override;
    Result<Holdings> AssetHoldings(const std::string& asset_id) override;
    Result<std::map<std::string, int64_t>> HoldingsOf(const std::string& holder) override;
    Result<void> SetHoldings(const std::string& asset_id, const Holdings& after, const std::vector<ShareMove>& moves,
                             const Date& date, const ChangeContext& change) override;
    Result<std::vector<StoredShareMove>> ListShareMoves(const std::string& asset_id) override;
    Result<std::vector<ShareCertificate>> ListCertificates(const std::string& asset_id, bool all) override;
    Result<void> InsertDividend(const StoredDividend& dividend, const ChangeContext& change) override;
    Result<std::vector<StoredDividend>> ListDividends(const std::string& asset_id) override;
    Result<std::vector<HolderDividend>> DividendsOf(const std::string& holder) override;
    Result<void> InsertAssetDisposal(const AssetDisposal& disposal, const ChangeContext& change) override;
    Result<std::optional<AssetDisposal>> FindAssetDisposal(const std::string& asset_id) override;
    // sqlite_projects.cc
    Result<LibraryProject> InsertLibraryProject(const LibraryProject& project, const ChangeContext& change) override;
    Result<LibraryProject> UpdateLibraryProject(const LibraryProject& before, const LibraryProject& after,
                                                const ChangeContext& change) override;
    Result<std::optional<LibraryProject>> FindLibraryProject(int64_t id) override;
    Result<std::optional<LibraryProject>> FindLibraryProjectByCode(const std::string& code) override;
    Result<std::vector<LibraryProject>> ListLibraryProjects(const LibraryProjectFilter& filter) override;
    Result<int64_t> CountLibraryProjects(const LibraryProjectFilter& filter) override;
    Result<std::vector<FundSource>> ListFundSources() override;
    Result<std::vector<Payee>> ListPayees() override;
    Result<std::vector<std::pair<FundProject, ProjectMoney>>> ListFundProjects() override;
    Result<std::vector<ListedFundEntry>> ListFundEntriesBy(const FundEntryQuery& query) override;
    Result<int64_t> CountFundEntriesBy(const FundEntryQuery& query) override;
    Result<int64_t> InsertFundRefusal(const FundRefusal& refusal, const ChangeContext& change) override;
    Result<std::vector<FundRefusal>> ListFundRefusals() override;
    // sqlite_reports.cc
    Result<IssuedReport> InsertIssuedReport(const IssuedReport& report, const ChangeContext& change) override;
    Result<std::optional<IssuedReport>> FindIssuedReport(int64_t id) override;
    Result<std::vector<IssuedReport>> ListIssuedReports(const IssuedReportFilter& filter) override;
    Result<int64_t> CountIssuedReports(const IssuedReportFilter& filter) override;

  private:
    // --- shared by every family (sqlite_store.cc) ---
    // "store.no_transaction" unless a transaction is open: every write calls it first.
    Result<void> RequireTx();
    Error MakeError(int rc, const std::string& what);
    Error LastError(const std::string& what);
    Result<void> Exec(const std::string& sql);
    Result<int64_t> QueryInt(const char* sql);
    // Cached prepared statement, reset and cleared for reuse. `sql` must be a string constant: the
    // cache is keyed by its address, so a hot path pays no string comparison.
    Result<sqlite3_stmt*> Prepare(const char* sql);
    Result<void> StepDone(sqlite3_stmt* st, const char* what);
    // The county of entries that belong to no household (accounts, events): the database's own.
    Result<std::string> SettingCounty();

    // --- sqlite_change_log.cc ---
    // Appends an entry to the change log, chained to the previous one (every logged write calls it
    // in its transaction). Empty before/after are stored as NULL.
    Result<void> LogChange(const ChangeContext& c, const std::string& county, const std::string& entity,
                           const std::string& key, const std::string& action, const std::string& before,
                           const std::string& after);

    // --- sqlite_projects.cc ---
    Result<void> WriteProjectChildren(const LibraryProject& p);
    Result<void> ReadProjectChildren(LibraryProject& p);

    // --- sqlite_households.cc ---
    void BindHousehold(sqlite3_stmt* st, const Household& h, const std::string& at);
    Result<void> ReadMembers(int64_t household_id, Household& h);
    Result<void> InsertMembers(int64_t household_id, const Household& h);

    // --- sqlite_scans.cc ---
    Result<void> ScanInStorageOrder(const HouseholdFilter& filter,
                                    const std::function<bool(const Household&)>& visit);
    using PartScan = std::function<Result<void>(sqlite3*, int, int64_t, int64_t, std::atomic<bool>&)>;
    Result<void> InParts(int parts, const std::function<Result<void>()>& serial, const PartScan& scan_part);
    // Runs part(db, i, stop) for i in [0, parts) at once, each on a thread and a read-only connection
    // of its own; the first failure sets `stop` and is returned.
    using ConnectionPart = std::function<Result<void>(sqlite3*, int, std::atomic<bool>&)>;
    Result<void> OnReadConnections(int parts, const ConnectionPart& part);

    // --- sqlite_audit.cc ---
    struct Latest;
    struct LoggedStates;
    struct ReplayedTable;
    Result<std::string> LoggedAfter(int64_t seq);
    Result<void> CompareState(ChainVerification& out, std::unordered_map<std::string, Latest>& logged,
                              const std::string& entity, const std::string& key, const std::string& current);
    Result<void> EachRow(const char* sql, const std::function<Result<void>(sqlite3_stmt*)>& row);
    Result<void> ReplayRows(LoggedStates& logged, ChainVerification& out);
    Result<void> ReplayTable(const ReplayedTable& table, LoggedStates& logged, ChainVerification& out);
    Result<void> ReplayHouseholds(LoggedStates& logged, ChainVerification& out);
    Result<void> ReplayAccounts(LoggedStates& logged, ChainVerification& out);
    Result<void> ReplayPlan(LoggedStates& logged, ChainVerification& out);

    // --- sqlite_pairing.cc ---
    // The county a pairing-family entry is logged under: the code's first 6 digits, or the
    // database's own county when the code is empty.
    Result<std::string> CountyFor(const std::string& division_code);
    Result<bool> CadreExists(int64_t id);
    // "team.first_secretary_exists" when `m` (a first secretary) would overlap another one of its village.
    Result<void> CheckFirstSecretary(const TeamMember& m);
    // The chain tail into chain_seq_/chain_hash_ (Begin, and the migration's own transaction).
    Result<void> LoadChainTail();
    // Migration 006's step after its SQL (Init): every household's pairing name adopted.
    Result<void> AdoptNamesOnUpgrade();
    // --- sqlite_events.cc ---
    // Migration 010's step after its SQL (Init): the events of the cases closed before it, from
    // the cases and the change log.
    Result<void> RebuildHouseholdEvents();
    Result<void> RebuildEventsFromCases(const ChangeContext& change);

    // --- sqlite_accounts.cc ---
    Result<std::optional<Account>> OneAccount(sqlite3_stmt* st);

    // --- sqlite_cases.cc ---
    template <class T>
    Result<int64_t> InsertBody(const BodyTable<T>& table, const T& value, const ChangeContext& change);
    template <class T>
    Result<void> UpdateBody(const BodyTable<T>& table, const T& before, const T& after,
                            const ChangeContext& change);
    template <class T>
    Result<std::optional<T>> FindBody(const BodyTable<T>& table, int64_t id, const char* op);
    Result<std::string> StoredBody(const char* sql, int64_t id, int64_t version, const std::string& what);
    Result<Stmt> CaseQuery(const char* select, const CaseFilter& f, bool paged);

    // --- sqlite_funds.cc ---
    // The funds ledger's state kept from the last PostFundEntries of this connection, so a run of
    // batches (an import) loads each account, allocation, project and payee once. Valid only while
    // nothing else wrote: the same `PRAGMA data_version` (other connections' commits), the same
    // sqlite3_total_changes (this connection's other writes) and the same settings; dropped on
    // Rollback and on a failed Commit.
    struct FundCache {
        PlanFunds settings;  // as the caller gave them (the ledger's carry the stored sources too)
        FundLedger ledger;
        std::unordered_set<std::string> accounts;
        std::unordered_set<int64_t> allocations, projects, payees;
        int64_t data_version = 0;
        int64_t total_changes = 0;
    };
    std::unique_ptr<FundCache> fund_cache_;
    Result<int64_t> DataVersion();

    sqlite3* db_;
    std::string path_;
    Synchronous synchronous_;
    int64_t chain_seq_ = 0;  // the change log's last entry, read when a transaction begins
    ChainHash chain_hash_{};
    std::unordered_map<const char*, Stmt> cache_;
    bool in_tx_ = false;
    int schema_version_ = 0;
    std::string scratch_county_, scratch_causes_, scratch_aux_, scratch_able_, scratch_out_of_school_;
    std::string scratch_item_json_, scratch_member_keys_;  // InsertAssistance's bound strings
};

}  // namespace jz::sqlite_internal
