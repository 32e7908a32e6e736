// Exit candidates, incidence, population, the year's adjustment and the third-party evaluation from
// the command line (docs/dynamic-management.md). Each command is thin: it parses what the options
// say, asks service::Dynamic, and prints the result (human text, or the API's JSON with --json).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cli/commands.h"
#include "cli/dynamic_session.h"
#include "core/codes.h"
#include "service/dynamic.h"

namespace jz::cli {
namespace {
namespace json = boost::json;

struct ExitCandidatesOptions {
    int year = 0;
    std::string division;
    std::string as_of;  // empty: December 31 of the year
};

struct PopulationSetOptions {
    std::string code;
    int64_t persons = 0;
    int year = 0;
};

struct AdjustmentOptions {
    int year = 0;
    bool approve = false;
    std::string date;
    std::string notes;
};

struct EvaluationOptions {
    int year = 0;
    int64_t size = 0;
    uint64_t seed = 0;
    int64_t id = 0;
    std::string household;
    std::string verdict;
    std::string notes;
    std::optional<int64_t> non_poor_surveyed, missed_found, approval_surveyed, approval_satisfied;
};
// ---------------------------------------------------------------------------------- evaluation

void PrintEvaluation(const Evaluation& e, const EvaluationRates& r, const OrgTree& tree, bool items) {
    std::printf("第三方评估 Evaluation #%lld (version %lld): %d年 year %d, 种子 seed %llu\n",
                static_cast<long long>(e.id), static_cast<long long>(e.version), e.year, e.year,
                static_cast<unsigned long long>(e.seed));
    std::printf("  抽样 drawn by %s at %s from %lld exited households\n", e.drawn_by.c_str(),
                e.drawn_at.c_str(), static_cast<long long>(e.population));
    std::printf("  样本 sampled %lld, 已核查 judged %lld, 错退 wrongful %lld\n",
                static_cast<long long>(r.sampled), static_cast<long long>(r.judged),
                static_cast<long long>(r.wrongful));
    std::printf(
        "  错退率 wrongful-exit rate %s, 漏评率 missed rate %s (%lld/%lld), 群众认可度 approval %s "
        "(%lld/%lld), "
        "贫困发生率 incidence %s\n",
        Percent(r.wrongful_exit_rate).c_str(), Percent(r.missed_rate).c_str(),
        static_cast<long long>(e.missed_found), static_cast<long long>(e.non_poor_surveyed),
        Percent(r.approval_rate).c_str(), static_cast<long long>(e.approval_satisfied),
        static_cast<long long>(e.approval_surveyed), Percent(r.incidence).c_str());
    for (const Veto& v : r.vetoes)
        std::printf("  否决 veto [%s]: %s / %s\n", v.id.c_str(), v.message_zh.c_str(), v.message_en.c_str());
    std::printf("  %s, %s\n", r.complete ? "数据完整 complete" : "数据未完整 incomplete",
                r.passed ? "通过 passed" : "未通过 not passed");
    if (!items) return;
    for (const EvaluationItem& it : e.items)
        std::printf("    %s  %s %s  %s(%s)%s%s\n", it.household_code.c_str(),
                    NameOf(tree, it.division_code).c_str(), it.division_code.c_str(),
                    Str(VerdictNameZh(it.verdict)).c_str(), Str(VerdictName(it.verdict)).c_str(),
                    it.notes.empty() ? "" : "  ", it.notes.c_str());
}

int PrintEvaluationResult(const GlobalOptions& g, DynamicSession& d, const Evaluation& e, bool items) {
    auto rates = d.dynamic.Rates(e);
    if (!rates) return ReportFailure(rates.error());
    if (g.json)
        PrintJson(service::EvaluationJson(e, *rates));
    else
        PrintEvaluation(e, *rates, d.session.tree, items);
    return kExitOk;
}

}  // namespace

// ---------------------------------------------------------------------------- exit candidates

int RunExitCandidates(const GlobalOptions& g, const ExitCandidatesOptions& o) {
    Date on{o.year, 12, 31};
    if (!o.as_of.empty()) {
        auto d = ParseDateOption(o.as_of, "--as-of");
        if (!d) return ReportError(d.error());
        on = *d;
    }
    auto d = OpenDynamic(g);
    if (!d) return ReportError(d.error());
    const Session& s = (*d)->session;
    if (!o.division.empty() && !s.tree.Find(o.division))
        return ReportError({.code = "usage.division", .field = "--division", .message_zh = "未知的行政区划代码: " + o.division, .message_en = "unknown division code: " + o.division});
    const int parts = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1U, 8U));
    auto r = (*d)->dynamic.ExitCandidates(o.year, on, o.division, parts);
    if (!r) return ReportFailure(r.error());
    if (g.json) {
        service::WriteExitCandidatesJson(*r, s.tree, [](std::string_view chunk) {
            std::fwrite(chunk.data(), 1, chunk.size(), stdout);
        });
        std::fputc('\n', stdout);
        return kExitOk;
    }
    std::printf("%d年脱贫候选户 Exit candidates of %d (ages as of %s)\n", r->year, r->year,
                r->on.ToString().c_str());
    std::printf("扶贫标准 Poverty line: %s\n",
                r->poverty_line ? (FormatCenti(*r->poverty_line) + " 元/人/年 yuan per head").c_str()
                                : "未设置 not set");
    std::printf("候选户 candidates: %zu, 未达标 not ready: %zu\n\n", r->candidates.size(),
                r->not_ready.size());
    std::printf("%-24s %10s %8s %10s %8s\n", "乡镇 township", "候选 cand.", "人 pers.", "未达标 n.r.",
                "人 pers.");
    for (const auto& t : r->townships)
        std::printf("%s %s  %8lld %8lld %10lld %8lld\n", NameOf(s.tree, t.code).c_str(), t.code.c_str(),
                    static_cast<long long>(t.candidates), static_cast<long long>(t.candidate_persons),
                    static_cast<long long>(t.not_ready), static_cast<long long>(t.not_ready_persons));
    if (!r->unmet_counts.empty()) {
        std::printf("\n未达标条件 Unmet conditions (households):\n");
        for (const auto& [id, n] : r->unmet_counts)
            std::printf("  %-16s %lld\n", Str(id).c_str(), static_cast<long long>(n));
    }
    auto income = [](const ExitStanding& st) {
        return st.net_income_per_head ? FormatCenti(*st.net_income_per_head) : std::string("—");
    };
    std::printf("\n候选户 Candidates (户编号 code, 村 village, 人数 persons, 人均纯收入 income per head):\n");
    for (const ExitStanding& st : r->candidates)
        std::printf("  %s  %s  %d  %s\n", st.household_code.c_str(), NameOf(s.tree, st.division_code).c_str(),
                    st.persons, income(st).c_str());
    std::printf("\n未达标户 Not ready:\n");
    for (const ExitStanding& st : r->not_ready) {
        std::printf("  %s  %s  %d  %s\n", st.household_code.c_str(), NameOf(s.tree, st.division_code).c_str(),
                    st.persons, income(st).c_str());
        for (const UnmetCondition& u : r->UnmetOf(st))
            std::printf("      - %s / %s\n", u.detail_zh.c_str(), u.detail_en.c_str());
    }
    return kExitOk;
}

// ---------------------------------------------------------------------- incidence, population

int RunIncidence(const GlobalOptions& g, int year) {
    auto d = OpenDynamic(g);
    if (!d) return ReportError(d.error());
    auto r = (*d)->dynamic.Incidence(year);
    if (!r) return ReportFailure(r.error());
    if (g.json) {
        PrintJson(service::IncidenceJson(*r));
        return kExitOk;
    }
    auto line = [](const IncidenceUnit& u, const char* indent) {
        const std::string population =
            u.population ? std::to_string(*u.population) + (u.population_summed ? " (Σ)" : "")
                         : std::string("未设置 not set");
        char threshold[32];
        std::snprintf(threshold, sizeof threshold, "%.2f%%", u.threshold * 100);
        std::printf(
            "%s%s %s: 贫困人口 poor %lld persons / %lld households, 农村人口 population %s, 发生率 incidence "
            "%s "
            "(标准 threshold < %s) %s\n",
            indent, u.name.c_str(), u.code.c_str(), static_cast<long long>(u.poor_persons),
            static_cast<long long>(u.poor_households), population.c_str(), Percent(u.incidence).c_str(),
            threshold,
            !u.meets_threshold() ? "无法判断 unknown" : *u.meets_threshold() ? "达标 meets" : "未达标 does not meet");
    };
    std::printf("%d年贫困发生率 Poverty incidence at the end of %d\n", r->year, r->year);
    line(r->county, "");
    std::printf("\n乡镇 Townships:\n");
    for (const auto& u : r->townships) line(u, "  ");
    std::printf("\n有贫困人口的村 Villages with poor persons:\n");
    for (const auto& u : r->villages)
        if (u.poor_persons > 0) line(u, "  ");
    return kExitOk;
}

int RunPopulationSet(const GlobalOptions& g, const PopulationSetOptions& o) {
    auto d = OpenDynamic(g);
    if (!d) return ReportError(d.error());
    PopulationSetting setting{o.code, o.year, o.persons};
    if (auto r = (*d)->dynamic.SetPopulation((*d)->actor, setting, NowIso()); !r)
        return ReportFailure(r.error());
    if (g.json)
        PrintJson(
            {{"code", setting.code}, {"year", setting.year}, {"rural_population", setting.rural_population}});
    else
        std::printf("已设置 Set: %s %s %d年 year %d 农村人口 rural population %lld\n",
                    NameOf((*d)->session.tree, o.code).c_str(), o.code.c_str(), o.year, o.year,
                    static_cast<long long>(o.persons));
    return kExitOk;
}

int RunPopulationList(const GlobalOptions& g) {
    auto session = OpenSession(g);
    if (!session) return ReportError(session.error());
    auto list = session->store->ListPopulation();
    if (!list) return ReportFailure(list.error());
    if (g.json) {
        json::array items;
        for (const PopulationSetting& p : *list)
            items.push_back({{"code", p.code},
                             {"name", NameOf(session->tree, p.code)},
                             {"year", p.year},
                             {"rural_population", p.rural_population}});
        PrintJson({{"items", std::move(items)}});
        return kExitOk;
    }
    std::printf("农村人口 Rural population settings: %zu\n", list->size());
    for (const PopulationSetting& p : *list)
        std::printf("  %s %s  %d  %lld\n", p.code.c_str(), NameOf(session->tree, p.code).c_str(), p.year,
                    static_cast<long long>(p.rural_population));
    return kExitOk;
}

// ---------------------------------------------------------------------------------- adjustment

int RunAdjustment(const GlobalOptions& g, const AdjustmentOptions& o) {
    std::optional<Date> date;
    if (o.approve) {
        if (o.date.empty())
            return ReportError(
                {.code = "usage.date", .field = "--date", .message_zh = "审定须用 --date 指明日期", .message_en = "--approve needs --date"});
        auto d = ParseDateOption(o.date, "--date");
        if (!d) return ReportError(d.error());
        date = *d;
    } else if (!o.date.empty() || !o.notes.empty()) {
        return ReportError({.code = "usage.approve", .field = "--approve", .message_zh = "--date 和 --notes 只用于 --approve", .message_en = "--date and --notes go with --approve"});
    }
    auto d = OpenDynamic(g);
    if (!d) return ReportError(d.error());
    const Session& s = (*d)->session;
    std::optional<AdjustmentApproval> approval;
    if (o.approve) {
        auto a = (*d)->dynamic.Approve((*d)->actor, o.year, *date, o.notes, NowIso());
        if (!a) return ReportFailure(a.error());
        approval = std::move(*a);
    } else {
        auto a = (*d)->dynamic.ApprovalOf(o.year);
        if (!a) return ReportFailure(a.error());
        approval = std::move(*a);
    }
    auto summary = (*d)->dynamic.Adjustment(o.year, (*d)->actor.scope);
    if (!summary) return ReportFailure(summary.error());
    if (g.json) {
        PrintJson(service::AdjustmentJson(*summary, s.tree, approval));
        return kExitOk;
    }
    std::printf("%d年动态调整 Dynamic adjustment of %d\n", o.year, o.year);
    if (o.approve) {
        // The year's reallocation of the asset-income shares ran with the approval (docs/shares.md).
        int64_t moves = 0;
        auto assets = s.store->ListAssets("");
        if (!assets) return ReportFailure(assets.error());
        for (const Asset& a : *assets) {
            auto listed = s.store->ListShareMoves(a.id);
            if (!listed) return ReportFailure(listed.error());
            for (const StoredShareMove& m : *listed) moves += m.move.year == o.year && m.date == *date ? 1 : 0;
        }
        std::printf("资产收益股权调整 Asset-income shares reallocated: %lld moves over %zu assets\n",
                    static_cast<long long>(moves), assets->size());
    }
    std::printf("%-22s %14s %14s %12s %14s %10s %10s %6s %6s\n", "乡镇 township", "退出 exits", "新识别 new",
                "返贫 fallback", "销户 deregist.", "增员 in", "减员 out", "缓冲 buf", "未结 open");
    auto row = [](const std::string& label, const AdjustmentCounts& n) {
        auto pair = [](int64_t a, int64_t b) { return std::to_string(a) + "户/" + std::to_string(b) + "人"; };
        std::printf("%-22s %14s %14s %12s %14s %10lld %10lld %6lld %6lld\n", label.c_str(),
                    pair(n.exits, n.exit_persons).c_str(), pair(n.new_identifications, n.new_persons).c_str(),
                    pair(n.fallbacks, n.fallback_persons).c_str(),
                    pair(n.deregistrations, n.deregistered_persons).c_str(),
                    static_cast<long long>(n.members_in), static_cast<long long>(n.members_out),
                    static_cast<long long>(n.buffer_ends), static_cast<long long>(n.open_cases));
    };
    for (const auto& [code, n] : summary->townships) row(NameOf(s.tree, code) + " " + code, n);
    row("合计 total", summary->total);
    if (approval)
        std::printf("已审定 Approved on %s by %s (recorded %s)%s%s\n",
                    approval->approved_on.ToString().c_str(), approval->approved_by.c_str(),
                    approval->approved_at.c_str(), approval->notes.empty() ? "" : ": ",
                    approval->notes.c_str());
    else
        std::printf("未审定 Not approved yet\n");
    return kExitOk;
}

// ---------------------------------------------------------------------------------- evaluation

int RunEvaluationDraw(const GlobalOptions& g, const EvaluationOptions& o) {
    auto d = OpenDynamic(g);
    if (!d) return ReportError(d.error());
    auto e = (*d)->dynamic.Draw((*d)->actor, o.year, o.size, o.seed, NowIso());
    if (!e) return ReportFailure(e.error());
    return PrintEvaluationResult(g, **d, *e, true);
}

int RunEvaluationShow(const GlobalOptions& g, int64_t id) {
    auto d = OpenDynamic(g);
    if (!d) return ReportError(d.error());
    auto e = (*d)->session.store->FindEvaluation(id);
    if (!e) return ReportFailure(e.error());
    if (!*e)
        return ReportFailure(
            NotFound("评估 " + std::to_string(id), "evaluation " + std::to_string(id)).error());
    return PrintEvaluationResult(g, **d, **e, true);
}

int RunEvaluationList(const GlobalOptions& g) {
    auto d = OpenDynamic(g);
    if (!d) return ReportError(d.error());
    auto list = (*d)->session.store->ListEvaluations();
    if (!list) return ReportFailure(list.error());
    json::array items;
    if (!g.json) std::printf("第三方评估 Evaluations: %zu\n", list->size());
    for (const Evaluation& e : *list) {
        auto rates = (*d)->dynamic.Rates(e);
        if (!rates) return ReportFailure(rates.error());
        if (g.json)
            items.push_back(service::EvaluationJson(e, *rates));
        else
            std::printf(
                "  #%lld  %d年 year %d  seed %llu  样本 sampled %lld  已核查 judged %lld  错退率 wrongful %s "
                " %s\n",
                static_cast<long long>(e.id), e.year, e.year, static_cast<unsigned long long>(e.seed),
                static_cast<long long>(rates->sampled), static_cast<long long>(rates->judged),
                Percent(rates->wrongful_exit_rate).c_str(),
                rates->passed ? "通过 passed" : "未通过 not passed");
    }
    if (g.json) PrintJson({{"items", std::move(items)}});
    return kExitOk;
}

int RunEvaluationVerdict(const GlobalOptions& g, const EvaluationOptions& o) {
    const auto verdict = ParseVerdict(o.verdict);
    if (!verdict)
        return ReportError({.code = "usage.verdict", .field = "verdict", .message_zh = "结论应为 correct、wrongful 或 pending: " + o.verdict, .message_en = "the verdict must be correct, wrongful or pending: " + o.verdict});
    auto d = OpenDynamic(g);
    if (!d) return ReportError(d.error());
    auto e = (*d)->dynamic.Judge((*d)->actor, o.id, o.household, *verdict, o.notes, NowIso());
    if (!e) return ReportFailure(e.error());
    return PrintEvaluationResult(g, **d, *e, false);
}

int RunEvaluationSurvey(const GlobalOptions& g, const EvaluationOptions& o) {
    auto d = OpenDynamic(g);
    if (!d) return ReportError(d.error());
    service::Dynamic::Survey survey{o.non_poor_surveyed, o.missed_found, o.approval_surveyed,
                                    o.approval_satisfied};
    auto e = (*d)->dynamic.RecordSurvey((*d)->actor, o.id, survey, NowIso());
    if (!e) return ReportFailure(e.error());
    return PrintEvaluationResult(g, **d, *e, false);
}


// -------------------------------------------------------------------------------- registration

void RegisterExitCommands(Registry& registry) {
    CLI::App& app = registry.app();
    const GlobalOptions& g = registry.global();

    auto exit_candidates = std::make_shared<ExitCandidatesOptions>();
    auto* exit_candidates_cmd = app.add_subcommand(
        "exit-candidates", "Households that may exit in a year, and what the others still lack");
    exit_candidates_cmd->add_option("--year", exit_candidates->year, "Year of the exit")->required();
    exit_candidates_cmd->add_option("--division", exit_candidates->division,
                                    "Only this org unit (township or village code)");
    exit_candidates_cmd->add_option("--as-of", exit_candidates->as_of,
                                    "Compute ages on this date (default: December 31 of the year)");
    registry.Runs(exit_candidates_cmd, [&g, exit_candidates] { return RunExitCandidates(g, *exit_candidates); });

    auto incidence_year = std::make_shared<int>(0);
    auto* incidence_cmd = app.add_subcommand(
        "incidence", "Poverty incidence by village, township and county against the thresholds");
    incidence_cmd->add_option("--year", *incidence_year, "Year (poor at its end)")->required();
    registry.Runs(incidence_cmd, [&g, incidence_year] { return RunIncidence(g, *incidence_year); });

    auto* population_cmd =
        app.add_subcommand("population", "Rural population by org unit and year (for incidence)");
    population_cmd->require_subcommand(1);
    auto population_set = std::make_shared<PopulationSetOptions>();
    auto* population_set_cmd =
        population_cmd->add_subcommand("set", "Set an org unit's rural population for a year");
    population_set_cmd->add_option("code", population_set->code, "Org-unit code (county, township or village)")
        ->required();
    population_set_cmd->add_option("persons", population_set->persons, "Rural population (persons)")
        ->required();
    population_set_cmd->add_option("--year", population_set->year, "Year")->required();
    registry.Runs(population_set_cmd, [&g, population_set] { return RunPopulationSet(g, *population_set); });
    auto* population_list_cmd = population_cmd->add_subcommand("list", "List the population settings");
    registry.Runs(population_list_cmd, [&g] { return RunPopulationList(g); });
}


void RegisterEvaluationCommands(Registry& registry) {
    CLI::App& app = registry.app();
    const GlobalOptions& g = registry.global();

    auto adjustment = std::make_shared<AdjustmentOptions>();
    auto* adjustment_cmd = app.add_subcommand(
        "adjustment", "The year's dynamic adjustment by township; --approve it as a whole");
    adjustment_cmd->add_option("--year", adjustment->year, "Year")->required();
    adjustment_cmd->add_flag("--approve", adjustment->approve, "Approve the year's adjustment (needs --date)");
    adjustment_cmd->add_option("--date", adjustment->date, "Date of the approval (YYYY-MM-DD)");
    adjustment_cmd->add_option("--notes", adjustment->notes, "Notes of the approval");
    registry.Runs(adjustment_cmd, [&g, adjustment] { return RunAdjustment(g, *adjustment); });

    auto* evaluation_cmd = app.add_subcommand("evaluation", "Third-party evaluation of the county's exit");
    evaluation_cmd->require_subcommand(1);
    // draw, show, verdict and survey share one options struct (only one of them runs).
    auto evaluation = std::make_shared<EvaluationOptions>();
    auto* evaluation_draw_cmd =
        evaluation_cmd->add_subcommand("draw", "Draw a reproducible sample of exited households");
    evaluation_draw_cmd->add_option("--year", evaluation->year, "Households exited in this year or before")
        ->required();
    evaluation_draw_cmd->add_option("--size", evaluation->size, "Sample size")->required();
    evaluation_draw_cmd
        ->add_option("--seed", evaluation->seed, "Random seed (the same seed draws the same sample)")
        ->required();
    registry.Runs(evaluation_draw_cmd, [&g, evaluation] { return RunEvaluationDraw(g, *evaluation); });
    auto* evaluation_show_cmd =
        evaluation_cmd->add_subcommand("show", "An evaluation with its sample and rates");
    evaluation_show_cmd->add_option("id", evaluation->id, "Evaluation id")->required();
    registry.Runs(evaluation_show_cmd, [&g, evaluation] { return RunEvaluationShow(g, evaluation->id); });
    auto* evaluation_list_cmd = evaluation_cmd->add_subcommand("list", "List evaluations");
    registry.Runs(evaluation_list_cmd, [&g] { return RunEvaluationList(g); });
    auto* evaluation_verdict_cmd =
        evaluation_cmd->add_subcommand("verdict", "Record the verdict on a sampled household");
    evaluation_verdict_cmd->add_option("id", evaluation->id, "Evaluation id")->required();
    evaluation_verdict_cmd->add_option("code", evaluation->household, "Household code")->required();
    evaluation_verdict_cmd->add_option("verdict", evaluation->verdict, "correct, wrongful or pending")
        ->required();
    evaluation_verdict_cmd->add_option("--notes", evaluation->notes, "Notes");
    registry.Runs(evaluation_verdict_cmd, [&g, evaluation] { return RunEvaluationVerdict(g, *evaluation); });

    // The survey's figures are optional: only those given are recorded.
    struct SurveyFigures {
        int64_t non_poor_surveyed = 0, missed_found = 0, approval_surveyed = 0, approval_satisfied = 0;
    };
    auto survey = std::make_shared<SurveyFigures>();
    auto* evaluation_survey_cmd =
        evaluation_cmd->add_subcommand("survey", "Record the survey figures (missed poor, approval)");
    evaluation_survey_cmd->add_option("id", evaluation->id, "Evaluation id")->required();
    auto* non_poor_opt = evaluation_survey_cmd->add_option("--non-poor-surveyed", survey->non_poor_surveyed,
                                                           "Non-registered households surveyed");
    auto* missed_opt = evaluation_survey_cmd->add_option("--missed-found", survey->missed_found,
                                                         "Of them, poor households that were missed");
    auto* approval_surveyed_opt =
        evaluation_survey_cmd->add_option("--approval-surveyed", survey->approval_surveyed, "People asked");
    auto* approval_satisfied_opt =
        evaluation_survey_cmd->add_option("--approval-satisfied", survey->approval_satisfied, "Of them, satisfied");
    registry.Runs(evaluation_survey_cmd, [&g, evaluation, survey, non_poor_opt, missed_opt, approval_surveyed_opt,
                                          approval_satisfied_opt] {
        if (non_poor_opt->count() > 0) evaluation->non_poor_surveyed = survey->non_poor_surveyed;
        if (missed_opt->count() > 0) evaluation->missed_found = survey->missed_found;
        if (approval_surveyed_opt->count() > 0) evaluation->approval_surveyed = survey->approval_surveyed;
        if (approval_satisfied_opt->count() > 0) evaluation->approval_satisfied = survey->approval_satisfied;
        return RunEvaluationSurvey(g, *evaluation);
    });
}
}  // namespace jz::cli
