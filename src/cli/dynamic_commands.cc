// Dynamic management from the command line (docs/dynamic-management.md): exit candidates,
// incidence, population, procedure cases, the year's adjustment and the third-party evaluation.
// Each command is thin: it parses what the options say, asks service::Dynamic, and prints the
// result (human text, or the API's JSON with --json). The CLI acts as a county-level admin.
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
#include "core/codes.h"
#include "service/dynamic.h"
#include "service/household_input.h"

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

struct ProcedureListOptions {
    std::string kind;
    std::string state;
    std::string division;
    std::string household;
    std::optional<int> year;
    bool open_only = false;
};

struct ProcedureOpenOptions {
    std::string kind;            // new_identification | exit
    std::string household_file;  // new_identification
    std::string household;       // exit
    int year = 0;
    std::string date;
    std::string notes;
};

struct ProcedureStepOptions {
    int64_t id = 0;
    std::string step;
    std::string date;
    std::string outcome;
    std::string notes;
    std::vector<std::string> exclusions;
    std::vector<std::string> against;  // KIND=FILE
};

// fallback, deregister, member: one-step changes of a household.
struct ProcedureChangeOptions {
    std::string household;
    int year = 0;
    std::string date;
    std::string reason;  // fallback: text; deregister: death | moved_away | wrongly_registered
    std::string notes;
    std::string change;  // member: the change's name or code (死亡, 新生儿, ...)
    std::string id_number;
    std::string new_head;
    std::string person_file;
};

struct EndBufferOptions {
    int year = 0;
    std::string date;
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

// Prints the failure as one line and chooses the exit status by its kind; a refusal also names
// the rule that refused it (procedure.notice_period, household.deregistered, ...).
int ReportFailure(const Error& error) {
    const service::FailureKind kind = service::KindOf(error);
    const bool refused = kind == service::FailureKind::kForbidden || kind == service::FailureKind::kRefused ||
                         kind == service::FailureKind::kConflict;
    std::cerr << "jingzhun: " << error.ToString() << (refused ? " [" + error.code + "]" : std::string())
              << "\n";
    switch (kind) {
        case service::FailureKind::kInput:
        case service::FailureKind::kNotFound:
            return kExitUsage;
        case service::FailureKind::kForbidden:
        case service::FailureKind::kRefused:
        case service::FailureKind::kConflict:
            return kExitRefused;
        case service::FailureKind::kStore:
            break;
    }
    return kExitFindings;  // 1: the database failed
}

int ReportFieldError(const service::FieldError& f) {
    return ReportError({f.code, f.field, f.reason_zh, f.reason_en});
}

std::unexpected<Error> NotFound(const std::string& what_zh, const std::string& what_en) {
    return Fail("not_found", "", "找不到" + what_zh, what_en + " not found");
}

// An open session with the service over it, acting as the county's administrator.
struct DynamicSession {
    Session session;
    service::Dynamic dynamic;
    service::Actor actor;
    DynamicSession(Session s, const std::string& username)
        : session(std::move(s)),
          dynamic(*session.store, session.plan, session.tree),
          actor{Role::kAdmin, username, session.plan.county_code} {}
};

Result<std::unique_ptr<DynamicSession>> OpenDynamic(const GlobalOptions& g) {
    auto session = OpenSession(g);
    if (!session) return std::unexpected(session.error());
    return std::make_unique<DynamicSession>(std::move(*session), g.actor);
}

std::string NameOf(const OrgTree& tree, const std::string& code) {
    const OrgUnit* u = tree.Find(code);
    return u ? u->name() : std::string("?");
}

std::string Percent(const std::optional<double>& ratio) {
    if (!ratio) return "—";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f%%", *ratio * 100);
    return buf;
}

std::string Str(std::string_view s) { return std::string(s); }

// ------------------------------------------------------------------------------ procedure cases

void PrintCaseLine(const ProcedureCase& c, const Plan& plan) {
    std::string next = "—";
    if (auto n = NextStepOf(c, plan)) {
        next = n->step + " " + Str(StepNameZh(n->step)) + " (" + Str(LevelNameZh(n->level)) + " " +
               Str(LevelName(n->level)) + ")";
        if (n->not_before) next += " ≥ " + n->not_before->ToString();
    }
    const ProcedureStep* last = c.last_step();
    std::printf("#%-5lld %s %-14s %s %s(%s) 下一步 next: %s  最近 last: %s\n", static_cast<long long>(c.id),
                Str(ProcedureKindNameZh(c.kind)).c_str(), Str(ProcedureKindName(c.kind)).c_str(),
                c.household_code.c_str(), Str(StateNameZh(c.kind, c.state)).c_str(), c.state.c_str(),
                next.c_str(), last ? last->date.ToString().c_str() : "—");
}

void PrintCase(const ProcedureCase& c, const Session& s) {
    std::printf("案件 Case #%lld (version %lld): %s %s, %d年 year %d\n", static_cast<long long>(c.id),
                static_cast<long long>(c.version), Str(ProcedureKindNameZh(c.kind)).c_str(),
                Str(ProcedureKindName(c.kind)).c_str(), c.year, c.year);
    std::printf("  农户 household: %s  村 village: %s %s  人数 persons: %d\n", c.household_code.c_str(),
                NameOf(s.tree, c.division_code).c_str(), c.division_code.c_str(), c.persons);
    std::printf("  状态 state: %s (%s)%s\n", Str(StateNameZh(c.kind, c.state)).c_str(), c.state.c_str(),
                c.open ? "  办理中 open" : "  已办结 closed");
    if (!c.reason.empty()) std::printf("  原因 reason: %s\n", c.reason.c_str());
    if (c.member_change)
        std::printf("  成员变更 member change: %s %s\n",
                    Str(codes::MemberChange().NameOf(*c.member_change)).c_str(), c.member_id_number.c_str());
    if (!c.exclusions.empty()) {
        std::printf("  排除情形 exclusions:");
        for (const std::string& x : c.exclusions)
            std::printf(" %s(%s)", Str(ExclusionNameZh(x)).c_str(), x.c_str());
        std::printf("\n");
    }
    if (c.notice_until) std::printf("  公示截止 notice until: %s\n", c.notice_until->ToString().c_str());
    std::printf("  步骤 steps:\n");
    for (const ProcedureStep& st : c.steps)
        std::printf("    %s  %-8s %s  %s → %s  结果 outcome: %s  %s%s%s\n", st.date.ToString().c_str(),
                    st.step.c_str(), Str(StepNameZh(st.step)).c_str(),
                    st.from_state.empty() ? "—" : st.from_state.c_str(), st.to_state.c_str(),
                    st.outcome.c_str(), st.actor.c_str(),
                    st.notes.empty() ? "" : "  备注 notes: ", st.notes.c_str());
    if (auto n = NextStepOf(c, s.plan)) {
        std::printf("  下一步 next: %s %s (%s %s)", n->step.c_str(), Str(StepNameZh(n->step)).c_str(),
                    Str(LevelNameZh(n->level)).c_str(), Str(LevelName(n->level)).c_str());
        if (n->not_before) std::printf(", 不早于 not before %s", n->not_before->ToString().c_str());
        std::printf("\n");
        const auto allowed = AllowedSteps(c);
        if (allowed.size() > 1) {
            std::printf("  可办步骤 allowed:");
            for (const std::string& a : allowed) std::printf(" %s", a.c_str());
            std::printf("\n");
        }
    }
}

int PrintCaseResult(const GlobalOptions& g, const ProcedureCase& c, const Session& s) {
    if (g.json)
        PrintJson(service::CaseJson(c, s.plan));
    else
        PrintCase(c, s);
    return kExitOk;
}

// Accepts a JSON file as a value (unparseable text is unusable input).
Result<json::value> ReadJsonFile(const std::string& path, const std::string& option) {
    auto text = ReadFile(path);
    if (!text) return std::unexpected(text.error());
    json::error_code ec;
    json::value v = json::parse(*text, ec);
    if (ec || !v.is_object())
        return Fail("json.invalid", option, path + " 不是JSON对象", path + " is not a JSON object");
    return v;
}

void PrintWarnings(const GlobalOptions& g, const std::vector<service::FieldError>& warnings) {
    if (g.json) return;
    for (const service::FieldError& w : warnings)
        std::cerr << "jingzhun: 警告 warning: " << w.field << ": " << w.reason_zh << " / " << w.reason_en
                  << "\n";
}

// --against KIND=FILE, as check --against reads its lists.
Result<std::vector<ExternalList>> ReadAgainst(const GlobalOptions& g,
                                              const std::vector<std::string>& against) {
    std::vector<ExternalList> lists;
    for (const std::string& spec : against) {
        const auto eq = spec.find('=');
        if (eq == std::string::npos)
            return Fail("usage.against", "--against", "--against 应为 类别=文件: " + spec,
                        "--against must be KIND=FILE: " + spec);
        const std::string kind_name = spec.substr(0, eq);
        const std::string path = spec.substr(eq + 1);
        auto kind = ParseListKind(kind_name);
        if (!kind)
            return Fail("usage.list_kind", "--against", "未知的名单类别: " + kind_name,
                        "unknown list kind: " + kind_name +
                            " (deceased, public_payroll, vehicle, real_estate, business)");
        int64_t skipped = 0;
        auto list = ReadList(path, *kind, skipped);
        if (!list) return std::unexpected(list.error());
        if (skipped > 0 && !g.json)
            std::fprintf(
                stderr, "jingzhun: %s: 跳过%lld行无效证件号码 / skipped %lld lines that are not ID numbers\n",
                path.c_str(), static_cast<long long>(skipped), static_cast<long long>(skipped));
        list->Normalize();
        lists.push_back(std::move(*list));
    }
    return lists;
}

// Opens a one-step change (fallback, deregistration, member change) and prints the case.
int OpenChange(const GlobalOptions& g, DynamicSession& d, service::OpenRequest request) {
    auto c = d.dynamic.Open(d.actor, request, NowIso());
    if (!c) return ReportFailure(c.error());
    return PrintCaseResult(g, *c, d.session);
}

Result<service::OpenRequest> ChangeRequest(ProcedureKind kind, const ProcedureChangeOptions& o) {
    auto date = ParseDateOption(o.date, "--date");
    if (!date) return std::unexpected(date.error());
    service::OpenRequest request;
    request.kind = kind;
    request.year = o.year;
    request.date = *date;
    request.notes = o.notes;
    request.household_code = o.household;
    request.reason = o.reason;
    return request;
}

// The joining member of a member change: the person JSON is added to the household's current JSON
// and the whole accepted by the importer's rules; the member that was not there before is it.
Result<Person> AcceptJoiningPerson(const GlobalOptions& g, const Session& s, const Household& current,
                                   const std::string& person_file) {
    auto person = ReadJsonFile(person_file, "--person-file");
    if (!person) return std::unexpected(person.error());
    json::value household = json::parse(HouseholdToJson(current));
    json::array& members = household.as_object()["members"].as_array();
    const std::string prefix = "members[" + std::to_string(members.size()) + "]";
    members.push_back(*person);
    auto accepted = service::AcceptHouseholdJson(household, AssemblyContext{s.plan, s.tree});
    if (!accepted) {
        service::FieldError f = accepted.error().front();
        if (f.field.starts_with(prefix)) f.field = "person" + f.field.substr(prefix.size());
        return Fail(f.code, f.field, f.reason_zh, f.reason_en);
    }
    PrintWarnings(g, accepted->warnings);
    for (const Person& p : accepted->household.members)
        if (std::ranges::none_of(current.members,
                                 [&](const Person& q) { return q.id_number == p.id_number; }))
            return p;
    return Fail("input.person", "--person-file", "该人已是本户成员",
                "the person is already a member of the household");
}

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
        return ReportError({"usage.division", "--division", "未知的行政区划代码: " + o.division,
                            "unknown division code: " + o.division});
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
            u.meets_threshold() ? "达标 meets" : (u.incidence ? "未达标 does not meet" : "无法判断 unknown"));
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

// ---------------------------------------------------------------------------------- procedures

int RunProcedureList(const GlobalOptions& g, const ProcedureListOptions& o) {
    CaseFilter filter;
    if (!o.kind.empty()) {
        filter.kind = ParseProcedureKind(o.kind);
        if (!filter.kind)
            return ReportError(
                {"usage.kind", "--kind", "未知的案件类型: " + o.kind,
                 "unknown kind: " + o.kind +
                     " (new_identification, exit, fallback, deregistration, member_change, buffer_end)"});
    }
    if (!o.state.empty()) filter.state = o.state;
    if (!o.household.empty()) filter.household_code = o.household;
    filter.year = o.year;
    if (o.open_only) filter.open = true;
    filter.limit = INT64_MAX;
    auto d = OpenDynamic(g);
    if (!d) return ReportError(d.error());
    const Session& s = (*d)->session;
    if (!o.division.empty() && !s.tree.Find(o.division))
        return ReportError({"usage.division", "--division", "未知的行政区划代码: " + o.division,
                            "unknown division code: " + o.division});
    filter.division_prefix = o.division.empty() ? s.plan.county_code : o.division;
    auto total = s.store->CountCases(filter);
    if (!total) return ReportFailure(total.error());
    auto cases = s.store->ListCases(filter);
    if (!cases) return ReportFailure(cases.error());
    if (g.json) {
        json::array items;
        for (const ProcedureCase& c : *cases) items.push_back(service::CaseJson(c, s.plan));
        PrintJson({{"total", *total}, {"items", std::move(items)}});
        return kExitOk;
    }
    std::printf("案件 Cases: %lld\n", static_cast<long long>(*total));
    for (const ProcedureCase& c : *cases) PrintCaseLine(c, s.plan);
    return kExitOk;
}

int RunProcedureShow(const GlobalOptions& g, int64_t id) {
    auto d = OpenDynamic(g);
    if (!d) return ReportError(d.error());
    auto c = (*d)->dynamic.Find(id, (*d)->actor.scope);
    if (!c) return ReportFailure(c.error());
    if (!*c)
        return ReportFailure(NotFound("案件 " + std::to_string(id), "case " + std::to_string(id)).error());
    return PrintCaseResult(g, **c, (*d)->session);
}

int RunProcedureOpen(const GlobalOptions& g, const ProcedureOpenOptions& o) {
    const auto kind = ParseProcedureKind(o.kind);
    if (!kind || (*kind != ProcedureKind::kNewIdentification && *kind != ProcedureKind::kExit))
        return ReportError({"usage.kind", "kind", "只能开启 new_identification 或 exit 案件: " + o.kind,
                            "only new_identification or exit cases are opened: " + o.kind +
                                " (fallback, deregister, member, end-buffer are their own commands)"});
    auto date = ParseDateOption(o.date, "--date");
    if (!date) return ReportError(date.error());
    service::OpenRequest request;
    request.kind = *kind;
    request.year = o.year;
    request.date = *date;
    request.notes = o.notes;
    if (*kind == ProcedureKind::kExit) {
        if (o.household.empty())
            return ReportError({"usage.household", "--household", "退出案件须用 --household 指明农户",
                                "an exit case needs --household"});
        request.household_code = o.household;
    } else if (o.household_file.empty()) {
        return ReportError({"usage.household_file", "--household-file",
                            "新识别案件须用 --household-file 提供农户",
                            "a new identification needs --household-file"});
    }
    auto d = OpenDynamic(g);
    if (!d) return ReportError(d.error());
    if (*kind == ProcedureKind::kNewIdentification) {
        auto body = ReadJsonFile(o.household_file, "--household-file");
        if (!body) return ReportError(body.error());
        auto accepted =
            service::AcceptHouseholdJson(*body, AssemblyContext{(*d)->session.plan, (*d)->session.tree});
        if (!accepted) return ReportFieldError(accepted.error().front());
        PrintWarnings(g, accepted->warnings);
        request.proposal = std::move(accepted->household);
    }
    auto c = (*d)->dynamic.Open((*d)->actor, request, NowIso());
    if (!c) return ReportFailure(c.error());
    return PrintCaseResult(g, *c, (*d)->session);
}

int RunProcedureStep(const GlobalOptions& g, const ProcedureStepOptions& o) {
    auto date = ParseDateOption(o.date, "--date");
    if (!date) return ReportError(date.error());
    auto lists = ReadAgainst(g, o.against);
    if (!lists) return ReportError(lists.error());
    auto d = OpenDynamic(g);
    if (!d) return ReportError(d.error());
    StepRequest request{o.step, *date, o.outcome, o.notes, o.exclusions};
    auto c = (*d)->dynamic.Step((*d)->actor, o.id, request, std::nullopt, *lists, NowIso());
    if (!c) return ReportFailure(c.error());
    return PrintCaseResult(g, *c, (*d)->session);
}

int RunProcedureFallback(const GlobalOptions& g, const ProcedureChangeOptions& o) {
    auto request = ChangeRequest(ProcedureKind::kFallback, o);
    if (!request) return ReportError(request.error());
    auto d = OpenDynamic(g);
    if (!d) return ReportError(d.error());
    return OpenChange(g, **d, std::move(*request));
}

int RunProcedureDeregister(const GlobalOptions& g, const ProcedureChangeOptions& o) {
    auto request = ChangeRequest(ProcedureKind::kDeregistration, o);
    if (!request) return ReportError(request.error());
    if (!ParseDeregistrationReason(o.reason))
        return ReportError({"usage.reason", "--reason",
                            "销户原因应为 death、moved_away 或 wrongly_registered: " + o.reason,
                            "the reason must be death, moved_away or wrongly_registered: " + o.reason});
    auto d = OpenDynamic(g);
    if (!d) return ReportError(d.error());
    return OpenChange(g, **d, std::move(*request));
}

int RunProcedureMember(const GlobalOptions& g, const ProcedureChangeOptions& o) {
    auto request = ChangeRequest(ProcedureKind::kMemberChange, o);
    if (!request) return ReportError(request.error());
    const auto change = codes::MemberChange().Parse(o.change);
    if (!change)
        return ReportError({"usage.change", "--change", "未知的成员变更: " + o.change,
                            "unknown member change: " + o.change +
                                " (死亡, 嫁出, 出国定居, 判刑收监, 其他转出; 嫁入, 新生儿, 其他转入)"});
    request->member.change = *change;
    request->member.notes = o.notes;
    const bool leaves = MemberLeaves(*change);
    if (leaves && (o.id_number.empty() || !o.person_file.empty()))
        return ReportError({"usage.id_number", "--id-number",
                            "成员迁出须用 --id-number 指明该成员(不用 --person-file)",
                            "a member leaving is named by --id-number (not --person-file)"});
    if (!leaves && (o.person_file.empty() || !o.id_number.empty() || !o.new_head.empty()))
        return ReportError({"usage.person_file", "--person-file", "成员迁入须用 --person-file 提供该成员",
                            "a member joining is given by --person-file (not --id-number or --new-head)"});
    auto d = OpenDynamic(g);
    if (!d) return ReportError(d.error());
    if (leaves) {
        request->member.id_number = o.id_number;
        request->member.new_head = o.new_head;
    } else {
        auto record = (*d)->session.store->FindHousehold(o.household);
        if (!record) return ReportFailure(record.error());
        if (!*record)
            return ReportFailure(NotFound("农户 " + o.household, "household " + o.household).error());
        auto person = AcceptJoiningPerson(g, (*d)->session, (*record)->household, o.person_file);
        if (!person) return ReportError(person.error());
        request->member.joining = std::move(*person);
    }
    return OpenChange(g, **d, std::move(*request));
}

int RunProcedureEndBuffer(const GlobalOptions& g, const EndBufferOptions& o) {
    auto date = ParseDateOption(o.date, "--date");
    if (!date) return ReportError(date.error());
    auto d = OpenDynamic(g);
    if (!d) return ReportError(d.error());
    auto ids = (*d)->dynamic.EndBuffers((*d)->actor, o.year, *date, NowIso());
    if (!ids) return ReportFailure(ids.error());
    if (g.json) {
        json::array cases;
        for (int64_t id : *ids) cases.emplace_back(id);
        PrintJson({{"count", ids->size()}, {"cases", std::move(cases)}});
        return kExitOk;
    }
    std::printf("缓冲期结束 Buffer period ended for %zu households", ids->size());
    if (!ids->empty()) {
        std::printf(": 案件 cases");
        for (int64_t id : *ids) std::printf(" #%lld", static_cast<long long>(id));
    }
    std::printf("\n");
    return kExitOk;
}

// ---------------------------------------------------------------------------------- adjustment

int RunAdjustment(const GlobalOptions& g, const AdjustmentOptions& o) {
    std::optional<Date> date;
    if (o.approve) {
        if (o.date.empty())
            return ReportError(
                {"usage.date", "--date", "审定须用 --date 指明日期", "--approve needs --date"});
        auto d = ParseDateOption(o.date, "--date");
        if (!d) return ReportError(d.error());
        date = *d;
    } else if (!o.date.empty() || !o.notes.empty()) {
        return ReportError({"usage.approve", "--approve", "--date 和 --notes 只用于 --approve",
                            "--date and --notes go with --approve"});
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
        return ReportError({"usage.verdict", "verdict", "结论应为 correct、wrongful 或 pending: " + o.verdict,
                            "the verdict must be correct, wrongful or pending: " + o.verdict});
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

void RegisterProcedureCommands(Registry& registry) {
    const GlobalOptions& g = registry.global();
    auto* procedure_cmd = registry.app().add_subcommand(
        "procedure", "Procedure cases: identification, exit, fallback, deregistration, members");
    procedure_cmd->require_subcommand(1);

    auto procedure_list = std::make_shared<ProcedureListOptions>();
    auto procedure_list_year = std::make_shared<int>(0);
    auto* procedure_list_cmd = procedure_cmd->add_subcommand("list", "List cases (ordered by id)");
    procedure_list_cmd->add_option(
        "--kind", procedure_list->kind,
        "new_identification, exit, fallback, deregistration, member_change, buffer_end");
    procedure_list_cmd->add_option("--state", procedure_list->state, "Only cases in this state");
    procedure_list_cmd->add_option("--division", procedure_list->division, "Only cases under this org unit");
    procedure_list_cmd->add_option("--household", procedure_list->household, "Only this household's cases");
    auto* procedure_list_year_opt =
        procedure_list_cmd->add_option("--year", *procedure_list_year, "Only cases of this year's adjustment");
    procedure_list_cmd->add_flag("--open", procedure_list->open_only, "Only open cases");
    registry.Runs(procedure_list_cmd, [&g, procedure_list, procedure_list_year, procedure_list_year_opt] {
        if (procedure_list_year_opt->count() > 0) procedure_list->year = *procedure_list_year;
        return RunProcedureList(g, *procedure_list);
    });

    auto procedure_show_id = std::make_shared<int64_t>(0);
    auto* procedure_show_cmd = procedure_cmd->add_subcommand("show", "A case with every step");
    procedure_show_cmd->add_option("id", *procedure_show_id, "Case id")->required();
    registry.Runs(procedure_show_cmd, [&g, procedure_show_id] { return RunProcedureShow(g, *procedure_show_id); });

    auto procedure_open = std::make_shared<ProcedureOpenOptions>();
    auto* procedure_open_cmd = procedure_cmd->add_subcommand(
        "open", "Open a new identification (--household-file) or an exit (--household)");
    procedure_open_cmd->add_option("kind", procedure_open->kind, "new_identification or exit")->required();
    procedure_open_cmd->add_option(
        "--household-file", procedure_open->household_file,
        "new_identification: the proposed household as JSON (the API's household shape)");
    procedure_open_cmd->add_option("--household", procedure_open->household, "exit: the household code");
    procedure_open_cmd->add_option("--year", procedure_open->year, "Year of the dynamic adjustment")
        ->required();
    procedure_open_cmd->add_option("--date", procedure_open->date, "Date of the first step (YYYY-MM-DD)")
        ->required();
    procedure_open_cmd->add_option("--notes", procedure_open->notes, "Notes");
    registry.Runs(procedure_open_cmd, [&g, procedure_open] { return RunProcedureOpen(g, *procedure_open); });

    auto procedure_step = std::make_shared<ProcedureStepOptions>();
    auto* procedure_step_cmd = procedure_cmd->add_subcommand("step", "Take the next step of a case");
    procedure_step_cmd->add_option("id", procedure_step->id, "Case id")->required();
    procedure_step_cmd
        ->add_option("step", procedure_step->step,
                     "apply, propose, appraise, verify, notice, object, review, approve, agree, announce")
        ->required();
    procedure_step_cmd->add_option("--date", procedure_step->date, "Date of the step (YYYY-MM-DD)")
        ->required();
    procedure_step_cmd->add_option("--outcome", procedure_step->outcome,
                                   "passed (default), rejected, disagreed (agree), ...");
    procedure_step_cmd->add_option("--notes", procedure_step->notes, "Notes");
    procedure_step_cmd->add_option("--exclusion", procedure_step->exclusions,
                                   "verify: exclusion fact found (public_payroll, village_cadre, vehicle, "
                                   "commercial_housing, business); "
                                   "repeatable");
    procedure_step_cmd->add_option("--against", procedure_step->against,
                                   "approve: external list KIND=FILE (deceased, public_payroll, vehicle, "
                                   "real_estate, business; as check --against); repeatable");
    registry.Runs(procedure_step_cmd, [&g, procedure_step] { return RunProcedureStep(g, *procedure_step); });

    // fallback, deregister and member share one options struct (only one of them runs).
    auto procedure_change = std::make_shared<ProcedureChangeOptions>();
    auto* procedure_fallback_cmd =
        procedure_cmd->add_subcommand("fallback", "An exited household is poor again (返贫)");
    procedure_fallback_cmd->add_option("--household", procedure_change->household, "Household code")
        ->required();
    procedure_fallback_cmd->add_option("--year", procedure_change->year, "Year of the dynamic adjustment")
        ->required();
    procedure_fallback_cmd->add_option("--date", procedure_change->date, "Date (YYYY-MM-DD)")->required();
    procedure_fallback_cmd->add_option("--reason", procedure_change->reason, "Why (text)")->required();
    registry.Runs(procedure_fallback_cmd,
                  [&g, procedure_change] { return RunProcedureFallback(g, *procedure_change); });
    auto* procedure_deregister_cmd =
        procedure_cmd->add_subcommand("deregister", "Remove a household from the registry (销户)");
    procedure_deregister_cmd->add_option("--household", procedure_change->household, "Household code")
        ->required();
    procedure_deregister_cmd->add_option("--year", procedure_change->year, "Year of the dynamic adjustment")
        ->required();
    procedure_deregister_cmd->add_option("--date", procedure_change->date, "Date (YYYY-MM-DD)")->required();
    procedure_deregister_cmd
        ->add_option("--reason", procedure_change->reason, "death, moved_away or wrongly_registered")
        ->required();
    procedure_deregister_cmd->add_option("--notes", procedure_change->notes, "Notes");
    registry.Runs(procedure_deregister_cmd,
                  [&g, procedure_change] { return RunProcedureDeregister(g, *procedure_change); });
    auto* procedure_member_cmd =
        procedure_cmd->add_subcommand("member", "A member leaves (--id-number) or joins (--person-file)");
    procedure_member_cmd->add_option("--household", procedure_change->household, "Household code")->required();
    procedure_member_cmd->add_option("--year", procedure_change->year, "Year of the dynamic adjustment")
        ->required();
    procedure_member_cmd->add_option("--date", procedure_change->date, "Date (YYYY-MM-DD)")->required();
    procedure_member_cmd
        ->add_option(
            "--change", procedure_change->change,
            "The change, by name or code: 死亡, 嫁出, 出国定居, 判刑收监, 其他转出 (leaving); 嫁入, 新生儿, "
            "其他转入 (joining)")
        ->required();
    procedure_member_cmd->add_option("--id-number", procedure_change->id_number,
                                     "Leaving: the member's ID number");
    procedure_member_cmd->add_option("--new-head", procedure_change->new_head,
                                     "Leaving head: the ID number of the member taking over");
    procedure_member_cmd->add_option("--person-file", procedure_change->person_file,
                                     "Joining: the person as JSON (a member of the API's household shape)");
    procedure_member_cmd->add_option("--notes", procedure_change->notes, "Notes");
    registry.Runs(procedure_member_cmd,
                  [&g, procedure_change] { return RunProcedureMember(g, *procedure_change); });

    auto end_buffer = std::make_shared<EndBufferOptions>();
    auto* procedure_end_buffer_cmd = procedure_cmd->add_subcommand(
        "end-buffer", "End the buffer period of every household whose buffer has ended by the year");
    procedure_end_buffer_cmd->add_option("--year", end_buffer->year, "Year")->required();
    procedure_end_buffer_cmd->add_option("--date", end_buffer->date, "Date (YYYY-MM-DD)")->required();
    registry.Runs(procedure_end_buffer_cmd, [&g, end_buffer] { return RunProcedureEndBuffer(g, *end_buffer); });
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
