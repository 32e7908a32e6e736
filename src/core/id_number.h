// Citizen ID numbers per GB 11643-1999.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/error.h"

namespace jz {

struct IdNumber {
    std::string value;  // 18 characters, check character upper-case
    Date birth_date;
    int sex = 0;            // codes::kSexMale / kSexFemale (odd / even sequence)
    bool upgraded = false;  // given as an old 15-digit number and upgraded

    std::string_view address_code() const { return std::string_view(value).substr(0, 6); }
};

// The check character ('0'..'9' or 'X') for the first 17 digits.
char IdCheckCharacter(std::string_view first17);

// Validates and normalises: surrounding spaces (also U+3000) trimmed, full-width digits and Ｘ/ｘ
// (what Chinese input methods type) converted to ASCII, 'x' upper-cased, a 15-digit number upgraded
// (19 inserted before its 2-digit year, check character appended). Errors (field "id_number"):
// id_number.characters (names the first character that is not a digit, and its position),
// id_number.length (counted in characters, and says how many), id_number.birth_date,
// id_number.address_code (CheckIdAddressCode), id_number.check_digit.
Result<IdNumber> ParseIdNumber(std::string_view text);

// The first six digits of an ID number against the division codes as they were (id_address.cc
// states the rule and the source): the province must exist, and on the mainland the prefecture
// must exist or have existed; the county part is not checked.
enum class IdAddressCheck { kValid, kUnknownProvince, kUnknownPrefecture };
IdAddressCheck CheckIdAddressCode(std::string_view six_digits);

// Builds a valid 18-character number from its parts (sequence 0..999).
std::string MakeIdNumber(std::string_view address_code, const Date& birth, int sequence);

// Packs a valid 18-character number into 64 bits (for compact sets); the inverse of nothing.
uint64_t PackIdNumber(std::string_view normalized18);

}  // namespace jz
