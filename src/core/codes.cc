#include "core/codes.h"

#include "core/pairing.h"

#include <array>
#include <string>
#include <utility>

namespace jz {
using namespace codes;  // the named codes
namespace {

// Folds full-width parentheses to ASCII so "已脱贫（享受政策）" matches "已脱贫(享受政策)".
std::string Fold(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        if (s.compare(i, 3, "\xEF\xBC\x88") == 0) {  // （
            out += '(';
            i += 2;
        } else if (s.compare(i, 3, "\xEF\xBC\x89") == 0) {  // ）
            out += ')';
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

bool AllDigits(std::string_view s) {
    if (s.empty() || s.size() > 4) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

template <size_t N>
using Aliases = std::array<std::string_view, N>;

constexpr std::array<std::string_view, 0> kNone{};
constexpr Aliases<2> kHeadAliases{"户主", "本人"};

constexpr CodeEntry kRelation[] = {
    {kRelationHead, "本人或户主", kHeadAliases},
    {kRelationSpouse, "配偶", kNone},
    {kRelationSon, "之子", kNone, kSexMale},
    {kRelationDaughter, "之女", kNone, kSexFemale},
    {kRelationDaughterInLaw, "之儿媳", kNone, kSexFemale},
    {kRelationSonInLaw, "之女婿", kNone, kSexMale},
    {kRelationGrandson, "之孙子", kNone, kSexMale},
    {kRelationGranddaughter, "之孙女", kNone, kSexFemale},
    {kRelationDaughtersSon, "之外孙子", kNone, kSexMale},
    {kRelationDaughtersDaughter, "之外孙女", kNone, kSexFemale},
    {kRelationFather, "之父", kNone, kSexMale},
    {kRelationMother, "之母", kNone, kSexFemale},
    {kRelationFatherInLaw, "之岳父", kNone, kSexMale},
    {kRelationMotherInLaw, "之岳母", kNone, kSexFemale},
    {kRelationHusbandsFather, "之公公", kNone, kSexMale},
    {kRelationHusbandsMother, "之婆婆", kNone, kSexFemale},
    {kRelationGrandfather, "之祖父", kNone, kSexMale},
    {kRelationGrandmother, "之祖母", kNone, kSexFemale},
    {kRelationMothersFather, "之外祖父", kNone, kSexMale},
    {kRelationMothersMother, "之外祖母", kNone, kSexFemale},
    {kRelationOther, "其他", kNone},
};

constexpr Aliases<2> kOtherEthnicAliases{"其他民族", "未识别民族"};
constexpr Aliases<2> kForeignOriginAliases{"外国血统", "外国血统中国籍"};

// GB 3304-91. The names carry 族; the short form (藏, 汉) is accepted by Parse.
constexpr CodeEntry kEthnicity[] = {
    {kEthnicityHan, "汉族", kNone},
    {2, "蒙古族", kNone},
    {3, "回族", kNone},
    {4, "藏族", kNone},
    {5, "维吾尔族", kNone},
    {6, "苗族", kNone},
    {7, "彝族", kNone},
    {8, "壮族", kNone},
    {9, "布依族", kNone},
    {10, "朝鲜族", kNone},
    {11, "满族", kNone},
    {12, "侗族", kNone},
    {13, "瑶族", kNone},
    {14, "白族", kNone},
    {15, "土家族", kNone},
    {16, "哈尼族", kNone},
    {17, "哈萨克族", kNone},
    {18, "傣族", kNone},
    {19, "黎族", kNone},
    {20, "傈僳族", kNone},
    {21, "佤族", kNone},
    {22, "畲族", kNone},
    {23, "高山族", kNone},
    {24, "拉祜族", kNone},
    {25, "水族", kNone},
    {26, "东乡族", kNone},
    {27, "纳西族", kNone},
    {28, "景颇族", kNone},
    {29, "柯尔克孜族", kNone},
    {30, "土族", kNone},
    {31, "达斡尔族", kNone},
    {32, "仫佬族", kNone},
    {33, "羌族", kNone},
    {34, "布朗族", kNone},
    {35, "撒拉族", kNone},
    {36, "毛南族", kNone},
    {37, "仡佬族", kNone},
    {38, "锡伯族", kNone},
    {39, "阿昌族", kNone},
    {40, "普米族", kNone},
    {41, "塔吉克族", kNone},
    {42, "怒族", kNone},
    {43, "乌孜别克族", kNone},
    {44, "俄罗斯族", kNone},
    {45, "鄂温克族", kNone},
    {46, "德昂族", kNone},
    {47, "保安族", kNone},
    {48, "裕固族", kNone},
    {49, "京族", kNone},
    {50, "塔塔尔族", kNone},
    {51, "独龙族", kNone},
    {52, "鄂伦春族", kNone},
    {53, "赫哲族", kNone},
    {54, "门巴族", kNone},
    {55, "珞巴族", kNone},
    {56, "基诺族", kNone},
    {kEthnicityOther, "其他", kOtherEthnicAliases},
    {kEthnicityForeignOrigin, "外国血统中国籍人士", kForeignOriginAliases},
};

// Groups not identified as one of the 56 nationalities whose ID cards carry their own name in the
// 民族 field. They are coded 97 (其他) and the name is kept beside the code (Person::ethnicity_name).
// 僜人 live in 察隅县's 下察隅镇; 夏尔巴人 in 定结县 and 定日县 (日喀则); 穿青人 in western Guizhou.
constexpr std::string_view kUnidentifiedGroups[][2] = {
    {"僜人", "僜"},
    {"夏尔巴人", "夏尔巴"},
    {"穿青人", "穿青"},
};

constexpr CodeEntry kEducation[] = {
    {kEducationIlliterate, "文盲或半文盲", kNone}, {kEducationPrimary, "小学", kNone},
    {kEducationJuniorMiddle, "初中", kNone},       {kEducationSeniorMiddle, "高中", kNone},
    {kEducationCollege, "大专及以上", kNone},      {kEducationPreschool, "学龄前儿童", kNone},
};

constexpr CodeEntry kSchooling[] = {
    {kSchoolingNone, "非在校生", kNone},
    {kSchoolingPreschool, "学前教育", kNone},
    {kSchoolingPrimary, "小学", kNone},
    {kSchoolingGrade7, "七年级", kNone},
    {kSchoolingGrade8, "八年级", kNone},
    {kSchoolingGrade9, "九年级", kNone},
    {kSchoolingSenior1, "高中一年级", kNone},
    {kSchoolingSenior2, "高中二年级", kNone},
    {kSchoolingSenior3, "高中三年级", kNone},
    {kSchoolingVocational1, "中职一年级", kNone},
    {kSchoolingVocational2, "中职二年级", kNone},
    {kSchoolingVocational3, "中职三年级", kNone},
    {kSchoolingHigherVocational1, "高职一年级", kNone},
    {kSchoolingHigherVocational2, "高职二年级", kNone},
    {kSchoolingHigherVocational3, "高职三年级", kNone},
    {kSchoolingCollege, "大专及以上", kNone},
};

constexpr CodeEntry kHealth[] = {{kHealthHealthy, "健康", kNone},
                                 {kHealthChronic, "长期慢性病", kNone},
                                 {kHealthSerious, "患有大病", kNone},
                                 {kHealthDisabled, "残疾", kNone}};

constexpr CodeEntry kLabour[] = {{kLabourOrdinary, "普通劳动力", kNone},
                                 {kLabourSkilled, "技能劳动力", kNone},
                                 {kLabourLost, "丧失劳动力", kNone},
                                 {kLabourNone, "无劳动力", kNone}};

constexpr Aliases<2> kMigrantInTownshipAliases{"乡镇内务工", "乡内务工"};
constexpr Aliases<2> kMigrantInCountyAliases{"乡镇外县内务工", "县内务工"};
constexpr CodeEntry kMigrantWork[] = {
    {kMigrantInTownship, "乡(镇)内务工", kMigrantInTownshipAliases},
    {kMigrantInCounty, "乡(镇)外县内务工", kMigrantInCountyAliases},
    {kMigrantInProvince, "县外省内务工", kNone},
    {kMigrantOutOfProvince, "省外务工", kNone},
    {kMigrantOther, "其他", kNone},
};

constexpr Aliases<1> kOrdinaryAliases{"一般户"};
constexpr Aliases<1> kDibaoAliases{"低保户"};
constexpr Aliases<4> kWubaoAliases{"特困供养贫困户", "特困供养", "五保户", "特困供养户"};
constexpr CodeEntry kAttribute[] = {{kAttributeOrdinary, "一般贫困户", kOrdinaryAliases},
                                    {kAttributeDibao, "低保贫困户", kDibaoAliases},
                                    {kAttributeWubao, "五保贫困户", kWubaoAliases}};

constexpr CodeEntry kIdentificationStandard[] = {{kStandardNational, "国家标准", kNone},
                                                 {kStandardProvincial, "省定标准", kNone},
                                                 {kStandardPrefectural, "市定标准", kNone}};

constexpr Aliases<1> kOther{"其他"};
constexpr CodeEntry kCause[] = {
    {kCauseIllness, "因病", kNone},
    {kCauseDisability, "因残", kNone},
    {kCauseSchooling, "因学", kNone},
    {kCauseDisaster, "因灾", kNone},
    {kCauseLand, "缺土地", kNone},
    {kCauseWater, "缺水", kNone},
    {kCauseSkills, "缺技术", kNone},
    {kCauseLabour, "缺劳力", kNone},
    {kCauseCapital, "缺资金", kNone},
    {kCauseTransport, "交通条件落后", kNone},
    {kCauseMotivation, "自身发展动力不足", kNone},
    {kCauseOther, "其它", kOther},
};

constexpr Aliases<1> kExitedAliases{"已脱贫"};
constexpr CodeEntry kStatus[] = {
    {kStatusNotExited, "未脱贫", kNone},
    {kStatusExited, "已脱贫(享受政策)", kExitedAliases},
    {kStatusFallback, "返贫", kNone},
    {kStatusExitedNoPolicy, "已脱贫(不再享受政策)", kNone},
};

constexpr Aliases<1> kMaleAliases{"男性"};
constexpr Aliases<1> kFemaleAliases{"女性"};
constexpr CodeEntry kSex[] = {{kSexMale, "男", kMaleAliases}, {kSexFemale, "女", kFemaleAliases}};

constexpr Aliases<1> kYesAliases{"Y"};
constexpr Aliases<1> kNoAliases{"N"};
constexpr CodeEntry kYesNo[] = {{kYes, "是", kYesAliases}, {kNo, "否", kNoAliases}};

constexpr CodeEntry kMemberChange[] = {
    {kChangeDeath, "死亡", kNone},         {kChangeMarriedOut, "嫁出", kNone},
    {kChangeEmigrated, "出国定居", kNone}, {kChangeImprisoned, "判刑收监", kNone},
    {kChangeMarriedIn, "嫁入", kNone},     {kChangeNewborn, "新生儿", kNone},
    {kChangeOtherIn, "其他转入", kNone},   {kChangeOtherOut, "其他转出", kNone},
};

constexpr Aliases<3> kIndustryAliases{"产业", "产业扶贫", "产业帮扶"};
constexpr Aliases<5> kCooperativeAliases{"合作社入股", "入股分红", "资产收益", "股份分红", "合作社分红"};
constexpr Aliases<4> kEmploymentAliases{"就业", "技能培训", "转移就业", "就业技能培训"};
constexpr Aliases<3> kRelocationAliases{"易地扶贫搬迁", "异地搬迁", "搬迁"};
constexpr Aliases<3> kPublicWelfareJobAliases{"公益性岗位", "生态岗位", "护林员"};
constexpr Aliases<3> kKindergartenAliases{"幼儿园", "学前教育", "学前"};
constexpr Aliases<2> kPrimaryAliases{"小学", "教育小学"};
constexpr Aliases<2> kJuniorAliases{"初中", "教育初中"};
constexpr Aliases<2> kSeniorAliases{"高中", "教育高中"};
constexpr Aliases<2> kVocationalAliases{"中职", "教育中职"};
constexpr Aliases<3> kUniversityAliases{"大学", "教育大学", "大专及以上"};
constexpr Aliases<2> kPostgraduateAliases{"研究生", "教育研究生"};
constexpr Aliases<2> kTwoAfterAliases{"两后生", "雨露计划"};
constexpr Aliases<5> kHealthAliases{"医疗", "健康扶贫", "医疗救助", "医疗保险", "健康"};
constexpr Aliases<3> kHousingRepairAliases{"危房", "危房改造补助", "农房改造"};
constexpr Aliases<3> kMicrocreditAliases{"小额贷款", "扶贫小额信贷", "信贷"};
constexpr Aliases<5> kSocialSecurityAliases{"社保兜底", "低保", "五保", "特困供养", "兜底保障"};
constexpr Aliases<3> kEcologicalAliases{"生态补偿金", "草原补奖", "生态补偿扶贫"};
constexpr CodeEntry kAssistanceCategory[] = {
    {kCategoryIndustry, "产业扶持", kIndustryAliases},
    {kCategoryCooperative, "合作社入股分红", kCooperativeAliases},
    {kCategoryEmployment, "就业培训", kEmploymentAliases},
    {kCategoryRelocation, "易地搬迁", kRelocationAliases},
    {kCategoryPublicWelfareJob, "公益岗位", kPublicWelfareJobAliases},
    {kCategoryKindergarten, "教育(幼儿园)", kKindergartenAliases},
    {kCategoryPrimary, "教育(小学)", kPrimaryAliases},
    {kCategoryJunior, "教育(初中)", kJuniorAliases},
    {kCategorySenior, "教育(高中)", kSeniorAliases},
    {kCategoryVocational, "教育(中职)", kVocationalAliases},
    {kCategoryUniversity, "教育(大学)", kUniversityAliases},
    {kCategoryPostgraduate, "教育(研究生)", kPostgraduateAliases},
    {kCategoryTwoAfter, "教育(两后生)", kTwoAfterAliases},
    {kCategoryHealth, "健康医疗", kHealthAliases},
    {kCategoryHousingRepair, "危房改造", kHousingRepairAliases},
    {kCategoryMicrocredit, "小额信贷", kMicrocreditAliases},
    {kCategorySocialSecurity, "社保兜底(低保/五保)", kSocialSecurityAliases},
    {kCategoryEcological, "生态补偿", kEcologicalAliases},
};

// The plan's stage ids of the education categories, in the table's order.
constexpr std::pair<int, std::string_view> kEducationStages[] = {
    {kCategoryKindergarten, "kindergarten"}, {kCategoryPrimary, "primary"},
    {kCategoryJunior, "junior"},             {kCategorySenior, "senior"},
    {kCategoryVocational, "vocational"},     {kCategoryUniversity, "university"},
    {kCategoryPostgraduate, "postgraduate"}, {kCategoryTwoAfter, "two_after"},
};

constexpr Aliases<2> kCashAliases{"现金补贴", "资金"};
constexpr Aliases<2> kGoodsAliases{"实物补贴", "物资"};
constexpr Aliases<1> kServiceAliases{"技术服务"};
constexpr Aliases<1> kLoanAliases{"信贷"};
constexpr Aliases<2> kJobPostAliases{"就业岗位", "公益岗位"};
constexpr Aliases<2> kShareAliases{"入股", "股权"};
constexpr CodeEntry kAssistanceKind[] = {
    {kKindCash, "现金", kCashAliases},   {kKindGoods, "实物", kGoodsAliases},
    {kKindService, "服务", kServiceAliases}, {kKindLoan, "贷款", kLoanAliases},
    {kKindJobPost, "岗位", kJobPostAliases}, {kKindShare, "股份", kShareAliases},
};

constexpr Aliases<3> kMonthlyAliases{"月", "每月", "月度"};
constexpr Aliases<3> kYearlyAliases{"年", "每年", "年度"};
constexpr CodeEntry kAssistancePeriod[] = {
    {kPeriodMonthly, "按月", kMonthlyAliases},
    {kPeriodYearly, "按年", kYearlyAliases},
};

// 干部职级 (core/pairing.h): 9 is for cadres made from a free-text pairing_cadre name.
constexpr Aliases<3> kRankCountyAliases{"县级干部", "县处级", "县级党员干部"};
constexpr Aliases<2> kRankSectionChiefAliases{"正科级", "正科级干部"};
constexpr Aliases<4> kRankDeputyAliases{"副科", "副科级", "副科及以下党员干部", "科员"};
constexpr Aliases<2> kRankUnknownAliases{"不详", "未知"};
constexpr CodeEntry kCadreRank[] = {
    {kRankCounty, "县级", kRankCountyAliases},
    {kRankSectionChief, "正科", kRankSectionChiefAliases},
    {kRankDeputyAndBelow, "副科及以下", kRankDeputyAliases},
    {kRankUnknown, "职级不详", kRankUnknownAliases},
};

// 驻村工作队职务.
constexpr Aliases<1> kTeamLeaderAliases{"工作队队长"};
constexpr Aliases<2> kTeamMemberAliases{"工作队员", "驻村队员"};
constexpr CodeEntry kTeamRole[] = {
    {kRoleFirstSecretary, "第一书记", kNone},
    {kRoleTeamLeader, "队长", kTeamLeaderAliases},
    {kRoleTeamMember, "队员", kTeamMemberAliases},
};

constexpr CodeTable kTables[] = {
    {"relation", "与户主关系", kRelation},
    {"ethnicity", "民族", kEthnicity},
    {"education", "文化程度", kEducation},
    {"schooling", "在校生状况", kSchooling},
    {"health", "健康状况", kHealth},
    {"labour", "劳动能力", kLabour},
    {"migrant_work", "务工状况", kMigrantWork},
    {"attribute", "贫困户属性", kAttribute},
    {"identification_standard", "识别标准", kIdentificationStandard},
    {"cause", "致贫原因", kCause},
    {"status", "脱贫状态", kStatus},
    {"sex", "性别", kSex},
    {"yes_no", "是否", kYesNo},
    {"member_change", "成员变更", kMemberChange},
    {"assistance_category", "帮扶类别", kAssistanceCategory},
    {"assistance_kind", "帮扶方式", kAssistanceKind},
    {"assistance_period", "发放周期", kAssistancePeriod},
    {"cadre_rank", "干部职级", kCadreRank},
    {"team_role", "驻村工作队职务", kTeamRole},
};

constexpr const CodeTable* kTablePtrs[] = {&kTables[0],  &kTables[1],  &kTables[2],  &kTables[3], &kTables[4],
                                           &kTables[5],  &kTables[6],  &kTables[7],  &kTables[8], &kTables[9],
                                           &kTables[10], &kTables[11], &kTables[12], &kTables[13],
                                           &kTables[14], &kTables[15], &kTables[16], &kTables[17],
                                           &kTables[18]};

}  // namespace

std::optional<int> CodeTable::Parse(std::string_view text) const {
    if (AllDigits(text)) {
        int code = 0;
        for (char c : text) code = code * 10 + (c - '0');
        if (Contains(code)) return code;
        return std::nullopt;
    }
    // Fast path: the exact spelling, no allocation.
    for (const CodeEntry& e : entries) {
        if (e.name == text) return e.code;
        for (std::string_view a : e.aliases)
            if (a == text) return e.code;
    }
    const std::string folded = Fold(text);
    for (const CodeEntry& e : entries) {
        if (Fold(e.name) == folded) return e.code;
        for (std::string_view a : e.aliases)
            if (Fold(a) == folded) return e.code;
    }
    // Short ethnic names: 藏 for 藏族.
    if (id == "ethnicity" && !folded.empty()) {
        const std::string with = folded + "族";
        for (const CodeEntry& e : entries)
            if (e.name == with) return e.code;
    }
    return std::nullopt;
}

std::string_view CodeTable::NameOf(int code) const {
    const CodeEntry* e = Find(code);
    return e ? e->name : std::string_view();
}

const CodeEntry* CodeTable::Find(int code) const {
    for (const CodeEntry& e : entries)
        if (e.code == code) return &e;
    return nullptr;
}

namespace codes {
std::optional<std::string_view> UnidentifiedEthnicGroup(std::string_view text) {
    for (const auto& [name, short_name] : kUnidentifiedGroups)
        if (text == name || text == short_name) return name;
    return std::nullopt;
}

int SexImpliedByRelation(int relation) {
    const CodeEntry* e = kTables[0].Find(relation);
    return e ? e->implied_sex : 0;
}

const CodeTable& Relation() { return kTables[0]; }
const CodeTable& Ethnicity() { return kTables[1]; }
const CodeTable& Education() { return kTables[2]; }
const CodeTable& Schooling() { return kTables[3]; }
const CodeTable& Health() { return kTables[4]; }
const CodeTable& Labour() { return kTables[5]; }
const CodeTable& MigrantWork() { return kTables[6]; }
const CodeTable& Attribute() { return kTables[7]; }
const CodeTable& IdentificationStandard() { return kTables[8]; }
const CodeTable& Cause() { return kTables[9]; }
const CodeTable& Status() { return kTables[10]; }
const CodeTable& Sex() { return kTables[11]; }
const CodeTable& YesNo() { return kTables[12]; }
const CodeTable& MemberChange() { return kTables[13]; }
const CodeTable& AssistanceCategory() { return kTables[14]; }
const CodeTable& AssistanceKind() { return kTables[15]; }
const CodeTable& AssistancePeriod() { return kTables[16]; }
const CodeTable& CadreRank() { return kTables[17]; }
const CodeTable& TeamRole() { return kTables[18]; }
std::span<const CodeTable* const> All() { return kTablePtrs; }

std::optional<std::string_view> EducationStageOf(int category) {
    for (const auto& [code, id] : kEducationStages)
        if (code == category) return id;
    return std::nullopt;
}

std::optional<int> EducationCategoryOf(std::string_view stage_id) {
    for (const auto& [code, id] : kEducationStages)
        if (id == stage_id) return code;
    return std::nullopt;
}
}  // namespace codes

}  // namespace jz
