// Properties of the funds ledger (issue 16's acceptance): any sequence of generated operations —
// valid and invalid mixed: receipts, budgets, payments, deposits, releases, interest, transfers with
// and without decisions, reversals of any id, project state changes and re-approvals — keeps
//   - the sum of all account balances 0,
//   - no allocation, project, deposit or payee account negative,
//   - the balances equal to a recount from the accepted entries,
//   - a refused entry leaving the state exactly as it was.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "core/funds.h"

namespace jz {
namespace {

struct Op {
    int kind = 0;  // 0..7 FundEntryKind, 8: project state change, 9: re-approval
    int64_t allocation = 0, project = 0, payee = 0, to_allocation = 0, reverses = 0;
    Fen amount = 0;
    bool decision = false;
    int state = 0;
};

rc::Gen<Op> GenOp() {
    return rc::gen::apply(
        [](int kind, int a, int p, int y, int to, int rev, Fen amount, bool decision, int state) {
            Op op;
            op.kind = kind;
            op.allocation = a;
            op.project = p;
            op.payee = y;
            op.to_allocation = to;
            op.reverses = rev;
            op.amount = amount;
            op.decision = decision;
            op.state = state;
            return op;
        },
        rc::gen::inRange(0, 10), rc::gen::inRange(0, 4), rc::gen::inRange(9, 14), rc::gen::inRange(100, 103),
        rc::gen::inRange(0, 5), rc::gen::inRange(-1, 60),
        rc::gen::weightedOneOf<Fen>({{1, rc::gen::inRange<Fen>(-10, 10)}, {6, rc::gen::inRange<Fen>(1, 2'000'000)},
                                     {1, rc::gen::inRange<Fen>(1, 200'000'000)}}),
        rc::gen::arbitrary<bool>(), rc::gen::inRange(0, 5));
}

RC_GTEST_PROP(FundsProperty, BalancedNeverNegativeAndEqualToRecount, ()) {
    const std::vector<Op> ops = *rc::gen::container<std::vector<Op>>(GenOp());
    FundLedger ledger;
    RC_ASSERT(ledger.AddAllocation({1, "poverty_development", "d1", 2018, 100'000'000, {"roads"}}).has_value());
    RC_ASSERT(ledger.AddAllocation({2, "aid_tibet", "d2", 2018, 50'000'000, {}}).has_value());
    RC_ASSERT(ledger.AddAllocation({3, "social", "d3", 2019, 20'000'000, {"housing", "roads"}}).has_value());
    const char* uses[] = {"roads", "housing", "office_buildings", "water"};
    for (int p = 10; p <= 13; ++p)
        RC_ASSERT(ledger.AddProject({p, "p", "540425100201", uses[p - 10], 10'000'000 * (p - 9), std::nullopt,
                                     ProjectState::kStarted})
                      .has_value());
    RC_ASSERT(ledger.AddPayee({100, PayeeKind::kContractor, "c"}).has_value());
    RC_ASSERT(ledger.AddPayee({101, PayeeKind::kBeneficiary, "b"}).has_value());

    // A valid start (received in full, budgeted to every project), then the generated operations.
    std::vector<Op> all;
    for (int64_t a = 1; a <= 3; ++a) all.push_back(Op{0, a, 0, 0, 0, 0, a == 1 ? 100'000'000 : a == 2 ? 50'000'000 : 20'000'000});
    all.push_back(Op{1, 1, 10, 0, 0, 0, 5'000'000});
    all.push_back(Op{1, 2, 11, 0, 0, 0, 10'000'000});
    all.push_back(Op{1, 2, 12, 0, 0, 0, 10'000'000});
    all.push_back(Op{1, 3, 13, 0, 0, 0, 5'000'000, true});
    all.insert(all.end(), ops.begin(), ops.end());
    std::vector<FundEntry> accepted;
    int64_t id = 0;
    for (const Op& op : all) {
        if (op.kind == 8 || op.kind == 9) {
            const FundProject* p = ledger.FindProject(op.project);
            if (!p) continue;
            FundProject changed = *p;
            if (op.kind == 8) changed.state = static_cast<ProjectState>(op.state);
            else changed.reapproved = changed.approved + op.amount;
            if (changed.reapproved && *changed.reapproved < 0) changed.reapproved.reset();
            RC_ASSERT(ledger.AddProject(changed).has_value());
            continue;
        }
        FundEntry e;
        e.id = ++id;
        e.date = Date{2018, 1, 1};
        e.kind = static_cast<FundEntryKind>(op.kind);
        e.allocation = op.allocation;
        e.project = op.project;
        e.payee = op.payee;
        e.to_allocation = op.to_allocation;
        e.amount = op.amount;
        e.reverses = op.reverses;
        if (op.decision) e.decision_id = "决定";
        const auto before = ledger.balances();
        const ProjectMoney money = ledger.Project(op.project);
        const auto r = ledger.Apply(e);
        if (r) {
            accepted.push_back(*r);
        } else {
            RC_ASSERT(!r.error().code.empty());
            RC_ASSERT(r.error().code.starts_with("fund."));
            RC_ASSERT(ledger.balances() == before);
            RC_ASSERT(ledger.Project(op.project) == money);
        }
        Fen sum = 0;
        for (const auto& [account, balance] : ledger.balances()) {
            sum += balance;
            if (!IsExternalAccount(account)) RC_ASSERT(balance >= 0);
        }
        RC_ASSERT(sum == 0);
    }
    RC_CLASSIFY(accepted.size() >= 10, "10+ entries accepted");
    RC_CLASSIFY(std::any_of(accepted.begin(), accepted.end(),
                            [](const FundEntry& e) { return e.kind == FundEntryKind::kReversal; }),
                "a reversal accepted");
    RC_CLASSIFY(std::any_of(accepted.begin(), accepted.end(),
                            [](const FundEntry& e) { return e.to_account.starts_with("payee:"); }),
                "a payment accepted");
    const std::map<std::string, Fen> recount = RecountFundBalances(accepted);
    for (const auto& [account, balance] : ledger.balances()) {
        auto it = recount.find(account);
        RC_ASSERT(balance == (it == recount.end() ? 0 : it->second));
    }
    for (const auto& [account, balance] : recount) RC_ASSERT(ledger.Balance(account) == balance);
    // Each project's paid money equals its payee-bound entries minus their reversals.
    std::map<int64_t, Fen> paid;
    for (const FundEntry& e : accepted)
        if (e.to_account.starts_with("payee:")) paid[e.project] += e.amount;
        else if (e.from_account.starts_with("payee:")) paid[e.project] -= e.amount;
    for (int p = 10; p <= 13; ++p) RC_ASSERT(ledger.Project(p).paid == paid[p]);
}

}  // namespace
}  // namespace jz
