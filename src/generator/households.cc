// A household: its members drawn (family, people, ethnicity and surnames), the needs of its
// measures met, and its own fields filled (Finish): attribute, measures, years and status, living
// conditions, income, causes, pairing cadre and phone.
#include <algorithm>
#include <array>
#include <cmath>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "generator/generator_impl.h"
#include "generator/names.h"

namespace jz::generator_detail {

namespace {

// FNV-1a of a text: a stable choice that takes nothing from the random stream.
uint64_t Fnv1a(std::string_view text) {
    uint64_t h = 14695981039346656037ULL;
    for (unsigned char c : text) h = (h ^ c) * 1099511628211ULL;
    return h;
}
bool OnTrack(std::string_view household_code) { return Fnv1a(household_code) % 2 == 0; }

}  // namespace

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
        const size_t quota = rng_.Below(pairing_quotas_.size());
        cadre_left_ = pairing_quotas_[quota];
        if (options_.cadres) {
            // Another cadre of the same name would be one person to anyone reading the names: a
            // repeated name is replaced by a four-character Tibetan name chosen by a hash.
            // Past 32 tries the pools are spent (a registry far larger than a county): names repeat,
            // as they do among real cadres, and the ID numbers tell them apart.
            for (uint64_t attempt = 0; attempt < 32 && cadre_names_.contains(cadre_); ++attempt) {
                const uint64_t x = Fnv1a(cadre_ + "#" + std::to_string(attempt) + "#" + h.household_code);
                const auto lead = names::TibetanLead();
                const auto tail = (x >> 40) % 3 == 0 ? names::TibetanFemale() : names::TibetanMale();
                cadre_.assign(lead[x % lead.size()]).append(tail[(x >> 20) % tail.size()]);
            }
            cadre_names_.insert(cadre_);
            cadres_.push_back({.name = cadre_,
                               .village_code = h.division_code,
                               .first_household = h.household_code,
                               .quota_id = pairing_quota_ids_[quota],
                               .quota = pairing_quotas_[quota]});
        }
    }
    --cadre_left_;
    h.pairing_cadre.assign(cadre_);
    if (options_.cadres) ++cadres_.back().households;

    if (rng_.Chance(0.85)) {
        const std::string_view prefix = kPhonePrefixes[rng_.Below(std::size(kPhonePrefixes))];
        h.phone.assign(prefix);
        for (int i = 0; i < 8; ++i) h.phone.push_back(static_cast<char>('0' + rng_.Below(10)));
    } else {
        h.phone.clear();
    }
}

}  // namespace jz::generator_detail
