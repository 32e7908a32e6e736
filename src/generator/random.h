// Randomness and apportioning for the generator (internal to src/generator/). Everything a seed
// decides goes through Rng, so the same seed gives the same registry on every compiler and
// platform: no std distributions, whose results are implementation-defined.
// Rng is a value: one per generator, not shared between threads.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace jz::generator_detail {

// Randomness. xoshiro256** seeded through splitmix64, with our own bounded and real draws: the
// standard distributions are implementation-defined, and a seed must give the same registry on
// every compiler and platform.
class Rng {
  public:
    explicit Rng(uint64_t seed) {
        for (uint64_t& s : s_) {
            seed += 0x9E3779B97F4A7C15ULL;
            uint64_t z = seed;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
            s = z ^ (z >> 31);
        }
    }

    uint64_t Next() {
        const uint64_t result = std::rotl(s_[1] * 5, 7) * 9;
        const uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = std::rotl(s_[3], 45);
        return result;
    }

    // Uniform in [0, n), n > 0, without modulo bias (Lemire's multiply-and-reject).
    uint64_t Below(uint64_t n) {
        unsigned __int128 m = static_cast<unsigned __int128>(Next()) * n;
        uint64_t low = static_cast<uint64_t>(m);
        if (low < n) {
            const uint64_t threshold = (0 - n) % n;
            while (low < threshold) {
                m = static_cast<unsigned __int128>(Next()) * n;
                low = static_cast<uint64_t>(m);
            }
        }
        return static_cast<uint64_t>(m >> 64);
    }
    int Range(int lo, int hi) { return lo + static_cast<int>(Below(static_cast<uint64_t>(hi - lo + 1))); }
    double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
    double Uniform(double lo, double hi) { return lo + (hi - lo) * Unit(); }
    bool Chance(double p) { return Unit() < p; }
    // An index drawn with the given non-negative weights (at least one positive).
    size_t Weighted(std::span<const double> weights) {
        double total = 0;
        for (double w : weights) total += w;
        double r = Unit() * total;
        for (size_t i = 0; i < weights.size(); ++i) {
            if (r < weights[i]) return i;
            r -= weights[i];
        }
        for (size_t i = weights.size(); i-- > 0;)
            if (weights[i] > 0) return i;
        return 0;
    }
    // Skewed towards small indexes, so the first (most common) entries of a pool repeat most.
    size_t Skewed(size_t n) {
        const double u = Unit();
        return std::min(n - 1, static_cast<size_t>(static_cast<double>(n) * u * u));
    }

  private:
    uint64_t s_[4];
};

// Largest-remainder apportionment of `total` over `weights`.
std::vector<int> Apportion(int64_t total, std::span<const double> weights);

}  // namespace jz::generator_detail
