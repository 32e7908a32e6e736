// One household, one plan (一户一案): the assistance ledger (一户一本台账) — what was delivered, to whom,
// when, how much, from which project or fund, signed off by the household —, income by year and by
// its parts, and the 三保障 / floor facts per person and year. And what is counted from them: a
// household's income per head, how much of it assistance paid, and the measures delivered.
//
// Pure: no I/O, no clock; dates come in. Money in fen (core/household.h), never floating point.
// The code tables (category, kind, period) are in core/codes.h.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/error.h"
#include "core/household.h"
#include "core/org_unit.h"
#include "core/plan.h"
#include "core/progress.h"

namespace jz {

// --- Assistance items ----------------------------------------------------------------------------

// One thing delivered to a household (明白卡 line). Identity: item_code (unique across the
// registry). A file row without a code is matched on its natural key (NaturalKeyOf).
struct AssistanceItem {
    std::string item_code;       // [A-Za-z0-9-_]{1,40}; made as "<household_code>-NNN" when not given
    std::string household_code;
    // ID numbers (normalised 18 characters) of the members who receive it, sorted, no repeats;
    // empty: the household as a whole (every member at the time benefits).
    std::vector<std::string> member_ids;
    int measure = 0;   // the plan's measure number (1..10 in Chayu)
    int category = 0;  // codes::AssistanceCategory (education: one code per school stage)
    int kind = 0;      // codes::AssistanceKind: cash, goods in kind, service, loan, job post, share
    Date start_date;
    // Continuing items (a ranger post, a loan, 低保): the last day (nullopt: still running).
    std::optional<Date> end_date;
    // One-off amount (cash paid, the value of goods in kind, a loan's principal, a share's
    // quantified value), yuan in fen. nullopt for a service without a value.
    std::optional<Fen> amount;
    // Continuing payments: so much per month or per year (codes::AssistancePeriod), paid from
    // start_date through end_date (or the day asked about).
    std::optional<Fen> periodic_amount;
    std::optional<int> period;   // codes::AssistancePeriod; set exactly when periodic_amount is
    std::string fund_ref;        // project or fund code (the funds issue links it); may be empty
    std::string notes;           // free text, ≤ 500 characters
    std::optional<Date> signed_on;  // the household's sign-off; nullopt: unconfirmed
    std::string signed_by;          // who signed (the head's name, or a member's)

    bool operator==(const AssistanceItem&) const = default;
    bool signed_off() const { return signed_on.has_value(); }
    // Is it in force on any day of [from, to]? (start ≤ to and (no end or end ≥ from))
    bool ActiveDuring(const Date& from, const Date& to) const;
};

// As stored: the item with its version (bumped by every change) and its deletion. A deleted item
// stays on record (read-only) with the reason; it no longer counts anywhere.
struct AssistanceRecord {
    int64_t version = 0;
    std::string division_code;  // the household's village when the item was last written
    bool deleted = false;
    std::string delete_reason;
    AssistanceItem item;
    bool operator==(const AssistanceRecord&) const = default;
};

// The natural key of an item without a code: household, measure, category, kind, start date and
// the members, joined into one string.
std::string NaturalKeyOf(const AssistanceItem& item);

// Checks an item on its own (not against the registry): code syntax, measure in the plan, category
// and kind and period in their tables, the education category only with the education measure's
// stages, end ≥ start, amounts ≥ 0 and below 10^10 yuan, periodic_amount with period, a loan or
// job post or share has its fields, signed_on ≥ start_date when the item is signed and signed_by
// given with it, notes length. Every problem found, each naming its field (the JSON/column name:
// item_code, household_code, member_ids, measure, category, kind, start_date, end_date, amount,
// periodic_amount, period, fund_ref, notes, signed_on, signed_by) with reasons in both languages.
std::vector<Error> ValidateItem(const AssistanceItem& item, const Plan& plan);

// Against the household it belongs to: every member id is a member of it. "assistance.member"
// naming member_ids.
std::vector<Error> ValidateItemMembers(const AssistanceItem& item, const Household& household);

// What an item pays that is income in `year` (signed items only; loans, services, goods in kind
// are not income): one-off cash in the year of start_date; periodic payments for each month (or
// the yearly amount, prorated by whole months) of the year during which the item ran. The
// category decides which part it feeds: a cooperative share or dividend feeds property income,
// everything else that is income (job pay, cash subsidies, 低保, ecological compensation) transfer
// income.
struct IncomeContribution {
    Fen transfer = 0;
    Fen property = 0;
    Fen total() const { return transfer + property; }
};
IncomeContribution ContributionInYear(const AssistanceItem& item, int year);

// --- Income by its parts -------------------------------------------------------------------------

// A household's income in one year as surveyed, by its parts (yuan in fen). The parts include the
// policy money (the ledger's contribution is shown as "of which"). When no part is given, a total
// per head may be typed (an older record); when any part is given, the total is never typed.
struct IncomeRecord {
    std::string household_code;
    int year = 0;
    int persons = 0;  // the household members the per-head figure divides by (≥ 1)
    std::optional<Fen> wage;        // 工资性收入
    std::optional<Fen> production;  // 生产经营性收入
    std::optional<Fen> property;    // 财产性收入
    std::optional<Fen> transfer;    // 转移性收入
    std::optional<Fen> production_costs;  // 生产经营费用
    std::optional<Fen> typed_per_head;  // only without parts: 人均纯收入 as typed
    std::string notes;
    bool operator==(const IncomeRecord&) const = default;
    bool has_parts() const { return wage || production || property || transfer || production_costs; }
};

struct IncomeRecordVersion {
    int64_t version = 0;
    std::string division_code;
    IncomeRecord record;
    bool operator==(const IncomeRecordVersion&) const = default;
};

// Checks a record: year within 2000..2100, persons ≥ 1, parts ≥ 0 (production_costs too), parts and a typed
// total not both, at least one of them. Each problem names its field (year, persons, wage,
// production, property, transfer, production_costs, net_income_per_head, notes).
std::vector<Error> ValidateIncome(const IncomeRecord& record);

// Net income (wage + production + property + transfer − production_costs; a missing part counts as 0).
std::optional<Fen> NetIncome(const IncomeRecord& record);  // nullopt without parts
// Per head: net income ÷ persons, rounded to the fen, halves away from zero; the typed total when
// there are no parts; nullopt when neither.
std::optional<Fen> NetIncomePerHead(const IncomeRecord& record);

// One year of a household's income as the plan page shows it: the parts, the computed figures and
// what the ledger contributed.
struct IncomeYearView {
    int year = 0;
    std::optional<IncomeRecord> record;  // nullopt: no income recorded for the year
    std::optional<Fen> net_income;
    std::optional<Fen> net_income_per_head;
    IncomeContribution from_assistance;  // signed items' income in the year
    // from_assistance.total() ÷ gross income (wage+production+property+transfer) in per mille,
    // nullopt when the gross is unknown or zero.
    std::optional<int> policy_share_permille;
};
// Years of `records` and of the items' contributions, ascending.
std::vector<IncomeYearView> IncomeYears(std::span<const IncomeRecord> records,
                                        std::span<const AssistanceItem> items);

// --- 三保障 and the floor ------------------------------------------------------------------------

// One person's cover in one year. nullopt: not recorded (not judged).
struct PersonCoverage {
    std::string household_code;
    std::string id_number;
    int year = 0;
    std::optional<bool> basic_medical_insurance;    // 基本医疗保险
    std::optional<bool> serious_illness_insurance;  // 大病保险
    std::optional<bool> pension_insurance;          // 城乡居民养老保险 (those of age)
    std::optional<bool> dibao;                      // 低保
    std::optional<bool> wubao;                      // 五保 (特困供养)
    bool operator==(const PersonCoverage&) const = default;
};

// Age from which pension insurance is expected (members not in school).
inline constexpr int kPensionAge = 16;

// The gaps of one household's members in a year, as the exit standard reads them (HouseholdFacts
// fields medical_uninsured, serious_uninsured, pension_missing): a member counts only when
// recorded as not covered (false); a member not recorded is not judged.
struct CoverageGaps {
    int medical_uninsured = 0;
    int serious_uninsured = 0;
    int pension_missing = 0;  // of age (kPensionAge on `on`) and not in school
};
CoverageGaps GapsOf(std::span<const PersonCoverage> coverage, const Household& household, const Date& on);

// --- Measures delivered --------------------------------------------------------------------------

// What the measures-delivered count reads of an item (a store scan hands these out without the
// body).
struct ItemFacts {
    std::string household_code;
    std::string division_code;
    int measure = 0;
    int category = 0;
    int kind = 0;
    Date start_date;
    std::optional<Date> end_date;
    std::optional<Date> signed_on;
    std::vector<uint64_t> member_keys;  // PackIdNumber of member_ids, sorted; empty: whole household
    int household_persons = 0;          // the household's members now (0 when it left the registry)
    Fen amount = 0;                     // amount, 0 when none
};
ItemFacts ItemFactsOf(const AssistanceItem& item, const std::string& division_code, int household_persons);

// StageDelivered, OtherDelivered and MeasureDelivered (one measure's delivered figures) are in
// core/progress.h: the reports hold them.

struct TownshipDelivered {
    std::string code;
    std::string name;
    // Per measure number: planned households, reached households, beneficiaries.
    std::map<int, MeasureDelivered> measures;
    bool operator==(const TownshipDelivered&) const = default;
};

struct MeasuresDelivered {
    Date from;
    Date to;
    std::string unit_code;  // the org unit counted (county, township or village)
    std::vector<MeasureDelivered> measures;     // the plan's, in its order
    std::vector<TownshipDelivered> townships;   // child units of the unit (townships of a county,
                                                // villages of a township), by code
    bool operator==(const MeasuresDelivered&) const = default;
};

// Accumulates households and their items: Add every household's facts (planned, in any order) and
// every item's facts (grouped by household: all items of one household consecutively, households
// in any order). Counting needs nothing else; memory is per measure and per child unit, plus the
// current household's items.
class DeliveredBuilder {
  public:
    // `unit_code` a county, township or village code; households outside it are ignored.
    DeliveredBuilder(const Plan& plan, const OrgTree& tree, std::string unit_code, const Date& from,
                     const Date& to);
    void AddHousehold(const HouseholdFacts& facts);
    void AddItem(const ItemFacts& item);
    // Takes over what `other` counted (parallel scans, split by household).
    void Merge(DeliveredBuilder&& other);
    MeasuresDelivered Finish();

  private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

// The same figures counted the slow and obvious way (the property test's oracle and the
// benchmark's check): all households and items at once.
MeasuresDelivered CountDelivered(const Plan& plan, const OrgTree& tree, const std::string& unit_code,
                                 const Date& from, const Date& to, std::span<const HouseholdFacts> households,
                                 std::span<const ItemFacts> items);

}  // namespace jz
