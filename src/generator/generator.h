// Synthetic registries, deterministic from a seed: plausible households of a county for demos,
// tests and benchmarks. No I/O: households are produced one at a time. (Library `generator`, which
// depends on core only; see README.md.)
//
// Contract:
// - Determinism: the same plan, division tree, options and seed give the same households, in the
//   same order, on every compiler and platform (the generator has its own PRNG).
// - Ownership and lifetimes: Create copies what it needs from `plan`, `tree` and `options`; none of
//   them need outlive the call. The caller owns the returned generator; `Next` fills a Household
//   the caller owns (reusing its vectors and strings), and keeps no reference to it.
// - Threads: a Generator is not thread-safe; use one from one thread at a time. Separate
//   generators share nothing and may run on different threads.
// - Memory: match mode draws every household's members in Create (a county of a few thousand
//   households); spread mode holds one household at a time plus a fixed ~10 MB for ID numbers.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "core/date.h"
#include "core/household.h"
#include "core/org_unit.h"
#include "core/plan.h"

namespace jz {

struct GeneratorOptions {
    uint64_t seed = 1;
    // With match_plan, the registry matches the plan exactly (households, persons, each township's
    // total, each township × year's planned exits, each measure's households and beneficiaries, and
    // — as of `as_of` — each township's exits through every year already ended), so reconcile finds
    // nothing but the document's own inconsistencies; `households` is ignored. Otherwise
    // `households` households spread over the tree's villages.
    bool match_plan = false;
    int64_t households = 0;
    // Status as of this date: a household whose planned exit year has ended by then is exited
    // (exit_year = planned year), and a small share of those fell back (返贫) while the plan runs.
    // With match_plan, each fallen-back household is made up by a household of the same size in
    // the same township, planned for a later year, that exited early.
    Date as_of{2017, 6, 30};
};

class Generator {
  public:
    // `plan` supplies measures, years and targets; `tree` the villages. Fails (field named) when the
    // options cannot be met: no villages, households < 1, a plan whose targets cannot be matched.
    static Result<std::unique_ptr<Generator>> Create(const Plan& plan, const OrgTree& tree,
                                                     const GeneratorOptions& options);
    virtual ~Generator() = default;
    // Fills `out` with the next household; false when all have been produced. Households come
    // grouped by village, in household_code order.
    virtual bool Next(Household& out) = 0;
    virtual int64_t total_households() const = 0;
};

}  // namespace jz
