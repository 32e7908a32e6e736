// Connections to the database for a server's threads: one Store per concurrent user, handed out
// and returned. SQLite in WAL mode lets readers run beside one writer; writers queue on its lock.
// Acquire may be called from any thread at once (it waits for a free connection); a Lease is one
// thread's for the length of a request and returns its Store when destroyed, so a Store is never
// used by two threads at once. The pool must outlive every Lease.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/store.h"

namespace jz::server {

class StorePool {
  public:
    // Opens `size` connections to an existing database.
    static Result<std::unique_ptr<StorePool>> Open(const std::string& path, int size);

    class Lease {
      public:
        Lease(StorePool& pool, std::unique_ptr<Store> store) : pool_(&pool), store_(std::move(store)) {}
        Lease(Lease&& other) noexcept = default;
        Lease& operator=(Lease&&) = delete;
        ~Lease() {
            if (store_) pool_->Return(std::move(store_));
        }
        Store& operator*() { return *store_; }
        Store* operator->() { return store_.get(); }

      private:
        StorePool* pool_;
        std::unique_ptr<Store> store_;
    };
    // Waits for a free connection.
    Lease Acquire();

  private:
    void Return(std::unique_ptr<Store> store);
    std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<Store>> free_;
};

}  // namespace jz::server
