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
#include "generator/generator.h"
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

}  // namespace jz::service::testing_registry
