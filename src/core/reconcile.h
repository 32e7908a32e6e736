// Do the tasks and the registry agree? (保证减贫任务和建档立卡数据对得上)
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/plan.h"
#include "core/progress.h"

namespace jz {

enum class ReconcileKind { kPlanTotalMismatch, kRegistryVsTarget, kMeasureVsTarget, kExitsBehindTarget };
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

    std::string message() const { return message_zh + " / " + message_en; }
};

// Inside the plan: every total the document states against the sum of its parts, naming the place
// that states it and the places that agree with the parts.
std::vector<ReconcileFinding> ReconcilePlan(const Plan& plan);

// Registry against plan, from the progress figures as of report.as_of: registered persons per
// township against the township's total; per township × year, planned exits against the target; per
// measure, households and beneficiaries against the targets; per township and the county, exits
// so far (through each year already ended on as_of) against the targets of those years.
std::vector<ReconcileFinding> ReconcileRegistry(const Plan& plan, const ProgressReport& report);

}  // namespace jz
