#include "service/periodic_reports.h"

#include "service/as_of.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "core/assistance.h"
#include "core/check.h"
#include "core/procedure.h"
#include "service/battle_map.h"
#include "service/funds.h"
#include "service/pairing.h"
#include "service/reports.h"

namespace jz::service {
namespace {

namespace json = boost::json;

DocColumn Col(std::string id, std::string zh, std::string en, DocCellType type = DocCellType::kInteger) {
    return DocColumn{.id = std::move(id), .title_zh = std::move(zh), .title_en = std::move(en), .type = type};
}
DocValue T(std::string s) { return DocValue{std::move(s)}; }
DocValue I(int64_t v) { return DocValue{v}; }

Date DayBefore(const Date& d) { return Date::FromDaysSinceEpoch(d.DaysSinceEpoch() - 1); }

void NoData(DocSection& s, const std::string& zh, const std::string& en) {
    if (!s.rows.empty()) return;
    s.note_zh = zh;
    s.note_en = en;
}

void AddNote(DocSection& s, const std::string& zh, const std::string& en) {
    s.note_zh += (s.note_zh.empty() ? "" : "；") + zh;
    s.note_en += (s.note_en.empty() ? "" : "; ") + en;
}

bool HasBattleMeasure(const Plan& plan, const std::string& battle, const HouseholdFacts& h) {
    auto in = [&](int number) {
        const PlanMeasure* m = plan.FindMeasure(number);
        return m != nullptr && m->battle == battle;
    };
    if (h.main_measure && in(*h.main_measure)) return true;
    return std::any_of(h.aux_measures.begin(), h.aux_measures.end(), in);
}

// Every household load of this file: the facts of the unit's households (a battle office's: the
// county's with one of its measures) as they stood at the end of each of `dates` (service/as_of.h),
// from one scan: visit(i, facts) for the i-th date.
Result<void> LoadHouseholdsAt(Store& store, const Plan& plan, const ReportUnit& unit, const std::vector<Date>& dates,
                              const std::function<void(size_t, const HouseholdFacts&)>& visit) {
    std::vector<RegistryAsOf> registries;
    for (const Date& on : dates) {
        auto r = RegistryAsOf::Load(store, on, unit.scope);
        if (!r) return std::unexpected(r.error());
        registries.push_back(std::move(*r));
    }
    const auto keep = [&](const HouseholdFacts& h) { return unit.battle.empty() || HasBattleMeasure(plan, unit.battle, h); };
    HouseholdFilter filter;
    filter.division_prefix = unit.scope;
    filter.facts_only = true;
    filter.any_order = true;
    auto scanned = store.ScanFacts(filter, [&](const HouseholdFacts& now) {
        for (size_t i = 0; i < registries.size(); ++i) {
            if (!registries[i].past()) {
                if (keep(now)) visit(i, now);
                continue;
            }
            auto then = registries[i].FactsThen(now);
            if (then && keep(*then)) visit(i, *then);
        }
        return true;
    });
    if (!scanned) return scanned;
    for (size_t i = 0; i < registries.size(); ++i)
        registries[i].EachGone(unit.scope, [&](const HouseholdFacts& h) {
            if (keep(h)) visit(i, h);
        });
    return {};
}

Result<void> LoadHouseholds(Store& store, const Plan& plan, const ReportUnit& unit, const Date& as_of,
                            const std::function<void(const HouseholdFacts&)>& visit) {
    return LoadHouseholdsAt(store, plan, unit, {as_of}, [&](size_t, const HouseholdFacts& h) { visit(h); });
}

// The battle's measures only (a battle office's report).
void KeepBattleMeasures(BattleMap& map, const std::string& battle) {
    if (battle.empty()) return;
    std::erase_if(map.measures, [&](const BattleMapMeasure& m) { return m.battle != battle; });
}

// The unit row, then its children; the unit row is the total.
std::vector<const BattleMapUnit*> UnitRows(const BattleMap& map) {
    std::vector<const BattleMapUnit*> rows;
    for (const BattleMapUnit& c : map.children) rows.push_back(&c);
    rows.push_back(&map.unit);
    return rows;
}

const BattleMapUnit* ChildOf(const BattleMap& map, const std::string& code) {
    if (code == map.unit.code) return &map.unit;
    for (const BattleMapUnit& c : map.children)
        if (c.code == code) return &c;
    return nullptr;
}

int64_t PlannedThisYear(const BattleMapUnit& u, int year) {
    for (const BattleMapYear& y : u.years)
        if (y.year == year) return y.planned_persons;
    return 0;
}

// The child unit (township of a county, village of a township) a division code falls in; the unit
// itself for a village report.
std::string ChildCode(const ReportUnit& unit, const std::string& division) {
    size_t len = unit.level == OrgLevel::kCounty ? 9 : unit.level == OrgLevel::kTownship ? 12 : division.size();
    return division.substr(0, std::min(len, division.size()));
}

struct Context {
    Store& store;
    const Plan& plan;
    const OrgTree& tree;
    ReportUnit unit;
    Period period;
    Date as_of;
    Date today;
    BattleMap now;     // the unit on as_of
    BattleMap before;  // the unit on the day before the period
    std::map<Date, BattleMap> at_end = {};  // the unit at the end of each sub-period before as_of
};

// --- Sections ------------------------------------------------------------------------------------

DocSection TaskSection(const Context& c) {
    DocSection s{.id = "task", .title_zh = "年度任务与脱贫进度", .title_en = "The year's task and exits"};
    s.columns = {Col("unit", "单位", "Unit", DocCellType::kText),
                 Col("task_persons", "年度任务（人）", "Year's task (persons)"),
                 Col("planned_persons", "计划本年退出（人）", "Planned to exit this year (persons)"),
                 Col("exited_this_year", "本年已退出（人）", "Exited this year (persons)"),
                 Col("exited_in_period", "本期退出（人）", "Exited in the period (persons)"),
                 Col("remaining_this_year", "本年尚需退出（人）", "Still to exit this year (persons)"),
                 Col("progress", "完成率", "Done", DocCellType::kPercent)};
    const int year = c.as_of.year;
    for (const BattleMapUnit* u : UnitRows(c.now)) {
        const BattleMapUnit* b = ChildOf(c.before, u->code);
        const int64_t period_exits = u->exited_persons - (b ? b->exited_persons : 0);
        s.rows.push_back(DocRow{.cells = {T(u == &c.now.unit ? u->name + "合计" : u->name), I(u->task_persons),
                                          I(PlannedThisYear(*u, year)), I(u->exited_this_year), I(period_exits),
                                          I(u->remaining_this_year), I(PercentOf(u->exited_this_year, u->task_persons))},
                                .total = u == &c.now.unit});
    }
    AddNote(s, "年度任务为计划目标；本期退出为截至期末与期初前一日已退出人数之差",
            "the year's task is the plan's target; exits in the period are those exited by the period's end "
            "less those exited the day before it began");
    return s;
}

DocSection ScheduleSection(const Context& c) {
    DocSection s{.id = "schedule", .title_zh = "倒排工期（应退未退）", .title_en = "Due and overdue exits"};
    s.columns = {Col("unit", "单位", "Unit", DocCellType::kText),
                 Col("due_households", "本年应退（户）", "Due this year (households)"),
                 Col("due_persons", "本年应退（人）", "Due this year (persons)"),
                 Col("overdue_households", "逾期未退（户）", "Overdue (households)"),
                 Col("overdue_persons", "逾期未退（人）", "Overdue (persons)")};
    for (const BattleMapUnit* u : UnitRows(c.now))
        s.rows.push_back(DocRow{.cells = {T(u == &c.now.unit ? u->name + "合计" : u->name), I(u->due_households),
                                          I(u->due_persons), I(u->overdue_households), I(u->overdue_persons)},
                                .total = u == &c.now.unit});
    AddNote(s, "本年应退：计划本年退出且尚未退出；逾期：计划退出年份已过仍未退出",
            "due: planned to exit this year and not exited; overdue: the planned exit year has passed");
    return s;
}

Result<DocSection> ProceduresSection(const Context& c) {
    DocSection s{.id = "procedures", .title_zh = "未结程序（按下一步层级）", .title_en = "Open procedures by level"};
    s.columns = {Col("level", "层级", "Level", DocCellType::kText), Col("cases", "未结案件", "Open cases"),
                 Col("persons", "涉及人数", "Persons")};
    std::map<int, std::pair<int64_t, int64_t>> by_level;
    // Every case as it stood at the end of as_of: its steps dated by then; open unless the last of
    // them closed it.
    CaseFilter filter;
    filter.division_prefix = c.unit.scope;
    filter.limit = 1000;
    for (;;) {
        auto cases = c.store.ListCases(filter);
        if (!cases) return std::unexpected(cases.error());
        for (const ProcedureCase& now : *cases) {
            ProcedureCase pc = now;
            std::erase_if(pc.steps, [&](const ProcedureStep& st) { return c.as_of < st.date; });
            if (pc.steps.empty()) continue;
            pc.state = pc.steps.back().to_state;
            pc.open = pc.state != "registered" && pc.state != "exited" && pc.state != "rejected" && pc.state != "done";
            if (!pc.open) continue;
            const auto next = NextStepOf(pc, c.plan);
            if (!next) continue;
            auto& [n, persons] = by_level[static_cast<int>(next->level)];
            ++n;
            persons += pc.persons;
        }
        if (static_cast<int64_t>(cases->size()) < filter.limit) break;
        filter.offset += filter.limit;
    }
    int64_t total = 0, total_persons = 0;
    for (Level level : {Level::kVillage, Level::kTownship, Level::kCounty}) {
        const auto it = by_level.find(static_cast<int>(level));
        if (it == by_level.end()) continue;
        s.rows.push_back(DocRow{.cells = {T(std::string(LevelNameZh(level))), I(it->second.first), I(it->second.second)}});
        total += it->second.first;
        total_persons += it->second.second;
    }
    if (!s.rows.empty()) s.rows.push_back(DocRow{.cells = {T("合计"), I(total), I(total_persons)}, .total = true});
    NoData(s, "无未结的识别、退出或调整程序", "no open identification, exit or adjustment procedure");
    AddNote(s, "按截至日期的案件状态统计（此后办理的步骤不计）", "cases as they stood on the day (steps taken after it left out)");
    if (!c.unit.battle.empty()) AddNote(s, "为全县数，不分攻坚战", "county-wide, not split by battle");
    return s;
}

Result<DocSection> VisitsSection(const Context& c) {
    DocSection s{.id = "visits", .title_zh = "本期走访", .title_en = "Visits in the period"};
    s.columns = {Col("unit", "单位", "Unit", DocCellType::kText), Col("visits", "走访次数", "Visits"),
                 Col("households", "走访户数", "Households visited"),
                 Col("far", "位置偏远（次）", "Far from the household (visits)")};
    struct Count {
        int64_t visits = 0, far = 0;
        std::set<std::string> households;
    };
    std::map<std::string, Count> by_child;
    VisitFilter filter;
    filter.division_prefix = c.unit.scope;
    filter.from = c.period.from;
    filter.to = c.as_of;
    filter.limit = 1000;
    for (;;) {
        auto visits = c.store.ListVisits(filter);
        if (!visits) return std::unexpected(visits.error());
        for (const Visit& v : *visits) {
            Count& n = by_child[ChildCode(c.unit, v.division_code)];
            ++n.visits;
            n.far += v.far ? 1 : 0;
            n.households.insert(v.household_code);
            filter.before_id = filter.before_id == 0 ? v.id : std::min(filter.before_id, v.id);
        }
        if (static_cast<int64_t>(visits->size()) < filter.limit) break;
    }
    Count total;
    for (const auto& [code, n] : by_child) {
        const OrgUnit* u = c.tree.Find(code);
        s.rows.push_back(DocRow{.cells = {T(u ? u->name() : code), I(n.visits),
                                          I(static_cast<int64_t>(n.households.size())), I(n.far)}});
        total.visits += n.visits;
        total.far += n.far;
        total.households.insert(n.households.begin(), n.households.end());
    }
    if (!s.rows.empty())
        s.rows.push_back(DocRow{.cells = {T(c.unit.name + "合计"), I(total.visits),
                                          I(static_cast<int64_t>(total.households.size())), I(total.far)},
                                .total = true});
    NoData(s, "本期无走访记录", "no visits recorded in the period");
    if (!c.unit.battle.empty()) AddNote(s, "为全县数，不分攻坚战", "county-wide, not split by battle");
    return s;
}

// Money paid out (to payees, less reversals) dated in the period, by fund source.
Result<DocSection> PaidSection(const Context& c) {
    DocSection s{.id = "funds_paid", .title_zh = "本期资金支出", .title_en = "Money paid in the period"};
    s.columns = {Col("source", "资金来源", "Source", DocCellType::kText), Col("entries", "笔数", "Entries"),
                 Col("amount", "支出金额（元）", "Paid (yuan)", DocCellType::kFen)};
    auto sources = AllFundSources(c.store, c.plan);
    if (!sources) return std::unexpected(sources.error());
    auto allocations = c.store.ListAllocations();
    if (!allocations) return std::unexpected(allocations.error());
    std::map<int64_t, std::string> source_of;
    for (const Allocation& a : *allocations) source_of[a.id] = a.source;
    std::map<int64_t, std::string> division_of;
    const bool scoped = c.unit.level != OrgLevel::kCounty;
    if (scoped) {
        auto projects = c.store.ListFundProjects();
        if (!projects) return std::unexpected(projects.error());
        for (const auto& [p, money] : *projects) division_of[p.id] = p.division_code;
    }
    std::map<std::string, std::pair<int64_t, Fen>> by_source;
    FundEntryFilter filter;
    filter.from = c.period.from;
    filter.to = c.as_of;
    filter.limit = 1000;
    for (;;) {
        auto entries = c.store.ListFundEntries(filter);
        if (!entries) return std::unexpected(entries.error());
        for (const StoredFundEntry& se : *entries) {
            const FundEntry& e = se.entry;
            filter.after_id = std::max(filter.after_id, e.id);
            const bool out = e.to_account.starts_with("payee:");
            const bool back = e.from_account.starts_with("payee:");
            if (!out && !back) continue;
            if (scoped) {
                const auto d = division_of.find(e.project);
                if (d == division_of.end() || !d->second.starts_with(c.unit.scope)) continue;
            }
            auto& [n, amount] = by_source[source_of.count(e.allocation) ? source_of[e.allocation] : "?"];
            ++n;
            amount += out ? e.amount : -e.amount;
        }
        if (static_cast<int64_t>(entries->size()) < filter.limit) break;
    }
    int64_t n_total = 0;
    Fen total = 0;
    for (const auto& [code, v] : by_source) {
        std::string name = code;
        for (const FundSource& fs : *sources)
            if (fs.code == code) name = fs.name;
        s.rows.push_back(DocRow{.cells = {T(name), I(v.first), I(v.second)}});
        n_total += v.first;
        total += v.second;
    }
    if (!s.rows.empty()) s.rows.push_back(DocRow{.cells = {T("合计"), I(n_total), I(total)}, .total = true});
    NoData(s, "资金台账本期无支出记录", "the funds ledger records no payment in the period");
    if (!c.unit.battle.empty()) AddNote(s, "为全县数，不分攻坚战", "county-wide, not split by battle");
    return s;
}

Result<DocSection> FindingsSection(const Context& c) {
    DocSection s{.id = "findings", .title_zh = "数据质量问题", .title_en = "Data-quality findings"};
    s.columns = {Col("rule", "规则", "Rule", DocCellType::kText), Col("title", "问题", "Finding", DocCellType::kText),
                 Col("count", "条数", "Findings")};
    CheckOptions options;
    options.as_of = c.as_of;
    auto findings = RunChecks(c.store, c.plan, options, c.unit.scope, 2);
    if (!findings) return std::unexpected(findings.error());
    std::map<std::string, int64_t> counts;
    for (const Finding& f : *findings) ++counts[std::string(f.rule)];
    int64_t total = 0;
    for (const RuleInfo& r : Rules()) {
        const auto it = counts.find(std::string(r.id));
        if (it == counts.end()) continue;
        s.rows.push_back(DocRow{.cells = {T(std::string(r.id)), T(std::string(r.title_zh)), I(it->second)}});
        total += it->second;
    }
    if (!s.rows.empty()) s.rows.push_back(DocRow{.cells = {T("合计"), T(""), I(total)}, .total = true});
    NoData(s, "未发现数据质量问题", "no data-quality finding");
    AddNote(s, "截至期末的全部问题（非仅本期新增），按规则计数",
            "every finding as of the period's end (not only new ones), counted by rule");
    if (!c.unit.battle.empty()) AddNote(s, "为全县数，不分攻坚战", "county-wide, not split by battle");
    return s;
}

DocSection MeasuresSection(const Context& c) {
    DocSection s{.id = "measures", .title_zh = "措施落实", .title_en = "Measures delivered"};
    s.columns = {Col("measure", "措施", "Measure", DocCellType::kText),
                 Col("battle", "攻坚战", "Battle", DocCellType::kText),
                 Col("target_households", "目标（户）", "Target (households)"),
                 Col("target_persons", "目标（人）", "Target (persons)"),
                 Col("planned_households", "计划户数", "Households planned"),
                 Col("reached_households", "已落实户数", "Households reached"),
                 Col("beneficiaries", "受益人数", "Beneficiaries"),
                 Col("amount", "金额（元）", "Amount (yuan)", DocCellType::kFen)};
    int64_t planned = 0, reached = 0, amount = 0;
    for (const BattleMapMeasure& m : c.now.measures) {
        const PlanBattle* b = c.plan.FindBattle(m.battle);
        const auto& d = m.delivered;
        const int64_t p = d ? d->planned_households : m.households;
        s.rows.push_back(DocRow{
            .cells = {T(std::to_string(m.number) + " " + m.name), T(b ? b->name : m.battle),
                      m.target_households ? I(*m.target_households) : DocValue{},
                      m.target_persons ? I(*m.target_persons) : DocValue{}, I(p), I(d ? d->reached_households : 0),
                      I(d ? d->beneficiaries : 0), I(d ? d->amount : 0)}});
        planned += p;
        reached += d ? d->reached_households : 0;
        amount += d ? d->amount : 0;
    }
    // Households and beneficiaries overlap across measures: the total row sums amounts only.
    if (!s.rows.empty())
        s.rows.push_back(DocRow{.cells = {T("合计"), T(""), DocValue{}, DocValue{}, DocValue{}, DocValue{}, DocValue{},
                                          I(amount)},
                                .total = true});
    (void)planned;
    (void)reached;
    NoData(s, "计划无措施", "the plan has no measures");
    AddNote(s, "已落实、受益人数与金额为计划开始至截至日期的帮扶台账累计；户数在措施间有重叠，合计只加金额",
            "reached, beneficiaries and amounts are the assistance ledger's from the plan's start to the date; "
            "households overlap across measures, so the total adds amounts only");
    return s;
}

Result<DocSection> FundsBySourceSection(const Context& c) {
    DocSection s{.id = "funds_by_source", .title_zh = "资金分来源（月报）", .title_en = "Funds by source (monthly report)"};
    s.columns = {Col("source", "来源/项目", "Source or project", DocCellType::kText),
                 Col("allocated", "下达（元）", "Allocated (yuan)", DocCellType::kFen),
                 Col("budgeted", "已安排（元）", "Budgeted (yuan)", DocCellType::kFen),
                 Col("spent_month", "本月支出（元）", "Spent this month (yuan)", DocCellType::kFen),
                 Col("spent_year", "本年支出（元）", "Spent this year (yuan)", DocCellType::kFen),
                 Col("unspent", "结余（元）", "Unspent (yuan)", DocCellType::kFen)};
    const bool scoped = c.unit.level != OrgLevel::kCounty;
    const Date month_end = c.as_of;
    auto report = MonthlyReportJson(c.store, c.plan, c.tree, month_end.year, month_end.month,
                                    scoped ? c.unit.scope : std::string());
    if (!report) return std::unexpected(report.error());
    auto yuan = [](const json::value& v) -> DocValue {
        if (!v.is_string()) return DocValue{};
        auto f = ParseYuan(std::string_view(v.as_string()), "amount");
        if (!f) {
            const std::string_view t(v.as_string());
            if (t.starts_with("-")) {
                auto g = ParseYuan(t.substr(1), "amount");
                if (g) return I(-*g);
            }
            return DocValue{};
        }
        return I(*f);
    };
    const json::array& rows = report->at(scoped ? "by_project" : "by_source").as_array();
    for (const json::value& r : rows) {
        const json::object& o = r.as_object();
        s.rows.push_back(DocRow{.cells = {T(std::string(o.at("name").as_string())), yuan(o.at("allocated")),
                                          yuan(o.at("budgeted")), yuan(o.at("spent_month")), yuan(o.at("spent_year")),
                                          yuan(o.at("unspent"))}});
    }
    if (!s.rows.empty()) {
        const json::object& t = report->at("totals").as_object();
        s.rows.push_back(DocRow{.cells = {T("合计"), yuan(t.at("allocated")), yuan(t.at("budgeted")),
                                          yuan(t.at("spent_month")), yuan(t.at("spent_year")), yuan(t.at("unspent"))},
                                .total = true});
    }
    NoData(s, "资金台账本月无记录", "the funds ledger has nothing for the month");
    AddNote(s, "扶贫资金月报" + std::string(report->at("month").as_string()) + (scoped ? "（本单位项目）" : ""),
            "the monthly expenditure report of " + std::string(report->at("month").as_string()) +
                (scoped ? " (the unit's projects)" : ""));
    if (!c.unit.battle.empty()) AddNote(s, "为全县数，不分攻坚战", "county-wide, not split by battle");
    return s;
}

Result<DocSection> PairingSection(const Context& c) {
    DocSection s{.id = "pairing", .title_zh = "结对帮扶", .title_en = "Pairing"};
    s.columns = {Col("unit", "单位", "Unit", DocCellType::kText), Col("poor_households", "未脱贫户", "Poor households"),
                 Col("paired", "有帮扶责任人", "With a cadre"), Col("coverage", "覆盖率", "Coverage", DocCellType::kPercent),
                 Col("overdue_visits", "走访逾期户", "Households overdue for a visit")};
    std::map<std::string, int64_t> poor;
    std::set<std::string> poor_codes;
    auto loaded = LoadHouseholds(c.store, c.plan, c.unit, c.as_of, [&](const HouseholdFacts& h) {
        if (h.exited()) return;  // poor: not exited (new, fallen back)
        ++poor[ChildCode(c.unit, h.division_code)];
        poor_codes.insert(h.household_code);
    });
    if (!loaded) return std::unexpected(loaded.error());
    // Households with a pairing held on as_of (begun by then, not ended before it): every pairing
    // with its history, paged by household.
    std::map<std::string, int64_t> paired;
    std::set<std::string> held;
    const auto take = [&](const std::vector<Pairing>& page) {
        for (const Pairing& p : page)
            if (p.from <= c.as_of && (!p.to || *p.to >= c.as_of) && poor_codes.count(p.household_code) &&
                held.insert(p.household_code).second)
                ++paired[ChildCode(c.unit, p.division_code)];
    };
    PairingFilter pf;
    pf.division_prefix = c.unit.scope;
    pf.limit = 100000;
    for (;;) {
        auto page = c.store.ListPairings(pf);
        if (!page) return std::unexpected(page.error());
        take(*page);
        if (static_cast<int64_t>(page->size()) < pf.limit) break;
        // A page may stop inside a household: read the rest of that one on its own.
        PairingFilter one;
        one.household_code = page->back().household_code;
        one.limit = 100000;
        auto rest = c.store.ListPairings(one);
        if (!rest) return std::unexpected(rest.error());
        take(*rest);
        pf.after_household = page->back().household_code;
    }
    auto overdue = BuildOverdue(c.store, c.plan, c.unit.scope, c.as_of, c.today);
    if (!overdue) return std::unexpected(overdue.error());
    std::map<std::string, int64_t> late;
    for (const OverdueVisit& o : overdue->overdue) {
        const VisitState& st = overdue->states[o.index];
        if (poor_codes.count(std::string(st.household_code)))
            ++late[ChildCode(c.unit, std::string(st.division_code))];
    }
    int64_t tp = 0, tc = 0, tl = 0;
    for (const auto& [code, n] : poor) {
        const OrgUnit* u = c.tree.Find(code);
        s.rows.push_back(DocRow{.cells = {T(u ? u->name() : code), I(n), I(paired[code]), I(PercentOf(paired[code], n)),
                                          I(late[code])}});
        tp += n;
        tc += paired[code];
        tl += late[code];
    }
    if (!s.rows.empty())
        s.rows.push_back(DocRow{.cells = {T(c.unit.name + "合计"), I(tp), I(tc), I(PercentOf(tc, tp)), I(tl)},
                                .total = true});
    NoData(s, "无未脱贫户", "no household still to exit");
    AddNote(s, "覆盖率：截至日期有帮扶责任人的未脱贫户占未脱贫户的比例；走访逾期按计划的走访间隔",
            "coverage: poor households with a cadre on the day among poor households; overdue by the plan's visit "
            "interval");
    return s;
}

// Sub-periods of a quarter (its months) or a year (its quarters), each up to as_of.
std::vector<Period> SubPeriods(const Period& p) {
    std::vector<Period> out;
    if (p.kind != PeriodKind::kQuarterly && p.kind != PeriodKind::kAnnual) return out;
    const PeriodKind sub = p.kind == PeriodKind::kQuarterly ? PeriodKind::kMonthly : PeriodKind::kQuarterly;
    for (Period q = PeriodContaining(sub, p.from); q.from <= p.to; q = NextPeriod(q)) out.push_back(q);
    return out;
}

struct Trend {
    std::vector<Period> periods;  // started by as_of
    std::vector<BattleMap> maps;  // the unit at each one's end (or as_of)
};

Result<Trend> BuildTrend(const Context& c) {
    Trend t;
    for (const Period& p : SubPeriods(c.period)) {
        if (p.from > c.as_of) break;
        const Date end = std::min(p.to, c.as_of);
        t.periods.push_back(p);
        if (end == c.as_of) {
            t.maps.push_back(c.now);
        } else {
            const auto it = c.at_end.find(end);
            if (it == c.at_end.end())
                return Fail("report.internal", "period", "缺少期末数据", "the sub-period's figures are missing");
            t.maps.push_back(it->second);
        }
    }
    return t;
}

DocSection TrendSection(const Context& c, const Trend& t) {
    DocSection s{.id = "trend", .title_zh = "进度趋势", .title_en = "Progress over the periods"};
    s.columns = {Col("period", "期间", "Period", DocCellType::kText), Col("task_persons", "年度任务（人）", "Year's task"),
                 Col("exited_in_period", "本期退出（人）", "Exited in the period"),
                 Col("exited_this_year", "本年累计退出（人）", "Exited this year to date"),
                 Col("progress", "完成率", "Done", DocCellType::kPercent)};
    const BattleMap* prev = &c.before;
    for (size_t i = 0; i < t.periods.size(); ++i) {
        const BattleMapUnit& u = t.maps[i].unit;
        s.rows.push_back(DocRow{.cells = {T(t.periods[i].text), I(u.task_persons),
                                          I(u.exited_persons - prev->unit.exited_persons), I(u.exited_this_year),
                                          I(PercentOf(u.exited_this_year, u.task_persons))}});
        prev = &t.maps[i];
    }
    s.chart = DocChart{.kind = DocChart::Kind::kLine, .label_column = 0, .value_columns = {1, 3}};
    NoData(s, "本期尚未开始", "the period has not started");
    return s;
}

DocSection TrendByChildSection(const Context& c, const Trend& t) {
    const bool county = c.unit.level == OrgLevel::kCounty;
    DocSection s{.id = "trend_by_unit",
                 .title_zh = county ? "分乡镇进度" : "分村进度",
                 .title_en = county ? "Progress by township" : "Progress by village"};
    s.columns = {Col("unit", "单位", "Unit", DocCellType::kText), Col("task_persons", "年度任务（人）", "Year's task")};
    for (const Period& p : t.periods)
        s.columns.push_back(Col("exited_" + p.text, p.text + "退出（人）", "Exited " + p.text));
    s.columns.push_back(Col("exited_this_year", "本年累计退出（人）", "Exited this year"));
    s.columns.push_back(Col("progress", "完成率", "Done", DocCellType::kPercent));
    for (const BattleMapUnit* u : UnitRows(c.now)) {
        DocRow row{.cells = {T(u == &c.now.unit ? u->name + "合计" : u->name), I(u->task_persons)},
                   .total = u == &c.now.unit};
        const BattleMapUnit* prev = ChildOf(c.before, u->code);
        for (const BattleMap& m : t.maps) {
            const BattleMapUnit* x = ChildOf(m, u->code);
            row.cells.push_back(I((x ? x->exited_persons : 0) - (prev ? prev->exited_persons : 0)));
            prev = x;
        }
        row.cells.push_back(I(u->exited_this_year));
        row.cells.push_back(I(PercentOf(u->exited_this_year, u->task_persons)));
        s.rows.push_back(std::move(row));
    }
    std::vector<int> values;
    for (size_t i = 0; i < t.periods.size(); ++i) values.push_back(static_cast<int>(i) + 2);
    values.push_back(static_cast<int>(s.columns.size()) - 2);
    s.chart = DocChart{.kind = DocChart::Kind::kBar, .label_column = 0, .value_columns = {1, values.back()}};
    AddNote(s, "对照计划年度任务", "against the plan's targets for the year");
    return s;
}

DocSection GoalSection(const Context& c) {
    DocSection s{.id = "goal", .title_zh = "总目标", .title_en = "The goal"};
    s.columns = {Col("item", "项目", "Item", DocCellType::kText), Col("value", "数值", "Value")};
    const BattleMapUnit& u = c.now.unit;
    auto row = [&](const std::string& zh, int64_t v) { s.rows.push_back(DocRow{.cells = {T(zh), I(v)}}); };
    if (u.level == OrgLevel::kCounty && c.unit.battle.empty()) {
        row("计划脱贫户数（户）", c.plan.target_households);
        row("计划脱贫人数（人）", c.plan.target_persons);
    } else {
        row("目标脱贫人数（人）", u.goal_persons);
    }
    row("计划期：起始年", c.plan.start_year);
    row("计划期：终止年", c.plan.end_year);
    row(std::to_string(c.as_of.year) + "年任务（人）", u.task_persons);
    row("建档立卡户（户）", u.households);
    row("建档立卡人口（人）", u.persons);
    row("累计已退出（人）", u.exited_persons);
    row("本年已退出（人）", u.exited_this_year);
    row("本年尚需退出（人）", u.remaining_this_year);
    row("逾期未退（人）", u.overdue_persons);
    return s;
}

DocSection BattlesSection(const Context& c) {
    DocSection s{.id = "battles", .title_zh = "四大攻坚战", .title_en = "The four battles"};
    s.columns = {Col("battle", "攻坚战", "Battle", DocCellType::kText), Col("measures", "措施数", "Measures"),
                 Col("planned_households", "计划户次", "Households planned (by measure)"),
                 Col("reached_households", "已落实户次", "Households reached (by measure)"),
                 Col("beneficiaries", "受益人次", "Beneficiaries (by measure)"),
                 Col("amount", "金额（元）", "Amount (yuan)", DocCellType::kFen)};
    Fen total = 0;
    for (const PlanBattle& b : c.plan.battles) {
        int64_t n = 0, planned = 0, reached = 0, persons = 0;
        Fen amount = 0;
        for (const BattleMapMeasure& m : c.now.measures) {
            if (m.battle != b.id) continue;
            ++n;
            planned += m.delivered ? m.delivered->planned_households : m.households;
            if (m.delivered) {
                reached += m.delivered->reached_households;
                persons += m.delivered->beneficiaries;
                amount += m.delivered->amount;
            }
        }
        if (n == 0) continue;
        s.rows.push_back(DocRow{.cells = {T(b.name), I(n), I(planned), I(reached), I(persons), I(amount)}});
        total += amount;
    }
    if (!s.rows.empty())
        s.rows.push_back(DocRow{.cells = {T("合计"), DocValue{}, DocValue{}, DocValue{}, DocValue{}, I(total)},
                                .total = true});
    s.chart = DocChart{.kind = DocChart::Kind::kBar, .label_column = 0, .value_columns = {2, 3}};
    NoData(s, "计划无攻坚战", "the plan has no battles");
    AddNote(s, "户次、人次为各措施之和（一户可有多项措施）", "sums over the battle's measures (a household may have several)");
    return s;
}

}  // namespace

std::string_view ReportKindNameZh(PeriodKind kind) {
    switch (kind) {
        case PeriodKind::kWeekly:
            return "周专报";
        case PeriodKind::kMonthly:
            return "月报告";
        case PeriodKind::kQuarterly:
            return "季小结";
        case PeriodKind::kAnnual:
            return "年总结";
    }
    return "";
}

Result<ReportUnit> ResolveReportUnit(const Plan& plan, const OrgTree& tree, const std::string& unit) {
    if (const PlanBattle* b = plan.FindBattle(unit)) {
        return ReportUnit{.code = b->id, .name = b->name, .battle = b->id, .scope = plan.county_code,
                          .level = OrgLevel::kCounty};
    }
    const OrgUnit* u = tree.Find(unit);
    if (u == nullptr || unit.empty())
        return Fail("report.unknown_unit", "unit", "单位“" + unit + "”不存在（应为县、乡镇、村的代码或攻坚战：industry、infrastructure、settlement、guarantee）",
                    "unknown unit \"" + unit + "\" (an org-unit code of the county, a township or a village, or a battle: "
                    "industry, infrastructure, settlement, guarantee)");
    return ReportUnit{.code = unit, .name = u->name(), .scope = unit, .level = u->level};
}

Result<std::vector<BattleMap>> ReportUnitMaps(Store& store, const Plan& plan, const OrgTree& tree,
                                              const ReportUnit& unit, const std::vector<Date>& dates) {
    // One builder per date, fed from one scan of the households' facts and one of the items' facts
    // (as service::BuildBattleMap does for one date).
    const std::string code = unit.battle.empty() ? unit.code : unit.scope;
    std::vector<BattleMapBuilder> builders;
    std::vector<DeliveredBuilder> delivered;
    builders.reserve(dates.size());
    delivered.reserve(dates.size());
    for (const Date& on : dates) {
        builders.emplace_back(plan, tree, on, code, on);
        delivered.emplace_back(plan, tree, code, PlanStart(plan), on);
    }
    auto loaded = LoadHouseholdsAt(store, plan, unit, dates, [&](size_t i, const HouseholdFacts& h) {
        builders[i].Add(h);
        delivered[i].AddHousehold(h);
    });
    if (!loaded) return std::unexpected(loaded.error());
    auto items = store.ScanItemFacts(unit.scope, [&](const ItemFacts& f) {
        for (DeliveredBuilder& d : delivered) d.AddItem(f);
        return true;
    });
    if (!items) return std::unexpected(items.error());
    std::vector<BattleMap> maps;
    for (size_t i = 0; i < builders.size(); ++i) {
        BattleMap map = builders[i].Finish();
        AttachDelivered(map, delivered[i].Finish());
        KeepBattleMeasures(map, unit.battle);
        map.unit.code = unit.code;
        map.unit.name = unit.name;
        maps.push_back(std::move(map));
    }
    return maps;
}

Result<BattleMap> ReportUnitMap(Store& store, const Plan& plan, const OrgTree& tree, const ReportUnit& unit,
                                const Date& on) {
    auto maps = ReportUnitMaps(store, plan, tree, unit, {on});
    if (!maps) return std::unexpected(maps.error());
    return std::move(maps->front());
}

Result<Document> BuildPeriodicReport(Store& store, const Plan& plan, const OrgTree& tree, PeriodKind kind,
                                     const std::string& unit_text, const std::string& period_text, const Date& today) {
    auto period = ParsePeriod(kind, period_text);
    if (!period) return std::unexpected(period.error());
    auto unit = ResolveReportUnit(plan, tree, unit_text);
    if (!unit) return std::unexpected(unit.error());
    if (period->from > today)
        return Fail("report.future_period", "period",
                    "期间 " + period->text + " 尚未开始（今天 " + today.ToString() + "）",
                    "period " + period->text + " has not started yet (today is " + today.ToString() + ")");
    const Date as_of = PeriodAsOf(*period, today);
    // The unit on as_of, the day before the period and at the end of each sub-period (a quarter's
    // months, a year's quarters) that ended before as_of: all from one pass.
    std::vector<Date> dates{as_of, DayBefore(period->from)};
    for (const Period& p : SubPeriods(*period))
        if (p.from <= as_of && p.to < as_of) dates.push_back(p.to);
    auto maps = ReportUnitMaps(store, plan, tree, *unit, dates);
    if (!maps) return std::unexpected(maps.error());
    Context c{store, plan, tree, *unit, *period, as_of, today, std::move((*maps)[0]), std::move((*maps)[1])};
    for (size_t i = 2; i < dates.size(); ++i) c.at_end.emplace(dates[i], std::move((*maps)[i]));

    Document doc;
    doc.kind = std::string(PeriodKindName(kind));
    doc.title_zh = unit->name + "脱贫攻坚" + std::string(ReportKindNameZh(kind)) + "（" + period->text + "）";
    static constexpr const char* kEn[] = {"weekly report", "monthly report", "quarterly summary", "annual account"};
    doc.title_en = unit->name + " poverty alleviation " + kEn[static_cast<int>(kind)] + " (" + period->text + ")";
    doc.unit_code = unit->code;
    doc.unit_name = unit->name;
    doc.period = period->text;
    doc.from = period->from;
    doc.to = period->to;
    doc.as_of = as_of;
    doc.facts = {{"单位", "Unit", unit->name + "（" + unit->code + "）"},
                 {"期间", "Period", period->from.ToString() + " 至 " + period->to.ToString()},
                 {"数据截至", "Figures as of", as_of.ToString()},
                 {"依据计划", "Plan", plan.title}};
    doc.signatures = {"填报人", "审核人", "单位负责人"};

    auto push = [&](Result<DocSection> s) -> Result<void> {
        if (!s) return std::unexpected(s.error());
        doc.sections.push_back(std::move(*s));
        return {};
    };
    if (kind == PeriodKind::kAnnual) {
        doc.sections.push_back(GoalSection(c));
    }
    doc.sections.push_back(TaskSection(c));
    doc.sections.push_back(ScheduleSection(c));
    if (kind == PeriodKind::kWeekly || kind == PeriodKind::kMonthly) {
        for (auto* section : {&ProceduresSection, &VisitsSection, &PaidSection})
            if (auto r = push((*section)(c)); !r) return std::unexpected(r.error());
    }
    if (kind == PeriodKind::kMonthly) {
        doc.sections.push_back(MeasuresSection(c));
        if (auto r = push(FundsBySourceSection(c)); !r) return std::unexpected(r.error());
        if (auto r = push(PairingSection(c)); !r) return std::unexpected(r.error());
    }
    if (kind == PeriodKind::kWeekly || kind == PeriodKind::kMonthly) {
        if (auto r = push(FindingsSection(c)); !r) return std::unexpected(r.error());
    }
    if (kind == PeriodKind::kQuarterly || kind == PeriodKind::kAnnual) {
        auto trend = BuildTrend(c);
        if (!trend) return std::unexpected(trend.error());
        doc.sections.push_back(TrendSection(c, *trend));
        doc.sections.push_back(TrendByChildSection(c, *trend));
        if (kind == PeriodKind::kAnnual) doc.sections.push_back(BattlesSection(c));
        doc.sections.push_back(MeasuresSection(c));
        if (auto r = push(PairingSection(c)); !r) return std::unexpected(r.error());
    }
    return doc;
}

}  // namespace jz::service
