// Families. Ages are chosen from the mothers outwards: a mother's children are born when she is
// 18–42, at least ten months apart; spouses are within eight years; the head's parents are 20–36
// years older than the head.
#include <algorithm>
#include <array>
#include <cmath>

#include "generator/generator_impl.h"

namespace jz::generator_detail {
namespace {

double MinMotherAge(int children) { return children <= 0 ? 20.0 : 18.6 + 0.9 * (children - 1) + 0.3; }

}  // namespace

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

}  // namespace jz::generator_detail
