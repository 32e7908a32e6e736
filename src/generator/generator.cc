#include "generator/generator.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <map>
#include <numeric>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/codes.h"
#include "core/id_number.h"
#include "generator/names.h"
#include "core/progress.h"

namespace jz {
namespace {

// FNV-1a of a text: a stable choice that takes nothing from the random stream.
uint64_t Fnv1a(std::string_view text) {
    uint64_t h = 14695981039346656037ULL;
    for (unsigned char c : text) h = (h ^ c) * 1099511628211ULL;
    return h;
}
bool OnTrack(std::string_view household_code) { return Fnv1a(household_code) % 2 == 0; }

// ---------------------------------------------------------------------------------------------
// Randomness. xoshiro256** seeded through splitmix64, with our own bounded and real draws: the
// standard distributions are implementation-defined, and a seed must give the same registry on
// every compiler and platform.
class Rng {
  public:
    explicit Rng(uint64_t seed) {
        for (uint64_t& s : s_) {
            seed += 0x9E3779B97F4A7C15ULL;
            uint64_t z = seed;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
            s = z ^ (z >> 31);
        }
    }

    uint64_t Next() {
        const uint64_t result = std::rotl(s_[1] * 5, 7) * 9;
        const uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = std::rotl(s_[3], 45);
        return result;
    }

    // Uniform in [0, n), n > 0, without modulo bias (Lemire's multiply-and-reject).
    uint64_t Below(uint64_t n) {
        unsigned __int128 m = static_cast<unsigned __int128>(Next()) * n;
        uint64_t low = static_cast<uint64_t>(m);
        if (low < n) {
            const uint64_t threshold = (0 - n) % n;
            while (low < threshold) {
                m = static_cast<unsigned __int128>(Next()) * n;
                low = static_cast<uint64_t>(m);
            }
        }
        return static_cast<uint64_t>(m >> 64);
    }
    int Range(int lo, int hi) { return lo + static_cast<int>(Below(static_cast<uint64_t>(hi - lo + 1))); }
    double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
    double Uniform(double lo, double hi) { return lo + (hi - lo) * Unit(); }
    bool Chance(double p) { return Unit() < p; }
    // An index drawn with the given non-negative weights (at least one positive).
    size_t Weighted(std::span<const double> weights) {
        double total = 0;
        for (double w : weights) total += w;
        double r = Unit() * total;
        for (size_t i = 0; i < weights.size(); ++i) {
            if (r < weights[i]) return i;
            r -= weights[i];
        }
        for (size_t i = weights.size(); i-- > 0;)
            if (weights[i] > 0) return i;
        return 0;
    }
    // Skewed towards small indexes, so the first (most common) entries of a pool repeat most.
    size_t Skewed(size_t n) {
        const double u = Unit();
        return std::min(n - 1, static_cast<size_t>(static_cast<double>(n) * u * u));
    }

  private:
    uint64_t s_[4];
};

// ---------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------
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

int Code(const CodeTable& table, std::string_view name) { return table.Parse(name).value(); }

Codes ResolveCodes() {
    Codes c;
    const CodeTable& eth = codes::Ethnicity();
    c.han = Code(eth, "汉族");
    c.tibetan = Code(eth, "藏族");
    c.nu = Code(eth, "怒族");
    c.naxi = Code(eth, "纳西族");
    c.monba = Code(eth, "门巴族");
    c.lhoba = Code(eth, "珞巴族");
    const CodeTable& rel = codes::Relation();
    c.head = codes::kRelationHead;
    c.spouse = codes::kRelationSpouse;
    c.son = codes::kRelationSon;
    c.daughter = codes::kRelationDaughter;
    c.daughter_in_law = Code(rel, "之儿媳");
    c.son_in_law = Code(rel, "之女婿");
    c.grandson = Code(rel, "之孙子");
    c.granddaughter = Code(rel, "之孙女");
    c.daughters_son = Code(rel, "之外孙子");
    c.daughters_daughter = Code(rel, "之外孙女");
    c.father = Code(rel, "之父");
    c.mother = Code(rel, "之母");
    const CodeTable& edu = codes::Education();
    c.edu_illiterate = Code(edu, "文盲或半文盲");
    c.edu_primary = Code(edu, "小学");
    c.edu_junior = Code(edu, "初中");
    c.edu_senior = Code(edu, "高中");
    c.edu_college = Code(edu, "大专及以上");
    c.edu_preschool = Code(edu, "学龄前儿童");
    const CodeTable& sch = codes::Schooling();
    c.sch_none = codes::kSchoolingNone;
    c.sch_preschool = Code(sch, "学前教育");
    c.sch_primary = Code(sch, "小学");
    c.sch_college = Code(sch, "大专及以上");
    c.sch_junior = {Code(sch, "七年级"), Code(sch, "八年级"), Code(sch, "九年级")};
    c.sch_senior = {Code(sch, "高中一年级"), Code(sch, "高中二年级"), Code(sch, "高中三年级")};
    c.sch_vocational = {Code(sch, "中职一年级"), Code(sch, "中职二年级"), Code(sch, "中职三年级")};
    c.sch_higher_vocational = {Code(sch, "高职一年级"), Code(sch, "高职二年级"), Code(sch, "高职三年级")};
    c.healthy = codes::kHealthHealthy;
    c.chronic = codes::kHealthChronic;
    c.serious = codes::kHealthSerious;
    c.disabled = codes::kHealthDisabled;
    c.ordinary = codes::kLabourOrdinary;
    c.skilled = codes::kLabourSkilled;
    c.lost = codes::kLabourLost;
    c.no_labour = codes::kLabourNone;
    const CodeTable& mig = codes::MigrantWork();
    c.migrant = {Code(mig, "乡(镇)内务工"), Code(mig, "乡(镇)外县内务工"), Code(mig, "县外省内务工"),
                 Code(mig, "省外务工"), Code(mig, "其他")};
    c.ordinary_household = codes::kAttributeOrdinary;
    c.dibao = codes::kAttributeDibao;
    c.wubao = codes::kAttributeWubao;
    c.national_standard = Code(codes::IdentificationStandard(), "国家标准");
    const CodeTable& cause = codes::Cause();
    c.illness = codes::kCauseIllness;
    c.disability = codes::kCauseDisability;
    c.schooling = codes::kCauseSchooling;
    c.disaster = Code(cause, "因灾");
    c.land = Code(cause, "缺土地");
    c.water = Code(cause, "缺水");
    c.skills = Code(cause, "缺技术");
    c.labour = Code(cause, "缺劳力");
    c.capital = Code(cause, "缺资金");
    c.transport = Code(cause, "交通条件落后");
    c.drive = Code(cause, "自身发展动力不足");
    return c;
}

// ---------------------------------------------------------------------------------------------
// The set of ID numbers handed out, one bit per (address code, birth day, sequence): 2 × ~38,000
// days × 1000 sequences ≈ 9.6 MB whatever the registry's size, and a lookup is one bit test.
class UsedIds {
  public:
    UsedIds(long first_day, long last_day)
        : first_day_(first_day), days_(last_day - first_day + 1), bits_((2 * days_ * 1000 + 63) / 64, 0) {}

    long first_day() const { return first_day_; }
    long last_day() const { return first_day_ + days_ - 1; }

    // Marks the number as used; false when it already was.
    bool Claim(int address, long day, int sequence) {
        const uint64_t i = (static_cast<uint64_t>(address * days_ + (day - first_day_))) * 1000 + sequence;
        uint64_t& word = bits_[i >> 6];
        const uint64_t bit = uint64_t{1} << (i & 63);
        if (word & bit) return false;
        word |= bit;
        return true;
    }

  private:
    long first_day_;
    long days_;
    std::vector<uint64_t> bits_;
};

// ---------------------------------------------------------------------------------------------
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

std::optional<Stage> StageOfPlanId(std::string_view id) {
    if (id == "kindergarten") return kStageKindergarten;
    if (id == "primary") return kStagePrimary;
    if (id == "junior") return kStageJunior;
    if (id == "senior") return kStageSenior;
    // 两后生 (left after junior or senior school) are reached through vocational training.
    if (id == "vocational" || id == "two_after") return kStageVocational;
    if (id == "university" || id == "postgraduate") return kStageUniversity;
    return std::nullopt;
}

// Largest-remainder apportionment of `total` over `weights`.
std::vector<int> Apportion(int64_t total, std::span<const double> weights) {
    const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
    std::vector<int> out(weights.size(), 0);
    std::vector<std::pair<double, size_t>> remainders;
    int64_t given = 0;
    for (size_t i = 0; i < weights.size(); ++i) {
        const double exact = sum > 0 ? static_cast<double>(total) * weights[i] / sum : 0;
        out[i] = static_cast<int>(std::floor(exact));
        given += out[i];
        remainders.emplace_back(exact - out[i], i);
    }
    // Ties go to the earlier index, so the result does not depend on the sort's stability.
    std::ranges::sort(remainders, [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    for (size_t k = 0; given < total && k < remainders.size(); ++k, ++given) ++out[remainders[k].second];
    return out;
}

int Digits(int64_t n) {
    int d = 1;
    while (n >= 10) {
        n /= 10;
        ++d;
    }
    return d;
}

class GeneratorImpl final : public Generator {
  public:
    GeneratorImpl(const Plan& plan, const GeneratorOptions& options, std::string county_code)
        : options_(options),
          codes_(ResolveCodes()),
          rng_(options.seed),
          county_code_(std::move(county_code)),
          used_(Date{options.as_of.year - 105, 1, 1}.DaysSinceEpoch(), options.as_of.DaysSinceEpoch()) {
        for (const FormerCode& f : kFormerCodes)
            if (f.current == county_code_) former_code_ = std::string(f.former);
        poverty_line_ = plan.PovertyLine(options.as_of.year);
        for (int year = plan.start_year; year > 0 && year <= std::max(plan.end_year, options.as_of.year);
             ++year)
            if (auto line = plan.PovertyLine(year)) exit_lines_[year] = *line;
        for (const PlanMeasure& m : plan.measures) {
            if (m.number < 1 || m.number > kMaxMeasure) continue;
            measures_.push_back({m.number, m.target_households.has_value(), m.target_households.value_or(0),
                                 m.target_persons, m.beneficiaries});
            // The first measure of each kind of beneficiaries is the one whose count is made exact.
            const auto kind = static_cast<size_t>(m.beneficiaries);
            if (!reach_measure_[kind]) reach_measure_[kind] = m;
        }
        // Ages are recomputed on every report date while the rest of a person is recorded once, so
        // counted able adults stay of working age from the plan's first year to the later of the
        // year after its last and the as-of year: reports dated anywhere in it count the same.
        window_first_ = {
            std::min(plan.start_year > 0 ? plan.start_year : options.as_of.year, options.as_of.year), 1, 1};
        window_last_ = {std::max(plan.end_year + 1, options.as_of.year), 12, 31};
        for (const PlanPairingQuota& q : plan.pairing_quotas)
            if (q.households > 0) pairing_quotas_.push_back(q.households);
        if (pairing_quotas_.empty()) pairing_quotas_ = {1, 2, 3};
    }

    bool Next(Household& out) override;
    int64_t total_households() const override { return total_; }

    // Setup, called by Create.
    Result<bool> SetUpMatch(const Plan& plan, const OrgTree& tree, std::vector<Village> villages);
    void SetUpSpread(const Plan& plan, std::vector<Village> villages, int64_t households);

  private:
    bool HasUntargeted(int number) const {
        for (const MeasureInfo& m : measures_)
            if (m.number == number) return !m.targeted;
        return false;
    }
    void Fill(Household& out, const Village& village, int64_t sequence, int width, int year, int size,
              uint32_t measures);
    void SetCode(Household& h, const Village& village, int64_t sequence, int width);
    void DrawMembers(Household& h, const Village& village, int size, const Needs& needs, int& able_index);
    void ApplyNeeds(Household& h, const Needs& needs, int able_index);
    void Finish(Household& h, int year, uint32_t measures, const Needs& needs, const Spec* spec);
    Needs NeedsOf(uint32_t measures) const;
    int MeasureOfKind(Beneficiaries kind) const;

    // Match mode.
    std::vector<int> DrawHouseholds(int count, std::optional<int64_t> persons);
    void GiveEveryHouseholdAMeasure();
    void SpreadReach(Beneficiaries kind, int Reach::*field);
    void PlanExits();
    void DrawMatchedMembers(size_t index, Reach& carried);
    int Conform(Household& h, Spec& spec, const Needs& needs, int able_index);
    void MatchStudents();
    void MakeWorker(Person& p, int age);
    int MakeNonWorker(Person& p, int age);
    void Relabour(Person& p, int age, bool may_work);
    void Enrol(Person& p, Stage stage, int age);
    void Unenrol(Person& p, int age);
    std::optional<Stage> StageOf(int schooling) const;
    void BuildFamily(int size, const Needs& needs, int& able_index);
    void FillPerson(Person& p, const Draft& d, int ethnicity, bool han_name, std::string_view surname);
    void SetSchoolingAndEducation(Person& p, int age);
    void SetLabour(Person& p, int age);
    void SetMigrant(Person& p);
    int NonStudentEducation(int age);
    void AssignId(Person& p, double age);
    void TibetanName(std::string& out, int sex);
    void HanGiven(std::string& out, int sex);
    void CadreName(std::string& out);
    void ChildAges(double mother_age, int count, double* ages);
    void AddChildren(double mother_age, int count, int son_relation, int daughter_relation);

    GeneratorOptions options_;
    Codes codes_;
    Rng rng_;
    std::string county_code_;
    std::string former_code_;
    UsedIds used_;
    std::optional<int64_t> poverty_line_;
    std::map<int, int64_t> exit_lines_;  // year → the line an exit in that year is checked against
    std::vector<MeasureInfo> measures_;
    // By Beneficiaries: the measure whose person target counts that kind of member.
    std::array<std::optional<PlanMeasure>, kBeneficiaryKinds> reach_measure_;
    Date window_first_;
    Date window_last_;
    std::vector<int> pairing_quotas_;

    std::vector<Village> villages_;
    int64_t total_ = 0;
    int64_t produced_ = 0;

    // Match mode: the specs in output order. Spread mode: households per village and the draws.
    bool match_ = false;
    std::vector<Spec> specs_;
    std::vector<Household> drawn_;  // members of each spec, drawn in setup
    bool floor_chosen_ = false;     // the 低保/五保 households are specs' social_floor
    std::vector<int64_t> village_counts_;
    std::vector<int> years_;
    std::vector<double> year_weights_;
    std::vector<double> measure_probability_;  // by index into measures_

    // Position in the output.
    size_t village_ = 0;
    int64_t in_village_ = 0;

    // Pairing cadre of the village, kept for as many households as the cadre's quota.
    std::string cadre_;
    int cadre_left_ = 0;

    std::vector<Draft> drafts_;
};

// ---------------------------------------------------------------------------------------------
// Setup.

Result<bool> GeneratorImpl::SetUpMatch(const Plan& plan, const OrgTree& tree, std::vector<Village> villages) {
    match_ = true;
    const int64_t households = plan.target_households;
    const int64_t persons = plan.target_persons;
    if (households < 1 || persons < households || persons > households * kMaxSize)
        return Fail("generator.plan", "target_households", "计划户数与人数无法匹配(每户1至10人)",
                    "the plan's households and persons cannot be matched (1 to 10 persons a household)");

    struct Cell {
        int township;
        int year;
        int persons;
    };
    std::vector<Cell> cells;
    std::vector<const PlanTownship*> townships;
    for (const PlanTownship& t : plan.townships) townships.push_back(&t);
    std::ranges::sort(townships, {}, &PlanTownship::code);
    int64_t sum = 0;
    for (size_t t = 0; t < townships.size(); ++t)
        for (auto [year, target] : townships[t]->exit_targets)
            if (target > 0) {
                cells.push_back({static_cast<int>(t), year, target});
                sum += target;
            }
    if (sum != persons)
        return Fail("generator.plan", "target_persons",
                    "各乡镇年度目标之和(" + std::to_string(sum) + ")与计划人数(" + std::to_string(persons) +
                        ")不一致",
                    "the townships' yearly targets add up to " + std::to_string(sum) + ", not the plan's " +
                        std::to_string(persons) + " persons");

    // Households per cell in proportion to its persons, then moved between cells until every cell
    // can hold its persons at 1..10 a household.
    std::vector<double> weights;
    for (const Cell& c : cells) weights.push_back(c.persons);
    std::vector<int> cell_households = Apportion(households, weights);
    auto low = [&](size_t i) { return (cells[i].persons + kMaxSize - 1) / kMaxSize; };
    for (bool moved = true; moved;) {
        moved = false;
        for (size_t i = 0; i < cells.size(); ++i) {
            const bool too_few = cell_households[i] < low(i);
            const bool too_many = cell_households[i] > cells[i].persons;
            if (!too_few && !too_many) continue;
            for (size_t j = 0; j < cells.size(); ++j) {
                if (j == i) continue;
                if (too_few && cell_households[j] > low(j)) {
                    --cell_households[j];
                    ++cell_households[i];
                    moved = true;
                    break;
                }
                if (too_many && cell_households[j] < cells[j].persons) {
                    ++cell_households[j];
                    --cell_households[i];
                    moved = true;
                    break;
                }
            }
        }
    }

    // Sizes per cell: an even split, then pairwise transfers of one person accepted with the
    // Metropolis rule for kSizeWeights, so the sizes follow a realistic spread while their sum
    // stays exactly the cell's persons.
    std::vector<std::vector<Spec>> by_township(townships.size());
    for (size_t c = 0; c < cells.size(); ++c) {
        const int n = cell_households[c];
        if (n == 0) continue;
        std::vector<int> sizes(n, cells[c].persons / n);
        for (int i = 0; i < cells[c].persons % n; ++i) ++sizes[i];
        for (int step = 0; step < 40 * n && n > 1; ++step) {
            const auto i = rng_.Below(n), j = rng_.Below(n);
            if (i == j || sizes[i] <= 1 || sizes[j] >= kMaxSize) continue;
            const double ratio = kSizeWeights[sizes[i] - 1] * kSizeWeights[sizes[j] + 1] /
                                 (kSizeWeights[sizes[i]] * kSizeWeights[sizes[j]]);
            if (ratio >= 1 || rng_.Chance(ratio)) {
                --sizes[i];
                ++sizes[j];
            }
        }
        for (int s : sizes) by_township[cells[c].township].push_back({-1, cells[c].year, s, 0});
    }

    // Villages: each township's households shuffled and dealt out to its villages, in shares of
    // random weight so villages differ in size.
    for (size_t t = 0; t < townships.size(); ++t) {
        std::vector<int> local;
        for (size_t v = 0; v < villages.size(); ++v)
            if (OrgTree::Within(villages[v].code, townships[t]->code) &&
                tree.Find(villages[v].code)->parent_code == townships[t]->code)
                local.push_back(static_cast<int>(v));
        if (local.empty())
            return Fail("generator.no_villages", townships[t]->code,
                        "乡镇 " + townships[t]->code + " 在计划年度没有可用的村",
                        "township " + townships[t]->code + " has no village valid in the plan's years");
        std::vector<Spec>& list = by_township[t];
        for (size_t i = list.size(); i > 1; --i) std::swap(list[i - 1], list[rng_.Below(i)]);
        std::vector<double> shares;
        for (size_t k = 0; k < local.size(); ++k) shares.push_back(rng_.Uniform(0.5, 1.5));
        const std::vector<int> counts = Apportion(static_cast<int64_t>(list.size()), shares);
        size_t next = 0;
        for (size_t k = 0; k < local.size(); ++k)
            for (int i = 0; i < counts[k]; ++i) list[next++].village = local[k];
    }
    villages_ = std::move(villages);
    for (auto& list : by_township) specs_.insert(specs_.end(), list.begin(), list.end());
    // Township lists are in township-code order and dealt in village-code order, so a stable sort
    // by village keeps each village's shuffled order while grouping the output by village code.
    std::ranges::stable_sort(specs_, [&](const Spec& a, const Spec& b) {
        return villages_[a.village].code < villages_[b.village].code;
    });
    village_counts_.assign(villages_.size(), 0);
    for (const Spec& s : specs_) ++village_counts_[s.village];

    // Targeted measures: exactly `target` households each, drawn at random; a measure that reaches
    // whole households also reaches exactly its persons, through the sizes of the households drawn.
    const int n = static_cast<int>(specs_.size());
    int64_t slots = 0;
    for (const MeasureInfo& m : measures_) {
        if (!m.targeted) continue;
        if (m.target > n)
            return Fail(
                "generator.plan", "measures." + std::to_string(m.number),
                "措施 " + std::to_string(m.number) + " 的目标户数超过计划户数",
                "measure " + std::to_string(m.number) + "'s household target exceeds the plan's households");
        std::optional<int64_t> reach;
        if (m.beneficiaries == Beneficiaries::kHousehold && m.target_persons) reach = *m.target_persons;
        for (int i : DrawHouseholds(m.target, reach)) specs_[i].measures |= Bit(m.number);
        slots += m.target;
    }
    // 社保兜底 without a household target goes with the 低保 and 五保 households. With a person
    // target, those households are chosen here, by size, so that their members add up to it;
    // without one, a household left without any other measure becomes 低保 when it is filled.
    floor_chosen_ = false;
    if (HasUntargeted(kMeasureSocialFloor)) {
        for (const MeasureInfo& m : measures_) {
            if (m.number != kMeasureSocialFloor || m.beneficiaries != Beneficiaries::kHousehold ||
                !m.target_persons || *m.target_persons <= 0)
                continue;
            const int64_t reach = std::min<int64_t>(*m.target_persons, persons);
            const int count = std::clamp(
                static_cast<int>(std::llround(static_cast<double>(reach) * static_cast<double>(n) / persons)),
                1, n);
            for (int i : DrawHouseholds(count, reach)) specs_[i].social_floor = true;
            floor_chosen_ = true;
        }
    } else if (slots < n) {
        return Fail("generator.plan", "measures", "措施目标户数之和不足以使每户都有帮扶措施",
                    "the measures' household targets are too few to give every household a measure");
    }
    if (floor_chosen_ || !HasUntargeted(kMeasureSocialFloor)) GiveEveryHouseholdAMeasure();

    // Members reached by the person-level measures, household by household. Able adults first:
    // a household's migrant workers are among them when it has both measures.
    SpreadReach(Beneficiaries::kAbleAdults, &Reach::able_adults);
    SpreadReach(Beneficiaries::kMigrantWorkers, &Reach::migrants);
    SpreadReach(Beneficiaries::kIll, &Reach::ill);
    PlanExits();

    // Households whose measures reach more than one member each are drawn first: a family that
    // cannot have as many passes the rest on to a household drawn after it.
    drawn_.resize(specs_.size());
    std::vector<size_t> draw_order;
    auto several = [](const Spec& s) {
        return s.reach.able_adults > 1 || s.reach.migrants > 1 || s.reach.ill > 1;
    };
    for (size_t i = 0; i < specs_.size(); ++i)
        if (several(specs_[i])) draw_order.push_back(i);
    for (size_t i = 0; i < specs_.size(); ++i)
        if (!several(specs_[i])) draw_order.push_back(i);
    Reach carried;
    for (size_t i : draw_order) DrawMatchedMembers(i, carried);
    MatchStudents();
    total_ = n;
    return true;
}

std::vector<int> GeneratorImpl::DrawHouseholds(int count, std::optional<int64_t> persons) {
    const int n = static_cast<int>(specs_.size());
    std::vector<int> order(n);
    std::iota(order.begin(), order.end(), 0);
    for (int i = 0; i < count; ++i) std::swap(order[i], order[i + rng_.Below(n - i)]);
    if (!persons) {
        order.resize(count);
        return order;
    }
    // Then one drawn household at a time is swapped for one not drawn whose size differs by as
    // little as closes the gap (one person where possible, so the sizes drawn stay typical), until
    // the sizes add up to `persons` or no swap gets closer.
    std::array<std::vector<int>, kMaxSize + 1> in, out;
    int64_t sum = 0;
    for (int i = 0; i < n; ++i) {
        const int size = specs_[order[i]].size;
        (i < count ? in : out)[size].push_back(order[i]);
        if (i < count) sum += size;
    }
    auto take = [&](std::vector<int>& list) {
        const size_t k = rng_.Below(list.size());
        const int taken = list[k];
        list[k] = list.back();
        list.pop_back();
        return taken;
    };
    while (sum != *persons) {
        const int64_t gap = *persons - sum;
        const int sign = gap > 0 ? 1 : -1;
        const int max_step = static_cast<int>(std::min<int64_t>(gap * sign, kMaxSize - 1));
        bool moved = false;
        for (int step = 1; step <= max_step && !moved; ++step) {
            int feasible[kMaxSize + 1];
            int options = 0;
            for (int a = 1; a <= kMaxSize; ++a) {
                const int b = a + sign * step;
                if (b >= 1 && b <= kMaxSize && !in[a].empty() && !out[b].empty()) feasible[options++] = a;
            }
            if (options == 0) continue;
            const int a = feasible[rng_.Below(options)];
            const int b = a + sign * step;
            const int leaving = take(in[a]);
            const int joining = take(out[b]);
            out[a].push_back(leaving);
            in[b].push_back(joining);
            sum += sign * step;
            moved = true;
        }
        if (!moved) break;
    }
    std::vector<int> chosen;
    for (const std::vector<int>& list : in) chosen.insert(chosen.end(), list.begin(), list.end());
    return chosen;
}

void GeneratorImpl::GiveEveryHouseholdAMeasure() {
    // A household without any measure takes one from a household of the same size that has two or
    // more (a 低保/五保 household's 社保兜底 counting as one), so every measure keeps its household
    // count and the sum of its sizes. Only when no household of that size can give does one of
    // another size, which moves that measure's persons off by the difference.
    auto units = [&](const Spec& s) { return std::popcount(s.measures) + (s.social_floor ? 1 : 0); };
    std::array<std::vector<int>, kMaxSize + 1> same_size;
    std::vector<int> any_size;
    for (size_t i = 0; i < specs_.size(); ++i)
        if (units(specs_[i]) >= 2) {
            same_size[specs_[i].size].push_back(static_cast<int>(i));
            any_size.push_back(static_cast<int>(i));
        }
    auto give = [&](std::vector<int>& donors, Spec& receiver) {
        while (!donors.empty()) {
            const size_t k = rng_.Below(donors.size());
            Spec& donor = specs_[donors[k]];
            if (units(donor) < 2) {
                donors[k] = donors.back();
                donors.pop_back();
                continue;
            }
            // One of the donor's measures, chosen at random.
            int pick = static_cast<int>(rng_.Below(units(donor)));
            if (pick == std::popcount(donor.measures)) {
                donor.social_floor = false;
                receiver.social_floor = true;
                return true;
            }
            uint32_t bits = donor.measures;
            while (pick-- > 0) bits &= bits - 1;
            const uint32_t bit = bits & (0 - bits);
            donor.measures &= ~bit;
            receiver.measures |= bit;
            return true;
        }
        return false;
    };
    for (Spec& s : specs_)
        if (units(s) == 0 && !give(same_size[s.size], s)) give(any_size, s);
}

void GeneratorImpl::SpreadReach(Beneficiaries kind, int Reach::*field) {
    // One member in each household with the measure, and the rest of its person target one at a
    // time to households drawn at random that have room for another.
    const int number = MeasureOfKind(kind);
    if (number < 0) return;
    std::vector<int> holders;
    for (size_t i = 0; i < specs_.size(); ++i)
        if (specs_[i].measures & Bit(number)) {
            holders.push_back(static_cast<int>(i));
            specs_[i].reach.*field = 1;
        }
    int64_t extra =
        *reach_measure_[static_cast<size_t>(kind)]->target_persons - static_cast<int64_t>(holders.size());
    while (extra > 0 && !holders.empty()) {
        const size_t k = rng_.Below(holders.size());
        Spec& s = specs_[holders[k]];
        int room = std::min(s.size, kMaxReach);
        if (kind == Beneficiaries::kMigrantWorkers && s.reach.able_adults > 0)
            room = std::min(room, s.reach.able_adults);
        if (s.reach.*field >= room) {
            holders[k] = holders.back();
            holders.pop_back();
            continue;
        }
        ++(s.reach.*field);
        --extra;
    }
}

void GeneratorImpl::PlanExits() {
    // A household whose planned year has ended by the as-of date exited that year, but a few fell
    // back (返贫). Each of those is balanced by a household of the same township and size planned
    // for a year not yet ended (or two whose sizes add up to it) that exited early, in the fallen
    // back household's year: the persons exited through every ended year then still equal the
    // township's targets, and planned years, so planned exits, stay as they were. A township with
    // no such household left has no fallback.
    const Date& as_of = options_.as_of;
    const int last_ended = (as_of.month == 12 && as_of.day == 31) ? as_of.year : as_of.year - 1;
    for (Spec& s : specs_) {
        s.status = s.year <= last_ended ? codes::kStatusExited : codes::kStatusNotExited;
        s.exit_year.reset();
        if (s.year <= last_ended) s.exit_year = s.year;
    }
    auto township = [&](size_t i) {
        return std::string_view(villages_[specs_[i].village].code).substr(0, 9);
    };
    auto take = [&](std::vector<int>& list) {
        const size_t k = rng_.Below(list.size());
        const int taken = list[k];
        list[k] = list.back();
        list.pop_back();
        return taken;
    };
    // Specs are in village order, so each township's households are one run.
    for (size_t begin = 0, end = 0; begin < specs_.size(); begin = end) {
        while (end < specs_.size() && township(end) == township(begin)) ++end;
        std::array<std::vector<int>, kMaxSize + 1> later;  // by size
        for (size_t i = begin; i < end; ++i)
            if (specs_[i].year > last_ended) later[specs_[i].size].push_back(static_cast<int>(i));
        for (size_t i = begin; i < end; ++i) {
            Spec& s = specs_[i];
            if (s.year > last_ended || !rng_.Chance(kFallbackShare)) continue;
            int early[2];
            int count = 0;
            if (!later[s.size].empty()) {
                early[count++] = take(later[s.size]);
            } else {
                for (int a = 1; a <= s.size - a && count == 0; ++a) {
                    const int b = s.size - a;
                    if (a == b ? later[a].size() >= 2 : !later[a].empty() && !later[b].empty()) {
                        early[count++] = take(later[a]);
                        early[count++] = take(later[b]);
                    }
                }
            }
            if (count == 0) continue;
            s.status = codes::kStatusFallback;
            s.exit_year.reset();
            for (int k = 0; k < count; ++k) {
                specs_[early[k]].status = codes::kStatusExited;
                specs_[early[k]].exit_year = s.year;
            }
        }
    }
}

void GeneratorImpl::DrawMatchedMembers(size_t index, Reach& carried) {
    // Families are drawn until one meets the exact counts its measures ask without changing anyone
    // (or the attempts run out and the one that needed the fewest changes is kept): what the
    // measures need shapes the family rather than being forced onto a family that does not fit.
    Spec& spec = specs_[index];
    const Needs needs = NeedsOf(spec.measures);
    const Village& village = villages_[spec.village];
    // First one more of what earlier households passed on, where this one has room.
    const int room = std::min(spec.size, kMaxReach);
    auto take = [&](int& count, int& pending, int limit) {
        if (pending > 0 && count > 0 && count < limit) {
            ++count;
            --pending;
        }
    };
    take(spec.reach.able_adults, carried.able_adults, room);
    take(spec.reach.migrants, carried.migrants,
         spec.reach.able_adults > 0 ? std::min(room, spec.reach.able_adults) : room);
    take(spec.reach.ill, carried.ill, room);

    Household& kept = drawn_[index];
    Household trial;
    int kept_cost = -1;
    while (true) {
        for (int attempt = 0; attempt < kFamilyAttempts && kept_cost != 0; ++attempt) {
            int able_index = -1;
            DrawMembers(trial, village, spec.size, needs, able_index);
            Spec trial_spec = spec;
            const int cost = Conform(trial, trial_spec, needs, able_index);
            if (cost < 0 || (kept_cost >= 0 && cost >= kept_cost)) continue;
            std::swap(kept.members, trial.members);
            spec.locked = trial_spec.locked;
            spec.counted_able = trial_spec.counted_able;
            kept_cost = cost;
        }
        if (kept_cost >= 0) return;
        // No family drawn had room for so many: one fewer of each count above one, passed on.
        auto pass_on = [](int& count, int& pending) {
            if (count <= 1) return false;
            --count;
            ++pending;
            return true;
        };
        bool fewer = pass_on(spec.reach.able_adults, carried.able_adults);
        if (spec.reach.migrants > 0 && spec.reach.able_adults > 0 &&
            spec.reach.migrants > spec.reach.able_adults) {
            --spec.reach.migrants;
            ++carried.migrants;
        }
        fewer = pass_on(spec.reach.migrants, carried.migrants) || fewer;
        fewer = pass_on(spec.reach.ill, carried.ill) || fewer;
        if (!fewer) break;
    }
    // No family fitted even one of each: one with the measures' needs met as in spread mode, its
    // schooling left alone. Reports will show the difference from the targets.
    int able_index = -1;
    DrawMembers(kept, village, spec.size, needs, able_index);
    ApplyNeeds(kept, needs, able_index);
    spec.locked = ~0u;
    spec.counted_able = true;
}

int GeneratorImpl::Conform(Household& h, Spec& spec, const Needs& needs, int able_index) {
    // Returns how many members had to be put to work, made ill or put in school (0: the family
    // fitted as drawn), or -1 when this family cannot meet the counts.
    const Codes& c = codes_;
    const Date& as_of = options_.as_of;
    std::vector<Person>& m = h.members;
    const int n = static_cast<int>(m.size());
    int age[kMaxSize + 4];
    bool steady[kMaxSize + 4];   // of working age on every date of the window
    uint64_t key[kMaxSize + 4];  // ties between equally fit members go at random
    for (int i = 0; i < n; ++i) {
        age[i] = m[i].birth_date.AgeOn(as_of);
        steady[i] = m[i].birth_date.AgeOn(window_first_) >= kWorkingAgeMin &&
                    m[i].birth_date.AgeOn(window_last_) <= kWorkingAgeMax;
        key[i] = rng_.Next();
    }
    auto able = [&](int i) { return m[i].labour == c.ordinary || m[i].labour == c.skilled; };
    auto ill = [&](int i) {
        return m[i].health == c.chronic || m[i].health == c.serious || m[i].health == c.disabled;
    };
    auto sick = [&](int i) { return m[i].health == c.chronic || m[i].health == c.serious; };
    auto student = [&](int i) { return m[i].schooling != c.sch_none; };
    auto working_age = [&](int i) { return age[i] >= kWorkingAgeMin && age[i] <= kWorkingAgeMax; };
    uint32_t locked = 0;  // members whose being at work a count or a need rests on
    auto is_locked = [&](int i) { return ((locked >> i) & 1u) != 0; };
    int cost = 0;
    int order[kMaxSize + 4];

    // Able adults: when counted, exactly `able_adults` members steadily of working age work and
    // nobody else is able to; otherwise the household's worker, when a measure needs one.
    const bool counted = spec.reach.able_adults > 0;
    if (counted) {
        int candidates = 0;
        for (int i = 0; i < n; ++i)
            if (steady[i]) order[candidates++] = i;
        if (candidates < spec.reach.able_adults) return -1;
        auto rank = [&](int i) { return i == able_index ? 0 : able(i) ? 1 : 2; };
        std::sort(order, order + candidates,
                  [&](int a, int b) { return rank(a) != rank(b) ? rank(a) < rank(b) : key[a] < key[b]; });
        for (int k = 0; k < spec.reach.able_adults; ++k) {
            const int i = order[k];
            if (!able(i)) ++cost;
            MakeWorker(m[i], age[i]);
            locked |= 1u << i;
        }
        for (int i = 0; i < n; ++i)
            if (!is_locked(i) && able(i)) cost += MakeNonWorker(m[i], age[i]);
    } else if (needs.able && able_index >= 0) {
        MakeWorker(m[able_index], age[able_index]);
        m[able_index].health = c.healthy;
        locked |= 1u << able_index;
    }

    // Migrant workers: exactly `migrants` (at least one when only needed), among the counted able
    // adults when there are such, else among anyone able of working age.
    if (spec.reach.migrants > 0 || needs.migrant) {
        auto eligible = [&](int i) { return counted ? is_locked(i) : able(i) && working_age(i); };
        const int want = std::max(spec.reach.migrants, 1);
        int have = 0;
        for (int i = 0; i < n; ++i) have += eligible(i);
        if (!counted) {
            // Put to work first those of working age out of school and not ill, then the others.
            int candidates = 0;
            for (int i = 0; i < n; ++i)
                if (!able(i) && working_age(i)) order[candidates++] = i;
            auto rank = [&](int i) { return (student(i) ? 1 : 0) + (ill(i) ? 2 : 0); };
            std::sort(order, order + candidates,
                      [&](int a, int b) { return rank(a) != rank(b) ? rank(a) < rank(b) : key[a] < key[b]; });
            for (int k = 0; k < candidates && have < want; ++k, ++have, ++cost)
                MakeWorker(m[order[k]], age[order[k]]);
        }
        if (have < want) return -1;
        int candidates = 0;
        for (int i = 0; i < n; ++i)
            if (eligible(i)) order[candidates++] = i;
        auto rank = [&](int i) { return m[i].migrant_work ? 0 : 1; };
        std::sort(order, order + candidates,
                  [&](int a, int b) { return rank(a) != rank(b) ? rank(a) < rank(b) : key[a] < key[b]; });
        if (spec.reach.migrants > 0) {
            for (int i = 0; i < n; ++i)
                if (m[i].migrant_work) {
                    m[i].migrant_work.reset();
                    m[i].months_worked.reset();
                }
        }
        for (int k = 0; k < want; ++k)
            if (!m[order[k]].migrant_work) SetMigrant(m[order[k]]);
        for (int i = 0; i < n; ++i)
            if (m[i].migrant_work) locked |= 1u << i;
    }

    // Ill members: exactly `ill` (at least one when only needed), at least one of them chronically
    // or seriously ill. Those whose work a count rests on may only have a chronic illness, which
    // many work with.
    if (spec.reach.ill > 0 || needs.ill) {
        const int low = std::max(spec.reach.ill, 1);
        const int high = spec.reach.ill > 0 ? spec.reach.ill : n;
        int count = 0;
        for (int i = 0; i < n; ++i) count += ill(i);
        while (count < low) {
            // The oldest not yet ill, those whose work nothing rests on first.
            int pick = -1;
            for (int i = 0; i < n; ++i) {
                if (ill(i)) continue;
                if (pick < 0 || is_locked(i) < is_locked(pick) ||
                    (is_locked(i) == is_locked(pick) && age[i] > age[pick]))
                    pick = i;
            }
            if (pick < 0) return -1;
            if (is_locked(pick)) {
                m[pick].health = c.chronic;
            } else {
                static constexpr std::array<double, 3> kIllness = {0.65, 0.2, 0.15};
                const int kinds[] = {c.chronic, c.serious, c.disabled};
                m[pick].health = kinds[rng_.Weighted(kIllness)];
                Relabour(m[pick], age[pick], !counted);
            }
            ++count;
        }
        while (count > high) {
            // Heal someone whose health decides nothing else: a child, an elder, a student, one who
            // works anyway, or any adult where able adults are not counted.
            int pick = -1;
            for (int i = 0; i < n; ++i) {
                if (!ill(i)) continue;
                if (!(is_locked(i) || !working_age(i) || student(i) || !counted)) continue;
                if (pick < 0 || key[i] < key[pick]) pick = i;
            }
            if (pick < 0) return -1;
            m[pick].health = c.healthy;
            if (!is_locked(pick)) Relabour(m[pick], age[pick], !counted);
            --count;
        }
        bool any_sick = false;
        for (int i = 0; i < n; ++i) any_sick = any_sick || sick(i);
        if (!any_sick) {
            // Only disabled members are left: one of them is chronically ill instead (unable to
            // work either way).
            for (int i = 0; i < n && !any_sick; ++i)
                if (m[i].health == c.disabled && !is_locked(i)) {
                    m[i].health = c.chronic;
                    any_sick = true;
                }
            if (!any_sick) return -1;
        }
    }

    // The counts as the reports count them, on every date they may be dated in the window.
    auto beneficiaries = [&](Beneficiaries kind, const Date& on) {
        return CountBeneficiaries(*reach_measure_[static_cast<size_t>(kind)], h, on);
    };
    if (counted)
        for (const Date& on : {window_first_, as_of, window_last_})
            if (beneficiaries(Beneficiaries::kAbleAdults, on) != spec.reach.able_adults) return -1;
    if (spec.reach.migrants > 0 &&
        beneficiaries(Beneficiaries::kMigrantWorkers, as_of) != spec.reach.migrants)
        return -1;
    if (spec.reach.ill > 0 && beneficiaries(Beneficiaries::kIll, as_of) != spec.reach.ill) return -1;
    bool able_adult = false, any_sick = false, any_migrant = false;
    for (int i = 0; i < n; ++i) {
        if (m[i].migrant_work && !able(i)) return -1;
        able_adult = able_adult || (able(i) && working_age(i));
        any_sick = any_sick || sick(i);
        any_migrant = any_migrant || m[i].migrant_work.has_value();
    }
    if ((needs.able && !able_adult) || (needs.ill && !any_sick) || (needs.migrant && !any_migrant)) return -1;
    spec.locked = locked;
    spec.counted_able = counted;
    return cost;
}

void GeneratorImpl::MakeWorker(Person& p, int age) {
    // Someone of working age put to work: out of school, and not seriously ill or disabled (a
    // chronic illness may stay; many work with one).
    const Codes& c = codes_;
    if (p.health == c.serious || p.health == c.disabled) p.health = c.healthy;
    if (p.schooling != c.sch_none) {
        p.schooling = c.sch_none;
        p.education = NonStudentEducation(age);
    }
    if (p.labour != c.ordinary && p.labour != c.skilled)
        p.labour = rng_.Chance(0.15) ? c.skilled : c.ordinary;
}

int GeneratorImpl::MakeNonWorker(Person& p, int age) {
    // Someone who must not count as able to work. Out of working age they simply do not work;
    // within it a healthy adult out of school would be able to, so they are in school or ill.
    // Returns 1 when that took a change beyond the labour code.
    const Codes& c = codes_;
    p.migrant_work.reset();
    p.months_worked.reset();
    if (age < kWorkingAgeMin || age > kWorkingAgeMax || p.schooling != c.sch_none) {
        Relabour(p, age, false);
        return 0;
    }
    int changed = 0;
    if (p.health == c.healthy) {
        changed = 1;
        if (age <= 22 && rng_.Chance(0.5)) {
            Enrol(p, age <= 18 ? (rng_.Chance(0.8) ? kStageSenior : kStageVocational) : kStageUniversity,
                  age);
            return changed;
        }
        static constexpr std::array<double, 3> kIllness = {0.5, 0.2, 0.3};
        const int kinds[] = {c.chronic, c.serious, c.disabled};
        p.health = kinds[rng_.Weighted(kIllness)];
    }
    Relabour(p, age, false);
    return changed;
}

void GeneratorImpl::Relabour(Person& p, int age, bool may_work) {
    // Labour after a change of health or schooling. `may_work` false: the household's able adults
    // are counted and this member is not one of them, so they must end unable.
    const Codes& c = codes_;
    if (may_work) {
        SetLabour(p, age);
    } else if (age < 16) {
        p.labour = c.no_labour;
    } else if (p.health == c.serious || p.health == c.disabled) {
        p.labour = c.lost;
    } else if (p.schooling != c.sch_none || age > kWorkingAgeMax) {
        p.labour = c.no_labour;
    } else {
        p.labour = c.lost;
    }
    if (p.labour != c.ordinary && p.labour != c.skilled) {
        p.migrant_work.reset();
        p.months_worked.reset();
    }
}

void GeneratorImpl::Enrol(Person& p, Stage stage, int age) {
    // In school at `stage`, in the grade the age fits, with the education that goes with it.
    const Codes& c = codes_;
    const int grade = std::clamp(age - 16, 0, 2);
    switch (stage) {
        case kStageKindergarten:
            p.schooling = c.sch_preschool;
            p.education = c.edu_preschool;
            break;
        case kStagePrimary:
            p.schooling = c.sch_primary;
            p.education = c.edu_primary;
            break;
        case kStageJunior:
            p.schooling = c.sch_junior[std::clamp(age - 13, 0, 2)];
            p.education = c.edu_junior;
            break;
        case kStageSenior:
            p.schooling = c.sch_senior[grade];
            p.education = c.edu_senior;
            break;
        case kStageVocational:
            p.schooling = c.sch_vocational[grade];
            p.education = c.edu_senior;
            break;
        case kStageUniversity:
            p.schooling =
                rng_.Chance(0.75) ? c.sch_college : c.sch_higher_vocational[std::clamp(age - 19, 0, 2)];
            p.education = c.edu_college;
            break;
    }
    if (age >= 16) Relabour(p, age, false);
}

void GeneratorImpl::Unenrol(Person& p, int age) {
    // Out of school: a young child is simply not in kindergarten; an older one has left school
    // with what they finished and works as their health allows.
    const Codes& c = codes_;
    p.schooling = c.sch_none;
    if (age <= 6) {
        p.education = c.edu_preschool;
        return;
    }
    p.education = NonStudentEducation(age);
    SetLabour(p, age);
}

std::optional<Stage> GeneratorImpl::StageOf(int schooling) const {
    const Codes& c = codes_;
    if (schooling == c.sch_preschool) return kStageKindergarten;
    if (schooling == c.sch_primary) return kStagePrimary;
    if (std::ranges::find(c.sch_junior, schooling) != c.sch_junior.end()) return kStageJunior;
    if (std::ranges::find(c.sch_senior, schooling) != c.sch_senior.end()) return kStageSenior;
    if (std::ranges::find(c.sch_vocational, schooling) != c.sch_vocational.end()) return kStageVocational;
    if (schooling == c.sch_college ||
        std::ranges::find(c.sch_higher_vocational, schooling) != c.sch_higher_vocational.end())
        return kStageUniversity;
    return std::nullopt;
}

void GeneratorImpl::MatchStudents() {
    // Everyone in school counts for the education measure, which has no household target, so its
    // person target is met over the whole registry: schooling changes where it decides nothing
    // else (children of 3 to 6; 16 to 22 year-olds whose work no count rests on), first towards
    // the plan's stages, then kindergarten takes up what is left of the total.
    const int number = MeasureOfKind(Beneficiaries::kStudents);
    if (number < 0 || !HasUntargeted(number)) return;
    const PlanMeasure& measure = *reach_measure_[static_cast<size_t>(Beneficiaries::kStudents)];
    const Date& as_of = options_.as_of;
    struct Ref {
        uint32_t household;
        uint32_t member;
        int age;
    };
    std::vector<Ref> movable;
    std::array<int64_t, kStageCount> count{};
    for (size_t h = 0; h < drawn_.size(); ++h)
        for (size_t i = 0; i < drawn_[h].members.size(); ++i) {
            const Person& p = drawn_[h].members[i];
            if (const auto stage = StageOf(p.schooling.value_or(codes_.sch_none))) ++count[*stage];
            const int age = p.birth_date.AgeOn(as_of);
            const bool free_age = (age >= 3 && age <= 6) || (age >= 16 && age <= 22);
            if (free_age && !((specs_[h].locked >> i) & 1u))
                movable.push_back({static_cast<uint32_t>(h), static_cast<uint32_t>(i), age});
        }
    for (size_t i = movable.size(); i > 1; --i) std::swap(movable[i - 1], movable[rng_.Below(i)]);

    std::array<int64_t, kStageCount> target = count;
    if (!measure.stages.empty()) {
        std::array<int64_t, kStageCount> staged{};
        bool known = true;
        for (const PlanMeasureStage& s : measure.stages) {
            if (const auto stage = StageOfPlanId(s.id))
                staged[*stage] += s.persons;
            else
                known = false;
        }
        if (known) target = staged;
    }
    // Ages each stage may take or give up: primary only its youngest, who may still be in
    // kindergarten; junior only those a year or two behind.
    auto fits = [](Stage stage, int age) {
        switch (stage) {
            case kStageKindergarten:
                return age >= 3 && age <= 6;
            case kStagePrimary:
                return age == 6;
            case kStageJunior:
                return age >= 16 && age <= 17;
            case kStageSenior:
                return age >= 16 && age <= 19;
            case kStageVocational:
                return age >= 16 && age <= 20;
            case kStageUniversity:
                return age >= 18 && age <= 22;
        }
        return false;
    };
    auto person = [&](const Ref& r) -> Person& { return drawn_[r.household].members[r.member]; };
    auto add = [&](Stage stage) {
        for (const Ref& r : movable) {
            Person& p = person(r);
            const auto now = StageOf(*p.schooling);
            const bool promoted = stage == kStagePrimary && now == kStageKindergarten;
            if ((now && !promoted) || !fits(stage, r.age)) continue;
            if (now) --count[*now];
            Enrol(p, stage, r.age);
            ++count[stage];
            return true;
        }
        return false;
    };
    auto remove = [&](Stage stage) {
        for (const Ref& r : movable) {
            Person& p = person(r);
            // Leaving school makes a healthy adult able to work, which would change a household's
            // counted able adults.
            if (StageOf(*p.schooling) != stage || !fits(stage, r.age) ||
                (r.age >= 16 && specs_[r.household].counted_able))
                continue;
            Unenrol(p, r.age);
            --count[stage];
            return true;
        }
        return false;
    };
    for (Stage stage : {kStageUniversity, kStageVocational, kStageSenior, kStageJunior, kStagePrimary}) {
        while (count[stage] < target[stage] && add(stage)) {
        }
        while (count[stage] > target[stage] && remove(stage)) {
        }
    }
    int64_t sum = 0;
    for (int64_t n : count) sum += n;
    const int64_t total = *measure.target_persons;
    while (sum < total && (add(kStageKindergarten) || add(kStageUniversity) || add(kStageSenior) ||
                           add(kStageVocational) || add(kStagePrimary)))
        sum = std::accumulate(count.begin(), count.end(), int64_t{0});
    while (sum > total && (remove(kStageKindergarten) || remove(kStagePrimary) || remove(kStageUniversity) ||
                           remove(kStageSenior) || remove(kStageVocational) || remove(kStageJunior)))
        sum = std::accumulate(count.begin(), count.end(), int64_t{0});
}

Needs GeneratorImpl::NeedsOf(uint32_t measures) const {
    Needs needs;
    needs.able = (measures & kNeedsAbleMask) != 0;
    needs.ill = (measures & Bit(kMeasureMedical)) != 0;
    needs.migrant = (measures & Bit(kMeasureEmployment)) != 0;
    // The plan says whom a measure reaches; a measure reaching members of a kind needs one.
    for (const MeasureInfo& m : measures_) {
        if (!(measures & Bit(m.number))) continue;
        needs.ill = needs.ill || m.beneficiaries == Beneficiaries::kIll;
        needs.migrant = needs.migrant || m.beneficiaries == Beneficiaries::kMigrantWorkers;
        needs.able = needs.able || m.beneficiaries == Beneficiaries::kMigrantWorkers ||
                     m.beneficiaries == Beneficiaries::kAbleAdults;
    }
    return needs;
}

int GeneratorImpl::MeasureOfKind(Beneficiaries kind) const {
    // The measure whose person target counts members of `kind`, or -1 when none has one.
    const auto& m = reach_measure_[static_cast<size_t>(kind)];
    return m && m->target_persons ? m->number : -1;
}

void GeneratorImpl::SetUpSpread(const Plan& plan, std::vector<Village> villages, int64_t households) {
    villages_ = std::move(villages);
    total_ = households;
    // Villages differ in size: a random weight each, then one weighted draw per household.
    std::vector<double> cumulative;
    double sum = 0;
    for (size_t v = 0; v < villages_.size(); ++v) cumulative.push_back(sum += rng_.Uniform(0.5, 1.5));
    village_counts_.assign(villages_.size(), 0);
    for (int64_t i = 0; i < households; ++i) {
        const double r = rng_.Unit() * sum;
        const size_t v = std::ranges::upper_bound(cumulative, r) - cumulative.begin();
        ++village_counts_[std::min(v, villages_.size() - 1)];
    }
    // Planned exit years weighted by the plan's yearly targets (evenly when it has none).
    years_ = plan.years();
    if (plan.start_year <= 0 || years_.empty()) years_ = {options_.as_of.year};
    for (int y : years_) year_weights_.push_back(plan.ExitTarget(y));
    if (std::ranges::all_of(year_weights_, [](double w) { return w <= 0; }))
        std::ranges::fill(year_weights_, 1.0);
    // Each targeted measure with the plan's share of households.
    for (const MeasureInfo& m : measures_) {
        double p = 0;
        if (m.targeted)
            p = plan.target_households > 0 ? static_cast<double>(m.target) / plan.target_households : 0.3;
        measure_probability_.push_back(std::clamp(p, 0.0, 0.95));
    }
}

// ---------------------------------------------------------------------------------------------
// Households.

bool GeneratorImpl::Next(Household& out) {
    if (produced_ >= total_) return false;
    while (in_village_ >= village_counts_[village_]) {
        ++village_;
        in_village_ = 0;
        cadre_left_ = 0;  // cadres pair within one village
    }
    const Village& village = villages_[village_];
    const int width = std::max(4, Digits(village_counts_[village_]));
    ++in_village_;
    if (match_) {
        // The members were drawn in setup; the rest of the household is filled as it goes out.
        const Spec& s = specs_[produced_];
        out.members = std::move(drawn_[produced_].members);
        SetCode(out, village, in_village_, width);
        Finish(out, s.year, s.measures, NeedsOf(s.measures), &s);
    } else {
        const int year = years_[rng_.Weighted(year_weights_)];
        const int size = static_cast<int>(rng_.Weighted(kSizeWeights));
        uint32_t measures = 0;
        for (size_t i = 0; i < measures_.size(); ++i)
            if (measures_[i].targeted && rng_.Chance(measure_probability_[i]))
                measures |= Bit(measures_[i].number);
        Fill(out, village, in_village_, width, year, size, measures);
    }
    ++produced_;
    return true;
}

void GeneratorImpl::Fill(Household& h, const Village& village, int64_t sequence, int width, int year,
                         int size, uint32_t measures) {
    SetCode(h, village, sequence, width);
    Needs needs;
    needs.able = (measures & kNeedsAbleMask) != 0;
    needs.ill = (measures & Bit(kMeasureMedical)) != 0;
    needs.migrant = (measures & Bit(kMeasureEmployment)) != 0;
    int able_index = -1;
    DrawMembers(h, village, size, needs, able_index);
    ApplyNeeds(h, needs, able_index);
    Finish(h, year, measures, needs, nullptr);
}

void GeneratorImpl::SetCode(Household& h, const Village& village, int64_t sequence, int width) {
    // Household code: village code + zero-padded sequence.
    h.division_code.assign(village.code);
    h.household_code.assign(village.code);
    char digits[24];
    int len = 0;
    for (int64_t s = sequence; s > 0 || len == 0; s /= 10) digits[len++] = static_cast<char>('0' + s % 10);
    h.household_code.append(static_cast<size_t>(std::max(0, width - len)), '0');
    while (len > 0) h.household_code.push_back(digits[--len]);
}

void GeneratorImpl::DrawMembers(Household& h, const Village& village, int size, const Needs& needs,
                                int& able_index) {
    const Codes& c = codes_;
    // Family and its people.
    able_index = -1;
    BuildFamily(size, needs, able_index);

    int ethnicity = c.tibetan;
    const double r = rng_.Unit();
    switch (village.profile) {
        case kProfileChawalong:
            ethnicity = r < 0.04 ? c.han : r < 0.16 ? c.nu : r < 0.22 ? c.naxi : c.tibetan;
            break;
        case kProfileXiachayu:
            ethnicity = r < 0.08 ? c.han : r < 0.15 ? c.monba : r < 0.19 ? c.lhoba : c.tibetan;
            break;
        default:
            ethnicity = r < 0.08 ? c.han : c.tibetan;
    }
    const bool han = ethnicity == c.han;
    const auto surnames = names::HanSurnames();
    const std::string_view surname = surnames[rng_.Skewed(surnames.size())];

    h.members.resize(drafts_.size());
    for (size_t i = 0; i < drafts_.size(); ++i) {
        const Draft& d = drafts_[i];
        // Spouses and in-laws married in, and the head's mother, may be of another people; blood
        // relatives follow the head.
        const bool married_in = d.relation == c.spouse || d.relation == c.daughter_in_law ||
                                d.relation == c.son_in_law || d.relation == c.mother;
        int eth = ethnicity;
        if (married_in && rng_.Chance(han ? 0.4 : 0.2)) eth = c.tibetan;
        const bool own_surname = married_in;  // they keep their family's surname
        std::string_view sn = surname;
        if (own_surname) sn = surnames[rng_.Skewed(surnames.size())];
        FillPerson(h.members[i], d, eth, eth == c.han, sn);
    }
}

void GeneratorImpl::ApplyNeeds(Household& h, const Needs& needs, int able_index) {
    const Codes& c = codes_;
    const Date& as_of = options_.as_of;
    // Requirements of the measures, met by adjusting the people the measures are for.
    int64_t age_of[kMaxSize + 4];
    for (size_t i = 0; i < h.members.size(); ++i) age_of[i] = h.members[i].birth_date.AgeOn(as_of);
    if (needs.able && able_index >= 0) {
        Person& p = h.members[able_index];
        p.health = c.healthy;
        if (p.schooling != c.sch_none) {
            p.schooling = c.sch_none;
            p.education = NonStudentEducation(static_cast<int>(age_of[able_index]));
        }
        p.labour = rng_.Chance(0.15) ? c.skilled : c.ordinary;
    }
    if (needs.ill) {
        bool any = false;
        for (const Person& p : h.members) any = any || p.health == c.chronic || p.health == c.serious;
        if (!any) {
            // The oldest member other than the one the household's work rests on.
            int pick = -1;
            for (size_t i = 0; i < h.members.size(); ++i)
                if (static_cast<int>(i) != able_index && (pick < 0 || age_of[i] > age_of[pick]))
                    pick = static_cast<int>(i);
            if (pick < 0) {
                h.members[able_index].health = c.chronic;  // still works, as many with a chronic illness do
            } else {
                Person& p = h.members[pick];
                p.health = rng_.Chance(0.7) ? c.chronic : c.serious;
                SetLabour(p, static_cast<int>(age_of[pick]));
                if (p.labour != c.ordinary && p.labour != c.skilled) {
                    p.migrant_work.reset();
                    p.months_worked.reset();
                }
            }
        }
    }
    if (needs.migrant && able_index >= 0) {
        bool any = false;
        for (const Person& p : h.members) any = any || p.migrant_work.has_value();
        if (!any) SetMigrant(h.members[able_index]);
    }
}

void GeneratorImpl::Finish(Household& h, int year, uint32_t measures, const Needs& needs, const Spec* spec) {
    const Codes& c = codes_;
    const Date& as_of = options_.as_of;
    int64_t age_of[kMaxSize + 4];
    for (size_t i = 0; i < h.members.size(); ++i) age_of[i] = h.members[i].birth_date.AgeOn(as_of);

    // Facts about the members the household fields depend on.
    int able_16_65 = 0, able = 0;
    bool any_ill = false, any_disabled = false, any_student = false, any_pupil = false, any_college = false;
    bool all_dependent = true;  // everyone old, seriously ill or disabled
    for (size_t i = 0; i < h.members.size(); ++i) {
        const Person& p = h.members[i];
        const bool works = p.labour == c.ordinary || p.labour == c.skilled;
        if (works) ++able;
        if (works && age_of[i] >= 16 && age_of[i] <= 65) ++able_16_65;
        any_ill = any_ill || p.health == c.chronic || p.health == c.serious;
        any_disabled = any_disabled || p.health == c.disabled;
        any_student = any_student || p.schooling != c.sch_none;
        any_pupil = any_pupil || (p.schooling != c.sch_none && p.schooling != c.sch_preschool);
        any_college = any_college || p.schooling == c.sch_college;
        if (age_of[i] < 60 && p.health != c.serious && p.health != c.disabled) all_dependent = false;
    }
    const int n = static_cast<int>(h.members.size());

    // Attribute: 五保 only where nobody 16–65 can work and nobody supports the rest. When the
    // 低保/五保 households were chosen in setup (社保兜底's persons), only 五保 or 低保 is drawn here.
    h.attribute = c.ordinary_household;
    const double wubao = able_16_65 == 0 && !needs.able ? (n == 1          ? (age_of[0] >= 60 ? 0.5 : 0.3)
                                                           : all_dependent ? 0.25
                                                                           : 0.0)
                                                        : 0.0;
    if (floor_chosen_ && spec) {
        if (spec->social_floor) h.attribute = rng_.Chance(wubao) ? c.wubao : c.dibao;
    } else if (able_16_65 == 0 && !needs.able) {
        if (rng_.Chance(wubao))
            h.attribute = c.wubao;
        else if (rng_.Chance(0.6))
            h.attribute = c.dibao;
    } else if (rng_.Chance(0.2)) {
        h.attribute = c.dibao;
    }
    h.identification_standard = c.national_standard;

    // Measures: education for households with students, the social-security floor for 低保 and
    // 五保 households (those two have only person targets), the rest as planned.
    if (any_student && HasUntargeted(kMeasureEducation)) measures |= Bit(kMeasureEducation);
    if (measures == 0 && HasUntargeted(kMeasureSocialFloor) && h.attribute == c.ordinary_household)
        h.attribute = c.dibao;  // nothing else planned for it: it is carried by the floor
    if (h.attribute != c.ordinary_household && HasUntargeted(kMeasureSocialFloor))
        measures |= Bit(kMeasureSocialFloor);
    if (measures == 0 && !measures_.empty()) {
        // Only in spread mode, for a plan without an untargeted 社保兜底: a planned measure that asks
        // nothing of the members.
        constexpr uint32_t kAsksOfMembers = kNeedsAbleMask | Bit(kMeasureMedical) | Bit(kMeasureEducation);
        std::vector<int> free;
        for (const MeasureInfo& m : measures_)
            if (!(Bit(m.number) & kAsksOfMembers)) free.push_back(m.number);
        measures |= Bit(free.empty() ? measures_[rng_.Below(measures_.size())].number
                                     : free[rng_.Below(free.size())]);
    }
    h.aux_measures.clear();
    h.main_measure.reset();
    if (measures != 0) {
        std::array<double, kMaxMeasure + 1> w{};
        for (int m = 1; m <= kMaxMeasure; ++m) {
            if (!(measures & Bit(m))) continue;
            switch (m) {
                case kMeasureRelocation:
                    w[m] = 6;
                    break;
                case kMeasureSocialFloor:
                    w[m] = h.attribute == c.wubao ? 50 : 4;
                    break;
                case kMeasureMedical:
                    w[m] = 3;
                    break;
                case 1:
                    w[m] = 3;
                    break;
                case kMeasureEcology:
                    w[m] = 1.5;
                    break;
                case kMeasureEducation:
                    w[m] = 1.5;
                    break;
                case kMeasureCredit:
                    w[m] = 1;
                    break;
                default:
                    w[m] = 2;
            }
        }
        const int main = static_cast<int>(rng_.Weighted(w));
        h.main_measure = main;
        for (int m = 1; m <= kMaxMeasure; ++m)
            if ((measures & Bit(m)) && m != main) h.aux_measures.push_back(m);
    }

    // Years and status.
    h.identified_year = std::min(year, rng_.Chance(0.8) ? 2014 : 2015);
    h.planned_exit_year = year;
    const bool ended = year < as_of.year || (year == as_of.year && as_of.month == 12 && as_of.day == 31);
    h.exit_year.reset();
    h.status = codes::kStatusNotExited;
    if (spec) {
        h.status = spec->status;
        h.exit_year = spec->exit_year;
    } else if (ended) {
        if (rng_.Chance(kFallbackShare)) {
            h.status = codes::kStatusFallback;
        } else {
            h.status = codes::kStatusExited;
            h.exit_year = year;
        }
    }
    const bool exited = h.status == codes::kStatusExited;

    // Living conditions: an exited household meets the standard; relocation is for bad housing.
    if (exited) {
        h.dangerous_housing = false;
        h.safe_water = true;
        h.household_electricity = true;
    } else {
        h.dangerous_housing = rng_.Chance((measures & Bit(kMeasureRelocation)) ? 0.85 : 0.2);
        h.safe_water = rng_.Chance(0.7);
        h.household_electricity = rng_.Chance(0.9);
    }
    const double area = std::clamp(45.0 + 11.0 * n + rng_.Uniform(-15, 25), 40.0, 150.0);
    h.housing_area = static_cast<int64_t>(std::lround(area * 10)) * 10;

    // Income per head against the line of the as-of year: below it until exit, above after.
    if (poverty_line_) {
        // An early exit is checked against the line of its own year, which could be the higher.
        int64_t line_fen = *poverty_line_;
        if (exited && h.exit_year)
            if (auto it = exit_lines_.find(*h.exit_year); it != exit_lines_.end())
                line_fen = std::max(line_fen, it->second);
        const double line = static_cast<double>(line_fen);
        const double factor =
            exited ? 1.05 + 1.45 * std::pow(rng_.Unit(), 1.8) : 0.35 + 0.6 * std::pow(rng_.Unit(), 0.7);
        h.net_income_per_head = static_cast<Fen>(std::llround(line * factor));
    } else {
        h.net_income_per_head.reset();
    }
    // By the as-of day, about half of the households due to exit that year have reached the
    // standard already (income above the line, housing, water and electricity met): the year's exit
    // candidates. Chosen from the code, not the generator's stream, so every other draw is as before.
    if (h.status == codes::kStatusNotExited && h.planned_exit_year == options_.as_of.year && poverty_line_ &&
        OnTrack(h.household_code)) {
        h.dangerous_housing = false;
        h.safe_water = true;
        h.household_electricity = true;
        int64_t line_fen = *poverty_line_;
        for (const auto& [y, l] : exit_lines_)
            if (y >= options_.as_of.year) line_fen = std::max(line_fen, l);
        h.net_income_per_head = line_fen + line_fen / 20 + static_cast<Fen>(Fnv1a(h.household_code) % 60000);
    }

    // Causes consistent with the members and measures.
    std::array<double, 12> cause_weight{};
    std::array<int, 12> cause_code{};
    size_t nc = 0;
    auto add = [&](int code, double w) {
        cause_code[nc] = code;
        cause_weight[nc++] = w;
    };
    if (any_ill) add(c.illness, (measures & Bit(kMeasureMedical)) ? 50 : 25);
    if (any_disabled) add(c.disability, 22);
    if (any_pupil) add(c.schooling, any_college ? 20 : 6);
    add(c.disaster, 4);
    add(c.land, 6);
    add(c.water, *h.safe_water ? 2 : 8);
    add(c.skills, able > 0 ? 18 : 2);
    add(c.labour, (able == 0 || able * 3 < n) ? 25 : 2);
    add(c.capital, 22);
    add(c.transport, 8);
    add(c.drive, 4);
    size_t pick = rng_.Weighted(std::span(cause_weight.data(), nc));
    h.main_cause = cause_code[pick];
    cause_weight[pick] = 0;
    h.other_causes.clear();
    const double others = rng_.Unit();
    const int other_count = others < 0.35 ? 0 : others < 0.75 ? 1 : 2;
    for (int k = 0; k < other_count; ++k) {
        pick = rng_.Weighted(std::span(cause_weight.data(), nc));
        if (cause_weight[pick] <= 0) break;
        h.other_causes.push_back(cause_code[pick]);
        cause_weight[pick] = 0;
    }

    // Pairing cadre: one cadre takes 1–3 households of a village, by rank (六(二)).
    if (cadre_left_ <= 0) {
        CadreName(cadre_);
        cadre_left_ = pairing_quotas_[rng_.Below(pairing_quotas_.size())];
    }
    --cadre_left_;
    h.pairing_cadre.assign(cadre_);

    if (rng_.Chance(0.85)) {
        const std::string_view prefix = kPhonePrefixes[rng_.Below(std::size(kPhonePrefixes))];
        h.phone.assign(prefix);
        for (int i = 0; i < 8; ++i) h.phone.push_back(static_cast<char>('0' + rng_.Below(10)));
    } else {
        h.phone.clear();
    }
}

// ---------------------------------------------------------------------------------------------
// Families. Ages are chosen from the mothers outwards: a mother's children are born when she is
// 18–42, at least ten months apart; spouses are within eight years; the head's parents are 20–36
// years older than the head.

double MinMotherAge(int children) { return children <= 0 ? 20.0 : 18.6 + 0.9 * (children - 1) + 0.3; }

void GeneratorImpl::ChildAges(double mother_age, int count, double* ages) {
    const double lo = 18.2;
    const double hi = std::min(41.8, mother_age - 0.02);
    const double span = std::max(0.0, hi - lo);
    // At least ~11 months between births (less only when the window is too short), the rest of
    // the window spread at random.
    const double gap = count > 1 ? std::min(0.9, span / (count - 1)) : 0;
    const double free = std::max(0.0, span - gap * (count - 1));
    double u[kMaxSize];
    count = std::min(count, kMaxSize);
    for (int i = 0; i < count; ++i) {
        // Insertion keeps u sorted (at most ten values).
        const double v = rng_.Unit() * free;
        int j = i;
        for (; j > 0 && u[j - 1] > v; --j) u[j] = u[j - 1];
        u[j] = v;
    }
    for (int i = 0; i < count; ++i) ages[i] = std::max(0.0, mother_age - (lo + u[i] + gap * i));
}

void GeneratorImpl::AddChildren(double mother_age, int count, int son_relation, int daughter_relation) {
    double ages[kMaxSize];
    ChildAges(mother_age, count, ages);
    for (int i = 0; i < count; ++i) {
        const bool male = rng_.Chance(0.51);
        drafts_.push_back(
            {male ? son_relation : daughter_relation, male ? codes::kSexMale : codes::kSexFemale, ages[i]});
    }
}

void GeneratorImpl::BuildFamily(int size, const Needs& needs, int& able_index) {
    const Codes& c = codes_;
    constexpr int kMale = codes::kSexMale;
    constexpr int kFemale = codes::kSexFemale;
    drafts_.clear();
    able_index = -1;
    auto couple = [&](bool head_male, double mother_age, bool with_spouse) {
        // The head and, when present, the spouse; `mother_age` is the woman's age.
        if (head_male) {
            const double head_age = mother_age + (with_spouse ? rng_.Uniform(-2, 7.5) : rng_.Uniform(0, 6));
            drafts_.push_back({c.head, kMale, head_age});
            if (with_spouse) drafts_.push_back({c.spouse, kFemale, mother_age});
        } else {
            drafts_.push_back({c.head, kFemale, mother_age});
            if (with_spouse) drafts_.push_back({c.spouse, kMale, mother_age + rng_.Uniform(-2, 7.5)});
        }
    };
    auto parents = [&](int count, double head_age) {
        // Soft caps, so the oldest do not pile up on one birthday.
        const double mother = std::min(head_age + rng_.Uniform(20, 36), rng_.Uniform(90, 95));
        if (count == 2)
            drafts_.push_back(
                {c.father, kMale, std::min(mother + rng_.Uniform(-2, 7.5), rng_.Uniform(92, 97))});
        if (count == 2 || rng_.Chance(0.65)) {
            drafts_.push_back({c.mother, kFemale, mother});
        } else {
            drafts_.push_back({c.father, kMale, std::min(mother + rng_.Uniform(0, 6), rng_.Uniform(92, 97))});
        }
    };

    if (size == 1) {
        double age;
        bool male;
        if (needs.able) {
            age = rng_.Uniform(22, 58);
            male = rng_.Chance(0.6);
        } else if (rng_.Chance(0.7)) {
            age = rng_.Uniform(60, 89);
            male = rng_.Chance(0.45);
        } else {
            age = rng_.Uniform(25, 59.5);
            male = rng_.Chance(0.6);
        }
        drafts_.push_back({c.head, male ? kMale : kFemale, age});
    } else if (size == 2) {
        const std::array<double, 4> w = needs.able ? std::array<double, 4>{0, 0.35, 0.30, 0.35}
                                                   : std::array<double, 4>{0.35, 0.20, 0.15, 0.30};
        const size_t kind = rng_.Weighted(w);
        if (kind == 0) {  // elderly couple
            couple(rng_.Chance(0.8), rng_.Uniform(54, 80), true);
        } else if (kind == 1) {  // young couple
            couple(rng_.Chance(0.85), rng_.Uniform(19.5, 35), true);
        } else if (kind == 2) {  // head and a parent
            const double head_age = rng_.Uniform(18.5, 55);
            drafts_.push_back({c.head, rng_.Chance(0.7) ? kMale : kFemale, head_age});
            parents(1, head_age);
        } else {  // one parent and a child
            const double mother = rng_.Uniform(needs.able ? 20 : 22, needs.able ? 52 : 70);
            couple(rng_.Chance(0.4), mother, false);
            AddChildren(mother, 1, c.son, c.daughter);
        }
    } else {
        const double extended_share = size == 3 ? 0.1 : size == 4 ? 0.2 : size == 5 ? 0.3 : 0.45;
        if (rng_.Chance(extended_share)) {
            // Three generations: the head (and spouse), a married child with a spouse who married
            // in, their children, and perhaps unmarried children of the head.
            // A three-person household of this kind has no room for the head's spouse.
            const bool with_spouse = size >= 4 && rng_.Chance(0.6);
            const bool married_son = rng_.Chance(0.75);  // uxorilocal marriage is common too
            const int slots = size - 1 - (with_spouse ? 1 : 0) - 2;
            int unmarried = 0;
            if (slots >= 1 && rng_.Chance(0.3)) unmarried = 1 + (slots >= 3 && rng_.Chance(0.3) ? 1 : 0);
            const int grandchildren = slots - unmarried;
            const double lo = std::max(20.0, MinMotherAge(grandchildren));
            const double young_mother = rng_.Uniform(lo, std::max(lo + 1, 44.0));
            const double young_father = young_mother + rng_.Uniform(-2, 7.5);
            const double child_age = married_son ? young_father : young_mother;
            const double old_mother =
                child_age + rng_.Uniform(18.5, std::max(19.0, std::min(38.0, 88 - child_age)));
            const bool head_male = rng_.Chance(with_spouse ? 0.85 : 0.6);
            couple(head_male, old_mother, with_spouse);
            able_index = static_cast<int>(drafts_.size());
            if (married_son) {
                drafts_.push_back({c.son, kMale, young_father});
                drafts_.push_back({c.daughter_in_law, kFemale, young_mother});
            } else {
                drafts_.push_back({c.daughter, kFemale, young_mother});
                drafts_.push_back({c.son_in_law, kMale, young_father});
            }
            if (unmarried > 0) {
                double ages[2];
                ChildAges(old_mother, unmarried, ages);
                for (int i = 0; i < unmarried; ++i) {
                    // Younger siblings still at home.
                    const double age = std::min(ages[i], child_age - 1);
                    const bool male = rng_.Chance(0.5);
                    drafts_.push_back(
                        {male ? c.son : c.daughter, male ? kMale : kFemale, std::max(age, 0.0)});
                }
            }
            AddChildren(young_mother, grandchildren, married_son ? c.grandson : c.daughters_son,
                        married_son ? c.granddaughter : c.daughters_daughter);
        } else {
            // A nuclear family, sometimes with the head's parents.
            const bool with_spouse = rng_.Chance(0.85);
            const int slots = size - 1 - (with_spouse ? 1 : 0);
            int parent_count = 0;
            if (slots >= 2 && rng_.Chance(0.25)) parent_count = (slots >= 3 && rng_.Chance(0.3)) ? 2 : 1;
            const int children = slots - parent_count;
            const double lo = std::max(20.0, MinMotherAge(children));
            double hi = parent_count > 0 ? 55 : 58;
            if (needs.able) hi = std::min(hi, 50.0);
            hi = std::max(hi, lo + 1);
            const double mother = lo + (hi - lo) * std::pow(rng_.Unit(), 1.3);
            const bool head_male = rng_.Chance(with_spouse ? 0.85 : 0.5);
            couple(head_male, mother, with_spouse);
            if (parent_count > 0) parents(parent_count, drafts_[0].age);
            AddChildren(mother, children, c.son, c.daughter);
        }
    }
    if (needs.able && able_index < 0) {
        // The household's worker: the head when of working age, else the first member who is.
        for (size_t i = 0; i < drafts_.size(); ++i) {
            const double a = drafts_[i].age;
            if (a >= 18 && a < 59.5 && (able_index < 0 || i == 0)) {
                able_index = static_cast<int>(i);
                if (i == 0) break;
            }
        }
        if (able_index < 0) {
            // Rare: no one of working age was drawn; the head is made younger.
            drafts_[0].age = std::clamp(drafts_[0].age, 18.5, 59.0);
            able_index = 0;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// People.

void GeneratorImpl::AssignId(Person& p, double age) {
    const bool male = p.sex == codes::kSexMale;
    long day = used_.last_day() - static_cast<long>(age * kDaysPerYear);
    day = std::clamp(day, used_.first_day(), used_.last_day());
    // Some older people still carry the county's former address code.
    const int birth_year = Date::FromDaysSinceEpoch(day).year;
    int address = 0;
    if (!former_code_.empty()) {
        const double share = birth_year < 1995 ? 0.35 : birth_year < 2015 ? 0.1 : 0.0;
        if (share > 0 && rng_.Chance(share)) address = 1;
    }
    int sequence = -1;
    const long base = day;
    for (int attempt = 1; sequence < 0; ++attempt) {
        for (int t = 0; t < 12 && sequence < 0; ++t) {
            const int s = static_cast<int>(rng_.Below(500)) * 2 + (male ? 1 : 0);
            if (used_.Claim(address, day, s)) sequence = s;
        }
        if (sequence >= 0) break;
        const int start = static_cast<int>(rng_.Below(500));
        for (int k = 0; k < 500 && sequence < 0; ++k) {
            const int s = ((start + k) % 500) * 2 + (male ? 1 : 0);
            if (used_.Claim(address, day, s)) sequence = s;
        }
        if (sequence >= 0) break;
        // Every number of that day is taken: the nearest day that is not, earlier first
        // (base-1, base+1, base-2, ...), staying within the range.
        do {
            const long offset = (attempt + 1) / 2;
            day = attempt % 2 == 1 ? base - offset : base + offset;
            ++attempt;
        } while (day < used_.first_day() || day > used_.last_day());
        --attempt;
    }
    p.birth_date = Date::FromDaysSinceEpoch(day);
    p.id_number = MakeIdNumber(address == 0 ? std::string_view(county_code_) : std::string_view(former_code_),
                               p.birth_date, sequence);
}

void GeneratorImpl::TibetanName(std::string& out, int sex) {
    const auto lead = names::TibetanLead();
    const auto male = names::TibetanMale();
    const auto female = names::TibetanFemale();
    if (sex == codes::kSexMale) {
        if (rng_.Chance(0.3)) {
            out.assign(rng_.Chance(0.5) ? lead[rng_.Skewed(lead.size())] : male[rng_.Skewed(male.size())]);
            return;
        }
        const std::string_view first =
            rng_.Chance(0.65) ? lead[rng_.Skewed(lead.size())] : male[rng_.Skewed(male.size())];
        std::string_view second =
            rng_.Chance(0.75) ? male[rng_.Skewed(male.size())] : lead[rng_.Skewed(lead.size())];
        while (second == first) second = male[rng_.Below(male.size())];
        out.assign(first).append(second);
    } else {
        if (rng_.Chance(0.3)) {
            out.assign(female[rng_.Skewed(female.size())]);
            return;
        }
        const std::string_view first =
            rng_.Chance(0.85) ? lead[rng_.Skewed(lead.size())] : female[rng_.Skewed(female.size())];
        std::string_view second = female[rng_.Skewed(female.size())];
        while (second == first) second = female[rng_.Below(female.size())];
        out.assign(first).append(second);
    }
}

void GeneratorImpl::HanGiven(std::string& out, int sex) {
    const auto given = sex == codes::kSexMale ? names::HanGivenMale() : names::HanGivenFemale();
    out.append(given[rng_.Below(given.size())]);
}

void GeneratorImpl::CadreName(std::string& out) {
    if (rng_.Chance(0.45)) {
        const auto surnames = names::HanSurnames();
        out.assign(surnames[rng_.Skewed(surnames.size())]);
        HanGiven(out, rng_.Chance(0.7) ? codes::kSexMale : codes::kSexFemale);
    } else {
        TibetanName(out, rng_.Chance(0.65) ? codes::kSexMale : codes::kSexFemale);
    }
}

int GeneratorImpl::NonStudentEducation(int age) {
    const Codes& c = codes_;
    const int levels[] = {c.edu_illiterate, c.edu_primary, c.edu_junior, c.edu_senior, c.edu_college};
    std::array<double, 5> w;
    if (age < 19)
        w = {0, 0.3, 0.7, 0, 0};
    else if (age < 30)
        w = {0.10, 0.35, 0.40, 0.12, 0.03};
    else if (age < 45)
        w = {0.30, 0.45, 0.20, 0.05, 0};
    else if (age < 60)
        w = {0.55, 0.35, 0.08, 0.02, 0};
    else
        w = {0.75, 0.22, 0.03, 0, 0};
    return levels[rng_.Weighted(w)];
}

void GeneratorImpl::SetSchoolingAndEducation(Person& p, int age) {
    const Codes& c = codes_;
    int schooling = c.sch_none;
    int education = c.edu_preschool;
    if (age < 3) {
        // too young for kindergarten
    } else if (age <= 5) {
        if (rng_.Chance(0.55)) schooling = c.sch_preschool;
    } else if (age == 6) {
        if (rng_.Chance(0.5)) {
            schooling = c.sch_primary;
            education = c.edu_primary;
        } else {
            schooling = c.sch_preschool;
        }
    } else if (age <= 12) {
        schooling = c.sch_primary;
        education = c.edu_primary;
    } else if (age <= 15) {
        schooling = c.sch_junior[age - 13];
        education = c.edu_junior;
    } else if (age <= 18) {
        const double r = rng_.Unit();
        if (age == 18 && r < 0.10) {
            schooling = c.sch_college;
            education = c.edu_college;
        } else if (r < 0.55) {
            schooling = c.sch_senior[age - 16];
            education = c.edu_senior;
        } else if (r < 0.67) {
            schooling = c.sch_vocational[age - 16];
            education = c.edu_senior;
        } else {
            education = NonStudentEducation(age);  // 两后生: left after junior or senior school
        }
    } else if (age <= 22) {
        const double r = rng_.Unit();
        if (r < 0.14) {
            schooling = c.sch_college;
            education = c.edu_college;
        } else if (r < 0.18) {
            schooling = c.sch_higher_vocational[std::min(age - 19, 2)];
            education = c.edu_college;
        } else {
            education = NonStudentEducation(age);
        }
    } else {
        education = NonStudentEducation(age);
    }
    p.schooling = schooling;
    p.education = education;
}

void GeneratorImpl::SetLabour(Person& p, int age) {
    const Codes& c = codes_;
    const int health = *p.health;
    int labour;
    if (age < 16)
        labour = c.no_labour;
    else if (health == c.serious || health == c.disabled)
        labour = c.lost;
    else if (*p.schooling != c.sch_none)
        labour = c.no_labour;  // studying, not working
    else if (age > 65)
        labour = c.no_labour;
    else if (age > 60)
        labour = rng_.Chance(0.25) ? c.ordinary : c.no_labour;
    else if (health == c.chronic)
        labour = rng_.Chance(0.75) ? c.ordinary : c.lost;
    else
        labour = rng_.Chance(0.12) ? c.skilled : c.ordinary;
    p.labour = labour;
}

void GeneratorImpl::SetMigrant(Person& p) {
    static constexpr std::array<double, 5> kWhere = {0.40, 0.33, 0.15, 0.05, 0.07};
    static constexpr std::array<double, 12> kMonths = {2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 3};
    p.migrant_work = codes_.migrant[rng_.Weighted(kWhere)];
    p.months_worked = static_cast<int>(rng_.Weighted(kMonths)) + 1;
}

void GeneratorImpl::FillPerson(Person& p, const Draft& d, int ethnicity, bool han_name,
                               std::string_view surname) {
    const Codes& c = codes_;
    p.relation = d.relation;
    p.sex = d.sex;
    AssignId(p, d.age);
    if (han_name) {
        p.name.assign(surname);
        HanGiven(p.name, p.sex);
    } else {
        TibetanName(p.name, p.sex);
    }
    p.ethnicity = ethnicity;
    const int age = p.birth_date.AgeOn(options_.as_of);
    SetSchoolingAndEducation(p, age);

    // Illness and disability become more common with age.
    double chronic, serious, disabled;
    if (age < 16)
        chronic = 0.015, serious = 0.005, disabled = 0.01;
    else if (age < 40)
        chronic = 0.04, serious = 0.015, disabled = 0.02;
    else if (age < 60)
        chronic = 0.12, serious = 0.04, disabled = 0.04;
    else
        chronic = 0.28, serious = 0.07, disabled = 0.07;
    const double r = rng_.Unit();
    p.health = r < chronic                        ? c.chronic
               : r < chronic + serious            ? c.serious
               : r < chronic + serious + disabled ? c.disabled
                                                  : c.healthy;
    SetLabour(p, age);
    p.migrant_work.reset();
    p.months_worked.reset();
    if ((p.labour == c.ordinary || p.labour == c.skilled) && age <= 60 && rng_.Chance(0.22)) SetMigrant(p);
}

}  // namespace

Result<std::unique_ptr<Generator>> Generator::Create(const Plan& plan, const OrgTree& tree,
                                                     const GeneratorOptions& options) {
    if (!options.match_plan && options.households < 1)
        return Fail("generator.households", "households", "户数至少为1", "households must be at least 1");
    for (const PlanTownship& t : plan.townships)
        if (const OrgUnit* u = tree.Find(t.code); !u || u->level != OrgLevel::kTownship)
            return Fail("generator.township", "townships", "计划中的乡镇 " + t.code + " 不在区划中",
                        "the plan's township " + t.code + " is not in the division tree");

    // Villages in use during the plan's years (a code that appeared later did not yet exist).
    const int first = plan.start_year > 0 ? plan.start_year : options.as_of.year;
    const int last = std::max(first, plan.end_year);
    std::vector<Village> villages;
    for (const OrgUnit* v : tree.AtLevel(OrgLevel::kVillage)) {
        bool valid = false;
        for (int y = first; y <= last && !valid; ++y) valid = v->ValidIn(y);
        if (!valid) continue;
        const std::string_view township = std::string_view(v->code).substr(0, 9);
        const int profile = township == kChawalongTownship  ? kProfileChawalong
                            : township == kXiachayuTownship ? kProfileXiachayu
                                                            : kProfileDefault;
        villages.push_back({v->code, profile});
    }
    if (villages.empty())
        return Fail("generator.no_villages", "divisions", "区划中没有可用的村",
                    "the division tree has no villages");

    std::string county = plan.county_code;
    if (county.size() != 6) county = std::string(tree.root_code()).substr(0, 6);
    if (county.size() != 6) county = villages.front().code.substr(0, 6);

    auto generator = std::make_unique<GeneratorImpl>(plan, options, std::move(county));
    if (options.match_plan) {
        auto ok = generator->SetUpMatch(plan, tree, std::move(villages));
        if (!ok) return std::unexpected(ok.error());
    } else {
        generator->SetUpSpread(plan, std::move(villages), options.households);
    }
    return std::unique_ptr<Generator>(std::move(generator));
}

}  // namespace jz
