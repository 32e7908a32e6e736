// What every command shares: opening the database, loading a plan, the clock, output.
#pragma once

#include <boost/json.hpp>
#include <memory>
#include <string>

#include "core/check.h"
#include "core/date.h"
#include "core/error.h"
#include "core/org_unit.h"
#include "core/plan.h"
#include "store/store.h"

namespace jz::cli {

// Exit statuses (README "Exit statuses").
inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;  // a command ran and found problems (check, reconcile)
inline constexpr int kExitUsage = 2;     // bad arguments or unusable input; nothing changed
inline constexpr int kExitPartial = 3;   // import: some households rejected, the rest imported
inline constexpr int kExitRefused = 4;   // a procedure refused the change (docs/dynamic-management.md)

struct GlobalOptions {
    std::string db;  // --db, else $JINGZHUN_DB, else jingzhun.db
    bool json = false;
    std::string actor;  // --actor, else "cli:$USER"
};

// A plan file read and parsed, with the division tree it names.
struct LoadedPlan {
    Plan plan;
    std::string toml_text;
    OrgTree tree;
};

// Reads and validates the plan at `path`, and the division table it names (relative to the plan
// file) or `divisions_override` when given. Both are found as cli/resources.h says: as given, else
// (relative) under $JINGZHUN_DATA_DIR, the installed share/jingzhun, the source tree, or built in.
// An empty `path` is the default plan.
Result<LoadedPlan> LoadPlanFile(const std::string& path, const std::string& divisions_override = {});
// The plan shipped with the program ("plans/chayu-2016.toml"), as LoadPlanFile finds it.
std::string DefaultPlanPath();

// An open database with its plan and org units loaded.
struct Session {
    std::unique_ptr<Store> store;
    Plan plan;
    OrgTree tree;
};
Result<Session> OpenSession(const GlobalOptions& options);

// A database from an older version of the program is backed up as it is into `backup_dir`
// (default: `backups/` beside it), then migrated, and both are said on stderr; one newer than the
// program is refused (store.too_new). A current or missing database is left alone.
// docs/install.md, "Upgrade and rollback".
Result<void> UpgradeDatabase(const std::string& db, const std::string& backup_dir = {});

std::string NowIso();  // UTC, e.g. 2026-11-29T04:05:06Z
Date Today();
Result<Date> ParseDateOption(const std::string& text, const std::string& option);

Result<std::string> ReadFile(const std::string& path);
// An external list of ID numbers (check --against, procedure step --against): one ID number per
// line, or a CSV whose header has an id_number / 证件号码 column. Lines that are not ID numbers are
// counted in `skipped`, not silently dropped.
Result<ExternalList> ReadList(const std::string& path, ListKind kind, int64_t& skipped);

// Prints an error as one line on stderr ("jingzhun: <field>: 中文 / English") and returns kExitUsage.
int ReportError(const Error& error);
void PrintJson(const boost::json::value& value);

}  // namespace jz::cli
