#include "core/error.h"

namespace jz {

std::string Error::ToString() const {
    std::string out;
    if (!field.empty()) out += field + ": ";
    out += message_zh;
    if (!message_en.empty() && message_en != message_zh) out += " / " + message_en;
    return out;
}

}  // namespace jz
