// The third-party evaluation (第三方评估) of a county's exit: a reproducible random sample of exited
// households, each judged correctly or wrongly exited; missed poor households found among the
// non-poor surveyed; the public's approval; and the vetoes against them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/plan.h"

namespace jz {

// `size` codes drawn without replacement from `population` (sorted first, so the draw depends on
// the set, not its order), by a seeded generator fixed in this code (splitmix64), so a seed gives
// the same sample on every machine and in every version. All of them when size >= the population.
std::vector<std::string> DrawSample(std::vector<std::string> population, int64_t size, uint64_t seed);

enum class Verdict { kPending, kCorrect, kWrongful };
std::optional<Verdict> ParseVerdict(std::string_view name);  // pending / correct / wrongful
std::string_view VerdictName(Verdict v);
std::string_view VerdictNameZh(Verdict v);  // 待核查 / 正确退出 / 错误退出

struct EvaluationItem {
    std::string household_code;
    std::string division_code;
    Verdict verdict = Verdict::kPending;
    std::string notes;
    std::string recorded_by;
    std::string recorded_at;
    bool operator==(const EvaluationItem&) const = default;
};

struct Evaluation {
    int64_t id = 0;
    int64_t version = 0;
    int year = 0;               // households exited in this year or before are the population
    std::string division_code;  // the county (or the unit evaluated)
    uint64_t seed = 0;
    int64_t population = 0;  // exited households the sample was drawn from
    std::string drawn_by;
    std::string drawn_at;
    std::vector<EvaluationItem> items;  // by household code
    // Survey figures entered by the evaluators.
    int64_t non_poor_surveyed = 0;   // non-registered households surveyed for missed poor
    int64_t missed_found = 0;        // of them, poor households that should have been registered
    int64_t approval_surveyed = 0;   // people asked
    int64_t approval_satisfied = 0;  // of them, satisfied
    bool operator==(const Evaluation&) const = default;
};

struct Veto {
    std::string id;  // incidence, wrongful_exit_rate, missed_rate, approval_rate
    std::string message_zh;
    std::string message_en;
};

struct EvaluationRates {
    int64_t sampled = 0;
    int64_t judged = 0;
    int64_t wrongful = 0;
    std::optional<double> wrongful_exit_rate;  // wrongful / judged
    std::optional<double> missed_rate;         // missed_found / non_poor_surveyed
    std::optional<double> approval_rate;       // approval_satisfied / approval_surveyed
    std::optional<double> incidence;           // the county's, given by the caller
    std::vector<Veto> vetoes;
    // Every figure known, every item judged, and no veto.
    bool complete = false;
    bool passed = false;
};
EvaluationRates RatesOf(const Evaluation& evaluation, const PlanDynamic& dynamic,
                        std::optional<double> incidence);

}  // namespace jz
