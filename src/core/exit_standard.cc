#include "core/exit_standard.h"

#include <algorithm>
#include <array>
#include <map>

#include "core/assistance.h"
#include "core/codes.h"

namespace jz {
namespace {

std::string Yuan(Fen f) { return FormatCenti(f); }


bool ByDivisionThenCode(const ExitStanding& a, const ExitStanding& b) {
    return std::tie(a.division_code, a.household_code) < std::tie(b.division_code, b.household_code);
}

// Every condition, in the order they are reported and counted.
constexpr std::string_view kConditionIds[] = {"income_unknown",  "income",
                                              "housing",         "water",
                                              "electricity",     "education",
                                              "medical_insurance", "serious_illness_insurance",
                                              "pension_insurance"};

uint8_t Capped(int n) { return static_cast<uint8_t>(std::clamp(n, 0, 255)); }

}  // namespace

bool IsDropoutAge(const Date& birth_date, const Date& on) {
    const int age = birth_date.AgeOn(on);
    return age >= 7 && age <= 15;
}

bool MayExit(int status) { return status == codes::kStatusNotExited || status == codes::kStatusFallback; }

UnmetSet UnmetExitSet(const HouseholdFacts& f, std::optional<Fen> line, const Date& on, bool with_income) {
    UnmetSet u;
    if (with_income) {
        if (!f.net_income_per_head)
            u.bits |= kUnmetIncomeUnknown;
        else if (line && *f.net_income_per_head <= *line)
            u.bits |= kUnmetIncome;
    }
    if (f.dangerous_housing == true)
        u.bits |= kUnmetDangerousHousing;
    else if (f.housing_area && *f.housing_area == 0)
        u.bits |= kUnmetNoHousingArea;
    if (f.safe_water == false) u.bits |= kUnmetWater;
    if (f.household_electricity == false) u.bits |= kUnmetElectricity;
    for (const Date& birth : f.out_of_school_birth_dates)
        if (IsDropoutAge(birth, on) && u.dropouts < 255) ++u.dropouts;
    if (u.dropouts > 0) u.bits |= kUnmetEducation;
    u.medical_uninsured = Capped(f.medical_uninsured);
    u.serious_uninsured = Capped(f.serious_uninsured);
    u.pension_missing = Capped(f.pension_missing);
    if (u.medical_uninsured > 0) u.bits |= kUnmetMedicalInsurance;
    if (u.serious_uninsured > 0) u.bits |= kUnmetSeriousIllnessInsurance;
    if (u.pension_missing > 0) u.bits |= kUnmetPensionInsurance;
    return u;
}

std::vector<UnmetCondition> DescribeUnmet(UnmetSet set, std::optional<Fen> income, std::optional<Fen> line,
                                          int year) {
    std::vector<UnmetCondition> out;
    auto add = [&](std::string_view id, std::string_view standard, std::string zh, std::string en,
                   std::string detail_zh = {}, std::string detail_en = {}) {
        if (detail_zh.empty()) detail_zh = zh;
        if (detail_en.empty()) detail_en = en;
        out.push_back(UnmetCondition{id, standard, std::move(zh), std::move(en), std::move(detail_zh),
                                     std::move(detail_en)});
    };
    if (set.bits & kUnmetIncomeUnknown)
        add("income_unknown", "food", "未登记人均纯收入", "income per head not recorded");
    if ((set.bits & kUnmetIncome) && income && line)
        add("income", "food", "人均纯收入未超过扶贫标准", "income per head not above the poverty line",
            "人均纯收入" + Yuan(*income) + "元,未超过" + std::to_string(year) + "年扶贫标准" + Yuan(*line) +
                "元",
            "income per head " + Yuan(*income) + " yuan is not above the " + std::to_string(year) +
                " poverty line of " + Yuan(*line) + " yuan");
    if (set.bits & kUnmetDangerousHousing) add("housing", "housing", "住危房", "dangerous housing");
    if (set.bits & kUnmetNoHousingArea) add("housing", "housing", "住房面积为0", "no housing area");
    if (set.bits & kUnmetWater) add("water", "food", "饮水不安全", "unsafe drinking water");
    if (set.bits & kUnmetElectricity)
        add("electricity", "housing", "未通生活用电", "no household electricity");
    if (set.bits & kUnmetEducation)
        add("education", "education", "有义务教育阶段辍学成员",
            "a member of compulsory-education age out of school",
            "有" + std::to_string(set.dropouts) + "名义务教育阶段(7-15岁)成员未在校",
            std::to_string(set.dropouts) + " member(s) aged 7-15 not in school");
    if (set.bits & kUnmetMedicalInsurance)
        add("medical_insurance", "medical", "未参加基本医疗保险", "no basic medical insurance",
            "未参加基本医疗保险" + std::to_string(set.medical_uninsured) + "人",
            std::to_string(set.medical_uninsured) + " member(s) without basic medical insurance");
    if (set.bits & kUnmetSeriousIllnessInsurance)
        add("serious_illness_insurance", "medical", "未参加大病保险", "no serious illness insurance",
            "未参加大病保险" + std::to_string(set.serious_uninsured) + "人",
            std::to_string(set.serious_uninsured) + " member(s) without serious illness insurance");
    if (set.bits & kUnmetPensionInsurance)
        add("pension_insurance", "social_security", "未参加城乡居民养老保险", "no pension insurance",
            "未参加城乡居民养老保险" + std::to_string(set.pension_missing) + "人(" + std::to_string(kPensionAge) +
                "岁及以上非在校生)",
            std::to_string(set.pension_missing) + " member(s) aged " + std::to_string(kPensionAge) +
                " or over, not in school, without pension insurance");
    return out;
}

std::vector<UnmetCondition> UnmetExitConditions(const HouseholdFacts& f, const Plan& plan, int year,
                                                const Date& on, bool with_income) {
    const std::optional<Fen> line = plan.PovertyLine(year);
    return DescribeUnmet(UnmetExitSet(f, line, on, with_income), f.net_income_per_head, line, year);
}

ExitCandidatesBuilder::ExitCandidatesBuilder(const Plan& plan, int year, const Date& on)
    : plan_(plan), year_(year), on_(on), line_(plan.PovertyLine(year)) {}

void ExitCandidatesBuilder::Add(const HouseholdFacts& f) {
    // Registered poor in the year: not exited, and identified by then.
    if (!MayExit(f.status) || f.identified_year > year_) return;
    ExitStanding s{f.household_code,
                   f.division_code,
                   f.status,
                   f.persons,
                   f.net_income_per_head,
                   f.planned_exit_year,
                   UnmetExitSet(f, line_, on_)};
    (s.unmet.empty() ? candidates_ : not_ready_).push_back(std::move(s));
    sorted_ = false;
}

void ExitCandidatesBuilder::Sort() {
    if (sorted_) return;
    std::ranges::sort(candidates_, ByDivisionThenCode);
    std::ranges::sort(not_ready_, ByDivisionThenCode);
    sorted_ = true;
}

void ExitCandidatesBuilder::Merge(ExitCandidatesBuilder&& other) {
    const bool both_sorted = sorted_ && other.sorted_;
    auto take = [&](std::vector<ExitStanding>& into, std::vector<ExitStanding>& from) {
        std::vector<ExitStanding> out;
        out.reserve(into.size() + from.size());
        if (both_sorted)
            std::ranges::merge(std::make_move_iterator(into.begin()), std::make_move_iterator(into.end()),
                               std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()),
                               std::back_inserter(out), ByDivisionThenCode);
        else {
            std::ranges::move(into, std::back_inserter(out));
            std::ranges::move(from, std::back_inserter(out));
        }
        into = std::move(out);
        from.clear();
    };
    take(candidates_, other.candidates_);
    take(not_ready_, other.not_ready_);
    sorted_ = both_sorted;
}

ExitCandidatesBuilder::Result ExitCandidatesBuilder::Finish() {
    Result r;
    r.year = year_;
    r.on = on_;
    r.poverty_line = plan_.PovertyLine(year_);
    Sort();
    std::map<std::string, Township> townships;
    std::array<int64_t, std::size(kConditionIds)> unmet{};
    for (const ExitStanding& s : candidates_) {
        Township& t = townships[s.division_code.substr(0, 9)];
        ++t.candidates;
        t.candidate_persons += s.persons;
    }
    for (const ExitStanding& s : not_ready_) {
        Township& t = townships[s.division_code.substr(0, 9)];
        ++t.not_ready;
        t.not_ready_persons += s.persons;
        // kConditionIds order: income_unknown, income, housing (either bit), water, electricity,
        // education, medical_insurance, serious_illness_insurance, pension_insurance.
        const uint16_t b = s.unmet.bits;
        unmet[0] += (b & kUnmetIncomeUnknown) != 0;
        unmet[1] += (b & kUnmetIncome) != 0;
        unmet[2] += (b & (kUnmetDangerousHousing | kUnmetNoHousingArea)) != 0;
        unmet[3] += (b & kUnmetWater) != 0;
        unmet[4] += (b & kUnmetElectricity) != 0;
        unmet[5] += (b & kUnmetEducation) != 0;
        unmet[6] += (b & kUnmetMedicalInsurance) != 0;
        unmet[7] += (b & kUnmetSeriousIllnessInsurance) != 0;
        unmet[8] += (b & kUnmetPensionInsurance) != 0;
    }
    for (auto& [code, t] : townships) {
        t.code = code;
        r.townships.push_back(t);
    }
    for (size_t i = 0; i < std::size(kConditionIds); ++i)
        r.unmet_counts.emplace_back(kConditionIds[i], unmet[i]);
    r.candidates = std::move(candidates_);
    r.not_ready = std::move(not_ready_);
    return r;
}

}  // namespace jz
