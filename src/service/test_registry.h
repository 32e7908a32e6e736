// Test support for the service tests: a registry of generated households written once per test
// binary into a database that each case copies (fs::copy_file) rather than generating again.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>

#include "core/test_support.h"
#include "core/codes.h"
#include "core/id_number.h"
#include "generator/generator.h"
#include "service/dynamic.h"
#include "store/sqlite_store.h"

namespace jz::service::testing_registry {

// Creates "<temp>/jz-<name>-template-<pid>.db" with Chayu's org units and plan and `households`
// households generated from `seed`, each passed through `adjust` (when given) before it is
// inserted; logged as `change`. Tests need no power-loss durability: commits are not synced.
// Returns the path.
inline std::string GeneratedRegistry(const std::string& name, int64_t households, uint64_t seed,
                                     const ChangeContext& change,
                                     const std::function<void(Household&)>& adjust = {}) {
    using testing_support::Chayu;
    setenv("JINGZHUN_SYNCHRONOUS", "normal", 1);
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("jz-" + name + "-template-" + std::to_string(getpid()) + ".db"))
                                 .string();
    std::filesystem::remove(path);
    auto store = OpenSqliteStore(path, OpenMode::kCreate).value();
    (void)store->Begin();
    (void)store->SaveOrgUnits(Chayu().tree, change);
    (void)store->SavePlan(Chayu().plan.id, Chayu().toml, change);
    GeneratorOptions o;
    o.households = households;
    o.seed = seed;
    auto g = Generator::Create(Chayu().plan, Chayu().tree, o).value();
    Household h;
    while (g->Next(h)) {
        if (adjust) adjust(h);
        (void)store->InsertHousehold(h, change);
    }
    (void)store->Commit();
    return path;
}

// A valid ID number no generated person has (another county's address code), its sequence's parity
// the person's sex; `counter` makes each one of a registry distinct.
inline std::string FreshId(const Person& p, int& counter) {
    const int n = ++counter % 499;
    return MakeIdNumber("540421", p.birth_date, 2 * n + (p.sex == codes::kSexMale ? 1 : 2));
}

// Takes every remaining step of an open case as `actor`, each on the first day it may be taken.
inline Result<ProcedureCase> CarryThrough(Dynamic& d, ProcedureCase c, const Actor& actor, const std::string& now) {
    Date day = c.steps.back().date;
    while (c.open) {
        auto next = NextStepOf(c, testing_support::Chayu().plan);
        if (next->not_before && *next->not_before > day) day = *next->not_before;
        auto r = d.Step(actor, c.id, {next->step, day, "", "", {}}, c.version, {}, now);
        if (!r) return r;
        c = std::move(*r);
    }
    return c;
}

}  // namespace jz::service::testing_registry
