// The generator's model (internal to src/generator/): its constants, the code values it resolves by
// name, and the plain structs the parts pass around. Values only; no state is shared.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/codes.h"
#include "core/plan.h"

namespace jz::generator_detail {

// Constants of the model.

// Household sizes 1..10 of rural poor households in the county (mean ≈ 4.3); the plan's 6160
// persons in 1431 households conditions these only slightly.
constexpr std::array<double, 11> kSizeWeights = {0,    0.08, 0.12, 0.16, 0.20, 0.18,
                                                 0.12, 0.07, 0.04, 0.02, 0.01};
constexpr int kMaxSize = 10;

// The plan's measure numbers whose meaning the generator fits people to.
constexpr int kMeasureRelocation = 4;
constexpr int kMeasureEducation = 5;
constexpr int kMeasureMedical = 6;
constexpr int kMeasureEmployment = 7;
constexpr int kMeasureEcology = 8;
constexpr int kMeasureCredit = 9;
constexpr int kMeasureSocialFloor = 10;
constexpr int kMaxMeasure = 10;

// Measures that need an able adult in the household (a worker to train and place, a ranger, a
// borrower who runs the project) or an ill member (medical aid).
constexpr uint32_t Bit(int measure) { return 1u << measure; }
constexpr uint32_t kNeedsAbleMask = Bit(kMeasureEmployment) | Bit(kMeasureEcology) | Bit(kMeasureCredit);

// Address codes a county's older citizens still carry from before a renumbering: Chayu was 542626
// under 林芝地区 until Nyingchi became a prefecture-level city in 2015 (542625 was Bomi's).
struct FormerCode {
    std::string_view current;
    std::string_view former;
};
constexpr FormerCode kFormerCodes[] = {{"540425", "542626"}};

// Townships where other peoples live besides Tibetans (察瓦龙乡: Nu and Naxi; 下察隅镇: Monba and
// Lhoba). Households of these peoples use Tibetan-style names there.
constexpr std::string_view kChawalongTownship = "540425200";
constexpr std::string_view kXiachayuTownship = "540425102";

constexpr double kDaysPerYear = 365.2425;
constexpr double kFallbackShare = 0.02;  // exited households that fell back (返贫)

// Working age as the able_adults beneficiaries are counted (CountBeneficiaries): 16 to 60.
constexpr int kWorkingAgeMin = 16;
constexpr int kWorkingAgeMax = 60;
// Beneficiaries of one person-level measure in one household, at most: the plan's ratios (571
// ill in 476 households) need a few households with two, none with many.
constexpr int kMaxReach = 3;
// Families drawn for one household of match mode before the one that fits best is kept.
constexpr int kFamilyAttempts = 16;
// Kinds of Beneficiaries (plan.h), to index by.
constexpr size_t kBeneficiaryKinds = static_cast<size_t>(Beneficiaries::kAbleAdults) + 1;

// Mobile prefixes common in Tibet (13x/15x/18x).
constexpr std::string_view kPhonePrefixes[] = {"139", "138", "136", "135", "189", "180",
                                               "158", "159", "152", "183", "187", "181"};

// Code values, resolved from the tables by name once so the generator never hard-codes numbers.
struct Codes {
    int han, tibetan, nu, naxi, monba, lhoba;
    int head, spouse, son, daughter, daughter_in_law, son_in_law, grandson, granddaughter;
    int daughters_son, daughters_daughter, father, mother;
    int edu_illiterate, edu_primary, edu_junior, edu_senior, edu_college, edu_preschool;
    int sch_none, sch_preschool, sch_primary, sch_college;
    std::array<int, 3> sch_junior, sch_senior, sch_vocational, sch_higher_vocational;
    int healthy, chronic, serious, disabled;
    int ordinary, skilled, lost, no_labour;
    std::array<int, 5> migrant;
    int ordinary_household, dibao, wubao;
    int national_standard;
    int illness, disability, schooling, disaster, land, water, skills, labour, capital, transport, drive;
};

// Resolves every code value the generator uses from the code tables (once per generator).
Codes ResolveCodes();

// A member before the details: relation, sex and age (fractional years on the as-of date).
struct Draft {
    int relation;
    int sex;
    double age;
};

struct Village {
    std::string code;
    int profile;  // kProfile*
};

enum Profile { kProfileDefault, kProfileChawalong, kProfileXiachayu };

// What the household's measures require of its members.
struct Needs {
    bool able = false;     // an able adult 16–59
    bool ill = false;      // a chronically or seriously ill member
    bool migrant = false;  // an able adult working away
};

// Members a household's person-level measures reach (or, while drawing, are still to reach).
struct Reach {
    int ill = 0;
    int migrants = 0;
    int able_adults = 0;
};

// The per-household plan of match mode, fixed in Create so the totals are exact.
struct Spec {
    int village;
    int year;
    int size;
    uint32_t measures = 0;  // bit per targeted measure
    // 低保 or 五保, and so 社保兜底: chosen by size when that measure has a person target.
    bool social_floor = false;
    // Exactly how many members the household's person-level measures reach (0: no exact count, at
    // least one when a measure needs such a member).
    Reach reach;
    int status = codes::kStatusNotExited;
    std::optional<int> exit_year;
    // Set once the members are drawn: members whose schooling must not change because a count
    // rests on their being at work, and whether the household's able adults are counted.
    uint32_t locked = 0;
    bool counted_able = false;
};

struct MeasureInfo {
    int number;
    bool targeted;   // has a household target
    int target = 0;  // households
    std::optional<int> target_persons;
    Beneficiaries beneficiaries = Beneficiaries::kHousehold;
};

// School stages as the plan's education measure breaks its persons down.
enum Stage {
    kStageKindergarten,
    kStagePrimary,
    kStageJunior,
    kStageSenior,
    kStageVocational,
    kStageUniversity
};
constexpr int kStageCount = 6;

// The stage of the plan's education-measure stage id, or none for an id the generator does not know.
std::optional<Stage> StageOfPlanId(std::string_view id);

}  // namespace jz::generator_detail
