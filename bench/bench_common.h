// What the benchmarks share: the demo county's plan and divisions, a fresh registry, timing a
// piece of work in a child process so its peak memory is its own.
#pragma once

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include "generator/generator.h"
#include "core/org_unit.h"
#include "core/plan.h"
#include "core/test_support.h"
#include "io/table.h"
#include "store/sqlite_store.h"

namespace jz::bench {

using Clock = std::chrono::steady_clock;

using testing_support::County;
using testing_support::Slurp;

inline County LoadCounty() { return testing_support::Chayu(); }

inline const ChangeContext kChange{"bench", "2026-11-29T00:00:00Z", std::nullopt};

// A new database with the county's org units and plan (removing any old file).
inline std::unique_ptr<Store> NewRegistry(const County& c, const std::string& path) {
    for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(path + s);
    auto store = OpenSqliteStore(path, OpenMode::kCreate).value();
    (void)store->Begin();
    (void)store->SaveOrgUnits(c.tree, kChange);
    (void)store->SavePlan(c.plan.id, c.toml, kChange);
    (void)store->Commit();
    return store;
}

// A new registry of `households` generated households (seed 11, the generator's default as-of
// day), written straight into the store in one transaction.
inline void BuildGeneratedRegistry(const County& c, const std::string& db, int64_t households) {
    auto store = NewRegistry(c, db);
    GeneratorOptions o;
    o.seed = 11;
    o.households = households;
    auto gen = Generator::Create(c.plan, c.tree, o).value();
    Household h;
    (void)store->Begin();
    while (gen->Next(h)) (void)store->InsertHousehold(h, kChange);
    (void)store->Commit();
}

// Runs `work` in a child process; `work` returns the seconds of the part it times itself (or a
// negative number when it failed, which ends the benchmark). `peak_mib` gets the child's peak
// resident set.
inline double InChild(const std::function<double()>& work, double& peak_mib) {
    std::fflush(stdout);
    int fds[2];
    if (pipe(fds) != 0) std::exit(1);
    const pid_t pid = fork();
    if (pid == 0) {
        const double s = work();
        std::fflush(stdout);
        if (write(fds[1], &s, sizeof s) != sizeof s) _exit(1);
        _exit(s < 0 ? 1 : 0);
    }
    int status = 0;
    struct rusage usage {};
    wait4(pid, &status, 0, &usage);
    double seconds = 0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
        read(fds[0], &seconds, sizeof seconds) != sizeof seconds) {
        std::fprintf(stderr, "benchmark child failed\n");
        std::exit(1);
    }
    close(fds[0]);
    close(fds[1]);
    peak_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;
    return seconds;
}

inline double SecondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace jz::bench
