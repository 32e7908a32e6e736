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
          "11010549123100X", "１１０１０５１９４９１２３１００２Ｙ"}) {
        auto id = ParseIdNumber(text);
        ASSERT_FALSE(id.has_value()) << text;
        EXPECT_TRUE(id.error().code == "id_number.characters" || id.error().code == "id_number.length")
            << text;
    }
    EXPECT_EQ(ParseIdNumber("11010519491231002Y").error().code, "id_number.characters");
    EXPECT_EQ(ParseIdNumber("11010549123100X").error().code, "id_number.characters");
    // Full-width digits are converted (FullWidthDigitsAreConverted); a full-width letter is named.
    EXPECT_EQ(ParseIdNumber("１１０１０５１９４９１２３１００２Ｙ").error().code, "id_number.characters");
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
// A prefecture that exists or existed (CheckIdAddressCode) and any county part.
rc::Gen<std::string> GenAddress() {
    return rc::gen::map(rc::gen::pair(rc::gen::element(1101, 1321, 3101, 3607, 4419, 4604, 5134, 5404, 5426,
                                                       5427, 6505, 6590),
                                      rc::gen::inRange(0, 100)),
                        [](std::pair<int, int> p) { return std::to_string(p.first * 100 + p.second); });
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

namespace jz {
namespace {

// --- Issue 11: what office software and other implementations write ---

// Full-width digits, as Chinese input methods type them, were counted in bytes and refused as
// "must have 18 characters".
TEST(IdNumberTest, FullWidthDigitsAreConverted) {
    // ５４２６２６１９９３０７１３７１７１ with a full-width X variant below.
    const std::string full = "\xEF\xBC\x95\xEF\xBC\x94\xEF\xBC\x92\xEF\xBC\x96\xEF\xBC\x92\xEF\xBC\x96"
                             "\xEF\xBC\x91\xEF\xBC\x99\xEF\xBC\x99\xEF\xBC\x93\xEF\xBC\x90\xEF\xBC\x97"
                             "\xEF\xBC\x91\xEF\xBC\x93";  // 54262619930713
    const std::string ascii17 = "54262619930713" + std::string("717");
    const std::string expected = WithCheck(ascii17);
    auto id = ParseIdNumber(full + "717" + expected.substr(17));
    ASSERT_TRUE(id) << id.error().ToString();
    EXPECT_EQ(id->value, expected);
    // Ideographic spaces around it are trimmed like ASCII ones.
    EXPECT_TRUE(ParseIdNumber("\xE3\x80\x80" + expected + "\xE3\x80\x80"));
    // A full-width Ｘ or ｘ as the check character.
    std::string with_x;
    for (int seq = 0; seq < 1000 && with_x.empty(); ++seq) {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%03d", seq);
        const std::string candidate = WithCheck("54042519930713" + std::string(buf));
        if (candidate.back() == 'X') with_x = candidate;
    }
    ASSERT_FALSE(with_x.empty());
    auto upper = ParseIdNumber(with_x.substr(0, 17) + "\xEF\xBC\xB8");
    ASSERT_TRUE(upper) << upper.error().ToString();
    EXPECT_EQ(upper->value, with_x);
    auto lower = ParseIdNumber(with_x.substr(0, 17) + "\xEF\xBD\x98");
    ASSERT_TRUE(lower) << lower.error().ToString();
    EXPECT_EQ(lower->value, with_x);
}

TEST(IdNumberTest, MessagesCountCharactersAndNameTheBadOne) {
    auto short_id = ParseIdNumber("５４０４２５");
    ASSERT_FALSE(short_id);
    EXPECT_EQ(short_id.error().code, "id_number.length");
    EXPECT_NE(short_id.error().message_en.find("it has 6"), std::string::npos) << short_id.error().message_en;
    EXPECT_NE(short_id.error().message_zh.find("实为6位"), std::string::npos);

    auto letter = ParseIdNumber("54042519930713A171");
    ASSERT_FALSE(letter);
    EXPECT_EQ(letter.error().code, "id_number.characters");
    EXPECT_NE(letter.error().message_en.find("character 15, “A” (U+0041)"), std::string::npos)
        << letter.error().message_en;
    EXPECT_NE(letter.error().message_zh.find("第15个字符"), std::string::npos);

    // An invisible character is named by its code point only.
    auto hidden = ParseIdNumber("540425\xE2\x80\xAE" "19930713717");
    ASSERT_FALSE(hidden);
    EXPECT_EQ(hidden.error().code, "id_number.characters");
    EXPECT_NE(hidden.error().message_en.find("character 7, U+202E,"), std::string::npos)
        << hidden.error().message_en;

    auto x_inside = ParseIdNumber("5404251993071X7171");
    ASSERT_FALSE(x_inside);
    EXPECT_EQ(x_inside.error().code, "id_number.characters");
}

// The address part was not checked: 000000199001010181 was accepted.
TEST(IdNumberTest, AddressCodeIsCheckedAgainstDivisionCodesAsTheyWere) {
    auto zeros = ParseIdNumber(WithCheck("00000019900101018"));
    ASSERT_FALSE(zeros);
    EXPECT_EQ(zeros.error().code, "id_number.address_code");
    EXPECT_NE(zeros.error().message_en.find("no province 00"), std::string::npos);
    auto issue = ParseIdNumber("000000199001010181");
    ASSERT_FALSE(issue);
    // Its check character happens to be wrong too; either way it is refused.
    EXPECT_TRUE(issue.error().code == "id_number.address_code" || issue.error().code == "id_number.check_digit");

    auto no_prefecture = ParseIdNumber(WithCheck("54990019900101018"));
    ASSERT_FALSE(no_prefecture);
    EXPECT_EQ(no_prefecture.error().code, "id_number.address_code");
    EXPECT_NE(no_prefecture.error().message_en.find("prefecture 5499"), std::string::npos);
    EXPECT_FALSE(ParseIdNumber(WithCheck("99010119900101018")));  // no province 99
    EXPECT_FALSE(ParseIdNumber(WithCheck("11990119900101018")));  // Beijing has no prefecture 99

    // Abolished codes stay valid: 察隅县 in the Nyingchi prefecture (542626, until 2015) and now.
    EXPECT_TRUE(ParseIdNumber(WithCheck("54262619700305011")));
    EXPECT_TRUE(ParseIdNumber(WithCheck("54042519700305011")));
    // Other historical prefectures: 江孜地区 (5427, to 1986), 邯郸地区 (1321), 万县地区 (5122),
    // 吕梁地区 (1423); and current ones created after 2014: 那曲市 5406, 哈密市 6505, 儋州市 4604.
    for (const char* prefix : {"542721", "132101", "512201", "142301", "540602", "650502", "460400",
                               "441900", "513401", "652901"})
        EXPECT_TRUE(ParseIdNumber(WithCheck(std::string(prefix) + "19700305011"))) << prefix;
    // Hong Kong, Macao and Taiwan residence permits (810000, 820000, 830000), Taiwan's 71.
    for (const char* prefix : {"810000", "820000", "830000", "710000"})
        EXPECT_TRUE(ParseIdNumber(WithCheck(std::string(prefix) + "19700305011"))) << prefix;
    // python-stdnum's (an independent GB 11643 implementation) own example.
    EXPECT_TRUE(ParseIdNumber("360426199101010071"));
    // The 15-digit form is checked too.
    EXPECT_FALSE(ParseIdNumber("000000900101018"));
    EXPECT_TRUE(ParseIdNumber("542626700305011"));

    EXPECT_EQ(CheckIdAddressCode("542626"), IdAddressCheck::kValid);
    EXPECT_EQ(CheckIdAddressCode("000000"), IdAddressCheck::kUnknownProvince);
    EXPECT_EQ(CheckIdAddressCode("110000"), IdAddressCheck::kUnknownPrefecture);
    EXPECT_EQ(CheckIdAddressCode("54262"), IdAddressCheck::kUnknownProvince);
}

}  // namespace
}  // namespace jz
