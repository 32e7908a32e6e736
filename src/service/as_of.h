// Figures as of a past day: the registry as it stood at the end of that day (core/as_of.h), for
// every report that takes a date. Today's answers take the same path at no cost: with no event
// dated after the day, the scans are the store's own.
//
// How: the events dated after the day (one indexed read) say which households differ from now and
// how. A household whose events changed only status and exit year gets them back on its stored
// facts during the scan; one whose members changed (rare) is loaded and undone whole; one
// registered after the day is left out; one deregistered after it comes back from its event.
// Corrections recorded after the day are kept (and can be listed: CorrectedSince).
//
// Not thread-safe to load; once loaded, the const scans may be called from several threads, each
// with its own Store.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/as_of.h"
#include "core/date.h"
#include "core/progress.h"
#include "store/store.h"

namespace jz::service {

class RegistryAsOf {
  public:
    // The events after `as_of` of households under `division_prefix` (empty: all).
    static Result<RegistryAsOf> Load(Store& store, const Date& as_of, const std::string& division_prefix);

    const Date& as_of() const { return as_of_; }
    // Does the registry as of the day differ from now (events dated after it)?
    bool past() const { return !changed_.empty(); }
    // Events dated after the day, and households they touch.
    int64_t events_after() const { return events_after_; }
    int64_t households_changed() const { return static_cast<int64_t>(changed_.size()); }

    // The store's scans with every household as of the day. `filter.statuses` applies to the
    // status then. Order: the store's, with households deregistered after the day visited last.
    Result<void> ScanFacts(Store& store, const HouseholdFilter& filter,
                           const std::function<bool(const HouseholdFacts&)>& visit) const;
    Result<void> ScanFactsParallel(Store& store, const HouseholdFilter& filter, int parts,
                                   const std::function<bool(int, const HouseholdFacts&)>& visit) const;
    Result<void> ScanHouseholds(Store& store, const HouseholdFilter& filter,
                                const std::function<bool(const Household&)>& visit) const;
    Result<void> ScanHouseholdsParallel(Store& store, const HouseholdFilter& filter, int parts,
                                        const std::function<bool(int, const Household&)>& visit) const;
    // One household as of the day (nullopt: not registered then).
    Result<std::optional<Household>> FindHousehold(Store& store, const std::string& household_code) const;

    // For one scan that serves several days (a report's trend): a household's facts then from its
    // facts now (nullopt: not registered then), and the households deregistered after the day,
    // which no scan of the store visits.
    std::optional<HouseholdFacts> FactsThen(const HouseholdFacts& now) const;
    void EachGone(const std::string& division_prefix, const std::function<void(const HouseholdFacts&)>& visit) const;

  private:
    struct Changed {
        // Registered then (false: registered after the day).
        bool registered = true;
        // Status and exit year then (the earliest event's before).
        int status = 0;
        std::optional<int> exit_year;
        // Whole household then, when members or more changed, or when it is gone now.
        std::optional<Household> whole;
        bool gone_now = false;  // deregistered after the day (not in the store's scans)
    };
    Date as_of_;
    std::string prefix_;
    int64_t events_after_ = 0;
    std::unordered_map<std::string, Changed> changed_;

    std::optional<Household> HouseholdThen(const Household& now) const;
    std::optional<HouseholdFacts> Then(const HouseholdFacts& now) const;
    std::optional<Household> Then(const Household& now) const;
    template <class T, class Scan>
    Result<void> ScanThen(const HouseholdFilter& filter, Scan&& scan, const std::function<bool(int, const T&)>& visit) const;
    bool Passes(const HouseholdFilter& filter, int status, const std::string& division_code) const;
};

// Households under `division_prefix` whose record was corrected (changed without an event) after
// the end of `as_of` in Beijing: their figures as of the day show the corrected values.
Result<std::vector<std::string>> CorrectedSince(Store& store, const Date& as_of, const std::string& division_prefix);

}  // namespace jz::service
