#include "core/project_library.h"

#include <algorithm>
#include <array>

namespace jz {
namespace {

constexpr std::array<std::string_view, 9> kStates = {"applied",  "reviewed",        "appraised",
                                                     "approved", "started",         "near_completion",
                                                     "accepted", "closed",          "rejected"};

struct Transition {
    std::string_view from;
    std::string_view step;
    std::string_view to;
    Level level;
    bool may_reject;
};
constexpr std::array<Transition, 7> kTransitions = {{
    {"applied", "review", "reviewed", Level::kTownship, true},
    {"reviewed", "appraise", "appraised", Level::kCounty, true},
    {"appraised", "approve", "approved", Level::kCounty, true},
    {"approved", "start", "started", Level::kTownship, false},
    {"started", "near_completion", "near_completion", Level::kTownship, false},
    {"near_completion", "accept", "accepted", Level::kCounty, false},
    {"accepted", "close", "closed", Level::kCounty, false},
}};

const Transition* FindTransition(std::string_view state, std::string_view step) {
    for (const Transition& t : kTransitions)
        if (t.from == state && t.step == step) return &t;
    return nullptr;
}

// The level whose notice a state posts (nullopt: no notice in that state).
std::optional<Level> NoticeLevel(std::string_view state) {
    if (state == "applied") return Level::kVillage;
    if (state == "reviewed") return Level::kTownship;
    if (state == "appraised") return Level::kCounty;
    return std::nullopt;
}

bool Reapprovable(std::string_view state) {
    return state == "approved" || state == "started" || state == "near_completion" || state == "accepted";
}

std::unexpected<Error> Refuse(std::string rule, std::string field, std::string zh, std::string en) {
    return Fail("project." + rule, std::move(field), std::move(zh), std::move(en));
}

bool ValidCode(std::string_view code) {
    if (code.empty() || code.size() > 40) return false;
    return std::all_of(code.begin(), code.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}
bool ValidUse(std::string_view code) {
    if (code.empty() || code.size() > 40) return false;
    return std::all_of(code.begin(), code.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}
bool Digits(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
std::string Joined(const std::vector<std::string>& v) {
    std::string out;
    for (const std::string& s : v) {
        if (!out.empty()) out += ", ";
        out += s;
    }
    return out;
}
Date AddDays(const Date& d, long days) { return Date::FromDaysSinceEpoch(d.DaysSinceEpoch() + days); }

}  // namespace

std::span<const std::string_view> ProjectLibraryStates() { return kStates; }

bool IsProjectLibraryState(std::string_view state) {
    return std::find(kStates.begin(), kStates.end(), state) != kStates.end();
}

std::string_view ProjectLibraryStateZh(std::string_view state) {
    if (state == "applied") return "已申报";
    if (state == "reviewed") return "乡镇已审核";
    if (state == "appraised") return "县级已论证";
    if (state == "approved") return "已批复";
    if (state == "started") return "已开工";
    if (state == "near_completion") return "接近完工";
    if (state == "accepted") return "已验收";
    if (state == "closed") return "已结项";
    if (state == "rejected") return "未通过";
    return {};
}

std::string_view ProjectStepZh(std::string_view step) {
    if (step == "apply") return "申报";
    if (step == "notice") return "公示";
    if (step == "object") return "公示异议";
    if (step == "review") return "乡镇审核";
    if (step == "appraise") return "县级论证";
    if (step == "approve") return "县级审批";
    if (step == "reapprove") return "重新批复";
    if (step == "start") return "开工";
    if (step == "near_completion") return "接近完工";
    if (step == "accept") return "验收";
    if (step == "close") return "结项";
    return {};
}

std::optional<ProjectState> MoneyStateOf(std::string_view state) {
    if (state == "approved") return ProjectState::kApproved;
    if (state == "started") return ProjectState::kStarted;
    if (state == "near_completion") return ProjectState::kNearCompletion;
    if (state == "accepted") return ProjectState::kAccepted;
    if (state == "closed") return ProjectState::kClosed;
    return std::nullopt;
}

FundProject MoneyView(const LibraryProject& p) {
    FundProject f;
    f.id = p.id;
    f.name = p.name;
    f.division_code = p.division_code;
    f.use = p.use;
    f.approved = p.approved;
    f.reapproved = p.reapproved;
    f.state = MoneyStateOf(p.state).value_or(ProjectState::kApproved);
    return f;
}

Result<void> ValidateProject(const LibraryProject& p, std::span<const FundSource> sources,
                             const PlanFunds& settings) {
    if (!ValidCode(p.code))
        return Refuse("invalid", "code", "项目编号须为1到40位字母、数字、-或_", "code must be 1 to 40 letters, digits, - or _");
    if (p.name.empty() || p.name.size() > 200)
        return Refuse("invalid", "name", "项目名称不能为空且不超过200字节", "name must be given (at most 200 bytes)");
    if (!((p.division_code.size() == 9 || p.division_code.size() == 12) && Digits(p.division_code)))
        return Refuse("invalid", "division_code", "实施地点须为9位乡镇或12位村代码",
                      "division_code must be a 9-digit township or 12-digit village code");
    if (!ValidUse(p.use))
        return Refuse("invalid", "use", "资金用途代码须为1到40位小写字母、数字或_",
                      "use must be a code of 1 to 40 lower-case letters, digits or _");
    if (p.approved <= 0 || p.approved > kMaxFundAmount)
        return Refuse("invalid", "approved", "项目金额须为正数", "approved must be a positive amount");
    if (p.reapproved && (*p.reapproved <= 0 || *p.reapproved > kMaxFundAmount))
        return Refuse("invalid", "reapproved", "重新批复金额须为正数", "reapproved must be a positive amount");
    if (!Date::IsValid(p.period_start.year, p.period_start.month, p.period_start.day))
        return Refuse("invalid", "period_start", "实施起始日期无效", "period_start must be a date (YYYY-MM-DD)");
    if (!Date::IsValid(p.period_end.year, p.period_end.month, p.period_end.day))
        return Refuse("invalid", "period_end", "实施结束日期无效", "period_end must be a date (YYYY-MM-DD)");
    if (p.period_end < p.period_start)
        return Refuse("invalid", "period_end", "实施结束日期早于起始日期", "period_end is before period_start");
    if (p.sources.empty())
        return Refuse("invalid", "sources", "至少需要一项资金来源", "sources must name at least one fund source");
    Fen sum = 0;
    bool special = false;
    for (size_t i = 0; i < p.sources.size(); ++i) {
        const ProjectSourceShare& s = p.sources[i];
        const std::string at = "sources[" + std::to_string(i) + "]";
        auto known = std::find_if(sources.begin(), sources.end(), [&](const FundSource& f) { return f.code == s.source; });
        if (known == sources.end())
            return Refuse("source", at + ".source", "未知的资金来源: " + s.source, "unknown fund source: " + s.source);
        special = special || known->special_poverty;
        for (size_t j = 0; j < i; ++j)
            if (p.sources[j].source == s.source)
                return Refuse("invalid", at + ".source", "资金来源重复: " + s.source, "fund source repeated: " + s.source);
        if (s.amount <= 0 || s.amount > kMaxFundAmount)
            return Refuse("invalid", at + ".amount", "资金来源金额须为正数", "a source's amount must be positive");
        sum += s.amount;
    }
    if (sum != p.approved)
        return Refuse("invalid", "sources",
                      "各资金来源合计" + FundYuan(sum) + "元,与项目金额" + FundYuan(p.approved) + "元不一致",
                      "the sources add up to " + FundYuan(sum) + " yuan, not the project's " +
                          FundYuan(p.approved) + " yuan");
    if (special && std::find(settings.negative_list.begin(), settings.negative_list.end(), p.use) !=
                       settings.negative_list.end())
        return Fail("fund.negative_list", "use", "财政专项扶贫资金不得用于负面清单用途: " + p.use,
                    "special poverty funds may not be used for a use on the negative list: " + p.use);
    for (size_t i = 0; i < p.beneficiaries.size(); ++i) {
        const ProjectBeneficiary& b = p.beneficiaries[i];
        const std::string at = "beneficiaries[" + std::to_string(i) + "]";
        if (b.household_code.empty() || b.household_code.size() > 40 || !Digits(b.household_code))
            return Refuse("invalid", at + ".household_code", "受益户编码须为数字", "household_code must be digits");
        for (size_t j = 0; j < i; ++j)
            if (p.beneficiaries[j].household_code == b.household_code)
                return Refuse("invalid", at + ".household_code", "受益户重复: " + b.household_code,
                              "household listed twice: " + b.household_code);
    }
    return {};
}

std::optional<Level> ProjectStepLevel(std::string_view step, std::string_view state) {
    if (step == "apply") return Level::kVillage;
    if (step == "notice" || step == "object") return NoticeLevel(state);
    if (step == "reapprove") return Level::kCounty;
    for (const Transition& t : kTransitions)
        if (t.step == step) return t.level;
    return std::nullopt;
}

namespace {
Result<void> CheckLevel(const ProjectActor& who, const LibraryProject& p, std::string_view step, Level level) {
    if (MayActAt(who.role, who.scope, p.division_code, level)) return {};
    return Refuse("permission", "step",
                  std::string(ProjectStepZh(step)) + "须由" + std::string(LevelNameZh(level)) +
                      "级有写权限且管辖该项目所在地的账号办理",
                  "the step " + std::string(step) + " is taken at " + std::string(LevelName(level)) +
                      " level by an account that may write and whose scope holds the project's division");
}
bool NoticeRunning(const LibraryProject& p, const Date& on) {
    return p.notice_posted_on && p.notice_until && *p.notice_posted_on <= on && on <= *p.notice_until;
}
}  // namespace

Result<LibraryProject> ApplyProject(const LibraryProject& proposal, const Date& date, const std::string& notes,
                                    std::span<const FundSource> sources, const PlanFunds& settings,
                                    const ProjectActor& who) {
    if (!Date::IsValid(date.year, date.month, date.day))
        return Refuse("date", "date", "申报日期无效", "date must be a date (YYYY-MM-DD)");
    if (auto r = ValidateProject(proposal, sources, settings); !r) return std::unexpected(r.error());
    if (auto r = CheckLevel(who, proposal, "apply", Level::kVillage); !r) return std::unexpected(r.error());
    LibraryProject p = proposal;
    p.state = "applied";
    p.version = 0;
    p.steps.clear();
    p.notice_posted_on.reset();
    p.notice_until.reset();
    p.reapproved.reset();
    p.steps.push_back(ProjectStep{.step = "apply", .date = date, .actor = who.actor, .at = who.at,
                                  .outcome = "passed", .notes = notes, .refs = "", .from_state = "",
                                  .to_state = "applied"});
    return p;
}

std::vector<std::string> AllowedProjectSteps(const LibraryProject& p) {
    std::vector<std::string> out;
    if (NoticeLevel(p.state)) {
        out.emplace_back("notice");
        if (p.notice_posted_on) out.emplace_back("object");
    }
    for (const Transition& t : kTransitions)
        if (t.from == p.state) out.emplace_back(t.step);
    if (Reapprovable(p.state)) out.emplace_back("reapprove");
    return out;
}

std::vector<std::string> AllowedProjectStepsFor(const LibraryProject& p, const ProjectActor& who) {
    std::vector<std::string> out;
    for (std::string& s : AllowedProjectSteps(p)) {
        const auto level = ProjectStepLevel(s, p.state);
        if (level && MayActAt(who.role, who.scope, p.division_code, *level)) out.push_back(std::move(s));
    }
    return out;
}

Result<LibraryProject> TakeProjectStep(const LibraryProject& p, const ProjectStepRequest& request,
                                       const PlanFunds& settings, const ProjectActor& who) {
    const std::vector<std::string> allowed = AllowedProjectSteps(p);
    if (std::find(allowed.begin(), allowed.end(), request.step) == allowed.end()) {
        const std::string zh_state(ProjectLibraryStateZh(p.state));
        return Refuse("step_invalid", "step",
                      "项目处于" + (zh_state.empty() ? p.state : zh_state) + "状态,不能办理" + request.step +
                          (allowed.empty() ? std::string(";已办结") : ";可办理: " + Joined(allowed)),
                      "the step " + request.step + " is not allowed in state " + p.state +
                          (allowed.empty() ? std::string(" (closed)") : "; allowed: " + Joined(allowed)));
    }
    const Level level = *ProjectStepLevel(request.step, p.state);
    if (auto r = CheckLevel(who, p, request.step, level); !r) return std::unexpected(r.error());
    const Date& date = request.date;
    if (!Date::IsValid(date.year, date.month, date.day))
        return Refuse("date", "date", "办理日期无效", "date must be a date (YYYY-MM-DD)");
    if (!p.steps.empty() && date < p.steps.back().date)
        return Refuse("date", "date", "办理日期早于上一步(" + p.steps.back().date.ToString() + ")",
                      "date is before the previous step's (" + p.steps.back().date.ToString() + ")");

    const Transition* t = FindTransition(p.state, request.step);
    std::string outcome = request.outcome;
    if (t) {
        if (outcome.empty()) outcome = "passed";
        if (outcome != "passed" && !(outcome == "rejected" && t->may_reject))
            return Refuse("outcome", "outcome", "该步骤不接受结果: " + outcome,
                          "the step " + request.step + " does not take the outcome " + outcome);
    } else {
        const std::string usual = request.step == "notice" ? "posted" : request.step == "object" ? "objection" : "recorded";
        if (outcome.empty()) outcome = usual;
        if (outcome != usual)
            return Refuse("outcome", "outcome", "该步骤不接受结果: " + outcome,
                          "the step " + request.step + " does not take the outcome " + outcome);
    }

    LibraryProject next = p;
    const long days = std::max(settings.notice_days, 1);
    if (request.step == "notice") {
        if (NoticeRunning(p, date))
            return Refuse("notice_period", "date", "公示期尚未结束(至" + p.notice_until->ToString() + ")",
                          "a notice is running until " + p.notice_until->ToString());
        next.notice_posted_on = date;
        next.notice_until = AddDays(date, days);
    } else if (request.step == "object") {
        if (!NoticeRunning(p, date))
            return Refuse("notice_period", "date", "不在公示期内,不能提出异议",
                          "an objection is taken only while a notice runs");
        next.notice_posted_on.reset();
        next.notice_until.reset();
        if (p.state == "reviewed") next.state = "applied";
        if (p.state == "appraised") next.state = "reviewed";
    } else if (request.step == "reapprove") {
        if (!request.reapproved || *request.reapproved <= 0 || *request.reapproved > kMaxFundAmount)
            return Refuse("invalid", "reapproved", "重新批复金额须为正数", "reapproved must be a positive amount");
        next.reapproved = request.reapproved;
    } else {
        const bool needs_notice = request.step == "review" || request.step == "approve";
        if (needs_notice && outcome == "passed") {
            const std::string where = request.step == "review" ? "村级" : "县级";
            const std::string where_en = request.step == "review" ? "village" : "county";
            if (!p.notice_posted_on)
                return Refuse("notice_period", "step", where + "公示尚未张贴", "the " + where_en + " notice has not been posted");
            if (AddDays(*p.notice_posted_on, days) > date)
                return Refuse("notice_period", "date",
                              where + "公示须满" + std::to_string(days) + "天(" + p.notice_posted_on->ToString() +
                                  "张贴,最早" + AddDays(*p.notice_posted_on, days).ToString() + ")",
                              "the " + where_en + " notice must run " + std::to_string(days) + " days (posted " +
                                  p.notice_posted_on->ToString() + ", not before " +
                                  AddDays(*p.notice_posted_on, days).ToString() + ")");
        }
        next.state = outcome == "rejected" ? "rejected" : std::string(t->to);
        if (next.state != p.state && NoticeLevel(p.state)) {
            // The notice belonged to the level just left; the next level posts its own.
            next.notice_posted_on.reset();
            next.notice_until.reset();
        }
    }
    next.steps.push_back(ProjectStep{.step = request.step, .date = date, .actor = who.actor, .at = who.at,
                                     .outcome = outcome, .notes = request.notes, .refs = request.refs,
                                     .from_state = p.state, .to_state = next.state});
    return next;
}

std::optional<Date> StartedWithoutNotice(const LibraryProject& p, const PlanFunds& settings) {
    const auto money = MoneyStateOf(p.state);
    if (!money || *money == ProjectState::kApproved) return std::nullopt;
    std::optional<Date> county_notice, started;
    bool ok = false;
    for (const ProjectStep& s : p.steps) {
        if (s.step == "notice" && s.from_state == "appraised") county_notice = s.date;
        if (s.step == "object" && s.from_state == "appraised") county_notice.reset();
        if (s.step == "approve" && s.outcome == "passed" && county_notice &&
            AddDays(*county_notice, std::max(settings.notice_days, 1)) <= s.date)
            ok = true;
        if (s.step == "start") started = s.date;
    }
    if (ok) return std::nullopt;
    if (started) return started;
    return p.period_start;
}

}  // namespace jz
