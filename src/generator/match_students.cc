// Match mode's schooling: the education measure's persons met over the whole registry, stage by
// stage, by enrolling or unenrolling members whose schooling decides nothing else.
#include <algorithm>
#include <array>
#include <numeric>
#include <vector>

#include "generator/generator_impl.h"

namespace jz::generator_detail {

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

}  // namespace jz::generator_detail
