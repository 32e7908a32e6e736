// The pieces the readers share: UTF-8 validation and Office's _xHHHH_ escapes.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

#include "io/table.h"
#include "io/table_internal.h"
#include "io/table_test_support.h"

namespace jz::io::table_test {
namespace {

// --- Internals ------------------------------------------------------------------------------------

struct Utf8Case {
    std::string bytes;
    size_t valid;
    bool incomplete;
};

TEST(Utf8, ValidPrefix) {
    const std::vector<Utf8Case> cases = {
        {"", 0, false},
        {"abc", 3, false},
        {"中文", 6, false},
        {"ab\xE4\xB8", 2, true},           // cut 3-byte character
        {"ab\xF0\x9F\x98", 2, true},       // cut 4-byte character
        {"ab\xFF", 2, false},              // never valid
        {"ab\xC0\xAF", 2, false},          // overlong
        {"ab\xE0\x80\xAF", 2, false},      // overlong
        {"ab\xED\xA0\x80", 2, false},      // surrogate
        {"ab\xF4\x90\x80\x80", 2, false},  // above U+10FFFF
        {"ab\xE4\x41", 2, false},          // bad continuation
        {"0123456789abcdef0123\xE4\xB8\xAD", 23, false},
    };
    for (const auto& c : cases) {
        bool incomplete = true;
        EXPECT_EQ(internal::ValidUtf8Prefix(c.bytes, &incomplete), c.valid) << c.bytes;
        EXPECT_EQ(incomplete, c.incomplete) << c.bytes;
    }
}

// Byte-by-byte reference for ValidUtf8Prefix, written from the Unicode table of well-formed
// sequences, to check the vectorised path against.
size_t ReferenceUtf8Prefix(std::string_view text, bool* incomplete) {
    struct Row {
        unsigned first;  // lead byte range
        unsigned last;
        size_t length;
        unsigned second_lo;  // allowed second byte
        unsigned second_hi;
    };
    // Unicode 15, table 3-7.
    static constexpr Row kTable[] = {
        {0x00, 0x7F, 1, 0, 0},       {0xC2, 0xDF, 2, 0x80, 0xBF}, {0xE0, 0xE0, 3, 0xA0, 0xBF},
        {0xE1, 0xEC, 3, 0x80, 0xBF}, {0xED, 0xED, 3, 0x80, 0x9F}, {0xEE, 0xEF, 3, 0x80, 0xBF},
        {0xF0, 0xF0, 4, 0x90, 0xBF}, {0xF1, 0xF3, 4, 0x80, 0xBF}, {0xF4, 0xF4, 4, 0x80, 0x8F}};
    *incomplete = false;
    size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        const Row* row = nullptr;
        for (const Row& r : kTable) {
            if (c >= r.first && c <= r.last) row = &r;
        }
        if (row == nullptr) return i;
        for (size_t k = 1; k < row->length; ++k) {
            if (i + k >= text.size()) {
                *incomplete = true;
                return i;
            }
            const auto d = static_cast<unsigned char>(text[i + k]);
            const unsigned lo = k == 1 ? row->second_lo : 0x80;
            const unsigned hi = k == 1 ? row->second_hi : 0xBF;
            if (d < lo || d > hi) return i;
        }
        i += row->length;
    }
    return i;
}

RC_GTEST_PROP(Utf8Property, ValidPrefixMatchesReference, ()) {
    static const std::vector<std::string> kPieces = {
        "a", ",", "\n", "0123456789abcdef", "é", "中", "藏族", "𠀀", "\xEF\xBF\xBF",
        // Invalid or cut sequences, rarer than the valid ones.
        "\xFF", "\x80", "\xC0\xAF", "\xE0\x9F\xBF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE4\xB8",
        "\xF0\x9F"};
    const auto indexes = *rc::gen::container<std::vector<size_t>>(rc::gen::weightedOneOf<size_t>(
        {{40, rc::gen::inRange<size_t>(0, 9)}, {1, rc::gen::inRange<size_t>(9, kPieces.size())}}));
    std::string text;
    for (const size_t i : indexes) text += kPieces[i];
    const size_t cut = *rc::gen::inRange<size_t>(0, text.size() + 1);
    text.resize(cut);
    bool incomplete = false;
    bool expected_incomplete = false;
    const size_t expected = ReferenceUtf8Prefix(text, &expected_incomplete);
    RC_ASSERT(internal::ValidUtf8Prefix(text, &incomplete) == expected);
    RC_ASSERT(incomplete == expected_incomplete);
}

TEST(Xstring, DecodeAndProtect) {
    const std::vector<std::pair<std::string, std::string>> decoded = {
        {"plain", "plain"},
        {"a_x000D_\nb", "a\r\nb"},
        {"_x005F_x0041_", "_x0041_"},
        {"_x4E2D_", "中"},
        {"_xD840__xDC00_", "𠀀"},
        {"_xD840_", "_xD840_"},  // lone surrogate kept
        {"_x12_ _xZZZZ_", "_x12_ _xZZZZ_"},
    };
    for (const auto& [in, out] : decoded) {
        std::string text = in;
        internal::DecodeXstring(text);
        EXPECT_EQ(text, out) << in;
    }
    std::string protected_text;
    EXPECT_FALSE(internal::ProtectXstring("no escapes _x12_", protected_text));
    ASSERT_TRUE(internal::ProtectXstring("a_x0041_b_x0042_", protected_text));
    EXPECT_EQ(protected_text, "a_x005F_x0041_b_x005F_x0042_");
    internal::DecodeXstring(protected_text);
    EXPECT_EQ(protected_text, "a_x0041_b_x0042_");
}

}  // namespace
}  // namespace jz::io::table_test
