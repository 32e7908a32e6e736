// What differs between two states of a logged entity, for `audit verify`'s row replay: the
// change log's after-state against the current row, both as the JSON the log writes.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace jz {

// The names of the fields that differ: top-level keys ("net_income_per_head"), elements of arrays
// of objects by index ("members[2].name", "members[3]" when one side has no such element). A key
// absent on one side differs from any value on the other. When either side is not a JSON object
// (a plan's TOML text) the whole value is named "value".
std::vector<std::string> DiffJsonFields(std::string_view logged, std::string_view current);

// A 128-bit BLAKE2b digest of a state: the replay keeps one per logged entity, not the state.
using StateDigest = std::array<unsigned char, 16>;
StateDigest DigestOf(std::string_view state);

}  // namespace jz
