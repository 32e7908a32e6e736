// The registry's list index: what the household list filters on, for every household, in memory,
// in (division_code, household_code) order. A filtered page of a million households is answered
// here — the count and the codes of the page — and only the page's households are read from the
// store. The server keeps it current from the change log.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/progress.h"

namespace jz {

struct IndexQuery {
    std::string division_prefix;  // org unit: the household's village code starts with it
    std::optional<int> status;
    std::optional<int> cause;    // main or other cause
    std::optional<int> measure;  // main or auxiliary measure
    std::optional<int> attribute;
    // 倒排工期: not exited although the planned exit year is before this year.
    std::optional<int> overdue_before;
    std::optional<int> planned_exit_year;
    std::optional<int> exit_year;  // exited (still) in this year
    int64_t offset = 0;
    int64_t limit = 20;
};

struct IndexPage {
    int64_t total = 0;               // households matching
    std::vector<std::string> codes;  // household codes of [offset, offset + limit), in order
};

class RegistryIndex {
  public:
    RegistryIndex() = default;
    RegistryIndex(RegistryIndex&& other) noexcept;
    RegistryIndex& operator=(RegistryIndex&& other) noexcept;

    // Adds the household or replaces what is known about it (it may have moved village).
    void Upsert(const HouseholdFacts& facts);
    // Forgets the household; false when it was not indexed.
    bool Remove(const std::string& household_code);
    void Clear();

    IndexPage Query(const IndexQuery& query) const;
    // Does the indexed household match the query's filters (offset and limit aside)?
    bool Matches(const std::string& household_code, const IndexQuery& query) const;
    // The village code of an indexed household.
    std::optional<std::string> DivisionOf(const std::string& household_code) const;
    int64_t size() const { return static_cast<int64_t>(village_of_.size()); }

  private:
    struct Filter;
    // One village's households, sorted by code, column by column (a filtered count reads only the
    // bytes it tests), with per-value counts so that a single filter is answered without a scan.
    struct Bucket {
        std::vector<std::string> codes;
        std::vector<uint8_t> status, attribute;
        std::vector<std::array<uint8_t, 3>> causes;  // main, then up to two others (0: none)
        std::vector<uint64_t> measures;              // bit m: measure m (1..63), main or auxiliary
        std::vector<int16_t> due;                    // planned exit year while not exited, else 0
        std::vector<int16_t> planned, exited_in;     // planned exit year; exit year while exited (0: none)
        std::array<int32_t, 256> by_status{}, by_attribute{}, by_cause{};
        std::array<int32_t, 64> by_measure{};

        size_t size() const { return codes.size(); }
        void Insert(size_t at, const HouseholdFacts& facts);
        void Erase(size_t at);
        void Tally(size_t at, int delta);  // adds the household at `at` to the counts (or takes it out)
        bool Test(size_t i, const Filter& f) const;
        int64_t Count(const Filter& f) const;  // only for countable filters (Filter::countable)
    };
    std::pair<const Bucket*, size_t> Locate(const std::string& household_code) const;

    std::map<std::string, Bucket> villages_;  // by village code
    std::unordered_map<std::string, std::string> village_of_;

    // Filters on two or more fields scan; their per-village counts are kept until the index
    // changes, so paging through one filtered list scans once, not once per page. Guarded by its
    // own mutex: Query is const and may run on many threads at once.
    uint64_t generation_ = 0;  // bumped by every change
    struct Counts {
        uint64_t generation = 0;
        std::vector<int64_t> per_village;  // in village order under the query's prefix
    };
    mutable std::mutex cache_mutex_;
    mutable std::map<std::string, Counts> cache_;
};

// Free-text search over the registry: household codes, members' ID numbers and names, in memory,
// so a search of a million households answers in milliseconds and never scans the store. The
// server keeps it beside the list index, under the same lock.
//
// Layout: a base built in one go — the names in one byte arena (each followed by a NUL) searched
// with memmem, and the ID numbers packed into 64 bits and sorted (an exact number or a prefix is a
// binary search) — and a small delta of the households changed since, searched one by one. A
// changed household's base entries are ignored (its slot says it moved to the delta); when the
// delta holds more than kDeltaLimit persons the two are merged into a new base.
class SearchIndex {
  public:
    static constexpr size_t kDeltaLimit = 50'000;

    enum class Match {
        kFull,       // code exactly, ID number by prefix, name by substring
        kExactOnly,  // masked users: code exactly, ID number only whole (18, or 15 upgraded), name by
                     // substring
    };

    SearchIndex() = default;
    SearchIndex(SearchIndex&&) noexcept = default;
    SearchIndex& operator=(SearchIndex&&) noexcept = default;

    // Adds the household or replaces its members.
    void Upsert(const Household& household);
    // Forgets the household; false when it was not indexed.
    bool Remove(const std::string& household_code);
    void Clear();
    // While bulk loading (a rebuild), changes collect in the delta without merging; EndBulk merges.
    void BeginBulk() { bulk_ = true; }
    void EndBulk();

    // Household codes `text` names (trimmed by the caller), each once, in no order, at most `limit`
    // of those `keep` accepts (the caller's scope and filters; none: all).
    std::vector<std::string> Find(std::string_view text, Match match, size_t limit,
                                  const std::function<bool(const std::string&)>& keep = {}) const;
    int64_t size() const { return static_cast<int64_t>(slot_of_.size()); }
    int64_t persons() const { return static_cast<int64_t>(base_persons_ + delta_persons_); }

  private:
    struct Member {
        std::string name;
        uint64_t packed_id = 0;  // 0: not an 18-character number
    };
    enum class Where : uint8_t { kGone, kBase, kDelta };
    void Compact();
    uint32_t SlotOf(const std::string& code);

    std::unordered_map<std::string, uint32_t> slot_of_;
    std::vector<const std::string*> code_of_;  // by slot (keys of slot_of_; stable)
    std::vector<Where> where_;                 // by slot

    std::string names_;                               // base names, each followed by '\0'
    std::vector<uint32_t> name_end_;                  // offset of each base name's NUL, ascending
    std::vector<uint32_t> name_slot_;                 // slot of each base name
    std::vector<std::pair<uint64_t, uint32_t>> ids_;  // (packed ID, slot), sorted
    size_t base_persons_ = 0;

    std::unordered_map<uint32_t, std::vector<Member>> delta_;
    size_t delta_persons_ = 0;
    bool bulk_ = false;
};

}  // namespace jz
