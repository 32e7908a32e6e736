#include "generator/generator.h"

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "generator/generator_impl.h"

namespace jz::generator_detail {

namespace {

int Digits(int64_t n) {
    int d = 1;
    while (n >= 10) {
        n /= 10;
        ++d;
    }
    return d;
}

}  // namespace

GeneratorImpl::GeneratorImpl(const Plan& plan, const GeneratorOptions& options, std::string county_code)
    : options_(options),
      codes_(ResolveCodes()),
      rng_(options.seed),
      county_code_(std::move(county_code)),
      used_(Date{options.as_of.year - 105, 1, 1}.DaysSinceEpoch(), options.as_of.DaysSinceEpoch()) {
    for (const FormerCode& f : kFormerCodes)
        if (f.current == county_code_) former_code_ = std::string(f.former);
    poverty_line_ = plan.PovertyLine(options.as_of.year);
    for (int year = plan.start_year; year > 0 && year <= std::max(plan.end_year, options.as_of.year); ++year)
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
    window_first_ = {std::min(plan.start_year > 0 ? plan.start_year : options.as_of.year, options.as_of.year),
                     1, 1};
    window_last_ = {std::max(plan.end_year + 1, options.as_of.year), 12, 31};
    for (const PlanPairingQuota& q : plan.pairing_quotas)
        if (q.households > 0) {
            pairing_quotas_.push_back(q.households);
            pairing_quota_ids_.push_back(q.id);
        }
    if (pairing_quotas_.empty()) {
        pairing_quotas_ = {1, 2, 3};
        pairing_quota_ids_ = {"", "", ""};
    }
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
}  // namespace jz::generator_detail

namespace jz {

using generator_detail::kChawalongTownship;
using generator_detail::kProfileChawalong;
using generator_detail::kProfileDefault;
using generator_detail::kProfileXiachayu;
using generator_detail::kXiachayuTownship;

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
    std::vector<generator_detail::Village> villages;
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

    auto generator = std::make_unique<generator_detail::GeneratorImpl>(plan, options, std::move(county));
    if (options.match_plan) {
        auto ok = generator->SetUpMatch(plan, tree, std::move(villages));
        if (!ok) return std::unexpected(ok.error());
    } else {
        generator->SetUpSpread(plan, std::move(villages), options.households);
    }
    return std::unique_ptr<Generator>(std::move(generator));
}

}  // namespace jz
