#include "core/generator.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <numeric>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/codes.h"
#include "core/id_number.h"
#include "core/names.h"

namespace jz {
namespace {

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

// The per-household plan of match mode, fixed in Create so the totals are exact.
struct Spec {
    int village;
    int year;
    int size;
    uint32_t measures;  // bit per targeted measure
};

struct MeasureInfo {
    int number;
    bool targeted;   // has a household target
    int target = 0;  // households
};

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
        for (const PlanMeasure& m : plan.measures) {
            if (m.number < 1 || m.number > kMaxMeasure) continue;
            measures_.push_back({m.number, m.target_households.has_value(), m.target_households.value_or(0)});
        }
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
    std::vector<MeasureInfo> measures_;
    std::vector<int> pairing_quotas_;

    std::vector<Village> villages_;
    int64_t total_ = 0;
    int64_t produced_ = 0;

    // Match mode: the specs in output order. Spread mode: households per village and the draws.
    bool match_ = false;
    std::vector<Spec> specs_;
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

    // Targeted measures: exactly `target` households each, drawn at random.
    const int n = static_cast<int>(specs_.size());
    std::vector<int> order(n);
    std::iota(order.begin(), order.end(), 0);
    int64_t slots = 0;
    for (const MeasureInfo& m : measures_) {
        if (!m.targeted) continue;
        if (m.target > n)
            return Fail(
                "generator.plan", "measures." + std::to_string(m.number),
                "措施 " + std::to_string(m.number) + " 的目标户数超过计划户数",
                "measure " + std::to_string(m.number) + "'s household target exceeds the plan's households");
        for (int i = 0; i < m.target; ++i) {
            std::swap(order[i], order[i + rng_.Below(n - i)]);
            specs_[order[i]].measures |= Bit(m.number);
        }
        slots += m.target;
    }
    // A household left without any measure gets 社保兜底 as a 低保 household when the plan has that
    // measure without a household target; otherwise a measure moves to it from a household with
    // two or more, which keeps every target exact.
    if (!HasUntargeted(kMeasureSocialFloor)) {
        if (slots < n)
            return Fail("generator.plan", "measures", "措施目标户数之和不足以使每户都有帮扶措施",
                        "the measures' household targets are too few to give every household a measure");
        std::vector<int> donors;
        for (int i = 0; i < n; ++i)
            if (std::popcount(specs_[i].measures) >= 2) donors.push_back(i);
        for (int i = 0; i < n; ++i) {
            if (specs_[i].measures != 0) continue;
            while (true) {
                const size_t k = rng_.Below(donors.size());
                Spec& donor = specs_[donors[k]];
                if (std::popcount(donor.measures) < 2) {
                    donors[k] = donors.back();
                    donors.pop_back();
                    continue;
                }
                // Move one of the donor's measures, chosen at random.
                int pick = static_cast<int>(rng_.Below(std::popcount(donor.measures)));
                uint32_t bits = donor.measures;
                while (pick-- > 0) bits &= bits - 1;
                const uint32_t bit = bits & (0 - bits);
                donor.measures &= ~bit;
                specs_[i].measures |= bit;
                break;
            }
        }
    }
    total_ = n;
    return true;
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
        const Spec& s = specs_[produced_];
        Fill(out, village, in_village_, width, s.year, s.size, s.measures);
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
    const Codes& c = codes_;
    const Date& as_of = options_.as_of;

    // Household code: village code + zero-padded sequence.
    h.division_code.assign(village.code);
    h.household_code.assign(village.code);
    char digits[24];
    int len = 0;
    for (int64_t s = sequence; s > 0 || len == 0; s /= 10) digits[len++] = static_cast<char>('0' + s % 10);
    h.household_code.append(static_cast<size_t>(std::max(0, width - len)), '0');
    while (len > 0) h.household_code.push_back(digits[--len]);

    Needs needs;
    needs.able = (measures & kNeedsAbleMask) != 0;
    needs.ill = (measures & Bit(kMeasureMedical)) != 0;
    needs.migrant = (measures & Bit(kMeasureEmployment)) != 0;

    // Family and its people.
    int able_index = -1;
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

    // Attribute: 五保 only where nobody 16–65 can work and nobody supports the rest.
    h.attribute = c.ordinary_household;
    if (able_16_65 == 0 && !needs.able) {
        const double wubao = n == 1 ? (age_of[0] >= 60 ? 0.5 : 0.3) : all_dependent ? 0.25 : 0.0;
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
    if (ended) {
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
        const double line = static_cast<double>(*poverty_line_);
        const double factor =
            exited ? 1.05 + 1.45 * std::pow(rng_.Unit(), 1.8) : 0.35 + 0.6 * std::pow(rng_.Unit(), 0.7);
        h.net_income_per_head = static_cast<Fen>(std::llround(line * factor));
    } else {
        h.net_income_per_head.reset();
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
