#include "core/assistance.h"

#include <algorithm>
#include <set>
#include <unordered_map>
#include <utility>

#include "core/codes.h"
#include "core/id_number.h"

namespace jz {
namespace {

constexpr Fen kMaxAmount = Fen{1'000'000'000'000};  // 10^10 yuan in fen (exclusive)
constexpr size_t kMaxNotes = 500;                    // characters
constexpr size_t kMaxFundRef = 60;
constexpr size_t kMaxSignedBy = 60;

Error Problem(std::string code, std::string field, std::string zh, std::string en) {
    return Error{.code = std::move(code), .field = std::move(field), .message_zh = std::move(zh),
                 .message_en = std::move(en)};
}

// Characters (UTF-8 code points), not bytes.
size_t CharCount(std::string_view s) {
    size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

bool HasControl(std::string_view s, bool allow_newlines) {
    for (unsigned char c : s) {
        if (allow_newlines && (c == '\n' || c == '\t' || c == '\r')) continue;
        if (c < 0x20 || c == 0x7F) return true;
    }
    return false;
}

bool CodeSyntaxOk(std::string_view code) {
    if (code.empty() || code.size() > 40) return false;
    for (char c : code) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '_';
        if (!ok) return false;
    }
    return true;
}

// Half away from zero: num / den with den > 0.
int64_t DivRound(int64_t num, int64_t den) {
    if (num >= 0) return (num + den / 2) / den;
    return -((-num + den / 2) / den);
}

std::string Yuan(Fen fen) { return FormatCenti(fen); }

void CheckAmount(std::vector<Error>& out, const std::optional<Fen>& value, const char* field, const char* zh_name,
                 const char* en_name) {
    if (!value) return;
    if (*value < 0)
        out.push_back(Problem("assistance.amount_negative", field, std::string(zh_name) + "不能为负数",
                              std::string(en_name) + " must not be negative"));
    else if (*value >= kMaxAmount)
        out.push_back(Problem("assistance.amount_too_large", field,
                              std::string(zh_name) + "须小于100亿元(" + Yuan(*value) + ")",
                              std::string(en_name) + " must be below 10,000,000,000 yuan (" + Yuan(*value) + ")"));
}

// The months (1..12) of `year` during which an item running [start, end] (end nullopt: open) ran.
int MonthsRunIn(const Date& start, const std::optional<Date>& end, int year) {
    int months = 0;
    for (int m = 1; m <= 12; ++m) {
        const Date first{year, m, 1};
        const Date last{year, m, 31};  // compares after every real day of the month
        if (start <= last && (!end || *end >= first)) ++months;
    }
    return months;
}

}  // namespace

bool AssistanceItem::ActiveDuring(const Date& from, const Date& to) const {
    return start_date <= to && (!end_date || *end_date >= from);
}

std::string NaturalKeyOf(const AssistanceItem& item) {
    std::string key = item.household_code;
    key += '|';
    key += std::to_string(item.measure);
    key += '|';
    key += std::to_string(item.category);
    key += '|';
    key += std::to_string(item.kind);
    key += '|';
    key += item.start_date.ToString();
    key += '|';
    std::vector<std::string> members = item.member_ids;
    std::ranges::sort(members);
    for (size_t i = 0; i < members.size(); ++i) {
        if (i) key += ',';
        key += members[i];
    }
    return key;
}

std::vector<Error> ValidateItem(const AssistanceItem& item, const Plan& plan) {
    std::vector<Error> out;
    if (!item.item_code.empty() && !CodeSyntaxOk(item.item_code))
        out.push_back(Problem("assistance.item_code", "item_code",
                              "项目编号只能由1至40个字母、数字、“-”或“_”组成: " + item.item_code,
                              "the item code must be 1 to 40 letters, digits, '-' or '_': " + item.item_code));
    if (item.household_code.empty())
        out.push_back(Problem("assistance.household_code", "household_code", "缺少户编号", "the household code is missing"));
    else if (item.household_code.size() > 40 || HasControl(item.household_code, false))
        out.push_back(Problem("assistance.household_code", "household_code", "户编号格式不正确",
                              "the household code is malformed"));

    // Members: normalised ID numbers, sorted, no repeats.
    for (size_t i = 0; i < item.member_ids.size(); ++i) {
        const std::string& id = item.member_ids[i];
        auto parsed = ParseIdNumber(id);
        if (!parsed || parsed->value != id) {
            out.push_back(Problem("assistance.member_id", "member_ids", "受益成员身份证号不正确: " + id,
                                  "a member's ID number is not valid: " + id));
            continue;
        }
        if (i > 0 && item.member_ids[i - 1] == id)
            out.push_back(Problem("assistance.member_repeated", "member_ids", "受益成员重复: " + id,
                                  "a member is named twice: " + id));
        else if (i > 0 && item.member_ids[i - 1] > id)
            out.push_back(Problem("assistance.member_order", "member_ids", "受益成员须按身份证号排序",
                                  "the members must be sorted by ID number"));
    }

    const PlanMeasure* measure = plan.FindMeasure(item.measure);
    if (!measure)
        out.push_back(Problem("assistance.measure", "measure",
                              "规划中没有第" + std::to_string(item.measure) + "项帮扶措施",
                              "the plan has no measure " + std::to_string(item.measure)));
    if (!codes::AssistanceCategory().Contains(item.category)) {
        out.push_back(Problem("assistance.category", "category", "帮扶类别代码不存在: " + std::to_string(item.category),
                              "unknown assistance category code: " + std::to_string(item.category)));
    } else if (auto stage = codes::EducationStageOf(item.category); stage && measure) {
        const bool in_plan = std::ranges::any_of(measure->stages, [&](const PlanMeasureStage& s) { return s.id == *stage; });
        if (!in_plan)
            out.push_back(Problem(
                "assistance.category_measure", "category",
                "教育类别(" + std::string(codes::AssistanceCategory().NameOf(item.category)) + ")只能用于教育扶贫措施的学段, 第" +
                    std::to_string(item.measure) + "项措施没有该学段",
                "an education category (" + std::string(*stage) + ") belongs only to the education measure's stages; measure " +
                    std::to_string(item.measure) + " has no such stage"));
    }
    if (!codes::AssistanceKind().Contains(item.kind))
        out.push_back(Problem("assistance.kind", "kind", "帮扶方式代码不存在: " + std::to_string(item.kind),
                              "unknown assistance kind code: " + std::to_string(item.kind)));

    if (item.start_date.year == 0 || !Date::IsValid(item.start_date.year, item.start_date.month, item.start_date.day))
        out.push_back(Problem("assistance.start_date", "start_date", "缺少开始日期或日期无效",
                              "the start date is missing or not a valid date"));
    if (item.end_date && *item.end_date < item.start_date)
        out.push_back(Problem("assistance.end_before_start", "end_date",
                              "结束日期(" + item.end_date->ToString() + ")早于开始日期(" + item.start_date.ToString() + ")",
                              "the end date (" + item.end_date->ToString() + ") is before the start date (" +
                                  item.start_date.ToString() + ")"));

    CheckAmount(out, item.amount, "amount", "金额", "the amount");
    CheckAmount(out, item.periodic_amount, "periodic_amount", "周期金额", "the periodic amount");
    if (item.periodic_amount && !item.period)
        out.push_back(Problem("assistance.period_missing", "period", "有周期金额时须填写发放周期(按月或按年)",
                              "a periodic amount needs its period (monthly or yearly)"));
    if (item.period && !codes::AssistancePeriod().Contains(*item.period))
        out.push_back(Problem("assistance.period", "period", "发放周期代码不存在: " + std::to_string(*item.period),
                              "unknown payment period code: " + std::to_string(*item.period)));
    else if (item.period && !item.periodic_amount)
        out.push_back(Problem("assistance.periodic_amount_missing", "periodic_amount", "填写了发放周期却没有周期金额",
                              "a period is given without a periodic amount"));

    switch (item.kind) {
        case codes::kKindCash:
            if (!item.amount && !item.periodic_amount)
                out.push_back(Problem("assistance.amount_missing", "amount", "现金帮扶须填写金额或周期金额",
                                      "cash assistance needs an amount or a periodic amount"));
            break;
        case codes::kKindGoods:
            if (!item.amount)
                out.push_back(Problem("assistance.amount_missing", "amount", "实物帮扶须填写折价金额",
                                      "goods in kind need their value as the amount"));
            break;
        case codes::kKindLoan:
            if (!item.amount)
                out.push_back(Problem("assistance.amount_missing", "amount", "贷款须填写本金金额",
                                      "a loan needs its principal as the amount"));
            break;
        case codes::kKindJobPost:
            if (!item.periodic_amount && !item.amount)
                out.push_back(Problem("assistance.periodic_amount_missing", "periodic_amount",
                                      "岗位须填写工资(按月或按年的周期金额)",
                                      "a job post needs its pay (a monthly or yearly periodic amount)"));
            break;
        case codes::kKindShare:
            if (!item.amount)
                out.push_back(Problem("assistance.amount_missing", "amount", "股份须填写量化金额",
                                      "a share needs its quantified value as the amount"));
            break;
        default:
            break;
    }

    if (item.fund_ref.size() > kMaxFundRef || HasControl(item.fund_ref, false))
        out.push_back(Problem("assistance.fund_ref", "fund_ref", "项目或资金编号过长(最多60个字符)或含控制字符",
                              "the project or fund code is too long (at most 60 characters) or has control characters"));
    if (CharCount(item.notes) > kMaxNotes)
        out.push_back(Problem("assistance.notes", "notes",
                              "备注最多500个字符(现有" + std::to_string(CharCount(item.notes)) + "个)",
                              "the notes are at most 500 characters (" + std::to_string(CharCount(item.notes)) + " given)"));

    if (item.signed_on) {
        if (*item.signed_on < item.start_date)
            out.push_back(Problem("assistance.signed_before_start", "signed_on",
                                  "签字确认日期(" + item.signed_on->ToString() + ")早于开始日期(" +
                                      item.start_date.ToString() + ")",
                                  "the sign-off date (" + item.signed_on->ToString() + ") is before the start date (" +
                                      item.start_date.ToString() + ")"));
        if (item.signed_by.empty())
            out.push_back(Problem("assistance.signed_by_missing", "signed_by", "签字确认须写明签字人",
                                  "a sign-off needs the name of who signed"));
    } else if (!item.signed_by.empty()) {
        out.push_back(Problem("assistance.signed_on_missing", "signed_on", "有签字人却没有签字日期",
                              "a signer is given without the sign-off date"));
    }
    if (CharCount(item.signed_by) > kMaxSignedBy || HasControl(item.signed_by, false))
        out.push_back(Problem("assistance.signed_by", "signed_by", "签字人姓名过长(最多60个字符)或含控制字符",
                              "the signer's name is too long (at most 60 characters) or has control characters"));
    return out;
}

std::vector<Error> ValidateItemMembers(const AssistanceItem& item, const Household& household) {
    std::vector<Error> out;
    for (const std::string& id : item.member_ids) {
        const bool member = std::ranges::any_of(household.members, [&](const Person& p) { return p.id_number == id; });
        if (!member)
            out.push_back(Problem("assistance.member", "member_ids",
                                  "身份证号" + id + "不是户" + household.household_code + "的成员",
                                  "ID number " + id + " is not a member of household " + household.household_code));
    }
    return out;
}

IncomeContribution ContributionInYear(const AssistanceItem& item, int year) {
    IncomeContribution out;
    if (!item.signed_off()) return out;
    const int kind = item.kind;
    if (kind != codes::kKindCash && kind != codes::kKindJobPost && kind != codes::kKindShare) return out;
    Fen total = 0;
    // A share's one-off amount is its quantified value, not income; its dividends are periodic.
    if (item.amount && kind != codes::kKindShare && item.start_date.year == year) total += *item.amount;
    if (item.periodic_amount && item.period) {
        const int months = MonthsRunIn(item.start_date, item.end_date, year);
        if (*item.period == codes::kPeriodMonthly)
            total += *item.periodic_amount * months;
        else if (*item.period == codes::kPeriodYearly)
            total += DivRound(*item.periodic_amount * months, 12);
    }
    if (item.category == codes::kCategoryCooperative || kind == codes::kKindShare)
        out.property = total;
    else
        out.transfer = total;
    return out;
}

std::vector<Error> ValidateIncome(const IncomeRecord& r) {
    std::vector<Error> out;
    if (r.household_code.empty())
        out.push_back(Problem("income.household_code", "household_code", "缺少户编号", "the household code is missing"));
    if (r.year < 2000 || r.year > 2100)
        out.push_back(Problem("income.year", "year", "年度须在2000至2100之间: " + std::to_string(r.year),
                              "the year must be within 2000..2100: " + std::to_string(r.year)));
    if (r.persons < 1)
        out.push_back(Problem("income.persons", "persons", "家庭人口须至少1人: " + std::to_string(r.persons),
                              "the household must count at least 1 person: " + std::to_string(r.persons)));
    const std::pair<const std::optional<Fen>*, std::pair<const char*, std::pair<const char*, const char*>>> parts[] = {
        {&r.wage, {"wage", {"工资性收入", "wage income"}}},
        {&r.production, {"production", {"生产经营性收入", "production and business income"}}},
        {&r.property, {"property", {"财产性收入", "property income"}}},
        {&r.transfer, {"transfer", {"转移性收入", "transfer income"}}},
        {&r.production_costs, {"production_costs", {"生产经营费用", "production costs"}}},
    };
    for (const auto& [value, names] : parts) {
        if (!*value) continue;
        const auto& [field, label] = names;
        if (**value < 0)
            out.push_back(Problem("income.negative", field, std::string(label.first) + "不能为负数",
                                  std::string(label.second) + " must not be negative"));
        else if (**value >= kMaxAmount)
            out.push_back(Problem("income.too_large", field, std::string(label.first) + "须小于100亿元",
                                  std::string(label.second) + " must be below 10,000,000,000 yuan"));
    }
    if (r.has_parts() && r.typed_per_head)
        out.push_back(Problem("income.total_with_parts", "net_income_per_head",
                              "已填写收入构成时不能再填写人均纯收入(由构成计算)",
                              "net income per head is computed from the parts; it cannot be typed as well"));
    if (!r.has_parts() && !r.typed_per_head)
        out.push_back(Problem("income.missing", "wage", "须填写收入构成(工资性、生产经营性、财产性、转移性收入及生产经营费用)",
                              "give the income by its parts (wage, production, property, transfer, production costs)"));
    if (r.typed_per_head && (*r.typed_per_head <= -kMaxAmount || *r.typed_per_head >= kMaxAmount))
        out.push_back(Problem("income.too_large", "net_income_per_head", "人均纯收入超出范围",
                              "net income per head is out of range"));
    if (CharCount(r.notes) > kMaxNotes)
        out.push_back(Problem("income.notes", "notes", "备注最多500个字符", "the notes are at most 500 characters"));
    return out;
}

std::optional<Fen> NetIncome(const IncomeRecord& r) {
    if (!r.has_parts()) return std::nullopt;
    return r.wage.value_or(0) + r.production.value_or(0) + r.property.value_or(0) + r.transfer.value_or(0) -
           r.production_costs.value_or(0);
}

std::optional<Fen> NetIncomePerHead(const IncomeRecord& r) {
    if (!r.has_parts()) return r.typed_per_head;
    if (r.persons < 1) return std::nullopt;
    return DivRound(*NetIncome(r), r.persons);
}

std::vector<IncomeYearView> IncomeYears(std::span<const IncomeRecord> records, std::span<const AssistanceItem> items) {
    std::map<int, IncomeYearView> years;
    int last_year = 0;
    for (const IncomeRecord& r : records) last_year = std::max(last_year, r.year);
    for (const AssistanceItem& item : items) {
        last_year = std::max(last_year, item.start_date.year);
        if (item.end_date) last_year = std::max(last_year, item.end_date->year);
    }
    for (const AssistanceItem& item : items) {
        if (!item.signed_off()) continue;
        const int end = item.end_date ? item.end_date->year : last_year;
        for (int y = item.start_date.year; y <= end; ++y) {
            const IncomeContribution c = ContributionInYear(item, y);
            if (c.total() == 0) continue;
            IncomeYearView& v = years[y];
            v.year = y;
            v.from_assistance.transfer += c.transfer;
            v.from_assistance.property += c.property;
        }
    }
    for (const IncomeRecord& r : records) {
        IncomeYearView& v = years[r.year];
        v.year = r.year;
        v.record = r;
        v.net_income = NetIncome(r);
        v.net_income_per_head = NetIncomePerHead(r);
    }
    std::vector<IncomeYearView> out;
    out.reserve(years.size());
    for (auto& [year, v] : years) {
        if (v.record && v.record->has_parts()) {
            const Fen gross = v.record->wage.value_or(0) + v.record->production.value_or(0) +
                              v.record->property.value_or(0) + v.record->transfer.value_or(0);
            if (gross > 0) v.policy_share_permille = static_cast<int>(DivRound(v.from_assistance.total() * 1000, gross));
        }
        out.push_back(std::move(v));
    }
    return out;
}

CoverageGaps GapsOf(std::span<const PersonCoverage> coverage, const Household& household, const Date& on) {
    CoverageGaps gaps;
    for (const Person& p : household.members) {
        // The member's row: the latest year given not after `on`'s year, else the earliest after it.
        const PersonCoverage* row = nullptr;
        for (const PersonCoverage& c : coverage) {
            if (c.id_number != p.id_number) continue;
            if (!row) {
                row = &c;
                continue;
            }
            const bool c_past = c.year <= on.year, r_past = row->year <= on.year;
            if ((c_past && (!r_past || c.year > row->year)) || (!c_past && !r_past && c.year < row->year)) row = &c;
        }
        if (!row) continue;
        if (row->basic_medical_insurance == false) ++gaps.medical_uninsured;
        if (row->serious_illness_insurance == false) ++gaps.serious_uninsured;
        const bool in_school = p.schooling && *p.schooling != codes::kSchoolingNone;
        if (row->pension_insurance == false && !in_school && p.birth_date.AgeOn(on) >= kPensionAge) ++gaps.pension_missing;
    }
    return gaps;
}

ItemFacts ItemFactsOf(const AssistanceItem& item, const std::string& division_code, int household_persons) {
    ItemFacts f;
    f.household_code = item.household_code;
    f.division_code = division_code;
    f.measure = item.measure;
    f.category = item.category;
    f.kind = item.kind;
    f.start_date = item.start_date;
    f.end_date = item.end_date;
    f.signed_on = item.signed_on;
    f.member_keys.reserve(item.member_ids.size());
    for (const std::string& id : item.member_ids) f.member_keys.push_back(PackIdNumber(id));
    std::ranges::sort(f.member_keys);
    f.member_keys.erase(std::unique(f.member_keys.begin(), f.member_keys.end()), f.member_keys.end());
    f.household_persons = household_persons;
    f.amount = item.amount.value_or(0);
    return f;
}

// --- Measures delivered --------------------------------------------------------------------------

namespace {

// The child unit a division code falls in below `unit_code` (townships of a county, villages of a
// township); empty when the unit has no children (a village).
std::string ChildOf(std::string_view division_code, size_t child_length) {
    if (child_length == 0 || division_code.size() < child_length) return {};
    return std::string(division_code.substr(0, child_length));
}

size_t ChildLength(const OrgTree& tree, std::string_view unit_code) {
    if (const OrgUnit* u = tree.Find(unit_code)) {
        switch (u->level) {
            case OrgLevel::kCounty:
                return 9;
            case OrgLevel::kTownship:
                return 12;
            case OrgLevel::kVillage:
            case OrgLevel::kGroup:
                return 0;
            default:
                break;
        }
    }
    if (unit_code.size() == 6) return 9;
    if (unit_code.size() == 9) return 12;
    return 0;
}

// A measure's figures before the plan's targets and names are put in.
MeasureDelivered EmptyMeasure(const PlanMeasure& m, bool with_targets) {
    MeasureDelivered d;
    d.number = m.number;
    d.name = m.name;
    d.battle = m.battle;
    if (with_targets) {
        d.target_households = m.target_households;
        d.target_persons = m.target_persons;
    }
    for (const PlanMeasureStage& s : m.stages) d.stages.push_back({s.id, s.name, with_targets ? s.persons : 0, 0});
    for (const auto& [id, value] : m.other_targets) {
        auto name = m.other_target_names.find(id);
        d.others.push_back({id, name != m.other_target_names.end() ? name->second : id, with_targets ? value : 0, 0});
    }
    return d;
}

// What one household's items add to one measure (items all of that measure, in the unit, and
// active in the period).
struct HouseholdMeasure {
    bool reached = false;
    int64_t beneficiaries = 0;
    int64_t items = 0;
    int64_t unsigned_items = 0;
    Fen amount = 0;
    std::vector<int64_t> stages;  // persons per stage of the measure
    std::vector<int64_t> others;  // posts per other target
};

// Persons counted by a set of items of one household: the distinct named members, or every member
// (household_persons) when one of them names none.
int64_t DistinctPersons(const std::vector<const ItemFacts*>& items) {
    std::vector<uint64_t> keys;
    bool whole = false;
    int persons = 0;
    for (const ItemFacts* f : items) {
        persons = std::max(persons, f->household_persons);
        if (f->member_keys.empty())
            whole = true;
        else
            keys.insert(keys.end(), f->member_keys.begin(), f->member_keys.end());
    }
    std::ranges::sort(keys);
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    const auto named = static_cast<int64_t>(keys.size());
    return whole ? std::max<int64_t>(named, persons) : named;
}

// Posts held on `to` by a set of job-post items of one household: the distinct named holders; a
// post naming no one counts one holder (unless named holders are there already).
int64_t DistinctPosts(const std::vector<const ItemFacts*>& items) {
    std::vector<uint64_t> keys;
    bool whole = false;
    for (const ItemFacts* f : items) {
        if (f->member_keys.empty())
            whole = true;
        else
            keys.insert(keys.end(), f->member_keys.begin(), f->member_keys.end());
    }
    std::ranges::sort(keys);
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    return std::max<int64_t>(static_cast<int64_t>(keys.size()), whole ? 1 : 0);
}

bool SignedBy(const ItemFacts& f, const Date& to) { return f.signed_on && *f.signed_on <= to; }
bool ActiveDuring(const ItemFacts& f, const Date& from, const Date& to) {
    return f.start_date <= to && (!f.end_date || *f.end_date >= from);
}

// One household's figures for one measure from its items of that measure (in the period).
HouseholdMeasure CountHouseholdMeasure(const PlanMeasure& m, const std::vector<const ItemFacts*>& items,
                                       const Date& to) {
    HouseholdMeasure h;
    h.stages.assign(m.stages.size(), 0);
    h.others.assign(m.other_targets.size(), 0);
    std::vector<const ItemFacts*> signed_items;
    for (const ItemFacts* f : items) {
        ++h.items;
        if (SignedBy(*f, to)) {
            signed_items.push_back(f);
            h.amount += f->amount;
        } else {
            ++h.unsigned_items;
        }
    }
    h.reached = !signed_items.empty();
    h.beneficiaries = DistinctPersons(signed_items);
    for (size_t s = 0; s < m.stages.size(); ++s) {
        const auto category = codes::EducationCategoryOf(m.stages[s].id);
        if (!category) continue;
        std::vector<const ItemFacts*> of_stage;
        for (const ItemFacts* f : signed_items)
            if (f->category == *category) of_stage.push_back(f);
        h.stages[s] = DistinctPersons(of_stage);
    }
    if (!m.other_targets.empty()) {
        std::vector<const ItemFacts*> posts;
        for (const ItemFacts* f : signed_items)
            if (f->kind == codes::kKindJobPost && f->start_date <= to && (!f->end_date || *f->end_date >= to))
                posts.push_back(f);
        const int64_t held = DistinctPosts(posts);
        for (auto& o : h.others) o = held;
    }
    return h;
}

void AddTo(MeasureDelivered& d, const HouseholdMeasure& h) {
    if (h.reached) ++d.reached_households;
    d.beneficiaries += h.beneficiaries;
    d.items += h.items;
    d.unsigned_items += h.unsigned_items;
    d.amount += h.amount;
    for (size_t s = 0; s < d.stages.size() && s < h.stages.size(); ++s) d.stages[s].persons += h.stages[s];
    for (size_t o = 0; o < d.others.size() && o < h.others.size(); ++o) d.others[o].held += h.others[o];
}

void AddCounts(MeasureDelivered& d, const MeasureDelivered& o) {
    d.planned_households += o.planned_households;
    d.planned_main += o.planned_main;
    d.reached_households += o.reached_households;
    d.reached_planned += o.reached_planned;
    d.beneficiaries += o.beneficiaries;
    d.items += o.items;
    d.unsigned_items += o.unsigned_items;
    d.amount += o.amount;
    for (size_t s = 0; s < d.stages.size() && s < o.stages.size(); ++s) d.stages[s].persons += o.stages[s].persons;
    for (size_t i = 0; i < d.others.size() && i < o.others.size(); ++i) d.others[i].held += o.others[i].held;
}

uint32_t PlannedMask(const HouseholdFacts& facts) {
    uint32_t mask = 0;
    auto bit = [](int number) { return number >= 0 && number < 32 ? (uint32_t{1} << number) : 0u; };
    if (facts.main_measure) mask |= bit(*facts.main_measure);
    for (int m : facts.aux_measures) mask |= bit(m);
    return mask;
}

std::string ChildName(const OrgTree& tree, const Plan& plan, const std::string& code) {
    if (const OrgUnit* u = tree.Find(code)) return u->name();
    if (const PlanTownship* t = plan.FindTownship(code)) return t->name;
    return {};
}

}  // namespace

struct DeliveredBuilder::Impl {
    const Plan* plan = nullptr;
    const OrgTree* tree = nullptr;
    std::string unit_code;
    size_t child_length = 0;
    Date from;
    Date to;
    std::map<int, size_t> measure_index;  // measure number → position in plan.measures / totals
    std::vector<MeasureDelivered> totals;
    std::map<std::string, std::vector<MeasureDelivered>> children;  // child code → per measure
    // Households planned, by code: the measures they have (bit per number). Joined with the
    // measures their items reached for reached_planned.
    std::unordered_map<std::string, uint32_t> planned;
    // Households whose items reached measures before their facts came: the masks per child unit.
    struct Pending {
        std::string household_code;
        std::string child;  // empty: the unit as a whole
        uint32_t reached = 0;
    };
    std::vector<Pending> pending;
    // The current household's items.
    std::string current;
    std::vector<ItemFacts> items;

    std::vector<MeasureDelivered>& Child(const std::string& code) {
        auto it = children.find(code);
        if (it == children.end()) {
            std::vector<MeasureDelivered> v;
            for (const PlanMeasure& m : plan->measures) v.push_back(EmptyMeasure(m, false));
            it = children.emplace(code, std::move(v)).first;
        }
        return it->second;
    }

    void AddReachedPlanned(const std::string& child, uint32_t reached, uint32_t planned_mask) {
        for (const auto& [number, index] : measure_index) {
            const uint32_t bit = number >= 0 && number < 32 ? (uint32_t{1} << number) : 0u;
            if (!(reached & bit) || !(planned_mask & bit)) continue;
            if (child.empty())
                ++totals[index].reached_planned;
            else
                ++Child(child)[index].reached_planned;
        }
    }

    void Reached(const std::string& household, const std::string& child, uint32_t reached) {
        if (!reached) return;
        auto it = planned.find(household);
        if (it != planned.end())
            AddReachedPlanned(child, reached, it->second);
        else
            pending.push_back({household, child, reached});
    }

    // Counts the current household's items.
    void Flush() {
        if (items.empty()) return;
        const std::string household = current;
        // The unit as a whole, then each child unit the items fall in.
        std::vector<std::string> groups{std::string()};
        if (child_length)
            for (const ItemFacts& f : items) {
                std::string c = ChildOf(f.division_code, child_length);
                if (std::ranges::find(groups, c) == groups.end()) groups.push_back(std::move(c));
            }
        for (const std::string& group : groups) {
            uint32_t reached = 0;
            for (const auto& [number, index] : measure_index) {
                const PlanMeasure& m = plan->measures[index];
                std::vector<const ItemFacts*> of_measure;
                for (const ItemFacts& f : items)
                    if (f.measure == number && (group.empty() || ChildOf(f.division_code, child_length) == group))
                        of_measure.push_back(&f);
                if (of_measure.empty()) continue;
                const HouseholdMeasure h = CountHouseholdMeasure(m, of_measure, to);
                AddTo(group.empty() ? totals[index] : Child(group)[index], h);
                if (h.reached && number >= 0 && number < 32) reached |= uint32_t{1} << number;
            }
            Reached(household, group, reached);
        }
        items.clear();
        current.clear();
    }
};

DeliveredBuilder::DeliveredBuilder(const Plan& plan, const OrgTree& tree, std::string unit_code, const Date& from,
                                   const Date& to)
    : impl_(std::make_shared<Impl>()) {
    Impl& d = *impl_;
    d.plan = &plan;
    d.tree = &tree;
    d.unit_code = std::move(unit_code);
    d.child_length = ChildLength(tree, d.unit_code);
    d.from = from;
    d.to = to;
    for (size_t i = 0; i < plan.measures.size(); ++i) {
        d.measure_index.emplace(plan.measures[i].number, i);
        // The plan's measure targets are the county's: a township's or village's count has none.
        d.totals.push_back(EmptyMeasure(plan.measures[i], d.unit_code == plan.county_code));
    }
    if (d.child_length)
        for (const OrgUnit* u : tree.Children(d.unit_code))
            if (u->code.size() == d.child_length) d.Child(u->code);
}

void DeliveredBuilder::AddHousehold(const HouseholdFacts& facts) {
    Impl& d = *impl_;
    if (!OrgTree::Within(facts.division_code, d.unit_code)) return;
    const uint32_t mask = PlannedMask(facts);
    const std::string child = ChildOf(facts.division_code, d.child_length);
    if (!child.empty()) d.Child(child);
    for (const auto& [number, index] : d.measure_index) {
        const bool main = facts.main_measure == number;
        const bool planned = main || std::ranges::find(facts.aux_measures, number) != facts.aux_measures.end();
        if (!planned) continue;
        ++d.totals[index].planned_households;
        if (main) ++d.totals[index].planned_main;
        if (!child.empty()) {
            MeasureDelivered& c = d.Child(child)[index];
            ++c.planned_households;
            if (main) ++c.planned_main;
        }
    }
    d.planned[facts.household_code] |= mask;
}

void DeliveredBuilder::AddItem(const ItemFacts& item) {
    Impl& d = *impl_;
    if (!OrgTree::Within(item.division_code, d.unit_code)) return;
    if (!d.measure_index.contains(item.measure)) return;
    if (!ActiveDuring(item, d.from, d.to)) return;
    if (item.household_code != d.current) {
        d.Flush();
        d.current = item.household_code;
    }
    d.items.push_back(item);
}

void DeliveredBuilder::Merge(DeliveredBuilder&& other) {
    if (!other.impl_ || other.impl_ == impl_) return;
    Impl& d = *impl_;
    Impl& o = *other.impl_;
    d.Flush();
    o.Flush();
    for (size_t i = 0; i < d.totals.size() && i < o.totals.size(); ++i) AddCounts(d.totals[i], o.totals[i]);
    for (auto& [code, measures] : o.children) {
        std::vector<MeasureDelivered>& mine = d.Child(code);
        for (size_t i = 0; i < mine.size() && i < measures.size(); ++i) AddCounts(mine[i], measures[i]);
    }
    // Households planned on one side and reached on the other join here or at Finish.
    for (auto& [code, mask] : o.planned) d.planned[code] |= mask;
    d.pending.insert(d.pending.end(), std::make_move_iterator(o.pending.begin()), std::make_move_iterator(o.pending.end()));
    std::vector<Impl::Pending> still;
    for (Impl::Pending& p : d.pending) {
        auto it = d.planned.find(p.household_code);
        if (it != d.planned.end())
            d.AddReachedPlanned(p.child, p.reached, it->second);
        else
            still.push_back(std::move(p));
    }
    d.pending = std::move(still);
    other.impl_.reset();
}

MeasuresDelivered DeliveredBuilder::Finish() {
    Impl& d = *impl_;
    d.Flush();
    for (Impl::Pending& p : d.pending) {
        auto it = d.planned.find(p.household_code);
        if (it != d.planned.end()) d.AddReachedPlanned(p.child, p.reached, it->second);
    }
    d.pending.clear();
    MeasuresDelivered out;
    out.from = d.from;
    out.to = d.to;
    out.unit_code = d.unit_code;
    out.measures = d.totals;
    for (auto& [code, measures] : d.children) {
        TownshipDelivered t;
        t.code = code;
        t.name = ChildName(*d.tree, *d.plan, code);
        for (MeasureDelivered& m : measures) t.measures.emplace(m.number, m);
        out.townships.push_back(std::move(t));
    }
    return out;
}

MeasuresDelivered CountDelivered(const Plan& plan, const OrgTree& tree, const std::string& unit_code,
                                 const Date& from, const Date& to, std::span<const HouseholdFacts> households,
                                 std::span<const ItemFacts> items) {
    MeasuresDelivered out;
    out.from = from;
    out.to = to;
    out.unit_code = unit_code;
    const size_t child_length = ChildLength(tree, unit_code);

    // Which measures each household in the unit is planned for.
    std::map<std::string, std::set<int>> planned;
    for (const HouseholdFacts& h : households) {
        if (!OrgTree::Within(h.division_code, unit_code)) continue;
        std::set<int>& s = planned[h.household_code];
        if (h.main_measure) s.insert(*h.main_measure);
        s.insert(h.aux_measures.begin(), h.aux_measures.end());
    }
    // Every item in the unit, the period and the plan, by household.
    std::map<std::string, std::vector<const ItemFacts*>> by_household;
    for (const ItemFacts& f : items)
        if (OrgTree::Within(f.division_code, unit_code) && plan.FindMeasure(f.measure) && ActiveDuring(f, from, to))
            by_household[f.household_code].push_back(&f);

    // The figures of one area (the unit, or one child unit: items and households whose division
    // lies in `area`).
    auto count = [&](const std::string& area, bool with_targets) {
        std::vector<MeasureDelivered> result;
        for (const PlanMeasure& m : plan.measures) {
            MeasureDelivered d = EmptyMeasure(m, with_targets);
            for (const HouseholdFacts& h : households) {
                if (!OrgTree::Within(h.division_code, unit_code) || !OrgTree::Within(h.division_code, area)) continue;
                const bool main = h.main_measure == m.number;
                if (main || std::ranges::find(h.aux_measures, m.number) != h.aux_measures.end()) {
                    ++d.planned_households;
                    if (main) ++d.planned_main;
                }
            }
            for (const auto& [code, list] : by_household) {
                std::vector<const ItemFacts*> mine;
                for (const ItemFacts* f : list)
                    if (f->measure == m.number && OrgTree::Within(f->division_code, area)) mine.push_back(f);
                if (mine.empty()) continue;
                const HouseholdMeasure h = CountHouseholdMeasure(m, mine, to);
                AddTo(d, h);
                auto p = planned.find(code);
                if (h.reached && p != planned.end() && p->second.contains(m.number)) ++d.reached_planned;
            }
            result.push_back(std::move(d));
        }
        return result;
    };
    out.measures = count(unit_code, unit_code == plan.county_code);
    if (child_length) {
        std::set<std::string> child_codes;
        for (const OrgUnit* u : tree.Children(unit_code))
            if (u->code.size() == child_length) child_codes.insert(u->code);
        for (const HouseholdFacts& h : households)
            if (OrgTree::Within(h.division_code, unit_code) && h.division_code.size() >= child_length)
                child_codes.insert(h.division_code.substr(0, child_length));
        for (const auto& [code, list] : by_household)
            for (const ItemFacts* f : list)
                if (f->division_code.size() >= child_length) child_codes.insert(f->division_code.substr(0, child_length));
        for (const std::string& code : child_codes) {
            TownshipDelivered t;
            t.code = code;
            t.name = ChildName(tree, plan, code);
            for (MeasureDelivered& m : count(code, false)) t.measures.emplace(m.number, std::move(m));
            out.townships.push_back(std::move(t));
        }
    }
    return out;
}

}  // namespace jz
