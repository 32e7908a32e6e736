// Fuzz target: the plan loader (core/plan.h ParsePlan over toml++), and the questions the program
// asks a loaded plan (its years, targets, poverty lines, measures by number or name).
// Invariants: no crash, no sanitizer report, no exception escapes; an accepted plan's years run
// from start_year to end_year and its questions answer without crashing; a refusal has a code and
// a field naming the source.
#include "core/plan.h"

#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto plan = jz::ParsePlan(text, "fuzz.toml");
    if (!plan) {
        JZ_FUZZ_CHECK(!plan.error().code.empty());
        JZ_FUZZ_CHECK(plan.error().field.starts_with("fuzz.toml"));
        return 0;
    }
    const std::vector<int> years = plan->years();
    JZ_FUZZ_CHECK(!years.empty() && years.front() == plan->start_year && years.back() == plan->end_year);
    for (int year : years) {
        (void)plan->ExitTarget(year);
        (void)plan->PovertyLine(year);
    }
    for (int n = 0; n <= 11; ++n) (void)plan->FindMeasure(n);
    for (const jz::PlanMeasure& m : plan->measures) {
        JZ_FUZZ_CHECK(plan->ParseMeasure(std::to_string(m.number)) == m.number);
        (void)plan->ParseMeasure(m.name);
        (void)plan->FindBattle(m.battle);
    }
    for (const jz::PlanTownship& t : plan->townships) {
        JZ_FUZZ_CHECK(plan->FindTownship(t.code) == &t);
        (void)t.total_persons();
    }
    (void)plan->ParseMeasure(text.substr(0, 64));
    return 0;
}
