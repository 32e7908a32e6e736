// The API's route table: every route in one place — method, path, handler, lane, body limit and
// whether it needs a signed-in user — so a reader sees the whole API at a glance and tests can
// enumerate it (routes_test.cc checks each route against each role). Adding a route: a handler
// in the group's routes_*.cc (declared in handlers.h), a row here (routes.cc), its entry in
// openapi.json and in the permission matrix of routes_test.cc.
//
// The table is immutable static data: safe to read from any thread.
#pragma once

#include <cstddef>
#include <limits>
#include <span>
#include <string_view>

#include "server/http.h"

namespace jz {
class Store;
}

namespace jz::server {

struct ApiState;
struct Principal;

// A handler of a route that needs a session: the principal is the signed-in user, the store a
// connection leased for this request.
using SessionHandler = Response (*)(ApiState& s, RequestContext& c, const Principal& p, Store& store);
// A handler of a public route (health, the OpenAPI document, login).
using PublicHandler = Response (*)(ApiState& s, RequestContext& c);
using AdmitHandler = std::optional<Response> (*)(ApiState& s, RequestContext& c);

// RouteEntry::body_limit: the configured import limit (ApiConfig::import_body_limit).
inline constexpr size_t kImportBodyLimit = std::numeric_limits<size_t>::max();
inline constexpr size_t kLoginBodyLimit = 4096;  // a username of 64 and a password of 1024 bytes fit
inline constexpr size_t kUserBodyLimit = 8192;
// RouteEntry::body_limit: sized from the plan's photo_max_bytes (routes::VisitBodyLimit).
inline constexpr size_t kVisitBodyLimit = std::numeric_limits<size_t>::max() - 1;

struct RouteEntry {
    http::verb method;
    std::string_view pattern;  // "/api/households/{code}"
    Lane lane;
    size_t body_limit;  // 0: the server's default; kImportBodyLimit: the configured import limit
    // True: needs a session (401 without one) and answers within the user's scope; `handler` is
    // set. False: public; `public_handler` is set.
    bool scoped;
    SessionHandler handler = nullptr;
    PublicHandler public_handler = nullptr;
    AdmitHandler admit = nullptr;  // on the I/O thread before queueing (login's throttle)
    bool upload = false;           // the body is a file (imports)
};

// Every route of the API, in the order they are registered.
std::span<const RouteEntry> RouteTable();

}  // namespace jz::server
