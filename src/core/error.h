// Expected failures are values: std::expected<T, Error>.
#pragma once

#include <expected>
#include <string>
#include <utility>

namespace jz {

// A failure the caller can report to a user: a stable machine code ("id_number.check_digit"),
// the field it concerns (a column or setting name, empty when none) and a message in Chinese
// and in English.
struct Error {
    std::string code;
    std::string field;
    std::string message_zh;
    std::string message_en;

    // "field: 中文 / English" — one line for logs and CLI output.
    std::string ToString() const;
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> Fail(std::string code, std::string field, std::string zh, std::string en) {
    return std::unexpected(Error{std::move(code), std::move(field), std::move(zh), std::move(en)});
}

}  // namespace jz
