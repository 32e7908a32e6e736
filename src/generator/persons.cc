// People: a person's ID number (unique in the registry), name, schooling and education, health,
// labour and migrant work.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "core/id_number.h"
#include "generator/generator_impl.h"
#include "generator/names.h"

namespace jz::generator_detail {

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

}  // namespace jz::generator_detail
