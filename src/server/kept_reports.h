// Reports the server keeps between requests: the battle map's progress reports, the last
// exit-candidates answer, the year's incidence. One type for all: a report is kept under a key
// (what it was asked for) together with the registry generation it was built at
// (RegistryUpkeep::generation(), which moves whenever a household changes), and is given out
// again while the generation stands still.
//
// Thread-safe: any number of handlers may call Get at once. With `serial_builds` one report is
// built at a time (the battle map asks for the progress and the reconciliation at once, and both
// need the county's report, so the second waits for the first scan instead of making its own);
// without, builds run side by side and the last one kept wins. Reports are shared immutable
// (`shared_ptr<const T>`): a caller may hold one as long as it likes.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/error.h"

namespace jz::server {

template <class T>
class KeptReports {
  public:
    // `capacity`: reports kept at most; past it the cache starts empty again.
    KeptReports(size_t capacity, bool serial_builds) : capacity_(capacity), serial_builds_(serial_builds) {}

    // The report kept under `key` at `generation`, or `build()` (a Result<T>) kept from now on.
    template <class Build>
    Result<std::shared_ptr<const T>> Get(const std::string& key, uint64_t generation, Build&& build) {
        std::unique_lock lock(mutex_);
        if (auto hit = kept_.find(key); hit != kept_.end() && hit->second.generation == generation)
            return hit->second.report;
        if (!serial_builds_) lock.unlock();
        auto built = build();
        if (!built) return std::unexpected(built.error());
        auto report = std::make_shared<const T>(std::move(*built));
        if (!serial_builds_) lock.lock();
        if (kept_.size() >= capacity_ && !kept_.contains(key)) kept_.clear();
        kept_[key] = Entry{generation, report};
        return report;
    }

  private:
    struct Entry {
        uint64_t generation = 0;
        std::shared_ptr<const T> report;
    };
    const size_t capacity_;
    const bool serial_builds_;
    std::mutex mutex_;
    std::map<std::string, Entry> kept_;
};

}  // namespace jz::server
