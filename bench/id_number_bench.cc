// ParseIdNumber's cost per call on valid 18-character numbers (it runs several times per row of an
// import: indexing, acceptance, the shared-ID check). Usage: build/bench/bench_id_number [--n N]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "core/id_number.h"

int main(int argc, char** argv) {
    size_t n = 1000000;
    for (int i = 1; i + 1 < argc; ++i)
        if (!std::strcmp(argv[i], "--n")) n = std::strtoull(argv[i + 1], nullptr, 10);
    std::vector<std::string> ids;
    const char* prefixes[] = {"540425", "542626", "110105", "360426", "132101"};
    for (size_t i = 0; i < n; ++i)
        ids.push_back(jz::MakeIdNumber(prefixes[i % 5],
                                       jz::Date{1950 + static_cast<int>(i % 60), 1 + static_cast<int>(i % 12),
                                                1 + static_cast<int>(i % 28)},
                                       static_cast<int>(i % 1000)));
    size_t ok = 0;
    const auto start = std::chrono::steady_clock::now();
    for (int round = 0; round < 5; ++round)
        for (const auto& s : ids) ok += jz::ParseIdNumber(s).has_value();
    const auto end = std::chrono::steady_clock::now();
    const double ns = std::chrono::duration<double, std::nano>(end - start).count() / (5.0 * ids.size());
    std::printf("%zu valid of %zu parses, %.1f ns per ParseIdNumber\n", ok, 5 * ids.size(), ns);
    return ok == 5 * ids.size() ? 0 : 1;
}
