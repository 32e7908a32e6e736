// The registry's list index: what the household list filters on, for every household, in memory,
// in (division_code, household_code) order. A filtered page of a million households is answered
// here — the count and the codes of the page — and only the page's households are read from the
// store. The server keeps it current from the change log.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
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
    int64_t offset = 0;
    int64_t limit = 20;
};

struct IndexPage {
    int64_t total = 0;               // households matching
    std::vector<std::string> codes;  // household codes of [offset, offset + limit), in order
};

class RegistryIndex {
  public:
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
    struct Entry {
        std::string code;
        uint64_t measures = 0;               // bit m: measure m (1..63), main or auxiliary
        std::array<uint8_t, 3> causes{};     // main cause, then up to two others (codes ≤ 255; 0: none)
        int16_t status = 0;
        int16_t attribute = 0;
    };
    struct Filter;
    static bool Test(const Entry& e, const Filter& f);
    const Entry* FindEntry(const std::string& household_code) const;

    // Village code → its households sorted by code.
    std::map<std::string, std::vector<Entry>> villages_;
    std::unordered_map<std::string, std::string> village_of_;
};

}  // namespace jz
