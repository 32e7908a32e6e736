#include "core/id_number.h"

#include <cstdio>
#include <optional>

#include "core/codes.h"
#include "core/text.h"

namespace jz {
namespace {

constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr char kCheck[] = "10X98765432";
// Longer input is not an ID number; stop decoding there (the length error says so).
constexpr size_t kMaxCharacters = 64;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Spaces, tabs and U+3000 at both ends.
std::string_view Trim(std::string_view s) {
    constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";
    while (true) {
        if (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
            s.remove_prefix(1);
        } else if (s.starts_with(kIdeographicSpace)) {
            s.remove_prefix(kIdeographicSpace.size());
        } else {
            break;
        }
    }
    while (true) {
        if (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
            s.remove_suffix(1);
        } else if (s.ends_with(kIdeographicSpace)) {
            s.remove_suffix(kIdeographicSpace.size());
        } else {
            break;
        }
    }
    return s;
}

// The number as ASCII: full-width digits (U+FF10-FF19) and X (U+FF38, U+FF58) converted, 'x'
// upper-cased. The first character that is neither a digit nor X is kept for the message.
struct Normalized {
    char buffer[kMaxCharacters];  // no allocation: this runs several times per row of an import
    size_t size = 0;
    size_t characters = 0;
    std::optional<CharacterAt> bad;
};

Normalized Normalize(std::string_view text) {
    Normalized out;
    size_t pos = 0;
    while (pos < text.size() && out.characters < kMaxCharacters) {
        const char byte = text[pos];
        ++out.characters;
        if (IsDigit(byte)) {  // nearly always
            out.buffer[out.size++] = byte;
            ++pos;
            continue;
        }
        char32_t c = static_cast<unsigned char>(byte) < 0x80 ? (++pos, static_cast<unsigned char>(byte))
                                                             : NextCharacter(text, &pos);
        if (c >= 0xFF10 && c <= 0xFF19) c = U'0' + (c - 0xFF10);
        if (c == U'x' || c == 0xFF38 || c == 0xFF58) c = U'X';
        if ((c >= U'0' && c <= U'9') || c == U'X') {
            out.buffer[out.size++] = static_cast<char>(c);
        } else if (!out.bad) {
            out.bad = CharacterAt{c, out.characters};
        }
    }
    if (pos < text.size()) out.characters += CountCharacters(text.substr(pos));
    return out;
}

// The common case, plain ASCII digits (and x/X last): copied without decoding. False otherwise.
bool PlainAscii(std::string_view text, Normalized& out) {
    const size_t size = text.size();
    if (size != 18 && size != 15) return false;
    for (size_t i = 0; i + 1 < size; ++i) {
        if (!IsDigit(text[i])) return false;
        out.buffer[i] = text[i];
    }
    char last = text[size - 1];
    if (size == 18 && last == 'x') last = 'X';
    if (!IsDigit(last) && !(size == 18 && last == 'X')) return false;
    out.buffer[size - 1] = last;
    out.size = out.characters = size;
    return true;
}

}  // namespace

char IdCheckCharacter(std::string_view first17) {
    int sum = 0;
    for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
    return kCheck[sum % 11];
}

Result<IdNumber> ParseIdNumber(std::string_view input) {
    const std::string_view trimmed = Trim(input);
    Normalized n;
    const bool plain = PlainAscii(trimmed, n);
    if (!plain) n = Normalize(trimmed);
    const std::string_view text(n.buffer, n.size);
    if (n.bad) {
        const std::string which = DescribeCharacter(n.bad->character);
        const std::string at = std::to_string(n.bad->position);
        return Fail("id_number.characters", "id_number",
                    "证件号码只能包含数字(末位可为X),第" + at + "个字符" + which + "不是数字",
                    "ID number may contain only digits (and X as the last character); character " + at +
                        ", " + which + ", is not a digit");
    }
    if (n.characters != 15 && n.characters != 18) {
        const std::string count = std::to_string(n.characters);
        return Fail("id_number.length", "id_number", "证件号码应为18位(或旧15位),实为" + count + "位",
                    "ID number must have 18 characters (or the old 15 digits); it has " + count);
    }
    // Only the last of 18 characters may be X (PlainAscii checked that already).
    const size_t digits = plain ? 0 : n.characters == 18 ? 17 : 15;
    for (size_t i = 0; i < digits; ++i)
        if (!IsDigit(text[i]))
            return Fail("id_number.characters", "id_number",
                        "证件号码只能包含数字(末位可为X),第" + std::to_string(i + 1) + "个字符“X”不是数字",
                        "ID number may contain only digits (and X as the last character); character " +
                            std::to_string(i + 1) + ", X, is not a digit");
    IdNumber id;
    if (n.characters == 15) {
        std::string v;
        v.reserve(18);
        v.append(text.substr(0, 6)).append("19").append(text.substr(6));
        v += IdCheckCharacter(v);
        id.value = std::move(v);
        id.upgraded = true;
    } else {
        id.value.assign(text);
    }
    const std::string_view v = id.value;
    auto birth = Date::Parse(v.substr(6, 8));
    if (!birth)
        return Fail("id_number.birth_date", "id_number", "证件号码中的出生日期无效",
                    "the birth date inside the ID number is not a valid date");
    id.birth_date = *birth;
    if (!id.upgraded && IdCheckCharacter(v) != v[17])
        return Fail("id_number.check_digit", "id_number", "证件号码校验位错误",
                    "the ID number's check character is wrong");
    switch (CheckIdAddressCode(v.substr(0, 6))) {
        case IdAddressCheck::kValid:
            break;
        case IdAddressCheck::kUnknownProvince:
            return Fail("id_number.address_code", "id_number",
                        "证件号码前六位地址码" + std::string(v.substr(0, 6)) + "无效:省级代码" +
                            std::string(v.substr(0, 2)) + "不存在",
                        "the ID number's address code " + std::string(v.substr(0, 6)) +
                            " is not valid: there is no province " + std::string(v.substr(0, 2)));
        case IdAddressCheck::kUnknownPrefecture:
            return Fail("id_number.address_code", "id_number",
                        "证件号码前六位地址码" + std::string(v.substr(0, 6)) + "无效:地级代码" +
                            std::string(v.substr(0, 4)) + "从未存在",
                        "the ID number's address code " + std::string(v.substr(0, 6)) +
                            " is not valid: there never was a prefecture " + std::string(v.substr(0, 4)));
    }
    id.sex = ((v[16] - '0') % 2 == 1) ? codes::kSexMale : codes::kSexFemale;
    return id;
}

std::string MakeIdNumber(std::string_view address_code, const Date& birth, int sequence) {
    char buf[20];
    std::snprintf(buf, sizeof buf, "%.6s%04d%02d%02d%03d", address_code.data(), birth.year, birth.month,
                  birth.day, sequence % 1000);
    std::string v(buf, 17);
    v += IdCheckCharacter(v);
    return v;
}

uint64_t PackIdNumber(std::string_view v) {
    uint64_t n = 0;
    for (int i = 0; i < 17; ++i) n = n * 10 + static_cast<uint64_t>(v[i] - '0');
    const uint64_t check = v[17] == 'X' ? 10 : static_cast<uint64_t>(v[17] - '0');
    return n * 11 + check;
}

}  // namespace jz
