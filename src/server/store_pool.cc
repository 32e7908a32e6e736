#include "server/store_pool.h"

#include "store/sqlite_store.h"

namespace jz::server {

Result<std::unique_ptr<StorePool>> StorePool::Open(const std::string& path, int size) {
    auto pool = std::make_unique<StorePool>();
    for (int i = 0; i < size; ++i) {
        auto store = OpenSqliteStore(path, OpenMode::kExisting, {.mmap_bytes = int64_t{1} << 30});
        if (!store) return std::unexpected(store.error());
        pool->free_.push_back(std::move(*store));
    }
    return pool;
}

StorePool::Lease StorePool::Acquire() {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [&] { return !free_.empty(); });
    auto store = std::move(free_.back());
    free_.pop_back();
    return Lease(*this, std::move(store));
}

void StorePool::Return(std::unique_ptr<Store> store) {
    store->Rollback();  // a handler that failed half-way leaves nothing open
    {
        std::lock_guard lock(mutex_);
        free_.push_back(std::move(store));
    }
    available_.notify_one();
}

}  // namespace jz::server
