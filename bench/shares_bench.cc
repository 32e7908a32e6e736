// The year's asset-income shares (issue 16: share reallocation and dividends, 1M households and
// 10k assets in ≤ 5 s): index the year's household facts (core ShareFacts), reallocate every
// asset's shares (core Reallocate, the plan's new_first mode) and declare every asset's dividends
// (core Dividends) — beside a plain alternative that, for each asset, rescans all households for its
// village's poor ones and its holders' statuses (O(assets × households)), run on a slice of the
// assets and checked to give the same holdings.
//
// Data: 5,000 villages (2 assets each at 10k assets) with the households spread evenly; last year
// every household poor except 10% exited, shares quantified per household then; this year 8% of
// the poor exit, 0.3% die, 0.2% are deregistered (gone from the registry), a tenth of the exited fall
// back, and 3% more households are newly identified; 70% have labour, 1–6 persons. Asset values
// 0.5–5 M yuan at 6%, split 55/30/15, a third with a cap per share; income 0–15% of the value.
//
// Usage: build/bench/bench_shares [--benchmark_filter=...]. Figures: docs/benchmarks.md.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "core/shares.h"

namespace {

struct Data {
    std::vector<std::string> villages;
    std::vector<jz::Asset> assets;
    std::vector<jz::Holdings> holdings;  // last year's, quantified then
    std::vector<jz::Fen> income;
    std::vector<jz::ShareHousehold> year;  // this year's facts (deregistered ones left out)
};

std::string Village(int v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "540121%03d%03d", 100 + v / 20, 200 + v % 20);
    return buf;
}

Data Make(int n_households, int n_assets) {
    Data d;
    std::mt19937_64 rng(20170101);
    std::uniform_int_distribution<int> per_mille(0, 999);
    const int n_villages = std::max(1, n_assets / 2);
    for (int v = 0; v < n_villages; ++v) d.villages.push_back(Village(v));
    std::vector<jz::ShareHousehold> last;
    last.reserve(n_households);
    for (int i = 0; i < n_households; ++i) {
        const int v = i % n_villages;
        char code[32];
        std::snprintf(code, sizeof code, "%s%04d", d.villages[v].c_str(), i / n_villages);
        jz::ShareHousehold h{code, d.villages[v], per_mille(rng) < 100 ? jz::ShareStatus::kExited : jz::ShareStatus::kPoor,
                             1 + static_cast<int>(rng() % 6), per_mille(rng) < 700, false};
        last.push_back(std::move(h));
    }
    {
        const jz::ShareFacts facts(last);
        for (int a = 0; a < n_assets; ++a) {
            jz::Asset asset;
            asset.id = "A" + std::to_string(100000 + a);
            asset.kind = jz::AssetKind::kGreenhouse;
            asset.value = 50'000'000 + static_cast<jz::Fen>(rng() % 450'000'000);
            asset.owner_name = "合作社";
            asset.division_code = d.villages[a % n_villages];
            asset.total_shares = 1'000 + static_cast<int64_t>(rng() % 100'000);
            if (a % 3 == 0) asset.cap_per_share = 200 + static_cast<jz::Fen>(rng() % 1'000);
            auto q = jz::Quantify(asset, facts, jz::ShareBasis::kHousehold);
            d.assets.push_back(asset);
            d.holdings.push_back(std::move(*q));
            d.income.push_back(static_cast<jz::Fen>(rng() % (asset.value * 15 / 100 + 1)));
        }
    }
    d.year.reserve(last.size() + last.size() / 30);
    for (jz::ShareHousehold& h : last) {
        const int r = per_mille(rng);
        if (h.status == jz::ShareStatus::kPoor) {
            if (r < 80)
                h.status = jz::ShareStatus::kExited;
            else if (r < 83)
                h.status = jz::ShareStatus::kDied;
            else if (r < 85)
                continue;  // deregistered: no longer in the registry
        } else if (r < 100) {
            h.status = jz::ShareStatus::kPoor;  // fallback
        }
        d.year.push_back(std::move(h));
    }
    const int n_new = n_households * 3 / 100;
    for (int i = 0; i < n_new; ++i) {
        const int v = i % n_villages;
        char code[32];
        std::snprintf(code, sizeof code, "%s%04d", d.villages[v].c_str(), 9999 - i / n_villages);
        d.year.push_back({code, d.villages[v], jz::ShareStatus::kPoor, 1 + static_cast<int>(rng() % 6),
                          per_mille(rng) < 700, true});
    }
    return d;
}

const Data& Cached(int households, int assets) {
    static std::map<std::pair<int, int>, Data> cache;
    auto it = cache.find({households, assets});
    if (it == cache.end()) it = cache.emplace(std::pair{households, assets}, Make(households, assets)).first;
    return it->second;
}

// The plain alternative's reallocation of one asset: a pass over every household for the asset's
// village's poor (and newly identified poor) households and its holders' facts, then the same rules.
jz::Holdings PlainReallocate(const jz::Asset& asset, const jz::Holdings& holdings,
                             const std::vector<jz::ShareHousehold>& all) {
    std::vector<const jz::ShareHousehold*> poor, fresh;
    std::map<std::string, const jz::ShareHousehold*> holder_facts;
    for (const jz::ShareHousehold& h : all) {
        if (holdings.count(h.household_code)) holder_facts[h.household_code] = &h;
        if (h.division_code != asset.division_code || h.status != jz::ShareStatus::kPoor) continue;
        poor.push_back(&h);
        if (h.newly_identified) fresh.push_back(&h);
    }
    auto before = [](const jz::ShareHousehold* a, const jz::ShareHousehold* b) {
        return a->has_labour != b->has_labour ? !a->has_labour : a->household_code < b->household_code;
    };
    std::sort(poor.begin(), poor.end(), before);
    std::sort(fresh.begin(), fresh.end(), before);
    jz::Holdings out;
    int64_t pool = 0;
    for (const auto& [holder, shares] : holdings) {
        auto it = holder_facts.find(holder);
        const bool keeps = jz::IsVillageHolder(holder)
                               ? poor.empty()
                               : it != holder_facts.end() && it->second->status == jz::ShareStatus::kPoor &&
                                     it->second->division_code == asset.division_code;
        if (keeps)
            out[holder] += shares;
        else
            pool += shares;
    }
    if (pool == 0) return out;
    const auto& to = fresh.empty() ? poor : fresh;
    if (to.empty()) {
        out[jz::VillageHolder(asset.division_code)] += pool;
        return out;
    }
    const int64_t n = static_cast<int64_t>(to.size());
    for (int64_t i = 0; i < n; ++i) {
        const int64_t s = pool / n + (i < pool % n ? 1 : 0);
        if (s > 0) out[to[i]->household_code] += s;
    }
    return out;
}

void BM_SharesYear(benchmark::State& state) {
    const Data& d = Cached(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
    int64_t moves = 0, lines = 0, wrong_totals = 0, failures = 0;
    jz::Fen distributed = 0, shortfall = 0;
    for (auto _ : state) {
        moves = lines = wrong_totals = failures = 0;
        distributed = shortfall = 0;
        const jz::ShareFacts facts(d.year);
        for (size_t a = 0; a < d.assets.size(); ++a) {
            auto r = jz::Reallocate(d.assets[a], d.holdings[a], facts, 2018, jz::ReallocationMode::kNewFirst);
            if (!r) {
                ++failures;
                continue;
            }
            moves += static_cast<int64_t>(r->moves.size());
            int64_t total = 0;
            for (const auto& [holder, shares] : r->holdings) total += shares;
            wrong_totals += total != d.assets[a].total_shares;
            auto div = jz::Dividends(d.assets[a], 2018, d.income[a], r->holdings);
            if (!div) {
                ++failures;
                continue;
            }
            lines += static_cast<int64_t>(div->lines.size());
            distributed += div->distributed;
            shortfall += div->operator_shortfall;
        }
        benchmark::DoNotOptimize(distributed);
    }
    state.counters["households"] = static_cast<double>(d.year.size());
    state.counters["moves"] = static_cast<double>(moves);
    state.counters["dividend_lines"] = static_cast<double>(lines);
    state.counters["wrong_totals"] = static_cast<double>(wrong_totals);
    state.counters["failures"] = static_cast<double>(failures);
    state.counters["distributed_yuan"] = static_cast<double>(distributed / 100);
    state.counters["shortfall_yuan"] = static_cast<double>(shortfall / 100);
}

// The plain alternative on the first range(2) assets; "same" = it gives the core's holdings for
// each of them; "per_asset_ms" × assets is what the whole year would take.
void BM_PlainRescan(benchmark::State& state) {
    const Data& d = Cached(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
    const size_t slice = std::min<size_t>(static_cast<size_t>(state.range(2)), d.assets.size());
    std::vector<jz::Holdings> plain(slice);
    for (auto _ : state) {
        for (size_t a = 0; a < slice; ++a) {
            plain[a] = PlainReallocate(d.assets[a], d.holdings[a], d.year);
            auto div = jz::Dividends(d.assets[a], 2018, d.income[a], plain[a]);
            benchmark::DoNotOptimize(div);
        }
    }
    const jz::ShareFacts facts(d.year);
    int64_t same = 0;
    for (size_t a = 0; a < slice; ++a) {
        auto r = jz::Reallocate(d.assets[a], d.holdings[a], facts, 2018, jz::ReallocationMode::kNewFirst);
        same += r && r->holdings == plain[a];
    }
    state.counters["assets_run"] = static_cast<double>(slice);
    state.counters["same"] = static_cast<double>(same);
}

BENCHMARK(BM_SharesYear)
    ->Args({10'000, 100})
    ->Args({100'000, 1'000})
    ->Args({1'000'000, 10'000})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);
BENCHMARK(BM_PlainRescan)
    ->Args({10'000, 100, 100})
    ->Args({100'000, 1'000, 1'000})
    ->Args({1'000'000, 10'000, 100})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
