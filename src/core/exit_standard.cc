#include "core/exit_standard.h"

#include <algorithm>
#include <map>

#include "core/codes.h"

namespace jz {
namespace {

std::string Yuan(Fen f) { return FormatCenti(f); }

bool ByDivisionThenCode(const ExitStanding& a, const ExitStanding& b) {
    return std::tie(a.division_code, a.household_code) < std::tie(b.division_code, b.household_code);
}

// Every condition, in the order they are reported and counted.
constexpr std::string_view kConditionIds[] = {"income_unknown", "income",      "housing",
                                              "water",          "electricity", "education"};

}  // namespace

bool IsDropoutAge(const Date& birth_date, const Date& on) {
    const int age = birth_date.AgeOn(on);
    return age >= 7 && age <= 15;
}

bool MayExit(int status) { return status == codes::kStatusNotExited || status == codes::kStatusFallback; }

std::vector<UnmetCondition> UnmetExitConditions(const HouseholdFacts& f, const Plan& plan, int year,
                                                const Date& on, bool with_income) {
    std::vector<UnmetCondition> out;
    auto add = [&](std::string_view id, std::string_view standard, std::string zh, std::string en,
                   std::string detail_zh = {}, std::string detail_en = {}) {
        if (detail_zh.empty()) detail_zh = zh;
        if (detail_en.empty()) detail_en = en;
        out.push_back(UnmetCondition{id, standard, std::move(zh), std::move(en), std::move(detail_zh),
                                     std::move(detail_en)});
    };
    if (with_income) {
        const std::optional<Fen> line = plan.PovertyLine(year);
        if (!f.net_income_per_head)
            add("income_unknown", "food", "未登记人均纯收入", "income per head not recorded");
        else if (line && *f.net_income_per_head <= *line)
            add("income", "food", "人均纯收入未超过扶贫标准", "income per head not above the poverty line",
                "人均纯收入" + Yuan(*f.net_income_per_head) + "元,未超过" + std::to_string(year) +
                    "年扶贫标准" + Yuan(*line) + "元",
                "income per head " + Yuan(*f.net_income_per_head) + " yuan is not above the " +
                    std::to_string(year) + " poverty line of " + Yuan(*line) + " yuan");
    }
    if (f.dangerous_housing == true)
        add("housing", "housing", "住危房", "dangerous housing");
    else if (f.housing_area && *f.housing_area == 0)
        add("housing", "housing", "住房面积为0", "no housing area");
    if (f.safe_water == false) add("water", "food", "饮水不安全", "unsafe drinking water");
    if (f.household_electricity == false)
        add("electricity", "housing", "未通生活用电", "no household electricity");
    const auto dropouts = std::ranges::count_if(f.out_of_school_birth_dates,
                                                [&](const Date& birth) { return IsDropoutAge(birth, on); });
    if (dropouts > 0)
        add("education", "education", "有义务教育阶段辍学成员",
            "a member of compulsory-education age out of school",
            "有" + std::to_string(dropouts) + "名义务教育阶段(7-15岁)成员未在校",
            std::to_string(dropouts) + " member(s) aged 7-15 not in school");
    return out;
}

ExitCandidatesBuilder::ExitCandidatesBuilder(const Plan& plan, int year, const Date& on)
    : plan_(plan), year_(year), on_(on) {}

void ExitCandidatesBuilder::Add(const HouseholdFacts& f) {
    if (!MayExit(f.status)) return;
    ExitStanding s{f.household_code,
                   f.division_code,
                   f.status,
                   f.persons,
                   f.net_income_per_head,
                   f.planned_exit_year,
                   UnmetExitConditions(f, plan_, year_, on_)};
    (s.unmet.empty() ? candidates_ : not_ready_).push_back(std::move(s));
}

void ExitCandidatesBuilder::Merge(ExitCandidatesBuilder&& other) {
    for (auto* pair : {&candidates_, &not_ready_}) {
        auto& from = pair == &candidates_ ? other.candidates_ : other.not_ready_;
        pair->insert(pair->end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
        from.clear();
    }
}

ExitCandidatesBuilder::Result ExitCandidatesBuilder::Finish() {
    Result r;
    r.year = year_;
    r.on = on_;
    r.poverty_line = plan_.PovertyLine(year_);
    std::ranges::sort(candidates_, ByDivisionThenCode);
    std::ranges::sort(not_ready_, ByDivisionThenCode);
    std::map<std::string, Township> townships;
    std::map<std::string_view, int64_t> unmet;
    for (const ExitStanding& s : candidates_) {
        Township& t = townships[s.division_code.substr(0, 9)];
        ++t.candidates;
        t.candidate_persons += s.persons;
    }
    for (const ExitStanding& s : not_ready_) {
        Township& t = townships[s.division_code.substr(0, 9)];
        ++t.not_ready;
        t.not_ready_persons += s.persons;
        for (const UnmetCondition& u : s.unmet) ++unmet[u.id];
    }
    for (auto& [code, t] : townships) {
        t.code = code;
        r.townships.push_back(t);
    }
    for (std::string_view id : kConditionIds) r.unmet_counts.emplace_back(id, unmet[id]);
    r.candidates = std::move(candidates_);
    r.not_ready = std::move(not_ready_);
    return r;
}

}  // namespace jz
