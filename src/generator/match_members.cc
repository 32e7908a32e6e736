// Match mode's members: a family drawn for each household until one meets the exact counts its
// measures ask (Conform), and the changes that put a member to work or keep one from counting.
#include <algorithm>
#include <array>
#include <vector>

#include "core/progress.h"
#include "generator/generator_impl.h"

namespace jz::generator_detail {

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

}  // namespace jz::generator_detail
