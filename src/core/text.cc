#include "core/text.h"

#include <cstdio>

namespace jz {

char32_t NextCharacter(std::string_view text, size_t* pos) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const size_t n = text.size();
    size_t i = *pos;
    const unsigned c = s[i];
    if (c < 0x80) {
        *pos = i + 1;
        return c;
    }
    size_t len = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2, cp = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, cp = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, cp = c & 0x07, min = 0x10000;
    }
    if (len == 0 || i + len > n) {
        *pos = i + 1;
        return 0xFFFD;
    }
    for (size_t k = 1; k < len; ++k) {
        const unsigned d = s[i + k];
        if ((d & 0xC0) != 0x80) {
            *pos = i + 1;
            return 0xFFFD;
        }
        cp = (cp << 6) | (d & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        *pos = i + 1;
        return 0xFFFD;
    }
    *pos = i + len;
    return cp;
}

bool IsForbiddenInText(char32_t c) {
    if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) return true;
    if (c < 0x061C) return false;
    return c == 0x061C || (c >= 0x200B && c <= 0x200F) || (c >= 0x2028 && c <= 0x202E) || c == 0x2060 ||
           (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFB) || c == 0xFFFD;
}

std::optional<CharacterAt> FindForbiddenCharacter(std::string_view text) {
    size_t pos = 0;
    size_t index = 0;
    while (pos < text.size()) {
        // Plain printable ASCII, the common case, needs no decoding.
        const auto byte = static_cast<unsigned char>(text[pos]);
        ++index;
        if (byte >= 0x20 && byte < 0x7F) {
            ++pos;
            continue;
        }
        const char32_t c = NextCharacter(text, &pos);
        if (IsForbiddenInText(c)) return CharacterAt{c, index};
    }
    return std::nullopt;
}

std::string DescribeCharacter(char32_t c) {
    char code[16];
    std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
    if (IsForbiddenInText(c) || c == ' ' || c == 0x3000) return code;
    std::string out = "\xE2\x80\x9C";  // “
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
    out += "\xE2\x80\x9D (";  // ”
    out += code;
    out += ')';
    return out;
}

size_t CountCharacters(std::string_view text) {
    size_t count = 0;
    for (size_t pos = 0; pos < text.size(); ++count) NextCharacter(text, &pos);
    return count;
}

}  // namespace jz
