#include "core/check.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <numeric>

#include "core/code_names_en.h"
#include "core/codes.h"
#include "core/exit_standard.h"
#include "core/id_number.h"

namespace jz {
namespace {

using S = Severity;
using L = RuleLevel;

constexpr RuleInfo kRules[] = {
    {Rule::kCauseIllnessWithoutIll, "cause.illness_without_ill", S::kError, L::kHousehold,
     "因病致贫但无患病成员", "cause illness but no member chronically or seriously ill"},
    {Rule::kCauseDisabilityWithoutDisabled, "cause.disability_without_disabled", S::kError, L::kHousehold,
     "因残致贫但无残疾成员", "cause disability but no disabled member"},
    {Rule::kCauseSchoolingWithoutStudent, "cause.schooling_without_student", S::kError, L::kHousehold,
     "因学致贫但无在校生", "cause schooling costs but no member in school"},
    {Rule::kAttributeWubaoWithAbleAdult, "attribute.wubao_with_able_adult", S::kError, L::kPerson,
     "五保户有16至65岁有劳动能力的成员", "wubao household with an able member aged 16-65"},
    {Rule::kLabourHealthyAdultUnable, "labour.healthy_adult_unable", S::kWarning, L::kPerson,
     "16至60岁健康人员(非在校生)登记为无劳动能力",
     "healthy person aged 16-60, not in school, recorded as unable to work"},
    {Rule::kSchoolingAgeMismatch, "schooling.age_mismatch", S::kError, L::kPerson, "年龄与在校情况不符",
     "age does not fit the school stage"},
    {Rule::kSchoolingDropout, "schooling.dropout", S::kError, L::kPerson, "义务教育阶段(7至15岁)未在校",
     "aged 7-15 and not in school"},
    {Rule::kRelationSexMismatch, "relation.sex_mismatch", S::kError, L::kPerson, "与户主关系和性别矛盾",
     "relation to head contradicts sex"},
    {Rule::kExitIncomeBelowLine, "exit.income_below_line", S::kError, L::kHousehold,
     "已脱贫户人均纯收入低于当年扶贫标准",
     "exited household with income per head below that year's poverty line"},
    {Rule::kExitStandardUnmet, "exit.standard_unmet", S::kError, L::kHousehold, "已脱贫户未达到两不愁三保障",
     "exited household does not meet the exit standard"},
    {Rule::kIncomeOutOfRange, "income.out_of_range", S::kWarning, L::kHousehold,
     "人均纯收入不在合理范围(0至100000元)", "income per head not in (0, 100000] yuan"},
    {Rule::kMigrantInconsistent, "migrant.inconsistent", S::kWarning, L::kPerson,
     "务工状况与务工时间或劳动能力矛盾", "migrant work contradicts months worked or labour ability"},
    {Rule::kPairingMissing, "pairing.missing", S::kWarning, L::kHousehold, "未脱贫户没有帮扶责任人",
     "household not exited has no pairing cadre"},
    {Rule::kPairingOverQuota, "pairing.over_quota", S::kWarning, L::kHousehold, "帮扶干部结对户数超过职级限额",
     "pairing cadre pairs with more households than the rank's quota"},
    {Rule::kPairingOutsideTownship, "pairing.outside_township", S::kWarning, L::kHousehold,
     "帮扶干部在本乡镇以外结对", "pairing cadre works in another township"},
    {Rule::kPairingRankUnknown, "pairing.rank_unknown", S::kWarning, L::kHousehold, "帮扶干部职级不详",
     "pairing cadre's rank is unknown"},
    {Rule::kPairingCadreInactive, "pairing.cadre_inactive", S::kWarning, L::kHousehold,
     "未脱贫户的帮扶干部已不在任", "household not exited is paired with a cadre no longer serving"},
    {Rule::kTeamOnPostShort, "team.on_post_short", S::kWarning, L::kHousehold, "驻村工作队员月在岗天数不足",
     "work-team member on post fewer days in a month than required"},
    {Rule::kVisitFar, "visit.far", S::kWarning, L::kHousehold, "走访位置距农户登记位置过远",
     "visit recorded far from the household's recorded place"},
    {Rule::kPlanExitOverdue, "plan.exit_overdue", S::kWarning, L::kHousehold, "计划脱贫年度已过仍未脱贫",
     "planned exit year is past and the household has not exited"},
    {Rule::kPersonDuplicate, "person.duplicate", S::kError, L::kPerson, "同一证件号码出现在多户(一人多户)",
     "the same ID number in more than one household"},
    {Rule::kPersonDeceasedOrExcluded, "person.deceased_or_excluded", S::kError, L::kPerson,
     "证件号码出现在比对名单中", "ID number found on a cross-check list"},
};

// The table is indexed by Rule: each entry's position is its enum value.
constexpr bool TableMatchesEnum() {
    for (size_t i = 0; i < std::size(kRules); ++i)
        if (static_cast<size_t>(kRules[i].rule) != i) return false;
    return true;
}
static_assert(TableMatchesEnum(), "kRules must list every Rule once, in the enum's order");
static_assert(std::size(kRules) == static_cast<size_t>(Rule::kPersonDeceasedOrExcluded) + 1,
              "a Rule without an entry in kRules");

size_t RuleIndex(Rule rule) { return static_cast<size_t>(rule); }

bool Ill(const Person& p) { return p.health == codes::kHealthChronic || p.health == codes::kHealthSerious; }
bool Able(const Person& p) { return p.labour == codes::kLabourOrdinary || p.labour == codes::kLabourSkilled; }
bool Unable(const Person& p) { return p.labour == codes::kLabourLost || p.labour == codes::kLabourNone; }
bool Student(const Person& p) { return p.schooling && *p.schooling != codes::kSchoolingNone; }
bool HasCause(const Household& h, int cause) {
    return h.main_cause == cause || std::ranges::find(h.other_causes, cause) != h.other_causes.end();
}

std::string Yuan(Fen f) { return FormatCenti(f); }

bool IsDropout(const Person& p, const Date& as_of) {
    return IsDropoutAge(p.birth_date, as_of) && !Student(p);
}

}  // namespace

std::string_view SeverityName(Severity s) { return s == Severity::kError ? "error" : "warning"; }
std::string_view SeverityNameZh(Severity s) { return s == Severity::kError ? "错误" : "警告"; }
std::string_view SeverityNameEn(Severity s) { return s == Severity::kError ? "Error" : "Warning"; }

std::span<const RuleInfo> Rules() { return kRules; }

const RuleInfo& RuleOf(Rule rule) { return kRules[RuleIndex(rule)]; }

Result<const RuleInfo*> FindRule(std::string_view id) {
    for (const RuleInfo& r : kRules)
        if (r.id == id) return &r;
    const std::string shown(id);
    return Fail("check.unknown_rule", "rule", "未知的数据质量规则: " + shown,
                "unknown data-quality rule: " + shown);
}

namespace {
constexpr std::pair<ListKind, std::string_view> kListKinds[] = {{ListKind::kDeceased, "deceased"},
                                                                {ListKind::kPublicPayroll, "public_payroll"},
                                                                {ListKind::kVehicle, "vehicle"},
                                                                {ListKind::kRealEstate, "real_estate"},
                                                                {ListKind::kBusiness, "business"}};
}  // namespace

std::optional<ListKind> ParseListKind(std::string_view name) {
    for (auto& [k, n] : kListKinds)
        if (n == name) return k;
    return std::nullopt;
}
std::string_view ListKindName(ListKind kind) {
    for (auto& [k, n] : kListKinds)
        if (k == kind) return n;
    return {};
}
std::string_view ListKindNameZh(ListKind kind) {
    switch (kind) {
        case ListKind::kDeceased:
            return "死亡人员名单";
        case ListKind::kPublicPayroll:
            return "财政供养人员名单";
        case ListKind::kVehicle:
            return "车辆登记名单";
        case ListKind::kRealEstate:
            return "商品房登记名单";
        case ListKind::kBusiness:
            return "工商注册名单";
    }
    return {};
}

void ExternalList::Normalize() {
    std::ranges::sort(ids);
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}
bool ExternalList::Contains(uint64_t packed) const { return std::ranges::binary_search(ids, packed); }

namespace {
std::string CadreZh(const PairingFacts::CadreFacts& c) {
    return c.name + "(" + std::string(codes::CadreRank().NameOf(c.rank)) + ")";
}
std::string CadreEn(const PairingFacts::CadreFacts& c) {
    return c.name + " (" + std::string(codes::CodeNameEn("cadre_rank", c.rank)) + ")";
}
std::string_view TownshipOf(std::string_view division) { return division.substr(0, std::min<size_t>(9, division.size())); }
}  // namespace

RegistryChecker::RegistryChecker(const Plan& plan, CheckOptions options)
    : plan_(plan), options_(std::move(options)) {
    for (ExternalList& l : options_.lists) l.Normalize();
    if (const PairingFacts* facts = options_.pairing) {
        // Each cadre's current households, the earliest paired first: those beyond the quota are
        // the latest. When the facts hold fewer of a cadre's households than its load (a scope
        // sees part of them), the excess is load - quota, taken from the latest of those seen.
        std::vector<const PairingFacts::HouseholdPairing*> current;
        current.reserve(facts->current.size());
        for (const auto& p : facts->current) current.push_back(&p);
        std::ranges::sort(current, [](const auto* a, const auto* b) {
            if (a->cadre_id != b->cadre_id) return a->cadre_id < b->cadre_id;
            if (a->from != b->from) return a->from < b->from;
            return a->household_code < b->household_code;
        });
        for (size_t i = 0; i < current.size();) {
            size_t j = i;
            while (j < current.size() && current[j]->cadre_id == current[i]->cadre_id) ++j;
            if (const auto* cadre = facts->FindCadre(current[i]->cadre_id)) {
                const int64_t seen = static_cast<int64_t>(j - i);
                const int64_t load = std::max<int64_t>(cadre->load, seen);
                const int64_t excess = std::min<int64_t>(seen, load - std::max(cadre->quota, 0));
                for (int64_t k = 0; k < excess; ++k) over_quota_.push_back(current[j - 1 - k]->household_code);
            }
            i = j;
        }
        std::ranges::sort(over_quota_);
    }
}

void RegistryChecker::Emit(Rule rule, const Household& h, const Person* p, std::string zh, std::string en) {
    const RuleInfo& info = RuleOf(rule);
    Finding f;
    f.rule = info.id;
    f.rule_name = rule;
    f.severity = info.severity;
    f.household_code = h.household_code;
    if (p) f.id_number = p->id_number;
    f.division_code = h.division_code;
    f.message_zh = std::move(zh);
    f.message_en = std::move(en);
    findings_.push_back(std::move(f));
    finding_household_.push_back(static_cast<uint32_t>(household_codes_.size() - 1));
}

void RegistryChecker::Add(const Household& h, bool in_scope) {
    const uint32_t index = static_cast<uint32_t>(household_codes_.size());
    household_codes_.push_back(h.household_code);
    household_divisions_.push_back(h.division_code);
    household_in_scope_.push_back(in_scope);
    for (const Person& p : h.members)
        if (p.id_number.size() == 18) ids_.emplace_back(PackIdNumber(p.id_number), index);
    if (!in_scope) return;
    const Date& on = options_.as_of;

    // Causes against members.
    if (HasCause(h, codes::kCauseIllness) && std::ranges::none_of(h.members, Ill))
        Emit(Rule::kCauseIllnessWithoutIll, h, nullptr, "致贫原因含因病,但没有成员患长期慢性病或大病",
             "illness is a cause but no member has a chronic or serious illness");
    if (HasCause(h, codes::kCauseDisability) &&
        std::ranges::none_of(h.members, [](const Person& p) { return p.health == codes::kHealthDisabled; }))
        Emit(Rule::kCauseDisabilityWithoutDisabled, h, nullptr, "致贫原因含因残,但没有残疾成员",
             "disability is a cause but no member is disabled");
    if (HasCause(h, codes::kCauseSchooling) && std::ranges::none_of(h.members, Student))
        Emit(Rule::kCauseSchoolingWithoutStudent, h, nullptr, "致贫原因含因学,但没有在校生",
             "schooling costs are a cause but no member is in school");

    const Person* head = h.head();
    for (const Person& p : h.members) {
        const int age = p.birth_date.AgeOn(on);
        // Names for messages are built only when a rule fires: most people have no finding.
        auto who = [&] { return p.name + "(" + std::to_string(age) + "岁)"; };
        auto who_en = [&] { return p.name + " (aged " + std::to_string(age) + ")"; };
        if (h.attribute == codes::kAttributeWubao && age >= 16 && age <= 65 && Able(p))
            Emit(Rule::kAttributeWubaoWithAbleAdult, h, &p, "五保户成员" + who() + "有劳动能力",
                 "wubao household member " + who_en() + " is able to work");
        // Pupils and students are recorded as without labour ability; that is not a contradiction.
        if (p.health == codes::kHealthHealthy && age >= 16 && age <= 60 && Unable(p) && !Student(p))
            Emit(Rule::kLabourHealthyAdultUnable, h, &p,
                 who() + "健康但登记为" + std::string(codes::Labour().NameOf(*p.labour)),
                 who_en() + " is healthy but recorded as unable to work");
        if (p.schooling) {
            const int s = *p.schooling;
            if (age <= 14 && s >= codes::kSchoolingSenior1)
                Emit(Rule::kSchoolingAgeMismatch, h, &p,
                     who() + "在读" + std::string(codes::Schooling().NameOf(s)),
                     who_en() + " is recorded in senior school or above");
            else if (age >= 20 && s == codes::kSchoolingPrimary)
                Emit(Rule::kSchoolingAgeMismatch, h, &p, who() + "在读小学",
                     who_en() + " is recorded in primary school");
        }
        if (IsDropout(p, on))
            Emit(Rule::kSchoolingDropout, h, &p,
                 who() + (p.schooling ? "不是在校生" : "未填写在校生状况") + "(义务教育阶段)",
                 who_en() + (p.schooling ? " is not in school" : " has no schooling status") +
                     " (compulsory education age)");
        const int implied = codes::SexImpliedByRelation(p.relation);
        if (implied != 0 && p.sex != 0 && implied != p.sex)
            Emit(Rule::kRelationSexMismatch, h, &p,
                 who() + "为" + std::string(codes::Relation().NameOf(p.relation)) + "但性别为" +
                     std::string(codes::Sex().NameOf(p.sex)),
                 who_en() + ": relation " + std::string(codes::Relation().NameOf(p.relation)) +
                     " contradicts sex " + std::string(codes::Sex().NameOf(p.sex)));
        if (p.relation == codes::kRelationSpouse && head && head->sex != 0 && head->sex == p.sex)
            Emit(Rule::kRelationSexMismatch, h, &p, who() + "为配偶,但与户主同性别",
                 who_en() + " is the spouse but has the head's sex");
        const bool migrant = p.migrant_work.has_value();
        const bool months = p.months_worked && *p.months_worked > 0;
        if (months && !migrant)
            Emit(Rule::kMigrantInconsistent, h, &p, who() + "有务工时间但未登记务工状况",
                 who_en() + " has months worked but no migrant work recorded");
        else if (migrant && !months)
            Emit(Rule::kMigrantInconsistent, h, &p, who() + "登记了务工状况但务工时间为0或空",
                 who_en() + " has migrant work recorded but no months worked");
        if (migrant && Unable(p))
            Emit(Rule::kMigrantInconsistent, h, &p, who() + "无劳动能力却登记了务工",
                 who_en() + " is unable to work but has migrant work recorded");
        if (!options_.lists.empty() && p.id_number.size() == 18) {
            const uint64_t packed = PackIdNumber(p.id_number);
            for (const ExternalList& l : options_.lists)
                if (l.Contains(packed))
                    Emit(Rule::kPersonDeceasedOrExcluded, h, &p,
                         who() + "的证件号码在" + std::string(ListKindNameZh(l.kind)) + "中",
                         who_en() + "'s ID number is on the " + std::string(ListKindName(l.kind)) + " list");
        }
    }

    // Exit.
    if (h.exited()) {
        const int year = h.exit_year.value_or(on.year);
        const auto line = plan_.PovertyLine(year);
        if (line && h.net_income_per_head && *h.net_income_per_head < *line)
            Emit(Rule::kExitIncomeBelowLine, h, nullptr,
                 "人均纯收入" + Yuan(*h.net_income_per_head) + "元低于" + std::to_string(year) +
                     "年扶贫标准" + Yuan(*line) + "元",
                 "income per head " + Yuan(*h.net_income_per_head) + " yuan is below the " +
                     std::to_string(year) + " poverty line of " + Yuan(*line) + " yuan");
        std::string zh, en;
        for (const UnmetCondition& u : UnmetExitConditions(FactsOf(h), plan_, year, on, false)) {
            zh += (zh.empty() ? "" : "、") + u.name_zh;
            en += (en.empty() ? "" : ", ") + u.name_en;
        }
        if (!zh.empty()) Emit(Rule::kExitStandardUnmet, h, nullptr, "已脱贫但" + zh, "exited but: " + en);
    }
    if (h.net_income_per_head && (*h.net_income_per_head <= 0 || *h.net_income_per_head > 100'000'00))
        Emit(Rule::kIncomeOutOfRange, h, nullptr,
             "人均纯收入" + Yuan(*h.net_income_per_head) + "元不在合理范围",
             "income per head " + Yuan(*h.net_income_per_head) + " yuan is out of range");
    if (const PairingFacts* facts = options_.pairing) {
        AddPairing(h, *facts);
    } else if (!h.exited() && h.pairing_cadre.empty()) {
        Emit(Rule::kPairingMissing, h, nullptr, "未脱贫户没有帮扶责任人",
             "household not exited has no pairing cadre");
    }
    if (!h.exited() && h.planned_exit_year && *h.planned_exit_year < on.year)
        Emit(Rule::kPlanExitOverdue, h, nullptr,
             "计划" + std::to_string(*h.planned_exit_year) + "年脱贫,截至" + on.ToString() + "仍未脱贫",
             "planned to exit in " + std::to_string(*h.planned_exit_year) + ", not exited as of " +
                 on.ToString());
}

void RegistryChecker::AddPairing(const Household& h, const PairingFacts& facts) {
    const PairingFacts::HouseholdPairing* pairing = facts.FindCurrent(h.household_code);
    if (!pairing) {
        if (!h.exited())
            Emit(Rule::kPairingMissing, h, nullptr, "未脱贫户没有帮扶责任人",
                 "household not exited has no pairing cadre");
    } else if (const PairingFacts::CadreFacts* cadre = facts.FindCadre(pairing->cadre_id)) {
        const std::string zh = CadreZh(*cadre), en = CadreEn(*cadre);
        if (std::ranges::binary_search(over_quota_, h.household_code))
            Emit(Rule::kPairingOverQuota, h, nullptr,
                 "帮扶责任人" + zh + "结对" + std::to_string(cadre->load) + "户,超过限额" +
                     std::to_string(cadre->quota) + "户;本户自" + pairing->from.ToString() + "结对,在限额之外",
                 "pairing cadre " + en + " pairs with " + std::to_string(cadre->load) +
                     " households, above the quota of " + std::to_string(cadre->quota) + "; this one, paired since " +
                     pairing->from.ToString() + ", is beyond it");
        const std::string_view town = TownshipOf(h.division_code);
        if (!cadre->township_code.empty() && cadre->township_code != town)
            Emit(Rule::kPairingOutsideTownship, h, nullptr,
                 "帮扶责任人" + zh + "在乡镇" + cadre->township_code + "工作,本户在乡镇" + std::string(town),
                 "pairing cadre " + en + " works in township " + cadre->township_code +
                     ", the household is in township " + std::string(town));
        if (cadre->rank == kRankUnknown || !codes::CadreRank().Contains(cadre->rank))
            Emit(Rule::kPairingRankUnknown, h, nullptr, "帮扶责任人" + cadre->name + "职级不详,请补录职级",
                 "pairing cadre " + cadre->name + " has no known rank; record it");
        if (!cadre->active && !h.exited())
            Emit(Rule::kPairingCadreInactive, h, nullptr,
                 "帮扶责任人" + zh + "截至" + options_.as_of.ToString() + "已不在任",
                 "pairing cadre " + en + " is not serving on " + options_.as_of.ToString());
    }
    auto far = std::ranges::lower_bound(facts.far_visits, std::string_view(h.household_code), {},
                                        [](const PairingFacts::FarVisit& v) { return std::string_view(v.household_code); });
    for (; far != facts.far_visits.end() && far->household_code == h.household_code; ++far)
        Emit(Rule::kVisitFar, h, nullptr,
             far->date.ToString() + "的走访位置距农户登记位置" + std::to_string(far->distance_m) + "米(超过" +
                 std::to_string(plan_.pairing.visit_distance_m) + "米)",
             "the visit of " + far->date.ToString() + " was recorded " + std::to_string(far->distance_m) +
                 " m from the household's place (more than " + std::to_string(plan_.pairing.visit_distance_m) +
                 " m)");
}

void RegistryChecker::Merge(RegistryChecker&& other) {
    const auto offset = static_cast<uint32_t>(household_codes_.size());
    for (auto& code : other.household_codes_) household_codes_.push_back(std::move(code));
    for (auto& division : other.household_divisions_) household_divisions_.push_back(std::move(division));
    household_in_scope_.insert(household_in_scope_.end(), other.household_in_scope_.begin(),
                               other.household_in_scope_.end());
    ids_.reserve(ids_.size() + other.ids_.size());
    for (const auto& [id, index] : other.ids_) ids_.emplace_back(id, index + offset);
    for (size_t i = 0; i < other.findings_.size(); ++i) {
        findings_.push_back(std::move(other.findings_[i]));
        finding_household_.push_back(other.finding_household_[i] + offset);
    }
    other.findings_.clear();
    other.finding_household_.clear();
    other.ids_.clear();
    other.household_codes_.clear();
    other.household_divisions_.clear();
    other.household_in_scope_.clear();
}

std::vector<Finding> RegistryChecker::Finish() {
    // Findings so far are in household order; person.duplicate ones are placed by household too.
    std::vector<std::pair<uint32_t, Finding>> ordered;
    ordered.reserve(findings_.size());
    for (size_t i = 0; i < findings_.size(); ++i)
        ordered.emplace_back(finding_household_[i], std::move(findings_[i]));
    std::ranges::sort(ids_);
    for (size_t i = 0; i < ids_.size();) {
        size_t j = i + 1;
        while (j < ids_.size() && ids_[j].first == ids_[i].first) ++j;
        if (ids_[j - 1].second != ids_[i].second) {
            for (size_t k = i; k < j; ++k) {
                const uint32_t hi = ids_[k].second;
                if (!household_in_scope_[hi]) continue;
                std::string others;
                for (size_t m = i; m < j; ++m)
                    if (ids_[m].second != hi && household_codes_[ids_[m].second] != household_codes_[hi]) {
                        if (!others.empty()) others += ", ";
                        others += household_codes_[ids_[m].second];
                    }
                if (others.empty()) continue;  // twice in one household: the import refuses that
                // Unpack the ID: 17 digits and a check character.
                uint64_t v = ids_[k].first;
                const uint64_t check = v % 11;
                v /= 11;
                std::string id(17, '0');
                for (int d = 16; d >= 0; --d, v /= 10) id[d] = static_cast<char>('0' + v % 10);
                id += check == 10 ? 'X' : static_cast<char>('0' + check);
                const RuleInfo& info = RuleOf(Rule::kPersonDuplicate);
                ordered.emplace_back(
                    hi, Finding{info.id, info.severity, household_codes_[hi], id, household_divisions_[hi],
                                "证件号码" + id + "同时登记在户" + others + "中",
                                "ID number " + id + " is also registered in household " + others, info.rule});
            }
        }
        i = j;
    }
    // Villages' findings: team members short of days on post (the facts are the scope's).
    if (const PairingFacts* facts = options_.pairing) {
        const RuleInfo& info = RuleOf(Rule::kTeamOnPostShort);
        const int min_days = facts->on_post_min_days;
        for (const PairingFacts::ShortOnPost& s : facts->short_on_post) {
            if (s.days >= min_days) continue;
            char month[8];
            std::snprintf(month, sizeof month, "%04d-%02d", s.year % 10000, std::clamp(s.month, 0, 99));
            ordered.emplace_back(
                UINT32_MAX,
                Finding{info.id, info.severity, "", std::nullopt, s.village_code,
                        "驻村工作队员" + s.cadre_name + std::string(month) + "在岗" + std::to_string(s.days) +
                            "天,少于" + std::to_string(min_days) + "天",
                        "work-team member " + s.cadre_name + " was on post " + std::to_string(s.days) + " days in " +
                            std::string(month) + ", fewer than " + std::to_string(min_days),
                        info.rule});
        }
    }
    // Report order is independent of the order households were seen in: by org unit, household,
    // rule, person.
    std::ranges::stable_sort(ordered, [](const auto& a, const auto& b) {
        const Finding& x = a.second;
        const Finding& y = b.second;
        if (x.division_code != y.division_code) return x.division_code < y.division_code;
        if (x.household_code != y.household_code) return x.household_code < y.household_code;
        if (a.first != b.first) return a.first < b.first;
        return RuleIndex(x.rule_name) < RuleIndex(y.rule_name);
    });
    std::vector<Finding> out;
    out.reserve(ordered.size());
    for (auto& [hi, f] : ordered) out.push_back(std::move(f));
    findings_.clear();
    finding_household_.clear();
    return out;
}

std::vector<std::pair<std::string_view, int64_t>> CountByRule(std::span<const Finding> findings) {
    std::vector<std::pair<std::string_view, int64_t>> counts;
    for (const RuleInfo& r : kRules) counts.emplace_back(r.id, 0);
    for (const Finding& f : findings) counts[RuleIndex(f.rule_name)].second += 1;
    return counts;
}

}  // namespace jz
