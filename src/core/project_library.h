// The project library (项目库): a poverty-alleviation project from its application to its closing,
// with the levels that take each step and the publicity (公示) each level posts (docs/funds.md,
// "Project library"). Pure: the caller loads the project, asks here whether a step may be taken
// and what follows, and stores the result; the money view (core/funds.h FundProject) is derived.
//
// States and steps (level in brackets):
//   apply (village) → applied → review (township) → reviewed → appraise (county) → appraised →
//   approve (county) → approved → start (township) → started → near_completion (township) →
//   near_completion → accept (county) → accepted → close (county) → closed.
//   Outcome "rejected" at review / appraise / approve → rejected (closed for good).
// Publicity: `notice` posts the notice at the level of the current state (applied: village,
// reviewed: township, appraised: county) and runs notice_days ([funds] notice_days) from its day.
// review needs the village notice posted at least notice_days before; approve needs the county
// notice posted at least notice_days before. `object` while a notice runs sends the case back one
// level (appraised → reviewed, reviewed → applied; applied stays applied) and clears the notice.
// `reapprove` (county, from approved on) records the re-approved amount without changing state.
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
#include "core/funds.h"
#include "core/procedure.h"

namespace jz {

struct ProjectSourceShare {
    std::string source;  // FundSource::code
    Fen amount = 0;      // > 0
    bool operator==(const ProjectSourceShare&) const = default;
};

struct ProjectBeneficiary {
    std::string household_code;
    std::string how;  // how the household benefits (free text: 入股分红, 务工, ...)
    bool operator==(const ProjectBeneficiary&) const = default;
};

struct ProjectStep {
    std::string step;  // apply, notice, object, review, appraise, approve, reapprove, start, ...
    Date date;
    std::string actor;
    std::string at;       // ISO 8601 UTC, when recorded
    std::string outcome;  // passed, rejected, posted, objection, recorded
    std::string notes;
    std::string refs;     // document numbers
    std::string from_state;
    std::string to_state;
    bool operator==(const ProjectStep&) const = default;
};

// A project of the library. `id` is the store's (also the money view's id); `version` is bumped by
// every stored change.
struct LibraryProject {
    int64_t id = 0;
    std::string code;           // [A-Za-z0-9-_]{1,40}, unique ("FP2017-03")
    std::string name;
    std::string division_code;  // village (12) or township (9)
    std::string task;           // 建设任务
    std::string subsidy_standard;  // 补助标准 (text)
    std::string use;            // use code [a-z0-9_]{1,40}
    std::vector<ProjectSourceShare> sources;
    Fen approved = 0;           // the amount applied for / approved (> 0)
    std::optional<Fen> reapproved;
    Date period_start, period_end;
    std::string unit;           // 实施单位
    std::string responsible;    // 责任人
    std::string performance_target;  // 绩效目标
    std::vector<ProjectBeneficiary> beneficiaries;
    std::string state;          // applied ... closed, rejected
    int64_t version = 0;
    std::vector<ProjectStep> steps;
    std::optional<Date> notice_posted_on;  // the running (or last) notice at the current level
    std::optional<Date> notice_until;      // posted_on + notice_days
    bool operator==(const LibraryProject&) const = default;
};

// The states in order (rejected last) and their Chinese names (empty when unknown).
std::span<const std::string_view> ProjectLibraryStates();
std::string_view ProjectLibraryStateZh(std::string_view state);
std::string_view ProjectStepZh(std::string_view step);
bool IsProjectLibraryState(std::string_view state);

// The money view's state of a library state (approved on); nullopt before approval and when rejected.
std::optional<ProjectState> MoneyStateOf(std::string_view state);
// The money view (same id) of an approved project.
FundProject MoneyView(const LibraryProject& p);

// Checks the record's fields (not the state, steps or notice). Each refusal names the field
// ("code", "sources[1].amount", "beneficiaries[0].household_code", ...) with a zh+en message:
//   project.invalid   a missing or malformed field (code, name, division, use, dates, amounts)
//   project.source    a source code not among `sources`
//   fund.negative_list  a use on the negative list with a special-poverty source
// Sum of the sources' amounts must equal `approved` (project.invalid on "sources").
Result<void> ValidateProject(const LibraryProject& p, std::span<const FundSource> sources,
                             const PlanFunds& settings);

// Who acts and when.
struct ProjectActor {
    Role role = Role::kViewer;
    std::string scope;
    std::string actor;
    std::string at;  // ISO 8601 UTC
};

struct ProjectStepRequest {
    std::string step;
    Date date;
    std::string outcome;  // empty: the step's usual one; "rejected" at review / appraise / approve
    std::string notes;
    std::string refs;
    std::optional<Fen> reapproved;  // reapprove
};

// The level that takes `step` in `state` (notice/object: the state's level). nullopt: unknown step.
std::optional<Level> ProjectStepLevel(std::string_view step, std::string_view state);

// A new application (state applied, version 0, one step "apply"). Village level or above in scope
// of the project's division. Refusals: ValidateProject's, project.permission.
Result<LibraryProject> ApplyProject(const LibraryProject& proposal, const Date& date, const std::string& notes,
                                    std::span<const FundSource> sources, const PlanFunds& settings,
                                    const ProjectActor& who);

// Takes a step. Refusals:
//   project.step_invalid   not allowed in the state (the message names the allowed steps)
//   project.permission     the wrong level or out of scope
//   project.date           no date, or before the previous step
//   project.notice_period  review/approve without the notice posted notice_days before; object with
//                          no notice running; notice while one runs
//   project.outcome        an outcome the step does not take
//   project.invalid        reapprove without a positive amount
Result<LibraryProject> TakeProjectStep(const LibraryProject& p, const ProjectStepRequest& request,
                                       const PlanFunds& settings, const ProjectActor& who);

// The steps the project accepts in its state (whoever acts), in order.
std::vector<std::string> AllowedProjectSteps(const LibraryProject& p);
// Those `who` may take (level and scope).
std::vector<std::string> AllowedProjectStepsFor(const LibraryProject& p, const ProjectActor& who);

// A started project whose record shows no notice that ran notice_days before approval (the
// approve step needs one; imported or older records may lack it): the day it started, when so.
std::optional<Date> StartedWithoutNotice(const LibraryProject& p, const PlanFunds& settings);

}  // namespace jz
