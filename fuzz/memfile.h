// The fuzz input as a file: the table readers read from a path (OpenTable), so the bytes go into an
// in-memory file (memfd) opened again through /proc/self/fd, with no disk I/O per input.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz_support.h"

namespace jz::fuzz {

class MemFile {
  public:
    MemFile() : fd_(::memfd_create("jz-fuzz-input", MFD_CLOEXEC)) {
        JZ_FUZZ_CHECK(fd_ >= 0);
        path_ = "/proc/self/fd/" + std::to_string(fd_);
    }
    // Replaces the file's contents; the path to open.
    const std::string& Write(const uint8_t* data, size_t size) {
        JZ_FUZZ_CHECK(::ftruncate(fd_, 0) == 0);
        size_t done = 0;
        while (done < size) {
            const ssize_t n = ::pwrite(fd_, data + done, size - done, static_cast<off_t>(done));
            JZ_FUZZ_CHECK(n > 0);
            done += static_cast<size_t>(n);
        }
        return path_;
    }

  private:
    int fd_;
    std::string path_;
};

}  // namespace jz::fuzz
