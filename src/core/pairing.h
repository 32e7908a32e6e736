// Pairing (结对帮扶): cadres with their rank, each poor household's pairing cadre with its history,
// the plan's quotas by rank, the assignment of cadres to uncovered households, village work teams
// and first secretaries (驻村工作队、第一书记) with their days on post, and visits (入户走访) with the
// place and the minimum frequency that makes a visit overdue.
//
// Pure: no I/O, no clock; dates come in. Coordinates are integers (microdegrees, metres): the only
// floating point is inside Distance. The code tables cadre_rank and team_role are in core/codes.h.
//
// Contract: every function may be called from any thread; nothing here keeps a reference past the
// call except where a comment says so (AssignInput's string_views point into the caller's data).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/error.h"
#include "core/plan.h"

namespace jz {

// --- Cadres --------------------------------------------------------------------------------------

// codes::CadreRank values (the table cadre_rank: 1 县级, 2 正科, 3 副科及以下, 9 职级不详).
inline constexpr int kRankCounty = 1;
inline constexpr int kRankSectionChief = 2;
inline constexpr int kRankDeputyAndBelow = 3;
inline constexpr int kRankUnknown = 9;  // a cadre made from a free-text name (migrated or imported)

// A cadre (干部) who pairs with poor households, or serves on a village work team.
// Identity: `id`, given by the store (0 before it is stored). An ID number, when given, is unique
// among cadres; a cadre without one (made from a free-text pairing_cadre name) is found by
// (name, township_code).
struct Cadre {
    int64_t id = 0;
    std::string name;           // 1..50 characters, no control characters (core/text.h)
    std::string id_number;      // normalised 18 characters, or empty (unknown); masked like a person's
    std::string unit;           // 工作单位, free text ≤ 100 characters
    int rank = kRankUnknown;    // codes::CadreRank
    std::string phone;          // digits, '-', '+', ≤ 20 characters; masked like a household's phone
    std::string township_code;  // 9-digit township they work in; empty: county-wide (county organs)
    std::optional<Date> active_from;
    std::optional<Date> active_to;  // last day; nullopt: still serving
    std::string division_code;      // the county (6) or township (9) the record belongs to, for scope:
                                    // township_code when set, else the plan's county code
    bool operator==(const Cadre&) const = default;
    // Serving on `on` (active_from ≤ on ≤ active_to, missing bounds open).
    bool ActiveOn(const Date& on) const;
};

struct CadreRecord {
    int64_t version = 0;  // bumped by every change; the API's ETag
    Cadre cadre;
    bool operator==(const CadreRecord&) const = default;
};

// Checks a cadre on its own: name, ID number (GB 11643 when given), unit and phone length and
// characters, rank in its table, township a 9-digit code of the plan's county when given,
// active_to ≥ active_from. Every problem names its field (name, id_number, unit, rank, phone,
// township_code, active_from, active_to) with reasons in both languages, code "cadre.invalid".
std::vector<Error> ValidateCadre(const Cadre& cadre, const Plan& plan);

// How many households a cadre of `rank` pairs with at most: the plan's pairing_quotas by id
// (county, section_chief, deputy_section_and_below); rank unknown takes the smallest quota of the
// plan (the finding pairing.rank_unknown asks for the rank). A plan without quotas: 1.
int QuotaOf(const Plan& plan, int rank);

// --- Pairings with history -----------------------------------------------------------------------

// One pairing of a household with a cadre, current (to empty) or ended. A household has at most
// one current pairing; changing cadres ends the current one on the day before the new one starts
// (or on the same day when the new one starts that day) — no gap, no overlap.
struct Pairing {
    int64_t id = 0;               // given by the store
    std::string household_code;
    std::string division_code;    // the household's village (12 digits), for scope
    int64_t cadre_id = 0;
    Date from;                    // the first day
    std::optional<Date> to;       // the last day; nullopt: current
    std::string reason;           // why it began: 1..200 characters
    std::string end_reason;       // why it ended (set with `to`)
    bool operator==(const Pairing&) const = default;
    bool current() const { return !to.has_value(); }
};

// --- Assignment (pairing assign) -----------------------------------------------------------------

// One household as the assignment sees it. String views point into the caller's data.
struct AssignHousehold {
    std::string_view household_code;
    std::string_view division_code;  // 12-digit village (its first 9: the township)
    bool needs_cadre = false;        // not exited (and registered)
    int64_t current_cadre = 0;       // 0: no current pairing
};

struct AssignCadre {
    int64_t id = 0;
    std::string_view township_code;  // empty: county-wide
    int quota = 0;                   // QuotaOf(plan, rank)
    bool active = true;              // serving on the day of the assignment
};

// What assignment proposes: new pairs, and the households it cannot cover with the reason.
struct ProposedPair {
    uint32_t household = 0;  // index into the households given
    int64_t cadre_id = 0;
    bool same_township = false;
    bool operator==(const ProposedPair&) const = default;
};
struct Uncovered {
    uint32_t household = 0;
    std::string reason;  // "no_cadre" (no active cadre at all) | "no_capacity" (every active cadre at quota)
    bool operator==(const Uncovered&) const = default;
};
struct AssignProposal {
    std::vector<ProposedPair> pairs;     // ordered by household index
    std::vector<Uncovered> uncovered;    // ordered by household index
    int64_t kept = 0;                    // households needing a cadre that already have one
    bool operator==(const AssignProposal&) const = default;
};

// Proposes a cadre for every household that needs one and has no current pairing. Rules, in order:
// existing pairs are kept (their cadres' load counts, even when over quota or inactive); only
// active cadres with load < quota take new households; a cadre of the household's own township
// first, then the nearest by division code (longest common prefix of the township codes; a
// county-wide cadre counts as sharing the county's 6 digits), then the least loaded (load ÷ quota,
// compared exactly), then the lowest id. Households are taken in household-code order.
// Deterministic: the same input gives the same proposal whatever the order of `cadres`.
// Never exceeds a quota, never changes an existing pair. O((H + C) log C).
AssignProposal ProposeAssignment(std::span<const AssignHousehold> households,
                                 std::span<const AssignCadre> cadres);

// --- Village work teams (驻村工作队) --------------------------------------------------------------

// codes::TeamRole values (team_role: 1 第一书记, 2 队长, 3 队员).
inline constexpr int kRoleFirstSecretary = 1;
inline constexpr int kRoleTeamLeader = 2;
inline constexpr int kRoleTeamMember = 3;

// A cadre's place on a village's work team. A village has at most one first secretary on any day.
struct TeamMember {
    int64_t id = 0;             // given by the store
    std::string village_code;   // 12 digits
    int64_t cadre_id = 0;
    int role = kRoleTeamMember;  // codes::TeamRole
    Date from;
    std::optional<Date> to;     // last day; nullopt: still on the team
    bool operator==(const TeamMember&) const = default;
    bool ActiveOn(const Date& on) const;
};
// Field names: village_code, cadre_id, role, from, to. "team.invalid".
std::vector<Error> ValidateTeamMember(const TeamMember& member);

// Days a team member was on post in a month (在岗天数), 0..days in that month.
struct OnPostDays {
    int64_t member_id = 0;
    int year = 0;
    int month = 0;  // 1..12
    int days = 0;
    bool operator==(const OnPostDays&) const = default;
};
std::vector<Error> ValidateOnPostDays(const OnPostDays& record);  // fields year, month, days

// --- Visits (入户走访) -----------------------------------------------------------------------------

// A place as a phone reports it: microdegrees (WGS-84) and the accuracy in metres.
struct GeoPoint {
    int32_t lat_e6 = 0;  // -90e6..90e6
    int32_t lon_e6 = 0;  // -180e6..180e6
    int32_t accuracy_m = 0;  // ≥ 0
    bool operator==(const GeoPoint&) const = default;
};
// Great-circle distance in whole metres (haversine, mean Earth radius 6,371,008.8 m), rounded.
int64_t DistanceMetres(const GeoPoint& a, const GeoPoint& b);

enum class PhotoType { kNone, kJpeg, kPng };
// The type of an image by its content (magic bytes and a well-formed start: JPEG SOI + a marker,
// PNG signature + IHDR); kNone for anything else. Never trusts a name or a declared type.
PhotoType SniffPhoto(std::string_view bytes);
std::string_view PhotoMediaType(PhotoType type);  // image/jpeg, image/png, ""

// One visit. Identity: `client_id`, made by the device that recorded it (a UUID or any
// [A-Za-z0-9-_]{8,64}), so a retried upload never makes a second visit.
struct Visit {
    int64_t id = 0;               // given by the store
    std::string client_id;
    std::string household_code;
    std::string division_code;    // the household's village, for scope
    int64_t cadre_id = 0;
    Date date;
    std::string discussed;        // 走访内容: 1..2000 characters
    std::string done;             // 帮扶举措/办实事: 0..2000 characters
    std::optional<GeoPoint> place;
    PhotoType photo = PhotoType::kNone;  // the photo itself is stored beside the record
    int64_t photo_bytes = 0;
    // Set by the service when recorded: metres from the household's recorded place (when both are
    // known), and whether that is farther than the plan's visit_distance_m (flagged, not refused).
    std::optional<int64_t> distance_m;
    bool far = false;
    std::string recorded_by;      // the account that uploaded it
    std::string recorded_at;      // ISO 8601 UTC, when it reached the server
    bool operator==(const Visit&) const = default;
};
// Checks a visit on its own: client_id syntax, household code, cadre id > 0, date (not after
// `today`, not before 2000), text lengths and characters, place ranges. Fields: client_id,
// household_code, cadre_id, date, discussed, done, place. "visit.invalid".
std::vector<Error> ValidateVisit(const Visit& visit, const Date& today);

// --- Overdue visits ------------------------------------------------------------------------------

// The minimum frequency (plan [pairing] visits_per_quarter, default 2) as an interval: a household
// is overdue on `on` when more than IntervalDays days have passed since its last visit, or — never
// visited under its current pairing — since that pairing began. IntervalDays = ceil(91 / n).
int VisitIntervalDays(const Plan& plan);

// One household's visit state for the overdue list.
struct VisitState {
    std::string_view household_code;
    std::string_view division_code;
    int64_t cadre_id = 0;                // current pairing's cadre
    Date paired_from;                     // current pairing's first day
    std::optional<Date> last_visit;       // latest visit on or before the day asked (any cadre)
    int visits_this_quarter = 0;          // visits in the calendar quarter of the day asked, up to it
};
struct OverdueVisit {
    uint32_t index = 0;   // into the states given
    Date due;             // the day the next visit was due (last visit or pairing start + interval)
    int days_overdue = 0;
    bool operator==(const OverdueVisit&) const = default;
};
// Every overdue household among `states` on `on`, most overdue first, then by household code.
std::vector<OverdueVisit> OverdueVisits(std::span<const VisitState> states, const Date& on, int interval_days);

// --- Findings (data quality) ---------------------------------------------------------------------

// What the data-quality rules pairing.* / team.* / visit.* read besides the households: filled by
// the service from the store (service::LoadPairingFacts) and given to the checker in CheckOptions.
// Looked up by household code; vectors sorted by their key for binary search.
struct PairingFacts {
    struct HouseholdPairing {
        std::string household_code;
        int64_t cadre_id = 0;
        Date from;
    };
    struct CadreFacts {
        int64_t id = 0;
        std::string name;
        std::string township_code;
        int rank = kRankUnknown;
        int quota = 0;
        int load = 0;          // current pairings
        bool active = true;    // on the day checked
    };
    struct FarVisit {
        std::string household_code;
        Date date;
        int64_t distance_m = 0;
    };
    struct ShortOnPost {       // a team member with fewer days than on_post_min_days in a month
        std::string village_code;
        int64_t cadre_id = 0;
        std::string cadre_name;
        int year = 0, month = 0, days = 0;
    };
    std::vector<HouseholdPairing> current;  // sorted by household_code
    std::vector<CadreFacts> cadres;         // sorted by id
    std::vector<FarVisit> far_visits;       // sorted by household_code, date
    std::vector<ShortOnPost> short_on_post; // sorted by village_code, year, month, cadre_id
    int on_post_min_days = 20;

    const HouseholdPairing* FindCurrent(std::string_view household_code) const;
    const CadreFacts* FindCadre(int64_t id) const;
};

}  // namespace jz
