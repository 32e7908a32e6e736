// The server's in-memory registry indexes, kept current from the change log (registry_upkeep.h).
#include "server/registry_upkeep.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

namespace jz::server {

namespace {
// The change log's entities of the assistance ledger (store.h): they move the kept figures.
constexpr const char* kLedgerEntities[] = {"assistance_item", "income", "coverage"};
}  // namespace

Result<void> RegistryUpkeep::Rebuild(Store& store) {
    auto seq = store.LastChangeSeq();
    if (!seq) return std::unexpected(seq.error());
    RegistryIndex fresh;
    HouseholdFilter filter;
    auto scanned = store.ScanFacts(filter, [&](const HouseholdFacts& f) {
        fresh.Upsert(f);
        return true;
    });
    if (!scanned) return scanned;
    SearchIndex fresh_search;
    fresh_search.BeginBulk();
    HouseholdFilter all;
    all.any_order = true;
    scanned = store.ScanHouseholds(all, [&](const Household& h) {
        fresh_search.Upsert(h);
        return true;
    });
    if (!scanned) return scanned;
    fresh_search.EndBulk();
    std::unique_lock lock(mutex_);
    index_ = std::move(fresh);
    search_ = std::move(fresh_search);
    indexed_seq_ = *seq;
    ++generation_;
    return {};
}

// The households changed since the indexed sequence number, or a rebuild past kIncrementalLimit.
Result<void> RegistryUpkeep::Refresh(Store& store) {
    auto seq = store.LastChangeSeq();
    if (!seq) return std::unexpected(seq.error());
    std::lock_guard refresh(refresh_mutex_);
    if (*seq <= indexed_seq_) return {};
    ChangeLogFilter f;
    f.entity = "household";
    f.after_seq = indexed_seq_;
    f.limit = kIncrementalLimit + 1;
    auto entries = store.ChangeLog(f);
    if (!entries) return std::unexpected(entries.error());
    if (static_cast<int64_t>(entries->size()) > kIncrementalLimit) return Rebuild(store);
    std::vector<std::pair<std::string, std::optional<Household>>> changed;
    for (const ChangeLogEntry& e : *entries) {
        auto h = store.FindHousehold(e.entity_key);
        if (!h) return std::unexpected(h.error());
        changed.emplace_back(e.entity_key, *h ? std::optional((*h)->household) : std::nullopt);
    }
    // The ledger (an import by the CLI, another server) moves the figures but not the indexes.
    bool ledger_changed = false;
    for (const char* entity : kLedgerEntities) {
        if (ledger_changed || !changed.empty()) break;
        ChangeLogFilter lf;
        lf.entity = entity;
        lf.after_seq = indexed_seq_;
        lf.limit = 1;
        auto ledger = store.ChangeLog(lf);
        if (!ledger) return std::unexpected(ledger.error());
        ledger_changed = !ledger->empty();
    }
    std::unique_lock lock(mutex_);
    if (!changed.empty() || ledger_changed) ++generation_;
    for (auto& [code, household] : changed)
        if (household) {
            index_.Upsert(FactsOf(*household));
            search_.Upsert(*household);
        } else {
            index_.Remove(code);
            search_.Remove(code);
        }
    indexed_seq_ = std::max(*seq, entries->empty() ? 0 : entries->back().seq);
    return {};
}

void RegistryUpkeep::Indexed(const Household& h) {
    std::unique_lock lock(mutex_);
    ++generation_;
    index_.Upsert(FactsOf(h));
    search_.Upsert(h);
}

IndexPage RegistryUpkeep::Query(const IndexQuery& q) const {
    std::shared_lock lock(mutex_);
    return index_.Query(q);
}

IndexPage RegistryUpkeep::Search(std::string_view text, SearchIndex::Match match, size_t considered,
                                 const IndexQuery& q) const {
    std::vector<std::pair<std::string, std::string>> hits;  // (division, code)
    std::shared_lock lock(mutex_);
    const auto in_filters = [&](const std::string& code) { return index_.Matches(code, q); };
    for (const std::string& code : search_.Find(text, match, considered, in_filters))
        hits.emplace_back(*index_.DivisionOf(code), code);
    lock.unlock();
    std::ranges::sort(hits);
    hits.erase(std::unique(hits.begin(), hits.end()), hits.end());
    IndexPage result;
    result.total = static_cast<int64_t>(hits.size());
    for (int64_t i = q.offset; i < result.total && i < q.offset + q.limit; ++i)
        result.codes.push_back(hits[static_cast<size_t>(i)].second);
    return result;
}

bool RegistryUpkeep::Matches(const std::string& household_code, const IndexQuery& q) const {
    std::shared_lock lock(mutex_);
    return index_.Matches(household_code, q);
}

}  // namespace jz::server
