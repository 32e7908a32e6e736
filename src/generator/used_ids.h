// The ID numbers a generator has handed out (internal to src/generator/). One per generator; not
// shared between threads.
#pragma once

#include <cstdint>
#include <vector>

namespace jz::generator_detail {

// The set of ID numbers handed out, one bit per (address code, birth day, sequence): 2 × ~38,000
// days × 1000 sequences ≈ 9.6 MB whatever the registry's size, and a lookup is one bit test.
class UsedIds {
  public:
    UsedIds(long first_day, long last_day)
        : first_day_(first_day), days_(last_day - first_day + 1), bits_((2 * days_ * 1000 + 63) / 64, 0) {}

    long first_day() const { return first_day_; }
    long last_day() const { return first_day_ + days_ - 1; }

    // Marks the number as used; false when it already was.
    bool Claim(int address, long day, int sequence) {
        const uint64_t i = (static_cast<uint64_t>(address * days_ + (day - first_day_))) * 1000 + sequence;
        uint64_t& word = bits_[i >> 6];
        const uint64_t bit = uint64_t{1} << (i & 63);
        if (word & bit) return false;
        word |= bit;
        return true;
    }

  private:
    long first_day_;
    long days_;
    std::vector<uint64_t> bits_;
};

}  // namespace jz::generator_detail
