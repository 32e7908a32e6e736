// The change log's hash chain: each entry carries BLAKE2b-256 of the previous entry's hash and its
// own content, so an entry altered, removed or reordered outside the program breaks the chain.
// (Cutting entries off the end cannot be seen from the chain alone: `audit verify` replays the log
// against the rows, and checks a head kept outside the database — reports print it — with --head.)
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jz {

using ChainHash = std::array<unsigned char, 32>;

struct ChainEntry {
    int64_t seq = 0;
    std::string_view at, actor, county_code, entity, entity_key, action;
    std::optional<std::string_view> before_json, after_json;
    std::optional<int64_t> import_id;
};

// BLAKE2b-256 over the previous hash and the entry's fields, each length-prefixed (absent fields
// marked as such), so no two different entries hash the same content.
ChainHash HashEntry(const ChainHash& previous, const ChainEntry& entry);

std::string ToHex(const ChainHash& hash);

}  // namespace jz
