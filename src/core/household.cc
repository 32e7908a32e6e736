#include "core/household.h"

#include <algorithm>

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
    bool negative = false;
    if (t.front() == '-') {
        negative = true;
        t.remove_prefix(1);
    }
    int64_t whole = 0;
    size_t i = 0;
    bool any = false;
    for (; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i) {
        if (whole > 100'000'000'000'000LL) return std::nullopt;
        whole = whole * 10 + (t[i] - '0');
        any = true;
    }
    int64_t frac = 0;
    if (i < t.size() && t[i] == '.') {
        ++i;
        int digits = 0;
        for (; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i, ++digits) {
            if (digits < 2) {
                frac = frac * 10 + (t[i] - '0');
            } else if (t[i] != '0') {
                return std::nullopt;  // more precision than a fen
            }
            any = true;
        }
        if (digits == 1) frac *= 10;
    }
    if (!any || i != t.size()) return std::nullopt;
    const int64_t v = whole * 100 + frac;
    return negative ? -v : v;
}

std::string FormatCenti(int64_t v) {
    std::string out;
    if (v < 0) {
        out += '-';
        v = -v;
    }
    out += std::to_string(v / 100);
    const int64_t frac = v % 100;
    if (frac != 0) {
        out += '.';
        out += static_cast<char>('0' + frac / 10);
        if (frac % 10 != 0) out += static_cast<char>('0' + frac % 10);
    }
    return out;
}

}  // namespace jz
