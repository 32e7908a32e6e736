#include "core/id_number.h"

#include <cstdio>

namespace jz {
namespace {

constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr char kCheck[] = "10X98765432";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string_view Trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

char IdCheckCharacter(std::string_view first17) {
    int sum = 0;
    for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
    return kCheck[sum % 11];
}

Result<IdNumber> ParseIdNumber(std::string_view text) {
    text = Trim(text);
    IdNumber id;
    if (text.size() == 15) {
        for (char c : text)
            if (!IsDigit(c))
                return Fail("id_number.characters", "id_number", "证件号码只能包含数字(末位可为X)",
                            "ID number may contain only digits (and X as the last character)");
        std::string v;
        v.reserve(18);
        v.append(text.substr(0, 6)).append("19").append(text.substr(6));
        v += IdCheckCharacter(v);
        id.value = std::move(v);
        id.upgraded = true;
    } else if (text.size() == 18) {
        for (size_t i = 0; i < 17; ++i)
            if (!IsDigit(text[i]))
                return Fail("id_number.characters", "id_number", "证件号码只能包含数字(末位可为X)",
                            "ID number may contain only digits (and X as the last character)");
        char last = text[17] == 'x' ? 'X' : text[17];
        if (!IsDigit(last) && last != 'X')
            return Fail("id_number.characters", "id_number", "证件号码只能包含数字(末位可为X)",
                        "ID number may contain only digits (and X as the last character)");
        id.value.assign(text.substr(0, 17));
        id.value += last;
    } else {
        return Fail("id_number.length", "id_number", "证件号码应为18位(或旧15位)",
                    "ID number must have 18 characters (or the old 15 digits)");
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
    id.sex = ((v[16] - '0') % 2 == 1) ? 1 : 2;
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
