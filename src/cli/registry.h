// The command line under construction: each command file adds its own subcommands through a
// Registry, and main runs the one the user chose.
//
// Contract:
// - main owns the CLI::App, the GlobalOptions and the Registry, and keeps all three alive until
//   the chosen command has returned. A command file's Register...Commands(Registry&) (declared in
//   cli/commands.h) adds its subcommands to `app()` or to a group it creates there, binds their
//   options to storage it keeps alive itself (a std::shared_ptr captured by the run function),
//   and ends every leaf subcommand with `Runs(leaf, run)`.
// - `run` may read `global()` and its own options only once parsing has finished; it returns the
//   process exit status (cli/app.h) and reports its own errors.
// - Single-threaded: the command line is built, parsed and run on main's thread.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <utility>
#include <vector>

#include "cli/app.h"

namespace jz::cli {

// A subcommand's work, run after a successful parse; returns the exit status.
using CommandRun = std::function<int()>;

class Registry {
  public:
    Registry(CLI::App& app, GlobalOptions& global) : app_(app), global_(global) {}
    Registry(const Registry&) = delete;
    Registry& operator=(const Registry&) = delete;

    CLI::App& app() const { return app_; }
    GlobalOptions& global() const { return global_; }

    // Adds the options every command takes (--db, --json, --actor) to `leaf`, after its own so that
    // --help lists them last, and makes `run` its work.
    void Runs(CLI::App* leaf, CommandRun run);

    // After a successful parse: runs the chosen leaf's work and returns its exit status
    // (kExitUsage when no leaf was chosen, which the required subcommands prevent).
    int RunChosen() const;

  private:
    CLI::App& app_;
    GlobalOptions& global_;
    std::vector<std::pair<CLI::App*, CommandRun>> leaves_;  // in the order added
};

}  // namespace jz::cli
