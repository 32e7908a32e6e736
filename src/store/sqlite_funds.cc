// Funds: sources, allocations, projects (the money view), payees, the append-only entries and the
// balances kept beside them (migration 007). The rules are core/funds.h's FundLedger: a batch is
// checked against the state it touches, loaded here, before anything is written.
#include <algorithm>
#include <set>
#include <unordered_map>

#include "store/sqlite_internal.h"

namespace jz::sqlite_internal {
namespace {

constexpr const char* kPutFundSource =
    "INSERT INTO fund_source (code, name, special_poverty, updated_at) VALUES (?1,?2,?3,?4)"
    " ON CONFLICT(code) DO UPDATE SET name=?2, special_poverty=?3, updated_at=?4";
constexpr const char* kFundSources = "SELECT code, name, special_poverty FROM fund_source ORDER BY code";
constexpr const char* kPutAllocation =
    "INSERT INTO allocation (id, source, document_number, year, amount_fen, earmark, updated_at)"
    " VALUES (?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(id) DO UPDATE SET source=?2, document_number=?3, year=?4,"
    " amount_fen=?5, earmark=?6, updated_at=?7";
constexpr const char* kAllocationColumns = "SELECT id, source, document_number, year, amount_fen, earmark, received_fen FROM allocation";
constexpr const char* kFindAllocation =
    "SELECT id, source, document_number, year, amount_fen, earmark, received_fen FROM allocation WHERE id=?1";
constexpr const char* kPutProject =
    "INSERT INTO fund_project (id, name, division_code, use_code, approved_fen, reapproved_fen, state, updated_at)"
    " VALUES (?1,?2,?3,?4,?5,?6,?7,?8) ON CONFLICT(id) DO UPDATE SET name=?2, division_code=?3, use_code=?4,"
    " approved_fen=?5, reapproved_fen=?6, state=?7, updated_at=?8";
constexpr const char* kFindProject =
    "SELECT id, name, division_code, use_code, approved_fen, reapproved_fen, state, budgeted_fen, paid_fen,"
    " deposit_fen FROM fund_project WHERE id=?1";
constexpr const char* kPutPayee =
    "INSERT INTO payee (id, kind, name, updated_at) VALUES (?1,?2,?3,?4)"
    " ON CONFLICT(id) DO UPDATE SET kind=?2, name=?3, updated_at=?4";
constexpr const char* kFindPayee = "SELECT id, kind, name FROM payee WHERE id=?1";
constexpr const char* kFindEntry =
    "SELECT id, entry_date, kind, from_account, to_account, amount_fen, allocation_id, project_id, payee_id,"
    " to_allocation, stage, refs, decision_id, reverses, actor, at,"
    " EXISTS (SELECT 1 FROM fund_entry r WHERE r.reverses = fund_entry.id) FROM fund_entry WHERE id=?1";
constexpr const char* kNextEntryId = "SELECT coalesce(max(id), 0) + 1 FROM fund_entry";
constexpr const char* kBalance = "SELECT balance_fen FROM fund_balance WHERE account=?1";
constexpr const char* kInsertEntry =
    "INSERT INTO fund_entry (id, entry_date, kind, from_account, to_account, amount_fen, allocation_id, project_id,"
    " payee_id, to_allocation, stage, refs, decision_id, reverses, actor, at)"
    " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)";
constexpr const char* kAddBalance =
    "INSERT INTO fund_balance (account, balance_fen) VALUES (?1, ?2)"
    " ON CONFLICT(account) DO UPDATE SET balance_fen = balance_fen + ?2";
constexpr const char* kSetReceived = "UPDATE allocation SET received_fen=?2 WHERE id=?1";
constexpr const char* kSetProjectMoney =
    "UPDATE fund_project SET budgeted_fen=?2, paid_fen=?3, deposit_fen=?4 WHERE id=?1";
constexpr const char* kBalances = "SELECT account, balance_fen FROM fund_balance ORDER BY account";
constexpr const char* kRecount =
    "SELECT account, sum(v) FROM (SELECT to_account AS account, amount_fen AS v FROM fund_entry"
    " UNION ALL SELECT from_account, -amount_fen FROM fund_entry) GROUP BY account ORDER BY account";


std::string JoinCodes(const std::vector<std::string>& v) {
    std::string out;
    for (const std::string& c : v) {
        if (!out.empty()) out += ',';
        out += c;
    }
    return out;
}
std::vector<std::string> SplitCodes(const std::string& s) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start < s.size()) {
        size_t comma = s.find(',', start);
        if (comma == std::string::npos) comma = s.size();
        if (comma > start) out.push_back(s.substr(start, comma - start));
        start = comma + 1;
    }
    return out;
}

}  // namespace

std::string FundSourceJson(const FundSource& s) {
    std::string out;
    json_writer::JsonWriter w(out);
    w.Open('{');
    w.Key("code"), w.String(s.code);
    w.Key("name"), w.String(s.name);
    w.Key("special_poverty"), w.Bool(s.special_poverty);
    w.Close('}');
    return out;
}
std::string FundAllocationJson(const Allocation& a) {
    std::string out;
    json_writer::JsonWriter w(out);
    w.Open('{');
    w.Key("id"), w.Int(a.id);
    w.Key("source"), w.String(a.source);
    w.Key("document_number"), w.String(a.document_number);
    w.Key("year"), w.Int(a.year);
    w.Key("amount_fen"), w.Int(a.amount);
    w.Key("earmark"), w.String(JoinCodes(a.earmark));
    w.Close('}');
    return out;
}
std::string FundProjectJson(const FundProject& p) {
    std::string out;
    json_writer::JsonWriter w(out);
    w.Open('{');
    w.Key("id"), w.Int(p.id);
    w.Key("name"), w.String(p.name);
    w.Key("division_code"), w.String(p.division_code);
    w.Key("use"), w.String(p.use);
    w.Key("approved_fen"), w.Int(p.approved);
    w.Field("reapproved_fen", p.reapproved);
    w.Key("state"), w.String(ProjectStateName(p.state));
    w.Close('}');
    return out;
}
namespace {
std::string_view PayeeKindName(PayeeKind k) { return k == PayeeKind::kContractor ? "contractor" : "beneficiary"; }
}  // namespace
std::string FundPayeeJson(const Payee& y) {
    std::string out;
    json_writer::JsonWriter w(out);
    w.Open('{');
    w.Key("id"), w.Int(y.id);
    w.Key("kind"), w.String(PayeeKindName(y.kind));
    w.Key("name"), w.String(y.name);
    w.Close('}');
    return out;
}
void FundEntryJsonInto(const FundEntry& e, std::string& out) {
    out.clear();
    json_writer::JsonWriter w(out);
    w.Open('{');
    w.Key("id"), w.Int(e.id);
    w.Key("date"), w.Int(DateInt(e.date));
    w.Key("kind"), w.String(FundEntryKindName(e.kind));
    w.Key("from"), w.String(e.from_account);
    w.Key("to"), w.String(e.to_account);
    w.Key("amount_fen"), w.Int(e.amount);
    if (!e.stage.empty()) w.Key("stage"), w.String(e.stage);
    if (!e.refs.empty()) w.Key("refs"), w.String(e.refs);
    if (!e.decision_id.empty()) w.Key("decision_id"), w.String(e.decision_id);
    if (e.reverses) w.Key("reverses"), w.Int(e.reverses);
    w.Close('}');
}

std::string FundBatchKey(int64_t first, int64_t last) { return std::to_string(first) + "-" + std::to_string(last); }

Allocation ReadFundAllocation(sqlite3_stmt* st, Fen* received) {
    Allocation a;
    a.id = sqlite3_column_int64(st, 0);
    a.source = Text(st, 1);
    a.document_number = Text(st, 2);
    a.year = sqlite3_column_int(st, 3);
    a.amount = sqlite3_column_int64(st, 4);
    a.earmark = SplitCodes(Text(st, 5));
    if (received) *received = sqlite3_column_int64(st, 6);
    return a;
}
FundProject ReadFundProject(sqlite3_stmt* st, ProjectMoney* money) {
    FundProject p;
    p.id = sqlite3_column_int64(st, 0);
    p.name = Text(st, 1);
    p.division_code = Text(st, 2);
    p.use = Text(st, 3);
    p.approved = sqlite3_column_int64(st, 4);
    p.reapproved = ColOpt<Fen>(st, 5);
    p.state = ParseProjectState(Text(st, 6)).value_or(ProjectState::kApproved);
    if (money) {
        money->budgeted = sqlite3_column_int64(st, 7);
        money->paid = sqlite3_column_int64(st, 8);
        money->deposit_held = sqlite3_column_int64(st, 9);
    }
    return p;
}
StoredFundEntry ReadFundEntry(sqlite3_stmt* st) {
    StoredFundEntry s;
    FundEntry& e = s.entry;
    e.id = sqlite3_column_int64(st, 0);
    e.date = IntDate(sqlite3_column_int64(st, 1));
    e.kind = ParseFundEntryKind(Text(st, 2)).value_or(FundEntryKind::kReceive);
    e.from_account = Text(st, 3);
    e.to_account = Text(st, 4);
    e.amount = sqlite3_column_int64(st, 5);
    e.allocation = sqlite3_column_int64(st, 6);
    e.project = sqlite3_column_int64(st, 7);
    e.payee = sqlite3_column_int64(st, 8);
    e.to_allocation = sqlite3_column_int64(st, 9);
    e.stage = Text(st, 10);
    e.refs = Text(st, 11);
    e.decision_id = Text(st, 12);
    e.reverses = sqlite3_column_int64(st, 13);
    s.actor = Text(st, 14);
    s.at = Text(st, 15);
    return s;
}

Result<void> SqliteStore::PutFundSource(const FundSource& source, const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return r;
    auto st = Prepare(kPutFundSource);
    if (!st) return std::unexpected(st.error());
    BindText(*st, 1, source.code);
    BindText(*st, 2, source.name);
    sqlite3_bind_int(*st, 3, source.special_poverty ? 1 : 0);
    BindText(*st, 4, change.at);
    if (auto r = StepDone(*st, "PutFundSource"); !r) return r;
    auto county = SettingCounty();
    if (!county) return std::unexpected(county.error());
    return LogChange(change, *county, "fund_source", source.code, "update", "", FundSourceJson(source));
}

Result<void> SqliteStore::PutAllocation(const Allocation& a, const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return r;
    if (a.id <= 0 || a.amount <= 0 || a.amount > kMaxFundAmount)
        return Fail("fund.amount_invalid", "allocation", "拨付编号和金额须为正数", "an allocation's id and amount must be positive");
    auto st = Prepare(kPutAllocation);
    if (!st) return std::unexpected(st.error());
    const std::string earmark = JoinCodes(a.earmark);
    sqlite3_bind_int64(*st, 1, a.id);
    BindText(*st, 2, a.source);
    BindText(*st, 3, a.document_number);
    sqlite3_bind_int(*st, 4, a.year);
    sqlite3_bind_int64(*st, 5, a.amount);
    BindText(*st, 6, earmark);
    BindText(*st, 7, change.at);
    if (auto r = StepDone(*st, "PutAllocation"); !r) return r;
    auto county = SettingCounty();
    if (!county) return std::unexpected(county.error());
    return LogChange(change, *county, "allocation", std::to_string(a.id), "update", "", FundAllocationJson(a));
}

Result<void> SqliteStore::PutFundProject(const FundProject& p, const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return r;
    if (p.id <= 0 || p.approved < 0 || p.approved > kMaxFundAmount)
        return Fail("fund.amount_invalid", "project", "项目编号须为正数,批复金额不得为负",
                    "a project's id must be positive and its approved amount not negative");
    auto st = Prepare(kPutProject);
    if (!st) return std::unexpected(st.error());
    const std::string state(ProjectStateName(p.state));
    sqlite3_bind_int64(*st, 1, p.id);
    BindText(*st, 2, p.name);
    BindText(*st, 3, p.division_code);
    BindText(*st, 4, p.use);
    sqlite3_bind_int64(*st, 5, p.approved);
    BindOpt(*st, 6, p.reapproved);
    BindText(*st, 7, state);
    BindText(*st, 8, change.at);
    if (auto r = StepDone(*st, "PutFundProject"); !r) return r;
    auto county = CountyFor(p.division_code);
    if (!county) return std::unexpected(county.error());
    return LogChange(change, *county, "fund_project", std::to_string(p.id), "update", "", FundProjectJson(p));
}

Result<void> SqliteStore::PutPayee(const Payee& y, const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return r;
    if (y.id <= 0) return Fail("fund.amount_invalid", "payee", "收款人编号须为正数", "a payee id must be positive");
    auto st = Prepare(kPutPayee);
    if (!st) return std::unexpected(st.error());
    const std::string kind(PayeeKindName(y.kind));
    sqlite3_bind_int64(*st, 1, y.id);
    BindText(*st, 2, kind);
    BindText(*st, 3, y.name);
    BindText(*st, 4, change.at);
    if (auto r = StepDone(*st, "PutPayee"); !r) return r;
    auto county = SettingCounty();
    if (!county) return std::unexpected(county.error());
    return LogChange(change, *county, "payee", std::to_string(y.id), "update", "", FundPayeeJson(y));
}

Result<std::vector<Allocation>> SqliteStore::ListAllocations() {
    auto st = Prepare(kAllocationColumns);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    std::vector<Allocation> out;
    int rc;
    while ((rc = sqlite3_step(*st)) == SQLITE_ROW) out.push_back(ReadFundAllocation(*st, nullptr));
    if (rc != SQLITE_DONE) return std::unexpected(LastError("ListAllocations"));
    return out;
}

Result<std::optional<FundProject>> SqliteStore::FindFundProject(int64_t id) {
    auto st = Prepare(kFindProject);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    sqlite3_bind_int64(*st, 1, id);
    const int rc = sqlite3_step(*st);
    if (rc == SQLITE_ROW) return ReadFundProject(*st, nullptr);
    if (rc != SQLITE_DONE) return std::unexpected(LastError("FindFundProject"));
    return std::nullopt;
}

Result<std::vector<FundEntry>> SqliteStore::PostFundEntries(const std::vector<FundEntry>& batch,
                                                            const PlanFunds& settings, const ChangeContext& change) {
    if (auto r = RequireTx(); !r) return std::unexpected(r.error());
    if (batch.empty()) return std::vector<FundEntry>{};
    auto data_version = DataVersion();
    if (!data_version) return std::unexpected(data_version.error());
    const int64_t total_changes = sqlite3_total_changes64(db_);
    if (fund_cache_ && (fund_cache_->data_version != *data_version || fund_cache_->total_changes != total_changes ||
                        fund_cache_->settings != settings))
        fund_cache_.reset();
    // Whatever happens below, the cache is rebuilt or kept only on success.
    std::unique_ptr<FundCache> cache = std::move(fund_cache_);
    if (!cache) {
        // The sources: the plan's and the stored ones.
        PlanFunds with_sources = settings;
        auto st = Prepare(kFundSources);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        int rc;
        while ((rc = sqlite3_step(*st)) == SQLITE_ROW) {
            FundSource s{Text(*st, 0), Text(*st, 1), sqlite3_column_int(*st, 2) != 0};
            const bool known =
                std::any_of(with_sources.sources.begin(), with_sources.sources.end(),
                            [&](const FundSource& x) { return x.code == s.code; }) ||
                std::any_of(BuiltinFundSources().begin(), BuiltinFundSources().end(),
                            [&](const FundSource& x) { return x.code == s.code; });
            if (!known) with_sources.sources.push_back(std::move(s));
        }
        if (rc != SQLITE_DONE) return std::unexpected(LastError("PostFundEntries"));
        cache = std::make_unique<FundCache>(FundCache{settings, FundLedger(std::move(with_sources)), {}, {}, {}, {}, 0, 0});
    }
    FundLedger& ledger = cache->ledger;
    ledger.ForgetEntries();
    auto next_id = QueryInt(kNextEntryId);
    if (!next_id) return std::unexpected(next_id.error());

    // The state the batch touches that the cache does not hold yet.
    std::set<int64_t> allocations, projects, payees, reversed;
    auto want = [](std::set<int64_t>& wanted, const std::unordered_set<int64_t>& held, int64_t id) {
        if (id > 0 && !held.contains(id)) wanted.insert(id);
    };
    for (const FundEntry& e : batch) {
        want(allocations, cache->allocations, e.allocation);
        want(allocations, cache->allocations, e.to_allocation);
        want(projects, cache->projects, e.project);
        want(payees, cache->payees, e.payee);
        if (e.kind == FundEntryKind::kReversal && e.reverses > 0) reversed.insert(e.reverses);
    }
    std::set<std::string> accounts;
    auto want_account = [&](std::string account) {
        if (!cache->accounts.contains(account)) accounts.insert(std::move(account));
    };
    want_account(std::string(kTreasuryAccount));
    want_account(std::string(kInterestAccount));
    for (const FundEntry& e : batch)
        if (e.project > 0 && e.allocation > 0) {
            want_account(ProjectAccount(e.project, e.allocation));
            want_account(DepositAccount(e.project, e.allocation));
        }
    for (int64_t id : reversed) {
        auto st = Prepare(kFindEntry);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        sqlite3_bind_int64(*st, 1, id);
        const int rc = sqlite3_step(*st);
        if (rc == SQLITE_ROW) {
            StoredFundEntry s = ReadFundEntry(*st);
            const bool was_reversed = sqlite3_column_int(*st, 16) != 0;
            want(allocations, cache->allocations, s.entry.allocation);
            want(allocations, cache->allocations, s.entry.to_allocation);
            want(projects, cache->projects, s.entry.project);
            want(payees, cache->payees, s.entry.payee);
            want_account(s.entry.from_account);
            want_account(s.entry.to_account);
            ledger.RestoreEntry(s.entry, was_reversed);
        } else if (rc != SQLITE_DONE) {
            return std::unexpected(LastError("PostFundEntries"));
        }
    }
    for (int64_t id : allocations) {
        auto st = Prepare(kFindAllocation);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        sqlite3_bind_int64(*st, 1, id);
        const int rc = sqlite3_step(*st);
        if (rc == SQLITE_ROW) {
            Fen received = 0;
            const Allocation a = ReadFundAllocation(*st, &received);
            if (ledger.AddAllocation(a)) {
                ledger.RestoreReceived(id, received);
                cache->allocations.insert(id);
            }
            want_account(AllocationAccount(id));
        } else if (rc != SQLITE_DONE) {
            return std::unexpected(LastError("PostFundEntries"));
        }
    }
    for (int64_t id : projects) {
        auto st = Prepare(kFindProject);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        sqlite3_bind_int64(*st, 1, id);
        const int rc = sqlite3_step(*st);
        if (rc == SQLITE_ROW) {
            ProjectMoney money;
            const FundProject p = ReadFundProject(*st, &money);
            if (ledger.AddProject(p)) {
                ledger.RestoreProjectMoney(id, money);
                cache->projects.insert(id);
            }
        } else if (rc != SQLITE_DONE) {
            return std::unexpected(LastError("PostFundEntries"));
        }
    }
    for (int64_t id : payees) {
        auto st = Prepare(kFindPayee);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        sqlite3_bind_int64(*st, 1, id);
        const int rc = sqlite3_step(*st);
        if (rc == SQLITE_ROW) {
            const std::string kind = Text(*st, 1);
            if (ledger.AddPayee(Payee{id, kind == "beneficiary" ? PayeeKind::kBeneficiary : PayeeKind::kContractor,
                                      Text(*st, 2)}))
                cache->payees.insert(id);
            want_account(PayeeAccount(id));
        } else if (rc != SQLITE_DONE) {
            return std::unexpected(LastError("PostFundEntries"));
        }
    }
    for (const std::string& account : accounts) {
        auto st = Prepare(kBalance);
        if (!st) return std::unexpected(st.error());
        ResetOnExit reset{*st};
        BindText(*st, 1, account);
        const int rc = sqlite3_step(*st);
        if (rc == SQLITE_ROW) ledger.RestoreBalance(account, sqlite3_column_int64(*st, 0));
        else if (rc != SQLITE_DONE) return std::unexpected(LastError("PostFundEntries"));
        cache->accounts.insert(account);
    }

    // Receipts before the batch, to write only the allocations whose receipts change.
    std::unordered_map<int64_t, Fen> received_before;
    for (const FundEntry& e : batch)
        if (e.allocation > 0) received_before.emplace(e.allocation, ledger.Received(e.allocation));

    // Every rule, before anything is written.
    std::vector<FundEntry> applied;
    applied.reserve(batch.size());
    std::unordered_map<std::string, Fen> deltas;
    for (size_t i = 0; i < batch.size(); ++i) {
        FundEntry e = batch[i];
        e.id = *next_id + static_cast<int64_t>(i);
        if (e.kind == FundEntryKind::kReversal && e.reverses < 0) {
            const int64_t pos = -e.reverses;
            e.reverses = pos <= static_cast<int64_t>(i) ? *next_id + pos - 1 : 0;
        }
        auto r = ledger.Apply(e);
        if (!r) {
            Error err = r.error();
            err.row = static_cast<int64_t>(i) + 1;
            return std::unexpected(std::move(err));
        }
        deltas[r->from_account] -= r->amount;
        deltas[r->to_account] += r->amount;
        applied.push_back(std::move(*r));
    }

    // The entries, each logged; then the balances and the derived amounts.
    auto county = SettingCounty();
    if (!county) return std::unexpected(county.error());
    // One change-log row for the batch (entity "fund_entries", key "<first id>-<last id>", after: the
    // array of the entries as posted): every entry is in the hash-chained log, and a batch costs one
    // row instead of one per entry (half the posting time went to the per-entry rows).
    std::string json = "[", one;
    for (const FundEntry& e : applied) {
        auto st = Prepare(kInsertEntry);
        if (!st) return std::unexpected(st.error());
        const std::string_view kind = FundEntryKindName(e.kind);
        sqlite3_bind_int64(*st, 1, e.id);
        sqlite3_bind_int64(*st, 2, DateInt(e.date));
        sqlite3_bind_text(*st, 3, kind.data(), static_cast<int>(kind.size()), SQLITE_STATIC);
        BindText(*st, 4, e.from_account);
        BindText(*st, 5, e.to_account);
        sqlite3_bind_int64(*st, 6, e.amount);
        sqlite3_bind_int64(*st, 7, e.allocation);
        sqlite3_bind_int64(*st, 8, e.project);
        sqlite3_bind_int64(*st, 9, e.payee);
        sqlite3_bind_int64(*st, 10, e.to_allocation);
        BindText(*st, 11, e.stage);
        BindText(*st, 12, e.refs);
        BindText(*st, 13, e.decision_id);
        if (e.kind == FundEntryKind::kReversal)
            sqlite3_bind_int64(*st, 14, e.reverses);
        else
            sqlite3_bind_null(*st, 14);
        BindText(*st, 15, change.actor);
        BindText(*st, 16, change.at);
        if (auto r = StepDone(*st, "PostFundEntries"); !r) return std::unexpected(r.error());
        FundEntryJsonInto(e, one);
        if (json.size() > 1) json += ',';
        json += one;
    }
    json += ']';
    if (auto r = LogChange(change, *county, "fund_entries", FundBatchKey(applied.front().id, applied.back().id),
                           "insert", "", json);
        !r)
        return std::unexpected(r.error());
    for (const auto& [account, delta] : deltas) {
        if (delta == 0) continue;
        auto st = Prepare(kAddBalance);
        if (!st) return std::unexpected(st.error());
        BindText(*st, 1, account);
        sqlite3_bind_int64(*st, 2, delta);
        if (auto r = StepDone(*st, "PostFundEntries"); !r) return std::unexpected(r.error());
    }
    std::set<int64_t> touched_allocations, touched_projects;
    for (const FundEntry& e : applied) {
        touched_allocations.insert(e.allocation);
        if (e.project > 0) touched_projects.insert(e.project);
    }
    for (int64_t id : touched_allocations) {
        // (A reversal's allocation is filled in by Apply: absent from received_before, it is written.)
        if (auto it = received_before.find(id); it != received_before.end() && it->second == ledger.Received(id))
            continue;
        auto st = Prepare(kSetReceived);
        if (!st) return std::unexpected(st.error());
        sqlite3_bind_int64(*st, 1, id);
        sqlite3_bind_int64(*st, 2, ledger.Received(id));
        if (auto r = StepDone(*st, "PostFundEntries"); !r) return std::unexpected(r.error());
    }
    for (int64_t id : touched_projects) {
        auto st = Prepare(kSetProjectMoney);
        if (!st) return std::unexpected(st.error());
        const ProjectMoney m = ledger.Project(id);
        sqlite3_bind_int64(*st, 1, id);
        sqlite3_bind_int64(*st, 2, m.budgeted);
        sqlite3_bind_int64(*st, 3, m.paid);
        sqlite3_bind_int64(*st, 4, m.deposit_held);
        if (auto r = StepDone(*st, "PostFundEntries"); !r) return std::unexpected(r.error());
    }
    cache->data_version = *data_version;  // this connection's own writes do not change it
    cache->total_changes = sqlite3_total_changes64(db_);
    fund_cache_ = std::move(cache);
    return applied;
}

Result<int64_t> SqliteStore::DataVersion() { return QueryInt("PRAGMA data_version"); }

Result<std::vector<StoredFundEntry>> SqliteStore::ListFundEntries(const FundEntryFilter& f) {
    std::string sql =
        "SELECT id, entry_date, kind, from_account, to_account, amount_fen, allocation_id, project_id, payee_id,"
        " to_allocation, stage, refs, decision_id, reverses, actor, at FROM fund_entry WHERE id > ?1";
    if (!f.account.empty()) sql += " AND (from_account = ?2 OR to_account = ?2)";
    if (f.kind) sql += " AND kind = ?3";
    if (f.from) sql += " AND entry_date >= ?4";
    if (f.to) sql += " AND entry_date <= ?5";
    sql += " ORDER BY id LIMIT ?6";
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
        sqlite3_finalize(raw);
        return std::unexpected(LastError("ListFundEntries"));
    }
    Stmt st(raw);
    const std::string kind = f.kind ? std::string(FundEntryKindName(*f.kind)) : std::string();
    sqlite3_bind_int64(raw, 1, f.after_id);
    if (!f.account.empty()) BindText(raw, 2, f.account);
    if (f.kind) BindText(raw, 3, kind);
    if (f.from) sqlite3_bind_int64(raw, 4, DateInt(*f.from));
    if (f.to) sqlite3_bind_int64(raw, 5, DateInt(*f.to));
    sqlite3_bind_int64(raw, 6, f.limit > 0 ? f.limit : -1);
    std::vector<StoredFundEntry> out;
    int rc;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) out.push_back(ReadFundEntry(raw));
    if (rc != SQLITE_DONE) return std::unexpected(LastError("ListFundEntries"));
    return out;
}

Result<std::map<std::string, Fen>> SqliteStore::FundBalances() {
    auto st = Prepare(kBalances);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    std::map<std::string, Fen> out;
    int rc;
    while ((rc = sqlite3_step(*st)) == SQLITE_ROW) out.emplace_hint(out.end(), Text(*st, 0), sqlite3_column_int64(*st, 1));
    if (rc != SQLITE_DONE) return std::unexpected(LastError("FundBalances"));
    return out;
}

Result<std::map<std::string, Fen>> SqliteStore::RecountFundBalances() {
    auto st = Prepare(kRecount);
    if (!st) return std::unexpected(st.error());
    ResetOnExit reset{*st};
    std::map<std::string, Fen> out;
    int rc;
    while ((rc = sqlite3_step(*st)) == SQLITE_ROW) out.emplace_hint(out.end(), Text(*st, 0), sqlite3_column_int64(*st, 1));
    if (rc != SQLITE_DONE) return std::unexpected(LastError("RecountFundBalances"));
    return out;
}

}  // namespace jz::sqlite_internal
