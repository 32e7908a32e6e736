#include "core/procedure.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "core/codes.h"

namespace jz {
namespace {

using K = ProcedureKind;

constexpr std::array kKinds = {K::kNewIdentification, K::kExit,         K::kFallback,
                               K::kDeregistration,    K::kMemberChange, K::kBufferEnd};

struct KindNames {
    K kind;
    std::string_view name;
    std::string_view zh;
};
constexpr KindNames kKindNames[] = {
    {K::kNewIdentification, "new_identification", "新识别"},
    {K::kExit, "exit", "脱贫退出"},
    {K::kFallback, "fallback", "返贫"},
    {K::kDeregistration, "deregistration", "销户"},
    {K::kMemberChange, "member_change", "成员变更"},
    {K::kBufferEnd, "buffer_end", "缓冲期结束"},
};

// One allowed step: in `from`, `step` taken at `level` leads to `to`. `refusal` is the outcome that
// closes the case as rejected instead ("" when the step cannot be refused).
struct Transition {
    K kind;
    std::string_view from;
    std::string_view step;
    Level level;
    std::string_view to;
    std::string_view refusal;
    bool after_notice = false;   // only once the running notice's objection period has ended
    bool during_notice = false;  // only while it runs (object)
    bool standard = false;       // the exit standard must hold
    bool exclusions = false;     // approval: no exclusion fact, no list hit
    bool records_exclusions = false;
    bool posts_notice = false;
};

constexpr Transition kTransitions[] = {
    {K::kNewIdentification, "applied", "appraise", Level::kVillage, "appraised", "rejected"},
    {K::kNewIdentification, "appraised", "verify", Level::kVillage, "verified", "rejected", false, false,
     false, false, true},
    {K::kNewIdentification, "verified", "notice", Level::kVillage, "first_notice", "", false, false, false,
     false, false, true},
    {K::kNewIdentification, "first_notice", "object", Level::kVillage, "appraised", "", false, true},
    {K::kNewIdentification, "first_notice", "review", Level::kTownship, "township_reviewed", "rejected",
     true},
    {K::kNewIdentification, "township_reviewed", "notice", Level::kVillage, "second_notice", "", false, false,
     false, false, false, true},
    {K::kNewIdentification, "second_notice", "object", Level::kVillage, "appraised", "", false, true},
    {K::kNewIdentification, "second_notice", "approve", Level::kCounty, "approved", "rejected", true, false,
     false, true},
    {K::kNewIdentification, "approved", "announce", Level::kCounty, "registered", ""},
    {K::kExit, "proposed", "appraise", Level::kVillage, "appraised", "rejected", false, false, true},
    {K::kExit, "appraised", "verify", Level::kVillage, "verified", "rejected", false, false, true},
    {K::kExit, "verified", "agree", Level::kVillage, "agreed", "disagreed", false, false, true},
    {K::kExit, "agreed", "notice", Level::kVillage, "notice", "", false, false, true, false, false, true},
    {K::kExit, "notice", "object", Level::kVillage, "appraised", "", false, true},
    {K::kExit, "notice", "announce", Level::kCounty, "exited", "", true, false, true},
};

// The outcome a step records when it goes ahead.
std::string_view UsualOutcome(std::string_view step) {
    if (step == "object") return "objection";
    if (step == "agree") return "agreed";
    return "passed";
}

struct StateName {
    K kind;
    std::string_view state;
    std::string_view zh;
};
constexpr StateName kStateNames[] = {
    {K::kNewIdentification, "applied", "已申请"},
    {K::kNewIdentification, "appraised", "已民主评议"},
    {K::kNewIdentification, "verified", "已核实"},
    {K::kNewIdentification, "first_notice", "第一次公示中"},
    {K::kNewIdentification, "township_reviewed", "乡镇已审核"},
    {K::kNewIdentification, "second_notice", "第二次公示中"},
    {K::kNewIdentification, "approved", "县级已审定"},
    {K::kNewIdentification, "registered", "已公告纳入"},
    {K::kExit, "proposed", "已提出"},
    {K::kExit, "appraised", "已民主评议"},
    {K::kExit, "verified", "已核实"},
    {K::kExit, "agreed", "农户已认可"},
    {K::kExit, "notice", "公示中"},
    {K::kExit, "exited", "已公告退出"},
};

constexpr std::pair<std::string_view, std::string_view> kStepNames[] = {
    {"apply", "申请"},     {"propose", "提出退出"}, {"appraise", "民主评议"}, {"verify", "核实"},
    {"notice", "公示"},    {"object", "异议"},      {"review", "乡镇审核"},   {"approve", "县级审定"},
    {"agree", "农户认可"}, {"announce", "公告"},    {"record", "登记"},
};

// The one list of exclusion facts (the CLI's help, the server and the web read it from here).
constexpr ExclusionFact kExclusionFacts[] = {
    {"public_payroll", "财政供养人员家庭", "public payroll family"},
    {"village_cadre", "村干部家庭", "village cadre family"},
    {"vehicle", "拥有非生产用车", "owns a non-productive vehicle"},
    {"commercial_housing", "购买商品房", "bought commercial housing"},
    {"business", "经营个体工商户或运输", "runs a private business or transport"},
};
constexpr auto kExclusions = [] {
    std::array<std::string_view, std::size(kExclusionFacts)> ids{};
    for (size_t i = 0; i < ids.size(); ++i) ids[i] = kExclusionFacts[i].id;
    return ids;
}();

const Transition* FindTransition(const ProcedureCase& c, std::string_view step) {
    for (const Transition& t : kTransitions)
        if (t.kind == c.kind && t.from == c.state && t.step == step) return &t;
    return nullptr;
}

const Transition* NextTransition(const ProcedureCase& c) {
    for (const Transition& t : kTransitions)
        if (t.kind == c.kind && t.from == c.state && t.step != "object") return &t;
    return nullptr;
}

Date AddDays(const Date& d, long days) { return Date::FromDaysSinceEpoch(d.DaysSinceEpoch() + days); }

std::string Joined(const std::vector<UnmetCondition>& unmet, bool zh) {
    std::string out;
    for (const UnmetCondition& u : unmet) {
        if (!out.empty()) out += zh ? "；" : "; ";
        out += zh ? u.detail_zh : u.detail_en;
    }
    return out;
}

std::unexpected<Error> Refuse(std::string code, std::string field, std::string zh, std::string en) {
    return Fail("procedure." + code, std::move(field), std::move(zh), std::move(en));
}

Result<void> CheckLevel(const StepContext& ctx, std::string_view division_code, Level level,
                        std::string_view step) {
    if (MayActAt(ctx.role, ctx.scope, division_code, level)) return {};
    return Refuse("permission", "step",
                  std::string(StepNameZh(step)) + "须由" + std::string(LevelNameZh(level)) +
                      "级有写权限且管辖该户的账号办理",
                  "the step " + std::string(step) + " is taken at " + std::string(LevelName(level)) +
                      " level by an account that may write and whose scope holds the household");
}

Result<void> CheckStandard(const StepContext& ctx, const HouseholdFacts* facts, int year, const Date& date) {
    if (!facts)
        return Refuse("exit_standard", "household", "缺少农户当前信息,无法核对脱贫标准",
                      "the household's current facts are needed to check the exit standard");
    if (!MayExit(facts->status))
        return Refuse("not_poor", "household", "该户不是未脱贫或返贫户,不能办理脱贫退出",
                      "the household is not registered poor (未脱贫 or 返贫), so it cannot exit");
    if (facts->identified_year > year)
        return Refuse("not_poor", "year",
                      "该户" + std::to_string(facts->identified_year) + "年识别,不能在" +
                          std::to_string(year) + "年退出",
                      "the household was identified in " + std::to_string(facts->identified_year) +
                          " and cannot exit in " + std::to_string(year));
    const auto unmet = UnmetExitConditions(*facts, *ctx.plan, year, date);
    if (unmet.empty()) return {};
    return Refuse("exit_standard", "household", "未达到脱贫标准: " + Joined(unmet, true),
                  "does not meet the exit standard: " + Joined(unmet, false));
}

ProcedureStep MakeStep(std::string_view step, const Date& date, const StepContext& ctx,
                       std::string_view outcome, const std::string& notes, std::string_view from,
                       std::string_view to) {
    return ProcedureStep{std::string(step),    date,  ctx.actor,         ctx.at,
                         std::string(outcome), notes, std::string(from), std::string(to)};
}

ProcedureCase OneStepCase(K kind, const Household& h, int year, const Date& date, const StepContext& ctx,
                          std::string reason, const std::string& notes) {
    ProcedureCase c;
    c.kind = kind;
    c.household_code = h.household_code;
    c.division_code = h.division_code;
    c.year = year;
    c.state = "done";
    c.open = false;
    c.persons = static_cast<int>(h.members.size());
    c.reason = std::move(reason);
    c.steps.push_back(MakeStep("record", date, ctx, "recorded", notes, "", "done"));
    return c;
}

Result<void> CheckYear(int year) {
    if (year >= 1900 && year <= 2100) return {};
    return Refuse("year", "year", "年度不合理", "the year is not plausible");
}

}  // namespace

std::optional<ProcedureKind> ParseProcedureKind(std::string_view name) {
    for (const KindNames& k : kKindNames)
        if (k.name == name || k.zh == name) return k.kind;
    return std::nullopt;
}
std::string_view ProcedureKindName(ProcedureKind kind) {
    for (const KindNames& k : kKindNames)
        if (k.kind == kind) return k.name;
    return {};
}
std::string_view ProcedureKindNameZh(ProcedureKind kind) {
    for (const KindNames& k : kKindNames)
        if (k.kind == kind) return k.zh;
    return {};
}
std::span<const ProcedureKind> AllProcedureKinds() { return kKinds; }

std::string_view LevelName(Level level) {
    switch (level) {
        case Level::kVillage:
            return "village";
        case Level::kTownship:
            return "township";
        case Level::kCounty:
            return "county";
    }
    return {};
}
std::string_view LevelNameZh(Level level) {
    switch (level) {
        case Level::kVillage:
            return "村";
        case Level::kTownship:
            return "乡(镇)";
        case Level::kCounty:
            return "县";
    }
    return {};
}

Level ScopeLevel(std::string_view scope) {
    if (scope.size() <= 6) return Level::kCounty;
    if (scope.size() <= 9) return Level::kTownship;
    return Level::kVillage;
}

bool MayActAt(Role role, std::string_view scope, std::string_view division_code, Level level) {
    return CanWriteHouseholds(role) && InScope(scope, division_code) && ScopeLevel(scope) >= level;
}

std::optional<DeregistrationReason> ParseDeregistrationReason(std::string_view name) {
    using R = DeregistrationReason;
    for (R r : {R::kDeath, R::kMovedAway, R::kWronglyRegistered})
        if (name == DeregistrationReasonName(r) || name == DeregistrationReasonNameZh(r)) return r;
    return std::nullopt;
}
std::string_view DeregistrationReasonName(DeregistrationReason reason) {
    switch (reason) {
        case DeregistrationReason::kDeath:
            return "death";
        case DeregistrationReason::kMovedAway:
            return "moved_away";
        case DeregistrationReason::kWronglyRegistered:
            return "wrongly_registered";
    }
    return {};
}
std::string_view DeregistrationReasonNameZh(DeregistrationReason reason) {
    switch (reason) {
        case DeregistrationReason::kDeath:
            return "死亡";
        case DeregistrationReason::kMovedAway:
            return "迁出";
        case DeregistrationReason::kWronglyRegistered:
            return "错误识别";
    }
    return {};
}

std::span<const std::string_view> ExclusionIds() { return kExclusions; }
std::span<const ExclusionFact> ExclusionFacts() { return kExclusionFacts; }
std::string_view ExclusionNameZh(std::string_view id) {
    for (const ExclusionFact& x : kExclusionFacts)
        if (x.id == id) return x.name_zh;
    return {};
}

std::string_view StateNameZh(ProcedureKind kind, std::string_view state) {
    if (state == "rejected") return "未通过";
    if (state == "done") return "已办结";
    for (const StateName& s : kStateNames)
        if (s.kind == kind && s.state == state) return s.zh;
    return {};
}
std::string_view StepNameZh(std::string_view step) {
    for (const auto& [id, zh] : kStepNames)
        if (id == step) return zh;
    return {};
}

std::optional<NextStep> NextStepOf(const ProcedureCase& c, const Plan& plan) {
    (void)plan;
    if (!c.open) return std::nullopt;
    const Transition* t = NextTransition(c);
    if (!t) return std::nullopt;
    NextStep next{std::string(t->step), t->level, std::nullopt};
    if (t->after_notice && c.notice_until) next.not_before = AddDays(*c.notice_until, 1);
    return next;
}

std::vector<std::string> AllowedSteps(const ProcedureCase& c) {
    std::vector<std::string> out;
    if (!c.open) return out;
    for (const Transition& t : kTransitions)
        if (t.kind == c.kind && t.from == c.state) out.emplace_back(t.step);
    return out;
}

std::vector<StepRule> StepRules() {
    std::vector<StepRule> out;
    for (const Transition& t : kTransitions) {
        StepRule r{t.kind,          t.from,          t.step,
                   t.to,            t.level,         {UsualOutcome(t.step)},
                   t.records_exclusions, t.posts_notice, t.after_notice,
                   t.during_notice};
        if (!t.refusal.empty()) r.outcomes.push_back(t.refusal);
        out.push_back(std::move(r));
    }
    return out;
}

std::vector<std::string_view> ProcedureStates(ProcedureKind kind) {
    std::vector<std::string_view> out;
    bool refusable = false;
    for (const StateName& s : kStateNames)
        if (s.kind == kind) out.push_back(s.state);
    for (const Transition& t : kTransitions)
        if (t.kind == kind && !t.refusal.empty()) refusable = true;
    if (refusable) out.push_back("rejected");
    if (out.empty()) out.push_back("done");
    return out;
}

Result<ProcedureCase> OpenNewIdentification(const Household& proposal, int year, const Date& date,
                                            const std::string& notes, const StepContext& ctx) {
    if (auto r = CheckYear(year); !r) return std::unexpected(r.error());
    if (auto r = CheckLevel(ctx, proposal.division_code, Level::kVillage, "apply"); !r)
        return std::unexpected(r.error());
    ProcedureCase c;
    c.kind = K::kNewIdentification;
    c.household_code = proposal.household_code;
    c.division_code = proposal.division_code;
    c.year = year;
    c.state = "applied";
    c.persons = static_cast<int>(proposal.members.size());
    Household h = proposal;
    h.status = codes::kStatusNotExited;
    h.exit_year.reset();
    h.identified_year = year;
    c.household = std::move(h);
    c.steps.push_back(MakeStep("apply", date, ctx, "passed", notes, "", "applied"));
    return c;
}

Result<ProcedureCase> OpenExit(const HouseholdFacts& household, int year, const Date& date,
                               const std::string& notes, const StepContext& ctx) {
    if (auto r = CheckYear(year); !r) return std::unexpected(r.error());
    if (auto r = CheckLevel(ctx, household.division_code, Level::kVillage, "propose"); !r)
        return std::unexpected(r.error());
    if (auto r = CheckStandard(ctx, &household, year, date); !r) return std::unexpected(r.error());
    ProcedureCase c;
    c.kind = K::kExit;
    c.household_code = household.household_code;
    c.division_code = household.division_code;
    c.year = year;
    c.state = "proposed";
    c.persons = household.persons;
    c.steps.push_back(MakeStep("propose", date, ctx, "passed", notes, "", "proposed"));
    return c;
}

Result<ProcedureCase> ApplyStep(const ProcedureCase& c, const StepRequest& request, const StepContext& ctx) {
    if (!c.open)
        return Refuse("closed", "step",
                      "该案件已办结(" + std::string(StateNameZh(c.kind, c.state)) + "),不能再办理",
                      "the case is closed (" + c.state + ")");
    const Transition* t = FindTransition(c, request.step);
    if (!t) {
        std::string zh, en;
        for (const std::string& s : AllowedSteps(c)) {
            zh += (zh.empty() ? "" : "、") + std::string(StepNameZh(s));
            en += (en.empty() ? "" : ", ") + s;
        }
        return Refuse(
            "step", "step",
            "当前状态“" + std::string(StateNameZh(c.kind, c.state)) + "”下不能办理“" +
                (StepNameZh(request.step).empty() ? request.step : std::string(StepNameZh(request.step))) +
                "”,应办理: " + zh,
            "the step " + request.step + " is not allowed in state " + c.state + "; expected: " + en);
    }
    if (auto r = CheckLevel(ctx, c.division_code, t->level, t->step); !r) return std::unexpected(r.error());
    if (const ProcedureStep* last = c.last_step(); last && request.date < last->date)
        return Refuse("date", "date", "日期早于上一步(" + last->date.ToString() + ")",
                      "the date is before the previous step's (" + last->date.ToString() + ")");
    const std::string_view usual = UsualOutcome(t->step);
    const std::string outcome = request.outcome.empty() ? std::string(usual) : request.outcome;
    const bool refused = !t->refusal.empty() && outcome == t->refusal;
    if (outcome != usual && !refused)
        return Refuse("outcome", "outcome",
                      "结果“" + outcome + "”不适用于该步骤,可选: " + std::string(usual) +
                          (t->refusal.empty() ? "" : "、" + std::string(t->refusal)),
                      "outcome " + outcome + " does not apply to this step; expected " + std::string(usual) +
                          (t->refusal.empty() ? "" : " or " + std::string(t->refusal)));
    if (!request.exclusions.empty() && !t->records_exclusions)
        return Refuse("exclusion", "exclusions", "排除情形只能在新识别的核实步骤中登记",
                      "exclusion facts are recorded only at the verification of a new identification");
    for (const std::string& x : request.exclusions)
        if (ExclusionNameZh(x).empty())
            return Refuse("exclusion", "exclusions", "未知的排除情形: " + x, "unknown exclusion fact: " + x);
    if (t->after_notice && c.notice_until && request.date <= *c.notice_until)
        return Refuse("notice_period", "date",
                      "公示期至" + c.notice_until->ToString() + "止,期满后(" +
                          AddDays(*c.notice_until, 1).ToString() + "起)方可办理",
                      "the notice's objection period runs until " + c.notice_until->ToString() +
                          "; this step may be taken from " + AddDays(*c.notice_until, 1).ToString());
    if (t->during_notice && c.notice_until && request.date > *c.notice_until)
        return Refuse("notice_period", "date",
                      "公示期已于" + c.notice_until->ToString() + "结束,不能再提出异议",
                      "the notice's objection period ended on " + c.notice_until->ToString());
    if (t->standard && !refused)
        if (auto r = CheckStandard(ctx, ctx.household, c.year, request.date); !r)
            return std::unexpected(r.error());
    if (t->exclusions && !refused && (!c.exclusions.empty() || !ctx.list_hits.empty())) {
        std::string zh, en;
        for (const std::string& x : c.exclusions) {
            zh += (zh.empty() ? "" : "、") + std::string(ExclusionNameZh(x));
            en += (en.empty() ? "" : ", ") + x;
        }
        for (const std::string& hit : ctx.list_hits) {
            zh += (zh.empty() ? "" : "、") + hit;
            en += (en.empty() ? "" : ", ") + hit;
        }
        return Refuse("excluded", "household", "属于不得纳入的情形: " + zh,
                      "excluded from registration: " + en);
    }

    ProcedureCase next = c;
    const std::string to = refused ? "rejected" : std::string(t->to);
    next.steps.push_back(MakeStep(t->step, request.date, ctx, outcome, request.notes, c.state, to));
    next.state = to;
    if (refused || to == "registered" || to == "exited") next.open = false;
    if (t->posts_notice)
        next.notice_until = AddDays(request.date, ctx.plan->dynamic.notice_days - 1);
    else if (t->after_notice || t->during_notice)
        next.notice_until.reset();
    for (const std::string& x : request.exclusions)
        if (std::ranges::find(next.exclusions, x) == next.exclusions.end()) next.exclusions.push_back(x);
    std::ranges::sort(next.exclusions);
    return next;
}

Household ExitedHousehold(const Household& household, int year) {
    Household h = household;
    h.status = codes::kStatusExited;
    h.exit_year = year;
    return h;
}

Result<ChangeResult> Fallback(const Household& household, int year, const Date& date,
                              const std::string& reason, const StepContext& ctx) {
    if (auto r = CheckYear(year); !r) return std::unexpected(r.error());
    if (auto r = CheckLevel(ctx, household.division_code, Level::kTownship, "record"); !r)
        return std::unexpected(r.error());
    if (!household.exited())
        return Refuse("not_exited", "household", "只有已脱贫户才能登记返贫",
                      "only an exited household can fall back");
    if (reason.find_first_not_of(" \t") == std::string::npos)
        return Refuse("reason", "reason", "须写明返贫原因", "a reason for the fallback is required");
    ChangeResult out{OneStepCase(K::kFallback, household, year, date, ctx, reason, reason), household};
    out.after->status = codes::kStatusFallback;
    out.after->exit_year.reset();
    return out;
}

Result<ChangeResult> Deregister(const Household& household, int year, const Date& date,
                                DeregistrationReason reason, const std::string& notes,
                                const StepContext& ctx) {
    if (auto r = CheckYear(year); !r) return std::unexpected(r.error());
    if (auto r = CheckLevel(ctx, household.division_code, Level::kTownship, "record"); !r)
        return std::unexpected(r.error());
    if (reason == DeregistrationReason::kDeath && household.members.size() > 1)
        return Refuse("reason", "reason",
                      "户内还有" + std::to_string(household.members.size() - 1) +
                          "名其他成员,成员死亡请办理成员变更(死亡)",
                      "the household has " + std::to_string(household.members.size() - 1) +
                          " other member(s); record the death as a member change");
    ChangeResult out{OneStepCase(K::kDeregistration, household, year, date, ctx,
                                 std::string(DeregistrationReasonName(reason)), notes),
                     std::nullopt};
    out.record.household = household;
    return out;
}

bool MemberLeaves(int change) {
    using namespace codes;
    return change == kChangeDeath || change == kChangeMarriedOut || change == kChangeEmigrated ||
           change == kChangeImprisoned || change == kChangeOtherOut;
}

Result<ChangeResult> ChangeMember(const Household& household, int year, const Date& date,
                                  const MemberChangeRequest& request, const StepContext& ctx) {
    if (auto r = CheckYear(year); !r) return std::unexpected(r.error());
    if (auto r = CheckLevel(ctx, household.division_code, Level::kTownship, "record"); !r)
        return std::unexpected(r.error());
    if (!codes::MemberChange().Contains(request.change))
        return Refuse("member_change", "member_change", "未知的成员变更类型", "unknown member change");
    Household after = household;
    const size_t before_size = household.members.size();
    std::string id_number;
    if (MemberLeaves(request.change)) {
        auto it = std::ranges::find(after.members, request.id_number, &Person::id_number);
        if (it == after.members.end())
            return Refuse("member", "id_number", "证件号码" + request.id_number + "不是该户成员",
                          "ID number " + request.id_number + " is not a member of the household");
        if (after.members.size() == 1)
            return Refuse("last_member", "id_number", "该户只有这一名成员,请办理销户",
                          "the household's only member cannot leave; deregister the household instead");
        id_number = it->id_number;
        const bool head = it->relation == codes::kRelationHead;
        after.members.erase(it);
        if (head) {
            auto nh = std::ranges::find(after.members, request.new_head, &Person::id_number);
            if (request.new_head.empty() || nh == after.members.end())
                return Refuse("new_head", "new_head", "户主迁出或死亡时须指定户内另一名成员为新户主",
                              "when the head leaves, another member must be named the new head");
            nh->relation = codes::kRelationHead;
            std::rotate(after.members.begin(), nh, nh + 1);
        }
    } else {
        if (!request.joining)
            return Refuse("member", "person", "须填写新增成员的信息",
                          "the joining member's details are required");
        const Person& p = *request.joining;
        if (std::ranges::find(after.members, p.id_number, &Person::id_number) != after.members.end())
            return Refuse("member", "person.id_number", "该证件号码已是本户成员",
                          "this ID number is already a member of the household");
        if (p.relation == codes::kRelationHead)
            return Refuse("member", "person.relation", "新增成员不能是户主",
                          "a joining member cannot be the head");
        id_number = p.id_number;
        after.members.push_back(p);
    }
    if (household.net_income_per_head) {
        const double total =
            static_cast<double>(*household.net_income_per_head) * static_cast<double>(before_size);
        after.net_income_per_head = std::llround(total / static_cast<double>(after.members.size()));
    }
    ChangeResult out{OneStepCase(K::kMemberChange, household, year, date, ctx,
                                 std::string(codes::MemberChange().NameOf(request.change)), request.notes),
                     std::move(after)};
    out.record.member_change = request.change;
    out.record.member_id_number = id_number;
    return out;
}

bool BufferEnded(int status, std::optional<int> exit_year, const Plan& plan, int year) {
    return status == codes::kStatusExited && exit_year && *exit_year + plan.dynamic.buffer_years <= year;
}

Result<ChangeResult> EndBuffer(const Household& household, int year, const Date& date,
                               const StepContext& ctx) {
    if (auto r = CheckYear(year); !r) return std::unexpected(r.error());
    if (auto r = CheckLevel(ctx, household.division_code, Level::kCounty, "record"); !r)
        return std::unexpected(r.error());
    if (!BufferEnded(household.status, household.exit_year, *ctx.plan, year))
        return Refuse("buffer", "household",
                      "该户不是缓冲期已满的已脱贫(享受政策)户(缓冲期" +
                          std::to_string(ctx.plan->dynamic.buffer_years) + "年)",
                      "the household is not 已脱贫(享受政策) with its buffer of " +
                          std::to_string(ctx.plan->dynamic.buffer_years) + " years ended by " +
                          std::to_string(year));
    ChangeResult out{OneStepCase(K::kBufferEnd, household, year, date, ctx, "", ""), household};
    out.after->status = codes::kStatusExitedNoPolicy;
    return out;
}

AdjustmentSummary SummarizeAdjustment(int year, std::span<const ProcedureCase> cases) {
    std::map<std::string, AdjustmentCounts> by_township;
    for (const ProcedureCase& c : cases) {
        if (c.year != year) continue;
        AdjustmentCounts& n = by_township[c.division_code.substr(0, 9)];
        if (c.open) {
            ++n.open_cases;
            continue;
        }
        switch (c.kind) {
            case K::kNewIdentification:
                if (c.state == "registered") ++n.new_identifications, n.new_persons += c.persons;
                break;
            case K::kExit:
                if (c.state == "exited") ++n.exits, n.exit_persons += c.persons;
                break;
            case K::kFallback:
                ++n.fallbacks, n.fallback_persons += c.persons;
                break;
            case K::kDeregistration:
                ++n.deregistrations, n.deregistered_persons += c.persons;
                break;
            case K::kMemberChange:
                if (c.member_change && MemberLeaves(*c.member_change))
                    ++n.members_out;
                else
                    ++n.members_in;
                break;
            case K::kBufferEnd:
                ++n.buffer_ends;
                break;
        }
    }
    AdjustmentSummary s;
    s.year = year;
    for (auto& [code, n] : by_township) {
        AdjustmentCounts& t = s.total;
        t.exits += n.exits, t.exit_persons += n.exit_persons;
        t.new_identifications += n.new_identifications, t.new_persons += n.new_persons;
        t.fallbacks += n.fallbacks, t.fallback_persons += n.fallback_persons;
        t.deregistrations += n.deregistrations, t.deregistered_persons += n.deregistered_persons;
        t.members_in += n.members_in, t.members_out += n.members_out;
        t.buffer_ends += n.buffer_ends, t.open_cases += n.open_cases;
        s.townships.emplace_back(code, n);
    }
    return s;
}

Result<void> MayApproveAdjustment(const AdjustmentSummary& summary, const StepContext& ctx,
                                  std::string_view county_code) {
    if (auto r = CheckLevel(ctx, county_code, Level::kCounty, "approve"); !r) return r;
    if (summary.total.open_cases > 0)
        return Refuse("open_cases", "year",
                      std::to_string(summary.year) + "年还有" + std::to_string(summary.total.open_cases) +
                          "件未办结的案件,办结后才能审定",
                      std::to_string(summary.total.open_cases) + " case(s) of " +
                          std::to_string(summary.year) +
                          " are still open; they must be closed before approval");
    return {};
}

}  // namespace jz
