// Jingzhun's HTTP API: the routes of docs/api.md / openapi.json over the same core, store, io and
// service functions the CLI uses. Handlers parse, check the principal's role and scope, call, format.
//
// Contract. Api::Create runs once, on one thread, before serving: it opens the database
// connections, loads the plan and the org-unit tree, builds the registry indexes and today's county
// report. The Api owns all of that (ApiState, api_state.h). Register() adds the routes of the route
// table (routes.h) to a router; the handlers it installs keep a reference to this Api, which must
// therefore outlive the router and the HttpServer serving it. Once serving, handlers run on several
// threads at once (http.h lanes); CancelImports may be called from any thread.
#pragma once

#include <memory>
#include <string>

#include "core/access.h"
#include "io/limits.h"
#include "server/http.h"

namespace jz::server {

struct ApiConfig {
    std::string db_path;
    std::string web_dir;   // the built workbench (web/dist); empty or missing: not served
    std::string data_dir;  // import error files; default: "<db>.files"
    LoginPolicy policy;
    bool secure_cookie = false;  // add Secure to the session cookie (behind HTTPS)
    // Printing (routes_print.cc): the base of the household cards' QR codes; when empty, the
    // request's own http://host[:port] if its host is listen_host, else http://localhost:8080.
    std::string public_url;
    std::string listen_host;
    int connections = 4;         // database connections
    int check_parts = 2;         // parallel scan parts for /api/check
    size_t import_body_limit = 64 << 20;
    // Bounds of an uploaded import (io/limits.h); an upload gets ten minutes.
    io::ImportLimits import_limits = [] {
        io::ImportLimits limits;
        limits.time_budget = std::chrono::seconds(600);
        return limits;
    }();
};

class Api {
  public:
    static Result<std::unique_ptr<Api>> Create(const ApiConfig& config);
    ~Api();
    // Adds every route (and the web app as the fallback).
    void Register(Router& router);
    // Asks the imports running now and later to stop (import.cancelled, rolled back): the server is
    // stopping. Thread-safe; HttpOptions::on_stop calls it.
    void CancelImports();

  private:
    struct Impl;
    explicit Api(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// The OpenAPI 3 document served at /api/openapi.json.
std::string_view OpenApiDocument();

}  // namespace jz::server
