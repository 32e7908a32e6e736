// What the dynamic-management commands share (dynamic_commands.cc, year_commands.cc): a session
// acting as the county's administrator over service::Dynamic, and how a failure is reported.
// Internal to src/cli. Single-threaded, like every command.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cli/app.h"
#include "service/dynamic.h"
#include "service/household_input.h"

namespace jz::cli {

// An open session with the service over it, acting as the county's administrator.
struct DynamicSession {
    Session session;
    service::Dynamic dynamic;
    service::Actor actor;
    DynamicSession(Session s, const std::string& username)
        : session(std::move(s)),
          dynamic(*session.store, session.plan, session.tree),
          actor{Role::kAdmin, username, session.plan.county_code} {}
};

// Opens the database (OpenSession) and the service over it, acting as the user --actor names.
Result<std::unique_ptr<DynamicSession>> OpenDynamic(const GlobalOptions& g);

// Prints the failure as one line and chooses the exit status by its kind (2 input or not found,
// 4 refused, 1 the database failed); a refusal also names the rule that refused it.
int ReportFailure(const Error& error);
int ReportFieldError(const Error& f);
std::unexpected<Error> NotFound(const std::string& what_zh, const std::string& what_en);

std::string NameOf(const OrgTree& tree, const std::string& code);  // "?" when unknown
std::string Percent(const std::optional<double>& ratio);           // "12.34%", "—" when none
std::string Str(std::string_view s);

}  // namespace jz::cli
