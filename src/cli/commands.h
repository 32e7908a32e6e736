// The command files' registrations: each Register...Commands adds its subcommands, their options
// and their work to the command line (cli/registry.h). main calls them in the order `jingzhun
// --help` lists the commands. Each command's options struct and Run function live in its file.
//
// Contract: the Register functions run once, on main's thread, before parsing; see cli/registry.h
// for who keeps the options alive. Every Run function returns the process exit status (cli/app.h).
#pragma once

#include <boost/json.hpp>

#include "cli/registry.h"
#include "store/store.h"

namespace jz::cli {

// commands.cc
void RegisterSetupCommands(Registry& registry);     // init, demo, generate
void RegisterExchangeCommands(Registry& registry);  // import, export
// ledger_exchange_commands.cc: assistance import|export, income import|export (issue 14)
void RegisterLedgerExchangeCommands(Registry& registry);
// The `assistance` subcommand of `app`: the existing one, or a new one (with require_subcommand).
CLI::App& AssistanceCommand(CLI::App& app);
void RegisterReportCommands(Registry& registry);    // report progress
// report_commands.cc: report weekly|monthly|quarterly|annual|issue|issued|show|compare|due (issue 17)
void RegisterPeriodicReportCommands(Registry& registry);
// audit_commands.cc
void RegisterAuditCommands(Registry& registry);  // audit verify|head, backup, restore
// quality.cc
void RegisterQualityCommands(Registry& registry);  // check, reconcile
// server_commands.cc
void RegisterServerCommands(Registry& registry);  // serve, user add|list|disable
// Dynamic management (docs/dynamic-management.md). Exit statuses: 0 done, 2 usage or unusable
// input (also an unknown household, case or code), 4 refused by the procedure, 1 the database failed.
void RegisterExitCommands(Registry& registry);        // year_commands.cc: exit-candidates, incidence, population
void RegisterProcedureCommands(Registry& registry);   // dynamic_commands.cc: procedure list|show|open|step|...
void RegisterEvaluationCommands(Registry& registry);  // year_commands.cc: adjustment, evaluation
// The assistance ledger (assistance_commands.cc): assistance list|add|sign|delete. Exit statuses as
// the dynamic-management commands'.
void RegisterAssistanceCommands(Registry& registry);
// The `assistance` parent command, made on first use (each ledger command file attaches its
// subcommands to it: assistance_commands.cc, ledger_exchange_commands.cc).
CLI::App& AssistanceCommand(CLI::App& app);

// Pairing (pairing_commands.cc): cadre list|add, pairing assign|set|end|list, team add|end|days|list,
// visit add|list|overdue, place set (docs/pairing.md). Exit statuses as the assistance commands'.
void RegisterPairingCommands(Registry& registry);
// cadre_exchange_commands.cc: cadre import|export (issue 15). Registered after the pairing commands.
void RegisterCadreExchangeCommands(Registry& registry);
// The `cadre` parent command, made on first use (cadre list|add here; cadre import|export attach to
// it from their own file).
CLI::App& CadreCommand(CLI::App& app);

// Asset-income shares (shares_commands.cc): asset add|list|show|dividend|dispose|import|export,
// shares reallocate|household (docs/shares.md). Exit statuses as the assistance commands'.
void RegisterSharesCommands(Registry& registry);

// Funds (funds_commands.cc, docs/funds.md): fund source|allocation|payee add|list, fund balances,
// fund report, fund findings; project apply|list|show|step|notice; ledger post|reverse|list.
// Exit statuses: 0 done, 2 usage or unusable input (or not found), 4 refused by a rule, 1 the database.
void RegisterFundsCommands(Registry& registry);
// The `fund`, `project` and `ledger` parents, made on first use (the exchange commands attach to them).
CLI::App& FundCommand(CLI::App& app);
CLI::App& ProjectCommand(CLI::App& app);
CLI::App& FundLedgerCommand(CLI::App& app);
// Printing (print_commands.cc, docs/printing.md): card (扶贫手册/明白卡), register (村有册/乡有簿).
// Exit statuses: 0 written, 2 usage or unusable input (or an unknown household or unit), 1 the database.
void RegisterPrintCommands(Registry& registry);
// The change log's head as reports carry it: "chain_head": {"seq", "hash"} in their JSON, a footer
// line in their text (so an issued report anchors the chain outside the database).
// audit_commands.cc; used by the reports of commands.cc and quality.cc.
void AddChainHead(Store& store, boost::json::value& report);
void PrintChainHeadFooter(Store& store);

}  // namespace jz::cli
