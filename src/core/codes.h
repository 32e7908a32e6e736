// The national code tables of the registry (registry-practice.md): each entry has a numeric code,
// the Chinese name files and screens use, and the other spellings files are known to write.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace jz {

struct CodeEntry {
    int code;
    std::string_view name;                      // canonical Chinese name (printed)
    std::span<const std::string_view> aliases;  // other accepted spellings
};

struct CodeTable {
    std::string_view id;        // "relation", "ethnicity", ...
    std::string_view label_zh;  // 与户主关系
    std::span<const CodeEntry> entries;

    // Accepts the code (with or without leading zeros: "1", "01"), the canonical name or an
    // alias; ASCII and full-width parentheses are equivalent. nullopt when unknown.
    std::optional<int> Parse(std::string_view text) const;
    // The canonical name of `code`; empty when the code is not in the table.
    std::string_view NameOf(int code) const;
    bool Contains(int code) const { return !NameOf(code).empty(); }
};

namespace codes {

const CodeTable& Relation();                // 与户主关系: 01..20, 99
const CodeTable& Ethnicity();               // 民族: GB 3304, 01..56, 97 其他, 98 外国血统中国籍人士
const CodeTable& Education();               // 文化程度: 1..6
const CodeTable& Schooling();               // 在校生状况: 1..16
const CodeTable& Health();                  // 健康状况: 1..4
const CodeTable& Labour();                  // 劳动能力: 1..4
const CodeTable& MigrantWork();             // 务工状况: 1..5
const CodeTable& Attribute();               // 贫困户属性: 1..3
const CodeTable& IdentificationStandard();  // 识别标准: 1..3
const CodeTable& Cause();                   // 致贫原因: 01..11, 99
const CodeTable& Status();                  // 脱贫状态: 0, 1, 3, 4
const CodeTable& Sex();                     // 性别: 1 男, 2 女
const CodeTable& YesNo();                   // 是否: 1 是, 0 否
const CodeTable& MemberChange();            // 成员变更: 死亡, 嫁出, ...

// Named codes the rules refer to.
inline constexpr int kRelationHead = 1;
inline constexpr int kRelationSpouse = 2;
inline constexpr int kRelationSon = 3;
inline constexpr int kRelationDaughter = 4;
inline constexpr int kSexMale = 1;
inline constexpr int kSexFemale = 2;
inline constexpr int kHealthHealthy = 1;
inline constexpr int kHealthChronic = 2;
inline constexpr int kHealthSerious = 3;
inline constexpr int kHealthDisabled = 4;
inline constexpr int kLabourOrdinary = 1;
inline constexpr int kLabourSkilled = 2;
inline constexpr int kLabourLost = 3;
inline constexpr int kLabourNone = 4;
inline constexpr int kAttributeOrdinary = 1;
inline constexpr int kAttributeDibao = 2;
inline constexpr int kAttributeWubao = 3;
inline constexpr int kCauseIllness = 1;
inline constexpr int kCauseDisability = 2;
inline constexpr int kCauseSchooling = 3;
inline constexpr int kSchoolingNone = 1;  // 非在校生
inline constexpr int kStatusNotExited = 0;
inline constexpr int kStatusExited = 1;          // 已脱贫(享受政策)
inline constexpr int kStatusFallback = 3;        // 返贫
inline constexpr int kStatusExitedNoPolicy = 4;  // 已脱贫(不再享受政策)

inline constexpr int kEthnicityOther = 97;  // GB 3304 其他: groups not among the 56

// A group whose ID cards name it although it is not one of the 56 nationalities (僜人, 夏尔巴人,
// 穿青人; also the short forms 僜, 夏尔巴, 穿青): its name as ID cards write it, recorded under code
// 97 with that name kept. nullopt for anything else.
std::optional<std::string_view> UnidentifiedEthnicGroup(std::string_view text);

// All tables, for listing and tests.
std::span<const CodeTable* const> All();

}  // namespace codes
}  // namespace jz
