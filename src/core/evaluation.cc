#include "core/evaluation.h"

#include <algorithm>
#include <cstdio>

namespace jz {
namespace {

// splitmix64 (Steele, Lea, Flood 2014): fixed here so a seed draws the same sample everywhere.
uint64_t Next(uint64_t& state) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// Uniform in [0, bound) without modulo bias (rejection of the short top range).
uint64_t Below(uint64_t& state, uint64_t bound) {
    const uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    uint64_t x;
    do x = Next(state);
    while (x >= limit);
    return x % bound;
}

std::string Percent(double r) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f%%", r * 100);
    return buf;
}

std::optional<double> Ratio(int64_t part, int64_t whole) {
    if (whole <= 0) return std::nullopt;
    return static_cast<double>(part) / static_cast<double>(whole);
}

}  // namespace

std::vector<std::string> DrawSample(std::vector<std::string> population, int64_t size, uint64_t seed) {
    std::ranges::sort(population);
    population.erase(std::unique(population.begin(), population.end()), population.end());
    const auto n = static_cast<int64_t>(population.size());
    const int64_t k = std::clamp<int64_t>(size, 0, n);
    // Partial Fisher-Yates: the first k places are the sample.
    uint64_t state = seed;
    for (int64_t i = 0; i < k; ++i) {
        const auto j = i + static_cast<int64_t>(Below(state, static_cast<uint64_t>(n - i)));
        std::swap(population[i], population[j]);
    }
    population.resize(k);
    std::ranges::sort(population);
    return population;
}

std::optional<Verdict> ParseVerdict(std::string_view name) {
    for (Verdict v : {Verdict::kPending, Verdict::kCorrect, Verdict::kWrongful})
        if (name == VerdictName(v) || name == VerdictNameZh(v)) return v;
    return std::nullopt;
}
std::string_view VerdictName(Verdict v) {
    switch (v) {
        case Verdict::kPending:
            return "pending";
        case Verdict::kCorrect:
            return "correct";
        case Verdict::kWrongful:
            return "wrongful";
    }
    return {};
}
std::string_view VerdictNameZh(Verdict v) {
    switch (v) {
        case Verdict::kPending:
            return "待核查";
        case Verdict::kCorrect:
            return "正确退出";
        case Verdict::kWrongful:
            return "错误退出";
    }
    return {};
}

EvaluationRates RatesOf(const Evaluation& e, const PlanDynamic& d, std::optional<double> incidence) {
    EvaluationRates r;
    r.sampled = static_cast<int64_t>(e.items.size());
    for (const EvaluationItem& item : e.items) {
        if (item.verdict != Verdict::kPending) ++r.judged;
        if (item.verdict == Verdict::kWrongful) ++r.wrongful;
    }
    r.wrongful_exit_rate = Ratio(r.wrongful, r.judged);
    r.missed_rate = Ratio(e.missed_found, e.non_poor_surveyed);
    r.approval_rate = Ratio(e.approval_satisfied, e.approval_surveyed);
    r.incidence = incidence;
    auto veto = [&](std::string id, std::string zh, std::string en) {
        r.vetoes.push_back(Veto{std::move(id), std::move(zh), std::move(en)});
    };
    if (incidence && *incidence > d.county_exit_incidence)
        veto("incidence", "贫困发生率" + Percent(*incidence) + "高于" + Percent(d.county_exit_incidence),
             "poverty incidence " + Percent(*incidence) + " is above " + Percent(d.county_exit_incidence));
    if (r.wrongful_exit_rate && *r.wrongful_exit_rate > d.wrongful_exit_veto)
        veto("wrongful_exit_rate",
             "错退率" + Percent(*r.wrongful_exit_rate) + "高于" + Percent(d.wrongful_exit_veto),
             "wrongful-exit rate " + Percent(*r.wrongful_exit_rate) + " is above " +
                 Percent(d.wrongful_exit_veto));
    if (r.missed_rate && *r.missed_rate > d.missed_veto)
        veto("missed_rate", "漏评率" + Percent(*r.missed_rate) + "高于" + Percent(d.missed_veto),
             "missed rate " + Percent(*r.missed_rate) + " is above " + Percent(d.missed_veto));
    if (r.approval_rate && *r.approval_rate < d.approval_veto)
        veto("approval_rate", "群众认可度" + Percent(*r.approval_rate) + "低于" + Percent(d.approval_veto),
             "approval rate " + Percent(*r.approval_rate) + " is below " + Percent(d.approval_veto));
    r.complete = r.sampled > 0 && r.judged == r.sampled && r.missed_rate && r.approval_rate && incidence;
    r.passed = r.complete && r.vetoes.empty();
    return r;
}

}  // namespace jz
