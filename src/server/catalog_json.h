// What the server publishes for the web so that the web keeps no copy of a rule (GET /api/codes):
// the national code tables with their names, each entry marked with what the rules make of it,
// the procedures with their states and steps (level, outcomes, exclusion facts), the levels, the
// exclusion facts, the deregistration reasons, and the levels the signed-in account acts at.
//
// Contract: everything is read from core (codes.h, procedure.h, exit_standard.h, access.h), never
// restated here; the JSON shape is documented in openapi.json (CodeCatalog) and docs/api.md.
// Pure and stateless: safe to call from any number of handler threads at once; the returned
// value owns all its strings.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

#include "core/access.h"

namespace jz::server {

// The catalog as the account (role, scope) sees it; only "acts_at" depends on the account.
boost::json::object CodeCatalogJson(Role role, std::string_view scope);

}  // namespace jz::server
