#include "core/codes.h"

#include <array>
#include <string>

namespace jz {
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
    {1, "本人或户主", kHeadAliases},
    {2, "配偶", kNone},
    {3, "之子", kNone},
    {4, "之女", kNone},
    {5, "之儿媳", kNone},
    {6, "之女婿", kNone},
    {7, "之孙子", kNone},
    {8, "之孙女", kNone},
    {9, "之外孙子", kNone},
    {10, "之外孙女", kNone},
    {11, "之父", kNone},
    {12, "之母", kNone},
    {13, "之岳父", kNone},
    {14, "之岳母", kNone},
    {15, "之公公", kNone},
    {16, "之婆婆", kNone},
    {17, "之祖父", kNone},
    {18, "之祖母", kNone},
    {19, "之外祖父", kNone},
    {20, "之外祖母", kNone},
    {99, "其他", kNone},
};

constexpr Aliases<2> kOtherEthnicAliases{"其他民族", "未识别民族"};
constexpr Aliases<2> kForeignOriginAliases{"外国血统", "外国血统中国籍"};

// GB 3304-91. The names carry 族; the short form (藏, 汉) is accepted by Parse.
constexpr CodeEntry kEthnicity[] = {
    {1, "汉族", kNone},        {2, "蒙古族", kNone},    {3, "回族", kNone},        {4, "藏族", kNone},
    {5, "维吾尔族", kNone},    {6, "苗族", kNone},      {7, "彝族", kNone},        {8, "壮族", kNone},
    {9, "布依族", kNone},      {10, "朝鲜族", kNone},   {11, "满族", kNone},       {12, "侗族", kNone},
    {13, "瑶族", kNone},       {14, "白族", kNone},     {15, "土家族", kNone},     {16, "哈尼族", kNone},
    {17, "哈萨克族", kNone},   {18, "傣族", kNone},     {19, "黎族", kNone},       {20, "傈僳族", kNone},
    {21, "佤族", kNone},       {22, "畲族", kNone},     {23, "高山族", kNone},     {24, "拉祜族", kNone},
    {25, "水族", kNone},       {26, "东乡族", kNone},   {27, "纳西族", kNone},     {28, "景颇族", kNone},
    {29, "柯尔克孜族", kNone}, {30, "土族", kNone},     {31, "达斡尔族", kNone},   {32, "仫佬族", kNone},
    {33, "羌族", kNone},       {34, "布朗族", kNone},   {35, "撒拉族", kNone},     {36, "毛南族", kNone},
    {37, "仡佬族", kNone},     {38, "锡伯族", kNone},   {39, "阿昌族", kNone},     {40, "普米族", kNone},
    {41, "塔吉克族", kNone},   {42, "怒族", kNone},     {43, "乌孜别克族", kNone}, {44, "俄罗斯族", kNone},
    {45, "鄂温克族", kNone},   {46, "德昂族", kNone},   {47, "保安族", kNone},     {48, "裕固族", kNone},
    {49, "京族", kNone},       {50, "塔塔尔族", kNone}, {51, "独龙族", kNone},     {52, "鄂伦春族", kNone},
    {53, "赫哲族", kNone},     {54, "门巴族", kNone},   {55, "珞巴族", kNone},     {56, "基诺族", kNone},
    {97, "其他", kOtherEthnicAliases},  {98, "外国血统中国籍人士", kForeignOriginAliases},
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
    {1, "文盲或半文盲", kNone}, {2, "小学", kNone},       {3, "初中", kNone},
    {4, "高中", kNone},         {5, "大专及以上", kNone}, {6, "学龄前儿童", kNone},
};

constexpr CodeEntry kSchooling[] = {
    {1, "非在校生", kNone},    {2, "学前教育", kNone},    {3, "小学", kNone},
    {4, "七年级", kNone},      {5, "八年级", kNone},      {6, "九年级", kNone},
    {7, "高中一年级", kNone},  {8, "高中二年级", kNone},  {9, "高中三年级", kNone},
    {10, "中职一年级", kNone}, {11, "中职二年级", kNone}, {12, "中职三年级", kNone},
    {13, "高职一年级", kNone}, {14, "高职二年级", kNone}, {15, "高职三年级", kNone},
    {16, "大专及以上", kNone},
};

constexpr CodeEntry kHealth[] = {
    {1, "健康", kNone}, {2, "长期慢性病", kNone}, {3, "患有大病", kNone}, {4, "残疾", kNone}};

constexpr CodeEntry kLabour[] = {
    {1, "普通劳动力", kNone}, {2, "技能劳动力", kNone}, {3, "丧失劳动力", kNone}, {4, "无劳动力", kNone}};

constexpr Aliases<2> kMigrantInTownship{"乡镇内务工", "乡内务工"};
constexpr Aliases<2> kMigrantInCounty{"乡镇外县内务工", "县内务工"};
constexpr CodeEntry kMigrantWork[] = {
    {1, "乡(镇)内务工", kMigrantInTownship},
    {2, "乡(镇)外县内务工", kMigrantInCounty},
    {3, "县外省内务工", kNone},
    {4, "省外务工", kNone},
    {5, "其他", kNone},
};

constexpr Aliases<1> kOrdinaryAliases{"一般户"};
constexpr Aliases<1> kDibaoAliases{"低保户"};
constexpr Aliases<4> kWubaoAliases{"特困供养贫困户", "特困供养", "五保户", "特困供养户"};
constexpr CodeEntry kAttribute[] = {
    {1, "一般贫困户", kOrdinaryAliases}, {2, "低保贫困户", kDibaoAliases}, {3, "五保贫困户", kWubaoAliases}};

constexpr CodeEntry kIdentificationStandard[] = {
    {1, "国家标准", kNone}, {2, "省定标准", kNone}, {3, "市定标准", kNone}};

constexpr Aliases<1> kOther{"其他"};
constexpr CodeEntry kCause[] = {
    {1, "因病", kNone},
    {2, "因残", kNone},
    {3, "因学", kNone},
    {4, "因灾", kNone},
    {5, "缺土地", kNone},
    {6, "缺水", kNone},
    {7, "缺技术", kNone},
    {8, "缺劳力", kNone},
    {9, "缺资金", kNone},
    {10, "交通条件落后", kNone},
    {11, "自身发展动力不足", kNone},
    {99, "其它", kOther},
};

constexpr Aliases<1> kExitedAliases{"已脱贫"};
constexpr CodeEntry kStatus[] = {
    {0, "未脱贫", kNone},
    {1, "已脱贫(享受政策)", kExitedAliases},
    {3, "返贫", kNone},
    {4, "已脱贫(不再享受政策)", kNone},
};

constexpr Aliases<1> kMaleAliases{"男性"};
constexpr Aliases<1> kFemaleAliases{"女性"};
constexpr CodeEntry kSex[] = {{1, "男", kMaleAliases}, {2, "女", kFemaleAliases}};

constexpr Aliases<1> kYesAliases{"Y"};
constexpr Aliases<1> kNoAliases{"N"};
constexpr CodeEntry kYesNo[] = {{1, "是", kYesAliases}, {0, "否", kNoAliases}};

constexpr CodeEntry kMemberChange[] = {
    {1, "死亡", kNone}, {2, "嫁出", kNone},   {3, "出国定居", kNone}, {4, "判刑收监", kNone},
    {5, "嫁入", kNone}, {6, "新生儿", kNone}, {7, "其他转入", kNone}, {8, "其他转出", kNone},
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
};

constexpr const CodeTable* kTablePtrs[] = {&kTables[0],  &kTables[1],  &kTables[2],  &kTables[3], &kTables[4],
                                           &kTables[5],  &kTables[6],  &kTables[7],  &kTables[8], &kTables[9],
                                           &kTables[10], &kTables[11], &kTables[12], &kTables[13]};

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
    for (const CodeEntry& e : entries)
        if (e.code == code) return e.name;
    return {};
}

namespace codes {
std::optional<std::string_view> UnidentifiedEthnicGroup(std::string_view text) {
    for (const auto& [name, short_name] : kUnidentifiedGroups)
        if (text == name || text == short_name) return name;
    return std::nullopt;
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
std::span<const CodeTable* const> All() { return kTablePtrs; }
}  // namespace codes

}  // namespace jz
