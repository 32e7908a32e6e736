#include "core/code_names_en.h"

#include <span>
#include <utility>

#include "core/codes.h"
#include "core/pairing.h"

namespace jz::codes {
namespace {

using Name = std::pair<int, std::string_view>;

constexpr Name kRelation[] = {
    {kRelationHead, "Head"},
    {kRelationSpouse, "Spouse"},
    {kRelationSon, "Son"},
    {kRelationDaughter, "Daughter"},
    {kRelationDaughterInLaw, "Daughter-in-law"},
    {kRelationSonInLaw, "Son-in-law"},
    {kRelationGrandson, "Grandson"},
    {kRelationGranddaughter, "Granddaughter"},
    {kRelationDaughtersSon, "Daughter's son"},
    {kRelationDaughtersDaughter, "Daughter's daughter"},
    {kRelationFather, "Father"},
    {kRelationMother, "Mother"},
    {kRelationFatherInLaw, "Father-in-law (wife's father)"},
    {kRelationMotherInLaw, "Mother-in-law (wife's mother)"},
    {kRelationHusbandsFather, "Father-in-law (husband's father)"},
    {kRelationHusbandsMother, "Mother-in-law (husband's mother)"},
    {kRelationGrandfather, "Grandfather"},
    {kRelationGrandmother, "Grandmother"},
    {kRelationMothersFather, "Mother's father"},
    {kRelationMothersMother, "Mother's mother"},
    {kRelationOther, "Other"},
};

// GB 3304-91, in its order.
constexpr Name kEthnicity[] = {
    {1, "Han"},        {2, "Mongol"},     {3, "Hui"},         {4, "Tibetan"},   {5, "Uyghur"},
    {6, "Miao"},       {7, "Yi"},         {8, "Zhuang"},      {9, "Bouyei"},    {10, "Korean"},
    {11, "Manchu"},    {12, "Dong"},      {13, "Yao"},        {14, "Bai"},      {15, "Tujia"},
    {16, "Hani"},      {17, "Kazakh"},    {18, "Dai"},        {19, "Li"},       {20, "Lisu"},
    {21, "Va"},        {22, "She"},       {23, "Gaoshan"},    {24, "Lahu"},     {25, "Shui"},
    {26, "Dongxiang"}, {27, "Naxi"},      {28, "Jingpo"},     {29, "Kyrgyz"},   {30, "Tu"},
    {31, "Daur"},      {32, "Mulao"},     {33, "Qiang"},      {34, "Blang"},    {35, "Salar"},
    {36, "Maonan"},    {37, "Gelao"},     {38, "Xibe"},       {39, "Achang"},   {40, "Pumi"},
    {41, "Tajik"},     {42, "Nu"},        {43, "Uzbek"},      {44, "Russian"},  {45, "Evenki"},
    {46, "De'ang"},    {47, "Bonan"},     {48, "Yugur"},      {49, "Gin"},      {50, "Tatar"},
    {51, "Derung"},    {52, "Oroqen"},    {53, "Hezhen"},     {54, "Monba"},    {55, "Lhoba"},
    {56, "Jino"},      {kEthnicityOther, "Other"},            {kEthnicityForeignOrigin, "Chinese citizen of foreign origin"},
};

constexpr Name kEducation[] = {
    {kEducationIlliterate, "Illiterate or semi-literate"},
    {kEducationPrimary, "Primary school"},
    {kEducationJuniorMiddle, "Junior middle school"},
    {kEducationSeniorMiddle, "Senior middle school"},
    {kEducationCollege, "College or above"},
    {kEducationPreschool, "Preschool child"},
};

constexpr Name kSchooling[] = {
    {kSchoolingNone, "Not in school"},
    {kSchoolingPreschool, "Preschool"},
    {kSchoolingPrimary, "Primary school"},
    {kSchoolingGrade7, "Grade 7"},
    {kSchoolingGrade8, "Grade 8"},
    {kSchoolingGrade9, "Grade 9"},
    {kSchoolingSenior1, "Senior middle, year 1"},
    {kSchoolingSenior2, "Senior middle, year 2"},
    {kSchoolingSenior3, "Senior middle, year 3"},
    {kSchoolingVocational1, "Secondary vocational, year 1"},
    {kSchoolingVocational2, "Secondary vocational, year 2"},
    {kSchoolingVocational3, "Secondary vocational, year 3"},
    {kSchoolingHigherVocational1, "Higher vocational, year 1"},
    {kSchoolingHigherVocational2, "Higher vocational, year 2"},
    {kSchoolingHigherVocational3, "Higher vocational, year 3"},
    {kSchoolingCollege, "College or above"},
};

constexpr Name kHealth[] = {{kHealthHealthy, "Healthy"},
                            {kHealthChronic, "Chronic illness"},
                            {kHealthSerious, "Serious illness"},
                            {kHealthDisabled, "Disabled"}};

constexpr Name kLabour[] = {{kLabourOrdinary, "Ordinary labour"},
                            {kLabourSkilled, "Skilled labour"},
                            {kLabourLost, "Lost the ability to work"},
                            {kLabourNone, "No labour"}};

constexpr Name kMigrantWork[] = {
    {kMigrantInTownship, "Works within the township"},
    {kMigrantInCounty, "Works in the county, outside the township"},
    {kMigrantInProvince, "Works in the province, outside the county"},
    {kMigrantOutOfProvince, "Works outside the province"},
    {kMigrantOther, "Other"},
};

constexpr Name kAttribute[] = {{kAttributeOrdinary, "Ordinary poor household"},
                               {kAttributeDibao, "Minimum-living-allowance (dibao) household"},
                               {kAttributeWubao, "Five-guarantees (wubao) household"}};

constexpr Name kIdentificationStandard[] = {{kStandardNational, "National standard"},
                                            {kStandardProvincial, "Provincial standard"},
                                            {kStandardPrefectural, "Prefectural standard"}};

constexpr Name kCause[] = {
    {kCauseIllness, "Illness"},
    {kCauseDisability, "Disability"},
    {kCauseSchooling, "Schooling costs"},
    {kCauseDisaster, "Disaster"},
    {kCauseLand, "Lack of land"},
    {kCauseWater, "Lack of water"},
    {kCauseSkills, "Lack of skills"},
    {kCauseLabour, "Lack of labour"},
    {kCauseCapital, "Lack of capital"},
    {kCauseTransport, "Poor transport"},
    {kCauseMotivation, "Lack of motivation"},
    {kCauseOther, "Other"},
};

constexpr Name kStatus[] = {
    {kStatusNotExited, "Not exited"},
    {kStatusExited, "Exited (with policy support)"},
    {kStatusFallback, "Fell back into poverty"},
    {kStatusExitedNoPolicy, "Exited (policy support ended)"},
};

constexpr Name kSex[] = {{kSexMale, "Male"}, {kSexFemale, "Female"}};
constexpr Name kYesNo[] = {{kYes, "Yes"}, {kNo, "No"}};

constexpr Name kMemberChange[] = {
    {kChangeDeath, "Death"},          {kChangeMarriedOut, "Married out"},
    {kChangeEmigrated, "Emigrated"},  {kChangeImprisoned, "Imprisoned"},
    {kChangeMarriedIn, "Married in"}, {kChangeNewborn, "Newborn"},
    {kChangeOtherIn, "Other arrival"}, {kChangeOtherOut, "Other departure"},
};

constexpr Name kAssistanceCategory[] = {
    {kCategoryIndustry, "Industry support"},
    {kCategoryCooperative, "Cooperative share and dividend"},
    {kCategoryEmployment, "Employment and training"},
    {kCategoryRelocation, "Relocation"},
    {kCategoryPublicWelfareJob, "Public-welfare job"},
    {kCategoryKindergarten, "Education: kindergarten"},
    {kCategoryPrimary, "Education: primary school"},
    {kCategoryJunior, "Education: junior middle school"},
    {kCategorySenior, "Education: senior middle school"},
    {kCategoryVocational, "Education: secondary vocational"},
    {kCategoryUniversity, "Education: university"},
    {kCategoryPostgraduate, "Education: postgraduate"},
    {kCategoryTwoAfter, "Education: school leavers' vocational training (liang hou sheng)"},
    {kCategoryHealth, "Health insurance and medical aid"},
    {kCategoryHousingRepair, "Dangerous-housing repair"},
    {kCategoryMicrocredit, "Microcredit"},
    {kCategorySocialSecurity, "Social-security floor (dibao / wubao)"},
    {kCategoryEcological, "Ecological compensation"},
};

constexpr Name kAssistanceKind[] = {
    {kKindCash, "Cash"},       {kKindGoods, "Goods in kind"}, {kKindService, "Service"},
    {kKindLoan, "Loan"},       {kKindJobPost, "Job post"},    {kKindShare, "Share"},
};

constexpr Name kAssistancePeriod[] = {{kPeriodMonthly, "Monthly"}, {kPeriodYearly, "Yearly"}};

constexpr Name kCadreRank[] = {{kRankCounty, "County level"},
                               {kRankSectionChief, "Section chief"},
                               {kRankDeputyAndBelow, "Deputy section chief and below"},
                               {kRankUnknown, "Rank unknown"}};

constexpr Name kTeamRole[] = {
    {kRoleFirstSecretary, "First secretary"}, {kRoleTeamLeader, "Team leader"}, {kRoleTeamMember, "Team member"}};

struct Table {
    std::string_view id;
    std::string_view label;
    std::span<const Name> names;
};

constexpr Table kTables[] = {
    {"relation", "Relation to the head", kRelation},
    {"ethnicity", "Ethnicity", kEthnicity},
    {"education", "Education", kEducation},
    {"schooling", "Schooling", kSchooling},
    {"health", "Health", kHealth},
    {"labour", "Labour ability", kLabour},
    {"migrant_work", "Migrant work", kMigrantWork},
    {"attribute", "Household attribute", kAttribute},
    {"identification_standard", "Identification standard", kIdentificationStandard},
    {"cause", "Cause of poverty", kCause},
    {"status", "Status", kStatus},
    {"sex", "Sex", kSex},
    {"yes_no", "Yes / no", kYesNo},
    {"member_change", "Member change", kMemberChange},
    {"assistance_category", "Assistance category", kAssistanceCategory},
    {"assistance_kind", "Assistance kind", kAssistanceKind},
    {"assistance_period", "Payment period", kAssistancePeriod},
    {"cadre_rank", "Cadre rank", kCadreRank},
    {"team_role", "Work-team role", kTeamRole},
};

const Table* FindTable(std::string_view id) {
    for (const Table& t : kTables)
        if (t.id == id) return &t;
    return nullptr;
}

}  // namespace

std::string_view TableLabelEn(std::string_view table_id) {
    const Table* t = FindTable(table_id);
    return t ? t->label : std::string_view();
}

std::string_view CodeNameEn(std::string_view table_id, int code) {
    if (const Table* t = FindTable(table_id))
        for (const auto& [c, name] : t->names)
            if (c == code) return name;
    return {};
}

}  // namespace jz::codes
