// What the API's handlers share: the configuration, the database connections, the plan and the
// org-unit tree (loaded once at start, read-only after), the authenticator, the registry indexes,
// the kept reports, the search rate limit, and helpers that need any of these (the caller's scope
// as a filter, the request's division and date, a household the caller may see).
//
// One ApiState lives as long as the Api that made it (api.h); handlers receive it by reference and
// run on several threads at once: every member is either immutable after Api::Create (config,
// plan, tree) or thread-safe itself (pool, auth, upkeep, the kept reports, the search limiter).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/access.h"
#include "core/assistance.h"
#include "core/battle_map.h"
#include "core/evaluation.h"
#include "core/exit_standard.h"
#include "core/incidence.h"
#include "core/org_unit.h"
#include "core/plan.h"
#include "core/progress.h"
#include "server/api.h"
#include "server/auth.h"
#include "server/kept_reports.h"
#include "server/registry_upkeep.h"
#include "server/request.h"
#include "server/store_pool.h"
#include "service/dynamic.h"
#include "service/household_input.h"

namespace jz::server {

// Searches (q=) per session: a burst, then one a second (a token bucket); more answer 429 with
// Retry-After. $JINGZHUN_SEARCH_RATE="BURST/PER_SECOND" changes it ("off": no limit, for
// benchmarks). At most kSessions sessions are tracked: idle ones (a full bucket) are dropped first,
// and past that the longest unused. Thread-safe.
class SearchLimiter {
  public:
    static constexpr RateLimit kDefaultRate{.burst = 20, .per_second = 1.0};
    static constexpr size_t kSessions = 10000;
    std::optional<RateLimit> rate = kDefaultRate;  // nullopt: unlimited; set before serving
    // A search token of this request's session: nullopt when granted, else the wait.
    std::optional<std::chrono::seconds> Take(const RequestContext& c);

  private:
    std::mutex mutex_;
    std::unordered_map<uint64_t, TokenBucket> buckets_;  // by a hash of the session token
};

struct ApiState {
    explicit ApiState(const ApiConfig& c) : config(c), auth(c.policy) {}

    ApiConfig config;
    std::unique_ptr<StorePool> pool;
    Plan plan;
    OrgTree tree;
    Authenticator auth;
    RegistryUpkeep upkeep;
    SearchLimiter searches;
    // Progress reports by (date, scope); built one at a time (kept_reports.h).
    KeptReports<ProgressReport> progress{64, true};
    // The battle map's summaries by (date, ages day, unit) (GET /api/reports/summary).
    KeptReports<BattleMap> summaries{64, true};
    // The registry's last change date (the map's default date outside the plan's years).
    KeptReports<std::optional<Date>> last_change{1, false};
    // The last exit-candidates answer (the workbench pages through it and switches between its two
    // lists; a province's takes a second to compute).
    KeptReports<ExitCandidatesBuilder::Result> candidates{1, false};
    // Poverty incidence by year and population settings (the evaluation pages show the county's
    // figure beside every verdict they record).
    KeptReports<IncidenceReport> incidence{64, false};
    // The measures delivered by (unit, from, to) (GET /api/reports/measures), built one at a time.
    KeptReports<MeasuresDelivered> delivered{64, true};
    std::stop_source import_stop;  // requested when the server stops: running imports end
    std::atomic<uint64_t> temp_counter{0};

    // ----------------------------------------------------------------------------- the caller

    // The org-unit prefix that restricts reads, imports and reports: none for a county-wide user
    // (so the change log also shows account events, and reports the whole county).
    std::string ScopeFilter(const Principal& p) const { return PrefixOf(p.scope); }
    // An org unit as a code prefix: none for the county itself.
    std::string PrefixOf(const std::string& code) const { return code == tree.root_code() ? "" : code; }
    ChangeContext Change(const Principal& p) const;
    service::Actor ActorOf(const Principal& p) const { return {p.role, p.username, p.scope}; }
    std::string Now() const;
    Date Today() const;

    // ---------------------------------------------------------------------------- the request

    // The org unit a request names (division=...), which must lie within the user's scope; default
    // the scope itself. nullopt after setting `error`.
    std::optional<std::string> DivisionParam(const RequestContext& c, const Principal& p,
                                             std::optional<Response>& error) const;
    // ?as_of=YYYY-MM-DD, default today. nullopt after setting `error`.
    std::optional<Date> AsOfParam(const RequestContext& c, std::optional<Response>& error) const;
    // The household list's filters (division, status, cause, measure, attribute, overdue, exit
    // years); problems go to `errors`, an out-of-scope or unknown division to `error`.
    IndexQuery ListFilters(const RequestContext& c, const Principal& p, std::vector<Error>& errors,
                           std::optional<Response>& error) const;
    // The stored household {code} when the user may see it (404 otherwise: out of scope looks like
    // absent). nullopt after setting `error`.
    std::optional<HouseholdRecord> Visible(const RequestContext& c, const Principal& p, Store& store,
                                           std::optional<Response>& error) const;
    // A household JSON value by the importer's rules, in the user's scope, checked against the
    // registry; `code` (an existing household's) fills or must equal its household_code, empty for
    // a new one. Errors: 400 with every field. nullopt after setting `error`.
    std::optional<service::AcceptedHousehold> AcceptHousehold(const RequestContext& c, const Principal& p,
                                                              Store& store, const std::string& code,
                                                              boost::json::value body,
                                                              std::vector<Error> errors,
                                                              std::optional<Response>& error) const;
    // A case as its reader may see it (masked for masked roles).
    // The case with its household head's name (names are not masked: the household list shows
    // them to every role); a store failure when the head's name cannot be read.
    Result<boost::json::object> CaseReply(Store& store, const ProcedureCase& c, bool mask) const;

    // ----------------------------------------------------------------------- files and reports

    std::string TempPath(std::string_view suffix);
    std::string ErrorsPath(int64_t import_id) const;
    // The progress report of `scope` on `as_of`, from the kept one when no household changed.
    Result<std::shared_ptr<const ProgressReport>> KeptProgress(Store& store, const Date& as_of,
                                                               const std::string& scope);
    // The year's incidence report, from the kept one when nothing it counts has changed.
    Result<std::shared_ptr<const IncidenceReport>> KeptIncidence(Store& store, int year);
};

}  // namespace jz::server
