// Synthetic registries, deterministic from a seed: plausible households of a county for demos,
// tests and benchmarks. No I/O: households are produced one at a time. (Library `generator`, which
// depends on core only; see README.md.)
//
// Contract:
// - Determinism: the same plan, division tree, options and seed give the same households, in the
//   same order, on every compiler and platform (the generator has its own PRNG).
// - Ownership and lifetimes: Create copies what it needs from `plan`, `tree` and `options`; none of
//   them need outlive the call. The caller owns the returned generator; `Next` fills a Household
//   the caller owns (reusing its vectors and strings), and keeps no reference to it.
// - Threads: a Generator is not thread-safe; use one from one thread at a time. Separate
//   generators share nothing and may run on different threads.
// - Memory: match mode draws every household's members in Create (a county of a few thousand
//   households); spread mode holds one household at a time plus a fixed ~10 MB for ID numbers.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/assistance.h"
#include "core/date.h"
#include "core/household.h"
#include "core/org_unit.h"
#include "core/pairing.h"
#include "core/plan.h"

namespace jz {

struct GeneratorOptions {
    uint64_t seed = 1;
    // With match_plan, the registry matches the plan exactly (households, persons, each township's
    // total, each township × year's planned exits, each measure's households and beneficiaries, and
    // — as of `as_of` — each township's exits through every year already ended), so reconcile finds
    // nothing but the document's own inconsistencies; `households` is ignored. Otherwise
    // `households` households spread over the tree's villages.
    bool match_plan = false;
    int64_t households = 0;
    // Status as of this date: a household whose planned exit year has ended by then is exited
    // (exit_year = planned year), and a small share of those fell back (返贫) while the plan runs.
    // With match_plan, each fallen-back household is made up by a household of the same size in
    // the same township, planned for a later year, that exited early.
    Date as_of{2017, 6, 30};
    // Keep the cadres the households' pairing_cadre names stand for (Generator::cadres), each name
    // made distinct from every earlier cadre's as far as the name pools allow (always for a county
    // of the demo's size; a repeated name is replaced by another chosen by a hash, so the random
    // stream is untouched): what the pairing data (GeneratePairing) is made from. Off, names may
    // repeat across cadres and nothing is kept (spread mode's fixed memory).
    bool cadres = false;
};

// A pairing cadre as the generator split the households (one cadre takes up to its rank's quota of
// consecutive households of one village: households.cc).
struct GeneratedCadre {
    std::string name;             // distinct among the generator's cadres while the name pools last
    std::string village_code;     // the village of its households
    std::string first_household;  // the code of its first household
    std::string quota_id;         // the plan's pairing_quotas id drawn (county, section_chief, ...)
    int quota = 0;                // that quota's households
    int households = 0;           // households it took (≤ quota: a village's last cadre may take fewer)
};

class Generator {
  public:
    // `plan` supplies measures, years and targets; `tree` the villages. Fails (field named) when the
    // options cannot be met: no villages, households < 1, a plan whose targets cannot be matched.
    static Result<std::unique_ptr<Generator>> Create(const Plan& plan, const OrgTree& tree,
                                                     const GeneratorOptions& options);
    virtual ~Generator() = default;
    // Fills `out` with the next household; false when all have been produced. Households come
    // grouped by village, in household_code order.
    virtual bool Next(Household& out) = 0;
    virtual int64_t total_households() const = 0;
    // With options.cadres: the cadres of the households produced so far, in order of their first
    // household. Empty otherwise.
    virtual std::span<const GeneratedCadre> cadres() const = 0;
};

// --- The ledger of a generated registry (ledger.cc) ---------------------------------------------
//
// What the households of a registry received (一户一本台账) as of a date, their income by its parts
// and their members' cover (三保障), consistent with the plan: each measure's planned households
// (main or auxiliary) reached in proportion to the plan's days passed by `as_of` (about half on
// 2017-06-30 of a 2016–2018 plan), items of the measure's categories and kinds with amounts in
// realistic ranges, the ecological ranger posts of measure 8 held on `as_of` (the plan's
// other target, 373 in Chayu), a few unsigned items, members named where the assistance is
// personal. Income per year ended by `as_of` from the year before the plan (its parts add up to the
// registry's net income per head; the ledger's income is part of transfer and property income).
// Cover per member and year of the plan up to `as_of`: nearly everyone covered, a few gaps in
// households not yet exited.
//
// Contract: deterministic (the same households, plan, options and seed give the same ledger, byte
// for byte; the registry's own generator stream is not touched). Pure: no I/O. With Prepare (the
// whole registry first) the counts are exact (reached households per measure, students per stage,
// ranger posts); without it (a registry streamed household by household) the same choices are made
// by shares of a hash, so the counts are close to the same. Not thread-safe; one per thread.
struct LedgerOptions {
    uint64_t seed = 1;
    Date as_of{2017, 6, 30};
    double unsigned_share = 0.025;  // items left unconfirmed (never a ranger post)
    double medical_gap_share = 0.015;  // persons of households not exited without basic medical insurance
};

struct Ledger {
    std::vector<AssistanceItem> items;  // grouped by household, codes "<household_code>-NNN"
    std::vector<IncomeRecord> income;   // by household, then year
    std::vector<PersonCoverage> coverage;  // by household, year, then member order
};

class LedgerMaker {
  public:
    LedgerMaker(const Plan& plan, const LedgerOptions& options);
    ~LedgerMaker();
    LedgerMaker(LedgerMaker&&) noexcept;
    LedgerMaker& operator=(LedgerMaker&&) noexcept;
    // The whole registry, before any Add, to make the counts exact. Keeps no reference to it.
    void Prepare(std::span<const Household> households);
    // Appends one household's items, income and cover to `out`.
    void Add(const Household& household, Ledger& out);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Prepare + Add of every household.
Ledger GenerateLedger(const Plan& plan, std::span<const Household> households, const LedgerOptions& options);

// --- Pairing of a generated registry (pairing.cc) ----------------------------------------------
//
// The pairing data of a registry made with GeneratorOptions::cadres, as of a date: a cadre record
// for every cadre the generator split the households among (rank by the quota drawn: county 3,
// section chief 2, deputy section and below 1; ID number, unit, phone, the township of its
// households — county-level cadres county-wide), each household's pairing from early 2016 (a few
// households changed cadre on 2017-01-01: their earlier cadre left on 2016-12-31), a village work
// team per village (a first secretary for the whole period; a leader and one or two members each
// year), their days on post per month (a few months under 20), each household's recorded place
// (villages spread around their township's seat in Chayu county, households within ~300 m), and
// visits from the pairing's start to the as-of date (every 36–45 days; exited households every
// 50–80; about 4% of the households not exited stopped being visited a few months before the
// as-of date, so they are overdue; 85% with the phone's place, about 2 in 1,000 of those far from
// the household; no photos). A few records make the data-quality findings show: two cadres of
// unknown rank, two cadres recorded in another township, one cadre who left but still holds
// households. Nothing is over quota and every household has a current cadre.
//
// Contract: deterministic (same households, cadres, plan, tree, options: same data, byte for
// byte); the registry's own stream is not touched (hashes of the seed and codes). Pure: no I/O.
// Ids are positions + 1 (what a new database gives records inserted in order): cadre ids in
// pairings, visits and team members, member ids in on-post days.
struct PairingOptions {
    uint64_t seed = 1;
    Date as_of{2017, 6, 30};
};

struct GeneratedPlace {
    std::string household_code;
    std::string division_code;
    GeoPoint place;
    Date recorded_on;
};

struct PairingData {
    std::vector<Cadre> cadres;             // id = position + 1
    std::vector<Pairing> pairings;         // by household (registry order), then from; id = position + 1
    std::vector<TeamMember> team_members;  // by village, then joining; id = position + 1
    std::vector<OnPostDays> on_post;       // by member, year, month
    std::vector<GeneratedPlace> places;    // by household
    std::vector<Visit> visits;             // by household, then date (distance_m and far computed)
};

PairingData GeneratePairing(const Plan& plan, const OrgTree& tree, std::span<const Household> households,
                            std::span<const GeneratedCadre> cadres, const PairingOptions& options);

}  // namespace jz
