#include "core/household.h"

#include <algorithm>
#include <limits>

#include "core/codes.h"

namespace jz {

const Person* Household::head() const {
    for (const Person& p : members)
        if (p.relation == codes::kRelationHead) return &p;
    return nullptr;
}

bool Household::exited() const {
    return status == codes::kStatusExited || status == codes::kStatusExitedNoPolicy;
}

bool Household::HasMeasure(int number) const {
    return main_measure == number || std::ranges::find(aux_measures, number) != aux_measures.end();
}

std::optional<int64_t> ParseCenti(std::string_view t) {
    if (t.empty()) return std::nullopt;
    const bool negative = t.front() == '-';
    if (negative) t.remove_prefix(1);
    // The magnitude is built unsigned against the int64 limit of its sign, so every amount
    // FormatCenti prints parses back, the most negative one (whose magnitude has no positive
    // int64) included, and a longer number is refused instead of overflowing.
    const uint64_t limit =
        negative ? uint64_t{1} << 63 : static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
    uint64_t whole = 0;
    size_t i = 0;
    bool any = false;
    for (; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i) {
        whole = whole * 10 + static_cast<uint64_t>(t[i] - '0');
        if (whole > limit / 100) return std::nullopt;
        any = true;
    }
    uint64_t frac = 0;
    if (i < t.size() && t[i] == '.') {
        ++i;
        int digits = 0;
        for (; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i, ++digits) {
            if (digits < 2) {
                frac = frac * 10 + static_cast<uint64_t>(t[i] - '0');
            } else if (t[i] != '0') {
                return std::nullopt;  // more precision than a fen
            }
            any = true;
        }
        if (digits == 1) frac *= 10;
    }
    if (!any || i != t.size()) return std::nullopt;
    const uint64_t magnitude = whole * 100 + frac;
    if (magnitude > limit) return std::nullopt;
    // Unsigned negation wraps, and the conversion is modular (C++20): 2^63 becomes INT64_MIN.
    return static_cast<int64_t>(negative ? 0 - magnitude : magnitude);
}

std::string FormatCenti(int64_t v) {
    std::string out;
    // Negating INT64_MIN as a signed value overflows; its magnitude fits in uint64_t.
    uint64_t magnitude = static_cast<uint64_t>(v);
    if (v < 0) {
        out += '-';
        magnitude = 0 - magnitude;
    }
    out += std::to_string(magnitude / 100);
    const uint64_t frac = magnitude % 100;
    if (frac != 0) {
        out += '.';
        out += static_cast<char>('0' + frac / 10);
        if (frac % 10 != 0) out += static_cast<char>('0' + frac % 10);
    }
    return out;
}

}  // namespace jz
