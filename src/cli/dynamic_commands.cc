// Procedure cases from the command line (docs/dynamic-management.md): list, show, open, step,
// fallback, deregister, member, end-buffer; the rest of dynamic management is in year_commands.cc.
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
#include "cli/dynamic_session.h"
#include "core/codes.h"
#include "service/dynamic.h"
#include "service/household_input.h"

namespace jz::cli {
namespace {
namespace json = boost::json;

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

}  // namespace

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

int ReportFieldError(const Error& f) {
    return ReportError({.code = f.code, .field = f.field, .message_zh = f.message_zh, .message_en = f.message_en});
}

std::unexpected<Error> NotFound(const std::string& what_zh, const std::string& what_en) {
    return Fail("not_found", "", "找不到" + what_zh, what_en + " not found");
}

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

namespace {

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
    if (g.json) {
        auto head = service::HeadNameOf(*s.store, c);
        if (!head) return ReportFailure(head.error());
        PrintJson(service::CaseJson(c, s.plan, *head));
    } else
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

void PrintWarnings(const GlobalOptions& g, const std::vector<Error>& warnings) {
    if (g.json) return;
    for (const Error& w : warnings)
        std::cerr << "jingzhun: 警告 warning: " << w.field << ": " << w.message_zh << " / " << w.message_en
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

// The joining member of a member change, by the API's rules (service::AcceptJoiningMember).
Result<Person> AcceptJoiningPerson(const GlobalOptions& g, const Session& s, const Household& current,
                                   const std::string& person_file) {
    auto person = ReadJsonFile(person_file, "--person-file");
    if (!person) return std::unexpected(person.error());
    auto joining = service::AcceptJoiningMember(*person, current, AssemblyContext{s.plan, s.tree});
    if (!joining) {
        const Error& f = joining.error().front();
        return Fail(f.code, f.field, f.message_zh, f.message_en);
    }
    PrintWarnings(g, joining->warnings);
    return std::move(joining->person);
}

}  // namespace

// ---------------------------------------------------------------------------------- procedures

int RunProcedureList(const GlobalOptions& g, const ProcedureListOptions& o) {
    CaseFilter filter;
    if (!o.kind.empty()) {
        filter.kind = ParseProcedureKind(o.kind);
        if (!filter.kind)
            return ReportError(
                {.code = "usage.kind", .field = "--kind", .message_zh = "未知的案件类型: " + o.kind, .message_en = "unknown kind: " + o.kind +
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
        return ReportError({.code = "usage.division", .field = "--division", .message_zh = "未知的行政区划代码: " + o.division, .message_en = "unknown division code: " + o.division});
    filter.division_prefix = o.division.empty() ? s.plan.county_code : o.division;
    auto list = (*d)->dynamic.List(filter);
    if (!list) return ReportFailure(list.error());
    if (g.json) {
        json::array items;
        for (const ProcedureCase& c : list->cases) {
            auto head = service::HeadNameOf(*s.store, c);
            if (!head) return ReportFailure(head.error());
            items.push_back(service::CaseJson(c, s.plan, *head));
        }
        PrintJson({{"total", list->total}, {"items", std::move(items)}});
        return kExitOk;
    }
    std::printf("案件 Cases: %lld\n", static_cast<long long>(list->total));
    for (const ProcedureCase& c : list->cases) PrintCaseLine(c, s.plan);
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
        return ReportError({.code = "usage.kind", .field = "kind", .message_zh = "只能开启 new_identification 或 exit 案件: " + o.kind, .message_en = "only new_identification or exit cases are opened: " + o.kind +
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
            return ReportError({.code = "usage.household", .field = "--household", .message_zh = "退出案件须用 --household 指明农户", .message_en = "an exit case needs --household"});
        request.household_code = o.household;
    } else if (o.household_file.empty()) {
        return ReportError({.code = "usage.household_file", .field = "--household-file", .message_zh = "新识别案件须用 --household-file 提供农户", .message_en = "a new identification needs --household-file"});
    }
    auto d = OpenDynamic(g);
    if (!d) return ReportError(d.error());
    if (*kind == ProcedureKind::kNewIdentification) {
        auto body = ReadJsonFile(o.household_file, "--household-file");
        if (!body) return ReportError(body.error());
        auto accepted =
            service::AcceptHouseholdJson(*body, AssemblyContext{(*d)->session.plan, (*d)->session.tree});
        if (!accepted) return ReportFieldError(accepted.error().front());
        if (auto e = service::CheckNewHouseholdCode(accepted->household)) return ReportFieldError(*e);
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
        return ReportError({.code = "usage.reason", .field = "--reason", .message_zh = "销户原因应为 death、moved_away 或 wrongly_registered: " + o.reason, .message_en = "the reason must be death, moved_away or wrongly_registered: " + o.reason});
    auto d = OpenDynamic(g);
    if (!d) return ReportError(d.error());
    return OpenChange(g, **d, std::move(*request));
}

int RunProcedureMember(const GlobalOptions& g, const ProcedureChangeOptions& o) {
    auto request = ChangeRequest(ProcedureKind::kMemberChange, o);
    if (!request) return ReportError(request.error());
    const auto change = codes::MemberChange().Parse(o.change);
    if (!change)
        return ReportError({.code = "usage.change", .field = "--change", .message_zh = "未知的成员变更: " + o.change, .message_en = "unknown member change: " + o.change +
                                " (死亡, 嫁出, 出国定居, 判刑收监, 其他转出; 嫁入, 新生儿, 其他转入)"});
    request->member.change = *change;
    request->member.notes = o.notes;
    const bool leaves = MemberLeaves(*change);
    if (leaves && (o.id_number.empty() || !o.person_file.empty()))
        return ReportError({.code = "usage.id_number", .field = "--id-number", .message_zh = "成员迁出须用 --id-number 指明该成员(不用 --person-file)", .message_en = "a member leaving is named by --id-number (not --person-file)"});
    if (!leaves && (o.person_file.empty() || !o.id_number.empty() || !o.new_head.empty()))
        return ReportError({.code = "usage.person_file", .field = "--person-file", .message_zh = "成员迁入须用 --person-file 提供该成员", .message_en = "a member joining is given by --person-file (not --id-number or --new-head)"});
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

// -------------------------------------------------------------------------------- registration

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

}  // namespace jz::cli
