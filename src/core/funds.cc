#include "core/funds.h"

#include <algorithm>

namespace jz {

namespace {

}  // namespace

std::string FundYuan(Fen f) {
    const bool neg = f < 0;
    const unsigned long long u = neg ? 0ULL - static_cast<unsigned long long>(f) : static_cast<unsigned long long>(f);
    std::string cents = std::to_string(u % 100);
    if (cents.size() < 2) cents.insert(0, "0");
    return (neg ? "-" : "") + std::to_string(u / 100) + "." + cents;
}

namespace {

std::string Yuan(Fen f) { return FundYuan(f) + "元"; }
std::string YuanEn(Fen f) { return FundYuan(f) + " yuan"; }

std::unexpected<Error> Refuse(std::string code, std::string zh, std::string en) {
    return Fail(std::move(code), "entry", std::move(zh), std::move(en));
}

constexpr std::pair<ProjectState, std::string_view> kStates[] = {
    {ProjectState::kApproved, "approved"},
    {ProjectState::kStarted, "started"},
    {ProjectState::kNearCompletion, "near_completion"},
    {ProjectState::kAccepted, "accepted"},
    {ProjectState::kClosed, "closed"},
};

constexpr std::pair<FundEntryKind, std::string_view> kKinds[] = {
    {FundEntryKind::kReceive, "receive"},
    {FundEntryKind::kBudget, "budget"},
    {FundEntryKind::kDisburse, "disburse"},
    {FundEntryKind::kRetainDeposit, "retain_deposit"},
    {FundEntryKind::kReleaseDeposit, "release_deposit"},
    {FundEntryKind::kInterest, "interest"},
    {FundEntryKind::kTransfer, "transfer"},
    {FundEntryKind::kReversal, "reversal"},
};

bool Contains(const std::vector<std::string>& v, std::string_view s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

// a × permille / 1000, rounded down, without overflow for a ≤ kMaxFundAmount-scale sums.
Fen PerMille(Fen a, int permille) { return static_cast<Fen>((static_cast<__int128>(a) * permille) / 1000); }

}  // namespace

const std::vector<FundSource>& BuiltinFundSources() {
    static const std::vector<FundSource> s{
        {"equalisation_transfer", "均衡性转移支付", false},
        {"poverty_development", "扶贫开发资金", true},
        {"social", "社会资金", false},
        {"agriculture_related", "涉农资金", false},
        {"aid_tibet", "援藏资金", false},
    };
    return s;
}

const std::vector<std::string>& DefaultNegativeList() {
    static const std::vector<std::string> v{
        "administrative_costs", "vehicles_communications", "bonuses_allowances",
        "enterprise_losses",    "office_buildings",        "budget_gaps_debt",
        "large_medium_infrastructure", "urban_infrastructure", "unrelated_to_poverty"};
    return v;
}

std::vector<FundSource> FundSources(const PlanFunds& settings) {
    std::vector<FundSource> all = BuiltinFundSources();
    all.insert(all.end(), settings.sources.begin(), settings.sources.end());
    return all;
}

std::string_view ProjectStateName(ProjectState s) {
    for (auto& [v, n] : kStates)
        if (v == s) return n;
    return {};
}
std::optional<ProjectState> ParseProjectState(std::string_view name) {
    for (auto& [v, n] : kStates)
        if (n == name) return v;
    return std::nullopt;
}
std::string_view FundEntryKindName(FundEntryKind k) {
    for (auto& [v, n] : kKinds)
        if (v == k) return n;
    return {};
}
std::optional<FundEntryKind> ParseFundEntryKind(std::string_view name) {
    for (auto& [v, n] : kKinds)
        if (n == name) return v;
    return std::nullopt;
}

std::string AllocationAccount(int64_t a) { return "allocation:" + std::to_string(a); }
std::string ProjectAccount(int64_t p, int64_t a) { return "project:" + std::to_string(p) + ":" + std::to_string(a); }
std::string DepositAccount(int64_t p, int64_t a) { return "deposit:" + std::to_string(p) + ":" + std::to_string(a); }
std::string PayeeAccount(int64_t y) { return "payee:" + std::to_string(y); }
bool IsExternalAccount(std::string_view account) { return account == kTreasuryAccount || account == kInterestAccount; }

FundLedger::FundLedger(PlanFunds settings) : settings_(std::move(settings)), sources_(FundSources(settings_)) {}

Result<void> FundLedger::AddAllocation(const Allocation& a) {
    if (a.id <= 0) return Fail("fund.amount_invalid", "id", "拨付编号须为正数", "an allocation id must be positive");
    if (a.amount <= 0 || a.amount > kMaxFundAmount)
        return Fail("fund.amount_invalid", "amount", "拨付金额须大于0(" + Yuan(a.amount) + ")",
                    "an allocation's amount must be above 0 (" + YuanEn(a.amount) + ")");
    if (std::none_of(sources_.begin(), sources_.end(), [&](const FundSource& s) { return s.code == a.source; }))
        return Fail("fund.unknown", "source", "未知的资金来源: " + a.source, "unknown fund source: " + a.source);
    allocations_[a.id] = a;
    return {};
}

Result<void> FundLedger::AddProject(const FundProject& p) {
    if (p.id <= 0) return Fail("fund.amount_invalid", "id", "项目编号须为正数", "a project id must be positive");
    if (p.approved < 0 || p.approved > kMaxFundAmount || (p.reapproved && (*p.reapproved < 0 || *p.reapproved > kMaxFundAmount)))
        return Fail("fund.amount_invalid", "approved", "项目批复金额无效(" + Yuan(p.approved) + ")",
                    "a project's approved amount is invalid (" + YuanEn(p.approved) + ")");
    projects_[p.id] = p;
    return {};
}

Result<void> FundLedger::AddPayee(const Payee& y) {
    if (y.id <= 0) return Fail("fund.amount_invalid", "id", "收款人编号须为正数", "a payee id must be positive");
    payees_[y.id] = y;
    return {};
}

const Allocation* FundLedger::FindAllocation(int64_t id) const {
    auto it = allocations_.find(id);
    return it == allocations_.end() ? nullptr : &it->second;
}
const FundProject* FundLedger::FindProject(int64_t id) const {
    auto it = projects_.find(id);
    return it == projects_.end() ? nullptr : &it->second;
}
const Payee* FundLedger::FindPayee(int64_t id) const {
    auto it = payees_.find(id);
    return it == payees_.end() ? nullptr : &it->second;
}

Fen FundLedger::Balance(std::string_view account) const {
    auto it = balances_.find(std::string(account));
    return it == balances_.end() ? 0 : it->second;
}
ProjectMoney FundLedger::Project(int64_t project) const {
    auto it = projects_money_.find(project);
    return it == projects_money_.end() ? ProjectMoney{} : it->second;
}
Fen FundLedger::Received(int64_t allocation) const {
    auto it = received_.find(allocation);
    return it == received_.end() ? 0 : it->second;
}

void FundLedger::RestoreEntry(const FundEntry& applied, bool reversed) {
    used_ids_.insert(applied.id);
    entries_[applied.id] = Known{applied, reversed};
}

Fen FundLedger::BaseAmount(const FundProject& p) const {
    return std::max(p.reapproved.value_or(p.approved), Project(p.id).budgeted);
}

Fen FundLedger::StageCap(const FundProject& p) const {
    int pct = 0;
    switch (p.state) {
        case ProjectState::kApproved: pct = settings_.stage_approved_percent; break;
        case ProjectState::kStarted: pct = settings_.stage_started_percent; break;
        case ProjectState::kNearCompletion: pct = settings_.stage_near_completion_percent; break;
        case ProjectState::kAccepted:
        case ProjectState::kClosed: pct = settings_.stage_accepted_percent; break;
    }
    return PerMille(BaseAmount(p), pct * 10);
}

Result<FundEntry> FundLedger::Check(const FundEntry& in) const {
    FundEntry e = in;
    if (e.id <= 0 || used_ids_.contains(e.id))
        return Refuse("fund.duplicate_id", "分录编号" + std::to_string(e.id) + "无效或已使用",
                      "entry id " + std::to_string(e.id) + " is invalid or already used");
    if (!Date::IsValid(e.date.year, e.date.month, e.date.day))
        return Refuse("fund.amount_invalid", "分录缺少有效日期", "the entry has no valid date");

    if (e.kind == FundEntryKind::kReversal) {
        auto it = entries_.find(e.reverses);
        if (e.reverses <= 0 || it == entries_.end())
            return Refuse("fund.reversal_invalid", "冲销的分录" + std::to_string(e.reverses) + "不存在",
                          "the entry to reverse, " + std::to_string(e.reverses) + ", does not exist");
        const Known& k = it->second;
        if (k.entry.kind == FundEntryKind::kReversal)
            return Refuse("fund.reversal_invalid", "不能冲销冲销分录" + std::to_string(e.reverses),
                          "entry " + std::to_string(e.reverses) + " is a reversal and cannot be reversed");
        if (k.reversed)
            return Refuse("fund.reversal_invalid", "分录" + std::to_string(e.reverses) + "已被冲销",
                          "entry " + std::to_string(e.reverses) + " was already reversed");
        const Fen have = Balance(k.entry.to_account);
        if (!IsExternalAccount(k.entry.to_account) && have < k.entry.amount)
            return Refuse("fund.reversal_invalid",
                          "冲销分录" + std::to_string(e.reverses) + "需从" + k.entry.to_account + "退回" +
                              Yuan(k.entry.amount) + ",但余额只有" + Yuan(have),
                          "reversing entry " + std::to_string(e.reverses) + " takes " + YuanEn(k.entry.amount) +
                              " back from " + k.entry.to_account + ", which holds only " + YuanEn(have));
        e.allocation = k.entry.allocation;
        e.project = k.entry.project;
        e.payee = k.entry.payee;
        e.to_allocation = k.entry.to_allocation;
        e.amount = k.entry.amount;
        e.from_account = k.entry.to_account;
        e.to_account = k.entry.from_account;
        return e;
    }

    if (e.amount <= 0 || e.amount > kMaxFundAmount)
        return Refuse("fund.amount_invalid", "金额须大于0且不超过上限(" + Yuan(e.amount) + ")",
                      "the amount must be above 0 and within the limit (" + YuanEn(e.amount) + ")");
    const Allocation* a = FindAllocation(e.allocation);
    if (!a)
        return Refuse("fund.unknown", "未知的资金拨付" + std::to_string(e.allocation),
                      "unknown allocation " + std::to_string(e.allocation));
    const bool needs_project = e.kind == FundEntryKind::kBudget || e.kind == FundEntryKind::kDisburse ||
                               e.kind == FundEntryKind::kRetainDeposit || e.kind == FundEntryKind::kReleaseDeposit;
    const FundProject* p = needs_project ? FindProject(e.project) : nullptr;
    if (needs_project && !p)
        return Refuse("fund.unknown", "未知的项目" + std::to_string(e.project), "unknown project " + std::to_string(e.project));
    const bool needs_payee = e.kind == FundEntryKind::kDisburse || e.kind == FundEntryKind::kReleaseDeposit;
    if (needs_payee && !FindPayee(e.payee))
        return Refuse("fund.unknown", "未知的收款人" + std::to_string(e.payee), "unknown payee " + std::to_string(e.payee));

    const bool special = std::any_of(sources_.begin(), sources_.end(), [&](const FundSource& s) {
        return s.code == a->source && s.special_poverty;
    });
    auto negative_list = [&]() -> Result<void> {
        if (special && Contains(settings_.negative_list, p->use))
            return Refuse("fund.negative_list",
                          "专项扶贫资金(拨付" + std::to_string(a->id) + ")不得用于负面清单用途" + p->use + "(项目" +
                              std::to_string(p->id) + "," + Yuan(e.amount) + ")",
                          "special poverty funds (allocation " + std::to_string(a->id) +
                              ") may not pay for a use on the negative list, " + p->use + " (project " +
                              std::to_string(p->id) + ", " + YuanEn(e.amount) + ")");
        return {};
    };
    const std::string alloc_acct = AllocationAccount(a->id);

    switch (e.kind) {
        case FundEntryKind::kReceive: {
            const Fen received = Received(a->id);
            if (received + e.amount > a->amount)
                return Refuse("fund.over_allocation",
                              "到账" + Yuan(e.amount) + "后累计" + Yuan(received + e.amount) + ",超过拨付文件金额" +
                                  Yuan(a->amount) + "(" + a->document_number + ")",
                              "receiving " + YuanEn(e.amount) + " brings receipts to " + YuanEn(received + e.amount) +
                                  ", beyond the allocation's " + YuanEn(a->amount) + " (" + a->document_number + ")");
            e.from_account = std::string(kTreasuryAccount);
            e.to_account = alloc_acct;
            return e;
        }
        case FundEntryKind::kInterest:
            e.from_account = std::string(kInterestAccount);
            e.to_account = alloc_acct;
            return e;
        case FundEntryKind::kTransfer: {
            if (e.decision_id.empty())
                return Refuse("fund.transfer_without_decision",
                              "调整用途(" + Yuan(e.amount) + ",拨付" + std::to_string(a->id) + "→" +
                                  std::to_string(e.to_allocation) + ")须有经批准的决定",
                              "a transfer between earmarks (" + YuanEn(e.amount) + ", allocation " +
                                  std::to_string(a->id) + " → " + std::to_string(e.to_allocation) +
                                  ") needs a recorded approved decision");
            if (e.to_allocation == a->id)
                return Refuse("fund.transfer_without_decision", "调整用途须转入另一笔拨付",
                              "a transfer must go to another allocation");
            if (!FindAllocation(e.to_allocation))
                return Refuse("fund.unknown", "未知的资金拨付" + std::to_string(e.to_allocation),
                              "unknown allocation " + std::to_string(e.to_allocation));
            const Fen have = Balance(alloc_acct);
            if (e.amount > have)
                return Refuse("fund.over_allocation",
                              "调出" + Yuan(e.amount) + "超过拨付" + std::to_string(a->id) + "未安排余额" + Yuan(have),
                              "transferring " + YuanEn(e.amount) + " exceeds allocation " + std::to_string(a->id) +
                                  "'s unbudgeted balance of " + YuanEn(have));
            e.from_account = alloc_acct;
            e.to_account = AllocationAccount(e.to_allocation);
            return e;
        }
        case FundEntryKind::kBudget: {
            const Fen have = Balance(alloc_acct);
            if (e.amount > have)
                return Refuse("fund.over_allocation",
                              "安排" + Yuan(e.amount) + "超过拨付" + std::to_string(a->id) + "未安排余额" + Yuan(have),
                              "budgeting " + YuanEn(e.amount) + " exceeds allocation " + std::to_string(a->id) +
                                  "'s unbudgeted balance of " + YuanEn(have));
            if (auto r = negative_list(); !r) return std::unexpected(r.error());
            if (!a->earmark.empty() && !Contains(a->earmark, p->use) && e.decision_id.empty())
                return Refuse("fund.earmark_mismatch",
                              "拨付" + std::to_string(a->id) + "的资金限定用途,不含项目" + std::to_string(p->id) +
                                  "的用途" + p->use + "(" + Yuan(e.amount) + "),须有批准的决定",
                              "allocation " + std::to_string(a->id) + "'s earmark does not include project " +
                                  std::to_string(p->id) + "'s use " + p->use + " (" + YuanEn(e.amount) +
                                  "); a recorded decision is needed");
            const Fen total = Project(p->id).budgeted + e.amount;
            if (p->reapproved) {
                if (total > *p->reapproved)
                    return Refuse("fund.over_project_amount",
                                  "项目" + std::to_string(p->id) + "累计安排" + Yuan(total) + ",超过重新批复金额" +
                                      Yuan(*p->reapproved),
                                  "project " + std::to_string(p->id) + "'s budget would reach " + YuanEn(total) +
                                      ", beyond its re-approved " + YuanEn(*p->reapproved));
            } else {
                const Fen limit = p->approved + PerMille(p->approved, settings_.overrun_permille);
                if (total > limit)
                    return Refuse("fund.overrun_unapproved",
                                  "项目" + std::to_string(p->id) + "累计安排" + Yuan(total) + ",超过批复金额" +
                                      Yuan(p->approved) + "的允许上限" + Yuan(limit) + ",须重新批复",
                                  "project " + std::to_string(p->id) + "'s budget would reach " + YuanEn(total) +
                                      ", beyond " + YuanEn(limit) + " allowed over its approved " +
                                      YuanEn(p->approved) + " without re-approval");
            }
            e.from_account = alloc_acct;
            e.to_account = ProjectAccount(p->id, a->id);
            return e;
        }
        case FundEntryKind::kDisburse:
        case FundEntryKind::kRetainDeposit:
        case FundEntryKind::kReleaseDeposit: {
            if (auto r = negative_list(); !r) return std::unexpected(r.error());
            const bool release = e.kind == FundEntryKind::kReleaseDeposit;
            const std::string from = release ? DepositAccount(p->id, a->id) : ProjectAccount(p->id, a->id);
            const Fen have = Balance(from);
            if (e.amount > have)
                return Refuse("fund.over_project_amount",
                              std::string(release ? "退还质保金" : "支付") + Yuan(e.amount) + "超过项目" +
                                  std::to_string(p->id) + "在拨付" + std::to_string(a->id) + "下的余额" + Yuan(have),
                              std::string(release ? "releasing a deposit of " : "paying ") + YuanEn(e.amount) +
                                  " exceeds project " + std::to_string(p->id) + "'s balance of " + YuanEn(have) +
                                  " from allocation " + std::to_string(a->id));
            const ProjectMoney m = Project(p->id);
            if (e.kind == FundEntryKind::kRetainDeposit) {
                const Fen cap = PerMille(BaseAmount(*p), settings_.deposit_max_permille);
                if (m.deposit_held + e.amount > cap)
                    return Refuse("fund.deposit_over_max",
                                  "项目" + std::to_string(p->id) + "质保金将达" + Yuan(m.deposit_held + e.amount) +
                                      ",超过上限" + Yuan(cap),
                                  "project " + std::to_string(p->id) + "'s quality deposit would reach " +
                                      YuanEn(m.deposit_held + e.amount) + ", beyond the maximum " + YuanEn(cap));
                e.from_account = from;
                e.to_account = DepositAccount(p->id, a->id);
                return e;
            }
            const Fen cap = StageCap(*p);
            if (m.paid + e.amount > cap)
                return Refuse("fund.stage_beyond_acceptance",
                              "项目" + std::to_string(p->id) + "(" + std::string(ProjectStateName(p->state)) +
                                  ")累计支付将达" + Yuan(m.paid + e.amount) + ",超过该阶段上限" + Yuan(cap),
                              "project " + std::to_string(p->id) + " (" + std::string(ProjectStateName(p->state)) +
                                  ") would have been paid " + YuanEn(m.paid + e.amount) + ", beyond its stage cap of " +
                                  YuanEn(cap));
            e.from_account = from;
            e.to_account = PayeeAccount(e.payee);
            return e;
        }
        case FundEntryKind::kReversal: break;
    }
    return Refuse("fund.amount_invalid", "未知的分录类型", "unknown entry kind");
}

Result<FundEntry> FundLedger::Apply(const FundEntry& entry) {
    Result<FundEntry> checked = Check(entry);
    if (!checked) return checked;
    const FundEntry& e = *checked;
    balances_[e.from_account] -= e.amount;
    balances_[e.to_account] += e.amount;
    const bool undo = e.kind == FundEntryKind::kReversal;
    const FundEntryKind kind = undo ? entries_[e.reverses].entry.kind : e.kind;
    const Fen sign = undo ? -1 : 1;
    switch (kind) {
        case FundEntryKind::kReceive: received_[e.allocation] += sign * e.amount; break;
        case FundEntryKind::kBudget: projects_money_[e.project].budgeted += sign * e.amount; break;
        case FundEntryKind::kDisburse: projects_money_[e.project].paid += sign * e.amount; break;
        case FundEntryKind::kRetainDeposit: projects_money_[e.project].deposit_held += sign * e.amount; break;
        case FundEntryKind::kReleaseDeposit:
            projects_money_[e.project].paid += sign * e.amount;
            projects_money_[e.project].deposit_held -= sign * e.amount;
            break;
        default: break;
    }
    if (undo) entries_[e.reverses].reversed = true;
    used_ids_.insert(e.id);
    entries_[e.id] = Known{e, false};
    return checked;
}

std::map<std::string, Fen> RecountFundBalances(std::span<const FundEntry> applied) {
    std::map<std::string, Fen> out;
    for (const FundEntry& e : applied) {
        out[e.from_account] -= e.amount;
        out[e.to_account] += e.amount;
    }
    return out;
}

std::vector<IdleFund> FindIdleFunds(const FundLedger& ledger, std::span<const FundEntry> applied, Date as_of) {
    std::map<int64_t, Date> since;
    for (const FundEntry& e : applied) {
        if (e.kind == FundEntryKind::kReceive && !since.contains(e.allocation)) since[e.allocation] = e.date;
        if (e.kind == FundEntryKind::kDisburse || e.kind == FundEntryKind::kReleaseDeposit) {
            auto it = since.find(e.allocation);
            if (it == since.end() || it->second < e.date) since[e.allocation] = e.date;
        }
    }
    std::map<int64_t, Fen> unspent;
    for (const auto& [account, balance] : ledger.balances()) {
        if (account.starts_with("allocation:")) {
            unspent[std::stoll(account.substr(11))] += balance;
        } else if (account.starts_with("project:")) {
            const size_t colon = account.find(':', 8);
            if (colon != std::string::npos) unspent[std::stoll(account.substr(colon + 1))] += balance;
        }
    }
    std::vector<IdleFund> out;
    const long idle_days = ledger.settings().idle_days;
    for (const auto& [allocation, amount] : unspent) {
        if (amount <= 0) continue;
        auto it = since.find(allocation);
        if (it == since.end()) continue;
        const long days = as_of.DaysSinceEpoch() - it->second.DaysSinceEpoch();
        if (days >= idle_days) out.push_back(IdleFund{allocation, amount, it->second, days});
    }
    return out;
}

}  // namespace jz
