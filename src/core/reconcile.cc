#include "core/reconcile.h"

#include <algorithm>

namespace jz {
namespace {

std::string N(int64_t v) { return std::to_string(v); }

}  // namespace

std::string_view ReconcileKindName(ReconcileKind kind) {
    switch (kind) {
        case ReconcileKind::kPlanTotalMismatch:
            return "plan_total_mismatch";
        case ReconcileKind::kRegistryVsTarget:
            return "registry_vs_target";
        case ReconcileKind::kMeasureVsTarget:
            return "measure_vs_target";
        case ReconcileKind::kExitsBehindTarget:
            return "exits_behind_target";
        case ReconcileKind::kMeasureNotDelivered:
            return "measure_not_delivered";
    }
    return {};
}

std::string_view ReconcileKindNameZh(ReconcileKind kind) {
    switch (kind) {
        case ReconcileKind::kPlanTotalMismatch:
            return "计划合计不符";
        case ReconcileKind::kRegistryVsTarget:
            return "建档立卡数据与任务不符";
        case ReconcileKind::kMeasureVsTarget:
            return "措施落实与目标不符";
        case ReconcileKind::kExitsBehindTarget:
            return "脱贫进度落后于任务";
        case ReconcileKind::kMeasureNotDelivered:
            return "措施未落实";
    }
    return {};
}

std::string_view ReconcileKindNameEn(ReconcileKind kind) {
    switch (kind) {
        case ReconcileKind::kPlanTotalMismatch:
            return "Plan totals disagree";
        case ReconcileKind::kRegistryVsTarget:
            return "Registry differs from the plan";
        case ReconcileKind::kMeasureVsTarget:
            return "Measure differs from its target";
        case ReconcileKind::kExitsBehindTarget:
            return "Exits behind the target";
        case ReconcileKind::kMeasureNotDelivered:
            return "Measure not delivered";
    }
    return {};
}

std::span<const ReconcileKind> AllReconcileKinds() {
    static constexpr ReconcileKind kAll[] = {ReconcileKind::kPlanTotalMismatch, ReconcileKind::kRegistryVsTarget,
                                             ReconcileKind::kMeasureVsTarget, ReconcileKind::kExitsBehindTarget,
                                             ReconcileKind::kMeasureNotDelivered};
    return kAll;
}

std::vector<ReconcileFinding> ReconcilePlan(const Plan& plan) {
    std::vector<ReconcileFinding> out;
    int all_years = 0;
    for (const PlanTownship& t : plan.townships) all_years += t.total_persons();
    // The sum of parts each stated total should equal, and how to name the parts.
    auto parts = [&](const PlanStatedTotal& s) -> std::optional<std::pair<int64_t, std::string>> {
        if (s.what == "exit_persons" && s.year)
            return std::pair<int64_t, std::string>(plan.ExitTarget(*s.year),
                                                   "各乡镇" + std::to_string(*s.year) + "年目标之和");
        if (s.what == "exit_persons" || s.what == "persons")
            return std::pair<int64_t, std::string>(all_years, "各乡镇各年目标之和");
        if (s.what == "households")
            return std::pair<int64_t, std::string>(plan.target_households, "总体目标户数");
        return std::nullopt;
    };
    for (const PlanStatedTotal& s : plan.stated_totals) {
        auto sum = parts(s);
        if (!sum || sum->first == s.value) continue;
        // The other places that state this quantity and agree with the parts.
        std::string agreeing;
        for (const PlanStatedTotal& o : plan.stated_totals)
            if (&o != &s && o.what == s.what && o.year == s.year && o.value == sum->first)
                agreeing += (agreeing.empty() ? "" : "; ") + o.where;
        const std::string year_zh = s.year ? std::to_string(*s.year) + "年" : "";
        const std::string year_en = s.year ? " for " + std::to_string(*s.year) : "";
        ReconcileFinding f{
            ReconcileKind::kPlanTotalMismatch,
            plan.county_code,
            s.year,
            std::nullopt,
            s.what == "households" ? "households" : "persons",
            sum->first,
            s.value,
            "方案" + s.where + "写" + year_zh + N(s.value) + ",而" + sum->second + "为" + N(sum->first) +
                (agreeing.empty() ? "" : "(" + agreeing + "亦为" + N(sum->first) + ")"),
            "the plan states " + N(s.value) + year_en + " in " + s.where + ", but its parts add up to " +
                N(sum->first) + (agreeing.empty() ? "" : " (as stated in " + agreeing + ")")};
        out.push_back(std::move(f));
    }
    return out;
}

std::vector<ReconcileFinding> ReconcileRegistry(const Plan& plan, const ProgressReport& r) {
    std::vector<ReconcileFinding> out;
    auto add = [&](ReconcileKind kind, std::string scope, std::optional<int> year, std::optional<int> measure,
                   std::string quantity, int64_t expected, int64_t actual, std::string zh, std::string en) {
        out.push_back({kind, std::move(scope), year, measure, std::move(quantity), expected, actual,
                       std::move(zh), std::move(en)});
    };
    if (r.households != plan.target_households)
        add(ReconcileKind::kRegistryVsTarget, plan.county_code, std::nullopt, std::nullopt, "households",
            plan.target_households, r.households,
            "全县建档立卡" + N(r.households) + "户,方案目标" + N(plan.target_households) + "户",
            "the county has " + N(r.households) + " registered households; the plan targets " +
                N(plan.target_households));
    if (r.persons != plan.target_persons)
        add(ReconcileKind::kRegistryVsTarget, plan.county_code, std::nullopt, std::nullopt, "persons",
            plan.target_persons, r.persons,
            "全县建档立卡" + N(r.persons) + "人,方案目标" + N(plan.target_persons) + "人",
            "the county has " + N(r.persons) + " registered persons; the plan targets " +
                N(plan.target_persons));

    const int last_ended_year = (r.as_of.month == 12 && r.as_of.day == 31) ? r.as_of.year : r.as_of.year - 1;
    int64_t county_target_through = 0, county_exited_through = 0;
    std::vector<std::pair<int, std::pair<int64_t, int64_t>>> county_by_year;
    for (const ProgressTownship& t : r.townships) {
        const PlanTownship* pt = plan.FindTownship(t.code);
        const int64_t expected = pt ? pt->total_persons() : 0;
        const std::string name = t.name.empty() ? t.code : t.name;
        if (t.persons != expected)
            add(ReconcileKind::kRegistryVsTarget, t.code, std::nullopt, std::nullopt, "persons", expected,
                t.persons, name + "建档立卡" + N(t.persons) + "人,方案该乡镇脱贫任务" + N(expected) + "人",
                name + " has " + N(t.persons) + " registered persons; the plan's task for it is " +
                    N(expected));
        int64_t target_through = 0, exited_through = 0;
        for (const ProgressYear& y : t.years) {
            if (y.planned_persons != y.target_persons)
                add(ReconcileKind::kRegistryVsTarget, t.code, y.year, std::nullopt, "persons",
                    y.target_persons, y.planned_persons,
                    name + "计划" + N(y.year) + "年脱贫" + N(y.planned_persons) + "人,方案目标" +
                        N(y.target_persons) + "人",
                    name + ": " + N(y.planned_persons) + " persons planned to exit in " + N(y.year) +
                        "; the plan's target is " + N(y.target_persons));
            target_through += y.target_persons;
            exited_through += y.exited_persons;
            if (y.year <= last_ended_year && exited_through < target_through)
                add(ReconcileKind::kExitsBehindTarget, t.code, y.year, std::nullopt, "persons",
                    target_through, exited_through,
                    name + "截至" + N(y.year) + "年底已脱贫" + N(exited_through) + "人,落后于目标" +
                        N(target_through) + "人",
                    name + ": " + N(exited_through) + " persons exited by the end of " + N(y.year) +
                        ", behind the target of " + N(target_through));
        }
    }
    for (int year : plan.years()) {
        if (year > last_ended_year) break;
        for (const ProgressTownship& t : r.townships)
            for (const ProgressYear& y : t.years)
                if (y.year == year) {
                    county_target_through += y.target_persons;
                    county_exited_through += y.exited_persons;
                }
        if (county_exited_through < county_target_through)
            add(ReconcileKind::kExitsBehindTarget, plan.county_code, year, std::nullopt, "persons",
                county_target_through, county_exited_through,
                "全县截至" + N(year) + "年底已脱贫" + N(county_exited_through) + "人,落后于目标" +
                    N(county_target_through) + "人",
                "the county: " + N(county_exited_through) + " persons exited by the end of " + N(year) +
                    ", behind the target of " + N(county_target_through));
    }
    // Per measure: the households planned for it against its target. Persons are not compared here:
    // beneficiaries are the ledger's (below), not derived from ages.
    for (const ProgressMeasure& m : r.measures) {
        if (m.target_households && *m.target_households != m.households)
            add(ReconcileKind::kMeasureVsTarget, plan.county_code, std::nullopt, m.number, "households",
                *m.target_households, m.households,
                m.name + "落实" + N(m.households) + "户,方案目标" + N(*m.target_households) + "户",
                m.name + ": " + N(m.households) + " households assigned; the plan's target is " +
                    N(*m.target_households));
    }
    // Delivered against the targets, once the plan period is over.
    const bool period_ended = r.as_of >= Date{plan.end_year, 12, 31};
    if (period_ended) {
        for (const ProgressMeasure& m : r.measures) {
            if (!m.delivered) continue;
            const MeasureDelivered& d = *m.delivered;
            auto short_of = [&](std::string quantity, std::string part, int64_t target, int64_t actual,
                                std::string zh, std::string en) {
                add(ReconcileKind::kMeasureNotDelivered, plan.county_code, std::nullopt, m.number,
                    std::move(quantity), target, actual, std::move(zh), std::move(en));
                out.back().part = std::move(part);
            };
            const std::string period_zh = N(plan.start_year) + "—" + N(plan.end_year) + "年";
            const std::string period_en = " in " + N(plan.start_year) + "-" + N(plan.end_year);
            if (m.target_households && d.reached_households < *m.target_households)
                short_of("households", "", *m.target_households, d.reached_households,
                         m.name + period_zh + "实际帮扶到户" + N(d.reached_households) + "户,少于方案目标" +
                             N(*m.target_households) + "户",
                         m.name + ": " + N(d.reached_households) + " households reached" + period_en +
                             ", below the plan's target of " + N(*m.target_households));
            if (m.target_persons && d.beneficiaries < *m.target_persons)
                short_of("persons", "", *m.target_persons, d.beneficiaries,
                         m.name + period_zh + "实际受益" + N(d.beneficiaries) + "人,少于方案目标" +
                             N(*m.target_persons) + "人",
                         m.name + ": " + N(d.beneficiaries) + " beneficiaries" + period_en +
                             ", below the plan's target of " + N(*m.target_persons));
            for (const StageDelivered& st : d.stages)
                if (st.persons < st.target_persons)
                    short_of("persons", st.id, st.target_persons, st.persons,
                             m.name + "(" + st.name + ")" + period_zh + "实际资助" + N(st.persons) + "人,少于方案目标" +
                                 N(st.target_persons) + "人",
                             m.name + " (" + st.id + "): " + N(st.persons) + " persons supported" + period_en +
                                 ", below the plan's target of " + N(st.target_persons));
            for (const OtherDelivered& o : d.others)
                if (o.held < o.target)
                    short_of("persons", o.id, o.target, o.held,
                             m.name + "(" + o.name + ")" + "期末在岗" + N(o.held) + "人,少于方案目标" + N(o.target) + "人",
                             m.name + " (" + o.id + "): " + N(o.held) + " posts held at the end of the plan, below the plan's target of " +
                                 N(o.target));
        }
    }
    return out;
}

}  // namespace jz
