// The assignment of cadres to uncovered households (core ProposeAssignment, issue 15: 1M households
// and 400k cadres in ≤ 5 s, deterministic), beside a plain greedy alternative — for every household,
// a linear scan of the cadres for the first with room in its township, else the first with room
// anywhere — at sizes the plain one can finish (it is O(households × cadres) once townships fill).
//
// Data: 1 province, 4 prefectures × 5 counties × 50 townships × 10 villages; households spread
// evenly, cadres unevenly (a third of the townships have few, so households spill over to the
// nearest township by code); ranks 40% county level (quota 3), 40% section chief (2), 20% deputy and
// below (1); 10% county-wide; 5% not serving; 30% of the households paired already, 5% exited.
//
// Usage: build/bench/bench_pairing_assign [--benchmark_filter=...]. Figures: docs/benchmarks.md.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/pairing.h"

namespace {

struct Data {
    std::vector<std::string> household_codes, villages, townships;
    std::vector<jz::AssignHousehold> households;
    std::vector<jz::AssignCadre> cadres;
};

std::string Township(int t) {
    // 54 PP CC TTT: prefecture 01..04, county 21..25, township 100..149.
    const int prefecture = 1 + t / 250, county = 21 + (t / 50) % 5, town = 100 + t % 50;
    char buf[16];
    std::snprintf(buf, sizeof buf, "54%02d%02d%03d", prefecture, county, town);
    return buf;
}

// Fills `d` in place: the households and cadres hold string_views into its strings (short strings
// live inside std::string, so a moved Data would leave them dangling).
void Make(Data& d, int n_households, int n_cadres) {
    std::mt19937_64 rng(20161231);
    constexpr int kTownships = 1000;
    for (int t = 0; t < kTownships; ++t) d.townships.push_back(Township(t));
    d.household_codes.reserve(n_households);
    d.villages.reserve(n_households);
    for (int i = 0; i < n_households; ++i) {
        const int t = i % kTownships;
        const int village = (i / kTownships) % 10;
        char v[16];
        std::snprintf(v, sizeof v, "%s%03d", d.townships[t].c_str(), 200 + village);
        d.villages.push_back(v);
        char code[24];
        std::snprintf(code, sizeof code, "%s%04d", v, (i / kTownships / 10) % 10000);
        d.household_codes.push_back(code);
    }
    // Cadres: townships 0..332 get a tenth of the share of the others.
    d.cadres.reserve(n_cadres);
    std::uniform_int_distribution<int> pct(0, 99);
    std::vector<int> weights(kTownships);
    for (int t = 0; t < kTownships; ++t) weights[t] = t % 3 == 0 ? 1 : 10;
    std::discrete_distribution<int> where(weights.begin(), weights.end());
    std::vector<int64_t> ids(n_cadres);
    for (int i = 0; i < n_cadres; ++i) ids[i] = 1 + i;
    std::ranges::shuffle(ids, rng);
    for (int i = 0; i < n_cadres; ++i) {
        const int r = pct(rng);
        const int quota = r < 40 ? 3 : r < 80 ? 2 : 1;
        const bool county_wide = pct(rng) < 10;
        d.cadres.push_back({ids[i], county_wide ? std::string_view() : std::string_view(d.townships[where(rng)]),
                            quota, pct(rng) >= 5});
    }
    d.households.reserve(n_households);
    std::vector<int> paired(n_cadres, 0);
    for (int i = 0; i < n_households; ++i) {
        jz::AssignHousehold h{d.household_codes[i], d.villages[i], pct(rng) >= 5, 0};
        if (pct(rng) < 30) {
            const int c = static_cast<int>(rng() % n_cadres);
            if (paired[c] < d.cadres[c].quota) {
                ++paired[c];
                h.current_cadre = d.cadres[c].id;
            }
        }
        d.households.push_back(h);
    }
}

const Data& Cached(int n_households, int n_cadres) {
    static std::vector<std::pair<std::pair<int, int>, std::unique_ptr<Data>>> cache;
    for (auto& [key, data] : cache)
        if (key == std::pair(n_households, n_cadres)) return *data;
    cache.emplace_back(std::pair(n_households, n_cadres), std::make_unique<Data>());
    Make(*cache.back().second, n_households, n_cadres);
    return *cache.back().second;
}

// The plain greedy: households in code order, a linear scan of the cadres for the first serving
// one with room in the household's township, else the first with room anywhere.
size_t PlainGreedy(const Data& d) {
    std::vector<int64_t> load(d.cadres.size(), 0);
    std::vector<uint32_t> order(d.households.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::ranges::sort(order, [&](uint32_t a, uint32_t b) {
        return d.households[a].household_code < d.households[b].household_code;
    });
    size_t pairs = 0;
    std::unordered_map<int64_t, size_t> index;
    for (size_t c = 0; c < d.cadres.size(); ++c) index[d.cadres[c].id] = c;
    for (const auto& h : d.households)
        if (h.current_cadre) ++load[index.at(h.current_cadre)];
    for (uint32_t i : order) {
        const auto& h = d.households[i];
        if (!h.needs_cadre || h.current_cadre) continue;
        const std::string_view town = h.division_code.substr(0, 9);
        size_t chosen = d.cadres.size();
        for (size_t c = 0; c < d.cadres.size() && chosen == d.cadres.size(); ++c)
            if (d.cadres[c].active && load[c] < d.cadres[c].quota && d.cadres[c].township_code == town) chosen = c;
        for (size_t c = 0; c < d.cadres.size() && chosen == d.cadres.size(); ++c)
            if (d.cadres[c].active && load[c] < d.cadres[c].quota) chosen = c;
        if (chosen == d.cadres.size()) continue;
        ++load[chosen];
        ++pairs;
    }
    return pairs;
}

void BM_ProposeAssignment(benchmark::State& state) {
    const Data& d = Cached(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
    jz::AssignProposal proposal;
    for (auto _ : state) {
        proposal = jz::ProposeAssignment(d.households, d.cadres);
        benchmark::DoNotOptimize(proposal.pairs.data());
    }
    // Deterministic: the same proposal with the cadres in another order.
    std::vector<jz::AssignCadre> shuffled = d.cadres;
    std::mt19937_64 rng(7);
    std::ranges::shuffle(shuffled, rng);
    state.counters["deterministic"] = jz::ProposeAssignment(d.households, shuffled) == proposal ? 1 : 0;
    state.counters["pairs"] = static_cast<double>(proposal.pairs.size());
    state.counters["uncovered"] = static_cast<double>(proposal.uncovered.size());
    state.counters["kept"] = static_cast<double>(proposal.kept);
    int64_t same = 0;
    for (const auto& p : proposal.pairs) same += p.same_township;
    state.counters["same_township"] = static_cast<double>(same);
}

void BM_PlainGreedy(benchmark::State& state) {
    const Data& d = Cached(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
    size_t pairs = 0;
    for (auto _ : state) {
        pairs = PlainGreedy(d);
        benchmark::DoNotOptimize(pairs);
    }
    state.counters["pairs"] = static_cast<double>(pairs);
}

BENCHMARK(BM_ProposeAssignment)
    ->Args({10'000, 4'000})
    ->Args({50'000, 20'000})
    ->Args({1'000'000, 400'000})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);
BENCHMARK(BM_PlainGreedy)->Args({10'000, 4'000})->Args({50'000, 20'000})->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
