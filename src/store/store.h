// The one interface to persistent state. Adapters: SQLite (embedded default, sqlite_store.h); a
// PostgreSQL adapter implements the same interface. Callers never see SQL.
//
// Ownership and lifetimes: a Store is owned by whoever opened it (std::unique_ptr from
// OpenSqliteStore; the server's StorePool lends them out, src/server/store_pool.h). Every result is
// returned by value and owned by the caller. References passed to scan visitors (a Household, a
// HouseholdFacts) are valid only during that call: the store reuses them for the next row. A
// Transaction keeps a reference to its Store and must end before the Store is destroyed.
//
// Threading: a Store is used by one thread at a time (a SqliteStore's connection has no mutex of its
// own). Concurrency comes from several Stores on one database, one per thread: the server holds a
// pool of them, and API handlers on several threads each lease one. SQLite in WAL mode lets readers
// run beside one writer; writers queue on its lock and give up with "store.locked" after the busy
// timeout. Only the *Parallel scans call back on several threads (see ScanHouseholdsParallel).
//
// Transactions: every mutating call must run inside a transaction (Begin ... Commit); a mutating
// call outside one fails with "store.no_transaction". Every registry change writes its change-log
// entry in the same transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/as_of.h"
#include "core/assistance.h"
#include "core/error.h"
#include "core/evaluation.h"
#include "core/funds.h"
#include "core/project_library.h"
#include "core/household.h"
#include "core/incidence.h"
#include "core/org_unit.h"
#include "core/pairing.h"
#include "core/procedure.h"
#include "core/progress.h"
#include "core/shares.h"

namespace jz {

// An assistance record, an income record and a person's cover as JSON (the change log's states and
// the API's shapes), and their strict inverses ("json.invalid" naming the field).
std::string AssistanceRecordToJson(const AssistanceRecord& record);
Result<AssistanceRecord> AssistanceRecordFromJson(std::string_view json);
std::string IncomeRecordToJson(const IncomeRecord& record);
Result<IncomeRecord> IncomeRecordFromJson(std::string_view json);
std::string CoverageToJson(const PersonCoverage& coverage);
Result<PersonCoverage> CoverageFromJson(std::string_view json);

// Pairing records as JSON (the change log's states and the API's shapes) and their strict inverses
// ("json.invalid" naming the field). Field names are the C++ member names; dates YYYY-MM-DD;
// GeoPoint as {"lat_e6","lon_e6","accuracy_m"}; Visit's photo as "photo": "jpeg"|"png"|null.
std::string CadreToJson(const Cadre& cadre);
Result<Cadre> CadreFromJson(std::string_view json);
std::string PairingToJson(const Pairing& pairing);
Result<Pairing> PairingFromJson(std::string_view json);
std::string TeamMemberToJson(const TeamMember& member);
Result<TeamMember> TeamMemberFromJson(std::string_view json);
std::string VisitToJson(const Visit& visit);
Result<Visit> VisitFromJson(std::string_view json);

// The household as JSON, for the change log and the API.
std::string HouseholdToJson(const Household& household);
// Its strict inverse: every field HouseholdToJson writes is read back with its type checked (absent
// or null for the optional ones); other keys are ignored. Fails with "json.invalid" naming the field.
Result<Household> HouseholdFromJson(std::string_view json);

// Who makes a change and when (ISO 8601 UTC, given by the caller: the store reads no clock).
struct ChangeContext {
    std::string actor;
    std::string at;
    std::optional<int64_t> import_id;
};

struct HouseholdRecord {
    int64_t id = 0;
    int64_t version = 0;  // incremented by every update; the API's ETag
    Household household;
};

struct ChangeLogEntry {
    int64_t seq = 0;
    std::string at;
    std::string actor;
    std::string entity;       // "household", "plan", "org_units", "import"
    std::string entity_key;   // household_code, plan id, ...
    std::string action;       // insert / update / delete / load
    std::string before_json;  // empty for an insert
    std::string after_json;   // empty for a delete
    std::optional<int64_t> import_id;
};

// A row that does not agree with what the change log says it is (`Verify` with rows).
struct RowMismatch {
    // "audit.row_mismatch": the row differs from the after-state of its entity's last entry;
    // "audit.row_unlogged": a row with no entry at all (written outside the program);
    // "audit.row_missing": the last entry says the entity exists (not a delete) and there is no row;
    // "audit.row_derived": a column kept beside the row (household facts, a case's list columns)
    // disagrees with the row itself.
    std::string code;
    std::string entity;      // "household", "procedure_case", "evaluation", "population", "account",
                             // "adjustment", "plan", "assistance_item", "income", "coverage"
    std::string entity_key;  // household code, case id, item code, "<household>/<year>", ...
    int64_t seq = 0;         // the entity's last change-log entry (0: none)
    std::vector<std::string> fields;  // what differs, e.g. "net_income_per_head", "members[2].name"
};

// The chain's head: its last entry. An anchor kept outside the database (printed on reports).
struct ChainHead {
    int64_t seq = 0;   // 0 when the log is empty
    std::string hash;  // hex BLAKE2b-256 of that entry (64 zeros when empty)
};

struct VerifyOptions {
    // Also replay the log against the rows: every logged entity's current row must equal the
    // after-state of its last entry (RowMismatch).
    bool rows = true;
    // A head recorded earlier ("HASH" or "SEQ:HASH"): the chain must contain it (at SEQ when given).
    std::optional<ChainHead> anchor;
};

// What `Verify` found.
struct ChainVerification {
    int64_t entries = 0;               // entries checked
    std::optional<int64_t> first_bad;  // sequence number of the first entry that breaks the chain
    std::string last_hash;             // hex BLAKE2b of the last entry (keep it to detect truncation)
    int64_t last_seq = 0;              // the last entry's sequence number (with first_bad: the last good)
    bool rows_checked = false;         // the replay ran (VerifyOptions::rows)
    int64_t rows = 0;                  // rows compared
    int64_t mismatch_count = 0;        // every mismatch found; `mismatches` keeps the first 10,000
    std::vector<RowMismatch> mismatches;
    // With an anchor: found in the chain where it should be (false: the log was cut back below it,
    // or something up to it changed). nullopt without an anchor.
    std::optional<bool> anchor_found;
    bool intact() const {
        return !first_bad && mismatch_count == 0 && anchor_found.value_or(true);
    }
};

struct ChangeLogFilter {
    std::optional<std::string> entity;  // "household", "account", ...
    std::optional<std::string> entity_key;
    std::optional<std::string> actor;
    std::optional<std::string> since;  // at >= since
    std::optional<int64_t> after_seq;  // seq > after_seq (paging forward, index refresh)
    // Scope: household and procedure-case entries only for households and cases now under this
    // org unit (code prefix), and other entities only when the prefix is empty.
    std::optional<std::string> division_prefix;
    int64_t limit = 1000;
};

// A user of the server. The password is kept only as an argon2id string (crypto_pwhash_str).
struct Account {
    int64_t id = 0;
    std::string username;
    std::string password_hash;
    std::string role;   // admin, officer, inspector, viewer (core/access.h)
    std::string scope;  // org-unit code
    bool disabled = false;
    int failed_logins = 0;     // consecutive failures since the last success
    std::string locked_until;  // ISO 8601 UTC; empty when not locked
    std::string created_at;
    bool operator==(const Account&) const = default;
};

// A login session. Only the token's hash is stored (hex BLAKE2b-256), never the token.
struct SessionRecord {
    std::string token_hash;
    int64_t account_id = 0;
    std::string created_at;
    std::string last_seen_at;  // idle expiry counts from here
    bool operator==(const SessionRecord&) const = default;
};

// Restricts a scan to the households under one org unit (its code is a prefix of theirs).
struct HouseholdFilter {
    std::string division_prefix;
    // Leave names, ID numbers, the pairing cadre and the phone empty: reports that only count need
    // none of them, and not copying them makes a scan of a province markedly cheaper.
    bool facts_only = false;
    // Visit in storage order instead of (division_code, household_code) order: two sequential scans
    // merged by household id, no index lookups. For aggregates, and for callers that sort their
    // results themselves.
    bool any_order = false;
    // ScanFacts / ScanFactsParallel only: households with one of these statuses (empty: all). The
    // store skips the others before reading their columns.
    std::vector<int> statuses;
};

// Which household events to list (ListHouseholdEvents).
struct HouseholdEventFilter {
    std::optional<Date> after;  // effective_on > after
    std::string division_prefix;
    std::optional<std::string> household_code;
};

// Which procedure cases to list (ListCases); every set field must match.
struct CaseFilter {
    std::optional<ProcedureKind> kind;
    std::optional<std::string> household_code;
    std::string division_prefix;  // cases of households under this org unit
    std::optional<int> year;
    std::optional<bool> open;
    std::optional<std::string> state;
    int64_t offset = 0;
    int64_t limit = 1000;  // at most this many, ordered by id
};

// Which assistance items to list (ListAssistance); every set field must match.
struct AssistanceFilter {
    std::optional<std::string> household_code;
    std::string division_prefix;       // items of households under this org unit (the item's
                                       // division_code, AssistanceRecord::division_code)
    std::optional<int> measure;
    std::optional<Date> from;          // active during [from, to] (AssistanceItem::ActiveDuring)
    std::optional<Date> to;
    std::optional<bool> signed_off;    // true: signed only; false: unconfirmed only
    bool include_deleted = false;
    std::string after_code;            // paging: item_code > after_code (items ordered by code)
    int64_t limit = 1000;
};

// Which income records to list (ListIncome).
struct IncomeFilter {
    std::optional<std::string> household_code;
    std::string division_prefix;
    std::optional<int> year;
    std::optional<int> from_year;  // year >= from_year
    std::optional<int> to_year;    // year <= to_year
    std::string after_household;   // paging: (household_code, year) after (after_household, after_year)
    int after_year = 0;
    int64_t limit = 1000;
};

// Which cadres to list (ListCadres); every set field must match. Ordered by id.
struct CadreFilter {
    std::string division_prefix;        // Cadre::division_code starts with it (a county scope sees
                                        // county-wide cadres and every township's)
    std::optional<int> rank;
    std::optional<Date> active_on;      // serving on that day
    std::string name;                   // exact name
    int64_t after_id = 0;               // paging: id > after_id
    int64_t limit = 1000;
};

// Which pairings to list (ListPairings). Ordered by household code, then from, then id.
struct PairingFilter {
    std::optional<std::string> household_code;
    std::optional<int64_t> cadre_id;
    std::string division_prefix;        // households under this org unit
    bool current_only = false;
    std::string after_household;        // paging: household_code > after_household
    int64_t limit = 1000;
};

// Which visits to list (ListVisits). Ordered by date descending, then id descending.
struct VisitFilter {
    std::optional<std::string> household_code;
    std::optional<int64_t> cadre_id;
    std::string division_prefix;
    std::optional<Date> from;
    std::optional<Date> to;
    std::optional<bool> far;
    int64_t before_id = 0;              // paging: id < before_id (0: from the newest)
    int64_t limit = 100;
};

// A household's recorded place (for the visit distance), kept beside the registry.
struct HouseholdPlace {
    std::string household_code;
    std::string division_code;
    GeoPoint place;
    Date recorded_on;
    std::string source;  // "survey" | "visit" | "import" ...
    bool operator==(const HouseholdPlace&) const = default;
};

// One household's last visit and count, kept by the store as visits are inserted (the overdue
// list reads these, not the visits).
struct VisitSummary {
    std::string household_code;
    std::string division_code;
    Date last_visit;
    int64_t visits = 0;
};

// What AdoptPairingNames did: cadres made from names (rank unknown), pairings begun or ended.
struct AdoptionReport {
    int64_t cadres_created = 0;
    int64_t pairings_begun = 0;
    int64_t pairings_ended = 0;
    std::vector<std::string> names_created;  // "name (township_code)", sorted
};

// The county's approval of a year's dynamic adjustment as a whole.
struct AdjustmentApproval {
    int year = 0;
    std::string county_code;
    std::string approved_by;
    std::string approved_at;  // ISO 8601 UTC
    Date approved_on;
    std::string notes;
    std::string summary_json;  // the counts approved (service/dynamic.h), as they stood
    bool operator==(const AdjustmentApproval&) const = default;
};

struct ImportRecord {
    int64_t id = 0;
    std::string started_at;
    std::string actor;
    std::string file_name;
    std::string summary_json;  // set by FinishImport
};

// Which fund entries to list (ListFundEntries), by id. Empty/none: no filter on that field.
struct FundEntryFilter {
    std::string account;                // entries from or to this account
    std::optional<FundEntryKind> kind;
    std::optional<Date> from, to;       // entry date range, inclusive
    int64_t after_id = 0;               // paging: entries with a greater id
    int64_t limit = 1000;
};
struct StoredFundEntry {
    FundEntry entry;  // from/to accounts filled
    std::string actor;
    std::string at;
    bool operator==(const StoredFundEntry&) const = default;
};

// --- Asset-income shares (core/shares.h, docs/shares.md; migration 009) ----------------------------
// An equity certificate (股权证): one per holder and asset while it holds; a move of its shares
// revokes it and issues a new one with the new count. number: "<asset id>-<n>", n counting per asset.
struct ShareCertificate {
    std::string asset_id;
    std::string holder;
    std::string number;
    int64_t shares = 0;
    Date issued_on;
    std::optional<Date> revoked_on;
    bool operator==(const ShareCertificate&) const = default;
};
struct StoredShareMove {
    std::string asset_id;
    ShareMove move;
    Date date;
};
// A dividend declaration as stored: the core's declaration, the day it was declared and, per line
// (same order), the assistance item posted for it ("" for the village collective's line).
struct StoredDividend {
    DividendDeclaration declaration;
    Date declared_on;
    std::vector<std::string> item_codes;
};
// A holder's dividend line (the household's shares page).
struct HolderDividend {
    std::string asset_id;
    int year = 0;
    int64_t shares = 0;
    Fen fen = 0;
    std::string item_code;
};
// The asset's disposal (处置): the villagers' vote, the township's approval, the county poverty
// office's and the finance bureau's agreement.
struct AssetDisposal {
    std::string asset_id;
    Date vote_date;
    int votes_for = 0;
    int votes_against = 0;
    Date township_approved_on;
    Date county_agreed_on;
    Date finance_agreed_on;
    std::string reason;
    bool operator==(const AssetDisposal&) const = default;
};
// Which library projects to list (ListLibraryProjects), by id. Empty: no filter on that field.
struct LibraryProjectFilter {
    std::string state;
    std::string division_prefix;  // the project's division starts with it
    std::string q;                // in the code or the name
    int64_t limit = 0;            // 0: all
    int64_t offset = 0;
};
// Which fund entries to list by their references (ListFundEntriesBy), by id; 0/none: no filter.
struct FundEntryQuery {
    int64_t allocation = 0;
    int64_t project = 0;
    std::optional<FundEntryKind> kind;
    std::optional<Date> from, to;
    int64_t limit = 0;  // 0: all
    int64_t offset = 0;
};
// A listed entry with the entry that reversed it (0: none).
struct ListedFundEntry {
    StoredFundEntry stored;
    int64_t reversed_by = 0;
};
// A refused posting (a finding): who, when, the rule and the entry as JSON.
struct FundRefusal {
    int64_t id = 0;
    Date refused_on;
    std::string actor;
    std::string at;
    std::string rule;
    std::string field;
    std::string message_zh;
    std::string message_en;
    std::string entry_json;
    bool operator==(const FundRefusal&) const = default;
};

// --- Issued reports (periodic reports frozen when issued; migration 011, docs/reports.md) ----------
// A report as issued: its document JSON exactly as stored, and hash = hex BLAKE2b-256 of it.
struct IssuedReport {
    int64_t id = 0;  // given by the store
    std::string kind;       // weekly / monthly / quarterly / annual
    std::string unit_code;  // org-unit code or battle id
    std::string unit_name;
    std::string period;     // 2017-W27 / 2017-07 / 2017-Q3 / 2017
    Date as_of;
    std::string issued_at;  // ISO 8601 UTC (the change's `at`)
    std::string issued_by;  // the change's actor
    std::string document_json;
    std::string hash;
    int64_t seq = 0;  // its change-log entry
    bool operator==(const IssuedReport&) const = default;
};
// Which issued reports to list: empty / 0 fields do not filter. Newest first (id descending).
struct IssuedReportFilter {
    std::string unit_code;
    std::string kind;
    std::string period;
    int64_t offset = 0;
    int64_t limit = 100;
};
// hex BLAKE2b-256 (crypto_generichash, 32 bytes) of `text`.
std::string HexBlake2b(std::string_view text);
// An issued report's logged state (the change log's after_json; audit verify compares the row to it):
// {"id","kind","unit_code","unit_name","period","as_of","issued_at","issued_by","hash"}.
std::string IssuedReportJson(const IssuedReport& r);

class Store {
  public:
    virtual ~Store() = default;

    virtual Result<void> Begin() = 0;
    virtual Result<void> Commit() = 0;
    // Undoes everything since Begin; harmless when no transaction is open.
    virtual void Rollback() = 0;

    // The schema version after migrations (the highest migration applied).
    virtual int schema_version() const = 0;

    // Settings: small named values (e.g. "plan_id", "county_code").
    virtual Result<std::optional<std::string>> GetSetting(const std::string& key) = 0;
    virtual Result<void> PutSetting(const std::string& key, const std::string& value) = 0;

    // The plan, kept as its TOML text so the database is self-contained.
    virtual Result<void> SavePlan(const std::string& plan_id, const std::string& toml_text,
                                  const ChangeContext& change) = 0;
    // nullopt when no plan was loaded.
    virtual Result<std::optional<std::string>> LoadPlanText() = 0;

    // Replaces the org units (adds new codes, updates names; codes in use stay).
    virtual Result<void> SaveOrgUnits(const OrgTree& tree, const ChangeContext& change) = 0;
    virtual Result<OrgTree> LoadOrgTree() = 0;

    // The household with that code, or nullopt.
    virtual Result<std::optional<HouseholdRecord>> FindHousehold(const std::string& household_code) = 0;
    // The code of a household holding a person with this ID number (any, if several), or nullopt.
    virtual Result<std::optional<std::string>> FindHouseholdOfIdNumber(const std::string& id_number) = 0;
    // Inserts a new household (its code must not exist: "store.duplicate") and logs it.
    Result<int64_t> InsertHousehold(const Household& household, const ChangeContext& change) {
        return InsertHouseholdLogged(household, change, HouseholdToJson(household));
    }
    // The same, with the household's JSON (HouseholdToJson) already made by the caller — a bulk
    // import prepares it on another thread.
    virtual Result<int64_t> InsertHouseholdLogged(const Household& household, const ChangeContext& change,
                                                  const std::string& household_json) = 0;
    // Replaces `before` by `after` (same code), bumping the version, and logs both. Fails with
    // "store.conflict" when the stored version is no longer before.version.
    virtual Result<void> UpdateHousehold(const HouseholdRecord& before, const Household& after,
                                         const ChangeContext& change) = 0;
    // Visits households in (division_code, household_code) order (or storage order when
    // filter.any_order), members in their stored order; stop early by returning false.
    virtual Result<void> ScanHouseholds(const HouseholdFilter& filter,
                                        const std::function<bool(const Household&)>& visit) = 0;
    // Visits the households matching `filter` in storage order, split into up to `parts` disjoint
    // parts scanned at the same time, one thread each: visit(part, household) is called
    // concurrently for different parts (never for the same part), so it may touch only what
    // belongs to its part. Each part reads its own consistent snapshot; a write committed during
    // the scan may be seen by some parts and not others. Adapters without parallel scans visit
    // everything as part 0 (the default).
    virtual Result<void> ScanHouseholdsParallel(const HouseholdFilter& filter, int parts,
                                                const std::function<bool(int, const Household&)>& visit) {
        (void)parts;
        HouseholdFilter any = filter;
        any.any_order = true;
        return ScanHouseholds(any, [&](const Household& h) { return visit(0, h); });
    }
    // Visits the stored facts of every household (storage order): one pass over households only,
    // for the figures of reports.
    virtual Result<void> ScanFacts(const HouseholdFilter& filter,
                                   const std::function<bool(const HouseholdFacts&)>& visit) = 0;
    // The same split into up to `parts` disjoint parts scanned at the same time, as
    // ScanHouseholdsParallel. Adapters without parallel scans visit everything as part 0.
    virtual Result<void> ScanFactsParallel(const HouseholdFilter& filter, int parts,
                                           const std::function<bool(int, const HouseholdFacts&)>& visit) {
        (void)parts;
        return ScanFacts(filter, [&](const HouseholdFacts& f) { return visit(0, f); });
    }
    virtual Result<int64_t> CountHouseholds() = 0;
    virtual Result<int64_t> CountPersons() = 0;

    // Household events (core/as_of.h), the dated changes that figures as of a past day undo.
    // Recorded right after the household's own change, in the same transaction (its log_seq is
    // set to that change's entry, the change log's last); logged as entity "household_event".
    // Returns the event's seq.
    virtual Result<int64_t> RecordHouseholdEvent(const HouseholdEvent& event, const ChangeContext& change) = 0;
    // In recording order; every set field must match.
    virtual Result<std::vector<HouseholdEvent>> ListHouseholdEvents(const HouseholdEventFilter& filter) = 0;
    // Registered households under `division_prefix` whose record changed at or after `at` (an ISO
    // 8601 UTC time or its prefix, compared as text) by an update that is not an event: a
    // correction, a re-import's update (a household first recorded later is not corrected). Sorted,
    // distinct. Reads the change log from its first entry at or after `at` (the
    // log's times grow with its sequence).
    virtual Result<std::vector<std::string>> HouseholdsCorrectedSince(const std::string& at,
                                                                      const std::string& division_prefix) = 0;

    // A bulk load into an empty registry, inside the current transaction: secondary indexes are
    // set aside and rebuilt once at EndBulkLoad, which is much cheaper than maintaining them row by
    // row. Lookups by ID number or household code are not available in between (the importer does
    // none when the registry was empty). Both are no-ops for adapters without such a trick.
    virtual Result<void> BeginBulkLoad() { return {}; }
    virtual Result<void> EndBulkLoad() { return {}; }

    // Import bookkeeping: an import row is created when the import starts, so change-log entries
    // can point at it, and completed with its summary.
    virtual Result<int64_t> BeginImport(const std::string& file_name, const ChangeContext& change) = 0;
    virtual Result<void> FinishImport(int64_t import_id, const std::string& summary_json) = 0;
    virtual Result<std::optional<ImportRecord>> FindImport(int64_t import_id) = 0;

    virtual Result<std::vector<ChangeLogEntry>> ChangeLog(const ChangeLogFilter& filter) = 0;
    // The sequence number of the change log's last entry (0 when empty). Outside a transaction it
    // reads the latest committed state, so a server can see what other processes changed.
    virtual Result<int64_t> LastChangeSeq() = 0;
    // Writes an event that changes no registry row (a login, a failed login, a lock, a logout) to
    // the change log: entity and key name its subject, action says what happened
    // ("login", "login_failed", "lock", "logout"), detail_json goes to after_json.
    virtual Result<void> RecordEvent(const std::string& entity, const std::string& entity_key,
                                     const std::string& action, const std::string& detail_json,
                                     const ChangeContext& change) = 0;

    // Accounts. Inserts and updates are logged (entity "account", key the username) without the
    // password hash: the JSON says only whether a password was set or changed.
    // InsertAccount fails with "store.duplicate" when the username exists.
    virtual Result<int64_t> InsertAccount(const Account& account, const ChangeContext& change) = 0;
    virtual Result<std::optional<Account>> FindAccount(const std::string& username) = 0;
    virtual Result<std::optional<Account>> FindAccountById(int64_t id) = 0;
    virtual Result<std::vector<Account>> ListAccounts() = 0;  // by username
    // Replaces the account with that id (role, scope, disabled, password hash); logged.
    virtual Result<void> UpdateAccount(const Account& before, const Account& after,
                                       const ChangeContext& change) = 0;
    // The login counters only (failed_logins, locked_until); not logged here — the caller records
    // the login event itself with RecordEvent.
    virtual Result<void> SetLoginState(int64_t account_id, int failed_logins,
                                       const std::string& locked_until) = 0;

    // Sessions (not logged: logins and logouts are recorded as events).
    virtual Result<void> InsertSession(const SessionRecord& session) = 0;
    virtual Result<std::optional<SessionRecord>> FindSession(const std::string& token_hash) = 0;
    virtual Result<void> TouchSession(const std::string& token_hash, const std::string& at) = 0;
    virtual Result<void> DeleteSession(const std::string& token_hash) = 0;
    // Ends every session of an account (disabled, password changed); returns how many.
    virtual Result<int64_t> DeleteSessionsOf(int64_t account_id) = 0;
    // Removes sessions idle since before `idle_before`; returns how many.
    virtual Result<int64_t> DeleteIdleSessions(const std::string& idle_before) = 0;
    // Removes a household from the registry (deregistration), with its members, logging the
    // household as it was (action "delete"). Fails with "store.conflict" when the stored version is
    // no longer before.version. Its code is then never registered again (see IsDeregistered).
    virtual Result<void> DeleteHousehold(const HouseholdRecord& before, const ChangeContext& change) = 0;
    // Was a household with this code deregistered (a closed deregistration case exists)?
    virtual Result<bool> IsDeregistered(const std::string& household_code) = 0;

    // Procedure cases (core/procedure.h), logged as entity "procedure_case", key the case id.
    // InsertCase ignores c.id and c.version and returns the new id (version 1).
    virtual Result<int64_t> InsertCase(const ProcedureCase& c, const ChangeContext& change) = 0;
    // Replaces the case with before.id, bumping the version; "store.conflict" when the stored version
    // is no longer before.version.
    virtual Result<void> UpdateCase(const ProcedureCase& before, const ProcedureCase& after,
                                    const ChangeContext& change) = 0;
    virtual Result<std::optional<ProcedureCase>> FindCase(int64_t id) = 0;
    virtual Result<std::vector<ProcedureCase>> ListCases(const CaseFilter& filter) = 0;
    virtual Result<int64_t> CountCases(const CaseFilter& filter) = 0;  // offset and limit ignored

    // Rural population by org unit and year (for poverty incidence); logged as entity
    // "population", key "<code>/<year>". Put replaces an existing setting.
    virtual Result<void> PutPopulation(const PopulationSetting& setting, const ChangeContext& change) = 0;
    virtual Result<std::vector<PopulationSetting>> ListPopulation() = 0;  // by code, year

    // Third-party evaluations (core/evaluation.h), logged as entity "evaluation", key the id.
    virtual Result<int64_t> InsertEvaluation(const Evaluation& e, const ChangeContext& change) = 0;
    // "store.conflict" when the stored version is no longer before.version.
    virtual Result<void> UpdateEvaluation(const Evaluation& before, const Evaluation& after,
                                          const ChangeContext& change) = 0;
    virtual Result<std::optional<Evaluation>> FindEvaluation(int64_t id) = 0;
    virtual Result<std::vector<Evaluation>> ListEvaluations() = 0;  // by id; items included

    // Approvals of the yearly dynamic adjustment (entity "adjustment", key the year). One per
    // (year, county): a second fails with "store.duplicate".
    virtual Result<void> InsertAdjustmentApproval(const AdjustmentApproval& a,
                                                  const ChangeContext& change) = 0;
    virtual Result<std::optional<AdjustmentApproval>> FindAdjustmentApproval(
        int year, const std::string& county_code) = 0;

    // --- The assistance ledger (core/assistance.h) -------------------------------------------
    // Items: logged as entity "assistance_item", key the item code, the JSON of AssistanceRecord
    // (AssistanceRecordToJson). InsertAssistance fails with "store.duplicate" when the code is
    // taken (deleted items keep their code). UpdateAssistance replaces the record with before's
    // code (bumping the version; "store.conflict" when the stored version is no longer
    // before.version); a delete is an update whose after.deleted is true, logged with action
    // "delete" and the tombstone as after-state: the row stays, read-only.
    virtual Result<void> InsertAssistance(const AssistanceRecord& record, const ChangeContext& change) = 0;
    virtual Result<void> UpdateAssistance(const AssistanceRecord& before, const AssistanceRecord& after,
                                          const ChangeContext& change) = 0;
    virtual Result<std::optional<AssistanceRecord>> FindAssistance(const std::string& item_code) = 0;
    // Ordered by item code.
    virtual Result<std::vector<AssistanceRecord>> ListAssistance(const AssistanceFilter& filter) = 0;
    virtual Result<int64_t> CountAssistance(const AssistanceFilter& filter) = 0;  // paging ignored
    // The household's items with this natural key (NaturalKeyOf), deleted ones excluded.
    virtual Result<std::optional<AssistanceRecord>> FindAssistanceByNaturalKey(
        const std::string& household_code, const std::string& natural_key) = 0;
    // The highest NNN of the household's codes "<household_code>-NNN" (0 when none), to make the
    // next code.
    virtual Result<int> LastAssistanceNumber(const std::string& household_code) = 0;
    // Visits the facts of every item not deleted of households under `division_prefix`, grouped by
    // household (all items of a household consecutively), household_persons filled from the
    // registry. For the measures-delivered figures: no JSON bodies read.
    virtual Result<void> ScanItemFacts(const std::string& division_prefix,
                                       const std::function<bool(const ItemFacts&)>& visit) = 0;
    // The same in up to `parts` parts at once, split by household (a household's items are all in
    // one part), one thread each as ScanHouseholdsParallel.
    virtual Result<void> ScanItemFactsParallel(const std::string& division_prefix, int parts,
                                               const std::function<bool(int, const ItemFacts&)>& visit) {
        (void)parts;
        return ScanItemFacts(division_prefix, [&](const ItemFacts& f) { return visit(0, f); });
    }

    // Income: one record per household and year, logged as entity "income", key
    // "<household_code>/<year>". Put inserts or replaces; `expected_version` (when given) must be
    // the stored version (0: must not exist) else "store.conflict". Returns the new version.
    virtual Result<int64_t> PutIncome(const IncomeRecord& record, const std::string& division_code,
                                      std::optional<int64_t> expected_version, const ChangeContext& change) = 0;
    virtual Result<std::optional<IncomeRecordVersion>> FindIncome(const std::string& household_code,
                                                                  int year) = 0;
    // Ordered by household code, year.
    virtual Result<std::vector<IncomeRecordVersion>> ListIncome(const IncomeFilter& filter) = 0;
    // Visits every record of `year` under `division_prefix` (storage order): the exit standard's
    // computed income for a scan.
    virtual Result<void> ScanIncomeYear(const std::string& division_prefix, int year,
                                        const std::function<bool(const IncomeRecord&)>& visit) = 0;

    // Cover (三保障 and the floor): one record per person (ID number) and year, logged as entity
    // "coverage", key "<id_number>/<year>". Put inserts or replaces (no version: the last write
    // wins, every write logged).
    virtual Result<void> PutCoverage(const PersonCoverage& coverage, const std::string& division_code,
                                     const ChangeContext& change) = 0;
    // The household's records (by its household_code column), ordered by year, ID number.
    virtual Result<std::vector<PersonCoverage>> ListCoverage(const std::string& household_code) = 0;
    // Visits every record of `year` under `division_prefix`, grouped by household.
    virtual Result<void> ScanCoverageYear(const std::string& division_prefix, int year,
                                          const std::function<bool(const PersonCoverage&)>& visit) = 0;

    // --- Pairing (core/pairing.h) ----------------------------------------------------------------
    // Cadres: entity "cadre", key the id. InsertCadre gives the id (cadre.id ignored) and returns
    // it; "store.duplicate" when a non-empty id_number is taken. UpdateCadre replaces the record
    // at before.version ("store.conflict" else); cadres are never deleted (active_to ends them).
    virtual Result<int64_t> InsertCadre(const Cadre& cadre, const ChangeContext& change) = 0;
    virtual Result<void> UpdateCadre(const CadreRecord& before, const Cadre& after, const ChangeContext& change) = 0;
    virtual Result<std::optional<CadreRecord>> FindCadre(int64_t id) = 0;
    virtual Result<std::optional<CadreRecord>> FindCadreByIdNumber(const std::string& id_number) = 0;
    virtual Result<std::vector<CadreRecord>> ListCadres(const CadreFilter& filter) = 0;
    // Each cadre's number of current pairings (cadre id → load), for those with any.
    virtual Result<std::vector<std::pair<int64_t, int64_t>>> CadreLoads(const std::string& division_prefix) = 0;

    // Pairings: entity "pairing", key the id. InsertPairing gives the id and returns it; it fails
    // with "pairing.current_exists" when the household already has a current pairing (end it first,
    // in the same transaction). EndPairing sets `to` and end_reason of a current pairing
    // ("pairing.not_found", "pairing.ended" when it already ended, "pairing.invalid" when to < from).
    virtual Result<int64_t> InsertPairing(const Pairing& pairing, const ChangeContext& change) = 0;
    virtual Result<void> EndPairing(int64_t pairing_id, const Date& to, const std::string& end_reason,
                                    const ChangeContext& change) = 0;
    virtual Result<std::optional<Pairing>> CurrentPairing(const std::string& household_code) = 0;
    virtual Result<std::vector<Pairing>> ListPairings(const PairingFilter& filter) = 0;
    // Every current pairing of households under the prefix, by household code.
    virtual Result<void> ScanCurrentPairings(const std::string& division_prefix,
                                             const std::function<bool(const Pairing&)>& visit) = 0;
    // Turns households' free-text pairing_cadre names into cadres and pairings, in the caller's
    // transaction: for each household in `household_codes` (all households when empty), a non-empty
    // name different from its current cadre's name ends the current pairing (if any) and pairs it
    // with the cadre of that name in the household's township (else the only cadre of that name
    // county-wide, else a new cadre: rank unknown, the household's township, no ID number);
    // an empty name ends a not-exited household's current pairing only when `empty_ends` (an
    // import said so). Pairings begin on `on` with `reason`. Migration 006 runs it for every
    // household (reason "migrated from the free-text pairing cadre / 由原帮扶责任人文本迁移").
    virtual Result<AdoptionReport> AdoptPairingNames(const std::vector<std::string>& household_codes,
                                                     const Date& on, const std::string& reason, bool empty_ends,
                                                     const ChangeContext& change) = 0;

    // Work teams: entity "team_member", key the id; on-post days: entity "on_post", key
    // "<member_id>/<YYYY-MM>" (Put replaces). Insert gives the id. "team.first_secretary_exists"
    // when a second first secretary of the village would overlap in time.
    virtual Result<int64_t> InsertTeamMember(const TeamMember& member, const ChangeContext& change) = 0;
    virtual Result<void> UpdateTeamMember(const TeamMember& before, const TeamMember& after,
                                          const ChangeContext& change) = 0;
    virtual Result<std::optional<TeamMember>> FindTeamMember(int64_t id) = 0;
    // Members of villages under the prefix (active on `active_on` when given), by village, role, id.
    virtual Result<std::vector<TeamMember>> ListTeamMembers(const std::string& division_prefix,
                                                            std::optional<Date> active_on) = 0;
    virtual Result<void> PutOnPostDays(const OnPostDays& record, const ChangeContext& change) = 0;
    // Records of members of villages under the prefix in [from_year*100+from_month, to...], by
    // member, year, month.
    virtual Result<std::vector<OnPostDays>> ListOnPostDays(const std::string& division_prefix, int from_year,
                                                           int from_month, int to_year, int to_month) = 0;

    // Visits: entity "visit", key the client_id. InsertVisit stores the visit and its photo bytes
    // (empty: none) and updates the household's VisitSummary; when client_id is already stored it
    // changes nothing and returns the stored visit with inserted=false (a retried upload).
    struct VisitInsert {
        Visit visit;
        bool inserted = false;
    };
    virtual Result<VisitInsert> InsertVisit(const Visit& visit, std::string_view photo, const ChangeContext& change) = 0;
    virtual Result<std::optional<Visit>> FindVisit(int64_t id) = 0;
    virtual Result<std::optional<Visit>> FindVisitByClientId(const std::string& client_id) = 0;
    virtual Result<std::vector<Visit>> ListVisits(const VisitFilter& filter) = 0;
    virtual Result<std::optional<std::string>> VisitPhoto(int64_t visit_id) = 0;  // the bytes
    // The kept last visit per household under the prefix, by household code.
    virtual Result<void> ScanVisitSummaries(const std::string& division_prefix,
                                            const std::function<bool(const VisitSummary&)>& visit) = 0;
    // The latest visit on or before `on` and the visits in [quarter_start, on] per household under
    // the prefix, computed from the visits (for a past day; today's list uses the summaries).
    virtual Result<void> ScanVisitsAsOf(const std::string& division_prefix, const Date& quarter_start,
                                        const Date& on,
                                        const std::function<bool(const std::string& household_code, const Date& last,
                                                                 int in_quarter)>& visit) = 0;

    // Households' recorded places: entity "household_place", key the household code (Put replaces).
    virtual Result<void> PutHouseholdPlace(const HouseholdPlace& place, const ChangeContext& change) = 0;
    virtual Result<std::optional<HouseholdPlace>> FindHouseholdPlace(const std::string& household_code) = 0;

    // --- Funds (core/funds.h, docs/funds.md) ------------------------------------------------------
    // Reference data, each logged (entities "fund_source" key the code, "allocation", "fund_project",
    // "payee" key the id; Put inserts or replaces by id/code). An allocation's id, a project's and a
    // payee's are the caller's (> 0).
    virtual Result<void> PutFundSource(const FundSource& source, const ChangeContext& change) = 0;
    virtual Result<void> PutAllocation(const Allocation& allocation, const ChangeContext& change) = 0;
    virtual Result<void> PutFundProject(const FundProject& project, const ChangeContext& change) = 0;
    virtual Result<void> PutPayee(const Payee& payee, const ChangeContext& change) = 0;
    virtual Result<std::vector<Allocation>> ListAllocations() = 0;
    virtual Result<std::optional<FundProject>> FindFundProject(int64_t id) = 0;
    // Checks the batch through core FundLedger with `settings` (the plan's [funds]; the stored
    // fund_source rows are added to its sources), loading the state it touches (allocations,
    // projects, payees, balances, reversed entries) unless the connection kept it from its last
    // batch with nothing written since; gives each entry the next id (the caller's id is ignored; a
    // reversal inside the batch names an earlier entry of the batch by its position as -1, -2, ...
    // (1-based, negated) or a stored id), and writes the entries, the balance deltas and the derived
    // amounts in the caller's transaction. The batch is logged as one change-log row (entity
    // "fund_entries", key "<first id>-<last id>", action "insert", after: the array of the entries).
    // The first refused entry refuses the batch with its rule (the Error's row is the entry's
    // 1-based position); nothing is written then.
    virtual Result<std::vector<FundEntry>> PostFundEntries(const std::vector<FundEntry>& batch,
                                                           const PlanFunds& settings,
                                                           const ChangeContext& change) = 0;
    virtual Result<std::vector<StoredFundEntry>> ListFundEntries(const FundEntryFilter& filter) = 0;
    // Every account's balance from fund_balance (kept with the entries).
    virtual Result<std::map<std::string, Fen>> FundBalances() = 0;
    // Every account's balance summed from fund_entry (SUM ... GROUP BY), for checks.
    virtual Result<std::map<std::string, Fen>> RecountFundBalances() = 0;

    // --- Asset-income shares (core/shares.h, docs/shares.md; sqlite_shares.cc) ------------------
    // Each write is logged (entities "asset" key the id, "share_holding" key "<asset>/<holder>",
    // "share_move", "share_certificate" key the number, "dividend" key "<asset>/<year>",
    // "asset_disposal" key the asset id).
    // A new asset (store.duplicate when the id is taken).
    virtual Result<void> InsertAsset(const Asset& asset, const ChangeContext& change) = 0;
    // Replaces the asset's row (its id must exist: store.not_found).
    virtual Result<void> UpdateAsset(const Asset& asset, const ChangeContext& change) = 0;
    virtual Result<std::optional<Asset>> FindAsset(const std::string& id) = 0;
    // Assets whose village starts with the prefix ("" all), by id.
    virtual Result<std::vector<Asset>> ListAssets(const std::string& division_prefix) = 0;
    virtual Result<Holdings> AssetHoldings(const std::string& asset_id) = 0;
    // asset id → shares held by `holder`.
    virtual Result<std::map<std::string, int64_t>> HoldingsOf(const std::string& holder) = 0;
    // Sets the asset's holdings to `after` (rows of holders not in it removed), records the moves
    // dated `date`, and for every holder whose count changed revokes its current certificate and
    // issues a new one (when it still holds). The first quantification: empty `moves`.
    virtual Result<void> SetHoldings(const std::string& asset_id, const Holdings& after,
                                     const std::vector<ShareMove>& moves, const Date& date,
                                     const ChangeContext& change) = 0;
    virtual Result<std::vector<StoredShareMove>> ListShareMoves(const std::string& asset_id) = 0;
    // Certificates of the asset (revoked ones too with `all`), by number.
    virtual Result<std::vector<ShareCertificate>> ListCertificates(const std::string& asset_id, bool all) = 0;
    // store.duplicate when the asset already has a declaration for the year.
    virtual Result<void> InsertDividend(const StoredDividend& dividend, const ChangeContext& change) = 0;
    virtual Result<std::vector<StoredDividend>> ListDividends(const std::string& asset_id) = 0;
    virtual Result<std::vector<HolderDividend>> DividendsOf(const std::string& holder) = 0;
    virtual Result<void> InsertAssetDisposal(const AssetDisposal& disposal, const ChangeContext& change) = 0;
    virtual Result<std::optional<AssetDisposal>> FindAssetDisposal(const std::string& asset_id) = 0;
    // --- The project library (core/project_library.h; sqlite_projects.cc, migration 008) --------
    // Entity "project", key the id. InsertLibraryProject gives the id (one above every project's
    // and money view's id) and version 1; a code already used: store.duplicate (field "code").
    // UpdateLibraryProject replaces the record at `before.version` (store.conflict otherwise),
    // bumping it; steps, sources and beneficiaries are rewritten.
    virtual Result<LibraryProject> InsertLibraryProject(const LibraryProject& project, const ChangeContext& change) = 0;
    virtual Result<LibraryProject> UpdateLibraryProject(const LibraryProject& before, const LibraryProject& after,
                                                        const ChangeContext& change) = 0;
    virtual Result<std::optional<LibraryProject>> FindLibraryProject(int64_t id) = 0;
    virtual Result<std::optional<LibraryProject>> FindLibraryProjectByCode(const std::string& code) = 0;
    virtual Result<std::vector<LibraryProject>> ListLibraryProjects(const LibraryProjectFilter& filter) = 0;
    virtual Result<int64_t> CountLibraryProjects(const LibraryProjectFilter& filter) = 0;  // paging ignored
    // Funds' reference lists (the tables of migration 007), read here.
    virtual Result<std::vector<FundSource>> ListFundSources() = 0;  // stored ones, by code
    virtual Result<std::vector<Payee>> ListPayees() = 0;            // by id
    // Money views with their derived amounts, by id.
    virtual Result<std::vector<std::pair<FundProject, ProjectMoney>>> ListFundProjects() = 0;
    virtual Result<std::vector<ListedFundEntry>> ListFundEntriesBy(const FundEntryQuery& query) = 0;
    virtual Result<int64_t> CountFundEntriesBy(const FundEntryQuery& query) = 0;  // paging ignored
    // Refused postings: entity "fund_refusal", key the id (given here).
    virtual Result<int64_t> InsertFundRefusal(const FundRefusal& refusal, const ChangeContext& change) = 0;
    virtual Result<std::vector<FundRefusal>> ListFundRefusals() = 0;  // by id

    // --- Issued reports --------------------------------------------------------------------------
    // Stores a report as issued (entity "issued_report", key the id; hash computed here from
    // document_json; issued_at/issued_by from `change`) and returns it with id, hash and seq.
    // "store.duplicate" (field "period") when one of the same kind, unit and period exists.
    virtual Result<IssuedReport> InsertIssuedReport(const IssuedReport& report, const ChangeContext& change) = 0;
    virtual Result<std::optional<IssuedReport>> FindIssuedReport(int64_t id) = 0;
    virtual Result<std::vector<IssuedReport>> ListIssuedReports(const IssuedReportFilter& filter) = 0;
    virtual Result<int64_t> CountIssuedReports(const IssuedReportFilter& filter) = 0;  // paging ignored

    // Walks the whole change log in sequence order, recomputing the hash chain; with options.rows,
    // replays it against the rows (see RowMismatch for what is compared; org units, settings,
    // sessions, import summaries and login counters are not logged as states and not compared).
    virtual Result<ChainVerification> Verify(const VerifyOptions& options) = 0;
    // The chain and the rows.
    Result<ChainVerification> VerifyChangeLog() { return Verify(VerifyOptions{}); }
    // The last entry's sequence number and stored hash, read without walking the chain: the anchor
    // a report prints.
    virtual Result<ChainHead> Head() = 0;
    // The storage's own consistency check (SQLite: PRAGMA integrity_check); each problem found, none
    // when sound.
    virtual Result<std::vector<std::string>> CheckIntegrity() { return std::vector<std::string>{}; }
};

// Commits on Commit(), rolls back when destroyed otherwise.
class Transaction {
  public:
    static Result<Transaction> Begin(Store& store) {
        if (auto r = store.Begin(); !r) return std::unexpected(r.error());
        return Transaction(store);
    }
    Transaction(Transaction&& other) noexcept : store_(other.store_) { other.store_ = nullptr; }
    Transaction& operator=(Transaction&&) = delete;
    ~Transaction() {
        if (store_) store_->Rollback();
    }
    Result<void> Commit() {
        Store* s = store_;
        store_ = nullptr;
        return s->Commit();
    }

  private:
    explicit Transaction(Store& store) : store_(&store) {}
    Store* store_;
};

}  // namespace jz
