#include "cli/demo_funds.h"

#include <algorithm>
#include <map>
#include <set>

#include "service/funds.h"

namespace jz::cli {
namespace {

struct Fund {
    int year = 0;
    int measure = 0;
    Fen amount = 0;                              // the items' one-off amounts
    std::map<std::string, int> townships;        // township → items
    std::vector<std::string> households;         // in order of appearance, distinct
    std::set<std::string> seen;
};

Date Day(int year, int month, int day) { return Date{year, month, day}; }

}  // namespace

Result<FundsCounts> WriteDemoFunds(Session& session, const Date& as_of, const ChangeContext& change) {
    Store& store = *session.store;
    const Plan& plan = session.plan;
    // The fund references of the items, with their amounts, townships and households.
    std::map<std::string, Fund> funds;
    AssistanceFilter f;
    f.limit = 5000;
    for (;;) {
        auto page = store.ListAssistance(f);
        if (!page) return std::unexpected(page.error());
        for (const AssistanceRecord& r : *page) {
            const std::string& ref = r.item.fund_ref;
            if (ref.size() != 9 || !ref.starts_with("FP")) continue;
            Fund& x = funds[ref];
            x.year = std::atoi(ref.substr(2, 4).c_str());
            x.measure = std::atoi(ref.substr(7, 2).c_str());
            x.amount += r.item.amount.value_or(0);
            if (r.division_code.size() >= 9) ++x.townships[r.division_code.substr(0, 9)];
            if (x.seen.insert(r.item.household_code).second && x.households.size() < 100)
                x.households.push_back(r.item.household_code);
        }
        if (static_cast<int64_t>(page->size()) < f.limit) break;
        f.after_code = page->back().item.item_code;
    }
    FundsCounts counts;
    if (funds.empty()) return counts;
    const ProjectActor county{Role::kAdmin, plan.county_code, change.actor, change.at};
    auto payee = service::AddPayee(store, Payee{0, PayeeKind::kContractor, "察隅县扶贫项目实施单位"}, change);
    if (!payee) return std::unexpected(payee.error());
    // One allocation of special poverty funds per year, 20% above what its projects need.
    std::map<int, Fen> need;
    for (const auto& [code, x] : funds) need[x.year] += std::max<Fen>(x.amount, 100'000 * 100);
    std::map<int, int64_t> allocation_of;
    for (const auto& [year, amount] : need) {
        Allocation a{0, "poverty_development", "藏财农〔" + std::to_string(year) + "〕1号", year, amount / 5 * 6, {}};
        auto added = service::AddAllocation(store, plan, a, change);
        if (!added) return std::unexpected(added.error());
        allocation_of[year] = added->id;
        ++counts.allocations;
        FundEntry receive{.date = Day(year, 3, 1), .kind = FundEntryKind::kReceive, .allocation = added->id,
                          .amount = added->amount, .refs = "到账通知"};
        auto posted = service::PostEntries(store, plan, {receive}, as_of, change);
        if (!posted) return std::unexpected(posted.error());
        ++counts.entries;
    }
    for (const auto& [code, x] : funds) {
        if (x.townships.empty()) continue;
        const std::string township =
            std::max_element(x.townships.begin(), x.townships.end(),
                             [](const auto& a, const auto& b) { return a.second < b.second; })
                ->first;
        const auto measure = std::find_if(plan.measures.begin(), plan.measures.end(),
                                          [&](const PlanMeasure& m) { return m.number == x.measure; });
        LibraryProject p;
        p.code = code;
        p.name = std::to_string(x.year) + "年" + (measure != plan.measures.end() ? measure->name : "扶贫措施" + std::to_string(x.measure));
        p.division_code = township;
        p.task = p.name + "项目";
        p.subsidy_standard = "按县扶贫开发领导小组批复标准";
        p.use = "measure_" + std::to_string(x.measure);
        p.approved = std::max<Fen>(x.amount, 100'000 * 100);
        p.sources = {{"poverty_development", p.approved}};
        p.period_start = Day(x.year, 4, 1);
        p.period_end = Day(x.year, 11, 30);
        p.unit = "县扶贫开发办公室";
        p.responsible = "项目负责人";
        p.performance_target = "带动建档立卡贫困户增收";
        for (const std::string& h : x.households) p.beneficiaries.push_back({h, "直接受益"});
        auto applied = service::ApplyProject(store, plan, p, Day(x.year, 2, 1), "", county, change);
        if (!applied) return std::unexpected(applied.error());
        const int64_t id = applied->id;
        ++counts.projects;
        const bool closed = x.year < as_of.year;
        std::vector<std::pair<const char*, Date>> steps{
            {"notice", Day(x.year, 2, 2)},  {"review", Day(x.year, 2, 12)}, {"appraise", Day(x.year, 2, 13)},
            {"notice", Day(x.year, 2, 14)}, {"approve", Day(x.year, 2, 24)}};
        if (Day(x.year, 4, 1) <= as_of) steps.push_back({"start", Day(x.year, 4, 1)});
        if (closed) {
            steps.push_back({"near_completion", Day(x.year, 9, 1)});
            steps.push_back({"accept", Day(x.year, 11, 30)});
            steps.push_back({"close", Day(x.year, 12, 20)});
        }
        for (const auto& [step, date] : steps) {
            ProjectStepRequest req{.step = step, .date = date};
            auto r = service::TakeProjectStep(store, plan, id, req, std::nullopt, county, change);
            if (!r) return std::unexpected(r.error());
        }
        // Budgeted in March; paid 40% at the start, the rest when closed.
        const int64_t a = allocation_of[x.year];
        std::vector<FundEntry> batch{FundEntry{.date = Day(x.year, 3, 5), .kind = FundEntryKind::kBudget,
                                               .allocation = a, .project = id, .amount = p.approved, .refs = "批复"}};
        if (Day(x.year, 4, 1) <= as_of)
            batch.push_back(FundEntry{.date = Day(x.year, 4, 10), .kind = FundEntryKind::kDisburse, .allocation = a,
                                      .project = id, .payee = payee->id, .amount = p.approved / 10 * 4,
                                      .stage = "start", .refs = "报账单"});
        auto posted = service::PostEntries(store, plan, batch, as_of, change);
        if (!posted) return std::unexpected(posted.error());
        counts.entries += static_cast<int64_t>(posted->size());
        if (closed) {
            FundEntry rest{.date = Day(x.year, 12, 25), .kind = FundEntryKind::kDisburse, .allocation = a,
                           .project = id, .payee = payee->id, .amount = p.approved - p.approved / 10 * 4,
                           .stage = "acceptance", .refs = "验收报账单"};
            auto paid = service::PostEntries(store, plan, {rest}, as_of, change);
            if (!paid) return std::unexpected(paid.error());
            ++counts.entries;
        }
    }
    return counts;
}

}  // namespace jz::cli
