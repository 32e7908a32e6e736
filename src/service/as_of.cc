#include "service/as_of.h"

#include <algorithm>
#include <atomic>

namespace jz::service {

Result<RegistryAsOf> RegistryAsOf::Load(Store& store, const Date& as_of, const std::string& division_prefix) {
    RegistryAsOf out;
    out.as_of_ = as_of;
    out.prefix_ = division_prefix;
    HouseholdEventFilter filter;
    filter.after = as_of;
    filter.division_prefix = division_prefix;
    auto events = store.ListHouseholdEvents(filter);
    if (!events) return std::unexpected(events.error());
    out.events_after_ = static_cast<int64_t>(events->size());
    if (events->empty()) return out;
    // Each household's events in recording order.
    std::unordered_map<std::string, std::vector<const HouseholdEvent*>> by_household;
    for (const HouseholdEvent& e : *events) by_household[e.household_code].push_back(&e);
    for (auto& [code, list] : by_household) {
        Changed c;
        const HouseholdEvent& first = *list.front();
        if (first.registers()) {
            c.registered = false;
            out.changed_.emplace(code, std::move(c));
            continue;
        }
        c.status = first.before_status.value_or(0);
        c.exit_year = first.before_exit_year;
        const bool whole = std::ranges::any_of(list, [](const HouseholdEvent* e) { return e->whole(); });
        if (whole) {
            c.gone_now = list.back()->removes();
            std::optional<Household> now;
            if (!c.gone_now) {
                auto found = store.FindHousehold(code);
                if (!found) return std::unexpected(found.error());
                if (*found) now = std::move((*found)->household);
            }
            std::vector<HouseholdEvent> own;
            own.reserve(list.size());
            for (const HouseholdEvent* e : list) own.push_back(*e);
            c.whole = HouseholdBefore(std::move(now), own);
            if (!c.whole) c.registered = false;
        }
        out.changed_.emplace(code, std::move(c));
    }
    return out;
}

bool RegistryAsOf::Passes(const HouseholdFilter& filter, int status, const std::string& division_code) const {
    if (!division_code.starts_with(filter.division_prefix)) return false;
    return filter.statuses.empty() || std::ranges::find(filter.statuses, status) != filter.statuses.end();
}

std::optional<HouseholdFacts> RegistryAsOf::FactsThen(const HouseholdFacts& now) const {
    auto it = changed_.find(now.household_code);
    if (it == changed_.end()) return now;
    const Changed& c = it->second;
    if (!c.registered) return std::nullopt;
    if (c.whole) return FactsOf(*c.whole);
    HouseholdFacts f = now;
    f.status = c.status;
    f.exit_year = c.exit_year;
    return f;
}

std::optional<Household> RegistryAsOf::HouseholdThen(const Household& now) const {
    auto it = changed_.find(now.household_code);
    if (it == changed_.end()) return now;
    const Changed& c = it->second;
    if (!c.registered) return std::nullopt;
    if (c.whole) return *c.whole;
    Household h = now;
    h.status = c.status;
    h.exit_year = c.exit_year;
    return h;
}

void RegistryAsOf::EachGone(const std::string& division_prefix,
                            const std::function<void(const HouseholdFacts&)>& visit) const {
    for (const auto& [code, c] : changed_)
        if (c.gone_now && c.registered && c.whole && c.whole->division_code.starts_with(division_prefix))
            visit(FactsOf(*c.whole));
}

namespace {
// The store's filter for a past scan: every status (the filter applies to the status then).
HouseholdFilter AnyStatus(const HouseholdFilter& filter) {
    HouseholdFilter f = filter;
    f.statuses.clear();
    return f;
}
}  // namespace

namespace {
HouseholdFacts WholeAs(const Household& h, const HouseholdFacts*) { return FactsOf(h); }
const Household& WholeAs(const Household& h, const Household*) { return h; }
}  // namespace

std::optional<HouseholdFacts> RegistryAsOf::Then(const HouseholdFacts& now) const { return FactsThen(now); }
std::optional<Household> RegistryAsOf::Then(const Household& now) const { return HouseholdThen(now); }

// Every scan, serial (part 0 only) or parallel: `scan(filter, visit)` is the store's; households no
// event touched pass on without a copy; those deregistered after the day are visited last, as part
// 0, unless part 0 stopped.
template <class T, class Scan>
Result<void> RegistryAsOf::ScanThen(const HouseholdFilter& filter, Scan&& scan,
                                    const std::function<bool(int, const T&)>& visit) const {
    std::atomic<bool> part0_stopped = false;
    const auto pass = [&](int part, const T& h) {
        if (visit(part, h)) return true;
        if (part == 0) part0_stopped = true;
        return false;
    };
    auto scanned = scan(AnyStatus(filter), [&](int part, const T& now) {
        if (!changed_.contains(now.household_code))  // most households: no copy
            return !Passes(filter, now.status, now.division_code) || pass(part, now);
        auto then = Then(now);
        if (!then || !Passes(filter, then->status, then->division_code)) return true;
        return pass(part, *then);
    });
    if (!scanned) return scanned;
    for (const auto& [code, c] : changed_) {
        if (part0_stopped) break;
        if (!c.gone_now || !c.registered || !c.whole) continue;
        const T& h = WholeAs(*c.whole, static_cast<const T*>(nullptr));
        if (Passes(filter, h.status, h.division_code)) pass(0, h);
    }
    return {};
}

Result<void> RegistryAsOf::ScanFacts(Store& store, const HouseholdFilter& filter,
                                     const std::function<bool(const HouseholdFacts&)>& visit) const {
    if (!past()) return store.ScanFacts(filter, visit);
    return ScanThen<HouseholdFacts>(
        filter,
        [&](const HouseholdFilter& f, const std::function<bool(int, const HouseholdFacts&)>& v) {
            return store.ScanFacts(f, [&](const HouseholdFacts& h) { return v(0, h); });
        },
        [&](int, const HouseholdFacts& h) { return visit(h); });
}

Result<void> RegistryAsOf::ScanFactsParallel(Store& store, const HouseholdFilter& filter, int parts,
                                             const std::function<bool(int, const HouseholdFacts&)>& visit) const {
    if (!past()) return store.ScanFactsParallel(filter, parts, visit);
    return ScanThen<HouseholdFacts>(
        filter,
        [&](const HouseholdFilter& f, const std::function<bool(int, const HouseholdFacts&)>& v) {
            return store.ScanFactsParallel(f, parts, v);
        },
        visit);
}

Result<void> RegistryAsOf::ScanHouseholds(Store& store, const HouseholdFilter& filter,
                                          const std::function<bool(const Household&)>& visit) const {
    if (!past()) return store.ScanHouseholds(filter, visit);
    return ScanThen<Household>(
        filter,
        [&](const HouseholdFilter& f, const std::function<bool(int, const Household&)>& v) {
            return store.ScanHouseholds(f, [&](const Household& h) { return v(0, h); });
        },
        [&](int, const Household& h) { return visit(h); });
}

Result<void> RegistryAsOf::ScanHouseholdsParallel(Store& store, const HouseholdFilter& filter, int parts,
                                                  const std::function<bool(int, const Household&)>& visit) const {
    if (!past()) return store.ScanHouseholdsParallel(filter, parts, visit);
    return ScanThen<Household>(
        filter,
        [&](const HouseholdFilter& f, const std::function<bool(int, const Household&)>& v) {
            return store.ScanHouseholdsParallel(f, parts, v);
        },
        visit);
}

Result<std::optional<Household>> RegistryAsOf::FindHousehold(Store& store, const std::string& household_code) const {
    auto it = changed_.find(household_code);
    if (it != changed_.end() && (!it->second.registered || it->second.whole)) {
        if (!it->second.registered) return std::optional<Household>();
        return std::optional<Household>(*it->second.whole);
    }
    auto found = store.FindHousehold(household_code);
    if (!found) return std::unexpected(found.error());
    if (!*found) return std::optional<Household>();
    Household h = std::move((*found)->household);
    if (it != changed_.end()) {
        h.status = it->second.status;
        h.exit_year = it->second.exit_year;
    }
    return std::optional<Household>(std::move(h));
}

Result<std::vector<std::string>> CorrectedSince(Store& store, const Date& as_of, const std::string& division_prefix) {
    // The end of the day in Beijing (UTC+8) is 16:00 UTC of the same date.
    return store.HouseholdsCorrectedSince(as_of.ToString() + "T16:00:00", division_prefix);
}

}  // namespace jz::service
