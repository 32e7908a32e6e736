// The national code tables of the registry (registry-practice.md): each entry has a numeric code,
// the Chinese name files and screens use, and the other spellings files are known to write.
//
// Contract: the tables are constant data with static lifetime (every string_view and span handed
// out stays valid for the program's life); every function may be called from any thread. Code
// outside codes.cc compares code fields with the named constants below, never with raw numbers.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace jz {

struct CodeEntry {
    int code;
    std::string_view name;                      // canonical Chinese name (printed)
    std::span<const std::string_view> aliases;  // other accepted spellings
    int implied_sex = 0;                        // relation table: the sex it implies (之子 男), else 0
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
    // The entry of `code`; nullptr when the code is not in the table.
    const CodeEntry* Find(int code) const;
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
const CodeTable& AssistanceCategory();      // 帮扶类别 (明白卡): 10..14, 20..27 education by stage, 30..34
const CodeTable& AssistanceKind();          // 帮扶方式: 1..6
const CodeTable& AssistancePeriod();        // 发放周期: 1 按月, 2 按年
const CodeTable& CadreRank();               // 干部职级: 1 县级, 2 正科, 3 副科及以下, 9 职级不详 (core/pairing.h)
const CodeTable& TeamRole();                // 驻村工作队职务: 1 第一书记, 2 队长, 3 队员

// Every entry of every table by name (the tables in codes.cc are written with these names; GB 3304
// ethnicities other than 汉族, 97 and 98 are used only through the table).
inline constexpr int kRelationHead = 1;
inline constexpr int kRelationSpouse = 2;
inline constexpr int kRelationSon = 3;
inline constexpr int kRelationDaughter = 4;
inline constexpr int kRelationDaughterInLaw = 5;
inline constexpr int kRelationSonInLaw = 6;
inline constexpr int kRelationGrandson = 7;
inline constexpr int kRelationGranddaughter = 8;
inline constexpr int kRelationDaughtersSon = 9;
inline constexpr int kRelationDaughtersDaughter = 10;
inline constexpr int kRelationFather = 11;
inline constexpr int kRelationMother = 12;
inline constexpr int kRelationFatherInLaw = 13;
inline constexpr int kRelationMotherInLaw = 14;
inline constexpr int kRelationHusbandsFather = 15;
inline constexpr int kRelationHusbandsMother = 16;
inline constexpr int kRelationGrandfather = 17;
inline constexpr int kRelationGrandmother = 18;
inline constexpr int kRelationMothersFather = 19;
inline constexpr int kRelationMothersMother = 20;
inline constexpr int kRelationOther = 99;

inline constexpr int kEducationIlliterate = 1;
inline constexpr int kEducationPrimary = 2;
inline constexpr int kEducationJuniorMiddle = 3;
inline constexpr int kEducationSeniorMiddle = 4;
inline constexpr int kEducationCollege = 5;
inline constexpr int kEducationPreschool = 6;

inline constexpr int kSchoolingNone = 1;
inline constexpr int kSchoolingPreschool = 2;
inline constexpr int kSchoolingPrimary = 3;
inline constexpr int kSchoolingGrade7 = 4;
inline constexpr int kSchoolingGrade8 = 5;
inline constexpr int kSchoolingGrade9 = 6;
inline constexpr int kSchoolingSenior1 = 7;
inline constexpr int kSchoolingSenior2 = 8;
inline constexpr int kSchoolingSenior3 = 9;
inline constexpr int kSchoolingVocational1 = 10;
inline constexpr int kSchoolingVocational2 = 11;
inline constexpr int kSchoolingVocational3 = 12;
inline constexpr int kSchoolingHigherVocational1 = 13;
inline constexpr int kSchoolingHigherVocational2 = 14;
inline constexpr int kSchoolingHigherVocational3 = 15;
inline constexpr int kSchoolingCollege = 16;

inline constexpr int kHealthHealthy = 1;
inline constexpr int kHealthChronic = 2;
inline constexpr int kHealthSerious = 3;
inline constexpr int kHealthDisabled = 4;

inline constexpr int kLabourOrdinary = 1;
inline constexpr int kLabourSkilled = 2;
inline constexpr int kLabourLost = 3;
inline constexpr int kLabourNone = 4;

inline constexpr int kMigrantInTownship = 1;
inline constexpr int kMigrantInCounty = 2;
inline constexpr int kMigrantInProvince = 3;
inline constexpr int kMigrantOutOfProvince = 4;
inline constexpr int kMigrantOther = 5;

inline constexpr int kAttributeOrdinary = 1;
inline constexpr int kAttributeDibao = 2;
inline constexpr int kAttributeWubao = 3;

inline constexpr int kStandardNational = 1;
inline constexpr int kStandardProvincial = 2;
inline constexpr int kStandardPrefectural = 3;

inline constexpr int kCauseIllness = 1;
inline constexpr int kCauseDisability = 2;
inline constexpr int kCauseSchooling = 3;
inline constexpr int kCauseDisaster = 4;
inline constexpr int kCauseLand = 5;
inline constexpr int kCauseWater = 6;
inline constexpr int kCauseSkills = 7;
inline constexpr int kCauseLabour = 8;
inline constexpr int kCauseCapital = 9;
inline constexpr int kCauseTransport = 10;
inline constexpr int kCauseMotivation = 11;
inline constexpr int kCauseOther = 99;

inline constexpr int kStatusNotExited = 0;
inline constexpr int kStatusExited = 1;
inline constexpr int kStatusFallback = 3;
inline constexpr int kStatusExitedNoPolicy = 4;

inline constexpr int kSexMale = 1;
inline constexpr int kSexFemale = 2;

inline constexpr int kYes = 1;
inline constexpr int kNo = 0;

inline constexpr int kChangeDeath = 1;
inline constexpr int kChangeMarriedOut = 2;
inline constexpr int kChangeEmigrated = 3;
inline constexpr int kChangeImprisoned = 4;
inline constexpr int kChangeMarriedIn = 5;
inline constexpr int kChangeNewborn = 6;
inline constexpr int kChangeOtherIn = 7;
inline constexpr int kChangeOtherOut = 8;

// 帮扶类别: the clarity card's categories. Education has one code per school stage of the plan's
// education measure (EducationStageOf / EducationCategoryOf map them to the plan's stage ids).
inline constexpr int kCategoryIndustry = 10;           // 产业扶持
inline constexpr int kCategoryCooperative = 11;        // 合作社入股分红 (shares and dividends)
inline constexpr int kCategoryEmployment = 12;         // 就业培训
inline constexpr int kCategoryRelocation = 13;         // 易地搬迁
inline constexpr int kCategoryPublicWelfareJob = 14;   // 公益岗位 (e.g. ecological ranger)
inline constexpr int kCategoryKindergarten = 20;       // 教育(幼儿园)
inline constexpr int kCategoryPrimary = 21;            // 教育(小学)
inline constexpr int kCategoryJunior = 22;             // 教育(初中)
inline constexpr int kCategorySenior = 23;             // 教育(高中)
inline constexpr int kCategoryVocational = 24;         // 教育(中职)
inline constexpr int kCategoryUniversity = 25;         // 教育(大学)
inline constexpr int kCategoryPostgraduate = 26;       // 教育(研究生)
inline constexpr int kCategoryTwoAfter = 27;           // 教育(两后生)
inline constexpr int kCategoryHealth = 30;             // 健康医疗 (insurance, medical aid)
inline constexpr int kCategoryHousingRepair = 31;      // 危房改造
inline constexpr int kCategoryMicrocredit = 32;        // 小额信贷
inline constexpr int kCategorySocialSecurity = 33;     // 社保兜底(低保/五保)
inline constexpr int kCategoryEcological = 34;         // 生态补偿

// 帮扶方式.
inline constexpr int kKindCash = 1;     // 现金
inline constexpr int kKindGoods = 2;    // 实物 (with a value)
inline constexpr int kKindService = 3;  // 服务
inline constexpr int kKindLoan = 4;     // 贷款
inline constexpr int kKindJobPost = 5;  // 岗位
inline constexpr int kKindShare = 6;    // 股份

// 发放周期 of continuing payments.
inline constexpr int kPeriodMonthly = 1;  // 按月
inline constexpr int kPeriodYearly = 2;   // 按年

inline constexpr int kEthnicityHan = 1;
inline constexpr int kEthnicityOther = 97;  // GB 3304 其他: groups not among the 56
inline constexpr int kEthnicityForeignOrigin = 98;  // 外国血统中国籍人士

// A group whose ID cards name it although it is not one of the 56 nationalities (僜人, 夏尔巴人,
// 穿青人; also the short forms 僜, 夏尔巴, 穿青): its name as ID cards write it, recorded under code
// 97 with that name kept. nullopt for anything else.
std::optional<std::string_view> UnidentifiedEthnicGroup(std::string_view text);

// The sex a relation to the head implies (之子 kSexMale, 之女 kSexFemale, ...); 0 when it implies
// none (户主, 配偶, 其他) or the relation is unknown. Read from the relation table.
int SexImpliedByRelation(int relation);

// The plan's education stage id (kindergarten, primary, junior, senior, vocational, university,
// postgraduate, two_after) of an education category; nullopt for any other category.
std::optional<std::string_view> EducationStageOf(int category);
// The education category of a plan stage id; nullopt when the id is not one of the eight.
std::optional<int> EducationCategoryOf(std::string_view stage_id);
inline bool IsEducationCategory(int category) { return category >= kCategoryKindergarten && category <= kCategoryTwoAfter; }

// All tables, for listing and tests.
std::span<const CodeTable* const> All();

}  // namespace codes
}  // namespace jz
