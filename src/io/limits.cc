#include "io/limits.h"

namespace jz::io {

Result<void> Cancellation::Check(const std::string& field) const {
    if (stop.stop_requested())
        return Fail("import.cancelled", field, "导入已取消（服务正在停止）",
                    "the import was cancelled (the server is stopping)");
    if (deadline != std::chrono::steady_clock::time_point::max() &&
        std::chrono::steady_clock::now() >= deadline)
        return Fail("import.timeout", field, "导入超出时间限制，已取消，未做任何更改",
                    "the import took longer than its time limit and was cancelled; nothing was changed");
    return {};
}

}  // namespace jz::io
