#include "core/id_number.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <set>
#include <string>

#include "core/codes.h"

namespace jz {
namespace {

// The GB 11643 check written out independently of the code under test, from
// registry-practice.md: weights over the first 17 digits, sum mod 11 indexes "10X98765432".
char ReferenceCheck(std::string_view first17) {
    static constexpr int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
    return std::string_view("10X98765432")[sum % 11];
}

std::string WithCheck(std::string first17) {
    first17 += ReferenceCheck(first17);
    return first17;
}

TEST(IdNumberTest, PublicExamples) {
    auto a = ParseIdNumber("11010519491231002X");
    ASSERT_TRUE(a.has_value()) << a.error().ToString();
    EXPECT_EQ(a->value, "11010519491231002X");
    EXPECT_EQ(a->birth_date, (Date{1949, 12, 31}));
    EXPECT_EQ(a->sex, codes::kSexFemale);  // sequence 002: even
    EXPECT_EQ(a->address_code(), "110105");
    EXPECT_FALSE(a->upgraded);

    auto b = ParseIdNumber("440524188001010014");
    ASSERT_TRUE(b.has_value()) << b.error().ToString();
    EXPECT_EQ(b->birth_date, (Date{1880, 1, 1}));
    EXPECT_EQ(b->sex, codes::kSexMale);  // sequence 001: odd
}

TEST(IdNumberTest, CheckCharacterMatchesTheAlgorithm) {
    EXPECT_EQ(IdCheckCharacter("11010519491231002"), 'X');
    EXPECT_EQ(IdCheckCharacter("44052418800101001"), '4');
    // Numbers built here with the reference algorithm, one per check character.
    std::set<char> seen;
    for (int seq = 0; seq < 200 && seen.size() < 11; ++seq) {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%03d", seq);
        const std::string first17 = std::string("54042519850312") + buf;
        const char check = ReferenceCheck(first17);
        EXPECT_EQ(IdCheckCharacter(first17), check) << first17;
        auto id = ParseIdNumber(first17 + check);
        ASSERT_TRUE(id.has_value()) << first17 + check;
        EXPECT_EQ(id->birth_date, (Date{1985, 3, 12}));
        EXPECT_EQ(id->sex, seq % 2 == 1 ? codes::kSexMale : codes::kSexFemale);
        seen.insert(check);
    }
    EXPECT_EQ(seen.size(), 11u);  // every check character, X included, was exercised
}

TEST(IdNumberTest, LowerCaseXIsNormalised) {
    auto id = ParseIdNumber("11010519491231002x");
    ASSERT_TRUE(id.has_value());
    EXPECT_EQ(id->value, "11010519491231002X");
}

TEST(IdNumberTest, SurroundingSpacesAreTrimmed) {
    auto id = ParseIdNumber("  11010519491231002X\t");
    ASSERT_TRUE(id.has_value());
    EXPECT_EQ(id->value, "11010519491231002X");
}

TEST(IdNumberTest, WrongCheckCharacterIsRefused) {
    auto id = ParseIdNumber("110105194912310021");
    ASSERT_FALSE(id.has_value());
    EXPECT_EQ(id.error().code, "id_number.check_digit");
    EXPECT_EQ(id.error().field, "id_number");
    EXPECT_FALSE(id.error().message_zh.empty());
    EXPECT_EQ(ParseIdNumber("440524188001010015").error().code, "id_number.check_digit");
}

TEST(IdNumberTest, FifteenDigitNumberIsUpgraded) {
    auto id = ParseIdNumber("110105491231002");
    ASSERT_TRUE(id.has_value()) << id.error().ToString();
    EXPECT_EQ(id->value, "11010519491231002X");
    EXPECT_TRUE(id->upgraded);
    EXPECT_EQ(id->birth_date, (Date{1949, 12, 31}));
    EXPECT_EQ(id->sex, codes::kSexFemale);

    auto male = ParseIdNumber("540425850312013");
    ASSERT_TRUE(male.has_value());
    EXPECT_EQ(male->value, WithCheck("54042519850312013"));
    EXPECT_EQ(male->sex, codes::kSexMale);
}

TEST(IdNumberTest, BadBirthDatesAreRefused) {
    // Feb 30, month 13, day 00, Feb 29 of a non-leap year; each with a correct check character so
    // only the date can be what is wrong.
    for (const char* first17 :
         {"54042519850230001", "54042519851301001", "54042519850100001", "54042519010229001"}) {
        auto id = ParseIdNumber(WithCheck(first17));
        ASSERT_FALSE(id.has_value()) << first17;
        EXPECT_EQ(id.error().code, "id_number.birth_date") << first17;
    }
    EXPECT_TRUE(ParseIdNumber(WithCheck("54042520000229001")).has_value());            // 2000 is a leap year
    EXPECT_EQ(ParseIdNumber("540425850230001").error().code, "id_number.birth_date");  // 15-digit Feb 30
}

TEST(IdNumberTest, WrongLengthsAreRefused) {
    for (const char* text :
         {"", "1", "11010519491231002", "11010519491231002X1", "1101051949123100", "11010549123100"}) {
        auto id = ParseIdNumber(text);
        ASSERT_FALSE(id.has_value()) << text;
        EXPECT_EQ(id.error().code, "id_number.length") << text;
    }
}

TEST(IdNumberTest, LettersAreRefused) {
    for (const char* text :
         {"X10105194912310021", "1101051949123100XX", "11010519491231002Y", "11010519A91231002X",
          "11010549123100X", "１１０１０５１９４９１２３１００２Ｘ"}) {
        auto id = ParseIdNumber(text);
        ASSERT_FALSE(id.has_value()) << text;
        EXPECT_TRUE(id.error().code == "id_number.characters" || id.error().code == "id_number.length")
            << text;
    }
    EXPECT_EQ(ParseIdNumber("11010519491231002Y").error().code, "id_number.characters");
    EXPECT_EQ(ParseIdNumber("11010549123100X").error().code, "id_number.characters");
}

TEST(IdNumberTest, MakeIdNumberBuildsAValidNumber) {
    const std::string v = MakeIdNumber("540425", Date{1990, 7, 1}, 37);
    EXPECT_EQ(v, WithCheck("54042519900701037"));
    EXPECT_TRUE(ParseIdNumber(v).has_value());
}

TEST(IdNumberTest, PackDistinguishesCheckCharacters) {
    EXPECT_NE(PackIdNumber("11010519491231002X"), PackIdNumber("110105194912310029"));
    EXPECT_NE(PackIdNumber("11010519491231002X"), PackIdNumber("110105194912310030"));
}

// Generators for the parts of a valid number.
rc::Gen<std::string> GenAddress() {
    return rc::gen::map(rc::gen::inRange(110000, 660000), [](int n) { return std::to_string(n); });
}

rc::Gen<Date> GenDate() {
    return rc::gen::map(rc::gen::inRange(0L, 80000L),  // 1900..2119
                        [](long days) { return Date::FromDaysSinceEpoch(days - 25567); });
}

std::string GenValidId() {
    const std::string address = *GenAddress();
    const Date birth = *GenDate();
    const int sequence = *rc::gen::inRange(0, 1000);
    return MakeIdNumber(address, birth, sequence);
}

RC_GTEST_PROP(IdNumberProperty, MadeNumbersParseBackWithTheirDateAndSex, ()) {
    const std::string address = *GenAddress();
    const Date birth = *GenDate();
    const int sequence = *rc::gen::inRange(0, 1000);
    const std::string v = MakeIdNumber(address, birth, sequence);
    RC_ASSERT(v.size() == 18u);
    const auto id = ParseIdNumber(v);
    RC_ASSERT(id.has_value());
    RC_ASSERT(id->value == v);
    RC_ASSERT(id->birth_date == birth);
    RC_ASSERT(id->sex == (sequence % 2 == 1 ? codes::kSexMale : codes::kSexFemale));
    RC_ASSERT(id->address_code() == address);
}

RC_GTEST_PROP(IdNumberProperty, ChangingAnyOneCharacterBreaksTheNumber, ()) {
    const std::string v = GenValidId();
    const int pos = *rc::gen::inRange(0, 18);
    const char replacement = pos == 17
                                 ? *rc::gen::element('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X')
                                 : *rc::gen::inRange('0', static_cast<char>('9' + 1));
    RC_PRE(replacement != v[pos]);
    std::string changed = v;
    changed[pos] = replacement;
    // Every weight is non-zero mod 11 and a one-digit change is 1..9, so the sum mod 11 moves.
    RC_ASSERT(!ParseIdNumber(changed).has_value());
}

RC_GTEST_PROP(IdNumberProperty, PackIsInjectiveOnValidNumbers, ()) {
    const std::string a = GenValidId();
    const uint64_t packed = PackIdNumber(a);
    // A left inverse proves injectivity: the 17 digits and the check come back out of the value.
    uint64_t n = packed / 11;
    const uint64_t check = packed % 11;
    std::string back(17, '0');
    for (int i = 16; i >= 0; --i, n /= 10) back[i] = static_cast<char>('0' + n % 10);
    back += check == 10 ? 'X' : static_cast<char>('0' + check);
    RC_ASSERT(back == a);

    const std::string b = GenValidId();
    RC_ASSERT((a == b) == (PackIdNumber(a) == PackIdNumber(b)));
}

}  // namespace
}  // namespace jz
