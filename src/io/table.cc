#include "io/table.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>

#include "io/table_internal.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace jz::io {
namespace internal {
namespace {

#if defined(__x86_64__)
// UTF-8 validation 16 bytes at a time, after Keiser and Lemire, "Validating UTF-8 in less than one
// instruction per byte" (2021): three nibble lookups classify each byte pair, and a saturating
// subtraction marks where the 3rd and 4th bytes of a sequence must be continuations. Scanning
// Chinese text byte by byte was the CSV reader's main cost. Returns the start of the first block
// with an error, or the end of the last whole block when none has one; sequences that begin in the
// last three bytes before that point are not fully checked.
struct SimdScan {
    size_t stop;
    bool error;
};

__attribute__((target("ssse3"))) SimdScan ScanUtf8Ssse3(const unsigned char* s, size_t n) {
    constexpr uint8_t kTooShort = 1 << 0;
    constexpr uint8_t kTooLong = 1 << 1;
    constexpr uint8_t kOverlong3 = 1 << 2;
    constexpr uint8_t kTooLarge = 1 << 3;
    constexpr uint8_t kSurrogate = 1 << 4;
    constexpr uint8_t kOverlong2 = 1 << 5;
    constexpr uint8_t kTooLarge1000 = 1 << 6;
    constexpr uint8_t kOverlong4 = 1 << 6;
    constexpr uint8_t kTwoConts = 1 << 7;
    constexpr uint8_t kCarry = kTooShort | kTooLong | kTwoConts;
    const __m128i byte1_high = _mm_setr_epi8(
        kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTwoConts, kTwoConts,
        kTwoConts, kTwoConts, kTooShort | kOverlong2, kTooShort, kTooShort | kOverlong3 | kSurrogate,
        static_cast<char>(kTooShort | kTooLarge | kTooLarge1000 | kOverlong4));
    const __m128i byte1_low =
        _mm_setr_epi8(kCarry | kOverlong3 | kOverlong2 | kOverlong4, kCarry | kOverlong2, kCarry, kCarry,
                      kCarry | kTooLarge, kCarry | kTooLarge | kTooLarge1000,
                      kCarry | kTooLarge | kTooLarge1000, kCarry | kTooLarge | kTooLarge1000,
                      kCarry | kTooLarge | kTooLarge1000, kCarry | kTooLarge | kTooLarge1000,
                      kCarry | kTooLarge | kTooLarge1000, kCarry | kTooLarge | kTooLarge1000,
                      kCarry | kTooLarge | kTooLarge1000, kCarry | kTooLarge | kTooLarge1000 | kSurrogate,
                      kCarry | kTooLarge | kTooLarge1000, kCarry | kTooLarge | kTooLarge1000);
    const __m128i byte2_high = _mm_setr_epi8(
        kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort,
        static_cast<char>(kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge1000 | kOverlong4),
        static_cast<char>(kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge),
        static_cast<char>(kTooLong | kOverlong2 | kTwoConts | kSurrogate | kTooLarge),
        static_cast<char>(kTooLong | kOverlong2 | kTwoConts | kSurrogate | kTooLarge), kTooShort, kTooShort,
        kTooShort, kTooShort);
    const __m128i nibble = _mm_set1_epi8(0x0F);
    const __m128i third_min = _mm_set1_epi8(static_cast<char>(0xE0 - 0x80));
    const __m128i fourth_min = _mm_set1_epi8(static_cast<char>(0xF0 - 0x80));
    const __m128i high_bit = _mm_set1_epi8(static_cast<char>(0x80));
    const __m128i zero = _mm_setzero_si128();
    __m128i prev = zero;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m128i input = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
        // Also the ASCII blocks go through the checks: they catch a sequence cut off by them.
        const __m128i prev1 = _mm_alignr_epi8(input, prev, 15);
        const __m128i prev2 = _mm_alignr_epi8(input, prev, 14);
        const __m128i prev3 = _mm_alignr_epi8(input, prev, 13);
        const __m128i b1h = _mm_shuffle_epi8(byte1_high, _mm_and_si128(_mm_srli_epi16(prev1, 4), nibble));
        const __m128i b1l = _mm_shuffle_epi8(byte1_low, _mm_and_si128(prev1, nibble));
        const __m128i b2h = _mm_shuffle_epi8(byte2_high, _mm_and_si128(_mm_srli_epi16(input, 4), nibble));
        const __m128i special = _mm_and_si128(_mm_and_si128(b1h, b1l), b2h);
        const __m128i must23 = _mm_and_si128(
            _mm_or_si128(_mm_subs_epu8(prev2, third_min), _mm_subs_epu8(prev3, fourth_min)), high_bit);
        const __m128i error = _mm_xor_si128(must23, special);
        if (_mm_movemask_epi8(_mm_cmpeq_epi8(error, zero)) != 0xFFFF) return {i, true};
        prev = input;
    }
    return {i, false};
}

bool HasSsse3() {
    static const bool has = __builtin_cpu_supports("ssse3");
    return has;
}
#endif

}  // namespace

size_t ValidUtf8Prefix(std::string_view text, bool* incomplete) {
    *incomplete = false;
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const size_t n = text.size();
    size_t i = 0;
#if defined(__x86_64__)
    if (n >= 64 && HasSsse3()) {
        const SimdScan scan = ScanUtf8Ssse3(s, n);
        // Everything before the last three bytes ahead of `stop` is valid; resume at a character start.
        i = scan.stop >= 3 ? scan.stop - 3 : 0;
        while (i > 0 && (s[i] & 0xC0) == 0x80) --i;
    }
#endif
    while (i < n) {
        // Registry files are mostly ASCII digits and codes: test 16 bytes at a time.
        while (i + 16 <= n) {
            uint64_t a;
            uint64_t b;
            std::memcpy(&a, s + i, 8);
            std::memcpy(&b, s + i + 8, 8);
            if ((a | b) & 0x8080808080808080ULL) break;
            i += 16;
        }
        if (i >= n) break;
        const unsigned c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        // Whole sequences away from the end: decode and range-check without per-byte branches.
        // Chinese text is almost all 3-byte sequences.
        if (i + 4 <= n) {
            const unsigned c1 = s[i + 1];
            const unsigned c2 = s[i + 2];
            const unsigned c3 = s[i + 3];
            if (c >= 0xE0 && c < 0xF0) {
                const unsigned cp = ((c & 0x0F) << 12) | ((c1 & 0x3F) << 6) | (c2 & 0x3F);
                if (((c1 & 0xC0) ^ 0x80) | ((c2 & 0xC0) ^ 0x80) || cp < 0x800 ||
                    (cp >= 0xD800 && cp <= 0xDFFF)) {
                    return i;
                }
                i += 3;
                continue;
            }
            if (c >= 0xC2 && c < 0xE0) {
                if ((c1 & 0xC0) != 0x80) return i;
                i += 2;
                continue;
            }
            if (c >= 0xF0 && c <= 0xF4) {
                const unsigned cp =
                    ((c & 0x07) << 18) | ((c1 & 0x3F) << 12) | ((c2 & 0x3F) << 6) | (c3 & 0x3F);
                if (((c1 & 0xC0) ^ 0x80) | ((c2 & 0xC0) ^ 0x80) | ((c3 & 0xC0) ^ 0x80) || cp < 0x10000 ||
                    cp > 0x10FFFF) {
                    return i;
                }
                i += 4;
                continue;
            }
            return i;
        }
        // Near the end: byte by byte, telling a cut sequence from an invalid one.
        size_t len;
        unsigned lo = 0x80;
        unsigned hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c == 0xE0) {
            len = 3;
            lo = 0xA0;  // overlong below
        } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
            len = 3;
        } else if (c == 0xED) {
            len = 3;
            hi = 0x9F;  // surrogates above
        } else if (c == 0xF0) {
            len = 4;
            lo = 0x90;
        } else if (c >= 0xF1 && c <= 0xF3) {
            len = 4;
        } else if (c == 0xF4) {
            len = 4;
            hi = 0x8F;  // beyond U+10FFFF above
        } else {
            return i;
        }
        const size_t avail = n - i;
        size_t k = 1;
        for (; k < len && k < avail; ++k) {
            const unsigned d = s[i + k];
            if (k == 1 ? (d < lo || d > hi) : (d < 0x80 || d > 0xBF)) return i;
        }
        if (k < len) {
            *incomplete = true;
            return i;
        }
        i += len;
    }
    return i;
}

namespace {

int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// "_xHHHH_" at `pos`.
bool ParseEscape(std::string_view text, size_t pos, unsigned* code) {
    if (pos + 7 > text.size() || text[pos] != '_' || text[pos + 1] != 'x' || text[pos + 6] != '_') {
        return false;
    }
    unsigned value = 0;
    for (size_t i = pos + 2; i < pos + 6; ++i) {
        const int h = HexValue(text[i]);
        if (h < 0) return false;
        value = value * 16 + static_cast<unsigned>(h);
    }
    *code = value;
    return true;
}

size_t EncodeUtf8(unsigned cp, char* out) {
    if (cp < 0x80) {
        out[0] = static_cast<char>(cp);
        return 1;
    }
    if (cp < 0x800) {
        out[0] = static_cast<char>(0xC0 | (cp >> 6));
        out[1] = static_cast<char>(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = static_cast<char>(0xE0 | (cp >> 12));
        out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out[2] = static_cast<char>(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = static_cast<char>(0xF0 | (cp >> 18));
    out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[3] = static_cast<char>(0x80 | (cp & 0x3F));
    return 4;
}

}  // namespace

size_t Utf8Cut(std::string_view text, size_t max) {
    if (text.size() <= max) return text.size();
    size_t i = max;
    while (i > 0 && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) --i;
    return i;
}

void DecodeXstring(std::string& text, size_t from) {
    size_t r = text.find("_x", from);
    if (r == std::string::npos) return;
    size_t w = r;
    const std::string_view view(text);
    while (r < text.size()) {
        unsigned cp;
        if (text[r] == '_' && ParseEscape(view, r, &cp)) {
            size_t consumed = 7;
            unsigned low;
            if (cp >= 0xD800 && cp <= 0xDBFF && ParseEscape(view, r + 7, &low) && low >= 0xDC00 &&
                low <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                consumed = 14;
            }
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                // A lone surrogate has no UTF-8 form: keep the escape as written.
                std::memmove(&text[w], &text[r], 7);
                w += 7;
                r += 7;
                continue;
            }
            // Never longer than the escape it replaces, so writing in place is safe.
            w += EncodeUtf8(cp, &text[w]);
            r += consumed;
        } else {
            text[w++] = text[r++];
        }
    }
    text.resize(w);
}

bool ProtectXstring(std::string_view text, std::string& out) {
    unsigned cp;
    size_t pos = text.find("_x");
    while (pos != std::string_view::npos && !ParseEscape(text, pos, &cp)) pos = text.find("_x", pos + 1);
    if (pos == std::string_view::npos) return false;
    out.clear();
    size_t last = 0;
    for (; pos != std::string_view::npos; pos = text.find("_x", pos + 1)) {
        if (!ParseEscape(text, pos, &cp)) continue;
        out.append(text.substr(last, pos - last));
        out.append("_x005F");
        last = pos;
    }
    out.append(text.substr(last));
    return true;
}

}  // namespace internal

Result<int> internal::CreateTemporaryFor(const std::string& path) {
    const std::string tmp_path = path + ".tmp";
    const int fd = ::open(tmp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        const std::string reason = std::strerror(errno);
        return Fail("file.create", path, "无法创建文件（" + reason + "）",
                    "cannot create the file (" + reason + ")");
    }
    return fd;
}

Result<std::unique_ptr<TableReader>> OpenTable(const std::string& path, std::string_view sheet) {
    TableOptions options;
    options.sheet = std::string(sheet);
    // Callers that read their own files (tests, tools): bounds of Excel, not of an import.
    options.limits.max_rows = INT64_MAX;
    options.limits.max_columns = 16384;
    options.limits.max_cell_bytes = int64_t{1} << 30;
    options.limits.max_record_bytes = int64_t{1} << 30;
    return OpenTable(path, options);
}

TableOptions ImportTableOptions(std::string sheet, const ImportLimits& limits, std::string name,
                                std::stop_token stop) {
    TableOptions o;
    o.sheet = std::move(sheet);
    o.limits = limits;
    o.name = std::move(name);
    o.cancel.stop = std::move(stop);
    if (limits.time_budget.count() > 0) o.cancel.deadline = std::chrono::steady_clock::now() + limits.time_budget;
    return o;
}

Result<std::unique_ptr<TableReader>> OpenTable(const std::string& path, const TableOptions& options) {
    const std::string name = options.name.empty() ? path : options.name;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const std::string reason = std::strerror(errno);
        return Fail("file.open", name, "无法打开文件（" + reason + "）",
                    "cannot open the file (" + reason + ")");
    }
    struct stat st;
    if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        ::close(fd);
        return Fail("file.open", name, "无法打开文件（不是普通文件）",
                    "cannot open the file (not a regular file)");
    }
    char magic[8] = {};
    ssize_t got;
    do {
        got = ::pread(fd, magic, sizeof(magic), 0);
    } while (got < 0 && errno == EINTR);
    if (got < 0) {
        const std::string reason = std::strerror(errno);
        ::close(fd);
        return Fail("file.open", name, "无法读取文件（" + reason + "）",
                    "cannot read the file (" + reason + ")");
    }
    if (got >= 4 && std::memcmp(magic, "PK\3\4", 4) == 0) return internal::OpenXlsx(fd, name, options);
    // An OLE2 compound file: Excel 97-2003 .xls (or WPS .et), not a CSV in some odd encoding.
    if (got == 8 && std::memcmp(magic, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
        ::close(fd);
        return Fail("file.xls", name,
                    "这是旧版 Excel 97-2003 工作簿(.xls)或 WPS 表格(.et),不能直接导入;请另存为 .xlsx(或 CSV)后再导入",
                    "this is an old Excel 97-2003 workbook (.xls) or a WPS .et file, which cannot be imported; "
                    "save it as .xlsx (or CSV) and import that");
    }
    return internal::OpenCsv(fd, name, options);
}

}  // namespace jz::io
