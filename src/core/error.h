// Expected failures are values: std::expected<T, Error>.
//
// Contract: Error is a plain value (owns its strings, keeps no references); copy and move freely,
// share across threads like any std::string. Nothing here does I/O.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <utility>

namespace jz {

namespace detail {
// Error's first base: a positional brace-initialiser (`Error{"a", "b", ...}`) would have to
// initialise this empty base first and does not compile, so every Error is built with named
// members (`Error{.code = ..., .field = ...}`) or through Fail(). A code and a field can no longer
// be swapped silently (the old Error and RowIssue put them in other orders).
struct NamedMembersOnly {};
}  // namespace detail

// A failure the caller can report to a user: a stable machine code ("id_number.check_digit"),
// the field it concerns (a column or setting name, empty when none) and a message in Chinese
// and in English. A problem found in a file row (the importer, AssembleHousehold) also names the
// row (as the user sees it, header is row 1) and the household code of that row.
struct Error : detail::NamedMembersOnly {
    std::string code;
    std::string field;
    std::string message_zh;
    std::string message_en;
    int64_t row = 0;             // 0: not about a file row
    std::string household_code;  // empty: not about one household

    // "field: 中文 / English" — one line for logs and CLI output.
    std::string ToString() const;
    // "中文 / English" always both (the importer's error file and the API's `reason`).
    std::string Reason() const { return message_zh + " / " + message_en; }
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> Fail(std::string code, std::string field, std::string zh, std::string en) {
    return std::unexpected(Error{.code = std::move(code),
                                 .field = std::move(field),
                                 .message_zh = std::move(zh),
                                 .message_en = std::move(en)});
}

}  // namespace jz
