// SQLite schema migrations, numbered; applied in order on open, each in its own transaction.
// Never edit a released migration: add the next one.
#pragma once

#include <string_view>

namespace jz::sqlite_schema {

inline constexpr std::string_view kMigration001 = R"sql(
CREATE TABLE setting (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE plan (
  plan_id   TEXT PRIMARY KEY,
  toml      TEXT NOT NULL,
  loaded_at TEXT NOT NULL
) STRICT;

CREATE TABLE org_unit (
  code        TEXT PRIMARY KEY,
  parent_code TEXT,
  level       TEXT NOT NULL CHECK (level IN ('province','city','county','township','village','group')),
  county_code TEXT NOT NULL
) STRICT;

-- A unit's name by year; an empty name marks a year the code was not in use.
CREATE TABLE org_unit_name (
  code TEXT NOT NULL REFERENCES org_unit(code),
  year INTEGER NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (code, year)
) STRICT;

CREATE TABLE import (
  id           INTEGER PRIMARY KEY,
  started_at   TEXT NOT NULL,
  actor        TEXT NOT NULL,
  file_name    TEXT NOT NULL,
  summary_json TEXT
) STRICT;

-- Lists (other_causes, aux_measures) are comma-separated codes in order, e.g. '3,7'.
-- Money in fen, areas in 0.01 m².
CREATE TABLE household (
  id                      INTEGER PRIMARY KEY,
  county_code             TEXT NOT NULL,
  household_code          TEXT NOT NULL UNIQUE,
  division_code           TEXT NOT NULL REFERENCES org_unit(code),
  attribute               INTEGER NOT NULL,
  identification_standard INTEGER,
  main_cause              INTEGER NOT NULL,
  other_causes            TEXT NOT NULL DEFAULT '',
  identified_year         INTEGER NOT NULL,
  planned_exit_year       INTEGER,
  status                  INTEGER NOT NULL DEFAULT 0,
  exit_year               INTEGER,
  net_income_per_head     INTEGER,
  main_measure            INTEGER,
  aux_measures            TEXT NOT NULL DEFAULT '',
  pairing_cadre           TEXT NOT NULL DEFAULT '',
  phone                   TEXT NOT NULL DEFAULT '',
  dangerous_housing       INTEGER,
  safe_water              INTEGER,
  household_electricity   INTEGER,
  housing_area            INTEGER,
  version                 INTEGER NOT NULL DEFAULT 1,
  updated_at              TEXT NOT NULL,
  -- Facts the reports count (core HouseholdFacts), kept with every write so figures come from
  -- the households alone. able_birth_dates: YYYYMMDD of each member able to work, comma-separated.
  persons                 INTEGER NOT NULL DEFAULT 0,
  students                INTEGER NOT NULL DEFAULT 0,
  ill                     INTEGER NOT NULL DEFAULT 0,
  migrant_workers         INTEGER NOT NULL DEFAULT 0,
  able_birth_dates        TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX household_division ON household(division_code, household_code);

-- Clustered by household: a household's members are adjacent on disk, so the scans that every
-- report and check make read them without a separate index lookup.
CREATE TABLE person (
  household_id  INTEGER NOT NULL REFERENCES household(id) ON DELETE CASCADE,
  ordinal       INTEGER NOT NULL,
  county_code   TEXT NOT NULL,
  name          TEXT NOT NULL,
  id_number     TEXT NOT NULL,
  relation      INTEGER NOT NULL,
  sex           INTEGER NOT NULL,
  birth_date    TEXT NOT NULL,
  ethnicity     INTEGER,
  education     INTEGER,
  schooling     INTEGER,
  health        INTEGER,
  labour        INTEGER,
  migrant_work  INTEGER,
  months_worked INTEGER,
  PRIMARY KEY (household_id, ordinal)
) STRICT, WITHOUT ROWID;
-- Not unique: the same person in two households (一人多户) is a finding to report, not a crash.
CREATE INDEX person_id_number ON person(id_number);

-- Every registry change, written in the same transaction as the change. hash: BLAKE2b-256 of the
-- previous entry's hash and this entry's fields (store/change_chain.h).
CREATE TABLE change_log (
  seq         INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  actor       TEXT NOT NULL,
  county_code TEXT NOT NULL DEFAULT '',
  entity      TEXT NOT NULL,
  entity_key  TEXT NOT NULL,
  action      TEXT NOT NULL CHECK (action IN ('insert','update','delete','load')),
  before_json TEXT,
  after_json  TEXT,
  import_id   INTEGER REFERENCES import(id),
  hash        BLOB NOT NULL
) STRICT;
CREATE INDEX change_log_entity ON change_log(entity, entity_key, seq);
CREATE INDEX change_log_actor ON change_log(actor, seq);
)sql";

// Accounts and sessions for the server; login events in the change log; persons searchable by name.
// change_log is rebuilt to widen its CHECK on action (SQLite cannot alter a CHECK in place): every
// row is copied unchanged (the hash chain covers the fields, not the rowid), and its indexes are
// recreated as 001 defined them. Nothing references change_log, and the copy keeps every import_id,
// so the rebuild is safe with foreign keys on.
inline constexpr std::string_view kMigration002 = R"sql(
-- A user of the server. password_hash is an argon2id string; scope an org-unit code (validated by
-- the caller, not a foreign key: an account may outlive a redrawn division table).
CREATE TABLE account (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('admin','officer','inspector','viewer')),
  scope         TEXT NOT NULL,
  disabled      INTEGER NOT NULL DEFAULT 0,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until  TEXT NOT NULL DEFAULT '',
  created_at    TEXT NOT NULL
) STRICT;

-- A login session; only the token's hash is kept.
CREATE TABLE session (
  token_hash   TEXT PRIMARY KEY,
  account_id   INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
  created_at   TEXT NOT NULL,
  last_seen_at TEXT NOT NULL
) STRICT;
CREATE INDEX session_account ON session(account_id);

CREATE TABLE change_log_new (
  seq         INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  actor       TEXT NOT NULL,
  county_code TEXT NOT NULL DEFAULT '',
  entity      TEXT NOT NULL,
  entity_key  TEXT NOT NULL,
  action      TEXT NOT NULL CHECK (action IN ('insert','update','delete','load',
                                              'login','login_failed','lock','logout')),
  before_json TEXT,
  after_json  TEXT,
  import_id   INTEGER REFERENCES import(id),
  hash        BLOB NOT NULL
) STRICT;
INSERT INTO change_log_new (seq, at, actor, county_code, entity, entity_key, action, before_json,
                            after_json, import_id, hash)
  SELECT seq, at, actor, county_code, entity, entity_key, action, before_json, after_json, import_id,
         hash FROM change_log ORDER BY seq;
DROP TABLE change_log;
ALTER TABLE change_log_new RENAME TO change_log;
CREATE INDEX change_log_entity ON change_log(entity, entity_key, seq);
CREATE INDEX change_log_actor ON change_log(actor, seq);

-- Free-text search by name.
CREATE INDEX person_name ON person(name);
)sql";

// Dynamic management (docs/dynamic-management.md): procedure cases, rural population by year,
// third-party evaluations and the county's approval of a year's adjustment; and one more household
// fact, the birth dates of the members not in school (for the exit standard's compulsory
// education), backfilled from the persons.
inline constexpr std::string_view kMigration003 = R"sql(
-- out_of_school_birth_dates: YYYYMMDD of each member whose schooling is empty or 1 (非在校生),
-- comma-separated in member order, like able_birth_dates.
ALTER TABLE household ADD COLUMN out_of_school_birth_dates TEXT NOT NULL DEFAULT '';
UPDATE household SET out_of_school_birth_dates = coalesce(
  (SELECT group_concat(replace(p.birth_date, '-', ''), ',') FROM
     (SELECT birth_date FROM person WHERE household_id = household.id AND
             (schooling IS NULL OR schooling = 1) ORDER BY ordinal) p), '');

-- A procedure case (core/procedure.h). body_json is the whole case (store/procedure_json.h); the
-- other columns repeat what lists filter on.
CREATE TABLE procedure_case (
  id             INTEGER PRIMARY KEY,
  kind           TEXT NOT NULL,
  household_code TEXT NOT NULL,
  division_code  TEXT NOT NULL,
  year           INTEGER NOT NULL,
  state          TEXT NOT NULL,
  open           INTEGER NOT NULL,
  version        INTEGER NOT NULL DEFAULT 1,
  updated_at     TEXT NOT NULL,
  body_json      TEXT NOT NULL
) STRICT;
CREATE INDEX procedure_case_division ON procedure_case(division_code);
CREATE INDEX procedure_case_household ON procedure_case(household_code);
CREATE INDEX procedure_case_year ON procedure_case(year, kind);

-- Rural population of an org unit in a year (poverty incidence).
CREATE TABLE population (
  code             TEXT NOT NULL,
  year             INTEGER NOT NULL,
  rural_population INTEGER NOT NULL,
  PRIMARY KEY (code, year)
) STRICT;

-- A third-party evaluation (core/evaluation.h); body_json is the whole evaluation with its items.
CREATE TABLE evaluation (
  id            INTEGER PRIMARY KEY,
  year          INTEGER NOT NULL,
  division_code TEXT NOT NULL,
  version       INTEGER NOT NULL DEFAULT 1,
  body_json     TEXT NOT NULL
) STRICT;

-- The county's approval of a year's dynamic adjustment; approved_on YYYY-MM-DD.
CREATE TABLE adjustment_approval (
  year         INTEGER NOT NULL,
  county_code  TEXT NOT NULL,
  approved_by  TEXT NOT NULL,
  approved_at  TEXT NOT NULL,
  approved_on  TEXT NOT NULL,
  notes        TEXT NOT NULL DEFAULT '',
  summary_json TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (year, county_code)
) STRICT;
)sql";

// A person's ethnic group in its own name when the code is 97 (其他) and ID cards name the group
// (僜人, 夏尔巴人, 穿青人; core/codes.h UnidentifiedEthnicGroup); '' otherwise.
inline constexpr std::string_view kMigration004 = R"sql(
ALTER TABLE person ADD COLUMN ethnicity_name TEXT NOT NULL DEFAULT '';
)sql";

// The assistance ledger (issue 14): items, income by year and by its parts, and each person's cover
// (三保障 and the floor). Dates as YYYYMMDD integers, money in fen. Nothing references household:
// a deregistered household's ledger stays (read-only).
inline constexpr std::string_view kMigration005 = R"sql(
-- One assistance item (core/assistance.h AssistanceItem); body_json is the whole record as the
-- change log writes it (store.h AssistanceRecordToJson). A rowid table (rows appended in insert
-- order, cheap to load); item codes are unique across the registry. The narrow facts the
-- measures-delivered count reads (ItemFacts) are repeated in assistance_item_facts, a covering
-- index ordered by (household, item): the facts scan visits a household's items consecutively and
-- reads that index only, never a row or a body; it is also every lookup by household (lists,
-- natural keys, item numbers). Not partial: a household's lookups include its tombstones. The other
-- columns repeat what lists filter on:
-- member_keys the members' packed ID numbers (8 bytes each, little-endian, sorted; NULL: the
-- household as a whole), natural_hash a 64-bit FNV-1a of NaturalKeyOf(item).
CREATE TABLE assistance_item (
  household_code TEXT NOT NULL,
  item_code      TEXT NOT NULL,
  division_code  TEXT NOT NULL,
  version        INTEGER NOT NULL,
  deleted        INTEGER NOT NULL DEFAULT 0,
  measure        INTEGER NOT NULL,
  category       INTEGER NOT NULL,
  kind           INTEGER NOT NULL,
  start_date     INTEGER NOT NULL,
  end_date       INTEGER,
  signed_on      INTEGER,
  amount         INTEGER,
  member_keys    BLOB,
  natural_hash   INTEGER NOT NULL,
  updated_at     TEXT NOT NULL,
  body_json      TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX assistance_item_code ON assistance_item(item_code);
CREATE INDEX assistance_item_division ON assistance_item(division_code, household_code);
CREATE INDEX assistance_item_facts ON assistance_item(household_code, item_code, division_code, measure,
  category, kind, start_date, end_date, signed_on, member_keys, amount, natural_hash, deleted);

-- A household's income in a year (core/assistance.h IncomeRecord); body_json as the log writes it.
CREATE TABLE income (
  household_code TEXT NOT NULL,
  year           INTEGER NOT NULL,
  division_code  TEXT NOT NULL,
  version        INTEGER NOT NULL,
  updated_at     TEXT NOT NULL,
  body_json      TEXT NOT NULL,
  PRIMARY KEY (household_code, year)
) STRICT, WITHOUT ROWID;
CREATE INDEX income_year ON income(year, division_code);

-- A person's cover in a year (core/assistance.h PersonCoverage); body_json as the log writes it.
-- flags: the five answers, two bits each (0 not recorded, 1 no, 2 yes) from the lowest: basic
-- medical insurance, serious illness insurance, pension insurance, dibao, wubao. The year index
-- covers a year's scan (ScanCoverageYear) in household order without reading the rows.
CREATE TABLE coverage (
  id_number      TEXT NOT NULL,
  year           INTEGER NOT NULL,
  household_code TEXT NOT NULL,
  division_code  TEXT NOT NULL,
  flags          INTEGER NOT NULL,
  updated_at     TEXT NOT NULL,
  body_json      TEXT NOT NULL,
  PRIMARY KEY (id_number, year)
) STRICT, WITHOUT ROWID;
CREATE INDEX coverage_household ON coverage(household_code, year);
CREATE INDEX coverage_year ON coverage(year, household_code, id_number, division_code, flags);
)sql";

// Pairing (issue 15): cadres, pairings with history, village work teams and their on-post days,
// visits (their photos apart, so lists never read them), the kept per-household visit summary and
// households' recorded places. Rows are columns only (no JSON body): the change log's state of a
// row is written from its columns (sqlite_pairing.cc), which the audit's replay does too. Dates are
// YYYYMMDD integers. After this SQL, the store turns every household's free-text pairing_cadre into
// cadres (rank 9, unknown) and current pairings (SqliteStore::Init, AdoptPairingNames).
inline constexpr std::string_view kMigration006 = R"sql(
-- A cadre (core/pairing.h Cadre). id_number '' when unknown, else unique; division_code is the
-- township (9 digits) or the county (6) the record belongs to, for scope.
CREATE TABLE cadre (
  id            INTEGER PRIMARY KEY,
  version       INTEGER NOT NULL,
  name          TEXT NOT NULL,
  id_number     TEXT NOT NULL DEFAULT '',
  unit          TEXT NOT NULL DEFAULT '',
  rank          INTEGER NOT NULL,
  phone         TEXT NOT NULL DEFAULT '',
  township_code TEXT NOT NULL DEFAULT '',
  division_code TEXT NOT NULL,
  active_from   INTEGER,
  active_to     INTEGER,
  updated_at    TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX cadre_id_number ON cadre(id_number) WHERE id_number <> '';
CREATE INDEX cadre_name ON cadre(name, township_code);
CREATE INDEX cadre_division ON cadre(division_code, id);

-- A household's pairing with a cadre; to_date NULL: current (at most one per household, the
-- partial unique index). division_code is the household's village when the pairing began.
CREATE TABLE pairing (
  id             INTEGER PRIMARY KEY,
  household_code TEXT NOT NULL,
  division_code  TEXT NOT NULL,
  cadre_id       INTEGER NOT NULL REFERENCES cadre(id),
  from_date      INTEGER NOT NULL,
  to_date        INTEGER,
  reason         TEXT NOT NULL,
  end_reason     TEXT NOT NULL DEFAULT '',
  updated_at     TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX pairing_current ON pairing(household_code) WHERE to_date IS NULL;
CREATE INDEX pairing_household ON pairing(household_code, from_date, id);
-- A cadre's pairings and the loads (current pairings per cadre under a division).
CREATE INDEX pairing_cadre ON pairing(cadre_id, to_date, division_code);
-- The current pairings of a division in household order (ScanCurrentPairings, the overdue list).
CREATE INDEX pairing_division_current ON pairing(division_code, household_code) WHERE to_date IS NULL;

-- A cadre's place on a village work team (core/pairing.h TeamMember).
CREATE TABLE team_member (
  id           INTEGER PRIMARY KEY,
  village_code TEXT NOT NULL,
  cadre_id     INTEGER NOT NULL REFERENCES cadre(id),
  role         INTEGER NOT NULL,
  from_date    INTEGER NOT NULL,
  to_date      INTEGER,
  updated_at   TEXT NOT NULL
) STRICT;
CREATE INDEX team_member_village ON team_member(village_code, role, id);
CREATE INDEX team_member_cadre ON team_member(cadre_id);

-- Days a team member was on post in a month.
CREATE TABLE on_post (
  member_id  INTEGER NOT NULL REFERENCES team_member(id),
  year       INTEGER NOT NULL,
  month      INTEGER NOT NULL,
  days       INTEGER NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (member_id, year, month)
) STRICT, WITHOUT ROWID;

-- A visit (core/pairing.h Visit); client_id is the device's id (a retried upload finds it).
-- photo: 0 none, 1 JPEG, 2 PNG; the bytes are in visit_photo. place: all three or none.
CREATE TABLE visit (
  id             INTEGER PRIMARY KEY,
  client_id      TEXT NOT NULL UNIQUE,
  household_code TEXT NOT NULL,
  division_code  TEXT NOT NULL,
  cadre_id       INTEGER NOT NULL,
  visit_date     INTEGER NOT NULL,
  discussed      TEXT NOT NULL,
  done           TEXT NOT NULL DEFAULT '',
  lat_e6         INTEGER,
  lon_e6         INTEGER,
  accuracy_m     INTEGER,
  photo          INTEGER NOT NULL DEFAULT 0,
  photo_bytes    INTEGER NOT NULL DEFAULT 0,
  distance_m     INTEGER,
  far            INTEGER NOT NULL DEFAULT 0,
  recorded_by    TEXT NOT NULL DEFAULT '',
  recorded_at    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX visit_household ON visit(household_code, visit_date, division_code);
CREATE INDEX visit_cadre ON visit(cadre_id, visit_date);
CREATE INDEX visit_division ON visit(division_code, visit_date);
CREATE TABLE visit_photo (
  visit_id INTEGER PRIMARY KEY REFERENCES visit(id),
  bytes    BLOB NOT NULL
) STRICT;

-- Each visited household's last visit date and number of visits, kept by InsertVisit (the
-- overdue list of today reads these, not the visits). Derived: not in the change log.
CREATE TABLE visit_summary (
  household_code TEXT PRIMARY KEY,
  division_code  TEXT NOT NULL,
  last_visit     INTEGER NOT NULL,
  visits         INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX visit_summary_division ON visit_summary(division_code, household_code, last_visit, visits);

-- A household's recorded place (for a visit's distance).
CREATE TABLE household_place (
  household_code TEXT PRIMARY KEY,
  division_code  TEXT NOT NULL,
  lat_e6         INTEGER NOT NULL,
  lon_e6         INTEGER NOT NULL,
  accuracy_m     INTEGER NOT NULL,
  recorded_on    INTEGER NOT NULL,
  source         TEXT NOT NULL DEFAULT '',
  updated_at     TEXT NOT NULL
) STRICT, WITHOUT ROWID;
)sql";

inline constexpr std::string_view kMigration007 = R"sql(
-- Funds (core/funds.h, docs/funds.md): a double-entry ledger. Sources beyond the plan's built-in
-- five; allocations with their earmark (comma-separated use codes, '' = any use); projects as the
-- ledger sees them (the project library proper comes later); payees. received_fen, budgeted_fen,
-- paid_fen, deposit_fen and fund_balance are derived from fund_entry, kept in the same transaction.
CREATE TABLE fund_source (
  code            TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  special_poverty INTEGER NOT NULL DEFAULT 0,
  updated_at      TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TABLE allocation (
  id              INTEGER PRIMARY KEY,
  source          TEXT NOT NULL,
  document_number TEXT NOT NULL,
  year            INTEGER NOT NULL,
  amount_fen      INTEGER NOT NULL,
  earmark         TEXT NOT NULL DEFAULT '',
  received_fen    INTEGER NOT NULL DEFAULT 0,
  updated_at      TEXT NOT NULL
) STRICT;
CREATE TABLE fund_project (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL,
  division_code  TEXT NOT NULL,
  use_code       TEXT NOT NULL,
  approved_fen   INTEGER NOT NULL,
  reapproved_fen INTEGER,
  state          TEXT NOT NULL,
  budgeted_fen   INTEGER NOT NULL DEFAULT 0,
  paid_fen       INTEGER NOT NULL DEFAULT 0,
  deposit_fen    INTEGER NOT NULL DEFAULT 0,
  updated_at     TEXT NOT NULL
) STRICT;
CREATE INDEX fund_project_division ON fund_project(division_code, id);
CREATE TABLE payee (
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL,
  name       TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
-- Append-only: never updated or deleted (a correction is a reversal, at most one per entry).
CREATE TABLE fund_entry (
  id            INTEGER PRIMARY KEY,
  entry_date    INTEGER NOT NULL,
  kind          TEXT NOT NULL,
  from_account  TEXT NOT NULL,
  to_account    TEXT NOT NULL,
  amount_fen    INTEGER NOT NULL CHECK (amount_fen > 0),
  allocation_id INTEGER NOT NULL,
  project_id    INTEGER NOT NULL DEFAULT 0,
  payee_id      INTEGER NOT NULL DEFAULT 0,
  to_allocation INTEGER NOT NULL DEFAULT 0,
  stage         TEXT NOT NULL DEFAULT '',
  refs          TEXT NOT NULL DEFAULT '',
  decision_id   TEXT NOT NULL DEFAULT '',
  reverses      INTEGER,
  actor         TEXT NOT NULL,
  at            TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX fund_entry_reverses ON fund_entry(reverses) WHERE reverses IS NOT NULL;
CREATE TABLE fund_balance (
  account     TEXT PRIMARY KEY,
  balance_fen INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
)sql";

inline constexpr std::string_view kMigration008 = R"sql(
-- The project library (core/project_library.h, docs/funds.md "Project library"): a project's record
-- with its sources, beneficiaries and steps. Its id is the money view's (fund_project) id, written
-- when the project is approved. fund_refusal: every refused posting (a finding), kept when the
-- posting itself was rolled back.
CREATE TABLE project (
  id                 INTEGER PRIMARY KEY,
  code               TEXT NOT NULL UNIQUE,
  name               TEXT NOT NULL,
  division_code      TEXT NOT NULL,
  task               TEXT NOT NULL DEFAULT '',
  subsidy_standard   TEXT NOT NULL DEFAULT '',
  use_code           TEXT NOT NULL,
  approved_fen       INTEGER NOT NULL,
  reapproved_fen     INTEGER,
  period_start       INTEGER NOT NULL,
  period_end         INTEGER NOT NULL,
  unit               TEXT NOT NULL DEFAULT '',
  responsible        TEXT NOT NULL DEFAULT '',
  performance_target TEXT NOT NULL DEFAULT '',
  state              TEXT NOT NULL,
  version            INTEGER NOT NULL,
  notice_posted_on   INTEGER,
  notice_until       INTEGER,
  updated_at         TEXT NOT NULL
) STRICT;
CREATE INDEX project_division ON project(division_code, id);
CREATE TABLE project_source (
  project_id INTEGER NOT NULL,
  seq        INTEGER NOT NULL,
  source     TEXT NOT NULL,
  amount_fen INTEGER NOT NULL,
  PRIMARY KEY (project_id, seq)
) STRICT, WITHOUT ROWID;
CREATE TABLE project_beneficiary (
  project_id     INTEGER NOT NULL,
  seq            INTEGER NOT NULL,
  household_code TEXT NOT NULL,
  how            TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (project_id, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX project_beneficiary_household ON project_beneficiary(household_code, project_id);
CREATE TABLE project_step (
  project_id INTEGER NOT NULL,
  seq        INTEGER NOT NULL,
  step       TEXT NOT NULL,
  step_date  INTEGER NOT NULL,
  actor      TEXT NOT NULL,
  at         TEXT NOT NULL,
  outcome    TEXT NOT NULL,
  notes      TEXT NOT NULL DEFAULT '',
  refs       TEXT NOT NULL DEFAULT '',
  from_state TEXT NOT NULL,
  to_state   TEXT NOT NULL,
  PRIMARY KEY (project_id, seq)
) STRICT, WITHOUT ROWID;
CREATE TABLE fund_refusal (
  id         INTEGER PRIMARY KEY,
  refused_on INTEGER NOT NULL,
  actor      TEXT NOT NULL,
  at         TEXT NOT NULL,
  rule       TEXT NOT NULL,
  field      TEXT NOT NULL DEFAULT '',
  message_zh TEXT NOT NULL DEFAULT '',
  message_en TEXT NOT NULL DEFAULT '',
  entry_json TEXT NOT NULL
) STRICT;
)sql";

inline constexpr std::string_view kMigration009 = R"sql(
-- Asset-income shares (core/shares.h, docs/shares.md). Money in fen, dates YYYYMMDD integers.
-- owner: 'village_collective' | 'cooperative'; cap_per_share_fen NULL: no cap.
CREATE TABLE asset (
  id                   TEXT PRIMARY KEY,
  project_code         TEXT NOT NULL DEFAULT '',
  kind                 INTEGER NOT NULL,
  value_fen            INTEGER NOT NULL,
  owner                TEXT NOT NULL,
  owner_name           TEXT NOT NULL,
  division_code        TEXT NOT NULL,
  poor_permille        INTEGER NOT NULL,
  village_permille     INTEGER NOT NULL,
  cooperative_permille INTEGER NOT NULL,
  total_shares         INTEGER NOT NULL,
  floor_rate_bp        INTEGER NOT NULL,
  cap_per_share_fen    INTEGER,
  disposed             INTEGER NOT NULL DEFAULT 0,
  updated_at           TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX asset_division ON asset(division_code, id);
-- Who holds how many shares now (holder: a household code or 'village:<division code>').
CREATE TABLE share_holding (
  asset_id TEXT NOT NULL,
  holder   TEXT NOT NULL,
  shares   INTEGER NOT NULL CHECK (shares > 0),
  PRIMARY KEY (asset_id, holder)
) STRICT, WITHOUT ROWID;
CREATE INDEX share_holding_holder ON share_holding(holder, asset_id);
-- The asset's ledger of moves (append-only).
CREATE TABLE share_move (
  id        INTEGER PRIMARY KEY,
  asset_id  TEXT NOT NULL,
  from_holder TEXT NOT NULL,
  to_holder   TEXT NOT NULL,
  shares    INTEGER NOT NULL CHECK (shares > 0),
  reason    TEXT NOT NULL,
  year      INTEGER NOT NULL,
  move_date INTEGER NOT NULL
) STRICT;
CREATE INDEX share_move_asset ON share_move(asset_id, id);
-- Equity certificates (股权证): revoked and reissued when a holder's count changes.
CREATE TABLE share_certificate (
  number     TEXT PRIMARY KEY,
  asset_id   TEXT NOT NULL,
  serial     INTEGER NOT NULL,
  holder     TEXT NOT NULL,
  shares     INTEGER NOT NULL,
  issued_on  INTEGER NOT NULL,
  revoked_on INTEGER
) STRICT, WITHOUT ROWID;
CREATE INDEX share_certificate_asset ON share_certificate(asset_id, serial);
CREATE INDEX share_certificate_holder ON share_certificate(holder, asset_id) WHERE revoked_on IS NULL;
CREATE TABLE dividend (
  asset_id             TEXT NOT NULL,
  year                 INTEGER NOT NULL,
  income_fen           INTEGER NOT NULL,
  poor_fen             INTEGER NOT NULL,
  village_fen          INTEGER NOT NULL,
  cooperative_fen      INTEGER NOT NULL,
  floor_fen            INTEGER NOT NULL,
  operator_shortfall_fen INTEGER NOT NULL,
  over_cap_fen         INTEGER NOT NULL,
  distributed_fen      INTEGER NOT NULL,
  declared_on          INTEGER NOT NULL,
  PRIMARY KEY (asset_id, year)
) STRICT, WITHOUT ROWID;
-- One line per holder; item_code: the assistance item posted for a household's line ('' for the
-- village collective's).
CREATE TABLE dividend_line (
  asset_id  TEXT NOT NULL,
  year      INTEGER NOT NULL,
  holder    TEXT NOT NULL,
  shares    INTEGER NOT NULL,
  fen       INTEGER NOT NULL,
  household INTEGER NOT NULL,
  item_code TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (asset_id, year, holder)
) STRICT, WITHOUT ROWID;
CREATE INDEX dividend_line_holder ON dividend_line(holder, asset_id, year);
CREATE TABLE asset_disposal (
  asset_id             TEXT PRIMARY KEY,
  vote_date            INTEGER NOT NULL,
  votes_for            INTEGER NOT NULL,
  votes_against        INTEGER NOT NULL,
  township_approved_on INTEGER NOT NULL,
  county_agreed_on     INTEGER NOT NULL,
  finance_agreed_on    INTEGER NOT NULL,
  reason               TEXT NOT NULL,
  updated_at           TEXT NOT NULL
) STRICT, WITHOUT ROWID;
)sql";

// Household events (core/as_of.h): the dated changes of households, so that figures as of a past
// day undo what happened after it. Whole households only for changes of more than status and exit
// year (before_json/after_json, HouseholdToJson). Logged as entity "household_event".
inline constexpr std::string_view kMigration010 = R"sql(
CREATE TABLE household_event (
  seq              INTEGER PRIMARY KEY,
  household_code   TEXT NOT NULL,
  division_code    TEXT NOT NULL,
  effective_on     INTEGER NOT NULL,
  kind             TEXT NOT NULL,
  case_id          INTEGER NOT NULL,
  before_status    INTEGER,
  after_status     INTEGER,
  before_exit_year INTEGER,
  after_exit_year  INTEGER,
  before_json      TEXT,
  after_json       TEXT,
  log_seq          INTEGER NOT NULL
) STRICT;
CREATE INDEX household_event_effective ON household_event(effective_on, seq);
CREATE INDEX household_event_household ON household_event(household_code, seq);
)sql";

inline constexpr std::string_view kMigration011 = R"sql(
-- Periodic reports as issued (frozen): the document JSON as stored and its hex BLAKE2b-256; one per
-- kind, unit and period. as_of a YYYY-MM-DD text.
CREATE TABLE issued_reports (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL,
  unit_code     TEXT NOT NULL,
  unit_name     TEXT NOT NULL,
  period        TEXT NOT NULL,
  as_of         TEXT NOT NULL,
  issued_at     TEXT NOT NULL,
  issued_by     TEXT NOT NULL,
  document_json TEXT NOT NULL,
  hash          TEXT NOT NULL,
  seq           INTEGER NOT NULL,
  UNIQUE (kind, unit_code, period)
) STRICT;
CREATE INDEX issued_reports_unit ON issued_reports(unit_code, kind, id);
)sql";

inline constexpr std::string_view kMigrations[] = {kMigration001, kMigration002, kMigration003, kMigration004,
                                                   kMigration005, kMigration006, kMigration007, kMigration008,
                                                   kMigration009, kMigration010, kMigration011};
// The migration after whose SQL the free-text pairing names become cadres and pairings (1-based).
inline constexpr int kPairingAdoptionVersion = 6;
// The migration after whose SQL the household events are rebuilt from the closed cases and the
// change log (a database upgraded from before them).
inline constexpr int kHouseholdEventsVersion = 10;

// Secondary indexes a bulk load drops and recreates (SqliteStore::BeginBulkLoad); they must stay
// identical to the migrations' definitions.
inline constexpr std::string_view kBulkIndexesDrop =
    "DROP INDEX household_division; DROP INDEX person_id_number; DROP INDEX change_log_entity;"
    "DROP INDEX change_log_actor; DROP INDEX person_name; DROP INDEX assistance_item_division;";
inline constexpr std::string_view kBulkIndexesCreate =
    "CREATE INDEX household_division ON household(division_code, household_code);"
    "CREATE INDEX person_id_number ON person(id_number);"
    "CREATE INDEX change_log_entity ON change_log(entity, entity_key, seq);"
    "CREATE INDEX change_log_actor ON change_log(actor, seq);"
    "CREATE INDEX person_name ON person(name);"
    "CREATE INDEX assistance_item_division ON assistance_item(division_code, household_code);";

}  // namespace jz::sqlite_schema
