#include "service/assistance.h"
#include "service/shares.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <memory>
#include <set>
#include <thread>

#include "core/codes.h"
#include "service/as_of.h"
#include "service/body_reader.h"
#include "core/id_number.h"
#include "core/text.h"

namespace jz::service {

namespace json = boost::json;

namespace {

// --- errors -------------------------------------------------------------------------------------

// ValidateItem / ValidateIncome's problems as one error: a single problem as it is, several as
// `code` naming the first one's field with every reason joined.
std::unexpected<Error> Problems(const std::vector<Error>& errors, const std::string& code) {
    if (errors.size() == 1) return std::unexpected(errors.front());
    std::string zh, en;
    for (const Error& e : errors) {
        if (!zh.empty()) zh += "；", en += "; ";
        zh += (e.field.empty() ? "" : e.field + ": ") + e.message_zh;
        en += (e.field.empty() ? "" : e.field + ": ") + e.message_en;
    }
    return Fail(code, errors.front().field, zh, en);
}

std::unexpected<Error> ItemNotFound(const std::string& code) {
    return Fail("assistance.not_found", "item_code", "找不到帮扶项目 " + code, "assistance item " + code + " not found");
}

// The household an item belongs to, registered now; a deregistered one's items are read-only.
Result<HouseholdRecord> WritableHousehold(Store& store, const std::string& household_code) {
    if (household_code.empty())
        return Fail("assistance.invalid", "household_code", "须填写户编号", "the household code is required");
    auto found = store.FindHousehold(household_code);
    if (!found) return std::unexpected(found.error());
    if (*found) return std::move(**found);
    auto gone = store.IsDeregistered(household_code);
    if (!gone) return std::unexpected(gone.error());
    if (*gone)
        return Fail("household.deregistered", "household_code",
                    "农户 " + household_code + " 已销户,其帮扶记录只读",
                    "household " + household_code + " was deregistered: its ledger is read-only");
    return Fail("household.not_found", "household_code", "找不到农户 " + household_code,
                "household " + household_code + " not found");
}

// Normalises member_ids (15-digit numbers upgraded), sorted, without repeats.
Result<std::vector<std::string>> NormalisedMembers(const std::vector<std::string>& ids) {
    std::vector<std::string> out;
    for (const std::string& id : ids) {
        auto parsed = ParseIdNumber(id);
        if (!parsed)
            return Fail("assistance.member", "member_ids", "受益成员证件号码无效: " + id + "(" + parsed.error().message_zh + ")",
                        "a member's ID number is not valid: " + id + " (" + parsed.error().message_en + ")");
        out.push_back(parsed->value);
    }
    std::ranges::sort(out);
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

// An existing item, not deleted, at `version`.
Result<AssistanceRecord> ChangeableItem(Store& store, const std::string& item_code, int64_t version) {
    auto found = store.FindAssistance(item_code);
    if (!found) return std::unexpected(found.error());
    if (!*found) return ItemNotFound(item_code);
    if ((*found)->deleted)
        return Fail("assistance.deleted", "item_code", "帮扶项目 " + item_code + " 已删除,不能再修改",
                    "assistance item " + item_code + " was deleted and cannot change");
    if ((*found)->version != version)
        return Fail("store.conflict", "version",
                    "自您读取以来,此帮扶项目已被他人修改(现为第" + std::to_string((*found)->version) + "版),请重新载入",
                    "someone changed this assistance item since you read it (now version " +
                        std::to_string((*found)->version) + "); reload it");
    return std::move(**found);
}

// Without surrounding spaces (ASCII and the ideographic space U+3000).
std::string Trimmed(std::string_view s) {
    auto strip = [&] {
        bool again = true;
        while (again) {
            again = false;
            while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1), again = true;
            while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1), again = true;
            if (s.starts_with("\u3000")) s.remove_prefix(3), again = true;
            if (s.ends_with("\u3000")) s.remove_suffix(3), again = true;
        }
    };
    strip();
    return std::string(s);
}

std::string NextItemCode(const std::string& household_code, int last) {
    char number[16];
    std::snprintf(number, sizeof number, "%03d", last + 1);
    return household_code + "-" + number;
}

AssistanceItem WithoutSignOff(AssistanceItem item) {
    item.signed_on.reset();
    item.signed_by.clear();
    return item;
}

Result<AssistanceRecord> CheckAgainstHousehold(const Plan& plan, AssistanceItem& item, const Household& household) {
    auto members = NormalisedMembers(item.member_ids);
    if (!members) return std::unexpected(members.error());
    item.member_ids = std::move(*members);
    if (auto errors = ValidateItem(item, plan); !errors.empty()) return Problems(errors, "assistance.invalid");
    if (auto errors = ValidateItemMembers(item, household); !errors.empty()) return Problems(errors, "assistance.member");
    AssistanceRecord record;
    record.division_code = household.division_code;
    record.item = item;
    return record;
}

// --- JSON helpers -------------------------------------------------------------------------------

json::value Money(const std::optional<Fen>& v) { return v ? json::value(FormatCenti(*v)) : json::value(nullptr); }
json::value OptInt(const std::optional<int>& v) { return v ? json::value(*v) : json::value(nullptr); }
json::value OptBool(const std::optional<bool>& v) { return v ? json::value(*v) : json::value(nullptr); }

// Reads fields of a JSON body, keeping the first problem (code `code`, naming the field).
using detail::BodyReader;

}  // namespace

// --- items --------------------------------------------------------------------------------------

Result<AssistanceRecord> AddAssistance(Store& store, const Plan& plan, AssistanceItem item,
                                       const ChangeContext& change) {
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    auto record = AddAssistanceInTransaction(store, plan, std::move(item), change);
    if (!record) return record;
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return record;
}

Result<AssistanceRecord> AddAssistanceInTransaction(Store& store, const Plan& plan, AssistanceItem item,
                                                    const ChangeContext& change) {
    auto household = WritableHousehold(store, item.household_code);
    if (!household) return std::unexpected(household.error());
    if (item.item_code.empty()) {
        auto last = store.LastAssistanceNumber(item.household_code);
        if (!last) return std::unexpected(last.error());
        item.item_code = NextItemCode(item.household_code, *last);
    }
    auto record = CheckAgainstHousehold(plan, item, household->household);
    if (!record) return record;
    record->version = 1;
    if (auto r = store.InsertAssistance(*record, change); !r) {
        if (r.error().code == "store.duplicate")
            return Fail("assistance.exists", "item_code", "帮扶项目编号已被使用: " + item.item_code,
                        "the assistance item code is taken: " + item.item_code);
        return std::unexpected(r.error());
    }
    return record;
}

Result<AssistanceRecord> UpdateAssistance(Store& store, const Plan& plan, const AssistanceItem& given,
                                          int64_t version, const ChangeContext& change) {
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    auto before = ChangeableItem(store, given.item_code, version);
    if (!before) return std::unexpected(before.error());
    AssistanceItem item = given;
    if (item.household_code.empty()) item.household_code = before->item.household_code;
    if (item.household_code != before->item.household_code)
        return Fail("assistance.invalid", "household_code", "帮扶项目不能改到另一户",
                    "an assistance item cannot move to another household");
    auto household = WritableHousehold(store, item.household_code);
    if (!household) return std::unexpected(household.error());
    // What the household signed changed, and the same sign-off came back with it: it no longer
    // covers the item.
    auto members = NormalisedMembers(item.member_ids);
    if (!members) return std::unexpected(members.error());
    item.member_ids = std::move(*members);
    if (before->item.signed_off() && WithoutSignOff(item) != WithoutSignOff(before->item) &&
        item.signed_on == before->item.signed_on && item.signed_by == before->item.signed_by) {
        item.signed_on.reset();
        item.signed_by.clear();
    }
    auto after = CheckAgainstHousehold(plan, item, household->household);
    if (!after) return after;
    if (after->item == before->item && after->division_code == before->division_code) return *before;
    after->version = before->version + 1;
    if (auto r = store.UpdateAssistance(*before, *after, change); !r) return std::unexpected(r.error());
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return after;
}

Result<AssistanceRecord> SignAssistance(Store& store, const std::string& item_code, int64_t version,
                                        const Date& signed_on, const std::string& signed_by,
                                        const ChangeContext& change) {
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    auto before = ChangeableItem(store, item_code, version);
    if (!before) return std::unexpected(before.error());
    if (before->item.signed_off())
        return Fail("assistance.already_signed", "signed_on",
                    "帮扶项目 " + item_code + " 已于 " + before->item.signed_on->ToString() + " 由 " +
                        before->item.signed_by + " 签字确认",
                    "assistance item " + item_code + " was signed off on " + before->item.signed_on->ToString() +
                        " by " + before->item.signed_by);
    auto household = WritableHousehold(store, before->item.household_code);
    if (!household) return std::unexpected(household.error());
    AssistanceRecord after = *before;
    after.item.signed_on = signed_on;
    after.item.signed_by = Trimmed(signed_by);
    if (after.item.signed_by.empty())
        return Fail("assistance.invalid", "signed_by", "须填写签字人", "who signed is required");
    after.division_code = household->household.division_code;
    after.version = before->version + 1;
    if (signed_on < after.item.start_date)
        return Fail("assistance.invalid", "signed_on", "签字日期不能早于开始日期 " + after.item.start_date.ToString(),
                    "the sign-off cannot be before the start date " + after.item.start_date.ToString());
    if (CountCharacters(after.item.signed_by) > 60 || FindForbiddenCharacter(after.item.signed_by))
        return Fail("assistance.invalid", "signed_by", "签字人姓名过长(最多60个字符)或含不允许的字符",
                    "the signer's name is too long (at most 60 characters) or has a character that is not allowed");
    if (auto r = store.UpdateAssistance(*before, after, change); !r) return std::unexpected(r.error());
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return after;
}

Result<AssistanceRecord> DeleteAssistance(Store& store, const std::string& item_code, int64_t version,
                                          const std::string& reason, const ChangeContext& change) {
    const std::string why = Trimmed(reason);
    if (why.empty())
        return Fail("assistance.invalid", "reason", "删除帮扶项目须说明原因", "a reason is required to delete an item");
    if (CountCharacters(why) > 500)
        return Fail("assistance.invalid", "reason", "删除原因不能超过500个字", "the reason is at most 500 characters");
    if (auto bad = FindForbiddenCharacter(why))
        return Fail("assistance.invalid", "reason", "删除原因含有不允许的字符 " + DescribeCharacter(bad->character),
                    "the reason holds a character that is not allowed: " + DescribeCharacter(bad->character));
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    auto before = ChangeableItem(store, item_code, version);
    if (!before) return std::unexpected(before.error());
    auto household = WritableHousehold(store, before->item.household_code);
    if (!household) return std::unexpected(household.error());
    AssistanceRecord after = *before;
    after.deleted = true;
    after.delete_reason = why;
    after.version = before->version + 1;
    if (auto r = store.UpdateAssistance(*before, after, change); !r) return std::unexpected(r.error());
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return after;
}

// --- income and cover ---------------------------------------------------------------------------

Result<IncomeRecordVersion> PutIncome(Store& store, IncomeRecord record, std::optional<int64_t> expected_version,
                                      const ChangeContext& change) {
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    auto household = WritableHousehold(store, record.household_code);
    if (!household) {
        Error e = household.error();
        if (e.code == "assistance.invalid") e.code = "income.invalid";
        return std::unexpected(std::move(e));
    }
    if (record.persons == 0) record.persons = static_cast<int>(household->household.members.size());
    record.notes = Trimmed(record.notes);
    if (auto errors = ValidateIncome(record); !errors.empty()) return Problems(errors, "income.invalid");
    auto version = store.PutIncome(record, household->household.division_code, expected_version, change);
    if (!version) return std::unexpected(version.error());
    if (auto r = tx->Commit(); !r) return std::unexpected(r.error());
    return IncomeRecordVersion{.version = *version, .division_code = household->household.division_code,
                               .record = std::move(record)};
}

Result<void> PutCoverage(Store& store, const std::string& household_code, int year,
                         const std::vector<PersonCoverage>& coverage, const ChangeContext& change) {
    if (year < 2000 || year > 2100)
        return Fail("coverage.invalid", "year", "年度应在2000至2100之间", "the year must be within 2000..2100");
    auto tx = Transaction::Begin(store);
    if (!tx) return std::unexpected(tx.error());
    auto household = WritableHousehold(store, household_code);
    if (!household) return std::unexpected(household.error());
    for (const PersonCoverage& given : coverage) {
        PersonCoverage c = given;
        c.household_code = household_code;
        c.year = year;
        auto id = ParseIdNumber(c.id_number);
        const bool member =
            id && std::ranges::any_of(household->household.members,
                                      [&](const Person& p) { return p.id_number == id->value; });
        if (!member)
            return Fail("coverage.member", "id_number", "证件号码 " + c.id_number + " 不是该户现有成员",
                        "ID number " + c.id_number + " is not a member of the household now");
        c.id_number = id->value;
        if (auto r = store.PutCoverage(c, household->household.division_code, change); !r) return r;
    }
    return tx->Commit();
}

// --- the plan page ------------------------------------------------------------------------------

namespace {

// The household as it was when it left the registry (the change log's last state), for the plan
// page of a deregistered household.
Result<std::optional<Household>> LastKnownHousehold(Store& store, const std::string& household_code) {
    ChangeLogFilter f;
    f.entity = "household";
    f.entity_key = household_code;
    f.limit = 1000;
    auto entries = store.ChangeLog(f);
    if (!entries) return std::unexpected(entries.error());
    for (auto it = entries->rbegin(); it != entries->rend(); ++it) {
        const std::string& state = it->after_json.empty() ? it->before_json : it->after_json;
        if (state.empty()) continue;
        if (auto h = HouseholdFromJson(state)) return std::optional<Household>(std::move(*h));
    }
    return std::optional<Household>{};
}

Result<std::vector<AssistanceRecord>> AllItems(Store& store, AssistanceFilter filter) {
    std::vector<AssistanceRecord> out;
    filter.limit = 5000;
    for (;;) {
        auto page = store.ListAssistance(filter);
        if (!page) return std::unexpected(page.error());
        const bool more = static_cast<int64_t>(page->size()) == filter.limit;
        if (!page->empty()) filter.after_code = page->back().item.item_code;
        std::move(page->begin(), page->end(), std::back_inserter(out));
        if (!more) break;
    }
    return out;
}

json::object ContributionJson(const IncomeContribution& c) {
    return {{"transfer", FormatCenti(c.transfer)}, {"property", FormatCenti(c.property)}, {"total", FormatCenti(c.total())}};
}

json::object GapsJson(const CoverageGaps& g) {
    return {{"medical_uninsured", g.medical_uninsured},
            {"serious_uninsured", g.serious_uninsured},
            {"pension_missing", g.pension_missing}};
}

}  // namespace

Result<std::optional<json::object>> HouseholdPlan(Store& store, const Plan& plan, const std::string& household_code) {
    auto found = store.FindHousehold(household_code);
    if (!found) return std::unexpected(found.error());
    AssistanceFilter filter;
    filter.household_code = household_code;
    filter.include_deleted = true;
    auto items = AllItems(store, filter);
    if (!items) return std::unexpected(items.error());
    const bool registered = found->has_value();
    if (!registered && items->empty()) return std::optional<json::object>{};
    std::optional<Household> household;
    int64_t version = 0;
    bool deregistered = false;
    if (registered) {
        household = (*found)->household;
        version = (*found)->version;
    } else {
        auto gone = store.IsDeregistered(household_code);
        if (!gone) return std::unexpected(gone.error());
        deregistered = *gone;
        auto last = LastKnownHousehold(store, household_code);
        if (!last) return std::unexpected(last.error());
        household = std::move(*last);
    }

    // The household.
    json::object h{{"household_code", household_code},
                   {"registered", registered},
                   {"deregistered", deregistered},
                   {"read_only", !registered}};
    if (registered) h["version"] = version;
    if (household) {
        const Household& x = *household;
        const Person* head = x.head();
        h["division_code"] = x.division_code;
        h["head_name"] = head ? json::value(head->name) : json::value(nullptr);
        h["status"] = x.status;
        h["attribute"] = x.attribute;
        h["main_cause"] = x.main_cause;
        h["other_causes"] = json::array(x.other_causes.begin(), x.other_causes.end());
        h["identified_year"] = x.identified_year;
        h["exit_year"] = OptInt(x.exit_year);
        h["pairing_cadre"] = x.pairing_cadre;
        json::array members;
        for (const Person& p : x.members)
            members.push_back({{"name", p.name},
                               {"id_number", p.id_number},
                               {"relation", p.relation},
                               {"sex", p.sex},
                               {"birth_date", p.birth_date.ToString()},
                               {"schooling", OptInt(p.schooling)}});
        h["persons"] = static_cast<int64_t>(x.members.size());
        h["members"] = std::move(members);
    } else {
        h["division_code"] = items->empty() ? json::value(nullptr) : json::value(items->front().division_code);
        h["head_name"] = nullptr;
        h["persons"] = 0;
        h["members"] = json::array();
    }

    // Main and auxiliary measures, planned exit year.
    json::object measures{{"main", household ? OptInt(household->main_measure) : json::value(nullptr)},
                          {"auxiliary", household ? json::array(household->aux_measures.begin(),
                                                                household->aux_measures.end())
                                                  : json::array()},
                          {"planned_exit_year", household ? OptInt(household->planned_exit_year) : json::value(nullptr)}};

    // The ledger as a timeline: by start date and code, deleted items last.
    std::ranges::stable_sort(*items, [](const AssistanceRecord& a, const AssistanceRecord& b) {
        if (a.deleted != b.deleted) return !a.deleted;
        if (a.item.start_date != b.item.start_date) return a.item.start_date < b.item.start_date;
        return a.item.item_code < b.item.item_code;
    });
    json::array timeline;
    int64_t unconfirmed = 0, deleted = 0, counted = 0;
    Fen signed_amount = 0;
    std::vector<AssistanceItem> live;
    for (const AssistanceRecord& r : *items) {
        json::object o = AssistanceJson(r);
        if (const PlanMeasure* m = plan.FindMeasure(r.item.measure)) o["measure_name"] = m->name;
        timeline.push_back(std::move(o));
        if (r.deleted) {
            ++deleted;
            continue;
        }
        ++counted;
        live.push_back(r.item);
        if (!r.item.signed_off())
            ++unconfirmed;
        else
            signed_amount += r.item.amount.value_or(0);
    }

    // Income by year.
    IncomeFilter income_filter;
    income_filter.household_code = household_code;
    auto income = store.ListIncome(income_filter);
    if (!income) return std::unexpected(income.error());
    std::vector<IncomeRecord> records;
    std::map<int, const IncomeRecordVersion*> by_year;
    for (const IncomeRecordVersion& v : *income) {
        records.push_back(v.record);
        by_year[v.record.year] = &v;
    }
    json::array years;
    for (const IncomeYearView& y : IncomeYears(records, live)) {
        auto v = by_year.find(y.year);
        years.push_back({{"year", y.year},
                         {"record", v != by_year.end() ? json::value(IncomeJson(*v->second)) : json::value(nullptr)},
                         {"net_income", Money(y.net_income)},
                         {"net_income_per_head", Money(y.net_income_per_head)},
                         {"from_assistance", ContributionJson(y.from_assistance)},
                         {"policy_share_permille", OptInt(y.policy_share_permille)}});
    }

    // The cover per person and year, with each year's gaps.
    auto cover = store.ListCoverage(household_code);
    if (!cover) return std::unexpected(cover.error());
    std::map<int, std::vector<PersonCoverage>> cover_years;
    for (const PersonCoverage& c : *cover) cover_years[c.year].push_back(c);
    json::array coverage;
    for (const auto& [year, list] : cover_years) {
        json::array persons;
        for (const PersonCoverage& c : list) {
            std::string name;
            if (household)
                for (const Person& p : household->members)
                    if (p.id_number == c.id_number) name = p.name;
            persons.push_back({{"id_number", c.id_number},
                               {"name", name},
                               {"basic_medical_insurance", OptBool(c.basic_medical_insurance)},
                               {"serious_illness_insurance", OptBool(c.serious_illness_insurance)},
                               {"pension_insurance", OptBool(c.pension_insurance)},
                               {"dibao", OptBool(c.dibao)},
                               {"wubao", OptBool(c.wubao)}});
        }
        const CoverageGaps gaps = household ? GapsOf(list, *household, Date{year, 12, 31}) : CoverageGaps{};
        coverage.push_back({{"year", year}, {"persons", std::move(persons)}, {"gaps", GapsJson(gaps)}});
    }

    auto shares = HouseholdSharesJson(store, household_code);
    if (!shares) return std::unexpected(shares.error());
    json::object out{{"household", std::move(h)},
                     {"measures", std::move(measures)},
                     {"items", std::move(timeline)},
                     {"income", std::move(years)},
                     {"coverage", std::move(coverage)},
                     {"counts",
                      {{"items", counted},
                       {"unconfirmed", unconfirmed},
                       {"deleted", deleted},
                       {"amount_signed", FormatCenti(signed_amount)}}},
                     {"shares", std::move(*shares)}};
    return std::optional<json::object>(std::move(out));
}

// --- measures delivered -------------------------------------------------------------------------

Result<MeasuresDelivered> BuildDelivered(Store& store, const Plan& plan, const OrgTree& tree,
                                         const std::string& unit_code, const Date& from, const Date& to, int parts) {
    parts = std::clamp(parts, 1, 8);
    // Households and items need not fall in the same part: the builders join them on Merge.
    std::vector<std::unique_ptr<DeliveredBuilder>> builders;
    for (int i = 0; i < parts; ++i)
        builders.push_back(std::make_unique<DeliveredBuilder>(plan, tree, unit_code, from, to));
    HouseholdFilter filter;
    filter.division_prefix = unit_code;
    filter.facts_only = true;
    auto registry = RegistryAsOf::Load(store, to, unit_code);
    if (!registry) return std::unexpected(registry.error());
    auto households = registry->ScanFactsParallel(store, filter, parts, [&](int part, const HouseholdFacts& f) {
        builders[static_cast<size_t>(part)]->AddHousehold(f);
        return true;
    });
    if (!households) return std::unexpected(households.error());
    auto items = store.ScanItemFactsParallel(unit_code, parts, [&](int part, const ItemFacts& f) {
        builders[static_cast<size_t>(part)]->AddItem(f);
        return true;
    });
    if (!items) return std::unexpected(items.error());
    for (int i = 1; i < parts; ++i) builders[0]->Merge(std::move(*builders[static_cast<size_t>(i)]));
    return builders[0]->Finish();
}

namespace {

json::object CountsJson(const MeasureDelivered& m) {
    return {{"number", m.number},
            {"planned_households", m.planned_households},
            {"planned_main", m.planned_main},
            {"reached_households", m.reached_households},
            {"reached_planned", m.reached_planned},
            {"beneficiaries", m.beneficiaries},
            {"items", m.items},
            {"unsigned_items", m.unsigned_items},
            {"amount", FormatCenti(m.amount)}};
}

json::object MeasureDeliveredJson(const MeasureDelivered& m, const Plan& plan) {
    json::object o = CountsJson(m);
    const PlanMeasure* p = plan.FindMeasure(m.number);
    o["name"] = m.name;
    o["name_en"] = p ? p->name_en : std::string();
    o["battle"] = m.battle;
    o["target_households"] = OptInt(m.target_households);
    o["target_persons"] = OptInt(m.target_persons);
    json::array stages, others;
    for (const StageDelivered& s : m.stages)
        stages.push_back({{"id", s.id}, {"name", s.name}, {"target_persons", s.target_persons}, {"persons", s.persons}});
    for (const OtherDelivered& x : m.others)
        others.push_back({{"id", x.id}, {"name", x.name}, {"target", x.target}, {"held", x.held}});
    o["stages"] = std::move(stages);
    o["others"] = std::move(others);
    return o;
}

}  // namespace

json::object DeliveredJson(const MeasuresDelivered& figures, const Plan& plan, const OrgTree& tree) {
    json::array measures, units;
    for (const MeasureDelivered& m : figures.measures) measures.push_back(MeasureDeliveredJson(m, plan));
    for (const TownshipDelivered& t : figures.townships) {
        json::array of;
        for (const PlanMeasure& p : plan.measures) {
            auto it = t.measures.find(p.number);
            if (it != t.measures.end()) of.push_back(CountsJson(it->second));
        }
        units.push_back({{"code", t.code}, {"name", t.name}, {"measures", std::move(of)}});
    }
    std::string name;
    if (const OrgUnit* u = tree.Find(figures.unit_code)) name = u->name();
    else if (figures.unit_code == plan.county_code) name = plan.county_name;
    return {{"from", figures.from.ToString()},
            {"to", figures.to.ToString()},
            {"unit", {{"code", figures.unit_code}, {"name", name}}},
            {"measures", std::move(measures)},
            {"units", std::move(units)}};
}

Result<json::array> NotReached(Store& store, const Plan& plan, const std::string& unit_code, int measure,
                               const Date& from, const Date& to, int64_t limit) {
    if (!plan.FindMeasure(measure))
        return Fail("assistance.invalid", "measure", "计划中没有第" + std::to_string(measure) + "项措施",
                    "the plan has no measure " + std::to_string(measure));
    std::set<std::string, std::less<>> reached;
    auto items = store.ScanItemFacts(unit_code, [&](const ItemFacts& f) {
        if (f.measure == measure && f.signed_on && f.start_date <= to && (!f.end_date || *f.end_date >= from))
            reached.insert(f.household_code);
        return true;
    });
    if (!items) return std::unexpected(items.error());
    struct Row {
        std::string code, division;
        bool main = false;
        int persons = 0;
    };
    std::vector<Row> rows;
    HouseholdFilter filter;
    filter.division_prefix = unit_code;
    filter.facts_only = true;
    auto scan = store.ScanFacts(filter, [&](const HouseholdFacts& f) {
        const bool main = f.main_measure == measure;
        if (!main && std::ranges::find(f.aux_measures, measure) == f.aux_measures.end()) return true;
        if (!reached.contains(f.household_code)) rows.push_back({f.household_code, f.division_code, main, f.persons});
        return true;
    });
    if (!scan) return std::unexpected(scan.error());
    std::ranges::sort(rows, {}, &Row::code);
    json::array out;
    for (const Row& r : rows) {
        if (static_cast<int64_t>(out.size()) >= limit) break;
        auto h = store.FindHousehold(r.code);
        if (!h) return std::unexpected(h.error());
        const Person* head = *h ? (*h)->household.head() : nullptr;
        out.push_back({{"household_code", r.code},
                       {"division_code", r.division},
                       {"head_name", head ? json::value(head->name) : json::value(nullptr)},
                       {"persons", r.persons},
                       {"planned_as", r.main ? "main" : "auxiliary"}});
    }
    return out;
}

// --- what the exit standard reads ---------------------------------------------------------------

Result<LedgerFacts> LoadLedgerFacts(Store& store, const std::string& division_prefix, int year, const Date& on) {
    LedgerFacts out;
    auto income = store.ScanIncomeYear(division_prefix, year, [&](const IncomeRecord& r) {
        if (auto per_head = NetIncomePerHead(r)) out.income_per_head[r.household_code] = *per_head;
        return true;
    });
    if (!income) return std::unexpected(income.error());
    // Only a member recorded as not covered makes a gap: the households with one are looked up.
    std::map<std::string, std::vector<PersonCoverage>, std::less<>> uncovered;
    std::string current;
    std::vector<PersonCoverage> group;
    bool any_gap = false;
    auto flush = [&] {
        if (any_gap) uncovered.emplace(current, std::move(group));
        group.clear();
        any_gap = false;
    };
    auto cover = store.ScanCoverageYear(division_prefix, year, [&](const PersonCoverage& c) {
        if (c.household_code != current) {
            flush();
            current = c.household_code;
        }
        group.push_back(c);
        any_gap = any_gap || c.basic_medical_insurance == false || c.serious_illness_insurance == false ||
                  c.pension_insurance == false;
        return true;
    });
    if (!cover) return std::unexpected(cover.error());
    flush();
    for (auto& [code, list] : uncovered) {
        auto h = store.FindHousehold(code);
        if (!h) return std::unexpected(h.error());
        if (!*h) continue;
        const CoverageGaps gaps = GapsOf(list, (*h)->household, on);
        if (gaps.medical_uninsured || gaps.serious_uninsured || gaps.pension_missing) out.gaps.emplace(code, gaps);
    }
    return out;
}

void ApplyLedgerFacts(const LedgerFacts& ledger, HouseholdFacts& facts) {
    if (auto it = ledger.income_per_head.find(facts.household_code); it != ledger.income_per_head.end())
        facts.net_income_per_head = it->second;
    if (auto it = ledger.gaps.find(facts.household_code); it != ledger.gaps.end()) {
        facts.medical_uninsured = it->second.medical_uninsured;
        facts.serious_uninsured = it->second.serious_uninsured;
        facts.pension_missing = it->second.pension_missing;
    }
}

// --- JSON of records ----------------------------------------------------------------------------

json::object AssistanceJson(const AssistanceRecord& record) {
    json::value v = json::parse(AssistanceRecordToJson(record));
    json::object o = std::move(v.as_object());
    // Every field present, null when it has no value, so clients read one shape.
    for (const char* key : {"end_date", "amount", "periodic_amount", "period", "signed_on"})
        if (!o.contains(key)) o[key] = nullptr;
    for (const char* key : {"fund_ref", "notes", "signed_by", "delete_reason"})
        if (!o.contains(key)) o[key] = "";
    o["signed_off"] = record.item.signed_off();
    return o;
}

json::object IncomeJson(const IncomeRecordVersion& record) {
    json::value v = json::parse(IncomeRecordToJson(record.record));
    json::object o = std::move(v.as_object());
    o["version"] = record.version;
    o["division_code"] = record.division_code;
    for (const char* key : {"wage", "production", "property", "transfer", "production_costs"})
        if (!o.contains(key)) o[key] = nullptr;
    if (!o.contains("notes")) o["notes"] = "";
    // The figures: computed from the parts (never typed when parts are given), or the typed total.
    o["has_parts"] = record.record.has_parts();
    o["net_income"] = Money(NetIncome(record.record));
    o["net_income_per_head"] = Money(NetIncomePerHead(record.record));
    return o;
}

Result<AssistanceItem> AssistanceFromJson(const json::value& body) {
    if (!body.is_object())
        return Fail("assistance.invalid", "", "请求体应为 JSON 对象", "the body must be a JSON object");
    const json::object& o = body.as_object();
    BodyReader r(o, "assistance.invalid");
    r.OnlyKeys({"item_code", "household_code", "member_ids", "measure", "category", "kind", "start_date",
                "end_date", "amount", "periodic_amount", "period", "fund_ref", "notes", "signed_on", "signed_by",
                // AssistanceJson's own, ignored when sent back
                "version", "deleted", "delete_reason", "division_code", "signed_off", "measure_name"});
    AssistanceItem item;
    item.item_code = Trimmed(r.String("item_code"));
    item.household_code = Trimmed(r.String("household_code", true));
    item.member_ids = r.Strings("member_ids");
    item.measure = r.Int32("measure", true).value_or(0);
    item.category = r.Int32("category", true).value_or(0);
    item.kind = r.Int32("kind", true).value_or(0);
    item.start_date = r.DateOf("start_date", true).value_or(Date{});
    item.end_date = r.DateOf("end_date");
    item.amount = r.Yuan("amount");
    item.periodic_amount = r.Yuan("periodic_amount");
    item.period = r.Int32("period");
    item.fund_ref = Trimmed(r.String("fund_ref"));
    item.notes = Trimmed(r.String("notes"));
    item.signed_on = r.DateOf("signed_on");
    item.signed_by = Trimmed(r.String("signed_by"));
    if (!r.ok()) return std::unexpected(r.error());
    return item;
}

Result<IncomeRecord> IncomeFromJson(const json::value& body) {
    if (!body.is_object()) return Fail("income.invalid", "", "请求体应为 JSON 对象", "the body must be a JSON object");
    const json::object& o = body.as_object();
    BodyReader r(o, "income.invalid");
    r.OnlyKeys({"household_code", "year", "persons", "wage", "production", "property", "transfer",
                "production_costs", "net_income_per_head", "notes",
                // IncomeJson's own, ignored when sent back
                "version", "division_code", "has_parts", "net_income"});
    IncomeRecord rec;
    rec.household_code = Trimmed(r.String("household_code", true));
    rec.year = r.Int32("year", true).value_or(0);
    rec.persons = r.Int32("persons").value_or(0);
    rec.wage = r.Yuan("wage");
    rec.production = r.Yuan("production");
    rec.property = r.Yuan("property");
    rec.transfer = r.Yuan("transfer");
    rec.production_costs = r.Yuan("production_costs");
    // net_income_per_head is the typed total only for a record without parts (IncomeJson writes
    // the computed one there too, and a record sent back must not turn it into a typed total).
    if (auto typed = r.Yuan("net_income_per_head"); typed && !rec.has_parts()) rec.typed_per_head = typed;
    rec.notes = Trimmed(r.String("notes"));
    if (!r.ok()) return std::unexpected(r.error());
    return rec;
}

}  // namespace jz::service
