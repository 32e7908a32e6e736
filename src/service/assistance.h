// The assistance ledger's operations (一户一案), one function each, in its own transaction and
// logged in the change log, called alike by the API (src/server/routes_assistance.cc) and the CLI
// (`jingzhun assistance ...`, `jingzhun income ...`): items added, changed, signed off and deleted
// (a versioned delete with a reason), income by its parts, the 三保障 cover, a household's plan page,
// and the measures-delivered figures. Imports and exports of the ledger's layouts are
// io/assistance_exchange.h.
//
// Stateless functions over the Store passed in (one Store per thread: store/store.h). Errors name
// the field (AssistanceItem's JSON names) and the reason in both languages:
//   assistance.invalid (ValidateItem's problems, the first one's code in `code` when single),
//   household.not_found (household_code), household.deregistered (the household left the
//   registry: its items are kept read-only), assistance.member (member_ids), assistance.not_found
//   (item_code), assistance.deleted (a deleted item cannot change), store.conflict (version),
//   assistance.already_signed (signing a signed item), income.invalid, coverage.member.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/assistance.h"
#include "core/org_unit.h"
#include "core/plan.h"
#include "store/store.h"

namespace jz::service {

// Adds an item. An empty item_code gets the household's next "<household_code>-NNN" (three digits,
// more when needed). member_ids are normalised (15-digit numbers upgraded) and sorted. Returns the
// record as stored (version 1).
Result<AssistanceRecord> AddAssistance(Store& store, const Plan& plan, AssistanceItem item,
                                       const ChangeContext& change);
// The same in the caller's open transaction (the dividends of service/shares.h post their items
// with the declaration).
Result<AssistanceRecord> AddAssistanceInTransaction(Store& store, const Plan& plan, AssistanceItem item,
                                                    const ChangeContext& change);
// Replaces the item with `item.item_code`, which must still be at `version`; its sign-off is
// kept as given (changing what was signed clears the sign-off unless `item` signs it again).
Result<AssistanceRecord> UpdateAssistance(Store& store, const Plan& plan, const AssistanceItem& item,
                                          int64_t version, const ChangeContext& change);
// The household signs the item off on `signed_on` (not before its start date), by `signed_by`.
Result<AssistanceRecord> SignAssistance(Store& store, const std::string& item_code, int64_t version,
                                        const Date& signed_on, const std::string& signed_by,
                                        const ChangeContext& change);
// Deletes the item (kept on record with the reason, 1..500 characters; field "reason").
Result<AssistanceRecord> DeleteAssistance(Store& store, const std::string& item_code, int64_t version,
                                          const std::string& reason, const ChangeContext& change);

// Puts a household's income record for a year (`expected_version`: 0 to create, the version read
// to replace, nullopt to put whatever is there). persons 0 means: the household's members now.
Result<IncomeRecordVersion> PutIncome(Store& store, IncomeRecord record, std::optional<int64_t> expected_version,
                                      const ChangeContext& change);
// Puts the cover of members of one household for a year (each ID number must be a member now).
Result<void> PutCoverage(Store& store, const std::string& household_code, int year,
                         const std::vector<PersonCoverage>& coverage, const ChangeContext& change);

// A household's plan page (一户一案): the household summary (code, village, head's name, status,
// attribute, causes, members with ID numbers), main and auxiliary measures, planned exit year,
// the ledger as a timeline (every item with its version, deleted ones marked and last), income by
// year (IncomeYears: parts, net and per head, of which from assistance, policy share), the cover
// per person and year with each year's gaps, counts (items, unconfirmed, amount signed). JSON shape:
// docs/api.md "The plan page". nullopt when the household is not registered and has no items.
Result<std::optional<boost::json::object>> HouseholdPlan(Store& store, const Plan& plan,
                                                         const std::string& household_code);

// The measures delivered under `unit_code` (county, township or village) for items active in
// [from, to]: one scan of households' facts and one of items' facts, in `parts` parallel parts.
Result<MeasuresDelivered> BuildDelivered(Store& store, const Plan& plan, const OrgTree& tree,
                                         const std::string& unit_code, const Date& from, const Date& to,
                                         int parts = 1);
// {"from","to","unit":{code,name},"measures":[...],"units":[...]} — docs/api.md.
boost::json::object DeliveredJson(const MeasuresDelivered& figures, const Plan& plan, const OrgTree& tree);
// The households under `unit_code` planned for `measure` and not reached in [from, to], by code
// (household_code, division_code, head name, main or auxiliary) — the measures page's drill-down.
Result<boost::json::array> NotReached(Store& store, const Plan& plan, const std::string& unit_code, int measure,
                                      const Date& from, const Date& to, int64_t limit);

// What the exit standard reads from the ledger for a year under a prefix: the computed income per
// head of each household with an income record of the year, and each household's cover gaps
// (ages on `on`). The exit candidates, the exit procedure and the data-quality rule apply them to
// HouseholdFacts with ApplyLedgerFacts.
struct LedgerFacts {
    std::map<std::string, Fen, std::less<>> income_per_head;  // household code → computed
    std::map<std::string, CoverageGaps, std::less<>> gaps;    // household code → gaps (only non-zero)
};
Result<LedgerFacts> LoadLedgerFacts(Store& store, const std::string& division_prefix, int year, const Date& on);
void ApplyLedgerFacts(const LedgerFacts& ledger, HouseholdFacts& facts);

// JSON of one record as the API returns it (AssistanceRecordToJson's shape as an object).
boost::json::object AssistanceJson(const AssistanceRecord& record);
boost::json::object IncomeJson(const IncomeRecordVersion& record);
// An item from the API's JSON body (the shape of AssistanceJson without version/deleted), each
// problem naming its field; amounts as decimal strings ("3520.5") or numbers with ≤ 2 decimals.
Result<AssistanceItem> AssistanceFromJson(const boost::json::value& body);
Result<IncomeRecord> IncomeFromJson(const boost::json::value& body);

}  // namespace jz::service
