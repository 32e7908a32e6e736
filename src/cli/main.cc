// jingzhun: one binary, subcommands. main builds the command line from the command files'
// registrations (cli/commands.h), parses it and runs the chosen command.
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <exception>
#include <iostream>

#include "cli/commands.h"

#ifndef JINGZHUN_VERSION
#define JINGZHUN_VERSION "0.1.0"
#endif

namespace {

std::string EnvOr(const char* name, const std::string& fallback) {
    const char* v = std::getenv(name);
    return v && *v ? std::string(v) : fallback;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace jz::cli;  // NOLINT: main only
    CLI::App app{
        "精准 Jingzhun — targeted poverty-alleviation registry and battle map\n"
        "精准扶贫建档立卡与挂图作战管理系统",
        "jingzhun"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "jingzhun " JINGZHUN_VERSION);  // the CMake project version

    GlobalOptions g;
    g.db = EnvOr("JINGZHUN_DB", "jingzhun.db");
    g.actor = "cli:" + EnvOr("USER", "unknown");

    // In the order --help lists the commands.
    Registry registry(app, g);
    RegisterSetupCommands(registry);
    RegisterExchangeCommands(registry);
    RegisterLedgerExchangeCommands(registry);
    RegisterReportCommands(registry);
    RegisterPeriodicReportCommands(registry);
    RegisterQualityCommands(registry);
    RegisterAuditCommands(registry);
    RegisterServerCommands(registry);
    RegisterExitCommands(registry);
    RegisterProcedureCommands(registry);
    RegisterEvaluationCommands(registry);
    RegisterAssistanceCommands(registry);
    RegisterPairingCommands(registry);
    RegisterCadreExchangeCommands(registry);
    RegisterSharesCommands(registry);
    RegisterFundsCommands(registry);
    RegisterPrintCommands(registry);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "jingzhun: " << e.what() << " (see --help)\n";
        return kExitUsage;
    }

    try {
        return registry.RunChosen();
    } catch (const std::exception& e) {
        std::cerr << "jingzhun: internal error: " << e.what() << "\n";
        return 1;
    }
}
