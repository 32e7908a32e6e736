#include "generator/random.h"

#include <cmath>
#include <numeric>
#include <utility>

namespace jz::generator_detail {

std::vector<int> Apportion(int64_t total, std::span<const double> weights) {
    const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
    std::vector<int> out(weights.size(), 0);
    std::vector<std::pair<double, size_t>> remainders;
    int64_t given = 0;
    for (size_t i = 0; i < weights.size(); ++i) {
        const double exact = sum > 0 ? static_cast<double>(total) * weights[i] / sum : 0;
        out[i] = static_cast<int>(std::floor(exact));
        given += out[i];
        remainders.emplace_back(exact - out[i], i);
    }
    // Ties go to the earlier index, so the result does not depend on the sort's stability.
    std::ranges::sort(remainders, [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    for (size_t k = 0; given < total && k < remainders.size(); ++k, ++given) ++out[remainders[k].second];
    return out;
}

}  // namespace jz::generator_detail
