// Figures as of a past day at scale (issue 17): a registry of N generated households (default 1M)
// with three years of history (2016–2018) as household events:
//   - every exited household's exit, dated in its exit year;
//   - 3% of households fell back after exiting (an exit in 2016, a fallback in 2017 or 2018);
//   - 1% had a member change in 2017 or 2018 (a member who left: the whole household kept);
//   - 0.2% were registered by a new identification in 2018.
// Timed, each in a fresh process (cold): the progress report as of today (no event after it: the
// plain path every report took before), as of 2017-06-30 and as of 2016-06-30 (most events undone).
//
//   build/bench/bench_as_of [--households N] [--db PATH] [--reuse]
#include <cstring>
#include <string>

#include "bench_common.h"
#include "core/as_of.h"
#include "core/codes.h"
#include "service/as_of.h"
#include "service/reports.h"

namespace {

using namespace jz::bench;  // NOLINT: benchmark driver

jz::Date Day(uint64_t r, int year) { return jz::Date{year, static_cast<int>(1 + r % 12), static_cast<int>(1 + (r >> 8) % 28)}; }

int64_t BuildHistory(const County& c, const std::string& db) {
    auto store = jz::OpenSqliteStore(db, jz::OpenMode::kExisting).value();
    std::vector<jz::Household> all;
    (void)store->ScanHouseholds({}, [&](const jz::Household& h) {
        all.push_back(h);
        return true;
    });
    uint64_t state = 17;
    const auto next = [&] {  // splitmix64
        uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    };
    int64_t events = 0;
    const auto record = [&](jz::HouseholdEvent e, const jz::Date& on, const char* kind) {
        e.effective_on = on;
        e.kind = kind;
        if (auto r = store->RecordHouseholdEvent(e, kChange); !r) {
            std::fprintf(stderr, "event: %s\n", r.error().message_en.c_str());
            std::exit(1);
        }
        ++events;
    };
    (void)store->Begin();
    for (const jz::Household& h : all) {
        const uint64_t r = next();
        if (h.exited() && h.exit_year && *h.exit_year >= 2016 && *h.exit_year <= 2018) {
            jz::Household before = h;
            before.status = jz::codes::kStatusNotExited;
            before.exit_year.reset();
            record(jz::EventOf(before, h), Day(r, *h.exit_year), "exit");
        } else if (r % 1000 < 30 && !h.exited()) {
            jz::Household poor = h, exited = h, fell = h;
            poor.status = jz::codes::kStatusNotExited;
            poor.exit_year.reset();
            exited.status = jz::codes::kStatusExited;
            exited.exit_year = 2016;
            fell.status = jz::codes::kStatusFallback;
            fell.exit_year.reset();
            record(jz::EventOf(poor, exited), Day(r, 2016), "exit");
            record(jz::EventOf(exited, fell), Day(r >> 16, 2017 + static_cast<int>(r >> 40) % 2), "fallback");
        }
        if (r % 1000 >= 990 && h.members.size() > 1) {
            jz::Household before = h;
            jz::Person left = h.members.back();
            left.id_number = "";
            left.name += "甲";
            before.members.push_back(left);
            record(jz::EventOf(before, h), Day(r >> 24, 2017 + static_cast<int>(r >> 48) % 2), "member_change");
        } else if (r % 1000 >= 980 && r % 1000 < 982) {
            record(jz::EventOf(std::nullopt, h), Day(r >> 24, 2018), "new_identification");
        }
    }
    (void)store->Commit();
    return events;
}

}  // namespace

int main(int argc, char** argv) {
    int64_t households = 1'000'000;
    std::string db = (std::filesystem::temp_directory_path() / "jingzhun-bench-as-of.db").string();
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--households")) households = std::stoll(argv[i + 1]);
        if (!std::strcmp(argv[i], "--db")) db = argv[i + 1];
    }
    const bool reuse = argc > 1 && !std::strcmp(argv[argc - 1], "--reuse");
    const County county = LoadCounty();
    if (!reuse || !std::filesystem::exists(db)) {
        auto start = Clock::now();
        BuildGeneratedRegistry(county, db, households);
        std::printf("registry built in %.1f s\n", SecondsSince(start));
        start = Clock::now();
        const int64_t events = BuildHistory(county, db);
        std::printf("history: %lld events in %.1f s\n", static_cast<long long>(events), SecondsSince(start));
    }
    const auto run = [&](const jz::Date& as_of) {
        double mib = 0;
        const double s = InChild(
            [&] {
                auto start = Clock::now();
                auto store = jz::OpenSqliteStore(db, jz::OpenMode::kExisting).value();
                auto r = jz::service::BuildProgress(*store, county.plan, county.tree, as_of);
                if (!r) return -1.0;
                const double seconds = SecondsSince(start);
                // The events' part alone (warm), for the figures' breakdown.
                start = Clock::now();
                auto registry = jz::service::RegistryAsOf::Load(*store, as_of, "").value();
                std::printf("  loading the events after it (warm): %.3f s\n", SecondsSince(start));
                std::printf("  as of %s: %lld households, %lld persons, %lld exited persons; %lld events after it, "
                            "%lld households differ\n",
                            as_of.ToString().c_str(), static_cast<long long>(r->households),
                            static_cast<long long>(r->persons), static_cast<long long>(r->exited_persons),
                            static_cast<long long>(registry.events_after()),
                            static_cast<long long>(registry.households_changed()));
                return seconds;
            },
            mib);
        std::printf("progress as of %s (cold): %6.2f s, peak RSS %5.0f MiB\n", as_of.ToString().c_str(), s, mib);
    };
    run(jz::Date{2026, 12, 7});
    run(jz::Date{2017, 6, 30});
    run(jz::Date{2016, 6, 30});
    return 0;
}
