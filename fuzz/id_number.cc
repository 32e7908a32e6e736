// Fuzz target: the small parsers every imported cell goes through (core): ID numbers (GB 11643),
// code tables (a code, a name or an alias), dates, amounts in fen, and the masking of ID and phone
// numbers for roles that may not see them.
// Invariants: no crash, no sanitizer report, and each parser's result reads back as itself: a
// normalised ID number parses to itself with the same birth date and sex and a correct check
// character; a parsed code's canonical name parses to the code; a parsed date prints and parses
// back; an amount prints and parses back.
#include "core/id_number.h"

#include <cstdint>
#include <string>
#include <string_view>

#include "core/access.h"
#include "core/codes.h"
#include "core/date.h"
#include "core/household.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    if (auto id = jz::ParseIdNumber(text)) {
        const std::string& v = id->value;
        JZ_FUZZ_CHECK(v.size() == 18);
        for (size_t i = 0; i < 17; ++i) JZ_FUZZ_CHECK(v[i] >= '0' && v[i] <= '9');
        JZ_FUZZ_CHECK(jz::IdCheckCharacter(v) == v[17]);
        JZ_FUZZ_CHECK(id->sex == jz::codes::kSexMale || id->sex == jz::codes::kSexFemale);
        JZ_FUZZ_CHECK(jz::Date::IsValid(id->birth_date.year, id->birth_date.month, id->birth_date.day));
        auto again = jz::ParseIdNumber(v);
        JZ_FUZZ_CHECK(again.has_value());
        JZ_FUZZ_CHECK(again->value == v && again->birth_date == id->birth_date && again->sex == id->sex);
        JZ_FUZZ_CHECK(!again->upgraded);
        const int sequence = (v[14] - '0') * 100 + (v[15] - '0') * 10 + (v[16] - '0');
        JZ_FUZZ_CHECK(jz::MakeIdNumber(id->address_code(), id->birth_date, sequence) == v);
        (void)jz::PackIdNumber(v);
        const std::string masked = jz::MaskIdNumber(v);
        JZ_FUZZ_CHECK(masked.size() == v.size() && masked.substr(0, 6) == v.substr(0, 6));
    }
    (void)jz::MaskIdNumber(text);
    (void)jz::MaskPhone(text);

    for (const jz::CodeTable* table : jz::codes::All()) {
        if (auto code = table->Parse(text)) {
            JZ_FUZZ_CHECK(table->Contains(*code));
            JZ_FUZZ_CHECK(table->Parse(table->NameOf(*code)) == code);
        }
    }

    if (auto date = jz::Date::Parse(text)) {
        JZ_FUZZ_CHECK(jz::Date::IsValid(date->year, date->month, date->day));
        JZ_FUZZ_CHECK(jz::Date::Parse(date->ToString()) == date);
        JZ_FUZZ_CHECK(jz::Date::FromDaysSinceEpoch(date->DaysSinceEpoch()) == *date);
    }

    if (auto centi = jz::ParseCenti(text)) JZ_FUZZ_CHECK(jz::ParseCenti(jz::FormatCenti(*centi)) == centi);
    return 0;
}
