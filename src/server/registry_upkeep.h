// The server's in-memory indexes of the registry (core/registry_index.h): the household list's
// index and the free-text search index, kept current from the change log. Built at start;
// before a list, a search or a kept report, Refresh() compares the change log's last sequence
// number with the one indexed and re-reads the households changed since (or rebuilds past
// kIncrementalLimit changes), so an import by the CLI into a served database is seen too. API
// writes call Indexed() after their commit.
//
// Thread-safe: every member may be called from several handler threads at once. Readers share a
// lock (WithIndexes); a refresh takes it exclusively only to apply what it has read.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <shared_mutex>
#include <string_view>

#include "core/registry_index.h"
#include "store/store.h"

namespace jz::server {

class RegistryUpkeep {
  public:
    static constexpr int64_t kIncrementalLimit = 5000;  // more changed households: rebuild

    // Reads the whole registry into fresh indexes and swaps them in.
    Result<void> Rebuild(Store& store);
    // Brings the indexes up to the change log: the households changed since, or a rebuild.
    Result<void> Refresh(Store& store);
    // A household written by this server (after its commit).
    void Indexed(const Household& h);
    // The assistance ledger (items, income, cover) written by this server (after its commit): the
    // indexes stay, the kept reports go (the battle map and the measures count the ledger).
    void LedgerChanged() { ++generation_; }
    // Moves whenever a household or the ledger changes (seen by Refresh, written through Indexed or
    // LedgerChanged, or a rebuild): kept reports are valid while it stands still (logins move the
    // change log but no figure).
    uint64_t generation() const { return generation_; }

    // A page of the household list (the index's order: village, then code).
    IndexPage Query(const IndexQuery& q) const;
    // A page of the free-text matches of `text` within the list's filters `q` (its offset and
    // limit page through them), ordered by village and code; at most `considered` matches count.
    IndexPage Search(std::string_view text, SearchIndex::Match match, size_t considered,
                     const IndexQuery& q) const;
    // Does the household pass the list's filters?
    bool Matches(const std::string& household_code, const IndexQuery& q) const;

  private:
    mutable std::shared_mutex mutex_;
    RegistryIndex index_;
    SearchIndex search_;  // free text (q=), kept with the list index under the same lock
    std::mutex refresh_mutex_;
    int64_t indexed_seq_ = 0;
    std::atomic<uint64_t> generation_{0};
};

}  // namespace jz::server
