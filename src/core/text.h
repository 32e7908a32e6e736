// Characters of free text (names, codes, ID numbers) as a user sees them: UTF-8 decoding one
// character at a time, the characters that have no place in a name, and how to name a character in
// a message. No I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace jz {

// Decodes the character at `text[*pos]` and advances `*pos` past it. An invalid or cut sequence
// gives U+FFFD and advances one byte (readers have validated the encoding already; this is for
// robustness, not validation).
char32_t NextCharacter(std::string_view text, size_t* pos);

// A character that must not appear in a name or other free text of the layout: C0 controls
// (U+0000-001F, tab and line breaks included), DEL, C1 controls (U+0080-009F), the bidirectional
// marks, embeddings, overrides and isolates (U+061C, U+200E, U+200F, U+202A-202E, U+2066-2069),
// zero-width characters (U+200B-200D, U+2060, U+FEFF), line and paragraph separators (U+2028,
// U+2029), interlinear annotation marks (U+FFF9-FFFB), and U+FFFD (a character lost in decoding).
// Such characters are invisible or reorder what is shown, so two names that look the same would
// differ, or a name would display as something else.
bool IsForbiddenInText(char32_t c);

struct CharacterAt {
    char32_t character;
    size_t position;  // 1-based, counted in characters
};

// The first forbidden character of `text`, if any.
std::optional<CharacterAt> FindForbiddenCharacter(std::string_view text);

// "U+202E", and the character itself in quotes when it is visible: "“a” (U+0061)".
std::string DescribeCharacter(char32_t c);

// Number of characters (not bytes).
size_t CountCharacters(std::string_view text);

}  // namespace jz
