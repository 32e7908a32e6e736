// Do the tasks and the registry agree? (保证减贫任务和建档立卡数据对得上)
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/plan.h"
#include "core/progress.h"

namespace jz {

enum class ReconcileKind {
    kPlanTotalMismatch,
    kRegistryVsTarget,
    kMeasureVsTarget,     // households planned for a measure differ from its target
    kExitsBehindTarget,
    kMeasureNotDelivered, // the plan period has ended and the ledger shows a measure short of its target
};
std::string_view ReconcileKindName(ReconcileKind kind);  // plan_total_mismatch, ...
std::string_view ReconcileKindNameZh(ReconcileKind kind);  // 计划合计不符, ...
std::string_view ReconcileKindNameEn(ReconcileKind kind);  // Plan totals disagree, ...
std::span<const ReconcileKind> AllReconcileKinds();       // in the order above

struct ReconcileFinding {
    ReconcileKind kind;
    std::string scope;  // division code (county or township)
    std::optional<int> year;
    std::optional<int> measure;
    std::string quantity;  // "persons" or "households"
    int64_t expected = 0;
    int64_t actual = 0;
    std::string message_zh;
    std::string message_en;
    // A measure's part the finding is about: a stage of the education measure (kindergarten, ...)
    // or another target (ecological_rangers); empty for the measure itself or no measure.
    std::string part;

    std::string message() const { return message_zh + " / " + message_en; }
};

// Inside the plan: every total the document states against the sum of its parts, naming the place
// that states it and the places that agree with the parts.
std::vector<ReconcileFinding> ReconcilePlan(const Plan& plan);

// Registry against plan, from the progress figures as of report.as_of: registered persons per
// township against the township's total; per township × year, planned exits against the target; per
// measure, the households planned for it against its target households; per township and the
// county, exits so far (through each year already ended on as_of) against the targets of those
// years. Once the plan period has ended on as_of (as_of ≥ end_year-12-31) and the delivered
// figures are attached (AttachDelivered), each measure the ledger shows short of its target
// (reached households below target households, beneficiaries below target persons, a stage's
// persons below its target, posts held below another target) is kMeasureNotDelivered.
// Beneficiaries are never derived from ages.
std::vector<ReconcileFinding> ReconcileRegistry(const Plan& plan, const ProgressReport& report);

}  // namespace jz
