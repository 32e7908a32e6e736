// Pairing's operations (结对帮扶), one function each, in its own transaction and logged in the change
// log, called alike by the API (src/server/routes_pairing.cc, routes_visits.cc) and the CLI
// (`jingzhun cadre|pairing|team|visit ...`): cadres added and changed, a household's pairing set
// (the old one ended, the history kept), the assignment proposed and applied, village work teams
// and days on post, visits recorded exactly once, the overdue list, households' places, and the
// facts the data-quality rules read. Cadre imports and exports are io/cadre_exchange.h.
//
// Stateless functions over the Store passed in (one Store per thread: store/store.h). Errors name
// the field and the reason in both languages: cadre.invalid, cadre.not_found (cadre_id),
// cadre.inactive (cadre_id: not serving on the day), household.not_found (household_code),
// household.deregistered, household.exited (a pairing is set for households not exited; an exited
// household keeps its last cadre), pairing.invalid, pairing.same_cadre (already paired with that
// cadre), pairing.over_quota (cadre_id: setting it by hand beyond the quota needs `allow_over_quota`),
// team.invalid, team.first_secretary_exists, visit.invalid, visit.photo (type by content, size),
// visit.household_changed (the household changed since the version the visit was recorded
// against: the answer carries the current summary; resent with confirm_changed it is recorded),
// visit.client_id_reused (the client id names a different visit), store.conflict (version).
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/org_unit.h"
#include "core/pairing.h"
#include "core/plan.h"
#include "store/store.h"

namespace jz::service {

// --- Cadres ----------------------------------------------------------------------------------------
// Adds a cadre (ValidateCadre; division_code set from township_code or the plan's county).
Result<CadreRecord> AddCadre(Store& store, const Plan& plan, Cadre cadre, const ChangeContext& change);
// Replaces the cadre `cadre.id` at `version`.
Result<CadreRecord> UpdateCadre(Store& store, const Plan& plan, Cadre cadre, int64_t version,
                                const ChangeContext& change);

// A cadre with its load against quota, as lists show it.
struct CadreLoad {
    CadreRecord record;
    int quota = 0;
    int64_t load = 0;  // current pairings
};
// Cadres under `scope` (CadreFilter), each with load and quota.
Result<std::vector<CadreLoad>> ListCadreLoads(Store& store, const Plan& plan, const CadreFilter& filter);

// --- Pairings --------------------------------------------------------------------------------------
struct SetPairingRequest {
    std::string household_code;
    int64_t cadre_id = 0;
    Date from;                 // the new pairing's first day (the old one ends the day before,
                               // or that day when it began that day)
    std::string reason;        // 1..200 characters
    bool allow_over_quota = false;
};
// Sets a household's pairing cadre: ends the current pairing, begins the new one, and writes the
// cadre's name into the household's pairing_cadre (a household change, version bumped), all in one
// transaction. Returns the new pairing.
Result<Pairing> SetPairing(Store& store, const Plan& plan, const SetPairingRequest& request,
                           const ChangeContext& change);
// Ends a household's current pairing without a successor (the household left the registry, the
// cadre left; an exited household keeps its cadre unless ended on purpose); clears pairing_cadre.
Result<Pairing> EndPairing(Store& store, const std::string& household_code, const Date& to,
                           const std::string& reason, const ChangeContext& change);
// A household's pairings, current first then newest first, each with the cadre's name and rank.
Result<boost::json::object> PairingHistoryJson(Store& store, const Plan& plan, const std::string& household_code,
                                               bool mask_ids);

// --- Assignment ------------------------------------------------------------------------------------
// The proposal for every household under `scope` that needs a cadre (core ProposeAssignment over
// the registry's not-exited households, the current pairings and the cadres active on `on`).
struct AssignmentPlan {
    Date on;
    std::string scope;
    AssignProposal proposal;
    // Resolved for output, index-aligned with proposal.pairs / proposal.uncovered.
    std::vector<std::string> pair_households, pair_divisions;
    std::vector<std::string> uncovered_households, uncovered_divisions;
    std::vector<std::pair<int64_t, std::string>> cadre_names;  // id → name, sorted by id
    // A digest of the inputs (households needing a cadre, current pairings, cadres with quota and
    // activity) and the proposal: apply refuses ("pairing.proposal_stale") when it no longer matches.
    std::string digest;
};
Result<AssignmentPlan> ProposeAssignment(Store& store, const Plan& plan, const std::string& scope, const Date& on);
// {"on","scope","digest","pairs":[{household_code,division_code,cadre_id,cadre_name,same_township}],
//  "uncovered":[{household_code,division_code,reason}],"kept":n,"counts":{...}} — docs/api.md.
boost::json::object AssignmentJson(const AssignmentPlan& plan);
// Applies a proposal made for `scope` on `on` when `digest` still matches a fresh proposal: every
// pair set as SetPairing (reason "assigned / 自动分配"), in one transaction. Returns the pairs made.
Result<int64_t> ApplyAssignment(Store& store, const Plan& plan, const std::string& scope, const Date& on,
                                const std::string& digest, const ChangeContext& change);

// --- Work teams ------------------------------------------------------------------------------------
Result<TeamMember> AddTeamMember(Store& store, const Plan& plan, TeamMember member, const ChangeContext& change);
// Ends a member's time on the team on `to`.
Result<TeamMember> EndTeamMember(Store& store, int64_t member_id, const Date& to, const ChangeContext& change);
Result<void> PutOnPostDays(Store& store, const OnPostDays& record, const ChangeContext& change);
// Teams of villages under `scope` on `on`: per village its first secretary and members (cadre
// name, role, from, to) and the on-post days of [from month, to month], short months flagged
// (below plan.pairing.on_post_min_days). docs/api.md "Work teams".
Result<boost::json::object> TeamsJson(Store& store, const Plan& plan, const OrgTree& tree, const std::string& scope,
                                      const Date& on, bool mask_ids);

// --- Visits ----------------------------------------------------------------------------------------
struct RecordVisitRequest {
    Visit visit;                               // client_id, household_code, cadre_id, date, texts, place
    std::string photo;                         // bytes (decoded), empty: none
    std::optional<int64_t> household_version;  // the version the visit was recorded against
    bool confirm_changed = false;              // record even though the household changed since
};
struct RecordVisitResult {
    Visit visit;
    bool inserted = false;  // false: this client_id was already recorded (a retry), nothing changed
};
// Records a visit exactly once per client_id: checks (ValidateVisit against `today`, the photo's
// type by content and size against plan.pairing.photo_max_bytes, the household registered, the
// cadre exists), computes the distance from the household's place and flags it when farther than
// plan.pairing.visit_distance_m. A client_id already stored with the same household, cadre and date
// returns the stored visit (inserted=false); with different ones, visit.client_id_reused.
Result<RecordVisitResult> RecordVisit(Store& store, const Plan& plan, const RecordVisitRequest& request,
                                      const Date& today, const ChangeContext& change);
boost::json::object VisitJson(const Visit& visit);
// A visit from the API's JSON body: {client_id, household_code, cadre_id, date, discussed, done,
// place: {lat, lon, accuracy} (decimal degrees as strings or numbers, ≤ 6 decimals; metres),
// photo: base64 (optional), household_version, confirm_changed}. Each problem names its field.
Result<RecordVisitRequest> VisitRequestFromJson(const boost::json::value& body);

// The overdue list under `scope` on `on` (core OverdueVisits over the current pairings of
// not-exited households and their visits: the kept summaries when `on` is today or later, else
// the visits up to `on`), with counts per cadre, village and township.
struct OverdueList {
    Date on;
    int interval_days = 0;
    std::vector<VisitState> states;         // string_views point into `codes`
    std::vector<std::string> codes;         // household and division codes owned here
    std::vector<OverdueVisit> overdue;
    // Read from the kept per-household summaries (today's list): they hold the last visit only, so
    // states' visits_this_quarter are 0 and OverdueJson counts the quarter of the households it lists.
    bool from_summaries = false;
};
Result<OverdueList> BuildOverdue(Store& store, const Plan& plan, const std::string& scope, const Date& on,
                                 const Date& today);
// {"on","interval_days","households":[{household_code,division_code,cadre_id,cadre_name,last_visit,
//  due,days_overdue,visits_this_quarter}],"by_cadre":[...],"by_village":[...],"by_township":[...]}.
Result<boost::json::object> OverdueJson(Store& store, const OrgTree& tree, const OverdueList& list, int64_t limit);

// What a cadre needs in the field, offline: the cadre and their current households, each with the
// household's version, village, head's name, members count, status, attribute, main measure,
// place, and last 3 visits. ID numbers masked by mask_ids. docs/api.md "The field kit".
// One household as the field kit keeps it on the device: {household_code, version, division_code,
// village_name, township_name, head_name, head_id_number, phone (both masked by mask_ids), persons,
// status, status_name, attribute, attribute_name, main_measure, main_measure_name, cadre_id,
// paired_from, next_visit_due, place: {lat_e6, lon_e6, accuracy_m, recorded_on, source} | null,
// last_visits: [VisitJson] (newest first, at most 3)}.
// The answer to visit.household_changed carries it: RecordVisit fails with that code (field
// household_version) and the route answers 409 {"error": {...}, "household": HouseholdSummaryJson}
// so the device shows what changed and replaces its copy; the user re-sends with confirm_changed.
Result<boost::json::object> HouseholdSummaryJson(Store& store, const Plan& plan, const OrgTree& tree,
                                                 const std::string& household_code, bool mask_ids);
Result<boost::json::object> FieldKitJson(Store& store, const Plan& plan, const OrgTree& tree, int64_t cadre_id,
                                         const std::string& scope, bool mask_ids);

// --- Places ----------------------------------------------------------------------------------------
// Checks the place (lat/lon in range, accuracy ≥ 0, source a lowercase word, default "survey") and
// stores it for the registered household ("place.invalid" naming lat, lon, accuracy or source).
Result<HouseholdPlace> PutHouseholdPlace(Store& store, const HouseholdPlace& place, const ChangeContext& change);
// A place from the API's JSON body {lat, lon (decimal degrees as strings or numbers, ≤ 6 decimals),
// accuracy (metres, optional), recorded_on (YYYY-MM-DD), source (optional)}; household_code is the
// caller's. "place.invalid" naming the field.
Result<HouseholdPlace> PlaceFromJson(const boost::json::value& body);

// --- Findings --------------------------------------------------------------------------------------
// The facts the checker's pairing rules read (core PairingFacts), for households under `scope`, on
// `on` (cadre activity, on-post months of the year of `on` up to its month, far visits of the year).
Result<PairingFacts> LoadPairingFacts(Store& store, const Plan& plan, const std::string& scope, const Date& on);

}  // namespace jz::service
