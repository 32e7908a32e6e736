// Shared by the generator's tests (not part of the library): the Chayu division tree and plan,
// running a generator to the end, and the rules every household of a clean registry keeps.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/codes.h"
#include "core/household.h"
#include "core/org_unit.h"
#include "core/plan.h"
#include "core/reconcile.h"
#include "generator/generator.h"

namespace jz::generator_test {

std::string ReadFile(const std::filesystem::path& path);
// data/chayu-540425-divisions.csv, loaded once.
const OrgTree& ChayuTree();
// The seed plan's numbers, built by hand so these tests do not depend on the plan file's parser.
Plan HandPlan();
// plans/chayu-2016.toml, parsed.
Plan FilePlan();
// Every household of the generator, in order; a failure to create is a test failure.
std::vector<Household> Generate(const Plan& plan, const OrgTree& tree, const GeneratorOptions& options);
int C(const CodeTable& t, std::string_view name);
// Every rule a household of a clean synthetic registry keeps; returns the broken ones.
std::vector<std::string> Problems(const Household& h, const Plan& plan, const Date& as_of);
// Registry-wide rules: household codes in order, IDs unique, and Problems for each household.
void ExpectRegistryInvariants(const std::vector<Household>& all, const Plan& plan, const Date& as_of);
GeneratorOptions Spread(uint64_t seed, int64_t households);
GeneratorOptions Match(uint64_t seed, const Date& as_of);
// What `jingzhun reconcile` reports on a registry as of `as_of`: the plan's own contradictions,
// then the registry against the plan through the progress figures.
std::vector<ReconcileFinding> Reconcile(const Plan& plan, const std::vector<Household>& all,
                                        const Date& as_of);
std::string Describe(const std::vector<ReconcileFinding>& findings);

}  // namespace jz::generator_test
