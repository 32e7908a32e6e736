// The ledger of a generated registry (generator.h, "The ledger of a generated registry"): items of
// each measure for the households planned for it, the ecological ranger posts, income by its parts
// and the members' cover. Every choice comes from a hash of the seed and stable data (household
// code, ID number, measure) or from a per-household Rng seeded that way, so the registry's own
// stream is untouched and a household's ledger does not depend on the households before it.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/codes.h"
#include "generator/generator.h"
#include "generator/random.h"

namespace jz {

namespace {

using generator_detail::Rng;

// The plan's measure numbers whose meaning the ledger gives items to (Chayu's ten; model.h has the
// ones the registry's members are fitted to).
constexpr int kIndustry = 1;
constexpr int kOffSite = 2;
constexpr int kMicroInfrastructure = 3;
constexpr int kRelocation = 4;
constexpr int kEducation = 5;
constexpr int kMedical = 6;
constexpr int kEmployment = 7;
constexpr int kEcology = 8;
constexpr int kCredit = 9;
constexpr int kSocialFloor = 10;

constexpr std::string_view kRangersTarget = "ecological_rangers";
constexpr Fen kYuan = 100;
constexpr Fen kRangerMonthly = 250 * kYuan;  // about 3,000 yuan a year per post (生态保护员)

// Salts, so each choice draws its own hash.
enum Salt : uint64_t {
    kSaltHousehold = 1,
    kSaltReach = 100,
    kSaltStudent = 200,
    kSaltStage = 201,
    kSaltRanger = 300,
    kSaltUnsigned = 400,
    kSaltCover = 500,
};

uint64_t Mix(uint64_t z) {
    z += 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

uint64_t Fnv1a(std::string_view text) {
    uint64_t h = 14695981039346656037ULL;
    for (unsigned char c : text) h = (h ^ c) * 1099511628211ULL;
    return h;
}

double UnitOf(uint64_t h) { return static_cast<double>(h >> 11) * 0x1.0p-53; }

Date AddDays(const Date& d, long days) { return Date::FromDaysSinceEpoch(d.DaysSinceEpoch() + days); }

bool Able(const Person& p, const Date& on) {
    if (p.labour != codes::kLabourOrdinary && p.labour != codes::kLabourSkilled) return false;
    const int age = p.birth_date.AgeOn(on);
    return age >= 16 && age <= 60;
}

bool Ill(const Person& p) {
    return p.health == codes::kHealthChronic || p.health == codes::kHealthSerious ||
           p.health == codes::kHealthDisabled;
}

bool InSchool(const Person& p) { return p.schooling && *p.schooling != codes::kSchoolingNone; }

// The plan stage ids a member's schooling can count for, the first the usual one: vocational
// schooling is 中职 or 两后生 training, higher education 大学 or 研究生.
std::vector<std::string_view> StageIdsOf(int schooling) {
    using namespace codes;
    if (schooling == kSchoolingPreschool) return {"kindergarten"};
    if (schooling == kSchoolingPrimary) return {"primary"};
    if (schooling >= kSchoolingGrade7 && schooling <= kSchoolingGrade9) return {"junior"};
    if (schooling >= kSchoolingSenior1 && schooling <= kSchoolingSenior3) return {"senior"};
    if (schooling >= kSchoolingVocational1 && schooling <= kSchoolingVocational3) return {"vocational", "two_after"};
    if (schooling >= kSchoolingHigherVocational1 && schooling <= kSchoolingCollege)
        return {"university", "postgraduate"};
    return {};
}

// A year's subsidy per student of a stage (yuan): Tibet's 三包 and the national grants as counties
// paid them, 两后生 training through 雨露计划.
Fen StageAmount(std::string_view stage) {
    if (stage == "kindergarten") return 1000 * kYuan;
    if (stage == "primary") return 1500 * kYuan;
    if (stage == "junior") return 1750 * kYuan;
    if (stage == "senior") return 2500 * kYuan;
    if (stage == "vocational") return 2000 * kYuan;
    if (stage == "university") return 6000 * kYuan;
    if (stage == "postgraduate") return 8000 * kYuan;
    return 3000 * kYuan;  // two_after
}

constexpr std::string_view kIndustryGoods[] = {"藏香猪仔 4 头", "牦牛 2 头", "茶苗 1,500 株", "核桃苗 200 株",
                                               "青稞良种 300 斤", "蜂箱 10 个", "藏鸡 60 只"};
constexpr std::string_view kIndustryCash[] = {"特色种植补助", "养殖圈舍建设补助", "乡村旅游家庭旅馆改造",
                                              "农机购置补助", "林下资源采集合作补助"};
constexpr std::string_view kOffSiteProjects[] = {"察隅县城扶贫商铺租赁项目", "竹瓦根镇扶贫宾馆项目",
                                                 "下察隅物流仓储项目", "林芝扶贫产业园入股"};
constexpr std::string_view kMicroWorks[] = {"入户道路硬化", "庭院改造", "安全饮水入户", "户用太阳能",
                                            "牲畜暖棚"};

}  // namespace

struct LedgerMaker::Impl {
    Plan plan;
    LedgerOptions options;
    Date window_start;
    Date last_day;     // the last day items may start: as_of, or the plan's end when earlier
    bool any_days = false;
    double share = 0;  // plan days passed by as_of
    int rangers_target = 0;
    double ranger_share = 0;  // streaming: share of candidates who hold a post

    bool prepared = false;
    std::unordered_map<int, std::unordered_set<std::string>> reached;  // measure → household codes
    std::unordered_set<std::string> rangers;                           // ID numbers
    std::unordered_map<std::string, std::string> student_stage;        // ID number → stage id
    std::unordered_set<std::string> students_reached;                  // ID numbers

    uint64_t Hash(std::string_view text, uint64_t salt) const {
        return Mix(Fnv1a(text) ^ Mix(options.seed * 0x9E3779B97F4A7C15ULL + salt));
    }
    double Unit(std::string_view text, uint64_t salt) const { return UnitOf(Hash(text, salt)); }

    // Sorted by a hash, the first `count` keys.
    template <class Key>
    std::vector<Key> FirstByHash(std::vector<Key> keys, uint64_t salt, size_t count) const {
        std::vector<std::pair<uint64_t, Key>> order;
        order.reserve(keys.size());
        for (Key& k : keys) order.emplace_back(Hash(k, salt), std::move(k));
        std::ranges::sort(order);
        std::vector<Key> out;
        for (size_t i = 0; i < order.size() && i < count; ++i) out.push_back(std::move(order[i].second));
        return out;
    }

    size_t Proportion(size_t n) const {
        return std::min(n, static_cast<size_t>(std::llround(share * static_cast<double>(n))));
    }

    const PlanMeasureStage* Stage(std::string_view id) const {
        if (const PlanMeasure* m = plan.FindMeasure(kEducation))
            for (const PlanMeasureStage& s : m->stages)
                if (s.id == id) return &s;
        return nullptr;
    }

    bool IsRangerCandidate(const Household& h, const Person& p) const {
        return h.HasMeasure(kEcology) && Able(p, options.as_of);
    }

    bool Reached(const Household& h, int measure) const {
        if (!h.HasMeasure(measure) || !any_days) return false;
        if (prepared) {
            auto it = reached.find(measure);
            return it != reached.end() && it->second.contains(h.household_code);
        }
        return Unit(h.household_code, kSaltReach + static_cast<uint64_t>(measure)) < share;
    }
    bool Ranger(const Household& h, const Person& p) const {
        if (!any_days || !IsRangerCandidate(h, p)) return false;
        if (prepared) return rangers.contains(p.id_number);
        return Unit(p.id_number, kSaltRanger) < ranger_share;
    }
    // The stage a student's item counts for (empty: not a student of the education measure).
    std::string StageOfStudent(const Household& h, const Person& p) const {
        if (!InSchool(p)) return {};
        if (prepared) {
            auto it = student_stage.find(p.id_number);
            return it == student_stage.end() ? std::string() : it->second;
        }
        const auto ids = StageIdsOf(*p.schooling);
        if (ids.empty()) return {};
        if (ids.size() == 2) {
            // The second id's share of the two targets (两后生 of the vocational pupils, ...).
            const PlanMeasureStage* a = Stage(ids[0]);
            const PlanMeasureStage* b = Stage(ids[1]);
            if (a && b && a->persons + b->persons > 0) {
                const double second = static_cast<double>(b->persons) / (a->persons + b->persons);
                return std::string(Unit(p.id_number, kSaltStage) < second ? ids[1] : ids[0]);
            }
        }
        return std::string(ids[0]);
    }
    bool StudentReached(const Person& p) const {
        if (!any_days) return false;
        if (prepared) return students_reached.contains(p.id_number);
        return Unit(p.id_number, kSaltStudent) < share;
    }

    void Prepare(std::span<const Household> households);
    void Add(const Household& h, Ledger& out) const;
    void Items(const Household& h, Rng& rng, std::vector<AssistanceItem>& items) const;
    void Income(const Household& h, Rng& rng, std::span<const AssistanceItem> items,
                std::vector<IncomeRecord>& out) const;
    void Cover(const Household& h, std::vector<PersonCoverage>& out) const;
};

void LedgerMaker::Impl::Prepare(std::span<const Household> households) {
    prepared = true;
    // Each measure's planned households, the reached share of them.
    for (const PlanMeasure& m : plan.measures) {
        std::vector<std::string> planned;
        for (const Household& h : households)
            if (h.HasMeasure(m.number)) planned.push_back(h.household_code);
        const size_t take = Proportion(planned.size());
        auto chosen = FirstByHash(std::move(planned), kSaltReach + static_cast<uint64_t>(m.number), take);
        reached[m.number] = {std::make_move_iterator(chosen.begin()), std::make_move_iterator(chosen.end())};
    }
    // The ranger posts held: the plan's number of them among the able adults of measure 8.
    std::vector<std::string> candidates;
    for (const Household& h : households)
        for (const Person& p : h.members)
            if (IsRangerCandidate(h, p)) candidates.push_back(p.id_number);
    auto posts = FirstByHash(std::move(candidates), kSaltRanger, static_cast<size_t>(rangers_target));
    rangers = {std::make_move_iterator(posts.begin()), std::make_move_iterator(posts.end())};
    // Students: each one's stage, pairs of stages split by the plan's targets, then the reached
    // share of each stage's target.
    std::map<std::string, std::vector<std::string>> by_group;  // first stage id → ID numbers
    for (const Household& h : households) {
        for (const Person& p : h.members)
            if (InSchool(p) && !StageIdsOf(*p.schooling).empty())
                by_group[std::string(StageIdsOf(*p.schooling)[0])].push_back(p.id_number);
    }
    std::map<std::string, std::vector<std::string>> by_stage;
    for (auto& [first, ids] : by_group) {
        const int schooling_probe = first == "vocational" ? codes::kSchoolingVocational1
                                    : first == "university" ? codes::kSchoolingCollege
                                                            : 0;
        std::vector<std::string_view> stage_ids = schooling_probe ? StageIdsOf(schooling_probe)
                                                                  : std::vector<std::string_view>{first};
        std::vector<std::string> ordered = FirstByHash(std::move(ids), kSaltStage, SIZE_MAX);
        if (stage_ids.size() == 2 && Stage(stage_ids[0]) && Stage(stage_ids[1])) {
            const size_t firsts = std::min(ordered.size(), static_cast<size_t>(Stage(stage_ids[0])->persons));
            for (size_t i = 0; i < ordered.size(); ++i)
                by_stage[std::string(stage_ids[i < firsts ? 0 : 1])].push_back(ordered[i]);
        } else {
            for (std::string& id : ordered) by_stage[std::string(stage_ids[0])].push_back(std::move(id));
        }
    }
    for (auto& [stage, ids] : by_stage) {
        for (const std::string& id : ids) student_stage[id] = stage;
        const PlanMeasureStage* s = Stage(stage);
        const size_t base = s ? std::min(ids.size(), static_cast<size_t>(s->persons)) : ids.size();
        const size_t take = std::min(ids.size(), static_cast<size_t>(std::llround(share * base)));
        for (std::string& id : FirstByHash(ids, kSaltStudent, take)) students_reached.insert(std::move(id));
    }
}

void LedgerMaker::Impl::Items(const Household& h, Rng& rng, std::vector<AssistanceItem>& items) const {
    if (!any_days) return;
    const long days = last_day.DaysSinceEpoch() - window_start.DaysSinceEpoch() + 1;
    auto some_day = [&] { return AddDays(window_start, static_cast<long>(rng.Below(static_cast<uint64_t>(days)))); };
    auto round_to = [](double yuan, int step) {
        return static_cast<Fen>(std::llround(yuan / step)) * step * kYuan;
    };
    auto fund = [&](int measure, const Date& start) {
        std::string f = "FP" + std::to_string(start.year) + "-";
        if (measure < 10) f += '0';
        return f + std::to_string(measure);
    };
    auto item = [&](int measure, int category, int kind, const Date& start) -> AssistanceItem& {
        AssistanceItem& it = items.emplace_back();
        it.household_code = h.household_code;
        it.measure = measure;
        it.category = category;
        it.kind = kind;
        it.start_date = start;
        it.fund_ref = fund(measure, start);
        return it;
    };
    auto pick = [&](std::span<const std::string_view> pool) { return std::string(pool[rng.Below(pool.size())]); };
    const int persons = static_cast<int>(h.members.size());

    for (const PlanMeasure& m : plan.measures) {
        const int n = m.number;
        if (n == kEcology) {
            // Posts held by the chosen able adults, paid monthly from their start, continuing.
            for (const Person& p : h.members) {
                if (!Ranger(h, p)) continue;
                AssistanceItem& it = item(n, codes::kCategoryPublicWelfareJob, codes::kKindJobPost, some_day());
                it.member_ids = {p.id_number};
                it.periodic_amount = kRangerMonthly;
                it.period = codes::kPeriodMonthly;
                it.notes = "生态保护员岗位";
            }
        }
        if (!Reached(h, n)) continue;
        switch (n) {
            case kIndustry: {
                // Mostly goods in kind (livestock, seedlings); cash, which is income, in smaller sums.
                const bool goods = rng.Chance(0.75);
                AssistanceItem& it =
                    item(n, codes::kCategoryIndustry, goods ? codes::kKindGoods : codes::kKindCash, some_day());
                it.amount = round_to(goods ? rng.Uniform(3000, 20000) : rng.Uniform(3000, 6000), 100);
                it.notes = goods ? pick(kIndustryGoods) : pick(kIndustryCash);
                if (rng.Chance(0.25)) {
                    // A share in a cooperative with a yearly guaranteed dividend (保底收益 6%).
                    AssistanceItem& share = item(n, codes::kCategoryCooperative, codes::kKindShare, some_day());
                    share.amount = round_to(rng.Uniform(5000, 10000), 500);
                    share.periodic_amount = *share.amount * 6 / 100;
                    share.period = codes::kPeriodYearly;
                    share.notes = "合作社产业扶贫股";
                }
                break;
            }
            case kOffSite: {
                AssistanceItem& it = item(n, codes::kCategoryCooperative, codes::kKindShare, some_day());
                it.amount = round_to(rng.Uniform(10000, 30000), 1000);
                it.periodic_amount = *it.amount * 8 / 100;
                it.period = codes::kPeriodYearly;
                it.notes = pick(kOffSiteProjects);
                break;
            }
            case kMicroInfrastructure: {
                AssistanceItem& it = item(n, codes::kCategoryHousingRepair, codes::kKindGoods, some_day());
                it.amount = round_to(rng.Uniform(2000, 8000), 100);
                it.notes = pick(kMicroWorks);
                break;
            }
            case kRelocation: {
                // The relocation housing subsidy, per person, as the new house (not income).
                AssistanceItem& it = item(n, codes::kCategoryRelocation, codes::kKindGoods, some_day());
                it.amount = static_cast<Fen>(std::min(persons, 6)) * round_to(rng.Uniform(20000, 25000), 500);
                it.notes = "易地扶贫搬迁住房补助";
                break;
            }
            case kMedical: {
                bool any = false;
                for (const Person& p : h.members) {
                    if (!Ill(p)) continue;
                    any = true;
                    AssistanceItem& it = item(n, codes::kCategoryHealth, codes::kKindCash, some_day());
                    it.member_ids = {p.id_number};
                    it.amount = round_to(rng.Uniform(500, 8000), 10);
                    it.notes = "医疗救助";
                }
                if (!any) {
                    // The insurance premiums paid for the household.
                    AssistanceItem& it = item(n, codes::kCategoryHealth, codes::kKindCash, some_day());
                    it.amount = static_cast<Fen>(persons) * 180 * kYuan;
                    it.notes = "代缴城乡居民基本医疗保险费";
                }
                break;
            }
            case kEmployment: {
                std::vector<std::string> trainees;
                for (const Person& p : h.members)
                    if (p.migrant_work && trainees.size() < 2) trainees.push_back(p.id_number);
                if (trainees.empty())
                    for (const Person& p : h.members)
                        if (Able(p, options.as_of) && trainees.empty()) trainees.push_back(p.id_number);
                std::ranges::sort(trainees);
                const Date start = some_day();
                AssistanceItem& it = item(n, codes::kCategoryEmployment, codes::kKindService, start);
                it.member_ids = trainees;
                it.amount = round_to(rng.Uniform(1500, 3000), 100);
                it.notes = "转移就业技能培训";
                if (rng.Chance(0.5)) {
                    AssistanceItem& sub = item(n, codes::kCategoryEmployment, codes::kKindCash, some_day());
                    sub.member_ids = trainees;
                    sub.amount = round_to(rng.Uniform(500, 1500), 100);
                    sub.notes = "外出务工交通补贴";
                }
                break;
            }
            case kEcology: {
                AssistanceItem& it = item(n, codes::kCategoryEcological, codes::kKindCash, some_day());
                it.amount = round_to(rng.Uniform(1000, 3000), 10);
                it.notes = "草原生态保护补助奖励";
                break;
            }
            case kCredit: {
                // A microcredit loan: 10,000–50,000 yuan, three years, no collateral, interest paid.
                const Date start = some_day();
                AssistanceItem& it = item(n, codes::kCategoryMicrocredit, codes::kKindLoan, start);
                it.amount = static_cast<Fen>(rng.Range(2, 10)) * 5000 * kYuan;
                it.end_date = AddDays(Date{start.year + 3, start.month, std::min(start.day, 28)}, -1);
                it.notes = "扶贫小额信贷 3 年期 财政贴息";
                break;
            }
            case kSocialFloor: {
                // 低保 (the difference to the floor) or 五保 paid monthly for the household.
                const bool wubao = h.attribute == codes::kAttributeWubao;
                AssistanceItem& it = item(n, codes::kCategorySocialSecurity, codes::kKindCash, some_day());
                it.periodic_amount = static_cast<Fen>(persons) * (wubao ? 250 : 100) * kYuan;
                it.period = codes::kPeriodMonthly;
                it.notes = wubao ? "特困人员供养金" : "农村最低生活保障金";
                break;
            }
            case kEducation:
            default:
                break;
        }
    }
    // Education: the reached students, each a year's subsidy of their stage from a term's start.
    if (plan.FindMeasure(kEducation)) {
        std::vector<Date> terms;
        for (int y = window_start.year; y <= last_day.year; ++y)
            for (Date d : {Date{y, 3, 1}, Date{y, 9, 1}})
                if (d >= window_start && d <= last_day) terms.push_back(d);
        if (terms.empty()) terms.push_back(window_start);
        for (const Person& p : h.members) {
            const std::string stage = StageOfStudent(h, p);
            if (stage.empty() || !StudentReached(p)) continue;
            const auto category = codes::EducationCategoryOf(stage);
            if (!category) continue;
            AssistanceItem& it = item(kEducation, *category, codes::kKindCash, terms[rng.Below(terms.size())]);
            it.member_ids = {p.id_number};
            it.amount = StageAmount(stage);
            it.notes = stage == "two_after" ? "雨露计划职业培训补助" : "教育扶贫资助";
        }
    }

    // In the order they happened, numbered; signed off by the head a few days later, a few not yet.
    std::ranges::stable_sort(items, [](const AssistanceItem& a, const AssistanceItem& b) {
        return a.start_date < b.start_date;
    });
    const Person* head = h.head();
    const std::string signer = head ? head->name : (h.members.empty() ? std::string() : h.members[0].name);
    int number = 0;
    for (AssistanceItem& it : items) {
        char code[16];
        std::snprintf(code, sizeof code, "-%03d", ++number);
        it.item_code = h.household_code + code;
        const bool post = it.kind == codes::kKindJobPost;
        if (!post && Unit(it.item_code, kSaltUnsigned) < options.unsigned_share) continue;
        const long lag = static_cast<long>(rng.Below(21));
        it.signed_on = std::min(AddDays(it.start_date, lag), std::max(options.as_of, it.start_date));
        it.signed_by = signer;
    }
}

void LedgerMaker::Impl::Income(const Household& h, Rng& rng, std::span<const AssistanceItem> items,
                               std::vector<IncomeRecord>& out) const {
    // Years ended by as_of, from the year before the plan.
    const int last = (options.as_of.month == 12 && options.as_of.day == 31) ? options.as_of.year
                                                                             : options.as_of.year - 1;
    const int first = plan.start_year - 1;
    if (h.members.empty() || last < first) return;
    const int persons = static_cast<int>(h.members.size());
    int migrants = 0, able = 0;
    for (const Person& p : h.members) {
        if (p.migrant_work) ++migrants;
        if (Able(p, options.as_of)) ++able;
    }
    for (int year = first; year <= last; ++year) {
        // The registry's income per head is the last year's; earlier years were lower, and below
        // the year's line before the household's exit.
        const Fen line = plan.PovertyLine(year).value_or(0);
        const Fen registry = h.net_income_per_head.value_or(line * 8 / 10);
        double per_head = static_cast<double>(registry) * std::pow(rng.Uniform(0.84, 0.95), last - year);
        const bool poor_then = !h.exit_year || year < *h.exit_year;
        if (poor_then && line > 0 && year < last) per_head = std::min(per_head, line * rng.Uniform(0.6, 0.97));
        const Fen net = static_cast<Fen>(std::llround(per_head)) * persons;

        IncomeContribution policy;
        for (const AssistanceItem& it : items) {
            const IncomeContribution c = ContributionInYear(it, year);
            policy.transfer += c.transfer;
            policy.property += c.property;
        }
        IncomeRecord r;
        r.household_code = h.household_code;
        r.year = year;
        r.persons = persons;
        Fen transfer = policy.transfer;
        Fen property = policy.property;
        Fen rest = net - transfer - property;
        if (rest > 0) {
            // Other transfers (pensions, subsidies) and property (land rented out).
            const Fen other = std::min(rest / 4, static_cast<Fen>(persons) * rng.Range(100, 500) * kYuan);
            transfer += other;
            rest -= other;
            if (rng.Chance(0.2)) {
                const Fen rent = std::min(rest / 5, static_cast<Fen>(rng.Range(100, 600)) * kYuan);
                property += rent;
                rest -= rent;
            }
        }
        Fen wage = 0, production = 0, costs = 0;
        if (rest > 0) {
            const double wage_share = migrants > 0 ? rng.Uniform(0.3, 0.7) : able > 0 ? rng.Uniform(0.05, 0.4) : 0.0;
            wage = static_cast<Fen>(std::llround(static_cast<double>(rest) * wage_share));
            const Fen production_net = rest - wage;
            production = static_cast<Fen>(std::llround(static_cast<double>(production_net) / (1 - rng.Uniform(0.15, 0.35))));
            costs = wage + production + transfer + property - net;
        }
        // When the policy money alone passes the figure, the income is what it paid.
        r.wage = wage;
        r.production = production;
        r.property = property;
        r.transfer = transfer;
        r.production_costs = costs;
        out.push_back(std::move(r));
    }
}

void LedgerMaker::Impl::Cover(const Household& h, std::vector<PersonCoverage>& out) const {
    const int first = plan.start_year;
    const int last = options.as_of.year;
    const bool exited = h.status == codes::kStatusExited || h.status == codes::kStatusExitedNoPolicy;
    for (int year = first; year <= last; ++year) {
        const Date year_end{year, 12, 31};
        for (const Person& p : h.members) {
            if (p.birth_date.year > year) continue;
            PersonCoverage c;
            c.household_code = h.household_code;
            c.id_number = p.id_number;
            c.year = year;
            // Gaps only where the household has not exited: an exit checked its cover.
            const std::string key = p.id_number + "/" + std::to_string(year);
            const bool medical = exited || Unit(key, kSaltCover) >= options.medical_gap_share;
            c.basic_medical_insurance = medical;
            c.serious_illness_insurance = medical && (exited || Unit(key, kSaltCover + 1) >= 0.005);
            const int age = p.birth_date.AgeOn(std::min(year_end, options.as_of));
            if (age >= kPensionAge && !InSchool(p))
                c.pension_insurance = exited || Unit(key, kSaltCover + 2) >= 0.02;
            c.dibao = h.attribute == codes::kAttributeDibao;
            c.wubao = h.attribute == codes::kAttributeWubao;
            out.push_back(std::move(c));
        }
    }
}

void LedgerMaker::Impl::Add(const Household& h, Ledger& out) const {
    Rng rng(Hash(h.household_code, kSaltHousehold));
    const size_t first_item = out.items.size();
    std::vector<AssistanceItem> items;
    Items(h, rng, items);
    for (AssistanceItem& it : items) out.items.push_back(std::move(it));
    Income(h, rng, std::span(out.items).subspan(first_item), out.income);
    Cover(h, out.coverage);
}

LedgerMaker::LedgerMaker(const Plan& plan, const LedgerOptions& options) : impl_(std::make_unique<Impl>()) {
    Impl& m = *impl_;
    m.plan = plan;
    m.options = options;
    m.window_start = {plan.start_year, 1, 1};
    const Date window_end{plan.end_year, 12, 31};
    m.last_day = std::min(options.as_of, window_end);
    m.any_days = m.last_day >= m.window_start;
    const double plan_days = static_cast<double>(window_end.DaysSinceEpoch() - m.window_start.DaysSinceEpoch() + 1);
    const double passed = static_cast<double>(m.last_day.DaysSinceEpoch() - m.window_start.DaysSinceEpoch() + 1);
    m.share = m.any_days && plan_days > 0 ? std::clamp(passed / plan_days, 0.0, 1.0) : 0.0;
    if (const PlanMeasure* eco = plan.FindMeasure(kEcology)) {
        for (const auto& [id, value] : eco->other_targets)
            if (id == kRangersTarget) m.rangers_target = value;
        const int persons = eco->target_persons.value_or(0);
        m.ranger_share = persons > 0 ? std::min(1.0, static_cast<double>(m.rangers_target) / persons) : 0.0;
    }
}

LedgerMaker::~LedgerMaker() = default;
LedgerMaker::LedgerMaker(LedgerMaker&&) noexcept = default;
LedgerMaker& LedgerMaker::operator=(LedgerMaker&&) noexcept = default;

void LedgerMaker::Prepare(std::span<const Household> households) { impl_->Prepare(households); }
void LedgerMaker::Add(const Household& household, Ledger& out) { impl_->Add(household, out); }

Ledger GenerateLedger(const Plan& plan, std::span<const Household> households, const LedgerOptions& options) {
    LedgerMaker maker(plan, options);
    maker.Prepare(households);
    Ledger ledger;
    for (const Household& h : households) maker.Add(h, ledger);
    return ledger;
}

}  // namespace jz
