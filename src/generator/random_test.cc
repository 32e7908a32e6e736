// The generator's random parts. The first draws of a seed are pinned: a registry is fixed by its
// seed, so a change here changes every generated registry (the demo, the benchmarks' data).
#include "generator/random.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

#include "generator/used_ids.h"

namespace jz::generator_detail {
namespace {

TEST(GeneratorRandom, SeedGivesTheSameStreamEverywhere) {
    Rng rng(1);
    EXPECT_EQ(rng.Next(), 0xB3F2AF6D0FC710C5ULL);
    EXPECT_EQ(rng.Next(), 0x853B559647364CEAULL);
    EXPECT_EQ(rng.Next(), 0x92F89756082A4514ULL);
    EXPECT_EQ(rng.Next(), 0x642E1C7BC266A3A7ULL);

    Rng below(2016);
    std::vector<uint64_t> digits;
    for (int i = 0; i < 6; ++i) digits.push_back(below.Below(10));
    EXPECT_EQ(digits, (std::vector<uint64_t>{1, 0, 7, 8, 6, 7}));

    Rng range(7);
    std::vector<int> values;
    for (int i = 0; i < 5; ++i) values.push_back(range.Range(-3, 3));
    EXPECT_EQ(values, (std::vector<int>{1, -2, 2, 3, 3}));
}

RC_GTEST_PROP(GeneratorRandom, DrawsStayInTheirRanges, ()) {
    Rng rng(*rc::gen::arbitrary<uint64_t>());
    const uint64_t n = *rc::gen::inRange<uint64_t>(1, 1'000'000);
    const int lo = *rc::gen::inRange(-1000, 1000);
    const int hi = lo + *rc::gen::inRange(0, 1000);
    for (int i = 0; i < 100; ++i) {
        RC_ASSERT(rng.Below(n) < n);
        const int r = rng.Range(lo, hi);
        RC_ASSERT(r >= lo && r <= hi);
        const double u = rng.Unit();
        RC_ASSERT(u >= 0.0 && u < 1.0);
        RC_ASSERT(rng.Skewed(static_cast<size_t>(n)) < n);
    }
}

TEST(GeneratorRandom, WeightedNeverPicksAZeroWeight) {
    Rng rng(3);
    const std::vector<double> weights = {0, 2, 0, 1, 0};
    for (int i = 0; i < 1000; ++i) {
        const size_t k = rng.Weighted(weights);
        EXPECT_TRUE(k == 1 || k == 3) << k;
    }
}

TEST(GeneratorRandom, ApportionGivesTheWholeTotalByLargestRemainder) {
    EXPECT_EQ(Apportion(10, std::vector<double>{1, 1, 1}), (std::vector<int>{4, 3, 3}));  // tie: earliest
    EXPECT_EQ(Apportion(7, std::vector<double>{0.5, 0.3, 0.2}), (std::vector<int>{4, 2, 1}));
}

RC_GTEST_PROP(GeneratorRandom, ApportionSumsToTheTotal, ()) {
    const auto weights = *rc::gen::nonEmpty(rc::gen::container<std::vector<double>>(
        rc::gen::map(rc::gen::inRange(1, 1000), [](int w) { return static_cast<double>(w); })));
    const int64_t total = *rc::gen::inRange<int64_t>(0, 100'000);
    const std::vector<int> shares = Apportion(total, weights);
    RC_ASSERT(shares.size() == weights.size());
    RC_ASSERT(std::accumulate(shares.begin(), shares.end(), int64_t{0}) == total);
    const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
    for (size_t i = 0; i < shares.size(); ++i)
        RC_ASSERT(std::abs(shares[i] - static_cast<double>(total) * weights[i] / sum) < 1.0);
}

TEST(GeneratorUsedIds, ClaimsEachNumberOnce) {
    UsedIds used(100, 199);
    EXPECT_EQ(used.first_day(), 100);
    EXPECT_EQ(used.last_day(), 199);
    EXPECT_TRUE(used.Claim(0, 150, 17));
    EXPECT_FALSE(used.Claim(0, 150, 17));
    EXPECT_TRUE(used.Claim(1, 150, 17));  // the other address code
    EXPECT_TRUE(used.Claim(0, 151, 17));
    EXPECT_TRUE(used.Claim(0, 199, 999));
    EXPECT_FALSE(used.Claim(0, 199, 999));
}

}  // namespace
}  // namespace jz::generator_detail
