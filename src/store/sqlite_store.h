// The embedded default: one SQLite file, WAL, foreign keys on, STRICT tables, numbered migrations
// applied on open.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "store/store.h"

namespace jz {

enum class OpenMode {
    kCreate,    // create a new database; fails ("store.exists") if the file exists and is not empty
    kExisting,  // open an existing database; fails ("store.missing") if there is none
};

struct SqliteOptions {
    // Read pages through a memory map of up to this many bytes instead of read() calls: a server
    // answering many small reads spends markedly less time in the kernel (docs/benchmarks.md).
    // 0: off (the default; a bulk import gains nothing from it).
    int64_t mmap_bytes = 0;
};

// Opens (and migrates) a database. Errors: "store.missing", "store.exists", "store.locked" (another
// process holds a write lock beyond the busy timeout), "store.corrupt" (not a database, or damaged),
// "store.too_new" (schema newer than this program), "store.io".
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, OpenMode mode,
                                               const SqliteOptions& options = {});

}  // namespace jz
