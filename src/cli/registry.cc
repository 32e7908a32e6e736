#include "cli/registry.h"

namespace jz::cli {

void Registry::Runs(CLI::App* leaf, CommandRun run) {
    GlobalOptions& g = global_;
    leaf->add_option("--db", g.db, "SQLite database file (default: $JINGZHUN_DB, else jingzhun.db)");
    leaf->add_flag("--json", g.json, "Machine-readable JSON output");
    leaf->add_option("--actor", g.actor, "Who is making the change, for the change log (default: cli:$USER)");
    leaves_.emplace_back(leaf, std::move(run));
}

int Registry::RunChosen() const {
    for (const auto& [leaf, run] : leaves_)
        if (leaf->parsed()) return run();
    return kExitUsage;
}

}  // namespace jz::cli
