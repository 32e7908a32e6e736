// Funds (专项预算、专项管理、专款专用): a double-entry ledger of the money the plan pools — fund
// sources, allocations with their earmarks, projects (the money view only), payees — and the rules
// every movement must keep (docs/funds.md).
//
// The entry model: every entry moves one amount (> 0) from exactly one account to exactly one other
// account, so each entry is balanced by construction and the sum of all balances is always 0. The
// external counterparts (treasury for receipts, interest for interest earned) go negative by the
// money that came in; every other account never goes below 0.
//
// Accounts (strings, the store keeps them as written):
//   treasury                    external: where received allocations come from
//   interest                    external: where interest earned comes from
//   allocation:<a>              money of allocation a not yet budgeted to a project
//   project:<p>:<a>             money of allocation a budgeted to project p, not yet paid out
//   deposit:<p>:<a>             quality deposit of project p held back from a's money (unspent)
//   payee:<y>                   paid out to contractor or beneficiary y (= spent)
// (The deposit account carries the allocation too, so the trail of each allocation's money stays
// whole; "deposit:<project>" of the brief is the sum over its allocations.)
//
// A disbursement that keeps a quality deposit is two entries posted together in one batch: a
// `disburse` (project → payee, the amount paid now) and a `retain_deposit` (project → deposit).
//
// Pure: no I/O, no clock; dates come in. Money is Fen (int64), never floating point.
// Contract: FundLedger is a value; not thread-safe for concurrent mutation (copy it per thread).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/date.h"
#include "core/error.h"
#include "core/household.h"

namespace jz {

// --- Settings (plan key [funds]) -----------------------------------------------------------------

// A fund source (资金来源). `special_poverty`: special poverty funds (财政专项扶贫资金), to which the
// negative list applies.
struct FundSource {
    std::string code;  // [a-z0-9_]{1,40}
    std::string name;  // 均衡性转移支付
    bool special_poverty = false;
    bool operator==(const FundSource&) const = default;
};

// The five sources the plan names (assistance-practice.md "Funds"): equalisation_transfer,
// poverty_development (special poverty funds), social, agriculture_related, aid_tibet.
const std::vector<FundSource>& BuiltinFundSources();

// The reference's negative list for special poverty funds, as use codes: administrative_costs,
// vehicles_communications, bonuses_allowances, enterprise_losses, office_buildings,
// budget_gaps_debt, large_medium_infrastructure, urban_infrastructure, unrelated_to_poverty.
const std::vector<std::string>& DefaultNegativeList();

// Settings of funds (plan key [funds]); each has a default from the reference when the plan is silent.
struct PlanFunds {
    // Cumulative payments to payees a project may have had, in percent of its base amount (the
    // approved amount, the re-approved one when set, or what was budgeted when more), by state.
    int stage_approved_percent = 0;           // approved, not started: no payment
    int stage_started_percent = 40;           // 40% at start
    int stage_near_completion_percent = 90;   // + 50% near completion
    int stage_accepted_percent = 100;         // + 10% after acceptance (also closed)
    int overrun_permille = 100;               // budget may exceed approved by 10% without re-approval
    int deposit_max_permille = 100;           // quality deposit held at most 10% of the base amount
    int idle_days = 180;                      // allocated money not spent after this many days: a finding
    int notice_days = 10;                     // a project's publicity notice (公示) runs at least this many days
    std::vector<std::string> negative_list = DefaultNegativeList();
    std::vector<FundSource> sources;          // extra sources beyond the built-in five
    bool operator==(const PlanFunds&) const = default;
};

// Built-in sources followed by the plan's extra ones.
std::vector<FundSource> FundSources(const PlanFunds& settings);

// --- Records -------------------------------------------------------------------------------------

// An allocation (资金拨付): a document granting an amount of one source for a year.
struct Allocation {
    int64_t id = 0;  // > 0, given by the store
    std::string source;           // FundSource::code
    std::string document_number;  // 藏财农字〔2017〕12号
    int year = 0;
    Fen amount = 0;                    // as the document states; receipts may not exceed it
    std::vector<std::string> earmark;  // allowed use codes; empty: any use (not on the negative list)
    bool operator==(const Allocation&) const = default;
};

enum class ProjectState { kApproved, kStarted, kNearCompletion, kAccepted, kClosed };
std::string_view ProjectStateName(ProjectState s);  // approved / started / near_completion / accepted / closed
std::optional<ProjectState> ParseProjectState(std::string_view name);

// A project, the money view only (the project library proper is not built yet).
struct FundProject {
    int64_t id = 0;
    std::string name;
    std::string division_code;  // township (9) or village (12) code
    std::string use;            // use code, checked against earmarks and the negative list
    Fen approved = 0;
    std::optional<Fen> reapproved;  // re-approved amount after an overrun
    ProjectState state = ProjectState::kApproved;
    bool operator==(const FundProject&) const = default;
};

enum class PayeeKind { kContractor, kBeneficiary };
struct Payee {
    int64_t id = 0;
    PayeeKind kind = PayeeKind::kContractor;
    std::string name;
    bool operator==(const Payee&) const = default;
};

// --- Entries -------------------------------------------------------------------------------------

enum class FundEntryKind {
    kReceive,         // treasury → allocation:<a>
    kBudget,          // allocation:<a> → project:<p>:<a>
    kDisburse,        // project:<p>:<a> → payee:<y>
    kRetainDeposit,   // project:<p>:<a> → deposit:<p>:<a>
    kReleaseDeposit,  // deposit:<p>:<a> → payee:<y>
    kInterest,        // interest → allocation:<a>
    kTransfer,        // allocation:<a> → allocation:<to>, only with a decision id
    kReversal,        // the opposite of entry `reverses`
};
std::string_view FundEntryKindName(FundEntryKind k);  // receive, budget, disburse, retain_deposit, ...
std::optional<FundEntryKind> ParseFundEntryKind(std::string_view name);

struct FundEntry {
    int64_t id = 0;  // > 0 and unique, given by the caller (the store)
    Date date;
    FundEntryKind kind = FundEntryKind::kReceive;
    int64_t allocation = 0;     // every kind but reversal (filled in for a reversal by Apply)
    int64_t project = 0;        // budget, disburse, retain_deposit, release_deposit
    int64_t payee = 0;          // disburse, release_deposit
    int64_t to_allocation = 0;  // transfer
    Fen amount = 0;             // > 0 (a reversal: filled in by Apply)
    std::string stage;          // disburse: start / near_completion / acceptance / ... (free text)
    std::string refs;           // document numbers: application, schedule, acceptance form, invoices
    std::string decision_id;    // the approved decision (transfer; budget across earmarks)
    int64_t reverses = 0;       // reversal: the entry reversed
    // Filled in by FundLedger::Apply (ignored on input):
    std::string from_account;
    std::string to_account;
    bool operator==(const FundEntry&) const = default;
};

std::string AllocationAccount(int64_t a);
std::string ProjectAccount(int64_t p, int64_t a);
std::string DepositAccount(int64_t p, int64_t a);
std::string PayeeAccount(int64_t y);
inline constexpr std::string_view kTreasuryAccount = "treasury";
inline constexpr std::string_view kInterestAccount = "interest";
// Accounts that may be negative (the external counterparts).
bool IsExternalAccount(std::string_view account);

// Yuan with exactly 2 decimals ("1234.50", "-0.05"), as the ledger's messages write amounts.
std::string FundYuan(Fen f);

// Largest amount one entry may carry (1e13 yuan): keeps every sum far from overflow.
inline constexpr Fen kMaxFundAmount = 1'000'000'000'000'000LL;

// --- The ledger ----------------------------------------------------------------------------------

struct ProjectMoney {
    Fen budgeted = 0;      // net of reversals
    Fen paid = 0;          // to payees (disbursements and released deposits)
    Fen deposit_held = 0;  // sum of the project's deposit accounts
    bool operator==(const ProjectMoney&) const = default;
};

// Rule ids (Error::code) of a refused entry:
//   fund.amount_invalid          amount ≤ 0 or above kMaxFundAmount, a missing date or reference field
//   fund.unknown                 an allocation, project, payee or fund source the ledger does not know
//   fund.over_allocation         receipts beyond the allocation's amount; budget or transfer beyond
//                                the allocation's unbudgeted balance
//   fund.over_project_amount     payment or deposit beyond the project's budgeted unspent money of that
//                                allocation; a release beyond the deposit held; budget beyond a
//                                re-approved amount
//   fund.negative_list           special poverty funds budgeted to or paying a project whose use is on
//                                the negative list
//   fund.earmark_mismatch        an allocation's money budgeted to a project whose use is outside its
//                                earmark, without a decision id
//   fund.overrun_unapproved      budget total beyond approved × (1 + overrun permille) without re-approval
//   fund.stage_beyond_acceptance cumulative payments beyond the cap of the project's state
//   fund.deposit_over_max        quality deposit held beyond deposit_max_permille of the base amount
//   fund.transfer_without_decision  a transfer without a decision id, or to the same allocation
//   fund.reversal_invalid        reversal of an unknown entry, an entry already reversed, a reversal, or
//                                one whose undoing would make an account negative
//   fund.duplicate_id            an entry id already used (or ≤ 0)
class FundLedger {
public:
    explicit FundLedger(PlanFunds settings = {});

    // Reference data. Add* replaces a record with the same id (a project's state or re-approval changes).
    Result<void> AddAllocation(const Allocation& a);
    Result<void> AddProject(const FundProject& p);
    Result<void> AddPayee(const Payee& y);

    // Checks every rule first; a refusal leaves the ledger unchanged. On success returns the entry
    // with from/to accounts (and, for a reversal, the reversed entry's references and amount).
    Result<FundEntry> Apply(const FundEntry& entry);

    // Loading a part of the state (the store loads only what a batch touches): a balance, a
    // project's money, an allocation's receipts, an earlier entry (and whether it was reversed).
    void RestoreBalance(const std::string& account, Fen balance) { balances_[account] = balance; }
    void RestoreProjectMoney(int64_t project, const ProjectMoney& m) { projects_money_[project] = m; }
    void RestoreReceived(int64_t allocation, Fen received) { received_[allocation] = received; }
    void RestoreEntry(const FundEntry& applied, bool reversed);
    void RestoreUsedId(int64_t id) { used_ids_.insert(id); }
    // Drops the entries applied or restored so far (reversals and ids): a ledger kept across batches
    // by the store stays as large as its accounts, not its history. The store loads the entries a
    // later batch reverses again, and gives ids above every stored one.
    void ForgetEntries() {
        entries_.clear();
        used_ids_.clear();
    }

    Fen Balance(std::string_view account) const;
    ProjectMoney Project(int64_t project) const;
    Fen Received(int64_t allocation) const;
    const std::unordered_map<std::string, Fen>& balances() const { return balances_; }
    const PlanFunds& settings() const { return settings_; }
    const Allocation* FindAllocation(int64_t id) const;
    const FundProject* FindProject(int64_t id) const;
    const Payee* FindPayee(int64_t id) const;
    const std::map<int64_t, Allocation>& allocations() const { return allocations_; }
    // The cap on cumulative payments of a project in its state, in fen.
    Fen StageCap(const FundProject& p) const;
    Fen BaseAmount(const FundProject& p) const;

private:
    struct Known {
        FundEntry entry;
        bool reversed = false;
    };
    Result<FundEntry> Check(const FundEntry& e) const;

    PlanFunds settings_;
    std::vector<FundSource> sources_;
    std::map<int64_t, Allocation> allocations_;
    std::map<int64_t, FundProject> projects_;
    std::map<int64_t, Payee> payees_;
    std::unordered_map<std::string, Fen> balances_;
    std::unordered_map<int64_t, ProjectMoney> projects_money_;
    std::unordered_map<int64_t, Fen> received_;
    std::unordered_map<int64_t, Known> entries_;  // entries a reversal may name
    std::unordered_set<int64_t> used_ids_;
};

// Balances recounted from applied entries (from/to filled), for checks: each entry subtracts its
// amount from `from_account` and adds it to `to_account`. Accounts that end at 0 are kept.
std::map<std::string, Fen> RecountFundBalances(std::span<const FundEntry> applied);

// --- Findings ------------------------------------------------------------------------------------

// Idle funds (资金闲置): an allocation with money not spent (unbudgeted plus budgeted unpaid, the
// deposits excluded — they are held by rule) when its last spending (a disbursement or release of its
// money; its first receipt when none) is at least idle_days before `as_of`.
struct IdleFund {
    int64_t allocation = 0;
    Fen unspent = 0;
    Date since;  // the last spending (or first receipt)
    long days = 0;
    bool operator==(const IdleFund&) const = default;
};
std::vector<IdleFund> FindIdleFunds(const FundLedger& ledger, std::span<const FundEntry> applied, Date as_of);

}  // namespace jz
