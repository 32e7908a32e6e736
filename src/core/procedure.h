// Dynamic management (动态管理): the identification and exit procedures as state machines, and the
// one-step changes — fallback (返贫), deregistration (销户), member changes, the end of the buffer
// period — each recorded as a case with its steps. Pure: the caller loads the case and the
// household, asks here whether a step may be taken and what follows, and stores the result.
//
// New identification (新识别, 两公示一公告):
//   apply → appraise (village appraisal 民主评议) → verify (village committee and work team) →
//   notice (first village notice; objections for plan.dynamic.notice_days days) → review (township)
//   → notice (second notice) → approve (county; exclusion rules) → announce (county) → registered.
// Exit (脱贫退出): propose → appraise → verify → agree (the household's agreement) → notice →
//   announce (county) → exited. Every step re-checks the exit standard.
// An objection during a notice sends the case back to verification (state appraised). A step
// recorded with outcome "rejected" (or "disagreed" for agree) closes the case as rejected.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/access.h"
#include "core/date.h"
#include "core/error.h"
#include "core/exit_standard.h"
#include "core/household.h"
#include "core/plan.h"
#include "core/progress.h"

namespace jz {

enum class ProcedureKind {
    kNewIdentification,  // new_identification 新识别
    kExit,               // exit 脱贫退出
    kFallback,           // fallback 返贫
    kDeregistration,     // deregistration 销户
    kMemberChange,       // member_change 成员变更
    kBufferEnd,  // buffer_end 缓冲期结束 (已脱贫(享受政策) → 已脱贫(不再享受政策))
};
std::optional<ProcedureKind> ParseProcedureKind(std::string_view name);
std::string_view ProcedureKindName(ProcedureKind kind);
std::string_view ProcedureKindNameZh(ProcedureKind kind);
std::span<const ProcedureKind> AllProcedureKinds();

// The level of government a step belongs to. An account acts at the level of its scope: a scope
// of 6 digits or fewer is the county (or above), 9 a township, 12 a village.
enum class Level { kVillage, kTownship, kCounty };
std::string_view LevelName(Level level);    // village / township / county
std::string_view LevelNameZh(Level level);  // 村 / 乡(镇) / 县
Level ScopeLevel(std::string_view scope);
// May an account (role, scope) take a step of `level` for a household in `division_code`? Only
// writing roles, only in scope, and only from that level or above (a township officer reviews; only
// the county approves).
bool MayActAt(Role role, std::string_view scope, std::string_view division_code, Level level);

// Reasons of a deregistration.
enum class DeregistrationReason { kDeath, kMovedAway, kWronglyRegistered };
std::optional<DeregistrationReason> ParseDeregistrationReason(
    std::string_view name);  // death / moved_away / wrongly_registered
std::string_view DeregistrationReasonName(DeregistrationReason reason);
std::string_view DeregistrationReasonNameZh(DeregistrationReason reason);  // 死亡 / 迁出 / 错误识别

struct ProcedureStep {
    std::string
        step;   // apply, propose, appraise, verify, notice, object, review, approve, agree, announce, record
    Date date;  // the day it happened (as the village reports it)
    std::string actor;    // username
    std::string at;       // when it was recorded, ISO 8601 UTC
    std::string outcome;  // passed, rejected, objection, agreed, disagreed, recorded
    std::string notes;
    std::string from_state;
    std::string to_state;
    bool operator==(const ProcedureStep&) const = default;
};

// Exclusion facts recorded at verification (a new household is excluded outright when any holds).
// public_payroll (财政供养人员家庭), village_cadre (村干部), vehicle (非生产用车), commercial_housing
// (商品房), business (个体工商户/运输经营). ExclusionFacts() is the one definition of the list;
// ExclusionIds() is the same ids in the same order. Constant data, any thread.
struct ExclusionFact {
    std::string_view id;  // "public_payroll"
    std::string_view name_zh;
    std::string_view name_en;
};
std::span<const ExclusionFact> ExclusionFacts();
std::span<const std::string_view> ExclusionIds();
std::string_view ExclusionNameZh(std::string_view id);  // empty when unknown

struct ProcedureCase {
    int64_t id = 0;
    int64_t version = 0;  // bumped by every stored change; a stale update is refused
    ProcedureKind kind = ProcedureKind::kExit;
    std::string household_code;
    std::string division_code;  // the village
    int year = 0;               // the year of the dynamic adjustment it belongs to
    std::string state;          // see the header comment; one-step kinds: done
    bool open = true;
    int persons = 0;  // household size when opened (for the year's counts)
    std::vector<ProcedureStep> steps;
    // New identification: the household as proposed (status 未脱贫); deregistration: the household
    // as it was when removed.
    std::optional<Household> household;
    std::vector<std::string> exclusions;  // ExclusionIds recorded at verification
    std::string reason;                   // fallback / deregistration / member change reason
    std::optional<Date> notice_until;     // last day of the running notice's objection period
    // Member change: the change (codes::MemberChange) and the person's ID number.
    std::optional<int> member_change;
    std::string member_id_number;
    bool operator==(const ProcedureCase&) const = default;

    const ProcedureStep* last_step() const { return steps.empty() ? nullptr : &steps.back(); }
};

// Names of states and steps as screens show them (empty when unknown).
std::string_view StateNameZh(ProcedureKind kind, std::string_view state);
std::string_view StepNameZh(std::string_view step);

// Who is acting, and what the caller knows that the case does not.
struct StepContext {
    const Plan* plan = nullptr;
    Role role = Role::kViewer;
    std::string scope;
    std::string actor;
    std::string at;  // ISO 8601 UTC, the recording time
    // Exit: the household's facts now (the standard is re-checked at every step).
    const HouseholdFacts* household = nullptr;
    // New identification: hits of the members' ID numbers on external lists at approval, each a
    // readable description ("财政供养人员: 540425...").
    std::vector<std::string> list_hits;
};

struct StepRequest {
    std::string step;
    Date date;
    std::string outcome;  // empty: the step's usual outcome; "rejected" / "disagreed" end the case
    std::string notes;
    std::vector<std::string> exclusions;  // verify (new identification): facts found
};

// What comes next in an open case: the step, its level, and from which day it may be taken
// (after a notice's objection period). nullopt for a closed case.
struct NextStep {
    std::string step;
    Level level = Level::kVillage;
    std::optional<Date> not_before;
};
std::optional<NextStep> NextStepOf(const ProcedureCase& c, const Plan& plan);
// The steps an open case accepts in its state (the next step, plus object during a notice).
std::vector<std::string> AllowedSteps(const ProcedureCase& c);

// The procedures' rules as data, for publishing them (the server's GET /api/codes): each step a
// kind takes, from which state to which, at which level, the outcomes it may record (its usual one
// first; the second, when there is one, closes the case as rejected) and whether it records
// exclusion facts. In the order of the transition table; views into static tables.
struct StepRule {
    ProcedureKind kind = ProcedureKind::kExit;
    std::string_view from;
    std::string_view step;
    std::string_view to;
    Level level = Level::kVillage;
    std::vector<std::string_view> outcomes;
    bool records_exclusions = false;
    // The notice's objection period: the step posts a notice (it runs notice_days from the step's
    // day), may be taken only once it has ended (after_notice), or only while it runs (object).
    bool posts_notice = false;
    bool after_notice = false;
    bool during_notice = false;
};
std::vector<StepRule> StepRules();
// The states a case of `kind` may be in, in the procedure's order (rejected last when a step may
// refuse; one-step kinds: done).
std::vector<std::string_view> ProcedureStates(ProcedureKind kind);

// Opens a new identification for `proposal` (the household as the village proposes it; its status
// is set to 未脱贫 and identified_year to `year`). Village level. The caller has already checked the
// household against the registry (code and ID numbers free).
Result<ProcedureCase> OpenNewIdentification(const Household& proposal, int year, const Date& date,
                                            const std::string& notes, const StepContext& ctx);
// Opens an exit for the household in `year`: refused unless it may exit (未脱贫 or 返贫) and meets
// the standard (the error lists every unmet condition). Village level.
Result<ProcedureCase> OpenExit(const HouseholdFacts& household, int year, const Date& date,
                               const std::string& notes, const StepContext& ctx);

// Takes a step; the case as it is after it, or the refusal: procedure.closed, procedure.step
// (not allowed in this state: the message names what is expected), procedure.permission
// (level or scope), procedure.date (before the previous step), procedure.notice_period (the
// objection period has not ended / has ended), procedure.outcome, procedure.exit_standard,
// procedure.excluded, procedure.exclusion (an unknown exclusion id).
Result<ProcedureCase> ApplyStep(const ProcedureCase& c, const StepRequest& request, const StepContext& ctx);

// What an announced case does to the registry.
// New identification, once registered: the household to insert.
// Exit, once exited: the household with status 已脱贫(享受政策) and the exit year.
Household ExitedHousehold(const Household& household, int year);

// One-step changes, taken at township level (the county approves them with the year's
// adjustment). Each returns the closed case and the household after the change.
struct ChangeResult {
    ProcedureCase record;
    std::optional<Household> after;  // nullopt: the household leaves the registry (deregistration)
};
// An exited household is poor again: status 返贫, exit year cleared (its history keeps the exit),
// counted against its township from now on. Refused unless it is exited.
Result<ChangeResult> Fallback(const Household& household, int year, const Date& date,
                              const std::string& reason, const StepContext& ctx);
// Removes the household from the registry. death: only a one-person household (otherwise the
// member change 死亡 is the way); moved_away and wrongly_registered: any.
Result<ChangeResult> Deregister(const Household& household, int year, const Date& date,
                                DeregistrationReason reason, const std::string& notes,
                                const StepContext& ctx);
// A member leaves (死亡, 嫁出, 出国定居, 判刑收监, 其他转出: `id_number` names them) or joins (嫁入,
// 新生儿, 其他转入: `joining` is the person). Net income is kept and divided among the new number
// of members. The head may leave only when `new_head` names the member taking over; the last
// member cannot leave (deregistration is the way).
struct MemberChangeRequest {
    int change = 0;  // codes::MemberChange
    std::string id_number;
    std::optional<Person> joining;
    std::string new_head;  // ID number
    std::string notes;
};
Result<ChangeResult> ChangeMember(const Household& household, int year, const Date& date,
                                  const MemberChangeRequest& request, const StepContext& ctx);
// Has the buffer period of an exited household ended by the end of `year`?
bool BufferEnded(int status, std::optional<int> exit_year, const Plan& plan, int year);
// Ends the buffer period: 已脱贫(享受政策) → 已脱贫(不再享受政策). County level. Refused unless
// BufferEnded.
Result<ChangeResult> EndBuffer(const Household& household, int year, const Date& date,
                               const StepContext& ctx);

// Is the member change a departure (the person leaves) or an arrival?
bool MemberLeaves(int change);

// The year's dynamic adjustment (动态调整), by township, from that year's cases.
struct AdjustmentCounts {
    int64_t exits = 0, exit_persons = 0;
    int64_t new_identifications = 0, new_persons = 0;
    int64_t fallbacks = 0, fallback_persons = 0;
    int64_t deregistrations = 0, deregistered_persons = 0;
    int64_t members_in = 0, members_out = 0;
    int64_t buffer_ends = 0;
    int64_t open_cases = 0;  // cases of the year still open (not counted above)
    bool operator==(const AdjustmentCounts&) const = default;
};
struct AdjustmentSummary {
    int year = 0;
    std::vector<std::pair<std::string, AdjustmentCounts>> townships;  // by code
    AdjustmentCounts total;
};
// Counts closed cases that took effect (registered, exited, done) and open ones.
AdjustmentSummary SummarizeAdjustment(int year, std::span<const ProcedureCase> cases);
// May the year's adjustment be approved as a whole? County level only; refused while cases of the
// year are open (procedure.open_cases, with their number).
Result<void> MayApproveAdjustment(const AdjustmentSummary& summary, const StepContext& ctx,
                                  std::string_view county_code);

}  // namespace jz
